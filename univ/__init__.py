"""univ: a one-hidden-layer network can approximate any continuous function — shown by construction."""

from __future__ import annotations

from .activations import ACTIVATIONS, sigmoid
from .construct import METHODS, ConstructConfig, construct
from .errors import ConfigError, DomainError, ExpressionError, NetworkFormatError, TrainingDiverged, UnivError
from .measure import Report, convergence_slope, grid, measure
from .network import Layer, Network
from .parse import Target, parse

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "METHODS",
    "ConfigError",
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
    "convergence_slope",
    "grid",
    "measure",
    "parse",
    "sigmoid",
]
