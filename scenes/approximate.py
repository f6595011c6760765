"""Scene 3: any function is a sum of bumps; adding them one at a time, then using more, drives the error down."""

from __future__ import annotations

import numpy as np
from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    BUMP_COLOR,
    ERROR_COLOR,
    FONT,
    SMALL_SIZE,
    TARGET_COLOR,
    WHITE,
    WIDE,
    Beats,
    Blend,
    Fade,
    Readout,
    axes_for,
    batches,
    beside,
    curve,
    fade_out_all,
    fit_width,
    formula_over_plot,
    formula_tex,
    heading,
    neurons,
    on_baseline,
    plot_size,
    rate_text,
    target_1d,
    value_range,
)
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    MathTex,
    Scene,
    Text,
    VGroup,
)

from univ import Layer, Network, construct, grid, measure

SWEEP = (4, 8, 20, 64)  # neuron counts shown growing, with the chosen N added
BUMPS_SECONDS = 5.0  # time for adding all the bumps, however many there are


def first_bumps(net: Network, k: int) -> Network:
    """The network made of its first k bumps (neurons 0 .. 2k-1): what the running sum computes."""
    hidden, out = net.hidden[0], net.output
    return Network(
        [
            Layer(hidden.w[:, : 2 * k], hidden.b[: 2 * k], hidden.activation),
            Layer(out.w[: 2 * k], out.b, out.activation),
        ]
    )


