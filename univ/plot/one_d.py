"""Matplotlib drawings of a network against its target; each function takes an ``ax`` and returns what it drew."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import numbers
from ..activations import ACTIVATIONS
from ..constructions.registry import layout_of
from ..measure import grid, measure
from .style import NETWORK_STYLE, PLOT_POINTS_1D, TARGET_STYLE, TEXT_SIZE, cycle, title


def groups(network) -> list[list[int]]:
    """Last-hidden-layer neurons grouped the way the construction used them (its layout): bump pairs, or one each."""
    width = network.hidden[-1].fan_out if network.hidden else 0
    layout = layout_of(network)
    if layout is not None and layout.layer in (-1, len(network.hidden) - 1):
        return [list(g) for g in layout.groups]
    return [[j] for j in range(width)]


def plot_approximation(ax, network, target, points: int = PLOT_POINTS_1D) -> dict[str, Any]:
    """Target and network output over the target's 1D domain. Returns ``{"target": line, "network": line}``."""
    (x,) = grid(target.domain, points)
    (t,) = ax.plot(x, target.evaluate(x), **TARGET_STYLE)
    (n,) = ax.plot(x, network(x), **NETWORK_STYLE)
    ax.set_xlim(x[0], x[-1])
    ax.legend(loc="best", frameon=False)
    ax.set_title(title(target))
    return {"target": t, "network": n}


def plot_contributions(ax, network, target, points: int = PLOT_POINTS_1D, max_groups: int = 64) -> list:
    """Each hidden piece's part in the output, on a scale a reader can use, beneath the sum (Nielsen's picture).

    Bumps and steps: each pair's (or neuron's) weighted contribution, a curve of the piece's height. Hinges (relu):
    their contributions are ramps that grow across the whole domain and cancel one another (±1000 for sqrt(x) with
    64 neurons), so each hinge is drawn as what it adds: its change of slope at its knot (:func:`plot_kinks`).
    With more than ``max_groups`` groups, an evenly spaced selection of curves is drawn. Returns the lines drawn.
    """
    layout = layout_of(network)
    if layout is not None and layout.piece == "hinge" and len(network.hidden) == 1:
        return plot_kinks(ax, network, target)
    (x,) = grid(target.domain, points)
    gs = groups(network)
    chosen = gs if len(gs) <= max_groups else [gs[i] for i in np.linspace(0, len(gs) - 1, max_groups).astype(int)]
    contrib = _contributions(network, x, [j for g in chosen for j in g]) if chosen else np.zeros((len(x), 0))
    colours = cycle(len(chosen))
    lines = []
    start = 0
    for g, c in zip(chosen, colours):
        (line,) = ax.plot(x, contrib[:, start : start + len(g)].sum(axis=1), color=c, lw=1.0)
        start += len(g)
        lines.append(line)
    ax.axhline(0.0, color="0.6", lw=0.6)
    ax.set_xlim(x[0], x[-1])
    what = {2: "pair"}.get(max((len(g) for g in gs), default=1), "neuron")
    piece = f" (a {layout.piece})" if layout is not None and layout.piece in ("bump", "step") else ""
    shown = "" if len(chosen) == len(gs) else f", {len(chosen)} of {len(gs)} shown"
    ax.set_title(f"each hidden {what}'s contribution{piece}{shown}", fontsize=TEXT_SIZE)
    return lines


def kinks(network) -> tuple[np.ndarray, np.ndarray]:
    """Knots and kinks of a one-hidden-layer relu net: where each hinge bends, and by how much its slope changes.

    A hinge ``v·relu(w x + b)`` is flat on one side of its knot ``−b/w`` and has slope ``v·w`` on the other, so
    going right through the knot the output's slope changes by ``v·|w|`` whichever way the hinge faces. Returns
    ``(knots, kinks)`` sorted by knot.
    """
    layer = network.hidden[0]
    w, b, v = layer.w[0], layer.b, network.output.w[:, 0]
    live = w != 0  # a unit with w = 0 is a constant, not a hinge
    knots = -b[live] / w[live]
    change = v[live] * np.abs(w[live])
    order = np.argsort(knots, kind="stable")
    return knots[order], change[order]


