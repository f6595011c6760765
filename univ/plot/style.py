"""The looks every univ figure shares: line styles, colour cycles, titles (matplotlib imported only when drawing)."""

from __future__ import annotations

import numpy as np

TARGET_STYLE = dict(color="black", lw=2.0, label="target")
NETWORK_STYLE = dict(color="#d62728", lw=1.6, label="network")
PLOT_POINTS_1D = 2001
# The smallest text a figure prints: matplotlib's axis-label size (rcParams "font.size", 10 pt, "medium"), so a
# title, legend or note is never smaller than the labels a projector has to show; a figure's own title is larger.
TEXT_SIZE = 10
TITLE_SIZE = 12


def title(target) -> str:
    """The target's formula as mathtext, or the text the user typed when that will not typeset."""
    try:
        return f"${target.latex}$"
    except (ValueError, TypeError, RecursionError):  # sympy could not print it (its errors derive from these)
        return target.text  # a title is decoration: the text the user typed will do


def cycle(n: int, cmap: str = "viridis") -> list:
    """n colours along a sequential colour map."""
    import matplotlib

    colours = matplotlib.colormaps[cmap]
    return [colours(v) for v in np.linspace(0.05, 0.9, max(n, 1))]


def qualitative(n: int) -> list:
    """n colours from tab10, repeating."""
    import matplotlib

    colours = matplotlib.colormaps["tab10"]
    return [colours(i % 10) for i in range(max(n, 1))]
