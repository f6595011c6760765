"""Matplotlib drawings of a network against its target; each function takes an ``ax`` and returns what it drew."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..measure import grid
from .style import NETWORK_STYLE, PLOT_POINTS_1D, TARGET_STYLE, cycle, title


def groups(network) -> list[list[int]]:
    """Last-hidden-layer neurons grouped the way the construction used them: bump pairs, or one each."""
    width = network.hidden[-1].fan_out if network.hidden else 0
    if network.info.get("method") == "bumps" and width % 2 == 0:
        return [[2 * j, 2 * j + 1] for j in range(width // 2)]
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
    what = "pair" if network.info.get("method") == "bumps" else "neuron"
    shown = "" if len(chosen) == len(gs) else f" ({len(chosen)} of {len(gs)} shown)"
    ax.set_title(f"each hidden {what}'s contribution{shown}", fontsize=10)
    return lines


def _contributions(network, x: np.ndarray, neurons: list[int]) -> np.ndarray:
    """``network.contributions(x)[:, neurons]``, computing only those last-layer neurons: (len(x), len(neurons)).

    A figure draws at most a few dozen groups; computing all of 100,000 neurons on 2,001 points first held 1.6 GB.
    """
    from ..activations import ACTIVATIONS

    last = network.hidden[-1]
    h = x.reshape(-1, 1) if len(network.hidden) == 1 else network.hidden_output(x, layer=-2)
    cols = np.asarray(neurons, dtype=int)
    z = h @ last.w[:, cols] + last.b[cols]  # (points, len(neurons))
    return ACTIVATIONS[last.activation].apply(z) * network.output.w[cols, 0]


def plot_error(ax, network, target, points: int = PLOT_POINTS_1D) -> list:
    """Absolute error |network − target| on a log scale, the worst point marked."""
    (x,) = grid(target.domain, points)
    err = np.abs(network(x) - target.evaluate(x))
    floor = max(float(err.max()) * 1e-8, 1e-300)
    (line,) = ax.semilogy(x, np.maximum(err, floor), color="#1f77b4", lw=1.0)
    k = int(np.argmax(err))
    (dot,) = ax.semilogy([x[k]], [err[k]], "o", color="#1f77b4", ms=4)
    ax.set_xlim(x[0], x[-1])
    ax.set_title(f"|error|, max {err[k]:.3g} at x = {x[k]:.4g}", fontsize=10)
    return [line, dot]
