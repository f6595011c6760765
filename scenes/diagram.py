"""Scene 4: the network behind the bumps, drawn neuron by neuron; each highlighted pair is the bump being added."""

from __future__ import annotations

import numpy as np
from _common import (
    APPROX_COLOR,
    BODY_SIZE,
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
    curve,
    fade_out_all,
    fill,
    fit_width,
    frame_size,
    heading,
    neurons,
    plot_size,
    target_1d,
    text_row,
    value_range,
)
from _network import NetworkPicture
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    MathTex,
    Scene,
    Text,
    Transform,
    VGroup,
)

from univ import construct

ONE_BY_ONE = 10  # pairs highlighted one at a time; the rest are added together
PAIRS_SECONDS = 8.0


class NetworkDiagram(Beats, Scene):
    """The hand-built network: input x, N sigmoid neurons in pairs, a linear output; each pair is one bump."""

    def construct(self):
        target, n = target_1d(), neurons()
        ((a, b),) = target.domain
        net = construct(target, n)
        x = np.linspace(a, b, 481)
        shares = net.contributions(x)
        bumps = shares[:, 0::2] + shares[:, 1::2]  # (points, pairs)
        running = net.output.b[0] + np.cumsum(bumps, axis=1)

        # the diagram: x, the hidden column, the output; beside it (under it, stacked) the bumps adding up
        title = heading("The network behind the bumps")
        self.add(title)
        picture = NetworkPicture(net.output.w[:, 0])
        axes = axes_for(
            (a, b), value_range(target.evaluate(x), running[:, -1], bumps), *plot_size((6.6, 3.6), tall=0.3)
        )
        panel, fields = self._weights_panel(n)
        self._lay_out(title, picture, axes, panel)
        with self.beat(f"Here is the network: the input x, {n} sigmoid neurons in pairs, and a linear output."):
            self.play(Create(picture.diagram()), Fade(picture.captions, out=False), run_time=1.5)

        goal = curve(axes, x, target.evaluate(x), TARGET_COLOR, width=3)
        approx = curve(axes, x, np.full_like(x, net.output.b[0]), APPROX_COLOR, width=4)
        with self.beat("Its output starts flat; the target f is in grey."):
            self.play(Create(axes), Create(goal), Create(approx), run_time=0.8)

        with self.beat(
            "Each pair lights up in turn: two steps, at s equals minus b over w, "
            "and output weights plus and minus h make one bump."
        ):
            panel = self._pairs(net, picture, axes, x, bumps, running, approx, panel, fields)

        # all pairs together: the network's output
        summary = MathTex(
            r"y = \sum_j h_j\,\big[\sigma(w(x-s_j)) - \sigma(w(x-s_{j+1}))\big]",
            font_size=BODY_SIZE + 2,
            color=APPROX_COLOR,
        )
        fit_width(summary, 6.8 if WIDE else frame_size()[0] - 0.8)
        if WIDE:
            summary.next_to(axes, UP, buff=0.35).align_to(axes, LEFT)
        else:
            summary.move_to(panel).set_x(0)
        with self.beat("Together, all the pairs are the network's output: a sum of bumps."):
            self.play(Fade(panel), Fade(summary, out=False), run_time=0.7)
            self.hold()
        fade_out_all(self)

    @staticmethod
    def _lay_out(title, picture: NetworkPicture, axes, panel) -> None:
        """16:9: the picture left, the plot bottom right with the weights above it. Stacked: the picture under the
        heading, the plot, then the weights, filling the frame."""
        fw, _ = frame_size()
        whole = picture.whole()
        if WIDE:
            whole.scale(0.9).move_to([-4.0, -0.55, 0])
            axes.to_corner(DOWN + RIGHT, buff=0.4)
            panel.next_to(axes, UP, buff=0.35).align_to(axes, LEFT)
            if panel.get_right()[0] > fw / 2 - 0.3:  # widest values: keep it on screen
                panel.shift(LEFT * (panel.get_right()[0] - fw / 2 + 0.3))
            return
        fit_width(panel, fw - 0.8)
        VGroup(whole, axes, panel).arrange(DOWN, buff=0.5)
        fill([whole, axes, panel], below=title, most=1.0)

    def _pairs(self, net, picture, axes, x, bumps, running, approx, panel, fields):
        """Light each pair up in turn with its weights read out and its bump added; the rest, if many, at once.
        Returns what is left on screen under the plot (the panel, or the line that replaced it)."""
        n = net.hidden[0].w.shape[1]
        w, bias, out = net.hidden[0].w[0], net.hidden[0].b, net.output.w[:, 0]  # (n,) each
        pairs = n // 2
        one_by_one = min(pairs, ONE_BY_ONE)
        each = PAIRS_SECONDS / one_by_one
        lit = ()
        self.play(Fade(panel, out=False), run_time=0.3)
        for j in range(one_by_one):
            picture.light(lit, on=False)
            lit = (2 * j, 2 * j + 1)
            picture.light(lit, on=True)
            i1, i2 = lit
            values = (j + 1, w[i1], bias[i1], -bias[i1] / w[i1], w[i2], bias[i2], -bias[i2] / w[i2], out[i1])
            for field, value in zip(fields, values):
                field.set_value(value)
            self.remove(*picture.marks)
            self.add(*picture.show_weights(lit, out[list(lit)]))
            bump = curve(axes, x, bumps[:, j], HIGHLIGHT, width=3).set_stroke(opacity=0)
            self.add(bump)
            self.play(Blend(bump, opacity=1.0), run_time=0.45 * each)
            self.play(
                Blend(approx, points=curve(axes, x, running[:, j], APPROX_COLOR).points),
                Blend(bump, opacity=0.0),
                run_time=0.55 * each,
            )
            self.remove(bump)
            if j < 2:
                self.sample_layout()  # the weights on their edges (tests only)
        picture.light(lit, on=False)
        self.remove(*picture.marks)
        if pairs > one_by_one:  # the rest, all together
            rest = Text(f"+ the other {pairs - one_by_one} pairs", font=FONT, font_size=BODY_SIZE, color=NOTE_COLOR)
            rest.move_to(panel, aligned_edge=LEFT)
            self.play(
                Fade(panel),
                Fade(rest, out=False),
                Transform(approx, curve(axes, x, running[:, -1], APPROX_COLOR, width=4)),
                run_time=1.2,
            )
            panel = rest
        return panel

    @staticmethod
    def _weights_panel(n: int) -> tuple[VGroup, list[Readout]]:
        """The pair's weights as text with live numbers: where each step is, and the bump's height.

        Returns the panel and its numbers in order: pair, w1, b1, s1, w2, b2, s2, h.
        """
        size = SMALL_SIZE - 1

        def line(color, *parts):
            items, fields = [], []
            for part in parts:
                if isinstance(part, str):
                    items.append(Text(part, font=FONT, font_size=size, color=color))
                else:  # (decimals, widest value): a number, with room for its widest value
                    decimals, widest = part
                    field = Readout(widest, decimals=decimals, font_size=size, color=color)
                    items.append(field)
                    fields.append(field)
            return text_row(*items), fields

        rows = [
            line(HIGHLIGHT, "pair", (0, n // 2), f"of {n // 2}"),
            line(STEP_COLORS[0], "w =", (0, -8888), "  b =", (0, -8888), "  s = −b/w =", (2, -8.88)),
            line(STEP_COLORS[1], "w =", (0, -8888), "  b =", (0, -8888), "  s = −b/w =", (2, -8.88)),
            line(APPROX_COLOR, "output weights +h and −h, with h =", (3, -8.888)),
        ]
        panel = VGroup(*(r for r, _ in rows)).arrange(DOWN, aligned_edge=LEFT, buff=0.16)
        return panel, [f for _, fs in rows for f in fs]
