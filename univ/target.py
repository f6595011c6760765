"""A function to approximate, ``Target``: parsed text, a Python callable or measured samples, on a checked domain."""

from __future__ import annotations

import base64
import html
import math
import re
import struct
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import data
from .callables import _arity, _callable_name, _Function
from .errors import ConfigError, DomainError, UnivError
from .limits import MAX_ABS_VALUE as LIMIT_ABS_VALUE
from .limits import MAX_DOMAIN_END, MIN_DOMAIN_WIDTH
from .parse import VARIABLES, Expression, parse_expression
from .singularities import FILL_DIGITS, FILL_SCALES_MP, MAX_PRECISE_WORK, _directions, float_verdict, precise_limit
from .validate import is_real

MAX_ABS_VALUE = LIMIT_ABS_VALUE  # a target larger than this anywhere on the domain is refused
CHECK_POINTS = 10_001  # points per axis (1D) the target is checked on; 2D uses CHECK_POINTS_2D per side
CHECK_POINTS_2D = 301
DEFAULT_DOMAIN = (0.0, 1.0)
POLE_ZOOMS = 3  # times check() zooms in 100-fold on the largest |f| looking for a pole between grid points
POLE_GROWTH = 100.0  # |f| growing this much under zooming is a pole, not a steep continuous function
# a factor, then a function applied to something: "x \sin{\left(", "x \operatorname{relu}{\left(", "x \left|{"
_FUNCTION_AFTER_FACTOR = re.compile(r"(?<=[\w})]) (?=\\(?:[A-Za-z]+\{?\\left\(|operatorname\{\w+\}|left\|))")


# -- numbers in messages ------------------------------------------------------------------------------------------
def _num(v: float) -> str:
    """The shortest text that reads back as ``v`` (``1e-09``, ``1000001``, ``0.1``), so two ends never look alike."""
    v = float(v)
    if v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    short = f"{v:g}"
    return short if float(short) == v else repr(v)


