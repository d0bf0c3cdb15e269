"""The example reference built as a user builds it, for the tests of the stream and
schema judges (`check-events`, `schema`).

`clickgen build --lang go --lang php` reaches every environment of the example (each
lists Go or PHP) without black's cost, and writes `OUT/<env>/vectors.json` like any
build: valid vectors carry the exact wire line in "json"; an invalid vector says which
field it breaks and becomes a wire object here (envelope + common + fields).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from clickgen.checkplan import plan_field
from clickgen.cli import main
from clickgen.frontend import analyze_folder
from clickgen.ir import Reference

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "reference"


@dataclass(frozen=True)
class ExampleBuild:
    out: Path
    reference: Reference
    vectors: dict[str, dict[str, Any]]  # environment -> its vectors.json

    def valid_lines(self, environment: str | None = None) -> list[str]:
        return [v["json"] for name, doc in self.vectors.items() if environment in (None, name) for v in doc["valid"]]

    def invalid_wires(self, environment: str | None = None) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        """(environment, vector, wire object) for every invalid vector."""
        return [
            (name, vector, wire_object(self.reference, name, doc["langpack"], vector))
            for name, doc in self.vectors.items()
            if environment in (None, name)
            for vector in doc["invalid"]
        ]


def wire_object(reference: Reference, environment: str, langpack: str, vector: dict[str, Any]) -> dict[str, Any]:
    """What a sender that skipped validation would put on the wire for a vector."""
    event = reference.events[vector["event"]]
    values = {**vector["common"], **vector["fields"]}
    return {
        # objects' members under their wire keys too
        **{reference.fields[name].wire_key: plan_field(reference.fields[name]).keyed(value) for name, value in values.items()},
        "event_id": event.id,
        "event_version": vector["event_version"],
        "source_id": reference.environments[environment].source_id,
        "event_time_us": 1764135268123456,
        "event_uid": "019abea7-ef1b-72f1-be80-c81d8426d39a",
        "langpack": langpack,
    }


def build_example(out: Path) -> ExampleBuild:
    result = CliRunner().invoke(main, ["--reference", str(EXAMPLE), "build", "--lang", "go", "--lang", "php", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    analysis = analyze_folder(EXAMPLE)
    assert analysis.ok
    vectors = {path.parent.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(out.glob("*/vectors.json"))}
    assert set(vectors) == set(analysis.reference.environments), "every environment of the example has vectors"
    return ExampleBuild(out, analysis.reference, vectors)
