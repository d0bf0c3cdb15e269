"""Stage 1, load: reference folder -> raw documents with source positions.

Input: the reference root (or a `Source` that reads files from elsewhere, such as a
git revision). Output: `LoadedReference`, one `Document` per YAML file, classified by
kind from its place in the layout, plus diagnostics for everything that could not be
read. Nothing here knows the meaning of the documents.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Iterable, Protocol

from clickgen.diagnostics import Diagnostic, Span, diag
from clickgen.yamlread import PosDict, decode, read_yaml_with_details

SETTINGS_FILE = "clickgen.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


class Kind(str, Enum):
    SETTINGS = "settings"
    FIELDS = "fields"
    ENVIRONMENT = "environment"
    EVENT = "event"


FOLDER_KINDS = {"fields": Kind.FIELDS, "environments": Kind.ENVIRONMENT, "events": Kind.EVENT}


@dataclass(frozen=True)
class Document:
    path: str  # relative to the reference root, with forward slashes
    kind: Kind
    data: PosDict
    bool_scalars: frozenset[tuple[int, int]] = frozenset()


@dataclass
class LoadedReference:
    root: str
    documents: list[Document] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # files that exist but could not be turned into a document (so later stages
    # do not report what is defined in them as missing)
    broken_paths: set[str] = field(default_factory=set)

    def of_kind(self, kind: Kind) -> list[Document]:
        return [d for d in self.documents if d.kind is kind]


class Source(Protocol):
    """Where reference files come from: the working tree or a git revision."""

    def list_files(self) -> tuple[list[str], list[Diagnostic]]: ...

    def read_bytes(self, path: str) -> bytes: ...


class MissingSettings(Exception):
    """The folder is not a reference: a usage error (exit 2), not a reference error."""


class FolderSource:
    """Reads a reference from a folder on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._root_text = str(root)

    def list_files(self) -> tuple[list[str], list[Diagnostic]]:
        files: list[str] = []
        problems: list[Diagnostic] = []
        if (self.root / SETTINGS_FILE).is_file():
            files.append(SETTINGS_FILE)
        for folder in FOLDER_KINDS:
            base = self.root / folder
            if not base.exists():
                continue

            def on_error(error: OSError, folder: str = folder) -> None:
                rel = _relative(self.root, Path(error.filename or self.root / folder))
                problems.append(diag("CG0009", f"cannot read folder {rel}: {error.strerror}", Span(rel), "check the folder's permissions"))

            # plain strings, not Path objects: a large reference has thousands of files
            for dirpath, dirnames, filenames in os.walk(str(base), onerror=on_error):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                relative_dir = os.path.relpath(dirpath, self._root_text).replace(os.sep, "/")
                for name in sorted(filenames):
                    if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                        files.append(f"{relative_dir}/{name}")
        return files, problems

    def read_bytes(self, path: str) -> bytes:
        with open(os.path.join(self._root_text, path), "rb") as stream:
            return stream.read()


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def kind_of(path: str) -> Kind | None:
    if path == SETTINGS_FILE:
        return Kind.SETTINGS
    top = path.split("/", 1)[0]
    return FOLDER_KINDS.get(top) if "/" in path else None


def find_reference_root(start: Path) -> Path | None:
    """The nearest folder upward (from start) that holds clickgen.yaml."""
    current = start.resolve()
    for folder in (current, *current.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return None


def load_reference(source: Source, root_label: str = ".") -> LoadedReference:
    files, problems = source.list_files()
    loaded = LoadedReference(root=root_label, diagnostics=list(problems))
    if SETTINGS_FILE not in files:
        raise MissingSettings(root_label)
    for path in files:
        kind = kind_of(path)
        if kind is None:
            continue
        document, diagnostics = load_document(source, path, kind)
        loaded.diagnostics.extend(diagnostics)
        if document is None:
            loaded.broken_paths.add(path)
        else:
            loaded.documents.append(document)
    return loaded


def load_document(source: Source, path: str, kind: Kind) -> tuple[Document | None, list[Diagnostic]]:
    try:
        data = source.read_bytes(path)
    except OSError as e:
        return None, [diag("CG0009", f"cannot read {path}: {e.strerror or e}", Span(path), "check the file's permissions")]
    text, problems = decode(data, path)
    if text is None:
        return None, problems
    value, problems, bool_scalars = read_yaml_with_details(text, path)
    if problems and value is None:
        return None, problems
    if value is None:
        return None, problems + [
            diag("CG0005", f"{path} is empty", Span(path), _empty_hint(kind))
        ]
    if not isinstance(value, PosDict):
        return None, problems + [
            diag(
                "CG0003",
                f"the document is a {_yaml_kind(value)}, but {'an' if kind is Kind.ENVIRONMENT else 'a'} {kind.value} file must be a mapping",
                Span(path),
                _empty_hint(kind),
            )
        ]
    return Document(path, kind, value, frozenset(bool_scalars)), problems


def _yaml_kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _empty_hint(kind: Kind) -> str:
    return {
        Kind.SETTINGS: "start with `name: <reference name>`",
        Kind.FIELDS: "define fields as `field_name: {type: string, description: ...}`, or delete the file",
        Kind.ENVIRONMENT: "describe one environment: name, source_id, langpacks, …, or delete the file",
        Kind.EVENT: "describe one event: event, id, owner, environments, versions, or delete the file",
    }[kind]


def iter_paths(documents: Iterable[Document]) -> list[str]:
    return [d.path for d in documents]
