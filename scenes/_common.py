"""What the explainer scenes share: palette, layout, axes, headings, timed beats with narration, and the function
and neurons they are asked to draw.

The renderer (``univ render``) passes its options as one render plan (:class:`univ.RenderPlan`, read once here), so
every scene file stays runnable on its own with plain ``manim -ql scenes/<file>.py <Scene>`` and falls back to the
plan's defaults: sin(3x) with 20 neurons, the dark theme and 16:9. Every scene derives from :class:`Beats`: its
plays and waits last whole frames counted from the scene's start (so its length does not depend on the frame rate),
and its narration sets the pace, beat by beat.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from fractions import Fraction
from itertools import pairwise
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Animation,
    Axes,
    Camera,
    Circle,
    DashedLine,
    Dot,
    Line,
    MathTex,
    Tex,
    Text,
    VGroup,
    VMobject,
    Wait,
    config,
)

from univ import (
    PALETTES,
    PLAN_ENV,
    ConfigError,
    Target,
    cue_audio,
    cue_seconds,
    cue_starts,
    parse,
    read_plan,
    split_cues,
)

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
if config.video_codec == "libx264" and not config.video_encoder_options:  # a manim.cfg's own settings win
    config.video_encoder_options = {"crf": "23", "preset": "veryfast"}  # less CPU than x264's "medium"


def _text2svg_unwrapped(self, color):
    """Typeset a Text on a wide page: Pango wraps lines at the page width, which manim sets to the video's pixel
    width, so a small render (or a portrait one) broke lines a large one did not, and the cached SVG carried the
    break into later renders. Lines break only where the text says so."""
    saved = config.pixel_width
    config.pixel_width = max(saved, 8192)
    try:
        return _text2svg(self, color)
    finally:
        config.pixel_width = saved


_text2svg = Text._text2svg
Text._text2svg = _text2svg_unwrapped


def _write_frame(self, pixels, *, repeat: int = 1) -> None:
    """Manim's segment encoder, cheaper per frame: the RGBA picture is copied into one reused frame (PyAV's
    ``from_ndarray`` cost about 5 ms a 1080p frame, five times a plain copy) and converted to the codec's pixel
    format once, however many times it is held (a wait while the words finish repeated both per frame). The frames
    and their timestamps are the same."""
    self._validate_frame(pixels, repeat)
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        pix_fmt = self._stream.pix_fmt
        if getattr(self, "_rgba", None) is None:
            self._rgba = _segments.av.VideoFrame(self.spec.width, self.spec.height, "rgba")
        if pix_fmt != "rgba" and self._rgba.planes[0].line_size == 4 * self.spec.width:
            # the encoder is given the converted frame, never this one: it can be refilled for the next frame
            self._rgba.planes[0].update(pixels)
            frame = self._rgba.reformat(format=pix_fmt)
        else:
            frame = _segments.av.VideoFrame.from_ndarray(pixels, format="rgba")
            if pix_fmt != "rgba":
                frame = frame.reformat(format=pix_fmt)
        for _ in range(repeat):
            frame.pts = self._next_pts
            frame.time_base = time_base
            self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


try:  # Manim's segment encoder (0.19 and later); another Manim keeps its own
    from manim.scene import video_segment_encoder as _segments

    if hasattr(_segments.VideoSegmentEncoder, "_validate_frame"):
        _segments.VideoSegmentEncoder.write_frame = _write_frame
except ImportError:
    pass
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


def frame_size() -> tuple[float, float]:
    return float(config.frame_width), float(config.frame_height)


def edge() -> tuple[float, float]:
    """The margins (left and right, top and bottom) in scene units: 3 % of the frame's side, 0.35 at least."""
    w, h = frame_size()
    return max(0.35, 0.03 * w), max(0.35, 0.03 * h)


def plot_size(wide: tuple[float, float], tall: float = 0.42) -> tuple[float, float]:
    """The axes' size: ``wide`` (width, height) in 16:9; stacked, the frame's width less margins and ``tall`` of
    its height in portrait (less in a square frame, where the rows share less height)."""
    if WIDE:
        return wide
    w, h = frame_size()
    width = w - 1.9
    return (width, h * tall) if h > 12 else (width, min(width * 0.6, h * tall * 0.86))


