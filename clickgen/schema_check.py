"""Stage 2, check schema: raw documents -> diagnostics mapped back to file positions.

Input: `LoadedReference`. Output: diagnostics, and the set of document parts that
failed (so the resolver skips them instead of reporting follow-up errors). The
schemas are the JSON Schema files in the project's `schema/` folder.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterator

from clickgen import resources
from clickgen.diagnostics import Diagnostic, Span, diag
from clickgen.load import SETTINGS_FILE, Document, Kind, LoadedReference
from clickgen.yamlread import PosDict, PosList

SCHEMA_FILES = {
    Kind.SETTINGS: "settings.json",
    Kind.FIELDS: "fields.json",
    Kind.ENVIRONMENT: "environment.json",
    Kind.EVENT: "event.json",
}

_YAML_TYPES = {"object": "mapping", "array": "list", "null": "nothing (null)"}


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    return json.loads(resources.read_text("schema", name))


@lru_cache(maxsize=None)
def validator_for(kind: Kind) -> Any:
    """The complete validator (jsonschema): every error, with its path, for messages."""
    import jsonschema
    from referencing import Registry, Resource

    registry: Registry = Registry()
    for name in ("common.json", *SCHEMA_FILES.values()):
        schema = load_schema(name)
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    draft = jsonschema.Draft202012Validator
    validator_class = jsonschema.validators.extend(
        draft,
        validators={"pattern": _pattern},
        type_checker=draft.TYPE_CHECKER.redefine("integer", _is_integer),
    )
    return validator_class(load_schema(SCHEMA_FILES[kind]), registry=registry)


@lru_cache(maxsize=None)
def fast_validator_for(kind: Kind) -> Callable[[Any], Any]:
    """The quick yes/no validator (fastjsonschema compiles the schema to Python code).

    Most documents are valid; only those it refuses go through jsonschema, which is
    ~10x slower but reports every error with its path. Integers are checked strictly
    (1.0 is not an integer) to agree with `_is_integer`.
    """
    from fastjsonschema.draft04 import CodeGeneratorDraft04
    from fastjsonschema.draft2019 import CodeGeneratorDraft2019
    from fastjsonschema.ref_resolver import RefResolver

    class StrictIntegers(CodeGeneratorDraft2019):  # type: ignore[misc]
        generate_type = CodeGeneratorDraft04.generate_type

    schemas = {load_schema(n)["$id"]: load_schema(n) for n in ("common.json", *SCHEMA_FILES.values())}
    schema = load_schema(SCHEMA_FILES[kind])
    resolver = RefResolver.from_schema(schema, handlers={"https": schemas.__getitem__}, store={})
    generator = StrictIntegers(schema, resolver=resolver, use_formats=False, detailed_exceptions=False)
    state = generator.global_state
    exec(generator.func_code, state)
    return state[resolver.get_scope_name()]  # type: ignore[no-any-return]


def _passes_fast_check(kind: Kind, data: Any) -> bool:
    try:
        fast_validator_for(kind)(data)
    except Exception:  # a refusal, or anything unexpected: let jsonschema decide
        return False
    return True


def _is_integer(checker: Any, instance: Any) -> bool:
    # JSON Schema counts 1.0 as an integer; an id, a length or a generation written
    # 1.0 would reach the IR (and generated code) as a float
    return isinstance(instance, int) and not isinstance(instance, bool)


@lru_cache(maxsize=None)
def _anchored(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA-262, where `$` is the end of the text; in Python's re
    # it also matches before a final newline, so "user_id\n" passed `^[a-z][a-z0-9_]*$`
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    import jsonschema

    if validator.is_type(instance, "string") and not _anchored(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@dataclass
class SchemaResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # (path, top-level key or "") of document parts with schema errors
    failed: set[tuple[str, str]] = field(default_factory=set)

    def document_failed(self, path: str) -> bool:
        """Whether the document's structure is broken (metadata problems do not count)."""
        return (path, "") in self.failed

    def entry_failed(self, path: str, key: str) -> bool:
        return (path, key) in self.failed or (path, "") in self.failed


