"""Reference patterns: I-Regexp (RFC 9485), parsed into an AST and written out per dialect.

A field's `pattern` means one thing everywhere: the I-Regexp grammar of RFC 9485, always
matched against the whole value, case-sensitive, `.` any character except \\n and \\r,
`\\p{..}`/`\\P{..}` the Unicode general categories of ONE pinned Unicode version
(`UNICODE_VERSION`, from the checked-in table clickgen/unicode_categories.py). The
languages' own regex engines disagree on nearly everything else (\\d, \\s, \\w, `$`
before a trailing newline, `.` against \\r and U+2028, case folding, their Unicode
tables), so nothing is handed to them as written:

    parse(text) -> Pattern | PatternError
    Pattern.to_python()   body for re.fullmatch (no \\p in re: classes are spelled out)
    Pattern.to_go()       ^(?:...)$ for Go's regexp (RE2: $ is the end of the text)
    Pattern.to_pcre()     /\\A(?:...)\\z/u, a complete preg_match() pattern
    Pattern.to_ecma()     ^(?:...)(?![\\s\\S]) for JSON Schema `pattern` (ECMA-262 with the
                          u flag, and also read the same by Python's re, which
                          python-jsonschema and fastjsonschema use: a plain $ would
                          match before a trailing newline there)
    Pattern.matches(s)    the meaning itself, evaluated on the AST (the oracle of the tests)
    Pattern.samples()     valid strings through every branch, invalid ones a character away
    for_targets(text)     the Pattern, or AsWritten for a released non-I-Regexp pattern
                          kept under a waiver (the engines get it as written)

Every character class (`.`, `[...]`, `\\p{..}`) is a set of code point ranges and is
written out as explicit ranges in every dialect; surrogates are never part of a set
(strings are valid Unicode, and PCRE cannot even spell them).

Where this differs from the letter of RFC 9485, on purpose:
- a bare `^` or `$` outside a class is refused: the RFC reads them as literal
  characters, every regex engine as anchors, and authors mean anchors. A literal one is
  written `\\^` or `[$]`;
- a quantifier bound is at most MAX_REPEAT (1000), and counted repetitions nested in
  each other may not multiply past it either (Go's RE2 refuses both); groups nest at
  most MAX_NESTING deep (PCRE's limit is 250).
Anything else outside the grammar is a `PatternError` naming the construct, its
position inside the pattern and the portable spelling.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import zip_longest
from typing import Callable, Iterator, NoReturn, Union

from clickgen.unicode_categories import CATEGORIES, UNICODE_VERSION

__all__ = [
    "AsWritten",
    "MAX_REPEAT",
    "MAX_NESTING",
    "UNICODE_VERSION",
    "Pattern",
    "PatternError",
    "Samples",
    "for_targets",
    "parse",
]

MAX_REPEAT = 1000  # the largest bound Go's RE2 compiles; PCRE and the others take more
MAX_NESTING = 100  # groups inside groups; PCRE2 stops at 250, our parser recurses
MAX_CODE_POINT = 0x10FFFF
# What PCRE2 (link size 2) compiles is at most 64 KiB of code; patterns are kept well
# below by the estimate in _pcre_size (an upper bound, checked by the tests against PHP).
PCRE_BUDGET = 48_000
_SURROGATES = (0xD800, 0xDFFF)

Ranges = tuple[tuple[int, int], ...]

# ---------------------------------------------------------------------------------------
# Code point sets: sorted, disjoint, non-adjacent (lo, hi) ranges, never a surrogate.

_UNIVERSE: Ranges = ((0, _SURROGATES[0] - 1), (_SURROGATES[1] + 1, MAX_CODE_POINT))


def _normalize(ranges: list[tuple[int, int]]) -> Ranges:
    merged: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    out: list[tuple[int, int]] = []
    for lo, hi in merged:  # cut the surrogates out
        if hi < _SURROGATES[0] or lo > _SURROGATES[1]:
            out.append((lo, hi))
            continue
        if lo < _SURROGATES[0]:
            out.append((lo, _SURROGATES[0] - 1))
        if hi > _SURROGATES[1]:
            out.append((_SURROGATES[1] + 1, hi))
    return tuple(out)


def _complement(ranges: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    start = 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    return _normalize(out)


def _contains(ranges: Ranges, code_point: int) -> bool:
    i = bisect.bisect_right(ranges, (code_point, MAX_CODE_POINT + 1)) - 1
    return i >= 0 and ranges[i][0] <= code_point <= ranges[i][1]


# The general categories of RFC 9485's charProp (no Cs: surrogates are not characters).
_CATEGORY_NAMES = (
    "L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po Z Zs Zl Zp S Sm Sc Sk So C Cc Cf Co Cn"
).split()


@lru_cache(maxsize=None)
def category_ranges(name: str) -> Ranges:
    """The code points of a general category (`Lu`) or of a whole class of them (`L`)."""
    parts = [c for c in CATEGORIES if c == name or (len(name) == 1 and c[0] == name)]
    ranges: list[tuple[int, int]] = []
    for part in parts:
        for item in CATEGORIES[part].split():
            lo, _, hi = item.partition("-")
            ranges.append((int(lo, 16), int(hi or lo, 16)))
    return _normalize(ranges)


# ---------------------------------------------------------------------------------------
# The AST (immutable).


@dataclass(frozen=True, slots=True)
class Literal:
    """One character, matched as it is (case-sensitive)."""

    char: str


@dataclass(frozen=True, slots=True)
class CharClass:
    """Any one character of a set: `.`, `[...]`, `[^...]`, `\\p{..}`, `\\P{..}`."""

    ranges: Ranges
    spelling: str  # as written in the pattern

    def __contains__(self, char: str) -> bool:
        return _contains(self.ranges, ord(char))


@dataclass(frozen=True, slots=True)
class Group:
    """Alternatives: the whole pattern, or a parenthesized part of it (captures nothing)."""

    branches: tuple[tuple["Piece", ...], ...]


@dataclass(frozen=True, slots=True)
class Repeat:
    """`atom{min,max}`; max None is unbounded (`*`, `+`, `{n,}`)."""

    atom: "Atom"
    min: int
    max: int | None


Atom = Union[Literal, CharClass, Group]
Piece = Union[Atom, Repeat]


@dataclass(frozen=True, slots=True)
class PatternError:
    """Why a pattern is not (clickgen's) I-Regexp, and where inside the pattern."""

    pattern: str
    offset: int  # 0-based index of the offending character in `pattern`
    construct: str  # what was found: "\\d", "anchor ^", "inline flag (?i)", ...
    message: str  # one sentence on why it is refused
    fix: str  # what to write instead, as a sentence ("write [0-9]")
    replacement: str | None = None  # the portable spelling of the construct ("[0-9]"; "" to drop it)

    @property
    def column(self) -> int:
        """1-based column of the offending character inside the pattern."""
        return self.offset + 1

    def __str__(self) -> str:
        return f"column {self.column}: {self.construct}: {self.message}; fix: {self.fix}"


@dataclass(frozen=True, slots=True)
class Samples:
    valid: tuple[str, ...]  # matched, together through every branch of the pattern
    invalid: tuple[str, ...]  # not matched, each a character away from a valid one


@dataclass(frozen=True)
class Pattern:
    source: str
    root: Group

    def to_python(self) -> str:
        """For `re.fullmatch` (with or without re.ASCII: nothing in it depends on flags)."""
        return _emit_group(self.root, _PYTHON)

    def to_go(self) -> str:
        return "^(?:" + _emit_group(self.root, _GO) + ")$"

    def to_pcre(self) -> str:
        """A complete preg_match() pattern: delimiters, \\A...\\z (never before a trailing
        newline, unlike $) and the u modifier (code points, not bytes). (*NO_JIT): PHP's
        JIT stack gives out after a few thousand repetitions of a group (a 10,000
        character value), the interpreter only past ~50,000 (pcre.recursion_limit)."""
        return _emit_pcre(self.root)

    def to_ecma(self) -> str:
        """The JSON Schema `pattern` (an unanchored search there)."""
        return "^(?:" + _emit_group(self.root, _ECMA) + ")(?![\\s\\S])"

    def to_iregexp(self) -> str:
        """The pattern again in I-Regexp syntax (canonical spelling)."""
        return _iregexp_group(self.root)

    def matches(self, text: str) -> bool:
        """Whether the whole text matches, decided on the AST itself (no regex engine)."""
        return len(text) in _match_group(self.root, text, frozenset((0,)))

    @cached_property
    def _samples(self) -> Samples:
        return _samples(self)

    def samples(self) -> Samples:
        return self._samples


@lru_cache(maxsize=1024)
def parse(text: str) -> Pattern | PatternError:
    """Parse a reference pattern; a PatternError says what is not I-Regexp, and where."""
    parser = _Parser(text)
    try:
        root = parser.regexp()
        if parser.i < len(text):  # only an unbalanced ")" stops the top level early
            parser.refuse(parser.i, "unbalanced )", "this ) closes no group", "escape it: \\)")
    except _Refused as refused:
        return refused.error
    if _pcre_size(root, factored=True) > PCRE_BUDGET:
        return PatternError(
            text,
            0,
            "pattern too large",
            "written out for PHP (every \\p{..} as explicit ranges, every counted repetition of a group copied), it is larger than PCRE compiles (64 KB)",
            "use fewer or smaller counted repetitions of groups (+ or * with max_length instead), or fewer \\p{..} classes",
        )
    return Pattern(text, root)


@dataclass(frozen=True)
class AsWritten:
    """A released pattern that is not I-Regexp, kept under a CG0216 waiver until its field
    is retired (docs/rules.md): every engine gets it as written, as clickgen did before
    patterns were I-Regexp, with the disagreements that come with that."""

    source: str

    def to_python(self) -> str:
        return self.source  # compiled with re.ASCII, used with fullmatch

    def to_go(self) -> str:
        return f"^(?:{self.source})$"

    def to_pcre(self) -> str:
        from clickgen.targets.php.regex import pcre  # the pre-I-Regexp translation

        return pcre(self.source)

    def to_ecma(self) -> str:
        return f"^(?:{self.source})$"

    def matches(self, text: str) -> bool:
        return re.fullmatch(self.source, text, re.ASCII) is not None

    def samples(self) -> Samples:
        from clickgen.regex_sample import sample_matching

        valid = (sample_matching(self.source, variant) for variant in range(3))
        return Samples(tuple(dict.fromkeys(s for s in valid if s is not None)), ())


def for_targets(text: str) -> Pattern | AsWritten:
    """What the targets build from a field's pattern: the I-Regexp, or (for a pattern that
    validation let through, i.e. a waived released one) the pattern as written."""
    parsed = parse(text)
    return parsed if isinstance(parsed, Pattern) else AsWritten(text)


# ---------------------------------------------------------------------------------------
# The parser: recursive descent over RFC 9485's ABNF (section 3), with a diagnosis of
# what other dialects' constructs were meant wherever the grammar stops.


class _Refused(Exception):
    def __init__(self, error: PatternError) -> None:
        self.error = error


# SingleCharEsc: the characters a backslash may escape, and \n \r \t.
_SINGLE_ESCAPES = {c: c for c in "()*+-.?[\\]^{|}"} | {"n": "\n", "r": "\r", "t": "\t"}
_MULTI_ESCAPES = {  # Perl/XSD shorthand classes: (outside a class, inside one)
    "d": ("[0-9]", "0-9"),
    "D": ("[^0-9]", None),
    "s": ("[ \\t\\n\\r]", " \\t\\n\\r"),
    "S": ("[^ \\t\\n\\r]", None),
    "w": ("[0-9A-Za-z_]", "0-9A-Za-z_"),
    "W": ("[^0-9A-Za-z_]", None),
    "h": ("[ \\t]", " \\t"),
    "H": ("[^ \\t]", None),
    "i": ("[A-Za-z_:]", "A-Za-z_:"),
    "I": ("[^A-Za-z_:]", None),
    "c": ("[-.0-9A-Za-z_:]", "-.0-9A-Za-z_:"),
    "C": ("[^-.0-9A-Za-z_:]", None),
}
_POSIX_CLASSES = {
    "alpha": "A-Za-z",
    "digit": "0-9",
    "alnum": "0-9A-Za-z",
    "upper": "A-Z",
    "lower": "a-z",
    "space": " \\t\\n\\r",
    "blank": " \\t",
    "xdigit": "0-9A-Fa-f",
    "word": "0-9A-Za-z_",
    "punct": "!-/:-@\\[-`{-~",
    "cntrl": "<the control characters themselves>",
    "print": " -~",
    "graph": "!-~",
    "ascii": "<the characters themselves>",
}
_FLAG_FIXES = {
    "s": "`.` never matches \\n or \\r; where they are meant, write (.|\\n|\\r)",
    "m": "remove it: a pattern has no anchors and always matches the whole value",
    "x": "remove it and the spaces (write a literal space as it is)",
    "u": "remove it: patterns always work on Unicode code points",
    "a": "remove it and spell classes out ([0-9], [A-Za-z])",
    "L": "remove it",
    "U": "remove it: quantifiers are neither greedy nor lazy when the whole value must match",
    "J": "remove it",
    "n": "remove it: groups capture nothing anyway",
}
_CONTROL_NAMES = {"v": "\\v (vertical tab)", "f": "\\f (form feed)", "a": "\\a (bell)", "e": "\\e (escape)", "0": "\\0 (NUL)"}
_CONTROL_CHARS = {"v": "\x0b", "f": "\x0c", "a": "\x07", "e": "\x1b", "0": "\x00"}


def _char_fix(char: str) -> str:
    name = unicodedata.name(char, "")
    if char.isprintable() and not char.isspace():
        return f"write the character itself: {char}" + (f" ({name})" if name and ord(char) > 0x7E else "")
    return f"write the character U+{ord(char):04X}{f' ({name})' if name else ''} itself, e.g. \"\\u{ord(char):04x}\" in a double-quoted YAML string"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> str:
        j = self.i + ahead
        return self.text[j] if j < len(self.text) else ""

    def refuse(self, offset: int, construct: str, message: str, fix: str, replacement: str | None = None) -> NoReturn:
        raise _Refused(PatternError(self.text, offset, construct, message, fix, replacement))

    # i-regexp = branch *( "|" branch )
    def regexp(self) -> Group:
        branches = [self.branch()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.branch())
        return Group(tuple(branches))

    # branch = *piece
    def branch(self) -> tuple[Piece, ...]:
        pieces: list[Piece] = []
        while self.peek() not in ("", "|", ")"):
            pieces.append(self.piece())
        return tuple(pieces)

    # piece = atom [ quantifier ]
    def piece(self) -> Piece:
        atom_start = self.i
        atom = self.atom()
        start = self.i
        bounds = self.quantifier()
        if bounds is None:
            return atom
        repeat = Repeat(atom, *bounds)
        after = self.peek()
        if after in ("?", "+"):
            kind = "lazy" if after == "?" else "possessive"
            self.refuse(
                self.i,
                f"{kind} quantifier {self.text[start:self.i + 1]}",
                f"I-Regexp has only plain quantifiers; the whole value is matched, so a {kind} one would change nothing",
                f"drop the {after}: {self.text[atom_start:self.i]}",
            )
        if after == "*" or (after == "{" and self._looks_like_bounds(self.i)):
            second = after if after == "*" else self.text[self.i : self.text.index("}", self.i) + 1]
            self.refuse(
                self.i,
                "quantifier after a quantifier",
                "a quantifier applies to one atom, and a quantified atom is not one",
                "wrap the quantified atom in a group: (" + self.text[atom_start : self.i] + ")" + second,
            )
        if _counted(repeat) and not _repeat_fits(repeat, MAX_REPEAT):
            self.refuse(
                start,
                "nested repetition over 1000",
                f"counted repetitions nested in each other multiply, and together they may repeat something at most {MAX_REPEAT} times (Go refuses more)",
                "use * or + for the inner or the outer one and bound the value with max_length",
            )
        return repeat

    def quantifier(self) -> tuple[int, int | None] | None:
        c = self.peek()
        if c == "*":
            self.i += 1
            return (0, None)
        if c == "+":
            self.i += 1
            return (1, None)
        if c == "?":
            self.i += 1
            return (0, 1)
        if c != "{":
            return None
        return self.bounds()

    def _looks_like_bounds(self, at: int) -> bool:
        j = at + 1
        while j < len(self.text) and self.text[j] in "0123456789,":
            j += 1
        return j < len(self.text) and self.text[j] == "}" and j > at + 1

    # range-quantifier = "{" QuantExact [ "," [ QuantExact ] ] "}"
    def bounds(self) -> tuple[int, int | None]:
        start = self.i
        self.i += 1
        low_at = self.i
        low = self.digits()
        if low is None:
            if self.peek() == ",":
                self.i += 1
                upper = self.digits()
                if upper is not None and self.peek() == "}":
                    self.refuse(start, "{,n}", "the lower bound is required (Python reads {,n} as {0,n}, Go and PCRE as text)", f"write {{0,{upper}}}", f"{{0,{upper}}}")
            self.refuse(start, "unescaped {", "a { starts a quantifier {n}, {n,} or {n,m}", "escape it: \\{")
        high: int | None = low
        high_at = low_at
        if self.peek() == ",":
            self.i += 1
            high_at = self.i
            high = self.digits()
        if self.peek() != "}":
            self.refuse(start, "unescaped {", "a { starts a quantifier {n}, {n,} or {n,m}", "escape it: \\{")
        self.i += 1
        for value, at in ((low, low_at), (high, high_at)):
            if value is not None and value > MAX_REPEAT:
                self.refuse(
                    at,
                    f"bound over {MAX_REPEAT}",
                    f"{value} is more than {MAX_REPEAT}, the largest bound every target compiles",
                    f"use at most {{{MAX_REPEAT}}}, or * / + with max_length for longer values",
                )
        if high is not None and high < low:
            self.refuse(start, f"bounds out of order {{{low},{high}}}", "the upper bound is below the lower one", f"write {{{high},{low}}}", f"{{{high},{low}}}")
        return (low, high)

    def digits(self) -> int | None:
        start = self.i
        while self.peek() and self.peek() in "0123456789":
            self.i += 1
        return int(self.text[start : self.i]) if self.i > start else None

    # atom = NormalChar / charClass / ( "(" i-regexp ")" )
    def atom(self) -> Atom:
        c = self.peek()
        at = self.i
        if c == "(":
            return self.group()
        if c == "[":
            return self.class_expr()
        if c == ".":
            self.i += 1
            return CharClass(_complement(((0x0A, 0x0A), (0x0D, 0x0D))), ".")
        if c == "\\":
            return self.escape(in_class=False)
        if c == "^":
            self.refuse(
                at,
                "anchor ^",
                "a pattern always matches the whole value, so it has no anchors",
                "drop the ^ (a literal ^ is written \\^)",
                "",
            )
        if c == "$":
            self.refuse(
                at,
                "anchor $",
                "a pattern always matches the whole value, so it has no anchors (and $ can match before a trailing newline)",
                "drop the $ (a literal $ is written [$])",
                "",
            )
        if c in "*+?":
            self.refuse(at, f"quantifier {c} without an atom", "there is nothing before it to repeat", f"escape it: \\{c}")
        if c == "{":
            if self._looks_like_bounds(at):
                self.refuse(at, "quantifier {n} without an atom", "there is nothing before it to repeat", "escape it: \\{")
            self.refuse(at, "unescaped {", "a { starts a quantifier {n}, {n,} or {n,m}", "escape it: \\{")
        if c in "}]":
            self.refuse(at, f"unescaped {c}", f"{c} closes nothing here", f"escape it: \\{c}")
        self.i += 1
        self.check_char(c, at)
        return Literal(c)

    def check_char(self, char: str, at: int) -> None:
        if _SURROGATES[0] <= ord(char) <= _SURROGATES[1]:
            self.refuse(at, "lone surrogate", f"U+{ord(char):04X} is half of a UTF-16 pair, not a character", "write the whole character")

    def group(self) -> Group:
        start = self.i
        if self.peek(1) == "?":
            self.special_group(start)
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.refuse(start, f"groups nested over {MAX_NESTING} deep", "PCRE and our own checks limit how deep groups nest", "flatten the pattern")
        self.i += 1
        body = self.regexp()
        if self.peek() != ")":
            self.refuse(start, "unclosed (", "this group is never closed", "close it with ) or escape it: \\(")
        self.i += 1
        self.depth -= 1
        return body

    def special_group(self, start: int) -> None:
        rest = self.text[start + 2 :]
        if rest.startswith(":"):
            self.refuse(start, "non-capturing group (?:", "I-Regexp has only plain groups (and they capture nothing here)", "write ( instead of (?:")
        if rest.startswith("="):
            self.refuse(start, "lookahead (?=", "I-Regexp has no lookaround (Go's RE2 cannot run it)", "describe the whole value without it, e.g. with alternatives")
        if rest.startswith("!"):
            self.refuse(start, "lookahead (?!", "I-Regexp has no lookaround (Go's RE2 cannot run it)", "describe the whole value without it, e.g. with a negated class [^...]")
        if rest.startswith("<=") or rest.startswith("<!"):
            self.refuse(start, f"lookbehind (?{rest[:2]}", "I-Regexp has no lookaround (Go's RE2 cannot run it)", "describe the whole value without it")
        if rest.startswith("P=") or rest.startswith("P>") or rest.startswith("&") or rest[:1].isdigit() or rest.startswith("R"):
            self.refuse(start, "backreference", "I-Regexp has no backreferences or recursion", "repeat the group's pattern itself")
        if rest.startswith("<") or rest.startswith("P<") or rest.startswith("'"):
            self.refuse(start, "named group", "I-Regexp has only plain groups", "write ( instead of (?<name>")
        if rest.startswith(">"):
            self.refuse(start, "atomic group (?>", "I-Regexp has only plain groups", "write ( instead of (?>")
        if rest.startswith("#"):
            end = self.text.find(")", start)
            self.refuse(start, "comment (?#", "I-Regexp has no comments", "remove it" if end < 0 else f"remove {self.text[start:end + 1]}")
        if rest.startswith("("):
            self.refuse(start, "conditional (?(", "I-Regexp has no conditionals", "use alternatives: (a|b)")
        if rest.startswith("|"):
            self.refuse(start, "branch reset (?|", "I-Regexp has only plain groups", "write ( instead of (?|")
        j = 0
        while j < len(rest) and (rest[j].isalpha() or rest[j] in "-^"):
            j += 1
        if j and j < len(rest) and rest[j] in "):":
            self.inline_flags(start, rest[:j], scoped=rest[j] == ":")
        self.refuse(start, "(? group", "I-Regexp has only plain groups", "write ( instead of (?")

    def inline_flags(self, start: int, flags: str, scoped: bool) -> None:
        written = f"(?{flags}{':' if scoped else ')'}"
        construct = f"inline flag {written}"
        message = "I-Regexp has no flags: a pattern means the same everywhere only without them"
        on = flags.split("-")[0].lstrip("^")
        if "i" in on:
            body_at = start + len(written)
            fix = "spell both cases out, e.g. [aA]"
            replacement = None
            inner = _Parser(self.text)
            inner.i = body_at
            inner.depth = self.depth
            try:
                body = inner.regexp()
                closing = inner.peek()
                if (scoped and closing == ")") or (not scoped and closing == ""):
                    spelled = _iregexp_group(_caseless_group(body))
                    original = self.text[start : inner.i + (1 if scoped else 0)]
                    replacement = spelled if not scoped else "(" + spelled + ")"
                    fix = f"spell both cases out: {replacement} instead of {original}"
            except _Refused:
                pass
            self.refuse(start, construct, message + " (and case folding differs between languages, K and the Kelvin sign K say)", fix, replacement)
        fixes = [_FLAG_FIXES.get(flag, "remove it") for flag in on if flag in _FLAG_FIXES] or ["remove it"]
        self.refuse(start, construct, message, fixes[0])

    # charClassExpr = "[" [ "^" ] ( "-" / CCE1 ) *CCE1 [ "-" ] "]"
    def class_expr(self) -> CharClass:
        start = self.i
        self.i += 1
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        if self.peek() == "]":
            self.refuse(self.i, "] at the start of a class", "a class needs at least one character, and ] ends it", "escape a literal ] as \\]")
        ranges: list[tuple[int, int]] = []
        if self.peek() == "-":
            ranges.append((0x2D, 0x2D))
            self.i += 1
        while True:
            c = self.peek()
            at = self.i
            if c == "":
                self.refuse(start, "unclosed [", "this class is never closed", "close it with ] or escape it: \\[")
            if c == "]":
                self.i += 1
                break
            if c == "-":
                if self.peek(1) == "":
                    self.refuse(start, "unclosed [", "this class is never closed", "close it with ] or escape it: \\[")
                if self.peek(1) == "]":
                    ranges.append((0x2D, 0x2D))
                    self.i += 1
                    continue
                if self.peek(1) == "[":
                    self.refuse(at, "class subtraction -[", "I-Regexp has no class subtraction", "list the remaining characters or ranges explicitly")
                self.refuse(at, "- inside a class", "a - that is not part of a range may only come first or last in a class", "escape it: \\-")
            if c == "[":
                self.class_bracket(at)
            if c == "\\" and self.peek(1) in ("p", "P"):
                ranges.extend(self.escape(in_class=True).ranges)  # type: ignore[union-attr]
                continue
            low = self.class_char()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                high_at = self.i
                if self.peek() == "\\" and self.peek(1) in ("p", "P"):
                    self.refuse(high_at, "range to a category", "a range goes from one character to another", "put the category beside the range, not in it")
                if self.peek() == "[":
                    self.class_bracket(high_at)
                if self.peek() == "-":
                    self.refuse(high_at, "- inside a class", "a - that is not part of a range may only come first or last in a class", "escape it: \\-")
                high = self.class_char()
                if high < low:
                    self.refuse(
                        at,
                        f"range out of order {self.text[at:self.i]}",
                        f"U+{low:04X} comes after U+{high:04X}",
                        "write the range from the smaller character to the larger",
                    )
                ranges.append((low, high))
            else:
                ranges.append((low, low))
        result = _normalize(ranges)
        return CharClass(_complement(result) if negated else result, self.text[start : self.i])

    def class_bracket(self, at: int) -> None:
        rest = self.text[at:]
        for kind, close in ((":", ":]"), ("=", "=]"), (".", ".]")):
            if rest.startswith("[" + kind):
                end = rest.find(close, 2)
                if end > 0:
                    name = rest[2:end]
                    if kind == ":":
                        spelled = _POSIX_CLASSES.get(name.lstrip("^"))
                        fix = f"write {spelled} instead of [:{name}:]" if spelled and "<" not in spelled else "list the characters or ranges explicitly"
                        self.refuse(at, f"POSIX class [[:{name}:]]", "only Go knows POSIX classes; the others read a different class", fix, spelled if spelled and "<" not in spelled else None)
                    self.refuse(at, f"POSIX collating element [{kind}{name}{kind}]", "I-Regexp has no collating elements", "write the characters themselves")
        self.refuse(at, "unescaped [ inside a class", "classes do not nest", "escape it: \\[")

    # CCchar = ( %x00-2C / %x2E-5A / %x5E-10FFFF ) / SingleCharEsc
    def class_char(self) -> int:
        at = self.i
        c = self.peek()
        if c == "\\":
            literal = self.escape(in_class=True)
            assert isinstance(literal, Literal)
            return ord(literal.char)
        self.i += 1
        self.check_char(c, at)
        return ord(c)

    def escape(self, in_class: bool) -> Literal | CharClass:
        at = self.i
        n = self.peek(1)
        if n == "":
            self.refuse(at, "trailing \\", "a backslash must escape something", "escape the backslash itself: \\\\")
        if n in _SINGLE_ESCAPES:
            self.i += 2
            return Literal(_SINGLE_ESCAPES[n])
        if n in ("p", "P"):
            return self.category(at, negated=n == "P")
        if n in _MULTI_ESCAPES:
            outside, inside = _MULTI_ESCAPES[n]
            if n in "iIcC":
                message = f"\\{n} is XML Schema's name-character class, not part of I-Regexp"
            else:
                message = f"\\{n} means different characters in different languages (ASCII or Unicode)"
            if in_class:
                fix = f"write {inside} inside the class" if inside else f"use a negated class {outside} on its own, or list the characters"
                replacement = inside
            else:
                fix, replacement = f"write {outside}", outside
            self.refuse(at, f"\\{n}", message, fix, replacement)
        if n in "bB":
            if in_class and n == "b":
                self.refuse(at, "\\b", "\\b inside a class is a backspace in some languages and an error in others", _char_fix("\x08"))
            self.refuse(at, f"word boundary \\{n}", "I-Regexp has no word boundaries, and languages disagree on what a word character is", "drop it: the pattern matches the whole value")
        if n in "AzZG":
            self.refuse(at, f"anchor \\{n}", "a pattern always matches the whole value, so it has no anchors", f"drop the \\{n}", "")
        if n in "123456789":
            self.refuse(at, f"backreference \\{n}", "I-Regexp has no backreferences (Go's RE2 cannot run them)", "repeat the group's pattern itself")
        if n in "kg" and self.peek(2) in ("<", "{", "'") or (n == "g" and self.peek(2).isdigit()):
            self.refuse(at, f"backreference \\{n}", "I-Regexp has no backreferences (Go's RE2 cannot run them)", "repeat the group's pattern itself")
        if n in "uxUN":
            self.code_point_escape(at, n)
        if n in _CONTROL_NAMES:
            self.refuse(at, _CONTROL_NAMES[n], "I-Regexp escapes only \\n, \\r and \\t, and the languages read the others differently", _char_fix(_CONTROL_CHARS[n]))
        if n in "QE":
            self.refuse(at, f"quoting \\{n}", "I-Regexp has no \\Q...\\E quoting", "escape each special character with a backslash")
        if n.isalnum():
            self.refuse(at, f"escape \\{n}", f"\\{n} is not an I-Regexp escape", "I-Regexp escapes only ( ) * + - . ? [ \\ ] ^ { | } and n r t; write the character without the backslash")
        if n == "$":
            self.refuse(at, "escaped $", "I-Regexp cannot escape $", "write [$]", "[$]")
        self.refuse(
            at,
            f"escaped {n}",
            f"{n} needs no backslash, and I-Regexp escapes only ( ) * + - . ? [ \\ ] ^ {{ | }} and n r t",
            f"write {n} without the backslash",
            n,
        )

    def code_point_escape(self, at: int, kind: str) -> None:
        rest = self.text[at + 2 :]
        value: int | None = None
        length = 2
        try:
            if kind == "N" and rest.startswith("{") and "}" in rest:
                name = rest[1 : rest.index("}")]
                value = ord(unicodedata.lookup(name))
                length += rest.index("}") + 1
            elif rest.startswith("{") and "}" in rest:
                value = int(rest[1 : rest.index("}")], 16)
                length += rest.index("}") + 1
            else:
                width = {"u": 4, "x": 2, "U": 8}.get(kind, 0)
                if width and len(rest) >= width and all(c in "0123456789abcdefABCDEF" for c in rest[:width]):
                    value = int(rest[:width], 16)
                    length += width
        except (KeyError, ValueError):
            value = None
        written = self.text[at : at + length]
        construct = f"\\{kind} escape"
        message = "I-Regexp has no code point escapes (Go cannot read \\u, Python re reads \\x{...} differently)"
        if value is None or value > MAX_CODE_POINT or _SURROGATES[0] <= value <= _SURROGATES[1]:
            self.refuse(at, construct, message, "write the character itself")
        char = chr(value)
        replacement = "\\" + char if char in "()*+-.?[\\]^{|}" else "[$]" if char == "$" else char
        fix = _char_fix(char) if replacement == char else f"write {replacement}"
        self.refuse(at, construct, message + f" ({written} is U+{value:04X})", fix, replacement)

    # catEsc = "\p{" charProp "}" / complEsc = "\P{" charProp "}"
    def category(self, at: int, negated: bool) -> CharClass:
        letter = "P" if negated else "p"
        if self.peek(2) != "{":
            name = self.peek(2)
            spelled = f"\\{letter}{{{name}}}" if name in _CATEGORY_NAMES else None
            fix = f"write {spelled}" if spelled else f"write the general category in braces, e.g. \\{letter}{{L}}"
            self.refuse(at, f"\\{letter}{name}", "a category is written in braces", fix, spelled)
        end = self.text.find("}", at + 3)
        if end < 0:
            self.refuse(at, f"unclosed \\{letter}{{", "the category name is never closed", "close it with }")
        name = self.text[at + 3 : end]
        if name not in _CATEGORY_NAMES:
            if name.startswith("Is") or name.startswith("In"):
                message = f"{name} is a Unicode block or script; I-Regexp knows only general categories"
                fix = "list the block's range explicitly, e.g. [\u0400-\u04ff] for Cyrillic"
            elif name in ("Cs", "LC", "L&"):
                message = f"{name} is not a general category I-Regexp allows"
                fix = "write \\p{L}" if name != "Cs" else "remove it: surrogates are never characters of a valid string"
            else:
                message = f"{name} is not a Unicode general category"
                close = [c for c in _CATEGORY_NAMES if c.lower() == name.lower()]
                fix = f"write \\{letter}{{{close[0]}}}" if close else "use a general category such as \\p{L}, \\p{Lu}, \\p{Nd}, or an explicit class"
            self.refuse(at, f"\\{letter}{{{name}}}", message, fix)
        self.i = end + 1
        ranges = category_ranges(name)
        return CharClass(_complement(ranges) if negated else ranges, self.text[at : self.i])


def _counted(repeat: Repeat) -> bool:
    """Whether the dialects get it as {n,m} (and not as *, + or ?)."""
    return (repeat.min, repeat.max) not in ((0, None), (1, None), (0, 1))


def _repeat_fits(node: Piece, budget: int) -> bool:
    """Go's repeatIsValid: nested counted repetitions multiply, up to `budget` copies."""
    if isinstance(node, Repeat):
        if _counted(node):
            count = node.max if node.max is not None else node.min
            if count == 0:
                return True
            if count > budget:
                return False
            budget //= count
        return _repeat_fits(node.atom, budget)
    if isinstance(node, Group):
        return all(_repeat_fits(piece, budget) for branch in node.branches for piece in branch)
    return True


# ---------------------------------------------------------------------------------------
# Writing the AST out per dialect.


@dataclass(frozen=True)
class _Dialect:
    name: str
    escape: Callable[[int], str]  # a code point as an escape sequence


_SYNTAX = set("^$\\.*+?()[]{}|/")  # backslash-escaped in every dialect, inside classes too
_PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ !\"#%&',:;<=>@`~")
_NAMED = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}


