"""`clickgen new-version EVENT`: copy an event's latest version as version max+1.

Input: the text of the event's file. Output: the new text, with the block of the
latest version copied after the last version entry, renumbered, and without the
copy's `description` and `deprecated` (they describe the old version). The edit is
made on the text, not by dumping YAML, so comments, quoting, flow lists and blank
lines stay as they are; positions come from the positioned YAML reader.
"""

from __future__ import annotations

import codecs
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from clickgen.diagnostics import Diagnostic, Severity
from clickgen.yamlread import PosDict, read_yaml


class NewVersionProblem(Exception):
    """The file cannot be edited safely (a usage error: the user adds the version by hand)."""


@dataclass(frozen=True)
class NewVersion:
    text: str
    number: int
    copied_from: int
    line: int  # 1-based line of the new version's key
    end_line: int  # its last line


_DROPPED_KEYS = ("description", "deprecated")


@dataclass(frozen=True)
class Outcome:
    path: str  # of the event file, relative to the reference root
    version: NewVersion | None  # None: the reference had errors, nothing was written
    diagnostics: list[Diagnostic]  # before the edit (errors) or after it (warnings)


def add_version(root: Path, event_name: str) -> Outcome:
    """Append version max+1 of the event to its file and check that the reference still validates.

    Refuses (nothing written) when the reference has errors. If the edited reference
    does not validate, the file is restored and the new errors are returned.
    """
    from clickgen.frontend import analyze_folder

    before = analyze_folder(root)
    if not before.ok:
        return Outcome("", None, before.diagnostics)
    event = before.reference.events.get(event_name)
    if event is None:
        close = difflib.get_close_matches(event_name, list(before.reference.events), n=1, cutoff=0.6)
        raise NewVersionProblem(f"no event `{event_name}` in the reference" + (f"; did you mean `{close[0]}`?" if close else ""))
    target = root / event.path
    raw = target.read_bytes()
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    edit = append_version(raw.decode("utf-8-sig"), event.path)
    target.write_bytes(bom + edit.text.encode("utf-8"))
    after = analyze_folder(root)
    if not after.ok:
        target.write_bytes(raw)
        return Outcome(event.path, None, after.diagnostics)
    known = {(d.code, d.message) for d in before.diagnostics}

    def concerns_the_copy(d: Diagnostic) -> bool:
        in_copy = d.span.path == event.path and edit.line <= d.span.line <= edit.end_line
        return d.severity is not Severity.NOTE and (in_copy or (d.code, d.message) not in known)

    return Outcome(event.path, edit, [d for d in after.diagnostics if concerns_the_copy(d)])


def append_version(text: str, path: str) -> NewVersion:
    doc, problems = read_yaml(text, path)
    if not isinstance(doc, PosDict) or not isinstance(doc.get("versions"), PosDict) or not doc["versions"]:
        raise NewVersionProblem(f"{path} has no `versions:` mapping to add to")
    versions: PosDict = doc["versions"]
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    versions_line = doc.key_pos["versions"][0]
    entries = sorted((versions.key_pos[k][0], versions.key_pos[k][1], k) for k in versions)
    if entries[0][0] == versions_line or _is_flow(lines, versions.start):
        raise NewVersionProblem(f"the versions of {path} are written in flow style ({{...}}); add the new version by hand")
    numbers = {k: int(k) for k in versions if re.fullmatch(r"[0-9]+", k)}
    if len(numbers) != len(versions):
        raise NewVersionProblem(f"{path} has a version that is not a number")
    latest_key = max(numbers, key=lambda k: numbers[k])
    top = numbers[latest_key]
    # where the versions mapping ends: the next top-level key after `versions`, or the end
    after = [pos[0] for key, pos in doc.key_pos.items() if pos[0] > versions_line]
    mapping_end = min(after) - 1 if after else len(lines)

    def block(index: int) -> tuple[int, int]:
        """(first, last) 1-based lines of the index-th version entry, trailing blanks excluded."""
        first, col, _ = entries[index]
        last = entries[index + 1][0] - 1 if index + 1 < len(entries) else mapping_end
        while last > first and _belongs_to_next(lines[last - 1], col):
            last -= 1
        return first, last

    source_index = next(i for i, e in enumerate(entries) if e[2] == latest_key)
    first, last = block(source_index)
    copied = lines[first - 1 : last]
    copied[-1] = copied[-1] if copied[-1].endswith(("\n", "\r")) else copied[-1] + newline
    copied[0] = _renumber(copied[0], entries[source_index][1], latest_key, top + 1)
    value = versions[latest_key]
    if isinstance(value, PosDict) and versions.value_pos[latest_key][0] != first:
        copied = _drop_keys(copied, first, value)
    insert_after = block(len(entries) - 1)[1]
    separator = [newline] if len(entries) > 1 and _blank_between(lines, block(len(entries) - 2)[1], entries[-1][0]) else []
    head = lines[:insert_after]
    if head and not head[-1].endswith(("\n", "\r")):
        head[-1] += newline
    new_lines = head + separator + copied + lines[insert_after:]
    line = insert_after + len(separator) + 1
    return NewVersion("".join(new_lines), top + 1, top, line, line + len(copied) - 1)


def _is_flow(lines: list[str], start: tuple[int, int]) -> bool:
    line, col = start
    return lines[line - 1][col - 1 : col] == "{"


def _belongs_to_next(line: str, key_col: int) -> bool:
    """Blank lines and comments indented no deeper than the key introduce what follows."""
    stripped = line.strip()
    if not stripped:
        return True
    indent = len(line) - len(line.lstrip(" "))
    return stripped.startswith("#") and indent < key_col


def _blank_between(lines: list[str], end_of_previous: int, next_first: int) -> bool:
    return any(not lines[i - 1].strip() for i in range(end_of_previous + 1, next_first))


def _renumber(line: str, col: int, key: str, number: int) -> str:
    at = col - 1
    for quote in ('"', "'"):
        if line[at:].startswith(quote + key + quote):
            return line[:at] + quote + str(number) + quote + line[at + len(key) + 2 :]
    if not line[at:].startswith(key):
        raise NewVersionProblem(f"cannot find version {key} on its line: {line.strip()}")
    return line[:at] + str(number) + line[at + len(key) :]


def _drop_keys(copied: list[str], first: int, value: PosDict) -> list[str]:
    """Remove the copy's description and deprecated entries, with their continuation lines."""
    keys = sorted((pos[0], pos[1], key) for key, pos in value.key_pos.items())
    drop: set[int] = set()
    for i, (line, col, key) in enumerate(keys):
        if key not in _DROPPED_KEYS:
            continue
        end = keys[i + 1][0] - 1 if i + 1 < len(keys) else first + len(copied) - 1
        while end > line and _belongs_to_next(copied[end - first], col):
            end -= 1
        if line == first:  # `2: {description: ...}` would be a flow mapping; never reached
            continue
        drop.update(range(line, end + 1))
    return [text for offset, text in enumerate(copied) if first + offset not in drop]
