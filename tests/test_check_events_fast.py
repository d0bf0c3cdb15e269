"""check-events' fast judge never changes a verdict.

`check_events.check_stream` sends each line first through `check_events_fast.FastJudge`,
a yes/no check made for speed, and only the lines it does not accept through
`_check_line`, which words every problem. The fast judge may send a valid line on (the
full check then accepts it), but must never accept a line the full check would report
anything on. These tests run the same lines both ways, with the fast judge and with the
full check alone, and compare every count and diagnostic. The lines:

- every valid vector of every reference below, and each of them with one field set to
  each edge value of the agreement tests (tests/judges/edges.py: doubles by bit
  pattern, int64 limits and beyond, 400-digit integers, integers no double holds,
  lone surrogates, lengths and patterns at and past their limits, formats, enums and
  near misses, wrong types), written as a correct sender writes it
  (tests/judges/oracle.py), as json.dumps writes it (floats as repr) and spaced;
- envelope edits, unknown and repeated keys (json's parse keeps the last of repeated
  keys), escaped keys and values, non-canonical numbers, line ends;
- hypothesis: doubles by bit pattern and integers of any size in number fields.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clickgen import canonical_json, check_events_fast
from clickgen.check_events import StreamReport, check_stream
from clickgen.frontend import analyze_folder
from clickgen.ir import ENVELOPE_KEYS, FieldType, Reference
from clickgen.vectors import build_vectors

from judges.edges import SPECIAL_DOUBLES, SPECIAL_NUMBER_INTEGERS, double_from_bits, draw, edge_values, field_strategy, object_edge_values
from judges.oracle import expect

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = {
    "example": ROOT / "examples" / "reference",
    "hostile-names": ROOT / "tests" / "cases" / "hostile-names" / "reference",
    "judges": ROOT / "tests" / "fixtures" / "judges",
    "edge-contracts": ROOT / "tests" / "cases" / "edge-contracts" / "reference",
    "wire-keys-formats": ROOT / "tests" / "cases" / "wire-keys-formats" / "reference",
    "objects": ROOT / "tests" / "fixtures" / "objects",
}
DRAWN_PER_FIELD = 40  # hypothesis values per field, on top of the fixed edges


def _load(name: str) -> Reference:
    analysis = analyze_folder(REFERENCES[name])
    assert analysis.ok, [str(d) for d in analysis.diagnostics]
    return analysis.reference


def _report(reference: Reference, lines: list[str], fast: bool) -> StreamReport:
    stream = [(line + "\n").encode("utf-8", "surrogatepass") for line in lines]
    if fast:
        return check_stream(reference, stream, "s")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(check_events_fast.FastJudge, "valid", lambda self, line: False)
        return check_stream(reference, stream, "s")


def assert_same_verdicts(reference: Reference, lines: list[str]) -> StreamReport:
    fast, full = _report(reference, lines, True), _report(reference, lines, False)
    if fast.diagnostics != full.diagnostics:
        reported = set(fast.diagnostics)
        missed = [d for d in full.diagnostics if d not in reported]
        first = lines[missed[0].span.line - 1][:400] if missed else ""
        raise AssertionError(f"the fast judge accepted lines the full check reports: {[(d.span.line, d.code, d.message) for d in missed][:10]}; first line: {first!r}")
    assert (fast.lines, fast.valid, fast.not_shown) == (full.lines, full.valid, full.not_shown)
    return fast


# --- the lines -------------------------------------------------------------------------


def _dumps(payload: dict[str, Any], spaced: bool = False) -> str:
    if spaced:
        return json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _writings(payload: dict[str, Any], spaced: bool = False) -> Iterator[str]:
    """The wire object as RFC 8785 writes it, as json.dumps writes it (floats as repr),
    and spaced."""
    try:
        yield canonical_json.encode(payload)
    except (TypeError, ValueError):
        pass
    try:
        yield _dumps(payload)
        if spaced:
            yield _dumps(payload, spaced=True)
    except ValueError:  # a value json cannot write (an int past 4300 digits)
        pass


def _edge_lines(reference: Reference) -> list[str]:
    """Each field of each valid vector's event version set to each of its edge values:
    the line a sender writes (oracle.expect), and the same wire object by json.dumps."""
    lines: list[str] = []
    done: set[tuple[str, str]] = set()  # (environment, field): once per environment
    fields = {name: field for name, field in reference.fields.items()}
    # objects: their members are drawn, and set inside the objects (judges.edges)
    drawable = {name: f for name, f in fields.items() if f.object_field is None}
    drawn = draw(st.fixed_dictionaries({name: field_strategy(f) for name, f in drawable.items()}), DRAWN_PER_FIELD) if drawable else []
    by_member = {name: [row[name] for row in drawn] for name in drawable}
    for environment in reference.environments.values():
        vectors = build_vectors(reference, environment, "0.1.0")
        clock = {k: vectors["valid"][0][k] for k in ("event_time_us", "event_uid")} if vectors["valid"] else {}
        for vector in vectors["invalid"] if clock else []:  # the generator's invalid vectors, as a sender writes them
            lines.append(expect(reference, {"environment": environment.name, "langpack": vectors["langpack"], **clock, **vector}).text)
        for vector in vectors["valid"]:
            lines.append(vector["json"])
            event = reference.events[vector["event"]]
            version = event.version(vector["event_version"])
            assert version is not None
            common = {u.name for u in environment.common_fields}
            for use in [*environment.common_fields, *version.fields]:
                if (environment.name, use.name) in done:
                    continue
                done.add((environment.name, use.name))
                if use.field.object_field is not None:
                    values = object_edge_values(use.field, use.required, by_member)
                else:
                    values = edge_values(use.field, use.required, by_member[use.name])
                for value in values:
                    case = {
                        "environment": environment.name,
                        "langpack": vectors["langpack"],
                        "event": vector["event"],
                        "event_version": vector["event_version"],
                        "common": {**vector["common"], **({use.name: value} if use.name in common else {})},
                        "fields": {**vector["fields"], **({} if use.name in common else {use.name: value})},
                        "event_time_us": vector["event_time_us"],
                        "event_uid": vector["event_uid"],
                    }
                    text = expect(reference, case).text
                    lines.append(text)
                    try:
                        wire = json.loads(text)
                    except ValueError:
                        continue
                    lines.extend(_writings(wire))
    return lines


def _edits(reference: Reference) -> list[str]:
    """Envelope edits, unknown, repeated and escaped keys, non-canonical spellings, line
    ends: on the first valid vector of each environment."""
    lines: list[str] = []
    for environment in reference.environments.values():
        vectors = build_vectors(reference, environment, "0.1.0")["valid"]
        for vector in vectors[:3]:
            payload: dict[str, Any] = json.loads(vector["json"])
            text = vector["json"]
            some_key = next((k for k in payload if k not in ENVELOPE_KEYS), "event_uid")
            edits: list[dict[str, Any]] = [
                {**payload, "unknown_key": 1},
                {**payload, "event_id": float(payload["event_id"])},
                {**payload, "event_version": True},
                {**payload, "event_version": payload["event_version"] + 1000},
                {**payload, "source_id": payload["source_id"] + 10**6},
                {**payload, "source_id": -1},
                {**payload, "event_id": 2**64},
                {**payload, "event_time_us": -1},
                {**payload, "event_time_us": 2**63},
                {**payload, "event_time_us": 1.5},
                {**payload, "event_uid": payload["event_uid"].upper()},
                {**payload, "event_uid": payload["event_uid"][:-1]},
                {**payload, "event_uid": 7},
                {**payload, "langpack": None},
                {**payload, "langpack": "0.1.\ud83d"},
                {k: v for k, v in payload.items() if k != "langpack"},
                {k: v for k, v in payload.items() if k != some_key},
                {**payload, some_key: {"nested": 1}},
                {**payload, some_key: [[1]]},
                {**payload, "\ud83dx": 1},
            ]
            for other in reference.environments.values():  # the event where it does not occur
                edits.append({**payload, "source_id": other.source_id})
            edits += _object_edits(payload)
            for edit in edits:
                lines.extend(_writings(edit, spaced=True))
            value = json.dumps(payload[some_key], ensure_ascii=False, separators=(",", ":"))
            lines += [
                text[:-1] + f',"{some_key}":{value}}}',  # the same key twice, same value
                text[:-1] + f',"{some_key}":null}}',
                '{"' + f'{some_key}":{value},' + text[1:],  # first and last: the parse keeps the last
                text[:-1] + ',"event_id":' + str(payload["event_id"]) + "}",
                text.replace('"event_uid"', '"\\u0065vent_uid"'),
                text.replace('"langpack":"', '"langpack":"\\u0030'),
                text.replace("/", "\\/"),
                text.replace('"event_id":', '"event_id":-0,"x":', 1),
                text.replace(f'"event_time_us":{payload["event_time_us"]}', f'"event_time_us":{payload["event_time_us"]}.0'),
                text.replace(f'"event_time_us":{payload["event_time_us"]}', f'"event_time_us":{payload["event_time_us"]}e0'),
                text.replace(f'"event_time_us":{payload["event_time_us"]}', '"event_time_us":' + "9" * 401),
                text.replace(f'"event_time_us":{payload["event_time_us"]}', '"event_time_us":' + "9" * 5000),
                text.replace(f'"event_time_us":{payload["event_time_us"]}', '"event_time_us":NaN'),
                text + " ",
                " " + text,
                text + "\r",
                text + "\r\n",
                text.replace(",", ", ", 1),
                "[" + text + "]",
                text[: len(text) // 2],
                "",
                "\u2028",
                text + text,
                "[" * 100_000,
            ]
    return lines


def _object_edits(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Edits inside the objects of a payload, at every depth: an unknown member, each
    member left out, set to null or to an object; an array of objects emptied, doubled,
    or holding a non-object."""
    edits: list[dict[str, Any]] = []
    for key, value in payload.items():
        if key in ENVELOPE_KEYS:
            continue
        if isinstance(value, dict):
            edits += [{**payload, key: inner} for inner in _object_edits(value)]
            edits += [{**payload, key: {**value, "unknown_member": 1}}]
            for member in value:
                edits += [
                    {**payload, key: {k: v for k, v in value.items() if k != member}},
                    {**payload, key: {**value, member: None}},
                    {**payload, key: {**value, member: {"nested": 1}}},
                ]
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            edits += [{**payload, key: []}, {**payload, key: value * 2}, {**payload, key: [*value, 1]}, {**payload, key: [[]]}]
            edits += [{**payload, key: [inner, *value[1:]]} for inner in _object_edits({"item": value[0]}) for inner in [inner["item"]]]
    return edits


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_edge_lines_get_the_same_verdicts(name: str) -> None:
    reference = _load(name)
    lines = _edge_lines(reference) + _edits(reference)
    assert len(lines) > 500
    report = assert_same_verdicts(reference, lines)
    # the probes reach both sides: many lines are valid, many are not
    assert 50 < report.valid < report.lines - 100


