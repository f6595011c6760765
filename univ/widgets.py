"""Nielsen's interactive figures in a notebook: one neuron, live bumps, and his challenge (ipywidgets, optional).

``import univ`` and ``import univ.widgets`` never need ipywidgets: it is imported when a widget is made, and a
missing one is a UnivError that says how to install it. Each figure is a real ipywidgets ``VBox`` (put it in an
``HBox``, display it, link it): its state is traitlets a notebook can observe or link (``w.neurons``,
``w.heights``, ``w.max_error``; ``w.observe(f, names="max_error")``, ``traitlets.link((w, "neurons"), ...)``), its
controls are in ``w.controls``, and a bad value, as an argument or set later from Python, raises the same
UnivError (with the same message) the library raises; nothing falls back silently.

Figures are drawn with matplotlib's Agg canvas into an ``ipywidgets.Image``: the axes and the curves that do not
move are drawn once, and each update redraws only the moving curves over that background (blitting), so an update
stays under 100 ms with 200 neurons (benchmarks/bench_widgets.txt).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from .errors import UnivError

__all__ = ["neuron", "bumps", "challenge"]  # and, imported on first use, the classes Neuron, Bumps, Challenge


def _classes():
    """univ's widget classes (univ._widgets, univ._widget_challenge), importing ipywidgets; a missing one says so."""
    try:
        import ipywidgets  # noqa: F401  (checked first: a cached univ._widgets must not hide its absence)
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise UnivError('the notebook widgets need ipywidgets: pip install -e ".[notebook]"') from None
    from . import _widget_challenge, _widgets

    return SimpleNamespace(Neuron=_widgets.Neuron, Bumps=_widgets.Bumps, Challenge=_widget_challenge.Challenge)


def __getattr__(name: str) -> Any:
    if name in ("Neuron", "Bumps", "Challenge"):
        return getattr(_classes(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def neuron(w: float = 8.0, b: float = -4.0) -> Any:
    """Nielsen's first figure: one sigmoid neuron σ(w·x + b); with w large it is a step at s = −b/w.

    Parameters
    ----------
    w, b : float
        Starting weight and bias (sliders from −100 to 100).

    Returns
    -------
    Neuron
        An ipywidgets VBox. Traits ``w``, ``b``, ``mode`` ("w and b" or "w and s") and ``s`` (the step point
        the "w and s" sliders set; b follows it); ``network`` is the neuron as a univ Network.

    Raises
    ------
    ConfigError
        ``w`` or ``b`` outside [−100, 100] (the sliders' range) or not a finite number.
    """
    return _classes().Neuron(w, b)


def bumps(
    expression: str = "sin(3x)",
    neurons: int = 20,
    method: str = "bumps",
    steepness: float = 10.0,
    weight: float | None = None,
    knots: str = "uniform",
    domain=None,
) -> Any:
    """The construction, live: change how it is built, move each bump's height, watch the error.

    Parameters
    ----------
    expression : str
        The target, as for :func:`univ.parse`; editable in the widget.
    neurons : int
        Hidden neurons, 1 to ``univ.limits.MAX_WIDGET_NEURONS`` (even for bumps).
    method, steepness, weight, knots : as for :func:`univ.construct`
        ``weight`` fixes the sigmoid weight instead of the steepness, to show Nielsen's windows of failure.
    domain : (float, float), optional
        Interval for x, default [0, 1].

    Returns
    -------
    Bumps
        An ipywidgets VBox. Traits ``expression``, ``neurons``, ``method``, ``steepness``, ``fixed_weight``,
        ``weight``, ``knots`` (how it is built), ``heights`` (one number per piece) and, read-only, ``network``,
        ``report`` (``univ.measure`` of it), ``max_error`` and ``rmse``. Its controls are ``controls[name]``,
        ``height_sliders[j]`` and ``reset``; ``message`` says what was wrong with a value typed into a control.

    Raises
    ------
    UnivError
        The library's error for a bad argument (or a bad value set later): an expression that does not parse or
        is in x and y, ``neurons`` outside 1 to 200 or odd for bumps, an unknown method or knots, a steepness
        outside [0.1, 1000], a weight outside [1, 10000].
    """
    return _classes().Bumps(expression, neurons, method, steepness, weight, knots, domain)


def challenge() -> Any:
    """Nielsen's challenge: f(x) = 0.2 + 0.4x² + 0.3x sin(15x) + 0.05 cos(50x), five bumps, a sigmoid output.

    Returns
    -------
    Challenge
        An ipywidgets VBox. Trait ``heights`` (five numbers in [−3, 3]; ``height_sliders[j]`` set them), and,
        read-only, ``score`` (the average deviation |σ⁻¹(f(x)) − Σ hⱼ·bumpⱼ(x)| on univ's grid) and ``complete``
        (at or below 0.40); ``best_label`` shows the best five bumps can do; ``network`` is the current network.
    """
    return _classes().Challenge()
