"""The generated PHP langpacks, checked by the real tools: `php -l` on every file, the
langpacks' own PHPUnit 9 suites (run with the system `phpunit`, offline), composer's
validation, and the pieces most likely to drift from the Python reference
implementation compared directly: canonical JSON of random values, and the regular
expressions as PHP runs them against `clickgen.contract`.

References: the example, the shared hostile-names case, tests/fixtures/hostile-php
(names PHP reserves, names that meet the langpack's API, patterns PCRE reads differently)
the edge-contracts case (contracts the generators got wrong once) and the wire-keys-formats
case (keys that are not identifiers, every string format).
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from clickgen import canonical_json, iregexp
from clickgen.build import build, generate_langpack, targets
from clickgen.checkplan import NOT_UNICODE, is_integer, plan_field
from clickgen.contract import compiled_pattern
from clickgen.frontend import analyze_folder
from clickgen.ir import FieldType, FieldUse
from clickgen.plan import plan_build
from clickgen.targets.php import naming
from clickgen.targets.php import target as php_target
from clickgen.targets.text import php_string

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = {
    "example": ROOT / "examples" / "reference",
    "hostile-names": ROOT / "tests" / "cases" / "hostile-names" / "reference",
    "hostile-php": ROOT / "tests" / "fixtures" / "hostile-php",
    "edge-contracts": ROOT / "tests" / "cases" / "edge-contracts" / "reference",
    "wire-keys-formats": ROOT / "tests" / "cases" / "wire-keys-formats" / "reference",
    "objects": ROOT / "tests" / "fixtures" / "objects",
}
PHP = shutil.which("php")
PHPUNIT = shutil.which("phpunit")
WORKERS = max(2, os.cpu_count() or 2)

needs_php = pytest.mark.skipif(PHP is None, reason="php is not installed (scripts/install-toolchains.sh installs it)")
needs_phpunit = pytest.mark.skipif(
    PHP is None or PHPUNIT is None, reason="php and phpunit are not installed (scripts/install-toolchains.sh installs them)"
)


def build_php(reference_root: Path, out: Path) -> list[Path]:
    analysis = analyze_folder(reference_root)
    assert analysis.ok, analysis.diagnostics
    plans, problems = plan_build(analysis.reference, languages=("php",))
    assert not problems
    assert plans, f"{reference_root} has no PHP langpack"
    build(analysis.reference, plans, out)
    return [out / plan.folder for plan in plans]


@pytest.fixture(scope="module")
def langpacks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    built = {}
    for name, root in REFERENCES.items():
        if root.is_dir():
            built[name] = build_php(root, tmp_path_factory.mktemp(name))
    return built


def run(command: list[object], cwd: Path | None = None, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def phpunit(langpack: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run([PHPUNIT, "--colors=never", *args], cwd=langpack)


def test_the_php_target_is_registered() -> None:
    assert "php" in targets()


def test_the_langpack_has_the_promised_shape(langpacks: dict[str, list[Path]]) -> None:
    website = next(p for p in langpacks["example"] if p.parent.name == "website")
    composer = json.loads((website / "composer.json").read_text("utf-8"))
    assert composer["name"] == "mkt/marketplace-website"
    assert composer["require"] == {"php": ">=8.1"}
    assert composer["autoload"] == {"psr-4": {"Mkt\\Clickstream\\Website\\": "src/"}}
    assert composer["autoload-dev"] == {"psr-4": {"Mkt\\Clickstream\\Website\\Tests\\": "tests/"}}
    assert (website / "phpunit.xml.dist").is_file() and (website / "tests" / "bootstrap.php").is_file()
    for name in ("Client", "Event", "Json", "Langpack", "ValidationException", "SenderInterface", "MemorySender", "StreamSender", "HttpBatchSender"):
        assert (website / "src" / f"{name}.php").is_file(), name
    assert (website / "tests" / "vectors.json").read_bytes() == (website.parent / "vectors.json").read_bytes()
    for group in langpacks.values():
        for langpack in group:
            for path in langpack.rglob("*.php"):
                text = path.read_text("utf-8")
                assert text.startswith("<?php\n\n/**\n"), path
                assert "\ndeclare(strict_types=1);\n" in text, path
                assert "\t" not in text and not any(line != line.rstrip() for line in text.splitlines()), f"{path}: tabs or trailing spaces"


def test_generation_is_deterministic() -> None:
    analysis = analyze_folder(REFERENCES["hostile-php"])
    plans, _ = plan_build(analysis.reference, languages=("php",))
    target = targets()["php"]
    for plan in plans:
        assert generate_langpack(analysis.reference, plan, target) == generate_langpack(analysis.reference, plan, target)


@needs_php
def test_every_generated_file_passes_php_lint(langpacks: dict[str, list[Path]]) -> None:
    files = [path for group in langpacks.values() for langpack in group for path in sorted(langpack.rglob("*.php"))]
    assert len(files) > 100
    with ThreadPoolExecutor(WORKERS) as pool:
        # -n: no ini files, no extensions; compiling needs none and starts 3x faster
        results = list(pool.map(lambda path: (path, run([PHP, "-n", "-l", path])), files))
    failed = [f"{path}: {result.stdout}{result.stderr}" for path, result in results if result.returncode != 0]
    assert not failed, "\n".join(failed)


@needs_phpunit
@pytest.mark.parametrize("ini", [(), ("-d", "serialize_precision=17")], ids=["default", "serialize17"])
@pytest.mark.parametrize("reference", list(REFERENCES))
def test_the_generated_phpunit_suites_pass(langpacks: dict[str, list[Path]], reference: str, ini: tuple[str, ...]) -> None:
    """With serialize_precision other than -1, json_encode() writes no double as RFC 8785
    does: every double, and every object that holds one, takes the langpack's own writer
    (encode()), and the vectors still come out byte for byte."""
    if reference not in langpacks:
        pytest.skip(f"{REFERENCES[reference]} does not exist")
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda langpack: run([PHP, *ini, PHPUNIT, "--colors=never"], cwd=langpack), langpacks[reference]))
    for langpack, result in zip(langpacks[reference], results):
        assert result.returncode == 0, f"{langpack}:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
        assert "OK (" in result.stdout or "OK, but" in result.stdout, result.stdout[-2000:]


@needs_phpunit
def test_a_wrong_vector_makes_the_generated_tests_fail(langpacks: dict[str, list[Path]], tmp_path: Path) -> None:
    original = next(p for p in langpacks["example"] if p.parent.name == "website")
    langpack = tmp_path / "website"
    shutil.copytree(original, langpack)
    vectors = json.loads((langpack / "tests" / "vectors.json").read_text("utf-8"))
    # a valid vector whose bytes differ by one digit, an invalid one that names the wrong reason
    vectors["valid"][3]["json"] = vectors["valid"][3]["json"].replace('"source_id":10', '"source_id":11')
    broken = next(v for v in vectors["invalid"] if v["reason"] == "maximum")
    broken["reason"] = "minimum"
    (langpack / "tests" / "vectors.json").write_text(json.dumps(vectors, ensure_ascii=False), "utf-8")
    result = phpunit(langpack, "--filter", "VectorsTest")
    assert result.returncode != 0
    assert 'testValidVectorEncodesToTheExactBytes with data set "#3 ' in result.stdout, result.stdout[-3000:]
    assert "testInvalidVectorIsRefused with data set" in result.stdout, result.stdout[-3000:]
    assert '"source_id":11' in result.stdout and "'minimum'" in result.stdout


def _langpack_with_runtime(langpacks: dict[str, list[Path]]) -> tuple[Path, str]:
    website = next(p for p in langpacks["example"] if p.parent.name == "website")
    return website, naming.namespace("Mkt\\Clickstream", "website")


def random_doubles(rng: random.Random, count: int, limit: float = float("inf")) -> list[float]:
    """Edge doubles, random bit patterns (every exponent) and random decimals of every size."""
    numbers = [0.0, -0.0, 5e-324, -5e-324, 1.7976931348623157e308, 1e21, 1e-7, 1e16, 1e17, 1e14, 99999999999999.98, 123e-20, 0.1 + 0.2]
    while len(numbers) < count:
        value = struct.unpack(">d", rng.getrandbits(64).to_bytes(8, "big"))[0]
        if value == value and abs(value) != float("inf"):
            numbers.append(value)
    for exponent in range(-30, 30):
        numbers += [rng.uniform(1, 10) * 10.0**exponent, float(rng.randint(-(10**17), 10**17)) * 10.0**exponent]
        numbers += [round(rng.uniform(-1000, 1000), rng.randint(0, 8)) * 10.0**exponent]
    return [v for v in numbers if abs(v) <= limit]


def php_script(lines: list[str], tmp_path: Path, data: object, options: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    (tmp_path / "input.json").write_text(json.dumps(data), "utf-8")
    script = f"$input = json_decode(file_get_contents({json.dumps(str(tmp_path / 'input.json'))}), true, 512, JSON_THROW_ON_ERROR);\n"
    return run([PHP, *options, "-r", script + "\n".join(lines)])


@needs_php
def test_canonical_json_of_random_values_matches_the_reference_encoder(langpacks: dict[str, list[Path]], tmp_path: Path) -> None:
    langpack, namespace = _langpack_with_runtime(langpacks)
    rng = random.Random(8785)
    numbers = random_doubles(rng, 4000)
    alphabet = [chr(c) for c in range(0, 0x80)] + ["é", "Ж", "名", "👋", "\u2028", "\u2029", "\u0085", "\ufeff", "\U0010ffff"]
    strings = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(1000)]
    result = php_script(
        [
            f"require {json.dumps(str(langpack / 'tests' / 'bootstrap.php'))};",
            f"$json = '{namespace}\\\\Json';",
            "foreach ($input['numbers'] as $hex) {",
            "    $value = unpack('E', hex2bin($hex))[1];",
            "    echo $json::encode(['v' => $value, 'w' => [$value, 1]], ['v', 'w'], 'e'), \"\\n\";",
            "}",
            "foreach ($input['strings'] as $text) {",
            "    echo $json::encode(['s' => $text], [], 'e'), \"\\n\";",
            "}",
        ],
        tmp_path,
        {"numbers": [struct.pack(">d", v).hex() for v in numbers], "strings": strings},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")[:-1]
    expected = [canonical_json.encode({"v": v, "w": [v, 1]}) for v in numbers] + [canonical_json.encode({"s": s}) for s in strings]
    mismatches = [(e, a) for e, a in zip(expected, lines) if e != a]
    assert len(lines) == len(expected)
    assert not mismatches, mismatches[:10]


def hard_doubles(rng: random.Random, count: int) -> list[float]:
    """Doubles whose ECMAScript digits are easy to get wrong: every power of two (next
    to one the doubles below are closer than those above), powers of ten and their
    neighbours, the switch points of the layout (1e21, 1e-6, 1e-7), subnormals, the
    largest and smallest doubles, then random bit patterns up to count."""

    def around(value: float, steps: int = 2) -> list[float]:
        out = [value]
        for direction in (math.inf, -math.inf):
            current = value
            for _ in range(steps):
                current = math.nextafter(current, direction)
                out.append(current)
        return out

    numbers = [math.ldexp(1.0, exponent) for exponent in range(-1074, 1024)]
    numbers += [-v for v in numbers[::7]]
    for exponent in range(-323, 309):
        numbers += around(float(f"1e{exponent}"), 1)
    for switch in (1e21, 1e-6, 1e-7, 1e20, 1e16, 1e17, 9007199254740992.0, 0.1, 0.5):
        numbers += around(switch, 4) + [-v for v in around(switch, 1)]
    smallest_normal = sys.float_info.min
    numbers += around(5e-324, 3) + around(smallest_normal, 3) + around(sys.float_info.max, 3) + [-sys.float_info.max]
    numbers += [struct.unpack(">d", rng.getrandbits(52).to_bytes(8, "big"))[0] for _ in range(2000)]  # subnormals
    numbers = [v for v in numbers if math.isfinite(v) and v != 0]
    while len(numbers) < count:
        value = struct.unpack(">d", rng.getrandbits(64).to_bytes(8, "big"))[0]
        if math.isfinite(value) and value != 0:
            numbers.append(value)
    return numbers


@needs_php
def test_json_number_writes_what_ecmascript_writes_for_100000_hard_doubles(langpacks: dict[str, list[Path]], tmp_path: Path) -> None:
    """Json::number (the encoder's own formatting, for every double json_encode() does
    not write canonically) and Json::encode (which picks json_encode() or it) against the
    reference formatter, in one php process."""
    langpack, namespace = _langpack_with_runtime(langpacks)
    numbers = hard_doubles(random.Random(1074), 100_000)
    assert len(numbers) >= 100_000
    (tmp_path / "doubles.txt").write_text("".join(struct.pack(">d", v).hex() + "\n" for v in numbers), "utf-8")
    script = f"""
