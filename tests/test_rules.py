"""Semantic rules: for every rule in RULES, references that make it fire and near-misses
that must stay quiet (no diagnostic at all, so a near-miss also proves that no other
rule misfires on it).

Each case is a small valid reference (BASE) with a few files replaced or added.
"""

from __future__ import annotations

from typing import Any

import pytest

from clickgen.diagnostics import CODES
from clickgen.frontend import Analysis, analyze
from clickgen.rules.semantic import RULES, legacy_pattern_problem

BASE: dict[str, str] = {
    "clickgen.yaml": "name: rules\n",
    "fields/user.yaml": "user_id:\n  type: integer\n  minimum: 1\nstatus:\n  type: string\n  enum: [active, blocked]\n",
    "environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [python, go, php]\n",
    "events/login.yaml": "event: login\nid: 1\nowner: auth\nenvironments: [web]\nversions:\n  1:\n    fields:\n      user_id: required\n",
}


class MemorySource:
    def __init__(self, files: dict[str, str]) -> None:
        self.files = {k: v.encode() for k, v in files.items()}

    def list_files(self) -> tuple[list[str], list[Any]]:
        return sorted(self.files), []

    def read_bytes(self, path: str) -> bytes:
        return self.files[path]


def run(files: dict[str, str | None]) -> Analysis:
    merged: dict[str, str] = dict(BASE)
    for path, text in files.items():
        if text is None:
            merged.pop(path, None)
        else:
            merged[path] = text
    return analyze(MemorySource(merged))


def event(name: str, id: int, fields: str, envs: str = "[web]", extra: str = "", more_versions: str = "") -> str:
    body = "".join(f"      {line}\n" for line in fields.split(",") if line) if fields else ""
    return (
        f"event: {name}\nid: {id}\nowner: team\nenvironments: {envs}\n{extra}versions:\n  1:\n"
        + ("    fields:\n" + body if body else "    fields: {}\n")
        + more_versions
    )


def field_file(text: str) -> dict[str, str | None]:
    return {"fields/extra.yaml": text}


