"""The render plan as the scenes read it: palette, aspect, type sizes, and the function and neurons asked for."""

from __future__ import annotations

import os

import numpy as np
from manim import Circle, DashedLine, Dot, Line, MathTex, Tex, Text, config

from univ import PALETTES, PLAN_ENV, ConfigError, Target, parse, read_plan

PLAN = read_plan()  # every setting of the render, validated (the defaults under plain manim)
DEFAULT_SURFACE = "exp(-(x^2+y^2))"  # the 2D scene's surface when the function has only x
DEFAULT_SURFACE_DOMAIN = (-1.5, 1.5)

# -- palette: every colour of every scene comes from the theme's one table -----------------------------------------
THEME = PLAN.theme
PALETTE = PALETTES[THEME]
BACKGROUND, FOREGROUND = PALETTE["background"], PALETTE["foreground"]
TARGET_COLOR = PALETTE["target"]  # the function we want
APPROX_COLOR = PALETTE["approx"]  # what the network computes
STEP_COLORS = (PALETTE["step1"], PALETTE["step2"])  # the two neurons of a pair
BUMP_COLOR = PALETTE["bump"]
HIGHLIGHT = PALETTE["highlight"]
ERROR_COLOR = PALETTE["error"]
NOTE_COLOR = PALETTE["note"]
AXIS_COLOR = PALETTE["axis"]
EDGE_COLOR = PALETTE["edge"]
PATCH_COLOR = PALETTE["patch"]  # behind labels drawn over lines
WHITE = FOREGROUND  # scenes that say WHITE mean "the text colour"

config.background_color = BACKGROUND
for _cls in (Text, MathTex, Tex, Line, DashedLine, Dot, Circle):
    _cls.set_default(color=FOREGROUND)

# -- aspect: the frame in scene units; portrait and square stack plots above text --------------------------------
ASPECTS = {"16:9": (16 * 8 / 9, 8.0), "9:16": (9.0, 16.0), "1:1": (10.0, 10.0)}
ASPECT = PLAN.aspect
if os.environ.get(PLAN_ENV):  # the renderer chose the pixels to match; plain manim keeps its own frame
    config.frame_width, config.frame_height = ASPECTS[ASPECT]
WIDE = ASPECT == "16:9"  # side by side; otherwise stacked

FONT = "DejaVu Sans"  # for Text; formulas are MathTex
HEADING_SIZE = 34 if WIDE else 38
BODY_SIZE = 26 if WIDE else 30
SMALL_SIZE = 24 if WIDE else 27


# -- parameters ----------------------------------------------------------------------------------------------------
def function_text() -> str:
    return PLAN.function.strip()


def function_text_dimension() -> int:
    """1 if the function asked for uses x alone, 2 if it uses y too."""
    return parse(function_text()).dimension


def target_any() -> Target:
    """The function as asked for, of x or of x and y, with its domains."""
    text = function_text()
    target = parse(text)
    if target.dimension == 2:
        return parse(text, domain=PLAN.domain, ydomain=PLAN.ydomain).check()
    return parse(text, domain=PLAN.domain).check()


def target_1d() -> Target:
    """The function of x to approximate, from the plan (parsed by univ, never evaluated as Python)."""
    target = parse(function_text(), domain=PLAN.domain)
    if target.dimension != 1:
        raise ConfigError(f"this scene draws a function of x alone; {target.text!r} also uses y")
    return target.check()


def target_2d() -> Target:
    """The surface for the 2D scene: the plan's function if it uses y, else exp(-(x²+y²)) on [-1.5, 1.5]²."""
    text = function_text()
    target = parse(text)
    if target.dimension == 2:
        return parse(text, domain=PLAN.domain, ydomain=PLAN.ydomain).check()
    d = DEFAULT_SURFACE_DOMAIN
    return parse(DEFAULT_SURFACE, domain=d, ydomain=d).check()


def formula_tex(target: Target) -> str:
    """LaTeX of the function in the order it was typed ("0.2 + 0.4x^2", not "0.4x^2 + 0.2")."""
    expr = target.expr
    if expr is None:
        return target.latex
    from sympy import (
        latex,  # univ's parse builds the expression with sympy; ask it not to reorder the terms
    )

    return latex(expr, order="none")


def neurons() -> int:
    """Hidden neurons of the hand-built nets (the plan's)."""
    return PLAN.neurons


def hold_seconds() -> float:
    """How long each conclusion stays on screen once its words have finished (the plan's ``hold``)."""
    return PLAN.hold


def rate_text(neurons_: list[int], errors: list[float]) -> str:
    """The error's rate against N, in LaTeX, told honestly: a power law only when the points follow one.

    The slope is the median of the slopes between consecutive counts (a knot landing on a kink makes one count
    look far better than the law, which a least-squares fit would follow); when the steps disagree by more than a
    factor of two, there is no clean power law to state.
    """
    n, e = np.asarray(neurons_, dtype=float), np.asarray(errors, dtype=float)
    keep = (n > 0) & (e > 0) & np.isfinite(e)
    n, e = n[keep], e[keep]
    if len(n) < 3:
        return r"\text{falls}"
    steps = np.diff(np.log(e)) / np.diff(np.log(n))
    slope = float(np.median(steps))
    if slope >= -0.2:
        return r"\text{does not fall}"
    spread = np.abs(steps - slope)
    if np.count_nonzero(spread > max(0.5, 0.5 * abs(slope))) > len(steps) // 2:
        return r"\text{falls unevenly}"
    return r"\propto N^{" + f"{slope:.1f}" + "}"


LAYOUT_DIR = PLAN.layout  # tests only: where beats leave their frames and label boxes
