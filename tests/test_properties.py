"""Property tests: whatever the files hold, the front end never raises, and every
diagnostic it reports has a catalogued code and points inside an existing file.

Inputs: random text, random YAML documents (generated structures dumped with
yaml.safe_dump), structural edits of the example reference's documents, and textual
mutations of its files (lines deleted or duplicated, characters flipped, indentation
changed). Everything runs in memory through `clickgen.frontend.analyze`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clickgen.diagnostics import CODES, Severity
from clickgen.frontend import analyze
from clickgen.load import YAML_SUFFIXES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "reference"
EXAMPLE_FILES: dict[str, bytes] = {
    p.relative_to(EXAMPLE).as_posix(): p.read_bytes() for p in sorted(EXAMPLE.rglob("*")) if p.is_file() and p.suffix in YAML_SUFFIXES
}
EXAMPLE_PATHS = sorted(EXAMPLE_FILES)
# A small valid reference, so that edits of one file meet a realistic rest.
SMALL: dict[str, bytes] = {
    "clickgen.yaml": b"name: small\n",
    "fields/f.yaml": b"user_id:\n  type: integer\n  minimum: 1\nstatus:\n  type: string\n  enum: [new, old]\n",
    "environments/web.yaml": b"name: web\nsource_id: 1\nlangpacks: [python, go, php]\ncommon_fields:\n  user_id: optional\n",
    "events/ping.yaml": b"event: ping\nid: 1\nowner: me\nenvironments: [web]\nversions:\n  1:\n    fields:\n      status: required\n",
}

# YAML (and so libyaml's line counter) breaks lines at these; see yamlread.
_LINE_BREAK = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")

# CLICKGEN_PROPERTY_SCALE=20 runs twenty times as many examples (a slow, deeper search).
SCALE = int(os.environ.get("CLICKGEN_PROPERTY_SCALE", "1"))
SETTINGS = settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class MemorySource:
    """A reference held in memory: relative path -> bytes."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def list_files(self) -> tuple[list[str], list[Any]]:
        return sorted(p for p in self.files if p.endswith(YAML_SUFFIXES)), []

    def read_bytes(self, path: str) -> bytes:
        return self.files[path]


def check_invariants(files: dict[str, bytes]) -> None:
    analysis = analyze(MemorySource(files))  # must not raise
    for d in analysis.diagnostics:
        assert d.code in CODES, d
        assert d.severity is CODES[d.code].severity, d
        assert d.span.path in files, d
        assert d.message and d.hint, d
        assert not _LINE_BREAK.search(d.message + d.hint), f"one line per message and hint: {d}"
        text = files[d.span.path].decode("utf-8", errors="replace").removeprefix("\ufeff")
        lines = _LINE_BREAK.split(text)
        assert 1 <= d.span.line <= len(lines) + 1, (d, len(lines))
        if d.span.line <= len(lines):
            assert 1 <= d.span.col <= len(lines[d.span.line - 1]) + 1, (d, lines[d.span.line - 1])
        else:
            assert d.span.col == 1, d
        for related in d.related:
            assert related.path in files, d
    if analysis.ok:
        # a reference without errors must be fully resolved
        for event in analysis.reference.events.values():
            assert event.versions
            assert [v.number for v in event.versions] == list(range(1, len(event.versions) + 1))


# --- random text ------------------------------------------------------------------

KINDS = ("clickgen.yaml", "fields/x.yaml", "environments/x.yaml", "events/x.yaml")
# Characters that matter to YAML, weighted in next to arbitrary text.
YAML_ALPHABET = st.sampled_from(list(":-?[]{},#&*!|>'\"%@` \t\n\r\\.0123456789abcxyz~\x00\x85\u2028\ufeff"))


@SETTINGS
@given(kind=st.sampled_from(KINDS), text=st.text(alphabet=st.one_of(YAML_ALPHABET, st.characters()), max_size=200))
def test_random_text(kind: str, text: str) -> None:
    files = dict(SMALL)
    files[kind] = text.encode("utf-8", errors="surrogatepass")
    check_invariants(files)


@SETTINGS
@given(kind=st.sampled_from(KINDS), data=st.binary(max_size=120))
def test_random_bytes(kind: str, data: bytes) -> None:
    files = dict(SMALL)
    files[kind] = data
    check_invariants(files)


# --- random YAML documents --------------------------------------------------------

VOCABULARY = (
    "name", "source_id", "langpacks", "common_fields", "generations", "collector", "event", "id", "owner", "environments",
    "versions", "fields", "description", "deprecated", "reason", "replaced_by", "type", "enum", "items", "minimum", "maximum",
    "min_length", "max_length", "pattern", "min_items", "max_items", "examples", "docs", "required", "optional", "string",
    "integer", "number", "boolean", "array", "python", "go", "php", "waivers", "rule", "entity", "user_id", "status", "web", "1", "2",
)
keys = st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=8))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(VOCABULARY),
    st.text(max_size=12),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
    max_leaves=25,
)


