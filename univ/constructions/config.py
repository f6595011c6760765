"""``ConstructConfig``: how to build a network by hand; the CLI's ``approx`` options map one to one onto its fields."""

from __future__ import annotations

from dataclasses import dataclass

from .. import limits
from .. import validate as check

DEFAULT_STEEPNESS = 10.0  # w · (cell width): a step rises from 0.1 to 0.9 over 0.44 of a cell
OUTER_MARGIN_LOGITS = 12.0  # outermost sigmoid steps sit this many 1/w outside the domain: σ(12) = 1 - 6e-6
KNOTS = ("uniform", "adaptive")
OUTPUTS = ("linear", "sigmoid")
DEFAULT_METHOD = {1: "bumps", 2: "towers"}  # by the target's dimension


@dataclass(frozen=True)
class ConstructConfig:
    """How to build a network by hand.

    Parameters
    ----------
    method : str or None
        A key of ``univ.METHODS``; ``None`` takes the target's default (``bumps`` in 1D, ``towers`` in 2D).
    neurons : int
        Hidden neurons in all. ``bumps`` needs an even number (two steps per bump).
    depth : int or None
        Layers of the deep ``sawtooth`` construction.
    steepness : float
        Sigmoid weight times the width of the cell it bounds, so steps sharpen as cells shrink and the error
        keeps falling as ``neurons`` grows. Ignored by ``relu`` and ``heaviside``.
    weight : float or None
        A fixed sigmoid weight instead (steepness then no longer grows with N: the "windows of failure"
        stop the error falling). For demonstrations; 1D only.
    knots : str
        ``uniform`` cells, or ``adaptive``: cells split where the function needs them. 1D only.
    output : str
        ``linear`` output neuron, or ``sigmoid`` (Nielsen's σ⁻¹ trick; f must lie strictly inside (0, 1)).
    """

    method: str | None = None
    neurons: int = 20
    depth: int | None = None
    steepness: float = DEFAULT_STEEPNESS
    weight: float | None = None
    knots: str = "uniform"
    output: str = "linear"

    def __post_init__(self) -> None:
        from .registry import METHODS

        if self.method is not None:
            check.choice("method", self.method, METHODS)
        if self.depth is not None:
            check.whole("depth", self.depth, 1, limits.MAX_DEPTH)
        n = check.whole("neurons", self.neurons, 1, limits.MAX_NEURONS)
        if self.method == "bumps" and n % 2:
            raise check.ConfigError(f"bumps are pairs of neurons: neurons must be even, got {n}")
        check.real("steepness", self.steepness, limits.MIN_STEEPNESS, limits.MAX_STEEPNESS)
        if self.weight is not None:
            check.real("weight", self.weight, limits.MIN_WEIGHT, limits.MAX_WEIGHT)
        check.choice("knots", self.knots, KNOTS)
        check.choice("output", self.output, OUTPUTS)
