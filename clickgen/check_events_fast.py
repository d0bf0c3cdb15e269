"""check-events' fast judge: a yes/no check of a stream line, made for speed.

Input: a line of the stream (decoded, with its LF or CRLF if any) and the index of the
reference check_events builds. Output: True only when the full check
(check_events._check_line) would report nothing on the line; False on any other line
and on any doubt, which sends the line to the full check, where every problem is
found and worded. Almost every line of a real stream is valid, so this is the way
most lines take.

Speed comes from doing the work in C where the checks allow it: json's C scanner
parses, json's C encoder re-writes the line, and the field checks are built once per
field from its check plan (clickgen.checkplan) as sets, compiled patterns, len() and
type() tests; the checks of an event version in an environment run in one Python
function (_count_function), made when the stream first holds that version. What makes
"True" safe:

- Canonical form: the line must be, byte for byte, what the C encoder writes of its
  parse (sorted keys, no whitespace, strings unescaped but for the mandatory escapes,
  which the C encoder writes as RFC 8785 does). So the line has no repeated key (the
  parse keeps one of each, the encoder writes one of each), no lone surrogate (the line
  is strict UTF-8, the encoder would write the surrogate itself) and no other spelling
  of a key or a number.
- Where the C encoder and RFC 8785 differ, the line is only accepted with the RFC 8785
  text. Keys: RFC 8785 sorts them by UTF-16 code units, Python by code points; the lines
  of an event version whose keys sort differently both ways are written by
  canonical_json (the reference encoder, in Python). Floats: the C encoder writes
  repr(), RFC 8785 ECMAScript's text, the same only for the floats `_written_alike`
  admits; the number checks note every other float, and the values holding one are
  written by canonical_json. Integers of number fields: on the wire they are the double
  nearest them, written with the same digits up to 2^53; past it only the integers
  whose digits are RFC 8785's text of that double are accepted.
- Each value check says yes only for values its field's `ValueCheck.reason` accepts:
  they are that plan, written with C-level operations (or calling `reason` itself).
  An object is checked like an event version, by a count function of its members
  (every key known, every required one there, every value valid), at every depth; its
  members' keys take part in the key-order test above, and a payload with objects
  holding number members is written by canonical_json whenever a float was noted.
- The tests (tests/test_check_events_fast.py) run every probe line both ways, with and
  without this judge, and compare every count and diagnostic.
"""

from __future__ import annotations

import json
import re
import sys
import types
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterator

from clickgen import canonical_json
from clickgen.checkplan import ObjectCheck, ScalarCheck, ValueCheck, compiled_pattern, plan_field
from clickgen.ir import ENVELOPE_KEYS, INT64_MAX, INT64_MIN, FieldType, FieldUse

if TYPE_CHECKING:
    from clickgen.check_events import _Index

_Check = Callable[[Any], Any]  # truthy when the value is valid; may raise TypeError when not

MAX_DOUBLE = 1.7976931348623157e308
# Integers up to 2^53 are doubles exactly, written with the same digits by str() and by
# RFC 8785; past it the double nearest an integer is written otherwise (2^53+1 -> 2^53).
EXACT_INTEGER = 2**53
_MAX_PLANS = 100_000  # a stream of made-up ids must not grow the cache without end
_MARK = "\ue000clickgen-number-"  # see _encode_with_numbers
_LINE_ENDS = ("\n", "\r\n")
# the envelope's checks, as the full check has them (key, required, check), but for the
# plan's key (source_id, event_id, event_version), which valid() checks itself
_PLAN_KEY = ("source_id", "event_id", "event_version")
_ENVELOPE_ENTRIES: tuple[tuple[str, bool, Callable[[Any], Any]], ...] = (
    ("event_time_us", True, lambda value: type(value) is int and 0 <= value <= INT64_MAX),
    ("event_uid", True, re.compile("[0-9a-f-]{36}").fullmatch),  # 36 of these characters
    ("langpack", True, str.__instancecheck__),  # valid Unicode: see "canonical form" above
)
assert {key for key, _, _ in _ENVELOPE_ENTRIES} | set(_PLAN_KEY) == set(ENVELOPE_KEYS)


