"""Segment Protocols tracking plan (JSON) -> ImportPlan.

Shapes read (each seen in Segment's APIs and typewriter's plan.json files):
- Config API / typewriter <= 7 `plan.json`: `{"display_name", "rules": {"events": [
  {"name", "description", "version", "rules": <JSON Schema>}], "identify": <schema>,
  "group": <schema>}}`, or just `{"events": [...]}`;
- Public API / typewriter 8 `plan.json`: `{"name", "rules": [{"type": "TRACK" | "IDENTIFY"
  | "GROUP" | "PAGE" | "SCREEN", "key", "version", "jsonSchema": <JSON Schema>}]}`, also
  wrapped as `{"data": {"rules": [...]}}` (the list-rules response) or a bare list.

A rule's JSON Schema is either Segment's envelope (`properties.properties` holds the
event's properties, `properties.traits` the traits, `properties.context` the context)
or, as typewriter 8 writes it, the properties themselves. Segment's envelope is
recognised when the schema's `properties` has no keys but context/traits/properties.

Events: a track rule becomes an event named after its `name`/`key`; several versions
of one name become its versions, in order (renumbered 1, 2, 3... when the source
skips numbers). `identify` and `group` rules become events named `identify` and
`group` whose fields are the traits (when they declare any traits); page and screen
rules become `page_<name>` and `screen_<name>`. Context rules are reported, not
imported. Labels are appended to the event's description.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clickgen.importers.jsonread import read_json
from clickgen.importers.model import EventSpec, ImportPlan, ImportProblem, Loss, VersionSpec
from clickgen.importers.schema import Documents, SchemaReader, Site

_ENVELOPE = {"context", "traits", "properties"}
_KINDS = ("TRACK", "IDENTIFY", "GROUP", "PAGE", "SCREEN")


@dataclass
class _Rule:
    kind: str
    name: str
    version: int
    schema: Any
    description: str
    label: str  # where the rule is in the file, for $refs and messages
    labels: dict[str, Any]


def import_segment(path: Path) -> ImportPlan:
    label = path.name
    data = read_json(path, label)
    rules = _rules(data, label)
    plan = ImportPlan("segment", label, name_hint=_plan_name(data) or path.stem)
    documents = Documents()
    for rule in rules:
        documents.add(rule.label, rule.schema)
    reader = SchemaReader(documents)

    groups: dict[tuple[str, str], list[_Rule]] = {}
    for rule in rules:
        groups.setdefault((rule.kind, rule.name), []).append(rule)
    for (kind, name), members in groups.items():
        event = _event(kind, name, members, reader)
        if event is not None:
            plan.events.append(event)
    skipped = [e for e in groups if e[0] in ("IDENTIFY", "GROUP") and not any(ev.source_name == _source_name(*e) for ev in plan.events)]
    for kind, name in skipped:
        plan.losses.append(Loss("no-traits", f"the {kind.lower()} rule declares no traits: no `{kind.lower()}` event"))
    return plan


def _plan_name(data: Any) -> str:
    if isinstance(data, dict):
        for key in ("display_name", "name"):
            value = data.get(key)
            if isinstance(value, str) and value and "/" not in value:
                return value
    return ""


def _rules(data: Any, label: str) -> list[_Rule]:
    """Every rule of the plan, whatever the shape; ImportProblem when it is no plan."""
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        data = data["data"]
        data = data.get("trackingPlan", data) if isinstance(data.get("trackingPlan"), dict) else data
    out: list[_Rule] = []
    if isinstance(data, dict) and isinstance(data.get("rules"), dict):
        config = data["rules"]
        events = config.get("events", [])
        if not isinstance(events, list):
            raise ImportProblem(f"{label}: `rules.events` is not a list")
        out += [_config_rule(e, f"{label}#/rules/events/{i}", label) for i, e in enumerate(events)]
        for kind in ("identify", "group"):
            if isinstance(config.get(kind), dict):
                out.append(_Rule(kind.upper(), kind, 1, config[kind], "", f"{label}#/rules/{kind}", {}))
        return out
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        return [_config_rule(e, f"{label}#/events/{i}", label) for i, e in enumerate(data["events"])]
    listed = data.get("rules") if isinstance(data, dict) else data
    if isinstance(listed, list):
        for i, item in enumerate(listed):
            where = f"{label}#/rules/{i}" if isinstance(data, dict) else f"{label}#/{i}"
            if isinstance(item, dict) and "jsonSchema" in item:
                out.append(_public_rule(item, where, label))
            else:
                out.append(_config_rule(item, where, label))
        return out
    raise ImportProblem(
        f"{label}:1:1: not a Segment tracking plan: expected `rules.events` (Config API, typewriter <= 7 plan.json) "
        "or `rules` as a list (Public API, typewriter 8 plan.json)"
    )


def _version(value: Any) -> int:
    if isinstance(value, bool):
        return 1
    if isinstance(value, (int, float)) and float(value).is_integer() and 1 <= value <= 999_999:
        return int(value)
    if isinstance(value, str) and value.isdigit() and value.isascii():
        return max(1, min(int(value), 999_999))
    return 1


def _config_rule(item: Any, where: str, label: str) -> _Rule:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise ImportProblem(f"{label}: #{where.split('#', 1)[1]} is not an event rule with a `name`")
    schema = item.get("rules", {})
    description = item.get("description")
    return _Rule("TRACK", item["name"], _version(item.get("version", 1)), schema, description if isinstance(description, str) else "", where, _labels(schema))


def _public_rule(item: dict[str, Any], where: str, label: str) -> _Rule:
    kind = item.get("type", "TRACK")
    kind = kind.upper() if isinstance(kind, str) and kind.upper() in _KINDS else "TRACK"
    schema = item.get("jsonSchema")
    key = item.get("key")
    metadata = schema.get("eventMetadata") if isinstance(schema, dict) else None
    named = metadata.get("name") if isinstance(metadata, dict) else None
    name = key if isinstance(key, str) else named if isinstance(named, str) else ""
    if kind == "TRACK" and not name:
        raise ImportProblem(f"{label}: #{where.split('#', 1)[1]} is a track rule without a `key`")
    description = schema.get("description") if isinstance(schema, dict) else None
    return _Rule(kind, name, _version(item.get("version", 1)), schema, description if isinstance(description, str) else "", where, _labels(schema))


def _labels(schema: Any) -> dict[str, Any]:
    labels = schema.get("labels") if isinstance(schema, dict) else None
    return labels if isinstance(labels, dict) else {}


def _source_name(kind: str, name: str) -> str:
    if kind == "TRACK" or (kind in ("PAGE", "SCREEN") and name.lower().startswith(kind.lower())):
        return name
    return kind.lower() if name.lower() in ("", kind.lower()) else f"{kind.lower()} {name}"


def _event(kind: str, name: str, rules: list[_Rule], reader: SchemaReader) -> EventSpec | None:
    source_name = _source_name(kind, name)
    hint = {"IDENTIFY": "identify", "GROUP": "group"}.get(kind, source_name)
    event = EventSpec(source_name, hint, [])
    by_version: dict[int, _Rule] = {}
    for rule in rules:
        if rule.version in by_version:
            event.losses.append(Loss("duplicate-rule", f"version {rule.version} appears twice; the first is kept", source_name, str(rule.version)))
            continue
        by_version[rule.version] = rule
    numbers = sorted(by_version)
    if numbers != list(range(1, len(numbers) + 1)):
        event.losses.append(Loss("version-renumbered", f"versions {', '.join(map(str, numbers))} become {', '.join(map(str, range(1, len(numbers) + 1)))}", source_name))
    declares_traits = False
    for number in numbers:
        rule = by_version[number]
        site = Site(source_name, str(number), event.losses)
        schema, path = _event_schema(rule, site)
        if kind in ("IDENTIFY", "GROUP") and isinstance(schema, dict) and schema.get("properties"):
            declares_traits = True
        fields = reader.object_fields(schema, rule.label, site, path, f"/properties/{path}" if path else "")
        description = rule.description.strip()
        if rule.labels:
            labels = ", ".join(f"{k}={v}" for k, v in sorted(rule.labels.items()))
            description = f"{description}\n\nSegment labels: {labels}.".strip()
        event.versions.append(VersionSpec(str(number), fields, description if len(numbers) > 1 else ""))
        event.description = description  # the latest version's
    if kind in ("IDENTIFY", "GROUP") and not declares_traits:
        return None
    return event


def _event_schema(rule: _Rule, site: Site) -> tuple[Any, str]:
    """The JSON Schema of the event's own keys within the rule's schema, and its path."""
    schema = rule.schema
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not (isinstance(properties, dict) and properties and set(properties) <= _ENVELOPE):
        return schema, ""  # typewriter 8 writes the properties themselves
    own = "traits" if rule.kind in ("IDENTIFY", "GROUP") else "properties"
    for other in sorted(_ENVELOPE - {own}):
        value = properties.get(other)
        if isinstance(value, dict) and (value.get("properties") or value.get("required")):
            site.lose("segment-context", f"rules on `{other}` are not imported", other)
    return properties.get(own, {}), own
