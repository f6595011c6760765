"""Scene 4: the network behind the bumps, drawn neuron by neuron; each highlighted pair is the bump being added."""

from __future__ import annotations

import numpy as np
from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    EDGE_COLOR,
    FONT,
    HIGHLIGHT,
    NOTE_COLOR,
    PATCH_COLOR,
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
    fit_width,
    frame_size,
    heading,
    neurons,
    target_1d,
    text_row,
    value_range,
)
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    Line,
    MathTex,
    Rectangle,
    Scene,
    Text,
    Transform,
    VGroup,
)

from univ import construct

MAX_DRAWN = 24  # hidden neurons drawn; beyond this the middle ones are elided
ONE_BY_ONE = 10  # pairs highlighted one at a time; the rest are added together
PAIRS_SECONDS = 8.0
IN_EDGE = EDGE_COLOR


class NetworkDiagram(Beats, Scene):
    """The hand-built network: input x, N sigmoid neurons in pairs, a linear output; each pair is one bump."""

    def construct(self):
        target, n = target_1d(), neurons()
        ((a, b),) = target.domain
        net = construct(target, n)
        w, bias = net.hidden[0].w[0], net.hidden[0].b  # (n,), (n,)
        out = net.output.w[:, 0]  # (n,)
        x = np.linspace(a, b, 481)
        shares = net.contributions(x)
        bumps = shares[:, 0::2] + shares[:, 1::2]  # (points, pairs)
        running = net.output.b[0] + np.cumsum(bumps, axis=1)
        pairs = n // 2

        # the diagram: x, the hidden column, the output
        title = heading("The network behind the bumps")
        self.add(title)
        drawn = list(range(n)) if n <= MAX_DRAWN else [*range(MAX_DRAWN // 2), *range(n - MAX_DRAWN // 2, n)]
        top, bottom = 2.5, -3.6
        spacing = (top - bottom) / max(len(drawn) - 1 + (n > MAX_DRAWN), 1)
        radius = min(0.16, 0.36 * spacing)
        in_node = Circle(radius=0.3, color=TARGET_COLOR).move_to([-6.5, -0.55, 0])
        out_node = Circle(radius=0.3, color=APPROX_COLOR).move_to([-2.0, -0.55, 0])
        hidden_x = -4.25
        pos = {}
        for k, i in enumerate(drawn):
            gap = 1 if (n > MAX_DRAWN and k >= MAX_DRAWN // 2) else 0  # leave a slot for the dots
            pos[i] = np.array([hidden_x, top - (k + gap) * spacing, 0.0])
        nodes = {i: Circle(radius=radius, color=STEP_COLORS[i % 2], stroke_width=2).move_to(p) for i, p in pos.items()}
        strength = np.abs(out) / max(np.abs(out).max(), 1e-12)
        in_edges = {i: Line(in_node.get_right(), nodes[i].get_left(), color=IN_EDGE, stroke_width=1.2) for i in drawn}
        out_edges = {
            i: Line(
                nodes[i].get_right(),
                out_node.get_left(),
                color=STEP_COLORS[i % 2],
                stroke_width=0.6 + 2.4 * strength[i],
                stroke_opacity=0.6,
            )
            for i in drawn
        }
        labels = VGroup(
            MathTex("x", font_size=BODY_SIZE + 8).move_to(in_node),
            MathTex(r"\Sigma", font_size=BODY_SIZE + 4).move_to(out_node),
        )
        caption = VGroup(
            Text(f"{n} sigmoid neurons", font=FONT, font_size=SMALL_SIZE, color=NOTE_COLOR),
            Text("linear", font=FONT, font_size=SMALL_SIZE, color=NOTE_COLOR),
        )
        caption[0].next_to(nodes[drawn[0]], UP, buff=0.15)
        caption[1].next_to(out_node, DOWN, buff=0.2)
        diagram = VGroup(*in_edges.values(), *out_edges.values(), in_node, out_node, *nodes.values(), labels)
        if n > MAX_DRAWN:
            dots = MathTex(r"\vdots", font_size=BODY_SIZE).move_to([hidden_x, top - (MAX_DRAWN // 2) * spacing, 0])
            diagram.add(dots)
        # the right half (below, when stacked): the bumps adding up, and the weights of the pair being added
        fw, fh = frame_size()
        axes = axes_for(
            (a, b),
            value_range(target.evaluate(x), running[:, -1], bumps),
            *((6.6, 3.6) if WIDE else (fw - 1.9, 3.0 if fh < 12 else 4.6)),
        )
        panel, fields = self._weights_panel(n)
        if WIDE:
            axes.to_corner(DOWN + RIGHT, buff=0.4)
            panel.next_to(axes, UP, buff=0.35).align_to(axes, LEFT)
            if panel.get_right()[0] > fw / 2 - 0.3:  # widest values: keep it on screen
                panel.shift(LEFT * (panel.get_right()[0] - fw / 2 + 0.3))
        else:  # stacked: the diagram under the heading, turned to fill the width; the plot, then the weights
            whole = VGroup(diagram, caption)
            whole.scale_to_fit_height(3.0 if fh < 12 else 5.2)
            fit_width(whole, fw - 1.0)
            whole.next_to(title, DOWN, buff=0.3).set_x(0)
            axes.next_to(whole, DOWN, buff=0.5).set_x(0.3)
            fit_width(panel, fw - 0.8)
            panel.next_to(axes, DOWN, buff=0.55).set_x(0)
        with self.beat(f"Here is the network: the input x, {n} sigmoid neurons in pairs, and a linear output."):
            self.play(Create(diagram), Fade(caption, out=False), run_time=1.5)

        goal = curve(axes, x, target.evaluate(x), TARGET_COLOR, width=3)
        approx = curve(axes, x, np.full_like(x, net.output.b[0]), APPROX_COLOR, width=4)
        with self.beat("Its output starts flat; the target f is in grey."):
            self.play(Create(axes), Create(goal), Create(approx), run_time=0.8)

        # the pair being added: its weights, read out; its bump, highlighted
        marks = [self._edge_label() for _ in range(2)]
        one_by_one = min(pairs, ONE_BY_ONE)
        each = PAIRS_SECONDS / one_by_one
        lit = ()
        with self.beat(
            "Each pair lights up in turn: two steps, at s equals minus b over w, "
            "and output weights plus and minus h make one bump."
        ):
            self.play(Fade(panel, out=False), run_time=0.3)
            for j in range(one_by_one):
                i1, i2 = 2 * j, 2 * j + 1
                self._paint(nodes, in_edges, out_edges, lit, on=False)
                lit = (i1, i2)
                self._paint(nodes, in_edges, out_edges, lit, on=True)
                for field, value in zip(
                    fields, (j + 1, w[i1], bias[i1], -bias[i1] / w[i1], w[i2], bias[i2], -bias[i2] / w[i2], out[i1])
                ):
                    field.set_value(value)
                # the two labels staggered along their edges, so neighbours never overlap
                for mark, i, where in zip(marks, lit, (0.22, 0.62)):
                    mark[1].set_value(out[i])
                    mark.move_to(out_edges[i].point_from_proportion(where) if i in nodes else [-2.2, 10, 0])
                self.add(*marks)
                bump = curve(axes, x, bumps[:, j], HIGHLIGHT, width=3).set_stroke(opacity=0)
                self.add(bump)
                self.play(Blend(bump, opacity=1.0), run_time=0.45 * each)
                self.play(
                    Blend(approx, points=curve(axes, x, running[:, j], APPROX_COLOR).points),
                    Blend(bump, opacity=0.0),
                    run_time=0.55 * each,
                )
                self.remove(bump)
            self._paint(nodes, in_edges, out_edges, lit, on=False)
            self.remove(*marks)
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

    @staticmethod
    def _edge_label() -> VGroup:
        """An output weight shown on its edge, on a dark patch so the edges behind do not cross it."""
        number = Readout(-8.888, decimals=3, font_size=SMALL_SIZE - 4, color=HIGHLIGHT, signed=True)
        patch = Rectangle(
            width=number.width + 0.08,
            height=number.height + 0.08,
            fill_color=PATCH_COLOR,
            fill_opacity=0.85,
            stroke_width=0,
        ).move_to(number)
        return VGroup(patch, number)

    @staticmethod
    def _paint(nodes, in_edges, out_edges, which, on: bool) -> None:
        """Light a pair up (orange, bold), or put it back as a done pair (filled with its colour)."""
        for i in which:
            if i not in nodes:
                continue
            color = HIGHLIGHT if on else STEP_COLORS[i % 2]
            nodes[i].set_fill(color, opacity=1.0 if on else 0.5).set_stroke(color)
            in_edges[i].set_stroke(HIGHLIGHT if on else IN_EDGE, width=3 if on else 1.2, opacity=1.0)
            out_edges[i].set_stroke(color, width=3 if on else 1.5, opacity=1.0 if on else 0.6)
