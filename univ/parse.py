"""Safe parsing of what people type (``sin(3x)``, ``3x^2 - 2x + 1``) into a checked numpy function and a sympy form.

The text never reaches Python's ``eval``: a hand-written tokenizer and recursive-descent parser build a small tree
from a whitelist (numbers, x, y, pi, e, + - * / ^ **, parentheses, commas and the functions in ``FUNCTIONS``), and
that tree is walked to compute with numpy or to build sympy objects with ``evaluate=False``.
"""

from __future__ import annotations

import html
import inspect
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import EXP_CLIP, sigmoid
from .errors import ConfigError, DomainError, ExpressionError, UnivError
from .limits import MAX_ABS_VALUE as LIMIT_ABS_VALUE
from .limits import MAX_DOMAIN_END, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, MIN_DOMAIN_WIDTH
from .validate import is_real

MAX_LENGTH = MAX_EXPRESSION_LENGTH  # characters of expression text
MAX_DEPTH = MAX_EXPRESSION_DEPTH  # nested parentheses, calls and powers
MAX_ABS_VALUE = LIMIT_ABS_VALUE  # a target larger than this anywhere on the domain is refused
CHECK_POINTS = 10_001  # points per axis (1D) the target is checked on; 2D uses CHECK_POINTS_2D per side
CHECK_POINTS_2D = 301
DEFAULT_DOMAIN = (0.0, 1.0)
POLE_ZOOMS = 3  # times check() zooms in 100-fold on the largest |f| looking for a pole between grid points
POLE_GROWTH = 100.0  # |f| growing this much under zooming is a pole, not a steep continuous function
VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}


def _heaviside(v):
    return np.heaviside(v, 0.5)


def _relu(v):
    return np.maximum(v, 0.0)


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
    "sigmoid": (sigmoid, (1, 1)),
    "relu": (_relu, (1, 1)),
    "max": (lambda *vs: np.maximum.reduce(np.broadcast_arrays(*vs)), (2, None)),
    "min": (lambda *vs: np.minimum.reduce(np.broadcast_arrays(*vs)), (2, None)),
}

_ALLOWED = "numbers, x, y, pi, e, + - * / ^ **, parentheses, commas and the functions " + ", ".join(sorted(FUNCTIONS))
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
    "=": "an expression, not an equation or assignment, is expected (write 'x^2', not 'y = x^2')",
    "%": "'%' is not an operator univ accepts",
    "@": "'@' is not an operator univ accepts",
    "\\": "backslashes are not allowed",
    ":": "':' is not allowed (no lambdas or slices)",
}
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
    kind: str  # "num", "name", "op", "(", ")", ",", "end"
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
    if len(word) == 1 and word.isalpha():
        return f"only x and y can be variables, not {word!r}"
    return f"unknown name {word!r}; allowed: {_ALLOWED}"


# -- parser -------------------------------------------------------------------------------------------------------
# Tree nodes are tuples: ("num", value, text) ("var", name) ("const", name) ("neg", node)
# ("add", ((sign, node), ...)) ("mul", ((op, node), ...)) ("pow", base, exponent) ("call", name, (args...))
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
        node = self.sum()
        if self.tok.kind == ")":
            self.fail("unmatched ')'")
        if self.tok.kind != "end":
            self.fail(f"unexpected {self.tok.text!r}")
        return node

    def sum(self):
        terms = [("+", self.term())]
        while self.tok.kind == "op" and self.tok.text in "+-":
            sign = self.tok.text
            self.i += 1
            terms.append((sign, self.term()))
        return terms[0][1] if len(terms) == 1 else ("add", tuple(terms))

    def _starts_atom(self) -> bool:
        return self.tok.kind in ("num", "name", "(")

    def term(self):
        factors = [("*", self.unary())]
        while True:
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
        return factors[0][1] if len(factors) == 1 else ("mul", tuple(factors))

    def unary(self):
        if self.tok.kind == "op" and self.tok.text in "+-":
            sign = self.tok.text
            self.i += 1
            self.enter()
            node = self.unary()
            self.depth -= 1
            return ("neg", node) if sign == "-" else node
        return self.power()

    def power(self):
        base = self.atom()
        if self.tok.kind == "op" and self.tok.text == "^":
            self.i += 1
            self.enter()
            exponent = self.unary()  # right-associative; allows x^-2
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
            node = self.sum()
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
            args.append(self.sum())
            if self.tok.kind == ",":
                self.i += 1
                continue
            if self.tok.kind == ")":
                self.i += 1
                break
            self.fail("missing ')'" if self.tok.kind == "end" else f"expected ',' or ')' but found {self.tok.text!r}")
        self.depth -= 1
        lo, hi = FUNCTIONS[name][1]
        if len(args) < lo or (hi is not None and len(args) > hi):
            want = f"{lo}" if lo == hi else f"at least {lo}"
            self.fail(f"{name} takes {want} argument{'s' if lo != 1 or hi is None else ''}, got {len(args)}", name_tok)
        return ("call", name, tuple(args))


