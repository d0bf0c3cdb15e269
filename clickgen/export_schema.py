"""`clickgen schema`: IR -> one JSON Schema (draft 2020-12) per environment and event
version, describing the exact wire object a collector receives (DESIGN 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clickgen.ir import INT64_MAX, INT64_MIN, Environment, Event, EventVersion, Field, FieldType, FieldUse, Reference

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_SEMVER = "^0\\.[0-9]+\\.[0-9]+$"


def _scalar(field: Field, kind: FieldType) -> dict[str, Any]:
    out: dict[str, Any] = {"type": kind.value}
    if kind is FieldType.INTEGER:
        out["minimum"] = int(field.minimum) if field.minimum is not None else INT64_MIN
        out["maximum"] = int(field.maximum) if field.maximum is not None else INT64_MAX
    elif kind is FieldType.NUMBER:
        if field.minimum is not None:
            out["minimum"] = field.minimum
        if field.maximum is not None:
            out["maximum"] = field.maximum
    elif kind is FieldType.STRING:
        if field.enum is not None:
            out["enum"] = list(field.enum)
        if field.min_length is not None:
            out["minLength"] = field.min_length
        if field.max_length is not None:
            out["maxLength"] = field.max_length
        if field.pattern is not None:
            out["pattern"] = f"^(?:{field.pattern})$"  # reference patterns match the whole value
    return out


def field_schema(field: Field) -> dict[str, Any]:
    if field.type is FieldType.ARRAY:
        out: dict[str, Any] = {"type": "array", "items": _scalar(field, field.items or FieldType.STRING)}
        if field.min_items is not None:
            out["minItems"] = field.min_items
        if field.max_items is not None:
            out["maxItems"] = field.max_items
    else:
        out = _scalar(field, field.type)
    if field.description:
        out["description"] = field.description
    if field.deprecated is not None:
        out["deprecated"] = True
    return out


def event_schema(reference: Reference, environment: Environment, event: Event, version: EventVersion) -> dict[str, Any]:
    uses: dict[str, FieldUse] = {u.name: u for u in environment.common_fields}
    for use in version.fields:
        uses.setdefault(use.name, use)
    properties: dict[str, Any] = {
        "event_id": {"const": event.id},
        "event_version": {"const": version.number},
        "source_id": {"const": environment.source_id},
        "event_time_us": {"type": "integer", "minimum": 0, "maximum": INT64_MAX},
        "event_uid": {"type": "string", "pattern": _UUID},
        "langpack": {"type": "string", "pattern": _SEMVER},
    }
    for name, use in sorted(uses.items()):
        properties[name] = field_schema(use.field)
    required = sorted(["event_id", "event_version", "source_id", "event_time_us", "event_uid", "langpack"] + [n for n, u in uses.items() if u.required])
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": f"clickgen:{reference.settings.name}/{environment.name}/{event.name}/v{version.number}",
        "title": f"{event.name} v{version.number} from {environment.name}",
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": properties,
    }
    description = "\n\n".join(t for t in (event.description.strip(), version.description.strip()) if t)
    if description:
        schema["description"] = description
    if event.deprecated is not None or version.deprecated is not None:
        schema["deprecated"] = True
    return schema


def export(reference: Reference, environments: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """Relative path (<env>/<event>.v<N>.schema.json) -> schema."""
    out = {}
    for name, environment in reference.environments.items():
        if environments and name not in environments:
            continue
        for event in environment.events:
            for version in event.versions:
                out[output_path(name, event.name, version.number)] = event_schema(reference, environment, event, version)
    return out


def output_path(environment: str, event: str, version: int) -> str:
    return f"{environment}/{event}.v{version}.schema.json"


def foreign_output(folder: Path) -> bool:
    """True when `folder` holds a file that `clickgen schema` did not write: the export
    replaces the folder's content, which would delete someone's files."""
    if not folder.is_dir():
        return False
    for path in folder.rglob("*"):
        if path.is_dir():
            continue
        rel = path.relative_to(folder).parts
        if len(rel) != 2 or not rel[1].endswith(".schema.json"):
            return True
        try:
            with path.open("r", encoding="utf-8", errors="replace") as file:
                head = file.read(1000)
        except OSError:
            return True
        if '"$id": "clickgen:' not in head:
            return True
    return False
