"""Reading the JSON of an import source, with the position of any problem.

Strict JSON (RFC 8259): no NaN/Infinity, no duplicate keys in one object (the source
would mean two things at once), UTF-8. A problem raises `ImportProblem` with
`file:line:col: message`, which the CLI prints before exiting 2.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from pathlib import Path
from typing import Any

from clickgen.importers.model import ImportProblem

_CONSTANTS = re.compile(r"-?\bInfinity\b|\bNaN\b")


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _NotJson(Exception):
    def __init__(self, token: str) -> None:
        self.token = token


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


def _constant(token: str) -> Any:
    raise _NotJson(token)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _outside_strings(text: str, pattern: re.Pattern[str]) -> int | None:
    """Offset of the first match of `pattern` that is not inside a JSON string."""
    in_string = escaped = False
    candidates = {m.start() for m in pattern.finditer(text)}
    if not candidates:
        return None
    for i, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif i in candidates:
            return i
    return None


def _key_offsets(text: str, start: int, end: int) -> list[int]:
    """Offsets of the keys of the object whose members lie in text[start:end]."""
    offsets, depth, i = [], 0, start
    while i < end:
        char = text[i]
        if char == '"':
            close = i + 1
            while text[close] != '"':
                close += 2 if text[close] == "\\" else 1
            if depth == 0 and text[close + 1 : end].lstrip().startswith(":"):
                offsets.append(i)
            i = close + 1
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        i += 1
    return offsets


def _locate_duplicate(text: str) -> tuple[int, int, str]:
    """line, col and JSON spelling of the first repeated key (parsed again, with positions)."""
    found: list[tuple[int, str]] = []

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        value, end = json.decoder.JSONObject(s_and_end, *args)  # type: ignore[attr-defined]
        if not found:
            start = s_and_end[1]
            seen: set[str] = set()
            for offset, (key, _) in zip(_key_offsets(text, start, end - 1), value):
                if key in seen:
                    found.append((offset, json.dumps(key, ensure_ascii=False)))
                    break
                seen.add(key)
        return value, end

    decoder = json.JSONDecoder(object_pairs_hook=list)
    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        decoder.decode(text)
    except (ValueError, RecursionError):
        pass
    if not found:
        return 1, 1, "?"
    line, col = _line_col(text, found[0][0])
    return line, col, found[0][1]


def parse_json(text: str, label: str) -> Any:
    """The JSON value of `text`; `label` names the file in messages."""
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as e:
        raise ImportProblem(f"{label}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    except _Duplicate:
        line, col, key = _locate_duplicate(text)
        raise ImportProblem(f"{label}:{line}:{col}: not valid JSON: an object repeats the key {key}") from None
    except _NotJson as e:
        offset = _outside_strings(text, _CONSTANTS)
        line, col = _line_col(text, offset or 0)
        raise ImportProblem(f"{label}:{line}:{col}: not valid JSON: {e.token} is not a JSON number") from None
    except RecursionError:
        raise ImportProblem(f"{label}:1:1: not valid JSON: nested too deeply") from None


def read_json(path: Path, label: str) -> Any:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ImportProblem(f"{label}: cannot read: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line, col = _line_col(data[: e.start].decode("utf-8", "replace"), e.start)
        raise ImportProblem(f"{label}:{line}:{col}: not UTF-8 text") from None
    return parse_json(text, label)
