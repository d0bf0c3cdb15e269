"""Stage 4b, append-only rules: (IR at the base, IR at the head) -> findings.

What exists at the base revision is released: projects build against it and the
warehouse stores it. So nothing that exists there may be deleted or edited; a change
is a new version beside the old one (DESIGN 4). Only the base counts as released: a
version that is added and then edited within one branch is simply new.

Entities are matched by name, never by file, so moving a file is not a change.
Input: the two `ir.Reference`s, the base's label for messages, and `HeadState`: what
the head defines in parts that failed to load or resolve, so an entity is not
reported deleted while the real problem is a syntax error. Output: `Finding`s, each a
diagnostic (codes CG03xx in `diagnostics.CODES`; docs/rules.md shows each with an
example) plus the entity a waiver names: `field:<name>`, `environment:<name>`,
`event:<name>`, `event:<name>@<version>` or `settings`. Metadata edits are findings
with severity note: allowed, but reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from clickgen.diagnostics import Diagnostic, Severity, Span, diag
from clickgen.ir import Deprecation, Environment, Event, EventVersion, Field, FieldType, Reference
from clickgen.load import Kind, LoadedReference


@dataclass(frozen=True)
class Finding:
    diagnostic: Diagnostic
    entity: str
    # (before, after) for a changed value, for `clickgen diff`
    change: tuple[Any, Any] | None = None

    @property
    def code(self) -> str:
        return self.diagnostic.code


@dataclass(frozen=True)
class HeadState:
    """What the head's loaded documents name, including parts that did not resolve."""

    fields: frozenset[str] = frozenset()
    environments: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()
    broken_paths: frozenset[str] = frozenset()
    # (path, line) of head errors that make the head's text unusable there
    broken_lines: frozenset[tuple[str, int]] = frozenset()

    @staticmethod
    def of(loaded: LoadedReference, diagnostics: Iterable[Diagnostic]) -> HeadState:
        fields: set[str] = set()
        environments: set[str] = set()
        events: set[str] = set()
        for document in loaded.documents:
            if document.kind is Kind.FIELDS:
                fields.update(k for k in document.data if isinstance(k, str))
            elif document.kind is Kind.ENVIRONMENT and isinstance(document.data.get("name"), str):
                environments.add(document.data["name"])
            elif document.kind is Kind.EVENT and isinstance(document.data.get("event"), str):
                events.add(document.data["event"])
        broken_lines = {
            (d.span.path, d.span.line)
            for d in diagnostics
            if d.severity is Severity.ERROR and d.code[:4] in ("CG00", "CG01")
        }
        return HeadState(frozenset(fields), frozenset(environments), frozenset(events), frozenset(loaded.broken_paths), frozenset(broken_lines))


@dataclass
class _Context:
    base: Reference
    head: Reference
    at: str  # "at `origin/main`"
    state: HeadState
    findings: list[Finding] = field(default_factory=list)

    def add(self, code: str, entity: str, message: str, span: Span, hint: str, *related: Span, change: tuple[Any, Any] | None = None) -> None:
        self.findings.append(Finding(diag(code, message, span, hint, *related), entity, change))

    def unsure(self, kind: str, name: str, base_path: str = "") -> bool:
        """Whether a missing entity may only be missing because the head has errors."""
        present = {"field": self.state.fields, "environment": self.state.environments, "event": self.state.events}[kind]
        folder = {"field": "fields/", "environment": "environments/", "event": "events/"}[kind]
        return name in present or base_path in self.state.broken_paths or any(p.startswith(folder) for p in self.state.broken_paths)


def check_append_only(base: Reference, head: Reference, base_label: str, state: HeadState | None = None) -> list[Finding]:
    """Every append-only violation and metadata note between base and head."""
    context = _Context(base, head, f"at `{base_label}`", state or HeadState())
    for check in CHECKS:
        check(context)
    findings = [f for f in context.findings if (f.diagnostic.span.path, f.diagnostic.span.line) not in context.state.broken_lines]
    return sorted(findings, key=lambda f: (f.diagnostic.sort_key, f.entity))


