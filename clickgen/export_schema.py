"""`clickgen schema`: IR -> one JSON Schema (draft 2020-12) per environment and event
version, describing the exact wire object a collector receives (DESIGN 5)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from clickgen.checkplan import ScalarCheck, plan_field
from clickgen import iregexp
from clickgen.ir import INT64_MAX, INT64_MIN, Environment, Event, EventVersion, Field, FieldType, FieldUse, Reference

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_SEMVER = "^0\\.[0-9]+\\.[0-9]+$"
# A string is valid Unicode (DESIGN 5): no lone surrogate. ECMA-262 with the u flag
# (ajv) and Python's re both read a pair as one code point, so this finds lone ones only.
NO_LONE_SURROGATE: dict[str, Any] = {"pattern": "[\\uD800-\\uDFFF]"}


def _scalar(check: ScalarCheck) -> dict[str, Any]:
    out: dict[str, Any] = {"type": check.kind.value}
    if check.kind is FieldType.INTEGER:
        out["minimum"] = check.minimum if check.minimum is not None else INT64_MIN
        out["maximum"] = check.maximum if check.maximum is not None else INT64_MAX
    elif check.kind is FieldType.NUMBER:
        # a number is a finite double: without these bounds, 1e400 would pass
        out["minimum"] = check.minimum if check.minimum is not None else -sys.float_info.max
        out["maximum"] = check.maximum if check.maximum is not None else sys.float_info.max
    elif check.kind is FieldType.STRING:
        if check.enum is not None:
            out["enum"] = list(check.enum)
        if check.min_length is not None:
            out["minLength"] = check.min_length
        if check.max_length is not None:
            out["maxLength"] = check.max_length
        if check.pattern is not None:
            out["pattern"] = iregexp.for_targets(check.pattern).to_ecma()  # ECMA-262 (u), anchored
        if check.format is not None:
            out["format"] = check.format
        if check.enum is None:
            out["not"] = dict(NO_LONE_SURROGATE)
    return out


def _object(field: Field) -> dict[str, Any]:
    """An object's schema: its members by wire key, each with its own field's schema
    (objects nest, at most 4 deep, so the schema is written out in place)."""
    members = sorted(field.properties, key=lambda u: plan_field(u.field).key)
    return {
        "type": "object",
        "required": sorted(plan_field(u.field).key for u in members if u.required),
        "additionalProperties": False,
        "properties": {plan_field(u.field).key: field_schema(u.field) for u in members},
    }


def field_schema(field: Field) -> dict[str, Any]:
    """The JSON Schema of a field's values: its check plan in JSON Schema's words."""
    plan = plan_field(field)
    target = field.object_field
    if plan.array:
        out: dict[str, Any] = {"type": "array", "items": _object(target) if target is not None else _scalar(plan.item)}
        if plan.min_items is not None:
            out["minItems"] = plan.min_items
        if plan.max_items is not None:
            out["maxItems"] = plan.max_items
    else:
        out = _object(field) if target is not None else _scalar(plan.item)
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
    for use in sorted(uses.values(), key=lambda u: plan_field(u.field).key):
        properties[plan_field(use.field).key] = field_schema(use.field)
    required = sorted(["event_id", "event_version", "source_id", "event_time_us", "event_uid", "langpack"] + [plan_field(u.field).key for u in uses.values() if u.required])
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
