"""Access to the files shipped with clickgen: schema/ and templates/.

In a source checkout they are the project's top-level folders; in an installed wheel
they sit inside the package as clickgen/schema and clickgen/templates (see
pyproject.toml), as plain files.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def folder(name: str) -> Path:
    """The folder `schema` or `templates`, wherever this clickgen came from."""
    installed = _PACKAGE / name
    if installed.is_dir():
        return installed
    return _CHECKOUT / name


def read_text(name: str, relative: str) -> str:
    return (folder(name) / relative).read_text(encoding="utf-8")
