"""Classifiers trained beside the hand-built ones: softmax output, cross-entropy, backprop by hand, gradient-checked."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import validate as check
from .classify import Classes, classes
from .errors import ConfigError, TrainingDiverged
from .limits import MAX_POINTS
from .network import Network
from .training.config import FitConfig
from .training.net import FlatNet, Scaling, init_weights
from .training.optimizers import stepper


# -- trained beside -----------------------------------------------------------------------------------------------
@dataclass
class ClassFit:
    """A trained classifier: the network, the cross-entropy per epoch (0: before training), seconds, why it stopped."""

    network: Network
    loss: np.ndarray
    seconds: float
    stop: str


def fit_classifier(
    target: Any,
    *,
    hidden: Sequence[int] = (16, 16),
    activation: str = "tanh",
    optimizer: str = "adam",
    lr: float | None = None,
    epochs: int = 2000,
    batch_size: int | None = None,
    seed: int = 0,
    points: int = 4096,
) -> ClassFit:
    """Train a classifier: hidden layers of one activation, a softmax output, mean cross-entropy, backprop by hand
    (:meth:`univ.training.net.FlatNet.softmax_loss_grad`), with fit's optimizers (adam, sgd, lbfgs).

    Data classes train on their training samples; region classes on a ``√points × √points`` grid labelled by the
    regions. Inputs are mapped to [-1, 1]² for training and the map is folded into the first layer afterwards.

    Raises
    ------
    ConfigError
        Bad hyper-parameters (checked by :class:`FitConfig`), or ``lm`` (it fits least squares, not cross-entropy).
    TrainingDiverged
        The loss became NaN or infinite.
    """
    c = classes(target)
    X, lab = _training_set(c, points)
    cfg = FitConfig(
        hidden=tuple(hidden) if not isinstance(hidden, int) else (hidden,),
        activation=activation,
        optimizer=optimizer,
        lr=lr,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        points=max(2, len(lab)),
    )
    if cfg.optimizer == "lm":
        raise ConfigError("lm fits least squares; a classifier trains on cross-entropy: use adam, sgd or lbfgs")
    rng = np.random.default_rng(cfg.seed)
    net = FlatNet([2, *cfg.hidden, c.k], [cfg.activation] * len(cfg.hidden))
    init_weights(net, cfg.init_scheme, rng)
    lo_d = np.array([p[0] for p in c.domain])
    hi_d = np.array([p[1] for p in c.domain])
    scaling = Scaling((lo_d + hi_d) / 2, (hi_d - lo_d) / 2, 0.0, 1.0)
    U = np.ascontiguousarray((X - scaling.centre) / scaling.half)
    Y = np.zeros((len(lab), c.k))
    Y[np.arange(len(lab)), lab] = 1.0
    started = time.perf_counter()
    losses: list[float] = []

    def record(ell: float) -> None:
        if not math.isfinite(ell):
            raise TrainingDiverged(
                f"the cross-entropy became {ell} at epoch {len(losses)}; lower lr (now {cfg.learning_rate})"
            )
        losses.append(ell)

    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        stop = (
            _lbfgs(net, U, Y, cfg.epochs, record) if cfg.optimizer == "lbfgs" else _descend(net, U, Y, cfg, rng, record)
        )
    scaling.to_raw(net)
    network = Network(net.layers("softmax"))
    network.info = _fit_info(c, network, cfg, len(lab), losses[-1])
    return ClassFit(network, np.array(losses), time.perf_counter() - started, stop)


def _training_set(c: Classes, points: int) -> tuple[np.ndarray, np.ndarray]:
    """The points and labels a classifier trains on: the training samples, or a ``√points`` square grid labelled by
    the regions."""
    if c.kind == "data":
        return c.samples
    side = max(2, math.isqrt(check.whole("points", points, 4, MAX_POINTS)))
    (a, b), (lo, hi) = c.domain
    gx, gy = np.meshgrid(np.linspace(a, b, side), np.linspace(lo, hi, side))
    return np.stack([gx.ravel(), gy.ravel()], axis=1), c.labels(gx.ravel(), gy.ravel())


def _descend(net: FlatNet, U, Y, cfg: FitConfig, rng: np.random.Generator, record) -> str:
    """Gradient steps of ``cfg.optimizer`` (adam or sgd) on the cross-entropy, full batch or shuffled mini-batches,
    recording the loss before training and after every epoch."""
    step = stepper(cfg.optimizer, net, cfg.learning_rate, cfg.momentum).step
    n = len(Y)
    size = n if cfg.batch_size is None else cfg.batch_size
    record(net.softmax_loss_grad(U, Y))
    t = 0
    for _ in range(cfg.epochs):
        order = np.arange(n) if size >= n else rng.permutation(n)
        for s in range(0, n, size):
            idx = order[s : s + size]
            if size < n:
                net.softmax_loss_grad(U[idx], Y[idx])
            t += 1
            step(t)
            if size >= n:
                break
        ell = net.softmax_loss_grad(U, Y)  # the loss after the epoch (and, full batch, the next gradient)
        record(ell)
    return "epochs"


def _fit_info(c: Classes, network: Network, cfg: FitConfig, points: int, final_loss: float) -> dict[str, Any]:
    """A trained classifier's ``info``: what it classifies and how it was trained."""
    return {
        "method": "fit",
        "task": "classify",
        "expression": c.text,
        "classes": list(c.names),
        "dimension": 2,
        "domain": [list(p) for p in c.domain],
        "neurons": network.n_hidden,
        "hidden_layers": network.hidden_sizes,
        "activation": cfg.activation,
        "optimizer": cfg.optimizer,
        "epochs": cfg.epochs,
        "seed": cfg.seed,
        "training_points": points,
        "loss": "cross-entropy",
        "final_loss": final_loss,
    }


