"""Progress of a publish run: a rich live display on a terminal, plain lines elsewhere.

Publishing many environments takes minutes (each langpack is built, tested, packaged
and checked against its repository), so a person at a terminal sees one bar with the
current step, and CI logs get one plain, greppable line per step. Both go to stderr:
stdout is kept for the result (what was or would be uploaded).
"""

from __future__ import annotations

import os
import sys
from typing import IO, Protocol


class Progress(Protocol):
    def begin(self, title: str, total: int) -> None:
        """Start a phase of `total` steps (e.g. preparing 6 langpacks)."""

    def step(self, label: str, activity: str) -> None:
        """What is being done now, e.g. ("ios-app/go 0.1.4", "running go test")."""

    def advance(self) -> None:
        """One unit of the current phase is finished."""

    def log(self, line: str) -> None:
        """A line that stays in the output (an outcome, a warning)."""

    def end(self) -> None:
        """The phase is over."""


class PlainProgress:
    """One line per step, for CI logs and pipes."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream  # None: sys.stderr at the time of writing
        self.total = 0
        self.done = 0

    def _write(self, text: str) -> None:
        stream = self.stream if self.stream is not None else sys.stderr
        stream.write(text + "\n")
        stream.flush()

    def begin(self, title: str, total: int) -> None:
        self.total, self.done = total, 0
        self._write(f"{title}: {total} langpack{'s' * (total != 1)}")

    def step(self, label: str, activity: str) -> None:
        self._write(f"  {label}: {activity}")

    def advance(self) -> None:
        self.done += 1

    def log(self, line: str) -> None:
        self._write(line)

    def end(self) -> None:
        pass


class RichProgress:
    """A spinner, a bar and the current step; logged lines scroll above it."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.fields[title]}[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=self.console,
            transient=True,
        )
        self.task: object = None

    def begin(self, title: str, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("", total=total, title=title)

    def step(self, label: str, activity: str) -> None:
        self.bar.update(self.task, description=f"{label}: {activity}")  # type: ignore[arg-type]

    def advance(self) -> None:
        self.bar.advance(self.task)  # type: ignore[arg-type]

    def log(self, line: str) -> None:
        self.console.print(line, markup=False, highlight=False)

    def end(self) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)  # type: ignore[arg-type]
            self.task = None
        self.bar.stop()


def is_interactive(stream: IO[str]) -> bool:
    """A person watches: a terminal, not CI, not TERM=dumb."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def make_progress(stream: IO[str] | None = None) -> Progress:
    stream = stream if stream is not None else sys.stderr
    return RichProgress() if is_interactive(stream) else PlainProgress(stream)
