"""The Python target: IR + environment -> a stdlib-only Python langpack.

File plan, type map and template contexts live here; names come from `naming`; the
templates in templates/python/gen<G>/ only loop and interpolate. The templates write
black's formatting themselves (no formatter runs at build time): the few statements
and docstrings whose length depends on the reference go through the filters of
`layout`, which split them exactly as black would (tests/test_python_layout.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clickgen import canonical_json, formats, iregexp, render
from clickgen.checkplan import ScalarCheck, ValueCheck, plan_field
from clickgen.ir import ENVELOPE_KEYS, Environment, Event, EventVersion, Field, FieldType, FieldUse
from clickgen.targets.base import GenerateRequest, OutputFile
from clickgen.targets.python import layout, naming
from clickgen.targets.text import python_docstring, python_literal, python_string

TYPE_MAP = {
    FieldType.STRING: "str",
    FieldType.INTEGER: "int",
    FieldType.NUMBER: "float",
    FieldType.BOOLEAN: "bool",
}
CHECK_KIND = {
    FieldType.STRING: "str",
    FieldType.INTEGER: "int",
    FieldType.NUMBER: "float",
    FieldType.BOOLEAN: "bool",
}
FILTERS = (
    ("py_str", python_string),
    ("py_doc", python_docstring),
    ("py_lit", python_literal),
    # black's layout of what the templates write (see `layout`)
    ("py", layout.layout_statements),
    ("py_args", layout.layout_arguments),
    ("py_params", layout.layout_parameters),
    ("py_dict", layout.layout_dict_items),
    ("py_exploded", layout.layout_exploded),
    ("py_docstring", layout.layout_docstring),
)


@dataclass(frozen=True)
class PyEnum:
    class_name: str
    field: str
    description: str
    members: list[tuple[str, str]]  # (constant, value)


@dataclass(frozen=True)
class PyFormat:
    """A string format's checker in _formats.py (clickgen.formats: one grammar for every judge)."""

    name: str
    function: str
    constant: str  # its compiled pattern
    pattern: str  # matched with fullmatch
    calendar: bool


FORMATS = {
    name: PyFormat(name, "valid_" + name.replace("-", "_"), "_" + name.replace("-", "_").upper(), formats.PATTERNS[name], name in formats.CALENDAR)
    for name in formats.FORMATS
}


@dataclass(frozen=True)
class PyField:
    name: str
    key: str  # the JSON key on the wire
    attr: str
    setter: str
    required: bool
    annotation: str  # the stored value's type
    param_annotation: str  # what the constructor or setter accepts
    description: str
    check: str  # runtime check helper: str, int, float, bool or list
    item_check: str  # for lists: the items' helper
    constraints: list[tuple[str, str]]  # (keyword, Python literal)
    is_number: bool
    deprecated: str
    enum_class: str
    # the happy-path check done inline (the helper reports the exact reason otherwise)
    low: str
    high: str
    length_check: bool
    min_length: str
    max_length: str
    pattern_constant: str
    format_check: str  # the _formats function checking the value's format, "" without one
    object_class: str = ""  # the generated class of an object field's value (or items)
    put: str = ""  # the stored value as an event writes it into its payload
    wire: str = ""  # ... and as an object writes it into its own (numbers made wire-ready)
    checked_wire: str = ""  # ... the same in _checked_wire(), where an object's is checked first
    from_wire: str = ""  # gen 2: the decoded JSON value `values.pop(key, None)` as the API takes it
    maker: str = ""  # tests: the function building the value from a vector

    @property
    def holds_text(self) -> bool:
        """Whether the value may hold text the fast check leaves to the UTF-8 encoder (a
        string, or an object: _texts() lists it)."""
        return (self.check == "str" and not self.enum_class) or bool(self.object_class)


@dataclass(frozen=True)
class PyObject:
    """One object field: a generated class whose members are fields."""

    class_name: str
    field_name: str
    summary: str
    description: str
    required: list[PyField]
    optional: list[PyField]
    fields: list[PyField]
    # the members in canonical order of their wire keys: _checked_wire() checks them so,
    # as the check plan does, and names the same first bad member as check-events
    in_wire_order: list[PyField]
    # _wire() writes the members in canonical (RFC 8785) order, which the encoder keeps:
    # the leading required ones as a dict literal, then the others one by one
    wire_literal: list[PyField]
    wire_rest: list[PyField]

    @property
    def text_fields(self) -> list[PyField]:
        return [f for f in self.in_wire_order if f.holds_text]


