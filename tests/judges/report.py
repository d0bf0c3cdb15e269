"""Counts per suite and per judge, for the lead to quote: each test records what it
ran; tests/conftest.py prints one line per entry at the end of the session and writes
them all to build/agreement-report.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ENTRIES: dict[str, dict[str, Any]] = {}


def record(key: str, line: str, **data: Any) -> None:
    """One entry: `key` names the suite and judge (e.g. "agreement/php"), `line` is its summary."""
    ENTRIES[key] = {"summary": line, **data}


def write(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(sorted(ENTRIES.items())), indent=1, ensure_ascii=False) + "\n", "utf-8")
