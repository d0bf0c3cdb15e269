"""benchmarks/bench_objects.py runs in every language it measures (a smoke run: one round).

The ratios of issue 14 come from a full run on an idle machine; here the script must
build its langpacks, compile the Go benchmark, check that both sides of each language
write the same bytes (it exits otherwise) and report a ratio for each.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = [language for language, tool in (("python", "python3"), ("go", "go"), ("php", "php")) if shutil.which(tool)]


def test_every_language_is_measured_against_its_hand_written_baseline() -> None:
    if LANGUAGES != ["python", "go", "php"]:
        pytest.skip(f"only {LANGUAGES} installed (scripts/install-toolchains.sh installs Go and PHP)")
    done = subprocess.run(
        [sys.executable, "benchmarks/bench_objects.py", "--json", "--rounds", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads(done.stdout)
    assert set(results) == {"python", "go", "php"}
    for language, result in results.items():
        assert result["langpack_ns"] > 0 and result["baseline_ns"] > 0, language
        assert 0 < result["ratio"] < 100, language
    assert results["php"]["plain"]["ratio"] > 0  # PHP is measured without opcache too
