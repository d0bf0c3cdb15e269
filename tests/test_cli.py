"""The front end's command line: validate (text, json, github), ir, init, exit codes
0/1/2, --reference and the upward search for clickgen.yaml."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clickgen.diagnostics import CODES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "reference"
CLICKGEN = Path(sys.executable).parent / "clickgen"

GOOD = {
    "clickgen.yaml": "name: cli\n",
    "fields/f.yaml": "user_id:\n  type: integer\n",
    "environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [go]\n",
    "events/ping.yaml": "event: ping\nid: 1\nowner: me\nenvironments: [web]\nversions:\n  1:\n    fields:\n      user_id: required\n",
}
# two errors (a duplicate key, an unknown field) and a warning (file name)
BAD = dict(
    GOOD,
    **{
        "fields/f.yaml": "user_id:\n  type: integer\n  type: string\n",
        "events/ping.yaml": None,
        "events/pong.yaml": "event: ping\nid: 1\nowner: me\nenvironments: [web]\nversions:\n  1:\n    fields:\n      user_ids: required\n",
    },
)
WARN = dict(GOOD, **{"environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: []\n"})


def write(root: Path, files: dict[str, str | None]) -> Path:
    for rel, text in files.items():
        if text is not None:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write(tmp_path / "good", GOOD)


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    return write(tmp_path / "bad", BAD)


# --- exit codes -------------------------------------------------------------------


def test_exit_0_on_a_clean_reference(clickgen_cli, good: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", good, "validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "ok: 1 event (1 version), 1 field, 1 environment\n"


def test_exit_0_with_warnings_only(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = write(tmp_path / "warn", WARN)
    result = clickgen_cli("--reference", root, "validate")
    assert result.exit_code == 0
    assert "warning[CG0221]" in result.stderr
    assert "0 errors, 1 warning\n" in result.stderr
    assert result.stderr.endswith("ok: 1 event (1 version), 1 field, 1 environment\n")


def test_exit_1_on_errors_with_text_report(clickgen_cli, bad: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", bad, "validate")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "events/pong.yaml:1:8: warning[CG0220]: event `ping` is defined in a file named `pong`\n"
        "  = hint: rename the file to ping.yaml\n"
        "events/pong.yaml:8:7: error[CG0201]: unknown field `user_ids` in `ping` version 1\n"
        "  = hint: did you mean `user_id`? Otherwise define `user_ids` in a file under fields/\n"
        "fields/f.yaml:3:3: error[CG0002]: duplicate key 'type' (first at line 2); YAML would silently keep only the last one\n"
        "  = hint: remove one of the two entries or merge them\n"
        "2 errors, 1 warning\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--format", "xml"],
        ["validate", "--no-such-option"],
        ["no-such-command"],
        ["init"],
        [],
    ],
    ids=["bad-format", "unknown-option", "unknown-command", "init-without-dir", "no-command"],
)
def test_exit_2_on_usage_errors(clickgen_cli, good: Path, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", good, *args)
    assert result.exit_code == 2, result


def test_exit_2_when_the_reference_folder_does_not_exist(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", tmp_path / "nowhere", "validate")
    assert result.exit_code == 2
    assert result.stderr.startswith("clickgen: error: ") and "is not a folder" in result.stderr
    assert result.stdout == ""


def test_exit_2_when_the_reference_is_a_file(clickgen_cli, good: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", good / "clickgen.yaml", "validate")
    assert result.exit_code == 2


@pytest.mark.parametrize("command", ["validate", "ir"])
def test_exit_2_without_clickgen_yaml(clickgen_cli, tmp_path: Path, command: str) -> None:  # type: ignore[no-untyped-def]
    root = write(tmp_path / "ref", {k: v for k, v in GOOD.items() if k != "clickgen.yaml"})
    result = clickgen_cli("--reference", root, command)
    assert result.exit_code == 2
    assert "has no clickgen.yaml" in result.stderr and "clickgen init" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("output_format", ["json", "github"])
def test_exit_2_without_clickgen_yaml_keeps_machine_formats_clean(clickgen_cli, tmp_path: Path, output_format: str) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", tmp_path, "validate", "--format", output_format)
    assert result.exit_code == 2
    assert result.stdout == ""


# --- --reference and the upward search ----------------------------------------------


def test_upward_search_from_a_nested_folder(clickgen_cli, bad: Path) -> None:  # type: ignore[no-untyped-def]
    nested = bad / "events" / "deeper" / "still"
    nested.mkdir(parents=True)
    result = clickgen_cli("validate", "--format", "json", cwd=nested)
    assert result.exit_code == 1
    paths = {d["path"] for d in json.loads(result.stdout)["diagnostics"]}
    assert paths == {"events/pong.yaml", "fields/f.yaml"}, "paths stay relative to the reference root"


def test_upward_search_from_the_root_itself(clickgen_cli, good: Path) -> None:  # type: ignore[no-untyped-def]
    assert clickgen_cli("validate", cwd=good).exit_code == 0


def test_upward_search_finds_the_nearest_reference(clickgen_cli, good: Path) -> None:  # type: ignore[no-untyped-def]
    inner = write(good / "events" / "nested-ref", BAD)  # a reference inside a reference
    result = clickgen_cli("validate", cwd=inner / "fields")
    assert result.exit_code == 1, "the nearest clickgen.yaml wins"


def test_upward_search_without_any_reference(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if any((folder / "clickgen.yaml").is_file() for folder in (tmp_path, *tmp_path.parents)):
        pytest.skip("a clickgen.yaml exists above the temporary folder")
    result = clickgen_cli("validate", cwd=tmp_path)
    assert result.exit_code == 2
    assert "no clickgen.yaml in this folder or any folder above it" in result.stderr


def test_reference_option_wins_over_the_working_folder(clickgen_cli, good: Path, bad: Path) -> None:  # type: ignore[no-untyped-def]
    assert clickgen_cli("--reference", good, "validate", cwd=bad).exit_code == 0
    assert clickgen_cli("--reference", bad, "validate", cwd=good).exit_code == 1


def test_relative_reference_path(clickgen_cli, bad: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", "bad", "validate", "--format", "json", cwd=bad.parent)
    assert result.exit_code == 1
    assert {d["path"] for d in json.loads(result.stdout)["diagnostics"]} == {"events/pong.yaml", "fields/f.yaml"}


# --- formats ------------------------------------------------------------------------


def test_json_format(clickgen_cli, bad: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", bad, "validate", "--format", "json")
    assert result.exit_code == 1
    assert result.stderr == "", "machine formats keep stderr quiet"
    report = json.loads(result.stdout)
    assert list(report) == ["diagnostics"]
    assert [(d["code"], d["path"], d["line"], d["col"], d["severity"]) for d in report["diagnostics"]] == [
        ("CG0220", "events/pong.yaml", 1, 8, "warning"),
        ("CG0201", "events/pong.yaml", 8, 7, "error"),
        ("CG0002", "fields/f.yaml", 3, 3, "error"),
    ]
    duplicate = report["diagnostics"][2]
    assert duplicate == {
        "code": "CG0002",
        "name": "duplicate-key",
        "severity": "error",
        "path": "fields/f.yaml",
        "line": 3,
        "col": 3,
        "message": "duplicate key 'type' (first at line 2); YAML would silently keep only the last one",
        "hint": "remove one of the two entries or merge them",
        "related": ["fields/f.yaml:2:3"],
    }
    for d in report["diagnostics"]:
        assert d["name"] == CODES[d["code"]].name


def test_json_format_clean(clickgen_cli, good: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", good, "validate", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout), result.stderr) == (0, {"diagnostics": []}, "")


def test_json_keeps_unicode_readable(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = write(tmp_path / "u", dict(GOOD, **{"fields/f.yaml": "user_id:\n  type: integer\nпривет:\n  type: string\n"}))
    result = clickgen_cli("--reference", root, "validate", "--format", "json")
    assert result.exit_code == 1
    assert "привет" in result.stdout, "ensure_ascii is off: no \\u escapes"
    (d,) = json.loads(result.stdout)["diagnostics"]
    assert d["message"] == '"привет" is not a valid field name'


def test_github_format(clickgen_cli, bad: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", bad, "validate", "--format", "github")
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines == [
        "::warning file=events/pong.yaml,line=1,col=8,title=CG0220 file-name-mismatch::"
        "event `ping` is defined in a file named `pong`%0Ahint: rename the file to ping.yaml",
        "::error file=events/pong.yaml,line=8,col=7,title=CG0201 unknown-field::"
        "unknown field `user_ids` in `ping` version 1%0Ahint: did you mean `user_id`? Otherwise define `user_ids` in a file under fields/",
        "::error file=fields/f.yaml,line=3,col=3,title=CG0002 duplicate-key::"
        "duplicate key 'type' (first at line 2); YAML would silently keep only the last one%0Ahint: remove one of the two entries or merge them",
    ]


def test_github_format_clean_prints_nothing(clickgen_cli, good: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", good, "validate", "--format", "github")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_github_paths_are_relative_to_the_git_work_tree(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    root = write(repo / "tracking plan" / "ref", BAD)
    result = clickgen_cli("--reference", root, "validate", "--format", "github")
    assert result.exit_code == 1
    files = [line.split("file=", 1)[1].split(",line=", 1)[0] for line in result.stdout.splitlines()]
    assert files == ["tracking plan/ref/events/pong.yaml", "tracking plan/ref/events/pong.yaml", "tracking plan/ref/fields/f.yaml"]


def test_github_escapes_properties_and_messages(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a file name with ',' and ':' (property separators) and a message with '%' and a newline
    root = write(tmp_path / "esc", dict(GOOD, **{"fields/a,b:c.yaml": "x:\n  type: string\n  enum: ['100%', \"two\\nlines\", '100%']\n"}))
    result = clickgen_cli("--reference", root, "validate", "--format", "github")
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error file=fields/a%2Cb%3Ac.yaml,line=3,col=32,title=CG0214 duplicate-enum-value::")
    assert "'100%25'" in line
    assert "\n" not in line.rstrip("\n")


# --- ir ------------------------------------------------------------------------------


def test_ir_prints_json_of_the_reference(clickgen_cli, good: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", good, "ir")
    assert result.exit_code == 0 and result.stderr == ""
    ir = json.loads(result.stdout)
    assert sorted(ir) == ["environments", "events", "fields", "settings"]
    assert ir["events"]["ping"]["versions"][0]["fields"] == [{"field": "user_id", "required": True, "span": "events/ping.yaml:8:7"}]
    assert ir["environments"]["web"]["events"] == ["ping"]
    assert ir["settings"]["python"] == {"package_prefix": "cli_", "distribution_prefix": "cli-"}


def test_ir_is_deterministic(clickgen_cli) -> None:  # type: ignore[no-untyped-def]
    first = clickgen_cli("--reference", EXAMPLE, "ir")
    second = clickgen_cli("--reference", EXAMPLE, "ir")
    assert first.exit_code == 0 and first.stdout == second.stdout


def test_ir_refuses_a_reference_with_errors(clickgen_cli, bad: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", bad, "ir")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error[CG0002]" in result.stderr and "2 errors, 1 warning" in result.stderr


def test_ir_accepts_warnings(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = write(tmp_path / "warn", WARN)
    result = clickgen_cli("--reference", root, "ir")
    assert result.exit_code == 0
    json.loads(result.stdout)


# --- init ----------------------------------------------------------------------------


def test_init_scaffolds_a_valid_reference(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "new" / "plan"
    result = clickgen_cli("init", target)
    assert result.exit_code == 0, result.stderr
    created = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert "clickgen.yaml" in created and any(p.startswith("events/") for p in created)
    assert [line for line in result.stdout.splitlines() if line.startswith("created ")] == [f"created {target / p}" for p in created]
    assert f"next: cd {target} && clickgen validate" in result.stdout
    validate = clickgen_cli("validate", cwd=target)
    assert validate.exit_code == 0 and validate.stderr.startswith("ok: ")


def test_init_into_an_existing_empty_folder(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert clickgen_cli("init", tmp_path).exit_code == 0
    assert (tmp_path / "clickgen.yaml").is_file()


def test_init_refuses_to_overwrite(clickgen_cli, good: Path) -> None:  # type: ignore[no-untyped-def]
    before = (good / "clickgen.yaml").read_text()
    result = clickgen_cli("init", good)
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert (good / "clickgen.yaml").read_text() == before
    assert not (good / "events" / "onboarding").exists(), "nothing is written when anything would be overwritten"


def test_init_into_a_file_is_a_usage_error(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert clickgen_cli("init", blocker).exit_code == 2
    nested = clickgen_cli("init", blocker / "sub")
    assert nested.exit_code == 2
    assert nested.stderr.startswith("clickgen: error: ")


# --- the installed entry point ---------------------------------------------------------


@pytest.mark.skipif(not CLICKGEN.exists(), reason="the clickgen console script is not installed next to this Python")
def test_console_script_exit_codes(tmp_path: Path) -> None:
    def run(*args: str | os.PathLike[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(CLICKGEN), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=60)

    ok = run("--reference", EXAMPLE, "validate")
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr.startswith("ok: ")
    broken = run("--reference", ROOT / "tests" / "broken" / "duplicate-key-field", "validate", "--format", "json")
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["diagnostics"][0]["code"] == "CG0002"
    missing = run("validate", cwd=tmp_path)
    assert missing.returncode == 2 or any((f / "clickgen.yaml").is_file() for f in tmp_path.parents)
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("clickgen")


def test_examples_are_not_modified_by_validation(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "example"
    shutil.copytree(EXAMPLE, copy)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    for args in (["validate"], ["validate", "--format", "json"], ["ir"]):
        assert clickgen_cli("--reference", copy, *args).exit_code == 0
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before
