"""`clickgen check-events`: a raw NDJSON stream judged against the reference.

Valid input is what the langpacks write: the exact "json" lines of the vectors that
`clickgen build` makes for the example. Invalid input is every invalid vector put on
the wire, plus one hand-made line per diagnostic code CG0501..CG0508. The stream
itself: bad JSON (with its column), a 10 MB line, blank lines, CRLF, stdin, bytes
that are not UTF-8, a missing file; the text, json and github formats; exit codes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from clickgen import canonical_json
from clickgen.diagnostics import CODES
from example_build import EXAMPLE, ExampleBuild

CLICKGEN = Path(sys.executable).parent / "clickgen"

# a reference small enough to read: one event with an unconstrained string field
PLAIN = {
    "clickgen.yaml": "name: plain\n",
    "fields/f.yaml": "note:\n  type: string\ncount:\n  type: integer\n  minimum: 0\n",
    "environments/web.yaml": "name: web\nsource_id: 7\nlangpacks: [go]\n",
    "events/ping.yaml": "event: ping\nid: 5\nowner: me\nenvironments: [web]\nversions:\n  1:\n    fields:\n      count: required\n      note: optional\n",
}
PING = {"count": 1, "event_id": 5, "event_version": 1, "source_id": 7, "event_time_us": 1, "event_uid": "019abea7-ef1b-72f1-be80-c81d8426d39a", "langpack": "0.1.0"}


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    root = tmp_path / "plain"
    for rel, text in PLAIN.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def check(clickgen_cli, tmp_path: Path) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """check(lines or bytes, *options, reference=EXAMPLE) -> CliResult; lines are joined with LF."""

    def run(content: list[str] | bytes, *options: str, reference: Path = EXAMPLE) -> Any:
        data = content if isinstance(content, bytes) else "".join(line + "\n" for line in content).encode("utf-8")
        stream = tmp_path / "stream.ndjson"
        stream.write_bytes(data)
        return clickgen_cli("--reference", reference, "check-events", *options, stream)

    return run


def diagnostics_of(result: Any) -> list[dict[str, Any]]:
    return list(json.loads(result.stdout)["diagnostics"])


def wire(payload: dict[str, Any]) -> str:
    return canonical_json.encode(payload)


# --- the vectors of the example: valid lines pass, invalid vectors are refused ----------


def test_every_valid_vector_line_is_valid(check, example_build: ExampleBuild) -> None:  # type: ignore[no-untyped-def]
    lines = example_build.valid_lines()
    assert len(lines) > 200
    result = check(lines, "--format", "json")
    assert result.exit_code == 0, result.stdout
    document = json.loads(result.stdout)
    assert document["diagnostics"] == []  # not even a CG0508 warning: the lines are canonical
    assert (document["events"], document["valid"], document["invalid"]) == (len(lines), len(lines), 0)


def test_every_invalid_vector_is_refused_naming_its_field(check, example_build: ExampleBuild) -> None:  # type: ignore[no-untyped-def]
    cases = example_build.invalid_wires()
    assert len(cases) > 500
    assert {vector["reason"] for _, vector, _ in cases} >= {"enum", "min_length", "max_length", "pattern", "minimum", "maximum", "min_items", "max_items", "null"}
    result = check([wire(w) for _, _, w in cases], "--format", "json", "--max-errors", "100000")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert (document["events"], document["valid"], document["invalid"]) == (len(cases), 0, len(cases))
    by_line: dict[int, list[dict[str, Any]]] = {}
    for d in document["diagnostics"]:
        by_line.setdefault(d["line"], []).append(d)
    for number, (environment, vector, _) in enumerate(cases, start=1):
        found = by_line.get(number, [])
        expected = f"`{vector['event']}` v{vector['event_version']}: field `{vector['field']}`"
        # inside an object the message names the path: ... field `cart_lines`: cart_lines[1].cart_quantity: must be >= 1
        expected += f": {vector['path']}: " if "path" in vector else " "
        assert [d["code"] for d in found] == ["CG0506"], (environment, vector, found)
        assert found[0]["message"].startswith(expected), (environment, vector, found)


# --- one line per diagnostic code ------------------------------------------------------


def _example_line(example_build: ExampleBuild) -> dict[str, Any]:
    """A valid wire object of ios-app with at least one required and one optional own field, and user_id."""
    for vector in example_build.vectors["ios-app"]["valid"]:
        payload = json.loads(vector["json"])
        event = example_build.reference.events[vector["event"]]
        version = event.version(vector["event_version"])
        assert version is not None
        if any(u.required for u in version.fields) and any(not u.required for u in version.fields) and "user_id" in payload:
            return dict(payload)
    raise AssertionError("the example's ios-app has no event with required and optional fields")


def _event_elsewhere(example_build: ExampleBuild, environment: str) -> tuple[int, int]:
    """(event id, version) of an event that does not occur in the environment."""
    for event in example_build.reference.events.values():
        if environment not in event.environments:
            return event.id, event.latest.number
    raise AssertionError("every event occurs everywhere")


def _required_field(example_build: ExampleBuild, payload: dict[str, Any]) -> str:
    """The wire key of a required field of the payload's event version."""
    event = next(e for e in example_build.reference.events.values() if e.id == payload["event_id"])
    version = event.version(payload["event_version"])
    assert version is not None
    return next(u.field.wire_key for u in version.fields if u.required)


