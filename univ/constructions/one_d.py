"""Hand-built one-hidden-layer networks: sigmoid steps and bumps, ReLU hats, ideal steps (Nielsen ch. 4)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np

from .activations import sigmoid_inverse
from .errors import ConfigError, DomainError
from .network import Layer, Network

DEFAULT_STEEPNESS = 10.0  # w · (cell width): a step rises from 0.1 to 0.9 over 0.44 of a cell
OUTER_MARGIN_LOGITS = 12.0  # outermost sigmoid steps sit this many 1/w outside the domain: σ(12) = 1 - 6e-6
MAX_NEURONS = 100_000
KNOTS = ("uniform", "adaptive")
OUTPUTS = ("linear", "sigmoid")
ADAPTIVE_SAMPLES = 33  # points per cell when estimating a cell's error for adaptive knots
CHECK_POINTS = 10_001
MAX_DEPTH = 30
METHODS_2D = ("towers", "ridge", "relu")  # built in univ.construct2d
DEEP_METHODS = ("sawtooth",)  # built in univ.depth
METHOD_NAMES = ("bumps", "steps", "relu", "heaviside", "towers", "ridge", "sawtooth")


@dataclass(frozen=True)
class ConstructConfig:
    """How to build a network by hand; the CLI's ``approx`` options map one to one onto these fields.

    Parameters
    ----------
    method : str
        A key of ``METHODS``: ``bumps`` (default), ``steps``, ``relu``, ``heaviside``.
    neurons : int
        Hidden neurons. ``bumps`` needs an even number (two steps per bump).
    steepness : float
        Sigmoid weight times the width of the cell it bounds, so steps sharpen as cells shrink and the error
        keeps falling as ``neurons`` grows. Ignored by ``relu`` and ``heaviside``.
    weight : float or None
        A fixed sigmoid weight instead (steepness then no longer grows with N: the "windows of failure"
        stop the error falling). For demonstrations.
    knots : str
        ``uniform`` cells, or ``adaptive``: cells split where the function needs them.
    output : str
        ``linear`` output neuron, or ``sigmoid`` (Nielsen's σ⁻¹ trick; f must lie strictly inside (0, 1)).
    """

    method: str = "bumps"
    neurons: int = 20
    depth: int | None = None
    steepness: float = DEFAULT_STEEPNESS
    weight: float | None = None
    knots: str = "uniform"
    output: str = "linear"

    def __post_init__(self) -> None:
        if self.method not in METHOD_NAMES:
            raise ConfigError(f"unknown method {self.method!r}; choose one of {', '.join(METHOD_NAMES)}")
        if self.depth is not None and (isinstance(self.depth, bool) or not isinstance(self.depth, (int, np.integer))
                                       or not 1 <= self.depth <= MAX_DEPTH):
            raise ConfigError(f"depth must be a whole number from 1 to {MAX_DEPTH}, got {self.depth!r}")
        n = self.neurons
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise ConfigError(f"neurons must be a whole number, got {n!r}")
        if not 1 <= n <= MAX_NEURONS:
            raise ConfigError(f"neurons must be between 1 and {MAX_NEURONS}, got {n}")
        if self.method == "bumps" and n % 2:
            raise ConfigError(f"bumps are pairs of neurons: neurons must be even, got {n}")
        if not (np.isfinite(self.steepness) and 0 < self.steepness <= 1e6):
            raise ConfigError(f"steepness must be a positive number up to 1e6, got {self.steepness!r}")
        if self.weight is not None and not (np.isfinite(self.weight) and 0 < self.weight <= 1e12):
            raise ConfigError(f"weight must be a positive number up to 1e12, got {self.weight!r}")
        if self.knots not in KNOTS:
            raise ConfigError(f"unknown knots {self.knots!r}; choose one of {', '.join(KNOTS)}")
        if self.output not in OUTPUTS:
            raise ConfigError(f"unknown output {self.output!r}; choose one of {', '.join(OUTPUTS)}")


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


METHODS: dict[str, Callable[..., Any]] = {
    "bumps": _bumps,
    "steps": lambda g, a, b, cfg: _steps(g, a, b, cfg, "sigmoid"),
    "relu": _relu,
    "heaviside": lambda g, a, b, cfg: _steps(g, a, b, cfg, "heaviside"),
}


# -- entry point ---------------------------------------------------------------------------------------
def construct(
    target: Any,
    neurons: int = 20,
    method: str | None = None,
    domain: tuple[float, float] | None = None,
    *,
    config: ConstructConfig | None = None,
    **options: Any,
) -> Network:
    """Build a one-hidden-layer network that approximates ``target``, by hand.

    Parameters
    ----------
    target : Target or str
        What to approximate; text is parsed with :func:`univ.parse`.
    neurons : int
        Hidden neurons (default 20).
    method : str, optional
        1D: ``bumps`` (default), ``steps``, ``relu`` or ``heaviside`` (see ``METHODS``); 2D: ``towers`` (default),
        ``ridge`` or ``relu``; ``sawtooth`` (with ``depth=k``): k layers of two ReLU units composing tent maps,
        2^k linear pieces — the target then supplies only the domain and may be None.
    domain : (float, float), optional
        Interval to approximate on; defaults to the target's domain, [0, 1] unless set.
    config : ConstructConfig, optional
        All the settings at once; keyword ``options`` (steepness, weight, knots, output) override its fields.

    Returns
    -------
    Network
        Hidden layer of ``neurons`` units and an output neuron; ``info`` records the method and the cells.

    Examples
    --------
    >>> net = construct("sin(3x)", neurons=20, method="steps")
    >>> float(abs(net(0.5) - np.sin(1.5))) < 0.08
    True
    """
    from .parse import Target, parse

    if target is None and (method or (config.method if config else None)) == "sawtooth":
        from .depth import construct_deep

        return construct_deep(None, replace(config or ConstructConfig(), method="sawtooth", **options))
    if isinstance(target, str):
        target = parse(target)
    elif not isinstance(target, Target):
        raise ConfigError(f"target must be text or a Target from univ.parse, not {type(target).__name__}")
    if domain is not None:
        target = target.with_domain(domain)
    cfg = config or ConstructConfig()
    fields = dict(options, neurons=neurons)
    if method is not None:
        fields["method"] = method
    unknown = set(fields) - set(ConstructConfig.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"unknown option(s) {', '.join(sorted(unknown))} for construct")
    if target.dimension == 2 and "method" not in fields and cfg.method == "bumps":
        fields["method"] = "towers"  # the 2D default
    cfg = replace(cfg, **fields)
    if cfg.method in DEEP_METHODS:
        from .depth import construct_deep

        return construct_deep(target, cfg)
    if target.dimension == 2:
        if cfg.method not in METHODS_2D:
            raise ConfigError(f"{cfg.method} is a 1D method; in 2D use one of {', '.join(METHODS_2D)}")
        from .construct2d import construct_2d

        return construct_2d(target, cfg)
    if cfg.method not in METHODS:
        raise ConfigError(f"{cfg.method} needs x and y; in 1D use one of {', '.join(METHODS)}")
    (a, b), = target.domain
    target.check()  # raises DomainError where f is not finite or has a pole
    values = target.evaluate(np.linspace(a, b, CHECK_POINTS))
    g = target.evaluate
    if cfg.output == "sigmoid":
        lo, hi = float(values.min()), float(values.max())
        if lo <= 0.0 or hi >= 1.0:
            raise DomainError(
                f"a sigmoid output needs f strictly inside (0, 1), but {target.text} ranges over "
                f"[{lo:.4g}, {hi:.4g}] on [{a:g}, {b:g}]; use --output linear"
            )
        g = lambda x: sigmoid_inverse(np.clip(target.evaluate(x), 1e-300, None))  # noqa: E731
    hidden, out_w, extra = METHODS[cfg.method](g, a, b, cfg)
    output = Layer(np.asarray(out_w, dtype=float).reshape(-1, 1), [extra["bias"]], cfg.output)
    info = {
        "method": cfg.method,
        "expression": target.text,
        "dimension": 1,
        "domain": [[a, b]],
        "neurons": cfg.neurons,
        "steepness": None if cfg.method in ("relu", "heaviside") or cfg.weight else cfg.steepness,
        "weight": cfg.weight,
        "knots": cfg.knots,
        "output": cfg.output,
        "edges": extra["edges"].tolist(),
    }
    return Network([hidden, output], info=info)
