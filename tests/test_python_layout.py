"""clickgen.targets.python.layout against black itself.

The Python langpacks are written in black's style by the templates, without running
black: the lines whose length depends on the reference go through `layout`. Here every
shape of such a line that the templates write is laid out by `layout` and by black, for
names from 1 to 64 characters and texts from empty to far over the line length, and the
two must agree to the byte. tests/test_langpack_python.py checks whole langpacks.
"""

from __future__ import annotations

import itertools
import random
import sys
import unicodedata

import black
import pytest

from clickgen.targets.python import layout
from clickgen.targets.text import python_docstring, python_literal, python_string

MODE = black.Mode()
NAME_LENGTHS = (1, 9, 21, 30, 38, 45, 51, 56, 60, 64)
TEXT_LENGTHS = (0, 12, 40, 58, 66, 71, 76, 81, 86, 130)

# (statement, depth): {n}/{m} names (a_b_c...), {E} a class name, {s} the body of a string
STATEMENTS = [
    ("self._f_{n}: list[{E}] = copy_list({n})", 2),
    ("self._f_{n}: {E} | None = {n}", 2),
    ("self._f_{n}: list[{E}] | None = None", 2),
    ("self._f_{n} = copy_list(value)", 2),
    ('EVENT_NAME: ClassVar[str] = "{s}"', 1),
    ('NUMBER_FIELDS: ClassVar[tuple[str, ...]] = ("{s}",)', 1),
    ('NUMBER_FIELDS: ClassVar[tuple[str, ...]] = ("{s}", "{n}",)', 1),
    ('__slots__ = ("_f_{n}",)', 1),
    ('_{n}_PATTERN = _re.compile("{s}", _re.ASCII)', 0),
    ('{E}_VALUES = frozenset(("{s}",))', 0),
    ('{E}_VALUES = frozenset(("{s}", "{n}",))', 0),
    ('{E} = "{s}"', 1),
    ("from ._runtime import Event, INT64_MAX, check_bool, check_float, check_int, {n}", 0),
    ("from .events import {E}V123456", 0),
    ("from {n} import HttpBatchSender, MemorySender, StreamSender", 0),
    ("import {n} as langpack", 0),
    ("class {E}V1(Event):", 0),
    ("def {n}(self) -> list[{E}] | None:", 1),
    ("def set_{n}(self, value: Sequence[{E}]) -> {E}V1:", 1),
    ("def replace(self, **changes: Any) -> {E}V12:", 1),
    ("def _from_wire(cls, values: dict[str, Any], time_us: Any, uid: Any) -> {E}V1:", 1),
    ("def build_{n}v1(fields: dict[str, Any], time_us: int, uid: str) -> Event:", 0),
    ("if not (self._f_{n} is None or type(self._f_{n}) is int and -9223372036854775808 <= self._f_{n} <= 9223372036854775807):", 2),
    ("if not (type(self._f_{n}) in (float, int) and -1.5 <= self._f_{n} <= 1e300):", 2),
    ("if not (self._f_{n} is None or type(self._f_{n}) is str and 1 <= len(self._f_{n}) <= 64 and _{m}_PATTERN.fullmatch(self._f_{n}) is not None):", 2),
    ("if not (self._f_{n} in _enums.{E}_VALUES and _formats.valid_date_time(self._f_{n})):", 2),
    ('check_str(self.EVENT_NAME, "{s}", self._f_{n}, True, enum=_enums.{E}, pattern=("{s}", _{m}_PATTERN))', 3),
    ('check_list(self.EVENT_NAME, "{s}", self._f_{n}, False, "str", min_items=0, max_items=4)', 3),
    ('values["{s}"] = self._f_{n}', 2),
    ('values["{s}"] = self._f_{n}', 3),
    ("if self._f_{n} is not None:", 2),
    ("if {n} is not None:", 2),
    ('self._common["{s}"] = copy_list({n})', 3),
    ('warnings.warn("{s}", DeprecationWarning, stacklevel=2)', 3),
    ('raise TypeError(f"{E}V1 has no field {{sorted(unknown)[0]!r}}")', 3),
    ("return {E}V1(event_time_us=self._event_time_us, event_uid=self._event_uid, **values)", 2),
    ('event = langpack.{E}V1({n}=fields["{s}"], event_time_us=time_us, event_uid=uid,)', 1),
    ('event.set_{n}(as_enum(langpack.{E}, fields["{s}"]))', 2),
    ('DEFAULT_COLLECTOR = "{s}"', 0),
    ("EVENT_CLASSES: tuple[type[Event], ...] = ({E}V1,)", 0),
    ('_COMMON_NUMBER_FIELDS: tuple[str, ...] = ("{s}",)', 0),
    ("ENVIRONMENT = \"{s}\"", 0),
]

