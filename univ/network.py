"""``Network``: the one type for hand-built and trained nets — dense layers, evaluation, JSON, closed form."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import fasteval
from ._io import write_atomic
from .activations import ACTIVATIONS, OUTPUT_ONLY, get_activation
from .errors import ConfigError, NetworkFormatError, UnivError
from .limits import (
    MAX_FORMULA_NEURONS,
    MAX_NETWORK_JSON_CHARS,
    MAX_NETWORK_LAYERS,
    MAX_NETWORK_STRUCTURE_CHARS,
    MAX_PARAMETERS,
)
from .network_json import _decode, _lift_number_arrays, _looks_like_path, _plain_info
from .target import Target, parse
from .validate import is_int

FORMAT_NAME = "univ.network"
FORMAT_VERSION = 1
CHUNK_ELEMENTS = 1 << 18  # floats per intermediate array while evaluating (2 MiB in float64: stays in cache)


class Latex(str):
    """A LaTeX string that a notebook renders as maths (``$...$``); otherwise an ordinary ``str``."""

    __slots__ = ()

    def _repr_latex_(self) -> str:
        return f"${self}$"


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
    """A feed-forward net: hidden layers, then an output layer of one neuron, or, for a classifier, one neuron per
    class with a softmax (``net(points)`` then gives class probabilities, shape ``(..., classes)``).

    Built by :func:`univ.construct` or trained by :func:`univ.fit`; both give this type, so evaluating,
    measuring, plotting, saving and animating are written once.

    Parameters
    ----------
    layers : sequence of Layer
        Hidden layers followed by the output layer (``fan_out == 1``, activation ``linear`` or ``sigmoid``; or
        ``fan_out`` ≥ 2 with ``softmax``, a classifier).
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
        for layer in layers[:-1]:
            if layer.activation in OUTPUT_ONLY:
                raise ConfigError(f"{layer.activation} mixes a layer's units: it is for the output layer only")
        if layers[-1].activation in OUTPUT_ONLY and layers[-1].fan_out < 2:
            raise ConfigError(f"a {layers[-1].activation} output needs one neuron per class (2 or more)")
        if layers[-1].fan_out != 1 and layers[-1].activation not in OUTPUT_ONLY:
            raise ConfigError(
                f"the output layer must have one neuron, not {layers[-1].fan_out} (several only with softmax)"
            )
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
    def n_outputs(self) -> int:
        """Output neurons: 1, or the number of classes for a classifier."""
        return self.output.fan_out

    @property
    def n_hidden(self) -> int:
        """Total hidden neurons over all hidden layers."""
        return sum(self.hidden_sizes)

    @property
    def n_params(self) -> int:
        return sum(layer.w.size + layer.b.size for layer in self.layers)

    def __repr__(self) -> str:
        sizes = " → ".join(str(s) for s in [self.input_dim, *self.hidden_sizes, self.n_outputs])
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
        ``points.shape == (n, 2)`` for a 2-input net. Returns an array of the input's shape (a classifier: that shape
        plus one axis of class probabilities).

        One-hidden-layer nets on one input, and on two whose units share a few directions (``ridge``), are
        evaluated through sorted step points (:mod:`univ.fasteval`): only the units in transition near each point
        are computed; the result agrees with the dense forward pass to 1e-12 of the sum of |output weights|.
        """
        pts, shape = self._as_points(coords)
        plan = self._fast_plan() if self.n_outputs == 1 else None
        if plan is None:
            out = self._dense(pts)
        else:
            out = fasteval.evaluate(plan, pts, CHUNK_ELEMENTS, self._dense)
        return out.reshape(shape + out.shape[1:]) if shape else out[0]

    def _call_dense(self, *coords: Any) -> np.ndarray:
        """``self(*coords)`` through the dense forward pass always (the reference the fast path is tested against)."""
        pts, shape = self._as_points(coords)
        out = self._dense(pts)
        return out.reshape(shape + out.shape[1:]) if shape else out[0]

    def _dense(self, pts: np.ndarray) -> np.ndarray:
        """Every unit at every point, in chunks of at most ``CHUNK_ELEMENTS`` floats per layer: shape (n,), or
        (n, classes) for a classifier."""
        k = self.n_outputs
        out = np.empty((len(pts), k))
        starts, step = self._chunks(len(pts))
        for i in starts:
            out[i : i + step] = self._forward(pts[i : i + step])
        return out[:, 0] if k == 1 else out

    def _fast_plan(self) -> fasteval.Plan | None:
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

    def save(self, path: str | os.PathLike) -> None:
        """Write :meth:`to_json` to ``path`` atomically (no reader sees half a file); the mode follows the umask."""
        write_atomic(Path(path), self.to_json().encode())

    @classmethod
    def load(cls, path: str | os.PathLike) -> Network:
        """Read a network file written by :meth:`save` (or a run's network.json); errors are NetworkFormatError.

        The file's size is checked before it is read.
        """
        p = Path(path)
        too_big = NetworkFormatError(
            f"network file {str(p)!r} is larger than {MAX_NETWORK_JSON_CHARS:,} bytes ({MAX_PARAMETERS:,} parameters)"
        )
        try:
            st = p.stat()
            if not stat.S_ISREG(st.st_mode):
                raise NetworkFormatError(f"{str(p)!r} is not a network file (not a regular file)")
            if st.st_size > MAX_NETWORK_JSON_CHARS:
                raise too_big
            with open(p, "rb") as fh:
                raw = fh.read(MAX_NETWORK_JSON_CHARS + 1)  # the file may have grown since stat
            if len(raw) > MAX_NETWORK_JSON_CHARS:
                raise too_big
            text = _decode(raw)
            del raw
        except OSError as exc:
            raise NetworkFormatError(f"cannot read network file {str(p)!r}: {exc.strerror or exc}") from None
        return cls._from_text(text)

    @classmethod
    def from_dict(cls, data: Any) -> Network:
        """Rebuild a network from :meth:`to_dict` output, checking every field; errors are NetworkFormatError."""
        if not isinstance(data, dict):
            raise NetworkFormatError("a network must be a JSON object")
        fmt = data.get("format")
        if not (isinstance(fmt, str) and fmt == FORMAT_NAME):
            raise NetworkFormatError(f"not a univ network: 'format' must be {FORMAT_NAME!r}")
        version = data.get("version")
        if not (is_int(version) and version == FORMAT_VERSION):
            raise NetworkFormatError(f"unsupported network version {_shown(version)}; this univ reads {FORMAT_VERSION}")
        raw_layers = data.get("layers")
        if not isinstance(raw_layers, list) or not raw_layers:
            raise NetworkFormatError("'layers' must be a non-empty list")
        if len(raw_layers) > MAX_NETWORK_LAYERS:
            raise NetworkFormatError(f"network has {len(raw_layers)} layers; at most {MAX_NETWORK_LAYERS}")
        total = 0
        layers = []
        for k, raw in enumerate(raw_layers):
            if not isinstance(raw, dict):
                raise NetworkFormatError(f"layer {k} must be an object")
            act = raw.get("activation")
            if not isinstance(act, str) or act not in ACTIVATIONS:
                raise NetworkFormatError(
                    f"layer {k}: activation {_shown(act)} is not one of {', '.join(sorted(ACTIVATIONS))}"
                )
            w = _numeric_matrix(raw.get("weights"), f"layer {k} weights")
            b = _numeric_vector(raw.get("biases"), f"layer {k} biases")
            total += w.size + b.size
            if total > MAX_PARAMETERS:
                raise NetworkFormatError(f"network has more than {MAX_PARAMETERS} parameters")
            if w.shape[1] != b.shape[0]:
                raise NetworkFormatError(f"layer {k}: {w.shape[1]} weight columns but {b.shape[0]} biases")
            try:
                layers.append(Layer(w, b, act))
            except ConfigError as exc:
                raise NetworkFormatError(f"layer {k}: {exc}") from None
        info = _plain_info(data.get("info", {}))
        fan_in = layers[0].fan_in
        input_dim = data.get("input_dim", fan_in)
        if not (is_int(input_dim) and input_dim in (1, 2)):
            raise NetworkFormatError(f"input_dim must be 1 or 2, got {_shown(input_dim)}")
        if input_dim != fan_in:
            raise NetworkFormatError(f"input_dim {input_dim} does not match the first layer ({fan_in} inputs)")
        try:
            return cls(layers, info=info)
        except ConfigError as exc:
            raise NetworkFormatError(str(exc)) from None

    @classmethod
    def from_json(cls, text: str | bytes) -> Network:
        """Parse JSON text written by :meth:`to_json` (for a file, :meth:`load`).

        No pickle; hostile or malformed text gives NetworkFormatError. The length is checked before parsing, and
        long arrays of numbers are read straight into numpy arrays, so memory stays within a few times the text.
        """
        if isinstance(text, os.PathLike) or (isinstance(text, str) and _looks_like_path(text)):
            raise NetworkFormatError("from_json takes JSON text; use Network.load(path) for a file")
        if not isinstance(text, (str, bytes, bytearray)):
            raise NetworkFormatError(
                f"from_json takes JSON text (str or bytes), not {type(text).__name__}; "
                "use Network.load(path) for a file"
            )
        if len(text) > MAX_NETWORK_JSON_CHARS:
            raise NetworkFormatError(
                f"network JSON is {len(text):,} characters; at most {MAX_NETWORK_JSON_CHARS:,} "
                f"({MAX_PARAMETERS:,} parameters)"
            )
        return cls._from_text(_decode(text) if not isinstance(text, str) else text)

    @classmethod
    def _from_text(cls, text: str) -> Network:
        if len(text) > MAX_NETWORK_JSON_CHARS:
            raise NetworkFormatError(f"network JSON is {len(text):,} characters; at most {MAX_NETWORK_JSON_CHARS:,}")
        skeleton, arrays = _lift_number_arrays(text)
        del text
        if len(skeleton) > MAX_NETWORK_STRUCTURE_CHARS:
            raise NetworkFormatError(
                f"network file has {len(skeleton):,} characters outside its weight arrays (keys, info, short lists); "
                f"at most {MAX_NETWORK_STRUCTURE_CHARS:,}"
            )
        key = arrays.pop()

        def _restore(obj: dict) -> Any:
            if len(obj) == 1 and key in obj:
                return arrays[obj[key]]
            return obj

        def _reject_constant(name: str) -> None:
            raise NetworkFormatError(f"network file contains {name}, which is not a finite number")

        try:
            data = json.loads(skeleton, parse_constant=_reject_constant, object_hook=_restore)
        except NetworkFormatError:
            raise
        except RecursionError:
            raise NetworkFormatError("network file is nested too deeply") from None
        except ValueError as exc:
            raise NetworkFormatError(f"network file is not valid JSON: {exc}") from None
        return cls.from_dict(data)

    # -- closed form ---------------------------------------------------------------------------------
    def to_sympy(self, digits: int = 4, names: Sequence[str] | None = None):
        """The network as a sympy expression, coefficients rounded to ``digits`` significant figures.

        Only for small nets (at most ``MAX_FORMULA_NEURONS`` hidden neurons).
        """
        import sympy as sp

        if self.n_outputs != 1:
            raise ConfigError(f"a closed form is written for one output; this classifier has {self.n_outputs}")
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

    def to_latex(self, digits: int = 4) -> Latex:
        """LaTeX of :meth:`to_sympy`, with σ for the logistic sigmoid.

        A plain ``str`` everywhere; a notebook cell ending in ``net.to_latex()`` shows it as maths. (The Network
        itself keeps its picture: a ``_repr_latex_`` on Network would win over ``_repr_png_`` in Jupyter.)
        """
        import sympy as sp

        return Latex(sp.latex(self.to_sympy(digits=digits)))

    # -- notebooks -----------------------------------------------------------------------------------
    def target(self) -> Target | None:
        """The Target this network was built for, from ``info`` (expression and domain), or None if unknown."""
        expression, domain = self.info.get("expression"), self.info.get("domain")
        if not isinstance(expression, str):
            return None
        try:
            if isinstance(domain, list) and len(domain) == self.input_dim:
                return parse(expression, *domain)
            return parse(expression)
        except (UnivError, TypeError, ValueError):
            return None

    # The notebook picture is drawn by univ.plot, which sets this hook when it is imported (``import univ`` imports
    # it; matplotlib itself only when a picture is drawn); the core draws nothing and imports no plotting.
    _picture: Callable[[Network], bytes] | None = None

    def _repr_png_(self) -> bytes | None:
        """The picture a notebook shows (None, so the text form is shown, when univ.plot cannot be imported)."""
        if self._picture is None or self.n_outputs != 1:  # a classifier's picture needs its classes: plot.classify
            return None
        return self._picture(self)


def _shown(value: Any) -> str:
    """A value for a message, on one line and cut short (a 400-digit number or a long list is not echoed whole)."""
    text = " ".join(repr(value)[:200].split())
    return text if len(text) <= 40 else text[:37] + "..."


def _numeric_vector(raw: Any, what: str) -> np.ndarray:
    if isinstance(raw, np.ndarray):  # lifted out of the JSON text, or given by a caller of from_dict
        if raw.ndim != 1 or raw.size == 0 or raw.dtype.kind not in "iuf":
            raise NetworkFormatError(f"{what} must be a non-empty list of numbers")
        arr = raw.astype(float)
    else:
        if not isinstance(raw, list) or not raw:
            raise NetworkFormatError(f"{what} must be a non-empty list of numbers")
        if len(raw) > MAX_PARAMETERS:
            raise NetworkFormatError(f"{what} has more than {MAX_PARAMETERS} numbers")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw):
            raise NetworkFormatError(f"{what} must contain only numbers")
        try:
            arr = np.array(raw, dtype=float)
        except OverflowError:  # an integer beyond any float
            raise NetworkFormatError(f"{what} must be finite numbers; one is too large for a float") from None
    if not np.all(np.isfinite(arr)):
        raise NetworkFormatError(f"{what} must be finite")
    return arr


def _numeric_matrix(raw: Any, what: str) -> np.ndarray:
    if isinstance(raw, np.ndarray) and raw.ndim == 2:  # a lifted column [[a], [b], ...]
        if raw.size > MAX_PARAMETERS:
            raise NetworkFormatError(f"{what} has more than {MAX_PARAMETERS} numbers")
        return _numeric_vector(raw.reshape(-1), what).reshape(raw.shape)
    if not isinstance(raw, list) or not raw or not all(isinstance(row, (list, np.ndarray)) for row in raw):
        raise NetworkFormatError(f"{what} must be a non-empty list of rows")
    width = len(raw[0])
    if width == 0 or any(len(row) != width for row in raw):
        raise NetworkFormatError(f"{what} rows must all have the same non-zero length")
    if len(raw) * width > MAX_PARAMETERS:
        raise NetworkFormatError(f"{what} has more than {MAX_PARAMETERS} numbers")
    if all(isinstance(row, list) for row in raw):
        flat = [v for row in raw for v in row]
        return _numeric_vector(flat, what).reshape(len(raw), width)
    out = np.empty((len(raw), width))
    for i, row in enumerate(raw):
        out[i] = _numeric_vector(row, what)
    return out
