"""What a string format check costs in each langpack, against the same event without it.

    .venv/bin/python benchmarks/bench_formats.py [--languages python,go,php]
                                                 [--iterations 20000] [--rounds 15] [--json]
                                                 [--max-ratio 1.0]

1. Writes a small reference: an event `plain` with five fields (a string without a
   format, an integer, a number, a boolean, a short string), and for each of the nine
   formats of docs/formats.md an event `with_<format>` whose first field has that
   format; the other fields and every value's length are the same as in `plain`.
2. Builds its Python, Go and PHP langpacks, and in each language runs a driver written
   here against the generated public API: in interleaved rounds, it times constructing,
   validating and encoding (Client.encode) each event `--iterations` times.
3. Reports per language and format the median over rounds of
   (time with the format - time of `plain`) / time of `plain`: what the format check
   adds, as a share of making and encoding the event. The issue's target: a date-time
   check costs no more than encoding the event (share <= 1.0).

--max-ratio R makes the exit code 1 when a date-time share exceeds R.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clickgen.build import build  # noqa: E402
from clickgen.frontend import analyze_folder  # noqa: E402
from clickgen.plan import plan_build  # noqa: E402
from clickgen.targets.go import naming as go_naming  # noqa: E402
from clickgen.targets.php import naming as php_naming  # noqa: E402
from clickgen.targets.python import naming as python_naming  # noqa: E402

# A realistic valid value per format, and a plain string of the same length.
VALUES = {
    "date-time": "2026-11-30T10:59:39.123Z",
    "date": "2026-11-30",
    "time": "10:59:39.123Z",
    "uuid": "019ac1a2-3b4c-7d5e-8f60-718293a4b5c6",
    "email": "joe.bloggs@example.com",
    "hostname": "www.example.com",
    "ipv4": "192.168.0.1",
    "ipv6": "2001:db8::8:800:200c:417a",
    "uri": "https://example.com/a?b=c#d",
}
LANGUAGES = ("python", "go", "php")


def _event_name(fmt: str | None) -> str:
    return "plain" if fmt is None else "with_" + fmt.replace("-", "_")


def write_reference(root: Path) -> None:
    (root / "events").mkdir(parents=True)
    (root / "fields").mkdir()
    (root / "environments").mkdir()
    (root / "clickgen.yaml").write_text("name: benchformats\n")
    (root / "environments" / "bench.yaml").write_text(
        "name: bench\nsource_id: 1\ndescription: The format benchmark.\ncommon_fields: {}\n"
        "langpacks: [python, go, php]\ngenerations: {python: [1], go: [1], php: [1]}\n"
    )
    fields = ["text_value:\n  type: string\n"]
    fields += [f"{_event_name(f)}_value:\n  type: string\n  format: {f}\n" for f in VALUES]
    fields.append("count:\n  type: integer\n  minimum: 0\nprice:\n  type: number\n  minimum: 0\nin_stock:\n  type: boolean\nlabel:\n  type: string\n  max_length: 40\n")
    (root / "fields" / "bench.yaml").write_text("".join(fields))
    for number, fmt in enumerate([None, *VALUES], start=1):
        first = "text_value" if fmt is None else f"{_event_name(fmt)}_value"
        (root / "events" / f"{_event_name(fmt)}.yaml").write_text(
            f"event: {_event_name(fmt)}\nid: {number}\nowner: bench\ndescription: Benchmark event.\nenvironments: [bench]\n"
            f"versions:\n  1:\n    fields:\n      {first}: required\n      count: required\n      price: required\n"
            "      in_stock: required\n      label: required\n"
        )


def _cases() -> list[tuple[str, str]]:
    """(event name, value of its first field) for plain and every format."""
    return [("plain", VALUES["date-time"])] + [(_event_name(f), v) for f, v in VALUES.items()]


PYTHON_DRIVER = """
import json, sys, time
import {package} as lp

client = lp.Client(lp.MemorySender())
makers = {{
{makers}
}}
iterations, rounds = int(sys.argv[1]), int(sys.argv[2])
times = {{name: [] for name in makers}}
for _ in range(rounds):
    for name, (cls, first) in makers.items():
        encode = client.encode
        start = time.perf_counter_ns()
        for _ in range(iterations):
            encode(cls(**{{first: VALUE[name]}}, count=3, price=19.99, in_stock=True, label="spring sale"))
        times[name].append((time.perf_counter_ns() - start) / iterations)
print(json.dumps(times))
"""

GO_DRIVER = """package main

import (
\t"encoding/json"
\t"fmt"
\t"os"
\t"strconv"
\t"time"

\tlp "{module}"
)

func main() {{
\titerations, _ := strconv.Atoi(os.Args[1])
\trounds, _ := strconv.Atoi(os.Args[2])
\tclient, err := lp.NewClient(lp.NewCommon(), lp.NewMemorySender())
\tif err != nil {{
\t\tpanic(err)
\t}}
\tmakers := map[string]func() lp.Event{{
{makers}
\t}}
\tnames := []string{{{names}}}
\ttimes := map[string][]float64{{}}
\tfor r := 0; r < rounds; r++ {{
\t\tfor _, name := range names {{
\t\t\tmake := makers[name]
\t\t\tstart := time.Now()
\t\t\tfor i := 0; i < iterations; i++ {{
\t\t\t\tif _, err := client.Encode(make()); err != nil {{
\t\t\t\t\tpanic(err)
\t\t\t\t}}
\t\t\t}}
\t\t\ttimes[name] = append(times[name], float64(time.Since(start).Nanoseconds())/float64(iterations))
\t\t}}
\t}}
\tout, _ := json.Marshal(times)
\tfmt.Println(string(out))
}}
"""

PHP_DRIVER = """<?php
declare(strict_types=1);
require {autoload};
use {namespace} as L;

