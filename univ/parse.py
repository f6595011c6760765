"""Safe parsing of what people type (``sin(3x)``, ``3x^2 - 2x + 1``) into a checked numpy function and a sympy form.

The text never reaches Python's ``eval``: a hand-written tokenizer and recursive-descent parser build a small tree
from a whitelist (numbers, x, y, pi, e, + - * / ^ **, parentheses, commas and the functions in ``FUNCTIONS``), and
that tree is walked to compute with numpy or to build sympy objects with ``evaluate=False``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .activations import sigmoid
from .errors import ConfigError, DomainError, ExpressionError

MAX_LENGTH = 500  # characters of expression text
MAX_DEPTH = 40  # nested parentheses, calls and powers
MAX_ABS_VALUE = 1e12  # a target larger than this anywhere on the domain is refused
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

_ALLOWED = (
    "numbers, x, y, pi, e, + - * / ^ **, parentheses, commas and the functions " + ", ".join(sorted(FUNCTIONS))
)
_NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
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
                tail = go(rest[len(p):])
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
        raise ExpressionError(f"unexpected character {c!r}; allowed: {_ALLOWED}", text, i)
    tokens.append(_Token("end", "", n))
    return tokens


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
        raise ExpressionError(message, self.text, (tok or self.tok).pos)

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
            self.fail("the expression ends too early")
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
    if name == "cbrt":
        return sp.Pow(args[0], sp.Rational(1, 3), evaluate=False)
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


# -- the target ---------------------------------------------------------------------------------------------------
def _check_interval(pair: Any, name: str) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in pair)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be two numbers A B, got {pair!r}") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise ConfigError(f"{name} must be finite, got [{a}, {b}]")
    if not a < b:
        raise ConfigError(f"{name} must have A < B, got [{a:g}, {b:g}]")
    if max(abs(a), abs(b)) > 1e6 or (b - a) < 1e-9 * max(1.0, abs(a), abs(b)):
        raise ConfigError(f"{name} [{a:g}, {b:g}] is out of range (ends within ±1e6, width at least 1e-9)")
    return a, b


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
        if domain is None:
            domain = (DEFAULT_DOMAIN,) * self.dimension
        self.domain = tuple(_check_interval(p, "domain" if i == 0 else "ydomain") for i, p in enumerate(domain))
        if len(self.domain) != self.dimension:
            raise ConfigError(f"{text!r} has {self.dimension} variable(s) but {len(self.domain)} domain(s) were given")

    @classmethod
    def from_function(cls, func: Callable, dimension: int = 1, domain=None, name: str = "f") -> "Target":
        """Wrap a vectorised Python callable, e.g. ``Target.from_function(np.sin, domain=[(0, 3)])``."""
        if dimension not in (1, 2):
            raise ConfigError(f"dimension must be 1 or 2, got {dimension!r}")
        return cls(name, VARIABLES[:dimension], domain, func, name=name)

    def with_domain(self, domain, ydomain=None) -> "Target":
        """The same function on another domain: ``domain`` is (a, b) or, in 2D, ((a, b), (c, d))."""
        d = np.asarray(domain, dtype=object)
        pairs = list(domain) if d.ndim == 2 else [domain]
        if ydomain is not None:
            pairs = pairs[:1] + [ydomain]
        if self.dimension == 2 and len(pairs) == 1:
            pairs.append(self.domain[1])
        if self.dimension == 1 and len(pairs) == 2:
            raise ConfigError(f"{self.text!r} has only the variable x, so it takes no ydomain")
        return Target(self.text, self.variables, pairs, self._func, self.tree, self._name)

    def __call__(self, *coords):
        if len(coords) != self.dimension:
            raise ConfigError(f"{self.text!r} takes {self.dimension} coordinate array(s), got {len(coords)}")
        arrays = np.broadcast_arrays(*(np.asarray(c, dtype=float) for c in coords))
        with np.errstate(all="ignore"):
            out = self._func(*arrays)
        return np.broadcast_to(np.asarray(out, dtype=float), arrays[0].shape).copy()

    def evaluate(self, *coords) -> np.ndarray:
        """Values at ``coords``, finite and below ``MAX_ABS_VALUE``; removable singularities are filled in."""
        values = self(*coords)
        bad = ~np.isfinite(values)
        if bad.any():
            values[bad] = self._fill(tuple(np.broadcast_arrays(*coords)), bad)
        huge = np.abs(values) > MAX_ABS_VALUE
        if huge.any():
            at = self._where(coords, int(np.flatnonzero(huge.ravel())[0]))
            raise DomainError(f"{self.text} is too large (|f| > {MAX_ABS_VALUE:g}) at {at}")
        return values

    def _fill(self, coords, bad) -> np.ndarray:
        """Limits at isolated non-finite points, when the function approaches the same value from nearby points."""
        with np.errstate(all="ignore"):
            return self._limits(coords, bad)

    def _limits(self, coords, bad) -> np.ndarray:
        idx = np.flatnonzero(bad.ravel())
        points = [np.asarray(c, dtype=float).ravel()[idx] for c in coords]
        filled = np.empty(len(idx))
        ok = np.ones(len(idx), dtype=bool)
        # probe along each axis with steps relative to the domain's width
        for axis, (a, b) in enumerate(self.domain):
            delta = 1e-7 * (b - a)
            p = points[axis]
            probes = []
            for step in (-delta, delta, -10 * delta, 10 * delta):
                q = [c.copy() for c in points]
                q[axis] = p + step
                inside = (q[axis] >= a) & (q[axis] <= b)
                v = self(*q)
                v[~inside] = np.nan
                probes.append(v)
            near = np.where(np.isfinite(probes[0]) & np.isfinite(probes[1]), (probes[0] + probes[1]) / 2,
                            np.where(np.isfinite(probes[0]), probes[0], probes[1]))
            far = np.where(np.isfinite(probes[2]) & np.isfinite(probes[3]), (probes[2] + probes[3]) / 2,
                           np.where(np.isfinite(probes[2]), probes[2], probes[3]))
            two_sided = np.isfinite(probes[0]) & np.isfinite(probes[1])
            agree = np.abs(probes[0] - probes[1]) <= 1e-4 * (1 + np.abs(near))
            steady = np.abs(near - far) <= 1e-4 * (1 + np.abs(near))
            good = np.isfinite(near) & np.isfinite(far) & steady & np.where(two_sided, agree, True)
            ok &= good
            filled = near if axis == 0 else np.where(ok, (filled + near) / 2, filled)
        if not ok.all():
            first = int(idx[np.flatnonzero(~ok)[0]])
            raise DomainError(f"{self.text} is not finite at {self._where(coords, first)}"
                              f" on {self._domain_text()}")
        return filled

    def _where(self, coords, flat_index: int) -> str:
        vals = [float(np.asarray(c, dtype=float).ravel()[flat_index]) for c in np.broadcast_arrays(*coords)]
        if self.dimension == 1:
            return f"x = {vals[0]:.6g}"
        return f"(x, y) = ({vals[0]:.6g}, {vals[1]:.6g})"

    def _domain_text(self) -> str:
        return " × ".join(f"[{a:g}, {b:g}]" for a, b in self.domain)

    def check(self) -> "Target":
        """Evaluate on the dense check grid (ends and edges included) and look for poles between its points.

        Raises DomainError if the function is not finite somewhere, or grows without bound near the grid's largest
        value (``tan(x)`` on [0, 2] never hits π/2 exactly, but zooming in on it makes |f| explode). Returns self.
        """
        if self.dimension == 1:
            (a, b), = self.domain
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
        half = [(hi - lo) / (CHECK_POINTS - 1 if self.dimension == 1 else CHECK_POINTS_2D - 1)
                for lo, hi in self.domain]
        peak = start
        for _ in range(POLE_ZOOMS):
            axes = [np.clip(np.linspace(p - h, p + h, 1001 if self.dimension == 1 else 101), lo, hi)
                    for p, h, (lo, hi) in zip(centre, half, self.domain)]
            pts = np.meshgrid(*axes) if self.dimension == 2 else axes
            with np.errstate(all="ignore"):
                v = np.abs(self(*pts))
            if not np.isfinite(v).all():
                j = int(np.flatnonzero(~np.isfinite(v.ravel()))[0])
                raise DomainError(f"{self.text} is not finite at {self._where(pts, j)} on {self._domain_text()}")
            j = int(np.argmax(v))
            centre = [float(p.ravel()[j]) for p in pts]
            peak = float(v.ravel()[j])
            half = [h / 100 for h in half]
        if peak > POLE_GROWTH * max(start, 1.0):
            raise DomainError(f"{self.text} has a pole (grows without bound) near "
                              f"{self._where([np.array(c) for c in centre], 0)} on {self._domain_text()}")

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
        """LaTeX for the expression (the name for a wrapped callable)."""
        if self.tree is None:
            return f"{self._name}({', '.join(self.variables)})"
        import sympy as sp

        return sp.latex(self.expr)

    def __repr__(self) -> str:
        return f"Target({self.text!r}, variables={self.variables}, domain={self.domain})"


def parse(text: str, domain: Sequence[float] | None = None, ydomain: Sequence[float] | None = None) -> Target:
    """Parse maths as people type it into a :class:`Target`, without ever evaluating the text as Python.

    Parameters
    ----------
    text : str
        E.g. ``"sin(3x)"``, ``"3x^2 - 2x + 1"``, ``"x sin(1/x)"``, ``"exp(-(x^2+y^2))"``. Implicit multiplication,
        ``^`` or ``**`` for powers, the constants pi and e and the functions in ``FUNCTIONS``.
    domain, ydomain : (float, float), optional
        Interval for x (and y); default [0, 1].

    Returns
    -------
    Target

    Raises
    ------
    ExpressionError
        With the position of the problem.

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

    domains = None
    if domain is not None or ydomain is not None:
        if len(variables) == 1 and ydomain is not None:
            raise ConfigError(f"{text!r} has only the variable x, so it takes no ydomain")
        domains = [domain if domain is not None else DEFAULT_DOMAIN]
        if len(variables) == 2:
            domains.append(ydomain if ydomain is not None else DEFAULT_DOMAIN)
    return Target(text.strip(), variables, domains, func, tree)
