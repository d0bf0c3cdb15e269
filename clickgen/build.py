"""Stages 6 and 7, render and write: planned langpacks -> files under the output folder.

Input: the IR and the plans. Output: `OUT/<env>/<lang>[-gen<G>]/` complete packages
and `OUT/<env>/vectors.json`, and with `--collector` the collector's Go module. Each
target renders its files in memory; this module only asks the targets and writes what
they return.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
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
from clickgen.versioning import Lock, environment_content_hash, langpack_version


def targets() -> dict[str, Target]:
    """The generators by language (imported here: `clickgen validate` never needs them)."""
    from clickgen.targets.go.target import GoTarget
    from clickgen.targets.php.target import PhpTarget
    from clickgen.targets.python.target import PythonTarget

    return {"python": PythonTarget(), "go": GoTarget(), "php": PhpTarget()}


def vectors_text(vectors: dict[str, Any]) -> str:
    return json.dumps(vectors, indent=1, ensure_ascii=False) + "\n"


@dataclass
class BuildResult:
    langpacks: list[tuple[LangpackPlan, WriteStats]] = field(default_factory=list)


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


# State the worker processes inherit (fork): the IR is large and never changes.
_JOB: dict[str, Any] = {}


def _generate_and_write(index: int) -> tuple[WriteStats, dict[str, str]]:
    """Generate one planned langpack and write it; runs in a worker or in-process."""
    reference: Reference = _JOB["reference"]
    plan: LangpackPlan = _JOB["plans"][index]
    vectors = _JOB["vectors"][(plan.environment, plan.version)]
    files = generate_langpack(reference, plan, _JOB["targets"][plan.language], vectors)
    stats = write_tree(_JOB["out"] / plan.folder, files)
    return stats, {f.path: hashlib.sha256(f.content).hexdigest() for f in files}


def _write_environment_vectors(out: Path, environment: str, vectors: dict[str, Any]) -> None:
    path = out / environment / "vectors.json"
    text = vectors_text(vectors).encode("utf-8")
    if not path.is_file() or path.read_bytes() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)


def _run_jobs(count: int, workers: int) -> list[tuple[WriteStats, dict[str, str]]]:
    """Langpacks are independent: with several cores, generate them in parallel."""
    if count > 1 and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, count), mp_context=context) as pool:
            return list(pool.map(_generate_and_write, range(count)))
    return [_generate_and_write(i) for i in range(count)]


def build(reference: Reference, plans: list[LangpackPlan], out: Path, force: bool = False, workers: int | None = None) -> BuildResult:
    result = BuildResult()
    available = targets()
    stamps = {} if force else _read_stamps(out)
    todo: list[tuple[LangpackPlan, str]] = []
    for plan in plans:
        if plan.language not in available:
            result.skipped.append(plan)
            continue
        key = _stamp_key(reference, plan)
        if _up_to_date(out, plan, key, stamps) and (out / plan.environment / "vectors.json").is_file():
            result.langpacks.append((plan, WriteStats(0, len(stamps[plan.folder]["files"]), 0)))
            continue
        todo.append((plan, key))
    # vectors once per environment and version, shared by its languages
    vectors: dict[tuple[str, str], dict[str, Any]] = {}
    for plan, _ in todo:
        environment = reference.environments[plan.environment]
        key = (plan.environment, plan.version)
        if key not in vectors:
            vectors[key] = build_vectors(reference, environment, plan.version)
        if plan.generation == environment.generations[0] or not (out / plan.environment / "vectors.json").is_file():
            _write_environment_vectors(out, plan.environment, vectors[key])
    _JOB.update(reference=reference, plans=[plan for plan, _ in todo], out=out, targets=available, vectors=vectors)
    try:
        outcomes = _run_jobs(len(todo), (os.cpu_count() or 1) if workers is None else workers)
    finally:
        _JOB.clear()
    for (plan, key), (stats, digests) in zip(todo, outcomes):
        stamps[plan.folder] = {"key": key, "files": digests}
        result.langpacks.append((plan, stats))
    order = {plan.folder: i for i, plan in enumerate(plans)}
    result.langpacks.sort(key=lambda item: order[item[0].folder])
    if result.langpacks:
        out.mkdir(parents=True, exist_ok=True)
        (out / STAMP_FILE).write_text(json.dumps(stamps, indent=1, sort_keys=True) + "\n", "utf-8")
    return result


def build_collector(reference: Reference, environments: tuple[str, ...], folder: Path, lock: Lock | None = None) -> WriteStats:
    """Write the collector serving the given environments (all when none) into folder."""
    from clickgen.targets.collector.target import CollectedEnvironment, CollectorRequest, CollectorTarget

    served = []
    for name, environment in reference.environments.items():
        if environments and name not in environments:
            continue
        version = langpack_version(reference, name, 1, lock)
        served.append(CollectedEnvironment(environment, version, build_vectors(reference, environment, version)))
    files = CollectorTarget().generate(CollectorRequest(reference, tuple(served), __version__))
    return write_tree(folder, files)