def _variables_in(node) -> set[str]:
    kind = node[0]
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
    fn = FUNCTIONS[node[1]][0]
    return fn(*(np.asarray(_numeric(n, env), dtype=float) for n in node[2]))


def _symbolic(node, symbols: dict[str, Any]):
    import sympy as sp

    kind = node[0]
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


# -- numbers in messages ------------------------------------------------------------------------------------------
def _num(v: float) -> str:
    """The shortest text that reads back as ``v`` (``1e-09``, ``1000001``, ``0.1``), so two ends never look alike."""
    v = float(v)
    if v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    short = f"{v:g}"
    return short if float(short) == v else repr(v)


def _shown(value: Any) -> str:
    """A value for a message, kept short even for a 5000-digit integer."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        digits = int(abs(value).bit_length() * math.log10(2)) + 1
        return f"a{' negative' if value < 0 else 'n'} integer of about {digits} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# -- domains ------------------------------------------------------------------------------------------------------
def _end(value: Any, name: str) -> float:
    if not is_real(value):  # bools, text, nan, inf and ints beyond the float range are not
        raise ConfigError(f"{name} must be two finite numbers within ±{MAX_DOMAIN_END:g}, got {_shown(value)}")
    return float(value)


def _check_interval(pair: Any, name: str) -> tuple[float, float]:
    """``pair`` as (a, b) with a < b, ends within ±MAX_DOMAIN_END and width at least MIN_DOMAIN_WIDTH (relative)."""
    if not _is_sequence(pair) or len(pair) != 2:
        raise ConfigError(f"{name} must be two numbers A B, got {_shown(pair)}")
    a, b = (_end(v, name) for v in pair)
    shown = f"[{_num(a)}, {_num(b)}]"
    if max(abs(a), abs(b)) > MAX_DOMAIN_END:
        raise ConfigError(f"{name} {shown} is out of range: its ends must be within ±{MAX_DOMAIN_END:g}")
    if not a < b:
        raise ConfigError(f"{name} must have A < B, got {shown}")
    if (b - a) < MIN_DOMAIN_WIDTH * max(1.0, abs(a), abs(b)):
        raise ConfigError(
            f"{name} {shown} is too narrow: its width must be at least {MIN_DOMAIN_WIDTH:g} × max(1, |A|, |B|)"
        )
    return a, b


def _is_sequence(value: Any) -> bool:
    if isinstance(value, (str, bytes)):
        return False
    try:
        len(value)
        iter(value)
    except TypeError:
        return False
    return True


def _is_pair(value: Any) -> bool:
    """(a, b) of two numbers, as opposed to the older [(a, b)] or ((a, b), (c, d)) of pairs."""
    return _is_sequence(value) and len(value) == 2 and not any(_is_sequence(v) for v in value)


def _domains(domain: Any, ydomain: Any, dimension: int, what: str) -> tuple[tuple[float, float], ...]:
    """Domains written one way everywhere: ``domain=(a, b)`` and ``ydomain=(c, d)``; ``[(a, b)]`` and
    ``[(a, b), (c, d)]`` are still read. Missing ones are [0, 1]."""
    if dimension == 1 and ydomain is not None:
        raise ConfigError(f"{what} has only the variable x, so it takes no ydomain")
    if domain is None:
        pairs = [DEFAULT_DOMAIN]
    elif _is_pair(domain):
        pairs = [domain]
    else:
        try:
            pairs = list(domain)
        except TypeError:
            raise ConfigError(f"domain must be two numbers A B, got {_shown(domain)}") from None
        if not 1 <= len(pairs) <= dimension:
            raise ConfigError(f"{what} has {dimension} variable(s) but {len(pairs)} domain(s) were given")
    if ydomain is not None:
        pairs = pairs[:1] + [ydomain]
    if dimension == 2 and len(pairs) == 1:
        pairs.append(DEFAULT_DOMAIN)
    return tuple(_check_interval(p, "domain" if i == 0 else "ydomain") for i, p in enumerate(pairs))


# -- removable singularities --------------------------------------------------------------------------------------
# A point where f is not finite is filled with its limit when f approaches one value from every side (both ways along
# x in 1D; along x, y and both diagonals in 2D), and refused otherwise (a pole, a jump, no finite value nearby).
# Float64 probes come first, vectorised over the points: from min(width, 0.1·max(1, |p|)) down to 1e-15 of that,
# half a decade apart, they take the first three distances that agree and walk on to smaller ones while the agreement
# holds (rounding noise grows fast as the distance shrinks, and ends in exact zeros that only look converged). That
# settles the easy points (sin(x)/x at 0) and refuses those with no finite value near them. For parsed text, a point
# the floats do not settle surely (late agreement, or values running away at smaller distances, which is what both a
# pole and cancellation look like) is decided in 60-digit arithmetic (mpmath) at 1e-11, 10^-11.5 and 1e-12 of the
# width, where 1 - cos(x) in (1-cos x)/x² cancels harmlessly: the three must agree. Python callables have only the
# floats; so do points past MAX_PRECISE_WORK.
FILL_SCALES = 10.0 ** (-np.arange(31) / 2)  # float probe distances, as fractions of the largest one
FILL_SCALES_MP = 10.0 ** -np.array([11.0, 11.5, 12.0])  # 60-digit probe distances, as fractions of the width
FILL_DIGITS = 60
FILL_TOLERANCE = 1e-4  # three neighbouring estimates within this (relative to 1 + |limit|) have converged
FILL_RUNAWAY = 1e3  # a float estimate at a smaller distance beyond this × (1 + |limit|): a pole or cancellation
MAX_PRECISE_WORK = 30_000  # tree nodes evaluated in 60-digit arithmetic per evaluation, at most (about a second)


def _size(node) -> int:
    """Nodes in a tree (the cost of one evaluation)."""
    kind = node[0]
    if kind in ("num", "var", "const"):
        return 1
    if kind == "neg":
        return 1 + _size(node[1])
    if kind in ("add", "mul"):
        return 1 + sum(_size(n) for _, n in node[1])
    if kind == "pow":
        return 1 + _size(node[1]) + _size(node[2])
    return 1 + sum(_size(n) for n in node[2])


def _directions(dimension: int) -> list[tuple[float, ...]]:
    return [(1.0,)] if dimension == 1 else [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, -1.0)]


def _settle(estimates: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per column of float ``estimates`` (scales, largest first × points): (has data, converged, limit, sure).

    Windows of three neighbouring scales are read from the largest distance down. The first window whose three
    estimates agree within FILL_TOLERANCE has converged; from there the walk goes on to smaller distances while the
    estimates still agree and the spread stays within 100× the best so far, and the limit is the middle estimate
    of the tightest window walked. ``sure``: it converged within the first 15 scales and no estimate at a smaller
    distance runs away from the limit (both a pole and float cancellation look like that).
    """
    k = estimates.shape[0] - 2
    window = np.stack([estimates[:k], estimates[1 : k + 1], estimates[2 : k + 2]])  # (3, windows, points)
    mid = window[1]
    with np.errstate(all="ignore"):
        spread = (window.max(axis=0) - window.min(axis=0)) / (1.0 + np.abs(mid))
    spread = np.where(np.isfinite(spread), spread, np.inf)
    has_data = np.isfinite(spread).any(axis=0)
    ok = spread <= FILL_TOLERANCE
    found = ok.any(axis=0)
    cols = np.arange(estimates.shape[1])
    first = np.argmax(ok, axis=0)
    best = cur = first
    walking = found.copy()
    for _ in range(k):
        nxt = np.minimum(cur + 1, k - 1)
        go = walking & (cur + 1 < k) & ok[nxt, cols] & (spread[nxt, cols] <= 100 * spread[best, cols])
        cur = np.where(go, nxt, cur)
        best = np.where(go & (spread[nxt, cols] < spread[best, cols]), nxt, best)
        walking &= go
        if not walking.any():
            break
    limit = mid[best, cols]
    later = np.arange(estimates.shape[0])[:, None] > best[None, :] + 2
    with np.errstate(all="ignore"):
        far = np.abs(estimates) > FILL_RUNAWAY * (1.0 + np.abs(limit))[None, :]
    sure = found & (first <= 14) & ~(later & far & np.isfinite(estimates)).any(axis=0)
    return has_data, found, limit, sure


