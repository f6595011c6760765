"""Gradient training of a dense net on a target: backprop by hand in numpy, Adam, SGD with momentum, L-BFGS."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, fields, replace
from typing import Any, Callable, Sequence

import numpy as np

from .activations import ACTIVATIONS
from .errors import ConfigError, TrainingDiverged
from .network import Layer, Network

ACTIVATION_NAMES = ("tanh", "relu", "sigmoid")
OPTIMIZERS = ("adam", "sgd", "lbfgs")
INITS = ("xavier", "he")
DEFAULT_INIT = {"tanh": "xavier", "sigmoid": "xavier", "relu": "he"}
DEFAULT_LR = {"adam": 0.01, "sgd": 0.01, "lbfgs": None}  # lbfgs finds its own step by line search
DEFAULT_EPOCHS = 2000
ADAM_BETA1, ADAM_BETA2, ADAM_EPS = 0.9, 0.999, 1e-8  # Kingma & Ba (2015), Algorithm 1
LBFGS_FTOL = 1e-20  # scipy's default (2.2e-9 relative) stops long before a small loss; run to the budget
LBFGS_GTOL = 1e-20
LBFGS_MEMORY = 20  # correction pairs kept
MAX_EPOCHS = 1_000_000
MAX_LR = 1e6
MAX_LAYERS = 100
MAX_WIDTH = 100_000
MAX_PARAMETERS = 10_000_000
MAX_POINTS = 100_000
MAX_BATCH_ACTIVATIONS = 20_000_000  # batch rows × hidden neurons held at once (160 MB of float64 per buffer)
SNAPSHOTS = 30  # default count of log-spaced snapshot epochs (plus epoch 0)
HISTORY_POINTS_1D = 201  # the fixed grid snapshots are taken on
HISTORY_POINTS_2D = 41  # per side
SINGLE_THREAD_FLOPS = 20_000_000  # rows × width² below which training keeps BLAS to one thread
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
        ``adam``, ``sgd`` (with momentum) or ``lbfgs`` (full batch, line search; ``epochs`` is its iteration
        budget).
    lr : float or None
        Learning rate; ``None`` takes ``DEFAULT_LR[optimizer]``. Not used by ``lbfgs``.
    epochs : int
        Passes over the training points (iterations for ``lbfgs``), 1 to 1,000,000.
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

    def __post_init__(self) -> None:
        hidden = self.hidden
        if isinstance(hidden, (int, np.integer)) and not isinstance(hidden, bool):
            hidden = (hidden,)
        try:
            hidden = tuple(hidden)
        except TypeError:
            raise ConfigError(f"hidden must be a sequence of layer widths, got {self.hidden!r}") from None
        if not hidden:
            raise ConfigError("hidden must name at least one hidden layer, got an empty list")
        if len(hidden) > MAX_LAYERS:
            raise ConfigError(f"at most {MAX_LAYERS} hidden layers, got {len(hidden)}")
        for w in hidden:
            if not _is_int(w) or not 1 <= w <= MAX_WIDTH:
                raise ConfigError(f"hidden layer widths must be whole numbers from 1 to {MAX_WIDTH}, got {w!r}")
        hidden = tuple(int(w) for w in hidden)
        object.__setattr__(self, "hidden", hidden)
        sizes = [2, *hidden, 1]
        n_params = sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))
        if n_params > MAX_PARAMETERS:
            raise ConfigError(f"hidden layers {list(hidden)} need {n_params:,} parameters; the limit is "
                              f"{MAX_PARAMETERS:,}")
        if self.activation not in ACTIVATION_NAMES:
            raise ConfigError(f"unknown activation {self.activation!r}; choose one of {', '.join(ACTIVATION_NAMES)}")
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
        if self.init is not None and self.init not in INITS:
            raise ConfigError(f"unknown init {self.init!r}; choose one of {', '.join(INITS)}")
        if self.lr is not None:
            if not _is_real(self.lr) or not 0 < self.lr <= MAX_LR:
                raise ConfigError(f"lr must be a number in (0, {MAX_LR:g}], got {self.lr!r}")
            if self.optimizer == "lbfgs":
                raise ConfigError(f"lbfgs chooses its own steps by line search; lr {self.lr!r} does not apply")
        if not _is_int(self.epochs) or not 1 <= self.epochs <= MAX_EPOCHS:
            raise ConfigError(f"epochs must be a whole number from 1 to {MAX_EPOCHS:,}, got {self.epochs!r}")
        if not _is_int(self.points) or not 2 <= self.points <= MAX_POINTS:
            raise ConfigError(f"points must be a whole number from 2 to {MAX_POINTS:,}, got {self.points!r}")
        if self.batch_size is not None:
            if not _is_int(self.batch_size) or not 1 <= self.batch_size <= self.points:
                raise ConfigError(
                    f"batch_size must be a whole number from 1 to points ({self.points}), got {self.batch_size!r}"
                )
            if self.optimizer == "lbfgs":
                raise ConfigError("lbfgs trains on the full batch; leave batch_size unset")
        rows = self.batch_size or self.points
        if rows * sum(hidden) > MAX_BATCH_ACTIVATIONS:
            raise ConfigError(
                f"a batch of {rows} points through {sum(hidden)} hidden neurons is too large "
                f"(limit {MAX_BATCH_ACTIVATIONS:,} activations); use a smaller batch_size or fewer points"
            )
        if not _is_real(self.dropout) or not 0.0 <= self.dropout < 1.0:
            raise ConfigError(f"dropout must be a probability in [0, 1), got {self.dropout!r}")
        if self.dropout and self.optimizer == "lbfgs":
            raise ConfigError("dropout makes the loss random, which breaks lbfgs's line search; use adam or sgd")
        if not _is_real(self.momentum) or not 0.0 <= self.momentum < 1.0:
            raise ConfigError(f"momentum must be in [0, 1), got {self.momentum!r}")
        if not _is_int(self.seed) or self.seed < 0:
            raise ConfigError(f"seed must be a whole number ≥ 0, got {self.seed!r}")
        if not isinstance(self.normalize, (bool, np.bool_)):
            raise ConfigError(f"normalize must be True or False, got {self.normalize!r}")
        if self.snapshot_epochs is not None:
            try:
                epochs = sorted(set(self.snapshot_epochs))
            except TypeError:
                raise ConfigError(
                    f"snapshot_epochs must be a list of whole numbers, got {self.snapshot_epochs!r}"
                ) from None
            for e in epochs:
                if not _is_int(e) or not 0 <= e <= self.epochs:
                    raise ConfigError(f"snapshot epochs must be whole numbers from 0 to epochs ({self.epochs}), "
                                      f"got {e!r}")
            object.__setattr__(self, "snapshot_epochs", tuple(int(e) for e in epochs))

    @property
    def learning_rate(self) -> float | None:
        """``lr``, or the optimizer's default when it is ``None`` (``None`` for lbfgs)."""
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


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _is_real(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and math.isfinite(v)


# -- results ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
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
    """

    loss: np.ndarray
    snapshot_epochs: list[int]
    snapshots: np.ndarray
    x: np.ndarray
    grid_shape: tuple[int, ...]
    seconds: float

    @property
    def epochs(self) -> int:
        """Epochs actually run (lbfgs may stop before its budget when it can go no further)."""
        return len(self.loss) - 1


@dataclass(frozen=True, eq=False)
class FitResult:
    """A trained :class:`univ.Network`, its training history and the configuration that made it."""

    network: Network
    history: History
    config: FitConfig


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
        k = 0
        for fan_in, fan_out in zip(self.sizes, self.sizes[1:]):
            for flat, ws, bs, wbs in ((self.theta, self.W, self.b, self.Wb), (self.grad, self.gW, self.gb, self.gWb)):
                wb = flat[k : k + (fan_in + 1) * fan_out].reshape(fan_in + 1, fan_out)
                wbs.append(wb)
                ws.append(wb[:fan_in])
                bs.append(wb[fan_in])
            k += (fan_in + 1) * fan_out
        self._buffers: dict[int, tuple] = {}

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

    def loss_grad(self, X: np.ndarray, Y: np.ndarray, rng: np.random.Generator | None = None,
                  dropout: float = 0.0) -> float:
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
        (a, b), = domain
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
    hidden: Sequence[int] = (16, 16, 16),
    activation: str = "tanh",
    optimizer: str = "adam",
    lr: float | None = None,
    epochs: int = DEFAULT_EPOCHS,
    batch_size: int | None = None,
    dropout: float = 0.0,
    init: str | None = None,
    seed: int = 0,
    init_network: Network | None = None,
    points: int = 1000,
    snapshot_epochs: Sequence[int] | None = None,
    momentum: float = 0.9,
    callback: Callable[[int, float], Any] | None = None,
    *,
    domain: tuple[float, float] | None = None,
    normalize: bool = True,
    config: FitConfig | None = None,
) -> FitResult:
    """Train a dense net (hidden layers of one activation, linear output) to approximate ``target``.

    Mean squared error on ``points`` evenly spaced training points; gradients by hand-written backprop in
    float64. Deterministic for a seed.

    Parameters
    ----------
    target : Target or str
        1D or 2D; text is parsed with :func:`univ.parse`.
    hidden, activation, optimizer, lr, epochs, batch_size, dropout, init, seed, points, snapshot_epochs, \
momentum, normalize
        The hyper-parameters; see :class:`FitConfig`.
    init_network : Network, optional
        Start from these weights instead of random ones (same hidden sizes and activation, linear output).
    callback : callable, optional
        Called as ``callback(epoch, loss)`` after every epoch (``lbfgs``: iteration), e.g. for a progress bar.
    domain : (float, float), optional
        Interval for x; defaults to the target's domain.
    config : FitConfig, optional
        All hyper-parameters at once; keyword arguments that differ from ``FitConfig``'s defaults override it.

    Returns
    -------
    FitResult
        ``.network`` (a :class:`univ.Network`; ``info["method"] == "fit"``), ``.history``, ``.config``.

    Raises
    ------
    ConfigError
        A bad hyper-parameter, naming the value and the allowed range.
    TrainingDiverged
        The loss became NaN or infinite (or grew 1e12-fold); no network is returned.

    Examples
    --------
    >>> result = fit("sin(3x)", hidden=(16,), optimizer="lbfgs", epochs=500)
    >>> bool(result.history.loss[-1] < 1e-5)
    True
    """
    from .parse import Target, parse

    given = dict(hidden=hidden, activation=activation, optimizer=optimizer, lr=lr, epochs=epochs,
                 batch_size=batch_size, dropout=dropout, init=init, seed=seed, points=points,
                 snapshot_epochs=snapshot_epochs, momentum=momentum, normalize=normalize)
    if isinstance(given["hidden"], (list, np.ndarray)):
        given["hidden"] = tuple(given["hidden"])
    if isinstance(given["snapshot_epochs"], (list, np.ndarray)):
        given["snapshot_epochs"] = tuple(given["snapshot_epochs"])
    if config is None:
        cfg = FitConfig(**given)
    else:
        if not isinstance(config, FitConfig):
            raise ConfigError(f"config must be a FitConfig, not {type(config).__name__}")
        defaults = {f.name: f.default for f in fields(FitConfig)}
        cfg = replace(config, **{k: v for k, v in given.items() if not _same(v, defaults[k])})
    if callback is not None and not callable(callback):
        raise ConfigError(f"callback must be callable, got {callback!r}")

    if isinstance(target, str):
        target = parse(target)
    elif not isinstance(target, Target):
        raise ConfigError(f"target must be text or a Target from univ.parse, not {type(target).__name__}")
    if domain is not None:
        target = target.with_domain(domain)
    target.check()  # DomainError where the target is not finite, between training points too

    rng = np.random.default_rng(cfg.seed)
    side = max(2, int(round(math.sqrt(cfg.points))))
    X, _ = _points(target.domain, cfg.points, side)
    y = target.evaluate(*X.T)  # raises DomainError where the target is not finite
    hx, grid_shape = _points(target.domain, HISTORY_POINTS_1D, HISTORY_POINTS_2D)

    sizes = [target.dimension, *cfg.hidden, 1]
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

    started = time.perf_counter()
    rows = cfg.batch_size or X.shape[0]
    with _blas_threads(rows, max(cfg.hidden)), np.errstate(over="ignore", invalid="ignore", divide="ignore",
                                                           under="ignore"):
        if cfg.optimizer == "lbfgs":
            loss, shots, stop = _train_lbfgs(net, U, V, cfg, scale, HU, callback)
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
        x=hx[:, 0] if target.dimension == 1 else hx,
        grid_shape=grid_shape,
        seconds=seconds,
    )
    network = Network(_layers(net), info=_info(target, cfg, X.shape[0], loss, seconds, stop))
    return FitResult(network=network, history=history, config=cfg)


def _blas_threads(rows: int, width: int):
    """One BLAS thread for small products, where waking a second thread costs more than it saves.

    Uses threadpoolctl when it is installed (an optional speed-up; results are the same either way up to
    rounding, and identical for a given thread count).
    """
    from contextlib import nullcontext

    if rows * width * width > SINGLE_THREAD_FLOPS:
        return nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _same(a: Any, b: Any) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except (TypeError, ValueError):
        return False


def _load(net: _Net, network: Network, cfg: FitConfig) -> None:
    if not isinstance(network, Network):
        raise ConfigError(f"init_network must be a univ.Network, not {type(network).__name__}")
    acts = [layer.activation for layer in network.hidden]
    if (network.input_dim != net.sizes[0] or list(network.hidden_sizes) != list(cfg.hidden)
            or any(a != cfg.activation for a in acts) or network.output.activation != "linear"):
        raise ConfigError(
            f"init_network is {network!r}; training needs {net.sizes[0]} input(s), hidden layers "
            f"{list(cfg.hidden)} of {cfg.activation} and a linear output"
        )
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
        "final_loss": float(loss[-1]),
        "seconds": float(seconds),
        "stopped": stop,
    }


def _diverged_message(cfg: FitConfig, epoch: int, loss: float) -> str:
    what = "iteration" if cfg.optimizer == "lbfgs" else "epoch"
    if cfg.optimizer == "lbfgs":
        hint = "try another seed or init, or adam with a small lr"
    else:
        lr = cfg.learning_rate
        hint = f"lr {lr:g} is too large; try {lr / 10:g} or smaller"
    return f"training diverged at {what} {epoch} (loss {loss:.3g}); {hint}"


def _check(loss: float, limit: float, cfg: FitConfig, epoch: int, raw: float) -> None:
    if not (loss <= limit):  # also catches NaN
        raise TrainingDiverged(_diverged_message(cfg, epoch, raw))


def _train_steps(net: _Net, U, V, cfg: FitConfig, scale: _Scaling, HU, callback, rng):
    """Adam or SGD over epochs of (mini-)batches. Returns (loss per epoch, snapshots, stop reason)."""
    step = STEPPERS[cfg.optimizer](net, cfg.learning_rate, cfg)
    unit = scale.spread**2  # normalized MSE × unit = MSE in the target's units
    E, n = cfg.epochs, U.shape[0]
    loss = np.empty(E + 1)
    wanted = set(cfg.snapshots_at) | {E}
    shots: dict[int, np.ndarray] = {}

    def snap(e: int) -> None:
        if e in wanted:
            shots[e] = scale.mean + scale.spread * net.predict(HU)

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
            snap(e)
            step(e + 1)
        ell = net.mse(U, V)
        loss[E] = ell * unit
        _check(ell, limit, cfg, E, loss[E])
        if callback is not None:
            callback(E, float(loss[E]))
        snap(E)
        return loss, shots, "epochs"

    ell = net.mse(U, V)
    limit = DIVERGED_FACTOR * max(ell, float(np.mean(V * V)), 1e-12)
    loss[0] = ell * unit
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
        snap(e)
    return loss, shots, "epochs"


def _train_lbfgs(net: _Net, U, V, cfg: FitConfig, scale: _Scaling, HU, callback):
    """scipy's L-BFGS-B on the flat parameters, run to its iteration budget (tolerances set tiny)."""
    from scipy.optimize import minimize

    unit = scale.spread**2
    wanted = set(cfg.snapshots_at)
    shots: dict[int, np.ndarray] = {}
    losses: list[float] = []
    x0 = net.theta.copy()
    ell0 = net.loss_grad(U, V)
    limit = DIVERGED_FACTOR * max(ell0, float(np.mean(V * V)), 1e-12)
    losses.append(ell0 * unit)
    _check(ell0, limit, cfg, 0, losses[0])
    if 0 in wanted:
        shots[0] = scale.mean + scale.spread * net.predict(HU)

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

    res = minimize(
        fun, x0, jac=True, method="L-BFGS-B", callback=on_iteration,
        options={"maxiter": cfg.epochs, "maxfun": 20 * cfg.epochs + 100, "ftol": LBFGS_FTOL,
                 "gtol": LBFGS_GTOL, "maxcor": LBFGS_MEMORY},
    )
    net.theta[...] = res.x
    final = net.mse(U, V)
    loss = np.array(losses)
    _check(final, limit, cfg, len(loss) - 1, final * unit)
    loss[-1] = final * unit  # the loss of the parameters returned
    last = len(loss) - 1
    shots = {e: s for e, s in shots.items() if e <= last}
    shots[last] = scale.mean + scale.spread * net.predict(HU)
    stop = "epochs" if last >= cfg.epochs else f"lbfgs stopped early: {res.message}"
    return loss, shots, stop


def loss_and_gradient(network: Network, points: np.ndarray, values: np.ndarray
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
    bad = [a for a in acts if a not in ACTIVATION_NAMES] + ([network.output.activation]
                                                   if network.output.activation != "linear" else [])
    if bad:
        raise ConfigError(f"cannot differentiate activation {bad[0]!r}: hidden layers must be one of "
                          f"{', '.join(ACTIVATION_NAMES)} and the output linear")
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
