"""Stage 4a, semantic rules of one revision: IR -> diagnostics.

Each rule is a function `(Reference) -> Iterable[Diagnostic]` registered in `RULES`
under its code. Rules that need to know what a target language makes of a name ask
that target's naming module, so a collision is found before any code is generated.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections import Counter, defaultdict
from pathlib import PurePosixPath
from typing import Callable, Iterable, Iterator

from clickgen.checkplan import as_double, plan_field
from clickgen import iregexp
from clickgen.diagnostics import Diagnostic, Span, diag, printable
from clickgen.ir import ENVELOPE_KEYS, INT64_MAX, INT64_MIN, MAX_OBJECT_DEPTH, Environment, Field, FieldType, FieldUse, Reference, fields_within
from clickgen.targets.go import naming as go_naming
from clickgen.targets.php import naming as php_naming
from clickgen.targets.python import naming as python_naming
from clickgen.yamlread import value_columns

Rule = Callable[[Reference], Iterable[Diagnostic]]
RULES: dict[str, Rule] = {}


def rule(code: str) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        RULES[code] = function
        return function

    return register


def check_semantics(reference: Reference) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for function in RULES.values():
        diagnostics.extend(function(reference))
    return diagnostics


def _field_span(field: Field, attribute: str) -> Span:
    return field.spans.get(attribute, field.span)


@rule("CG0209")
def envelope_keys(reference: Reference) -> Iterator[Diagnostic]:
    for field in reference.fields.values():
        if field.name in ENVELOPE_KEYS and field.key is None:
            yield diag(
                "CG0209",
                f"field `{field.name}` has the name of an envelope key that every event already carries",
                field.span,
                f"choose another name, or another wire key with `key:`; envelope keys are {', '.join(ENVELOPE_KEYS)}",
            )
        elif field.wire_key in ENVELOPE_KEYS:
            yield diag(
                "CG0209",
                f"field `{field.name}` has the wire key `{field.wire_key}` of an envelope key that every event already carries",
                _field_span(field, "key"),
                f"choose another key; envelope keys are {', '.join(ENVELOPE_KEYS)}",
            )


@rule("CG0224")
def duplicate_wire_keys(reference: Reference) -> Iterator[Diagnostic]:
    """One event version with its environment's common fields never holds a key twice."""
    shared = {key for key, count in Counter(f.wire_key for f in reference.fields.values()).items() if count > 1}
    if not shared:
        return
    reported: set[tuple[str, str, str]] = set()
    for event in reference.events.values():
        for env_name in event.environments:
            environment = reference.environments.get(env_name)
            common = environment.common_fields if environment is not None else ()
            for version in event.versions:
                seen: dict[str, FieldUse] = {}
                for use in (*common, *version.fields):
                    key = use.field.wire_key
                    first = seen.setdefault(key, use)
                    if first is use or first.name == use.name or key not in shared:
                        continue
                    pair = (first.name, use.name, key)
                    if pair in reported:
                        continue
                    reported.add(pair)
                    where = f"`{event.name}` version {version.number}" + (f" with the common fields of `{env_name}`" if first in common else "")
                    yield diag(
                        "CG0224",
                        f"fields `{first.name}` and `{use.name}` both have the wire key `{key}` in {where}",
                        use.span,
                        "one event carries a key once: use one of the two fields, or give one another `key:`",
                        first.span,
                    )
    for field in reference.fields.values():
        seen = {}
        for use in field.properties:
            first = seen.setdefault(use.field.wire_key, use)
            if first is not use:
                yield diag(
                    "CG0224",
                    f"members `{first.name}` and `{use.name}` both have the wire key `{use.field.wire_key}` in object `{field.name}`",
                    use.span,
                    "one object holds a key once: use one of the two fields, or give one another `key:`",
                    first.span,
                )


# --- name collisions after conversion to each target language -------------------

def _collisions(named: Iterable[tuple[str, Span, str]]) -> Iterator[tuple[str, Span, str, Span, str]]:
    """(identifier, span, origin) triples -> pairs that share an identifier.

    A pair of origins is reported once, at its first shared identifier: `user_id` and
    `user__id` share a getter, a setter and a property, but that is one problem.
    """
    first: dict[str, tuple[Span, str]] = {}
    reported: set[tuple[str, str]] = set()
    for identifier, span, origin in named:
        if identifier in first and first[identifier][1] != origin:
            if (origin, first[identifier][1]) not in reported:
                reported.add((origin, first[identifier][1]))
                yield identifier, span, origin, first[identifier][0], first[identifier][1]
        else:
            first.setdefault(identifier, (span, origin))


