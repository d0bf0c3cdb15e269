"""Stages 6 and 7, render and write: planned langpacks -> files under the output folder.

Input: the IR and the plans. Output: `OUT/<env>/<lang>[-gen<G>]/` complete packages
and `OUT/<env>/vectors.json`. Each target renders its files in memory; this module
only asks the targets and writes what they return.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clickgen import __version__, resources
from clickgen.emit import WriteStats, write_tree
from clickgen.ir import Reference
from clickgen.plan import LangpackPlan
from clickgen.targets.base import GenerateRequest, OutputFile, Target
from clickgen.vectors import build_vectors
from clickgen.versioning import environment_content_hash


def targets() -> dict[str, Target]:
    from clickgen.targets.python.target import PythonTarget

    found: dict[str, Target] = {"python": PythonTarget()}
    try:
        from clickgen.targets.go.target import GoTarget

        found["go"] = GoTarget()
    except ImportError:
        pass
    try:
        from clickgen.targets.php.target import PhpTarget

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


STAMP_FILE = ".clickgen-build.json"


@lru_cache(maxsize=1)
def generator_fingerprint() -> str:
    """Hash of this clickgen's code and templates: output made by other code is rebuilt."""
    digest = hashlib.sha256(__version__.encode())
    for folder in (Path(__file__).parent, resources.folder("templates")):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _stamp_key(reference: Reference, plan: LangpackPlan) -> str:
    content = environment_content_hash(reference, plan.environment)
    text = "\n".join([generator_fingerprint(), plan.language, str(plan.generation), plan.version, content])
    return hashlib.sha256(text.encode()).hexdigest()


def _read_stamps(out: Path) -> dict[str, Any]:
    try:
        stamps = json.loads((out / STAMP_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return stamps if isinstance(stamps, dict) else {}


def _files_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _up_to_date(out: Path, plan: LangpackPlan, key: str, stamps: dict[str, Any]) -> bool:
    """The folder holds exactly what this clickgen made from this content (nothing edited)."""
    stamp = stamps.get(plan.folder)
    folder = out / plan.folder
    if not isinstance(stamp, dict) or stamp.get("key") != key or not folder.is_dir():
        return False
    return bool(stamp.get("files") == _files_digest(folder))


def build(reference: Reference, plans: list[LangpackPlan], out: Path, force: bool = False) -> BuildResult:
    result = BuildResult()
    available = targets()
    stamps = {} if force else _read_stamps(out)
    vectors_by_version: dict[tuple[str, str], dict[str, Any]] = {}
    for plan in plans:
        environment = reference.environments[plan.environment]
        target = available.get(plan.language)
        if target is None:
            result.skipped.append(plan)
            continue
        key = _stamp_key(reference, plan)
        env_vectors = out / plan.environment / "vectors.json"
        if _up_to_date(out, plan, key, stamps) and env_vectors.is_file():
            result.langpacks.append((plan, WriteStats(0, len(stamps[plan.folder]["files"]), 0)))
            continue
        vectors_key = (plan.environment, plan.version)
        if vectors_key not in vectors_by_version:
            vectors_by_version[vectors_key] = build_vectors(reference, environment, plan.version)
        vectors = vectors_by_version[vectors_key]
        if plan.generation == environment.generations[0] or not env_vectors.is_file():
            env_vectors.parent.mkdir(parents=True, exist_ok=True)
            text = vectors_text(vectors).encode("utf-8")
            if not env_vectors.is_file() or env_vectors.read_bytes() != text:
                env_vectors.write_bytes(text)
        files = generate_langpack(reference, plan, target, vectors)
        stats = write_tree(out / plan.folder, files)
        stamps[plan.folder] = {"key": key, "files": {f.path: hashlib.sha256(f.content).hexdigest() for f in files}}
        result.langpacks.append((plan, stats))
    if result.langpacks:
        out.mkdir(parents=True, exist_ok=True)
        (out / STAMP_FILE).write_text(json.dumps(stamps, indent=1, sort_keys=True) + "\n", "utf-8")
    return result
