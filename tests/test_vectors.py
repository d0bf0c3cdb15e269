"""The shared test vectors (clickgen.vectors) against the Python contract
(clickgen.contract): valid vectors are valid, and every invalid vector breaks the
constraint it names."""

from __future__ import annotations

from pathlib import Path

import pytest

from clickgen.frontend import analyze_folder
from clickgen.ir import Reference
from clickgen.vectors import api_reason, build_vectors

CASES = Path(__file__).resolve().parent / "cases"
REFERENCES = {
    "example": CASES.parent.parent / "examples" / "reference",
    "hostile-names": CASES / "hostile-names" / "reference",
    "edge-contracts": CASES / "edge-contracts" / "reference",
    "objects": CASES.parent / "fixtures" / "objects",
}


def load(name: str) -> Reference:
    analysis = analyze_folder(REFERENCES[name])
    assert analysis.ok, analysis.diagnostics
    return analysis.reference


@pytest.mark.parametrize("name", list(REFERENCES))
def test_vectors_agree_with_the_contract(name: str) -> None:
    reference = load(name)
    for environment in reference.environments.values():
        vectors = build_vectors(reference, environment, "0.1.0")
        for vector in vectors["valid"]:
            for field, value in {**vector["common"], **vector["fields"]}.items():
                assert api_reason(reference.fields[field], value) is None, (field, value)
        for vector in vectors["invalid"]:
            value = {**vector["common"], **vector["fields"]}[vector["field"]]
            if vector["reason"] != "null" or "path" in vector:
                assert api_reason(reference.fields[vector["field"]], value) is not None, vector


def test_enum_values_that_break_lengths_or_pattern_are_invalid_vectors() -> None:
    """Typed languages build these from their enum constants: the check must read the value."""
    reference = load("edge-contracts")
    vectors = build_vectors(reference, reference.environments["bare"], "0.1.0")
    refused = {(v["field"], v["reason"]): v["fields"][v["field"]] for v in vectors["invalid"] if v["event"] == "plan_change"}
    assert refused[("plan_tier", "min_length")] == "ab"
    assert refused[("plan_tier", "max_length")] == "enterprise-xl"
    assert refused[("plan_tier", "pattern")] == "LEGACY"
    assert refused[("plan_tiers", "pattern")] == ["LEGACY"]
    valid_tiers = {v["fields"].get("plan_tier") for v in vectors["valid"]}
    assert valid_tiers <= {"free", "pro", "team-plus", None}
