"""The proof's bound beside the measurement: never below the certified max error, and not vacuous."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from univ import Target, construct, measure, parse
from univ.bounds import Bound, bound, neurons_for_bound, sawtooth_floor
from univ.constructions.deep import sawtooth, shallow_relu_lstsq
from univ.errors import UnivError

SMOOTH = [
    ("sin(3x)", (0, 1)),
    ("exp(x)", (0, 1)),
    ("x^2", (-1, 1)),
    ("0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05 cos(50x)", (0, 1)),  # Nielsen's challenge
    ("1/(1 + 25x^2)", (-1, 1)),
    ("tanh(4x)", (-1, 1)),
]
LIPSCHITZ = [("abs(x - 0.3)", (0, 1)), ("max(x, 0.5 - x)", (0, 1)), ("relu(sin(6x))", (0, 1))]
METHODS_1D = ["bumps", "steps", "relu", "heaviside"]


def _slack(error: float) -> float:
    return error * (1 - 1e-9) - 1e-13  # the measurement's own rounding


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=st.sampled_from(SMOOTH + LIPSCHITZ),
    method=st.sampled_from(METHODS_1D),
    knots=st.sampled_from(["uniform", "adaptive", "equalized"]),
    heights=st.sampled_from(["nielsen", "lstsq"]),
    k=st.integers(2, 160),
)
def test_bound_is_never_below_the_certified_max_error(case, method, knots, heights, k):
    text, domain = case
    target = parse(text, domain=domain)
    neurons = 2 * k if method == "bumps" else k
    try:
        net = construct(target, neurons, method=method, knots=knots, heights=heights)
    except UnivError:  # adaptive halving can run out of floating point on a kink: not a bound's business
        assume(False)
    b = bound(net, target)
    report = measure(net, target)
    assert report.certified
    assert b.value is not None, b.reason
    assert math.isfinite(b.value) and not b.estimate
    assert b.value >= _slack(report.max_error), (b, report.max_error)
    assert b.value <= sum(b.terms.values()) * (1 + 1e-12) + 1e-15
    if (text, domain) in SMOOTH and neurons >= 16 and heights == "nielsen":
        assert b.value <= 10 * report.max_error, (b.value, report.max_error)


def test_a_fit_nearly_exact_still_has_its_rounding_bounded():
    """relu with least-squares heights on a kink: errors near 1e-10, where the float sum's rounding (1e-13) shows;
    the bound includes that rounding (found by the property test at 7.1936e-10 against a measured 7.1946e-10)."""
    target = parse("abs(x - 0.3)")
    for k in range(2, 160, 3):
        net = construct(target, k, method="relu", heights="lstsq")
        b = bound(net, target)
        assert b.terms["rounding"] > 0
        assert b.value >= measure(net, target).max_error


@pytest.mark.parametrize("method", METHODS_1D)
@pytest.mark.parametrize("text,domain", SMOOTH[:4])
def test_smooth_targets_are_within_ten_times_for_uniform_knots(text, domain, method):
    target = parse(text, domain=domain)
    for n in (16, 64, 256):
        net = construct(target, n, method=method)
        b, err = bound(net, target).value, measure(net, target).max_error
        assert _slack(err) <= b <= 10 * err


def test_steepness_and_fixed_weight_are_read_from_the_net():
    """A shallow step leaves a wide window: the bound must grow with it, and still hold."""
    target = parse("sin(3x)")
    windows = []
    for steepness in (1.0, 3.0, 10.0, 100.0):
        net = construct(target, 40, method="steps", steepness=steepness)
        b = bound(net, target)
        windows.append(b.terms["window"])
        assert b.value >= _slack(measure(net, target).max_error)
    assert all(w1 > w2 for w1, w2 in zip(windows, windows[1:]))  # steeper steps, narrower windows
    fixed = construct(target, 200, method="bumps", weight=30.0)  # windows of failure that no longer shrink
    assert bound(fixed, target).value >= _slack(measure(fixed, target).max_error)


def test_staircase_term_is_l_h_over_2_for_midpoint_heights():
    """For f = 2x the staircase term is exactly L·h/2 = 2·(1/N+1)/2 (steps: N + 1 cells)."""
    target = parse("2x")
    for n in (9, 99):
        b = bound(construct(target, n, method="heaviside"), target)
        assert b.terms["staircase"] == pytest.approx(1.0 / (n + 1), rel=1e-9)
        assert b.terms["window"] == 0.0


def test_relu_term_is_h2_m_over_8():
    """x² on [0, 1]: f″ = 2, so h²·2/8 with h = 1/N, and the interpolant attains it at every cell's middle."""
    target = parse("x^2")
    for n in (4, 50):
        net = construct(target, n, method="relu")
        b = bound(net, target)
        assert b.terms["interpolant"] == pytest.approx(1 / (4 * n * n), rel=1e-9)
        assert measure(net, target).max_error == pytest.approx(b.value, rel=1e-6)


