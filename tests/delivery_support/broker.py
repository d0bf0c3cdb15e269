"""nats-server with JetStream for the tests, and the tests' Go client (streamtool).

`scripts/install-broker.sh` (run by `make toolchains`) installs nats-server into
$CLICKGEN_TOOLS/bin (default ~/.cache/clickgen-tools/bin) and puts the Go NATS client
into the Go module cache; the tests then build offline (GOPROXY=off).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STREAMTOOL = HERE / "streamtool"
TOOLS = Path(os.environ.get("CLICKGEN_TOOLS") or Path.home() / ".cache" / "clickgen-tools")


def _go_env() -> dict[str, str]:
    """Go builds against the module cache the install script filled: nothing is
    downloaded. The NATS client needs Go 1.25: an older local Go (Debian's) may fetch
    that toolchain from the Go module proxy instead."""
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOSUMDB": "off", "GOWORK": "off"}
    try:
        version = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True, timeout=60).stdout.strip()
        major, minor = (int(part) for part in version.removeprefix("go").split(".")[:2])
    except (OSError, ValueError, subprocess.SubprocessError):
        return env
    if (major, minor) < (1, 25):
        env.update(GOTOOLCHAIN="auto", GOPROXY="https://proxy.golang.org")
    return env


GO_ENV = _go_env()
MISSING = "nats-server is not installed: run scripts/install-broker.sh (make toolchains)"


def nats_server() -> str:
    """The installed nats-server, or "" when there is none."""
    installed = TOOLS / "bin" / "nats-server"
    if installed.is_file() and os.access(installed, os.X_OK):
        return str(installed)
    return shutil.which("nats-server") or ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def go_build(module: Path, output: Path) -> Path:
    """`go build` a main module offline; returns the binary."""
    done = subprocess.run(["go", "build", "-o", str(output), "."], cwd=module, env=GO_ENV, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise AssertionError(f"go build in {module} failed:\n{done.stdout}\n{done.stderr}")
    return output


class JetStream:
    """One nats-server with JetStream: 127.0.0.1 only, its own ports and data folder.

    `kill()` then `start()` restarts it on the same port and folder, as a crashed
    broker that comes back; what it had acknowledged must still be there.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.monitor_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        binary = nats_server()
        if not binary:
            raise RuntimeError(MISSING)
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [binary, "-a", "127.0.0.1", "-p", str(self.port), "-m", str(self.monitor_port), "-js", "-sd", str(self.folder / "jetstream")]
        with open(self.folder / "nats-server.log", "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.monitor_port}/healthz?js-enabled-only=true"
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited with {self.process.returncode}; see {self.folder / 'nats-server.log'}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"JetStream not ready within {timeout}s")

    def kill(self) -> None:
        """SIGKILL: no goodbye, as a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class StreamTool:
    """The tests' Go client of JetStream (tests/delivery_support/streamtool)."""

    def __init__(self, binary: Path) -> None:
        self.binary = binary

    @classmethod
    def build(cls, folder: Path) -> "StreamTool":
        return cls(go_build(STREAMTOOL, folder / "streamtool"))

    def run(self, broker: JetStream, *args: str) -> str:
        done = subprocess.run([str(self.binary), "-server", broker.url, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise AssertionError(f"streamtool {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    def add_stream(self, broker: JetStream, name: str, *subjects: str) -> None:
        self.run(broker, "add-stream", name, *subjects)

    def publish(self, broker: JetStream, subject: str, data: str) -> None:
        self.run(broker, "publish", subject, data)

    def dump(self, broker: JetStream, stream: str) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.run(broker, "dump", stream).splitlines()]
