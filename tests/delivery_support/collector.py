"""The generated collector, built once and run as a process against a JetStream."""

from __future__ import annotations

import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from delivery_support.broker import JetStream, free_port, go_build


def build_collector_binary(module: Path, folder: Path) -> Path:
    return go_build(module, folder / "collector")


def post(url: str, body: bytes, timeout: float = 10.0) -> tuple[int, str]:
    """POST an NDJSON body; (status, text), status 0 when nothing answered."""
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/x-ndjson"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


class CollectorProcess:
    """One collector on 127.0.0.1 and a port of its own (kept across restarts)."""

    def __init__(self, binary: Path, broker: JetStream, folder: Path, *args: str) -> None:
        self.binary = binary
        self.broker = broker
        self.folder = folder
        self.args = args
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [str(self.binary), "-listen", f"127.0.0.1:{self.port}", "-nats", self.broker.url, *self.args]
        with open(self.folder / "collector.log", "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the collector exited with {self.process.returncode}; see {self.folder / 'collector.log'}")
            try:
                with urllib.request.urlopen(self.url + "/ping", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers (503 while the broker is away)
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"the collector did not answer within {timeout}s")

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Until /ping says the broker is there."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/ping", timeout=2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"the collector did not reach the broker within {timeout}s")

    def metrics(self) -> str:
        with urllib.request.urlopen(self.url + "/metrics", timeout=5) as answer:
            return str(answer.read().decode())

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def stop(self) -> int:
        """SIGTERM, the graceful shutdown; returns the exit code."""
        code = 0
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                code = self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                code = self.process.wait()
        self.process = None
        return code
