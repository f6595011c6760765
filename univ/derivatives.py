"""A target's constants for the bounds: max|f′|, max|f″| per region from its parse tree's derivatives; where f kinks.

Each derivative of the parsed expression (of σ⁻¹∘f for a sigmoid output), computed on the parser's own tree by
Taylor arithmetic (:mod:`univ.treediff`: no sympy, so ``univ approx`` starts fast), is evaluated densely on every
region (the ends and both sides of every kink included) and given a safety term δ/2·max|next derivative| for between
the points; the last derivative used is sampled only. A jump, an unbounded derivative, a data target or a Python
function raises :class:`NoBound` with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import UnivError
from .grammar import _children
from .parse import _numeric, _variables_in
from .treediff import derivative, partials

SAMPLES_PER_REGION = 17  # derivative samples per region (cell or dual cell), edges included
MIN_SAMPLES_1D = 4097  # at least this many samples over the whole domain
GRID_2D = 257  # samples per side for 2D constants (at least 4 per cell)
GRID_CHUNK = 65_536  # grid points per evaluation of the 2D partials (bounded memory for fine grids)
KINK_SCAN = 20_001  # points scanned for sign changes of the arguments of abs, sign, max, ...
MAX_KINKS = 10_000
GROWTH = 10.0  # |f′| growing this much from 1e-6 to 1e-9 of the width away from a point: unbounded there
DERIVATIVES_HOW = (
    "L = max|f′| per region from f′ (Taylor arithmetic on the parse tree) at {k} points (ends and both sides of "
    "every kink included) plus δ/2·max|f″| (f″ likewise, plus δ/2·max|f‴| sampled)"
)


def expit(t):
    """σ(t) = 1/(1 + e^{−t}), without overflow and with full relative precision in the tails (no scipy: the CLI's
    import stays light)."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(t, dtype=float)))


class NoBound(UnivError):
    """A constant cannot be bounded (the message says why); :func:`univ.bounds.bound` turns it into a null bound."""


# -- the target's formula, and where it switches --------------------------------------------------------------------
def formula(target, sigmoid_output: bool) -> tuple[tuple, tuple[str, ...]]:
    """(parse tree of what the hidden layer approximates, its variables): f, or σ⁻¹∘f = log(f/(1 − f))."""
    if getattr(target, "samples", None) is not None:
        raise NoBound("a data target has no formula whose derivatives could be bounded")
    if target.expression is None:
        raise NoBound("a Python function has no formula whose derivatives could be bounded")
    tree = target.expression.tree
    if sigmoid_output:
        rest = ("add", (("+", ("num", 1.0, "1")), ("-", tree)))
        tree = ("call", "log", (("mul", (("*", tree), ("/", rest))),))
    return tree, tuple(target.variables)


def numeric(tree, variables: tuple[str, ...]):
    """A vectorised numpy function of a parse tree (the parser's own evaluator: nothing runs as Python code)."""

    def call(*arrays):
        xs = [np.asarray(a, dtype=float) for a in arrays]
        with np.errstate(all="ignore"):
            out = _numeric(tree, dict(zip(variables, xs)))
        return np.broadcast_to(np.asarray(out, dtype=float), np.broadcast(*xs).shape).astype(float)

    return call


def _difference(a, b) -> tuple:
    return ("add", (("+", a), ("-", b)))


_SWITCHES = ("abs", "sign", "heaviside", "relu", "cbrt")  # zero where the argument is 0 (cbrt: sign(u)·|u|^⅓)
_LOGS = ("log", "ln", "log10", "log2")