# (id, code, files, expected "path:line:col" of the diagnostics, in sorted order)
FIRES: list[tuple[str, str, dict[str, str | None], list[str]]] = [
    ("envelope-event_id", "CG0209", field_file("event_id:\n  type: integer\n"), ["fields/extra.yaml:1:1"]),
    ("envelope-langpack", "CG0209", field_file("langpack:\n  type: string\n"), ["fields/extra.yaml:1:1"]),
    ("envelope-event_uid", "CG0209", field_file("event_uid:\n  type: string\n"), ["fields/extra.yaml:1:1"]),
    ("envelope-wire-key", "CG0209", field_file("sent_at:\n  type: integer\n  key: event_time_us\n"), ["fields/extra.yaml:3:8"]),
    # two fields with one wire key in one version, and with a common field
    ("wire-key-twice-in-a-version", "CG0224",
     {"fields/extra.yaml": "uid:\n  type: integer\n  key: user_id\n", "events/login.yaml": event("login", 1, "user_id: required,uid: optional")},
     ["events/login.yaml:9:7"]),
    ("wire-key-of-a-common-field", "CG0224",
     {"fields/extra.yaml": "account:\n  type: integer\n  key: user_id\n",
      "environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [python, go, php]\ncommon_fields:\n  user_id: required\n",
      "events/login.yaml": event("login", 1, "account: optional")},
     ["events/login.yaml:8:7"]),
    # user_id / user__id: UserID in Go, getUserId() in PHP; Python keeps them apart
    ("collision-double-underscore", "CG0210",
     {"fields/extra.yaml": "user__id:\n  type: integer\n", "events/login.yaml": event("login", 1, "user_id: required,user__id: optional")},
     ["events/login.yaml:9:7", "events/login.yaml:9:7"]),
    # userid / user_id: only PHP's case-insensitive method names meet
    ("collision-php-case-insensitive", "CG0210",
     {"fields/extra.yaml": "userid:\n  type: integer\n", "events/login.yaml": event("login", 1, "user_id: required,userid: optional")},
     ["events/login.yaml:9:7"]),
    # Python: class -> class_ (keyword escaped), which is also the field class_
    ("collision-python-keyword-escape", "CG0210",
     {"fields/extra.yaml": "class:\n  type: string\nclass_:\n  type: string\n", "events/login.yaml": event("login", 1, "class: optional,class_: optional")},
     ["events/login.yaml:9:7", "events/login.yaml:9:7", "events/login.yaml:9:7"]),
    # Python: the setter of `x` is set_x, the attribute of field `set_x`
    ("collision-python-setter", "CG0210",
     {"fields/extra.yaml": "x:\n  type: string\nset_x:\n  type: string\n", "events/login.yaml": event("login", 1, "x: optional,set_x: optional")},
     ["events/login.yaml:9:7", "events/login.yaml:9:7"]),
    # Go: field `validate` gets ValidateField() so it does not hide Validate(); `validate_field` is that too
    ("collision-go-escaped-method", "CG0210",
     {"fields/extra.yaml": "validate:\n  type: string\nvalidate_field:\n  type: string\n", "events/login.yaml": event("login", 1, "validate: optional,validate_field: optional")},
     ["events/login.yaml:9:7"]),
    ("collision-events", "CG0210",
     {"events/item_view.yaml": event("item_view", 2, "user_id: required"), "events/item__view.yaml": event("item__view", 3, "user_id: required")},
     ["events/item_view.yaml:6:3", "events/item_view.yaml:6:3", "events/item_view.yaml:6:3"]),
    ("collision-events-php-only", "CG0210",
     {"events/itemview.yaml": event("itemview", 2, "user_id: required"), "events/item_view.yaml": event("item_view", 3, "user_id: required")},
     ["events/itemview.yaml:6:3"]),
    ("collision-enum-type-and-event", "CG0210",
     {"fields/extra.yaml": "login_v1:\n  type: string\n  enum: [a]\n", "events/login.yaml": event("login", 1, "login_v1: optional")},
     ["fields/extra.yaml:1:1", "fields/extra.yaml:1:1", "fields/extra.yaml:1:1"]),
    # Go: enum type + value name: StA is the constant `a` of st and the type of st_a
    ("collision-go-enum-constant-and-type", "CG0210",
     {"fields/extra.yaml": "st:\n  type: string\n  enum: [a, b]\nst_a:\n  type: string\n  enum: [x]\n", "events/login.yaml": event("login", 1, "st: optional,st_a: optional")},
     ["fields/extra.yaml:4:1"]),
    ("collision-common-fields", "CG0210",
     {"fields/extra.yaml": "user__id:\n  type: integer\n",
      "environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [go]\ncommon_fields:\n  user_id: optional\n  user__id: optional\n",
      "events/login.yaml": event("login", 1, "status: required")},
     ["environments/web.yaml:6:3"]),  # Go only: web builds no PHP langpack
    ("enum-dash-underscore", "CG0211", field_file("state:\n  type: string\n  enum: [new-item, new_item]\n"), ["fields/extra.yaml:3:20"]),
    ("enum-case", "CG0211", field_file("state:\n  type: string\n  enum: [on_hold, ON_HOLD]\n"), ["fields/extra.yaml:3:19"]),
    ("enum-punctuation-only", "CG0211", field_file("lang:\n  type: string\n  enum: [C++, C#]\n"), ["fields/extra.yaml:3:15"]),
    ("enum-transliteration", "CG0211", field_file("city:\n  type: string\n  enum: [moskva, москва]\n"), ["fields/extra.yaml:3:18"]),
    ("common-required-event-optional", "CG0212",
     {"environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [go]\ncommon_fields:\n  status: required\n", "events/login.yaml": event("login", 1, "user_id: required,status: optional")},
     ["events/login.yaml:9:7"]),
    ("replacement-missing-event", "CG0213", {"events/login.yaml": event("login", 1, "user_id: required", extra="deprecated: {reason: old, replaced_by: sign_in}\n")}, ["events/login.yaml:5:13"]),
    ("replacement-missing-environment", "CG0213",
     {"environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [go]\ndeprecated: {reason: old, replaced_by: web2}\n"}, ["environments/web.yaml:4:13"]),
    ("replacement-is-an-event-not-a-field", "CG0213",
     field_file("tags:\n  type: string\n  deprecated: {reason: old, replaced_by: login}\n"), ["fields/extra.yaml:3:15"]),
    ("enum-duplicate", "CG0214", field_file("grade:\n  type: string\n  enum: [a, b, a]\n"), ["fields/extra.yaml:3:16"]),
    ("range-min-max", "CG0215", field_file("age:\n  type: number\n  minimum: 0.5\n  maximum: 0.25\n"), ["fields/extra.yaml:3:12"]),
    ("range-items", "CG0215", field_file("tags:\n  type: array\n  items: string\n  min_items: 2\n  max_items: 1\n"), ["fields/extra.yaml:4:14"]),
    # CG0216 points at the offending character inside the pattern (`pattern: '` ends at column 12)
    ("pattern-lookbehind", "CG0216", field_file("code:\n  type: string\n  pattern: '(?<!x)y'\n"), ["fields/extra.yaml:3:13"]),
    ("pattern-backreference", "CG0216", field_file("code:\n  type: string\n  pattern: '(a)\\1'\n"), ["fields/extra.yaml:3:16"]),
    ("pattern-possessive", "CG0216", field_file("code:\n  type: string\n  pattern: 'a++'\n"), ["fields/extra.yaml:3:15"]),
    ("pattern-unicode-flag", "CG0216", field_file("code:\n  type: string\n  pattern: '(?iu)a'\n  examples: [a]\n"), ["fields/extra.yaml:3:13"]),
    ("pattern-does-not-compile", "CG0216", field_file("code:\n  type: string\n  pattern: '(a'\n  examples: [a]\n"), ["fields/extra.yaml:3:13"]),
    ("pattern-plain-scalar", "CG0216", field_file("code:\n  type: string\n  pattern: ab\\d+\n"), ["fields/extra.yaml:3:14"]),
    ("pattern-single-quoted-quote", "CG0216", field_file("code:\n  type: string\n  pattern: 'it''s$'\n"), ["fields/extra.yaml:3:18"]),
    ("pattern-double-quoted-escapes", "CG0216", field_file('code:\n  type: string\n  pattern: "\\u00e9\\\\.\\\\d"\n'), ["fields/extra.yaml:3:22"]),
    ("pattern-block-scalar", "CG0216", field_file("code:\n  type: string\n  pattern: >-\n    ab\\d\n"), ["fields/extra.yaml:3:12"]),
    ("pattern-anchors", "CG0216", field_file("code:\n  type: string\n  pattern: '^[a-z]+$'\n"), ["fields/extra.yaml:3:13"]),
    ("pattern-waived-but-never-portable", "CG0216",
     {**field_file("code:\n  type: string\n  pattern: '(?=a)a'\n"), "clickgen.yaml": "name: rules\nwaivers:\n  - {rule: CG0216, entity: 'field:code', reason: released}\n"},
     ["fields/extra.yaml:3:13"]),
    ("constraint-enum-on-integer", "CG0217", field_file("level:\n  type: integer\n  enum: ['1', '2']\n"), ["fields/extra.yaml:3:9"]),
    ("constraint-items-on-string", "CG0217", field_file("word:\n  type: string\n  items: string\n"), ["fields/extra.yaml:3:10"]),
    ("constraint-pattern-on-array-of-numbers", "CG0217", field_file("xs:\n  type: array\n  items: number\n  pattern: '[0-9]+'\n"), ["fields/extra.yaml:4:12"]),
    ("constraint-format-on-integer", "CG0217", field_file("n:\n  type: integer\n  format: uuid\n"), ["fields/extra.yaml:3:11"]),
    ("items-missing", "CG0218", field_file("tags:\n  type: array\n  max_items: 3\n"), ["fields/extra.yaml:1:1"]),
    ("example-pattern", "CG0219", field_file("code:\n  type: string\n  pattern: '[A-Z]{3}'\n  examples: [ABC, abc]\n"), ["fields/extra.yaml:4:19"]),
    ("example-array-item", "CG0219", field_file("xs:\n  type: array\n  items: integer\n  maximum: 9\n  examples: [[1, 2], [10]]\n"), ["fields/extra.yaml:5:22"]),
    ("example-type", "CG0219", field_file("flag:\n  type: boolean\n  examples: ['true']\n"), ["fields/extra.yaml:3:14"]),
    ("example-bool-is-not-an-integer", "CG0219", field_file("n:\n  type: integer\n  examples: [true]\n"), ["fields/extra.yaml:3:14"]),
    ("file-name", "CG0220", {"events/login.yaml": None, "events/log_in.yaml": event("login", 1, "user_id: required")}, ["events/log_in.yaml:1:8"]),
    ("langpacks-empty", "CG0221", {"environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: []\n"}, ["environments/web.yaml:3:12"]),
    ("deprecated-field-in-latest", "CG0222",
     {"fields/extra.yaml": "old:\n  type: string\n  deprecated: {reason: gone}\n",
      "events/login.yaml": event("login", 1, "old: optional", more_versions="  2:\n    fields:\n      old: optional\n      user_id: required\n")},
     ["events/login.yaml:11:7"]),
    ("integer-limit-low", "CG0223", field_file("n:\n  type: integer\n  minimum: -9223372036854775809\n"), ["fields/extra.yaml:3:12"]),
    ("integer-limit-array-items", "CG0223", field_file("ns:\n  type: array\n  items: integer\n  maximum: 1.0e+19\n"), ["fields/extra.yaml:4:12"]),
    ("number-limit-beyond-doubles", "CG0223", field_file(f"x:\n  type: number\n  minimum: -1{'0' * 400}\n"), ["fields/extra.yaml:3:12"]),
    ("number-example-beyond-doubles", "CG0219", field_file(f"x:\n  type: number\n  examples: [1{'0' * 400}]\n"), ["fields/extra.yaml:3:14"]),
    # five levels, the fifth through an array of objects: reported once, at the outermost
    # object that passes the limit (not at `outer`, which only holds it)
    ("objects-five-deep", "CG0226",
     field_file("".join(f"o{i}:\n  type: object\n  properties: {{o{i + 1}: required}}\n" for i in range(1, 4))
                + "o4:\n  type: object\n  properties: {o5s: optional}\no5s:\n  type: array\n  items: o5\no5:\n  type: object\n  properties: {user_id: required}\n"
                + "outer:\n  type: object\n  properties: {o1: required}\n"),
     ["fields/extra.yaml:1:1"]),
    ("object-members-share-a-wire-key", "CG0224",
     field_file("uid:\n  type: integer\n  key: user_id\nline:\n  type: object\n  properties: {user_id: required, uid: optional}\n"), ["fields/extra.yaml:6:35"]),
]

