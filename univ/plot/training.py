"""Matplotlib drawings of training and comparisons; each function takes an ``ax`` and returns what it drew."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..measure import grid
from .style import NETWORK_STYLE, PLOT_POINTS_1D, TARGET_STYLE, TEXT_SIZE, cycle, qualitative, title

SNAPSHOT_LINES = 6  # training snapshots drawn beneath the final fit
KIND_STYLES = {"fit": dict(lw=1.6), "construct": dict(lw=1.1, ls="--"), "baseline": dict(lw=1.1, ls=":")}


def plot_fit(ax, network, target, history=None, snapshots: int = SNAPSHOT_LINES, points: int = PLOT_POINTS_1D):
    """A trained 1D net over its target, with faint earlier snapshots from ``history``.

    Returns ``{"target": line, "network": line, "snapshots": [lines]}``.
    """
    (x,) = grid(target.domain, points)
    drawn: dict[str, Any] = {"snapshots": []}
    if history is not None and snapshots > 0 and len(history.snapshot_epochs) > 1:
        epochs = history.snapshot_epochs[:-1]
        pick = np.unique(np.linspace(0, len(epochs) - 1, min(snapshots, len(epochs))).round().astype(int))
        for i, c in zip(pick, cycle(len(pick))):
            label = f"{history.per} {epochs[i]}"  # "iteration" for lbfgs and lm, as the CLI says
            (line,) = ax.plot(history.x, history.snapshots[i], color=c, lw=0.9, alpha=0.7, label=label)
            drawn["snapshots"].append(line)
    (drawn["target"],) = ax.plot(x, target.evaluate(x), **TARGET_STYLE)
    final = dict(NETWORK_STYLE, label="trained net")
    (drawn["network"],) = ax.plot(x, network(x), **final)
    ax.set_xlim(x[0], x[-1])
    ax.legend(loc="best", frameon=False, fontsize=TEXT_SIZE, ncol=2)
    ax.set_title(title(target))
    return drawn


def plot_loss(ax, histories, label: str | None = None) -> list:
    """Training loss (MSE) against epoch on log-log axes, for one ``History`` or a ``{name: History}`` dict.

    Epoch 0 (before training) cannot sit on a log axis, so curves start at epoch 1. The axis says "iteration" when
    every history was trained by lbfgs or lm (``History.per``). Returns the lines.
    """
    if not isinstance(histories, dict):
        histories = {label or "loss": histories}
    lines = []
    for (name, h), c in zip(histories.items(), qualitative(len(histories))):
        loss = np.asarray(h.loss)
        epochs = np.arange(len(loss))
        keep = (epochs >= 1) & (loss > 0)
        if not keep.any():
            continue
        (line,) = ax.loglog(epochs[keep], loss[keep], color=c, lw=1.3, label=name)
        lines.append(line)
    ax.set_xlabel(" / ".join(sorted({h.per for h in histories.values()})))
    ax.set_ylabel("training MSE")
    ax.grid(True, which="major", color="0.9", lw=0.6)
    if len(lines) > 1 or label:
        ax.legend(loc="best", frameon=False, fontsize=TEXT_SIZE)
    return lines


def plot_surface(ax, values: np.ndarray, target, title: str = "", cmap: str = "viridis"):
    """A 2D field on the target's domain as an image (origin lower left). Returns the ``AxesImage``."""
    (a, b), (c, d) = target.domain
    image = ax.imshow(values, origin="lower", extent=(a, b, c, d), aspect="auto", cmap=cmap)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    if title:
        ax.set_title(title, fontsize=TEXT_SIZE)
    return image


def plot_models(ax, comparison, points: int = PLOT_POINTS_1D) -> dict[str, Any]:
    """Every model of a :class:`univ.comparison.Comparison` over the target. Returns ``{name: line}``."""
    target = comparison.target
    (x,) = grid(target.domain, points)
    drawn = {"target": ax.plot(x, target.evaluate(x), **dict(TARGET_STYLE, lw=2.6, alpha=0.35))[0]}
    for model, c in zip(comparison.models, qualitative(len(comparison.models))):
        (drawn[model.name],) = ax.plot(x, model.predict(x), color=c, label=model.name, **KIND_STYLES[model.kind])
    ax.set_xlim(x[0], x[-1])
    ax.legend(loc="best", frameon=False, fontsize=TEXT_SIZE, ncol=2)
    ax.set_title(f"{title(target)} — budget {comparison.neurons} hidden neurons")
    return drawn


def plot_model_errors(ax, comparison, points: int = PLOT_POINTS_1D) -> dict[str, Any]:
    """|model − target| on a log scale for every model. Returns ``{name: line}``."""
    target = comparison.target
    (x,) = grid(target.domain, points)
    truth = target.evaluate(x)
    drawn = {}
    for model, c in zip(comparison.models, qualitative(len(comparison.models))):
        err = np.abs(model.predict(x) - truth)
        (drawn[model.name],) = ax.semilogy(
            x, np.maximum(err, 1e-17), color=c, label=model.name, **KIND_STYLES[model.kind]
        )
    ax.set_xlim(x[0], x[-1])
    ax.set_xlabel("x")
    ax.set_title("|error|", fontsize=TEXT_SIZE)
    return drawn


def plot_sweep(ax, result, which: str = "max_error") -> dict[str, Any]:
    """Error against neurons on log-log axes for every method of a :class:`univ.comparison.Sweep`.

    Each legend entry carries the fitted slope. Returns ``{method: line}``.
    """
    errors = getattr(result, which)
    slopes = result.slopes if which == "max_error" else result.rmse_slopes
    drawn = {}
    n = np.asarray(result.neurons, dtype=float)
    for m, c in zip(result.methods, qualitative(len(result.methods))):
        e = np.asarray(errors[m], dtype=float)
        keep = e > 0
        s = slopes.get(m)
        label = f"{m} (slope {s:.2f})" if s is not None else m
        (drawn[m],) = ax.loglog(n[keep], e[keep], "o-", color=c, ms=4, lw=1.3, label=label)
    ax.set_xticks(n, [str(int(k)) for k in n])
    ax.minorticks_off()
    ax.set_xlabel("hidden neurons N")
    ax.set_ylabel("max error" if which == "max_error" else "RMSE")
    ax.grid(True, which="both", color="0.92", lw=0.5)
    ax.legend(loc="best", frameon=False, fontsize=TEXT_SIZE)
    return drawn


def plot_sweep_bounds(ax, neurons, bounds: dict, slopes: dict, lines: dict) -> dict[str, Any]:
    """Each method's a-priori bound against N, dashed in its max-error line's colour, its slope in the legend.

    ``bounds[method]`` holds one value (or None) per count; ``lines`` are :func:`plot_sweep`'s. Returns
    ``{method: line}``.
    """
    drawn = {}
    n = np.asarray(neurons, dtype=float)
    for m, values in bounds.items():
        v = np.array([np.nan if b is None else b for b in values], dtype=float)
        keep = np.isfinite(v) & (v > 0)
        if not keep.any():
            continue
        s = slopes.get(m)
        label = f"{m} bound (slope {s:.2f})" if s is not None else f"{m} bound"
        colour = lines[m].get_color() if m in lines else None
        (drawn[m],) = ax.loglog(n[keep], v[keep], "--", color=colour, lw=1.0, label=label)
    ax.set_xticks(n, [str(int(k)) for k in n])  # loglog reset them: the counts, as plot_sweep shows them
    ax.minorticks_off()
    ax.legend(loc="best", frameon=False, fontsize=TEXT_SIZE)
    return drawn
