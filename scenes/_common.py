"""What the explainer scenes share: palette, layout, axes, headings, timed beats with narration, and the function
and neurons they are asked to draw.

The renderer (``univ render``) passes its options as one render plan (:class:`univ.RenderPlan`, read once here), so
every scene file stays runnable on its own with plain ``manim -ql scenes/<file>.py <Scene>`` and falls back to the
plan's defaults: sin(3x) with 20 neurons, the dark theme and 16:9. Every scene derives from :class:`Beats`: its
plays and waits last whole frames counted from the scene's start (so its length does not depend on the frame rate),
and its narration sets the pace, beat by beat.

The pieces live in themed modules (``_plan``: palette, aspect, the function asked for; ``_layout``; ``_mobjects``:
axes, curves, readouts, Blend and Fade; ``_beats``; ``_encoder``: Manim patches); every name is importable from here.
"""

from __future__ import annotations

import _encoder  # noqa: F401  (Manim patched: the encoder's frame writing, x264 settings, Text's page width)
from _beats import Beats
from _layout import (
    FLAT_FOOT,
    baseline,
    batches,
    beside,
    edge,
    fill,
    fit_width,
    formula_over_plot,
    frame_size,
    heading,
    layout_boxes,
    legend,
    note,
    on_baseline,
    plot_size,
    stack,
    text_row,
)
from _mobjects import (
    READOUT_UNIT,
    Blend,
    Fade,
    Polyline,
    Readout,
    axes_for,
    curve,
    fade_out_all,
    nice_step,
    tick_label,
    value_range,
)
from _plan import (
    APPROX_COLOR,
    ASPECT,
    ASPECTS,
    AXIS_COLOR,
    BACKGROUND,
    BODY_SIZE,
    BUMP_COLOR,
    DEFAULT_SURFACE,
    DEFAULT_SURFACE_DOMAIN,
    EDGE_COLOR,
    ERROR_COLOR,
    FONT,
    FOREGROUND,
    HEADING_SIZE,
    HIGHLIGHT,
    LAYOUT_DIR,
    NOTE_COLOR,
    PALETTE,
    PATCH_COLOR,
    PLAN,
    SMALL_SIZE,
    STEP_COLORS,
    TARGET_COLOR,
    THEME,
    WHITE,
    WIDE,
    formula_tex,
    function_text,
    function_text_dimension,
    hold_seconds,
    neurons,
    rate_text,
    target_1d,
    target_2d,
    target_any,
)
from manim import Text, config

from univ import Target

__all__ = [
    "APPROX_COLOR",
    "ASPECT",
    "ASPECTS",
    "AXIS_COLOR",
    "BACKGROUND",
    "BODY_SIZE",
    "BUMP_COLOR",
    "Beats",
    "Blend",
    "DEFAULT_SURFACE",
    "DEFAULT_SURFACE_DOMAIN",
    "EDGE_COLOR",
    "ERROR_COLOR",
    "FLAT_FOOT",
    "FONT",
    "FOREGROUND",
    "Fade",
    "HEADING_SIZE",
    "HIGHLIGHT",
    "LAYOUT_DIR",
    "NOTE_COLOR",
    "PALETTE",
    "PATCH_COLOR",
    "PLAN",
    "Polyline",
    "READOUT_UNIT",
    "Readout",
    "SMALL_SIZE",
    "STEP_COLORS",
    "TARGET_COLOR",
    "THEME",
    "TRAIN_EPOCHS",
    "TRAIN_SEED",
    "Text",
    "WHITE",
    "WIDE",
    "axes_for",
    "baseline",
    "batches",
    "beside",
    "config",
    "curve",
    "edge",
    "fade_out_all",
    "fill",
    "fit_width",
    "formula_over_plot",
    "formula_tex",
    "frame_size",
    "function_text",
    "function_text_dimension",
    "heading",
    "hold_seconds",
    "layout_boxes",
    "legend",
    "neurons",
    "nice_step",
    "note",
    "on_baseline",
    "plot_size",
    "rate_text",
    "stack",
    "target_1d",
    "target_2d",
    "target_any",
    "text_row",
    "tick_label",
    "train",
    "value_range",
]

TRAIN_EPOCHS = 2000  # the trained net of the explainer: same for the training scene and the closing card
TRAIN_SEED = 0


def train(target: Target, n: int, **kwargs):
    """The explainer's trained net: ``n`` sigmoid neurons, Adam, ``TRAIN_EPOCHS`` epochs, seed ``TRAIN_SEED``."""
    from univ import fit

    return fit(
        target, hidden=(n,), activation="sigmoid", optimizer="adam", epochs=TRAIN_EPOCHS, seed=TRAIN_SEED, **kwargs
    )