@dataclass(frozen=True)
class PyEvent:
    class_name: str
    event_name: str
    event_id: int
    version: int
    summary: str
    description: str
    version_description: str
    deprecated: str
    required: list[PyField]
    optional: list[PyField]
    fields: list[PyField]
    number_fields: list[str]
    has_objects: bool  # object fields: the payload is encoded as objects write themselves (in order)

    @property
    def text_fields(self) -> list[PyField]:
        return [f for f in self.fields if f.holds_text]


def _annotation(check: ValueCheck) -> tuple[str, str]:
    if check.object is not None:
        kind = naming.object_class(check.object.name)
        return (f"list[{kind}]", f"Sequence[{kind}]") if check.array else (kind, kind)
    item = naming.enum_class(check.name) if check.item.enum else TYPE_MAP[check.item.kind]
    return (f"list[{item}]", f"Sequence[{item}]") if check.array else (item, item)


def _constraints(check: ValueCheck) -> list[tuple[str, str]]:
    """The keyword arguments of the runtime's checks, from the field's check plan."""
    item = check.item
    out = []
    if item.enum:
        out.append(("enum", f"_enums.{naming.enum_class(check.name)}"))  # its members in the reference's order, for the message
    limits = (item.minimum, item.maximum, item.min_length, item.max_length, check.min_items, check.max_items)
    for name, value in zip(("minimum", "maximum", "min_length", "max_length", "min_items", "max_items"), limits):
        if value is not None:
            out.append((name, python_literal(value)))
    if item.pattern is not None:
        out.append(("pattern", f"({python_string(item.pattern)}, {pattern_constant(check.name)})"))  # the reference's text, for the message
    if item.format is not None:
        out.append(("format", f"({python_string(item.format)}, _formats.{FORMATS[item.format].function})"))
    return out


def pattern_constant(field: str) -> str:
    return f"_{field.upper()}_PATTERN"


@dataclass(frozen=True)
class PyModule:
    """What one generated module needs: imports and module-level constants."""

    runtime_imports: list[str]
    enum_imports: list[str]
    object_imports: list[str]
    patterns: list[tuple[str, str]]  # (constant, pattern)
    uses_enums_module: bool
    uses_warnings: bool
    uses_sequence: bool
    uses_formats: bool


_WIRE_HELPERS = ("wire_objects", "wire_numbers", "wire_number")


def py_module(fields: list[PyField], fields_ir: list[Field], base_imports: list[str], deprecated: bool, members: bool = False) -> PyModule:
    """members: the fields are an object's members (written with `wire`, not `put`)."""
    checks = {f"check_{f.check}" for f in fields if not f.object_class}
    checks |= {name for f in fields for name in _WIRE_HELPERS if f"{name}(" in (f.wire if members else f.put)}
    checks |= {"check_object_list" if f.check == "list" else "check_object" for f in fields if f.object_class}
    literals = {f.max_length for f in fields if f.check == "str" and f.length_check}
    literals |= {text.lstrip("-") for f in fields if f.check in ("int", "float") for text in (f.low, f.high)}
    checks |= literals & {"INT64_MIN", "INT64_MAX", "FLOAT_MAX"}
    if any(f.check == "list" for f in fields):
        checks.add("copy_list")
    plans = [plan_field(f) for f in fields_ir]
    patterns = {c.name: iregexp.for_targets(c.item.pattern).to_python() for c in plans if c.item.pattern is not None}
    return PyModule(
        runtime_imports=sorted(set(base_imports) | checks),
        enum_imports=sorted({f.enum_class for f in fields if f.enum_class}),
        object_imports=sorted({f.object_class for f in fields if f.object_class}),
        patterns=[(pattern_constant(name), pattern) for name, pattern in sorted(patterns.items())],
        uses_enums_module=any(f.enum_class for f in fields),
        uses_warnings=deprecated or any(f.deprecated and not f.required for f in fields),
        uses_sequence=any(f.check == "list" for f in fields),
        uses_formats=any(f.format_check for f in fields),
    )


def _deprecation_text(deprecated: Any, kind: str) -> str:
    if deprecated is None:
        return ""
    text = f"{kind} is deprecated: {deprecated.reason}"
    if deprecated.replaced_by:
        text += f" Use {deprecated.replaced_by} instead."
    return text


