"""The Go target: IR + environment -> a stdlib-only Go module (one package per langpack).

File plan, type map and template contexts live here; identifiers come from `naming`;
the templates in templates/go/gen<G>/ only loop and interpolate. Every check, Go type
and wire key is read from the field's check plan (clickgen.checkplan.plan_field), never
from the IR Field, so Go judges values as check-events does. Generated code is
gofmt-clean by construction, without running gofmt (users need not have Go):
- doc comments go through `go_doc`, which writes them in gofmt's canonical form;
- no two consecutive lines form a gofmt alignment group, except struct fields, whose
  padding `pad_columns` computes the way gofmt's tabwriter does;
- every generated identifier comes from `naming`, so keywords, predeclared names and
  the runtime's own names are never shadowed.
The encoder is generated too: each event type writes its keys (its own fields, the
client's pre-encoded common fields and the envelope) in sorted order, with adjacent
constant parts merged into one literal at generation time.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Any

from clickgen import canonical_json, formats, iregexp, render
from clickgen.checkplan import NOT_UNICODE, ScalarCheck, ValueCheck, bound_text, max_items_reason, max_length_reason, min_items_reason, min_length_reason, plan_field
from clickgen.ir import INT64_MAX, INT64_MIN, Deprecation, Environment, Event, EventVersion, Field, FieldType, FieldUse
from clickgen.targets.base import GenerateRequest, OutputFile
from clickgen.targets.go import naming
from clickgen.targets.text import go_comment, go_doc, go_string

FILTERS = (("go_string", go_string), ("go_doc", go_doc), ("go_comment", go_comment))


@dataclass(frozen=True)
class GoType:
    """How a reference type looks in Go and in the generated runtime and tests."""

    go: str  # the Go type of a value
    append: str  # runtime function appending a value's canonical JSON: f(b, v) []byte
    convert: str  # method of the test's value converter: c.<convert>(x)
    decode: str  # runtime function taking a value from a decoded line: f(d, key, &v, &has)


SCALARS = {
    FieldType.STRING: GoType("string", "appendString", "text", "decodeString"),
    FieldType.INTEGER: GoType("int64", "appendInt", "integer", "decodeInt"),
    FieldType.NUMBER: GoType("float64", "appendNumber", "number", "decodeNumber"),
    FieldType.BOOLEAN: GoType("bool", "appendBool", "boolean", "decodeBool"),
}
ARRAYS = {
    FieldType.STRING: GoType("[]string", "appendStrings", "texts", "decodeStrings"),
    FieldType.INTEGER: GoType("[]int64", "appendInts", "integers", "decodeInts"),
    FieldType.NUMBER: GoType("[]float64", "appendNumbers", "numbers", "decodeNumbers"),
    FieldType.BOOLEAN: GoType("[]bool", "appendBools", "booleans", "decodeBools"),
}


@dataclass(frozen=True)
class GoScope:
    """How the code of one file names what the runtime declares (runtime.go, fields.go,
    objects.go, enums.go, decode.go, the Event interface).

    A langpack of one package declares all of it unexported, beside the event types. A
    split langpack (see `package_plan`) has the runtime in the package internal/core,
    which exports the names its other packages use, as XXX_ + the name (XXX_Stamp,
    *XXX_Decoder); the event packages and the root package write core.XXX_Stamp. The
    prefix keeps them apart from the enum and object types and enum constants that
    internal/core declares too: those are CamelCase names chosen only against the
    exported names of a one-package langpack (naming.PACKAGE_NAMES), which generation 1
    can no longer change, so any other CamelCase name may be taken, but none has an
    underscore. XXX_ is the usual mark of what generated Go code exports for itself
    (protobuf's).
    """

    qualifier: str  # "" or "core."
    exported: bool

    def name(self, unexported: str) -> str:
        """A package-level function, type or variable of the runtime, as this file writes it."""
        return self.qualifier + "XXX_" + self.member(unexported) if self.exported else unexported

    def member(self, unexported: str) -> str:
        """A struct field or method of a runtime type (no package qualifier)."""
        return unexported[:1].upper() + unexported[1:] if self.exported else unexported

    def type_name(self, exported: str) -> str:
        """An enum or object type (exported in every shape)."""
        return self.qualifier + exported

    def runtime(self) -> dict[str, str]:
        """The runtime names the templates use, by their name in a one-package langpack."""
        names = {name: self.name(name) for name in _RUNTIME_NAMES}
        names.update({name: self.member(name) for name in _RUNTIME_MEMBERS})
        names["ValidationError"] = self.type_name("ValidationError")
        # Event's unexported appendJSON keeps it sealed, but only types of its own package
        # can have an unexported method of it, and a split langpack's event types live in
        # other packages. So there the method is exported, with an argument whose type is
        # internal: no program can name it, so none can declare the method and implement
        # Event. No getter can take the name: field names give no underscore.
        names["appendJSON"] = "XXX_AppendJSON" if self.exported else "appendJSON"
        names["encodeCommon"] = self.name("encodeCommon")
        return names


# Runtime names that a split langpack's event packages and root package use.
_RUNTIME_NAMES = (
    "stamp",
    "checkEnvelope",
    "invalid",
    "invalidAt",
    "commonJSON",
    "appendInt",
    "appendString",
    "appendNumber",
    "appendBool",
    "appendStrings",
    "appendInts",
    "appendNumbers",
    "appendBools",
    "appendObject",
    "appendObjects",
    "decoder",
    "decodeString",
    "decodeInt",
    "decodeNumber",
    "decodeBool",
    "decodeStrings",
    "decodeInts",
    "decodeNumbers",
    "decodeBools",
    "decodeObject",
    "decodeObjects",
    "randomBytes",
)
_RUNTIME_MEMBERS = ("constraint", "event")  # violation.constraint, decoder.event

ONE_PACKAGE = GoScope("", False)
CORE = GoScope("", True)  # the files of internal/core
OUTSIDE_CORE = GoScope("core.", True)  # the event packages and the root package of a split langpack


# Above this, `4*n` tricks and `int` comparisons could overflow a 32-bit int.
_SMALL = 2**29


# Formats checked by hand-written scanners in formats.go: RE2 runs these grammars 1-15x
# slower than making and encoding an event (benchmarks/bench_formats.py). The scanners
# each need some helpers of formats.go.
_SCANNER_HELPERS = {
    "date-time": {"date", "time", "digits"},
    "date": {"date", "digits"},
    "time": {"time", "digits"},
    "uuid": {"hex"},
    "email": {"email", "labels", "ipv4", "ipv6", "digits", "letters", "hex"},
    "hostname": {"labels", "digits", "letters"},
    "ipv4": {"ipv4", "digits"},
    "ipv6": {"ipv4", "ipv6", "digits", "hex"},
    "uri": {"uri", "ipv4", "ipv6", "digits", "letters", "hex"},
}


@dataclass(frozen=True)
class GoFormat:
    """A string format's checker in formats.go (clickgen.formats: one grammar for every judge)."""

    name: str
    function: str  # func(s string) bool
    variable: str  # its compiled pattern, for a format without a scanner
    pattern: str  # anchored
    scanned: bool  # checked by a hand-written scanner instead of the pattern


FORMATS = {
    name: GoFormat(
        name,
        "valid" + naming.exported(name.split("-")),
        "format" + naming.exported(name.split("-")),
        f"^(?:{formats.PATTERNS[name]})$",
        name in _SCANNER_HELPERS,
    )
    for name in formats.FORMATS
}


@dataclass(frozen=True)
class GoCondition:
    expr: str  # Go boolean expression that is true when the value breaks the rule
    constraint: str  # the vectors' reason keyword: enum, minimum, ...
    reason: str


@dataclass(frozen=True)
class GoCheck:
    """The package-level validator of one field's values: check_<field>(v) violation."""

    name: str
    field: str
    param_type: str
    conditions: list[GoCondition]  # on v (the value, or the array)
    item_conditions: list[GoCondition]  # on x, each item of an array
    pattern_var: str
    pattern: str  # the whole-value Go pattern, ^(?:...)$


@dataclass(frozen=True)
class GoField:
    name: str
    key: str  # the JSON key on the wire
    getter: str
    setter: str
    param: str
    member: str
    has: str
    go_type: str
    append: str
    decode: str
    check: str  # check function name, "" when any value of the type is valid
    required: bool
    getter_doc: str
    setter_doc: str
    convert_open: str  # test: typed value from a decoded vector value, around the value
    convert_close: str
    object: bool = False  # an object or an array of objects: check returns (path, violation)


@dataclass(frozen=True)
class GoStep:
    """One step of an encoder: kind const | common | value | optional | time | uid."""

    kind: str
    text: str = ""  # Go string literal for const, the key prefix for optional
    index: int = 0  # common fields' slot
    field: GoField | None = None


@dataclass(frozen=True)
class GoEvent:
    type_name: str
    constructor: str
    event_name: str
    event_id: int
    version: int
    doc: str
    constructor_doc: str
    struct_lines: list[str]
    required: list[GoField]
    optional: list[GoField]
    fields: list[GoField]
    steps: list[GoStep]
    builder: str  # the generated test's build function
    decoder: str  # the function making the event from a decoded line (DecodeJSON)
    deprecated: bool
    # How the root package writes the constructor: a split langpack's root declares
    # a constructor that calls the event package's (see facade_events.go.j2).
    facade_constructor_doc: str
    facade_parameters: str
    facade_arguments: str
    package: str = ""  # the event package of a split langpack ("" for one package)


@dataclass(frozen=True)
class GoObject:
    """One object field: a struct type with a constructor, accessors, check and encoder."""

    type_name: str
    constructor: str
    field_name: str
    doc: str
    constructor_doc: str
    struct_lines: list[str]
    required: list[GoField]
    optional: list[GoField]
    fields: list[GoField]
    checked: list[GoField]  # the members in the order check() visits them (the plan's)
    steps: list[GoStep]  # const, value and optional steps of its encoder, in key order


@dataclass(frozen=True)
class GoObjectCheck:
    """check_<field> of an object-typed field: the path below it and the violation."""

    name: str
    field: str
    param_type: str
    array: bool
    conditions: list[GoCondition]  # on v, the array


@dataclass(frozen=True)
class GoEnum:
    type_name: str
    field: str
    doc: str
    members: list[tuple[str, str]]  # (constant, Go string literal)


@dataclass(frozen=True)
class GoCommon:
    struct_lines: list[str]
    required: list[GoField]
    optional: list[GoField]
    fields: list[GoField]
    slots: list[tuple[int, str, GoField]]  # (slot, key prefix literal, field)
    constructor_doc: str


@dataclass(frozen=True)
class GoBenchmark:
    """The event the benchmark encodes, and a struct a developer would write for encoding/json."""

    event: GoEvent
    struct_lines: list[str]


def pad_columns(rows: list[tuple[str, ...]], indent: str = "\t") -> list[str]:
    """Lines of cells aligned the way gofmt aligns consecutive struct fields.

    gofmt's tabwriter pads every cell but the last of a line to the widest cell of
    its column (plus one space); the cells here are ASCII, so width is length.
    """
    widths = [max((len(row[i]) for row in rows if len(row) > i + 1), default=0) for i in range(max((len(r) for r in rows), default=0))]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i]) + " " if i < len(row) - 1 else cell for i, cell in enumerate(row)]
        lines.append(indent + "".join(cells))
    return lines


