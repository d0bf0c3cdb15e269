"""How long `clickgen import jsonschema` takes on 1,000 schemas, against `clickgen validate`
of the reference it writes (same run, same machine).

    .venv/bin/python benchmarks/bench_import.py [--schemas 1000] [--runs 5] [--seed 1] [--json] [--max-ratio R]

1. Generates an Iglu-style registry (benchmarks/out/import-source, git-ignored):
   `schemas/<vendor>/<name>/jsonschema/<M-R-A>`, one to four SchemaVers per schema,
   properties drawn from a shared vocabulary (so that fields are deduplicated), with
   enums, bounds, lengths, patterns, formats, arrays, nullable types, $refs into $defs,
   nested objects and arrays of objects (object fields), like a Snowplow registry.
2. Times, interleaved and repeated (after one untimed warm-up each), in fresh processes
   through the console script a user runs:
   (a) `clickgen import jsonschema SOURCE --out OUT --allow-loss` into an empty folder;
   (b) `clickgen --reference OUT validate` of that output.
   and prints best and median of each and the paired ratio (a)/(b), the median over runs
   of the two timed back to back.

--max-ratio R makes the exit code 1 when the paired ratio exceeds R (for CI).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"
META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#"
WORDS = "user item order cart page button link search query result price amount currency country city device app screen session step plan".split()
SUFFIXES = ["id", "name", "type", "count", "url", "code", "value", "at", "kind", "status"]


def _property(rng: random.Random, name: str) -> dict[str, Any]:
    """A property schema; the same name mostly gets the same contract (a shared vocabulary)."""
    local = random.Random(f"{name}:{rng.random() < 0.15}")  # 15%: another contract under the same key
    roll = local.random()
    if name.endswith("_id") or name.endswith("Id"):
        return {"type": "string", "format": "uuid"} if roll < 0.5 else {"type": "integer", "minimum": 1}
    if name.endswith("url"):
        return {"type": "string", "format": "uri", "maxLength": 4096}
    if name.endswith("at"):
        return {"type": ["string", "null"], "format": "date-time"}
    if name.endswith("count"):
        return {"type": "integer", "minimum": 0, "maximum": local.choice([100, 1000, 2**31 - 1])}
    if name.endswith("type") or name.endswith("kind") or name.endswith("status"):
        return {"type": "string", "enum": local.sample(["new", "open", "closed", "paid", "web", "ios", "android", "other"], local.randint(2, 5))}
    if name.endswith("code"):
        return {"type": "string", "pattern": local.choice(["^[A-Z]{2}$", "^[A-Z0-9]{4,12}$", "^[a-z]+(-[a-z]+)*$"])}
    if name.endswith("value"):
        return {"type": "number", "exclusiveMinimum": 0, "maximum": 1e9}
    if roll < 0.05:  # an object, or an array of them, with members from the vocabulary
        keys = [f"{local.choice(WORDS)}_{suffix}" for suffix in local.sample(SUFFIXES[:1] + SUFFIXES[2:], 3)]  # no `name`: scalars only
        members = {key: _property(local, key) for key in keys}
        value = {"type": "object", "properties": members, "required": sorted(members)[:1]}
        return value if roll < 0.03 else {"type": "array", "items": value, "maxItems": 50}
    if roll < 0.2:
        return {"type": ["array", "null"], "items": {"type": "string", "maxLength": 64}, "maxItems": 20}
    return {"type": "string", "maxLength": local.choice([64, 255, 1024])}


def generate(root: Path, schemas: int, seed: int) -> dict[str, int]:
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    vendors = [f"com.{w}" for w in rng.sample(WORDS, 8)]
    written = names = 0
    while written < schemas:
        vendor = rng.choice(vendors)
        name = f"{rng.choice(WORDS)}_{rng.choice(WORDS)}_{names}"
        names += 1
        keys = sorted({f"{rng.choice(WORDS)}{rng.choice(['_', ''])}{rng.choice(SUFFIXES)}" for _ in range(rng.randint(3, 14))})
        versions = [(1, 0, 0)]
        for _ in range(rng.randint(0, 3)):
            model, revision, addition = versions[-1]
            versions.append(rng.choice([(model, revision, addition + 1), (model, revision + 1, 0), (model + 1, 0, 0)]))
        for version in versions:
            if written >= schemas:
                break
            keys = keys + [f"{rng.choice(WORDS)}_{rng.choice(SUFFIXES)}"] if version != versions[0] else keys
            properties = {key: _property(rng, key) for key in keys}
            properties[keys[0]] = {"$ref": "#/$defs/first", "description": "The first property."}
            document = {
                "$schema": META,
                "description": f"{name.replace('_', ' ')} happened.",
                "self": {"vendor": vendor, "name": name, "format": "jsonschema", "version": "-".join(map(str, version))},
                "type": "object",
                "$defs": {"first": _property(rng, keys[0])},
                "properties": properties,
                "required": keys[: rng.randint(0, len(keys))],
                "additionalProperties": False,
            }
            path = root / "schemas" / vendor / name / "jsonschema" / "-".join(map(str, version))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(document, indent=2), "utf-8")
            written += 1
    return {"schemas": written, "names": names}


def _clickgen() -> list[str]:
    script = Path(sys.executable).parent / "clickgen"
    if script.exists():
        return [str(script)]
    found = shutil.which("clickgen")
    if found:
        return [found]
    raise SystemExit("cannot find the `clickgen` console script; run with the project's venv python (make setup)")


def _timed(command: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok_codes:
        raise SystemExit(f"command failed ({done.returncode}): {' '.join(command)}\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return elapsed, done


def _summary(values: list[float]) -> dict[str, float]:
    return {"best": min(values), "median": statistics.median(values), "runs": len(values)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    base = Path(args.out).resolve()
    source, reference = base / "import-source", base / "import-reference"
    generated = generate(source, args.schemas, args.seed)
    clickgen = _clickgen()
    import_cmd = [*clickgen, "import", "jsonschema", str(source), "--out", str(reference), "--allow-loss", "--format", "json"]
    validate_cmd = [*clickgen, "--reference", str(reference), "validate"]

    def fresh_import() -> tuple[float, subprocess.CompletedProcess[str]]:
        if reference.exists():
            shutil.rmtree(reference)
        return _timed(import_cmd)

    _, first = fresh_import()  # warm-up (file cache, .pyc); also checks the result validates
    report = json.loads(first.stdout)
    _timed(validate_cmd)
    times: dict[str, list[float]] = {"import": [], "validate": []}
    for i in range(args.runs):
        order = ["import", "validate"] if i % 2 == 0 else ["validate", "import"]
        for which in order:
            elapsed, _ = fresh_import() if which == "import" else _timed(validate_cmd)
            times[which].append(elapsed)
    paired = statistics.median(i / v for i, v in zip(times["import"], times["validate"]))
    return {
        "generated": generated,
        "imported": {"events": report["events"], "versions": report["versions"], "fields": report["fields"], **report["counts"]},
        "import": _summary(times["import"]),
        "validate": _summary(times["validate"]),
        "paired_ratio": paired,
        "cpus": os.cpu_count(),
        "load": os.getloadavg(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schemas", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--max-ratio", type=float, default=None)
    args = parser.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        g, m = result["generated"], result["imported"]
        print(f"source: {g['schemas']} Iglu schemas ({g['names']} schemas with their SchemaVers)")
        print(f"result: {m['events']} events, {m['versions']} versions, {m['fields']} fields; {m['lost']} lost, {m['approximated']} approximated, {m['converted']} converted")
        print(f"{'':28}{'best':>10}{'median':>10}")
        for key, label in (("import", "clickgen import jsonschema"), ("validate", "clickgen validate (result)")):
            print(f"{label:28}{result[key]['best']:>9.3f}s{result[key]['median']:>9.3f}s")
        print(f"paired ratio import/validate: {result['paired_ratio']:.2f} (median of {args.runs} back-to-back pairs; load {result['load'][0]:.1f} on {result['cpus']} cpus)")
    if args.max_ratio is not None and result["paired_ratio"] > args.max_ratio:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
