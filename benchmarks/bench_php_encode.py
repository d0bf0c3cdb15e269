"""How long the PHP langpack takes to validate and encode an event, against a hand-written
array passed to json_encode(), measured in the same PHP process.

    .venv/bin/python benchmarks/bench_php_encode.py [--env website] [--iterations 5000]
                                                    [--rounds 31] [--json] [--max-ratio 1.5]

1. Builds the example reference's PHP langpack of the environment into a temporary folder.
2. Runs the langpack's own tests/benchmark.php, which takes the valid vector with the most
   keys (item_create v3 of `website`: 16 fields, 22 keys on the wire) and times, in short
   interleaved rounds: (a) Client::encode() of the built event (validation + canonical
   JSON) and (b) json_encode() of the same values as an array, with
   JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE. The ratio is the median of the
   per-round ratios (a)/(b) (target: <= 1.5); it also reports creating the event.
3. Does it three times: plain `php` (the CLI default, no opcache), with opcache (as
   PHP-FPM runs in production), and with opcache and the tracing JIT.

--max-ratio R makes the exit code 1 when the opcache ratio exceeds R.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clickgen.build import build  # noqa: E402
from clickgen.frontend import analyze_folder  # noqa: E402
from clickgen.plan import plan_build  # noqa: E402

MODES = {
    "plain": [],
    "opcache": ["-d", "opcache.enable_cli=1"],
    "opcache+jit": ["-d", "opcache.enable_cli=1", "-d", "opcache.jit_buffer_size=64M", "-d", "opcache.jit=tracing"],
}


def build_langpack(environment: str, out: Path) -> Path:
    analysis = analyze_folder(ROOT / "examples" / "reference")
    if not analysis.ok:
        raise SystemExit("the example reference has errors")
    plans, _ = plan_build(analysis.reference, environments=(environment,), languages=("php",))
    if not plans:
        raise SystemExit(f"the example has no PHP langpack for {environment!r}")
    build(analysis.reference, plans, out)
    return out / plans[0].folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="website")
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--max-ratio", type=float, default=None)
    args = parser.parse_args()
    php = shutil.which("php")
    if php is None:
        print("php is not installed (scripts/install-toolchains.sh)", file=sys.stderr)
        return 2
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        langpack = build_langpack(args.env, Path(folder))
        for mode, options in MODES.items():
            done = subprocess.run(
                [php, *options, "tests/benchmark.php", str(args.iterations), str(args.rounds)],
                cwd=langpack,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                print(done.stdout + done.stderr, file=sys.stderr)
                return 2
            results[mode] = json.loads(done.stdout)
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        first = next(iter(results.values()))
        print(f"PHP {first['php']}, event {first['event']}: {first['fields']} fields, {first['keys']} keys, {first['bytes']} bytes")
        print(f"{'mode':<12} {'langpack ns':>12} {'json_encode ns':>15} {'ratio':>7} {'create ns':>10}")
        for mode, r in results.items():
            print(f"{mode:<12} {r['langpack_ns']:>12.0f} {r['baseline_ns']:>15.0f} {r['ratio']:>7.2f} {r['create_ns']:>10.0f}")
    if args.max_ratio is not None and results["opcache"]["ratio"] > args.max_ratio:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
