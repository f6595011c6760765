"""univ: a one-hidden-layer network can approximate any continuous function — shown by construction."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__ as __version__
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
from .network import Layer, Network
from .target import Target, as_target, parse

# The rest of the public API, by the module that defines it: a module is imported when one of its names is first
# used, so ``import univ`` (and every ``univ`` command) loads only what the work in hand needs. The names above are
# bound at once: ``parse`` and ``measure`` are also submodules' names, which a later import must not shadow.
_LAZY = {
    "ACTIVATIONS": "activations",
    "sigmoid": "activations",
    "Bound": "bounds",
    "bound": "bounds",
    "Classes": "classify",
    "classes": "classify",
    "construct_classifier": "classify",
    "fit_classifier": "classify_fit",
    "measure_classifier": "classify",
    "compare": "comparison",
    "sweep": "comparison",
    "METHODS": "constructions",
    "ConstructConfig": "constructions",
    "construct": "constructions",
    "sawtooth": "constructions.deep",
    "sawtooth_network": "constructions.deep",
    "shallow_relu_lstsq": "constructions.deep",
    "tower": "constructions.two_d",
    "cue_seconds": "narration",
    "cue_starts": "narration",
    "split_cues": "narration",
    "cue_audio": "voice",
    "PALETTES": "palette",
    "PLAN_ENV": "plan",
    "RenderPlan": "plan",
    "read_plan": "plan",
    "SCENES": "rendering",
    "render": "rendering",
    "NeuronSearch": "search",
    "neurons_for": "search",
    "neurons_for_each": "search",
    "FitConfig": "training",
    "FitResult": "training",
    "History": "training",
    "fit": "training",
}

if TYPE_CHECKING:  # the same names, for type checkers and editors
    from .activations import ACTIVATIONS, sigmoid
    from .bounds import Bound, bound
    from .classify import Classes, classes, construct_classifier, measure_classifier
    from .classify_fit import fit_classifier
    from .comparison import compare, sweep
    from .constructions import METHODS, ConstructConfig, construct
    from .constructions.deep import sawtooth, sawtooth_network, shallow_relu_lstsq
    from .constructions.two_d import tower
    from .narration import cue_seconds, cue_starts, split_cues
    from .palette import PALETTES
    from .plan import PLAN_ENV, RenderPlan, read_plan
    from .rendering import SCENES, render
    from .search import NeuronSearch, neurons_for, neurons_for_each
    from .training import FitConfig, FitResult, History, fit
    from .voice import cue_audio


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # looked up once
        return value
    if not name.startswith("_"):  # a submodule, as ``univ.plot`` or ``univ.limits`` after a bare ``import univ``
        try:
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def _notebook_picture(network: Network) -> bytes | None:
    """A Network's picture in a notebook, drawn by univ.plot (which registers its own drawing when imported); the
    plotting layer is imported at the first picture, so ``import univ`` stays free of it. None without matplotlib."""
    try:
        from .plot import network_png
    except ImportError:
        return None
    return network_png(network)


if Network._picture is None:
    Network._picture = staticmethod(_notebook_picture)

__all__ = [
    "Classes",
    "classes",
    "construct_classifier",
    "fit_classifier",
    "measure_classifier",
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
    "Bound",
    "bound",
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
    "cue_audio",
    "PALETTES",
    "PLAN_ENV",
    "RenderPlan",
    "read_plan",
]
