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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ExpressionError
from .limits import MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH

MAX_LENGTH = MAX_EXPRESSION_LENGTH  # characters of expression text
MAX_DEPTH = MAX_EXPRESSION_DEPTH  # nested parentheses, calls and powers
VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}
SUGGEST_CUTOFF = 0.6  # difflib similarity a misspelled name needs before "did you mean" offers a known one


def _heaviside(v):
    return np.heaviside(v, 0.5)


def _relu(v):
    return np.maximum(v, 0.0)


def _sigmoid(v):
    """The logistic function 1/(1 + e^-v), exact to rounding for every v: only e^-|v| is computed, which never
    overflows (the network's sigmoid in :mod:`univ.activations` is clipped; a target's must not be)."""
    e = np.exp(-np.abs(v))
    return np.where(v >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


_LOG_SCALE = {"log": 1.0, "ln": 1.0, "log10": 1.0 / math.log(10.0), "log2": 1.0 / math.log(2.0)}


def _log_sigmoid(v):
    """log σ(v) = -log(1 + e^-v), exact where σ(v) itself underflows (v below about -745)."""
    return -np.logaddexp(0.0, -v)


# name -> (numpy function, (min args, max args or None for any))
FUNCTIONS: dict[str, tuple[Callable[..., np.ndarray], tuple[int, int | None]]] = {
    "sin": (np.sin, (1, 1)),
    "cos": (np.cos, (1, 1)),
    "tan": (np.tan, (1, 1)),
    "sec": (lambda v: 1.0 / np.cos(v), (1, 1)),
    "csc": (lambda v: 1.0 / np.sin(v), (1, 1)),
    "cot": (lambda v: 1.0 / np.tan(v), (1, 1)),
    "asin": (np.arcsin, (1, 1)),
    "acos": (np.arccos, (1, 1)),
    "atan": (np.arctan, (1, 1)),
    "arcsin": (np.arcsin, (1, 1)),
    "arccos": (np.arccos, (1, 1)),
    "arctan": (np.arctan, (1, 1)),
    "sinh": (np.sinh, (1, 1)),
    "cosh": (np.cosh, (1, 1)),
    "tanh": (np.tanh, (1, 1)),
    "exp": (np.exp, (1, 1)),
    "log": (np.log, (1, 1)),
    "ln": (np.log, (1, 1)),
    "log10": (np.log10, (1, 1)),
    "log2": (np.log2, (1, 1)),
    "sqrt": (np.sqrt, (1, 1)),
    "cbrt": (np.cbrt, (1, 1)),
    "abs": (np.abs, (1, 1)),
    "sign": (np.sign, (1, 1)),
    "floor": (np.floor, (1, 1)),
    "ceil": (np.ceil, (1, 1)),
    "heaviside": (_heaviside, (1, 1)),
    "sigmoid": (_sigmoid, (1, 1)),
    "relu": (_relu, (1, 1)),
    "max": (lambda *vs: np.maximum.reduce(np.broadcast_arrays(*vs)), (2, None)),
    "min": (lambda *vs: np.minimum.reduce(np.broadcast_arrays(*vs)), (2, None)),
}

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
_COMPARE = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}
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
            if tokens and tokens[-1].kind == "num":
                raise ExpressionError("two numbers in a row", text, i)
            value = float(m.group(0))
            if not math.isfinite(value):
                raise ExpressionError(f"the number {m.group(0)[:20]} is too large", text, i)
            tokens.append(_Token("num", m.group(0), i, value))
            i = m.end()
            if i < n and text[i] == ".":
                raise ExpressionError("a number cannot have two decimal points", text, i)
            continue
        m = _NAME.match(text, i)
        if m:
            word = m.group(0)
            if "_" in word:
                raise ExpressionError(f"names with '_' are not allowed ({word!r}); allowed: {_ALLOWED}", text, i)
            if word in _KEYWORDS:
                raise ExpressionError(_KEYWORDS[word], text, i)
            if word in LOGIC:
                tokens.append(_Token("logic", word, i))
                i = m.end()
                continue
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
            if i < n and text[i] == ".":
                raise ExpressionError("attribute access ('.') is not allowed", text, i)
            continue
        if text.startswith("**", i):
            tokens.append(_Token("op", "^", i))
            i += 2
            continue
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
            i += len(op)
            continue
        if text.startswith("//", i):
            raise ExpressionError("'//' is not an operator univ accepts; use floor(a/b)", text, i)
        if c in "+-*/^":
            tokens.append(_Token("op", c, i))
            i += 1
            continue
        if c in "(),":
            tokens.append(_Token(c, c, i))
            i += 1
            continue
        if c == ".":
            raise ExpressionError("attribute access ('.') is not allowed", text, i)
        if c in _SPECIAL:
            raise ExpressionError(_SPECIAL[c], text, i)
        raise ExpressionError(_unexpected_character_message(c), text, i)
    tokens.append(_Token("end", "", n))
    return tokens


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
# Tree nodes are tuples: ("num", value, text) ("var", name) ("const", name) ("neg", node)
# ("add", ((sign, node), ...)) ("mul", ((op, node), ...)) ("pow", base, exponent) ("call", name, (args...))
# and, for regions (values 1 inside, 0 outside): ("cmp", first, ((op, node), ...)) — a chain, 0 < x < 1 —
# ("and", (nodes...)) ("or", (nodes...)) ("not", node)
_LOGICAL = ("cmp", "and", "or", "not")


