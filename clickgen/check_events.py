"""`clickgen check-events`: validate a raw NDJSON event stream against the reference.

Input: the stream's bytes, one canonical JSON event a line (DESIGN 5; LF or CRLF line
ends, blank lines ignored), and the IR. Output: one diagnostic per problem, positioned
at the stream's line (and column, for syntax), plus counts. The rules are those of
the field's check plan (clickgen.checkplan), the same the langpacks render. A line must be UTF-8 and one JSON
object without repeated keys (I-JSON, which RFC 8785 builds on).

Speed: each line first goes through clickgen.check_events_fast, a yes/no judge that
only says "valid, nothing to report" and does its work in C where it can; the lines it
does not accept come here, to `_check_line`.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from clickgen import canonical_json
from clickgen.check_events_fast import FastJudge
from clickgen.checkplan import is_valid_unicode, plan_field
from clickgen.diagnostics import Diagnostic, Span, diag, printable
from clickgen.ir import ENVELOPE_KEYS, INT64_MAX, Environment, Event, EventVersion, FieldUse, Reference

_UID_CHARS = set("0123456789abcdef-")


@dataclass
class StreamReport:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # problems past max_diagnostics are counted, not kept: memory stays bounded on a
    # stream where every line is broken
    not_shown: int = 0
    lines: int = 0
    valid: int = 0
    by_event: Counter[str] = field(default_factory=Counter)


class _Index:
    def __init__(self, reference: Reference) -> None:
        self.by_id: dict[int, Event] = {e.id: e for e in reference.events.values()}
        self.by_source: dict[int, Environment] = {e.source_id: e for e in reference.environments.values()}
        self.uses: dict[tuple[int, int, int], dict[str, FieldUse]] = {}

    def fields_of(self, environment: Environment, event: Event, version: EventVersion) -> dict[str, FieldUse]:
        """The version's fields and the environment's common fields, by wire key."""
        key = (environment.source_id, event.id, version.number)
        found = self.uses.get(key)
        if found is None:
            found = {plan_field(u.field).key: u for u in environment.common_fields}
            for use in version.fields:
                found.setdefault(plan_field(use.field).key, use)
            self.uses[key] = found
        return found


def check_stream(reference: Reference, stream: Iterable[bytes], name: str, max_diagnostics: int | None = None) -> StreamReport:
    """Check every line of a binary stream (a file opened "rb", or any iterable of lines)."""
    report = StreamReport()
    index = _Index(reference)
    valid_line = FastJudge(index).valid
    fast = 0  # lines the fast judge accepted (counted apart: it is the loop's hot path)
    for number, raw in enumerate(stream, start=1):
        # most lines are valid: the fast judge accepts them without a word; any other
        # line (and any it doubts) gets the full check, which words every problem
        try:
            if valid_line(raw.decode("utf-8")):
                fast += 1
                continue
        except UnicodeDecodeError:
            pass
        span = Span(name, number, 1)
        text = _decode_line(raw, span)
        if isinstance(text, Diagnostic):
            problems = [text]
        elif not text.strip():
            continue
        else:
            problems = list(_check_line(index, text, span))
        report.lines += 1
        if not any(p.severity.value == "error" for p in problems):
            report.valid += 1
        room = len(problems) if max_diagnostics is None else max(0, min(len(problems), max_diagnostics - len(report.diagnostics)))
        report.diagnostics.extend(problems[:room])
        report.not_shown += len(problems) - room
    report.lines += fast
    report.valid += fast
    return report


def _read_integer(text: str) -> int | float:
    # Python refuses to read integers of more than 4300 digits. Beyond 400 digits an
    # integer is beyond every int64 and every double: infinity, refused as either.
    if len(text) > 400:
        return -math.inf if text.startswith("-") else math.inf
    return int(text)


def _decode_line(raw: bytes, span: Span) -> str | Diagnostic:
    """The line's text without its line end, or the CG0501 of a line that is not UTF-8."""
    if raw.endswith(b"\n"):
        raw = raw[:-1]
        if raw.endswith(b"\r"):
            raw = raw[:-1]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        column = len(raw[: e.start].decode("utf-8")) + 1
        return diag("CG0501", f"not UTF-8: byte 0x{raw[e.start]:02x} at byte {e.start + 1} cannot be decoded", Span(span.path, span.line, column), "JSON text on the wire is UTF-8")


def _repeated_key(line: str) -> str | None:
    """The first key an object of the line repeats (the plain parse keeps only the last)."""
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen and not repeated:
                repeated.append(key)
            seen[key] = value
        return seen

    json.loads(line, object_pairs_hook=pairs, parse_constant=_refuse_constant, parse_int=_read_integer)
    return repeated[0] if repeated else None


