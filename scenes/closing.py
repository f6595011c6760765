"""The closing card: what the video built for this function, in numbers (neurons, max error of each network)."""

from __future__ import annotations

from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    BUMP_COLOR,
    FONT,
    HIGHLIGHT,
    NOTE_COLOR,
    SMALL_SIZE,
    TARGET_COLOR,
    TRAIN_EPOCHS,
    WIDE,
    Beats,
    Fade,
    edge,
    fade_out_all,
    fill,
    fit_width,
    formula_tex,
    frame_size,
    heading,
    neurons,
    target_any,
    train,
)
from manim import DOWN, LEFT, RIGHT, MathTex, Scene, Text, VGroup, config

from univ import bound, construct, measure


def _measured(report, promise) -> str:
    """The row's numbers: what the proof promises beside what was measured (a trained net: measured only)."""
    if promise is None or promise.value is None:
        return f"max error {report.max_error:.3g}"
    what = "Barron estimate" if promise.estimate else "the proof promises"
    return f"{what} ≤ {promise.value:.3g};\nmeasured {report.max_error:.3g}"


class ClosingCard(Beats, Scene):
    """The summary: for the function of this video, each network's neurons and max error, and the moral."""

    def construct(self):
        target, n = target_any(), neurons()
        title = heading("What we built")
        f = MathTex(
            "f(x) =" if target.dimension == 1 else "f(x, y) =", formula_tex(target), font_size=44, color=TARGET_COLOR
        )
        f[1].set_color(APPROX_COLOR)
        fit_width(f)
        f.next_to(title, DOWN, buff=0.5).align_to(title, LEFT).shift(RIGHT * 0.3)
        self.add(title, f)  # the card is readable from its first frame

        rows, promises = self._rows(target, n)
        lines = VGroup()
        for (color, what, report), promise in zip(rows, promises):
            name = Text(what, font=FONT, font_size=BODY_SIZE, color=color)
            err = Text(_measured(report, promise), font=FONT, font_size=BODY_SIZE, color=color)
            line = VGroup(name, err).arrange(
                DOWN if not WIDE else RIGHT, buff=0.15 if not WIDE else 0.5, aligned_edge=LEFT
            )
            lines.add(fit_width(line))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.35 if WIDE else 0.5).next_to(f, DOWN, buff=0.7)
        lines.align_to(f, LEFT)
        if WIDE:  # errors in one column
            column = max(line[0].get_right()[0] for line in lines) + 0.5
            for line in lines:
                line[1].set_x(column, direction=LEFT)
                room = config.frame_width / 2 - 0.5 - column
                if line[1].width > room:  # the proof's promise beside the measurement is long: fit it in
                    line[1].scale_to_fit_width(room).set_x(column, direction=LEFT)
            right = frame_size()[0] / 2 - edge()[0]  # long rows: smaller, never off the frame
            if lines.get_right()[0] > right:
                lines.scale((right - lines.get_left()[0]) / lines.width, about_edge=LEFT)
        moral = fit_width(
            Text(
                "One hidden layer is enough:\nmore neurons, smaller error.",
                font=FONT,
                font_size=BODY_SIZE + 2,
                weight="BOLD",
            )
        )
        moral.next_to(lines, DOWN, buff=0.8).align_to(f, LEFT)
        source = fit_width(
            Text(
                "after M. Nielsen, Neural Networks and Deep Learning, ch. 4 · made with univ",
                font=FONT,
                font_size=SMALL_SIZE - 4,
                color=NOTE_COLOR,
            )
        ).to_edge(DOWN, buff=edge()[1])
        fill([f, lines, moral, source], below=title, most=1.2)  # stacked: the card fills the frame
        for (_, what, report), line in zip(rows, lines):
            with self.beat(f"{what}: max error {report.max_error:.2g}."):
                self.play(Fade(line, out=False), run_time=0.6)
                self.wait(1.4)
        with self.beat("One hidden layer is enough: give it more neurons and the error goes as low as you like."):
            self.play(Fade(moral, out=False), Fade(source, out=False), run_time=0.8)
            self.hold()
        fade_out_all(self)

    @staticmethod
    def _rows(target, n: int):
        """Each network built for f, with its colour, its description and its measured report, and what its proof
        promises (None for a trained net). Returns the rows and the promises."""
        if target.dimension == 1:
            rows = [
                (BUMP_COLOR, f"{n} sigmoid neurons, by hand (bumps)", measure(bumps := construct(target, n), target)),
                (
                    APPROX_COLOR,
                    f"{n} ReLU units, by hand (hats)",
                    measure(hats := construct(target, n, method="relu"), target),
                ),
                (
                    HIGHLIGHT,
                    f"{n} sigmoid neurons, trained ({TRAIN_EPOCHS} epochs)",
                    measure(train(target, n).network, target),
                ),
            ]
            promises = [bound(bumps, target), bound(hats, target), None]  # a trained net: no proof to quote
        else:
            net = construct(target, neurons=n)
            m = net.info["cells"][0]
            rows = [
                (BUMP_COLOR, f"{n} neurons, by hand ({m}×{m} towers, two layers)", measure(net, target)),
                (
                    APPROX_COLOR,
                    f"{n} neurons, one hidden layer (ridges)",
                    measure(ridges := construct(target, neurons=n, method="ridge"), target),
                ),
            ]
            promises = [bound(net, target), bound(ridges, target)]
        return rows, promises
