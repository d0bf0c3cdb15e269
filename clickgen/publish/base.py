"""The pieces every publisher shares: targets, artifacts, what a repository holds.

A `Publisher` is one language's package repository. It runs the langpack's own
tests, packages the langpack into files (`Artifact`), tells for each file whether
the repository has it (`Presence`), and uploads the missing ones. The orchestration
in `clickgen.publish` decides what to upload; publishers only report and write.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable, ClassVar

from clickgen.ir import Settings
from clickgen.plan import LangpackPlan


class PublishProblem(Exception):
    """An environment or usage problem: a missing target or tool, an unreachable
    repository, a failed upload. Exit code 2; the message says what to do."""


class UploadFailed(PublishProblem):
    pass


@dataclass(frozen=True)
class Targets:
    """Where each language goes, resolved from clickgen.yaml and command line overrides.

    Folders in clickgen.yaml are relative to the reference root; folders on the
    command line are relative to the current folder (resolved by the caller).
    """

    python_repository: str | None = None  # upload URL, or a .pypirc section name
    python_index_url: str | None = None  # simple index, for the existence check
    php_repository_dir: Path | None = None
    php_base_url: str | None = None
    go_proxy_dir: Path | None = None
    go_tag_repo: str | None = None
    go_module_prefix: str = ""  # the tag repository's root module: modules below it live in sub-folders


def _repository(value: str | None, root: Path) -> str | None:
    """A git repository: a URL (scheme:// or user@host:path) as is, a path from the root."""
    if value is None or "://" in value or re.match(r"^[\w.-]+@[\w.-]+:", value):
        return value
    return str(root / Path(value).expanduser())


def resolve_targets(settings: Settings, root: Path, overrides: dict[str, object] | None = None) -> Targets:
    def folder(value: str | None) -> Path | None:
        return None if value is None else (root / Path(value).expanduser())

    publish = settings.publish
    targets = Targets(
        python_repository=publish.python_repository_url,
        python_index_url=publish.python_index_url,
        php_repository_dir=folder(publish.php_repository_dir),
        php_base_url=publish.php_base_url,
        go_proxy_dir=folder(publish.go_proxy_dir),
        go_tag_repo=_repository(publish.go_tag_repo, root),
        go_module_prefix=settings.go_module_prefix,
    )
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if given:
        targets = Targets(**{**targets.__dict__, **given})
    return targets


# ---------------------------------------------------------------- langpacks and files


@dataclass(frozen=True)
class Artifact:
    """One file to publish."""

    filename: str  # as published
    path: Path  # the local copy
    size: int
    sha256: str
    destination: str  # URL or folder it goes to

    @staticmethod
    def of(path: Path, destination: str, filename: str | None = None) -> "Artifact":
        data = path.read_bytes()
        return Artifact(filename or path.name, path, len(data), hashlib.sha256(data).hexdigest(), destination)


class Presence(str, Enum):
    MISSING = "missing"  # not in the repository: upload it
    SAME = "same"  # byte-identical file already published
    EQUIVALENT = "equivalent"  # same langpack sources, packaged or stamped differently
    DIFFERENT = "different"  # other sources under this version


@dataclass
class Langpack:
    """One planned langpack on its way through the publish phases."""

    plan: LangpackPlan
    content: str  # the environment's content hash, recorded in clickgen.lock
    released: bool  # clickgen.lock already records this content as this version
    files: dict[str, bytes]  # the generated files, by relative path
    name: str = ""  # the package's name in its ecosystem
    artifacts: list[Artifact] = field(default_factory=list)
    presence: dict[str, Presence] = field(default_factory=dict)  # artifact filename -> state
    detail: str = ""  # why files differ, for messages
    tests: str = ""  # a summary of the langpack's own test run
    uploaded: list[Artifact] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.plan.folder} {self.plan.version}"

    @property
    def missing(self) -> list[Artifact]:
        return [a for a in self.artifacts if self.presence.get(a.filename, Presence.MISSING) is Presence.MISSING]

    @property
    def differs(self) -> bool:
        return any(p is Presence.DIFFERENT for p in self.presence.values())

    @property
    def to_upload(self) -> list[Artifact]:
        """Missing files; nothing when the version is published with other files that
        the lock vouches for (see `judge`)."""
        return [] if self.differs else self.missing


@dataclass(frozen=True)
class TestRun:
    __test__ = False  # not a pytest test class

    ok: bool
    summary: str  # e.g. "24 passed"
    output: str  # the tail of the runner's output, for a failure


# Generated files carry "generated by clickgen X.Y.Z": two builds of the same sources
# by different clickgen versions are the same langpack.
_STAMP = re.compile(rb"clickgen [0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+-]*")


def same_sources(ours: dict[str, bytes], theirs: dict[str, bytes], dev_only: Callable[[str], bool] = lambda path: False) -> bool:
    """Equal file sets whose contents differ at most in the clickgen version stamp.

    Files `dev_only` names (tests, test vectors) are left out on both sides: artifacts
    published before they were left out of the download are still the same sources.
    """
    ours = {path: data for path, data in ours.items() if not dev_only(path)}
    theirs = {path: data for path, data in theirs.items() if not dev_only(path)}
    if ours.keys() != theirs.keys():
        return False
    return all(ours[p] == theirs[p] or _STAMP.sub(b"clickgen", ours[p]) == _STAMP.sub(b"clickgen", theirs[p]) for p in ours)


class Publisher:
    """A language's repository. Subclasses implement the five steps."""

    language: ClassVar[str]

    def __init__(self, targets: Targets, work: Path) -> None:
        self.targets = targets
        self.work = work

    def destination(self) -> str | None:
        """Where this language's langpacks go; None when no target is configured."""
        raise NotImplementedError

    def missing_target_hint(self) -> str:
        raise NotImplementedError

    def check_tools(self) -> None:
        """Raise PublishProblem when a tool the publisher needs is missing."""

    def name(self, langpack: Langpack) -> str:
        raise NotImplementedError

    def test(self, langpack: Langpack, folder: Path) -> TestRun:
        raise NotImplementedError

    def package(self, langpack: Langpack, folder: Path) -> list[Artifact]:
        raise NotImplementedError

    def inspect(self, langpack: Langpack) -> dict[str, Presence]:
        """What the repository holds of langpack's version, per artifact (read only)."""
        raise NotImplementedError

    def upload(self, langpack: Langpack, artifacts: list[Artifact]) -> None:
        raise NotImplementedError

    def conflict_hint(self, langpack: Langpack) -> str:
        return ""


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_files(folder: Path, files: dict[str, bytes]) -> Path:
    """A fresh copy of the files (tests and packaging tools litter their folder)."""
    if folder.exists():
        shutil.rmtree(folder)
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder
