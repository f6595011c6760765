"""Fast evaluation of one-hidden-layer nets in 1D and ridge-like 2D: sorted step points, prefix sums, a small window.

A one-hidden-layer net with one input is a sum of monotone functions of x. With every neuron written as
``v·act(|w|·(u − s))`` (u = x; s = −b/|w| its step point; a neuron with w < 0 is flipped, σ(−z) = 1 − σ(z),
relu(−z) = relu(z) − z, H(−z) = 1 − H(z)), the neurons sorted by s split, for a point u, into three runs:

- s well left of u: saturated. A sigmoid or step adds v, a relu adds v·(w·x + b): prefix sums give their total;
- s well right of u: they add 0;
- the few in between (the *window*) are evaluated exactly as the dense path does.

tanh is 2σ(2z) − 1, so it is a sigmoid unit. In 2D the same holds along a direction: neurons whose weight vectors
point the same way (univ's ``ridge`` construction: one group per direction) are a 1D problem on the projection
u = d·(x, y). A plan that would not pay off (shallow units, every neuron inside every window; many directions, as
in a trained 2D net) is not made, and the caller evaluates densely.

The plan is built once per network (:func:`build_plan`) and used by :func:`evaluate`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, EXP_CLIP

# A sigmoid unit counts as saturated where |z| > SATURATION_LOGITS: it then differs from 0 or 1 by
# σ(−30) < e^−30 = 9.4e−14. Summed over every saturated unit that is at most 9.4e−14 · Σ|v|, a tenth of the 1e−12
# (relative to Σ|output weights|) this path promises against the dense one; the rest of the budget is the
# rounding of the two sums. A larger cut-off only widens the window (cost grows linearly in it).
SATURATION_LOGITS = 30.0
# Where the dense path computes fl(w·x + b) and we compare u with s = −b/|w| instead, the two can disagree on the
# side of the step by a few ulps of |x| + |s|; units that close to a point are evaluated exactly (relative width).
ROUNDING_MARGIN = 1e-13
# Two weight directions closer than this (in radians) share a group; the difference is covered by the margin.
DIRECTION_TOLERANCE = 1e-12
# Cost per point, in units of one dense sigmoid unit (multiply, add, clip, exp, divide, matmul), measured on this
# machine's numpy: a dense relu/step/linear unit (no exp); one unit in a window (gathers, the kernel, the reduction);
# one group (projection, prefix gathers) and each step of its two binary searches. A plan is used when it is
# estimated to cost under PAYOFF of the dense pass.
COST_DENSE = {"sigmoid": 1.0, "tanh": 1.0, "relu": 0.3, "heaviside": 0.3, "linear": 0.3}
COST_WINDOW = 2.3
COST_GROUP = 3.0
COST_SEARCH_STEP = 0.25
PAYOFF = 0.8
POINTS_PER_CHUNK = 4096  # points per chunk: the flat window arrays stay in cache
KINDS = ("sigmoid", "tanh", "relu", "heaviside", "linear")


@dataclass(frozen=True, eq=False)
class Group:
    """Units sharing a direction (and, for sigmoids, a weight within a factor of 2), sorted by step point."""

    kind: str  # "sigmoid", "relu" or "heaviside" (tanh is turned into sigmoid)
    direction: np.ndarray  # (d,) unit vector: u = p · direction
    spread: float  # max ‖direction_j − direction‖_∞ over the group: 0 when every unit points exactly this way
    s: np.ndarray  # (n,) step points along u, ascending
    w: np.ndarray  # (d, n) weights, all with a positive component along direction
    b: np.ndarray  # (n,)
    nw: np.ndarray  # (d, n) −w and
    nb: np.ndarray  # (n,) −b: fl(−w·x − b) = −fl(w·x + b) exactly, so σ needs no negation pass
    a: np.ndarray  # (n,) |w|: with spread 0, z = |w|·u + b (in 1D exactly the dense pass's w·x + b)
    na: np.ndarray  # (n,) −|w|
    v: np.ndarray  # (n,) output weights
    reach: float  # SATURATION_LOGITS / min |w| for sigmoids, 0 for relu and steps
    s_abs: float  # max |s|
    sat0: np.ndarray  # (n + 1,) prefix sums of what a saturated unit adds: v (sigmoid, step) or v·b (relu)
    sat1: np.ndarray | None  # (n + 1, d) prefix sums of v·w (relu only)
    window: float  # estimated units inside the window per point


@dataclass(frozen=True, eq=False)
class Plan:
    """What :func:`evaluate` needs: constant, linear part, groups, output activation; and its estimated speed-up."""

    dim: int
    const: float
    slope: np.ndarray | None  # (d,) from linear units and flipped relus
    groups: tuple[Group, ...]
    output: str
    n_hidden: int
    cost: float  # estimated per point, in dense sigmoid units
    dense_cost: float  # the dense pass per point, same units
    fixed_cost: float  # the plan per point before its windows


def _prefix(values: np.ndarray) -> np.ndarray:
    """Prefix sums with a leading 0, accumulated in extended precision so 100,000 terms still round once."""
    out = np.zeros((len(values) + 1,) + values.shape[1:], dtype=np.longdouble)
    np.cumsum(values, axis=0, dtype=np.longdouble, out=out[1:])
    return out.astype(float)


def build_plan(layers: Sequence) -> Plan | None:
    """A plan for a one-hidden-layer net on 1 or 2 inputs whose sorted evaluation pays off, else None.

    Nets whose weights are so extreme that a step point, prefix sum or constant is not finite get no plan either.
    """
    with np.errstate(all="ignore"):
        try:
            plan = _build(layers)
        except (OverflowError, ValueError):  # math.fsum of infinite terms
            return None
    if plan is None or not _finite(plan):
        return None
    return plan


def _finite(plan: Plan) -> bool:
    parts = [np.array([plan.const, plan.cost])] + ([plan.slope] if plan.slope is not None else [])
    for g in plan.groups:
        parts += [g.s, g.sat0, np.array([g.reach, g.s_abs, g.window])] + ([g.sat1] if g.sat1 is not None else [])
    return all(bool(np.all(np.isfinite(p))) for p in parts)


def _build(layers: Sequence) -> Plan | None:
    if len(layers) != 2:
        return None
    hidden, output = layers
    dim = hidden.fan_in
    if dim not in (1, 2) or hidden.activation not in KINDS:
        return None
    n_hidden = hidden.fan_out
    kind = hidden.activation
    w = np.array(hidden.w, dtype=float)  # (d, N)
    b = np.array(hidden.b, dtype=float)
    v = np.array(output.w[:, 0], dtype=float)
    slope = np.zeros(dim)
    terms = [float(output.b[0])]  # summed with fsum at the end

    w, b, v, norm, kind = _reduce_units(kind, dim, w, b, v, slope, terms)
    groups = []
    for members in _split(w, norm, kind):
        groups.append(_group(kind, w[:, members], b[members], v[members], norm[members]))
    const = math.fsum(terms)
    cost = sum(_group_cost(g) + COST_WINDOW * g.window for g in groups)
    dense_cost = COST_DENSE[hidden.activation] * n_hidden
    if cost > PAYOFF * dense_cost:
        return None
    fixed = sum(_group_cost(g) for g in groups)
    return Plan(
        dim,
        const,
        slope if np.any(slope) else None,
        tuple(groups),
        output.activation,
        n_hidden,
        cost,
        dense_cost,
        fixed,
    )


def _reduce_units(kind: str, dim: int, w, b, v, slope: np.ndarray, terms: list[float]):
    """The units that matter, in one kind, oriented forward and merged: drops units with output weight 0, turns
    constant and linear units into ``terms`` and ``slope`` (added to in place), tanh into sigmoids; returns
    ``(w, b, v, norm, kind)``."""
    keep = v != 0.0  # a unit with output weight 0 adds 0 (its activation is finite)
    w, b, v = w[:, keep], b[keep], v[keep]
    norm = np.sqrt(np.sum(w * w, axis=0)) if dim > 1 else np.abs(w[0])
    flat = norm == 0.0  # w = 0: a constant act(b)
    if np.any(flat):
        terms.extend((v[flat] * ACTIVATIONS[kind].f(b[flat])).tolist())
        w, b, v, norm = w[:, ~flat], b[~flat], v[~flat], norm[~flat]
    if kind == "linear":
        slope += w @ v
        terms.extend((v * b).tolist())
        w = w[:, :0]
        b, v, norm = b[:0], v[:0], norm[:0]
    if kind == "tanh":  # v tanh(z) = 2v σ(2z) − v (doubling is exact)
        terms.extend((-v).tolist())
        w, b, v, norm, kind = 2.0 * w, 2.0 * b, 2.0 * v, 2.0 * norm, "sigmoid"

    w, b, v = _orient(kind, dim, w, b, v, slope, terms)
    return _merge(w, b, v, dim) + (kind,)


def _orient(kind: str, dim: int, w, b, v, slope: np.ndarray, terms: list[float]):
    """Every unit forward (first non-zero weight component positive), what that moves into ``terms``/``slope``."""
    back = w[0] < 0 if dim == 1 else (w[0] < 0) | ((w[0] == 0) & (w[1] < 0))
    if np.any(back):
        if kind == "relu":  # v relu(z) = v z + v relu(−z)
            slope += w[:, back] @ v[back]
            terms.extend((v[back] * b[back]).tolist())
        else:  # v σ(z) = v − v σ(−z); the same for H
            terms.extend(v[back].tolist())
            v = np.where(back, -v, v)
        w = np.where(back, -w, w)
        b = np.where(back, -b, b)
    return w, b, v


def _merge(w, b, v, dim: int):
    """Identical units merged into one (their output weights added), zero sums dropped: ``(w, b, v, norm)``."""
    norm = np.sqrt(np.sum(w * w, axis=0)) if dim > 1 else np.abs(w[0])
    # merge identical units (a bump's falling step and the next bump's rising step are one unit)
    if len(b):
        order = np.lexsort((b, *w[::-1]))  # by w (first component first), then b
        w, b, v = w[:, order], b[order], v[order]
        starts = np.flatnonzero(np.concatenate([[True], np.any(np.diff(w, axis=1) != 0, axis=0) | (np.diff(b) != 0)]))
        v = np.add.reduceat(v, starts)
        w, b = w[:, starts], b[starts]
        norm = np.sqrt(np.sum(w * w, axis=0)) if dim > 1 else w[0].copy()
        keep = v != 0.0
        w, b, v, norm = w[:, keep], b[keep], v[keep], norm[keep]
    return w, b, v, norm


def _group_cost(g: Group) -> float:
    """Per-point cost of a group outside its window: projection, two binary searches, prefix gathers."""
    return COST_GROUP + COST_SEARCH_STEP * 2 * math.log2(len(g.s) + 1)


def _split(w: np.ndarray, norm: np.ndarray, kind: str) -> list[np.ndarray]:
    """Index sets of the groups: by direction (2D), then for sigmoids by weight within a factor of 2."""
    n = len(norm)
    if n == 0:
        return []
    if w.shape[0] == 1:
        by_direction = [np.arange(n)]
    else:
        angle = np.arctan2(w[1], w[0])  # in (−π/2, π/2] after orientation
        order = np.argsort(angle, kind="stable")
        cuts = np.nonzero(np.diff(angle[order]) > DIRECTION_TOLERANCE)[0] + 1
        by_direction = np.split(order, cuts)
    if kind != "sigmoid":
        return by_direction
    out = []
    for idx in by_direction:
        octave = np.floor(np.log2(norm[idx]))
        for k in np.unique(octave):
            out.append(idx[octave == k])
    return out


def _group(kind: str, w: np.ndarray, b: np.ndarray, v: np.ndarray, norm: np.ndarray) -> Group:
    dim = w.shape[0]
    s = -b / norm
    order = np.argsort(s, kind="stable")
    s, w, b, v, norm = s[order], w[:, order], b[order], v[order], norm[order]
    units = w / norm  # (d, n) unit directions
    direction = units[:, 0].copy()
    spread = float(np.max(np.abs(units - direction[:, None]))) if dim > 1 else 0.0
    reach = SATURATION_LOGITS / float(np.min(norm)) if kind == "sigmoid" else 0.0
    lo = np.searchsorted(s, s - reach, side="left")
    hi = np.searchsorted(s, s + reach, side="right")
    window = float(np.mean(hi - lo)) if kind == "sigmoid" else 1.0
    if kind == "relu":
        sat0, sat1 = _prefix(v * b), _prefix((v * w).T)
    else:
        sat0, sat1 = _prefix(v), None
    w = np.ascontiguousarray(w)
    for arr in (s, w, b, v, norm, sat0, direction):
        arr.setflags(write=False)
    return Group(
        kind, direction, spread, s, w, b, -w, -b, norm, -norm, v, reach, float(np.max(np.abs(s))), sat0, sat1, window
    )


def evaluate(plan: Plan, pts: np.ndarray, chunk_elements: int, dense: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """The network's output at ``pts`` (n, d) by the plan, in chunks of bounded memory.

    A chunk whose windows turn out so full that the plan would cost more than PAYOFF of the dense pass (points
    where most units are in transition) is handed to ``dense`` instead.
    """
    n = len(pts)
    out = np.empty(n)
    limit = max(1024, int(chunk_elements))
    per_point = sum(g.window for g in plan.groups) + len(plan.groups)
    step = int(min(POINTS_PER_CHUNK, max(64, limit // max(1.0, per_point))))
    work = _Workspace(limit)
    for i in range(0, n, step):
        out[i : i + step] = _chunk(plan, pts[i : i + step], work, dense)
    return out


class _Workspace:
    """Buffers reused by every chunk: the flat window arrays never exceed ``limit`` elements (unless one point's
    window alone is longer, when they grow to it)."""

    def __init__(self, limit: int):
        self.limit = limit
        self._size = 0
        self._grow(min(limit, 1 << 14))

    def _grow(self, size: int) -> None:
        self._size = size
        self.z = np.empty(size)
        self.t = np.empty(size)
        self.steps = np.arange(size)

    def take(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if size > self._size:
            self._grow(max(size, min(self.limit, 2 * self._size)))
        return self.z[:size], self.t[:size], self.steps[:size]


def _chunk(plan: Plan, x: np.ndarray, work: _Workspace, dense) -> np.ndarray:
    m = len(x)
    if plan.dim == 1:
        x0 = x[:, 0]
        reach_pts = float(np.max(np.abs(x0))) if m else 0.0
    else:
        x0 = None
        reach_pts = float(np.max(np.abs(x).sum(axis=1))) if m else 0.0
    spans, us = [], []
    total = 0
    for g in plan.groups:
        u = x0 if plan.dim == 1 else x @ g.direction  # (m,) position along the group's direction
        us.append(u)
        half = g.reach + ROUNDING_MARGIN * (1.0 + reach_pts + g.s_abs) + g.spread * reach_pts
        lo = np.searchsorted(g.s, u - half, side="left")  # units [0, lo) are saturated
        cnt = np.searchsorted(g.s, u + half, side="right")  # units [cnt, n) are off
        cnt -= lo
        total += int(cnt.sum())
        spans.append((lo, cnt))
    if plan.fixed_cost * m + COST_WINDOW * total > PAYOFF * plan.dense_cost * m:  # windows too full here to pay
        return dense(x)
    acc = np.full(m, plan.const)
    if plan.slope is not None:
        acc += x @ plan.slope
    for g, u, (lo, cnt) in zip(plan.groups, us, spans):
        acc += g.sat0[lo]
        if g.sat1 is not None:
            acc += x0 * g.sat1[lo, 0] if plan.dim == 1 else np.einsum("ij,ij->i", x, g.sat1[lo])
        _window(acc, x if g.spread else u[:, None], lo, cnt, g, work)
    return ACTIVATIONS[plan.output].apply(acc)


def _window(acc: np.ndarray, x: np.ndarray, lo: np.ndarray, cnt: np.ndarray, g: Group, work: _Workspace) -> None:
    """Add the window units' contributions, computed as the dense pass does, to ``acc``; at most ``work.limit``
    unit evaluations at a time, laid out flat point after point (windows differ in length from point to point).

    ``x`` is (m, 1): the position u along the group's direction (z = |w|·u + b), or (m, 2): the points, for a 2D
    group whose units point in slightly different directions (z = w·p + b).
    """
    ends = np.cumsum(cnt)
    total = int(ends[-1]) if len(ends) else 0
    if total == 0:
        return
    if total <= work.limit:
        pieces = [(0, len(cnt))]
    else:
        cuts = np.searchsorted(ends, np.arange(work.limit, total, work.limit), side="left") + 1
        edges = np.unique(np.concatenate([[0], np.minimum(cuts, len(cnt)), [len(cnt)]]))
        pieces = list(zip(edges[:-1].tolist(), edges[1:].tolist()))
    for a, b in pieces:
        c = cnt[a:b]
        run_end = np.cumsum(c)
        tot = int(run_end[-1])
        if tot == 0:
            continue
        starts = run_end - c  # (k,) where each point's run begins
        z, t, steps = work.take(tot)
        idx = np.repeat(lo[a:b] - starts, c)
        idx += steps  # (tot,) unit indices, point by point
        sigmoid = g.kind == "sigmoid"  # v σ(w x + b) = v / (1 + exp(−(w x + b))), with −w, −b stored: one pass fewer
        _affine(z, t, idx, x[a:b], c, *((g.nw, g.na, g.nb) if sigmoid else (g.w, g.a, g.b)))
        if sigmoid:
            np.clip(z, -EXP_CLIP, EXP_CLIP, out=z)
            np.exp(z, out=z)
            z += 1.0
            np.divide(np.take(g.v, idx, out=t), z, out=z)
        else:
            ACTIVATIONS[g.kind].apply(z)
            z *= np.take(g.v, idx, out=t)
        nz = c > 0
        acc[a:b][nz] += np.add.reduceat(z, starts[nz])


def _affine(z, t, idx, xs, reps, w, w1, bias) -> None:
    """z ← w·x + bias for the units ``idx`` (point i's row of ``xs`` repeated ``reps[i]`` times); t is scratch.

    ``w`` holds the weights by input (2D); ``w1`` the weights of a 1D input.
    """
    np.take(w[0] if xs.shape[1] == 2 else w1, idx, out=z)
    z *= np.repeat(xs[:, 0], reps)
    if xs.shape[1] == 2:
        np.take(w[1], idx, out=t)
        t *= np.repeat(xs[:, 1], reps)
        z += t
    z += np.take(bias, idx, out=t)
