"""Where libyaml and YAML 1.2 part ways, told apart by cheap looks at the source.

clickgen/yamlread.py builds documents from libyaml's events (PyYAML's C parser), a YAML
1.1 parser with a few shortcuts. Against YAML 1.2 (and the YAML test suite) it

- accepts some invalid documents: a line continuing a flow collection or a quoted
  scalar that is indented no deeper than its parent, or by a tab; a comment glued to the
  token before it (`"a"#c`, `[a]#c`, `|#c`, `%YAML 1.2#c`); `-` alone in a flow
  collection; leading empty lines of a block scalar longer than its first line;
- reads some valid ones differently: `[?x]` (the text "?x"), `&a:b x` (the anchor
  "a:b"), a block scalar whose last line ends the file without a line break;
- refuses some valid ones: tabs as separation, keys of flow mappings over several lines,
  `:x` in flow collections, reserved directives, anchor names beyond [A-Za-z0-9_-], ...

Each difference is one construct, not a whole parse. The checks here look at libyaml's
marks and the raw lines they point at, and run only where the construct can be: a flow
collection or quoted scalar over several lines, a `#` glued to a quote or bracket, a
block scalar, an anchor, or libyaml's own failure. A document libyaml accepts but YAML
1.2 forbids is reported as CG0001 (invalid YAML, as from libyaml itself); a valid one
libyaml would read differently or refuses is CG0014 (valid YAML 1.2 the reader does not
support), each with how to write it instead.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Callable

from yaml import events as ev

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # as libyaml (and so its marks) counts lines


@dataclass(frozen=True)
class Finding:
    """A problem at a 1-based line and column, before it becomes a diagnostic."""

    code: str  # CG0001: invalid YAML; CG0014: valid YAML 1.2 the reader does not support
    line: int
    col: int
    message: str
    hint: str
    # for a construct libyaml refuses: the text with it written the way libyaml reads,
    # every other character in place, to find whether the rest of the document is valid
    rewrite: str | None = None


def split_lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text)


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    return len(breaks) + 1, index - (breaks[-1].end() if breaks else 0) + 1


def _unsupported(line: int, col: int, construct: str, hint: str, rewrite: str | None = None) -> Finding:
    return Finding("CG0014", line, col, f"valid YAML 1.2, but clickgen's YAML reader does not support {construct}", hint, rewrite)


def _replaced(text: str, index: int, by: str) -> str:
    return text[:index] + by + text[index + len(by) :]


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- lines that continue a flow node -------------------------------------------------


def continuation_problem(lines: list[str], parent: int, first: int, last: int, what: str, quoted: bool) -> Finding | None:
    """Check lines first+1..last (0-based) of a flow collection (quoted=False) or quoted
    scalar (quoted=True) whose closest block collection is indented `parent` columns
    (-1: none, the node is the document's root).

    YAML 1.2 (s-flow-line-prefix, sections 6.3 and 7): a flow node in block context sits
    at indentation parent+1, so each of its lines after the first starts with at least
    parent+1 spaces; tabs may follow those spaces, never stand for them. A blank line may
    be indented less (spaces only, inside a quoted scalar), and in a flow collection so
    may a comment line. A closing bracket at the parent's own indentation is tolerated,
    as the `yaml` npm library does (it only warns): `key: [` ... `]` is common.
    """
    need = parent + 1
    if need <= 0:
        return None
    for number in range(first + 1, min(last, len(lines) - 1) + 1):
        line = lines[number]
        body = line.lstrip(" ")
        spaces = len(line) - len(body)
        if spaces >= need:
            continue
        content = body.lstrip(" \t")
        if not quoted and (not content or content[0] == "#"):
            continue
        if quoted and not body:
            continue
        if not quoted and spaces == parent and content[0] in "]}":
            continue
        started = f"that starts at line {first + 1}"
        if body[:1] == "\t":
            message = f"invalid YAML: a tab indents this line of the {what} {started}; YAML indents with spaces only"
        else:
            message = f"invalid YAML: this line of the {what} {started} must be indented more than its parent, by at least {_spaces(need)}"
        hint = f"indent the line with at least {_spaces(need)}" + (", or keep the string on one line" if quoted else "")
        return Finding("CG0001", number + 1, spaces + 1, message, hint)
    return None


# --- block scalars -------------------------------------------------------------------

# a block scalar's start: optional properties, then `|` or `>` and its indicators
_BLOCK_HEADER = re.compile(r"(?:[!&][^ \t\r\n]*[ \t]+)*[|>]([1-9][-+]?|[-+][1-9]?)?")


def block_scalar(text: str, lines_of: Callable[[], list[str]], event: Any, parent_of: Callable[[], int]) -> tuple[Finding | None, str]:
    """Check a block scalar's header and leading empty lines; return its value as YAML 1.2
    reads it. The text's lines and the indentation of the block collection around the
    scalar are asked for only when its leading empty lines need a look."""
    value: str = event.value
    header = _BLOCK_HEADER.match(text, event.start_mark.index)
    if header is None:  # properties over several lines: nothing to compare with
        return None, value
    indicators = header.group(1) or ""
    end = header.end()
    if text[end : end + 1] == "#":
        line, col = position(text, end)
        return Finding("CG0001", line, col, "invalid YAML: a comment needs a space before '#'", "put a space between the block scalar's indicator and '#'"), value
    if not any(c.isdigit() for c in indicators) and not value.strip("\n"):
        # YAML 1.2 (8.1.1.1): the first non-empty line sets the indentation, and no empty
        # line before it may hold more spaces; libyaml takes the longest one instead
        lines, parent = lines_of(), parent_of()
        header_line = position(text, end)[0]  # 1-based: the index of the next line
        longest, longest_at, number = 0, header_line, header_line
        while number < len(lines) and not lines[number].strip(" "):
            if len(lines[number]) > longest:
                longest, longest_at = len(lines[number]), number
            number += 1
        if number < len(lines):
            first = len(lines[number]) - len(lines[number].lstrip(" "))
            if parent < first < longest:
                return Finding(
                    "CG0001",
                    longest_at + 1,
                    first + 1,
                    f"invalid YAML: this empty line of the block scalar holds {longest} spaces, more than its first line ({first})",
                    "remove the trailing spaces from the empty lines after '|' or '>'",
                ), value
    if "-" not in indicators and value and value[-1] != "\n" and event.end_mark.index >= len(text):
        # the file ends inside the scalar's last line: YAML 1.2 readers (and the YAML test
        # suite) keep its line break, as for any other last line; libyaml drops it
        value += "\n"
    return None, value


# --- anchors and aliases -------------------------------------------------------------

_ANCHOR_NAME = re.compile(r"[^\s,\[\]{}]+")
# a plain scalar's first line in a flow collection (up to ': ', ' #' or a flow indicator)
_PLAIN_IN_FLOW = re.compile(r"[^\s,\[\]{}](?:[^\s,\[\]{}:#]|:(?=[^\s,\[\]{}])|(?<=\S)#)*")


def glued_anchor(text: str, index: int, sigil: str, name: str) -> Finding | None:
    """libyaml ends an anchor or alias name at the first character other than a letter,
    digit, '-' or '_', and lets ':', '?', '%', '@' and '`' follow; YAML 1.2 names run up
    to a space or flow indicator (`&a:b` is the anchor "a:b")."""
    at = text.find(sigil + name, index)
    after = at + 1 + len(name)
    if at < 0 or text[after : after + 1] not in (":", "?", "%", "@", "`"):
        return None
    full = _ANCHOR_NAME.match(text, at + 1)
    whole = full.group() if full else name
    line, col = position(text, at)
    kind = "anchor" if sigil == "&" else "alias"
    return _unsupported(line, col, f"the {kind} name {whole!r} (it holds {text[after]!r})", "rename the anchor and its aliases with letters, digits, '-' and '_' only")


def _anchor_at_failure(text: str, index: int) -> Finding | None:
    """libyaml stopped inside what YAML 1.2 reads as an anchor or alias name."""
    start = index
    while start > 0 and _ANCHOR_NAME.match(text[start - 1]):
        start -= 1
        if text[start] in "&*" and (start == 0 or text[start - 1] in " \t\r\n[{,"):
            full = _ANCHOR_NAME.match(text, start + 1)
            if full and full.end() > index and not re.fullmatch(r"[A-Za-z0-9_-]+", full.group()):
                line, col = position(text, start)
                kind = "anchor" if text[start] == "&" else "alias"
                name = full.group()
                plain = re.sub(r"[^A-Za-z0-9_-]", "_", name)
                return _unsupported(
                    line,
                    col,
                    f"the {kind} name {name!r}",
                    "rename the anchor and its aliases with letters, digits, '-' and '_' only",
                    text.replace("&" + name, "&" + plain).replace("*" + name, "*" + plain),
                )
    return None


# --- directives ----------------------------------------------------------------------


def directive_problem(lines: list[str], document_line: int) -> Finding | None:
    """A comment glued to a directive (`%YAML 1.2#c`): libyaml reads it as a comment."""
    for number, line in enumerate(lines[:document_line]):
        hash_at = line.find("#")
        if not line.startswith("%") or hash_at < 0 or line[hash_at - 1] in " \t":
            continue  # the first '#' starts a comment, or there is none
        col = hash_at + 1
        if line.startswith("%TAG"):  # '#' belongs to a tag prefix in YAML 1.2
            return _unsupported(number + 1, col, "'#' in a %TAG prefix", "remove the %TAG directive and write the tags out")
        return Finding("CG0001", number + 1, col, "invalid YAML: a comment needs a space before '#'", "put a space before '#'")
    return None


# --- tokens glued together -----------------------------------------------------------
# Where libyaml ends a token without a space and YAML 1.2 does not: a '#' right after a
# quote, bracket, comma or ':' (a comment for libyaml), `?x` (an explicit key for libyaml),
# `-` before a flow indicator (a scalar for libyaml). Outside flow collections these are
# caught where they stand (a quoted scalar's end, a block scalar's header, a directive);
# a flow collection that holds '#', '?' or '-]' sends the document to `check_suspects`.

_GLUED_HASH = re.compile(r"""[]\["'{},:?]#""")
# `?x` and `-]` at the start of a flow entry (the match ends at the '?' or '-')
_FLOW_QUESTION = re.compile(r"(?:(?<=[\[{,])|^)[ \t]*\?(?=[^\s\]\[{},])", re.M)
_FLOW_DASH = re.compile(r"(?:(?<=[\[{,])|^)[ \t]*-(?=[\]\[{},])", re.M)


def flow_suspect(source: str) -> bool:
    """Whether the source of a flow collection (and the character after it) holds a
    suspect; cheap, `check_suspects` tells for sure."""
    if "#" in source and _GLUED_HASH.search(source):
        return True
    if "?" in source and _FLOW_QUESTION.search(source):
        return True
    return ("-," in source or "-]" in source or "-}" in source) and _FLOW_DASH.search(source) is not None


def all_events(text: str, loader_class: Callable[[str], Any]) -> list[Any]:
    """libyaml's events for the text, up to its error if it has one."""
    events: list[Any] = []
    loader = loader_class(text)
    try:
        while True:
            event = loader.get_event()
            events.append(event)
            if event.__class__ is ev.StreamEndEvent:
                return events
    except Exception:  # noqa: BLE001 - any error of libyaml ends the events
        return events
    finally:
        loader.dispose()


def check_suspects(text: str, events: list[Any], until: int | None = None) -> Finding | None:
    """Look at each suspect (before index `until`) with the scalars of `events`: a glued
    '#' outside every scalar is a comment without a space (YAML 1.2: invalid); `?x`
    outside every scalar is libyaml's explicit key (YAML 1.2: the text "?x"); a plain `-`
    in a flow collection before a flow indicator is no node at all in YAML 1.2."""
    starts: list[int] = []
    ends: list[int] = []
    dashes: set[int] = set()  # where a plain scalar "-" starts inside a flow collection
    flows: list[bool] = []
    for event in events:
        cls = event.__class__
        if cls is ev.ScalarEvent:
            starts.append(event.start_mark.index)
            ends.append(event.end_mark.index)
            if event.value == "-" and not event.style and any(flows):
                dashes.add(event.start_mark.index)
        elif cls is ev.MappingStartEvent or cls is ev.SequenceStartEvent:
            flows.append(bool(event.flow_style))
        elif (cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent) and flows:
            flows.pop()
    end = len(text) if until is None else until

    def inside_scalar(index: int) -> bool:
        j = bisect_right(starts, index) - 1
        return j >= 0 and index < ends[j]

    def in_comment(index: int) -> bool:
        """Whether a '#' outside every scalar comes before `index` on its line."""
        line_start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
        hash_at = text.find("#", line_start, index)
        while hash_at >= 0:
            if not inside_scalar(hash_at):
                return True
            hash_at = text.find("#", hash_at + 1, index)
        return False

    found: list[tuple[int, Finding]] = []
    for match in _GLUED_HASH.finditer(text, 0, end):
        at = match.end() - 1
        if not inside_scalar(at) and not in_comment(at) and not _directive_line(text, at):
            line, col = position(text, at)
            found.append((at, Finding("CG0001", line, col, "invalid YAML: a comment needs a space before '#'", "put a space before '#', or quote the value if '#' belongs to it")))
            break
    for match in _FLOW_QUESTION.finditer(text, 0, end):
        at = match.end() - 1
        if not inside_scalar(at) and not in_comment(at):
            token = _PLAIN_IN_FLOW.match(text, at)
            written = token.group() if token else "?"
            line, col = position(text, at)
            found.append(
                (at, _unsupported(line, col, f"{written!r} in a flow collection (the text {written!r}: the reader takes '?' for an explicit key)", f"quote it: {_quote(written)}"))
            )
            break
    for match in _FLOW_DASH.finditer(text, 0, end):
        at = match.end() - 1
        if at in dashes and not in_comment(at):
            line, col = position(text, at)
            found.append(
                (
                    at,
                    Finding(
                        "CG0001",
                        line,
                        col,
                        "invalid YAML: '-' followed by ',', ']' or '}' is not an item of a flow collection (a plain scalar cannot start with '-' there)",
                        "quote it: '-'",
                    ),
                )
            )
            break
    return min(found, key=lambda pair: pair[0])[1] if found else None


def _directive_line(text: str, index: int) -> bool:
    line_start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    return text.startswith("%", line_start)


# --- what libyaml refuses ------------------------------------------------------------

_COMMENT = re.compile(r"(?:(?<=[ \t])|^)#[^\r\n]*", re.M)
_BLOCK_INDICATOR = re.compile(r"[-?:](?:[ \t]|$)")
_IMPLICIT_KEY = re.compile(r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\[{](?:[^#:]|:(?=\S)|(?<=\S)#)*?)[ \t]*:(?:[ \t]|$)""")


def _flow_node_follows(rest: str) -> bool:
    """Whether what follows a tab on its line is a flow node (a scalar or flow collection)
    or a comment, which YAML 1.2 allows after separation spaces and tabs; a block
    collection (`- x`, `? x`, `key: x`) must be indented with spaces instead."""
    if not rest or rest[0] == "#":
        return True
    if rest[0] in "[{":  # a flow collection, unless it is the key of a block mapping
        depth, quote = 0, ""
        for i, c in enumerate(rest):
            if quote:
                quote = "" if c == quote else quote
            elif c in "\"'":
                quote = c
            elif c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
                if depth == 0:
                    return re.match(r"[ \t]*:(?:[ \t]|$)", rest[i + 1 :]) is None
        return True
    if rest[0] in "]},%@`":  # nothing a node can start with
        return False
    return not _BLOCK_INDICATOR.match(rest) and not _IMPLICIT_KEY.match(rest)


def _continues_plain(lines: list[str], number: int, parent: int) -> bool:
    """Whether the first line after `number` that is not blank continues a plain scalar
    whose closest block collection is indented `parent` (it is indented deeper, and is
    no comment)."""
    for line in lines[number + 1 :]:
        content = line.lstrip(" \t")
        if content:
            return content[0] != "#" and len(line) - len(line.lstrip(" ")) > parent
    return False


# an anchor or tag alone on its line (maybe with a comment)
_PROPERTIES_LINE = re.compile(r"(?:[&!][^ \t]*[ \t]*)+(?:#.*)?")


def block_indent(text: str, lines: list[str], mark: Any) -> int:
    """The indentation of a block collection from its start mark: the column of its first
    key or '-', or, when the mark is at the collection's anchor or tag (which stand on a
    line of their own), the indentation of its first entry's line."""
    column = int(mark.column)
    if text[mark.index : mark.index + 1] in ("&", "!") and mark.line < len(lines) and _PROPERTIES_LINE.fullmatch(lines[mark.line], column):
        return first_content_indent(lines, mark.line + 1)
    return column


def first_content_indent(lines: list[str], number: int) -> int:
    """Leading spaces of the first line from `number` (0-based) that is neither blank nor
    a comment."""
    for line in lines[number:]:
        content = line.lstrip(" ")
        if content.strip(" \t") and content.lstrip(" \t")[0] != "#":
            return len(line) - len(content)
    return 0


def classify_failure(text: str, error: Any, events: list[Any]) -> Finding | None:
    """When libyaml refuses a document, whether what stands at its error is a YAML 1.2
    construct libyaml lacks (CG0014); None when the document is invalid there, as far as a
    look at the construct can tell. Before calling it valid, what libyaml read before its
    error must be valid YAML 1.2 too: a glued comment, or a line of the flow collection
    around the error too shallow, is reported instead (CG0001). `events` are those libyaml
    gave before failing."""
    found = _construct_at_failure(text, error, events)
    if found is None or found.code != "CG0014":
        return found
    mark = error.problem_mark
    # what libyaml read before failing: beyond its last event, nothing is known
    read = max((e.end_mark.index for e in events if e.__class__ is not ev.StreamEndEvent), default=0)
    earlier = check_suspects(text, events, min(mark.index, read))
    if earlier is not None and earlier.code == "CG0001":
        return earlier
    stack = _open_collections(events)
    flows = [e for e in stack if e.flow_style]
    if flows:
        lines = split_lines(text)
        outer = flows[0]
        around = [e for e in stack[: stack.index(outer)] if not e.flow_style]
        what = "[ list" if outer.__class__ is ev.SequenceStartEvent else "{ mapping"
        shallow = continuation_problem(lines, block_indent(text, lines, around[-1].start_mark) if around else -1, outer.start_mark.line, mark.line, what, quoted=False)
        if shallow is not None:
            return shallow
    return earlier or found


def _open_collections(events: list[Any]) -> list[Any]:
    stack: list[Any] = []
    for event in events:
        if event.__class__ in (ev.MappingStartEvent, ev.SequenceStartEvent):
            stack.append(event)
        elif event.__class__ in (ev.MappingEndEvent, ev.SequenceEndEvent) and stack:
            stack.pop()
    return stack


def _construct_at_failure(text: str, error: Any, events: list[Any]) -> Finding | None:
    mark = error.problem_mark
    if mark is None:
        return None
    problem = error.problem or ""
    context = error.context or ""
    index = mark.index
    char = text[index : index + 1]
    lines = split_lines(text)
    line = lines[mark.line] if mark.line < len(lines) else ""
    stack = _open_collections(events)
    blocks = [e for e in stack if not e.flow_style]
    parent = block_indent(text, lines, blocks[-1].start_mark) if blocks else -1
    where = (mark.line + 1, mark.column + 1)
    flows = [e for e in stack if e.flow_style]

    if char == "\t" and not flows and ("cannot start any token" in problem or "tab character that violates indentation" in problem):
        # in block context (libyaml takes tabs in flow collections): YAML 1.2 (6.1-6.3)
        # forbids tabs in indentation only, and allows them as separation
        before, rest = line[: mark.column], line[mark.column :].lstrip(" \t")
        if not rest or rest[0] == "#":
            if "while scanning a plain scalar" in context and len(before) <= parent and _continues_plain(lines, mark.line, parent):
                return None  # an empty line inside a plain scalar: a tab there stands for indentation
            return _unsupported(*where, "a tab on a line that is otherwise blank or a comment", "remove the tab, or replace it with spaces", _replaced(text, index, " "))
        if not before.strip(" "):
            if len(before) > parent and _flow_node_follows(rest):
                return _unsupported(*where, "a tab between the indentation and a value", "replace the tab with spaces", _replaced(text, index, " "))
            return None
        indicator = before.rstrip(" \t")
        if indicator[-1:] in ("-", "?", ":") and indicator[:-1][-1:] in ("", " ", "\t") and _flow_node_follows(rest):
            return _unsupported(*where, f"a tab after '{indicator[-1]}'", f"write a space after '{indicator[-1]}' instead of the tab", _replaced(text, index, " "))
        return None
    if "tab character where an indentation space is expected" in problem and error.context_mark is not None:
        return _tab_in_block_scalar(text, lines, error.context_mark, mark, parent)
    at_directive = all(e.__class__ is ev.StreamStartEvent or (e.__class__ is ev.DocumentEndEvent and e.explicit) for e in events[-1:])
    if "found unknown directive name" in problem and error.context_mark is not None and at_directive:
        directive = lines[error.context_mark.line] if error.context_mark.line < len(lines) else ""
        if re.fullmatch(r"%[^\s]+(?:[ \t]+[^\s#][^\s]*)*(?:[ \t]+#.*)?[ \t]*", directive):
            name = directive.split()[0]
            return _unsupported(
                error.context_mark.line + 1,
                1,
                f"the reserved directive {name} (YAML 1.2 readers ignore it with a warning)",
                f"remove the {name} line",
                _replaced(text, error.context_mark.index, "#"),
            )
        return None
    if "found incompatible YAML document" in problem and at_directive:
        for number, directive in enumerate(lines):
            version = re.match(r"%YAML[ \t]+([0-9]+)\.([0-9]+)(?:[ \t]|$)", directive)
            if version:
                if version.group(1) == "1" and int(version.group(2)) > 2:
                    breaks = list(_LINE_BREAK.finditer(text))
                    minor = (breaks[number - 1].end() if number else 0) + version.start(2)
                    return _unsupported(
                        number + 1,
                        1,
                        f"%YAML 1.{version.group(2)} (YAML 1.2 readers read a later 1.x with a warning)",
                        "write %YAML 1.2, or remove the line",
                        _replaced(text, minor, "2".ljust(len(version.group(2)))),
                    )
                return None
        return None
    if "while scanning an anchor" in context or "while scanning an alias" in context or char in ("%", "@", "`"):
        found = _anchor_at_failure(text, index)
        if found is not None or "while scanning an" in context:
            return found
    if char == ":" and "while parsing a flow mapping" in context and "did not find expected ',' or '}'" in problem:
        # libyaml gave the key an empty value right at this ':': the key spans lines or
        # its ':' starts a later line, which only flow mapping keys may (YAML 1.2, 7.4)
        last = events[-1] if events else None
        if last is not None and last.__class__ is ev.ScalarEvent and last.value == "" and not last.style and last.start_mark.index == index:
            return _unsupported(*where, "a flow mapping key over several lines, or its ':' on a later line", "write the key and its ':' on one line")
        return None
    if char == ":" and "did not find expected node content" in problem and "flow" in context:
        # libyaml takes every ':' in a flow collection for a value indicator; YAML 1.2
        # (7.3.3, 7.4) starts a plain scalar with it when a safe character follows, and
        # otherwise reads it as the ':' of an entry whose key is empty
        following = text[index + 1 : index + 2]
        if following and following not in " \t\r\n,[]{}\x85\u2028\u2029":
            token = _PLAIN_IN_FLOW.match(text, index)
            written = token.group() if token else ":"
            return _unsupported(*where, f"a plain scalar starting with ':' in a flow collection ({written!r})", f"quote it: {_quote(written)}", _replaced(text, index, "_"))
        before = _COMMENT.sub("", text[:index]).rstrip(" \t\r\n\x85\u2028\u2029")
        if before[-1:] in ("[", "{", ","):
            return _unsupported(*where, "an entry with an empty key (':' with nothing before it) in a flow collection", "write the key before ':'", _replaced(text, index, "_"))
        return None
    if "did not find expected <document start>" in problem and not stack and len(events) >= 2:
        scalar, end = events[-2], events[-1]
        if (
            scalar.__class__ is ev.ScalarEvent
            and end.__class__ is ev.DocumentEndEvent
            and scalar.style in ("|", ">")
            and scalar.value.strip("\n") == ""
            and mark.column == 0
            and all(not lines[n].strip(" ") for n in range(scalar.start_mark.line + 1, mark.line))
        ):
            return _unsupported(*where, "a block scalar at the top of the document with its lines at column 1", "indent the block scalar's lines by at least one space")
    return None


def _tab_in_block_scalar(text: str, lines: list[str], start: Any, mark: Any, parent: int) -> Finding | None:
    """libyaml met a tab before the block scalar's indentation was known: YAML 1.2 reads it
    as content when the spaces before it, the first line's indentation, are more than the
    parent's and no less than any empty line's before it."""
    header = _BLOCK_HEADER.match(text, start.index)
    if header is not None and text[header.end() : header.end() + 1] == "#":
        line, col = position(text, header.end())
        return Finding("CG0001", line, col, "invalid YAML: a comment needs a space before '#'", "put a space between the block scalar's indicator and '#'")
    if header is None or any(c.isdigit() for c in header.group(1) or ""):
        return None
    first_line = position(text, header.end())[0]  # 0-based index of the line after the header
    if any(lines[n].strip(" ") for n in range(first_line, mark.line)):
        return None  # the indentation was set by an earlier line
    longest = max((len(lines[n]) for n in range(first_line, mark.line)), default=0)
    spaces = mark.column
    if spaces > parent and spaces >= longest and lines[mark.line][:spaces].strip(" ") == "":
        return _unsupported(
            mark.line + 1,
            mark.column + 1,
            "a tab at the start of a block scalar's first line",
            "write the tab as \\t in a double-quoted string, or indent with spaces only",
            _replaced(text, mark.index, "x"),  # content, as the tab is
        )
    return None
