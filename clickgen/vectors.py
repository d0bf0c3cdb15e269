"""Shared test vectors (DESIGN 5): IR + environment -> the `vectors.json` document.

Every langpack's generated tests build each valid vector through the public API and
compare the exact bytes with `json`; every invalid vector must be refused, naming
`field`. Values are chosen deterministically: a field's `examples` first, then edge
values (unicode, empty strings, 64-bit limits, 0.1, 1e21, -0.0) that satisfy the
field's contract. Invalid vectors break exactly one constraint of one field and say
which (`reason`), so a language can skip the kinds its type system already rules out.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from typing import Any, Iterable, Iterator

from clickgen import canonical_json, formats, iregexp
from clickgen.checkplan import plan_field
from clickgen.contract import check_item, check_value, compiled_pattern
from clickgen.ir import INT64_MAX, INT64_MIN, Environment, Event, EventVersion, Field, FieldType, FieldUse, Reference

BASE_TIME_US = 1764135268123456
# vectors stay small: a limit of 5e9 characters must not make a 5 GB string
MAX_VECTOR_STRING = 10_000
MAX_VECTOR_ITEMS = 1_000
# per pattern field and event version: valid values through its branches and traps,
# and invalid values a character away (clickgen/iregexp.py samples)
PATTERN_VECTORS = 6

_STRINGS = (
    "a",
    "",
    "Привет, мир 👋",
    "quote \" backslash \\ slash / <?php */ ?> ${x} {{ y }} `z`",
    "line\nbreak\ttab\u0001ctl\u007fdel\u2028ls",
    "名前",
)
_NUMBERS = (0.1, 1e21, -0.0, 1.5, 0, 123.456, 1e-7, -2.5)
# Numbers given as integers: on the wire each is the double nearest it (DESIGN 2.1),
# 9007199254740992, 1e+21 and -9223372036854776000.
_INTEGRAL_NUMBERS = (2**53 + 1, 10**21, INT64_MIN - 1)
# A number JSON can write and no double holds: every judge refuses it.
_BEYOND_DOUBLES = 10**400
_INTEGERS = (42, 0, 1, -1, INT64_MAX, INT64_MIN)


def _unique(values: list[Any]) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if not any(type(v) is type(value) and v == value and str(v) == str(value) for v in seen):
            seen.append(value)
    return seen


def _scalar_candidates(field: Field, kind: FieldType) -> list[Any]:
    if kind is FieldType.BOOLEAN:
        return [True, False]
    if kind is FieldType.STRING:
        if field.enum:
            return [field.enum[0], field.enum[-1]]
        out: list[Any] = []
        if field.pattern:
            out += list(iregexp.for_targets(field.pattern).samples().valid[:3])
        if field.format:
            out += formats.VALID_SAMPLES[field.format]
        out += list(_STRINGS)
        low, high = field.min_length or 0, field.max_length
        if high is not None:
            out.append("é" * min(high, MAX_VECTOR_STRING))
        if low <= MAX_VECTOR_STRING:
            out.append("ж" * max(low, 1))
        return out
    if kind is FieldType.INTEGER:
        out = list(_INTEGERS)
        for limit in (field.minimum, field.maximum):
            if limit is not None:
                out.append(int(math.ceil(limit)) if limit == field.minimum else int(math.floor(limit)))
        if field.minimum is not None and field.maximum is not None:
            out.append(int((field.minimum + field.maximum) // 2))
        return out
    out = list(_NUMBERS) + list(_INTEGRAL_NUMBERS)
    for limit in (field.minimum, field.maximum):
        if limit is not None:
            out.append(float(limit))
    if field.minimum is not None and field.maximum is not None:
        out.append((field.minimum + field.maximum) / 2)
    return out


_VALID_CACHE: dict[int, tuple[Field, list[Any]]] = {}


def valid_values(field: Field) -> list[Any]:
    """Valid values of a field: its examples, then generated ones, ordered typical -> edge."""
    cached = _VALID_CACHE.get(id(field))
    if cached is not None and cached[0] is field:
        return list(cached[1])
    values = _valid_values(field)
    _VALID_CACHE[id(field)] = (field, values)
    return list(values)


def api_reason(field: Field, value: Any) -> str | None:
    """Why a value as an API takes it (objects keyed by field names) breaks the contract."""
    plan = plan_field(field)
    return plan.reason(plan.keyed(value))


def _object_candidates(target: Field) -> list[dict[str, Any]]:
    """Valid objects (API form): required members only, every member, every member at its edge."""
    out: list[dict[str, Any]] = []
    for all_members, pick in ((False, _first), (True, _first), (True, _edge_value)):
        picked = _pick_values(target.properties, all_members, pick)
        if picked is not None:
            out.append(picked)
    return out


def _valid_values(field: Field) -> list[Any]:
    plan = plan_field(field)
    candidates = [plan.api_value(example) for example in field.examples]
    target = field.object_field
    if target is not None and field.type is FieldType.OBJECT:
        candidates += _object_candidates(target)
        return [v for v in _unique(candidates) if api_reason(field, v) is None]
    if field.type is FieldType.ARRAY:
        if target is not None:
            items = valid_values(target)
        else:
            items = [v for v in _scalar_candidates(field, field.items or FieldType.STRING) if check_value_item(field, v)]
        low = field.min_items or 0
        high = min(field.max_items, MAX_VECTOR_ITEMS) if field.max_items is not None else max(low, 3)
        for count in (max(low, 1), low, high):
            if items and count <= high and count <= MAX_VECTOR_ITEMS:
                candidates.append([items[i % len(items)] for i in range(count)])
        integral = [v for v in items if _is_integral_number(field, v)][:high]
        if integral and len(integral) >= low:
            candidates.insert(len(candidates) - 1, integral)  # neither the typical nor the edge value
    else:
        candidates += _scalar_candidates(field, field.type)
    return [v for v in _unique(candidates) if api_reason(field, v) is None]


def _is_integral_number(field: Field, value: Any) -> bool:
    """Whether a number field's value is given as integers (and so becomes doubles)."""
    target = field.object_field
    if target is not None:
        objects = value if isinstance(value, list) else [value]
        return any(_is_integral_number(u.field, o[u.name]) for o in objects if isinstance(o, dict) for u in target.properties if u.name in o)
    if field.element_type is not FieldType.NUMBER:
        return False
    if isinstance(value, list):
        return any(_is_integral_number(field, v) for v in value)
    return type(value) is int and value != 0


