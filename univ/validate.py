"""Declarative checks for options and arguments: each names the bad value and what is allowed (ConfigError)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import fields, replace
from typing import Any

import numpy as np

from .errors import ConfigError


def is_int(v: Any) -> bool:
    """A whole number that is not a bool (numpy integers count)."""
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def is_real(v: Any) -> bool:
    """A finite real number that is not a bool (numpy scalars count)."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:  # an int too large for a float
        return False


def shown(value: Any) -> str:
    """A value for a message: huge integers by their size, long texts cut (never an exception of its own)."""
    if is_int(value) and abs(int(value)) >= 10**15:
        digits = (
            len(str(abs(int(value))))
            if abs(int(value)).bit_length() < 14_000
            else int(abs(int(value)).bit_length() * 0.30103) + 1
        )
        return f"an integer of about {digits} digits"
    try:
        text = repr(value)
    except ValueError:
        text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def whole(name: str, value: Any, lo: int, hi: int | None = None) -> int:
    """``value`` as an int in [lo, hi]; otherwise a ConfigError naming ``name``, the value and the range."""
    if not is_int(value) or value < lo or (hi is not None and value > hi):
        span = f"from {lo:,} to {hi:,}" if hi is not None else f"≥ {lo:,}"
        raise ConfigError(f"{name} must be a whole number {span}, got {shown(value)}")
    return int(value)


def real(
    name: str,
    value: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """``value`` as a finite float within the bounds (closed unless ``lo_open``/``hi_open``)."""
    ok = is_real(value)
    if ok:
        v = float(value)
        if lo is not None and (v < lo or (lo_open and v == lo)):
            ok = False
        if hi is not None and (v > hi or (hi_open and v == hi)):
            ok = False
    if not ok:
        raise ConfigError(f"{name} must be {_finite_within(lo, hi, lo_open, hi_open)}, got {shown(value)}")
    return float(value)


def reals(name: str, values, count: int, lo: float, hi: float) -> tuple[float, ...]:
    """``count`` finite numbers in [lo, hi] as a tuple; otherwise the ConfigError the library gives."""
    try:
        items = tuple(values)
    except TypeError:
        raise ConfigError(f"{name} must be {count} numbers, got {shown(values)}") from None
    if len(items) != count:
        raise ConfigError(f"{name} must be {count} numbers, got {len(items)}")
    return tuple(real(f"{name}[{j}]", v, lo, hi) for j, v in enumerate(items))


def _finite_within(lo: float | None, hi: float | None, lo_open: bool, hi_open: bool) -> str:
    """What ``real`` allows, in words: "a positive finite number", "a finite number in [0, 1)", "… ≥ 2".

    A bound that is None (or infinite) is no bound: the words never offer ∞ where only finite numbers pass.
    """
    lo = None if lo is None or math.isinf(lo) else lo
    hi = None if hi is None or math.isinf(hi) else hi
    if lo is not None and hi is not None:
        return f"a finite number in {'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
    if lo == 0 and lo_open and hi is None:
        return "a positive finite number"
    if lo is not None:
        return f"a finite number {'>' if lo_open else '≥'} {lo:g}"
    if hi is not None:
        return f"a finite number {'<' if hi_open else '≤'} {hi:g}"
    return "a finite number"


def positive(name: str, value: Any, hi: float, *, lo: float = 0.0) -> float:
    """A number in (lo, hi]: steepness, weights, learning rates. ``lo`` > 0 keeps denormals like 5e-324 out."""
    return real(name, value, lo, hi, lo_open=True)


def choice(name: str, value: Any, allowed: Iterable[str]) -> str:
    """One of ``allowed``; the message lists them."""
    allowed = tuple(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise ConfigError(f"unknown {name} {value!r}; choose one of {', '.join(allowed)}")
    return value


def flag(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ConfigError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def merge(config_cls: type, config: Any, options: dict[str, Any], what: str) -> Any:
    """The one rule for settings: explicit keywords win, ``config`` supplies the rest, defaults fill the gaps.

    ``options`` holds only the keywords the caller actually passed (leave ``None`` out before calling);
    an unknown key is an error naming the fields.
    """
    names = [f.name for f in fields(config_cls)]
    unknown = sorted(set(options) - set(names))
    if unknown:
        raise ConfigError(f"unknown option(s) {', '.join(unknown)} for {what}; the fields are {', '.join(names)}")
    if config is None:
        return config_cls(**options)
    if not isinstance(config, config_cls):
        raise ConfigError(f"config must be a {config_cls.__name__}, not {type(config).__name__}")
    return replace(config, **options) if options else config
