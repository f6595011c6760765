"""Gradient training of a dense net on a target: backprop by hand in numpy; Adam, SGD with momentum, L-BFGS and
Levenberg–Marquardt."""

from __future__ import annotations

import html
import itertools
import math
import time
from collections.abc import Callable, Iterable, Sequence, Sized
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .activations import ACTIVATIONS
from .errors import ConfigError, TrainingDiverged
from .limits import (
    LM_MAX_JACOBIAN,
    LM_MAX_PARAMETERS,
    MAX_ABS_VALUE,
    MAX_BATCH_ACTIVATIONS,
    MAX_EPOCHS,
    MAX_LAYERS,
    MAX_LR,
    MAX_POINTS,
    MAX_SNAPSHOTS,
    MAX_TRAIN_PARAMETERS,
    MAX_WIDTH,
)
from .network import Layer, Network
from .validate import choice, flag, is_int, merge, positive, real, whole

MAX_PARAMETERS = MAX_TRAIN_PARAMETERS  # the name training has always exported
ACTIVATION_NAMES = ("tanh", "relu", "sigmoid")
OPTIMIZERS = ("adam", "sgd", "lbfgs", "lm")
FULL_BATCH = ("lbfgs", "lm")  # choose their own steps on the whole training set: no lr, batches or dropout
INITS = ("xavier", "he")
DEFAULT_INIT = {"tanh": "xavier", "sigmoid": "xavier", "relu": "he"}
DEFAULT_LR = {"adam": 0.01, "sgd": 0.01, "lbfgs": None, "lm": None}  # lbfgs and lm find their own steps
DEFAULT_EPOCHS = 2000
ADAM_BETA1, ADAM_BETA2, ADAM_EPS = 0.9, 0.999, 1e-8  # Kingma & Ba (2015), Algorithm 1
LBFGS_FTOL = 1e-20  # scipy's default (2.2e-9 relative) stops long before a small loss; run to the budget
LBFGS_GTOL = 1e-20
LBFGS_MEMORY = 20  # correction pairs kept
LM_DAMPING = 1e-3  # starting λ, relative to the scaled diagonal of JᵀJ (Marquardt; MATLAB's trainlm starts there)
LM_MAX_DAMPING = 1e10  # λ above this: no step lowers the loss any more (stalled; trainlm's mu_max)
LM_MIN_DAMPING = 1e-15  # λ is kept above this: pure Gauss–Newton steps on a rank-deficient JᵀJ go astray
LM_MIN_IMPROVEMENT = 1e-10  # an accepted step lowering the loss by less than this fraction: stalled
LM_DIAGONAL_FLOOR = 1e-9  # of the largest diagonal: keeps columns that are all zero (dead relu units) damped
LM_ROUNDING = 1e-10  # a training RMSE this small relative to the values' scale is rounding error: nothing to gain
SNAPSHOTS = 30  # default count of log-spaced snapshot epochs (plus epoch 0)
HISTORY_POINTS_1D = 201  # the fixed grid snapshots are taken on
HISTORY_POINTS_2D = 41  # per side
SINGLE_THREAD_FLOPS = 20_000_000  # flops per BLAS call below which training keeps BLAS to one thread
# lm's JᵀJ: with the machine's 2 cores shared, one thread was 6-20x faster than two at 2e7-4e8 flops per product
LM_SINGLE_THREAD_FLOPS = 1_000_000_000
DIVERGED_FACTOR = 1e12  # a loss this many times its starting scale is divergence too, even if finite


# -- configuration -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FitConfig:
    """The hyper-parameters of one training run; the CLI's ``fit`` options map one to one onto these fields.

    Parameters
    ----------
    hidden : tuple of int
        Widths of the hidden layers, e.g. ``(16, 16, 16)``.
    activation : str
        Hidden activation: ``tanh``, ``relu`` or ``sigmoid``. The output neuron is linear.
    optimizer : str
        ``adam``, ``sgd`` (with momentum), ``lbfgs`` (full batch, line search) or ``lm`` (Levenberg–Marquardt:
        damped Gauss–Newton steps on the full batch, for small nets; the dense Jacobian of points × parameters is
        limited to ``LM_MAX_JACOBIAN`` entries). For ``lbfgs`` and ``lm``, ``epochs`` is the iteration budget.
    lr : float or None
        Learning rate; ``None`` takes ``DEFAULT_LR[optimizer]``. Not used by ``lbfgs`` and ``lm``.
    epochs : int
        Passes over the training points (iterations for ``lbfgs`` and ``lm``), 1 to 1,000,000.
    batch_size : int or None
        Points per gradient step; ``None`` is the full batch.
    dropout : float
        Probability in [0, 1) of zeroing each hidden activation during training (inverted dropout).
    init : str or None
        ``xavier`` (Glorot uniform) or ``he`` (normal, std √(2/fan_in)); ``None`` picks xavier for tanh and
        sigmoid, he for relu. Biases start uniform in ±1/√fan_in.
    seed : int
        Seeds the one random generator used for initial weights, shuffling and dropout.
    points : int
        Training points: evenly spaced over the domain, ends included (2D: a √points × √points grid).
    momentum : float
        Momentum of ``sgd``, in [0, 1).
    snapshot_epochs : tuple of int or None
        Epochs (0 = before training) at which the net's output is recorded; ``None`` takes about 30
        log-spaced epochs.
    normalize : bool
        Train on inputs mapped to [-1, 1] and values scaled to zero mean and unit spread, folded back into the
        first and last layers afterwards, so a domain like [0, 100] trains as well as [0, 1]. Losses are always
        reported in the target's units.
    goal : float or None
        Stop as soon as the RMSE on the training points (in the target's units) is at most this; the history's
        ``stop`` is then ``"goal"``. ``None`` trains for the whole budget.
    """

    hidden: tuple[int, ...] = (16, 16, 16)
    activation: str = "tanh"
    optimizer: str = "adam"
    lr: float | None = None
    epochs: int = DEFAULT_EPOCHS
    batch_size: int | None = None
    dropout: float = 0.0
    init: str | None = None
    seed: int = 0
    points: int = 1000
    momentum: float = 0.9
    snapshot_epochs: tuple[int, ...] | None = None
    normalize: bool = True
    goal: float | None = None

    def __post_init__(self) -> None:
        def put(name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

        hidden = _widths(self.hidden)
        put("hidden", hidden)
        n_params = n_parameters(2, hidden)  # 2D inputs: the larger of the two
        if n_params > MAX_PARAMETERS:
            raise ConfigError(
                f"hidden layers {_shown(hidden)} need {n_params:,} parameters; the limit is {MAX_PARAMETERS:,}"
            )
        choice("activation", self.activation, ACTIVATION_NAMES)
        opt = choice("optimizer", self.optimizer, OPTIMIZERS)
        if self.init is not None:
            choice("init", self.init, INITS)
        put("epochs", whole("epochs", self.epochs, 1, MAX_EPOCHS))
        put("points", whole("points", self.points, 2, MAX_POINTS))
        put("seed", whole("seed", self.seed, 0))
        if self.lr is not None:
            put("lr", positive("lr", self.lr, MAX_LR))
        if self.batch_size is not None:
            put("batch_size", whole("batch_size", self.batch_size, 1, MAX_POINTS))
            if self.batch_size > self.points:
                raise ConfigError(f"batch_size must be at most points ({self.points}), got {self.batch_size}")
        put("dropout", real("dropout", self.dropout, 0.0, 1.0, hi_open=True))
        put("momentum", real("momentum", self.momentum, 0.0, 1.0, hi_open=True))
        put("normalize", flag("normalize", self.normalize))
        if self.goal is not None:
            put("goal", positive("goal", self.goal, MAX_ABS_VALUE))
        if opt in FULL_BATCH:
            how = "by line search" if opt == "lbfgs" else "by adaptive damping"
            if self.lr is not None:
                raise ConfigError(
                    f"{opt} chooses its own steps {how}; lr {self.lr!r} does not apply (lr is for adam and sgd)"
                )
            if self.batch_size is not None:
                raise ConfigError(f"{opt} trains on the full batch; leave batch_size unset (got {self.batch_size})")
            if self.dropout:
                raise ConfigError(
                    f"dropout makes the loss random, which breaks {opt}'s steps {how}; use adam or "
                    f"sgd for dropout {self.dropout:g}"
                )
        rows = self.batch_size or self.points
        if rows * sum(hidden) > MAX_BATCH_ACTIVATIONS:
            raise ConfigError(
                f"a batch of {rows} points through {sum(hidden)} hidden neurons is too large "
                f"(limit {MAX_BATCH_ACTIVATIONS:,} activations); use a smaller batch_size or fewer points"
            )
        if opt == "lm":
            check_lm_size(n_parameters(1, hidden), self.points)  # 1D: the smallest it can be
        if self.snapshot_epochs is not None:
            put("snapshot_epochs", _snapshot_epochs(self.snapshot_epochs, self.epochs))

    @property
    def learning_rate(self) -> float | None:
        """``lr``, or the optimizer's default when it is ``None`` (``None`` for lbfgs and lm)."""
        return self.lr if self.lr is not None else DEFAULT_LR[self.optimizer]

    @property
    def init_scheme(self) -> str:
        """``init``, or the activation's default."""
        return self.init or DEFAULT_INIT[self.activation]

    @property
    def snapshots_at(self) -> tuple[int, ...]:
        """The snapshot epochs: as given, or 0 and about ``SNAPSHOTS`` log-spaced epochs up to ``epochs``."""
        if self.snapshot_epochs is not None:
            return self.snapshot_epochs
        spaced = np.unique(np.round(np.geomspace(1, self.epochs, SNAPSHOTS)).astype(int))
        return (0, *(int(e) for e in spaced))


def n_parameters(inputs: int, hidden: Sequence[int]) -> int:
    """Weights and biases of a dense net with ``inputs`` inputs, these hidden widths and one output."""
    sizes = [inputs, *hidden, 1]
    return sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))


