"""What univ's interactive figures play with: a built net's bump heights as editable numbers; Nielsen's challenge.

Nothing here constructs anything: :func:`univ.construct` builds the network, and changing a height is building a new
:class:`univ.Network` from the same hidden layer with the output weights changed. ``univ.widgets`` (notebook) and
``univ.page`` (web page) both read this module, so the two show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .activations import sigmoid_inverse
from .constructions import construct
from .constructions.registry import layout_of
from .errors import ConfigError
from .measure import grid
from .network import Layer, Network
from .target import parse

# Nielsen's challenge (ch. 4): five bumps with steps at 0, 0.2, ..., 1 and a sigmoid output neuron
CHALLENGE_EXPRESSION = "0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05 cos(50x)"
CHALLENGE_BUMPS = 5
CHALLENGE_WEIGHT = 1000.0  # "a large fixed w": the steps are 0.004 wide from 0.1 to 0.9
CHALLENGE_GOAL = 0.40  # his threshold on the average deviation


# where each kind of piece (the registry's name for it) is drawn and dragged, from the cell edges e
HANDLE_AT = {
    "bump": lambda e: 0.5 * (e[:-1] + e[1:]),  # the middle of its cell
    "step": lambda e: 0.5 * (e[1:-1] + e[2:]),  # the middle of the cell right of the step
    "hinge": lambda e: e[1:],  # the knot where the slope next changes
}


# -- pieces: what a user can move ------------------------------------------------------------------------------
def pieces(net: Network) -> list[list[int]]:
    """Hidden neurons grouped the way the construction used them (bump pairs, or one each): one handle per group.

    The groups are the construction's :class:`~univ.constructions.registry.Layout`; a net without one (trained) has
    one piece per neuron of its last hidden layer.
    """
    layout = layout_of(net)
    if layout is not None and layout.layer in (-1, len(net.hidden) - 1):
        return [list(g) for g in layout.groups]
    return [[j] for j in range(net.hidden[-1].fan_out if net.hidden else 0)]


def _pattern(net: Network) -> list[np.ndarray]:
    """Each piece's output weights divided by its height: (+1, −1) for a bump, (1,) for a step or hinge."""
    return [np.array([1.0, -1.0]) if len(g) == 2 else np.array([1.0]) for g in pieces(net)]


def piece_weights(net: Network) -> np.ndarray:
    """One number per piece: a bump's height h, a step's jump, a hinge's change of slope. Shape ``(pieces,)``."""
    out = net.output.w[:, 0]
    return np.array([out[g[0]] for g in pieces(net)])


def with_piece_weights(net: Network, values) -> Network:
    """The same hidden layer with each piece's height set to ``values``: a new Network (the output bias is kept)."""
    gs = pieces(net)
    v = np.asarray(values, dtype=float).reshape(-1)
    if v.shape != (len(gs),):
        raise ConfigError(f"expected {len(gs)} heights, got {v.size}")
    if not np.all(np.isfinite(v)):
        raise ConfigError("heights must be finite numbers")
    out = np.empty(net.output.fan_in)
    for g, p, h in zip(gs, _pattern(net), v):
        out[g] = h * p
    output = Layer(out.reshape(-1, 1), net.output.b, net.output.activation)
    return Network([*net.hidden, output], info=net.info)


def piece_units(net: Network, x: np.ndarray) -> np.ndarray:
    """Each piece's shape at height 1 at the points ``x``: ``(len(x), pieces)``; contributions are this × height."""
    h = net.hidden_output(np.asarray(x, dtype=float))  # (points, width)
    return np.stack([h[:, g] @ p for g, p in zip(pieces(net), _pattern(net))], axis=1)


def piece_contributions(net: Network, x: np.ndarray) -> np.ndarray:
    """Each piece's weighted contribution at ``x``, ``(len(x), pieces)``: the curves drawn beneath the sum."""
    return piece_units(net, x) * piece_weights(net)


def handles(net: Network) -> np.ndarray:
    """Where each piece's top is drawn and dragged: a bump's cell middle, the cell right of a step, a hinge's next knot.

    The handle sits on the piece's curve, at height ``weight × piece_units(net, handles)``.
    """
    layout = layout_of(net)
    at = HANDLE_AT.get(layout.piece) if layout is not None and len(net.hidden) == 1 else None
    if at is None or "edges" not in net.info:
        method = net.info.get("method")
        raise ConfigError(f"the interactive figures show 1D bumps, steps, relu or heaviside nets, not {method!r}")
    return at(np.asarray(net.info["edges"], dtype=float))


def weighted_output(net: Network, x: np.ndarray) -> np.ndarray:
    """The output neuron's weighted input Σ hⱼ·bumpⱼ(x) + b: before its sigmoid, on Nielsen's σ⁻¹ scale."""
    return net.contributions(np.asarray(x, dtype=float)).sum(axis=1) + net.output.b[0]


# -- Nielsen's challenge ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NielsenChallenge:
    """Nielsen's game: set five bump heights so the weighted output matches σ⁻¹∘f.

    Attributes
    ----------
    target : Target
        His f on [0, 1].
    network : Network
        Five bumps (10 sigmoid neurons, w = ``CHALLENGE_WEIGHT``), a sigmoid output, all heights 0.
    x, goal : ndarray
        univ's measuring grid (10,001 points) and σ⁻¹(f(x)) on it: the score is measured there.
    best_heights : ndarray
        The median of σ⁻¹∘f over each cell's grid points: the heights that minimise the average deviation with
        ideal steps.
    best_score : float
        The score of ``network`` with ``best_heights`` (its steps are sigmoids).
    ideal_best_score : float
        The same heights with ideal steps: the least five ideal bumps on these cells can score on this grid
        (≈ 0.359). Sigmoid steps, whose outer steps sit just outside [0, 1], may score a little either side of it.
    """

    target: object
    network: Network
    x: np.ndarray
    goal: np.ndarray
    best_heights: np.ndarray
    best_score: float
    ideal_best_score: float
    goal_score: float = CHALLENGE_GOAL

    def score(self, net_or_heights) -> float:
        """Nielsen's score: mean |σ⁻¹(f(x)) − weighted output| on the grid. Takes a Network or five heights."""
        net = net_or_heights if isinstance(net_or_heights, Network) else self.with_heights(net_or_heights)
        return float(np.mean(np.abs(self.goal - weighted_output(net, self.x))))

    def with_heights(self, heights) -> Network:
        return with_piece_weights(self.network, heights)


@lru_cache(maxsize=1)
def nielsen_challenge() -> NielsenChallenge:
    """Build the challenge with univ: his f, five bumps from :func:`univ.construct`, σ⁻¹∘f on univ's grid."""
    target = parse(CHALLENGE_EXPRESSION)
    net = construct(target, neurons=2 * CHALLENGE_BUMPS, method="bumps", weight=CHALLENGE_WEIGHT, output="sigmoid")
    net = with_piece_weights(net, np.zeros(CHALLENGE_BUMPS))
    (x,) = grid(target.domain)
    goal = sigmoid_inverse(target.evaluate(x))
    edges = np.asarray(net.info["edges"], dtype=float)
    cell = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, CHALLENGE_BUMPS - 1)
    best = np.array([np.median(goal[cell == j]) for j in range(CHALLENGE_BUMPS)])
    ideal = float(np.mean(np.abs(goal - best[cell])))
    for a in (x, goal, best):
        a.setflags(write=False)
    partial = NielsenChallenge(target, net, x, goal, best, 0.0, ideal)
    return NielsenChallenge(target, net, x, goal, best, partial.score(best), ideal)