def is_logical(node) -> bool:
    """Whether a tree node is a region (a comparison or comparisons joined by and/or/not), not a number."""
    return node[0] in _LOGICAL


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


def _children(node) -> tuple:
    """The sub-trees of a node, whatever its kind."""
    kind = node[0]
    if kind in ("num", "var", "const"):
        return ()
    if kind in ("neg", "not"):
        return (node[1],)
    if kind in ("add", "mul"):
        return tuple(n for _, n in node[1])
    if kind in ("and", "or"):
        return node[1]
    if kind == "cmp":
        return (node[1], *(n for _, n in node[2]))
    if kind == "pow":
        return (node[1], node[2])
    return node[2]


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


def _symbolic(node, symbols: dict[str, Any]):
    import sympy as sp

    kind = node[0]
    if kind == "cmp":
        relations = {"<": sp.StrictLessThan, "<=": sp.LessThan, ">": sp.StrictGreaterThan, ">=": sp.GreaterThan}
        left, links = _symbolic(node[1], symbols), []
        for op, n in node[2]:
            right = _symbolic(n, symbols)
            links.append(relations[op](left, right, evaluate=False))
            left = right
        return links[0] if len(links) == 1 else sp.And(*links, evaluate=False)
    if kind in ("and", "or"):
        return (sp.And if kind == "and" else sp.Or)(*(_symbolic(n, symbols) for n in node[1]), evaluate=False)
    if kind == "not":
        return sp.Not(_symbolic(node[1], symbols), evaluate=False)
    if kind == "num":
        text = node[2]
        return sp.Integer(int(text)) if text.isdigit() else sp.Float(text, 15)
    if kind == "var":
        return symbols[node[1]]
    if kind == "const":
        return sp.pi if node[1] == "pi" else sp.E
    if kind == "neg":
        inner = _symbolic(node[1], symbols)
        if inner.is_Number:
            return -inner
        return sp.Mul(sp.Integer(-1), inner, evaluate=False)
    if kind == "add":
        terms = [
            _symbolic(n, symbols) if sign == "+" else sp.Mul(sp.Integer(-1), _symbolic(n, symbols), evaluate=False)
            for sign, n in node[1]
        ]
        return sp.Add(*terms, evaluate=False)
    if kind == "mul":
        top = [_symbolic(n, symbols) for op, n in node[1] if op == "*"]
        bottom = [_symbolic(n, symbols) for op, n in node[1] if op == "/"]
        numerator = top[0] if len(top) == 1 else sp.Mul(*top, evaluate=False)
        if not bottom:
            return numerator
        denominator = bottom[0] if len(bottom) == 1 else sp.Mul(*bottom, evaluate=False)
        reciprocal = sp.Pow(denominator, sp.Integer(-1), evaluate=False)
        return reciprocal if numerator == 1 else sp.Mul(numerator, reciprocal, evaluate=False)
    if kind == "pow":
        return sp.Pow(_symbolic(node[1], symbols), _symbolic(node[2], symbols), evaluate=False)
    name, args = node[1], [_symbolic(n, symbols) for n in node[2]]
    simple = {
        "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "sec": sp.sec, "csc": sp.csc, "cot": sp.cot,
        "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "arcsin": sp.asin, "arccos": sp.acos,
        "arctan": sp.atan, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "exp": sp.exp, "log": sp.log,
        "ln": sp.log, "abs": sp.Abs, "sign": sp.sign, "floor": sp.floor, "ceil": sp.ceiling,
    }  # fmt: skip
    if name in simple:
        return simple[name](*args, evaluate=False)
    if name == "sqrt":
        return sp.Pow(args[0], sp.Rational(1, 2), evaluate=False)
    if name == "cbrt":  # the real cube root, as numpy computes it (x**(1/3) would be complex for x < 0)
        root = sp.Pow(sp.Abs(args[0], evaluate=False), sp.Rational(1, 3), evaluate=False)
        return sp.Mul(sp.sign(args[0], evaluate=False), root, evaluate=False)
    if name in ("log10", "log2"):
        base = 10 if name == "log10" else 2
        return sp.Mul(sp.log(args[0], evaluate=False), sp.Pow(sp.log(base), -1, evaluate=False), evaluate=False)
    if name == "heaviside":
        return sp.Heaviside(args[0], sp.S.Half, evaluate=False)
    if name == "relu":
        return sp.Max(sp.Integer(0), args[0], evaluate=False)
    if name == "sigmoid":
        denominator = sp.Add(1, sp.exp(sp.Mul(-1, args[0], evaluate=False), evaluate=False), evaluate=False)
        return sp.Pow(denominator, -1, evaluate=False)
    return (sp.Max if name == "max" else sp.Min)(*args, evaluate=False)


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


