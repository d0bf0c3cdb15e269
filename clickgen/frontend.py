"""The front end: load -> check schema -> resolve -> semantic rules, in that order.

Input: a `Source` of reference files. Output: `Analysis`, the IR (possibly partial
when there are errors) and every diagnostic, sorted.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from clickgen.diagnostics import Diagnostic, has_errors, sort_diagnostics
from clickgen.ir import Reference
from clickgen.load import FolderSource, Source, load_reference
from clickgen.resolve import resolve
from clickgen.rules.semantic import check_semantics
from clickgen.schema_check import check_schema


@dataclass(frozen=True)
class Analysis:
    reference: Reference
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def analyze(source: Source) -> Analysis:
    # The stages build many small objects and free few: the cyclic garbage collector
    # would walk the growing heap again and again for nothing (~15% of the time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyze(source)
    finally:
        if enabled:
            gc.enable()


def _analyze(source: Source) -> Analysis:
    loaded = load_reference(source)
    schema = check_schema(loaded)
    reference, resolve_diagnostics = resolve(loaded, schema)
    diagnostics = loaded.diagnostics + schema.diagnostics + resolve_diagnostics + check_semantics(reference)
    return Analysis(reference, sort_diagnostics(diagnostics))


def analyze_folder(root: Path) -> Analysis:
    return analyze(FolderSource(root))