def _deprecated_hint(kind: str, name: str) -> str:
    return f"restore {kind} `{name}`; to retire it, keep it and mark it `deprecated: {{reason: ..., replaced_by: ...}}`"


def _range(numbers: Iterable[int]) -> str:
    numbers = sorted(numbers)
    if not numbers:
        return "none"
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


# --- fields -------------------------------------------------------------------------

def _usage(reference: Reference) -> dict[str, int]:
    """Field name -> how many event versions use it (common fields count once per environment)."""
    count: dict[str, int] = defaultdict(int)
    for event in reference.events.values():
        for version in event.versions:
            for use in version.fields:
                count[use.name] += 1
    for environment in reference.environments.values():
        for use in environment.common_fields:
            count[use.name] += 1
    return count


def _used_by(name: str, usage: dict[str, int]) -> str:
    n = usage.get(name, 0)
    if not n:
        return ""
    return f" (used {n} time{'s' * (n != 1)} at the base)"


_CONTRACT_HINT = (
    "a released field's contract never changes: define a new field with the new contract, "
    "use it in a new version of the events (`clickgen new-version EVENT`), and deprecate `{name}`"
)

# constraint -> True when a larger value accepts more values (a maximum), False for a minimum
_LIMITS = {"minimum": False, "maximum": True, "min_length": False, "max_length": True, "min_items": False, "max_items": True}


def check_fields(c: _Context) -> None:
    usage = _usage(c.base)
    added = {name: f for name, f in c.head.fields.items() if name not in c.base.fields}
    for name, old in c.base.fields.items():
        new = c.head.fields.get(name)
        if new is None:
            if c.unsure("field", name, old.span.path):
                continue
            renamed = _field_rename(old, added)
            if renamed is not None:
                c.add(
                    "CG0312",
                    f"field:{name}",
                    f"field `{name}` is renamed to `{renamed.name}` (same contract): a rename deletes `{name}`{_used_by(name, usage)}",
                    renamed.span,
                    f"keep `{name}` (deprecate it with `replaced_by: {renamed.name}`) and use `{renamed.name}` only in new versions",
                    old.span,
                )
            else:
                c.add(
                    "CG0301",
                    f"field:{name}",
                    f"field `{name}` is deleted: it is defined here {c.at}{_used_by(name, usage)}",
                    old.span,
                    _deprecated_hint("field", name),
                )
            continue
        _compare_contract(c, old, new, usage)
        _compare_metadata(c, f"field:{name}", f"field `{name}`", old, new, ("description", "docs", "examples"))


def _field_rename(old: Field, added: dict[str, Field]) -> Field | None:
    candidates = [
        f
        for f in added.values()
        if f.contract() == old.contract() and (f.description == old.description and old.description or (f.span.path, f.span.line) == (old.span.path, old.span.line))
    ]
    return candidates[0] if len(candidates) == 1 else None


