"""``univ page``: one self-contained offline HTML page to play with a construction (inline JS and CSS, no network).

The page evaluates networks; it never builds one. Python constructs a network with :func:`univ.construct` for every
neuron count the page's slider offers and embeds each (hidden weights and biases, output weights and bias), the
points :func:`univ.measure` evaluates (the ends and Gauss–Legendre nodes, with the RMSE rule's weights), the target's
values there, and Nielsen's challenge. In the browser a height or the steepness moving recomputes only the weighted
sum over those points, so the page's RMSE is univ's, and its max error is univ's on the same points
(``Report.grid_max_error``: univ's ``max_error`` then refines it by zooming in, which needs f, which the page does not
have).

Steepness: the page scales the embedded hidden layer about each step as univ's construction would. A step at edge
e has pre-activation z = w·x + b = w·(x − e) + c, where c (the "logit offset") is 0 for a step on an interior edge
and ±12 for the outermost bump steps univ pushes just outside the domain; the construction at steepness K′ has the
same e and c with w scaled by K′/K. So at scale k = K′/K the page evaluates z = k·(w·x + b) + (1 − k)·c, which is
univ's network at K′ up to rounding (tests compare). With a fixed weight the same holds for the weight.

Draw mode is the one exception to "never builds": the page's script ports univ's 1D bumps and steps constructions
(uniform knots, univ's default steepness, ``univ/constructions/one_d.py``) and builds them for the learner's sketch.
The sketch is y at ``SKETCH_POINTS`` equally spaced x (``numpy.linspace`` on the domain); its target is the linear
interpolant through those samples, exactly what :meth:`univ.Target.from_samples` (and ``univ approx sketch.csv``)
makes of them, and tests check the page's network equals ``univ.construct`` of that target to 1e-12.

The state lives in the link's fragment (``#n=22&scale=-0.1&h=3:0.51&tab=draw&...``); "Download network" writes the
net as shown in :meth:`univ.Network.to_dict`'s format and "Open network" reads one univ wrote.

The Decisions tab (and a region's page) shows :mod:`univ.page_classify`'s data: univ classify's classifiers, each
count's decision map and measured numbers, drawn by the page and never measured there.

The page's HTML, CSS and JavaScript are the files univ/assets/page.html, page.css and page.js, filled in by
:func:`univ.assets.fill` (the data as JSON through :func:`univ.assets.script_json`) into one file.
"""

from __future__ import annotations

import base64
import html
from typing import Any

import numpy as np

from . import assets
from . import validate as check
from ._version import __version__
from .bounds import bound
from .constructions import METHODS, construct, names
from .constructions.config import DEFAULT_METHOD, DEFAULT_STEEPNESS, OUTER_MARGIN_LOGITS
from .constructions.two_d import tower_cells
from .errors import ConfigError, UnivError
from .limits import MAX_PAGE_NEURONS
from .measure import GAUSS_NODES, POINTS_1D, measure, quadrature
from .network import FORMAT_NAME, FORMAT_VERSION
from .page_classify import CHEAP, decisions
from .play import CHALLENGE_GOAL, CHALLENGE_WEIGHT, handles, nielsen_challenge, piece_weights, pieces
from .target import parse
from .training import fit

METHODS_1D = names(1)  # the registry's 1D constructions: bumps, steps, relu, heaviside
DEFAULT_MAX_COUNT = 200  # the neuron slider goes up to here (or to the requested count, if larger)
SCALE_DECADES = 2.0  # the steepness (or weight) slider spans the built value ÷ 100 to × 100, within univ's limits
MIN_SCALE, MAX_SCALE = 1.0, 1e5
SKETCH_POINTS = 201  # draw mode's sketch: y at this many equally spaced x (numpy.linspace), the CSV's rows
TRAIN_ACTIVATION = "sigmoid"  # the trained net beside the construction has the same width and the same neurons
TRAIN_SEED = 0
DRAW_METHODS = names(1, having="page_draws")  # the constructions draw mode rebuilds in the page (page.js ports them)
TOWER_CELLS = tuple(range(1, 11))  # a 2D page's cells-per-side slider: 1..10, and the count asked for if more
SURFACE_SIDE = 41  # a 2D page draws the surfaces on this many points per side (univ's numbers come from measure)


def neuron_counts(neurons: int, method: str) -> list[int]:
    """The counts the page's slider offers: every small count, then a coarser ladder, always including ``neurons``."""
    builder = METHODS[method].builder(1)
    small = [builder.count(k) for k in range(builder.k_min, builder.k_min + 20)]  # bumps 2..40, others 1..20
    ladder = [*small, *(n for n in (25, 30, 40, 50, 60, 80, 100, 150, 200) if builder.valid(n))]
    top = max(DEFAULT_MAX_COUNT, neurons)
    return sorted({n for n in ladder if n <= top} | {neurons})


