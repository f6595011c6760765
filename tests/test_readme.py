"""The README's numbers, tables and outputs are the code's: scripts/readme.py regenerates them, and here checks them."""

from __future__ import annotations

import functools
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def readme():
    """scripts/readme.py as a module, its block generators cached (each runs univ once per test module)."""
    module = _load("univ_readme_script", ROOT / "scripts" / "readme.py")
    module.BLOCKS = {name: functools.cache(fn) for name, fn in module.BLOCKS.items()}
    return module


def _block(text: str, name: str) -> str:
    start = text.index(f"<!-- generated: {name} -->")
    return text[start : text.index("<!-- end -->", start) + len("<!-- end -->")]


def test_readme_numbers_are_what_the_code_prints():
    """Every generated block of README.md is what the code prints now (``scripts/readme.py --check``).

    Exact numbers must match to the character; the trained nets' numbers (``~``, CPU-dependent) within a factor of 10.
    Run on the AVX-512 machine (numpy's AVX512_SPR loops, OpenBLAS's SkylakeX kernel) where the AVX2-recorded README
    failed, and with that machine made to take the AVX2 path and older ones:
    ``NPY_DISABLE_CPU_FEATURES="AVX512F AVX512CD AVX512VPOPCNTDQ AVX512VL AVX512BW AVX512DQ AVX512VNNI AVX512IFMA
    AVX512VBMI AVX512VBMI2 AVX512BITALG AVX512FP16 AVX512BF16 AVX512_SKX X86_V4 AVX512_CLX AVX512_CNL AVX512_ICL
    AVX512_SPR" OPENBLAS_CORETYPE=Haswell`` (numpy's X86_V3 loops, OpenBLAS's Haswell kernel: the old README's
    numbers, to the digit), and with X86_V3 AVX2 FMA3 AVX F16C also disabled and ``OPENBLAS_CORETYPE=Nehalem`` or
    ``Sandybridge`` (SSE4.2 baseline loops). Only the trained rows differed between these paths, and the check passed
    on each. Over 19 pairings of loops (AVX512_SPR, AVX512_ICL, X86_V4, X86_V3, baseline) and kernels (SkylakeX,
    Haswell, Sandybridge, Nehalem, Katmai) the trained numbers spread up to 12× (fit 1x12's max error 2.4e-05 to
    2.2e-04, its RMSE 4.5e-06 to 5.3e-05) and lay within 8.3× of those recorded on AVX-512 (within 3.5× on matched
    loops and kernels): hence 10.
    """
    r = subprocess.run(
        [sys.executable, "scripts/readme.py", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert r.returncode == 0, "README.md is stale; run scripts/readme.py\n" + (r.stdout + r.stderr)[-4000:]


def test_the_check_catches_a_changed_exact_number(tmp_path):
    """A copy of the README with one exact number changed fails ``--check``, and the diff names the line."""
    text = (ROOT / "README.md").read_text()
    depth = _block(text, "depth")
    assert "0.555" in depth, "the depth block no longer shows the shallow net's max error 0.555"
    stale = tmp_path / "README.md"
    stale.write_text(depth.replace("0.555", "0.556") + "\n")
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme.py"), "--check", "--readme", str(stale)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 1, r.stdout + r.stderr
    assert "-  shallow: 1 layer × 8 relu" in r.stdout and "0.556" in r.stdout
    assert stale.read_text() == depth.replace("0.555", "0.556") + "\n", "--check must not write"


def _trained_numbers(readme, block: str) -> list[str]:
    return readme.CPU_NUMBER.findall(block)


def test_trained_numbers_are_checked_within_the_stated_factor(readme):
    """A trained net's number recorded within a factor of 10 of today's passes; 12× off, or a NaN, does not."""
    text = _block((ROOT / "README.md").read_text(), "compare")
    numbers = _trained_numbers(readme, text)
    assert len(numbers) == 6, f"expected max error and RMSE of three trained nets, got {numbers}"
    assert readme.render(text) == text
    fresh = readme.render(text.replace(numbers[0], "~9e+09", 1))
    today = float(_trained_numbers(readme, fresh)[0][1:])  # what this machine trains (the block is rewritten)
    for factor, ok in ((1.5, True), (0.15, True), (8.0, True), (12.0, False), (0.08, False)):
        shown = f"~{today * factor:.2g}"
        mutated = fresh.replace(_trained_numbers(readme, fresh)[0], shown, 1)
        assert (readme.render(mutated) == mutated) is ok, (factor, shown)
    for bad in ("~nan", "~inf", "~-" + numbers[0][1:], numbers[0][1:]):  # hostile: not a number, wrong sign, no ~
        mutated = fresh.replace(_trained_numbers(readme, fresh)[0], bad, 1)
        assert readme.render(mutated) != mutated, bad


def test_an_exact_row_beside_trained_ones_is_still_exact(readme):
    """Within a block that has CPU-dependent numbers, the built nets' numbers and the words still match exactly."""
    text = readme.render(_block((ROOT / "README.md").read_text(), "compare"))
    for old, new in (("0.247", "0.248"), ("relu  ", "ReLU  "), ("lbfgs", "adam")):
        assert old in text, old
        mutated = text.replace(old, new, 1)
        assert readme.render(mutated) != mutated, (old, new)
    other_cpu = readme.CPU_PATH.sub("numpy's X86_V3 loops and OpenBLAS's Haswell kernel", text)
    assert readme.render(other_cpu) == other_cpu, "the CPU a block was recorded on is information, not a check"


@pytest.mark.parametrize(
    ("recorded", "fresh", "ok"),
    [
        ("a ~1e-05 b", "a ~9.9e-05 b", True),
        ("a ~1e-05 b", "a ~0.000101 b", False),
        ("a ~1e-05 b", "a ~1.01e-06 b", True),
        ("a ~1e-05 b", "a ~9.9e-07 b", False),
        ("a ~1e-05 b", "a   ~1.2e-05   b", True),  # the table's padding follows the numbers' widths
        ("a ~1e-05 b", "a ~1e-05 c", False),
        ("a ~1e-05 b", "a ~1e-05 ~1e-05 b", False),
        ("a ~0 b", "a ~0 b", True),
        ("a ~0 b", "a ~1e-300 b", False),
        ("a ~1e-05 b", "a ~-1e-05 b", False),
        ("a 1e-05 b", "a 1.1e-05 b", False),  # without ~ a number is exact
    ],
)
def test_matches(readme, recorded, fresh, ok):
    assert readme.matches(recorded, fresh) is ok


def test_cpu_path_names_the_loops_and_the_kernel(readme):
    from threadpoolctl import threadpool_info

    path = readme.cpu_path()
    assert readme.CPU_PATH.fullmatch(path), path
    if any(i.get("internal_api") == "openblas" for i in threadpool_info()):  # numpy's wheels bundle OpenBLAS
        assert "unknown" not in path


def test_readme_json_note_is_null_when_nothing(cli, tmp_path):
    """The README says report.json's ``note`` is null when there is nothing to say, and a sentence when there is."""
    d = json.loads(cli("approx", "sin(3x)", "--json", "--no-plot", "--out", tmp_path / "a").stdout)
    assert d["note"] is None
    d = json.loads(cli("approx", "heaviside(x-0.5)", "--json", "--no-plot", "--out", tmp_path / "b").stdout)
    assert isinstance(d["note"], str) and "jump" in d["note"]


def test_readme_documents_every_report_key(readme):
    """Keys a data target adds (sample_*, holdout_*) are documented, as are the render cache and shell completion."""
    text = (ROOT / "README.md").read_text()
    for key in ("sample_points", "sample_max_error", "sample_rmse", "sample_worst_at"):
        for prefix in ("sample_", "holdout_"):
            name = prefix + key.removeprefix("sample_")
            assert name in readme.KEYS and f"`{name}`" in text, name
    assert "UNIV_CACHE_DIR" in text and "_UNIV_COMPLETE" in text


def test_best_approximation_is_half_the_best_interpolant_for_convex_targets():
    """The accuracy table's two optima, against independent values (N = 64, computed apart from univ).

    For convex or concave f the best continuous piecewise-linear approximation with N pieces is the best interpolant
    moved by half its error: sin(3x) 8.526e-5, exp(−x) 9.449e-6, sqrt(x) 6.010e-5 on [0, 1].
    """
    from univ import measure, parse

    bench = _load("univ_bench_accuracy", ROOT / "benchmarks" / "bench_accuracy.py")
    for text, expected in (("sin(3x)", 8.526e-5), ("exp(-x)", 9.449e-6), ("sqrt(x)", 6.010e-5)):
        t = parse(text, domain=(0, 1))
        knots, lo, hi = bench.equidistribute(t.evaluate, 0.0, 1.0, 64)
        interpolant = measure(bench.relu_net(t.evaluate, knots), t).max_error
        best_knots, values = bench.best_approximation(t.evaluate, 0.0, 1.0, 64, knots)
        best = measure(bench.relu_net(t.evaluate, best_knots, values), t).max_error
        assert best_knots.size == 65 and values.size == 65
        assert 0.5 * lo <= expected * (1 + 5e-4), (text, lo)  # the lower bound holds
        assert best == pytest.approx(expected, rel=3e-3), text  # and is met
        assert interpolant == pytest.approx(2 * expected, rel=1e-3), text


def test_best_approximation_where_convexity_changes():
    """Runge's function changes from convex to concave: the knots must move to get near half the interpolant."""
    from univ import measure, parse

    bench = _load("univ_bench_accuracy", ROOT / "benchmarks" / "bench_accuracy.py")
    t = parse("1/(1+25x^2)", domain=(-1, 1))
    knots, lo, _ = bench.equidistribute(t.evaluate, -1.0, 1.0, 64)
    start = measure(bench.relu_net(t.evaluate, knots, bench._minimax_lp(t.evaluate, knots, 33)[1]), t).max_error
    best_knots, values = bench.best_approximation(t.evaluate, -1.0, 1.0, 64, knots)
    best = measure(bench.relu_net(t.evaluate, best_knots, values), t).max_error
    assert np.all(np.diff(best_knots) > 0)
    assert 0.5 * lo <= best <= 1.01 * 0.5 * lo  # within 1 % of the lower bound
    assert best < 0.85 * start  # the interpolant's knots alone were ~28 % worse


def test_readme_starts_with_the_two_setup_commands():
    text = (ROOT / "README.md").read_text()
    block = text.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert [line.split()[0] for line in block[:2]] == ["scripts/demo.sh", "scripts/test.sh"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test.sh" in ci


def test_readme_images_exist():
    import re

    text = (ROOT / "README.md").read_text()
    for path in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        assert (ROOT / path).is_file(), path
