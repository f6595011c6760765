"""Start-up (issue #24): ``univ approx "sin(3x)" --no-plot`` reports the proof's bound without importing sympy,
scipy or matplotlib (each costs more than numpy's whole import)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sympy", "scipy", "matplotlib", "mpmath")

# univ's CLI in a fresh interpreter; at exit, the heavy modules it loaded go to stderr as one JSON line
PROBE = """
import atexit, json, sys
heavy = {heavy!r}
def report():
    loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set(heavy))
    sys.stderr.write("HEAVY " + json.dumps(loaded) + "\\n")
atexit.register(report)
from univ.cli import main
sys.argv = ["univ", *{args!r}]
main()
"""


def _run(args: list[str], tmp_path: Path) -> tuple[dict, list[str]]:
    code = PROBE.format(heavy=HEAVY, args=[*args, "--no-plot", "--json", "--out", str(tmp_path)])
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    line = next(s for s in r.stderr.splitlines() if s.startswith("HEAVY "))
    return json.loads(r.stdout), json.loads(line.removeprefix("HEAVY "))


@pytest.mark.parametrize(
    "args",
    [
        ["approx", "sin(3x)", "-n", "20"],
        ["approx", "abs(x - 0.3) + sigmoid(4x)", "-n", "30", "--method", "steps"],
        ["approx", "0.5 + 0.4 sin(6x)", "-n", "30", "--output-activation", "sigmoid"],
        ["approx", "sin(x)*cos(y)", "-n", "500", "--method", "towers"],
    ],
)
def test_approx_reports_its_bound_without_heavy_imports(args, tmp_path):
    report, heavy = _run(args, tmp_path)
    assert isinstance(report["bound"], float) and report["bound"] >= report["max_error"]
    assert heavy == [], f"{' '.join(args)} imported {heavy}"


def test_a_bound_refused_is_still_refused_without_heavy_imports(tmp_path):
    report, heavy = _run(["approx", "sqrt(x)", "-n", "20"], tmp_path)
    assert report["bound"] is None and "unbounded" in report["bound_method"]
    assert heavy == []