class _NotJsonConstant(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which JSON does not have
    raise _NotJsonConstant(name)


def _check_line(index: _Index, line: str, span: Span) -> Iterator[Diagnostic]:
    """The line's problems; whether it is in canonical form only matters when it has none."""
    try:
        payload: Any = json.loads(line, parse_constant=_refuse_constant, parse_int=_read_integer)
    except json.JSONDecodeError as e:
        yield diag("CG0501", f"not JSON: {e.msg}", Span(span.path, span.line, e.colno), "each line must be one JSON object")
        return
    except _NotJsonConstant as e:
        yield diag("CG0501", f"not JSON: `{e}` is not a JSON value", span, "numbers on the wire are finite")
        return
    except RecursionError:
        yield diag("CG0501", "arrays or objects nest too deeply to be an event", span, "each line must be one JSON object, nested at most as deep as the reference allows")
        return
    if not isinstance(payload, dict):
        yield diag("CG0501", "the line is not a JSON object", span, "each line must be one JSON object")
        return
    canonical = _canonical_or_none(payload)
    if canonical != line:
        # a line in canonical form has no repeated keys, so only the others are parsed again
        repeated = _repeated_key(line)
        if repeated is not None:
            yield diag("CG0501", f"the key `{repeated}` appears twice in one object", span, "each key appears once (I-JSON, RFC 7493)")
            return
    for key in ("event_id", "event_version", "source_id", "event_time_us"):
        value = payload.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= INT64_MAX:
            yield diag("CG0507", f"envelope key `{key}` is missing or not a non-negative integer", span, "events must be sent through a langpack")
            return
    clean = True
    uid = payload.get("event_uid")
    if not isinstance(uid, str) or len(uid) != 36 or not set(uid) <= _UID_CHARS:
        clean = False
        yield diag("CG0507", "envelope key `event_uid` is missing or not a lowercase UUID", span, "events must be sent through a langpack")
    langpack = payload.get("langpack")
    if not isinstance(langpack, str) or not is_valid_unicode(langpack):
        clean = False
        yield diag("CG0507", "envelope key `langpack` is missing or not a string of valid Unicode", span, "events must be sent through a langpack")
    event = index.by_id.get(payload["event_id"])
    environment = index.by_source.get(payload["source_id"])
    if event is None:
        yield diag("CG0502", f"no event has id {payload['event_id']}", span, "check the reference's event ids")
        return
    version = event.version(payload["event_version"])
    if version is None:
        yield diag("CG0502", f"event `{event.name}` has no version {payload['event_version']}", span, f"versions are 1..{event.latest.number}")
        return
    if environment is None:
        yield diag("CG0503", f"no environment has source id {payload['source_id']}", span, "check the reference's source ids")
        return
    if environment.name not in event.environments:
        clean = False
        yield diag("CG0503", f"event `{event.name}` does not occur in `{environment.name}`", span, f"add `{environment.name}` to the event's environments")
    uses = index.fields_of(environment, event, version)
    label = f"`{event.name}` v{version.number}"
    wire = dict(payload)  # what a langpack writes for the same values
    for key, use in uses.items():
        field = f"`{use.name}`" if key == use.name else f"`{use.name}` (key `{printable(key)}`)"
        if key not in payload:
            if use.required:
                clean = False
                yield diag("CG0504", f"{label}: required field {field} is missing", span, "set it in the sender")
            continue
        plan = plan_field(use.field)
        problem = plan.problem(payload[key])
        if problem is None:
            wire[key] = plan.wire_value(plan.api_value(payload[key]))
        elif problem.path == use.name:
            clean = False
            yield diag("CG0506", f"{label}: field {field} {problem.reason}", span, "fix the sender or the reference")
        else:
            clean = False
            yield diag("CG0506", f"{label}: field {field}: {printable(problem.path)}: {problem.reason}", span, "fix the sender or the reference")
    for name in payload:
        if name not in uses and name not in ENVELOPE_KEYS:
            clean = False
            shown = printable(name)
            yield diag("CG0505", f"{label}: unknown field `{shown}`", span, f"`{shown}` is not part of this event version in `{environment.name}`")
    if clean and canonical_json.encode(wire) != line:
        yield diag("CG0508", f"{label}: the line is not in canonical form (RFC 8785)", span, "langpacks write canonical JSON; check the sender")


def _canonical_or_none(payload: dict[str, Any]) -> str | None:
    try:
        return canonical_json.encode(payload)
    except (TypeError, ValueError, RecursionError):
        return None  # e.g. a number no double holds: reported by the value checks
