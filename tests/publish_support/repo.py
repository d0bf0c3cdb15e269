"""The fixture reference in a throwaway git repository, as a reference repo's CI has it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from gitrepo import git_env

FIXTURE = Path(__file__).resolve().parent / "reference"
EVENT = "events/item_view.yaml"


class ReferenceRepo:
    def __init__(self, path: Path, publish: str = "") -> None:
        """Copy the fixture to `path`, add a `publish:` section, commit on main."""
        self.root = path
        shutil.copytree(FIXTURE, path)
        if publish:
            settings = path / "clickgen.yaml"
            settings.write_text(settings.read_text() + publish)
        self.git("init", "-q", "-b", "main")
        self.commit("reference")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, env=git_env(), capture_output=True, text=True)
        if done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout

    def git_may_fail(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=self.root, env=git_env(), capture_output=True, text=True)

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def describe_event(self, description: str) -> None:
        """A metadata change of the event: new content, so the next langpack version."""
        path = self.root / EVENT
        lines = path.read_text().splitlines(keepends=True)
        lines = [f"description: {description}\n" if line.startswith("description:") else line for line in lines]
        path.write_text("".join(lines))

    @property
    def lock(self) -> str:
        path = self.root / "clickgen.lock"
        return path.read_text() if path.is_file() else ""

    def releases(self) -> list[str]:
        """Lock lines without the content hash: 'shop-backend 1 0'."""
        return [" ".join(line.split()[:3]) for line in self.lock.splitlines() if line and not line.startswith("#")]
