"""Construction + evaluation time and peak memory on 1,000,000 points; the sorted fast path against the dense one;
loading network files; CLI start-up against `import numpy`.

Run:  .venv/bin/python benchmarks/bench_construct.py > benchmarks/bench_construct.txt
      (``... bench_construct.py certify`` runs only the certification section, issue #18)
Each case runs in a fresh subprocess so its peak resident memory (ru_maxrss) is its own.
Targets (issue #2): 10,000 neurons on 1,000,000 points under 500 MB peak; CLI --no-plot start-up ≤ 2× `import numpy`.
Targets (issue #13): 10,000 bumps on 1,000,000 points under 1 s; evaluation time nearly flat from 1,000 to 100,000
neurons. (issue #14): loading a network file peaks within a few times the file's size.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POINTS = 1_000_000
SIZES = (20, 1_000, 10_000, 100_000)
REPEATS = 7
COMPARE_POINTS = 100_000

CASE = r"""
import json, resource, sys, time, tracemalloc
import numpy as np
import univ
n, points, method = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
target = univ.parse("sin(3x)")
x = np.linspace(0.0, 1.0, points)
tracemalloc.start()
t0 = time.perf_counter()
net = univ.construct(target, n, method=method)
t1 = time.perf_counter()
c1 = time.process_time()
y = net(x)
t2 = time.perf_counter()
c2 = time.process_time()
path = "fast" if net._fast_plan() is not None else "dense"
traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
err = float(np.max(np.abs(y - np.sin(3 * x))))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"construct_s": t1 - t0, "evaluate_s": t2 - t1, "evaluate_cpu_s": c2 - c1,
                  "traced_peak_mb": traced / 2**20,
                  "rss_peak_mb": peak / 1024, "rss_before_mb": base / 1024, "max_error": err, "path": path}))
"""

# the same net through the sorted path and the dense one (net._call_dense): time and agreement
VERSUS = r"""
import json, sys, time
import numpy as np
import univ
expr, n, method, points = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
knots = sys.argv[5] if len(sys.argv) > 5 else "uniform"
net = univ.construct(expr, n, method=method, **({"knots": knots} if knots != "uniform" else {}))
if net.input_dim == 1:
    args = (np.linspace(0.0, 1.0, points),)
else:
    side = int(round(points ** 0.5))
    args = tuple(np.meshgrid(np.linspace(0.0, 1.0, side), np.linspace(0.0, 1.0, side)))
net(*(a[:10] for a in args))  # build the plan outside the timing
t0 = time.perf_counter()
fast = net(*args)
t1 = time.perf_counter()
dense = net._call_dense(*args)
t2 = time.perf_counter()
scale = float(np.abs(net.output.w).sum())
print(json.dumps({"fast_s": t1 - t0, "dense_s": t2 - t1, "agree": float(np.max(np.abs(fast - dense))) / scale,
                  "fast": net._fast_plan() is not None, "points": int(np.size(args[0]))}))
"""

# write a network file in one process, load it in a fresh one: time and peak memory against the file's size
WRITE = r"""
import sys
import numpy as np
import univ
n, path = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(0)
net = univ.Network([univ.Layer(rng.normal(size=(1, n)), rng.normal(size=n), "sigmoid"),
                    univ.Layer(rng.normal(size=(n, 1)), [0.0], "linear")])
net.save(path)
"""
LOAD = r"""
import json, os, resource, sys, time
how, path = sys.argv[1], sys.argv[2]
import numpy as np
import univ
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
if how == "load":
    net = univ.Network.load(path)
else:
    with open(path) as fh:
        data = json.load(fh)
t1 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"load_s": t1 - t0, "growth_mb": (peak - base) / 1024, "file_mb": os.path.getsize(path) / 2**20}))
"""


# certifying the max error (univ.measure, issue #18): every sharp unit visited, every cell that may hold the max zoomed
CERTIFY = r"""
import json, sys, time
import univ
expr, n, method = sys.argv[1], int(sys.argv[2]), sys.argv[3]
options = json.loads(sys.argv[4])
target = univ.parse(expr, domain=(-1, 1))
net = univ.construct(target, n, method=method, **options)
net(0.0)  # build the evaluation plan outside the timing
walls, cpus = [], []
for _ in range(3):
    t0, c0 = time.perf_counter(), time.process_time()
    rep = univ.measure(net, target)
    walls.append(time.perf_counter() - t0)
    cpus.append(time.process_time() - c0)
print(json.dumps({"wall_s": sorted(walls)[1], "cpu_s": sorted(cpus)[1], "points": rep.points,
                  "max_error": rep.max_error, "grid_max_error": rep.grid_max_error, "certified": rep.certified}))