def _b64(a) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode("ascii")


def _logit_offsets(net) -> np.ndarray:
    """c = b + w·e for each hidden neuron, e the cell edge its step belongs to (0 inside, ±12 logits at the ends)."""
    hidden = net.hidden[0]
    w, b = hidden.w[0], hidden.b
    if hidden.activation == "relu":
        return np.zeros_like(b)
    edges = np.asarray(net.info["edges"], dtype=float)
    s = -b / w
    e = edges[np.argmin(np.abs(s[:, None] - edges[None, :]), axis=1)]
    return b + w * e


def embed_network(net) -> dict[str, Any]:
    """What the page needs of one constructed 1D network, as JSON (float64 arrays in base64)."""
    hidden = net.hidden[0]
    if len(net.hidden) != 1 or hidden.fan_in != 1:
        raise ConfigError("a page shows one-hidden-layer networks of x")
    return {
        "neurons": int(hidden.fan_out),
        "act": hidden.activation,
        "w": _b64(hidden.w[0]),
        "b": _b64(hidden.b),
        "c": _b64(_logit_offsets(net)),
        "pattern": "pairs" if pieces(net) and len(pieces(net)[0]) == 2 else "single",
        "heights": _b64(piece_weights(net)),
        "handles": _b64(handles(net)),
        "bias": float(net.output.b[0]),
        "output": net.output.activation,
        "edges": [float(e) for e in net.info["edges"]],
    }


def _checked(neurons, method, steepness, weight) -> tuple[int, str, float | None, float | None]:
    """The neuron count, method, steepness and weight, checked (steepness or weight, not both)."""
    method = check.choice("method", method, METHODS_1D)
    builder = METHODS[method].builder(1)
    neurons = builder.check_neurons(check.whole("neurons", neurons, builder.min_neurons, MAX_PAGE_NEURONS))
    if steepness is not None and weight is not None:
        raise ConfigError("give steepness or weight, not both")
    if steepness is not None:
        steepness = check.positive("steepness", steepness, MAX_SCALE, lo=MIN_SCALE - 1e-12)
    if weight is not None:
        weight = check.positive("weight", weight, MAX_SCALE, lo=MIN_SCALE - 1e-12)
    return neurons, method, steepness, weight


def _scale(method: str, built, weight: float | None) -> dict[str, Any]:
    """What the steepness (or weight) slider spans: the built value ÷ 100 to × 100, within univ's limits."""
    if "steepness" not in METHODS[method].builder(1).uses:
        return {"kind": None, "value": 1.0, "min": 1.0, "max": 1.0}
    kind = "weight" if weight is not None else "steepness"
    value = float(weight if weight is not None else built.info["steepness"])
    return {
        "kind": kind,
        "value": value,
        "min": max(MIN_SCALE, value / 10**SCALE_DECADES),
        "max": min(MAX_SCALE, value * 10**SCALE_DECADES),
    }


def _challenge() -> dict[str, Any]:
    """Nielsen's challenge as the page embeds it: his f, the grid the score is measured on, five bumps."""
    game = nielsen_challenge()
    return {
        "expression": game.target.text,
        "grid": {"n": int(game.x.size), "a": float(game.x[0]), "b": float(game.x[-1])},
        "goal": _b64(game.goal),
        "net": embed_network(game.network),
        "best": [float(h) for h in game.best_heights],
        "bestScore": game.best_score,
        "idealBestScore": game.ideal_best_score,
        "goalScore": CHALLENGE_GOAL,
        "weight": CHALLENGE_WEIGHT,
    }


