"""Writes clickgen/unicode_categories.py: the code point ranges of every Unicode general
category, from the running Python's `unicodedata`.

    .venv/bin/python scripts/gen_unicode_categories.py

The table is checked in so that what `\\p{..}` means in a reference pattern depends on
clickgen's version only, never on the Python that runs clickgen: every target language
gets these ranges spelled out. Running this script under a Python with a newer Unicode
database moves the pinned version (a deliberate change of what released patterns match;
say so in the changelog). tests/test_iregexp.py checks the table against `unicodedata`
whenever the running Python has the pinned version.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "clickgen" / "unicode_categories.py"
LINE = 96


def category_ranges() -> dict[str, list[tuple[int, int]]]:
    ranges: dict[str, list[tuple[int, int]]] = {}
    for code_point in range(sys.maxunicode + 1):
        category = unicodedata.category(chr(code_point))
        spans = ranges.setdefault(category, [])
        if spans and spans[-1][1] == code_point - 1:
            spans[-1] = (spans[-1][0], code_point)
        else:
            spans.append((code_point, code_point))
    return dict(sorted(ranges.items()))


def _wrapped(text: str, indent: str) -> list[str]:
    """A long string literal as adjacent literals of at most LINE characters."""
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(indent) + len(line) + len(word) + 4 > LINE:
            lines.append(f'{indent}"{line} "')
            line = ""
        line += word if not line else " " + word
    lines.append(f'{indent}"{line}"')
    return lines


def render() -> str:
    out = [
        '"""Unicode general categories as code point ranges (generated; do not edit).',
        "",
        "Written by scripts/gen_unicode_categories.py from Python's unicodedata. Each value is",
        "a space-separated list of hex ranges `lo-hi` (or a single `cp`), sorted; together the",
        "30 categories cover every code point once (Cn: unassigned).",
        '"""',
        "",
        f'UNICODE_VERSION = "{unicodedata.unidata_version}"',
        "",
        "CATEGORIES: dict[str, str] = {",
    ]
    for category, spans in category_ranges().items():
        text = " ".join(f"{lo:x}" if lo == hi else f"{lo:x}-{hi:x}" for lo, hi in spans)
        out.append(f'    "{category}": (')
        out.extend(_wrapped(text, " " * 8))
        out.append("    ),")
    out.append("}")
    return "\n".join(out) + "\n"


def main() -> None:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT} (Unicode {unicodedata.unidata_version})")


if __name__ == "__main__":
    main()
