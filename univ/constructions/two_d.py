"""Hand-built networks for f(x, y): Nielsen's towers (two hidden layers), ridge steps (one), ReLU hats (two).

``towers``
    Layer 1: sigmoid steps in x at the m + 1 cell edges and in y at the m + 1 cell edges (shared edges; the two
    outermost steps of each axis sit outside the domain so edge cells are not halved), w = steepness / cell
    width. A bump is the difference of two x-steps (or y-steps), a linear combination layer 2 forms for free.
    Layer 2: m² sigmoid neurons σ(W·(bump_x + bump_y − 3/2)) — Nielsen's threshold: where both bumps are ≈1 the
    input is +W/2, on the cross's arms −W/2, elsewhere −3W/2, so W = ``TOWER_STEEPNESS`` leaves a clean tower.
    Output: a linear neuron summing the towers.
    The towers are *nested*, as chained steps are in 1D: tower (i, j) stands on the block of cells from (i, j)
    to the domain's far corner, and its output weight is the 2D difference of f at the cell centres,
    F[i, j] − F[i−1, j] − F[i, j−1] + F[i−1, j−1], so inside cell (i, j) the towers add up to F[i, j].
    Why not one tower per cell weighted by F[i, j] (``tower_grid(..., layout="tiled")``)? Where four tiles meet,
    each of their towers sees bump_x + bump_y ≈ ½ + ½ < 3/2 and all four switch off together: a hole as deep
    as f at every inner corner (the 2D window of failure), which no threshold removes and which the 301×301
    measuring grid hits whenever cell edges fall on it. A nested tower has a single corner inside the domain,
    and the hole there costs only its weight, a second difference ≈ h_x h_y f_xy.

    Neuron split: with m × m cells, layer 1 has (m + 1) + (m + 1) steps and layer 2 has m² towers, in all
    (m + 1)² + 1 ≤ N, so m = ⌊√(N − 1)⌋ − 1 (N ≥ 5 for one cell); the leftover N − (m + 1)² − 1 stay unused.

``ridge``
    One hidden layer only (Nielsen's closing problem): sigmoid steps σ(w·(u − s)) along K directions
    u = ξ cos θ + η sin θ (ξ, η the domain mapped onto [−1, 1]²), P steps per direction spread over the range of
    u, w = steepness / step spacing. The hidden layer is placed by hand; the output weights are fitted by a
    ridge-regularised linear least-squares solve on a fitting grid (not the measuring grid). A finite
    one-hidden-layer net cannot make a compactly supported tower in 2D, so this approximates, and its error
    falls as N grows. Split: K = max(2, round(√(N/2))) directions, N // K steps each, the first N mod K
    directions one more, so exactly N neurons.

``relu``
    The piecewise-linear interpolant on an (m + 1) × (m + 1) node grid, each square cut along the diagonal
    x − y = const. The hat at node (i, j) is exactly relu(1 − ½(|u| + |v| + |u − v|)), u, v the offsets in cells,
    because |u| + |v| + |u − v| = 2·max(|u|, |v|, |u − v|). Layer 1 forms each |·| as relu(z) + relu(−z) on
    the m + 1 x-lines, m + 1 y-lines and 2m + 1 diagonals: 8m + 6 neurons; layer 2 holds the (m + 1)² hats;
    the output weights are f at the nodes. In all (m + 1)² + 8m + 6 = (m + 5)² − 18 ≤ N, m = ⌊√(N + 18)⌋ − 5.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..errors import ConfigError
from ..network import Layer, Network
from .config import DEFAULT_STEEPNESS, OUTER_MARGIN_LOGITS, ConstructConfig
from .registry import Layout, register

TOWER_STEEPNESS = 40.0  # layer-2 weight on each bump (Nielsen's h; bias −3h/2): σ(±20) = 1 − 2e−9 and 2e−9
RIDGE_FIT_POINTS = 3  # fitting points per hidden neuron (grid of ⌈√(3N)⌉ + 10 per side)
RIDGE_REGULARISATION = 1e-6  # λ relative to the mean diagonal of AᵀA
FIT_CHUNK_ELEMENTS = 1 << 22  # floats per block of the design matrix while accumulating AᵀA


# -- cell grids and the split --------------------------------------------------------------------------
def tower_cells(neurons: int) -> int:
    """Cells per side m of the largest m × m tower grid in ``neurons``: 2(m + 1) steps + m² towers = (m + 1)² + 1."""
    return max(math.isqrt(max(neurons - 1, 0)) - 1, 0)


def relu_cells(neurons: int) -> int:
    """Cells per side m of the largest hat grid within ``neurons``: (m + 1)² + 8m + 6 = (m + 5)² − 18."""
    return max(math.isqrt(neurons + 18) - 5, 0)


def ridge_split(neurons: int) -> list[int]:
    """Steps per direction for ``ridge``: K = max(2, round(√(N/2))) directions sharing exactly N steps."""
    k = max(2, round(math.sqrt(neurons / 2)))
    p, extra = divmod(neurons, k)
    return [p + 1] * extra + [p] * (k - extra)


# -- one tower -----------------------------------------------------------------------------------------
def tower(
    x0: float,
    x1: float,
    y0: float,
    y1: float,
    height: float = 1.0,
    steepness: float = DEFAULT_STEEPNESS,
    tower_steepness: float = TOWER_STEEPNESS,
) -> Network:
    """One Nielsen tower of ``height`` over [x0, x1] × [y0, y1]: 4 steps, 1 threshold neuron, a linear output.

    Parameters
    ----------
    x0, x1, y0, y1 : float
        The tower's footprint (x0 < x1, y0 < y1).
    height : float
        Output weight: ≈ height inside, ≈ 0 away from the footprint.
    steepness : float
        Layer-1 sigmoid weight times the footprint's width (x) or height (y).
    tower_steepness : float
        Layer-2 weight W on each bump; the bias is −3W/2.

    Returns
    -------
    Network
        Layer 1 (4 sigmoid steps, in order: x at x0, x at x1, y at y0, y at y1), layer 2 (1 sigmoid neuron),
        linear output. ``net.hidden_output(X, Y, layer=0)`` gives the four steps, so the x-bump is column 0
        minus column 1 and the y-bump column 2 minus column 3; ``layer=1`` gives the tower before its height.

    Examples
    --------
    >>> t = tower(0.4, 0.6, 0.4, 0.6, height=2.0)
    >>> round(float(t(0.5, 0.5)), 6), round(float(t(0.9, 0.5)), 6)
    (2.0, 0.0)
    """
    vals = [float(v) for v in (x0, x1, y0, y1, height, steepness, tower_steepness)]
    if not all(math.isfinite(v) for v in vals):
        raise ConfigError(f"tower needs finite numbers, got {tuple(vals)}")
    x0, x1, y0, y1, height, steepness, tower_steepness = vals
    if not (x0 < x1 and y0 < y1):
        raise ConfigError(f"a tower needs x0 < x1 and y0 < y1, got [{x0:g}, {x1:g}] × [{y0:g}, {y1:g}]")
    if not (0 < steepness <= 1e6 and 0 < tower_steepness <= 1e6):
        raise ConfigError(
            f"steepness and tower_steepness must be positive up to 1e6, got {steepness}, {tower_steepness}"
        )
    wx, wy = steepness / (x1 - x0), steepness / (y1 - y0)
    w1 = np.array([[wx, wx, 0.0, 0.0], [0.0, 0.0, wy, wy]])  # (2, 4)
    b1 = np.array([-wx * x0, -wx * x1, -wy * y0, -wy * y1])
    W = tower_steepness
    w2 = np.array([[W], [-W], [W], [-W]])  # bump_x + bump_y, scaled
    info = {
        "method": "tower",
        "dimension": 2,
        "domain": [[x0, x1], [y0, y1]],
        "height": height,
        "steepness": steepness,
        "tower_steepness": tower_steepness,
        "hidden_layers": [4, 1],
        "x_steps": [0, 1],
        "y_steps": [2, 3],
    }
    net = Network(
        [Layer(w1, b1, "sigmoid"), Layer(w2, [-1.5 * W], "sigmoid"), Layer([[height]], [0.0], "linear")], info=info
    )
    net.layout = Layout("tower", "tower", 1, ((0,),), ((x0, x1), (y0, y1)), steepness)
    return net


# -- towers --------------------------------------------------------------------------------------------
def _axis_steps(lo: float, hi: float, m: int, steepness: float) -> tuple[np.ndarray, float, np.ndarray]:
    """Edges, weight and step positions along one axis; the outer two steps pushed outside the domain."""
    edges = np.linspace(lo, hi, m + 1)
    w = steepness / (edges[1] - edges[0])
    pos = edges.copy()
    pos[0] = lo - OUTER_MARGIN_LOGITS / w  # σ(0) = ½ on the domain's edge would halve the edge cells
    pos[-1] = hi + OUTER_MARGIN_LOGITS / w
    return edges, w, pos


LAYOUTS = ("nested", "tiled")


def tower_grid(
    g: Callable[[np.ndarray, np.ndarray], np.ndarray],
    domain,
    cells: int,
    steepness: float = DEFAULT_STEEPNESS,
    tower_steepness: float = TOWER_STEEPNESS,
    layout: str = "nested",
    output: str = "linear",
) -> Network:
    """Towers on a ``cells`` × ``cells`` grid over ``domain`` = ((a, b), (c, d)), heights from ``g`` at the centres.

    Parameters
    ----------
    g : callable
        ``g(X, Y)``, already checked: what the output neuron's input should match (f for a linear output,
        σ⁻¹(f) for a sigmoid one).
    layout : str
        ``nested`` (default): tower (i, j) over cells (i..m−1) × (j..m−1), weighted by the 2D difference of the
        centre values. ``tiled``: Nielsen's plain version, tower (i, j) over cell (i, j) alone, weighted by its
        centre value — with a hole at every inner corner (see the module docstring).

    Returns
    -------
    Network
        Layer 1: x-steps (columns 0..m) then y-steps (columns m+1..2m+1); layer 2: towers, tower k = i·m + j
        over cell (i, j) (tiled) or standing from it (nested); a linear (or sigmoid) output.
    """
    if layout not in LAYOUTS:
        raise ConfigError(f"unknown tower layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    (a, b), (c, d) = domain
    m = int(cells)
    if m < 1:
        raise ConfigError(f"a tower grid needs at least one cell per side, got {cells!r}")
    ex, wx, px = _axis_steps(a, b, m, steepness)
    ey, wy, py = _axis_steps(c, d, m, steepness)
    n1 = 2 * (m + 1)
    w1 = np.zeros((2, n1))  # (2, n1): columns 0..m are x-steps, m+1..2m+1 are y-steps
    w1[0, : m + 1], w1[1, m + 1 :] = wx, wy
    b1 = np.concatenate([-wx * px, -wy * py])

    cx, cy = 0.5 * (ex[:-1] + ex[1:]), 0.5 * (ey[:-1] + ey[1:])
    F = np.asarray(g(*np.meshgrid(cx, cy, indexing="ij")), dtype=float)  # (m, m), F[i, j] at (cx[i], cy[j])

    W = float(tower_steepness)
    i, j = np.meshgrid(np.arange(m), np.arange(m), indexing="ij")
    i, j = i.ravel(), j.ravel()
    k = np.arange(m * m)  # tower k = i*m + j
    far_x, far_y = (m, 2 * m + 1) if layout == "nested" else (i + 1, m + 2 + j)  # where each bump comes down
    w2 = np.zeros((n1, m * m))
    w2[i, k], w2[far_x, k] = W, -W  # bump_x: x-step at x_i minus the x-step where the tower ends
    w2[m + 1 + j, k], w2[far_y, k] = W, -W  # bump_y, likewise
    if layout == "nested":
        # F[i,j] − F[i−1,j] − F[i,j−1] + F[i−1,j−1]
        heights = np.diff(np.diff(F, axis=0, prepend=0.0), axis=1, prepend=0.0)
    else:
        heights = F
    layers = [
        Layer(w1, b1, "sigmoid"),
        Layer(w2, np.full(m * m, -1.5 * W), "sigmoid"),
        Layer(heights.reshape(-1, 1), [0.0], output),
    ]
    info = {
        "dimension": 2,
        "domain": [[float(a), float(b)], [float(c), float(d)]],
        "hidden_layers": [n1, m * m],
        "split": {"x_steps": m + 1, "y_steps": m + 1, "towers": m * m},
        "cells": [m, m],
        "layout": layout,
        "steepness": float(steepness),
        "tower_steepness": W,
        "step_weights": [float(wx), float(wy)],
        "x_steps": [0, m],
        "y_steps": [m + 1, 2 * m + 1],
        "edges": [ex.tolist(), ey.tolist()],
    }
    net = Network(layers, info=info)
    towers = tuple((t,) for t in range(m * m))  # tower k = i·m + j, in layer 2
    net.layout = Layout("towers", "tower", 1, towers, (tuple(ex.tolist()), tuple(ey.tolist())), float(steepness))
    return net


def _towers(g, domain, cfg: ConstructConfig) -> Network:
    return tower_grid(g, domain, tower_cells(cfg.neurons), steepness=cfg.steepness, output=cfg.output)


# -- ridge ---------------------------------------------------------------------------------------------
def _ridge_hidden(domain, per_direction: list[int], steepness: float) -> tuple[Layer, dict]:
    """Sigmoid steps along K directions in the domain mapped onto [−1, 1]², as a layer on (x, y)."""
    (a, b), (c, d) = domain
    k = len(per_direction)
    theta = np.pi * (np.arange(k) + 0.5) / k  # no direction exactly along an axis
    cos, sin = np.cos(theta), np.sin(theta)
    reach = np.abs(cos) + np.abs(sin)  # u = ξ cos θ + η sin θ ranges over [−reach, reach]
    rows_w, rows_s, dirs = [], [], []
    for q, p in enumerate(per_direction):
        s = reach[q] * (-1.0 + (2.0 * np.arange(p) + 1.0) / p)  # (p,) step positions, none at the ends
        w = steepness * p / (2.0 * reach[q])  # steepness over the spacing between steps
        rows_w.append(np.full(p, w))
        rows_s.append(s)
        dirs.append(np.full(p, q))
    w_u, s_u, q = np.concatenate(rows_w), np.concatenate(rows_s), np.concatenate(dirs)
    # w (u − s) with ξ = (2x − a − b)/(b − a), η = (2y − c − d)/(d − c), written in x and y
    kx, ky = 2.0 * cos[q] / (b - a), 2.0 * sin[q] / (d - c)
    w = np.stack([w_u * kx, w_u * ky])  # (2, N)
    bias = -w_u * (cos[q] * (a + b) / (b - a) + sin[q] * (c + d) / (d - c) + s_u)
    return Layer(w, bias, "sigmoid"), {"directions": k, "angles": theta.tolist()}


def _ridge(g, domain, cfg: ConstructConfig) -> Network:
    n = cfg.neurons  # within the registry's range: configure checked it
    per = ridge_split(n)
    hidden, extra = _ridge_hidden(domain, per, cfg.steepness)
    (a, b), (c, d) = domain
    side = math.ceil(math.sqrt(RIDGE_FIT_POINTS * n)) + 10
    X, Y = np.meshgrid(np.linspace(a, b, side), np.linspace(c, d, side))
    pts = np.stack([X.ravel(), Y.ravel()], axis=1)  # (side², 2)
    target = np.asarray(g(X.ravel(), Y.ravel()), dtype=float)
    # normal equations of the design matrix [hidden outputs, 1], accumulated in row blocks
    gram = np.zeros((n + 1, n + 1))
    rhs = np.zeros(n + 1)
    rows = max(256, FIT_CHUNK_ELEMENTS // (n + 1))
    for start in range(0, len(pts), rows):
        A = np.empty((min(rows, len(pts) - start), n + 1))
        A[:, :n] = hidden(pts[start : start + rows])
        A[:, n] = 1.0
        gram += A.T @ A
        rhs += A.T @ target[start : start + rows]
    lam = RIDGE_REGULARISATION * np.trace(gram) / (n + 1)
    gram[np.diag_indices_from(gram)] += lam
    try:
        coef = np.linalg.solve(gram, rhs)
    except np.linalg.LinAlgError:  # pragma: no cover - λ > 0 keeps the matrix positive definite
        coef = np.linalg.lstsq(gram, rhs, rcond=None)[0]
    fitted = np.concatenate([hidden(pts[s : s + rows]) @ coef[:n] for s in range(0, len(pts), rows)]) + coef[n]
    net = Network([hidden, Layer(coef[:n].reshape(-1, 1), [coef[n]], cfg.output)])
    net.info = {
        "dimension": 2,
        "domain": [[float(a), float(b)], [float(c), float(d)]],
        "hidden_layers": [n],
        "split": {"directions": extra["directions"], "steps_per_direction": per},
        "steepness": float(cfg.steepness),
        "angles": extra["angles"],
        "output_fit": "ridge-regularised least squares (numpy.linalg.solve of AᵀA + λI)",
        "fit_grid": [side, side],
        "regularisation": float(lam),
        "fit_rmse": float(np.sqrt(np.mean((fitted - target) ** 2))),
    }
    net.layout = Layout("ridge", "ridge step", 0, tuple((j,) for j in range(n)), (), float(cfg.steepness))
    return net


# -- relu hats -----------------------------------------------------------------------------------------
def hat_grid(g, domain, cells: int, output: str = "linear") -> Network:
    """Piecewise-linear interpolant of ``g`` on a triangulated (cells+1)² node grid: ReLU hats, two hidden layers."""
    (a, b), (c, d) = domain
    m = int(cells)
    if m < 1:
        raise ConfigError(f"a hat grid needs at least one cell per side, got {cells!r}")
    hx, hy = (b - a) / m, (d - c) / m
    lines = np.arange(m + 1)
    diag = np.arange(-m, m + 1)
    # z for each line, in cells: u − i, v − j, (u − v) − k with u = (x − a)/hx, v = (y − c)/hy
    zw = np.concatenate(
        [
            np.tile([[1 / hx], [0.0]], m + 1),
            np.tile([[0.0], [1 / hy]], m + 1),
            np.tile([[1 / hx], [-1 / hy]], 2 * m + 1),
        ],
        axis=1,
    )  # (2, L)
    zb = np.concatenate([-a / hx - lines, -c / hy - lines, -a / hx + c / hy - diag])  # (L,)
    n_lines = zb.size
    w1 = np.concatenate([zw, -zw], axis=1)  # relu(z) then relu(−z): |z| = sum of the pair
    b1 = np.concatenate([zb, -zb])
    i, j = np.meshgrid(lines, lines, indexing="ij")
    i, j = i.ravel(), j.ravel()  # hat p sits on node (i, j)
    n2 = i.size
    w2 = np.zeros((2 * n_lines, n2))
    p = np.arange(n2)
    for line in (i, m + 1 + j, 2 * (m + 1) + (i - j) + m):  # the three lines through node (i, j)
        w2[line, p] -= 0.5
        w2[line + n_lines, p] -= 0.5
    xs, ys = a + hx * lines, c + hy * lines
    F = np.asarray(g(*np.meshgrid(xs, ys, indexing="ij")), dtype=float).ravel()
    layers = [Layer(w1, b1, "relu"), Layer(w2, np.ones(n2), "relu"), Layer(F.reshape(-1, 1), [0.0], output)]
    info = {
        "dimension": 2,
        "domain": [[float(a), float(b)], [float(c), float(d)]],
        "hidden_layers": [2 * n_lines, n2],
        "split": {"x_lines": 2 * (m + 1), "y_lines": 2 * (m + 1), "diagonals": 2 * (2 * m + 1), "hats": n2},
        "cells": [m, m],
        "steepness": None,
        "triangulation": "each cell cut along its diagonal x − y = const",
    }
    net = Network(layers, info=info)
    net.layout = Layout("relu", "hat", 1, tuple((p,) for p in range(n2)), (tuple(xs.tolist()), tuple(ys.tolist())))
    return net


def _relu(g, domain, cfg: ConstructConfig) -> Network:
    return hat_grid(g, domain, relu_cells(cfg.neurons), output=cfg.output)


def check_2d(cfg: ConstructConfig) -> None:
    """The 1D-only options a 2D construction refuses, before any work (its counts: ``Builder.check_neurons``)."""
    if cfg.weight is not None:
        raise ConfigError("a fixed --weight is a 1D demonstration; in 2D set --steepness instead")
    if cfg.knots != "uniform":
        raise ConfigError(f"{cfg.knots} knots are 1D only; 2D grids are uniform")


register("towers", 2, _towers, "Nielsen's towers: x- and y-steps thresholded in a second hidden layer")
register("ridge", 2, _ridge, "one hidden layer of steps along many directions, output by least squares")
register("relu", 2, _relu, "ReLU hats on a triangulation: the piecewise-linear interpolant, two hidden layers")


__all__ = ["check_2d", "hat_grid", "relu_cells", "ridge_split", "tower", "tower_cells", "tower_grid"]
