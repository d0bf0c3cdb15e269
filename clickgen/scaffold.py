"""`clickgen init`: copy the starter reference (templates/init/) into a new folder."""

from __future__ import annotations

from pathlib import Path

from clickgen import resources


def scaffold(directory: Path) -> list[Path]:
    source = resources.folder("templates") / "init"
    files = sorted(p for p in source.rglob("*") if p.is_file())
    targets = [directory / p.relative_to(source) for p in files]
    existing = [t for t in targets if t.exists()]
    if existing:
        raise FileExistsError(f"{existing[0]} already exists; choose an empty folder")
    for source_file, target in zip(files, targets):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source_file.read_bytes())
    return targets
