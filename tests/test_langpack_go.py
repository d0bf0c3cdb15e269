"""The generated Go langpacks, checked by the real toolchain: gofmt -l prints nothing,
go vet is clean, and their own go test suites (vectors, senders, benchmarks) pass.

The Go tests are skipped, saying why, when `go` is not installed; the checks of the
generated text itself run everywhere.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from clickgen.build import build, generate_langpack, targets
from clickgen.checkplan import ObjectCheck, ValueCheck, plan_field
from clickgen.diagnostics import Span
from clickgen.frontend import analyze_folder
from clickgen.ir import Field, FieldType
from clickgen.plan import plan_build
from clickgen.targets.go import naming
from clickgen.targets.go import target as go_target
from clickgen.targets.go.target import event_weight, go_check, package_names, package_plan, pad_columns
from clickgen.targets.text import go_doc

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "reference"
HOSTILE = ROOT / "tests" / "cases" / "hostile-names" / "reference"
EDGE = ROOT / "tests" / "cases" / "edge-contracts" / "reference"
WIRE_KEYS_FORMATS = ROOT / "tests" / "cases" / "wire-keys-formats" / "reference"
HOSTILE_GO = ROOT / "tests" / "fixtures" / "hostile-go"
JUDGES = ROOT / "tests" / "fixtures" / "judges"
OBJECTS = ROOT / "tests" / "fixtures" / "objects"
API = ROOT / "tests" / "go_api" / "api.go.txt"
GO = shutil.which("go") or ""
GOFMT = shutil.which("gofmt") or (str(Path(GO).parent / "gofmt") if GO else "")
needs_go = pytest.mark.skipif(not GO, reason="the Go toolchain (`go`) is not installed: run scripts/install-toolchains.sh")
# The langpacks are stdlib-only: nothing may be downloaded, and the local toolchain is used
# even though go.mod says `go 1.19`. GOCACHE stays the user's (or CI's) cache: compiling
# the standard library into an empty cache costs more than all the langpacks together.
GO_ENV = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOSUMDB": "off", "GOWORK": "off"}
GENERATED = re.compile(r"^// Code generated .* DO NOT EDIT\.$", re.MULTILINE)


def build_go(reference_root: Path, out: Path) -> list[Path]:
    analysis = analyze_folder(reference_root)
    assert analysis.ok, analysis.diagnostics
    plans, problems = plan_build(analysis.reference, languages=("go",))
    assert not problems
    build(analysis.reference, plans, out)
    return [out / plan.folder for plan in plans]


@pytest.fixture(scope="module")
def example_langpacks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return build_go(EXAMPLE, tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def hostile_langpacks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Both hostile references: the shared one (when present) and the Go-specific one."""
    langpacks = build_go(HOSTILE_GO, tmp_path_factory.mktemp("hostile-go"))
    if HOSTILE.is_dir():
        langpacks += build_go(HOSTILE, tmp_path_factory.mktemp("hostile"))
    return langpacks


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env or GO_ENV, timeout=900)


def module_path(langpack: Path) -> str:
    return (langpack / "go.mod").read_text("utf-8").split("\nmodule ", 1)[1].split("\n", 1)[0].strip()


def check_toolchain(langpacks: list[Path], scratch: Path) -> None:
    """gofmt -l, go vet and go test over all langpacks (every package of each), each
    tool run once.

    A go.work workspace holds the langpacks, so one go process compiles what they
    share once and runs their tests in parallel (-vet=off: go vet already ran).
    """
    assert GO and GOFMT
    formatted = run([GOFMT, "-l", *map(str, langpacks)], ROOT)
    assert formatted.returncode == 0, formatted.stderr
    assert formatted.stdout == "", "not gofmt-clean:\n" + formatted.stdout
    work = scratch / "go.work"
    work.write_text("go 1.19\n\nuse (\n" + "".join(f"\t{p}\n" for p in langpacks) + ")\n", "utf-8")
    env = {**GO_ENV, "GOWORK": str(work), "GOFLAGS": ""}
    modules = [module_path(p) for p in langpacks]
    packages = [m + "/..." for m in modules]
    vetted = run([GO, "vet", *packages], scratch, env)
    assert vetted.returncode == 0, vetted.stdout + vetted.stderr
    tested = run([GO, "test", "-count=1", "-vet=off", *packages], scratch, env)
    assert tested.returncode == 0, tested.stdout[-8000:] + tested.stderr[-2000:]
    for module in modules:  # the root package's tests: the vectors, the senders, DecodeJSON
        assert f"ok  \t{module}\t" in tested.stdout, tested.stdout


