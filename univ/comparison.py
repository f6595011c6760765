"""Trained nets, hand-built nets and classical least-squares fits with the same budget, measured on one grid."""

from __future__ import annotations

import html
import math
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.polynomial import Chebyshev

from . import constructions, limits, training
from .constructions import METHODS, names
from .errors import ConfigError, UnivError
from .measure import POINTS_1D, convergence_slope, measure
from .network import Network
from .target import as_target

CONSTRUCT_METHODS = names(1)  # the 1D constructions of univ.METHODS: bumps, steps, relu, heaviside
COMPARED = names(1, having="compared")  # the constructions compare and sweep run unless told: bumps, steps, relu
BASELINES = ("poly", "spline")
SWEEP_METHODS = (*CONSTRUCT_METHODS, "fit", *BASELINES)
MAX_DEPTH = limits.MAX_COMPARE_DEPTH
MAX_NEURONS = limits.MAX_NEURONS
MAX_BASELINE_COEFFICIENTS = limits.MAX_BASELINE_COEFFICIENTS  # 3N + 1 ≤ 10,001: N ≤ 3,333
BASELINE_POINTS = POINTS_1D  # the spline is fitted on at least the measuring grid's 10,001 points
SPLINE_POINTS_PER_COEFFICIENT = 4  # and on at least 4 points per coefficient, so every knot span holds points
SPLINE_DEGREE = 3
ROW_KEYS = ("model", "hidden_layers", "hidden_neurons", "parameters", "max_error", "rmse", "seconds")


@dataclass(frozen=True, eq=False)
class Model:
    """One competitor: a callable on x, and the network and loss history behind it when there is one.

    ``kind`` is ``fit`` (gradient-trained), ``construct`` (built by hand) or ``baseline`` (least squares).
    """

    name: str
    kind: str
    predict: Callable[[np.ndarray], np.ndarray]
    network: Network | None
    history: Any  # univ.History for kind == "fit", else None
    row: dict[str, Any]


@dataclass(frozen=True, eq=False)
class Comparison:
    """The result of :func:`compare`: one table row per model (keys ``ROW_KEYS``) and the models themselves."""

    target: Any
    neurons: int
    rows: list[dict[str, Any]]
    models: list[Model]
    notes: list[str] = field(default_factory=list)  # one line each: a capped baseline, a warning caught

    def to_dict(self) -> dict[str, Any]:
        return {"rows": [dict(r) for r in self.rows], "notes": list(self.notes)}

    def __repr__(self) -> str:
        best = min(self.rows, key=lambda r: r["max_error"], default=None)
        tail = f", best {best['model']} (max error {best['max_error']:.3g})" if best else ""
        return f"Comparison({_short(self.target)}, N={self.neurons}: {len(self.rows)} models{tail})"

    def _repr_html_(self) -> str:
        head = ["model", "hidden layers", "hidden neurons", "parameters", "max error", "RMSE", "seconds"]
        body = [
            [
                r["model"],
                _cell(r["hidden_layers"]),
                _cell(r["hidden_neurons"]),
                f"{r['parameters']:,}",
                f"{r['max_error']:.3g}",
                f"{r['rmse']:.3g}",
                f"{r['seconds']:.3g}",
            ]
            for r in self.rows
        ]
        return _html_table(
            f"{_text(self.target)} with a budget of N = {self.neurons:,} neurons", head, body, self.notes
        )


