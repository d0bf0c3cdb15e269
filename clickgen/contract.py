"""The value contract of a field: which values a field accepts.

One implementation of DESIGN's validation semantics in Python, used to check
`examples`, to make test vectors and by `check-events`. The langpacks implement the
same rules in their own language, and the shared vectors keep them in agreement:
- integers are 64-bit signed; numbers are finite; booleans are not numbers;
- string lengths count Unicode code points; `pattern` must match the whole value;
- enum, minimum, maximum, min_length, max_length and pattern of an array field
  apply to each item; min_items and max_items to the array.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from clickgen import iregexp
from clickgen.ir import INT64_MAX, INT64_MIN, Field, FieldType


@lru_cache(maxsize=None)
def compiled_pattern(pattern: str) -> re.Pattern[str]:
    # the I-Regexp in Python's dialect (clickgen/iregexp.py), as the Python langpacks compile it
    return re.compile(iregexp.for_targets(pattern).to_python(), re.ASCII)


def type_matches(kind: FieldType, value: Any) -> bool:
    if kind is FieldType.STRING:
        return isinstance(value, str)
    if kind is FieldType.BOOLEAN:
        return isinstance(value, bool)
    if kind is FieldType.INTEGER:
        return isinstance(value, int) and not isinstance(value, bool) and INT64_MIN <= value <= INT64_MAX
    if kind is FieldType.NUMBER:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if kind is FieldType.ARRAY:
        return isinstance(value, list)
    return False


def _type_word(kind: FieldType) -> str:
    return {"integer": "a 64-bit integer", "number": "a finite number", "string": "a string", "boolean": "a boolean", "array": "an array"}[kind.value]


def check_scalar(field: Field, kind: FieldType, value: Any) -> str | None:
    """Reason the value breaks the scalar constraints, or None."""
    if not type_matches(kind, value):
        return f"must be {_type_word(kind)}"
    if field.enum is not None and value not in field.enum:
        return "must be one of " + ", ".join(field.enum)
    if kind in (FieldType.INTEGER, FieldType.NUMBER):
        if field.minimum is not None and value < field.minimum:
            return f"must be >= {field.minimum}"
        if field.maximum is not None and value > field.maximum:
            return f"must be <= {field.maximum}"
    if kind is FieldType.STRING:
        length = len(value)
        if field.min_length is not None and length < field.min_length:
            return f"must be at least {field.min_length} characters"
        if field.max_length is not None and length > field.max_length:
            return f"must be at most {field.max_length} characters"
        if field.pattern is not None and compiled_pattern(field.pattern).fullmatch(value) is None:
            return f"must match {field.pattern}"
    return None


def check_value(field: Field, value: Any) -> str | None:
    """Reason the value breaks the field's contract, or None when it is valid."""
    if field.type is not FieldType.ARRAY:
        return check_scalar(field, field.type, value)
    if not isinstance(value, list):
        return "must be an array"
    if field.min_items is not None and len(value) < field.min_items:
        return f"must have at least {field.min_items} items"
    if field.max_items is not None and len(value) > field.max_items:
        return f"must have at most {field.max_items} items"
    item_type = field.items or FieldType.STRING
    for item in value:
        reason = check_scalar(field, item_type, item)
        if reason is not None:
            return "each item " + reason
    return None
