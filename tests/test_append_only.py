"""Append-only rules (`validate --base`): for every rule a history that violates it
and a near-miss that is allowed, then the special cases of histories: files moved,
versions added and edited within a branch, shallow clones, detached HEADs, refs that
do not exist, folders that are not repositories, references in sub-folders, and
`--head REF`.

Each case starts from `gitrepo.BASE_REFERENCE` committed on `main` and changes the
working tree (or commits on a branch); the head is compared with `main`.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clickgen.cli import main
from clickgen.diagnostics import CODES, Severity
from clickgen.frontend import analyze
from clickgen.gitsource import GitSource, analyze_stages, base_reference, open_repository, resolve_revision
from clickgen.history import History, check_history
from clickgen.ir import dump
from clickgen.load import FolderSource
from gitrepo import BASE_REFERENCE, GitRepo

Edit = tuple[Any, ...]


def apply(repo: GitRepo, edits: list[Edit]) -> None:
    for action, *args in edits:
        getattr(repo, action)(*args)


def errors(history: History) -> list[str]:
    return sorted(d.code for d in history.diagnostics if d.severity is Severity.ERROR)


def of_severity(history: History, severity: Severity) -> list[str]:
    return sorted(d.code for d in history.diagnostics if d.severity is severity)


MODERATION_DEPRECATED = ("edit", "environments/moderation.yaml", "langpacks: [php]", "langpacks: [php]\ndeprecated: {reason: merged into backend}")
LOGIN_V3 = (
    "edit",
    "events/auth/login.yaml",
    "      user_type: optional\n",
    "      user_type: optional\n  3:\n    description: Account type is required.\n    fields:\n      user_id: required\n      user_type: required\n",
)
NEW_EVENT = """\
    event: signup
    id: {id}
    owner: team-auth
    environments: [backend]
    versions:
      1:
        fields:
          user_id: required
    """
NEW_ENVIRONMENT = """\
    name: web
    source_id: {id}
    langpacks: [go]
    """

# rule code -> (violating edits, the errors they must give, near-miss edits that are allowed)
RULE_CASES: dict[str, tuple[list[Edit], list[str], list[Edit]]] = {
    "CG0301": (
        [("edit", "fields/user.yaml", "legacy_flag:\n  type: boolean\n  description: Set by the old client.\n", "")],
        ["CG0301"],
        [("edit", "fields/user.yaml", "  description: Set by the old client.\n", "  description: Set by the old client.\n  deprecated: {reason: not sent any more}\n")],
    ),
    "CG0302": (
        [("delete", "environments/moderation.yaml")],
        ["CG0302"],
        [MODERATION_DEPRECATED],
    ),
    "CG0303": (
        [("delete", "events/search/search.yaml")],
        ["CG0303"],
        [("edit", "events/search/search.yaml", "environments: [backend]", "environments: [backend]\ndeprecated: {reason: replaced by a new search}")],
    ),
    "CG0304": (
        [("edit", "events/auth/login.yaml", "  2:\n    description: Adds the account type.\n    fields:\n      user_id: required   # always known after login\n      user_type: optional\n", "")],
        ["CG0304"],
        [("edit", "events/auth/login.yaml", "    description: Adds the account type.\n", "    description: Adds the account type.\n    deprecated: {reason: use version 3}\n"), LOGIN_V3],
    ),
    "CG0305": (
        [("edit", "events/auth/login.yaml", "environments: [backend, ios-app]", "environments: [backend]")],
        ["CG0305"],
        [("edit", "events/auth/login.yaml", "environments: [backend, ios-app]", "environments: [backend, ios-app, moderation]")],
    ),
    "CG0306": (
        [("edit", "environments/backend.yaml", "langpacks: [python, go]", "langpacks: [python]"),
         ("edit", "environments/ios-app.yaml", "langpacks: [python]", "langpacks: [python, go]\ngenerations: {python: [2], go: [1]}")],
        ["CG0306", "CG0306"],
        [("edit", "environments/backend.yaml", "langpacks: [python, go]", "langpacks: [python, go, php]\ngenerations: [1, 2]")],
    ),
    "CG0310": (
        [("move", "events/search/search.yaml", "events/search/item_search.yaml"), ("edit", "events/search/item_search.yaml", "event: search", "event: item_search")],
        ["CG0310"],
        [("write", "events/search/item_search.yaml", BASE_REFERENCE["events/search/search.yaml"].replace("event: search", "event: item_search").replace("id: 20", "id: 21"))],
    ),
    "CG0311": (
        [("move", "environments/moderation.yaml", "environments/moderation-daemon.yaml"), ("edit", "environments/moderation-daemon.yaml", "name: moderation", "name: moderation-daemon")],
        ["CG0311"],
        [("move", "environments/moderation.yaml", "environments/daemons/moderation.yaml")],
    ),
    "CG0312": (
        [("edit", "fields/user.yaml", "legacy_flag:", "old_client_flag:")],
        ["CG0312"],
        [("edit", "fields/user.yaml", "legacy_flag:\n  type: boolean\n  description: Set by the old client.\n", ""),
         ("edit", "fields/device.yaml", "device_model:", "legacy_flag:\n  type: boolean\n  description: Set by the old client.\n\ndevice_model:")],
    ),
    "CG0315": (
        [("edit", "events/auth/login.yaml", "id: 10", "id: 11")],
        ["CG0315"],
        [("edit", "events/auth/login.yaml", "owner: team-auth", "owner: team-identity")],
    ),
    "CG0316": (
        [("edit", "events/search/search.yaml", "id: 20", "id: 30"), ("write", "events/auth/signup.yaml", NEW_EVENT.format(id=20))],
        ["CG0315", "CG0316"],
        [("write", "events/auth/signup.yaml", NEW_EVENT.format(id=21))],
    ),
    "CG0317": (
        [("edit", "environments/ios-app.yaml", "source_id: 2", "source_id: 5")],
        ["CG0317"],
        [("edit", "environments/backend.yaml", "collector: https://collector.internal/v1/events", "collector: https://collector2.internal/v1/events")],
    ),
    "CG0318": (
        [("edit", "environments/moderation.yaml", "source_id: 3", "source_id: 9"), ("write", "environments/web.yaml", NEW_ENVIRONMENT.format(id=3))],
        ["CG0317", "CG0318"],
        [("write", "environments/web.yaml", NEW_ENVIRONMENT.format(id=4))],
    ),
    "CG0320": (
        [("edit", "events/auth/login.yaml", "    fields:\n      user_id: required\n  2:", "    fields:\n      user_id: required\n      user_type: optional\n  2:")],
        ["CG0320"],
        [LOGIN_V3],
    ),
    "CG0321": (
        [("edit", "events/auth/login.yaml", "      user_type: optional\n", "")],
        ["CG0321"],
        [LOGIN_V3, ("edit", "events/auth/login.yaml", "      user_type: required\n", "")],
    ),
    "CG0322": (
        [("edit", "events/auth/login.yaml", "      user_type: optional\n", "      user_type: required\n")],
        ["CG0322"],
        [LOGIN_V3],
    ),
    "CG0323": (
        [("edit", "events/auth/login.yaml", "      user_type: optional\n", "      user_type: optional\n  4:\n    fields:\n      user_id: required\n")],
        ["CG0208", "CG0323"],
        [("edit", "events/auth/login.yaml", "      user_type: optional\n", "      user_type: optional\n  3:\n    fields:\n      user_id: required\n  4:\n    fields:\n      user_id: optional\n")],
    ),
    "CG0330": (
        [("edit", "fields/search.yaml", "  type: number\n  minimum: 0", "  type: integer\n  minimum: 0")],
        ["CG0330"],
        [("edit", "fields/search.yaml", "description: Price in the currency.", "description: Price, in the currency of `code`.")],
    ),
    "CG0331": (
        [("edit", "fields/search.yaml", "items: integer", "items: string")],
        ["CG0331"],
        [("edit", "fields/search.yaml", "  max_items: 50\n", "  max_items: 50\n  examples: [[1, 2]]\n")],
    ),
    "CG0325": (
        [("edit", "fields/cart.yaml", "    price: optional\n", "    price: optional\n    user_id: optional\n")],
        ["CG0325"],
        [("edit", "fields/cart.yaml", "    code: required\n    price: optional\n", "    price: optional\n    code: required   # the currency\n")],
    ),
    "CG0326": (
        [("edit", "fields/cart.yaml", "    price: optional\n", "")],
        ["CG0326"],
        [("edit", "fields/cart.yaml", "  description: One line of a cart.\n", "  description: One line of a shopping cart.\n")],
    ),
    "CG0327": (
        [("edit", "fields/cart.yaml", "price: optional", "price: required")],
        ["CG0327"],
        [("edit", "fields/cart.yaml", "  properties:\n    code: required\n    price: optional\n", "  properties: {code: required, price: optional}\n")],
    ),
    "CG0332": (
        [("edit", "fields/user.yaml", "enum: [private, company]", "enum: [private, company, shop]")],
        ["CG0332"],
        [("edit", "fields/user.yaml", "enum: [private, company]", "enum: [company, private]")],
    ),
    "CG0333": (
        [("edit", "fields/user.yaml", "enum: [private, company]", "enum: [private]")],
        ["CG0333"],
        [("edit", "fields/user.yaml", "enum: [private, company]", "enum:\n    - private   # a person\n    - company")],
    ),
    "CG0334": (
        [("edit", "fields/search.yaml", "max_length: 500", "max_length: 200\n  min_length: 1"), ("edit", "fields/user.yaml", "minimum: 1", "minimum: 2")],
        ["CG0334", "CG0334", "CG0334"],
        [("edit", "fields/user.yaml", "minimum: 1", "minimum: 1.0")],
    ),
    "CG0335": (
        [("edit", "fields/search.yaml", "max_length: 500", "max_length: 1000"), ("edit", "fields/search.yaml", "  minimum: 0\n", ""), ("edit", "fields/user.yaml", "  enum: [private, company]\n", "")],
        ["CG0335", "CG0335", "CG0335"],
        [("edit", "fields/search.yaml", "max_length: 500", "max_length: 500   # bytes, not characters")],
    ),
    "CG0336": (
        [("edit", "fields/search.yaml", "pattern: '[A-Z]{3}'", "pattern: '[A-Z]{2,3}'")],
        ["CG0336"],
        [("edit", "fields/search.yaml", "pattern: '[A-Z]{3}'", 'pattern: "[A-Z]{3}"')],
    ),
    "CG0337": (
        [("edit", "fields/search.yaml", "  max_length: 500\n", "  max_length: 500\n  key: searchQuery\n")],
        ["CG0337"],
        [("edit", "fields/search.yaml", "  max_length: 500\n", "  max_length: 500\n  key: search_query\n")],
    ),
    "CG0338": (
        [("edit", "fields/search.yaml", "  max_length: 500\n", "  max_length: 500\n  format: uri\n")],
        ["CG0338"],
        [("edit", "fields/search.yaml", "  max_length: 500\n", "  max_length: 500   # format: uri one day\n")],
    ),
    "CG0340": (
        [("edit", "environments/ios-app.yaml", "  device_model: optional\n", "")],
        ["CG0340"],
        [("edit", "environments/ios-app.yaml", "  app_version: required\n  device_model: optional\n", "  device_model: optional\n  app_version: required\n")],
    ),
    "CG0341": (
        [("edit", "environments/ios-app.yaml", "device_model: optional", "device_model: required")],
        ["CG0341"],
        [("edit", "environments/ios-app.yaml", "device_model: optional", "device_model: optional\n  user_type: optional")],
    ),
    "CG0342": (
        [("edit", "environments/ios-app.yaml", "device_model: optional", "device_model: optional\n  legacy_flag: required")],
        ["CG0342"],
        [("edit", "environments/moderation.yaml", "langpacks: [php]", "common_fields:\n  user_id: optional\nlangpacks: [php]")],
    ),
    "CG0345": (
        [("edit", "clickgen.yaml", "name: shop", "name: shop\npython: {package_prefix: shop_events_}")],
        ["CG0345"],
        [("edit", "clickgen.yaml", "name: shop", "name: shop\npython: {package_prefix: shop_}\ndescription: The shop.")],
    ),
}


def test_every_append_only_rule_has_a_case() -> None:
    waivable = {code for code, c in CODES.items() if code.startswith("CG03") and c.severity is Severity.ERROR}
    assert waivable == set(RULE_CASES)


@pytest.mark.parametrize("code", sorted(RULE_CASES))
def test_rule_fires(tmp_path: Path, code: str) -> None:
    repo = GitRepo.with_base(tmp_path)
    edits, expected, _ = RULE_CASES[code]
    apply(repo, edits)
    history = check_history(repo.root, "main")
    assert errors(history) == sorted(expected), [str(d.span) + " " + d.message for d in history.diagnostics]
    for d in history.diagnostics:
        if d.code == code:
            assert d.hint, f"{code} has no hint"


@pytest.mark.parametrize("code", sorted(RULE_CASES))
def test_rule_near_miss_is_allowed(tmp_path: Path, code: str) -> None:
    repo = GitRepo.with_base(tmp_path)
    _, _, near_miss = RULE_CASES[code]
    apply(repo, near_miss)
    history = check_history(repo.root, "main")
    assert errors(history) == [], [str(d.span) + " " + d.message for d in history.diagnostics]
    assert of_severity(history, Severity.WARNING) == []


def test_unchanged_reference_has_no_findings(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    history = check_history(repo.root, "main")
    assert history.diagnostics == [] and history.findings == []


# --- positions and messages ------------------------------------------------------------


def test_deletion_points_at_the_base_file_and_line(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.delete("events/search/search.yaml")
    [d] = check_history(repo.root, "main").diagnostics
    assert (d.code, str(d.span)) == ("CG0303", "events/search/search.yaml:1:8")
    assert "at `main`" in d.message and "deprecated" in d.hint


def test_version_deletion_points_at_the_released_version(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    apply(repo, RULE_CASES["CG0304"][0])
    [d] = check_history(repo.root, "main").diagnostics
    assert str(d.span) == "events/auth/login.yaml:11:3" and "version 2" in d.message and "at `main`" in d.message


def test_change_points_at_the_line_in_the_new_file(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("fields/search.yaml", "max_length: 500", "max_length: 200")
    [d] = check_history(repo.root, "main").diagnostics
    assert (d.code, str(d.span)) == ("CG0334", "fields/search.yaml:3:15")
    assert "from 500 to 200" in d.message and "used 1 time" in d.message


def test_rename_says_rename_not_delete(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    apply(repo, RULE_CASES["CG0310"][0])
    [d] = check_history(repo.root, "main").diagnostics
    assert d.code == "CG0310" and "renamed to `item_search` (same id 20)" in d.message
    assert d.span.path == "events/search/item_search.yaml" and [str(s) for s in d.related] == ["events/search/search.yaml:1:8"]


def test_metadata_edits_are_notes(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("events/auth/login.yaml", "description: User logged in.", "description: The user logged in.\ndocs: ['https://wiki/login']")
    repo.edit("fields/user.yaml", "  description: Set by the old client.\n", "  description: Set by the old client.\n  deprecated: {reason: gone, replaced_by: user_type}\n")
    history = check_history(repo.root, "main")
    assert errors(history) == []
    notes = sorted((d.code, d.message) for d in history.diagnostics)
    assert notes == [
        ("CG0350", "description of event `login` changed"),
        ("CG0350", "docs links of event `login` changed"),
        ("CG0351", "field `legacy_flag` is deprecated, replaced by `user_type`"),
    ]


def test_head_errors_do_not_look_like_deletions(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("events/search/search.yaml", "owner: team-search", "owner: [team-search")  # YAML syntax error
    repo.edit("fields/user.yaml", "  type: boolean", "  type: bool")  # schema error in one field
    repo.edit("fields/device.yaml", "device_model:\n  type: string", "device_model:\n  type: [string")  # the whole file is unreadable
    codes = errors(check_history(repo.root, "main"))
    assert codes and all(not c.startswith("CG03") for c in codes), codes


# --- waivers ---------------------------------------------------------------------------


def _waive(repo: GitRepo, *entries: str) -> None:
    repo.edit("clickgen.yaml", "waivers: []", "waivers:\n" + "".join(f"  - {e}\n" for e in entries))


def test_waiver_silences_exactly_its_violation(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("fields/search.yaml", "  type: number\n  minimum: 0", "  type: integer\n  minimum: 0")
    repo.edit("events/auth/login.yaml", "id: 10", "id: 11")
    _waive(repo, "{rule: CG0330, entity: 'field:price', reason: prices were always whole roubles (TICKET-1)}")
    history = check_history(repo.root, "main")
    assert errors(history) == ["CG0315"]
    [(finding, waiver)] = history.waived
    assert (finding.code, finding.entity, waiver.reason) == ("CG0330", "field:price", "prices were always whole roubles (TICKET-1)")


def test_waiver_for_a_version(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("events/auth/login.yaml", "      user_type: optional\n", "      user_type: required\n")
    _waive(repo, "{rule: CG0322, entity: 'event:login@2', reason: no client sends version 2 yet}")
    history = check_history(repo.root, "main")
    assert history.diagnostics == [] and len(history.waived) == 1


def test_unused_waiver_is_a_warning(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    _waive(repo, "{rule: CG0330, entity: 'field:price', reason: old exception}")
    history = check_history(repo.root, "main")
    [d] = history.diagnostics
    assert (d.code, d.severity, str(d.span)) == ("CG0390", Severity.WARNING, "clickgen.yaml:4:5")
    assert history.ok


def test_waiver_in_the_wrong_form_is_a_warning_and_waives_nothing(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("events/auth/login.yaml", "      user_type: optional\n", "      user_type: required\n")
    _waive(
        repo,
        "{rule: CG0322, entity: 'event:login', reason: the version is missing}",
        "{rule: CG0201, entity: 'field:x', reason: not an append-only rule}",
        '{rule: CG0330, entity: "field:\\nprice", reason: a line break}',
    )
    history = check_history(repo.root, "main")
    assert errors(history) == ["CG0322"]
    assert of_severity(history, Severity.WARNING) == ["CG0391", "CG0391", "CG0391"]
    assert any("event:<name>@<version>" in d.message for d in history.diagnostics)
    assert all("\n" not in d.message for d in history.diagnostics)


# --- histories -------------------------------------------------------------------------


def test_file_moved_to_another_folder_is_the_same_entity(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.move("events/search/search.yaml", "events/discovery/search.yaml")
    repo.move("fields/search.yaml", "fields/discovery/search-fields.yaml")
    repo.move("environments/ios-app.yaml", "environments/mobile/ios-app.yaml")
    assert check_history(repo.root, "main").diagnostics == []


def test_version_added_and_edited_in_the_branch_is_not_released(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.branch("feature")
    apply(repo, [LOGIN_V3])
    repo.commit("add login v3")
    repo.edit("events/auth/login.yaml", "      user_type: required\n", "      user_type: optional\n      device_model: optional\n", count=1)
    repo.commit("edit login v3")
    assert "      user_type: optional\n      device_model: optional\n" in repo.read("events/auth/login.yaml").split("  3:")[1]
    assert check_history(repo.root, "main").diagnostics == []
    # ... but once merged, version 3 is released
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "feature")
    repo.edit("events/auth/login.yaml", "      device_model: optional\n", "")
    assert errors(check_history(repo.root, "main")) == ["CG0321"]


def test_base_ref_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "validate", "--base", "origin/nope"])
    assert result.exit_code == 2
    assert "`origin/nope` is not a commit" in result.stderr and "git fetch origin" in result.stderr


def test_not_a_git_repository_is_a_usage_error(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    for name, text in BASE_REFERENCE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    result = CliRunner().invoke(main, ["--reference", str(root), "validate", "--base", "main"])
    assert result.exit_code == 2 and "not inside a git repository" in result.stderr


def test_reference_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path, subdir="analytics/reference")
    (tmp_path / "README.md").write_text("not part of the reference\n")
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "stray.yaml").write_text("not: a reference file\n")
    repo.commit("other files")
    repo.delete("events/search/search.yaml")
    history = check_history(repo.root, "main")
    assert errors(history) == ["CG0303"]
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "validate", "--base", "main", "--format", "github"])
    assert result.exit_code == 1
    assert "::error file=analytics/reference/events/search/search.yaml,line=1,col=8,title=CG0303 event-deleted::" in result.stdout


def test_reference_that_does_not_exist_at_the_base_is_all_new(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    (tmp_path / "README.md").write_text("a repository before its reference\n")
    repo.commit("start")
    for name, text in BASE_REFERENCE.items():
        repo.write(name, text)
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "validate", "--base", "main"])
    assert result.exit_code == 0 and "no reference at main, so all of it is new" in result.stderr


def test_detached_head(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("events/auth/login.yaml", "owner: team-auth", "owner: team-identity")
    repo.commit("owner")
    repo.git("checkout", "-q", "--detach", "HEAD")
    repo.edit("events/auth/login.yaml", "id: 10", "id: 12")
    assert errors(check_history(repo.root, "main")) == ["CG0315"]
    assert errors(check_history(repo.root, "HEAD")) == ["CG0315"]
    assert errors(check_history(repo.root, "HEAD~1")) == ["CG0315"]


def test_shallow_clone(tmp_path: Path) -> None:
    origin = GitRepo.with_base(tmp_path / "origin")
    origin.edit("events/auth/login.yaml", "owner: team-auth", "owner: team-identity")
    origin.commit("second")
    clone = tmp_path / "clone"
    origin.git("clone", "-q", "--depth", "1", "--no-local", f"file://{origin.path}", str(clone), cwd=tmp_path)
    result = CliRunner().invoke(main, ["--reference", str(clone), "validate", "--base", "origin/main"])
    assert result.exit_code == 0, result.stderr
    (clone / "events/search/search.yaml").unlink()
    result = CliRunner().invoke(main, ["--reference", str(clone), "validate", "--base", "origin/main"])
    assert result.exit_code == 1 and "CG0303" in result.stderr
    # the parent commit was not fetched: say so, and how to fetch it
    result = CliRunner().invoke(main, ["--reference", str(clone), "validate", "--base", "HEAD~1"])
    assert result.exit_code == 2 and "shallow clone" in result.stderr and "fetch" in result.stderr


def test_head_ref_reads_the_head_from_git(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.branch("feature")
    repo.edit("events/auth/login.yaml", "id: 10", "id: 11")
    repo.commit("break the id")
    repo.edit("events/auth/login.yaml", "id: 11", "id: 10")  # fixed in the working tree only
    assert errors(check_history(repo.root, "main")) == []
    assert errors(check_history(repo.root, "main", "feature")) == ["CG0315"]
    runner = CliRunner()
    result = runner.invoke(main, ["--reference", str(repo.root), "validate", "--base", "main", "--head", "feature", "--format", "json"])
    assert result.exit_code == 1
    [d] = json.loads(result.stdout)["diagnostics"]
    assert (d["code"], d["name"], d["path"], d["line"]) == ("CG0315", "event-id-changed", "events/auth/login.yaml", 3)
    result = runner.invoke(main, ["--reference", str(repo.root), "validate", "--head", "feature"])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(main, ["--reference", str(repo.root), "validate", "--base", "main", "--head", "nope"])
    assert result.exit_code == 2


# --- the base analysis that shares the head's files -----------------------------------


def test_analyze_stages_is_analyze(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "reference"
    assert analyze_stages(FolderSource(example)).analysis == analyze(FolderSource(example))


def test_base_sharing_files_equals_a_full_analysis_of_the_base(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("fields/user.yaml", "minimum: 1", "minimum: 5")
    repo.edit("fields/search.yaml", "  type: number", "  type: [number")  # broken in the head only
    repo.delete("events/search/search.yaml")
    repo.move("environments/ios-app.yaml", "environments/x/ios-app.yaml")
    repository = open_repository(repo.root)
    source = GitSource(repository, resolve_revision(repository, "main"), "main")
    shared = base_reference(source, analyze_stages(FolderSource(repo.root)))
    full = analyze(GitSource(repository, resolve_revision(repository, "main"), "main")).reference
    assert shared is not None and dump(shared) == dump(full)


# --- documentation and hooks stay in step with the catalogue ---------------------------

PROJECT = Path(__file__).resolve().parent.parent


def test_rules_md_documents_every_rule() -> None:
    text = (PROJECT / "docs" / "rules.md").read_text(encoding="utf-8")
    table, examples = text.split("In the examples below", 1)
    for code, info in CODES.items():
        if code.startswith("CG03"):
            assert f"| {code} | `{info.name}` | {info.summary.split(' (')[0]}" in table.replace("note: ", "").replace("warning: ", ""), code
            assert f"{code} `{info.name}`" in examples, f"{code} has no example section in docs/rules.md"


def test_waiver_entity_table_matches_the_rules() -> None:
    from clickgen.waivers import ENTITY_FORMS, RULE_ENTITY

    text = (PROJECT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert set(RULE_ENTITY) == set(RULE_CASES)
    for kind, form in ENTITY_FORMS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{form}` |"))
        listed: set[str] = set()
        for part in row.split("|")[2].split(","):
            bounds = [int(c.strip()[2:]) for c in part.split("–")]
            listed |= {f"CG{n:04d}" for n in range(bounds[0], bounds[-1] + 1) if f"CG{n:04d}" in CODES}
        assert listed == {code for code, k in RULE_ENTITY.items() if k == kind}, kind


def test_pre_commit_hooks() -> None:
    import re

    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())}
    validate = hooks["clickgen-validate"]
    assert (validate["entry"], validate["pass_filenames"], validate["language"]) == ("clickgen validate", False, "python")
    files = re.compile(validate["files"])
    for path in ("clickgen.yaml", "fields/user.yaml", "events/auth/login.yml", "analytics/reference/environments/ios.yaml"):
        assert files.search(path), path
    for path in ("README.md", "events/notes.txt", "build/ios/fields.yaml.bak", "myclickgen.yaml"):
        assert not files.search(path), path
    assert hooks["clickgen-validate-base"]["entry"] == "clickgen validate --base"


def test_array_of_objects_names_its_object_in_the_contract(tmp_path: Path) -> None:
    """Pointing a released array at another object field is an items change (CG0331), by name."""
    repo = GitRepo.with_base(tmp_path)
    repo.edit("fields/cart.yaml", "items: cart_line", "items: cart_line_v2")
    repo.write("fields/cart2.yaml", "cart_line_v2:\n  type: object\n  properties:\n    code: required\n")
    history = check_history(repo.root, "main")
    assert errors(history) == ["CG0331"]
    (finding,) = [d for d in history.diagnostics if d.code == "CG0331"]
    assert "from cart_line to cart_line_v2" in finding.message
    assert str(finding.span) == "fields/cart.yaml:10:10"


def test_member_contract_changes_are_the_member_fields_own(tmp_path: Path) -> None:
    """A member keeps its own contract: tightening it is reported on the member field, once."""
    repo = GitRepo.with_base(tmp_path)
    repo.edit("fields/search.yaml", "pattern: '[A-Z]{3}'", "pattern: '[A-Z]{2}'")
    history = check_history(repo.root, "main")
    assert errors(history) == ["CG0336"]
