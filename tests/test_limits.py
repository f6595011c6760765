"""Every command at the limits its options document: refused with one line and exit 2 just past a limit, or run to
success at it with no NaN in the JSON, each in a forked child under an address-space cap and a peak-memory bound.

The subset: every size option of approx, fit, compare, sweep, depth and page at its limit or just past it; the runs
that take more than a few CPU-seconds at their limit (2D towers/relu at 3,000 neurons, ridge at 5,000, a trained
layer of 100,000) are marked ``slow`` and run only with ``UNIV_SLOW_TESTS=1``; ``render`` is covered by its
refusals only (a video takes minutes), as is a Manim-free ``render --list``.
"""

from __future__ import annotations

import json
import math
import os
import resource
import select
import signal
import time

import numpy as np
import pytest

from univ import limits

ADDRESS_SPACE_GB = 2.5  # on top of what the test process maps at fork: a runaway allocation fails fast
PEAK_RSS_MB = 1024  # growth of the child's resident memory over the whole run
TIMEOUT_S = 600  # wall seconds, generous: the machine is shared


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def run_capped(args: list[str]) -> dict:
    """Run ``univ *args`` through click's CliRunner in a forked child with RLIMIT_AS capped; its result as a dict."""
    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * resource.getpagesize()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read_fd)
            from click.testing import CliRunner

            from univ.cli import main

            resource.setrlimit(resource.RLIMIT_AS, (mapped + int(ADDRESS_SPACE_GB * 2**30), resource.RLIM_INFINITY))
            start_rss = _rss_mb()
            started = time.process_time()
            r = CliRunner().invoke(main, args)
            out = {
                "exit": r.exit_code,
                "stdout": r.stdout,
                "stderr": r.stderr,
                "exception": None if r.exit_code in (0, 2) else repr(r.exception),
                "cpu_s": time.process_time() - started,
                "rss_growth_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - start_rss,
            }
            with os.fdopen(write_fd, "w") as f:
                json.dump(out, f)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    chunks, deadline = [], time.monotonic() + TIMEOUT_S
    with os.fdopen(read_fd) as f:
        while True:
            ready, _, _ = select.select([f], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                pytest.fail(f"univ {' '.join(args)} ran past {TIMEOUT_S} s")
            chunk = f.read()
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0 and chunks, f"the child running univ {' '.join(args)} died"
    return json.loads("".join(chunks))


def _no_nan(text: str):
    def refuse(constant):
        raise AssertionError(f"{constant} in the JSON")

    return json.loads(text, parse_constant=refuse)


def _finite_numbers(data) -> bool:
    if isinstance(data, float):
        return math.isfinite(data)
    if isinstance(data, dict):
        return all(_finite_numbers(v) for v in data.values())
    if isinstance(data, list):
        return all(_finite_numbers(v) for v in data)
    return True


def expect_refused(r: dict, match: str) -> None:
    assert r["exit"] == 2, r
    lines = [line for line in r["stderr"].splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("univ: "), r["stderr"]
    assert match.lower() in lines[0].lower(), lines[0]
    assert r["stdout"] == ""


def expect_success(r: dict) -> dict:
    assert r["exit"] == 0, r
    data = _no_nan(r["stdout"])
    assert _finite_numbers(data)
    assert r["rss_growth_mb"] < PEAK_RSS_MB, r["rss_growth_mb"]
    return data


# -- just past a limit: refused before any work, one line -------------------------------------------------
PAST = [
    (["approx", "sin(3x)", "-n", str(limits.MAX_NEURONS + 1)], "neurons"),
    (["approx", "x y", "-n", str(limits.MAX_NEURONS_2D + 1), "-m", "towers"], f"{limits.MAX_NEURONS_2D:,}"),
    (["approx", "x y", "-n", str(limits.MAX_NEURONS_2D + 1), "-m", "relu"], f"{limits.MAX_NEURONS_2D:,}"),
    (["approx", "x y", "-n", str(limits.MAX_RIDGE_NEURONS + 1), "-m", "ridge"], f"{limits.MAX_RIDGE_NEURONS:,}"),
    (["approx", "sin(3x)", "--steepness", "1.1e6"], "steepness"),
    (["approx", "sin(3x)", "--steepness", "5e-324"], "steepness"),
    (["fit", "sin(3x)", "--layers", "10000000000", "--width", "1"], "layers"),  # allocated 7.7 GB before refusing
    (["fit", "sin(3x)", "--layers", str(limits.MAX_LAYERS + 1), "--width", "1"], "layers"),
    (["fit", "sin(3x)", "--layers", "1", "--width", str(limits.MAX_WIDTH + 1)], "width"),
    (["fit", "sin(3x)", "--layers", "2", "--width", str(limits.MAX_WIDTH)], "parameters"),
    (["fit", "sin(3x)", "--epochs", str(limits.MAX_EPOCHS + 1)], "epochs"),
    (["fit", "sin(3x)", "--points", str(limits.MAX_POINTS + 1)], "points"),
    (["compare", "sin(3x)", "-n", "8000", "--depths", "1,2"], "parameters"),  # trained 8 minutes, then refused
    (["compare", "sin(3x)", "-n", str(limits.MAX_NEURONS + 1)], "neurons"),
    (["compare", "sin(3x)", "-n", "40", "--depths", str(limits.MAX_COMPARE_DEPTH + 1)], "depths"),
    (["sweep", "sin(3x)", "-n", "3334", "--methods", "spline"], "10,001"),  # a ValueError traceback
    (["sweep", "sin(3x)", "-n", "100000", "--methods", "poly"], "10,001"),  # a 22 GiB allocation
    (["sweep", "sin(3x)", "-n", str(limits.MAX_NEURONS + 1), "--methods", "relu"], "neurons"),
    (["depth", "-k", "13"], "13"),
    (["page", "sin(3x)", "-n", str(limits.MAX_PAGE_NEURONS + 1), "--out", "{tmp}/p.html"], "neurons"),
    (["render", "bumps", "sin(3x)", "-n", str(limits.MAX_SCENE_NEURONS + 2)], "neurons"),
    (["render", "bumps", "sin(3x)", "--resolution", str(limits.MAX_SIDE + 2), "4320"], "resolution"),
    (["render", "bumps", "sin(3x)", "--fps", str(limits.MAX_FRAME_RATE + 1)], "120"),
]


@pytest.mark.parametrize("args, match", PAST, ids=[" ".join(a) for a, _ in PAST])
def test_past_a_limit_is_one_line_and_exit_2(tmp_path, args, match):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--out" not in args and args[0] != "render":
        args += ["--out", str(tmp_path / "run")]
    r = run_capped(args)
    expect_refused(r, match)
    assert not (tmp_path / "run").exists()


# -- at a limit: runs, finite JSON, bounded memory --------------------------------------------------------
AT = [
    # 3.2 GB peak with the figure (every one of 100,000 contributions on 2,001 points), 72 MB without it
    ["approx", "sin(3x)", "-n", str(limits.MAX_NEURONS), "-m", "relu", "--json"],
    ["fit", "sin(3x)", "--layers", str(limits.MAX_LAYERS), "--width", "1", "--epochs", "1", "--json", "--no-plot"],
    ["compare", "sin(3x)", "-n", "3334", "--depths", "1", "--epochs", "1", "--methods", "relu", "--json", "--no-plot"],
    ["sweep", "sin(3x)", "-n", "4,3333", "--methods", "poly,spline", "--json", "--no-plot"],
    ["depth", "-k", "12", "--json", "--no-plot"],
    ["page", "sin(3x)", "-n", str(limits.MAX_PAGE_NEURONS), "--json", "--out", "{tmp}/p.html"],
]


@pytest.mark.parametrize("args", AT, ids=[" ".join(a) for a in AT])
def test_at_a_limit_runs_with_finite_json_and_bounded_memory(tmp_path, args):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "run")]
    data = expect_success(run_capped(args))
    if args[0] == "compare":  # the baselines are capped, and the report says so
        rows = {row["model"]: row for row in data["rows"]}
        assert rows["poly"]["parameters"] == rows["spline"]["parameters"] == limits.MAX_BASELINE_COEFFICIENTS
        assert any("capped" in note for note in data["notes"])