def _deprecation(deprecated: Deprecation | None, replacement_kind: str) -> str:
    if deprecated is None:
        return ""
    text = f"Deprecated: {deprecated.reason.strip()}"
    if deprecated.replaced_by:
        text += f" Use the {replacement_kind} {deprecated.replaced_by} instead."
    return text


def _wrap(text: str) -> str:
    """Our own sentences, wrapped like hand-written Go comments (descriptions keep their lines)."""
    return textwrap.fill(text, width=80, break_long_words=False, break_on_hyphens=False)


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _float_literal(value: float) -> str:
    """A Go float literal: Python's repr of a finite float (0.1, -90.0, 1e+21) is one."""
    return repr(float(value))


def _length_conditions(item: ScalarCheck, var: str, prefix: str) -> list[GoCondition]:
    out = []
    low, high = item.min_length, item.max_length
    if low:
        if low < _SMALL:
            expr = f"len({var}) < {4 * low} && runeCount({var}) < {low}" if low > 1 else f"len({var}) == 0"
        else:
            expr = f"int64(runeCount({var})) < {low}"
        out.append(GoCondition(expr, "min_length", prefix + min_length_reason(low)))
    if high is not None:
        expr = f"len({var}) > {high} && runeCount({var}) > {high}" if high < _SMALL else f"int64(runeCount({var})) > {high}"
        out.append(GoCondition(expr, "max_length", prefix + max_length_reason(high)))
    return out


