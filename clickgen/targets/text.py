"""Escaping of reference text for each language's comments and string literals.

Descriptions and enum values are arbitrary strings: quotes, comment terminators,
`?>`, backslashes, newlines, template braces, emoji. These functions are the only
way such text enters generated code (as Jinja filters).
"""

from __future__ import annotations

import json
import textwrap
import unicodedata
from typing import Any


_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_unprintable(char: str, x_below: int = 0x100) -> str:
    """`\\xNN` below x_below (Python: a code point; Go: a byte, so only ASCII), else `\\u`/`\\U`."""
    code = ord(char)
    if code < x_below:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _double_quoted(value: str, x_below: int) -> str:
    """A double-quoted literal with C-style escapes, as Python and Go both read them."""
    if value.isprintable() and '"' not in value and "\\" not in value:
        return '"' + value + '"'  # nothing to escape (the usual case)
    out = []
    for char in value:
        if char in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[char])
        elif not char.isprintable():
            out.append(_escape_unprintable(char, x_below))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# --- Python -----------------------------------------------------------------


def python_string(value: str) -> str:
    """A Python string literal, quoted as black quotes it.

    Double quotes, unless the value holds more double quotes than single ones: then
    single quotes need fewer escapes, and black would switch to them.
    """
    if value.count('"') <= value.count("'"):
        return _double_quoted(value, 0x100)
    return "'" + _double_quoted(value, 0x100)[1:-1].replace('\\"', '"').replace("'", "\\'") + "'"


def python_docstring(value: str, indent: int = 0) -> str:
    """Text for inside a triple-quoted docstring: no quote or backslash can end it early.

    Quotes stay readable; only a run of three, or a quote right before the closing
    quotes, is escaped.
    """
    value = value.strip()
    if value.isprintable() and '"' not in value and "\\" not in value:
        return value  # one line, nothing to escape (the usual case)
    out = []
    for char in value:
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
    if text.endswith('"') and (len(text) - len(text[:-1].rstrip("\\")) - 1) % 2 == 0:
        text = text[:-1] + '\\"'  # a final quote not escaped yet
    return text