def check_value_item(field: Field, value: Any) -> bool:
    return check_item(field, value) is None


def _edge_value(field: Field, values: list[Any]) -> Any:
    """The most extreme candidate that is not the typical one."""
    return values[-1] if len(values) > 1 else values[0]


def invalid_values(field: Field) -> Iterator[tuple[str, Any]]:
    """(reason, value) pairs, each breaking one constraint of the field."""
    for reason, value, _ in invalid_values_at(field, field.name):
        yield reason, value


def invalid_values_at(field: Field, path: str) -> Iterator[tuple[str, Any, str]]:
    """(reason, value, path of the bad value) triples, each breaking one constraint of
    the field; for objects, one constraint of one member at any depth."""
    target = field.object_field
    if target is None:
        for reason, value in _invalid_scalar_values(field):
            yield reason, value, path
        return
    valid = valid_values(field)
    if field.type is FieldType.OBJECT:
        base = valid[0] if valid else None
        if base is not None:
            yield from _invalid_objects(target, base, path, lambda bad: bad)
        return
    typical = valid[0] if valid else None
    if not isinstance(typical, list):
        return
    objects = [v for v in valid_values(target)]
    if not objects:
        return
    # two items where the bounds allow, so that the bad one's index is not 0
    count = max(min(2, field.max_items if field.max_items is not None else 2), field.min_items or 0, 1)
    if field.max_items is not None and count > field.max_items:
        return
    # the bad object comes last, after valid ones: its index is in the path
    before = [objects[i % len(objects)] for i in range(count - 1)]
    yield from _invalid_objects(target, objects[0], f"{path}[{count - 1}]", lambda bad: [*before, bad])
    item = typical[0] if typical else objects[0]
    if field.min_items and field.min_items <= MAX_VECTOR_ITEMS:
        yield "min_items", [item] * (field.min_items - 1), path
    if field.max_items is not None and field.max_items < MAX_VECTOR_ITEMS:
        yield "max_items", [item] * (field.max_items + 1), path


