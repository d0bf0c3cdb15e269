"""The Python application of the delivery tests: item_view v2 events of the example's
backend-items environment through the langpack's HttpBatchSender, configured by the
environment (CLICKSTREAM_COLLECTOR, CLICKSTREAM_SPOOL_DIR, DRIVER_*); every line handed
to the sender is recorded in DRIVER_OUT; the counters are printed as JSON."""

from __future__ import annotations

import json
import os
import sys
import threading
import time

from mkt_clickstream_backend_items import Client, HttpBatchSender, ItemViewV2


def setting(name: str, otherwise: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else otherwise


def main() -> None:
    count, workers, invalid = setting("DRIVER_COUNT", 1000), setting("DRIVER_WORKERS", 4), setting("DRIVER_INVALID", 0)
    rate, tag, settle = setting("DRIVER_RATE", 0), setting("DRIVER_TAG", 1), setting("DRIVER_SETTLE", 30)
    uids = setting("DRIVER_UIDS", 0)
    if uids:
        return make_uids(uids, workers)
    sender = HttpBatchSender(
        batch_size=setting("DRIVER_BATCH", 50),
        block_timeout=setting("DRIVER_BLOCK_MS", 0) / 1000,
        flush_interval=0.02,
        timeout=1.0,
        max_retries=2,
        backoff=0.02,
        max_backoff=0.2,
    )
    client = Client(sender, request_id="4bf92f3577b34da6a3ce929d0e0e4736")
    lock = threading.Lock()
    slowest = [0.0]
    # DRIVER_OUT empty: nothing recorded (the benchmark); DRIVER_MODE=encode: nothing sent
    out = open(os.environ.get("DRIVER_OUT") or os.devnull, "wb")
    encode_only = os.environ.get("DRIVER_MODE") == "encode"
    gap = workers / rate if rate else 0.0

    def send(line: bytes) -> None:
        if encode_only:
            return
        started = time.perf_counter()
        sender.send(line)
        took = time.perf_counter() - started
        with lock:
            slowest[0] = max(slowest[0], took)

    def work(w: int) -> None:
        for i in range(w, count, workers):
            line = client.encode(ItemViewV2(item_id=tag * 10_000_000 + i + 1, category_id=w + 1))
            with lock:
                out.write(line + b"\n")
            send(line)
            if i < invalid:
                send(b'{"broken":%d,"tag":%d}' % (i, tag))
            if gap:
                time.sleep(gap)

    handing = time.perf_counter()
    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    handed = time.perf_counter() - handing
    out.close()
    given = count + min(invalid, count)
    if os.environ.get("DRIVER_HOLD") == "1":
        sender.flush(timeout=20)
        summary(sender, slowest[0], 0.0, handed)
        print("flushed", flush=True)
        time.sleep(3600)  # until killed
    deadline = time.monotonic() + settle
    spool = os.environ.get("CLICKSTREAM_SPOOL_DIR", "")
    # settled: every event of this run delivered or dropped, and the spool empty (it
    # may hold the events of an earlier run)
    while time.monotonic() < deadline and (
        sender.stats.sent + sender.stats.dropped < given or (spool and any(name.endswith(".ndjson") for name in os.listdir(spool)))
    ):
        time.sleep(0.01)
    started = time.perf_counter()
    sender.close(timeout=5)
    summary(sender, slowest[0], time.perf_counter() - started, handed)


def make_uids(count: int, workers: int) -> None:
    """Write "worker uid" lines: each worker thread stamps count events."""
    made: list[list[str]] = [[] for _ in range(workers)]

    def work(w: int) -> None:
        made[w] = [ItemViewV2(item_id=1, category_id=1).event_uid for _ in range(count)]

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(os.environ["DRIVER_OUT"], "w") as out:
        out.writelines(f"{w} {uid}\n" for w, uids in enumerate(made) for uid in uids)


def summary(sender: HttpBatchSender, slowest: float, closing: float, handed: float) -> None:
    s = sender.stats
    print(json.dumps({"sent": s.sent, "dropped": s.dropped, "failed": s.failed, "retried": s.retries, "batches": s.batches,
                      "spooled": s.spooled, "replayed": s.replayed, "max_send_ms": slowest * 1000, "close_ms": closing * 1000,
                      "hand_ms": handed * 1000}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
