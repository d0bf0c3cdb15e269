"""Golden trees: compare a produced directory with an expected one, or rewrite it.

    compare_tree(actual, expected, update)

Fails (AssertionError) listing every missing, extra and changed file, with a unified
diff for changed text files. With `update` set (`pytest --update-goldens`) it makes
`expected` an exact copy of `actual` instead: changed and new files are written,
stale files and emptied folders are deleted, and nothing fails.

Generic on purpose: the front end's IR snapshots and the code generators' golden
output both use it.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

MAX_DIFF_LINES = 200
# Files a golden tree may hold that are not output (kept on update, never compared).
IGNORED_NAMES = frozenset({".gitkeep", "__pycache__", ".DS_Store"})


def list_tree(root: Path) -> dict[str, Path]:
    """Relative posix path -> file, for every file below root (symlinks are files)."""
    if not root.exists():
        return {}
    out: dict[str, Path] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part in IGNORED_NAMES for part in rel.parts):
            continue
        if path.is_file() or path.is_symlink():
            out[rel.as_posix()] = path
    return out


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _diff(rel: str, expected: bytes, actual: bytes) -> str:
    try:
        old, new = expected.decode("utf-8"), actual.decode("utf-8")
    except UnicodeDecodeError:
        return f"    (binary file: {len(expected)} bytes expected, {len(actual)} bytes actual)"
    lines = list(
        difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), f"expected/{rel}", f"actual/{rel}")
    )
    if not lines and old != new:  # only line endings or a final newline differ
        return f"    (differs only in line endings or the final newline: {old[-20:]!r} vs {new[-20:]!r})"
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... {len(lines) - MAX_DIFF_LINES} more diff lines\n"]
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines).rstrip("\n")


def tree_differences(actual: Path, expected: Path) -> tuple[list[str], list[str], list[str]]:
    """(missing, extra, changed) relative paths: missing = expected but not produced."""
    have, want = list_tree(actual), list_tree(expected)
    missing = sorted(set(want) - set(have))
    extra = sorted(set(have) - set(want))
    changed = sorted(rel for rel in set(have) & set(want) if _read(have[rel]) != _read(want[rel]))
    return missing, extra, changed


def update_tree(actual: Path, expected: Path) -> list[str]:
    """Make expected an exact copy of actual; returns the relative paths it touched."""
    have, want = list_tree(actual), list_tree(expected)
    touched = []
    for rel in sorted(set(want) - set(have)):
        want[rel].unlink()
        touched.append(f"deleted {rel}")
    for rel, source in have.items():
        target = expected / rel
        if rel in want and _read(want[rel]) == _read(source):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        touched.append(f"{'updated' if rel in want else 'created'} {rel}")
    # drop folders that the deletions left empty (but never expected itself)
    if expected.exists():
        for folder in sorted((p for p in expected.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    return touched


def compare_tree(actual: Path, expected: Path, update: bool) -> None:
    """Assert that the tree at `actual` equals the tree at `expected` (or rewrite it)."""
    actual, expected = Path(actual), Path(expected)
    if update:
        expected.mkdir(parents=True, exist_ok=True)
        update_tree(actual, expected)
        return
    if not expected.is_dir():
        raise AssertionError(f"no golden tree at {expected}; run pytest with --update-goldens to create it")
    missing, extra, changed = tree_differences(actual, expected)
    if not (missing or extra or changed):
        return
    have, want = list_tree(actual), list_tree(expected)
    report = [f"{actual} differs from the golden tree {expected}:"]
    for rel in missing:
        report.append(f"  missing (expected but not produced): {rel}")
    for rel in extra:
        report.append(f"  extra (produced but not expected): {rel}")
    for rel in changed:
        report.append(f"  changed: {rel}")
        report.append(_diff(rel, _read(want[rel]), _read(have[rel])))
    report.append("If the change is intended, run: pytest --update-goldens (and review the diff of expected/)")
    raise AssertionError("\n".join(report))