# (element with its trailing comma, depth, bracket) of brackets the templates explode
ITEMS = [
    ("{n}: Sequence[{E}] | None = None,", 2, "def"),
    ("{n}: Optional[Sequence[{E}]] = None,", 2, "def"),
    ("{n}: {E},", 2, "def"),
    ('{n}=as_enum_list({E}, values.pop("{s}", None)),', 3, "call"),
    ('{n}=as_enum(langpack.{E}, common.get("{s}")),', 2, "call"),
    ("enum=_enums.{E},", 3, "call"),
    ('pattern=("{s}", _{m}_PATTERN),', 3, "call"),
    ('"{s}",', 3, "call"),
    ('("{s}", 123456): build_{n}v123456,', 1, "dict"),
    ("(2147483647, 123456): _events.{E}V123456,", 1, "dict"),
    ('"{s}": "{n}",', 1, "dict"),
    ('"{n}": self._f_{n},', 3, "dict"),
]


def name(length: int, letter: str = "n") -> str:
    """A field-like name of `length` characters with a few underscores."""
    return "".join("_" if i % 7 == 6 and i < length - 1 else letter for i in range(length))


def class_name(length: int) -> str:
    return "K" + "k" * (length - 1)


def fill(template: str, n: int, s: int) -> str:
    return template.format(n=name(n), m=name(max(1, 65 - n), "m"), E=class_name(n), s="x" * s)


def black_statement(text: str, depth: int) -> str:
    source = "".join("    " * i + "if x:\n" for i in range(depth)) + "    " * depth + text + "\n"
    if text.endswith(":"):
        source += "    " * (depth + 1) + "pass\n"
    lines = [line for line in black.format_str(source, mode=MODE).split("\n")[depth:] if line.strip()]
    return "\n".join(lines[:-1] if text.endswith(":") else lines)


def black_item(text: str, depth: int, bracket: str) -> str:
    indent = "    " * (depth - 1)
    head, tail = {"call": ("f(", ")"), "def": ("def f(", "): pass"), "dict": ("x = {", "}")}[bracket]
    source = "".join("    " * i + "if x:\n" for i in range(depth - 1)) + f"{indent}{head}\n{'    ' * depth}{text}\n{indent}{tail}\n"
    lines = [line for line in black.format_str(source, mode=MODE).split("\n")[depth - 1 :] if line.strip()]
    return "\n".join(lines[1:-2] if bracket == "def" else lines[1:-1])


@pytest.mark.parametrize("template,depth", STATEMENTS, ids=[t for t, _ in STATEMENTS])
def test_statements_are_laid_out_as_black_does(template: str, depth: int) -> None:
    texts = TEXT_LENGTHS if "{s}" in template else (0,)
    for n, s in itertools.product(NAME_LENGTHS, texts):
        text = fill(template, n, s)
        assert layout.statement(text, depth) == black_statement(text, depth), (n, s, text)


@pytest.mark.parametrize("template,depth,bracket", ITEMS, ids=[t for t, _, _ in ITEMS])
def test_exploded_elements_are_laid_out_as_black_does(template: str, depth: int, bracket: str) -> None:
    texts = TEXT_LENGTHS if "{s}" in template else (0,)
    for n, s in itertools.product(NAME_LENGTHS, texts):
        text = fill(template, n, s)
        assert layout.item(text, depth, bracket) == black_item(text, depth, bracket), (n, s, text)


def test_wide_characters_count_twice() -> None:
    """black measures lines in display columns: a CJK string is split sooner."""
    for count in range(30, 45):
        text = f'DEPRECATED: ClassVar[str] = {python_string("你" * count)}'
        assert layout.statement(text, 1) == black_statement(text, 1)


