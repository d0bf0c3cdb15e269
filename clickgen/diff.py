"""`clickgen diff`: what a reviewer of a reference pull request needs to read.

Input: `History` (the head and base references, the append-only findings, waivers).
Output: `Report`, plain data: problems, new events, new versions with a field-level
diff against the version before them, deprecations, new fields and environments,
events that occur in more environments, metadata edits, waived violations, and for
each environment whether its langpacks get a new version (the content hash of
`versioning` changed). `render_markdown` makes a PR comment of it, `render_json` a
document for bots.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from clickgen.diagnostics import CODES, Diagnostic, Severity
from clickgen.history import History
from clickgen.ir import Deprecation, Environment, Event, EventVersion, Field, FieldType, Reference
from clickgen.rules.append_only import Finding
from clickgen.versioning import Lock, environment_content, environment_content_hash, langpack_version


# --- the report -----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: str  # human summary of the contract, e.g. "integer ≥ 1"
    required: bool | None  # None: removed
    status: str  # added | removed | now-required | now-optional | same
    description: str = ""


@dataclass(frozen=True)
class VersionReport:
    event: str
    version: int
    description: str
    location: str
    compared_with: int | None  # the version the rows are compared with (None: first version)
    rows: list[FieldRow]


@dataclass(frozen=True)
class EventReport:
    name: str
    id: int
    owner: str
    description: str
    environments: list[str]
    location: str
    versions: list[VersionReport]


@dataclass(frozen=True)
class Note:
    entity: str
    message: str
    location: str
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class Problem:
    severity: str
    code: str
    name: str
    location: str
    message: str
    hint: str


@dataclass(frozen=True)
class Langpack:
    environment: str
    languages: list[str]
    generations: list[int]
    status: str  # new-version | unchanged | new-environment | deleted
    changed: list[str]  # what changed in its input: "event login", "field price", ...
    versions: dict[int, tuple[str | None, str]] = field(default_factory=dict)  # generation -> (base, head), with a lock


@dataclass(frozen=True)
class Report:
    base: str
    head: str | None  # None: the working tree
    base_exists: bool
    problems: list[Problem]
    new_events: list[EventReport]
    new_versions: list[VersionReport]
    deprecated: list[Note]
    new_fields: list[dict[str, str]]
    new_environments: list[dict[str, Any]]
    additions: list[Note]  # an event in a new environment, a new optional common field
    metadata: list[Note]
    waived: list[dict[str, str]]
    langpacks: list[Langpack]

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)


def build_report(history: History, lock: Lock | None = None) -> Report:
    pair = history.pair
    head = pair.head.reference
    base = pair.base
    problems = [
        _problem(d) for d in history.diagnostics if d.severity is not Severity.NOTE
    ]
    notes = [f for f in history.findings if f.diagnostic.severity is Severity.NOTE]
    empty = Reference(head.settings, {}, {}, {})
    released = base if base is not None else empty
    return Report(
        base=pair.base_label,
        head=pair.head_ref,
        base_exists=base is not None,
        problems=problems,
        new_events=[_event_report(e) for name, e in head.events.items() if name not in released.events],
        new_versions=[
            _version_report(event, version)
            for name, event in head.events.items()
            if name in released.events
            for version in event.versions
            if released.events[name].version(version.number) is None
        ],
        deprecated=[_note(f) for f in notes if f.code == "CG0351" and f.change is not None and f.change[0] is None]
        + [_new_deprecation(kind, name, d) for kind, name, d in _new_entities_deprecated(released, head)],
        new_fields=[
            {"name": name, "type": describe(f), "description": f.description, "location": str(f.span)}
            for name, f in head.fields.items()
            if name not in released.fields
        ],
        new_environments=[
            {
                "name": name,
                "source_id": e.source_id,
                "languages": list(e.langpacks),
                "common_fields": [f"{u.name} ({'required' if u.required else 'optional'})" for u in e.common_fields],
                "location": str(e.span),
            }
            for name, e in head.environments.items()
            if name not in released.environments
        ],
        additions=_additions(released, head),
        metadata=[_note(f) for f in notes if not (f.code == "CG0351" and f.change is not None and f.change[0] is None)],
        waived=[
            {"code": f.code, "name": CODES[f.code].name, "entity": f.entity, "message": f.diagnostic.message, "reason": w.reason, "waiver": str(w.span)}
            for f, w in history.waived
        ],
        langpacks=_langpacks(released, head, lock),
    )


def _problem(d: Diagnostic) -> Problem:
    return Problem(d.severity.value, d.code, CODES[d.code].name if d.code in CODES else d.code, str(d.span), d.message, d.hint)


def _note(f: Finding) -> Note:
    before, after = f.change if f.change is not None else (None, None)
    return Note(f.entity, f.diagnostic.message, str(f.diagnostic.span), before, after)


def _new_entities_deprecated(base: Reference, head: Reference) -> list[tuple[str, str, Deprecation]]:
    """New entities that are born deprecated are rare but worth a line; released ones come from the findings."""
    out: list[tuple[str, str, Deprecation]] = []
    for kind, released, current in (("event", base.events, head.events), ("field", base.fields, head.fields), ("environment", base.environments, head.environments)):
        for name, entity in current.items():
            if name not in released and entity.deprecated is not None:
                out.append((kind, name, entity.deprecated))
    return out


def _new_deprecation(kind: str, name: str, d: Deprecation) -> Note:
    replaced = f", replaced by `{d.replaced_by}`" if d.replaced_by else ""
    return Note(f"{kind}:{name}", f"new {kind} `{name}` is deprecated{replaced}", str(d.span), None, {"reason": d.reason, "replaced_by": d.replaced_by})


def _additions(base: Reference, head: Reference) -> list[Note]:
    out = []
    for name, event in head.events.items():
        old = base.events.get(name)
        if old is None:
            continue
        for env in event.environments:
            if env not in old.environments:
                out.append(Note(f"event:{name}", f"event `{name}` now also occurs in `{env}`", str(event.spans.get("environments", event.span)), None, env))
    for name, environment in head.environments.items():
        old_env = base.environments.get(name)
        if old_env is None:
            continue
        before = {u.name for u in old_env.common_fields}
        for use in environment.common_fields:
            if use.name not in before:
                out.append(Note(f"environment:{name}", f"`{name}` gets the optional common field `{use.name}`", str(use.span), None, use.name))
        for language in environment.langpacks:
            if language not in old_env.langpacks:
                out.append(Note(f"environment:{name}", f"`{name}` gets a {language} langpack", str(environment.spans.get("langpacks", environment.span)), None, language))
        for language in environment.langpacks:
            if language not in old_env.langpacks:
                continue
            for generation in environment.generations_for(language):
                if generation not in old_env.generations_for(language):
                    span = str(environment.spans.get("generations", environment.span))
                    out.append(Note(f"environment:{name}", f"`{name}` gets {language} langpack generation {generation}", span, None, generation))
    return out


# --- events and versions --------------------------------------------------------------


def _event_report(event: Event) -> EventReport:
    return EventReport(
        name=event.name,
        id=event.id,
        owner=event.owner,
        description=event.description,
        environments=list(event.environments),
        location=str(event.span),
        versions=[_version_report(event, v) for v in event.versions],
    )


def _version_report(event: Event, version: EventVersion) -> VersionReport:
    previous = max((v for v in event.versions if v.number < version.number), key=lambda v: v.number, default=None)
    before = {u.name: u for u in previous.fields} if previous is not None else {}
    rows = []
    for use in version.fields:
        old = before.get(use.name)
        if previous is None or old is None:
            status = "added" if previous is not None else "same"
        elif old.required != use.required:
            status = "now-required" if use.required else "now-optional"
        else:
            status = "same"
        rows.append(FieldRow(use.name, describe(use.field), use.required, status, use.field.description))
    after = {u.name for u in version.fields}
    for name, use in before.items():
        if name not in after:
            rows.append(FieldRow(name, describe(use.field), None, "removed", use.field.description))
    order = {"added": 0, "now-required": 1, "now-optional": 1, "removed": 2, "same": 3}
    rows.sort(key=lambda r: order[r.status])
    return VersionReport(event.name, version.number, version.description, str(version.span), previous.number if previous else None, rows)


def describe(f: Field) -> str:
    """A field's contract in a few words: `integer ≥ 1`, `array of string, ≤ 50 items`."""
    kind = f"array of {f.items_name}" if f.type is FieldType.ARRAY and f.items_name else f.type.value
    if f.type is FieldType.OBJECT:
        members = ", ".join(u.name + ("" if u.required else "?") for u in f.properties)
        kind = f"object {{{members}}}"
    parts = [kind]
    if f.enum is not None:
        shown = ", ".join(f.enum[:8]) + (", …" if len(f.enum) > 8 else "")
        parts.append(f"one of {shown}")
    parts += _bounds("", f.minimum, f.maximum)
    parts += _bounds("length ", f.min_length, f.max_length)
    if f.pattern is not None:
        parts.append(f"matching {f.pattern}")
    if f.format is not None:
        parts.append(f"format {f.format}")
    parts += _bounds("", f.min_items, f.max_items, " items")
    if f.key is not None:
        parts.append(f"key {f.key!r}")
    if f.deprecated is not None:
        parts.append("deprecated")
    return ", ".join(parts)


