"""Go identifiers for a langpack: MixedCaps with Go's initialisms (UserID, PageURL)."""

from __future__ import annotations

from clickgen import naming

KEYWORDS = frozenset(
    "break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var".split()
)
PREDECLARED = frozenset(
    "any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr "
    "true false iota nil append cap clear close complex copy delete imag len make max min new panic print println real recover".split()
)
# The initialisms of Go's own style guide (go/lint's commonInitialisms), plus UID.
INITIALISMS = frozenset(
    "ACL API ASCII CPU CSS DNS EOF GUID HTML HTTP HTTPS ID IP JSON LHS QPS RAM RHS RPC SLA SMTP SQL SSH TCP TLS TTL UDP UI UID UUID URI URL UTF8 VM XML XMPP XSRF XSS OS".split()
)
# Methods every generated event type has, plus the names of methods that standard
# interfaces (error, fmt.Stringer, fmt.Formatter, encoding/json, ...) or `go vet`'s
# stdmethods check give a meaning: a field's getter or setter may not take them.
EVENT_METHODS = frozenset(
    {"Validate", "EventName", "EventID", "EventVersion", "EventTimeUS", "SetEventTimeUS", "EventUID", "SetEventUID"}
    | {"AppendJSON", "MarshalJSON", "UnmarshalJSON", "MarshalText", "UnmarshalText", "MarshalBinary", "UnmarshalBinary"}
    | {"MarshalXML", "UnmarshalXML", "GobEncode", "GobDecode", "String", "GoString", "Format", "Error", "Is", "As", "Unwrap"}
    | {"Peek", "ReadByte", "ReadFrom", "ReadRune", "Scan", "Seek", "UnreadByte", "UnreadRune", "WriteByte", "WriteTo"}
)
# Exported package-level names of the langpack's runtime (templates/go/gen<G>/):
# an enum type or constant derived from a field may not take them.
PACKAGE_NAMES = frozenset(
    {"Client", "NewClient", "Common", "NewCommon", "Event", "ValidationError", "Sender", "SenderStats", "ErrQueueFull", "ErrClosed"}
    | {"MemorySender", "NewMemorySender", "WriterSender", "NewWriterSender", "HTTPSender", "NewHTTPSender", "HTTPSenderOptions"}
    | {"LangpackVersion", "SourceID", "Environment", "DefaultCollector", "Clock", "UIDSource", "SetClock", "SetUIDSource", "NewUUIDv7"}
    | {"DecodeJSON", "CollectorEnv", "SpoolDirEnv"}
)


def _word(part: str) -> str:
    upper = part.upper()
    if upper in INITIALISMS:
        return upper
    if upper.endswith("S") and upper[:-1] in INITIALISMS:  # ids -> IDs
        return upper[:-1] + "s"
    return part[:1].upper() + part[1:]


def exported(parts: list[str]) -> str:
    return "".join(_word(p) for p in parts)


def package(environment: str) -> str:
    name = "".join(naming.words(environment))
    return name + "pkg" if name in KEYWORDS or name in PREDECLARED else name


def module(prefix: str, environment: str) -> str:
    return f"{prefix.rstrip('/')}/{environment}"


def event_type(event: str, version: int) -> str:
    return f"{exported(naming.words(event))}V{version}"


def getter(field: str) -> str:
    name = exported(naming.words(field))
    return name + "Field" if name in EVENT_METHODS or ("Set" + name) in EVENT_METHODS else name


def setter(field: str) -> str:
    return "Set" + getter(field)


# The import name of a split langpack's runtime package (internal/core): the root
# package's constructors call core.NewCommon(...) with parameters of these names.
CORE_PACKAGE = "core"


def parameter(field: str) -> str:
    """A constructor parameter: lowerCamel; a keyword, a predeclared name or `core` gets a
    trailing underscore (like sqlc), which no other field name can produce."""
    parts = naming.words(field)
    name = parts[0] + exported(parts[1:])
    return name + "_" if name in KEYWORDS or name in PREDECLARED or name == CORE_PACKAGE else name


def struct_field(field: str) -> str:
    """The unexported struct field holding the value; `has` + the same suffix marks an optional one as set."""
    return "f" + exported(naming.words(field))


def presence_field(field: str) -> str:
    return "has" + exported(naming.words(field))


def check_function(field: str) -> str:
    """The package-level validator of a field's values; the raw name keeps it unique."""
    return "check_" + field


def pattern_variable(field: str) -> str:
    return "pattern_" + field


def enum_type(field: str) -> str:
    name = exported(naming.words(field))
    return name + "Enum" if name in PACKAGE_NAMES else name


def object_type(field: str) -> str:
    """The struct type of an object field's values (`cart_line` -> `CartLine`), made by `New` + the type."""
    name = exported(naming.words(field))
    return name + "Object" if name in PACKAGE_NAMES or ("New" + name) in PACKAGE_NAMES else name


def enum_constant(field: str, value: str) -> str:
    name = enum_type(field) + exported(naming.value_words(value))
    return name + "Value" if name in PACKAGE_NAMES else name


def event_members(fields: list[str]) -> list[tuple[str, str]]:
    out = []
    for field in fields:
        out.append((getter(field), field))
        out.append((setter(field), field))
    return out