def _invalid_objects(target: Field, base: dict[str, Any], path: str, wrap: Any) -> Iterator[tuple[str, Any, str]]:
    """Objects like `base` with one member broken (or a required one null), wrapped."""
    for use in target.properties:
        member_path = f"{path}.{use.name}"
        for reason, bad, bad_path in invalid_values_at(use.field, member_path):
            yield reason, wrap({**base, use.name: bad}), bad_path
        if use.required:
            yield "null", wrap({**base, use.name: None}), member_path


def _invalid_scalar_values(field: Field) -> Iterator[tuple[str, Any]]:
    kind = field.element_type
    valid = valid_values(field)
    typical = valid[0] if valid else None

    def wrap(value: Any) -> Any:
        if field.type is FieldType.ARRAY:
            # as many items as min_items asks for, so that only the item's constraint is broken
            return [value] * max(1, field.min_items or 0)
        return value

    if kind is FieldType.STRING:
        if field.enum:
            yield "enum", wrap("not-" + "-".join(field.enum)[:40] + "-x")
            # an enum value may break the field's lengths or pattern: typed languages then
            # check the value behind their enum constant
            for reason in ("min_length", "max_length", "pattern"):
                broken = next((v for v in field.enum if _string_breaks(field, v) == [reason]), None)
                if broken is not None:
                    yield reason, wrap(broken)
        # with an enum, a too short or too long value is not in the enum either: the
        # vector would break two constraints, and its reason would be ambiguous
        # so is a value of the wrong length in a format: lengths are then left to the format's vectors
        if field.min_length and not field.enum and not field.format:
            yield "min_length", wrap("x" * min(field.min_length - 1, MAX_VECTOR_STRING))
        if field.max_length is not None and not field.enum and not field.format:
            if field.max_length < MAX_VECTOR_STRING:
                yield "max_length", wrap("x" * (field.max_length + 1))
        if field.pattern:
            # the pattern's own near misses (traps first: a trailing newline, \r and
            # U+2028 against `.`, non-ASCII digits and letters, astral characters)
            near_misses = iregexp.for_targets(field.pattern).samples().invalid
            found = 0
            for attempt in (*near_misses, "", "!", " ", "~~~", "\u00e9", "0", "a" * 3):
                candidate = wrap(attempt)
                if check_value(field, candidate) is not None and _only_pattern_fails(field, attempt):
                    yield "pattern", candidate
                    found += 1
                    if found == PATTERN_VECTORS:
                        break
    if kind is FieldType.STRING and field.format:
        without_format = dataclasses.replace(plan_field(field).item, format=None)
        for sample in formats.INVALID_SAMPLES[field.format]:
            if without_format.reason(sample) is None:  # only the format is broken
                yield "format", wrap(sample)
    if kind is FieldType.INTEGER:
        if field.minimum is not None and math.ceil(field.minimum) - 1 >= INT64_MIN:
            yield "minimum", wrap(math.ceil(field.minimum) - 1)
        if field.maximum is not None and math.floor(field.maximum) + 1 <= INT64_MAX:
            yield "maximum", wrap(math.floor(field.maximum) + 1)
    if kind is FieldType.NUMBER:
        yield "finite", wrap(_BEYOND_DOUBLES)
        if field.minimum is not None:
            below = _beyond(float(field.minimum), -1)
            if below is not None:
                yield "minimum", wrap(below)
        if field.maximum is not None:
            above = _beyond(float(field.maximum), 1)
            if above is not None:
                yield "maximum", wrap(above)
    if field.type is FieldType.ARRAY and isinstance(typical, list):
        item = typical[0] if typical else None
        if field.min_items and item is not None and field.min_items <= MAX_VECTOR_ITEMS:
            yield "min_items", [item] * (field.min_items - 1)
        if field.max_items is not None and item is not None and field.max_items < MAX_VECTOR_ITEMS:
            yield "max_items", [item] * (field.max_items + 1)


def _beyond(limit: float, direction: int) -> float | None:
    """A finite double just past a limit; plain +-1 vanishes in rounding for huge limits."""
    for candidate in (limit + direction, limit * 1.5 if limit * direction > 0 else limit / 1.5, math.nextafter(limit, direction * math.inf)):
        if math.isfinite(candidate) and (candidate - limit) * direction > 0:
            return candidate
    return None


