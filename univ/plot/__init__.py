"""Matplotlib drawings of univ's results: axes-level functions that take an ``ax`` and return what they drew, and
whole figures (``figures``) that the CLI renders and a notebook can call. Importing this imports matplotlib, and
registers the picture a notebook shows for a ``Network`` (:func:`network_png`)."""

from __future__ import annotations

from .figures import (
    approx_figure,
    compare_figure,
    depth_figure,
    figure_png,
    fit_figure,
    neurons_for_figure,
    new_figure,
    sweep_figure,
)
from .network import network_png
from .one_d import groups, plot_approximation, plot_contributions, plot_error
from .training import plot_fit, plot_loss, plot_model_errors, plot_models, plot_surface, plot_sweep
from .two_d import plot_building_block, plot_error_map, plot_network_surface, plot_target_surface, plot_tower

__all__ = [
    "approx_figure",
    "compare_figure",
    "depth_figure",
    "neurons_for_figure",
    "figure_png",
    "fit_figure",
    "groups",
    "network_png",
    "new_figure",
    "plot_approximation",
    "plot_building_block",
    "plot_contributions",
    "plot_error",
    "plot_error_map",
    "plot_fit",
    "plot_loss",
    "plot_model_errors",
    "plot_models",
    "plot_network_surface",
    "plot_surface",
    "plot_sweep",
    "plot_target_surface",
    "plot_tower",
    "sweep_figure",
]