@SETTINGS
@given(kind=st.sampled_from(KINDS), document=documents, flow=st.sampled_from([None, True, False]))
def test_random_yaml_documents(kind: str, document: Any, flow: bool | None) -> None:
    files = dict(SMALL)
    files[kind] = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True).encode("utf-8", errors="surrogatepass")
    check_invariants(files)


# --- structural edits of the example reference ------------------------------------


def _edit(document: Any, data: st.DataObject) -> Any:
    """Replace, delete or add one entry somewhere in the document."""
    if not isinstance(document, (dict, list)) or not document:
        return data.draw(documents)
    path: list[Any] = []
    node = document
    while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
        step = data.draw(st.sampled_from(sorted(node, key=str) if isinstance(node, dict) else list(range(len(node)))))
        path.append(step)
        node = node[step]
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    action = data.draw(st.sampled_from(["replace", "delete", "add", "rename"]))
    if not path:
        parent, last = document, None
    else:
        last = path[-1]
    if action == "replace" and last is not None:
        parent[last] = data.draw(documents)
    elif action == "delete" and last is not None:
        del parent[last]
    elif action == "rename" and isinstance(parent, dict) and last is not None:
        parent[data.draw(keys)] = parent.pop(last)
    else:
        target = node if isinstance(node, (dict, list)) else parent
        if isinstance(target, dict):
            target[data.draw(keys)] = data.draw(documents)
        else:
            target.append(data.draw(documents))
    return document


@settings(SETTINGS, max_examples=80 * SCALE)
@given(data=st.data())
def test_structural_edits_of_the_example(data: st.DataObject) -> None:
    files = dict(EXAMPLE_FILES)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(EXAMPLE_PATHS))
        document = yaml.safe_load(files[path])
        document = _edit(document, data)
        files[path] = yaml.safe_dump(document, allow_unicode=True, sort_keys=data.draw(st.booleans())).encode("utf-8", errors="surrogatepass")
    check_invariants(files)


# --- textual mutations of the example reference -----------------------------------


def _mutate_lines(text: str, data: st.DataObject) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        i = data.draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
        action = data.draw(st.sampled_from(["delete", "duplicate", "flip", "indent", "dedent", "swap", "insert"]))
        line = lines[i] if lines else ""
        if action == "delete" and lines:
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, line)
        elif action == "flip" and line:
            j = data.draw(st.integers(min_value=0, max_value=len(line) - 1))
            char = data.draw(st.one_of(YAML_ALPHABET, st.characters(codec="utf-8")))
            lines[i] = line[:j] + char + line[j + 1 :]
        elif action == "indent":
            lines[i] = data.draw(st.sampled_from([" ", "  ", "\t", "    "])) + line
        elif action == "dedent":
            lines[i] = line[data.draw(st.integers(min_value=1, max_value=4)) :]
        elif action == "swap" and len(lines) > 1:
            j = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "insert":
            lines.insert(i, data.draw(st.text(alphabet=YAML_ALPHABET, max_size=20)))
    return "\n".join(lines)


@settings(SETTINGS, max_examples=100 * SCALE)
@given(data=st.data())
def test_textual_mutations_of_the_example(data: st.DataObject) -> None:
    files = dict(EXAMPLE_FILES)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(EXAMPLE_PATHS))
        files[path] = _mutate_lines(files[path].decode("utf-8"), data).encode("utf-8", errors="surrogatepass")
    check_invariants(files)


@settings(SETTINGS, max_examples=30 * SCALE)
@given(data=st.data())
def test_files_moved_deleted_or_duplicated(data: st.DataObject) -> None:
    files = dict(EXAMPLE_FILES)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        path = data.draw(st.sampled_from(sorted(files)))
        action = data.draw(st.sampled_from(["delete", "copy", "move"]))
        target = data.draw(st.sampled_from(["fields/", "environments/", "events/x/", "events/"])) + data.draw(
            st.sampled_from(["a.yaml", "b.yml", Path(path).name])
        )
        if action == "delete" and path != "clickgen.yaml":
            del files[path]
        elif action in ("copy", "move"):
            files[target] = files[path]
            if action == "move" and path != "clickgen.yaml" and target != path:
                del files[path]
    check_invariants(files)


def test_the_example_itself_is_clean() -> None:
    """The baseline the mutations start from: no diagnostics at all."""
    analysis = analyze(MemorySource(dict(EXAMPLE_FILES)))
    assert analysis.diagnostics == []
    assert not any(d.severity is Severity.ERROR for d in analysis.diagnostics)
