"""Measuring a network against its target: errors on a dense grid, convergence slopes over a sweep."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Sequence

import numpy as np

from .errors import UnivError

POINTS_1D = 10_001  # grid points, both ends included
POINTS_2D = 301  # per side


@dataclass(frozen=True)
class Report:
    """How well a network approximates its target on a grid (ends and edges included).

    ``worst_at`` is the grid point where the absolute error is largest.
    """

    max_error: float
    rmse: float
    worst_at: tuple[float, ...]
    points: int
    domain: tuple[tuple[float, float], ...]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["worst_at"] = list(self.worst_at)
        d["domain"] = [list(p) for p in self.domain]
        return d


def grid(domain: Sequence[tuple[float, float]], n: int | None = None) -> tuple[np.ndarray, ...]:
    """Evaluation grid over a 1D or 2D domain: ``(x,)`` of n points, or ``(X, Y)`` meshes of n×n."""
    if len(domain) == 1:
        (a, b), = domain
        return (np.linspace(a, b, n or POINTS_1D),)
    (a, b), (c, d) = domain
    m = n or POINTS_2D
    return tuple(np.meshgrid(np.linspace(a, b, m), np.linspace(c, d, m), indexing="xy"))


def measure(network, target, points: int | None = None) -> Report:
    """Max absolute error and RMSE of ``network`` against ``target`` on a grid over the target's domain.

    Parameters
    ----------
    network : Network
    target : Target
        Supplies the domain and the checked values (``target.evaluate``).
    points : int, optional
        Grid points (1D) or points per side (2D); defaults 10,001 and 301.

    Raises
    ------
    UnivError
        If the network's output is not finite somewhere: never reported as a number.
    """
    coords = grid(target.domain, points)
    truth = target.evaluate(*coords)
    approx = network(*coords)
    if not np.all(np.isfinite(approx)):
        raise UnivError("the network's output is not finite on the domain; nothing to measure")
    err = np.abs(approx - truth)
    k = int(np.argmax(err))
    worst = tuple(float(c.reshape(-1)[k]) for c in coords)
    return Report(
        max_error=float(err.reshape(-1)[k]),
        rmse=float(np.sqrt(np.mean(err * err))),
        worst_at=worst,
        points=int(err.size),
        domain=tuple(tuple(map(float, p)) for p in target.domain),
    )


def convergence_slope(neurons: Sequence[float], errors: Sequence[float]) -> float:
    """Least-squares slope of log(error) against log(neurons): about -1 for steps, -2 for ReLU on smooth f."""
    n = np.asarray(neurons, dtype=float)
    e = np.asarray(errors, dtype=float)
    keep = (n > 0) & (e > 0) & np.isfinite(e)
    if keep.sum() < 2:
        raise UnivError("need at least two positive errors to fit a convergence slope")
    return float(np.polyfit(np.log(n[keep]), np.log(e[keep]), 1)[0])
