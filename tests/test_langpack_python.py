"""The generated Python langpacks, checked by the real tools: black, mypy --strict,
pip (installed into a fresh venv) and their own pytest suites.

clickgen does not run black: the templates write its style (clickgen/targets/python/
layout.py). Every Python file a test generates must therefore be a fixed point of black
(the version pinned in the test extra): the golden cases, the hostile names, a
generated reference of a few hundred events and random references whose names and
texts take every length (tests/random_reference.py).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import black
import pytest
from random_reference import write_random_reference

from benchmarks.generate import generate
from clickgen.build import build
from clickgen.checkplan import NOT_UNICODE, plan_field
from clickgen.frontend import analyze_folder
from clickgen.plan import plan_build

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "reference"
HOSTILE = ROOT / "tests" / "cases" / "hostile-names" / "reference"
EDGE = ROOT / "tests" / "cases" / "edge-contracts" / "reference"
WIRE_KEYS_FORMATS = ROOT / "tests" / "cases" / "wire-keys-formats" / "reference"
OBJECTS = ROOT / "tests" / "fixtures" / "objects"
GOLDEN_LANGPACKS = sorted(p for p in (ROOT / "tests" / "cases").glob("*/expected/build/*/python*") if p.is_dir())
# the cases whose langpacks the tests below build afresh, type-check, install and test
BUILT_AND_TESTED = {"example", "hostile-names", "edge-contracts", "wire-keys-formats", "objects"}


def build_python(reference_root: Path, out: Path) -> list[Path]:
    analysis = analyze_folder(reference_root)
    assert analysis.ok, analysis.diagnostics
    plans, problems = plan_build(analysis.reference, languages=("python",))
    assert not problems
    build(analysis.reference, plans, out)
    return [out / plan.folder for plan in plans]


@pytest.fixture(scope="module")
def example_langpacks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return build_python(EXAMPLE, tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def hostile_langpacks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return build_python(HOSTILE, tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def langpack_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with pytest, where langpacks get installed like users install them."""
    folder = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(folder)
    python = folder / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "pytest", "wheel", "setuptools>=68"], check=True)
    return python


def python_files(langpack: Path) -> list[Path]:
    return sorted(langpack.rglob("*.py"))


def run(command: list[object], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]


def assert_black_stable(langpack: Path) -> None:
    for path in python_files(langpack):
        text = path.read_text("utf-8")
        assert black.format_str(text, mode=black.Mode()) == text, f"{path} is not black-formatted"


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for every langpack of the run: the standard library's stubs are
    checked once, not once per langpack (16 s each); a langpack's own modules are
    checked afresh, since mypy compares each module's source hash with the cache."""
    return tmp_path_factory.mktemp("mypy-cache")


def assert_mypy_strict(langpack: Path, cache: Path) -> None:
    typed = run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "src", "tests"], langpack, env={**os.environ, "MYPYPATH": "src"})
    assert typed.returncode == 0, typed.stdout + typed.stderr


def check_langpack(langpack: Path, python: Path, mypy_cache: Path) -> None:
    assert_black_stable(langpack)
    assert_mypy_strict(langpack, mypy_cache)
    installed = run([python, "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-deps", "--disable-pip-version-check", "."], langpack)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # the installed package, not src/, must be the one under test
    tested = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "pythonpath=", "tests"], langpack)
    assert tested.returncode == 0, tested.stdout[-4000:] + tested.stderr[-2000:]
    assert " passed" in tested.stdout


def test_example_langpacks_pass_black_mypy_and_their_own_tests(example_langpacks: list[Path], langpack_venv: Path, mypy_cache: Path) -> None:
    assert len(example_langpacks) >= 5
    for langpack in example_langpacks:
        check_langpack(langpack, langpack_venv, mypy_cache)


def test_hostile_names_langpacks_pass_black_mypy_and_their_own_tests(hostile_langpacks: list[Path], langpack_venv: Path, mypy_cache: Path) -> None:
    assert hostile_langpacks
    for langpack in hostile_langpacks:
        check_langpack(langpack, langpack_venv, mypy_cache)


def test_edge_contracts_langpacks_pass_black_mypy_and_their_own_tests(tmp_path: Path, langpack_venv: Path, mypy_cache: Path) -> None:
    """No common fields (and the other contracts of that case) in both generations."""
    langpacks = build_python(EDGE, tmp_path)
    assert {p.name for p in langpacks} == {"python", "python-gen2"}
    for langpack in langpacks:
        check_langpack(langpack, langpack_venv, mypy_cache)