def _compare_contract(c: _Context, old: Field, new: Field, usage: dict[str, int]) -> None:
    name, entity = new.name, f"field:{new.name}"
    used = _used_by(name, usage)
    hint = _CONTRACT_HINT.format(name=name)

    def span(attribute: str) -> Span:
        return new.spans.get(attribute, new.span)

    if old.type is not new.type:
        c.add("CG0330", entity, f"type of field `{name}` changed from {old.type.value} to {new.type.value}{used}", span("type"), hint, change=(old.type.value, new.type.value))
    elif old.items_name != new.items_name:
        before = old.items_name or "unspecified"
        after = new.items_name or "unspecified"
        c.add("CG0331", entity, f"item type of array field `{name}` changed from {before} to {after}{used}", span("items"), hint, change=(before, after))
    elif old.type is FieldType.OBJECT:
        _compare_members(c, old, new, used, hint)
    if old.enum is not None and new.enum is not None:
        gained = [v for v in new.enum if v not in old.enum]
        lost = [v for v in old.enum if v not in new.enum]
        if gained:
            first = new.enum.index(gained[0])
            c.add(
                "CG0332",
                entity,
                f"enum of field `{name}` gains {', '.join(map(repr, gained))}{used}: consumers of released events do not expect {'them' if len(gained) > 1 else 'it'}",
                new.spans.get(f"enum.{first}", span("enum")),
                hint,
                change=(list(old.enum), list(new.enum)),
            )
        if lost:
            c.add(
                "CG0333",
                entity,
                f"enum of field `{name}` loses {', '.join(map(repr, lost))}{used}: released code sends {'them' if len(lost) > 1 else 'it'}",
                span("enum"),
                hint,
                change=(list(old.enum), list(new.enum)),
            )
    elif old.enum is None and new.enum is not None:
        c.add("CG0334", entity, f"field `{name}` gets an enum{used}: values that were valid become invalid", span("enum"), hint, change=(None, list(new.enum)))
    elif old.enum is not None and new.enum is None:
        c.add("CG0335", entity, f"field `{name}` loses its enum{used}: it accepts values consumers do not expect", new.span, hint, change=(list(old.enum), None))
    for constraint, upper in _LIMITS.items():
        before, after = getattr(old, constraint), getattr(new, constraint)
        if before == after:
            continue
        if before is None:
            code, how = "CG0334", f"gets {constraint} {after}"
        elif after is None:
            code, how = "CG0335", f"loses {constraint} {before}"
        else:
            wider = after > before if upper else after < before
            code, how = ("CG0335" if wider else "CG0334"), f"changes {constraint} from {before} to {after}"
        effect = "values that were valid become invalid" if code == "CG0334" else "it accepts values consumers of released events do not expect"
        c.add(code, entity, f"field `{name}` {how}{used}: {effect}", span(constraint) if after is not None else new.span, hint, change=(before, after))
    if old.pattern != new.pattern:
        if old.pattern is None:
            how = f"gets the pattern {_short(new.pattern)}"
        elif new.pattern is None:
            how = f"loses the pattern {_short(old.pattern)}"
        else:
            how = f"changes its pattern from {_short(old.pattern)} to {_short(new.pattern)}"
        c.add("CG0336", entity, f"field `{name}` {how}{used}", span("pattern") if new.pattern is not None else new.span, hint, change=(old.pattern, new.pattern))
    if old.wire_key != new.wire_key:
        c.add(
            "CG0337",
            entity,
            f"wire key of field `{name}` changed from `{old.wire_key}` to `{new.wire_key}`{used}: consumers read the released key",
            span("key"),
            hint,
            change=(old.wire_key, new.wire_key),
        )
    if old.format != new.format:
        if old.format is None:
            how = f"gets the format {new.format}"
        elif new.format is None:
            how = f"loses the format {old.format}"
        else:
            how = f"changes its format from {old.format} to {new.format}"
        c.add("CG0338", entity, f"field `{name}` {how}{used}", span("format") if new.format is not None else new.span, hint, change=(old.format, new.format))


def _compare_members(c: _Context, old: Field, new: Field, used: str, hint: str) -> None:
    """An object's members and their flags are its contract: none is added, removed or flipped."""
    name, entity = new.name, f"field:{new.name}"
    before = {use.name: use.required for use in old.properties}
    after = {use.name: use for use in new.properties}
    flags = {True: "required", False: "optional"}
    for member, use in after.items():
        if member not in before:
            effect = "values that were valid become invalid" if use.required else "released code cannot set it, and consumers do not expect it"
            c.add(
                "CG0325",
                entity,
                f"object `{name}` gains the {flags[use.required]} member `{member}`{used}: {effect}",
                use.span,
                hint,
                change=(None, flags[use.required]),
            )
        elif before[member] != use.required:
            c.add(
                "CG0327",
                entity,
                f"member `{member}` of object `{name}` changes from {flags[before[member]]} to {flags[use.required]}{used}",
                use.span,
                hint,
                change=(flags[before[member]], flags[use.required]),
            )
    for member, required in before.items():
        if member not in after:
            c.add(
                "CG0326",
                entity,
                f"object `{name}` loses its {flags[required]} member `{member}`{used}: released code sends it",
                new.spans.get("properties", new.span),
                hint,
                change=(flags[required], None),
            )