def break_arguments(tree, singular: bool = False) -> list:
    """Sub-trees whose zeros (floor, ceil: integer crossings) are where f may kink or jump (abs, sign, heaviside,
    relu, cbrt, max, min, the sides of a comparison); with ``singular`` also the bases of fractional or negative
    powers (sqrt, cbrt and divisors included) and the arguments of logs (where a derivative may blow up).
    Arguments without a variable never switch and are left out."""
    found = []
    stack = [tree]
    while stack:
        node = stack.pop()
        stack.extend(reversed(_children(node)))
        kind, name = node[0], node[1] if node[0] == "call" else None
        if kind == "cmp":
            sides = (node[1], *(n for _, n in node[2]))
            found += [("zero", _difference(a, b)) for a, b in zip(sides, sides[1:])]
        elif name in _SWITCHES:
            found.append(("zero", node[2][0]))
        elif name in ("floor", "ceil"):
            found.append(("integer", node[2][0]))
        elif name in ("max", "min"):
            args = node[2]
            found += [("zero", _difference(a, b)) for i, a in enumerate(args) for b in args[i + 1 :]]
        if singular:
            found += [("zero", n) for n in _singular_at(node)]
    return [(kind, arg) for kind, arg in found if _variables_in(arg)]


def _singular_at(node) -> list:
    """Sub-trees of one node whose zeros make a derivative of the node blow up."""
    kind = node[0]
    if kind == "pow":
        if _variables_in(node[2]):
            return [node[1]]
        c = float(_numeric(node[2], {}))
        return [] if c >= 0 and c == int(c) else [node[1]]
    if kind == "mul":
        return [n for op, n in node[1] if op == "/"]
    if kind == "call" and (node[1] in _LOGS or node[1] == "sqrt"):
        return [node[2][0]]
    return []


def _kinks_1d(tree, x: str, a: float, b: float, singular: bool = False) -> np.ndarray:
    """Points of [a, b] where a non-smooth part of the expression switches (sign changes, refined by bisection);
    with ``singular`` also where a power's base or a log's argument vanishes."""
    points = []
    t = np.linspace(a, b, KINK_SCAN)
    for kind, arg in break_arguments(tree, singular):
        u = numeric(arg, (x,))
        v = u(t)
        if kind == "integer":
            v = v - np.round(v)  # crossings of the nearest integer; floor/ceil jump there
            level = np.where(np.diff(np.floor(u(t))) != 0)[0]
        else:
            level = np.where((np.sign(v[:-1]) * np.sign(v[1:]) < 0) | (v[:-1] == 0))[0]
        for i in level[:MAX_KINKS]:
            lo, hi = t[i], t[i + 1]
            if kind == "zero" and v[i] == 0:
                points.append(lo)
                continue
            k = math.floor(float(np.nanmax(u(np.array([lo, hi]))))) if kind == "integer" else 0.0

            def h(s, k=k, u=u):
                return float(u(np.array([s]))[0]) - k

            points.append(_bisect(h, lo, hi))
    pts = np.unique(np.asarray(points, dtype=float))
    return pts[(pts >= a) & (pts <= b)] if singular else pts[(pts > a) & (pts < b)]


def _check_growth(d, points: np.ndarray, width: float, what: str) -> None:
    """NoBound when |d| grows like a singularity toward one of ``points`` (from 1e-6 to 1e-9 of the width)."""
    if points.size == 0:
        return
    offsets = np.array([1.0, 1.37, 1.91]) * 1e-9 * width  # a few, so an oscillation (x sin(1/x)) cannot hide
    near = np.max([np.abs(d(points + o * sgn)) for o in offsets for sgn in (-1, 1)], axis=0)
    far = np.max([np.abs(d(points + 1e3 * o * sgn)) for o in offsets for sgn in (-1, 1)], axis=0)
    grows = ~np.isfinite(near) | (near > GROWTH * far + 1.0)
    if grows.any():
        _unbounded(what, float(points[np.argmax(grows)]))


def _unbounded(what: str, at: float):
    if what == "f′":
        raise NoBound(f"f′ is unbounded near x = {at:.6g} (as sqrt's is at 0): f has no Lipschitz constant there")
    raise NoBound(f"{what} is unbounded near x = {at:.6g}, so the samples of f′ cannot be certified between points")


