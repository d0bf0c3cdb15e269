"""Langpack versions `0.G.N` (DESIGN 7).

The content an environment's langpack is built from is hashed. clickgen.lock records
every released (environment, generation, N, hash); unchanged content keeps the latest
released version (a build at any commit is reproducible from that commit's lock), and
changed content gets N = last N + 1.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clickgen.diagnostics import Diagnostic, Span, diag
from clickgen.ir import Deprecation, Environment, Field, FieldUse, Reference

# Bump when the meaning of the hashed content changes (never for cosmetic reasons).
CONTENT_FORMAT = 1


def _deprecation(d: Deprecation | None) -> Any:
    return None if d is None else {"reason": d.reason, "replaced_by": d.replaced_by}


def _field(f: Field) -> dict[str, Any]:
    out = f.contract()
    out.update(name=f.name, description=f.description, examples=list(f.examples), deprecated=_deprecation(f.deprecated), docs=list(f.docs))
    return out


def _uses(uses: tuple[FieldUse, ...]) -> list[Any]:
    return [[u.name, u.required] for u in uses]


def environment_content(reference: Reference, environment: Environment) -> dict[str, Any]:
    """Everything the environment's langpacks are generated from, without positions."""
    events = []
    for event in environment.events:
        versions = []
        for version in event.versions:
            versions.append(
                {"version": version.number, "description": version.description, "fields": _uses(version.fields), "deprecated": _deprecation(version.deprecated)}
            )
        events.append(
            {"name": event.name, "id": event.id, "owner": event.owner, "description": event.description, "docs": list(event.docs), "deprecated": _deprecation(event.deprecated), "versions": versions}
        )
    s = reference.settings
    return {
        "format": CONTENT_FORMAT,
        "reference": s.name,
        "naming": [s.python_package_prefix, s.python_distribution_prefix, s.go_module_prefix, s.php_vendor, s.php_namespace_prefix],
        "environment": {
            "name": environment.name,
            "source_id": environment.source_id,
            "description": environment.description,
            "owner": environment.owner,
            "collector": environment.collector,
            "common_fields": _uses(environment.common_fields),
            "deprecated": _deprecation(environment.deprecated),
        },
        "fields": [_field(f) for f in environment.used_fields().values()],
        "events": events,
    }


def environment_content_hash(reference: Reference, environment_name: str) -> str:
    """sha256 of the environment's langpack input; equal hashes mean identical langpacks."""
    content = environment_content(reference, reference.environments[environment_name])
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return "sha256:" + hashlib.sha256(data).hexdigest()


LOCK_FILE = "clickgen.lock"
LOCK_HEADER = """\
# clickgen.lock: released langpack versions, written by `clickgen publish`. Commit it.
# One line per release: <environment> <generation> <N> <content hash>  ->  version 0.<generation>.<N>
# Lines are sorted, so releases of different environments merge cleanly; two branches
# that released the same version with different content cannot both be merged.
"""


@dataclass(frozen=True)
class Release:
    environment: str
    generation: int
    number: int
    content: str
    line: int = 0

    @property
    def version(self) -> str:
        return f"0.{self.generation}.{self.number}"


@dataclass
class Lock:
    """Released langpack versions: (environment, generation) -> releases by ascending N."""

    releases: dict[tuple[str, int], list[Release]] = field(default_factory=dict)

    def history(self, environment: str, generation: int) -> list[Release]:
        return self.releases.get((environment, generation), [])

    def add(self, release: Release) -> None:
        history = self.releases.setdefault((release.environment, release.generation), [])
        if all(r.number != release.number for r in history):
            history.append(release)
            history.sort(key=lambda r: r.number)

    def render(self) -> str:
        lines = [
            f"{r.environment} {r.generation} {r.number} {r.content}"
            for key in sorted(self.releases)
            for r in self.releases[key]
        ]
        return LOCK_HEADER + "".join(line + "\n" for line in lines)


def resolve_version(reference: Reference, environment: str, generation: int, lock: Lock | None) -> tuple[str, bool]:
    """(0.G.N, released?): the latest release when the content is unchanged, else the next N.

    Only the latest release counts: content that returns to an older state is a new
    version, so the highest version is always the current content.
    """
    if lock is None:
        lock = Lock()
    history = lock.history(environment, generation)
    content = environment_content_hash(reference, environment)
    if history and history[-1].content == content:
        return history[-1].version, True
    number = history[-1].number + 1 if history else 0
    return f"0.{generation}.{number}", False


def langpack_version(reference: Reference, environment: str, generation: int, lock: Lock | None) -> str:
    return resolve_version(reference, environment, generation, lock)[0]


_LINE = re.compile(r"(?P<env>[a-z][a-z0-9-]*) (?P<gen>[1-9][0-9]*) (?P<n>0|[1-9][0-9]*) (?P<hash>sha256:[0-9a-f]{64})")


def parse_lock(text: str, path: str = LOCK_FILE) -> tuple[Lock, list[Diagnostic]]:
    lock = Lock()
    problems: list[Diagnostic] = []
    seen: dict[tuple[str, int, int], Release] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            problems.append(
                diag("CG0601", f"malformed line in {LOCK_FILE}: {line[:60]!r}", Span(path, number, 1), "lines read `<environment> <generation> <N> sha256:<hex>`; let clickgen publish write the file")
            )
            continue
        release = Release(match["env"], int(match["gen"]), int(match["n"]), match["hash"], number)
        key = (release.environment, release.generation, release.number)
        other = seen.get(key)
        if other is not None:
            if other.content != release.content:
                problems.append(
                    diag(
                        "CG0602",
                        f"version {release.version} of `{release.environment}` is recorded twice with different content (also line {other.line})",
                        Span(path, number, 1),
                        "two branches released the same version; keep the line that was published and publish the other change again as the next version",
                        Span(path, other.line, 1),
                    )
                )
            continue
        seen[key] = release
        lock.add(release)
    return lock, problems


def read_lock(root: Path) -> tuple[Lock | None, list[Diagnostic]]:
    """The reference's clickgen.lock, or None when it has none yet."""
    path = root / LOCK_FILE
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None, []
    except (OSError, UnicodeDecodeError) as e:
        return None, [diag("CG0601", f"cannot read {LOCK_FILE}: {e}", Span(LOCK_FILE), "restore the file from git")]
    return parse_lock(text)


def write_lock(root: Path, lock: Lock) -> None:
    path = root / LOCK_FILE
    temporary = path.with_name(LOCK_FILE + ".tmp")
    temporary.write_text(lock.render(), "utf-8")
    temporary.replace(path)
