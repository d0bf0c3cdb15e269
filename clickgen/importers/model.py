"""The import plan: what a source format says, in clickgen's words, before naming.

Each importer (segment.py, jsonschema.py) reads its source into an `ImportPlan`:
events with their versions, each version a list of fields (wire key, contract,
required) and the `Loss`es met on the way. Nothing here has a clickgen name or id
yet: the writer (writer.py) deduplicates fields, names everything and assigns ids,
so every source format gets the same naming rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from enum import Enum
from typing import Any


class Severity(str, Enum):
    LOST = "lost"  # the source says something the reference cannot: exit 1 without --allow-loss
    APPROXIMATED = "approximated"  # kept, with a documented difference
    CONVERTED = "converted"  # rewritten into clickgen's terms with the same meaning


# kind -> (severity, what the kind means); IMPORT_REPORT.md lists the kinds met
KINDS: dict[str, tuple[Severity, str]] = {
    "combinator": (Severity.LOST, "allOf/anyOf/oneOf/not/if: only the keywords beside them are kept"),
    "free-form-object": (Severity.LOST, "an object without declared properties: not imported"),
    "dynamic-keys": (Severity.LOST, "a map with dynamic keys (additionalProperties schema, patternProperties, propertyNames): not imported"),
    "object-too-deep": (Severity.LOST, "an object nested deeper than clickgen's 4 levels: that member is not imported"),
    "object-cycle": (Severity.LOST, "an object that contains itself (a recursive $ref): the member closing the cycle is not imported"),
    "empty-object": (Severity.LOST, "an object none of whose properties could be imported: not imported"),
    "nullable-required": (Severity.LOST, "a required property that may be null: imported as optional (null means unset)"),
    "untyped": (Severity.LOST, "a property without a type (any value): not imported"),
    "union-type": (Severity.LOST, "a property with several types: not imported"),
    "always-null": (Severity.LOST, "a property whose only type is null: not imported"),
    "pattern": (Severity.LOST, "a pattern outside the portable subset: dropped"),
    "format": (Severity.LOST, "a format clickgen has no grammar for: dropped"),
    "multiple-of": (Severity.LOST, "multipleOf: dropped"),
    "const": (Severity.LOST, "a constant clickgen cannot express (boolean, null, object): dropped"),
    "enum": (Severity.LOST, "an enum of non-strings that is not a range: kept as its bounds"),
    "array": (Severity.LOST, "an array constraint clickgen has no word for (tuples, uniqueItems, contains, arrays of arrays)"),
    "object-keyword": (Severity.LOST, "a constraint on an object as a whole (minProperties, dependencies, ...): dropped"),
    "envelope-key": (Severity.LOST, "a property with the key of a clickgen envelope key (at any depth: no field has one): not imported"),
    "invalid-key": (Severity.LOST, "a property key clickgen cannot send (empty, or not valid Unicode): not imported"),
    "ref": (Severity.LOST, "a $ref that does not resolve inside the source, or refers to itself: not imported"),
    "invalid-schema": (Severity.LOST, "a keyword with a value JSON Schema does not allow: ignored"),
    "empty-range": (Severity.LOST, "bounds that no value meets (minimum above maximum): dropped"),
    "never-valid": (Severity.LOST, "a required property no value can satisfy (false schema, no enum value left): the event can never be valid"),
    "not-an-object": (Severity.LOST, "the schema does not describe a JSON object: the event has no fields"),
    "segment-context": (Severity.LOST, "Segment context or traits rules on a track event: not imported"),
    "duplicate-rule": (Severity.LOST, "the same event and version twice in the plan: the first is kept"),
    "per-environment": (Severity.LOST, "a field in the exported schema of some environments only: imported for all of them"),
    "open-object": (Severity.APPROXIMATED, "an object that allows keys beyond its properties (additionalProperties: true): imported closed, with its declared keys"),
    "nullable": (Severity.APPROXIMATED, "an optional property that may be null: null is not sent, the field is left unset"),
    "enum-as-pattern": (Severity.APPROXIMATED, "enum values that cannot all be typed constants: the same set as a pattern"),
    "version-renumbered": (Severity.APPROXIMATED, "source versions renumbered 1, 2, 3... without gaps"),
    "example-dropped": (Severity.APPROXIMATED, "an example that is not a valid value of the field: left out"),
    "skipped-file": (Severity.APPROXIMATED, "a file in the source folder that is not a JSON Schema: not read"),
    "no-traits": (Severity.CONVERTED, "an identify or group rule that declares no traits: no event for it"),
    "exclusive-bound": (Severity.CONVERTED, "exclusiveMinimum/exclusiveMaximum as an inclusive bound (exact: the next integer, or the next double)"),
    "const-converted": (Severity.CONVERTED, "const as a one-value enum or as equal bounds (exact)"),
    "dropped-values": (Severity.CONVERTED, "enum values that no value of the field can equal (another type, invalid Unicode, breaking the other constraints): left out (exact)"),
    "enum-as-range": (Severity.CONVERTED, "an enum of consecutive integers as bounds (exact)"),
    "pattern-contains": (Severity.CONVERTED, "an unanchored pattern (JSON Schema: 'contains a match') written to match the whole value (exact)"),
}


@dataclass(frozen=True)
class Loss:
    kind: str
    message: str
    event: str = ""  # the event's name in the source ("" for the source as a whole)
    version: str = ""  # the version's label in the source
    path: str = ""  # the property's path in the source, e.g. "cart/items"

    @property
    def severity(self) -> Severity:
        return KINDS[self.kind][0]


@dataclass(frozen=True)
class FieldSpec:
    """One property as a clickgen field: its wire key and contract (no name yet).

    An object's members are `members` (sorted by key); an array of objects has its items'
    object in `item_object`, a FieldSpec without a key (it is never on the wire by
    itself) whose name comes from `name_hint`.
    """

    key: str
    contract: tuple[tuple[str, Any], ...]  # (attribute, value) in ir.CONTRACT_ATTRIBUTES order, no key, no members
    description: str = ""
    examples: tuple[Any, ...] = ()
    members: tuple[FieldUseSpec, ...] = ()
    item_object: FieldSpec | None = None
    name_hint: str = ""  # for an item object: the text its name is derived from

    def contract_dict(self) -> dict[str, Any]:
        return dict(self.contract)

    @property
    def name_text(self) -> str:
        """The text the field's name is derived from: its key, or the hint of an item object."""
        return self.key or self.name_hint

    @cached_property
    def contract_text(self) -> str:
        """The contract as comparable text: members (by their own key and contract) and
        the items' object included, the items object's name hint not."""
        text = repr(self.contract)
        if self.members:
            text += " members " + repr(tuple((m.field.identity, m.required) for m in self.members))
        if self.item_object is not None:
            text += " items " + self.item_object.contract_text
        return text

    @cached_property
    def identity(self) -> tuple[str, str]:
        """What makes two properties one dictionary field: key and contract."""
        return self.key, self.contract_text


