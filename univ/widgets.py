"""Nielsen's interactive figures in a notebook: one neuron, live bumps, and his challenge (ipywidgets, optional).

``import univ`` never needs ipywidgets: it is imported when a widget is made, and a missing one is a UnivError that
says how to install it. Every widget exposes its controls as attributes (``w.neurons``, ``w.heights[3]``,
``w.max_error_label``) so it can be driven from Python, and its current network as ``.network``.

Figures are drawn with matplotlib's Agg canvas into an ``ipywidgets.Image``: the axes and the curves that do not
move are drawn once, and each update redraws only the moving curves over that background (blitting), so an update
stays under 100 ms with 200 neurons (benchmarks/bench_widgets.txt).
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from typing import Any

import numpy as np

from . import validate as check
from .constructions import METHODS, construct, names
from .errors import UnivError
from .limits import MAX_WIDGET_NEURONS
from .measure import measure
from .network import Layer, Network
from .play import (
    CHALLENGE_GOAL,
    handles,
    nielsen_challenge,
    piece_units,
    piece_weights,
    weighted_output,
    with_piece_weights,
)
from .target import parse

__all__ = ["neuron", "bumps", "challenge", "Neuron", "Bumps", "Challenge"]

PLOT_POINTS = 501  # points per drawn curve (the readouts use univ.measure's own grid)
DPI = 80
JPEG_QUALITY = 92
METHODS_1D = names(1)  # the registry's 1D constructions: bumps, steps, relu, heaviside
KNOTS = ("uniform", "adaptive")
TARGET_COLOUR = "black"
NETWORK_COLOUR = "#d62728"
STEP_COLOUR = "#1f77b4"
PIECE_COLOURS = ("#1f77b4", "#ff7f0e")  # neighbouring bumps alternate


def _ipywidgets():
    try:
        import ipywidgets
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise UnivError('the notebook widgets need ipywidgets: pip install -e ".[notebook]"') from None
    return ipywidgets


# -- drawing -------------------------------------------------------------------------------------------------
class _Canvas:
    """A matplotlib figure on an Agg canvas whose moving artists are blitted over a cached background, as PNG bytes."""

    def __init__(self, figsize: tuple[float, float], **subplots: Any):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=figsize, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.axes = self.fig.subplots(**subplots)
        self.moving: list = []  # artists redrawn on every update
        self._background = None

    def animate(self, *artists) -> None:
        for a in artists:
            a.set_animated(True)
            self.moving.append(a)

    def frame(self, full: bool = False) -> bytes:
        """Redraw (everything when ``full``, else only the moving artists) and return the picture as JPEG bytes.

        JPEG because it encodes in about a millisecond where PNG takes tens (``savefig`` gives a crisp PNG).
        """
        from PIL import Image

        if full or self._background is None:
            self.canvas.draw()  # draws everything but the animated artists
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for a in self.moving:
            a.axes.draw_artist(a)
        w, h = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (w, h), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=JPEG_QUALITY)
        return buf.getvalue()


def _limits(values: np.ndarray, pad: float = 0.08) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    return lo - pad * span, hi + pad * span


def _inside(values: np.ndarray, limits: tuple[float, float]) -> bool:
    return bool(np.min(values) >= limits[0] and np.max(values) <= limits[1])


def _nice(v: float) -> float:
    """The smallest of 1, 2, 5 × 10^k at or above v."""
    k = np.floor(np.log10(v))
    return float(min(m * 10.0**k for m in (1, 2, 5, 10) if m * 10.0**k >= v * (1 - 1e-12)))


def _roomy(values: np.ndarray, limits: tuple[float, float]) -> bool:
    """The values use less than half the axis: after a rebuild, zoom in."""
    return float(np.max(values) - np.min(values)) < 0.5 * (limits[1] - limits[0])


def _fmt(v: float) -> str:
    return f"{v:.4g}"


class _Widget:
    """Common plumbing: the ipywidgets module, the box shown in the notebook, a message area, the figure image."""

    def __init__(self):
        self._w = _ipywidgets()
        self.message = self._w.HTML(value="")
        self.image = self._w.Image(format="jpeg")
        self.box = None
        self._quiet = False  # set while the widget moves its own controls

    def _say(self, text: str = "", error: bool = False) -> None:
        colour = "#b00020" if error else "inherit"
        self.message.value = f'<span style="color:{colour}">{html.escape(text)}</span>' if text else ""

    def _watch(self, control, handler: Callable[[], None]) -> None:
        def on_change(change):
            if not self._quiet:
                handler()

        control.observe(on_change, names="value")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)

    def savefig(self, fname, **kwargs) -> None:
        """Save the figure as drawn now (a file name or a binary file; PNG unless ``format`` or the name says)."""
        self.canvas.fig.savefig(fname, dpi=kwargs.pop("dpi", 2 * DPI), **kwargs)


# -- one neuron ----------------------------------------------------------------------------------------------
class Neuron(_Widget):
    """One sigmoid neuron σ(w·x + b) on [0, 1]: sliders for w and b, or for w and the step point s = −b/w."""

    def __init__(self, w: float = 8.0, b: float = -4.0):
        super().__init__()
        W = self._w
        self.w = W.FloatSlider(value=w, min=-100.0, max=100.0, step=0.1, description="w", continuous_update=True)
        self.b = W.FloatSlider(value=b, min=-100.0, max=100.0, step=0.1, description="b")
        self.s = W.FloatSlider(
            value=0.5,
            min=-0.5,
            max=1.5,
            step=0.005,
            description="s = −b/w",
            readout_format=".3f",
            layout=W.Layout(display="none"),
        )
        self.mode = W.ToggleButtons(options=["w and b", "w and s"], value="w and b", description="sliders")
        self.formula = W.HTMLMath(value="")
        self._draw_init()
        for c in (self.w, self.b, self.s):
            self._watch(c, self._update)
        self._watch(self.mode, self._switch)
        self.box = W.VBox([self.mode, self.w, self.b, self.s, self.formula, self.image, self.message])
        self._update()

    @property
    def network(self):
        """The neuron as a univ Network: a hidden sigmoid unit with weight w and bias b, and a linear output."""
        return Network(
            [Layer([[self.w.value]], [self.b.value], "sigmoid"), Layer([[1.0]], [0.0], "linear")],
            info={"method": "neuron"},
        )

    @property
    def step_point(self) -> float | None:
        """s = −b/w, or None when w = 0 (no step)."""
        return None if self.w.value == 0 else -self.b.value / self.w.value

    def _switch(self) -> None:
        by_s = self.mode.value == "w and s"
        self._quiet = True
        try:
            if by_s and self.step_point is not None:
                self.s.value = float(np.clip(self.step_point, self.s.min, self.s.max))
                self.b.value = float(np.clip(-self.w.value * self.s.value, self.b.min, self.b.max))
        finally:
            self._quiet = False
        self.b.layout.display = "none" if by_s else None
        self.s.layout.display = None if by_s else "none"
        self._update()

    def _draw_init(self) -> None:
        self.canvas = _Canvas((5.5, 3.0))
        self.canvas.fig.subplots_adjust(left=0.12, right=0.97, top=0.95, bottom=0.16)
        ax = self.canvas.axes
        self.x = np.linspace(0.0, 1.0, PLOT_POINTS)
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("x")
        ax.set_ylabel("output")
        ax.axhline(0.5, color="0.8", lw=0.6)
        (self._curve,) = ax.plot(self.x, self.x, color=NETWORK_COLOUR, lw=2)
        self._marker = ax.axvline(0.5, color=STEP_COLOUR, ls="--", lw=1)
        self.canvas.animate(self._curve, self._marker)

    def _update(self) -> None:
        if self.mode.value == "w and s":
            self._quiet = True
            try:  # b follows s: b = −w s, within the b slider's range
                self.b.value = float(np.clip(-self.w.value * self.s.value, self.b.min, self.b.max))
            finally:
                self._quiet = False
        w, b, s = self.w.value, self.b.value, self.step_point
        self._curve.set_ydata(self.network(self.x))
        if s is not None and 0.0 <= s <= 1.0:
            self._marker.set_xdata([s, s])
            self._marker.set_visible(True)
        else:
            self._marker.set_visible(False)
        sign = "-" if b < 0 else "+"
        where = "no step: w = 0" if s is None else f"step point $s = -b/w = {s:.3f}$"
        self.formula.value = rf"$\sigma(w x + b) = \sigma({w:.1f}\,x {sign} {abs(b):.2f})$, {where}"
        self.image.value = self.canvas.frame()


def neuron(w: float = 8.0, b: float = -4.0) -> Neuron:
    """Nielsen's first figure: one sigmoid neuron σ(w·x + b); with w large it is a step at s = −b/w.

    Parameters
    ----------
    w, b : float
        Starting weight and bias (sliders from −100 to 100).

    Returns
    -------
    Neuron
        Display it in a notebook; drive it with ``.w.value``, ``.b.value``, ``.mode.value = "w and s"``,
        ``.s.value``; ``.network`` is the neuron as a univ Network.
    """
    return Neuron(w, b)


# -- bumps ---------------------------------------------------------------------------------------------------
class Bumps(_Widget):
    """The live construction: target, network and each piece beneath, with controls for how it is built."""

    def __init__(
        self, expression: str, neurons: int, method: str, steepness: float, weight: float | None, knots: str, domain
    ):
        super().__init__()
        W = self._w
        self.domain = domain
        self.target = None
        self.constructed = None  # the network univ built, before any height was moved
        self.network = None  # the current network
        self.report = None  # univ.measure(network, target)
        self.expression = W.Text(value=str(expression), description="f(x) =", continuous_update=False)
        self.neurons = W.IntSlider(
            value=20, min=2, max=MAX_WIDGET_NEURONS, step=2, description="neurons", continuous_update=False
        )
        self.method = W.Dropdown(options=METHODS_1D, value="bumps", description="method")
        self.steepness = W.FloatLogSlider(
            value=10.0, base=10, min=-1, max=3, step=0.05, description="steepness", continuous_update=False
        )
        self.fixed_weight = W.Checkbox(value=weight is not None, description="fixed weight w (windows of failure)")
        self.weight = W.FloatLogSlider(
            value=weight if weight is not None else 100.0,
            base=10,
            min=0,
            max=4,
            step=0.05,
            description="w",
            continuous_update=False,
        )
        self.knots = W.Dropdown(options=KNOTS, value="uniform", description="knots")
        self.reset = W.Button(description="back to the constructed net", icon="undo")
        self.max_error_label = W.Label(value="")
        self.rmse_label = W.Label(value="")
        self.heights: list = []  # the sliders in use: one per piece
        self._slider_pool: list = []
        self.heights_box = W.HBox(layout=W.Layout(overflow="auto", flex_flow="row", width="100%"))
        self.caption = W.HTML(value="")
        self.x = None  # where the curves are drawn
        self._draw_init()
        self.box = W.VBox(
            [
                W.HBox([self.expression, self.method, self.knots]),
                W.HBox([self.neurons, self.steepness]),
                W.HBox([self.fixed_weight, self.weight]),
                self.message,
                self.caption,
                W.HBox([W.Label("max error"), self.max_error_label, W.Label("   RMSE"), self.rmse_label, self.reset]),
                self.image,
                W.Label("heights (one per bump, as built; move them to spoil and repair the fit)"),
                self.heights_box,
            ]
        )
        # starting values from the caller: bad ones are said in the message area, not raised
        problems = []
        try:
            self.method.value = check.choice("method", method, METHODS_1D)
        except UnivError as exc:
            problems.append(str(exc))
        try:
            self.knots.value = check.choice("knots", knots, KNOTS)
        except UnivError as exc:
            problems.append(str(exc))
        try:
            self.steepness.value = check.positive("steepness", steepness, 1e3, lo=0.1 - 1e-12)
        except UnivError as exc:
            problems.append(str(exc))
        if weight is not None:
            try:
                self.weight.value = check.positive("weight", weight, 1e4, lo=1.0 - 1e-12)
            except UnivError as exc:
                problems.append(str(exc))
                self.fixed_weight.value = False
        self._sync_controls()
        try:
            n = check.whole("neurons", neurons, 1, MAX_WIDGET_NEURONS)  # the slider's range, for every method
            self.neurons.value = METHODS[self.method.value].builder(1).check_neurons(n)  # bumps: even (ConfigError)
        except UnivError as exc:
            problems.append(str(exc))
        self._sync_controls()
        for c in (
            self.expression,
            self.neurons,
            self.method,
            self.steepness,
            self.weight,
            self.fixed_weight,
            self.knots,
        ):
            self._watch(c, self.rebuild)
        self.reset.on_click(lambda _: self.back_to_constructed())
        self.rebuild()
        if problems:
            self._say("; ".join(problems), error=True)

    # -- building --------------------------------------------------------------------------------------------
    def _sync_controls(self) -> None:
        """Controls that depend on others: bumps take an even neuron count; steepness or a fixed weight."""
        builder = METHODS[self.method.value].builder(1)  # the method's valid counts and options
        was = self._quiet
        self._quiet = True  # the clamping below must not start a rebuild of its own
        try:
            step = builder.count(builder.k_min + 1) - builder.min_neurons  # bumps 2, others 1
            self.neurons.step = step
            self.neurons.min = builder.min_neurons
            if not builder.valid(self.neurons.value):  # to the next valid count (the one below at the top)
                below = builder.at_most(max(self.neurons.value, builder.min_neurons))
                self.neurons.value = below + step if below + step <= self.neurons.max else below
        finally:
            self._quiet = was
        sigmoid = "steepness" in builder.uses
        self.steepness.disabled = not sigmoid or self.fixed_weight.value
        self.weight.disabled = not sigmoid or not self.fixed_weight.value
        self.fixed_weight.disabled = not sigmoid

    def rebuild(self) -> None:
        """Parse and construct again from the controls (univ.construct), then redraw everything."""
        self._sync_controls()
        try:
            target = parse(self.expression.value, domain=self.domain)
            if target.dimension != 1:
                raise UnivError(f"{target.text} is a function of x and y; these figures show functions of x")
            options = {"weight": self.weight.value} if self.fixed_weight.value else {"steepness": self.steepness.value}
            net = construct(
                target, neurons=self.neurons.value, method=self.method.value, knots=self.knots.value, **options
            )
        except UnivError as exc:
            self._say(str(exc), error=True)
            return
        self._say()
        self.target, self.constructed = target, net
        self._make_height_controls(piece_weights(net))
        self._set_network(net, rebuilt=True)

    def back_to_constructed(self) -> None:
        """The reset button: every height back to what univ built."""
        if self.constructed is None:
            return
        self._set_heights(piece_weights(self.constructed))
        self._set_network(self.constructed)

    def _make_height_controls(self, values: np.ndarray) -> None:
        """One slider per piece, starting at the constructed heights; sliders are kept and reused across rebuilds."""
        W = self._w
        top = float(np.max(np.abs(values))) if values.size else 0.0
        bound = _nice(1.5 * top) if top > 0 else 1.0  # a nice number, so a rebuild seldom moves the bounds
        step = bound / 1000
        name = {"bumps": "h", "steps": "jump", "heaviside": "jump", "relu": "slope"}[self.method.value]
        while len(self._slider_pool) < len(values):
            control = W.FloatSlider(
                value=0.0,
                min=-bound,
                max=bound,
                step=step,
                orientation="vertical",
                readout_format=".3f",
                continuous_update=True,
                layout=W.Layout(width="64px", height="180px"),
            )
            self._watch(control, self._heights_moved)
            self._slider_pool.append(control)
        self.heights = self._slider_pool[: len(values)]
        self._quiet = True
        try:
            for j, (control, v) in enumerate(zip(self.heights, values)):
                if control.max != bound:
                    if bound > control.max:
                        control.max, control.min = bound, -bound
                    else:
                        control.min, control.max = -bound, bound
                    control.step = step
                if control.description != f"{name} {j + 1}":
                    control.description = f"{name} {j + 1}"
                control.value = float(v)
        finally:
            self._quiet = False
        if tuple(self.heights_box.children) != tuple(self.heights):
            self.heights_box.children = self.heights

    def _set_heights(self, values) -> None:
        self._quiet = True
        try:
            for control, v in zip(self.heights, values):
                control.value = float(v)
        finally:
            self._quiet = False

    def _heights_moved(self) -> None:
        if self.constructed is None:
            return
        self._set_network(with_piece_weights(self.constructed, [c.value for c in self.heights]))

    def _set_network(self, net, rebuilt: bool = False) -> None:
        self.network = net
        self.report = measure(net, self.target)
        self.max_error_label.value = _fmt(self.report.max_error)
        self.rmse_label.value = _fmt(self.report.rmse)
        self._redraw(rebuilt)

    # -- drawing ---------------------------------------------------------------------------------------------
    def _draw_init(self) -> None:
        """The figure, made once: every curve is a moving artist, so only axes and ticks are in the background."""
        self.canvas = _Canvas((7.5, 5.2), nrows=2, sharex=True, height_ratios=(3, 2))
        self.canvas.fig.subplots_adjust(left=0.09, right=0.98, top=0.94, bottom=0.09, hspace=0.18)
        top, bottom = self.canvas.axes
        (self._target_line,) = top.plot([], [], color=TARGET_COLOUR, lw=2, label="target")
        (self._net_line,) = top.plot([], [], color=NETWORK_COLOUR, lw=1.6, label="network")
        top.legend(loc="upper right", frameon=False, fontsize=8)
        bottom.axhline(0.0, color="0.6", lw=0.6)
        bottom.set_xlabel("x")
        # neighbouring pieces alternate colours; each colour is one line with NaN gaps between its pieces
        self._piece_lines = [bottom.plot([], [], color=c, lw=1.0)[0] for c in PIECE_COLOURS]
        (self._tops,) = bottom.plot([], [], "o", color="0.25", ms=3)
        top.set_title("target and network", fontsize=10)
        bottom.set_title("each piece's contribution; dots: the tops the height sliders move", fontsize=9)
        self.canvas.animate(self._target_line, self._net_line, *self._piece_lines, self._tops)

    def _redraw(self, rebuilt: bool) -> None:
        top, bottom = self.canvas.axes
        full = False
        if rebuilt:  # a new construction: new pieces, maybe a new target or domain
            ((a, b),) = self.target.domain
            x = np.linspace(a, b, PLOT_POINTS)
            if self.x is None or x[0] != self.x[0] or x[-1] != self.x[-1]:
                top.set_xlim(a, b)
                full = True
            self.x = x
            self._truth = self.target.evaluate(x)
            self._target_line.set_data(x, self._truth)
            self._units = piece_units(self.constructed, x)  # (points, pieces): heights only rescale these
            self._handles = handles(self.constructed)
            self._handle_units = np.diag(piece_units(self.constructed, self._handles))
            self.caption.value = (
                f"{html.escape(self.target.text)} on [{a:g}, {b:g}]: "
                f"{self.constructed.n_hidden} hidden neurons, {self.method.value}"
            )
        y = self.network(self.x)
        weights = piece_weights(self.network)
        contrib = self._units * weights  # (points, pieces)
        tops = weights * self._handle_units
        self._net_line.set_data(self.x, y)
        # where a piece is flat on zero the axis line shows it: leave those points out (far fewer to draw)
        flat = np.abs(contrib) < 5e-3 * max(float(np.max(np.abs(contrib))), 1e-300)
        flat[1:-1] &= flat[:-2] & flat[2:]
        shown = np.where(flat, np.nan, contrib)
        gap = np.full((1, contrib.shape[1]), np.nan)
        xs = np.concatenate([np.broadcast_to(self.x[:, None], contrib.shape), gap]).T
        ys = np.concatenate([shown, gap]).T  # (pieces, points + 1): each piece, then a NaN gap
        for k, line in enumerate(self._piece_lines):
            line.set_data(xs[k :: len(self._piece_lines)].ravel(), ys[k :: len(self._piece_lines)].ravel())
        self._tops.set_data(self._handles, tops)
        both = np.concatenate([y, self._truth])
        if not _inside(both, top.get_ylim()) or (rebuilt and _roomy(both, top.get_ylim())):
            top.set_ylim(*_limits(both))
            full = True
        below = np.concatenate([contrib.ravel(), tops, [0.0]])
        if not _inside(below, bottom.get_ylim()) or (rebuilt and _roomy(below, bottom.get_ylim())):
            bottom.set_ylim(*_limits(below, 0.2))
            full = True
        self.image.value = self.canvas.frame(full=full)


def bumps(
    expression: str = "sin(3x)",
    neurons: int = 20,
    method: str = "bumps",
    steepness: float = 10.0,
    weight: float | None = None,
    knots: str = "uniform",
    domain=None,
) -> Bumps:
    """The construction, live: change how it is built, move each bump's height, watch the error.

    Parameters
    ----------
    expression : str
        The target, as for :func:`univ.parse`; editable in the widget.
    neurons : int
        Hidden neurons, 1 to ``univ.limits.MAX_WIDGET_NEURONS`` (even for bumps).
    method, steepness, weight, knots : as for :func:`univ.construct`
        ``weight`` fixes the sigmoid weight instead of the steepness, to show Nielsen's windows of failure.
    domain : (float, float), optional
        Interval for x, default [0, 1].

    Returns
    -------
    Bumps
        Controls as attributes (``expression``, ``neurons``, ``method``, ``steepness``, ``fixed_weight``,
        ``weight``, ``knots``, ``heights[j]``, ``reset``), readouts ``max_error_label`` and ``rmse_label``,
        ``message`` for bad input, and ``network`` / ``report``: the current network and ``univ.measure`` of it.
    """
    return Bumps(expression, neurons, method, steepness, weight, knots, domain)


# -- the challenge -------------------------------------------------------------------------------------------
class Challenge(_Widget):
    """Nielsen's challenge: five bump heights, a sigmoid output; score = average deviation from σ⁻¹∘f."""

    def __init__(self):
        super().__init__()
        W = self._w
        self.game = nielsen_challenge()
        self.target = self.game.target
        self.heights = [
            W.FloatSlider(
                value=0.0,
                min=-3.0,
                max=3.0,
                step=0.01,
                orientation="vertical",
                description=f"h {j + 1}",
                readout_format=".2f",
                layout=W.Layout(width="64px", height="200px"),
            )
            for j in range(len(self.game.best_heights))
        ]
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
        for control in self.heights:
            self._watch(control, self._update)
        self.reset.on_click(lambda _: self.set_heights(np.zeros(len(self.heights))))
        self.show_best.on_click(lambda _: self.set_heights(self.game.best_heights))
        self._draw_init()
        self.box = W.VBox(
            [
                W.HTML(
                    value=f"Match σ⁻¹∘f for f(x) = {html.escape(self.target.text)}: the weighted output of five "
                    f"bumps should follow the goal curve. Done at an average deviation of "
                    f"{CHALLENGE_GOAL:.2f} or less."
                ),
                W.HBox([self.image, W.HBox(self.heights)]),
                W.HBox([W.Label("average deviation"), self.score_label, self.verdict]),
                self.best_label,
                W.HBox([self.reset, self.show_best]),
                self.message,
            ]
        )
        self._update()

    def set_heights(self, values) -> None:
        self._quiet = True
        try:
            for control, v in zip(self.heights, values):
                control.value = float(np.clip(v, control.min, control.max))
        finally:
            self._quiet = False
        self._update()

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
    def network(self):
        return self.game.with_heights([c.value for c in self.heights])

    @property
    def score(self) -> float:
        return self.game.score(self.network)

    def _update(self) -> None:
        net = self.network
        score = self.game.score(net)
        self.score_label.value = f"{score:.3f}"
        done = score <= CHALLENGE_GOAL
        self.verdict.value = (
            "<b>challenge complete: at or below 0.40</b>"
            if done
            else f"(Nielsen's goal: {CHALLENGE_GOAL:.2f} or below)"
        )
        self._weighted.set_ydata(weighted_output(net, self.x))
        self._output.set_ydata(net(self.x))
        self.image.value = self.canvas.frame()


def challenge() -> Challenge:
    """Nielsen's challenge: f(x) = 0.2 + 0.4x² + 0.3x sin(15x) + 0.05 cos(50x), five bumps, a sigmoid output.

    Returns
    -------
    Challenge
        ``heights[j]`` are the five sliders; ``score`` (and ``score_label``) the average deviation
        |σ⁻¹(f(x)) − Σ hⱼ·bumpⱼ(x)| on univ's grid; ``verdict`` says when it is at or below 0.40; ``best_label``
        shows the best five bumps can do; ``network`` is the current network.
    """
    return Challenge()
