"""Gradient training of a dense net: backprop by hand in numpy; Adam, SGD, L-BFGS and Levenberg–Marquardt."""

# The rooms: config (FitConfig, checked up front), net (the flat-parameter net and its one forward kernel), optimizers
# (step rules and full-batch solvers), recorder (losses, snapshots, goal, divergence), results (History, FitResult)
# and trainers (fit and the epoch loops).

from .config import (
    ACTIVATION_NAMES,
    DEFAULT_EPOCHS,
    DEFAULT_INIT,
    DEFAULT_LR,
    FULL_BATCH,
    INITS,
    OPTIMIZERS,
    FitConfig,
    check_lm_size,
    epoch_word,
    n_parameters,
)
from .net import loss_and_gradient
from .results import FitResult, History
from .trainers import fit

__all__ = [
    "ACTIVATION_NAMES",
    "DEFAULT_EPOCHS",
    "DEFAULT_INIT",
    "DEFAULT_LR",
    "FULL_BATCH",
    "INITS",
    "OPTIMIZERS",
    "FitConfig",
    "FitResult",
    "History",
    "check_lm_size",
    "epoch_word",
    "fit",
    "loss_and_gradient",
    "n_parameters",
]
