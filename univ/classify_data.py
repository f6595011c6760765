"""TensorFlow Playground's classification datasets and CSVs of labelled points, read as arrays of points and labels."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from . import validate as check
from .errors import ConfigError, DataError
from .limits import MAX_DATA_LINE, MAX_POINTS

DATASETS = ("circle", "xor", "gauss", "spiral")  # TensorFlow Playground's four classification datasets
PLAYGROUND_DOMAIN = ((-6.0, 6.0), (-6.0, 6.0))
DEFAULT_SAMPLES = 500  # Playground's default
MAX_SAMPLES = MAX_POINTS
MAX_CLASSES = 16
MAX_CSV_BYTES = 50_000_000


def playground_points(
    name: str, samples: int, noise: float, seed: int
) -> tuple[np.ndarray, np.ndarray, str, np.random.Generator]:
    """The points and labels of one of TensorFlow Playground's datasets (see :func:`univ.classify.playground`).

    Returns
    -------
    X, labels, text, rng
        Points ``(n, 2)`` on [-6, 6]², labels 0/1, the dataset's description, and the generator (the holdout is
        drawn from it next).
    """
    if name not in DATASETS:
        raise ConfigError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    n = check.whole("samples", samples, 4, MAX_SAMPLES)
    noise = check.real("noise", noise, 0.0, 0.5)
    seed = check.whole("seed", seed, 0)
    rng = np.random.default_rng(seed)
    half = n // 2
    if name == "circle":
        r = np.concatenate([rng.uniform(0, 2.5, half), rng.uniform(3.5, 5.0, n - half)])
        angle = rng.uniform(0, 2 * np.pi, n)
        X = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
        shifted = X + rng.uniform(-5, 5, X.shape) * noise
        labels = (np.hypot(shifted[:, 0], shifted[:, 1]) < 2.5).astype(int)
    elif name == "xor":
        X = rng.uniform(-5, 5, (n, 2))
        X += np.where(X > 0, 0.3, -0.3)
        shifted = X + rng.uniform(-5, 5, X.shape) * noise
        labels = (shifted[:, 0] * shifted[:, 1] >= 0).astype(int)
    elif name == "gauss":
        spread = 0.5 + 3.5 * noise
        X = np.concatenate([rng.normal(2, spread, (half, 2)), rng.normal(-2, spread, (n - half, 2))])
        labels = np.concatenate([np.ones(half, int), np.zeros(n - half, int)])
    else:
        parts, labs = [], []
        for arm, (count, turn) in enumerate(((half, 0.0), (n - half, np.pi))):
            i = np.arange(count)
            r = i / count * 5
            t = 1.75 * i / count * 2 * np.pi + turn
            parts.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + rng.uniform(-1, 1, (count, 2)) * noise)
            labs.append(np.full(count, 1 - arm))
        X, labels = np.concatenate(parts), np.concatenate(labs)
    X = np.clip(X, *PLAYGROUND_DOMAIN[0])
    return X, labels, f"{name} (noise {noise:g}, seed {seed})", rng


def csv_points(p: Path) -> tuple[list[str], tuple, np.ndarray, np.ndarray]:
    """The label names (integers in order, then text), the domain (the bounding box with a 5 % margin), the points
    and their label indices of a CSV of ``x,y,label`` rows (see :func:`univ.classify.read_csv`)."""
    try:
        size = p.stat().st_size
        if size > MAX_CSV_BYTES:
            raise DataError(f"{str(p)!r} is larger than {MAX_CSV_BYTES:,} bytes")
        raw = p.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read {str(p)!r}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{str(p)!r} is not UTF-8 text (a CSV of x,y,label rows is expected)") from None
    if "\x00" in text:
        raise DataError(f"{str(p)!r} is binary, not a CSV of x,y,label rows")
    points, raw_labels = [], []
    for row_no, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if sum(len(c) for c in row) > MAX_DATA_LINE:
            raise DataError(f"row {row_no}: longer than {MAX_DATA_LINE:,} characters")
        if len(row) != 3:
            raise DataError(f"row {row_no}: expected 3 columns x,y,label, got {len(row)}")
        x, y, label = (c.strip() for c in row)
        try:
            xv, yv = float(x), float(y)
        except ValueError:
            if not points and not raw_labels:
                continue  # a header
            col, val = ("x", x) if not _is_float(x) else ("y", y)
            raise DataError(f"row {row_no}: {col} is not a number: {val[:40]!r}") from None
        if not (math.isfinite(xv) and math.isfinite(yv)) or max(abs(xv), abs(yv)) > 1e6:
            raise DataError(f"row {row_no}: x and y must be finite numbers within ±1e6, got {x!r}, {y!r}")
        if not label:
            raise DataError(f"row {row_no}: the label is empty")
        if len(points) >= MAX_SAMPLES:
            raise DataError(f"more than {MAX_SAMPLES:,} samples")
        points.append((xv, yv))
        raw_labels.append(label)
    if len(points) < 4:
        raise DataError(f"{str(p)!r} has {len(points)} labelled points; at least 4 are needed")
    names = sorted(set(raw_labels), key=lambda s: (not _is_int(s), int(s) if _is_int(s) else 0, s))
    if len(names) < 2:
        raise DataError(f"{str(p)!r} has a single label {names[0]!r}: nothing to classify")
    if len(names) > MAX_CLASSES:
        raise DataError(f"{str(p)!r} has {len(names)} labels; at most {MAX_CLASSES}")
    index = {n: i for i, n in enumerate(names)}
    X = np.array(points)
    labels = np.array([index[s] for s in raw_labels])
    lo, hi = X.min(axis=0), X.max(axis=0)
    margin = np.maximum(0.05 * (hi - lo), 1e-3 * np.maximum(1.0, np.abs(X).max(axis=0)))
    dom = tuple((float(a), float(b)) for a, b in zip(lo - margin, hi + margin))
    return names, dom, X, labels


def _is_float(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def _is_int(s: str) -> bool:
    return s.lstrip("+-").isdigit()
