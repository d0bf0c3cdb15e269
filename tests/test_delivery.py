"""Delivery that loses nothing (docs/delivery.md), end to end: each language's
application sends through a fault-injecting proxy to the generated collector, which
stores into a real JetStream. While the application sends, the proxy refuses
connections, answers 500, answers too late, cuts a batch in the middle; the collector
is killed and restarted, and so is nats-server. Then the stream is read back: every
event the application handed to its sender is there, byte for byte, nothing else is,
the invalid lines are in the invalid subject, and no send() waited longer than allowed.
Another test kills the application with events in its spool and restarts it.

The fault matrix of each run goes to the file named by CLICKGEN_DELIVERY_REPORT, when
set (one JSON object a line).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from clickgen.build import build_collector
from clickgen.frontend import analyze_folder
from delivery_support.apps import LANGUAGES, Apps, Run
from delivery_support.broker import MISSING, JetStream, StreamTool, nats_server
from delivery_support.collector import CollectorProcess, build_collector_binary
from delivery_support.proxy import FaultProxy

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.delivery,
    pytest.mark.skipif(not nats_server() or not shutil.which("go"), reason=MISSING),
    pytest.mark.skipif(not shutil.which("php"), reason="PHP is not installed: run scripts/install-toolchains.sh"),
]
EVENTS_SUBJECT = "clickstream.events.2.1103"  # item_view of backend-items
# longest a send() may take: Go and Python never wait (QueueTimeout/block_timeout 0);
# the margin is for a loaded CI machine's scheduler
MAX_SEND_MS = 250.0
# PHP sends in the request's process: a flush takes at most (retries + 1) x timeout
# plus the backoff for the live batch, the same for a replayed one, and the replay
# budget (driver.php: 2 retries, 1s timeout, 1s budget)
MAX_PHP_FLUSH_MS = 3 * 1000 + 60 + 1000 + 3 * 1000 + 60 + 500


class World:
    """JetStream, the collector and the proxy, on 127.0.0.1, for the whole module."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.apps = Apps(folder / "apps")
        reference = analyze_folder(ROOT / "examples" / "reference").reference
        build_collector(reference, (), folder / "collector-src")
        self.tool = StreamTool.build(folder)
        self.broker = JetStream(folder / "broker")
        self.broker.start()
        self.collector = CollectorProcess(build_collector_binary(folder / "collector-src", folder), self.broker, folder / "collector-run")
        self.collector.start()
        self.collector.wait_ready()
        self.proxy = FaultProxy(self.collector.port)
        self.runs = 0

    @property
    def url(self) -> str:
        return self.proxy.url + "/v1/events"

    def tag(self) -> int:
        self.runs += 1
        return self.runs

    def stream(self) -> list[dict[str, Any]]:
        return self.tool.dump(self.broker, "CLICKSTREAM")

    def close(self) -> None:
        self.proxy.close()
        self.collector.kill()
        self.broker.stop()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = World(tmp_path_factory.mktemp("delivery"))
    yield w
    w.close()


def report(entry: dict[str, Any]) -> None:
    target = os.environ.get("CLICKGEN_DELIVERY_REPORT")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry, sort_keys=True) + "\n")


def tag_of(data: str) -> int | None:
    try:
        event = json.loads(data)
    except ValueError:
        return None
    if "tag" in event:
        return int(event["tag"])
    if "item_id" in event:
        return int(event["item_id"]) // 10_000_000
    return None


def check_stream(world: World, runs: list[Run], tags: list[int], invalid: int) -> dict[str, int]:
    """Every line the runs handed to their senders is in the stream, once, byte for byte;
    nothing of these runs is there that they did not send; the invalid lines are kept."""
    messages = [m for m in world.stream() if tag_of(m["data"]) in tags]
    sent = [line for run in runs for line in run.lines]
    stored = Counter(m["data"] for m in messages if m["subject"] == EVENTS_SUBJECT)
    missing = [line for line in sent if line not in stored]
    invented = [data for data in stored if data not in set(sent)]
    duplicates = sum(n - 1 for n in stored.values())
    broken = [m for m in messages if m["subject"].startswith("clickstream.invalid.")]
    assert not missing, f"{len(missing)} of {len(sent)} events are not in the stream, e.g. {missing[:3]}"
    assert not invented, f"events nobody sent: {invented[:3]}"
    assert len(set(sent)) == len(sent), "the application made the same event twice"
    assert len({m["data"] for m in broken}) == invalid, f"{len(broken)} invalid lines stored, want {invalid}"
    assert all(m["headers"].get("Clickstream-Invalid-Reason") for m in broken)
    return {"events": len(sent), "in stream": len(stored), "missing": len(missing), "invented": len(invented), "duplicates in stream": duplicates, "invalid stored": len(broken)}


