"""One contract, one verdict (DESIGN 2.1): every judge of a value agrees on every value
and, for valid values, on every byte.

Judges: the Python, Go and PHP langpacks (one long-lived process each, building the
case through the public API), `check-events`, the exported JSON Schemas under the
`jsonschema` package and under ajv, and the vector generator. References: the example,
the hostile-names case, tests/fixtures/judges (awkward bounds, lengths, patterns,
enums with constraints, bounded arrays, an environment without common fields) and the
wire-keys-formats case (keys that are not identifiers, every string format).

Cases: for every field, a valid event with that field set to each of a few hundred
edge values (tests/judges/edges.py: doubles by bit pattern, int64 limits and beyond,
integers in number fields, astral characters, U+2028, combining marks, controls, lone
surrogates, lengths and array sizes at and past their bounds, wrong JSON types), plus
every vector the generator wrote. Each verdict is compared with the expected one,
written from DESIGN alone (tests/judges/oracle.py).

Disagreements that are known bugs are cut out of the main tests into slices (KNOWN),
each a strict xfail naming the bug: when the fix lands, its slice passes, the xfail
turns into a failure, and the entry is deleted, so its cases join the main tests.
What JSON Schema itself cannot say (LIMITS, documented in the README) is cut out too,
and held to its direction: there a schema may accept more than the contract, never less.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from clickgen.ir import FieldType

from judges import report
from judges.edges import leaves
from judges.farm import LANGPACK_JUDGES, OTHER_JUDGES, REFERENCES, Case, Farm, Outcome, edge_cases, judge_all, summarize, vector_cases
from judges.langpacks import available_languages
from judges.others import NODE, NODE_MODULES

# edge values hypothesis draws per field (plus the fixed edges of edges.py)
PER_FIELD = {"example": 100, "hostile-names": 100, "judges": 160, "wire-keys-formats": 60, "objects": 60}
JUDGES = LANGPACK_JUDGES + OTHER_JUDGES


@dataclass(frozen=True)
class Known:
    """A known disagreement: the judge's verdicts on the cases `where` selects."""

    id: str
    judge: str
    reason: str
    where: Callable[[Case], bool]
    # the cases of the slice where the judge may also refuse a valid value
    may_refuse: Callable[[Case], bool] = lambda case: False


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _formatted_values(case: Case) -> list[tuple[str, Any]]:
    """(format, value) of each field with a format the case sets."""
    values = {**case.payload["common"], **case.payload["fields"]}
    return [(case.contracts[name].format, value) for name, value in values.items() if name in case.contracts and case.contracts[name].format]  # type: ignore[misc]


def _quoted_or_literal_email(case: Case) -> bool:
    """An e-mail address with a quoted local part or an address literal ([IPv6:...])."""
    return any(f == "email" and isinstance(v, str) and (v.startswith('"') or v.endswith("]")) for f, v in _formatted_values(case))


def _float_in_integer_field(case: Case) -> bool:
    """A double given to an integer field, or to an integer member inside an object."""
    if case.field is None:
        return False
    return any(field.element_type is FieldType.INTEGER and any(isinstance(v, float) for v in _items(value)) for field, value in leaves(case.contracts[case.field], case.value))


KNOWN: list[Known] = [
    # the langpacks, check-events, the vector generator: no known disagreement
]

# What JSON Schema cannot say (README, "Schemas for collectors"), and the grammars of
# stock format validators (docs/formats.md): in these slices the
# exported schemas may accept a value the contract refuses, never the other way round
# (except in a limit's `may_refuse` cases).
LIMITS = [
    Known(
        "jsonschema-formats",
        "jsonschema",
        "python-jsonschema checks date-time and uri only with optional packages (docs/formats.md)",
        lambda c: bool(_formatted_values(c)),
    ),
    Known(
        "ajv-formats",
        "ajv",
        "ajv-formats accepts a space for T in date-time, and refuses e-mail addresses with a quoted local part or an address literal (docs/formats.md)",
        lambda c: bool(_formatted_values(c)),
        may_refuse=_quoted_or_literal_email,
    ),
    Known(
        "jsonschema-integer-1.0",
        "jsonschema",
        "JSON Schema's data model: 1.0 is the integer 1, so `type: integer` accepts it; the langpacks never write it and check-events refuses it",
        _float_in_integer_field,
    ),
    Known("ajv-integer-1.0", "ajv", "JSON Schema's data model: 1.0 is the integer 1 (as for python-jsonschema)", _float_in_integer_field),
    Known(
        "ajv-int64-beyond-2^53",
        "ajv",
        "JavaScript reads JSON numbers as doubles, so 9223372036854775808 equals the int64 maximum and passes `maximum`",
        lambda c: c.category == "integer-beyond-2^53",
    ),
]


def _judge_available(judge: str) -> str | None:
    """Why a judge cannot run here, or None."""
    if judge in LANGPACK_JUDGES and judge not in available_languages():
        return f"the {judge} toolchain is not installed (scripts/install-toolchains.sh)"
    if judge == "ajv" and (not NODE or not (NODE_MODULES / "ajv").is_dir()):
        return "node and tests/node/node_modules are not installed (scripts/install-test-deps.sh)"
    return None


