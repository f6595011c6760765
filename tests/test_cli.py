"""`univ approx` as a user runs it: the report, the files, --json, and one clear line for every bad input."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import univ._io as io_mod
from univ import Network, parse

ROOT = Path(__file__).resolve().parents[1]


def test_approx_prints_a_report_and_writes_three_files(cli, tmp_path):
    out = tmp_path / "run"
    r = cli("approx", "sin(3x)", "--neurons", "20", "--out", str(out))
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


def test_json_is_exactly_one_object_with_the_promised_keys(cli, tmp_path):
    r = cli("approx", "sin(3x)", "-n", "20", "--method", "relu", "--json", "--no-plot", "--out", str(tmp_path))
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
    assert r.exit_code == 1 and "No space left" in r.stderr  # the machine's failure, not bad input
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary


def test_knots_and_output_options_reach_the_constructor(cli, tmp_path):
    r = cli(
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
    r = cli("approx", "sqrt(x)", "-n", "64", "--method", "relu", "--json", "--no-plot", "--out", str(tmp_path))
    uniform = json.loads(r.output)["max_error"]
    assert uniform / adaptive >= 20
    r = cli(
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


def test_formula_prints_readable_maths_on_a_terminal_and_latex_in_json(cli, tmp_path):
    r = cli("approx", "x^2", "-n", "2", "--formula", "--no-plot", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    (shown,) = [line for line in r.output.splitlines() if line.lstrip().startswith("formula")]
    assert "\\" not in r.output and "σ(" in shown and "⋅" in shown  # sympy's pretty printer, no LaTeX source
    net = Network.from_json((tmp_path / "network.json").read_text())
    # the printed closed form is the net: evaluate it (σ as the logistic function) against the network
    import sympy as sp

    expr = sp.sympify(shown.split("formula", 1)[1].replace("⋅", "*").replace("σ", "sigma"))
    f = sp.lambdify(sp.Symbol("x"), expr, {"sigma": lambda z: 1 / (1 + np.exp(-z))})
    x = np.linspace(0, 1, 11)
    assert np.allclose(f(x), net(x), atol=1e-3)
    data = json.loads(
        cli("approx", "x^2", "-n", "2", "--formula", "--no-plot", "--out", str(tmp_path), "--json").output
    )
    assert "\\sigma" in data["formula"]  # JSON keeps LaTeX for notebooks


def test_formula_of_a_relu_net_reads_relu_and_wraps_between_terms(cli, tmp_path):
    r = cli("approx", "sin(3x)", "-n", "12", "--method", "relu", "--formula", "--no-plot", "--out", str(tmp_path))
    lines = r.output.split("  formula       ", 1)[1].splitlines()
    assert len(lines) > 1 and all(len(line) <= 16 + 100 for line in lines)
    assert r.output.count("relu(") == 12 and "Max" not in r.output
    assert all(line.startswith((" " * 16 + "- ", " " * 16 + "+ ")) for line in lines[1:])  # breaks between terms
    assert "\\" not in r.output


def test_a_slow_2d_approx_says_each_step_on_stderr(cli, tmp_path, monkeypatch):
    import univ.cli.approx as approx_cmd
    import univ.cli.progress as progress

    monkeypatch.setattr(approx_cmd, "stderr_is_tty", lambda: True)
    monkeypatch.setattr(progress, "STAGE_DELAY", 0.0)  # every step announced, however quick it is here
    args = ("approx", "exp(-(x^2+y^2))", "-n", "300", "--domain", "-2", "2", "--ydomain", "-2", "2")
    r = cli(*args, "--out", tmp_path)
    assert r.exit_code == 0, r.stderr
    said = [line for line in r.stderr.splitlines() if line]
    for step in ("building 300 neurons (towers)", "measuring the certified max error", "drawing the figure"):
        ends = [line for line in said if step in line and re.search(r": \d+\.\d s$", line)]
        assert ends, (step, said)  # each step ends with the time it took
    assert all(line.startswith("univ approx: ") for line in said) and "univ approx" in r.stdout
    assert not any("univ approx:" in line for line in r.stdout.splitlines())  # progress never mixes into stdout
    r = cli(*args, "--out", tmp_path / "j", "--json", "--no-plot")
    assert r.stderr == "" and json.loads(r.stdout)["dimension"] == 2  # --json: only the report


def test_stages_on_a_terminal_redraw_a_clock_and_end_with_the_time():
    import io
    import time

    from univ.cli.progress import Stages

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    with Stages(True, "approx", delay=0.0, stream=out)("measuring"):
        deadline = time.monotonic() + 30
        while "…" not in out.getvalue() and time.monotonic() < deadline:  # until the clock has drawn once
            time.sleep(0.01)
    text = out.getvalue()
    assert text.startswith("\runiv approx: measuring … 0 s") and text.endswith(" s\x1b[K\n")
    assert re.search(r"\runiv approx: measuring: \d+\.\d s\x1b\[K\n$", text)
    quiet = Terminal()
    with Stages(False, "approx", delay=0.0, stream=quiet)("measuring"):
        pass
    assert quiet.getvalue() == ""


def test_sweep_max_error_writes_a_figure_as_sweep_does(cli, tmp_path):
    r = cli("sweep", "sin(3x)", "--max-error", "1e-2", "--methods", "steps,relu", "--out", tmp_path, "--json")
    assert r.exit_code == 0, r.output
    files = json.loads(r.stdout)["files"]
    assert (tmp_path / "figure.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "figure" in files
    r = cli("sweep", "sin(3x)", "--max-error", "1e-2", "--methods", "relu", "--out", tmp_path / "n", "--no-plot")
    assert r.exit_code == 0 and not (tmp_path / "n" / "figure.png").exists()
    assert re.search(r"relu +\d+ +\S+ +\S+  \d+ counts?$", r.output, re.M) and " 1 counts" not in r.output


def test_one_hidden_layer_is_not_repeated_in_brackets(cli, tmp_path):
    r = cli("approx", "sin(3x)", "-n", "20", "--no-plot", "--out", str(tmp_path))
    assert "  hidden        20 neurons, 61 parameters" in r.output and "(20)" not in r.output
    r = cli("approx", "x*y", "-n", "200", "--no-plot", "--out", str(tmp_path / "2d"))
    assert re.search(r"hidden +\d+ neurons \(\d+ \+ \d+\)", r.output), r.output


def test_help_texts_carry_worked_examples(cli):
    assert 'univ approx "sin(3x)"' in cli("--help").output
    assert 'univ approx "sin(3x)" --neurons 20' in cli("approx", "--help").output


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


def test_default_output_folder_is_named_after_the_run(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("approx", "sin(3x)", "-n", "8", "--method", "steps", "--no-plot")
    assert r.exit_code == 0
    (folder,) = (tmp_path / "outputs").iterdir()
    assert folder.name.startswith("sin-3x_approx_steps_8_") and (folder / "report.json").exists()
    assert json.loads((folder / "report.json").read_text())["expression"] == parse("sin(3x)").text


def test_two_different_runs_never_share_a_folder_or_leave_stale_files(cli, tmp_path, monkeypatch):
    # before: both wrote outputs/x-2_bumps_20/, leaving x²'s figure beside x−2's report
    monkeypatch.chdir(tmp_path)
    assert cli("approx", "x^2").exit_code == 0
    assert cli("approx", "x-2", "--domain", "-1", "1", "--no-plot").exit_code == 0
    folders = sorted((tmp_path / "outputs").iterdir())
    assert len(folders) == 2
    for folder in folders:
        report = json.loads((folder / "report.json").read_text())
        assert sorted(p.name for p in folder.iterdir()) == sorted(Path(f).name for f in report["files"].values())
    # the same options twice reuse one folder; a run into a folder replaces what an earlier run left there
    out = tmp_path / "mine"
    assert cli("approx", "x^2", "--out", out).exit_code == 0 and (out / "figure.png").exists()
    assert cli("approx", "x-2", "--no-plot", "--out", out).exit_code == 0
    assert not (out / "figure.png").exists()
    assert json.loads((out / "report.json").read_text())["expression"] == "x-2"


def test_run_folder_name_changes_with_every_option_that_changes_the_result(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for extra in ([], ["--domain", "0", "2"], ["--steepness", "20"], ["--knots", "adaptive"]):
        assert cli("approx", "sin(3x)", "--no-plot", *extra).exit_code == 0
    assert len(list((tmp_path / "outputs").iterdir())) == 4


def test_output_files_follow_the_umask(cli, tmp_path):
    old = os.umask(0o022)
    try:
        assert cli("approx", "sin(3x)", "--out", tmp_path / "r").exit_code == 0
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
def test_json_prints_exactly_what_report_json_holds(cli, tmp_path, command):
    r = cli(*command, "--json", "--no-plot", "--out", tmp_path / "r")
    assert r.exit_code == 0, r.output
    assert r.stdout == (tmp_path / "r" / "report.json").read_text()
    data = json.loads(r.stdout)
    assert data["command"] == command[0]
    rows = data.get("rows", [data])
    for row in rows:  # a key means one thing everywhere: hidden_layers is a list of widths
        if row.get("hidden_layers") is not None:
            assert isinstance(row["hidden_layers"], list) and all(isinstance(w, int) for w in row["hidden_layers"])


@pytest.mark.parametrize("expression", ["-x^2", "-sin(3x)", "-1 + x", "-(x-0.5)^2"])
def test_an_expression_may_start_with_a_minus_sign(cli, tmp_path, expression):
    r = cli("approx", expression, "--no-plot", "--json", "--out", tmp_path / "r", "-n", "10")
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
def test_sizes_and_lists_are_checked_before_any_work(cli, tmp_path, args, match):
    r = cli(*args)
    assert r.exit_code == 2 and match in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.output


@pytest.mark.parametrize("command", ["approx", "fit", "compare", "sweep", "page", "render"])
def test_every_command_takes_the_same_core_options(command):
    import click

    from univ.cli import main as group

    cmd = group.get_command(click.Context(group), command)  # commands are loaded when asked for, never skipped
    names = {o for p in cmd.params for o in getattr(p, "opts", [])}
    if command != "render":
        assert {"--domain", "--out", "--json"} <= names
    if command in ("approx", "fit", "compare", "sweep"):
        assert {"--ydomain", "--no-plot"} <= names
    if command in ("approx", "compare", "sweep", "page"):
        assert {"-n", "--neurons"} <= names
    assert "--output" not in names


# -- issue 18: every output shows the same number -------------------------------------------------------------------
def _figure_text(fig) -> str:
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


def _captured_figures(monkeypatch) -> list:
    """Every Figure univ.plot makes from now on, kept for the test to read."""
    import univ.plot.figures as figures

    made, new = [], figures.new_figure

    def keep(*args, **kwargs):
        fig = new(*args, **kwargs)
        made.append(fig)
        return fig

    monkeypatch.setattr(figures, "new_figure", keep)
    return made


@pytest.mark.parametrize(
    "args",
    [
        [
            str(ROOT / "examples" / "co2.csv"),
            "-n",
            "200",
            "--method",
            "relu",
            "--holdout",
            "0.2",
        ],  # figure said max 0.853, report 0.9274
        ["exp(-(x^2+y^2))", "-n", "1000", "--domain", "-2", "2", "--ydomain", "-2", "2"],  # 0.0726 against 0.08153
        ["sin(pi x) sin(pi y)", "-n", "2000", "--method", "ridge"],  # 0.0137 against 0.01447
        ["sin(3x)", "-n", "20", "--domain", "-1", "1"],
    ],
)
def test_the_figure_prints_the_reports_numbers_as_the_terminal_does(cli, monkeypatch, tmp_path, args):
    import re

    made = _captured_figures(monkeypatch)
    r = cli("approx", *args, "--out", tmp_path / "run")
    assert r.exit_code == 0, r.output
    report = json.loads((tmp_path / "run" / "report.json").read_text())
    (fig,) = made
    drawn = _figure_text(fig)
    # the terminal's numbers, as printed: max error, where, RMSE
    m = re.search(r"max error +(\S+) +at (?:x|\(x, y\)) = \(?([^)\n]+?)\)?\n", r.stdout)
    rmse = re.search(r"RMSE +(\S+)", r.stdout).group(1)
    shown, where = m.group(1), [w.strip() for w in m.group(2).split(",")]
    # they are the report's (independently: the digits printed round the JSON's numbers)
    assert float(shown) == pytest.approx(report["max_error"], rel=5e-4)
    assert float(rmse) == pytest.approx(report["rmse"], rel=5e-4)
    for w, at, (lo, hi) in zip(where, report["worst_at"], report["domain"]):
        assert abs(float(w) - at) <= 1e-4 * (hi - lo)
    # and the figure shows the same strings
    assert f"max error {shown}" in drawn, drawn
    assert f"RMSE {rmse}" in drawn, drawn
    for w in where:
        assert w in drawn, (w, drawn)


def test_the_1d_figure_marks_the_worst_point_the_report_found(tmp_path):
    from univ import construct, measure
    from univ.plot import new_figure, plot_error

    target = parse("sin(3x)", domain=(-1, 1))
    net = construct(target, 20, "bumps")
    report = measure(net, target)
    ax = new_figure().add_subplot()
    line, dot = plot_error(ax, net, target, report)
    assert dot.get_xdata()[0] == report.worst_at[0] and dot.get_ydata()[0] == report.max_error
    assert report.worst_at[0] in line.get_xdata()  # the curve passes through the marked point


def test_one_formatter_prints_where_with_the_digits_its_domain_needs():
    from univ import numbers
    from univ.measure import Report

    r = Report(max_error=0.92741, rmse=0.13, worst_at=(1995.98621,), points=10, domain=((1990.01, 1995.99),))
    assert numbers.max_error_at(r) == "max error 0.9274 at x = 1995.9862"
    assert numbers.summary(r) == "max error 0.9274 at x = 1995.9862, RMSE 0.13"
    r2 = Report(max_error=0.0815, rmse=0.016, worst_at=(0.53951, -0.5), points=10, domain=((-2, 2), (-2, 2)))
    assert numbers.location(r2.worst_at, r2.domain) == "(x, y) = (0.5395, -0.5)"
    assert numbers.summary(r2.to_dict()) == numbers.summary(r2)  # a report.json's dict reads the same
    assert numbers.coordinate(-1e-9, -1, 1) == "0"  # no "-0"
    assert numbers.error(float("nan")) == "nan"


# -- issue 18: the empty expression is refused everywhere ----------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["approx", ""],
        ["approx", "   "],
        ["fit", ""],
        ["compare", ""],
        ["sweep", ""],
        ["page", ""],
        ["render", "bumps", ""],  # rendered sin(3x) instead
        ["render", "bumps", "--function", ""],
        ["render", "bumps", "  "],
    ],
)
def test_an_empty_expression_is_refused_by_every_command_with_one_line(cli, tmp_path, args):
    r = cli(*args, "--out", tmp_path / "out")
    assert r.exit_code == 2, r.output
    assert r.stderr.strip() == "univ: empty expression", r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# -- issue 18: messages that do not contradict themselves -----------------------------------------------------------
@pytest.mark.parametrize("eps", ["inf", "nan", "-inf", "0", "-1"])
def test_max_error_inf_says_a_positive_finite_number(cli, tmp_path, eps):
    r = cli("approx", "sin(3x)", "--max-error", eps, "--no-plot", "--out", tmp_path / "r")
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1 and "∞" not in r.stderr, r.stderr
    if eps in ("inf", "nan"):  # past the option's range check: the search's own words ("in (0, ∞]" before)
        assert r.stderr.strip() == f"univ: eps must be a positive finite number, got {float(eps)!r}", r.stderr
    from univ import ConfigError, neurons_for

    with pytest.raises(ConfigError, match=r"^eps must be a positive finite number, got "):
        neurons_for("sin(3x)", float(eps))


def test_half_open_and_closed_rays_are_said_plainly():
    from univ import ConfigError
    from univ import validate as check

    for kwargs, said in [
        ({"lo": 0.0, "lo_open": True}, "a positive finite number"),
        ({"lo": 0.0}, "a finite number ≥ 0"),
        ({"lo": 2.0, "lo_open": True}, "a finite number > 2"),
        ({"hi": 3.0}, "a finite number ≤ 3"),
        ({}, "a finite number,"),
        ({"lo": 0.0, "hi": 1.0, "hi_open": True}, "a finite number in [0, 1)"),
    ]:
        with pytest.raises(ConfigError) as e:
            check.real("v", float("inf"), **kwargs)
        assert f"v must be {said}" in str(e.value) and "∞" not in str(e.value), str(e.value)


@pytest.mark.parametrize("spread", [4e-12, 1e-10])
def test_samples_nearly_on_one_x_say_how_little_they_spread(cli, tmp_path, spread):
    data = tmp_path / "narrow.csv"
    xs = np.linspace(0.0, spread, 6)
    data.write_text("x,y\n" + "".join(f"{float(x)!r},{k}\n" for k, x in enumerate(xs)))
    r = cli("approx", data, "--no-plot", "--out", tmp_path / "r")
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "every sample has x = 0" not in r.stderr
    assert "nearly all equal" in r.stderr and f"{spread:.3g}" in r.stderr, r.stderr


def test_samples_all_on_one_x_still_say_so(cli, tmp_path):
    data = tmp_path / "one.csv"  # samples of f(x, y) on the line x = 2
    data.write_text("x,y,z\n2,0,0\n2,1,1\n2,2,0\n2,3,1\n2,4,0\n2,5,1\n")
    r = cli("approx", data, "--no-plot", "--out", tmp_path / "r")
    assert r.exit_code == 2 and "every sample has x = 2" in r.stderr, r.stderr


# -- issue 18: every file univ writes follows the umask -------------------------------------------------------------
@pytest.mark.render
@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_a_rendered_file_follows_the_umask(tmp_path, mask, mode):
    from helpers import needs_manim

    if needs_manim.args[0]:
        pytest.skip("the video extra is not installed")
    import univ

    old = os.umask(mask)
    try:
        path = univ.render("title", resolution=(160, 90), frame_rate=2, out_dir=tmp_path, format="png", hold=0.5)
    finally:
        os.umask(old)
    assert path.is_file() and path.stat().st_mode & 0o777 == mode, oct(path.stat().st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left beside it