def at(schedule: list[tuple[float, Callable[[], None]]]) -> threading.Thread:
    """Run each action at its time (seconds from now), in a thread of its own."""
    started = time.monotonic()

    def play() -> None:
        for when, action in schedule:
            time.sleep(max(0.0, started + when - time.monotonic()))
            action()

    thread = threading.Thread(target=play, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_event_reaches_the_stream_through_every_fault(world: World, language: str, tmp_path: Path) -> None:
    tag = world.tag()
    spool = tmp_path / "spool"
    before = Counter(world.proxy.counts)
    faults = at(
        [
            (0.3, world.proxy.refuse),
            (0.8, world.proxy.accept),
            (1.0, lambda: world.proxy.inject("500", 4)),
            (1.3, lambda: world.proxy.inject("cut", 3)),
            (1.6, world.collector.kill),
            (2.4, world.collector.start),
            (2.8, world.broker.kill),
            (3.6, world.broker.start),
            (4.0, lambda: world.proxy.inject("slow", 2, delay=1.3)),
        ]
    )
    run = world.apps.run(language, world.url, spool, tmp_path / "lines", count=2500, rate=500, invalid=20, tag=tag, settle=40)
    faults.join()
    world.collector.wait_ready()
    counts = check_stream(world, [run], [tag], invalid=20)
    s = run.summary
    assert s["dropped"] == 0, s
    assert s["sent"] >= 2500 + 20, s  # every event and invalid line, replayed ones included
    if language == "php":
        assert s["max_flush_ms"] < MAX_PHP_FLUSH_MS, s
    else:
        assert s["max_send_ms"] < MAX_SEND_MS, s
    assert list(spool.glob("*.ndjson")) == [], "events left in the spool"
    hits = {k: v - before.get(k, 0) for k, v in world.proxy.counts.items() if v - before.get(k, 0)}
    report({"test": "faults", "language": language, "proxy": hits, "sender": s, "stream": counts})
    # every fault hit this run: 503 is the collector's answer while nats-server is away
    for fault in ("refused periods", "500", "slow answer", "cut mid-batch", "collector away", "relayed 503"):
        assert hits.get(fault, 0) >= 1, f"no request met the fault {fault!r}: {hits}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_application_killed_with_events_in_its_spool_delivers_them_after_a_restart(world: World, language: str, tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    first, second = world.tag(), world.tag()
    world.proxy.refuse()
    try:
        killed = world.apps.run_until_flushed(language, world.url, spool, tmp_path / "first", count=300, tag=first, settle=0)
    finally:
        world.proxy.accept()
    assert killed.summary["spooled"] == 300 and killed.summary["sent"] == 0, killed.summary
    assert list(spool.glob("*.ndjson")), "nothing in the spool"
    restarted = world.apps.run(language, world.url, spool, tmp_path / "second", count=10, tag=second, settle=30)
    assert restarted.summary["replayed"] >= 300, restarted.summary
    assert list(spool.glob("*.ndjson")) == []
    counts = check_stream(world, [killed, restarted], [first, second], invalid=0)
    report({"test": "killed application", "language": language, "killed": killed.summary, "restarted": restarted.summary, "stream": counts})


UIDS_PER_LANGUAGE = 1_000_000
PROCESSES = 4


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_uids_are_unique_across_threads_and_processes_and_ordered_in_each(world: World, language: str, tmp_path: Path) -> None:
    """10^6 uids per language: 4 processes at once, each with its threads (PHP: one, as
    a request), stamping events the way applications do."""
    workers = 1 if language == "php" else 2
    each = UIDS_PER_LANGUAGE // PROCESSES // workers
    outs = [tmp_path / f"uids{p}" for p in range(PROCESSES)]
    processes = [world.apps.start(language, world.url, None, out, uids=each, workers=workers) for out in outs]
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    seen: set[str] = set()
    disorder = 0
    for out in outs:
        last: dict[str, str] = {}
        for line in out.read_text().splitlines():
            worker, uid = line.split(" ")
            assert len(uid) == 36 and uid[14] == "7" and uid[19] in "89ab", uid
            previous = last.get(worker, "")
            disorder += uid <= previous
            last[worker] = uid
            seen.add(uid)
    assert len(seen) == UIDS_PER_LANGUAGE, f"{UIDS_PER_LANGUAGE - len(seen)} uids made twice"
    assert disorder == 0, f"{disorder} uids smaller than the one made before them in the same thread"
    report({"test": "uids", "language": language, "uids": len(seen), "processes": PROCESSES, "threads per process": workers, "out of order": disorder})
