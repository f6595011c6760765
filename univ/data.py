"""Measured data as a target: samples from arrays or a CSV file, interpolated between, with an optional holdout.

A 1D target is the linear interpolant through the samples (``np.interp`` on sorted x); a 2D target is the linear
interpolant on a Delaunay triangulation of the (x, y) points, and the nearest sample outside their convex hull. The
domain is the samples' bounding box. The samples the target was built from are ``target.samples`` and the held-out ones
``target.holdout`` (None without a holdout), so :func:`sample_errors` can report the error on the measurements
themselves and on points the target never saw.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import limits
from . import validate as check
from .errors import ConfigError, DataError, UnivError

SUFFIXES = (".csv", ".tsv", ".txt", ".dat")  # what ``looks_like_data_file`` takes for a path
_CHUNK = 1 << 20  # bytes read at a time while the file is scanned
_QUERY_CHUNK = 200_000  # 2D points located at a time
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(nan|inf|infinity)", re.IGNORECASE)


# -- telling a path from an expression ----------------------------------------------------------------------------
def looks_like_data_file(text: Any) -> bool:
    """Whether the CLI's positional argument names a data file rather than an expression.

    True for text ending in .csv, .tsv, .txt or .dat (any case), whether or not the file exists: no expression
    can end that way, and a missing file then gets "no such file" rather than a puzzling parse error.
    """
    return isinstance(text, (str, os.PathLike)) and os.fspath(text).strip().lower().endswith(SUFFIXES)


# -- samples, checked and interpolated ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Samples:
    """Checked samples and their interpolant: what :meth:`univ.Target.from_samples` and ``from_csv`` wrap.

    ``text`` is what the target is called (the file's name, or the name given), ``name`` its TeX-safe form for
    formulas, ``domain`` the samples' bounding box, ``func`` the interpolant, ``train`` and ``held`` the training and
    held-out samples as tuples of coordinate arrays (``held`` None without a holdout).
    """

    text: str
    name: str
    domain: tuple[tuple[float, float], ...]
    func: Callable[..., np.ndarray]
    train: tuple[np.ndarray, ...]
    held: tuple[np.ndarray, ...] | None

    @property
    def variables(self) -> tuple[str, ...]:
        """``("x",)`` for samples of f(x), ``("x", "y")`` for samples of f(x, y)."""
        return ("x", "y")[: len(self.domain)]


def from_arrays(x, y, z=None, *, name: str = "data", holdout: float = 0.0, seed: int = 0) -> Samples:
    """Measured samples y = f(x) (or z = f(x, y)), checked, with the linear interpolant between them.

    Parameters
    ----------
    x, y : array_like
        1D arrays of the same length: sample positions and values (1D), or positions (2D, with ``z``).
    z : array_like, optional
        Values at the points (x, y): makes a 2D target.
    name : str
        What the target is called in titles and reports.
    holdout : float
        Fraction in [0, 0.9] of the samples held out at random (never the ends in 1D, nor the convex hull's
        corners in 2D, so held-out points lie inside the training samples' range).
    seed : int
        Seed for the random holdout.

    Returns
    -------
    Samples
        ``train`` (the training samples, a tuple of arrays), ``held`` (the held-out ones, or None), the domain and
        the interpolant.

    Raises
    ------
    DataError
        Fewer than 4 distinct samples, NaN/inf, the same x (or (x, y)) with different values, all 2D points on a
        line, or values beyond univ's limits.
    """
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise ConfigError(f"name must be non-empty text of at most 100 characters, got {name!r}")
    columns = [_column(v, label) for v, label in ((x, "x"), (y, "y"), (z, "z")) if v is not None or label != "z"]
    lengths = {len(c) for c in columns}
    if len(lengths) != 1:
        shown = ", ".join(f"{label} has {len(c):,}" for c, label in zip(columns, "xyz"))
        raise DataError(f"the sample arrays differ in length: {shown}")
    values = np.column_stack(columns)
    return _target(
        values, name.strip(), _formula_name(name), holdout, seed, lambda i: f"sample {i + 1:,}", name.strip()
    )


def read_csv(path, holdout: float = 0.0, seed: int = 0) -> Samples:
    """Samples from a CSV of x,y (1D) or x,y,z (2D) values; see :func:`from_arrays` for the rest.

    Commas, tabs, semicolons or blanks separate the columns; a first row with no number in it is a header; blank
    lines and ``#`` comments are skipped. Rows and columns in messages are 1-based, as a spreadsheet shows them.

    Raises
    ------
    DataError
        A missing, empty, binary or oversized file; a missing or non-numeric value (naming its row and column);
        NaN/inf; 1 column or more than 3; rows of different lengths; and everything ``from_arrays`` refuses.
    """
    check.real("holdout", holdout, 0.0, limits.MAX_HOLDOUT)  # before the file is read
    table = _Table(path)
    values = table.read()
    file = Path(table.path)
    return _target(
        values,
        file.name,
        _formula_name(file.stem),
        holdout,
        seed,
        lambda i: f"row {table.row_of(i):,}",
        table.shown,
        table.cell,
    )


def _formula_name(text: str) -> str:
    """The name in f(x) titles: letters and digits only (TeX-safe), "data" if nothing is left."""
    name = re.sub(r"[^A-Za-z0-9]", "", text)
    return name if name and name[0].isalpha() else "data"


def sample_errors(network, target) -> dict[str, Any]:
    """Max absolute error and RMSE of ``network`` on the target's samples and on its held-out samples.

    Returns
    -------
    dict
        ``sample_points``, ``sample_max_error``, ``sample_rmse``, ``sample_worst_at``, and the same four with the
        prefix ``holdout_`` (points 0 and the rest None when nothing was held out).
    """
    samples = getattr(target, "samples", None)
    if samples is None:
        raise ConfigError(f"{target.text!r} is not a data target: it has no samples to measure on")
    if network.input_dim != target.dimension:
        raise ConfigError(
            f"the network takes {network.input_dim} input(s) but {target.text!r} has {target.dimension} variable(s)"
        )
    out = _errors("sample", network, samples)
    held = getattr(target, "holdout", None)
    if held is None:
        out.update(holdout_points=0, holdout_max_error=None, holdout_rmse=None, holdout_worst_at=None)
    else:
        out.update(_errors("holdout", network, held))
    return out


def _errors(prefix: str, network, samples: tuple[np.ndarray, ...]) -> dict[str, Any]:
    *coords, truth = samples
    approx = network(*coords)
    if not np.all(np.isfinite(approx)):
        raise UnivError("the network's output is not finite at the samples; nothing to measure")
    err = np.abs(approx - truth)
    k = int(np.argmax(err))
    return {
        f"{prefix}_points": int(err.size),
        f"{prefix}_max_error": float(err[k]),
        f"{prefix}_rmse": float(np.sqrt(np.mean(err * err))),
        f"{prefix}_worst_at": [float(c[k]) for c in coords],
    }


# -- building the target ------------------------------------------------------------------------------------------
def _column(v: Any, label: str) -> np.ndarray:
    if isinstance(v, (str, bytes)):
        raise DataError(f"{label} must be an array of numbers, not text")
    try:
        a = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        raise DataError(f"{label} must be an array of numbers") from None
    if a.ndim != 1:
        raise DataError(f"{label} must be a 1D array of samples, got shape {a.shape}")
    if a.size > limits.MAX_DATA_ROWS:
        raise DataError(f"{label} has {a.size:,} samples; the limit is {limits.MAX_DATA_ROWS:,}")
    return a


def _target(
    values: np.ndarray,
    text: str,
    name: str,
    holdout: Any,
    seed: Any,
    where: Callable[[int], str],
    shown: str,
    cell: Callable[[int, int], str] | None = None,
) -> Samples:
    """Samples from (n, 2) or (n, 3) ``values``, called ``text`` (the file's name) and ``name`` (in formulas).

    Messages call the source ``shown`` (the path as given) and sample i ``where(i)`` (a file's row or an array
    index); ``cell(i, j)`` is the text of a value as written, when there is a file to quote.
    """
    holdout = check.real("holdout", holdout, 0.0, limits.MAX_HOLDOUT)
    seed = check.whole("seed", seed, 0, 2**63 - 1)
    dim = values.shape[1] - 1
    limit = limits.MAX_DATA_ROWS if dim == 1 else limits.MAX_DATA_ROWS_2D
    if len(values) > limit:
        raise DataError(f"{shown} has {len(values):,} samples; the limit is {limit:,} in {dim}D")
    _check_values(values, shown, where, cell)
    points = _merge(values, shown, where)
    if len(points) < limits.MIN_SAMPLES:
        merged = "" if len(points) == len(values) else f" ({len(values)} rows, identical duplicates merged)"
        raise DataError(
            f"{shown} has {len(points)} distinct sample(s){merged}; a target needs at least {limits.MIN_SAMPLES}"
        )
    domain = [_axis_range(points[:, j], label, shown) for j, label in enumerate("xy"[:dim])]
    train, held = _split(points, holdout, seed, shown)
    func = _interpolant_1d(train) if dim == 1 else _interpolant_2d(train, domain, shown)
    return Samples(
        text, name, tuple(domain), func, tuple(train.T.copy()), None if held is None else tuple(held.T.copy())
    )


def _check_values(
    values: np.ndarray, text: str, where: Callable[[int], str], cell: Callable[[int, int], str] | None
) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        i, j = (int(v[0]) for v in np.nonzero(bad))
        shown = repr(cell(i, j)) if cell is not None else str(values[i, j])
        raise DataError(f"{text}, {where(i)}, column {j + 1}: {shown} is not a finite number")
    coords, vals = values[:, :-1], values[:, -1]
    for name, block, bound in (("a position", coords, limits.MAX_DOMAIN_END), ("a value", vals, limits.MAX_ABS_VALUE)):
        big = np.abs(block) > bound
        if big.any():
            flat = int(np.flatnonzero(big)[0])
            i, j = divmod(flat, block.shape[1]) if block.ndim == 2 else (flat, values.shape[1] - 1)
            shown = repr(cell(i, j)) if cell is not None else f"{block.reshape(-1)[flat]:g}"
            raise DataError(f"{text}, {where(i)}, column {j + 1}: {shown} is out of range for {name} (|v| ≤ {bound:g})")


def _merge(values: np.ndarray, text: str, where: Callable[[int], str]) -> np.ndarray:
    """Sorted by position with identical duplicates merged; the same position with different values is an error."""
    dim = values.shape[1] - 1
    order = np.lexsort(values.T[::-1])  # by x, then y (2D), then the value
    v = values[order]
    same = np.all(v[1:, :dim] == v[:-1, :dim], axis=1)
    clash = same & (v[1:, dim] != v[:-1, dim])
    if clash.any():
        k = int(np.flatnonzero(clash)[0])
        a, b = sorted((int(order[k]), int(order[k + 1])))
        at = f"x = {v[k, 0]:g}" if dim == 1 else f"(x, y) = ({v[k, 0]:g}, {v[k, 1]:g})"
        raise DataError(
            f"{text}: {at} appears twice with different values ({values[a, dim]:g} at {where(a)}, "
            f"{values[b, dim]:g} at {where(b)})"
        )
    return v[np.concatenate([[True], ~same])]


def _axis_range(c: np.ndarray, label: str, text: str) -> tuple[float, float]:
    a, b = float(c.min()), float(c.max())
    if b - a < limits.MIN_DOMAIN_WIDTH * max(1.0, abs(a), abs(b)):
        if a == b:
            raise DataError(f"{text}: every sample has {label} = {a:g}; the samples must spread along {label}")
        raise DataError(
            f"{text}: the samples' {label} values are nearly all equal: they spread over only {b - a:.3g} "
            f"(from {a!r} to {b!r}); the samples must spread along {label}"
        )
    return a, b


def _split(points: np.ndarray, holdout: float, seed: int, text: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Hold out round(holdout·n) samples (at least 1 when holdout > 0) at random, never the outermost ones."""
    n = len(points)
    if holdout == 0.0:
        return points, None
    k = max(1, int(round(holdout * n)))
    if n - k < limits.MIN_SAMPLES:
        raise DataError(
            f"holdout {holdout:g} of {text}'s {n} samples leaves {n - k} for the target; "
            f"it needs at least {limits.MIN_SAMPLES}"
        )
    fixed = np.zeros(n, dtype=bool)
    if points.shape[1] == 2:
        fixed[[0, n - 1]] = True  # sorted by x: the ends fix the domain
    else:
        fixed[_hull_vertices(points[:, :2], text)] = True
    free = np.flatnonzero(~fixed)
    if k > len(free):
        raise DataError(
            f"holdout {holdout:g} asks for {k} of {text}'s {n} samples, but only {len(free)} lie inside "
            f"the outermost ones (which the target keeps)"
        )
    held = np.zeros(n, dtype=bool)
    held[np.random.default_rng(seed).choice(free, size=k, replace=False)] = True
    return points[~held], points[held]


def _hull_vertices(xy: np.ndarray, text: str) -> np.ndarray:
    from scipy.spatial import ConvexHull, QhullError

    try:
        return ConvexHull(_unit(xy)).vertices
    except QhullError:
        raise DataError(
            f"{text}: the (x, y) points lie on a line; a 2D target needs points spread over an area"
        ) from None


def _unit(xy: np.ndarray, box: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    lo, width = box if box is not None else (xy.min(axis=0), np.ptp(xy, axis=0))
    return (xy - lo) / width


def _interpolant_1d(train: np.ndarray) -> Callable:
    xs, ys = train[:, 0].copy(), train[:, 1].copy()  # sorted, distinct x

    def f(x):
        return np.interp(x, xs, ys)

    return f


def _interpolant_2d(train: np.ndarray, domain, text: str) -> Callable:
    """Linear on a Delaunay triangulation of the points scaled to the unit square; the nearest sample outside.

    Within a triangle the value is the barycentric mix of its corners' values (what scipy's LinearNDInterpolator
    computes). Points are located by walking from a triangle at their nearest sample, with barycentric coordinates
    computed here in numpy: scipy's own (``Delaunay.transform``) makes one LAPACK call per triangle, which a busy
    multi-threaded BLAS can slow a thousandfold.
    """
    from scipy.spatial import Delaunay, QhullError, cKDTree

    box = (np.array([domain[0][0], domain[1][0]]), np.array([domain[0][1] - domain[0][0], domain[1][1] - domain[1][0]]))
    pts = _unit(train[:, :2], box)
    try:
        tri = Delaunay(pts)
    except QhullError:
        raise DataError(
            f"{text}: the (x, y) points lie on a line; a 2D target needs points spread over an area"
        ) from None
    z = train[:, 2].copy()
    simplices, neighbors = tri.simplices, tri.neighbors
    corner = pts[simplices[:, 0]]  # (m, 2)
    e1, e2 = pts[simplices[:, 1]] - corner, pts[simplices[:, 2]] - corner
    det = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
    det[det == 0] = np.finfo(float).tiny  # qhull leaves no flat triangles; a guard all the same
    start = np.maximum(tri.vertex_to_simplex, 0)  # a triangle at each sample (qhull may drop a near-duplicate)
    nearest = cKDTree(pts)

    def barycentric(s, q):
        d = q - corner[s]
        l1 = (e2[s, 1] * d[:, 0] - e2[s, 0] * d[:, 1]) / det[s]
        l2 = (e1[s, 0] * d[:, 1] - e1[s, 1] * d[:, 0]) / det[s]
        return np.column_stack([1.0 - l1 - l2, l1, l2])

    def locate(q, near):
        """(simplex or -1 outside the hull, barycentric coordinates) of each point, walking from its nearest sample."""
        s = start[near].copy()
        lam = np.zeros((len(q), 3))
        todo = np.arange(len(q))
        for _ in range(len(simplices) + 1):  # a visibility walk on a Delaunay triangulation always ends
            if not len(todo):
                break
            b = barycentric(s[todo], q[todo])
            k = np.argmin(b, axis=1)
            inside = b[np.arange(len(todo)), k] >= -1e-12
            lam[todo[inside]] = b[inside]
            step = todo[~inside]
            s[step] = neighbors[s[step], k[~inside]]
            todo = step[s[step] >= 0]
        return s, lam

    def f(x, y):
        q = _unit(np.column_stack([np.ravel(x), np.ravel(y)]), box)
        out = np.full(len(q), np.nan)
        ok = np.flatnonzero(np.isfinite(q).all(axis=1))
        for i in range(0, len(ok), _QUERY_CHUNK):
            idx = ok[i : i + _QUERY_CHUNK]
            near = nearest.query(q[idx])[1]
            s, lam = locate(q[idx], near)
            inside = s >= 0
            out[idx[inside]] = np.einsum("ij,ij->i", lam[inside], z[simplices[s[inside]]])
            out[idx[~inside]] = z[near[~inside]]
        return out.reshape(np.shape(x))

    return f


# -- reading a file -----------------------------------------------------------------------------------------------
class _Table:
    """One data file: scanned for size and binary content first, then parsed (numpy's reader, or line by line to
    name the row and column of a problem)."""

    def __init__(self, path: Any):
        if not isinstance(path, (str, os.PathLike)):
            raise ConfigError(f"a data file must be a path, not {type(path).__name__}")
        self.path = os.fspath(path)
        self.shown = self.path
        self._rows: np.ndarray | None = None
        self._header_line = 0  # 1-based line of the header, 0 without one
        self._sep: str | None = None

    # 1. size and kind, before anything is parsed
    def _scan(self) -> int:
        """Lines in the file (a final line without a newline counts); refuses binary, non-UTF-8 and huge files."""
        p = self.path
        if not os.path.exists(p):
            raise DataError(f"no such file: {self.shown}")
        if not os.path.isfile(p):
            raise DataError(f"{self.shown} is not a file")
        if os.path.getsize(p) == 0:
            raise DataError(f"{self.shown} is empty")
        decoder = codecs.getincrementaldecoder("utf-8")()
        lines, run, offset, last = 0, 0, 0, b"\n"
        try:
            with open(p, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    if b"\0" in chunk:
                        raise DataError(f"{self.shown} is not a text file (it contains binary data)")
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError as e:
                        raise DataError(
                            f"{self.shown} is not UTF-8 text (byte {offset + e.start + 1:,} cannot be "
                            f"decoded); save it as UTF-8 CSV"
                        ) from None
                    ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
                    if len(ends):
                        longest = max(run + int(ends[0]), int(np.diff(ends).max(initial=0)) - 1)
                        run = len(chunk) - int(ends[-1]) - 1
                    else:
                        longest, run = 0, run + len(chunk)
                    if max(longest, run) > limits.MAX_DATA_LINE:
                        raise DataError(
                            f"{self.shown} has a line longer than {limits.MAX_DATA_LINE:,} characters "
                            f"near line {lines + 1:,}; it is not a CSV of samples"
                        )
                    lines += len(ends)
                    if lines > limits.MAX_DATA_ROWS + 1:  # one line may be the header
                        raise DataError(
                            f"{self.shown} has more than {limits.MAX_DATA_ROWS:,} rows; the limit is "
                            f"{limits.MAX_DATA_ROWS:,}"
                        )
                    offset += len(chunk)
                    last = chunk[-1:]
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise DataError(
                f"{self.shown} is not UTF-8 text (it ends inside a character); save it as UTF-8 CSV"
            ) from None
        except OSError as e:
            raise DataError(f"cannot read {self.shown}: {e.strerror or e}") from None
        return lines + (last != b"\n")

    # 2. the first rows: a header (a first row with no number in it), then the separator and column count
    def _first_row(self) -> tuple[str | None, int]:
        header = None
        with open(self.path, encoding="utf-8-sig", newline="") as fh:
            for number, line in enumerate(fh, 1):
                content = line.split("#", 1)[0]
                if not content.strip():
                    continue
                sep = next((s for s in (",", "\t", ";") if s in content), None)
                fields = self._fields(content, sep)
                if header is None and not self._header_line and not any(_NUMBER.fullmatch(f) for f in fields):
                    self._header_line, header = number, fields
                    continue
                if header is not None and len(header) != len(fields) and len(fields) in (2, 3):
                    raise DataError(
                        f"{self.shown}: the header (row {self._header_line:,}) has {len(header)} "
                        f"column(s) but row {number:,} has {len(fields)}"
                    )
                return sep, len(fields)
        if header is not None:
            raise DataError(f"{self.shown} has a header but no data rows")
        raise DataError(f"{self.shown} has no data rows (only blank lines and # comments)")

    @staticmethod
    def _fields(content: str, sep: str | None) -> list[str]:
        if sep is None:
            return content.split()
        row = next(csv.reader([content.rstrip("\r\n")], delimiter=sep, quotechar='"'), [])
        return [f.strip() for f in row]

    def read(self) -> np.ndarray:
        """The samples as an (n, 2) or (n, 3) float array; a DataError naming the row and column otherwise."""
        lines = self._scan()
        sep, cols = self._first_row()
        self._sep = sep
        if cols == 1:
            raise DataError(f"{self.shown} has 1 column; a data file needs 2 (x,y) or 3 (x,y,z), separated by commas")
        if cols > 3:
            raise DataError(f"{self.shown} has {cols} columns; a data file needs 2 (x,y) or 3 (x,y,z)")
        if cols == 3 and lines - bool(self._header_line) > limits.MAX_DATA_ROWS_2D:
            raise DataError(
                f"{self.shown} has more than {limits.MAX_DATA_ROWS_2D:,} rows; the limit is "
                f"{limits.MAX_DATA_ROWS_2D:,} for 2D samples"
            )
        values = self._fast(sep, cols)
        if values is None:
            values, self._rows = self._slow(sep, cols)
        return values

    # 3. numpy's reader for well-formed files; line by line for the rest, to name the row and column
    def _fast(self, sep: str | None, cols: int) -> np.ndarray | None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "input contained no data" is handled below
                values = np.loadtxt(
                    self.path,
                    dtype=float,
                    delimiter=sep,
                    comments="#",
                    skiprows=self._header_line,
                    ndmin=2,
                    encoding="utf-8-sig",
                    quotechar='"' if sep else None,
                )
        except (ValueError, IndexError):
            return None
        if values.shape[1] != cols or len(values) == 0:
            return None
        return values

    def _slow(self, sep: str | None, cols: int) -> tuple[np.ndarray, np.ndarray]:
        rows, numbers = [], []
        with open(self.path, encoding="utf-8-sig", newline="") as fh:
            for number, line in enumerate(fh, 1):
                content = line.split("#", 1)[0]
                if number <= self._header_line or not content.strip():
                    continue
                fields = self._fields(content, sep)
                if len(fields) != cols:
                    raise DataError(
                        f"{self.shown}, row {number:,} has {len(fields)} column(s) but the file has "
                        f"{cols}; every row needs the same number of values"
                    )
                for j, f in enumerate(fields):
                    if not f:
                        raise DataError(f"{self.shown}, row {number:,}, column {j + 1}: missing value")
                    if not _NUMBER.fullmatch(f):
                        shown = f if len(f) <= 30 else f[:27] + "..."
                        raise DataError(f"{self.shown}, row {number:,}, column {j + 1}: {shown!r} is not a number")
                rows.append([float(f) for f in fields])
                numbers.append(number)
        if not rows:
            raise DataError(f"{self.shown} has a header but no data rows")
        return np.array(rows, dtype=float), np.array(numbers)

    def row_of(self, i: int) -> int:
        """The file's 1-based line number of data row i (found by a second pass only when a message needs it)."""
        if self._rows is None:
            numbers = []
            with open(self.path, encoding="utf-8-sig", newline="") as fh:
                for number, line in enumerate(fh, 1):
                    if number > self._header_line and line.split("#", 1)[0].strip():
                        numbers.append(number)
            self._rows = np.array(numbers)
        return int(self._rows[i]) if i < len(self._rows) else i + 1 + self._header_line

    def cell(self, i: int, j: int) -> str:
        """The text of data row i, column j as the file has it."""
        number = self.row_of(i)
        with open(self.path, encoding="utf-8-sig", newline="") as fh:
            for k, line in enumerate(fh, 1):
                if k == number:
                    sep = self._sep
                    fields = self._fields(line.split("#", 1)[0], sep)
                    return fields[j] if j < len(fields) else ""
        return ""


__all__ = ["SUFFIXES", "Samples", "from_arrays", "looks_like_data_file", "read_csv", "sample_errors"]
