"""The check plan: a dictionary field -> the language-neutral checks of its values.

Input: an IR `Field`. Output: a frozen `ValueCheck`, the one place where the field
contract of DESIGN 2.1 is turned into checks. Every judge of a value works from it:
the Python, Go and PHP targets render it as code, `check-events`, `validate` (examples)
and the vector generator run it (`ValueCheck.reason`), and the JSON Schema exporter
translates it. A disagreement between judges is then a bug of one function.

What the plan decides, once:
- integers are 64-bit signed; integer bounds are whole numbers (a fractional bound is
  rounded inwards);
- a number is an IEEE-754 double: an integer given to a number field is that double
  (`wire_value`), a value no finite double can hold is invalid, and bounds are
  compared as doubles;
- booleans are neither integers nor numbers;
- strings are valid Unicode (no lone surrogates); lengths count code points; a
  pattern matches the whole value; a format is the grammar of clickgen.formats;
- for an array, enum, bounds, lengths and pattern apply to each item, min/max items to
  the array;
- an object is a JSON object holding exactly its members' wire keys (every required
  one, no other); each member value keeps its own field's contract. A problem below the
  value is reported with its path in field names: `cart_lines[3].price: must be >= 0`.

Values are judged in their wire form (objects keyed by wire keys, as `check-events`
reads them and as `examples` are written). `wire_value` turns a value as an API takes
it (objects keyed by field names, integers for numbers) into that form.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from clickgen import formats, iregexp
from clickgen.ir import INT64_MAX, INT64_MIN, Field, FieldType


# the reason of a string that is not valid Unicode, in every judge's words
NOT_UNICODE = "must be valid Unicode text (it holds a lone surrogate, or bytes that are not UTF-8)"


def counted(number: int, noun: str) -> str:
    """How a bound's reason counts ("1 item", "2 items"); every language says it alike."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def min_length_reason(length: int) -> str:
    return f"must be at least {counted(length, 'character')}"


def max_length_reason(length: int) -> str:
    return f"must be at most {counted(length, 'character')}"


def min_items_reason(count: int) -> str:
    return f"must have at least {counted(count, 'item')}"


def max_items_reason(count: int) -> str:
    return f"must have at most {counted(count, 'item')}"