$client = new L\\Client(new L\\MemorySender());
$makers = [
{makers}
];
[$iterations, $rounds] = [(int) $argv[1], (int) $argv[2]];
$times = \\array_fill_keys(\\array_keys($makers), []);
for ($r = 0; $r < $rounds; $r++) {{
    foreach ($makers as $name => $make) {{
        $start = \\hrtime(true);
        for ($i = 0; $i < $iterations; $i++) {{
            $client->encode($make());
        }}
        $times[$name][] = (\\hrtime(true) - $start) / $iterations;
    }}
}}
echo \\json_encode($times), "\\n";
"""


def run_python(folder: Path, iterations: int, rounds: int) -> dict[str, list[float]]:
    package = next((folder / "src").iterdir()).name
    makers = "\n".join(f'    "{name}": (lp.{python_naming.event_class(name, 1)}, "{"text_value" if name == "plain" else name + "_value"}"),' for name, _ in _cases())
    script = f"VALUE = {dict(_cases())!r}\n" + PYTHON_DRIVER.format(package=package, makers=makers)
    env = {**os.environ, "PYTHONPATH": str(folder / "src")}
    return json.loads(_run([sys.executable, "-c", script, str(iterations), str(rounds)], env=env))


def run_go(folder: Path, iterations: int, rounds: int) -> dict[str, list[float]]:
    module = (folder / "go.mod").read_text().split("module ", 1)[1].split()[0]
    makers = "\n".join(f'\t\t"{name}": func() lp.Event {{ return lp.New{go_naming.event_type(name, 1)}({json.dumps(value)}, 3, 19.99, true, "spring sale") }},' for name, value in _cases())
    names = ", ".join(f'"{name}"' for name, _ in _cases())
    driver = folder / "cmd" / "benchformats"
    driver.mkdir(parents=True)
    (driver / "main.go").write_text(GO_DRIVER.format(module=module, makers=makers, names=names))
    return json.loads(_run(["go", "run", "./cmd/benchformats", str(iterations), str(rounds)], cwd=folder))


def run_php(folder: Path, iterations: int, rounds: int) -> dict[str, list[float]]:
    composer = json.loads((folder / "composer.json").read_text())
    namespace = next(iter(composer["autoload"]["psr-4"])).rstrip("\\")
    autoload = folder / "bench_autoload.php"
    autoload.write_text(
        "<?php\nspl_autoload_register(static function (string $class): void {\n"
        f"    $prefix = {json.dumps(namespace + chr(92))};\n"
        "    if (str_starts_with($class, $prefix)) {\n"
        "        require __DIR__ . '/src/' . str_replace('\\\\', '/', substr($class, strlen($prefix))) . '.php';\n"
        "    }\n});\n"
    )
    makers = "\n".join(f"    '{name}' => static fn () => new L\\{php_naming.event_class(name, 1)}({json.dumps(value)}, 3, 19.99, true, 'spring sale')," for name, value in _cases())
    script = folder / "bench_formats.php"
    script.write_text(PHP_DRIVER.format(autoload=json.dumps(str(autoload)), namespace=namespace, makers=makers))
    command = ["php", "-d", "opcache.enable_cli=1", str(script), str(iterations), str(rounds)]
    return json.loads(_run(command))


def _run(command: list[str], **options: object) -> str:
    done = subprocess.run(command, capture_output=True, text=True, **options)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}{done.stdout}")
    return str(done.stdout)


RUNNERS = {"python": run_python, "go": run_go, "php": run_php}


def shares(times: dict[str, list[float]]) -> dict[str, float]:
    """Per format: median over rounds of (with - plain) / plain."""
    plain = times["plain"]
    return {fmt: statistics.median((w - p) / p for w, p in zip(times[_event_name(fmt)], plain)) for fmt in VALUES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--iterations", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--max-ratio", type=float)
    args = parser.parse_args()
    languages = [lang for lang in args.languages.split(",") if lang]
    work = Path(tempfile.mkdtemp(prefix="clickgen-bench-formats-"))
    try:
        write_reference(work / "reference")
        analysis = analyze_folder(work / "reference")
        if not analysis.ok:
            raise SystemExit("\n".join(d.message for d in analysis.diagnostics))
        plans, _ = plan_build(analysis.reference, environments=("bench",), languages=tuple(languages))
        build(analysis.reference, plans, work / "out")
        results: dict[str, dict[str, object]] = {}
        for plan in plans:
            times = RUNNERS[plan.language](work / "out" / plan.folder, args.iterations, args.rounds)
            results[plan.language] = {"plain_ns": statistics.median(times["plain"]), "format_share": shares(times)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"format check cost as a share of making+encoding the same event without it ({args.rounds} interleaved rounds)")
        print(f"{'format':<10}" + "".join(f"{lang:>10}" for lang in results))
        print(f"{'plain ns':<10}" + "".join(f"{r['plain_ns']:>10.0f}" for r in results.values()))
        for fmt in VALUES:
            print(f"{fmt:<10}" + "".join(f"{r['format_share'][fmt]:>10.2f}" for r in results.values()))  # type: ignore[index]
    worst = max(r["format_share"]["date-time"] for r in results.values())  # type: ignore[index]
    return 1 if args.max_ratio is not None and worst > args.max_ratio else 0


if __name__ == "__main__":
    raise SystemExit(main())