def page_data(
    target,
    neurons: int = 20,
    method: str | None = None,
    *,
    steepness: float | None = None,
    weight: float | None = None,
    knots: str = "uniform",
    output: str = "linear",
    domain=None,
    ydomain=None,
    training: bool = True,
) -> dict[str, Any]:
    """Everything the page embeds, checked and built by univ (see :func:`build_page` for the parameters)."""
    target = _parsed(target, domain, ydomain)
    if getattr(getattr(target, "expression", None), "is_region", False):
        return _page_data_region(target, neurons, method, steepness, weight, knots, output, ydomain)
    if target.dimension == 2:
        return _page_data_2d(target, neurons, method, steepness, weight, knots, output)
    if ydomain is not None:
        raise ConfigError(f"ydomain is for functions of x and y; {target.text} is a function of x")
    neurons, method, steepness, weight = _checked(neurons, method or DEFAULT_METHOD[1], steepness, weight)
    options: dict[str, Any] = {"knots": knots, "output": output}
    if weight is not None:
        options["weight"] = weight
    elif steepness is not None:
        options["steepness"] = steepness
    counts = neuron_counts(neurons, method)
    nets = [construct(target, neurons=n, method=method, **options) for n in counts]
    scale = _scale(method, nets[counts.index(neurons)], weight)
    ((a, b),) = target.domain
    x, points = _page_points(a, b)
    return {
        "version": __version__,
        "expression": target.text,
        "domain": [a, b],
        "method": method,
        "note": METHODS[method].builder(1).note,
        "points": points,
        "target": _b64(target.evaluate(x)),
        "counts": counts,
        "start": counts.index(neurons),
        "scale": scale,
        "nets": [embed_network(n) for n in nets],
        "bounds": [bound(n, target).value for n in nets],  # what each built net's construction promises (or null)
        "challenge": _challenge(),
        "sketch": _sketch(target, a, b),
        "build": {
            "knots": knots,
            "output": output,
            "steepness": DEFAULT_STEEPNESS,
            "margin": OUTER_MARGIN_LOGITS,
            "maxNeurons": MAX_PAGE_NEURONS,
            "methods": list(DRAW_METHODS),
        },
        "format": {"name": FORMAT_NAME, "version": FORMAT_VERSION},
        "training": _training(target, neurons) if training else None,
        "decisions": decisions(),  # the Decisions tab's default: univ classify's disc and spiral
    }


def _parsed(target, domain, ydomain):
    """The page's target: text parsed on the domain given, or a Target moved onto it."""
    if isinstance(target, str):
        return parse(target, domain=domain, ydomain=ydomain)
    if domain is not None or ydomain is not None:
        return target.with_domain(domain, ydomain)
    return target


def _page_data_region(target, neurons, method, steepness, weight, knots, output, ydomain) -> dict[str, Any]:
    """A region's page (``x^2 + y^2 < 0.5``): the Decisions tab alone, univ classify's towers for each count."""
    check.choice("method", method or "towers", ("towers",))
    if weight is not None or knots != "uniform" or output != "linear":
        raise ConfigError(
            "a region's page builds univ classify's towers, which take steepness, not weight, knots or output"
        )
    options: dict[str, Any] = {
        "domain": target.domain[0],
        "ydomain": target.domain[1] if target.dimension == 2 else ydomain,
    }
    if steepness is not None:
        options["steepness"] = check.positive("steepness", steepness, MAX_SCALE, lo=MIN_SCALE - 1e-12)
    found = decisions(target.text, check.whole("neurons", neurons, 1, MAX_PAGE_NEURONS), **options)
    return {
        "version": __version__,
        "region": True,
        "expression": found["sets"][0]["expression"],
        "domain": found["sets"][0]["domain"],
        "method": "towers",
        "decisions": found,
    }


def _page_data_2d(target, neurons, method, steepness, weight, knots, output) -> dict[str, Any]:
    """A 2D page's data: univ's towers for every cells-per-side count the slider offers, each as its layers and
    univ.measure's report, and the target on the surface grid (the page evaluates the nets there to draw them)."""
    method = check.choice("method", method or "towers", ("towers",))
    builder = METHODS[method].builder(2)
    neurons = check.whole("neurons", neurons, builder.min_neurons, MAX_PAGE_NEURONS)
    if weight is not None or knots != "uniform":
        raise ConfigError("a 2D page builds towers, which take steepness, not weight or knots")
    options: dict[str, Any] = {"output": output}
    if steepness is not None:
        options["steepness"] = check.positive("steepness", steepness, MAX_SCALE, lo=MIN_SCALE - 1e-12)
    start = tower_cells(neurons)
    cells = sorted({*TOWER_CELLS, start})
    nets = []
    for m in cells:
        net = construct(target, neurons=builder.count(m), method=method, **options)
        report = measure(net, target)
        layers = [
            {"act": L.activation, "fanIn": L.fan_in, "fanOut": L.fan_out, "w": _b64(L.w.ravel()), "b": _b64(L.b)}
            for L in net.layers
        ]
        nets.append(
            {
                "cells": m,
                "neurons": net.n_hidden,
                "layers": layers,
                "maxError": report.max_error,
                "rmse": report.rmse,
                "worstAt": [float(v) for v in report.worst_at],
            }
        )
    (a, b), (c, d) = target.domain
    X, Y = np.meshgrid(np.linspace(a, b, SURFACE_SIDE), np.linspace(c, d, SURFACE_SIDE))  # row by row in y
    return {
        "version": __version__,
        "dimension": 2,
        "expression": target.text,
        "domain": [[a, b], [c, d]],
        "method": method,
        "cells": cells,
        "start": cells.index(start),
        "nets": nets,
        "surface": {"side": SURFACE_SIDE, "target": _b64(target.evaluate(X.ravel(), Y.ravel()))},
    }


