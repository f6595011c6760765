"""What the explainer scenes share: colours, axes, headings, and the function and neurons they are asked to draw.

The renderer (``univ render``) passes its options through environment variables, so every scene file stays runnable
on its own with plain ``manim -ql scenes/<file>.py <Scene>`` and falls back to sin(3x) with 20 neurons.
"""

from __future__ import annotations

import os
from itertools import pairwise
from typing import ClassVar

import numpy as np
from manim import (
    BLUE_C,
    DOWN,
    GREY_A,
    GREY_B,
    LEFT,
    ORANGE,
    ORIGIN,
    RED_C,
    RIGHT,
    TEAL_C,
    UL,
    UP,
    WHITE,
    YELLOW,
    Animation,
    Axes,
    Line,
    MathTex,
    Text,
    VGroup,
    VMobject,
    config,
)

from univ import ConfigError, Target, parse

FUNCTION_ENV = "UNIV_FUNCTION"  # the expression, as typed
NEURONS_ENV = "UNIV_NEURONS"  # hidden neurons of the 1D constructions
DOMAIN_ENV = "UNIV_DOMAIN"  # "a,b" for x (and the 2D scene's y, when its function has one)
DEFAULT_FUNCTION = "sin(3x)"
DEFAULT_NEURONS = 20
DEFAULT_SURFACE = "exp(-(x^2+y^2))"  # the 2D scene's surface when the function has only x
DEFAULT_SURFACE_DOMAIN = (-1.5, 1.5)
MAX_NEURONS = 200  # more would not be visible; the renderer refuses them up front

# colours: one meaning each, kept across scenes
TARGET_COLOR = GREY_A  # the function we want
APPROX_COLOR = YELLOW  # what the network computes
STEP_COLORS = (BLUE_C, TEAL_C)  # the two neurons of a pair
BUMP_COLOR = BLUE_C
HIGHLIGHT = ORANGE
ERROR_COLOR = RED_C
NOTE_COLOR = GREY_B

FONT = "DejaVu Sans"  # for Text; formulas are MathTex
HEADING_SIZE = 34
BODY_SIZE = 26
SMALL_SIZE = 24


# -- parameters ----------------------------------------------------------------------------------------------------
def _domain_from_env() -> tuple[float, float] | None:
    raw = os.environ.get(DOMAIN_ENV, "").strip()
    if not raw:
        return None
    try:
        a, b = (float(v) for v in raw.split(","))
    except ValueError:
        raise ConfigError(f"{DOMAIN_ENV} must be two numbers 'a,b', got {raw!r}") from None
    return a, b


def function_text() -> str:
    return os.environ.get(FUNCTION_ENV, "").strip() or DEFAULT_FUNCTION


def target_1d() -> Target:
    """The function of x to approximate, from ``UNIV_FUNCTION`` (parsed by univ, never evaluated as Python)."""
    target = parse(function_text(), domain=_domain_from_env())
    if target.dimension != 1:
        raise ConfigError(f"this scene draws a function of x alone; {target.text!r} also uses y")
    return target.check()


def target_2d() -> Target:
    """The surface for the 2D scene: ``UNIV_FUNCTION`` if it uses y, else exp(-(x²+y²)) on [-1.5, 1.5]²."""
    text = function_text()
    target = parse(text)
    if target.dimension == 2:
        d = _domain_from_env()
        return (parse(text, domain=d, ydomain=d) if d else target).check()
    d = DEFAULT_SURFACE_DOMAIN
    return parse(DEFAULT_SURFACE, domain=d, ydomain=d).check()


def neurons() -> int:
    """Hidden neurons, from ``UNIV_NEURONS``: an even number from 2 to ``MAX_NEURONS``."""
    raw = os.environ.get(NEURONS_ENV, "").strip()
    if not raw:
        return DEFAULT_NEURONS
    try:
        n = int(raw)
    except ValueError:
        raise ConfigError(f"{NEURONS_ENV} must be a whole number, got {raw!r}") from None
    if not (2 <= n <= MAX_NEURONS and n % 2 == 0):
        raise ConfigError(f"{NEURONS_ENV} must be an even number from 2 to {MAX_NEURONS}, got {n}")
    return n


