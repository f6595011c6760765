"""The 1D constructions: the error bounds and convergence rates the design promises."""

import numpy as np
import pytest

import univ
from univ import ConfigError, DomainError, construct, convergence_slope, measure, parse
from univ.constructions.one_d import adaptive_edges

SWEEP = [16, 32, 64, 128, 256, 512]


def errors_of(text, method, neurons, **kw):
    target = parse(text, domain=kw.pop("domain", None))
    rep = measure(construct(target, neurons, method=method, **kw), target)
    assert rep.points >= 10_001
    return rep


@pytest.mark.parametrize(
    "method, bound",
    [("steps", 0.08), ("bumps", 0.16), ("relu", 0.003)],
)
def test_sin3x_twenty_neurons_meets_bound(method, bound):
    rep = errors_of("sin(3x)", method, 20)
    assert rep.max_error <= bound
    assert rep.rmse < rep.max_error


def test_heaviside_is_the_ideal_step_function():
    rep = errors_of("sin(3x)", "heaviside", 20)
    # piecewise constant on 21 cells at the midpoints: |f'| ≤ 3, half a cell = 1/42
    assert rep.max_error <= 3 / 42 + 1e-9


@pytest.mark.parametrize("text, domain", [("sin(3x)", None), ("exp(-x^2)", (-2, 2)), ("1/(1+25x^2)", (-1, 1))])
@pytest.mark.parametrize("method, slope", [("steps", -1.0), ("bumps", -1.0), ("relu", -2.0)])
def test_convergence_rate(text, domain, method, slope):
    # bumps spend two neurons per cell, so 16 neurons is only 8 cells: still pre-asymptotic on the Runge function
    n = SWEEP[1:] if method == "bumps" else SWEEP
    rmse = [errors_of(text, method, k, domain=domain).rmse for k in n]
    assert np.all(np.diff(rmse) < 0), rmse
    assert abs(convergence_slope(n, rmse) - slope) <= 0.15, rmse


def test_fixed_weight_stalls_where_scaled_steepness_keeps_falling():
    # the windows of failure: with w fixed, the transitions stop shrinking and so does the error
    fixed = [errors_of("sin(3x)", "steps", k, weight=40.0).max_error for k in (64, 512)]
    scaled = [errors_of("sin(3x)", "steps", k).max_error for k in (64, 512)]
    assert scaled[1] < scaled[0] / 6
    assert fixed[1] > fixed[0] / 2


def test_adaptive_knots_cut_sqrt_error_twentyfold():
    uniform = errors_of("sqrt(x)", "relu", 64).max_error
    adaptive = errors_of("sqrt(x)", "relu", 64, knots="adaptive").max_error
    assert uniform == pytest.approx(0.25 / 8, rel=0.02)  # worst in the first cell: sqrt(h)/4, h = 1/64
    assert adaptive <= uniform / 20


def test_adaptive_steps_beat_uniform_on_a_steep_function():
    uniform = errors_of("tanh(40(x-0.5))", "steps", 32).max_error
    adaptive = errors_of("tanh(40(x-0.5))", "steps", 32, knots="adaptive").max_error
    assert adaptive < uniform / 2


def test_adaptive_edges_are_sorted_and_span_the_domain():
    e = adaptive_edges(np.sqrt, 0.0, 1.0, 50, degree=1)
    assert len(e) == 51 and e[0] == 0.0 and e[-1] == 1.0
    assert np.all(np.diff(e) > 0)
    assert e[1] < 1e-3  # crowded where sqrt bends hardest


# -- properties of the pieces -----------------------------------------------------------------------------
def test_a_single_bump_is_h_inside_and_zero_outside():
    net = construct("0.7", 2, method="bumps")
    inside = np.linspace(0, 1, 1001)
    assert np.max(np.abs(net(inside) - 0.7)) < 1e-4  # ends included: the outer steps sit outside
    assert np.max(np.abs(net(np.array([-3.0, -2.5, 3.5, 4.0])))) < 1e-4


def test_bump_pairs_have_opposite_output_weights():
    net = construct("sin(3x)", 10, method="bumps")
    w = net.output.w[:, 0]
    np.testing.assert_allclose(w[0::2], -w[1::2])
    mids = np.array(net.info["edges"])
    mids = 0.5 * (mids[:-1] + mids[1:])
    np.testing.assert_allclose(w[0::2], np.sin(3 * mids))


def test_steps_output_weights_are_the_jumps_and_bias_the_first_cell():
    net = construct("x^2", 8, method="steps")
    e = np.array(net.info["edges"])
    v = (0.5 * (e[:-1] + e[1:])) ** 2
    np.testing.assert_allclose(net.output.b, [v[0]])
    np.testing.assert_allclose(net.output.w[:, 0], np.diff(v))
    assert len(e) == 10 and np.all(net.hidden[0].b != 0)


def test_relu_interpolates_exactly_at_the_knots():
    target = parse("exp(x) sin(5x)", domain=(-1, 2))
    net = construct(target, 17, method="relu")
    k = np.array(net.info["edges"])
    np.testing.assert_allclose(net(k), target(k), atol=1e-12)
    mid = 0.5 * (k[:-1] + k[1:])  # and linear between them
    np.testing.assert_allclose(net(mid), 0.5 * (target(k[:-1]) + target(k[1:])), atol=1e-12)


