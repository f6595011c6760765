"""A one-hidden-layer network drawn as one mobject: input, a column of hidden neurons, output, and their edges."""

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
    Readout,
)
from manim import DOWN, UP, Circle, Line, MathTex, Rectangle, Text, VGroup

MAX_DRAWN = 24  # hidden neurons drawn; beyond this the middle ones are elided
GAP = 0.1  # between an edge label and what it must not touch


class NetworkPicture(VGroup):
    """Input x, ``n`` hidden neurons in one column (coloured by pair), a linear output Σ, and the edges between.

    The way ManimML's ``NeuralNetwork`` is one object: a scene builds it from the net's output weights, places
    and scales it as a whole, then lights neurons up (:meth:`light`) and shows output weights on their edges
    (:meth:`show_weights`), which stay clear of every neuron and of each other.

    Parameters
    ----------
    out_weights : ndarray
        The hidden neurons' output weights, shape (n,): the edges to the output are drawn as thick as they are strong.
    height : float
        From the top neuron to the bottom one, in scene units, before any scaling.
    """

    def __init__(self, out_weights: np.ndarray, height: float = 6.1, span: tuple[float, float] = (2.25, 3.0)):
        super().__init__()
        out = np.asarray(out_weights, dtype=float)
        n = len(out)
        self.n = n
        drawn = list(range(n)) if n <= MAX_DRAWN else [*range(MAX_DRAWN // 2), *range(n - MAX_DRAWN // 2, n)]
        spacing = height / max(len(drawn) - 1 + (n > MAX_DRAWN), 1)
        radius = min(0.16, 0.36 * spacing)
        self.in_node = Circle(radius=0.3, color=TARGET_COLOR).move_to([-span[0], -height / 2 + 0.6, 0])
        self.out_node = Circle(radius=0.3, color=APPROX_COLOR).move_to([span[1], -height / 2 + 0.6, 0])
        self.nodes = {}
        for k, i in enumerate(drawn):
            gap = 1 if (n > MAX_DRAWN and k >= MAX_DRAWN // 2) else 0  # leave a slot for the dots
            node = Circle(radius=radius, color=STEP_COLORS[i % 2], stroke_width=2)
            self.nodes[i] = node.move_to([0.0, height / 2 - (k + gap) * spacing, 0])
        for node in (self.in_node, self.out_node, *self.nodes.values()):
            node.is_neuron = True  # the layout tests keep labels off neurons
        strength = np.abs(out) / max(np.abs(out).max(), 1e-12)
        self.in_edges = {
            i: Line(self.in_node.get_right(), m.get_left(), color=EDGE_COLOR, stroke_width=1.2)
            for i, m in self.nodes.items()
        }
        self.out_edges = {
            i: Line(
                m.get_right(),
                self.out_node.get_left(),
                color=STEP_COLORS[i % 2],
                stroke_width=0.6 + 2.4 * strength[i],
                stroke_opacity=0.6,
            )
            for i, m in self.nodes.items()
        }
        names = VGroup(
            MathTex("x", font_size=BODY_SIZE + 8).move_to(self.in_node),
            MathTex(r"\Sigma", font_size=BODY_SIZE + 4).move_to(self.out_node),
        )
        self.add(*self.in_edges.values(), *self.out_edges.values(), self.in_node, self.out_node, *self.nodes.values())
        self.add(names)
        if n > MAX_DRAWN:
            self.add(MathTex(r"\vdots", font_size=BODY_SIZE).move_to([0.0, height / 2 - (MAX_DRAWN // 2) * spacing, 0]))
        self.captions = VGroup(
            Text(f"{n} sigmoid neurons", font=FONT, font_size=SMALL_SIZE, color=NOTE_COLOR),
            Text("linear", font=FONT, font_size=SMALL_SIZE, color=NOTE_COLOR),
        )
        self.captions[0].next_to(self.nodes[drawn[0]], UP, buff=0.15)
        self.captions[1].next_to(self.out_node, DOWN, buff=0.2)
        self.marks = VGroup(*(self._edge_label() for _ in range(2)))  # output weights, shown by show_weights

    def diagram(self) -> VGroup:
        """The picture without its captions and weight labels (what ``Create`` draws)."""
        return VGroup(*self.submobjects)

    def whole(self) -> VGroup:
        """Everything that moves and scales with the picture: it, its captions and its weight labels."""
        return VGroup(self, self.captions, self.marks)

    @staticmethod
    def _edge_label() -> VGroup:
        """An output weight shown on its edge, on a patch so the edges behind do not cross it."""
        number = Readout(-8.888, decimals=3, font_size=SMALL_SIZE - 4, color=HIGHLIGHT, signed=True)
        patch = Rectangle(
            width=number.width + 0.08,
            height=number.height + 0.08,
            fill_color=PATCH_COLOR,
            fill_opacity=0.85,
            stroke_width=0,
        ).move_to(number)
        return VGroup(patch, number)

    def light(self, which, on: bool) -> None:
        """Light neurons up (orange, bold), or put them back as done (filled with their colour)."""
        for i in which:
            if i not in self.nodes:
                continue
            color = HIGHLIGHT if on else STEP_COLORS[i % 2]
            self.nodes[i].set_fill(color, opacity=1.0 if on else 0.5).set_stroke(color)
            self.in_edges[i].set_stroke(HIGHLIGHT if on else EDGE_COLOR, width=3 if on else 1.2, opacity=1.0)
            self.out_edges[i].set_stroke(color, width=3 if on else 1.5, opacity=1.0 if on else 0.6)

    def show_weights(self, which, weights) -> list[VGroup]:
        """Put the output weights of neurons ``which`` on their edges, one after the other from the hidden column
        toward the output: each label clear of the column, of the other label and of the output neuron.
        Returns the labels in use (an elided neuron has none)."""
        shown = []
        left = max(m.get_right()[0] for m in self.nodes.values()) + GAP  # the column's right side
        for mark, i, w in zip(self.marks, which, weights):
            if i not in self.nodes:
                continue
            mark[1].set_value(w)
            edge = self.out_edges[i]
            (x0, y0, _), (x1, y1, _) = edge.get_start(), edge.get_end()
            x = left + mark.width / 2
            mark.move_to([x, y0 + (x - x0) / (x1 - x0) * (y1 - y0), 0])  # on the edge, at that x
            left = mark.get_right()[0] + GAP
            shown.append(mark)
        return shown
