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
from typing import Any, Callable

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


def vectors_content(vectors: dict[str, Any]) -> bytes:
    """The bytes of vectors.json: exactly `json.dumps(vectors, indent=1, ensure_ascii=False)`
    and a newline, in UTF-8, written directly (json falls back to its slow pure-Python
    encoder whenever `indent` is set, and a large environment has tens of megabytes of
    vectors). The text is encoded a few thousand pieces at a time: millions of small
    strings held together, or one string widened to 4 bytes a character by a single emoji,
    would take hundreds of megabytes."""
    encoded: list[bytes] = []
    pending: list[str] = []

    def flush() -> None:
        encoded.append("".join(pending).encode("utf-8"))
        pending.clear()

    _indented_json(vectors, "\n", pending, flush)
    pending.append("\n")
    flush()
    return b"".join(encoded)


_FLUSH_AT = 4096  # pieces of text pending before vectors_content encodes them


_encode_string = json.encoder.encode_basestring  # the C function, as json uses it with ensure_ascii=False


def _json_scalar(value: Any) -> str:
    if isinstance(value, str):
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _indented_json(value: Any, newline: str, out: list[str], flush: Callable[[], None]) -> None:
    """Append `value` as json.dumps(indent=1) writes it; `newline` is a newline and the
    indentation of the current level. `flush()` takes the pieces out, called between
    the items of a list once there are enough of them."""
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                if not (key is None or isinstance(key, (int, float))):
                    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
                key = _json_scalar(key)
            out.append(separator + _encode_string(key) + ": ")
            if isinstance(item, (dict, list, tuple)):
                _indented_json(item, inner, out, flush)
            else:
                out.append(_json_scalar(item))
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            if isinstance(item, (dict, list, tuple)):
                _indented_json(item, inner, out, flush)
            else:
                out.append(_json_scalar(item))
            if len(out) >= _FLUSH_AT:
                flush()
            separator = "," + inner
        out.append(newline + "]")
    else:
        out.append(_json_scalar(value))


@dataclass
class BuildResult:
    langpacks: list[tuple[LangpackPlan, WriteStats]] = field(default_factory=list)


def generate_langpack(reference: Reference, plan: LangpackPlan, target: Target, vectors_json: bytes | None = None) -> list[OutputFile]:
    """The langpack's files; `vectors_json` is the environment's vectors.json when it is
    already made (otherwise it is made here)."""
    environment = reference.environments[plan.environment]
    if vectors_json is None:
        vectors_json = vectors_content(build_vectors(reference, environment, plan.version))
    request = GenerateRequest(
        reference=reference,
        environment=environment,
        generation=plan.generation,
        version=plan.version,
        vectors_json=vectors_json,
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


@dataclass(frozen=True)
class _Group:
    """One job: the langpacks of an environment at one version (its languages), which
    share the test vectors; `writes_vectors` when the job also writes OUT/<env>/vectors.json."""

    plans: list[LangpackPlan]
    writes_vectors: bool


def _generate_and_write(index: int) -> list[tuple[WriteStats, dict[str, str]]]:
    """Make the group's vectors, then generate and write each of its langpacks; runs in
    a worker or in-process."""
    reference: Reference = _JOB["reference"]
    group: _Group = _JOB["groups"][index]
    first = group.plans[0]
    content = vectors_content(build_vectors(reference, reference.environments[first.environment], first.version))
    if group.writes_vectors:
        _write_environment_vectors(_JOB["out"], first.environment, content)
    outcomes = []
    for plan in group.plans:
        files = generate_langpack(reference, plan, _JOB["targets"][plan.language], content)
        stats = write_tree(_JOB["out"] / plan.folder, files)
        outcomes.append((stats, {f.path: hashlib.sha256(f.content).hexdigest() for f in files}))
    return outcomes


def _write_environment_vectors(out: Path, environment: str, content: bytes) -> None:
    path = out / environment / "vectors.json"
    if not path.is_file() or path.read_bytes() != content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _run_jobs(count: int, workers: int) -> list[list[tuple[WriteStats, dict[str, str]]]]:
    """Groups are independent: with several cores, generate them in parallel."""
    if count > 1 and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, count), mp_context=context) as pool:
            return list(pool.map(_generate_and_write, range(count)))
    return [_generate_and_write(i) for i in range(count)]


def _groups(reference: Reference, todo: list[LangpackPlan], out: Path) -> list[_Group]:
    """The plans by environment and version, largest first (the longest jobs start early).

    An environment's vectors.json is written with its first generation's vectors, or by
    the first group of the environment when that generation is not built and the file
    is missing (as one langpack at a time would)."""
    by_key: dict[tuple[str, str], list[LangpackPlan]] = {}
    for plan in todo:
        by_key.setdefault((plan.environment, plan.version), []).append(plan)
    writer: dict[str, tuple[str, str]] = {}
    for (environment, version), plans in by_key.items():
        if plans[0].generation == reference.environments[environment].generations[0]:
            writer[environment] = (environment, version)
        elif environment not in writer and not (out / environment / "vectors.json").is_file():
            writer.setdefault(environment, (environment, version))
    groups = [_Group(plans, writer.get(key[0]) == key) for key, plans in by_key.items()]
    size = {name: sum(len(event.versions) for event in environment.events) for name, environment in reference.environments.items()}
    return sorted(groups, key=lambda g: -size[g.plans[0].environment] * len(g.plans))


def build(reference: Reference, plans: list[LangpackPlan], out: Path, force: bool = False, workers: int | None = None) -> BuildResult:
    result = BuildResult()
    available = targets()
    stamps = {} if force else _read_stamps(out)
    todo: list[tuple[LangpackPlan, str]] = []
    for plan in plans:
        key = _stamp_key(reference, plan)
        if _up_to_date(out, plan, key, stamps) and (out / plan.environment / "vectors.json").is_file():
            result.langpacks.append((plan, WriteStats(0, len(stamps[plan.folder]["files"]), 0)))
            continue
        todo.append((plan, key))
    # one job per environment and version: the vectors are made once for its languages
    groups = _groups(reference, [plan for plan, _ in todo], out)
    _JOB.update(reference=reference, groups=groups, out=out, targets=available)
    try:
        outcomes = _run_jobs(len(groups), (os.cpu_count() or 1) if workers is None else workers)
    finally:
        _JOB.clear()
    keys = {plan.folder: key for plan, key in todo}
    for group, group_outcomes in zip(groups, outcomes):
        for plan, (stats, digests) in zip(group.plans, group_outcomes):
            stamps[plan.folder] = {"key": keys[plan.folder], "files": digests}
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
