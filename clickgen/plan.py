"""Stage 5, plan: IR + the user's filters -> which langpacks to build, at which version.

An environment is built only in the languages its `langpacks:` lists, and in the
generations its `generations:` lists; asking for more is not an error, there is
simply nothing to build. Output folders: `<env>/<lang>` for generation 1 and
`<env>/<lang>-gen<G>` for later generations, so generations live side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

from clickgen.diagnostics import Diagnostic, diag
from clickgen.ir import LANGUAGES, Reference
from clickgen.render import available_generations
from clickgen.versioning import Lock, langpack_version


@dataclass(frozen=True)
class LangpackPlan:
    environment: str
    language: str
    generation: int
    version: str
    folder: str  # relative to the output folder


def langpack_folder(environment: str, language: str, generation: int) -> str:
    return f"{environment}/{language}" if generation == 1 else f"{environment}/{language}-gen{generation}"


def plan_build(
    reference: Reference, environments: tuple[str, ...] = (), languages: tuple[str, ...] = (), lock: Lock | None = None
) -> tuple[list[LangpackPlan], list[Diagnostic]]:
    plans: list[LangpackPlan] = []
    diagnostics: list[Diagnostic] = []
    for name, environment in reference.environments.items():
        if environments and name not in environments:
            continue
        for language in LANGUAGES:
            if language not in environment.langpacks or (languages and language not in languages):
                continue
            known = available_generations(language)
            for generation in environment.generations_for(language):
                if generation not in known:
                    diagnostics.append(
                        diag(
                            "CG0401",
                            f"environment `{name}` asks for generation {generation} of the {language} langpack, which this clickgen does not have",
                            environment.spans.get("generations", environment.span),
                            f"use one of the generations {', '.join(map(str, known))}, or upgrade clickgen",
                        )
                    )
                    continue
                version = langpack_version(reference, name, generation, lock)
                plans.append(LangpackPlan(name, language, generation, version, langpack_folder(name, language, generation)))
    return plans, diagnostics
