"""`clickgen new-version EVENT`: the latest version is copied as max+1 by editing the
text, so comments, quoting and layout survive; the result validates and passes the
append-only rules."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from clickgen.cli import main
from clickgen.history import check_history
from clickgen.new_version import NewVersionProblem, append_version
from gitrepo import GitRepo


def d(text: str) -> str:
    return textwrap.dedent(text)


LAYOUTS = {
    "comments and trailing keys": (
        """\
        event: login   # the login event
        id: 10
        versions:
          1:   # first
            fields:
              user_id: required   # always
          2:
            description: Adds the type.
            fields:
              # who logs in
              user_id: required
              user_type: optional   # may be unknown
        # links for analysts
        docs: [https://wiki/login]
        """,
        """\
        event: login   # the login event
        id: 10
        versions:
          1:   # first
            fields:
              user_id: required   # always
          2:
            description: Adds the type.
            fields:
              # who logs in
              user_id: required
              user_type: optional   # may be unknown
          3:
            fields:
              # who logs in
              user_id: required
              user_type: optional   # may be unknown
        # links for analysts
        docs: [https://wiki/login]
        """,
        3,
        13,
    ),
    "blank lines between versions, multi-line description and deprecation dropped": (
        """\
        event: login
        versions:

            '1':
                fields: {user_id: required}

            '2':
                description: >
                    Adds the type,
                    on two lines.
                deprecated:
                    reason: wrong type
                fields:
                    user_id: required
                    user_type: optional

        owner: team-auth
        """,
        """\
        event: login
        versions:

            '1':
                fields: {user_id: required}

            '2':
                description: >
                    Adds the type,
                    on two lines.
                deprecated:
                    reason: wrong type
                fields:
                    user_id: required
                    user_type: optional

            '3':
                fields:
                    user_id: required
                    user_type: optional

        owner: team-auth
        """,
        3,
        17,
    ),
    "latest version is not the last entry": (
        """\
        versions:
          2:
            fields: {a: required}
          1:
            fields: {b: required}
        """,
        """\
        versions:
          2:
            fields: {a: required}
          1:
            fields: {b: required}
          3:
            fields: {a: required}
        """,
        3,
        6,
    ),
    "flow-style version value, no newline at the end": (
        'versions:\n  1: {fields: {user_id: required}}\n  "2": {fields: {user_id: optional}}',
        'versions:\n  1: {fields: {user_id: required}}\n  "2": {fields: {user_id: optional}}\n  "3": {fields: {user_id: optional}}\n',
        3,
        4,
    ),
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layouts(name: str) -> None:
    before, expected, number, line = LAYOUTS[name]
    result = append_version(d(before), "events/login.yaml")
    assert result.text == d(expected)
    assert (result.number, result.copied_from, result.line) == (number, number - 1, line)


def test_crlf_line_endings_are_kept() -> None:
    text = "event: x\r\nversions:\r\n  1:\r\n    fields:\r\n      a: required\r\n"
    result = append_version(text, "events/x.yaml")
    assert result.text == text + "  2:\r\n    fields:\r\n      a: required\r\n"


def test_flow_style_versions_are_refused() -> None:
    with pytest.raises(NewVersionProblem, match="flow style"):
        append_version("event: x\nversions: {1: {fields: {a: required}}}\n", "events/x.yaml")


def test_command_edits_the_file_and_the_result_passes_the_append_only_rules(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    (repo.root / "events/auth/login.yaml").write_bytes(b"\xef\xbb\xbf" + repo.read("events/auth/login.yaml").encode())
    repo.commit("bom")
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "new-version", "login"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "events/auth/login.yaml:16: added version 3 of `login` (a copy of version 2); edit its fields and add a description of what changed\n"
    raw = (repo.root / "events/auth/login.yaml").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").endswith(
        "      user_type: optional\n  3:\n    fields:\n      user_id: required   # always known after login\n      user_type: optional\n"
    )
    history = check_history(repo.root, "main")
    assert history.ok and [d.code for d in history.diagnostics] == []


def test_warnings_of_the_new_version_are_shown(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("fields/user.yaml", "  description: Kind of account.\n", "  description: Kind of account.\n  deprecated: {reason: use account_kind}\n")
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "new-version", "login"])
    assert result.exit_code == 0
    assert "warning[CG0222]" in result.stderr and "user_type" in result.stderr


def test_reference_with_errors_is_not_edited(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("events/search/search.yaml", "id: 20", "id: 10")  # duplicate event id
    before = repo.read("events/auth/login.yaml")
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "new-version", "login"])
    assert result.exit_code == 1 and "fix them first" in result.stderr and "CG0203" in result.stderr
    assert repo.read("events/auth/login.yaml") == before


def test_unknown_event_and_flow_versions_are_usage_errors(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "new-version", "logn"])
    assert result.exit_code == 2 and "did you mean `login`?" in result.stderr
    repo.edit("events/search/search.yaml", "versions:\n  1:\n    fields:\n      search_query: required\n      item_ids: optional\n      code: optional\n      price: optional\n",
              "versions: {1: {fields: {search_query: required}}}\n")
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "new-version", "search"])
    assert result.exit_code == 2 and "flow style" in result.stderr
