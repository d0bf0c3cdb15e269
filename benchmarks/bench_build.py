"""Build time and peak memory of the synthetic seed-scale reference, per language, in one run.

    python benchmarks/bench_build.py [--events 1200 --fields 400 --environments 40]
                                     [--rounds 2] [--single-environment] [--check] [--json]

Each round builds every language from scratch, one language after the other (python,
go, php: interleaved, so that a busy machine weighs on all of them alike), then rebuilds
each into the same folder (the no-op rebuild). `clickgen validate` of the same reference
is timed in the same rounds: it is the front end every build starts with, and the unit
the times are given in. Reported: the best time of each, Python / Go (the goal is at
most 1.5), each language / validate, and the peak resident memory of each build (the
largest process of its tree: the parent or one of its worker processes).

--single-environment also builds one environment holding every event (the shape of a
large app: all events in one langpack), each language from scratch. --check then holds
that environment's Python langpack to black (every file unchanged by black) and to
mypy --strict, and reports the time and memory mypy takes. --toolchains measures what
that langpack costs its users (time and peak RSS): `import` in Python without and with
compiled bytecode, `go build` and `go vet` with an empty build cache, `php -l` of every
file; and the size of what they download: wheel, sdist, Go module zip, composer zip.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402

LANGUAGES = ("python", "go", "php")

# Runs clickgen's command line in this interpreter and writes the peak resident memory
# of the process and of its (waited-for) worker processes, in KiB, to a file.
RUNNER = """
import atexit, os, resource, sys
def report():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(os.environ["CLICKGEN_BENCH_RUSAGE"], "w") as f:
        f.write(f"{own} {children}")
atexit.register(report)
from clickgen.cli import main
sys.argv = ["clickgen", *sys.argv[1:]]
main()
"""


def run(arguments: list[str], work: Path) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of `clickgen ARGUMENTS`."""
    usage = work / "rusage"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, *arguments], capture_output=True, text=True, env={**os.environ, "CLICKGEN_BENCH_RUSAGE": str(usage)}
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"clickgen {' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
    own, children = (int(n) for n in usage.read_text().split())
    return elapsed, max(own, children)


def single_environment(reference: Path, events: int, fields: int) -> Path:
    """The generated reference squeezed into one environment that builds every language."""
    generate(reference, events=events, fields=fields, environments=1, seed=1)
    (environment,) = (reference / "environments").glob("*.yaml")
    text = re.sub(r"^langpacks: .*$", "langpacks: [python, go, php]", environment.read_text("utf-8"), flags=re.M)
    environment.write_text(text, "utf-8")
    return reference


