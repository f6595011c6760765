"""Classes and classifiers: regions or labelled points, built by hand with a softmax, trained, measured certified."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from . import validate as check
from .classify_data import DATASETS, DEFAULT_SAMPLES, MAX_CLASSES, PLAYGROUND_DOMAIN, csv_points, playground_points
from .classify_measure import CERTIFY_DEPTH, MisclassifiedArea, certify
from .classify_measure import decide as decide  # re-exported: the class a classifier picks at points
from .constructions import METHODS, configure, names
from .constructions.config import DEFAULT_METHOD as DEFAULT_BY_DIMENSION
from .constructions.config import DEFAULT_STEEPNESS
from .errors import ConfigError, DomainError
from .network import Layer, Network
from .parse import Expression, parse_expression
from .target import _domains

NEIGHBOURS = 5  # data classes: a point's class is the vote of its nearest training samples (ties: the nearest)
METHODS_BY_HAND = names(2, having="classifies")  # the 2D constructions that build each class's indicator
DEFAULT_METHOD = DEFAULT_BY_DIMENSION[2]  # classes are regions of the plane: the 2D default
DEFAULT_SCALE = 10.0  # logits per unit of indicator: a clean inside point gets p = e^10/(e^10 + k − 1)
MAX_SCALE = 1e4
CHECK_SIDE = 301  # grid on which regions are checked (defined everywhere) and gaps between them looked for
CE_SIDE = 401  # grid for a region's cross-entropy and accuracy (an average, not a certificate)
BLUR = 2.0 * math.log(19.0)  # a sigmoid σ(w s) rises from 5 % to 95 % over |s| ≤ ln 19 / w: 2 ln 19 / w in all


# -- classes --------------------------------------------------------------------------------------------------
class Classes:
    """What to classify: class names, the 2D domain, and either regions (exact truth everywhere) or labelled
    samples (truth at the samples; elsewhere the vote of the nearest ones).

    Made by :func:`classes`. ``labels(x, y)`` gives the class index at points; for regions, a point belongs to the
    first region that holds there, and to ``other`` (the last class) when none does.
    """

    is_classes = True  # univ.construct builds a classifier for any object saying so

    def __init__(
        self,
        text: str,
        names: Sequence[str],
        domain,
        *,
        regions: Sequence[Expression] = (),
        samples: tuple[np.ndarray, np.ndarray] | None = None,
        holdout: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        self.text, self.names, self.domain = text, tuple(names), tuple(domain)
        self.regions = tuple(regions)
        self.samples, self.holdout = samples, holdout
        self._tree = cKDTree(samples[0]) if samples is not None else None

    @property
    def k(self) -> int:
        """Number of classes."""
        return len(self.names)

    @property
    def kind(self) -> str:
        """``region`` (one region: inside/outside), ``regions`` or ``data``."""
        return "data" if self.samples is not None else "region" if len(self.regions) == 1 else "regions"

    def labels(self, x, y) -> np.ndarray:
        """The class index at points (int array of their broadcast shape)."""
        x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        if self._tree is not None:
            return self._vote(np.stack([x.ravel(), y.ravel()], axis=1)).reshape(x.shape)
        out = np.full(x.shape, self.k - 1, dtype=int)  # none holds: the last class ("other", or "outside")
        for c in range(len(self.regions) - 1, -1, -1):  # the first region that holds wins
            with np.errstate(invalid="ignore"):
                out[_region_values(self.regions[c], x, y) > 0.5] = c
        return out

    def _vote(self, pts: np.ndarray) -> np.ndarray:
        X, lab = self.samples
        k = min(NEIGHBOURS, len(lab))
        _, idx = self._tree.query(pts, k=k)
        idx = idx.reshape(len(pts), k)
        votes = np.zeros((len(pts), self.k), dtype=int)
        np.add.at(votes, (np.repeat(np.arange(len(pts)), k), lab[idx].ravel()), 1)
        best = votes.max(axis=1, keepdims=True)
        tied = (votes == best).sum(axis=1) > 1
        out = votes.argmax(axis=1)
        out[tied] = lab[idx[tied, 0]]
        return out

    def indicator(self, c: int):
        """``g(X, Y)``: 1.0 where the class is ``c``, else 0.0 (what a construction approximates for that class)."""
        return lambda X, Y: (self.labels(X, Y) == c).astype(float)

    def box_labels(self, x0, x1, y0, y1) -> tuple[np.ndarray, np.ndarray]:
        """For boxes [x0, x1] × [y0, y1] of region classes: (the class is the same over the whole box, that class),
        from interval bounds of each region (:meth:`univ.parse.Expression.bounds`)."""
        sure = np.zeros(np.shape(x0), dtype=bool)
        label = np.full(np.shape(x0), -1)
        none_before = np.ones(np.shape(x0), dtype=bool)  # every earlier region certainly fails on the box
        for c, region in enumerate(self.regions):
            holds, maybe = region.bounds({"x": (x0, x1), "y": (y0, y1)})
            new = none_before & (holds > 0.5) & ~sure
            sure |= new
            label[new] = c
            none_before &= maybe < 0.5
        rest = none_before & ~sure
        sure |= rest
        label[rest] = self.k - 1
        return sure, label

    def construct(self, neurons: int | None = None, method: str | None = None, **options: Any) -> Network:
        """:func:`construct_classifier` on these classes (what :func:`univ.construct` calls)."""
        return construct_classifier(self, neurons, method, **options)

    def __repr__(self) -> str:
        return f"Classes({self.text!r}, {self.k} classes: {', '.join(self.names)})"


def _region_values(region: Expression, x, y) -> np.ndarray:
    with np.errstate(all="ignore"):
        v = region(x, y) if len(region.variables) == 2 else region(x)
    return np.broadcast_to(np.asarray(v, dtype=float), np.shape(x))


def classes(
    what: Any,
    *,
    domain=None,
    ydomain=None,
    samples: int = DEFAULT_SAMPLES,
    noise: float = 0.0,
    seed: int = 0,
    holdout: float = 0.0,
) -> Classes:
    """Anything that names classes, as :class:`Classes`.

    Parameters
    ----------
    what : str, list of str, path or Classes
        A region (``"x^2 + y^2 < 0.5"``: classes inside and outside), a list of regions (a point belongs to the first
        that holds there; where none does, to an extra class ``other``), one of ``DATASETS`` (TensorFlow
        Playground's circle, xor, gauss, spiral) or a CSV file of ``x,y,label`` rows.
    domain, ydomain : (float, float), optional
        Regions only: the intervals for x and y (default [0, 1] each). Datasets live on [-6, 6]²; a CSV's domain is
        its samples' bounding box with a 5 % margin.
    samples, noise, seed : int, float, int
        Datasets only: how many points, how much noise (0 to 0.5 as in the Playground), and the random seed.
    holdout : float
        Datasets and CSVs: the fraction in [0, 0.9] of the samples held out (drawn with ``seed``).

    Raises
    ------
    ExpressionError, ConfigError, DataError, DomainError
        Text that does not parse or is not a region, bad options, a bad CSV (naming the row), a region undefined
        somewhere on the domain.
    """
    if isinstance(what, Classes):
        return what
    if isinstance(what, (list, tuple)):
        return _of_regions(list(what), domain, ydomain)
    if isinstance(what, Path) or (isinstance(what, str) and what.strip().lower().endswith(".csv")):
        return read_csv(what, holdout=holdout, seed=seed)
    if isinstance(what, str) and what.strip().lower() in DATASETS:
        return playground(what.strip().lower(), samples=samples, noise=noise, seed=seed, holdout=holdout)
    if isinstance(what, str):
        return _of_regions([what], domain, ydomain)
    raise ConfigError(f"classes are a region, a list of regions, a dataset or a CSV, not {type(what).__name__}")


def _of_regions(texts: list, domain, ydomain) -> Classes:
    if not texts:
        raise ConfigError("a list of regions needs at least one region")
    if len(texts) > MAX_CLASSES - 1:
        raise ConfigError(f"at most {MAX_CLASSES - 1} regions (one class each, and 'other'), got {len(texts)}")
    regions = []
    for t in texts:
        if not isinstance(t, str):
            raise ConfigError(f"a region is text such as 'x^2 + y^2 < 0.5', not {type(t).__name__}")
        e = parse_expression(t)
        if not e.is_region:
            raise ConfigError(f"{e.text!r} is a function, not a region: write a comparison such as '{e.text} > 0'")
        regions.append(e)
    pairs = [domain if domain is not None else (0.0, 1.0), ydomain if ydomain is not None else (0.0, 1.0)]
    dom = _domains(pairs, None, 2, "classes")
    X, Y = np.meshgrid(np.linspace(*dom[0], CHECK_SIDE), np.linspace(*dom[1], CHECK_SIDE))
    for e in regions:
        bad = ~np.isfinite(_region_values(e, X, Y))
        if bad.any():
            k = int(np.flatnonzero(bad.ravel())[0])
            raise DomainError(
                f"region {e.text!r} is undefined at (x, y) = ({X.ravel()[k]:.6g}, {Y.ravel()[k]:.6g}): a side of "
                f"a comparison is not a finite number there"
            )
    text = " | ".join(e.text for e in regions)
    if len(regions) == 1:
        names = ("inside", "outside")
    else:
        names = tuple(e.text for e in regions) + ("other",)
    found = Classes(text, names, dom, regions=regions)
    present = np.unique(found.labels(X, Y))
    if len(present) < 2:
        only = names[int(present[0])]
        raise DomainError(f"{text!r} gives every point of {_domain_text(dom)} the class {only!r}: nothing to classify")
    if len(regions) > 1 and (names[-1] != "other" or (len(names) - 1) not in present):
        found = Classes(text, names[:-1], dom, regions=regions)  # no gap between the regions: no 'other'
    return found


def _domain_text(dom) -> str:
    return " × ".join(f"[{a:g}, {b:g}]" for a, b in dom)


# -- data: TensorFlow Playground datasets and CSVs ----------------------------------------------------------------
def playground(
    name: str, *, samples: int = DEFAULT_SAMPLES, noise: float = 0.0, seed: int = 0, holdout: float = 0.0
) -> Classes:
    """One of TensorFlow Playground's datasets (its ``dataset.ts``), on [-6, 6]², two classes.

    ``circle``: inside radius 2.5 or in the ring 3.5..5; ``xor``: the sign of x·y, points kept 0.3 off the axes;
    ``gauss``: two normal clouds about (2, 2) and (−2, −2), spread 0.5 + 3.5·noise; ``spiral``: two arms of 1.75
    turns each, radius up to 5. Noise (0 to 0.5) moves points as the Playground does.

    Examples
    --------
    >>> c = playground("spiral", samples=200, noise=0.1, seed=1)
    >>> c.k, len(c.samples[1])
    (2, 200)
    """
    X, labels, text, rng = playground_points(name, samples, noise, seed)
    return _of_samples(text, ("0", "1"), PLAYGROUND_DOMAIN, X, labels, holdout, rng)


def _of_samples(text, names, dom, X, labels, holdout, rng) -> Classes:
    holdout = check.real("holdout", holdout, 0.0, 0.9)
    n = len(labels)
    held = np.zeros(n, dtype=bool)
    if holdout:
        held[rng.permutation(n)[: int(round(holdout * n))]] = True
    if held.all() or len(np.unique(labels[~held])) < 2:
        raise ConfigError("the training samples left after the holdout must hold at least two classes")
    train = (np.ascontiguousarray(X[~held]), labels[~held])
    test = (np.ascontiguousarray(X[held]), labels[held]) if held.any() else None
    return Classes(text, names, dom, samples=train, holdout=test)


def read_csv(path, *, holdout: float = 0.0, seed: int = 0) -> Classes:
    """A CSV of labelled points ``x,y,label`` (a header row optional; labels text or integers) as :class:`Classes`.

    Raises
    ------
    DataError
        A missing, empty or oversized file, or a bad row, naming it (``row 7: x is not a number: 'abc'``).
    """
    p = Path(path)
    names, dom, X, labels = csv_points(p)
    return _of_samples(p.name, names, dom, X, labels, holdout, np.random.default_rng(check.whole("seed", seed, 0)))


# -- built by hand ------------------------------------------------------------------------------------------------
def construct_classifier(
    target: Any,
    neurons: int | None = None,
    method: str | None = None,
    *,
    steepness: float = DEFAULT_STEEPNESS,
    scale: float = DEFAULT_SCALE,
) -> Network:
    """A classifier built by hand: the registry's ``towers`` (two hidden layers) or ``ridge`` (one) approximate each
    class's indicator on one shared hidden part, one output per class, and a softmax output layer.

    Parameters
    ----------
    target : Classes or anything :func:`classes` reads
    neurons : int, optional
        Hidden neurons in all (the registry's count for the method; towers round down to a full grid).
    method : str
        ``towers`` (default) or ``ridge``.
    steepness : float
        Sigmoid weight × cell width: steeper steps give a sharper boundary and larger weights.
    scale : float
        Output logits per unit of indicator (softmax confidence).

    Returns
    -------
    Network
        Output layer ``softmax`` of ``k`` neurons; ``info["classes"]`` names them.

    Examples
    --------
    >>> net = construct_classifier("x^2 + y^2 < 0.5", 101)
    >>> net.n_outputs, int(np.argmax(net(0.1, 0.1)))
    (2, 0)
    """
    c = classes(target)
    method = DEFAULT_METHOD if method is None else method
    check.choice("method", method, METHODS_BY_HAND)
    scale = check.real("scale", scale, 1e-3, MAX_SCALE)
    cfg = configure(method, neurons, None, 2, steepness=steepness)
    builder = METHODS[method].builder(2)
    nets = [builder.build(c.indicator(j), c.domain, cfg) for j in range(c.k)]
    hidden = nets[0].hidden
    for other in nets[1:]:  # the hidden part is placed by hand from the domain alone: the same for every class
        if any((a.w != b.w).any() or (a.b != b.b).any() for a, b in zip(hidden, other.hidden)):
            raise ConfigError(f"{method} placed different hidden layers for different classes")  # pragma: no cover
    w = scale * np.concatenate([n.output.w for n in nets], axis=1)  # (width, k)
    b = scale * np.concatenate([n.output.b for n in nets])
    net = Network([*hidden, Layer(w, b, "softmax")])
    first = np.abs(hidden[0].w).max()
    net.info = {
        "method": method,
        "task": "classify",
        "expression": c.text,
        "classes": list(c.names),
        "dimension": 2,
        "domain": [list(p) for p in c.domain],
        "neurons": net.n_hidden,
        **({"neurons_asked": cfg.neurons} if net.n_hidden != cfg.neurons else {}),
        "hidden_layers": net.hidden_sizes,
        "steepness": float(cfg.steepness),
        "scale": float(scale),
        "step_weight": float(first),
        "blur": float(BLUR / first),
    }
    net.layout = getattr(nets[0], "layout", None)
    return net


# -- measured -----------------------------------------------------------------------------------------------------
def misclassified_area(network: Network, target: Any, depth: int = CERTIFY_DEPTH) -> MisclassifiedArea:
    """The misclassified fraction of the domain of region classes, certified by refining the boundary's boxes.

    Parameters
    ----------
    network : Network
        A classifier with one output per class.
    target : Classes or region text
    depth : int
        Refinements of a box at most (each halves its sides).

    Raises
    ------
    ConfigError
        Data classes (their truth is known only at the samples), or a network whose outputs do not match.
    """
    c = classes(target)
    if c.kind == "data":
        raise ConfigError("the misclassified area needs regions; data classes are measured on their samples")
    _check_net(network, c)
    depth = check.whole("depth", depth, 0, 20)
    return certify(network, c, depth)


def _check_net(network: Network, c: Classes) -> None:
    if not isinstance(network, Network):
        raise ConfigError(f"a classifier is a univ Network, not {type(network).__name__}")
    if network.input_dim != 2 or network.n_outputs != c.k:
        raise ConfigError(
            f"the network has {network.input_dim} input(s) and {network.n_outputs} output(s); these classes need "
            f"2 inputs and {c.k} outputs"
        )


def _cross_entropy(p: np.ndarray, labels: np.ndarray) -> float:
    """Mean −log p[true class] (probabilities floored at 1e-300, so a confident mistake costs at most 690)."""
    picked = np.take_along_axis(p.reshape(-1, p.shape[-1]), labels.reshape(-1, 1), axis=1)[:, 0]
    return float(-np.mean(np.log(np.maximum(picked, 1e-300))))


@dataclass
class ClassReport:
    """What :func:`measure_classifier` found; ``to_dict`` is the report's JSON."""

    target: str
    kind: str
    classes: list[str]
    method: str
    neurons: int
    hidden_layers: list[int]
    parameters: int
    max_weight: float
    steepness: float | None = None
    blur: float | None = None
    misclassified: float | None = None
    misclassified_lower: float | None = None
    misclassified_upper: float | None = None
    certify_boxes: int | None = None
    accuracy: float | None = None
    cross_entropy: float | None = None
    accuracy_holdout: float | None = None
    cross_entropy_holdout: float | None = None
    samples: int | None = None
    holdout_samples: int | None = None
    seconds: float | None = None
    note: str | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(d.pop("extra"))
        return d


def measure_classifier(network: Network, target: Any) -> ClassReport:
    """Measure a classifier: the certified misclassified area and the cross-entropy over the domain (regions), or
    accuracy and cross-entropy on the samples and the held-out samples (data).

    Examples
    --------
    >>> c = classes("x > 0.5")
    >>> r = measure_classifier(construct_classifier(c, 50), c)
    >>> r.misclassified_lower <= r.misclassified <= r.misclassified_upper < 0.05
    True
    """
    c = classes(target)
    _check_net(network, c)
    info = network.info
    weight = max(float(np.abs(layer.w).max()) for layer in network.layers)
    report = ClassReport(
        target=c.text,
        kind=c.kind,
        classes=list(c.names),
        method=str(info.get("method", "?")),
        neurons=network.n_hidden,
        hidden_layers=network.hidden_sizes,
        parameters=network.n_params,
        max_weight=weight,
    )
    if "steepness" in info:
        report.steepness = float(info["steepness"])
        report.blur = float(info.get("blur", BLUR / float(np.abs(network.layers[0].w).max())))
        report.note = (
            f"steepness {report.steepness:g}: each step rises from 5 % to 95 % over {report.blur:.3g} of x or y, and "
            f"the largest weight is {weight:.3g}; doubling the steepness halves that blur and doubles the weights"
        )
    if c.kind == "data":
        X, lab = c.samples
        p = network(X)
        report.accuracy = float(np.mean(np.argmax(p, axis=1) == lab))
        report.cross_entropy = _cross_entropy(p, lab)
        report.samples = len(lab)
        if c.holdout is not None:
            Xh, labh = c.holdout
            ph = network(Xh)
            report.accuracy_holdout = float(np.mean(np.argmax(ph, axis=1) == labh))
            report.cross_entropy_holdout = _cross_entropy(ph, labh)
            report.holdout_samples = len(labh)
        return report
    area = misclassified_area(network, c)
    report.misclassified, report.misclassified_lower = area.fraction, area.lower
    report.misclassified_upper, report.certify_boxes = area.upper, area.boxes
    (a, b), (lo, hi) = c.domain
    t = (np.arange(CE_SIDE) + 0.5) / CE_SIDE
    X, Y = np.meshgrid(a + (b - a) * t, lo + (hi - lo) * t)
    p = network(X, Y)
    lab = c.labels(X, Y)
    report.cross_entropy = _cross_entropy(p, lab)
    report.accuracy = float(np.mean(np.argmax(p, axis=-1) == lab))
    report.extra = {"grid": [CE_SIDE, CE_SIDE]}
    return report
