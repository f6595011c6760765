"""The page's Decisions tab: univ's hand-built classifiers over a ladder of neuron counts, drawn and measured.

Python builds each classifier with :func:`univ.classify.construct_classifier` (the registry's towers), measures it
with :func:`univ.classify.measure_classifier` (the misclassified area certified between two bounds for regions, the
accuracy on the samples for data), and embeds the class it decides at the centre of each of ``SIDE`` × ``SIDE``
pixels, run-length coded. The page only draws: every number it shows is the report ``univ classify`` prints.
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Any

import numpy as np

from . import numbers
from .classify import CE_SIDE, DEFAULT_METHOD, classes, construct_classifier, measure_classifier
from .classify_measure import decide
from .constructions import METHODS
from .errors import ConfigError
from .limits import MAX_PAGE_NEURONS

SIDE = 161  # pixels per side of a decision map (the figure's cell centres, (i + 0.5) / SIDE of the way across)
TOP = 101  # the slider's ladder: every towers count up to here (univ classify's default), and the count asked for
MAX_RUN = 255  # a run of one class is stored as (class, length) bytes, so a run is cut at 255 pixels
# What the tab shows on a page of f(x): a region and a dataset, as `univ classify` reads them (options, the count it
# opens at). Certifying the disc's misclassified area costs about 0.1 s at 37 neurons and 0.5 s at 101, on every page
# of f(x); above ``CHEAP`` neurons the default disc shows the share sampled at univ classify's 401² points instead.
CHEAP = 37
DEFAULT_SETS = (
    ("x^2 + y^2 < 0.5", {"domain": (-1.0, 1.0), "ydomain": (-1.0, 1.0), "certify_up_to": CHEAP}, 37),
    ("spiral", {}, 101),
)


def counts(neurons: int) -> list[int]:
    """The neuron counts the slider offers: the towers ladder up to ``TOP``, and ``neurons`` rounded onto it."""
    builder = METHODS[DEFAULT_METHOD].builder(2)
    ladder = {builder.count(k) for k in range(builder.k_min, builder.k_min + 100) if builder.count(k) <= TOP}
    return sorted(ladder | {builder.at_most(neurons)})


def runs(labels: np.ndarray) -> str:
    """A class map (small non-negative ints, row by row) as base64 of (class, run length) byte pairs."""
    flat = np.asarray(labels, dtype=np.int64).ravel()
    if flat.size == 0 or flat.min() < 0 or flat.max() > 255:
        raise ConfigError("a decision map holds classes 0 to 255")  # pragma: no cover
    starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    lengths = np.diff(np.r_[starts, flat.size])
    pairs = []
    for cls, n in zip(flat[starts], lengths):
        while n > 0:  # a run longer than a byte holds is cut into several
            pairs += [int(cls), int(min(n, MAX_RUN))]
            n -= MAX_RUN
    return base64.b64encode(bytes(pairs)).decode("ascii")


def _pixels(c, side: int = SIDE) -> tuple[np.ndarray, np.ndarray]:
    """The centres of side × side pixels, row by row from the bottom (y = lo), as the figure's image and as
    :func:`univ.classify.measure_classifier`'s grid."""
    (a, b), (lo, hi) = c.domain
    t = (np.arange(side) + 0.5) / side
    return np.meshgrid(a + (b - a) * t, lo + (hi - lo) * t)


def _measured(net, c, certify: bool) -> dict[str, Any]:
    """univ classify's report of ``net``; or, not certified, the share of its 401² grid points misclassified, which
    is 1 − the accuracy that report prints (the same points and rule), without the certificate's cost."""
    if certify or c.kind == "data":
        return measure_classifier(net, c).to_dict()
    X, Y = _pixels(c, CE_SIDE)
    accuracy = float(np.mean(decide(net, X, Y) == c.labels(X, Y)))
    return dict.fromkeys(("misclassified_lower", "misclassified_upper", "samples")) | {
        "neurons": net.n_hidden,
        "misclassified": 1.0 - accuracy,
        "accuracy": accuracy,
    }