def test_width_is_blacks_on_every_printable_character() -> None:
    from black.strings import char_width

    wrong = [hex(c) for c in range(sys.maxunicode + 1) if chr(c).isprintable() and layout.width(chr(c)) != char_width(chr(c))]
    assert not wrong, f"{len(wrong)} characters, e.g. {wrong[:10]} (Unicode {unicodedata.unidata_version})"


PIECES = ['"', "'", '"""', "\\", "\t", "  ", "é", "你好", "🚀", "{{ x }}", "*/", "word", "x" * 30, "\n", "\n\n", "\n  indented", " \n"]


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) if rng.random() < 0.4 else rng.choice(["lorem ", "ipsum ", "a "]) for _ in range(rng.choice([1, 3, 10, 25])))


def test_docstrings_are_blacks_fixed_point() -> None:
    """A docstring as the templates assemble it (escaped texts at an indentation) comes
    out as black leaves it: black does not change it any more."""
    rng = random.Random(12)
    for _ in range(400):
        depth = rng.choice([0, 1, 2])
        indent = "    " * depth
        first = python_docstring(random_text(rng), 4 * depth)
        rest = python_docstring(random_text(rng), 4 * depth)
        # a last line that leaves no room for the closing quotes, ending in a quote
        long_last = python_docstring("y" * rng.randint(70, 90) + rng.choice(['"', "'", "\\", "z"]), 4 * depth)
        raw = rng.choice(
            [
                f'"""{first}"""',
                f'"""{first} None when not set."""',
                f'"""{first}\n\n{indent}{rest}\n{indent}"""',
                f'"""{first}\n{indent}{rest}"""',
                f'"""{first}\n{indent}{long_last}"""',
            ]
        )
        source = "".join("    " * i + f"def f{i}():\n" for i in range(depth)) + indent + "{}\n"
        laid_out = source.format(layout.docstring(raw, depth))
        assert black.format_str(laid_out, mode=MODE) == laid_out, raw
        # and it is black's reading of what the template wrote
        assert black.format_str(black.format_str(source.format(raw), mode=MODE), mode=MODE) == laid_out, raw


def test_strings_and_numbers_are_spelled_as_black_spells_them() -> None:
    for value in ['say "hi"', "it's", "\"'\"", "'\"'", '\\"', "tab\there", "", "你好 🚀", 'a"b\'c"']:
        literal = python_string(value)
        assert eval(literal) == value  # noqa: S307 (a literal we just made)
        assert black.format_str(f"x = {literal}\n", mode=MODE) == f"x = {literal}\n"
    for number in [1e21, 1.5e-07, -1e300, 0.1, 2.5e-05, -0.0, 12345.678, 10**18, -(2**63)]:
        literal = python_literal(number)
        assert black.format_str(f"x = {literal}\n", mode=MODE) == f"x = {literal}\n"


# statements the templates write exploded (the last bracket ends with a comma)
EXPLODED = [
    ("event = langpack.{E}V1(", ['{n}=fields["{s}"],', '{m}=as_enum(langpack.{E}, fields.get("{s}")),', "event_time_us=time_us,", "event_uid=uid,"], ")", 1),
    ("client = Client(", ["sender,", '{n}=as_enum_list(langpack.{E}, common["{s}"]),'], ")", 1),
]


@pytest.mark.parametrize("head,elements,tail,depth", EXPLODED, ids=[e[0] for e in EXPLODED])
def test_exploded_statements_are_kept_only_where_black_keeps_them(head: str, elements: list[str], tail: str, depth: int) -> None:
    for n, s in itertools.product(NAME_LENGTHS, TEXT_LENGTHS):
        lines = [fill(head, n, s)] + [fill(e, n, s) for e in elements] + [tail]
        indent = "    " * depth
        block = indent + lines[0] + "\n" + "".join(indent + "    " + line + "\n" for line in lines[1:-1]) + indent + lines[-1] + "\n"
        one_line = lines[0] + " ".join(lines[1:-1]) + lines[-1]
        assert layout.layout_exploded(block) == black_statement(one_line, depth) + "\n", (n, s)