def test_valid_vectors_take_the_fast_way() -> None:
    """Not a verdict, a speed promise: the lines langpacks write are accepted without the
    full check, also those with floats the C encoder writes otherwise (1e-7, 5e-324, 1.0
    written 1, 0.00001)."""
    for name in REFERENCES:
        reference = _load(name)
        from clickgen.check_events import _Index

        judge = check_events_fast.FastJudge(_Index(reference))
        lines = []
        for environment in reference.environments.values():
            for vector in build_vectors(reference, environment, "0.1.0")["valid"]:
                lines.append(vector["json"])
        assert lines
        slow = [line for line in lines if not judge.valid(line)]
        assert slow == [], (name, slow[:3])


def test_the_fast_judge_refuses_what_it_must() -> None:
    """A few lines by hand, each refused by the fast judge for the reason the full check
    gives (the tests above prove the verdicts; this shows the fast judge is not simply
    refusing everything it sees)."""
    reference = _load("example")
    from clickgen.check_events import _Index

    judge = check_events_fast.FastJudge(_Index(reference))
    line = next(v["json"] for e in reference.environments.values() for v in build_vectors(reference, e, "0.1.0")["valid"])
    payload = json.loads(line)
    assert judge.valid(line)
    assert judge.valid(line + "\n") and judge.valid(line + "\r\n")
    assert not judge.valid(line[:-1] + ',"event_id":' + str(payload["event_id"]) + "}")  # a repeated key
    assert not judge.valid(line.replace('"langpack":"', '"langpack":"\\ud83d'))  # a lone surrogate
    assert not judge.valid(line.replace('"event_uid"', '"\\u0065vent_uid"'))  # an escape no langpack writes
    assert not judge.valid(" " + line)


