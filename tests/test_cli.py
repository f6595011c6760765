"""`univ approx` as a user runs it: the report, the files, --json, and one clear line for every bad input."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

import univ._io as io_mod
from univ import Network, parse
from univ.cli import main


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_approx_prints_a_report_and_writes_three_files(tmp_path):
    out = tmp_path / "run"
    r = run("approx", "sin(3x)", "--neurons", "20", "--out", str(out))
    assert r.exit_code == 0, r.output
    for word in ("sin(3x)", "bumps", "20 neurons", "max error", "RMSE", "report.json"):
        assert word in r.output
    assert sorted(p.name for p in out.iterdir()) == ["figure.png", "network.json", "report.json"]
    png = (out / "figure.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    report = json.loads((out / "report.json").read_text())
    assert report["max_error"] <= 0.16
    # the saved network is the one measured: reload it and re-measure
    net = Network.from_json((out / "network.json").read_text())
    x = np.linspace(0, 1, 10_001)
    assert np.max(np.abs(net(x) - np.sin(3 * x))) == pytest.approx(report["max_error"], rel=1e-9)


def test_json_is_exactly_one_object_with_the_promised_keys(tmp_path):
    r = run("approx", "sin(3x)", "-n", "20", "--method", "relu", "--json", "--no-plot", "--out", str(tmp_path))
    assert r.exit_code == 0
    data = json.loads(r.output)  # fails if anything else was printed
    for key in ("expression", "dimension", "method", "neurons", "hidden_layers", "max_error", "rmse", "domain", "files"):
        assert key in data
    assert data["dimension"] == 1 and data["method"] == "relu" and data["neurons"] == 20
    assert data["hidden_layers"] == [20] and data["domain"] == [[0.0, 1.0]]
    assert data["max_error"] <= 0.003
    assert "figure" not in data["files"] and not (tmp_path / "figure.png").exists()
    assert json.loads((tmp_path / "report.json").read_text()) == data


@pytest.mark.parametrize(
    "args, match",
    [
        (["approx", "sin(3x)", "--neurons", "0"], "neurons"),
        (["approx", "sin(3x)", "--neurons", "-5"], "neurons"),
        (["approx", "sin(3x)", "--neurons", "10000000"], "neurons"),
        (["approx", "sin(3x)", "--neurons", "21"], "even"),
        (["approx", "sin(3x)", "--neurons", "ten"], "neurons"),
        (["approx", "sin(3x)", "--domain", "1", "0"], "A < B"),
        (["approx", "sin(3x)", "--domain", "0", "inf"], "finite"),
        (["approx", "sin(3x)", "--domain", "nan", "1"], "finite"),
        (["approx", "sin(3x)", "--method", "magic"], "magic"),
        (["approx", "sin(3x)", "--steepness", "-1"], "steepness"),
        (["approx", "sin(3x)", "--knots", "random"], "random"),
        (["approx", "sin(3x)", "--output", "sigmoid"], r"\(0, 1\)"),
        (["approx", "1/x", "--domain", "-1", "1"], "not finite at x = 0"),
        (["approx", "log(x-2)"], "not finite"),
        (["approx", "sqrt(-1-x)", "--domain", "-1", "1"], "not finite"),
        (["approx", "__import__('os')"], "not allowed"),
        (["approx", "x + z"], "only x and y"),
        (["approx", ""], "empty"),
        (["approx", "x" * 1000], "limit"),
        (["approx", "sin(3x)", "--ydomain", "0", "1"], "no ydomain"),
        (["approx"], "EXPRESSION"),
        (["approx", "sin(3x)", "--bogus"], "bogus"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_no_files(tmp_path, args, match):
    out = tmp_path / "run"
    r = CliRunner().invoke(main, [*args, "--out", str(out)] if args[0] == "approx" and len(args) > 1 else args)
    assert r.exit_code == 2, r.output
    err = r.stderr if hasattr(r, "stderr") else r.output
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("univ: "), err
    assert "Traceback" not in err
    import re

    assert re.search(match, lines[0]), lines[0]
    assert not out.exists()


def test_an_interrupted_write_leaves_no_half_file(tmp_path, monkeypatch):
    def boom(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(io_mod.os, "replace", boom)
    r = CliRunner().invoke(main, ["approx", "sin(3x)", "--no-plot", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "No space left" in r.output
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary


def test_knots_and_output_options_reach_the_constructor(tmp_path):
    r = run("approx", "sqrt(x)", "-n", "64", "--method", "relu", "--knots", "adaptive", "--json", "--no-plot",
            "--out", str(tmp_path))
    adaptive = json.loads(r.output)["max_error"]
    r = run("approx", "sqrt(x)", "-n", "64", "--method", "relu", "--json", "--no-plot", "--out", str(tmp_path))
    uniform = json.loads(r.output)["max_error"]
    assert uniform / adaptive >= 20
    r = run("approx", "0.5 + 0.4 sin(6x)", "-n", "30", "--method", "steps", "--output", "sigmoid", "--json",
            "--no-plot", "--out", str(tmp_path))
    data = json.loads(r.output)
    assert data["output"] == "sigmoid" and data["max_error"] < 0.1


def test_formula_prints_the_closed_form(tmp_path):
    r = run("approx", "x^2", "-n", "2", "--formula", "--no-plot", "--out", str(tmp_path))
    assert r.exit_code == 0 and "formula" in r.output and "\\sigma" in r.output


def test_help_texts_carry_worked_examples():
    assert 'univ approx "sin(3x)"' in run("--help").output
    assert 'univ approx "sin(3x)" --neurons 20' in run("approx", "--help").output


def test_no_plot_imports_neither_matplotlib_nor_manim(tmp_path):
    code = (
        "import sys\n"
        "from univ.cli import main\n"
        "try:\n"
        f"    main(['approx', 'sin(3x)', '--no-plot', '--json', '--out', {str(tmp_path)!r}])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "heavy = sorted(m for m in ('matplotlib', 'manim', 'scipy', 'torch') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "HEAVY []"


def test_python_dash_m_univ_is_the_command(tmp_path):
    r = subprocess.run([sys.executable, "-m", "univ", "approx", "1/x", "--domain", "-1", "1", "--out",
                        str(tmp_path / "x")], capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"})
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == "univ: 1/x is not finite at x = 0 on [-1, 1]"
    assert not (tmp_path / "x").exists()


def test_default_output_folder_is_named_after_the_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("approx", "sin(3x)", "-n", "8", "--method", "steps", "--no-plot")
    assert r.exit_code == 0
    assert (tmp_path / "outputs" / "sin-3x_steps_8" / "report.json").exists()
    assert parse("sin(3x)").text in json.loads((tmp_path / "outputs/sin-3x_steps_8/report.json").read_text())["expression"]
