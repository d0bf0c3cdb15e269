"""PHP identifiers for a langpack: PSR-1/PSR-12 names. PHP method and class names are
case-insensitive, so collisions are compared in lower case."""

from __future__ import annotations

from clickgen import naming

# Reserved words and names that may not be class names (php.net/manual/en/reserved.php).
RESERVED_CLASS_NAMES = frozenset(
    (
        "abstract and array as break callable case catch class clone const continue declare default do echo else elseif empty "
        "enddeclare endfor endforeach endif endswitch endwhile enum eval exit extends final finally fn for foreach function global "
        "goto if implements include include_once instanceof insteadof interface isset list match namespace new or print private "
        "protected public readonly require require_once return static switch throw trait try unset use var while xor yield "
        "int float bool string true false null void iterable object mixed never resource numeric parent self"
    ).split()
)
EVENT_METHODS = frozenset(
    m.lower()
    for m in ("__construct", "validate", "toArray", "toJson", "getEventName", "getEventId", "getEventVersion", "getEventTimeUs",
              "setEventTimeUs", "getEventUid", "setEventUid", "jsonSerialize", "isDeprecated")
)
PACKAGE_NAMES = frozenset(
    n.lower() for n in ("Client", "Event", "Sender", "MemorySender", "StreamSender", "HttpBatchSender", "ValidationException", "Json", "Langpack")
)


def namespace(prefix: str, environment: str) -> str:
    return f"{prefix}\\{naming.pascal(naming.words(environment))}"


def package(vendor: str, reference: str, environment: str) -> str:
    return f"{vendor}/{reference}-{environment}" if vendor != reference else f"{vendor}/{environment}"


def event_class(event: str, version: int) -> str:
    return f"{naming.pascal(naming.words(event))}V{version}"


def _accessor_base(field: str) -> str:
    base = naming.pascal(naming.words(field))
    if f"get{base}".lower() in EVENT_METHODS or f"set{base}".lower() in EVENT_METHODS:
        return base + "Field"
    return base


def getter(field: str) -> str:
    return "get" + _accessor_base(field)


def setter(field: str) -> str:
    return "set" + _accessor_base(field)


def variable(field: str) -> str:
    """Parameter and property name without the '$'."""
    name = naming.camel(naming.words(field))
    return name + "Value" if name == "this" else name


def enum_class(field: str) -> str:
    name = naming.pascal(naming.words(field))
    return name + "Enum" if name.lower() in RESERVED_CLASS_NAMES or name.lower() in PACKAGE_NAMES else name


def enum_case(value: str) -> str:
    name = naming.pascal(naming.value_words(value))
    if name[0].isdigit():
        name = "V" + name
    return name + "Value" if name.lower() == "class" else name


def event_members(fields: list[str]) -> list[tuple[str, str]]:
    out = []
    for field in fields:
        out.append((getter(field).lower(), field))
        out.append((setter(field).lower(), field))
        out.append(("$" + variable(field), field))
    return out
