"""How long `clickgen validate` takes on a large reference, against parsing its YAML.

    .venv/bin/python benchmarks/bench_validate.py [--runs 7] [--json] [--max-ratio 2.0]
                                                  [--events 1200 --fields 400 --environments 40 --seed 1]

1. Generates the synthetic reference (benchmarks/generate.py) into benchmarks/out/
   (git-ignored), or uses --reference DIR as it is.
2. Times, interleaved and repeated in the same run (after one untimed warm-up each):
   (a) baseline: a fresh Python process that only parses every YAML file of the
       reference with PyYAML's C loader (yaml.load(..., Loader=yaml.CSafeLoader)),
       walking the same folders as clickgen's FolderSource;
   (b) `clickgen --reference DIR validate`, the console script a user runs.
   and prints best and median of each and the ratio (b)/(a) (target: <= 2.0).
3. Breaks the run down by stage, measured in fresh processes like the CLI (so the
   first-call costs count): interpreter start, `import clickgen.cli`, the lazily
   imported front end (`import clickgen.frontend`), load, schema check, resolve,
   semantic rules, sorting; then the same four stages again in the same process
   ("warm": caches filled), which shows one-time costs such as building validators.

--json prints the results as one JSON object on stdout instead of the tables.
--max-ratio R makes the exit code 1 when the paired ratio exceeds R (for CI). The paired
ratio is the median over runs of (b)/(a) timed back to back, which holds up better than
best or median alone when other work shares the machine.
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
DEFAULT_OUT = HERE / "out" / "reference"
TARGET_RATIO = 2.0

# The baseline: what the YAML parsing alone costs in a fresh process. Walks the same
# files as clickgen.load.FolderSource (clickgen.yaml, fields/, environments/, events/).
BASELINE = r"""
import os, sys, yaml
root = sys.argv[1]
paths = []
if os.path.isfile(os.path.join(root, "clickgen.yaml")):
    paths.append(os.path.join(root, "clickgen.yaml"))
for folder in ("fields", "environments", "events"):
    base = os.path.join(root, folder)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                paths.append(os.path.join(dirpath, name))
documents = 0
for path in paths:
    with open(path, "rb") as f:
        text = f.read().decode("utf-8-sig")
    if yaml.load(text, Loader=yaml.CSafeLoader) is not None:
        documents += 1
