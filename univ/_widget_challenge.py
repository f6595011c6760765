"""The notebook widget for Nielsen's challenge: five bump heights, a sigmoid output, the chapter's score."""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
import traitlets as T

from . import validate as check
from ._widget_canvas import _Canvas
from ._widgets import (
    CHALLENGE_RANGE,
    NETWORK_COLOUR,
    PLOT_POINTS,
    TARGET_COLOUR,
    _Figure,
)
from .network import Network
from .play import (
    CHALLENGE_GOAL,
    nielsen_challenge,
    weighted_output,
)


# -- the challenge -------------------------------------------------------------------------------------------
class Challenge(_Figure):
    """Nielsen's challenge: five bump heights, a sigmoid output; score = average deviation from σ⁻¹∘f.

    Traits: ``heights`` (five numbers in [−3, 3], as the sliders set them), ``score`` and ``complete``
    (read-only: the average deviation, and whether it is at or below Nielsen's 0.40).
    """

    heights = T.Any(())
    score = T.Float(float("nan"), read_only=True)
    complete = T.Bool(False, read_only=True)

    @T.validate("heights")
    def _check_heights(self, proposal):
        return check.reals("heights", proposal["value"], len(self.game.best_heights), -CHALLENGE_RANGE, CHALLENGE_RANGE)

    def __init__(self):
        super().__init__()
        self.game = nielsen_challenge()
        self.target = self.game.target
        r = CHALLENGE_RANGE
        self.height_sliders = [
            W.FloatSlider(
                value=0.0,
                min=-r,
                max=r,
                step=0.01,
                orientation="vertical",
                description=f"h {j + 1}",
                readout_format=".2f",
                layout=W.Layout(width="64px", height="200px"),
            )
            for j in range(len(self.game.best_heights))
        ]
        for j, control in enumerate(self.height_sliders):
            control.observe(lambda change, j=j: self._height_moved(j, change["new"]), names="value")
        self.score_label = W.Label(value="")
        self.verdict = W.HTML(value="")
        self.best_label = W.HTML(
            value=(
                f"best possible with five bumps (each height the median of σ⁻¹∘f over its cell): "
                f"<b>{self.game.ideal_best_score:.3f}</b> with ideal steps, {self.game.best_score:.3f} with these "
                f"sigmoid steps (w = {self.game.network.hidden[0].w[0, 0]:g})"
            )
        )
        self.reset = W.Button(description="all heights 0", icon="undo")
        self.show_best = W.Button(description="show the best heights", icon="star")
        self.reset.on_click(lambda _: self.set_heights(np.zeros(len(self.height_sliders))))
        self.show_best.on_click(lambda _: self.set_heights(self.game.best_heights))
        self._draw_init()
        self.children = [
            W.HTML(
                value=f"Match σ⁻¹∘f for f(x) = {html.escape(self.target.text)}: the weighted output of five "
                f"bumps should follow the goal curve. Done at an average deviation of "
                f"{CHALLENGE_GOAL:.2f} or less."
            ),
            W.HBox([self.image, W.HBox(self.height_sliders)]),
            W.HBox([W.Label("average deviation"), self.score_label, self.verdict]),
            self.best_label,
            W.HBox([self.reset, self.show_best]),
            self.message,
        ]
        self.observe(self._update, names="heights")
        self.heights = (0.0,) * len(self.height_sliders)

    def set_heights(self, values) -> None:
        """All five heights at once (each must lie in [−3, 3], the sliders' range)."""
        self.heights = tuple(float(v) for v in np.asarray(values, dtype=float).reshape(-1))

    def _height_moved(self, j: int, value: float) -> None:
        if not self._quiet:
            self.heights = self.heights[:j] + (float(value),) + self.heights[j + 1 :]

    def _draw_init(self) -> None:
        self.canvas = _Canvas((6.0, 5.0), nrows=2, sharex=True, height_ratios=(3, 2))
        self.canvas.fig.subplots_adjust(left=0.1, right=0.97, top=0.94, bottom=0.1, hspace=0.15)
        top, bottom = self.canvas.axes
        self.x = np.linspace(0.0, 1.0, PLOT_POINTS)
        goal = self.game.goal[:: (len(self.game.x) - 1) // (PLOT_POINTS - 1)]
        top.plot(self.x, goal, color=TARGET_COLOUR, lw=2, label="goal: σ⁻¹∘f")
        (self._weighted,) = top.plot(self.x, self.x, color=NETWORK_COLOUR, lw=1.6, label="weighted output Σ h·bump")
        top.set_ylim(-3.2, 3.2)
        top.set_xlim(0, 1)
        top.legend(loc="lower right", frameon=False, fontsize=8)
        top.set_title("the σ⁻¹ scale, where the score is measured", fontsize=9)
        bottom.plot(self.x, self.target.evaluate(self.x), color=TARGET_COLOUR, lw=2, label="f")
        (self._output,) = bottom.plot(self.x, self.x, color=NETWORK_COLOUR, lw=1.6, label="network σ(…)")
        bottom.set_ylim(0, 1)
        bottom.set_xlabel("x")
        bottom.legend(loc="upper left", frameon=False, fontsize=8)
        self.canvas.animate(self._weighted, self._output)

    @property
    def network(self) -> Network:
        """The network with the current heights."""
        return self.game.with_heights(list(self.heights))

    def _update(self, change=None) -> None:
        with self._quietly():
            for control, v in zip(self.height_sliders, self.heights):
                control.value = v
        net = self.network
        score = float(self.game.score(net))
        self.set_trait("score", score)
        self.set_trait("complete", score <= CHALLENGE_GOAL)
        self.score_label.value = f"{score:.3f}"
        self.verdict.value = (
            "<b>challenge complete: at or below 0.40</b>"
            if self.complete
            else f"(Nielsen's goal: {CHALLENGE_GOAL:.2f} or below)"
        )
        self._weighted.set_ydata(weighted_output(net, self.x))
        self._output.set_ydata(net(self.x))
        self.image.value = self.canvas.frame()
