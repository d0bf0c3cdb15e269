"""The delivery tests' applications, one per language, on the example's backend-items
langpacks: drivers/driver.go, driver.py and driver.php send item_view v2 events
through the langpack's HTTP sender, configured like production by the environment
(CLICKSTREAM_COLLECTOR, CLICKSTREAM_SPOOL_DIR) and by DRIVER_* settings, record every
line they hand to the sender (DRIVER_OUT), and print their counters as JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clickgen.build import build
from clickgen.frontend import analyze_folder
from clickgen.plan import plan_build
from delivery_support.broker import go_build

ROOT = Path(__file__).resolve().parents[2]
DRIVERS = Path(__file__).resolve().parent / "drivers"
ENVIRONMENT = "backend-items"
LANGUAGES = ("go", "python", "php")
GO_MODULE = "example.com/mkt/clickstream/backend-items"


@dataclass
class Run:
    """What one run of an application did."""

    lines: list[str]  # every event line it handed to its sender, in order
    summary: dict[str, Any]  # its counters, as it printed them
    output: str


class Apps:
    """The applications, built once from the example reference."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        analysis = analyze_folder(ROOT / "examples" / "reference")
        plans, _ = plan_build(analysis.reference, environments=(ENVIRONMENT,))
        build(analysis.reference, [p for p in plans if p.generation == 1], folder / "build")
        self.langpacks = {language: folder / "build" / ENVIRONMENT / language for language in LANGUAGES}
        module = folder / "go-driver"
        module.mkdir()
        (module / "go.mod").write_text(
            f"module clickgen.invalid/driver\n\ngo 1.21\n\nrequire {GO_MODULE} v0.0.0\n\nreplace {GO_MODULE} => {self.langpacks['go']}\n", "utf-8"
        )
        shutil.copy(DRIVERS / "driver.go", module / "main.go")
        self.go_binary = go_build(module, module / "app")

    def command(self, language: str) -> list[str]:
        if language == "go":
            return [str(self.go_binary)]
        if language == "python":
            return [sys.executable, str(DRIVERS / "driver.py")]
        return [shutil.which("php") or "php", str(DRIVERS / "driver.php")]

    def environment(self, language: str, collector: str, spool: Path | None, out: Path | None, **settings: int | str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CLICKSTREAM_", "DRIVER_"))}
        env.update({"CLICKSTREAM_COLLECTOR": collector, "DRIVER_OUT": str(out) if out is not None else ""})
        if spool is not None:
            env["CLICKSTREAM_SPOOL_DIR"] = str(spool)
        env["PYTHONPATH"] = str(self.langpacks["python"] / "src")
        env["DRIVER_LANGPACK"] = str(self.langpacks["php"])
        env.update({f"DRIVER_{name.upper()}": str(value) for name, value in settings.items()})
        return env

    def start(self, language: str, collector: str, spool: Path | None, out: Path | None, **settings: int | str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(language),
            env=self.environment(language, collector, spool, out, **settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )

    def run(self, language: str, collector: str, spool: Path | None, out: Path | None, timeout: float = 120, **settings: int | str) -> Run:
        process = self.start(language, collector, spool, out, **settings)
        stdout, stderr = process.communicate(timeout=timeout)
        if process.returncode != 0:
            raise AssertionError(f"the {language} application failed ({process.returncode}):\n{stdout}\n{stderr}")
        return finished(out, stdout)

    def run_until_flushed(self, language: str, collector: str, spool: Path | None, out: Path, **settings: int) -> Run:
        """Start with DRIVER_HOLD=1, wait for its "flushed", then kill -9 it."""
        process = self.start(language, collector, spool, out, hold=1, **settings)
        assert process.stdout is not None
        output = []
        for line in process.stdout:
            output.append(line)
            if line.strip() == "flushed":
                break
        process.kill()
        _, stderr = process.communicate(timeout=30)
        if not output or output[-1].strip() != "flushed":
            raise AssertionError(f"the {language} application ended before flushing:\n{''.join(output)}\n{stderr}")
        return finished(out, "".join(output))


def finished(out: Path | None, stdout: str) -> Run:
    summary = next(json.loads(line) for line in reversed(stdout.splitlines()) if line.startswith("{"))
    lines = out.read_text("utf-8").splitlines() if out is not None and out.is_file() else []
    return Run(lines, summary, stdout)
