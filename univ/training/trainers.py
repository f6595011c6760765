"""``fit``: a target and hyper-parameters in, a trained Network and its history out; the epoch loops of Adam and SGD."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from ..constructions import resolve_target
from ..errors import ConfigError, TrainingDiverged
from ..network import Network
from ..validate import merge
from .config import FitConfig, check_lm_size, n_parameters, shown_widths
from .net import FlatNet, Scaling, init_weights
from .optimizers import LevenbergMarquardt, lbfgs, stepper
from .recorder import Recorder, diverged_message
from .results import FitResult, History

HISTORY_POINTS_1D = 201  # the fixed grid snapshots are taken on
HISTORY_POINTS_2D = 41  # per side
SINGLE_THREAD_FLOPS = 20_000_000  # flops per BLAS call below which training keeps BLAS to one thread
# lm's JᵀJ: with the machine's 2 cores shared, one thread was 6-20x faster than two at 2e7-4e8 flops per product
LM_SINGLE_THREAD_FLOPS = 1_000_000_000


def fit(
    target: Any,
    *,
    hidden: Sequence[int] | None = None,
    activation: str | None = None,
    optimizer: str | None = None,
    lr: float | None = None,
    epochs: int | None = None,
    batch_size: int | None = None,
    dropout: float | None = None,
    init: str | None = None,
    seed: int | None = None,
    points: int | None = None,
    snapshot_epochs: Sequence[int] | None = None,
    momentum: float | None = None,
    normalize: bool | None = None,
    goal: float | None = None,
    init_network: Network | None = None,
    callback: Callable[[int, float], Any] | None = None,
    domain: tuple[float, float] | None = None,
    ydomain: tuple[float, float] | None = None,
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
        The hyper-parameters, keyword only; see :class:`FitConfig`. A keyword left at ``None`` takes its value
        from ``config``, or else :class:`FitConfig`'s default.
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
    passed = {f.name: args[f.name] for f in fields(FitConfig) if args[f.name] is not None}
    cfg = merge(FitConfig, config, {**passed, **options}, "fit")  # an unknown keyword is named here
    if callback is not None and not callable(callback):
        raise ConfigError(f"callback must be callable, got {callback!r}")
    problem = _Problem.of(resolve_target(target, domain, ydomain), cfg, init_network)
    started = time.perf_counter()
    with problem.threads(), np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        rec = Recorder(problem.net, cfg, problem.scale, problem.HU, problem.V, callback)
        loss, shots, stop = rec.finish(_train(problem, rec))
    return problem.result(loss, shots, stop, time.perf_counter() - started)


@dataclass
class _Problem:
    """One training run set up: the net (initial weights drawn or loaded), the scaled training points and values,
    the snapshot grid, and the scaling back to the target's units."""

    target: Any
    cfg: FitConfig
    net: FlatNet
    scale: Scaling
    X: np.ndarray  # (m, d) training points
    U: np.ndarray  # (m, d) the same, scaled
    V: np.ndarray  # (m, 1) scaled values
    hx: np.ndarray  # (n, d) the snapshot grid
    HU: np.ndarray  # (n, d) the same, scaled
    grid_shape: tuple[int, ...]
    rng: np.random.Generator  # the run's one generator: initial weights, then shuffling and dropout

    @classmethod
    def of(cls, target: Any, cfg: FitConfig, init_network: Network | None) -> _Problem:
        """Check the sizes, then evaluate the target and build the net; nothing is made before the checks."""
        dim = target.dimension
        side = max(2, int(round(math.sqrt(cfg.points))))
        if cfg.optimizer == "lm":
            check_lm_size(n_parameters(dim, cfg.hidden), cfg.points if dim == 1 else side * side)
        if init_network is not None:
            _check_start(init_network, dim, cfg)
        target.check()  # DomainError where the target is not finite, between training points too
        rng = np.random.default_rng(cfg.seed)
        X, _ = _points(target.domain, cfg.points, side)
        y = target.evaluate(*X.T)  # raises DomainError where the target is not finite
        hx, grid_shape = _points(target.domain, HISTORY_POINTS_1D, HISTORY_POINTS_2D)
        net = FlatNet([dim, *cfg.hidden, 1], [cfg.activation] * len(cfg.hidden))
        scale = Scaling.of(target.domain, y, cfg.normalize)
        if init_network is None:
            init_weights(net, cfg.init_scheme, rng)  # drawn for the scaled problem
        else:
            net.load(init_network)
            scale.to_unit(net)  # the same function, re-expressed on the scaled problem
        U = np.ascontiguousarray((X - scale.centre) / scale.half)
        V = ((y - scale.mean) / scale.spread).reshape(-1, 1)
        HU = np.ascontiguousarray((hx - scale.centre) / scale.half)
        if cfg.optimizer == "lbfgs":  # imported before the clock starts: seconds measure training, not imports
            import scipy.optimize
        elif cfg.optimizer == "lm":
            import scipy.linalg.lapack  # noqa: F401
        return cls(target, cfg, net, scale, X, U, V, hx, HU, grid_shape, rng)

    def threads(self):
        """One BLAS thread for products too small for a second thread to pay (threadpoolctl), else as BLAS likes.

        Results are the same either way up to rounding, and identical for a given thread count.
        """
        cfg, m, P = self.cfg, self.U.shape[0], self.net.theta.size
        if cfg.optimizer == "lm":
            work, single_below = float(m) * P * P, LM_SINGLE_THREAD_FLOPS  # JᵀJ
        else:
            work, single_below = float(cfg.batch_size or m) * max(cfg.hidden) ** 2, SINGLE_THREAD_FLOPS
        return threadpool_limits(limits=1, user_api="blas") if work <= single_below else nullcontext()

    def result(self, loss: np.ndarray, shots: dict[int, np.ndarray], stop: str, seconds: float) -> FitResult:
        """The trained net in the target's units, its history and config; a net that is not finite is refused."""
        cfg, net = self.cfg, self.net
        self.scale.to_raw(net)
        if not np.all(np.isfinite(net.theta)):
            raise TrainingDiverged(diverged_message(cfg, len(loss) - 1, float("nan")))
        snap_epochs = sorted(shots)
        snapshots = np.array([shots[e] for e in snap_epochs]).reshape(len(snap_epochs), -1)
        for arr in (loss, snapshots, self.hx):
            arr.setflags(write=False)
        dim = self.target.dimension
        history = History(
            loss=loss,
            snapshot_epochs=snap_epochs,
            snapshots=snapshots,
            x=self.hx[:, 0] if dim == 1 else self.hx,
            grid_shape=self.grid_shape,
            seconds=seconds,
            stop=stop,
            optimizer=cfg.optimizer,
        )
        info = _info(self.target, cfg, self.X.shape[0], loss, seconds, stop)
        return FitResult(network=Network(net.layers(), info=info), history=history, config=cfg)


