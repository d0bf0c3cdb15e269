"""The build stage: one job per environment and version (its vectors made once, for all
its languages), in parallel or in one process with the same result; vectors.json text;
stamps that make a rebuild of unchanged input a no-op."""

from __future__ import annotations

import json
import random
import tracemalloc
from pathlib import Path

import pytest

from clickgen import build as build_module
from clickgen.build import STAMP_FILE, build, vectors_content
from clickgen.frontend import analyze_folder
from clickgen.plan import plan_build
from clickgen.vectors import build_vectors

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "reference"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def random_json(rng: random.Random, depth: int = 0) -> object:
    kind = rng.choice(["dict", "list", "str", "int", "float", "const"] if depth < 4 else ["str", "int", "float", "const"])
    if kind == "dict":
        return {rng.choice(["a", "ключ", "k\"\\", "\u2028", "🚀", str(i)]) + str(i): random_json(rng, depth + 1) for i in range(rng.randint(0, 4))}
    if kind == "list":
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if kind == "str":
        return "".join(rng.choice(['"', "\\", "\n", "\x00", "é", "你", "\ud800", "a", " "]) for _ in range(rng.randint(0, 6)))
    if kind == "int":
        return rng.choice([0, -1, 2**63, -(2**63), 10**400])
    if kind == "float":
        return rng.choice([0.1, -0.0, 1e21, 5e-324, float("nan"), float("inf"), -float("inf"), 1.7976931348623157e308])
    return rng.choice([None, True, False])


def test_vectors_content_is_json_dumps_with_indent_1_in_utf8() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        document = random_json(rng)
        text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
        try:
            expected = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate is not UTF-8: never written
            with pytest.raises(UnicodeEncodeError):
                vectors_content(document)  # type: ignore[arg-type]
        else:
            assert vectors_content(document) == expected  # type: ignore[arg-type]
    reference = analyze_folder(EXAMPLE).reference
    for environment in reference.environments.values():
        document = build_vectors(reference, environment, "0.1.0")
        assert vectors_content(document) == (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def test_vectors_content_is_encoded_a_piece_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pieces of text are encoded as they pile up: the memory it takes stays near the
    size of the bytes it returns (held all at once, they take ten times that)."""
    document = {"valid": [{"n": n, "s": "é😀" if n % 97 == 0 else "a", "list": [1, 2.5, None]} for n in range(20_000)], "invalid": []}
    expected = (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    tracemalloc.start()
    try:
        assert vectors_content(document) == expected
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * len(expected), (peak, len(expected))
    # a flush anywhere inside a value keeps the bytes
    monkeypatch.setattr(build_module, "_FLUSH_AT", 3)
    rng = random.Random(6)
    for _ in range(300):
        small = {"valid": [random_json(rng) for _ in range(4)]}
        text = json.dumps(small, indent=1, ensure_ascii=False) + "\n"
        if "\ud800" not in text:
            assert vectors_content(small) == text.encode("utf-8")


def test_parallel_and_single_process_builds_are_the_same(tmp_path: Path) -> None:
    reference = analyze_folder(EXAMPLE).reference
    plans, problems = plan_build(reference)
    assert not problems and {plan.language for plan in plans} == {"python", "go", "php"}
    build(reference, plans, tmp_path / "one", workers=1)
    build(reference, plans, tmp_path / "two", workers=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    for environment in reference.environments:
        assert (tmp_path / "one" / environment / "vectors.json").is_file()


def test_the_environment_vectors_are_its_first_generations(tmp_path: Path) -> None:
    """An environment with two generations: OUT/<env>/vectors.json is generation 1's
    (the version 0.1.N), whichever job finishes first."""
    reference = analyze_folder(EXAMPLE).reference
    plans, _ = plan_build(reference, languages=("python",))
    both = [name for name, environment in reference.environments.items() if len(environment.generations) > 1]
    assert both
    build(reference, plans, tmp_path, workers=2)
    for environment in both:
        shared = (tmp_path / environment / "vectors.json").read_bytes()
        assert shared == (tmp_path / environment / "python" / "tests" / "vectors.json").read_bytes()
        assert shared != (tmp_path / environment / "python-gen2" / "tests" / "vectors.json").read_bytes()


def test_a_rebuild_of_unchanged_input_writes_nothing(tmp_path: Path) -> None:
    reference = analyze_folder(EXAMPLE).reference
    plans, _ = plan_build(reference, languages=("python", "go"))
    build(reference, plans, tmp_path, workers=2)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file() and p.name != STAMP_FILE}
    again = build(reference, plans, tmp_path, workers=2)
    assert all(stats.written == 0 and stats.removed == 0 for _, stats in again.langpacks)
    assert before == {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file() and p.name != STAMP_FILE}