def _bounds(prefix: str, low: Any, high: Any, unit: str = "") -> list[str]:
    if low is not None and high is not None:
        return [f"{prefix}{low}…{high}{unit}"]
    if low is not None:
        return [f"{prefix}≥ {low}{unit}"]
    if high is not None:
        return [f"{prefix}≤ {high}{unit}"]
    return []


# --- langpacks ------------------------------------------------------------------------


def _langpacks(base: Reference, head: Reference, lock: Lock | None) -> list[Langpack]:
    out = []
    for name in sorted(set(base.environments) | set(head.environments)):
        old, new = base.environments.get(name), head.environments.get(name)
        env = new or old
        assert env is not None
        changed: list[str] = []
        if new is None:
            status = "deleted"
        elif old is None:
            status = "new-environment"
        elif environment_content_hash(base, name) == environment_content_hash(head, name):
            status = "unchanged"
        else:
            status, changed = "new-version", _what_changed(base, old, head, new)
        versions: dict[int, tuple[str | None, str]] = {}
        if lock is not None and new is not None:
            for generation in new.generations:
                before = langpack_version(base, name, generation, lock) if old is not None else None
                versions[generation] = (before, langpack_version(head, name, generation, lock))
        out.append(Langpack(name, list(env.langpacks), list(env.generations), status, changed, versions))
    return out