def _shown(value: Any) -> str:
    """A value for a message, kept short even for a 5000-digit integer."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        digits = int(abs(value).bit_length() * math.log10(2)) + 1
        return f"a{' negative' if value < 0 else 'n'} integer of about {digits} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# -- domains ------------------------------------------------------------------------------------------------------
def _end(value: Any, name: str) -> float:
    if not is_real(value):  # bools, text, nan, inf and ints beyond the float range are not
        raise ConfigError(f"{name} must be two finite numbers within ±{MAX_DOMAIN_END:g}, got {_shown(value)}")
    return float(value)


def _check_interval(pair: Any, name: str) -> tuple[float, float]:
    """``pair`` as (a, b) with a < b, ends within ±MAX_DOMAIN_END and width at least MIN_DOMAIN_WIDTH (relative)."""
    if not _is_sequence(pair) or len(pair) != 2:
        raise ConfigError(f"{name} must be two numbers A B, got {_shown(pair)}")
    a, b = (_end(v, name) for v in pair)
    shown = f"[{_num(a)}, {_num(b)}]"
    if max(abs(a), abs(b)) > MAX_DOMAIN_END:
        raise ConfigError(f"{name} {shown} is out of range: its ends must be within ±{MAX_DOMAIN_END:g}")
    if not a < b:
        raise ConfigError(f"{name} must have A < B, got {shown}")
    if (b - a) < MIN_DOMAIN_WIDTH * max(1.0, abs(a), abs(b)):
        raise ConfigError(
            f"{name} {shown} is too narrow: its width must be at least {MIN_DOMAIN_WIDTH:g} × max(1, |A|, |B|)"
        )
    return a, b


def _is_sequence(value: Any) -> bool:
    if isinstance(value, (str, bytes)):
        return False
    try:
        len(value)
        iter(value)
    except TypeError:
        return False
    return True


def _is_pair(value: Any) -> bool:
    """(a, b) of two numbers, as opposed to the older [(a, b)] or ((a, b), (c, d)) of pairs."""
    return _is_sequence(value) and len(value) == 2 and not any(_is_sequence(v) for v in value)


def _domains(domain: Any, ydomain: Any, dimension: int, what: str) -> tuple[tuple[float, float], ...]:
    """Domains written one way everywhere: ``domain=(a, b)`` and ``ydomain=(c, d)``; ``[(a, b)]`` and
    ``[(a, b), (c, d)]`` are still read. Missing ones are [0, 1]."""
    if dimension == 1 and ydomain is not None:
        raise ConfigError(f"{what} has only the variable x, so it takes no ydomain")
    if domain is None:
        pairs = [DEFAULT_DOMAIN]
    elif _is_pair(domain):
        pairs = [domain]
    else:
        try:
            pairs = list(domain)
        except TypeError:
            raise ConfigError(f"domain must be two numbers A B, got {_shown(domain)}") from None
        if not 1 <= len(pairs) <= dimension:
            raise ConfigError(f"{what} has {dimension} variable(s) but {len(pairs)} domain(s) were given")
    if ydomain is not None:
        pairs = pairs[:1] + [ydomain]
    if dimension == 2 and len(pairs) == 1:
        pairs.append(DEFAULT_DOMAIN)
    return tuple(_check_interval(p, "domain" if i == 0 else "ydomain") for i, p in enumerate(pairs))


# -- the target ---------------------------------------------------------------------------------------------------
class Target:
    """A function to approximate: parsed text, a Python callable or measured samples, plus the domain it is
    approximated on.

    Calling it computes raw values with numpy; :meth:`evaluate` computes checked values (finite everywhere, removable
    singularities such as ``sin(x)/x`` at 0 filled in) and raises :class:`DomainError` naming the point otherwise.
    A target made from samples keeps them as ``samples`` (the training ones, a tuple of coordinate arrays and the
    values) and ``holdout`` (the held-out ones, or None); both are None for any other target.
    """

    def __init__(
        self,
        text: str,
        variables: tuple[str, ...],
        domain,
        func: Callable,
        expression: Expression | None = None,
        name: str | None = None,
    ):
        self.text = text
        self.variables = tuple(variables)
        self.dimension = len(self.variables)
        self.expression = expression
        self._func = func
        self._name = name
        self._expr = None
        self._limits_found: dict[tuple[float, ...], float] = {}  # points already filled, so zooms do not redo them
        self.domain = _domains(domain, None, self.dimension, repr(text))
        self.samples: tuple[np.ndarray, ...] | None = None
        self.holdout: tuple[np.ndarray, ...] | None = None

    @classmethod
    def from_samples(cls, x, y, z=None, *, name: str = "data", holdout: float = 0.0, seed: int = 0) -> Target:
        """Measured samples y = f(x) (or z = f(x, y)) as a target: their linear (2D: triangulated) interpolant.

        The parameters are :func:`univ.data.from_arrays`'s, which checks them and holds the samples out.

        Raises
        ------
        DataError, ConfigError
            What :func:`univ.data.from_arrays` refuses (too few samples, NaN/inf, conflicting duplicates, ...).
        """
        return cls._of(data.from_arrays(x, y, z, name=name, holdout=holdout, seed=seed))

    @classmethod
    def from_csv(cls, path, holdout: float = 0.0, seed: int = 0) -> Target:
        """A CSV of x,y (1D) or x,y,z (2D) samples as a target; see :func:`univ.data.read_csv` and
        :meth:`from_samples`.

        Raises
        ------
        DataError
            A missing, empty, binary or oversized file, a bad value (naming its row and column), and everything
            :meth:`from_samples` refuses.
        """
        return cls._of(data.read_csv(path, holdout=holdout, seed=seed))

    @classmethod
    def _of(cls, samples: data.Samples) -> Target:
        target = cls(samples.text, samples.variables, samples.domain, samples.func, name=samples.name)
        target.samples, target.holdout = samples.train, samples.held
        return target

    @classmethod
    def from_function(
        cls, func: Callable, dimension: int | None = None, domain=None, name: str | None = None, *, ydomain=None
    ) -> Target:
        """Wrap a Python callable of x (or of x and y): numpy-vectorised like ``np.sin`` or scalar-only like
        ``math.sin``. ``Target.from_function(np.sin, domain=(0, 3))``; in 2D add ``ydomain=(c, d)``.

        The dimension comes from the callable's positional parameters (``lambda x, y: ...`` is 2D); the name
        from its ``__name__`` (``f`` for a lambda). A callable that raises or returns non-numbers gives a
        ConfigError naming it.
        """
        if not callable(func):
            raise ConfigError(f"from_function needs a callable, not {type(func).__name__}")
        label = name if name is not None else _callable_name(func)
        if not isinstance(label, str) or not label.strip() or len(label) > 80:
            raise ConfigError(f"name must be short non-empty text, got {_shown(label)}")
        arity = _arity(func)
        if dimension is None:
            dimension = arity if arity is not None else (2 if ydomain is not None else 1)
        if dimension not in (1, 2) or (arity is not None and arity != dimension):
            takes = f"was given dimension {dimension}" if arity is None else f"takes {arity} positional parameter(s)"
            raise ConfigError(
                f"a target function takes 1 or 2 positional parameters (x, or x and y); {label!r} {takes}"
            )
        domains = _domains(domain, ydomain, dimension, repr(label))
        wrapped = _Function(func, label, dimension).probe(domains)
        return cls(label, VARIABLES[:dimension], domains, wrapped, name=label)

    def with_domain(self, domain, ydomain=None) -> Target:
        """The same function on another domain: ``domain`` is (a, b), and ``ydomain`` (c, d) in 2D.

        ``((a, b), (c, d))`` is read too. A 2D target keeps its y-domain when only ``domain`` is given.
        """
        domains = _domains(domain, ydomain, self.dimension, repr(self.text))
        if self.dimension == 2 and ydomain is None and _is_pair(domain):
            domains = (domains[0], self.domain[1])
        return Target(self.text, self.variables, domains, self._func, self.expression, self._name)

    def __call__(self, *coords):
        if len(coords) != self.dimension:
            raise ConfigError(f"{self.text!r} takes {self.dimension} coordinate array(s), got {len(coords)}")
        arrays = np.broadcast_arrays(*(np.asarray(c, dtype=float) for c in coords))
        with np.errstate(all="ignore"):
            out = self._func(*arrays)
        return np.broadcast_to(np.asarray(out, dtype=float), arrays[0].shape).copy()

    def evaluate(self, *coords) -> np.ndarray:
        """Values at ``coords``, finite and below ``MAX_ABS_VALUE``; removable singularities are filled in."""
        values = self._filled(coords)
        huge = np.abs(values) > MAX_ABS_VALUE
        if huge.any():
            at = self._where(coords, int(np.flatnonzero(huge.ravel())[0]))
            raise DomainError(f"{self.text} is too large (|f| > {MAX_ABS_VALUE:g}) at {at}")
        return values

    def _filled(self, coords) -> np.ndarray:
        values = self(*coords)
        bad = ~np.isfinite(values)
        if bad.any():
            values[bad] = self._fill(tuple(np.broadcast_arrays(*coords)), bad)
        return values

    def _fill(self, coords, bad) -> np.ndarray:
        """Limits at the non-finite points, when the function approaches one value from every side there."""
        with np.errstate(all="ignore"):
            return self._limits(coords, bad)

    def _limits(self, coords, bad) -> np.ndarray:
        idx = np.flatnonzero(bad.ravel())
        points = np.array([np.asarray(c, dtype=float).ravel()[idx] for c in coords])  # (dimension, n)
        out = np.array([self._limits_found.get(tuple(points[:, i]), np.nan) for i in range(len(idx))])
        todo = np.flatnonzero(np.isnan(out))
        work = MAX_PRECISE_WORK
        directions = len(_directions(self.dimension))
        cost = self.expression.size * directions * 2 * len(FILL_SCALES_MP) if self.expression is not None else 0
        start, size = 0, 64  # in growing chunks, so a function undefined on half the domain is refused quickly
        while start < len(todo):
            chunk = todo[start : start + size]
            filled, nowhere, limit, sure = float_verdict(self, points[:, chunk])
            for j, ok, none, value, certain in zip(chunk, filled, nowhere, limit, sure):
                # in order, so the error names the first point that really has no limit
                out[j] = value if ok else np.nan
                if not certain and not none and self.expression is not None and cost <= work:
                    work -= cost  # float probes settled nothing, or not surely: look again with 60 digits
                    out[j] = precise_limit(self, points[:, j])
                if np.isnan(out[j]):
                    raise DomainError(
                        f"{self.text} is not finite at {self._where(coords, int(idx[j]))} on {self._domain_text()}"
                    )
                if len(self._limits_found) < 10_000:
                    self._limits_found[tuple(points[:, j])] = float(out[j])
            start, size = start + size, size * 4
        return out

    def _inside(self, q) -> np.ndarray:
        ok = np.ones(len(q[0]), dtype=bool)
        for c, (lo, hi) in zip(q, self.domain):
            ok &= (c >= lo) & (c <= hi)
        return ok

    def _where(self, coords, flat_index: int) -> str:
        vals = [float(np.asarray(c, dtype=float).ravel()[flat_index]) for c in np.broadcast_arrays(*coords)]
        shown = [self._point(v, axis) for axis, v in enumerate(vals)]
        if self.dimension == 1:
            return f"x = {shown[0]}"
        return f"(x, y) = ({shown[0]}, {shown[1]})"

    def _point(self, v: float, axis: int) -> str:
        """A coordinate with 6 significant digits, more when the domain is narrow next to its ends' size."""
        a, b = self.domain[axis]
        extra = max(0, math.ceil(math.log10(max(abs(a), abs(b), 1.0) / (b - a))))
        return f"{v:.{6 + extra}g}"

    def _domain_text(self) -> str:
        return " × ".join(f"[{_num(a)}, {_num(b)}]" for a, b in self.domain)

    def check(self) -> Target:
        """Evaluate on the dense check grid (ends and edges included) and look for poles between its points.

        Raises DomainError if the function is not finite somewhere (a removable singularity such as ``sin(x)/x``
        at 0 is filled, not refused), or grows without bound near the grid's largest value (``tan(x)`` on [0, 2]
        never hits π/2 exactly, but zooming in on it makes |f| explode). Returns self.
        """
        if self.dimension == 1:
            ((a, b),) = self.domain
            coords = (np.linspace(a, b, CHECK_POINTS),)
        else:
            (a, b), (c, d) = self.domain
            coords = tuple(np.meshgrid(np.linspace(a, b, CHECK_POINTS_2D), np.linspace(c, d, CHECK_POINTS_2D)))
        values = self.evaluate(*coords)
        self._look_for_pole(coords, values)
        return self

    def _look_for_pole(self, coords, values) -> None:
        k = int(np.argmax(np.abs(values)))
        centre = [float(c.ravel()[k]) for c in coords]
        start = float(np.abs(values).ravel()[k])
        half = [
            (hi - lo) / (CHECK_POINTS - 1 if self.dimension == 1 else CHECK_POINTS_2D - 1) for lo, hi in self.domain
        ]
        peak = start
        for _ in range(POLE_ZOOMS):
            axes = [
                np.clip(np.linspace(p - h, p + h, 1001 if self.dimension == 1 else 101), lo, hi)
                for p, h, (lo, hi) in zip(centre, half, self.domain)
            ]
            pts = np.meshgrid(*axes) if self.dimension == 2 else axes
            v = np.abs(self._filled(pts))  # removable singularities filled; a point with no limit is refused
            j = int(np.argmax(v))
            centre = [float(p.ravel()[j]) for p in pts]
            peak = float(v.ravel()[j])
            half = [h / 100 for h in half]
        if peak > POLE_GROWTH * max(start, 1.0) and not self._rounding_only(centre, start):
            raise DomainError(
                f"{self.text} has a pole (grows without bound) near "
                f"{self._where([np.array(c) for c in centre], 0)} on {self._domain_text()}"
            )

    def _rounding_only(self, centre: list[float], start: float) -> bool:
        """Whether the growth the pole search found is float rounding (cancellation), not the function: parsed text
        evaluated in 60-digit arithmetic at the same point stays small."""
        if self.expression is None:
            return False
        import mpmath as mp

        with mp.workdps(FILL_DIGITS):
            v = self.expression.precise({name: mp.mpf(c) for name, c in zip(self.variables, centre)})
        return bool(mp.isfinite(v)) and abs(float(v)) <= POLE_GROWTH * max(start, 1.0)

    @property
    def expr(self):
        """The sympy expression (unevaluated, exactly as typed), or None for a wrapped Python callable."""
        if self._expr is None and self.expression is not None:
            self._expr = self.expression.sympy()
        return self._expr

    @property
    def latex(self) -> str:
        """LaTeX for the expression in the order it was typed; for a wrapped callable its name applied to the variables
        (``\\mathrm{sin}(x)``).

        A factor before a function gets a thin space (``0.3 x \\, \\sin(15 x)``): TeX puts one there by itself,
        matplotlib's mathtext does not, and figure titles read "0.3xsin(15x)".
        """
        if self.expression is None:
            name = self._name or "f"
            head = name if len(name) == 1 else r"\mathrm{" + name.replace("_", r"\_") + "}"
            return f"{head}({', '.join(self.variables)})"
        import sympy as sp

        return _FUNCTION_AFTER_FACTOR.sub(r"\\, ", sp.latex(self.expr, order="none"))

    def __repr__(self) -> str:
        return f"Target({self.text!r}, variables={self.variables}, domain={self.domain})"

    def _repr_html_(self) -> str:
        """A small table for notebooks: the expression, its LaTeX form, variables, domain and a sketch of f."""
        esc = html.escape
        try:
            formula = f"${esc(self.latex)}$"
        except (RecursionError, ValueError, TypeError, ArithmeticError):  # sympy's printer on a form it cannot hold
            formula = ""
        rows = [
            ("expression", f"<code>{esc(self.text)}</code>"),
            ("formula", formula),
            ("variables", esc(", ".join(self.variables))),
            ("domain", esc(self._domain_text())),
        ]
        sketch = self._sketch()
        if sketch:
            rows.append(("shape", sketch))
        body = "".join(
            f'<tr><th style="text-align:left">{k}</th><td style="text-align:left">{v}</td></tr>' for k, v in rows if v
        )
        return f'<table class="univ-target">{body}</table>'

    def _sketch(self, width: int = 240, height: int = 80) -> str:
        """An inline picture of f: an SVG curve in 1D, a small grey-scale PNG in 2D; empty if f cannot be evaluated."""
        try:
            coords = (
                (np.linspace(*self.domain[0], 121),)
                if self.dimension == 1
                else tuple(np.meshgrid(np.linspace(*self.domain[0], 40), np.linspace(*self.domain[1], 40)))
            )
            v = self.evaluate(*coords)
        except UnivError:
            return ""
        lo, hi = float(v.min()), float(v.max())
        scaled = (v - lo) / (hi - lo) if hi > lo else np.full(v.shape, 0.5)
        if self.dimension == 2:
            grey = (40 + 200 * scaled[::-1]).astype(np.uint8)  # rows top (largest y) first
            return (
                f'<img src="data:image/png;base64,{_png(grey)}" width="{height}" height="{height}" '
                f'style="image-rendering: pixelated" alt="f over the domain, light where f is large">'
            )
        xs = np.linspace(2, width - 2, len(v))
        ys = height - 2 - scaled * (height - 4)
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><polyline points="{path}" fill="none" stroke="#1f77b4" '
            f'stroke-width="1.5"/></svg>'
        )