def beside(mob, axes, buff: float = 0.4):
    """Put a panel right of the plot, top-aligned (16:9), or under it, left-aligned (portrait and square)."""
    if WIDE:
        return mob.next_to(axes, RIGHT, buff=buff).align_to(axes, UP)
    return mob.next_to(axes, DOWN, buff=0.75).align_to(axes, LEFT)


def stack(*rows, top: float | None = None, buff: float = 0.35):
    """Lay mobjects out top to bottom, centred, starting ``top`` below the frame's top edge (stacked layouts)."""
    group = VGroup(*rows).arrange(DOWN, buff=buff)
    group.move_to(ORIGIN).to_edge(UP, buff=top if top is not None else 0.35)
    return group


def fill(rows, below=None, most: float = 1.6, bottom: float | None = None, side: float | None = None):
    """Stacked layouts (portrait and square): scale ``rows`` (mobjects, top to bottom) as one, at most ``most``
    times, to the frame's width less ``side`` a side and the height left under ``below``, then spread them down
    toward the frame's foot: each gap between rows, and the space under the last, gets an equal share of the free
    height, so the picture fills the frame instead of leaving its lower part empty. The rows start under ``below``
    (the heading). Does nothing in 16:9."""
    if WIDE:
        return VGroup(*rows)
    w, h = frame_size()
    side = edge()[0] if side is None else side
    bottom = edge()[1] if bottom is None else bottom
    group = VGroup(*rows)
    top = (below.get_bottom()[1] - 0.35) if below is not None else h / 2 - edge()[1]
    room_w, room_h = w - 2 * side, top - (-h / 2 + bottom)
    k = min(most, room_w / group.width, room_h / group.height)
    group.scale(k)
    group.set_x(0)
    spare = max(room_h - group.height, 0.0)
    group.align_to([0, top, 0], UP)
    for j, row in enumerate(rows[1:], start=1):  # an equal share of the free height under each row but the last
        row.shift(DOWN * spare * j / len(rows))
    return group


def fit_width(mob, most: float | None = None):
    """Scale ``mob`` down to fit ``most`` scene units wide (default: the frame less margins)."""
    most = most if most is not None else config.frame_width - 0.7
    if mob.width > most:
        mob.scale_to_fit_width(most)
    return mob


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
    return r"\propto N^{" + f"{slope:.1f}".replace("-", "-") + "}"


# -- timed beats and their narration -----------------------------------------------------------------------------
def _sidecar(scene, suffix: str) -> str | None:
    """Where the scene writes its beats (``beats.json``) or their progress for the renderer; None under plain manim."""
    if PLAN.work is None:
        return None
    return os.path.join(PLAN.work, f"{PLAN.scene_name(type(scene).__name__)}.{suffix}")