require {json.dumps(str(langpack / 'tests' / 'bootstrap.php'))};
$json = '{namespace}\\Json';
foreach (file({json.dumps(str(tmp_path / 'doubles.txt'))}, FILE_IGNORE_NEW_LINES) as $hex) {{
    $value = unpack('E', hex2bin($hex))[1];
    echo $json::number($value), ' ', $json::encode(['v' => $value], ['v'], 'e'), "\n";
}}
"""
    result = run([PHP, "-r", script], timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    written = result.stdout.split("\n")[:-1]
    assert len(written) == len(numbers)
    expected = [canonical_json.format_number(v) for v in numbers]
    mismatches = [(v.hex(), e, text) for v, e, text in zip(numbers, expected, written) if text != f'{e} {{"v":{e}}}']
    assert not mismatches, f"{len(mismatches)} doubles written wrong, e.g. {mismatches[:5]}"


@needs_php
@pytest.mark.parametrize("ini", [[], ["-d", "precision=17"], ["-d", "precision=-1"], ["-d", "serialize_precision=17"]], ids=["default", "precision17", "precision-1", "serialize17"])
def test_events_write_random_doubles_as_the_reference_does(langpacks: dict[str, list[Path]], tmp_path: Path, ini: list[str]) -> None:
    """Through the events' own encoder: a double field (`print` of hostile-php, within
    +-1e300) and a list of doubles (`range` of hostile-names), whatever the ini settings."""
    if "hostile-names" not in langpacks:
        pytest.skip("tests/cases/hostile-names does not exist")
    listing = next(p for p in langpacks["hostile-php"] if p.parent.name == "list")
    class_app = next(p for p in langpacks["hostile-names"] if p.parent.name == "class-app")
    numbers = random_doubles(random.Random(2028), 1500, limit=1e300)
    result = php_script(
        [
            f"require {json.dumps(str(listing / 'tests' / 'bootstrap.php'))};",
            f"require {json.dumps(str(class_app / 'tests' / 'bootstrap.php'))};",
            "$one = new Hostile\\Php\\List\\Client(new Hostile\\Php\\List\\MemorySender(), 'web');",
            "$two = new Hostile\\Clickstream\\ClassApp\\Client(new Hostile\\Clickstream\\ClassApp\\MemorySender(), Hostile\\Clickstream\\ClassApp\\None::from('nil'));",
            "foreach ($input as $hex) {",
            "    $value = unpack('E', hex2bin($hex))[1];",
            "    echo $one->encode((new Hostile\\Php\\List\\FnV2('me', 1, '12'))->setPrint($value)), \"\\n\";",
            "    echo $two->encode((new Hostile\\Clickstream\\ClassApp\\SendV1('e'))->setRange([$value, 1, $value])), \"\\n\";",
            "}",
        ],
        tmp_path,
        [struct.pack(">d", v).hex() for v in numbers],
        tuple(ini),
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    lines = result.stdout.split("\n")[:-1]
    assert len(lines) == 2 * len(numbers)
    mismatches = []
    for value, single, listed in zip(numbers, lines[0::2], lines[1::2]):
        text = canonical_json.format_number(value)
        if f'"print":{text},' not in single or f'"range":[{text},1,{text}],' not in listed:
            mismatches.append((value, text, single, listed))
    assert not mismatches, mismatches[:5]


@needs_php
def test_invalid_utf8_is_refused_naming_the_field(langpacks: dict[str, list[Path]], tmp_path: Path) -> None:
    listing = next(p for p in langpacks["hostile-php"] if p.parent.name == "list")
    result = php_script(
        [
            f"require {json.dumps(str(listing / 'tests' / 'bootstrap.php'))};",
            "use Hostile\\Php\\List as L;",
            "$client = new L\\Client(new L\\MemorySender(), 'web');",
            "foreach ([fn () => $client->encode((new L\\FnV2('me', 1, '12'))->setPath(\"ab\\xFFc\")),",
            "          fn () => $client->encode((new L\\FnV2('me', 1, '12'))->setAsciiWords(['ok', \"b\\xFFd\"])),",
            "          fn () => new L\\Client(new L\\MemorySender(), \"w\\xC3\")] as $attempt) {",
            "    try { $attempt(); echo \"accepted\\n\"; }",
            "    catch (L\\ValidationException $e) {",
            "        echo $e->getEvent(), '|', $e->getField(), '|', $e->getReason(), '|', (int) str_contains($e->getMessage(), " + php_string(NOT_UNICODE) + "), \"\\n\";",
            "    }",
            "}",
        ],
        tmp_path,
        None,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # the check plan's words for text that is not UTF-8
    assert result.stdout.splitlines() == ["fn|path|utf8|1", "fn|ascii_words|pattern|0", "|sender|utf8|1"]


@needs_php
def test_invalid_utf8_inside_objects_is_refused_naming_its_path(langpacks: dict[str, list[Path]], tmp_path: Path) -> None:
    """Strings of objects are not checked one by one on the way out: json_encode() refuses
    the document, and the error still names the field and the path, at any depth, as
    validate() does, whether the objects take json_encode() or encode() (a double that
    json_encode() does not write as ECMAScript does)."""
    web = next(p for p in langpacks["objects"] if p.parent.name == "web")
    result = php_script(
        [
            f"require {json.dumps(str(web / 'tests' / 'bootstrap.php'))};",
            "use Objects\\Clickstream\\Web as L;",
            "$client = new L\\Client(new L\\MemorySender());",
            "$deep = static fn (string $note, float $price): L\\CheckoutV2 => (new L\\CheckoutV2([new L\\CartLine(1, new L\\Money($price))]))",
            "    ->setLevelOne(new L\\LevelOne((new L\\LevelTwo())->setLevelThrees([",
            "        new L\\LevelThree(new L\\LevelFour(1)),",
            "        new L\\LevelThree((new L\\LevelFour(2))->setNote($note)),",
            "    ])));",
            "$tags = static fn (array $tags): L\\CheckoutV2 => (new L\\CheckoutV2([new L\\CartLine(1, new L\\Money(1.5))]))",
            "    ->setLevelOne(new L\\LevelOne((new L\\LevelTwo())->setTags($tags)));",
            "$sku = static fn (string $sku): L\\CheckoutV2 => new L\\CheckoutV2([new L\\CartLine(1, new L\\Money(1.5)), (new L\\CartLine(2, new L\\Money(2.5)))->setSku($sku)]);",
            "foreach ([$deep(\"a\\xFFb\", 1.5), $deep(\"a\\xFFb\", 1e-7), $tags(['ok', \"b\\xC3\"]), $sku(\"AB\\xFF12\"), $deep('fine', 1e-7)] as $event) {",
            "    foreach (['encode' => fn () => $client->encode($event), 'validate' => fn () => $event->validate()] as $how => $attempt) {",
            "        try { $attempt(); echo $how, \" accepted\\n\"; }",
            "        catch (L\\ValidationException $e) { echo $how, ' ', $e->getField(), '|', $e->getReason(), '|', $e->getPath(), \"\\n\"; }",
            "    }",
            "}",
        ],
        tmp_path,
        None,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    deep = "level_one|utf8|level_one.level_two.level_threes[1].level_four.note"
    assert result.stdout.splitlines() == [
        f"encode {deep}",
        f"validate {deep}",
        f"encode {deep}",
        f"validate {deep}",
        "encode level_one|utf8|level_one.level_two.tags",
        "validate level_one|utf8|level_one.level_two.tags",
        "encode cart_lines|utf8|cart_lines[1].sku",
        "validate cart_lines|utf8|cart_lines[1].sku",
        "encode accepted",
        "validate accepted",
    ]


LITERALS_REFERENCE = {
    "clickgen.yaml": "name: literals\nphp: {vendor: literals, namespace_prefix: 'Literals'}\nwaivers: []\n",
    "environments/web.yaml": (
        "name: web\nsource_id: 1\ndescription: The web.\nowner: team\ncollector: http://127.0.0.1:9/v1/events\n"
        "common_fields: {}\nlangpacks: [php]\ngenerations: [1]\n"
    ),
    "fields/members.yaml": """