@needs_go
def test_example_langpacks_pass_gofmt_vet_and_their_own_tests(example_langpacks: list[Path], tmp_path: Path) -> None:
    assert len(example_langpacks) >= 5
    check_toolchain(example_langpacks, tmp_path)


@needs_go
def test_hostile_langpacks_pass_gofmt_vet_and_their_own_tests(hostile_langpacks: list[Path], tmp_path: Path) -> None:
    assert len(hostile_langpacks) >= 2
    check_toolchain(hostile_langpacks, tmp_path)


@needs_go
def test_edge_contracts_langpacks_pass_gofmt_vet_and_their_own_tests(tmp_path: Path) -> None:
    """No common fields, and the other contracts of that case; wire keys and formats."""
    langpacks = build_go(EDGE, tmp_path / "out") + build_go(WIRE_KEYS_FORMATS, tmp_path / "keys")
    assert len(langpacks) >= 2
    check_toolchain(langpacks, tmp_path)


@needs_go
def test_objects_langpacks_pass_gofmt_vet_and_their_own_tests(tmp_path: Path) -> None:
    """Object fields and arrays of objects four levels deep: paths, nesting, decoding."""
    langpacks = build_go(ROOT / "tests" / "fixtures" / "objects", tmp_path / "out")
    assert len(langpacks) == 1
    check_toolchain(langpacks, tmp_path)


@needs_go
def test_a_wrong_vector_makes_the_generated_tests_fail(example_langpacks: list[Path], tmp_path: Path) -> None:
    langpack = tmp_path / "langpack"
    shutil.copytree(example_langpacks[0], langpack)
    path = langpack / "testdata" / "vectors.json"
    vectors = json.loads(path.read_text("utf-8"))
    vectors["valid"][0]["json"] = vectors["valid"][0]["json"].replace('"source_id":', '"source_id":1')
    first_checked = next(v for v in vectors["invalid"] if v["reason"] != "null")
    first_checked["field"] = "not_the_field"
    path.write_text(json.dumps(vectors), "utf-8")
    tested = run([GO, "test", "-count=1", "-run", "TestValidVectors|TestInvalidVectors", "./..."], langpack)
    assert tested.returncode == 1, tested.stdout + tested.stderr
    assert "wrong bytes" in tested.stdout and "want not_the_field" in tested.stdout, tested.stdout[-4000:]
    assert tested.stdout.count("--- FAIL: ") == 4, tested.stdout[-4000:]  # two subtests and their parents


@needs_go
def test_benchmarks_run(example_langpacks: list[Path]) -> None:
    ios = next(p for p in example_langpacks if p.parent.name == "ios-app")
    benched = run([GO, "test", "-run", "^$", "-bench", ".", "-benchtime", "200x", "-benchmem", "./..."], ios)
    assert benched.returncode == 0, benched.stdout + benched.stderr
    for name in ("BenchmarkGeneratedAppendJSON", "BenchmarkGeneratedEncode", "BenchmarkEncodingJSONHandWritten"):
        assert name in benched.stdout
    assert re.search(r"BenchmarkGeneratedAppendJSON\S*\s+\d+\s+[\d.]+ ns/op.*\s0 allocs/op", benched.stdout), benched.stdout


