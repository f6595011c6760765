"""The hyper-parameters of a training run (FitConfig), checked up front, and the sizes they imply."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..limits import (
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
from ..validate import choice, flag, is_int, positive, real, whole

ACTIVATION_NAMES = ("tanh", "relu", "sigmoid")
OPTIMIZERS = ("adam", "sgd", "lbfgs", "lm")
FULL_BATCH = ("lbfgs", "lm")  # choose their own steps on the whole training set: no lr, batches or dropout
INITS = ("xavier", "he")
DEFAULT_INIT = {"tanh": "xavier", "sigmoid": "xavier", "relu": "he"}
DEFAULT_LR = {"adam": 0.01, "sgd": 0.01, "lbfgs": None, "lm": None}  # lbfgs and lm find their own steps
DEFAULT_EPOCHS = 2000
SNAPSHOTS = 30  # default count of log-spaced snapshot epochs (plus epoch 0)


def epoch_word(optimizer: str, count: int = 2) -> str:
    """What one pass of ``optimizer`` is called: ``"iteration"`` for lbfgs and lm, ``"epoch"`` for adam and sgd
    (plural unless ``count`` is 1). The CLI, the figure and the error messages all say it this way."""
    word = "iteration" if optimizer in FULL_BATCH else "epoch"
    return word if count == 1 else word + "s"


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
        put = self._put
        put("hidden", _widths(self.hidden))
        n_params = n_parameters(2, self.hidden)  # 2D inputs: the larger of the two
        if n_params > MAX_TRAIN_PARAMETERS:
            raise ConfigError(
                f"hidden layers {shown_widths(self.hidden)} need {n_params:,} parameters; the limit is "
                f"{MAX_TRAIN_PARAMETERS:,}"
            )
        choice("activation", self.activation, ACTIVATION_NAMES)
        choice("optimizer", self.optimizer, OPTIMIZERS)
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
        self._check_full_batch()
        self._check_work()
        if self.snapshot_epochs is not None:
            put("snapshot_epochs", _snapshot_epochs(self.snapshot_epochs, self.epochs))

    def _put(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)  # frozen: the checked value replaces the given one

    def _check_full_batch(self) -> None:
        """lbfgs and lm choose their own steps on the whole batch: lr, batch_size and dropout do not apply."""
        opt = self.optimizer
        if opt not in FULL_BATCH:
            return
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

    def _check_work(self) -> None:
        """The arrays training will hold, refused before any is made."""
        rows = self.batch_size or self.points
        if rows * sum(self.hidden) > MAX_BATCH_ACTIVATIONS:
            raise ConfigError(
                f"a batch of {rows} points through {sum(self.hidden)} hidden neurons is too large "
                f"(limit {MAX_BATCH_ACTIVATIONS:,} activations); use a smaller batch_size or fewer points"
            )
        if self.optimizer == "lm":
            check_lm_size(n_parameters(1, self.hidden), self.points)  # 1D: the smallest it can be

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
    """Weights and biases of a dense net with ``inputs`` inputs, these hidden widths and one output.

    Parameters
    ----------
    inputs : int
        Input dimension (1 or 2).
    hidden : sequence of int
        Hidden layer widths.

    Returns
    -------
    int
        ``Σ (fan_in + 1) · fan_out`` over the layers, the output layer included.
    """
    sizes = [inputs, *hidden, 1]
    return sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))


def check_lm_size(n_params: int, n_points: int) -> None:
    """Refuse, before any work, a net too large for Levenberg–Marquardt's dense Jacobian and normal matrix.

    Parameters
    ----------
    n_params, n_points : int
        Parameters of the net and training points.

    Raises
    ------
    ConfigError
        Over ``LM_MAX_PARAMETERS`` parameters, or a Jacobian over ``LM_MAX_JACOBIAN`` entries.
    """
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


def shown_widths(hidden: Sequence[int]) -> str:
    """Hidden widths for a message, long lists cut."""
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