m_a: {type: integer, key: a, description: First on the wire.}
m_b: {type: number, key: b, minimum: 0, description: Second.}
m_c: {type: number, key: c, description: Third.}
m_d: {type: string, key: d, description: Fourth.}
m_e: {type: boolean, key: e, description: Last.}
two_between:
  type: object
  description: Two optional members between required ones, one after them.
  properties: {m_a: optional, m_b: required, m_c: optional, m_d: required, m_e: optional}
three_between:
  type: object
  description: Three optional members before the last required one, one after it.
  properties: {m_a: optional, m_b: optional, m_c: optional, m_d: required, m_e: optional}
""",
    "events/holder.yaml": (
        "event: holder\nid: 1\nowner: team\ndescription: Holds the objects.\nenvironments: [web]\n"
        "versions:\n  1:\n    fields:\n      two_between: required\n      three_between: required\n"
    ),
}


@needs_php
def test_objects_write_every_combination_of_optional_members_in_canonical_order(tmp_path: Path) -> None:
    """wireArray() takes one array literal per combination of the optional members
    between required ones (two here), or adds them one by one (three): every
    combination, -0.0 among the doubles, comes out in canonical order with opcache on."""
    root = tmp_path / "reference"
    for name, text in LITERALS_REFERENCE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    [langpack] = build_php(root, tmp_path / "out")
    values = {"m_a": 7, "m_b": -0.0, "m_c": -0.0, "m_d": "d", "m_e": True}
    cases = []
    for two in range(8):
        for three in range(16):
            first = {m: values[m] for i, m in enumerate(("m_a", "m_c", "m_e")) if two >> i & 1}
            second = {m: values[m] for i, m in enumerate(("m_a", "m_b", "m_c", "m_e")) if three >> i & 1}
            cases.append({"two": first, "three": second})
    setters = {m: naming.setter(m) for m in values}
    result = php_script(
        [
            f"require {json.dumps(str(langpack / 'tests' / 'bootstrap.php'))};",
            "use Literals\\Web as L;",
            "$client = new L\\Client(new L\\MemorySender());",
            "foreach ($input['cases'] as $case) {",
            "    $two = new L\\TwoBetween(-0.0, 'd');",
            "    $three = new L\\ThreeBetween('d');",
            "    foreach ($case['two'] as $member => $value) { $two->{$input['setters'][$member]}($value); }",
            "    foreach ($case['three'] as $member => $value) { $three->{$input['setters'][$member]}($value); }",
            "    echo $client->encode((new L\\HolderV1($two, $three))->setEventUid('019abea7-ef1b-72f1-be80-c81d8426d39a')), \"\\n\";",
            "}",
        ],
        tmp_path,
        {"setters": setters, "cases": cases},
        # opcache optimizes only files older than file_update_protection (2 s by default)
        ("-d", "opcache.enable_cli=1", "-d", "opcache.file_update_protection=0"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(cases)
    wire = {"m_a": "a", "m_b": "b", "m_c": "c", "m_d": "d", "m_e": "e"}
    for line, case in zip(lines, cases):
        payload = json.loads(line)
        assert line == canonical_json.encode(payload), line
        assert payload["two_between"] == {wire[m]: v for m, v in {**case["two"], "m_b": 0, "m_d": "d"}.items()}
        assert payload["three_between"] == {wire[m]: v for m, v in {**case["three"], "m_d": "d"}.items()}
        assert ":-0" not in line  # -0.0 is written 0 (opcache's optimizer drops `+ 0.0`)


NESTED_LISTS_REFERENCE = {
    "clickgen.yaml": "name: nested\nphp: {vendor: nested, namespace_prefix: 'Nested'}\nwaivers: []\n",
    "environments/web.yaml": (
        "name: web\nsource_id: 1\ndescription: The web.\nowner: team\ncollector: http://127.0.0.1:9/v1/events\n"
        "common_fields: {}\nlangpacks: [php]\ngenerations: [1]\n"
    ),
    "fields/order.yaml": """
