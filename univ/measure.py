"""Measuring a network against its target: a certified max error, an RMSE that does not alias, jumps, slopes.

How the numbers are made
------------------------
- Points: on each axis the two ends plus the nodes of P equal panels, P a prime, so the points never line up with
  the equal cells of a construction (N cells and P panels share no period unless P divides N) and the ends and
  edges are always included. 1D: 3-point Gauss–Legendre nodes on 3343 panels; 2D: the panels' midpoints, 307
  per side (at the 2D point count a sigmoid's rise spans less than a panel, and the clustered Gauss nodes then
  bias the RMSE by about 1 % where evenly spaced midpoints stay within 0.01 %).
- RMSE: the composite rule on those panels (the ends weigh nothing), i.e. the continuous √(mean of e²) over the
  domain, exact to O(panel⁶) (1D) or O(panel²) (2D) where e is smooth, and to O(panel) per kink elsewhere.
- Max error: the largest error on the points — for a one-hidden-layer net of x also at every sharp neuron's
  turning point (−b/w), between neighbouring ones and, for a sigmoid, at whole logits either side up to ±30, so no
  cell and no window of failure of a hand-built net goes unvisited however many neurons (the sorted evaluation of
  :mod:`univ.fasteval` makes that affordable) — then refined: every cell whose peak estimate (the peak the
  neighbouring slopes allow between two points) is within 1 % of the largest error found, and at least the 32 most
  promising (2D: the 32 largest local maxima), is searched by repeated zooming (dense resampling of the bracket
  around the best sample). What is reported is the largest error found at a real point; tests hold it within 0.5 %
  of an independent dense-plus-Brent reference at sizes up to ``MAX_NEURONS``. A net that would need more work than
  ``MAX_CERTIFY_WORK`` is reported with ``certified=False`` and a note saying why.
- Jumps: differences of f between neighbouring points that stay put when their interval is bisected 40 times are
  jumps of f; no continuous network gets its max error below half the largest, so the report says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .errors import ConfigError, UnivError
from .target import Target, as_target
from .validate import whole

POINTS_1D = 10_001  # grid points, both ends included (``grid``); measure uses about as many
POINTS_2D = 301  # per side
GAUSS_NODES = 3  # Gauss–Legendre nodes per panel of the 1D RMSE rule
GAUSS_NODES_2D = 1  # 2D: the midpoint rule, which stays unbiased where the points cannot resolve a sigmoid's rise
REFINE_CELLS_1D = 32  # cells searched around the largest errors, at least (1D: every cell that may hold the max)
REFINE_PEAKS_2D = 32
REFINE_SAMPLES_1D = 25  # samples per bracket per zoom
REFINE_SAMPLES_2D = 9  # per side
REFINE_ROUNDS = 3  # zooms: each narrows the bracket to two samples' spacing
JUMP_CANDIDATES = 64  # neighbouring differences tested for a jump (per axis)
JUMP_BISECTIONS = 40  # halvings of the interval around a candidate jump
JUMP_RATIO = 10.0  # a candidate difference is this many times its neighbours'
MAX_JUMPS_LISTED = 20
MIN_POINTS = 5
# 1D certification. A one-hidden-layer net of x is visited unit by unit: every *sharp* unit (a ReLU or step kink,
# or a sigmoid whose rise 1/|w| is narrower than SHARP_SPACINGS base spacings, which the base points cannot resolve)
# adds its turning point, the midpoint to the next one, and (sigmoids) the points SIGMOID_LOGITS away on each side,
# so the peak of every window of failure (at |w·x + b| ≈ ln(steepness), up to ~14 at the largest steepness) has a
# point in its basin. Then every cell whose peak estimate is within REFINE_SLACK of the largest error found is
# zoomed, not only the top few: thousands of cells can have nearly equal error.
SHARP_SPACINGS = 4.0
SIGMOID_LOGITS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 13.0, 17.0, 22.0, 30.0)
REFINE_SLACK = 0.01
MAX_REFINE_CELLS = 200_000  # cells zoomed at most (each costs REFINE_ROUNDS × REFINE_SAMPLES_1D evaluations)
# Evaluation work measure may spend on structure points and zooming, in dense sigmoid-unit evaluations (~1 ns each
# here): a net that would need more is measured on fewer points and reported ``certified=False``, with why.
MAX_CERTIFY_WORK = 4e9
MAX_POINTS = {1: 10_000_000, 2: 5_000}  # 1D points, 2D points per side


@dataclass(frozen=True)
class Report:
    """How well a network approximates its target over its domain.

    ``max_error`` is the largest absolute error found, certified by a local search around the worst regions (see
    the module docstring); ``worst_at`` is where. ``rmse`` is the continuous root-mean-square error by a
    Gauss–Legendre rule. ``points`` counts the points evaluated for both (refinement included). ``jumps`` lists
    jumps of f as (x, size) in 1D or (x, y, size) in 2D (largest first, at most ``MAX_JUMPS_LISTED``), and
    ``note`` says what they imply; both empty for a continuous f. ``certified`` is False when the max error could
    not be certified within the work measure allows (a lower bound then; ``note`` says why).
    """

    max_error: float
    rmse: float
    worst_at: tuple[float, ...]
    points: int
    domain: tuple[tuple[float, float], ...]
    grid_max_error: float = float("nan")  # the largest error on the points before refinement
    jumps: tuple[tuple[float, ...], ...] = ()
    note: str = ""
    certified: bool = True

    @property
    def jump_floor(self) -> float:
        """Half the largest jump of f: no continuous network's max error falls below it (0 for continuous f)."""
        return max((j[-1] for j in self.jumps), default=0.0) / 2

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["worst_at"] = list(self.worst_at)
        d["domain"] = [list(p) for p in self.domain]
        d["jumps"] = [list(j) for j in self.jumps]
        d["jump_floor"] = self.jump_floor
        return d


