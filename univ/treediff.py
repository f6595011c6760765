"""Partial derivatives of a parsed expression's own tree, to third order, by forward-mode Taylor arithmetic (no sympy).

A *jet* holds, at every point of the input arrays, the Taylor coefficients c[i, j] = ∂ˣⁱ∂ʸʲf / (i!·j!) of a sub-tree
for all i + j ≤ order (j = 0 in 1D). Jets add and multiply as truncated polynomials; a function of one argument is
composed with a jet through its own first three derivatives, f(u₀ + δ) = Σₖ f⁽ᵏ⁾(u₀)·δᵏ/k!, so each function of the
grammar needs only the table ``_DERIVATIVES`` below. A coefficient that is zero by construction is kept as None, so
0·∞ never turns a finite derivative into NaN. Kinks and jumps (abs, sign, heaviside, floor, ceil, relu, max, min)
are differentiated on each side: the derivative of sign, floor, ... is 0 away from its switch (where
:func:`univ.derivatives.break_arguments` looks). Nothing is generated or executed as code.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import numpy as np

from .grammar import _LOG_SCALE, CONSTANTS, FUNCTIONS, _log_sigmoid, _sigmoid, is_logical
from .parse import _numeric

ORDER = 3  # the highest total order of partial derivative a jet carries


@cache
def _basis(dims: int, order: int) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[tuple[int, int], ...], ...]]:
    """The multi-indices (i, j) with i + j ≤ order (j = 0 in 1D), and for each the pairs of positions (p, q) whose
    product lands on it (multi-index p + q)."""
    keys = tuple((i, j) for i in range(order + 1) for j in range(order + 1 - i) if dims == 2 or j == 0)
    pos = {k: n for n, k in enumerate(keys)}
    pairs = tuple(tuple((pos[p], pos[(i - p[0], j - p[1])]) for p in keys if p[0] <= i and p[1] <= j) for i, j in keys)
    return keys, pairs


class _Jet:
    """Taylor coefficients of one sub-tree (see the module docstring); ``c[0]`` is the value."""

    __slots__ = ("c", "dims", "order")

    def __init__(self, c: list, dims: int, order: int):
        self.c, self.dims, self.order = c, dims, order

    def like(self, c: list) -> _Jet:
        return _Jet(c, self.dims, self.order)

    @property
    def constant(self) -> bool:
        """Whether every derivative is zero (by construction, or at every point: the flat arm of a max)."""
        return all(v is None or not np.any(v) for v in self.c[1:])

    def __add__(self, other: _Jet) -> _Jet:
        return self.like([_plus(a, b) for a, b in zip(self.c, other.c)])

    def __neg__(self) -> _Jet:
        return self.like([None if a is None else -a for a in self.c])

    def __mul__(self, other: _Jet) -> _Jet:
        _, pairs = _basis(self.dims, self.order)
        out = []
        for terms in pairs:
            total = None
            for p, q in terms:
                if self.c[p] is not None and other.c[q] is not None:
                    total = _plus(total, self.c[p] * other.c[q])
            out.append(total)
        return self.like(out)

    def scaled(self, s) -> _Jet:
        return self.like([None if a is None else s * a for a in self.c])


def _plus(a, b):
    """a + b where None is a structural zero."""
    if a is None:
        return b
    return a if b is None else a + b


def _compose(derivs: list, u: _Jet) -> _Jet:
    """f∘u from f(u₀), f′(u₀), f″(u₀), f‴(u₀) (None: zero) and u's jet: Σₖ f⁽ᵏ⁾(u₀)·δᵏ/k!, δ = u − u₀."""
    out = u.like([derivs[0]] + [None] * (len(u.c) - 1))
    if u.constant:
        return out
    delta = u.like([None, *u.c[1:]])
    power = delta
    for k in range(1, u.order + 1):
        if derivs[k] is not None:
            out = out + power.scaled(derivs[k] / math.factorial(k))
        if k < u.order:
            power = power * delta
    return out


