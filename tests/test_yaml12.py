"""The YAML reader where libyaml and YAML 1.2 disagree (clickgen/yaml12.py).

Each construct comes with its near misses: YAML that looks alike and is valid, which
must still be read as before. Positions are 1-based (line, column).
"""

from __future__ import annotations

from typing import Any

import pytest

from clickgen.yamlread import read_yaml


def refusal(text: str) -> tuple[str, int, int]:
    value, problems = read_yaml(text, "t.yaml")
    errors = [p for p in problems if p.severity.value == "error"]
    assert value is None and len(errors) == 1, (value, problems)
    return errors[0].code, errors[0].span.line, errors[0].span.col


def reads(text: str) -> Any:
    value, problems = read_yaml(text, "t.yaml")
    assert [p for p in problems if p.severity.value == "error"] == [], problems
    return value


# --- invalid YAML 1.2 that libyaml accepts: CG0001 at the construct ------------------


@pytest.mark.parametrize(
    "text, where",
    [
        # a line continuing a flow collection or quoted scalar must be indented deeper
        # than the block collection around it (YAML 1.2 s-flow-line-prefix)
        ("key: [a,\nb]\n", (2, 1)),
        ("key: {a: 1,\nb: 2}\n", (2, 1)),
        ("- key: [a,\n  b]\n", (2, 3)),  # the mapping is at column 3: lines need 3 spaces
        ("outer:\n  key: [a,\n  b]\n", (3, 3)),
        ('key: "a\nb"\n', (2, 1)),
        ("key: 'a\nb'\n", (2, 1)),
        ('key: "a\n# b"\n', (2, 1)),  # content of the string, not a comment
        ('- "a\nb"\n', (2, 1)),
        ('key: ["a\nb"]\n', (2, 1)),
        # ... and tabs never stand for that indentation
        ("key: [a,\n\tb]\n", (2, 1)),
        ('key: "a\n\tb"\n', (2, 1)),
        ('key: "a\n\t\n  b"\n', (2, 1)),
        # a comment is separated from what comes before it by a space
        ('key: "value"#c\n', (1, 13)),
        ("key: 'value'#c\n", (1, 13)),
        ("key: [a, b]#c\n", (1, 12)),
        ("key: {a: b}#c\n", (1, 12)),
        ("key: [a,#c\n  b]\n", (1, 9)),
        ("key: >#c\n  text\n", (1, 7)),
        ("key: |-#c\n  text\n", (1, 8)),
        ("%YAML 1.2#c\n---\nkey: 1\n", (1, 10)),
        # '-' alone is no node inside a flow collection
        ("key: [-]\n", (1, 7)),
        ("key: [a, -]\n", (1, 10)),
        ("key: [-, a]\n", (1, 7)),
        # no leading empty line of a block scalar is longer than its first line
        ("key: >\n   \n  text\n", (2, 3)),
        ("key: |\n \n  \n   \n # c\n", (4, 2)),
    ],
)
def test_invalid_yaml_that_libyaml_accepts(text: str, where: tuple[int, int]) -> None:
    assert refusal(text) == ("CG0001", *where)


