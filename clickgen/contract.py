"""The value contract of a field, asked of the field itself: which values it accepts.

A convenience over `clickgen.checkplan`, which decides what the contract means: used to
check `examples`, to make test vectors and by `check-events`.
"""

from __future__ import annotations

from typing import Any

from clickgen.checkplan import compiled_pattern, plan_field
from clickgen.ir import Field

__all__ = ["check_item", "check_value", "compiled_pattern", "wire_value"]


def check_value(field: Field, value: Any) -> str | None:
    """Reason the value breaks the field's contract, or None when it is valid."""
    return plan_field(field).reason(value)


def check_item(field: Field, value: Any) -> str | None:
    """Reason one value breaks the field's scalar checks (each item's, for an array)."""
    return plan_field(field).item.reason(value)


def wire_value(field: Field, value: Any) -> Any:
    """A valid value as the wire carries it (an integer given to a number is a double)."""
    return plan_field(field).wire_value(value)