# -- each function of the grammar: its value and first three derivatives at v ---------------------------------------
def _tan(v):
    t = np.tan(v)
    s = 1.0 + t * t  # sec²
    return [t, s, 2.0 * t * s, 2.0 * s * (1.0 + 3.0 * t * t)]


def _sec(v):
    s, t = 1.0 / np.cos(v), np.tan(v)
    return [s, s * t, s * (1.0 + 2.0 * t * t), s * t * (5.0 + 6.0 * t * t)]


def _csc(v):
    c, k = 1.0 / np.sin(v), 1.0 / np.tan(v)
    return [c, -c * k, c * (1.0 + 2.0 * k * k), -c * k * (5.0 + 6.0 * k * k)]


def _cot(v):
    k = 1.0 / np.tan(v)
    s = 1.0 + k * k  # csc²
    return [k, -s, 2.0 * k * s, -2.0 * s * (1.0 + 3.0 * k * k)]


def _asin(v, sign=1.0):
    q = 1.0 - v * v
    r = 1.0 / np.sqrt(q)  # (1 − v²)^(−½)
    value = np.arcsin(v) if sign > 0 else np.arccos(v)
    return [value, sign * r, sign * v * r**3, sign * (1.0 + 2.0 * v * v) * r**5]


def _atan(v):
    q = 1.0 / (1.0 + v * v)
    return [np.arctan(v), q, -2.0 * v * q * q, (6.0 * v * v - 2.0) * q**3]


def _tanh(v):
    t = np.tanh(v)
    s = 1.0 - t * t  # sech²
    return [t, s, -2.0 * t * s, s * (6.0 * t * t - 2.0)]


def _log(v, scale=1.0):
    r = scale / v
    return [scale * np.log(v), r, -r / v, 2.0 * r / (v * v)]


def _power(v, c: float):
    """v^c for c constant along the tree (a number, or piecewise constant like sign(x)): c·v^(c−1), c(c−1)·v^(c−2),
    c(c−1)(c−2)·v^(c−3); a coefficient zero everywhere (c = 0, 1, 2) is None."""
    out, k = [np.power(v, c)], 1.0
    for n in range(1, ORDER + 1):
        k *= c - (n - 1)
        out.append(None if np.all(k == 0) else k * np.power(v, c - n))
    return out


def _cbrt(v):
    """The real cube root; its derivatives as |v|^(−2/3)/3 and on (∞ at 0, where sympy's form gives 0·∞)."""
    a, s = np.abs(v), np.sign(v)
    return [np.cbrt(v), a ** (-2.0 / 3.0) / 3.0, -2.0 / 9.0 * s * a ** (-5.0 / 3.0), 10.0 / 27.0 * a ** (-8.0 / 3.0)]


def _sigmoid_derivs(v):
    s, t = _sigmoid(v), _sigmoid(-v)  # σ(v) and 1 − σ(v), each with full precision
    st = s * t
    return [s, st, st * (t - s), st * (1.0 - 6.0 * st)]


def _log_sigmoid_derivs(v, scale=1.0):
    """log σ(v): σ(−v), −σ(v)σ(−v), −σ(v)σ(−v)(σ(−v) − σ(v)), times ``scale`` (log10, log2)."""
    s, t = _sigmoid(v), _sigmoid(-v)
    return [scale * _log_sigmoid(v), scale * t, -scale * s * t, -scale * s * t * (t - s)]


def _flat(fn: Callable) -> Callable:
    """A piecewise-constant function (sign, floor, ceil, heaviside): derivative 0 away from its switches."""
    return lambda v: [fn(v), None, None, None]


