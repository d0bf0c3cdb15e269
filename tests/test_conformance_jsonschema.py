"""The JSON Schema Test Suite (npm `json-schema-test-suite`, installed by
scripts/install-test-deps.sh) for every keyword the exported schemas use.

Each case runs through the two schema judges configured exactly as for the exported
schemas (tests/judges/others.py): python-jsonschema's Draft202012Validator with its
format checker, and ajv/dist/2020 with ajv-formats (tests/judges/ajv_judge.cjs). The npm
package ships draft 3 and draft 4 only; the draft-4 cases run under draft 2020-12
semantics where the two coincide, so groups written in draft-4-only forms (boolean
`exclusiveMinimum`/`exclusiveMaximum`, `items` as an array) are counted and left out.

Where a case maps onto a field contract of the reference (minLength on a string, maximum
on a number, items of one scalar type, an anchored pattern on a string...), it also
runs through clickgen.contract.check_value. Object keywords (required, properties,
additionalProperties) have no field contract to map to.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from clickgen.contract import check_value
from clickgen.diagnostics import Span
from clickgen.ir import Field, FieldType

from judges import report
from judges.farm import Farm
from judges.others import NODE, NODE_MODULES

SUITE = NODE_MODULES / "json-schema-test-suite" / "tests" / "draft4"
# the keywords clickgen/export_schema.py writes (besides const, which draft 4 lacks)
KEYWORDS = ("type", "minimum", "maximum", "minLength", "maxLength", "pattern", "enum", "items", "minItems", "maxItems", "required", "properties", "additionalProperties")
SCALARS = {"string": FieldType.STRING, "integer": FieldType.INTEGER, "number": FieldType.NUMBER, "boolean": FieldType.BOOLEAN}

@dataclass(frozen=True)
class SuiteCase:
    keyword: str
    group: str
    schema: Any
    description: str
    data: Any
    valid: bool

    def describe(self) -> str:
        return f"{self.keyword}.json / {self.group} / {self.description}: schema {json.dumps(self.schema)}, data {json.dumps(self.data)}, valid {self.valid}"


def draft4_only(schema: Any) -> bool:
    """Forms that mean something else (or nothing) in draft 2020-12."""
    if isinstance(schema, dict):
        if isinstance(schema.get("exclusiveMinimum"), bool) or isinstance(schema.get("exclusiveMaximum"), bool) or isinstance(schema.get("items"), list):
            return True
        return any(draft4_only(v) for v in schema.values())
    if isinstance(schema, list):
        return any(draft4_only(v) for v in schema)
    return False


def load_suite() -> tuple[list[SuiteCase], Counter[str]]:
    cases, skipped = [], Counter[str]()
    for keyword in KEYWORDS:
        for group in json.loads((SUITE / f"{keyword}.json").read_text("utf-8")):
            for test in group["tests"]:
                if draft4_only(group["schema"]):
                    skipped[keyword] += 1
                    continue
                cases.append(SuiteCase(keyword, group["description"], group["schema"], test["description"], test["data"], test["valid"]))
    return cases, skipped


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _item_type(values: list[Any]) -> FieldType | None:
    """The one scalar type all items have (string for none), or None."""
    for kind in (FieldType.STRING, FieldType.BOOLEAN, FieldType.INTEGER, FieldType.NUMBER):
        if all(check_value(Field("item", kind, "", Span("suite")), v) is None for v in values):
            return kind
    return None


def as_field(schema: dict[str, Any], data: Any) -> Field | None:
    """The field contract a case means, when there is one: JSON Schema keywords ignore
    values of other types, a field does not, so a case maps only when its data has the
    type the keyword is about."""
    span = Span("suite")
    keys = set(schema)
    if keys == {"type"} and isinstance(schema["type"], str):
        if schema["type"] in SCALARS:
            return Field("f", SCALARS[schema["type"]], "", span)
        if schema["type"] == "array" and isinstance(data, list):
            items = _item_type(data)
            return Field("f", FieldType.ARRAY, "", span, items=items) if items else None
        return None
    if keys <= {"minimum", "maximum"} and _is_number(data):
        return Field("f", FieldType.NUMBER, "", span, minimum=schema.get("minimum"), maximum=schema.get("maximum"))
    if keys <= {"minLength", "maxLength"} and isinstance(data, str):
        return Field("f", FieldType.STRING, "", span, min_length=schema.get("minLength"), max_length=schema.get("maxLength"))
    if keys == {"pattern"} and isinstance(data, str):
        pattern = schema["pattern"]
        # reference patterns match the whole value: only an anchored pattern means the same
        if pattern.startswith("^") and pattern.endswith("$"):
            return Field("f", FieldType.STRING, "", span, pattern=pattern[1:-1])
        return None
    if keys == {"enum"} and isinstance(data, str) and all(isinstance(v, str) for v in schema["enum"]):
        return Field("f", FieldType.STRING, "", span, enum=tuple(schema["enum"]))
    if keys == {"items"} and isinstance(data, list) and set(schema["items"]) == {"type"} and schema["items"]["type"] in SCALARS:
        return Field("f", FieldType.ARRAY, "", span, items=SCALARS[schema["items"]["type"]])
    if keys <= {"minItems", "maxItems"} and isinstance(data, list):
        items = _item_type(data)
        return Field("f", FieldType.ARRAY, "", span, items=items, min_items=schema.get("minItems"), max_items=schema.get("maxItems")) if items else None
    return None


@pytest.fixture(scope="module")
def suite() -> tuple[list[SuiteCase], Counter[str]]:
    if not SUITE.is_dir():
        pytest.skip("tests/node/node_modules is not installed (scripts/install-test-deps.sh)")
    return load_suite()


def _record(judge: str, cases: list[SuiteCase], wrong: list[SuiteCase], skipped: Counter[str], extra: str = "") -> None:
    per_keyword = Counter(c.keyword for c in cases)
    bad = Counter(c.keyword for c in wrong)
    counts = {k: f"{per_keyword[k] - bad[k]}/{per_keyword[k]}" for k in KEYWORDS}
    report.record(
        f"json-schema-test-suite/{judge}",
        f"{len(cases) - len(wrong)}/{len(cases)} cases as the suite says ({sum(skipped.values())} draft-4-only cases left out){extra}; per keyword {counts}",
        cases=len(cases),
        wrong=[c.describe() for c in wrong],
        per_keyword=counts,
        draft4_only=dict(skipped),
    )


def test_the_suite_covers_every_exported_keyword(suite: tuple[list[SuiteCase], Counter[str]]) -> None:
    cases, _ = suite
    assert {c.keyword for c in cases} == set(KEYWORDS)
    assert len(cases) > 100


def test_python_jsonschema_as_the_exported_schemas_run_it(suite: tuple[list[SuiteCase], Counter[str]]) -> None:
    cases, skipped = suite
    wrong = []
    for case in cases:
        Draft202012Validator.check_schema(case.schema)
        validator = Draft202012Validator(case.schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        if validator.is_valid(case.data) != case.valid:
            wrong.append(case)
    _record("jsonschema", cases, wrong, skipped)
    assert not wrong, "\n".join(c.describe() for c in wrong)


def test_ajv_as_the_exported_schemas_run_it(suite: tuple[list[SuiteCase], Counter[str]], judge_farm: Farm) -> None:
    if not NODE or not (NODE_MODULES / "ajv").is_dir():
        pytest.skip("node and tests/node/node_modules are not installed (scripts/install-test-deps.sh)")
    cases, skipped = suite
    ajv = judge_farm.ajv()
    keys: dict[str, str] = {}  # schema text -> the name ajv compiled it under
    for case in cases:
        keys.setdefault(json.dumps(case.schema, sort_keys=True), f"suite:{len(keys)}")
    defined = ajv.ask({"define": key, "schema": json.loads(schema)} for schema, key in keys.items())
    failed = [(schema, answer) for (schema, _), answer in zip(keys.items(), defined) if not answer.get("ok")]
    assert not failed, failed
    answers = ajv.ask({"validate": keys[json.dumps(c.schema, sort_keys=True)], "data": c.data} for c in cases)
    wrong = [c for c, answer in zip(cases, answers) if answer.get("valid") is not c.valid]
    _record("ajv", cases, wrong, skipped)
    assert not wrong, "\n".join(c.describe() for c in wrong)


def test_the_field_contract_where_a_case_maps_onto_one(suite: tuple[list[SuiteCase], Counter[str]]) -> None:
    cases, skipped = suite
    mapped: dict[str, list[SuiteCase]] = defaultdict(list)
    wrong = []
    for case in cases:
        field = as_field(case.schema, case.data) if isinstance(case.schema, dict) else None
        if field is None:
            continue
        mapped[case.keyword].append(case)
        if (check_value(field, case.data) is None) != case.valid:
            wrong.append(case)
    flat = [c for group in mapped.values() for c in group]
    counts = {k: f"{len(mapped[k]) - sum(1 for c in wrong if c.keyword == k)}/{len(mapped[k])}" for k in KEYWORDS}
    report.record(
        "json-schema-test-suite/contract",
        f"{len(flat)} of {len(cases)} cases map onto a field contract, {len(flat) - len(wrong)} judged as the suite says; per keyword {counts}",
        mapped=len(flat),
        wrong=[c.describe() for c in wrong],
        per_keyword=counts,
    )
    assert len(flat) > 40
    assert not wrong, "\n".join(c.describe() for c in wrong)
