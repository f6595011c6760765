"""Scene 1: a sigmoid neuron whose weight grows becomes a step, and the step sits at s = -b/w."""

from __future__ import annotations

import numpy as np
from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    HIGHLIGHT,
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


class SigmoidStep(Beats, Scene):
    """One sigmoid neuron σ(wx + b): as the weight w grows it becomes a step, and the step sits at s = −b/w."""

    def construct(self):
        # the neuron and its formula
        title = heading("One neuron becomes a step")
        self.add(title)
        formula = MathTex(r"\sigma(wx+b)", "=", r"\frac{1}{1+e^{-(wx+b)}}", font_size=40)
        log_w = ValueTracker(np.log10(5.0))  # animate log w: the growth looks even from 5 to 200
        s = ValueTracker(0.5)

        def w() -> float:
            return 10 ** log_w.get_value()

        axes = axes_for((0.0, 1.0), (-0.1, 1.15), *plot_size((8.6, 4.9)))
        w_num = Readout(w(), decimals=1, font_size=READ_SIZE, tex=True).add_updater(lambda m: m.set_value(w()))
        b_num = Readout(-w() * s.get_value(), decimals=1, font_size=READ_SIZE, tex=True)
        b_num.add_updater(lambda m: m.set_value(-w() * s.get_value()))
        rows = VGroup(labelled("w =", w_num), labelled("b =", b_num))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        big = note("large w: a step")
        s_num = Readout(s.get_value(), decimals=2, font_size=READ_SIZE, color=HIGHLIGHT, tex=True)
        s_row = labelled(r"s = -\tfrac{b}{w} =", s_num, color=HIGHLIGHT)
        if WIDE:
            formula.to_corner(UR, buff=0.35)
            axes.to_edge(DOWN, buff=0.6).to_edge(LEFT, 0.8)
            rows.next_to(axes, RIGHT, buff=0.6).align_to(axes, UP)
            big.next_to(rows, DOWN, aligned_edge=LEFT, buff=0.45)
            s_row.next_to(big, DOWN, aligned_edge=LEFT, buff=0.45)
        else:  # stacked: formula, plot, then the read-outs
            formula.next_to(title, DOWN, buff=0.4).set_x(0)
            axes.next_to(formula, DOWN, buff=0.9).set_x(0.3)
            rows.next_to(axes, DOWN, buff=0.7).align_to(axes, LEFT)
            big.next_to(rows, RIGHT, buff=0.8).align_to(rows, UP)
            s_row.next_to(rows, DOWN, aligned_edge=LEFT, buff=0.45)
            fill([formula, axes, VGroup(rows, big, s_row)], below=title)
        graph = always_redraw(lambda: curve(axes, X, sigmoid(w() * (X - s.get_value())), APPROX_COLOR))
        with self.beat("A sigmoid neuron computes sigma of w x plus b: a smooth ramp from 0 to 1."):
            self.play(Write(formula), Create(axes), run_time=1.0)
            self.play(Create(graph), Fade(rows, out=False), run_time=1.0)
            self.wait(0.6)

        # grow the weight: the ramp sharpens into a step
        s_num.add_updater(lambda m: m.set_value(s.get_value()))
        with self.beat("As the weight w grows, the ramp sharpens into a step."):
            self.play(log_w.animate.set_value(np.log10(200.0)), run_time=3.0, rate_func=smooth)
            self.play(Fade(big, out=False), run_time=0.5)
            self.wait(0.8)

        # where the step sits: s = -b/w
        marker = DashedLine(axes.c2p(0.5, -0.1), axes.c2p(0.5, 1.15), color=HIGHLIGHT, stroke_width=3)
        marker.add_updater(lambda m: m.move_to(axes.c2p(s.get_value(), 0.525)))
        label = MathTex("s", font_size=READ_SIZE, color=HIGHLIGHT)
        label.add_updater(lambda m: m.next_to(axes.c2p(s.get_value(), 1.15), UP, buff=0.08))
        with self.beat("The step sits where w x plus b is zero: at s equals minus b over w."):
            self.play(Fade(s_row, out=False), Create(marker), Fade(label, out=False), run_time=0.8)
            self.wait(1.0)

        # move the step by changing b: s follows -b/w
        with self.beat("Change b and the step moves: one neuron, one step, anywhere we like."):
            for where, seconds in ((0.2, 1.2), (0.8, 1.6), (0.45, 1.0)):
                self.play(s.animate.set_value(where), run_time=seconds)
            self.hold()
        fade_out_all(self)
