"""Issue 15: neurons for ε, how good one hidden layer can be (lstsq heights, equalized knots, auto steepness), and a
sigmoid output refusing an f that touches 0 or 1 at a point the construction uses."""

import numpy as np
import pytest

import univ
from univ import ConfigError, ConstructConfig, DomainError, construct, measure, neurons_for, neurons_for_each, parse


# -- sigmoid output edge -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, method, n",
    [
        ("0.5 + 0.5 cos(2 pi (x - 1/6))", "bumps", 6),  # f = 1 at the first cell's centre, between check points
        ("0.5 - 0.5 cos(2 pi (x - 1/6))", "bumps", 6),  # f = 0 there: was clipped to σ⁻¹(1e-300) = −690.8
        ("(0.5 - 0.5 cos(2 pi (x - 1/6))) (0.6 + 0.3 y)", "towers", 17),  # 2D: 3 × 3 cells, centre x = 1/6
    ],
)
def test_sigmoid_output_refuses_f_touching_0_or_1_where_the_construction_looks(text, method, n):
    with pytest.raises(DomainError, match=r"strictly inside \(0, 1\).*--output-activation linear, or scale f into"):
        construct(text, n, method, output="sigmoid")


def test_sigmoid_output_still_builds_inside_0_1():
    net = construct("0.5 + 0.4 sin(6x)", 30, "steps", output="sigmoid")
    t = parse("0.5 + 0.4 sin(6x)")
    assert measure(net, t).max_error < 0.1


# -- config ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kw, match",
    [
        ({"steepness": "fast"}, "steepness"),
        ({"heights": "median"}, "heights"),
        ({"knots": "random"}, "knots"),
        ({"steepness": "auto", "weight": 50.0}, "leave weight unset"),
        ({"heights": "lstsq", "neurons": 100_000}, "lstsq"),
    ],
)
def test_bad_options_are_refused(kw, match):
    with pytest.raises(ConfigError, match=match):
        ConstructConfig(**kw)


@pytest.mark.parametrize("kw", [{"heights": "lstsq"}, {"steepness": "auto"}])
def test_one_d_options_are_refused_in_2d(kw):
    with pytest.raises(ConfigError, match="1D"):
        construct("x y", 26, "towers", **kw)


# -- how good one hidden layer can be --------------------------------------------------------------------------------
LSTSQ_CASES = [("sin(3x)", (0, 1)), ("sqrt(x)", (0, 1)), ("1/(1+25x^2)", (-1, 1)), ("exp(-x)", (0, 1))]


@pytest.mark.parametrize("text, domain", LSTSQ_CASES)
@pytest.mark.parametrize("method, n", [("steps", 32), ("bumps", 32), ("relu", 32), ("heaviside", 32)])
def test_lstsq_heights_never_worse_in_rmse_on_the_same_hidden_layer(text, domain, method, n):
    t = parse(text, domain=domain)
    nielsen, lstsq = construct(t, n, method), construct(t, n, method, heights="lstsq")
    assert np.array_equal(nielsen.hidden[0].w, lstsq.hidden[0].w) and np.array_equal(
        nielsen.hidden[0].b, lstsq.hidden[0].b
    )
    assert lstsq.info["heights"] == "lstsq" and nielsen.info["heights"] == "nielsen"
    assert measure(lstsq, t).rmse <= measure(nielsen, t).rmse


@pytest.mark.parametrize("method", ["relu", "steps", "bumps"])
def test_equalized_knots_beat_uniform_in_max_error_on_sqrt(method):
    t = parse("sqrt(x)")
    uniform = measure(construct(t, 64, method), t).max_error
    equal = measure(construct(t, 64, method, knots="equalized"), t).max_error
    adaptive = measure(construct(t, 64, method, knots="adaptive"), t).max_error
    assert equal < uniform / 3 and equal <= adaptive


def test_equalized_knots_make_the_cell_errors_nearly_equal():
    from univ.constructions.one_d import cell_errors, equalized_edges

    t = parse("sqrt(x)")
    e = cell_errors(t.evaluate, equalized_edges(t.evaluate, 0.0, 1.0, 32, 1), 1)
    assert e.max() < 1.3 * e.min()


def test_auto_steepness_is_recorded_and_no_worse_than_the_default():
    t = parse("1/(1+25x^2)", domain=(-1, 1))
    auto = construct(t, 40, "steps", steepness="auto")
    assert auto.info["steepness_choice"] == "auto" and auto.info["steepness_trials"]
    assert isinstance(auto.info["steepness"], float)
    assert measure(auto, t).max_error <= measure(construct(t, 40, "steps"), t).max_error * 1.001
    assert construct(t, 40, "steps").info["steepness_choice"] == "fixed"
    assert construct(t, 40, "relu", steepness="auto").info["steepness"] is None  # nothing to choose


