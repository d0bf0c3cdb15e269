"""Canonical JSON of DESIGN 5 (RFC 8785, JSON Canonicalization Scheme).

The reference encoder: test vectors are made with it and every langpack must produce
the same bytes. Keys sorted by their UTF-16 code units (which differs from code point
order when one key holds an astral character and another one from U+E000 to U+FFFF),
no whitespace, strings as UTF-8 with only the mandatory escapes, numbers in
ECMAScript's Number::toString form. Integers (Python ints that are not floats) are
64-bit values written with all their digits: DESIGN says integers are int64 in every
language, so they never go through a double.
"""

from __future__ import annotations

import math
from typing import Any

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
for _code in range(0x20):
    _ESCAPES.setdefault(chr(_code), f"\\u{_code:04x}")


def utf16_order(key: str) -> bytes:
    """The sort key of RFC 8785 3.2.3: keys are ordered by their UTF-16 code units."""
    return key.encode("utf-16-be", "surrogatepass")


def encode_string(value: str) -> str:
    return '"' + "".join(_ESCAPES.get(c, c) for c in value) + '"'


def format_number(value: float) -> str:
    """ECMAScript Number::toString(value) for a finite double (ECMA-262 7.1.12.1)."""
    if not math.isfinite(value):
        raise ValueError("JSON has no NaN or infinity")
    if value == 0:
        return "0"  # also for -0.0
    if value < 0:
        return "-" + format_number(-value)
    # repr gives the shortest digits that round-trip, as ECMAScript requires
    mantissa, _, exponent_text = repr(value).partition("e")
    exponent = int(exponent_text) if exponent_text else 0
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # n: the position of the decimal point relative to the digit string
    n = len(whole.lstrip("0")) + exponent if whole.strip("0") else exponent - (len(fraction) - len(fraction.lstrip("0")))
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    sign = "+" if e >= 0 else "-"
    head = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{head}e{sign}{abs(e)}"


def encode(value: Any) -> str:
    """Canonical JSON text of a JSON-compatible value."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, str):
        return encode_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(encode(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(encode_string(k) + ":" + encode(value[k]) for k in sorted(value, key=utf16_order)) + "}"
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def encode_bytes(value: Any) -> bytes:
    return encode(value).encode("utf-8")
