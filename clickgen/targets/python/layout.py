"""Black's layout of one logical line, for the statements the Python templates fill in.

The generated Python must be exactly what black (the version pinned in pyproject's
`test` extra, default mode, 88 columns) makes of it, but black is not run at build
time: it took over 90% of a build. The templates write black's form directly, and
the few lines whose length depends on the reference (names up to 64 characters,
texts of any length) go through the filters below, which split a line that does not
fit the way black's line generator does:

- the right-hand split on the last pair of brackets, trying to omit trailing
  trailers first, with black's optional ("invisible") parentheses around the
  right-hand side of assignments and annotations, return values, `if` conditions,
  parameter annotations and return annotations, and its rules for when to use them;
- the split of a bracket's body at its delimiters of highest priority (commas, then
  `or`/`and`, comparisons, `|`...), with a trailing comma added after a last element;
- the left-hand split of `def` lines, and magic trailing commas (a bracket that
  ends with a comma stays exploded, one element a line).

Only the part of Python the templates produce is read: names, numbers, one-line
strings, calls, subscripts, attributes, unary and binary operators, comparisons,
`not`/`and`/`or`, tuples, lists, dicts, keyword and star arguments; assignments
with or without annotation, `return`, `raise`, `from ... import`, `import`, `if`,
`def` and `class` lines, and expression statements. Anything else raises
LayoutError, which is a bug in a template. Whitespace between tokens is taken as
written (the templates write black's spacing). tests/test_python_layout.py checks
this module against black itself on every shape the templates use, over the whole
range of lengths.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Iterator, Optional, Union

LINE_LENGTH = 88


class LayoutError(Exception):
    """A line the layout does not understand: a template produced unexpected code."""


# --- display width (black counts East Asian wide characters as two columns) ----------


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Columns `text` takes in black's reckoning (it is given printable text only)."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


def fits(text: str) -> bool:
    return width(text) <= LINE_LENGTH


# --- syntax tree ------------------------------------------------------------------------
#
# Leaf and node types follow lib2to3 (which black parses with), as far as black's
# decisions depend on them: leaves are typed NAME, NUMBER, STRING or by their operator
# text; nodes by their grammar symbol, and a node with one child is replaced by it.

NAME, NUMBER, STRING = "NAME", "NUMBER", "STRING"
OPENING_BRACKETS = frozenset("([{")
CLOSING_BRACKETS = frozenset(")]}")
BRACKETS = OPENING_BRACKETS | CLOSING_BRACKETS
MATCHING = {"(": ")", "[": "]", "{": "}"}
COMPARATORS = frozenset(("<", ">", "==", "!=", "<=", ">="))
MATH_PRIORITIES = {"|": 9, "^": 8, "&": 7, "<<": 6, ">>": 6, "+": 5, "-": 5, "*": 4, "/": 4, "//": 4, "%": 4, "@": 4, "~": 3, "**": 2}
VARARGS_SPECIALS = frozenset(("*", "**", "/"))
VARARGS_PARENTS = frozenset(("arglist", "argument", "trailer", "typedargslist", "varargslist"))
UNPACKING_PARENTS = frozenset(("atom", "dictsetmaker", "listmaker", "testlist_gexp", "testlist_star_expr"))

COMMA_PRIORITY = 18
LOGIC_PRIORITY = 14
STRING_PRIORITY = 12
COMPARATOR_PRIORITY = 10
DOT_PRIORITY = 1

ASSIGNMENTS = frozenset(("=", ":"))


class Node:
    __slots__ = ("type", "children", "parent")

    def __init__(self, type: str, children: list[Element]) -> None:
        self.type = type
        self.children = children
        self.parent: Optional[Node] = None
        for child in children:
            child.parent = self

    @property
    def prev_sibling(self) -> Optional[Element]:
        return _sibling(self, -1)

    @property
    def next_sibling(self) -> Optional[Element]:
        return _sibling(self, 1)

    def first_leaf(self) -> Leaf:
        child = self.children[0]
        return child if isinstance(child, Leaf) else child.first_leaf()

    def leaves(self) -> Iterator[Leaf]:
        for child in self.children:
            if isinstance(child, Leaf):
                yield child
            else:
                yield from child.leaves()


class Leaf:
    __slots__ = ("type", "value", "prefix", "spacing", "parent", "opening_bracket", "bracket_depth")

    def __init__(self, type: str, value: str, spacing: str = "") -> None:
        self.type = type
        self.value = value
        self.spacing = spacing  # the whitespace black puts before it (when not first on a line)
        self.prefix = spacing
        self.parent: Optional[Node] = None
        self.opening_bracket: Optional[Leaf] = None
        self.bracket_depth = 0

    @property
    def prev_sibling(self) -> Optional[Element]:
        return _sibling(self, -1)

    @property
    def next_sibling(self) -> Optional[Element]:
        return _sibling(self, 1)

    def first_leaf(self) -> Leaf:
        return self

    def leaves(self) -> Iterator[Leaf]:
        yield self

    def __str__(self) -> str:
        return self.prefix + self.value


Element = Union[Node, Leaf]


def _sibling(element: Element, step: int) -> Optional[Element]:
    parent = element.parent
    if parent is None:
        return None
    for index, child in enumerate(parent.children):
        if child is element:
            other = index + step
            return parent.children[other] if 0 <= other < len(parent.children) else None
    return None


def _node(type: str, children: list[Element]) -> Element:
    return children[0] if len(children) == 1 else Node(type, children)


# --- tokenizer and parser ---------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<space>[ ]*)(?:
      (?P<string>[fFrRbBuU]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))
    | (?P<number>(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>\.\.\.|->|\*\*|//|<<|>>|<=|>=|==|!=|[-+*/%@&|^~<>()\[\]{},:.=])
    )""",
    re.VERBOSE,
)


def _tokenize(text: str) -> list[Leaf]:
    leaves = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise LayoutError(f"cannot read {text[position:]!r} in {text!r}")
        space = match.group("space")
        if match.group("string") is not None:
            leaves.append(Leaf(STRING, match.group("string"), space))
        elif match.group("number") is not None:
            leaves.append(Leaf(NUMBER, match.group("number"), space))
        elif match.group("name") is not None:
            leaves.append(Leaf(NAME, match.group("name"), space))
        elif match.group("op") is not None:
            leaves.append(Leaf(match.group("op"), match.group("op"), space))
        else:
            break  # trailing spaces
        position = match.end()
    if leaves:
        leaves[0].spacing = leaves[0].prefix = ""
    return leaves


# what may follow an operand inside a larger expression
_OPERATORS = ("or", "and", "not", "in", "is", "if", *COMPARATORS, "|", "^", "&", "<<", ">>", "+", "-", "*", "/", "//", "%", "@")