def _string_breaks(field: Field, value: str) -> list[str]:
    """The length and pattern constraints a string breaks (its enum aside)."""
    broken = []
    if field.min_length is not None and len(value) < field.min_length:
        broken.append("min_length")
    if field.max_length is not None and len(value) > field.max_length:
        broken.append("max_length")
    if field.pattern is not None and compiled_pattern(field.pattern).fullmatch(value) is None:
        broken.append("pattern")
    return broken


def _pattern_values(uses: Iterable[FieldUse]) -> Iterator[tuple[str, Any]]:
    """More valid values of each pattern field: through every branch of the pattern and
    with the characters engines disagree on (U+2028 or an astral one against `.`)."""
    for use in uses:
        field = use.field
        if field.pattern is None or field.enum is not None:
            continue
        samples = iregexp.for_targets(field.pattern).samples().valid
        wrapped = ([s] * max(1, field.min_items or 0) if field.type is FieldType.ARRAY else s for s in samples)
        usable = [v for v in wrapped if check_value(field, v) is None]
        for value in usable[1:PATTERN_VECTORS]:  # the first one is in the usual vectors already
            yield use.name, value


def _only_pattern_fails(field: Field, value: str) -> bool:
    lengths_ok = (field.min_length is None or len(value) >= field.min_length) and (field.max_length is None or len(value) <= field.max_length)
    format_ok = field.format is None or formats.matches(field.format, value)
    return lengths_ok and format_ok and (field.enum is None or value in field.enum)


