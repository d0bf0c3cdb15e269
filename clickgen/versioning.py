"""Langpack versions `0.G.N` (DESIGN 7).

The content an environment's langpack is built from is hashed; N is the number of
distinct contents released so far (recorded in clickgen.lock). This module owns the
hash; the lock file and N are added by the publishing work.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pathlib import Path

from clickgen.diagnostics import Diagnostic
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
    fields: dict[str, Field] = {u.name: u.field for u in environment.common_fields}
    events = []
    for event in environment.events:
        versions = []
        for version in event.versions:
            for use in version.fields:
                fields[use.name] = use.field
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
        "fields": [_field(f) for _, f in sorted(fields.items())],
        "events": events,
    }


def environment_content_hash(reference: Reference, environment_name: str) -> str:
    """sha256 of the environment's langpack input; equal hashes mean identical langpacks."""
    content = environment_content(reference, reference.environments[environment_name])
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Lock:
    """Released langpack versions, as recorded in clickgen.lock (filled in by publishing)."""

    def __init__(self, released: dict[tuple[str, int], list[tuple[int, str]]] | None = None) -> None:
        # (environment, generation) -> [(N, content hash)], ascending N
        self.released = released or {}


def langpack_version(reference: Reference, environment: str, generation: int, lock: Lock | None) -> str:
    """0.G.N: the released N for this content, or the next N when the content is new."""
    if lock is None:
        return f"0.{generation}.0"
    history = lock.released.get((environment, generation), [])
    content = environment_content_hash(reference, environment)
    for number, digest in history:
        if digest == content:
            return f"0.{generation}.{number}"
    return f"0.{generation}.{history[-1][0] + 1 if history else 0}"


LOCK_FILE = "clickgen.lock"


def read_lock(root: "Path") -> tuple[Lock | None, list["Diagnostic"]]:
    """The reference's clickgen.lock, or None when it has none yet."""
    return None, []
