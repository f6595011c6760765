"""Start-up: ``univ approx "sin(3x)" -n 20 --no-plot`` against ``python -c "import numpy"``, both in fresh processes.

Run:  .venv/bin/python benchmarks/bench_startup.py >> benchmarks/bench_startup.txt   (each run appends its dated record)
Each of RUNS rounds runs the two commands back to back (paired, in alternating order, so load on a shared machine
falls on both alike); the ratio is the median of the per-round ratios, and each column's median is shown too.
Bound (issue #24): the ratio at most 2. What makes it hold: ``import univ`` loads numpy and univ's own modules only;
sympy, scipy, mpmath and matplotlib are imported inside the functions that need them (the architecture test lists
which imports may be lazy), the proof's bound differentiates the parse tree itself (univ/treediff.py, no sympy;
tests/test_startup_imports.py checks approx's path loads none of them), and the command runs measure once on a
20-neuron net.
Also shown: where the time of ``import univ.cli`` goes (``python -X importtime``, the largest self times).
The bound is for bytecode cached as in an installed package (pip compiles at install; the cache goes to a temporary
PYTHONPYCACHEPREFIX, never into the checkout). This machine sets PYTHONDONTWRITEBYTECODE, which makes every run
compile univ's ~8,000 lines from source: that case is shown too, without a bound.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

RUNS = 9
BOUND = 2.0
ROOT = Path(__file__).resolve().parents[1]
UNIV = str(Path(sys.executable).with_name("univ"))


def _environment(cache: str) -> dict[str, str]:
    """Bytecode cached as an installed package has it (pip compiles at install), kept out of the checkout."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": cache}


def _seconds(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    return time.perf_counter() - t0


def _importtime(env: dict[str, str], top: int = 12) -> list[tuple[int, int, str]]:
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import univ.cli"], capture_output=True, text=True, cwd=ROOT, env=env
    )
    rows = []
    for line in r.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            rows.append((int(parts[0]), int(parts[1]), parts[2].strip()))
    return sorted(rows, reverse=True)[:top]


def _paired(env: dict[str, str], out: str) -> list[tuple[float, float]]:
    """(numpy, univ) seconds per round, the two run back to back in alternating order."""
    base = [sys.executable, "-c", "import numpy"]
    cmd = [UNIV, "approx", "sin(3x)", "-n", "20", "--no-plot", "--out", out]
    _seconds(base, env), _seconds(cmd, env)  # warm the file cache (and write the bytecode, when it is written)
    pairs = []
    for k in range(RUNS):
        first, second = (base, cmd) if k % 2 == 0 else (cmd, base)
        a, b = _seconds(first, env), _seconds(second, env)
        pairs.append((a, b) if k % 2 == 0 else (b, a))
    return pairs


def _show(pairs: list[tuple[float, float]], label: str, bound: float | None) -> None:
    ratio = statistics.median(u / n for n, u in pairs)
    verdict = "" if bound is None else f"; bound {bound:g}: {'ok' if ratio <= bound else 'OVER'}"
    print(f"## {label}")
    print(f"  {statistics.median(p[0] for p in pairs):.3f} s  python -c 'import numpy'")
    print(f"  {statistics.median(p[1] for p in pairs):.3f} s  univ approx 'sin(3x)' -n 20 --no-plot")
    print(f"  ratio {ratio:.2f} (median of the per-run ratios{verdict})")
    print()


def main() -> None:
    import univ

    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as cache:
        cached = _environment(cache)
        compiled = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        with_cache = _paired(cached, out)
        without = _paired(compiled, out)
        slowest = _importtime(cached)
    print(
        f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC: univ {univ.__version__}, numpy {np.__version__}, "
        f"Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
        f"median of {RUNS} paired runs, fresh processes"
    )
    print()
    _show(with_cache, "start-up with bytecode cached (as installed)", BOUND)
    _show(without, "start-up compiling univ from source every run (PYTHONDONTWRITEBYTECODE=1, as here)", None)
    print("## import univ.cli: largest self times (microseconds, one run of python -X importtime, bytecode cached)")
    for own, total, name in slowest:
        print(f"  {own:>8} {total:>9}  {name}")


if __name__ == "__main__":
    main()
