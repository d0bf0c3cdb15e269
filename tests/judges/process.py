"""A long-lived child process that answers NDJSON requests, one line per request."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence


class LineProcess:
    """Writes requests on the child's stdin (from a thread, so a full pipe never
    deadlocks) while reading one answer line per request from its stdout. A child that
    dies answers every remaining request with {"crash": <its stderr>}."""

    def __init__(self, name: str, command: Sequence[str | os.PathLike[str]], cwd: Path | None = None, env: Mapping[str, str] | None = None) -> None:
        self.name = name
        self.command = [str(c) for c in command]
        self._stderr_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"clickgen-judge-{os.getpid()}-{id(self)}.stderr"
        self._stderr = open(self._stderr_path, "w+b")
        self.process = subprocess.Popen(
            self.command,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )

    def ask(self, requests: Iterable[Any]) -> list[dict[str, Any]]:
        return self.ask_raw([json.dumps(r, ensure_ascii=True, allow_nan=False) for r in requests])

    def ask_raw(self, texts: Sequence[str]) -> list[dict[str, Any]]:
        """Requests already written as JSON texts (one line each, UTF-8)."""
        lines = [t + "\n" for t in texts]
        assert self.process.stdin is not None and self.process.stdout is not None
        failure: list[BaseException] = []

        def write() -> None:
            try:
                assert self.process.stdin is not None
                for line in lines:
                    self.process.stdin.write(line.encode("utf-8", "surrogatepass"))
                self.process.stdin.flush()
            except (BrokenPipeError, OSError) as e:  # the child died; the reader reports it
                failure.append(e)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answers: list[dict[str, Any]] = []
        for _ in lines:
            raw = self.process.stdout.readline()
            if not raw:
                break
            try:
                answers.append(json.loads(raw))
            except json.JSONDecodeError:
                answers.append({"crash": f"not a verdict: {raw[:300]!r}"})
        writer.join()
        if len(answers) < len(lines):
            died = {"crash": f"{self.name} died: {self.stderr_tail()}"}
            answers += [died] * (len(lines) - len(answers))
        return answers

    def stderr_tail(self, size: int = 2000) -> str:
        self._stderr.flush()
        return self._stderr_path.read_bytes()[-size:].decode("utf-8", "replace")

    def close(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._stderr.close()
        self._stderr_path.unlink(missing_ok=True)
