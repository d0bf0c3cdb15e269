"""The judges of a value that are not langpacks, each called the way users call it:

- `check-events` (clickgen/check_events.py, in-process) on the line a sender would write;
- the exported JSON Schemas (`clickgen schema`, clickgen/export_schema.py) under the
  Python `jsonschema` package (Draft202012Validator with its format checker) and under
  ajv (Node, ajv/dist/2020 with ajv-formats; tests/judges/ajv_judge.cjs), on that line;
- the vector generator (clickgen/vectors.py): its verdict is contract.check_value and its
  bytes are canonical_json.encode of the wire object, the two calls it makes a valid
  vector's `json` with (a vector's own claim is used for the vectors it wrote).

Every judge returns verdicts shaped like the langpack judges' (README.md).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from clickgen import canonical_json
from clickgen.checkplan import plan_field
from clickgen.check_events import check_stream
from clickgen.contract import check_value
from clickgen.export_schema import export
from clickgen.ir import Reference

from judges.oracle import field_uses
from judges.process import LineProcess

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node") or ""
NODE_MODULES = HERE.parent / "node" / "node_modules"
_FIELD = re.compile(r"field `([^`]*)`")


def schema_key(case: dict[str, Any]) -> str:
    return f"{case['environment']}/{case['event']}.v{case['event_version']}.schema.json"


class CheckEventsJudge:
    name = "check-events"

    def __init__(self, reference: Reference) -> None:
        self.reference = reference

    def judge_lines(self, lines: list[str]) -> list[dict[str, Any]]:
        verdicts = []
        for line in lines:
            try:
                report = check_stream(self.reference, io.BytesIO((line + "\n").encode("utf-8", "surrogatepass")), "judge.ndjson")
            except Exception as e:  # a traceback for a line is a bug of its own
                verdicts.append({"crash": f"{type(e).__name__}: {e}"})
                continue
            errors = [d for d in report.diagnostics if d.severity.value == "error"]
            if not errors:
                verdicts.append({"valid": True})
                continue
            fields = {m.group(1) for d in errors for m in [_FIELD.search(d.message)] if m}
            verdicts.append({"valid": False, "field": fields.pop() if len(fields) == 1 else None, "reason": "; ".join(f"{d.code} {d.message}" for d in errors)})
        return verdicts


def _fields_of_errors(errors: list[tuple[list[Any], str, Any]]) -> str | None:
    """The one top-level key the errors are about, or None."""
    names = {str(path[0]) for path, _, _ in errors if path}
    names |= {str(name) for path, keyword, name in errors if not path and name is not None}
    return names.pop() if len(names) == 1 else None


class JsonschemaJudge:
    """The exported schemas under python-jsonschema, as a collector in Python runs them."""

    name = "jsonschema"

    def __init__(self, reference: Reference) -> None:
        self.schemas = export(reference)
        self.validators: dict[str, Draft202012Validator] = {}

    def validator(self, key: str) -> Draft202012Validator:
        if key not in self.validators:
            schema = self.schemas[key]
            Draft202012Validator.check_schema(schema)
            self.validators[key] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        return self.validators[key]

    def judge_lines(self, cases: list[dict[str, Any]], lines: list[str]) -> list[dict[str, Any]]:
        verdicts = []
        for case, line in zip(cases, lines):
            try:
                errors = list(self.validator(schema_key(case)).iter_errors(json.loads(line)))
            except Exception as e:
                verdicts.append({"crash": f"{type(e).__name__}: {e}"})
                continue
            if not errors:
                verdicts.append({"valid": True})
                continue
            described = []
            for error in errors:
                missing = None
                if error.validator == "required":
                    missing = next((r for r in error.validator_value if r not in error.instance), None)
                elif error.validator == "additionalProperties":
                    extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
                    missing = extra[0] if len(extra) == 1 else None
                described.append((list(error.absolute_path), str(error.validator), missing))
            verdicts.append({"valid": False, "field": _fields_of_errors(described), "reason": "; ".join(e.message[:200] for e in errors)})
        return verdicts


def _pointer_head(pointer: str) -> str | None:
    if not pointer:
        return None
    return pointer.split("/")[1].replace("~1", "/").replace("~0", "~")


class AjvJudge:
    """The exported schemas under ajv, in one long-lived Node process."""

    name = "ajv"

    def __init__(self, reference: Reference, process: LineProcess) -> None:
        self.schemas = export(reference)
        self.process = process
        self.defined: set[str] = set()
        self.failed: dict[str, str] = {}

    def judge_lines(self, cases: list[dict[str, Any]], lines: list[str]) -> list[dict[str, Any]]:
        keys = sorted({schema_key(c) for c in cases} - self.defined)
        for key, answer in zip(keys, self.process.ask({"define": k, "schema": self.schemas[k]} for k in keys)):
            self.defined.add(key)
            if "error" in answer or "crash" in answer:
                self.failed[key] = str(answer)
        # the line's own text, so that Node parses the numbers (as doubles) itself
        requests = [f'{{"validate":{json.dumps(schema_key(c))},"data":{line}}}' for c, line in zip(cases, lines)]
        answers = self.process.ask_raw(requests)
        verdicts = []
        for case, answer in zip(cases, answers):
            if schema_key(case) in self.failed:
                verdicts.append({"crash": "schema does not compile: " + self.failed[schema_key(case)]})
            elif "valid" not in answer:
                verdicts.append({"crash": str(answer)})
            elif answer["valid"]:
                verdicts.append({"valid": True})
            else:
                described = [([_pointer_head(e["instancePath"])] if e["instancePath"] else [], e["keyword"], (e.get("params") or {}).get("missingProperty") or (e.get("params") or {}).get("additionalProperty")) for e in answer["errors"]]
                verdicts.append({"valid": False, "field": _fields_of_errors(described), "reason": json.dumps(answer["errors"])[:400]})
        return verdicts


def start_ajv() -> LineProcess:
    return LineProcess("ajv judge", [NODE, HERE / "ajv_judge.cjs"])


class VectorGeneratorJudge:
    """clickgen/vectors.py's judgement of a value: check_value, then canonical_json."""

    name = "vectors"

    def __init__(self, reference: Reference) -> None:
        self.reference = reference

    def judge(self, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        verdicts = []
        for case in cases:
            claim = case.get("vector_claim")
            if claim is not None:  # a vector the generator wrote: its own verdict and bytes
                verdicts.append(claim)
                continue
            environment = self.reference.environments[case["environment"]]
            event = self.reference.events[case["event"]]
            version = event.version(case["event_version"])
            assert version is not None
            uses = field_uses(environment, version)
            values = {**case["common"], **case["fields"]}
            try:
                # objects' members are given by name (as the APIs take them): judged under their wire keys
                bad = [(name, reason) for name, value in values.items() for reason in [check_value(uses[name], plan_field(uses[name]).keyed(value))] if reason]
                if bad:
                    verdicts.append({"valid": False, "field": bad[0][0] if len(bad) == 1 else None, "reason": bad[0][1]})
                    continue
                wire = {uses[name].wire_key: plan_field(uses[name]).wire_value(value) for name, value in values.items()}
                wire.update({"event_id": event.id, "event_version": version.number, "source_id": environment.source_id, "event_time_us": case["event_time_us"], "event_uid": case["event_uid"], "langpack": case["langpack"]})
                verdicts.append({"valid": True, "hex": canonical_json.encode_bytes(wire).hex()})
            except Exception as e:
                verdicts.append({"crash": f"{type(e).__name__}: {e}"})
        return verdicts