# -- numbers at high precision (the fill's second look) -----------------------------------------------------------
def _precise(node, env: dict[str, Any]):
    """The tree evaluated with mpmath; any result that is not a finite real float-sized number is nan."""
    import mpmath as mp

    try:
        value = _precise_node(node, env, mp)
    except (ArithmeticError, ValueError, TypeError):  # a pole hit exactly, a complex result: not a real number
        return mp.nan
    return value if mp.isfinite(value) else mp.nan


def _precise_node(node, env, mp):
    kind = node[0]
    if kind in _LOGICAL:
        values = [_precise_node(n, env, mp) for n in _children(node)]
        if any(not mp.isfinite(v) for v in values):
            return mp.nan
        if kind == "cmp":
            pairs = zip(values, values[1:])
            ops = [_COMPARE[op] for op, _ in node[2]]
            return mp.mpf(all(bool(op(float(a - b), 0.0)) for op, (a, b) in zip(ops, pairs)))
        if kind == "not":
            return 1 - values[0]
        return min(values) if kind == "and" else max(values)
    if kind == "num":
        return mp.mpf(node[1])
    if kind == "var":
        return env[node[1]]
    if kind == "const":
        return mp.pi if node[1] == "pi" else mp.e
    args = [
        _precise_node(n, env, mp)
        for n in (
            node[1:]
            if kind == "pow"
            else [node[1]]
            if kind == "neg"
            else [n for _, n in node[1]]
            if kind in ("add", "mul")
            else node[2]
        )
    ]
    if any(not mp.isfinite(a) for a in args):
        return mp.nan
    if kind == "neg":
        return -args[0]
    if kind == "add":
        total = mp.mpf(0)
        for (sign, _), v in zip(node[1], args):
            total = total + v if sign == "+" else total - v
        return _sized(total, mp)
    if kind == "mul":
        total = mp.mpf(1)
        for (op, _), v in zip(node[1], args):
            if op == "/" and v == 0:
                return mp.nan
            total = total * v if op == "*" else total / v
        return _sized(total, mp)
    if kind == "pow":
        base, power = args
        if base == 0:
            return mp.mpf(0) if power > 0 else mp.mpf(1) if power == 0 else mp.nan
        if base < 0 and power != mp.floor(power):
            return mp.nan
        size = power * mp.log(abs(base))
        if size > 710:
            return mp.nan
        if size < -745:
            return mp.mpf(0)
        return _sized(mp.power(base, power), mp)
    return _precise_call(node[1], args, mp)


def _sized(v, mp):
    """Overflow and underflow as float64 would see them (and no arbitrary-size exponents downstream)."""
    if abs(v) > 1e308:
        return mp.nan
    return mp.mpf(0) if abs(v) < 1e-308 else v