def _uid(seed: str) -> str:
    """A deterministic, well-formed UUIDv7 (RFC 9562) for a vector."""
    digest = bytearray(hashlib.sha256(seed.encode()).digest()[:16])
    digest[0:6] = (BASE_TIME_US // 1000).to_bytes(6, "big")
    digest[6] = 0x70 | (digest[6] & 0x0F)
    digest[8] = 0x80 | (digest[8] & 0x3F)
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _first(field: Field, values: list[Any]) -> Any:
    return values[0]


# Per kind, the valid values most likely written differently by the languages, first
# found first: doubles json_encode() and repr() do not write as ECMAScript does, text
# that needs escapes, the widest integer.
_HARD = {
    FieldType.NUMBER: (1e-7, 1e21, -0.0),
    FieldType.STRING: (_STRINGS[4], _STRINGS[3], _STRINGS[2]),
    FieldType.INTEGER: (INT64_MIN, INT64_MAX),
}


def _hard(field: Field, values: list[Any]) -> Any:
    """The hardest valid value to write (see _HARD), every member of an object included
    at any depth, an array of objects filled with it; else the edge value."""
    target = field.object_field
    hard: Any = None
    if target is not None:
        member_values = _pick_values(target.properties, True, _hard)
        if member_values is not None:
            if field.type is FieldType.OBJECT:
                hard = member_values
            else:
                hard = [member_values] * max(field.min_items or 0, 1)
    elif field.type is not FieldType.ARRAY:
        hard = next((v for v in _HARD.get(field.type, ()) if any(v == w and type(v) is type(w) for w in values)), None)
    if hard is not None and api_reason(field, hard) is None:
        return hard
    return _edge_value(field, values)


def _integral(field: Field, values: list[Any]) -> Any:
    """A number field's value given as integers, where it has one; else the typical value."""
    return next((v for v in values if _is_integral_number(field, v)), values[0])


def _pick_values(uses: Iterable[FieldUse], all_fields: bool, pick: Any) -> dict[str, Any] | None:
    """A value for every required field (and every field when all_fields), chosen by pick;
    None when a required field has no valid value to offer."""
    out: dict[str, Any] = {}
    for use in uses:
        if use.required or all_fields:
            values = valid_values(use.field)
            if not values:
                if use.required:
                    return None
                continue
            out[use.name] = pick(use.field, values)
    return out


def _wire_values(uses: Iterable[FieldUse], values: dict[str, Any]) -> dict[str, Any]:
    """Picked values by wire key, as the wire carries them (numbers as doubles)."""
    out: dict[str, Any] = {}
    for use in uses:
        if use.name in values:
            plan = plan_field(use.field)
            out[plan.key] = plan.wire_value(values[use.name])
    return out


class _Builder:
    def __init__(self, reference: Reference, environment: Environment, langpack_version: str) -> None:
        self.reference = reference
        self.environment = environment
        self.langpack_version = langpack_version
        self.counter = 0
        self.common_uses = list(environment.common_fields)

    def common(self, all_fields: bool, pick: Any) -> dict[str, Any] | None:
        return _pick_values(self.common_uses, all_fields, pick)

    def has_integral_numbers(self, version: EventVersion) -> bool:
        """Whether a number field of the version (or a common one) can be given integers."""
        uses = [*self.common_uses, *self.environment.own_fields(version)]
        return any(_is_integral_number(u.field, v) for u in uses for v in valid_values(u.field))

    def valid(self, event: Event, version: EventVersion, all_fields: bool, pick: Any, override: tuple[str, Any] | None = None) -> dict[str, Any] | None:
        fields = _pick_values(self.environment.own_fields(version), all_fields, pick)
        common = self.common(all_fields, pick)
        if fields is None or common is None:
            return None
        if override is not None:  # one field set to a given valid value
            name, value = override
            (common if any(u.name == name for u in self.common_uses) else fields)[name] = value
        self.counter += 1
        time_us = BASE_TIME_US + self.counter * 1_000_003
        uid = _uid(f"{self.environment.name}/{event.name}/{version.number}/{self.counter}")
        wire = {
            **_wire_values(self.common_uses, common),
            **_wire_values(self.environment.own_fields(version), fields),
            "event_id": event.id,
            "event_version": version.number,
            "source_id": self.environment.source_id,
            "event_time_us": time_us,
            "event_uid": uid,
            "langpack": self.langpack_version,
        }
        return {
            "event": event.name,
            "event_version": version.number,
            "common": common,
            "fields": fields,
            "event_time_us": time_us,
            "event_uid": uid,
            "json": canonical_json.encode(wire),
        }

    def invalid(self, event: Event, version: EventVersion) -> Iterator[dict[str, Any]]:
        base_fields = _pick_values(self.environment.own_fields(version), False, _first)
        common = self.common(False, _first)
        if base_fields is None or common is None:
            return
        for use in self.environment.own_fields(version):
            for reason, value, path in invalid_values_at(use.field, use.name):
                vector = {
                    "event": event.name,
                    "event_version": version.number,
                    "common": common,
                    "fields": {**base_fields, use.name: value},
                    "field": use.name,
                    "reason": reason,
                }
                if path != use.name:
                    vector["path"] = path  # the bad value inside an object: cart_lines[0].price
                yield vector
            if use.required:
                yield {
                    "event": event.name,
                    "event_version": version.number,
                    "common": common,
                    "fields": {**base_fields, use.name: None},
                    "field": use.name,
                    "reason": "null",
                }


def build_vectors(reference: Reference, environment: Environment, langpack_version: str) -> dict[str, Any]:
    builder = _Builder(reference, environment, langpack_version)
    valid: list[dict[str, Any]] = []
    invalid: list[dict[str, Any]] = []
    for event in environment.events:
        for version in event.versions:
            for all_fields, pick in ((False, _first), (True, _first), (True, _edge_value)):
                vector = builder.valid(event, version, all_fields, pick)
                if vector is not None:
                    valid.append(vector)
            # the hardest values, at every depth of the objects
            vector = builder.valid(event, version, True, _hard)
            if vector is not None:
                valid.append(vector)
            if builder.has_integral_numbers(version):
                vector = builder.valid(event, version, True, _integral)
                if vector is not None:
                    valid.append(vector)
            for name, value in _pattern_values(environment.own_fields(version)):
                vector = builder.valid(event, version, False, _first, (name, value))
                if vector is not None:
                    valid.append(vector)
            invalid.extend(builder.invalid(event, version))
    # a broken common field is refused too, whatever the event
    if environment.events:
        event = environment.events[0]
        version = event.latest
        for name, value in _pattern_values(environment.common_fields):
            vector = builder.valid(event, version, False, _first, (name, value))
            if vector is not None:
                valid.append(vector)
        base = builder.valid(event, version, False, _first)
        if base is not None:
            for use in environment.common_fields:
                for reason, value, path in invalid_values_at(use.field, use.name):
                    vector = {
                        "event": event.name,
                        "event_version": version.number,
                        "common": {**base["common"], use.name: value},
                        "fields": base["fields"],
                        "field": use.name,
                        "reason": reason,
                    }
                    if path != use.name:
                        vector["path"] = path
                    invalid.append(vector)
    return {"environment": environment.name, "langpack": langpack_version, "valid": valid, "invalid": invalid}