# each case: (name, change to a valid wire object or a raw line, code, words of the message)
CODE_CASES: list[tuple[str, Any, str, str]] = [
    ("not JSON", lambda p, b: '{"event_id": 1402,', "CG0501", "not JSON"),
    ("a JSON array", lambda p, b: "[1, 2]", "CG0501", "not a JSON object"),
    ("a JSON string", lambda p, b: '"event"', "CG0501", "not a JSON object"),
    ("NaN", lambda p, b: wire(p)[:-1] + ',"x":NaN}', "CG0501", "`NaN` is not a JSON value"),
    ("a repeated key", lambda p, b: wire(p)[:-1] + ',"event_id":1}', "CG0501", "the key `event_id` appears twice"),
    ("nested 100,000 deep", lambda p, b: "[" * 100_000, "CG0501", "nest too deeply"),
    ("an unknown event id", lambda p, b: wire({**p, "event_id": 999_999}), "CG0502", "no event has id 999999"),
    ("an unknown version", lambda p, b: wire({**p, "event_version": 99}), "CG0502", "has no version 99"),
    ("an unknown source id", lambda p, b: wire({**p, "source_id": 9999}), "CG0503", "no environment has source id 9999"),
    ("an event of another environment", "elsewhere", "CG0503", "does not occur in `ios-app`"),
    ("a missing required field", "missing", "CG0504", "is missing"),
    ("an unknown field", lambda p, b: wire({**p, "colour": "red"}), "CG0505", "unknown field `colour`"),
    ("an invalid value", lambda p, b: wire({**p, "os_version": "seventeen"}), "CG0506", "field `os_version` must match"),
    ("a missing envelope key", lambda p, b: wire({k: v for k, v in p.items() if k != "event_time_us"}), "CG0507", "`event_time_us` is missing"),
    ("a boolean event id", lambda p, b: wire({**p, "event_id": True}), "CG0507", "`event_id`"),
    ("a negative source id", lambda p, b: wire({**p, "source_id": -12}), "CG0507", "`source_id`"),
    ("a float version", lambda p, b: wire({**p, "event_version": 1.5}), "CG0507", "`event_version`"),
    ("a time past int64", lambda p, b: wire({**p, "event_time_us": 2**63}), "CG0507", "`event_time_us`"),
    ("an uppercase uid", lambda p, b: wire({**p, "event_uid": p["event_uid"].upper()}), "CG0507", "`event_uid`"),
    ("a missing uid", lambda p, b: wire({k: v for k, v in p.items() if k != "event_uid"}), "CG0507", "`event_uid`"),
    ("a numeric langpack", lambda p, b: wire({**p, "langpack": 1}), "CG0507", "`langpack`"),
    ("spaces", lambda p, b: json.dumps(p, sort_keys=True, ensure_ascii=False), "CG0508", "not in canonical form"),
    ("unsorted keys", lambda p, b: json.dumps(dict(reversed(list(p.items()))), separators=(",", ":"), ensure_ascii=False), "CG0508", "not in canonical form"),
    ("escaped ASCII", lambda p, b: wire(p).replace('"langpack"', '"\\u006cangpack"'), "CG0508", "not in canonical form"),
    ("an integer written 1.0", lambda p, b: wire(p).replace(f'"user_id":{p["user_id"]}', f'"user_id":{p["user_id"]}.0'), "CG0506", "field `user_id` must be a 64-bit integer"),
]