def test_lstsq_heights_say_how_they_relate_to_the_interpolant():
    target = parse("exp(x)")
    b = bound(construct(target, 30, method="relu", heights="lstsq"), target)
    assert "at most the interpolant" in b.method and "heights_offset" in b.terms
    assert b.terms["interpolant"] == pytest.approx(bound(construct(target, 30, method="relu"), target).value)


def test_sigmoid_output_bound_holds_on_f():
    target = parse("0.5 + 0.4 sin(6x)")
    for method in ("steps", "bumps", "relu"):
        net = construct(target, 40, method=method, output="sigmoid")
        b = bound(net, target)
        assert "sigmoid output" in b.method
        assert _slack(measure(net, target).max_error) <= b.value <= 10 * measure(net, target).max_error


@pytest.mark.parametrize(
    "text,domain,why",
    [
        ("heaviside(x - 0.5)", (0, 1), "jumps"),
        ("sign(x - 0.25)", (0, 1), "jumps"),
        ("floor(3x)", (0, 1), "jumps"),
        ("sqrt(x)", (0, 1), "unbounded"),
        ("sqrt(abs(x - 0.4))", (0, 1), "unbounded"),
        ("x sin(1/x)", (-1, 1), "unbounded"),
    ],
)
def test_no_invented_number_where_a_constant_cannot_be_bounded(text, domain, why):
    target = parse(text, domain=domain)
    for method in ("bumps", "relu"):
        b = bound(construct(target, 40, method=method), target)
        assert b.value is None and why in b.reason and b.terms == {}


def test_data_targets_python_functions_and_trained_nets_get_none():
    data = Target.from_samples(np.linspace(0, 1, 30), np.linspace(0, 1, 30) ** 2)
    assert "data target" in bound(construct(data, 20, method="relu"), data).reason
    func = Target.from_function(np.sin, domain=(0, 3))
    assert "Python function" in bound(construct(func, 20), func).reason
    net = construct("sin(3x)", 20)
    net.info = {k: v for k, v in net.info.items() if k != "method"}
    assert bound(net, parse("sin(3x)")).value is None


def test_bound_to_dict_is_plain_json():
    import json

    d = bound(construct("sin(3x)", 20), parse("sin(3x)")).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert Bound(None, reason="x").to_dict()["value"] is None


# -- 2D ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,dom",
    [("sin(x)*cos(y)", (-3, 3)), ("exp(-(x^2+y^2))", (-2, 2)), ("x*y + 0.5", (0, 1))],
)
@pytest.mark.parametrize("method", ["towers", "relu"])
def test_2d_bounds_hold(text, dom, method):
    target = parse(text, domain=dom, ydomain=dom)
    for n in (50, 400):
        net = construct(target, n, method=method)
        b = bound(net, target)
        err = measure(net, target).max_error
        assert _slack(err) <= b.value <= 10 * err


def test_ridge_is_an_estimate_with_the_barron_slope():
    target = parse("exp(-(x^2+y^2))", domain=(-2, 2), ydomain=(-2, 2))
    values = [bound(construct(target, n, method="ridge"), target) for n in (100, 400)]
    assert all(v.estimate and "estimate" in v.method for v in values)
    assert values[1].value / values[0].value == pytest.approx(0.5)  # 1/√n
    assert values[0].terms["C_f"] > 0


def test_2d_kinks_get_none():
    target = parse("abs(x - y)")
    assert "kink" in bound(construct(target, 50, method="towers"), target).reason


# -- depth ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("layers", range(1, 8))
def test_depth_floor_holds_for_the_shallow_nets_univ_depth_builds(layers):
    target = sawtooth(layers)
    for units in sorted({2 * layers, 2 ** (layers - 1), max(1, 2**layers - 2), 2**layers}):
        net = shallow_relu_lstsq(target, units) if units < 2**layers else construct(target, units, method="relu")
        floor = sawtooth_floor(units, layers)
        assert measure(net, target).max_error >= floor - 1e-12


def test_depth_floor_counts_kinks():
    # a tent (k = 1) is matched by 1 kink; 2^k − 1 tips need that many kinks, half as many for ¼
    assert sawtooth_floor(0, 1) == 0.5 and sawtooth_floor(1, 1) == 0.0
    for k in range(2, 12):
        tips = 2**k - 1
        assert sawtooth_floor(tips, k) == 0.0
        assert sawtooth_floor(tips - 1, k) == 0.25
        assert sawtooth_floor((tips - 1) // 2, k) == 0.5


# -- the N the bound alone needs -----------------------------------------------------------------------------------
def test_neurons_for_bound_is_the_smallest_count_on_the_ladder():
    target = parse("sin(3x)")
    n, b = neurons_for_bound(target, 0.01, "relu")
    assert b.value <= 0.01
    assert bound(construct(target, n - 1, method="relu"), target).value > 0.01
    n2, _ = neurons_for_bound(target, 0.01, "bumps")
    assert n2 % 2 == 0 and bound(construct(target, n2 - 2, method="bumps"), target).value > 0.01
    none, why = neurons_for_bound(parse("sqrt(x)"), 0.01, "relu")
    assert none is None and why.value is None