def python_literal(value: Any) -> str:
    if isinstance(value, str):
        return python_string(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        # black's spelling of a float: no "+" in the exponent (repr gives 1e+21)
        return repr(value).replace("e+", "e")
    raise TypeError(type(value).__name__)


# --- Go ---------------------------------------------------------------------

def go_string(value: str) -> str:
    """A Go interpreted string literal (`\\x` there is a byte, so only for ASCII)."""
    return _double_quoted(value, 0x80)


def go_comment(value: str, indent: str = "") -> str:
    """Line comments: every line of the text behind '// '; blank lines as '//'."""
    lines = []
    for line in value.strip().splitlines():
        line = "".join(c if c.isprintable() else " " for c in line).rstrip()
        lines.append(f"{indent}// {line}" if line else f"{indent}//")
    return "\n".join(lines)


def _go_link_definition(line: str) -> bool:
    """A line go/doc/comment takes for a link definition: `[text]: scheme://...`."""
    if not line.startswith("["):
        return False
    close = line.find("]:")
    if close < 0 or close + 3 >= len(line) or line[close + 2] not in " \t":
        return False
    url = line[close + 3 :].strip()
    scheme, found, _ = url.partition("://")
    return bool(found) and scheme[:1].isalpha() and all(c.isalnum() or c in "+-." for c in scheme)


def _go_old_heading(line: str) -> bool:
    """go/doc/comment's isOldHeading test of the line itself (its neighbours are checked by the caller)."""
    if not line or unicodedata.category(line[0]) != "Lu" or not (unicodedata.category(line[-1])[0] == "L" or unicodedata.category(line[-1]) == "Nd"):
        return False
    if any(c in line for c in ";:!?+*/=[]{}_^\u00b0&\u00a7~%#@<\">\\"):
        return False
    rest = line
    while "'" in rest:
        rest = rest.split("'", 1)[1]
        if rest != "s" and not rest.startswith("s "):
            return False
    rest = line
    while "." in rest:
        rest = rest.split(".", 1)[1]
        if rest == "" or rest.startswith(" "):
            return False
    return True


_GO_URL_SCHEMES = ("file", "ftp", "gopher", "http", "https", "mailto", "nntp")
_GO_HOST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@-.[]:")
_GO_PUNCT = frozenset(".,:;?!")
_GO_PATH = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789$'()*+&#=@~_/-[]{}%")


def _go_auto_url(s: str) -> str:
    """go/doc/comment's autoURL: the URL that s starts with, or ""."""
    if len(s) < 7:
        return ""
    colon = next((i for i in (3, 4, 5, 6) if s[i] == ":"), -1)
    if colon < 0 or s[colon : colon + 3] != "://" or s[:colon] not in _GO_URL_SCHEMES:
        return ""
    i = colon + 3
    if i >= len(s) or s[i] not in _GO_HOST or s[i] in _GO_PUNCT:
        return ""
    i += 1
    end = i
    while i < len(s) and s[i] in _GO_HOST:
        if s[i] not in _GO_PUNCT:
            end = i + 1
        i += 1
    i = end
    stack: list[str] = []
    while i < len(s):
        c = s[i]
        if c in _GO_PUNCT:
            i += 1
            continue
        if c not in _GO_PATH:
            break
        if c in "({[":
            stack.append(")}]"["({[".index(c)])
        elif c in ")}]":
            if not stack or stack[-1] != c:
                break
            stack.pop()
        if not stack:
            end = i + 1
        i += 1
    return s[:end]


def _go_ident(s: str) -> str:
    n = 0
    while n < len(s):
        c = s[n]
        if c < "\x80":
            if (c.isascii() and c.isalnum() or c == "_") and (n > 0 or not c.isdigit()):
                n += 1
                continue
            break
        if unicodedata.category(c).startswith("L"):
            n += 1
            continue
        break
    return s[:n]


def _go_quotes(text: str) -> str:
    """go/doc/comment turns `` into \u201c and '' into \u201d in paragraph text, except in URLs."""
    if "``" not in text and "''" not in text:
        return text
    out = []
    i = 0
    while i < len(text):
        rest = text[i:]
        skip = _go_auto_url(rest) or _go_ident(rest)
        if skip:
            out.append(skip)
            i += len(skip)
        elif rest.startswith("```"):
            j = i + 3
            while j < len(text) and text[j] == "`":
                j += 1
            out.append(text[i:j])
            i = j
        elif rest.startswith("``"):
            out.append("\u201c")
            i += 2
        elif rest.startswith("''"):
            out.append("\u201d")
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def go_doc(value: str) -> str:
    """A Go doc comment ('// ' lines) that gofmt leaves exactly as it is.

    gofmt reformats doc comments (go/doc/comment): indented lines become code blocks
    or lists, a lone `# text` or capitalised line becomes a heading, paragraphs of
    `[text]: url` move to the end, blank runs collapse, `` and '' become curly quotes.
    Here every line is unindented, paragraphs are separated by one blank line,
    headings and quotes are written the way gofmt writes them and link definitions
    stay in the paragraph before them, so the output is already in gofmt's
    canonical form.
    """
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw in value.strip().splitlines():
        line = "".join(c if c.isprintable() else " " for c in raw).strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    merged: list[list[str]] = []
    for paragraph in paragraphs:
        if merged and all(_go_link_definition(line) for line in paragraph):
            merged[-1].extend(paragraph)
        else:
            merged.append(paragraph)
    for i, paragraph in enumerate(merged):
        line = paragraph[0]
        if len(paragraph) == 1 and len(line) >= 2 and line[0] == "#" and line[1] == " " and line.strip() != "#":
            paragraph[0] = "# " + line[1:].strip()
        elif len(paragraph) == 1 and 0 < i < len(merged) - 1 and _go_old_heading(line):
            paragraph[0] = "# " + line
        else:  # a paragraph: its text gets gofmt's typographic quotes
            paragraph[:] = [_go_quotes(text) for text in paragraph]
    return "\n//\n".join("\n".join("// " + line for line in paragraph) for paragraph in merged)


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


PHP_DOC_WIDTH = 116  # docblock lines stay within PSR-12's soft limit of 120 columns


def php_doc(value: str, indent: str = "", tag: str = "") -> str:
    """Docblock lines (' * text') of reference text, wrapped to PHP_DOC_WIDTH.

    '*/' cannot close the comment early, and a line that starts with '@' is escaped
    ('\\@') so that it is not read as a tag (@deprecated...). With `tag` (such as
    '@param int $userId'), the text follows the tag on one paragraph, and the lines
    after the first are indented under it.
    """
    text = value.strip().replace("*/", "*\\/")
    raw = [" ".join(text.split())] if tag else text.splitlines()
    width = max(40, PHP_DOC_WIDTH - len(indent) - 3)
    lines = []
    for number, line in enumerate(raw):
        line = "".join(c if c.isprintable() else " " for c in line).rstrip()
        if line.lstrip().startswith("@"):
            line = line.replace("@", "\\@", 1)
        if number == 0 and tag:
            line = f"{tag} {line}".rstrip()
        margin = len(line) - len(line.lstrip())
        wrapped = textwrap.wrap(
            line, width, subsequent_indent=" " * (margin + (2 if tag else 0)), break_long_words=False, break_on_hyphens=False
        ) or [""]
        for part in wrapped:
            if part.lstrip().startswith("@") and not (tag and part is wrapped[0] and number == 0):
                part = part.replace("@", "\\@", 1)
            lines.append(f"{indent} * {part}".rstrip())
    return "\n".join(lines)


def php_doc_inline(value: str) -> str:
    """Text for one docblock line, after a tag such as @param: every run of whitespace
    (newlines too) becomes one space, and '*/' cannot close the comment early."""
    text = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return text.replace("*/", "*\\/")


def json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
