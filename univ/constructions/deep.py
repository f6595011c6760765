"""Why depth: tent maps composed layer by layer make 2^k linear pieces from 2k ReLU units (Telgarsky's sawtooth).

One hidden layer of m ReLU units is piecewise linear with at most m + 1 pieces, so it needs about 2^k units to follow
what k layers of two units each compute. ``construct(None, method="sawtooth", depth=k)`` builds the deep net by hand.
"""

from __future__ import annotations

import numpy as np

from .. import limits
from .. import validate as check
from ..network import Layer, Network
from ..target import Target
from .registry import Layout, register

DEFAULT_DEPTH = 3


def tent(u: np.ndarray) -> np.ndarray:
    """The tent map on [0, 1]: 2u up to ½, 2 − 2u after; equal to 2·relu(u) − 4·relu(u − ½) there."""
    return np.where(u <= 0.5, 2 * u, 2 - 2 * u)


def sawtooth(depth: int, domain: tuple[float, float] = (0.0, 1.0)) -> Target:
    """The tent map composed ``depth`` times, rescaled to ``domain``: 2^depth linear pieces between 0 and 1.

    Examples
    --------
    >>> t = sawtooth(2)
    >>> t(np.array([0.0, 0.25, 0.5, 0.75, 1.0])).tolist()
    [0.0, 1.0, 0.0, 1.0, 0.0]
    """
    _check_depth(depth)
    a, b = domain

    def f(x):
        u = np.clip((np.asarray(x, dtype=float) - a) / (b - a), 0.0, 1.0)
        for _ in range(depth):
            u = tent(u)
        return u

    return Target.from_function(f, domain=[domain], name=f"sawtooth{depth}")


def pieces(values: np.ndarray, x: np.ndarray, tol: float = 1e-6) -> int:
    """Number of linear pieces of a sampled piecewise-linear function: slope changes between samples, plus one.

    The grid must be fine enough that each piece spans several samples.
    """
    slope = np.diff(values) / np.diff(x)
    scale = max(1.0, float(np.max(np.abs(slope))))
    changes = np.abs(np.diff(slope)) > tol * scale
    # a kink inside a sample interval shows as two adjacent changes; count runs of changes as one kink
    runs = np.count_nonzero(changes[1:] & ~changes[:-1]) + int(changes[0]) if len(changes) else 0
    return int(runs) + 1


def _check_depth(depth) -> int:
    return check.whole("depth (layers)", depth, 1, limits.MAX_DEPTH)


def sawtooth_network(depth: int, domain: tuple[float, float] = (0.0, 1.0)) -> Network:
    """``depth`` hidden layers of two ReLU units each, computing the tent map composed ``depth`` times.

    Layer 1 rescales x to u in [0, 1] and computes relu(u), relu(u − ½); every later layer reads
    T(u) = 2·relu(u) − 4·relu(u − ½) from the layer before and does the same; the output is that last T.
    """
    depth = _check_depth(depth)
    a, b = (float(v) for v in domain)
    s = 1.0 / (b - a)
    layers = [Layer([[s, s]], [-a * s, -a * s - 0.5], "relu")]
    for _ in range(depth - 1):
        layers.append(Layer([[2.0, 2.0], [-4.0, -4.0]], [0.0, -0.5], "relu"))
    layers.append(Layer([[2.0], [-4.0]], [0.0], "linear"))
    info = {
        "method": "sawtooth",
        "expression": f"sawtooth{depth}",
        "dimension": 1,
        "domain": [[a, b]],
        "depth": depth,
        "neurons": 2 * depth,
        "pieces": 2**depth,
    }
    net = Network(layers, info=info)
    net.layout = Layout("sawtooth", "tent", depth - 1, ((0, 1),), ((a, b),))  # the last layer's two units: one tent
    return net


def _build(g, domain, cfg) -> Network:
    """``construct(..., method="sawtooth", depth=k)``: the target supplies only the domain (default [0, 1])."""
    return sawtooth_network(DEFAULT_DEPTH if cfg.depth is None else cfg.depth, domain[0])


register("sawtooth", 0, _build, "k layers of two ReLU units composing tent maps: 2^k linear pieces")


def shallow_relu_lstsq(target: Target, units: int, knots: np.ndarray | None = None, points: int = 4001) -> Network:
    """One hidden layer of ``units`` ReLU hinges (at cell midpoints unless ``knots`` given), output by least squares.

    The best a shallow net with those hinges can do in the L2 sense: a fair opponent for the deep sawtooth.
    """
    ((a, b),) = target.domain
    if knots is None:
        knots = a + (np.arange(units) + 0.5) * (b - a) / units
    knots = np.asarray(knots, dtype=float)
    x = np.linspace(a, b, points)
    features = np.maximum(x[:, None] - knots[None, :], 0.0)  # (points, units)
    design = np.hstack([features, np.ones((points, 1))])
    coef, *_ = np.linalg.lstsq(design, target.evaluate(x), rcond=None)
    hidden = Layer(np.ones((1, len(knots))), -knots, "relu")
    output = Layer(coef[:-1].reshape(-1, 1), [coef[-1]], "linear")
    info = {
        "method": "relu-lstsq",
        "expression": target.text,
        "dimension": 1,
        "domain": [[a, b]],
        "neurons": len(knots),
        "knots": knots.tolist(),
    }
    return Network([hidden, output], info=info)