@pytest.mark.parametrize("name, change, code, words", CODE_CASES, ids=[c[0] for c in CODE_CASES])
def test_each_code(check, example_build: ExampleBuild, name: str, change: Any, code: str, words: str) -> None:  # type: ignore[no-untyped-def]
    payload = _example_line(example_build)
    if change == "elsewhere":
        event_id, version = _event_elsewhere(example_build, "ios-app")
        line = wire({**payload, "event_id": event_id, "event_version": version})
    elif change == "missing":
        required = _required_field(example_build, payload)
        line = wire({k: v for k, v in payload.items() if k != required})
    else:
        line = change(payload, example_build)
    result = check([wire(payload), line], "--format", "json")
    found = diagnostics_of(result)
    assert found, f"{name}: no diagnostic"
    assert all(d["line"] == 2 for d in found), found
    assert found[0]["code"] == code and words in found[0]["message"], found
    assert found[0]["hint"], "every diagnostic has a fix hint"
    assert found[0]["name"] == CODES[code].name
    warning = CODES[code].severity.value == "warning"
    assert found[0]["severity"] == ("warning" if warning else "error")
    assert result.exit_code == (0 if warning else 1)
    assert json.loads(result.stdout)["valid"] == (2 if warning else 1)


def test_every_stream_code_has_a_case() -> None:
    stream_codes = {c for c in CODES if c.startswith("CG05")}
    assert stream_codes == {f"CG050{n}" for n in range(1, 9)}
    assert {case[2] for case in CODE_CASES} == stream_codes


def test_a_bad_line_is_reported_at_its_column(check) -> None:  # type: ignore[no-untyped-def]
    result = check(['{"event_id":1,"é":tru}', '{"a":1 "b":2}'], "--format", "json")
    found = diagnostics_of(result)
    assert [(d["line"], d["col"], d["code"]) for d in found] == [(1, 19, "CG0501"), (2, 8, "CG0501")]
    assert found[0]["message"] == "not JSON: Expecting value"
    assert found[1]["message"] == "not JSON: Expecting ',' delimiter"
    assert result.exit_code == 1


