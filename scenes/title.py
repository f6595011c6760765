"""Scene 0: the title card of the explainer, naming the function the video approximates."""

from __future__ import annotations

from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    FONT,
    NOTE_COLOR,
    SMALL_SIZE,
    TARGET_COLOR,
    WIDE,
    Beats,
    Fade,
    edge,
    fade_out_all,
    fill,
    fit_width,
    formula_tex,
    function_text,
    neurons,
    target_any,
)
from manim import DOWN, UP, MathTex, Scene, Text, VGroup, Write


class TitleCard(Beats, Scene):
    """The claim the video shows by construction: one hidden layer can approximate any continuous function."""

    def construct(self):
        target = target_any()
        # the claim: on screen from the first frame (players use frame 0 as the poster)
        title = Text(
            "Universality,\nby construction" if not WIDE else "Universality, by construction",
            font=FONT,
            font_size=52,
            weight="BOLD",
            line_spacing=0.9,
        )
        claim = Text(
            "one hidden layer can approximate\nany continuous function"
            if not WIDE
            else "one hidden layer can approximate any continuous function",
            font=FONT,
            font_size=BODY_SIZE + 2,
            color=NOTE_COLOR,
        )
        fit_width(title)
        fit_width(claim)
        VGroup(title, claim).arrange(DOWN, buff=0.35).shift(UP * (1.0 if WIDE else 2.0))
        f, budget, source = self._function_lines(target, claim)
        fill([VGroup(title, claim), VGroup(f, budget), source], most=1.2)  # stacked: the card fills the frame
        self.add(title, claim)
        with self.beat("One hidden layer of neurons can approximate any continuous function."):
            self.wait(2.0)

        # the function this video builds
        with self.beat(f"We will build one for f = {function_text()}, by hand, and watch it work."):
            self.play(Write(f), Fade(budget, out=False), Fade(source, out=False), run_time=1.2)
            self.hold()
        fade_out_all(self)

    @staticmethod
    def _function_lines(target, claim):
        """The function this video builds, the network's budget under it, and the source at the foot."""
        f = MathTex(
            "f(x) =" if target.dimension == 1 else "f(x, y) =", formula_tex(target), font_size=52, color=TARGET_COLOR
        )
        f[1].set_color(APPROX_COLOR)
        fit_width(f)
        f.next_to(claim, DOWN, buff=0.8)
        what = (
            f"built by hand from {neurons()} sigmoid neurons"
            if target.dimension == 1
            else "built by hand from steps in x and in y"
        )
        budget = fit_width(Text(what, font=FONT, font_size=BODY_SIZE, color=NOTE_COLOR)).next_to(f, DOWN, buff=0.4)
        source = fit_width(
            Text(
                "after M. Nielsen, Neural Networks and Deep Learning, ch. 4",
                font=FONT,
                font_size=SMALL_SIZE - 4,
                color=NOTE_COLOR,
            )
        ).to_edge(DOWN, buff=edge()[1])
        return f, budget, source