def check_schema(loaded: LoadedReference) -> SchemaResult:
    result = SchemaResult()
    for document in loaded.documents:
        if _passes_fast_check(document.kind, document.data):
            continue
        validator = validator_for(document.kind)
        for error in validator.iter_errors(document.data):
            for diagnostic in _to_diagnostics(document, error):
                result.diagnostics.append(diagnostic)
            result.failed.add((document.path, _failed_part(document, error)))
    return result


# Keys whose problems do not stop the rest of the document from being resolved.
METADATA_KEYS = frozenset({"description", "owner", "docs", "deprecated", "collector"})


def _failed_part(document: Document, error: Any) -> str:
    """The top-level key a schema error lies under ("" when it spoils the whole document).

    A field file's entries are independent, and a problem in an event's or
    environment's metadata leaves its structure usable, so resolution goes on.
    """
    path = [str(p) for p in error.absolute_path]
    fields_file = document.kind is Kind.FIELDS
    if _is_property_name_error(error) and not path:
        return str(error.instance) if fields_file else ""
    if path:
        top = path[0]
        if fields_file or top in METADATA_KEYS:
            return top
        # a bad field use (a misspelt requirement, an invalid name) leaves the rest usable
        if path[0] == "versions" and len(path) >= 3 and path[2] == "fields" and (len(path) >= 4 or _is_property_name_error(error)):
            return "+use"
        if path[0] == "versions" and len(path) >= 3 and path[2] in METADATA_KEYS:
            return "+metadata"
        if path[0] == "common_fields" and (len(path) >= 2 or _is_property_name_error(error)):
            return "+use"
        return ""
    if error.validator == "required" and _required_missing(error) in METADATA_KEYS:
        return _required_missing(error)
    if error.validator == "additionalProperties":
        return "+extra"  # unknown keys do not change what the known keys mean
    return ""


def _is_property_name_error(error: Any) -> bool:
    return "propertyNames" in error.schema_path


def locate(data: Any, path: list[Any], at_key: bool = False) -> tuple[int, int]:
    """The (line, col) of the value at `path`, or of its key when at_key is set."""
    node = data
    position = getattr(data, "start", (1, 1))
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, PosDict) and step in node:
            position = node.key_pos[step] if (last and at_key) else node.value_pos[step]
            node = node[step]
        elif isinstance(node, PosList) and isinstance(step, int) and step < len(node):
            position = node.item_pos[step]
            node = node[step]
        else:
            break
    return position


def _key_position(data: Any, path: list[Any]) -> tuple[int, int]:
    """Where a mapping is introduced: its key in the parent, or 1:1 for the root."""
    if not path:
        return (1, 1)
    return locate(data, path, at_key=True)


def _where(path: list[Any]) -> str:
    return ".".join(_key_text(p) for p in path)


def _key_text(key: Any) -> str:
    """A key as written, or escaped when it holds a line break or another unprintable character."""
    text = str(key)
    return text if text.isprintable() else repr(text)


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, (dict, list)) else ""
    text = text.translate(_JSON_LINE_BREAKS)  # JSON leaves these unescaped; a message stays one line
    return text if len(text) <= 40 else text[:37] + "..."


_JSON_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _suggest(word: Any, options: list[str]) -> str:
    if not isinstance(word, str):
        return ""
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean `{match[0]}`?" if match else ""


