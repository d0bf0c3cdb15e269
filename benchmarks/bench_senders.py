"""What delivery costs an application: events per second one process of each language
hands to its langpack's HTTP sender, (a) only encoding them (no sender), (b) sending
them through the generated collector into JetStream, (c) with the collector down and
the spool on. Measured in one run, on the example's backend-items langpacks.

    .venv/bin/python benchmarks/bench_senders.py [--events 50000] [--json]

The applications are the delivery tests' (tests/delivery_support/drivers), one thread
each, handing events as fast as they can; "handed" is the time until the last event was
given to the sender. Go and Python deliver in the background from a bounded queue; here
`send` may wait up to 1 s for room (QueueTimeout / block_timeout), so the rate is what
delivery sustains without dropping. PHP posts at the end of each simulated request of
100 events. Batches of --batch events (default 500), 1 s timeout, 2 retries. Ratios are
against (a) of the same language.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from clickgen.build import build_collector  # noqa: E402
from clickgen.frontend import analyze_folder  # noqa: E402
from delivery_support.apps import LANGUAGES, Apps  # noqa: E402
from delivery_support.broker import MISSING, JetStream, free_port, nats_server  # noqa: E402
from delivery_support.collector import CollectorProcess, build_collector_binary  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50000)
    parser.add_argument("--batch", type=int, default=500, help="events per request (PHP: per request of the application too)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    if not nats_server():
        raise SystemExit(MISSING)
    with tempfile.TemporaryDirectory(prefix="bench-senders-") as scratch:
        work = Path(scratch)
        apps = Apps(work / "apps")
        build_collector(analyze_folder(ROOT / "examples" / "reference").reference, (), work / "collector-src")
        broker = JetStream(work / "broker")
        broker.start()
        collector = CollectorProcess(build_collector_binary(work / "collector-src", work), broker, work / "collector-run")
        collector.start()
        collector.wait_ready()
        nowhere = f"http://127.0.0.1:{free_port()}/v1/events"
        results: dict[str, dict[str, dict[str, float]]] = {}
        try:
            for language in LANGUAGES:
                results[language] = {}
                for mode, url, spool in (
                    ("encode", collector.url + "/v1/events", None),
                    ("deliver", collector.url + "/v1/events", None),
                    ("spool", nowhere, work / f"spool-{language}"),
                ):
                    run = apps.run(
                        language, url, spool, None, timeout=600, count=options.events, workers=1, per_request=100,
                        settle=0 if mode == "spool" else 60, mode=mode, batch=options.batch, block_ms=1000,
                    )
                    s = run.summary
                    results[language][mode] = {
                        "events_per_second": options.events / (s["hand_ms"] / 1000),
                        "sent": s["sent"], "spooled": s["spooled"], "dropped": s["dropped"],
                    }
        finally:
            collector.stop()
            broker.stop()
    for language, modes in results.items():
        for mode, numbers in modes.items():
            numbers["ratio_to_encode"] = numbers["events_per_second"] / modes["encode"]["events_per_second"]
    if options.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"{'':8} {'mode':8} {'events/s':>12} {'vs encode':>10} {'sent':>8} {'spooled':>8} {'dropped':>8}")
    for language, modes in results.items():
        for mode, n in modes.items():
            print(f"{language:8} {mode:8} {n['events_per_second']:>12,.0f} {n['ratio_to_encode']:>10.2f} {n['sent']:>8} {n['spooled']:>8} {n['dropped']:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
