"""Scene 0: the title card of the explainer, naming the function the video approximates."""

from __future__ import annotations

from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    FONT,
    NOTE_COLOR,
    SMALL_SIZE,
    TARGET_COLOR,
    Fade,
    fade_out_all,
    function_text,
    neurons,
)
from manim import DOWN, UP, FadeIn, MathTex, Scene, Text, VGroup, Write

from univ import parse


class TitleCard(Scene):
    """The claim the video shows by construction: one hidden layer can approximate any continuous function."""

    def construct(self):
        # the claim
        title = Text("Universality, by construction", font=FONT, font_size=52, weight="BOLD")
        claim = Text("one hidden layer can approximate any continuous function", font=FONT, font_size=BODY_SIZE + 2,
                     color=NOTE_COLOR)
        VGroup(title, claim).arrange(DOWN, buff=0.35).shift(UP * 1.0)
        self.play(FadeIn(title, shift=DOWN * 0.2), run_time=0.8)
        self.play(Fade(claim, out=False), run_time=0.6)

        # the function this video builds
        target = parse(function_text())
        f = MathTex("f(x) =" if target.dimension == 1 else "f(x, y) =", target.latex, font_size=52,
                    color=TARGET_COLOR)
        f[1].set_color(APPROX_COLOR)
        if f.width > 12:
            f.scale_to_fit_width(12)
        f.next_to(claim, DOWN, buff=0.8)
        budget = Text(f"built by hand from {neurons()} sigmoid neurons", font=FONT, font_size=BODY_SIZE,
                      color=NOTE_COLOR).next_to(f, DOWN, buff=0.4)
        source = Text("after M. Nielsen, Neural Networks and Deep Learning, ch. 4", font=FONT,
                      font_size=SMALL_SIZE - 4, color=NOTE_COLOR).to_edge(DOWN, buff=0.35)
        self.play(Write(f), Fade(budget, out=False), Fade(source, out=False), run_time=1.2)
        self.wait(1.4)
        fade_out_all(self)