def test_steepness_scales_with_cell_width():
    w20 = construct("sin(3x)", 20, method="steps", steepness=10).hidden[0].w
    w40 = construct("sin(3x)", 40, method="steps", steepness=10).hidden[0].w
    assert np.median(w40) / np.median(w20) == pytest.approx(41 / 21)


def test_sigmoid_output_uses_inverse_sigmoid():
    target = parse("0.5 + 0.4 sin(6x)")
    net = construct(target, 40, method="steps", output="sigmoid")
    assert net.output.activation == "sigmoid"
    assert measure(net, target).max_error < 0.05
    with pytest.raises(DomainError, match=r"strictly inside \(0, 1\)"):
        construct("sin(3x)", 20, output="sigmoid")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(neurons=21, method="bumps"), "even"),
        (dict(neurons=0), "from 1 to"),
        (dict(neurons=-4), "from 1 to"),
        (dict(neurons=10**9), "from 1 to"),
        (dict(neurons=2.5), "whole number"),
        (dict(neurons=20, method="magic"), "unknown method 'magic'"),
        (dict(neurons=20, steepness=-1.0), "steepness"),
        (dict(neurons=20, steepness=float("nan")), "steepness"),
        (dict(neurons=20, knots="random"), "unknown knots"),
        (dict(neurons=20, output="softmax"), "unknown output"),
        (dict(neurons=20, flavour="x"), "unknown option"),
    ],
)
def test_bad_configuration_names_the_value(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        construct("sin(3x)", **kwargs)


@pytest.mark.parametrize("text, domain", [("1/x", (-1, 1)), ("log(x-2)", None), ("sqrt(-1-x)", None)])
def test_not_finite_on_the_domain_is_refused(text, domain):
    with pytest.raises(DomainError):
        construct(text, 20, domain=domain)


def test_removable_singularity_is_approximated():
    rep = errors_of("x sin(1/x)", "relu", 200, domain=(-1, 1))
    assert np.isfinite(rep.max_error) and rep.rmse < 0.05


def test_public_api_is_exported():
    for name in ("construct", "parse", "measure", "Network", "Target", "UnivError", "METHODS"):
        assert hasattr(univ, name)
    assert set(univ.METHODS) >= {"bumps", "steps", "relu", "heaviside"}


# -- one rule for settings: an explicit keyword wins, a config supplies the rest, unknown keys are named ------------
@pytest.mark.parametrize(
    "kwargs, config, expect",
    [
        ({}, univ.ConstructConfig(neurons=50, method="relu"), (50, "relu")),  # was 20: the keyword default won
        ({"neurons": 30}, univ.ConstructConfig(neurons=50, method="relu"), (30, "relu")),
        ({"method": "steps"}, univ.ConstructConfig(neurons=50, method="relu"), (50, "steps")),
        ({}, None, (20, "bumps")),
    ],
)
def test_explicit_keyword_wins_config_supplies_the_rest(kwargs, config, expect):
    net = construct("sin(3x)", config=config, **kwargs)
    assert (net.n_hidden, net.info["method"]) == expect


def test_config_steepness_is_kept_unless_given():
    cfg = univ.ConstructConfig(neurons=10, method="steps", steepness=50.0)
    assert construct("sin(3x)", config=cfg).info["steepness"] == 50.0
    assert construct("sin(3x)", config=cfg, steepness=5.0).info["steepness"] == 5.0


def test_unknown_option_names_the_fields():
    with pytest.raises(ConfigError, match="steepness"):
        construct("sin(3x)", steepnes=3.0)


@pytest.mark.parametrize("option", ["steepness", "weight"])
@pytest.mark.parametrize("value", [5e-324, 1e-300, 0.0, -1.0, float("inf")])
def test_tiny_or_bad_steepness_and_weight_name_the_option_without_warnings(option, value, recwarn):
    with pytest.raises(ConfigError, match=option):
        construct("sin(3x)", neurons=10, method="steps", **{option: value})
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_2d_default_method_is_towers_unless_config_says_otherwise():
    assert construct("x*y", neurons=30).info["method"] == "towers"
    assert construct("x*y", config=univ.ConstructConfig(neurons=30, method="ridge")).info["method"] == "ridge"
    with pytest.raises(ConfigError, match="1D"):
        construct("x*y", neurons=30, method="bumps")


def test_registry_lists_each_method_once_per_dimension():
    from univ.constructions import names

    assert names(1) == ("bumps", "steps", "relu", "heaviside")
    assert set(names(2)) == {"towers", "ridge", "relu"}
    assert univ.METHODS["relu"].dimensions == (1, 2)


def test_auto_steepness_measures_every_candidate_and_keeps_the_best():
    # every trial is a real measurement (a candidate the measuring code refused was once silently infinite, and
    # auto then picked the first steepness scanned)
    target = univ.parse("1/(1+25x^2)", domain=(-1, 1))
    net = construct(target, 40, "steps", steepness="auto")
    trials = net.info["steepness_trials"]
    errors = [e for _, e in trials]
    assert len(trials) > 9 and all(np.isfinite(errors))
    assert net.info["steepness"] == min(trials, key=lambda t: t[1])[0]
    fixed = measure(construct(target, 40, "steps"), target).max_error
    assert measure(net, target).max_error <= fixed * 1.001
