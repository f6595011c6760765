"""Activation functions and their derivatives, keyed by the names users type: the one table that evaluation,
backprop and the closed form all read.

Each activation has an in-place kernel ``apply(z)`` (overwrites z with f(z) and returns it: hand-built nets are
wide and steep, so evaluation must not allocate temporaries the size of a chunk) and ``derivative(a, out)``, which
writes f'(z) into ``out`` from the activation a = f(z) (what backprop has at hand). ``f`` and ``df`` are the
allocating forms built on them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError

Array = np.ndarray

# exp is several times slower where its result overflows or is subnormal, and saturated units are the common case in
# steep hand-built nets and late in training; clipping its argument first changes no float64 result that matters.
EXP_CLIP = 40.0  # σ(±40) differs from 0 or 1 by under 4.3e-18
TANH_CLIP = 40.0  # on 2z: tanh is ±1.0 in float64 beyond |z| = 19.1


def _sigmoid_(z: Array) -> Array:
    np.clip(z, -EXP_CLIP, EXP_CLIP, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    np.add(z, 1.0, out=z)
    return np.divide(1.0, z, out=z)


def _tanh_(z: Array) -> Array:
    np.multiply(z, 2.0, out=z)
    np.clip(z, -TANH_CLIP, TANH_CLIP, out=z)
    np.exp(z, out=z)
    np.add(z, 1.0, out=z)
    np.divide(-2.0, z, out=z)
    return np.add(z, 1.0, out=z)


def _relu_(z: Array) -> Array:
    return np.maximum(z, 0.0, out=z)


def _heaviside_(z: Array) -> Array:
    """The ideal step: 0 left of 0, 1 right of it, 1/2 at 0 (the limit of a steepening sigmoid)."""
    return np.heaviside(z, 0.5, out=z)


def _linear_(z: Array) -> Array:
    return z


def _softmax_(z: Array) -> Array:
    """Row-wise softmax of z (points × classes): e^(z − max) / Σ e^(z − max), so no exp overflows. An output layer
    only (it mixes a row's units); its Jacobian is not elementwise, so training pairs it with cross-entropy."""
    np.subtract(z, z.max(axis=-1, keepdims=True), out=z)
    np.exp(z, out=z)
    return np.divide(z, z.sum(axis=-1, keepdims=True), out=z)


def _d_softmax(a: Array, out: Array) -> Array:
    raise ConfigError("softmax has no elementwise derivative; it is an output paired with cross-entropy")


def _d_sigmoid(a: Array, out: Array) -> Array:  # a (1 − a)
    np.subtract(1.0, a, out=out)
    return np.multiply(out, a, out=out)


def _d_tanh(a: Array, out: Array) -> Array:  # 1 − a²
    np.multiply(a, a, out=out)
    return np.subtract(1.0, out, out=out)


def _d_relu(a: Array, out: Array) -> Array:  # 1 where z > 0, else 0
    return np.greater(a, 0.0, out=out, casting="unsafe")


def _d_zero(a: Array, out: Array) -> Array:
    out[...] = 0.0
    return out


def _d_one(a: Array, out: Array) -> Array:
    out[...] = 1.0
    return out


@dataclass(frozen=True)
class Activation:
    """An activation: its in-place kernel, its derivative from the output, and whether training can use it."""

    name: str
    apply: Callable[[Array], Array]
    derivative: Callable[[Array, Array], Array]
    trainable: bool = True

    def f(self, z: Array) -> Array:
        """f(z), leaving z alone."""
        return self.apply(np.array(z, dtype=float, copy=True))

    def df(self, z: Array) -> Array:
        """f'(z), leaving z alone."""
        a = self.f(z)
        return self.derivative(a, np.empty_like(a))


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", _sigmoid_, _d_sigmoid),
    "tanh": Activation("tanh", _tanh_, _d_tanh),
    "relu": Activation("relu", _relu_, _d_relu),
    "linear": Activation("linear", _linear_, _d_one),
    "heaviside": Activation("heaviside", _heaviside_, _d_zero, trainable=False),
    "softmax": Activation("softmax", _softmax_, _d_softmax, trainable=False),
}
OUTPUT_ONLY = ("softmax",)  # activations that mix a layer's units: the output layer of a classifier only


def sigmoid(z: Array) -> Array:
    """Logistic function 1 / (1 + e^-z); never overflows."""
    return ACTIVATIONS["sigmoid"].f(z)


def sigmoid_inverse(p: Array) -> Array:
    """log(p / (1 - p)); the caller guarantees 0 < p < 1."""
    return np.log(p) - np.log1p(-p)


def get_activation(name: str) -> Activation:
    """Look up an activation by name; a ConfigError lists the valid names."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ConfigError(f"unknown activation {name!r}; choose one of {', '.join(sorted(ACTIVATIONS))}") from None
