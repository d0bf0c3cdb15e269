"""JSON Schema -> clickgen field contracts: the part every source format shares.

Input: the JSON Schema of one event (a Segment rule's properties, a JSON Schema file),
the documents `$ref`s may point into, and a `Site` that collects losses. Output: the
event's fields (`FieldUseSpec`: wire key, contract, required).

What is exact, approximated or lost is decided here, once (model.KINDS lists them):
- only keywords that constrain the property's declared type count: JSON Schema
  ignores `maxLength` on an integer, so dropping it loses nothing;
- numbers are compared as doubles (like clickgen and ajv): an exclusive bound is the
  next double, an exclusive integer bound the next integer, both exact;
- integers are clickgen's 64-bit integers: bounds at or beyond the 64-bit limits say
  nothing more;
- enum values that no value of the type can equal are left out (exact); string enums
  whose values cannot all become typed constants become the same set as a pattern;
- an event object is closed in clickgen (no keys outside its fields), so
  `additionalProperties: false` or its absence both import as the declared fields; a
  schema for the other keys (a map) is a loss, and an explicit `additionalProperties:
  true` an approximation (the object is imported closed);
- an object-valued property with declared properties is an object field whose members
  are fields like the event's (the same rules, the same deduplication), an array of such
  objects an array whose items name an object field; objects nest at most 4 deep
  (ir.MAX_OBJECT_DEPTH) and never contain themselves: a member beyond either is lost.
"""

from __future__ import annotations

import math
import posixpath
import sys
import urllib.parse
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from clickgen import formats
from clickgen.checkplan import compiled_pattern, is_valid_unicode
from clickgen.export_schema import NO_LONE_SURROGATE
from clickgen.importers import regex
from clickgen.importers.model import FieldSpec, FieldUseSpec, Loss, clean_text
from clickgen.importers.names import singular
from clickgen.ir import CONTRACT_ATTRIBUTES, ENVELOPE_KEYS, INT64_MAX, INT64_MIN, MAX_OBJECT_DEPTH
from clickgen.targets.go import naming as go_naming
from clickgen.targets.php import naming as php_naming
from clickgen.targets.python import naming as python_naming

MAX_REF_CHAIN = 64
_COMBINATORS = ("allOf", "anyOf", "oneOf", "not", "if")
_OBJECT_KEYWORDS = ("minProperties", "maxProperties", "dependencies", "dependentRequired", "dependentSchemas", "unevaluatedProperties")
_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")
_ANNOTATIONS = frozenset(
    "$schema $id id $comment $anchor $defs definitions title description default examples example deprecated readOnly writeOnly "
    "contentEncoding contentMediaType labels key self".split()
)


@dataclass
class Site:
    """Where the conversion is: the event and version (for the report) and its losses."""

    event: str
    version: str
    losses: list[Loss]
    envelope_is_expected: bool = False  # clickgen's own exported schemas carry the envelope

    def lose(self, kind: str, message: str, path: str = "") -> None:
        self.losses.append(Loss(kind, message, self.event, self.version, path))


class RefProblem(Exception):
    pass


@dataclass
class Documents:
    """The JSON documents `$ref` may point into: label -> document, and `$id` -> label."""

    by_label: dict[str, Any] = field(default_factory=dict)
    by_id: dict[str, str] = field(default_factory=dict)

    def add(self, label: str, document: Any) -> None:
        self.by_label[label] = document
        if isinstance(document, dict):
            for key in ("$id", "id"):
                value = document.get(key)
                if isinstance(value, str) and value and not value.startswith("#"):
                    self.by_id.setdefault(value.rstrip("#"), label)

    def lookup(self, ref: str, label: str) -> tuple[Any, str]:
        base, _, fragment = ref.partition("#")
        if base:
            target = self.by_id.get(base)
            if target is None:
                relative = posixpath.normpath(posixpath.join(posixpath.dirname(label.split("#", 1)[0]), base))
                if relative in self.by_label:
                    target = relative
            if target is None:
                raise RefProblem(f"$ref {ref!r} points outside the source")
            label = target
        document = self.by_label.get(label)
        if fragment == "":
            return document, label
        if not fragment.startswith("/"):
            raise RefProblem(f"$ref {ref!r} names an anchor; only JSON pointers (#/...) are followed")
        node = document
        for part in fragment[1:].split("/"):
            step = urllib.parse.unquote(part).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and step in node:
                node = node[step]
            elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
                node = node[int(step)]
            else:
                raise RefProblem(f"$ref {ref!r} does not resolve: no {step!r} there")
        return node, label


