"""A folder of JSON Schemas -> ImportPlan.

Three kinds of files, told apart by path and content:
- Iglu (Snowplow) self-describing schemas: `.../<vendor>/<name>/jsonschema/<M-R-A>`
  (with or without `.json`), or any schema with a `self` block naming vendor, name and
  version. Each (vendor, name) is one event; its SchemaVers, in order (1-0-0, 1-0-1,
  2-0-0...), are its versions 1, 2, 3...; the event file goes to events/<vendor>/.
- schemas written by `clickgen schema` (`$id` clickgen:<reference>/<env>/<event>/v<N>):
  event, version, environment, event id and source id come back from them, the
  envelope keys are skipped, and fields every schema of an environment has beyond
  the events' own become that environment's common fields.
- any other `*.json` file: one event with one version, named after the file.

A `*.json` file with only `definitions`/`$defs` is read for the `$ref`s into it and is
not an event. Other files are listed in the report and not read. `$ref`s resolve inside the folder:
JSON pointers into the same file (`#/definitions/...`, `#/$defs/...`), relative file
paths, and the `$id`s of the folder's files.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clickgen.importers.jsonread import read_json
from clickgen.importers.model import EnvironmentSpec, EventSpec, FieldUseSpec, ImportPlan, ImportProblem, Loss, VersionSpec, clean_text
from clickgen.importers.schema import Documents, SchemaReader, Site

_SCHEMAVER = re.compile(r"^([0-9]+)-([0-9]+)-([0-9]+)$")
_CLICKGEN_ID = re.compile(r"^clickgen:([^/]+)/([^/]+)/([^/]+)/v([0-9]+)$")
_FOLDER_CHARS = re.compile(r"[^a-z0-9._-]+")


@dataclass
class _Schema:
    label: str  # path relative to the folder
    document: Any


def import_jsonschema(root: Path) -> ImportPlan:
    if root.is_file():
        paths, base = [root.name], root.parent
    elif root.is_dir():
        paths, base = _listing(root), root
    else:
        raise ImportProblem(f"{root}: no such file or folder")
    plan = ImportPlan("jsonschema", root.name or str(root), name_hint=root.name)
    documents = Documents()
    iglu: dict[tuple[str, str], list[tuple[tuple[int, int, int], _Schema]]] = {}
    exported: dict[str, list[tuple[str, int, _Schema]]] = {}  # event -> (environment, version, schema)
    plain: list[_Schema] = []
    for label in paths:
        parts = label.split("/")
        is_iglu_path = len(parts) >= 4 and parts[-2] == "jsonschema" and _SCHEMAVER.match(parts[-1].removesuffix(".json"))
        if not is_iglu_path and not label.endswith(".json"):
            plan.losses.append(Loss("skipped-file", f"{label} is not a JSON Schema (*.json, or an Iglu path): not read"))
            continue
        document = read_json(base / label, label)
        documents.add(label, document)
        schema = _Schema(label, document)
        identity = _iglu_identity(document, parts if is_iglu_path else None)
        clickgen_id = _CLICKGEN_ID.match(document.get("$id", "")) if isinstance(document, dict) and isinstance(document.get("$id"), str) else None
        if identity is not None:
            vendor, name, version = identity
            iglu.setdefault((vendor, name), []).append((version, schema))
        elif clickgen_id is not None:
            reference, environment, event, number = clickgen_id.groups()
            plan.name_hint = reference
            exported.setdefault(event, []).append((environment, int(number), schema))
        elif not _is_library(document):
            plain.append(schema)
    reader = SchemaReader(documents)
    for (vendor, name), versions in sorted(iglu.items()):
        plan.events.append(_iglu_event(vendor, name, versions, reader))
    if exported:
        _exported_events(plan, exported, reader)
    for schema in plain:
        plan.events.append(_plain_event(schema, reader))
    owners = {vendor for vendor, _ in iglu}
    if len(owners) == 1:
        plan.owner = next(iter(owners))
    return plan


def _listing(root: Path) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=_unreadable):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for name in sorted(filenames):
            if not name.startswith("."):
                out.append(name if rel == "." else f"{rel}/{name}")
    return out


def _unreadable(error: OSError) -> None:
    raise ImportProblem(f"{error.filename}: cannot read the folder: {error.strerror}")


def _iglu_identity(document: Any, parts: list[str] | None) -> tuple[str, str, tuple[int, int, int]] | None:
    """(vendor, name, SchemaVer) from the `self` block, else from the Iglu path."""
    own = document.get("self") if isinstance(document, dict) else None
    if isinstance(own, dict):
        vendor, name, version = own.get("vendor"), own.get("name"), own.get("version")
        if isinstance(vendor, str) and isinstance(name, str) and isinstance(version, str) and _SCHEMAVER.match(version) and vendor and name:
            return vendor, name, _schemaver(version)
    if parts is not None:
        return parts[-4], parts[-3], _schemaver(parts[-1].removesuffix(".json"))
    return None


def _is_library(document: Any) -> bool:
    """A file of shared definitions only (read for $refs, not an event)."""
    if not isinstance(document, dict) or not ("$defs" in document or "definitions" in document):
        return False
    return not any(k in document for k in ("type", "properties", "required", "allOf", "anyOf", "oneOf", "$ref"))


def _schemaver(text: str) -> tuple[int, int, int]:
    match = _SCHEMAVER.match(text)
    assert match is not None
    model, revision, addition = (int(g) for g in match.groups())
    return model, revision, addition


def _description(document: Any) -> str:
    if isinstance(document, dict):
        for key in ("description", "title"):
            value = document.get(key)
            if isinstance(value, str) and value.strip():
                return clean_text(value.strip())
    return ""


def _folder(text: str) -> str:
    return _FOLDER_CHARS.sub("-", text.lower()).strip("-.") or "schemas"


def _iglu_event(vendor: str, name: str, versions: list[tuple[tuple[int, int, int], _Schema]], reader: SchemaReader) -> EventSpec:
    source_name = f"{vendor}/{name}"
    event = EventSpec(source_name, name, [], folder=_folder(vendor), alternative_hint=f"{vendor.rsplit('.', 1)[-1]} {name}")
    seen: set[tuple[int, int, int]] = set()
    for version, schema in sorted(versions, key=lambda v: (v[0], v[1].label)):
        label = "-".join(map(str, version))
        if version in seen:
            event.losses.append(Loss("duplicate-rule", f"SchemaVer {label} appears twice ({schema.label}); the first is kept", source_name, label))
            continue
        seen.add(version)
        site = Site(source_name, label, event.losses)
        fields = reader.object_fields(schema.document, schema.label, site)
        description = _description(schema.document)
        event.versions.append(VersionSpec(label, fields, f"SchemaVer {label} ({schema.label})."))
        event.description = description or event.description
    return event


def _plain_event(schema: _Schema, reader: SchemaReader) -> EventSpec:
    stem = schema.label.rsplit("/", 1)[-1].removesuffix(".json").removesuffix(".schema")
    folder = "/".join(_folder(p) for p in schema.label.split("/")[:-1])
    event = EventSpec(schema.label, stem, [], description=_description(schema.document), folder=folder, alternative_hint=f"{folder} {stem}" if folder else "")
    site = Site(schema.label, "", event.losses)
    event.versions.append(VersionSpec("", reader.object_fields(schema.document, schema.label, site)))
    return event


def _exported_events(plan: ImportPlan, exported: dict[str, list[tuple[str, int, _Schema]]], reader: SchemaReader) -> None:
    """Events from `clickgen schema`'s output, with their environments' common fields."""
    uses: dict[tuple[str, int, str], list[FieldUseSpec]] = {}  # (event, version, environment) -> fields
    losses: dict[str, list[Loss]] = {}
    source_ids: dict[str, int | None] = {}
    event_ids: dict[str, int | None] = {}
    for event, schemas in sorted(exported.items()):
        losses[event] = []
        for environment, number, schema in sorted(schemas, key=lambda s: (s[1], s[0])):
            site = Site(event, str(number), losses[event], envelope_is_expected=True)
            uses[(event, number, environment)] = reader.object_fields(schema.document, schema.label, site)
            source_ids.setdefault(environment, _const(schema.document, "source_id"))
            event_ids.setdefault(event, _const(schema.document, "event_id"))

    def keyed(fields: list[FieldUseSpec]) -> set[tuple[tuple[str, str], bool]]:
        return {(u.field.identity, u.required) for u in fields}

    # what an event version has in every environment is its own; what one environment
    # adds to every one of its events is that environment's common fields
    own: dict[tuple[str, int], set[tuple[tuple[str, str], bool]]] = {}
    for (event, number, environment), fields in uses.items():
        mine = keyed(fields)
        own[(event, number)] = own[(event, number)] & mine if (event, number) in own else mine
    environments = sorted({environment for _, _, environment in uses})
    common: dict[str, set[tuple[tuple[str, str], bool]]] = {}
    for environment in environments:
        extras = [keyed(f) - own[(e, n)] for (e, n, env), f in uses.items() if env == environment]
        everywhere = [keyed(f) for (e, n, env), f in uses.items() if env == environment]
        candidates = set().union(*extras) if extras else set()
        common[environment] = {c for c in candidates if all(c in fields for fields in everywhere)}
    by_identity = {(u.field.identity, u.required): u for fields in uses.values() for u in fields}
    for environment in environments:
        plan.environments.append(
            EnvironmentSpec(environment, source_ids.get(environment), [by_identity[c] for c in sorted(common[environment], key=repr)])
        )
    for event in sorted(exported):
        numbers = sorted({n for e, n, _ in uses if e == event})
        spec = EventSpec(event, event, [], id_hint=event_ids.get(event), losses=losses[event])
        spec.environments = tuple(sorted({env for e, _, env in uses if e == event}))
        if numbers != list(range(1, len(numbers) + 1)):
            spec.losses.append(Loss("version-renumbered", f"versions {', '.join(map(str, numbers))} become 1..{len(numbers)}", event))
        for number in numbers:
            chosen: dict[tuple[tuple[str, str], bool], FieldUseSpec] = {}
            for environment in spec.environments:
                for use in uses.get((event, number, environment), []):
                    entry = (use.field.identity, use.required)
                    if entry in common[environment]:
                        continue
                    if entry not in own[(event, number)] and entry not in chosen:
                        spec.losses.append(
                            Loss("per-environment", f"`{use.field.key}` is in the schema for {environment} only: imported for every environment", event, str(number), use.field.key)
                        )
                    chosen.setdefault(entry, use)
            spec.versions.append(VersionSpec(str(number), list(chosen.values())))
        schemas = sorted(exported[event], key=lambda s: (s[1], s[0]))
        latest = schemas[-1][2].document
        spec.description = latest["description"].strip() if isinstance(latest.get("description"), str) else ""  # the title is generated
        plan.events.append(spec)


def _const(document: Any, key: str) -> int | None:
    try:
        value = document["properties"][key]["const"]
    except (KeyError, TypeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
