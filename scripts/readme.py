#!/usr/bin/env python
"""Regenerate every number, table and output the README quotes, from the code itself.

The README marks each generated block with ``<!-- generated: NAME -->`` ... ``<!-- end -->``; this script recomputes
each block by running univ (the CLI in-process, or the library) and writes the README back. ``--check`` writes
nothing and exits 1 when any block differs (the test suite runs it, so the README cannot drift from the code).

Two kinds of numbers. Exact ones (constructions, measured errors, depth, limits, counts) come out the same on every
x86-64 machine to the digits shown, and must match character for character. Numbers that depend on the CPU's
floating-point path — trained nets: 1,000 L-BFGS iterations amplify last-bit differences between numpy's SIMD loops
and OpenBLAS's kernels several-fold — are written ``~`` and two significant digits, beside the CPU path they were
recorded on (``cpu_path()``); such a number matches when it is within a factor of ``FACTOR`` of the fresh one, and the
rest of its block must still match exactly (spaces aside). A block that matches keeps its recorded text, so
regenerating on another machine does not churn it.

    .venv/bin/python scripts/readme.py                       # rewrite README.md
    .venv/bin/python scripts/readme.py --check               # exit 1 if README.md is stale
    .venv/bin/python scripts/readme.py --check --readme F    # check another copy (the tests use this)
"""

from __future__ import annotations

import ast
import difflib
import json
import math
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z0-9-]+) -->\n)(?P<body>.*?)(<!-- end -->)", re.S)
# A CPU-dependent number matches when recorded / fresh is within [1/FACTOR, FACTOR]. Over 19 pairings of numpy's
# loops and OpenBLAS's kernels tried on one machine the trained rows of `compare` spread up to 12x (8.3x from the
# recorded values): 4 would hold for matched loops and kernels (AVX-512, AVX2, SSE4.2) but not for every pairing.
FACTOR = 10.0
CPU_NUMBER = re.compile(r"~[-+]?\.?\d[\w.+-]*")  # ~5.2e-05, ~0.00011 (not ~nan: that never matches)
CPU_PATH = re.compile(r"numpy's \S+ loops and OpenBLAS's \S+ kernel")

