"""The agreement run: references -> cases -> every judge -> each verdict compared with
the expected one (judges/oracle.py).

A case is a valid event (the vector generator's first valid vector of an event
version, required fields only) with one field set to an edge value; or one of the
generator's own vectors. The case is given to:
- the langpacks of its environment, through the public API (judges/langpacks.py);
- check-events, the exported schemas (jsonschema, ajv) and the vector generator, on
  the line a correct sender writes for it (judges/others.py).
Langpacks are built once per reference and judge processes live for the session.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from hypothesis import strategies as st

from clickgen.frontend import analyze_folder
from clickgen.ir import Environment, Event, EventVersion, Field, Reference

from judges.edges import category, draw, edge_values, field_strategy, object_edge_values
from clickgen.ir import FieldType, fields_within
from judges.langpacks import LangpackJudge, build_langpacks, start_judges
from judges.oracle import Expected, expect, field_uses, has_lone_surrogate
from judges.others import AjvJudge, CheckEventsJudge, JsonschemaJudge, VectorGeneratorJudge, start_ajv
from judges.process import LineProcess

ROOT = Path(__file__).resolve().parents[2]
# label -> (folder, whether every field is judged in every environment that has it;
# otherwise in the one with the most langpacks)
REFERENCES = {
    "example": (ROOT / "examples" / "reference", False),
    "hostile-names": (ROOT / "tests" / "cases" / "hostile-names" / "reference", False),
    "judges": (ROOT / "tests" / "fixtures" / "judges", True),
    "wire-keys-formats": (ROOT / "tests" / "cases" / "wire-keys-formats" / "reference", True),
    "objects": (ROOT / "tests" / "fixtures" / "objects", True),
}
# references whose Go langpacks are judged in the shape of a large langpack (split into packages)
GO_SPLIT = {"judges", "objects"}
LANGPACK_JUDGES = ("python", "go", "php")
OTHER_JUDGES = ("check-events", "jsonschema", "ajv", "vectors")


@dataclass
class Case:
    reference: str
    environment: str
    event: str
    event_version: int
    field: str | None  # the field set to an edge value; None for the generator's vectors
    category: str
    payload: dict[str, Any]  # vector-shaped: what the langpack judges build
    expected: Expected
    contracts: dict[str, Field]  # the fields of the event version in the environment
    claim: dict[str, Any] | None = None  # a generator vector's own verdict

    @property
    def value(self) -> Any:
        """The edge value (None for the generator's vectors)."""
        return None if self.field is None else {**self.payload["common"], **self.payload["fields"]}[self.field]

    def set_fields(self) -> dict[str, tuple[Field, Any]]:
        """Every field the case sets, with its contract."""
        values = {**self.payload["common"], **self.payload["fields"]}
        return {name: (self.contracts[name], value) for name, value in values.items() if name in self.contracts}

    def describe(self) -> str:
        where = f"{self.reference}/{self.environment} {self.event} v{self.event_version}"
        if self.field is None:
            return f"{where} generator vector {json.dumps({'common': self.payload['common'], 'fields': self.payload['fields']}, ensure_ascii=True)[:300]}"
        return f"{where} [{self.category}] {self.field}={_show(self.value)}"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 160 else text[:150] + f"... ({len(text)} chars)"


@dataclass
class Outcome:
    case: Case
    verdict: dict[str, Any]
    problem: str | None


def transport(value: Any) -> Any:
    """Strings that are not valid Unicode travel as {"$wtf8": hex} (README.md)."""
    if isinstance(value, str) and has_lone_surrogate(value):
        return {"$wtf8": value.encode("utf-8", "surrogatepass").hex()}
    if isinstance(value, list):
        return [transport(v) for v in value]
    if isinstance(value, dict):
        return {k: transport(v) for k, v in value.items()}
    return value


def compare(case: Case, verdict: dict[str, Any]) -> str | None:
    """What is wrong with a verdict, or None when it is the expected one."""
    expected = case.expected
    if "crash" in verdict:
        return "crashed: " + str(verdict["crash"])[:400]
    if expected.valid:
        if not verdict.get("valid"):
            return f"refused a valid value ({verdict.get('field')}: {str(verdict.get('reason'))[:200]})"
        if "hex" in verdict:
            got = bytes.fromhex(verdict["hex"])
            want = expected.text.encode("utf-8")
            if got != want:
                return f"wrote {_diff(got, want)}"
        return None
    if verdict.get("valid"):
        return f"accepted an invalid value (bad: {', '.join(sorted(expected.bad_fields))})"
    named = verdict.get("field")
    # judges of the wire (the schemas, check-events) may name a field by its wire key
    bad_keys = {case.contracts[name].wire_key for name in expected.bad_fields if name in case.contracts}
    if named is not None and named not in expected.bad_fields and named not in bad_keys:
        return f"refused it naming `{named}` ({str(verdict.get('reason'))[:160]}), not {', '.join(sorted(expected.bad_fields))}"
    return None


def _diff(got: bytes, want: bytes) -> str:
    start = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    lo = max(0, start - 30)
    return f"...{got[lo:start + 50].decode('utf-8', 'replace')!r}..., expected ...{want[lo:start + 50].decode('utf-8', 'replace')!r}..."


@dataclass
class Placement:
    environment: Environment
    event: Event
    version: EventVersion
    common: bool
    required: bool


def placements(reference: Reference, field_name: str, every_environment: bool) -> list[Placement]:
    """Where a field is judged: in the environment with the most langpacks (or in every
    environment), in the first event version that carries it."""
    found = []
    for environment in sorted(reference.environments.values(), key=lambda e: (-len(e.langpacks), e.name)):
        common = next((u for u in environment.common_fields if u.name == field_name), None)
        for event in environment.events:
            for version in event.versions:
                use = common or next((u for u in environment.own_fields(version) if u.name == field_name), None)
                if use is not None:
                    found.append(Placement(environment, event, version, common is not None, use.required))
                    break
            else:
                continue
            break
        if found and not every_environment:
            break
    return found


@dataclass
class ReferenceRun:
    label: str
    reference: Reference
    vectors: dict[str, dict[str, Any]]  # environment -> vectors.json
    langpacks: dict[tuple[str, str], LangpackJudge]
    every_environment: bool
    _contracts: dict[tuple[str, str, int], dict[str, Field]] = field(default_factory=dict)

    def contracts(self, environment: str, event: str, version: int) -> dict[str, Field]:
        key = (environment, event, version)
        if key not in self._contracts:
            found = self.reference.events[event].version(version)
            assert found is not None
            self._contracts[key] = field_uses(self.reference.environments[environment], found)
        return self._contracts[key]


class Farm:
    """Builds the references' langpacks and runs the judge processes for the session."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.runs: dict[str, ReferenceRun] = {}
        self._ajv: LineProcess | None = None

    def ajv(self) -> LineProcess:
        if self._ajv is None:
            self._ajv = start_ajv()
        return self._ajv

    def run(self, label: str) -> ReferenceRun:
        if label not in self.runs:
            folder, every_environment = REFERENCES[label]
            analysis = analyze_folder(folder)
            assert analysis.ok, [str(d) for d in analysis.diagnostics]
            reference = analysis.reference
            out = self.scratch / label
            langpacks = build_langpacks(reference, out / "build", environments_of_placements(reference, every_environment), go_split=label in GO_SPLIT)
            vectors = {env: json.loads((out / "build" / env / "vectors.json").read_text("utf-8")) for env in {e for e, _ in langpacks}}
            judges = start_judges(langpacks, out / "judges")
            self.runs[label] = ReferenceRun(label, reference, vectors, judges, every_environment)
        return self.runs[label]

    def close(self) -> None:
        for run in self.runs.values():
            for judge in run.langpacks.values():
                judge.close()
        if self._ajv is not None:
            self._ajv.close()


def environments_of_placements(reference: Reference, every_environment: bool) -> tuple[str, ...]:
    names = set()
    for name in reference.fields:
        names |= {p.environment.name for p in placements(reference, name, every_environment)}
    return tuple(sorted(names))


def _base_vector(vectors: dict[str, Any], event: str, version: int) -> dict[str, Any] | None:
    return next((v for v in vectors["valid"] if v["event"] == event and v["event_version"] == version), None)


def edge_cases(run: ReferenceRun, per_field: int) -> list[Case]:
    reference = run.reference
    where = {name: placements(reference, name, run.every_environment) for name in reference.fields}
    fields = {name: reference.fields[name] for name, found in where.items() if found}
    # the members of objects are drawn too, to be set inside the objects at every depth
    drawable = {name: f for name, f in fields.items() if f.object_field is None}
    for f in [f for f in fields.values() if f.object_field is not None]:
        drawable.update((n, m) for n, m in fields_within(f).items() if m.object_field is None)
    # one hypothesis run for all fields (hypothesis costs per example, not per value)
    drawn_rows = draw(st.fixed_dictionaries({name: field_strategy(f) for name, f in drawable.items()}), per_field)
    drawn = [row for row in drawn_rows]
    by_member = {name: [row[name] for row in drawn_rows] for name in drawable}
    cases = []
    for name, field_ in fields.items():
        for placement in where[name]:
            env = placement.environment.name
            base = _base_vector(run.vectors[env], placement.event.name, placement.version.number)
            if base is None:
                continue
            if field_.object_field is not None:
                values = object_edge_values(field_, placement.required, by_member)
            else:
                values = edge_values(field_, placement.required, [d[name] for d in drawn])
            for value in values:
                payload = {
                    "environment": env,
                    "langpack": run.vectors[env]["langpack"],
                    "event": base["event"],
                    "event_version": base["event_version"],
                    "common": {**base["common"], **({name: value} if placement.common else {})},
                    "fields": {**base["fields"], **({} if placement.common else {name: value})},
                    "event_time_us": base["event_time_us"],
                    "event_uid": base["event_uid"],
                }
                contracts = run.contracts(env, base["event"], base["event_version"])
                cases.append(Case(run.label, env, base["event"], base["event_version"], name, category(field_, value), payload, expect(reference, payload), contracts))
    return cases


def vector_cases(run: ReferenceRun) -> list[Case]:
    """The generator's own vectors: each judge must agree with what the vector says."""
    cases = []
    for env, vectors in sorted(run.vectors.items()):
        for kind in ("valid", "invalid"):
            for vector in vectors[kind]:
                payload = {"environment": env, "langpack": vectors["langpack"], "event_time_us": 1764135268123456, "event_uid": "019abea7-ef1b-72f1-be80-c81d8426d39a", **{k: v for k, v in vector.items() if k not in ("json", "field", "reason")}}
                if kind == "valid":
                    claim = {"valid": True, "hex": vector["json"].encode("utf-8").hex()}
                else:
                    claim = {"valid": False, "field": vector["field"], "reason": vector["reason"]}
                contracts = run.contracts(env, vector["event"], vector["event_version"])
                cases.append(Case(run.label, env, vector["event"], vector["event_version"], None, "generator-vector", payload, expect(run.reference, payload), contracts, claim))
    return cases


def judge_all(farm: Farm, run: ReferenceRun, cases: list[Case], skip: set[str] = set()) -> dict[str, list[Outcome]]:
    """judge name -> one outcome per case it judged (judges in `skip` are not asked)."""
    results: dict[str, list[Outcome]] = defaultdict(list)
    by_judge: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case in cases:
        for language in LANGPACK_JUDGES:
            if (case.environment, language) in run.langpacks and language not in skip:
                by_judge[(case.environment, language)].append(case)
    for key, judged in sorted(by_judge.items()):
        verdicts = run.langpacks[key].judge([transport(c.payload) for c in judged])
        results[key[1]] += [Outcome(c, v, compare(c, v)) for c, v in zip(judged, verdicts)]
    lines = [c.expected.text for c in cases]
    others: list[tuple[str, Callable[[], list[dict[str, Any]]]]] = [
        ("check-events", lambda: CheckEventsJudge(run.reference).judge_lines(lines)),
        ("jsonschema", lambda: JsonschemaJudge(run.reference).judge_lines([c.payload for c in cases], lines)),
        ("ajv", lambda: AjvJudge(run.reference, farm.ajv()).judge_lines([c.payload for c in cases], lines)),
        ("vectors", lambda: VectorGeneratorJudge(run.reference).judge([{**c.payload, "vector_claim": c.claim} for c in cases])),
    ]
    for name, judge in others:
        if name in skip:
            continue
        results[name] += [Outcome(c, v, compare(c, v)) for c, v in zip(cases, judge())]
    return results


def summarize(outcomes: list[Outcome]) -> dict[str, Any]:
    by_category: Counter[str] = Counter(o.case.category for o in outcomes)
    wrong: Counter[str] = Counter(o.case.category for o in outcomes if o.problem)
    by_reference: Counter[str] = Counter(o.case.reference for o in outcomes)
    wrong_by_reference: Counter[str] = Counter(o.case.reference for o in outcomes if o.problem)
    return {
        "cases": len(outcomes),
        "valid": sum(1 for o in outcomes if o.case.expected.valid),
        "agree": sum(1 for o in outcomes if not o.problem),
        "disagree": sum(1 for o in outcomes if o.problem),
        "by_category": {c: {"cases": n, "disagree": wrong[c]} for c, n in sorted(by_category.items())},
        "by_reference": {r: {"cases": n, "disagree": wrong_by_reference[r]} for r, n in sorted(by_reference.items())},
    }