def py_field(use: FieldUse) -> PyField:
    field = use.field
    check = plan_field(field)
    item = check.item
    annotation, param = _annotation(check)
    array = check.array
    attr = naming.field_attribute(field.name)
    stored = f"self._f_{attr}"
    source = f"values.pop({python_string(check.key)}, None)"
    object_class = naming.object_class(check.object.name) if check.object is not None else ""
    enum_class = naming.enum_class(field.name) if item.enum else ""
    if check.object is not None:
        put = f"wire_objects({stored})" if array else f"{stored}._wire()"
        wire = put
        from_wire = f"{object_class}._from_wire_list({source})" if array else f"{object_class}._from_wire({source})"
        maker = f"make_{check.object.name}"
    else:
        put = stored
        number = item.kind is FieldType.NUMBER
        wire = (f"wire_numbers({stored})" if array else f"wire_number({stored})") if number else stored
        from_wire = f"as_enum{'_list' if array else ''}({enum_class}, {source})" if enum_class else source
        maker = ""
    item_kind = "object" if check.object is not None else CHECK_KIND[item.kind]
    return PyField(
        name=field.name,
        key=check.key,
        attr=attr,
        setter=naming.setter(field.name),
        required=use.required,
        annotation=annotation,
        param_annotation=param,
        description=field.description,
        check="list" if array else item_kind,
        item_check=item_kind if array else "",
        constraints=_constraints(check),
        is_number=item.kind is FieldType.NUMBER,
        deprecated=_deprecation_text(field.deprecated, f"field {field.name}"),
        enum_class=enum_class,
        low=_bound(item, "minimum"),
        high=_bound(item, "maximum"),
        length_check=item.min_length is not None or item.max_length is not None,
        min_length=str(item.min_length or 0),
        max_length=str(item.max_length) if item.max_length is not None else "INT64_MAX",
        pattern_constant=pattern_constant(field.name) if item.pattern is not None else "",
        format_check=f"_formats.{FORMATS[item.format].function}" if item.format is not None else "",
        object_class=object_class,
        put=put,
        wire=wire,
        checked_wire=f"wire_{attr}" if check.object is not None else wire,
        from_wire=from_wire,
        maker=maker,
    )


def _bound(item: ScalarCheck, which: str) -> str:
    """Literal bound for the inline range check: the plan's bound, or the type's own limit."""
    value = item.minimum if which == "minimum" else item.maximum
    if value is not None:
        return python_literal(value)
    if item.kind is FieldType.INTEGER:
        return "INT64_MIN" if which == "minimum" else "INT64_MAX"
    return "-FLOAT_MAX" if which == "minimum" else "FLOAT_MAX"


def py_event(environment: Environment, event: Event, version: EventVersion) -> PyEvent:
    fields = [py_field(u) for u in environment.own_fields(version)]
    deprecated = _deprecation_text(event.deprecated, f"event {event.name}") or _deprecation_text(
        version.deprecated, f"version {version.number} of event {event.name}"
    )
    summary = event.description.strip().splitlines()[0] if event.description.strip() else f"The event {event.name}."
    return PyEvent(
        class_name=naming.event_class(event.name, version.number),
        event_name=event.name,
        event_id=event.id,
        version=version.number,
        summary=summary,
        description=event.description.strip()[len(summary) :].strip() if event.description.strip().startswith(summary) else event.description.strip(),
        version_description=version.description.strip(),
        deprecated=deprecated,
        required=[f for f in fields if f.required],
        optional=[f for f in fields if not f.required],
        fields=fields,
        number_fields=[f.key for f in fields if f.is_number],
        has_objects=any(f.object_class for f in fields),
    )


def _needs_utf16_order(environment: Environment) -> bool:
    """Whether sorting the environment's keys by code point (as json.dumps does) differs
    from RFC 8785's order by UTF-16 code units (astral characters against U+E000-U+FFFF)."""
    keys = [*ENVELOPE_KEYS, *(f.wire_key for f in environment.used_fields().values())]
    return sorted(keys) != sorted(keys, key=canonical_json.utf16_order)


def objects_of(environment: Environment) -> list[PyObject]:
    out = []
    for name, field in environment.object_fields().items():
        members = [py_field(use) for use in field.properties]
        text = field.description.strip()
        summary = text.splitlines()[0] if text else f"The object {name}."
        ordered = sorted(members, key=lambda m: canonical_json.utf16_order(m.key))
        leading = next((i for i, m in enumerate(ordered) if not m.required), len(ordered))
        out.append(
            PyObject(
                class_name=naming.object_class(name),
                field_name=name,
                summary=summary,
                description=text[len(summary) :].strip() if text.startswith(summary) else text,
                required=[m for m in members if m.required],
                optional=[m for m in members if not m.required],
                fields=members,
                in_wire_order=ordered,
                wire_literal=ordered[:leading],
                wire_rest=ordered[leading:],
            )
        )
    return out


def enums_of(environment: Environment) -> list[PyEnum]:
    return [
        PyEnum(naming.enum_class(name), name, field.description, [(naming.enum_constant(v), v) for v in field.enum or ()])
        for name, field in environment.enum_fields().items()
    ]


