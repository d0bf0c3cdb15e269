"""A pattern as clickgen read it before patterns were I-Regexp -> a PCRE for preg_match.

Only for a released pattern that is not I-Regexp and is kept as written under a CG0216
waiver (clickgen.iregexp.AsWritten); every I-Regexp pattern gets its PCRE from
clickgen/iregexp.py. Then, the contract was Python's `re` with `re.ASCII`, matching the
whole value. PHP needs the `u` modifier so that `.` and classes see code points, not
bytes, but in PHP `u` also turns on PCRE2_UCP: `\\d`, `\\w`, `\\s` and `\\b` then match
Unicode digits, letters and spaces ("٣" would be a digit). So the shorthand classes are
rewritten as explicit ASCII classes, Python-only escapes (`\\uXXXX`, `\\UXXXXXXXX`,
`\\N{...}`, `\\v`, `{,n}`) get their PCRE spelling, and the pattern is anchored with
`\\A(?:...)\\z`.
"""

from __future__ import annotations

import unicodedata

DELIMITER = "~"

_WORD = "0-9A-Za-z_"
# Outside a class: a whole class. Inside one: ranges that can join the others.
_IN_CLASS = {
    "d": "0-9",
    "D": "\\x{0}-\\x{2f}\\x{3a}-\\x{10ffff}",
    "w": _WORD,
    "W": "\\x{0}-\\x{2f}\\x{3a}-\\x{40}\\x{5b}-\\x{5e}\\x{60}\\x{7b}-\\x{10ffff}",
    "s": "\\t\\n\\x{b}\\f\\r ",
    "S": "\\x{0}-\\x{8}\\x{e}-\\x{1f}\\x{21}-\\x{10ffff}",
}
_BOUNDARY = {
    "b": f"(?:(?<=[{_WORD}])(?![{_WORD}])|(?<![{_WORD}])(?=[{_WORD}]))",
    "B": f"(?:(?<=[{_WORD}])(?=[{_WORD}])|(?<![{_WORD}])(?![{_WORD}]))",
}


def _code_point(value: int) -> str:
    return f"\\x{{{value:x}}}"


def translate(pattern: str) -> str:
    """The pattern body in PCRE syntax with ASCII meanings (no delimiters, no anchors)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    class_start = -1  # index in `pattern` right after `[` or `[^`
    while i < n:
        char = pattern[i]
        if char == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            i += 2
            if nxt in _IN_CLASS:
                out.append(_IN_CLASS[nxt] if in_class else f"[{_IN_CLASS[nxt]}]")
            elif nxt in _BOUNDARY:
                out.append("\\x{8}" if in_class and nxt == "b" else _BOUNDARY[nxt])
            elif nxt == "v":
                out.append("\\x{b}")
            elif nxt == "u" and i + 4 <= n:
                out.append(_code_point(int(pattern[i : i + 4], 16)))
                i += 4
            elif nxt == "U" and i + 8 <= n:
                out.append(_code_point(int(pattern[i : i + 8], 16)))
                i += 8
            elif nxt == "N" and i < n and pattern[i] == "{":
                end = pattern.index("}", i)
                out.append(_code_point(ord(unicodedata.lookup(pattern[i + 1 : end]))))
                i = end + 1
            elif nxt == DELIMITER:
                out.append("\\" + nxt)
            else:
                out.append("\\" + nxt)
            continue
        i += 1
        if in_class:
            if char == "]" and i - 1 != class_start:
                in_class = False
                out.append("]")
            elif char == "[":
                out.append("\\[")  # literal in Python; PCRE would read [: :] as a POSIX class
            elif char == DELIMITER:
                out.append("\\" + char)
            else:
                out.append(char)
            continue
        if char == "[":
            in_class = True
            out.append("[")
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            class_start = i
        elif char == "{" and pattern.startswith(",", i):
            # Python reads {,n} as {0,n}; PCRE2 10.42 as the literal text
            end = i + 1
            while end < n and pattern[end].isdigit():
                end += 1
            if end < n and pattern[end] == "}":
                out.append("{0")
            else:
                out.append("\\{")
        elif char == DELIMITER:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def pcre(pattern: str) -> str:
    """The complete preg_match() pattern: delimiters, whole-value anchors, UTF-8 mode."""
    return f"{DELIMITER}\\A(?:{translate(pattern)})\\z{DELIMITER}u"
