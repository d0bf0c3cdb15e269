"""Make a string that a (pre-I-Regexp) regular expression matches in full.

Only for the test vectors of a released pattern that is not I-Regexp and is kept as
written under a CG0216 waiver (clickgen.iregexp.AsWritten); I-Regexp patterns get their
samples from clickgen/iregexp.py. It walks the parsed pattern
from Python's own regex parser; `variant` picks other branches and repeat counts so
that several different samples can be made. Returns None for what it cannot handle.
"""

from __future__ import annotations

import re
from typing import Any

try:
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_CATEGORY_SAMPLES = {
    "CATEGORY_DIGIT": "7",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "b",
    "CATEGORY_WORD": "w",
    "CATEGORY_NOT_WORD": "-",
}


class _Unsupported(Exception):
    pass


def sample_matching(pattern: str, variant: int = 0) -> str | None:
    try:
        parsed = sre_parse.parse(pattern, re.ASCII)
        text = _emit(list(parsed), variant)
    except (_Unsupported, re.error, RecursionError):
        return None
    return text if re.fullmatch(pattern, text, re.ASCII) else None


def _emit(items: list[tuple[Any, Any]], variant: int) -> str:
    out = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("x" if chr(arg) != "x" else "y")
        elif name == "ANY":
            out.append("z")
        elif name == "IN":
            out.append(_emit_in(arg, variant))
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = arg
            count = low if variant == 0 else min(max(low, 1) + variant, high if high != sre_constants.MAXREPEAT else low + 3)
            out.append("".join(_emit(list(body), variant) for _ in range(count)))
        elif name == "SUBPATTERN":
            out.append(_emit(list(arg[-1]), variant))
        elif name == "BRANCH":
            branches = arg[1]
            out.append(_emit(list(branches[variant % len(branches)]), variant))
        elif name == "AT":
            continue  # ^ and $: the sample is matched in full anyway
        else:
            raise _Unsupported(name)
    return "".join(out)


def _emit_in(items: list[tuple[Any, Any]], variant: int) -> str:
    if items and str(items[0][0]) == "NEGATE":
        excluded = set()
        for op, arg in items[1:]:
            if str(op) == "LITERAL":
                excluded.add(chr(arg))
            elif str(op) == "RANGE":
                excluded.update(chr(c) for c in range(arg[0], arg[1] + 1))
            else:
                raise _Unsupported("negated class")
        for candidate in "xyzXYZ019_":
            if candidate not in excluded:
                return candidate
        raise _Unsupported("negated class")
    options = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            options.append(chr(arg))
        elif name == "RANGE":
            options.append(chr(arg[0]) if variant % 2 == 0 else chr(arg[1]))
        elif name == "CATEGORY":
            options.append(_CATEGORY_SAMPLES.get(str(arg), "a"))
        else:
            raise _Unsupported(name)
    if not options:
        raise _Unsupported("empty class")
    return options[variant % len(options)]
