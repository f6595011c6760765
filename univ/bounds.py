"""The a-priori bound each construction's own argument gives for this target and this N, beside the measured error.

What each bound is (x one variable; cells of width h; L = max|f′|, M = max|f″| on the region named)
-----------------------------------------------------------------------------------------------------
- ``steps``, ``bumps``, ``heaviside``: around each interior edge the net is v₋ + D·σ(w(x − e)) plus the other
  steps, and σ ≥ ½ on the side of the cell it belongs to, so f − net is a convex combination of the two cells'
  staircase errors, each at most L·h/2 (L on the two half-cells, heights at the cells' middles), plus the
  window of failure the other steps leave: Σⱼ |Dⱼ|·σ(−wⱼ·distⱼ) (for equal cells at most
  D·(e^{−S/2} + e^{−S})/(1 − e^{−S}), S the steepness). Heights not at f of the middle (least squares) add their
  offset |f(mᵢ) − vᵢ|.
- ``relu``: the interpolant's error h²·M/8 per cell (L·h/2 on a cell holding a kink of f); least-squares
  heights add their offset from f at the knots (in L² the fit is at most the interpolant's error).
- ``towers`` (2D): the staircase in both variables, Lx·hx/2 + Ly·hy/2, plus the hole at a nested tower's inner
  corner (its weight, a second difference of f) and the threshold layer's leak Σ|Hₖ|·σ(−W(½ − 2σ(−S/2))).
- ``relu`` (2D): the interpolant on right triangles, M·(hx² + hy²)/8 (M the largest Hessian norm).
- ``ridge`` (2D): Barron's 2·r·C_f/√n, C_f = ∫|ω||f̂(ω)|dω estimated from a cosine transform of f on the box: an
  L² estimate for its slope, not a certified max-error bound (``estimate=True``).
- ``sawtooth_floor``: one hidden layer of m ReLU units has at most m kinks (m + 1 pieces); against the 2^k-tooth
  sawtooth every unkinked window around a tooth's tip costs ½ (or ¼ for half windows).

How the constants are obtained: the derivatives of the parsed expression's tree (σ⁻¹∘f for a sigmoid output; by
Taylor arithmetic in :mod:`univ.treediff`, no sympy), evaluated densely on every region (the edges, and both sides
of every kink of f, included), plus a safety term δ/2·max|next derivative| for between the points; the last
derivative used is sampled only. A target without a formula (data, a Python function), a jump, or an unbounded
derivative (sqrt at 0) gets no number: ``value`` is None and ``reason`` says why.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .constructions import METHODS, construct
from .derivatives import NoBound, constants_1d, constants_2d, expit, formula, numeric
from .errors import UnivError
from .measure import convergence_slope

NEIGHBOURS = 64  # window term: steps summed exactly on each side of a region; the rest bounded in closed form
BARRON_GRID = 64  # cosine-transform grid per side for ridge's C_f
PRE_OUTPUT_ELEMENTS = 1 << 22  # floats per block of hidden activations when the output is not linear


@dataclass(frozen=True)
class Bound:
    """What a construction's argument promises for this target and this network.

    Parameters
    ----------
    value : float or None
        The bound on the max error |f − net| over the domain; None when a constant cannot be bounded.
    terms : dict
        The bound's parts (``staircase``, ``window``, ``interpolant``, ``leak``, ...); ``value`` is at most their sum.
    method : str
        Which argument, its formula, and how each constant was obtained.
    reason : str
        Why ``value`` is None ("" otherwise).
    estimate : bool
        True when ``value`` is an estimate shown for its slope (ridge's Barron bound), not a certified bound.
    """

    value: float | None
    terms: dict[str, float] = field(default_factory=dict)
    method: str = ""
    reason: str = ""
    estimate: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "terms": dict(self.terms),
            "method": self.method,
            "reason": self.reason or None,
            "estimate": self.estimate,
        }

    def _repr_html_(self) -> str:
        if self.value is None:
            return f"<b>no bound</b>: {html.escape(self.reason)}"
        return f"<b>bound ≤ {self.value:.4g}</b> ({html.escape(self.method)})"


# -- 1D constructions -----------------------------------------------------------------------------------------------
def _hidden_values(target, sigmoid_output: bool):
    """g: what the hidden layer approximates, from the target's checked values (f, or σ⁻¹∘f)."""

    def g(x):
        f = target.evaluate(np.asarray(x, dtype=float))
        if sigmoid_output:
            with np.errstate(all="ignore"):
                return np.log(f / (1.0 - f))
        return f

    return g


def _edges(net) -> np.ndarray:
    edges = net.info.get("edges")
    if edges is None or not isinstance(edges[0], (int, float)):
        raise NoBound("the network does not record its cell edges")
    return np.asarray(edges, dtype=float)


def _merged_steps(net, edges: np.ndarray) -> dict[str, Any]:
    """The net's steps read back: those left and right of the domain, and one merged step per interior edge (its
    jump and weight), with each cell's ideal value. NoBound for a net that is not a construction's staircase."""
    hidden, out = net.layers
    a, b = float(edges[0]), float(edges[-1])
    tol = 1e-9 * (b - a)
    w, bias = hidden.w[0].astype(float), hidden.b.astype(float)
    d, c = out.w[:, 0].astype(float), float(out.b[0])
    keep = d != 0
    w, bias, d = w[keep], bias[keep], d[keep]
    if np.any(w <= 0):
        raise NoBound("a step with a non-positive weight is not one of the construction's")
    s = -bias / w
    inner = edges[1:-1]
    left, right = s < a - tol, s > b + tol
    mid = ~(left | right)
    k = np.clip(np.searchsorted(inner, s[mid]), 0, max(inner.size - 1, 0))
    if inner.size == 0 and mid.any():
        raise NoBound("a step inside the domain's only cell")
    if mid.any():
        k = np.where(np.abs(inner[np.maximum(k - 1, 0)] - s[mid]) < np.abs(inner[k] - s[mid]), np.maximum(k - 1, 0), k)
        if np.any(np.abs(inner[k] - s[mid]) > tol):
            raise NoBound("a step off the cell edges is not one of the construction's")
    jump, edge_w = np.zeros(inner.size), np.zeros(inner.size)
    np.add.at(jump, k, d[mid])
    np.maximum.at(edge_w, k, w[mid])
    if mid.any() and np.any(np.abs(w[mid] - edge_w[k]) > 1e-12 * edge_w[k]):
        raise NoBound("two steps at one edge with different weights are not one of the construction's")
    return {
        "values": c + d[left].sum() + np.concatenate([[0.0], np.cumsum(jump)]),  # (cells,) each cell's ideal value
        "pos": np.concatenate([s[left], inner, s[right]]),
        "weight": np.concatenate([w[left], edge_w, w[right]]),
        "size": np.abs(np.concatenate([d[left], jump, d[right]])),
        "own": np.concatenate([[-1], left.sum() + np.arange(inner.size), [-1]]),  # each region's own edge step
    }


def _window(steps: dict[str, Any], lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per region [lo, hi]: Σⱼ |Dⱼ|·σ(−wⱼ·distⱼ) over every step but the region's own, the ``NEIGHBOURS`` nearest on
    each side exactly and the rest at most all the jumps at the gentlest weight and the nearest such distance."""
    pos, wt, mag, own = steps["pos"], steps["weight"], steps["size"], steps["own"]
    if not pos.size:
        return np.zeros(lo.size)
    order = np.argsort(pos, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    pos, wt, mag = pos[order], wt[order], mag[order]
    own = np.where(own >= 0, rank[np.maximum(own, 0)], -1)
    first = np.searchsorted(pos, lo)
    idx = first[:, None] + np.arange(-NEIGHBOURS, NEIGHBOURS + 2)[None, :]  # (R, 2K + 2)
    valid = (idx >= 0) & (idx < pos.size) & (idx != own[:, None])
    j = np.clip(idx, 0, pos.size - 1)
    dist = np.maximum(np.maximum(lo[:, None] - pos[j], pos[j] - hi[:, None]), 0.0)
    window = np.where(valid, mag[j] * expit(-wt[j] * dist), 0.0).sum(axis=1)
    before, after = first - NEIGHBOURS - 1, first + NEIGHBOURS + 2
    gap = np.full(lo.size, np.inf)
    has = before >= 0
    gap[has] = lo[has] - pos[before[has]]
    has = after < pos.size
    gap[has] = np.minimum(gap[has], pos[after[has]] - hi[has])
    far = np.isfinite(gap)
    gentlest = float(wt[mag > 0].min()) if np.any(mag > 0) else 1.0  # a zero jump leaves no tail
    window[far] += mag.sum() * expit(-gentlest * np.maximum(gap[far], 0.0))
    return window


def _staircase(L: np.ndarray, h: np.ndarray, offset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per region (the two end half-cells and the dual cell around each interior edge): the convex combination's
    bound max(offset + L·h/2) over the two cells, and the same without the heights' offsets."""
    cells = h.size
    stair = np.empty(cells + 1)
    stair[0] = offset[0] + L[0] * h[0] / 2
    stair[-1] = offset[-1] + L[-1] * h[-1] / 2
    if cells > 1:
        stair[1:-1] = np.maximum(offset[:-1] + L[1:-1] * h[:-1] / 2, offset[1:] + L[1:-1] * h[1:] / 2)
    pure = L * np.concatenate([[h[0]], np.maximum(h[:-1], h[1:]), [h[-1]]]) / 2 if cells > 1 else L * h[0] / 2
    return stair, pure


def _steps_bound(net, target, sigmoid_output: bool) -> tuple[float, dict[str, float], str]:
    """Staircase plus window for chained steps, bumps and ideal steps (see the module docstring)."""
    edges = _edges(net)
    steps = _merged_steps(net, edges)
    v = steps["values"]
    h = np.diff(edges)
    mids = 0.5 * (edges[:-1] + edges[1:])
    offset = np.abs(_hidden_values(target, sigmoid_output)(mids) - v)
    lo = np.concatenate([[edges[0]], mids])  # regions: [a, m0], dual cells [m_{k-1}, m_k], [m_last, b]
    hi = np.concatenate([mids, [edges[-1]]])
    const = constants_1d(target, lo, hi, sigmoid_output)
    stair, pure = _staircase(const.lipschitz, h, offset)
    heaviside = net.layers[0].activation == "heaviside"
    window = np.zeros(lo.size) if heaviside else _window(steps, lo, hi)
    rounding = _rounding(net, target)
    terms = {"staircase": float(np.max(pure)), "window": float(np.max(window)), "rounding": rounding}
    if net.info.get("heights") == "lstsq" or offset.max() > 1e-9 * max(1.0, float(np.max(np.abs(v)))):
        terms["heights_offset"] = float(offset.max())
    else:  # f at the knots or middles, up to rounding: counted as rounding
        terms["rounding"] += float(offset.max())
    tails = (
        "(none: ideal steps)" if heaviside else f"(the {NEIGHBOURS} nearest each side exactly, the rest in closed form)"
    )
    how = (
        "staircase: σ ≥ ½ past each edge makes f − net a convex combination of the two cells' errors, each at most "
        f"|f(mᵢ) − vᵢ| + L·h/2; window: Σⱼ |Dⱼ|·σ(−wⱼ·distⱼ) over the other steps {tails}; {const.how}"
    )
    if net.info.get("heights") == "lstsq":
        how += "; least-squares heights: their offsets |f(mᵢ) − vᵢ| from f at the cells' middles are added"
    how += "; rounding: (n + 3)·u·Σ|terms| + 4u·max|f|, the floating-point sum's worst case"
    return float(np.max(stair + window + rounding)), terms, how


def _pre_output(net, x: np.ndarray) -> np.ndarray:
    """The output neuron's input at ``x`` in bounded memory: the net itself (its fast chunked path) for a linear
    output, otherwise the hidden layer in blocks of at most ``PRE_OUTPUT_ELEMENTS`` floats."""
    out = net.layers[-1]
    if out.activation == "linear":
        return np.asarray(net(x), dtype=float)
    step = max(1, PRE_OUTPUT_ELEMENTS // max(out.w.shape[0], 1))
    parts = [net.hidden_output(x[i : i + step]) @ out.w[:, 0] + out.b[0] for i in range(0, x.size, step)]
    return np.concatenate(parts).astype(float)


def _relu_bound(net, target, sigmoid_output: bool) -> tuple[float, dict[str, float], str]:
    """The interpolant's h²·M/8 per cell (L·h/2 where f kinks), plus least-squares heights' offsets at the knots."""
    hidden, out = net.layers
    knots = _edges(net)
    a, b = float(knots[0]), float(knots[-1])
    w = hidden.w[0]
    turn = -hidden.b[w != 0] / w[w != 0]
    inside = turn[(turn > a + 1e-9 * (b - a)) & (turn < b - 1e-9 * (b - a))]
    j = np.clip(np.searchsorted(knots, inside), 1, knots.size - 1)
    near = np.minimum(np.abs(knots[j] - inside), np.abs(knots[j - 1] - inside))
    if np.any(near > 1e-9 * (b - a)):
        raise NoBound("a hinge off the knots is not one of the construction's")
    y = _pre_output(net, knots)  # (N+1,) the output neuron's input at the knots
    g = _hidden_values(target, sigmoid_output)
    gk = g(knots)
    off = np.abs(gk - y)
    offset = np.maximum(off[:-1], off[1:])
    h = np.diff(knots)
    const = constants_1d(target, knots[:-1], knots[1:], sigmoid_output)
    interp = np.where(
        const.kinked, const.lipschitz * h / 2, np.minimum(const.curvature * h**2 / 8, const.lipschitz * h / 2)
    )
    rounding = _rounding(net, target)
    terms = {"interpolant": float(np.max(interp)), "rounding": rounding}
    if net.info.get("heights") == "lstsq" or offset.max() > 1e-9 * max(1.0, float(np.max(np.abs(y)))):
        terms["heights_offset"] = float(offset.max())
    else:  # f at the knots or middles, up to rounding: counted as rounding
        terms["rounding"] += float(offset.max())
    how = "interpolant: h²·M/8 per cell (L·h/2 on a cell where f kinks); " + const.how
    if net.info.get("heights") == "lstsq":
        how += (
            "; least-squares heights: in L² at most the interpolant's error; in max norm the interpolant's bound "
            "plus the fit's largest offset from f at a knot"
        )
    how += "; rounding: (n + 3)·u·Σ|terms| + 4u·max|f|, the floating-point sum's worst case"
    return float(np.max(interp + offset)) + rounding, terms, how


def _rounding(net, target) -> float:
    """Floating-point rounding of a one-hidden-layer net's sum and of f, worst case: (n + 3)·u·Σ|terms| + 4u·max|f|
    (u the unit roundoff; a ReLU term at most |v|·|w x + b| over the domain, a sigmoid one |v|)."""
    hidden, out = net.layers
    ((a, b),) = target.domain
    v = np.abs(out.w[:, 0])
    if hidden.activation == "relu":
        reach = np.maximum(np.abs(hidden.w[0] * a + hidden.b), np.abs(hidden.w[0] * b + hidden.b))
        size = float(np.sum(v * reach))
    else:
        size = float(np.sum(v))
    u = np.finfo(float).eps / 2
    f = np.abs(target.evaluate(np.linspace(a, b, 257)))
    return (v.size + 3) * u * (abs(float(out.b[0])) + size) + 4 * u * float(f.max())


def _towers_bound(net, target, sigmoid_output: bool) -> tuple[float, dict[str, float], str]:
    info = net.info
    if info.get("layout") != "nested":
        raise NoBound("tiled towers leave a hole as deep as f at every inner corner; only nested towers are bounded")
    m = int(info["cells"][0])
    (a, b), (c, d) = target.domain
    hx, hy = (b - a) / m, (d - c) / m
    S, W = float(info["steepness"]), float(info["tower_steepness"])
    H = net.layers[-1].w[:, 0].reshape(m, m)
    v = np.cumsum(np.cumsum(H, axis=0), axis=1) + float(net.layers[-1].b[0])  # (m, m) each cell's ideal value
    cx, cy = a + hx * (np.arange(m) + 0.5), c + hy * (np.arange(m) + 0.5)
    G = np.asarray(target.evaluate(*np.meshgrid(cx, cy, indexing="ij")), dtype=float)
    if sigmoid_output:
        G = np.log(G / (1.0 - G))
    offset = float(np.max(np.abs(G - v)))
    margin = 0.5 - 2.0 * expit(-S / 2)
    if margin <= 0:
        raise NoBound(f"steepness {S:g} is too shallow for the threshold argument (it needs σ(−S/2) < 1/4)")
    k = constants_2d(target, sigmoid_output, m)
    stair = k["Lx"] * hx / 2 + k["Ly"] * hy / 2
    corner = float(np.max(np.abs(H[1:, 1:]))) if m > 1 else 0.0
    leak = float(np.abs(H).sum() * expit(-W * margin))
    terms = {"staircase": stair, "corner": corner, "leak": leak}
    if offset > 1e-9 * max(1.0, float(np.max(np.abs(v)))):
        terms["heights_offset"] = offset
    how = (
        "staircase Lx·hx/2 + Ly·hy/2 (blended, as in 1D, across edges); corner: a nested tower's weight, the hole "
        "at its inner corner; leak: Σ|Hₖ|·σ(−W(½ − 2σ(−S/2))) from the threshold layer; " + k["how"]
    )
    return stair + corner + leak + max(offset, 0.0), terms, how


def _hats_bound(net, target, sigmoid_output: bool) -> tuple[float, dict[str, float], str]:
    m = int(net.info["cells"][0])
    (a, b), (c, d) = target.domain
    hx, hy = (b - a) / m, (d - c) / m
    k = constants_2d(target, sigmoid_output, m)
    interp = k["M"] * (hx**2 + hy**2) / 8
    how = "interpolant on right triangles: M·(hx² + hy²)/8, M the largest Hessian norm; " + k["how"]
    return interp, {"interpolant": interp}, how


def _ridge_bound(net, target, sigmoid_output: bool) -> tuple[float, dict[str, float], str]:
    expr, names = formula(target, sigmoid_output)
    (a, b), (c, d) = target.domain
    n = BARRON_GRID
    u = (np.arange(n) + 0.5) / n
    X, Y = np.meshgrid(a + (b - a) * u, c + (d - c) * u, indexing="ij")
    F = numeric(expr, names)(X, Y)
    if not np.all(np.isfinite(F)):
        raise NoBound("f is not finite on the cosine-transform grid")
    C = np.cos(np.pi * np.arange(n)[:, None] * u[None, :])  # (n, n): cos(π k (j + ½)/n)
    A = 4.0 * C @ F @ C.T / (n * n)  # cosine-series coefficients (mirror extension of f), DCT-II
    A[0, :] /= 2
    A[:, 0] /= 2
    kx, ky = np.meshgrid(np.pi * np.arange(n) / (b - a), np.pi * np.arange(n) / (d - c), indexing="ij")
    cf = float(np.sum(np.hypot(kx, ky) * np.abs(A)))
    r = 0.5 * math.hypot(b - a, d - c)
    value = 2.0 * r * cf / math.sqrt(net.n_hidden)
    how = (
        f"Barron: 2·r·C_f/√n with r = {r:.4g} (the box's half-diagonal) and C_f = Σ|ω||â(ω)| = {cf:.4g} from a "
        f"{n}×{n} cosine transform of f on the box (mirror extension): an L² estimate, shown for its 1/√n slope, "
        "not a certified max-error bound"
    )
    return value, {"barron": value, "C_f": cf}, how


# -- the output neuron ---------------------------------------------------------------------------------------------
def _through_sigmoid(bound_g: float, target) -> tuple[float, str]:
    """A bound on |σ(z) − σ(g)| from |z − g| ≤ B: B times the largest σ′ within B of g's range."""
    coords = [np.linspace(lo, hi, 2001) for lo, hi in target.domain]
    f = target.evaluate(*np.meshgrid(*coords, indexing="ij"))
    with np.errstate(all="ignore"):
        g = np.log(f / (1.0 - f))
    lo, hi = float(np.min(g)) - bound_g, float(np.max(g)) + bound_g
    t = 0.0 if lo <= 0.0 <= hi else min(abs(lo), abs(hi))
    slope = float(expit(t) * expit(-t))
    return slope * bound_g, f"sigmoid output: the σ⁻¹∘f bound times max σ′ = {slope:.4g} within it of σ⁻¹∘f's range"


# -- the entry point ------------------------------------------------------------------------------------------------
_BOUNDS_1D = {"steps": _steps_bound, "bumps": _steps_bound, "heaviside": _steps_bound, "relu": _relu_bound}
_BOUNDS_2D = {"towers": _towers_bound, "relu": _hats_bound, "ridge": _ridge_bound}


def bound(net, target) -> Bound:
    """The a-priori bound on ``net``'s max error that its construction's argument gives for ``target``.

    Parameters
    ----------
    net : Network
        A network built by :func:`univ.construct` (its ``info`` names the method; its weights are read).
    target : Target
        The target it was built for (its parsed expression supplies the derivatives).

    Returns
    -------
    Bound
        ``value`` (None with ``reason`` when a constant cannot be bounded: a jump, an unbounded derivative, a
        data target or a Python function, a trained net), ``terms``, and ``method`` saying how each constant was
        obtained. Never NaN or inf.

    Examples
    --------
    >>> from univ import construct, parse
    >>> t = parse("sin(3x)")
    >>> b = bound(construct(t, 20, method="relu"), t)
    >>> sorted(b.terms), round(b.value / (9 / 20**2 / 8), 2)  # h²·max|f″|/8 with h = 1/20, max|f″| = 9
    (['interpolant', 'rounding'], 1.0)
    """
    info = getattr(net, "info", None) or {}
    method = info.get("method")
    dimension = getattr(target, "dimension", None)
    if method is None:
        return Bound(None, reason="a trained network: no construction's argument bounds it")
    if method == "sawtooth":
        return Bound(None, reason="the deep sawtooth computes its target exactly; see sawtooth_floor for shallow nets")
    table = _BOUNDS_1D if dimension == 1 else _BOUNDS_2D
    if method not in table or net.input_dim != dimension:
        return Bound(None, reason=f"no bound is known for {method!r} in {dimension}D")
    sigmoid_output = net.output.activation == "sigmoid"
    try:
        value, terms, how = table[method](net, target, sigmoid_output)
        if sigmoid_output:
            value, note = _through_sigmoid(value, target)
            how = f"{how}; {note}"
    except NoBound as exc:
        return Bound(None, reason=str(exc))
    if not (math.isfinite(value) and all(math.isfinite(t) for t in terms.values())):
        return Bound(None, terms={}, reason="a constant came out infinite: f's derivatives are not bounded")
    return Bound(float(value), {k: float(t) for k, t in terms.items()}, how, estimate=method == "ridge")


# -- depth -----------------------------------------------------------------------------------------------------------
def sawtooth_floor(units: int, depth: int) -> float:
    """The least max error any one-hidden-layer net of ``units`` ReLU units (linear output) can have against the
    2^depth-piece sawtooth: ½ if 2·units < 2^depth − 1, ¼ if units < 2^depth − 1, else 0.

    Such a net has at most ``units`` kinks. On a window around a tooth's tip (or a valley) holding no kink the net
    is linear, and a line misses a tent of height 1 over [tᵢ₋₁, tᵢ₊₁] by ½ somewhere (by ¼ over the half-width
    window); each kink lies in at most two of the 2^depth − 1 full windows and in at most one half window.

    Examples
    --------
    >>> sawtooth_floor(8, 4), sawtooth_floor(6, 4), sawtooth_floor(15, 4)
    (0.25, 0.5, 0.0)
    """
    tips = 2**depth - 1
    if 2 * units < tips:
        return 0.5
    if units < tips:
        return 0.25
    return 0.0


# -- how many neurons the bound alone would need ------------------------------------------------------------------
def neurons_for_bound(target, eps: float, method: str, max_neurons: int | None = None, **options) -> tuple:
    """The smallest valid count (doubling, then bisection over the method's ladder) whose bound is at most ``eps``.

    Returns ``(neurons, Bound)``; ``neurons`` is None (with the last Bound tried) when the bound is None or never
    reaches ``eps`` within ``max_neurons`` (default the method's largest count).
    """
    builder = METHODS[method].builder(target.dimension)
    top = builder.max_neurons if max_neurons is None else min(max_neurons, builder.max_neurons)

    def at(k: int) -> Bound:
        return bound(construct(target, builder.count(k), method=method, **options), target)

    k = builder.k_min
    last = at(k)
    if last.value is None:
        return None, last
    if last.value <= eps:
        return builder.count(k), last
    step = 1
    while True:
        nxt = k + step
        if builder.count(nxt) > top:
            return None, last
        cur = at(nxt)
        if cur.value is None:
            return None, cur
        if cur.value <= eps:
            break
        k, last, step = nxt, cur, 2 * step
    lo, hi, best = k, nxt, cur  # bound(lo) > eps ≥ bound(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        b = at(mid)
        if b.value is not None and b.value <= eps:
            hi, best = mid, b
        else:
            lo = mid
    return builder.count(hi), best


# -- a sweep's bounds ------------------------------------------------------------------------------------------------
def sweep_bounds(target, methods, neurons) -> tuple[dict[str, list], dict[str, float | None]]:
    """The bound of each construction method at each neuron count, and its log-log slope against N.

    Methods that are not constructions (fit, poly, spline) are left out; a count a method refuses, or a target
    whose constants cannot be bounded, gives None there. Returns ``(bounds, slopes)`` keyed by method.
    """
    values: dict[str, list] = {}
    slopes: dict[str, float | None] = {}
    for m in methods:
        if m not in METHODS or target.dimension not in METHODS[m].builders:
            continue
        row = []
        for n in neurons:
            try:
                row.append(bound(construct(target, int(n), method=m), target).value)
            except UnivError:  # a count this method refuses (bumps: odd)
                row.append(None)
        values[m] = row
        pairs = [(n, v) for n, v in zip(neurons, row) if v is not None and v > 0]
        slopes[m] = convergence_slope(*zip(*pairs)) if len(pairs) >= 2 else None
    return values, slopes