# What each key of each command's report.json means; the check fails when a command prints a key not listed here.
KEYS = {
    "command": "the command that wrote the report",
    "expression": "the expression as typed (or the data file's name)",
    "dimension": "1 for f(x), 2 for f(x, y)",
    "domain": "[[a, b]] or [[a, b], [c, d]]",
    "method": "the construction",
    "neurons": "hidden neurons in all (sweep: the counts tried)",
    "hidden_layers": "widths of the hidden layers, input side first (a list everywhere)",
    "parameters": "weights and biases",
    "max_error": "max |network − f| on the domain, certified (sweep: per method, one per neuron count)",
    "rmse": "root-mean-square error on the domain (sweep: per method, one per neuron count)",
    "worst_at": "where the max error is",
    "points": "points the error was measured on",
    "steepness": "sigmoid weight × cell width (null when not used)",
    "weight": "a fixed sigmoid weight (null unless --weight)",
    "knots": "uniform, adaptive, ...",
    "output_activation": "linear, or sigmoid (Nielsen's σ⁻¹ trick)",
    "cells": "2D: cells per axis",
    "split": "2D: how the neurons are shared out over the layers",
    "layout": "2D towers: nested",
    "tower_steepness": "2D towers: layer-2 weight",
    "fit_grid": "2D ridge: the least-squares fitting grid",
    "formula": "with --formula: the network as LaTeX",
    "files": "every file the run wrote",
    "activation": "hidden activation of the trained nets",
    "optimizer": "adam, sgd, lbfgs or lm",
    "lr": "learning rate (null: the optimizer's default or none)",
    "epochs": "training budget (iterations for lbfgs and lm)",
    "epochs_run": "epochs actually run",
    "goal": "the RMSE goal (null: none)",
    "batch_size": "points per step (null: all)",
    "dropout": "drop probability of hidden units",
    "init": "initial weights: xavier or he",
    "momentum": "sgd's momentum",
    "seed": "random seed",
    "normalize": "trained on scaled x and f",
    "final_loss": "training MSE at the end",
    "seconds": "wall time of the work, not of imports (sweep: per method and count)",
    "stopped": "why training stopped: epochs, goal, stalled, ...",
    "snapshots": "epochs and losses of the recorded snapshots",
    "depths": "depths of the trained nets",
    "methods": "the constructions (and baselines) included",
    "rows": "one row per model: model, hidden_layers, hidden_neurons, parameters, max_error, rmse, seconds "
    "(depth: also pieces and floor, the proven least max error of a one-hidden-layer net of that width)",
    "slopes": "log-log slope of max error against neurons, per method",
    "rmse_slopes": "the same for the RMSE",
    "layers": "depth: hidden layers of the deep net",
    "pieces": "depth: linear pieces of the sawtooth",
    "heights": "output weights: nielsen (f at each cell's middle) or lstsq",
    "steepness_choice": "the steepness asked for: a number, or auto",
    "jumps": "where f jumps, and by how much ([x, size] pairs); empty for a continuous f",
    "note": "what the numbers cannot show (e.g. a jump's floor on the max error); null when nothing",
    "notes": "compare and sweep: what was capped or warned about, one line each",
    "search": "with --max-error: the neuron counts tried and each one's certified max error, and bound_neurons, "
    "the count the construction's bound alone asks for",
    "bound": "the a-priori bound the construction's argument gives for this f and N (null: a constant cannot be "
    "bounded; ridge: Barron's estimate, for its slope)",
    "bound_terms": "the bound's parts: staircase, window, interpolant, corner, leak, heights_offset, barron",
    "bound_method": "how the bound and each constant were obtained, or why there is none",
    "bound_estimate": "true when `bound` is an estimate shown for its slope (ridge's Barron bound), not a certificate",
    "bounds": "sweep: each construction's bound at each neuron count (null where none)",
    "bound_slopes": "sweep: log-log slope of each construction's bound against neurons",
    "bound_neurons": "sweep --max-error: the count each construction's bound alone asks for",
    "classes": "classify: the class names, in output order",
    "built": "classify: the hand-built classifier's report",
    "trained": "classify --train: the trained classifier's report (also optimizer, epochs, seconds)",
    "target": "classify: the classes' text",
    "kind": "classify: region, regions or data",
    "max_weight": "classify: the largest |weight| in the network",
    "blur": "classify: the width over which a step rises from 5 % to 95 % (2 ln 19 / its weight)",
    "misclassified": "classify, regions: the misclassified share of the area (estimate inside the certified band)",
    "misclassified_lower": "classify, regions: the share is certainly at least this",
    "misclassified_upper": "classify, regions: the share is certainly at most this",
    "certify_boxes": "classify, regions: boxes examined to certify the misclassified share",
    "accuracy": "classify: share classified right (regions: on the grid; data: on the training samples)",
    "cross_entropy": "classify: mean −log p(true class) (regions: on the grid; data: on the training samples)",
    "accuracy_holdout": "classify, data: accuracy on the held-out samples (null without --holdout)",
    "cross_entropy_holdout": "classify, data: cross-entropy on the held-out samples (null without --holdout)",
    "samples": "classify, data: training samples",
    "holdout_samples": "classify, data: held-out samples (null without --holdout)",
    "grid": "classify, regions: the grid the cross-entropy and accuracy were averaged on",
    "sample_points": "data targets: how many samples the target interpolates (the ones not held out)",
    "sample_max_error": "data targets: max |network − sample| over those samples",
    "sample_rmse": "data targets: root-mean-square error over those samples",
    "sample_worst_at": "data targets: the sample with the largest error",
    "holdout_points": "data targets: samples held out by --holdout (0 without it)",
    "holdout_max_error": "data targets: max |network − sample| over the held-out samples (null without --holdout)",
    "holdout_rmse": "data targets: root-mean-square error over the held-out samples, the honest number with noise "
    "(null without --holdout)",
    "holdout_worst_at": "data targets: the held-out sample with the largest error (null without --holdout)",
}


