"""Matplotlib drawings of a 2D network against its target; each function takes an ``ax`` and returns what it drew."""

from __future__ import annotations

import math
import textwrap
from typing import Any

import numpy as np

from .. import numbers
from ..constructions.registry import layout_of
from ..constructions.two_d import tower
from ..measure import grid, measure
from .style import TEXT_SIZE, title

SURFACE_POINTS = 101  # per side for the network: a few samples per cell for a few dozen cells
TARGET_POINTS = 61  # the target is smooth (drawing cost grows with the square)
ERROR_POINTS = 301  # per side: about the measuring grid's 307, so the map shows what the report measured
ERROR_MAP_WORK = 10_000_000_000  # points × parameters the map evaluates at most: large nets get a coarser map
MIN_ERROR_POINTS = 101
BLOCK_POINTS = 61
BLOCK_COLOR = "#e8833a"
SURFACE_STYLE = {"cmap": "viridis", "linewidth": 0, "antialiased": False}


def _surface(ax, X, Y, Z, zlim=None, **style):
    from matplotlib.ticker import MaxNLocator

    surf = ax.plot_surface(X, Y, Z, **{**SURFACE_STYLE, **style})
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_major_locator(MaxNLocator(4))
    ax.tick_params(labelsize=TEXT_SIZE, pad=1)
    if zlim is not None:
        ax.set_zlim(*zlim)
    ax.view_init(elev=28, azim=-60)
    return surf


def _zlim(values: np.ndarray) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    pad = 0.05 * (hi - lo or 1.0)
    return lo - pad, hi + pad


def plot_target_surface(ax, target, points: int = TARGET_POINTS, zlim=None):
    """The target f(x, y) as a surface on a 3D ``ax``. Returns the surface."""
    X, Y = grid(target.domain, points)
    Z = target.evaluate(X, Y)
    surf = _surface(ax, X, Y, Z, zlim or _zlim(Z), rcount=points, ccount=points)
    ax.set_title(f"target {title(target)}", fontsize=TEXT_SIZE)
    return surf


def plot_network_surface(ax, network, target, points: int = SURFACE_POINTS, zlim=None):
    """The network's output over the target's domain as a surface on a 3D ``ax``. Returns the surface."""
    X, Y = grid(target.domain, points)
    Z = network(X, Y)
    surf = _surface(ax, X, Y, Z, zlim or _zlim(Z), rcount=points, ccount=points)
    sizes = " + ".join(str(s) for s in network.hidden_sizes)
    ax.set_title(f"network: {sizes} hidden neurons", fontsize=TEXT_SIZE)
    return surf


