"""What a training run gives back: its History (losses, snapshots) and the FitResult holding the trained Network."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np

from ..network import Network
from .config import FitConfig, epoch_word


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
    optimizer : str
        The optimizer that trained the net; for ``lbfgs`` and ``lm`` an epoch above is an iteration (see ``per``).
    """

    loss: np.ndarray
    snapshot_epochs: list[int]
    snapshots: np.ndarray
    x: np.ndarray
    grid_shape: tuple[int, ...]
    seconds: float
    stop: str = "epochs"
    optimizer: str = "adam"

    @property
    def epochs(self) -> int:
        """Epochs actually run (fewer than the budget when the goal is reached or lbfgs/lm can go no further)."""
        return len(self.loss) - 1

    @property
    def per(self) -> str:
        """What one step of ``loss`` stands for: ``"epoch"`` (adam, sgd) or ``"iteration"`` (lbfgs, lm), the word
        the CLI and the figures use."""
        return epoch_word(self.optimizer, 1)

    @property
    def counted(self) -> str:
        """How long training ran, in the optimizer's word: ``"182 iterations"``, ``"2,000 epochs"``."""
        return f"{self.epochs:,} {epoch_word(self.optimizer, self.epochs)}"

    @property
    def rmse(self) -> float:
        """The final RMSE on the training points, in the target's units."""
        return math.sqrt(max(float(self.loss[-1]), 0.0))

    def __repr__(self) -> str:
        return (
            f"History({self.counted}, final loss {float(self.loss[-1]):.4g}, {len(self.snapshot_epochs)} "
            f"snapshots, {self.seconds:.3g} s, stop={self.stop!r})"
        )

    def _repr_html_(self) -> str:
        return _html_table(
            "History",
            [
                (f"{self.per}s run", f"{self.epochs:,}"),
                ("final loss (training MSE)", f"{float(self.loss[-1]):.4g}"),
                ("training RMSE", f"{self.rmse:.4g}"),
                (
                    "snapshots",
                    f"{len(self.snapshot_epochs)} ({self.per}s {self.snapshot_epochs[0]} to "
                    f"{self.snapshot_epochs[-1]})",
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
            f"FitResult({self._architecture()} {c.activation}, {c.optimizer}, {h.epochs} "
            f"{epoch_word(c.optimizer, h.epochs)}, "
            f"final loss {float(h.loss[-1]):.4g}, RMSE {h.rmse:.4g}, {h.seconds:.3g} s, stop={h.stop!r})"
        )

    def _repr_html_(self) -> str:
        c, h = self.config, self.history
        rows = [
            ("architecture", f"{self._architecture()} ({self.network.n_params:,} parameters)"),
            ("activation", c.activation),
            ("optimizer", c.optimizer + (f", lr {c.learning_rate:g}" if c.learning_rate is not None else "")),
            (epoch_word(c.optimizer), f"{h.epochs:,} of {c.epochs:,}"),
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