# name -> v ↦ [f(v), f′(v), f″(v), f‴(v)] (None where zero everywhere)
_DERIVATIVES: dict[str, Callable[[np.ndarray], list]] = {
    "sin": lambda v: [(s := np.sin(v)), (c := np.cos(v)), -s, -c],
    "cos": lambda v: [(c := np.cos(v)), -(s := np.sin(v)), -c, s],
    "tan": _tan,
    "sec": _sec,
    "csc": _csc,
    "cot": _cot,
    "asin": _asin,
    "arcsin": _asin,
    "acos": lambda v: _asin(v, -1.0),
    "arccos": lambda v: _asin(v, -1.0),
    "atan": _atan,
    "arctan": _atan,
    "sinh": lambda v: [(s := np.sinh(v)), (c := np.cosh(v)), s, c],
    "cosh": lambda v: [(c := np.cosh(v)), (s := np.sinh(v)), c, s],
    "tanh": _tanh,
    "exp": lambda v: [(e := np.exp(v)), e, e, e],
    "log": _log,
    "ln": _log,
    "log10": lambda v: _log(v, _LOG_SCALE["log10"]),
    "log2": lambda v: _log(v, _LOG_SCALE["log2"]),
    "sqrt": lambda v: [np.sqrt(v), *_power(v, 0.5)[1:]],
    "cbrt": _cbrt,
    "abs": lambda v: [np.abs(v), np.sign(v), None, None],
    "sign": _flat(np.sign),
    "floor": _flat(np.floor),
    "ceil": _flat(np.ceil),
    "heaviside": _flat(FUNCTIONS["heaviside"][0]),
    "sigmoid": _sigmoid_derivs,
    "relu": lambda v: [np.maximum(v, 0.0), np.heaviside(v, 0.5), None, None],
}


def _reciprocal(v):
    """1/v and its derivatives: the "/" of a product."""
    return [1.0 / v, *_power(v, -1.0)[1:]]


# -- the walk ------------------------------------------------------------------------------------------------------
def _jet(node, env: dict[str, _Jet], dims: int, order: int) -> _Jet:
    """The jet of a tree node (variables' jets in ``env``)."""
    kind = node[0]
    if kind == "var":
        return env[node[1]]
    if kind in ("num", "const") or is_logical(node):  # a region is piecewise constant: 0 off its boundary
        value = node[1] if kind == "num" else CONSTANTS[node[1]] if kind == "const" else _numeric(node, _values(env))
        return _Jet([value] + [None] * (len(_basis(dims, order)[0]) - 1), dims, order)
    if kind == "neg":
        return -_jet(node[1], env, dims, order)
    if kind == "add":
        terms = [_jet(n, env, dims, order) for _, n in node[1]]
        total = terms[0] if node[1][0][0] == "+" else -terms[0]
        for (sign, _), t in zip(node[1][1:], terms[1:]):
            total = total + (t if sign == "+" else -t)
        return total
    if kind == "mul":
        total = None
        for op, n in node[1]:
            j = _jet(n, env, dims, order)
            if op == "/":
                j = _compose(_reciprocal(np.asarray(j.c[0], dtype=float)), j)
            total = j if total is None else total * j
        return total
    if kind == "pow":
        return _pow_jet(node, env, dims, order)
    return _call_jet(node[1], node[2], env, dims, order)


def _values(env: dict[str, _Jet]) -> dict[str, np.ndarray]:
    return {k: j.c[0] for k, j in env.items()}


def _pow_jet(node, env: dict[str, _Jet], dims: int, order: int) -> _Jet:
    """u^w: a constant exponent by the power rule (negative bases with integer exponents stay real); otherwise
    exp(w·log u), whose value is replaced by numpy's power."""
    base, w = _jet(node[1], env, dims, order), _jet(node[2], env, dims, order)
    v = np.asarray(base.c[0], dtype=float)
    if w.constant:
        return _compose(_power(v, w.c[0]), base)
    if base.constant and not np.any(v):  # 0^w: 0 wherever w > 0, so every derivative is 0 there (0·log 0 is NaN)
        flat = np.where(np.asarray(w.c[0]) > 0, 0.0, np.nan)
        return w.like([np.power(v, w.c[0]), *(flat for _ in w.c[1:])])
    out = _compose(_DERIVATIVES["exp"](w.c[0] * np.log(v)), w * _compose(_log(v), base))
    out.c[0] = np.power(v, w.c[0])
    return out