QUIET: list[tuple[str, str, dict[str, str | None]]] = [
    ("envelope-lookalikes", "CG0209", field_file("event_ids:\n  type: integer\nsource:\n  type: string\nlangpack_name:\n  type: string\nevent_time:\n  type: integer\n")),
    # a field named like an envelope key is fine when its wire key is another
    ("envelope-name-with-own-key", "CG0209", field_file("langpack:\n  type: string\n  key: client_langpack\n")),
    # fields may share a key across events, and a key may equal the field's own name
    ("wire-key-shared-across-events", "CG0224",
     {"fields/extra.yaml": "account:\n  type: integer\n  key: user_id\nplain:\n  type: string\n  key: plain\n",
      "events/signup.yaml": event("signup", 2, "account: required,plain: optional")}),
    ("formats-on-strings", "CG0217",
     field_file("at:\n  type: string\n  format: date-time\nhosts:\n  type: array\n  items: string\n  format: hostname\n")),
    ("same-names-in-different-versions", "CG0210",
     {"fields/extra.yaml": "user__id:\n  type: integer\nuserid:\n  type: integer\n",
      "events/login.yaml": event("login", 1, "user_id: required", more_versions="  2:\n    fields:\n      user__id: required\n  3:\n    fields:\n      userid: required\n")}),
    ("colliding-events-in-different-environments", "CG0210",
     {"environments/app.yaml": "name: app\nsource_id: 2\nlangpacks: [python, go, php]\n",
      "events/item_view.yaml": event("item_view", 2, "user_id: required"), "events/item__view.yaml": event("item__view", 3, "user_id: required", envs="[app]")}),
    ("plural-and-prefix-names", "CG0210",
     {"fields/extra.yaml": "user_ids:\n  type: array\n  items: integer\nuser_id_hash:\n  type: string\nid:\n  type: integer\nvalidate:\n  type: string\nclass:\n  type: string\n",
      "events/login.yaml": event("login", 1, "user_id: required,user_ids: optional,user_id_hash: optional,id: optional,validate: optional,class: optional")}),
    ("enum-type-of-an-unused-field", "CG0210", {"fields/extra.yaml": "login_v1:\n  type: string\n  enum: [a]\n"}),
    ("enum-values-distinct", "CG0211", field_file("state:\n  type: string\n  enum: [new-item, new-items, old_item, 'new item 2', Новый, 🚀, 🔥]\n")),
    ("common-field-same-requirement", "CG0212",
     {"environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [go]\ncommon_fields:\n  status: required\n", "events/login.yaml": event("login", 1, "user_id: required,status: required")}),
    ("common-field-of-another-environment", "CG0212",
     {"environments/app.yaml": "name: app\nsource_id: 2\nlangpacks: [go]\ncommon_fields:\n  status: required\n", "events/login.yaml": event("login", 1, "user_id: required,status: optional")}),
    ("replacements-exist", "CG0213",
     {"fields/extra.yaml": "old:\n  type: string\n  deprecated: {reason: r, replaced_by: status}\n",
      "events/logout.yaml": event("logout", 2, "user_id: required", extra="deprecated: {reason: r, replaced_by: login}\n"),
      "environments/app.yaml": "name: app\nsource_id: 2\nlangpacks: [go]\ndeprecated: {reason: merged}\n"}),
    ("enum-no-repeats", "CG0214", field_file("grade:\n  type: string\n  enum: [a, ab, abc]\n")),
    ("ranges-touching", "CG0215",
     field_file("age:\n  type: integer\n  minimum: 5\n  maximum: 5\ncode:\n  type: string\n  min_length: 0\n  max_length: 0\nxs:\n  type: array\n  items: string\n  min_items: 2\n  max_items: 2\n")),
    ("patterns-i-regexp", "CG0216",
     field_file("a:\n  type: string\n  pattern: '[a-zA-Z]+[0-9]{2,3}'\nb:\n  type: string\n  pattern: 'x\\\\1'\nc:\n  type: string\n  pattern: '([0-9]{4})-(0[1-9]|1[0-2])'\nd:\n  type: string\n  pattern: '\\(\\?=literal\\)\\^[$]'\n"
                "e:\n  type: string\n  pattern: '\\p{Lu}\\P{N}*.'\n")),
    ("pattern-released-and-waived", "CG0216",
     {**field_file("code:\n  type: string\n  pattern: '^\\d+$'\n  examples: ['12']\n"), "clickgen.yaml": "name: rules\nwaivers:\n  - {rule: CG0216, entity: 'field:code', reason: released before I-Regexp}\n"}),
    ("constraints-that-apply", "CG0217",
     field_file("a:\n  type: string\n  enum: [x]\n  min_length: 1\n  max_length: 2\n  pattern: '[a-z]+'\n"
                "b:\n  type: array\n  items: integer\n  minimum: 0\n  maximum: 10\n  min_items: 1\n"
                "c:\n  type: integer\n  minimum: 1.0\n  maximum: 2.0\n"
                "d:\n  type: number\n  minimum: 0.5\n")),
    ("array-with-items", "CG0218", field_file("tags:\n  type: array\n  items: boolean\n")),
    ("examples-on-the-edges", "CG0219",
     field_file("n:\n  type: integer\n  minimum: 1\n  maximum: 10\n  examples: [1, 10]\n"
                "s:\n  type: string\n  min_length: 2\n  max_length: 2\n  pattern: '[a-zа-я]+'\n  examples: [ab]\n"
                "xs:\n  type: array\n  items: string\n  enum: [a, b]\n  max_items: 2\n  examples: [[], [a, b]]\n"
                "f:\n  type: number\n  examples: [0.1, -0.0, 1, 1.0e+21]\n"
                "big:\n  type: integer\n  examples: [-9223372036854775808, 9223372036854775807]\n")),
    ("file-names-that-match", "CG0220",
     {"events/login.yaml": None, "events/auth/deep/login.yaml": event("login", 1, "user_id: required"), "events/logout.yml": event("logout", 2, "user_id: required")}),
    ("langpacks-listed", "CG0221", {"environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [php]\n"}),
    ("deprecated-field-only-in-old-versions", "CG0222",
     {"fields/extra.yaml": "old:\n  type: string\n  deprecated: {reason: gone}\n",
      "events/login.yaml": event("login", 1, "old: optional", more_versions="  2:\n    fields:\n      user_id: required\n"),
      "events/legacy.yaml": event("legacy", 2, "old: required", extra="deprecated: {reason: retired with its field}\n")}),
    ("objects-four-deep", "CG0226",
     field_file("".join(f"o{i}:\n  type: object\n  properties: {{o{i + 1}s: optional, user_id: required}}\no{i + 1}s:\n  type: array\n  items: o{i + 1}\n" for i in range(1, 4))
                + "o4:\n  type: object\n  properties: {user_id: required}\n")),
    # the same key in two objects, or in an object and the event holding it: distinct JSON objects
    ("wire-keys-per-object", "CG0224",
     {"fields/extra.yaml": "uid:\n  type: integer\n  key: user_id\na:\n  type: object\n  properties: {user_id: required}\nb:\n  type: object\n  properties: {uid: required}\n",
      "events/login.yaml": event("login", 1, "user_id: required,a: optional,b: optional")}),
    ("member-names-per-object", "CG0210",
     {"fields/extra.yaml": "user__id:\n  type: integer\na:\n  type: object\n  properties: {user_id: required}\nb:\n  type: object\n  properties: {user__id: required}\n",
      "events/login.yaml": event("login", 1, "user_id: required,a: optional,b: optional")}),
    ("integer-limits-exactly-int64", "CG0223",
     field_file("n:\n  type: integer\n  minimum: -9223372036854775808\n  maximum: 9223372036854775807\n"
                "x:\n  type: number\n  maximum: 1.0e+300\n")),
]