@dataclass(frozen=True)
class FieldUseSpec:
    field: FieldSpec
    required: bool


@dataclass
class VersionSpec:
    label: str  # the source's version ("1-0-1", "3")
    fields: list[FieldUseSpec]
    description: str = ""


@dataclass
class EventSpec:
    source_name: str  # as the source spells it ("Sign In Failed", "com.acme/button_click")
    name_hint: str  # the text the clickgen name is derived from
    versions: list[VersionSpec]
    description: str = ""
    folder: str = ""  # sub-folder of events/ for the event file ("" for none)
    alternative_hint: str = ""  # the name to try when name_hint's is taken (e.g. with the Iglu vendor)
    id_hint: int | None = None  # an id the source states (clickgen's own exported schemas)
    environments: tuple[str, ...] = ()  # environments the source states; () means all
    losses: list[Loss] = field(default_factory=list)


@dataclass
class EnvironmentSpec:
    name: str
    source_id_hint: int | None = None
    common_fields: list[FieldUseSpec] = field(default_factory=list)


@dataclass
class ImportPlan:
    source_format: str  # "segment" or "jsonschema"
    source_label: str  # the source file or folder's name, for the report
    events: list[EventSpec] = field(default_factory=list)
    environments: list[EnvironmentSpec] = field(default_factory=list)
    losses: list[Loss] = field(default_factory=list)  # about the source as a whole
    name_hint: str = ""  # for the reference's name
    owner: str = "imported"

    def all_losses(self) -> list[Loss]:
        out = list(self.losses)
        for event in self.events:
            out.extend(event.losses)
        return out


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text from the source made writable as UTF-8: a lone surrogate (possible in JSON
    escapes and in undecodable file names) becomes U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def clean_data(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_data(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(k) if isinstance(k, str) else k: clean_data(v) for k, v in value.items()}
    return value


class ImportProblem(Exception):
    """The input cannot be read (exit 2): the message names the file and, for JSON, line:col."""
