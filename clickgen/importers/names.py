"""Names for imported events and fields that the reference accepts at once.

- `snake(text)`: a name `^[a-z][a-z0-9_]*$` (at most 64 characters) from any text:
  camelCase, spaces, `$`, dots and accents become snake_case words.
- `singular(text)`: the name of an array's item object.
- `Registry`: hands out names so that no two entities (events, enum and object types,
  fields' accessors) share an identifier in any target language (the identifiers rules
  CG0210/CG0211 compare), and no field is named like an envelope key. It is stricter
  than the rules (one namespace for the whole reference instead of one per event
  version or object), which is what makes the result valid whatever the source's names
  were.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from clickgen import naming
from clickgen.ir import ENVELOPE_KEYS
from clickgen.targets.go import naming as go_naming
from clickgen.targets.php import naming as php_naming
from clickgen.targets.python import naming as python_naming

MAX_NAME = 64


@lru_cache(maxsize=None)
def snake(text: str, fallback: str) -> str:
    """A reference name for `text`: lowercase ASCII words joined by `_`."""
    words = naming.words(naming.ascii_fold(text))
    name = "_".join(words) or fallback
    if not name[0].isalpha():
        name = f"{fallback}_{name}"
    return name[:MAX_NAME].rstrip("_")


_PLURALS = (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("s", ""))


@lru_cache(maxsize=None)
def singular(text: str) -> str:
    """The name of one item of an array named `text`: its last word in the singular
    (`cart_lines` -> `cart_line`, `categories` -> `category`, `boxes` -> `box`), or
    `<name>_item` when that word does not look plural (`data`, `status`, `address`)."""
    name = snake(text, "field")
    word = name.rsplit("_", 1)[-1]
    for plural, one in _PLURALS:
        if word.endswith(plural) and len(word) > len(plural) + 1 and not (plural == "s" and word.endswith(("ss", "us", "is"))):
            return name[: len(name) - len(plural)] + one
    return f"{name[: MAX_NAME - 5].rstrip('_')}_item"


def _event_identifiers(name: str, versions: int) -> list[tuple[str, str]]:
    out = []
    for version in range(1, versions + 1):
        go_type = go_naming.event_type(name, version)
        out += [
            ("python", python_naming.event_class(name, version)),
            ("go", go_type),
            ("go", "New" + go_type),
            ("php", php_naming.event_class(name, version).lower()),
        ]
    return out


@lru_cache(maxsize=None)
def _field_members(name: str) -> frozenset[tuple[str, str]]:
    members = [("python", i) for i, _ in python_naming.event_members([name])]
    members += [("go", i) for i, _ in go_naming.event_members([name])]
    members += [("go", go_naming.parameter(name)), ("go", go_naming.struct_field(name))]
    members += [("php", i) for i, _ in php_naming.event_members([name])]
    return frozenset(members)


def _object_identifiers(name: str) -> list[tuple[str, str]]:
    go_type = go_naming.object_type(name)
    return [("python", python_naming.object_class(name)), ("go", go_type), ("go", "New" + go_type), ("php", php_naming.object_class(name).lower())]


def _enum_identifiers(name: str, values: Iterable[str]) -> list[tuple[str, str]]:
    out = [
        ("python", python_naming.enum_class(name)),
        ("go", go_naming.enum_type(name)),
        ("php", php_naming.enum_class(name).lower()),
    ]
    out += [("go", go_naming.enum_constant(name, value)) for value in values]
    return out


class Registry:
    """Names taken so far, and the identifiers each one produces."""

    def __init__(self) -> None:
        self.events: set[str] = set()
        self.fields: set[str] = set()
        self.package: set[tuple[str, str]] = set()  # event types, enum types and constants
        self.members: set[tuple[str, str]] = set()  # accessors and parameters of fields

    def _candidates(self, base: str, alternative: str | None) -> Iterable[str]:
        yield base
        if alternative:
            yield alternative
        for number in range(2, 100_000):
            suffix = f"_{number}"
            yield base[: MAX_NAME - len(suffix)].rstrip("_") + suffix

    def event_name(self, base: str, versions: int, alternative: str | None = None) -> str:
        for name in self._candidates(base, alternative):
            if name in self.events:
                continue
            identifiers = set(_event_identifiers(name, versions))
            if identifiers & self.package:
                continue
            self.events.add(name)
            self.package |= identifiers
            return name
        raise AssertionError(f"no free name for {base!r}")

    def field_name(self, base: str, alternative: str | None, enum: tuple[str, ...] | None, is_object: bool = False) -> str:
        for name in self._candidates(base, alternative):
            if name in self.fields or name in ENVELOPE_KEYS:
                continue
            members = _field_members(name)
            package = set(_object_identifiers(name)) if is_object else set(_enum_identifiers(name, enum)) if enum else set()
            if members & self.members or package & self.package or (enum and len(package) < 3 + len(set(enum))):
                continue
            self.fields.add(name)
            self.members |= members
            self.package |= package
            return name
        raise AssertionError(f"no free name for {base!r}")
