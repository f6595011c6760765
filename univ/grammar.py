"""What an expression may name and how its parsed tree is shaped: variables, constants, functions (numpy forms)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}


def _heaviside(v):
    return np.heaviside(v, 0.5)


def _relu(v):
    return np.maximum(v, 0.0)


def _sigmoid(v):
    """The logistic function 1/(1 + e^-v), exact to rounding for every v: only e^-|v| is computed, which never
    overflows (the network's sigmoid in :mod:`univ.activations` is clipped; a target's must not be)."""
    e = np.exp(-np.abs(v))
    return np.where(v >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


_LOG_SCALE = {"log": 1.0, "ln": 1.0, "log10": 1.0 / math.log(10.0), "log2": 1.0 / math.log(2.0)}


def _log_sigmoid(v):
    """log σ(v) = -log(1 + e^-v), exact where σ(v) itself underflows (v below about -745)."""
    return -np.logaddexp(0.0, -v)


# name -> (numpy function, (min args, max args or None for any))
FUNCTIONS: dict[str, tuple[Callable[..., np.ndarray], tuple[int, int | None]]] = {
    "sin": (np.sin, (1, 1)),
    "cos": (np.cos, (1, 1)),
    "tan": (np.tan, (1, 1)),
    "sec": (lambda v: 1.0 / np.cos(v), (1, 1)),
    "csc": (lambda v: 1.0 / np.sin(v), (1, 1)),
    "cot": (lambda v: 1.0 / np.tan(v), (1, 1)),
    "asin": (np.arcsin, (1, 1)),
    "acos": (np.arccos, (1, 1)),
    "atan": (np.arctan, (1, 1)),
    "arcsin": (np.arcsin, (1, 1)),
    "arccos": (np.arccos, (1, 1)),
    "arctan": (np.arctan, (1, 1)),
    "sinh": (np.sinh, (1, 1)),
    "cosh": (np.cosh, (1, 1)),
    "tanh": (np.tanh, (1, 1)),
    "exp": (np.exp, (1, 1)),
    "log": (np.log, (1, 1)),
    "ln": (np.log, (1, 1)),
    "log10": (np.log10, (1, 1)),
    "log2": (np.log2, (1, 1)),
    "sqrt": (np.sqrt, (1, 1)),
    "cbrt": (np.cbrt, (1, 1)),
    "abs": (np.abs, (1, 1)),
    "sign": (np.sign, (1, 1)),
    "floor": (np.floor, (1, 1)),
    "ceil": (np.ceil, (1, 1)),
    "heaviside": (_heaviside, (1, 1)),
    "sigmoid": (_sigmoid, (1, 1)),
    "relu": (_relu, (1, 1)),
    "max": (lambda *vs: np.maximum.reduce(np.broadcast_arrays(*vs)), (2, None)),
    "min": (lambda *vs: np.minimum.reduce(np.broadcast_arrays(*vs)), (2, None)),
}

_COMPARE = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}

# Tree nodes are tuples: ("num", value, text) ("var", name) ("const", name) ("neg", node)
# ("add", ((sign, node), ...)) ("mul", ((op, node), ...)) ("pow", base, exponent) ("call", name, (args...))
# and, for regions (values 1 inside, 0 outside): ("cmp", first, ((op, node), ...)) — a chain, 0 < x < 1 —
# ("and", (nodes...)) ("or", (nodes...)) ("not", node)
_LOGICAL = ("cmp", "and", "or", "not")


def is_logical(node) -> bool:
    """Whether a tree node is a region (a comparison or comparisons joined by and/or/not), not a number."""
    return node[0] in _LOGICAL


def _children(node) -> tuple:
    """The sub-trees of a node, whatever its kind."""
    kind = node[0]
    if kind in ("num", "var", "const"):
        return ()
    if kind in ("neg", "not"):
        return (node[1],)
    if kind in ("add", "mul"):
        return tuple(n for _, n in node[1])
    if kind in ("and", "or"):
        return node[1]
    if kind == "cmp":
        return (node[1], *(n for _, n in node[2]))
    if kind == "pow":
        return (node[1], node[2])
    return node[2]
