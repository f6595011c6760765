"""The certified misclassified area: interval bounds through a classifier over boxes, refined where undecided."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import ACTIVATIONS
from .network import Network

# certification of the misclassified area: boxes start as a START × START grid and those the decision or the truth
# is not constant on are split in four, DEPTH times at most (the smallest box is 2^-DEPTH of a start box's side)
CERTIFY_START = 32
CERTIFY_DEPTH = 6
MAX_BOXES = 100_000  # boxes alive at one level; past it the level's undecided boxes are left in the band
BOX_CHUNK = 2048  # boxes per interval pass through the net
DECISION_SLACK = 1e-9  # a logit must lead the others' upper bounds by this (relative) to count as certain
SAMPLES_PER_BOX = 4  # per side: undecided boxes are sampled on a 4 × 4 grid for the estimate inside the band


def decide(network: Network, x, y) -> np.ndarray:
    """The class a classifier picks at points (the largest output)."""
    return np.argmax(network(np.asarray(x, dtype=float), np.asarray(y, dtype=float)), axis=-1)


def _logit_bounds(network: Network, x0, x1, y0, y1) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of the output layer's inputs over boxes, by interval arithmetic through the layers (every hidden
    activation is monotone increasing, so a unit's bounds are its activation at its input's bounds)."""
    lo, hi = np.stack([x0, y0], axis=1), np.stack([x1, y1], axis=1)  # (boxes, 2)
    for layer in network.layers:
        mid, rad = (lo + hi) / 2, (hi - lo) / 2
        z, r = mid @ layer.w + layer.b, rad @ np.abs(layer.w)  # (boxes, fan_out)
        if layer is network.output:
            return z - r, z + r
        act = ACTIVATIONS[layer.activation].f
        lo, hi = act(z - r), act(z + r)
    raise AssertionError("unreachable")  # pragma: no cover


def _box_decisions(network: Network, x0, x1, y0, y1) -> tuple[np.ndarray, np.ndarray]:
    """(the decision is the same over the whole box, that decision), in chunks of boxes."""
    sure = np.zeros(len(x0), dtype=bool)
    label = np.full(len(x0), -1)
    for s in range(0, len(x0), BOX_CHUNK):
        part = slice(s, s + BOX_CHUNK)
        lo, hi = _logit_bounds(network, x0[part], x1[part], y0[part], y1[part])
        best = np.argmax(lo, axis=1)
        top = np.take_along_axis(lo, best[:, None], axis=1)[:, 0]
        rival = hi.copy()
        np.put_along_axis(rival, best[:, None], -np.inf, axis=1)
        lead = top - rival.max(axis=1)
        sure[part] = lead > DECISION_SLACK * (1.0 + np.abs(top))
        label[part] = best
    return sure, label


@dataclass(frozen=True)
class MisclassifiedArea:
    """The fraction of the domain a classifier gets wrong, certified: the true fraction lies in [lower, upper].

    Boxes on which both the network's decision and the true class are provably constant (interval bounds) are
    counted exactly; the boxes left undecided after ``depth`` refinements form the band ``upper − lower``, inside
    which ``fraction`` is estimated from a 4 × 4 sample per box.
    """

    fraction: float
    lower: float
    upper: float
    boxes: int
    depth: int
    smallest_box: float


def certify(network: Network, c: Any, depth: int) -> MisclassifiedArea:
    """The certified misclassified area of region classes ``c`` (:class:`univ.classify.Classes`; checked by
    :func:`univ.classify.misclassified_area`), refining undecided boxes ``depth`` times at most."""
    (a, b), (lo_y, hi_y) = c.domain
    total = (b - a) * (hi_y - lo_y)
    ex, ey = np.linspace(a, b, CERTIFY_START + 1), np.linspace(lo_y, hi_y, CERTIFY_START + 1)
    i, j = np.meshgrid(np.arange(CERTIFY_START), np.arange(CERTIFY_START), indexing="ij")
    x0, x1, y0, y1 = ex[i.ravel()], ex[i.ravel() + 1], ey[j.ravel()], ey[j.ravel() + 1]
    wrong, band, sampled, boxes = 0.0, 0.0, 0.0, 0
    for level in range(depth + 1):
        boxes += len(x0)
        sure_truth, lab = c.box_labels(x0, x1, y0, y1)
        done, dec = sure_truth.copy(), np.full(len(x0), -1)
        ask = np.flatnonzero(sure_truth)  # a box the true boundary crosses is split whatever the net does there
        done[ask], dec[ask] = _box_decisions(network, x0[ask], x1[ask], y0[ask], y1[ask])
        area = (x1 - x0) * (y1 - y0)
        wrong += float(area[done & (dec != lab)].sum())
        rest = ~done
        if not rest.any():
            break
        if level == depth or 4 * rest.sum() > MAX_BOXES:
            band = float(area[rest].sum())
            sampled = _sampled_wrong(network, c, x0[rest], x1[rest], y0[rest], y1[rest])
            break
        x0, x1, y0, y1 = x0[rest], x1[rest], y0[rest], y1[rest]
        xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
        x0, x1, y0, y1 = (
            np.concatenate([x0, xm, x0, xm]),
            np.concatenate([xm, x1, xm, x1]),
            np.concatenate([y0, y0, ym, ym]),
            np.concatenate([ym, ym, y1, y1]),
        )
    smallest = float(max((x1 - x0).max(initial=0.0) / (b - a), (y1 - y0).max(initial=0.0) / (hi_y - lo_y)))
    return MisclassifiedArea(
        fraction=(wrong + sampled) / total,
        lower=wrong / total,
        upper=(wrong + band) / total,
        boxes=boxes,
        depth=level,
        smallest_box=smallest,
    )


def _sampled_wrong(network, c, x0, x1, y0, y1) -> float:
    """Area misclassified inside undecided boxes, estimated from SAMPLES_PER_BOX² midpoints each."""
    t = (np.arange(SAMPLES_PER_BOX) + 0.5) / SAMPLES_PER_BOX
    u, v = np.meshgrid(t, t)
    total = 0.0
    step = max(1, 200_000 // SAMPLES_PER_BOX**2)
    for s in range(0, len(x0), step):
        sl = slice(s, s + step)
        X = x0[sl, None] + (x1[sl] - x0[sl])[:, None] * u.ravel()[None, :]
        Y = y0[sl, None] + (y1[sl] - y0[sl])[:, None] * v.ravel()[None, :]
        miss = (decide(network, X, Y) != c.labels(X, Y)).mean(axis=1)
        total += float((miss * (x1[sl] - x0[sl]) * (y1[sl] - y0[sl])).sum())
    return total
