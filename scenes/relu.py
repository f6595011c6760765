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
    Blend,
    Fade,
    Readout,
    axes_for,
    batches,
    curve,
    fade_out_all,
    heading,
    neurons,
    on_baseline,
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
    Dot,
    FadeIn,
    MathTex,
    Scene,
    Text,
    Transform,
    VGroup,
    Write,
)

from univ import construct, convergence_slope, measure

SWEEP = (4, 8, 20, 64)
HATS_SECONDS = 5.0


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
    """A curve drawn only where it is inside the axes' y range (the ReLU ramps run off the top)."""
    keep = (y >= lo) & (y <= hi)
    return curve(axes, x[keep], y[keep], color, width=width)


class ReluHats(Scene):
    """ReLU units: three hinges make a hat; hats scaled by f at the knots sum to the piecewise-linear interpolant."""

    def construct(self):
        target, n = target_1d(), neurons()
        (a, b), = target.domain
        x = np.linspace(a, b, 801)
        f = target.evaluate(x)

        # three ReLUs make a hat
        title = heading("ReLU units: hats join the dots")
        lo, hi = -0.6, 1.6
        demo = axes_for((a, b), (lo, hi), width=7.6, height=4.6, x_numbers=False)
        demo.to_edge(DOWN, 0.5).to_edge(LEFT, 0.8)
        d = (b - a) / 5
        k0, k1, k2 = a + 1.5 * d, a + 2.5 * d, a + 3.5 * d
        parts = [relu(x - k0) / d, -2 * relu(x - k1) / d, relu(x - k2) / d]
        formula = MathTex(r"\mathrm{hat}(x) = \tfrac{1}{\Delta}\big[", r"\mathrm{relu}(x-k_0)", "-2",
                          r"\,\mathrm{relu}(x-k_1)", "+", r"\mathrm{relu}(x-k_2)", r"\big]", font_size=BODY_SIZE + 4)
        formula.next_to(title, DOWN, buff=0.35).align_to(title, LEFT).shift(RIGHT * 0.2)
        for idx, color in ((1, STEP_COLORS[0]), (3, STEP_COLORS[1]), (5, HIGHLIGHT)):
            formula[idx].set_color(color)
        self.play(Fade(title, out=False), Create(demo), Write(formula), run_time=1.2)
        colors = (STEP_COLORS[0], STEP_COLORS[1], HIGHLIGHT)
        hinges = VGroup(*(visible(demo, x, p, c, lo, hi) for p, c in zip(parts, colors)))
        total = visible(demo, x, parts[0], APPROX_COLOR, lo, hi, width=5)
        self.play(Create(hinges[0]), Create(total), run_time=0.7)
        for m in (1, 2):
            partial = visible(demo, x, sum(parts[: m + 1]), APPROX_COLOR, lo, hi, width=5)
            self.play(Create(hinges[m]), Transform(total, partial), run_time=0.8)
        self.play(hinges.animate.set_stroke(opacity=0.25), run_time=0.4)
        self.wait(0.4)

        # hats scaled by f at the knots, added one at a time
        net = construct(target, n, method="relu")
        knots = np.asarray(net.info["edges"])
        basis = hats(x, knots)  # (points, knots)
        heights = target.evaluate(knots)
        running = np.cumsum(basis * heights, axis=1)
        y_range = value_range(f, running[:, -1], *(basis[:, i] * heights[i] for i in range(len(knots))))
        axes = axes_for((a, b), y_range, width=8.4, height=5.0).to_edge(DOWN, 0.45).to_edge(LEFT, 0.7)
        goal = curve(axes, x, f, TARGET_COLOR, width=4)
        dots = VGroup(*(Dot(axes.c2p(k, v), radius=0.045, color=TARGET_COLOR) for k, v in zip(knots, heights)))
        sum_tex = MathTex(r"\sum_i f(k_i)\,\mathrm{hat}_i(x)", font_size=BODY_SIZE + 4, color=APPROX_COLOR)
        sum_tex.move_to(formula, aligned_edge=LEFT)
        self.play(Fade(hinges), Fade(total), Fade(demo), Fade(formula), run_time=0.5)
        approx = curve(axes, x, np.zeros_like(x), APPROX_COLOR, width=5)
        self.play(Create(axes), Create(goal), Fade(dots, out=False), Fade(sum_tex, out=False), Create(approx), run_time=0.9)
        steps = batches(len(knots))  # one hat per step, or a few at once when there are many
        each = HATS_SECONDS / len(steps)
        for step in steps:
            new = VGroup(*(curve(axes, x, basis[:, i] * heights[i], BUMP_COLOR, width=3).set_stroke(opacity=0)
                           for i in step))
            self.add(new)
            for i in step:
                dots[i].set_color(HIGHLIGHT)
            self.play(Blend(new, opacity=1.0), run_time=0.4 * each)
            self.play(Blend(approx, points=curve(axes, x, running[:, step[-1]], APPROX_COLOR).points),
                      Blend(new, opacity=0.0), run_time=0.6 * each)
            self.remove(new)
        same = Text(f"= the network's output: {n} ReLU units", font=FONT, font_size=SMALL_SIZE, color=NOTE_COLOR)
        same.next_to(sum_tex, RIGHT, buff=0.3)
        self.play(Fade(same, out=False), run_time=0.4)

        # faster than bumps: error against N for both
        sweep = sorted(set(SWEEP) | {n})
        rows = [text_row(*(Text(t, font=FONT, font_size=SMALL_SIZE + 2, color=c) for t, c in
                           (("N", TARGET_COLOR), ("bumps", BUMP_COLOR), ("ReLU", APPROX_COLOR))), buff=0.5)]
        errs = {"bumps": [], "relu": []}
        for m in sweep:
            for method, found in errs.items():
                found.append(measure(construct(target, m, method=method), target).max_error)
            cells = [Readout(m, decimals=0, font_size=SMALL_SIZE + 2, slots=4),
                     Text(f"{errs['bumps'][-1]:.2g}", font=FONT, font_size=SMALL_SIZE + 2, color=BUMP_COLOR),
                     Text(f"{errs['relu'][-1]:.2g}", font=FONT, font_size=SMALL_SIZE + 2, color=APPROX_COLOR)]
            rows.append(VGroup(*cells))
        header = rows[0]
        header.next_to(axes, RIGHT, buff=0.35).align_to(axes, UP)
        for r, row in enumerate(rows[1:], start=1):
            for cell, col in zip(row, header):
                cell.align_to(col, LEFT)
                on_baseline(cell, col).shift(DOWN * 0.45 * r)
        caption = Text("max error", font=FONT, font_size=SMALL_SIZE, color=ERROR_COLOR).next_to(header, UP, buff=0.2)
        slopes = VGroup(*(MathTex(r"\propto N^{" + f"{convergence_slope(sweep, errs[method]):.1f}" + "}",
                                  font_size=BODY_SIZE + 8, color=color)
                          for method, color in (("bumps", BUMP_COLOR), ("relu", APPROX_COLOR))))
        slopes[0].next_to(rows[-1][1], DOWN, buff=0.35).align_to(header[1], LEFT)
        slopes[1].align_to(header[2], LEFT).align_to(slopes[0], DOWN)
        self.play(Fade(caption, out=False), Fade(header, out=False), run_time=0.4)
        for row in rows[1:]:
            self.play(Fade(row, out=False), run_time=0.4)
        self.play(FadeIn(slopes, shift=UP * 0.2), run_time=0.5)
        self.wait(1.2)
        fade_out_all(self)