price: {type: number, minimum: 0, description: A price.}
line: {type: object, description: A line., properties: {price: required}}
lines: {type: array, items: line, description: The lines.}
order: {type: object, description: An order., properties: {lines: required}}
""",
    "events/placed.yaml": (
        "event: placed\nid: 1\nowner: team\ndescription: An order placed.\nenvironments: [web]\n"
        "versions:\n  1:\n    fields:\n      order: required\n      lines: required\n"
    ),
}


@needs_php
@pytest.mark.parametrize("ini", [[], ["-d", "serialize_precision=17"]], ids=["default", "serialize17"])
def test_arrays_of_objects_json_encode_cannot_write_take_encode(tmp_path: Path, ini: list[str]) -> None:
    """A double json_encode() does not write as ECMAScript does (1e-7), or any double
    when serialize_precision is not -1, sends a list of objects to each object's encode(),
    also inside an object (its encode() writes its own list): the bytes stay canonical."""
    root = tmp_path / "reference"
    for name, text in NESTED_LISTS_REFERENCE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    [langpack] = build_php(root, tmp_path / "out")
    prices = [[1.5, 2.25], [1e-7, 2.5], [0.1, 1e21], [3.0]]
    result = php_script(
        [
            f"require {json.dumps(str(langpack / 'tests' / 'bootstrap.php'))};",
            "use Nested\\Web as L;",
            "$client = new L\\Client(new L\\MemorySender());",
            "foreach ($input as $prices) {",
            "    $lines = array_map(static fn (float $price): L\\Line => new L\\Line($price), $prices);",
            "    $event = (new L\\PlacedV1(new L\\Order($lines), $lines))->setEventUid('019abea7-ef1b-72f1-be80-c81d8426d39a');",
            "    echo $client->encode($event), \"\\n\";",
            "}",
        ],
        tmp_path,
        prices,
        ("-d", "opcache.enable_cli=1", "-d", "opcache.file_update_protection=0", *ini),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(prices)
    for line, listed in zip(lines, prices):
        payload = json.loads(line)
        assert line == canonical_json.encode(payload), line
        expected = [{"price": price} for price in listed]
        assert payload["lines"] == expected and payload["order"] == {"lines": expected}


# Patterns whose meaning PCRE's UTF-8 mode would change, or whose syntax is Python's own.
REGEX_PATTERNS = [
    r"\d+", r"\D+", r"\w+", r"\W", r"\s", r"\S+", r"[\d\s]+", r"[^\w]+", r"[\W]", r"[^\D]", r"[\w-]+",
    r"\bgo\b.*", r".*\Bo\B.*", r"a{,2}", r"a{,}", r"x{2,}", r"\u00e9+", r"\U0001F44B", r"\N{LATIN SMALL LETTER E WITH ACUTE}",
    r"[\b]", r"\v", r".", r"(?s).", r"a$", r"[]a]+", r"[^]a]", r"~", r"[~/]+", r"\~/", r"/\d/",
    r"[а-я]+", r".{3}", r"(?m)^a$", r"\x41", r"\0", r"(?P<name>a)b", r"\A\d", r"[^\s\d]", r"(?i)[a-c]+",
    # I-Regexp (the ones above are released patterns kept as written under a CG0216 waiver)
    r"\p{L}+", r"[^\p{Nd}]", r"\P{L}", "a.b", ".", "👋|[é-ж]+", r"[\^$~/]+", r"\p{Zs}", "[a-c]{0,2}",
]
REGEX_SUBJECTS = [
    "", "a", "aa", "aaa", "1", "12", "٣", "é", "éé", "word", "go", "go on", "gopher", "é go", " ", "\t", "\u2003", "\u00a0", "\n",
    "a\n", "~", "~/", "/1/", "/٣/", "\x0b", "\x08", "\x00", "]", "[", "]a", "abc", "ABC", "ёж", "a b", "xé", "xx", "xxx", "👋",
    "-", "a-b", "foo", "ab", "A", "\x1c", "\u2028", "_", "x",
]


@needs_php
def test_patterns_mean_in_php_what_they_mean_in_the_contract(tmp_path: Path) -> None:
    patterns = list(REGEX_PATTERNS)
    for root in REFERENCES.values():
        if root.is_dir():
            analysis = analyze_folder(root)
            patterns += sorted({f.pattern for f in analysis.reference.fields.values() if f.pattern is not None})
    subjects = list(REGEX_SUBJECTS)
    pcre = [iregexp.for_targets(p).to_pcre() for p in patterns]  # as the PHP target writes them
    (tmp_path / "input.json").write_text(json.dumps({"patterns": pcre, "subjects": subjects}), "utf-8")
    script = f"""
