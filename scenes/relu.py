"""Scene 7: ReLU units make hats, and hats scaled by f at the knots add up to the piecewise-linear interpolant."""

from __future__ import annotations

import numpy as np
from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    BUMP_COLOR,
    ERROR_COLOR,
    FONT,
    HIGHLIGHT,
    NOTE_COLOR,
    SMALL_SIZE,
    STEP_COLORS,
    TARGET_COLOR,
    WIDE,
    Beats,
    Blend,
    Fade,
    Readout,
    axes_for,
    batches,
    curve,
    fade_out_all,
    fill,
    fit_width,
    heading,
    neurons,
    on_baseline,
    plot_size,
    rate_text,
    target_1d,
    text_row,
    value_range,
)
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    MathTex,
    Rectangle,
    Scene,
    Text,
    Transform,
    VGroup,
    Write,
    config,
)

from univ import construct, measure

SWEEP = (4, 8, 20, 64)
HATS_SECONDS = 5.0
TABLE_HEIGHT = 3.6  # stacked: the error table's height under the plot (a caption, a header and five rows)


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def hats(x: np.ndarray, knots: np.ndarray) -> np.ndarray:
    """The hat at each knot, shape (points, knots): 1 at its knot, 0 at the others, linear between.

    Each is three ReLUs: the slope rises by 1/Δ at the knot before, falls by 1/Δ + 1/Δ' at its own, and
    rises by 1/Δ' at the next (a half hat at either end).
    """
    out = np.zeros((len(x), len(knots)))
    gaps = np.diff(knots)
    for i, k in enumerate(knots):
        if i > 0:
            out[:, i] += (relu(x - knots[i - 1]) - relu(x - k)) / gaps[i - 1]
        else:
            out[:, i] += 1.0  # nothing rises before the first knot: start at 1
        if i < len(knots) - 1:
            out[:, i] -= (relu(x - k) - relu(x - knots[i + 1])) / gaps[i]
    return out


def visible(axes, x, y, color, lo, hi, width=3.0):
    """A curve drawn only where it is inside the axes' y range, cut exactly where it leaves (the ReLU ramps run
    off the top and bottom; nothing is drawn outside the axes)."""
    xs, ys = [], []
    for i in range(len(x)):
        inside = lo <= y[i] <= hi
        if i > 0 and inside != (lo <= y[i - 1] <= hi):  # crossing an edge between i-1 and i: add the crossing
            edge = hi if max(y[i], y[i - 1]) > hi else lo
            t = (edge - y[i - 1]) / (y[i] - y[i - 1])
            xs.append(x[i - 1] + t * (x[i] - x[i - 1]))
            ys.append(edge)
        if inside:
            xs.append(x[i])
            ys.append(y[i])
    return curve(axes, np.asarray(xs), np.asarray(ys), color, width=width)


def hat_formula() -> MathTex:
    """hat(x) = (1/Δ)[relu(x-k0) - 2 relu(x-k1) + relu(x-k2)], its three terms as parts 1, 3 and 5."""
    return MathTex(
        r"\mathrm{hat}(x) = \tfrac{1}{\Delta}\big[",
        r"\mathrm{relu}(x-k_0)",
        "-2",
        r"\,\mathrm{relu}(x-k_1)",
        "+",
        r"\mathrm{relu}(x-k_2)",
        r"\big]",
        font_size=BODY_SIZE + 4,
    )


def marked_knots(demo, knots, colors, lo: float, hi: float) -> VGroup:
    """The knots, marked where they are (a dashed line across the plot) and named under it as in the formula."""
    marks = VGroup()
    for k, name, color in zip(knots, ("k_0", "k_1", "k_2"), colors):
        marks.add(
            DashedLine(demo.c2p(k, lo), demo.c2p(k, hi), color=color, stroke_width=2, stroke_opacity=0.6),
            MathTex(name, font_size=BODY_SIZE + 2, color=color).next_to(demo.c2p(k, lo), DOWN, buff=0.12),
        )
    return marks


