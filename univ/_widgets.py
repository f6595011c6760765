"""The notebook widgets: ipywidgets ``VBox`` subclasses whose state is traitlets (imported when a widget is made)."""

from __future__ import annotations

import html
from contextlib import contextmanager

import ipywidgets as W
import numpy as np
import traitlets as T

from . import validate as check
from ._widget_canvas import DPI, _Canvas, _fmt, _inside, _limits, _nice, _roomy
from .constructions import DEFAULT_METHOD, METHODS, construct, names
from .errors import ConfigError, UnivError
from .limits import MAX_WIDGET_NEURONS
from .measure import measure
from .network import Layer, Network
from .play import (
    handles,
    piece_units,
    piece_weights,
    with_piece_weights,
)
from .target import parse

PLOT_POINTS = 501  # points per drawn curve (the readouts use univ.measure's own grid)
METHODS_1D = names(1)  # the registry's 1D constructions: bumps, steps, relu, heaviside
KNOTS = ("uniform", "adaptive")
TARGET_COLOUR = "black"
NETWORK_COLOUR = "#d62728"
STEP_COLOUR = "#1f77b4"
PIECE_COLOURS = ("#1f77b4", "#ff7f0e")  # neighbouring bumps alternate
NEURON_RANGE = 100.0  # the neuron's w and b sliders: −100 to 100
STEP_RANGE = (-0.5, 1.5)  # its step point slider
STEEPNESS_RANGE = (0.1, 1e3)  # the bumps widget's log sliders
WEIGHT_RANGE = (1.0, 1e4)
CHALLENGE_RANGE = 3.0  # the challenge's height sliders: −3 to 3


