"""Edge values of a field's contract, drawn with hypothesis (deterministically), and
the category of a value, which says what kind of edge it is.

Values are meant to sit on both sides of every constraint: doubles chosen by bit
pattern (powers of two, subnormals, the 1e21 and 1e-7 switch points of ECMAScript's
number format, +-0, the largest and smallest doubles, the neighbours of every bound);
int64 limits and beyond; integers given to number fields (2^53+1, 10**400); strings
with astral characters, U+2028/2029, combining marks, controls and lone surrogates,
at and past their length limits; enum values and near misses; arrays at and past
their bounds; values of the wrong JSON type; for a field with a format, the format's
samples and one-character mutations of its valid ones.
"""

from __future__ import annotations

import math
import struct
import unicodedata
from contextlib import contextmanager
from typing import Any, Iterator
from unittest import mock

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from clickgen import formats
from clickgen.ir import INT64_MAX, INT64_MIN, Field, FieldType

from judges.oracle import as_double, has_lone_surrogate, python_regex

MAX_DOUBLE = 1.7976931348623157e308


def double_from_bits(bits: int) -> float:
    return float(struct.unpack(">d", bits.to_bytes(8, "big"))[0])


def _special_doubles() -> list[float]:
    out = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, MAX_DOUBLE, -MAX_DOUBLE, 0.1, 0.2, 0.3, 1 / 3]
    out += [2.0**e for e in range(-1074, 1024, 37)] + [2.0**-24, 2.0**89, 2.0**-1074, 2.0**1023, 2.0**53, 2.0**63, 2.0**64]
    for switch in (1e21, 1e-7, 1e-6, 1e20, 9007199254740992.0):
        out += [switch, math.nextafter(switch, 0), math.nextafter(switch, math.inf), -switch]
    out += [123456789012345680000.0, 1.5e300, 4.35, 0.000001, 1e-323]
    return out


SPECIAL_DOUBLES = _special_doubles()
SPECIAL_INTEGERS = [0, 1, -1, INT64_MAX, INT64_MIN, INT64_MAX + 1, INT64_MIN - 1, 2**53, 2**53 + 1, -(2**53) - 1, 2**64, 10**21, 10**400, -(10**400)]
# 2^1024 - 2^970 is the largest double exactly; one unit more rounds to infinity
SPECIAL_NUMBER_INTEGERS = SPECIAL_INTEGERS + [2**89, 2**1024 - 2**970, 2**1024 - 2**969, 2**1024, 3, -7, 9007199254740993, 18014398509481985]

# characters that judges tend to count, escape or match differently
TRICKY_CHARS = [
    "a", "Z", "0", "é", "\u0301", "\u0308", "ж", "Ω", "名", "👋", "𝄞", "\U0010ffff", "\u2028", "\u2029", "\u0085", "\x00", "\x01", "\x1f",
    "\x7f", "\n", "\r", "\t", " ", '"', "\\", "/", "\ufeff", "\ufffd", "\u200d", "\U0001f1fa", "\U0001f1e6", "-", ".", "α", "ω", "Α",
]
LONE_SURROGATES = ["\ud83d", "\udc4b", "\udfff", "\ud800"]

_doubles = st.one_of(
    st.integers(0, 2**64 - 1).map(double_from_bits).filter(math.isfinite),
    st.sampled_from(SPECIAL_DOUBLES),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(-10.0, 10.0),
)
_characters = st.one_of(st.sampled_from(TRICKY_CHARS), st.characters(exclude_categories=["Cs"]))


def _near(limit: float | int | None) -> list[Any]:
    if limit is None:
        return []
    out: list[Any] = [limit, math.nextafter(float(limit), math.inf), math.nextafter(float(limit), -math.inf), float(limit)]
    if float(limit).is_integer() and abs(limit) < 2**63:
        out += [int(limit) - 1, int(limit), int(limit) + 1]
    return out