def _settle_tail(estimates: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per column of 60-digit ``estimates`` (three distances): they must be finite and agree; the same four
    answers as :func:`_settle`."""
    has_data = np.isfinite(estimates).all(axis=0)
    mid = estimates[1]
    with np.errstate(all="ignore"):
        spread = (estimates.max(axis=0) - estimates.min(axis=0)) / (1.0 + np.abs(mid))
    converged = has_data & (spread <= FILL_TOLERANCE)
    return has_data, converged, mid, converged


def _verdict(sides: list[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
    """Combine the one-sided limits: (filled, nowhere finite nearby, limit, sure)."""
    has, conv, lim, sure = (np.array([s[i] for s in sides]) for i in range(4))
    some = has.any(axis=0)
    all_conv = np.where(has, conv, True).all(axis=0)
    use = has & conv
    with np.errstate(all="ignore"):
        lo = np.where(use, lim, np.inf).min(axis=0)
        hi = np.where(use, lim, -np.inf).max(axis=0)
        centre = (lo + hi) / 2
    agree = (hi - lo) <= FILL_TOLERANCE * (1.0 + np.abs(centre))
    filled = some & all_conv & agree & np.isfinite(centre)
    return filled, ~some, centre, filled & np.where(has, sure, True).all(axis=0)


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
    if name == "sigmoid":  # clipped at ±EXP_CLIP like the float one
        return 1 / (1 + mp.exp(-min(max(a, -EXP_CLIP), EXP_CLIP)))
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


# -- Python callables ---------------------------------------------------------------------------------------------
def _callable_name(func: Callable) -> str:
    """``sin`` for np.sin or math.sin, the function's own name, or ``f`` (lambdas, partials, odd names)."""
    inner = func.pyfunc if isinstance(func, np.vectorize) else func
    name = getattr(inner, "__name__", None)
    if isinstance(name, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name):
        return name
    return "f"


def _arity(func: Callable) -> int | None:
    """Positional parameters a callable needs (a ufunc's ``nin``), or None when its signature does not say."""
    if isinstance(func, np.ufunc):
        return func.nin
    inner = func.pyfunc if isinstance(func, np.vectorize) else func
    try:
        params = list(inspect.signature(inner).parameters.values())
    except (TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    positional = [p for p in params if p.kind in kinds]
    required = [p for p in positional if p.default is p.empty]
    if required:
        return len(required)
    if any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in params):
        return None
    return min(len(positional), 1) if positional else 0


class _Function:
    """A Python callable made safe to use as a target: tried on whole arrays first (np.sin), one number at a time
    when that fails or disagrees (math.sin); whatever it returns must be numbers, and whatever it raises is a
    ConfigError naming it. Arithmetic and value errors at single points (``1/0``, ``math.log(0)``) become nan,
    so they are filled or refused like any other point where a target is not finite."""

    def __init__(self, func: Callable, name: str, dimension: int):
        self.func, self.name, self.dimension = func, name, dimension
        self.pointwise = False

    def __call__(self, *arrays: np.ndarray) -> np.ndarray:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        if not self.pointwise:
            try:
                out = self.func(*arrays)
            except (TypeError, ValueError, ArithmeticError):
                self.pointwise = True  # takes one number at a time
            except Exception as exc:
                raise self._raised(exc, None) from exc
            else:
                return self._numbers(out, shape)
        return self._each(arrays, shape)

    def probe(self, domains) -> _Function:
        """Call on a few points of the domain now, so a function that cannot work is refused before any work."""
        axes = [np.linspace(a, b, 7) for a, b in domains]
        points = axes if len(axes) == 1 else [axes[0], axes[1][::-1]]
        with np.errstate(all="ignore"):
            whole = self(*points)
            if not self.pointwise:  # a function that answers an array with, say, its mean is used pointwise
                try:
                    single = self._each([p[[0, 3, 6]] for p in points], (3,))
                except ConfigError:  # works on arrays only (x.clip(0, 1)): keep it that way
                    single = whole[[0, 3, 6]]
                if not np.allclose(whole[[0, 3, 6]], single, rtol=1e-9, atol=1e-12, equal_nan=True):
                    self.pointwise = True
        return self

    def _each(self, arrays, shape) -> np.ndarray:
        flat = [np.broadcast_to(a, shape).ravel() for a in arrays]
        out = np.empty(len(flat[0]))
        for i in range(len(out)):
            point = tuple(float(c[i]) for c in flat)
            try:
                v = self.func(*point)
            except (ArithmeticError, ValueError):
                v = math.nan
            except Exception as exc:
                raise self._raised(exc, point) from exc
            out[i] = self._number(v, point)
        return out.reshape(shape)

    def _number(self, v: Any, point) -> float:
        if isinstance(v, (complex, np.complexfloating)):
            return float(v.real) if v.imag == 0 else math.nan
        if isinstance(v, np.ndarray) and v.size == 1 and v.dtype.kind in "biuf":
            v = v.item()
        if isinstance(v, (bool, int, float, np.bool_, np.integer, np.floating)):
            try:
                return float(v)
            except OverflowError:
                return math.inf
        raise ConfigError(
            f"the target function {self.name!r} returned {self._describe(v)} at {self._at(point)}; "
            f"it must return a number"
        )

    def _numbers(self, out: Any, shape) -> np.ndarray:
        bad = out is None or isinstance(out, (str, bytes, dict, set))
        if not bad:
            try:
                arr = np.asarray(out)
            except (TypeError, ValueError):
                bad = True
        if not bad and arr.dtype.kind == "c":
            arr = np.where(arr.imag == 0, arr.real, np.nan)
        if not bad and arr.dtype.kind not in "biuf":
            bad = True
        if bad:
            raise ConfigError(
                f"the target function {self.name!r} returned {self._describe(out)}; it must return "
                f"numbers (one per point)"
            )
        try:
            return np.broadcast_to(arr.astype(float), shape)
        except ValueError:
            raise ConfigError(
                f"the target function {self.name!r} returned {arr.size} value(s) of shape {arr.shape} "
                f"for points of shape {shape}; it must return one number per point"
            ) from None

    def _raised(self, exc: Exception, point) -> ConfigError:
        where = f" at {self._at(point)}" if point is not None else ""
        detail = str(exc).splitlines()[0][:120] if str(exc) else ""
        return ConfigError(
            f"the target function {self.name!r} raised {type(exc).__name__}{': ' + detail if detail else ''}{where}"
        )

    def _at(self, point) -> str:
        return f"x = {point[0]:.6g}" if len(point) == 1 else f"(x, y) = ({point[0]:.6g}, {point[1]:.6g})"

    @staticmethod
    def _describe(v: Any) -> str:
        if v is None:
            return "None"
        text = repr(v)
        return f"{type(v).__name__} {text if len(text) <= 30 else text[:27] + '...'}"


# -- the target ---------------------------------------------------------------------------------------------------
class Target:
    """A function to approximate: parsed text (or a Python callable) plus the domain it is approximated on.

    Calling it computes raw values with numpy; :meth:`evaluate` computes checked values (finite everywhere, removable
    singularities such as ``sin(x)/x`` at 0 filled in) and raises :class:`DomainError` naming the point otherwise.
    """

    def __init__(self, text: str, variables: tuple[str, ...], domain, func: Callable, tree=None, name=None):
        self.text = text
        self.variables = tuple(variables)
        self.dimension = len(self.variables)
        self.tree = tree
        self._func = func
        self._name = name
        self._expr = None
        self._limits_found: dict[tuple[float, ...], float] = {}  # points already filled, so zooms do not redo them
        self.domain = _domains(domain, None, self.dimension, repr(text))

    @staticmethod
    def from_samples(x, y, z=None, *, name: str = "data", holdout: float = 0.0, seed: int = 0) -> Target:
        """Measured samples as a target: their linear (2D: triangulated) interpolant; see :mod:`univ.data`."""
        from .data import target_from_samples

        return target_from_samples(x, y, z, name=name, holdout=holdout, seed=seed)

    @classmethod
    def from_function(
        cls, func: Callable, dimension: int | None = None, domain=None, name: str | None = None, *, ydomain=None
    ) -> Target:
        """Wrap a Python callable of x (or of x and y): numpy-vectorised like ``np.sin`` or scalar-only like
        ``math.sin``. ``Target.from_function(np.sin, domain=(0, 3))``; in 2D add ``ydomain=(c, d)``.

        The dimension comes from the callable's positional parameters (``lambda x, y: ...`` is 2D); the name
        from its ``__name__`` (``f`` for a lambda). A callable that raises or returns non-numbers gives a
        ConfigError naming it.
        """
        if not callable(func):
            raise ConfigError(f"from_function needs a callable, not {type(func).__name__}")
        label = name if name is not None else _callable_name(func)
        if not isinstance(label, str) or not label.strip() or len(label) > 80:
            raise ConfigError(f"name must be short non-empty text, got {_shown(label)}")
        arity = _arity(func)
        if dimension is None:
            dimension = arity if arity is not None else (2 if ydomain is not None else 1)
        if dimension not in (1, 2) or (arity is not None and arity != dimension):
            takes = f"was given dimension {dimension}" if arity is None else f"takes {arity} positional parameter(s)"
            raise ConfigError(
                f"a target function takes 1 or 2 positional parameters (x, or x and y); {label!r} {takes}"
            )
        domains = _domains(domain, ydomain, dimension, repr(label))
        wrapped = _Function(func, label, dimension).probe(domains)
        return cls(label, VARIABLES[:dimension], domains, wrapped, name=label)

    def with_domain(self, domain, ydomain=None) -> Target:
        """The same function on another domain: ``domain`` is (a, b), and ``ydomain`` (c, d) in 2D.

        ``((a, b), (c, d))`` is read too. A 2D target keeps its y-domain when only ``domain`` is given.
        """
        domains = _domains(domain, ydomain, self.dimension, repr(self.text))
        if self.dimension == 2 and ydomain is None and _is_pair(domain):
            domains = (domains[0], self.domain[1])
        return Target(self.text, self.variables, domains, self._func, self.tree, self._name)

    def __call__(self, *coords):
        if len(coords) != self.dimension:
            raise ConfigError(f"{self.text!r} takes {self.dimension} coordinate array(s), got {len(coords)}")
        arrays = np.broadcast_arrays(*(np.asarray(c, dtype=float) for c in coords))
        with np.errstate(all="ignore"):
            out = self._func(*arrays)
        return np.broadcast_to(np.asarray(out, dtype=float), arrays[0].shape).copy()

    def evaluate(self, *coords) -> np.ndarray:
        """Values at ``coords``, finite and below ``MAX_ABS_VALUE``; removable singularities are filled in."""
        values = self._filled(coords)
        huge = np.abs(values) > MAX_ABS_VALUE
        if huge.any():
            at = self._where(coords, int(np.flatnonzero(huge.ravel())[0]))
            raise DomainError(f"{self.text} is too large (|f| > {MAX_ABS_VALUE:g}) at {at}")
        return values

    def _filled(self, coords) -> np.ndarray:
        values = self(*coords)
        bad = ~np.isfinite(values)
        if bad.any():
            values[bad] = self._fill(tuple(np.broadcast_arrays(*coords)), bad)
        return values

    def _fill(self, coords, bad) -> np.ndarray:
        """Limits at the non-finite points, when the function approaches one value from every side there."""
        with np.errstate(all="ignore"):
            return self._limits(coords, bad)

    def _limits(self, coords, bad) -> np.ndarray:
        idx = np.flatnonzero(bad.ravel())
        points = np.array([np.asarray(c, dtype=float).ravel()[idx] for c in coords])  # (dimension, n)
        out = np.array([self._limits_found.get(tuple(points[:, i]), np.nan) for i in range(len(idx))])
        todo = np.flatnonzero(np.isnan(out))
        work = MAX_PRECISE_WORK
        cost = _size(self.tree) * len(_directions(self.dimension)) * 2 * len(FILL_SCALES_MP) if self.tree else 0
        start, size = 0, 64  # in growing chunks, so a function undefined on half the domain is refused quickly
        while start < len(todo):
            chunk = todo[start : start + size]
            filled, nowhere, limit, sure = self._float_verdict(points[:, chunk])
            for j, ok, none, value, certain in zip(chunk, filled, nowhere, limit, sure):
                # in order, so the error names the first point that really has no limit
                out[j] = value if ok else np.nan
                if not certain and not none and self.tree is not None and cost <= work:
                    work -= cost  # float probes settled nothing, or not surely: look again with 60 digits
                    out[j] = self._precise_limit(points[:, j])
                if np.isnan(out[j]):
                    raise DomainError(
                        f"{self.text} is not finite at {self._where(coords, int(idx[j]))} on {self._domain_text()}"
                    )
                if len(self._limits_found) < 10_000:
                    self._limits_found[tuple(points[:, j])] = float(out[j])
            start, size = start + size, size * 4
        return out

    def _float_verdict(self, points: np.ndarray):
        """(filled, nowhere, limit, sure) per column of ``points`` from float64 probes (vectorised over points)."""
        width = min(b - a for a, b in self.domain)
        reach = np.minimum(width, 0.1 * np.maximum(1.0, np.abs(points).max(axis=0)))  # the largest distance
        sides = []
        for direction in _directions(self.dimension):
            for sign in (-1.0, 1.0):
                estimates = np.full((len(FILL_SCALES), points.shape[1]), np.nan)
                for k, scale in enumerate(FILL_SCALES):
                    q = [points[i] + sign * scale * reach * direction[i] for i in range(self.dimension)]
                    usable = self._inside(q) & np.any([q[i] != points[i] for i in range(self.dimension)], axis=0)
                    if usable.any():
                        estimates[k, usable] = self(*(c[usable] for c in q))
                sides.append(_settle(estimates))
        return _verdict(sides)

    def _precise_limit(self, point: np.ndarray) -> float:
        """The limit at one point from 60-digit probes of the parsed tree, or nan if there is none."""
        import mpmath as mp

        width = min(b - a for a, b in self.domain)
        sides = []
        with mp.workdps(FILL_DIGITS):
            for direction in _directions(self.dimension):
                for sign in (-1.0, 1.0):
                    estimates = np.full((len(FILL_SCALES_MP), 1), np.nan)
                    for k, scale in enumerate(FILL_SCALES_MP):
                        step = mp.mpf(sign) * mp.mpf(float(scale)) * mp.mpf(width)
                        q = [mp.mpf(float(point[i])) + step * direction[i] for i in range(self.dimension)]
                        if all(lo <= c <= hi for c, (lo, hi) in zip(q, self.domain)):
                            estimates[k, 0] = float(_precise(self.tree, dict(zip(self.variables, q))))
                    sides.append(_settle_tail(estimates))
        filled, _, limit, _ = _verdict(sides)
        return float(limit[0]) if filled[0] else math.nan

    def _inside(self, q) -> np.ndarray:
        ok = np.ones(len(q[0]), dtype=bool)
        for c, (lo, hi) in zip(q, self.domain):
            ok &= (c >= lo) & (c <= hi)
        return ok

    def _where(self, coords, flat_index: int) -> str:
        vals = [float(np.asarray(c, dtype=float).ravel()[flat_index]) for c in np.broadcast_arrays(*coords)]
        shown = [self._point(v, axis) for axis, v in enumerate(vals)]
        if self.dimension == 1:
            return f"x = {shown[0]}"
        return f"(x, y) = ({shown[0]}, {shown[1]})"

    def _point(self, v: float, axis: int) -> str:
        """A coordinate with 6 significant digits, more when the domain is narrow next to its ends' size."""
        a, b = self.domain[axis]
        extra = max(0, math.ceil(math.log10(max(abs(a), abs(b), 1.0) / (b - a))))
        return f"{v:.{6 + extra}g}"

    def _domain_text(self) -> str:
        return " × ".join(f"[{_num(a)}, {_num(b)}]" for a, b in self.domain)

    def check(self) -> Target:
        """Evaluate on the dense check grid (ends and edges included) and look for poles between its points.

        Raises DomainError if the function is not finite somewhere (a removable singularity such as ``sin(x)/x``
        at 0 is filled, not refused), or grows without bound near the grid's largest value (``tan(x)`` on [0, 2]
        never hits π/2 exactly, but zooming in on it makes |f| explode). Returns self.
        """
        if self.dimension == 1:
            ((a, b),) = self.domain
            coords = (np.linspace(a, b, CHECK_POINTS),)
        else:
            (a, b), (c, d) = self.domain
            coords = tuple(np.meshgrid(np.linspace(a, b, CHECK_POINTS_2D), np.linspace(c, d, CHECK_POINTS_2D)))
        values = self.evaluate(*coords)
        self._look_for_pole(coords, values)
        return self

    def _look_for_pole(self, coords, values) -> None:
        k = int(np.argmax(np.abs(values)))
        centre = [float(c.ravel()[k]) for c in coords]
        start = float(np.abs(values).ravel()[k])
        half = [
            (hi - lo) / (CHECK_POINTS - 1 if self.dimension == 1 else CHECK_POINTS_2D - 1) for lo, hi in self.domain
        ]
        peak = start
        for _ in range(POLE_ZOOMS):
            axes = [
                np.clip(np.linspace(p - h, p + h, 1001 if self.dimension == 1 else 101), lo, hi)
                for p, h, (lo, hi) in zip(centre, half, self.domain)
            ]
            pts = np.meshgrid(*axes) if self.dimension == 2 else axes
            v = np.abs(self._filled(pts))  # removable singularities filled; a point with no limit is refused
            j = int(np.argmax(v))
            centre = [float(p.ravel()[j]) for p in pts]
            peak = float(v.ravel()[j])
            half = [h / 100 for h in half]
        if peak > POLE_GROWTH * max(start, 1.0) and not self._rounding_only(centre, start):
            raise DomainError(
                f"{self.text} has a pole (grows without bound) near "
                f"{self._where([np.array(c) for c in centre], 0)} on {self._domain_text()}"
            )

    def _rounding_only(self, centre: list[float], start: float) -> bool:
        """Whether the growth the pole search found is float rounding (cancellation), not the function: parsed text
        evaluated in 60-digit arithmetic at the same point stays small."""
        if self.tree is None:
            return False
        import mpmath as mp

        with mp.workdps(FILL_DIGITS):
            v = _precise(self.tree, {name: mp.mpf(c) for name, c in zip(self.variables, centre)})
        return bool(mp.isfinite(v)) and abs(float(v)) <= POLE_GROWTH * max(start, 1.0)

    @property
    def expr(self):
        """The sympy expression (unevaluated, exactly as typed), or None for a wrapped Python callable."""
        if self._expr is None and self.tree is not None:
            import sympy as sp

            symbols = {v: sp.Symbol(v, real=True) for v in VARIABLES}
            self._expr = _symbolic(self.tree, symbols)
        return self._expr

    @property
    def latex(self) -> str:
        """LaTeX for the expression; for a wrapped callable its name applied to the variables (``\\mathrm{sin}(x)``)."""
        if self.tree is None:
            name = self._name or "f"
            head = name if len(name) == 1 else r"\mathrm{" + name.replace("_", r"\_") + "}"
            return f"{head}({', '.join(self.variables)})"
        import sympy as sp

        return sp.latex(self.expr)

    def __repr__(self) -> str:
        return f"Target({self.text!r}, variables={self.variables}, domain={self.domain})"

    def _repr_html_(self) -> str:
        """A small table for notebooks: the expression, its LaTeX form, variables, domain and a sketch of f."""
        esc = html.escape
        try:
            formula = f"${esc(self.latex)}$"
        except Exception:
            formula = ""
        rows = [
            ("expression", f"<code>{esc(self.text)}</code>"),
            ("formula", formula),
            ("variables", esc(", ".join(self.variables))),
            ("domain", esc(self._domain_text())),
        ]
        sketch = self._sketch()
        if sketch:
            rows.append(("shape", sketch))
        body = "".join(
            f'<tr><th style="text-align:left">{k}</th><td style="text-align:left">{v}</td></tr>' for k, v in rows if v
        )
        return f'<table class="univ-target">{body}</table>'

    def _sketch(self, width: int = 240, height: int = 80) -> str:
        """An inline picture of f: an SVG curve in 1D, a small grey-scale PNG in 2D; empty if f cannot be evaluated."""
        try:
            coords = (
                (np.linspace(*self.domain[0], 121),)
                if self.dimension == 1
                else tuple(np.meshgrid(np.linspace(*self.domain[0], 40), np.linspace(*self.domain[1], 40)))
            )
            v = self.evaluate(*coords)
        except UnivError:
            return ""
        lo, hi = float(v.min()), float(v.max())
        scaled = (v - lo) / (hi - lo) if hi > lo else np.full(v.shape, 0.5)
        if self.dimension == 2:
            grey = (40 + 200 * scaled[::-1]).astype(np.uint8)  # rows top (largest y) first
            return (
                f'<img src="data:image/png;base64,{_png(grey)}" width="{height}" height="{height}" '
                f'style="image-rendering: pixelated" alt="f over the domain, light where f is large">'
            )
        xs = np.linspace(2, width - 2, len(v))
        ys = height - 2 - scaled * (height - 4)
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><polyline points="{path}" fill="none" stroke="#1f77b4" '
            f'stroke-width="1.5"/></svg>'
        )


