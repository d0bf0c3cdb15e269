"""`validate --base`: the head's own diagnostics plus the append-only rules, waived.

Input: the reference root, a base revision and optionally a head revision (default:
the working tree). Output: `History`, the analysed pair, the append-only findings a
waiver does not cover, the waived ones, and every diagnostic to report, sorted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clickgen.diagnostics import Diagnostic, has_errors, sort_diagnostics
from clickgen.gitsource import Pair, analyze_pair
from clickgen.ir import Waiver
from clickgen.rules.append_only import Finding, check_append_only
from clickgen.waivers import apply_waivers


@dataclass(frozen=True)
class History:
    pair: Pair
    findings: list[Finding]  # not waived: violations (errors) and metadata notes
    waived: list[tuple[Finding, Waiver]]
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def check_history(root: Path, base_ref: str, head_ref: str | None = None) -> History:
    pair = analyze_pair(root, base_ref, head_ref)
    head = pair.head.reference
    findings = check_append_only(pair.base, head, base_ref, pair.state) if pair.base is not None else []
    waived = apply_waivers(findings, head.settings.waivers, base_ref)
    diagnostics = sort_diagnostics([*pair.head.diagnostics, *(f.diagnostic for f in waived.kept), *waived.warnings])
    return History(pair, waived.kept, waived.waived, diagnostics)