def _training(target, width: int) -> dict[str, Any]:
    """univ's own training run for the same target and width (``fit``, one hidden layer of sigmoid neurons): its
    snapshots on the history grid, the loss and the max error there at each snapshot, and univ.measure's report of
    the trained net. A run that fails is embedded as its one-line reason."""
    try:
        result = fit(target, hidden=[width], activation=TRAIN_ACTIVATION, seed=TRAIN_SEED)
        report = measure(result.network, target)
    except UnivError as exc:
        return {"error": str(exc)}
    h = result.history
    ((a, b),) = target.domain
    x = np.linspace(a, b, h.x.size)  # the history grid, which the page remakes with its numpy.linspace
    if not np.array_equal(h.x.ravel(), x):
        raise ConfigError("univ.fit's snapshot grid changed shape; the page cannot follow it")  # pragma: no cover
    f = target.evaluate(x)
    return {
        "width": width,
        "activation": TRAIN_ACTIVATION,
        "optimizer": result.config.optimizer,
        "per": h.per,
        "seed": TRAIN_SEED,
        "n": int(x.size),
        "f": _b64(f),
        "epochs": [int(e) for e in h.snapshot_epochs],
        "loss": [float(h.loss[e]) for e in h.snapshot_epochs],  # training MSE after that many epochs
        "maxError": [float(v) for v in np.max(np.abs(h.snapshots - f), axis=1)],  # on the snapshot grid
        # the curves are drawn, not measured: float32 (7 digits) keeps the page under 500 kB at 400 neurons
        "snapshots": base64.b64encode(np.ascontiguousarray(h.snapshots.ravel(), dtype="<f4").tobytes()).decode(),
        "final": {"maxError": report.max_error, "rmse": report.rmse, "epochs": h.epochs},
    }


