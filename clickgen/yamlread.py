"""Safe YAML reading with source positions.

Input: the bytes of one file. Output: the document as plain data (`PosDict`,
`PosList`, str, int, float, bool, None) where every mapping and list remembers the
positions of its keys and items, plus diagnostics.

Built on libyaml's event stream (PyYAML's C parser) instead of PyYAML's composer:
the composer recurses in C and segfaults on deeply nested input, silently keeps the
last of duplicate keys, and expands aliases without bound. Here nesting, alias
expansion and tags are all checked while the value is built, iteratively.

libyaml is a YAML 1.1 parser: where it and YAML 1.2 disagree (clickgen/yaml12.py), the
reader refuses what YAML 1.2 forbids (CG0001), reads a few constructs as YAML 1.2 does,
and reports the valid ones it cannot read as CG0014 instead of calling them invalid.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
from yaml import events as ev

from clickgen import yaml12
from clickgen.diagnostics import Diagnostic, Span, diag

try:  # the C parser is several times faster; the pure-Python one behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
MAX_NODES = 200_000  # per document, counting every alias expansion
# Line breaks as YAML (and so libyaml's marks) count them.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

_STR = "tag:yaml.org,2002:str"
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
_SCALAR_BUILDERS = {
    "tag:yaml.org,2002:int": yaml.constructor.SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": yaml.constructor.SafeConstructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
}
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_constructor = yaml.constructor.SafeConstructor()
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
# numbers every YAML version and every reader agree on; YAML 1.1 also reads 010 as 8,
# 1_000 as 1000 and 1:30 as 90, which YAML 1.2 tools read differently
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


def _yaml11_reading(tag: str, value: str) -> str:
    node = yaml.ScalarNode(tag, value)
    try:
        return repr(_SCALAR_BUILDERS[tag](_constructor, node))
    except (ValueError, TypeError, OverflowError, yaml.YAMLError):
        return "something else"


class PosDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers where it starts and where each key and value is, and the
    source text of each scalar value that is not its own text (quoted, a block, or a
    plain scalar over several lines): `value_columns` maps into it."""

    __slots__ = ("start", "key_pos", "value_pos", "value_source")

    def __init__(self, start: tuple[int, int]) -> None:
        super().__init__()
        self.start = start
        self.key_pos: dict[str, tuple[int, int]] = {}
        self.value_pos: dict[str, tuple[int, int]] = {}
        self.value_source: dict[str, str] = {}


class PosList(list):  # type: ignore[type-arg]
    """A list that remembers where it starts and where each item is."""

    __slots__ = ("start", "item_pos")

    def __init__(self, start: tuple[int, int]) -> None:
        super().__init__()
        self.start = start
        self.item_pos: list[tuple[int, int]] = []


