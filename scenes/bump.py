"""Scene 2: two steps with output weights +h and -h make a bump of height h."""

from __future__ import annotations

import numpy as np
from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    HIGHLIGHT,
    STEP_COLORS,
    WIDE,
    Beats,
    Fade,
    Readout,
    axes_for,
    curve,
    fade_out_all,
    fill,
    heading,
    note,
    plot_size,
)
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    MathTex,
    ReplacementTransform,
    Scene,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
)

from univ import sigmoid

X = np.linspace(0.0, 1.0, 401)
W = 150.0  # steep enough to read as steps
S1, S2 = 0.4, 0.6


def lay_out(title, formula, axes, added, h_row, block) -> None:
    """16:9: the plot bottom left, the formula and the notes right of it. Stacked: the formula, the plot, then the
    notes, filling the frame."""
    if WIDE:
        formula.next_to(title, DOWN, buff=0.3).to_edge(RIGHT, buff=0.4)
        axes.to_edge(DOWN, buff=0.95).to_edge(LEFT, 0.8)  # room for s1 and s2 under it
        added.next_to(formula, DOWN, buff=0.35).align_to(formula, LEFT)
        h_row.next_to(added, DOWN, buff=0.45).align_to(added, LEFT)
        block.next_to(h_row, DOWN, buff=0.45).align_to(added, LEFT)
    else:  # stacked: formula, plot, then the notes
        formula.next_to(title, DOWN, buff=0.4).set_x(0)
        axes.next_to(formula, DOWN, buff=0.5).set_x(0.3)
        added.next_to(axes, DOWN, buff=0.8).align_to(axes, LEFT)
        h_row.next_to(added, DOWN, buff=0.45).align_to(added, LEFT)
        block.next_to(h_row, DOWN, buff=0.45).align_to(added, LEFT)
        fill([formula, axes, added, h_row, block], below=title)


class StepsMakeBump(Beats, Scene):
    """Two steps with output weights +h and −h add up to a bump of height h between them; h scales it."""

    def construct(self):
        # two steep neurons, one step each
        title = heading("Two steps make a bump")
        self.add(title)
        formula = MathTex(r"h\,\sigma(w(x-s_1))", "-", r"h\,\sigma(w(x-s_2))", font_size=36)
        formula[0].set_color(STEP_COLORS[0])
        formula[2].set_color(STEP_COLORS[1])
        axes = axes_for((0.0, 1.0), (-1.1, 1.1), *plot_size((7.8, 5.0)), x_numbers=False)
        added = note("added: a bump of height h")
        h = ValueTracker(0.8)
        h_num = Readout(h.get_value(), decimals=2, font_size=BODY_SIZE + 8, color=HIGHLIGHT, tex=True)
        h_label = MathTex("h =", font_size=BODY_SIZE + 8, color=HIGHLIGHT)
        h_row = VGroup(h_label, h_num)
        h_num.next_to(h_label, RIGHT, buff=0.15)
        block = note("one pair of neurons\n= one bump", color=APPROX_COLOR)
        lay_out(title, formula, axes, added, h_row, block)

        up = curve(axes, X, h.get_value() * sigmoid(W * (X - S1)), STEP_COLORS[0])
        down = curve(axes, X, -h.get_value() * sigmoid(W * (X - S2)), STEP_COLORS[1])
        s_labels = VGroup(
            *(
                MathTex(name, font_size=BODY_SIZE + 4, color=c).next_to(axes.c2p(s, -1.1), DOWN, buff=0.15)
                for name, s, c in (("s_1", S1, STEP_COLORS[0]), ("s_2", S2, STEP_COLORS[1]))
            )
        )
        with self.beat(
            "Take two steep neurons: one steps up at s1 with output weight h, the other at s2 with weight minus h."
        ):
            self.play(Create(axes), run_time=0.8)
            self.play(Write(formula[0]), Create(up), Fade(s_labels[0], out=False), run_time=1.2)
            self.play(Write(formula[1:]), Create(down), Fade(s_labels[1], out=False), run_time=1.2)

        # their sum: a bump between s1 and s2
        def bump() -> np.ndarray:
            return h.get_value() * (sigmoid(W * (X - S1)) - sigmoid(W * (X - S2)))

        total = curve(axes, X, bump(), APPROX_COLOR, width=5)
        with self.beat("Added, they cancel outside s1 to s2 and leave a bump of height h between them."):
            self.play(ReplacementTransform(VGroup(up.copy(), down.copy()), total), Fade(added, out=False), run_time=1.3)
            self.play(up.animate.set_stroke(opacity=0.35), down.animate.set_stroke(opacity=0.35), run_time=0.4)
            self.wait(0.8)

        # h scales the bump (the steps scale with it)
        live = always_redraw(lambda: curve(axes, X, bump(), APPROX_COLOR, width=5))
        faint_up = always_redraw(
            lambda: curve(axes, X, h.get_value() * sigmoid(W * (X - S1)), STEP_COLORS[0]).set_stroke(opacity=0.35)
        )
        faint_down = always_redraw(
            lambda: curve(axes, X, -h.get_value() * sigmoid(W * (X - S2)), STEP_COLORS[1]).set_stroke(opacity=0.35)
        )
        self.remove(total, up, down)
        self.add(faint_up, faint_down, live)
        h_num.add_updater(lambda m: m.set_value(h.get_value()))
        with self.beat("The output weight h sets the bump's height, up or down."):
            self.play(Fade(h_row, out=False), run_time=0.4)
            for value, seconds in ((0.35, 1.2), (-0.6, 1.6), (0.9, 1.6)):
                self.play(h.animate.set_value(value), run_time=seconds)

        # the pair is one building block
        with self.beat("So a pair of neurons makes one bump: the building block of everything that follows."):
            self.play(FadeIn(block, shift=UP * 0.2), run_time=0.6)
            self.hold()
        fade_out_all(self)