def _numbers(r: dict[str, Any]) -> dict[str, Any]:
    """One net's measured numbers as the page shows them: the report's values, and the same printed by univ."""
    out = {key: r[key] for key in ("neurons", "misclassified", "misclassified_lower", "misclassified_upper")}
    out.update(accuracy=r["accuracy"], samples=r["samples"], certified=r["misclassified_lower"] is not None)
    if r["misclassified"] is not None:
        share = numbers.percent(r["misclassified"])
        if out["certified"]:
            how = f"{numbers.percent(r['misclassified_lower'])} and {numbers.percent(r['misclassified_upper'])}"
            out["text"] = {"misclassified": share, "how": "certified between", "bracket": how}
        else:
            how = f"{CE_SIDE} × {CE_SIDE} points"
            out["text"] = {"misclassified": share, "how": "sampled at", "bracket": how}
        out["summary"] = f"{r['neurons']} hidden neurons: {share} of the area misclassified ({out['text']['how']} {how}"
        out["summary"] += ")." if out["certified"] else "; certifying it costs more at this count, so not here)."
    else:
        out["text"] = {"accuracy": numbers.percent(r["accuracy"])}
        out["summary"] = (
            f"{r['neurons']} hidden neurons: accuracy {numbers.percent(r['accuracy'])} on {r['samples']} samples."
        )
    return out


def decision_set(what: str, neurons: int, certify_up_to: int | None = None, **options: Any) -> dict[str, Any]:
    """One target's tab data: its classes, truth (regions) or samples (data), and for each count of :func:`counts`
    univ's classifier as a decision map with :func:`univ.classify.measure_classifier`'s numbers.

    Parameters
    ----------
    what : str
        A region (``"x^2 + y^2 < 0.5"``) or a dataset, as ``univ classify`` reads it.
    neurons : int
        The count the slider starts at (rounded down onto the towers ladder), up to ``MAX_PAGE_NEURONS``.
    certify_up_to : int, optional
        Regions: certify the misclassified area of nets up to this many neurons, and sample it (at univ classify's
        grid) above; None certifies every one.
    **options
        ``domain``, ``ydomain`` (regions) and ``steepness``, as for ``univ classify``.
    """
    steepness = options.pop("steepness", None)
    c = classes(what, **options)
    builder = METHODS[DEFAULT_METHOD].builder(2)
    neurons = builder.check_neurons(int(neurons), "neurons")
    if neurons > MAX_PAGE_NEURONS:
        raise ConfigError(f"neurons must be at most {MAX_PAGE_NEURONS} on a page, got {neurons}")
    X, Y = _pixels(c)
    built = {} if steepness is None else {"steepness": steepness}
    nets = []
    for n in counts(neurons):
        net = construct_classifier(c, n, DEFAULT_METHOD, **built)
        certify = certify_up_to is None or net.n_hidden <= certify_up_to
        nets.append({**_numbers(_measured(net, c, certify)), "map": runs(decide(net, X, Y))})
    found = {
        "expression": c.text,
        "kind": c.kind,
        "classes": list(c.names),
        "domain": [list(map(float, p)) for p in c.domain],
        "side": SIDE,
        "command": _command(what, c, options, steepness),
        "truth": runs(c.labels(X, Y)) if c.kind != "data" else None,
        "samples": None,
        "start": [n["neurons"] for n in nets].index(builder.at_most(neurons)),
        "nets": nets,
    }
    if c.kind == "data":
        pts, lab = c.samples
        xy = base64.b64encode(np.ascontiguousarray(pts, dtype="<f4").tobytes()).decode("ascii")  # drawn, not measured
        found["samples"] = {"xy": xy, "labels": base64.b64encode(np.asarray(lab, dtype=np.uint8).tobytes()).decode()}
    return found


def _command(what: str, c, options: dict[str, Any], steepness: float | None) -> str:
    """The ``univ classify`` command that prints the same numbers (without its ``-n``)."""
    words = ["univ classify", f'"{what}"' if c.kind != "data" else what]
    if c.kind != "data":
        (a, b), (lo, hi) = c.domain
        words += [f"--domain {a:g} {b:g}", f"--ydomain {lo:g} {hi:g}"]
    if steepness is not None:
        words.append(f"--steepness {steepness:g}")
    return " ".join(words)


@cache
def _default_sets() -> tuple[dict[str, Any], ...]:
    # the same for every page of f(x) (univ's own constants): built once per process
    return tuple(decision_set(what, n, **opts) for what, opts, n in DEFAULT_SETS)


def decisions(target: str | None = None, neurons: int = 20, **options: Any) -> dict[str, Any]:
    """The Decisions tab's data: the region ``target`` alone, or (None) the default disc and spiral dataset.

    Parameters
    ----------
    target : str, optional
        A region of x and y, as for :func:`univ.classify.classes`.
    neurons : int
        The count the region's slider starts at.
    **options
        As for :func:`decision_set`.
    """
    if target is None:
        return {"sets": list(_default_sets()), "start": 0}
    return {"sets": [decision_set(target, neurons, **options)], "start": 0}
