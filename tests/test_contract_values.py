"""The Python judges of a value (clickgen.contract, `clickgen check-events` and the
vectors' canonical JSON) on the values DESIGN 2.1 pins down: a number is a double, also
when it is given an integer, and an integer no double holds is invalid."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from clickgen import canonical_json
from clickgen.check_events import StreamReport, check_stream
from clickgen.contract import check_value, wire_value
from clickgen.frontend import analyze_folder
from clickgen.ir import Field, FieldType, Reference
from clickgen.vectors import build_vectors

EDGE = Path(__file__).resolve().parent / "cases" / "edge-contracts" / "reference"
HUGE = 10**400  # JSON can write it, no double holds it


@pytest.fixture(scope="module")
def reference() -> Reference:
    analysis = analyze_folder(EDGE)
    assert analysis.ok, analysis.diagnostics
    return analysis.reference


def number(**constraints: object) -> Field:
    return Field(name="x", type=FieldType.NUMBER, description="", span=None, **constraints)  # type: ignore[arg-type]


def numbers(**constraints: object) -> Field:
    return Field(name="xs", type=FieldType.ARRAY, items=FieldType.NUMBER, description="", span=None, **constraints)  # type: ignore[arg-type]


def test_an_integer_no_double_holds_is_an_invalid_number() -> None:
    assert check_value(number(), HUGE) == "must be a finite number"
    assert check_value(number(), -HUGE) == "must be a finite number"
    assert check_value(numbers(), [1, HUGE]) == "each item must be a finite number"
    assert check_value(number(), float("inf")) == "must be a finite number"


def test_an_integer_given_to_a_number_is_the_double_nearest_it() -> None:
    assert check_value(number(), 2**53 + 1) is None
    assert wire_value(number(), 2**53 + 1) == 2.0**53
    assert wire_value(numbers(), [2**53 + 1, 10**21, 0.5]) == [2.0**53, 1e21, 0.5]
    assert canonical_json.encode(wire_value(numbers(), [2**53 + 1, 10**21])) == "[9007199254740992,1e+21]"
    # the limits are checked against the double too, as every langpack does
    assert check_value(number(maximum=2**53), 2**53 + 1) is None
    assert check_value(number(maximum=2**53 - 1), 2**53 + 1) == "must be <= 9007199254740991"
    assert wire_value(Field(name="n", type=FieldType.INTEGER, description="", span=None), 2**53 + 1) == 2**53 + 1  # type: ignore[arg-type]


def test_vectors_write_integers_of_number_fields_as_doubles(reference: Reference) -> None:
    vectors = build_vectors(reference, reference.environments["bare"], "0.1.0")
    integral = [v for v in vectors["valid"] if v["fields"].get("ratio") == 2**53 + 1]
    assert integral, "a valid vector gives a number field an integer"
    wire = integral[0]["json"]
    assert '"ratio":9007199254740992,' in wire and '"ratios":[9007199254740992,1e+21,-9223372036854776000]' in wire
    refused = [v for v in vectors["invalid"] if v["reason"] == "finite"]
    assert {v["field"] for v in refused} == {"ratio", "ratios"}
    assert all(HUGE in ([value] if not isinstance(value, list) else value) for value in (v["fields"][v["field"]] for v in refused))


def check(reference: Reference, *lines: str) -> StreamReport:
    return check_stream(reference, io.BytesIO("".join(line + "\n" for line in lines).encode("utf-8", "surrogatepass")), "events.ndjson")


def line_with(reference: Reference, **fields: object) -> str:
    """A canonical event line of plan_change in `bare`, with the given fields (as JSON text)."""
    vectors = build_vectors(reference, reference.environments["bare"], "0.1.0")
    base = json.loads(next(v["json"] for v in vectors["valid"] if v["event"] == "plan_change"))
    base.update(fields)
    return canonical_json.encode(base)


def test_check_events_reads_integers_of_number_fields_as_doubles(reference: Reference) -> None:
    canonical = line_with(reference, ratio=2.0**53)
    assert '"ratio":9007199254740992,' in canonical
    assert check(reference, canonical).diagnostics == []
    # the same double written with other digits: valid, but not what a langpack writes
    other = check(reference, canonical.replace('"ratio":9007199254740992,', '"ratio":9007199254740993,'))
    assert [d.code for d in other.diagnostics] == ["CG0508"]
    spelled_out = check(reference, line_with(reference, ratios=[10**21]).replace("1e+21", "1" + "0" * 21))
    assert [d.code for d in spelled_out.diagnostics] == ["CG0508"]


def test_check_events_refuses_a_number_no_double_holds(reference: Reference) -> None:
    huge = "1" + "0" * 400
    report = check(
        reference,
        line_with(reference, ratio=0.5).replace('"ratio":0.5', f'"ratio":{huge}'),
        line_with(reference, ratios=[0.5]).replace('"ratios":[0.5]', f'"ratios":[1,-{huge}]'),
    )
    assert [(d.code, d.span.line) for d in report.diagnostics] == [("CG0506", 1), ("CG0506", 2)]
    assert "field `ratio` must be a finite number" in report.diagnostics[0].message
    assert "field `ratios` each item must be a finite number" in report.diagnostics[1].message


def string(**constraints: object) -> Field:
    return Field(name="s", type=FieldType.STRING, description="", span=None, **constraints)  # type: ignore[arg-type]


def test_a_lone_surrogate_is_not_a_valid_string() -> None:
    reason = "must be valid Unicode text (it holds a lone surrogate, or bytes that are not UTF-8)"
    assert check_value(string(), "\ud83d") == reason
    assert check_value(string(max_length=10), "ok \udc80") == reason
    assert check_value(Field(name="ss", type=FieldType.ARRAY, items=FieldType.STRING, description="", span=None), ["a", "\ude00"]) == "each item " + reason  # type: ignore[arg-type]
    assert check_value(string(), "\ud83d\ude00") == "must be valid Unicode text (it holds a lone surrogate, or bytes that are not UTF-8)"  # two halves, still lone in Python
    assert check_value(string(), "\U0001f600") is None


def test_check_events_refuses_lone_surrogates_in_values_envelope_and_keys(reference: Reference) -> None:
    line = line_with(reference, plan_tiers=["free"])
    report = check(
        reference,
        line.replace('"plan_tiers":["free"]', '"plan_tiers":["fr\\ud83dee"]'),
        line.replace('"langpack":"0.1.0"', '"langpack":"0.1.\\ud83d"'),
        line.replace('{"event_id"', '{"\\ud83dx":1,"event_id"'),
        line_with(reference, plan_tiers=["free"], plan_tier="x").replace('"plan_tier":"x"', '"plan_tier":"\\ud83d"'),
        line,
    )
    found = [(d.code, d.span.line) for d in report.diagnostics]
    # one diagnostic a line: no CG0508 (canonical form) for a line that is not valid
    assert found == [("CG0506", 1), ("CG0507", 2), ("CG0505", 3), ("CG0506", 4)], found
    assert "field `plan_tiers` each item must be valid Unicode text" in report.diagnostics[0].message
    assert "\\ud83dx" in report.diagnostics[2].message and "\ud83d" not in report.diagnostics[2].message
    assert report.valid == 1


def test_check_events_cli_never_gives_a_traceback_for_hostile_lines(reference: Reference, tmp_path: Path, clickgen_cli) -> None:  # type: ignore[no-untyped-def]
    line = line_with(reference, plan_tiers=["free"], ratios=[0.1])
    lines = [
        line.replace('{"event_id"', '{"\\ud83dx":1,"event_id"').encode(),  # a key no UTF-8 can hold
        line.replace('"plan_tiers":["free"]', '"plan_tiers":["fr\\ud83dee"]').encode(),
        line.encode().replace(b'"plan_tiers":["free"]', b'"plan_tiers":["fr\xffee"]'),  # a byte that is not UTF-8: the line is not JSON text
        line.replace('"ratios":[0.1]', '"ratios":[NaN]').encode(),
        line.replace('"event_id":1', '"event_id":1' + "0" * 5000).encode(),  # more digits than Python reads
        line.replace('"ratios":[0.1]', '"ratios":[-1' + "0" * 5000 + "]").encode(),
        line.encode(),
    ]
    stream = tmp_path / "events.ndjson"
    stream.write_bytes(b"\n".join(lines) + b"\n")
    for output in ("text", "json", "github"):
        result = clickgen_cli("--reference", EDGE, "check-events", "--format", output, stream)
        assert result.exit_code == 1, result.stderr
    result = clickgen_cli("--reference", EDGE, "check-events", "--format", "json", stream)
    found = [(d["code"], d["line"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert found == [("CG0505", 1), ("CG0506", 2), ("CG0501", 3), ("CG0501", 4), ("CG0507", 5), ("CG0506", 6)], found
