"""Cost of the 2D constructions at their budgets: construct + measure (301 × 301 points), wall and CPU seconds.

Run: .venv/bin/python benchmarks/bench_limits_2d.py [method:N ...]   (default: each 2D method at 1,000 to its limit)
``towers!:N`` and ``relu!:N`` build the same networks past MAX_NEURONS_2D (tower_grid / hat_grid directly).
Each case runs in a fresh subprocess (peak RSS is its own). CPU seconds count every BLAS thread; on a busy machine
the CPU column is the steadier one. limits.MAX_NEURONS_2D / MAX_RELU_NEURONS_2D are set from these numbers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

CASE = r"""
import json, resource, sys, time
import univ
method, n = sys.argv[1], int(sys.argv[2])
target = univ.parse("sin(3x) cos(2y)")
w0, c0 = time.perf_counter(), time.process_time()
if method.endswith("!"):  # past the limit, for the record: the same network, built without construct's check
    from univ.constructions import two_d
    cells = two_d.tower_cells(n) if method == "towers!" else two_d.relu_cells(n)
    build = two_d.tower_grid if method == "towers!" else two_d.hat_grid
    net = build(target.evaluate, target.domain, cells)
else:
    net = univ.construct(target, n, method=method)
w1, c1 = time.perf_counter(), time.process_time()
report = univ.measure(net, target)
w2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({"method": method, "neurons": n, "hidden": net.hidden_sizes, "parameters": net.n_params,
                  "construct_wall": w1 - w0, "measure_wall": w2 - w1, "cpu": c2 - c0, "max_error": report.max_error,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

DEFAULT = [f"{m}:{n}" for m in ("towers", "relu", "ridge") for n in (1000, 2000, 3000)] + ["ridge:4000"]


def main(cases: list[str]) -> None:
    print(
        f"{'method':8} {'N':>6} {'hidden':>12} {'params':>10} {'construct s':>11} {'measure s':>10} {'cpu s':>7} "
        f"{'max error':>10} {'peak MB':>8}   (load {os.getloadavg()[0]:.1f})"
    )
    for case in cases:
        method, n = case.split(":")
        out = subprocess.run([sys.executable, "-c", CASE, method, n], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(
            f"{r['method']:8} {r['neurons']:>6} {'+'.join(map(str, r['hidden'])):>12} {r['parameters']:>10,} "
            f"{r['construct_wall']:>11.2f} {r['measure_wall']:>10.2f} {r['cpu']:>7.2f} {r['max_error']:>10.3g} "
            f"{r['peak_mb']:>8.0f}   (load {os.getloadavg()[0]:.1f})",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:] or DEFAULT)