@lru_cache(maxsize=None)
def _event_identifiers(event: str, version: int) -> tuple[tuple[str, str], ...]:
    go_type = go_naming.event_type(event, version)
    return (
        ("Python", python_naming.event_class(event, version)),
        ("Go", go_type),
        ("Go", "New" + go_type),
        ("PHP", php_naming.event_class(event, version).lower()),
    )


def _package_names(environment: Environment, reference: Reference) -> dict[str, list[tuple[str, Span, str]]]:
    """Per language, the package-level names one environment's langpack defines."""
    names: dict[str, list[tuple[str, Span, str]]] = defaultdict(list)
    for event in environment.events:
        for version in event.versions:
            label = f"event `{event.name}` version {version.number}"
            for language, identifier in _event_identifiers(event.name, version.number):
                names[language].append((identifier, version.span, label))
    for name, field in environment.used_fields().items():
        if field.enum is not None:
            for language, identifier, label in _enum_identifiers(name, field.enum):
                names[language].append((identifier, field.span, label))
        if field.type is FieldType.OBJECT:
            for language, identifier, label in _object_identifiers(name):
                names[language].append((identifier, field.span, label))
    return names


@lru_cache(maxsize=None)
def _object_identifiers(name: str) -> tuple[tuple[str, str, str], ...]:
    label = f"the object type of field `{name}`"
    go_type = go_naming.object_type(name)
    return (
        ("Python", python_naming.object_class(name), label),
        ("Go", go_type, label),
        ("Go", "New" + go_type, label),
        ("PHP", php_naming.object_class(name).lower(), label),
    )


