"""The synthetic reference validates clean and is deterministic.

Not part of the default test run (testpaths = tests); run with
`.venv/bin/python -m pytest benchmarks/`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from benchmarks.generate import generate
from clickgen.frontend import analyze_folder


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("seed", [1, 2])
def test_small_reference_validates_clean(tmp_path: Path, seed: int) -> None:
    stats = generate(tmp_path, events=150, fields=80, environments=12, seed=seed)
    analysis = analyze_folder(tmp_path)
    assert analysis.diagnostics == []
    reference = analysis.reference
    assert len(reference.events) == stats.events == 150
    assert len(reference.fields) == stats.fields == 80
    assert len(reference.environments) == stats.environments == 12
    assert sum(len(e.versions) for e in reference.events.values()) == stats.versions


def test_full_scale_reference_validates_clean(tmp_path: Path) -> None:
    stats = generate(tmp_path)
    analysis = analyze_folder(tmp_path)
    assert analysis.diagnostics == []
    assert (stats.events, stats.fields, stats.environments) == (1200, 400, 40)
    reference = analysis.reference
    assert {len(e.versions) for e in reference.events.values()} == {1, 2, 3, 4, 5}
    assert {f.type.value for f in reference.fields.values()} == {"string", "integer", "number", "boolean", "array"}
    assert {f.items.value for f in reference.fields.values() if f.items} == {"string", "integer", "number", "boolean"}
    for constraint in ("enum", "minimum", "maximum", "min_length", "max_length", "pattern", "min_items", "max_items", "deprecated"):
        assert any(getattr(f, constraint) is not None for f in reference.fields.values()), constraint
    assert all(f.examples for f in reference.fields.values())
    assert any(p.count("/") >= 3 for p in (e.path for e in reference.events.values()))  # events/<domain>/<object>/<event>.yaml


def test_deterministic(tmp_path: Path) -> None:
    generate(tmp_path / "a", events=60, fields=40, environments=6, seed=5)
    generate(tmp_path / "b", events=60, fields=40, environments=6, seed=5)
    generate(tmp_path / "c", events=60, fields=40, environments=6, seed=6)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_regenerating_replaces_the_previous_reference(tmp_path: Path) -> None:
    generate(tmp_path, events=60, fields=40, environments=6, seed=1)
    generate(tmp_path, events=20, fields=30, environments=3, seed=2)
    assert len(list((tmp_path / "events").rglob("*.yaml"))) == 20


def test_refuses_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit):
        generate(tmp_path, events=10, fields=10, environments=2)
