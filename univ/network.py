"""``Network``: the one type for hand-built and trained nets — dense layers, evaluation, JSON, closed form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from . import fasteval
from .activations import ACTIVATIONS, get_activation
from .errors import ConfigError, NetworkFormatError

FORMAT_NAME = "univ.network"
FORMAT_VERSION = 1
CHUNK_ELEMENTS = 1 << 18  # floats per intermediate array while evaluating (2 MiB in float64: stays in cache)
MAX_PARAMETERS = 50_000_000  # a network file asking for more is refused
MAX_JSON_CHARS = 1 << 30
MAX_FORMULA_NEURONS = 200  # to_sympy refuses larger nets: the formula would be unreadable


@dataclass(frozen=True, eq=False)
class Layer:
    """One dense layer: ``act(x @ w + b)``.

    Parameters
    ----------
    w : ndarray, shape (fan_in, fan_out)
    b : ndarray, shape (fan_out,)
    activation : str
        A key of ``univ.ACTIVATIONS``.
    """

    w: np.ndarray
    b: np.ndarray
    activation: str

    def __post_init__(self) -> None:
        w = np.array(self.w, dtype=float, copy=True)
        b = np.array(self.b, dtype=float, copy=True).reshape(-1)
        if w.ndim == 1:
            w = w.reshape(1, -1)
        if w.ndim != 2 or w.shape[1] != b.shape[0] or w.shape[1] == 0:
            raise ConfigError(f"layer weights of shape {w.shape} do not match biases of shape {b.shape}")
        if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
            raise ConfigError("layer weights and biases must be finite")
        get_activation(self.activation)
        w.setflags(write=False)
        b.setflags(write=False)
        object.__setattr__(self, "w", w)
        object.__setattr__(self, "b", b)

    @property
    def fan_in(self) -> int:
        return self.w.shape[0]

    @property
    def fan_out(self) -> int:
        return self.w.shape[1]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return ACTIVATIONS[self.activation].f(x @ self.w + self.b)


class Network:
    """A feed-forward net: hidden layers, then an output layer of one neuron.

    Built by :func:`univ.construct` or trained by :func:`univ.fit`; both give this type, so evaluating,
    measuring, plotting, saving and animating are written once.

    Parameters
    ----------
    layers : sequence of Layer
        Hidden layers followed by the output layer (``fan_out == 1``, activation ``linear`` or ``sigmoid``).
    info : dict, optional
        JSON-serialisable facts about how it was made (method, expression, domain, ...).
    """

    def __init__(self, layers: Sequence[Layer], info: dict[str, Any] | None = None):
        layers = tuple(layers)
        if len(layers) < 1:
            raise ConfigError("a network needs at least an output layer")
        for prev, nxt in zip(layers, layers[1:]):
            if prev.fan_out != nxt.fan_in:
                raise ConfigError(f"layer of width {prev.fan_out} feeds a layer expecting {nxt.fan_in} inputs")
        if layers[-1].fan_out != 1:
            raise ConfigError(f"the output layer must have one neuron, not {layers[-1].fan_out}")
        self.layers = layers
        self.info: dict[str, Any] = dict(info or {})

    # -- sizes ---------------------------------------------------------------------------------------
    @property
    def hidden(self) -> tuple[Layer, ...]:
        return self.layers[:-1]

    @property
    def output(self) -> Layer:
        return self.layers[-1]

    @property
    def input_dim(self) -> int:
        return self.layers[0].fan_in

    @property
    def hidden_sizes(self) -> list[int]:
        return [layer.fan_out for layer in self.hidden]

    @property
    def n_hidden(self) -> int:
        """Total hidden neurons over all hidden layers."""
        return sum(self.hidden_sizes)

    @property
    def n_params(self) -> int:
        return sum(layer.w.size + layer.b.size for layer in self.layers)

    def __repr__(self) -> str:
        sizes = " → ".join(str(s) for s in [self.input_dim, *self.hidden_sizes, 1])
        acts = ",".join(layer.activation for layer in self.layers)
        method = self.info.get("method")
        tail = f", method={method!r}" if method else ""
        return f"Network({sizes}; {acts}; {self.n_params} parameters{tail})"

    # -- evaluation ----------------------------------------------------------------------------------
    def _as_points(self, args: tuple) -> tuple[np.ndarray, tuple[int, ...]]:
        d = self.input_dim
        if len(args) == d and d > 1:
            arrays = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args])
            shape = arrays[0].shape
            pts = np.stack([a.reshape(-1) for a in arrays], axis=1)
        elif len(args) == 1:
            a = np.asarray(args[0], dtype=float)
            if d == 1:
                shape = a.shape
                pts = a.reshape(-1, 1)
            elif a.ndim >= 1 and a.shape[-1] == d:
                shape = a.shape[:-1]
                pts = a.reshape(-1, d)
            else:
                raise ConfigError(f"expected points of shape (n, {d}) or {d} coordinate arrays, got shape {a.shape}")
        else:
            raise ConfigError(f"this network takes {d} input(s), got {len(args)} arrays")
        if not np.all(np.isfinite(pts)):
            raise ConfigError("input points must be finite")
        return pts, shape

    def _forward(self, pts: np.ndarray, upto: int | None = None) -> np.ndarray:
        """The forward pass through ``layers[:upto]``, activations computed in place by univ.ACTIVATIONS' kernels."""
        h = pts
        for layer in self.layers[:upto]:
            if layer.w.shape[0] == 1:
                z = np.multiply(h, layer.w)  # (chunk, 1) * (1, fan_out): an outer product, cheaper than matmul
            else:
                z = h @ layer.w  # (chunk, fan_out)
            z += layer.b
            h = ACTIVATIONS[layer.activation].apply(z)
        return h

    def _chunks(self, n: int) -> tuple[range, int]:
        widest = max(layer.fan_out for layer in self.layers)
        step = max(1, CHUNK_ELEMENTS // widest)
        return range(0, n, step), step

    def __call__(self, *coords: Any) -> np.ndarray:
        """Evaluate at points, in bounded chunks so memory stays flat however many neurons and points.

        ``net(x)`` for a 1-input net (any shape of x); ``net(x, y)`` or ``net(points)`` with
        ``points.shape == (n, 2)`` for a 2-input net. Returns an array of the input's shape.

        One-hidden-layer nets on one input, and on two whose units share a few directions (``ridge``), are
        evaluated through sorted step points (:mod:`univ.fasteval`): only the units in transition near each point
        are computed; the result agrees with the dense forward pass to 1e-12 of the sum of |output weights|.
        """
        pts, shape = self._as_points(coords)
        plan = self._fast_plan()
        if plan is None:
            out = self._dense(pts)
        else:
            out = fasteval.evaluate(plan, pts, CHUNK_ELEMENTS, self._dense)
        return out.reshape(shape) if shape else out[0]

    def _call_dense(self, *coords: Any) -> np.ndarray:
        """``self(*coords)`` through the dense forward pass always (the reference the fast path is tested against)."""
        pts, shape = self._as_points(coords)
        out = self._dense(pts)
        return out.reshape(shape) if shape else out[0]

    def _dense(self, pts: np.ndarray) -> np.ndarray:
        """Every unit at every point, in chunks of at most ``CHUNK_ELEMENTS`` floats per layer: shape (n,)."""
        out = np.empty(len(pts))
        starts, step = self._chunks(len(pts))
        for i in starts:
            out[i : i + step] = self._forward(pts[i : i + step])[:, 0]
        return out

    def _fast_plan(self) -> "fasteval.Plan | None":
        """The sorted evaluation plan, built on first use and kept (layers are immutable; rebuilt if replaced)."""
        cached = self.__dict__.get("_plan")
        if cached is None or cached[0] is not self.layers:
            cached = (self.layers, fasteval.build_plan(self.layers))
            self.__dict__["_plan"] = cached
        return cached[1]

    def hidden_output(self, *coords: Any, layer: int = -1) -> np.ndarray:
        """Activations of one hidden layer at the points, shape ``(n_points, width)`` (unchunked: keep n small)."""
        if not self.hidden:
            raise ConfigError("this network has no hidden layer")
        index = range(len(self.hidden))[layer]
        pts, _ = self._as_points(coords)
        return self._forward(pts, upto=index + 1)

    def contributions(self, *coords: Any) -> np.ndarray:
        """Each last-hidden-layer neuron's weighted share of the output's input: ``(n_points, width)``.

        Their row sums plus the output bias give the output neuron's weighted input; for a linear output
        that is the network's value. This is the picture of "each bump's contribution".
        """
        return self.hidden_output(*coords) * self.output.w[:, 0]

    # -- serialisation -------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "input_dim": self.input_dim,
            "layers": [
                {"activation": layer.activation, "weights": layer.w.tolist(), "biases": layer.b.tolist()}
                for layer in self.layers
            ],
            "info": self.info,
        }

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, data: Any) -> "Network":
        """Rebuild a network from :meth:`to_dict` output, checking every field; errors are NetworkFormatError."""
        if not isinstance(data, dict):
            raise NetworkFormatError("a network must be a JSON object")
        if data.get("format") != FORMAT_NAME:
            raise NetworkFormatError(f"not a univ network: 'format' must be {FORMAT_NAME!r}")
        if data.get("version") != FORMAT_VERSION:
            raise NetworkFormatError(f"unsupported network version {data.get('version')!r}; this univ reads {FORMAT_VERSION}")
        raw_layers = data.get("layers")
        if not isinstance(raw_layers, list) or not raw_layers:
            raise NetworkFormatError("'layers' must be a non-empty list")
        total = 0
        layers = []
        for k, raw in enumerate(raw_layers):
            if not isinstance(raw, dict):
                raise NetworkFormatError(f"layer {k} must be an object")
            act = raw.get("activation")
            if not isinstance(act, str) or act not in ACTIVATIONS:
                raise NetworkFormatError(
                    f"layer {k}: activation {act!r} is not one of {', '.join(sorted(ACTIVATIONS))}"
                )
            w = _numeric_matrix(raw.get("weights"), f"layer {k} weights")
            b = _numeric_vector(raw.get("biases"), f"layer {k} biases")
            total += w.size + b.size
            if total > MAX_PARAMETERS:
                raise NetworkFormatError(f"network has more than {MAX_PARAMETERS} parameters")
            if w.shape[1] != b.shape[0]:
                raise NetworkFormatError(f"layer {k}: {w.shape[1]} weight columns but {b.shape[0]} biases")
            layers.append(Layer(w, b, act))
        info = data.get("info", {})
        if not isinstance(info, dict):
            raise NetworkFormatError("'info' must be an object")
        input_dim = data.get("input_dim", layers[0].fan_in)
        if input_dim != layers[0].fan_in:
            raise NetworkFormatError(f"input_dim {input_dim!r} does not match the first layer ({layers[0].fan_in})")
        try:
            return cls(layers, info=info)
        except ConfigError as exc:
            raise NetworkFormatError(str(exc)) from None

    @classmethod
    def from_json(cls, text: str | bytes) -> "Network":
        """Parse JSON text written by :meth:`to_json`. No pickle; hostile or malformed text gives NetworkFormatError."""
        if not isinstance(text, (str, bytes, bytearray)):
            raise NetworkFormatError("from_json takes the JSON text (read the file first)")
        if len(text) > MAX_JSON_CHARS:
            raise NetworkFormatError("network file is too large")

        def _reject_constant(name: str) -> None:
            raise NetworkFormatError(f"network file contains {name}, which is not a finite number")

        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except NetworkFormatError:
            raise
        except RecursionError:
            raise NetworkFormatError("network file is nested too deeply") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise NetworkFormatError(f"network file is not valid JSON: {exc}") from None
        return cls.from_dict(data)

    # -- closed form ---------------------------------------------------------------------------------
    def to_sympy(self, digits: int = 4, names: Sequence[str] | None = None):
        """The network as a sympy expression, coefficients rounded to ``digits`` significant figures.

        Only for small nets (at most ``MAX_FORMULA_NEURONS`` hidden neurons).
        """
        import sympy as sp

        if self.n_hidden > MAX_FORMULA_NEURONS:
            raise ConfigError(
                f"a closed form of {self.n_hidden} hidden neurons is unreadable; at most {MAX_FORMULA_NEURONS}"
            )
        names = list(names or (["x"] if self.input_dim == 1 else ["x", "y", "z", "u", "v", "w"][: self.input_dim]))
        if len(names) != self.input_dim:
            raise ConfigError(f"need {self.input_dim} variable names, got {len(names)}")
        sigma = sp.Function("sigma")
        act_map = {
            "sigmoid": lambda z: sigma(z),
            "tanh": sp.tanh,
            "relu": lambda z: sp.Max(z, 0),
            "linear": lambda z: z,
            "heaviside": sp.Heaviside,
        }

        def num(v: float):
            return sp.Float(float(f"{v:.{digits}g}"), digits)

        h = [sp.Symbol(n, real=True) for n in names]
        for layer in self.layers:
            new = []
            for j in range(layer.fan_out):
                z = sum((num(layer.w[i, j]) * h[i] for i in range(layer.fan_in) if layer.w[i, j] != 0), sp.S.Zero)
                if layer.b[j] != 0:
                    z = z + num(layer.b[j])
                new.append(act_map[layer.activation](z))
            h = new
        return h[0]

    def to_latex(self, digits: int = 4) -> str:
        """LaTeX of :meth:`to_sympy`, with σ for the logistic sigmoid."""
        import sympy as sp

        return sp.latex(self.to_sympy(digits=digits))


    # -- notebooks -----------------------------------------------------------------------------------
    def target(self):
        """The Target this network was built for, from ``info`` (expression and domain), or None if unknown."""
        from .errors import UnivError
        from .parse import parse

        expression, domain = self.info.get("expression"), self.info.get("domain")
        if not isinstance(expression, str):
            return None
        try:
            if isinstance(domain, list) and len(domain) == self.input_dim:
                return parse(expression, *domain)
            return parse(expression)
        except (UnivError, TypeError, ValueError):
            return None

    def _repr_png_(self) -> bytes:
        """A notebook shows the network as a picture: its output (and target, when known), its size and error."""
        from ._io import figure_png
        from .measure import grid, measure

        target = self.target()
        domain = target.domain if target is not None else tuple(
            tuple(p) for p in self.info.get("domain", [[0.0, 1.0]] * self.input_dim))
        title = f"{' → '.join(map(str, [self.input_dim, *self.hidden_sizes, 1]))} network, {self.n_params} parameters"
        if target is not None:
            rep = measure(self, target)
            title += f"\n{target.text}: max error {rep.max_error:.3g}, RMSE {rep.rmse:.3g}"

        def draw(fig):
            ax = fig.subplots()
            if self.input_dim == 1:
                (x,) = grid(domain, 1001)
                if target is not None:
                    ax.plot(x, target.evaluate(x), color="black", lw=2.0, label="target")
                ax.plot(x, self(x), color="#d62728", lw=1.5, label="network")
                ax.legend(frameon=False, fontsize=8)
                ax.set_xlabel("x")
            else:
                xx, yy = grid(domain, 151)
                image = ax.pcolormesh(xx, yy, self(xx, yy), shading="auto", cmap="viridis")
                fig.colorbar(image, ax=ax)
                ax.set_xlabel("x")
                ax.set_ylabel("y")
            ax.set_title(title, fontsize=9)

        return figure_png(draw, figsize=(5.5, 3.6))


def _numeric_vector(raw: Any, what: str) -> np.ndarray:
    if not isinstance(raw, list) or not raw:
        raise NetworkFormatError(f"{what} must be a non-empty list of numbers")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw):
        raise NetworkFormatError(f"{what} must contain only numbers")
    arr = np.array(raw, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise NetworkFormatError(f"{what} must be finite")
    return arr


def _numeric_matrix(raw: Any, what: str) -> np.ndarray:
    if not isinstance(raw, list) or not raw or not all(isinstance(row, list) for row in raw):
        raise NetworkFormatError(f"{what} must be a non-empty list of rows")
    width = len(raw[0])
    if width == 0 or any(len(row) != width for row in raw):
        raise NetworkFormatError(f"{what} rows must all have the same non-zero length")
    if len(raw) * width > MAX_PARAMETERS:
        raise NetworkFormatError(f"{what} has more than {MAX_PARAMETERS} numbers")
    flat = [v for row in raw for v in row]
    return _numeric_vector(flat, what).reshape(len(raw), width)
