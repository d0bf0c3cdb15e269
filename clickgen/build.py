"""Stages 6 and 7, render and write: planned langpacks -> files under the output folder.

Input: the IR and the plans. Output: `OUT/<env>/<lang>[-gen<G>]/` complete packages
and `OUT/<env>/vectors.json`. Each target renders its files in memory; this module
only asks the targets and writes what they return.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clickgen import __version__
from clickgen.emit import WriteStats, write_tree
from clickgen.ir import Reference
from clickgen.plan import LangpackPlan
from clickgen.targets.base import GenerateRequest, OutputFile, Target
from clickgen.vectors import build_vectors


def targets() -> dict[str, Target]:
    from clickgen.targets.python import PythonTarget

    found: dict[str, Target] = {"python": PythonTarget()}
    try:
        from clickgen.targets.go import GoTarget

        found["go"] = GoTarget()
    except ImportError:
        pass
    try:
        from clickgen.targets.php import PhpTarget

        found["php"] = PhpTarget()
    except ImportError:
        pass
    return found


def vectors_text(vectors: dict[str, Any]) -> str:
    return json.dumps(vectors, indent=1, ensure_ascii=False) + "\n"


@dataclass
class BuildResult:
    langpacks: list[tuple[LangpackPlan, WriteStats]] = field(default_factory=list)
    skipped: list[LangpackPlan] = field(default_factory=list)  # no target for the language yet


def generate_langpack(reference: Reference, plan: LangpackPlan, target: Target, vectors: dict[str, Any] | None = None) -> list[OutputFile]:
    environment = reference.environments[plan.environment]
    if vectors is None:
        vectors = build_vectors(reference, environment, plan.version)
    request = GenerateRequest(
        reference=reference,
        environment=environment,
        generation=plan.generation,
        version=plan.version,
        vectors=vectors,
        vectors_json=vectors_text(vectors),
        clickgen_version=__version__,
    )
    return target.generate(request)


def build(reference: Reference, plans: list[LangpackPlan], out: Path) -> BuildResult:
    result = BuildResult()
    available = targets()
    vectors_by_version: dict[tuple[str, str], dict[str, Any]] = {}
    for plan in plans:
        environment = reference.environments[plan.environment]
        key = (plan.environment, plan.version)
        if key not in vectors_by_version:
            vectors_by_version[key] = build_vectors(reference, environment, plan.version)
        vectors = vectors_by_version[key]
        if plan.generation == environment.generations[0]:
            path = out / plan.environment / "vectors.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            text = vectors_text(vectors).encode("utf-8")
            if not path.is_file() or path.read_bytes() != text:
                path.write_bytes(text)
        target = available.get(plan.language)
        if target is None:
            result.skipped.append(plan)
            continue
        files = generate_langpack(reference, plan, target, vectors)
        stats = write_tree(out / plan.folder, files)
        result.langpacks.append((plan, stats))
    return result
