"""Writes the broken-reference corpus: one folder per case next to this file.

    .venv/bin/python tests/broken/make_corpus.py        # rewrite every case folder

Each case is the small valid BASE reference below with a few files replaced, added or
removed, plus `expect.txt`:

    # what is broken
    exit 1                          # expected exit code of `clickgen validate`
    CG0002 fields/user.yaml:5:3     # every diagnostic: code path:line:col (the exact set)
    chmod 000 fields/user.yaml      # optional: applied to a copy before validating
    stderr no clickgen.yaml         # optional: text stderr must contain this
    covers CG0008                   # optional: a code the case covers without a diagnostic

tests/test_broken.py reads the folders, not this table: the files on disk are the
corpus, and this script only keeps them easy to regenerate and review. Cases whose
content cannot live in a table as text (non-UTF-8 bytes, symlinks) are bytes or
special entries here too.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent

BASE: dict[str, str] = {
    "clickgen.yaml": "name: broken\n",
    "fields/user.yaml": (
        "user_id:\n"  # 1
        "  type: integer\n"  # 2
        "  minimum: 1\n"  # 3
        "  description: Registered user id.\n"  # 4
        "status:\n"  # 5
        "  type: string\n"  # 6
        "  enum: [active, blocked]\n"  # 7
    ),
    "environments/web.yaml": (
        "name: web\n"  # 1
        "source_id: 1\n"  # 2
        "langpacks: [python, go, php]\n"  # 3
    ),
    "events/login.yaml": (
        "event: login\n"  # 1
        "id: 1\n"  # 2
        "owner: auth\n"  # 3
        "environments: [web]\n"  # 4
        "versions:\n"  # 5
        "  1:\n"  # 6
        "    fields:\n"  # 7
        "      user_id: required\n"  # 8
        "      status: optional\n"  # 9
    ),
}

SYMLINK = object()  # marker: {"path": (SYMLINK, "target")}


@dataclass
class Case:
    name: str
    about: str
    files: dict[str, object]  # path -> str | bytes | None (delete) | (SYMLINK, target)
    expect: list[str]
    exit: int = 1
    extra: list[str] = field(default_factory=list)  # chmod / stderr / covers lines


def event(name: str = "login", id: int = 1, envs: str = "[web]", body: str = "    fields:\n      user_id: required\n", extra: str = "") -> str:
    return f"event: {name}\nid: {id}\nowner: auth\nenvironments: {envs}\n{extra}versions:\n  1:\n{body}"


def fields(text: str) -> dict[str, object]:
    return {"fields/extra.yaml": text}


CASES: list[Case] = [
    # --- CG00xx: reading files ------------------------------------------------------
    Case("yaml-unclosed-flow-list", "a flow list is never closed", fields("tags:\n  type: string\n  enum: [a, b\n"), ["CG0001 fields/extra.yaml:4:1"]),
    Case("yaml-tab-indent", "a tab indents a key", {"fields/user.yaml": "user_id:\n\ttype: integer\n"}, ["CG0001 fields/user.yaml:2:1"]),
    Case("yaml-tab-after-key", "a tab inside a block mapping", fields("tags:\n  type: string\n\t enum: [a]\n"), ["CG0001 fields/extra.yaml:3:1"]),
    Case("yaml-bad-indentation", "a key indented deeper than its siblings", fields("tags:\n  type: string\n    enum: [a]\n"), ["CG0001 fields/extra.yaml:3:9"]),
    Case("yaml-colon-in-value", "an unquoted ': ' inside a value", {"environments/web.yaml": "name: web\nsource_id: 1\ndescription: note: this breaks\nlangpacks: [go]\n"}, ["CG0001 environments/web.yaml:3:18"]),
    Case("yaml-undefined-alias", "an alias whose anchor does not exist", fields("tags: *nothing\n"), ["CG0001 fields/extra.yaml:1:7"]),
    Case("yaml-control-character", "a control character (ESC) in a value", fields("tags:\n  type: string\n  description: bell \x1b here\n"), ["CG0001 fields/extra.yaml:3:21"]),
    Case("yaml-control-character-after-multibyte", "the position of a control character counts characters, not bytes", fields("tags:\n  type: string\n  description: Привет \x07\n"), ["CG0001 fields/extra.yaml:3:23"]),
    Case("yaml-bad-explicit-int", "an explicit !!int tag on text", fields("tags:\n  type: string\n  max_length: !!int ten\n"), ["CG0001 fields/extra.yaml:3:15"]),
    Case("yaml-unclosed-quote", "a quoted string is never closed: found at the end of the file", {"events/login.yaml": event().replace("owner: auth", "owner: 'auth")}, ["CG0001 events/login.yaml:9:1"]),
    Case("duplicate-key-field", "a field definition repeats `type`", fields("tags:\n  type: string\n  description: Tags.\n  type: integer\n"), ["CG0002 fields/extra.yaml:4:3"]),
    Case("duplicate-key-field-name", "a fields file defines the same field twice", fields("tags:\n  type: string\ntags:\n  type: integer\n"), ["CG0002 fields/extra.yaml:3:1"]),
    Case("duplicate-key-field-use", "a version lists a field twice", {"events/login.yaml": event(body="    fields:\n      user_id: required\n      status: optional\n      user_id: optional\n")}, ["CG0002 events/login.yaml:10:7"]),
    Case("duplicate-key-version", "an event defines version 1 twice", {"events/login.yaml": event() + "  1:\n    fields: {}\n"}, ["CG0002 events/login.yaml:9:3"]),
    Case("duplicate-key-settings", "clickgen.yaml repeats `name`", {"clickgen.yaml": "name: broken\nname: again\n"}, ["CG0002 clickgen.yaml:2:1"]),
    Case("not-a-mapping-list", "an event file holds a list", {"events/login.yaml": "- event: login\n- id: 1\n"}, ["CG0003 events/login.yaml:1:1"]),
    Case("not-a-mapping-scalar", "an environment file holds a string (events in it are not reported unknown)", {"environments/web.yaml": "web\n"}, ["CG0003 environments/web.yaml:1:1"]),
    Case("not-a-mapping-settings", "clickgen.yaml holds a number", {"clickgen.yaml": "42\n"}, ["CG0003 clickgen.yaml:1:1"]),
    Case("not-utf8-latin1", "a Latin-1 é in a description", {"fields/extra.yaml": b"tags:\n  type: string\n  description: caf\xe9\n"}, ["CG0004 fields/extra.yaml:3:19"]),
    Case("not-utf8-after-bom-and-multibyte", "the column of a bad byte counts characters, after a BOM", {"fields/extra.yaml": "\ufefftags:\n  type: string\n  description: Ж".encode() + b"\xff\n"}, ["CG0004 fields/extra.yaml:3:17"]),
    Case("not-utf8-utf16", "a UTF-16 file (with its BOM)", {"fields/extra.yaml": "tags:\n  type: string\n".encode("utf-16")}, ["CG0004 fields/extra.yaml:1:1"]),
    Case("empty-file", "a zero-byte event file", {"events/empty.yaml": ""}, ["CG0005 events/empty.yaml:1:1"]),
    Case("empty-file-comments-only", "a fields file with only comments", fields("# nothing here yet\n\n# really\n"), ["CG0005 fields/extra.yaml:1:1"]),
    Case("empty-settings", "clickgen.yaml is empty", {"clickgen.yaml": ""}, ["CG0005 clickgen.yaml:1:1"]),
    Case("tag-python-object", "a PyYAML python/object tag", fields("tags: !!python/object/apply:os.system ['echo pwned']\n"), ["CG0006 fields/extra.yaml:1:7"]),
    Case("tag-python-name", "a python/name tag on a value", {"events/login.yaml": event().replace("owner: auth", "owner: !!python/name:os.system")}, ["CG0006 events/login.yaml:3:8"]),
    Case("tag-custom", "an application-specific tag", fields("tags:\n  type: !Type string\n"), ["CG0006 fields/extra.yaml:2:9"]),
    Case("tag-binary", "a !!binary value", fields("tags:\n  type: string\n  description: !!binary aGVsbG8=\n"), ["CG0006 fields/extra.yaml:3:16"]),
    Case("tag-map-on-scalar", "the !!map tag on a scalar", fields("tags: !!map text\n"), ["CG0006 fields/extra.yaml:1:7"]),
    Case("merge-key", "a YAML merge key", fields("base: &base\n  type: string\ntags:\n  <<: *base\n  description: Tags.\n"), ["CG0006 fields/extra.yaml:4:3"]),
    Case("alias-bomb", "a billion laughs: aliases that expand exponentially",
         fields("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))),
         ["CG0007 fields/extra.yaml:6:8"]),
    Case("deep-nesting-block", "block mappings nested 70 levels deep", fields("".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "v: 1\n"), ["CG0007 fields/extra.yaml:65:129"]),
    Case("deep-nesting-flow", "a flow list nested 2000 levels deep (beyond libyaml's own limit)", fields("tags: " + "[" * 2000 + "]" * 2000 + "\n"), ["CG0007 fields/extra.yaml:1:1006"]),
    Case("multiple-documents", "two YAML documents in one file", {"events/login.yaml": event() + "---\n" + event(name="logout", id=2)}, ["CG0010 events/login.yaml:9:1"]),
    Case("complex-key-list", "a list as a mapping key", fields("? [a, b]\n: {type: string}\n"), ["CG0011 fields/extra.yaml:1:3"]),
    Case("complex-key-mapping", "a flow mapping as a key", {"events/login.yaml": event(body="    fields:\n      {user_id: required}: required\n")}, ["CG0011 events/login.yaml:8:7"]),
    Case("alias-as-key", "an alias used as a mapping key", fields("name: &n tags\n*n : {type: string}\n"), ["CG0011 fields/extra.yaml:2:1"]),
    Case("recursive-alias", "an alias inside the node it names", fields("tags: &t\n  type: string\n  examples: [*t]\n"), ["CG0012 fields/extra.yaml:3:14"]),
    Case("octal-looking-number", "a leading zero: YAML 1.1 reads 010 as 8", fields("count:\n  type: integer\n  maximum: 010\n"), ["CG0013 fields/extra.yaml:3:12"]),
    Case("sexagesimal-number", "YAML 1.1 reads 1:30 as 90", fields("minutes:\n  type: integer\n  minimum: 1:30\n"), ["CG0013 fields/extra.yaml:3:12"]),
    Case("yaml-comment-without-space", "a comment glued to a flow list (libyaml takes it, YAML 1.2 does not)", fields("tags:\n  type: string\n  enum: [a, b]#colours\n"), ["CG0001 fields/extra.yaml:3:15"]),
    Case("yaml-flow-list-underindented", "a flow list's second line is not indented deeper than its key", fields("tags:\n  type: string\n  enum: [a,\n  b]\n"), ["CG0001 fields/extra.yaml:4:3"]),
    Case("yaml-unsupported-tab-after-dash", "a tab after '-': valid YAML 1.2, but not for the reader", {"environments/web.yaml": "name: web\nsource_id: 1\nlangpacks:\n-\tpython\n"}, ["CG0014 environments/web.yaml:4:2"]),
    Case("yaml-unsupported-question-mark", "`?a` in a flow list: YAML 1.2 reads the text '?a', libyaml an explicit key", fields("tags:\n  type: string\n  enum: [?a, b]\n"), ["CG0014 fields/extra.yaml:3:10"]),
    # --- CG0008 / CG0009: the folder itself ------------------------------------------
    Case("missing-settings", "the folder has no clickgen.yaml", {"clickgen.yaml": None}, [], exit=2,
         extra=["stderr is not an event reference: it has no clickgen.yaml", "covers CG0008"]),
    Case("settings-is-a-folder", "clickgen.yaml is a folder, not a file", {"clickgen.yaml": None, "clickgen.yaml/name.yaml": "name: broken\n"}, [], exit=2,
         extra=["stderr it has no clickgen.yaml", "covers CG0008"]),
    Case("unreadable-file", "a fields file nobody may read (chmod 000)", fields("tags:\n  type: string\n"), ["CG0009 fields/extra.yaml:1:1"], extra=["chmod 000 fields/extra.yaml"]),
    Case("unreadable-folder", "an events folder nobody may list (chmod 000)", {"events/locked/logout.yaml": event(name="logout", id=2)}, ["CG0009 events/locked:1:1"], extra=["chmod 000 events/locked"]),
    Case("unreadable-dangling-symlink", "a YAML file that is a symlink to nothing", {"fields/extra.yaml": (SYMLINK, "../nowhere/tags.yaml")}, ["CG0009 fields/extra.yaml:1:1"]),
    Case("unreadable-events-is-a-file", "`events` is a file where a folder must be", {"events/login.yaml": None, "events": "not a folder\n"}, ["CG0009 events:1:1"]),
    # --- CG01xx: schema ----------------------------------------------------------------
    Case("missing-key-event-owner", "an event without an owner", {"events/login.yaml": event().replace("owner: auth\n", "")}, ["CG0101 events/login.yaml:1:1"]),
    Case("missing-key-version-fields", "a version without `fields`", {"events/login.yaml": event(body="    description: No fields.\n")}, ["CG0101 events/login.yaml:6:3"]),
    Case("missing-key-field-type", "a field without `type`", fields("tags:\n  description: Tags.\n"), ["CG0101 fields/extra.yaml:1:1"]),
    Case("missing-key-settings-name", "clickgen.yaml without `name`", {"clickgen.yaml": "description: no name\n"}, ["CG0101 clickgen.yaml:1:1"]),
    Case("missing-key-deprecation-reason", "a deprecation without a reason", fields("tags:\n  type: string\n  deprecated:\n    replaced_by: status\n"), ["CG0101 fields/extra.yaml:3:3"]),
    Case("unknown-key-environment", "a misspelt `langpacks`", {"environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [go]\nlangpack: [php]\n"}, ["CG0102 environments/web.yaml:4:1"]),
    Case("unknown-key-field", "a constraint the format does not know", fields("tags:\n  type: string\n  max_len: 5\n"), ["CG0102 fields/extra.yaml:3:3"]),
    Case("unknown-key-version", "an unknown key inside a version", {"events/login.yaml": event(body="    fields:\n      user_id: required\n    notes: hi\n")}, ["CG0102 events/login.yaml:9:5"]),
    Case("wrong-type-id-string", "an event id in quotes", {"events/login.yaml": event().replace("id: 1", "id: '1'")}, ["CG0103 events/login.yaml:2:5"]),
    Case("wrong-type-float-id", "an id written 1.0: JSON Schema calls it an integer, clickgen does not", {"events/login.yaml": event().replace("id: 1", "id: 1.0")}, ["CG0103 events/login.yaml:2:5"]),
    Case("wrong-type-null", "an empty value read as null", {"events/login.yaml": event().replace("owner: auth", "owner:")}, ["CG0103 events/login.yaml:3:7"]),
    Case("wrong-type-fields-list", "a version's fields as a list", {"events/login.yaml": event(body="    fields: [user_id]\n")}, ["CG0103 events/login.yaml:7:13"]),
    Case("wrong-type-yes-no-enum", "unquoted yes/no in an enum become booleans", fields("answer:\n  type: string\n  enum: [yes, no, maybe]\n"), ["CG0103 fields/extra.yaml:3:10", "CG0103 fields/extra.yaml:3:15"]),
    Case("wrong-type-on-off-enum", "unquoted On/Off in a block list", fields("switch:\n  type: string\n  enum:\n    - On\n    - Off\n"), ["CG0103 fields/extra.yaml:4:7", "CG0103 fields/extra.yaml:5:7"]),
    Case("wrong-type-inf", ".inf as a maximum", fields("ratio:\n  type: number\n  maximum: .inf\n"), ["CG0103 fields/extra.yaml:3:12"]),
    Case("wrong-type-nan", ".nan in an example", fields("ratio:\n  type: number\n  examples: [0.5, .NaN]\n"), ["CG0103 fields/extra.yaml:3:19"]),
    Case("wrong-type-exponent-without-dot", "YAML 1.1 reads 1e3 as text", fields("ratio:\n  type: number\n  maximum: 1e3\n"), ["CG0103 fields/extra.yaml:3:12"]),
    Case("not-allowed-type", "type `int`", fields("count:\n  type: int\n"), ["CG0104 fields/extra.yaml:2:9"]),
    Case("not-allowed-requirement", "a field use neither required nor optional", {"events/login.yaml": event(body="    fields:\n      user_id: mandatory\n")}, ["CG0104 events/login.yaml:8:16"]),
    Case("not-allowed-langpack", "a language clickgen does not generate", {"environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [python, rust]\n"}, ["CG0104 environments/web.yaml:3:21"]),
    Case("not-allowed-collector", "a collector that is not an http(s) URL", {"environments/web.yaml": BASE["environments/web.yaml"] + "collector: ftp://collector.internal/\n"}, ["CG0104 environments/web.yaml:4:12"]),
    Case("not-allowed-waiver-rule", "a waiver with a malformed rule code", {"clickgen.yaml": "name: broken\nwaivers:\n  - {rule: CG301, entity: 'event:login', reason: typo}\n"}, ["CG0104 clickgen.yaml:3:12"]),
    Case("invalid-name-field", "a field name in camelCase", fields("userName:\n  type: string\n"), ["CG0105 fields/extra.yaml:1:1"]),
    Case("invalid-name-event", "an event name with a dash", {"events/login.yaml": event().replace("event: login", "event: log-in")}, ["CG0105 events/login.yaml:1:8"]),
    Case("invalid-name-environment", "an environment name with an underscore", {"environments/web.yaml": "name: web_app\nsource_id: 1\nlangpacks: [go]\n"}, ["CG0105 environments/web.yaml:1:7", "CG0202 events/login.yaml:4:16"]),
    Case("invalid-name-version", "a version key with a leading zero", {"events/login.yaml": event().replace("  1:", "  01:")}, ["CG0105 events/login.yaml:6:3"]),
    Case("invalid-name-field-use", "an event uses a field name with capitals", {"events/login.yaml": event(body="    fields:\n      User_Id: required\n")}, ["CG0105 events/login.yaml:8:7"]),
    Case("invalid-name-trailing-newline", "names that end in a newline (Python's `$` matches before it)",
         {"fields/extra.yaml": '"tags\\n":\n  type: string\n', "events/login.yaml": event(body='    fields:\n      "user_id\\n": required\n')},
         ["CG0105 events/login.yaml:8:7", "CG0105 fields/extra.yaml:1:1"]),
    Case("invalid-name-too-long", "a field name of 65 characters", fields("a" * 65 + ":\n  type: string\n"), ["CG0105 fields/extra.yaml:1:1"]),
    Case("invalid-name-reference", "clickgen.yaml names the reference with spaces", {"clickgen.yaml": "name: My Product\n"}, ["CG0105 clickgen.yaml:1:7"]),
    Case("out-of-range-id", "event id 0", {"events/login.yaml": event(id=0)}, ["CG0106 events/login.yaml:2:5"]),
    Case("out-of-range-source-id", "a source id beyond 32 bits", {"environments/web.yaml": "name: web\nsource_id: 4294967296\nlangpacks: [go]\n"}, ["CG0106 environments/web.yaml:2:12"]),
    Case("out-of-range-empty-owner", "an empty owner", {"events/login.yaml": event().replace("owner: auth", "owner: ''")}, ["CG0106 events/login.yaml:3:8"]),
    Case("out-of-range-no-versions", "an event without versions", {"events/login.yaml": "event: login\nid: 1\nowner: auth\nenvironments: [web]\nversions: {}\n"}, ["CG0106 events/login.yaml:5:11"]),
    Case("out-of-range-empty-enum", "an empty enum", fields("tags:\n  type: string\n  enum: []\n"), ["CG0106 fields/extra.yaml:3:9"]),
    Case("duplicate-item-langpacks", "a language listed twice", {"environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [go, php, go]\n"}, ["CG0107 environments/web.yaml:3:12"]),
    Case("duplicate-item-environments", "an event lists an environment twice", {"events/login.yaml": event(envs="[web, web]")}, ["CG0107 events/login.yaml:4:15"]),
    # --- CG02xx: semantic rules --------------------------------------------------------
    Case("unknown-field", "an event uses a field nobody defined", {"events/login.yaml": event(body="    fields:\n      user_id: required\n      usr_status: optional\n")}, ["CG0201 events/login.yaml:9:7"]),
    Case("unknown-field-common", "an environment's common field is not defined", {"environments/web.yaml": BASE["environments/web.yaml"] + "common_fields:\n  app_version: required\n"}, ["CG0201 environments/web.yaml:5:3"]),
    Case("unknown-environment", "an event occurs in an environment nobody defined", {"events/login.yaml": event(envs="[web, ios]")}, ["CG0202 events/login.yaml:4:21"]),
    Case("duplicate-event-id", "two events share id 1", {"events/logout.yaml": event(name="logout", id=1)}, ["CG0203 events/logout.yaml:2:5"]),
    Case("duplicate-event-name", "two files define the event `login`", {"events/auth/login.yaml": event(id=2)}, ["CG0204 events/auth/login.yaml:1:8"]),
    Case("duplicate-source-id", "two environments share source id 1", {"environments/app.yaml": "name: app\nsource_id: 1\nlangpacks: [go]\n"}, ["CG0205 environments/web.yaml:2:12"]),
    Case("duplicate-field", "two files define `status`", fields("status:\n  type: integer\n"), ["CG0206 fields/user.yaml:5:1"]),
    Case("duplicate-environment", "two files define the environment `web`", {"environments/web2.yaml": "name: web\nsource_id: 2\nlangpacks: [go]\n"}, ["CG0207 environments/web2.yaml:1:7"]),
    Case("version-gap", "versions 1 and 3", {"events/login.yaml": event() + "  3:\n    fields: {}\n"}, ["CG0208 events/login.yaml:9:3"]),
    Case("version-gap-no-first", "the only version is 2", {"events/login.yaml": event().replace("  1:", "  2:")}, ["CG0208 events/login.yaml:6:3"]),
    Case("envelope-key", "a field named like the envelope's event_time_us", fields("event_time_us:\n  type: integer\n"), ["CG0209 fields/extra.yaml:1:1"]),
    Case("envelope-wire-key", "a field whose wire key is the envelope's event_uid", fields("request_uid:\n  type: string\n  key: event_uid\n"), ["CG0209 fields/extra.yaml:3:8"]),
    Case("duplicate-wire-key", "user_id and a field with the wire key user_id in one version", {"fields/extra.yaml": "account_id:\n  type: integer\n  key: user_id\n", "events/login.yaml": event(body="    fields:\n      user_id: required\n      account_id: optional\n")},
         ["CG0224 events/login.yaml:9:7"]),
    Case("name-collision-fields", "user_id and user__id in one version", {"fields/extra.yaml": "user__id:\n  type: integer\n", "events/login.yaml": event(body="    fields:\n      user_id: required\n      user__id: optional\n")},
         ["CG0210 events/login.yaml:9:7", "CG0210 events/login.yaml:9:7"]),
    Case("name-collision-php-only", "userid and user_id: the same PHP method, case-insensitively", {"fields/extra.yaml": "userid:\n  type: integer\n", "events/login.yaml": event(body="    fields:\n      user_id: required\n      userid: optional\n")},
         ["CG0210 events/login.yaml:9:7"]),
    Case("name-collision-events", "events item_view and item__view in one environment", {"events/item_view.yaml": event(name="item_view", id=2), "events/item__view.yaml": event(name="item__view", id=3)},
         ["CG0210 events/item_view.yaml:6:3", "CG0210 events/item_view.yaml:6:3", "CG0210 events/item_view.yaml:6:3"]),
    Case("name-collision-enum-type", "the enum type of field login_v1 is also the class of event login version 1", {"fields/extra.yaml": "login_v1:\n  type: string\n  enum: [a]\n", "events/login.yaml": event(body="    fields:\n      login_v1: optional\n")},
         ["CG0210 fields/extra.yaml:1:1", "CG0210 fields/extra.yaml:1:1", "CG0210 fields/extra.yaml:1:1"]),
    Case("enum-constant-collision", "enum values new-item and new_item", fields("item_state:\n  type: string\n  enum: [new-item, new_item]\n"), ["CG0211 fields/extra.yaml:3:20"]),
    Case("enum-constant-collision-case", "enum values Active and active", fields("state:\n  type: string\n  enum: [active, Active]\n"), ["CG0211 fields/extra.yaml:3:18"]),
    Case("common-field-conflict", "an optional common field listed as required by an event", {"environments/web.yaml": BASE["environments/web.yaml"] + "common_fields:\n  status: optional\n", "events/login.yaml": event(body="    fields:\n      user_id: required\n      status: required\n")},
         ["CG0212 events/login.yaml:9:7"]),
    Case("unknown-replacement", "a deprecated event replaced by nothing that exists", {"events/login.yaml": event(extra="deprecated: {reason: old, replaced_by: sign_in}\n")}, ["CG0213 events/login.yaml:5:13"]),
    Case("unknown-replacement-self", "a field replaced by itself", fields("tags:\n  type: string\n  deprecated:\n    reason: old\n    replaced_by: tags\n"), ["CG0213 fields/extra.yaml:4:5"]),
    Case("duplicate-enum-value", "an enum lists `a` twice", fields("grade:\n  type: string\n  enum: [a, b, a]\n"), ["CG0214 fields/extra.yaml:3:16"]),
    Case("empty-range", "minimum above maximum", fields("age:\n  type: integer\n  minimum: 18\n  maximum: 10\n"), ["CG0215 fields/extra.yaml:3:12"]),
    Case("empty-range-length", "min_length above max_length", fields("code:\n  type: string\n  min_length: 5\n  max_length: 2\n"), ["CG0215 fields/extra.yaml:3:15"]),
    Case("invalid-pattern-lookahead", "a lookahead: not I-Regexp (RE2 cannot run it)", fields("code:\n  type: string\n  pattern: '(?=a)b'\n"), ["CG0216 fields/extra.yaml:3:13"]),
    Case("invalid-pattern-syntax", "a class never closed, with an example", fields("code:\n  type: string\n  pattern: '[a-'\n  examples: [a]\n"), ["CG0216 fields/extra.yaml:3:13"]),
    Case("invalid-pattern-anchors", "^...$ around a pattern that matches the whole value anyway", fields("code:\n  type: string\n  pattern: 'ab$'\n"), ["CG0216 fields/extra.yaml:3:15"]),
    Case("invalid-pattern-shorthand", "\\d in a double-quoted scalar: the column counts the escapes as written", fields('code:\n  type: string\n  pattern: "[A-Z]\\\\d{3}"\n'), ["CG0216 fields/extra.yaml:3:18"]),
    Case("invalid-pattern-flag", "an inline (?i) flag", fields("code:\n  type: string\n  pattern: x(?i)abc\n"), ["CG0216 fields/extra.yaml:3:13"]),
    Case("invalid-pattern-bound", "a bound Go cannot compile", fields("code:\n  type: string\n  pattern: 'a{0,65536}'\n"), ["CG0216 fields/extra.yaml:3:17"]),
    Case("invalid-pattern-block-scalar", "\\w in a folded scalar: the column of the value", fields("code:\n  type: string\n  pattern: >-\n    \\w+\n"), ["CG0216 fields/extra.yaml:3:12"]),
    Case("constraint-not-applicable", "max_length on an integer", fields("count:\n  type: integer\n  max_length: 3\n"), ["CG0217 fields/extra.yaml:3:15"]),
    Case("constraint-not-applicable-fraction", "a fractional minimum on an integer", fields("count:\n  type: integer\n  minimum: 0.5\n"), ["CG0217 fields/extra.yaml:3:12"]),
    Case("items-required", "an array field without items", fields("tags:\n  type: array\n"), ["CG0218 fields/extra.yaml:1:1"]),
    Case("invalid-example", "an example below the minimum", fields("count:\n  type: integer\n  minimum: 1\n  examples: [1, 0]\n"), ["CG0219 fields/extra.yaml:4:17"]),
    Case("file-name-mismatch", "event login in a file named signin.yaml", {"events/login.yaml": None, "events/signin.yaml": event()}, ["CG0220 events/signin.yaml:1:8"], exit=0),
    Case("environment-without-langpacks", "an environment with an empty langpacks list", {"environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: []\n"}, ["CG0221 environments/web.yaml:3:12"], exit=0),
    Case("deprecated-use", "the latest version uses a deprecated field", {"fields/user.yaml": BASE["fields/user.yaml"] + "  deprecated: {reason: use user_state}\n"}, ["CG0222 events/login.yaml:9:7"], exit=0),
    Case("unsafe-integer-limit", "a maximum beyond int64", fields("big:\n  type: integer\n  maximum: 9223372036854775808\n"), ["CG0223 fields/extra.yaml:3:12"]),
    # --- object fields and arrays of objects -----------------------------------------
    Case("object-without-properties", "an object field that lists no members", fields("cart_line:\n  type: object\n"), ["CG0101 fields/extra.yaml:1:1"]),
    Case("object-empty-properties", "an object field with an empty member list", fields("cart_line:\n  type: object\n  properties: {}\n"), ["CG0106 fields/extra.yaml:3:15"]),
    Case("object-member-unknown", "an object member that is not in the dictionary",
         fields("cart_line:\n  type: object\n  properties:\n    user_id: required\n    pricee: optional\n"), ["CG0201 fields/extra.yaml:5:5"]),
    Case("object-member-requirement", "a member flag misspelt", fields("cart_line:\n  type: object\n  properties:\n    user_id: mandatory\n"), ["CG0104 fields/extra.yaml:4:14"]),
    Case("object-items-unknown", "an array whose items name neither a scalar type nor a field",
         fields("tags:\n  type: array\n  items: strng\n"), ["CG0201 fields/extra.yaml:3:10"]),
    Case("object-cycle", "two objects that contain each other: one diagnostic naming the cycle",
         fields("node:\n  type: object\n  properties:\n    user_id: required\n    parent:\n      optional\nparent:\n  type: object\n  properties:\n    node: optional\n"),
         ["CG0225 fields/extra.yaml:10:5"]),
    Case("object-cycle-self", "an object that holds an array of itself",
         fields("node:\n  type: object\n  properties:\n    children: optional\nchildren:\n  type: array\n  items: node\n"), ["CG0225 fields/extra.yaml:7:10"]),
    Case("object-too-deep", "five objects nested in each other",
         fields("".join(f"level{i}:\n  type: object\n  properties:\n    {'level' + str(i + 1) if i < 5 else 'user_id'}: required\n" for i in range(1, 6))
                + "outer:\n  type: object\n  properties:\n    level1: required\n"),
         ["CG0226 fields/extra.yaml:1:1"]),
    Case("items-not-object", "an array whose items name a scalar field", fields("user_ids:\n  type: array\n  items: user_id\n"), ["CG0227 fields/extra.yaml:3:10"]),
    Case("properties-not-applicable", "properties on a string field, a constraint on an object",
         fields("code:\n  type: string\n  properties: {user_id: required}\ncart_line:\n  type: object\n  max_length: 3\n  properties: {user_id: required}\n"),
         ["CG0217 fields/extra.yaml:3:15", "CG0217 fields/extra.yaml:6:15"]),
    Case("object-duplicate-wire-key", "two members with the same wire key",
         fields("account_id:\n  type: integer\n  key: user_id\ncart_line:\n  type: object\n  properties:\n    user_id: required\n    account_id: optional\n"),
         ["CG0224 fields/extra.yaml:8:5"]),
    Case("object-member-name-collision", "members user_id and user__id of one object",
         fields("user__id:\n  type: integer\ncart_line:\n  type: object\n  properties:\n    user_id: required\n    user__id: optional\n"),
         ["CG0210 fields/extra.yaml:7:5", "CG0210 fields/extra.yaml:7:5"]),
    Case("object-type-name-collision", "the object type of field login_v1 is also the class of event login version 1",
         {"fields/extra.yaml": "login_v1:\n  type: object\n  properties: {user_id: required}\n", "events/login.yaml": event(body="    fields:\n      login_v1: optional\n")},
         ["CG0210 fields/extra.yaml:1:1", "CG0210 fields/extra.yaml:1:1", "CG0210 fields/extra.yaml:1:1"]),
    Case("object-type-enum-collision", "an object type and an enum type of one name (cart_line, cart__line)",
         {"fields/extra.yaml": "cart__line:\n  type: string\n  enum: [a]\ncart_line:\n  type: object\n  properties: {cart__line: required}\n",
          "events/login.yaml": event(body="    fields:\n      cart_line: optional\n")},
         ["CG0210 fields/extra.yaml:4:1", "CG0210 fields/extra.yaml:4:1", "CG0210 fields/extra.yaml:4:1"]),
    # --- several at once: every problem is reported, without follow-up errors ----------
    Case("many-files-broken", "one problem in each of several files; the other files still resolve",
         {"fields/extra.yaml": "tags:\n\ttype: string\n", "environments/app.yaml": "- app\n", "events/logout.yaml": event(name="logout", id=1, envs="[web, app]")},
         ["CG0001 fields/extra.yaml:2:1", "CG0003 environments/app.yaml:1:1", "CG0203 events/logout.yaml:2:5"]),
]


def write_case(case: Case) -> None:
    folder = HERE / case.name
    if folder.exists():
        _make_writable(folder)
        shutil.rmtree(folder)
    folder.mkdir()
    files: dict[str, object] = dict(BASE)
    files.update(case.files)
    for rel, content in sorted(files.items()):
        if content is None:
            continue
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, tuple) and content[0] is SYMLINK:
            os.symlink(content[1], path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            assert isinstance(content, str)
            path.write_bytes(content.encode("utf-8"))
    lines = [f"# {case.about}", f"exit {case.exit}", *case.extra, *sorted(case.expect)]
    (folder / "expect.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _make_writable(folder: Path) -> None:
    for dirpath, dirnames, _ in os.walk(folder):
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)


def main() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    for stale in HERE.iterdir():
        if stale.is_dir() and stale.name not in names and (stale / "expect.txt").exists():
            shutil.rmtree(stale)
    for case in CASES:
        write_case(case)
    print(f"wrote {len(CASES)} cases to {HERE}")


if __name__ == "__main__":
    main()
