"""The tests' broker: nats-server with JetStream on 127.0.0.1, a free port and its own
data folder, and the tests' Go client. A message JetStream acknowledged survives a
kill -9 and a restart on the same folder, which the fault tests rely on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from delivery_support.broker import MISSING, JetStream, StreamTool, nats_server

needs_broker = pytest.mark.skipif(not nats_server() or not shutil.which("go"), reason=MISSING)


@needs_broker
def test_jetstream_keeps_acknowledged_messages_across_a_crash(tmp_path: Path) -> None:
    tool = StreamTool.build(tmp_path)
    broker = JetStream(tmp_path / "broker")
    broker.start()
    try:
        tool.add_stream(broker, "TESTS", "tests.>")
        tool.publish(broker, "tests.one", '{"n":1}')
        broker.kill()
        broker.start()
        tool.publish(broker, "tests.two", '{"n":2}')
        messages = tool.dump(broker, "TESTS")
    finally:
        broker.stop()
    assert [(m["seq"], m["subject"], m["data"]) for m in messages] == [(1, "tests.one", '{"n":1}'), (2, "tests.two", '{"n":2}')]
    assert (tmp_path / "broker" / "jetstream").is_dir()
