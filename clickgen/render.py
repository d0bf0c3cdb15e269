"""Template rendering: one Jinja environment per (language, generation), and one for
the collector.

Templates live in templates/<language>/gen<G>/ (and templates/<language>/shared/ for
files that are the same in every generation) and templates/collector/, and only loop,
test simple conditions and interpolate; `StrictUndefined` turns a missing context value
into an error instead of an empty string. Filters are limited to what a target registers: case
conversion and escaping for comments and string literals.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from clickgen import resources


@lru_cache(maxsize=None)
def environment(language: str, generation: int, filters: tuple[tuple[str, Callable[..., str]], ...] = ()) -> Any:
    # a generation's own templates first, then the ones every generation shares
    return folder_environment((f"{language}/gen{generation}", f"{language}/shared"), filters)


@lru_cache(maxsize=None)
def folder_environment(folders: str | tuple[str, ...], filters: tuple[tuple[str, Callable[..., str]], ...] = ()) -> Any:
    """The Jinja environment of template folders under templates/ (e.g. `collector`), searched in order."""
    if isinstance(folders, str):
        folders = (folders,)
    import jinja2  # only when rendering: `clickgen validate` never needs it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(resources.folder("templates") / f) for f in folders]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(dict(filters))
    return env


def render(language: str, generation: int, template: str, filters: tuple[tuple[str, Callable[..., str]], ...], **context: Any) -> str:
    return environment(language, generation, filters).get_template(template).render(**context)


def render_folder(folder: str, template: str, filters: tuple[tuple[str, Callable[..., str]], ...], **context: Any) -> str:
    return folder_environment(folder, filters).get_template(template).render(**context)


def available_generations(language: str) -> tuple[int, ...]:
    folder = resources.folder("templates") / language
    if not folder.is_dir():
        return ()
    found = []
    for child in folder.iterdir():
        if child.is_dir() and child.name.startswith("gen") and child.name[3:].isdigit():
            found.append(int(child.name[3:]))
    return tuple(sorted(found))
