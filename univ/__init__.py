"""univ: a one-hidden-layer network can approximate any continuous function — shown by construction."""

from __future__ import annotations

from ._version import __version__ as __version__
from .activations import ACTIVATIONS, sigmoid
from .comparison import compare, sweep
from .constructions import METHODS, ConstructConfig, construct
from .constructions.deep import sawtooth, sawtooth_network, shallow_relu_lstsq
from .constructions.two_d import tower
from .errors import (
    ConfigError,
    DataError,
    DomainError,
    ExpressionError,
    NetworkFormatError,
    TrainingDiverged,
    UnivError,
)
from .measure import Report, convergence_slope, grid, measure
from .narration import cue_seconds, cue_starts, split_cues
from .network import Layer, Network
from .plot import network_png as _network_png  # noqa: F401  (registers the notebook picture of a Network)
from .rendering import SCENES, render
from .search import NeuronSearch, neurons_for, neurons_for_each
from .target import Target, as_target, parse
from .training import FitConfig, FitResult, History, fit

__all__ = [
    "FitConfig",
    "FitResult",
    "History",
    "SCENES",
    "compare",
    "fit",
    "render",
    "sweep",
    "ACTIVATIONS",
    "METHODS",
    "ConfigError",
    "DataError",
    "as_target",
    "ConstructConfig",
    "DomainError",
    "ExpressionError",
    "Layer",
    "Network",
    "NetworkFormatError",
    "Report",
    "Target",
    "TrainingDiverged",
    "UnivError",
    "construct",
    "tower",
    "convergence_slope",
    "grid",
    "measure",
    "NeuronSearch",
    "neurons_for",
    "neurons_for_each",
    "parse",
    "sawtooth",
    "sawtooth_network",
    "shallow_relu_lstsq",
    "sigmoid",
    "cue_seconds",
    "cue_starts",
    "split_cues",
]