def _string_strategy(field: Field) -> st.SearchStrategy[str]:
    parts = [st.text(_characters, max_size=8), st.sampled_from(["", "a", "\u2028", "\u2029", "👋" * 3, "e\u0301", "\x00"])]
    low, high = field.min_length, field.max_length
    for length in {v for v in (low, high) if v is not None}:
        for size in (length - 1, length, length + 1):
            if 0 <= size <= 300:
                parts.append(st.text(_characters, min_size=size, max_size=size))
    if field.pattern:
        regex = python_regex(field.pattern)
        matching = st.from_regex(regex, fullmatch=True).filter(lambda s: len(s) <= 300)
        parts += [matching, matching, st.tuples(matching, st.sampled_from(["\n", "\r", "\u2028", "👋", "é", "x", "0", " "]), st.integers(0, 50)).map(lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :])]
    if field.enum:
        values = list(field.enum)
        near = [v.upper() for v in values] + [v + " " for v in values] + [unicodedata.normalize("NFD", v) for v in values]
        near += [v + "\u0301" for v in values] + [v[:-1] for v in values] + [" " + v for v in values]
        parts += [st.sampled_from(values), st.sampled_from(values), st.sampled_from(near)]
    return st.one_of(parts)


def _lone_surrogate_strategy(field: Field) -> st.SearchStrategy[str]:
    base = st.sampled_from(list(field.enum)) if field.enum else st.text(_characters, max_size=4)
    return st.tuples(base, st.sampled_from(LONE_SURROGATES), st.integers(0, 4)).map(lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :])


def _scalar_strategy(field: Field, kind: FieldType) -> st.SearchStrategy[Any]:
    if kind is FieldType.BOOLEAN:
        return st.booleans()
    if kind is FieldType.INTEGER:
        bounds = _near(field.minimum) + _near(field.maximum)
        near = [int(v) for v in bounds if isinstance(v, int)]
        low = int(field.minimum) if field.minimum is not None else INT64_MIN
        high = int(field.maximum) if field.maximum is not None else INT64_MAX
        return st.one_of(st.sampled_from(SPECIAL_INTEGERS + near), st.integers(low, high), st.integers(low - 5, high + 5), st.integers())
    if kind is FieldType.NUMBER:
        near = _near(field.minimum) + _near(field.maximum)
        parts = [_doubles, _doubles, st.sampled_from(SPECIAL_NUMBER_INTEGERS), st.integers(-(2**60), 2**60)]
        if near:
            parts.append(st.sampled_from(near))
        if field.minimum is not None and field.maximum is not None:
            parts.append(st.floats(float(field.minimum), float(field.maximum)))
        return st.one_of(parts)
    return _string_strategy(field)


def _wrong_types(field: Field, required: bool) -> list[Any]:
    """Values of another JSON type (null only for required fields: an API's null for an
    optional field means "not set")."""
    candidates: list[Any] = [True, "1", 1.5, 1.0, ["x"], {"a": 1}, 7] + ([None] if required else [])
    if field.type is not FieldType.ARRAY:
        return [v for v in candidates if not _json_type_fits(field.type, v)]
    item = field.items or FieldType.STRING
    out = [v for v in candidates if not isinstance(v, list)]
    return out + [[v] for v in (True, "1", 1.5, 1.0, 7, None, ["x"]) if not _json_type_fits(item, v)]


def _json_type_fits(kind: FieldType, value: Any) -> bool:
    if kind is FieldType.BOOLEAN:
        return isinstance(value, bool)
    if kind is FieldType.INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is FieldType.NUMBER:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is FieldType.STRING:
        return isinstance(value, str)
    return isinstance(value, list)


def field_strategy(field: Field) -> st.SearchStrategy[Any]:
    if field.type is not FieldType.ARRAY:
        parts = [_scalar_strategy(field, field.type)] * 6
        if field.type is FieldType.STRING:
            parts.append(_lone_surrogate_strategy(field))
        return st.one_of(parts)
    item_kind = field.items or FieldType.STRING
    items = _scalar_strategy(field, item_kind)
    low = field.min_items or 0
    high = field.max_items if field.max_items is not None else low + 4
    parts = [st.lists(items, min_size=max(0, low - 1), max_size=min(high + 1, 60))] * 3
    for size in {max(0, low - 1), low, high, high + 1}:
        if size <= 300:
            parts.append(st.lists(items, min_size=size, max_size=size))
    if item_kind is FieldType.STRING:
        parts.append(st.lists(_lone_surrogate_strategy(field), min_size=max(1, low), max_size=max(1, low)))
    return st.one_of(parts)