def _integer_conditions(item: ScalarCheck, var: str, prefix: str) -> list[GoCondition]:
    """The plan's integer bounds (whole numbers, maybe beyond int64) against an int64: a
    bound beyond the type's range refuses every value or none."""
    out = []
    if item.minimum is not None:
        low, reason = int(item.minimum), f"{prefix}must be >= {bound_text(item.minimum)}"
        if low > INT64_MAX:
            out.append(GoCondition(f"{var} <= {INT64_MAX}", "minimum", reason))
        elif low > INT64_MIN:
            out.append(GoCondition(f"{var} < {low}", "minimum", reason))
    if item.maximum is not None:
        high, reason = int(item.maximum), f"{prefix}must be <= {bound_text(item.maximum)}"
        if high < INT64_MIN:
            out.append(GoCondition(f"{var} >= {INT64_MIN}", "maximum", reason))
        elif high < INT64_MAX:
            out.append(GoCondition(f"{var} > {high}", "maximum", reason))
    return out


def _scalar_conditions(check: ValueCheck, var: str, prefix: str) -> list[GoCondition]:
    """What check_<field> tests of one value (the field's, or each item's), in the plan's order."""
    item = check.item
    out: list[GoCondition] = []
    if item.kind is FieldType.STRING:
        text = f"string({var})" if item.enum else var
        if item.enum:
            out.append(GoCondition(f"!{var}.Valid()", "enum", f"{prefix}must be one of " + ", ".join(item.enum)))
        else:
            out.append(GoCondition(f"!validUTF8({var})", "utf8", f"{prefix}{NOT_UNICODE}"))
        out.extend(_length_conditions(item, text, prefix))
        if item.pattern is not None:
            out.append(GoCondition(f"!matches({naming.pattern_variable(check.name)}, {text})", "pattern", f"{prefix}must match {item.pattern}"))
        if item.format is not None:
            out.append(GoCondition(f"!{FORMATS[item.format].function}({text})", "format", f"{prefix}must be a valid {item.format}"))
    elif item.kind is FieldType.INTEGER:
        out.extend(_integer_conditions(item, var, prefix))
    elif item.kind is FieldType.NUMBER:
        out.append(GoCondition(f"!isFinite({var})", "finite", f"{prefix}must be a finite number"))
        if item.minimum is not None:
            out.append(GoCondition(f"{var} < {_float_literal(item.minimum)}", "minimum", f"{prefix}must be >= {bound_text(item.minimum)}"))
        if item.maximum is not None:
            out.append(GoCondition(f"{var} > {_float_literal(item.maximum)}", "maximum", f"{prefix}must be <= {bound_text(item.maximum)}"))
    return out


def go_check(field: Field, scope: GoScope = ONE_PACKAGE) -> GoCheck | None:
    """The validator of a field, or None when the Go type already admits only valid values
    (object-typed fields have theirs in objects.go: see go_object_check)."""
    check = plan_field(field)
    if check.object is not None:
        return None
    pattern = iregexp.for_targets(check.item.pattern).to_go() if check.item.pattern is not None else ""
    name = scope.name(naming.check_function(check.name))
    if check.array:
        conditions = _items_conditions(check)
        items = _scalar_conditions(check, "x", "each item ")
        if not conditions and not items:
            return None
        return GoCheck(name, check.name, go_type(field, scope), conditions, items, naming.pattern_variable(check.name) if pattern else "", pattern)
    conditions = _scalar_conditions(check, "v", "")
    if not conditions:
        return None
    return GoCheck(name, check.name, go_type(field, scope), conditions, [], naming.pattern_variable(check.name) if pattern else "", pattern)


