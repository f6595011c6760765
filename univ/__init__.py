"""univ: a one-hidden-layer network can approximate any continuous function — shown by construction."""

from __future__ import annotations

from .activations import ACTIVATIONS, sigmoid
from .construct import METHODS, ConstructConfig, construct
from .construct2d import tower
from .depth import sawtooth, sawtooth_network, shallow_relu_lstsq
from .errors import ConfigError, DomainError, ExpressionError, NetworkFormatError, TrainingDiverged, UnivError
from .measure import Report, convergence_slope, grid, measure
from .network import Layer, Network
from .parse import Target, parse

__version__ = "0.1.0"

# Heavier parts load on first use, so `import univ` (and `univ approx --no-plot`) stays quick.
_LAZY = {
    "fit": "fit",
    "FitConfig": "fit",
    "FitResult": "fit",
    "History": "fit",
    "compare": "compare",
    "sweep": "compare",
    "SCENES": "render",
    "render": "render",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'univ' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

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
    "parse",
    "sawtooth",
    "sawtooth_network",
    "shallow_relu_lstsq",
    "sigmoid",
]
