"""The PHP target: IR + environment -> a dependency-free composer package (PHP >= 8.1).

Input: a `GenerateRequest`. Output: the files of `build/<env>/php/` in memory —
`composer.json`, `src/` (one final class per event version, one backed enum per enum
field, the runtime: Langpack, Event, Client, Json, ValidationException and the senders),
`tests/` (PHPUnit 9, the shared vectors) and `phpunit.xml.dist`.

This module owns the type map (`TYPES`, data), the file plan (`FILE_PLAN`, data) and
the template contexts (small frozen views built from the IR); every check and its
message come from the field's check plan (`clickgen.checkplan.plan_field`), names from
`naming`, patterns from `clickgen.iregexp`; the templates in templates/php/gen<G>/ only loop,
test simple conditions and interpolate.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass
from typing import Any

from clickgen import canonical_json, formats, iregexp, render
from clickgen.checkplan import NOT_UNICODE, ScalarCheck, ValueCheck, bound_text, max_items_reason, max_length_reason, min_items_reason, min_length_reason, plan_field
from clickgen.ir import INT64_MAX, INT64_MIN, ENVELOPE_KEYS, Deprecation, Environment, Event, EventVersion, FieldType, FieldUse
from clickgen.targets.base import GenerateRequest, OutputFile
from clickgen.targets.php import naming
from clickgen.targets.text import json_string, php_doc, php_doc_inline, php_string


@dataclass(frozen=True)
class PhpType:
    native: str  # the parameter and property type
    doc: str  # the phpdoc type of one value
    check: str  # the is_*() function that tests an array item ("" for enums: instanceof)
    noun: str  # for messages: "items must be {noun}"


TYPES = {
    FieldType.STRING: PhpType("string", "string", "is_string", "strings"),
    FieldType.INTEGER: PhpType("int", "int", "is_int", "integers"),
    FieldType.NUMBER: PhpType("float", "float", "is_float", "numbers"),
    FieldType.BOOLEAN: PhpType("bool", "bool", "is_bool", "booleans"),
}
FILTERS = (
    ("php_str", php_string),
    ("php_doc", php_doc),
    ("php_doc_inline", php_doc_inline),
    ("json_str", json_string),
)

# (output path, template, one file per: None | "event" | "enum" | "object"; "objects":
# one file when the environment has objects). Paths are formatted with the item's `class_name`.
FILE_PLAN: tuple[tuple[str, str, str | None], ...] = (
    ("composer.json", "composer.json.j2", None),
    ("phpunit.xml.dist", "phpunit.xml.dist.j2", None),
    ("README.md", "README.md.j2", None),
    ("src/Langpack.php", "Langpack.php.j2", None),
    ("src/Event.php", "Event.php.j2", None),
    ("src/ValidationException.php", "ValidationException.php.j2", None),
    ("src/Json.php", "Json.php.j2", None),
    ("src/Client.php", "Client.php.j2", None),
    ("src/SenderInterface.php", "SenderInterface.php.j2", None),
    ("src/MemorySender.php", "MemorySender.php.j2", None),
    ("src/StreamSender.php", "StreamSender.php.j2", None),
    ("src/HttpBatchSender.php", "HttpBatchSender.php.j2", None),
    ("src/{class_name}.php", "event.php.j2", "event"),
    ("src/{class_name}.php", "enum.php.j2", "enum"),
    ("src/{class_name}.php", "object.php.j2", "object"),
    ("src/ObjectValue.php", "ObjectValue.php.j2", "objects"),
    ("tests/bootstrap.php", "tests/bootstrap.php.j2", None),
    ("tests/collector.php", "tests/collector.php.j2", None),
    ("tests/benchmark.php", "tests/benchmark.php.j2", None),
    ("tests/VectorBuilder.php", "tests/VectorBuilder.php.j2", None),
    ("tests/TypeRefusal.php", "tests/TypeRefusal.php.j2", None),
    ("tests/VectorsTest.php", "tests/VectorsTest.php.j2", None),
    ("tests/EventsTest.php", "tests/EventsTest.php.j2", None),
    ("tests/JsonTest.php", "tests/JsonTest.php.j2", None),
    ("tests/SendersTest.php", "tests/SendersTest.php.j2", None),
)


@dataclass(frozen=True)
class PhpEnum:
    class_name: str
    field: str
    description: str
    cases: list[tuple[str, str, str]]  # (case name, PHP literal of the value, PHP literal of its JSON)


@dataclass(frozen=True)
class PhpField:
    name: str
    key: str  # the JSON key on the wire
    variable: str
    getter: str
    setter: str
    required: bool
    common: bool
    is_array: bool
    native_type: str  # string, int, float, bool, array or the enum class
    doc_type: str  # string, list<int>, ItemStatus, list<ItemStatus>, ...
    item_kind: str  # string, int, float, bool or enum: the scalar, or each item
    item_check: str  # is_int etc., "" for enums
    item_noun: str
    enum_class: str
    enum_values: str  # "a, b, c" for messages
    minimum: str | None  # PHP literals, None when there is no check to make
    maximum: str | None
    min_length: int | None
    max_length: int | None
    pattern: str | None  # PHP string literal of the PCRE
    pattern_constant: str  # the private class constant that holds it
    format_check: str  # the Langpack method that checks the format, "" without one
    min_items: int | None
    max_items: int | None
    messages: dict[str, str]  # reason -> what the value must be (for ValidationException)
    description: str
    deprecated: str
    object_class: str = ""  # an object field's class (of each item, for an array of objects)
    # the locals that hold the value and its wire form (an object's wireArray(), an event's
    # encodePayload()): `local` in objects only, `wire_name` for objects, arrays of objects,
    # and in objects arrays of doubles or enum cases
    local: str = ""
    wire_name: str = ""

    @property
    def has_scalar_checks(self) -> bool:
        """Whether the value (each item, for an array) has more to check than its type."""
        return bool(
            self.item_kind in ("float", "object")
            or self.minimum is not None
            or self.maximum is not None
            or self.min_length
            or self.max_length is not None
            or self.pattern
            or self.format_check
        )

    @property
    def has_checks(self) -> bool:
        return self.is_array or self.has_scalar_checks

    @property
    def never_negative(self) -> bool:
        """Whether the minimum refuses every number below zero: a fast check of a double
        need not look at negative ones."""
        return self.minimum is not None and self.minimum.startswith(tuple("0123456789"))

    @property
    def wire_local(self) -> bool:
        """Whether an object's wireArray() computes this member's wire value into a local
        first (objects, and lists of doubles or enum cases), rather than writing its value."""
        return self.item_kind == "object" or (self.is_array and self.item_kind in ("float", "enum"))

    @property
    def placeholder(self) -> str:
        """The PHP literal a required scalar or array property starts at ("" for enum cases
        and objects): the constructor replaces it at once, but PHP writes a typed property
        that holds a value faster than one left uninitialized (opcache's fast path)."""
        if not self.required:
            return ""
        return {"int": "0", "float": "0.0", "string": "''", "bool": "false", "array": "[]"}.get(self.native_type, "")

    def text(self, value: str) -> str:
        """The PHP expression of the string that lengths and the pattern are checked
        against: an enum case stands for its backing value."""
        return f"{value}->value" if self.item_kind == "enum" else value


@dataclass(frozen=True)
class PhpFormat:
    """A string format's check, a static method of Langpack (clickgen.formats: one grammar)."""

    name: str
    method: str
    constant: str  # the private constant holding its PCRE
    pcre: str  # PHP string literal


FORMATS = {
    name: PhpFormat(
        name,
        "is" + "".join(part.capitalize() for part in name.split("-")),
        name.replace("-", "_").upper() + "_FORMAT",
        php_string("~^(?:" + formats.PATTERNS[name].replace("~", "\\~") + ")$~D"),
    )
    for name in formats.FORMATS
}


@dataclass(frozen=True)
class PhpSlot:
    """One key of the wire object, in canonical (sorted) order, and where its value is."""

    key: str  # the JSON key on the wire
    source: str  # "common", "field" or "envelope"
    field: PhpField | None

    @property
    def name(self) -> str:
        """The field's name (the client's common fields are held by name), or the envelope key."""
        return self.field.name if self.field is not None else self.key


@dataclass(frozen=True)
class PhpPiece:
    """How one key of the wire object is written: constant JSON `text` (a separator, the
    key, and for kind "text" the value too), then the value (by `kind`), then `after`.
    `key` is the field's name (common fields are looked up by it) or the envelope key.
    An optional piece (an optional field or common field) is written only when set; a
    double (`number` >= 0) is formatted before, into the local $number<N>."""

    key: str
    kind: str  # text, common, int, bool, string, enum, float, list, float_list, time or uid
    text: str
    after: str
    field: PhpField | None
    optional: bool
    number: int


@dataclass(frozen=True)
class PhpRopePart:
    """One operand of the concatenation that writes an event's JSON: constant `text`, or
    a piece's value (a whole piece, its key too, when it is optional or a double)."""

    text: str
    piece: PhpPiece | None = None


def rope(encoding: list[PhpPiece], opens_with_optional: bool) -> list[PhpRopePart]:
    """The operands of encodePayload()'s concatenation, the constant texts next to each
    other merged into one: every operand copies all that comes before it, so fewer of
    them write the JSON faster (a big array of objects is copied once, not three times)."""
    parts = [PhpRopePart("{")] if opens_with_optional else []
    for piece in encoding:
        if piece.kind == "text":
            parts.append(PhpRopePart(piece.text))
        elif piece.optional or piece.kind == "float":
            parts.append(PhpRopePart("", piece))
        else:
            parts += [PhpRopePart(piece.text), PhpRopePart("", piece)]
            if piece.kind == "uid":
                parts.append(PhpRopePart('"'))
    parts.append(PhpRopePart("}"))
    merged: list[PhpRopePart] = []
    for part in parts:
        if merged and part.piece is None and merged[-1].piece is None:
            merged[-1] = PhpRopePart(merged[-1].text + part.text)
        else:
            merged.append(part)
    return merged


@dataclass(frozen=True)
class PhpEvent:
    class_name: str
    event_name: str
    event_id: int
    version: int
    summary: str  # the first line of the description
    details: str  # the rest of it
    version_description: str
    deprecated: str
    fields: list[PhpField]
    required: list[PhpField]
    optional: list[PhpField]
    slots: list[PhpSlot]
    pieces: list[PhpPiece]  # how encodePayload() writes the canonical JSON
    rope: list[PhpRopePart]  # the pieces as the operands of one concatenation
    has_floats: bool  # own fields that hold doubles
    text_fields: list[PhpField]  # own fields json_encode() may refuse (strings, lists of strings)
    object_fields: list[PhpField]  # own object fields (and arrays of objects): their strings too
    enum_classes: list[str]  # enums its fields use
    source: str  # the reference file


@dataclass(frozen=True)
class PhpMember:
    """How an object writes one member: `,"key":` then the value by `kind` (encode()), or
    `wire` in the array wireArray() gives json_encode()."""

    text: str  # the JSON text before the value: a comma and the key
    kind: str  # int, bool, string, enum, float, list, float_list, object or object_list
    field: PhpField
    wire: str  # the PHP expression of the value in the wire array


@dataclass(frozen=True)
class PhpWireLiteral:
    """One array literal of an object's wireArray(): taken when `condition` holds (the
    PHP test of which optional members are set; "" for the last one, taken otherwise)."""

    condition: str
    members: list[PhpMember]


@dataclass(frozen=True)
class PhpObject:
    class_name: str
    field_name: str
    summary: str
    details: str
    deprecated: str
    fields: list[PhpField]
    required: list[PhpField]
    optional: list[PhpField]
    members: list[PhpMember]  # in canonical (wire) order
    text_fields: list[PhpField]  # strings and lists of strings: checked for UTF-8 by problem()
    source: str
    has_doubles: bool  # members that hold doubles: wireArray() needs serialize_precision -1
    # wireArray() builds the members in canonical order: an array literal (one per
    # combination of the optional members that sort between required ones, see
    # wire_literals()), then the others one by one
    wire_literals: list[PhpWireLiteral]
    wire_rest: list[PhpMember]
    # wireArray() can hand the members to json_encode(): no key is one PHP turns into an integer
    array_path: bool = True


# the locals of wireArray(), wireList() and encodePayload() that a field's local must not take
_FIXED_LOCALS = frozenset(("plain", "values", "count", "item", "items", "object", "wires", "index", "wire", "problem", "number", "case", "short", "text", "fixed", "plainNumber", "common", "e"))


def with_locals(fields: list[PhpField], member_values: bool) -> list[PhpField]:
    """The fields with distinct names for their locals (member_values: an object's
    wireArray() reads every member into one), none of them one the code uses itself."""
    taken = set(_FIXED_LOCALS)

    def unique(name: str) -> str:
        while name in taken:
            name += "Member"
        taken.add(name)
        return name

    locals_ = [unique(f.variable) if member_values else "" for f in fields]
    wires = [unique(f.variable + "Wire") if f.wire_local else "" for f in fields]
    return [dataclasses.replace(f, local=local, wire_name=wire) for f, local, wire in zip(fields, locals_, wires)]


# at most this many optional members between required ones get a literal per combination
# (2**n literals); beyond, the members after the first optional one are added one by one
_MAX_LITERAL_OPTIONALS = 2


def wire_literals(members: list[PhpMember]) -> tuple[list[PhpWireLiteral], list[PhpMember]]:
    """How wireArray() builds the members (in canonical order): array literals, one of
    which is taken, then the members added one by one after it. An array literal is the
    cheapest array PHP builds, and keys keep their order, so each literal holds every
    required member and one combination of the optional members sorted between them;
    the optional members after the last required one are added after it."""
    last_required = max((i for i, m in enumerate(members) if m.field.required), default=-1)
    if last_required < 0:
        return [], members  # no literal: `$values = []`, then every member
    between = [m for m in members[:last_required] if not m.field.required]
    if len(between) > _MAX_LITERAL_OPTIONALS:
        leading = next(i for i, m in enumerate(members) if not m.field.required)
        return ([PhpWireLiteral("", members[:leading])] if leading else []), members[leading:]
    literals = []
    for subset in itertools.product((True, False), repeat=len(between)):
        chosen = {id(m) for m, is_set in zip(between, subset) if is_set}
        tests = [f"${m.field.local} {'!==' if is_set else '==='} null" for m, is_set in zip(between, subset)]
        kept = [m for m in members[: last_required + 1] if m.field.required or id(m) in chosen]
        literals.append(PhpWireLiteral(" && ".join(tests), kept))
    # the last one (no optional member set) is taken when no other is
    literals[-1] = dataclasses.replace(literals[-1], condition="")
    return literals, members[last_required + 1 :]


def objects_of(environment: Environment) -> list[PhpObject]:
    out = []
    for name, field in environment.object_fields().items():
        fields = with_locals([php_field(u, False) for u in field.properties], True)
        lines = field.description.strip().splitlines()
        members = [
            PhpMember("," + canonical_json.encode_string(f.key) + ":", _value_kind(f), f, _wire_value(f))
            for f in sorted(fields, key=lambda f: canonical_json.utf16_order(f.key))
        ]
        literals, rest = wire_literals(members)
        out.append(
            PhpObject(
                class_name=naming.object_class(name),
                field_name=name,
                summary=lines[0] if lines else f"The object {name}.",
                details="\n".join(lines[1:]).strip(),
                deprecated=_deprecation_text(field.deprecated, f"field {name}"),
                fields=fields,
                required=[f for f in fields if f.required],
                optional=[f for f in fields if not f.required],
                members=members,
                text_fields=[f for f in fields if f.item_kind == "string"],
                source=field.span.path,
                has_doubles=any(f.item_kind == "float" for f in fields),
                wire_literals=literals,
                wire_rest=rest,
                array_path=not any(re.fullmatch(r"-?(0|[1-9][0-9]*)", f.key) for f in fields),
            )
        )
    return out


@dataclass(frozen=True)
class PhpJsonCase:
    """A canonical-JSON unit test: a PHP expression and the exact text it must give."""

    php: str
    expected: str


def php_int(value: int) -> str:
    # -9223372036854775808 is a float in PHP source: the minus is an operator
    return "\\PHP_INT_MIN" if value == INT64_MIN else str(value)


def php_float(value: float) -> str:
    text = repr(float(value))
    return text if any(c in text for c in ".en") else text + ".0"


def _bound(item: ScalarCheck, name: str) -> str | None:
    """The PHP literal of the plan's minimum/maximum, or None when no value can break it."""
    value = getattr(item, name)
    if value is None:
        return None
    if item.kind is FieldType.INTEGER:
        # the plan's integer bounds are whole (rounded inwards), maybe beyond int64
        if (name == "minimum" and value <= INT64_MIN) or (name == "maximum" and value >= INT64_MAX):
            return None  # every int64 satisfies it
        if INT64_MIN <= value <= INT64_MAX:
            return php_int(value)
        return php_float(float(value))  # no int64 satisfies it: compared as a double
    return php_float(value)


def _deprecation_text(deprecated: Deprecation | None, kind: str) -> str:
    if deprecated is None:
        return ""
    text = f"{kind} is deprecated: {deprecated.reason}"
    if deprecated.replaced_by:
        text += f" Use {deprecated.replaced_by} instead."
    return text


# a PHP array with other keys would be written as a JSON object, or lose its keys
_LIST_MESSAGE = "must be a list (keys 0, 1, 2, ...)"


def _items_messages(check: ValueCheck) -> dict[str, str]:
    messages = {}
    if check.min_items is not None:
        messages["min_items"] = min_items_reason(check.min_items)
    if check.max_items is not None:
        messages["max_items"] = max_items_reason(check.max_items)
    return messages


def php_object_field(use: FieldUse, common: bool, check: ValueCheck) -> PhpField:
    """An object field, or an array of objects (`check`, its plan): the members check themselves."""
    field = use.field
    is_array = check.array
    assert check.object is not None
    kind = naming.object_class(check.object.name)
    messages = {"list": _LIST_MESSAGE, "type": f"items must be {kind} objects", **_items_messages(check)} if is_array else {}
    return PhpField(
        name=check.name,
        key=check.key,
        variable=naming.variable(check.name),
        getter=naming.getter(check.name),
        setter=naming.setter(check.name),
        required=use.required,
        common=common,
        is_array=is_array,
        native_type="array" if is_array else kind,
        doc_type=f"list<{kind}>" if is_array else kind,
        item_kind="object",
        item_check="",
        item_noun=f"{kind} objects",
        enum_class="",
        enum_values="",
        minimum=None,
        maximum=None,
        min_length=None,
        max_length=None,
        pattern=None,
        pattern_constant=check.name.upper() + "_PATTERN",
        format_check="",
        min_items=check.min_items or None,
        max_items=check.max_items,
        messages=messages,
        description=field.description.strip(),
        deprecated=_deprecation_text(field.deprecated, f"field {field.name}"),
        object_class=kind,
    )


def php_field(use: FieldUse, common: bool) -> PhpField:
    """A field's PHP view; every check (and its message) comes from the field's check plan."""
    field = use.field
    check = plan_field(field)
    if check.object is not None:
        return php_object_field(use, common, check)
    item = check.item
    is_array = check.array
    enum = naming.enum_class(check.name) if item.enum else ""
    php_type = TYPES[item.kind]
    item_doc = enum or php_type.doc
    each = "each item " if is_array else ""
    messages: dict[str, str] = {}
    if item.minimum is not None:
        messages["minimum"] = f"{each}must be >= {bound_text(item.minimum)}"
    if item.maximum is not None:
        messages["maximum"] = f"{each}must be <= {bound_text(item.maximum)}"
    if item.min_length is not None:
        messages["min_length"] = each + min_length_reason(item.min_length)
    if item.max_length is not None:
        messages["max_length"] = each + max_length_reason(item.max_length)
    if item.pattern is not None:
        messages["pattern"] = f"{each}must match {item.pattern}"
    if is_array:
        messages.update(_items_messages(check))
        messages["list"] = _LIST_MESSAGE
        messages["type"] = f"items must be {'cases of ' + enum if enum else php_type.noun}"
        if enum:
            messages["enum"] = f"items must be cases of {enum}: " + ", ".join(item.enum or ())
    if item.kind is FieldType.NUMBER:
        messages["finite"] = f"{each}must be a finite number"
    if item.format is not None:
        messages["format"] = f"{each}must be a valid {item.format}"
    return PhpField(
        name=check.name,
        key=check.key,
        variable=naming.variable(check.name),
        getter=naming.getter(check.name),
        setter=naming.setter(check.name),
        required=use.required,
        common=common,
        is_array=is_array,
        native_type="array" if is_array else (enum or php_type.native),
        doc_type=f"list<{item_doc}>" if is_array else item_doc,
        item_kind="enum" if enum else php_type.native,
        item_check="" if enum else php_type.check,
        item_noun=php_type.noun,
        enum_class=enum,
        enum_values=", ".join(item.enum or ()),
        minimum=_bound(item, "minimum"),
        maximum=_bound(item, "maximum"),
        min_length=item.min_length or None,
        max_length=item.max_length,
        pattern=php_string(iregexp.for_targets(item.pattern).to_pcre()) if item.pattern is not None else None,
        pattern_constant=check.name.upper() + "_PATTERN",
        format_check=FORMATS[item.format].method if item.format is not None else "",
        min_items=check.min_items or None,
        max_items=check.max_items,
        messages=messages,
        description=field.description.strip(),
        deprecated=_deprecation_text(field.deprecated, f"field {field.name}"),
    )


def slots(fields: list[PhpField], common: list[PhpField]) -> list[PhpSlot]:
    """Every key of the wire object, sorted as RFC 8785 sorts them (by UTF-16 code units)."""
    found = [PhpSlot(f.key, "common", f) for f in common]
    found += [PhpSlot(f.key, "field", f) for f in fields]
    found += [PhpSlot(key, "envelope", None) for key in ENVELOPE_KEYS]
    return sorted(found, key=lambda s: canonical_json.utf16_order(s.key))


def _value_kind(field: PhpField) -> str:
    if field.item_kind == "object":
        return "object_list" if field.is_array else "object"
    if field.is_array:
        return "float_list" if field.item_kind == "float" else "list"
    return field.item_kind  # int, bool, string, enum or float


def _wire_value(field: PhpField) -> str:
    """The PHP expression of an object member's value in its wireArray() (see PhpMember),
    where it is set: its local, or the local holding its wire form."""
    if field.wire_local:
        return "$" + field.wire_name
    if field.item_kind == "enum":
        return f"${field.local}->value"
    if field.item_kind == "float":
        # -0.0 is falsy: it becomes 0, written 0 as RFC 8785 wants (not `+ 0.0`, which
        # opcache's optimizer drops)
        return f"${field.local} ?: 0"
    return "$" + field.local


def pieces(event_id: int, version: int, langpack: str, source_id: int, ordered: list[PhpSlot]) -> tuple[list[PhpPiece], bool]:
    """What writes each key of the wire object, in canonical order.

    Separators: pieces before the first one that is always there carry a trailing comma
    (they are optional, and something always follows them); the first certain piece has
    none; every later piece starts with one. The first certain piece opens the object
    when nothing optional comes before it.
    """
    constants = {
        "event_id": str(event_id),
        "event_version": str(version),
        "source_id": str(source_id),
        "langpack": canonical_json.encode_string(langpack),
    }
    out: list[PhpPiece] = []
    seen_certain = False
    numbers = 0
    for slot in ordered:
        optional = slot.field is not None and not slot.field.required
        lead = "," if seen_certain else ("{" if not out and not optional else "")
        after = "," if optional and not seen_certain else ""
        if slot.source == "envelope":
            kind = "text" if slot.key in constants else ("time" if slot.key == "event_time_us" else "uid")
        elif slot.source == "common":
            kind = "common"
        else:
            assert slot.field is not None
            kind = _value_kind(slot.field)
        text = lead + canonical_json.encode_string(slot.key) + ":" + constants.get(slot.key, "") + ('"' if kind == "uid" else "")
        out.append(PhpPiece(slot.name, kind, text, after, slot.field, optional, numbers if kind == "float" else -1))
        numbers += kind == "float"
        seen_certain = seen_certain or not optional
    return out, bool(out) and out[0].optional


def php_event(
    environment: Environment, event: Event, version: EventVersion, common: list[PhpField], langpack: str
) -> PhpEvent:
    fields = with_locals([php_field(u, False) for u in environment.own_fields(version)], False)
    deprecated = _deprecation_text(event.deprecated, f"event {event.name}") or _deprecation_text(
        version.deprecated, f"version {version.number} of event {event.name}"
    )
    lines = event.description.strip().splitlines()
    summary = lines[0] if lines else f"The event {event.name}."
    ordered = slots(fields, common)
    encoding, opens_with_optional = pieces(event.id, version.number, langpack, environment.source_id, ordered)
    return PhpEvent(
        class_name=naming.event_class(event.name, version.number),
        event_name=event.name,
        event_id=event.id,
        version=version.number,
        summary=summary,
        details="\n".join(lines[1:]).strip(),
        version_description=version.description.strip(),
        deprecated=deprecated,
        fields=fields,
        required=[f for f in fields if f.required],
        optional=[f for f in fields if not f.required],
        slots=ordered,
        pieces=encoding,
        rope=rope(encoding, opens_with_optional),
        has_floats=any(f.item_kind == "float" for f in fields),
        text_fields=[f for f in fields if f.item_kind == "string"],
        object_fields=[f for f in fields if f.item_kind == "object"],
        enum_classes=sorted({f.enum_class for f in fields if f.enum_class}),
        source=event.path,
    )


def enums_of(environment: Environment) -> list[PhpEnum]:
    return [
        PhpEnum(
            naming.enum_class(name),
            name,
            field.description.strip(),
            [(naming.enum_case(v), php_string(v), php_string(canonical_json.encode_string(v))) for v in plan_field(field).item.enum or ()],
        )
        for name, field in environment.enum_fields().items()
    ]


# Values whose canonical form json_encode() does not give by itself.
_JSON_NUMBERS = (0.1, -0.0, 0.0, 1.0, -1.5, 1e21, 1e-7, 1e-5, 1e-4, 1e16, 1e17, 1.5e300, 5e-324, 1.7976931348623157e308,
                 123456789012345.6, 9007199254740993.0, 2.5e-8, 4.35, 0.30000000000000004, 1e22, 123e-20,
                 2.0**-24, 2.0**89)  # next to powers of two the shortest digits are not the nearest ones
_JSON_STRINGS = ("", "plain", "quote \" backslash \\ slash /", "\b\f\n\r\t", "".join(chr(c) for c in range(0x20)), "\x7f del",
                 "\u2028\u2029", "Привет 👋 名前", "<?php ?> */ ${x}")


def json_cases() -> list[PhpJsonCase]:
    cases = [PhpJsonCase(php_float(v), canonical_json.format_number(v)) for v in _JSON_NUMBERS]
    cases += [PhpJsonCase(php_string(s), canonical_json.encode_string(s)) for s in _JSON_STRINGS]
    # the cases are encoded as numbers, and a number given an integer is the double nearest it
    cases += [PhpJsonCase(php_int(v), canonical_json.format_number(float(v))) for v in (0, -1, 2**53 + 1, INT64_MAX, INT64_MIN)]
    return cases


class PhpTarget:
    language = "php"

    def __init__(self) -> None:
        self.generations: tuple[int, ...] = render.available_generations("php")

    def generate(self, request: GenerateRequest) -> list[OutputFile]:
        reference, environment = request.reference, request.environment
        settings = reference.settings
        namespace = naming.namespace(settings.php_namespace_prefix, environment.name)
        common = [php_field(u, True) for u in environment.common_fields]
        events = [php_event(environment, e, v, common, request.version) for e in environment.events for v in e.versions]
        enums = enums_of(environment)
        objects = objects_of(environment)
        used_formats = {name for name in (plan_field(f).item.format for f in environment.used_fields().values()) if name is not None}
        all_fields = {f.name: f for f in common}
        for event in events:
            all_fields.update((f.name, f) for f in event.fields)
        for item in objects:
            all_fields.update((f.name, f) for f in item.fields)
        context: dict[str, Any] = {
            "header": f"Code generated by clickgen {request.clickgen_version} from the reference {settings.name!r}. DO NOT EDIT.",
            "namespace": namespace,
            "namespace_json": namespace.replace("\\", "\\\\"),
            "package": naming.package(settings.php_vendor, settings.name, environment.name),
            "version": request.version,
            "environment": environment.name,
            "environment_description": environment.description.strip(),
            "owner": environment.owner,
            "source_id": environment.source_id,
            "collector": environment.collector,
            "reference_name": settings.name,
            "reference_description": settings.description.strip(),
            "deprecated_environment": _deprecation_text(environment.deprecated, f"environment {environment.name}"),
            "events": events,
            "enums": enums,
            "objects": objects,
            "common": common,
            "common_required": [f for f in common if f.required],
            "common_optional": [f for f in common if not f.required],
            "all_fields": [all_fields[name] for name in sorted(all_fields)],
            "formats": [FORMATS[name] for name in sorted(used_formats)],
            "calendar_formats": any(name in formats.CALENDAR for name in used_formats),
            "max_hostname": formats.MAX_HOSTNAME,
            "max_local_part": formats.MAX_LOCAL_PART,
            "max_domain": formats.MAX_DOMAIN,
            "json_cases": json_cases(),
            "not_unicode": NOT_UNICODE,  # the plan's words for a string that is not UTF-8
        }
        files = []
        for path, template, each in FILE_PLAN:
            if each == "objects" and not objects:
                continue  # the objects' shared interface exists only where there are objects
            items: list[Any] = [None] if each in (None, "objects") else {"event": events, "enum": enums, "object": objects}[each]
            for item in items:
                local: dict[str, Any] = dict(context)
                if each not in (None, "objects"):
                    local[each] = item  # the one event, enum or object the file is about
                text = render.render("php", request.generation, template, FILTERS, **local)
                name = path.format(class_name=item.class_name) if item is not None else path
                files.append(OutputFile(name, text.encode("utf-8")))
        files.append(OutputFile("tests/vectors.json", request.vectors_json))
        return sorted(files, key=lambda f: f.path)
