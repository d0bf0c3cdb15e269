"""Waivers: reviewed exceptions to the append-only rules (and to CG0216, a released
pattern that is not I-Regexp), from `clickgen.yaml`.

Input: append-only `Finding`s and `Settings.waivers` of the head (a waiver is added in
the same pull request as the exception, so reviewers see both). Output: the findings a
waiver does not cover, the ones it does (listed by `clickgen diff`), and warnings for
waivers that are malformed or silence nothing.

A waiver matches one rule code and one entity exactly:

    waivers:
      - {rule: CG0330, entity: field:price, reason: "price was never sent as a string; fixes TICKET-12"}

Entities: `field:<name>`, `environment:<name>`, `event:<name>`,
`event:<name>@<version>` (the rules about one version) and `settings`. A rename is
waived under the old name: that is the entity it deletes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clickgen.diagnostics import CODES, Diagnostic, Severity, diag
from clickgen.ir import Waiver
from clickgen.rules.append_only import Finding

# The form of entity each waivable rule reports.
ENTITY_FORMS = {
    "field": "field:<name>",
    "environment": "environment:<name>",
    "event": "event:<name>",
    "version": "event:<name>@<version>",
    "settings": "settings",
}
RULE_ENTITY: dict[str, str] = {
    **dict.fromkeys(("CG0301", "CG0312", "CG0325", "CG0326", "CG0327", "CG0330", "CG0331", "CG0332", "CG0333", "CG0334", "CG0335", "CG0336", "CG0337", "CG0338"), "field"),
    **dict.fromkeys(("CG0302", "CG0306", "CG0311", "CG0317", "CG0318", "CG0340", "CG0341", "CG0342"), "environment"),
    **dict.fromkeys(("CG0303", "CG0305", "CG0310", "CG0315", "CG0316"), "event"),
    **dict.fromkeys(("CG0304", "CG0320", "CG0321", "CG0322", "CG0323"), "version"),
    "CG0345": "settings",
}
# Semantic rules a waiver can cover too; their rule applies the waiver itself (so the
# waiver works without --base, and is never "unused" among the append-only findings).
SEMANTIC_RULE_ENTITY = {"CG0216": "field"}  # a released pattern that is not I-Regexp

_ENTITY = re.compile(
    r"(?P<field>field:[a-z][a-z0-9_]*)|(?P<environment>environment:[a-z][a-z0-9-]*)"
    r"|(?P<version>event:[a-z][a-z0-9_]*@[1-9][0-9]*)|(?P<event>event:[a-z][a-z0-9_]*)|(?P<settings>settings)"
)


def entity_kind(entity: str) -> str | None:
    match = _ENTITY.fullmatch(entity)
    return match.lastgroup if match else None


@dataclass(frozen=True)
class Waived:
    kept: list[Finding]
    waived: list[tuple[Finding, Waiver]]
    warnings: list[Diagnostic]


def apply_waivers(findings: list[Finding], waivers: tuple[Waiver, ...], base_label: str) -> Waived:
    usable: dict[tuple[str, str], Waiver] = {}
    warnings: list[Diagnostic] = []
    for waiver in waivers:
        problem = _problem(waiver)
        if problem is not None:
            warnings.append(diag("CG0391", problem[0], waiver.span, problem[1]))
        else:
            usable.setdefault((waiver.rule, waiver.entity), waiver)
    kept: list[Finding] = []
    waived: list[tuple[Finding, Waiver]] = []
    used: set[tuple[str, str]] = set()
    for finding in findings:
        key = (finding.code, finding.entity)
        match = usable.get(key) if finding.diagnostic.severity is Severity.ERROR else None
        if match is None:
            kept.append(finding)
        else:
            waived.append((finding, match))
            used.add(key)
    for key, waiver in usable.items():
        if key not in used and waiver.rule not in SEMANTIC_RULE_ENTITY:
            warnings.append(
                diag(
                    "CG0390",
                    f"waiver {waiver.rule} ({CODES[waiver.rule].name}) for `{_shown(waiver.entity)}` silences nothing between `{base_label}` and this revision",
                    waiver.span,
                    "remove it: the change it allowed is released at the base, or no longer made",
                )
            )
    return Waived(kept, waived, warnings)


def _problem(waiver: Waiver) -> tuple[str, str] | None:
    code = CODES.get(waiver.rule)
    entities = RULE_ENTITY | SEMANTIC_RULE_ENTITY
    if waiver.rule not in entities:
        what = f"{waiver.rule} ({code.name})" if code else _shown(waiver.rule)
        return (
            f"waiver names {what}, which is not a rule that can be waived",
            "waivers apply to the CG03xx rules of `validate --base` and to CG0216 (docs/rules.md); fix other errors instead",
        )
    expected = entities[waiver.rule]
    kind = entity_kind(waiver.entity)
    if kind != expected:
        assert code is not None
        return (
            f"waiver for {waiver.rule} ({code.name}) names `{_shown(waiver.entity)}`, but that rule's entities are written {ENTITY_FORMS[expected]}",
            f"write the entity as {ENTITY_FORMS[expected]}",
        )
    return None


def _shown(text: str) -> str:
    """User text in a one-line message: control characters escaped."""
    return text if text.isprintable() else repr(text)[1:-1]