def _python_escape(cp: int) -> str:
    if cp < 0x100:
        return f"\\x{cp:02x}"
    if cp < 0x10000:
        return f"\\u{cp:04x}"
    return f"\\U{cp:08x}"


def _braced_escape(cp: int) -> str:
    return f"\\x{{{cp:x}}}"


def _ecma_escape(cp: int) -> str:
    # \uHHHH is read alike by ECMA-262 and Python's re; an astral \u{...} is not (and
    # \U is an error in ECMA's u mode), so astral characters stay themselves.
    if cp < 0x10000:
        return f"\\u{cp:04x}"
    return chr(cp)


_PYTHON = _Dialect("python", _python_escape)
_GO = _Dialect("go", _braced_escape)
_PCRE = _Dialect("pcre", _braced_escape)
_ECMA = _Dialect("ecma", _ecma_escape)


def _emit_char(cp: int, dialect: _Dialect, in_class: bool) -> str:
    char = chr(cp)
    if cp in _NAMED:
        return _NAMED[cp]
    if char in _SYNTAX or (in_class and char == "-"):
        return "\\" + char
    if char in _PLAIN or char == "-":
        return char
    return dialect.escape(cp)


_ALNUM_BLOCKS = ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A))


def _readable(ranges: Ranges) -> Iterator[tuple[int, int]]:
    """Ranges as a reader expects them: `0-9:` rather than the merged `0-:`."""
    for lo, hi in ranges:
        for block_lo, block_hi in _ALNUM_BLOCKS:
            if lo <= block_lo and block_hi <= hi and block_lo - lo <= 2 and hi - block_hi <= 2 and (lo, hi) != (block_lo, block_hi):
                if lo < block_lo:
                    yield (lo, block_lo - 1)
                yield (block_lo, block_hi)
                if hi > block_hi:
                    yield (block_hi + 1, hi)
                break
        else:
            yield (lo, hi)


