"""Stage: write generated files to disk.

Input: a folder and the complete list of files that belong in it. Output: the folder
holds exactly those files. Unchanged files are not rewritten (so a no-op rebuild
touches nothing and tools watching mtimes stay quiet); stale files are removed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from clickgen.targets.base import OutputFile


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def write_tree(folder: Path, files: list[OutputFile]) -> WriteStats:
    wanted = {f.path: f.content for f in files}
    written = unchanged = removed = 0
    if folder.exists():
        for path in sorted(folder.rglob("*"), reverse=True):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and rel not in wanted:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for rel in sorted(wanted):
        target = folder / rel
        content = wanted[rel]
        if target.is_file() and target.stat().st_size == len(content) and target.read_bytes() == content:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".clickgen-tmp")
        temporary.write_bytes(content)
        os.replace(temporary, target)
        written += 1
    return WriteStats(written, unchanged, removed)
