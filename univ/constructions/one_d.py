"""1D constructions in one hidden layer: sigmoid steps and bumps, ReLU hinges, ideal steps (Nielsen ch. 4)."""

from __future__ import annotations

import heapq
from typing import Callable

import numpy as np

from ..errors import DomainError
from ..network import Layer, Network
from .config import OUTER_MARGIN_LOGITS, ConstructConfig
from .registry import register

ADAPTIVE_SAMPLES = 33  # points per cell when estimating a cell's error for adaptive knots


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


def _edges(g, a: float, b: float, cells: int, knots: str, degree: int) -> np.ndarray:
    if knots == "adaptive":
        return adaptive_edges(g, a, b, cells, degree)
    return uniform_edges(a, b, cells)


def _step_weights(edges: np.ndarray, cfg: ConstructConfig) -> np.ndarray:
    """Sigmoid weight for a step at each interior edge: steepness over the narrower neighbouring cell."""
    if cfg.weight is not None:
        return np.full(len(edges) - 2, float(cfg.weight))
    widths = np.diff(edges)
    return cfg.steepness / np.minimum(widths[:-1], widths[1:])


# -- the methods ---------------------------------------------------------------------------------------
def _steps(g, a: float, b: float, cfg: ConstructConfig, activation: str) -> tuple[Layer, float, dict]:
    """N chained steps over N+1 cells: the bias is the first cell, each step adds the jump to the next."""
    n = cfg.neurons
    edges = _edges(g, a, b, n + 1, cfg.knots, degree=0)
    mids = 0.5 * (edges[:-1] + edges[1:])
    v = g(mids)  # (N+1,) cell values
    s = edges[1:-1]  # (N,) interior edges: no step sits on a domain end
    w = np.ones(n) if activation == "heaviside" else _step_weights(edges, cfg)
    hidden = Layer(w.reshape(1, -1), -w * s, activation)
    return hidden, np.diff(v), {"bias": float(v[0]), "edges": edges}


def _bumps(g, a: float, b: float, cfg: ConstructConfig) -> tuple[Layer, float, dict]:
    """N/2 bumps, each a pair of steps with output weights +h and -h, h the cell's value."""
    m = cfg.neurons // 2
    edges = _edges(g, a, b, m, cfg.knots, degree=0)
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


def _relu(g, a: float, b: float, cfg: ConstructConfig) -> tuple[Layer, np.ndarray, dict]:
    """N ReLU hinges at the knots: exactly the piecewise-linear interpolant through N+1 knots."""
    n = cfg.neurons
    knots = _edges(g, a, b, n, cfg.knots, degree=1)
    y = g(knots)  # (N+1,)
    slopes = np.diff(y) / np.diff(knots)  # (N,)
    out = np.diff(slopes, prepend=0.0)  # each hinge adds the change of slope
    hidden = Layer(np.ones((1, n)), -knots[:-1], "relu")
    return hidden, out, {"bias": float(y[0]), "edges": knots}


def _network(part: Callable, g, domain, cfg: ConstructConfig) -> Network:
    """Wrap a 1D builder's hidden layer and output weights into the Network, with what it placed in ``info``."""
    ((a, b),) = domain
    hidden, out_w, extra = part(g, a, b, cfg)
    output = Layer(np.asarray(out_w, dtype=float).reshape(-1, 1), [extra["bias"]], cfg.output)
    sigmoid_steps = hidden.activation == "sigmoid"
    info = {
        "steepness": cfg.steepness if sigmoid_steps and cfg.weight is None else None,
        "weight": cfg.weight if sigmoid_steps else None,
        "knots": cfg.knots,
        "edges": extra["edges"].tolist(),
    }
    return Network([hidden, output], info=info)


def _builder(part: Callable) -> Callable:
    return lambda g, domain, cfg: _network(part, g, domain, cfg)


register("bumps", 1, _builder(_bumps), "sigmoid steps in pairs: N/2 bumps, each of height f at its cell's middle",
                ("steepness", "weight", "knots", "output"))
register("steps", 1, _builder(lambda g, a, b, cfg: _steps(g, a, b, cfg, "sigmoid")),
                "N chained sigmoid steps, each output weight the jump between neighbouring cells",
                ("steepness", "weight", "knots", "output"))
register("relu", 1, _builder(_relu), "N ReLU hinges: the piecewise-linear interpolant through N + 1 knots",
                ("knots", "output"))
register("heaviside", 1, _builder(lambda g, a, b, cfg: _steps(g, a, b, cfg, "heaviside")),
                "N ideal steps (w → ∞): the limit the sigmoid steps approach", ("knots", "output"))