def _call_jet(name: str, args: tuple, env: dict[str, _Jet], dims: int, order: int) -> _Jet:
    """A function of the grammar applied to its arguments' jets (log of sigmoid stably, as :mod:`univ.parse` does)."""
    if name in _LOG_SCALE and args[0][0] == "call" and args[0][1] == "sigmoid":
        inner = _jet(args[0][2][0], env, dims, order)
        return _compose(_log_sigmoid_derivs(np.asarray(inner.c[0], dtype=float), _LOG_SCALE[name]), inner)
    jets = [_jet(a, env, dims, order) for a in args]
    if name in ("max", "min"):
        return _extreme(name, jets)
    return _compose(_DERIVATIVES[name](np.asarray(jets[0].c[0], dtype=float)), jets[0])


def _extreme(name: str, jets: list[_Jet]) -> _Jet:
    """max or min of several jets: at each point the jet of the argument that wins (the mean of those tied, as the
    Heaviside(0) = ½ of a kink's two sides)."""
    values = np.broadcast_arrays(*(np.asarray(j.c[0], dtype=float) for j in jets))
    best = (np.maximum if name == "max" else np.minimum).reduce(values)
    wins = [v == best for v in values]
    count = np.sum(wins, axis=0)
    out = [best]
    for k in range(1, len(jets[0].c)):
        if all(j.c[k] is None for j in jets):
            out.append(None)
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            parts = [np.where(w, 0.0 if j.c[k] is None else j.c[k], 0.0) for w, j in zip(wins, jets)]
            out.append(np.where(count > 0, sum(parts) / np.maximum(count, 1), np.nan))
    return jets[0].like(out)


# -- public ---------------------------------------------------------------------------------------------------------
def partials(tree, variables: tuple[str, ...], arrays: tuple, order: int = ORDER) -> dict[tuple[int, ...], np.ndarray]:
    """Every partial derivative of the tree up to total ``order`` at the points ``arrays`` (one per variable).

    Parameters
    ----------
    tree : tuple
        A parse tree (:mod:`univ.grammar`), in the variables named.
    variables : tuple of str
        ``("x",)`` or ``("x", "y")``, in the order of ``arrays``.
    arrays : tuple of numpy.ndarray
        The points, broadcast together.
    order : int
        The highest total order, 0 to 3.

    Returns
    -------
    dict
        Keyed by the orders per variable (``(2,)`` is f″ in 1D, ``(1, 1)`` is ∂²f/∂x∂y in 2D); each array has the
        points' shape. NaN or ±inf where a derivative is not finite.

    Examples
    --------
    >>> from univ.parse import parse_expression
    >>> d = partials(parse_expression("x^3 + sin(x)").tree, ("x",), (np.array([0.0, 1.0]),))
    >>> [round(float(v), 12) for v in d[(3,)]]  # 6 − cos(x)
    [5.0, 5.459697694132]
    """
    if not 0 <= order <= ORDER:
        raise ValueError(f"order must be 0 to {ORDER}, not {order}")
    dims = len(variables)
    xs = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in arrays))
    keys, _ = _basis(dims, order)
    env = {}
    for n, (name, x) in enumerate(zip(variables, xs)):
        unit = (1, 0) if n == 0 else (0, 1)
        env[name] = _Jet([x if k == (0, 0) else 1.0 if k == unit else None for k in keys], dims, order)
    with np.errstate(all="ignore"):
        jet = _jet(tree, env, dims, order)
    out = {}
    for (i, j), c in zip(keys, jet.c):
        value = (
            np.zeros(xs[0].shape) if c is None else np.asarray(c, dtype=float) * (math.factorial(i) * math.factorial(j))
        )
        out[(i, j)[:dims]] = np.broadcast_to(value, xs[0].shape).astype(float)
    return out


def derivative(tree, variables: tuple[str, ...], orders: tuple[int, ...]) -> Callable[..., np.ndarray]:
    """A vectorised function of the points: the partial derivative of the tree of the given orders per variable
    (``(1,)``: f′; ``(0, 2)``: ∂²f/∂y²), by :func:`partials` truncated at that total order."""
    if len(orders) != len(variables):
        raise ValueError(f"one order per variable {variables}, not {orders}")

    def call(*arrays):
        return partials(tree, variables, arrays, order=sum(orders))[tuple(orders)]

    return call