def _page_points(a: float, b: float) -> tuple[np.ndarray, dict[str, Any]]:
    """univ.measure's own 1D points and the page's description of them with the RMSE rule's weights (one panel's,
    the same in every panel; the ends weigh 0), checked to have the shape the page remakes."""
    x, wq = quadrature(a, b, POINTS_1D)
    panel = wq[1:4]
    points = _measure_points(a, b, x)
    if not np.array_equal(wq[1:-1], np.tile(panel, (x.size - 2) // 3)) or wq[0] != 0 or wq[-1] != 0:
        raise ConfigError("univ.measure's points changed shape; the page cannot follow them")  # pragma: no cover
    return x, {**points, "weights": [float(v) for v in panel]}


def _measure_points(a: float, b: float, x: np.ndarray) -> dict[str, Any]:
    """univ.measure's 1D points as the page remakes them (a, b, the panel count, the Gauss–Legendre nodes), in the
    arithmetic of ``univ.measure._quadrature``: left = a + h·k, then left + (h/2)·(t + 1), the ends a and b.
    Checked equal here, so the page need not carry 10,031 numbers."""
    t = np.polynomial.legendre.leggauss(GAUSS_NODES)[0]
    panels = (x.size - 2) // GAUSS_NODES
    h = (b - a) / panels
    inner = ((a + h * np.arange(panels))[:, None] + 0.5 * h * (t + 1.0)).ravel()
    if not np.array_equal(np.concatenate([[a], inner, [b]]), x):
        raise ConfigError("univ.measure's points changed shape; the page cannot follow them")  # pragma: no cover
    return {"a": a, "b": b, "panels": int(panels), "nodes": [float(v) for v in t]}


def _sketch(target, a: float, b: float) -> dict[str, Any]:
    """Draw mode's starting sketch: f at ``SKETCH_POINTS`` equally spaced x (the page's linspace is numpy's)."""
    x = np.linspace(a, b, SKETCH_POINTS)
    return {"n": SKETCH_POINTS, "y": _b64(target.evaluate(x))}


def build_page(target, neurons: int = 20, method: str | None = None, **options: Any) -> str:
    """One self-contained HTML page (inline JS and CSS, no network access) to play with the construction.

    Parameters
    ----------
    target : str or Target
        A function of x, as for :func:`univ.parse`; or of x and y (a 2D page of towers, drawn as a surface); or a
        region (``"x^2 + y^2 < 0.5"``: a page of its Decisions tab alone, univ classify's towers; ``neurons`` is
        the count it opens at, rounded down onto the towers ladder).
    neurons : int
        The count the page opens at, 1 to ``univ.limits.MAX_PAGE_NEURONS`` (even for bumps); the slider offers
        2..40 and a ladder up to 200 besides. In 2D, the cells per side of the towers it makes (20 → 3 × 3); the
        slider offers 1 to 10 cells per side besides.
    method : str, optional
        ``bumps`` (the default in 1D), ``steps``, ``relu`` or ``heaviside``; ``towers`` (the only one) in 2D.
    **options
        Keywords only: ``steepness``, ``weight`` (floats, as for :func:`univ.construct`, default steepness 10; the
        page's slider scales it ÷100 to ×100), ``knots``, ``output`` (as for :func:`univ.construct`) and
        ``domain`` ((float, float), the interval for x; default [0, 1]), ``ydomain`` (for y, in 2D) and
        ``training`` (bool, default True: embed univ's ``fit`` of a net of the same width for the Watch training
        tab, 1D). They go to :func:`page_data`.

    Returns
    -------
    str
        The page. Tabs: the bumps (drag a top to change its height; sliders for neurons and steepness; live max
        error and RMSE on univ.measure's points), Nielsen's challenge, one neuron (w and b, or w and s), draw your
        own f, watch training, and decisions (univ classify's disc and spiral, see :mod:`univ.page_classify`).
    """
    return render_page(page_data(target, neurons, method, **options))


def render_page(data: dict[str, Any]) -> str:
    """The page's HTML for :func:`page_data`'s ``data`` (what :func:`build_page` writes).

    Parameters
    ----------
    data : dict
        What :func:`page_data` returned (a caller that needs its numbers too builds it once and passes it here).

    Returns
    -------
    str
        The self-contained page.
    """
    region, heading, measured, extra = _texts(data)
    a, b = (data["domain"][0] if data.get("dimension") == 2 or data.get("region") else data["domain"])[:2]
    return assets.fill(
        "page.html",
        title=html.escape(f"univ · {data['expression']}"),
        version=html.escape(data["version"]),
        css=assets.read("page.css"),
        js=assets.read("page.js"),
        data=assets.script_json(data),
        heading=html.escape(heading),
        region=region,
        a=f"{a:g}",
        b=f"{b:g}",
        challenge=html.escape(extra["challenge"]),
        goal=f"{CHALLENGE_GOAL:.2f}",
        challenge_points=extra["challenge_points"],
        measured=measured,
        sketch_points=str(SKETCH_POINTS),
    )


def _texts(data: dict[str, Any]) -> tuple[str, str, str, dict[str, str]]:
    """The page's heading, its domain as text, the footer's word on where its numbers come from, and the challenge's
    texts (a page without the challenge tab fills them from Nielsen's all the same: the template has them)."""
    if data.get("dimension") == 2 or data.get("region"):
        (a, b), (c, d) = data["domain"]
        region = f"[{a:g}, {b:g}] × [{c:g}, {d:g}]"
        challenge = nielsen_challenge()
        extra = {"challenge": challenge.target.text, "challenge_points": f"{challenge.x.size:,}"}
        if data.get("region"):
            measured = (
                "The misclassified area of each classifier is univ classify's, certified between two bounds (the "
                "same numbers univ classify --json prints); the maps are drawn at pixel centres."
            )
            return region, data["expression"], measured, extra
        measured = (
            "Max error and RMSE are univ.measure's report for each net (the same numbers univ approx prints); the "
            f"surfaces are drawn on {SURFACE_SIDE} × {SURFACE_SIDE} points."
        )
        return region, f"f(x, y) = {data['expression']}", measured, extra
    a, b = data["domain"]
    kind = data["scale"]["kind"]
    points = f"{data['points']['panels'] * len(data['points']['nodes']) + 2:,}"
    measured = (
        f"Max error and RMSE are univ's own measurement on its {points} points (ends included; the RMSE by "
        "univ's Gauss–Legendre rule; univ's reported max error then refines between the points)."
    )
    if kind:
        measured += f" The {kind} slider scales each step's weight about its step point, as univ's construction "
        measured += f"would at that {kind}."
    measured += (
        f" The Decisions tab's numbers are univ classify's (the misclassified area certified up to {CHEAP} neurons, "
        "sampled at univ classify's grid above)."
    )
    extra = {"challenge": data["challenge"]["expression"], "challenge_points": f"{data['challenge']['grid']['n']:,}"}
    return f"[{a:g}, {b:g}]", f"f(x) = {data['expression']}", measured, extra
