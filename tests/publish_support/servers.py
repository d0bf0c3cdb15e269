"""Real package servers for the publish tests, on 127.0.0.1 and free ports.

Each server is a subprocess started by the test session and stopped by it (also when
a test fails); `stop()` and `start()` again on the same port and folder simulate an
index that goes away in the middle of a publish.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} within {timeout}s")


class Server:
    """A subprocess serving HTTP on 127.0.0.1:port."""

    def __init__(self, folder: Path, log: Path) -> None:
        self.folder = folder
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        raise NotImplementedError

    def ready_url(self) -> str:
        return self.url + "/"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_for(self.ready_url(), self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class PypiServer(Server):
    """pypiserver without authentication and without the fallback to pypi.org;
    it refuses to overwrite a file, as real indexes do."""

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "pypiserver", "run", "--host", "127.0.0.1", "--port", str(self.port),
            "-a", ".", "-P", ".", "--disable-fallback", str(self.folder),
        ]  # fmt: skip

    def ready_url(self) -> str:
        return self.url + "/simple/"

    @property
    def upload_url(self) -> str:
        return self.url + "/"

    @property
    def index_url(self) -> str:
        return self.url + "/simple/"


class PhpServer(Server):
    """PHP's built-in web server serving a composer repository folder."""

    def command(self) -> list[str]:
        return ["php", "-S", f"127.0.0.1:{self.port}", "-t", str(self.folder)]

    def ready_url(self) -> str:
        return self.url + "/packages.json"