def check_lm_size(n_params: int, n_points: int) -> None:
    """Refuse, before any work, a net too large for Levenberg–Marquardt's dense Jacobian and normal matrix."""
    if n_params > LM_MAX_PARAMETERS:
        raise ConfigError(
            f"lm solves a {n_params:,} × {n_params:,} system each iteration; it takes at most {LM_MAX_PARAMETERS:,} "
            f"parameters: use lbfgs or adam for a net this large, or fewer hidden neurons"
        )
    if n_params * n_points > LM_MAX_JACOBIAN:
        raise ConfigError(
            f"lm needs a dense Jacobian of {n_points:,} points × {n_params:,} parameters = "
            f"{n_params * n_points:,} entries; the limit is {LM_MAX_JACOBIAN:,}: use lbfgs or adam for a net this "
            f"large, or fewer points"
        )


def _shown(hidden: Sequence[int]) -> str:
    return str(list(hidden)) if len(hidden) <= 8 else f"[{hidden[0]}, {hidden[1]}, ... ({len(hidden)} layers)]"


def _widths(hidden: Any) -> tuple[int, ...]:
    """``hidden`` as a tuple of widths, its length checked before anything the size of it is made."""
    if is_int(hidden):
        hidden = (hidden,)
    items = _items(
        hidden, MAX_LAYERS, "hidden must be a sequence of layer widths", f"at most {MAX_LAYERS} hidden layers, got {{}}"
    )
    if not items:
        raise ConfigError("hidden must name at least one hidden layer, got an empty list")
    return tuple(whole("each hidden layer width", w, 1, MAX_WIDTH) for w in items)


def _snapshot_epochs(epochs_given: Any, epochs: int) -> tuple[int, ...]:
    items = _items(
        epochs_given,
        MAX_SNAPSHOTS,
        "snapshot_epochs must be a list of whole numbers",
        f"snapshot_epochs may list at most {MAX_SNAPSHOTS:,} epochs, got {{}}",
    )
    return tuple(sorted({whole("each snapshot epoch", e, 0, epochs) for e in items}))


def _items(given: Any, most: int, wrong: str, too_many: str) -> list:
    """The items of a list-like ``given``, refused (``too_many``, its {} the count) past ``most`` before they are
    all read, so an endless or huge iterable costs nothing; ``wrong`` is the message for text or a non-iterable."""
    if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
        raise ConfigError(f"{wrong}, got {given!r}")
    if isinstance(given, Sized) and len(given) > most:
        raise ConfigError(too_many.format(f"{len(given):,}"))
    items = list(itertools.islice(iter(given), most + 1))
    if len(items) > most:
        raise ConfigError(too_many.format("more"))
    return items