def _to_diagnostics(document: Document, error: Any) -> Iterator[Diagnostic]:
    data = document.data
    path = list(error.absolute_path)
    file = document.path
    keyword = error.validator
    where = f" in `{_where(path)}`" if path else ""

    def span(position: tuple[int, int]) -> Span:
        return Span(file, *position)

    if keyword == "required":
        missing = _required_missing(error)
        yield diag(
            "CG0101",
            f"missing required key `{missing}`{where}",
            span(_key_position(data, path)),
            _missing_hint(document.kind, missing, path),
        )
    elif keyword == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        instance = error.instance if isinstance(error.instance, dict) else {}
        extras = [k for k in instance if k not in allowed]
        for key in extras:
            suggestion = _suggest(key, allowed)
            allowed_text = ", ".join(allowed)
            yield diag(
                "CG0102",
                f"unknown key `{_key_text(key)}`{where}",
                span(locate(data, path + [key], at_key=True)),
                suggestion or f"allowed keys here: {allowed_text}",
            )
    elif keyword == "propertyNames" or _is_property_name_error(error):
        name = error.instance
        position = locate(data, path + [name], at_key=True)
        yield _name_diagnostic(span(position), name, path, error)
    elif keyword == "type":
        expected = error.validator_value
        expected_list = expected if isinstance(expected, list) else [expected]
        expected_text = " or ".join(_YAML_TYPES.get(t, t) for t in expected_list)
        position = locate(data, path)
        hint = f"write {'an' if expected_text[0] in 'aeiou' else 'a'} {expected_text} here"
        if isinstance(error.instance, bool) and position in document.bool_scalars:
            hint = "YAML reads unquoted yes/no/on/off as booleans: put the value in quotes"
        elif error.instance is None:
            hint = f"give a value; an empty value is read as null. Expected {expected_text}"
        yield diag(
            "CG0103",
            f"expected {expected_text}, got {_type_name(error.instance)}{'' if error.instance is None else ' ' + _short(error.instance)}{where}".replace("  ", " "),
            span(position),
            hint,
        )
    elif keyword in ("enum", "const"):
        options = error.validator_value if keyword == "enum" else [error.validator_value]
        text_options = ", ".join(str(o) for o in options)
        yield diag(
            "CG0104",
            f"{_short(error.instance)} is not allowed{where}: expected one of {text_options}",
            span(locate(data, path)),
            _suggest(error.instance, [str(o) for o in options]) or f"use one of: {text_options}",
        )
    elif keyword == "pattern":
        last = path[-1] if path else ""
        if last in ("event", "name"):
            yield _name_diagnostic(span(locate(data, path)), error.instance, [], error)
        elif len(path) >= 2 and path[-2] == "environments":
            yield _name_diagnostic(span(locate(data, path)), error.instance, path[:-1], error)
        elif last == "collector":
            yield diag("CG0104", f"{_short(error.instance)} is not an http(s) URL{where}", span(locate(data, path)), "write a URL such as https://collector.internal/v1/events")
        elif last == "rule":
            yield diag("CG0104", f"{_short(error.instance)} is not a rule code{where}", span(locate(data, path)), "write a code such as CG0301")
        else:
            yield diag(
                "CG0104",
                f"{_short(error.instance)} does not match the pattern {error.validator_value}{where}",
                span(locate(data, path)),
                "see the schema's description of this key",
            )
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
        yield diag("CG0106", _range_message(keyword, error) + where, span(locate(data, path)), _range_hint(keyword, error))
    elif keyword == "uniqueItems":
        yield diag("CG0107", f"the list repeats an item{where}", span(locate(data, path)), "remove the repeated item")
    else:
        yield diag("CG0100", f"{error.message}{where}", span(locate(data, path)), "see the schema in schema/ for the expected shape")


def _required_missing(error: Any) -> str:
    # jsonschema's message is "'<name>' is a required property"
    message = error.message
    if message.startswith("'") and "' is a required property" in message:
        return message[1 : message.index("' is a required property")]
    return message