def _train(p: _Problem, rec: Recorder) -> str:
    """Run the configured optimizer on the problem, reporting to ``rec``; returns why training stopped."""
    if p.cfg.optimizer == "lbfgs":
        return lbfgs(p.net, p.U, p.V, rec, p.cfg.epochs)
    if p.cfg.optimizer == "lm":
        return LevenbergMarquardt(p.net, p.U, p.V).run(rec, p.cfg.epochs)
    full = p.cfg.batch_size is None or p.cfg.batch_size >= p.U.shape[0]
    if full and not p.cfg.dropout:
        return _full_batch_epochs(p, rec)
    return _batch_epochs(p, rec, full)


def _full_batch_epochs(p: _Problem, rec: Recorder) -> str:
    """Adam or SGD on the whole batch: the forward pass of step e + 1 measures the loss after epoch e, so the loss
    costs no extra pass."""
    net, cfg = p.net, p.cfg
    step = stepper(cfg.optimizer, net, cfg.learning_rate, cfg.momentum).step
    for e in range(cfg.epochs):
        if rec.record(net.loss_grad(p.U, p.V)):
            return "goal"
        rec.snap()
        step(e + 1)
    return "goal" if rec.record(net.mse(p.U, p.V)) else "epochs"


def _batch_epochs(p: _Problem, rec: Recorder, full: bool) -> str:
    """Adam or SGD over epochs of shuffled mini-batches (or the full batch, with dropout); the loss after each epoch
    is measured without dropout on all the training points."""
    net, cfg, U, V = p.net, p.cfg, p.U, p.V
    step = stepper(cfg.optimizer, net, cfg.learning_rate, cfg.momentum).step
    if rec.record(net.mse(U, V)):
        return "goal"
    rec.snap()
    n = U.shape[0]
    size = n if full else cfg.batch_size
    Ub, Vb = np.empty((size, U.shape[1])), np.empty((size, 1))
    t = 0
    for _ in range(cfg.epochs):
        order = None if full else p.rng.permutation(n)
        for i in range(0, n, size):
            if order is None:
                xb, yb = U, V
            else:
                idx = order[i : i + size]
                xb, yb = Ub[: len(idx)], Vb[: len(idx)]
                np.take(U, idx, axis=0, out=xb)
                np.take(V, idx, axis=0, out=yb)
            t += 1
            net.loss_grad(xb, yb, p.rng, cfg.dropout)
            step(t)
        if rec.record(net.mse(U, V)):
            return "goal"
        rec.snap()
    return "epochs"


def _points(domain, n_1d: int, side_2d: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """Evenly spaced points on a 1D or 2D domain as rows ``(n, d)``, and the grid's shape."""
    if len(domain) == 1:
        ((a, b),) = domain
        return np.linspace(a, b, n_1d).reshape(-1, 1), (n_1d,)
    (a, b), (c, d) = domain
    X, Y = np.meshgrid(np.linspace(a, b, side_2d), np.linspace(c, d, side_2d), indexing="xy")
    return np.ascontiguousarray(np.stack([X.ravel(), Y.ravel()], axis=1)), (side_2d, side_2d)


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
            f"{shown_widths(cfg.hidden)} of {cfg.activation} and a linear output"
        )


def _info(target, cfg: FitConfig, n_points: int, loss: np.ndarray, seconds: float, stop: str) -> dict[str, Any]:
    """The trained Network's ``info``: what was trained, how, and how it ended."""
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
