"""The broken-reference corpus: tests/broken/<case>/ is a small reference with one kind
of defect, and its expect.txt names the exact diagnostics `clickgen validate` must
report (see tests/broken/make_corpus.py for the format and to regenerate the folders).

Each case is copied to a temporary folder (so permissions can be changed), validated
through the command line with `--format json`, and the set of `CODE path:line:col`
compared exactly: a missing diagnostic, an extra one (a follow-up error, say) or a
moved position fails the case.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from clickgen.diagnostics import CODES

BROKEN = Path(__file__).resolve().parent / "broken"
CASE_NAMES = sorted(p.name for p in BROKEN.iterdir() if (p / "expect.txt").is_file())
# Codes no file can trigger, and where they are tested instead.
NOT_IN_CORPUS = {"CG0100": "tests/test_loader.py::test_schema_fallback_code (no schema keyword of schema/ reaches it)"}


@dataclass
class Expectation:
    exit: int = 1
    diagnostics: list[str] = field(default_factory=list)
    chmod: list[tuple[int, str]] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    covers: list[str] = field(default_factory=list)


def read_expectation(case: Path) -> Expectation:
    out = Expectation()
    for number, raw in enumerate((case / "expect.txt").read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word == "exit":
            out.exit = int(rest)
        elif word == "chmod":
            mode, _, path = rest.partition(" ")
            out.chmod.append((int(mode, 8), path))
        elif word == "stderr":
            out.stderr.append(rest)
        elif word == "covers":
            out.covers.append(rest)
        elif word.startswith("CG"):
            assert word in CODES, f"{case.name}/expect.txt:{number}: unknown code {word}"
            assert rest.count(":") == 2, f"{case.name}/expect.txt:{number}: write `CODE path:line:col`"
            out.diagnostics.append(line)
        else:
            raise AssertionError(f"{case.name}/expect.txt:{number}: cannot read {raw!r}")
    return out


def _restore_permissions(root: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755 if os.path.isdir(path) else 0o644)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_broken_reference(name: str, tmp_path: Path, clickgen_cli) -> None:  # type: ignore[no-untyped-def]
    case = BROKEN / name
    expect = read_expectation(case)
    root = tmp_path / name
    shutil.copytree(case, root, symlinks=True, ignore=shutil.ignore_patterns("expect.txt"))
    try:
        for mode, rel in expect.chmod:
            target = root / rel
            os.chmod(target, mode)
            readable = os.access(target, os.R_OK | (os.X_OK if target.is_dir() else 0))
            if readable and not mode & stat.S_IRUSR:
                pytest.skip(f"permissions are not enforced here (running as root?): {rel} stays readable after chmod {mode:o}")
        result = clickgen_cli("--reference", root, "validate", "--format", "json")
        text = clickgen_cli("--reference", root, "validate")
    finally:
        _restore_permissions(root)
    assert result.exit_code == expect.exit, result.stdout + result.stderr
    assert text.exit_code == expect.exit
    for fragment in expect.stderr:
        assert fragment in result.stderr, result.stderr
    if expect.exit == 2:
        assert result.stdout == "", "a usage error prints no report"
        assert result.stderr.startswith("clickgen: error: ")
        assert not expect.diagnostics
        return
    report = json.loads(result.stdout)["diagnostics"]
    actual = sorted(f"{d['code']} {d['path']}:{d['line']}:{d['col']}" for d in report)
    assert actual == sorted(expect.diagnostics), "\n".join(f"{d['code']} {d['path']}:{d['line']}:{d['col']}: {d['message']}" for d in report)
    for d in report:
        assert d["severity"] == CODES[d["code"]].severity.value
        assert d["message"] and d["hint"], d
    # the text report says the same, one line per diagnostic plus its hint
    listed = [line for line in text.stderr.splitlines() if "[CG" in line]
    assert len(listed) == len(report)


def test_corpus_is_large_enough() -> None:
    assert len(CASE_NAMES) >= 45, len(CASE_NAMES)


def test_corpus_covers_every_code_of_one_revision() -> None:
    """Every code from CG0001 to CG0227 is expected by at least one case (or listed in NOT_IN_CORPUS)."""
    covered: set[str] = set()
    for name in CASE_NAMES:
        expect = read_expectation(BROKEN / name)
        covered.update(line.split()[0] for line in expect.diagnostics)
        covered.update(expect.covers)
    wanted = {code for code in CODES if "CG0001" <= code <= "CG0227"}
    missing = sorted(wanted - covered - set(NOT_IN_CORPUS))
    assert not missing, f"no broken reference expects {missing}"


def test_every_case_reads_back() -> None:
    """expect.txt files parse, and the ones without diagnostics say why."""
    for name in CASE_NAMES:
        expect = read_expectation(BROKEN / name)
        assert expect.diagnostics or expect.exit == 2, name
        if expect.exit == 0:
            assert all(CODES[line.split()[0]].severity.value != "error" for line in expect.diagnostics), name
