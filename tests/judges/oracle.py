"""The expected verdict of a case, written from DESIGN 2.1 and 5 alone.

Deliberately independent of clickgen's own checks (clickgen/contract.py, the
targets): it is what every judge is compared with. It reads the IR for the contract of
each field and nothing else. Where DESIGN is explicit, so is this:
- integer: a JSON integer (no fraction, no exponent: 1.0 is a number), 64-bit signed;
- number: a finite double; an integer becomes the nearest double (ties to even) and
  that double is the value, so bounds apply to it and it is what goes on the wire;
  an integer no double can hold is invalid; booleans are neither;
- string: valid Unicode (no lone surrogates); lengths count code points; enum values
  match code point for code point; a pattern is an I-Regexp (RFC 9485) matched against
  the whole value, where `.` is any character but a line feed or carriage return;
- array: min/max items on the array, every other constraint on each item;
- object: a JSON object of its members (fields, each under its wire key, keeping its
  own contract), every required one present, no other key; an array of objects holds
  such objects. A case gives members by name, as the APIs take them.
Bytes (RFC 8785): keys sorted by UTF-16 code units, no whitespace, strings with only
the mandatory escapes (\\b \\f \\n \\r \\t, other controls as lowercase \\u00xx),
numbers as ECMAScript's Number::toString, which clickgen/canonical_json.py implements
and tests/test_es6_numbers.py checks against Node on 100,000+ doubles.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from clickgen.canonical_json import format_number
from clickgen import formats
from clickgen.ir import INT64_MAX, INT64_MIN, Environment, Event, EventVersion, Field, FieldType, Reference

ENVELOPE = ("event_id", "event_version", "source_id", "event_time_us", "event_uid", "langpack")


def has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, list):
        return any(has_lone_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(has_lone_surrogate(k) or has_lone_surrogate(v) for k, v in value.items())
    return False


@lru_cache(maxsize=None)
def python_regex(pattern: str) -> re.Pattern[str]:
    """An I-Regexp as a Python regex: only `.` reads differently (Python's also matches \\r)."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        elif c == "." and not in_class:
            c = "[^\\n\\r]"
        out.append(c)
        i += 1
    return re.compile("".join(out))


def as_double(value: Any) -> float | None:
    """The double a number field holds for a JSON value, or None when it is no number a double can hold."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int):
        try:
            return float(value)  # round to nearest, ties to even; OverflowError past the largest double
        except OverflowError:
            return None
    return value if math.isfinite(value) else None


def _scalar_ok(field: Field, kind: FieldType, value: Any) -> bool:
    if kind is FieldType.BOOLEAN:
        return isinstance(value, bool)
    if kind is FieldType.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int) or not INT64_MIN <= value <= INT64_MAX:
            return False
        number: float | int = value
    elif kind is FieldType.NUMBER:
        double = as_double(value)
        if double is None:
            return False
        number = double
    elif kind is FieldType.STRING:
        if not isinstance(value, str) or has_lone_surrogate(value):
            return False
        if field.enum is not None and value not in field.enum:
            return False
        if field.min_length is not None and len(value) < field.min_length:
            return False
        if field.max_length is not None and len(value) > field.max_length:
            return False
        if field.format is not None and not formats.matches(field.format, value):
            return False  # the one grammar per format; tests/test_formats.py holds it to the JSON Schema Test Suite
        return field.pattern is None or python_regex(field.pattern).fullmatch(value) is not None
    else:
        return False
    if field.minimum is not None and number < field.minimum:
        return False
    return field.maximum is None or number <= field.maximum


def _object_ok(target: Field, value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    members = {use.name: use for use in target.properties}
    if any(name not in members for name in value):
        return False
    for name, use in members.items():
        if value.get(name) is None:
            if use.required:
                return False
            continue
        if not value_ok(use.field, value[name]):
            return False
    return True


def value_ok(field: Field, value: Any) -> bool:
    if field.type is FieldType.OBJECT:
        return _object_ok(field, value)
    if field.type is not FieldType.ARRAY:
        return _scalar_ok(field, field.type, value)
    if not isinstance(value, list):
        return False
    if field.min_items is not None and len(value) < field.min_items:
        return False
    if field.max_items is not None and len(value) > field.max_items:
        return False
    if field.item_object is not None:
        return all(_object_ok(field.item_object, item) for item in value)
    return all(_scalar_ok(field, field.items or FieldType.STRING, item) for item in value)


class Verbatim(str):
    """Number text written as it is: a sender's 1.0, which RFC 8785 would write as 1."""


def wire_value(field: Field, value: Any) -> Any:
    """The value as a sender writes it: integers in number fields become doubles (when a
    double can hold them); a double in an integer field keeps its fraction (1.0), so
    the line shows the type the sender used (lines of invalid events only)."""
    kind = field.element_type
    target = field.object_field
    if target is not None:
        members = {use.name: use.field for use in target.properties}

        def member_values(v: Any) -> Any:
            if not isinstance(v, dict):
                return v
            return {members[k].wire_key if k in members else k: wire_value(members[k], x) if k in members else x for k, x in v.items() if x is not None or k not in members}

        if field.type is FieldType.ARRAY and isinstance(value, list):
            return [member_values(v) for v in value]
        return member_values(value)

    def convert(v: Any) -> Any:
        if kind is FieldType.NUMBER and isinstance(v, int) and not isinstance(v, bool) and as_double(v) is not None:
            return as_double(v)
        if kind is FieldType.INTEGER and isinstance(v, float):
            return Verbatim(repr(v))
        return v

    return [convert(v) for v in value] if isinstance(value, list) else convert(value)


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def encode(value: Any) -> str:
    """RFC 8785 text of a JSON value; a lone surrogate (never valid) is written as a
    \\uXXXX escape, the only way a JSON text can hold one."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, Verbatim):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, str):
        out = []
        for c in value:
            if c in _SHORT:
                out.append(_SHORT[c])
            elif c < " " or "\ud800" <= c <= "\udfff":
                out.append(f"\\u{ord(c):04x}")
            else:
                out.append(c)
        return '"' + "".join(out) + '"'
    if isinstance(value, list):
        return "[" + ",".join(encode(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(encode(k) + ":" + encode(value[k]) for k in sorted(value, key=_utf16_key)) + "}"
    raise TypeError(f"no JSON for {type(value).__name__}")


@dataclass(frozen=True)
class Expected:
    valid: bool
    text: str  # the canonical line when valid; else the line a sender would write
    bad_fields: frozenset[str]  # the fields that break their contract


def field_uses(environment: Environment, version: EventVersion) -> dict[str, Field]:
    uses = {u.name: u.field for u in environment.common_fields}
    for use in version.fields:
        uses.setdefault(use.name, use.field)
    return uses


def required_fields(environment: Environment, version: EventVersion) -> set[str]:
    return {u.name for u in environment.common_fields if u.required} | {u.name for u in version.fields if u.required}


def expect(reference: Reference, case: dict[str, Any]) -> Expected:
    environment = reference.environments[case["environment"]]
    event: Event = reference.events[case["event"]]
    version = event.version(case["event_version"])
    assert version is not None
    uses = field_uses(environment, version)
    values = {**case["common"], **case["fields"]}
    bad = {name for name, value in values.items() if name not in uses or not value_ok(uses[name], value)}
    bad |= {name for name in required_fields(environment, version) if name not in values}
    # on the wire a field's value goes under its key (`key:`, else its name)
    wire = {uses[name].wire_key if name in uses else name: wire_value(uses[name], value) if name in uses else value for name, value in values.items()}
    wire.update(
        event_id=event.id,
        event_version=version.number,
        source_id=environment.source_id,
        event_time_us=case["event_time_us"],
        event_uid=case["event_uid"],
        langpack=case["langpack"],
    )
    return Expected(not bad, encode(wire), frozenset(bad))
