"""The one bookkeeper every trainer reports to: losses, snapshots, the goal, divergence and the callback."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import TrainingDiverged
from .config import FULL_BATCH, FitConfig, epoch_word
from .net import FlatNet, Scaling

DIVERGED_FACTOR = 1e12  # a loss this many times its starting scale is divergence too, even if finite


class Recorder:
    """Records a training run epoch by epoch (iteration by iteration for lbfgs and lm).

    A trainer calls :meth:`record` with the loss before training and after each epoch, :meth:`snap` when a
    snapshot may be due, and :meth:`finish` once; losses arrive as the mean squared error of the scaled problem the
    net trains on and are kept in the target's units.

    Parameters
    ----------
    net : FlatNet
        The net being trained (snapshots read its current parameters).
    cfg : FitConfig
        Snapshot epochs, goal and what a divergence message suggests.
    scale : Scaling
        How the scaled problem maps back to the target's units.
    grid : ndarray, shape (n, d)
        The scaled points snapshots are taken on.
    values : ndarray, shape (m, 1)
        The scaled training values: their mean square sets the scale of divergence.
    callback : callable or None
        ``callback(epoch, loss)`` after every epoch but 0.
    """

    def __init__(
        self,
        net: FlatNet,
        cfg: FitConfig,
        scale: Scaling,
        grid: np.ndarray,
        values: np.ndarray,
        callback: Callable[[int, float], Any] | None,
    ):
        self.net, self.cfg, self.scale, self.grid, self.callback = net, cfg, scale, grid, callback
        self.unit = scale.spread**2  # normalized MSE × unit = MSE in the target's units
        self.goal = -1.0 if cfg.goal is None else float(cfg.goal) ** 2  # an MSE; -1: never
        self.wanted = set(cfg.snapshots_at)
        self.floor = max(float(np.mean(values * values)), 1e-12)
        self.limit = math.inf  # set by the loss before training
        self.losses: list[float] = []
        self.shots: dict[int, np.ndarray] = {}

    @property
    def epoch(self) -> int:
        """The epoch of the last loss recorded (0: before training)."""
        return len(self.losses) - 1

    @property
    def reached(self) -> bool:
        """Whether the last loss recorded is at or below the goal."""
        return self.losses[-1] <= self.goal

    def record(self, ell: float) -> bool:
        """Record the next epoch's loss ``ell`` (scaled MSE); True when it reaches the goal.

        Raises
        ------
        TrainingDiverged
            ``ell`` is NaN, infinite or ``DIVERGED_FACTOR`` times the starting scale; the callback never sees it.
        """
        k = len(self.losses)
        if k == 0:
            self.limit = DIVERGED_FACTOR * max(ell, self.floor)
        self.losses.append(ell * self.unit)
        self._check(ell)
        if k and self.callback is not None:
            self.callback(k, self.losses[-1])
        return self.reached

    def amend(self, ell: float) -> None:
        """Replace the last loss by ``ell``: the loss of the parameters a trainer returns, when its own last
        measure was taken elsewhere (L-BFGS's line search)."""
        self.losses[-1] = ell * self.unit
        self._check(ell)

    def _check(self, ell: float) -> None:
        if not (ell <= self.limit):  # also catches NaN
            raise TrainingDiverged(diverged_message(self.cfg, self.epoch, self.losses[-1]))

    def snap(self, force: bool = False) -> None:
        """Take a snapshot of the net's output at the current epoch, if one is wanted there (or ``force``)."""
        if force or self.epoch in self.wanted:
            self.shots[self.epoch] = self.scale.mean + self.scale.spread * self.net.predict(self.grid)

    def finish(self, stop: str) -> tuple[np.ndarray, dict[int, np.ndarray], str]:
        """The final snapshot; returns (loss per epoch, snapshots by epoch, why training stopped)."""
        self.snap(force=True)
        return np.array(self.losses), self.shots, stop


def diverged_message(cfg: FitConfig, epoch: int, loss: float) -> str:
    """What to say when training diverges at ``epoch`` with ``loss``, and what to try instead."""
    if cfg.optimizer in FULL_BATCH:
        hint = "try another seed or init, or adam with a small lr"
    else:
        lr = cfg.learning_rate
        hint = f"lr {lr:g} is too large; try {lr / 10:g} or smaller"
    return f"training diverged at {epoch_word(cfg.optimizer, 1)} {epoch} (loss {loss:.3g}); {hint}"