@pytest.fixture(scope="module")
def agreement(judge_farm: Farm) -> dict[str, list[Outcome]]:
    """judge -> its outcome on every case of every reference."""
    results: dict[str, list[Outcome]] = {judge: [] for judge in JUDGES}
    for label in REFERENCES:
        run = judge_farm.run(label)
        cases = edge_cases(run, PER_FIELD[label]) + vector_cases(run)
        for judge, outcomes in judge_all(judge_farm, run, cases, skip={j for j in JUDGES if _judge_available(j)}).items():
            results[judge] += outcomes
    for judge, outcomes in results.items():
        if outcomes:
            s = summarize(outcomes)
            known = sum(1 for o in outcomes if o.problem and any(k.judge == judge and k.where(o.case) for k in KNOWN))
            limited = sum(1 for o in outcomes if o.problem and any(k.judge == judge and k.where(o.case) for k in LIMITS))
            references = ", ".join(f"{r} {n['cases']}" for r, n in s["by_reference"].items())
            report.record(
                f"agreement/{judge}",
                f"{s['cases']} cases ({s['valid']} valid; {references}), {s['agree']} agree, {s['disagree']} disagree ({known} in known-bug slices, {limited} in documented limits)",
                **s,
            )
    return results


def _format(outcomes: list[Outcome], limit: int = 25) -> str:
    lines = [f"{o.case.describe()}\n    -> {o.problem}" for o in outcomes[:limit]]
    by_category = Counter(o.case.category for o in outcomes)
    return f"{len(outcomes)} disagreements {dict(by_category)}:\n" + "\n".join(lines)


@pytest.mark.parametrize("judge", JUDGES)
def test_the_judge_agrees_with_the_contract_on_every_case(agreement: dict[str, list[Outcome]], judge: str) -> None:
    missing = _judge_available(judge)
    if missing:
        pytest.skip(missing)
    outcomes = [o for o in agreement[judge] if not any(k.judge == judge and k.where(o.case) for k in KNOWN + LIMITS)]
    assert len(outcomes) > 1000
    wrong = [o for o in outcomes if o.problem]
    assert not wrong, _format(wrong)


@pytest.mark.parametrize("known", [pytest.param(k, id=k.id, marks=pytest.mark.xfail(strict=True, reason=k.reason)) for k in KNOWN])
def test_known_disagreement(agreement: dict[str, list[Outcome]], known: Known) -> None:
    """Passes (and so fails as XPASS) once the bug is fixed, or when nothing falls in the slice any more."""
    missing = _judge_available(known.judge)
    if missing:
        pytest.skip(missing)
    wrong = [o for o in agreement[known.judge] if known.where(o.case) and o.problem]
    assert not wrong, _format(wrong)


@pytest.mark.parametrize("limit", LIMITS, ids=[k.id for k in LIMITS])
def test_a_documented_limit_only_ever_accepts_more(agreement: dict[str, list[Outcome]], limit: Known) -> None:
    missing = _judge_available(limit.judge)
    if missing:
        pytest.skip(missing)
    inside = [o for o in agreement[limit.judge] if limit.where(o.case)]
    assert inside, "the slice is empty: the cases no longer reach it"
    wrong = [o for o in inside if o.problem and (o.case.expected.valid or not o.verdict.get("valid")) and not limit.may_refuse(o.case)]
    assert not wrong, _format(wrong)


def test_every_field_of_every_reference_is_judged(agreement: dict[str, list[Outcome]], judge_farm: Farm) -> None:
    judged = {(o.case.reference, o.case.field) for o in agreement["vectors"]}
    for label in REFERENCES:
        reference = judge_farm.run(label).reference
        used = {u.name for e in reference.environments.values() for u in e.common_fields}
        used |= {u.name for e in reference.events.values() for v in e.versions for u in v.fields}
        assert used <= {f for r, f in judged if r == label}, f"{label}: fields without cases: {sorted(used - {f for r, f in judged if r == label})}"


def test_every_language_judges_every_reference(agreement: dict[str, list[Outcome]]) -> None:
    for language in available_languages():
        references = Counter(o.case.reference for o in agreement[language])
        assert set(references) == set(REFERENCES), (language, references)
        values = Counter(o.case.category for o in agreement[language])
        for kind in ("number", "integer", "integer-beyond-2^53", "inexact-integer-as-number", "huge-integer-as-number", "string", "lone-surrogate", "pattern", "enum", "format", "array", "wrong-type", "generator-vector", "object", "array-of-objects"):
            assert values[kind] >= 10, (language, kind, values)


def test_objects_are_judged_at_every_depth(agreement: dict[str, list[Outcome]]) -> None:
    """The objects fixture nests four objects deep (level_one > level_two > level_threes[]
    > level_four): every judge sees valid and invalid values at the deepest level."""
    for judge in JUDGES:
        deep = [o for o in agreement[judge] if o.case.reference == "objects" and o.case.field == "level_one" and "level_four" in json.dumps(o.case.value)]
        if not agreement[judge]:
            continue
        assert sum(o.case.expected.valid for o in deep) >= 10 and sum(not o.case.expected.valid for o in deep) >= 10, (judge, len(deep))