SLOW_AT = [
    ["approx", "sin(3x) cos(2y)", "-n", str(limits.MAX_NEURONS_2D), "-m", "towers", "--json"],
    ["approx", "sin(3x) cos(2y)", "-n", str(limits.MAX_NEURONS_2D), "-m", "relu", "--json"],
    ["approx", "sin(3x) cos(2y)", "-n", str(limits.MAX_RIDGE_NEURONS), "-m", "ridge", "--json", "--no-plot"],
    ["approx", "sin(3x)", "-n", str(limits.MAX_NEURONS), "--json"],
    [
        "fit",
        "sin(3x)",
        "--layers",
        "1",
        "--width",
        str(limits.MAX_WIDTH),
        "--points",
        "200",
        "--epochs",
        "1",
        "--json",
        "--no-plot",
    ],
]


@pytest.mark.parametrize("args", SLOW_AT, ids=[" ".join(a) for a in SLOW_AT])
@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("UNIV_SLOW_TESTS"), reason="slow: UNIV_SLOW_TESTS=1 runs it")
def test_at_a_costly_limit_runs_with_finite_json_and_bounded_memory(tmp_path, args):
    expect_success(run_capped([*args, "--out", str(tmp_path / "run")]))


def test_the_harness_sees_a_runaway_allocation(tmp_path, monkeypatch):
    """The address-space cap is real: a child asking for more than it allows gets MemoryError (exit 1, one line:
    the machine's failure, not bad input)."""
    import univ.cli.approx as approx

    def greedy(*args, **kwargs):
        np.ones(int(ADDRESS_SPACE_GB * 2**30 / 8) + 2**27)  # past the cap
        raise AssertionError("allocated past the cap")

    monkeypatch.setattr(approx, "construct", greedy)  # where the command looks it up
    r = run_capped(["approx", "sin(3x)", "--no-plot", "--out", str(tmp_path / "run")])
    assert r["exit"] == 1 and "out of memory" in r["stderr"], r


