"""Benchmark univ.fit: training steps per second beside PyTorch, and time to a target error beside scikit-learn.

Run from the repository root (torch and scikit-learn are benchmark-only; univ does not depend on them):

    .venv/bin/pip install torch==2.13.0 scikit-learn     # optional; their rows say so when they are missing
    .venv/bin/python benchmarks/bench_fit.py > benchmarks/bench_fit.txt

Part 1 — steps per second: full batch of 1,000 points on [0, 1], sin(3x), Adam (lr 0.01), tanh hidden layers,
float64. univ is timed through the public ``univ.fit`` (``history.seconds``, which includes its ~30 snapshots);
PyTorch runs the same net (nn.Linear + nn.Tanh, MSE, torch.optim.Adam) in float64 with 2 threads as asked, and
for reference with 1 thread and in float32. Each figure is the best of ``REPEATS`` interleaved runs, with the
median beside it: the machine is shared, so the median shows the noise.

Part 2 — time to RMSE ≤ 1e-3 (measured by ``univ.measure`` on 10,001 points, ends included) on Nielsen's
f(x) = 0.2 + 0.4x² + 0.3x sin(15x) + 0.05 cos(50x) on [0, 1]. Every univ row is one end-to-end ``univ.fit`` call
with ``goal=1e-3`` (training stops at the first iteration whose training RMSE reaches it), timed from the call to
its return (the target is parsed once before); LM's figure is the median of 3 identical calls (the run is
deterministic), L-BFGS's a single call (it takes seconds, and minutes on a loaded machine). If the RMSE measured on
the dense grid is still above 1e-3, the call is repeated with the goal lowered 5% at a time and the goal used is
printed. Levenberg–Marquardt (``optimizer="lm"``) trains one hidden tanh layer of each width in ``LM_WIDTHS`` on
``LM_POINTS`` points, seeds 0–4; the width with the lowest median over the seeds (all reaching the target) is
picked. L-BFGS (``optimizer="lbfgs"``) trains its best nets from an earlier scan of 1–3 layers of 16–96 units, and
LM's pick for comparison, on 1,000 points, same seeds.

scikit-learn's MLPRegressor gets the same nets and data, tanh, alpha=0 (no weight decay), and the best settings we
found: L-BFGS with tol=1e-15 and unlimited function evaluations (it still stops on scipy's default ftol, which it
does not expose), and full-batch Adam at lr 0.01 for up to 20,000 epochs (a fresh run stopped at the first epoch
whose training RMSE is under the target is timed; minutes per net on a loaded machine). Both run under one BLAS
thread, faster than two on this machine, as univ itself chooses for nets this small.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import threadpoolctl
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import univ
from univ import measure, parse
from univ.training import fit

REPEATS = 5
WIDTHS = [(20,), (16, 16, 16), (64, 64, 64), (256, 256, 256)]
EPOCHS = {(20,): 2000, (16, 16, 16): 1000, (64, 64, 64): 300, (256, 256, 256): 40}
POINTS = 1000
NIELSEN = "0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05cos(50x)"
TARGET_RMSE = 1e-3
UNIV_NETS = [(20, 20, 20), (32, 32)]  # L-BFGS's best tanh shapes in a scan of 1-3 layers of 16-96 units
SEEDS = (0, 1, 2, 3, 4)
TIMED_CALLS = {"lm": 3, "lbfgs": 1}  # each univ row: the median of this many identical fit() calls
LM_WIDTHS = (10, 15, 20, 25)  # one hidden tanh layer
LM_POINTS = 500
LM_BUDGET = 2000  # iterations
LBFGS_BUDGET = 10_000
SK_ADAM_BUDGET = 20_000  # epochs


def nielsen(x):
    return 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)


def best_and_median(values):
    return max(values), statistics.median(values)


# -- part 1 -------------------------------------------------------------------------------------------------
def univ_steps_per_second(hidden):
    epochs = EPOCHS[hidden]
    r = fit("sin(3x)", hidden=hidden, optimizer="adam", lr=0.01, epochs=epochs, points=POINTS)
    return epochs / r.history.seconds


def torch_steps_per_second(torch, hidden, threads, dtype):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    layers, fan_in = [], 1
    for w in hidden:
        layers += [torch.nn.Linear(fan_in, w), torch.nn.Tanh()]
        fan_in = w
    layers.append(torch.nn.Linear(fan_in, 1))
    model = torch.nn.Sequential(*layers).to(dtype)
    x = torch.linspace(0, 1, POINTS, dtype=dtype).reshape(-1, 1)
    y = torch.sin(3 * x)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)

    def step():
        opt.zero_grad()
        loss = torch.mean((model(x) - y) ** 2)
        loss.backward()
        opt.step()

    for _ in range(10):
        step()
    epochs = EPOCHS[hidden]
    t0 = time.perf_counter()
    for _ in range(epochs):
        step()
    return epochs / (time.perf_counter() - t0)


def part1(out):
    try:
        import torch
    except ImportError:
        torch = None
    out(f"## 1. Training steps per second: Adam, full batch of {POINTS} points, tanh, float64\n")
    if torch is None:
        out("(torch is not installed: its columns are skipped)\n")
    rows = []
    for hidden in WIDTHS:
        runs = {"univ": [], "torch64 2 threads": [], "torch64 1 thread": [], "torch32 2 threads": []}
        fit("sin(3x)", hidden=hidden, epochs=5)  # warm up imports and caches
        for _ in range(REPEATS):
            runs["univ"].append(univ_steps_per_second(hidden))
            if torch is not None:
                runs["torch64 2 threads"].append(torch_steps_per_second(torch, hidden, 2, torch.float64))
                runs["torch64 1 thread"].append(torch_steps_per_second(torch, hidden, 1, torch.float64))
                runs["torch32 2 threads"].append(torch_steps_per_second(torch, hidden, 2, torch.float32))
        rows.append((hidden, {k: best_and_median(v) for k, v in runs.items() if v}))
    names = list(rows[0][1])
    out(f"steps/s, best of {REPEATS} (median)")
    out("  " + "hidden".ljust(16) + "".join(n.rjust(22) for n in names) + "   univ / torch64-2t")
    verdicts = []
    for hidden, res in rows:
        cells = "".join(f"{res[n][0]:>12,.0f} ({res[n][1]:>6,.0f})" for n in names)
        ratio = ""
        if "torch64 2 threads" in res:
            q = res["univ"][0] / res["torch64 2 threads"][0]
            ratio = f"{q:>10.2f}x"
            verdicts.append((hidden, q))
        out("  " + str(list(hidden)).ljust(16) + cells + ratio)
    if verdicts:
        small = [q for h, q in verdicts if max(h) <= 64]
        met = all(q >= 1.0 for q in small)
        out(
            f"\nGoal (at least torch's steps/s at widths <= 64, float64, 2 threads): {'MET' if met else 'NOT MET'}"
            f" (univ/torch {', '.join(f'{q:.2f}' for q in small)})"
        )
        big = [q for h, q in verdicts if max(h) > 64]
        if big:
            out(f"At width 256: univ/torch = {big[0]:.2f}")
    out("")


# -- part 2 -------------------------------------------------------------------------------------------------
def univ_time_to_target(target, hidden, seed, optimizer, points, budget):
    """(seconds median, iterations, dense RMSE, goal used, reached) of ``univ.fit`` stopping at the goal."""
    goal = TARGET_RMSE
    for _ in range(6):
        times = []
        for _ in range(TIMED_CALLS[optimizer]):
            t0 = time.perf_counter()
            r = fit(target, hidden=hidden, optimizer=optimizer, epochs=budget, seed=seed, points=points, goal=goal)
            times.append(time.perf_counter() - t0)
            if r.history.stop != "goal":
                break  # a run that misses is not timed again
        rmse = measure(r.network, target).rmse
        if r.history.stop != "goal" or rmse <= TARGET_RMSE:
            break
        goal *= 0.95
    return statistics.median(times), r.history.epochs, rmse, goal, rmse <= TARGET_RMSE, r.history.stop


def sklearn_runs(hidden, seed):
    """(setting, iterations, seconds, RMSE, reached) for MLPRegressor's L-BFGS and full-batch Adam.

    Adam's time to target is found as univ's is: one run over the whole budget gives the loss curve (its
    ``loss_curve_`` is half the training MSE at each epoch); a fresh run stopped at the first epoch under the
    target is timed and measured.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    x = np.linspace(0, 1, POINTS).reshape(-1, 1)
    y = nielsen(x[:, 0])
    xt = np.linspace(0, 1, 10_001).reshape(-1, 1)
    common = dict(hidden_layer_sizes=hidden, activation="tanh", alpha=0.0, random_state=seed)
    lbfgs = dict(solver="lbfgs", max_iter=LBFGS_BUDGET, max_fun=10**8, tol=1e-15)
    adam = dict(solver="adam", learning_rate_init=0.01, batch_size=POINTS, tol=0.0, n_iter_no_change=10**9)

    def run(kw):
        model = MLPRegressor(**common, **kw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            t0 = time.perf_counter()
            model.fit(x, y)
            seconds = time.perf_counter() - t0
        return model, seconds, float(np.sqrt(np.mean((model.predict(xt) - nielsen(xt[:, 0])) ** 2)))

    results = []
    model, seconds, rmse = run(lbfgs)
    results.append(("lbfgs (tol 1e-15)", model.n_iter_, seconds, rmse, rmse <= TARGET_RMSE))
    model, seconds, rmse = run(dict(adam, max_iter=SK_ADAM_BUDGET))
    curve = np.sqrt(2 * np.asarray(model.loss_curve_))  # training RMSE before each epoch's step
    below = np.flatnonzero(curve <= TARGET_RMSE)
    if not len(below):
        results.append(("adam full batch lr 0.01", model.n_iter_, seconds, rmse, False))
        return results
    k = int(below[0])
    while k <= SK_ADAM_BUDGET:
        model, seconds, rmse = run(dict(adam, max_iter=k))
        if rmse <= TARGET_RMSE:
            results.append(("adam full batch lr 0.01", k, seconds, rmse, True))
            return results
        k = int(k * 1.05) + 1
    results.append(("adam full batch lr 0.01", SK_ADAM_BUDGET, seconds, rmse, False))
    return results


def univ_rows(out, target, optimizer, nets, points, budget):
    """One row per (net, seed); returns {net: [(seconds, reached), ...]}."""
    runs = {}
    for hidden in nets:
        runs[hidden] = []
        for seed in SEEDS:
            seconds, iters, rmse, goal, ok, stop = univ_time_to_target(target, hidden, seed, optimizer, points, budget)
            note = "" if goal == TARGET_RMSE else f"  (training goal {goal:.3g})"
            if stop not in ("goal", "epochs"):
                note += f"  ({stop})"
            out(
                f"  {str(list(hidden)):14s} seed {seed}: {iters:5d} iterations  {seconds:6.3f} s  RMSE {rmse:.3g}  "
                f"{'reached' if ok else 'NOT reached'}{note}"
            )
            runs[hidden].append((seconds, ok))
    return runs


def summary(runs):
    """{net: (median seconds over the seeds, reached count)}; a net that missed on some seed has no median."""
    return {
        h: (statistics.median(s for s, _ in v) if all(ok for _, ok in v) else None, sum(ok for _, ok in v))
        for h, v in runs.items()
    }


def part2(out):
    target = parse(NIELSEN)
    fit(target, hidden=(5,), optimizer="lm", epochs=3)  # warm up imports (scipy.linalg) and caches
    fit(target, hidden=(5,), optimizer="lbfgs", epochs=3)
    out(f"## 2. Time to RMSE <= {TARGET_RMSE:g} on Nielsen's f(x) = {NIELSEN} on [0, 1]\n")
    out(
        "seconds = one end-to-end univ.fit(..., goal=1e-3) call (lm: the median of "
        f"{TIMED_CALLS['lm']} identical calls); RMSE measured on 10,001 points; seeds {SEEDS[0]}-{SEEDS[-1]}\n"
    )
    out(
        f"Levenberg-Marquardt (optimizer='lm'), one hidden tanh layer, {LM_POINTS} training points, "
        f"budget {LM_BUDGET} iterations"
    )
    lm_best = medians(out, univ_rows(out, target, "lm", [(w,) for w in LM_WIDTHS], LM_POINTS, LM_BUDGET))
    if lm_best is not None:
        out(f"  LM's pick: {list(lm_best[0])} tanh, median {lm_best[1]:.3f} s")
    nets = [*UNIV_NETS, *([lm_best[0]] if lm_best is not None else [])]
    out(f"\nL-BFGS (optimizer='lbfgs'), {POINTS} training points, budget {LBFGS_BUDGET} iterations")
    lb_best = medians(out, univ_rows(out, target, "lbfgs", nets, POINTS, LBFGS_BUDGET))
    lm_goals(out, lm_best, lb_best)
    sklearn_part(out, nets, lm_best)
    out("")


def medians(out, runs):
    """Print each net's median over the seeds; return (net, median) of the fastest that reached on every seed."""
    done = {}
    for h, (med, n) in summary(runs).items():
        out(
            f"  {str(list(h)):14s} median over seeds: "
            + (f"{med:.3f} s" if med is not None else f"-- (reached on {n} of {len(SEEDS)} seeds)")
        )
        if med is not None:
            done[h] = med
    return min(done.items(), key=lambda item: item[1]) if done else None


def lm_goals(out, lm_best, lb_best):
    """LM under 1 s, and at least 3x faster than univ's own L-BFGS."""
    if lm_best is None:
        out(
            "\nGoal (LM median under 1 s, at least 3x faster than L-BFGS): NOT MET: LM missed the target on some seed "
            "at every width"
        )
        return
    (h, med) = lm_best
    out(f"\nGoal (LM median under 1 s): {'MET' if med < 1.0 else 'NOT MET'}: {med:.3f} s with {list(h)}")
    if lb_best is None:
        out("Goal (LM at least 3x faster than univ's L-BFGS): MET: L-BFGS missed the target on some seed for every net")
    else:
        q = lb_best[1] / med
        out(
            f"Goal (LM at least 3x faster than univ's L-BFGS): {'MET' if q >= 3 else 'NOT MET'}: L-BFGS's best "
            f"median {lb_best[1]:.3f} s ({list(lb_best[0])}) is {q:.1f} times LM's"
        )


def sklearn_part(out, nets, lm_best):
    """MLPRegressor on the same nets under one BLAS thread, and whether LM reaches the target sooner."""
    try:
        import sklearn
    except ImportError:
        out("\n(scikit-learn is not installed: its MLPRegressor rows are skipped)")
        return
    out(
        f"\nscikit-learn {sklearn.__version__} MLPRegressor, same nets and data, tanh, alpha=0, one BLAS thread, seed 0"
    )
    sk_best = None
    with threadpool_limits(limits=1, user_api="blas"):
        for hidden in nets:
            for name, iters, seconds, rmse, ok in sklearn_runs(hidden, 0):
                out(
                    f"  {str(list(hidden)):14s} {name:24s} {iters:6d} iterations  {seconds:7.2f} s  "
                    f"RMSE {rmse:.3g}  {'reached' if ok else 'NOT reached'}"
                )
                if ok and (sk_best is None or seconds < sk_best[0]):
                    sk_best = (seconds, hidden, name)
    out(
        "  (sklearn's L-BFGS stops on scipy's default ftol, which MLPRegressor does not expose; Adam's row is the run"
        " stopped at the first epoch under the target, or the whole budget)"
    )
    if lm_best is None:
        return
    med = lm_best[1]
    if sk_best is None:
        out(
            f"\nGoal (reach the target sooner than MLPRegressor): MET: LM {med:.3f} s; MLPRegressor never did "
            "within its budgets"
        )
    else:
        out(
            f"\nGoal (reach the target sooner than MLPRegressor): {'MET' if med < sk_best[0] else 'NOT MET'}: "
            f"LM {med:.3f} s against MLPRegressor's fastest {sk_best[0]:.2f} s ({list(sk_best[1])}, {sk_best[2]})"
        )


def main():
    lines = []

    def out(text=""):
        print(text, flush=True)
        lines.append(text)

    out("# univ.fit benchmark")
    out(
        f"{time.strftime('%Y-%m-%d %H:%M')}; Python {platform.python_version()}, numpy {np.__version__}, "
        f"univ {univ.__version__}; {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}); "
        f"load average at start {os.getloadavg()[0]:.1f} (the machine is shared)"
    )
    try:
        import torch

        out(f"torch {torch.__version__}")
    except ImportError:
        out("torch: not installed (its rows are skipped)")
    out(f"threadpoolctl {threadpoolctl.__version__} (univ keeps BLAS to one thread for small nets)")
    out("")
    part1(out)
    part2(out)
    out(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