def _precise_call(name: str, args: list, mp):
    a = args[0]
    if name in ("exp", "sinh", "cosh") and abs(a) > 709:
        return mp.mpf(0) if name == "exp" and a < 0 else mp.nan
    if name == "sigmoid":  # exact, like the float one (mpmath's exponent range has no overflow)
        return _sized(1 / (1 + mp.exp(-a)), mp)
    if name in ("log", "ln", "log10", "log2", "sqrt") and (a < 0 or (a == 0 and name != "sqrt")):
        return mp.nan
    if name in ("asin", "acos", "arcsin", "arccos") and abs(a) > 1:
        return mp.nan
    if name == "cbrt":
        return mp.sign(a) * mp.cbrt(abs(a))
    if name == "heaviside":
        return mp.mpf(0.5) if a == 0 else mp.mpf(a > 0)
    if name == "relu":
        return max(a, mp.mpf(0))
    if name in ("max", "min"):
        return max(args) if name == "max" else min(args)
    if name in ("csc", "cot") and mp.sin(a) == 0:
        return mp.nan
    table = {
        "sin": mp.sin, "cos": mp.cos, "tan": mp.tan, "sec": mp.sec, "csc": mp.csc, "cot": mp.cot, "asin": mp.asin,
        "acos": mp.acos, "atan": mp.atan, "arcsin": mp.asin, "arccos": mp.acos, "arctan": mp.atan, "sinh": mp.sinh,
        "cosh": mp.cosh, "tanh": mp.tanh, "exp": mp.exp, "log": mp.log, "ln": mp.log, "sqrt": mp.sqrt,
        "abs": abs, "sign": mp.sign, "floor": mp.floor, "ceil": mp.ceil,
        "log10": lambda v: mp.log(v, 10), "log2": lambda v: mp.log(v, 2),
    }  # fmt: skip
    return _sized(mp.mpf(table[name](a)), mp)


# -- bounds over boxes (interval arithmetic) ----------------------------------------------------------------------
# Each node gives (lo, hi) arrays with lo ≤ f ≤ hi over every box; (-inf, inf) where nothing is known (a pole, a
# function with no rule here, a value outside a function's domain). A region gives lo = 1 where it certainly holds
# on the whole box and hi = 0 where it certainly fails; comparisons leave INTERVAL_SLACK (relative) for rounding.
INTERVAL_SLACK = 1e-12
_INCREASING = {
    "exp", "log", "ln", "log10", "log2", "sqrt", "cbrt", "atan", "arctan", "asin", "arcsin", "sinh", "tanh",
    "floor", "ceil", "sign", "heaviside", "sigmoid", "relu",
}  # fmt: skip


def _unknown(lo, hi):
    bad = np.isnan(lo) | np.isnan(hi)
    return np.where(bad, -np.inf, lo), np.where(bad, np.inf, hi)


def _sin_bounds(lo, hi):
    """sin over [lo, hi]: the ends, and ±1 where a crest (π/2 + 2kπ) or trough (−π/2 + 2kπ) lies inside."""
    with np.errstate(all="ignore"):
        a, b = np.sin(lo), np.sin(hi)
        two_pi = 2 * math.pi
        crest = np.floor((hi - math.pi / 2) / two_pi) >= np.ceil((lo - math.pi / 2) / two_pi)
        trough = np.floor((hi + math.pi / 2) / two_pi) >= np.ceil((lo + math.pi / 2) / two_pi)
        wide = ~np.isfinite(hi - lo) | (hi - lo >= two_pi)
    return np.where(trough | wide, -1.0, np.minimum(a, b)), np.where(crest | wide, 1.0, np.maximum(a, b))