def _compare_metadata(c: _Context, entity: str, label: str, old: Any, new: Any, attributes: tuple[str, ...]) -> None:
    spans = getattr(new, "spans", {})
    for attribute in attributes:
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            if isinstance(before, tuple):
                before, after = list(before), list(after)
            word = attribute if attribute != "docs" else "docs links"
            c.add(
                "CG0350",
                entity,
                f"{word} of {label} changed",
                spans.get(attribute, new.span),
                "metadata may change; reviewers see it in `clickgen diff`",
                change=(before, after),
            )
    _compare_deprecation(c, entity, label, old.deprecated, new.deprecated, new.span)


def _deprecation_value(d: Deprecation | None) -> dict[str, Any] | None:
    return None if d is None else {"reason": d.reason, "replaced_by": d.replaced_by}


def _compare_deprecation(c: _Context, entity: str, label: str, old: Deprecation | None, new: Deprecation | None, fallback: Span) -> None:
    before, after = _deprecation_value(old), _deprecation_value(new)
    if before == after:
        return
    if before is None:
        assert new is not None
        replaced = f", replaced by `{new.replaced_by}`" if new.replaced_by else ""
        message, span = f"{label} is deprecated{replaced}", new.span
    elif after is None:
        message, span = f"{label} is no longer deprecated", fallback
    else:
        assert new is not None
        message, span = f"deprecation of {label} changed", new.span
    c.add("CG0351", entity, message, span, "deprecation is allowed; the langpacks mark it in each language", change=(before, after))


# --- environments -------------------------------------------------------------------

def check_environments(c: _Context) -> None:
    by_source = {e.source_id: e for e in c.base.environments.values()}
    for name, old in c.base.environments.items():
        new = c.head.environments.get(name)
        entity = f"environment:{name}"
        if new is None:
            if c.unsure("environment", name, old.path):
                continue
            heir = next((e for e in c.head.environments.values() if e.source_id == old.source_id and e.name not in c.base.environments), None)
            if heir is not None:
                c.add(
                    "CG0311",
                    entity,
                    f"environment `{name}` is renamed to `{heir.name}` (same source id {old.source_id}): a rename deletes `{name}` and its langpacks",
                    heir.span,
                    f"keep `{name}` (deprecate it with `replaced_by: {heir.name}`) and give `{heir.name}` a new source id",
                    old.span,
                )
            else:
                c.add("CG0302", entity, f"environment `{name}` is deleted: it is defined here {c.at}", old.span, _deprecated_hint("environment", name))
            continue
        if new.source_id != old.source_id:
            c.add(
                "CG0317",
                entity,
                f"source id of `{name}` changed from {old.source_id} to {new.source_id}",
                new.spans.get("source_id", new.span),
                f"restore source id {old.source_id}: released langpacks send it and the warehouse keys on it",
                change=(old.source_id, new.source_id),
            )
        _compare_common_fields(c, old, new)
        _compare_langpacks(c, old, new)
        _compare_metadata(c, entity, f"environment `{name}`", old, new, ("description", "owner", "collector", "docs"))
    for new in c.head.environments.values():
        owner = by_source.get(new.source_id)
        if owner is None or owner.name == new.name:
            continue
        if owner.name not in c.head.environments:
            continue  # a rename, reported above
        if c.head.environments[owner.name].source_id == new.source_id:
            continue  # a duplicate source id in the head: CG0205
        c.add(
            "CG0318",
            f"environment:{new.name}",
            f"source id {new.source_id} of `{new.name}` belongs to environment `{owner.name}` {c.at}",
            new.spans.get("source_id", new.span),
            f"source ids are never reused: choose an unused one, e.g. {_next_id(s.source_id for s in (*c.base.environments.values(), *c.head.environments.values()))}",
            owner.spans.get("source_id", owner.span),
        )


def _next_id(ids: Iterable[int]) -> int:
    return max(ids, default=0) + 1