def plot_kinks(ax, network, target) -> list:
    """Each hinge of a relu net as a stem at its knot, as tall as the change of slope it makes there.

    The hinge at the left end has nothing to bend from: its stem is the starting slope. Returns ``[stems, dots]``.
    """
    ((a, b),) = target.domain
    knots, change = kinks(network)
    inside = (knots >= a) & (knots <= b)
    knots, change = knots[inside], change[inside]
    stems = ax.vlines(knots, 0.0, change, color="#1f77b4", lw=1.0)
    (dots,) = ax.plot(knots, change, "o", color="#1f77b4", ms=3 if len(knots) <= 200 else 0, clip_on=False)
    ax.axhline(0.0, color="0.6", lw=0.6)
    ax.set_xlim(a, b)
    ax.set_ylabel("change of slope")
    first = " (the first: the starting slope)" if len(knots) and np.isclose(knots[0], a) else ""
    ax.set_title(f"each hinge's change of slope at its knot{first}", fontsize=TEXT_SIZE)
    return [stems, dots]


def _contributions(network, x: np.ndarray, neurons: list[int]) -> np.ndarray:
    """``network.contributions(x)[:, neurons]``, computing only those last-layer neurons: (len(x), len(neurons)).

    A figure draws at most a few dozen groups; computing all of 100,000 neurons on 2,001 points first held 1.6 GB.
    """
    last = network.hidden[-1]
    h = x.reshape(-1, 1) if len(network.hidden) == 1 else network.hidden_output(x, layer=-2)
    cols = np.asarray(neurons, dtype=int)
    z = h @ last.w[:, cols] + last.b[cols]  # (points, len(neurons))
    return ACTIVATIONS[last.activation].apply(z) * network.output.w[cols, 0]


def plot_error(ax, network, target, report=None, points: int = PLOT_POINTS_1D) -> list:
    """Absolute error |network − target| on a log scale, the report's worst point marked and its numbers in the title.

    The curve is drawn on ``points`` evenly spaced points plus the worst point; the numbers printed are the report's
    (:func:`univ.measure`'s certified max error, where, and RMSE, worded by :func:`univ.numbers.summary`), never
    the curve's own maximum. ``report`` defaults to ``measure(network, target)``. Returns ``[curve, marker]``.
    """
    report = _report(network, target, report)
    (worst,) = report.worst_at
    (x,) = grid(target.domain, points)
    x = np.union1d(x, [worst])  # the curve passes through the point the report names
    err = np.abs(network(x) - target.evaluate(x))
    floor = max(float(report.max_error) * 1e-8, 1e-300)
    (line,) = ax.semilogy(x, np.maximum(err, floor), color="#1f77b4", lw=1.0)
    (dot,) = ax.semilogy([worst], [max(report.max_error, floor)], "o", color="#1f77b4", ms=4, clip_on=False)
    ax.set_xlim(x[0], x[-1])
    ax.set_title(f"|error|: {numbers.summary(report)}", fontsize=TEXT_SIZE)
    return [line, dot]


def bound_label(bound) -> str:
    """How a figure words a :class:`univ.bounds.Bound`: the proof's promise, or an estimate for its slope."""
    what = "Barron estimate" if bound.estimate else "the proof promises"
    return f"{what} ≤ {numbers.error(bound.value)}"


def plot_bound(ax, bound):
    """The construction's a-priori bound as a dashed horizontal line over the error panel, labelled; the y-range
    grows to show it. Returns the line, or None (and says why in a corner) when there is no bound."""
    if bound.value is None:
        ax.text(0.99, 0.03, "no bound: " + bound.reason[:70], transform=ax.transAxes, ha="right", fontsize=TEXT_SIZE)
        return None
    line = ax.axhline(bound.value, color="#d62728", ls="--", lw=1.0, label=bound_label(bound))
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, max(hi, bound.value * 3.0))
    ax.legend(loc="lower right", fontsize=TEXT_SIZE, frameon=False)
    return line


def _report(network, target, report):
    """The report to print: the one given, else univ's certified measurement (the figure never measures its own)."""
    if report is not None:
        return report
    return measure(network, target)