# -- neurons for ε ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, eps, method, kw",
    [
        ("sin(3x)", 1e-3, "relu", {}),
        ("sin(3x)", 2e-2, "bumps", {}),
        ("sin(3x)", 2e-2, "steps", {}),
        ("sqrt(x)", 5e-3, "relu", {"knots": "equalized"}),
    ],
)
def test_neurons_for_returns_the_smallest_count(text, eps, method, kw):
    r = neurons_for(text, eps, method=method, **kw)
    assert r.reached and r.max_error <= eps and r.network.n_hidden == r.neurons
    smaller = r.neurons - (2 if method == "bumps" else 1)  # the next valid count down
    assert dict(r.tried)[smaller] > eps  # it was tried, and it failed
    t = parse(text)
    assert measure(construct(t, smaller, method, **kw), t).max_error > eps


def test_neurons_for_in_2d_searches_the_valid_counts():
    r = neurons_for("x y", 0.2, method="towers")
    m = r.network.info["cells"][0]
    assert r.reached and r.neurons == (m + 1) ** 2 + 1
    assert dict(r.tried)[m**2 + 1] > 0.2  # m − 1 cells per side: the next valid count down


def test_neurons_for_says_when_a_jump_puts_eps_out_of_reach():
    r = neurons_for("heaviside(x - 0.3)", 0.1, method="steps")
    assert not r.reached and "half a jump" in r.reason and "0.5 > ε = 0.1" in r.reason and "x = 0.3" in r.reason
    assert max(n for n, _ in r.tried) == 64 and r.max_error == min(e for _, e in r.tried)
    assert r.report.max_error >= 0.5


def test_neurons_for_says_when_a_fixed_weight_stops_the_error_falling():
    r = neurons_for("sin(3x)", 1e-3, method="steps", weight=50.0)
    assert not r.reached and "stopped falling" in r.reason and "windows of failure" in r.reason
    assert r.max_error == min(e for _, e in r.tried)


def test_neurons_for_says_when_the_limit_is_spent():
    r = neurons_for("sin(3x)", 1e-4, method="steps", max_neurons=64)
    assert not r.reached and "limit" in r.reason and max(n for n, _ in r.tried) == 64


def test_neurons_for_each_side_by_side():
    out = neurons_for_each("sin(3x)", 1e-2, methods=("steps", "relu"), steepness=10.0)
    assert set(out) == {"steps", "relu"} and out["relu"].neurons < out["steps"].neurons
    assert all(r.reached for r in out.values())


def test_neurons_for_checks_its_arguments():
    with pytest.raises(ConfigError):
        neurons_for("sin(3x)", 0.0)
    with pytest.raises(ConfigError):
        neurons_for("sin(3x)", 0.1, method="sawtooth")
    assert univ.NeuronSearch is not None


# -- the CLI ---------------------------------------------------------------------------------------------------------
@pytest.fixture
def run_json(cli):
    """``univ *args`` through the shared ``cli`` fixture, with its JSON when --json was asked for."""
    import json

    def run(*args):
        r = cli(*args)
        return r, (json.loads(r.stdout) if "--json" in args and r.exit_code == 0 else None)

    return run


def test_cli_approx_max_error_finds_the_count_and_shows_the_search(run_json, tmp_path):
    r, d = run_json(
        "approx", "sin(3x)", "--max-error", "1e-3", "-m", "relu", "--no-plot", "--json", "--out", str(tmp_path / "a")
    )
    assert r.exit_code == 0, r.output
    assert d["neurons"] == 34 and d["search"]["reached"]
    assert dict(d["search"]["tried"])[33] > 1e-3 >= dict(d["search"]["tried"])[34]
    r, _ = run_json(
        "approx", "heaviside(x - 0.3)", "--max-error", "0.1", "-m", "steps", "--no-plot", "--out", str(tmp_path / "b")
    )
    assert r.exit_code == 0 and "not reached" in r.output and "half a jump" in r.output and "note" in r.output


def test_cli_approx_options_of_issue_15(run_json, tmp_path):
    r, d = run_json(
        "approx",
        "sqrt(x)",
        "-n",
        "32",
        "-m",
        "steps",
        "--knots",
        "equalized",
        "--heights",
        "lstsq",
        "--steepness",
        "auto",
        "--no-plot",
        "--json",
        "--out",
        str(tmp_path / "a"),
    )
    assert r.exit_code == 0, r.output
    assert d["knots"] == "equalized" and d["heights"] == "lstsq" and d["steepness_choice"] == "auto"
    r, _ = run_json("approx", "sin(3x)", "--steepness", "fast", "--no-plot", "--out", str(tmp_path / "b"))
    assert r.exit_code == 2 and "neither a number nor auto" in r.output


def test_cli_sweep_max_error_side_by_side(run_json, tmp_path):
    r, d = run_json(
        "sweep", "sin(3x)", "--max-error", "1e-2", "--methods", "steps,relu", "--json", "--out", str(tmp_path / "s")
    )
    assert r.exit_code == 0, r.output
    found = d["neurons_for"]
    assert found["relu"]["neurons"] == 11 and found["steps"]["neurons"] == 150
