"""Escaping of reference text for each language's comments and string literals.

Descriptions and enum values are arbitrary strings: quotes, comment terminators,
`?>`, backslashes, newlines, template braces, emoji. These functions are the only
way such text enters generated code (as Jinja filters).
"""

from __future__ import annotations

import json
from typing import Any


def _escape_unprintable(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


# --- Python -----------------------------------------------------------------

_PY_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def python_string(value: str) -> str:
    """A double-quoted Python string literal."""
    out = []
    for char in value:
        if char in _PY_ESCAPES:
            out.append(_PY_ESCAPES[char])
        elif not char.isprintable():
            out.append(_escape_unprintable(char))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def python_docstring(value: str, indent: int = 0) -> str:
    """Text for inside a triple-quoted docstring: no quote or backslash can end it early.

    Quotes stay readable; only a run of three, or a quote right before the closing
    quotes, is escaped.
    """
    out = []
    for char in value.strip():
        if char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\n" + " " * indent)
        elif char == "\t":
            out.append("    ")
        elif not char.isprintable():
            out.append(_escape_unprintable(char))
        else:
            out.append(char)
    text = "".join(out).replace('"""', '\\"\\"\\"')
    return text[:-1] + '\\"' if text.endswith('"') else text


def python_literal(value: Any) -> str:
    if isinstance(value, str):
        return python_string(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    raise TypeError(type(value).__name__)


# --- Go ---------------------------------------------------------------------

_GO_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def go_string(value: str) -> str:
    """A Go interpreted string literal."""
    out = []
    for char in value:
        if char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif not char.isprintable():
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x80 else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def go_comment(value: str, indent: str = "") -> str:
    """Line comments: every line of the text behind '// '; blank lines as '//'."""
    lines = []
    for line in value.strip().splitlines():
        line = "".join(c if c.isprintable() else " " for c in line).rstrip()
        lines.append(f"{indent}// {line}" if line else f"{indent}//")
    return "\n".join(lines)


# --- PHP --------------------------------------------------------------------


def php_string(value: str) -> str:
    """A PHP string literal: single-quoted when possible, else double-quoted with escapes."""
    if all(c.isprintable() for c in value):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    out = []
    for char in value:
        if char in '\\"$':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif not char.isprintable():
            out.append("\\u{" + f"{ord(char):x}" + "}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def php_doc(value: str, indent: str = "") -> str:
    """Docblock lines (' * text'); '*/' cannot close the comment early, and a line that
    starts with '@' is escaped ('\\@') so that it is not read as a tag (@deprecated...)."""
    lines = []
    for line in value.strip().replace("*/", "*\\/").splitlines():
        line = "".join(c if c.isprintable() else " " for c in line).rstrip()
        if line.lstrip().startswith("@"):
            line = line.replace("@", "\\@", 1)
        lines.append(f"{indent} * {line}" if line else f"{indent} *")
    return "\n".join(lines)


def php_doc_inline(value: str) -> str:
    """Text for one docblock line, after a tag such as @param: every run of whitespace
    (newlines too) becomes one space, and '*/' cannot close the comment early."""
    text = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return text.replace("*/", "*\\/")


def json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
