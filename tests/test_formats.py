"""String formats (clickgen.formats, docs/formats.md): the one grammar per format.

Material nobody here wrote: every string case of the JSON Schema Test Suite's
draft 2020-12 `optional/format` files for our nine formats (installed from the
`jsonschema` sdist by scripts/install-test-deps.sh). The same patterns must mean the same
in Go RE2 and PHP PCRE, since the langpacks embed them as they are.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from clickgen import formats
from clickgen.build import build
from clickgen.checkplan import ScalarCheck
from clickgen.frontend import analyze_folder
from clickgen.ir import FieldType
from clickgen.plan import plan_build
from clickgen.targets.go.target import FORMATS as GO_FORMATS

from judges.edges import one_character_mutations

SUITE = Path(__file__).parent / "suites" / "json-schema-test-suite" / "draft2020-12" / "optional" / "format"

# Traps every judge must refuse, beyond the suite's cases.
TRAPS = [
    ("date-time", "2024-01-01T00:00:00Z\n"),
    ("date-time", "2024-02-30T00:00:00Z"),
    ("date-time", "2023-02-29T00:00:00Z"),
    ("date-time", "2024-01-01 00:00:00Z"),
    ("date", "2024-1-01"),
    ("date", "２０２４-01-01"),
    ("time", "23:59:60+00:01"),
    ("uuid", "0123456789ab-cdef-0123-4567-89abcdef0123"),
    ("uuid", "{01234567-89ab-cdef-0123-456789abcdef}"),
    ("email", "a@b@c"),
    ("email", "a" * 65 + "@example.com"),
    ("hostname", "example.com."),
    ("hostname", ".".join(["a" * 63] * 4)),
    ("ipv4", "01.2.3.4"),
    ("ipv4", "1.2.3.4\n"),
    ("ipv6", "fe80::1%eth0"),
    ("ipv6", "1::2::3"),
    ("uri", "http://exa mple.com"),
    ("uri", "http://example.com/ü"),
    ("uri", "http://[::1"),
]
VALID_EXTRAS = [
    ("date-time", "2024-02-29T23:59:60Z"),
    ("date", "2000-02-29"),
    ("uuid", "01234567-89AB-CDEF-0123-456789ABCDEF"),
    ("email", "\"a\\\"b\"@example.com"),
    ("hostname", ".".join(["a" * 63] * 3) + "." + "a" * 61),
    ("ipv6", "::ffff:192.0.2.1"),
    ("uri", "urn:isbn:0451450523"),
]


def suite_cases() -> list[tuple[str, str, bool, str]]:
    if not SUITE.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SUITE} is missing: scripts/install-test-deps.sh installs it")
        pytest.skip("the JSON Schema Test Suite is not installed (scripts/install-test-deps.sh)")
    cases = []
    for name in formats.FORMATS:
        for group in json.loads((SUITE / f"{name}.json").read_text("utf-8")):
            for test in group["tests"]:
                if isinstance(test["data"], str):
                    cases.append((name, test["data"], test["valid"], test["description"]))
    return cases


def test_every_format_agrees_with_the_json_schema_test_suite() -> None:
    cases = suite_cases()
    wrong = [(name, value, valid, why) for name, value, valid, why in cases if formats.matches(name, value) != valid]
    assert not wrong, wrong
    assert {name for name, *_ in cases} == set(formats.FORMATS)
    assert len(cases) >= 200, len(cases)


@pytest.mark.parametrize(("name", "value"), TRAPS)
def test_traps_are_refused(name: str, value: str) -> None:
    assert not formats.matches(name, value)


@pytest.mark.parametrize(("name", "value"), VALID_EXTRAS)
def test_edge_values_are_accepted(name: str, value: str) -> None:
    assert formats.matches(name, value)


def test_the_check_plan_applies_the_format() -> None:
    check = ScalarCheck(FieldType.STRING, format="date")
    assert check.reason("2024-02-29") is None
    assert check.reason("2023-02-29") == "must be a valid date"


GO_JUDGE = """package main

import (
\t"bufio"
\t"encoding/json"
\t"fmt"
\t"os"
\t"regexp"
)