class PythonTarget:
    language = "python"

    @property
    def generations(self) -> tuple[int, ...]:
        return render.available_generations("python")

    def generate(self, request: GenerateRequest) -> list[OutputFile]:
        reference, environment = request.reference, request.environment
        settings = reference.settings
        package = naming.package(settings.python_package_prefix, environment.name)
        events = [py_event(environment, e, v) for e in environment.events for v in e.versions]
        common = [py_field(u) for u in environment.common_fields]
        event_uses = [u for e in environment.events for v in e.versions for u in environment.own_fields(v)]
        all_fields = [f for event in events for f in event.fields]
        events_module = py_module(
            [f for event in events for f in event.fields],
            [u.field for u in event_uses],
            ["Event"] + (["as_enum"] if request.generation >= 2 and any(f.enum_class and f.check != "list" for f in all_fields) else [])
            + (["as_enum_list"] if request.generation >= 2 and any(f.enum_class and f.check == "list" for f in all_fields) else []),
            any(event.deprecated for event in events),
        )
        client_imports = ["Event", "encode_payload"] + (["check_text"] if any(f.object_class for f in common) else [])
        client_module = py_module(common, [u.field for u in environment.common_fields], client_imports, False)
        objects = objects_of(environment)
        members = [m for o in objects for m in o.fields]
        member_uses = [u for f in environment.object_fields().values() for u in f.properties]
        objects_module = py_module(
            members,
            [u.field for u in member_uses],
            ["Object", "member_path"] + (["ValidationError"] if request.generation >= 2 else [])
            + (["as_enum"] if request.generation >= 2 and any(m.enum_class and m.check != "list" for m in members) else [])
            + (["as_enum_list"] if request.generation >= 2 and any(m.enum_class and m.check == "list" for m in members) else []),
            False,
            members=True,
        )
        header = f"Code generated by clickgen {request.clickgen_version} from the reference {reference.settings.name!r}. DO NOT EDIT."
        context: dict[str, Any] = {
            "header": header,
            "package": package,
            "distribution": naming.distribution(settings.python_distribution_prefix, environment.name),
            "version": request.version,
            "environment": environment.name,
            "environment_description": environment.description.strip(),
            "source_id": environment.source_id,
            "collector": environment.collector,
            "owner": environment.owner,
            "reference_name": settings.name,
            "events": events,
            "enums": enums_of(environment),
            "common": common,
            "common_required": [f for f in common if f.required],
            "common_optional": [f for f in common if not f.required],
            "common_objects": [f for f in common if f.object_class],
            "common_number_fields": [f.key for f in common if f.is_number],
            "deprecated_environment": _deprecation_text(environment.deprecated, f"environment {environment.name}"),
            "events_module": events_module,
            "client_module": client_module,
            "objects": objects,
            "objects_module": objects_module,
            "formats": [FORMATS[name] for name in sorted({f.format for f in environment.used_fields().values() if f.format})],
            "calendar_formats": any(f.format in formats.CALENDAR for f in environment.used_fields().values()),
            "max_hostname": formats.MAX_HOSTNAME,
            "max_local_part": formats.MAX_LOCAL_PART,
            "max_domain": formats.MAX_DOMAIN,
            "utf16_key_order": _needs_utf16_order(environment),
        }
        plan = [
            ("pyproject.toml", "pyproject.toml.j2"),
            ("README.md", "README.md.j2"),
            (f"src/{package}/__init__.py", "__init__.py.j2"),
            (f"src/{package}/_runtime.py", "_runtime.py.j2"),
            (f"src/{package}/senders.py", "senders.py.j2"),
            (f"src/{package}/client.py", "client.py.j2"),
            (f"src/{package}/enums.py", "enums.py.j2"),
            (f"src/{package}/events.py", "events.py.j2"),
            *([(f"src/{package}/objects.py", "objects.py.j2")] if objects else []),
            *([(f"src/{package}/_formats.py", "_formats.py.j2")] if context["formats"] else []),
            ("tests/__init__.py", "tests_init.py.j2"),
            ("tests/test_vectors.py", "test_vectors.py.j2"),
            ("tests/test_senders.py", "test_senders.py.j2"),
        ]
        files = []
        for path, template in plan:
            text = render.render("python", request.generation, template, FILTERS, **context)
            files.append(OutputFile(path, text.encode("utf-8")))
        files.append(OutputFile(f"src/{package}/py.typed", b""))
        files.append(OutputFile("tests/vectors.json", request.vectors_json))
        return sorted(files, key=lambda f: f.path)
