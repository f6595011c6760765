"""The scenes' drawing pieces: axes with round ticks, polylines, cheap readouts, and copy-free Blend and Fade."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from _plan import AXIS_COLOR, BODY_SIZE, FONT, SMALL_SIZE, TARGET_COLOR, WHITE
from manim import DOWN, LEFT, ORIGIN, RIGHT, UP, Animation, Axes, Camera, MathTex, Text, VGroup, VMobject


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


def axes_for(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    width: float = 10.0,
    height: float = 5.0,
    numbers: bool = True,
    x_numbers: bool = True,
) -> Axes:
    """Axes over the given ranges with a few round tick labels (``x_numbers=False``: on y only), in scene units."""
    (a, b), (lo, hi) = x_range, y_range
    xs, ys = nice_step(b - a), nice_step(hi - lo)
    axes = Axes(
        x_range=[a, b, xs],
        y_range=[lo, hi, ys],
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={"include_numbers": False, "stroke_width": 2, "color": AXIS_COLOR},
    )
    if numbers:
        # tick labels along the plot's bottom and left edges, where no curve runs (not on the axes through 0,
        # which curves cross); in the text font: Pango draws them, so no LaTeX run per number
        if x_numbers:
            for v in np.arange(np.ceil(a / xs) * xs, b + 1e-9, xs):
                axes.add(tick_label(v, _decimals(xs)).next_to(axes.c2p(v, lo), DOWN, buff=0.15))
        for v in np.arange(np.ceil(lo / ys) * ys, hi + 1e-9, ys):
            axes.add(tick_label(v, _decimals(ys)).next_to(axes.c2p(a, v), LEFT, buff=0.15))
    return axes


def tick_label(v: float, decimals: int) -> Text:
    """A number as an axis shows it: fixed decimals, a real minus sign."""
    text = f"{v:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")  # no "−0.0"
    text = text.replace("-", "\u2212")
    return Text(text, font=FONT, font_size=SMALL_SIZE - 4, color=TARGET_COLOR)


def _decimals(step: float) -> int:
    return max(0, int(-np.floor(np.log10(step) + 1e-9)))


class Polyline(VMobject):
    """A VMobject of straight segments in one piece, which the camera draws as lines (see :func:`_polyline_path`)."""


def _polyline_path(self, ctx, vmobject):
    """Cairo path of a :class:`Polyline`: one ``line_to`` per corner. Manim traces every segment as a cubic
    Bézier, after looking for breaks in the path, and Cairo then flattens each curve again before stroking it:
    for the explainer's curves (hundreds of corners, redrawn every frame) that was much of the drawing time."""
    if not isinstance(vmobject, Polyline):
        return _cairo_path(self, ctx, vmobject)
    points = self.transform_points_pre_display(vmobject, vmobject.points)
    if len(points) == 0:
        return self
    corners = np.vstack([points[0::4, :2], points[-1:, :2]])  # each segment's start, and the last end
    ctx.new_path()
    ctx.move_to(*corners[0])
    line_to = ctx.line_to
    for x, y in corners[1:].tolist():
        line_to(x, y)
    return self


_cairo_path = Camera.set_cairo_context_path
Camera.set_cairo_context_path = _polyline_path


def curve(axes: Axes, x: np.ndarray, y: np.ndarray, color, width: float = 4.0) -> VMobject:
    """A polyline through (x, y) in the axes' coordinates (steep steps stay sharp, unlike a smoothed plot)."""
    points = np.asarray(axes.c2p(np.asarray(x, dtype=float), np.asarray(y, dtype=float))).T  # (n, 3)
    line = Polyline(color=color, stroke_width=width)
    line.set_points_as_corners(points)
    return line


READOUT_UNIT = 0.01  # length of a Readout's anchor segment at scale 1


class Readout(VGroup):
    """A number that changes every frame, cheaply: glyphs are typeset once and their outlines copied.

    ``DecimalNumber`` deep-copies a TeX mobject per character on every update, which dominated render time.
    Move it with ``next_to``/``shift`` as usual, or scale it with its layout; it redraws in place, left edge fixed.
    The glyph mobjects are a fixed set whose outlines change (a renderer keeps the list of mobjects it draws during
    a play).
    """

    GLYPHS = "0123456789.-+"
    _templates: ClassVar[dict[tuple, tuple[dict[str, VMobject], float]]] = {}  # typeset once per size

    def __init__(
        self,
        value: float = 0.0,
        decimals: int = 2,
        font_size: float = BODY_SIZE,
        color=WHITE,
        signed: bool = False,
        slots: int = 10,
        tex: bool = False,
    ):
        super().__init__()
        self.decimals, self.signed = decimals, signed
        self.glyphs, self.advance = self._glyphs(font_size, tex)
        # an invisible segment READOUT_UNIT long: where the digits start, and (by its length) how much the readout
        # was scaled along with a layout
        self.anchor = VMobject(stroke_opacity=0, fill_opacity=0).set_points_as_corners([ORIGIN, READOUT_UNIT * RIGHT])
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
        k = float(np.linalg.norm(self.anchor.get_end() - origin)) / READOUT_UNIT  # scaled with its layout
        text = self.text(value)
        if len(text) > len(self.slots):
            raise ValueError(f"{text!r} has more than {len(self.slots)} characters; raise Readout's slots")
        advance = k * self.advance
        x, gap = 0.0, advance - k * self.glyphs["0"].width
        for slot, ch in zip(self.slots, text.ljust(len(self.slots))):
            if ch == " ":
                slot.clear_points()
                continue
            g = self.glyphs[ch]
            if ch.isdigit():
                slot.set_points(k * g.points + origin + (x + 0.5 * (advance - k * g.width)) * RIGHT)
                x += advance
            else:
                slot.set_points(k * g.points + origin + (x + 0.5 * gap) * RIGHT)
                x += k * g.width + gap * (1.0 if ch == "." else 2.0)
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
            raise ValueError(
                f"Blend needs matching points, got {self.start_points.shape} and {self.target_points.shape}"
            )
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
    """End on the background, so the scenes of the explainer join without a hard cut (a still keeps the picture)."""
    if scene.mobjects and not scene.renderer.skip_animations:
        scene.play(*(Fade(m) for m in scene.mobjects), run_time=run_time)