def _png(grey: np.ndarray) -> str:
    """A grey-scale image (uint8 rows) as base64 PNG text, written by hand so displays need no imaging library."""
    import base64
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    h, w = grey.shape
    rows = b"".join(b"\x00" + row.tobytes() for row in grey)  # filter type 0 before each row
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return base64.b64encode(png).decode("ascii")


def parse(text: str, domain: Sequence[float] | None = None, ydomain: Sequence[float] | None = None) -> Target:
    """Parse maths as people type it into a :class:`Target`, without ever evaluating the text as Python.

    Parameters
    ----------
    text : str
        E.g. ``"sin(3x)"``, ``"3x^2 - 2x + 1"``, ``"x sin(1/x)"``, ``"exp(-(x^2+y^2))"``. Implicit multiplication,
        ``^`` or ``**`` for powers, the constants pi and e and the functions in ``FUNCTIONS``; ASCII digits only.
    domain, ydomain : (float, float), optional
        Interval for x (and y); default [0, 1]. Ends within ±``MAX_DOMAIN_END``.

    Returns
    -------
    Target

    Raises
    ------
    ExpressionError
        With the position of the problem.
    ConfigError
        For a bad domain.

    Examples
    --------
    >>> t = parse("3x^2 - 2x + 1")
    >>> float(t(2.0))
    9.0
    """
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    if not text.strip():
        raise ExpressionError("empty expression")
    tree = _Parser(text).parse()
    used = _variables_in(tree)
    variables = ("x", "y") if "y" in used else ("x",)

    def func(*arrays):
        return _numeric(tree, dict(zip(variables, arrays)))

    domains = _domains(domain, ydomain, len(variables), repr(text.strip()))
    return Target(text.strip(), variables, domains, func, tree)


