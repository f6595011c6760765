"""1D constructions in one hidden layer: sigmoid steps and bumps, ReLU hinges, ideal steps (Nielsen ch. 4).

Beside Nielsen's defaults, three options show how good one hidden layer can be: ``knots="equalized"`` (cells
moved until each cell's error estimate is equal), ``heights="lstsq"`` (output weights by least squares on the same
hidden layer) and ``steepness="auto"`` (the steepness that minimises the certified max error for this N).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ..errors import DomainError, UnivError
from ..measure import measure
from ..network import Layer, Network
from ..target import Target
from .config import AUTO, OUTER_MARGIN_LOGITS, ConstructConfig
from .registry import METHODS, Layout, register

ADAPTIVE_SAMPLES = 33  # points per cell when estimating a cell's error for adaptive knots
EQUALIZE_ITERATIONS = 40  # de Boor equidistribution sweeps for equalized knots
EQUALIZE_DAMPING = 0.5  # each sweep moves the edges this far toward the equidistributed ones
AUTO_STEEPNESS_RANGE = (0.25, 400.0)  # steepness="auto" searches log steepness within this range
AUTO_SCAN = 9  # coarse scan before the bounded search
AUTO_REFINE_STEPS = 14  # at most this many evaluations of the bounded search in the best bracket
AUTO_REFINE_TOL = 1e-3  # it stops when it has the minimum to this fraction of the bracket
LSTSQ_POINTS_PER_NEURON = 6  # fitting points (Gauss–Legendre) per hidden neuron for heights="lstsq"
LSTSQ_MIN_POINTS = 4001
LSTSQ_CHUNK_ELEMENTS = 1 << 22  # floats per block of the design matrix while accumulating its Gram matrix


# -- cells ---------------------------------------------------------------------------------------------
def uniform_edges(a: float, b: float, cells: int) -> np.ndarray:
    """``cells + 1`` equally spaced edges from a to b."""
    return np.linspace(a, b, cells + 1)


def adaptive_edges(g: Callable[[np.ndarray], np.ndarray], a: float, b: float, cells: int, degree: int) -> np.ndarray:
    """Edges placed by the function's shape: repeatedly halve the cell whose error is largest.

    ``degree`` 0 measures a cell by how far g strays from its value at the midpoint (the error of a step
    approximation, driven by slope); ``degree`` 1 by how far g strays from the chord (the error of linear
    interpolation, driven by curvature). Halving the worst cell until the budget is spent equidistributes
    that error, which is what equidistributing |f'| or |f''|^½ aims at, and it copes with singular
    derivatives such as sqrt(x) at 0 where a derivative estimate would not.
    """
    s = np.linspace(0.0, 1.0, ADAPTIVE_SAMPLES)

    def cell_error(lo: float, hi: float) -> float:
        x = lo + (hi - lo) * s
        y = g(x)
        if degree == 0:
            ref = g(np.array([0.5 * (lo + hi)]))[0]
        else:
            ref = y[0] + (y[-1] - y[0]) * s
        return float(np.max(np.abs(y - ref)))

    heap = [(-cell_error(a, b), a, b)]
    while len(heap) < cells:
        _, lo, hi = heapq.heappop(heap)
        mid = 0.5 * (lo + hi)
        if not lo < mid < hi:  # cannot split further in floating point
            heapq.heappush(heap, (0.0, lo, hi))
            break
        heapq.heappush(heap, (-cell_error(lo, mid), lo, mid))
        heapq.heappush(heap, (-cell_error(mid, hi), mid, hi))
    edges = sorted({a, b, *(c[1] for c in heap), *(c[2] for c in heap)})
    if len(edges) != cells + 1:
        raise DomainError(f"could not place {cells} adaptive cells on [{a:g}, {b:g}]; try uniform knots")
    return np.array(edges)


def cell_errors(g: Callable[[np.ndarray], np.ndarray], edges: np.ndarray, degree: int) -> np.ndarray:
    """Each cell's error estimate, as ``adaptive_edges`` measures it, for all cells at once: (cells,)."""
    s = np.linspace(0.0, 1.0, ADAPTIVE_SAMPLES)
    lo, hi = edges[:-1, None], edges[1:, None]
    y = g((lo + (hi - lo) * s).ravel()).reshape(-1, s.size)  # (cells, S)
    if degree == 0:
        ref = g(0.5 * (edges[:-1] + edges[1:]))[:, None]
    else:
        ref = y[:, :1] + (y[:, -1:] - y[:, :1]) * s
    return np.max(np.abs(y - ref), axis=1)


