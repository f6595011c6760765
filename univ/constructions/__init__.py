"""Hand-built networks: a registry of constructions (1D, 2D, deep) and ``construct``, which dispatches on it."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import validate as check
from ..activations import sigmoid_inverse
from ..errors import ConfigError, DomainError
from ..measure import grid
from ..network import Network
from ..target import as_target
from . import deep, one_d, two_d  # noqa: F401  (each registers its methods)
from .config import DEFAULT_METHOD, DEFAULT_STEEPNESS, KNOTS, OUTPUTS, ConstructConfig
from .registry import METHODS, Builder, Layout, Method, builder_of, layout_of, names

CHECK_POINTS = {1: 10_001, 2: 301}  # where a sigmoid output's range (0, 1) is checked, per axis


def resolve_target(target: Any, domain=None, ydomain=None):
    """Text, a Target or a Python callable as a Target on the given domain (the one way every entry point reads it)."""
    return as_target(target, domain=domain, ydomain=ydomain)


def configure(
    method: str | None = None,
    neurons: int | None = None,
    config: ConstructConfig | None = None,
    dimension: int = 1,
    **options: Any,
) -> ConstructConfig:
    """The settings for one construction: explicit keywords win, ``config`` supplies the rest, then the defaults.

    ``method`` None (here and in the config) takes the dimension's default: bumps in 1D, towers in 2D.
    """
    passed = {k: v for k, v in dict(options, method=method, neurons=neurons).items() if v is not None}
    cfg = check.merge(ConstructConfig, config, passed, "construct")
    if cfg.method is None:
        cfg = ConstructConfig(**{**cfg.__dict__, "method": DEFAULT_METHOD[dimension]})
    m = METHODS[cfg.method].builder(dimension)
    m.check_neurons(cfg.neurons)
    if m.dimension == 2:
        two_d.check_2d(cfg)
        if cfg.one_d_only:  # steepness auto, lstsq heights: 1D constructions only
            raise ConfigError(f"{' and '.join(cfg.one_d_only)} apply to 1D constructions, not to {cfg.method} in 2D")
    if cfg.depth is not None and m.dimension != 0:
        raise ConfigError(f"depth applies to deep constructions (sawtooth), not to {cfg.method}")
    return cfg


def construct(
    target: Any,
    neurons: int | None = None,
    method: str | None = None,
    domain: tuple[float, float] | None = None,
    *,
    ydomain: tuple[float, float] | None = None,
    config: ConstructConfig | None = None,
    **options: Any,
) -> Network:
    """Build a network that approximates ``target``, by hand.

    Parameters
    ----------
    target : str, Target, callable or Classes
        What to approximate: text is parsed with :func:`univ.parse` (a region such as ``"x^2 + y^2 < 0.5"`` is a 0/1
        function); a Python function of x (or x, y) works too. :class:`univ.Classes` (from :func:`univ.classes`)
        gives a classifier instead: see :func:`univ.classify.construct_classifier`.
        ``None`` with ``method="sawtooth"``: the deep construction needs only a domain.
    neurons : int, optional
        Hidden neurons in all (default 20).
    method : str, optional
        A key of ``univ.METHODS``. 1D: ``bumps`` (default), ``steps``, ``relu``, ``heaviside``; 2D: ``towers``
        (default), ``ridge``, ``relu``; ``sawtooth`` (with ``depth=k``): k layers of two ReLU units, 2^k pieces.
    domain, ydomain : (float, float), optional
        Intervals for x and y; default the target's own, [0, 1] unless set.
    config : ConstructConfig, optional
        Settings at once; any keyword given explicitly (``neurons``, ``method``, ``steepness``, ``weight``,
        ``knots``, ``output``, ``depth``) wins over its field.

    Returns
    -------
    Network
        ``info`` records the method, the expression, the domain and what the construction placed;
        ``info["neurons"]`` is the count built, and ``info["neurons_asked"]`` the count asked when the method
        could not use it in full (towers asked 20 build 17: 3×3 cells). ``layout`` is a :class:`Layout`.

    Examples
    --------
    >>> net = construct("sin(3x)", neurons=20, method="steps")
    >>> float(abs(net(0.5) - np.sin(1.5))) < 0.08
    True
    """
    if getattr(target, "is_classes", False):  # classes (univ.classes): a softmax classifier, one output per class
        return target.construct(neurons, method, **options)
    wanted = method if method is not None else (config.method if config is not None else None)
    if target is None and wanted == "sawtooth":
        cfg = configure(method, neurons, config, 1, **options)
        return METHODS["sawtooth"].builder(1).build(None, ((0.0, 1.0),) if domain is None else (tuple(domain),), cfg)
    target = resolve_target(target, domain, ydomain)
    cfg = configure(method, neurons, config, target.dimension, **options)
    build = METHODS[cfg.method].builder(target.dimension)
    if build.dimension == 0:
        return build.build(None, target.domain, cfg)
    target.check()  # DomainError where f is not finite or has a pole
    g = _output_values(target, cfg)
    net = build.build(g, target.domain, cfg)
    net.info = {
        "method": cfg.method,
        "expression": target.text,
        "dimension": target.dimension,
        "domain": [list(p) for p in target.domain],
        "neurons": net.n_hidden,
        **({"neurons_asked": cfg.neurons} if net.n_hidden != cfg.neurons else {}),
        **net.info,
        "output": cfg.output,
    }
    return net


def _output_values(target, cfg: ConstructConfig):
    """The values the hidden layer must produce: f for a linear output, σ⁻¹∘f for a sigmoid one (f inside (0, 1)).

    For a sigmoid output the range is checked twice: on the check grid before any work, and on every point the
    builder asks for (cell centres, knots, fitting points), so an f touching 0 or 1 between grid points is refused
    with the reason instead of becoming an infinite or clipped height.
    """
    if cfg.output == "linear":
        return target.evaluate
    fix = "use --output-activation linear, or scale f into (0, 1)"
    where = " × ".join(f"[{a:g}, {b:g}]" for a, b in target.domain)

    def refuse(value: float, at: str) -> DomainError:
        edge = "0" if value <= 0.0 else "1"
        return DomainError(
            f"a sigmoid output needs f strictly inside (0, 1), but {target.text} = {value:.6g} at "
            f"{at} on {where} (σ⁻¹ of {edge} is infinite); {fix}"
        )

    coords = grid(target.domain, CHECK_POINTS[target.dimension])
    values = target.evaluate(*coords)
    outside = (values <= 0.0) | (values >= 1.0)
    if outside.any():
        k = int(np.argmax(np.where(values <= 0.0, -values, values - 1.0)))
        raise refuse(float(values.flat[k]), _point_text([float(c.flat[k]) for c in coords]))

    def g(*coords):
        f = target.evaluate(*coords)
        bad = (f <= 0.0) | (f >= 1.0)
        if bad.any():
            k = int(np.flatnonzero(bad.ravel())[0])
            at = [float(np.asarray(c, dtype=float).ravel()[k]) for c in np.broadcast_arrays(*coords)]
            raise refuse(float(f.ravel()[k]), _point_text(at) + " (a point the construction uses)")
        return sigmoid_inverse(f)

    return g


def _point_text(at: list[float]) -> str:
    return f"x = {at[0]:.6g}" if len(at) == 1 else f"(x, y) = ({at[0]:.6g}, {at[1]:.6g})"


__all__ = [
    "ConstructConfig",
    "DEFAULT_STEEPNESS",
    "KNOTS",
    "METHODS",
    "Builder",
    "Layout",
    "Method",
    "OUTPUTS",
    "builder_of",
    "configure",
    "construct",
    "layout_of",
    "names",
    "resolve_target",
]
