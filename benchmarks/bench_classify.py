"""Classifiers (issue #22): built by hand against trained, on the noisy spiral and on a disc, with the time each took.

Run:  .venv/bin/python benchmarks/bench_classify.py > benchmarks/bench_classify.txt
Target: a trained net of two hidden layers reaches at least 95 % held-out accuracy on the noisy spiral
(TensorFlow Playground's, 1000 points, noise 0.25, 30 % held out); the time it takes is recorded here, not tested.
Also: the certified misclassified area of hand-built towers on the disc x² + y² < 0.5 as N grows, and its time.
"""

from __future__ import annotations

import os
import platform
import time
from datetime import datetime, timezone

import numpy as np

from univ.classify import classes, construct_classifier, measure_classifier, misclassified_area
from univ.classify_fit import fit_classifier

SEEDS = (0, 1, 2)
SPIRAL = dict(samples=1000, noise=0.25, holdout=0.3)


def header() -> list[str]:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    return [
        f"# bench_classify — {now}, Python {platform.python_version()}, numpy {np.__version__}, "
        f"{platform.machine()}, {os.cpu_count()} cores",
        f"# load average at start: {load}",
    ]


def spiral_section() -> list[str]:
    lines = ["", "noisy spiral (1000 points, noise 0.25, 30 % held out)", f"{'model':<44}{'seed':>5}"
             f"{'train acc':>11}{'held-out':>10}{'seconds':>9}"]  # fmt: skip
    for seed in SEEDS:
        c = classes("spiral", seed=seed, **SPIRAL)
        for hidden, optimizer, epochs in (((16, 16), "adam", 2000), ((16, 16), "lbfgs", 500), ((32,), "adam", 2000)):
            t0 = time.perf_counter()
            result = fit_classifier(c, hidden=hidden, optimizer=optimizer, epochs=epochs, seed=seed)
            seconds = time.perf_counter() - t0
            r = measure_classifier(result.network, c)
            name = f"trained {'×'.join(map(str, hidden))} {optimizer} {epochs}"
            lines.append(f"{name:<44}{seed:>5}{r.accuracy:>11.3f}{r.accuracy_holdout:>10.3f}{seconds:>9.2f}")
        for n, method in ((101, "towers"), (401, "towers"), (100, "ridge"), (400, "ridge")):
            t0 = time.perf_counter()
            net = construct_classifier(c, n, method)
            seconds = time.perf_counter() - t0
            r = measure_classifier(net, c)
            name = f"built {method} N={n}"
            lines.append(f"{name:<44}{seed:>5}{r.accuracy:>11.3f}{r.accuracy_holdout:>10.3f}{seconds:>9.2f}")
    return lines


def disc_section() -> list[str]:
    lines = [
        "",
        "disc x^2 + y^2 < 0.5 on [-1, 1]²: towers, certified misclassified area",
        f"{'N':>6}{'fraction':>11}{'lower':>11}{'upper':>11}{'boxes':>9}{'build s':>9}{'certify s':>11}",
    ]
    c = classes("x^2 + y^2 < 0.5", domain=(-1, 1), ydomain=(-1, 1))
    for n in (26, 101, 401, 1601):
        t0 = time.perf_counter()
        net = construct_classifier(c, n)
        t1 = time.perf_counter()
        a = misclassified_area(net, c)
        t2 = time.perf_counter()
        lines.append(
            f"{net.n_hidden:>6}{a.fraction:>11.5f}{a.lower:>11.5f}{a.upper:>11.5f}{a.boxes:>9}{t1 - t0:>9.2f}"
            f"{t2 - t1:>11.2f}"
        )
    return lines


if __name__ == "__main__":
    print("\n".join(header() + spiral_section() + disc_section()))