@lru_cache(maxsize=None)
def _enum_identifiers(name: str, values: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    label = f"the enum type of field `{name}`"
    out = [
        ("Python", python_naming.enum_class(name), label),
        ("Go", go_naming.enum_type(name), label),
        ("PHP", php_naming.enum_class(name).lower(), label),
    ]
    constants: dict[str, str] = {}  # values of one enum that share a constant are CG0211's to report
    for value in values:
        constants.setdefault(go_naming.enum_constant(name, value), value)
    for constant, value in constants.items():
        out.append(("Go", constant, f"enum value {value!r} of `{name}`"))
    return tuple(out)


@lru_cache(maxsize=None)
def _field_identifiers(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per language, the member identifiers one field produces (computed once per name)."""
    return tuple(
        (language, tuple(identifier for identifier, _ in module.event_members([name])))
        for language, module in (("Python", python_naming), ("Go", go_naming), ("PHP", php_naming))
    )


def _members(uses: Iterable[FieldUse]) -> dict[str, list[tuple[str, Span, str]]]:
    members: dict[str, list[tuple[str, Span, str]]] = defaultdict(list)
    for use in uses:
        origin = f"field `{use.name}`"
        for language, identifiers in _field_identifiers(use.name):
            for identifier in identifiers:
                members[language].append((identifier, use.span, origin))
    return members


def _suspect_fields(reference: Reference) -> frozenset[str]:
    """Fields that share some identifier with another field; only they can collide."""
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name in reference.fields:
        for language, identifiers in _field_identifiers(name):
            for identifier in identifiers:
                owners[(language, identifier)].add(name)
    return frozenset(name for names in owners.values() if len(names) > 1 for name in names)


def _package_names_may_collide(reference: Reference) -> bool:
    """Whether any two events or enum types share a name anywhere (else no langpack can)."""
    owners: dict[tuple[str, str], str] = {}
    for event in reference.events.values():
        for version in event.versions:
            origin = f"{event.name}@{version.number}"
            for language, identifier in _event_identifiers(event.name, version.number):
                if owners.setdefault((language, identifier), origin) != origin:
                    return True
    for name, field in reference.fields.items():
        if field.enum:
            for language, identifier, label in _enum_identifiers(name, field.enum):
                if owners.setdefault((language, identifier), label) != label:
                    return True
        if field.type is FieldType.OBJECT:
            for language, identifier, label in _object_identifiers(name):
                if owners.setdefault((language, identifier), label) != label:
                    return True
    return False


_RENAME_NEWER = "rename the newer one so that the names stay distinct after case conversion"
_DISTINCT_FIELDS = "use field names that stay distinct after case conversion"


def _collision_diagnostics(
    named_by_language: dict[str, list[tuple[str, Span, str]]],
    message: Callable[[str, str, str, str], str],
    hint: str,
    languages: set[str] | None = None,
) -> Iterator[Diagnostic]:
    """CG0210 for every pair sharing an identifier; message(language, identifier, origin, first_origin)."""
    for language, named in named_by_language.items():
        if languages is not None and language.lower() not in languages:
            continue  # a collision in a language that is not built harms nobody
        for identifier, span, origin, first_span, first_origin in _collisions(named):
            yield diag("CG0210", message(language, identifier, origin, first_origin), span, hint, first_span)


@rule("CG0210")
def name_collisions(reference: Reference) -> Iterator[Diagnostic]:
    check_packages = _package_names_may_collide(reference)
    for environment in reference.environments.values():
        name, built = environment.name, set(environment.langpacks)
        if check_packages:
            yield from _collision_diagnostics(
                _package_names(environment, reference),
                lambda language, identifier, origin, first: f"in the {language} langpack of `{name}`, {origin} and {first} both become `{identifier}`",
                _RENAME_NEWER,
                built,
            )
        yield from _collision_diagnostics(
            _members(environment.common_fields),
            lambda language, identifier, origin, first: f"common fields of `{name}`: {origin} and {first} both become `{identifier}` in {language}",
            _DISTINCT_FIELDS,
            built,
        )
    suspects = _suspect_fields(reference)
    for field in reference.fields.values():
        if sum(use.name in suspects for use in field.properties) >= 2:
            label = f"object `{field.name}`"
            yield from _collision_diagnostics(
                _members(field.properties),
                lambda language, identifier, origin, first: f"{label}: {origin} and {first} both become `{identifier}` in {language}",
                _DISTINCT_FIELDS,
            )
    for event in reference.events.values():
        for version in event.versions:
            if sum(use.name in suspects for use in version.fields) < 2:
                continue
            label = f"`{event.name}` version {version.number}"
            yield from _collision_diagnostics(
                _members(version.fields),
                lambda language, identifier, origin, first: f"{label}: {origin} and {first} both become `{identifier}` in {language}",
                _DISTINCT_FIELDS,
            )


@rule("CG0211")
def enum_constant_collisions(reference: Reference) -> Iterator[Diagnostic]:
    for field in reference.fields.values():
        if not field.enum:
            continue
        converters = (
            ("Python", python_naming.enum_constant),
            ("Go", lambda v, f=field.name: go_naming.enum_constant(f, v)),
            ("PHP", php_naming.enum_case),
        )
        reported: set[int] = set()
        for language, convert in converters:
            seen: dict[str, int] = {}
            for i, value in enumerate(field.enum):
                constant = convert(value)
                j = seen.get(constant)
                if j is not None and field.enum[j] != value and i not in reported:
                    reported.add(i)
                    yield diag(
                        "CG0211",
                        f"enum values {field.enum[j]!r} and {value!r} of `{field.name}` both become the constant `{constant}` in {language}",
                        _field_span(field, f"enum.{i}"),
                        "use enum values that differ in letters or digits, not only in punctuation or case",
                        _field_span(field, f"enum.{j}"),
                    )
                seen.setdefault(constant, i)


@rule("CG0212")
def common_field_conflicts(reference: Reference) -> Iterator[Diagnostic]:
    for event in reference.events.values():
        for env_name in event.environments:
            environment = reference.environments.get(env_name)
            if environment is None:
                continue
            common = {use.name: use for use in environment.common_fields}
            for version in event.versions:
                for use in version.fields:
                    shared = common.get(use.name)
                    if shared is not None and shared.required != use.required:
                        said = "required" if use.required else "optional"
                        other = "required" if shared.required else "optional"
                        yield diag(
                            "CG0212",
                            f"`{event.name}` version {version.number} lists `{use.name}` as {said}, but it is {'a' if shared.required else 'an'} {other} common field of `{env_name}`",
                            use.span,
                            f"remove `{use.name}` from the event (the environment sends it with every event) or make it {other}",
                            shared.span,
                        )


@rule("CG0213")
def unknown_replacements(reference: Reference) -> Iterator[Diagnostic]:
    kinds = (
        ("event", reference.events, reference.events),
        ("field", reference.fields, reference.fields),
        ("environment", reference.environments, reference.environments),
    )
    for kind, entities, targets in kinds:
        for name, entity in entities.items():
            deprecation = entity.deprecated
            if deprecation is None or deprecation.replaced_by is None:
                continue
            target = deprecation.replaced_by
            if target == name:
                yield diag("CG0213", f"{kind} `{name}` is replaced by itself", deprecation.span, f"name the {kind} that replaces it, or drop replaced_by")
            elif target not in targets:
                yield diag(
                    "CG0213",
                    f"{kind} `{name}` is replaced by `{printable(target)}`, which is not a defined {kind}",
                    deprecation.span,
                    f"name an existing {kind} in replaced_by",
                )


@rule("CG0214")
def duplicate_enum_values(reference: Reference) -> Iterator[Diagnostic]:
    for field in reference.fields.values():
        seen: dict[str, int] = {}
        for i, value in enumerate(field.enum or ()):
            if value in seen:
                yield diag(
                    "CG0214",
                    f"enum of `{field.name}` lists {value!r} twice",
                    _field_span(field, f"enum.{i}"),
                    "remove the repeated value",
                    _field_span(field, f"enum.{seen[value]}"),
                )
            seen.setdefault(value, i)


@rule("CG0215")
def empty_ranges(reference: Reference) -> Iterator[Diagnostic]:
    pairs = (("minimum", "maximum"), ("min_length", "max_length"), ("min_items", "max_items"))
    for field in reference.fields.values():
        for low_name, high_name in pairs:
            low, high = getattr(field, low_name), getattr(field, high_name)
            if low is not None and high is not None and low > high:
                yield diag(
                    "CG0215",
                    f"`{field.name}` has {low_name} {low} greater than {high_name} {high}: no value can be valid",
                    _field_span(field, low_name),
                    f"make {low_name} at most {high_name}",
                )


# What clickgen took for a portable pattern before patterns were I-Regexp: a released
# pattern a CG0216 waiver keeps as written must at least pass this (clickgen/iregexp.py,
# AsWritten).
_NOT_PORTABLE = (
    (re.compile(r"\(\?<?[=!]"), "lookaround assertions are not supported by Go's regexp (RE2)"),
    (re.compile(r"\\[1-9]|\(\?P="), "backreferences are not supported by Go's regexp (RE2)"),
    (re.compile(r"\(\?>"), "atomic groups are not supported by Go's regexp (RE2)"),
    (re.compile(r"\(\?\("), "conditionals are not supported by Go's regexp (RE2)"),
    (re.compile(r"\(\?#"), "inline comments are not supported by Go's regexp (RE2)"),
    (re.compile(r"[*+?}]\+"), "possessive quantifiers are not supported by Python's re or Go's regexp"),
    (re.compile(r"\\Z"), "\\Z means different things in Python, Go and PHP; patterns match the whole value anyway"),
    (re.compile(r"\(\?[a-zA-Z-]*[aLux]"), "this inline flag is not portable; only (?i), (?m) and (?s) are"),
)


def legacy_pattern_problem(pattern: str) -> str | None:
    """Why a pattern could not even have been released before patterns were I-Regexp."""
    try:
        re.compile(pattern, re.ASCII)  # as contract.compiled_pattern compiled it then
    except (re.error, ValueError) as e:  # ValueError: (?u) and re.ASCII together
        return f"it does not compile: {e}"
    unescaped = re.sub(r"\\\\", "", pattern)
    for regexp, reason in _NOT_PORTABLE:
        if regexp.search(unescaped):
            return reason
    return None


def _pattern_waived(reference: Reference, field: Field) -> bool:
    """A released pattern kept as written under a waiver until the field is retired."""
    entity = f"field:{field.name}"
    waived = any(w.rule == "CG0216" and w.entity == entity for w in reference.settings.waivers)
    return waived and field.pattern is not None and legacy_pattern_problem(field.pattern) is None


@rule("CG0216")
def invalid_patterns(reference: Reference) -> Iterator[Diagnostic]:
    for field in reference.fields.values():
        if field.pattern is None:
            continue
        error = iregexp.parse(field.pattern)
        if isinstance(error, iregexp.Pattern) or _pattern_waived(reference, field):
            continue
        span = _field_span(field, "pattern")
        columns = value_columns(field.sources.get("pattern"), field.pattern)
        where = ""
        if columns is not None and error.offset < len(columns):
            span = Span(span.path, span.line, span.col + columns[error.offset])  # the character itself
        else:
            where = f" at character {error.column} of the pattern"
        yield diag(
            "CG0216",
            f"pattern of `{field.name}` is not I-Regexp: {printable(error.construct)}{where}: {error.message}",
            span,
            f"{printable(error.fix)}; a pattern is I-Regexp (RFC 9485) and always matches the whole value (docs/patterns.md)",
        )


_APPLIES_TO = {
    "enum": {FieldType.STRING},
    "minimum": {FieldType.INTEGER, FieldType.NUMBER},
    "maximum": {FieldType.INTEGER, FieldType.NUMBER},
    "min_length": {FieldType.STRING},
    "max_length": {FieldType.STRING},
    "pattern": {FieldType.STRING},
    "format": {FieldType.STRING},
}


@rule("CG0217")
def constraints_not_applicable(reference: Reference) -> Iterator[Diagnostic]:
    for field in reference.fields.values():
        kind = field.element_type
        for constraint, types in _APPLIES_TO.items():
            if getattr(field, constraint) is not None and kind not in types:
                of = f"arrays of {kind.value}" if field.type is FieldType.ARRAY else f"{kind.value} fields"
                yield diag(
                    "CG0217",
                    f"`{constraint}` does not apply to {of} (`{field.name}`)",
                    _field_span(field, constraint),
                    f"remove `{constraint}`; it applies to {' and '.join(sorted(t.value for t in types))} values",
                )
        if "properties" in field.spans and field.type is not FieldType.OBJECT:
            yield diag(
                "CG0217",
                f"`properties` applies only to object fields, and `{field.name}` is a{'n' * (field.type is FieldType.INTEGER or field.type is FieldType.ARRAY)} {field.type.value}",
                _field_span(field, "properties"),
                "remove `properties`, or make the field `type: object`",
            )
        for constraint in ("items", "min_items", "max_items"):
            if getattr(field, constraint) is not None and field.type is not FieldType.ARRAY:
                yield diag(
                    "CG0217",
                    f"`{constraint}` applies only to array fields, and `{field.name}` is a {field.type.value}",
                    _field_span(field, constraint),
                    f"remove `{constraint}` or make the field an array",
                )
        if kind is FieldType.INTEGER:
            for constraint in ("minimum", "maximum"):
                limit = getattr(field, constraint)
                if isinstance(limit, float) and not limit.is_integer():
                    yield diag(
                        "CG0217",
                        f"{constraint} {limit} of integer field `{field.name}` is not an integer",
                        _field_span(field, constraint),
                        "use an integer limit",
                    )


@rule("CG0218")
def array_items(reference: Reference) -> Iterator[Diagnostic]:
    for field in reference.fields.values():
        if field.type is FieldType.ARRAY and field.items is None:
            yield diag("CG0218", f"array field `{field.name}` does not say the type of its items", field.span, "add `items: string` (or integer, number, boolean)")


def _unusable_pattern(reference: Reference, field: Field) -> bool:
    return field.pattern is not None and isinstance(iregexp.parse(field.pattern), iregexp.PatternError) and not _pattern_waived(reference, field)


@rule("CG0219")
def invalid_examples(reference: Reference) -> Iterator[Diagnostic]:
    for field in reference.fields.values():
        if field.type is FieldType.ARRAY and field.items is None:
            continue
        if field.items is FieldType.OBJECT and field.item_object is None:
            continue  # the items are reported (unknown, not an object, or a cycle)
        if not field.examples:
            continue
        judged = fields_within(field).values() if field.object_field is not None else (field,)
        if any(_unusable_pattern(reference, f) for f in judged):
            continue  # CG0216 reports the pattern; examples cannot be checked against it
        if any(f.items is FieldType.OBJECT and f.item_object is None for f in judged):
            continue
        plan = plan_field(field)
        for i, example in enumerate(field.examples):
            problem = plan.problem(example)
            if problem:
                what = f"it {problem.reason}" if problem.path == field.name else str(problem)
                yield diag(
                    "CG0219",
                    f"example {example!r} of `{field.name}` is not a valid value: {what}",
                    _field_span(field, f"examples.{i}"),
                    "fix the example or the field's constraints",
                )


@rule("CG0220")
def file_names(reference: Reference) -> Iterator[Diagnostic]:
    for event in reference.events.values():
        stem = PurePosixPath(event.path).stem
        if stem != event.name:
            yield diag("CG0220", f"event `{event.name}` is defined in a file named `{stem}`", event.span, f"rename the file to {event.name}.yaml")


@rule("CG0221")
def environments_without_langpacks(reference: Reference) -> Iterator[Diagnostic]:
    for environment in reference.environments.values():
        if not environment.langpacks:
            yield diag(
                "CG0221",
                f"environment `{environment.name}` lists no langpacks, so nothing is generated for it",
                environment.spans.get("langpacks", environment.span),
                "list the languages its services use, e.g. [python, go]",
            )


@rule("CG0222")
def deprecated_uses(reference: Reference) -> Iterator[Diagnostic]:
    for event in reference.events.values():
        if event.deprecated is not None:
            continue
        latest = event.latest
        for use in latest.fields:
            if use.field.deprecated is not None:
                instead = f"; use `{printable(use.field.deprecated.replaced_by)}`" if use.field.deprecated.replaced_by else ""
                yield diag(
                    "CG0222",
                    f"the latest version of `{event.name}` uses the deprecated field `{use.name}`{instead}",
                    use.span,
                    "add a new version without the deprecated field",
                )


@rule("CG0223")
def integer_limits(reference: Reference) -> Iterator[Diagnostic]:
    for field in reference.fields.values():
        for constraint in ("minimum", "maximum"):
            limit = getattr(field, constraint)
            if limit is None:
                continue
            if field.element_type is FieldType.INTEGER and not INT64_MIN <= limit <= INT64_MAX:
                yield diag(
                    "CG0223",
                    f"{constraint} {limit} of `{field.name}` lies outside the 64-bit integer range every langpack uses",
                    _field_span(field, constraint),
                    f"keep limits between {INT64_MIN} and {INT64_MAX}",
                )
            elif field.element_type is FieldType.NUMBER and as_double(limit) is None:
                yield diag(
                    "CG0223",
                    f"{constraint} {limit} of `{field.name}` is beyond the largest double, and a number field holds a double",
                    _field_span(field, constraint),
                    "keep number limits within ±1.7976931348623157e+308",
                )


def object_depth(field: Field) -> int:
    """How many objects nest in a value of the field: 0 for a scalar, 1 for flat members."""
    target = field.object_field
    if target is None:
        return 0
    return 1 + max((object_depth(use.field) for use in target.properties), default=0)


def _nesting_path(field: Field) -> list[str]:
    """The names along the deepest chain of objects in the field's value."""
    target = field.object_field
    if target is None:
        return []
    deepest = max(target.properties, key=lambda use: object_depth(use.field), default=None)
    below = _nesting_path(deepest.field) if deepest is not None and object_depth(deepest.field) else []
    return [field.name, *below]


@rule("CG0226")
def object_depths(reference: Reference) -> Iterator[Diagnostic]:
    """Objects nest at most MAX_OBJECT_DEPTH deep; reported where the limit is first passed."""
    for field in reference.fields.values():
        if field.type is not FieldType.OBJECT or object_depth(field) <= MAX_OBJECT_DEPTH:
            continue
        if any(object_depth(use.field) > MAX_OBJECT_DEPTH for use in field.properties):
            continue  # a member is too deep itself: reported there
        path = _nesting_path(field)
        yield diag(
            "CG0226",
            f"object `{field.name}` nests {len(path)} objects deep ({' > '.join(path)}); at most {MAX_OBJECT_DEPTH} are allowed",
            field.span,
            "flatten one level: move the innermost object's members into its parent, or drop a level",
        )
