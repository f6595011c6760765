"""`univ approx` as a user runs it: the report, the files, --json, and one clear line for every bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import univ._io as io_mod
from univ import Network, parse


@pytest.fixture(autouse=True)
def _cli(cli):
    global run
    run = cli


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
    for key in (
        "expression",
        "dimension",
        "method",
        "neurons",
        "hidden_layers",
        "max_error",
        "rmse",
        "domain",
        "files",
    ):
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
        (["approx", "sin(3x)", "--output-activation", "sigmoid"], r"\(0, 1\)"),
        (["approx", "sin(3x)", "--output", "sigmoid"], "output"),  # renamed: not one letter from --out
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
def test_bad_input_is_one_line_exit_2_and_no_files(cli, tmp_path, args, match):
    out = tmp_path / "run"
    r = cli(*[*args, "--out", str(out)] if args[0] == "approx" and len(args) > 1 else args)
    assert r.exit_code == 2, r.output
    err = r.stderr if hasattr(r, "stderr") else r.output
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("univ: "), err
    assert "Traceback" not in err
    import re

    assert re.search(match, lines[0]), lines[0]
    assert not out.exists()


def test_an_interrupted_write_leaves_no_half_file(cli, tmp_path, monkeypatch):
    def boom(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(io_mod.os, "replace", boom)
    r = cli(*["approx", "sin(3x)", "--no-plot", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "No space left" in r.stderr
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary


def test_knots_and_output_options_reach_the_constructor(tmp_path):
    r = run(
        "approx",
        "sqrt(x)",
        "-n",
        "64",
        "--method",
        "relu",
        "--knots",
        "adaptive",
        "--json",
        "--no-plot",
        "--out",
        str(tmp_path),
    )
    adaptive = json.loads(r.output)["max_error"]
    r = run("approx", "sqrt(x)", "-n", "64", "--method", "relu", "--json", "--no-plot", "--out", str(tmp_path))
    uniform = json.loads(r.output)["max_error"]
    assert uniform / adaptive >= 20
    r = run(
        "approx",
        "0.5 + 0.4 sin(6x)",
        "-n",
        "30",
        "--method",
        "steps",
        "--output-activation",
        "sigmoid",
        "--json",
        "--no-plot",
        "--out",
        str(tmp_path),
    )
    data = json.loads(r.output)
    assert data["output_activation"] == "sigmoid" and data["max_error"] < 0.1


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
    r = subprocess.run(
        [sys.executable, "-m", "univ", "approx", "1/x", "--domain", "-1", "1", "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == "univ: 1/x is not finite at x = 0 on [-1, 1]"
    assert not (tmp_path / "x").exists()


def test_default_output_folder_is_named_after_the_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("approx", "sin(3x)", "-n", "8", "--method", "steps", "--no-plot")
    assert r.exit_code == 0
    (folder,) = (tmp_path / "outputs").iterdir()
    assert folder.name.startswith("sin-3x_approx_steps_8_") and (folder / "report.json").exists()
    assert json.loads((folder / "report.json").read_text())["expression"] == parse("sin(3x)").text


def test_two_different_runs_never_share_a_folder_or_leave_stale_files(tmp_path, monkeypatch):
    # before: both wrote outputs/x-2_bumps_20/, leaving x²'s figure beside x−2's report
    monkeypatch.chdir(tmp_path)
    assert run("approx", "x^2").exit_code == 0
    assert run("approx", "x-2", "--domain", "-1", "1", "--no-plot").exit_code == 0
    folders = sorted((tmp_path / "outputs").iterdir())
    assert len(folders) == 2
    for folder in folders:
        report = json.loads((folder / "report.json").read_text())
        assert sorted(p.name for p in folder.iterdir()) == sorted(Path(f).name for f in report["files"].values())
    # the same options twice reuse one folder; a run into a folder replaces what an earlier run left there
    out = tmp_path / "mine"
    assert run("approx", "x^2", "--out", out).exit_code == 0 and (out / "figure.png").exists()
    assert run("approx", "x-2", "--no-plot", "--out", out).exit_code == 0
    assert not (out / "figure.png").exists()
    assert json.loads((out / "report.json").read_text())["expression"] == "x-2"


def test_run_folder_name_changes_with_every_option_that_changes_the_result(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for extra in ([], ["--domain", "0", "2"], ["--steepness", "20"], ["--knots", "adaptive"]):
        assert run("approx", "sin(3x)", "--no-plot", *extra).exit_code == 0
    assert len(list((tmp_path / "outputs").iterdir())) == 4


def test_output_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        assert run("approx", "sin(3x)", "--out", tmp_path / "r").exit_code == 0
    finally:
        os.umask(old)
    for name in ("figure.png", "report.json", "network.json"):
        assert (tmp_path / "r" / name).stat().st_mode & 0o777 == 0o644  # mkstemp made them 0600


@pytest.mark.parametrize(
    "command",
    [
        ["approx", "sin(3x)"],
        ["approx", "x*y", "-n", "30"],
        ["depth", "-k", "3"],
        ["fit", "sin(3x)", "--hidden", "4", "--epochs", "20"],
        ["compare", "sin(3x)", "-n", "4", "--epochs", "20", "--depths", "1"],
        ["sweep", "sin(3x)", "-n", "4,8", "--methods", "steps,relu"],
    ],
)
def test_json_prints_exactly_what_report_json_holds(tmp_path, command):
    r = run(*command, "--json", "--no-plot", "--out", tmp_path / "r")
    assert r.exit_code == 0, r.output
    assert r.stdout == (tmp_path / "r" / "report.json").read_text()
    data = json.loads(r.stdout)
    assert data["command"] == command[0]
    rows = data.get("rows", [data])
    for row in rows:  # a key means one thing everywhere: hidden_layers is a list of widths
        if row.get("hidden_layers") is not None:
            assert isinstance(row["hidden_layers"], list) and all(isinstance(w, int) for w in row["hidden_layers"])


@pytest.mark.parametrize("expression", ["-x^2", "-sin(3x)", "-1 + x", "-(x-0.5)^2"])
def test_an_expression_may_start_with_a_minus_sign(tmp_path, expression):
    r = run("approx", expression, "--no-plot", "--json", "--out", tmp_path / "r", "-n", "10")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["expression"] == expression


@pytest.mark.parametrize(
    "args, match",
    [
        (["approx", "sin(3x)", "--out", ""], "--out"),
        (["fit", "sin(3x)", "--hidden", "1,,2"], "empty item"),
        (["fit", "sin(3x)", "--layers", "10000000000", "--width", "1"], "layers"),
        (["sweep", "sin(3x)", "-n", "4,,8"], "empty item"),
        (["compare", "sin(3x)", "--depths", "1,2,99"], "depths"),
    ],
)
def test_sizes_and_lists_are_checked_before_any_work(tmp_path, args, match):
    r = run(*args)
    assert r.exit_code == 2 and match in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.output


@pytest.mark.parametrize("command", ["approx", "fit", "compare", "sweep", "page", "render"])
def test_every_command_takes_the_same_core_options(command):
    from univ.cli import main as group

    if command not in group.commands:
        pytest.skip(f"{command} is not installed here")
    names = {o for p in group.commands[command].params for o in getattr(p, "opts", [])}
    if command != "render":
        assert {"--domain", "--out", "--json"} <= names
    if command in ("approx", "fit", "compare", "sweep"):
        assert {"--ydomain", "--no-plot"} <= names
    if command in ("approx", "compare", "sweep", "page"):
        assert {"-n", "--neurons"} <= names
    assert "--output" not in names