@pytest.mark.parametrize(("code", "files", "where"), [pytest.param(c, f, w, id=f"{c}-{i}") for i, c, f, w in FIRES])
def test_rule_fires(code: str, files: dict[str, str | None], where: list[str]) -> None:
    analysis = run(files)
    found = [(d.code, str(d.span)) for d in analysis.diagnostics]
    assert found == [(code, w) for w in where], "\n".join(f"{d.span}: {d.code} {d.message}" for d in analysis.diagnostics)
    # the rule function alone finds the same, straight from the IR
    alone = sorted(str(d.span) for d in RULES[code](analysis.reference))
    assert alone == sorted(where)
    for d in analysis.diagnostics:
        assert d.hint and d.message
        assert d.severity is CODES[code].severity


@pytest.mark.parametrize(("code", "files"), [pytest.param(c, f, id=f"{c}-{i}") for i, c, f in QUIET])
def test_rule_stays_quiet(code: str, files: dict[str, str | None]) -> None:
    analysis = run(files)
    assert analysis.diagnostics == [], "\n".join(f"{d.span}: {d.code} {d.message}" for d in analysis.diagnostics)
    assert list(RULES[code](analysis.reference)) == []


def test_every_rule_has_a_firing_case_and_a_near_miss() -> None:
    fired = {code for _, code, _, _ in FIRES}
    quiet = {code for _, code, _ in QUIET}
    assert set(RULES) <= fired, sorted(set(RULES) - fired)
    assert set(RULES) <= quiet, sorted(set(RULES) - quiet)
    assert set(RULES) <= set(CODES)