$input = json_decode(file_get_contents({json.dumps(str(tmp_path / 'input.json'))}), true, 512, JSON_THROW_ON_ERROR);
$out = [];
foreach ($input['patterns'] as $pattern) {{
    $row = [];
    foreach ($input['subjects'] as $subject) {{
        $found = preg_match($pattern, $subject);
        $row[] = $found === false ? 'error: ' . preg_last_error_msg() : $found;
    }}
    $out[] = $row;
}}
echo json_encode($out);
"""
    result = run([PHP, "-r", script])
    assert result.returncode == 0, result.stdout + result.stderr
    matrix = json.loads(result.stdout)
    differences = []
    for pattern, row in zip(patterns, matrix):
        compiled = compiled_pattern(pattern)
        for subject, found in zip(subjects, row):
            expected = 1 if compiled.fullmatch(subject) else 0
            if found != expected:
                differences.append(f"{pattern!r} on {subject!r}: contract {expected}, PHP {found} (PCRE {iregexp.for_targets(pattern).to_pcre()!r})")
    assert not differences, "\n".join(differences[:20])


@needs_php
def test_the_generated_benchmark_runs_and_reports_the_ratio(langpacks: dict[str, list[Path]]) -> None:
    """A smoke run of tests/benchmark.php; benchmarks/bench_php_encode.py makes the real measurement."""
    langpack = next(p for p in langpacks["example"] if p.parent.name == "website")
    result = run([PHP, "tests/benchmark.php", "2000", "3"], cwd=langpack)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["keys"] >= 15
    assert 0 < report["ratio"] < 10, report


@pytest.mark.skipif(shutil.which("phpcs") is None, reason="phpcs is not installed (scripts/install-toolchains.sh installs php-codesniffer)")
def test_the_generated_code_follows_psr12(langpacks: dict[str, list[Path]]) -> None:
    """No PSR-12 errors; warnings (lines over 120 columns) are allowed for long string literals only."""
    folders = [str(p) for group in langpacks.values() for p in group]
    result = run(["phpcs", "--standard=PSR12", "--report=json", "--extensions=php", f"--parallel={WORKERS}", *folders])
    report = json.loads(result.stdout)
    problems = []
    for path, found in report["files"].items():
        lines = Path(path).read_text("utf-8").splitlines()
        for message in found["messages"]:
            line = lines[message["line"] - 1]
            literal = "'" in line or '"' in line
            if message["type"] == "ERROR" or not (message["source"].endswith("LineLength.TooLong") and literal):
                problems.append(f"{path}:{message['line']}: {message['message']}\n    {line.strip()}")
    assert not problems, "\n".join(problems[:30])


@pytest.mark.skipif(shutil.which("composer") is None, reason="composer is not installed (scripts/install-toolchains.sh installs it)")
def test_composer_accepts_the_package(langpacks: dict[str, list[Path]]) -> None:
    for group in langpacks.values():
        langpack = group[0]
        result = run(["composer", "validate", "--no-check-publish", "--no-check-lock", "--no-interaction"], cwd=langpack)
        assert result.returncode == 0, result.stdout + result.stderr


# appended to the agreement fixture's numbers: integer bounds on a number, which the
# check plan holds (and writes) as the doubles they are
AWKWARD_BOUNDS = """
wide:
  type: number
  minimum: -9223372036854775808
  maximum: 100000000000000000000
  description: Integer bounds on a number, which are doubles.
