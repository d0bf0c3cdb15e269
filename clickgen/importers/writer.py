"""ImportPlan -> the files of a reference folder, and the import report.

Input: an `ImportPlan` (any source format) and the user's choices (environments,
reference name, owner). Output: `ImportedReference`, every file's bytes by relative
path (clickgen.yaml, environments/, fields/, events/, IMPORT_REPORT.md) and the report
as data. Nothing touches the disk here; the CLI writes the files.

Decided here, the same for every source format:
- one dictionary field per (wire key, contract) in the whole source, objects' members
  and arrays' item objects included (an object's contract is its members' keys,
  contracts and flags; an item object has no key: one field per contract); names come
  from the key in snake_case (an item object's from its $ref'd definition, else the
  array's name in the singular); when a name is taken (another contract under the
  same key, or another key with the same snake_case), the next candidate is
  `<array>_item` for an item object, `<object>_<name>` for a member of an object, else
  `<event>_<name>` (the first event using it; `<name>_v<N>` when that event already
  has a field of the name, from another version), then `<name>_2`, `_3`...; the plain
  name goes to a field with a key before an item object, then to the contract the most
  event versions use, then to the key already spelled like it;
- ids: the ids the source states when they are valid and unique, then 1, 2, 3... in
  the order of the events' names (the same input gives the same ids), likewise for
  environments' source ids;
- files: events/<folder>/<event>.yaml; fields used by one event only in
  fields/<event>.yaml, shared ones in fields/_shared.yaml;
- output is deterministic: sorted, no dates, no absolute paths.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import yaml

from clickgen.importers.model import KINDS, EnvironmentSpec, EventSpec, FieldSpec, FieldUseSpec, ImportPlan, Loss, Severity, clean_data, clean_text
from clickgen.importers.names import MAX_NAME, Registry, snake

MAX_ID = 2_147_483_647
DEFAULT_ENVIRONMENT = "default"
REPORT_FILE = "IMPORT_REPORT.md"
LANGPACKS = ["python", "go", "php"]


@dataclass
class ImportedReference:
    files: dict[str, bytes]
    report: dict[str, Any]

    @property
    def lost(self) -> int:
        return int(self.report["counts"][Severity.LOST.value])


@dataclass
class _Field:
    spec: FieldSpec
    name: str = ""
    users: list[str] = field(default_factory=list)  # event names (or environment:<name>), in first-use order
    uses: int = 0  # event versions (and environments) using it
    first_version: int = 1  # the first version of users[0] that uses it
    parent: str = ""  # the name text of the object (or array) holding it at its first use
    descriptions: Counter[str] = field(default_factory=Counter)


try:  # libyaml's emitter is several times faster; PyYAML's writes the same text
    _BaseDumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseDumper = yaml.SafeDumper


class _YamlDumper(_BaseDumper):  # type: ignore[valid-type,misc]
    pass


_RISKY = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # double quotes (with escapes) for anything a reader could fold, strip or misread;
    # a literal block for plain multi-line text (PyYAML falls back to quotes if unfit)
    value = clean_text(value)  # keys and enum values never hold lone surrogates; free text may
    style = '"' if _RISKY.search(value) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flat = all(not isinstance(v, (list, dict)) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


_YamlDumper.add_representer(str, _represent_str)
_YamlDumper.add_representer(list, _represent_list)


def _yaml(data: Any, header: str = "") -> bytes:
    text = yaml.dump(data, Dumper=_YamlDumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return ((f"# {header}\n" if header else "") + text).encode("utf-8")


@dataclass
class _Environments:
    specs: dict[str, EnvironmentSpec | None]  # name -> what the source says (None: from --env)
    source_ids: dict[str, int]
    common: dict[str, list[FieldUseSpec]]
    from_source: bool  # the source says which environments each event occurs in


def _environments(plan: ImportPlan, names: tuple[str, ...]) -> _Environments:
    """The user's environments, else the source's, else one called `default`."""
    if names:
        ordered = sorted(set(names))
        return _Environments(dict.fromkeys(ordered), {n: i for i, n in enumerate(ordered, start=1)}, {}, False)
    if plan.environments:
        specs: dict[str, EnvironmentSpec | None] = {e.name: e for e in sorted(plan.environments, key=lambda e: e.name)}
        ids = _ids({e.name: e.source_id_hint for e in plan.environments})
        return _Environments(specs, ids, {e.name: e.common_fields for e in plan.environments}, True)
    return _Environments({DEFAULT_ENVIRONMENT: None}, {DEFAULT_ENVIRONMENT: 1}, {}, False)


def _name_events(plan: ImportPlan, registry: Registry) -> tuple[list[EventSpec], dict[int, str]]:
    """Events in the order of their names, and each one's name (by id() of its spec)."""
    ordered = sorted(plan.events, key=lambda e: (snake(e.name_hint, "event"), e.source_name))
    names: dict[int, str] = {}
    for event in ordered:
        alternative = snake(event.alternative_hint, "event") if event.alternative_hint else None
        names[id(event)] = registry.event_name(snake(event.name_hint, "event"), max(1, len(event.versions)), alternative)
    ordered.sort(key=lambda e: names[id(e)])
    return ordered, names