def batches(count: int, most: int = 16) -> list[range]:
    """``range(count)`` cut into at most ``most`` consecutive runs: one item per step while they are few, so
    animating N items takes a bounded number of steps (each step lasts at least a frame)."""
    edges = np.linspace(0, count, min(count, most) + 1).round().astype(int)
    return [range(int(lo), int(hi)) for lo, hi in pairwise(edges)]


# -- drawing -------------------------------------------------------------------------------------------------------
def value_range(*curves: np.ndarray, pad: float = 0.12) -> tuple[float, float]:
    """A y interval holding every curve with some room, always including 0."""
    lo = min(0.0, *(float(np.min(c)) for c in curves))
    hi = max(0.0, *(float(np.max(c)) for c in curves))
    span = hi - lo or 1.0
    return lo - pad * span, hi + pad * span


def nice_step(span: float, ticks: int = 4) -> float:
    """A round tick spacing (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks over ``span``."""
    raw = span / ticks
    base = 10 ** np.floor(np.log10(raw))
    for m in (1, 2, 5, 10):
        if m * base >= raw:
            return float(m * base)
    return float(10 * base)


def axes_for(x_range: tuple[float, float], y_range: tuple[float, float], width: float = 10.0, height: float = 5.0,
             numbers: bool = True, x_numbers: bool = True) -> Axes:
    """Axes over the given ranges with a few round tick labels (``x_numbers=False``: on y only), in scene units."""
    (a, b), (lo, hi) = x_range, y_range
    xs, ys = nice_step(b - a), nice_step(hi - lo)
    axes = Axes(
        x_range=[a, b, xs],
        y_range=[lo, hi, ys],
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={"include_numbers": False, "stroke_width": 2, "color": GREY_B},
    )
    if numbers:
        cross_x, cross_y = min(max(0.0, a), b), min(max(0.0, lo), hi)  # where the axes meet: no label there
        x_ticks = [v for v in np.arange(np.ceil(a / xs) * xs, b + 1e-9, xs) if abs(v - cross_x) > 1e-9 * xs]
        y_ticks = [v for v in np.arange(np.ceil(lo / ys) * ys, hi + 1e-9, ys) if abs(v - cross_y) > 1e-9 * ys]
        # tick labels in the text font: Pango draws them, so no LaTeX run per number
        if x_numbers:
            for v in x_ticks:
                axes.add(tick_label(v, _decimals(xs)).next_to(axes.x_axis.n2p(v), DOWN, buff=0.15))
        for v in y_ticks:
            axes.add(tick_label(v, _decimals(ys)).next_to(axes.y_axis.n2p(v), LEFT, buff=0.15))
    return axes


def tick_label(v: float, decimals: int) -> Text:
    """A number as an axis shows it: fixed decimals, a real minus sign."""
    text = f"{round(v, 10):.{decimals}f}".replace("-", "\u2212")
    return Text(text, font=FONT, font_size=SMALL_SIZE - 4, color=GREY_A)


def _decimals(step: float) -> int:
    return max(0, int(-np.floor(np.log10(step) + 1e-9)))


def curve(axes: Axes, x: np.ndarray, y: np.ndarray, color, width: float = 4.0) -> VMobject:
    """A polyline through (x, y) in the axes' coordinates (steep steps stay sharp, unlike a smoothed plot)."""
    points = np.asarray(axes.c2p(np.asarray(x, dtype=float), np.asarray(y, dtype=float))).T  # (n, 3)
    line = VMobject(color=color, stroke_width=width)
    line.set_points_as_corners(points)
    return line


