"""Issue 15: is the reported error the true one, at what cost, and how good can one hidden layer be?

Part 1 — measuring: the certified max error and the Gauss–Legendre RMSE of ``univ.measure`` against a much finer
evaluation, and its time against the old measure (a plain 10,001-point / 301 × 301 grid), best of 3.

Part 2 — one hidden layer: for sin(3x), exp(−x) on [0, 1], Runge's 1/(1 + 25x²) on [−1, 1] and sqrt(x) on [0, 1] at
64 and 256 neurons, the best max error over univ's one-hidden-layer options against the optimum a free-knot ReLU
interpolant reaches with the same neurons (N hinges, N cells). The optimum is computed by exact equidistribution:
for a level E, march from the left end making each cell as long as its interpolation error allows (error ≤ E,
found by dense sampling and bisection), count the cells, and bisect on E for the smallest level that needs at most
N cells; the knots found are then measured like any net (certified). Goal: best univ ≤ 1.5 × that optimum.

Run: .venv/bin/python benchmarks/bench_accuracy.py   (writes nothing; the output is recorded in bench_accuracy.txt)
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the machine is shared: threaded BLAS only contends
os.environ.setdefault("OMP_NUM_THREADS", "1")

import time

import numpy as np

from univ import Layer, Network, construct, measure, parse
from univ.measure import quadrature

SAMPLES = 129  # points per cell when the optimum's cell errors are computed


# -- part 1 --------------------------------------------------------------------------------------------------------
def old_measure(net, t):
    if t.dimension == 1:
        ((a, b),) = t.domain
        x = np.linspace(a, b, 10_001)
        e = np.abs(net(x) - t.evaluate(x))
    else:
        (a, b), (c, d) = t.domain
        X, Y = np.meshgrid(np.linspace(a, b, 301), np.linspace(c, d, 301))
        e = np.abs(net(X, Y) - t.evaluate(X, Y))
    return float(e.max()), float(np.sqrt(np.mean(e * e)))


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, min(times)


def fine(net, t):
    if t.dimension == 1:
        ((a, b),) = t.domain
        x = np.linspace(a, b, 2_000_001)
        xq, w = quadrature(a, b, 2_000_001)
        e, eq = np.abs(net(x) - t.evaluate(x)), np.abs(net(xq) - t.evaluate(xq))
        return float(e.max()), float(np.sqrt(np.sum(w * eq * eq) / (b - a))), "2,000,001 points"
    (a, b), (c, d) = t.domain
    xs, wx = quadrature(a, b, 1200)
    ys, wy = quadrature(c, d, 1200)
    X, Y = np.meshgrid(xs, ys)
    E = np.abs(net(X, Y) - t.evaluate(X, Y))
    return (
        float(E.max()),
        float(np.sqrt(np.einsum("i,ij,j->", wy, E * E, wx) / ((b - a) * (d - c)))),
        f"{xs.size} × {ys.size} points",
    )


def part1():
    print("Part 1: measure against a much finer evaluation, and its time against the old grid")
    cases = [
        ("exp(-x^2)", ((-3, 3),), 2000, "steps", {"steepness": 50}),
        ("sin(3x)", ((0, 1),), 200, "bumps", {}),
        ("sqrt(x)", ((0, 1),), 256, "relu", {"knots": "equalized"}),
        ("exp(-(x^2+y^2))", ((-2, 2), (-2, 2)), 1000, "towers", {}),
        ("sin(x)*cos(y)", ((-3, 3), (-3, 3)), 1000, "relu", {}),
    ]
    for text, dom, n, method, kw in cases:
        t = parse(text, domain=dom[0], ydomain=dom[1] if len(dom) > 1 else None)
        net = construct(t, n, method, **kw)
        (old_max, old_rmse), t_old = best_of(lambda net=net, t=t: old_measure(net, t))
        rep, t_new = best_of(lambda net=net, t=t: measure(net, t))
        true_max, true_rmse, how = fine(net, t)
        print(f"  {text} {method} N={n} {kw or ''}")
        print(
            f"    old grid : max {old_max:.6g} ({(old_max / true_max - 1) * 100:+.2f} %), rmse {old_rmse:.6g} "
            f"({(old_rmse / true_rmse - 1) * 100:+.2f} %), {t_old:.3f} s"
        )
        print(
            f"    measure  : max {rep.max_error:.6g} ({(rep.max_error / true_max - 1) * 100:+.3f} %), rmse "
            f"{rep.rmse:.6g} ({(rep.rmse / true_rmse - 1) * 100:+.2f} %), {t_new:.3f} s = {t_new / t_old:.2f}× old,"
            f" {rep.points:,} points"
        )
        print(f"    fine     : max {true_max:.6g}, rmse {true_rmse:.6g} ({how})")


# -- part 2 --------------------------------------------------------------------------------------------------------
def chord_errors(f, left: float, rights: np.ndarray) -> np.ndarray:
    """Interpolation error of the chord from ``left`` to each of ``rights`` (sampled densely)."""
    s = np.linspace(0.0, 1.0, SAMPLES)
    x = left + (rights[:, None] - left) * s  # (R, S)
    y = f(x.ravel()).reshape(x.shape)
    chord = y[:, :1] + (y[:, -1:] - y[:, :1]) * s
    return np.max(np.abs(y - chord), axis=1)


def greedy_knots(f, a: float, b: float, level: float, most: int) -> np.ndarray | None:
    """Knots from a with each cell as long as an interpolation error ≤ level allows; None past ``most`` cells."""
    knots, left = [a], a
    while True:
        if chord_errors(f, left, np.array([b]))[0] <= level:
            knots.append(b)
            return np.array(knots)
        lo, hi = left, b
        for _ in range(80):  # each pass narrows [lo, hi] 32-fold around the longest admissible cell
            rs = np.linspace(lo, hi, 33)[1:]
            bad = np.flatnonzero(chord_errors(f, left, rs) > level)
            j = int(bad[0])
            lo, hi = (rs[j - 1] if j > 0 else lo), rs[j]
            if lo > left and hi - lo <= 1e-6 * (lo - left):  # the cell's end to a millionth of its length
                break
        if lo <= left:
            return None
        knots.append(lo)
        left = lo
        if len(knots) - 1 >= most:
            return None


def optimal_relu_knots(f, a: float, b: float, n: int) -> np.ndarray:
    """The free knots of the best N-cell interpolant (exact equidistribution, bisection on the level)."""
    lo, hi = 0.0, float(chord_errors(f, a, np.array([b]))[0])
    best = None
    for _ in range(40):
        mid = np.sqrt(lo * hi) if lo > 0 else hi / 1e3
        knots = greedy_knots(f, a, b, mid, n)
        if knots is None:
            lo = mid
        else:
            hi, best = mid, knots
        if lo > 0 and hi / lo < 1 + 1e-4:
            break
    while best.size - 1 < n:  # fewer cells than neurons: halve the longest (the error can only fall)
        k = int(np.argmax(np.diff(best)))
        best = np.insert(best, k + 1, 0.5 * (best[k] + best[k + 1]))
    return best


def relu_net(f, knots: np.ndarray) -> Network:
    y = f(knots)
    slopes = np.diff(y) / np.diff(knots)
    return Network(
        [
            Layer(np.ones((1, knots.size - 1)), -knots[:-1], "relu"),
            Layer(np.diff(slopes, prepend=0.0).reshape(-1, 1), [y[0]], "linear"),
        ]
    )


OPTIONS = [
    ("relu", {}),
    ("relu", {"knots": "adaptive"}),
    ("relu", {"knots": "equalized"}),
    ("relu", {"knots": "equalized", "heights": "lstsq"}),
    ("steps", {}),
    ("steps", {"knots": "equalized", "heights": "lstsq"}),
    ("steps", {"heights": "lstsq", "steepness": "auto"}),
    ("steps", {"knots": "equalized", "heights": "lstsq", "steepness": "auto"}),
    ("bumps", {"knots": "equalized", "heights": "lstsq", "steepness": "auto"}),
]


def part2():
    print("\nPart 2: best one-hidden-layer max error in univ against the free-knot ReLU interpolant's optimum")
    goal_met = True
    for text, dom in [("sin(3x)", (0, 1)), ("exp(-x)", (0, 1)), ("1/(1+25x^2)", (-1, 1)), ("sqrt(x)", (0, 1))]:
        t = parse(text, domain=dom)
        for n in (64, 256):
            t0 = time.perf_counter()
            knots = optimal_relu_knots(t.evaluate, dom[0], dom[1], n)
            opt = measure(relu_net(t.evaluate, knots), t).max_error
            t_opt = time.perf_counter() - t0
            print(f"  {text} on [{dom[0]:g}, {dom[1]:g}], N = {n}: free-knot ReLU optimum {opt:.4g} ({t_opt:.1f} s)")
            results = []
            for method, kw in OPTIONS:
                t0 = time.perf_counter()
                net = construct(t, n, method, **kw)
                seconds = time.perf_counter() - t0
                rep = measure(net, t)
                results.append((rep.max_error, method, kw))
                label = f"{method} " + (", ".join(f"{k}={v}" for k, v in kw.items()) or "(Nielsen's defaults)")
                steep = f", steepness {net.info['steepness']:.3g}" if net.info.get("steepness_choice") == "auto" else ""
                print(
                    f"    {label:<58} max {rep.max_error:.4g} = {rep.max_error / opt:6.3f} × optimum, rmse "
                    f"{rep.rmse:.3g}, built in {seconds:.2f} s{steep}"
                )
            err, method, kw = min(results, key=lambda r: r[0])
            relu_best = min(r[0] for r in results if r[1] == "relu")
            goal_met &= err <= 1.5 * opt
            print(
                f"    best: {method} {kw} at {err / opt:.3f} × the optimum (best ReLU interpolant option "
                f"{relu_best / opt:.3f} ×)  goal ≤ 1.5: {'met' if err <= 1.5 * opt else 'NOT met'}"
            )
    print(f"\nGoal (best univ within 1.5 × the free-knot ReLU optimum, every case): {'met' if goal_met else 'NOT met'}")


if __name__ == "__main__":
    part1()
    part2()