def _format_imports(names: list[str]) -> list[str]:
    imports = set()
    if any(not FORMATS[name].scanned for name in names):
        imports.add("regexp")
    if "email" in names or "uri" in names:
        imports.add("strings")
    return sorted(imports)


def _items_conditions(check: ValueCheck) -> list[GoCondition]:
    """An array's own checks: its number of items (the plan's min/max items)."""
    conditions = []
    low, high = check.min_items, check.max_items
    if low:
        conditions.append(GoCondition(f"len(v) < {low}" if low < _SMALL else f"int64(len(v)) < {low}", "min_items", min_items_reason(low)))
    if high is not None:
        conditions.append(GoCondition(f"len(v) > {high}" if high < _SMALL else f"int64(len(v)) > {high}", "max_items", max_items_reason(high)))
    return conditions


def go_object_check(field: Field, scope: GoScope = ONE_PACKAGE) -> GoObjectCheck:
    check = plan_field(field)
    return GoObjectCheck(scope.name(naming.check_function(check.name)), check.name, go_type(field, scope), check.array, _items_conditions(check))


def formats_of(environment: Environment) -> list[str]:
    return sorted({f for f in (plan_field(field).item.format for field in environment.used_fields().values()) if f})


def used_formats(environment: Environment) -> list[GoFormat]:
    return [FORMATS[name] for name in formats_of(environment)]


def go_type(field: Field, scope: GoScope = ONE_PACKAGE) -> str:
    check = plan_field(field)
    if check.object is not None:
        return ("[]*" if check.array else "*") + scope.type_name(naming.object_type(check.object.name))
    if check.item.enum:
        return ("[]" if check.array else "") + scope.type_name(naming.enum_type(check.name))
    return (ARRAYS if check.array else SCALARS)[check.item.kind].go


def _type_info(check: ValueCheck) -> GoType:
    if check.object is not None:
        kind = naming.object_type(check.object.name)
        if check.array:
            return GoType("[]*" + kind, "appendObjects", "objects" + kind, "decodeObjects")
        return GoType("*" + kind, "appendObject", "object" + kind, "decodeObject")
    return (ARRAYS if check.array else SCALARS)[check.item.kind]


def go_field(use: FieldUse, owner: str, kind: str, scope: GoScope = ONE_PACKAGE) -> GoField:
    """A field of an event version (kind "event"), of the client's common fields (kind
    "common") or a member of an object type (kind "object"), as the code of `scope` writes it."""
    field = use.field
    plan = plan_field(field)
    info = _type_info(plan)
    getter, setter = naming.getter(plan.name), naming.setter(plan.name)
    noun = "member" if kind == "object" else "field"
    deprecated = _deprecation(field.deprecated, noun)
    if use.required:
        getter_summary = f"{getter} returns the {noun} {plan.name}."
    else:
        getter_summary = f"{getter} returns the optional {noun} {plan.name}, and whether it is set."
    if plan.array:
        getter_summary += f" The slice is the {kind}'s own: do not modify it."
    setter_summary = f"{setter} sets the optional {noun} {plan.name} and returns the {kind}, for chaining."
    if plan.array:
        setter_summary += f" The {kind} keeps the slice: do not modify it afterwards."
    setter_summary += f" See [{owner}.{getter}]."
    convert_open, convert_close = f"c.{info.convert}(", ")"
    if plan.item.enum:
        enum = naming.enum_type(plan.name)
        if plan.array:
            convert_open, convert_close = f"enumList[langpack.{enum}](c.{info.convert}(", "))"
        else:
            convert_open, convert_close = f"langpack.{enum}(c.{info.convert}(", "))"
    is_object = plan.object is not None
    checked = is_object or go_check(field) is not None
    return GoField(
        name=plan.name,
        key=plan.key,
        getter=getter,
        setter=setter,
        param=naming.parameter(plan.name),
        member=naming.struct_field(plan.name),
        has=naming.presence_field(plan.name),
        go_type=go_type(field, scope),
        append=scope.name(info.append),
        decode=scope.name(info.decode),
        check=scope.name(naming.check_function(plan.name)) if checked else "",
        required=use.required,
        getter_doc=_paragraphs(_wrap(getter_summary), field.description, deprecated),
        setter_doc=_paragraphs(_wrap(setter_summary), deprecated),
        convert_open=convert_open,
        convert_close=convert_close,
        object=is_object,
    )


def _struct_lines(fields: list[GoField], envelope: bool) -> list[str]:
    rows: list[tuple[str, ...]] = []
    if envelope:
        rows += [("eventTimeUS", "int64"), ("eventUID", "string")]
    rows += [(f.member, f.go_type) for f in fields]
    rows += [(f.has, "bool") for f in fields if not f.required]
    return pad_columns(rows)


def _key(key: str) -> str:
    return "," + canonical_json.encode_string(key) + ":"



