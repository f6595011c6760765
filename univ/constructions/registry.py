"""The one registry of constructions: each method's builders and its facts (counts, limits, options, layout).

Every method's facts sit in ``FACTS`` below, in this one file: which neuron counts it uses in full (its ladder),
whether it rounds a count off the ladder down or refuses it, its smallest and largest count, the options it reads,
what one piece of it is, and how the front ends speak of it (its words in a menu and a report, what one height is,
whether compare runs it, the page redraws it, a classifier uses it, which scene shows it). The construction modules
(``one_d``, ``two_d``, ``deep``) register their builders under these keys; menus, checks, searches, pages, widgets,
the renderer and plots ask the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .. import limits
from .. import validate as check
from ..errors import ConfigError

OPTIONS = ("steepness", "weight", "knots", "heights", "output", "depth")  # the config fields a builder may use


def _any_count(k: int) -> int:
    return k


def _pairs(k: int) -> int:
    return 2 * k  # k bumps, two steps each


def _tower_grid(k: int) -> int:
    return (k + 1) ** 2 + 1  # k × k cells: (k + 1) x-steps + (k + 1) y-steps + k² towers


def _hat_grid(k: int) -> int:
    return (k + 5) ** 2 - 18  # k × k cells: (k + 1)² hats + 2(k + 1) + 2(k + 1) + 2(2k + 1) |·| neurons


SIGMOID_1D = ("steepness", "weight", "knots", "output", "heights")
DENSE_COST = "its dense second layer costs about N^1.5 operations per point to evaluate"
JUMP = "each height is the jump from one cell to the next"
# What every entry states, so that no menu, page, widget, comparison or renderer keeps a list of its own (see the
# Builder fields of the same names); tests/test_registry_facts.py refuses an entry that leaves one out.
REQUIRED = ("menu", "about", "compared", "scene")
REQUIRED_BY_DIMENSION = {1: ("height", "note", "page_draws"), 2: ("classifies",)}


def _grid_2d(rung: Callable[[int], int], why_min: str, **facts) -> dict:
    """A 2D construction on a k × k grid of cells: a count off its ladder rounds down; its dense layer caps N."""
    return dict(rung=rung, max_neurons=limits.MAX_NEURONS_2D, rounds=True, why_min=why_min, why_max=DENSE_COST, **facts)


# (name, dimension) → the Builder fields besides build and summary: every method's facts, in one place, a table
# fmt: off
FACTS: dict[tuple[str, int], dict] = {
    ("bumps", 1): dict(
        options=SIGMOID_1D, rung=_pairs, group=2, piece="bump", rule="bumps are pairs of neurons: {what} must be even",
        menu="sigmoid pairs", about="sigmoid steps in pairs",
        compared=True, scene="bumps", page_draws=True, height="h",
        note="Bumps: each pair of sigmoid neurons, with output weights +h and −h, is a bump of height h.",
    ),
    ("steps", 1): dict(
        options=SIGMOID_1D, piece="step", menu="chained", about="chained sigmoid steps",
        compared=True, scene="", page_draws=True, height="jump", note=f"Steps: chained sigmoid steps; {JUMP}.",
    ),
    ("relu", 1): dict(
        options=("knots", "output", "heights"), piece="hinge",
        menu="hinges", about="hinges giving the piecewise-linear interpolant",
        compared=True, scene="relu", page_draws=False, height="slope",
        note="ReLU hinges: each height is a change of slope; together they are the piecewise-linear interpolant.",
    ),
    ("heaviside", 1): dict(
        options=("knots", "output", "heights"), piece="step", menu="ideal steps", about="ideal steps (w → ∞)",
        compared=False, scene="", page_draws=False, height="jump", note=f"Ideal steps (w → ∞); {JUMP}.",
    ),
    ("towers", 2): _grid_2d(
        _tower_grid, "one cell needs 2 x-steps, 2 y-steps and 1 tower", options=("steepness", "output"), piece="tower",
        menu="two hidden layers, Nielsen", about="x- and y-steps thresholded into nested towers",
        compared=False, scene="towers", classifies=True,
    ),
    ("ridge", 2): dict(
        options=("steepness", "output"), k_min=4, max_neurons=limits.MAX_RIDGE_NEURONS, piece="ridge step",
        why_min="2 directions of 2 steps", why_max="its least-squares fit costs about N^3",
        menu="one hidden layer, steps in many directions, output by least squares",
        about="one hidden layer of steps in many directions, output weights by least squares",
        compared=False, scene="towers", classifies=True,  # the towers scene ends, for f(x, y), with ridges
    ),
    ("relu", 2): _grid_2d(
        _hat_grid, "one cell needs 14 |·| neurons and 4 hats", options=("output",), piece="hat",
        menu="hats, two hidden layers", about="hat functions on triangulated cells (the piecewise-linear interpolant)",
        compared=False, scene="", classifies=False,
    ),
    ("sawtooth", 0): dict(  # 2 × depth neurons; ``neurons`` is not read
        options=("depth",), group=2, piece="tent", menu="deep: k layers of two ReLUs",
        about="tent maps composed: 2^k linear pieces", compared=False, scene="depth",
    ),
}
# fmt: on


@dataclass(frozen=True)
class Layout:
    """What a construction placed, as data: which hidden neurons form each piece, where, and how steep.

    Parameters
    ----------
    method : str
        The registry name of the construction.
    piece : str
        What one group is: ``"bump"``, ``"step"``, ``"hinge"``, ``"tower"``, ``"hat"``, ``"ridge step"``, ``"tent"``.
    layer : int
        The hidden layer the groups index (0 the first; ``-1`` the last).
    groups : tuple of tuple of int
        The neurons of ``layer`` that form each piece, in order along the domain (a bump: its rising and falling
        step).
    edges : tuple of tuple of float
        Cell edges (1D: knots) per axis; empty when the construction has none.
    steepness : float or None
        Sigmoid weight × cell width, when the construction has steps and no fixed weight.
    """

    method: str
    piece: str
    layer: int
    groups: tuple[tuple[int, ...], ...]
    edges: tuple[tuple[float, ...], ...] = ()
    steepness: float | None = None

    @property
    def group_size(self) -> int:
        """Neurons per piece (2 for a bump, 1 otherwise)."""
        return len(self.groups[0]) if self.groups else 1


@dataclass(frozen=True)
class Builder:
    """One construction in one dimension, and every fact about it that a menu, a check or a search needs.

    ``build(g, domain, cfg)`` gets the checked (and, for a sigmoid output, σ⁻¹-transformed) target values ``g``,
    the domain as ((a, b),) or ((a, b), (c, d)), and the :class:`ConstructConfig`; it returns the Network, whose
    ``info`` it fills with what it placed and whose ``layout`` is a :class:`Layout`. ``dimension`` is 1, 2, or 0
    for a deep construction that takes only a domain.

    Valid neuron counts are the ladder ``count(k)``, k = ``k_min``, ``k_min`` + 1, ... (increasing), up to
    ``max_neurons``: the counts the construction uses in full. Asked for a count between two rungs, a builder
    with ``rounds`` builds the rung below (:meth:`built`); one without refuses it with ``rule``. ``options`` (as a
    set: :attr:`uses`) are the config fields it reads beyond ``neurons``. The fields from ``menu`` on are what the
    front ends say and choose by (``REQUIRED``; :func:`names` picks methods by them). The values are
    ``FACTS[method, dimension]``.
    """

    dimension: int
    build: Callable
    summary: str
    options: tuple[str, ...] = ()
    method: str = ""
    rung: Callable[[int], int] = _any_count
    k_min: int = 1
    max_neurons: int = limits.MAX_NEURONS
    rounds: bool = False
    rule: str = ""  # why a count off the ladder is refused, with {what} for the option's name
    why_min: str = ""  # what the smallest count holds (named in the error below it)
    why_max: str = ""  # why the largest count is the largest (named in the error above it)
    group: int = 1  # neurons of the last hidden layer per piece (a bump: 2)
    piece: str = "neuron"  # what one group is: bump, step, hinge, tower, hat, ridge step, tent
    menu: str = ""  # the few words a method menu gives it (--method's help)
    about: str = ""  # what a report says was built ("sigmoid steps in pairs"); the summary when not given
    compared: bool = False  # compare and sweep run it unless told which methods
    scene: str = ""  # the explainer scene (univ.scene_table.SCENES) that shows it; "" none
    height: str = "weight"  # 1D: what one output weight is, a height slider's label (h, jump, slope)
    note: str = ""  # 1D: what the heights mean, in the page's words
    page_draws: bool = False  # 1D: the page's draw mode rebuilds it (univ/assets/page.js ports the construction)
    classifies: bool = False  # 2D: construct_classifier builds each class's indicator with it

    @property
    def uses(self) -> frozenset[str]:
        """The config fields this construction reads beyond ``neurons``."""
        return frozenset(self.options)

    @property
    def min_neurons(self) -> int:
        """The smallest valid count, ``count(k_min)``."""
        return self.count(self.k_min)

    def count(self, k: int) -> int:
        """The k-th valid neuron count (increasing in k, from ``k_min``)."""
        return int(self.rung(k))

    def _k_at_most(self, n: int) -> int:
        """The largest k with count(k) ≤ n (n ≥ min_neurons): doubling, then bisection."""
        lo, step = self.k_min, 1
        while self.count(lo + step) <= n:
            lo, step = lo + step, 2 * step
        hi = lo + step  # count(lo) ≤ n < count(hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if self.count(mid) <= n else (lo, mid)
        return lo

    def at_most(self, n: int) -> int:
        """The largest valid count ≤ ``n`` (a ConfigError below the smallest)."""
        n = check.whole("neurons", n, self.min_neurons)
        return self.count(self._k_at_most(n))

    def valid(self, n) -> bool:
        """Whether ``n`` is a count this construction uses in full, within its range."""
        if not check.is_int(n) or not self.min_neurons <= n <= self.max_neurons:
            return False
        return self.at_most(int(n)) == n

    def check_neurons(self, n, what: str = "neurons") -> int:
        """``n`` as an int this construction accepts; otherwise the one ConfigError that says why.

        Out of range names the range (and, for 2D methods, what the smallest holds or why the largest is the
        largest); off the ladder, for a builder that does not round, names the rule (bumps: even counts).
        """
        lo, hi = self.min_neurons, self.max_neurons
        if check.is_int(n) and n < lo and self.why_min:
            raise ConfigError(f"{self.method} needs at least {lo} hidden {what} ({self.why_min}), got {n}")
        if check.is_int(n) and n > hi and self.why_max:
            where = f" in {self.dimension}D" if self.dimension == 2 else ""
            raise ConfigError(f"{self.method}{where} takes at most {hi:,} {what} ({self.why_max}), got {n:,}")
        n = check.whole(what, n, lo, hi)
        if not self.rounds and not self.valid(n):
            first = ", ".join(str(self.count(k)) for k in range(self.k_min, self.k_min + 3))
            rule = self.rule.format(what=what) if self.rule else f"{self.method} takes {what} {first}, ..."
            raise ConfigError(f"{rule}, got {n}")
        return n

    def built(self, n: int) -> int:
        """How many hidden neurons the construction really uses when asked for ``n`` (towers: 20 → 17)."""
        return self.at_most(self.check_neurons(n))


@dataclass(frozen=True)
class Method:
    """A way to build a network by hand, under the name users type; ``relu`` has a 1D and a 2D builder."""

    name: str
    builders: dict[int, Builder] = field(default_factory=dict)

    @property
    def dimensions(self) -> tuple[int, ...]:
        return tuple(sorted(self.builders))

    def builder(self, dimension: int) -> Builder:
        """The builder for a target of this dimension (a deep one takes any 1D domain)."""
        found = self.builders.get(dimension) or self.builders.get(0)
        if found is None or (found.dimension == 0 and dimension != 1):
            what = "needs x and y" if 2 in self.builders else "is a 1D method"
            raise ConfigError(f"{self.name} {what}; in {dimension}D use one of {', '.join(names(dimension))}")
        return found


METHODS: dict[str, Method] = {}


def register(name: str, dimension: int, build: Callable, summary: str, **facts) -> Builder:
    """Add a builder under ``name`` for one dimension (0: deep, domain only).

    Its facts come from ``FACTS[name, dimension]``; ``facts`` (:class:`Builder` fields: ``options``, ``rung``,
    ``k_min``, ``max_neurons``, ...) add to or override them, for a construction registered from outside univ.
    """
    method = METHODS.setdefault(name, Method(name))
    if dimension in method.builders:
        raise ConfigError(f"construction {name!r} is registered twice in {dimension}D")
    facts = {**FACTS.get((name, dimension), {}), **facts}
    facts["options"] = tuple(facts.get("options", ()))
    facts.setdefault("about", summary)
    unknown = set(facts["options"]) - set(OPTIONS)
    if unknown:
        raise ConfigError(f"construction {name!r} names unknown options {sorted(unknown)}")
    method.builders[dimension] = Builder(dimension, build, summary, method=name, **facts)
    return method.builders[dimension]


def names(dimension: int | None = None, having: str | None = None) -> tuple[str, ...]:
    """Method names, all or those with a builder for one dimension (1 or 2; 0 for deep), in the order registered.

    ``having`` names a :class:`Builder` fact (``"compared"``, ``"page_draws"``, ``"classifies"``, ``"scene"``): only
    the methods whose builder for ``dimension`` (any, when None) states it true or non-empty.
    """
    return tuple(
        m.name
        for m in METHODS.values()
        if any(
            (dimension is None or d == dimension) and (having is None or getattr(b, having))
            for d, b in m.builders.items()
        )
    )


def builder_of(network) -> Builder | None:
    """The registry's builder for a network built by hand (from ``info["method"]`` and its input dimension)."""
    method = METHODS.get(network.info.get("method"))
    if method is None:
        return None
    return method.builders.get(network.input_dim) or method.builders.get(0)


def layout_of(network) -> Layout | None:
    """A network's :class:`Layout`: the one its builder stored, or, for a network read back from JSON, the
    pieces its method makes (``group`` neurons each, in the last hidden layer); None for a trained net."""
    stored = getattr(network, "layout", None)
    if stored is not None:
        return stored
    builder = builder_of(network)
    if builder is None or not network.hidden:
        return None
    width, size = network.hidden[-1].fan_out, builder.group
    if width % size:
        return None
    groups = tuple(tuple(range(j, j + size)) for j in range(0, width, size))
    return Layout(network.info["method"], builder.piece, len(network.hidden) - 1, groups)
