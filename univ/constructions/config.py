"""``ConstructConfig``: how to build a network by hand; the CLI's ``approx`` options map one to one onto its fields."""

from __future__ import annotations

from dataclasses import dataclass

from .. import limits
from .. import validate as check
from .registry import METHODS

DEFAULT_STEEPNESS = 10.0  # w · (cell width): a step rises from 0.1 to 0.9 over 0.44 of a cell
OUTER_MARGIN_LOGITS = 12.0  # outermost sigmoid steps sit this many 1/w outside the domain: σ(12) = 1 - 6e-6
KNOTS = ("uniform", "adaptive", "equalized")
OUTPUTS = ("linear", "sigmoid")
HEIGHTS = ("nielsen", "lstsq")
AUTO = "auto"  # steepness chosen per network: the one that minimises the certified max error
DEFAULT_METHOD = {1: "bumps", 2: "towers"}  # by the target's dimension


@dataclass(frozen=True)
class ConstructConfig:
    """How to build a network by hand.

    Parameters
    ----------
    method : str or None
        A key of ``univ.METHODS``; ``None`` takes the target's default (``bumps`` in 1D, ``towers`` in 2D).
    neurons : int
        Hidden neurons in all; each builder's valid counts are in the registry (``bumps``: even, two steps per
        bump; 2D ``towers`` and ``relu`` build the largest full grid within the count, see ``Builder.built``).
    depth : int or None
        Layers of the deep ``sawtooth`` construction.
    steepness : float or "auto"
        Sigmoid weight times the width of the cell it bounds, so steps sharpen as cells shrink and the error
        keeps falling as ``neurons`` grows. ``"auto"``: the steepness (searched over log steepness) that
        minimises the certified max error for this N (1D). Ignored by ``relu`` and ``heaviside``.
    weight : float or None
        A fixed sigmoid weight instead (steepness then no longer grows with N: the "windows of failure"
        stop the error falling). For demonstrations; 1D only.
    knots : str
        ``uniform`` cells; ``adaptive``: the worst cell halved until the budget is spent; ``equalized``: cells
        moved until each cell's error estimate is the same (de Boor's equidistribution). 1D only.
    heights : str
        Output weights: ``nielsen`` (f at each cell's middle, the chapter's construction) or ``lstsq`` (least
        squares on the same hidden layer: the smallest RMSE those neurons allow). 1D only.
    output : str
        ``linear`` output neuron, or ``sigmoid`` (Nielsen's σ⁻¹ trick; f must lie strictly inside (0, 1)).
    """

    method: str | None = None
    neurons: int = 20
    depth: int | None = None
    steepness: float | str = DEFAULT_STEEPNESS
    weight: float | None = None
    knots: str = "uniform"
    output: str = "linear"
    heights: str = "nielsen"

    def __post_init__(self) -> None:
        if self.method is not None:
            check.choice("method", self.method, METHODS)
        if self.depth is not None:
            check.whole("depth", self.depth, 1, limits.MAX_DEPTH)
        n = check.whole("neurons", self.neurons, 1, limits.MAX_NEURONS)
        if self.method is not None and 1 in METHODS[self.method].builders:  # 2D counts: checked by configure
            METHODS[self.method].builders[1].check_neurons(n)
        if isinstance(self.steepness, str):
            if self.steepness != AUTO:
                raise check.ConfigError(f"steepness must be a number or {AUTO!r}, got {self.steepness!r}")
        else:
            check.real("steepness", self.steepness, limits.MIN_STEEPNESS, limits.MAX_STEEPNESS)
        if self.weight is not None:
            check.real("weight", self.weight, limits.MIN_WEIGHT, limits.MAX_WEIGHT)
            if self.steepness == AUTO:
                raise check.ConfigError("steepness auto chooses the sigmoid weight itself; leave weight unset")
        check.choice("knots", self.knots, KNOTS)
        check.choice("output", self.output, OUTPUTS)
        check.choice("heights", self.heights, HEIGHTS)
        if self.heights == "lstsq" and n > limits.MAX_LSTSQ_NEURONS:
            raise check.ConfigError(
                f"lstsq heights solve a dense least-squares problem; at most "
                f"{limits.MAX_LSTSQ_NEURONS:,} neurons, got {n:,}"
            )

    @property
    def one_d_only(self) -> list[str]:
        """The options set here that only 1D constructions honour (for a 2D builder to refuse by name)."""
        found = []
        if self.steepness == AUTO:
            found.append("steepness auto")
        if self.heights != "nielsen":
            found.append(f"{self.heights} heights")
        return found