@dataclass(frozen=True, eq=False)
class Sweep:
    """The result of :func:`sweep`: errors per method at each neuron count, and their log-log slopes.

    ``slopes[method]`` is the least-squares slope of log(max error) against log(neurons) (``rmse_slopes`` the
    same for the RMSE); ``None`` where fewer than two errors are positive.
    """

    target: Any
    neurons: list[int]
    methods: tuple[str, ...]
    max_error: dict[str, list[float]]
    rmse: dict[str, list[float]]
    seconds: dict[str, list[float]]
    slopes: dict[str, float | None]
    rmse_slopes: dict[str, float | None]
    notes: list[str] = field(default_factory=list)  # one line each, e.g. a warning caught while fitting a baseline

    def to_dict(self) -> dict[str, Any]:
        return {
            "neurons": list(self.neurons),
            "methods": list(self.methods),
            "max_error": {k: list(v) for k, v in self.max_error.items()},
            "rmse": {k: list(v) for k, v in self.rmse.items()},
            "seconds": {k: list(v) for k, v in self.seconds.items()},
            "slopes": dict(self.slopes),
            "rmse_slopes": dict(self.rmse_slopes),
            "notes": list(self.notes),
        }

    def __repr__(self) -> str:
        ns = self.neurons
        span = f"N={ns[0]}" if len(ns) == 1 else f"N={ns[0]}..{ns[-1]}"
        slopes = ", ".join(f"{m} {'—' if s is None else f'{s:.2f}'}" for m, s in self.slopes.items())
        return f"Sweep({_short(self.target)}, {span}, slopes: {slopes})"

    def _repr_html_(self) -> str:
        head = ["method", *(str(n) for n in self.neurons), "slope"]
        body = [
            [m, *(f"{e:.3g}" for e in self.max_error[m]), "—" if self.slopes[m] is None else f"{self.slopes[m]:.2f}"]
            for m in self.methods
        ]
        return _html_table(f"max error of {_text(self.target)} against neurons N", head, body, self.notes)


def _text(target: Any) -> str:
    return str(getattr(target, "text", target))


def _short(target: Any, width: int = 40) -> str:
    text = _text(target)
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _cell(v: Any) -> str:
    if v is None:
        return "—"
    return " × ".join(f"{w:,}" for w in v) if isinstance(v, (list, tuple)) else f"{v:,}"


def _html_table(caption: str, head: Sequence[str], body: Sequence[Sequence[str]], notes: Sequence[str]) -> str:
    """A plain HTML table for notebooks: a caption (and the notes under it), a header row, one row per entry."""
    e = html.escape
    cap = e(caption) + "".join(f"<br><small>{e(n)}</small>" for n in notes)
    rows = ["<tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"]
    rows += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in body]
    return f"<table><caption>{cap}</caption>" + "".join(rows) + "</table>"


# -- the pieces -------------------------------------------------------------------------------------------
def _target_1d(target: Any, domain) -> Any:
    target = as_target(target, domain=domain)
    if target.dimension != 1:
        raise ConfigError(
            f"compare and sweep work on functions of x alone; {target.text!r} has variables "
            f"{', '.join(target.variables)}"
        )
    return target


def _check_neurons(n: Any, what: str = "neurons") -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_NEURONS:
        shown = n if not isinstance(n, int) or abs(n) < 10**15 else f"{n:.3g}"
        raise ConfigError(f"{what} must be whole numbers from 1 to {MAX_NEURONS:,}, got {shown!r}")
    return int(n)


def baseline_parameters(neurons: int, dimension: int = 1) -> int:
    """Parameters of a one-hidden-layer net with ``neurons`` units: (d + 2)·N + 1, i.e. 3N + 1 in 1D."""
    return (dimension + 2) * neurons + 1


def baseline_neurons() -> int:
    """The largest budget N whose baselines' 3N + 1 coefficients stay within ``MAX_BASELINE_COEFFICIENTS``."""
    return (MAX_BASELINE_COEFFICIENTS - 1) // 3


def _check_coefficients(name: str, coefficients: Any, least: int = 1) -> int:
    if (
        isinstance(coefficients, bool)
        or not isinstance(coefficients, (int, np.integer))
        or not (least <= coefficients <= MAX_BASELINE_COEFFICIENTS)
    ):
        raise ConfigError(
            f"the {name} baseline takes from {least} to {MAX_BASELINE_COEFFICIENTS:,} coefficients "
            f"(3N + 1 for N ≤ {baseline_neurons():,} neurons), got {coefficients!r}"
        )
    return int(coefficients)


