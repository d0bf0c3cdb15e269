"""Numbers on the wire are ECMAScript's Number::toString (RFC 8785 3.2.2.3), in every
encoder: clickgen/canonical_json.py (which makes the vectors) and the three langpacks,
checked against Node's JSON.stringify on a corpus made as RFC 8785's reference test
data is: random 64-bit patterns that are finite doubles, here 100,000 of them, plus
every power of two from 2^-1074 to 2^1023, the switch points of the format (1e21,
1e-7) and their neighbours, +-0, the largest and the smallest doubles.

The langpacks format the doubles through their public API: the doubles, 1,000 at a
time, are an unbounded number array (`amounts`) of an event of tests/fixtures/judges,
built and encoded by the judge processes (tests/judges/README.md).
"""

from __future__ import annotations

import json
import math
import random
import struct
import subprocess
from pathlib import Path

import pytest

from clickgen.canonical_json import format_number

from judges import report
from judges.farm import Farm, transport
from judges.langpacks import available_languages
from judges.others import NODE

HERE = Path(__file__).resolve().parent
RANDOM_DOUBLES = 100_000
CHUNK = 1_000


def _double(bits: int) -> float:
    return float(struct.unpack(">d", bits.to_bytes(8, "big"))[0])


def _bits(value: float) -> str:
    return struct.pack(">d", value).hex()


def corpus() -> list[float]:
    rng = random.Random(8785)
    doubles: list[float] = []
    while len(doubles) < RANDOM_DOUBLES:
        value = _double(rng.getrandbits(64))
        if math.isfinite(value):
            doubles.append(value)
    doubles += [2.0**e for e in range(-1074, 1024)]
    for switch in (1e21, 1e-7, 1e-6, 1e20, 2.0**53, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 0.1, 1e23, 9.007199254740993e15):
        below, above = math.nextafter(switch, 0), math.nextafter(switch, math.inf)
        doubles += [switch, below, above, -switch, -below, -above]
    doubles += [0.0, -0.0, 123456789012345680000.0, 0.000001, 4.35, 1 / 3, 2 / 3, 100.0, 1e-323]
    return [d for d in doubles if math.isfinite(d)]  # the neighbour above the largest double is infinity


@pytest.fixture(scope="module")
def doubles() -> list[float]:
    return corpus()


@pytest.fixture(scope="module")
def node_strings(doubles: list[float]) -> list[str]:
    if not NODE:
        pytest.skip("node is not installed (scripts/install-test-deps.sh)")
    done = subprocess.run([NODE, HERE / "judges" / "es6_numbers.cjs"], input=json.dumps([_bits(d) for d in doubles]), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    strings: list[str] = json.loads(done.stdout)
    assert len(strings) == len(doubles)
    return strings


def _mismatches(doubles: list[float], got: list[str], want: list[str]) -> list[str]:
    return [f"{d!r} (bits {_bits(d)}): {g!r}, Node {w!r}" for d, g, w in zip(doubles, got, want) if g != w]


def test_the_corpus_is_the_promised_one(doubles: list[float]) -> None:
    assert len(doubles) >= RANDOM_DOUBLES + 2098
    powers = {d for d in doubles if d > 0 and math.frexp(d)[0] == 0.5}
    assert {2.0**e for e in range(-1074, 1024)} <= powers
    assert {1e21, math.nextafter(1e21, 0), 1e-7, math.nextafter(1e-7, 1), -0.0, 5e-324, 1.7976931348623157e308} <= set(doubles)


def test_canonical_json_writes_every_double_as_node_does(doubles: list[float], node_strings: list[str]) -> None:
    got = [format_number(d) for d in doubles]
    wrong = _mismatches(doubles, got, node_strings)
    report.record("es6-numbers/canonical_json", f"{len(doubles)} doubles, {len(doubles) - len(wrong)} as Node writes them", doubles=len(doubles), wrong=len(wrong))
    assert not wrong, f"{len(wrong)} differ:\n" + "\n".join(wrong[:30])


def _langpack_strings(farm: Farm, language: str, doubles: list[float]) -> list[str]:
    """Each double as the langpack writes it inside `amounts` of a measure event."""
    run = farm.run("judges")
    judge = run.langpacks[("bounded", language)]
    vectors = run.vectors["bounded"]
    base = next(v for v in vectors["valid"] if v["event"] == "measure")
    cases = []
    for start in range(0, len(doubles), CHUNK):
        fields = {**base["fields"], "amounts": doubles[start : start + CHUNK]}
        cases.append({**{k: v for k, v in base.items() if k != "json"}, "fields": fields})
    out: list[str] = []
    for case, verdict in zip(cases, judge.judge([transport(c) for c in cases])):
        assert verdict.get("valid"), f"{language} refused finite doubles: {verdict}"
        line = bytes.fromhex(verdict["hex"]).decode("utf-8")
        array = line.split('"amounts":[', 1)[1].split("]", 1)[0]  # canonical: no spaces, numbers hold no , or ]
        out += array.split(",")
        assert len(out) % CHUNK == 0 or len(out) == len(doubles)
    return out


LANGUAGE_PARAMS = [
    pytest.param("python"),
    pytest.param("go"),
    pytest.param("php"),
]


@pytest.mark.parametrize("language", LANGUAGE_PARAMS)
def test_the_langpack_writes_every_double_as_node_does(judge_farm: Farm, doubles: list[float], node_strings: list[str], language: str) -> None:
    if language not in available_languages():
        pytest.skip(f"the {language} toolchain is not installed (scripts/install-toolchains.sh)")
    got = _langpack_strings(judge_farm, language, doubles)
    assert len(got) == len(doubles)
    wrong = _mismatches(doubles, got, node_strings)
    report.record(f"es6-numbers/{language}", f"{len(doubles)} doubles, {len(doubles) - len(wrong)} as Node writes them", doubles=len(doubles), wrong=len(wrong), first=wrong[:5])
    assert not wrong, f"{len(wrong)} differ:\n" + "\n".join(wrong[:30])