@dataclass(frozen=True, slots=True)
class ScalarCheck:
    """The checks of one scalar value: a field's value, or each item of an array field."""

    kind: FieldType  # string, integer, number or boolean
    enum: tuple[str, ...] | None = None
    minimum: int | float | None = None  # int for integer fields, float (a double) for numbers
    maximum: int | float | None = None
    min_length: int | None = None  # in code points
    max_length: int | None = None
    pattern: str | None = None  # the reference's pattern, matched against the whole value
    format: str | None = None  # a format of clickgen.formats

    def reason(self, value: Any) -> str | None:
        """Why the value breaks these checks, or None when it is valid."""
        kind = self.kind
        if kind is FieldType.STRING:
            return self._string_reason(value)
        if kind is FieldType.BOOLEAN:
            return None if isinstance(value, bool) else "must be a boolean"
        if kind is FieldType.INTEGER:
            if not is_integer(value):
                return "must be a 64-bit integer"
            number: int | float = value
        else:
            double = as_double(value)
            if double is None:
                return "must be a finite number"
            number = double
        if self.minimum is not None and number < self.minimum:
            return f"must be >= {bound_text(self.minimum)}"
        if self.maximum is not None and number > self.maximum:
            return f"must be <= {bound_text(self.maximum)}"
        return None

    def _string_reason(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be a string"
        if not is_valid_unicode(value):
            return NOT_UNICODE
        if self.enum is not None and value not in self.enum:
            return "must be one of " + ", ".join(self.enum)
        length = len(value)
        if self.min_length is not None and length < self.min_length:
            return min_length_reason(self.min_length)
        if self.max_length is not None and length > self.max_length:
            return max_length_reason(self.max_length)
        if self.pattern is not None and compiled_pattern(self.pattern).fullmatch(value) is None:
            return f"must match {self.pattern}"
        if self.format is not None and not formats.matches(self.format, value):
            return f"must be a valid {self.format}"
        return None


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with a value: `path` names the bad value from the field down
    (`cart_lines[3].price`; just the field's name for the value itself)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class MemberCheck:
    check: ValueCheck
    required: bool


@dataclass(frozen=True, slots=True)
class ObjectCheck:
    """The checks of one object value: a field's value, or each item of an array of objects."""

    name: str  # the object field's name
    members: tuple[MemberCheck, ...]  # as the reference lists them

    def problem(self, value: Any, path: str) -> Problem | None:
        """The first problem of a wire-form object (keys in canonical order), or None."""
        if not isinstance(value, dict):
            return Problem(path, "must be an object")
        by_key = {member.check.key: member for member in self.members}
        for key in sorted(value, key=_utf16):
            if key not in by_key:
                named = next((m.check.key for m in self.members if m.check.name == key), None)
                under = f" (on the wire its key is `{named}`)" if named is not None else ""
                return Problem(f"{path}.{key}", f"is not a member of {self.name}{under}")
        for member in sorted(self.members, key=lambda m: _utf16(m.check.key)):
            check = member.check
            if check.key not in value:
                if member.required:
                    return Problem(f"{path}.{check.name}", "is required")
                continue
            found = check.problem(value[check.key], f"{path}.{check.name}")
            if found is not None:
                return found
        return None


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


@dataclass(frozen=True, slots=True)
class ValueCheck:
    """Everything that makes a value of one dictionary field valid, and its wire form."""

    name: str  # the field's name in the reference
    key: str  # the JSON key on the wire
    array: bool
    item: ScalarCheck  # the value's checks, or each item's for an array (kind OBJECT: see `object`)
    min_items: int | None = None
    max_items: int | None = None
    object: ObjectCheck | None = None  # the value's (or each item's) members, for objects

    def problem(self, value: Any, path: str | None = None) -> Problem | None:
        """The first problem of a wire-form value, with its path, or None when it is valid.

        Array bounds come before the items, items in order; an object's keys are
        visited in canonical (wire) order, unknown keys first.
        """
        path = self.name if path is None else path
        if not self.array:
            return self._item_problem(value, path)
        if not isinstance(value, list):
            return Problem(path, "must be an array")
        if self.min_items is not None and len(value) < self.min_items:
            return Problem(path, min_items_reason(self.min_items))
        if self.max_items is not None and len(value) > self.max_items:
            return Problem(path, max_items_reason(self.max_items))
        for i, item in enumerate(value):
            if self.object is not None:
                found = self.object.problem(item, f"{path}[{i}]")
                if found is not None:
                    return found
            else:
                reason = self.item.reason(item)
                if reason is not None:
                    return Problem(path, "each item " + reason)
        return None

    def _item_problem(self, value: Any, path: str) -> Problem | None:
        if self.object is not None:
            return self.object.problem(value, path)
        reason = self.item.reason(value)
        return None if reason is None else Problem(path, reason)

    def reason(self, value: Any) -> str | None:
        """Why the value breaks the field's contract, or None when it is valid: the reason
        alone for the value itself, `path: reason` for a value inside it."""
        found = self.problem(value)
        if found is None:
            return None
        return found.reason if found.path == self.name else str(found)

    def wire_value(self, value: Any) -> Any:
        """The value as it goes on the wire (call on valid values in API form): numbers
        become doubles, object members are keyed by their wire keys."""
        if self.object is not None:
            return [self.object_wire(item) for item in value] if self.array else self.object_wire(value)
        if self.item.kind is not FieldType.NUMBER:
            return value
        if self.array:
            return [float(item) for item in value]
        return float(value)

    def object_wire(self, value: dict[str, Any]) -> dict[str, Any]:
        assert self.object is not None
        return {m.check.key: m.check.wire_value(value[m.check.name]) for m in self.object.members if m.check.name in value}

    def keyed(self, value: Any) -> Any:
        """An API-form value with its objects keyed by wire keys and nothing else changed:
        what to judge when the value may be invalid (`wire_value` needs a valid one)."""
        if self.object is None:
            return value
        if self.array:
            return [self._keyed_object(item) for item in value] if isinstance(value, list) else value
        return self._keyed_object(value)

    def _keyed_object(self, value: Any) -> Any:
        assert self.object is not None
        if not isinstance(value, dict):
            return value
        by_name = {m.check.name: m.check for m in self.object.members}
        return {by_name[k].key if k in by_name else k: by_name[k].keyed(v) if k in by_name else v for k, v in value.items()}

    def api_value(self, value: Any) -> Any:
        """A wire-form value as an API takes it (objects keyed by field names); the
        reverse of `wire_value` but for numbers, which stay as they are."""
        if self.object is None:
            return value
        if self.array:
            return [self.object_api(item) for item in value] if isinstance(value, list) else value
        return self.object_api(value)

    def object_api(self, value: Any) -> Any:
        assert self.object is not None
        if not isinstance(value, dict):
            return value
        by_key = {m.check.key: m.check for m in self.object.members}
        return {by_key[k].name if k in by_key else k: by_key[k].api_value(v) if k in by_key else v for k, v in value.items()}


def bound_text(value: int | float) -> str:
    """A bound as people read it: 90 rather than 90.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and INT64_MIN <= value <= INT64_MAX


def as_double(value: Any) -> float | None:
    """The double a number field holds for `value`, or None when it cannot hold it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        double = float(value)  # an int rounds to the nearest double, as on the wire
    except OverflowError:
        return None
    return double if math.isfinite(double) else None


def is_valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=None)
def compiled_pattern(pattern: str) -> re.Pattern[str]:
    # the I-Regexp in Python's dialect (clickgen/iregexp.py), as the Python langpacks compile it
    return re.compile(iregexp.for_targets(pattern).to_python(), re.ASCII)


def _integer_bound(value: int | float | None, round_up: bool) -> int | None:
    if value is None:
        return None
    return int(math.ceil(value)) if round_up else int(math.floor(value))


def _scalar_check(field: Field, kind: FieldType) -> ScalarCheck:
    if kind is FieldType.INTEGER:
        return ScalarCheck(kind, minimum=_integer_bound(field.minimum, True), maximum=_integer_bound(field.maximum, False))
    if kind is FieldType.NUMBER:
        minimum = float(field.minimum) if field.minimum is not None else None
        maximum = float(field.maximum) if field.maximum is not None else None
        return ScalarCheck(kind, minimum=minimum, maximum=maximum)
    if kind is FieldType.STRING:
        return ScalarCheck(
            kind, enum=field.enum, min_length=field.min_length, max_length=field.max_length, pattern=field.pattern, format=field.format
        )
    return ScalarCheck(kind)


_PLANS: dict[int, tuple[Field, ValueCheck]] = {}


def plan_field(field: Field) -> ValueCheck:
    """The check plan of a field (memoized per Field object: the IR is immutable)."""
    cached = _PLANS.get(id(field))
    if cached is not None and cached[0] is field:
        return cached[1]
    array = field.type is FieldType.ARRAY
    target = field.object_field
    plan = ValueCheck(
        name=field.name,
        key=field.wire_key,
        array=array,
        item=_scalar_check(field, (field.items or FieldType.STRING) if array else field.type),
        min_items=field.min_items if array else None,
        max_items=field.max_items if array else None,
        object=None if target is None else ObjectCheck(target.name, tuple(MemberCheck(plan_field(u.field), u.required) for u in target.properties)),
    )
    _PLANS[id(field)] = (field, plan)
    return plan