def _what_changed(base: Reference, old: Environment, head: Reference, new: Environment) -> list[str]:
    """Which parts of the langpack input differ: the environment, settings, fields, events."""
    a, b = environment_content(base, old), environment_content(head, new)
    changed = []
    if a["environment"] != b["environment"]:
        changed.append(f"environment `{new.name}`")
    if a.get("naming") != b.get("naming") or a.get("reference") != b.get("reference"):
        changed.append("package naming")
    for key, label in (("events", "event"), ("fields", "field")):
        before = {item["name"]: item for item in a[key]}
        after = {item["name"]: item for item in b[key]}
        for item_name in sorted(set(before) | set(after)):
            if before.get(item_name) != after.get(item_name):
                how = " (new)" if item_name not in before else " (removed)" if item_name not in after else ""
                changed.append(f"{label} `{item_name}`{how}")
    known = {"format", "reference", "naming", "environment", "fields", "events"}
    if any(a.get(k) != b.get(k) for k in set(a) | set(b) if k not in known):
        changed.append("other langpack input")
    return changed


# --- rendering ------------------------------------------------------------------------


def render_json(report: Report) -> str:
    data = asdict(report)
    data["summary"] = _summary_counts(report)
    for pack in data["langpacks"]:
        pack["versions"] = {str(g): {"base": b, "head": h} for g, (b, h) in pack["versions"].items()}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _summary_counts(report: Report) -> dict[str, int]:
    return {
        "errors": report.errors,
        "warnings": sum(p.severity == "warning" for p in report.problems),
        "new_events": len(report.new_events),
        "new_versions": len(report.new_versions),
        "deprecated": len(report.deprecated),
        "new_fields": len(report.new_fields),
        "new_environments": len(report.new_environments),
        "metadata_edits": len(report.metadata),
        "waived": len(report.waived),
        "new_langpack_versions": sum(p.status in ("new-version", "new-environment") for p in report.langpacks),
    }


