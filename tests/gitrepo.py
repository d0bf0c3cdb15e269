"""Throwaway git repositories with histories, for the append-only, diff and
new-version tests.

`GitRepo(tmp_path)` makes a repository whose reference lives at `root` (optionally
in a sub-folder of the repository); `write`, `edit`, `delete`, `move` change files of
the reference, `commit` records them. `BASE_REFERENCE` is a small valid reference
that uses every kind of entity the rules look at; `GitRepo.with_base` commits it on
`main` so a test only has to make its change and compare with `main`.

git runs with a private configuration (no global or system config, fixed author and
dates), so tests do not depend on the machine.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

BASE_REFERENCE: dict[str, str] = {
    "clickgen.yaml": """\
        # Settings of the test reference.
        name: shop
        waivers: []
        """,
    "fields/user.yaml": """\
        # Who the user is.
        user_id:
          type: integer
          minimum: 1
          description: Registered user id.

        user_type:
          type: string
          enum: [private, company]
          description: Kind of account.

        legacy_flag:
          type: boolean
          description: Set by the old client.
        """,
    "fields/search.yaml": """\
        search_query:
          type: string
          max_length: 500
          description: Text the user searched for.

        item_ids:
          type: array
          items: integer
          max_items: 50
          description: Items on the page.

        code:
          type: string
          pattern: '[A-Z]{3}'
          description: Currency code.

        price:
          type: number
          minimum: 0
          description: Price in the currency.
        """,
    "fields/cart.yaml": """\
        cart_line:
          type: object
          description: One line of a cart.
          properties:
            code: required
            price: optional

        cart_lines:
          type: array
          items: cart_line
          max_items: 100
          description: The lines of a cart.
        """,
    "fields/device.yaml": """\
        app_version:
          type: string
          description: Version of the app.

        device_model:
          type: string
          description: Device model.
        """,
    "environments/backend.yaml": """\
        name: backend
        source_id: 1
        owner: team-backend
        description: The backend.
        collector: https://collector.internal/v1/events
        langpacks: [python, go]
        """,
    "environments/ios-app.yaml": """\
        name: ios-app
        source_id: 2
        description: The iOS app.
        common_fields:
          app_version: required
          device_model: optional
        langpacks: [python]
        """,
    "environments/moderation.yaml": """\
        name: moderation
        source_id: 3
        description: Moderation daemon.
        langpacks: [php]
        """,
    "events/auth/login.yaml": """\
        # Logins, from every client.
        event: login
        id: 10
        owner: team-auth
        description: User logged in.
        environments: [backend, ios-app]
        versions:
          1:
            fields:
              user_id: required
          2:
            description: Adds the account type.
            fields:
              user_id: required   # always known after login
              user_type: optional
        """,
    "events/search/search.yaml": """\
        event: search
        id: 20
        owner: team-search
        description: Search results were shown.
        environments: [backend]
        versions:
          1:
            fields:
              search_query: required
              item_ids: optional
              code: optional
              price: optional
        """,
}

_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z",
}


def git_env() -> dict[str, str]:
    return {**os.environ, **_ENV}


class GitRepo:
    """A git repository in a temporary folder, holding a reference at `root`."""

    def __init__(self, path: Path, subdir: str = "") -> None:
        self.path = path
        self.root = path / subdir if subdir else path
        self.root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    @classmethod
    def with_base(cls, path: Path, subdir: str = "", files: dict[str, str] | None = None) -> GitRepo:
        """A repository whose `main` holds BASE_REFERENCE (or `files`)."""
        repo = cls(path, subdir)
        for name, text in (files or BASE_REFERENCE).items():
            repo.write(name, text)
        repo.commit("base reference")
        return repo

    def git(self, *args: str, cwd: Path | None = None) -> str:
        done = subprocess.run(["git", *args], cwd=cwd or self.path, env=git_env(), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} failed: {done.stderr}")
        return done.stdout.strip()

    def write(self, name: str, text: str) -> None:
        """Write a reference file; the text is dedented, so tests can indent it."""
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")

    def read(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")

    def edit(self, name: str, old: str, new: str, count: int = 1) -> None:
        """Replace text in a reference file; the old text must be there."""
        text = self.read(name)
        if old not in text:
            raise AssertionError(f"{old!r} is not in {name}")
        self.write(name, text.replace(old, new, count))

    def delete(self, name: str) -> None:
        (self.root / name).unlink()

    def move(self, name: str, to: str) -> None:
        target = self.root / to
        target.parent.mkdir(parents=True, exist_ok=True)
        (self.root / name).rename(target)

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def branch(self, name: str) -> None:
        self.git("checkout", "-q", "-b", name)
