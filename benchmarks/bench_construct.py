"""Construction + evaluation time and peak memory on 1,000,000 points; CLI start-up against `import numpy`.

Run:  .venv/bin/python benchmarks/bench_construct.py > benchmarks/bench_construct.txt
Each case runs in a fresh subprocess so its peak resident memory (ru_maxrss) is its own.
Targets (issue #2): 10,000 neurons on 1,000,000 points under 500 MB peak; CLI --no-plot start-up ≤ 2× `import numpy`.
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
SIZES = (20, 1_000, 10_000)
REPEATS = 7

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
y = net(x)
t2 = time.perf_counter()
traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
err = float(np.max(np.abs(y - np.sin(3 * x))))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"construct_s": t1 - t0, "evaluate_s": t2 - t1, "traced_peak_mb": traced / 2**20,
                  "rss_peak_mb": peak / 1024, "rss_before_mb": base / 1024, "max_error": err}))
"""


def case(n: int, method: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CASE, str(n), str(POINTS), method], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


def wall(cmd: list[str]) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    print(f"# bench_construct — {time.strftime('%Y-%m-%d')}, {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} cores")
    print(f"# construct sin(3x) on [0, 1], then evaluate on {POINTS:,} points; one fresh process per row")
    print(f"{'method':<8} {'neurons':>8} {'construct s':>12} {'evaluate s':>11} {'traced MB':>10} "
          f"{'peak RSS MB':>12} {'max error':>10}")
    for method in ("bumps", "relu"):
        for n in SIZES:
            r = case(n, method)
            print(f"{method:<8} {n:>8,} {r['construct_s']:>12.4f} {r['evaluate_s']:>11.3f} "
                  f"{r['traced_peak_mb']:>10.1f} {r['rss_peak_mb']:>12.1f} {r['max_error']:>10.2e}")
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


if __name__ == "__main__":
    main()