# --- a large langpack's shape: packages below internal/ -------------------------------


def go_api(langpacks: list[Path], scratch: Path) -> str:
    """The exported API of the langpacks' root packages (tests/go_api/api.go.txt)."""
    scratch.mkdir(parents=True, exist_ok=True)
    work = scratch / "go.work"
    work.write_text("go 1.19\n\nuse (\n" + "".join(f"\t{p}\n" for p in langpacks) + ")\n", "utf-8")
    shutil.copy(API, scratch / "api.go")
    printed = run([GO, "run", "api.go", *[module_path(p) for p in langpacks]], scratch, {**GO_ENV, "GOWORK": str(work), "GOFLAGS": ""})
    assert printed.returncode == 0, printed.stderr
    return printed.stdout


def test_small_langpacks_stay_one_package(example_langpacks: list[Path]) -> None:
    for langpack in example_langpacks:
        assert not (langpack / "internal").exists(), langpack


@needs_go
def test_split_langpacks_pass_their_tests_with_the_api_of_one_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Go's hostile names (imports and parameters that could shadow each other) and
    object fields (types of internal/core in the event packages' signatures and generics),
    split into packages: gofmt, go vet and their own tests pass, and every exported name,
    signature, method, field and constant of the root package is the same as in one
    package (up to the sealing method of Event, see api.go.txt); the tests, which build
    every vector through that API and compare the bytes, are the same files."""
    one = build_go(HOSTILE_GO, tmp_path / "one" / "hostile") + build_go(OBJECTS, tmp_path / "one" / "objects")
    monkeypatch.setattr(go_target, "PACKAGE_WEIGHT", 1)
    split = build_go(HOSTILE_GO, tmp_path / "split" / "hostile") + build_go(OBJECTS, tmp_path / "split" / "objects")
    assert [module_path(p) for p in one] == [module_path(p) for p in split]
    for a, b in zip(one, split):
        assert not (a / "internal").exists()
        assert (b / "internal" / "core" / "runtime.go").is_file() and list(b.glob("internal/events_*/events.go")), b
        assert not (b / "runtime_test.go").exists() and not (b / "canonical_test.go").exists()
        for name in ("vectors_test.go", "decode_test.go", "senders_test.go", "bench_test.go", "senders.go", "go.mod", "README.md"):
            assert (a / name).read_bytes() == (b / name).read_bytes(), name
    check_toolchain(split, tmp_path)
    api = go_api(one, tmp_path / "api-one")
    assert api.count("\nsealed Event\n") == len(one) and "\nfunc NewCheckoutV2(cartLines []*CartLine) *CheckoutV2\n" in api
    assert go_api(split, tmp_path / "api-split") == api


def test_package_plan_packs_families_in_name_order_under_the_limit() -> None:
    analysis = analyze_folder(EXAMPLE)
    environment = max(analysis.reference.environments.values(), key=lambda e: sum(len(v.fields) for ev in e.events for v in ev.versions))
    weights = {(e.name, v.number): event_weight(len(environment.own_fields(v))) for e in environment.events for v in e.versions}
    event_weights = {e.name: sum(weights[(e.name, v.number)] for v in e.versions) for e in environment.events}
    total = sum(weights.values())
    assert package_plan(environment, total) is None
    for limit in (total - 1, total // 3, max(event_weights.values())):
        groups = package_plan(environment, limit)
        assert groups is not None and len(groups) >= 2
        flat = [(e.name, v.number) for group in groups for e, v in group]
        assert flat == sorted(weights), "every version once, in name order"
        share = -(-total // -(-total // limit))
        assert all(sum(weights[(e.name, v.number)] for e, v in group) <= max(share, max(event_weights.values())) for group in groups)
        # an event's versions stay in one package; a family spans packages only when it
        # alone is heavier than a package's share
        assert sum(len({e.name for e, _ in group}) for group in groups) == len(event_weights)
        families = [{e.name.split("_")[0] for e, _ in group} for group in groups]
        for family in {f for a, b in zip(families, families[1:]) for f in a & b}:
            assert sum(w for name, w in event_weights.items() if name.split("_")[0] == family) > share
        names = package_names(groups)
        assert len(set(names)) == len(names) and all(n.startswith("events_") and n.isidentifier() for n in names)
    groups = package_plan(environment, 1)
    assert groups is not None and len(groups) == len(event_weights)
    assert package_names([groups[0], groups[0], groups[0]]) == ["events_" + groups[0][0][0].name.split("_")[0] + suffix for suffix in ("", "_2", "_3")]


# --- the generated text, without a toolchain -----------------------------------------


def test_go_files_say_they_are_generated(example_langpacks: list[Path]) -> None:
    for langpack in example_langpacks:
        for path in langpack.rglob("*.go"):
            first = path.read_text("utf-8").splitlines()[0]
            assert GENERATED.match(first), path


def test_go_mod_is_stdlib_only(example_langpacks: list[Path]) -> None:
    analysis = analyze_folder(EXAMPLE)
    prefix = analysis.reference.settings.go_module_prefix
    for langpack in example_langpacks:
        text = (langpack / "go.mod").read_text("utf-8")
        assert f"\nmodule {naming.module(prefix, langpack.parent.name)}\n" in text
        assert "\ngo 1.19\n" in text
        assert "require" not in text
        assert (langpack / "testdata" / "vectors.json").read_bytes() == (langpack.parent / "vectors.json").read_bytes()


def test_build_is_deterministic(tmp_path: Path) -> None:
    analysis = analyze_folder(HOSTILE_GO)
    plans, _ = plan_build(analysis.reference, languages=("go",))
    target = targets()["go"]
    for plan in plans:
        first = generate_langpack(analysis.reference, plan, target)
        second = generate_langpack(analysis.reference, plan, target)
        assert first == second


def test_the_api_has_the_expected_shape(example_langpacks: list[Path]) -> None:
    events = (next(p for p in example_langpacks if p.parent.name == "backend-auth") / "events.go").read_text("utf-8")
    assert "func NewRegistrationSubmitV2(userID int64, registrationMethod RegistrationMethod) *RegistrationSubmitV2 {" in events
    assert "func (e *RegistrationSubmitV1) SignupChannel() (SignupChannel, bool) {" in events
    assert "func (e *RegistrationSubmitV1) SetSignupChannel(v SignupChannel) *RegistrationSubmitV1 {" in events
    assert "func (e *RegistrationSubmitV2) UserID() int64 {" in events
    assert "\n// Deprecated: " in events


def test_hostile_names_keep_their_meaning_in_go() -> None:
    assert naming.parameter("type") == "type_"
    assert naming.parameter("string") == "string_"
    assert naming.parameter("type_value") == "typeValue"
    assert naming.parameter("user_id") == "userID"
    # getters that would implement error, fmt.Stringer or trip go vet's stdmethods
    assert naming.getter("error") == "ErrorField"
    assert naming.getter("string") == "StringField"
    assert naming.getter("seek") == "SeekField"
    assert naming.getter("validate") == "ValidateField"
    assert naming.enum_type("sender") == "SenderEnum"
    assert naming.enum_constant("new", "client") == "NewClientValue"
    assert naming.package("go") == "gopkg"


def test_struct_fields_are_padded_like_gofmt() -> None:
    assert pad_columns([("a", "int"), ("bbb", "string")]) == ["\ta   int", "\tbbb string"]
    assert pad_columns([("A", "int", "`json:\"a\"`"), ("Bb", "*string", "`json:\"b\"`")]) == [
        '\tA  int     `json:"a"`',
        '\tBb *string `json:"b"`',
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One line.", "// One line."),
        ("  indented\n\tcode", "// indented\n// code"),
        ("A.\n\n\n\nB.", "// A.\n//\n// B."),
        ("A.\n\nOld Heading\n\nB.", "// A.\n//\n// # Old Heading\n//\n// B."),
        ("A.\n\n#   New heading  \n\nB.", "// A.\n//\n// # New heading\n//\n// B."),
        ("A.\n\n[x]: https://example.com\n\nB.", "// A.\n// [x]: https://example.com\n//\n// B."),
        ("Say ``hi'' http://e.com/a''b ```md```", "// Say \u201chi\u201d http://e.com/a''b ```md```"),
        ("ends */ and `raw`\u2028next", "// ends */ and `raw`\n// next"),
    ],
)
def test_go_doc_writes_what_gofmt_would(text: str, expected: str) -> None:
    assert go_doc(text) == expected


def _field(kind: FieldType, **constraints: object) -> Field:
    return Field("f", kind, "", Span("test"), **constraints)  # type: ignore[arg-type]


# (field, a value breaking exactly one rule, the rule): the plan's bounds are whole
# numbers for integers (a fractional bound rounded inwards) and doubles for numbers
MESSAGE_CASES = [
    (_field(FieldType.NUMBER, maximum=90.0), 90.5, "maximum"),
    (_field(FieldType.NUMBER, minimum=-90.0), -91.0, "minimum"),
    (_field(FieldType.NUMBER, minimum=1.0e-7), 0.0, "minimum"),
    (_field(FieldType.NUMBER, maximum=-1.0e21), 0.0, "maximum"),
    (_field(FieldType.NUMBER, minimum=-0.5), -1.0, "minimum"),
    (_field(FieldType.NUMBER, maximum=9007199254740993), 1e300, "maximum"),
    (_field(FieldType.INTEGER, minimum=0.5), 0, "minimum"),
    (_field(FieldType.INTEGER, maximum=2.5), 3, "maximum"),
    (_field(FieldType.INTEGER, minimum=-3, maximum=3.0), 4, "maximum"),
    (_field(FieldType.INTEGER, minimum=1.0e19), 5, "minimum"),
    (_field(FieldType.INTEGER, maximum=-1.0e19), 5, "maximum"),
    (_field(FieldType.ARRAY, items=FieldType.NUMBER, minimum=0.0), [-1.0], "minimum"),
    (_field(FieldType.ARRAY, items=FieldType.INTEGER, maximum=99.9), [100], "maximum"),
    (_field(FieldType.ARRAY, items=FieldType.STRING, min_items=2, max_length=3), ["a"], "min_items"),
    (_field(FieldType.ARRAY, items=FieldType.STRING, max_items=1), ["a", "b"], "max_items"),
    (_field(FieldType.ARRAY, items=FieldType.STRING, max_length=3), ["abcd"], "max_length"),
    (_field(FieldType.STRING, min_length=2), "a", "min_length"),
    (_field(FieldType.STRING, pattern="[A-Z]{2}"), "ab", "pattern"),
    (_field(FieldType.STRING, enum=("on", "off")), "x", "enum"),
    (_field(FieldType.STRING, format="uuid"), "x", "format"),
    (_field(FieldType.STRING, max_length=3), "\ud800", "utf8"),  # a lone surrogate: in Go, bytes that are not UTF-8
    (_field(FieldType.ARRAY, items=FieldType.STRING), ["a", "\udc00"], "utf8"),
]


@pytest.mark.parametrize(("field", "value", "constraint"), MESSAGE_CASES, ids=[f"{f.type.value}-{c}-{v!r}" for f, v, c in MESSAGE_CASES])
def test_go_messages_are_the_reasons_of_check_events(field: Field, value: object, constraint: str) -> None:
    """The Go check says what `check-events` (the check plan) says of the value: bounds as
    the plan holds them (90, not 90.0; an integer field's 0.5 is 1)."""
    check = go_check(field)
    assert check is not None
    conditions = [c for c in check.conditions + check.item_conditions if c.constraint == constraint]
    assert len(conditions) == 1, check
    assert conditions[0].reason == plan_field(field).reason(value)


def _altered(check: ValueCheck) -> ValueCheck:
    """A plan that differs from its IR field in every rule and in its wire key."""
    item = check.item
    if item.kind is FieldType.INTEGER:
        item = dataclasses.replace(item, minimum=-123, maximum=456)
    elif item.kind is FieldType.NUMBER:
        item = dataclasses.replace(item, minimum=-123.0, maximum=456.5)
    elif item.kind is FieldType.STRING:
        item = dataclasses.replace(item, min_length=7, max_length=11, pattern="q+", format="uuid", enum=("yes", "no") if item.enum else None)
    array = check.array
    return dataclasses.replace(check, key=check.name + "_wire", item=item, min_items=5 if array else None, max_items=9 if array else None)


def test_the_go_target_takes_every_check_from_the_check_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """The generated Go shows a change made to the plan alone: no check, type or wire key
    is read from the IR field (a disagreement between judges is a bug of one function)."""
    real = plan_field
    monkeypatch.setattr(go_target, "plan_field", lambda field: _altered(real(field)), raising=False)
    analysis = analyze_folder(JUDGES)
    plans, _ = plan_build(analysis.reference, languages=("go",))
    text = "\n".join(f.content.decode("utf-8") for plan in plans for f in generate_langpack(analysis.reference, plan, targets()["go"]) if f.path.endswith(".go"))
    for reason in ("must be >= -123", "must be <= 456", "must be <= 456.5", "must be at least 7 characters", "must be at most 11 characters"):
        assert f'"{reason}"' in text or f'"each item {reason}"' in text, reason
    for reason in ("must match q+", "must be a valid uuid", "must have at least 5 items", "must have at most 9 items"):
        assert reason in text, reason
    assert 'compilePattern("^(?:q+)$")' in text
    assert "func validUUID(" in text  # formats.go, for a format only the plan names
    assert '= "yes"' in text  # enum constants
    # the encoder writes the key, the tests' wireKey knows it
    assert r'\"level_wire\":' in text and 'case "level":\n\t\treturn "level_wire"' in text
    for ir_only in ("must be >= -3", 'must be <= 3"', "must match [A-Z]{2}-[0-9]{1,4}", "must have at most 3 items", r'\"level\":'):
        assert ir_only not in text, ir_only


def _report_order(check: ObjectCheck) -> list[str]:
    """The members in the order the plan reports them: with every member's value bad, the
    first problem names one; take it away and ask again."""
    order: list[str] = []
    while check.members:
        found = check.problem({m.check.key: set() for m in check.members}, "")  # a set is no JSON value
        assert found is not None
        name = found.path.removeprefix(".")
        order.append(name)
        check = dataclasses.replace(check, members=tuple(m for m in check.members if m.check.name != name))
    return order


def test_go_objects_report_their_members_in_the_order_of_check_events() -> None:
    """An object with several bad members names the same one first in Go as in check-events."""
    analysis = analyze_folder(OBJECTS)
    plans, _ = plan_build(analysis.reference, languages=("go",))
    files = {f.path: f.content.decode("utf-8") for plan in plans for f in generate_langpack(analysis.reference, plan, targets()["go"])}
    checks = dict(re.findall(r"\nfunc \(o \*(\w+)\) check\(\) \(string, violation\) \{\n(.*?)\n\}\n", files["objects.go"], re.S))
    compared = 0
    for environment in analysis.reference.environments.values():
        for name, field in environment.object_fields().items():
            object_check = plan_field(field).object
            assert object_check is not None
            in_go = re.findall(r'return "\.([^"]+)"', checks[naming.object_type(name)])
            assert in_go == [m for m in _report_order(object_check) if m in in_go], name
            compared += len(in_go) > 1
    assert compared >= 3