@pytest.mark.parametrize(
    "text, value",
    [
        # continuation lines deep enough; tabs after the indentation; blank lines and
        # comments anywhere in a flow collection; the root has no parent
        ("key: [a,\n  b]\n", {"key": ["a", "b"]}),
        ("- key: [a,\n   b]\n", [{"key": ["a", "b"]}]),
        ("key:\n  [a,\n   b]\n", {"key": ["a", "b"]}),
        ("key: &x\n  [a,\n   b]\n", {"key": ["a", "b"]}),
        ("key: [\n \ta,\n\t\n  b]\n", {"key": ["a", "b"]}),
        ("key: [a, # one\n# two\n  b]\n", {"key": ["a", "b"]}),
        ("[a,\nb]\n", ["a", "b"]),
        ('key: "a\n  b"\n', {"key": "a b"}),
        ('key: "a\n \tb"\n', {"key": "a b"}),
        ('key: "a\n\n  b"\n', {"key": "a\nb"}),
        ('key: "a\n  # b"\n', {"key": "a # b"}),
        ('"a\nb"\n', "a b"),
        # a closing bracket at the parent's indentation: tolerated, as the yaml npm
        # library does (YAML 1.2 asks for one more space)
        ("key: [\n  a,\n]\n", {"key": ["a"]}),
        ("  key: {\n    a: 1\n  }\n", {"key": {"a": 1}}),
        # '#' inside a scalar, or after a space or a tab
        ('key: "#fff"\n', {"key": "#fff"}),
        ("key: ['#fff', \"a#b\"]\n", {"key": ["#fff", "a#b"]}),
        ("key: http://example.com/#part\n", {"key": "http://example.com/#part"}),
        ("key: C#\n", {"key": "C#"}),
        ('key: "value" #c\n', {"key": "value"}),
        ('key: "value"\t#c\n', {"key": "value"}),
        ("key: [a, b] #c\n", {"key": ["a", "b"]}),
        ("key: [a, #c\n  b]\n", {"key": ["a", "b"]}),
        ("key: > #c\n  text\n", {"key": "text\n"}),
        ("# see [#12], \"x\"#y\nkey: 1 # [a]#b\n", {"key": 1}),
        ("key: |\n  \"x\"#y\n", {"key": '"x"#y\n'}),
        ("%YAML 1.2 # c#d\n---\nkey: 1\n", {"key": 1}),
        # '-' that starts a plain scalar, or a quoted one
        ("key: [-x, -1, '-', \"-\"]\n", {"key": ["-x", -1, "-", "-"]}),
        ("key: {-: a}\n", {"key": {"-": "a"}}),
        ("key: -x\n", {"key": "-x"}),
        # leading empty lines no longer than the first line, or an explicit indentation
        ("key: >\n \n  text\n", {"key": "\ntext\n"}),
        ("key: |2\n   \n  text\n", {"key": " \ntext\n"}),
        ("key: |\n   \n", {"key": ""}),
    ],
)
def test_valid_yaml_that_looks_alike_is_read(text: str, value: Any) -> None:
    assert reads(text) == value


# --- valid YAML 1.2 libyaml reads differently: CG0014, or read as YAML 1.2 does --------


@pytest.mark.parametrize(
    "text, where, says",
    [
        ("key: [?x]\n", (1, 7), "'?x'"),
        ("key: {?x: 1}\n", (1, 7), "'?x'"),
        ("key: [a,\n  ?b]\n", (2, 3), "'?b'"),
        ("key: &an:chor value\n", (1, 6), "'an:chor'"),
        ("a: &x 1\nb: *x:y\n", (2, 4), "'x:y'"),
        ("&k: key: v\n", (1, 1), "'k:'"),
    ],
)
def test_what_libyaml_would_misread_is_refused(text: str, where: tuple[int, int], says: str) -> None:
    value, problems = read_yaml(text, "t.yaml")
    assert value is None and [(p.code, p.span.line, p.span.col) for p in problems] == [("CG0014", *where)]
    assert says in problems[0].message and problems[0].hint


@pytest.mark.parametrize(
    "text, value",
    [
        ("key: [? x]\n", {"key": [{"x": None}]}),  # an explicit key: '?' and a space
        ("key: {? x: 1}\n", {"key": {"x": 1}}),
        ("key: ['?x', \"?y\"]\n", {"key": ["?x", "?y"]}),
        ("key: ?x\n", {"key": "?x"}),  # outside flow collections libyaml reads it right
        ("?x: 1\n", {"?x": 1}),
        ("key: [why?]\n", {"key": ["why?"]}),
        ("a: &an-chor_1 v\nb: *an-chor_1\n", {"a": "v", "b": "v"}),
        ("&k key: 1\nother: *k\n", {"key": 1, "other": "key"}),
    ],
)
def test_question_marks_and_anchors_libyaml_reads_right(text: str, value: Any) -> None:
    assert reads(text) == value