def _bisect(h, lo: float, hi: float) -> float:
    """A sign change of h in [lo, hi], halved until the bracket is one float wide (or its midpoint if h does not
    change sign at the ends)."""
    h_lo = h(lo)
    if not (h_lo * h(hi) <= 0):
        return 0.5 * (lo + hi)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if not lo < mid < hi:
            break
        h_mid = h(mid)
        if h_mid == 0:
            return mid
        if (h_mid < 0) == (h_lo < 0):
            lo, h_lo = mid, h_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _check_jumps(g, kinks: np.ndarray, width: float) -> None:
    """A jump of f at a kink point: no modulus of continuity, so no staircase constant."""
    if kinks.size == 0:
        return
    near, far = 1e-10 * width, 1e-8 * width
    d_near = np.abs(g(kinks + near) - g(kinks - near))
    d_far = np.abs(g(kinks + far) - g(kinks - far))
    scale = max(1.0, float(np.nanmax(np.abs(g(kinks)))))
    jumps = (d_near > 1e-9 * scale) & (d_near > 0.5 * d_far) | ~np.isfinite(d_near)
    if jumps.any():
        at = float(kinks[np.argmax(jumps)])
        raise NoBound(f"f jumps at x = {at:.6g}: no modulus of continuity bounds the staircase there")


def _finite_or_limit(d, values: np.ndarray, points: np.ndarray, width: float, what: str) -> np.ndarray:
    """Samples of a derivative with non-finite ones replaced by their limit (removable), or NoBound (unbounded)."""
    bad = ~np.isfinite(values)
    if not bad.any():
        return values
    p = points[bad]
    near = np.maximum(np.abs(d(p + 1e-9 * width)), np.abs(d(p - 1e-9 * width)))
    far = np.maximum(np.abs(d(p + 1e-6 * width)), np.abs(d(p - 1e-6 * width)))
    grows = ~np.isfinite(near) | (near > GROWTH * np.maximum(far, 1e-300) + 1.0)
    if grows.any():
        _unbounded(what, float(p[np.argmax(grows)]))
    out = values.copy()
    out[bad] = np.maximum(near, far)
    return out


@dataclass(frozen=True)
class Constants1D:
    """Per region: L = max|g′| and M = max|g″| (safety terms included), and whether a kink of g lies inside."""

    lipschitz: np.ndarray
    curvature: np.ndarray
    kinked: np.ndarray
    how: str