class _Figure(W.VBox):
    """What every univ widget shares: its controls bound to its traits, a message line, the figure image.

    Python sets a trait and gets the library's exception for a bad value (nothing changes); a control moved in the
    notebook sets the same trait, and a bad value typed there is said in the message line instead (an exception in
    a widget callback would only reach the kernel's log).
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.message = W.HTML(value="")
        self.image = W.Image(format="jpeg")
        self.controls: dict[str, W.Widget] = {}
        self._quiet = False  # set while the widget moves its own controls

    @contextmanager
    def _quietly(self):
        was, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = was

    def _say(self, text: str = "", error: bool = False) -> None:
        colour = "#b00020" if error else "inherit"
        self.message.value = f'<span style="color:{colour}">{html.escape(text)}</span>' if text else ""

    def _bind(self, name: str, control: W.Widget) -> None:
        """``control.value`` and the trait ``name`` follow each other; a bad value from the control is said."""
        self.controls[name] = control

        def from_control(change):
            if self._quiet:
                return
            try:
                setattr(self, name, change["new"])
            except UnivError as exc:
                self._say(str(exc), error=True)
            else:
                self._say()

        def to_control(change):
            if control.value != change["new"]:
                with self._quietly():
                    control.value = change["new"]

        control.observe(from_control, names="value")
        self.observe(to_control, names=name)

    def savefig(self, fname, **kwargs) -> None:
        """Save the figure as drawn now (a file name or a binary file; PNG unless ``format`` or the name says)."""
        self.canvas.fig.savefig(fname, dpi=kwargs.pop("dpi", 2 * DPI), **kwargs)


# -- one neuron ----------------------------------------------------------------------------------------------
class Neuron(_Figure):
    """One sigmoid neuron σ(w·x + b) on [0, 1]: sliders for w and b, or for w and the step point s = −b/w.

    Traits: ``w``, ``b``, ``s`` (the step point the "w and s" sliders set; b follows it there) and ``mode``
    ("w and b" or "w and s"). ``network`` and ``step_point`` are read from them.
    """

    # typed by the validators below (the library's checks and messages), not by traitlets' own "expected a float"
    w = T.Any(8.0)
    b = T.Any(-4.0)
    s = T.Any(0.5)
    mode = T.Any("w and b")

    @T.validate("w", "b")
    def _check_wb(self, proposal):
        name = proposal["trait"].name
        return check.real(name, proposal["value"], -NEURON_RANGE, NEURON_RANGE)

    @T.validate("s")
    def _check_s(self, proposal):
        return check.real("s", proposal["value"], *STEP_RANGE)

    @T.validate("mode")
    def _check_mode(self, proposal):
        return check.choice("mode", proposal["value"], ("w and b", "w and s"))

    def __init__(self, w: float = 8.0, b: float = -4.0):
        w = check.real("w", w, -NEURON_RANGE, NEURON_RANGE)
        b = check.real("b", b, -NEURON_RANGE, NEURON_RANGE)
        super().__init__()
        r = NEURON_RANGE
        self._bind("w", W.FloatSlider(value=w, min=-r, max=r, step=0.1, description="w"))
        self._bind("b", W.FloatSlider(value=b, min=-r, max=r, step=0.1, description="b"))
        self._bind(
            "s",
            W.FloatSlider(
                value=0.5,
                min=STEP_RANGE[0],
                max=STEP_RANGE[1],
                step=0.005,
                description="s = −b/w",
                readout_format=".3f",
                layout=W.Layout(display="none"),
            ),
        )
        self._bind("mode", W.ToggleButtons(options=["w and b", "w and s"], value="w and b", description="sliders"))
        self.formula = W.HTMLMath(value="")
        with self._quietly():
            self.w, self.b = w, b
        self._draw_init()
        self.observe(self._changed, names=["w", "b", "s"])
        self.observe(self._switch, names="mode")
        c = self.controls
        self.children = [c["mode"], c["w"], c["b"], c["s"], self.formula, self.image, self.message]
        self._update()

    @property
    def network(self) -> Network:
        """The neuron as a univ Network: a hidden sigmoid unit with weight w and bias b, and a linear output."""
        return Network(
            [Layer([[self.w]], [self.b], "sigmoid"), Layer([[1.0]], [0.0], "linear")], info={"method": "neuron"}
        )

    @property
    def step_point(self) -> float | None:
        """s = −b/w, or None when w = 0 (no step)."""
        return None if self.w == 0 else -self.b / self.w

    def _b_from_s(self) -> None:
        with self._quietly():  # b follows s: b = −w s, within the b slider's range
            self.b = float(np.clip(-self.w * self.s, -NEURON_RANGE, NEURON_RANGE))

    def _switch(self, change) -> None:
        by_s = self.mode == "w and s"
        if by_s and self.step_point is not None:
            with self._quietly():
                self.s = float(np.clip(self.step_point, *STEP_RANGE))
        self.controls["b"].layout.display = "none" if by_s else None
        self.controls["s"].layout.display = None if by_s else "none"
        self._update()

    def _changed(self, change) -> None:
        if self._quiet:
            return
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
        if self.mode == "w and s":
            self._b_from_s()
        w, b, s = self.w, self.b, self.step_point
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


# -- bumps ---------------------------------------------------------------------------------------------------
BUILD_TRAITS = ("expression", "neurons", "method", "steepness", "fixed_weight", "weight", "knots")


class Bumps(_Figure):
    """The live construction: target, network and each piece beneath, with controls for how it is built.

    Traits a notebook can observe or link: how it is built (``expression``, ``neurons``, ``method``,
    ``steepness``, ``fixed_weight``, ``weight``, ``knots``), ``heights`` (one number per piece, as the sliders
    beneath set them), and what univ makes of it: ``network``, ``report`` (:func:`univ.measure`), ``max_error``
    and ``rmse`` (read-only). Setting a bad value raises the library's UnivError and changes nothing.
    """

    # typed by the validators below (the library's checks and messages), not by traitlets' own "expected an int"
    expression = T.Any("sin(3x)")
    neurons = T.Any(20)
    method = T.Any(DEFAULT_METHOD[1])
    steepness = T.Any(10.0)
    fixed_weight = T.Any(False)
    weight = T.Any(100.0)
    knots = T.Any("uniform")
    heights = T.Any(())
    network = T.Instance(Network, allow_none=True, read_only=True)
    report = T.Any(None, read_only=True)
    max_error = T.Float(float("nan"), read_only=True)
    rmse = T.Float(float("nan"), read_only=True)

    # -- checks: the library's own, with its messages --------------------------------------------------------
    @T.validate("expression")
    def _check_expression(self, proposal):
        self._parsed = self._parse(proposal["value"])
        return proposal["value"]

    def _parse(self, text):
        if not isinstance(text, str):
            raise ConfigError(f"expression must be text, got {check.shown(text)}")
        target = parse(text, domain=self.domain)
        if target.dimension != 1:
            raise UnivError(f"{target.text} is a function of x and y; these figures show functions of x")
        return target

    @T.validate("method")
    def _check_method(self, proposal):
        return check.choice("method", proposal["value"], METHODS_1D)

    @T.validate("neurons")
    def _check_neurons(self, proposal):
        n = check.whole("neurons", proposal["value"], 1, MAX_WIDGET_NEURONS)  # the slider's range, every method
        return METHODS[self.method].builder(1).check_neurons(n)  # bumps: even (ConfigError)

    @T.validate("steepness")
    def _check_steepness(self, proposal):
        lo, hi = STEEPNESS_RANGE
        return check.positive("steepness", proposal["value"], hi, lo=lo - 1e-12)

    @T.validate("weight")
    def _check_weight(self, proposal):
        lo, hi = WEIGHT_RANGE
        return check.positive("weight", proposal["value"], hi, lo=lo - 1e-12)

    @T.validate("knots")
    def _check_knots(self, proposal):
        return check.choice("knots", proposal["value"], KNOTS)

    @T.validate("fixed_weight")
    def _check_fixed(self, proposal):
        return check.flag("fixed_weight", proposal["value"])

    @T.validate("heights")
    def _check_heights(self, proposal):
        bound = self.height_sliders[0].max if self.height_sliders else 1.0
        return check.reals("heights", proposal["value"], len(self.height_sliders), -bound, bound)

    def __init__(
        self, expression: str, neurons: int, method: str, steepness: float, weight: float | None, knots: str, domain
    ):
        super().__init__()
        self.domain = domain
        self.target = None
        self.constructed = None  # the network univ built, before any height was moved
        self.height_sliders: list = []  # the sliders in use: one per piece
        self._slider_pool: list = []
        self._parsed = None
        self.x = None  # where the curves are drawn
        # every argument checked, in the order the checks depend on, before anything is built (bad: raise)
        with self._quietly():
            self.method = method
            self.knots = knots
            self.steepness = steepness
            if weight is not None:
                self.weight, self.fixed_weight = weight, True
            self.neurons = neurons
            self.expression = expression
        self._make_controls()
        self.observe(self._build_changed, names=list(BUILD_TRAITS))
        self.observe(self._on_heights, names="heights")
        self._rebuild()

    def _make_controls(self) -> None:
        lo, hi = np.log10(STEEPNESS_RANGE)
        self._bind("expression", W.Text(value=self.expression, description="f(x) =", continuous_update=False))
        self._bind(
            "neurons",
            W.IntSlider(
                value=self.neurons, min=1, max=MAX_WIDGET_NEURONS, description="neurons", continuous_update=False
            ),
        )
        self._bind("method", W.Dropdown(options=METHODS_1D, value=self.method, description="method"))
        self._bind(
            "steepness",
            W.FloatLogSlider(
                value=self.steepness, base=10, min=lo, max=hi, step=0.05, description="steepness",
                continuous_update=False,
            ),
        )  # fmt: skip
        self._bind(
            "fixed_weight", W.Checkbox(value=self.fixed_weight, description="fixed weight w (windows of failure)")
        )
        lo, hi = np.log10(WEIGHT_RANGE)
        self._bind(
            "weight",
            W.FloatLogSlider(
                value=self.weight, base=10, min=lo, max=hi, step=0.05, description="w", continuous_update=False
            ),
        )
        self._bind("knots", W.Dropdown(options=KNOTS, value=self.knots, description="knots"))
        self.reset = W.Button(description="back to the constructed net", icon="undo")
        self.reset.on_click(lambda _: self.back_to_constructed())
        self.max_error_label = W.Label(value="")
        self.rmse_label = W.Label(value="")
        self.heights_box = W.HBox(layout=W.Layout(overflow="auto", flex_flow="row", width="100%"))
        self.caption = W.HTML(value="")
        self._draw_init()
        c = self.controls
        self.children = [
            W.HBox([c["expression"], c["method"], c["knots"]]),
            W.HBox([c["neurons"], c["steepness"]]),
            W.HBox([c["fixed_weight"], c["weight"]]),
            self.message,
            self.caption,
            W.HBox([W.Label("max error"), self.max_error_label, W.Label("   RMSE"), self.rmse_label, self.reset]),
            self.image,
            W.Label("heights (one per piece, as built; move them to spoil and repair the fit)"),
            self.heights_box,
        ]

    # -- building --------------------------------------------------------------------------------------------
    def _sync_controls(self) -> None:
        """Controls that depend on others: bumps take an even neuron count; steepness or a fixed weight."""
        builder = METHODS[self.method].builder(1)  # the method's valid counts and options
        slider = self.controls["neurons"]
        with self._quietly():
            slider.step = builder.count(builder.k_min + 1) - builder.min_neurons  # bumps 2, others 1
            slider.min = builder.min_neurons
            slider.value = self.neurons
        sigmoid = "steepness" in builder.uses
        self.controls["steepness"].disabled = not sigmoid or self.fixed_weight
        self.controls["weight"].disabled = not sigmoid or not self.fixed_weight
        self.controls["fixed_weight"].disabled = not sigmoid

    def _build_changed(self, change) -> None:
        if self._quiet:
            return
        if change["name"] == "method":  # a count valid for the old method may not be for the new: the next valid
            builder = METHODS[self.method].builder(1)
            if not builder.valid(self.neurons):
                below = builder.at_most(max(self.neurons, builder.min_neurons))
                step = builder.count(builder.k_min + 1) - builder.min_neurons
                with self._quietly():
                    self.neurons = below + step if below + step <= MAX_WIDGET_NEURONS else below
        try:
            self._rebuild()
        except UnivError:  # the library refused the net: back to the value that built the current one
            with self._quietly():
                self.set_trait(change["name"], change["old"])
            self._sync_controls()
            raise

    def _rebuild(self) -> None:
        """Construct again from the traits (univ.construct), then redraw everything."""
        self._sync_controls()
        target = self._parsed if self._parsed is not None else self._parse(self.expression)
        options = {"weight": self.weight} if self.fixed_weight else {"steepness": self.steepness}
        net = construct(target, neurons=self.neurons, method=self.method, knots=self.knots, **options)
        self.target, self.constructed = target, net
        values = piece_weights(net)
        self._make_height_controls(values)
        with self._quietly():
            self.heights = tuple(float(v) for v in values)
        self._set_network(net, rebuilt=True)

    def back_to_constructed(self) -> None:
        """The reset button: every height back to what univ built."""
        if self.constructed is not None:
            self.heights = tuple(float(v) for v in piece_weights(self.constructed))

    def _on_heights(self, change) -> None:
        with self._quietly():
            for control, v in zip(self.height_sliders, self.heights):
                control.value = v
        if not self._quiet and self.constructed is not None:
            self._set_network(with_piece_weights(self.constructed, self.heights))

    def _make_height_controls(self, values: np.ndarray) -> None:
        """One slider per piece, starting at the constructed heights; sliders are kept and reused across rebuilds."""
        top = float(np.max(np.abs(values))) if values.size else 0.0
        bound = _nice(1.5 * top) if top > 0 else 1.0  # a nice number, so a rebuild seldom moves the bounds
        step = bound / 1000
        name = METHODS[self.method].builder(1).height  # h, jump or slope: what one output weight is
        while len(self._slider_pool) < len(values):
            j = len(self._slider_pool)
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
            control.observe(lambda change, j=j: self._height_moved(j, change["new"]), names="value")
            self._slider_pool.append(control)
        self.height_sliders = self._slider_pool[: len(values)]
        with self._quietly():
            for j, (control, v) in enumerate(zip(self.height_sliders, values)):
                if control.max != bound:
                    if bound > control.max:
                        control.max, control.min = bound, -bound
                    else:
                        control.min, control.max = -bound, bound
                    control.step = step
                if control.description != f"{name} {j + 1}":
                    control.description = f"{name} {j + 1}"
                control.value = float(v)
        if tuple(self.heights_box.children) != tuple(self.height_sliders):
            self.heights_box.children = self.height_sliders

    def _height_moved(self, j: int, value: float) -> None:
        if self._quiet or j >= len(self.heights):
            return
        self.heights = self.heights[:j] + (float(value),) + self.heights[j + 1 :]

    def _set_network(self, net, rebuilt: bool = False) -> None:
        report = measure(net, self.target)
        self.set_trait("network", net)
        self.set_trait("report", report)
        self.set_trait("max_error", float(report.max_error))
        self.set_trait("rmse", float(report.rmse))
        self.max_error_label.value = _fmt(report.max_error)
        self.rmse_label.value = _fmt(report.rmse)
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
                f"{self.constructed.n_hidden} hidden neurons, {self.method}"
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