@pytest.mark.parametrize(
    "text, value",
    [
        # the file ends inside the block scalar's last line: YAML 1.2 keeps the line break
        ("key: |\n  text", {"key": "text\n"}),
        ("key: >\n  one\n  two", {"key": "one two\n"}),
        ("key: |+\n  text", {"key": "text\n"}),
        ("key: |\n  x\n   ", {"key": "x\n \n"}),
        ("- |\n  a\n  b", ["a\nb\n"]),
        # ... except with the strip indicator, and as before when a line break ends it
        ("key: |-\n  text", {"key": "text"}),
        ("key: |\n  text\n", {"key": "text\n"}),
        ("key: |\n  x\n  ", {"key": "x\n"}),
        ("a: |\n  x\nb: |\n  y\n", {"a": "x\n", "b": "y\n"}),
    ],
)
def test_a_block_scalar_at_the_end_of_the_file(text: str, value: Any) -> None:
    assert reads(text) == value


# --- valid YAML 1.2 libyaml refuses: CG0014, not CG0001 -------------------------------


@pytest.mark.parametrize(
    "text, where, construct",
    [
        ("key:\n \tvalue\n", (2, 2), "a tab between the indentation and a value"),
        ("\t[a]\n", (1, 1), "a tab between the indentation and a value"),
        ("-\tvalue\n", (1, 2), "a tab after '-'"),
        ("key:\n  - \tvalue\n", (2, 5), "a tab after '-'"),
        ("a: 1\n\t\nb: 2\n", (2, 1), "a tab on a line that is otherwise blank"),
        ("a: 1\n\t# note\nb: 2\n", (2, 1), "a tab on a line that is otherwise blank or a comment"),
        ("key: |\n \ttext\n", (2, 2), "a tab at the start of a block scalar's first line"),
        ("key: {a\n  : 1}\n", (2, 3), "a flow mapping key over several lines"),
        ("key: {a\n  b: 1}\n", (2, 4), "a flow mapping key over several lines"),
        ("key: [:x]\n", (1, 7), "a plain scalar starting with ':'"),
        ("key: {a: :x}\n", (1, 10), "a plain scalar starting with ':'"),
        ("key: [a, : b]\n", (1, 10), "an entry with an empty key"),
        ("%FOO bar\n---\nkey: 1\n", (1, 1), "the reserved directive %FOO"),
        ("%YAML 1.3\n---\nkey: 1\n", (1, 1), "%YAML 1.3"),
        ("key: &ключ 1\n", (1, 6), "the anchor name 'ключ'"),
        ("--- >\ntext\n", (2, 1), "a block scalar at the top of the document"),
    ],
)
def test_valid_yaml_libyaml_refuses_is_not_called_invalid(text: str, where: tuple[int, int], construct: str) -> None:
    value, problems = read_yaml(text, "t.yaml")
    assert value is None and [(p.code, p.span.line, p.span.col) for p in problems] == [("CG0014", *where)]
    assert problems[0].message.startswith("valid YAML 1.2, but clickgen's YAML reader does not support " + construct)
    assert problems[0].hint


@pytest.mark.parametrize(
    "text, where",
    [
        # the same characters where YAML 1.2 forbids them
        ("key:\n\tvalue\n", (2, 1)),  # a tab as indentation
        ("\tkey: value\n", (1, 1)),
        ("-\t- a\n", (1, 2)),  # a block collection must be indented with spaces
        ("-\tkey: value\n", (1, 2)),
        ("key: |\n\ttext\n", (2, 1)),  # the tab is where the indentation goes
        ("key:\n  value\n\t\n  more\n", (3, 1)),  # an empty line inside a plain scalar
        ("key: {a: b\n  : 1}\n", (2, 3)),  # ':' after a value
        ("%YAML 2.0\n---\nkey: 1\n", (1, 1)),  # YAML 1.2 rejects a later major version
        # a valid construct libyaml refuses, in a document invalid further on
        ("a:\n \tb\nc: [x,\ny]\n", (4, 1)),
        ("-\titem\n- other\n  bad: indentation\n", (3, 6)),
    ],
)
def test_invalid_yaml_near_what_libyaml_refuses_stays_invalid(text: str, where: tuple[int, int]) -> None:
    assert refusal(text) == ("CG0001", *where)
