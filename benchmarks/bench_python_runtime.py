"""Runtime cost of the generated Python langpack, as ratios measured in one run.

Constructing + validating + encoding one event of 15 fields (the fixture in
benchmarks/fixtures/fifteen-fields) with the generated code, against:
- baseline: a hand-written dict + json.dumps(sort_keys=True, separators=(",", ":"),
  ensure_ascii=False) of the same event (no validation at all);
- generic: validating the same dict with jsonschema (the event's JSON Schema from
  `clickgen schema`) + the same json.dumps.

Usage: python benchmarks/bench_python_runtime.py [--json]
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clickgen.build import build  # noqa: E402
from clickgen.export_schema import export  # noqa: E402
from clickgen.frontend import analyze_folder  # noqa: E402
from clickgen.plan import plan_build  # noqa: E402

FIXTURE = ROOT / "benchmarks" / "fixtures" / "fifteen-fields"


def best_per_call(function, number: int, repeat: int) -> float:
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--number", type=int, default=20000)
    args = parser.parse_args()

    analysis = analyze_folder(FIXTURE)
    assert analysis.ok, analysis.diagnostics
    out = Path(tempfile.mkdtemp(prefix="clickgen-bench-"))
    plans, _ = plan_build(analysis.reference, languages=("python",))
    build(analysis.reference, plans, out)
    sys.path.insert(0, str(out / "backend" / "python" / "src"))
    langpack = importlib.import_module("bench_backend")
    schema = export(analysis.reference)["backend/item_view.v1.schema.json"]

    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    client = langpack.Client(langpack.MemorySender(), request_id="0123456789abcdef0123456789abcdef")
    uid = "019abea7-ef1b-72f1-be80-c81d8426d39a"

    def generated() -> bytes:
        event = (
            langpack.ItemViewV1(
                user_id=42,
                item_id=1234567,
                category_id=24,
                price=1500.5,
                title="iPhone 13, 128 ГБ",
                platform=langpack.Platform.IOS,
                event_time_us=1764135268123456,
                event_uid=uid,
            )
            .set_latitude(55.7558)
            .set_query("iphone 13")
            .set_is_logged_in(True)
            .set_position(3)
            .set_region("Москва")
            .set_tags(["phone", "apple"])
            .set_photo_count(8)
            .set_currency(langpack.Currency.RUB)
        )
        return client.encode(event)

    def payload() -> dict[str, object]:
        return {
            "request_id": "0123456789abcdef0123456789abcdef",
            "user_id": 42,
            "item_id": 1234567,
            "category_id": 24,
            "price": 1500.5,
            "title": "iPhone 13, 128 ГБ",
            "platform": "ios",
            "latitude": 55.7558,
            "query": "iphone 13",
            "is_logged_in": True,
            "position": 3,
            "region": "Москва",
            "tags": ["phone", "apple"],
            "photo_count": 8,
            "currency": "rub",
            "event_id": 1,
            "event_version": 1,
            "source_id": 7,
            "event_time_us": 1764135268123456,
            "event_uid": uid,
            "langpack": langpack.LANGPACK_VERSION,
        }

    def baseline() -> bytes:
        return json.dumps(payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def generic() -> bytes:
        data = payload()
        validator.validate(data)
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    assert generated() == baseline(), (generated(), baseline())
    number = args.number
    # interleave the measurements so that machine noise hits all of them alike
    results = {"generated": [], "baseline": [], "jsonschema": []}
    for _ in range(5):
        results["baseline"].append(best_per_call(baseline, number, 1))
        results["generated"].append(best_per_call(generated, number, 1))
        results["jsonschema"].append(best_per_call(generic, max(1, number // 20), 1))
    best = {name: min(times) for name, times in results.items()}
    report = {
        "generated_us": best["generated"] * 1e6,
        "baseline_us": best["baseline"] * 1e6,
        "jsonschema_us": best["jsonschema"] * 1e6,
        "ratio_vs_dict_json_dumps": best["generated"] / best["baseline"],
        "ratio_vs_jsonschema": best["generated"] / best["jsonschema"],
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"generated langpack (construct+validate+encode): {report['generated_us']:8.2f} µs/event")
    print(f"dict + json.dumps (no validation):              {report['baseline_us']:8.2f} µs/event")
    print(f"dict + jsonschema validate + json.dumps:        {report['jsonschema_us']:8.2f} µs/event")
    print(f"ratio generated / dict+json.dumps: {report['ratio_vs_dict_json_dumps']:.2f}x (target <= 1.5x)")
    print(f"ratio generated / jsonschema:      {report['ratio_vs_jsonschema']:.3f}x")


if __name__ == "__main__":
    main()