def _collect_fields(events: list[EventSpec], names: dict[int, str], environments: _Environments) -> dict[tuple[str, str], _Field]:
    """One entry per (wire key, contract), with who uses it and how often."""
    fields: dict[tuple[str, str], _Field] = {}

    def note(use: FieldUseSpec, user: str, version: int = 1) -> None:
        note_field(use.field, user, version, "")

    def note_field(spec: FieldSpec, user: str, version: int, parent: str) -> None:
        entry = fields.setdefault(spec.identity, _Field(spec, first_version=version, parent=parent))
        entry.uses += 1
        if user not in entry.users:
            entry.users.append(user)
        if spec.description:
            entry.descriptions[spec.description] += 1
        if not entry.spec.examples and spec.examples:
            entry.spec = dataclasses.replace(entry.spec, examples=spec.examples)
        for member in spec.members:  # an object's members are dictionary fields too
            note_field(member.field, user, version, spec.name_text)
        if spec.item_object is not None:
            note_field(spec.item_object, user, version, spec.name_text)

    for env_name in environments.specs:
        for use in environments.common.get(env_name, []):
            note(use, f"environment:{env_name}")
    for event in events:
        for number, version in enumerate(event.versions, start=1):
            for use in version.fields:
                note(use, names[id(event)], number)
    return fields


def _name_fields(fields: dict[tuple[str, str], _Field], registry: Registry) -> None:
    def precedence(f: _Field) -> tuple[Any, ...]:
        base = snake(f.spec.name_text, "field")
        # a field on the wire before an item object (whose name is only a hint)
        return base, not f.spec.key, -f.uses, f.spec.name_text != base, f.spec.key, f.spec.name_text, f.spec.contract_text

    holders: dict[str, _Field] = {}
    alternative: str | None
    for entry in sorted(fields.values(), key=precedence):
        base = snake(entry.spec.name_text, "field")
        owner = entry.users[0].split(":", 1)[-1].replace("-", "_")
        holder = holders.get(base)
        if not entry.spec.key:  # an item object: named after its array next (`lines` -> `lines_item`)
            alternative = f"{snake(entry.parent, 'field')[: MAX_NAME - 5].rstrip('_')}_item"
        elif entry.parent:  # a member: named after its object next (`store.id` -> `store_id`)
            alternative = f"{snake(entry.parent, 'field')}_{base}"[:MAX_NAME].rstrip("_")
        elif holder is not None and owner in holder.users and holder.spec.key == entry.spec.key:
            alternative = f"{base[: MAX_NAME - 8]}_v{entry.first_version}"  # another version of the same event
        else:
            alternative = f"{owner}_{base}"[:MAX_NAME].rstrip("_") if owner != base else None
        is_object = entry.spec.contract_dict()["type"] == "object"
        entry.name = registry.field_name(base, alternative, entry.spec.contract_dict().get("enum"), is_object)
        holders.setdefault(entry.name, entry)


def _field_set(uses: list[FieldUseSpec], fields: dict[tuple[str, str], _Field]) -> dict[str, str]:
    named = sorted((fields[u.field.identity].name, u.required) for u in uses)
    return {name: "required" if required else "optional" for name, required in named}