def error_map_points(network) -> int:
    """Points per side of the default error map: the measuring grid's 301, fewer for large nets.

    A net of more than ERROR_MAP_WORK / 301² ≈ 110,000 parameters gets √(ERROR_MAP_WORK / parameters) per side (at
    least 101), so the figure costs a bounded share of the measurement: 2D relu at 3,000 neurons has 1,001,195
    parameters and is drawn on 101 × 101 points.
    """
    return max(MIN_ERROR_POINTS, min(ERROR_POINTS, math.isqrt(ERROR_MAP_WORK // max(network.n_params, 1))))


def plot_error_map(ax, network, target, report=None, points: int | None = None) -> dict[str, Any]:
    """|network − target| as a heat map on a 2D ``ax``, edges included, the report's worst point marked.

    The map is a picture on ``points`` per side (default :func:`error_map_points`; a map coarser than the measuring
    grid says so); the numbers in the title are the report's (:func:`univ.measure`'s certified max error, where,
    and RMSE, worded by :func:`univ.numbers.summary`), never the map's own. ``report`` defaults to
    ``measure(network, target)``. Returns ``{"image": AxesImage, "worst": Line2D, "colorbar": Colorbar}``.
    """
    if report is None:
        report = measure(network, target)
    points = error_map_points(network) if points is None else points
    X, Y = grid(target.domain, points)
    err = np.abs(network(X, Y) - target.evaluate(X, Y))
    (a, b), (c, d) = target.domain
    top = max(float(report.max_error), float(err.max()))  # the scale reaches the certified max, not the map's own
    image = ax.imshow(
        err, origin="lower", extent=(a, b, c, d), aspect="auto", cmap="magma", interpolation="nearest", vmin=0, vmax=top
    )
    wx, wy = report.worst_at
    (worst,) = ax.plot([wx], [wy], "o", mfc="none", mec="#00e5ff", ms=9, mew=1.5, clip_on=False)
    colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.85)
    coarse = f" (map on {points}×{points} points)" if points < ERROR_POINTS else ""
    ax.set_title(
        f"|error|{coarse}, RMSE {numbers.error(report.rmse)}\n{numbers.max_error_at(report)}", fontsize=TEXT_SIZE
    )
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return {"image": image, "worst": worst, "colorbar": colorbar}


def _middle_window(info, nodes: bool):
    """The middle cell (or node) of a 2D construction's grid and a window 1.5 cells either side of it."""
    (a, b), (c, d) = info["domain"]
    m = info["cells"][0]
    hx, hy = (b - a) / m, (d - c) / m
    i = m // 2
    cx, cy = (a + i * hx, c + i * hy) if nodes else (a + (i + 0.5) * hx, c + (i + 0.5) * hy)
    return i, m, (cx, cy), (hx, hy), ((cx - 1.5 * hx, cx + 1.5 * hx), (cy - 1.5 * hy, cy + 1.5 * hy))


def plot_building_block(ax, network, points: int = BLOCK_POINTS):
    """One building block of a 2D construction on its own, on a 3D ``ax``. Returns the surface.

    towers: a single tower (:func:`univ.tower`) on the middle cell, with the network's steepness — the nested
    towers of the network are the same neuron standing on larger blocks; relu: the hat neuron on the middle
    node; ridge: one hidden neuron, a step along one direction (one hidden layer makes no tower).
    """
    info = network.info
    layout = layout_of(network)  # what the construction's pieces are: towers, hats, or ridge steps
    piece = layout.piece if layout is not None else None
    if piece == "tower":
        i, m, (cx, cy), (hx, hy), window = _middle_window(info, nodes=False)
        one = tower(cx - hx / 2, cx + hx / 2, cy - hy / 2, cy + hy / 2, 1.0, info["steepness"], info["tower_steepness"])
        X, Y = grid(window, points)
        Z = one(X, Y)
        label = f"a single tower (4 steps, 1 threshold) on cell ({i}, {i}) of {m}×{m}"
    elif piece == "hat":
        i, m, _, _, window = _middle_window(info, nodes=True)
        X, Y = grid(window, points)
        Z = network.hidden_output(X, Y, layer=1)[:, i * (m + 1) + i].reshape(X.shape)  # hats: i*(m+1) + j
        label = f"one hat neuron (layer 2) on node ({i}, {i})"
    else:
        (a, b), (c, d) = info["domain"]
        unit = network.hidden[0].fan_out // 2
        w = network.hidden[0].w[:, unit]
        angle = float(np.degrees(np.arctan2(w[1] * (d - c), w[0] * (b - a))))
        X, Y = grid(((a, b), (c, d)), points)
        Z = network.hidden_output(X, Y, layer=0)[:, unit].reshape(X.shape)
        label = f"one hidden neuron: a step along {angle:.0f}° (one layer makes no tower)"
    surf = _surface(ax, X, Y, Z, (-0.05, 1.05), rcount=points, ccount=points, cmap=None, color=BLOCK_COLOR, shade=True)
    ax.set_title(textwrap.fill(label, 44), fontsize=TEXT_SIZE)  # a 3D panel is narrow: a long label wraps
    return surf


def plot_tower(ax, tower_network, points: int = BLOCK_POINTS, margin: float = 1.0):
    """A tower built by :func:`univ.tower` over its footprint widened by ``margin`` footprints each side.

    Returns the surface.
    """
    (x0, x1), (y0, y1) = tower_network.info["domain"]
    wx, wy = margin * (x1 - x0), margin * (y1 - y0)
    X, Y = grid(((x0 - wx, x1 + wx), (y0 - wy, y1 + wy)), points)
    Z = tower_network(X, Y)
    surf = _surface(
        ax, X, Y, Z, _zlim(np.append(Z, 0.0)), rcount=points, ccount=points, cmap=None, color=BLOCK_COLOR, shade=True
    )
    ax.set_title(f"a tower of height {tower_network.info['height']:g}", fontsize=TEXT_SIZE)
    return surf
