"""Stage 3, resolve: schema-checked documents -> the immutable IR.

Input: `LoadedReference` and the `SchemaResult` (parts that failed the schema are
skipped). Output: `ir.Reference` plus diagnostics for what cannot be resolved:
unknown references, duplicates and version gaps. Names that are defined in a broken
document are still known, so a broken file does not cause follow-up errors elsewhere.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from clickgen.diagnostics import Diagnostic, Span, diag
from clickgen.ir import (
    Deprecation,
    Environment,
    Event,
    EventVersion,
    Field,
    FieldType,
    FieldUse,
    PublishSettings,
    Reference,
    Settings,
    Waiver,
    frozen_mapping,
)
from clickgen.load import Kind, LoadedReference, SETTINGS_FILE
from clickgen.schema_check import SchemaResult
from clickgen.yamlread import PosDict, PosList


@dataclass
class _Known:
    """Names defined somewhere, even in parts that failed to load."""

    fields: set[str] = field(default_factory=set)
    environments: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    # a file of that folder could not be read, so an undefined name may live there
    fields_incomplete: bool = False
    environments_incomplete: bool = False


def _span(doc: PosDict, key: str, path: str) -> Span:
    line, col = doc.value_pos.get(key, doc.start)
    return Span(path, line, col)


def _key_span(doc: PosDict, key: str, path: str) -> Span:
    line, col = doc.key_pos.get(key, doc.start)
    return Span(path, line, col)


def _spans(doc: PosDict, path: str) -> dict[str, Span]:
    return {key: Span(path, *pos) for key, pos in doc.value_pos.items()}


def _text(doc: Any, key: str) -> str:
    """A metadata string, or "" when it is missing or (already reported) malformed."""
    value = doc.get(key) if isinstance(doc, dict) else None
    return value if isinstance(value, str) else ""


def _texts(doc: Any, key: str) -> tuple[str, ...]:
    value = doc.get(key) if isinstance(doc, dict) else None
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _mapping(doc: Any, key: str) -> PosDict:
    value = doc.get(key) if isinstance(doc, dict) else None
    return value if isinstance(value, PosDict) else PosDict((1, 1))


def _deprecation(doc: PosDict, path: str) -> Deprecation | None:
    value = doc.get("deprecated")
    if not isinstance(value, PosDict) or not isinstance(value.get("reason"), str):
        return None
    replaced_by = value.get("replaced_by")
    return Deprecation(value["reason"], replaced_by if isinstance(replaced_by, str) else None, _span(doc, "deprecated", path))


_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^a-zA-Z0-9]+", name) if part)


def resolve(loaded: LoadedReference, schema: SchemaResult) -> tuple[Reference, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    known = _Known(
        fields_incomplete=any(p.startswith("fields/") for p in loaded.broken_paths),
        environments_incomplete=any(p.startswith("environments/") for p in loaded.broken_paths),
    )
    settings = _resolve_settings(loaded, schema)
    fields = _resolve_fields(loaded, schema, known, diagnostics)
    raw_environments = _resolve_environments(loaded, schema, fields, known, diagnostics)
    events = _resolve_events(loaded, schema, fields, known, raw_environments, diagnostics)
    environments = {
        name: _with_events(env, [e for e in events.values() if name in e.environments]) for name, env in raw_environments.items()
    }
    reference = Reference(settings, frozen_mapping(fields), frozen_mapping(environments), frozen_mapping(events))
    return reference, diagnostics


def _with_events(env: Environment, events: list[Event]) -> Environment:
    return dataclasses.replace(env, events=tuple(sorted(events, key=lambda e: e.name)))


def _resolve_settings(loaded: LoadedReference, schema: SchemaResult) -> Settings:
    documents = loaded.of_kind(Kind.SETTINGS)
    doc: PosDict = documents[0].data if documents else PosDict((1, 1))
    name = _text(doc, "name") if re.fullmatch(r"[a-z][a-z0-9-]*", _text(doc, "name")) else "reference"
    python, go, php, publish = (_mapping(doc, key) for key in ("python", "go", "php", "publish"))
    underscored = name.replace("-", "_")
    waivers = []
    raw_waivers = doc.get("waivers")
    if isinstance(raw_waivers, PosList):
        for raw, pos in zip(raw_waivers, raw_waivers.item_pos):
            if isinstance(raw, dict) and all(isinstance(raw.get(k), str) for k in ("rule", "entity", "reason")):
                waivers.append(Waiver(raw["rule"], raw["entity"], raw["reason"], Span(SETTINGS_FILE, *pos)))

    def setting(section: PosDict, key: str, default: str | None) -> str | None:
        return _text(section, key) or default

    return Settings(
        name=name,
        description=_text(doc, "description"),
        python_package_prefix=setting(python, "package_prefix", f"{underscored}_") or "",
        python_distribution_prefix=setting(python, "distribution_prefix", f"{name}-") or "",
        go_module_prefix=setting(go, "module_prefix", f"clickgen.local/{name}") or "",
        php_vendor=setting(php, "vendor", name) or "",
        php_namespace_prefix=setting(php, "namespace_prefix", f"{_pascal(name)}\\Clickstream") or "",
        publish=PublishSettings(
            python_repository_url=setting(_mapping(publish, "python"), "repository_url", None),
            python_index_url=setting(_mapping(publish, "python"), "index_url", None),
            php_repository_dir=setting(_mapping(publish, "php"), "repository_dir", None),
            php_base_url=setting(_mapping(publish, "php"), "base_url", None),
            go_proxy_dir=setting(_mapping(publish, "go"), "proxy_dir", None),
            go_tag_repo=setting(_mapping(publish, "go"), "tag_repo", None),
        ),
        waivers=tuple(waivers),
        span=Span(SETTINGS_FILE, 1, 1),
    )


def _resolve_fields(loaded: LoadedReference, schema: SchemaResult, known: _Known, diagnostics: list[Diagnostic]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    raw_members: dict[str, tuple[PosDict, str]] = {}
    for document in loaded.of_kind(Kind.FIELDS):
        path = document.path
        for name, raw in document.data.items():
            known.fields.add(name)
            key_span = _key_span(document.data, name, path)
            if name in fields:
                first = fields[name].span
                diagnostics.append(
                    diag(
                        "CG0206",
                        f"field `{name}` is defined twice (first at {first})",
                        key_span,
                        "keep one definition; a changed contract needs a new field name",
                        first,
                    )
                )
                continue
            if schema.entry_failed(path, name) or not isinstance(raw, PosDict):
                continue
            fields[name] = _field(name, raw, key_span, path)
            raw_members[name] = (raw, path)
    return _ObjectLinker(fields, raw_members, known, diagnostics).link_all()


_SCALAR_TYPES = ("string", "integer", "number", "boolean")


class _ObjectLinker:
    """Points object fields at their members and arrays of objects at their object field.

    Members are resolved before the objects that hold them (depth first), so every
    `Field` is complete and immutable. A member or item that would make an object
    contain itself is left out and reported (CG0225) with the cycle it closes.
    """

    def __init__(self, fields: dict[str, Field], raw: dict[str, tuple[PosDict, str]], known: _Known, diagnostics: list[Diagnostic]) -> None:
        self.flat = fields
        self.raw = raw
        self.known = known
        self.diagnostics = diagnostics
        self.done: dict[str, Field] = {}
        self.reported_cycles: set[frozenset[str]] = set()

    def link_all(self) -> dict[str, Field]:
        for name in self.flat:
            self.link(name, [])
        return {name: self.done[name] for name in self.flat}

    def link(self, name: str, stack: list[str]) -> Field:
        linked = self.done.get(name)
        if linked is not None:
            return linked
        flat = self.flat[name]
        raw, path = self.raw[name]
        stack.append(name)
        properties: tuple[FieldUse, ...] = ()
        item_object = None
        if flat.type is FieldType.OBJECT and isinstance(raw.get("properties"), PosDict):
            properties = self._members(flat, raw["properties"], path, stack)
        if flat.type is FieldType.ARRAY and flat.items is FieldType.OBJECT:
            item_object = self._item_object(flat, raw, path, stack)
        stack.pop()
        linked = dataclasses.replace(flat, properties=properties, item_object=item_object) if properties or item_object else flat
        self.done[name] = linked
        return linked

    def _members(self, owner: Field, raw: PosDict, path: str, stack: list[str]) -> tuple[FieldUse, ...]:
        uses = []
        for member, requirement in raw.items():
            if not _FIELD_NAME.fullmatch(member):
                continue  # reported by the schema check
            span = _key_span(raw, member, path)
            if member not in self.flat:
                if member not in self.known.fields and not self.known.fields_incomplete:
                    self.diagnostics.append(_unknown_field(member, span, f"the properties of object `{owner.name}`", self.flat))
                continue
            if member in stack:
                self._cycle(stack, member, span)
                continue
            uses.append(FieldUse(self.link(member, stack), requirement == "required", span))
        return tuple(uses)

    def _item_object(self, owner: Field, raw: PosDict, path: str, stack: list[str]) -> Field | None:
        target_name = raw.get("items")
        span = _span(raw, "items", path)
        target = self.flat.get(target_name) if isinstance(target_name, str) else None
        if target is None:
            if target_name not in self.known.fields and not self.known.fields_incomplete:
                import difflib

                options = [*_SCALAR_TYPES, *(n for n, f in self.flat.items() if f.type is FieldType.OBJECT)]
                close = difflib.get_close_matches(str(target_name), options, n=1, cutoff=0.6)
                hint = f"did you mean `{close[0]}`?" if close else "write a scalar type (string, integer, number, boolean) or the name of an object field"
                self.diagnostics.append(diag("CG0201", f"unknown field `{target_name}` in the items of `{owner.name}`", span, hint))
            return None
        if target.type is not FieldType.OBJECT:
            self.diagnostics.append(
                diag(
                    "CG0227",
                    f"the items of `{owner.name}` name `{target.name}`, {'an' if target.type.value[0] in 'aeiou' else 'a'} {target.type.value} field, not an object field",
                    span,
                    f"write `items: {target.element_type.value if target.element_type is not FieldType.OBJECT else 'string'}` for a list of plain values, or name an object field",
                    target.span,
                )
            )
            return None
        if target.name in stack:
            self._cycle(stack, target.name, span)
            return None
        return self.link(target.name, stack)

    def _cycle(self, stack: list[str], back_to: str, span: Span) -> None:
        cycle = [*stack[stack.index(back_to) :], back_to]
        key = frozenset(cycle)
        if key in self.reported_cycles:
            return
        self.reported_cycles.add(key)
        self.diagnostics.append(
            diag(
                "CG0225",
                f"object `{back_to}` contains itself: {' -> '.join(cycle)}",
                span,
                f"objects cannot nest without end: `{stack[-1]}` must not lead back to `{back_to}`; use another object field there",
            )
        )


def _field(name: str, raw: PosDict, span: Span, path: str) -> Field:
    items = raw.get("items")
    enum = raw.get("enum")
    spans = _spans(raw, path)
    for list_key in ("enum", "examples"):
        positions = getattr(raw.get(list_key), "item_pos", ())
        for i, pos in enumerate(positions):
            spans[f"{list_key}.{i}"] = Span(path, *pos)
    return Field(
        name=name,
        type=FieldType(raw["type"]),
        description=_text(raw, "description"),
        span=span,
        items=(FieldType(items) if items in _SCALAR_TYPES else FieldType.OBJECT) if isinstance(items, str) else None,
        key=raw.get("key") if raw.get("key") != name else None,
        format=raw.get("format"),
        enum=tuple(enum) if enum is not None else None,
        minimum=raw.get("minimum"),
        maximum=raw.get("maximum"),
        min_length=raw.get("min_length"),
        max_length=raw.get("max_length"),
        pattern=raw.get("pattern"),
        min_items=raw.get("min_items"),
        max_items=raw.get("max_items"),
        examples=tuple(raw.get("examples") or ()),
        deprecated=_deprecation(raw, path),
        docs=_texts(raw, "docs"),
        spans=spans,
        sources={key: raw.value_source[key] for key in ("pattern",) if key in raw.value_source},
    )


def _uses(
    raw: Any, owner: PosDict, key: str, path: str, fields: dict[str, Field], known: _Known, diagnostics: list[Diagnostic], where: str
) -> tuple[FieldUse, ...]:
    if not isinstance(raw, PosDict):
        return ()
    uses = []
    for name, requirement in raw.items():
        if not _FIELD_NAME.fullmatch(name):
            continue  # reported by the schema check
        span = _key_span(raw, name, path)
        target = fields.get(name)
        if target is None:
            if name not in known.fields and not known.fields_incomplete:
                diagnostics.append(_unknown_field(name, span, where, fields))
            continue
        uses.append(FieldUse(target, requirement == "required", span))
    return tuple(uses)


def _unknown_field(name: str, span: Span, where: str, fields: dict[str, Field]) -> Diagnostic:
    import difflib

    close = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.75)
    hint = f"did you mean `{close[0]}`? Otherwise define `{name}` in a file under fields/" if close else f"define `{name}` in a file under fields/"
    return diag("CG0201", f"unknown field `{name}` in {where}", span, hint)


def _generations(raw: Any) -> tuple[tuple[int, ...], dict[str, tuple[int, ...]]]:
    """`generations:` as (all generations, per-language generations when given as a mapping)."""
    if isinstance(raw, dict):
        by_language = {language: tuple(sorted(set(values))) for language, values in raw.items() if isinstance(values, list)}
        every = sorted({g for values in by_language.values() for g in values})
        return tuple(every) or (1,), by_language
    if isinstance(raw, list) and raw:
        return tuple(sorted(set(raw))), {}
    return (1,), {}


def _resolve_environments(
    loaded: LoadedReference, schema: SchemaResult, fields: dict[str, Field], known: _Known, diagnostics: list[Diagnostic]
) -> dict[str, Environment]:
    environments: dict[str, Environment] = {}
    by_source: dict[int, Environment] = {}
    for document in loaded.of_kind(Kind.ENVIRONMENT):
        doc, path = document.data, document.path
        name = doc.get("name")
        if isinstance(name, str):
            known.environments.add(name)
        if schema.document_failed(path):
            continue
        span = _span(doc, "name", path)
        if name in environments:
            first = environments[name].span
            diagnostics.append(
                diag("CG0207", f"environment `{name}` is defined twice (first in {first.path})", span, "keep one file per environment", first)
            )
            continue
        generations, generations_by_language = _generations(doc.get("generations"))
        env = Environment(
            name=name,
            source_id=doc["source_id"],
            description=_text(doc, "description"),
            owner=_text(doc, "owner"),
            collector=_text(doc, "collector"),
            common_fields=_uses(doc.get("common_fields"), doc, "common_fields", path, fields, known, diagnostics, f"common fields of `{name}`"),
            langpacks=tuple(doc["langpacks"]),
            generations=generations,
            generations_by_language=generations_by_language,
            path=path,
            span=span,
            deprecated=_deprecation(doc, path),
            docs=_texts(doc, "docs"),
            spans=_spans(doc, path),
        )
        other = by_source.get(env.source_id)
        if other is not None:
            diagnostics.append(
                diag(
                    "CG0205",
                    f"source id {env.source_id} of `{name}` is already used by `{other.name}` ({other.path})",
                    _span(doc, "source_id", path),
                    f"choose an unused source id, e.g. {max(by_source) + 1}",
                    other.spans.get("source_id", other.span),
                )
            )
        else:
            by_source[env.source_id] = env
        environments[name] = env
    return environments


def _resolve_events(
    loaded: LoadedReference,
    schema: SchemaResult,
    fields: dict[str, Field],
    known: _Known,
    environments: dict[str, Environment],
    diagnostics: list[Diagnostic],
) -> dict[str, Event]:
    events: dict[str, Event] = {}
    by_id: dict[int, Event] = {}
    documents = loaded.of_kind(Kind.EVENT)
    for document in documents:
        name = document.data.get("event")
        if isinstance(name, str):
            known.events.add(name)
    for document in documents:
        doc, path = document.data, document.path
        if schema.document_failed(path):
            continue
        name = doc["event"]
        span = _span(doc, "event", path)
        if name in events:
            first = events[name].span
            diagnostics.append(
                diag("CG0204", f"event `{name}` is defined twice (first in {first.path})", span, "rename one of them or merge the files", first)
            )
            continue
        for i, env_name in enumerate(doc["environments"]):
            if env_name not in environments and env_name not in known.environments and not known.environments_incomplete:
                import difflib

                close = difflib.get_close_matches(env_name, list(environments), n=1, cutoff=0.75)
                diagnostics.append(
                    diag(
                        "CG0202",
                        f"unknown environment `{env_name}` in event `{name}`",
                        Span(path, *doc["environments"].item_pos[i]),
                        f"did you mean `{close[0]}`?" if close else f"define it in environments/{env_name}.yaml",
                    )
                )
        versions = _versions(doc, path, name, fields, known, diagnostics)
        event = Event(
            name=name,
            id=doc["id"],
            owner=_text(doc, "owner"),
            description=_text(doc, "description"),
            environments=tuple(doc["environments"]),
            versions=versions,
            path=path,
            span=span,
            deprecated=_deprecation(doc, path),
            docs=_texts(doc, "docs"),
            spans=_spans(doc, path),
        )
        other = by_id.get(event.id)
        if other is not None:
            diagnostics.append(
                diag(
                    "CG0203",
                    f"event id {event.id} of `{name}` is already used by `{other.name}` ({other.path})",
                    _span(doc, "id", path),
                    f"ids are never reused: choose an unused id, e.g. {max(by_id) + 1}",
                    other.spans.get("id", other.span),
                )
            )
        else:
            by_id[event.id] = event
        events[name] = event
    return events


def _versions(
    doc: PosDict, path: str, event_name: str, fields: dict[str, Field], known: _Known, diagnostics: list[Diagnostic]
) -> tuple[EventVersion, ...]:
    raw_versions: PosDict = doc["versions"]
    versions = []
    for key, raw in raw_versions.items():
        number = int(key)
        versions.append(
            EventVersion(
                number=number,
                fields=_uses(raw.get("fields"), raw, "fields", path, fields, known, diagnostics, f"`{event_name}` version {number}"),
                span=_key_span(raw_versions, key, path),
                description=_text(raw, "description"),
                deprecated=_deprecation(raw, path),
            )
        )
    versions.sort(key=lambda v: v.number)
    for expected, version in enumerate(versions, start=1):
        if version.number != expected:
            diagnostics.append(
                diag(
                    "CG0208",
                    f"`{event_name}` has version {version.number} but no version {expected}",
                    version.span,
                    f"number versions 1, 2, 3… without gaps: this one should be {expected}",
                )
            )
            break
    return tuple(versions)