def _cell(text: Any) -> str:
    """Text for a markdown table cell: one line, pipes escaped."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _code(text: Any) -> str:
    """Inline code that survives backticks in the text (and pipes, in a table)."""
    text = str(text).replace("|", "\\|").replace("\n", " ")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _quote(text: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in text.strip().splitlines()]


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


# GitHub rejects comments longer than 65,536 characters.
COMMENT_LIMIT = 60_000


def render_markdown(report: Report, max_chars: int = 0) -> str:
    """The report as a PR comment. With max_chars, the detail sections are cut so that the
    whole fits, always keeping the summary, the problems and the langpack table."""
    out: list[str] = [f"## clickgen diff: {_code(report.base)} → {'the working tree' if report.head is None else _code(report.head)}", ""]
    counts = _summary_counts(report)
    summary = []
    if counts["errors"]:
        summary.append(f"**{_plural(counts['errors'], 'error')}** (append-only violations and reference errors: fix or waive them)")
    else:
        summary.append("**no errors**")
    for key, word in (
        ("warnings", "warning"),
        ("new_events", "new event"),
        ("new_versions", "new version"),
        ("deprecated", "deprecation"),
        ("new_fields", "new field"),
        ("new_environments", "new environment"),
        ("metadata_edits", "metadata edit"),
        ("waived", "waived violation"),
    ):
        if counts[key]:
            summary.append(_plural(counts[key], word))
    packs = [p for p in report.langpacks if p.status != "deleted"]
    summary.append(f"{counts['new_langpack_versions']} of {_plural(len(packs), 'environment')} get new langpack versions")
    out += [" · ".join(summary), ""]
    if not report.base_exists:
        out += [f"There is no reference at {_code(report.base)}: all of it is new.", ""]

    if report.problems:
        out += ["### Problems", ""]
        for p in report.problems:
            out.append(f"- **{p.severity}** {_code(p.location)} {p.code} `{p.name}`: {p.message}")
            if p.hint:
                out.append(f"  <br>hint: {p.hint}")
        out.append("")

    head, out = out, []
    if report.new_events:
        out += ["### New events", ""]
        for event in report.new_events:
            out.append(f"#### {_code(event.name)} (id {event.id}) in {_code(event.location)}")
            out.append("")
            facts = [f"owner {_code(event.owner)}" if event.owner else "", "environments: " + ", ".join(_code(e) for e in event.environments)]
            out += [" · ".join(f for f in facts if f), ""]
            if event.description:
                out += _quote(event.description) + [""]
            for version in event.versions:
                out += _render_version(version, heading=False)
    if report.new_versions:
        out += ["### New versions", ""]
        for version in report.new_versions:
            out += _render_version(version, heading=True)
    if report.deprecated:
        out += ["### Deprecated", ""]
        for note in report.deprecated:
            reason = note.after.get("reason") if isinstance(note.after, dict) else None
            out.append(f"- {note.message} ({_code(note.location)})" + (f": {reason}" if reason else ""))
        out.append("")
    if report.new_fields:
        out += ["### New fields", "", "| field | type | description |", "|---|---|---|"]
        for f in report.new_fields:
            out.append(f"| {_code(f['name'])} | {_code(f['type'])} | {_cell(f['description'])} |")
        out.append("")
    if report.new_environments:
        out += ["### New environments", "", "| environment | source id | langpacks | common fields |", "|---|---|---|---|"]
        for e in report.new_environments:
            out.append(f"| {_code(e['name'])} | {e['source_id']} | {', '.join(e['languages']) or '—'} | {_cell(', '.join(e['common_fields']) or '—')} |")
        out.append("")
    if report.additions:
        out += ["### Added to existing entities", ""] + [f"- {n.message} ({_code(n.location)})" for n in report.additions] + [""]
    if report.metadata:
        out += ["### Metadata edits", ""]
        for note in report.metadata:
            line = f"- {note.message} ({_code(note.location)})"
            if isinstance(note.before, str) or isinstance(note.after, str):
                line += f": {_short(note.before)} → {_short(note.after)}"
            out.append(line)
        out.append("")
    details, out = out, []
    if report.waived:
        out += ["### Waived", ""]
        for w in report.waived:
            out.append(f"- {w['code']} `{w['name']}` for {_code(w['entity'])}: {w['message']}. Reason: {w['reason']} ({_code(w['waiver'])})")
        out.append("")

    out += ["### Langpacks", "", "| environment | langpacks | version | why |", "|---|---|---|---|"]
    for pack in report.langpacks:
        status = {
            "new-version": "**new version**",
            "unchanged": "unchanged",
            "new-environment": "**first version**",
            "deleted": "**deleted**",
        }[pack.status]
        if pack.versions and pack.status != "deleted":
            shown = []
            for g, (before, after) in sorted(pack.versions.items()):
                shown.append(after if before in (None, after) else f"{before} → {after}")
            status += " (" + ", ".join(shown) + ")"
        why = ", ".join(pack.changed[:6]) + (f", and {len(pack.changed) - 6} more" if len(pack.changed) > 6 else "")
        out.append(f"| {_code(pack.environment)} | {', '.join(pack.languages) or '—'} | {status} | {_cell(why) or ''} |")
    out.append("")
    return _fit(head, details, out, max_chars)


def _fit(head: list[str], details: list[str], tail: list[str], max_chars: int) -> str:
    text = "\n".join([*head, *details, *tail])
    if not max_chars or len(text) <= max_chars:
        return text
    kept: list[str] = []
    budget = max_chars - len("\n".join([*head, *tail])) - 300
    for line in details:
        budget -= len(line) + 1
        if budget < 0:
            break
        kept.append(line)
    note = (
        f"**… {len(details) - len(kept)} more lines of details are left out to fit a comment;** "
        "run `clickgen diff` locally, or use `--format json`, to see everything."
    )
    return "\n".join([*head, *kept, "", note, "", *tail])


def _short(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return _code(text if len(text) <= 80 else text[:77] + "…")


def _render_version(version: VersionReport, heading: bool) -> list[str]:
    title = f"{_code(version.event)} version {version.version}" if heading else f"Version {version.version}"
    out = [f"{'####' if heading else '#####'} {title} in {_code(version.location)}", ""]
    if version.description:
        out += _quote(version.description) + [""]
    if version.compared_with is not None:
        out += [f"Compared with version {version.compared_with}:", ""]
    out += ["| | field | type | required |", "|---|---|---|---|"]
    marks = {"added": "added", "removed": "removed", "now-required": "changed", "now-optional": "changed", "same": ""}
    for row in version.rows:
        if row.status == "removed":
            required = "—"
        elif row.status == "now-required":
            required = "optional → **required**"
        elif row.status == "now-optional":
            required = "required → **optional**"
        else:
            required = "required" if row.required else "optional"
        name = f"~~{_code(row.name)}~~" if row.status == "removed" else _code(row.name)
        out.append(f"| {marks[row.status]} | {name} | {_code(row.type)} | {required} |")
    out.append("")
    return out
