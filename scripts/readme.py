#!/usr/bin/env python
"""Regenerate every number, table and output the README quotes, from the code itself.

The README marks each generated block with ``<!-- generated: NAME -->`` ... ``<!-- end -->``; this script recomputes
each block by running univ (the CLI in-process, or the library) and writes the README back. ``--check`` writes
nothing and exits 1 when any block differs (the test suite runs it, so the README cannot drift from the code).

    .venv/bin/python scripts/readme.py           # rewrite README.md
    .venv/bin/python scripts/readme.py --check   # exit 1 if README.md is stale
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z0-9-]+) -->\n)(?P<body>.*?)(<!-- end -->)", re.S)

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
    "rows": "one row per model: model, hidden_layers, hidden_neurons, parameters, max_error, rmse, seconds",
    "slopes": "log-log slope of max error against neurons, per method",
    "rmse_slopes": "the same for the RMSE",
    "layers": "depth: hidden layers of the deep net",
    "pieces": "depth: linear pieces of the sawtooth",
    "heights": "output weights: nielsen (f at each cell's middle) or lstsq",
    "steepness_choice": "the steepness asked for: a number, or auto",
    "jumps": "where f jumps, and by how much ([x, size] pairs); empty for a continuous f",
    "note": "what the numbers cannot show (e.g. a jump's floor on the max error); null when nothing",
    "notes": "compare and sweep: what was capped or warned about, one line each",
    "search": "with --max-error: the neuron counts tried and each one's certified max error",
}


def num(v: float, spec: str = ".3g") -> str:
    """A number as the README shows it; rounding noise (below 1e-12, which differs between machines) as "< 1e-12"."""
    return "< 1e-12" if 0 < abs(v) < 1e-12 else format(v, spec)


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
    body = [
        (
            r["model"],
            "+".join(map(str, r["hidden_layers"])) if r["hidden_layers"] else "—",
            str(r["parameters"]),
            num(r["max_error"]),
            num(r["rmse"]),
        )
        for r in d["rows"]
    ]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]

    def fmt(cols):
        return "  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cols, widths)))

    table = "\n".join([fmt(head), *(fmt(b) for b in body)])
    return (
        f'What `univ compare "sin(3x)" --neurons 12` measured ({d["optimizer"]}, {d["epochs"]} iterations; '
        f"the command also prints each model's seconds):\n\n```\n{table}\n```"
    )


def block_depth() -> str:
    d = _json("depth", "--layers", "4")
    lines = [f"  {'model':<44} {'neurons':>8} {'params':>7} {'pieces':>7} {'max error':>10} {'RMSE':>10}"]
    for r in d["rows"]:
        lines.append(
            f"  {r['model']:<44} {r['hidden_neurons']:>8} {r['parameters']:>7} {r['pieces']:>7} "
            f"{num(r['max_error']):>10} {num(r['rmse']):>10}"
        )
    return "What `univ depth --layers 4` printed:\n\n```\n" + "\n".join(lines) + "\n```"


def block_epsilon() -> str:
    one = _cli("approx", "sin(3x)", "--max-error", "1e-3", "--method", "relu", "--no-plot", "--out", _tmp())
    many = _cli("sweep", "sin(3x)", "--max-error", "1e-2", "--no-plot", "--out", _tmp())
    keep = [line for line in one.splitlines() if not line.lstrip().startswith("files")]
    keep += [line for line in many.splitlines() if not line.lstrip().startswith("files")]
    return (
        '```\n$ univ approx "sin(3x)" --max-error 1e-3 --method relu\n'
        + "\n".join(keep[:7])
        + '\n$ univ sweep "sin(3x)" --max-error 1e-2\n'
        + "\n".join(keep[7:])
        + "\n```"
    )


def block_accuracy() -> str:
    """The best one-hidden-layer construction against the free-knot ReLU optimum, from the recorded benchmark."""
    text = (ROOT / "benchmarks" / "bench_accuracy.txt").read_text()
    rows = ["| target | N | free-knot ReLU optimum (max error) | best univ construction | its max error ÷ optimum |"]
    rows.append("|---|---|---|---|---|")
    case = None
    for line in text.splitlines():
        m = re.match(r"\s+(.+) on (\[.+\]), N = (\d+): free-knot ReLU optimum ([0-9.e+-]+)", line)
        if m:
            case = m.groups()
        m = re.match(r"\s+best: (\w+) (\{.*\}) at ([0-9.]+) × the optimum", line)
        if m and case:
            options = ", ".join(f"{k}={v}" for k, v in ast.literal_eval(m.group(2)).items()) or "defaults"
            rows.append(f"| {case[0]} on {case[1]} | {case[2]} | {case[3]} | {m.group(1)} ({options}) | {m.group(3)} |")
            case = None
    return "\n".join(rows)


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
    def replace(m: re.Match) -> str:
        name = m.group("name")
        if name not in BLOCKS:
            raise SystemExit(f"README block {name!r} has no generator in scripts/readme.py")
        return f"{m.group(1)}{BLOCKS[name]().rstrip()}\n{m.group(4)}"

    return BLOCK.sub(replace, text)


def main(argv: list[str]) -> int:
    os.environ.setdefault("COLUMNS", "100")
    old = README.read_text()
    new = render(old)
    if "--check" in argv:
        if new != old:
            sys.stdout.writelines(
                difflib.unified_diff(
                    old.splitlines(True), new.splitlines(True), "README.md", "README.md (from the code)"
                )
            )
            return 1
        return 0
    README.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
