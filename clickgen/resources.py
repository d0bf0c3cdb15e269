"""Access to the files shipped with clickgen: schema/ and templates/.

In a source checkout they are the project's top-level folders; in an installed wheel
they are the packages clickgen.schema and clickgen.templates (see pyproject.toml).
"""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def folder(name: str) -> Path:
    """The folder `schema` or `templates`, wherever this clickgen came from."""
    local = _CHECKOUT / name
    if local.is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return local
    return Path(str(_resources.files(f"clickgen.{name}")))


def read_text(name: str, relative: str) -> str:
    return (folder(name) / relative).read_text(encoding="utf-8")