# --- numbers -----------------------------------------------------------------------------


@settings(max_examples=2000, deadline=None)
@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_a_float_written_alike_has_one_text(bits: int) -> None:
    """The claims the canonical-form check rests on: a float _written_alike admits is
    written by repr as RFC 8785 writes it; any other has a mark of its repr in the text."""
    value = double_from_bits(bits)
    if not math.isfinite(value):
        return
    text = repr(value)
    if check_events_fast._written_alike(value):
        assert canonical_json.format_number(value) == text
    else:
        assert "e-0" in text or "e+1" in text or "e+2" in text or text.endswith(".0")


@pytest.mark.parametrize("value", SPECIAL_DOUBLES + [float(10**k) * m for k in range(-12, 25) for m in (1, 1.5, -7.25)])
def test_written_alike_edges(value: float) -> None:
    if check_events_fast._written_alike(value):
        assert canonical_json.format_number(value) == repr(value)
    for array in ([value], [value, 0.5], [0.5, value, 7], [3, value]):
        if check_events_fast._written_alike(array):
            assert canonical_json.encode(array) == json.dumps(array, separators=(",", ":"))


def _number_lines(reference: Reference) -> dict[str, dict[str, Any]]:
    """A valid line's wire object per number field (and number array) of the reference, by wire key."""
    found: dict[str, dict[str, Any]] = {}
    for environment in reference.environments.values():
        for vector in build_vectors(reference, environment, "0.1.0")["valid"]:
            payload = json.loads(vector["json"])
            event = reference.events[vector["event"]]
            version = event.version(vector["event_version"])
            assert version is not None
            for use in [*environment.common_fields, *version.fields]:
                if use.field.element_type is FieldType.NUMBER and use.field.wire_key in payload:
                    found.setdefault(use.field.wire_key, payload)
    return found


