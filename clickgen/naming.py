"""Language-neutral name handling: splitting names into words, case conversion.

Targets build their identifiers from these words and apply their own reserved-word
and collision rules (see clickgen/targets/<lang>/naming.py).
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
    )
)
_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def words(name: str) -> list[str]:
    """Lowercase ASCII words of a name: 'user_id' -> ['user', 'id']; 'ios-app' -> ['ios', 'app']."""
    return [w.lower() for w in _SPLIT.split(_CAMEL.sub("_", name)) if w]


def ascii_fold(text: str) -> str:
    """Best-effort ASCII spelling: accents dropped, Cyrillic transliterated, the rest removed."""
    out = []
    for char in text:
        lower = char.lower()
        if lower in _CYRILLIC:
            latin = _CYRILLIC[lower].strip("_")
            out.append(latin.upper() if char != lower and latin else latin)
            continue
        decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
        out.append(decomposed if decomposed else " ")
    return "".join(out)


def value_words(value: str) -> list[str]:
    """Words for an arbitrary string such as an enum value; never empty.

    A value with no letters or digits at all (say an emoji) is spelled by its code
    points, so that different values still get different names.
    """
    found = words(ascii_fold(value))
    if found:
        return found
    return ["u" + "_".join(f"{ord(c):04x}" for c in value)] if value else ["empty"]


def pascal(parts: list[str]) -> str:
    return "".join(p[:1].upper() + p[1:] for p in parts)


def camel(parts: list[str]) -> str:
    out = pascal(parts)
    return out[:1].lower() + out[1:]


def snake(parts: list[str]) -> str:
    return "_".join(parts)


def upper_snake(parts: list[str]) -> str:
    return "_".join(p.upper() for p in parts)
