"""One way to print a report's numbers (max error, RMSE, where): the terminal, figures, page and video use these."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

ERROR_DIGITS = 4  # significant digits of a printed error
LOCATION_RESOLUTION = 1e-4  # a printed coordinate is exact to this share of its axis's width
MAX_DECIMALS = 12
VARIABLES = ("x", "y")


def error(value: float) -> str:
    """An error (max error, RMSE) as univ prints it everywhere: 4 significant digits.

    Examples
    --------
    >>> error(0.0815312)
    '0.08153'
    """
    return f"{float(value):.{ERROR_DIGITS}g}"


def percent(fraction: float) -> str:
    """A share (misclassified area, accuracy) as ``univ classify`` prints it: a percentage, 3 significant digits.

    Examples
    --------
    >>> percent(0.0810670)
    '8.11 %'
    >>> percent(1.0)
    '100 %'
    """
    return f"{100 * float(fraction):.3g} %"


def coordinate(value: float, lo: float, hi: float) -> str:
    """A point on the axis [lo, hi], with the decimals that resolve a 10⁻⁴ share of its width.

    On [1990.01, 1995.99] that is 4 decimals (``1995.9862``, not ``1996``); on [0, 1] also 4 (``0.5147``).
    Trailing zeros are dropped, and ``-0`` is printed ``0``.

    Examples
    --------
    >>> coordinate(1995.98621, 1990.01, 1995.99)
    '1995.9862'
    >>> coordinate(0.25, 0.0, 1.0)
    '0.25'
    """
    v, width = float(value), float(hi) - float(lo)
    if not (math.isfinite(v) and math.isfinite(width) and width > 0):
        return f"{v:.6g}"
    decimals = min(MAX_DECIMALS, max(0, -math.floor(math.log10(width * LOCATION_RESOLUTION))))
    if max(abs(float(lo)), abs(float(hi))) >= 1e15:  # too many digits before the point: say it in powers of ten
        return f"{v:.{ERROR_DIGITS + 2}g}"
    text = f"{v:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def location(worst_at: Sequence[float], domain: Sequence[Sequence[float]], names: Sequence[str] = VARIABLES) -> str:
    """Where a point is: ``x = 0.5147`` in 1D, ``(x, y) = (0.5395, 0.5395)`` in 2D, each with its axis's digits.

    Examples
    --------
    >>> location((0.53951, -0.5), ((-2, 2), (-2, 2)))
    '(x, y) = (0.5395, -0.5)'
    """
    parts = [coordinate(v, lo, hi) for v, (lo, hi) in zip(worst_at, domain)]
    if len(parts) == 1:
        return f"{names[0]} = {parts[0]}"
    return f"({', '.join(names[: len(parts)])}) = ({', '.join(parts)})"


def _fields(report: Any) -> tuple[float, float, Sequence[float], Sequence[Sequence[float]]]:
    """(max error, RMSE, worst_at, domain) of a :class:`univ.measure.Report` or its ``to_dict()``/report.json."""
    if isinstance(report, Mapping):
        return report["max_error"], report["rmse"], report["worst_at"], report["domain"]
    return report.max_error, report.rmse, report.worst_at, report.domain


def max_error_at(report: Any) -> str:
    """``max error 0.9274 at x = 1995.9862``: the one wording of a report's max error and where it is.

    Parameters
    ----------
    report : Report or mapping
        A :class:`univ.measure.Report`, or a dict with its keys (``max_error``, ``worst_at``, ``domain``), as in
        report.json.
    """
    max_error, _, worst_at, domain = _fields(report)
    return f"max error {error(max_error)} at {location(worst_at, domain)}"


def summary(report: Any) -> str:
    """``max error 0.9274 at x = 1995.9862, RMSE 0.13``: what a figure, page or closing card says of a report.

    Parameters
    ----------
    report : Report or mapping
        As for :func:`max_error_at`, with ``rmse`` too.
    """
    return f"{max_error_at(report)}, RMSE {error(_fields(report)[1])}"