# -- results ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False, repr=False)
class History:
    """What happened during training, as data for plots and animations.

    Attributes
    ----------
    loss : ndarray, shape (epochs_run + 1,)
        Mean squared error on the training points, in the target's units: ``loss[k]`` after ``k`` epochs
        (``loss[0]`` before training). Measured without dropout.
    snapshot_epochs : list of int
        The epochs at which snapshots were taken (the last is the final epoch).
    snapshots : ndarray, shape (len(snapshot_epochs), n_x)
        The net's output on ``x`` at each snapshot epoch.
    x : ndarray
        The fixed grid: 1D shape ``(201,)``; 2D shape ``(1681, 2)``, a 41 × 41 grid flattened row by row.
    grid_shape : tuple of int
        ``(201,)`` or ``(41, 41)``: reshape a snapshot with it.
    seconds : float
        Wall time of training.
    stop : str
        Why training stopped: ``"epochs"`` (the budget ran out), ``"goal"`` (the training RMSE reached the goal),
        or a sentence starting ``"lbfgs stopped early"`` or ``"lm stalled"``.
    """

    loss: np.ndarray
    snapshot_epochs: list[int]
    snapshots: np.ndarray
    x: np.ndarray
    grid_shape: tuple[int, ...]
    seconds: float
    stop: str = "epochs"

    @property
    def epochs(self) -> int:
        """Epochs actually run (fewer than the budget when the goal is reached or lbfgs/lm can go no further)."""
        return len(self.loss) - 1

    @property
    def rmse(self) -> float:
        """The final RMSE on the training points, in the target's units."""
        return math.sqrt(max(float(self.loss[-1]), 0.0))

    def __repr__(self) -> str:
        return (
            f"History({self.epochs} epochs, final loss {float(self.loss[-1]):.4g}, {len(self.snapshot_epochs)} "
            f"snapshots, {self.seconds:.3g} s, stop={self.stop!r})"
        )

    def _repr_html_(self) -> str:
        return _html_table(
            "History",
            [
                ("epochs run", f"{self.epochs:,}"),
                ("final loss (training MSE)", f"{float(self.loss[-1]):.4g}"),
                ("training RMSE", f"{self.rmse:.4g}"),
                (
                    "snapshots",
                    f"{len(self.snapshot_epochs)} (epochs {self.snapshot_epochs[0]} to {self.snapshot_epochs[-1]})",
                ),
                ("seconds", f"{self.seconds:.3g}"),
                ("stop", self.stop),
            ],
        )


@dataclass(frozen=True, eq=False, repr=False)
class FitResult:
    """A trained :class:`univ.Network`, its training history and the configuration that made it.

    In a notebook it shows as a small table (architecture, optimizer, epochs, loss, RMSE, time, why it stopped).
    """

    network: Network
    history: History
    config: FitConfig

    @property
    def rmse(self) -> float:
        """The final RMSE on the training points, in the target's units (:func:`univ.measure` gives the RMSE
        on a dense grid)."""
        return self.history.rmse

    def _architecture(self) -> str:
        return " → ".join(str(s) for s in [self.network.input_dim, *self.network.hidden_sizes, 1])

    def __repr__(self) -> str:
        c, h = self.config, self.history
        return (
            f"FitResult({self._architecture()} {c.activation}, {c.optimizer}, {h.epochs} epochs, "
            f"final loss {float(h.loss[-1]):.4g}, RMSE {h.rmse:.4g}, {h.seconds:.3g} s, stop={h.stop!r})"
        )

    def _repr_html_(self) -> str:
        c, h = self.config, self.history
        rows = [
            ("architecture", f"{self._architecture()} ({self.network.n_params:,} parameters)"),
            ("activation", c.activation),
            ("optimizer", c.optimizer + (f", lr {c.learning_rate:g}" if c.learning_rate is not None else "")),
            ("epochs", f"{h.epochs:,} of {c.epochs:,}"),
            ("final loss (training MSE)", f"{float(h.loss[-1]):.4g}"),
            ("training RMSE", f"{h.rmse:.4g}" + (f" (goal {c.goal:g})" if c.goal is not None else "")),
            ("seconds", f"{h.seconds:.3g}"),
            ("stop", h.stop),
        ]
        return _html_table("FitResult", rows)