def grid(domain: Sequence[tuple[float, float]], n: int | None = None) -> tuple[np.ndarray, ...]:
    """Evenly spaced grid over a 1D or 2D domain: ``(x,)`` of n points, or ``(X, Y)`` meshes of n×n (for plots)."""
    if len(domain) == 1:
        ((a, b),) = domain
        return (np.linspace(a, b, n or POINTS_1D),)
    (a, b), (c, d) = domain
    m = n or POINTS_2D
    return tuple(np.meshgrid(np.linspace(a, b, m), np.linspace(c, d, m), indexing="xy"))


# -- the points and the RMSE rule --------------------------------------------------------------------------------
def _next_prime(n: int) -> int:
    n = max(2, int(n))
    while any(n % p == 0 for p in range(2, int(n**0.5) + 1)):
        n += 1
    return n


def quadrature(a: float, b: float, n: int, nodes: int = GAUSS_NODES) -> tuple[np.ndarray, np.ndarray]:
    """About ``n`` sorted points on [a, b] and their weights: the ends (weight 0) and ``nodes``-point
    Gauss–Legendre nodes on a prime number of equal panels (``nodes=1``: the midpoint rule).
    ``sum(w * e**2) / (b - a)`` is the mean of e² over [a, b]."""
    x, w = _quadrature(float(a), float(b), int(n), int(nodes))
    return x.copy(), w.copy()