def num(v: float, spec: str = ".3g") -> str:
    """A number as the README shows it; rounding noise (below 1e-12, which differs between machines) as "< 1e-12"."""
    return "< 1e-12" if 0 < abs(v) < 1e-12 else format(v, spec)


def cpu_num(v: float) -> str:
    """A number that depends on the CPU's floating-point path: ``~`` and two significant digits."""
    return "~" + format(v, ".2g")


def cpu_path() -> str:
    """The floating-point path numbers were computed on: numpy's best SIMD target in use and OpenBLAS's kernel.

    numpy picks its loops at import among ``__cpu_dispatch__`` targets the CPU has (``NPY_DISABLE_CPU_FEATURES``
    removes some); OpenBLAS picks a kernel for the CPU (``OPENBLAS_CORETYPE`` overrides it), which threadpoolctl
    reports. Both are what ``np.show_runtime()`` prints.
    """
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:  # numpy < 2
        from numpy.core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    from threadpoolctl import threadpool_info

    simd = [t for t in __cpu_dispatch__ if __cpu_features__.get(t)]
    blas = [i.get("architecture") for i in threadpool_info() if i.get("internal_api") == "openblas"]
    return f"numpy's {simd[-1] if simd else 'baseline'} loops and OpenBLAS's {(blas or ['unknown'])[0]} kernel"


def _skeleton(body: str) -> tuple[str, list[str]]:
    """A block with its CPU-dependent numbers and CPU path taken out, runs of spaces made one: (text, numbers)."""
    numbers = CPU_NUMBER.findall(body)
    text = CPU_PATH.sub("numpy's … loops and OpenBLAS's … kernel", CPU_NUMBER.sub("~#", body))
    return re.sub(r"[ \t]+", " ", text), numbers


def _close(recorded: str, fresh: str) -> bool:
    """Whether two CPU-dependent numbers agree within ``FACTOR`` (both finite; same sign; zero only with zero)."""
    try:
        a, b = float(recorded.lstrip("~")), float(fresh.lstrip("~"))
    except ValueError:
        return False
    if not (math.isfinite(a) and math.isfinite(b)) or (a < 0) != (b < 0):
        return False
    if a == 0 or b == 0:
        return a == b
    return 1 / FACTOR <= a / b <= FACTOR


def matches(recorded: str, fresh: str) -> bool:
    """Whether a recorded block still says what the code prints: exactly, but CPU-dependent numbers within FACTOR."""
    if recorded == fresh:
        return True
    (text_r, nums_r), (text_f, nums_f) = _skeleton(recorded), _skeleton(fresh)
    return text_r == text_f and len(nums_r) == len(nums_f) and all(map(_close, nums_r, nums_f))


def _cli(*args: str) -> str:
    from click.testing import CliRunner

    from univ.cli import main

    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    if r.exit_code not in (0, 2):
        raise SystemExit(f"univ {' '.join(args)} exited {r.exit_code}: {r.output}")
    return r.stdout if r.exit_code == 0 else r.stderr