"""
CERTIFY_SIZES = (1_000, 5_000, 10_000, 100_000)
CERTIFY_CASES = (
    ("sin(3x)", "bumps", {"knots": "adaptive", "steepness": 100}),
    ("exp(-x)", "steps", {"knots": "adaptive", "steepness": 10000}),
    ("sin(3x)", "relu", {}),
)


def certify_section() -> None:
    print("# certifying the max error: univ.measure on [-1, 1], median of 3 (wall and this process's CPU time);")
    print("# grid max: the largest error on the 10,001 base points alone, which the certified max must not fall to")
    print(
        f"{'net':<44} {'neurons':>8} {'measure s':>10} {'CPU s':>7} {'points':>10} {'max error':>10} "
        f"{'grid max':>10} {'certified':>9}"
    )
    for expr, method, options in CERTIFY_CASES:
        for n in CERTIFY_SIZES:
            r = run(CERTIFY, expr, n, method, json.dumps(options))
            label = f"{expr} {method} " + " ".join(f"{k} {v}" for k, v in options.items())
            print(
                f"{label:<44} {n:>8,} {r['wall_s']:>10.3f} {r['cpu_s']:>7.3f} {r['points']:>10,} "
                f"{r['max_error']:>10.4e} {r['grid_max_error']:>10.4e} {str(r['certified']):>9}"
            )


def run(script: str, *args) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def case(n: int, method: str) -> dict:
    return run(CASE, n, POINTS, method)


def wall(cmd: list[str]) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    print(
        f"# bench_construct — {time.strftime('%Y-%m-%d')}, {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores"
    )
    print(f"# load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} (the machine is shared)")
    print(f"# construct sin(3x) on [0, 1], then evaluate on {POINTS:,} points; one fresh process per row")
    print("# evaluate s: wall time (plan built on the first call, inside it); CPU s: this process's CPU time, which")
    print("# the other jobs on the machine inflate less")
    print(
        f"{'method':<8} {'neurons':>8} {'construct s':>12} {'evaluate s':>11} {'CPU s':>7} {'traced MB':>10} "
        f"{'peak RSS MB':>12} {'max error':>10} {'path':>6}"
    )
    for method in ("bumps", "relu"):
        for n in SIZES:
            r = case(n, method)
            print(
                f"{method:<8} {n:>8,} {r['construct_s']:>12.4f} {r['evaluate_s']:>11.3f} {r['evaluate_cpu_s']:>7.3f} "
                f"{r['traced_peak_mb']:>10.1f} {r['rss_peak_mb']:>12.1f} {r['max_error']:>10.2e} {r['path']:>6}"
            )

    print()
    print(
        "# the sorted path (net(x)) against the dense one (net._call_dense(x)); agreement: max |fast − dense| "
        "/ Σ|output weights|"
    )
    print(f"{'net':<34} {'points':>9} {'fast s':>8} {'dense s':>8} {'speed-up':>9} {'agreement':>10}")
    versus = [
        ("sin(3x)", 1_000, "bumps", COMPARE_POINTS),
        ("sin(3x)", 10_000, "bumps", COMPARE_POINTS),
        ("sin(3x)", 1_000, "bumps", POINTS),
        ("exp(-30 (x-0.5)^2)", 2_000, "bumps", COMPARE_POINTS, "adaptive"),
        ("sin(3x)", 10_000, "steps", COMPARE_POINTS),
        ("sin(3x)", 10_000, "relu", COMPARE_POINTS),
        ("sin(3x)", 10_000, "heaviside", COMPARE_POINTS),
        ("sin(x y)", 800, "ridge", COMPARE_POINTS),
        ("sin(x y)", 3_200, "ridge", COMPARE_POINTS),
    ]
    for expr, n, method, points, *knots in versus:
        r = run(VERSUS, expr, n, method, points, *knots)
        label = f"{expr} {method}{' ' + knots[0] if knots else ''} {n:,}"
        print(
            f"{label:<34} {r['points']:>9,} {r['fast_s']:>8.3f} {r['dense_s']:>8.3f} "
            f"{r['dense_s'] / r['fast_s']:>8.1f}× {r['agree']:>10.1e}" + ("" if r["fast"] else "  (dense: no plan)")
        )

    print()
    print("# loading a network file (1 → n → 1 sigmoid net, written by Network.save); RSS growth in a fresh process")
    print(
        f"{'parameters':>11} {'file MB':>8} {'Network.load s':>15} {'RSS growth MB':>14} {'× file':>7} "
        f"{'json.load s':>12} {'RSS growth MB':>14} {'× file':>7}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in (333_333, 1_666_666):
            path = str(Path(tmp) / f"net{n}.json")
            subprocess.run([sys.executable, "-c", WRITE, str(n), path], check=True)
            a = run(LOAD, "load", path)
            b = run(LOAD, "json", path)
            print(
                f"{3 * n + 1:>11,} {a['file_mb']:>8.1f} {a['load_s']:>15.2f} {a['growth_mb']:>14.0f} "
                f"{a['growth_mb'] / a['file_mb']:>7.1f} {b['load_s']:>12.2f} {b['growth_mb']:>14.0f} "
                f"{b['growth_mb'] / b['file_mb']:>7.1f}"
            )
    univ_bin = Path(sys.executable).with_name("univ")
    with tempfile.TemporaryDirectory() as tmp:
        numpy_s = wall([sys.executable, "-c", "import numpy"])
        cli_s = wall([str(univ_bin), "approx", "sin(3x)", "--neurons", "20", "--no-plot", "--out", tmp])
        plot_s = wall([str(univ_bin), "approx", "sin(3x)", "--neurons", "20", "--out", tmp])
    print()
    print(f"# start-up: median of {REPEATS} wall times")
    print(f"python -c 'import numpy'                           {numpy_s:.3f} s")
    print(f"univ approx 'sin(3x)' --neurons 20 --no-plot       {cli_s:.3f} s   ratio {cli_s / numpy_s:.2f} (goal ≤ 2)")
    print(f"univ approx 'sin(3x)' --neurons 20 (with figure)   {plot_s:.3f} s")
    print()
    certify_section()
    print(f"# load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    if sys.argv[1:] == ["certify"]:
        print(f"# bench_construct certify — {time.strftime('%Y-%m-%d')}, load average {os.getloadavg()[0]:.2f}")
        certify_section()
    else:
        main()