def test_base_reference_is_clean() -> None:
    assert run({}).diagnostics == []


def test_collision_messages_name_both_sides_and_the_language() -> None:
    analysis = run({"fields/extra.yaml": "userid:\n  type: integer\n", "events/login.yaml": event("login", 1, "user_id: required,userid: optional")})
    (d,) = analysis.diagnostics
    assert "`userid`" in d.message and "`user_id`" in d.message and "PHP" in d.message
    assert [str(s) for s in d.related] == ["events/login.yaml:8:7"]


def test_enum_collision_points_at_both_values() -> None:
    analysis = run(field_file("state:\n  type: string\n  enum: [new-item, new_item]\n"))
    (d,) = analysis.diagnostics
    assert "'new-item'" in d.message and "'new_item'" in d.message and "Python" in d.message
    assert [str(s) for s in d.related] == ["fields/extra.yaml:3:10"]


@pytest.mark.parametrize(
    ("pattern", "portable"),
    [
        ("[a-z]+", True),
        ("(?i)abc", True),
        ("(?ms)^a.b$", True),
        ("\\d{1,3}(\\.\\d{1,3}){3}", True),
        ("a\\\\1", True),  # an escaped backslash, then 1: not a backreference
        ("(?=a)", False),
        ("(?<=a)b", False),
        ("(?!a)", False),
        ("(a)\\1", False),
        ("(?P<x>a)(?P=x)", False),
        ("(?>a)", False),
        ("(?(1)a|b)", False),
        ("(?#comment)a", False),
        ("a*+", False),
        ("a\\Z", False),
        ("(?x) a", False),
        ("(?a)\\w", False),
        ("(?iu)a", False),
        ("[", False),
    ],
)
def test_legacy_pattern_problem(pattern: str, portable: bool) -> None:
    assert (legacy_pattern_problem(pattern) is None) is portable, legacy_pattern_problem(pattern)


