"""`clickgen schema`: one JSON Schema (draft 2020-12) per environment and event version.

Every exported schema is a valid draft 2020-12 schema (the meta-schema, through the
`jsonschema` package); every valid vector of the example is accepted by its schema and
every invalid vector, put on the wire, is refused. Then the command: the files and
their layout, `--env`, and a bad `--out`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from clickgen.export_schema import DRAFT, export
from example_build import EXAMPLE, ExampleBuild


@pytest.fixture(scope="module")
def exported(example_build: ExampleBuild) -> dict[str, dict[str, Any]]:
    return export(example_build.reference)


def _schema_path(environment: str, vector: dict[str, Any]) -> str:
    return f"{environment}/{vector['event']}.v{vector['event_version']}.schema.json"


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    # formats are not asserted in 2020-12 by default (an annotation)
    return Draft202012Validator(schema)


def test_every_schema_meta_validates(exported: dict[str, dict[str, Any]]) -> None:
    assert len(exported) > 50
    for path, schema in exported.items():
        assert schema["$schema"] == DRAFT, path
        Draft202012Validator.check_schema(schema)


def test_a_broken_schema_would_be_caught() -> None:
    """The meta-validation above is not vacuous."""
    from jsonschema.exceptions import SchemaError

    with pytest.raises(SchemaError):
        Draft202012Validator.check_schema({"$schema": DRAFT, "type": "object", "properties": {"x": {"type": "integr"}}})
    with pytest.raises(SchemaError):
        Draft202012Validator.check_schema({"$schema": DRAFT, "type": "object", "required": "x"})


def test_every_valid_vector_is_accepted(example_build: ExampleBuild, exported: dict[str, dict[str, Any]]) -> None:
    checked = 0
    for environment, doc in example_build.vectors.items():
        for vector in doc["valid"]:
            schema = exported[_schema_path(environment, vector)]
            errors = [e.message for e in _validator(schema).iter_errors(json.loads(vector["json"]))]
            assert errors == [], (environment, vector["json"], errors)
            checked += 1
    assert checked == len(example_build.valid_lines()) > 200


def test_every_invalid_vector_is_refused_at_its_field(example_build: ExampleBuild, exported: dict[str, dict[str, Any]]) -> None:
    cases = example_build.invalid_wires()
    assert len(cases) > 500
    for environment, vector, wire in cases:
        if vector["reason"] == "format":
            continue  # `format` is an annotation in 2020-12: the agreement tests hold formats under ajv-formats
        schema = exported[_schema_path(environment, vector)]
        errors = list(_validator(schema).iter_errors(wire))
        assert errors, (environment, vector)
        # the one broken field is what the schema complains about, and nothing else
        key = example_build.reference.fields[vector["field"]].wire_key
        assert {e.absolute_path[0] if e.absolute_path else None for e in errors} == {key}, (environment, vector, [e.message for e in errors])


def test_the_envelope_is_held_exactly(example_build: ExampleBuild, exported: dict[str, dict[str, Any]]) -> None:
    vector = example_build.vectors["ios-app"]["valid"][0]
    schema = exported[_schema_path("ios-app", vector)]
    wire = json.loads(vector["json"])
    validator = _validator(schema)
    assert validator.is_valid(wire)
    other = next(e for e in example_build.reference.events.values() if e.name != vector["event"])
    for broken in (
        {**wire, "event_id": other.id},
        {**wire, "event_version": vector["event_version"] + 1},
        {**wire, "source_id": wire["source_id"] + 1},
        {**wire, "event_time_us": -1},
        {**wire, "event_time_us": 2**63},
        {**wire, "event_uid": wire["event_uid"].upper()},
        {**wire, "langpack": "1.0"},
        {**wire, "unknown_field": 1},
        {k: v for k, v in wire.items() if k != "event_uid"},
    ):
        assert not validator.is_valid(broken), broken


# --- the command -----------------------------------------------------------------------


def test_the_command_writes_one_file_per_environment_and_version(clickgen_cli, example_build: ExampleBuild, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "schemas"
    result = clickgen_cli("--reference", EXAMPLE, "schema", "--out", out)
    assert result.exit_code == 0, result.stderr
    expected = {
        f"{environment.name}/{event.name}.v{version.number}.schema.json"
        for environment in example_build.reference.environments.values()
        for event in environment.events
        for version in event.versions
    }
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written == expected
    assert result.stdout == f"wrote {len(expected)} schemas into {out}\n"
    for rel in sorted(written):
        text = (out / rel).read_text(encoding="utf-8")
        schema = json.loads(text)
        assert text == json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        environment, name = rel.split("/")
        event, version = name.removesuffix(".schema.json").rsplit(".v", 1)
        assert schema["$id"] == f"clickgen:marketplace/{environment}/{event}/v{version}"
        assert schema["properties"]["source_id"] == {"const": example_build.reference.environments[environment].source_id}
        assert schema["properties"]["event_version"] == {"const": int(version)}
        Draft202012Validator.check_schema(schema)
    again = clickgen_cli("--reference", EXAMPLE, "schema", "--out", out)
    assert again.exit_code == 0
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == {rel: (out / rel).read_bytes() for rel in written}


def test_env_filters_and_replaces(clickgen_cli, example_build: ExampleBuild, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "schemas"
    both = clickgen_cli("--reference", EXAMPLE, "schema", "--env", "website", "--env", "backend-auth", "--out", out)
    assert both.exit_code == 0, both.stderr
    assert sorted(p.name for p in out.iterdir()) == ["backend-auth", "website"]
    website = example_build.reference.environments["website"]
    assert len(list((out / "website").iterdir())) == sum(len(e.versions) for e in website.events)
    one = clickgen_cli("--reference", EXAMPLE, "schema", "--env", "website", "--out", out)
    assert one.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["website"]  # the folder holds exactly this export


def test_an_unknown_env_exits_2(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", EXAMPLE, "schema", "--env", "nope", "--out", tmp_path / "s")
    assert result.exit_code == 2
    assert result.stderr.startswith("clickgen: error: unknown environment 'nope'; the reference has: backend-auth, ")
    assert not (tmp_path / "s").exists()


def test_out_is_required(clickgen_cli) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", EXAMPLE, "schema")
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.stderr


def test_out_that_is_a_file_exits_2(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "file.txt"
    file.write_text("mine\n")
    result = clickgen_cli("--reference", EXAMPLE, "schema", "--out", file)
    assert result.exit_code == 2
    assert "is a file" in result.stderr
    below = clickgen_cli("--reference", EXAMPLE, "schema", "--out", file / "schemas")
    assert below.exit_code == 2
    assert below.stderr == f"clickgen: error: cannot write {file / 'schemas'}: Not a directory\n"
    assert file.read_text() == "mine\n"


@pytest.mark.parametrize("foreign", ["notes.txt", "website/notes.txt", "website/x.schema.json", "a/b/c.schema.json"])
def test_a_folder_of_other_files_is_not_replaced(clickgen_cli, tmp_path: Path, foreign: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    (out / foreign).parent.mkdir(parents=True, exist_ok=True)
    (out / foreign).write_text('{"$id": "someone else"}\n')
    result = clickgen_cli("--reference", EXAMPLE, "schema", "--out", out)
    assert result.exit_code == 2
    assert result.stderr == f"clickgen: error: {out} holds files that `clickgen schema` did not write; pick an empty or new folder\n"
    assert (out / foreign).read_text() == '{"$id": "someone else"}\n'


def test_a_reference_with_errors_exits_1(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "clickgen.yaml").write_text("name: [broken\n")
    result = clickgen_cli("--reference", tmp_path / "ref", "schema", "--out", tmp_path / "s")
    assert result.exit_code == 1
    assert "error[CG0001]" in result.stderr
    assert not (tmp_path / "s").exists()