class BumpsApproximate(Beats, Scene):
    """Any continuous function is approximated by a sum of bumps: added one at a time, then more of them."""

    def construct(self):
        target, n = target_1d(), neurons()
        ((a, b),) = target.domain
        x = np.linspace(a, b, 481)  # a point every ~2 pixels at 1080p: drawing cost grows with points
        f = target.evaluate(x)
        net = construct(target, n)
        sweep = sorted(set(SWEEP) | {n})
        nets = {m: construct(target, m) for m in sweep}

        # the target
        title = heading("Adding bumps approximates any function")
        self.add(title)
        label = MathTex("f(x) =", formula_tex(target), font_size=36, color=TARGET_COLOR)
        axes = axes_for((a, b), value_range(f, *(nn(x) for nn in nets.values())), *plot_size((8.4, 5.0)))
        fit_width(label, 8.0)
        room = self._lay_out(title, label, axes, rows=len(sweep))
        goal = curve(axes, x, f, TARGET_COLOR, width=4)

        # the running sum and its error, one bump at a time
        pairs = n // 2
        shares = net.contributions(x)  # (points, n): each neuron's weighted output
        bumps = shares[:, 0::2] + shares[:, 1::2]  # (points, pairs): bump j is neurons 2j and 2j+1
        running = net.output.b[0] + np.cumsum(bumps, axis=1)

        bias = float(net.output.b[0])
        before = target.evaluate(*grid(target.domain)) - bias  # the error before any bump
        panel, (count, worst, rms) = self._panel(before, pairs, n, axes, room)
        approx = curve(axes, x, np.full_like(x, bias), APPROX_COLOR, width=5)
        with self.beat("Here is the function we want. The network starts flat, at its output bias."):
            self.play(Create(axes), run_time=0.8)
            self.play(Create(goal), Fade(label, out=False), run_time=1.0)
            self.play(Fade(panel, out=False), Create(approx), run_time=0.6)

        steps = batches(pairs)  # one bump per step, or a few at once when there are many
        each = BUMPS_SECONDS / len(steps)
        faint = VGroup()
        with self.beat(
            f"Add {pairs} bumps, one pair of neurons each, as tall as f where they sit; "
            "the error shrinks as they add up."
        ):
            for step in steps:
                new = VGroup(*(curve(axes, x, bumps[:, j], BUMP_COLOR, width=3).set_stroke(opacity=0) for j in step))
                self.add(new)
                self.play(Blend(new, opacity=1.0), run_time=0.35 * each)
                k = step[-1] + 1  # bumps in the sum so far
                count.set_value(k)
                report = measure(first_bumps(net, k), target)
                worst.set_value(report.max_error)
                rms.set_value(report.rmse)
                self.play(
                    Blend(approx, points=curve(axes, x, running[:, k - 1], APPROX_COLOR).points),
                    Blend(new, opacity=0.3),
                    run_time=0.65 * each,
                )
                faint.add(*new)
            self.wait(0.5)

        # more neurons: the error falls
        self.play(Fade(faint), Fade(panel), run_time=0.5)
        rows, errors = self._sweep(target, nets, axes, x, approx, room)
        law = MathTex(r"\text{max error} " + rate_text(sweep, errors), font_size=BODY_SIZE + 6)
        fit_width(law, 5.5)
        law.next_to(rows, DOWN, aligned_edge=LEFT, buff=0.45)
        with self.beat("So the error can be made as small as we like: just use more neurons."):
            self.play(FadeIn(law, shift=UP * 0.2), run_time=0.5)
            self.hold()
        fade_out_all(self)

    @staticmethod
    def _lay_out(title, label, axes, rows: int):
        """16:9: the formula under the heading, the plot bottom left. Stacked: the formula, the plot, and room for
        the panel and then the table (``rows`` rows) under it, filling the frame. Returns the room (None in 16:9)."""
        return formula_over_plot(title, label, axes, room_height=0.5 * (rows + 2) + 1.2)

    @staticmethod
    def _panel(before: np.ndarray, pairs: int, n: int, axes, room):
        """The running count of bumps and the error so far (``before``: the error with none), as live numbers:
        beside the plot (16:9) or in ``room`` under it. Returns the panel and its three numbers."""
        count = Readout(0, decimals=0, font_size=BODY_SIZE, slots=4)
        worst = Readout(float(np.max(np.abs(before))), decimals=3, font_size=BODY_SIZE, color=ERROR_COLOR)
        rms = Readout(float(np.sqrt(np.mean(before**2))), decimals=3, font_size=BODY_SIZE, color=ERROR_COLOR)
        names = VGroup(
            *(
                Text(name, font=FONT, font_size=BODY_SIZE, color=color)
                for name, color in (("bumps", WHITE), ("max error", ERROR_COLOR), ("RMS error", ERROR_COLOR))
            )
        )
        names.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        beside(names, axes) if WIDE else names.align_to(room, UP + LEFT)
        total_note = Text(f"of {pairs}  ({n} neurons)", font=FONT, font_size=SMALL_SIZE, color=TARGET_COLOR)
        total_note.next_to(names[0], DOWN, aligned_edge=LEFT, buff=0.12)
        names[1:].next_to(total_note, DOWN, aligned_edge=LEFT, buff=0.3)
        for name, value in zip(names, (count, worst, rms)):
            on_baseline(value.align_to(names, RIGHT).shift(RIGHT * (0.25 + value.width)), name)
        return VGroup(names, total_note, count, worst, rms), (count, worst, rms)

    def _sweep(self, target, nets: dict, axes, x, approx, room):
        """More neurons, one count after another: the curve follows and the table of max errors grows.
        Returns the table's rows and the errors."""
        header = VGroup(
            Text("N", font=FONT, font_size=BODY_SIZE),
            Text("max error", font=FONT, font_size=BODY_SIZE, color=ERROR_COLOR),
        )
        header.arrange(RIGHT, buff=0.8)
        beside(header, axes, buff=0.5) if WIDE else header.align_to(room, UP + LEFT)
        rows, errors = VGroup(), []
        with self.beat("With more neurons the bumps get narrower, and the error keeps falling."):
            self.play(Fade(header, out=False), run_time=0.3)
            for m in nets:
                e = measure(nets[m], target).max_error
                errors.append(e)
                row = VGroup(
                    Text(str(m), font=FONT, font_size=BODY_SIZE),
                    Text(f"{e:.3f}", font=FONT, font_size=BODY_SIZE, color=ERROR_COLOR),
                )
                row[0].move_to(header[0]).align_to(header[0], RIGHT)
                row[1].move_to(header[1]).align_to(header[1], LEFT)
                row.shift(DOWN * 0.5 * (len(rows) + 1))
                rows.add(row)
                self.play(
                    Blend(approx, points=curve(axes, x, nets[m](x), APPROX_COLOR).points),
                    Fade(row, out=False),
                    run_time=0.9,
                )
        return rows, errors