def _compare_common_fields(c: _Context, old: Environment, new: Environment) -> None:
    name, entity = new.name, f"environment:{new.name}"
    before = {u.name: u for u in old.common_fields}
    after = {u.name: u for u in new.common_fields}
    for field_name, use in before.items():
        current = after.get(field_name)
        if current is None:
            if field_name not in c.head.fields and c.unsure("field", field_name):
                continue  # the field's definition is broken in the head
            c.add(
                "CG0340",
                entity,
                f"common field `{field_name}` of `{name}` is removed (listed at {use.span} {c.at})",
                new.spans.get("common_fields", new.span),
                f"keep `{field_name}` in common_fields: released langpacks of `{name}` send it with every event",
            )
        elif current.required != use.required:
            c.add(
                "CG0341",
                entity,
                f"common field `{field_name}` of `{name}` changed from {_req(use.required)} to {_req(current.required)}",
                current.span,
                "restore the requirement; the common fields of a released environment never change",
                change=(_req(use.required), _req(current.required)),
            )
    for field_name, use in after.items():
        if field_name not in before and use.required:
            c.add(
                "CG0342",
                entity,
                f"`{name}` gets the required common field `{field_name}`: projects on released langpacks do not set it",
                use.span,
                f"add `{field_name}` as optional: only optional common fields may be added",
            )


def _req(required: bool) -> str:
    return "required" if required else "optional"


def _compare_langpacks(c: _Context, old: Environment, new: Environment) -> None:
    entity = f"environment:{new.name}"
    dropped = [lang for lang in old.langpacks if lang not in new.langpacks]
    if dropped:
        c.add(
            "CG0306",
            entity,
            f"`{new.name}` no longer builds the {', '.join(dropped)} langpack{'s' * (len(dropped) > 1)}",
            new.spans.get("langpacks", new.span),
            "keep building it: projects that use it would stop getting new events; deprecate the environment instead",
            change=(list(old.langpacks), list(new.langpacks)),
        )
    for language in old.langpacks:
        if language in dropped:
            continue
        before, after = old.generations_for(language), new.generations_for(language)
        gone = [g for g in before if g not in after]
        if gone:
            c.add(
                "CG0306",
                entity,
                f"`{new.name}` no longer builds {language} langpack generation{'s' * (len(gone) > 1)} {', '.join(map(str, gone))}",
                new.spans.get("generations", new.span),
                "generations live side by side: add a new one, keep the old ones",
                change=(list(before), list(after)),
            )


# --- events -------------------------------------------------------------------------

def check_events(c: _Context) -> None:
    by_id = {e.id: e for e in c.base.events.values()}
    renamed_to: dict[str, str] = {}
    for name, old in c.base.events.items():
        new = c.head.events.get(name)
        entity = f"event:{name}"
        if new is None:
            if c.unsure("event", name, old.path):
                continue
            heir = next((e for e in c.head.events.values() if e.id == old.id and e.name not in c.base.events), None)
            if heir is not None:
                renamed_to[name] = heir.name
                c.add(
                    "CG0310",
                    entity,
                    f"event `{name}` is renamed to `{heir.name}` (same id {old.id}): a rename deletes `{name}`, which released code sends",
                    heir.span,
                    f"keep `{name}` (deprecate it with `replaced_by: {heir.name}`) and give `{heir.name}` a new id, "
                    f"e.g. {_next_id(e.id for e in (*c.base.events.values(), *c.head.events.values()))}",
                    old.span,
                )
            else:
                c.add("CG0303", entity, f"event `{name}` is deleted: it is defined here {c.at}", old.span, _deprecated_hint("event", name))
            continue
        if new.id != old.id:
            c.add(
                "CG0315",
                entity,
                f"id of event `{name}` changed from {old.id} to {new.id}",
                new.spans.get("id", new.span),
                f"restore id {old.id}: released langpacks send it and the warehouse keys on it",
                change=(old.id, new.id),
            )
        for env_name in old.environments:
            if env_name not in new.environments:
                c.add(
                    "CG0305",
                    entity,
                    f"event `{name}` no longer lists environment `{env_name}` (listed {c.at})",
                    new.spans.get("environments", new.span),
                    f"keep `{env_name}`: the released langpacks of `{env_name}` send `{name}`; deprecate the event instead",
                )
        _compare_versions(c, old, new)
        _compare_metadata(c, entity, f"event `{name}`", old, new, ("owner", "description", "docs"))
    for new in c.head.events.values():
        owner = by_id.get(new.id)
        if owner is None or owner.name == new.name or renamed_to.get(owner.name) == new.name:
            continue
        if owner.name in c.head.events and c.head.events[owner.name].id == new.id:
            continue  # a duplicate id in the head: CG0203
        if owner.name not in c.head.events and new.name not in c.base.events and c.unsure("event", owner.name, owner.path):
            continue
        c.add(
            "CG0316",
            f"event:{new.name}",
            f"id {new.id} of event `{new.name}` belongs to event `{owner.name}` {c.at}",
            new.spans.get("id", new.span),
            f"ids are never reused: choose an unused id, e.g. {_next_id(e.id for e in (*c.base.events.values(), *c.head.events.values()))}",
            owner.spans.get("id", owner.span),
        )