def encoder_steps(environment: Environment, event: Event, version: EventVersion, fields: list[GoField], version_text: str) -> list[GoStep]:
    """The encoder of an event version: every key in sorted order, constants merged.

    Each member is written as `,"key":value`; the encoder turns the first comma into
    `{`, which works because the envelope keys are always there.
    """
    slots = {key: i for i, key in enumerate(sorted((plan_field(u.field).key for u in environment.common_fields), key=canonical_json.utf16_order))}
    by_key = {f.key: f for f in fields}
    constants = {
        "event_id": str(event.id),
        "event_version": str(version.number),
        "source_id": str(environment.source_id),
        "langpack": f'"{version_text}"',
    }
    steps: list[GoStep] = []
    pending = ""

    def flush() -> None:
        nonlocal pending
        if pending:
            steps.append(GoStep("const", go_string(pending)))
            pending = ""

    for key in sorted([*slots, *by_key, *constants, "event_time_us", "event_uid"], key=canonical_json.utf16_order):
        if key in constants:
            pending += _key(key) + constants[key]
        elif key == "event_time_us":
            pending += _key(key)
            flush()
            steps.append(GoStep("time"))
        elif key == "event_uid":
            # the uid is validated as lowercase hex and dashes: no escaping needed
            pending += _key(key) + '"'
            flush()
            steps.append(GoStep("uid"))
            pending += '"'
        elif key in slots:
            flush()
            steps.append(GoStep("common", index=slots[key]))
        else:
            field = by_key[key]
            if field.required:
                pending += _key(key)
                flush()
                steps.append(GoStep("value", field=field))
            else:
                flush()
                steps.append(GoStep("optional", text=go_string(_key(key)), field=field))
    flush()
    return steps


def go_event(environment: Environment, event: Event, version: EventVersion, version_text: str, scope: GoScope = ONE_PACKAGE, package: str = "") -> GoEvent:
    """An event version's type, as its package declares it (scope OUTSIDE_CORE: in an event
    package of a split langpack)."""
    type_name = naming.event_type(event.name, version.number)
    uses = environment.own_fields(version)
    fields = [go_field(u, type_name, "event", scope) for u in uses]
    required = [f for f in fields if f.required]
    deprecated = _deprecation(event.deprecated, "event") or _deprecation(version.deprecated, "event version")
    summary = f"{type_name} is version {version.number} of the event {event.name} (id {event.id}), owned by {event.owner}."
    version_text_doc = f"Version {version.number}: {version.description.strip()}" if version.description.strip() else ""
    links = "\n".join(event.docs)
    constructor = "New" + type_name
    if required:
        arguments = "Its arguments are the required fields " + ", ".join(f.name for f in required) + "."
    else:
        arguments = "The event has no required fields."

    def constructor_doc(qualifier: str) -> str:
        return _paragraphs(
            _wrap(
                f"{constructor} makes the event {event.name}, version {version.number}, stamped with the current time "
                f"and a new event uid (see [{qualifier}SetClock] and [{qualifier}SetUIDSource]). {arguments} "
                f"Optional fields have setters, which can be chained."
            ),
            deprecated,
        )

    own_doc = constructor_doc(scope.qualifier)
    if scope is ONE_PACKAGE:
        facade_doc, facade_parameters = own_doc, ""
    else:
        facade_doc = constructor_doc("")
        facade_parameters = ", ".join(f"{f.param} {go_type(u.field)}" for f, u in zip(fields, uses) if f.required)
    return GoEvent(
        type_name=type_name,
        constructor=constructor,
        event_name=event.name,
        event_id=event.id,
        version=version.number,
        doc=_paragraphs(_wrap(summary), event.description, version_text_doc, f"See also:\n{links}" if links else "", deprecated),
        constructor_doc=own_doc,
        struct_lines=_struct_lines(fields, True),
        required=required,
        optional=[f for f in fields if not f.required],
        fields=fields,
        steps=encoder_steps(environment, event, version, fields, version_text),
        builder=f"build_{event.name}_v{version.number}",
        decoder="decode" + type_name,
        deprecated=bool(deprecated),
        facade_constructor_doc=facade_doc,
        facade_parameters=facade_parameters,
        facade_arguments=", ".join(f.param for f in required),
        package=package,
    )


def go_common(environment: Environment, scope: GoScope = ONE_PACKAGE) -> GoCommon:
    uses = list(environment.common_fields)
    fields = [go_field(u, "Common", "common fields", scope) for u in uses]
    by_key = {f.key: f for f in fields}
    slots = [(i, go_string(_key(key)), by_key[key]) for i, key in enumerate(sorted(by_key, key=canonical_json.utf16_order))]
    required = [f for f in fields if f.required]
    arguments = (
        "Its arguments are the required common fields " + ", ".join(f.name for f in required) + "."
        if required
        else "The environment has no required common fields."
    )
    return GoCommon(
        struct_lines=_struct_lines(fields, False),
        required=required,
        optional=[f for f in fields if not f.required],
        fields=fields,
        slots=slots,
        constructor_doc=_wrap(f"NewCommon makes the common fields of the environment {environment.name}. {arguments} Optional ones have setters, which can be chained."),
    )


def go_objects(environment: Environment, scope: GoScope = ONE_PACKAGE) -> list[GoObject]:
    out = []
    for name, field in environment.object_fields().items():
        type_name = naming.object_type(name)
        members = [go_field(u, type_name, "object", scope) for u in field.properties]
        by_name = {m.name: m for m in members}
        plan = plan_field(field).object
        assert plan is not None
        # check() visits the members as the plan does: in canonical (wire) order of their keys
        checked = [by_name[m.check.name] for m in sorted(plan.members, key=lambda m: canonical_json.utf16_order(m.check.key))]
        required = [m for m in members if m.required]
        steps = []
        for member in sorted(members, key=lambda m: canonical_json.utf16_order(m.key)):
            if member.required:
                steps += [GoStep("const", go_string(_key(member.key))), GoStep("value", field=member)]
            else:
                steps.append(GoStep("optional", text=go_string(_key(member.key)), field=member))
        arguments = (
            "Its arguments are the required members " + ", ".join(m.name for m in required) + "."
            if required
            else "The object has no required members."
        )
        constructor = "New" + type_name
        out.append(
            GoObject(
                type_name=type_name,
                constructor=constructor,
                field_name=name,
                doc=_paragraphs(_wrap(f"{type_name} is a value of the object field {name}."), field.description, _deprecation(field.deprecated, "field")),
                constructor_doc=_wrap(f"{constructor} makes a {name} object. {arguments} Optional members have setters, which can be chained."),
                struct_lines=_struct_lines(members, False),
                required=required,
                optional=[m for m in members if not m.required],
                fields=members,
                checked=checked,
                steps=steps,
            )
        )
    return out


