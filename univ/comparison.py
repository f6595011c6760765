"""Trained nets, hand-built nets and classical least-squares fits with the same budget, measured on one grid."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .errors import ConfigError, UnivError
from .measure import POINTS_1D, convergence_slope, measure
from .network import Network

CONSTRUCT_METHODS = ("bumps", "steps", "relu", "heaviside")  # the 1D constructions of univ.METHODS
BASELINES = ("poly", "spline")
SWEEP_METHODS = (*CONSTRUCT_METHODS, "fit", *BASELINES)
MAX_DEPTH = 20
MAX_NEURONS = 100_000
BASELINE_POINTS = POINTS_1D  # least-squares baselines are fitted on the measuring grid's 10,001 points
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

    def to_dict(self) -> dict[str, Any]:
        return {"rows": [dict(r) for r in self.rows]}


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "neurons": list(self.neurons),
            "methods": list(self.methods),
            "max_error": {k: list(v) for k, v in self.max_error.items()},
            "rmse": {k: list(v) for k, v in self.rmse.items()},
            "seconds": {k: list(v) for k, v in self.seconds.items()},
            "slopes": dict(self.slopes),
            "rmse_slopes": dict(self.rmse_slopes),
        }


# -- the pieces -------------------------------------------------------------------------------------------
def _target_1d(target: Any, domain) -> Any:
    from .parse import Target, parse

    if isinstance(target, str):
        target = parse(target)
    elif not isinstance(target, Target):
        raise ConfigError(f"target must be text or a Target from univ.parse, not {type(target).__name__}")
    if domain is not None:
        target = target.with_domain(domain)
    if target.dimension != 1:
        raise ConfigError(
            f"compare and sweep work on functions of x alone; {target.text!r} has variables "
            f"{', '.join(target.variables)}"
        )
    return target


def _check_neurons(n: Any, what: str = "neurons") -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_NEURONS:
        raise ConfigError(f"{what} must be whole numbers from 1 to {MAX_NEURONS}, got {n!r}")
    return int(n)


def baseline_parameters(neurons: int, dimension: int = 1) -> int:
    """Parameters of a one-hidden-layer net with ``neurons`` units: (d + 2)·N + 1, i.e. 3N + 1 in 1D."""
    return (dimension + 2) * neurons + 1


def fit_polynomial(target: Any, coefficients: int):
    """Least-squares Chebyshev series with ``coefficients`` terms on the target's domain (stable at high degree)."""
    from numpy.polynomial import Chebyshev

    (a, b), = target.domain
    x = np.linspace(a, b, BASELINE_POINTS)
    return Chebyshev.fit(x, target.evaluate(x), deg=coefficients - 1, domain=[a, b])