class _Parser:
    """Recursive descent over the subset of Python's grammar, building lib2to3's shapes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.position = 0

    def fail(self, what: str) -> LayoutError:
        return LayoutError(f"{what} at token {self.position} of {self.text!r}")

    def peek(self, offset: int = 0) -> Optional[Leaf]:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def at(self, *values: str) -> bool:
        index = self.position
        return index < len(self.tokens) and self.tokens[index].value in values

    def take(self, *values: str) -> Leaf:
        leaf = self.peek()
        if leaf is None or (values and (leaf.value not in values or leaf.type == STRING)):
            raise self.fail(f"expected {' or '.join(values) or 'a token'}")
        self.position += 1
        return leaf

    def take_name(self) -> Leaf:
        leaf = self.peek()
        if leaf is None or leaf.type != NAME:
            raise self.fail("expected a name")
        self.position += 1
        return leaf

    # statements

    def statement(self) -> Node:
        if not self.tokens:
            raise self.fail("empty line")
        first = self.tokens[0]
        keyword = first.value if first.type == NAME else ""
        node: Element
        if keyword == "from":
            node = self.import_from()
        elif keyword == "import":
            self.take()
            node = Node("import_name", [first, self.dotted_as_name()])
        elif keyword == "return":
            self.take()
            node = Node("return_stmt", [first, self.test()])
        elif keyword == "raise":
            self.take()
            node = Node("raise_stmt", [first, self.test()])
        elif keyword in ("if", "elif"):
            self.take()
            node = Node("if_stmt", [first, self.test(), self.take(":")])
        elif keyword == "def":
            node = self.funcdef()
        elif keyword == "class":
            node = self.classdef()
        else:
            node = self.expr_stmt()
        if self.peek() is not None:
            raise self.fail("unexpected token")
        return node if isinstance(node, Node) else Node("expr_stmt_single", [node])

    def import_from(self) -> Node:
        children: list[Element] = [self.take("from")]
        while self.at(".", "..."):
            children.append(self.take())
        if not self.at("import"):
            children.append(self.dotted_name())
        children.append(self.take("import"))
        names: list[Element] = [self.import_as_name()]
        while self.at(","):
            names.append(self.take())
            if self.peek() is None:
                break
            names.append(self.import_as_name())
        children.append(_node("import_as_names", names))
        return Node("import_from", children)

    def import_as_name(self) -> Element:
        name = self.take_name()
        if self.at("as"):
            return Node("import_as_name", [name, self.take(), self.take_name()])
        return name

    def dotted_name(self) -> Element:
        parts: list[Element] = [self.take_name()]
        while self.at("."):
            parts.append(self.take())
            parts.append(self.take_name())
        return _node("dotted_name", parts)

    def dotted_as_name(self) -> Element:
        name = self.dotted_name()
        if self.at("as"):
            return Node("dotted_as_name", [name, self.take(), self.take_name()])
        return name

    def funcdef(self) -> Node:
        children: list[Element] = [self.take("def"), self.take_name()]
        opening = self.take("(")
        params: list[Element] = []
        while not self.at(")"):
            if self.at("*", "**", "/"):
                params.append(self.take())
                if self.peek() is not None and self.peek().type == NAME:  # type: ignore[union-attr]
                    params.append(self.tname())
            else:
                params.append(self.tname())
                if self.at("="):
                    params.append(self.take())
                    params.append(self.test())
            if self.at(","):
                params.append(self.take())
            elif not self.at(")"):
                raise self.fail("expected , or )")
        body = [_node("typedargslist", params)] if params else []
        children.append(Node("parameters", [opening, *body, self.take(")")]))
        if self.at("->"):
            children.append(self.take())
            children.append(self.test())
        children.append(self.take(":"))
        return Node("funcdef", children)

    def tname(self) -> Element:
        name = self.take_name()
        if self.at(":"):
            return Node("tname", [name, self.take(), self.test()])
        return name

    def classdef(self) -> Node:
        children: list[Element] = [self.take("class"), self.take_name()]
        if self.at("("):
            children.append(self.take())
            if not self.at(")"):
                children.append(self.arglist())
            children.append(self.take(")"))
        children.append(self.take(":"))
        return Node("classdef", children)

    def expr_stmt(self) -> Element:
        target = self.testlist_star_expr()
        if self.at(":"):
            annassign: list[Element] = [self.take(), self.test()]
            if self.at("="):
                annassign += [self.take(), self.test()]
            return Node("expr_stmt", [target, Node("annassign", annassign)])
        children = [target]
        while self.at("="):
            children.append(self.take())
            children.append(self.testlist_star_expr())
        return _node("expr_stmt", children)

    def testlist_star_expr(self) -> Element:
        items: list[Element] = [self.test()]
        while self.at(","):
            items.append(self.take())
            if self.peek() is None or self.at("=", ":"):
                break
            items.append(self.test())
        return _node("testlist_star_expr", items)

    # expressions

    def test(self) -> Element:
        if self.at("lambda"):
            raise self.fail("lambda is not supported")
        if self.at("not"):
            node = self.or_test()
        else:
            # most operands are followed by , ) ] = or : and need none of the levels
            first = self.factor()
            node = self.or_test(first) if self.at(*_OPERATORS) else first
        if self.at("if"):
            raise self.fail("conditional expressions are not supported")
        return node

    def _chain(self, symbol: str, operators: tuple[str, ...], operand: Callable[..., Element], first: Optional[Element]) -> Element:
        """`operand (operator operand)*`; `first`, when given, is the leftmost factor, already read."""
        children = [operand(first)]
        while self.at(*operators):
            children.append(self.take())
            children.append(operand(None))
        return _node(symbol, children)

    def or_test(self, first: Optional[Element] = None) -> Element:
        return self._chain("or_test", ("or",), self.and_test, first)

    def and_test(self, first: Optional[Element]) -> Element:
        return self._chain("and_test", ("and",), self.not_test, first)

    def not_test(self, first: Optional[Element]) -> Element:
        if first is None and self.at("not"):
            return Node("not_test", [self.take(), self.not_test(None)])
        return self.comparison(first)

    def comparison(self, first: Optional[Element]) -> Element:
        children = [self.expr(first)]
        while True:
            if self.at(*COMPARATORS, "in"):
                children.append(self.take())
            elif self.at("is"):
                first = self.take()
                children.append(Node("comp_op", [first, self.take()]) if self.at("not") else first)
            elif self.at("not") and self.peek(1) is not None and self.peek(1).value == "in":  # type: ignore[union-attr]
                children.append(Node("comp_op", [self.take(), self.take()]))
            else:
                break
            children.append(self.expr(None))
        return _node("comparison", children)

    def expr(self, first: Optional[Element]) -> Element:
        return self._chain("expr", ("|",), self.xor_expr, first)

    def xor_expr(self, first: Optional[Element]) -> Element:
        return self._chain("xor_expr", ("^",), self.and_expr, first)

    def and_expr(self, first: Optional[Element]) -> Element:
        return self._chain("and_expr", ("&",), self.shift_expr, first)

    def shift_expr(self, first: Optional[Element]) -> Element:
        return self._chain("shift_expr", ("<<", ">>"), self.arith_expr, first)

    def arith_expr(self, first: Optional[Element]) -> Element:
        return self._chain("arith_expr", ("+", "-"), self.term, first)

    def term(self, first: Optional[Element]) -> Element:
        return self._chain("term", ("*", "/", "//", "%", "@"), lambda given: given if given is not None else self.factor(), first)

    def factor(self) -> Element:
        if self.at("+", "-", "~"):
            return Node("factor", [self.take(), self.factor()])
        return self.power()

    def power(self) -> Element:
        children = [self.atom()]
        while self.at("(", "[", "."):
            children.append(self.trailer())
        if self.at("**"):
            children.append(self.take())
            children.append(self.factor())
        return _node("power", children)

    def trailer(self) -> Node:
        opening = self.take()
        if opening.value == ".":
            return Node("trailer", [opening, self.take_name()])
        if opening.value == "(":
            if self.at(")"):
                return Node("trailer", [opening, self.take()])
            return Node("trailer", [opening, self.arglist(), self.take(")")])
        items: list[Element] = [self.test()]
        while self.at(","):
            items.append(self.take())
            if self.at("]"):
                break
            items.append(self.test())
        return Node("trailer", [opening, _node("subscriptlist", items), self.take("]")])

    def arglist(self) -> Element:
        items: list[Element] = []
        while True:
            if self.at("*", "**"):
                items.append(Node("argument", [self.take(), self.test()]))
            else:
                value = self.test()
                if self.at("="):
                    items.append(Node("argument", [value, self.take(), self.test()]))
                else:
                    items.append(value)
            if not self.at(","):
                break
            items.append(self.take())
            if self.at(")"):
                break
        return _node("arglist", items)

    def atom(self) -> Element:
        leaf = self.peek()
        if leaf is None:
            raise self.fail("expected an expression")
        if leaf.type in (NAME, NUMBER, STRING) or leaf.value == "...":
            if leaf.type == NAME and leaf.value in ("not", "and", "or", "if", "else", "for", "in", "is", "lambda"):
                raise self.fail("expected an expression")
            self.take()
            if leaf.type == STRING and self.peek() is not None and self.peek().type == STRING:  # type: ignore[union-attr]
                raise self.fail("implicit string concatenation is not supported")
            return leaf
        if leaf.value not in OPENING_BRACKETS:
            raise self.fail("expected an expression")
        opening = self.take()
        closing = MATCHING[opening.value]
        if self.at(closing):
            return Node("atom", [opening, self.take()])
        if opening.value == "{":
            body = self.dictsetmaker()
        else:
            body = self.testlist_gexp("testlist_gexp" if opening.value == "(" else "listmaker", closing)
        return Node("atom", [opening, body, self.take(closing)])

    def star_or_test(self) -> Element:
        if self.at("*"):
            return Node("star_expr", [self.take(), self.expr(None)])
        return self.test()

    def testlist_gexp(self, symbol: str, closing: str) -> Element:
        items = [self.star_or_test()]
        while self.at(","):
            items.append(self.take())
            if self.at(closing):
                break
            items.append(self.star_or_test())
        return _node(symbol, items)

    def dictsetmaker(self) -> Element:
        items: list[Element] = []
        while True:
            if self.at("**"):
                items += [self.take(), self.expr(None)]
            else:
                items.append(self.test())
                if self.at(":"):
                    items += [self.take(), self.test()]
            if not self.at(","):
                break
            items.append(self.take())
            if self.at("}"):
                break
        return _node("dictsetmaker", items)


# --- black's normalisation of optional parentheses ----------------------------------------


def _wrap_in_parentheses(parent: Node, child: Element, visible: bool) -> None:
    lpar = Leaf("(", "(" if visible else "")
    rpar = Leaf(")", ")" if visible else "")
    first = child.first_leaf()
    lpar.spacing = lpar.prefix = first.spacing
    first.spacing = first.prefix = ""
    index = parent.children.index(child)
    atom = Node("atom", [lpar, child, rpar])
    atom.parent = parent
    parent.children[index] = atom


def _unwrap_singleton_parenthesis(node: Element) -> Optional[Element]:
    if isinstance(node, Node) and len(node.children) == 3:
        first, middle, last = node.children
        if first.type == "(" and last.type == ")":
            return middle
    return None


def _is_one_tuple(node: Element) -> bool:
    if node.type == "atom":
        inner = _unwrap_singleton_parenthesis(node)
        return inner is not None and inner.type == "testlist_gexp" and len(inner.children) == 2 and inner.children[1].type == ","  # type: ignore[union-attr]
    return node.type == "testlist_star_expr" and len(node.children) == 2 and node.children[1].type == ","  # type: ignore[union-attr]


def _is_tuple(node: Element) -> bool:
    inner = _unwrap_singleton_parenthesis(node) if node.type == "atom" else None
    return inner is not None and inner.type == "testlist_gexp"


def _max_delimiter_priority_in_atom(node: Element) -> int:
    if not isinstance(node, Node) or node.type != "atom":
        return 0
    if not (node.children[0].type == "(" and node.children[-1].type == ")"):
        return 0
    tracker = _Tracker()
    for child in node.children[1:-1]:
        for leaf in child.leaves():
            tracker.mark(leaf)
    return max(tracker.delimiters.values(), default=0)


def _maybe_make_parens_invisible_in_atom(node: Element, parent: Node) -> bool:
    """Whether `node` should be wrapped in invisible parentheses (black's rule)."""
    if (
        node.type not in ("atom", "expr")
        or (node.type == "atom" and len(node.children) == 2 and node.children[0].type == "(")  # type: ignore[union-attr]
        or _is_one_tuple(node)
        or _max_delimiter_priority_in_atom(node) >= COMMA_PRIORITY
        or (_is_tuple(node) and any(c.type == "star_expr" for c in _unwrap_singleton_parenthesis(node).children))  # type: ignore[union-attr]
    ):
        return False
    assert isinstance(node, Node)
    first, last = node.children[0], node.children[-1]
    if isinstance(first, Leaf) and first.type == "(" and isinstance(last, Leaf) and last.type == ")":
        raise LayoutError("redundant parentheses are not supported")
    return True


def _normalize_invisible_parens(node: Node, parens_after: frozenset[str]) -> None:
    check_lpar = False
    for index, child in enumerate(list(node.children)):
        if isinstance(child, Node) and child.type == "annassign":
            _normalize_invisible_parens(child, parens_after)
        if index == 0 and isinstance(child, Node) and child.type == "testlist_star_expr":
            check_lpar = True
        if check_lpar:
            if child.type == "atom":
                if _maybe_make_parens_invisible_in_atom(child, node):
                    _wrap_in_parentheses(node, child, visible=False)
            elif _is_one_tuple(child):
                _wrap_in_parentheses(node, child, visible=True)
            elif node.type == "import_from":
                if child.type == "(":
                    raise LayoutError("parenthesized imports are not supported")
                if child.type != "*":
                    lpar, rpar = Leaf("(", "", child.first_leaf().spacing), Leaf(")", "")
                    child.first_leaf().spacing = child.first_leaf().prefix = ""
                    lpar.parent = rpar.parent = node
                    node.children.insert(index, lpar)
                    node.children.append(rpar)
                break
            else:
                _wrap_in_parentheses(node, child, visible=False)
        check_lpar = isinstance(child, Leaf) and (child.value in parens_after or child.type == ",")


def _normalize(statement: Node) -> None:
    """The invisible parentheses black's line generator puts in a statement."""
    kind = statement.type
    if kind == "expr_stmt":
        _normalize_invisible_parens(statement, ASSIGNMENTS)
    elif kind == "return_stmt":
        _normalize_invisible_parens(statement, frozenset(("return",)))
    elif kind == "if_stmt":
        _normalize_invisible_parens(statement, frozenset(("if", "elif")))
    elif kind == "import_from":
        _normalize_invisible_parens(statement, frozenset(("import",)))
    for node in list(_nodes(statement)):
        if node.type == "tname" and len(node.children) == 3:
            if _maybe_make_parens_invisible_in_atom(node.children[2], node):
                _wrap_in_parentheses(node, node.children[2], visible=False)
        elif node.type == "funcdef":
            for child in list(node.children):
                if child.prev_sibling is not None and child.prev_sibling.type == "->":
                    if child.type == "atom" and child.children[0].type == "(":  # type: ignore[union-attr]
                        if _maybe_make_parens_invisible_in_atom(child, node):
                            _wrap_in_parentheses(node, child, visible=False)
                    else:
                        _wrap_in_parentheses(node, child, visible=False)


def _nodes(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        if isinstance(child, Node):
            yield from _nodes(child)


# --- delimiters and brackets --------------------------------------------------------------


def _is_vararg(leaf: Leaf, within: frozenset[str]) -> bool:
    if leaf.type not in VARARGS_SPECIALS or leaf.parent is None:
        return False
    parent = leaf.parent
    if parent.type == "star_expr":
        if parent.parent is None:
            return False
        parent = parent.parent
    return parent.type in within


def _split_before_priority(leaf: Leaf, previous: Optional[Leaf]) -> int:
    if _is_vararg(leaf, VARARGS_PARENTS | UNPACKING_PARENTS):
        return 0
    parent_type = leaf.parent.type if leaf.parent is not None else ""
    if leaf.type == "." and leaf.parent is not None and parent_type not in ("import_from", "dotted_name"):
        if previous is None or previous.type in CLOSING_BRACKETS:
            return DOT_PRIORITY
    if leaf.type in MATH_PRIORITIES and leaf.parent is not None and parent_type not in ("factor", "star_expr"):
        return MATH_PRIORITIES[leaf.type]
    if leaf.type in COMPARATORS:
        return COMPARATOR_PRIORITY
    if leaf.type == STRING and previous is not None and previous.type == STRING:
        return STRING_PRIORITY
    if leaf.type != NAME:
        return 0
    value = leaf.value
    if value == "is":
        return COMPARATOR_PRIORITY
    if value == "in" and parent_type in ("comp_op", "comparison") and not (previous is not None and previous.type == NAME and previous.value == "not"):
        return COMPARATOR_PRIORITY
    if value == "not" and parent_type == "comp_op" and not (previous is not None and previous.type == NAME and previous.value == "is"):
        return COMPARATOR_PRIORITY
    if value in ("and", "or") and leaf.parent is not None:
        return LOGIC_PRIORITY
    return 0


class _Tracker:
    """Bracket depths, matching brackets and delimiters of one line (black's BracketTracker)."""

    __slots__ = ("depth", "bracket_match", "delimiters", "previous", "invisible")

    def __init__(self) -> None:
        self.depth = 0
        self.bracket_match: dict[tuple[int, str], Leaf] = {}
        self.delimiters: dict[int, int] = {}
        self.previous: Optional[Leaf] = None
        self.invisible: list[Leaf] = []

    def mark(self, leaf: Leaf) -> None:
        if self.depth == 0 and leaf.type in CLOSING_BRACKETS and (self.depth, leaf.type) not in self.bracket_match:
            return
        if leaf.type in CLOSING_BRACKETS:
            self.depth -= 1
            opening = self.bracket_match.pop((self.depth, leaf.type), None)
            if opening is None:
                raise LayoutError("unmatched closing bracket")
            leaf.opening_bracket = opening
            if not leaf.value:
                self.invisible.append(leaf)
        leaf.bracket_depth = self.depth
        if self.depth == 0:
            priority = _split_before_priority(leaf, self.previous)
            if priority and self.previous is not None:
                self.delimiters[id(self.previous)] = priority
            elif leaf.type == ",":
                self.delimiters[id(leaf)] = COMMA_PRIORITY
        if leaf.type in OPENING_BRACKETS:
            self.bracket_match[self.depth, MATCHING[leaf.type]] = leaf
            self.depth += 1
            if not leaf.value:
                self.invisible.append(leaf)
        self.previous = leaf

    def max_priority(self, exclude: frozenset[int] = frozenset()) -> int:
        """The highest delimiter priority; ValueError without delimiters (like black)."""
        return max(v for k, v in self.delimiters.items() if k not in exclude)

    def count_with_priority(self, priority: int) -> int:
        return sum(1 for p in self.delimiters.values() if p == priority)


def _is_one_sequence_between(opening: Leaf, closing: Leaf, leaves: list[Leaf], brackets: tuple[str, str] = ("(", ")")) -> bool:
    if (opening.type, closing.type) != brackets:
        return False
    depth = closing.bracket_depth + 1
    for start, leaf in enumerate(leaves):
        if leaf is opening:
            break
    else:
        raise LayoutError("opening bracket not on the line")
    commas = 0
    for leaf in leaves[start + 1 :]:
        if leaf is closing:
            break
        if leaf.bracket_depth == depth and leaf.type == ",":
            commas += 1
            if leaf.parent is not None and leaf.parent.type in ("arglist", "typedargslist"):
                commas += 1
                break
    return commas < 2


def _annotation_kind(leaf: Leaf) -> Optional[str]:
    ancestor = leaf.parent
    while ancestor is not None:
        previous = ancestor.prev_sibling
        if previous is not None and previous.type == "->":
            return "return"
        if ancestor.parent is not None and ancestor.parent.type == "tname":
            return "param"
        ancestor = ancestor.parent
    return None


# --- lines --------------------------------------------------------------------------------


class _Line:
    """A line of leaves at an indentation depth (black's Line)."""

    __slots__ = ("depth", "leaves", "tracker", "inside_brackets", "should_split_rhs", "magic_trailing_comma")

    def __init__(self, depth: int = 0, inside_brackets: bool = False) -> None:
        self.depth = depth
        self.leaves: list[Leaf] = []
        self.tracker = _Tracker()
        self.inside_brackets = inside_brackets
        self.should_split_rhs = False
        self.magic_trailing_comma: Optional[Leaf] = None

    def append(self, leaf: Leaf, preformatted: bool = False, track_bracket: bool = False) -> None:
        if not preformatted:
            leaf.prefix = leaf.spacing if self.leaves else ""
        if self.inside_brackets or not preformatted or track_bracket:
            self.tracker.mark(leaf)
            if self.has_magic_trailing_comma(leaf):
                self.magic_trailing_comma = leaf
        self.leaves.append(leaf)

    def has_magic_trailing_comma(self, closing: Leaf) -> bool:
        if not (closing.type in CLOSING_BRACKETS and self.leaves and self.leaves[-1].type == ","):
            return False
        if closing.type == "}":
            return True
        if closing.type == "]":
            if (
                closing.parent is not None
                and closing.parent.type == "trailer"
                and closing.opening_bracket is not None
                and _is_one_sequence_between(closing.opening_bracket, closing, self.leaves, brackets=("[", "]"))
            ):
                return False
            return True
        if self.is_import:
            return True
        return closing.opening_bracket is not None and not _is_one_sequence_between(closing.opening_bracket, closing, self.leaves)

    @property
    def is_import(self) -> bool:
        if not self.leaves:
            return False
        first = self.leaves[0]
        parent = first.parent.type if first.parent is not None else ""
        return first.type == NAME and ((first.value == "import" and parent == "import_name") or (first.value == "from" and parent == "import_from"))

    @property
    def is_def(self) -> bool:
        return bool(self.leaves) and self.leaves[0].type == NAME and self.leaves[0].value == "def"

    @property
    def is_chained_assignment(self) -> bool:
        return sum(1 for leaf in self.leaves if leaf.type == "=") > 1

    def __str__(self) -> str:
        if not self.leaves:
            return ""
        first = self.leaves[0]
        return first.prefix + "    " * self.depth + first.value + "".join(str(leaf) for leaf in self.leaves[1:])

    def __bool__(self) -> bool:
        return bool(self.leaves)

    def lengths(self, reverse: bool = False) -> Iterator[tuple[int, Leaf, int]]:
        indexes = range(len(self.leaves) - 1, -1, -1) if reverse else range(len(self.leaves))
        for index in indexes:
            leaf = self.leaves[index]
            yield index, leaf, len(leaf.prefix) + len(leaf.value)


def _short_enough(line: _Line, limit: int = LINE_LENGTH) -> bool:
    return width(str(line)) <= limit


class _CannotTransform(Exception):
    pass


class _CannotSplit(_CannotTransform):
    pass


class _RHS:
    __slots__ = ("head", "body", "tail", "opening_bracket", "closing_bracket")

    def __init__(self, head: _Line, body: _Line, tail: _Line, opening: Leaf, closing: Leaf) -> None:
        self.head, self.body, self.tail = head, body, tail
        self.opening_bracket, self.closing_bracket = opening, closing


# --- black's transformations ----------------------------------------------------------------

Transform = Callable[[_Line, bool], Iterator[_Line]]


def _transform_line(line: _Line, force_optional_parens: bool = False) -> list[_Line]:
    line_str = str(line)
    if not line.should_split_rhs and not line.magic_trailing_comma and _short_enough(line):
        return [line]
    transforms: list[Transform]
    if line.is_def:
        transforms = [_left_hand_split]
    elif line.inside_brackets:
        transforms = [_delimiter_split, _rhs]
    else:
        transforms = [_rhs]
    for transform in transforms:
        try:
            return _run_transformer(line, transform, force_optional_parens, line_str)
        except _CannotTransform:
            continue
    return [line]


def _run_transformer(line: _Line, transform: Transform, force_optional_parens: bool, line_str: str) -> list[_Line]:
    result: list[_Line] = []
    for transformed in transform(line, force_optional_parens):
        if str(transformed) == line_str:
            raise _CannotTransform("unchanged")
        result.extend(_transform_line(transformed, force_optional_parens))
    if (
        force_optional_parens
        or transform is not _rhs
        or not line.tracker.invisible
        or any(bracket.value for bracket in line.tracker.invisible)
        or _short_enough(result[0])
        or any(leaf.parent is None for leaf in line.leaves)
    ):
        return result
    # black's second opinion: the same split with every optional pair of parentheses kept
    copy = _Line(line.depth, line.inside_brackets)
    copy.should_split_rhs = line.should_split_rhs
    copy.magic_trailing_comma = line.magic_trailing_comma
    for old in line.leaves:
        new = Leaf(old.type, old.value, old.spacing)
        parent = old.parent
        assert parent is not None
        parent.children[parent.children.index(old)] = new
        new.parent = parent
        old.parent = None
        copy.append(new)
    second = _run_transformer(copy, transform, True, line_str)
    if all(_short_enough(part) for part in second):
        return second
    return result


def _rhs(line: _Line, force_optional_parens: bool) -> Iterator[_Line]:
    for omit in _trailers_to_omit(line):
        lines = list(_right_hand_split(line, force_optional_parens, omit))
        if _short_enough(lines[0]):
            yield from lines
            return
    yield from _right_hand_split(line, force_optional_parens, frozenset())


def _trailers_to_omit(line: _Line) -> Iterator[frozenset[int]]:
    omit: set[int] = set()
    if not line.magic_trailing_comma:
        yield frozenset(omit)
    length = 4 * line.depth
    opening_bracket: Optional[Leaf] = None
    closing_bracket: Optional[Leaf] = None
    inner_brackets: set[int] = set()
    for index, leaf, leaf_length in line.lengths(reverse=True):
        length += leaf_length
        if length > LINE_LENGTH:
            break
        if opening_bracket:
            if leaf is opening_bracket:
                opening_bracket = None
            elif leaf.type in CLOSING_BRACKETS:
                previous = line.leaves[index - 1] if index > 0 else None
                if previous is not None and previous.type == "," and leaf.opening_bracket is not None and not _is_one_sequence_between(leaf.opening_bracket, leaf, line.leaves):
                    break
                inner_brackets.add(id(leaf))
        elif leaf.type in CLOSING_BRACKETS:
            previous = line.leaves[index - 1] if index > 0 else None
            if previous is not None and previous.type in OPENING_BRACKETS:
                inner_brackets.add(id(leaf))
                continue
            if closing_bracket:
                omit.add(id(closing_bracket))
                omit.update(inner_brackets)
                inner_brackets.clear()
                yield frozenset(omit)
            if previous is not None and previous.type == "," and leaf.opening_bracket is not None and not _is_one_sequence_between(leaf.opening_bracket, leaf, line.leaves):
                break
            if leaf.value:
                opening_bracket = leaf.opening_bracket
                closing_bracket = leaf


def _right_hand_split(line: _Line, force_optional_parens: bool, omit: frozenset[int]) -> Iterator[_Line]:
    rhs = _first_right_hand_split(line, omit)
    yield from _maybe_split_omitting_optional_parens(rhs, line, force_optional_parens, omit)


def _first_right_hand_split(line: _Line, omit: frozenset[int]) -> _RHS:
    tail_leaves: list[Leaf] = []
    body_leaves: list[Leaf] = []
    head_leaves: list[Leaf] = []
    current = tail_leaves
    opening_bracket: Optional[Leaf] = None
    closing_bracket: Optional[Leaf] = None
    for leaf in reversed(line.leaves):
        if current is body_leaves and leaf is opening_bracket:
            current = head_leaves if body_leaves else tail_leaves
        current.append(leaf)
        if current is tail_leaves and leaf.type in CLOSING_BRACKETS and id(leaf) not in omit:
            opening_bracket = leaf.opening_bracket
            closing_bracket = leaf
            current = body_leaves
    if not (opening_bracket and closing_bracket and head_leaves):
        raise _CannotSplit("no brackets found")
    tail_leaves.reverse()
    body_leaves.reverse()
    head_leaves.reverse()
    head = _bracket_split_build_line(head_leaves, line, opening_bracket, "head")
    body = _bracket_split_build_line(body_leaves, line, opening_bracket, "body")
    tail = _bracket_split_build_line(tail_leaves, line, opening_bracket, "tail")
    _bracket_split_succeeded_or_raise(head, body, tail)
    return _RHS(head, body, tail, opening_bracket, closing_bracket)


def _maybe_split_omitting_optional_parens(rhs: _RHS, line: _Line, force_optional_parens: bool, omit: frozenset[int]) -> Iterator[_Line]:
    if (
        not force_optional_parens
        and rhs.opening_bracket.type == "("
        and not rhs.opening_bracket.value
        and rhs.closing_bracket.type == ")"
        and not rhs.closing_bracket.value
        and not line.is_import
        and _can_omit_invisible_parens(rhs)
    ):
        omit = frozenset((id(rhs.closing_bracket), *omit))
        try:
            rhs_oop = _first_right_hand_split(line, omit)
            if _prefer_split_rhs_oop_over_rhs(rhs_oop, rhs):
                yield from _maybe_split_omitting_optional_parens(rhs_oop, line, force_optional_parens, omit)
                return
        except _CannotSplit as error:
            if line.is_chained_assignment:
                pass
            elif not _can_be_split(rhs.body) and not _short_enough(rhs.body) and not _in_dict_value(rhs.opening_bracket):
                raise _CannotSplit("the body is still too long and cannot be split") from error
    _ensure_visible(rhs.opening_bracket)
    _ensure_visible(rhs.closing_bracket)
    for result in (rhs.head, rhs.body, rhs.tail):
        if result:
            yield result


def _ensure_visible(leaf: Leaf) -> None:
    if leaf.type == "(":
        leaf.value = "("
    elif leaf.type == ")":
        leaf.value = ")"


def _in_dict_value(bracket: Leaf) -> bool:
    return bracket.parent is not None and bracket.parent.parent is not None and bracket.parent.parent.type == "dictsetmaker"


def _prefer_split_rhs_oop_over_rhs(rhs_oop: _RHS, rhs: _RHS) -> bool:
    if _in_dict_value(rhs.opening_bracket) and rhs.body.tracker.delimiters:
        return any(leaf.type == ":" for leaf in rhs_oop.tail.leaves)
    if not (len(rhs.head.leaves) >= 2 and rhs.head.leaves[-2].type == "="):
        return True
    if not any(leaf.type in BRACKETS for leaf in rhs.head.leaves[:-1]):
        return True
    if not _short_enough(rhs.head, LINE_LENGTH - 1):
        return True
    if rhs.head.magic_trailing_comma is not None:
        return True
    head_equals = sum(1 for leaf in rhs.head.leaves if leaf.type == "=")
    oop_head_equals = sum(1 for leaf in rhs_oop.head.leaves if leaf.type == "=")
    if head_equals > 1 and head_equals > oop_head_equals:
        return False
    has_closing_bracket_after_assign = False
    for leaf in reversed(rhs_oop.head.leaves):
        if leaf.type == "=":
            break
        if leaf.type in CLOSING_BRACKETS:
            has_closing_bracket_after_assign = True
            break
    return has_closing_bracket_after_assign or (any(leaf.type == "=" for leaf in rhs_oop.head.leaves) and _short_enough(rhs_oop.head))


def _can_be_split(line: _Line) -> bool:
    leaves = line.leaves
    if len(leaves) < 2:
        return False
    if leaves[0].type == STRING and leaves[1].type == ".":
        calls = dots = 0
        following = leaves[-1]
        for leaf in leaves[-2::-1]:
            if leaf.type in OPENING_BRACKETS:
                if following.type not in CLOSING_BRACKETS:
                    return False
                calls += 1
            elif leaf.type == ".":
                dots += 1
            elif leaf.type == NAME:
                if not (following.type == "." or following.type in OPENING_BRACKETS):
                    return False
            elif leaf.type not in CLOSING_BRACKETS:
                return False
            if dots > 1 and calls > 1:
                return False
    return True


def _can_omit_invisible_parens(rhs: _RHS) -> bool:
    line = rhs.body
    tracker = line.tracker
    if not tracker.delimiters:
        return True
    max_priority = tracker.max_priority()
    delimiter_count = tracker.count_with_priority(max_priority)
    if delimiter_count > 1:
        return False
    if max_priority == DOT_PRIORITY:
        return True
    if len(line.leaves) < 2:
        raise LayoutError("stranded delimiter")
    first, second = line.leaves[0], line.leaves[1]
    if first.type in OPENING_BRACKETS and second.type not in CLOSING_BRACKETS:
        if _can_omit_opening_paren(line, first):
            return True
    penultimate, last = line.leaves[-2], line.leaves[-1]
    if last.type == ")" or last.type == "}" or (last.type == "]" and last.parent is not None and last.parent.type != "trailer"):
        if penultimate.type in OPENING_BRACKETS:
            return False
        if _can_omit_closing_paren(line, last):
            return True
    return False


def _can_omit_opening_paren(line: _Line, first: Leaf) -> bool:
    remainder = False
    length = 4 * line.depth
    index = -1
    for index, leaf, leaf_length in line.lengths():
        if leaf.type in CLOSING_BRACKETS and leaf.opening_bracket is first:
            remainder = True
        if remainder:
            length += leaf_length
            if length > LINE_LENGTH:
                break
            if leaf.type in OPENING_BRACKETS:
                remainder = False
    else:
        if len(line.leaves) == index + 1:
            return True
    return False


def _can_omit_closing_paren(line: _Line, last: Leaf) -> bool:
    length = 4 * line.depth
    seen_other_brackets = False
    for _, leaf, leaf_length in line.lengths():
        length += leaf_length
        if leaf is last.opening_bracket:
            if seen_other_brackets or length <= LINE_LENGTH:
                return True
        elif leaf.type in OPENING_BRACKETS:
            seen_other_brackets = True
    return False


def _bracket_split_succeeded_or_raise(head: _Line, body: _Line, tail: _Line) -> None:
    tail_length = len(str(tail).strip())
    if not body:
        if tail_length == 0:
            raise _CannotSplit("splitting brackets produced the same line")
        if tail_length < 3:
            raise _CannotSplit("splitting brackets on an empty body is not worth it")


def _ensure_trailing_comma(leaves: list[Leaf], original: _Line, opening_bracket: Leaf) -> bool:
    if not leaves:
        return False
    if original.is_import:
        return True
    if not original.is_def or opening_bracket.value != "(":
        return False
    if any(leaf.type == "," and _annotation_kind(leaf) is None for leaf in leaves):
        return False
    with_parent = next((leaf for leaf in leaves if leaf.parent is not None), None)
    if with_parent is None:
        return True
    if _annotation_kind(with_parent) == "return":
        return False
    parent = with_parent.parent
    if parent is not None and parent.next_sibling is not None and parent.next_sibling.type == "|":
        return False
    return True


def _leaves_inside_matching_brackets(leaves: list[Leaf]) -> set[int]:
    ids: set[int] = set()
    start = next((i for i, leaf in enumerate(leaves) if leaf.type in OPENING_BRACKETS), None)
    if start is None:
        return ids
    stack: list[tuple[str, int]] = []
    for i in range(start, len(leaves)):
        leaf = leaves[i]
        if leaf.type in OPENING_BRACKETS:
            stack.append((MATCHING[leaf.type], i))
        if leaf.type in CLOSING_BRACKETS:
            if stack and leaf.type == stack[-1][0]:
                _, begin = stack.pop()
                ids.update(id(leaves[j]) for j in range(begin, i + 1))
            else:
                break
    return ids


def _bracket_split_build_line(leaves: list[Leaf], original: _Line, opening_bracket: Leaf, component: str) -> _Line:
    result = _Line(original.depth)
    if component == "body":
        result.inside_brackets = True
        result.depth += 1
        if _ensure_trailing_comma(leaves, original, opening_bracket) and leaves[-1].type != ",":
            leaves.append(Leaf(",", ","))
    tracked = _leaves_inside_matching_brackets(leaves) if component == "head" else set()
    for leaf in leaves:
        result.append(leaf, preformatted=True, track_bracket=id(leaf) in tracked)
    if component == "body" and _should_split_line(result, opening_bracket):
        result.should_split_rhs = True
    return result


def _should_split_line(line: _Line, opening_bracket: Leaf) -> bool:
    if not (opening_bracket.parent is not None and opening_bracket.value in "[{("):
        return False
    exclude: set[int] = set()
    trailing_comma = False
    if not line.leaves:
        return False
    last = line.leaves[-1]
    if last.type == ",":
        trailing_comma = True
        exclude.add(id(last))
    try:
        max_priority = line.tracker.max_priority(frozenset(exclude))
    except ValueError:
        return False
    return max_priority == COMMA_PRIORITY and (trailing_comma or opening_bracket.parent.type in ("atom", "import_from"))


def _delimiter_split(line: _Line, force_optional_parens: bool) -> Iterator[_Line]:
    if not line.leaves:
        raise _CannotSplit("line empty")
    last_leaf = line.leaves[-1]
    tracker = line.tracker
    try:
        priority = tracker.max_priority(frozenset((id(last_leaf),)))
    except ValueError:
        raise _CannotSplit("no delimiters") from None
    if priority == DOT_PRIORITY and tracker.count_with_priority(priority) == 1:
        raise _CannotSplit("splitting a single attribute from its owner looks wrong")
    current = _Line(line.depth, line.inside_brackets)
    for leaf in line.leaves:
        current.append(leaf, preformatted=True)
        if tracker.delimiters.get(id(leaf)) == priority:
            current.leaves[0].prefix = ""
            yield current
            current = _Line(line.depth, line.inside_brackets)
    if current:
        # (black adds it after *args and **kwargs too: the generated modules need Python 3.7+)
        if priority == COMMA_PRIORITY and current.leaves[-1].type != ",":
            current.append(Leaf(",", ","), preformatted=True)
        current.leaves[0].prefix = ""
        yield current


def _left_hand_split(line: _Line, force_optional_parens: bool) -> Iterator[_Line]:
    tail_leaves: list[Leaf] = []
    body_leaves: list[Leaf] = []
    head_leaves: list[Leaf] = []
    matching_bracket: Optional[Leaf] = None
    for leaf_type in ("(", "["):
        tail_leaves, body_leaves, head_leaves = [], [], []
        current = head_leaves
        matching_bracket = None
        for leaf in line.leaves:
            if current is body_leaves and leaf.type in CLOSING_BRACKETS and leaf.opening_bracket is matching_bracket and matching_bracket is not None:
                current = tail_leaves if body_leaves else head_leaves
            current.append(leaf)
            if current is head_leaves and leaf.type == leaf_type:
                matching_bracket = leaf
                current = body_leaves
        if matching_bracket and tail_leaves:
            break
    if not matching_bracket or not tail_leaves:
        raise _CannotSplit("no brackets found")
    head = _bracket_split_build_line(head_leaves, line, matching_bracket, "head")
    body = _bracket_split_build_line(body_leaves, line, matching_bracket, "body")
    tail = _bracket_split_build_line(tail_leaves, line, matching_bracket, "tail")
    _bracket_split_succeeded_or_raise(head, body, tail)
    for result in (head, body, tail):
        if result:
            yield result


# --- entry points ---------------------------------------------------------------------------


def _line_of(statement: Node, depth: int) -> _Line:
    line = _Line(depth)
    for leaf in statement.leaves():
        line.append(leaf)
    return line


@lru_cache(maxsize=65536)
def statement(text: str, depth: int) -> str:
    """One statement (written on one line, black's spacing) laid out as black does, at `depth`."""
    tree = _Parser(text).statement()
    _normalize(tree)
    line = _line_of(tree, depth)
    return "\n".join(str(part) for part in _transform_line(line))


@lru_cache(maxsize=65536)
def item(text: str, depth: int, bracket: str) -> str:
    """One element (with its trailing comma) of a bracket black has already exploded.

    `bracket` says which: "call" (arguments), "def" (parameters), "dict" (a display).
    black lays such a line out on its own, as the inside of the bracket.
    """
    if not text.endswith(","):
        raise LayoutError(f"an element of an exploded bracket must end with a comma: {text!r}")
    if bracket == "call":
        source = f"f({text})"
    elif bracket == "def":
        source = f"def f({text}):"
    elif bracket == "dict":
        source = f"f({{{text}}})"
    else:
        raise LayoutError(f"unknown bracket {bracket!r}")
    tree = _Parser(source).statement()
    _normalize(tree)
    leaves = list(tree.leaves())
    opening = next(i for i, leaf in enumerate(leaves) if leaf.value == ("{" if bracket == "dict" else "("))
    level = 0
    for closing in range(opening, len(leaves)):
        level += (leaves[closing].type in OPENING_BRACKETS) - (leaves[closing].type in CLOSING_BRACKETS)
        if level == 0:
            break
    # black lays the element out on a line of its own, inside the bracket
    line = _Line(depth, inside_brackets=True)
    for leaf in leaves[opening + 1 : closing]:
        line.append(leaf)
    return "\n".join(str(part) for part in _transform_line(line))


def layout_statements(block: str) -> str:
    """A block of statements, one a line, each laid out as black does (a Jinja filter).

    Lines that fit are returned as they are (the common case, and cheap); only a line
    over the limit is parsed and split.
    """
    lines = block.split("\n")
    for index, text in enumerate(lines):
        if not fits(text) or ",)" in text or ",]" in text or ",}" in text:
            stripped = text.lstrip(" ")
            indent = len(text) - len(stripped)
            if indent % 4:
                raise LayoutError(f"indentation is not a multiple of 4: {text!r}")
            lines[index] = statement(stripped, indent // 4)
    return "\n".join(lines)


def layout_exploded(block: str) -> str:
    """Jinja filter: one statement written exploded, as black writes a call or display
    whose last bracket ends with a comma: the head up to the opening bracket, one
    element a line (each with its comma), the closing bracket.

    When every line fits and no element holds a bracket of its own ending with a comma,
    that is black's layout (the magic comma keeps the bracket exploded, and black leaves
    lines that fit alone); otherwise the statement is joined and laid out by `statement`.
    """
    lines = block.rstrip("\n").split("\n")
    if all(fits(line) and ",)" not in line and ",]" not in line and ",}" not in line for line in lines):
        return block
    head, *elements, tail = (line.strip() for line in lines)
    indent = len(lines[0]) - len(lines[0].lstrip(" "))
    return statement(head + " ".join(elements) + tail, indent // 4) + block[len(block.rstrip("\n")) :]


def _items_filter(bracket: str) -> Callable[[str], str]:
    def layout(block: str) -> str:
        lines = block.split("\n")
        for index, text in enumerate(lines):
            if not fits(text) or ",)" in text or ",]" in text or ",}" in text:
                stripped = text.lstrip(" ")
                if not stripped:
                    continue
                indent = len(text) - len(stripped)
                if indent % 4:
                    raise LayoutError(f"indentation is not a multiple of 4: {text!r}")
                lines[index] = item(stripped, indent // 4, bracket)
        return "\n".join(lines)

    return layout


layout_arguments = _items_filter("call")
layout_parameters = _items_filter("def")
layout_dict_items = _items_filter("dict")


# --- docstrings -------------------------------------------------------------------------------

_BACKSLASH_NEWLINE = re.compile(r"\\\s*\n")


def docstring(literal: str, depth: int) -> str:
    """A docstring literal (`\"\"\"...\"\"\"`) as black writes it at `depth`.

    black re-indents the lines after the first (their common indentation becomes the
    docstring's), strips trailing whitespace, empties blank lines, pads a quote or an
    odd backslash at either end with a space, and moves the closing quotes to a line of
    their own when the last line would overflow with them. It leaves a docstring with a
    backslash at the end of a line as it is.
    """
    if not (literal.startswith('"""') and literal.endswith('"""') and len(literal) >= 6):
        raise LayoutError(f"not a docstring: {literal[:40]!r}")
    if _BACKSLASH_NEWLINE.search(literal):
        return literal
    indent = "    " * depth
    body = literal[3:-3]
    started_empty = not body
    if "\n" in literal:
        body = _fix_multiline_docstring(body, indent)
    else:
        body = body.strip()
    trailing_backslash = False
    if body:
        if body[0] == '"':
            body = " " + body
        if body[-1] == '"':
            body += " "
        if body[-1] == "\\" and (len(body) - len(body.rstrip("\\"))) % 2:
            body += " "
            trailing_backslash = True
    elif not started_empty:
        body = " "
    lines = body.splitlines()
    last_line_length = len(lines[-1]) if body else 0
    if len(lines) > 1 and last_line_length + 3 > LINE_LENGTH and len(indent) + 3 <= LINE_LENGTH and not trailing_backslash:
        if literal[-4] == "\n":
            return '"""' + body + '"""'
        # black pads a final quote with a space, then moves the closing quotes away from
        # it; a second run of black strips that space again: write what is stable.
        return '"""' + body.rstrip(" ") + "\n" + indent + '"""'
    return '"""' + body + '"""'


def _fix_multiline_docstring(body: str, indent: str) -> str:
    lines = []
    for line in body.splitlines():
        stripped = line.lstrip()
        if stripped and stripped != line:
            line = line[: len(line) - len(stripped)].expandtabs() + stripped
        lines.append(line)
    if body.endswith("\n"):
        lines.append("")
    margin = min((len(line) - len(line.lstrip()) for line in lines[1:] if line.lstrip()), default=None)
    trimmed = [lines[0].strip()]
    if margin is not None:
        last = len(lines) - 2
        for index, line in enumerate(lines[1:]):
            rest = line[margin:].rstrip()
            trimmed.append(indent + rest if rest or index == last else "")
    return "\n".join(trimmed)


def layout_docstring(block: str) -> str:
    """Jinja filter: the docstring in `block` (its indentation, the literal, a newline) as black writes it."""
    stripped = block.lstrip(" ")
    indent = len(block) - len(stripped)
    if indent % 4:
        raise LayoutError(f"indentation is not a multiple of 4: {block[:40]!r}")
    literal = stripped.rstrip("\n")
    return block[:indent] + docstring(literal, indent // 4) + stripped[len(literal) :]
