"""Judge processes of the generated langpacks: build a reference's generation-1
langpacks, then start one long-lived process per langpack that reads cases on stdin
and writes one verdict per case (protocol: README.md in this folder).

Each driver reuses the code the langpack's own tests build the shared vectors with:
Python imports tests/test_vectors.py, Go compiles tests/judges/judge_test.go.txt into
the langpack's external test package (next to vectors_test.go) with `go test -c`, PHP
loads tests/VectorBuilder.php. So a judge calls the public API the way the vector
tests do, and nothing in the generated langpacks exists only for these tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clickgen.build import build
from clickgen.ir import Reference
from clickgen.plan import plan_build
from clickgen.targets.go import target as go_target

from judges.process import LineProcess

HERE = Path(__file__).resolve().parent
GO = shutil.which("go") or ""
PHP = shutil.which("php") or ""
# stdlib-only modules: nothing is downloaded and the local toolchain is used (as in
# tests/test_langpack_go.py); GOCACHE stays the user's, so the standard library is
# compiled once per machine, not once per test run
GO_ENV = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOSUMDB": "off", "GOWORK": "off"}
LANGUAGES = ("python", "go", "php")


@dataclass
class LangpackJudge:
    environment: str
    language: str
    folder: Path
    process: LineProcess

    @property
    def name(self) -> str:
        return self.language

    def judge(self, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self.process.ask(cases)

    def close(self) -> None:
        self.process.close()


def available_languages() -> tuple[str, ...]:
    """The languages whose toolchain is installed (Python always is)."""
    return tuple(lang for lang in LANGUAGES if lang == "python" or (lang == "go" and GO) or (lang == "php" and PHP))


def build_langpacks(reference: Reference, out: Path, environments: tuple[str, ...], go_split: bool = False) -> dict[tuple[str, str], Path]:
    """(environment, language) -> folder of the generation-1 langpack. With go_split, the
    Go langpacks have the shape of a large one: their event types in packages of their own."""
    plans, problems = plan_build(reference, environments=environments, languages=available_languages())
    assert not problems, problems
    plans = [p for p in plans if p.generation == 1]
    weight = go_target.PACKAGE_WEIGHT
    go_target.PACKAGE_WEIGHT = 1 if go_split else weight
    try:
        build(reference, plans, out, workers=1)
    finally:
        go_target.PACKAGE_WEIGHT = weight
    if go_split:
        assert all((out / p.folder / "internal" / "core").is_dir() for p in plans if p.language == "go")
    return {(p.environment, p.language): out / p.folder for p in plans}


def _go_judge_binary(folder: Path, scratch: Path) -> Path:
    """Compile the langpack's tests with the judge test added, in a copy of the langpack."""
    copy = scratch / f"{folder.parent.name}-go"
    shutil.copytree(folder, copy)
    package = next(line.split()[1] for line in (copy / "vectors_test.go").read_text("utf-8").splitlines() if line.startswith("package "))
    module = next(line.split()[1] for line in (copy / "go.mod").read_text("utf-8").splitlines() if line.startswith("module "))
    source = (HERE / "judge_test.go.txt").read_text("utf-8")
    source = source.replace("package PACKAGE", f"package {package}").replace('"MODULE"', f'"{module}"')
    (copy / "clickgen_judge_test.go").write_text(source, "utf-8")
    binary = scratch / f"{folder.parent.name}-go.judge"
    compiled = subprocess.run([GO, "test", "-c", "-o", str(binary), "."], cwd=copy, env=GO_ENV, capture_output=True, text=True, timeout=600)
    assert compiled.returncode == 0, f"{folder}: go test -c failed:\n{compiled.stdout}{compiled.stderr}"
    return binary


def start_judges(langpacks: dict[tuple[str, str], Path], scratch: Path) -> dict[tuple[str, str], LangpackJudge]:
    """One judge process per langpack; the Go test binaries are compiled two at a time."""
    scratch.mkdir(parents=True, exist_ok=True)
    go_folders = {key: folder for key, folder in langpacks.items() if key[1] == "go"}
    with ThreadPoolExecutor(2) as pool:
        binaries = dict(zip(go_folders, pool.map(lambda f: _go_judge_binary(f, scratch), go_folders.values())))
    judges: dict[tuple[str, str], LangpackJudge] = {}
    for (environment, language), folder in sorted(langpacks.items()):
        if language == "python":
            command: list[Any] = [sys.executable, "-X", "utf8", HERE / "python_judge.py", folder]
            env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        elif language == "go":
            command = [binaries[(environment, language)], "-test.run", "^TestClickgenJudge$"]
            env = {**GO_ENV, "CLICKGEN_JUDGE": "1"}
        else:
            # notices (deprecated events trigger E_USER_DEPRECATED) must not reach the verdicts;
            # opcache on, as PHP-FPM runs the langpack: its optimizer rewrites the code (it
            # drops `$x + 0.0`, which turned -0.0 into 0.0), so the judge runs what production
            # runs; opcache optimizes only files older than file_update_protection (2 s by default)
            options = ["-d", "memory_limit=1G", "-d", "display_errors=stderr", "-d", "opcache.enable_cli=1", "-d", "opcache.file_update_protection=0"]
            command = [PHP, *options, HERE / "php_judge.php", folder]
            env = dict(os.environ)
        process = LineProcess(f"{language} judge of {environment}", command, cwd=folder, env=env)
        judges[(environment, language)] = LangpackJudge(environment, language, folder, process)
    return judges
