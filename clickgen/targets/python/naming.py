"""Python identifiers for a langpack: PEP 8 names, escaped away from keywords and builtins."""

from __future__ import annotations

import builtins
import keyword

from clickgen import naming

# Members every generated event class has; a field may not hide them.
EVENT_MEMBERS = frozenset(
    {"validate", "to_json", "to_dict", "event_time_us", "event_uid", "event_name", "event_id", "event_version", "deprecated", "replace"}
)
# Names the langpack package itself exports next to event and enum classes.
PACKAGE_NAMES = frozenset(
    {"Client", "Event", "Sender", "MemorySender", "StreamSender", "HttpBatchSender", "ValidationError", "LANGPACK_VERSION", "SOURCE_ID", "ENVIRONMENT"}
)
_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins)) | {"self", "cls"}


def package(prefix: str, environment: str) -> str:
    return prefix + environment.replace("-", "_")


def distribution(prefix: str, environment: str) -> str:
    return prefix + environment


def event_class(event: str, version: int) -> str:
    return f"{naming.pascal(naming.words(event))}V{version}"


def field_attribute(field: str) -> str:
    """Property and keyword-argument name of a field."""
    return field + "_" if field in _RESERVED or field in EVENT_MEMBERS else field


def setter(field: str) -> str:
    return f"set_{field}"


def enum_class(field: str) -> str:
    name = naming.pascal(naming.words(field))
    return name + "Enum" if name in PACKAGE_NAMES or keyword.iskeyword(name) else name


def object_class(field: str) -> str:
    """The class of an object field's values (`cart_line` -> `CartLine`); its members are
    named like an event's fields."""
    name = naming.pascal(naming.words(field))
    return name + "Object" if name in PACKAGE_NAMES or keyword.iskeyword(name) else name


def enum_constant(value: str) -> str:
    name = naming.upper_snake(naming.value_words(value))
    return "V_" + name if name[0].isdigit() else name


def event_members(fields: list[str]) -> list[tuple[str, str]]:
    """Every member identifier the fields of one event version produce, with its field."""
    out = []
    for field in fields:
        out.append((field_attribute(field), field))
        out.append((setter(field), field))
    return out
