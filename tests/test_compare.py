"""Comparisons and sweeps as a library and as `univ fit / compare / sweep`: the table, the JSON, the files,
the parameter budgets, the convergence rates, and one clear line for every bad input."""

import json
import re

import numpy as np
import pytest

from univ import ConfigError, Network, compare, measure, parse, sweep
from univ.comparison import ROW_KEYS, baseline_parameters, fit_polynomial, fit_spline

FAST = ["--epochs", "40"]


# -- library ---------------------------------------------------------------------------------------------
def test_every_one_hidden_layer_model_and_baseline_has_3n_plus_1_parameters():
    c = compare("sin(3x)", 10, depths=(1,), epochs=30, methods=("bumps", "steps", "relu"))
    assert [r["model"] for r in c.rows] == ["fit 1x10", "bumps", "steps", "relu", "poly", "spline"]
    assert {r["parameters"] for r in c.rows} == {31} == {baseline_parameters(10)}
    assert all(tuple(r) == ROW_KEYS for r in c.rows)
    assert [m.name for m in c.models] == [r["model"] for r in c.rows]
    for m in c.models:  # each row is the measure of the callable the figure draws
        assert measure(m.predict, c.target).max_error == pytest.approx(m.row["max_error"], rel=1e-12)


def test_trained_nets_share_the_neuron_budget_over_their_layers():
    c = compare("sin(3x)", 10, depths=(1, 2, 3), epochs=20, methods=("bumps",), baselines=False)
    fits = [m for m in c.models if m.kind == "fit"]
    assert [m.network.hidden_sizes for m in fits] == [[10], [5, 5], [3, 3, 3]]
    assert [r["hidden_neurons"] for r in c.rows] == [10, 10, 9, 10]
    assert [r["hidden_layers"] for r in c.rows] == [[10], [5, 5], [3, 3, 3], [10]]  # widths, as in every report
    for m in fits:
        assert len(m.history.loss) == 21 and m.row["parameters"] == m.network.n_params
    odd = compare("sin(3x)", 7, depths=(), methods=("bumps",), baselines=False)
    assert odd.rows[0]["hidden_neurons"] == 6  # bumps come in pairs


@pytest.mark.parametrize("text, n", [("x^3 - x", 1), ("2 + x", 1), ("exp(x)", 8)])
def test_baselines_are_least_squares_fits_with_that_many_coefficients(text, n):
    target = parse(text)
    p = baseline_parameters(n)
    poly, spline = fit_polynomial(target, p), fit_spline(target, p)
    assert len(poly.coef) == p and len(spline.c) == p
    if n == 1:  # a cubic is in both spaces: reproduced to rounding
        assert measure(poly, target).max_error < 1e-12 and measure(spline, target).max_error < 1e-12
    else:
        assert measure(poly, target).max_error < 1e-12 and measure(spline, target).max_error < 1e-6


@pytest.mark.parametrize(
    "args, kw, match",
    [
        (("sin(3x)", 0), {}, "neurons .* got 0"),
        (("sin(3x)", 12), dict(depths=(0,)), "depths .* got 0"),
        (("sin(3x)", 2), dict(depths=(3,)), "depth 3 needs at least 3 neurons"),
        (("sin(3x)", 12), dict(methods=("magic",)), "unknown method 'magic'"),
        (("sin(3x)", 1), dict(depths=(), methods=("bumps",)), "bumps"),
        (("x y", 12), {}, "variables x, y"),
    ],
)
def test_compare_refuses_bad_budgets(args, kw, match):
    with pytest.raises(ConfigError, match=match):
        compare(*args, **kw)


def test_sweep_measures_the_promised_convergence_rates():
    s = sweep("sin(3x)", [16, 32, 64, 128], methods=("steps", "relu", "bumps"))
    assert s.slopes["relu"] == pytest.approx(-2.0, abs=0.2)
    assert s.slopes["steps"] == pytest.approx(-1.0, abs=0.2)
    assert s.slopes["bumps"] == pytest.approx(-1.0, abs=0.2)
    for m in s.methods:
        assert np.all(np.diff(s.max_error[m]) < 0) and len(s.rmse[m]) == 4


