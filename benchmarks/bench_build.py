"""Build time of the synthetic large reference (every environment, Python langpacks only),
and of a no-op rebuild into the same folder, measured in one run.

    python benchmarks/bench_build.py [--events 1200 --fields 400 --environments 40] [--json]

Reported as ratios against `clickgen validate` of the same reference in the same run
(the front end every build starts with), plus the absolute numbers for context.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402

CLICKGEN = [sys.executable, "-c", "from clickgen.cli import main; main()"]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1200)
    parser.add_argument("--fields", type=int, default=400)
    parser.add_argument("--environments", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="clickgen-bench-build-"))
    try:
        reference = work / "reference"
        generate(reference, events=args.events, fields=args.fields, environments=args.environments, seed=1)
        out = work / "out"
        base = CLICKGEN + ["--reference", str(reference)]
        validate = min(timed(base + ["validate"]) for _ in range(3))
        first = timed(base + ["build", "--lang", "python", "--out", str(out)])
        noop = min(timed(base + ["build", "--lang", "python", "--out", str(out)]) for _ in range(2))
        langpacks = sum(1 for p in out.glob("*/python*") if p.is_dir())
        files = sum(1 for p in out.rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {
        "langpacks": langpacks,
        "files": files,
        "bytes": size,
        "validate_s": validate,
        "build_s": first,
        "noop_rebuild_s": noop,
        "build_over_validate": first / validate,
        "noop_over_validate": noop / validate,
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"synthetic reference: {args.events} events, {args.fields} fields, {args.environments} environments")
    print(f"{langpacks} Python langpacks, {files} files, {size / 1e6:.1f} MB")
    print(f"validate (baseline):   {validate:7.2f} s")
    print(f"build, from scratch:   {first:7.2f} s  = {first / validate:5.1f}x validate")
    print(f"build, no-op rebuild:  {noop:7.2f} s  = {noop / validate:5.1f}x validate")


if __name__ == "__main__":
    main()