def test_free_text_in_messages_is_escaped() -> None:
    """replaced_by is free text: a line break in it must not split the one-line message."""
    analysis = run({"fields/user.yaml": BASE["fields/user.yaml"].replace("  minimum: 1\n", '  minimum: 1\n  deprecated: {reason: r, replaced_by: "a\\nb\\u2028c"}\n')})
    assert [d.code for d in analysis.diagnostics] == ["CG0222", "CG0213"]
    for d in analysis.diagnostics:
        assert "\n" not in d.message and "\u2028" not in d.message
        assert "'a\\nb\\u2028c'" in d.message


def test_a_cg0216_waiver_is_valid_and_never_unused_under_base() -> None:
    """CG0216 waivers are applied by the rule itself, also without --base; the append-only
    waiver check neither refuses them nor calls them unused."""
    from clickgen.diagnostics import Span
    from clickgen.ir import Waiver
    from clickgen.waivers import apply_waivers

    waiver = Waiver("CG0216", "field:code", "released before I-Regexp", Span("clickgen.yaml", 3, 5))
    assert apply_waivers([], (waiver,), "origin/main").warnings == []
    wrong = Waiver("CG0216", "event:login", "r", Span("clickgen.yaml", 3, 5))
    assert [w.code for w in apply_waivers([], (wrong,), "origin/main").warnings] == ["CG0391"]
