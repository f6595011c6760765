"""Activation functions and their derivatives, keyed by the names users type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray


def sigmoid(z: Array) -> Array:
    """Logistic function 1 / (1 + e^-z), computed as (1 + tanh(z/2)) / 2 so it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_inverse(p: Array) -> Array:
    """log(p / (1 - p)); the caller guarantees 0 < p < 1."""
    return np.log(p) - np.log1p(-p)


def _d_sigmoid(z: Array) -> Array:
    s = sigmoid(z)
    return s * (1.0 - s)


def _d_tanh(z: Array) -> Array:
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _d_relu(z: Array) -> Array:
    return (z > 0).astype(z.dtype)


def heaviside(z: Array) -> Array:
    """The ideal step: 0 left of 0, 1 right of it, 1/2 at 0 (the limit of a steepening sigmoid)."""
    return np.heaviside(z, 0.5)


def _d_heaviside(z: Array) -> Array:
    return np.zeros_like(z)


def linear(z: Array) -> Array:
    return z


def _d_linear(z: Array) -> Array:
    return np.ones_like(z)


@dataclass(frozen=True)
class Activation:
    """An activation: its function, its derivative, and whether gradient training can use it."""

    name: str
    f: Callable[[Array], Array]
    df: Callable[[Array], Array]
    trainable: bool = True


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, _d_sigmoid),
    "tanh": Activation("tanh", np.tanh, _d_tanh),
    "relu": Activation("relu", relu, _d_relu),
    "linear": Activation("linear", linear, _d_linear),
    "heaviside": Activation("heaviside", heaviside, _d_heaviside, trainable=False),
}


def get_activation(name: str) -> Activation:
    """Look up an activation by name; a ConfigError lists the valid names."""
    from .errors import ConfigError

    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ConfigError(
            f"unknown activation {name!r}; choose one of {', '.join(sorted(ACTIVATIONS))}"
        ) from None
