"""Safe parsing of what people type (``sin(3x)``, ``3x^2 - 2x + 1``) into an expression tree, evaluated with numpy,
with mpmath at high precision, or turned into sympy; :mod:`univ.target` makes a checked Target of it.

The text never reaches Python's ``eval``: a hand-written tokenizer and recursive-descent parser build a small tree
from a whitelist (numbers, x, y, pi, e, + - * / ^ **, parentheses, commas and the functions in ``FUNCTIONS``), and
that tree is walked to compute with numpy or to build sympy objects with ``evaluate=False``.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ExpressionError
from .grammar import (
    _COMPARE,
    _LOG_SCALE,
    _LOGICAL,
    CONSTANTS,
    FUNCTIONS,
    VARIABLES,
    _children,
    _log_sigmoid,
    is_logical,
)
from .intervals import _interval
from .limits import MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH
from .precise import _precise
from .symbolic import _symbolic

MAX_LENGTH = MAX_EXPRESSION_LENGTH  # characters of expression text
MAX_DEPTH = MAX_EXPRESSION_DEPTH  # nested parentheses, calls and powers
SUGGEST_CUTOFF = 0.6  # difflib similarity a misspelled name needs before "did you mean" offers a known one


_ALLOWED = (
    "numbers, x, y, pi, e, + - * / ^ **, parentheses, commas, comparisons < <= > >= joined by and, or, not, and the "
    "functions " + ", ".join(sorted(FUNCTIONS))
)
_NUMBER = re.compile(r"([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")  # ASCII digits only
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPECIAL = {
    "'": "strings are not allowed",
    '"': "strings are not allowed",
    "[": "square brackets are not allowed; use parentheses",
    "]": "square brackets are not allowed; use parentheses",
    "{": "braces are not allowed; use parentheses",
    "}": "braces are not allowed; use parentheses",
    ";": "only one expression is allowed",
    "=": "an expression or a region, not an equation or assignment, is expected (write 'x^2' or 'y < x^2')",
    "%": "'%' is not an operator univ accepts",
    "@": "'@' is not an operator univ accepts",
    "\\": "backslashes are not allowed",
    ":": "':' is not allowed (no lambdas or slices)",
}
# comparisons and the words that join them make a region (1 inside, 0 outside): "x^2 + y^2 < 0.5 and x > 0"
COMPARISONS = ("<", "<=", ">", ">=")
LOGIC = ("and", "or", "not")
_KEYWORDS = {
    "lambda": "lambdas are not allowed; write the expression in x (and y) directly",
    "for": "comprehensions are not allowed",
    "in": "comprehensions are not allowed",
    "if": "conditionals are not allowed; use heaviside, max, min or abs",
    "import": "imports are not allowed",
}


# -- tokens -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Token:
    kind: str  # "num", "name", "op", "cmp", "logic", "(", ")", ",", "end"
    text: str
    pos: int
    value: float = 0.0


def _split_name(word: str) -> list[str] | None:
    """Split a run of letters into known names, e.g. ``xy`` -> [x, y], ``pix`` -> [pi, x], ``xsin`` -> [x, sin].

    A function name may only be the last piece. Returns None if no split exists.
    """
    pieces = sorted([*VARIABLES, *CONSTANTS], key=len, reverse=True)

    def go(rest: str) -> list[str] | None:
        if not rest:
            return []
        if rest in FUNCTIONS:
            return [rest]
        for p in pieces:
            if rest.startswith(p):
                tail = go(rest[len(p) :])
                if tail is not None:
                    return [p, *tail]
        return None

    return go(word)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        m = _NUMBER.match(text, i)
        if m:
            i = _number_token(text, m, tokens)
            continue
        m = _NAME.match(text, i)
        if m:
            i = _name_tokens(text, m, tokens)
            continue
        i = _operator_token(text, i, tokens)
    tokens.append(_Token("end", "", n))
    return tokens


def _number_token(text: str, m: re.Match, tokens: list[_Token]) -> int:
    """Append the number ``m`` matched; return where the text goes on."""
    i = m.start()
    if tokens and tokens[-1].kind == "num":
        raise ExpressionError("two numbers in a row", text, i)
    value = float(m.group(0))
    if not math.isfinite(value):
        raise ExpressionError(f"the number {m.group(0)[:20]} is too large", text, i)
    tokens.append(_Token("num", m.group(0), i, value))
    i = m.end()
    if i < len(text) and text[i] == ".":
        raise ExpressionError("a number cannot have two decimal points", text, i)
    return i


def _name_tokens(text: str, m: re.Match, tokens: list[_Token]) -> int:
    """Append the word ``m`` matched (``xsin`` as the names x and sin); return where the text goes on."""
    i, word = m.start(), m.group(0)
    if "_" in word:
        raise ExpressionError(f"names with '_' are not allowed ({word!r}); allowed: {_ALLOWED}", text, i)
    if word in _KEYWORDS:
        raise ExpressionError(_KEYWORDS[word], text, i)
    if word in LOGIC:
        tokens.append(_Token("logic", word, i))
        return m.end()
    if word in FUNCTIONS or word in CONSTANTS or word in VARIABLES:
        parts = [word]
    else:
        parts = _split_name(word.rstrip("0123456789")) if word[-1].isdigit() else _split_name(word)
        if parts is None or word[-1].isdigit():
            raise ExpressionError(_unknown_name_message(word), text, i)
    at = i
    for p in parts:
        tokens.append(_Token("name", p, at))
        at += len(p)
    i = m.end()
    if i < len(text) and text[i] == ".":
        raise ExpressionError("attribute access ('.') is not allowed", text, i)
    return i


def _operator_token(text: str, i: int, tokens: list[_Token]) -> int:
    """Append the operator, comparison or bracket at i, or refuse the character there; return where the text goes
    on."""
    c = text[i]
    if text.startswith("**", i):
        tokens.append(_Token("op", "^", i))
        return i + 2
    if text.startswith("==", i) or text.startswith("!=", i) or text.startswith("<>", i):
        raise ExpressionError(
            f"{text[i : i + 2]!r} is not allowed: a region is made with < <= > >= (equality has no area)", text, i
        )
    if text.startswith("=<", i) or text.startswith("=>", i):
        raise ExpressionError(f"{text[i : i + 2]!r} is not an operator; write {text[i + 1] + '='!r}", text, i)
    if c in "<>":
        op = text[i : i + 2] if text.startswith("=", i + 1) else c
        if text.startswith(op + "<", i) or text.startswith(op + ">", i) or text.startswith(op + "=", i):
            raise ExpressionError(f"{text[i : i + len(op) + 1]!r} is not a comparison univ accepts", text, i)
        tokens.append(_Token("cmp", op, i))
        return i + len(op)
    if text.startswith("//", i):
        raise ExpressionError("'//' is not an operator univ accepts; use floor(a/b)", text, i)
    if c in "+-*/^":
        tokens.append(_Token("op", c, i))
        return i + 1
    if c in "(),":
        tokens.append(_Token(c, c, i))
        return i + 1
    if c == ".":
        raise ExpressionError("attribute access ('.') is not allowed", text, i)
    if c in _SPECIAL:
        raise ExpressionError(_SPECIAL[c], text, i)
    raise ExpressionError(_unexpected_character_message(c), text, i)


def _unexpected_character_message(c: str) -> str:
    """Name the character, and for digits from other scripts (３, ٣, 𝟑, ²) say which ASCII digit to write."""
    name = unicodedata.name(c, "")
    shown = f"{c!r} ({name})" if name and not c.isascii() else repr(c)
    value = unicodedata.digit(c, None)
    if value is not None:
        hint = f"write {value}" if unicodedata.decimal(c, None) is not None else f"write ^{value} for a power"
        return f"{shown} is not an ASCII digit; numbers use the digits 0-9 ({hint})"
    return f"unexpected character {shown}; allowed: {_ALLOWED}"


def _unknown_name_message(word: str) -> str:
    """Name the unknown word and suggest the closest known one (``sinn`` -> sin), as the CLI does for commands."""
    if len(word) == 1 and word.isalpha():
        return f"only x and y can be variables, not {word!r}"
    close = difflib.get_close_matches(word.lower(), [*FUNCTIONS, *CONSTANTS], n=1, cutoff=SUGGEST_CUTOFF)
    if close:
        return f"unknown name {word!r}; did you mean {close[0]}? (allowed: {_ALLOWED})"
    return f"unknown name {word!r}; allowed: {_ALLOWED}"


# -- parser -------------------------------------------------------------------------------------------------------
# The tree's nodes are tuples, described in univ.grammar.
class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def fail(self, message: str, tok: _Token | None = None):
        tok = tok or self.tok
        if tok.kind == "end":  # point at the last character, not past the end
            return self.fail_at_end(message)
        raise ExpressionError(message, self.text, tok.pos)

    def fail_at_end(self, message: str):
        last = len(self.text.rstrip()) - 1
        raise ExpressionError(message, self.text, max(last, 0))

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"expression nested deeper than {MAX_DEPTH} levels")

    def parse(self):
        if self.tok.kind == "end":
            self.fail("empty expression")
        node = self.logic()
        if self.tok.kind == ")":
            self.fail("unmatched ')'")
        if self.tok.kind != "end":
            self.fail(f"unexpected {self.tok.text!r}")
        return node

    # -- regions: or → and → not → comparison, each side of a comparison a sum -------------------------------
    def logic(self):
        return self._joined("or", self.conjunction)

    def conjunction(self):
        return self._joined("and", self.negation)

    def _joined(self, word: str, part):
        first = self.tok
        nodes = [part()]
        while self.tok.kind == "logic" and self.tok.text == word:
            tok = self.tok
            self.i += 1
            if self.tok.kind == "end":
                self.fail_at_end(f"the region ends too early after {word!r}")
            nodes.append(part())
            for n, at in ((nodes[0], first), (nodes[-1], tok)):
                if not is_logical(n):
                    self.fail(f"'{word}' joins comparisons (x > 0 {word} y < 1), not numbers", at)
        return nodes[0] if len(nodes) == 1 else (word, tuple(nodes))

    def negation(self):
        if self.tok.kind == "logic" and self.tok.text == "not":
            tok = self.tok
            self.i += 1
            if self.tok.kind == "end":
                self.fail_at_end("the region ends too early after 'not'")
            self.enter()
            node = self.negation()
            self.depth -= 1
            if not is_logical(node):
                self.fail("'not' applies to a comparison (not x > 0), not to a number", tok)
            return ("not", node)
        return self.comparison()

    def comparison(self):
        first = self.sum()
        chain = []
        while self.tok.kind == "cmp":
            tok = self.tok
            self.i += 1
            if self.tok.kind == "end":
                self.fail_at_end(f"the comparison ends too early after {tok.text!r}")
            right = self.sum()
            if is_logical(first) or is_logical(right):
                self.fail("a region cannot be compared again; join comparisons with and/or", tok)
            chain.append((tok.text, right))
        return first if not chain else ("cmp", first, tuple(chain))

    def number(self, node, tok: _Token, what: str):
        """``node`` if it is a number; a region (a comparison) where a number is needed is refused at ``tok``."""
        if is_logical(node):
            self.fail(f"a comparison is a region (true or false), not a number: it cannot {what}", tok)
        return node

    def sum(self):
        first = self.tok
        terms = [("+", self.term())]
        while self.tok.kind == "op" and self.tok.text in "+-":
            sign = self.tok
            self.i += 1
            terms.append((sign.text, self.number(self.term(), sign, "be added or subtracted")))
            self.number(terms[0][1], first, "be added or subtracted")
        return terms[0][1] if len(terms) == 1 else ("add", tuple(terms))

    def _starts_atom(self) -> bool:
        return self.tok.kind in ("num", "name", "(")

    def term(self):
        first = self.tok
        factors = [("*", self.unary())]
        while True:
            tok = self.tok
            if self.tok.kind == "op" and self.tok.text in "*/":
                op = self.tok.text
                self.i += 1
                factors.append((op, self.unary()))
            elif self._starts_atom():  # implicit multiplication: 3x, x sin(x), (x+1)(x-1)
                if self.tok.kind == "num" and factors[-1][1][0] != "num" and self.tokens[self.i - 1].kind != ")":
                    self.fail("a number after a name needs an explicit '*' (write 'x*2' or '2x')")
                factors.append(("*", self.power()))
            else:
                break
            self.number(factors[0][1], first, "be multiplied or divided")
            self.number(factors[-1][1], tok, "be multiplied or divided")
        return factors[0][1] if len(factors) == 1 else ("mul", tuple(factors))

    def unary(self):
        if self.tok.kind == "op" and self.tok.text in "+-":
            tok = self.tok
            sign = tok.text
            self.i += 1
            self.enter()
            node = self.number(self.unary(), tok, "take a sign")
            self.depth -= 1
            return ("neg", node) if sign == "-" else node
        return self.power()

    def power(self):
        first = self.tok
        base = self.atom()
        if self.tok.kind == "op" and self.tok.text == "^":
            self.number(base, first, "be raised to a power")
            self.i += 1
            self.enter()
            at = self.tok
            exponent = self.number(self.unary(), at, "be an exponent")  # right-associative; allows x^-2
            self.depth -= 1
            return ("pow", base, exponent)
        return base

    def atom(self):
        tok = self.tok
        if tok.kind == "num":
            self.i += 1
            return ("num", tok.value, tok.text)
        if tok.kind == "(":
            self.i += 1
            self.enter()
            if self.tok.kind == ")":
                self.fail("empty parentheses")
            node = self.logic()  # a region may be grouped: (x > 0 or y > 0) and x < 1
            if self.tok.kind != ")":
                self.fail("missing ')'" if self.tok.kind == "end" else f"expected ')' but found {self.tok.text!r}")
            self.i += 1
            self.depth -= 1
            return node
        if tok.kind == "name":
            self.i += 1
            if tok.text in FUNCTIONS:
                return self.call(tok)
            if self.tok.kind == "(" and tok.text in CONSTANTS | dict.fromkeys(VARIABLES):
                pass  # x(x+1) and pi(2) read as products; term() picks up the bracket
            if tok.text in VARIABLES:
                return ("var", tok.text)
            return ("const", tok.text)
        if tok.kind == "end":
            self.fail_at_end(f"the expression ends too early after {self.text.rstrip()[-1:]!r}")
        if tok.kind == ")":
            self.fail("unmatched ')'")
        self.fail(f"unexpected {tok.text!r}")

    def call(self, name_tok: _Token):
        name = name_tok.text
        if self.tok.kind != "(":
            self.fail(f"{name} needs parentheses, e.g. {name}(x)")
        self.i += 1
        self.enter()
        args = []
        if self.tok.kind == ")":
            self.fail(f"{name}() needs an argument")
        while True:
            at = self.tok
            args.append(self.number(self.sum(), at, f"be an argument of {name}"))
            if self.tok.kind == ",":
                self.i += 1
                continue
            if self.tok.kind == ")":
                self.i += 1
                break
            if self.tok.kind == "cmp":
                self.fail(f"a comparison is a region (true or false), not a number: it cannot be an argument of {name}")
            self.fail("missing ')'" if self.tok.kind == "end" else f"expected ',' or ')' but found {self.tok.text!r}")
        self.depth -= 1
        lo, hi = FUNCTIONS[name][1]
        if len(args) < lo or (hi is not None and len(args) > hi):
            want = f"{lo}" if lo == hi else f"at least {lo}"
            self.fail(f"{name} takes {want} argument{'s' if lo != 1 or hi is None else ''}, got {len(args)}", name_tok)
        return ("call", name, tuple(args))


def _variables_in(node) -> set[str]:
    kind = node[0]
    if kind in _LOGICAL:
        return set().union(*(_variables_in(n) for n in _children(node)))
    if kind == "var":
        return {node[1]}
    if kind in ("num", "const"):
        return set()
    if kind == "neg":
        return _variables_in(node[1])
    if kind in ("add", "mul"):
        return set().union(*(_variables_in(n) for _, n in node[1]))
    if kind == "pow":
        return _variables_in(node[1]) | _variables_in(node[2])
    return set().union(*(_variables_in(n) for n in node[2]))


# -- evaluation ---------------------------------------------------------------------------------------------------
def _numeric(node, env: dict[str, np.ndarray]):
    kind = node[0]
    if kind in _LOGICAL:
        return _region(node, env)
    if kind == "num":
        return node[1]
    if kind == "var":
        return env[node[1]]
    if kind == "const":
        return CONSTANTS[node[1]]
    if kind == "neg":
        return -_numeric(node[1], env)
    if kind == "add":
        total = 0.0
        for sign, n in node[1]:
            v = _numeric(n, env)
            total = total + v if sign == "+" else total - v
        return total
    if kind == "mul":
        total = 1.0
        for op, n in node[1]:
            v = _numeric(n, env)
            total = total * v if op == "*" else total / np.asarray(v, dtype=float)
        return total
    if kind == "pow":
        return np.power(np.asarray(_numeric(node[1], env), dtype=float), _numeric(node[2], env))
    name, args = node[1], node[2]
    if name in _LOG_SCALE and args[0][0] == "call" and args[0][1] == "sigmoid":  # log(sigmoid(v)), stably
        return _LOG_SCALE[name] * _log_sigmoid(np.asarray(_numeric(args[0][2][0], env), dtype=float))
    fn = FUNCTIONS[name][0]
    return fn(*(np.asarray(_numeric(n, env), dtype=float) for n in args))


def _region(node, env: dict[str, np.ndarray]):
    """A region's value: 1.0 inside, 0.0 outside, nan where a side of a comparison is not a finite number (so an
    undefined point is refused or filled like any other, never silently called outside)."""
    kind = node[0]
    if kind == "cmp":
        left = np.asarray(_numeric(node[1], env), dtype=float)
        inside, defined = None, np.isfinite(left)
        for op, n in node[2]:
            right = np.asarray(_numeric(n, env), dtype=float)
            holds = _COMPARE[op](left, right)
            inside = holds if inside is None else inside & holds
            defined = defined & np.isfinite(right)
            left = right
        return np.where(defined, inside.astype(float), np.nan)
    if kind == "not":
        return 1.0 - np.asarray(_region(node[1], env), dtype=float)
    parts = [np.asarray(_region(n, env), dtype=float) for n in node[1]]
    join = np.minimum if kind == "and" else np.maximum  # on 0/1 values; both keep nan
    return join.reduce(np.broadcast_arrays(*parts))


def _size(node) -> int:
    """Nodes in a tree (the cost of one evaluation)."""
    kind = node[0]
    if kind in _LOGICAL:
        return 1 + sum(_size(n) for n in _children(node))
    if kind in ("num", "var", "const"):
        return 1
    if kind == "neg":
        return 1 + _size(node[1])
    if kind in ("add", "mul"):
        return 1 + sum(_size(n) for _, n in node[1])
    if kind == "pow":
        return 1 + _size(node[1]) + _size(node[2])
    return 1 + sum(_size(n) for n in node[2])


# -- the parsed expression ----------------------------------------------------------------------------------------
class Expression:
    """Parsed text: its tree and variables, evaluated with numpy (calling it), with mpmath (:meth:`precise`) or
    turned into sympy (:meth:`sympy`). Made by :func:`parse_expression`; :func:`univ.parse` wraps one in a Target.

    Parameters
    ----------
    text : str
        The expression as typed (stripped).
    tree : tuple
        The parse tree (nodes are tuples, see ``_Parser``).
    variables : tuple of str
        ``("x",)`` or ``("x", "y")``.
    """

    __slots__ = ("text", "tree", "variables")

    @property
    def is_region(self) -> bool:
        """Whether the text is a region (comparisons joined by and/or/not): its values are 1 inside, 0 outside."""
        return is_logical(self.tree)

    def __init__(self, text: str, tree: tuple, variables: tuple[str, ...]):
        self.text, self.tree, self.variables = text, tree, tuple(variables)

    def __call__(self, *arrays: np.ndarray) -> np.ndarray:
        """Values on numpy arrays, one per variable (raw: inf and nan where the function is not finite)."""
        return _numeric(self.tree, dict(zip(self.variables, arrays)))

    def precise(self, point: dict[str, Any]):
        """The value at one point of mpmath numbers (name → mpf), in the caller's ``mp.workdps``; nan if not real."""
        return _precise(self.tree, point)

    def bounds(self, box: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds of the expression over boxes (interval arithmetic), ``box`` mapping each variable
        to (lo, hi) arrays; ±inf where nothing is known. A region: lo = 1 where it holds on the whole box, hi = 0
        where it holds nowhere in it."""
        lo, hi = _interval(self.tree, {k: (np.asarray(a, float), np.asarray(b, float)) for k, (a, b) in box.items()})
        shape = np.broadcast_shapes(*(np.shape(a) for pair in box.values() for a in pair))
        return np.broadcast_to(lo, shape).astype(float), np.broadcast_to(hi, shape).astype(float)

    def sympy(self):
        """The sympy expression, unevaluated, exactly as typed (the variables are real symbols)."""
        import sympy as sp

        return _symbolic(self.tree, {v: sp.Symbol(v, real=True) for v in VARIABLES})

    @property
    def size(self) -> int:
        """Nodes in the tree: the cost of one evaluation."""
        return _size(self.tree)

    def __repr__(self) -> str:
        return f"Expression({self.text!r}, variables={self.variables})"


def parse_expression(text: str) -> Expression:
    """Parse maths as people type it into an :class:`Expression`, without ever evaluating the text as Python.

    Parameters
    ----------
    text : str
        E.g. ``"sin(3x)"``, ``"3x^2 - 2x + 1"``; implicit multiplication, ``^`` or ``**`` for powers, the constants
        pi and e and the functions in ``FUNCTIONS``; ASCII digits only.

    Returns
    -------
    Expression

    Raises
    ------
    ExpressionError
        With the position of the problem.

    Examples
    --------
    >>> e = parse_expression("3x^2 - 2x + 1")
    >>> e.variables, float(e(np.array(2.0)))
    (('x',), 9.0)
    """
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    if not text.strip():
        raise ExpressionError("empty expression")
    tree = _Parser(text).parse()
    variables = ("x", "y") if "y" in _variables_in(tree) else ("x",)
    return Expression(text.strip(), tree, variables)
