"""Bounds of a parsed expression over boxes (interval arithmetic): certified errors and misclassified areas."""

from __future__ import annotations

import math

import numpy as np

from .grammar import _LOGICAL, CONSTANTS, FUNCTIONS

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
