"""The resolved intermediate representation of an event reference.

Shape: a `Reference` holds `Settings` and three name-sorted, read-only mappings:
`fields` (the dictionary), `environments` and `events`. Everything is resolved:
an `EventVersion` holds `FieldUse`s that point at `Field` objects, an `Environment`
holds its common `FieldUse`s and the `Event`s that occur in it. Nodes are frozen and
never modified after `resolve` builds them; every node keeps the `Span` of its
definition, and `spans` maps attribute names to the span of that attribute's value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any, Mapping

from clickgen.diagnostics import Span

# Keys that every event carries on the wire (DESIGN 5); no field may use them.
ENVELOPE_KEYS = ("event_id", "event_version", "source_id", "event_time_us", "event_uid", "langpack")

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

LANGUAGES = ("python", "go", "php")


class FieldType(str, Enum):
    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    ARRAY = "array"
    OBJECT = "object"

# How deeply objects may nest: an event's object field is depth 1, its object member 2...
MAX_OBJECT_DEPTH = 4


@dataclass(frozen=True, slots=True)
class Deprecation:
    reason: str
    replaced_by: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: FieldType
    description: str
    span: Span
    items: FieldType | None = None  # OBJECT for an array of objects: then item_object is that field
    item_object: Field | None = None
    properties: tuple[FieldUse, ...] = ()  # an object's members, as written
    key: str | None = None  # the JSON key on the wire, when it is not the name
    format: str | None = None  # a string format of clickgen.formats
    enum: tuple[str, ...] | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    examples: tuple[Any, ...] = ()
    deprecated: Deprecation | None = None
    docs: tuple[str, ...] = ()
    spans: Mapping[str, Span] = field(default_factory=dict)
    # how `pattern` is written when not as it reads (quoted, a block): for positions inside it
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def wire_key(self) -> str:
        """The JSON key of the field's value on the wire."""
        return self.key if self.key is not None else self.name

    @property
    def element_type(self) -> FieldType:
        """The type of the value, or of each item for an array field."""
        return self.items if self.type is FieldType.ARRAY and self.items else self.type

    @property
    def object_field(self) -> Field | None:
        """The object field whose members make up the value (or each item): itself or item_object."""
        if self.type is FieldType.OBJECT:
            return self
        return self.item_object if self.type is FieldType.ARRAY else None

    @property
    def items_name(self) -> str | None:
        """`items:` as written: a scalar type, or the name of an object field."""
        if self.items is FieldType.OBJECT:
            return self.item_object.name if self.item_object is not None else None
        return self.items.value if self.items is not None else None

    def contract(self) -> dict[str, Any]:
        """Everything that defines which values are valid: never changes once released.

        An object's contract is its members and their flags (each member keeps its own
        contract); an array of objects names its object field.
        """
        out: dict[str, Any] = {"type": self.type.value}
        for name in CONTRACT_ATTRIBUTES[1:]:
            if name == "items":
                value: Any = self.items_name
            elif name == "properties":
                value = {use.name: "required" if use.required else "optional" for use in self.properties} or None
            else:
                value = getattr(self, name)
            if value is not None:
                out[name] = value.value if isinstance(value, FieldType) else (list(value) if isinstance(value, tuple) else value)
        return out


# key and format come last and only when set, so that contracts (and content hashes)
# written before they existed stay the same
CONTRACT_ATTRIBUTES = (
    "type",
    "items",
    "enum",
    "minimum",
    "maximum",
    "min_length",
    "max_length",
    "pattern",
    "min_items",
    "max_items",
    "key",
    "format",
    "properties",
)


def object_fields_within(field: Field) -> dict[str, Field]:
    """Every object field a value of `field` holds, at any depth (itself included), by name."""
    found: dict[str, Field] = {}
    pending = [field]
    while pending:
        current = pending.pop()
        target = current.object_field
        if target is None or target.name in found:
            continue
        found[target.name] = target
        pending.extend(use.field for use in target.properties)
    return found


def fields_within(field: Field) -> dict[str, Field]:
    """`field` and every member field its value holds, at any depth, by name."""
    found: dict[str, Field] = {field.name: field}
    for target in object_fields_within(field).values():
        found[target.name] = target
        for use in target.properties:
            found.setdefault(use.name, use.field)
    return found


@dataclass(frozen=True, slots=True)
class FieldUse:
    field: Field
    required: bool
    span: Span

    @property
    def name(self) -> str:
        return self.field.name


@dataclass(frozen=True, slots=True)
class EventVersion:
    number: int
    fields: tuple[FieldUse, ...]
    span: Span
    description: str = ""
    deprecated: Deprecation | None = None


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    id: int
    owner: str
    description: str
    environments: tuple[str, ...]
    versions: tuple[EventVersion, ...]
    path: str
    span: Span
    deprecated: Deprecation | None = None
    docs: tuple[str, ...] = ()
    spans: Mapping[str, Span] = field(default_factory=dict)

    @property
    def latest(self) -> EventVersion:
        return self.versions[-1]

    def version(self, number: int) -> EventVersion | None:
        for version in self.versions:
            if version.number == number:
                return version
        return None


