"""Neurons for ε: the smallest hand-built network whose certified max error is at most ε, and why when none is."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import limits
from . import validate as check
from .constructions import DEFAULT_METHOD, METHODS, configure, construct, resolve_target
from .errors import ConfigError
from .measure import measure
from .training import fit

STALL_RATIO = 0.9  # a doubling that cuts the max error by less than 10 % ...
STALL_DOUBLINGS = 2  # ... this many times in a row: the error has stopped falling
JUMP_PROBE_NEURONS = 64  # when a jump puts ε out of reach, doubling still goes this far to show the best reached
# The max error is not monotone in N (a knot landing on a kink can make a small net exact), so the first SCAN_COUNTS
# valid counts are all tried, in order, before doubling and bisection take over.
SCAN_COUNTS = 32
GUARANTEE = (
    "the net returned meets ε as certified by measure; the max error is not monotone in N, so the count is the "
    "smallest found (every count up to the first {scan} valid ones was tried, then doubling and bisection), and "
    "smaller counts not tried may also meet ε"
)
MAX_TRAINED_NEURONS = 256  # widest trained net neurons_for_each tries by default (training costs ~ width × epochs)


@dataclass(frozen=True, eq=False)
class NeuronSearch:
    """The result of :func:`neurons_for`.

    ``reached`` says whether some count within ``max_neurons`` gets the certified max error to ``eps``; then
    ``neurons`` is the smallest such count found among the method's valid counts (the next smaller valid count was
    tried and failed; ``guarantee`` says what that does and does not promise), and ``network``/``report`` are that
    net and its measurement. Otherwise they are the best reached, and ``reason`` says why ε is out of reach.
    ``tried`` lists (neurons, max error) in the order tried.
    """

    target: Any
    eps: float
    method: str
    reached: bool
    neurons: int
    network: Any
    report: Any
    tried: list[tuple[int, float]] = field(default_factory=list)
    reason: str = ""
    guarantee: str = ""

    @property
    def max_error(self) -> float:
        return float(self.report.max_error)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "eps": self.eps,
            "reached": self.reached,
            "neurons": self.neurons,
            "max_error": self.max_error,
            "rmse": float(self.report.rmse),
            "tried": [[n, e] for n, e in self.tried],
            "reason": self.reason,
            "guarantee": self.guarantee,
        }


# -- the counts each method can use ----------------------------------------------------------------------------
def ladder(method: str, dimension: int) -> tuple[Callable[[int], int], int]:
    """``(count, k_min)``: the k-th valid neuron count of ``method`` (increasing in k) and the smallest k.

    Valid counts are those a construction uses in full, as its registry entry says (``Builder.count``): bumps 2k
    (pairs); towers (k + 1)² + 1 (k × k cells); 2D relu (k + 5)² − 18; any count for steps, relu and heaviside in
    1D and for ridge (at least 4).
    """
    builder = _builder(method, dimension)
    return builder.count, builder.k_min


def _limit(method: str, dimension: int) -> int:
    return _builder(method, dimension).max_neurons


def _builder(method: str, dimension: int):
    """The registry entry a search runs over: a one-hidden-layer-count construction of this dimension."""
    check.choice("method", method, METHODS)
    builder = METHODS[method].builder(dimension)
    if builder.dimension == 0:
        raise ConfigError(
            f"{method} is a deep construction with a fixed size per depth; neurons_for searches one-hidden-layer counts"
        )
    return builder


def _continuous(network) -> bool:
    return all(layer.activation != "heaviside" for layer in getattr(network, "layers", ()))


# -- the search ------------------------------------------------------------------------------------------------
def neurons_for(
    target: Any,
    eps: float,
    method: str | None = None,
    *,
    max_neurons: int | None = None,
    domain=None,
    ydomain=None,
    callback: Callable[[int, float], Any] | None = None,
    **options: Any,
) -> NeuronSearch:
    """The smallest neuron count found whose certified max error is at most ``eps``, the net for it, and the search.

    Every one of the first ``SCAN_COUNTS`` valid counts in order (the error is not monotone in N: a small net can
    be exact), then doubling until the error is at most ``eps``, then bisection between the last count that failed
    and the first that passed. A count passes only when its max error is certified (``Report.certified``) and at
    most ``eps``, so the net returned meets ε; a smaller count that was not tried may meet it too.
    The search stops early, with ``reached=False`` and the reason,
    when ε cannot be reached: f jumps by more than 2ε (no continuous network gets below half a jump), or the error
    has stopped falling (a fixed ``weight`` and its windows of failure), or ``max_neurons`` is spent.

    Parameters
    ----------
    target : str, Target or callable
    eps : float
        The max error wanted (> 0).
    method : str, optional
        A key of ``univ.METHODS`` (default bumps in 1D, towers in 2D).
    max_neurons : int, optional
        The largest count tried (default the method's limit).
    callback : callable, optional
        ``callback(neurons, max_error)`` after each count is measured.
    **options
        Passed to :func:`univ.construct` (steepness, weight, knots, heights, output).

    Examples
    --------
    >>> r = neurons_for("sin(3x)", 1e-3, method="relu")
    >>> r.reached, r.neurons
    (True, 34)
    """
    eps = check.real("eps", eps, 0.0, None, lo_open=True)
    target = resolve_target(target, domain, ydomain)
    method = method if method is not None else DEFAULT_METHOD[target.dimension]
    count, k_min = ladder(method, target.dimension)
    top = _limit(method, target.dimension)
    limit = top if max_neurons is None else check.whole("max_neurons", max_neurons, count(k_min), top)
    configure(method, count(k_min), None, target.dimension, **options)  # every option checked before any work
    target.check()
    search = _Search(target, eps, method, count, callback, options)
    k_max = _largest_k(count, k_min, limit)
    # every count of the first SCAN_COUNTS in order, then doubling
    k, lo, hi, errors = k_min, None, None, []
    scan_end = k_min + SCAN_COUNTS - 1
    while True:
        if search.meets(k):
            hi = k
            break
        if k >= scan_end:  # the stall test looks at doublings only
            errors.append(search.built[k][1].max_error)
        lo = k
        reason = search.jump_reason(k, k_max) or _stall_reason(errors, search.tried, options)
        if reason is None and k == k_max:
            reason = (
                f"out of reach within {count(k_max):,} neurons (the limit): the best max "
                f"error was {min(e for _, e in search.tried):.4g} > ε = {eps:g}; raise max_neurons or ε"
            )
        if reason is not None:
            return search.result(search.best(), False, reason)
        k = k + 1 if k < scan_end else min(2 * k, k_max)
    # bisection between the last failure and the first success
    if lo is not None:
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if search.meets(mid):
                hi = mid
            else:
                lo = mid
    return search.result(hi, True)


def _largest_k(count: Callable[[int], int], k_min: int, limit: int) -> int:
    """The largest k whose count is within the limit (doubling then stepping: few iterations)."""
    k_max = k_min
    while count(k_max + 1) <= limit:
        step = 1
        while count(k_max + 2 * step) <= limit:
            step *= 2
        k_max += step
    return k_max


class _Search:
    """One search's state: the nets built and measured so far (by ladder step k) and the (count, error) tried."""

    def __init__(self, target, eps: float, method: str, count, callback, options: dict[str, Any]) -> None:
        self.target, self.eps, self.method, self.count = target, eps, method, count
        self.callback, self.options = callback, options
        self.tried: list[tuple[int, float]] = []
        self.built: dict[int, tuple[Any, Any]] = {}

    def attempt(self, k: int) -> float:
        count = self.count(k)
        net = construct(self.target, count, self.method, **self.options)
        rep = measure(net, self.target)
        self.built[k] = (net, rep)
        self.tried.append((count, float(rep.max_error)))
        if self.callback is not None:
            self.callback(count, float(rep.max_error))
        return rep.max_error

    def meets(self, k: int) -> bool:
        """Whether step k's net meets ε; an uncertified max error (a lower bound) never passes."""
        err = self.attempt(k)
        return err <= self.eps and bool(getattr(self.built[k][1], "certified", True))

    def best(self) -> int:
        return min(self.built, key=lambda k: self.built[k][1].max_error)

    def result(self, k: int, reached: bool, reason: str = "") -> NeuronSearch:
        net, rep = self.built[k]
        guarantee = GUARANTEE.format(scan=SCAN_COUNTS)
        return NeuronSearch(
            self.target, self.eps, self.method, reached, self.count(k), net, rep, self.tried, reason, guarantee
        )

    def jump_reason(self, k: int, k_max: int) -> str | None:
        """Why ε is out of reach when f jumps by more than 2ε (after a few more doublings, to show the best
        reached), or None."""
        net, rep = self.built[k]
        if not (rep.jumps and _continuous(net) and rep.jump_floor > self.eps):
            return None
        while self.count(k) < JUMP_PROBE_NEURONS and k < k_max:
            k = min(2 * k, k_max)
            self.attempt(k)
        at = rep.jumps[0][:-1]
        x = f"x = {at[0]:.6g}" if len(at) == 1 else f"(x, y) = ({at[0]:.6g}, {at[1]:.6g})"
        return (
            f"out of reach: f jumps by {rep.jumps[0][-1]:.4g} at {x}, and no network of "
            f"continuous units gets its max error below half a jump, "
            f"{rep.jump_floor:.4g} > ε = {self.eps:g} (the RMSE still falls)"
        )


def _stall_reason(errors: list[float], tried: list[tuple[int, float]], options: dict[str, Any]) -> str | None:
    """Why ε is out of reach when each of the last doublings cut the error by too little, or None."""
    if not (
        len(errors) > STALL_DOUBLINGS
        and all(errors[-i] > STALL_RATIO * errors[-i - 1] for i in range(1, STALL_DOUBLINGS + 1))
    ):
        return None
    why = (
        (
            "a fixed weight leaves windows of failure around every step, so the steps stop sharpening as "
            "cells shrink; use steepness instead"
        )
        if options.get("weight") is not None
        else ("more neurons no longer reduce it")
    )
    return (
        f"out of reach: the max error stopped falling at about {min(e for _, e in tried):.4g} "
        f"(each of the last {STALL_DOUBLINGS} doublings cut it by less than "
        f"{1 - STALL_RATIO:.0%}); {why}"
    )


def trained_neurons_for(
    target: Any,
    eps: float,
    *,
    max_neurons: int = MAX_TRAINED_NEURONS,
    callback: Callable[[int, float], Any] | None = None,
    **fit_options: Any,
) -> NeuronSearch:
    """The smallest power-of-two width of one trained hidden layer whose certified max error is at most ``eps``.

    Doubling only (2, 4, 8, ... up to ``max_neurons``): training is a search of its own, its error is not monotone
    in the width, and bisecting between two trained widths would measure the optimiser as much as the width. The
    ``method`` of the result is ``"fit"``; ``fit_options`` go to :func:`univ.fit` (seed, epochs, activation, ...).
    """
    eps = check.real("eps", eps, 0.0, None, lo_open=True)
    target = resolve_target(target, fit_options.pop("domain", None), fit_options.pop("ydomain", None))
    limit = check.whole("max_neurons", max_neurons, 2, limits.MAX_WIDTH)
    tried: list[tuple[int, float]] = []
    best = None
    n = 2
    while n <= limit:
        net = fit(target, hidden=(n,), **fit_options).network
        rep = measure(net, target)
        tried.append((n, float(rep.max_error)))
        if callback is not None:
            callback(n, float(rep.max_error))
        if best is None or rep.max_error < best[2].max_error:
            best = (n, net, rep)
        if rep.max_error <= eps:
            return NeuronSearch(
                target,
                eps,
                "fit",
                True,
                n,
                net,
                rep,
                tried,
                "the smallest power-of-two width tried that reaches ε (training: doubling only)",
            )
        if rep.jumps and rep.jump_floor > eps:
            break
        n *= 2
    n, net, rep = best
    why = (
        f"ε = {eps:g} is below half the jump of f, {rep.jump_floor:.4g}"
        if rep.jumps and rep.jump_floor > eps
        else f"no trained width up to {limit} reached it; the best max error was {rep.max_error:.4g}"
    )
    return NeuronSearch(target, eps, "fit", False, n, net, rep, tried, f"out of reach: {why}")


def neurons_for_each(
    target: Any,
    eps: float,
    methods: Sequence[str] | None = None,
    *,
    trained: bool = False,
    fit_options: dict[str, Any] | None = None,
    **options: Any,
) -> dict[str, NeuronSearch]:
    """:func:`neurons_for` for several methods side by side (default: every one-hidden-layer-count method of the
    target's dimension), plus the trained one-hidden-layer net's width (key ``"fit"``) when ``trained``.

    Options a method does not use are left out for it (a ReLU has no steepness).
    """
    target = resolve_target(target, options.pop("domain", None), options.pop("ydomain", None))
    if methods is None:
        methods = tuple(
            name
            for name, m in METHODS.items()
            if target.dimension in m.builders and m.builders[target.dimension].dimension != 0
        )
    out = {}
    for name in methods:
        builder = METHODS[name].builder(target.dimension)
        own = {k: v for k, v in options.items() if k in builder.options or k in ("max_neurons", "callback")}
        out[name] = neurons_for(target, eps, name, **own)
    if trained:
        extra = {k: v for k, v in options.items() if k == "callback"}
        out["fit"] = trained_neurons_for(target, eps, **extra, **(fit_options or {}))
    return out


__all__ = ["NeuronSearch", "ladder", "neurons_for", "neurons_for_each", "trained_neurons_for"]