def build_reference(
    plan: ImportPlan,
    environments: tuple[str, ...] = (),
    reference_name: str | None = None,
    command: str = "",
) -> ImportedReference:
    registry = Registry()
    header = f"Imported by `{command}` from {plan.source_label}; see {REPORT_FILE}."
    envs = _environments(plan, environments)
    ordered, names = _name_events(plan, registry)
    event_ids = _ids({names[id(e)]: e.id_hint for e in ordered})
    fields = _collect_fields(ordered, names, envs)
    _name_fields(fields, registry)

    files: dict[str, bytes] = {}
    settings = {"name": _reference_name(reference_name or plan.name_hint), "description": f"Imported from {plan.source_label} by clickgen import; see {REPORT_FILE}."}
    files["clickgen.yaml"] = _yaml(settings, header)
    for env_name in envs.specs:
        document: dict[str, Any] = {"name": env_name, "source_id": envs.source_ids[env_name], "description": f"Imported from {plan.source_label}."}
        if envs.common.get(env_name):
            document["common_fields"] = _field_set(envs.common[env_name], fields)
        document["langpacks"] = list(LANGPACKS)
        files[f"environments/{env_name}.yaml"] = _yaml(document, header)

    by_file: dict[str, dict[str, Any]] = {}
    for entry in sorted(fields.values(), key=lambda f: f.name):
        only_user = entry.users[0] if len(entry.users) == 1 and not entry.users[0].startswith("environment:") else None
        by_file.setdefault(f"fields/{only_user}.yaml" if only_user else "fields/_shared.yaml", {})[entry.name] = _field_document(entry, fields)
    for path, document in sorted(by_file.items()):
        files[path] = _yaml(document, header)

    event_files: dict[str, str] = {}
    for event in ordered:
        name = names[id(event)]
        folder = event.folder.strip("/")
        path = event_files[name] = f"events/{folder + '/' if folder else ''}{name}.yaml"
        occurs = sorted(set(event.environments) & set(envs.specs)) if envs.from_source else []
        document = {"event": name, "id": event_ids[name], "owner": plan.owner}
        if event.description:
            document["description"] = event.description
        document["environments"] = occurs or list(envs.specs)
        versions: dict[int, Any] = {}
        for number, version in enumerate(event.versions, start=1):
            versions[number] = {"description": version.description} if version.description else {}
            versions[number]["fields"] = _field_set(version.fields, fields)
        document["versions"] = versions or {1: {"fields": {}}}
        files[path] = _yaml(document, header)

    report = clean_data(_report(plan, ordered, names, event_files, fields, list(envs.specs), command))
    files[REPORT_FILE] = render_markdown(report).encode("utf-8")
    return ImportedReference(files, report)


def _ids(hints: dict[str, int | None]) -> dict[str, int]:
    """Stated ids where valid and unique, then the smallest free ids in name order."""
    taken: dict[int, str] = {}
    for name in sorted(hints):
        hint = hints[name]
        if hint is not None and 1 <= hint <= MAX_ID and hint not in taken:
            taken[hint] = name
    out = {name: number for number, name in taken.items()}
    next_id = 1
    for name in sorted(hints):
        if name in out:
            continue
        while next_id in taken:
            next_id += 1
        out[name] = next_id
        taken[next_id] = name
    return out


def _reference_name(hint: str) -> str:
    name = snake(hint, "imported").replace("_", "-")
    return name if name[:1].isalpha() else "imported"


def _field_document(entry: _Field, fields: dict[tuple[str, str], _Field]) -> dict[str, Any]:
    spec = entry.spec
    contract = spec.contract_dict()
    out: dict[str, Any] = {"type": contract.pop("type")}
    if "items" in contract:
        out["items"] = contract.pop("items")
    elif spec.item_object is not None:
        out["items"] = fields[spec.item_object.identity].name
    if spec.key and spec.key != entry.name:  # an item object has no key of its own
        out["key"] = spec.key
    if spec.members:
        out["properties"] = _field_set(list(spec.members), fields)
    if "format" in contract:
        out["format"] = contract.pop("format")
    for name, value in contract.items():
        out[name] = list(value) if isinstance(value, tuple) else value
    if entry.descriptions:
        # the most common description of the property wins (ties: the first met)
        out["description"] = max(entry.descriptions.items(), key=lambda kv: kv[1])[0]
    if entry.spec.examples:
        out["examples"] = list(entry.spec.examples)
    return out


# --- the report -------------------------------------------------------------------


def _entry(loss: Loss, event_name: str | None, version_numbers: dict[str, int]) -> dict[str, Any]:
    return {
        "event": event_name,
        "source_event": loss.event or None,
        "version": version_numbers.get(loss.version) if loss.version else None,
        "source_version": loss.version or None,
        "path": loss.path or None,
        "kind": loss.kind,
        "severity": loss.severity.value,
        "message": loss.message,
    }


