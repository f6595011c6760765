"""Removable singularities: a target's limit where it is not finite (sin(x)/x at 0), from float and 60-digit probes."""

from __future__ import annotations

import math

import numpy as np

# A point where f is not finite is filled with its limit when f approaches one value from every side (both ways along
# x in 1D; along x, y and both diagonals in 2D), and refused otherwise (a pole, a jump, no finite value nearby).
# Float64 probes come first, vectorised over the points: from min(width, 0.1·max(1, |p|)) down to 1e-15 of that,
# half a decade apart, they take the first three distances that agree and walk on to smaller ones while the agreement
# holds (rounding noise grows fast as the distance shrinks, and ends in exact zeros that only look converged). That
# settles the easy points (sin(x)/x at 0) and refuses those with no finite value near them. For parsed text, a point
# the floats do not settle surely (late agreement, or values running away at smaller distances, which is what both a
# pole and cancellation look like) is decided in 60-digit arithmetic (mpmath) at 1e-11, 10^-11.5 and 1e-12 of the
# width, where 1 - cos(x) in (1-cos x)/x² cancels harmlessly: the three must agree. Python callables have only the
# floats; so do points past MAX_PRECISE_WORK.
FILL_SCALES = 10.0 ** (-np.arange(31) / 2)  # float probe distances, as fractions of the largest one
FILL_SCALES_MP = 10.0 ** -np.array([11.0, 11.5, 12.0])  # 60-digit probe distances, as fractions of the width
FILL_DIGITS = 60
FILL_TOLERANCE = 1e-4  # three neighbouring estimates within this (relative to 1 + |limit|) have converged
FILL_RUNAWAY = 1e3  # a float estimate at a smaller distance beyond this × (1 + |limit|): a pole or cancellation
MAX_PRECISE_WORK = 30_000  # tree nodes evaluated in 60-digit arithmetic per evaluation, at most (about a second)


def _directions(dimension: int) -> list[tuple[float, ...]]:
    return [(1.0,)] if dimension == 1 else [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, -1.0)]


def _settle(estimates: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per column of float ``estimates`` (scales, largest first × points): (has data, converged, limit, sure).

    Windows of three neighbouring scales are read from the largest distance down. The first window whose three
    estimates agree within FILL_TOLERANCE has converged; from there the walk goes on to smaller distances while the
    estimates still agree and the spread stays within 100× the best so far, and the limit is the middle estimate
    of the tightest window walked. ``sure``: it converged within the first 15 scales and no estimate at a smaller
    distance runs away from the limit (both a pole and float cancellation look like that).
    """
    k = estimates.shape[0] - 2
    window = np.stack([estimates[:k], estimates[1 : k + 1], estimates[2 : k + 2]])  # (3, windows, points)
    mid = window[1]
    with np.errstate(all="ignore"):
        spread = (window.max(axis=0) - window.min(axis=0)) / (1.0 + np.abs(mid))
    spread = np.where(np.isfinite(spread), spread, np.inf)
    has_data = np.isfinite(spread).any(axis=0)
    ok = spread <= FILL_TOLERANCE
    found = ok.any(axis=0)
    cols = np.arange(estimates.shape[1])
    first = np.argmax(ok, axis=0)
    best = cur = first
    walking = found.copy()
    for _ in range(k):
        nxt = np.minimum(cur + 1, k - 1)
        go = walking & (cur + 1 < k) & ok[nxt, cols] & (spread[nxt, cols] <= 100 * spread[best, cols])
        cur = np.where(go, nxt, cur)
        best = np.where(go & (spread[nxt, cols] < spread[best, cols]), nxt, best)
        walking &= go
        if not walking.any():
            break
    limit = mid[best, cols]
    later = np.arange(estimates.shape[0])[:, None] > best[None, :] + 2
    with np.errstate(all="ignore"):
        far = np.abs(estimates) > FILL_RUNAWAY * (1.0 + np.abs(limit))[None, :]
    sure = found & (first <= 14) & ~(later & far & np.isfinite(estimates)).any(axis=0)
    return has_data, found, limit, sure


def _settle_tail(estimates: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per column of 60-digit ``estimates`` (three distances): they must be finite and agree; the same four
    answers as :func:`_settle`."""
    has_data = np.isfinite(estimates).all(axis=0)
    mid = estimates[1]
    with np.errstate(all="ignore"):
        spread = (estimates.max(axis=0) - estimates.min(axis=0)) / (1.0 + np.abs(mid))
    converged = has_data & (spread <= FILL_TOLERANCE)
    return has_data, converged, mid, converged


def _verdict(sides: list[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
    """Combine the one-sided limits: (filled, nowhere finite nearby, limit, sure)."""
    has, conv, lim, sure = (np.array([s[i] for s in sides]) for i in range(4))
    some = has.any(axis=0)
    all_conv = np.where(has, conv, True).all(axis=0)
    use = has & conv
    with np.errstate(all="ignore"):
        lo = np.where(use, lim, np.inf).min(axis=0)
        hi = np.where(use, lim, -np.inf).max(axis=0)
        centre = (lo + hi) / 2
    agree = (hi - lo) <= FILL_TOLERANCE * (1.0 + np.abs(centre))
    filled = some & all_conv & agree & np.isfinite(centre)
    return filled, ~some, centre, filled & np.where(has, sure, True).all(axis=0)


def float_verdict(target, points: np.ndarray):
    """(filled, nowhere, limit, sure) per column of ``points`` from float64 probes of a Target (vectorised over
    points)."""
    width = min(b - a for a, b in target.domain)
    reach = np.minimum(width, 0.1 * np.maximum(1.0, np.abs(points).max(axis=0)))  # the largest distance
    sides = []
    for direction in _directions(target.dimension):
        for sign in (-1.0, 1.0):
            estimates = np.full((len(FILL_SCALES), points.shape[1]), np.nan)
            for k, scale in enumerate(FILL_SCALES):
                q = [points[i] + sign * scale * reach * direction[i] for i in range(target.dimension)]
                usable = target._inside(q) & np.any([q[i] != points[i] for i in range(target.dimension)], axis=0)
                if usable.any():
                    estimates[k, usable] = target(*(c[usable] for c in q))
            sides.append(_settle(estimates))
    return _verdict(sides)


def precise_limit(target, point: np.ndarray) -> float:
    """The limit of a parsed Target at one point from 60-digit probes of its tree, or nan if there is none."""
    import mpmath as mp

    width = min(b - a for a, b in target.domain)
    sides = []
    with mp.workdps(FILL_DIGITS):
        for direction in _directions(target.dimension):
            for sign in (-1.0, 1.0):
                estimates = np.full((len(FILL_SCALES_MP), 1), np.nan)
                for k, scale in enumerate(FILL_SCALES_MP):
                    step = mp.mpf(sign) * mp.mpf(float(scale)) * mp.mpf(width)
                    q = [mp.mpf(float(point[i])) + step * direction[i] for i in range(target.dimension)]
                    if all(lo <= c <= hi for c, (lo, hi) in zip(q, target.domain)):
                        estimates[k, 0] = float(target.expression.precise(dict(zip(target.variables, q))))
                sides.append(_settle_tail(estimates))
    filled, _, limit, _ = _verdict(sides)
    return float(limit[0]) if filled[0] else math.nan