@dataclass(frozen=True, slots=True)
class Environment:
    name: str
    source_id: int
    description: str
    owner: str
    collector: str
    common_fields: tuple[FieldUse, ...]
    langpacks: tuple[str, ...]
    generations: tuple[int, ...]  # every generation built, in any language
    path: str
    span: Span
    events: tuple[Event, ...] = ()
    deprecated: Deprecation | None = None
    docs: tuple[str, ...] = ()
    spans: Mapping[str, Span] = field(default_factory=dict)
    # language -> generations, when `generations:` differs per language
    generations_by_language: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def generations_for(self, language: str) -> tuple[int, ...]:
        return self.generations_by_language.get(language, self.generations)

    def own_fields(self, version: EventVersion) -> list[FieldUse]:
        """The version's fields an event carries here: common fields are set on the client."""
        common = {u.name for u in self.common_fields}
        return [u for u in version.fields if u.name not in common]

    def used_fields(self) -> dict[str, Field]:
        """Every field the environment's langpack handles (common and events', and their
        objects' members at any depth), by name."""
        found = {u.name: u.field for u in self.common_fields}
        for event in self.events:
            for version in event.versions:
                for use in self.own_fields(version):
                    found[use.name] = use.field
        for field in [f for f in found.values() if f.object_field is not None]:
            found.update(fields_within(field))
        return dict(sorted(found.items()))

    def object_fields(self) -> dict[str, Field]:
        """The used object fields (each gets a generated type), by name."""
        return {name: field for name, field in self.used_fields().items() if field.type is FieldType.OBJECT}

    def enum_fields(self) -> dict[str, Field]:
        """The used fields that have an enum (each gets an enum type), by name."""
        return {name: field for name, field in self.used_fields().items() if field.enum}


@dataclass(frozen=True, slots=True)
class Waiver:
    rule: str
    entity: str
    reason: str
    span: Span


@dataclass(frozen=True, slots=True)
class PublishSettings:
    python_repository_url: str | None = None
    python_index_url: str | None = None
    php_repository_dir: str | None = None
    php_base_url: str | None = None
    go_proxy_dir: str | None = None
    go_tag_repo: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    name: str
    description: str
    python_package_prefix: str
    python_distribution_prefix: str
    go_module_prefix: str
    php_vendor: str
    php_namespace_prefix: str
    publish: PublishSettings
    waivers: tuple[Waiver, ...]
    span: Span


@dataclass(frozen=True)
class Reference:
    settings: Settings
    fields: Mapping[str, Field]
    environments: Mapping[str, Environment]
    events: Mapping[str, Event]


def frozen_mapping(items: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(sorted(items.items())))


def dump(reference: Reference) -> dict[str, Any]:
    """The IR as JSON-ready data (for `clickgen ir` and snapshot tests)."""
    s = reference.settings
    return {
        "settings": {
            "name": s.name,
            "description": s.description,
            "python": {"package_prefix": s.python_package_prefix, "distribution_prefix": s.python_distribution_prefix},
            "go": {"module_prefix": s.go_module_prefix},
            "php": {"vendor": s.php_vendor, "namespace_prefix": s.php_namespace_prefix},
            "waivers": [{"rule": w.rule, "entity": w.entity, "reason": w.reason, "span": str(w.span)} for w in s.waivers],
        },
        "fields": {name: _dump_field(f) for name, f in reference.fields.items()},
        "environments": {name: _dump_environment(e) for name, e in reference.environments.items()},
        "events": {name: _dump_event(e) for name, e in reference.events.items()},
    }


def _dump_deprecation(d: Deprecation | None) -> dict[str, Any] | None:
    return None if d is None else {"reason": d.reason, "replaced_by": d.replaced_by}


def _dump_field(f: Field) -> dict[str, Any]:
    out = f.contract()
    out.update(
        description=f.description,
        examples=list(f.examples),
        deprecated=_dump_deprecation(f.deprecated),
        docs=list(f.docs),
        span=str(f.span),
    )
    return out


def _dump_uses(uses: tuple[FieldUse, ...]) -> list[dict[str, Any]]:
    return [{"field": u.name, "required": u.required, "span": str(u.span)} for u in uses]


def _dump_environment(e: Environment) -> dict[str, Any]:
    return {
        "source_id": e.source_id,
        "description": e.description,
        "owner": e.owner,
        "collector": e.collector,
        "common_fields": _dump_uses(e.common_fields),
        "langpacks": list(e.langpacks),
        "generations": list(e.generations) if not e.generations_by_language else {k: list(v) for k, v in sorted(e.generations_by_language.items())},
        "events": [ev.name for ev in e.events],
        "deprecated": _dump_deprecation(e.deprecated),
        "docs": list(e.docs),
        "span": str(e.span),
    }


def _dump_event(e: Event) -> dict[str, Any]:
    return {
        "id": e.id,
        "owner": e.owner,
        "description": e.description,
        "environments": list(e.environments),
        "versions": [
            {
                "version": v.number,
                "description": v.description,
                "fields": _dump_uses(v.fields),
                "deprecated": _dump_deprecation(v.deprecated),
                "span": str(v.span),
            }
            for v in e.versions
        ],
        "deprecated": _dump_deprecation(e.deprecated),
        "docs": list(e.docs),
        "span": str(e.span),
    }
