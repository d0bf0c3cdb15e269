"""Reading and loading: the positioned YAML reader, the folder walk, the schema check's
mapping of errors to positions, and what a broken part hides from later stages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from clickgen.diagnostics import CODES, Span
from clickgen.frontend import analyze, analyze_folder
from clickgen.load import Document, FolderSource, Kind, MissingSettings, find_reference_root, kind_of, load_reference
from clickgen.schema_check import _to_diagnostics, check_schema, locate
from clickgen.yamlread import MAX_DEPTH, PosDict, PosList, decode, read_yaml, read_yaml_with_details

GOOD = {
    "clickgen.yaml": "name: t\n",
    "fields/f.yaml": "user_id:\n  type: integer\n",
    "environments/web.yaml": "name: web\nsource_id: 1\nlangpacks: [go]\n",
    "events/ping.yaml": "event: ping\nid: 1\nowner: me\nenvironments: [web]\nversions:\n  1:\n    fields:\n      user_id: required\n",
}


class MemorySource:
    def __init__(self, files: dict[str, str | bytes], unreadable: tuple[str, ...] = ()) -> None:
        self.files = {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}
        self.unreadable = unreadable

    def list_files(self) -> tuple[list[str], list[Any]]:
        return sorted(self.files), []

    def read_bytes(self, path: str) -> bytes:
        if path in self.unreadable:
            raise PermissionError(13, "Permission denied", path)
        return self.files[path]


def codes(files: dict[str, str | bytes | None], **kwargs: Any) -> list[str]:
    merged = {k: v for k, v in {**GOOD, **files}.items() if v is not None}
    return [f"{d.code} {d.span}" for d in analyze(MemorySource(merged, **kwargs)).diagnostics]


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


# --- the YAML reader ------------------------------------------------------------------


def test_positions_of_keys_values_and_items() -> None:
    value, problems = read_yaml("a:\n  b: 1\n  c: [x, 'y']\nd:\n  - e\n  - {f: g}\n", "t.yaml")
    assert problems == []
    assert isinstance(value, PosDict) and value.start == (1, 1)
    assert value.key_pos == {"a": (1, 1), "d": (4, 1)}
    assert value.value_pos == {"a": (2, 3), "d": (5, 3)}
    assert value["a"].key_pos == {"b": (2, 3), "c": (3, 3)}
    assert isinstance(value["a"]["c"], PosList) and value["a"]["c"].item_pos == [(3, 7), (3, 10)]
    assert value["d"].item_pos == [(5, 5), (6, 5)]
    assert value["d"][1].key_pos == {"f": (6, 6)}


def test_keys_are_text_never_yaml_coercions() -> None:
    value, _ = read_yaml("1: a\nyes: b\n1.0: c\n~: d\n2001-01-01: e\n0x1F: f\n", "t.yaml")
    assert list(value) == ["1", "yes", "1.0", "~", "2001-01-01", "0x1F"]


def test_scalars() -> None:
    value, problems = read_yaml(
        "i: 12\nhex: 0x1F\nunder: 1_000\nf: 0.5\nexp: 1.0e+3\nt: true\nno: no\nnull: ~\nempty:\nts: 2001-01-01\n"
        "q: '12'\neq: =\nmerge: <<\n",
        "t.yaml",
    )
    # YAML 1.1's hex and underscores are read, but flagged: YAML 1.2 tools disagree
    assert [(p.code, p.span.line) for p in problems] == [("CG0013", 2), ("CG0013", 3)]
    assert value == {
        "i": 12, "hex": 31, "under": 1000, "f": 0.5, "exp": 1000.0, "t": True, "no": False, "null": None, "empty": None,
        "ts": "2001-01-01", "q": "12", "eq": "=", "merge": "<<",
    }


def test_unquoted_yes_no_on_off_are_remembered() -> None:
    _, _, bools = read_yaml_with_details("a: [yes, No, ON, off, true, False]\n", "t.yaml")
    assert bools == {(1, 5), (1, 10), (1, 14), (1, 18)}


def test_crlf_and_bom() -> None:
    text, problems = decode(b"\xef\xbb\xbfa: 1\r\nb:\r\n  - x\r\n", "t.yaml")
    assert problems == [] and text is not None and not text.startswith("\ufeff")
    value, problems = read_yaml(text, "t.yaml")
    assert problems == [] and value.value_pos == {"a": (1, 4), "b": (3, 3)}


@pytest.mark.parametrize(
    ("data", "where", "byte"),
    [
        (b"a: \xff\n", (1, 4), 0xFF),
        (b"a: 1\nb: caf\xe9\n", (2, 7), 0xE9),
        ("a: Жж".encode() + b"\xc3(", (1, 6), 0xC3),  # columns count characters
        (b"\xef\xbb\xbfa\xfe", (1, 2), 0xFE),  # after a BOM, the right byte and column
        (b"a\r\nb\rc\xff", (3, 2), 0xFF),  # \r alone breaks a line too
    ],
)
def test_not_utf8_position(data: bytes, where: tuple[int, int], byte: int) -> None:
    text, (problem,) = decode(data, "t.yaml")
    assert text is None
    assert (problem.code, problem.span) == ("CG0004", Span("t.yaml", *where))
    assert f"0x{byte:02x}" in problem.message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: \x07\n", (1, 4)),
        ("a: Жж\x07\n", (1, 6)),  # libyaml reports a byte offset; the span counts characters
        ("a: 1\r\x00", (2, 1)),
        ("a: 1\u2028\x01", (2, 1)),  # YAML breaks lines at LS (and NEL, PS) too
        ("a: 🚀\x1b", (1, 5)),
    ],
)
def test_control_character_position(text: str, where: tuple[int, int]) -> None:
    value, (problem,) = read_yaml(text, "t.yaml")
    assert value is None
    assert (problem.code, problem.span) == ("CG0001", Span("t.yaml", *where))


def test_unclosed_quote_names_where_it_starts() -> None:
    _, (problem,) = read_yaml("a: 1\nb: 'open\nc: 2\n", "t.yaml")
    assert problem.code == "CG0001"
    assert "starts at line 2, column 4" in problem.message
    assert problem.related == (Span("t.yaml", 2, 4),)
    assert "close the quoted string" in problem.hint


def test_nesting_limits() -> None:
    ok, problems = read_yaml("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "t.yaml")
    assert problems == [] and ok is not None
    for text in ("a: " + "[" * 100 + "]" * 100, "a: " + "{a: " * 5000 + "}" * 5000, "".join("  " * i + "k:\n" for i in range(300))):
        value, (problem,) = read_yaml(text, "t.yaml")
        assert value is None and problem.code == "CG0007", problem


def test_alias_expansion_is_bounded_and_small_aliases_work() -> None:
    value, problems = read_yaml("base: &b [1, 2]\ncopy: *b\n", "t.yaml")
    assert problems == [] and value["copy"] == [1, 2]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    value, (problem,) = read_yaml(bomb, "t.yaml")
    assert value is None and problem.code == "CG0007"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: !!python/object:os.system {}\n", "CG0006"),
        ("a: !!python/object/new:os.system [ls]\n", "CG0006"),
        ("!!python/object/apply:os.system ['ls']\n", "CG0006"),
        ("a: !local 1\n", "CG0006"),
        ("%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n", "CG0006"),
        ("a: !!set {x}\n", "CG0006"),
        ("a: !!omap [x: 1]\n", "CG0006"),
        ("a: !!seq text\n", "CG0006"),
        ("b: &b {x: 1}\na:\n  <<: *b\n", "CG0006"),
        ("a: &a {b: *a}\n", "CG0012"),
        ("? [a]\n: 1\n", "CG0011"),
        ("&k a: 1\n*k : 2\n", "CG0011"),
        ("a: 1\n---\nb: 2\n", "CG0010"),
        ("a: .inf\n", "CG0103"),
        ("a: -.Inf\n", "CG0103"),
        ("a: .NAN\n", "CG0103"),
        ("a: !!float abc\n", "CG0001"),
        ("a: *undefined\n", "CG0001"),
    ],
)
def test_what_the_reader_refuses(text: str, code: str) -> None:
    value, problems = read_yaml(text, "t.yaml")
    assert value is None
    assert [p.code for p in problems] == [code]
    assert problems[0].hint


def test_an_anchor_on_a_mapping_key_can_be_used_as_a_value() -> None:
    value, problems = read_yaml("&k key: 1\nother: *k\nlist: [*k]\n&n 12: x\nnumber: *n\n", "t.yaml")
    assert problems == []
    assert value == {"key": 1, "other": "key", "list": ["key"], "12": "x", "number": 12}


def test_the_non_specific_tag_makes_a_scalar_a_string() -> None:
    value, problems = read_yaml("x: ! 12\ny: ! yes\nz: ! 1.5\nn: ! null\ne: !\nq: ! '7'\n", "t.yaml")
    assert problems == []
    assert value == {"x": "12", "y": "yes", "z": "1.5", "n": "null", "e": "", "q": "7"}
    _, _, bools = read_yaml_with_details("y: ! yes\n", "t.yaml")
    assert bools == set()


def test_explicit_plain_tags_are_allowed() -> None:
    value, problems = read_yaml("a: !!str 12\nb: !!int '7'\nc: !!map {x: 1}\nd: !!null ''\ne: !!bool yes\n", "t.yaml")
    assert problems == []
    assert value == {"a": "12", "b": 7, "c": {"x": 1}, "d": None, "e": True}


def test_plain_tags_on_nothing_or_on_other_text_are_invalid_yaml_not_a_traceback() -> None:
    for text, where in (("k: !!int\n", (1, 4)), ("k: !!float\n", (1, 4)), ("k: !!bool\n", (1, 4)), ("k: !!bool maybe\n", (1, 4)), ("- !!int ''\n", (1, 3))):
        value, problems = read_yaml(text, "t.yaml")
        assert value is None and [(p.code, p.span.line, p.span.col) for p in problems] == [("CG0001", *where)], text


def test_duplicate_keys_are_all_reported_and_the_first_kept() -> None:
    value, problems = read_yaml("a: 1\nb: 2\na: 3\na: 4\n", "t.yaml")
    assert value == {"a": 1, "b": 2}
    assert [(p.code, p.span.line, p.related) for p in problems] == [
        ("CG0002", 3, (Span("t.yaml", 1, 1),)),
        ("CG0002", 4, (Span("t.yaml", 1, 1),)),
    ]


def test_empty_documents() -> None:
    for text in ("", "\n\n", "# comment\n", "---\n", "---\n...\n"):
        assert read_yaml(text, "t.yaml") == (None, []), repr(text)


# --- loading a folder -------------------------------------------------------------------


def test_folder_source_lists_only_reference_files(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    write(
        tmp_path,
        {
            "events/deep/er/pong.yml": "x: 1\n",
            "events/.hidden.yaml": "x: 1\n",
            "events/.git/ignored.yaml": "x: 1\n",
            "events/README.md": "docs\n",
            "fields/notes.txt": "x\n",
            "notes.yaml": "x: 1\n",
            "build/python/x.yaml": "x: 1\n",
        },
    )
    files, problems = FolderSource(tmp_path).list_files()
    assert problems == []
    assert files == ["clickgen.yaml", "fields/f.yaml", "environments/web.yaml", "events/ping.yaml", "events/deep/er/pong.yml"]


def test_kind_of() -> None:
    assert kind_of("clickgen.yaml") is Kind.SETTINGS
    assert kind_of("fields/a.yaml") is Kind.FIELDS
    assert kind_of("environments/a.yaml") is Kind.ENVIRONMENT
    assert kind_of("events/a/b/c.yaml") is Kind.EVENT
    assert kind_of("other/a.yaml") is None
    assert kind_of("fields.yaml") is None


def test_missing_settings_is_not_a_diagnostic(tmp_path: Path) -> None:
    write(tmp_path, {k: v for k, v in GOOD.items() if k != "clickgen.yaml"})
    with pytest.raises(MissingSettings):
        load_reference(FolderSource(tmp_path))
    assert "CG0008" in CODES  # the code names the situation; the CLI reports it as a usage error (exit 2)


def test_find_reference_root(tmp_path: Path) -> None:
    write(tmp_path / "ref", GOOD)
    (tmp_path / "ref" / "events" / "a" / "b").mkdir(parents=True)
    assert find_reference_root(tmp_path / "ref" / "events" / "a" / "b") == (tmp_path / "ref").resolve()
    assert find_reference_root(tmp_path / "ref") == (tmp_path / "ref").resolve()


def test_unreadable_file_from_any_source() -> None:
    assert codes({"fields/g.yaml": "x:\n  type: string\n"}, unreadable=("fields/g.yaml",)) == ["CG0009 fields/g.yaml:1:1"]


def test_an_unreadable_fields_file_hides_unknown_field_errors() -> None:
    """The missing definitions may live in the file that could not be read."""
    assert codes(
        {"fields/f.yaml": "user_id: {type: integer}\n", "fields/g.yaml": "other: {type: string}\n",
         "events/ping.yaml": GOOD["events/ping.yaml"] + "      other: optional\n      more: optional\n"},
        unreadable=("fields/g.yaml",),
    ) == ["CG0009 fields/g.yaml:1:1"]


def test_a_field_that_fails_the_schema_is_still_known() -> None:
    assert codes({"fields/f.yaml": "user_id:\n  type: int\n"}) == ["CG0104 fields/f.yaml:2:9"]


def test_an_environment_that_fails_the_schema_is_still_known() -> None:
    assert codes({"environments/web.yaml": "name: web\nsource_id: -1\nlangpacks: [go]\n"}) == ["CG0106 environments/web.yaml:2:12"]


def test_bad_metadata_does_not_hide_the_rest_of_an_event() -> None:
    # an empty owner is a metadata problem: the versions are still resolved and checked
    result = codes({"events/ping.yaml": GOOD["events/ping.yaml"].replace("owner: me", "owner: ''") + "      nope: optional\n"})
    assert result == ["CG0106 events/ping.yaml:3:8", "CG0201 events/ping.yaml:9:7"]


def test_a_bad_requirement_does_not_hide_the_rest_of_the_version() -> None:
    result = codes({"events/ping.yaml": GOOD["events/ping.yaml"].replace("user_id: required", "user_id: maybe") + "      nope: optional\n"})
    assert result == ["CG0104 events/ping.yaml:8:16", "CG0201 events/ping.yaml:9:7"]


def test_a_broken_field_entry_does_not_hide_its_neighbours() -> None:
    result = codes({"fields/f.yaml": "user_id:\n  type: integer\nbad:\n  type: nope\nempty:\n  type: integer\n  minimum: 3\n  maximum: 1\n"})
    assert result == ["CG0104 fields/f.yaml:4:9", "CG0215 fields/f.yaml:7:12"]


def test_every_file_is_reported_not_only_the_first() -> None:
    result = codes({"fields/a.yaml": "a:\n\tb\n", "fields/b.yaml": "- x\n", "fields/c.yaml": "", "fields/d.yaml": b"\xff"})
    assert result == ["CG0001 fields/a.yaml:2:1", "CG0003 fields/b.yaml:1:1", "CG0005 fields/c.yaml:1:1", "CG0004 fields/d.yaml:1:1"]


def test_example_reference_loads_every_file(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent / "examples" / "reference"
    loaded = load_reference(FolderSource(root))
    on_disk = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))
    assert sorted(d.path for d in loaded.documents) == on_disk
    assert loaded.diagnostics == [] and not check_schema(loaded).diagnostics
    assert analyze_folder(root).ok


# --- the schema check's positions ----------------------------------------------------


def test_locate() -> None:
    data, _ = read_yaml("a:\n  b: [x, {c: 1}]\n", "t.yaml")
    assert locate(data, ["a", "b", 1, "c"]) == (2, 14)
    assert locate(data, ["a", "b", 1, "c"], at_key=True) == (2, 11)
    assert locate(data, ["a", "b", 7]) == (2, 6), "a missing step stops at the deepest existing node"
    assert locate(data, []) == (1, 1)


def test_schema_fallback_code() -> None:
    """CG0100 is the fallback for a schema keyword without a dedicated code (none in schema/ today)."""
    data, _ = read_yaml("x:\n  n: 3\n", "fields/f.yaml")
    document = Document("fields/f.yaml", Kind.FIELDS, data)
    validator = jsonschema.Draft202012Validator({"properties": {"x": {"properties": {"n": {"multipleOf": 2}}}}})
    (error,) = validator.iter_errors(data)
    (diagnostic,) = _to_diagnostics(document, error)
    assert diagnostic.code == "CG0100"
    assert diagnostic.span == Span("fields/f.yaml", 2, 6)
    assert "x.n" in diagnostic.message and diagnostic.hint


def test_schema_messages() -> None:
    assert codes({"clickgen.yaml": "name: Big Name\n"}) == ["CG0105 clickgen.yaml:1:7"]
    analysis = analyze(MemorySource({**GOOD, "clickgen.yaml": "name: Big Name\n"}))
    assert "reference name" in analysis.diagnostics[0].message and "`big-name`" in analysis.diagnostics[0].hint
    analysis = analyze(MemorySource({**GOOD, "events/ping.yaml": GOOD["events/ping.yaml"].replace("owner: me", "owner:")}))
    assert analysis.diagnostics[0].message == "expected string, got nothing (null) in `owner`"