def _json(*args: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        return json.loads(_cli(*args, "--json", "--no-plot", "--out", tmp))


def block_approx_1d() -> str:
    rows = ["| method    | max error | RMSE     |", "|-----------|-----------|----------|"]
    points = None
    for m in ("bumps", "steps", "heaviside", "relu"):
        d = _json("approx", "sin(3x)", "-n", "20", "--method", m)
        points = d["points"]
        rows.append(f"| {m:<9} | {d['max_error']:<9.4g} | {d['rmse']:<8.4g} |")
    return f'What `univ approx "sin(3x)" --neurons 20` measured on [0, 1] ({points:,} points):\n\n' + "\n".join(rows)


def block_errors() -> str:
    lines = []
    for args in (("approx", "1/x", "--domain", "-1", "1"), ("approx", "x.real")):
        shown = " ".join(a if re.fullmatch(r"[\w.-]+", a) else f'"{a}"' for a in args)
        lines += [f"$ univ {shown}", _cli(*args).strip()]
    return "```\n" + "\n".join(lines) + "\n```"


def block_table_2d() -> str:
    cases = [("exp(-(x^2+y^2))", ("--domain", "-2", "2", "--ydomain", "-2", "2")), ("sin(pi x) sin(pi y)", ())]
    head = "| method | neurons | exp(−(x²+y²)) on [−2,2]² | sin(πx)·sin(πy) on [0,1]² |"
    rows = [head, "|--------|---------|--------------------------|---------------------------|"]
    points = None
    for method, n in (("towers", 300), ("towers", 1000), ("ridge", 500), ("ridge", 2000)):
        cells = []
        for text, extra in cases:
            d = _json("approx", text, "-n", str(n), "--method", method, *extra)
            points = d["points"]
            cells.append(f"{d['rmse']:.3g}")
        rows.append(f"| {method:<6} | {n:<7} | {cells[0]:<24} | {cells[1]:<25} |")
    return f"RMSE measured on {points:,} points over the square:\n\n" + "\n".join(rows)


def block_compare() -> str:
    d = _json("compare", "sin(3x)", "--neurons", "12")
    head = ("model", "hidden layers", "parameters", "max error", "RMSE")
    body = []
    for r in d["rows"]:
        shown = cpu_num if r["model"].startswith("fit ") else num  # trained nets depend on the CPU's path
        layers = "+".join(map(str, r["hidden_layers"])) if r["hidden_layers"] else "—"
        body.append((r["model"], layers, str(r["parameters"]), shown(r["max_error"]), shown(r["rmse"])))
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]

    def fmt(cols):
        return "  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cols, widths)))

    table = "\n".join([fmt(head), *(fmt(b) for b in body)])
    return (
        f'What `univ compare "sin(3x)" --neurons 12` measured ({d["optimizer"]}, {d["epochs"]} iterations; '
        f"the command also prints each model's seconds). `~`: trained, varies by CPU — recorded with {cpu_path()}, "
        f"checked within a factor of {FACTOR:g}; the other rows are exact to the digits shown:\n\n```\n{table}\n```"
    )


def block_depth() -> str:
    d = _json("depth", "--layers", "4")
    lines = [
        f"  {'model':<44} {'neurons':>8} {'params':>7} {'pieces':>7} {'max error':>10} {'≥ proven':>9} {'RMSE':>10}"
    ]
    for r in d["rows"]:
        floor = "" if r["floor"] is None else f"{r['floor']:g}"
        lines.append(
            f"  {r['model']:<44} {r['hidden_neurons']:>8} {r['parameters']:>7} {r['pieces']:>7} "
            f"{num(r['max_error']):>10} {floor:>9} {num(r['rmse']):>10}"
        )
    return "What `univ depth --layers 4` printed:\n\n```\n" + "\n".join(lines) + "\n```"


def block_epsilon() -> str:
    one = _cli("approx", "sin(3x)", "--max-error", "1e-3", "--method", "relu", "--no-plot", "--out", _tmp())
    many = _cli("sweep", "sin(3x)", "--max-error", "1e-2", "--no-plot", "--out", _tmp())
    first = [line for line in one.splitlines() if not line.lstrip().startswith("files")]
    second = [line for line in many.splitlines() if not line.lstrip().startswith("files")]
    return (
        '```\n$ univ approx "sin(3x)" --max-error 1e-3 --method relu\n'
        + "\n".join(first)
        + '\n$ univ sweep "sin(3x)" --max-error 1e-2\n'
        + "\n".join(second)
        + "\n```"
    )


