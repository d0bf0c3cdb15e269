"""Every langpack kept as a golden file (tests/cases/*/expected/build) is compiled by its
language's own tools: Python files are compiled and every module of the package is
imported, Go modules pass `go vet` (which type-checks the tests too), PHP files pass
`php -l`.

The langpack test modules run the full toolchains on a few references; this one makes
sure no golden case, whatever its shape (no common fields, no events, one language),
holds code that does not even load: black and the golden comparison both accept such
code without complaint.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

CASES = Path(__file__).resolve().parent / "cases"
GOLDEN_LANGPACKS = sorted(p.parent for p in CASES.glob("*/expected/build/*/*/*") if p.name in ("pyproject.toml", "go.mod", "composer.json"))
GO = shutil.which("go")
PHP = shutil.which("php")
GO_ENV = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOSUMDB": "off"}


def langpacks_with(marker: str) -> list[Path]:
    return [p for p in GOLDEN_LANGPACKS if (p / marker).is_file()]


def case_of(langpack: Path) -> str:
    return langpack.relative_to(CASES).parts[0]


def test_every_language_has_golden_langpacks_of_an_environment_without_common_fields() -> None:
    for marker in ("pyproject.toml", "go.mod", "composer.json"):
        bare = [p for p in langpacks_with(marker) if not environment_of(p)["common_fields"]]
        assert bare, f"no golden {marker} langpack of an environment without common fields"


def environment_of(langpack: Path) -> dict[str, Any]:
    ir = json.loads((CASES / case_of(langpack) / "expected" / "ir.json").read_text("utf-8"))
    return ir["environments"][langpack.parent.name]  # type: ignore[no-any-return]


@pytest.mark.parametrize("langpack", langpacks_with("pyproject.toml"), ids=lambda p: str(p.relative_to(CASES)))
def test_golden_python_langpack_compiles_and_imports(langpack: Path) -> None:
    files = sorted(langpack.rglob("*.py"))
    assert files
    for path in files:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    (package,) = [p for p in (langpack / "src").iterdir() if p.is_dir() and p.name != "__pycache__"]
    modules = [package.name] + [f"{package.name}.{p.stem}" for p in sorted(package.glob("*.py")) if p.stem != "__init__"]
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    # -B: nothing is written into the golden tree; -I would drop PYTHONPATH, so -s -E are not used either
    imported = subprocess.run(
        [sys.executable, "-B", "-c", script, *modules],
        cwd=langpack,
        env={**os.environ, "PYTHONPATH": str(langpack / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert imported.returncode == 0, imported.stderr[-4000:]


@pytest.mark.skipif(GO is None, reason="the Go toolchain (`go`) is not installed: run scripts/install-toolchains.sh")
def test_golden_go_langpacks_pass_go_vet(tmp_path: Path) -> None:
    langpacks = langpacks_with("go.mod")
    assert GO and langpacks
    # as few workspaces as module paths allow (a case may build another's reference in
    # another shape): the shared standard library is compiled once for all modules
    workspaces: list[dict[str, Path]] = []
    for langpack in langpacks:
        module = (langpack / "go.mod").read_text("utf-8").split("module ", 1)[1].split("\n", 1)[0].strip()
        free = next((w for w in workspaces if module not in w), None)
        if free is None:
            free = {}
            workspaces.append(free)
        free[module] = langpack
    assert len(workspaces) <= 2, "golden Go langpacks share module paths: give a case a reference of its own"
    for i, workspace in enumerate(workspaces):
        work = tmp_path / f"go{i}.work"
        work.write_text("go 1.19\n\nuse (\n" + "".join(f"\t{p}\n" for p in workspace.values()) + ")\n", "utf-8")
        # module/...: every package, including a split langpack's internal ones
        vetted = subprocess.run(
            [GO, "vet", *[m + "/..." for m in workspace]], cwd=tmp_path, env={**GO_ENV, "GOWORK": str(work), "GOFLAGS": ""}, capture_output=True, text=True, timeout=900
        )
        assert vetted.returncode == 0, vetted.stdout + vetted.stderr


@pytest.mark.skipif(PHP is None, reason="php is not installed (scripts/install-toolchains.sh installs it)")
def test_golden_php_langpacks_pass_php_lint() -> None:
    files = [path for langpack in langpacks_with("composer.json") for path in sorted(langpack.rglob("*.php"))]
    assert PHP and files

    def lint(path: Path) -> subprocess.CompletedProcess[str]:
        # -n: no ini files, no extensions; compiling needs none and starts faster
        return subprocess.run([PHP, "-n", "-l", str(path)], capture_output=True, text=True, timeout=60)

    with ThreadPoolExecutor(max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(lint, files))
    failed = [f"{path}: {result.stdout}{result.stderr}" for path, result in zip(files, results) if result.returncode != 0]
    assert not failed, "\n".join(failed)