def _interval(node, env: dict[str, tuple[np.ndarray, np.ndarray]]):
    kind = node[0]
    with np.errstate(all="ignore"):
        if kind == "num":
            return np.asarray(node[1]), np.asarray(node[1])
        if kind == "const":
            v = np.asarray(CONSTANTS[node[1]])
            return v, v
        if kind == "var":
            return env[node[1]]
        if kind in _LOGICAL:
            return _interval_region(node, env)
        if kind == "neg":
            lo, hi = _interval(node[1], env)
            return -hi, -lo
        if kind == "add":
            lo, hi = 0.0, 0.0
            for sign, n in node[1]:
                a, b = _interval(n, env)
                lo, hi = (lo + a, hi + b) if sign == "+" else (lo - b, hi - a)
            return _unknown(lo, hi)
        if kind == "mul":
            lo, hi = np.asarray(1.0), np.asarray(1.0)
            for op, n in node[1]:
                a, b = _interval(n, env)
                if op == "/":
                    zero = (a <= 0) & (b >= 0)
                    a, b = np.where(zero, -np.inf, 1.0 / b), np.where(zero, np.inf, 1.0 / a)
                corners = np.stack(np.broadcast_arrays(lo * a, lo * b, hi * a, hi * b))
                lo, hi = _unknown(corners.min(axis=0), corners.max(axis=0))
            return lo, hi
        if kind == "pow":
            return _interval_pow(node, env)
        name, args = node[1], [_interval(n, env) for n in node[2]]
        lo, hi = args[0]
        if name in ("max", "min"):
            pick = np.maximum if name == "max" else np.minimum
            return pick.reduce(np.broadcast_arrays(*(a for a, _ in args))), pick.reduce(
                np.broadcast_arrays(*(b for _, b in args))
            )
        fn = FUNCTIONS[name][0]
        if name in _INCREASING:
            return _unknown(fn(lo), fn(hi))
        if name in ("acos", "arccos"):
            return _unknown(fn(hi), fn(lo))
        if name in ("abs", "cosh"):
            low = np.where((lo <= 0) & (hi >= 0), 0.0, np.minimum(np.abs(lo), np.abs(hi)))
            return _unknown(fn(low), fn(np.maximum(np.abs(lo), np.abs(hi))))
        if name in ("sin", "cos"):
            shift = 0.0 if name == "sin" else math.pi / 2  # cos x = sin(x + π/2)
            return _sin_bounds(lo + shift, hi + shift)
        shape = np.broadcast(lo, hi).shape
        return np.full(shape, -np.inf), np.full(shape, np.inf)  # tan, sec, csc, cot: no rule here


def _interval_pow(node, env):
    (a, b), exponent = _interval(node[1], env), node[2]
    if exponent[0] == "num" and float(exponent[1]).is_integer():
        n = exponent[1]
        if n >= 0 and n % 2 == 0:  # even: |base| decides
            low = np.where((a <= 0) & (b >= 0), 0.0, np.minimum(np.abs(a), np.abs(b)))
            return _unknown(np.power(low, n), np.power(np.maximum(np.abs(a), np.abs(b)), n))
        if n >= 0:  # odd: increasing
            return _unknown(np.power(a, n), np.power(b, n))
        zero = (a <= 0) & (b >= 0)
        ends = np.stack(np.broadcast_arrays(np.power(a, n), np.power(b, n)))
        lo, hi = ends.min(axis=0), ends.max(axis=0)
        return np.where(zero, -np.inf, lo), np.where(zero, np.inf, hi)
    c, d = _interval(exponent, env)
    corners = np.stack(np.broadcast_arrays(np.power(a, c), np.power(a, d), np.power(b, c), np.power(b, d)))
    lo, hi = _unknown(corners.min(axis=0), corners.max(axis=0))
    positive = a > 0  # b^e = exp(e log b) is monotone in each argument only for b > 0
    return np.where(positive, lo, -np.inf), np.where(positive, hi, np.inf)


def _interval_region(node, env):
    kind = node[0]
    if kind == "not":
        lo, hi = _interval_region(node[1], env)
        return 1.0 - hi, 1.0 - lo
    if kind in ("and", "or"):
        parts = [_interval_region(n, env) for n in node[1]]
        pick = np.minimum if kind == "and" else np.maximum
        return pick.reduce(np.broadcast_arrays(*(p[0] for p in parts))), pick.reduce(
            np.broadcast_arrays(*(p[1] for p in parts))
        )
    left = _interval(node[1], env)
    surely, maybe = np.asarray(1.0), np.asarray(1.0)
    for op, n in node[2]:
        right = _interval(n, env)
        small, big = (left, right) if op in ("<", "<=") else (right, left)  # the link says small < big
        slack = INTERVAL_SLACK * (1.0 + np.maximum(np.abs(small[1]), np.abs(big[0])))
        holds = small[1] + slack < big[0]  # on the whole box
        slack = INTERVAL_SLACK * (1.0 + np.maximum(np.abs(small[0]), np.abs(big[1])))
        fails = small[0] - slack > big[1]
        surely = np.minimum(surely, holds.astype(float))
        maybe = np.minimum(maybe, (~fails).astype(float))
        left = right
    return surely, maybe


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