def test_sweep_can_train_and_fit_baselines():
    s = sweep("sin(3x)", [2, 4, 8], methods=("fit", "spline"), epochs=100)
    assert max(s.max_error["fit"]) < 0.05  # measured: 0.003 to 0.004 after 100 L-BFGS iterations
    assert s.slopes["spline"] < -3  # a cubic spline converges like h⁴
    json.dumps(s.to_dict(), allow_nan=False)


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(neurons=[4, 7], methods=("bumps",)), "even"),
        (dict(neurons=[4, 4]), "repeat"),
        (dict(neurons=[]), "at least one"),
        (dict(neurons=[0, 4]), "got 0"),
        (dict(methods=("steps", "magic")), "unknown method 'magic'"),
    ],
)
def test_sweep_refuses_bad_input(kw, match):
    with pytest.raises(ConfigError, match=match):
        sweep("sin(3x)", **kw)


# -- univ fit --------------------------------------------------------------------------------------------
def test_fit_writes_report_network_and_figure(cli, tmp_path):
    out = tmp_path / "run"
    r = cli("fit", "sin(3x)", "--hidden", "8", "--optimizer", "lbfgs", "--epochs", "300", "--out", str(out))
    assert r.exit_code == 0, r.output
    for word in ("sin(3x)", "8 tanh neurons", "lbfgs", "final loss", "max error", "RMSE", "figure.png"):
        assert word in r.stdout
    assert sorted(p.name for p in out.iterdir()) == ["figure.png", "network.json", "report.json"]
    assert (out / "figure.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = json.loads((out / "report.json").read_text())
    net = Network.from_json((out / "network.json").read_text())
    assert net.info["method"] == "fit" and net.hidden_sizes == [8]
    assert measure(net, parse("sin(3x)")).max_error == pytest.approx(report["max_error"], rel=1e-12)
    assert report["max_error"] < 1e-3


FIT_KEYS = (
    "expression",
    "dimension",
    "domain",
    "hidden_layers",
    "activation",
    "optimizer",
    "lr",
    "epochs",
    "batch_size",
    "dropout",
    "init",
    "seed",
    "parameters",
    "final_loss",
    "max_error",
    "rmse",
    "seconds",
    "files",
)


def test_fit_json_is_one_object_and_the_seven_hyperparameters_arrive(cli, tmp_path):
    r = cli(
        "fit",
        "abs(x)",
        "--domain",
        "-1",
        "1",
        "--layers",
        "2",
        "--width",
        "6",
        "--activation",
        "relu",
        "--lr",
        "0.02",
        "--epochs",
        "30",
        "--batch-size",
        "100",
        "--dropout",
        "0.1",
        "--seed",
        "3",
        "--json",
        "--no-plot",
        "--out",
        str(tmp_path),
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)  # fails if anything else was printed
    assert r.stderr == ""  # no progress bar with --json
    for key in FIT_KEYS:
        assert key in data, key
    assert data["hidden_layers"] == [6, 6] and data["activation"] == "relu" and data["lr"] == 0.02
    assert data["epochs"] == 30 and data["batch_size"] == 100 and data["dropout"] == 0.1 and data["seed"] == 3
    assert data["init"] == "he" and data["domain"] == [[-1.0, 1.0]] and data["parameters"] == 2 * 6 + 7 * 6 + 7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["network.json", "report.json"]


def test_fit_in_two_dimensions(cli, tmp_path):
    r = cli("fit", "x y", "--hidden", "6", "--epochs", "20", "--points", "100", "--json", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["dimension"] == 2 and "figure" in data["files"] and (tmp_path / "figure.png").exists()


# -- univ compare / sweep --------------------------------------------------------------------------------
def test_compare_json_is_exactly_rows_with_the_promised_keys(cli, tmp_path):
    r = cli(
        "compare", "sin(3x)", "--neurons", "6", "--depths", "1,2", *FAST, "--json", "--no-plot", "--out", str(tmp_path)
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["command"] == "compare" and data["neurons"] == 6 and data["depths"] == [1, 2]
    assert [row["model"] for row in data["rows"]] == ["fit 1x6", "fit 2x3", "bumps", "steps", "relu", "poly", "spline"]
    assert all(list(row) == list(ROW_KEYS) for row in data["rows"])
    assert json.loads((tmp_path / "report.json").read_text())["rows"] == data["rows"]
    assert not (tmp_path / "figure.png").exists()


def test_compare_prints_a_table_and_draws_a_figure(cli, tmp_path):
    r = cli(
        "compare",
        "sin(3x)",
        "-n",
        "4",
        "--depths",
        "1",
        "--methods",
        "relu",
        "--no-baselines",
        *FAST,
        "--out",
        str(tmp_path),
    )
    assert r.exit_code == 0, r.output
    header = r.stdout.splitlines()[1]
    for col in ("model", "hidden layers", "hidden neurons", "parameters", "max error", "RMSE", "seconds"):
        assert col in header
    assert "fit 1x4" in r.stdout and "relu" in r.stdout
    assert (tmp_path / "figure.png").read_bytes()[:4] == b"\x89PNG"


def test_sweep_prints_slopes_and_json_carries_them(cli, tmp_path):
    r = cli(
        "sweep",
        "sin(3x)",
        "--neurons",
        "16,32,64",
        "--methods",
        "steps,relu",
        "--json",
        "--no-plot",
        "--out",
        str(tmp_path),
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["neurons"] == [16, 32, 64] and set(data["slopes"]) == {"steps", "relu"}
    assert data["slopes"]["relu"] == pytest.approx(-2.0, abs=0.2)
    r = cli("sweep", "sin(3x)", "-n", "8,16", "--methods", "relu", "--out", str(tmp_path))
    assert r.exit_code == 0 and "slope" in r.stdout and re.search(r"relu .* -\d\.\d\d", r.stdout)
    assert (tmp_path / "figure.png").exists()


@pytest.mark.parametrize(
    "args, match",
    [
        (["fit", "sin(3x)", "--lr", "-1"], r"lr .*-1"),
        (["fit", "sin(3x)", "--lr", "0"], "lr"),
        (["fit", "sin(3x)", "--epochs", "0"], "epochs"),
        (["fit", "sin(3x)", "--epochs", "2000000"], "epochs"),
        (["fit", "sin(3x)", "--dropout", "1"], "dropout"),
        (["fit", "sin(3x)", "--batch-size", "0"], "batch.size"),
        (["fit", "sin(3x)", "--hidden", "0"], "hidden"),
        (["fit", "sin(3x)", "--hidden", "16,x"], "'x' is not a whole number"),
        (["fit", "sin(3x)", "--hidden", "8", "--layers", "2"], "either --hidden or --layers"),
        (["fit", "sin(3x)", "--layers", "0"], "layers"),
        (["fit", "sin(3x)", "--activation", "softmax"], "softmax"),
        (["fit", "sin(3x)", "--optimizer", "lbfgs", "--lr", "0.1"], "line search"),
        (["fit", "sin(", "--epochs", "5"], "ends too early|missing"),
        (["fit", "1/x", "--domain", "-1", "1"], "not finite at x = 0"),
        (
            ["fit", "sin(3x)", "--optimizer", "sgd", "--lr", "1000", "--hidden", "8,8", "--epochs", "100"],
            "diverged at epoch",
        ),
        (["compare", "sin(3x)", "--neurons", "0"], "neurons"),
        (["compare", "sin(3x)", "--depths", "0"], "depths"),
        (["compare", "sin(3x)", "--depths", "1,two"], "'two' is not a whole number"),
        (["compare", "sin(3x)", "--methods", "magic"], "magic"),
        (["compare", "sin(3x)", "--neurons", "2", "--depths", "3"], "depth 3 needs at least 3"),
        (["compare", "x y"], "variables x, y"),
        (["compare", "sin(", "-n", "4"], "ends too early|missing"),
        (["sweep", "sin(3x)", "--neurons", "0"], "neurons"),
        (["sweep", "sin(3x)", "--neurons", "4,7"], "even"),
        (["sweep", "sin(3x)", "--methods", "steps,magic"], "magic"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_no_files(cli, tmp_path, args, match):
    out = tmp_path / "run"
    r = cli(*[*args, "--out", str(out)])
    assert r.exit_code == 2, r.output
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("univ: "), r.stderr
    assert re.search(match, lines[0]), lines[0]
    assert r.stdout == "" and not out.exists()


@pytest.mark.parametrize(
    "command, example",
    [("fit", 'univ fit "sin(3x)"'), ("compare", 'univ compare "sin(3x)"'), ("sweep", 'univ sweep "sin(3x)"')],
)
def test_help_texts_carry_worked_examples(cli, command, example):
    r = cli(command, "--help")
    assert r.exit_code == 0 and example in r.stdout and "Examples" in r.stdout


def test_help_names_the_seven_hyperparameters(cli):
    text = cli("fit", "--help").stdout
    for option in ("--lr", "--epochs", "--batch-size", "--layers", "--width", "--activation", "--dropout"):
        assert option in text


# -- hardening: every size checked before work, baselines bounded, warnings kept off the screen ----------
import resource  # noqa: E402
import warnings  # noqa: E402
from contextlib import contextmanager  # noqa: E402

import univ.training  # noqa: E402
from univ import limits  # noqa: E402
from univ.comparison import Comparison, Sweep  # noqa: E402

CAP_NEURONS = (limits.MAX_BASELINE_COEFFICIENTS - 1) // 3  # the largest budget whose 3N + 1 coefficients fit


@contextmanager
def address_space(extra_gb: float):
    """Cap this process's address space at what it maps now plus ``extra_gb``: a runaway allocation fails fast."""
    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * resource.getpagesize()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (mapped + int(extra_gb * 2**30), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.parametrize("method", ["poly", "spline"])
def test_a_sweep_past_the_baselines_cap_is_refused_up_front_naming_it(method):
    for n in (CAP_NEURONS + 1, 100_000):  # 3,334: a spline ValueError before; 100,000: a 22 GiB poly allocation
        with address_space(1.0), pytest.raises(ConfigError, match=rf"{method}.*{limits.MAX_BASELINE_COEFFICIENTS:,}"):
            sweep("sin(3x)", [4, n], methods=("relu", method))


def test_baselines_at_their_cap_are_finite_and_accurate():
    s = sweep("sin(3x)", [CAP_NEURONS], methods=("poly", "spline"))  # at 3,333 the spline measured "not finite"
    assert s.max_error["poly"][0] < 1e-12 and s.max_error["spline"][0] < 1e-12


@pytest.mark.parametrize("text, n", [("abs(x - 0.3)", 300), ("sin(3x)", 400)])
def test_no_warning_reaches_the_screen_from_a_high_degree_polynomial(text, n):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's RankWarning from about N = 400 used to leak onto stderr
        s = sweep(text, [n], methods=("poly",))
    assert s.notes == []
    assert 0 < s.max_error["poly"][0] < 1e-2


def test_compare_caps_its_baselines_with_a_note():
    with address_space(1.0):
        c = compare("abs(x - 0.3)", 5000, depths=(), methods=(), baselines=True)
    assert [r["model"] for r in c.rows] == ["poly", "spline"]
    assert [r["parameters"] for r in c.rows] == [limits.MAX_BASELINE_COEFFICIENTS] * 2
    assert len(c.notes) == 1 and "10,001 coefficients" in c.notes[0] and "15,001" in c.notes[0]
    assert c.to_dict()["notes"] == c.notes
    json.dumps(c.to_dict(), allow_nan=False)


def test_a_warning_inside_a_baseline_becomes_one_note(monkeypatch):
    import univ.comparison as comparison

    real = comparison.fit_polynomial

    def noisy(target, coefficients):
        warnings.warn("the fit may be poorly conditioned", RuntimeWarning, stacklevel=1)
        warnings.warn("the fit may be poorly conditioned", RuntimeWarning, stacklevel=1)
        return real(target, coefficients)

    monkeypatch.setitem(comparison.BASELINE_FITS, "poly", noisy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sweep("sin(3x)", [4, 8], methods=("poly",))
        c = compare("sin(3x)", 4, depths=(), methods=())
    for notes in (s.notes, c.notes):
        assert len(notes) == 1 and notes[0].startswith("poly") and "poorly conditioned" in notes[0]


class Spy:
    def __init__(self, real):
        self.real, self.calls = real, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.real(*args, **kwargs)


@pytest.fixture
def spies(monkeypatch):
    import univ.constructions as constructions

    spy = {"fit": Spy(univ.training.fit), "construct": Spy(constructions.construct)}
    monkeypatch.setattr(univ.training, "fit", spy["fit"])
    monkeypatch.setattr(constructions, "construct", spy["construct"])
    return spy


@pytest.mark.parametrize(
    "call, match",
    [
        # 8000 trains for minutes at depth 1, then depth 2's 4000 x 4000 layers exceed the parameter limit
        (lambda: compare("sin(3x)", 8000, depths=(1, 2), epochs=1), "parameters"),
        (lambda: compare("sin(3x)", 60, depths=(1, 2), epochs=1, points=100_001), "points"),
        (lambda: compare("sin(3x)", 60, depths=(1,), epochs=1, optimizer="lbfgs", lr=0.1), "line search"),
        (lambda: sweep("sin(3x)", [10, 30_000], methods=("steps", "fit"), epochs=1), "too large"),
        (lambda: sweep("sin(3x)", [10, 20], methods=("steps", "fit"), epochs=0), "epochs"),
        (lambda: sweep("sin(3x)", [10, 20], methods=("steps", "fit"), activation="softmax"), "softmax"),
    ],
)
def test_every_size_is_checked_before_any_model_is_made(spies, call, match):
    with pytest.raises(ConfigError, match=match):
        call()
    assert spies["fit"].calls == 0 and spies["construct"].calls == 0


def test_the_spies_see_real_work(spies):
    compare("sin(3x)", 4, depths=(1,), epochs=2, methods=("relu",), baselines=False)
    assert spies["fit"].calls == 1 and spies["construct"].calls == 1


# -- notebook display ---------------------------------------------------------------------------------------
def test_comparison_and_sweep_show_as_tables_in_a_notebook():
    c = compare("sin(3x)", 6, depths=(1,), epochs=5, methods=("relu",))
    html = c._repr_html_()
    assert html.startswith("<table") and html.count("<tr>") == 1 + len(c.rows)
    for r in c.rows:
        assert f"<td>{r['model']}</td>" in html
    assert "sin(3x)" in repr(c) and "4 models" in repr(c) and len(repr(c)) < 200

    s = sweep("heaviside(x - 1/3)", [8, 16, 32], methods=("steps", "relu"))
    html = s._repr_html_()
    assert html.startswith("<table") and html.count("<tr>") == 1 + len(s.methods)
    assert "slope" in html and all(f"<th>{n}</th>" in html for n in s.neurons)
    assert "<td>steps</td>" in html and "heaviside(x - 1/3)" in html
    assert repr(s).startswith("Sweep(") and "heaviside(x - 1/3)" in repr(s) and len(repr(s)) < 200
    assert isinstance(c, Comparison) and isinstance(s, Sweep)


def test_the_notebook_table_escapes_the_text_it_shows():
    from dataclasses import replace
    from types import SimpleNamespace

    s = sweep("sin(3x)", [4, 8], methods=("relu",))
    odd = replace(s, target=SimpleNamespace(text="<lambda> & co"))
    assert "<lambda>" not in odd._repr_html_() and "&lt;lambda&gt; &amp; co" in odd._repr_html_()