class _NotJsonConstant(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJsonConstant(name)  # NaN, Infinity: not JSON


_scan_once: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(parse_constant=_refuse_constant).scan_once  # type: ignore[attr-defined]


def _no_default(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON")


def _compact_sorted_encoder() -> Callable[[Any, int], Any]:
    """f(value, 0) -> the chunks of json.dumps(value, ensure_ascii=False, separators=(",",
    ":"), sort_keys=True): the C encoder, made once rather than on every call as
    json.dumps does."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is not None:
        try:
            encoder: Callable[[Any, int], Any] = make(None, _no_default, json.encoder.encode_basestring, None, ":", ",", True, False, False)
        except TypeError:  # another signature in another Python: the public API
            pass
        else:
            return encoder
    public = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
    return lambda value, _: (public.encode(value),)


_encoder = _compact_sorted_encoder()


def _encode(value: Any) -> str:
    return "".join(_encoder(value, 0))


_Count = Callable[[dict[str, Any]], int]  # see _Plan.count


@dataclass(frozen=True, slots=True)
class _Part:
    """The checks of one side of an event version in an environment: the envelope and
    the environment's common fields, or the version's own fields."""

    entries: tuple[tuple[str, bool, _Check], ...]  # (wire key, required, check)
    numbers: tuple[str, ...]  # the keys of number fields, whose values may be floats
    keys: frozenset[str]  # the wire keys of the entries (with the plan's key on the envelope's side)
    distinct: bool  # whether no two entries share a key, nor two members of an object
    every_key: tuple[str, ...]  # those keys and the members' keys of the objects the fields hold
    top_character: str  # the largest character of every_key ("" for none)
    numbers_below: bool  # whether an object the fields hold has a number member (at any depth)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the fast judge checks of one event version in one environment."""

    # count(payload): how many of the plan's keys the payload has, or -1 when one of
    # them is missing while required, or its value fails its check (_count_function)
    count: _Count
    numbers: tuple[str, ...]  # the wire keys of number fields, whose values may be floats
    code_point_order: bool = True  # whether any set of its keys sorts alike by code points and by UTF-16 code units
    numbers_below: bool = False  # whether objects hold number members (see valid())


# plans.get's default for a key not seen yet (None is a key whose lines go to the full check)
_UNSEEN = _Plan(len, ())


class FastJudge:
    """`valid(line)`: True only for a line the full check reports nothing on."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        # made on first use, from parts shared by the environments and event versions
        # that have them: a stream holds few of a large reference's event versions
        self.plans: dict[tuple[int, int, int], _Plan | None] = {}
        self.parts: dict[int, tuple[Any, _Part]] = {}  # id(environment or version) -> its part
        self.value_checks: dict[int, tuple[ValueCheck, _Check]] = {}  # id(plan) -> its check
        # the number checks note here the floats the C encoder may write otherwise than
        # RFC 8785 (see _written_alike); valid() empties it for each line
        self.odd: list[Any] = []

    def plan(self, key: tuple[int, int, int]) -> _Plan | None:
        """The plan of (source id, event id, version), or None when the full check has
        something to say about the envelope, or the version's keys are not for here."""
        plan = self._make_plan(*key)
        if len(self.plans) < _MAX_PLANS:  # a stream of made-up ids must not grow it without end
            self.plans[key] = plan
        return plan

    def _make_plan(self, source_id: int, event_id: int, number: int) -> _Plan | None:
        index = self.index
        environment, event = index.by_source.get(source_id), index.by_id.get(event_id)
        if environment is None or event is None or environment.name not in event.environments:
            return None
        version = event.version(number)
        if version is None or not all(0 <= n <= INT64_MAX for n in (source_id, event_id, number)):
            return None
        common, own = self._part(environment, environment.common_fields, True), self._part(version, version.fields, False)
        if not (common.distinct and own.distinct) or not common.keys.isdisjoint(own.keys):
            # two fields with one key, a field with an envelope key or two members with
            # one key: never in a valid reference; left to the full check
            return None
        entries = common.entries + own.entries
        # the two orders differ only between an astral character and one from U+E000; the
        # keys of every object in the payload are among every_key, so if all of them sort
        # alike both ways, the keys of each object do
        code_point_order = max(common.top_character, own.top_character) < "\ue000"
        if not code_point_order:
            keys = [*common.every_key, *own.every_key]
            code_point_order = sorted(keys) == sorted(keys, key=canonical_json.utf16_order)
        return _Plan(
            count=_count_function(entries),
            numbers=common.numbers + own.numbers,
            code_point_order=code_point_order,
            numbers_below=common.numbers_below or own.numbers_below,
        )

    def _part(self, owner: Any, uses: tuple[FieldUse, ...], envelope: bool) -> _Part:
        """The checks of an environment's common fields (with the envelope's) or of a
        version's fields, by wire key."""
        found = self.parts.get(id(owner))
        if found is not None and found[0] is owner:
            return found[1]
        entries: list[tuple[str, bool, _Check]] = list(_ENVELOPE_ENTRIES) if envelope else []
        numbers: list[str] = []
        members: list[str] = []
        distinct, numbers_below = True, False
        for use in uses:
            plan = plan_field(use.field)
            entries.append((plan.key, use.required, self.value_check(plan)))
            if plan.item.kind is FieldType.NUMBER:
                numbers.append(plan.key)
            for check in _objects_within(plan):
                keys_here = [member.check.key for member in check.members]
                distinct = distinct and len(set(keys_here)) == len(keys_here)
                numbers_below = numbers_below or any(member.check.item.kind is FieldType.NUMBER for member in check.members)
                members += keys_here
        keys = [*(_PLAN_KEY if envelope else ()), *(key for key, _, _ in entries)]
        every_key = (*keys, *members)
        part = _Part(
            entries=tuple(entries),
            numbers=tuple(numbers),
            keys=frozenset(keys),
            distinct=distinct and len(set(keys)) == len(keys),
            every_key=every_key,
            top_character=max("".join(every_key), default=""),
            numbers_below=numbers_below,
        )
        self.parts[id(owner)] = (owner, part)
        return part

    def value_check(self, plan: ValueCheck) -> _Check:
        found = self.value_checks.get(id(plan))
        if found is None or found[0] is not plan:
            found = self.value_checks[id(plan)] = (plan, value_check(plan, self.odd.append))
        return found[1]

    def valid(self, line: str) -> bool:
        """Whether the line (with its LF or CRLF, if any) is valid with nothing to report."""
        # the scanner without json.loads' wrappers; a canonical line has no whitespace
        # around its object, so a line that does is not for the fast way
        try:
            payload, end = _scan_once(line, 0)
            key = (payload["source_id"], payload["event_id"], payload["event_version"])
        except (StopIteration, ValueError, RecursionError, KeyError, TypeError):  # not JSON, not an object, no envelope
            return False
        if end != len(line) and line[end:] not in _LINE_ENDS:
            return False
        # type() is: True would find version 1, and 1402.0 event 1402, in the plans
        if type(key[0]) is not int or type(key[1]) is not int or type(key[2]) is not int:
            return False
        plan = self.plans.get(key, _UNSEEN)
        if plan is _UNSEEN:
            plan = self.plan(key)
        if plan is None:
            return False
        odd = self.odd
        if odd:
            odd.clear()
        # every required key there, every value valid (the envelope's too), and every key
        # known: the plan counts the keys it knows, but for the plan's key, which is there
        try:
            if plan.count(payload) + 3 != len(payload):
                return False
        except TypeError:  # a value of the wrong type for a check in C
            return False
        if not plan.code_point_order:  # the C encoder would sort the keys otherwise
            return canonical_json.encode(payload) == line[:end]
        # Canonical form. Floats are only in number fields (the checks passed), whose
        # checks noted those the C encoder may write otherwise than RFC 8785: the values
        # that have one are written by canonical_json.
        if odd:
            if plan.numbers_below:
                # a float the C encoder may write otherwise, perhaps inside an object
                return canonical_json.encode(payload) == line[:end]
            exact = [key for key in plan.numbers if key in payload and not _written_alike(payload[key])]
            canonical = _encode_with_numbers(payload, exact) if exact else _encode(payload)
        else:
            canonical = "".join(_encoder(payload, 0))
        return len(canonical) == end and line.startswith(canonical)


def _encode_with_numbers(payload: dict[str, Any], exact: list[str]) -> str:
    """canonical_json.encode(payload), with only the values of `exact` (valid numbers or
    arrays of numbers) written in Python: the C encoder writes the payload with a mark in
    their place, then each mark (a quoted string: found once, unless the payload holds
    the same string, when all of it is written in Python) becomes its value's text."""
    marked = dict(payload)
    for number, key in enumerate(exact):
        marked[key] = f"{_MARK}{number}"
    text = _encode(marked)
    for number, key in enumerate(exact):
        mark = f'"{_MARK}{number}"'
        if text.count(mark) != 1:
            return canonical_json.encode(payload)
        text = text.replace(mark, canonical_json.encode(payload[key]))
    return text


def _written_alike(value: Any) -> bool:
    """Whether the C encoder writes a valid number (or array of numbers) of a number field
    as RFC 8785 does. Integers: always (value checks keep them within 2^53). A float: when
    its repr is its ECMAScript text, which holds for a float with a fraction from 1e-4 to
    1e16 (no exponent in either, the same shortest digits), from 1e21 on (1e+21 in both)
    and below 1e-9 (1e-10 in both); repr writes 5.0, 1e+16, 1e-05 and 1e-07 where
    ECMAScript writes 5, 10000000000000000, 0.00001 and 1e-7."""
    kind = type(value)
    if kind is int:
        return True
    if kind is float:
        size = abs(value)
        if 1e-4 <= size < 1e16:
            return not value.is_integer()
        return size >= 1e21 or (0 < size < 1e-4 and "e-0" not in repr(value))
    return all(map(_written_alike, value))


# --- the count functions: a part's checks as one Python function ------------------------


def _count_function(entries: tuple[tuple[str, bool, _Check], ...]) -> _Count:
    """count(payload) for a part's (key, required, check) entries: a function of one code
    object per number of entries, its keys, flags and checks given as the defaults of its
    parameters. It runs the checks one after the other, with no loop: in CPython 3.11 a
    Python function calls C functions and other Python functions more cheaply than map()
    or all() call Python functions."""
    template = _count_template(len(entries))
    defaults = (*(part for entry in entries for part in entry), _ABSENT)
    count: _Count = types.FunctionType(template.__code__, template.__globals__, "count", defaults)
    return count


@lru_cache(maxsize=None)
def _count_template(size: int) -> Callable[..., int]:
    parameters = "".join(f", key_{i}=None, required_{i}=None, check_{i}=None" for i in range(size))
    # absent: a default too, read as fast as the others
    lines = [f"def count(payload{parameters}, absent=_ABSENT):", "    get = payload.get", "    n = 0"]
    for i in range(size):
        lines += [f"    v = get(key_{i}, absent)", "    if v is absent:", f"        if required_{i}:", "            return -1"]
        lines += [f"    elif check_{i}(v):", "        n += 1", "    else:", "        return -1"]
    lines.append("    return n")
    names: dict[str, Any] = {"_ABSENT": _ABSENT}
    exec(compile("\n".join(lines), "<check-events count>", "exec"), names)
    template: Callable[..., int] = names["count"]
    return template


_ABSENT = object()


# --- value checks: a field's check plan, in C where it can be -----------------------------


def value_check(plan: ValueCheck, note: Callable[[Any], Any]) -> _Check:
    """A yes/no check of a field's value that says yes only when `plan.reason(value)` is
    None. For number fields: integers only in the digits RFC 8785 writes their double
    with; `note` is called with every float the C encoder may write otherwise (a value
    _written_alike may refuse)."""
    if plan.object is not None:
        return _object_value_check(plan, note)
    if not plan.array:
        return _scalar_check(plan.item, note)
    # one lambda per array: a list of the right size whose items pass, checked by
    # whole-list operations in C where the items' checks allow it
    item = plan.item
    fewest, most = plan.min_items or 0, plan.max_items if plan.max_items is not None else sys.maxsize
    kind = item.kind
    if kind is FieldType.BOOLEAN:
        return lambda value: type(value) is list and fewest <= len(value) <= most and _BOOLEAN.issuperset(map(type, value))
    if kind is FieldType.INTEGER:
        low, high = _bounds(item, INT64_MIN, INT64_MAX)
        return lambda value: type(value) is list and fewest <= len(value) <= most and (not value or (_INTEGER.issuperset(map(type, value)) and low <= min(value) and max(value) <= high))
    if kind is FieldType.NUMBER:
        return _number_array_check(item, fewest, most, note)
    if item.enum is not None:
        members = _enum_members(item)
        return lambda value: type(value) is list and fewest <= len(value) <= most and members.issuperset(value)
    if item.format is None and item.pattern is None:
        if item.min_length is None and item.max_length is None:
            return lambda value: type(value) is list and fewest <= len(value) <= most and _STRING.issuperset(map(type, value))
        shortest, longest = _lengths(item)
        return lambda value: (
            type(value) is list and fewest <= len(value) <= most and (not value or (_STRING.issuperset(map(type, value)) and shortest <= min(map(len, value)) and max(map(len, value)) <= longest))
        )
    each = _string_check(item)
    return lambda value: type(value) is list and fewest <= len(value) <= most and all(map(each, value))


_BOOLEAN, _INTEGER, _NUMBER, _STRING = frozenset({bool}), frozenset({int}), frozenset({int, float}), frozenset({str})


def _object_value_check(plan: ValueCheck, note: Callable[[Any], Any]) -> _Check:
    """An object, or an array of objects: a JSON object whose keys its members' checks
    count all of (every one known, every required one there, every value valid), made
    like an event version's checks (_count_function)."""
    assert plan.object is not None
    count = _count_function(tuple((member.check.key, member.required, value_check(member.check, note)) for member in plan.object.members))

    def one(value: Any) -> bool:
        return type(value) is dict and count(value) == len(value)

    if not plan.array:
        return one
    fewest, most = plan.min_items or 0, plan.max_items if plan.max_items is not None else sys.maxsize
    return lambda value: type(value) is list and fewest <= len(value) <= most and all(map(one, value))


def _objects_within(plan: ValueCheck) -> Iterator[ObjectCheck]:
    """The object checks of a field's values at every depth (nesting is bounded: DESIGN 2.1)."""
    pending = [plan]
    while pending:
        current = pending.pop()
        if current.object is not None:
            yield current.object
            pending += [member.check for member in current.object.members]


def _number_array_check(item: ScalarCheck, fewest: int, most: int, note: Callable[[Any], Any]) -> _Check:
    one = _scalar_check(item, note)

    def numbers(value: Any) -> bool:
        # each item as the scalar check says (which notes its odd floats): arrays of
        # numbers are short, and a Python loop calling a Python function is the cheap way
        if type(value) is not list or not fewest <= len(value) <= most:
            return False
        for number in value:
            if not one(number):
                return False
        return True

    return numbers


def _bounds(item: ScalarCheck, low: int | float, high: int | float) -> tuple[int | float, int | float]:
    """The check's bounds within the type's own range (Python compares ints and floats exactly)."""
    return (low if item.minimum is None else max(low, item.minimum)), (high if item.maximum is None else min(high, item.maximum))


def _scalar_check(item: ScalarCheck, note: Callable[[Any], Any]) -> _Check:
    kind = item.kind
    if kind is FieldType.BOOLEAN:
        return lambda value: type(value) is bool
    if kind is FieldType.INTEGER:
        low, high = _bounds(item, INT64_MIN, INT64_MAX)
        return lambda value: type(value) is int and low <= value <= high
    if kind is FieldType.NUMBER:
        low, high = _bounds(item, -MAX_DOUBLE, MAX_DOUBLE)
        int_low, int_high = max(low, -EXACT_INTEGER), min(high, EXACT_INTEGER)

        def number(value: Any) -> bool:
            # a float within the bounds (an infinity is past +-MAX_DOUBLE), or an integer
            # written as RFC 8785 writes the double nearest it: up to 2^53 every integer
            # (it is that double); below 1e21, those whose digits are the double's
            # shortest digits padded with zeros (-2^63 is -9223372036854776000)
            if type(value) is float:
                if not low <= value <= high:
                    return False
                size = abs(value)
                if size < 1e-4 or size >= 1e16 or value.is_integer():  # all floats _written_alike refuses
                    note(value)
                return True
            if type(value) is not int:
                return False
            if int_low <= value <= int_high:
                return True
            if not -1e21 < value < 1e21:
                return False
            double = float(value)
            return low <= double <= high and canonical_json.format_number(double) == str(value)

        return number
    return _string_check(item)


def _string_check(item: ScalarCheck) -> _Check:
    """Strings are most fields: their checks are C functions, called without a Python
    frame; a value that is not a string makes them raise TypeError or say no."""
    reason = item.reason
    if item.enum is not None:
        return _enum_members(item).__contains__
    if item.format is not None:
        return lambda value: type(value) is str and reason(value) is None
    if item.pattern is None and item.min_length is None and item.max_length is None:
        return str.__instancecheck__
    if item.pattern is None:
        # lengths alone: len() is one step, a regex would walk the whole string
        shortest, longest = _lengths(item)
        return lambda value: type(value) is str and shortest <= len(value) <= longest
    whole = _string_regex(item)
    if whole is not None:
        return whole.fullmatch
    return lambda value: type(value) is str and reason(value) is None


def _lengths(item: ScalarCheck) -> tuple[int, int]:
    return item.min_length or 0, item.max_length if item.max_length is not None else sys.maxsize


def _enum_members(item: ScalarCheck) -> frozenset[str]:
    """The enum's values that pass the field's other checks too (a set of strings: a
    value of another type is not in it, or raises TypeError)."""
    assert item.enum is not None
    return frozenset(value for value in item.enum if item.reason(value) is None)


def _string_regex(item: ScalarCheck) -> re.Pattern[str] | None:
    """One pattern for the lengths and the pattern of a string check, such that fullmatch
    is a match exactly when `reason` accepts a string: a lookahead for the length in code
    points, then the I-Regexp in Python's dialect (as checkplan.compiled_pattern compiles
    it) in a non-capturing group. None when Python cannot compile it (a length past re's
    largest repeat count)."""
    lengths = ""
    if item.min_length is not None or item.max_length is not None:
        # any character (DOTALL): re steps over a run of them without looking at each
        lengths = f"(?=(?s:.){{{item.min_length or 0},{'' if item.max_length is None else item.max_length}}}\\Z)"
    body = "(?s:.)*"
    if item.pattern is not None:
        body = f"(?:{compiled_pattern(item.pattern).pattern})"
    try:
        return re.compile(lengths + body, re.ASCII)
    except (re.error, OverflowError, ValueError):
        return None