@contextmanager
def _without_local_constants() -> Iterator[None]:
    """Hypothesis also draws constants it finds in the source of every loaded local
    module; which modules are loaded differs between running one test file and the
    whole suite, and so would the values. Without them, a run draws the same values
    whatever else is loaded (a private hook of recent Hypothesis; older ones lack it)."""
    from hypothesis.internal.conjecture import providers

    if not hasattr(providers, "_get_local_constants") or not hasattr(providers, "CONSTANTS_CACHE"):
        yield
        return
    empty = providers.Constants()
    with mock.patch.object(providers, "_get_local_constants", lambda: empty):
        providers.CONSTANTS_CACHE.cache.clear()
        try:
            yield
        finally:
            providers.CONSTANTS_CACHE.cache.clear()


def draw(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """`count` values of a strategy, the same ones on every run (derandomized)."""
    found: list[Any] = []

    @settings(max_examples=count, derandomize=True, database=None, phases=[Phase.generate], deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    with _without_local_constants():
        collect()
    return found


# What a mutation swaps in or puts in: separators, digits, letters, a space, a newline.
_FORMAT_MUTATIONS = "09:.-@[]Tz /\n"


def one_character_mutations(value: str, alphabet: str) -> set[str]:
    """Every string one deletion, or one insertion or substitution from `alphabet`, away."""
    mutants: set[str] = set()
    for i in range(len(value) + 1):
        mutants.add(value[:i] + value[i + 1 :])
        for c in alphabet:
            mutants.add(value[:i] + c + value[i:])
            mutants.add(value[:i] + c + value[i + 1 :])
    return mutants


def format_values(name: str) -> list[str]:
    """The format's samples, and one-character mutations of its valid samples (every
    tenth of them, in a fixed order: a few hundred values on both sides of the grammar)."""
    valid = formats.VALID_SAMPLES[name]
    mutants = set().union(*(one_character_mutations(value, _FORMAT_MUTATIONS) for value in valid))
    return [*valid, *formats.INVALID_SAMPLES[name], *sorted(mutants)[::10]]


# values drawn per member of an object, at every depth (the members multiply the cases)
PER_MEMBER = 25


def object_edge_values(field: Field, required: bool, drawn: dict[str, list[Any]]) -> list[Any]:
    """Edges of an object field or an array of objects, members given by name: other JSON
    types, arrays at and past their bounds, a required member left out, and each member
    (at every depth) set to its own edge values inside an otherwise valid object."""
    from clickgen.vectors import valid_values

    target = field.object_field
    assert target is not None
    objects = valid_values(target)
    if not objects:
        return []
    base = objects[0]
    out: list[Any] = [v for v in (True, "1", 1.5, 7, ["x"]) if not (field.type is FieldType.ARRAY and isinstance(v, list))]
    out += [None] if required else []
    if field.type is FieldType.ARRAY:
        low = field.min_items or 0
        high = field.max_items if field.max_items is not None else low + 3
        out += [[objects[i % len(objects)] for i in range(size)] for size in sorted({max(0, low - 1), low, high, high + 1}) if size <= 60]
        out += [[v] for v in (7, "x", None, [base])]
        count = max(1, low) if field.max_items is None or field.max_items >= max(1, low) else 0
        if count == 0:
            return out

        def wrap(value: Any) -> Any:
            return [base] * (count - 1) + [value]

    else:

        def wrap(value: Any) -> Any:
            return value

    out += [wrap({}), wrap({**base})]
    for use in target.properties:
        if use.required:
            out.append(wrap({k: v for k, v in base.items() if k != use.name}))
        if use.field.object_field is not None:
            inner = object_edge_values(use.field, use.required, drawn)
        else:
            inner = edge_values(use.field, use.required, drawn.get(use.name, [])[:PER_MEMBER])
        out += [wrap({**base, use.name: value}) for value in inner]
    return out


def edge_values(field: Field, required: bool, drawn: list[Any]) -> list[Any]:
    """The fixed edges plus hypothesis' values (drawn from field_strategy), without
    repeats (by type and repr)."""
    kind = field.element_type
    fixed: list[Any] = []
    if field.type is FieldType.ARRAY:
        low = field.min_items or 0
        if kind is FieldType.NUMBER:
            fixed += [[v] * max(1, low) for v in SPECIAL_NUMBER_INTEGERS[:20]] + [[v] * max(1, low) for v in SPECIAL_DOUBLES[:40]]
        elif kind is FieldType.INTEGER:
            fixed += [[v] * max(1, low) for v in SPECIAL_INTEGERS]
    elif kind is FieldType.NUMBER:
        fixed += SPECIAL_DOUBLES + SPECIAL_NUMBER_INTEGERS + _near(field.minimum) + _near(field.maximum)
    elif kind is FieldType.INTEGER:
        fixed += SPECIAL_INTEGERS + _near(field.minimum) + _near(field.maximum)
    elif kind is FieldType.STRING and field.enum:
        fixed += list(field.enum)
    if kind is FieldType.STRING and field.format is not None:
        samples = format_values(field.format)
        fixed += [[v] * max(1, field.min_items or 0) for v in samples] if field.type is FieldType.ARRAY else samples
    fixed += _wrong_types(field, required)
    seen: set[tuple[str, str]] = set()
    out = []
    for value in fixed + drawn:
        key = (type(value).__name__, repr(value))
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def leaves(field: Field, value: Any) -> Iterator[tuple[Field, Any]]:
    """(field, value) of every value that is not an object, inside an object-typed field's
    value (members by name), at every depth; the field and value themselves otherwise."""
    target = field.object_field
    if target is None:
        yield field, value
        return
    members = {use.name: use.field for use in target.properties}
    for item in value if field.type is FieldType.ARRAY and isinstance(value, list) else [value]:
        if isinstance(item, dict):
            for name, member_value in item.items():
                if name in members and member_value is not None:
                    yield from leaves(members[name], member_value)


def category(field: Field, value: Any) -> str:
    """What kind of edge a value is, most telling first (known disagreements are tracked by category)."""
    if field.object_field is not None:
        # the known disagreements of a member's value hold inside objects too
        if has_lone_surrogate(value):
            return "lone-surrogate"
        if any(category(member, v) == "integer-beyond-2^53" for member, v in leaves(field, value)):
            return "integer-beyond-2^53"
        return "array-of-objects" if field.type is FieldType.ARRAY else "object"
    kind = field.element_type
    items = value if field.type is FieldType.ARRAY and isinstance(value, list) else [value]
    if has_lone_surrogate(value):
        return "lone-surrogate"
    if (field.type is FieldType.ARRAY) != isinstance(value, list) or not all(_json_type_fits(kind, v) for v in items):
        return "wrong-type"
    ints = [v for v in items if isinstance(v, int) and not isinstance(v, bool)]
    if kind is FieldType.NUMBER and ints:
        if any(as_double(v) is None for v in ints):
            return "huge-integer-as-number"
        if any(abs(v) > 2**53 for v in ints):
            return "inexact-integer-in-number-array" if field.type is FieldType.ARRAY else "inexact-integer-as-number"
        return "integer-as-number"
    if kind is FieldType.INTEGER and any(abs(v) > 2**53 for v in ints):
        return "integer-beyond-2^53"
    if field.type is FieldType.ARRAY:
        return "array"
    if kind is FieldType.STRING:
        if field.format is not None:
            return "format"
        if field.enum:
            return "enum"
        if field.pattern:
            return "pattern"
        return "string"
    return kind.value
