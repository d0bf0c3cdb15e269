"""`clickgen docs`: IR (+ clickgen.lock) -> a static HTML catalog of the reference.

Input: a valid `Reference` and the lock (for the current langpack versions). Output:
`OutputFile`s, written by `emit.write_tree`: `index.html` (search, counts, environments,
events by folder and owner, fields, deprecations), `events/<event>.html`,
`fields/<field>.html`, `environments/<environment>.html` and `style.css`.

The pages are built for analysts who open them from a file share or a CI artifact:
no network, no CDN; the search is a few lines of inline JavaScript filtering the
index's tables (also reachable as `index.html?q=words` from the box on every page).
All context is built here as small frozen views; the templates in templates/docs/ only
loop and interpolate, with autoescape on, because every text of the reference
(descriptions, owners, enum values, links) is untrusted. Only http(s) and mailto
documentation links become hyperlinks; anything else (`javascript:`, a Windows path)
is shown as text. Output is deterministic: sorted, and without timestamps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from clickgen import resources
from clickgen.ir import ENVELOPE_KEYS, LANGUAGES, Deprecation, Environment, Event, EventVersion, Field, FieldType, FieldUse, Reference
from clickgen.targets.base import OutputFile
from clickgen.targets.go import naming as go_naming
from clickgen.targets.php import naming as php_naming
from clickgen.targets.python import naming as python_naming
from clickgen.vectors import build_vectors
from clickgen.versioning import Lock, resolve_version

# Marks a folder as written by `clickgen docs`, so that it may be replaced.
GENERATOR = "clickgen docs"
LANGUAGE_LABELS = {"python": "Python", "go": "Go", "php": "PHP"}
_LINK_SCHEMES = ("https://", "http://", "mailto:")


# --- views handed to the templates ------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    href: str  # relative to the catalog's root; templates prefix the page's `root`


@dataclass(frozen=True)
class DocLink:
    text: str
    url: str | None  # None: not a web address, shown as text only


@dataclass(frozen=True)
class Constraint:
    """One rule in plain words, with the literal values it names (shown as code)."""

    words: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeprecationView:
    reason: str
    replaced_by: Link | None
    replaced_by_text: str  # when the replacement is not a page of the catalog


@dataclass(frozen=True)
class FieldRow:
    link: Link
    type: str
    constraints: tuple[Constraint, ...]
    required: bool
    description: str
    deprecated: DeprecationView | None


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | now required | now optional
    field: Link
    detail: str


@dataclass(frozen=True)
class GeneratedName:
    language: str
    what: str
    name: str


@dataclass(frozen=True)
class Package:
    language: str
    generation: int
    version: str
    released: bool
    names: tuple[tuple[str, str], ...]  # (what, name), e.g. ("distribution", "mkt-clickstream-ios-app")


@dataclass(frozen=True)
class Sample:
    environment: Link
    langpack: str
    json: str


@dataclass(frozen=True)
class VersionView:
    number: int
    anchor: str
    latest: bool
    description: str
    deprecated: DeprecationView | None
    fields: tuple[FieldRow, ...]
    previous: int | None
    changes: tuple[Change, ...]
    unchanged: int
    names: tuple[GeneratedName, ...]
    sample: Sample | None


@dataclass(frozen=True)
class EventRow:
    link: Link
    id: int
    latest: int
    owner: str
    environments: tuple[Link, ...]
    summary: str
    deprecated: bool
    search: str


@dataclass(frozen=True)
class FolderView:
    name: str
    events: tuple[EventRow, ...]


@dataclass(frozen=True)
class OwnerView:
    owner: str
    events: tuple[Link, ...]


@dataclass(frozen=True)
class FieldSummary:
    link: Link
    type: str
    constraints: tuple[Constraint, ...]
    summary: str
    uses: int
    deprecated: bool
    search: str


@dataclass(frozen=True)
class EnvironmentRow:
    link: Link
    source_id: int
    owner: str
    summary: str
    langpacks: tuple[str, ...]
    events: int
    deprecated: bool
    search: str


@dataclass(frozen=True)
class DeprecatedRow:
    kind: str
    link: Link
    reason: str
    replaced_by: Link | None
    replaced_by_text: str


@dataclass(frozen=True)
class Usage:
    event: Link
    version: int
    required: bool
    environments: tuple[Link, ...]
    event_deprecated: bool


@dataclass(frozen=True)
class CommonUsage:
    environment: Link
    required: bool


@dataclass(frozen=True)
class Member:
    """A member of an object field (on the object's page), or an object holding the
    field as a member (on the member's page)."""

    field: Link
    required: bool
    type: str


# --- plain words ---------------------------------------------------------------


def literal(value: Any) -> str:
    """A value as JSON, so that spaces, quotes and newlines in it stay visible."""
    return json.dumps(value, ensure_ascii=False)


def type_label(field: Field) -> str:
    if field.type is FieldType.ARRAY and field.item_object is not None:
        return f"array of {field.item_object.name} objects"
    if field.type is FieldType.ARRAY:
        return f"array of {(field.items or FieldType.STRING).value}s"
    return field.type.value


def _range(low: Any, high: Any, unit: str = "", singular: str = "") -> str | None:
    def with_unit(n: Any) -> str:
        return f"{str(n)} {singular if n == 1 and singular else unit}".rstrip()

    if low is not None and high is not None:
        if low == high:
            return f"exactly {with_unit(low)}"
        return f"from {str(low)} to {with_unit(high)}"
    if low is not None:
        return f"at least {with_unit(low)}"
    if high is not None:
        return f"at most {with_unit(high)}"
    return None


def constraints(field: Field) -> tuple[Constraint, ...]:
    """The field's contract beyond its type, in plain words (see clickgen.contract)."""
    out: list[Constraint] = []
    if field.type is FieldType.ARRAY:
        items = _range(field.min_items, field.max_items, "items", "item")
        if items:
            out.append(Constraint(items))
    each = "each item " if field.type is FieldType.ARRAY else ""
    kind = field.element_type
    if field.enum is not None:
        out.append(Constraint(f"{each}one of", tuple(literal(v) for v in field.enum)))
    if kind in (FieldType.INTEGER, FieldType.NUMBER):
        bounds = _range(field.minimum, field.maximum)
        if bounds:
            out.append(Constraint(f"{each}{bounds}"))
        elif kind is FieldType.INTEGER:
            out.append(Constraint(f"{each}any 64-bit signed integer"))
    if kind is FieldType.STRING:
        if field.max_length == 0:
            out.append(Constraint(f"{each}always the empty string"))
        else:
            length = _range(field.min_length, field.max_length, "characters", "character")
            if length:
                out.append(Constraint(f"{each}length {length}"))
        if field.pattern is not None:
            out.append(Constraint(f"{each}the whole value matches the regular expression", (field.pattern,)))
        if field.format is not None:
            out.append(Constraint(f"{each}in the format", (field.format,)))
    if field.key is not None:
        out.append(Constraint("sent under the JSON key", (literal(field.key),)))
    return tuple(out)


def summary(text: str) -> str:
    """The first line of a description, for tables."""
    stripped = text.strip()
    return stripped.splitlines()[0] if stripped else ""


def doc_links(docs: tuple[str, ...]) -> tuple[DocLink, ...]:
    return tuple(DocLink(d, d if d.lower().startswith(_LINK_SCHEMES) else None) for d in docs)


def _search(*parts: str) -> str:
    return " ".join(p for p in parts if p).lower()


# --- the catalog ------------------------------------------------------------------


def event_href(name: str) -> str:
    return f"events/{name}.html"


def field_href(name: str) -> str:
    return f"fields/{name}.html"


def environment_href(name: str) -> str:
    return f"environments/{name}.html"


def event_folder(event: Event) -> str:
    """The event's folder below events/ ('' for events/ itself)."""
    parent = PurePosixPath(event.path).parent
    parts = parent.parts[1:] if parent.parts[:1] == ("events",) else parent.parts
    return "/".join(parts)


class _Catalog:
    def __init__(self, reference: Reference, lock: Lock | None) -> None:
        self.reference = reference
        self.lock = lock
        self._vectors: dict[str, dict[str, Any]] = {}
        self._versions: dict[tuple[str, int], tuple[str, bool]] = {}
        # field -> uses in event versions, and environments using it as a common field
        self.uses: dict[str, list[tuple[Event, EventVersion, FieldUse]]] = {name: [] for name in reference.fields}
        for event in reference.events.values():
            for version in event.versions:
                for use in version.fields:
                    self.uses.setdefault(use.name, []).append((event, version, use))
        # member -> the objects holding it; object -> the arrays of it
        self.member_of: dict[str, list[tuple[Field, FieldUse]]] = {name: [] for name in reference.fields}
        self.items_of: dict[str, list[Field]] = {name: [] for name in reference.fields}
        for field in reference.fields.values():
            for use in field.properties:
                self.member_of.setdefault(use.name, []).append((field, use))
            if field.item_object is not None:
                self.items_of.setdefault(field.item_object.name, []).append(field)
        self.common: dict[str, list[tuple[Environment, FieldUse]]] = {name: [] for name in reference.fields}
        for environment in reference.environments.values():
            for use in environment.common_fields:
                self.common.setdefault(use.name, []).append((environment, use))

    # links

    def event_link(self, name: str) -> Link:
        return Link(name, event_href(name))

    def environment_links(self, names: tuple[str, ...]) -> tuple[Link, ...]:
        return tuple(Link(n, environment_href(n)) for n in names if n in self.reference.environments)

    def deprecation(self, d: Deprecation | None, kind: str) -> DeprecationView | None:
        if d is None:
            return None
        target = d.replaced_by
        pages = {"event": self.reference.events, "field": self.reference.fields, "environment": self.reference.environments}[kind]
        if target is not None and target in pages:
            href = {"event": event_href, "field": field_href, "environment": environment_href}[kind](target)
            return DeprecationView(d.reason, Link(target, href), "")
        return DeprecationView(d.reason, None, target or "")

    # langpacks

    def packages(self, environment: Environment) -> tuple[Package, ...]:
        s = self.reference.settings
        out = []
        for language in LANGUAGES:
            if language not in environment.langpacks:
                continue
            if language == "python":
                names = (
                    ("distribution", python_naming.distribution(s.python_distribution_prefix, environment.name)),
                    ("import", python_naming.package(s.python_package_prefix, environment.name)),
                )
            elif language == "go":
                names = (
                    ("module", go_naming.module(s.go_module_prefix, environment.name)),
                    ("package", go_naming.package(environment.name)),
                )
            else:
                names = (
                    ("composer", php_naming.package(s.php_vendor, s.name, environment.name)),
                    ("namespace", php_naming.namespace(s.php_namespace_prefix, environment.name)),
                )
            for generation in environment.generations_for(language):
                version, released = self.version(environment.name, generation)
                out.append(Package(LANGUAGE_LABELS[language], generation, version, released, names))
        return tuple(out)

    def version(self, environment: str, generation: int) -> tuple[str, bool]:
        """(0.G.N, released?) of the environment's langpacks of one generation."""
        key = (environment, generation)
        if key not in self._versions:
            self._versions[key] = resolve_version(self.reference, environment, generation, self.lock)
        return self._versions[key]

    def generated_names(self, event: Event, version: EventVersion) -> tuple[GeneratedName, ...]:
        languages = {lang for name in event.environments if name in self.reference.environments for lang in self.reference.environments[name].langpacks}
        out = []
        if "python" in languages:
            out.append(GeneratedName("Python", "class", python_naming.event_class(event.name, version.number)))
        if "go" in languages:
            go_type = go_naming.event_type(event.name, version.number)
            out.append(GeneratedName("Go", "type", go_type))
            out.append(GeneratedName("Go", "constructor", "New" + go_type))  # as clickgen/targets/go names it
        if "php" in languages:
            out.append(GeneratedName("PHP", "class", php_naming.event_class(event.name, version.number)))
        return tuple(out)

    # samples

    def vectors(self, environment: Environment) -> dict[str, Any]:
        if environment.name not in self._vectors:
            language = next((lang for lang in LANGUAGES if lang in environment.langpacks), None)
            generations = environment.generations_for(language) if language else environment.generations
            version = self.version(environment.name, generations[0] if generations else 1)[0]
            self._vectors[environment.name] = build_vectors(self.reference, environment, version)
        return self._vectors[environment.name]

    def sample(self, event: Event, version: EventVersion) -> Sample | None:
        for name in event.environments:
            environment = self.reference.environments.get(name)
            if environment is None:
                continue
            document = self.vectors(environment)
            for vector in document["valid"]:
                if vector["event"] == event.name and vector["event_version"] == version.number:
                    return Sample(Link(name, environment_href(name)), document["langpack"], vector["json"])
        return None

    # rows

    def field_row(self, use: FieldUse) -> FieldRow:
        f = use.field
        return FieldRow(Link(f.name, field_href(f.name)), type_label(f), constraints(f), use.required, f.description.strip(), self.deprecation(f.deprecated, "field"))

    def changes(self, previous: EventVersion, version: EventVersion) -> tuple[tuple[Change, ...], int]:
        before = {u.name: u for u in previous.fields}
        after = {u.name: u for u in version.fields}
        out = []
        unchanged = 0
        for use in version.fields:
            old = before.get(use.name)
            link = Link(use.name, field_href(use.name))
            if old is None:
                out.append(Change("added", link, "required" if use.required else "optional"))
            elif old.required != use.required:
                out.append(Change("now required" if use.required else "now optional", link, "was " + ("required" if old.required else "optional")))
            else:
                unchanged += 1
        for use in previous.fields:
            if use.name not in after:
                out.append(Change("removed", Link(use.name, field_href(use.name)), "was " + ("required" if use.required else "optional")))
        return tuple(out), unchanged

    def event_row(self, event: Event) -> EventRow:
        return EventRow(
            self.event_link(event.name),
            event.id,
            event.latest.number,
            event.owner,
            self.environment_links(event.environments),
            summary(event.description),
            event.deprecated is not None,
            _search(event.name, str(event.id), event.owner, event.description, *(v.description for v in event.versions)),
        )

    # pages

    def event_page(self, event: Event) -> dict[str, Any]:
        versions = []
        for index, version in enumerate(event.versions):
            previous = event.versions[index - 1] if index else None
            changes, unchanged = self.changes(previous, version) if previous is not None else ((), 0)
            versions.append(
                VersionView(
                    number=version.number,
                    anchor=f"v{version.number}",
                    latest=version is event.latest,
                    description=version.description.strip(),
                    deprecated=self.deprecation(version.deprecated, "event"),
                    fields=tuple(self.field_row(u) for u in version.fields),
                    previous=previous.number if previous is not None else None,
                    changes=changes,
                    unchanged=unchanged,
                    names=self.generated_names(event, version),
                    sample=self.sample(event, version),
                )
            )
        environments = [self.reference.environments[n] for n in event.environments if n in self.reference.environments]
        return {
            "title": event.name,
            "event": event,
            "folder": event_folder(event),
            "docs": doc_links(event.docs),
            "deprecated": self.deprecation(event.deprecated, "event"),
            "environments": [
                {"link": Link(e.name, environment_href(e.name)), "source_id": e.source_id, "common": tuple(self.field_row(u) for u in e.common_fields), "packages": self.packages(e)}
                for e in environments
            ],
            "versions": list(reversed(versions)),  # latest first
            "envelope": ENVELOPE_KEYS,
        }

    def field_page(self, f: Field) -> dict[str, Any]:
        usages = [
            Usage(self.event_link(event.name), version.number, use.required, self.environment_links(event.environments), event.deprecated is not None or version.deprecated is not None)
            for event, version, use in self.uses.get(f.name, [])
        ]
        environments = sorted({n for event, _, _ in self.uses.get(f.name, []) for n in event.environments} | {e.name for e, _ in self.common.get(f.name, [])})
        return {
            "title": f.name,
            "field": f,
            "type": type_label(f),
            "constraints": constraints(f),
            "contract": literal(f.contract()),
            "examples": tuple(literal(x) for x in f.examples),
            "docs": doc_links(f.docs),
            "deprecated": self.deprecation(f.deprecated, "field"),
            "usages": usages,
            "common": [CommonUsage(Link(e.name, environment_href(e.name)), use.required) for e, use in self.common.get(f.name, [])],
            "members": [Member(Link(u.name, field_href(u.name)), u.required, type_label(u.field)) for u in f.properties],
            "item_object": Link(f.item_object.name, field_href(f.item_object.name)) if f.item_object is not None else None,
            "member_of": [Member(Link(o.name, field_href(o.name)), u.required, type_label(o)) for o, u in self.member_of.get(f.name, [])],
            "items_of": [Link(a.name, field_href(a.name)) for a in self.items_of.get(f.name, [])],
            "environments": self.environment_links(tuple(environments)),
        }

    def environment_page(self, environment: Environment) -> dict[str, Any]:
        return {
            "title": environment.name,
            "environment": environment,
            "docs": doc_links(environment.docs),
            "deprecated": self.deprecation(environment.deprecated, "environment"),
            "common": tuple(self.field_row(u) for u in environment.common_fields),
            "packages": self.packages(environment),
            "events": [self.event_row(e) for e in environment.events],
        }

    def index_page(self) -> dict[str, Any]:
        r = self.reference
        folders: dict[str, list[EventRow]] = {}
        owners: dict[str, list[Link]] = {}
        for event in r.events.values():
            folders.setdefault(event_folder(event), []).append(self.event_row(event))
            owners.setdefault(event.owner, []).append(self.event_link(event.name))
        fields = [
            FieldSummary(
                Link(f.name, field_href(f.name)),
                type_label(f),
                constraints(f),
                summary(f.description),
                len(self.uses.get(f.name, [])) + len(self.common.get(f.name, [])),
                f.deprecated is not None,
                _search(f.name, f.description, type_label(f), *(f.enum or ())),
            )
            for f in r.fields.values()
        ]
        environments = [
            EnvironmentRow(
                Link(e.name, environment_href(e.name)),
                e.source_id,
                e.owner,
                summary(e.description),
                tuple(LANGUAGE_LABELS.get(lang, lang) for lang in LANGUAGES if lang in e.langpacks),
                len(e.events),
                e.deprecated is not None,
                _search(e.name, str(e.source_id), e.owner, e.description),
            )
            for e in r.environments.values()
        ]
        return {
            "title": "",  # the browser tab says "<name> event reference"
            "settings": r.settings,
            "counts": {
                "events": len(r.events),
                "versions": sum(len(e.versions) for e in r.events.values()),
                "fields": len(r.fields),
                "environments": len(r.environments),
                "owners": len(owners),
            },
            "environments": environments,
            "folders": [FolderView(name, tuple(rows)) for name, rows in sorted(folders.items())],
            "owners": [OwnerView(owner, tuple(links)) for owner, links in sorted(owners.items())],
            "fields": fields,
            "deprecated": self.deprecated_rows(),
        }

    def deprecated_rows(self) -> list[DeprecatedRow]:
        """Every deprecation: environments, events, event versions (latest first), fields.
        The reference carries no dates, so this is the whole list, not a recent one."""
        r = self.reference
        rows: list[DeprecatedRow] = []

        def add(kind: str, link: Link, d: Deprecation, pages: str) -> None:
            view = self.deprecation(d, pages)
            assert view is not None
            rows.append(DeprecatedRow(kind, link, view.reason, view.replaced_by, view.replaced_by_text))

        for e in r.environments.values():
            if e.deprecated is not None:
                add("environment", Link(e.name, environment_href(e.name)), e.deprecated, "environment")
        for event in r.events.values():
            if event.deprecated is not None:
                add("event", self.event_link(event.name), event.deprecated, "event")
        for event in r.events.values():
            for version in reversed(event.versions):
                if version.deprecated is not None:
                    add("event version", Link(f"{event.name} v{version.number}", f"{event_href(event.name)}#v{version.number}"), version.deprecated, "event")
        for f in r.fields.values():
            if f.deprecated is not None:
                add("field", Link(f.name, field_href(f.name)), f.deprecated, "field")
        return rows


@lru_cache(maxsize=1)
def _jinja() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.folder("templates") / "docs")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=True,
    )


