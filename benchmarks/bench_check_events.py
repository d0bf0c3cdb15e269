"""How fast `clickgen check-events` judges a stream, against plain `json.loads` of it.

    .venv/bin/python benchmarks/bench_check_events.py [--lines 200000] [--runs 5] [--json]
                                                      [--reference DIR | --seed-scale] [--min-ratio 0.3]
                                                      [--profile]

1. Makes the stream: the valid vectors (the exact wire lines the langpacks write, as
   `clickgen build` puts them in vectors.json) of every environment of the reference,
   cycled in a fixed shuffled order to --lines lines. The reference is the example
   (default), --reference DIR, or --seed-scale: the synthetic reference of
   benchmarks/generate.py (1,200 events, 40 environments) made into benchmarks/out/.
2. Times, interleaved and repeated in the same run (after one untimed warm-up each):
   (a) baseline: `json.loads(line)` of every line (str), nothing else;
   (b) `check_events.check_stream` over the same lines as bytes (what it reads from a
       file), the whole judgement: decoding, parsing, envelope, fields, values and the
       canonical-form check.
   and prints lines/s of each and the ratio rate(b)/rate(a) (target: >= 0.3). The ratio
   reported is the median of the per-run ratios, each from two back-to-back timings.
3. Checks that every line was judged valid with no diagnostic (the vectors are valid
   and canonical), so a faster check that lost its verdicts cannot pass.

--profile prints cProfile's top functions of one check_stream run instead.
--min-ratio R makes the exit code 1 when the ratio is below R (for CI).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from clickgen.check_events import check_stream  # noqa: E402
from clickgen.frontend import analyze_folder  # noqa: E402
from clickgen.ir import Reference  # noqa: E402
from clickgen.vectors import build_vectors  # noqa: E402

EXAMPLE = ROOT / "examples" / "reference"
SEED_SCALE = HERE / "out" / "reference"
TARGET_RATIO = 0.3


def reference_at(args: argparse.Namespace) -> Path:
    if args.reference is not None:
        return Path(args.reference)
    if args.seed_scale:
        if not (SEED_SCALE / "clickgen.yaml").is_file():
            from benchmarks.generate import generate

            generate(SEED_SCALE, events=1200, fields=400, environments=40, seed=1)
        return SEED_SCALE
    return EXAMPLE


def stream_lines(reference: Reference, count: int) -> list[str]:
    valid: list[str] = []
    for environment in reference.environments.values():
        valid += [vector["json"] for vector in build_vectors(reference, environment, "0.1.0")["valid"]]
    if not valid:
        raise SystemExit("the reference has no valid vectors: nothing to stream")
    random.Random(1).shuffle(valid)
    return [valid[i % len(valid)] for i in range(count)]


def time_baseline(lines: list[str]) -> float:
    loads = json.loads
    started = time.perf_counter()
    for line in lines:
        loads(line)
    return time.perf_counter() - started


def time_check(reference: Reference, stream: list[bytes]) -> tuple[float, Any]:
    started = time.perf_counter()
    report = check_stream(reference, stream, "bench")
    return time.perf_counter() - started, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reference", default=None, help="a reference folder (default: the example)")
    parser.add_argument("--seed-scale", action="store_true", help="the synthetic seed-scale reference of benchmarks/generate.py")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--min-ratio", type=float, default=None, help="exit 1 when the ratio is below this")
    parser.add_argument("--profile", action="store_true", help="profile one run of check_stream instead")
    args = parser.parse_args()

    root = reference_at(args)
    analysis = analyze_folder(root)
    if not analysis.ok:
        raise SystemExit(f"{root} has errors; run clickgen validate")
    reference = analysis.reference
    lines = stream_lines(reference, args.lines)
    stream = [(line + "\n").encode("utf-8") for line in lines]

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        check_stream(reference, stream, "bench")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return 0

    time_baseline(lines)  # warm-up: caches, allocator
    _, report = time_check(reference, stream)
    if (report.lines, report.valid, len(report.diagnostics)) != (len(lines), len(lines), 0):
        raise SystemExit(f"wrong verdicts: {report.lines} lines, {report.valid} valid, {len(report.diagnostics)} diagnostics (expected all valid, none)")

    baseline: list[float] = []
    checked: list[float] = []
    ratios: list[float] = []
    for _ in range(args.runs):
        a = time_baseline(lines)
        b, report = time_check(reference, stream)
        assert report.valid == len(lines)
        baseline.append(a)
        checked.append(b)
        ratios.append(a / b)  # rate(b) / rate(a)
    result = {
        "reference": str(root),
        "lines": len(lines),
        "distinct_lines": len(set(lines)),
        "bytes": sum(len(s) for s in stream),
        "runs": args.runs,
        "json_loads_lines_per_s": {"best": len(lines) / min(baseline), "median": len(lines) / statistics.median(baseline)},
        "check_events_lines_per_s": {"best": len(lines) / min(checked), "median": len(lines) / statistics.median(checked)},
        "ratio": statistics.median(ratios),
        "target": TARGET_RATIO,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"reference      {root}")
        print(f"stream         {result['lines']:,} lines ({result['distinct_lines']:,} distinct), {result['bytes'] / 1e6:.1f} MB")
        for name, key in (("json.loads", "json_loads_lines_per_s"), ("check-events", "check_events_lines_per_s")):
            rates = result[key]
            print(f"{name:<14} {rates['best']:>10,.0f} lines/s best, {rates['median']:>10,.0f} median")
        print(f"ratio          {result['ratio']:.3f} x json.loads (median of {args.runs} paired runs; target >= {TARGET_RATIO})")
    if args.min_ratio is not None and result["ratio"] < args.min_ratio:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
