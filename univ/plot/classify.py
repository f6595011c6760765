"""Decision regions of a classifier: its classes, boundary, the true boundary, misclassified area and samples."""

from __future__ import annotations

import io
import textwrap
from typing import Any

import numpy as np

from .figures import new_figure
from .style import TEXT_SIZE, TITLE_SIZE, qualitative

PLOT_SIDE = 400  # pixels per side of the decision map
THEMES = {
    # background, text, misclassified colour, boundary colour, how strongly class colours tint the background
    "light": dict(bg="white", fg="black", wrong="#b2182b", edge="black", tint=0.28),
    "dark": dict(bg="#111418", fg="#e8e8e8", wrong="#ff6b6b", edge="white", tint=0.38),
}


def _mix(colour, bg, t: float) -> np.ndarray:
    """``colour`` blended into ``bg`` with weight t (a light tint of a class colour)."""
    from matplotlib.colors import to_rgb

    return (1 - t) * np.array(to_rgb(bg)) + t * np.array(to_rgb(colour))


def plot_decisions(ax, network, target, report: dict[str, Any] | None = None, theme: str = "light") -> dict:
    """Draw on ``ax`` the class ``network`` picks over the domain (tinted), its decision boundary (solid), the true
    boundary of region classes (dashed), the misclassified area (hatched) and data samples (dots; held-out ones as
    crosses). The numbers in the title are ``report``'s (the measured report), never re-measured here.

    Returns what it drew: ``{"image", "boundary", "truth", "wrong", "samples", "holdout"}`` (absent ones None).
    """
    from matplotlib.colors import ListedColormap

    look = THEMES[theme]
    c = target
    (a, b), (lo, hi) = c.domain
    t = (np.arange(PLOT_SIDE) + 0.5) / PLOT_SIDE
    X, Y = np.meshgrid(a + (b - a) * t, lo + (hi - lo) * t)
    decided = np.argmax(network(X, Y), axis=-1)
    colours = qualitative(c.k)
    cmap = ListedColormap([_mix(col, look["bg"], look["tint"]) for col in colours])
    drawn: dict[str, Any] = dict.fromkeys(("image", "boundary", "truth", "wrong", "samples", "holdout"))
    drawn["image"] = ax.imshow(
        decided, origin="lower", extent=(a, b, lo, hi), cmap=cmap, vmin=-0.5, vmax=c.k - 0.5, interpolation="nearest"
    )
    levels = np.arange(c.k - 1) + 0.5
    if c.k > 1 and decided.min() != decided.max():
        drawn["boundary"] = ax.contour(X, Y, decided, levels=levels, colors=look["edge"], linewidths=1.4)
    if c.kind != "data":
        truth = c.labels(X, Y)
        wrong = (decided != truth).astype(float)
        if truth.min() != truth.max():
            drawn["truth"] = ax.contour(
                X, Y, truth, levels=levels, colors=look["fg"], linewidths=1.0, linestyles="dashed"
            )
        if wrong.any():
            drawn["wrong"] = ax.contourf(
                X, Y, wrong, levels=[0.5, 1.5], colors=[look["wrong"]], alpha=0.55, hatches=["////"]
            )
    else:
        pts, lab = c.samples
        drawn["samples"] = ax.scatter(
            pts[:, 0], pts[:, 1], c=[colours[i] for i in lab], s=9, edgecolors=look["edge"], linewidths=0.3
        )
        if c.holdout is not None:
            hp, hl = c.holdout
            drawn["holdout"] = ax.scatter(hp[:, 0], hp[:, 1], c=[colours[i] for i in hl], s=22, marker="x")
    ax.set_xlim(a, b)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal" if 0.2 < (b - a) / (hi - lo) < 5 else "auto")
    ax.set_xlabel("x", fontsize=TEXT_SIZE)
    ax.set_ylabel("y", fontsize=TEXT_SIZE)
    _style(ax, look)
    if report is not None:
        ax.set_title(_headline(report), fontsize=TEXT_SIZE, color=look["fg"])
    return drawn


def _headline(r: dict[str, Any]) -> str:
    head = f"{r['method']}: {r['neurons']} hidden neurons"
    if r.get("misclassified") is not None:
        return (
            f"{head}\nmisclassified {100 * r['misclassified']:.2f} % of the area "
            f"(certified {100 * r['misclassified_lower']:.2f} to {100 * r['misclassified_upper']:.2f} %)"
        )
    held = r.get("accuracy_holdout")
    tail = f", held out {100 * held:.1f} %" if held is not None else ""
    return f"{head}\naccuracy {100 * r['accuracy']:.1f} % on the samples{tail}"


def _style(ax, look) -> None:
    ax.set_facecolor(look["bg"])
    ax.tick_params(colors=look["fg"], labelsize=TEXT_SIZE)
    ax.xaxis.label.set_color(look["fg"])
    ax.yaxis.label.set_color(look["fg"])
    for spine in ax.spines.values():
        spine.set_color(look["fg"])


def classify_figure(fig, pairs: list[tuple[Any, dict[str, Any]]], target, theme: str = "light") -> None:
    """One decision map per (network, report) in ``pairs``, side by side (built by hand, then trained)."""
    look = THEMES[theme]
    fig.set_facecolor(look["bg"])
    axes = np.atleast_1d(fig.subplots(1, len(pairs)))
    for ax, (network, report) in zip(axes, pairs):
        plot_decisions(ax, network, target, report, theme)
    width = 64 * len(pairs)  # characters a line of the title holds at TITLE_SIZE, per panel
    names = "classes " + ", ".join(f"{i}: {n}" for i, n in enumerate(target.names))
    lines = textwrap.wrap(target.text, width) + textwrap.wrap(names, width)
    fig.suptitle("\n".join(lines), fontsize=TITLE_SIZE, color=look["fg"])


def classify_png(pairs, target, theme: str = "light", dpi: int = 120) -> bytes:
    """PNG bytes of :func:`classify_figure`, 5.5 inches wide per panel."""
    fig = new_figure((5.5 * len(pairs), 6.0))
    classify_figure(fig, pairs, target, theme)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor=fig.get_facecolor())
    return buf.getvalue()