_EXAMPLE = _load("example")
_JUDGES = _load("judges")
_NUMBER_LINES = [(label, key, payload) for label, ref in (("example", _EXAMPLE), ("judges", _JUDGES)) for key, payload in sorted(_number_lines(ref).items())]
numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=2**64 - 1).map(double_from_bits).filter(math.isfinite),
    st.integers(),
    st.integers(min_value=-(2**1100), max_value=2**1100),
    st.sampled_from(SPECIAL_DOUBLES + SPECIAL_NUMBER_INTEGERS),
)


def test_there_are_number_fields_to_probe() -> None:
    assert len(_NUMBER_LINES) >= 5
    assert any(isinstance(payload[key], list) for _, key, payload in _NUMBER_LINES)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(_NUMBER_LINES))), st.lists(numbers, min_size=1, max_size=4))
def test_numbers_get_the_same_verdicts(which: int, values: list[Any]) -> None:
    label, key, payload = _NUMBER_LINES[which]
    reference = _EXAMPLE if label == "example" else _JUDGES
    lines: list[str] = []
    for value in values:
        changed = {**payload, key: values if isinstance(payload[key], list) else value}
        lines.extend(_writings(changed))
        # the same line with the value's digits as a sender might spell them
        if not isinstance(value, list):
            text = canonical_json.encode({**payload, key: 0})
            lines.append(text.replace(f'"{key}":0', f'"{key}":{json.dumps(value)}'))
    assert_same_verdicts(reference, lines)


@pytest.mark.parametrize(
    "payload",
    [
        {"a": [1e-07, 0.5], "b": "x", "c": 1e21},
        {"a": 1.0, "b": check_events_fast._MARK + "0", "c": -0.0},  # a string that looks like the mark
        {"a": [1e-07], "b": [check_events_fast._MARK + "0", '"' + check_events_fast._MARK + '0"']},
    ],
)
def test_numbers_written_in_python_amid_the_c_encoding(payload: dict[str, Any]) -> None:
    exact = [k for k, v in payload.items() if isinstance(v, float) or (isinstance(v, list) and any(isinstance(x, float) for x in v))]
    assert check_events_fast._encode_with_numbers(payload, exact) == canonical_json.encode(payload)
