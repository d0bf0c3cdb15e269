"""The test harness that `make test` relies on (tests/conftest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from test_conformance_yaml import NODE, SUITE

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not NODE or not SUITE.is_dir(), reason="the YAML test suite is not installed (scripts/install-test-deps.sh)")
def test_the_counts_of_xdist_workers_reach_the_summary_and_the_report_file() -> None:
    """make test runs the suite in xdist workers, whose prints are not shown: the counts a
    worker records (tests/judges/report.py) are printed by the controller at the end and
    written to build/agreement-report.json."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadfile", "-p", "no:cacheprovider", "tests/test_conformance_yaml.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    summary = run.stdout.split("agreement and conformance counts", 1)
    assert len(summary) == 2, run.stdout[-3000:]
    assert "yaml-test-suite/reader: 402 documents, 0 tracebacks" in summary[1]
    written = json.loads((ROOT / "build" / "agreement-report.json").read_text("utf-8"))
    assert written["yaml-test-suite/reader"]["summary"].startswith("402 documents")