func main() {
\tvar patterns map[string]string
\tif err := json.Unmarshal([]byte(os.Args[1]), &patterns); err != nil {
\t\tpanic(err)
\t}
\tcompiled := map[string]*regexp.Regexp{}
\tfor name, pattern := range patterns {
\t\tcompiled[name] = regexp.MustCompile("^(?:" + pattern + ")$")
\t}
\tscanner := bufio.NewScanner(os.Stdin)
\tfor scanner.Scan() {
\t\tvar c [2]string
\t\tif err := json.Unmarshal(scanner.Bytes(), &c); err != nil {
\t\t\tpanic(err)
\t\t}
\t\tfmt.Println(compiled[c[0]].MatchString(c[1]))
\t}
}
"""

PHP_JUDGE = r"""$patterns = json_decode($argv[1], true);
while (($line = fgets(STDIN)) !== false) {
    [$name, $value] = json_decode($line, true);
    $regex = '~\A(?:' . str_replace('~', '\~', $patterns[$name]) . ')\z~D';
    echo preg_match($regex, $value) === 1 ? "true\n" : "false\n";
}
"""


def _all_cases() -> list[tuple[str, str]]:
    return [(n, v) for n, v, _, _ in suite_cases()] + TRAPS + VALID_EXTRAS


def _verdicts(command: list[str], cases: list[tuple[str, str]], cwd: Path | None = None) -> list[bool]:
    text = "".join(json.dumps(case) + "\n" for case in cases)
    out = subprocess.run(command, input=text, capture_output=True, text=True, cwd=cwd, check=True, timeout=300).stdout.split()
    assert len(out) == len(cases)
    return [line == "true" for line in out]


def test_go_regexp_reads_every_pattern_as_python_does(tmp_path: Path) -> None:
    if shutil.which("go") is None:
        pytest.skip("go is not installed")
    (tmp_path / "main.go").write_text(GO_JUDGE)
    (tmp_path / "go.mod").write_text("module formatjudge\n\ngo 1.21\n")
    subprocess.run(["go", "build", "-o", "judge", "."], cwd=tmp_path, check=True, capture_output=True, timeout=300)
    cases = _all_cases()
    go = _verdicts([str(tmp_path / "judge"), json.dumps(formats.PATTERNS)], cases)
    python = [formats.compiled(name).fullmatch(value) is not None for name, value in cases]
    assert [c for c, a, b in zip(cases, go, python) if a != b] == []


def test_php_pcre_reads_every_pattern_as_python_does() -> None:
    if shutil.which("php") is None:
        pytest.skip("php is not installed")
    cases = _all_cases()
    php = _verdicts(["php", "-r", PHP_JUDGE, json.dumps(formats.PATTERNS)], cases)
    python = [formats.compiled(name).fullmatch(value) is not None for name, value in cases]
    assert [c for c, a, b in zip(cases, php, python) if a != b] == []


# Characters a mutation puts in or swaps in: separators, digits at the ranges' edges,
# letters of both cases, and what no format allows.
_MUTATIONS = "0159:.-+@[]\"ZzTtaFfgG /%#?\\\n é"


def _mutants(value: str) -> set[str]:
    """Every prefix, and every single deletion, insertion and substitution from _MUTATIONS."""
    return {value[:i] for i in range(len(value))} | one_character_mutations(value, _MUTATIONS)


def _scanner_cases() -> list[tuple[str, str]]:
    seeds = _all_cases() + [(n, v) for n, vs in formats.VALID_SAMPLES.items() for v in vs] + [(n, v) for n, vs in formats.INVALID_SAMPLES.items() for v in vs]
    cases = set(seeds)
    for name, value in seeds:
        if formats.matches(name, value):
            cases |= {(name, m) for m in _mutants(value)}
    for name in ("ipv6", "email"):  # "::" everywhere, an IPv4 tail, groups counted
        for groups in range(10):
            for gap in range(groups + 1):
                parts = [f"{g:x}" for g in range(1, groups + 1)]
                elided = ":".join(parts[:gap]) + "::" + ":".join(parts[gap:])
                for text in (":".join(parts), elided, ":".join(parts) + ":1.2.3.4", elided + ("" if elided.endswith(":") else ":") + "1.2.3.4"):
                    cases.add((name, text if name == "ipv6" else f"a@[IPv6:{text}]"))
    return sorted(cases)


GO_SCANNER_MAIN = """package main

import (
\t"bufio"
\t"encoding/json"
\t"fmt"
\t"os"
)

func main() {
\tchecks := map[string]func(string) bool{
%s
\t}
\tscanner := bufio.NewScanner(os.Stdin)
\tscanner.Buffer(make([]byte, 1<<20), 1<<20)
\tfor scanner.Scan() {
\t\tvar c [2]string
\t\tif err := json.Unmarshal(scanner.Bytes(), &c); err != nil {
\t\t\tpanic(err)
\t\t}
\t\tfmt.Println(checks[c[0]](c[1]))
\t}
}
"""


def test_the_go_langpacks_format_scanners_judge_as_the_grammar(tmp_path: Path) -> None:
    """The Go langpack reads most formats with hand-written scanners, not the grammar:
    they must give the grammar's verdict on every suite case, trap and sample, and on
    every one-character mutation of the valid ones (tens of thousands of strings)."""
    if shutil.which("go") is None:
        pytest.skip("go is not installed")
    langpack = tmp_path / "langpack"
    langpack.mkdir()
    (langpack / "go.mod").write_text("module formatscanners\n\ngo 1.21\n")
    reference = Path(__file__).parent / "cases" / "wire-keys-formats" / "reference"
    analysis = analyze_folder(reference)
    plans, _ = plan_build(analysis.reference, environments=("web",), languages=("go",))
    build(analysis.reference, plans, tmp_path / "out")
    source = (tmp_path / "out" / plans[0].folder / "formats.go").read_text()
    assert all(f"func {f.function}(" in source for f in GO_FORMATS.values()), "the fixture no longer uses every format"
    package_line = next(line for line in source.splitlines() if line.startswith("package "))
    (langpack / "formats.go").write_text(source.replace(package_line, "package main", 1))
    (langpack / "main.go").write_text(GO_SCANNER_MAIN % "\n".join(f'\t\t"{name}": {f.function},' for name, f in GO_FORMATS.items()))
    subprocess.run(["go", "build", "-o", "judge", "."], cwd=langpack, check=True, capture_output=True, timeout=300)
    cases = _scanner_cases()
    assert len(cases) > 20_000
    go = _verdicts([str(langpack / "judge")], cases)
    python = [formats.matches(name, value) for name, value in cases]
    assert sum(python) > 2_000
    assert [c for c, a, b in zip(cases, go, python) if a != b] == []