def fit_polynomial(target: Any, coefficients: int):
    """The Chebyshev interpolant with ``coefficients`` terms (degree one less) on the target's domain.

    It interpolates f at as many Chebyshev points of the first kind, which makes it the discrete least-squares fit
    on those points and within a log factor of the best polynomial in the max norm; the coefficients come from one
    discrete cosine transform, so it is well conditioned at any degree and costs O(p log p) to fit (a least-squares
    fit on the measuring grid costs O(10,001 · p²): 71 s at p = 3,001). At most ``MAX_BASELINE_COEFFICIENTS``.
    """
    from scipy.fft import dct

    p = _check_coefficients("poly", coefficients)
    ((a, b),) = target.domain
    nodes = np.cos(np.pi * (np.arange(p) + 0.5) / p)  # (p,) in (−1, 1)
    values = target.evaluate(a + 0.5 * (b - a) * (nodes + 1.0))
    c = dct(values, type=2) / p  # c_j = (2/p) Σ_k f(x_k) cos(j θ_k), halved for j = 0
    c[0] *= 0.5
    return Chebyshev(c, domain=[a, b])


def fit_spline(target: Any, coefficients: int, degree: int = SPLINE_DEGREE):
    """Least-squares spline of ``degree`` with ``coefficients`` B-spline coefficients on uniform knots.

    Fitted on max(10,001, 4 · coefficients) evenly spaced points (ends included), so every knot span holds
    points; at most ``MAX_BASELINE_COEFFICIENTS``.
    """
    from scipy.interpolate import make_lsq_spline

    k = degree
    if coefficients < k + 1:
        raise ConfigError(f"a degree-{k} spline needs at least {k + 1} coefficients, got {coefficients}")
    p = _check_coefficients("spline", coefficients, k + 1)
    ((a, b),) = target.domain
    x = np.linspace(a, b, max(BASELINE_POINTS, SPLINE_POINTS_PER_COEFFICIENT * p))
    interior = np.linspace(a, b, p - k + 1)[1:-1]  # p − k − 1 interior knots
    t = np.concatenate([[a] * (k + 1), interior, [b] * (k + 1)])
    y = target.evaluate(x)
    try:  # the banded normal equations: 20 times faster than scipy's default QR at 10,001 coefficients
        return make_lsq_spline(x, y, t, k=k, method="norm-eq")
    except TypeError:  # pragma: no cover - scipy < 1.13 has no method and always solves the normal equations
        return make_lsq_spline(x, y, t, k=k)


BASELINE_FITS = {"poly": fit_polynomial, "spline": fit_spline}