def test_text_format_names_file_line_and_column(check, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = check(['{"a":', "[]"])
    assert result.exit_code == 1
    stream = tmp_path / "stream.ndjson"
    assert f"{stream}:1:6: error[CG0501]: not JSON: Expecting value\n  = hint: " in result.stderr
    assert f"{stream}:2:1: error[CG0501]: the line is not a JSON object" in result.stderr
    assert result.stderr.rstrip().endswith("2 events: 0 valid, 2 invalid")
    assert result.stdout == ""


# --- the stream: size, blank lines, line ends, encodings, stdin, missing file ----------


def test_a_10_mb_line(check, plain: Path) -> None:  # type: ignore[no-untyped-def]
    note = "ж" * 5_000_000  # 10 MB of UTF-8
    valid = wire({**PING, "note": note})
    broken = '{"note":"' + "x" * 10_000_000  # unterminated string, 10 MB
    assert len(valid.encode()) > 10_000_000
    started = time.perf_counter()
    result = check([valid, broken, wire(PING)], "--format", "json", reference=plain)
    elapsed = time.perf_counter() - started
    document = json.loads(result.stdout)
    assert (document["events"], document["valid"]) == (3, 2)
    [found] = document["diagnostics"]
    assert (found["line"], found["col"], found["code"]) == (2, 9, "CG0501")
    assert "Unterminated string" in found["message"]
    assert len(result.stdout) < 2000, "a diagnostic never echoes the line"
    assert elapsed < 20


def test_blank_lines_are_skipped_and_lines_keep_their_numbers(check, plain: Path) -> None:  # type: ignore[no-untyped-def]
    content = ("\n\n" + wire(PING) + "\n   \n\t\n" + wire({**PING, "count": -1}) + "\n\n").encode()
    result = check(content, "--format", "json", reference=plain)
    document = json.loads(result.stdout)
    assert (document["events"], document["valid"], document["invalid"]) == (2, 1, 1)
    assert [(d["line"], d["code"]) for d in document["diagnostics"]] == [(6, "CG0506")]


def test_an_empty_stream_is_valid(check, plain: Path) -> None:  # type: ignore[no-untyped-def]
    result = check(b"", reference=plain)
    assert result.exit_code == 0
    assert "0 events: 0 valid, 0 invalid" in result.stderr


def test_crlf_line_ends_are_line_ends(check, example_build: ExampleBuild) -> None:  # type: ignore[no-untyped-def]
    lines = example_build.valid_lines("website")
    content = "\r\n".join(lines).encode("utf-8")  # and the last line has no line end at all
    result = check(content, "--format", "json")
    document = json.loads(result.stdout)
    assert document == {"diagnostics": [], "events": len(lines), "valid": len(lines), "invalid": 0, "not_shown": 0}
    assert result.exit_code == 0


def test_a_lone_carriage_return_is_not_a_line_end(check, plain: Path) -> None:  # type: ignore[no-untyped-def]
    result = check((wire(PING) + "\r" + wire(PING) + "\n").encode(), "--format", "json", reference=plain)
    found = diagnostics_of(result)
    assert [(d["line"], d["code"]) for d in found] == [(1, "CG0501")]
    assert json.loads(result.stdout)["events"] == 1


def test_bytes_that_are_not_utf8_are_refused(check, plain: Path) -> None:  # type: ignore[no-untyped-def]
    good = wire({**PING, "note": "é"}).encode()
    latin1 = wire({**PING, "note": "é"}).encode("latin-1")  # é as the single byte 0xe9
    overlong = good.replace("é".encode(), b"\xc0\xaf")
    surrogate = good.replace("é".encode(), b"\xed\xa0\xbd")  # UTF-8 of U+D83D, which is not UTF-8
    result = check(b"\n".join([good, latin1, overlong, surrogate]) + b"\n", "--format", "json", reference=plain)
    document = json.loads(result.stdout)
    assert (document["events"], document["valid"], document["invalid"]) == (4, 1, 3)
    column = good.decode().index("é") + 1
    assert [(d["line"], d["col"], d["code"]) for d in document["diagnostics"]] == [(2, column, "CG0501"), (3, column, "CG0501"), (4, column, "CG0501")]
    assert "not UTF-8: byte 0xe9" in document["diagnostics"][0]["message"]
    assert result.exit_code == 1


def test_an_escaped_lone_surrogate_is_refused(check, plain: Path) -> None:  # type: ignore[no-untyped-def]
    line = wire({**PING, "note": "x"}).replace('"note":"x"', '"note":"\\ud83d"')
    result = check([line], "--format", "json", reference=plain)
    assert result.exit_code == 1
    assert [d["code"] for d in diagnostics_of(result)] == ["CG0506"]


def test_an_escaped_surrogate_pair_is_fine(check, plain: Path) -> None:  # type: ignore[no-untyped-def]
    escaped = wire({**PING, "note": "x"}).replace('"note":"x"', '"note":"\\ud83d\\udc4b"')
    result = check([wire({**PING, "note": "👋"}), escaped], "--format", "json", reference=plain)
    assert result.exit_code == 0
    # valid, but a langpack would have written the character itself
    assert [(d["line"], d["code"]) for d in diagnostics_of(result)] == [(2, "CG0508")]


def test_stdin(clickgen_cli, example_build: ExampleBuild) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from clickgen.cli import main

    lines = example_build.valid_lines("backend-auth")
    content = ("\n".join(lines) + "\n" + '{"event_id":\n').encode("utf-8")
    result = CliRunner().invoke(main, ["--reference", str(EXAMPLE), "check-events", "-"], input=content, catch_exceptions=False)
    assert result.exit_code == 1
    assert f"<stdin>:{len(lines) + 1}:13: error[CG0501]: not JSON: Expecting value" in result.stderr
    assert f"{len(lines) + 1} events: {len(lines)} valid, 1 invalid" in result.stderr


@pytest.mark.skipif(not CLICKGEN.exists(), reason="the clickgen console script is not installed next to this Python")
def test_stdin_and_missing_file_through_the_installed_command(example_build: ExampleBuild, tmp_path: Path) -> None:
    lines = example_build.valid_lines("backend-search")
    piped = subprocess.run([str(CLICKGEN), "--reference", str(EXAMPLE), "check-events", "-"], input="\n".join(lines).encode(), capture_output=True, timeout=60)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr.decode().strip() == f"{len(lines)} events: {len(lines)} valid, 0 invalid"
    missing = tmp_path / "no-such-stream.ndjson"
    for target, why in ((missing, "No such file or directory"), (tmp_path, "Is a directory")):
        run = subprocess.run([str(CLICKGEN), "--reference", str(EXAMPLE), "check-events", str(target)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 2
        assert run.stderr == f"clickgen: error: cannot read {target}: {why}\n"
        assert "Traceback" not in run.stderr and run.stdout == ""


# --- formats, limits and exit codes ----------------------------------------------------


def test_json_format_with_counts(check, example_build: ExampleBuild) -> None:  # type: ignore[no-untyped-def]
    lines = example_build.valid_lines("moderation-daemon")
    result = check(["[]", *lines, "{}"], "--format", "json")
    assert result.exit_code == 1
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert set(document) == {"diagnostics", "events", "valid", "invalid", "not_shown"}
    assert (document["events"], document["valid"], document["invalid"], document["not_shown"]) == (len(lines) + 2, len(lines), 2, 0)
    first = document["diagnostics"][0]
    assert set(first) == {"code", "name", "severity", "path", "line", "col", "message", "hint", "related"}
    assert first["path"].endswith("stream.ndjson")


def test_github_format(check, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = check(["{}", '{"a":'], "--format", "github")
    assert result.exit_code == 1
    stream = tmp_path / "stream.ndjson"
    annotations = result.stdout.splitlines()
    assert annotations[0] == f"::error file={stream},line=1,col=1,title=CG0507 stream-bad-envelope::envelope key `event_id` is missing or not a non-negative integer%0Ahint: events must be sent through a langpack"
    assert annotations[1].startswith(f"::error file={stream},line=2,col=6,title=CG0501 stream-not-json::not JSON: Expecting value")
    assert len(annotations) == 2


def test_max_errors_limits_the_report_not_the_counts(check) -> None:  # type: ignore[no-untyped-def]
    result = check(["[]"] * 10, "--max-errors", "3")
    assert result.exit_code == 1
    assert result.stderr.count("error[CG0501]") == 3
    assert "10 events: 0 valid, 10 invalid; 7 more problems not shown (--max-errors)" in result.stderr
    none = check(["[]"] * 2, "--max-errors", "0", "--format", "json")
    assert json.loads(none.stdout)["diagnostics"] == [] and json.loads(none.stdout)["not_shown"] == 2
    assert none.exit_code == 1


def test_warnings_alone_exit_0(check, example_build: ExampleBuild) -> None:  # type: ignore[no-untyped-def]
    spaced = [json.dumps(json.loads(line), ensure_ascii=False) for line in example_build.valid_lines("backend-auth")]
    result = check(spaced)
    assert result.exit_code == 0
    assert result.stderr.count("warning[CG0508]") == len(spaced)


@pytest.mark.parametrize(
    "options",
    [
        ["--format", "xml"],
        ["--max-errors", "-1"],
        ["--max-errors", "many"],
        ["--no-such-option"],
    ],
)
def test_usage_errors_exit_2(check, options: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = check(["{}"], *options)
    assert result.exit_code == 2
    assert "Error:" in result.stderr


def test_a_missing_argument_exits_2(clickgen_cli) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", EXAMPLE, "check-events")
    assert result.exit_code == 2
    assert "Missing argument 'FILE|-'" in result.stderr


def test_a_missing_file_exits_2_before_reading_the_reference(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = clickgen_cli("--reference", EXAMPLE, "check-events", tmp_path / "absent.ndjson")
    assert result.exit_code == 2
    assert result.stderr == f"clickgen: error: cannot read {tmp_path / 'absent.ndjson'}: No such file or directory\n"


def test_a_reference_with_errors_exits_1(check, plain: Path) -> None:  # type: ignore[no-untyped-def]
    (plain / "fields" / "f.yaml").write_text("note:\n  type: strin\n", encoding="utf-8")
    result = check([wire(PING)], reference=plain)
    assert result.exit_code == 1
    assert "error[CG" in result.stderr
    assert "events:" not in result.stderr
