"""The schema check's fast path (fastjsonschema) must agree with jsonschema: a document
it lets through must have no jsonschema error, whatever the mutation."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clickgen.load import FolderSource, Kind, load_reference
from clickgen.schema_check import _passes_fast_check, validator_for

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [(d.kind, d.data) for d in load_reference(FolderSource(ROOT / "examples" / "reference")).documents]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["", "x", "Bad Name", "required", "user_id\n", "1.0", "python"]))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, prefix + (index,))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Kind, Any]:
    kind, data = draw(st.sampled_from(DOCUMENTS))
    data = _plain(copy.deepcopy(data))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        if not path:
            continue
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "rename", "float"]))
        last = path[-1]
        if action == "replace":
            parent[last] = draw(SCALARS)
        elif action == "delete" and isinstance(parent, dict):
            del parent[last]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["BadKey", "extra", "02", "0", "x"]))] = parent.pop(last)
        elif action == "float" and isinstance(parent[last], int) and not isinstance(parent[last], bool):
            parent[last] = float(parent[last])
    return kind, data


@settings(max_examples=400, deadline=None)
@given(mutated())
def test_fast_path_never_accepts_what_jsonschema_refuses(case: tuple[Kind, Any]) -> None:
    kind, data = case
    errors = list(validator_for(kind).iter_errors(data))
    assert _passes_fast_check(kind, data) == (not errors), [e.message for e in errors]