class ReluHats(Beats, Scene):
    """ReLU units: three hinges make a hat; hats scaled by f at the knots sum to the piecewise-linear interpolant."""

    def construct(self):
        target, n = target_1d(), neurons()
        ((a, b),) = target.domain
        x = np.linspace(a, b, 481)  # a point every ~2 pixels at 1080p: drawing cost grows with points
        f = target.evaluate(x)

        # three ReLUs make a hat
        title = heading("ReLU units: hats join the dots")
        self.add(title)
        formula, demo, room, shrunk, shown = self._one_hat(title, x, (a, b))

        # hats scaled by f at the knots, added one at a time
        knots = np.asarray(construct(target, n, method="relu").info["edges"])
        basis = hats(x, knots)  # (points, knots)
        heights = target.evaluate(knots)
        running = np.cumsum(basis * heights, axis=1)
        axes = self._interpolant_axes(f, basis * heights, running, demo, shrunk)
        goal = curve(axes, x, f, TARGET_COLOR, width=4)
        dots = VGroup(*(Dot(axes.c2p(k, v), radius=0.045, color=TARGET_COLOR) for k, v in zip(knots, heights)))
        sum_tex = MathTex(r"\sum_i f(k_i)\,\mathrm{hat}_i(x)", font_size=BODY_SIZE + 4, color=APPROX_COLOR)
        sum_tex.move_to(formula, aligned_edge=LEFT)
        self.play(*(Fade(m) for m in shown), run_time=0.5)
        approx = curve(axes, x, np.zeros_like(x), APPROX_COLOR, width=5)
        steps = batches(len(knots))  # one hat per step, or a few at once when there are many
        each = HATS_SECONDS / len(steps)
        with self.beat(
            "Put a hat at each knot, scaled by f there, and add them up: the dots are joined by straight lines."
        ):
            self.play(
                Create(axes),
                Create(goal),
                Fade(dots, out=False),
                Fade(sum_tex, out=False),
                Create(approx),
                run_time=0.9,
            )
            for step in steps:
                self._add_hats(step, axes, x, basis * heights, running, approx, dots, each)
        same = Text(f"= the network's output: {n} ReLU units", font=FONT, font_size=SMALL_SIZE, color=NOTE_COLOR)
        self._place_note(same, sum_tex, axes, room)
        with self.beat(f"That sum is exactly what a network of {n} ReLU units computes."):
            self.play(Fade(same, out=False), run_time=0.4)
            self.wait(1.0)

        # faster than bumps: error against N for both
        caption, header, rows, slopes = self._error_table(target, n, axes, room)
        moved = [Fade(same)] if not WIDE and same.get_top()[1] < axes.get_bottom()[1] else []
        with self.beat("And hats beat bumps: as N grows, their error falls faster."):
            self.play(Fade(caption, out=False), Fade(header, out=False), *moved, run_time=0.4)
            for row in rows[1:]:
                self.play(Fade(row, out=False), run_time=0.4)
            self.play(FadeIn(slopes, shift=UP * 0.2), run_time=0.5)
            self.hold()
        fade_out_all(self)

    @staticmethod
    def _error_table(target, n: int, axes, room):
        """The max error of bumps and of hats for a few N, with the rate each falls at: beside the plot (16:9) or
        in ``room`` under it (stacked). Returns the caption, the header, the rows and the two rates."""
        sweep = sorted(set(SWEEP) | {n})
        rows = [
            text_row(
                *(
                    Text(t, font=FONT, font_size=SMALL_SIZE + 2, color=c)
                    for t, c in (("N", TARGET_COLOR), ("bumps", BUMP_COLOR), ("ReLU", APPROX_COLOR))
                ),
                buff=0.5,
            )
        ]
        errs = {"bumps": [], "relu": []}
        for m in sweep:
            for method, found in errs.items():
                found.append(measure(construct(target, m, method=method), target).max_error)
            cells = [
                Readout(m, decimals=0, font_size=SMALL_SIZE + 2, slots=4),
                Text(f"{errs['bumps'][-1]:.2g}", font=FONT, font_size=SMALL_SIZE + 2, color=BUMP_COLOR),
                Text(f"{errs['relu'][-1]:.2g}", font=FONT, font_size=SMALL_SIZE + 2, color=APPROX_COLOR),
            ]
            rows.append(VGroup(*cells))
        header = rows[0]
        caption = Text("max error", font=FONT, font_size=SMALL_SIZE, color=ERROR_COLOR)
        if WIDE:
            header.next_to(axes, RIGHT, buff=0.35).align_to(axes, UP)
            caption.next_to(header, UP, buff=0.2)
        else:  # under the plot, in place of the note (it fades out), the rates to the right of the table
            caption.align_to(room, UP).align_to(axes, LEFT)
            header.next_to(caption, DOWN, buff=0.2).align_to(axes, LEFT)
        for r, row in enumerate(rows[1:], start=1):
            for cell, col in zip(row, header):
                cell.align_to(col, LEFT)
                on_baseline(cell, col).shift(DOWN * 0.45 * r)
        slopes = VGroup(
            *(
                MathTex(rate_text(sweep, errs[method]), font_size=BODY_SIZE + 8, color=color)
                for method, color in (("bumps", BUMP_COLOR), ("relu", APPROX_COLOR))
            )
        )
        for s_ in slopes:
            fit_width(s_, 3.0)
        if WIDE:
            slopes[0].next_to(rows[-1][1], DOWN, buff=0.35).align_to(header[1], LEFT)
            slopes[1].align_to(header[2], LEFT).align_to(slopes[0], DOWN)
        else:
            slopes.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(VGroup(*rows), RIGHT, buff=0.6)
        right = config.frame_width / 2 - 0.2
        for s_ in slopes:  # a worded rate is wider than a power: keep it inside the frame
            if s_.get_right()[0] > right:
                s_.scale((right - s_.get_left()[0]) / s_.width, about_edge=LEFT)
        return caption, header, rows, slopes

    @staticmethod
    def _lay_out(title, formula, demo):
        """16:9: the formula under the heading, the plot bottom left. Stacked: the formula, the plot, and room for
        the table under it, filling the frame. Returns the room (None in 16:9) and how much the plot was scaled."""
        if WIDE:
            formula.next_to(title, DOWN, buff=0.35).align_to(title, LEFT).shift(RIGHT * 0.2)
            demo.to_edge(DOWN, 0.9).to_edge(LEFT, 0.8)  # room for the knots' names under it
            return None, 1.0
        formula.next_to(title, DOWN, buff=0.4).set_x(0)
        demo.next_to(formula, DOWN, buff=0.6).set_x(0.3)
        room = Rectangle(width=demo.width, height=TABLE_HEIGHT, stroke_opacity=0).next_to(demo, DOWN, buff=0.6)
        before = demo.width
        fill([formula, demo, room], below=title, most=1.0)
        return room, demo.width / before  # the second plot takes the first one's place and size

    def _add_hats(self, step, axes, x, scaled, running, approx, dots, each: float) -> None:
        """Add the hats of ``step`` (columns of ``scaled``, each hat times f at its knot) to the running sum."""
        new = VGroup(*(curve(axes, x, scaled[:, i], BUMP_COLOR, width=3).set_stroke(opacity=0) for i in step))
        self.add(new)
        for i in step:
            dots[i].set_color(HIGHLIGHT)
        self.play(Blend(new, opacity=1.0), run_time=0.4 * each)
        self.play(
            Blend(approx, points=curve(axes, x, running[:, step[-1]], APPROX_COLOR).points),
            Blend(new, opacity=0.0),
            run_time=0.6 * each,
        )
        self.remove(new)

    @staticmethod
    def _interpolant_axes(f, scaled, running, demo, shrunk: float):
        """Axes for f, every scaled hat and their sum: bottom left (16:9), or where the hat's plot was (stacked)."""
        (a, b) = demo.x_range[:2]
        axes = axes_for((a, b), value_range(f, running[:, -1], *scaled.T), *plot_size((7.8, 5.0)))
        if WIDE:
            return axes.to_edge(DOWN, 0.45).to_edge(LEFT, 0.7)
        return axes.scale(shrunk).align_to(demo, UP).set_x(demo.get_x())

    @staticmethod
    def _place_note(same, sum_tex, axes, room) -> None:
        """The note that the sum is the network: after the sum (16:9), under it, or under the plot if that is lower."""
        if WIDE:
            same.next_to(sum_tex, RIGHT, buff=0.3)
            return
        fit_width(same)
        same.next_to(sum_tex, DOWN, buff=0.15).align_to(sum_tex, LEFT)
        if same.get_bottom()[1] < axes.get_top()[1]:
            same.align_to(room, UP).align_to(axes, LEFT)

    def _one_hat(self, title, x, domain):
        """Three ReLUs at knots k0, k1, k2 make a hat: the formula, the plot, the hinges added one by one.
        Returns the formula, the plot, the room under it and its scale (stacked), and everything to fade."""
        a, b = domain
        lo, hi = -0.6, 1.6
        demo = axes_for((a, b), (lo, hi), *plot_size((7.6, 4.6)), x_numbers=False)
        d = (b - a) / 5
        k0, k1, k2 = a + 1.5 * d, a + 2.5 * d, a + 3.5 * d
        parts = [relu(x - k0) / d, -2 * relu(x - k1) / d, relu(x - k2) / d]
        formula = fit_width(hat_formula())
        room, shrunk = self._lay_out(title, formula, demo)
        colors = (STEP_COLORS[0], STEP_COLORS[1], HIGHLIGHT)
        for idx, color in zip((1, 3, 5), colors):
            formula[idx].set_color(color)
        knot_marks = marked_knots(demo, (k0, k1, k2), colors, lo, hi)
        hinges = VGroup(*(visible(demo, x, p, c, lo, hi) for p, c in zip(parts, colors)))
        total = visible(demo, x, parts[0], APPROX_COLOR, lo, hi, width=5)
        with self.beat(
            "A ReLU unit is a hinge: zero, then a straight ramp. Three hinges, at knots k0, k1 and k2, make a hat."
        ):
            self.play(Create(demo), Write(formula), Fade(knot_marks, out=False), run_time=1.2)
            self.play(Create(hinges[0]), Create(total), run_time=0.7)
            for m in (1, 2):
                partial = visible(demo, x, sum(parts[: m + 1]), APPROX_COLOR, lo, hi, width=5)
                self.play(Create(hinges[m]), Transform(total, partial), run_time=0.8)
            self.play(hinges.animate.set_stroke(opacity=0.25), run_time=0.4)
            self.wait(0.8)
        return formula, demo, room, shrunk, (hinges, total, demo, formula, knot_marks)