def _emit_ranges(ranges: Ranges, dialect: _Dialect) -> str:
    out = []
    for lo, hi in _readable(ranges):
        out.append(_emit_char(lo, dialect, True))
        if hi > lo:
            if hi > lo + 1:
                out.append("-")
            out.append(_emit_char(hi, dialect, True))
    return "".join(out)


def _emit_class(node: CharClass, dialect: _Dialect) -> str:
    ranges = node.ranges
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return _emit_char(ranges[0][0], dialect, False)
    complement = _complement(ranges)
    positive = "[" + _emit_ranges(ranges, dialect) + "]"
    if not complement:
        return positive
    negative = "[^" + _emit_ranges(complement, dialect) + "]"
    if not ranges or len(negative) < len(positive):
        return negative
    return positive


def _emit_piece(piece: Piece, dialect: _Dialect) -> str:
    if isinstance(piece, Literal):
        return _emit_char(ord(piece.char), dialect, False)
    if isinstance(piece, CharClass):
        return _emit_class(piece, dialect)
    if isinstance(piece, Group):
        return "(?:" + _emit_group(piece, dialect) + ")"
    return _emit_piece(piece.atom, dialect) + _quantifier(piece)


# PCRE copies a group once per counted repetition and writes big classes out in full, so
# a pattern past PCRE_PLAIN_BUDGET defines its big classes and repeated groups once in
# (?(DEFINE)...) and calls them: a call is a few bytes, and PCRE2 (10.30 on) backtracks
# into calls like into groups, so the meaning is the same.
PCRE_PLAIN_BUDGET = 16_000
_PCRE_CALL = 12  # bytes of a (?&name) call, with margin
_PCRE_BIG_CLASS = 64  # bytes of a class worth defining once