class _Abort(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode UTF-8 (a BOM is allowed); report the position of the first bad byte."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data  # offsets below are into body
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as e:
        before = body[: e.start].decode("utf-8")  # valid up to the bad byte
        breaks = list(_LINE_BREAK.finditer(before))
        line = len(breaks) + 1
        col = len(before) - (breaks[-1].end() if breaks else 0) + 1  # in characters, as editors count
        return None, [
            diag(
                "CG0004",
                f"the file is not UTF-8: byte 0x{body[e.start]:02x} cannot be decoded",
                Span(path, line, col),
                "save the file as UTF-8",
            )
        ]


_DOUBLE_QUOTED_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b",
    " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def value_columns(source: str | None, value: str) -> list[int] | None:
    """Where each character of a scalar's value is written, as columns after the
    scalar's first column; None when that cannot be told (a block scalar, a scalar over
    several lines). `source` is the scalar's source text (PosDict.value_source), None
    for a plain one-line scalar, which is written as it reads."""
    if source is None:
        return list(range(len(value)))
    if "\n" in source or "\r" in source or source[:1] not in ("'", '"') or len(source) < 2:
        return None
    body, columns, decoded = source[1:-1], [], []
    i = 0
    while i < len(body):
        columns.append(i + 1)
        if source[0] == "'":
            step = 2 if body.startswith("''", i) else 1
            decoded.append(body[i])
        elif body[i] != "\\":
            step = 1
            decoded.append(body[i])
        elif body[i + 1 : i + 2] in _HEX_ESCAPES:
            width = _HEX_ESCAPES[body[i + 1]]
            try:
                decoded.append(chr(int(body[i + 2 : i + 2 + width], 16)))
            except ValueError:
                return None
            step = 2 + width
        elif body[i + 1 : i + 2] in _DOUBLE_QUOTED_ESCAPES:
            step = 2
            decoded.append(_DOUBLE_QUOTED_ESCAPES[body[i + 1]])
        else:
            return None
        i += step
    return columns if "".join(decoded) == value else None


def read_yaml(text: str, path: str) -> tuple[Any, list[Diagnostic]]:
    """Parse one YAML document; returns (value or None, diagnostics)."""
    value, diagnostics, _ = read_yaml_with_details(text, path)
    return value, diagnostics


def read_yaml_with_details(text: str, path: str) -> tuple[Any, list[Diagnostic], set[tuple[int, int]]]:
    """Like read_yaml, plus the positions of unquoted yes/no/on/off read as booleans."""
    return _read(text, path, 0)


# how many constructs libyaml refuses are rewritten, one after the other, to find out
# whether the rest of a document is valid
_MAX_REWRITES = 8


def _read(text: str, path: str, rewrites: int) -> tuple[Any, list[Diagnostic], set[tuple[int, int]]]:
    builder = _Builder(path)
    try:
        value = builder.build(text)
    except _Abort as stop:
        return None, builder.diagnostics + [stop.diagnostic], builder.bool_scalars
    except yaml.MarkedYAMLError as e:
        unsupported = yaml12.classify_failure(text, e, yaml12.all_events(text, _Loader))
        if unsupported is not None:
            reported = _diagnostic(unsupported, path)
            if unsupported.rewrite is not None and rewrites < _MAX_REWRITES:
                # valid YAML 1.2 here; if the document is invalid further on, say that
                invalid = [d for d in _read(unsupported.rewrite, path, rewrites + 1)[1] if d.code == "CG0001"]
                reported = invalid[0] if invalid else reported
            return None, builder.diagnostics + [reported], builder.bool_scalars
        mark = e.problem_mark or e.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        problem = e.problem or "invalid YAML"
        if "exceeded maximum nesting depth" in problem:  # libyaml's own limit, met before ours in flow style
            return None, builder.diagnostics + [
                diag("CG0007", f"the document nests deeper than {MAX_DEPTH} levels", Span(path, line, col), "flatten the structure")
            ], builder.bool_scalars
        related: list[Span] = []
        if e.context and e.context_mark and e.problem_mark and _pos(e.context_mark) != (line, col):
            # say where the unfinished construct starts: an unclosed quote or bracket is
            # found only at the end of the file, far from where the fix goes
            started = _pos(e.context_mark)
            problem = f"{problem} ({e.context} that starts at line {started[0]}, column {started[1]})"
            related.append(Span(path, *started))
        elif e.context:
            problem = f"{problem} ({e.context})"
        at = text.splitlines()[line - 1][col - 1 : col] if line <= len(text.splitlines()) else ""
        return None, builder.diagnostics + [
            diag("CG0001", f"invalid YAML: {problem}", Span(path, line, col), _syntax_hint(problem, at), *related)
        ], builder.bool_scalars
    except yaml.YAMLError as e:  # reader errors: control characters and the like
        mark = getattr(e, "position", None)
        return None, builder.diagnostics + [
            diag("CG0001", f"invalid YAML: {e}".splitlines()[0], _reader_span(text, path, mark), "remove the control character")
        ], builder.bool_scalars
    return value, builder.diagnostics, builder.bool_scalars


def _diagnostic(finding: yaml12.Finding, path: str) -> Diagnostic:
    return diag(finding.code, finding.message, Span(path, finding.line, finding.col), finding.hint)


def _reader_span(text: str, path: str, position: int | None) -> Span:
    if position is None:
        return Span(path, 1, 1)
    if _Loader.__name__.startswith("C"):
        # libyaml reads the text as UTF-8 and reports a byte offset, not a character index
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    # count lines as YAML (and so every other mark) does: \r\n, \r, \n, NEL, LS and PS
    breaks = list(_LINE_BREAK.finditer(text, 0, position))
    line_start = breaks[-1].end() if breaks else 0
    return Span(path, len(breaks) + 1, position - line_start + 1)


def _syntax_hint(problem: str, at: str) -> str:
    if at == "\t" or "tab" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "quote a value that contains ': ', or fix the indentation"
    if "could not find expected ':'" in problem:
        return "a key needs ': ' after it; check the line above"
    if "quoted scalar that starts" in problem:
        return "close the quoted string that starts there"
    if "flow sequence that starts" in problem:
        return "close the [ list that starts there, or quote an item that holds a comma or bracket"
    if "flow mapping that starts" in problem:
        return "close the { mapping that starts there"
    if "found character '@'" in problem or "found character '`'" in problem:
        return "values starting with @ or ` must be quoted"
    return "fix the YAML syntax at this position"


class _Frame:
    __slots__ = ("container", "key", "key_mark", "anchor", "nodes_before", "mark", "flow_parent")

    def __init__(self, container: Any, anchor: str | None, nodes_before: int, mark: Any) -> None:
        self.container = container
        self.key: Any = _AWAITING_KEY
        self.key_mark: Any = None
        self.anchor = anchor
        self.nodes_before = nodes_before
        self.mark = mark
        # in a flow collection: the closest block collection around it (_ROOT: none);
        # None in a block collection
        self.flow_parent: Any = None


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.nodes = 0
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.bool_scalars: set[tuple[int, int]] = set()
        self.stack: list[_Frame] = []
        self._lines: list[str] | None = None
        self.suspects = False  # a flow collection holds what libyaml may read unlike YAML 1.2

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = yaml12.split_lines(self.text)
        return self._lines

    def _stop(self, finding: yaml12.Finding | None) -> None:
        if finding is not None:
            raise _Abort(_diagnostic(finding, self.path))

    def _block_indent(self, frame: Any) -> int:
        """The indentation of a block collection (-1 for none: the document's root)."""
        if frame is None or frame is _ROOT:
            return -1
        if self.text[frame.mark.index : frame.mark.index + 1] in ("&", "!"):
            return yaml12.block_indent(self.text, self.lines, frame.mark)
        return int(frame.mark.column)

    def _parent_indent(self) -> int:
        """The indentation of the closest block collection around the node being read."""
        top = self.stack[-1] if self.stack else None
        if top is not None and top.flow_parent is not None:
            return self._block_indent(top.flow_parent)
        return self._block_indent(top)

    def span(self, mark: Any) -> Span:
        line, col = _pos(mark)
        return Span(self.path, line, col)

    def build(self, text: str) -> Any:
        self.text = text
        loader = _Loader(text)
        try:
            get = loader.get_event
            get()  # StreamStart
            event = get()
            if isinstance(event, ev.StreamEndEvent):
                return None
            if event.version is not None or event.tags:
                self._stop(yaml12.directive_problem(self.lines, event.end_mark.line))
            root = self._document(get)
            event = get()
            if not isinstance(event, ev.StreamEndEvent):
                raise _Abort(
                    diag(
                        "CG0010",
                        "the file holds more than one YAML document",
                        self.span(event.start_mark),
                        "keep one document per file: remove the '---' separator and what follows, or move it to its own file",
                    )
                )
            if self.suspects:
                self._stop(yaml12.check_suspects(text, yaml12.all_events(text, _Loader)))
            return root
        finally:
            loader.dispose()

    def _document(self, get: Any) -> Any:
        """Build the document's root node with an explicit stack, never recursion.

        The hot path (a plain new key, a plain scalar) is inlined: this loop runs once
        per YAML event and is most of `clickgen validate`'s reading time.
        """
        stack: list[_Frame] = self.stack
        top: _Frame | None = None
        scalar = self._scalar
        while True:
            event = get()
            cls = event.__class__
            if top is not None and top.key is _AWAITING_KEY and top.container.__class__ is PosDict and cls is not _MAPPING_END:
                if cls is _SCALAR and event.tag is None and event.anchor is None:
                    key = event.value
                    if key not in top.container and not (key == "<<" and event.implicit[0]):
                        self.nodes += 1
                        if self.nodes > MAX_NODES:
                            self._count(0, event.start_mark)
                        top.key = key
                        top.key_mark = event.start_mark
                        continue
                top.key = self._key(top.container, event)
                top.key_mark = event.start_mark
                continue
            if cls is _SCALAR:
                self.nodes += 1
                mark = event.start_mark
                if self.nodes > MAX_NODES:
                    self._count(0, mark)
                value = scalar(event)
                if event.anchor is not None:
                    self._stop(yaml12.glued_anchor(self.text, mark.index, "&", event.anchor))
                    self.anchors[event.anchor] = (value, 1)
            elif cls is _MAPPING_START or cls is _SEQUENCE_START:
                stack.append(self._open(event, top, len(stack)))
                top = stack[-1]
                continue
            elif cls is _MAPPING_END or cls is _SEQUENCE_END:
                frame = stack.pop()
                value, mark = frame.container, frame.mark
                if frame.anchor is not None:
                    self.open_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = (value, self.nodes - frame.nodes_before)
                top = stack[-1] if stack else None
                if frame.flow_parent is not None and (top is None or top.flow_parent is None):
                    # a flow collection in block context: most are one line of plain names
                    source = self.text[mark.index : event.end_mark.index + 1]
                    if event.end_mark.line != mark.line or "#" in source or "?" in source or "-," in source or "-]" in source or "-}" in source:
                        self._outermost_flow(frame, event, source, cls is _SEQUENCE_END)
            elif cls is ev.AliasEvent:
                value, mark = self._alias(event), event.start_mark
            else:  # DocumentEnd after the root
                raise _Abort(diag("CG0001", "invalid YAML: unexpected structure", self.span(event.start_mark), "fix the YAML syntax"))
            if top is None:
                get()  # DocumentEnd
                return value
            container = top.container
            if container.__class__ is PosDict:
                key = top.key
                if key is not None:
                    container[key] = value
                    key_mark = top.key_mark
                    container.key_pos[key] = (key_mark.line + 1, key_mark.column + 1)
                    container.value_pos[key] = (mark.line + 1, mark.column + 1)
                    if cls is _SCALAR and (event.style or event.end_mark.line != mark.line):
                        container.value_source[key] = self.text[mark.index : event.end_mark.index]
                top.key = _AWAITING_KEY
            else:
                container.append(value)
                container.item_pos.append((mark.line + 1, mark.column + 1))

    def _open(self, event: Any, parent: _Frame | None, depth: int) -> _Frame:
        if depth >= MAX_DEPTH:
            raise _Abort(
                diag("CG0007", f"the document nests deeper than {MAX_DEPTH} levels", self.span(event.start_mark), "flatten the structure")
            )
        self._check_tag(event)
        self._count(1, event.start_mark)
        start = _pos(event.start_mark)
        container = PosDict(start) if isinstance(event, ev.MappingStartEvent) else PosList(start)
        if event.anchor is not None:
            self._stop(yaml12.glued_anchor(self.text, event.start_mark.index, "&", event.anchor))
            self.open_anchors.add(event.anchor)
        frame = _Frame(container, event.anchor, self.nodes - 1, event.start_mark)
        if event.flow_style:
            frame.flow_parent = _ROOT if parent is None else parent if parent.flow_parent is None else parent.flow_parent
        return frame

    def _outermost_flow(self, frame: _Frame, end: Any, source: str, sequence: bool) -> None:
        """A flow collection in block context (or the root) is closed: check its lines, and
        whether it holds a token libyaml may read unlike YAML 1.2 (clickgen/yaml12.py)."""
        if not self.suspects and yaml12.flow_suspect(source):
            self.suspects = True
        if end.end_mark.line != frame.mark.line:
            what = "[ list" if sequence else "{ mapping"
            parent = self._block_indent(frame.flow_parent)
            self._stop(yaml12.continuation_problem(self.lines, parent, frame.mark.line, end.end_mark.line, what, quoted=False))

    def _alias(self, event: Any) -> Any:
        self._stop(yaml12.glued_anchor(self.text, event.start_mark.index, "*", event.anchor))
        if event.anchor in self.open_anchors:
            raise _Abort(
                diag("CG0012", f"alias *{event.anchor} refers to the node that contains it", self.span(event.start_mark), "remove the recursive alias")
            )
        if event.anchor not in self.anchors:
            raise _Abort(
                diag(
                    "CG0001",
                    f"invalid YAML: alias *{event.anchor} is not defined",
                    self.span(event.start_mark),
                    f"define the anchor &{event.anchor} before using it",
                )
            )
        value, size = self.anchors[event.anchor]
        self._count(size, event.start_mark)
        return value

    def _count(self, n: int, mark: Any) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise _Abort(
                diag(
                    "CG0007",
                    f"the document expands to more than {MAX_NODES} nodes (aliases count every time they are used)",
                    self.span(mark),
                    "write the data out instead of nesting aliases",
                )
            )

    def _check_tag(self, event: Any) -> str | None:
        tag = event.tag
        if tag is None or tag == "!":
            return None
        if tag not in _PLAIN_TAGS:
            raise _Abort(
                diag(
                    "CG0006",
                    f"the YAML tag {tag} is not allowed: a reference holds plain data only",
                    self.span(event.start_mark),
                    "remove the tag",
                )
            )
        return tag

    def _scalar(self, event: Any) -> Any:
        value: str = event.value
        tag = self._check_tag(event)
        if tag is None:
            # quoted, or the non-specific tag `!`, which makes any scalar a string
            if not event.implicit[0] or event.tag == "!":
                return self._styled(event, value) if event.style else value
            if value == "":
                return None
            tag = _STR
            for candidate, regexp in _IMPLICIT.get(value[0], ()):
                if regexp.match(value):
                    # a plain `=` or `<<` value resolves to YAML 1.1's value and merge
                    # tags, which mean nothing outside a key: it is just text
                    tag = candidate if candidate in _PLAIN_TAGS else _STR
                    break
            if (tag == _INT and not _PLAIN_INT.fullmatch(value)) or (tag == _FLOAT and not _PLAIN_FLOAT.fullmatch(value)):
                self.diagnostics.append(
                    diag(
                        "CG0013",
                        f"the number {value} is read by YAML 1.1 as {_yaml11_reading(tag, value)}",
                        self.span(event.start_mark),
                        "write a plain decimal number (no leading zeros, underscores or colons), or quote it if it is text",
                    )
                )
        if tag == _STR or tag == "tag:yaml.org,2002:timestamp":
            return self._styled(event, value) if event.style else value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise _Abort(diag("CG0006", f"the tag {tag} does not fit a scalar", self.span(event.start_mark), "remove the tag"))
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
        try:
            result = _SCALAR_BUILDERS[tag](_constructor, node)
        except (ValueError, TypeError, OverflowError, IndexError, KeyError, yaml.YAMLError):  # `!!int` on nothing, `!!bool x`
            kind = tag.rsplit(":", 1)[-1]
            raise _Abort(diag("CG0001", f"invalid YAML: {value!r} is not a valid {kind}", self.span(event.start_mark), "fix the value"))
        if isinstance(result, float) and not math.isfinite(result):
            raise _Abort(
                diag("CG0103", f"{value} is not a finite number", self.span(event.start_mark), "use a finite number; JSON has no infinity or NaN")
            )
        if isinstance(result, bool) and value.lower() not in ("true", "false"):
            self.bool_scalars.add(_pos(event.start_mark))
        return result

    def _styled(self, event: Any, value: str) -> str:
        """Quoted and block scalars, where libyaml and YAML 1.2 differ (clickgen/yaml12.py)."""
        style = event.style
        if style == "|" or style == ">":
            finding, value = yaml12.block_scalar(self.text, lambda: self.lines, event, self._parent_indent)
            self._stop(finding)
        elif self.text[event.end_mark.index : event.end_mark.index + 1] == "#":
            line, col = yaml12.position(self.text, event.end_mark.index)
            self._stop(yaml12.Finding("CG0001", line, col, "invalid YAML: a comment needs a space before '#'", "put a space between the closing quote and '#'"))
        if (style == '"' or style == "'") and event.end_mark.line != event.start_mark.line:
            first = self.text.find(style, event.start_mark.index)  # after any anchor or tag
            line = event.start_mark.line + len(_LINE_BREAK.findall(self.text, event.start_mark.index, first))
            self._stop(yaml12.continuation_problem(self.lines, self._parent_indent(), line, event.end_mark.line, "quoted string", quoted=True))
        return value

    def _key(self, container: PosDict, event: Any) -> str | None:
        """Keys are names or version numbers: take the scalar's text, never a YAML 1.1 coercion."""
        if isinstance(event, ev.AliasEvent):
            raise _Abort(diag("CG0011", "a mapping key must not be an alias", self.span(event.start_mark), "write the key out"))
        if not isinstance(event, ev.ScalarEvent):
            raise _Abort(
                diag("CG0011", "a mapping key must be a plain name, not a list or mapping", self.span(event.start_mark), "use a plain name as the key")
            )
        self._check_tag(event)
        self._count(1, event.start_mark)
        key: str = event.value
        if event.anchor is not None:
            self._stop(yaml12.glued_anchor(self.text, event.start_mark.index, "&", event.anchor))
            # the anchor names the key's node: an alias of it is that scalar, read as a value
            self.anchors[event.anchor] = (self._scalar(event), 1)
        if key == "<<" and event.implicit[0]:
            raise _Abort(
                diag("CG0006", "YAML merge keys (<<) are not supported", self.span(event.start_mark), "write the keys out in this mapping")
            )
        if key in container:
            first = container.key_pos[key]
            self.diagnostics.append(
                diag(
                    "CG0002",
                    f"duplicate key {key!r} (first at line {first[0]}); YAML would silently keep only the last one",
                    self.span(event.start_mark),
                    "remove one of the two entries or merge them",
                    Span(self.path, *first),
                )
            )
            return None
        return key


_AWAITING_KEY = object()
_ROOT = object()  # the flow_parent of a flow collection that is the document's root
_SCALAR = ev.ScalarEvent
_MAPPING_START = ev.MappingStartEvent
_MAPPING_END = ev.MappingEndEvent
_SEQUENCE_START = ev.SequenceStartEvent
_SEQUENCE_END = ev.SequenceEndEvent