class Readout(VGroup):
    """A number that changes every frame, cheaply: glyphs are typeset once and their outlines copied.

    ``DecimalNumber`` deep-copies a TeX mobject per character on every update, which dominated render time.
    Move it with ``next_to``/``shift`` as usual; it redraws in place, left edge fixed. Do not scale it. The glyph
    mobjects are a fixed set whose outlines change (a renderer keeps the list of mobjects it draws during a play).
    """

    GLYPHS = "0123456789.-+"
    _templates: ClassVar[dict[tuple, tuple[dict[str, VMobject], float]]] = {}  # typeset once per size

    def __init__(self, value: float = 0.0, decimals: int = 2, font_size: float = BODY_SIZE, color=WHITE,
                 signed: bool = False, slots: int = 10, tex: bool = False):
        super().__init__()
        self.decimals, self.signed = decimals, signed
        self.glyphs, self.advance = self._glyphs(font_size, tex)
        self.anchor = VMobject(stroke_opacity=0, fill_opacity=0).set_points_as_corners([ORIGIN, ORIGIN])
        self.slots = [VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0) for _ in range(slots)]
        self.add(self.anchor, *self.slots)
        self.value = None
        self.set_value(value)

    @classmethod
    def _glyphs(cls, font_size: float, tex: bool) -> tuple[dict[str, VMobject], float]:
        """Glyph outlines with their left edge at x = 0 and the digits' foot at y = 0, and the digits' advance.

        ``tex``: TeX's digits, to sit beside formulas; otherwise the text font's, beside words.
        """
        key = (round(font_size * 10), tex)
        if key not in cls._templates:
            if tex:
                typeset = MathTex(cls.GLYPHS, font_size=font_size)[0]
            else:
                typeset = Text(cls.GLYPHS.replace("-", "\u2212"), font=FONT, font_size=font_size)  # a real minus
            base = typeset[1].get_bottom()[1]  # the foot of "1" is the baseline
            advance = (typeset[9].get_left()[0] - typeset[0].get_left()[0]) / 9  # digits share one width
            glyphs = {ch: g.copy().shift(-g.get_left()[0] * RIGHT - base * UP) for ch, g in zip(cls.GLYPHS, typeset)}
            cls._templates[key] = (glyphs, advance)
        return cls._templates[key]

    def text(self, value: float) -> str:
        return f"{value:+.{self.decimals}f}" if self.signed else f"{value:.{self.decimals}f}"

    def set_value(self, value: float) -> Readout:
        if value == self.value:
            return self
        self.value = value
        origin = self.anchor.get_start()
        text = self.text(value)
        if len(text) > len(self.slots):
            raise ValueError(f"{text!r} has more than {len(self.slots)} characters; raise Readout's slots")
        x, gap = 0.0, self.advance - self.glyphs["0"].width
        for slot, ch in zip(self.slots, text.ljust(len(self.slots))):
            if ch == " ":
                slot.clear_points()
                continue
            g = self.glyphs[ch]
            if ch.isdigit():
                slot.set_points(g.points + origin + (x + 0.5 * (self.advance - g.width)) * RIGHT)
                x += self.advance
            else:
                slot.set_points(g.points + origin + (x + 0.5 * gap) * RIGHT)
                x += g.width + gap * (1.0 if ch == "." else 2.0)
        return self

    def get_value(self) -> float:
        return self.value


class Blend(Animation):
    """Move a curve's points and its family's stroke opacity toward targets, by interpolating arrays.

    Transform and FadeIn deep-copy their mobjects when they begin, which dominated the time of scenes that add
    a bump or a hat per step. The curves here keep their point count (one x grid), so arrays blend directly.

    Parameters
    ----------
    mobject : VMobject
    points : ndarray, optional
        Target points, the same shape as ``mobject.points`` (e.g. ``curve(...).points``).
    opacity : float, optional
        Target stroke opacity for the mobject and its submobjects.
    """

    def __init__(self, mobject, points=None, opacity: float | None = None, **kwargs):
        self.target_points = None if points is None else np.asarray(points, dtype=float)
        self.target_opacity = opacity
        super().__init__(mobject, **kwargs)

    def begin(self) -> None:
        self.starting_mobject = self.mobject  # the start is kept as arrays below, not as a copy
        self.start_points = self.mobject.points.copy()
        self.parts = [m for m in self.mobject.get_family() if len(m.points)]
        self.start_opacity = [m.get_stroke_opacity() for m in self.parts]
        if self.target_points is not None and self.target_points.shape != self.start_points.shape:
            raise ValueError(f"Blend needs matching points, got {self.start_points.shape} and "
                             f"{self.target_points.shape}")
        if self.suspend_mobject_updating:
            self.mobject.suspend_updating()
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        t = self.rate_func(alpha)
        if self.target_points is not None:
            self.mobject.points = self.start_points + t * (self.target_points - self.start_points)
        if self.target_opacity is not None:
            for m, o in zip(self.parts, self.start_opacity):
                m.set_stroke(opacity=o + t * (self.target_opacity - o), family=False)