"""


def test_bound_messages_say_what_the_check_plan_says(tmp_path: Path) -> None:
    """The message of each bound of a PHP field is check-events' reason for a value just
    past it (the check plan's bound_text: a number's bounds are doubles, 1e+20 rather
    than 100000000000000000000; "at least 1 item", "at most 2 items"), for every field
    of every reference."""
    judges = tmp_path / "judges"
    shutil.copytree(ROOT / "tests" / "fixtures" / "judges", judges)
    with open(judges / "fields" / "numbers.yaml", "a", encoding="utf-8") as numbers:
        numbers.write(AWKWARD_BOUNDS)
    measure = judges / "events" / "measure.yaml"
    measure.write_text(measure.read_text("utf-8").replace("      any_int: required\n", "      any_int: required\n      wide: optional\n"), "utf-8")
    checked = set()
    lengths: set[int] = set()
    counts: set[int] = set()
    for root in (judges, *REFERENCES.values()):
        analysis = analyze_folder(root)
        assert analysis.ok, analysis.diagnostics
        for environment in analysis.reference.environments.values():
            for field in environment.used_fields().values():
                check = plan_field(field)
                messages = php_target.php_field(FieldUse(field, True, field.span), False).messages
                each = "each item " if check.array else ""
                for name, step in (("minimum", -1), ("maximum", 1)):
                    bound = getattr(check.item, name)
                    if bound is None:
                        continue
                    past = bound + step if check.item.kind is FieldType.INTEGER else math.nextafter(bound, step * math.inf)
                    if not (is_integer(past) if check.item.kind is FieldType.INTEGER else math.isfinite(past)):
                        continue  # past the type's own limit: that is the message
                    assert messages[name] == each + str(check.item.reason(past)), (root.name, field.name)
                    checked.add(field.name)
                item = check.item
                if item.enum is None:
                    for name, limit, step in (("min_length", item.min_length, -1), ("max_length", item.max_length, 1)):
                        if limit and name in messages:
                            assert messages[name] == each + str(item.reason("a" * (limit + step))), (root.name, field.name)
                            lengths.add(limit)
                for name, limit, step in (("min_items", check.min_items, -1), ("max_items", check.max_items, 1)):
                    if limit and name in messages:
                        problem = check.problem([None] * (limit + step))
                        assert problem is not None and messages[name] == problem.reason, (root.name, field.name)
                        counts.add(limit)
    assert {"wide", "tiny", "level", "near_2_53"} <= checked
    assert 1 in lengths and 1 in counts and len(lengths) > 1 and len(counts) > 1  # "1 item" as "2 items"


def test_php_names_of_the_api() -> None:
    assert naming.variable("this") == "thisValue" and naming.variable("sender") == "senderValue"
    assert naming.getter("event_name") == "getEventNameField" and naming.setter("event_uid_source") == "setEventUidSource"
    assert naming.enum_class("list") == "ListEnum" and naming.enum_class("sender_interface") == "SenderInterfaceEnum"
    assert naming.enum_case("class") == "ClassValue" and naming.enum_case("0") == "V0"
    assert naming.package("mkt", "marketplace", "ios-app") == "mkt/marketplace-ios-app"
    assert naming.package("Acme Corp", "Acme Corp", "web") == "acme-corp/web"
    assert naming.namespace("", "list") == "ListLangpack" and naming.namespace("A\\B", "ios-app") == "A\\B\\IosApp"