def _type_names(value: Any) -> list[str] | None:
    """The names in `type`, or None when the keyword is malformed."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n in _TYPES for n in names):
        return None
    return list(dict.fromkeys(names))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _non_negative_int(value: Any) -> int | None:
    if _is_int(value) and value >= 0:
        return int(value)
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    return None


def _text(schema: dict[str, Any]) -> str:
    for key in ("description", "title"):
        value = schema.get(key)
        if isinstance(value, str) and value.strip():
            return clean_text(value.strip())
    return ""


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class _Shape:
    """A property's schema after $ref and the null unions: its one type, and nullability."""

    schema: dict[str, Any]
    label: str
    type: str | None  # None: no single type (a loss was reported)
    nullable: bool
    refs: tuple[_RefTarget, ...] = ()  # the $ref targets followed to reach the schema


# where a $ref leads: (document label, JSON pointer); an object reached through a target
# that an enclosing object was reached through contains itself
_RefTarget = tuple[str, str]


class SchemaReader:
    """Turns the JSON Schemas of one source into fields; `documents` serves the $refs."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents
        # the objects being read, outermost (the event) first: the $ref targets that led to each
        self._open: list[tuple[_RefTarget, ...]] = []

    # --- $ref ------------------------------------------------------------------

    def resolve(self, schema: Any, label: str, site: Site, path: str, trail: list[_RefTarget] | None = None) -> tuple[Any, str] | None:
        seen: set[tuple[str, str]] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if (label, ref) in seen or len(seen) >= MAX_REF_CHAIN:
                site.lose("ref", f"$ref {ref!r} refers to itself", path)
                return None
            seen.add((label, ref))
            try:
                target, target_label = self.documents.lookup(ref, label)
            except RefProblem as e:
                site.lose("ref", str(e), path)
                return None
            if trail is not None:
                trail.append((target_label, ref.partition("#")[2]))
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            if not siblings:
                schema, label = target, target_label
                continue
            if not isinstance(target, dict):
                if target is False:
                    return False, target_label
                schema, label = siblings, label  # `true`: only the keywords beside $ref say anything
                continue
            merged = dict(target)
            for key, value in siblings.items():
                if key in merged and merged[key] != value and key not in _ANNOTATIONS:
                    site.lose("ref", f"`{key}` beside $ref {ref!r} differs from the referenced schema's; the one beside $ref is kept", path)
                merged[key] = value
            # the merged schema lives in the target's document: its inner $refs are relative to it
            schema, label = merged, target_label
        return schema, label

    # --- event objects -----------------------------------------------------------

    def object_fields(self, schema: Any, label: str, site: Site, path: str = "", pointer: str = "") -> list[FieldUseSpec]:
        """The fields of an event whose JSON Schema is `schema` (at `pointer` in document `label`)."""
        trail: list[_RefTarget] = [(label, pointer)]
        resolved = self.resolve(schema, label, site, path, trail)
        if resolved is None:
            return []
        schema, label = resolved
        if schema is True or schema == {}:
            return []
        if schema is False:
            site.lose("never-valid", "the schema is `false`: no event is valid", path)
            return []
        if not isinstance(schema, dict):
            site.lose("not-an-object", f"the schema is {_describe(schema)}, not a JSON Schema object", path)
            return []
        schema = self._merge_all_of(schema, label, site, path)
        types = _type_names(schema["type"]) if "type" in schema else ["object"]
        if types is None or "object" not in types:
            site.lose("not-an-object", f"the schema describes {_describe(schema.get('type'))}, not a JSON object", path)
            return []
        for keyword in ("anyOf", "oneOf", "not", "if"):
            if keyword in schema:
                site.lose("combinator", f"`{keyword}` on the event: only the properties beside it are imported", path)
        self._open = [tuple(trail)]
        try:
            return self._members(schema, label, site, path)
        finally:
            self._open = []

    def _members(self, schema: dict[str, Any], label: str, site: Site, path: str) -> list[FieldUseSpec]:
        """The fields of an object schema (the event's, or an object field's members)."""
        self._object_keywords(schema, site, path)
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            site.lose("invalid-schema", "`properties` is not an object", path)
            properties = {}
        required_list = schema.get("required", [])
        if not isinstance(required_list, list) or not all(isinstance(r, str) for r in required_list):
            site.lose("invalid-schema", "`required` is not a list of property names", path)
            required_list = []
        required = set(required_list)
        at_event = len(self._open) == 1
        out: list[FieldUseSpec] = []
        for key, value in properties.items():
            where = f"{path}/{key}" if path else key or '""'
            if key in ENVELOPE_KEYS:
                if not at_event:
                    site.lose("envelope-key", f"`{key}` is a key of the clickgen envelope: no field has it, not even inside an object", where)
                elif not site.envelope_is_expected:
                    site.lose("envelope-key", f"`{key}` is a key of the clickgen envelope, which every event carries", where)
                continue
            if key == "" or not is_valid_unicode(key):
                site.lose("invalid-key", f"the property key {key!r} cannot be a wire key", where)
                continue
            use = self.field_use(key, value, label, key in required, site, where)
            if use is not None:
                out.append(use)
        for key in sorted(required - set(properties)):
            if key not in ENVELOPE_KEYS or not at_event:
                site.lose("untyped", f"`{key}` is required but has no schema (any value)", f"{path}/{key}" if path else key)
        return out

    def _merge_all_of(self, schema: dict[str, Any], label: str, site: Site, path: str) -> dict[str, Any]:
        """An event's `allOf` of object schemas is one object: their properties and required lists."""
        members = schema.get("allOf")
        if members is None:
            return schema
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        if not isinstance(members, list):
            site.lose("invalid-schema", "`allOf` is not a list", path)
            return merged
        properties = dict(merged.get("properties", {})) if isinstance(merged.get("properties"), dict) else {}
        required = list(merged.get("required", [])) if isinstance(merged.get("required"), list) else []
        for member in members:
            resolved = self.resolve(member, label, site, path)
            if resolved is None:
                continue
            member, member_label = resolved
            if member is True or member == {}:
                continue
            if member_label != label or not isinstance(member, dict) or "allOf" in member or member.get("type", "object") != "object":
                site.lose("combinator", "`allOf` member that is not a plain object schema of the same document: left out", path)
                continue
            for key, value in (member.get("properties") or {}).items():
                if key in properties and properties[key] != value:
                    site.lose("combinator", f"`allOf` gives `{key}` two schemas: the first is kept", f"{path}/{key}" if path else key)
                    continue
                properties[key] = value
            if isinstance(member.get("required"), list):
                required.extend(r for r in member["required"] if isinstance(r, str))
            for key, value in member.items():
                if key not in ("properties", "required", "type") and key not in _ANNOTATIONS and merged.get(key, value) != value:
                    site.lose("combinator", f"`allOf` members disagree on `{key}`: the first is kept", path)
                merged.setdefault(key, value)
        merged["properties"] = properties
        merged["required"] = list(dict.fromkeys(required))
        return merged

    def _object_keywords(self, schema: dict[str, Any], site: Site, path: str) -> None:
        additional = schema.get("additionalProperties")
        what = "the event object" if len(self._open) == 1 else "an object"
        if isinstance(additional, dict) and additional:
            site.lose("dynamic-keys", "`additionalProperties` gives a schema for keys not listed: such keys are not imported", path)
        elif additional is True or additional == {}:
            site.lose("open-object", f"`additionalProperties` allows keys beyond the properties: {what} is imported closed, with its declared keys", path)
        if schema.get("patternProperties"):
            site.lose("dynamic-keys", "`patternProperties`: keys matching a pattern are not imported", path)
        if "propertyNames" in schema:
            site.lose("dynamic-keys", "`propertyNames` is not imported", path)
        for keyword in _OBJECT_KEYWORDS:
            if keyword in schema and not (keyword == "unevaluatedProperties" and schema[keyword] in (False, True, {})):
                site.lose("object-keyword", f"`{keyword}` on {what} is not imported", path)

    # --- one property ------------------------------------------------------------

    def field_use(self, key: str, schema: Any, label: str, required: bool, site: Site, path: str) -> FieldUseSpec | None:
        shape = self._shape(schema, label, site, path, required)
        if shape is None or shape.type is None:
            return None
        spec = self._field(key, shape, site, path)
        if spec is None:
            return None
        if shape.nullable and required:
            site.lose("nullable-required", "required, but null is allowed: imported as optional (send nothing instead of null)", path)
            required = False
        elif shape.nullable:
            site.lose("nullable", "null is allowed: in clickgen the field is left unset instead", path)
        return FieldUseSpec(spec, required)

    def _shape(self, schema: Any, label: str, site: Site, path: str, required: bool) -> _Shape | None:
        trail: list[_RefTarget] = []
        resolved = self.resolve(schema, label, site, path, trail)
        if resolved is None:
            return None
        schema, label = resolved
        if schema is False:
            if required:
                site.lose("never-valid", "the property's schema is `false` but it is required: no event is valid", path)
            return None  # an optional property that can never be present: nothing to send
        if schema is True:
            site.lose("untyped", "any value is allowed (no type)", path)
            return None
        if not isinstance(schema, dict):
            site.lose("invalid-schema", f"the schema is {_describe(schema)}, not a JSON Schema object", path)
            return None
        nullable = False
        schema, nullable = self._null_union(schema, label, site, path, trail)
        if schema is None:
            return None
        schema = self._property_all_of(schema, label, site, path)
        if schema is None:
            return None
        if _is_object_all_of(schema):  # object schemas side by side: one object, as for an event
            schema = self._merge_all_of(schema, label, site, path)
            schema.setdefault("type", "object")
        if schema.get("not") == NO_LONE_SURROGATE:
            # what clickgen exports for "valid Unicode", which every string is anyway
            schema = {k: v for k, v in schema.items() if k != "not"}
        for keyword in _COMBINATORS:
            if keyword in schema:
                site.lose("combinator", f"`{keyword}` is not imported; the keywords beside it are", path)
        if "type" in schema:
            types = _type_names(schema["type"])
            if types is None:
                site.lose("invalid-schema", f"`type` is {_describe(schema['type'])}", path)
                return _Shape(schema, label, None, nullable)
        else:
            types = self._inferred_types(schema)
            if types is None:
                site.lose("untyped", "no `type`: any value is allowed", path)
                return _Shape(schema, label, None, nullable)
        if "null" in types:
            values = self._enum_values(schema)
            nullable = nullable or values is None or None in values
            types = [t for t in types if t != "null"]
        if not types:
            site.lose("always-null", "the only value allowed is null", path)
            return _Shape(schema, label, None, nullable)
        if set(types) == {"integer", "number"}:
            types = ["number"]  # every integer is a number
        if len(types) > 1:
            site.lose("union-type", f"several types ({', '.join(types)})", path)
            return _Shape(schema, label, None, nullable)
        return _Shape(schema, label, types[0], nullable, tuple(trail))

    def _null_union(self, schema: dict[str, Any], label: str, site: Site, path: str, trail: list[_RefTarget]) -> tuple[dict[str, Any] | None, bool]:
        """`anyOf`/`oneOf` [X, {type: null}] (what many generators write for optional X) is a nullable X."""
        for keyword in ("anyOf", "oneOf"):
            members = schema.get(keyword)
            if not isinstance(members, list) or len(members) != 2:
                continue
            shapes = []
            followed: list[_RefTarget] = []  # X's $refs, which lead to the object X describes
            for member in members:
                resolved = self.resolve(member, label, site, path, followed)
                if resolved is None:
                    return None, False
                shapes.append(resolved)
            nulls = [i for i, (m, _) in enumerate(shapes) if isinstance(m, dict) and m.get("type") == "null" and len(m) == 1]
            if len(nulls) != 1:
                continue
            other, other_label = shapes[1 - nulls[0]]
            if not isinstance(other, dict) or other_label != label:
                continue
            rest = {k: v for k, v in schema.items() if k != keyword}
            clash = [k for k in other if k in rest and rest[k] != other[k] and k not in _ANNOTATIONS]
            if clash:
                continue
            trail.extend(followed)
            return {**other, **rest}, True
        return schema, False

    def _property_all_of(self, schema: dict[str, Any], label: str, site: Site, path: str) -> dict[str, Any] | None:
        """`allOf` whose members never say different things about one keyword is their union (exact)."""
        members = schema.get("allOf")
        if not isinstance(members, list) or not members:
            return schema
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for member in members:
            resolved = self.resolve(member, label, site, path)
            if resolved is None:
                return None
            member, member_label = resolved
            if member is True:
                continue
            if member is False or not isinstance(member, dict) or member_label != label or "allOf" in member:
                return schema  # reported as a combinator by the caller
            if any(k in merged and merged[k] != v and k not in _ANNOTATIONS for k, v in member.items()):
                return schema
            for key, value in member.items():
                merged.setdefault(key, value)
        return merged

    @staticmethod
    def _enum_values(schema: dict[str, Any]) -> list[Any] | None:
        if "const" in schema:
            return [schema["const"]]
        values = schema.get("enum")
        return values if isinstance(values, list) else None

    def _inferred_types(self, schema: dict[str, Any]) -> list[str] | None:
        """The type a schema without `type` still pins down, or None (any value)."""
        values = self._enum_values(schema)
        if values:
            kinds = {"null" if v is None else "boolean" if isinstance(v, bool) else "integer" if _is_int(v) else "number" if isinstance(v, float) else "string" if isinstance(v, str) else "other" for v in values}
            kinds.discard("null")
            if kinds == {"integer", "number"}:
                kinds = {"number"}
            if len(kinds) == 1 and "other" not in kinds:
                return [*kinds, *(["null"] if None in values else [])]
            if not kinds:
                return ["null"]
        return None

    def _field(self, key: str, shape: _Shape, site: Site, path: str) -> FieldSpec | None:
        schema = shape.schema
        if shape.type == "object":
            members = self._object(shape, site, path)
            if members is None:
                return None
            self._no_examples(schema, site, path)
            return FieldSpec(key, (("type", "object"),), _text(schema), members=members)
        contract: dict[str, Any]
        if shape.type == "array":
            array = self._array(key, schema, shape.label, site, path)
            if array is None:
                return None
            contract, item_object = array
            if item_object is not None:
                self._no_examples(schema, site, path)
                return FieldSpec(key, _ordered(contract), _text(schema), item_object=item_object)
        else:
            scalar = self._scalar(shape.type or "", schema, site, path)
            if scalar is None:
                return None
            contract = {"type": shape.type, **scalar}
        spec = FieldSpec(key, _ordered(contract), _text(schema))
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            kept = tuple(_valid_examples(spec, examples))
            if len(kept) < len(examples):
                site.lose("example-dropped", f"{len(examples) - len(kept)} of {len(examples)} examples are not valid values of the field", path)
            spec = FieldSpec(key, spec.contract, spec.description, kept)
        return spec

    @staticmethod
    def _no_examples(schema: dict[str, Any], site: Site, path: str) -> None:
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            site.lose("example-dropped", f"{len(examples)} example{'s' if len(examples) > 1 else ''} of objects: not imported", path)

    def _object(self, shape: _Shape, site: Site, path: str, inside: str = "") -> tuple[FieldUseSpec, ...] | None:
        """An object's members (sorted by key), or None when it cannot be an object field (reported)."""
        schema = shape.schema
        properties = schema.get("properties")
        additional = schema.get("additionalProperties")
        if not (isinstance(properties, dict) and properties):
            if (isinstance(additional, dict) and additional) or schema.get("patternProperties"):
                site.lose("dynamic-keys", f"{inside}a map with dynamic keys: not imported", path)
            else:
                site.lose("free-form-object", f"{inside}an object with no declared properties: not imported", path)
            return None
        enclosing = {target for targets in self._open for target in targets}
        closing = [target for target in shape.refs if target in enclosing]
        if closing:
            document, pointer = closing[0]
            through = f"{'' if '#' in document else document}#{pointer}"  # a Segment rule is a part of its file: its pointer alone
            site.lose("object-cycle", f"{inside}an object that contains itself (through `{through}`): not imported", path)
            return None
        depth = len(self._open)  # the event is _open[0]: an event's object field is depth 1
        if depth > MAX_OBJECT_DEPTH:
            site.lose("object-too-deep", f"{inside}an object at depth {depth}: clickgen objects nest at most {MAX_OBJECT_DEPTH} deep", path)
            return None
        self._open.append(shape.refs)
        try:
            members = self._members(schema, shape.label, site, path)
        finally:
            self._open.pop()
        if not members:
            site.lose("empty-object", f"{inside}an object none of whose properties could be imported: not imported", path)
            return None
        return tuple(sorted(members, key=lambda use: use.field.key))

    def _array(self, key: str, schema: dict[str, Any], label: str, site: Site, path: str) -> tuple[dict[str, Any], FieldSpec | None] | None:
        """An array's contract, and the object of its items for an array of objects."""
        for keyword in ("prefixItems", "contains", "additionalItems", "unevaluatedItems"):
            if keyword in schema and not (keyword in ("additionalItems", "unevaluatedItems") and schema[keyword] in (True, {})):
                site.lose("array", f"`{keyword}` is not imported", path)
        if schema.get("uniqueItems") is True:
            site.lose("array", "`uniqueItems` (no repeated items) is not imported", path)
        items = schema.get("items")
        if isinstance(items, list):
            site.lose("array", "a tuple (`items` as a list): not imported", path)
            return None
        if items is None or items is True or items == {}:
            site.lose("untyped", "an array whose items have no type", path)
            return None
        shape = self._shape(items, label, site, path + "/items", required=True)
        if shape is None or shape.type is None:
            return None
        if shape.nullable:
            site.lose("array", "items may be null; null items are not imported", path + "/items")
        item_object = None
        if shape.type == "object":
            members = self._object(shape, site, path + "/items", inside="an array of ")
            if members is None:
                return None
            item_object = FieldSpec("", (("type", "object"),), _text(shape.schema), members=members, name_hint=_item_name_hint(key, shape.refs))
            contract: dict[str, Any] = {"type": "array"}
        elif shape.type == "array":
            site.lose("array", "an array of arrays: not imported", path)
            return None
        else:
            scalar = self._scalar(shape.type, shape.schema, site, path + "/items")
            if scalar is None:
                return None
            contract = {"type": "array", "items": shape.type, **scalar}
        low = self._count(schema, "minItems", site, path)
        high = self._count(schema, "maxItems", site, path)
        if low is not None and high is not None and low > high:
            site.lose("empty-range", f"minItems {low} is above maxItems {high}: dropped both", path)
        else:
            if low:
                contract["min_items"] = low
            if high is not None:
                contract["max_items"] = high
        return contract, item_object

    @staticmethod
    def _count(schema: dict[str, Any], keyword: str, site: Site, path: str) -> int | None:
        if keyword not in schema:
            return None
        value = _non_negative_int(schema[keyword])
        if value is None:
            site.lose("invalid-schema", f"`{keyword}` is {_describe(schema[keyword])}, not a non-negative integer", path)
        return value

    # --- scalar values -------------------------------------------------------------

    def _scalar(self, kind: str, schema: dict[str, Any], site: Site, path: str) -> dict[str, Any] | None:
        if kind == "string":
            return self._string(schema, site, path)
        if kind in ("integer", "number"):
            return self._number(kind, schema, site, path)
        values = self._enum_values(schema)
        if values is not None:
            booleans = {v for v in values if isinstance(v, bool)}
            if len(booleans) == 1:
                site.lose("const", f"only {str(next(iter(booleans))).lower()} is allowed: not imported (any boolean is)", path)
            elif not booleans:
                site.lose("never-valid", "no boolean is in the enum: no value is valid", path)
        return {}

    def _string(self, schema: dict[str, Any], site: Site, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        low = self._count(schema, "minLength", site, path)
        high = self._count(schema, "maxLength", site, path)
        if low is not None and high is not None and low > high:
            site.lose("empty-range", f"minLength {low} is above maxLength {high}: dropped both", path)
        else:
            if low:
                out["min_length"] = low
            if high is not None:
                out["max_length"] = high
        pattern = schema.get("pattern")
        if pattern is not None:
            if not isinstance(pattern, str):
                site.lose("invalid-schema", f"`pattern` is {_describe(pattern)}", path)
            else:
                try:
                    translated = _translate(pattern)
                except regex.Unsupported as e:
                    site.lose("pattern", f"pattern {pattern!r} is not imported: {e}", path)
                else:
                    if translated.pattern is not None:
                        out["pattern"] = translated.pattern
                        if translated.contains:
                            site.lose("pattern-contains", f"pattern {pattern!r} is unanchored (a value contains a match): written as {translated.pattern!r}", path)
        format_ = schema.get("format")
        if format_ is not None:
            if format_ in formats.FORMATS:
                out["format"] = format_
            else:
                site.lose("format", f"format {_describe(format_)} has no clickgen grammar: dropped", path)
        values = self._enum_values(schema)
        if values is not None:
            self._string_enum(values, "const" in schema, out, site, path)
        return out

    def _string_enum(self, values: list[Any], is_const: bool, out: dict[str, Any], site: Site, path: str) -> None:
        strings = list(dict.fromkeys(v for v in values if isinstance(v, str)))
        valid = [v for v in strings if _string_reason(v, out) is None]
        left_out = [v for v in values if v is not None and v not in valid]
        if left_out:
            site.lose("dropped-values", f"{', '.join(_describe(v) for v in left_out[:5])}{' ...' if len(left_out) > 5 else ''} can never be a valid value", path)
        if not valid:
            site.lose("never-valid", "no value of the enum is a valid string: the enum is dropped", path)
            return
        if is_const:
            site.lose("const-converted", f"const {valid[0]!r} as a one-value enum", path)
        if "" not in valid and not _constants_collide(tuple(valid)):
            out["enum"] = tuple(valid)
            return
        site.lose("enum-as-pattern", "the enum values cannot all become typed constants (an empty value, or values differing only in punctuation or case): the same set is a pattern", path)
        out["pattern"] = "|".join("".join(regex.write_char(c) for c in v) for v in valid) or "()"

    def _number(self, kind: str, schema: dict[str, Any], site: Site, path: str) -> dict[str, Any]:
        integer = kind == "integer"
        low = high = None  # the tightest inclusive bounds so far
        for keyword, is_low, exclusive in (("minimum", True, False), ("maximum", False, False), ("exclusiveMinimum", True, True), ("exclusiveMaximum", False, True)):
            if keyword not in schema:
                continue
            value = schema[keyword]
            if isinstance(value, bool):  # draft 4: a flag on minimum/maximum
                plain = "minimum" if is_low else "maximum"
                if value and _is_number(schema.get(plain)):
                    value = schema[plain]
                    keyword = f"{plain} with {keyword}"
                else:
                    continue
            if not _is_number(value):
                site.lose("invalid-schema", f"`{keyword}` is {_describe(value)}, not a number", path)
                continue
            bound = _inclusive(value, is_low, exclusive, integer)
            if exclusive and bound is not None:
                what = "the next integer" if integer else "the next double"
                site.lose("exclusive-bound", f"{keyword} {value!r} as {'minimum' if is_low else 'maximum'} {bound!r} ({what})", path)
            if is_low and bound is not None:
                low = bound if low is None else max(low, bound)
            elif bound is not None:
                high = bound if high is None else min(high, bound)
        multiple = schema.get("multipleOf")
        if multiple is not None:
            if not _is_number(multiple) or multiple <= 0:
                site.lose("invalid-schema", f"`multipleOf` is {_describe(multiple)}", path)
            elif not (integer and (multiple == 1 or (multiple < 1 and float(1 / multiple).is_integer()))):
                site.lose("multiple-of", f"multipleOf {multiple!r} is not imported", path)
        values = self._enum_values(schema)
        if values is not None:
            low, high = self._number_enum(values, integer, "const" in schema, low, high, site, path)
        if integer:
            low = None if low is not None and low <= INT64_MIN else low
            high = None if high is not None and high >= INT64_MAX else high
            if (low is not None and low > INT64_MAX) or (high is not None and high < INT64_MIN):
                site.lose("never-valid", "the bounds leave no 64-bit integer: dropped", path)
                return {}
        else:  # the limits of a double (as `clickgen schema` writes them) bound nothing
            low = None if low is not None and low <= -sys.float_info.max else low
            high = None if high is not None and high >= sys.float_info.max else high
            if (low is not None and math.isinf(low)) or (high is not None and math.isinf(high)):
                # above the largest double (exclusiveMinimum 1.7976931348623157e308, minimum 1e400)
                site.lose("empty-range", f"the {'lower' if low is not None and math.isinf(low) else 'upper'} bound leaves no finite double: no value is valid; dropped", path)
                return {}
        if low is not None and high is not None and low > high:
            site.lose("empty-range", f"the lower bound {low!r} is above the upper bound {high!r}: no value is valid; both dropped", path)
            return {}
        out: dict[str, Any] = {}
        if low is not None:
            out["minimum"] = low
        if high is not None:
            out["maximum"] = high
        return out

    def _number_enum(
        self, values: list[Any], integer: bool, is_const: bool, low: Any, high: Any, site: Site, path: str
    ) -> tuple[Any, Any]:
        def fits(v: Any) -> bool:
            if not _is_number(v) or (isinstance(v, float) and not math.isfinite(v)):
                return False
            if integer and not (float(v).is_integer() and INT64_MIN <= v <= INT64_MAX):
                return False
            return (low is None or v >= low) and (high is None or v <= high)

        kept = sorted({(int(v) if integer else float(v)) for v in values if fits(v)})
        if len(kept) < len([v for v in values if v is not None]):
            site.lose("dropped-values", f"enum values that are not valid {'integers' if integer else 'numbers'} within the bounds are left out", path)
        if not kept:
            site.lose("never-valid", "no value of the enum is valid", path)
            return low, high
        if len(kept) == 1:
            site.lose("const-converted", f"{'const' if is_const else 'a one-value enum'} {kept[0]!r} as minimum = maximum", path)
        elif integer and kept[-1] - kept[0] == len(kept) - 1:
            site.lose("enum-as-range", f"enum {kept[0]}..{kept[-1]} as minimum and maximum", path)
        else:
            site.lose("enum", f"enum of {len(kept)} numbers is not imported; kept as the bounds {kept[0]!r}..{kept[-1]!r}", path)
        return kept[0], kept[-1]


def _inclusive(value: int | float, is_low: bool, exclusive: bool, integer: bool) -> int | float | None:
    """The inclusive bound (int for integer fields, float for numbers) meaning `value`; None: no bound."""
    if integer:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if is_low:
            return math.floor(value) + 1 if exclusive else math.ceil(value)
        return math.ceil(value) - 1 if exclusive else math.floor(value)
    try:
        double = float(value)
    except OverflowError:
        double = math.inf if value > 0 else -math.inf
    if math.isinf(double):
        if (is_low and double < 0) or (not is_low and double > 0):
            return None  # every finite double is within it
        return double  # no finite double is (an empty range, reported by the caller)
    if not exclusive:
        return double
    # value > x for a double value: the first double above x (x itself if x rounded up)
    if is_low:
        return double if double > value else math.nextafter(double, math.inf)
    return double if double < value else math.nextafter(double, -math.inf)


def _is_object_all_of(schema: dict[str, Any]) -> bool:
    """An `allOf` whose members describe objects (with properties, or `type: object`)."""
    members = schema.get("allOf")
    if not isinstance(members, list) or not members:
        return False
    if schema.get("type") == "object":
        return True
    return schema.get("type") is None and any(isinstance(m, dict) and (isinstance(m.get("properties"), dict) or m.get("type") == "object") for m in members)


def _item_name_hint(key: str, refs: tuple[_RefTarget, ...]) -> str:
    """The name of an array's item object: the definition its $ref names, else the
    array's key in the singular (`cart_lines` -> `cart_line`)."""
    if refs:
        document, pointer = refs[-1]
        last = pointer.rsplit("/", 1)[-1] if pointer else posixpath.basename(document.split("#", 1)[0])
        last = urllib.parse.unquote(last).replace("~1", "/").replace("~0", "~").removesuffix(".json").removesuffix(".schema")
        if last[:1].isalpha() and last not in ("items", "properties", "$defs", "definitions"):
            return last
    return singular(key)


@lru_cache(maxsize=4096)
def _translate(pattern: str) -> regex.Translation:
    return regex.translate(pattern)  # raises Unsupported, which lru_cache does not keep


def _ordered(contract: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((name, contract[name]) for name in CONTRACT_ATTRIBUTES if name in contract)


def _string_reason(value: str, constraints: dict[str, Any]) -> str | None:
    if not is_valid_unicode(value):
        return "invalid Unicode"
    if "min_length" in constraints and len(value) < constraints["min_length"]:
        return "too short"
    if "max_length" in constraints and len(value) > constraints["max_length"]:
        return "too long"
    if "pattern" in constraints and compiled_pattern(constraints["pattern"]).fullmatch(value) is None:
        return "pattern"
    if "format" in constraints and not formats.matches(constraints["format"], value):
        return "format"
    return None


_CONSTANT_NAMERS: tuple[Callable[[str], str], ...] = (
    python_naming.enum_constant,
    lambda value: go_naming.enum_constant("x", value),
    lambda value: php_naming.enum_case(value).lower(),
)


@lru_cache(maxsize=4096)
def _constants_collide(values: tuple[str, ...]) -> bool:
    """Whether two values become one typed constant in some target (rule CG0211)."""
    return any(len({namer(v) for v in values}) < len(values) for namer in _CONSTANT_NAMERS)


def _valid_examples(spec: FieldSpec, examples: list[Any]) -> list[Any]:
    from clickgen.contract import check_value
    from clickgen.diagnostics import Span
    from clickgen.ir import Field, FieldType

    contract = spec.contract_dict()
    try:
        field = Field(
            name="example",
            type=FieldType(contract.pop("type")),
            description="",
            span=Span("import"),
            items=FieldType(contract.pop("items")) if "items" in contract else None,
            **contract,
        )
    except (TypeError, ValueError):
        return []
    return [e for e in examples if not isinstance(e, dict) and _plain(e) and check_value(field, e) is None]


def _plain(value: Any) -> bool:
    """Values a YAML file holds and gives back unchanged (no NaN, no nesting beyond a list)."""
    if isinstance(value, list):
        return all(not isinstance(v, (list, dict)) and _plain(v) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (str, int, bool))