def block_bounds() -> str:
    """Each construction's a-priori bound beside its certified max error, from ``univ approx --json``."""
    rows = [
        "| construction | target, N | the proof promises ≤ | measured max error | bound's parts |",
        "|---|---|---|---|---|",
    ]
    cases = [
        ("bumps", "sin(3x)", 20, ()),
        ("steps", "sin(3x)", 20, ()),
        ("heaviside", "sin(3x)", 20, ()),
        ("relu", "sin(3x)", 20, ()),
        ("relu", "sin(3x)", 20, ("--heights", "lstsq")),
        ("bumps", "sin(3x)", 80, ("--knots", "equalized")),
        ("towers", "sin(pi x) sin(pi y)", 1000, ()),
        ("relu", "sin(pi x) sin(pi y)", 1000, ()),
        ("ridge", "sin(pi x) sin(pi y)", 1000, ()),
        ("relu", "sqrt(x)", 20, ()),
        ("bumps", "heaviside(x - 0.5)", 20, ()),
    ]
    for method, text, n, extra in cases:
        d = _json("approx", text, "-n", str(n), "--method", method, *extra)
        how = " ".join([method, *extra[1:]])
        shown = {k: v for k, v in d["bound_terms"].items() if k != "rounding" or v > 1e-6 * d["bound"]}
        parts = ", ".join(f"{k} {num(v)}" for k, v in shown.items())
        if d["bound"] is None:
            promised, parts = "none", d["bound_method"]
        else:
            promised = num(d["bound"], ".4g") + (" (estimate)" if method == "ridge" else "")
        rows.append(f"| {how} | {text}, {n} | {promised} | {num(d['max_error'], '.4g')} | {parts} |")
    return "\n".join(rows)


def block_accuracy() -> str:
    """univ's best one-hidden-layer nets, each class against its own yardstick, from the recorded benchmark."""
    text = (ROOT / "benchmarks" / "bench_accuracy.txt").read_text()
    relu = [
        "| target | N | best interpolant (free knots) | best approximation (free knots and values) "
        "| univ's best relu net | its max error | ÷ best approximation |",
        "|---|---|---|---|---|---|---|",
    ]
    sigmoid = [
        "| target | N | univ's best sum of N sigmoids | its max error | ramp widths 1/\\|w\\| |",
        "|---|---|---|---|---|",
    ]

    def options(kw: str) -> str:
        return ", ".join(f"{k}={v}" for k, v in ast.literal_eval(kw).items()) or "defaults"

    case, found = None, {}
    for line in text.splitlines():
        if m := re.match(r"  (\S.*) on (\[.+\]), N = (\d+)$", line):
            case, found = m.groups(), {}
        elif m := re.match(r"\s+best interpolant \(free knots\): ([0-9.e+-]+)", line):
            found["interpolant"] = m.group(1)
        elif m := re.match(r"\s+best approximation \(free knots and values\): ([0-9.e+-]+)", line):
            found["approximation"] = m.group(1)
        elif m := re.match(r"\s+best relu: (\w+) (\{.*\}) max ([0-9.e+-]+) at ([0-9.]+) × the best approx", line):
            method, kw, err, ratio = m.groups()
            relu.append(
                f"| {case[0]} on {case[1]} | {case[2]} | {found['interpolant']} | {found['approximation']} "
                f"| {method} ({options(kw)}) | {err} | {ratio} |"
            )
        elif m := re.match(r"\s+best sigmoid sum: (\w+) (\{.*\}) max ([0-9.e+-]+), ramp widths 1/w (\S+)", line):
            method, kw, err, ramps = m.groups()
            sigmoid.append(f"| {case[0]} on {case[1]} | {case[2]} | {method} ({options(kw)}) | {err} | {ramps} |")
    if len(relu) < 3 or len(relu) != len(sigmoid):
        raise SystemExit("scripts/readme.py: benchmarks/bench_accuracy.txt has no complete part 2 to show")
    return "\n".join(
        [
            "N ReLU units: a continuous piecewise-linear function with N pieces.",
            "",
            *relu,
            "",
            "N sigmoid units (heights by least squares, steepness chosen per N): a smooth function, another class.",
            "",
            *sigmoid,
        ]
    )