def as_target(obj: Any, domain: Sequence[float] | None = None, ydomain: Sequence[float] | None = None) -> Target:
    """Anything that names a function, as a :class:`Target`: text (parsed), a Target, or a Python callable.

    Parameters
    ----------
    obj : str, Target or callable
        ``"sin(3x)"``; a Target (returned as is, or on the new domain); ``np.sin``, ``math.sin`` or
        ``lambda x, y: ...`` (1 or 2 positional parameters give a 1D or 2D target).
    domain, ydomain : (float, float), optional
        Intervals for x and y: default the Target's own, else [0, 1].

    Raises
    ------
    ExpressionError, ConfigError
        Text that does not parse; a bad domain; a callable with the wrong number of parameters, or that raises or
        returns something other than numbers (the message names it).

    Examples
    --------
    >>> as_target(np.sin, domain=(0, 3)).text
    'sin'
    """
    if isinstance(obj, str):
        return parse(obj, domain=domain, ydomain=ydomain)
    if isinstance(obj, Target):
        return (
            obj
            if domain is None and ydomain is None
            else obj.with_domain(domain if domain is not None else obj.domain[0], ydomain)
        )
    if callable(obj):
        return Target.from_function(obj, domain=domain, ydomain=ydomain)
    raise ConfigError(f"a target is text, a Target or a function of x (and y), not {type(obj).__name__}")
