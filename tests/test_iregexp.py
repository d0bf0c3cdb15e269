"""I-Regexp (RFC 9485) patterns: the parser, the refusals, the per-dialect output and the
samples; and differential tests that the Python, ECMA (Node), Go and PHP renderings of
random patterns give the verdict of the AST itself on every generated string."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterator

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from clickgen import iregexp
from clickgen.iregexp import MAX_REPEAT, Pattern, PatternError, parse
from clickgen.unicode_categories import UNICODE_VERSION
import regex_judges
from judges import report


ROOT = Path(__file__).resolve().parent.parent


def ok(text: str) -> Pattern:
    result = parse(text)
    assert isinstance(result, Pattern), f"{text!r} refused: {result}"
    return result


def refused(text: str) -> PatternError:
    result = parse(text)
    assert isinstance(result, PatternError), f"{text!r} accepted"
    return result


# --- RFC 9485 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern, matching, not_matching",
    [
        # the ABNF's own pieces, one of each
        ("a|b|c", ["a", "b", "c"], ["", "ab", "d"]),
        ("ab*c", ["ac", "abbc"], ["abd", "a"]),
        ("ab+c", ["abc", "abbbc"], ["ac"]),
        ("ab?c", ["ac", "abc"], ["abbc"]),
        ("a{2}", ["aa"], ["a", "aaa"]),
        ("a{2,}", ["aa", "aaaa"], ["a"]),
        ("a{2,3}", ["aa", "aaa"], ["aaaa"]),
        ("(ab)+", ["ab", "abab"], ["aba"]),
        ("[abc]z", ["az", "cz"], ["abz", "z"]),
        ("[a-f]z", ["az", "fz"], ["gz"]),
        ("[^0-9]x", ["ax", "éx"], ["1x", "x"]),
        ("[-ae]x", ["-x", "ax"], ["bx"]),
        ("[ae-]x", ["-x", "ex"], ["bx"]),
        (r"\p{Lu}", ["A", "É", "Ж"], ["a", "1"]),
        (r"\P{Lu}", ["a", "1"], ["A"]),
        (r"\p{Nd}", ["1", "\u0663"], ["a"]),
        (r"\p{L}", ["a", "ж", "名"], ["1", "-"]),
        (r"[\p{Lu}0-9]z", ["Az", "1z"], ["az"]),
        (r"1\+2", ["1+2"], ["12"]),
        (r"a\.z", ["a.z"], ["abz"]),
        (r"\(\)\*\+\-\.\?\[\\\]\^\{\|\}", ["()*+-.?[\\]^{|}"], [""]),
        (r"\n\r\t", ["\n\r\t"], [""]),
        # section 5.3: `.` is any character but \n and \r
        ("a.z", ["abz", "a\u2028z", "a😀z", "a\x85z"], ["az", "a\nz", "a\rz"]),
        # RFC 9535 (JSONPath) uses I-Regexp: match() and search() examples
        ("1974-05-..", ["1974-05-01"], ["1974-05-1"]),
        ("[BR]ob", ["Bob", "Rob"], ["bob"]),
        ("", [""], ["a"]),
    ],
)
def test_rfc_examples(pattern: str, matching: list[str], not_matching: list[str]) -> None:
    compiled = ok(pattern)
    python = re.compile(compiled.to_python())
    for value in matching:
        assert compiled.matches(value) and python.fullmatch(value), value
    for value in not_matching:
        assert not compiled.matches(value) and not python.fullmatch(value), value


def test_rfc_table_1_substitutes_are_the_fixes() -> None:
    # RFC 9485 5.1: multi-character escapes and their I-Regexp substitutes
    assert refused(r"\S").replacement == "[^ \\t\\n\\r]"
    assert refused(r"\d").replacement == "[0-9]"
    assert ok("[^ \\t\\n\\r]").matches("x") and not ok("[^ \\t\\n\\r]").matches("\t")
    assert "range explicitly" in refused(r"\p{IsBasicLatin}").fix


def test_rfc_ecma_mapping() -> None:
    # RFC 9485 5.3: dots become [^\n\r], the whole is enveloped and anchored
    assert ok("a.b").to_ecma() == "^(?:a[^\\n\\r]b)(?![\\s\\S])"
    assert ok("a.b").to_go() == "^(?:a[^\\n\\r]b)$"
    assert ok("a.b").to_pcre() == "/(*NO_JIT)\\A(?:a[^\\n\\r]b)\\z/u"
    assert ok("a.b").to_python() == "a[^\\n\\r]b"


def test_to_iregexp_round_trips() -> None:
    for text in ["a|b", r"\^[$]", "[a-z]{2,3}", "(a|)*", r"\p{Lu}+", "[^\\-\\]]"]:
        pattern = ok(text)
        again = ok(pattern.to_iregexp())
        assert again.root == pattern.root


# --- what is refused, where, and the fix ----------------------------------------------

# (pattern, 1-based column of the offending character, construct, a part of the fix)
TRAPS = [
    (r"a\sb", 2, r"\s", "[ \\t\\n\\r]"),
    (r"\d+", 1, r"\d", "[0-9]"),
    (r"[\d]+", 2, r"\d", "0-9"),
    (r"\w+", 1, r"\w", "[0-9A-Za-z_]"),
    (r"\bword\b", 1, r"word boundary \b", "drop it"),
    ("(?i)k", 1, "inline flag (?i)", "[kK]"),
    ("(?i)abc", 1, "inline flag (?i)", "[aA][bB][cC]"),
    ("(?i)é", 1, "inline flag (?i)", "[éÉ]"),
    ("x(?i:ab)", 2, "inline flag (?i:", "([aA][bB])"),
    ("^(?i)abc$", 1, "anchor ^", "drop the ^"),
    ("ab(?i)c", 3, "inline flag (?i)", "[cC]"),
    ("(?s).", 1, "inline flag (?s)", "(.|\\n|\\r)"),
    ("^ab", 1, "anchor ^", "drop the ^"),
    ("ab$", 3, "anchor $", "drop the $"),
    ("ab$\n", 3, "anchor $", "drop the $"),
    (r"ab\z", 3, r"anchor \z", r"drop the \z"),
    (r"\Aab", 1, r"anchor \A", r"drop the \A"),
    ("a{1001}", 3, "bound over 1000", "{1000}"),
    ("a{0,65536}", 5, "bound over 1000", "max_length"),
    ("a{,3}", 2, "{,n}", "{0,3}"),
    ("a{3,1}", 2, "bounds out of order {3,1}", "{1,3}"),
    ("(a{100}){20}", 9, "nested repetition over 1000", "max_length"),
    ("[[:alpha:]]", 2, "POSIX class [[:alpha:]]", "A-Za-z"),
    ("[[:digit:]_]", 2, "POSIX class [[:digit:]]", "0-9"),
    (r"\u00e9", 1, r"\u escape", "é"),
    (r"x\x41", 2, r"\x escape", "A"),
    (r"\x{1F600}", 1, r"\x escape", "😀"),
    (r"\u002e", 1, r"\u escape", r"\."),
    (r"\u0024", 1, r"\u escape", "[$]"),
    ("(?=a)b", 1, "lookahead (?=", "without it"),
    ("a(?!b)", 2, "lookahead (?!", "[^...]"),
    ("(?<=a)b", 1, "lookbehind (?<=", "without it"),
    (r"(a)\1", 4, r"backreference \1", "repeat the group"),
    ("(?P<x>a)(?P=x)", 1, "named group", "("),
    (r"(a)\k<x>", 4, r"backreference \k", "repeat the group"),
    ("(?:ab)+", 1, "non-capturing group (?:", "write ( instead of (?:"),
    ("(?>ab)", 1, "atomic group (?>", "("),
    ("(?#note)a", 1, "comment (?#", "remove (?#note)"),
    ("a*?", 3, "lazy quantifier *?", "drop the ?: a*"),
    ("a++", 3, "possessive quantifier ++", "drop the +"),
    ("a**", 3, "quantifier after a quantifier", "(a*)*"),
    ("a{2}{3}", 5, "quantifier after a quantifier", "(a{2}){3}"),
    ("*a", 1, "quantifier * without an atom", r"\*"),
    ("[a-", 1, "unclosed [", "]"),
    ("[z-a]", 2, "range out of order z-a", "smaller"),
    ("[a-z-0]", 5, "- inside a class", r"\-"),
    ("[]a]", 2, "] at the start of a class", r"\]"),
    ("[a[b]", 3, "unescaped [ inside a class", r"\["),
    ("[a-z-[aeiou]]", 5, "class subtraction -[", "explicitly"),
    ("a)", 2, "unbalanced )", r"\)"),
    ("(a", 1, "unclosed (", ")"),
    ("a{x}", 2, "unescaped {", r"\{"),
    ("a}", 2, "unescaped }", r"\}"),
    (r"\p{Greek}", 1, r"\p{Greek}", "general category"),
    (r"\p{lu}", 1, r"\p{lu}", r"\p{Lu}"),
    (r"\pL", 1, r"\pL", r"\p{L}"),
    (r"\p{Cs}", 1, r"\p{Cs}", "surrogates"),
    (r"a\/b", 2, "escaped /", "without the backslash"),
    (r"\$", 1, "escaped $", "[$]"),
    (r"a\vb", 2, r"\v (vertical tab)", "U+000B"),
    (r"[\b]", 2, r"\b", "U+0008"),
    ("ab\\", 3, "trailing \\", "\\\\"),
    (r"\Qa.b\E", 1, r"quoting \Q", "backslash"),
    ("(" * 101 + ")" * 101, 101, "groups nested over 100 deep", "flatten"),
    (r"(\p{L}a){1000}(\p{N}b){1000}(\p{P}c){1000}(\p{S}d){1000}", 1, "pattern too large", "max_length"),
]


@pytest.mark.parametrize("pattern, column, construct, fix", TRAPS, ids=[t[0][:30] for t in TRAPS])
def test_refused_with_column_construct_and_fix(pattern: str, column: int, construct: str, fix: str) -> None:
    error = refused(pattern)
    assert (error.column, error.construct) == (column, construct), str(error)
    assert error.offset == column - 1
    assert fix in error.fix, str(error)
    assert error.message and str(error).startswith(f"column {column}: ")


def test_fixes_are_portable_patterns_that_mean_what_was_meant() -> None:
    for pattern, value, meant in [
        (r"\d+", "0123", True),
        (r"\d+", "\u0663", False),
        (r"\s", "\x0b", False),
        (r"\w+", "é", False),
        ("(?i)k", "K", True),
        ("(?i)k", "\u212a", False),
    ]:
        error = refused(pattern)
        assert error.replacement is not None
        construct = pattern[error.offset :].split("+")[0]  # what the replacement replaces
        spelled = pattern[: error.offset] + error.replacement + pattern[error.offset + len(construct) :]
        assert ok(spelled).matches(value) is meant, (pattern, spelled, value)


def test_bounds_up_to_the_cap_are_accepted() -> None:
    assert ok(f"a{{{MAX_REPEAT}}}").matches("a" * MAX_REPEAT)
    assert ok("a{0,1000}b{1000,}").matches("b" * 1000)
    assert ok("((a{10}){10}){10}").matches("a" * 1000)
    assert isinstance(parse("((a{10}){10}){11}"), PatternError)
    assert ok("(a{1000})*").matches("a" * 2000)  # * and + do not count


def test_bare_anchor_characters_are_written_escaped() -> None:
    # RFC 9485 reads a bare ^ and $ as the characters; clickgen refuses them (authors
    # mean anchors) and the characters are written \^ and [$]
    assert ok(r"\^[$]").matches("^$")
    assert ok("[$^]+").matches("$^")


# --- the Unicode table ------------------------------------------------------------------


def _generator_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_unicode_categories", ROOT / "scripts" / "gen_unicode_categories.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(unicodedata.unidata_version != UNICODE_VERSION, reason=f"this Python has Unicode {unicodedata.unidata_version}, the table {UNICODE_VERSION}")
def test_unicode_table_is_what_the_script_writes_for_its_version() -> None:
    assert (ROOT / "clickgen" / "unicode_categories.py").read_text(encoding="utf-8") == _generator_module().render()


def test_categories_cover_every_code_point_once() -> None:
    total = 0
    for major in "LMNPZSC":
        ranges = iregexp.category_ranges(major)
        total += sum(hi - lo + 1 for lo, hi in ranges)
    surrogates = 0xDFFF - 0xD800 + 1
    assert total == 0x110000 - surrogates
    assert iregexp.category_ranges("Lu")[0] == (0x41, 0x5A)
    assert ok(r"\p{Zs}").matches("\u3000") and not ok(r"\p{Zs}").matches("\t")


def test_surrogates_are_in_no_class() -> None:
    for text in [".", r"\P{L}", "[^a]", r"\p{C}", r"\p{Co}"]:
        pattern = ok(text)
        assert "d800" not in pattern.to_pcre().lower()
        assert all(not 0xD800 <= lo <= 0xDFFF and not 0xD800 <= hi <= 0xDFFF for lo, hi in pattern.root.branches[0][0].ranges)  # type: ignore[union-attr]


# --- dialect output ---------------------------------------------------------------------


def test_astral_characters_in_every_dialect() -> None:
    pattern = ok("😀[😀-😏]")
    assert pattern.to_python() == "\\U0001f600[\\U0001f600-\\U0001f60f]"
    assert pattern.to_go() == "^(?:\\x{1f600}[\\x{1f600}-\\x{1f60f}])$"
    assert pattern.to_pcre() == "/(*NO_JIT)\\A(?:\\x{1f600}[\\x{1f600}-\\x{1f60f}])\\z/u"
    assert pattern.to_ecma() == "^(?:😀[😀-😏])(?![\\s\\S])"  # \u{..} is not Python's re


def test_no_dialect_leaves_a_character_to_the_engine() -> None:
    pattern = ok("[A-Za-z0-9._%+-]+@[a-z]+\\.[a-z]{2,}|€/~")
    assert pattern.to_python() == "[%\\+\\-\\.0-9A-Z_a-z]+@[a-z]+\\.[a-z]{2,}|\\u20ac\\/~"
    assert pattern.to_go() == "^(?:[%\\+\\-\\.0-9A-Z_a-z]+@[a-z]+\\.[a-z]{2,}|\\x{20ac}\\/~)$"


def test_big_patterns_are_factored_for_pcre() -> None:
    pcre = ok(r"(\p{L}\p{N}){1000}").to_pcre()
    assert pcre.startswith("/(*NO_JIT)(?(DEFINE)(?<")
    assert pcre.count("\\x{10ffff}") <= 2  # each class written once


# --- samples ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["[A-Z0-9]{4,12}", "a.b", "(ab|cd|(ef|gh)+)x?", r"\p{Nd}+", "😀|[^a]", "", "a{0}b"])
def test_samples_are_valid_and_invalid_by_the_pattern(text: str) -> None:
    pattern = ok(text)
    samples = pattern.samples()
    assert samples.valid and samples.invalid
    assert all(pattern.matches(s) for s in samples.valid)
    assert not any(pattern.matches(s) for s in samples.invalid)


def test_samples_go_through_every_branch() -> None:
    samples = ok("(ab|cd|(ef|gh)+)x?").samples()
    for part in ("ab", "cd", "ef", "gh"):
        assert any(part in s for s in samples.valid), part


def test_samples_hold_the_traps() -> None:
    dot = ok("a.b").samples()
    assert {"a\u2028b", "a😀b", "a\x85b"} <= set(dot.valid)
    assert {"a\rb", "a\nb", "aab\n"} <= set(dot.invalid)
    digits = ok("[0-9]+").samples()
    assert {"\u0663", "0\n", "/", ":"} <= set(digits.invalid)
    letters = ok("[a-z]").samples()
    assert {"é", "A", "\u212a"} <= set(letters.invalid)


def test_a_pattern_that_matches_nothing_has_no_valid_sample() -> None:
    pattern = ok(r"[^\p{L}\P{L}]")
    assert pattern.samples().valid == ()
    assert not pattern.matches("a")


# --- differential: every judge against the AST -----------------------------------------

_LITERALS = list("ab0-_ ,é😀жK\t\x0b\u2028") + list("().*+?[]{}|\\^$\n\r")
_CATEGORIES = ["L", "Lu", "Ll", "Nd", "N", "P", "Zs", "S", "C", "Cc"]


def _literal(char: str) -> str:
    return iregexp._iregexp_char(ord(char), in_class=False)


def _class_char(char: str) -> str:
    return iregexp._iregexp_char(ord(char), in_class=True)


@st.composite
def class_expressions(draw: st.DrawFn) -> str:
    items = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["char", "range", "category"]))
        if kind == "category":
            items.append(("\\" + draw(st.sampled_from("pP")) + "{" + draw(st.sampled_from(_CATEGORIES)) + "}"))
        elif kind == "range":
            low, high = sorted(draw(st.lists(st.sampled_from("09afzAZ éжK😀\u2028"), min_size=2, max_size=2)))
            items.append(_class_char(low) + "-" + _class_char(high))
        else:
            items.append(_class_char(draw(st.sampled_from(_LITERALS))))
    return "[" + draw(st.sampled_from(["", "^"])) + "".join(items) + "]"


atoms = st.one_of(
    st.sampled_from(_LITERALS).map(_literal),
    st.just("."),
    st.sampled_from(_CATEGORIES).flatmap(lambda c: st.sampled_from([f"\\p{{{c}}}", f"\\P{{{c}}}"])),
    class_expressions(),
)
quantifiers = st.sampled_from(["", "", "", "*", "+", "?", "{0}", "{1}", "{2}", "{0,2}", "{1,}", "{2,3}"])


def _regexps(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    piece = st.tuples(st.one_of(atoms, inner.map(lambda r: "(" + r + ")")), quantifiers).map("".join)
    branch = st.lists(piece, max_size=4).map("".join)
    return st.lists(branch, min_size=1, max_size=3).map("|".join)


regexps = st.recursive(_regexps(st.just("a")), _regexps, max_leaves=6)
_INPUT_CHARS = st.sampled_from(list("ab0-_ éжK😀\t\n\r\x0b\u2028\u0663A.()[]{}|\\^$") + ["\U00010400", "\x85"])


def _inputs(pattern: Pattern, extra: list[str]) -> list[str]:
    samples = pattern.samples()
    seen: dict[str, None] = dict.fromkeys(list(samples.valid) + list(samples.invalid) + extra)
    return [s for s in seen if len(s) <= 400]


@pytest.fixture(scope="module")
def judges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, regex_judges.ProcessJudge | None]]:
    out = {
        "node": regex_judges.node_judge(),
        "go": regex_judges.go_judge(tmp_path_factory.mktemp("go-judge")),
        "php": regex_judges.php_judge(),
    }
    yield out
    for judge in out.values():
        if judge is not None:
            judge.close()


AGREEMENT: Counter[str] = Counter()


def _verdicts(pattern: Pattern, inputs: list[str], judges: dict[str, regex_judges.ProcessJudge | None]) -> dict[str, list[bool]]:
    schema = jsonschema.Draft202012Validator({"type": "string", "pattern": pattern.to_ecma()})
    out = {
        "python": regex_judges.python_fullmatch(pattern.to_python(), inputs),
        "jsonschema": [schema.is_valid(s) for s in inputs],
    }
    for name, dialect in (("node", pattern.to_ecma()), ("go", pattern.to_go()), ("php", pattern.to_pcre())):
        judge = judges[name]
        if judge is None:
            continue
        try:
            out[name] = judge.verdicts(dialect, inputs)
        except regex_judges.JudgeTimeout:
            # a backtracking engine's known limit (docs/patterns.md), not a verdict
            AGREEMENT[name + " timeout"] += 1
        except regex_judges.CompileError as e:
            # the same limit in PCRE: nested repeats pass pcre.backtrack_limit on a value
            # (docs/patterns.md, known limits), reported as an error, not a verdict
            if name != "php" or "limit" not in str(e):
                raise
            AGREEMENT[name + " match limit"] += 1
    return out


def check_agreement(text: str, inputs: list[str], judges: dict[str, regex_judges.ProcessJudge | None]) -> None:
    pattern = ok(text)
    inputs = _inputs(pattern, inputs)
    truth = [pattern.matches(s) for s in inputs]
    for name, verdicts in _verdicts(pattern, inputs, judges).items():
        wrong = [(s, t) for s, t, v in zip(inputs, truth, verdicts) if t != v]
        AGREEMENT[name + " agree"] += len(inputs) - len(wrong)
        AGREEMENT[name + " disagree"] += len(wrong)
        assert not wrong, f"{name} on {text!r}: {wrong[:5]}"
    AGREEMENT["patterns"] += 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=regexps, extra=st.lists(st.lists(_INPUT_CHARS, max_size=8).map("".join), max_size=12))
# found by a run: PCRE's backtrack limit on a value is a known limit, not a failure
@example(text="(\\}\\|.{2,3}\u2028{2}|.\\r|[^ -Z,])(\\p{Lu}+.+(\\p{N}[9-f\\P{Ll}](a){2}(a)|\\r{1}|){1,}[^\\\\]||.{2,3}\\}{2}\\({0,2}.{0}){1,}([^A-z]{0}(a){0,2}\\p{Nd}?\\P{Zs}{1,}){1,}", extra=[])
def test_every_dialect_agrees_with_the_ast(text: str, extra: list[str], judges: dict[str, regex_judges.ProcessJudge | None]) -> None:
    assume(not _too_large(text))
    check_agreement(text, extra, judges)


def _too_large(text: str) -> bool:
    # many distinct big classes (\p{L}, [^\p{Lu}a]...) in one random pattern can pass
    # what PCRE compiles: refused on purpose (test_refused_with_column_construct_and_fix)
    result = parse(text)
    return isinstance(result, PatternError) and result.construct == "pattern too large"


@pytest.mark.parametrize(
    "text",
    [
        r"(\p{L}\p{N}){1000}",
        r"\p{L}{3}\P{L}{2}[\p{Nd}a-f]+",
        "((a{10}){10}){10}",
        "(ab|cd)*",
        ".*",
        r"[^\p{L}\P{L}]",
        "[😀-🙏]+|[^😀-🙏]",
    ],
)
def test_large_and_edge_patterns_agree(text: str, judges: dict[str, regex_judges.ProcessJudge | None]) -> None:
    long_values = ["ab" * 5000, "é" * 10000, "a" * 1000]
    check_agreement(text, long_values, judges)


_BIG_ATOMS = [r"\p{L}", r"\P{Lu}", r"[\p{Nd}a-f]", r"\p{Cn}", r"[^\p{S}\p{P}]", "a", "é", "😀", "[a-z]", "."]


@st.composite
def big_patterns(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 8))):
        inner = "".join(draw(st.lists(st.sampled_from(_BIG_ATOMS), min_size=1, max_size=4)))
        count = draw(st.sampled_from(["", "*", "+", "?", "{2}", "{3,40}", "{500}", "{1000}", "{0,1000}", "{7,}"]))
        pieces.append(f"({inner}){count}" if draw(st.booleans()) else inner + count)
    return "|".join(["".join(pieces)] + draw(st.lists(st.sampled_from(_BIG_ATOMS), max_size=3)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=big_patterns())
def test_what_is_accepted_compiles_everywhere(text: str, judges: dict[str, regex_judges.ProcessJudge | None]) -> None:
    # the caps (bounds, nested repetitions, PCRE's size) are what the engines compile
    pattern = parse(text)
    if isinstance(pattern, PatternError):
        assert pattern.construct in ("pattern too large", "nested repetition over 1000"), str(pattern)
        AGREEMENT["big patterns refused"] += 1
        return
    value = list(pattern.samples().valid[:1])
    for name, dialect in (("node", pattern.to_ecma()), ("go", pattern.to_go()), ("php", pattern.to_pcre())):
        judge = judges[name]
        if judge is None:
            continue
        judge.verdicts(dialect, [])  # compiles
        try:
            assert judge.verdicts(dialect, value) == [True] * len(value), name
        except regex_judges.JudgeTimeout:
            AGREEMENT[f"big patterns: {name} timeout"] += 1
        except regex_judges.CompileError as e:
            # PCRE backtracks: a long value against a repeated class that overlaps what
            # follows can pass pcre.backtrack_limit (docs/patterns.md, known limits)
            assert name == "php" and "limit" in str(e), str(e)
            AGREEMENT["big patterns: php match limit"] += 1
    AGREEMENT["big patterns compiled"] += 1


def _fixture_patterns() -> list[str]:
    from clickgen.frontend import analyze_folder

    roots = [ROOT / "examples" / "reference", *sorted((ROOT / "tests" / "cases").glob("*/reference")), *sorted((ROOT / "tests" / "fixtures").glob("hostile-*"))]
    found: set[str] = set()
    for root in roots:
        if (root / "clickgen.yaml").is_file():
            found |= {f.pattern for f in analyze_folder(root).reference.fields.values() if f.pattern is not None}
    return sorted(p for p in found if isinstance(parse(p), Pattern))


@pytest.mark.parametrize("text", _fixture_patterns())
def test_every_fixture_pattern_agrees(text: str, judges: dict[str, regex_judges.ProcessJudge | None]) -> None:
    import fastjsonschema

    pattern = ok(text)
    samples = pattern.samples()
    # hundreds of strings: the samples, pairs of them, and each with every trap inside
    mixed = [a + b for a in samples.valid[:12] for b in samples.valid[:12]]
    mixed += [v[:i] + t + v[i:] for v in samples.valid[:4] for t in iregexp.TRAPS for i in range(0, len(v) + 1, max(1, len(v) // 3))]
    check_agreement(text, mixed, judges)
    inputs = _inputs(pattern, mixed)
    fast = fastjsonschema.compile({"type": "string", "pattern": pattern.to_ecma()})
    for value in inputs:
        try:
            fast(value)
            verdict = True
        except fastjsonschema.JsonSchemaException:
            verdict = False
        AGREEMENT["fastjsonschema " + ("agree" if verdict == pattern.matches(value) else "disagree")] += 1
        assert verdict == pattern.matches(value), (text, value)


def test_zz_report_agreement() -> None:
    # runs after the differential tests of this module (pytest keeps file order, and
    # make test keeps a file in one worker); printed with the other counts at the end
    counts = dict(sorted(AGREEMENT.items()))
    report.record("iregexp/agreement", f"{counts.get('patterns', 0)} random patterns agree with the AST: {counts}", **counts)


# --- iregexp-check (PyPI) as a second opinion on acceptance -----------------------------

iregexp_check = pytest.importorskip("iregexp_check")


def _reversed_range(text: str) -> bool:
    """A class range whose end comes before its start ([1-0]): iregexp-check checks the
    grammar only and accepts it; no regular expression engine compiles it."""
    return any(ord(a) > ord(b) for a, b in re.findall(r"([^\\\[\]])-([^\\\[\]])", text))


def _second_opinion_applies(text: str) -> bool:
    # iregexp-check 0.1.4 refuses valid multi-digit bounds (a{10}) and accepts reversed
    # ranges; clickgen refuses the bare ^ and $ that RFC 9485 reads as characters, and
    # bounds past its caps
    return not re.search(r"\{[0-9]*[0-9][0-9]", text) and not _reversed_range(text)


@settings(max_examples=300, deadline=None)
@given(text=regexps)
def test_generated_patterns_are_i_regexp_for_iregexp_check(text: str) -> None:
    assume(not _too_large(text))
    assert isinstance(parse(text), Pattern)
    assert iregexp_check.check(text), text


@settings(max_examples=1500, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab(){}[]|*+?.\\^$-,:0129pPLuNd^éz")), max_size=10))
def test_acceptance_agrees_with_iregexp_check(text: str) -> None:
    ours = parse(text)
    theirs = iregexp_check.check(text)
    if isinstance(ours, Pattern):
        if _second_opinion_applies(text):
            assert theirs, f"we accept {text!r}, iregexp-check does not"
    else:
        bare_anchor = ours.construct in ("anchor ^", "anchor $")
        if theirs and not bare_anchor:
            assert not _second_opinion_applies(text) or "over 1000" in ours.construct, f"we refuse {text!r} ({ours}), iregexp-check accepts"


def test_a_waived_released_pattern_is_built_as_written() -> None:
    # a pattern released before patterns were I-Regexp, kept under a CG0216 waiver
    kept = iregexp.for_targets("^\\d+$")
    assert isinstance(kept, iregexp.AsWritten)
    assert kept.to_python() == "^\\d+$"
    assert kept.to_go() == "^(?:^\\d+$)$"
    assert kept.to_ecma() == "^(?:^\\d+$)$"
    assert kept.to_pcre() == "~\\A(?:^[0-9]+$)\\z~u"
    assert kept.samples().valid and kept.matches("12")
    assert isinstance(iregexp.for_targets("[0-9]+"), Pattern)


def test_a_judge_that_backtracks_forever_misses_its_deadline_and_comes_back() -> None:
    judge = regex_judges.node_judge()
    if judge is None:
        pytest.skip("node is not installed")
    judge.deadline_seconds = 1.0
    try:
        with pytest.raises(regex_judges.JudgeTimeout):
            judge.verdicts("(a*)*b", ["a" * 40])
        assert judge.verdicts("(a*)*b", ["aab", "aa"]) == [True, False]
    finally:
        judge.close()