def _utf8_length(cp: int) -> int:
    return 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4


def _class_size(node: CharClass) -> int:
    ranges = node.ranges
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return 2 + _utf8_length(ranges[0][0])
    # the shorter of the two spellings is emitted; a 32-byte bitmap for code points
    # below 256, then each wider range with its two ends (+10%: measured against PHP)
    size = min(
        sum(1 + _utf8_length(lo) + _utf8_length(hi) for lo, hi in r if hi > 0xFF) for r in (ranges, _complement(ranges)) if r
    )
    return 48 + size * 11 // 10


def _class_call(node: CharClass, copies: int) -> bool:
    """Whether a factored PCRE pattern calls the class (defined once) instead of writing
    it out here: when it is big, and the calls (one per copy PCRE makes) are smaller."""
    size = _class_size(node)
    return size > _PCRE_BIG_CLASS and copies * (_PCRE_CALL + 4) < size


def _repeat_copies(repeat: Repeat) -> int:
    """How many copies of a group PCRE compiles for the repetition."""
    if repeat.max is None:
        return repeat.min + 1
    return repeat.max if repeat.max > 0 else 1


def _pcre_size(node: Piece, factored: bool, seen: set[str] | None = None) -> int:
    """An upper bound of PCRE2's compiled size of the node, in bytes (plain or factored)."""
    if seen is None:
        seen = set()
    if isinstance(node, Literal):
        return 2 + _utf8_length(ord(node.char))
    if isinstance(node, CharClass):
        if factored and _class_call(node, 1):
            return _pcre_definition(node, seen) + _PCRE_CALL
        return _class_size(node)
    if isinstance(node, Group):
        return 8 + sum(4 + sum(_pcre_size(piece, factored, seen) for piece in branch) for branch in node.branches)
    copies = _repeat_copies(node)
    if isinstance(node.atom, CharClass):
        if factored and _class_call(node.atom, copies):
            return _pcre_definition(node.atom, seen) + copies * (_PCRE_CALL + 4)
        return _class_size(node.atom) + 8  # one item with its counts
    if isinstance(node.atom, Literal):
        return _pcre_size(node.atom, False) + 8
    atom = _pcre_size(node.atom, factored, seen)
    if factored and copies > 1:
        return atom + 8 + copies * (_PCRE_CALL + 4)
    return copies * (atom + 8)