def _tmp() -> str:
    return tempfile.mkdtemp(prefix="univ-readme-")


def block_limits() -> str:
    from univ import limits

    rows = ["| limit | value | what |", "|---|---|---|"]
    src = Path(limits.__file__).read_text().splitlines()
    for line in src:
        m = re.match(r"(MAX_\w+|MIN_\w+) = ([^#]+?)\s*(?:#\s*(.*))?$", line)
        if m:
            value = getattr(limits, m.group(1))
            shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
            what = (m.group(3) or "").replace("|", "\\|")
            rows.append(f"| `{m.group(1)}` | {shown} | {what} |")
    return "\n".join(rows)


def block_json_keys() -> str:
    runs = {
        "approx": ("approx", "sin(3x)"),
        "fit": ("fit", "sin(3x)", "--hidden", "4", "--epochs", "5"),
        "compare": ("compare", "sin(3x)", "-n", "4", "--depths", "1", "--epochs", "5"),
        "sweep": ("sweep", "sin(3x)", "-n", "4,8"),
        "depth": ("depth", "-k", "2"),
    }
    rows = ["| command | keys of report.json (and of `--json`) |", "|---|---|"]
    used = set()
    for name, args in runs.items():
        keys = list(_json(*args))
        used.update(keys)
        rows.append(f"| `{name}` | {', '.join(f'`{k}`' for k in keys)} |")
    data = str(ROOT / "examples" / "co2.csv")
    for name in ("approx", "fit"):  # a data file as the target adds the errors on its samples and held-out samples
        plain = set(_json(*runs[name]))
        extra = [k for k in _json(*runs[name][:1], data, *runs[name][2:], "--holdout", "0.2") if k not in plain]
        used.update(extra)
        rows.append(f"| `{name}` on a data file, also | {', '.join(f'`{k}`' for k in extra)} |")
    missing = sorted(used - set(KEYS))
    if missing:
        raise SystemExit(f"scripts/readme.py: document these report keys in KEYS: {', '.join(missing)}")
    rows += ["", "| key | meaning |", "|---|---|"]
    rows += [f"| `{k}` | {KEYS[k].replace('|', chr(92) + '|')} |" for k in sorted(used)]
    return "\n".join(rows)


def block_layout() -> str:
    lines = []
    pkg = ROOT / "univ"
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        doc = path.read_text().split('"""')
        first = (
            doc[1].strip().splitlines()[0] if len(doc) > 2 and doc[0].strip() in ("", "#!/usr/bin/env python") else ""
        )
        lines.append(f"{rel:<34} {first}")
    return "```\n" + "\n".join(lines) + "\n```"


BLOCKS = {
    name.removeprefix("block_").replace("_", "-"): fn for name, fn in globals().items() if name.startswith("block_")
}


def render(text: str) -> str:
    """The README with every generated block recomputed; a block that still ``matches`` keeps its recorded text."""

    def replace(m: re.Match) -> str:
        name = m.group("name")
        if name not in BLOCKS:
            raise SystemExit(f"README block {name!r} has no generator in scripts/readme.py")
        fresh = BLOCKS[name]().rstrip() + "\n"
        return m.group(0) if matches(m.group("body"), fresh) else f"{m.group(1)}{fresh}{m.group(4)}"

    return BLOCK.sub(replace, text)


def main(argv: list[str]) -> int:
    os.environ.setdefault("COLUMNS", "100")
    path = Path(argv[argv.index("--readme") + 1]) if "--readme" in argv[:-1] else README
    old = path.read_text()
    new = render(old)
    if "--check" in argv:
        if new != old:
            sys.stdout.writelines(
                difflib.unified_diff(
                    old.splitlines(True), new.splitlines(True), path.name, f"{path.name} (from the code)"
                )
            )
            return 1
        return 0
    path.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