FLAT_FOOT = set("imnrhklbdfxz1247ABDEFHIKLMNPRTXZ")  # glyphs whose foot is exactly on the baseline


def baseline(mob) -> float:
    """The y of the line a Text's or a Readout's characters sit on, whatever descenders they have."""
    if isinstance(mob, Readout):
        return float(mob.anchor.get_start()[1])
    if isinstance(mob, Text):
        for ch, glyph in zip(mob.text, mob.submobjects):  # Text.text has no spaces: one glyph per character
            if ch in FLAT_FOOT:
                return float(glyph.get_bottom()[1])
    return float(mob.get_bottom()[1])


def on_baseline(mob, ref):
    """Shift ``mob`` up or down so it sits on the same line as ``ref``."""
    return mob.shift(UP * (baseline(ref) - baseline(mob)))


def text_row(*items, buff: float = 0.12) -> VGroup:
    """Texts and readouts in a row, all on one baseline."""
    row = VGroup(*items).arrange(RIGHT, buff=buff)
    for item in items[1:]:
        on_baseline(item, items[0])
    return row


class Fade(Animation):
    """Fade a mobject and its family in or out by scaling their colours' alpha: no copies (FadeIn and FadeOut
    deep-copy the mobject, which for a screen of text and axes costs seconds).

    Parameters
    ----------
    mobject : Mobject
    out : bool
        Fade out (and remove it from the scene at the end) or, if False, fade in from invisible.
    """

    def __init__(self, mobject, out: bool = True, **kwargs):
        self.out = out
        super().__init__(mobject, remover=out, **kwargs)

    def begin(self) -> None:
        self.starting_mobject = self.mobject
        self.parts = [m for m in self.mobject.get_family() if isinstance(m, VMobject)]
        self.alphas = [(m.fill_rgbas[:, 3].copy(), m.stroke_rgbas[:, 3].copy()) for m in self.parts]
        if self.suspend_mobject_updating:
            self.mobject.suspend_updating()
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        t = self.rate_func(alpha)
        k = 1.0 - t if self.out else t
        for m, (fill, stroke) in zip(self.parts, self.alphas):
            m.fill_rgbas = np.column_stack([m.fill_rgbas[:, :3], fill * k])
            m.stroke_rgbas = np.column_stack([m.stroke_rgbas[:, :3], stroke * k])


def fade_out_all(scene, run_time: float = 0.5) -> None:
    """End on black, so the scenes of the explainer join without a hard cut."""
    if scene.mobjects:
        scene.play(*(Fade(m) for m in scene.mobjects), run_time=run_time)


def heading(text: str) -> Text:
    """The scene's one-line heading, top left."""
    t = Text(text, font=FONT, font_size=HEADING_SIZE, weight="BOLD")
    t.to_corner(UL, buff=0.35)
    if t.width > config.frame_width - 0.7:
        t.scale_to_fit_width(config.frame_width - 0.7)
    return t


def note(text: str, size: int = BODY_SIZE, color=NOTE_COLOR) -> Text:
    return Text(text, font=FONT, font_size=size, color=color)


def legend(*entries) -> VGroup:
    """Rows of (colour, label): a short line in the colour, then the label."""
    rows = VGroup()
    for color, label in entries:
        swatch = Line(LEFT * 0.25, RIGHT * 0.25, color=color, stroke_width=5)
        rows.add(VGroup(swatch, Text(label, font=FONT, font_size=SMALL_SIZE)).arrange(RIGHT, buff=0.15))
    rows.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
    return rows
