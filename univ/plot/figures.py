"""Whole figures, one function per command's picture; each draws into a matplotlib ``Figure`` a notebook can show.

``figure_png(draw_fn, *args)`` renders any of them headless to PNG bytes (a bare Figure with the Agg canvas: no
pyplot, no global backend switch, so a notebook's inline plots and a desktop's windows are left alone).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import numbers
from ..measure import grid
from .style import TEXT_SIZE, TITLE_SIZE, qualitative

FIGURE_POINTS_2D = 201  # per side, for images of 2D fits
FIGSIZE = {  # inches, by figure
    "approx_1d": (8.0, 8.0),
    "approx_2d": (11.0, 9.0),
    "fit": (8.0, 7.0),
    "compare": (9.0, 10.0),
    "sweep": (10.0, 4.6),
    "depth": (8.0, 6.0),
    "neurons_for": (8.0, 5.5),
}


def new_figure(figsize=(8.0, 8.0)):
    """A constrained-layout Figure on the Agg canvas (no pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def figure_png(draw: Callable[..., Any], *args: Any, figsize=None, dpi: int = 120) -> bytes:
    """PNG bytes of ``draw(fig, *args)``; ``figsize`` defaults to the one registered for ``draw``."""
    name = draw.__name__.removesuffix("_figure")
    if name == "approx":  # one command, two pictures: 2D has four panels side by side
        name += "_2d" if args[1].dimension == 2 else "_1d"
    fig = new_figure(figsize or FIGSIZE.get(name, (8.0, 8.0)))
    draw(fig, *args)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def approx_1d_figure(fig, network, target, report=None, bound=None) -> None:
    """Target and network; each hidden pair's contribution beneath (Nielsen's picture); the error on a log scale.

    The numbers printed are ``report``'s (default: ``univ.measure(network, target)``), as in the terminal.
    """
    from . import one_d

    top, mid, low = fig.subplots(3, 1, sharex=True, height_ratios=[3, 2, 1.3])
    one_d.plot_approximation(top, network, target)
    one_d.plot_contributions(mid, network, target)
    one_d.plot_error(low, network, target, report)
    if bound is not None:
        one_d.plot_bound(low, bound)
    low.set_xlabel("x")
    fig.suptitle(
        f"{network.info.get('method')}: {network.n_hidden} hidden neurons, one hidden layer", fontsize=TITLE_SIZE
    )


def approx_2d_figure(fig, network, target, report=None, bound=None) -> None:
    """Target and network surfaces, the error map, and the construction's building block on its own.

    The numbers printed are ``report``'s (default: ``univ.measure(network, target)``), as in the terminal.
    """
    from . import two_d

    cells = fig.add_gridspec(2, 2)
    ax_t = fig.add_subplot(cells[0, 0], projection="3d")
    ax_n = fig.add_subplot(cells[0, 1], projection="3d")
    ax_e = fig.add_subplot(cells[1, 0])
    ax_b = fig.add_subplot(cells[1, 1], projection="3d")
    two_d.plot_target_surface(ax_t, target)
    two_d.plot_network_surface(ax_n, network, target, zlim=ax_t.get_zlim())
    two_d.plot_error_map(ax_e, network, target, report)
    if bound is not None and bound.value is not None:  # above the map's scale: said under its title
        from . import one_d

        ax_e.set_title(f"{ax_e.get_title()}\n{one_d.bound_label(bound)}", fontsize=ax_e.title.get_fontsize())
    two_d.plot_building_block(ax_b, network)
    layers = len(network.hidden)
    fig.suptitle(
        f"{network.info.get('method')}: {network.n_hidden} hidden neurons "
        f"({' + '.join(map(str, network.hidden_sizes))}), {layers} hidden layer{'s' * (layers > 1)}",
        fontsize=TITLE_SIZE,
    )


def approx_figure(fig, network, target, report=None, bound=None) -> None:
    """The figure ``univ approx`` writes: 1D or 2D by the target, printing ``report``'s numbers.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Drawn into.
    network, target : Network, Target
        What was built, and for what.
    report : Report, optional
        The run's measurement (:func:`univ.measure`), whose max error, location and RMSE the figure prints; measured
        here when not given. The figure never prints numbers of its own sampling.
    bound : Bound, optional
        The construction's a-priori bound (:func:`univ.bounds.bound`), drawn over the error panel.
    """
    (approx_2d_figure if target.dimension == 2 else approx_1d_figure)(fig, network, target, report, bound)


def fit_figure(fig, network, target, history) -> None:
    """A trained net over its target (1D, with snapshots) or as images (2D), and the training loss."""
    from . import training

    if target.dimension == 1:
        top, low = fig.subplots(2, 1, height_ratios=[3, 2])
        training.plot_fit(top, network, target, history)
        top.set_xlabel("x")
    else:
        axes = fig.subplots(2, 2)
        X, Y = grid(target.domain, FIGURE_POINTS_2D)
        truth, final = target.evaluate(X, Y), network(X, Y)
        for ax, values, name in (
            (axes[0, 0], truth, "target"),
            (axes[0, 1], final, "trained net"),
            (axes[1, 0], np.abs(final - truth), "|error|"),
        ):
            fig.colorbar(training.plot_surface(ax, values, target, name), ax=ax)
        low = axes[1, 1]
    training.plot_loss(low, history)
    low.set_title("training loss", fontsize=TEXT_SIZE)
    info = network.info
    fig.suptitle(
        f"fit: hidden {info.get('hidden')} {info.get('activation')}, {info.get('optimizer')}, "
        f"{history.counted}",  # "iterations" for lbfgs and lm, as the CLI says
        fontsize=TITLE_SIZE,
    )


def compare_figure(fig, result) -> None:
    """Every model over the target, their errors, and the trained nets' loss curves."""
    from . import training

    top, mid, low = fig.subplots(3, 1, height_ratios=[3, 2, 2])
    training.plot_models(top, result)
    training.plot_model_errors(mid, result)
    histories = {m.name: m.history for m in result.models if m.history is not None}
    if histories:
        training.plot_loss(low, histories)
        low.set_title("training loss of the trained nets", fontsize=TEXT_SIZE)
    else:
        low.set_axis_off()


def sweep_figure(fig, result, bounds=None, bound_slopes=None) -> None:
    """Max error and RMSE against neurons on log-log axes, one line per method; with ``bounds`` (from
    :func:`univ.bounds.sweep_bounds`) each construction's bound dashed beside its max error, both slopes labelled."""
    from . import training

    left, right = fig.subplots(1, 2)
    drawn = training.plot_sweep(left, result, "max_error")
    if bounds:
        training.plot_sweep_bounds(left, result.neurons, bounds, bound_slopes or {}, drawn)
    left.set_title("max error", fontsize=TEXT_SIZE)
    training.plot_sweep(right, result, "rmse")
    right.set_title("RMSE", fontsize=TEXT_SIZE)
    fig.suptitle(f"convergence: {result.target.text}", fontsize=TITLE_SIZE)


def neurons_for_figure(fig, target, eps: float, searches: dict) -> None:
    """``sweep --max-error``: each method's certified max error at every count its search tried, the goal ε as a
    line, and the count each search settled on ringed (the fewest found at or under ε, or the best reached).

    ``searches`` maps a method to its :class:`univ.search.NeuronSearch` or that search's ``to_dict()``.
    """
    ax = fig.subplots()
    drawn = {}
    for (m, r), c in zip(searches.items(), qualitative(len(searches))):
        r = r if isinstance(r, dict) else r.to_dict()
        tried = sorted((int(n), float(e)) for n, e in r["tried"] if e > 0)
        if not tried:
            continue
        n, e = np.array(tried).T
        said = f"{m}: {r['neurons']} neurons" if r["reached"] else f"{m}: not reached"
        (drawn[m],) = ax.loglog(n, e, "o-", color=c, ms=4, lw=1.3, label=said)
        ax.loglog([r["neurons"]], [r["max_error"]], "o", ms=12, mfc="none", mec=c, mew=1.6)
    ax.axhline(eps, color="0.3", ls="--", lw=1.0, label=f"goal: max error ≤ {eps:g}")
    ax.set_xlabel("hidden neurons N")
    ax.set_ylabel("certified max error")
    ax.grid(True, which="major", color="0.92", lw=0.5)
    ax.legend(loc="best", frameon=False, fontsize=TEXT_SIZE)
    ax.set_title("the counts each search tried; ringed: the one it settled on", fontsize=TEXT_SIZE)
    fig.suptitle(f"fewest neurons for max error ≤ {eps:g}: {target.text}", fontsize=TITLE_SIZE)


def depth_figure(fig, target, networks: dict, rows: list[dict]) -> None:
    """The sawtooth and each net that tries to match it, one panel each."""
    axes = fig.subplots(len(networks), 1, sharex=True)
    ((a, b),) = target.domain
    x = np.linspace(a, b, 4001)
    t = target(x)
    for ax, (name, net), row in zip(axes, networks.items(), rows):
        ax.plot(x, t, color="black", lw=2.2, label="sawtooth")
        ax.plot(x, net(x), color="tab:red", lw=1.2, label="network")
        # the proven floor on a line of its own: one line would run past the figure's edge
        floor = "" if row.get("floor") is None else f"\nproven ≥ {row['floor']:g} (m units, at most m kinks)"
        ax.set_title(
            f"{name}: {row['parameters']} parameters, max error {numbers.error(row['max_error'])}{floor}",
            fontsize=TEXT_SIZE,
        )
        ax.set_ylim(-0.15, 1.15)
    # above the panels, not over them: every tooth reaches the top of its panel
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside upper center", ncol=2, fontsize=TEXT_SIZE)
    axes[-1].set_xlabel("x")