def constants_1d(target, lo: np.ndarray, hi: np.ndarray, sigmoid_output: bool) -> Constants1D:
    """L and M on each region [lo, hi] from the tree's derivatives, sampled densely plus a safety term."""
    expr, (x,) = formula(target, sigmoid_output)
    ((a, b),) = target.domain
    width = b - a
    g = numeric(expr, (x,))
    kinks = _kinks_1d(expr, x, a, b)
    _check_jumps(g, kinks, width)
    d1, d2, d3 = (derivative(expr, (x,), (k,)) for k in (1, 2, 3))
    special = np.union1d(kinks, _kinks_1d(expr, x, a, b, singular=True))
    _check_growth(d1, special, width, "f′")
    _check_growth(d2, special, width, "f″")
    k = max(SAMPLES_PER_REGION, -(-MIN_SAMPLES_1D // lo.size))
    t = np.linspace(0.0, 1.0, k)
    pts = (lo[:, None] + (hi - lo)[:, None] * t).ravel()  # (R·k,)
    region = np.repeat(np.arange(lo.size), k)
    if kinks.size:  # both sides of every kink, in every region that holds it
        eps = 1e-12 * max(1.0, abs(a), abs(b)) + 1e-13 * width
        side = np.concatenate([kinks - eps, kinks + eps])
        r_of = [np.flatnonzero((lo <= s) & (s <= hi)) for s in side]
        extra = np.concatenate([np.full(r.size, s) for s, r in zip(side, r_of)])
        pts = np.concatenate([pts, extra])
        region = np.concatenate([region, np.concatenate(r_of)])
    pts = np.clip(pts, a, b)
    m = lo.size
    delta = (hi - lo) / (k - 1)

    at = partials(expr, (x,), (pts,))  # f′, f″, f‴ at every sample in one pass

    def region_max(d, k, what):
        v = np.abs(_finite_or_limit(d, at[(k,)], pts, width, what))
        out = np.zeros(m)
        np.maximum.at(out, region, v)
        return out

    m1 = region_max(d1, 1, "f′")  # first, so an unbounded f′ is named as such
    m2 = region_max(d2, 2, "f″")
    curvature = m2 + 0.5 * delta * region_max(d3, 3, "f‴")
    lipschitz = m1 + 0.5 * delta * curvature
    if not (np.all(np.isfinite(lipschitz)) and np.all(np.isfinite(curvature))):
        raise NoBound("a derivative of f is not finite on the domain")
    kinked = np.zeros(m, dtype=bool)
    for s in kinks:
        kinked |= (lo <= s) & (s <= hi)
    of = "σ⁻¹∘f" if sigmoid_output else "f"
    return Constants1D(lipschitz, curvature, kinked, DERIVATIVES_HOW.format(k=k).replace("f", of, 1))


# -- 2D constructions -----------------------------------------------------------------------------------------------
def constants_2d(target, sigmoid_output: bool, cells: int) -> dict[str, float]:
    """Box-wide max |g_x|, |g_y| and Hessian norm, sampled on a grid plus δ/2 times the next derivatives."""
    expr, names = formula(target, sigmoid_output)
    if break_arguments(expr):
        raise NoBound("f has a kink or jump along a curve (abs, sign, max, ...); 2D bounds need a smooth f")
    (a, b), (c, d) = target.domain
    n = max(GRID_2D, 4 * cells + 1)
    X, Y = np.meshgrid(np.linspace(a, b, n), np.linspace(c, d, n), indexing="ij")
    dx, dy = (b - a) / (n - 1), (d - c) / (n - 1)

    sup = _grid_sup(expr, names, X.ravel(), Y.ravel())  # (i, j) -> max |∂ˣⁱ∂ʸʲf| on the grid
    third = max(sup[(3, 0)], sup[(2, 1)], sup[(1, 2)], sup[(0, 3)])
    sxx, sxy, syy = (sup[k] + 0.5 * (dx + dy) * third for k in ((2, 0), (1, 1), (0, 2)))
    return {
        "Lx": sup[(1, 0)] + 0.5 * (dx * sxx + dy * sxy),
        "Ly": sup[(0, 1)] + 0.5 * (dx * sxy + dy * syy),
        "M": math.sqrt(sxx**2 + 2 * sxy**2 + syy**2),  # Frobenius ≥ the Hessian's spectral norm
        "how": (
            f"max |∂f|, |∂²f| from the partials (Taylor arithmetic on the parse tree) on a {n}×{n} grid plus "
            "δ/2·max of the next (third sampled)"
        ),
    }


def _grid_sup(tree, names: tuple[str, ...], X: np.ndarray, Y: np.ndarray) -> dict[tuple[int, ...], float]:
    """max |partial| of every order 1 to 3 over the points, a chunk at a time (a jet holds ten arrays per node)."""
    sup: dict[tuple[int, ...], float] = {}
    for start in range(0, X.size, GRID_CHUNK):
        part = partials(tree, names, (X[start : start + GRID_CHUNK], Y[start : start + GRID_CHUNK]))
        for key, v in part.items():
            if sum(key) == 0:
                continue
            if not np.all(np.isfinite(v)):
                raise NoBound("a derivative of f is not finite on the box (f has no Lipschitz constant there)")
            sup[key] = max(sup.get(key, 0.0), float(np.abs(v).max()))
    return sup
