"""Time to parse, and to check a target (fill removable singularities, refuse poles), for easy and hostile inputs.

Run:  .venv/bin/python benchmarks/bench_parse.py > benchmarks/bench_parse.txt
Each case is timed as the median of REPEATS fresh runs (a fresh Target each time, so no filled point is cached).
Bound (issue #14): every parse well under a second; every check of an expression within the length limit answers
in about a second at most, on a shared 2-core machine.
"""

from __future__ import annotations

import os
import platform
import statistics
import time

import numpy as np

import univ
from univ import UnivError, parse
from univ.target import as_target

REPEATS = 5

PARSE = [
    "sin(3x)",
    "3x^2 - 2x + 1",
    "+".join(["sin(x)/x"] * 55),  # 494 characters
    "(" * 39 + "x" + ")" * 39,
    "x" + "^x" * 39,
    "9^9^9^9",
    "٣x",
]

CHECK = [
    ("sin(3x)", (0, 1), None),
    ("sin(x)/x", (0, 1), None),
    ("(1-cos(x))/x^2", (0, 1), None),
    ("(1-cos(x))/x^2", (-1e6, 1e6), None),
    ("(exp(x)-1-x-x^2/2-x^3/6)/x^4", (-1, 1), None),
    ("1/x", (-1, 1), None),
    ("tan(x)", (0, 2), None),
    ("sqrt(-1-x)", (-1, 1), None),
    ("+".join(["sin(x)/x"] * 55), (-1, 1), None),
    ("(" + "+".join(["(exp(x)-1-x)"] * 35) + ")/x^2", (-1, 1), None),
    ("sin(x^2+y^2)/(x^2+y^2)", (-1, 1), (-1, 1)),
    ("sin(x)/x + sin(y)/y", (-1, 1), (-1, 1)),
    ("sqrt(x-y)", (-1, 1), (-1, 1)),
    ("x^9^9^9^9/x", (-1, 1), None),
]


def median_time(fn) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def outcome(fn) -> str:
    try:
        fn()
        return "ok"
    except UnivError as exc:
        return type(exc).__name__


def main() -> None:
    print(
        f"# univ {univ.__version__}, numpy {np.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; median of {REPEATS}"
    )
    print("\n## parse")
    print(f"{'seconds':>9}  {'result':<16} text")
    for text in PARSE:

        def run_parse(text=text):
            return outcome(lambda: parse(text))

        print(f"{median_time(run_parse):9.5f}  {run_parse():<16} {text[:60]}{'...' if len(text) > 60 else ''}")
    print("\n## check (evaluate on the check grid, fill removable singularities, look for poles)")
    print(f"{'seconds':>9}  {'result':<16} text on domain")
    for text, domain, ydomain in CHECK:

        def run(text=text, domain=domain, ydomain=ydomain):
            return outcome(lambda: parse(text, domain=domain, ydomain=ydomain).check())

        seconds = median_time(run)
        shown = f"{text[:50]}{'...' if len(text) > 50 else ''} on {domain}{' × ' + str(ydomain) if ydomain else ''}"
        print(f"{seconds:9.3f}  {run():<16} {shown}")
    print("\n## callables")
    import math

    callables = [("np.sin", np.sin), ("math.sin", math.sin), ("lambda x: math.sin(x)/x", lambda x: math.sin(x) / x)]
    for name, func in callables:

        def run_callable(func=func):
            return outcome(lambda: as_target(func, domain=(-1, 1)).check())

        print(f"{median_time(run_callable):9.3f}  {run_callable():<16} {name} on (-1, 1)")


if __name__ == "__main__":
    main()
