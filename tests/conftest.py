"""Shared pytest setup.

- `pytest --update-goldens` rewrites golden trees instead of comparing them; tests ask
  for it through the `update_goldens` fixture and pass it to `golden.compare_tree`.
- `clickgen_cli` runs the command line in-process and returns exit code, stdout, stderr.
- `judge_farm` builds the langpacks the agreement tests judge with, once per session.
- The agreement and conformance tests record counts (tests/judges/report.py), printed
  at the end of the session and written to build/agreement-report.json (from every
  worker, when xdist runs the tests in parallel as `make test` does).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite the expected/ trees of golden tests from the actual output (and delete stale files)",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """Whether golden tests should rewrite their expected output instead of comparing."""
    return bool(request.config.getoption("--update-goldens"))


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def clickgen_cli() -> Callable[..., CliResult]:
    """Run `clickgen ARGS...` in this process (click's CliRunner), optionally in `cwd`.

    Exceptions are not caught: a crash fails the test instead of looking like exit 1.
    """
    from click.testing import CliRunner

    from clickgen.cli import main

    def run(*args: str | os.PathLike[str], cwd: str | os.PathLike[str] | None = None) -> CliResult:
        previous = os.getcwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        finally:
            os.chdir(previous)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture(scope="session")
def judge_farm(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The references' langpacks and their judge processes, built once per session
    (tests/judges/farm.py); shared by the agreement and ES6 number tests."""
    from judges.farm import Farm

    farm = Farm(tmp_path_factory.mktemp("judges"))
    yield farm
    farm.close()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In an xdist worker: hand this worker's counts to the controller (pytest_testnodedown)."""
    import sys

    worker_output = getattr(session.config, "workeroutput", None)
    report = sys.modules.get("judges.report")
    if worker_output is not None and report is not None:
        worker_output["judges_report"] = json.dumps(report.ENTRIES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """In the xdist controller: gather the counts of a worker that finished."""
    entries = getattr(node, "workeroutput", {}).get("judges_report")
    if entries:
        from judges import report

        report.ENTRIES.update(json.loads(entries))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per conformance suite and judge, also written to build/agreement-report.json."""
    import sys

    report = sys.modules.get("judges.report")
    if report is None or not report.ENTRIES:
        return
    terminalreporter.section("agreement and conformance counts")
    for key, entry in sorted(report.ENTRIES.items()):
        terminalreporter.write_line(f"{key}: {entry['summary']}")
    report.write(Path(__file__).resolve().parent.parent / "build" / "agreement-report.json")


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The example reference built once per session (see tests/example_build.py)."""
    from example_build import build_example

    return build_example(tmp_path_factory.mktemp("example-build"))