# -- the figure at the limit: a bounded number of contribution lines, computed for those neurons only -------------
@pytest.mark.parametrize("method, n", [("bumps", 10), ("bumps", 400), ("steps", 300)])  # relu: kinks (test_figures)
def test_contribution_lines_are_the_chosen_groups_exact_contributions(method, n):
    from matplotlib.figure import Figure

    import univ
    from univ.plot import one_d

    target = univ.parse("sin(3x)")
    net = univ.construct(target, n, method=method)
    ax = Figure().add_subplot()
    lines = one_d.plot_contributions(ax, net, target, points=301)
    groups = one_d.groups(net)
    assert len(lines) == min(len(groups), 64)
    full = net.contributions(np.linspace(0, 1, 301))  # every neuron: fine for a small net
    chosen = groups if len(groups) <= 64 else [groups[i] for i in np.linspace(0, len(groups) - 1, 64).astype(int)]
    for line, g in zip(lines, chosen):
        assert np.allclose(line.get_ydata(), full[:, g].sum(axis=1), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "method, n, side",
    [("towers", 20, 301), ("towers", limits.MAX_NEURONS_2D, 179), ("relu", limits.MAX_NEURONS_2D, 101)],
)
def test_a_large_2d_net_gets_a_coarser_error_map_that_says_so(method, n, side):
    """The error map evaluates the net again: at the 2D limit it doubled the cost of approx, now a bounded share."""
    from matplotlib.figure import Figure

    import univ
    from univ.plot import two_d

    target = univ.parse("x y")
    net = univ.construct(target, n, method=method)
    assert two_d.error_map_points(net) == side
    if side < 301:  # draw a small net's map only: the large ones are drawn by the slow CLI runs above
        return
    drawn = two_d.plot_error_map(Figure().add_subplot(), net, target)
    assert drawn["image"].get_array().shape == (side, side) and "points" not in drawn["image"].axes.get_title()
    coarse = two_d.plot_error_map(Figure().add_subplot(), net, target, points=151)
    assert "on 151×151 points" in coarse["image"].axes.get_title()
