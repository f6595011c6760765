"""Issue 15: is the reported error the true one, at what cost, and how good can one hidden layer be?

Part 1 — measuring: the certified max error and the Gauss–Legendre RMSE of ``univ.measure`` against a much finer
evaluation, and its time against the old measure (a plain 10,001-point / 301 × 301 grid), best of 3.

Part 2 — one hidden layer: for sin(3x), exp(−x) on [0, 1], Runge's 1/(1 + 25x²) on [−1, 1] and sqrt(x) on [0, 1] at
64 and 256 neurons, univ's one-hidden-layer options, each against the yardstick of its own class of functions.
N ReLU units (N hinges, N cells) make a continuous piecewise-linear function with N pieces; two optima of that class:
- the best interpolant (free knots, values f at the knots), by exact equidistribution: for a level E, march from the
  left end making each cell as long as its interpolation error allows (error ≤ E, found by dense sampling and
  bisection), count the cells, and bisect on E for the smallest level that needs at most N cells;
- the best approximation (free knots and free values), about half of it (exactly half for convex or concave f): the
  values by a linear programme for given knots, the knots moved by sequential linear programming (see
  ``best_approximation``); no N pieces get below half the best interpolant's level, which the output prints.
Both are measured like any net (certified). N sigmoids with heights by least squares and a chosen steepness make a
smooth function, not a piecewise-linear one: another class, with no known optimum; their rows are printed on their
own, with the range of their ramp widths 1/|w|.

Run: .venv/bin/python benchmarks/bench_accuracy.py [--part2]   (writes nothing; recorded in bench_accuracy.txt)
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
SLP_STEPS = 60  # most linear programmes when the knots of the best approximation are moved
LP_SAMPLES = 33  # points per cell in the linear programme for the values (the result is measured, certified)


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


def equidistribute(f, a: float, b: float, n: int):
    """The best N-cell interpolant's knots and level E (bisection on E, exact equidistribution): (knots, lo, hi).

    lo < E ≤ hi. Greedy marching is optimal here because a cell's error only grows as the cell grows; ``lo`` is the
    largest level found infeasible, so no N cells reach below it.
    """
    lo, hi = 0.0, float(chord_errors(f, a, np.array([b]))[0])
    best = None
    for _ in range(60):
        mid = np.sqrt(lo * hi) if lo > 0 else hi / 1e3
        knots = greedy_knots(f, a, b, mid, n)
        if knots is None:
            lo = mid
        else:
            hi, best = mid, knots
        if best is not None and lo > 0 and hi / lo < 1 + 1e-4:
            break
    while best.size - 1 < n:  # fewer cells than neurons: halve the longest (the error can only fall)
        k = int(np.argmax(np.diff(best)))
        best = np.insert(best, k + 1, 0.5 * (best[k] + best[k + 1]))
    return best, lo, hi


def optimal_relu_knots(f, a: float, b: float, n: int) -> np.ndarray:
    """The free knots of the best N-cell interpolant (exact equidistribution of the chord error)."""
    return equidistribute(f, a, b, n)[0]


def _samples(f, knots: np.ndarray, samples: int):
    """Points at ``samples`` fractions s of each cell: (s, cell index, x, f(x)), flattened cell by cell."""
    n = knots.size - 1
    s = np.linspace(0.0, 1.0, samples)
    x = (knots[:-1, None] + np.diff(knots)[:, None] * s).ravel()  # (N·S,)
    return np.tile(s, n), np.repeat(np.arange(n), samples), x, f(x)


def _minimax_lp(f, knots: np.ndarray, samples: int, radius: float = 0.0):
    """The linear programme of the best continuous piecewise-linear fit: (knots moved, values, E).

    Variables: values v_0 … v_N, E, and (when ``radius`` > 0) moves d_1 … d_(N−1) of the inner knots, each at most
    ``radius`` × its shorter neighbouring cell. A point at fraction s of cell i lies at x = (1 − s) t_i + s t_(i+1)
    and the function there is (1 − s) v_i + s v_(i+1): linear in the values, and f(x) moves by f′(x)·((1 − s) d_i
    + s d_(i+1)) to first order. Constraints: −E ≤ (1 − s) v_i + s v_(i+1) − f(x) − f′(x)(…) ≤ E; minimise E
    (scipy's HiGHS). Its tolerances are absolute (~1e-7), so the programme is written in scaled unknowns: values as
    f(t_i) + c·u_i and E as c·e with c the interpolant's error, moves as fractions of the cells.
    """
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    a, b, n = knots[0], knots[-1], knots.size - 1
    s, cell, x, y = _samples(f, knots, samples)
    fk = f(knots)
    chord = (1 - s) * fk[cell] + s * fk[cell + 1]
    scale = max(float(np.max(np.abs(y - chord))), 1e-300)
    r0 = (y - chord) / scale  # what the values must make up, in units of the interpolant's error
    h = 1e-7 * (b - a)
    xp, xm = np.minimum(x + h, b), np.maximum(x - h, a)
    slope = (f(xp) - f(xm)) / (xp - xm)  # f′ at the samples, one-sided at the ends
    width = np.minimum(np.diff(knots)[:-1], np.diff(knots)[1:])  # a move d_j = width_j · z_j, |z_j| ≤ radius
    moves = n - 1 if radius > 0 else 0
    rows = np.arange(s.size)
    r, c, d, b_ub = [], [], [], []
    for sign, offset in ((1.0, 0), (-1.0, s.size)):  # sign·(value − f) − e ≤ 0, scaled
        r += [rows + offset] * 3
        c += [cell, cell + 1, np.full(rows.size, n + 1)]
        d += [sign * (1 - s), sign * s, -np.ones(rows.size)]
        for k, w in ((cell, 1 - s), (cell + 1, s)) if moves else ():
            inner = (k > 0) & (k < n)  # the end knots stay
            r.append(rows[inner] + offset)
            c.append(n + 1 + k[inner])
            d.append(-sign * slope[inner] * w[inner] * width[k[inner] - 1] / scale)
        b_ub.append(sign * r0)
    shape = (2 * s.size, n + 2 + moves)
    a_ub = coo_matrix((np.concatenate(d), (np.concatenate(r), np.concatenate(c))), shape=shape).tocsr()
    cost = np.zeros(shape[1])
    cost[n + 1] = 1.0
    bounds = [(None, None)] * (n + 1) + [(0, None)] + [(-radius, radius)] * moves
    res = linprog(cost, A_ub=a_ub, b_ub=np.concatenate(b_ub), bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(f"linprog: {res.message}")
    moved = knots.copy()
    moved[1:-1] += width * res.x[n + 2 :] if moves else 0.0
    return moved, fk + scale * res.x[: n + 1], scale * float(res.x[n + 1])


def sampled_error(f, knots: np.ndarray, values: np.ndarray, samples: int = LP_SAMPLES) -> float:
    """The max |f − the piecewise-linear function| at ``samples`` points of each cell."""
    s, cell, _, y = _samples(f, knots, samples)
    return float(np.max(np.abs(y - ((1 - s) * values[cell] + s * values[cell + 1]))))


def best_approximation(f, a: float, b: float, n: int, interpolant_knots: np.ndarray | None = None):
    """The best continuous piecewise-linear approximation with N pieces (free knots and values): (knots, values).

    Start from the best interpolant's knots with the best values for them (an LP); then move knots and values
    together by sequential linear programming (``_minimax_lp`` with a trust region: a step is kept when the error
    at the samples falls, and the region grows; otherwise it shrinks). For convex or concave f the start is already
    optimal (the interpolant moved by half its error equioscillates), so the result is half the best interpolant's;
    where f″ changes sign the knots must move. The final values come from a finer LP, and the caller measures the
    net (certified).

    No N pieces do better than half the best interpolant: on each cell of any such g, with |f − g| ≤ E, the chord of
    f differs from g by at most E at both ends, hence everywhere, so the interpolant at g's knots is within 2E of f.
    """
    knots = equidistribute(f, a, b, n)[0] if interpolant_knots is None else interpolant_knots
    _, values, _ = _minimax_lp(f, knots, LP_SAMPLES)
    err, radius = sampled_error(f, knots, values, SAMPLES), 0.25
    for _ in range(SLP_STEPS):
        moved, v, _ = _minimax_lp(f, knots, LP_SAMPLES, radius)
        e = sampled_error(f, moved, v, SAMPLES)  # judged on finer samples than the LP saw
        if e < err:
            done = err - e < 1e-4 * err
            knots, values, err, radius = moved, v, e, min(0.45, 2 * radius)  # < ½: knots keep their order
            if done:
                break
        else:
            radius /= 4
            if radius < 1e-6:
                break
    return knots, _minimax_lp(f, knots, SAMPLES)[1]


def relu_net(f, knots: np.ndarray, values: np.ndarray | None = None) -> Network:
    """N ReLU hinges at knots[:-1] giving the continuous piecewise-linear function with these values (default f)."""
    y = f(knots) if values is None else values
    slopes = np.diff(y) / np.diff(knots)
    return Network(
        [
            Layer(np.ones((1, knots.size - 1)), -knots[:-1], "relu"),
            Layer(np.diff(slopes, prepend=0.0).reshape(-1, 1), [y[0]], "linear"),
        ]
    )


RELU_OPTIONS = [
    ("relu", {}),
    ("relu", {"knots": "adaptive"}),
    ("relu", {"knots": "equalized"}),
    ("relu", {"knots": "equalized", "heights": "lstsq"}),
]
SIGMOID_OPTIONS = [
    ("steps", {}),
    ("steps", {"knots": "equalized", "heights": "lstsq"}),
    ("steps", {"heights": "lstsq", "steepness": "auto"}),
    ("steps", {"knots": "equalized", "heights": "lstsq", "steepness": "auto"}),
    ("bumps", {"knots": "equalized", "heights": "lstsq", "steepness": "auto"}),
]
CASES = [("sin(3x)", (0, 1)), ("exp(-x)", (0, 1)), ("1/(1+25x^2)", (-1, 1)), ("sqrt(x)", (0, 1))]


def _label(method: str, kw: dict) -> str:
    return f"{method} " + (", ".join(f"{k}={v}" for k, v in kw.items()) or "(Nielsen's defaults)")


def _ramps(net) -> str:
    """The range of the hidden sigmoids' ramp widths 1/|w| (σ goes from 0.27 to 0.73 across one)."""
    w = np.abs(np.asarray(net.layers[0].w, dtype=float)).ravel()
    return f"{1 / w.max():.2g}–{1 / w.min():.2g}"


def part2():
    print(
        "\nPart 2: how good can one hidden layer be? Two classes of functions, each against its own yardstick\n"
        "  N ReLU units make a continuous piecewise-linear function with N pieces: the best interpolant (free knots)\n"
        "  and the best approximation (free knots and values) with N pieces are its yardsticks. N sigmoids make a\n"
        "  smooth function, another class (no optimum known): their rows stand on their own."
    )
    spread = []
    for text, dom in CASES:
        t = parse(text, domain=dom)
        for n in (64, 256):
            t0 = time.perf_counter()
            knots, lo, _ = equidistribute(t.evaluate, dom[0], dom[1], n)
            interp = measure(relu_net(t.evaluate, knots), t).max_error
            t1 = time.perf_counter()
            bknots, values = best_approximation(t.evaluate, dom[0], dom[1], n, knots)
            best = measure(relu_net(t.evaluate, bknots, values), t).max_error
            lower = 0.5 * lo
            t2 = time.perf_counter()
            print(f"  {text} on [{dom[0]:g}, {dom[1]:g}], N = {n}")
            print(f"    best interpolant (free knots): {interp:.4g} ({t1 - t0:.1f} s)")
            print(
                f"    best approximation (free knots and values): {best:.4g} (no N pieces reach below {lower:.4g}; "
                f"{t2 - t1:.1f} s)"
            )
            results = []
            for method, kw in RELU_OPTIONS + SIGMOID_OPTIONS:
                t0 = time.perf_counter()
                net = construct(t, n, method, **kw)
                seconds = time.perf_counter() - t0
                rep = measure(net, t)
                results.append((rep.max_error, method, kw, net))
                extra = f", steepness {net.info['steepness']:.3g}" if net.info.get("steepness_choice") == "auto" else ""
                if method == "relu":
                    versus = f" = {rep.max_error / best:6.3f} × best approximation"
                else:
                    extra += f", ramp widths 1/w {_ramps(net)}"
                    versus = ""
                print(
                    f"    {_label(method, kw):<58} max {rep.max_error:.4g}{versus}, rmse {rep.rmse:.3g}, "
                    f"built in {seconds:.2f} s{extra}"
                )
            err, method, kw, _ = min((r for r in results if r[1] == "relu"), key=lambda r: r[0])
            spread.append(err / best)
            print(f"    best relu: {method} {kw} max {err:.4g} at {err / best:.3f} × the best approximation")
            err, method, kw, net = min((r for r in results if r[1] != "relu"), key=lambda r: r[0])
            print(f"    best sigmoid sum: {method} {kw} max {err:.4g}, ramp widths 1/w {_ramps(net)}")
    print(f"\nBest relu option against the best approximation: {min(spread):.2f}× to {max(spread):.2f}×")


if __name__ == "__main__":
    import sys

    if "--part2" not in sys.argv[1:]:
        part1()
    part2()