def _report(
    plan: ImportPlan,
    ordered: list[EventSpec],
    names: dict[int, str],
    event_files: dict[str, str],
    fields: dict[tuple[str, str], _Field],
    environments: list[str],
    command: str,
) -> dict[str, Any]:
    entries = [_entry(loss, None, {}) for loss in plan.losses]
    events = []
    for event in ordered:
        name = names[id(event)]
        numbers = {v.label: i for i, v in enumerate(event.versions, start=1)}
        mine = [_entry(loss, name, numbers) for loss in event.losses]
        entries.extend(mine)
        events.append({"event": name, "source_event": event.source_name, "file": event_files[name], "versions": len(event.versions), "entries": mine})
    kinds = Counter(e["kind"] for e in entries)
    counts = {s.value: sum(1 for e in entries if e["severity"] == s.value) for s in Severity}
    return {
        "command": command,
        "source": {"format": plan.source_format, "label": plan.source_label},
        "events": len(ordered),
        "versions": sum(len(e.versions) for e in ordered),
        "fields": len(fields),
        "environments": sorted(environments),
        "counts": counts,
        "kinds": {kind: {"severity": KINDS[kind][0].value, "count": kinds[kind], "meaning": KINDS[kind][1]} for kind in sorted(kinds)},
        "source_entries": [e for e in entries if e["event"] is None],
        "by_event": events,
    }


def _where(entry: dict[str, Any]) -> str:
    parts = []
    if entry["version"] is not None:
        label = entry["source_version"]
        parts.append(f"v{entry['version']}" + (f" ({label})" if label and label != str(entry["version"]) else ""))
    if entry["path"]:
        parts.append(f"`{_md(entry['path'])}`")
    return " ".join(parts)


def _md(text: str) -> str:
    """Source text inside markdown code or prose: one line, no backticks or pipes breaking it."""
    return " ".join(text.split()).replace("`", "'").replace("|", "\\|")


def render_markdown(report: dict[str, Any]) -> str:
    counts = report["counts"]
    lines = [
        "# Import report",
        "",
        f"`{report['command']}` read `{_md(report['source']['label'])}` ({report['source']['format']}) and wrote "
        f"{report['events']} events ({report['versions']} versions), {report['fields']} fields and "
        f"{len(report['environments'])} environment{'s' if len(report['environments']) != 1 else ''} ({', '.join(report['environments'])}).",
        "",
        f"- **lost**: {counts['lost']} (what the source says and the reference cannot: review each one)",
        f"- **approximated**: {counts['approximated']} (kept with a documented difference)",
        f"- **converted**: {counts['converted']} (rewritten in clickgen's terms, same meaning)",
        "",
    ]
    if report["kinds"]:
        lines += ["## Counts by kind", "", "| kind | severity | count | meaning |", "|---|---|---|---|"]
        for kind, info in report["kinds"].items():
            lines.append(f"| `{kind}` | {info['severity']} | {info['count']} | {info['meaning']} |")
        lines.append("")
    if report["source_entries"]:
        lines += ["## The source as a whole", ""]
        lines += [f"- {e['severity']} `{e['kind']}`: {_md(e['message'])}" for e in report["source_entries"]]
        lines.append("")
    with_entries = [e for e in report["by_event"] if e["entries"]]
    clean = [e for e in report["by_event"] if not e["entries"]]
    if with_entries:
        lines += ["## Events", ""]
        for event in with_entries:
            tally = Counter(e["severity"] for e in event["entries"])
            summary = ", ".join(f"{tally[s.value]} {s.value}" for s in Severity if tally[s.value])
            by_kind = ", ".join(f"`{kind}` {count}" for kind, count in sorted(Counter(e["kind"] for e in event["entries"]).items()))
            lines += [f"### `{event['event']}`", "", f"From `{_md(event['source_event'])}`, in `{event['file']}`: {summary} ({by_kind}).", ""]
            for e in event["entries"]:
                where = _where(e)
                lines.append(f"- {e['severity']} `{e['kind']}`{' ' + where if where else ''}: {_md(e['message'])}")
            lines.append("")
    if clean:
        lines += ["## Imported as they are", ""]
        lines += [f"- `{e['event']}` (from `{_md(e['source_event'])}`)" for e in clean]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_json(report: dict[str, Any], out: str) -> str:
    return json.dumps({"out": out, **report}, indent=2, ensure_ascii=False) + "\n"
