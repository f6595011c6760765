"""A Python callable as a target's function: named, its arity read, tried on arrays and point by point, checked."""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from .errors import ConfigError


def _callable_name(func: Callable) -> str:
    """``sin`` for np.sin or math.sin, the function's own name, or ``f`` (lambdas, partials, odd names)."""
    inner = func.pyfunc if isinstance(func, np.vectorize) else func
    name = getattr(inner, "__name__", None)
    if isinstance(name, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name):
        return name
    return "f"


def _arity(func: Callable) -> int | None:
    """Positional parameters a callable needs (a ufunc's ``nin``), or None when its signature does not say."""
    if isinstance(func, np.ufunc):
        return func.nin
    inner = func.pyfunc if isinstance(func, np.vectorize) else func
    try:
        params = list(inspect.signature(inner).parameters.values())
    except (TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    positional = [p for p in params if p.kind in kinds]
    required = [p for p in positional if p.default is p.empty]
    if required:
        return len(required)
    if any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in params):
        return None
    return min(len(positional), 1) if positional else 0


class _Function:
    """A Python callable made safe to use as a target: tried on whole arrays first (np.sin), one number at a time
    when that fails or disagrees (math.sin); whatever it returns must be numbers, and whatever it raises is a
    ConfigError naming it. Arithmetic and value errors at single points (``1/0``, ``math.log(0)``) become nan,
    so they are filled or refused like any other point where a target is not finite."""

    def __init__(self, func: Callable, name: str, dimension: int):
        self.func, self.name, self.dimension = func, name, dimension
        self.pointwise = False

    def __call__(self, *arrays: np.ndarray) -> np.ndarray:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        if not self.pointwise:
            try:
                out = self.func(*arrays)
            except (TypeError, ValueError, ArithmeticError):
                self.pointwise = True  # takes one number at a time
            except Exception as exc:
                raise self._raised(exc, None) from exc
            else:
                return self._numbers(out, shape)
        return self._each(arrays, shape)

    def probe(self, domains) -> _Function:
        """Call on a few points of the domain now, so a function that cannot work is refused before any work."""
        axes = [np.linspace(a, b, 7) for a, b in domains]
        points = axes if len(axes) == 1 else [axes[0], axes[1][::-1]]
        with np.errstate(all="ignore"):
            whole = self(*points)
            if not self.pointwise:  # a function that answers an array with, say, its mean is used pointwise
                try:
                    single = self._each([p[[0, 3, 6]] for p in points], (3,))
                except ConfigError:  # works on arrays only (x.clip(0, 1)): keep it that way
                    single = whole[[0, 3, 6]]
                if not np.allclose(whole[[0, 3, 6]], single, rtol=1e-9, atol=1e-12, equal_nan=True):
                    self.pointwise = True
        return self

    def _each(self, arrays, shape) -> np.ndarray:
        flat = [np.broadcast_to(a, shape).ravel() for a in arrays]
        out = np.empty(len(flat[0]))
        for i in range(len(out)):
            point = tuple(float(c[i]) for c in flat)
            try:
                v = self.func(*point)
            except (ArithmeticError, ValueError):
                v = math.nan
            except Exception as exc:
                raise self._raised(exc, point) from exc
            out[i] = self._number(v, point)
        return out.reshape(shape)

    def _number(self, v: Any, point) -> float:
        if isinstance(v, (complex, np.complexfloating)):
            return float(v.real) if v.imag == 0 else math.nan
        if isinstance(v, np.ndarray) and v.size == 1 and v.dtype.kind in "biuf":
            v = v.item()
        if isinstance(v, (bool, int, float, np.bool_, np.integer, np.floating)):
            try:
                return float(v)
            except OverflowError:
                return math.inf
        raise ConfigError(
            f"the target function {self.name!r} returned {self._describe(v)} at {self._at(point)}; "
            f"it must return a number"
        )

    def _numbers(self, out: Any, shape) -> np.ndarray:
        bad = out is None or isinstance(out, (str, bytes, dict, set))
        if not bad:
            try:
                arr = np.asarray(out)
            except (TypeError, ValueError):
                bad = True
        if not bad and arr.dtype.kind == "c":
            arr = np.where(arr.imag == 0, arr.real, np.nan)
        if not bad and arr.dtype.kind not in "biuf":
            bad = True
        if bad:
            raise ConfigError(
                f"the target function {self.name!r} returned {self._describe(out)}; it must return "
                f"numbers (one per point)"
            )
        try:
            return np.broadcast_to(arr.astype(float), shape)
        except ValueError:
            raise ConfigError(
                f"the target function {self.name!r} returned {arr.size} value(s) of shape {arr.shape} "
                f"for points of shape {shape}; it must return one number per point"
            ) from None

    def _raised(self, exc: Exception, point) -> ConfigError:
        where = f" at {self._at(point)}" if point is not None else ""
        detail = str(exc).splitlines()[0][:120] if str(exc) else ""
        return ConfigError(
            f"the target function {self.name!r} raised {type(exc).__name__}{': ' + detail if detail else ''}{where}"
        )

    def _at(self, point) -> str:
        return f"x = {point[0]:.6g}" if len(point) == 1 else f"(x, y) = ({point[0]:.6g}, {point[1]:.6g})"

    @staticmethod
    def _describe(v: Any) -> str:
        if v is None:
            return "None"
        text = repr(v)
        return f"{type(v).__name__} {text if len(text) <= 30 else text[:27] + '...'}"