class Beats:
    """Mixin for a Manim scene: frame-exact timing, and narration that sets the pace.

    Every ``play`` and ``wait`` must say its length in seconds. Each ends on the frame nearest the sum of the
    nominal lengths so far, so rounding never accumulates: the scene lasts the same, to within a frame, at any frame
    rate. ``with self.beat("narration")`` wraps the animations the line describes; the line is cut into caption cues
    (:func:`univ.narration.split_cues`) and the beat lasts as long as its animations or its words, whichever is
    longer: when the animations end first, the picture holds until every cue has been on screen long enough to read
    (17 characters a second, 1.5 s at least). ``self.hold()`` inside a beat keeps the conclusion on screen for
    ``--hold`` seconds after that. The cues are written as JSON into the plan's ``work`` folder when the scene ends.
    """

    def setup(self):
        super().setup()
        self._clock = 0.0  # nominal seconds so far
        self._cues: list[dict] = []
        self._beat_count = 0
        self._in_beat = False
        self._hold_due = False
        self._layout: list[dict] = []

    def _frames_for(self, seconds: float, static: bool = False) -> float:
        if not (isinstance(seconds, (int, float)) and seconds > 0):
            raise ValueError(f"run_time must be a positive number of seconds, got {seconds!r}")
        self._clock += float(seconds)
        fps = float(config.frame_rate)
        if self.renderer.skip_animations:  # a still (png): no frames to count
            return float(seconds)
        done = round(self.renderer.time * fps)
        k = max(1, round(self._clock * fps) - done)
        # manim makes ceil(run_time · fps) frames for an animation, floor(run_time · fps) for a frozen wait
        return (k + 0.25) / fps if static else max(k - 0.25, 1.0) / fps  # manim warns below one frame

    def play(self, *animations, run_time: float | None = None, **kwargs):
        if run_time is None:
            raise TypeError("every play in an explainer scene says its run_time in seconds")
        return super().play(*animations, run_time=self._frames_for(run_time), **kwargs)

    def wait(self, duration: float = 1.0, frozen_frame: bool | None = None, **kwargs):
        if frozen_frame is None:  # as manim decides it: nothing updates with time
            frozen_frame = not (
                self.always_update_mobjects
                or self.updaters
                or any(m.has_time_based_updater() for m in self.get_mobject_family_members())
            )
        run_time = self._frames_for(duration, static=frozen_frame)
        return super().play(Wait(frozen_frame=frozen_frame), run_time=run_time)

    def hold(self) -> None:
        """Keep the conclusion on screen (``--hold`` seconds); inside a beat, once its words have finished."""
        if self._in_beat:
            self._hold_due = True
            return
        seconds = hold_seconds()
        if seconds > 0:
            self.wait(seconds)

    @contextmanager
    def beat(self, line: str):
        """One narrated idea: the animations inside the block are what ``line`` describes; the beat lasts at least
        as long as its cues take to read."""
        if self._in_beat:
            raise RuntimeError("beats do not nest")
        start = float(self.renderer.time)
        # a run of plays shorter than a frame each (many items at a low frame rate) puts the video ahead of the
        # nominal clock; the clock catches up here, so the frames owed never come out of this beat's words
        self._clock = clock = max(self._clock, start)
        self._beat_count += 1
        cues = split_cues(line)
        name = PLAN.scene_name(type(self).__name__)
        ids = [f"{name}-{self._beat_count}-{k}" for k in range(1, len(cues) + 1)]
        audio = [self._speech(i, c) for i, c in zip(ids, cues)]  # (file, seconds) per cue with a voice
        needs = [cue_seconds(c, a[1] if a else None) for c, a in zip(cues, audio)]
        progress = _sidecar(self, "progress")
        if progress:
            with open(progress, "a") as f:
                f.write(json.dumps({"beat": self._beat_count, "text": line}) + "\n")
        self._in_beat = True
        try:
            yield
        finally:
            self._in_beat = False
        short = sum(needs) - (self._clock - clock)
        if short > 1e-6:  # the animation holds while the words finish
            self.wait(short)
        if self._hold_due:
            self._hold_due = False
            self.hold()
        end = float(self.renderer.time)
        self._snapshot()
        spans = cue_starts(needs, start, end)
        self._cues.append(
            {
                "start": round(start, 4),
                "end": round(end, 4),
                "text": line,
                "cues": [
                    {"id": i, "start": round(a, 4), "end": round(b, 4), "text": c, "audio": str(v[0]) if v else None}
                    for i, c, (a, b), v in zip(ids, cues, spans, audio)
                ],
            }
        )

    def sample_layout(self) -> None:
        """Test mode: also check the layout here, inside a beat (labels that come and go before it ends)."""
        self._snapshot()

    def _snapshot(self) -> None:
        """Test mode (the plan's ``layout`` folder set): keep the frame as drawn at the end of the beat and the
        boxes of its labels and neurons, for the layout tests."""
        if not LAYOUT_DIR or self.renderer.skip_animations:
            return
        from PIL import Image

        stem = f"{PLAN.scene_name(type(self).__name__)}_{ASPECT.replace(':', 'x')}_{THEME}_{len(self._layout) + 1}"
        Image.fromarray(np.asarray(self.renderer.get_frame())[..., :3]).save(os.path.join(LAYOUT_DIR, stem + ".png"))
        self._layout.append({"beat": self._beat_count, "frame": stem + ".png", **layout_boxes(self.mobjects)})

    def _speech(self, cue_id: str, text: str):
        """The cue's audio and its length (None without a voice). A bad recording is written down for the renderer
        (one line naming the cue) before the scene stops."""
        if PLAN.voice is None or PLAN.work is None or self.renderer.skip_animations:
            return None
        try:
            return cue_audio(PLAN.voice, cue_id, text, PLAN.work)
        except ConfigError as exc:
            with open(_sidecar(self, "voice-error"), "w") as f:
                f.write(str(exc))
            raise

    def tear_down(self):
        super().tear_down()
        path = _sidecar(self, "beats.json")
        if path:
            record = {
                "scene": type(self).__name__,
                "duration": round(float(self.renderer.time), 4),
                "frame_rate": float(config.frame_rate),
                "cues": self._cues,
            }
            tmp = path + ".tmp"
            with open(tmp, "w") as f:
                json.dump(record, f, indent=1)
            os.replace(tmp, path)
        if LAYOUT_DIR and self._layout:
            stem = f"{PLAN.scene_name(type(self).__name__)}_{ASPECT.replace(':', 'x')}_{THEME}"
            record = {"frame_size": frame_size(), "background": BACKGROUND, "beats": self._layout}
            with open(os.path.join(LAYOUT_DIR, stem + ".layout.json"), "w") as f:
                json.dump(record, f, indent=1)


