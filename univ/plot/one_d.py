"""Matplotlib drawings of a network against its target; each function takes an ``ax`` and returns what it drew."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import numbers
from ..activations import ACTIVATIONS
from ..constructions.registry import layout_of
from ..measure import grid, measure
from .style import NETWORK_STYLE, PLOT_POINTS_1D, TARGET_STYLE, cycle, title


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
    """Each hidden pair's (or neuron's) weighted contribution to the output, Nielsen's picture beneath the sum.

    With more than ``max_groups`` groups, an evenly spaced selection is drawn. Returns the lines drawn.
    """
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
    what = "pair" if max((len(g) for g in gs), default=1) == 2 else "neuron"
    shown = "" if len(chosen) == len(gs) else f" ({len(chosen)} of {len(gs)} shown)"
    ax.set_title(f"each hidden {what}'s contribution{shown}", fontsize=10)
    return lines


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
    ax.set_title(f"|error|: {numbers.summary(report)}", fontsize=10)
    return [line, dot]


def _report(network, target, report):
    """The report to print: the one given, else univ's certified measurement (the figure never measures its own)."""
    if report is not None:
        return report
    return measure(network, target)
