"""Scene 1: a sigmoid neuron whose weight grows becomes a step, and the step sits at s = -b/w."""

from __future__ import annotations

import numpy as np
from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    HIGHLIGHT,
    Fade,
    Readout,
    axes_for,
    curve,
    fade_out_all,
    heading,
    note,
)
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Create,
    DashedLine,
    MathTex,
    Scene,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    smooth,
)

from univ import sigmoid

X = np.linspace(0.0, 1.0, 401)
READ_SIZE = BODY_SIZE + 6


def labelled(tex: str, readout: Readout, color=None) -> VGroup:
    """``tex`` then the readout on the same line; the readout keeps its place as its digits change."""
    label = MathTex(tex, font_size=READ_SIZE, **({"color": color} if color else {}))
    readout.next_to(label, RIGHT, buff=0.15)
    return VGroup(label, readout)


class SigmoidStep(Scene):
    """One sigmoid neuron σ(wx + b): as the weight w grows it becomes a step, and the step sits at s = −b/w."""

    def construct(self):
        # the neuron and its formula
        title = heading("One neuron becomes a step")
        formula = MathTex(r"\sigma(wx+b)", "=", r"\frac{1}{1+e^{-(wx+b)}}", font_size=40)
        formula.to_corner(UR, buff=0.35)
        self.play(Fade(title, out=False), Write(formula), run_time=1.0)

        log_w = ValueTracker(np.log10(5.0))  # animate log w: the growth looks even from 5 to 200
        s = ValueTracker(0.5)

        def w() -> float:
            return 10 ** log_w.get_value()

        axes = axes_for((0.0, 1.0), (-0.1, 1.15), width=8.6, height=4.9).to_edge(DOWN, buff=0.6).to_edge(LEFT, 0.8)
        graph = always_redraw(lambda: curve(axes, X, sigmoid(w() * (X - s.get_value())), APPROX_COLOR))
        self.play(Create(axes), run_time=0.8)
        self.play(Create(graph), run_time=0.8)

        # the read-outs: w and b
        w_num = Readout(w(), decimals=1, font_size=READ_SIZE, tex=True).add_updater(lambda m: m.set_value(w()))
        b_num = Readout(-w() * s.get_value(), decimals=1, font_size=READ_SIZE, tex=True)
        b_num.add_updater(lambda m: m.set_value(-w() * s.get_value()))
        rows = VGroup(labelled("w =", w_num), labelled("b =", b_num))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(axes, RIGHT, buff=0.6).align_to(axes, UP)
        self.play(Fade(rows, out=False), run_time=0.5)

        # grow the weight: the ramp sharpens into a step
        self.play(log_w.animate.set_value(np.log10(200.0)), run_time=3.0, rate_func=smooth)
        big = note("large w: a step").next_to(rows, DOWN, aligned_edge=LEFT, buff=0.45)
        self.play(Fade(big, out=False), run_time=0.5)

        # where the step sits: s = -b/w
        s_num = Readout(s.get_value(), decimals=2, font_size=READ_SIZE, color=HIGHLIGHT, tex=True)
        s_num.add_updater(lambda m: m.set_value(s.get_value()))
        s_row = labelled(r"s = -\tfrac{b}{w} =", s_num, color=HIGHLIGHT).next_to(big, DOWN, aligned_edge=LEFT,
                                                                                  buff=0.45)
        marker = DashedLine(axes.c2p(0.5, -0.1), axes.c2p(0.5, 1.15), color=HIGHLIGHT, stroke_width=3)
        marker.add_updater(lambda m: m.move_to(axes.c2p(s.get_value(), 0.525)))
        label = MathTex("s", font_size=READ_SIZE, color=HIGHLIGHT)
        label.add_updater(lambda m: m.next_to(axes.c2p(s.get_value(), 1.15), UP, buff=0.08))
        self.play(Fade(s_row, out=False), Create(marker), Fade(label, out=False), run_time=0.8)

        # move the step by changing b: s follows -b/w
        for where, seconds in ((0.2, 1.2), (0.8, 1.6), (0.45, 1.0)):
            self.play(s.animate.set_value(where), run_time=seconds)
        self.wait(0.6)
        fade_out_all(self)