def _png(grey: np.ndarray) -> str:
    """A grey-scale image (uint8 rows) as base64 PNG text, written by hand so displays need no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    h, w = grey.shape
    rows = b"".join(b"\x00" + row.tobytes() for row in grey)  # filter type 0 before each row
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return base64.b64encode(png).decode("ascii")


def parse(text: str, domain: Sequence[float] | None = None, ydomain: Sequence[float] | None = None) -> Target:
    """Parse maths as people type it into a :class:`Target`, without ever evaluating the text as Python.

    Parameters
    ----------
    text : str
        E.g. ``"sin(3x)"``, ``"3x^2 - 2x + 1"``, ``"x sin(1/x)"``, ``"exp(-(x^2+y^2))"``. Implicit multiplication,
        ``^`` or ``**`` for powers, the constants pi and e and the functions in ``FUNCTIONS``; ASCII digits only.
    domain, ydomain : (float, float), optional
        Interval for x (and y); default [0, 1]. Ends within ±``MAX_DOMAIN_END``.

    Returns
    -------
    Target

    Raises
    ------
    ExpressionError
        With the position of the problem.
    ConfigError
        For a bad domain.

    Examples
    --------
    >>> t = parse("3x^2 - 2x + 1")
    >>> float(t(2.0))
    9.0
    """
    expression = parse_expression(text)
    domains = _domains(domain, ydomain, len(expression.variables), repr(expression.text))
    return Target(expression.text, expression.variables, domains, expression, expression)


def as_target(obj: Any, domain: Sequence[float] | None = None, ydomain: Sequence[float] | None = None) -> Target:
    """Anything that names a function, as a :class:`Target`: text (parsed), a Target, or a Python callable.

    Parameters
    ----------
    obj : str, Target or callable
        ``"sin(3x)"``; a Target (returned as is, or on the new domain); ``np.sin``, ``math.sin`` or
        ``lambda x, y: ...`` (1 or 2 positional parameters give a 1D or 2D target).
    domain, ydomain : (float, float), optional
        Intervals for x and y: default the Target's own, else [0, 1].

    Raises
    ------
    ExpressionError, ConfigError
        Text that does not parse; a bad domain; a callable with the wrong number of parameters, or that raises or
        returns something other than numbers (the message names it).

    Examples
    --------
    >>> as_target(np.sin, domain=(0, 3)).text
    'sin'
    """
    if isinstance(obj, str):
        return parse(obj, domain=domain, ydomain=ydomain)
    if isinstance(obj, Target):
        return (
            obj
            if domain is None and ydomain is None
            else obj.with_domain(domain if domain is not None else obj.domain[0], ydomain)
        )
    if callable(obj):
        return Target.from_function(obj, domain=domain, ydomain=ydomain)
    raise ConfigError(f"a target is text, a Target or a function of x (and y), not {type(obj).__name__}")