def check_python(out: Path) -> dict[str, Any]:
    """black leaves every Python file as it is; mypy --strict passes (time, peak RSS)."""
    import black

    (langpack,) = [p for p in out.glob("*/python") if p.is_dir()]
    files = sorted(langpack.rglob("*.py"))
    started = time.perf_counter()
    changed = [str(p.relative_to(langpack)) for p in files if black.format_str(p.read_text("utf-8"), mode=black.Mode()) != p.read_text("utf-8")]
    black_seconds = time.perf_counter() - started
    usage = out / "mypy-rusage"
    started = time.perf_counter()
    typed = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(usage), sys.executable, "-m", "mypy", "--strict", "--no-incremental", "src", "tests"],
        cwd=langpack,
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": "src"},
    )
    return {
        "python_files": len(files),
        "lines": sum(len(p.read_text("utf-8").splitlines()) for p in files),
        "black_unchanged": not changed,
        "black_changed": changed,
        "black_check_s": black_seconds,
        "mypy_ok": typed.returncode == 0,
        "mypy_output": typed.stdout[-2000:],
        "mypy_s": time.perf_counter() - started,
        "mypy_peak_rss_mb": int(usage.read_text().split()[-1]) / 1024 if usage.is_file() else None,
    }


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Seconds and peak RSS (MB) of one command, through /usr/bin/time."""
    usage = cwd.parent / f"rusage-{os.getpid()}"
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(usage), *command], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{(done.stdout + done.stderr)[-3000:]}")
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(int(usage.read_text().split()[-1]) / 1024)}


def toolchain_costs(out: Path, reference: Path) -> dict[str, Any]:
    """What one big langpack costs the people who use it, per language."""
    from clickgen.publish import go as go_publish
    from clickgen.publish import php as php_publish

    shutil.rmtree(out, ignore_errors=True)
    run(["--reference", str(reference), "build", "--out", str(out)], out.parent)
    (environment,) = [p for p in out.iterdir() if p.is_dir()]
    report: dict[str, Any] = {}
    python = environment / "python"
    (package,) = [p.name for p in (python / "src").iterdir() if p.is_dir()]
    importing = [sys.executable, "-c", f"import {package}"]
    env = {"PYTHONPATH": "src", "PYTHONDONTWRITEBYTECODE": "1"}
    report["python_import_from_source"] = timed(importing, python, env)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "src"], cwd=python, check=True, capture_output=True)
    report["python_import_compiled"] = timed(importing, python, env)  # as installed from a wheel
    dist = out.parent / f"{out.name}-dist"
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(python)], check=True, capture_output=True)
    sizes = {"wheel": sum(p.stat().st_size for p in dist.glob("*.whl")), "sdist": sum(p.stat().st_size for p in dist.glob("*.tar.gz"))}

    go = environment / "go"
    go_env = {"GOCACHE": str(out.parent / f"{out.name}-gocache"), "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local"}
    report["go_build"] = timed(["go", "build", "./..."], go, go_env)
    report["go_vet"] = timed(["go", "vet", "./..."], go, go_env)
    go_files = {p.relative_to(go).as_posix(): p.read_bytes() for p in go.rglob("*") if p.is_file()}
    module = go_publish.module_path(go_files)
    sizes["go_module_zip"] = len(go_publish.module_zip(module, "v0.1.0", go_files))

    php = environment / "php"
    php_files = sorted(p.relative_to(php).as_posix() for p in php.rglob("*.php"))
    lint = timed(["php", "-r", PHP_LINT, *php_files], php)
    report["php_lint"] = {**lint, "files": len(php_files)}
    files = {p.relative_to(php).as_posix(): p.read_bytes() for p in php.rglob("*") if p.is_file()}
    sizes["composer_zip"] = len(php_publish.deterministic_zip({rel: data for rel, data in files.items() if not php_publish.dev_only(rel)}))
    sizes["vectors_json"] = (environment / "vectors.json").stat().st_size if (environment / "vectors.json").is_file() else 0
    report["megabytes"] = {name: round(size / 1e6, 2) for name, size in sizes.items()}
    return report


# PHP 8.2's php -l reads one file: one process per file, run from one parent
PHP_LINT = """
foreach (array_slice($argv, 1) as $file) {
    exec(PHP_BINARY . ' -l ' . escapeshellarg($file) . ' 2>&1', $output, $status);
    if ($status !== 0) { fwrite(STDERR, implode("\n", $output)); exit(1); }
}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1200)
    parser.add_argument("--fields", type=int, default=400)
    parser.add_argument("--environments", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--single-environment", action="store_true")
    parser.add_argument("--check", action="store_true", help="with --single-environment: black and mypy --strict on its Python langpack")
    parser.add_argument("--toolchains", action="store_true", help="with --single-environment: import, go build/vet, php -l and download sizes of its langpacks")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="clickgen-bench-build-"))
    report: dict[str, Any] = {"events": args.events, "fields": args.fields, "environments": args.environments, "cpus": os.cpu_count()}
    try:
        reference = work / "reference"
        generate(reference, events=args.events, fields=args.fields, environments=args.environments, seed=1)
        base = ["--reference", str(reference)]
        times: dict[str, list[float]] = {name: [] for name in ("validate", *LANGUAGES, *(f"{lang}_noop" for lang in LANGUAGES))}
        rss: dict[str, int] = {}
        for _ in range(args.rounds):
            times["validate"].append(run([*base, "validate"], work)[0])
            for language in LANGUAGES:
                out = work / f"out-{language}"
                shutil.rmtree(out, ignore_errors=True)
                seconds, peak = run([*base, "build", "--lang", language, "--out", str(out)], work)
                times[language].append(seconds)
                rss[language] = max(rss.get(language, 0), peak)
            for language in LANGUAGES:
                times[f"{language}_noop"].append(run([*base, "build", "--lang", language, "--out", str(work / f"out-{language}")], work)[0])
        best = {name: min(values) for name, values in times.items()}
        report["langpacks"] = {language: sum(1 for p in (work / f"out-{language}").glob(f"*/{language}*") if p.is_dir()) for language in LANGUAGES}
        report["megabytes"] = {
            language: round(sum(p.stat().st_size for p in (work / f"out-{language}").rglob("*") if p.is_file()) / 1e6, 1) for language in LANGUAGES
        }
        report["seconds"] = {name: round(value, 2) for name, value in best.items()}
        report["spread"] = {name: round(max(values) - min(values), 2) for name, values in times.items() if len(values) > 1}
        report["python_over_go"] = round(best["python"] / best["go"], 2)
        report["over_validate"] = {name: round(value / best["validate"], 1) for name, value in best.items() if name != "validate"}
        report["peak_rss_mb"] = {language: round(kib / 1024) for language, kib in rss.items()}

        if args.single_environment:
            single = single_environment(work / "single", args.events, args.fields)
            report["single_environment"] = {}
            for language in LANGUAGES:
                out = work / f"single-{language}"
                shutil.rmtree(out, ignore_errors=True)
                seconds, peak = run(["--reference", str(single), "build", "--lang", language, "--out", str(out)], work)
                biggest = max((p for p in out.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
                report["single_environment"][language] = {
                    "seconds": round(seconds, 2),
                    "peak_rss_mb": round(peak / 1024),
                    "largest_file": f"{biggest.relative_to(out)} ({biggest.stat().st_size / 1e6:.1f} MB)",
                }
            if args.check:
                report["single_environment"]["python_check"] = check_python(work / "single-python")
            if args.toolchains:
                report["single_environment"]["toolchains"] = toolchain_costs(work / "single-all", single)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(report, indent=1))
        return
    seconds = report["seconds"]
    print(f"synthetic reference: {args.events} events, {args.fields} fields, {args.environments} environments; {os.cpu_count()} CPUs, best of {args.rounds}")
    print(f"validate:            {seconds['validate']:7.2f} s")
    for language in LANGUAGES:
        print(
            f"build {language:<6}  {seconds[language]:7.2f} s = {report['over_validate'][language]:5.1f}x validate, "
            f"peak RSS {report['peak_rss_mb'][language]:5d} MB, {report['langpacks'][language]} langpacks, {report['megabytes'][language]} MB; "
            f"no-op rebuild {seconds[language + '_noop']:5.2f} s = {report['over_validate'][language + '_noop']:.1f}x validate"
        )
    print(f"Python / Go: {report['python_over_go']:.2f} (goal: at most 1.5)")
    for language, numbers in report.get("single_environment", {}).items():
        if language == "toolchains":
            for step, cost in numbers.items():
                if step != "megabytes":
                    print(f"one environment, {step}: {cost['seconds']:.2f} s, peak RSS {cost['peak_rss_mb']} MB")
            print("one environment, downloads (MB): " + ", ".join(f"{name} {size}" for name, size in numbers["megabytes"].items()))
        elif language == "python_check":
            print(
                f"one environment, Python check: {numbers['python_files']} files, {numbers['lines']} lines; black unchanged: {numbers['black_unchanged']}; "
                f"mypy --strict ok: {numbers['mypy_ok']} in {numbers['mypy_s']:.1f} s, peak RSS {numbers['mypy_peak_rss_mb']:.0f} MB"
            )
            if not numbers["mypy_ok"]:
                print(numbers["mypy_output"])
        else:
            print(f"one environment of {args.events} events, {language}: {numbers['seconds']:.2f} s, peak RSS {numbers['peak_rss_mb']} MB, largest {numbers['largest_file']}")


if __name__ == "__main__":
    main()
