"""PHP identifiers for a langpack: PSR-1/PSR-12 names. PHP method and class names are
case-insensitive, so collisions are compared in lower case.

What the generated code is made of (templates/php/gen1): one final class per event
version (`event_class`) extending the langpack's `Event`, with a constructor whose
parameters and private properties are named by `variable`, a `getter` per field and a
fluent `setter` per optional field; one backed enum per enum field (`enum_class`) with
one case per value (`enum_case`); and the runtime classes of `PACKAGE_NAMES`, all in
the environment's namespace. The semantic rule CG0210 asks `event_members` for the
identifiers one field produces, so that a collision is reported before generation.
"""

from __future__ import annotations

import re

from clickgen import naming

# Reserved words and names that may not be class names (php.net/manual/en/reserved.php).
RESERVED_CLASS_NAMES = frozenset(
    (
        "abstract and array as break callable case catch class clone const continue declare default do echo else elseif empty "
        "enddeclare endfor endforeach endif endswitch endwhile enum eval exit extends final finally fn for foreach function global "
        "goto if implements include include_once instanceof insteadof interface isset list match namespace new or print private "
        "protected public readonly require require_once return static switch throw trait try unset use var while xor yield "
        "int float bool string true false null void iterable object mixed never resource numeric parent self die "
        "__halt_compiler __class__ __dir__ __file__ __function__ __line__ __method__ __namespace__ __trait__"
    ).split()
)
# Methods of the generated `Event` base class (and of every event class); a field's
# accessors may not take their names.
EVENT_METHODS = frozenset(
    m.lower()
    for m in ("__construct", "validate", "toArray", "toPayload", "encodePayload", "toJson", "getEventName", "getEventId", "getEventVersion",
              "getEventTimeUs", "setEventTimeUs", "getEventUid", "setEventUid", "jsonSerialize", "isDeprecated",
              "validateEnvelope", "payloadTemplate", "invalid", "invalidText", "getDeprecation")
)
# Classes and interfaces of the runtime, next to the event and enum classes.
PACKAGE_NAMES = frozenset(
    n.lower()
    for n in ("Client", "Event", "Sender", "SenderInterface", "MemorySender", "StreamSender", "HttpBatchSender",
              "ValidationException", "Json", "Langpack", "ObjectValue")
)
# Parameter and property names a field may not take: `$this` is reserved by PHP,
# `$sender` is the Client constructor's first parameter (common fields are the others),
# and the `Event` base class has the envelope's protected properties.
RESERVED_VARIABLES = frozenset(("this", "sender", "eventTimeUs", "eventUid", "eventUidChecked"))

_COMPOSER_PART = re.compile(r"[^a-z0-9]+")


def namespace(prefix: str, environment: str) -> str:
    segment = naming.pascal(naming.words(environment))
    if not prefix:
        # a namespace of one reserved word (`namespace List;`) does not compile
        return segment + "Langpack" if segment.lower() in RESERVED_CLASS_NAMES else segment
    return f"{prefix}\\{segment}"


def _composer_part(text: str) -> str:
    """Lowercase, with runs of anything but letters and digits as one dash."""
    return _COMPOSER_PART.sub("-", text.lower()).strip("-") or "langpack"


def package(vendor: str, reference: str, environment: str) -> str:
    """Composer package name `vendor/reference-environment` (`vendor/environment` when
    the vendor is the reference's name), valid by composer's rules whatever the input."""
    vendor_part = _composer_part(vendor or reference)
    reference_part = _composer_part(reference)
    env_part = _composer_part(environment)
    return f"{vendor_part}/{env_part}" if vendor_part == reference_part else f"{vendor_part}/{reference_part}-{env_part}"


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
    return name + "Value" if name in RESERVED_VARIABLES else name


def enum_class(field: str) -> str:
    name = naming.pascal(naming.words(field))
    return name + "Enum" if name.lower() in RESERVED_CLASS_NAMES or name.lower() in PACKAGE_NAMES else name


def object_class(field: str) -> str:
    """The final class of an object field's values (`cart_line` -> `CartLine`)."""
    name = naming.pascal(naming.words(field))
    return name + "Object" if name.lower() in RESERVED_CLASS_NAMES or name.lower() in PACKAGE_NAMES else name


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
