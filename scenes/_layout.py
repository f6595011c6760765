"""Layout: frame and margins, plot sizes, stacked rows, headings and text rows, and the label boxes tests check."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from _mobjects import Readout
from _plan import BODY_SIZE, FONT, HEADING_SIZE, NOTE_COLOR, SMALL_SIZE, WIDE
from manim import DOWN, LEFT, ORIGIN, RIGHT, UP, Line, MathTex, Rectangle, Tex, Text, VGroup, VMobject, config


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


def formula_over_plot(title, label, axes, room_height: float):
    """16:9: ``label`` (a formula or map) under the heading, the plot bottom left; returns None. Stacked: the label,
    the plot, and an invisible room ``room_height`` tall for what comes under the plot, filling the frame; returns the
    room."""
    if WIDE:
        axes.to_edge(DOWN, buff=0.45).to_edge(LEFT, buff=0.7)
        label.next_to(title, DOWN, buff=0.3).align_to(title, LEFT).shift(RIGHT * 0.3)
        return None
    label.next_to(title, DOWN, buff=0.4).set_x(0)
    axes.next_to(label, DOWN, buff=0.5).set_x(0.3)
    room = Rectangle(width=axes.width, height=room_height, stroke_opacity=0).next_to(axes, DOWN, buff=0.75)
    fill([label, axes, room], below=title, most=1.0)
    return room


def fit_width(mob, most: float | None = None):
    """Scale ``mob`` down to fit ``most`` scene units wide (default: the frame less margins)."""
    most = most if most is not None else config.frame_width - 0.7
    if mob.width > most:
        mob.scale_to_fit_width(most)
    return mob


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
