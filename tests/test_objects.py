"""Object fields and arrays of objects through the language-neutral judges (issue 14):
the check plan (paths in reasons), canonical JSON at every level, the vector generator
(valid and invalid at every depth, arrays at their bounds), `check-events` and the
exported JSON Schemas, all on tests/fixtures/objects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from clickgen import canonical_json
from clickgen.check_events import check_stream
from clickgen.checkplan import plan_field
from clickgen.export_schema import event_schema, field_schema
from clickgen.frontend import analyze_folder
from clickgen.ir import Reference
from clickgen.vectors import build_vectors

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "objects"


@pytest.fixture(scope="module")
def reference() -> Reference:
    analysis = analyze_folder(FIXTURE)
    assert analysis.ok, analysis.diagnostics
    return analysis.reference


@pytest.fixture(scope="module")
def vectors(reference: Reference) -> dict[str, Any]:
    return build_vectors(reference, reference.environments["web"], "0.1.0")


LINE = {"item_id": 7, "money": {"price": 2.5}}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ([LINE, LINE, LINE, {"item_id": 7, "money": {"price": -1}}], "must have at most 3 items"),
        ([LINE, {"item_id": 7, "money": {"price": -1}}], "cart_lines[1].money.price: must be >= 0"),
        ([LINE, {"item_id": 0, "money": {"price": -1}}], "cart_lines[1].item_id: must be >= 1"),
        ([{"money": {"price": 1}}], "cart_lines[0].item_id: is required"),
        ([{"item_id": 7, "money": {"price": 1}, "sku": "AAA00"}], "cart_lines[0].sku: is not a member of cart_line (on the wire its key is `SKU`)"),
        ([{"item_id": 7, "money": {"price": 1}, "SKU": "aaa00"}], "cart_lines[0].sku: must match [A-Z]{3}[0-9]{2}"),
        ([{"item_id": 7, "money": [1]}], "cart_lines[0].money: must be an object"),
        ([{"item_id": 7, "money": {"price": 1, "currency": "EUR"}}], "cart_lines[0].money.currency: must be one of RUB, USD"),
        ([{"item_id": 7, "money": {"price": True}}], "cart_lines[0].money.price: must be a finite number"),
        ([[]], "cart_lines[0]: must be an object"),
        ({"item_id": 7}, "must be an array"),
        ([], "must have at least 1 item"),
    ],
)
def test_reasons_name_the_path_of_the_bad_value(reference: Reference, value: Any, reason: str) -> None:
    assert plan_field(reference.fields["cart_lines"]).reason(value) == reason


def test_valid_objects_and_their_wire_form(reference: Reference) -> None:
    plan = plan_field(reference.fields["cart_lines"])
    api = [{"item_id": 7, "money": {"price": 2, "currency": "RUB"}, "sku": "ABC12", "quantity": 3}]
    wire = plan.wire_value(api)
    assert wire == [{"item_id": 7, "money": {"price": 2.0, "currency": "RUB"}, "SKU": "ABC12", "quantity": 3}]
    assert isinstance(wire[0]["money"]["price"], float)
    assert plan.reason(wire) is None
    assert plan.api_value(wire) == [{"item_id": 7, "money": {"price": 2.0, "currency": "RUB"}, "sku": "ABC12", "quantity": 3}]
    # RFC 8785 sorts at every level, by UTF-16 code units: SKU < item_id < money < quantity
    assert canonical_json.encode(wire) == '[{"SKU":"ABC12","item_id":7,"money":{"currency":"RUB","price":2},"quantity":3}]'


def test_canonical_json_sorts_astral_keys_by_utf16_at_depth(reference: Reference) -> None:
    plan = plan_field(reference.fields["level_one"])
    wire = plan.wire_value({"note": "n", "level_two": {"level_threes": [{"level_four": {"quantity": 1, "note": "x"}}]}})
    # U+1F4DD is a surrogate pair in UTF-16 (0xD83D...), after the ASCII keys
    assert canonical_json.encode(wire) == '{"level_two":{"level_threes":[{"level_four":{"quantity":1,"\U0001F4DD":"x"}}]},"\U0001F4DD":"n"}'


def test_vectors_cover_every_depth_and_the_array_bounds(vectors: dict[str, Any]) -> None:
    paths = {v.get("path", v["field"]) for v in vectors["invalid"]}
    assert "level_one.level_two.level_threes[1].level_four.quantity" in paths  # depth 4, in an array
    assert "level_one.level_two.level_threes[1].level_four" in paths  # a required object member left null
    assert "cart_lines[1].money.price" in paths
    assert "money.currency" in paths  # a common field's member
    reasons = {(v["field"], v["reason"]) for v in vectors["invalid"] if "path" not in v}
    assert {("cart_lines", "min_items"), ("cart_lines", "max_items")} <= reasons
    sizes = {len(v["fields"]["cart_lines"]) for v in vectors["valid"]}
    assert {1, 3} <= sizes  # min_items and max_items
    deepest = [v for v in vectors["valid"] if "level_four" in v["json"]]
    assert deepest, "a valid vector reaches the fourth level"
    # the hardest values at every depth: a double no language writes with its plain
    # formatter (PHP's json_encode(), Python's repr()), deep in an array of objects
    hard = [json.loads(v["json"]) for v in vectors["valid"] if "1e-7" in v["json"]]
    assert any(line["level_one"]["level_two"]["level_threes"][0]["level_four"]["price"] == 1e-7 for line in hard if "level_one" in line)
    assert any(line["cart_lines"][0]["money"]["price"] == 1e-7 for line in hard)


def test_every_valid_vector_passes_check_events(reference: Reference, vectors: dict[str, Any]) -> None:
    lines = [(v["json"] + "\n").encode() for v in vectors["valid"]]
    report = check_stream(reference, lines, "stream")
    assert report.diagnostics == [] and report.valid == len(lines)


def _wire_line(reference: Reference, vector: dict[str, Any]) -> str:
    """An invalid vector put on the wire as a sender without a langpack would."""
    payload: dict[str, Any] = {"event_id": 1, "event_version": vector["event_version"], "source_id": 1, "event_time_us": 1, "event_uid": "019abea7-ef1b-72f1-be80-c81d8426d39a", "langpack": "0.1.0"}
    for name, value in {**vector["common"], **vector["fields"]}.items():
        plan = plan_field(reference.fields[name])
        if value is not None:
            payload[plan.key] = plan.keyed(value)
    return json.dumps(payload, ensure_ascii=False)


def test_check_events_refuses_every_invalid_vector_at_its_path(reference: Reference, vectors: dict[str, Any]) -> None:
    checked = 0
    for vector in vectors["invalid"]:
        if vector["reason"] == "finite":
            continue  # 1e400 cannot travel in Python's json (check-events reads it as infinity; tested elsewhere)
        report = check_stream(reference, [_wire_line(reference, vector).encode()], "stream")
        messages = [d.message for d in report.diagnostics if d.code in ("CG0504", "CG0506")]
        assert messages, vector
        if "path" in vector:
            assert f": {vector['path']}: " in messages[0], (messages, vector["path"])
        checked += 1
    assert checked > 40


def test_check_events_wants_canonical_order_inside_objects(reference: Reference, vectors: dict[str, Any]) -> None:
    line = next(v["json"] for v in vectors["valid"] if '"SKU"' in v["json"])
    shuffled = line.replace('"SKU":"', '"zz":"', 1)
    payload = json.loads(line)
    first = payload["cart_lines"][-1]
    payload["cart_lines"][-1] = dict(reversed(list(first.items())))  # not sorted inside the object
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    assert text != line and shuffled != line
    report = check_stream(reference, [text.encode()], "stream")
    assert [d.code for d in report.diagnostics] == ["CG0508"]
    report = check_stream(reference, [shuffled.encode()], "stream")
    assert [d.code for d in report.diagnostics] == ["CG0506"]
    assert "cart_lines[2].zz: is not a member of cart_line" in report.diagnostics[0].message


def _walk_objects(schema: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            found.append(schema)
        for value in schema.values():
            found += _walk_objects(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _walk_objects(value)
    return found


def test_exported_schema_closes_every_level(reference: Reference, vectors: dict[str, Any]) -> None:
    environment = reference.environments["web"]
    event = reference.events["checkout"]
    schema = event_schema(reference, environment, event, event.versions[1])
    Draft202012Validator.check_schema(schema)
    objects = _walk_objects(schema)
    assert len(objects) >= 7  # the event, money (twice), cart_line, level_one..level_four
    for node in objects:
        assert node["additionalProperties"] is False and "required" in node and "properties" in node
    line = field_schema(reference.fields["cart_line"])
    assert line["required"] == ["item_id", "money"] and list(line["properties"]) == ["SKU", "item_id", "money", "quantity"]
    validator = Draft202012Validator(schema)
    for vector in vectors["valid"]:
        if vector["event_version"] == 2:
            assert not list(validator.iter_errors(json.loads(vector["json"])))
    for vector in vectors["invalid"]:
        if vector["event_version"] == 2 and vector["reason"] != "finite":
            assert list(validator.iter_errors(json.loads(_wire_line(reference, vector)))), vector


def test_examples_of_objects_are_checked_in_wire_form(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "ref"
    shutil.copytree(FIXTURE, root)
    path = root / "fields" / "cart.yaml"
    path.write_text(path.read_text().replace("- {item_id: 5, money: {price: 1.5}}", "- {item_id: 5, money: {price: -1.5}}"))
    analysis = analyze_folder(root)
    (d,) = analysis.diagnostics
    assert d.code == "CG0219" and d.message.endswith("is not a valid value: cart_line.money.price: must be >= 0"), d.message


def test_diff_describes_objects_by_their_members(reference: Reference) -> None:
    from clickgen.diff import describe

    assert describe(reference.fields["cart_line"]) == "object {item_id, money, quantity?, sku?}"
    assert describe(reference.fields["cart_lines"]) == "array of cart_line, 1…3 items"