def go_enums(environment: Environment) -> list[GoEnum]:
    out = []
    for name, field in environment.enum_fields().items():
        type_name = naming.enum_type(name)
        doc = _paragraphs(_wrap(f"{type_name} is a value of the field {name}."), field.description, _deprecation(field.deprecated, "field"))
        out.append(GoEnum(type_name, name, doc, [(naming.enum_constant(name, v), go_string(v)) for v in plan_field(field).item.enum or ()]))
    return out


def _hand_written_type(field: Field) -> str:
    check = plan_field(field)
    return (ARRAYS if check.array else SCALARS)[check.item.kind].go


_TAG_KEY = re.compile(r"[A-Za-z0-9_!#$%&()*+\-./:;<=>?@\[\]^{|}~ ]+")


def go_benchmark(environment: Environment, events: list[tuple[Event, EventVersion, GoEvent]]) -> GoBenchmark | None:
    """The event version with the most keys, and the struct a developer would hand-write for it."""
    # a hand-written struct of nested objects is the benchmark of benchmarks/, not of the langpack
    events = [t for t in events if not any(plan_field(u.field).object for u in t[1].fields)]
    if not events or any(plan_field(u.field).object for u in environment.common_fields):
        return None
    common = list(environment.common_fields)
    _, version, go = max(events, key=lambda item: len(environment.own_fields(item[1])))
    uses = {plan_field(u.field).key: u for u in [*common, *environment.own_fields(version)]}
    rows: list[tuple[str, ...]] = []
    envelope = {"event_id": "int64", "event_version": "int64", "source_id": "int64", "event_time_us": "int64", "event_uid": "string", "langpack": "string"}
    for key in sorted([*uses, *envelope], key=canonical_json.utf16_order):
        use = uses.get(key)
        name = naming.exported([w for w in (use.name if use else key).split("_") if w]) or "X"
        # encoding/json tags cannot spell every key: such a key is written under the field's name
        tag = key if _TAG_KEY.fullmatch(key) else use.name if use else key
        if use is None:
            rows.append((name, envelope[key], f'`json:"{tag}"`'))
        elif use.required:
            rows.append((name, _hand_written_type(use.field), f'`json:"{tag}"`'))
        else:
            rows.append((name, "*" + _hand_written_type(use.field), f'`json:"{tag},omitempty"`'))
    # hand-written names could clash (user_id, userid): number them, as a developer would have to
    seen: dict[str, int] = {}
    unique_rows: list[tuple[str, ...]] = []
    for name, kind, tag in rows:
        seen[name] = seen.get(name, 0) + 1
        unique_rows.append((name if seen[name] == 1 else f"{name}{seen[name]}", kind, tag))
    return GoBenchmark(go, pad_columns(unique_rows))


def _environment_doc(environment: Environment, package: str, version: str, split: bool = False) -> str:
    summary = f"Package {package} is the clickstream langpack of the environment {environment.name} (source id {environment.source_id}), version {version}."
    usage = (
        "Build an event with its constructor (the required fields are its arguments), set optional fields "
        "with its chainable setters, and send it with a [Client], which adds the environment's common fields. "
        "Invalid events are refused with a [*ValidationError] and never sent; the [HTTPSender] delivers "
        "events in batches from a background goroutine and never blocks the caller."
    )
    layout = (
        "The langpack is large, so its event types and the types of its runtime are declared in internal "
        "packages, which the Go compiler and go vet handle one at a time, and here as aliases: use them "
        "from this package, like everything else."
        if split
        else ""
    )
    return _paragraphs(_wrap(summary), environment.description, _wrap(usage), _wrap(layout) if layout else "")


# --- split langpacks -------------------------------------------------------------------
#
# The Go compiler and go vet hold a whole package in memory: a langpack of 1,200 events
# (2,279 versions, 44,000 functions in one package) takes 3.7 GB to build or vet, and
# splitting files inside the package changes nothing. So a langpack whose event versions
# weigh more than PACKAGE_WEIGHT gets the same API from several packages:
#
#   internal/core          the runtime: enums, objects, field checks, Common, the Event
#                          interface, ValidationError, the decoder (DecodeJSON's body)
#   internal/events_<w>    event types, a few hundred versions each (see package_plan)
#   the root package       the API users import, unchanged: Client and the senders as
#                          before; an alias for every type of the internal packages that
#                          belongs to the API (`type AdClickV1 = events_ad.AdClickV1`) and
#                          a function calling each of their constructors and functions
#                          that do; the enum constants; DecodeJSON with its table of the
#                          event versions
#
# Langpacks below the line are generated as one package, as they always were.

# The most weight (see event_weight) of event versions in one package. An event package
# of about this weight takes the compiler 20 s and 400 MB (the 1,200-event benchmark's
# langpack, 54,000 in all, in 11 packages: `go build` peaks at 500 MB, in its root
# package, whose cost grows with the number of event versions; `go vet` at 230 MB).
# Tests lower it to build small references in the split shape.
PACKAGE_WEIGHT = 6000


def event_weight(fields: int) -> int:
    """What an event version costs the Go compiler and go vet, counted in small functions:
    its dozen methods, and per field a getter (and a setter), a check, an encoder and a
    decoder step."""
    return 12 + 2 * fields