def test_wire_keys_and_formats_langpacks_pass_black_mypy_and_their_own_tests(tmp_path: Path, langpack_venv: Path, mypy_cache: Path) -> None:
    """Keys that are not identifiers (sorted by UTF-16 code units) and every string format."""
    langpacks = build_python(WIRE_KEYS_FORMATS, tmp_path)
    assert {p.name for p in langpacks} == {"python", "python-gen2"}
    for langpack in langpacks:
        check_langpack(langpack, langpack_venv, mypy_cache)


def test_objects_langpacks_pass_black_mypy_and_their_own_tests(tmp_path: Path, langpack_venv: Path, mypy_cache: Path) -> None:
    """Object fields and arrays of objects four levels deep, in both generations."""
    langpacks = build_python(OBJECTS, tmp_path)
    assert {p.name for p in langpacks} == {"python", "python-gen2"}
    for langpack in langpacks:
        check_langpack(langpack, langpack_venv, mypy_cache)


def test_a_wrong_vector_makes_the_generated_tests_fail(example_langpacks: list[Path], langpack_venv: Path) -> None:
    langpack = example_langpacks[0]
    vectors_path = langpack / "tests" / "vectors.json"
    original = vectors_path.read_text("utf-8")
    vectors = json.loads(original)
    vectors["valid"][0]["json"] = vectors["valid"][0]["json"].replace('"source_id":', '"source_id":1')
    vectors["invalid"][0]["field"] = "not_the_field"
    try:
        vectors_path.write_text(json.dumps(vectors), "utf-8")
        tested = run([langpack_venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_vectors.py"], langpack)
    finally:
        vectors_path.write_text(original, "utf-8")
    assert tested.returncode == 1
    assert "2 failed" in tested.stdout, tested.stdout[-3000:]


def test_the_shared_mypy_cache_still_sees_a_changed_langpack(example_langpacks: list[Path], tmp_path: Path, mypy_cache: Path) -> None:
    langpack = tmp_path / "langpack"
    shutil.copytree(example_langpacks[0], langpack)
    assert_mypy_strict(langpack, mypy_cache)
    client = next((langpack / "src").glob("*/client.py"))
    client.write_text(client.read_text("utf-8") + "\n\ndef broken() -> int:\n    return 'not an int'\n", "utf-8")
    with pytest.raises(AssertionError, match="Incompatible return value type"):
        assert_mypy_strict(langpack, mypy_cache)


def test_build_is_deterministic(tmp_path: Path) -> None:
    first = build_python(EXAMPLE, tmp_path / "a")
    second = build_python(EXAMPLE, tmp_path / "b")
    for left, right in zip(first, second):
        left_files = {p.relative_to(left): p.read_bytes() for p in left.rglob("*") if p.is_file()}
        right_files = {p.relative_to(right): p.read_bytes() for p in right.rglob("*") if p.is_file()}
        assert left_files == right_files


def test_generated_files_say_they_are_generated(example_langpacks: list[Path]) -> None:
    for path in python_files(example_langpacks[0]):
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith("# Code generated by clickgen") and first.endswith("DO NOT EDIT."), path


def test_golden_python_is_black_stable() -> None:
    assert len(GOLDEN_LANGPACKS) >= 10
    for langpack in GOLDEN_LANGPACKS:
        assert_black_stable(langpack)


@pytest.mark.parametrize(
    "langpack",
    [p for p in GOLDEN_LANGPACKS if p.relative_to(ROOT / "tests" / "cases").parts[0] not in BUILT_AND_TESTED],
    ids=lambda p: str(p.relative_to(ROOT / "tests" / "cases")),
)
def test_golden_langpacks_pass_mypy_strict(langpack: Path, mypy_cache: Path) -> None:
    assert_mypy_strict(langpack, mypy_cache)


def test_a_generated_reference_is_black_stable_and_mypy_strict_clean(tmp_path: Path, mypy_cache: Path) -> None:
    """Two hundred events: long names, many versions, every kind of field (the
    1,200-event environment is checked by benchmarks/bench_build.py --check)."""
    generate(tmp_path / "reference", events=200, fields=120, environments=2, seed=3)
    langpacks = build_python(tmp_path / "reference", tmp_path / "out")
    largest = max(langpacks, key=lambda p: (p / "src").stat().st_size + sum(f.stat().st_size for f in p.rglob("*.py")))
    assert (next((largest / "src").iterdir()) / "events.py").read_text("utf-8").count("\n") > 10_000
    assert_black_stable(largest)
    assert_mypy_strict(largest, mypy_cache)


def test_random_references_are_black_stable_and_mypy_strict_clean(tmp_path: Path, mypy_cache: Path) -> None:
    for seed in range(6):
        write_random_reference(tmp_path / f"reference-{seed}", seed)
        langpacks = build_python(tmp_path / f"reference-{seed}", tmp_path / f"out-{seed}")
        for langpack in langpacks:
            assert_black_stable(langpack)
        if seed < 2:
            for langpack in langpacks:
                assert_mypy_strict(langpack, mypy_cache)


# A reference for the messages test: every kind of rule, bounds integral and
# fractional, an enum out of alphabetical order, an object whose wire keys sort
# otherwise than its members are listed (SKU before item_id).
MESSAGES_REFERENCE = {
    "clickgen.yaml": "name: messages\npython: {package_prefix: messages_, distribution_prefix: messages-}\n",
    "environments/web.yaml": """\
name: web
source_id: 1
owner: team
collector: http://127.0.0.1:9/v1/events
common_fields: {}
langpacks: [python]
generations: {python: [1, 2]}
""",
    "fields/all.yaml": """\
count: {type: integer, minimum: -3, maximum: 3, description: d}
big: {type: integer, maximum: 9007199254740993, description: d}
lat: {type: number, minimum: -90, maximum: 90, description: d}
ratio: {type: number, minimum: -0.5, maximum: 2.25, description: d}
tiny: {type: number, minimum: 1.0e-7, description: d}
huge: {type: number, maximum: 1.0e+21, description: d}
level: {type: string, enum: [zeta, alpha, mid], min_length: 3, description: d}
code: {type: string, min_length: 2, max_length: 5, pattern: '[A-Z]{2}-[0-9]', description: d}
dotted: {type: string, pattern: 'a.c', description: d}
uid: {type: string, format: uuid, description: d}
note: {type: string, description: d}
scores: {type: array, items: number, minimum: 0, maximum: 10, min_items: 1, max_items: 3, description: d}
counts: {type: array, items: integer, maximum: 99, description: d}
names: {type: array, items: string, max_length: 3, pattern: '[a-z]+', description: d}
picks: {type: array, items: string, enum: [y, x], description: d}
flags: {type: array, items: boolean, description: d}
item_id: {type: integer, minimum: 1, description: d}
sku: {type: string, key: SKU, pattern: '[A-Z]{3}[0-9]{2}', description: d}
price: {type: number, minimum: 0, description: d}
line:
  type: object
  description: d
  properties: {item_id: required, price: required, sku: required, note: optional}
lines: {type: array, items: line, max_items: 2, description: d}
""",
    "events/check.yaml": """\
event: check
id: 1
owner: team
description: Every field, each optional.
environments: [web]
versions:
  1:
    fields: {%s}
""",
}
MESSAGE_FIELDS = "count big lat ratio tiny huge level code dotted uid note scores counts names picks flags line lines".split()
_LINE = {"item_id": 1, "price": 1.0, "sku": "ABC12"}
# (field, invalid value in API form: objects as dicts of members by name)
MESSAGE_VALUES: list[tuple[str, object]] = [
    *[("count", v) for v in (4, -4, 2**63, -(2**63) - 1, 1.5, "3", True)],
    ("big", 9007199254740994),
    *[("lat", v) for v in (90.5, -91.0, -91, 10**400, math.inf, -math.nan, "1", False)],
    *[("ratio", v) for v in (-0.75, 2.5)],
    *[("tiny", v) for v in (0.0, 1e-8)],
    ("huge", 1e22),
    *[("level", v) for v in ("omega", "ab", "\ud800", 5)],
    *[("code", v) for v in ("A", "ABCDEF", "ab-1", "\ud800\ud800", "AB-\udfff")],
    ("dotted", "a\nc"),
    ("uid", "x"),
    *[("note", v) for v in ("\ud83d", "ok\udc00", 7)],
    *[("scores", v) for v in ([], [1, 2, 3, 4], [11], [-1.0], ["x"], [None], "1", [1, math.inf], [True])],
    *[("counts", v) for v in ([100], [1.0], [2**64], [None])],
    *[("names", v) for v in (["abcd"], ["AB"], ["a", "\udc00"], [3])],
    *[("picks", v) for v in (["z"], ["x", "\ud800"])],
    *[("flags", v) for v in ([1], [None])],
    ("line", {"item_id": 0, "price": -1.0, "sku": "bad"}),  # three bad members: the wire key SKU first
    ("line", {"item_id": 0, "price": -1.0, "sku": "ABC12"}),
    ("line", {"item_id": 1, "price": 10**400, "sku": "\ud800"}),
    ("line", {"price": "1", "sku": "ABC12"}),
    ("line", {**_LINE, "note": "ok\udc00"}),  # a lone surrogate where nothing else is checked
    ("lines", [_LINE, {**_LINE, "note": "\ud800"}]),
    ("lines", [_LINE, {"item_id": 2**64, "price": 1, "sku": "x"}]),
    ("lines", [_LINE, _LINE, _LINE]),
    ("lines", {"not": "a list"}),
]
# Run in a process of its own (each langpack has the same module names): the langpack's
# own test builders make the event from a vector's fields, as the agreement judge does.
MESSAGES_SCRIPT = """
import json, sys
sys.path[:0] = [sys.argv[1] + "/src", sys.argv[1] + "/tests"]
import test_vectors as vectors
client, _ = vectors.make_client({})
found = []
for fields in json.load(sys.stdin):
    event = vectors.build({"event": "check", "event_version": 1, "fields": fields})
    for attempt in (event.validate, lambda: client.encode(event)):
        try:
            attempt()
            found.append(None)
        except vectors.ValidationError as e:
            found.append([e.event, e.path, e.reason])
print(json.dumps(found))
"""


def test_messages_are_the_reasons_of_check_events(tmp_path: Path) -> None:
    """Both generations refuse each invalid value with check-events' reason (the check
    plan's) and, inside an object, the same path and the same first bad member, in
    validate() as in encode(): a lone surrogate too, at any depth."""
    root = tmp_path / "reference"
    for name, text in MESSAGES_REFERENCE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text % ", ".join(f"{f}: optional" for f in MESSAGE_FIELDS) if name.startswith("events") else text, "utf-8")
    analysis = analyze_folder(root)
    assert analysis.ok, analysis.diagnostics
    fields = analysis.reference.fields
    expected = []
    for name, value in MESSAGE_VALUES:
        check = plan_field(fields[name])
        problem = check.problem(check.keyed(value))
        assert problem is not None, (name, value)
        expected.append([problem.path, problem.reason])
    langpacks = build_python(root, tmp_path / "out")
    assert len(langpacks) == 2
    for langpack in langpacks:
        cases = json.dumps([{name: value} for name, value in MESSAGE_VALUES])
        done = run([sys.executable, "-c", MESSAGES_SCRIPT, langpack], tmp_path, input=cases)
        assert done.returncode == 0, done.stderr
        found = json.loads(done.stdout)
        assert len(found) == 2 * len(MESSAGE_VALUES)
        # validate() and encode() alike, each naming the event
        expected_twice = [["check", *want] for want in expected for _ in range(2)]
        values_twice = [case for case in MESSAGE_VALUES for _ in range(2)]
        wrong = [(name, value, got, want) for (name, value), want, got in zip(values_twice, expected_twice, found) if got != want]
        assert not wrong, (langpack.name, wrong)


COMMON_OBJECT_REFERENCE = {
    "clickgen.yaml": "name: commons\npython: {package_prefix: commons_, distribution_prefix: commons-}\n",
    "environments/web.yaml": (
        "name: web\nsource_id: 1\nowner: team\ncollector: http://127.0.0.1:9/v1/events\n"
        "common_fields: {device: required}\nlangpacks: [python]\ngenerations: {python: [1, 2]}\n"
    ),
    "fields/all.yaml": "model: {type: string, description: d}\ndevice: {type: object, description: d, properties: {model: required}}\n",
    "events/ping.yaml": "event: ping\nid: 1\nowner: team\ndescription: A ping.\nenvironments: [web]\nversions:\n  1:\n    fields: {}\n",
}
COMMON_OBJECT_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[1] + "/src")
import commons_web as web
try:
    web.Client(web.MemorySender(), device=web.Device(model="x\\ud800"))
    print("accepted")
except web.ValidationError as e:
    print(e.event, e.path, e.reason, sep="|")
"""


def test_a_lone_surrogate_in_a_common_object_is_refused_by_the_client(tmp_path: Path) -> None:
    """As PHP's Client does: the common fields are checked once, when the client is made,
    text inside their objects included (the fast checks of an object leave it to the
    encoder, which would refuse every event without naming the member)."""
    root = tmp_path / "reference"
    for name, text in COMMON_OBJECT_REFERENCE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    langpacks = build_python(root, tmp_path / "out")
    assert len(langpacks) == 2
    for langpack in langpacks:
        done = run([sys.executable, "-c", COMMON_OBJECT_SCRIPT, langpack], tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == [f"common fields|device.model|{NOT_UNICODE}"], langpack.name