def fit_spline(target: Any, coefficients: int, degree: int = SPLINE_DEGREE):
    """Least-squares spline of ``degree`` with ``coefficients`` B-spline coefficients on uniform knots."""
    from scipy.interpolate import make_lsq_spline

    k = degree
    if coefficients < k + 1:
        raise ConfigError(f"a degree-{k} spline needs at least {k + 1} coefficients, got {coefficients}")
    (a, b), = target.domain
    x = np.linspace(a, b, BASELINE_POINTS)
    interior = np.linspace(a, b, coefficients - k + 1)[1:-1]  # coefficients − k − 1 interior knots
    t = np.concatenate([[a] * (k + 1), interior, [b] * (k + 1)])
    return make_lsq_spline(x, target.evaluate(x), t, k=k)


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
        import scipy.optimize  # noqa: F401
    if "spline" in methods:
        import scipy.interpolate  # noqa: F401


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
    methods: Sequence[str] = ("bumps", "steps", "relu"),
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
        Constructions from ``univ.METHODS`` (``bumps``, ``steps``, ``relu``, ``heaviside``).
    baselines : bool
        Add a least-squares Chebyshev polynomial (``poly``, degree 3N) and cubic spline (``spline``), each with
        3N + 1 coefficients.
    callback : callable, optional
        ``callback(model_name, epoch, loss)`` during training.

    Returns
    -------
    Comparison
        ``rows`` (dicts with keys ``ROW_KEYS``; errors from :func:`univ.measure` on 10,001 points, ends
        included) and ``models`` (callables, networks, loss histories) in the same order.

    Examples
    --------
    >>> c = compare("sin(3x)", 12, depths=(1, 2), epochs=200, methods=("relu",))
    >>> [r["model"] for r in c.rows]
    ['fit 1x12', 'fit 2x6', 'relu', 'poly', 'spline']
    """
    from .constructions import construct
    from .training import fit

    target = _target_1d(target, domain)
    n = _check_neurons(neurons)
    depths = tuple(depths)
    for d in depths:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not 1 <= d <= MAX_DEPTH:
            raise ConfigError(f"depths must be whole numbers from 1 to {MAX_DEPTH}, got {d!r}")
        if n // d < 1:
            raise ConfigError(f"depth {d} needs at least {d} neurons (one per layer), but neurons is {n}")
    methods = tuple(methods)
    for m in methods:
        if m not in CONSTRUCT_METHODS:
            raise ConfigError(f"unknown method {m!r}; choose from {', '.join(CONSTRUCT_METHODS)}")
    if "bumps" in methods and n < 2:
        raise ConfigError("bumps are pairs of neurons: neurons must be at least 2")

    _warm_imports(optimizer, (*(["fit"] if depths else []), *(BASELINES if baselines else ())))
    models: list[Model] = []
    for d in dict.fromkeys(depths):
        width = n // d
        name = f"fit {d}x{width}"
        cb = None if callback is None else (lambda e, loss, _name=name: callback(_name, e, loss))
        result, seconds = _timed(fit, target, hidden=(width,) * d, activation=activation, optimizer=optimizer, lr=lr,
                                 epochs=epochs, seed=seed, points=points, callback=cb)
        net = result.network
        models.append(Model(name, "fit", net, net, result.history,
                            _row(name, net.hidden_sizes, net.n_hidden, net.n_params, measure(net, target), seconds)))
    for m in dict.fromkeys(methods):
        k = n - n % 2 if m == "bumps" else n
        net, seconds = _timed(construct, target, k, method=m)
        models.append(Model(m, "construct", net, net, None,
                            _row(m, net.hidden_sizes, net.n_hidden, net.n_params, measure(net, target), seconds)))
    if baselines:
        p = baseline_parameters(n)
        for name, make in (("poly", fit_polynomial), ("spline", fit_spline)):
            f, seconds = _timed(make, target, p)
            row = _row(name, None, None, p, measure(f, target), seconds)
            models.append(Model(name, "baseline", f, None, None, row))
    return Comparison(target=target, neurons=n, rows=[m.row for m in models], models=models)


# -- sweep ------------------------------------------------------------------------------------------------
def sweep(
    target: Any,
    neurons: Sequence[int] = (4, 8, 16, 32, 64),
    methods: Sequence[str] = ("bumps", "steps", "relu"),
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
        trained hidden layer of N), ``poly`` and ``spline`` (least squares with 3N + 1 coefficients).
    activation, optimizer, epochs, seed, points
        For ``fit``.
    callback : callable, optional
        ``callback(method, neurons)`` before each model is made.

    Returns
    -------
    Sweep
        Steps and bumps converge like N⁻¹, ReLU hinges like N⁻² on smooth functions.

    Examples
    --------
    >>> s = sweep("sin(3x)", [16, 32, 64, 128], methods=("relu",))
    >>> round(s.slopes["relu"])
    -2
    """
    from .constructions import construct
    from .training import fit

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
    if "bumps" in methods and any(k % 2 for k in ns):
        raise ConfigError(f"bumps are pairs of neurons: every neuron count must be even, got {ns}")

    def make(m: str, k: int):
        if m in CONSTRUCT_METHODS:
            return construct(target, k, method=m)
        if m == "fit":
            return fit(target, hidden=(k,), activation=activation, optimizer=optimizer, epochs=epochs, seed=seed,
                       points=points).network
        p = baseline_parameters(k)
        return fit_polynomial(target, p) if m == "poly" else fit_spline(target, p)

    _warm_imports(optimizer, methods)
    max_error: dict[str, list[float]] = {m: [] for m in methods}
    rmse: dict[str, list[float]] = {m: [] for m in methods}
    seconds: dict[str, list[float]] = {m: [] for m in methods}
    for m in methods:
        for k in ns:
            if callback is not None:
                callback(m, k)
            f, s = _timed(make, m, k)
            rep = measure(f, target)
            max_error[m].append(float(rep.max_error))
            rmse[m].append(float(rep.rmse))
            seconds[m].append(float(s))
    return Sweep(
        target=target,
        neurons=ns,
        methods=methods,
        max_error=max_error,
        rmse=rmse,
        seconds=seconds,
        slopes={m: _slope(ns, max_error[m]) for m in methods},
        rmse_slopes={m: _slope(ns, rmse[m]) for m in methods},
    )


def _slope(ns: Sequence[int], errors: Sequence[float]) -> float | None:
    try:
        s = convergence_slope(ns, errors)
    except UnivError:
        return None
    return s if math.isfinite(s) else None