@dataclass(frozen=True)
class GoPackage:
    """An event package of a split langpack: internal/<name>."""

    name: str
    import_path: str
    doc: str
    events: list[GoEvent]


def package_plan(environment: Environment, limit: int) -> list[list[tuple[Event, EventVersion]]] | None:
    """The event versions of each event package, or None when the langpack stays one package.

    Events are taken in name order, in families (the first word of the name: ad_click and
    ad_view are the family `ad`); a package holds whole families while it stays under an
    even share of the weight (at most `limit`), and a family heavier than that share is
    cut into several packages, between events (the versions of an event stay together:
    DecodeJSON finds an event's package by its id). So a new event moves few others, and
    the packages are of about the same size. Internal packages are not API: the types
    may move between them from one langpack version to the next.
    """
    versions = sorted(((e, v) for e in environment.events for v in e.versions), key=lambda ev: (ev[0].name, ev[1].number))
    weights = {(e.name, v.number): event_weight(len(environment.own_fields(v))) for e, v in versions}
    total = sum(weights.values())
    if total <= limit:
        return None
    share = -(-total // -(-total // limit))  # ceil(total / number of packages)
    families: list[list[list[tuple[Event, EventVersion]]]] = []  # family -> event -> versions
    for item in versions:
        if families and families[-1][-1][0][0] is item[0]:
            families[-1][-1].append(item)
        elif families and families[-1][0][0][0].name.split("_")[0] == item[0].name.split("_")[0]:
            families[-1].append([item])
        else:
            families.append([[item]])
    packages: list[list[tuple[Event, EventVersion]]] = []
    current: list[tuple[Event, EventVersion]] = []
    weight = 0

    def add(items: list[tuple[Event, EventVersion]]) -> None:
        nonlocal current, weight
        items_weight = sum(weights[(e.name, v.number)] for e, v in items)
        if current and weight + items_weight > share:
            packages.append(current)
            current, weight = [], 0
        current += items
        weight += items_weight

    for family in families:
        if sum(weights[(e.name, v.number)] for event in family for e, v in event) <= share:
            add([item for event in family for item in event])
        else:  # a family heavier than a package: cut it between events
            for event in family:
                add(event)
    if current:
        packages.append(current)
    return packages


def package_names(groups: list[list[tuple[Event, EventVersion]]]) -> list[str]:
    """events_<family of the first event>, numbered when a family spans packages. Event
    names are [a-z][a-z0-9_]*, so the names are identifiers that no generated parameter
    (lowerCamel, no inner underscore) or root package identifier can shadow."""
    names: list[str] = []
    for group in groups:
        name = "events_" + group[0][0].name.split("_")[0]
        candidate, n = name, 1
        while candidate in names:
            n += 1
            candidate = f"{name}_{n}"
        names.append(candidate)
    return names


def _event_package_doc(name: str, module: str, environment: Environment, events: list[GoEvent]) -> str:
    first, last = events[0], events[-1]
    span = f"type {first.type_name}" if first is last else f"types {first.type_name} to {last.type_name}"
    return _paragraphs(
        _wrap(f"Package {name} declares the event {span} of the langpack {module} (environment {environment.name})."),
        _wrap(
            f"It is internal: programs use these types through {module}, which declares each of them "
            "as an alias, with a constructor of the same name. A large langpack spreads its event types "
            "over several packages, so that the Go compiler and go vet never hold all of them at once."
        ),
    )


def _core_doc(module: str, environment: Environment) -> str:
    return _paragraphs(
        _wrap(f"Package core is the runtime of the langpack {module} (environment {environment.name}): enums, objects, field checks, the common fields, the Event interface and the decoder of lines."),
        _wrap(
            f"It is internal: programs use {module}, which declares an alias for each exported type "
            "and a function calling each exported function that is part of its API. Names that only the "
            "langpack's own packages use are exported too."
        ),
    )


class GoTarget:
    """The Go langpack of an environment. `module` overrides the import path of its root
    package (the collector vendors langpacks into its own module)."""

    language = "go"

    def __init__(self, module: str | None = None) -> None:
        self.module = module

    @property
    def generations(self) -> tuple[int, ...]:
        return render.available_generations("go")

    def generate(self, request: GenerateRequest) -> list[OutputFile]:
        reference, environment = request.reference, request.environment
        settings = reference.settings
        package = naming.package(environment.name)
        module = self.module or naming.module(settings.go_module_prefix, environment.name)
        groups = package_plan(environment, PACKAGE_WEIGHT)
        split = groups is not None
        runtime_scope = CORE if split else ONE_PACKAGE
        package_of: dict[tuple[str, int], str] = {}
        names = package_names(groups) if groups else []
        for name, group in zip(names, groups or []):
            package_of.update({(e.name, v.number): name for e, v in group})
        triples = [
            (e, v, go_event(environment, e, v, request.version, OUTSIDE_CORE if split else ONE_PACKAGE, package_of.get((e.name, v.number), "")))
            for e in environment.events
            for v in e.versions
        ]
        events = [t[2] for t in triples]
        common = go_common(environment, runtime_scope)
        checks = [c for c in (go_check(f, runtime_scope) for f in environment.used_fields().values()) if c is not None]
        plans = [plan_field(f) for f in environment.used_fields().values()]  # every check and wire key comes from these
        header = f"Code generated by clickgen {request.clickgen_version} from the reference {settings.name!r}. DO NOT EDIT."
        example_event = next((e for e in events if not e.deprecated), events[0] if events else None)
        core_import = f"{module}/internal/core"
        context: dict[str, Any] = {
            "header": header,
            "package": package,
            "langpack_package": package,
            "module": module,
            "version": request.version,
            "environment": environment.name,
            "source_id": environment.source_id,
            "collector": environment.collector,
            "reference_name": settings.name,
            "package_doc": _environment_doc(environment, package, request.version, split),
            "deprecated_environment": _deprecation(environment.deprecated, "environment"),
            "events": events,
            "event_ids": [(e.name, e.id) for e in environment.events],
            "example_event": example_event,
            "enums": go_enums(environment),
            "objects": go_objects(environment, runtime_scope),
            "object_of": [(c.name, c.object.name) for c in plans if c.object is not None],
            "object_checks": [go_object_check(f, runtime_scope) for f in environment.used_fields().values() if plan_field(f).object is not None],
            "common": common,
            "common_slots": len(environment.common_fields),
            "checks": checks,
            "patterns": [c for c in checks if c.pattern],
            "wire_keys": [(c.name, c.key) for c in plans if c.key != c.name],
            "formats": used_formats(environment),
            "format_helpers": sorted(set().union(*(_SCANNER_HELPERS.get(name, set()) for name in formats_of(environment)))),
            "format_patterns": [f for f in used_formats(environment) if not f.scanned],
            "format_imports": _format_imports(formats_of(environment)),
            "max_hostname": formats.MAX_HOSTNAME,
            "max_local_part": formats.MAX_LOCAL_PART,
            "max_domain": formats.MAX_DOMAIN,
            "benchmark": go_benchmark(environment, triples),
            "split": split,
            "rt": (OUTSIDE_CORE if split else ONE_PACKAGE).runtime(),
            "core_import": core_import if split else "",
            "event_interface": True,
        }
        files: list[tuple[str, str, dict[str, Any]]] = [
            ("go.mod", "go.mod.j2", {}),
            ("README.md", "README.md.j2", {}),
            ("doc.go", "doc.go.j2", {}),
            ("client.go", "client.go.j2", {}),
            ("senders.go", "senders.go.j2", {}),
            ("spool.go", "spool.go.j2", {}),
            ("spool_flock.go", "spool_flock.go.j2", {}),
            ("spool_nolock.go", "spool_nolock.go.j2", {}),
            ("decode_test.go", "decode_test.go.j2", {}),
            ("vectors_test.go", "vectors_test.go.j2", {}),
            ("senders_test.go", "senders_test.go.j2", {}),
            ("bench_test.go", "bench_test.go.j2", {}),
            ("testdata/go.mod", "testdata.go.mod.j2", {}),
        ]
        # the runtime: the langpack's own package, or internal/core
        runtime_files = [
            ("runtime.go", "runtime.go.j2"),
            ("enums.go", "enums.go.j2"),
            ("fields.go", "fields.go.j2"),
            *([("objects.go", "objects.go.j2")] if environment.object_fields() else []),
            *([("formats.go", "formats.go.j2")] if context["formats"] else []),
            ("common.go", "common.go.j2"),
            ("canonical_test.go", "canonical_test.go.j2"),
        ]
        if not split:
            files += [(path, template, {}) for path, template in runtime_files]
            files += [("events.go", "events.go.j2", {}), ("decode.go", "decode.go.j2", {})]
        else:
            assert groups is not None
            core = {"package": "core", "rt": CORE.runtime(), "events": [], "package_doc": _core_doc(module, environment), "constants": True}
            files += [(f"internal/core/{path}", template, core) for path, template in runtime_files]
            files += [
                ("internal/core/doc.go", "internal_doc.go.j2", core),
                ("internal/core/event.go", "events.go.j2", {**core, "core_import": ""}),
                ("internal/core/decode.go", "decode.go.j2", core),
            ]
            packages = []
            for name, group in zip(names, groups):
                members = {(e.name, v.number) for e, v in group}
                own = sorted((t[2] for t in triples if (t[0].name, t[1].number) in members), key=lambda g: (g.event_name, g.version))
                packages.append(GoPackage(name, f"{module}/internal/{name}", _event_package_doc(name, module, environment, own), own))
            for p in packages:
                family = {"package": p.name, "events": p.events, "event_interface": False, "package_doc": p.doc, "constants": False}
                files += [
                    (f"internal/{p.name}/doc.go", "internal_doc.go.j2", family),
                    (f"internal/{p.name}/events.go", "events.go.j2", family),
                    (f"internal/{p.name}/decode.go", "event_decode.go.j2", family),
                ]
            package_of_event = {e.name: package_of[(e.name, e.versions[0].number)] for e in environment.events if e.versions}
            event_packages = sorted({(e.id, package_of_event[e.name]) for e in environment.events if e.versions})
            facade = {"packages": sorted(packages, key=lambda p: p.import_path), "event_packages": event_packages}
            files += [
                ("runtime.go", "facade_runtime.go.j2", facade),
                *([("enums.go", "facade_enums.go.j2", facade)] if context["enums"] else []),
                *([("objects.go", "facade_objects.go.j2", facade)] if context["objects"] else []),
                ("common.go", "facade_common.go.j2", facade),
                ("events.go", "facade_events.go.j2", facade),
                ("decode.go", "facade_decode.go.j2", facade),
            ]
        out = [OutputFile(path, render.render("go", request.generation, template, FILTERS, **{**context, **extra}).encode("utf-8")) for path, template, extra in files]
        out.append(OutputFile("testdata/vectors.json", request.vectors_json))
        return sorted(out, key=lambda f: f.path)