def _pcre_definition(node: CharClass, seen: set[str]) -> int:
    """The size of a class's definition the first time it is called, then nothing."""
    text = _emit_class(node, _PCRE)
    if text in seen:
        return 0
    seen.add(text)
    return _class_size(node) + 8


class _PcreDefinitions:
    """The (?(DEFINE)...) of a factored PCRE pattern: each body once, by its text."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def call(self, body: str, kind: str) -> str:
        name = self.names.get(body)
        if name is None:
            name = self.names[body] = f"{kind}{len(self.names)}"
        return f"(?&{name})"

    def piece(self, piece: Piece) -> str:
        if isinstance(piece, CharClass):
            text = _emit_class(piece, _PCRE)
            return self.call(text, "c") if _class_call(piece, 1) else text
        if isinstance(piece, Group):
            return "(?:" + self.group(piece) + ")"
        if isinstance(piece, Repeat):
            copies = _repeat_copies(piece)
            if isinstance(piece.atom, Group) and copies > 1:
                return self.call(self.group(piece.atom), "g") + _quantifier(piece)
            if isinstance(piece.atom, CharClass) and _class_call(piece.atom, copies):
                return self.call(_emit_class(piece.atom, _PCRE), "c") + _quantifier(piece)
            return (self.piece(piece.atom) if isinstance(piece.atom, Group) else _emit_piece(piece.atom, _PCRE)) + _quantifier(piece)
        return _emit_piece(piece, _PCRE)

    def group(self, group: Group) -> str:
        return "|".join("".join(self.piece(piece) for piece in branch) for branch in group.branches)


def _emit_pcre(root: Group) -> str:
    if _pcre_size(root, factored=False) <= PCRE_PLAIN_BUDGET:
        return "/(*NO_JIT)\\A(?:" + _emit_group(root, _PCRE) + ")\\z/u"
    definitions = _PcreDefinitions()
    body = definitions.group(root)
    defined = "".join(f"(?<{name}>{text})" for text, name in definitions.names.items())
    return "/(*NO_JIT)(?(DEFINE)" + defined + ")\\A(?:" + body + ")\\z/u"


def _quantifier(repeat: Repeat) -> str:
    low, high = repeat.min, repeat.max
    if (low, high) == (0, None):
        return "*"
    if (low, high) == (1, None):
        return "+"
    if (low, high) == (0, 1):
        return "?"
    if high is None:
        return f"{{{low},}}"
    if high == low:
        return f"{{{low}}}"
    return f"{{{low},{high}}}"


def _emit_group(group: Group, dialect: _Dialect) -> str:
    return "|".join("".join(_emit_piece(piece, dialect) for piece in branch) for branch in group.branches)


# I-Regexp itself (for fixes and docs): no hex escapes exist, so characters stay themselves.
_IREGEXP_ESCAPED = set("()*+.?[\\]{|}^")


def _iregexp_char(cp: int, in_class: bool) -> str:
    char = chr(cp)
    if cp in _NAMED:
        return _NAMED[cp]
    if char in _IREGEXP_ESCAPED or (in_class and char == "-"):
        return "\\" + char
    if char == "$" and not in_class:
        return "[$]"
    return char


def _iregexp_class(node: CharClass) -> str:
    if node.spelling:
        return node.spelling
    ranges = node.ranges
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return _iregexp_char(ranges[0][0], False)
    parts = []
    for lo, hi in ranges:
        parts.append(_iregexp_char(lo, True) + ("" if hi == lo else ("-" if hi > lo + 1 else "") + _iregexp_char(hi, True)))
    return "[" + "".join(parts) + "]"


def _iregexp_piece(piece: Piece) -> str:
    if isinstance(piece, Literal):
        return _iregexp_char(ord(piece.char), False)
    if isinstance(piece, CharClass):
        return _iregexp_class(piece)
    if isinstance(piece, Group):
        return "(" + _iregexp_group(piece) + ")"
    return _iregexp_piece(piece.atom) + _quantifier(piece)


def _iregexp_group(group: Group) -> str:
    return "|".join("".join(_iregexp_piece(piece) for piece in branch) for branch in group.branches)


def _case_variants(cp: int) -> set[int]:
    char = chr(cp)
    out = {cp}
    for other in (char.lower(), char.upper()):
        if len(other) == 1:
            out.add(ord(other))
    return out


def _caseless_piece(piece: Piece) -> Piece:
    """What (?i) meant, spelled with both cases (simple one-to-one case pairs only)."""
    if isinstance(piece, Literal):
        variants = _case_variants(ord(piece.char))
        if len(variants) == 1:
            return piece
        others = sorted(variants - {ord(piece.char)})
        spelling = "[" + "".join(_iregexp_char(cp, True) for cp in [ord(piece.char), *others]) + "]"
        return CharClass(_normalize([(v, v) for v in variants]), spelling)
    if isinstance(piece, CharClass):
        extra: list[tuple[int, int]] = list(piece.ranges)
        for lo, hi in piece.ranges:
            if hi - lo > 0x400:
                continue  # a large class: its other cases are most likely in it already
            for cp in range(lo, hi + 1):
                extra.extend((v, v) for v in _case_variants(cp))
        ranges = _normalize(extra)
        return piece if ranges == piece.ranges else CharClass(ranges, "")
    if isinstance(piece, Group):
        return _caseless_group(piece)
    return Repeat(_caseless_piece(piece.atom), piece.min, piece.max)  # type: ignore[arg-type]


def _caseless_group(group: Group) -> Group:
    return Group(tuple(tuple(_caseless_piece(p) for p in branch) for branch in group.branches))


# ---------------------------------------------------------------------------------------
# The meaning, straight from the AST: the set of positions each node can end at.


def _match_piece(piece: Piece, text: str, starts: frozenset[int]) -> frozenset[int]:
    if not starts:
        return starts
    if isinstance(piece, Literal):
        return frozenset(p + 1 for p in starts if p < len(text) and text[p] == piece.char)
    if isinstance(piece, CharClass):
        return frozenset(p + 1 for p in starts if p < len(text) and _contains(piece.ranges, ord(text[p])))
    if isinstance(piece, Group):
        return _match_group(piece, text, starts)
    current = starts
    for _ in range(piece.min):
        current = _match_piece(piece.atom, text, current)
        if not current:
            return current
    reached = set(current)
    frontier = current
    extra = 0
    while frontier and (piece.max is None or extra < piece.max - piece.min):
        step = _match_piece(piece.atom, text, frontier)
        if piece.max is not None and step == frontier:
            break  # the same positions again: more rounds add nothing
        frontier = frozenset(step - reached) if piece.max is None else step
        reached |= step
        extra += 1
    return frozenset(reached)


def _match_group(group: Group, text: str, starts: frozenset[int]) -> frozenset[int]:
    out: set[int] = set()
    for branch in group.branches:
        current = starts
        for piece in branch:
            current = _match_piece(piece, text, current)
            if not current:
                break
        out |= current
    return frozenset(out)


# ---------------------------------------------------------------------------------------
# Samples: valid strings through every branch, invalid ones a character away.

# Characters the languages' engines disagree on, tried against every class and literal.
TRAPS = (
    "\n",  # `$` matches before it in Python and PCRE
    "\r",  # `.` matches it in Python and PCRE
    "\u2028",  # LINE SEPARATOR: `.` does not match it in ECMA-262
    "\U0001f600",  # astral: two UTF-16 units, one character
    "\x0b",  # vertical tab: \s in Python and PCRE, not in Go
    "\u0663",  # ARABIC-INDIC DIGIT THREE: \d in Unicode mode
    "\u00e9",  # é: \w in Unicode mode
    "\u212a",  # KELVIN SIGN: case-folds to k
    "\u2029",
    "\x85",  # NEXT LINE: a line break to some engines
    "\x0c",
    "\u00a0",  # NO-BREAK SPACE: \s in Unicode mode
    "\uff13",  # FULLWIDTH DIGIT THREE
    "\U0001d7d9",  # MATHEMATICAL DOUBLE-STRUCK DIGIT ONE (astral \d)
    "\u00c9",
    "\u0436",  # ж
    "\u017f",  # LATIN SMALL LETTER LONG S: case-folds to s
    "\u0130",  # LATIN CAPITAL LETTER I WITH DOT ABOVE
    "\U00010400",  # DESERET CAPITAL LETTER LONG I: an astral letter
    "\x00",
    " ",
    "\t",
    "_",
    "-",
    "0",
    "a",
    "A",
    "$",
    "^",
)
_NICE = "aA0zZ9"
_INTERESTING = ("\u00e9", "\u0436", "\u540d", "\U0001f600", "\u00df", "\u0663")
MAX_SAMPLES = 64


def _pick(node: CharClass, variant: int) -> str:
    """A member of the class: a plain one first, then a non-ASCII and an astral one."""
    ranges = node.ranges
    if variant % 3 == 0:
        for char in _NICE:
            if char in node:
                return char
        for lo, hi in ranges:
            for cp in range(max(lo, 0x21), min(hi, 0x7E) + 1):
                return chr(cp)
        for lo, hi in ranges:
            cp = max(lo, 0xA1)
            if cp <= hi:
                return chr(cp)
        return chr(ranges[0][0])
    if variant % 3 == 2:
        for lo, hi in ranges:
            if hi >= 0x10000:
                cp = max(lo, 0x10000)
                return "\U0001f600" if lo <= 0x1F600 <= hi else chr(cp)
    for char in _INTERESTING:
        if char in node:
            return char
    return chr(ranges[-1][1]) if variant % 2 else chr(ranges[0][0])


class _Generator:
    """Builds one valid string; `forced` picks a branch of some groups, `variant` the
    rest (repeat counts, class members)."""

    def __init__(self, forced: dict[int, int], need: frozenset[int], variant: int) -> None:
        self.forced = forced
        self.need = need  # repeats that must run at least once to reach a forced branch
        self.variant = variant
        self.out: list[tuple[str, Piece]] = []

    def group(self, group: Group) -> None:
        index = self.forced.get(id(group), 0)
        for piece in group.branches[index]:
            self.piece(piece)

    def piece(self, piece: Piece) -> None:
        if isinstance(piece, Literal):
            self.out.append((piece.char, piece))
        elif isinstance(piece, CharClass):
            if not piece.ranges:
                raise _Unmatchable
            self.out.append((_pick(piece, self.variant and self.variant + len(self.out)), piece))
        elif isinstance(piece, Group):
            self.group(piece)
        else:
            count = piece.min
            if self.variant % 2 and (piece.max is None or piece.max > piece.min):
                count = min(piece.min + 1 + self.variant // 2, piece.max if piece.max is not None else piece.min + 3)
            if id(piece) in self.need:
                count = max(count, 1)
            for _ in range(count):
                self.piece(piece.atom)


class _Unmatchable(Exception):
    """A class without members (e.g. [^\\p{L}\\P{L}]) on the way: no string matches."""


def _branch_targets(root: Group) -> list[tuple[dict[int, int], frozenset[int]]]:
    targets: list[tuple[dict[int, int], frozenset[int]]] = []

    def walk(piece: Piece, forced: dict[int, int], need: frozenset[int]) -> None:
        if isinstance(piece, Group):
            for k, branch in enumerate(piece.branches):
                here = {**forced, id(piece): k}
                targets.append((here, need))
                for inner in branch:
                    walk(inner, here, need)
        elif isinstance(piece, Repeat) and piece.max != 0:
            walk(piece.atom, forced, need | {id(piece)})

    walk(root, {}, frozenset())
    return targets


def _samples(pattern: Pattern) -> Samples:
    """Valid: one string per branch first, then the traps a class holds, then longer
    repetitions and other class members. Invalid: the most telling first (a trailing
    newline, each position's nearest outsider), then every trap at every position."""
    covering: list[list[tuple[str, Piece]]] = []
    varied: list[list[tuple[str, Piece]]] = []
    plans = [(forced, need, 0) for forced, need in _branch_targets(pattern.root)] + [({}, frozenset(), v) for v in (1, 2, 3, 5)]
    for forced, need, variant in plans:
        generator = _Generator(forced, need, variant)
        try:
            generator.group(pattern.root)
        except _Unmatchable:
            continue
        (covering if variant == 0 else varied).append(generator.out)
    built = [chars for chars in covering + varied if pattern.matches("".join(c for c, _ in chars))]
    texts = ["".join(c for c, _ in chars) for chars in built]
    # the traps a class does hold are valid: U+2028 and an astral character against `.`
    held: list[str] = []
    for chars, text in zip(built[:1], texts):
        for i, (char, origin) in enumerate(chars):
            if isinstance(origin, CharClass):
                held.extend(text[:i] + trap + text[i + 1 :] for trap in TRAPS if trap != char and trap in origin)
    first_varied = len([c for c in covering if c in built])
    ordered = texts[:first_varied] + held[:8] + texts[first_varied:] + held[8:]
    valid = list(dict.fromkeys(ordered))[:MAX_SAMPLES]

    invalid: list[str] = []

    def offer(candidate: str) -> None:
        if candidate not in invalid and candidate not in valid and len(invalid) < MAX_SAMPLES and not pattern.matches(candidate):
            invalid.append(candidate)

    for chars, text in list(zip(built, texts))[:3]:
        changes = [[text[:i] + r + text[i + 1 :] for r in _replacements(char, origin)] for i, (char, origin) in enumerate(chars)]
        offer(text + "\n")
        for k, position in enumerate(changes[:8]):
            if position:
                offer(position[k % len(position)])  # a different kind of near miss at each place
        for candidate in (text + "\r\n", "\n" + text, text[:-1], text + text[-1:]):
            offer(candidate)
        for round_ in zip_longest(*changes):
            for candidate in round_:
                if candidate is not None:
                    offer(candidate)
        for trap in TRAPS[:12]:
            offer(text + trap)
    if not valid:
        for trap in ("",) + TRAPS:
            offer(trap)
    return Samples(tuple(valid), tuple(invalid))


def _replacements(char: str, origin: Piece) -> Iterator[str]:
    if isinstance(origin, Literal):
        for other in (char.swapcase(), char.upper(), char.lower()):
            if other != char and len(other) == 1:
                yield other
        for trap in TRAPS:
            if trap != char:
                yield trap
        return
    assert isinstance(origin, CharClass)
    for lo, hi in origin.ranges[:4]:  # just outside the class's edges
        for cp in (lo - 1, hi + 1):
            if 0 <= cp <= MAX_CODE_POINT and not _SURROGATES[0] <= cp <= _SURROGATES[1] and not _contains(origin.ranges, cp):
                yield chr(cp)
    for trap in TRAPS:
        if trap not in origin:
            yield trap