@lru_cache(maxsize=32)
def _quadrature(a: float, b: float, n: int, nodes: int = GAUSS_NODES) -> tuple[np.ndarray, np.ndarray]:
    panels = _next_prime(-(-(max(n, 5) - 2) // nodes))
    t, wt = np.polynomial.legendre.leggauss(nodes)  # on [-1, 1]
    h = (b - a) / panels
    left = a + h * np.arange(panels)  # (P,)
    x = (left[:, None] + 0.5 * h * (t + 1.0)).ravel()
    w = np.tile(0.5 * h * wt, panels)
    x, w = np.concatenate([[a], x, [b]]), np.concatenate([[0.0], w, [0.0]])
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def _errors(network, target, *coords: np.ndarray) -> np.ndarray:
    approx = np.asarray(network(*coords), dtype=float)
    if not np.all(np.isfinite(approx)):
        raise UnivError("the network's output is not finite on the domain; nothing to measure")
    return np.abs(approx - target.evaluate(*coords))


def _unit_cost(network) -> float:
    """About what one evaluation of ``network`` at one point costs, in dense sigmoid-unit evaluations."""
    layers = getattr(network, "layers", None)
    if layers is None:
        return 1.0
    plan_of = getattr(network, "_fast_plan", None)
    plan = plan_of() if plan_of is not None else None
    if plan is not None:
        return max(1.0, float(plan.cost))
    return float(max(1, sum(layer.w.size for layer in layers)))


def _structure_points(network, a: float, b: float, spacing: float) -> np.ndarray:
    """For a one-hidden-layer net of x, sorted points inside (a, b) that visit every sharp unit (see
    ``SHARP_SPACINGS``): its turning point −b/w, the midpoint to the next, and for a sigmoid the points
    ``SIGMOID_LOGITS`` away on both sides (a kink or step: the floats either side of it). Empty for other nets."""
    layers = getattr(network, "layers", None)
    if layers is None or len(layers) != 2 or layers[0].w.shape[0] != 1 or layers[0].activation == "linear":
        return np.empty(0)
    hidden, output = layers
    w, bias = hidden.w[0], hidden.b
    keep = (w != 0) & (output.w[:, 0] != 0)  # a unit with output weight 0 adds nothing
    w, bias = w[keep], bias[keep]
    with np.errstate(all="ignore"):
        c = -bias / w
        smooth = hidden.activation in ("sigmoid", "tanh")
        rate = np.abs(w) * (2.0 if hidden.activation == "tanh" else 1.0)  # tanh(z) = 2σ(2z) − 1: logits doubled
        sharp = rate * (SHARP_SPACINGS * spacing) > 1.0 if smooth else np.ones(c.size, dtype=bool)
        turn = np.unique(c[sharp & (c > a) & (c < b)])
        parts = [turn, 0.5 * (turn[1:] + turn[:-1])]
        if smooth:
            reach = SIGMOID_LOGITS[-1] / rate
            near = sharp & (c + reach > a) & (c - reach < b)
            off = np.asarray(SIGMOID_LOGITS)[None, :] / rate[near][:, None]  # (units, logits)
            parts += [(c[near][:, None] - off).ravel(), (c[near][:, None] + off).ravel()]
        else:
            parts += [np.nextafter(turn, -np.inf), np.nextafter(turn, np.inf)]
        out = np.concatenate(parts)
    return np.unique(out[np.isfinite(out) & (out > a) & (out < b)])


def _max_1d(network, target, x: np.ndarray, e: np.ndarray, a: float, b: float):
    """The max error over [a, b] from the base points ``x`` (errors ``e``): the net's structure points added,
    then every cell that may hold the max zoomed. Returns (max, where, points used, certified, why not)."""
    budget = MAX_CERTIFY_WORK / _unit_cost(network)  # evaluations measure may still spend
    per_cell = REFINE_ROUNDS * REFINE_SAMPLES_1D
    why = ""
    extra = _structure_points(network, a, b, (b - a) / max(1, x.size - 1))
    if extra.size > budget - REFINE_CELLS_1D * per_cell:
        why = (
            f"visiting its {extra.size:,} sharp-unit points would cost more than measure spends "
            f"({MAX_CERTIFY_WORK:.0e} unit evaluations); the max error is the largest found on fewer points"
        )
        extra = np.empty(0)
    if extra.size:  # merged into the points the max is searched on (the RMSE rule keeps its own)
        x_all = np.concatenate([x, extra])
        e_all = np.concatenate([e, _errors(network, target, extra)])
        order = np.argsort(x_all, kind="stable")
        x, e = x_all[order], e_all[order]
    budget -= extra.size
    k = int(np.argmax(e))
    best_e, best_x = float(e[k]), float(x[k])
    est = _peak_estimate(x, e)  # (cells,)
    may_hold = int(np.count_nonzero(est >= (1.0 - REFINE_SLACK) * best_e))  # cells that may hold the max
    cap = int(min(MAX_REFINE_CELLS, max(REFINE_CELLS_1D, budget // per_cell)))
    take = min(est.size, cap, max(REFINE_CELLS_1D, may_hold))
    cells = np.argpartition(est, est.size - take)[est.size - take :]
    lo, hi = x[np.maximum(cells - 1, 0)], x[np.minimum(cells + 2, len(x) - 1)]
    ze, zx, used = _zoom_1d(network, target, lo, hi, a, b)
    if ze > best_e:
        best_e, best_x = ze, zx
    if take < est.size:
        rest = float(np.max(np.delete(est, cells)))  # the largest peak estimate of a cell not zoomed
        if rest > best_e:
            why = why or (
                f"{may_hold - take:,} cells that may hold a larger error were not zoomed (measure zooms at most "
                f"{cap:,}); the max error is the largest found"
            )
    return best_e, best_x, x.size + used, not why, why


# -- refinement ------------------------------------------------------------------------------------------------
def _peak_estimate(x: np.ndarray, e: np.ndarray) -> np.ndarray:
    """For each cell [x_i, x_i+1], the peak the neighbouring slopes allow inside it (≥ both end values)."""
    dx = np.diff(x)
    # (n-1,) slope over each cell; a cell a few ulps wide straddles a jump of a step net: its slope says nothing
    wide = dx > 64 * np.spacing(max(abs(float(x[0])), abs(float(x[-1])), np.finfo(float).tiny))
    with np.errstate(over="ignore"):
        slope = np.divide(np.diff(e), dx, out=np.zeros(dx.size), where=wide)
    rise_left = np.concatenate([[0.0], np.maximum(slope[:-1], 0.0)])  # slope of the cell to the left, rising
    fall_right = np.concatenate([np.maximum(-slope[1:], 0.0), [0.0]])  # slope of the cell to the right, falling
    lo, hi = e[:-1], e[1:]
    between = np.minimum(lo + rise_left * dx, hi + fall_right * dx)
    return np.maximum(np.maximum(lo, hi), between)


def _zoom_1d(network, target, lo: np.ndarray, hi: np.ndarray, a: float, b: float) -> tuple[float, float, int]:
    """Search brackets [lo, hi] by repeated dense resampling; the largest error found, where, and points used."""
    s = np.linspace(0.0, 1.0, REFINE_SAMPLES_1D)
    best_e, best_x, used = -1.0, a, 0
    for _ in range(REFINE_ROUNDS):
        pts = np.clip(lo[:, None] + (hi - lo)[:, None] * s, a, b)  # (K, S)
        e = _errors(network, target, pts.ravel()).reshape(pts.shape)
        used += pts.size
        j = np.argmax(e, axis=1)
        k = int(np.argmax(e[np.arange(len(j)), j]))
        if e[k, j[k]] > best_e:
            best_e, best_x = float(e[k, j[k]]), float(pts[k, j[k]])
        step = (hi - lo) / (REFINE_SAMPLES_1D - 1)
        centre = pts[np.arange(len(j)), j]
        lo, hi = np.maximum(centre - step, a), np.minimum(centre + step, b)
    return best_e, best_x, used


def _local_maxima_2d(E: np.ndarray) -> np.ndarray:
    """Flat indices of points at least as large as their 8 neighbours."""
    P = np.pad(E, 1, constant_values=-np.inf)
    peak = np.ones(E.shape, dtype=bool)
    ny, nx = E.shape
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            if dy == 1 and dx == 1:
                continue
            peak &= E >= P[dy : dy + ny, dx : dx + nx]
    return np.flatnonzero(peak)


def _zoom_2d(network, target, cx, cy, rx, ry, domain) -> tuple[float, tuple[float, float], int]:
    (a, b), (c, d) = domain
    s = np.linspace(-1.0, 1.0, REFINE_SAMPLES_2D)
    best_e, best_at, used = -1.0, (a, c), 0
    for _ in range(REFINE_ROUNDS):
        X = np.clip(cx[:, None, None] + rx[:, None, None] * s[None, None, :], a, b)  # (K, 1, S)
        Y = np.clip(cy[:, None, None] + ry[:, None, None] * s[None, :, None], c, d)  # (K, S, 1)
        X, Y = np.broadcast_arrays(X, Y)
        e = _errors(network, target, X.ravel(), Y.ravel()).reshape(len(cx), -1)
        used += e.size
        j = np.argmax(e, axis=1)
        k = int(np.argmax(e[np.arange(len(j)), j]))
        if e[k, j[k]] > best_e:
            best_e, best_at = (
                float(e[k, j[k]]),
                (float(X.reshape(len(cx), -1)[k, j[k]]), float(Y.reshape(len(cx), -1)[k, j[k]])),
            )
        cx = X.reshape(len(cx), -1)[np.arange(len(j)), j]
        cy = Y.reshape(len(cy), -1)[np.arange(len(j)), j]
        rx, ry = rx * 2.0 / (REFINE_SAMPLES_2D - 1), ry * 2.0 / (REFINE_SAMPLES_2D - 1)
    return best_e, best_at, used


# -- jumps -----------------------------------------------------------------------------------------------------
def _jump_candidates(f: np.ndarray) -> np.ndarray:
    """Indices i of neighbouring differences |f[i+1] − f[i]| far larger than the differences beside them."""
    d = np.abs(np.diff(f))
    if d.size < 3:
        return np.empty(0, dtype=int)
    scale = max(1.0, float(np.max(np.abs(f))))
    # min, not max: a jump whose point is exactly a grid point is split over two neighbouring differences
    side = np.minimum(np.concatenate([[np.inf], d[:-1]]), np.concatenate([d[1:], [np.inf]]))
    cand = np.flatnonzero((d > JUMP_RATIO * side) & (d > 1e-9 * scale))
    if cand.size > JUMP_CANDIDATES:
        cand = cand[np.argsort(d[cand])[::-1][:JUMP_CANDIDATES]]
    return cand


def _bisect_jumps(evaluate, lo: np.ndarray, hi: np.ndarray, width: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Halve each interval toward its larger difference; where the difference stays, f jumps.

    Returns where each kept jump is, its size, and the mask of the intervals kept.
    """
    flo, fhi = evaluate(lo), evaluate(hi)
    start = np.abs(fhi - flo)
    for _ in range(JUMP_BISECTIONS):
        mid = 0.5 * (lo + hi)
        fm = evaluate(mid)
        left = np.abs(fm - flo) >= np.abs(fhi - fm)
        hi, fhi = np.where(left, mid, hi), np.where(left, fm, fhi)
        lo, flo = np.where(left, lo, mid), np.where(left, flo, fm)
    # the size from just outside the final interval, so a value exactly at the jump does not halve it
    delta = 1e-9 * width
    size = np.abs(evaluate(hi + delta) - evaluate(lo - delta))
    # a continuous f shrinks to nothing; a jump keeps its size (or half of it, when a halving lands exactly on the
    # jump point and f there is the mean of its one-sided limits, as heaviside's is)
    keep = (np.abs(fhi - flo) >= 0.25 * start) & (size > 0)
    return 0.5 * (lo + hi)[keep], size[keep], keep


def _jumps_1d(target, x: np.ndarray, f: np.ndarray) -> list[tuple[float, float]]:
    ((a, b),) = target.domain
    cand = _jump_candidates(f)
    if cand.size == 0:
        return []

    def evaluate(p):
        return target.evaluate(np.clip(p, a, b))

    where, size, _ = _bisect_jumps(evaluate, x[cand], x[cand + 1], b - a)
    found: list[tuple[float, float]] = []
    for i in np.argsort(size)[::-1]:  # a jump split over two differences is found twice: keep one
        if all(abs(where[i] - p) > 1e-9 * (b - a) for p, _ in found):
            found.append((float(where[i]), float(size[i])))
    return found


def _jumps_2d(target, xs: np.ndarray, ys: np.ndarray, F: np.ndarray) -> list[tuple[float, float, float]]:
    """Jumps along the rows (in x) and the columns (in y) of the points, as (x, y, size)."""
    (a, b), (c, d) = target.domain
    found = []
    for along_x in (True, False):
        G, line, other = (F, xs, ys) if along_x else (F.T, ys, xs)
        lo_end, hi_end = (a, b) if along_x else (c, d)
        pairs = [(r, i) for r in range(G.shape[0]) for i in _jump_candidates(G[r])]
        if not pairs:
            continue
        rows, cols = np.array(pairs).T
        if rows.size > JUMP_CANDIDATES:
            top = np.argsort(np.abs(G[rows, cols + 1] - G[rows, cols]))[::-1][:JUMP_CANDIDATES]
            rows, cols = rows[top], cols[top]
        fixed = other[rows]

        def evaluate(p, fixed=fixed, along_x=along_x, lo_end=lo_end, hi_end=hi_end):
            p = np.clip(p, lo_end, hi_end)
            return target.evaluate(p, fixed) if along_x else target.evaluate(fixed, p)

        where, size, keep = _bisect_jumps(evaluate, line[cols], line[cols + 1], hi_end - lo_end)
        for p, q, s in zip(where, fixed[keep], size):
            found.append((float(p), float(q), float(s)) if along_x else (float(q), float(p), float(s)))
    found.sort(key=lambda j: -j[2])
    return found


def _jump_note(jumps: Sequence[tuple[float, ...]], dimension: int) -> str:
    if not jumps:
        return ""
    big = jumps[0]
    where = f"x = {big[0]:.6g}" if dimension == 1 else f"(x, y) = ({big[0]:.6g}, {big[1]:.6g})"
    count = f"{len(jumps)} jumps found, the largest" if len(jumps) > 1 else "it jumps"
    return (
        f"f is not continuous ({count} by {big[-1]:.4g} at {where}): no network of continuous units (sigmoid, "
        f"ReLU) gets its max error below half the jump, {big[-1] / 2:.4g}, whatever its size; the RMSE still "
        f"falls as neurons grow"
    )


# -- measure ---------------------------------------------------------------------------------------------------
def _arguments(network, target):
    """``measure``'s network and target, the target read as :func:`univ.construct` reads it: a Target as it is;
    text or a Python callable on the network's own domain (``info["domain"]``, else [0, 1]). Failures: ConfigError."""
    if not callable(network):
        raise ConfigError(f"measure needs a Network (or a function of x) to measure, not {type(network).__name__}")
    if not isinstance(target, Target):
        info = getattr(network, "info", None)
        pairs = info.get("domain") if isinstance(info, dict) else None
        pairs = pairs if isinstance(pairs, (list, tuple)) and 1 <= len(pairs) <= 2 else [None]
        target = as_target(target, *pairs)
    inputs = getattr(network, "input_dim", target.dimension)
    if inputs != target.dimension:
        raise ConfigError(f"the network takes {inputs} input(s) but {target.text!r} has {target.dimension} variable(s)")
    return network, target


def measure(network, target, points: int | None = None) -> Report:
    """Certified max absolute error and continuous RMSE of ``network`` against ``target`` over its domain.

    Parameters
    ----------
    network : Network or callable
        Evaluated as ``network(x)`` (1D) or ``network(x, y)`` (2D) on arrays.
    target : Target, str or callable
        Supplies the domain and the checked values (``target.evaluate``). Text (``"sin(3x)"``) or a Python function
        of x (or x, y) is read as :func:`univ.construct` reads it, on the network's own domain.
    points : int, optional
        About how many base points (1D) or points per side (2D); defaults 10,001 and 301. The points are the
        ends plus Gauss–Legendre nodes on a prime number of panels; the max error is then refined locally.

    Raises
    ------
    UnivError
        If the network's output is not finite somewhere: never reported as a number. A ConfigError for a target
        that is not one, or whose number of variables is not the network's number of inputs.
    """
    network, target = _arguments(network, target)
    outputs = getattr(network, "n_outputs", 1)  # baselines (Chebyshev, spline) are callables with one output
    if outputs != 1:  # a softmax classifier: its numbers are a misclassified area, not an error in f
        raise ConfigError(f"this network is a classifier ({outputs} outputs); measure it with univ.measure_classifier")
    domain = tuple(tuple(map(float, p)) for p in target.domain)
    if points is not None:
        whole("points", points, MIN_POINTS, MAX_POINTS[len(domain)])
    if len(domain) == 1:
        ((a, b),) = domain
        x, w = _quadrature(a, b, points or POINTS_1D)
        f = target.evaluate(x)
        approx = np.asarray(network(x), dtype=float)
        if not np.all(np.isfinite(approx)):
            raise UnivError("the network's output is not finite on the domain; nothing to measure")
        e = np.abs(approx - f)
        rmse = float(np.sqrt(np.sum(w * e * e) / (b - a)))
        grid_max = float(e.max())  # on the quadrature points alone: what a page holding only those points can show
        best_e, zx, count, certified, why = _max_1d(network, target, x, e, a, b)
        best_at = (zx,)
        jumps = _jumps_1d(target, x, f)
    else:
        (a, b), (c, d) = domain
        xs, wx = _quadrature(a, b, points or POINTS_2D, GAUSS_NODES_2D)
        ys, wy = _quadrature(c, d, points or POINTS_2D, GAUSS_NODES_2D)
        X, Y = np.meshgrid(xs, ys, indexing="xy")  # (ny, nx)
        F = target.evaluate(X, Y)
        approx = np.asarray(network(X, Y), dtype=float)
        if not np.all(np.isfinite(approx)):
            raise UnivError("the network's output is not finite on the domain; nothing to measure")
        E = np.abs(approx - F)
        rmse = float(np.sqrt(np.einsum("i,ij,j->", wy, E * E, wx) / ((b - a) * (d - c))))
        k = int(np.argmax(E))
        grid_max, best_e, best_at = float(E.flat[k]), float(E.flat[k]), (float(X.flat[k]), float(Y.flat[k]))
        peaks = _local_maxima_2d(E)
        peaks = peaks[np.argsort(E.flat[peaks])[::-1][:REFINE_PEAKS_2D]]
        iy, ix = np.unravel_index(peaks, E.shape)
        # brackets reach the neighbouring points on each side
        rx = np.maximum(xs[np.minimum(ix + 1, xs.size - 1)] - xs[ix], xs[ix] - xs[np.maximum(ix - 1, 0)])
        ry = np.maximum(ys[np.minimum(iy + 1, ys.size - 1)] - ys[iy], ys[iy] - ys[np.maximum(iy - 1, 0)])
        ze, zat, used = _zoom_2d(network, target, xs[ix], ys[iy], rx, ry, domain)
        if ze > best_e:
            best_e, best_at = ze, zat
        jumps = _jumps_2d(target, xs, ys, F)
        count = E.size + used
        certified, why = True, ""
    return Report(
        max_error=best_e,
        rmse=rmse,
        worst_at=best_at,
        points=int(count),
        domain=domain,
        grid_max_error=grid_max,
        jumps=tuple(tuple(j) for j in jumps[:MAX_JUMPS_LISTED]),
        note="; ".join(n for n in (_jump_note(jumps, len(domain)), why and f"max error not certified: {why}") if n),
        certified=certified,
    )


def convergence_slope(neurons: Sequence[float], errors: Sequence[float]) -> float:
    """Least-squares slope of log(error) against log(neurons): about -1 for steps, -2 for ReLU on smooth f."""
    n = np.asarray(neurons, dtype=float)
    e = np.asarray(errors, dtype=float)
    keep = (n > 0) & (e > 0) & np.isfinite(e)
    if keep.sum() < 2:
        raise UnivError("need at least two positive errors to fit a convergence slope")
    return float(np.polyfit(np.log(n[keep]), np.log(e[keep]), 1)[0])