def _missing_hint(kind: Kind, missing: str, path: list[Any]) -> str:
    examples = {
        "name": "name: my-environment" if kind is Kind.ENVIRONMENT else "name: my-reference",
        "source_id": "source_id: <unique integer>",
        "langpacks": "langpacks: [python, go, php]",
        "event": "event: <event_name, like the file name>",
        "id": "id: <unique integer, never reused>",
        "owner": "owner: <team>",
        "environments": "environments: [<environment>]",
        "versions": "versions:\\n  1:\\n    fields: {...}",
        "fields": "fields: {<field>: required}",
        "type": "type: string | integer | number | boolean | array | object",
        "properties": "properties: {<member field>: required}",
        "reason": "reason: <why it is retired>",
        "rule": "rule: CG03xx",
        "entity": "entity: event:<name>",
    }
    if missing == "reason" and path and path[0] == "waivers":
        examples["reason"] = "reason: <why this exception is accepted>"
    example = examples.get(missing)
    return f"add `{example}`" if example else f"add `{missing}`"


def _name_diagnostic(span: Span, name: Any, parent: list[Any], error: Any) -> Diagnostic:
    parent_key = str(parent[-1]) if parent else ""
    if span.path == SETTINGS_FILE and not parent:
        fixed = _fix_name(name, dashes=True)
        example = fixed if fixed and fixed != name else "my-product"
        return diag("CG0105", f"{_short(name)} is not a valid reference name", span, f"use lowercase letters, digits and dashes, starting with a letter, e.g. `{example}`")
    if parent_key == "versions":
        return diag("CG0105", f"version key {_short(name)} is not a version number", span, "number versions 1, 2, 3… (no leading zeros)")
    environment = parent_key == "environments" or (span.path.startswith("environments/") and parent == [] and not isinstance(name, dict))
    if environment and not (span.path.startswith("environments/") and parent_key == "common_fields"):
        rule, example, what = "lowercase letters, digits and dashes, starting with a letter", "ios-app", "environment name"
    else:
        rule, example = "lowercase letters, digits and underscores, starting with a letter", "user_id"
        what = "event name" if not parent and span.path.startswith("events/") else "field name"
    if error.validator == "maxLength":
        limit = error.validator_value
        return diag("CG0105", f"{_short(name)} is not a valid {what}: it is longer than {limit} characters", span, f"shorten the name to at most {limit} characters")
    fixed = _fix_name(name, dashes=what == "environment name")
    hint = f"use {rule}" + (f", e.g. `{fixed}`" if fixed and fixed != name else f", e.g. `{example}`")
    return diag("CG0105", f"{_short(name)} is not a valid {what}", span, hint)


def _fix_name(name: Any, dashes: bool) -> str:
    if not isinstance(name, str):
        return ""
    sep = "-" if dashes else "_"
    out = re.sub(r"([a-z0-9])([A-Z])", rf"\1{sep}\2", name).lower()
    out = re.sub(r"[^a-z0-9]+", sep, out).strip(sep)
    return out if out and out[0].isalpha() else ""


def _range_message(keyword: str, error: Any) -> str:
    limit = error.validator_value
    value = error.instance
    return {
        "minimum": f"{_short(value)} is less than the minimum {limit}",
        "maximum": f"{_short(value)} is greater than the maximum {limit}",
        "exclusiveMinimum": f"{_short(value)} must be greater than {limit}",
        "exclusiveMaximum": f"{_short(value)} must be less than {limit}",
        "minLength": f"{_short(value)} is shorter than {limit} character{'s' * (limit != 1)}",
        "maxLength": f"{_short(value)} is longer than {limit} character{'s' * (limit != 1)}",
        "minItems": f"the list needs at least {limit} item{'s' * (limit != 1)}",
        "maxItems": f"the list has more than {limit} items",
        "minProperties": f"the mapping needs at least {limit} entr{'ies' if limit != 1 else 'y'}",
        "maxProperties": f"the mapping has more than {limit} entries",
    }[keyword]


def _range_hint(keyword: str, error: Any) -> str:
    if keyword in ("minItems", "minProperties"):
        return "add the missing entries"
    if keyword == "minLength":
        return "write a non-empty value"
    return f"keep the value within the limit {error.validator_value}"