def equalized_edges(g: Callable[[np.ndarray], np.ndarray], a: float, b: float, cells: int, degree: int) -> np.ndarray:
    """Edges that make every cell's error estimate the same: de Boor's equidistribution, iterated.

    A cell's error behaves like C·hᵖ (p = 1 for a step's value at the middle, 2 for linear interpolation), so
    E^(1/p)/h estimates C^(1/p) on the cell; placing the new edges at equal fractions of the integral of that
    monitor makes every E^(1/p) — hence every E — equal at the fixed point. Starts from the adaptive halving
    (which copes with singular derivatives such as sqrt(x) at 0) and keeps the sweep with the smallest worst cell.
    """
    p = 1.0 if degree == 0 else 2.0
    try:
        edges = adaptive_edges(g, a, b, cells, degree)
    except DomainError:  # halving ran out of floating point: start from equal cells instead
        edges = uniform_edges(a, b, cells)
    errors = cell_errors(g, edges, degree)
    best, best_err = edges, float(errors.max())
    for _ in range(EQUALIZE_ITERATIONS):
        mass = errors ** (1.0 / p)
        mass = mass + 1e-12 * max(float(mass.sum()), 1e-300) / cells  # keep the cumulative strictly increasing
        cumulative = np.concatenate([[0.0], np.cumsum(mass)])
        target = np.interp(np.linspace(0.0, cumulative[-1], cells + 1), cumulative, edges)
        new = (1.0 - EQUALIZE_DAMPING) * edges + EQUALIZE_DAMPING * target
        new[0], new[-1] = a, b
        if not np.all(np.diff(new) > 0):
            break
        edges = new
        errors = cell_errors(g, edges, degree)
        if errors.max() < best_err:
            best, best_err = edges, float(errors.max())
    return best


def _edges(g, a: float, b: float, cells: int, knots: str, degree: int) -> np.ndarray:
    if knots == "adaptive":
        return adaptive_edges(g, a, b, cells, degree)
    if knots == "equalized":
        return equalized_edges(g, a, b, cells, degree)
    return uniform_edges(a, b, cells)


def _step_weights(edges: np.ndarray, cfg: ConstructConfig) -> np.ndarray:
    """Sigmoid weight for a step at each interior edge: steepness over the narrower neighbouring cell."""
    if cfg.weight is not None:
        return np.full(len(edges) - 2, float(cfg.weight))
    widths = np.diff(edges)
    return cfg.steepness / np.minimum(widths[:-1], widths[1:])


# -- the methods ---------------------------------------------------------------------------------------
# each takes the cell edges already placed (so steepness="auto" places them once) and returns the hidden layer,
# the output weights and {"bias", "edges"}
def _steps(g, edges: np.ndarray, cfg: ConstructConfig, activation: str) -> tuple[Layer, np.ndarray, dict]:
    """N chained steps over N+1 cells: the bias is the first cell, each step adds the jump to the next."""
    n = cfg.neurons
    mids = 0.5 * (edges[:-1] + edges[1:])
    v = g(mids)  # (N+1,) cell values
    s = edges[1:-1]  # (N,) interior edges: no step sits on a domain end
    w = np.ones(n) if activation == "heaviside" else _step_weights(edges, cfg)
    hidden = Layer(w.reshape(1, -1), -w * s, activation)
    return hidden, np.diff(v), {"bias": float(v[0]), "edges": edges}


def _bumps(g, edges: np.ndarray, cfg: ConstructConfig) -> tuple[Layer, np.ndarray, dict]:
    """N/2 bumps, each a pair of steps with output weights +h and -h, h the cell's value."""
    m = cfg.neurons // 2
    a, b = float(edges[0]), float(edges[-1])
    mids = 0.5 * (edges[:-1] + edges[1:])
    h = g(mids)  # (M,) bump heights
    widths = np.diff(edges)
    if cfg.weight is not None:
        w_edge = np.full(m + 1, float(cfg.weight))
    else:
        # interior edges: steepness over the narrower neighbour; the two ends: over their own cell
        narrow = np.concatenate([[widths[0]], np.minimum(widths[:-1], widths[1:]), [widths[-1]]])
        w_edge = cfg.steepness / narrow
    s = edges.copy()
    # σ(0) = ½: a step on the domain's end would halve the first and last bump, so push them outside
    s[0] = a - OUTER_MARGIN_LOGITS / w_edge[0]
    s[-1] = b + OUTER_MARGIN_LOGITS / w_edge[-1]
    left, right = np.arange(m), np.arange(1, m + 1)
    pos = np.empty(2 * m)  # neuron 2j is bump j's rising step, 2j+1 its falling step
    pos[0::2], pos[1::2] = s[left], s[right]
    w = np.empty(2 * m)
    w[0::2], w[1::2] = w_edge[left], w_edge[right]
    out = np.empty(2 * m)
    out[0::2], out[1::2] = h, -h
    hidden = Layer(w.reshape(1, -1), -w * pos, "sigmoid")
    return hidden, out, {"bias": 0.0, "edges": edges}