def _baseline(name: str, target: Any, coefficients: int) -> tuple[Any, Any, float, list[str]]:
    """Fit and measure one baseline with warnings caught: (callable, report, seconds, warning messages)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f, seconds = _timed(BASELINE_FITS[name], target, coefficients)
        report = measure(f, target)
    return f, report, seconds, [str(w.message).strip().splitlines()[0] for w in caught if str(w.message).strip()]


def _warning_note(name: str, messages: Sequence[str], where: Sequence[int] = ()) -> str | None:
    """One line for every warning a baseline raised: the distinct messages, how many, and at which budgets."""
    if not messages:
        return None
    distinct = list(dict.fromkeys(messages))
    said = "; ".join(repr(m) for m in distinct[:2]) + (f" and {len(distinct) - 2} more" if len(distinct) > 2 else "")
    at = f" at N = {', '.join(str(n) for n in where)}" if where else ""
    times = f"{len(messages)} warnings" if len(messages) > 1 else "a warning"
    return f"{name}: {times} while fitting{at} ({said}); its errors are measured all the same"


def _row(model: str, layers: list[int] | None, neurons: int | None, params: int, report, seconds: float) -> dict:
    """One table row; ``hidden_layers`` is the list of hidden widths, as in every univ report (None for baselines)."""
    return {
        "model": model,
        "hidden_layers": None if layers is None else [int(w) for w in layers],
        "hidden_neurons": neurons,
        "parameters": int(params),
        "max_error": float(report.max_error),
        "rmse": float(report.rmse),
        "seconds": float(seconds),
    }


def _warm_imports(optimizer: str, methods: Sequence[str]) -> None:
    """Import what the models need before any is timed, so ``seconds`` measures work, not imports."""
    if optimizer == "lbfgs" and ("fit" in methods):
        import scipy.optimize
    if "spline" in methods:
        import scipy.interpolate
    if "poly" in methods:
        import scipy.fft  # noqa: F401


def _timed(make: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = make(*args, **kwargs)
    return out, time.perf_counter() - t0


# -- compare ----------------------------------------------------------------------------------------------
def compare(
    target: Any,
    neurons: int,
    depths: Sequence[int] = (1, 2, 3),
    activation: str = "tanh",
    epochs: int = 1000,
    seed: int = 0,
    methods: Sequence[str] = COMPARED,
    baselines: bool = True,
    *,
    optimizer: str = "lbfgs",
    lr: float | None = None,
    points: int = 1000,
    domain: tuple[float, float] | None = None,
    callback: Callable[[str, int, float], Any] | None = None,
) -> Comparison:
    """Pit nets trained with the same total hidden neurons against the hand-built ones and classical fits.

    Parameters
    ----------
    target : Target or str
        A function of x (1D).
    neurons : int
        The budget N. A trained net of depth k has k hidden layers of N // k neurons; the constructions use N
        (bumps: the even number at or below N); the baselines get the parameters of a one-hidden-layer net of N
        neurons, 3N + 1.
    depths : sequence of int
        Depths of the trained nets; empty for none.
    activation, epochs, seed, optimizer, lr, points
        Passed to :func:`univ.fit`.
    methods : sequence of str
        Constructions from ``univ.METHODS`` (``bumps``, ``steps``, ``relu``, ``heaviside``); by default
        ``COMPARED``, those the registry marks ``compared``.
    baselines : bool
        Add a Chebyshev interpolant (``poly``, degree 3N) and a least-squares cubic spline (``spline``), each with
        3N + 1 coefficients, at most ``MAX_BASELINE_COEFFICIENTS`` (10,001): past N = 3,333 they are fitted at
        that cap and ``notes`` says so.
    callback : callable, optional
        ``callback(model_name, epoch, loss)`` during training.

    Returns
    -------
    Comparison
        ``rows`` (dicts with keys ``ROW_KEYS``; errors from :func:`univ.measure` on 10,001 points, ends
        included), ``models`` (callables, networks, loss histories) in the same order, and ``notes`` (a capped
        baseline, warnings caught while fitting one).

    Raises
    ------
    ConfigError
        Before any model is made: every trained net's settings (:class:`univ.FitConfig` for each depth), every
        construction's and the target are checked first.

    Examples
    --------
    >>> c = compare("sin(3x)", 12, depths=(1, 2), epochs=200, methods=("relu",))
    >>> [r["model"] for r in c.rows]
    ['fit 1x12', 'fit 2x6', 'relu', 'poly', 'spline']
    """
    # every model's settings are checked before the first is made: a refusal never comes after minutes of work
    target = _target_1d(target, domain)
    n = _check_neurons(neurons)
    train = dict(activation=activation, optimizer=optimizer, lr=lr, epochs=epochs, seed=seed, points=points)
    depths = tuple(depths)
    fit_configs, build_configs = _compare_configs(n, depths, tuple(methods), baselines, train)
    notes: list[str] = []
    p = baseline_parameters(n)
    coefficients = min(p, MAX_BASELINE_COEFFICIENTS)
    if baselines and coefficients < p:
        notes.append(
            f"poly and spline are capped at {MAX_BASELINE_COEFFICIENTS:,} coefficients (the budget of "
            f"N = {baseline_neurons():,}); a one-hidden-layer net of {n:,} neurons has {p:,} parameters"
        )
    target.check()  # DomainError where f is not finite, before anything is trained or built

    _warm_imports(optimizer, (*(["fit"] if depths else []), *(BASELINES if baselines else ())))
    models = _trained_and_built(target, fit_configs, build_configs, callback)
    if baselines:
        for name in BASELINES:
            f, report, seconds, caught = _baseline(name, target, coefficients)
            models.append(Model(name, "baseline", f, None, None, _row(name, None, None, coefficients, report, seconds)))
            note = _warning_note(name, caught)
            if note:
                notes.append(note)
    return Comparison(target=target, neurons=n, rows=[m.row for m in models], models=models, notes=notes)


def _compare_configs(n: int, depths: tuple, methods: tuple, baselines, train: dict[str, Any]) -> tuple[dict, dict]:
    """Each depth's :class:`univ.FitConfig` and each method's construction config for a budget of n neurons,
    all checked (ConfigError naming the bad depth, method or ``baselines`` flag)."""
    for d in depths:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not 1 <= d <= MAX_DEPTH:
            raise ConfigError(f"depths must be whole numbers from 1 to {MAX_DEPTH}, got {d!r}")
        if n // d < 1:
            raise ConfigError(f"depth {d} needs at least {d} neurons (one per layer), but neurons is {n}")
    for m in methods:
        if m not in CONSTRUCT_METHODS:
            raise ConfigError(f"unknown method {m!r}; choose from {', '.join(CONSTRUCT_METHODS)}")
    for m in methods:
        smallest = METHODS[m].builder(1).min_neurons
        if n < smallest:
            raise ConfigError(f"{m} needs at least {smallest} neurons, got {n}")  # bumps: one pair
    if not isinstance(baselines, (bool, np.bool_)):
        raise ConfigError(f"baselines must be True or False, got {baselines!r}")
    fit_configs = {d: training.FitConfig(hidden=(n // d,) * d, **train) for d in dict.fromkeys(depths)}
    build_configs = {
        m: constructions.configure(m, METHODS[m].builder(1).at_most(n), None, 1) for m in dict.fromkeys(methods)
    }
    return fit_configs, build_configs


def _trained_and_built(target, fit_configs: dict, build_configs: dict, callback) -> list[Model]:
    """The trained nets (one per depth) then the constructions, each timed and measured."""
    models: list[Model] = []
    for d, cfg in fit_configs.items():
        name = f"fit {d}x{cfg.hidden[0]}"
        cb = None if callback is None else (lambda e, loss, _name=name: callback(_name, e, loss))
        result, seconds = _timed(training.fit, target, config=cfg, callback=cb)
        net = result.network
        models.append(
            Model(
                name,
                "fit",
                net,
                net,
                result.history,
                _row(name, net.hidden_sizes, net.n_hidden, net.n_params, measure(net, target), seconds),
            )
        )
    for m, cfg in build_configs.items():
        net, seconds = _timed(constructions.construct, target, config=cfg)
        models.append(
            Model(
                m,
                "construct",
                net,
                net,
                None,
                _row(m, net.hidden_sizes, net.n_hidden, net.n_params, measure(net, target), seconds),
            )
        )
    return models


# -- sweep ------------------------------------------------------------------------------------------------
def sweep(
    target: Any,
    neurons: Sequence[int] = (4, 8, 16, 32, 64),
    methods: Sequence[str] = COMPARED,
    *,
    activation: str = "tanh",
    optimizer: str = "lbfgs",
    epochs: int = 1000,
    seed: int = 0,
    points: int = 1000,
    domain: tuple[float, float] | None = None,
    callback: Callable[[str, int], Any] | None = None,
) -> Sweep:
    """Error against neuron count for each method, and the fitted convergence rate (log-log slope).

    Parameters
    ----------
    target : Target or str
        A function of x (1D).
    neurons : sequence of int
        Neuron counts N (``bumps`` needs even N).
    methods : sequence of str
        Any of ``SWEEP_METHODS``: constructions (``bumps``, ``steps``, ``relu``, ``heaviside``), ``fit`` (one
        trained hidden layer of N), ``poly`` (Chebyshev interpolant) and ``spline`` (least-squares cubic), each
        with 3N + 1 coefficients, so N ≤ 3,333 when a sweep includes them. By default ``COMPARED``.
    activation, optimizer, epochs, seed, points
        For ``fit``.
    callback : callable, optional
        ``callback(method, neurons)`` before each model is made.

    Returns
    -------
    Sweep
        Steps and bumps converge like N⁻¹, ReLU hinges like N⁻² on smooth functions. ``notes`` holds one line
        per baseline that raised warnings (they are caught, never printed).

    Raises
    ------
    ConfigError
        Before any model is made: every (method, N) pair is checked first.

    Examples
    --------
    >>> s = sweep("sin(3x)", [16, 32, 64, 128], methods=("relu",))
    >>> round(s.slopes["relu"])
    -2
    """
    # every model's settings are checked before the first is made: a refusal never comes after minutes of work
    target = _target_1d(target, domain)
    ns = [_check_neurons(k) for k in neurons]
    if not ns:
        raise ConfigError("neurons must list at least one neuron count")
    if len(set(ns)) != len(ns):
        raise ConfigError(f"neurons must not repeat a count, got {ns}")
    methods = tuple(dict.fromkeys(methods))
    if not methods:
        raise ConfigError("methods must name at least one method")
    for m in methods:
        if m not in SWEEP_METHODS:
            raise ConfigError(f"unknown method {m!r}; choose from {', '.join(SWEEP_METHODS)}")
    train = dict(activation=activation, optimizer=optimizer, epochs=epochs, seed=seed, points=points)
    settings = _sweep_settings(ns, methods, train)
    target.check()  # DomainError where f is not finite, before anything is trained or built

    _warm_imports(optimizer, methods)
    max_error: dict[str, list[float]] = {m: [] for m in methods}
    rmse: dict[str, list[float]] = {m: [] for m in methods}
    seconds: dict[str, list[float]] = {m: [] for m in methods}
    notes: list[str] = []
    for m in methods:
        note = _sweep_method(target, m, ns, settings, callback, max_error[m], rmse[m], seconds[m])
        if note:
            notes.append(note)
    return Sweep(
        target=target,
        neurons=ns,
        methods=methods,
        max_error=max_error,
        rmse=rmse,
        seconds=seconds,
        slopes={m: _slope(ns, max_error[m]) for m in methods},
        rmse_slopes={m: _slope(ns, rmse[m]) for m in methods},
        notes=notes,
    )


def _sweep_settings(ns: list[int], methods: tuple, train: dict[str, Any]) -> dict[tuple[str, int], Any]:
    """What makes each (method, N) model, checked: a construction config, a FitConfig, or a baseline's coefficients."""
    settings: dict[tuple[str, int], Any] = {}
    for m in methods:
        for k in ns:
            if m in CONSTRUCT_METHODS:
                settings[m, k] = constructions.configure(m, k, None, 1)  # the registry's check: bumps even
            elif m == "fit":
                settings[m, k] = training.FitConfig(hidden=(k,), **train)
            elif baseline_parameters(k) > MAX_BASELINE_COEFFICIENTS:
                raise ConfigError(
                    f"the {m} baseline takes at most {MAX_BASELINE_COEFFICIENTS:,} coefficients (3N + 1), so "
                    f"neurons up to {baseline_neurons():,} in a sweep with {m}; got {k:,}"
                )
            else:
                settings[m, k] = baseline_parameters(k)
    return settings


def _sweep_method(target, m: str, ns, settings, callback, max_error: list, rmse: list, seconds: list) -> str | None:
    """Make and measure method m at every N, appending to its error and time lists; the note on warnings caught."""
    caught: list[str] = []
    caught_at: list[int] = []
    for k in ns:
        if callback is not None:
            callback(m, k)
        if m in CONSTRUCT_METHODS:
            f, s = _timed(constructions.construct, target, config=settings[m, k])
        elif m == "fit":
            result, s = _timed(training.fit, target, config=settings[m, k])
            f = result.network
        else:
            f, rep, s, said = _baseline(m, target, settings[m, k])
            caught += said
            caught_at += [k] if said else []
        if m in CONSTRUCT_METHODS or m == "fit":
            rep = measure(f, target)
        max_error.append(float(rep.max_error))
        rmse.append(float(rep.rmse))
        seconds.append(float(s))
    return _warning_note(m, caught, caught_at)


def _slope(ns: Sequence[int], errors: Sequence[float]) -> float | None:
    try:
        s = convergence_slope(ns, errors)
    except UnivError:
        return None
    return s if math.isfinite(s) else None