print(documents)
"""


def _clickgen_command() -> list[str]:
    """The console script installed next to this interpreter (the user's path), else on PATH."""
    script = Path(sys.executable).parent / "clickgen"
    if script.exists():
        return [str(script)]
    found = shutil.which("clickgen")
    if found:
        return [found]
    raise SystemExit("cannot find the `clickgen` console script; run with the project's venv python (make setup)")


def _timed(command: list[str], expect_ok: bool = True) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if expect_ok and done.returncode != 0:
        raise SystemExit(f"command failed ({done.returncode}): {' '.join(command)}\n{done.stdout}{done.stderr}")
    return elapsed, done


def _summary(values: list[float]) -> dict[str, float]:
    return {"best": min(values), "median": statistics.median(values), "mean": statistics.fmean(values), "runs": len(values)}


# ------------------------------------------------------------------------------------
# stage breakdown (runs in a child process: `bench_validate.py --_stages ROOT`)

def _stages(root: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    import clickgen.cli  # noqa: F401  (what `clickgen` imports before it parses arguments)

    t1 = time.perf_counter()
    import clickgen.frontend  # noqa: F401  (imported lazily by `validate`)
    from clickgen.diagnostics import sort_diagnostics
    from clickgen.load import FolderSource, load_reference
    from clickgen.resolve import resolve
    from clickgen.rules.semantic import check_semantics
    from clickgen.schema_check import check_schema

    t2 = time.perf_counter()
    result: dict[str, Any] = {"import_cli": t1 - t0, "import_frontend": t2 - t1}

    def pipeline(prefix: str) -> None:
        s0 = time.perf_counter()
        loaded = load_reference(FolderSource(Path(root)))
        s1 = time.perf_counter()
        schema = check_schema(loaded)
        s2 = time.perf_counter()
        reference, resolve_diagnostics = resolve(loaded, schema)
        s3 = time.perf_counter()
        semantic = check_semantics(reference)
        s4 = time.perf_counter()
        diagnostics = sort_diagnostics(loaded.diagnostics + schema.diagnostics + resolve_diagnostics + semantic)
        s5 = time.perf_counter()
        result.update(
            {
                f"{prefix}load": s1 - s0,
                f"{prefix}schema_check": s2 - s1,
                f"{prefix}resolve": s3 - s2,
                f"{prefix}semantic_rules": s4 - s3,
                f"{prefix}sort_diagnostics": s5 - s4,
                f"{prefix}pipeline": s5 - s0,
            }
        )
        result["documents"] = len(loaded.documents)
        result["diagnostics"] = len(diagnostics)

    pipeline("")
    pipeline("warm_")
    return result


STAGE_ROWS = [
    ("python_startup", "interpreter start (python -c pass)"),
    ("import_cli", "import clickgen.cli"),
    ("import_frontend", "import clickgen.frontend (lazy, in validate)"),
    ("load", "load (read + positioned YAML)"),
    ("schema_check", "schema check (jsonschema)"),
    ("resolve", "resolve (IR)"),
    ("semantic_rules", "semantic rules"),
    ("sort_diagnostics", "sort diagnostics"),
    ("pipeline", "pipeline total (cold, as in the CLI)"),
    ("warm_load", "  warm: load"),
    ("warm_schema_check", "  warm: schema check"),
    ("warm_resolve", "  warm: resolve"),
    ("warm_semantic_rules", "  warm: semantic rules"),
    ("warm_pipeline", "  warm: pipeline total"),
]


# ------------------------------------------------------------------------------------

def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.reference:
        root = Path(args.reference).resolve()
        generated = None
    else:
        sys.path.insert(0, str(HERE.parent))
        from benchmarks.generate import generate

        root = Path(args.out).resolve()
        stats = generate(root, events=args.events, fields=args.fields, environments=args.environments, seed=args.seed)
        generated = {"events": stats.events, "versions": stats.versions, "fields": stats.fields, "environments": stats.environments, "files": stats.files, "bytes": stats.bytes}

    python = sys.executable
    baseline_cmd = [python, "-c", BASELINE, str(root)]
    clickgen_cmd = [*_clickgen_command(), "--reference", str(root), "validate"]
    stages_cmd = [python, str(Path(__file__).resolve()), "--_stages", str(root)]
    startup_cmd = [python, "-c", "pass"]

    load_before = os.getloadavg()
    # warm-up: file cache, .pyc files; also checks that the reference validates clean
    _, first = _timed(clickgen_cmd, expect_ok=False)
    if first.returncode != 0:
        raise SystemExit(f"`clickgen validate` exited {first.returncode} on the benchmark reference:\n{first.stderr[-3000:]}")
    warnings = [line for line in first.stderr.splitlines() if ": warning[" in line]
    _timed(baseline_cmd)
    _timed(stages_cmd)

    times: dict[str, list[float]] = {"baseline": [], "clickgen": [], "python_startup": []}
    stage_runs: list[dict[str, Any]] = []
    for i in range(args.runs):
        order = ["baseline", "clickgen"] if i % 2 == 0 else ["clickgen", "baseline"]
        for which in order:
            elapsed, _ = _timed(baseline_cmd if which == "baseline" else clickgen_cmd)
            times[which].append(elapsed)
        times["python_startup"].append(_timed(startup_cmd)[0])
        _, done = _timed(stages_cmd)
        stage_runs.append(json.loads(done.stdout))

    load_after = os.getloadavg()
    baseline, clickgen = _summary(times["baseline"]), _summary(times["clickgen"])
    paired = statistics.median(c / b for c, b in zip(times["clickgen"], times["baseline"]))
    stages: dict[str, dict[str, float]] = {"python_startup": _summary(times["python_startup"])}
    for key in stage_runs[0]:
        if key not in ("documents", "diagnostics"):
            stages[key] = _summary([r[key] for r in stage_runs])
    ratio_median = clickgen["median"] / baseline["median"]
    return {
        "reference": str(root),
        "generated": generated,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "commands": {"baseline": "python -c <parse every YAML file with yaml.CSafeLoader>", "clickgen": " ".join(clickgen_cmd)},
        "baseline_seconds": baseline,
        "clickgen_seconds": clickgen,
        # paired: the median over runs of clickgen/baseline measured back to back (robust to load drift)
        "ratio": {"paired": paired, "median": ratio_median, "best": clickgen["best"] / baseline["best"], "target": TARGET_RATIO},
        "within_target": paired <= TARGET_RATIO,
        "load_average": {"before": load_before, "after": load_after},
        "stages_seconds": stages,
        "documents": stage_runs[0]["documents"],
        "diagnostics": stage_runs[0]["diagnostics"],
        "warnings": warnings,
        "raw_seconds": times,
    }


def _print(result: dict[str, Any]) -> None:
    gen = result["generated"]
    if gen:
        print(
            f"reference: {result['reference']}\n  {gen['events']} events ({gen['versions']} versions), {gen['fields']} fields, "
            f"{gen['environments']} environments; {gen['files']} files, {gen['bytes'] / 1024:.0f} KiB"
        )
    else:
        print(f"reference: {result['reference']} ({result['documents']} documents)")
    print(f"python {result['python']}, {result['cpus']} CPUs, {result['baseline_seconds']['runs']} interleaved runs each\n")
    print(f"{'':44}{'best':>10}{'median':>10}")
    for label, key in (("(a) baseline: parse YAML (CSafeLoader)", "baseline_seconds"), ("(b) clickgen validate", "clickgen_seconds")):
        s = result[key]
        print(f"{label:44}{s['best'] * 1000:>8.0f}ms{s['median'] * 1000:>8.0f}ms")
    ratio = result["ratio"]
    verdict = "within" if result["within_target"] else "ABOVE"
    print(f"{'ratio (b)/(a)':44}{ratio['best']:>9.2f}x{ratio['median']:>9.2f}x")
    print(f"{'ratio (b)/(a), paired runs (median)':44}{ratio['paired']:>19.2f}x   {verdict} target {ratio['target']:.1f}x")
    before, after = result["load_average"]["before"][0], result["load_average"]["after"][0]
    note = "  (busy machine: timings are noisy)" if max(before, after) > 0.5 * (result["cpus"] or 1) else ""
    print(f"load average {before:.2f} before, {after:.2f} after{note}\n")
    print("stage breakdown (fresh process each run, like the CLI):")
    stages = result["stages_seconds"]
    for key, label in STAGE_ROWS:
        if key in stages:
            s = stages[key]
            print(f"  {label:42}{s['best'] * 1000:>8.0f}ms{s['median'] * 1000:>8.0f}ms")
    if result["warnings"]:
        print(f"\nnote: the reference has {len(result['warnings'])} warnings, e.g. {result['warnings'][0]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each command (default 7)")
    parser.add_argument("--events", type=int, default=1200)
    parser.add_argument("--fields", type=int, default=400)
    parser.add_argument("--environments", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="where to generate the reference (default benchmarks/out/reference)")
    parser.add_argument("--reference", help="benchmark this existing reference instead of generating one")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--max-ratio", type=float, help="exit 1 when the paired ratio exceeds this")
    parser.add_argument("--_stages", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._stages:
        print(json.dumps(_stages(args._stages)))
        return 0
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print(result)
    if args.max_ratio is not None and result["ratio"]["paired"] > args.max_ratio:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
