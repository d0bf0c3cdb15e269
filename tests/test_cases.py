"""Golden end-to-end cases of the front end: one folder a case under tests/cases/.

A case's input reference is one of:
- `reference/`: the reference itself;
- `reference.txt`: a path to a reference, relative to the case folder (the example
  reference is used where it lives rather than copied);
- `scaffold.txt`: the reference is what `clickgen init` writes.

Optionally, `build-options.txt` holds more arguments of `clickgen build` (e.g. `--lang go`),
and `go-package-weight.txt` the weight above which a Go langpack is split into packages
(clickgen.targets.go.target.PACKAGE_WEIGHT), so that a small reference shows the shape
of a large langpack.

The case is run through the real command line: `clickgen --reference REF validate`,
and for a reference that validates, `clickgen --reference REF ir` and `build`. The produced tree
is compared with `expected/` by `golden.compare_tree`:
- `ir.json`: the output of `clickgen ir`, when validate exits 0;
- `build/`: every langpack `clickgen build` generates from it (goldens of the code
  generators; the langpack tests compile and run the same output);
- `stderr.txt` and `exit_code`: what `clickgen validate` prints on stderr (diagnostics in
  text form and the summary) and its exit code, when it fails or reports warnings.

`pytest --update-goldens` rewrites expected/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from golden import compare_tree, list_tree, tree_differences, update_tree

from clickgen.targets.go import target as go_target

CASES = Path(__file__).resolve().parent / "cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def reference_of(case: Path, tmp_path: Path, clickgen_cli) -> Path:  # type: ignore[no-untyped-def]
    if (case / "reference").is_dir():
        return case / "reference"
    if (case / "reference.txt").is_file():
        target = (case / (case / "reference.txt").read_text(encoding="utf-8").strip()).resolve()
        assert (target / "clickgen.yaml").is_file(), f"{case}/reference.txt points at {target}, which is not a reference"
        return target
    if (case / "scaffold.txt").is_file():
        root = tmp_path / "scaffold"
        result = clickgen_cli("init", root)
        assert result.exit_code == 0, result.stderr
        return root
    raise AssertionError(f"{case} has no reference/, reference.txt or scaffold.txt")


def produce(case: Path, tmp_path: Path, clickgen_cli, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    root = reference_of(case, tmp_path, clickgen_cli)
    options = (case / "build-options.txt").read_text("utf-8").split() if (case / "build-options.txt").is_file() else []
    if (case / "go-package-weight.txt").is_file():
        monkeypatch.setattr(go_target, "PACKAGE_WEIGHT", int((case / "go-package-weight.txt").read_text("utf-8")))
    actual = tmp_path / "actual"
    actual.mkdir()
    validate = clickgen_cli("--reference", root, "validate")
    assert validate.exit_code in (0, 1), validate.stderr
    assert validate.stdout == "", "text diagnostics go to stderr"
    clean = validate.exit_code == 0 and validate.stderr.startswith("ok: ") and validate.stderr.count("\n") == 1
    if not clean:
        (actual / "stderr.txt").write_text(validate.stderr, encoding="utf-8")
        (actual / "exit_code").write_text(f"{validate.exit_code}\n", encoding="utf-8")
    ir = clickgen_cli("--reference", root, "ir")
    if validate.exit_code == 0:
        assert ir.exit_code == 0, ir.stderr
        json.loads(ir.stdout)  # well-formed JSON
        (actual / "ir.json").write_text(ir.stdout, encoding="utf-8")
        built = clickgen_cli("--reference", root, "build", "--out", actual / "build", *options)
        assert built.exit_code == 0, built.stderr
        (actual / "build" / ".clickgen-build.json").unlink(missing_ok=True)  # stamps hold a hash of clickgen's own code
    else:
        # `ir` refuses a reference with errors, with the same diagnostics
        assert ir.exit_code == 1 and ir.stdout == ""
        assert validate.stderr.startswith(ir.stderr)
    return actual


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name: str, tmp_path: Path, update_goldens: bool, clickgen_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    case = CASES / name
    actual = produce(case, tmp_path, clickgen_cli, monkeypatch)
    compare_tree(actual, case / "expected", update_goldens)


def test_the_cases_that_must_validate_clean() -> None:
    """These references are fixtures elsewhere (generators): they must stay clean."""
    for name in ("example", "hostile-names", "minimal", "scaffold", "edge-contracts", "wire-keys-formats"):
        expected = CASES / name / "expected"
        files = sorted(f for f in list_tree(expected) if not f.startswith("build/"))
        assert files == ["ir.json"], f"{name} no longer validates clean: {files}"


def test_failing_cases_exist() -> None:
    failing = [n for n in CASE_NAMES if (CASES / n / "expected" / "exit_code").is_file()]
    assert len(failing) >= 3, failing
    for name in failing:
        code = (CASES / name / "expected" / "exit_code").read_text().strip()
        stderr = (CASES / name / "expected" / "stderr.txt").read_text(encoding="utf-8")
        assert code in ("0", "1") and stderr.strip(), name


# --- the golden helper itself -----------------------------------------------------


def _tree(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def test_compare_tree_accepts_equal_trees(tmp_path: Path) -> None:
    files = {"a.txt": "1\n", "sub/b.json": "{}\n", "sub/deeper/c.bin": b"\x00\xff"}
    compare_tree(_tree(tmp_path / "actual", files), _tree(tmp_path / "expected", files), update=False)


def test_compare_tree_reports_missing_extra_and_changed(tmp_path: Path) -> None:
    actual = _tree(tmp_path / "actual", {"same.txt": "x\n", "changed.txt": "one\ntwo\nthree\n", "extra.txt": "new\n"})
    expected = _tree(tmp_path / "expected", {"same.txt": "x\n", "changed.txt": "one\n2\nthree\n", "gone/missing.txt": "old\n"})
    assert tree_differences(actual, expected) == (["gone/missing.txt"], ["extra.txt"], ["changed.txt"])
    with pytest.raises(AssertionError) as failure:
        compare_tree(actual, expected, update=False)
    message = str(failure.value)
    assert "missing (expected but not produced): gone/missing.txt" in message
    assert "extra (produced but not expected): extra.txt" in message
    assert "changed: changed.txt" in message
    assert "--- expected/changed.txt" in message and "+++ actual/changed.txt" in message
    assert "-2\n+two" in message
    assert "same.txt" not in message
    assert "--update-goldens" in message


def test_compare_tree_reports_binary_and_line_ending_changes(tmp_path: Path) -> None:
    actual = _tree(tmp_path / "actual", {"b.bin": b"\xff\x00", "crlf.txt": "a\r\nb\r\n", "eol.txt": "a"})
    expected = _tree(tmp_path / "expected", {"b.bin": b"\xff\x01", "crlf.txt": "a\nb\n", "eol.txt": "a\n"})
    with pytest.raises(AssertionError) as failure:
        compare_tree(actual, expected, update=False)
    message = str(failure.value)
    assert "binary file" in message
    assert "changed: crlf.txt" in message and "changed: eol.txt" in message
    assert "No newline at end of file" in message or "final newline" in message


def test_compare_tree_fails_without_golden(tmp_path: Path) -> None:
    actual = _tree(tmp_path / "actual", {"a.txt": "1"})
    with pytest.raises(AssertionError, match="--update-goldens"):
        compare_tree(actual, tmp_path / "nothing", update=False)


def test_compare_tree_update_rewrites_and_deletes_stale(tmp_path: Path) -> None:
    actual = _tree(tmp_path / "actual", {"keep.txt": "k\n", "changed.txt": "new\n", "added/new.txt": "n\n"})
    expected = _tree(
        tmp_path / "expected", {"keep.txt": "k\n", "changed.txt": "old\n", "stale.txt": "s\n", "stale_dir/deep/x.txt": "x\n"}
    )
    keep_mtime = (expected / "keep.txt").stat().st_mtime_ns
    compare_tree(actual, expected, update=True)
    assert sorted(list_tree(expected)) == ["added/new.txt", "changed.txt", "keep.txt"]
    assert (expected / "changed.txt").read_text() == "new\n"
    assert not (expected / "stale_dir").exists(), "emptied folders are removed"
    assert (expected / "keep.txt").stat().st_mtime_ns == keep_mtime, "unchanged files are not rewritten"
    compare_tree(actual, expected, update=False)  # now equal


def test_compare_tree_update_creates_the_golden(tmp_path: Path) -> None:
    actual = _tree(tmp_path / "actual", {"x/y.txt": "y\n"})
    compare_tree(actual, tmp_path / "new" / "expected", update=True)
    assert (tmp_path / "new" / "expected" / "x" / "y.txt").read_text() == "y\n"
    assert update_tree(actual, tmp_path / "new" / "expected") == []


def test_hostile_names_fixture_stays_hostile() -> None:
    """The generators' fixture keeps every name and text it was made to carry."""
    from clickgen.frontend import analyze_folder
    from clickgen.ir import FieldType

    analysis = analyze_folder(CASES / "hostile-names" / "reference")
    assert analysis.diagnostics == []
    reference = analysis.reference
    names = set(reference.fields) | set(reference.events)
    wanted = (
        "class type list self from async none validate to_json send func range chan select error len string echo match fn "
        "namespace default array null true"
    ).split()
    assert not set(wanted) - names, sorted(set(wanted) - names)
    kinds = {(f.type, f.items) for f in reference.fields.values()}
    for kind in FieldType:
        if kind is FieldType.ARRAY:
            assert {(kind, item) for item in FieldType if item is not FieldType.ARRAY} <= kinds
        else:
            assert (kind, None) in kinds
    assert any(f.enum for f in reference.fields.values() if f.type is FieldType.STRING)
    assert any(f.enum for f in reference.fields.values() if f.type is FieldType.ARRAY)
    assert any(e.deprecated for e in reference.events.values())
    uses = [u for e in reference.events.values() for v in e.versions for u in v.fields]
    assert any(u.required for u in uses) and any(not u.required for u in uses)
    assert len(reference.environments) == 2
    for environment in reference.environments.values():
        assert environment.langpacks == ("python", "go", "php") and environment.common_fields
    texts = " ".join(
        [f.description for f in reference.fields.values()]
        + [e.description for e in reference.events.values()]
        + [e.description for e in reference.environments.values()]
    )
    values = " ".join(v for f in reference.fields.values() for v in f.enum or ())
    for fragment in ('"""', "*/", "?>", "<?php", "$var", "\\", "\n", "{{", "}}", "`", "🚀", "Привет", "你好"):
        assert fragment in texts, fragment
        assert fragment in values, fragment