def _html_table(title: str, rows: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table><caption style='text-align:left'><b>{html.escape(title)}</b></caption>{body}</table>"


# -- the net being trained: one flat parameter vector, per-layer views, hand-written backprop --------------
class _Net:
    """A dense net whose parameters live in one flat vector (so optimizers update them in a few numpy calls).

    Layout: layer by layer, the weights ``W (fan_in, fan_out)`` then the biases ``b (fan_out,)``, so that
    ``Wb = [W; b]`` is one contiguous ``(fan_in + 1, fan_out)`` block. The first layer reads its input with a
    column of ones appended, making its forward pass and its whole gradient one matmul each. ``W[i]``, ``b[i]``,
    ``Wb[i]`` are views into ``theta``; ``gW[i]``, ``gb[i]``, ``gWb[i]`` into ``grad``. Every activation buffer is
    C-contiguous: elementwise passes over strided views cost several times more at small widths.
    """

    def __init__(self, sizes: Sequence[int], activations: Sequence[str]):
        self.sizes = list(sizes)  # [d, h1, ..., hL, 1]
        self.activations = list(activations)  # one per hidden layer
        self.kernels = [(ACTIVATIONS[a].apply, ACTIVATIONS[a].derivative) for a in self.activations]
        n = sum((a + 1) * b for a, b in zip(self.sizes, self.sizes[1:]))
        self.theta = np.zeros(n)
        self.grad = np.zeros(n)
        self.W, self.b, self.Wb, self.gW, self.gb, self.gWb = [], [], [], [], [], []
        self.offsets = []  # where each layer's Wb block starts in theta
        k = 0
        for fan_in, fan_out in zip(self.sizes, self.sizes[1:]):
            self.offsets.append(k)
            for flat, ws, bs, wbs in ((self.theta, self.W, self.b, self.Wb), (self.grad, self.gW, self.gb, self.gWb)):
                wb = flat[k : k + (fan_in + 1) * fan_out].reshape(fan_in + 1, fan_out)
                wbs.append(wb)
                ws.append(wb[:fan_in])
                bs.append(wb[fan_in])
            k += (fan_in + 1) * fan_out
        self._buffers: dict[int, tuple] = {}
        self._forward_rows = 0  # rows of the last residuals() pass, whose activations jacobian() reads

    @property
    def n_hidden_layers(self) -> int:
        return len(self.sizes) - 2

    def _bufs(self, m: int) -> tuple:
        """Work arrays for a batch of m rows: the input with a ones column, activations, derivatives, deltas."""
        if m not in self._buffers:
            if len(self._buffers) > 2:  # the full batch, a mini-batch and its remainder
                self._buffers.clear()
            widths = self.sizes[1:-1]
            self._buffers[m] = (
                np.ones((m, self.sizes[0] + 1)),  # (m, d + 1); the last column stays 1
                [np.empty((m, w)) for w in widths],
                [np.empty((m, w)) for w in widths],
                [np.empty((m, w)) for w in widths],
                np.empty((m, 1)),
                np.ones(m),
            )
        return self._buffers[m]

    def loss_grad(
        self, X: np.ndarray, Y: np.ndarray, rng: np.random.Generator | None = None, dropout: float = 0.0
    ) -> float:
        """Mean squared error of the net on (X, Y); its gradient is left in ``self.grad``.

        X is ``(m, d)``, Y is ``(m, 1)``, float64. With ``dropout`` (and ``rng``), each hidden activation is
        zeroed with that probability and the survivors scaled by 1 / (1 − dropout).
        """
        m, d = X.shape
        x1, acts, derivs, deltas, out, ones = self._bufs(m)
        L = self.n_hidden_layers
        x1[:, :d] = X
        masks = []
        reads = [x1]  # what each layer reads: [X, 1], then the (dropped-out) hidden activations
        for i in range(L):
            a = acts[i]  # (m, width)
            if i == 0:
                np.matmul(x1, self.Wb[0], out=a)  # z = X W + b in one go
            else:
                np.matmul(reads[i], self.W[i], out=a)
                np.add(a, self.b[i], out=a)
            self.kernels[i][0](a)
            if dropout:
                mask = (rng.random(a.shape) >= dropout) * (1.0 / (1.0 - dropout))
                masks.append(mask)
                reads.append(a * mask)
            else:
                reads.append(a)
        h = reads[L]
        np.matmul(h, self.W[L], out=out)  # (m, 1)
        np.add(out, self.b[L][0], out=out)
        np.subtract(out, Y, out=out)  # the residual
        r = out.reshape(-1)
        loss = float(r @ r) / m
        np.multiply(out, 2.0 / m, out=out)  # dLoss/dOutput
        np.matmul(r, h, out=self.gW[L][:, 0])
        self.gb[L][0] = r.sum()
        delta = deltas[L - 1]
        np.multiply(out, self.W[L][:, 0], out=delta)  # (m, width): dLoss/d(last hidden output)
        for i in range(L - 1, -1, -1):
            if dropout:
                np.multiply(delta, masks[i], out=delta)
            self.kernels[i][1](acts[i], derivs[i])
            np.multiply(delta, derivs[i], out=delta)  # now dLoss/dz
            if i == 0:
                np.matmul(x1.T, delta, out=self.gWb[0])  # weights and biases at once
            else:
                np.matmul(reads[i].T, delta, out=self.gW[i])
                np.matmul(ones, delta, out=self.gb[i])
                np.matmul(delta, self.W[i].T, out=deltas[i - 1])
                delta = deltas[i - 1]
        return loss

    def predict(self, X: np.ndarray, chunk: int = 8192) -> np.ndarray:
        """The net's output at the rows of X, ``(n,)``; no dropout."""
        out = np.empty(X.shape[0])
        L = self.n_hidden_layers
        for start in range(0, X.shape[0], chunk):
            h = X[start : start + chunk]
            for i in range(L):
                h = h @ self.W[i]
                h += self.b[i]
                self.kernels[i][0](h)
            out[start : start + chunk] = (h @ self.W[L])[:, 0] + self.b[L][0]
        return out

    def mse(self, X: np.ndarray, Y: np.ndarray) -> float:
        r = self.predict(X) - Y[:, 0]
        return float(r @ r) / len(r)

    def residuals(self, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """``r = net(X) − Y``, ``(m,)``, by a forward pass that leaves every activation in the work buffers for
        :meth:`jacobian` (no dropout)."""
        m, d = X.shape
        x1, acts, derivs, deltas, out, ones = self._bufs(m)
        x1[:, :d] = X
        for i in range(self.n_hidden_layers):
            a = acts[i]  # (m, width)
            if i == 0:
                np.matmul(x1, self.Wb[0], out=a)
            else:
                np.matmul(acts[i - 1], self.W[i], out=a)
                np.add(a, self.b[i], out=a)
            self.kernels[i][0](a)
        L = self.n_hidden_layers
        np.matmul(acts[L - 1], self.W[L], out=out)  # (m, 1)
        np.add(out, self.b[L][0], out=out)
        np.subtract(out, Y, out=out)
        self._forward_rows = m
        return out[:, 0].copy()

    def jacobian(self, J: np.ndarray) -> None:
        """The Jacobian dr/dθ of the residuals of the last :meth:`residuals` call, written into ``J``
        ``(m, n_params)``.

        Backprop without the sum over samples: each row of J is one point's gradient of the net's output, in
        ``theta``'s layout. For layer i, ``dr_s/dWb[i][j, k] = [a, 1][s, j] · δ[s, k]`` with δ = dr/dz, so its block
        of J is an outer product per row, written through a ``(m, fan_in + 1, fan_out)`` view of J's columns.
        """
        m = self._forward_rows
        x1, acts, derivs, deltas, out, ones = self._bufs(m)
        L = self.n_hidden_layers
        k, w = self.offsets[L], self.sizes[L]
        J[:, k : k + w] = acts[L - 1]  # dr/dW_out = the last hidden activations
        J[:, k + w] = 1.0  # dr/db_out
        delta = deltas[L - 1]
        delta[...] = self.W[L][:, 0]  # (m, width): dr/d(last hidden output)
        for i in range(L - 1, -1, -1):
            self.kernels[i][1](acts[i], derivs[i])
            np.multiply(delta, derivs[i], out=delta)  # now dr/dz
            fan_in, fan_out = self.sizes[i], self.sizes[i + 1]
            k = self.offsets[i]
            block = np.reshape(J[:, k : k + (fan_in + 1) * fan_out], (m, fan_in + 1, fan_out), copy=False)
            if i == 0:
                np.multiply(x1[:, :, None], delta[:, None, :], out=block)  # weights and biases at once
            else:
                np.multiply(acts[i - 1][:, :, None], delta[:, None, :], out=block[:, :fan_in])
                block[:, fan_in] = delta
                np.matmul(delta, self.W[i].T, out=deltas[i - 1])
                delta = deltas[i - 1]

    def residual_jacobian(self, X: np.ndarray, Y: np.ndarray, J: np.ndarray) -> np.ndarray:
        """Residuals ``r = net(X) − Y`` and their Jacobian into ``J``: :meth:`residuals` then :meth:`jacobian`."""
        r = self.residuals(X, Y)
        self.jacobian(J)
        return r


# -- initial weights ----------------------------------------------------------------------------------------
def _init_weights(net: _Net, scheme: str, rng: np.random.Generator) -> None:
    """Glorot-uniform or He-normal weights; biases uniform in ±1/√fan_in (PyTorch's default for biases).

    Random biases matter in 1D: with zero biases every first-layer unit would turn at the same input.
    """
    for W, b in zip(net.W, net.b):
        fan_in, fan_out = W.shape
        if scheme == "xavier":
            limit = math.sqrt(6.0 / (fan_in + fan_out))
            W[...] = rng.uniform(-limit, limit, size=W.shape)
        else:
            W[...] = rng.normal(0.0, math.sqrt(2.0 / fan_in), size=W.shape)
        bound = 1.0 / math.sqrt(fan_in)
        b[...] = rng.uniform(-bound, bound, size=b.shape)


# -- optimizers: each returns step(t) that updates net.theta in place from net.grad -------------------------
def _adam(net: _Net, lr: float, cfg: FitConfig) -> Callable[[int], None]:
    """Kingma & Ba's Adam: m, v moving averages of g and g², bias-corrected, step lr·m̂/(√v̂ + ε)."""
    theta, g = net.theta, net.grad
    m, v, tmp = np.zeros_like(theta), np.zeros_like(theta), np.empty_like(theta)
    b1, b2, eps = ADAM_BETA1, ADAM_BETA2, ADAM_EPS

    def step(t: int) -> None:  # t = 1, 2, ...
        np.multiply(m, b1, out=m)
        np.multiply(g, 1.0 - b1, out=tmp)
        np.add(m, tmp, out=m)  # m = β1·m + (1 − β1)·g
        np.multiply(v, b2, out=v)
        np.multiply(g, g, out=tmp)
        np.multiply(tmp, 1.0 - b2, out=tmp)
        np.add(v, tmp, out=v)  # v = β2·v + (1 − β2)·g²
        np.divide(v, 1.0 - b2**t, out=tmp)  # v̂
        np.sqrt(tmp, out=tmp)
        np.add(tmp, eps, out=tmp)
        np.divide(m, tmp, out=tmp)
        np.multiply(tmp, lr / (1.0 - b1**t), out=tmp)  # lr · m̂ / (√v̂ + ε)
        np.subtract(theta, tmp, out=theta)

    return step


def _sgd(net: _Net, lr: float, cfg: FitConfig) -> Callable[[int], None]:
    """SGD with momentum μ: buf ← μ·buf + g; θ ← θ − lr·buf (buf starts at 0, as in PyTorch)."""
    theta, g = net.theta, net.grad
    buf, tmp = np.zeros_like(theta), np.empty_like(theta)
    mu = float(cfg.momentum)

    def step(t: int) -> None:
        np.multiply(buf, mu, out=buf)
        np.add(buf, g, out=buf)
        np.multiply(buf, lr, out=tmp)
        np.subtract(theta, tmp, out=theta)

    return step


STEPPERS: dict[str, Callable] = {"adam": _adam, "sgd": _sgd}


# -- data ---------------------------------------------------------------------------------------------------
def _points(domain, n_1d: int, side_2d: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """Evenly spaced points on a 1D or 2D domain as rows ``(n, d)``, and the grid's shape."""
    if len(domain) == 1:
        ((a, b),) = domain
        return np.linspace(a, b, n_1d).reshape(-1, 1), (n_1d,)
    (a, b), (c, d) = domain
    X, Y = np.meshgrid(np.linspace(a, b, side_2d), np.linspace(c, d, side_2d), indexing="xy")
    return np.ascontiguousarray(np.stack([X.ravel(), Y.ravel()], axis=1)), (side_2d, side_2d)


@dataclass(frozen=True)
class _Scaling:
    """x = centre + half · u and y = mean + spread · v: the net trains on (u, v)."""

    centre: np.ndarray  # (d,)
    half: np.ndarray  # (d,)
    mean: float
    spread: float

    def to_unit(self, net: _Net) -> None:
        """Re-express weights that act on (x, y) as weights acting on (u, v), in place."""
        W0, b0 = net.W[0], net.b[0]
        b0 += self.centre @ W0
        W0 *= self.half[:, None]
        L = net.n_hidden_layers
        net.b[L][...] = (net.b[L] - self.mean) / self.spread
        net.W[L][...] /= self.spread

    def to_raw(self, net: _Net) -> None:
        """Inverse of :meth:`to_unit`."""
        W0, b0 = net.W[0], net.b[0]
        W0 /= self.half[:, None]
        b0 -= self.centre @ W0
        L = net.n_hidden_layers
        net.W[L][...] *= self.spread
        net.b[L][...] = net.b[L] * self.spread + self.mean


def _scaling(domain, y: np.ndarray, normalize: bool) -> _Scaling:
    d = len(domain)
    if not normalize:
        return _Scaling(np.zeros(d), np.ones(d), 0.0, 1.0)
    lo = np.array([p[0] for p in domain], dtype=float)
    hi = np.array([p[1] for p in domain], dtype=float)
    mean = float(np.mean(y))
    spread = float(np.std(y))
    if not spread > 1e-12 * (1.0 + abs(mean)):  # a constant target: nothing to scale
        spread = 1.0
    return _Scaling((lo + hi) / 2, (hi - lo) / 2, mean, spread)


# -- entry point --------------------------------------------------------------------------------------------
def fit(
    target: Any,
    hidden: Sequence[int] | None = None,
    activation: str | None = None,
    optimizer: str | None = None,
    lr: float | None = None,
    epochs: int | None = None,
    batch_size: int | None = None,
    dropout: float | None = None,
    init: str | None = None,
    seed: int | None = None,
    init_network: Network | None = None,
    points: int | None = None,
    snapshot_epochs: Sequence[int] | None = None,
    momentum: float | None = None,
    callback: Callable[[int, float], Any] | None = None,
    *,
    domain: tuple[float, float] | None = None,
    ydomain: tuple[float, float] | None = None,
    normalize: bool | None = None,
    goal: float | None = None,
    config: FitConfig | None = None,
    **options: Any,
) -> FitResult:
    """Train a dense net (hidden layers of one activation, linear output) to approximate ``target``.

    Mean squared error on ``points`` evenly spaced training points; gradients by hand-written backprop in
    float64. Deterministic for a seed.

    Parameters
    ----------
    target : Target, str or callable
        1D or 2D; text is parsed with :func:`univ.parse`, a Python function of x (or x, y) is read as a target.
    hidden, activation, optimizer, lr, epochs, batch_size, dropout, init, seed, points, snapshot_epochs, \
momentum, normalize, goal
        The hyper-parameters; see :class:`FitConfig`. A keyword left at ``None`` takes its value from ``config``,
        or else :class:`FitConfig`'s default.
    init_network : Network, optional
        Start from these weights instead of random ones (same hidden sizes and activation, linear output).
    callback : callable, optional
        Called as ``callback(epoch, loss)`` after every epoch (``lbfgs``, ``lm``: iteration), e.g. for a progress
        bar.
    domain, ydomain : (float, float), optional
        Intervals for x and y; default the target's own.
    config : FitConfig, optional
        All hyper-parameters at once; every keyword given explicitly wins over its field. A keyword that is not a
        field of :class:`FitConfig` is an error naming the fields.

    Returns
    -------
    FitResult
        ``.network`` (a :class:`univ.Network`; ``info["method"] == "fit"``, ``info["stopped"]`` why it stopped),
        ``.history`` (losses, snapshots, ``seconds``, ``epochs`` run, ``stop``), ``.config``.

    Raises
    ------
    ConfigError
        A bad hyper-parameter, naming the value and the allowed range; sizes are checked before any work.
    TrainingDiverged
        The loss became NaN or infinite (or grew 1e12-fold); no network is returned.

    Examples
    --------
    >>> result = fit("sin(3x)", hidden=(16,), optimizer="lbfgs", epochs=500)
    >>> bool(result.history.loss[-1] < 1e-5)
    True
    >>> result = fit("sin(3x)", hidden=(8,), optimizer="lm", goal=1e-4)
    >>> result.history.stop, bool(result.rmse <= 1e-4)
    ('goal', True)
    """
    args = locals()  # the keywords as called: each FitConfig field is a parameter of the same name
    from .constructions import resolve_target

    passed = {f.name: args[f.name] for f in fields(FitConfig) if args[f.name] is not None}
    cfg = merge(FitConfig, config, {**passed, **options}, "fit")  # an unknown keyword is named here
    if callback is not None and not callable(callback):
        raise ConfigError(f"callback must be callable, got {callback!r}")

    target = resolve_target(target, domain, ydomain)
    dim = target.dimension
    side = max(2, int(round(math.sqrt(cfg.points))))
    n_points = cfg.points if dim == 1 else side * side
    n_params = n_parameters(dim, cfg.hidden)
    if cfg.optimizer == "lm":
        check_lm_size(n_params, n_points)  # before the target is evaluated or any array is made
    if init_network is not None:
        _check_start(init_network, dim, cfg)
    target.check()  # DomainError where the target is not finite, between training points too

    rng = np.random.default_rng(cfg.seed)
    X, _ = _points(target.domain, cfg.points, side)
    y = target.evaluate(*X.T)  # raises DomainError where the target is not finite
    hx, grid_shape = _points(target.domain, HISTORY_POINTS_1D, HISTORY_POINTS_2D)

    sizes = [dim, *cfg.hidden, 1]
    net = _Net(sizes, [cfg.activation] * len(cfg.hidden))
    scale = _scaling(target.domain, y, cfg.normalize)
    if init_network is None:
        _init_weights(net, cfg.init_scheme, rng)  # drawn for the scaled problem
    else:
        _load(net, init_network, cfg)
        scale.to_unit(net)  # the same function, re-expressed on the scaled problem
    U = np.ascontiguousarray((X - scale.centre) / scale.half)
    V = ((y - scale.mean) / scale.spread).reshape(-1, 1)
    HU = np.ascontiguousarray((hx - scale.centre) / scale.half)

    if cfg.optimizer == "lbfgs":  # imported before the clock starts: seconds measure training, not imports
        import scipy.optimize
    elif cfg.optimizer == "lm":
        import scipy.linalg.lapack  # noqa: F401
    started = time.perf_counter()
    if cfg.optimizer == "lm":
        threads = _blas_threads(float(n_points) * n_params * n_params, LM_SINGLE_THREAD_FLOPS)  # JᵀJ
    else:
        threads = _blas_threads(float(cfg.batch_size or n_points) * max(cfg.hidden) ** 2, SINGLE_THREAD_FLOPS)
    with threads, np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        if cfg.optimizer == "lbfgs":
            loss, shots, stop = _train_lbfgs(net, U, V, cfg, scale, HU, callback)
        elif cfg.optimizer == "lm":
            loss, shots, stop = _train_lm(net, U, V, cfg, scale, HU, callback)
        else:
            loss, shots, stop = _train_steps(net, U, V, cfg, scale, HU, callback, rng)
    seconds = time.perf_counter() - started

    scale.to_raw(net)
    if not np.all(np.isfinite(net.theta)):
        raise TrainingDiverged(_diverged_message(cfg, len(loss) - 1, float("nan")))
    snap_epochs = sorted(shots)
    snapshots = np.array([shots[e] for e in snap_epochs]).reshape(len(snap_epochs), -1)
    for arr in (loss, snapshots, hx):
        arr.setflags(write=False)
    history = History(
        loss=loss,
        snapshot_epochs=snap_epochs,
        snapshots=snapshots,
        x=hx[:, 0] if dim == 1 else hx,
        grid_shape=grid_shape,
        seconds=seconds,
        stop=stop,
    )
    network = Network(_layers(net), info=_info(target, cfg, X.shape[0], loss, seconds, stop))
    return FitResult(network=network, history=history, config=cfg)


def _blas_threads(work: float, single_below: float):
    """One BLAS thread for products of fewer than ``single_below`` flops (``work`` per call), where waking a second
    thread costs more than it saves.

    Uses threadpoolctl when it is installed (an optional speed-up; results are the same either way up to
    rounding, and identical for a given thread count).
    """
    from contextlib import nullcontext

    if work > single_below:
        return nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _check_start(network: Network, dim: int, cfg: FitConfig) -> None:
    """A starting net must have the shape and activations being trained."""
    if not isinstance(network, Network):
        raise ConfigError(f"init_network must be a univ.Network, not {type(network).__name__}")
    acts = [layer.activation for layer in network.hidden]
    if (
        network.input_dim != dim
        or list(network.hidden_sizes) != list(cfg.hidden)
        or any(a != cfg.activation for a in acts)
        or network.output.activation != "linear"
    ):
        raise ConfigError(
            f"init_network is {network!r}; training needs {dim} input(s), hidden layers "
            f"{_shown(cfg.hidden)} of {cfg.activation} and a linear output"
        )


def _load(net: _Net, network: Network, cfg: FitConfig) -> None:
    _check_start(network, net.sizes[0], cfg)
    for i, layer in enumerate(network.layers):
        net.W[i][...] = layer.w
        net.b[i][...] = layer.b


def _layers(net: _Net) -> list[Layer]:
    acts = [*net.activations, "linear"]
    return [Layer(W.copy(), b.copy(), a) for W, b, a in zip(net.W, net.b, acts)]


def _info(target, cfg: FitConfig, n_points: int, loss: np.ndarray, seconds: float, stop: str) -> dict[str, Any]:
    return {
        "method": "fit",
        "expression": target.text,
        "dimension": target.dimension,
        "domain": [list(map(float, p)) for p in target.domain],
        "neurons": int(sum(cfg.hidden)),
        "hidden": list(cfg.hidden),
        "activation": cfg.activation,
        "optimizer": cfg.optimizer,
        "lr": cfg.learning_rate,
        "epochs": cfg.epochs,
        "epochs_run": int(len(loss) - 1),
        "batch_size": cfg.batch_size,
        "dropout": float(cfg.dropout),
        "init": cfg.init_scheme,
        "momentum": float(cfg.momentum) if cfg.optimizer == "sgd" else None,
        "seed": int(cfg.seed),
        "points": int(n_points),
        "normalize": bool(cfg.normalize),
        "goal": None if cfg.goal is None else float(cfg.goal),
        "final_loss": float(loss[-1]),
        "seconds": float(seconds),
        "stopped": stop,
    }


def _diverged_message(cfg: FitConfig, epoch: int, loss: float) -> str:
    what = "iteration" if cfg.optimizer in FULL_BATCH else "epoch"
    if cfg.optimizer in FULL_BATCH:
        hint = "try another seed or init, or adam with a small lr"
    else:
        lr = cfg.learning_rate
        hint = f"lr {lr:g} is too large; try {lr / 10:g} or smaller"
    return f"training diverged at {what} {epoch} (loss {loss:.3g}); {hint}"


def _check(loss: float, limit: float, cfg: FitConfig, epoch: int, raw: float) -> None:
    if not (loss <= limit):  # also catches NaN
        raise TrainingDiverged(_diverged_message(cfg, epoch, raw))


def _goal_loss(cfg: FitConfig) -> float:
    """The MSE (target's units) at or below which training stops; -1 (never) without a goal."""
    return -1.0 if cfg.goal is None else float(cfg.goal) ** 2


def _train_steps(net: _Net, U, V, cfg: FitConfig, scale: _Scaling, HU, callback, rng):
    """Adam or SGD over epochs of (mini-)batches. Returns (loss per epoch, snapshots, stop reason)."""
    step = STEPPERS[cfg.optimizer](net, cfg.learning_rate, cfg)
    unit = scale.spread**2  # normalized MSE × unit = MSE in the target's units
    E, n = cfg.epochs, U.shape[0]
    loss = np.empty(E + 1)
    wanted = set(cfg.snapshots_at) | {E}
    shots: dict[int, np.ndarray] = {}
    goal = _goal_loss(cfg)

    def snap(e: int, force: bool = False) -> None:
        if force or e in wanted:
            shots[e] = scale.mean + scale.spread * net.predict(HU)

    def reached(e: int) -> tuple[np.ndarray, dict, str]:
        snap(e, force=True)
        return loss[: e + 1].copy(), shots, "goal"

    full = cfg.batch_size is None or cfg.batch_size >= n
    limit = np.inf
    if full and not cfg.dropout:
        # the forward pass of step e+1 measures the loss after epoch e: no extra pass needed
        for e in range(E):
            ell = net.loss_grad(U, V)
            if e == 0:
                limit = DIVERGED_FACTOR * max(ell, float(np.mean(V * V)), 1e-12)
            loss[e] = ell * unit
            _check(ell, limit, cfg, e, loss[e])
            if e and callback is not None:
                callback(e, float(loss[e]))
            if loss[e] <= goal:
                return reached(e)
            snap(e)
            step(e + 1)
        ell = net.mse(U, V)
        loss[E] = ell * unit
        _check(ell, limit, cfg, E, loss[E])
        if callback is not None:
            callback(E, float(loss[E]))
        snap(E)
        return loss, shots, "goal" if loss[E] <= goal else "epochs"

    ell = net.mse(U, V)
    limit = DIVERGED_FACTOR * max(ell, float(np.mean(V * V)), 1e-12)
    loss[0] = ell * unit
    if loss[0] <= goal:
        return reached(0)
    snap(0)
    size = n if full else cfg.batch_size
    Ub, Vb = np.empty((size, U.shape[1])), np.empty((size, 1))
    t = 0
    for e in range(1, E + 1):
        order = rng.permutation(n) if not full else None
        for i in range(0, n, size):
            if order is None:
                xb, yb = U, V
            else:
                idx = order[i : i + size]
                xb, yb = Ub[: len(idx)], Vb[: len(idx)]
                np.take(U, idx, axis=0, out=xb)
                np.take(V, idx, axis=0, out=yb)
            t += 1
            net.loss_grad(xb, yb, rng, cfg.dropout)
            step(t)
        ell = net.mse(U, V)
        loss[e] = ell * unit
        _check(ell, limit, cfg, e, loss[e])
        if callback is not None:
            callback(e, float(loss[e]))
        if loss[e] <= goal:
            return reached(e)
        snap(e)
    return loss, shots, "epochs"


class _GoalReached(Exception):
    """Raised from inside scipy's L-BFGS callback to stop at the goal; carries the parameters reached."""

    def __init__(self, x: np.ndarray):
        super().__init__("goal reached")
        self.x = x


def _train_lbfgs(net: _Net, U, V, cfg: FitConfig, scale: _Scaling, HU, callback):
    """scipy's L-BFGS-B on the flat parameters, run to its iteration budget (tolerances set tiny) or the goal."""
    from scipy.optimize import minimize

    unit = scale.spread**2
    wanted = set(cfg.snapshots_at)
    shots: dict[int, np.ndarray] = {}
    losses: list[float] = []
    goal = _goal_loss(cfg)
    x0 = net.theta.copy()
    ell0 = net.loss_grad(U, V)
    limit = DIVERGED_FACTOR * max(ell0, float(np.mean(V * V)), 1e-12)
    losses.append(ell0 * unit)
    _check(ell0, limit, cfg, 0, losses[0])
    if 0 in wanted:
        shots[0] = scale.mean + scale.spread * net.predict(HU)
    if losses[0] <= goal:
        shots[0] = scale.mean + scale.spread * net.predict(HU)
        return np.array(losses), shots, "goal"

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        net.theta[...] = theta
        ell = net.loss_grad(U, V)
        if not math.isfinite(ell):  # let the line search back off rather than feed NaN to scipy
            return math.inf, np.zeros_like(theta)
        return ell, net.grad.copy()

    def on_iteration(intermediate_result) -> None:
        k = len(losses)
        ell = float(intermediate_result.fun)
        losses.append(ell * unit)
        _check(ell, limit, cfg, k, losses[-1])
        if callback is not None:
            callback(k, losses[-1])
        if k in wanted:
            net.theta[...] = intermediate_result.x
            shots[k] = scale.mean + scale.spread * net.predict(HU)
        if losses[-1] <= goal:
            raise _GoalReached(np.array(intermediate_result.x, copy=True))

    stop = None
    try:
        res = minimize(
            fun,
            x0,
            jac=True,
            method="L-BFGS-B",
            callback=on_iteration,
            options={
                "maxiter": cfg.epochs,
                "maxfun": 20 * cfg.epochs + 100,
                "ftol": LBFGS_FTOL,
                "gtol": LBFGS_GTOL,
                "maxcor": LBFGS_MEMORY,
            },
        )
        net.theta[...] = res.x
    except _GoalReached as reached:
        net.theta[...] = reached.x
        stop = "goal"
    final = net.mse(U, V)
    loss = np.array(losses)
    _check(final, limit, cfg, len(loss) - 1, final * unit)
    loss[-1] = final * unit  # the loss of the parameters returned
    last = len(loss) - 1
    shots = {e: s for e, s in shots.items() if e <= last}
    shots[last] = scale.mean + scale.spread * net.predict(HU)
    if stop is None:
        if loss[-1] <= goal:
            stop = "goal"
        else:
            stop = "epochs" if last >= cfg.epochs else f"lbfgs stopped early: {res.message}"
    return loss, shots, stop


def _train_lm(net: _Net, U, V, cfg: FitConfig, scale: _Scaling, HU, callback):
    """Levenberg–Marquardt on the sum of squared residuals r(θ) = net(U) − V.

    Each iteration solves ``(JᵀJ + λ·D) δ = −Jᵀr`` by Cholesky, with J from :meth:`_Net.residual_jacobian` and D
    the largest diagonal of JᵀJ seen so far (Marquardt's scaling, kept monotone as in Moré 1978). A step that
    lowers the loss is taken and λ shrinks by Nielsen's rule ``max(1/3, 1 − (2ρ − 1)³)`` (ρ: actual over
    predicted reduction); one that does not is retried with λ·ν, ν doubling (Nielsen 1999; Madsen, Nielsen &
    Tingleff 2004, Algorithm 3.16). An iteration is one accepted step. Stops at the goal, when λ passes
    ``LM_MAX_DAMPING``, a step gains less than ``LM_MIN_IMPROVEMENT`` or the RMSE is down to ``LM_ROUNDING`` of
    the values' scale (stalled), or after ``epochs`` iterations.
    """
    from scipy.linalg.lapack import dposv  # Cholesky factor and solve in one call; info > 0: not positive definite

    unit = scale.spread**2
    m, P = U.shape[0], net.theta.size
    goal_sse = _goal_loss(cfg) / unit * m  # the goal as a sum of squares on the scaled problem
    wanted = set(cfg.snapshots_at)
    shots: dict[int, np.ndarray] = {}

    def snap(k: int) -> None:
        shots[k] = scale.mean + scale.spread * net.predict(HU)

    J = np.empty((m, P))  # (points, parameters)
    A, M = np.empty((P, P)), np.empty((P, P), order="F")  # M: LAPACK factors it in place
    D, theta0 = np.zeros(P), np.empty(P)
    r = net.residual_jacobian(U, V, J)
    sse = float(r @ r)
    limit = DIVERGED_FACTOR * max(sse / m, float(np.mean(V * V)), 1e-12)
    rounding = m * LM_ROUNDING**2 * max(float(np.mean(V * V)), 1.0)  # V has unit spread when normalized
    losses = [sse / m * unit]
    _check(sse / m, limit, cfg, 0, losses[0])
    if 0 in wanted:
        snap(0)
    lam, nu = LM_DAMPING, 2.0
    stop = "goal" if sse <= goal_sse else "epochs"
    k = 0
    while stop == "epochs" and k < cfg.epochs:
        np.matmul(J.T, J, out=A)  # JᵀJ, (P, P)
        g = J.T @ r  # Jᵀr, the gradient of sse / 2
        np.maximum(D, A.diagonal(), out=D)
        Dk = np.maximum(D, LM_DIAGONAL_FLOOR * D.max())
        theta0[...] = net.theta
        while True:
            M[...] = A
            M.flat[:: P + 1] += lam * Dk
            _, step, info = dposv(M, g, overwrite_a=True)
            if info == 0:  # else not positive definite in floating point: damp more
                np.negative(step, out=step)
                np.add(theta0, step, out=net.theta)
                res = net.residuals(U, V)  # its activations stay for the Jacobian if the step is taken
                new_sse = float(res @ res)
                if new_sse < sse:  # False for NaN too
                    predicted = lam * float((step * Dk) @ step) - float(step @ g)  # ‖r‖² − ‖r + Jδ‖²
                    rho = (sse - new_sse) / predicted if predicted > 0 else 0.0
                    lam = max(lam * max(1.0 / 3.0, 1.0 - (2.0 * rho - 1.0) ** 3), LM_MIN_DAMPING)
                    nu = 2.0
                    break
            lam *= nu
            nu *= 2.0
            if lam > LM_MAX_DAMPING:
                net.theta[...] = theta0
                stop = f"lm stalled: no step lowers the loss (damping above {LM_MAX_DAMPING:g})"
                break
        if stop != "epochs":
            break
        k += 1
        gained = (sse - new_sse) / sse
        net.jacobian(J)  # at the parameters just taken
        r, sse = res, new_sse
        losses.append(sse / m * unit)
        _check(sse / m, limit, cfg, k, losses[-1])
        if callback is not None:
            callback(k, losses[-1])
        if k in wanted:
            snap(k)
        if sse <= goal_sse:
            stop = "goal"
        elif gained < LM_MIN_IMPROVEMENT:
            stop = f"lm stalled: the last step lowered the loss by less than {LM_MIN_IMPROVEMENT:g} of itself"
        elif sse <= rounding:
            stop = "lm stalled: the training error is down to rounding error"
    snap(k)
    return np.array(losses), shots, stop


def loss_and_gradient(
    network: Network, points: np.ndarray, values: np.ndarray
) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
    """Mean squared error of ``network`` on (points, values) and its gradient by backprop, layer by layer.

    Parameters
    ----------
    network : Network
        Hidden layers of tanh, relu or sigmoid; a linear output.
    points : ndarray, shape (n,) or (n, d)
    values : ndarray, shape (n,)

    Returns
    -------
    loss : float
    gradient : list of (dW, db)
        One pair per layer, shaped like the layer's ``w`` and ``b``.
    """
    acts = [layer.activation for layer in network.hidden]
    bad = [a for a in acts if a not in ACTIVATION_NAMES] + (
        [network.output.activation] if network.output.activation != "linear" else []
    )
    if bad:
        raise ConfigError(
            f"cannot differentiate activation {bad[0]!r}: hidden layers must be one of "
            f"{', '.join(ACTIVATION_NAMES)} and the output linear"
        )
    if not network.hidden:
        raise ConfigError("the network needs at least one hidden layer")
    net = _Net([network.input_dim, *network.hidden_sizes, 1], acts)
    for i, layer in enumerate(network.layers):
        net.W[i][...] = layer.w
        net.b[i][...] = layer.b
    X = np.ascontiguousarray(np.asarray(points, dtype=float).reshape(-1, network.input_dim))
    Y = np.asarray(values, dtype=float).reshape(-1, 1).copy()
    if X.shape[0] != Y.shape[0]:
        raise ConfigError(f"{X.shape[0]} points but {Y.shape[0]} values")
    loss = net.loss_grad(X, Y)
    return loss, [(gW.copy(), gb.copy()) for gW, gb in zip(net.gW, net.gb)]
