"""Diagnostics: positions, the code catalogue, and the three output formats.

Every stage returns its result plus a list of `Diagnostic`. A diagnostic always has a
stable code from `CODES`, a severity, a `Span` (path relative to the reference root,
1-based line and column) and a one-line fix hint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A position in a reference file; line and col are 1-based."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    summary: str
    severity: Severity = Severity.ERROR


def _catalogue(*codes: Code) -> dict[str, Code]:
    return {c.code: c for c in codes}


E, W = Severity.ERROR, Severity.WARNING

# The stable code catalogue. Codes are never renumbered or reused.
CODES: dict[str, Code] = _catalogue(
    # CG00xx: reading files
    Code("CG0001", "yaml-syntax", "the file is not valid YAML"),
    Code("CG0002", "duplicate-key", "a mapping repeats a key"),
    Code("CG0003", "not-a-mapping", "the document is not a mapping"),
    Code("CG0004", "not-utf8", "the file is not UTF-8 text"),
    Code("CG0005", "empty-file", "the file holds no document"),
    Code("CG0006", "unsupported-tag", "a YAML tag other than plain data is used"),
    Code("CG0007", "yaml-too-large", "aliases or nesting expand beyond the safe limit"),
    Code("CG0008", "missing-settings", "the reference has no clickgen.yaml"),
    Code("CG0009", "unreadable", "a file or folder cannot be read"),
    Code("CG0010", "multiple-documents", "a file holds more than one YAML document"),
    Code("CG0011", "complex-key", "a mapping key is not a plain scalar"),
    Code("CG0012", "recursive-alias", "an alias refers to the node that contains it"),
    Code("CG0013", "ambiguous-number", "a number is written in a form YAML 1.1 reads unexpectedly (010 is 8)"),
    Code("CG0014", "unsupported-yaml", "valid YAML 1.2 that clickgen's YAML reader does not support (or would read differently)"),
    # CG01xx: schema of each file kind
    Code("CG0101", "missing-key", "a required key is missing"),
    Code("CG0102", "unknown-key", "a key is not part of the format"),
    Code("CG0103", "wrong-type", "a value has the wrong type"),
    Code("CG0104", "not-allowed-value", "a value is not one of the allowed values"),
    Code("CG0105", "invalid-name", "a name does not follow the naming rules"),
    Code("CG0106", "out-of-range", "a value or list is too small, too large, too short or too long"),
    Code("CG0107", "duplicate-item", "a list repeats an item"),
    Code("CG0100", "schema", "the document does not match its schema"),
    # CG02xx: semantic rules of one revision
    Code("CG0201", "unknown-field", "a field is used but not defined in fields/"),
    Code("CG0202", "unknown-environment", "an environment is used but not defined"),
    Code("CG0203", "duplicate-event-id", "two events share an id"),
    Code("CG0204", "duplicate-event-name", "two events share a name"),
    Code("CG0205", "duplicate-source-id", "two environments share a source id"),
    Code("CG0206", "duplicate-field", "a field is defined twice"),
    Code("CG0207", "duplicate-environment", "an environment is defined twice"),
    Code("CG0208", "version-gap", "event versions are not numbered 1, 2, 3… without gaps"),
    Code("CG0209", "envelope-key", "a field is named like an envelope key"),
    Code("CG0210", "name-collision", "two names become the same identifier in a target language"),
    Code("CG0211", "enum-constant-collision", "two enum values become the same constant in a target language"),
    Code("CG0212", "common-field-conflict", "a common field is repeated in an event with another requirement"),
    Code("CG0213", "unknown-replacement", "deprecated.replaced_by names nothing that exists"),
    Code("CG0214", "duplicate-enum-value", "an enum lists a value twice"),
    Code("CG0215", "empty-range", "a minimum is greater than its maximum"),
    Code("CG0216", "invalid-pattern", "a pattern is not I-Regexp (RFC 9485), the one pattern language every target reads alike"),
    Code("CG0217", "constraint-not-applicable", "a constraint does not apply to the field's type"),
    Code("CG0218", "items-required", "an array field does not say the type of its items"),
    Code("CG0219", "invalid-example", "an example value breaks the field's own contract"),
    Code("CG0220", "file-name-mismatch", "an event file is not named after its event", W),
    Code("CG0221", "environment-without-langpacks", "an environment lists no langpacks", W),
    Code("CG0222", "deprecated-use", "a new version uses a deprecated field", W),
    Code("CG0223", "unsafe-integer-limit", "a limit lies outside the range of its type: 64-bit integers, or doubles for a number"),
    Code("CG0224", "duplicate-wire-key", "one event version with its environment's common fields, or one object, holds two fields with the same wire key"),
    Code("CG0225", "object-cycle", "an object field contains itself through its members or items"),
    Code("CG0226", "object-too-deep", "objects nest deeper than 4 levels"),
    Code("CG0227", "items-not-object", "`items:` names a field that is not an object field"),
    # CG03xx: append-only rules against a base revision (see rules/append_only.py, docs/rules.md)
    Code("CG0301", "field-deleted", "a field of the dictionary at the base is gone"),
    Code("CG0302", "environment-deleted", "an environment at the base is gone"),
    Code("CG0303", "event-deleted", "an event at the base is gone"),
    Code("CG0304", "event-version-deleted", "a released event version is gone"),
    Code("CG0305", "event-environment-removed", "an event no longer lists an environment it occurs in at the base"),
    Code("CG0306", "langpack-removed", "an environment no longer builds a language or generation it builds at the base"),
    Code("CG0310", "event-renamed", "an event id is kept under a new name: a delete plus an add"),
    Code("CG0311", "environment-renamed", "a source id is kept under a new environment name: a delete plus an add"),
    Code("CG0312", "field-renamed", "a field's contract is kept under a new name: a delete plus an add"),
    Code("CG0315", "event-id-changed", "an event's id differs from the base"),
    Code("CG0316", "event-id-reused", "an event takes the id another event has at the base"),
    Code("CG0317", "source-id-changed", "an environment's source id differs from the base"),
    Code("CG0318", "source-id-reused", "an environment takes the source id another environment has at the base"),
    Code("CG0320", "version-field-added", "a field is added to a released event version"),
    Code("CG0321", "version-field-removed", "a field is removed from a released event version"),
    Code("CG0322", "version-field-requirement-changed", "a field of a released event version changes between required and optional"),
    Code("CG0323", "version-not-next", "a new event version is not numbered max+1"),
    Code("CG0325", "object-member-added", "a member is added to a released object field"),
    Code("CG0326", "object-member-removed", "a member is removed from a released object field"),
    Code("CG0327", "object-member-requirement-changed", "a member of a released object field changes between required and optional"),
    Code("CG0330", "field-type-changed", "a released field's type changes"),
    Code("CG0331", "field-items-changed", "a released array field's item type changes"),
    Code("CG0332", "field-enum-value-added", "a value is added to a released field's enum"),
    Code("CG0333", "field-enum-value-removed", "a value is removed from a released field's enum"),
    Code("CG0334", "field-constraint-tightened", "a released field gets a new or narrower constraint"),
    Code("CG0335", "field-constraint-loosened", "a released field loses a constraint or gets a wider one"),
    Code("CG0336", "field-pattern-changed", "a released field's pattern is added, removed or changed"),
    Code("CG0337", "field-key-changed", "a released field's wire key changes"),
    Code("CG0338", "field-format-changed", "a released field's format is added, removed or changed"),
    Code("CG0340", "common-field-removed", "a common field of an environment at the base is gone"),
    Code("CG0341", "common-field-requirement-changed", "a common field changes between required and optional"),
    Code("CG0342", "required-common-field-added", "an environment gets a new required common field"),
    Code("CG0345", "package-naming-changed", "a setting that names the langpack packages changes"),
    Code("CG0350", "metadata-changed", "a description, owner, docs link or collector changes (reported, allowed)", Severity.NOTE),
    Code("CG0351", "deprecation-changed", "an entity is deprecated or no longer deprecated (reported, allowed)", Severity.NOTE),
    Code("CG0390", "waiver-unused", "a waiver in clickgen.yaml silences nothing", W),
    Code("CG0391", "waiver-invalid", "a waiver names a rule that cannot be waived or an entity in the wrong form", W),
    # CG04xx: building langpacks
    Code("CG0401", "generation-unavailable", "an environment asks for a langpack generation clickgen does not have"),
    # CG05xx: checking a raw event stream (check-events)
    Code("CG0501", "stream-not-json", "a line of the stream is not a JSON object"),
    Code("CG0502", "stream-unknown-event", "an event id or version is not in the reference"),
    Code("CG0503", "stream-unknown-source", "a source id is unknown or the event does not occur there"),
    Code("CG0504", "stream-missing-field", "a required field is missing"),
    Code("CG0505", "stream-unknown-field", "a field is not part of the event version"),
    Code("CG0506", "stream-invalid-value", "a field's value breaks its contract"),
    Code("CG0507", "stream-bad-envelope", "an envelope key is missing or malformed"),
    Code("CG0508", "stream-not-canonical", "a valid event is not in canonical JSON form", W),
    # CG06xx: clickgen.lock and publishing
    Code("CG0601", "lock-malformed", "clickgen.lock cannot be read"),
    Code("CG0602", "lock-conflict", "clickgen.lock records one version with two different contents"),
    Code("CG0603", "published-version-differs", "a langpack version is already published with different content"),
    Code("CG0604", "langpack-tests-failed", "a langpack's own tests fail, so it is not published"),
)


def code_info(code: str) -> Code:
    return CODES[code]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    span: Span
    hint: str = ""
    severity: Severity = Severity.ERROR
    related: tuple[Span, ...] = field(default=())

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.col, self.code, self.message)

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": CODES[self.code].name if self.code in CODES else self.code,
            "severity": self.severity.value,
            "path": self.span.path,
            "line": self.span.line,
            "col": self.span.col,
            "message": self.message,
            "hint": self.hint,
            "related": [str(s) for s in self.related],
        }


def printable(text: str) -> str:
    """Text from the user's input, escaped if it would break a one-line message (line
    breaks, controls, lone surrogates)."""
    return text if text.isprintable() else repr(text)


def diag(code: str, message: str, span: Span, hint: str = "", *related: Span) -> Diagnostic:
    """Make a diagnostic whose severity comes from the catalogue."""
    return Diagnostic(code, message, span, hint, CODES[code].severity, tuple(related))


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    unique = {(d.sort_key, d.hint): d for d in diagnostics}
    return [unique[k] for k in sorted(unique)]


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def format_text(diagnostics: list[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        lines.append(f"{d.span}: {d.severity.value}[{d.code}]: {d.message}")
        if d.hint:
            lines.append(f"  = hint: {d.hint}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def format_json(diagnostics: list[Diagnostic]) -> str:
    return json.dumps({"diagnostics": [d.to_json() for d in diagnostics]}, indent=2, ensure_ascii=False) + "\n"


def _github_escape(value: str, is_property: bool = False) -> str:
    # Workflow commands percent-encode these characters (actions/toolkit command.ts).
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(diagnostics: list[Diagnostic], path_prefix: str = "") -> str:
    """GitHub Actions workflow annotations; path_prefix maps reference paths to repo paths."""
    out = []
    for d in diagnostics:
        level = {"error": "error", "warning": "warning", "note": "notice"}[d.severity.value]
        path = f"{path_prefix}{d.span.path}"
        props = ",".join(
            [
                f"file={_github_escape(path, True)}",
                f"line={d.span.line}",
                f"col={d.span.col}",
                f"title={_github_escape(d.code + ' ' + CODES.get(d.code, Code(d.code, d.code, '')).name, True)}",
            ]
        )
        message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        out.append(f"::{level} {props}::{_github_escape(message)}")
    return "\n".join(out) + ("\n" if out else "")
