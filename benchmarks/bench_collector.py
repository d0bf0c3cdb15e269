"""Throughput of the generated collector: events per second one collector process
stores in JetStream, with validation and without (the same binary, -validate=false).

    .venv/bin/python benchmarks/bench_collector.py [--seconds 5] [--connections 4]
                                                   [--batch 500] [--rounds 3] [--json]

1. Builds the example reference's collector (clickgen build --collector) and the load
   generator (benchmarks/loadgen, Go, stdlib only), offline from the Go module cache
   that scripts/install-broker.sh fills.
2. Starts nats-server with JetStream (127.0.0.1, a free port, file storage in a
   temporary folder), then, in alternating rounds, the collector with and without
   validation on 127.0.0.1; the load generator posts batches of the example's valid
   vectors (each with a fresh event_uid, so nothing is dropped as a duplicate) from
   several connections for the given time. Only answers 200 count. By default only
   vectors up to 1 KiB are sent (--max-line-bytes 0: all): the edge-value vectors,
   with strings and arrays at their limits, are not what production sends.
3. Reports events/s of each mode (the median round) and their ratio, measured in
   this one run. Load generator, collector and broker share the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from clickgen.build import build_collector  # noqa: E402
from clickgen.frontend import analyze_folder  # noqa: E402
from clickgen.vectors import build_vectors  # noqa: E402
from clickgen.versioning import langpack_version  # noqa: E402
from delivery_support.broker import MISSING, JetStream, go_build, nats_server  # noqa: E402
from delivery_support.collector import CollectorProcess  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-line-bytes", type=int, default=1024)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    if not nats_server():
        raise SystemExit(MISSING)
    analysis = analyze_folder(ROOT / "examples" / "reference")
    reference = analysis.reference
    with tempfile.TemporaryDirectory(prefix="bench-collector-") as scratch:
        work = Path(scratch)
        build_collector(reference, (), work / "collector")
        collector_binary = go_build(work / "collector", work / "collector-bin")
        loadgen = go_build(ROOT / "benchmarks" / "loadgen", work / "loadgen")
        lines = work / "lines.ndjson"
        with lines.open("w", encoding="utf-8") as out:
            for name, environment in reference.environments.items():
                for vector in build_vectors(reference, environment, langpack_version(reference, name, 1, None))["valid"]:
                    if not options.max_line_bytes or len(vector["json"].encode()) <= options.max_line_bytes:
                        out.write(vector["json"] + "\n")
        broker = JetStream(work / "broker")
        broker.start()
        results: dict[str, list[dict[str, float]]] = {"validate": [], "no-validate": []}
        try:
            for _ in range(options.rounds):
                for mode, flag in (("validate", "-validate=true"), ("no-validate", "-validate=false")):
                    collector = CollectorProcess(collector_binary, broker, work / mode, flag)
                    collector.start()
                    collector.wait_ready()
                    try:
                        done = subprocess.run(
                            [str(loadgen), "-url", collector.url + "/v1/events", "-lines", str(lines), "-batch", str(options.batch),
                             "-connections", str(options.connections), "-duration", f"{options.seconds}s"],
                            capture_output=True, text=True, check=True, timeout=options.seconds + 120,
                        )
                    finally:
                        collector.stop()
                    results[mode].append(json.loads(done.stdout))
        finally:
            broker.stop()
    median = {mode: statistics.median(r["events_per_second"] for r in rounds) for mode, rounds in results.items()}
    summary = {
        "events_per_second": median,
        "validation_cost_ratio": median["no-validate"] / median["validate"],
        "refused": {mode: sum(r["refused"] for r in rounds) for mode, rounds in results.items()},
        "rounds": results,
        "batch": options.batch,
        "connections": options.connections,
    }
    if options.json:
        print(json.dumps(summary, indent=1))
    else:
        for mode in ("validate", "no-validate"):
            print(f"{mode:<12} {median[mode]:>10,.0f} events/s  (median of {options.rounds} rounds of {options.seconds:g}s, batches of {options.batch}, {options.connections} connections)")
        print(f"ratio no-validate / validate: {summary['validation_cost_ratio']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