def _relu(g, knots: np.ndarray, cfg: ConstructConfig) -> tuple[Layer, np.ndarray, dict]:
    """N ReLU hinges at the knots: exactly the piecewise-linear interpolant through N+1 knots."""
    n = cfg.neurons
    y = g(knots)  # (N+1,)
    hidden = Layer(np.ones((1, n)), -knots[:-1], "relu")
    out, bias = _hinge_weights(knots, y)
    return hidden, out, {"bias": bias, "edges": knots}


def _hinge_weights(knots: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Output weights and bias of hinges at knots[:-1] whose sum passes through (knots, y)."""
    slopes = np.diff(y) / np.diff(knots)  # (N,)
    return np.diff(slopes, prepend=0.0), float(y[0])  # each hinge adds the change of slope


# how each method spends N neurons: (cells for N, degree of the cell error estimate: 0 a value, 1 a chord);
# which options it reads and which counts it takes are its registry entry's (``Builder.uses``, ``Builder.count``)
CELLS = {
    "steps": (lambda n: n + 1, 0),
    "bumps": (lambda n: n // 2, 0),
    "relu": (lambda n: n, 1),
    "heaviside": (lambda n: n + 1, 0),
}


# -- least-squares heights -----------------------------------------------------------------------------
def _hat_matrix(knots: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Values of the N+1 hat functions on the knots at the points x: (len(x), N+1), two non-zeros a row."""
    j = np.clip(np.searchsorted(knots, x, side="right") - 1, 0, knots.size - 2)
    t = (x - knots[j]) / (knots[j + 1] - knots[j])
    H = np.zeros((x.size, knots.size))
    rows = np.arange(x.size)
    H[rows, j] = 1.0 - t
    H[rows, j + 1] = t
    return H


def cell_rule(edges: np.ndarray, total: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on every cell (at least 6 per cell, about ``total`` in all): exact for the
    kinks and jumps a construction puts on its cell edges."""
    k = int(np.clip(-(-total // (edges.size - 1)), 6, 32))
    t, wt = np.polynomial.legendre.leggauss(k)
    h = np.diff(edges)[:, None]
    x = (edges[:-1, None] + 0.5 * h * (t + 1.0)).ravel()
    return x, (0.5 * h * wt).ravel()


def lstsq_heights(hidden: Layer, g, edges: np.ndarray, knots: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Output weights and bias minimising the L² error of ``hidden``'s weighted sum against g over the cells.

    The continuous least squares by a Gauss–Legendre rule on each cell (``LSTSQ_POINTS_PER_NEURON`` points per
    neuron, at least ``LSTSQ_MIN_POINTS``).
    For ReLU hinges (``knots`` given) the span is the continuous piecewise-linear functions on the knots, so the
    fit is done in the well-conditioned hat basis and turned into hinge weights; otherwise in the neurons' own
    basis, the normal equations solved by SVD (duplicate steps, as in bumps, share their weight).
    """
    n = hidden.fan_out
    x, wq = cell_rule(edges, max(LSTSQ_MIN_POINTS, LSTSQ_POINTS_PER_NEURON * n))
    root = np.sqrt(wq)
    y = g(x) * root
    cols = knots.size if knots is not None else n + 1
    gram, rhs = np.zeros((cols, cols)), np.zeros(cols)
    rows = max(256, LSTSQ_CHUNK_ELEMENTS // cols)
    for start in range(0, x.size, rows):
        xs = x[start : start + rows]
        if knots is not None:
            A = _hat_matrix(knots, xs)
        else:
            A = np.empty((xs.size, cols))
            A[:, :n] = hidden(xs.reshape(-1, 1))
            A[:, n] = 1.0
        A *= root[start : start + rows, None]
        gram += A.T @ A
        rhs += A.T @ y[start : start + rows]
    scale = np.sqrt(np.maximum(np.diag(gram), 1e-300))  # Jacobi scaling before the solve
    coef = np.linalg.lstsq(gram / scale[:, None] / scale[None, :], rhs / scale, rcond=1e-13)[0] / scale
    if knots is not None:
        return _hinge_weights(knots, coef)
    return coef[:n], float(coef[n])


# -- the network ---------------------------------------------------------------------------------------
def _assemble(method: str, g, edges: np.ndarray, cfg: ConstructConfig) -> tuple[Layer, np.ndarray, float]:
    """Hidden layer, output weights and bias for fixed edges and a numeric steepness."""
    if method == "steps" or method == "heaviside":
        hidden, out, extra = _steps(g, edges, cfg, "sigmoid" if method == "steps" else "heaviside")
    elif method == "bumps":
        hidden, out, extra = _bumps(g, edges, cfg)
    else:
        hidden, out, extra = _relu(g, edges, cfg)
    bias = extra["bias"]
    if cfg.heights == "lstsq":
        out, bias = lstsq_heights(hidden, g, edges, knots=edges if method == "relu" else None)
    return hidden, np.asarray(out, dtype=float), float(bias)


def auto_steepness(method: str, g, edges: np.ndarray, cfg: ConstructConfig) -> tuple[float, list[list[float]]]:
    """The steepness minimising the certified max error of the output neuron's input against g, and the trials.

    A coarse scan of ``AUTO_SCAN`` steepnesses, log-spaced over ``AUTO_STEEPNESS_RANGE``, then a bounded
    search (:func:`scipy.optimize.minimize_scalar`) over log steepness in the bracket around the best.
    """
    a, b = float(edges[0]), float(edges[-1])
    values = Target("g", ("x",), [(a, b)], g)  # g on the domain as a measurable target (already checked values)
    points = int(min(10_001, max(2001, 4 * edges.size)))
    tried: dict[float, float] = {}

    def error(u: float) -> float:
        if u not in tried:
            hidden, out, bias = _assemble(method, g, edges, replace(cfg, steepness=float(np.exp(u))))
            net = Network([hidden, Layer(out.reshape(-1, 1), [bias], "linear")])
            try:
                tried[u] = measure(net, values, points=points).max_error
            except UnivError:  # a non-finite net: not a candidate
                tried[u] = np.inf
        return tried[u]

    lo, hi = np.log(AUTO_STEEPNESS_RANGE[0]), np.log(AUTO_STEEPNESS_RANGE[1])
    scan = np.linspace(lo, hi, AUTO_SCAN)
    errs = [error(u) for u in scan]
    k = int(np.argmin(errs))
    left, right = scan[max(k - 1, 0)], scan[min(k + 1, AUTO_SCAN - 1)]
    import scipy.optimize  # ~0.2 s: only when the steepness is chosen

    # Brent's bounded search (golden sections where parabolas fail) over log steepness; every value it tries is kept
    # in ``tried``, and the best of all of them, scan included, wins.
    scipy.optimize.minimize_scalar(
        error,
        bounds=(left, right),
        method="bounded",
        options={"xatol": AUTO_REFINE_TOL * (right - left), "maxiter": AUTO_REFINE_STEPS},
    )
    u = min(tried, key=tried.get)
    trials = [[float(np.exp(v)), float(e)] for v, e in sorted(tried.items())]
    return float(np.exp(u)), trials


def _network(method: str, g, domain, cfg: ConstructConfig) -> Network:
    """A 1D construction as a Network, with what it placed and which options it used in ``info`` and ``layout``."""
    ((a, b),) = domain
    cells, degree = CELLS[method]
    edges = _edges(g, a, b, cells(cfg.neurons), cfg.knots, degree)
    extra_info = {}
    if cfg.steepness == AUTO and "steepness" in METHODS[method].builders[1].uses:  # relu, heaviside: none to choose
        chosen, trials = auto_steepness(method, g, edges, cfg)
        extra_info["steepness_trials"] = trials
        cfg = replace(cfg, steepness=chosen)
    hidden, out_w, bias = _assemble(method, g, edges, cfg)
    output = Layer(out_w.reshape(-1, 1), [bias], cfg.output)
    by_steepness = hidden.activation == "sigmoid" and cfg.weight is None
    info = {
        "steepness": cfg.steepness if by_steepness else None,
        "steepness_choice": ("auto" if extra_info else "fixed") if by_steepness else None,
        "weight": cfg.weight if hidden.activation == "sigmoid" else None,
        "knots": cfg.knots,
        "heights": cfg.heights,
        "edges": edges.tolist(),
        **extra_info,
    }
    net = Network([hidden, output], info=info)
    net.layout = _layout(method, hidden.fan_out, edges, info["steepness"])
    return net


def _layout(method: str, width: int, edges: np.ndarray, steepness: float | None) -> Layout:
    """The pieces in order along x: bump j is neurons (2j, 2j + 1), every other piece one neuron."""
    builder = METHODS[method].builders[1]
    groups = tuple(tuple(range(j, j + builder.group)) for j in range(0, width, builder.group))
    return Layout(method, builder.piece, 0, groups, (tuple(edges.tolist()),), steepness)


def _builder(method: str) -> Callable:
    return lambda g, domain, cfg: _network(method, g, domain, cfg)


register("bumps", 1, _builder("bumps"), "sigmoid steps in pairs: N/2 bumps, each of height f at its cell's middle")
register(
    "steps", 1, _builder("steps"), "N chained sigmoid steps, each output weight the jump between neighbouring cells"
)
register("relu", 1, _builder("relu"), "N ReLU hinges: the piecewise-linear interpolant through N + 1 knots")
register("heaviside", 1, _builder("heaviside"), "N ideal steps (w → ∞): the limit the sigmoid steps approach")