LAYOUT_DIR = PLAN.layout  # tests only: where beats leave their frames and label boxes


def _box(mob) -> list[float] | None:
    """A mobject's (x0, y0, x1, y1) in scene units over its points that are drawn (None when nothing is)."""
    parts = [m for m in mob.get_family() if len(m.points) and m is not getattr(mob, "anchor", None)]
    if isinstance(mob, VMobject):
        parts = [
            m
            for m in parts
            if not isinstance(m, VMobject) or m.get_fill_opacity() > 0.05 or m.get_stroke_opacity() > 0.05
        ]
    if not parts:
        return None
    p = np.concatenate([m.points for m in parts])
    return [float(p[:, 0].min()), float(p[:, 1].min()), float(p[:, 0].max()), float(p[:, 1].max())]


def layout_boxes(mobjects) -> dict:
    """The boxes of every label (Text, MathTex, Tex, Readout) and neuron (a Circle marked ``is_neuron``) on screen,
    and the headings' font sizes."""
    labels, neurons_, headings = [], [], []

    def walk(m):
        if isinstance(m, (Text, MathTex, Tex, Readout)):
            box = _box(m)
            if box:
                name = m.text(m.value) if isinstance(m, Readout) else getattr(m, "text", None) or m.tex_string
                labels.append({"text": str(name), "box": box})
                if getattr(m, "is_heading", False):
                    headings.append(round(float(m.font_size), 2))
            return
        if getattr(m, "is_neuron", False):
            box = _box(m)
            if box:
                neurons_.append(box)
        for sub in m.submobjects:
            walk(sub)

    for m in mobjects:
        walk(m)
    return {"labels": labels, "neurons": neurons_, "headings": headings}


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
    """End on the background, so the scenes of the explainer join without a hard cut (a still keeps the picture)."""
    if scene.mobjects and not scene.renderer.skip_animations:
        scene.play(*(Fade(m) for m in scene.mobjects), run_time=run_time)


def heading(text: str) -> Text:
    """The scene's one-line heading, top left."""
    t = Text(text, font=FONT, font_size=HEADING_SIZE, weight="BOLD")
    words = text.split()
    if t.width > config.frame_width - 0.7 and len(words) > 1:  # two lines, not smaller type: headings are one size
        cut = min(range(1, len(words)), key=lambda k: abs(len(" ".join(words[:k])) - len(" ".join(words[k:]))))
        t = Text(" ".join(words[:cut]) + "\n" + " ".join(words[cut:]), font=FONT, font_size=HEADING_SIZE, weight="BOLD")
    fit_width(t)
    t.to_edge(UP, buff=edge()[1]).to_edge(LEFT, buff=edge()[0])
    t.is_heading = True
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


TRAIN_EPOCHS = 2000  # the trained net of the explainer: same for the training scene and the closing card
TRAIN_SEED = 0


def train(target: Target, n: int, **kwargs):
    """The explainer's trained net: ``n`` sigmoid neurons, Adam, ``TRAIN_EPOCHS`` epochs, seed ``TRAIN_SEED``."""
    from univ import fit

    return fit(
        target, hidden=(n,), activation="sigmoid", optimizer="adam", epochs=TRAIN_EPOCHS, seed=TRAIN_SEED, **kwargs
    )