def _render(template: str, root: str, reference: Reference, context: dict[str, Any]) -> bytes:
    text = _jinja().get_template(template).render(root=root, reference_name=reference.settings.name, generator=GENERATOR, **context)
    return text.encode("utf-8")


def build_docs(reference: Reference, lock: Lock | None = None) -> list[OutputFile]:
    """Every file of the catalog, in memory, sorted by path."""
    catalog = _Catalog(reference, lock)
    files = [
        OutputFile("index.html", _render("index.html.j2", "", reference, catalog.index_page())),
        OutputFile("style.css", (resources.folder("templates") / "docs" / "style.css").read_bytes()),
    ]
    for event in reference.events.values():
        files.append(OutputFile(event_href(event.name), _render("event.html.j2", "../", reference, catalog.event_page(event))))
    for f in reference.fields.values():
        files.append(OutputFile(field_href(f.name), _render("field.html.j2", "../", reference, catalog.field_page(f))))
    for environment in reference.environments.values():
        files.append(OutputFile(environment_href(environment.name), _render("environment.html.j2", "../", reference, catalog.environment_page(environment))))
    return sorted(files, key=lambda f: f.path)


def foreign_output(folder: Path) -> bool:
    """True when `folder` holds files but is not a catalog written by `clickgen docs`:
    replacing it would delete someone's files."""
    if not folder.exists() or not any(folder.iterdir()):
        return False
    index = folder / "index.html"
    try:
        head = index.read_text("utf-8", errors="replace")[:2000]
    except OSError:
        return True
    return f'<meta name="generator" content="{GENERATOR}">' not in head