def _lbfgs(net: FlatNet, U, Y, budget: int, record) -> str:
    from scipy.optimize import minimize

    record(net.softmax_loss_grad(U, Y))

    def fun(theta):
        net.theta[...] = theta
        ell = net.softmax_loss_grad(U, Y)
        return (ell, net.grad.copy()) if math.isfinite(ell) else (math.inf, np.zeros_like(theta))

    def on_iteration(intermediate_result) -> None:  # scipy passes the result only to a parameter of this name
        record(float(intermediate_result.fun))

    res = minimize(
        fun,
        net.theta.copy(),
        jac=True,
        method="L-BFGS-B",
        callback=on_iteration,
        options={"maxiter": budget, "maxfun": 20 * budget + 100, "ftol": 1e-20, "gtol": 1e-20},
    )
    net.theta[...] = res.x
    return "epochs" if res.nit >= budget else f"lbfgs stopped early: {res.message}"


def softmax_gradient(network: Network, points, labels) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
    """Mean cross-entropy of a softmax classifier on labelled points and its gradient by backprop, layer by layer
    (what :func:`fit_classifier` descends; exposed so tests can check it against finite differences)."""
    if network.output.activation != "softmax" or not network.hidden:
        raise ConfigError("softmax_gradient needs a classifier: hidden layers and a softmax output")
    acts = [layer.activation for layer in network.hidden]
    net = FlatNet([network.input_dim, *network.hidden_sizes, network.n_outputs], acts)
    net.load(network)
    X = np.ascontiguousarray(np.asarray(points, dtype=float).reshape(-1, network.input_dim))
    labels = np.asarray(labels, dtype=int).reshape(-1)
    Y = np.zeros((len(labels), network.n_outputs))
    Y[np.arange(len(labels)), labels] = 1.0
    loss = net.softmax_loss_grad(X, Y)
    return loss, [(gW.copy(), gb.copy()) for gW, gb in zip(net.gW, net.gb)]
