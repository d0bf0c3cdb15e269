"""What `clickgen validate --base` costs on top of `clickgen validate`, for a pull request
that touches a few files of a large reference.

    .venv/bin/python benchmarks/bench_validate_base.py [--runs 7] [--json] [--max-ratio 2.0]
                                                       [--events 1200 --fields 400 --environments 40 --seed 1]

1. Generates the synthetic reference (benchmarks/generate.py) into a fresh git
   repository under benchmarks/out/history/ (git-ignored) and commits it on `main`.
2. Makes a typical pull request in the working tree, touching 4 files: a new version of
   two events (`clickgen new-version`'s text edit), a new field, and an edited event
   description. It is valid and has no append-only violations.
3. Times, interleaved and repeated in the same run (after one untimed warm-up each), the
   console script a user runs:
   (a) `clickgen --reference DIR validate`
   (b) `clickgen --reference DIR validate --base main`
   and prints best and median of each and the ratio (b)/(a) of the medians (target <= 2).
4. Breaks (b) down in one process: the head's front end, reading the base's tree from
   git, the base analysis that shares unchanged files with the head, the append-only
   rules and waivers; and, for comparison, a full analysis of the base from git objects
   (what the base would cost without sharing).

--json prints the results as one JSON object; --max-ratio R exits 1 when the median
ratio exceeds R (for CI).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out" / "history"
TARGET_RATIO = 2.0
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def _clickgen_command() -> list[str]:
    script = Path(sys.executable).parent / "clickgen"
    if script.exists():
        return [str(script)]
    found = shutil.which("clickgen")
    if found:
        return [found]
    raise SystemExit("cannot find the `clickgen` console script; run with the project's venv python (make setup)")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def _timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"command failed ({done.returncode}): {' '.join(command)}\n{done.stdout}{done.stderr[-3000:]}")
    return elapsed, done


def _summary(values: list[float]) -> dict[str, float]:
    return {"best": min(values), "median": statistics.median(values), "mean": statistics.fmean(values), "runs": len(values)}


def make_history(root: Path, events: int, fields: int, environments: int, seed: int) -> dict[str, Any]:
    """The generated reference committed on `main`, then a pull request in the working tree."""
    sys.path.insert(0, str(HERE.parent))
    from benchmarks.generate import generate

    from clickgen.frontend import analyze_folder
    from clickgen.new_version import append_version

    if root.exists():
        shutil.rmtree(root)
    stats = generate(root, events=events, fields=fields, environments=environments, seed=seed)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "generated reference")

    reference = analyze_folder(root).reference
    live = [e for e in reference.events.values() if e.deprecated is None and e.latest.deprecated is None]
    touched = []
    for event in live[:2]:  # two new versions
        path = root / event.path
        path.write_text(append_version(path.read_text(encoding="utf-8"), event.path).text, encoding="utf-8")
        touched.append(event.path)
    field_file = sorted(p for p in (root / "fields").rglob("*.yaml"))[0]
    with field_file.open("a", encoding="utf-8") as f:  # a new field
        f.write("\nbenchmark_note:\n  type: string\n  max_length: 200\n  description: Added by the benchmark's pull request.\n")
    touched.append(field_file.relative_to(root).as_posix())
    edited = live[2]  # an edited description
    path = root / edited.path
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ndescription:", "\ndescription: Reworded.", 1) if "\ndescription:" in text else text + "docs: [https://wiki.internal/x]\n", encoding="utf-8")
    touched.append(edited.path)
    generated = {"events": stats.events, "versions": stats.versions, "fields": stats.fields, "environments": stats.environments, "files": stats.files, "bytes": stats.bytes}
    return {"generated": generated, "touched": touched}


def stages(root: Path) -> dict[str, float]:
    """One in-process run of validate --base, stage by stage (child process: --_stages)."""
    t0 = time.perf_counter()
    from clickgen.frontend import analyze
    from clickgen.gitsource import GitSource, analyze_stages, base_reference, open_repository, resolve_revision
    from clickgen.load import FolderSource
    from clickgen.rules.append_only import HeadState, check_append_only
    from clickgen.waivers import apply_waivers

    t1 = time.perf_counter()
    head = analyze_stages(FolderSource(root))
    t2 = time.perf_counter()
    repository = open_repository(root)
    source = GitSource(repository, resolve_revision(repository, "main"), "main")
    source.blob_ids()
    t3 = time.perf_counter()
    base = base_reference(source, head)
    t4 = time.perf_counter()
    assert base is not None
    findings = check_append_only(base, head.analysis.reference, "main", HeadState.of(head.loaded, head.analysis.diagnostics))
    apply_waivers(findings, head.analysis.reference.settings.waivers, "main")
    t5 = time.perf_counter()
    full = GitSource(repository, resolve_revision(repository, "main"), "main")
    analyze(full)
    t6 = time.perf_counter()
    changed = sum(1 for p, b in source.blob_ids().items() if head.blob_ids.get(p) != b)
    return {
        "imports": t1 - t0,
        "head_front_end": t2 - t1,
        "base_tree_listing": t3 - t2,
        "base_shared_analysis": t4 - t3,
        "append_only_rules": t5 - t4,
        "base_full_analysis_for_comparison": t6 - t5,
        "changed_files": changed,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    root = Path(args.out).resolve()
    history = make_history(root, args.events, args.fields, args.environments, args.seed)
    clickgen = _clickgen_command()
    plain = [*clickgen, "--reference", str(root), "validate"]
    with_base = [*plain, "--base", "main"]
    stages_cmd = [sys.executable, str(Path(__file__).resolve()), "--_stages", str(root)]
    _timed(plain)
    _, first = _timed(with_base)  # warm-up; also checks that the pull request is clean
    times: dict[str, list[float]] = {"validate": [], "validate_base": []}
    for i in range(args.runs):
        order = ["validate", "validate_base"] if i % 2 == 0 else ["validate_base", "validate"]
        for which in order:
            times[which].append(_timed(plain if which == "validate" else with_base)[0])
    stage_runs = [json.loads(_timed(stages_cmd)[1].stdout) for _ in range(max(1, min(3, args.runs)))]
    plain_summary, base_summary = _summary(times["validate"]), _summary(times["validate_base"])
    return {
        **history,
        "validate": plain_summary,
        "validate_base": base_summary,
        "ratio_median": base_summary["median"] / plain_summary["median"],
        "ratio_best": base_summary["best"] / plain_summary["best"],
        "target_ratio": TARGET_RATIO,
        "validate_base_output": first.stderr.strip().splitlines()[-1],
        "stages": {key: statistics.median(r[key] for r in stage_runs) for key in stage_runs[0]},
    }


def print_table(result: dict[str, Any]) -> None:
    g = result["generated"]
    print(f"reference: {g['events']} events ({g['versions']} versions), {g['fields']} fields, {g['environments']} environments, {g['files']} files, {g['bytes'] / 1e6:.1f} MB")
    print(f"pull request touches {len(result['touched'])} files: {', '.join(result['touched'])}")
    print(f"  {result['validate_base_output']}")
    print()
    print(f"{'':32} {'best':>8} {'median':>8}")
    for key, label in (("validate", "clickgen validate"), ("validate_base", "clickgen validate --base main")):
        s = result[key]
        print(f"{label:32} {s['best']:8.3f} {s['median']:8.3f}  s ({s['runs']} runs)")
    print(f"ratio (--base / plain): median {result['ratio_median']:.2f}, best {result['ratio_best']:.2f} (target <= {result['target_ratio']:.1f})")
    print()
    print("validate --base in one process (median):")
    s = result["stages"]
    for key in ("imports", "head_front_end", "base_tree_listing", "base_shared_analysis", "append_only_rules"):
        print(f"  {key.replace('_', ' '):34} {s[key]:7.3f} s")
    print(f"  ({int(s['changed_files'])} files differ from the base; a full analysis of the base from git would take {s['base_full_analysis_for_comparison']:.3f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--max-ratio", type=float, default=None)
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="where to make the git repository (default benchmarks/out/history)")
    parser.add_argument("--events", type=int, default=1200)
    parser.add_argument("--fields", type=int, default=400)
    parser.add_argument("--environments", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--_stages", dest="stages_root", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stages_root:
        print(json.dumps(stages(Path(args.stages_root))))
        return 0
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    if args.max_ratio is not None and result["ratio_median"] > args.max_ratio:
        print(f"ratio {result['ratio_median']:.2f} exceeds {args.max_ratio}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