def _compare_versions(c: _Context, old: Event, new: Event) -> None:
    name = new.name
    released = {v.number: v for v in old.versions}
    current = {v.number: v for v in new.versions}
    for number, version in released.items():
        entity = f"event:{name}@{number}"
        head_version = current.get(number)
        if head_version is None:
            c.add(
                "CG0304",
                entity,
                f"version {number} of event `{name}` is deleted: it is defined here {c.at}",
                version.span,
                f"restore version {number}; to retire it, keep it and add `deprecated: {{reason: ...}}` to it",
            )
            continue
        _compare_version_fields(c, name, version, head_version, is_latest=number == max(released))
        _compare_metadata(c, entity, f"version {number} of `{name}`", version, head_version, ("description",))
    top = max(released, default=0)
    for k, number in enumerate(sorted(n for n in current if n not in released), start=1):
        if number != top + k:
            c.add(
                "CG0323",
                f"event:{name}@{number}",
                f"version {number} of event `{name}` is new, but the next version is {top + k} (released {c.at}: {_range(released)})",
                current[number].span,
                f"number it {top + k}: new versions are numbered max+1 (`clickgen new-version {name}` does it)",
            )


def _compare_version_fields(c: _Context, name: str, old: EventVersion, new: EventVersion, is_latest: bool) -> None:
    entity = f"event:{name}@{new.number}"
    label = f"released version {new.number} of `{name}`"
    hint = f"leave released version {new.number} as it is and make the change in a new version: `clickgen new-version {name}`"
    if is_latest:
        hint += f"; if version {new.number} is yours and someone else released a version {new.number} meanwhile, renumber yours"
    before = {u.name: u for u in old.fields}
    after = {u.name: u for u in new.fields}
    for field_name, use in after.items():
        previous = before.get(field_name)
        if previous is None:
            c.add("CG0320", entity, f"field `{field_name}` is added to {label}", use.span, hint)
        elif previous.required != use.required:
            c.add(
                "CG0322",
                entity,
                f"field `{field_name}` of {label} changed from {_req(previous.required)} to {_req(use.required)}",
                use.span,
                hint,
                change=(_req(previous.required), _req(use.required)),
            )
    for field_name, use in before.items():
        if field_name not in after:
            if field_name not in c.head.fields and c.unsure("field", field_name):
                continue  # the field's definition is broken in the head
            c.add("CG0321", entity, f"field `{field_name}` is removed from {label} (listed at {use.span} {c.at})", new.span, hint)


# --- settings -----------------------------------------------------------------------

_NAMING = (
    ("python_package_prefix", "python.package_prefix"),
    ("python_distribution_prefix", "python.distribution_prefix"),
    ("go_module_prefix", "go.module_prefix"),
    ("php_vendor", "php.vendor"),
    ("php_namespace_prefix", "php.namespace_prefix"),
)


def check_settings(c: _Context) -> None:
    old, new = c.base.settings, c.head.settings
    for attribute, key in _NAMING:
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            c.add(
                "CG0345",
                "settings",
                f"{key} changed from {before!r} to {after!r} (directly or through `name`): every langpack gets a new package name",
                new.span,
                "keep the package naming; projects depend on the released package names",
                change=(before, after),
            )


CHECKS: tuple[Callable[[_Context], None], ...] = (check_fields, check_environments, check_events, check_settings)

__all__ = ["CHECKS", "Finding", "HeadState", "check_append_only"]
