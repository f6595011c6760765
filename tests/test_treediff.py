"""Derivatives of the parse tree (univ.treediff), against independent references: sympy's ``diff`` evaluated by
sympy at 40 digits on generated expressions, and finite differences taken by mpmath at 50 digits on every function
of the grammar; kinks found on the tree; the bound's path never needs sympy."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_parse_properties import expressions

from univ import parse
from univ.derivatives import break_arguments, formula, numeric
from univ.grammar import FUNCTIONS
from univ.treediff import ORDER, derivative, partials

REL = 1e-9


def _point_arrays(point, dims):
    return tuple(np.array([v]) for v in point[:dims])


def _keys(dims):
    return [(i,) for i in range(1, ORDER + 1)] if dims == 1 else [
        (i, j) for i in range(ORDER + 1) for j in range(ORDER + 1 - i) if 0 < i + j
    ]  # fmt: skip


# -- the reference: sympy's derivatives, evaluated by sympy ----------------------------------------------------------
def _sympy_partial(t, key, point):
    """sympy's partial derivative of the target at the point, a real float, or None where sympy has no real finite
    value (a complex power, zoo, an unevaluated Derivative of floor)."""
    import sympy as sp

    symbols = [sp.Symbol(v, real=True) for v in t.variables]
    d = t.expr
    try:
        for s, k in zip(symbols, key):
            if k:
                d = sp.diff(d, s, k)
        d = d.xreplace({s: sp.Float(v, 40) for s, v in zip(symbols, point)}).doit()
        if d.has(sp.Derivative, sp.Subs):
            return None
        value = complex(d.evalf(40))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not (math.isfinite(value.real) and math.isfinite(value.imag)) or abs(value.imag) > 1e-12 * max(1, abs(value)):
        return None
    return value.real


def _smooth_at(t, point) -> bool:
    """Whether f is real and continuous near the point, no kink's switch (abs, max, floor, ...) passes through it
    and no part of f is singular there (0/(1/x) at 0): only there is a derivative defined to compare."""
    x = np.array(point[: t.dimension], dtype=float)
    with np.errstate(all="ignore"):
        near = np.array([t(*(np.array([v + shift]) for v in x))[0] for shift in (0.0, 1e-6, -1e-6)])
        if not np.all(np.isfinite(near)) or np.max(np.abs(near - near[0])) > 1e-3:  # undefined, or a jump (0^x)
            return False
        for kind, arg in break_arguments(t.expression.tree, singular=True):  # a divisor or log's argument 0 too
            v = float(numeric(arg, t.variables)(*(np.array([v]) for v in x))[0])
            if not math.isfinite(v) or (v == 0 if kind == "zero" else v == round(v)):
                return False
    return True


POINT = st.floats(-2.0, 2.0, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-3)


@settings(
    max_examples=400,
    deadline=timedelta(seconds=20),
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
@given(expressions(), POINT, POINT)
def test_generated_expressions_differentiate_as_sympy_does(case, x, y):
    _, text = case
    t = parse(text)
    point = (x, y)[: t.dimension]
    if not _smooth_at(t, point):
        return
    # the point and its neighbours a few ulps away, one per column: how much rounding alone moves each derivative
    nudged = [np.array([v, v + 1e-13 * max(1.0, abs(v)), v - 1e-13 * max(1.0, abs(v))]) for v in point]
    got = partials(t.expression.tree, t.variables, tuple(nudged))
    for key in _keys(t.dimension):
        want = _sympy_partial(t, key, point)
        if want is None:
            continue
        g = float(got[key][0])
        assert math.isfinite(g), f"∂{key} of {text!r} at {point}: {g} where sympy has {want}"
        noise = float(np.nanmax(np.abs(got[key][1:] - g)))  # ill-conditioned (cos(pi/(1e-3 + x)), x/x): widen
        tol = REL * abs(want) + 1e-12 + 100 * noise
        assert abs(g - want) <= tol, f"∂{key} of {text!r} at {point}: {g!r} != {want!r}"


# -- the reference: finite differences at 50 digits (mpmath), every function of the grammar --------------------------
CASES = [  # (expression, points): every name in FUNCTIONS at least once, off its kinks
    ("sin(3x) + cos(x^2)", (-1.3, 0.2, 0.9)),
    ("tan(x) + sec(x) + csc(x + 2) + cot(x + 2)", (-0.7, 0.3, 1.1)),
    ("asin(0.9x) + acos(x/2) + arcsin(x/3) - arccos(0.8x)", (-0.9, 0.1, 0.95)),
    ("atan(3x) + arctan(x^2)", (-2.0, 0.0, 1.5)),
    ("sinh(x) cosh(2x) + tanh(4x)", (-1.2, 0.05, 0.8)),
    ("exp(-x^2) log(2 + x) + ln(3 + x) - log10(x + 4) + log2(1.5 + x)", (-1.0, 0.4, 1.9)),
    ("sqrt(x + 1.5) + cbrt(x) + cbrt(x - 3)", (-1.2, 0.3, 0.9)),
    ("x^2.5 + x^-1.5 + (1 + x)^x + 2^x + e^(-x)", (0.2, 0.7, 1.6)),
    ("x^-3 + x^4 - x^1", (-1.5, -0.3, 0.8)),
    ("abs(x - 0.3) + sign(x) x^2 + heaviside(x - 1) x^3", (-0.8, 0.1, 0.5, 1.3)),
    ("floor(3x) + ceil(2x) x + relu(x - 0.2)^2 + relu(1 - x)", (-0.9, 0.1, 0.45, 0.8)),
    ("max(x, 1 - x, x^2) + min(sin(x), cos(x))", (-1.7, 0.2, 0.7, 1.9)),
    ("sigmoid(5x) + log(sigmoid(3x - 1)) + log10(sigmoid(x)) + log2(sigmoid(-x))", (-2.0, 0.0, 1.4)),
    ("x sin(1/x) + (x^2 + 1)/(x - 3) / (x + 4)", (-1.1, 0.35, 2.2)),
]


def test_the_cases_cover_every_function_of_the_grammar():
    covered = {name for text, _ in CASES for name in FUNCTIONS if f"{name}(" in text}
    assert covered == set(FUNCTIONS)


@pytest.mark.parametrize("text, points", CASES)
def test_derivatives_match_finite_differences_at_high_precision(text, points):
    import mpmath as mp

    t = parse(text)
    got = partials(t.expression.tree, ("x",), (np.array(points),))
    with mp.workdps(50):
        for k in range(1, ORDER + 1):
            want = [float(mp.diff(lambda s: t.expression.precise({"x": s}), mp.mpf(p), k)) for p in points]
            np.testing.assert_allclose(got[(k,)], want, rtol=1e-9, atol=1e-12, err_msg=f"f^({k}) of {text}")


def test_2d_partials_match_finite_differences():
    import mpmath as mp

    t = parse("sin(x y) exp(x - y^2) + x^3 y / (1 + y^2) + sigmoid(x + 2y)")
    point = (0.7, -0.4)
    got = partials(t.expression.tree, t.variables, _point_arrays(point, 2))
    with mp.workdps(50):
        for i, j in _keys(2):
            want = mp.diff(lambda a, b: t.expression.precise({"x": a, "y": b}), (mp.mpf(0.7), mp.mpf(-0.4)), (i, j))
            assert float(got[(i, j)][0]) == pytest.approx(float(want), rel=1e-9, abs=1e-12), (i, j)


# -- properties: kinks, the σ⁻¹ trick, far tails, the public helpers -------------------------------------------------
@pytest.mark.parametrize(
    "text, kinks",
    [
        ("abs(x - 0.3)", [0.3]),
        ("sign(x - 0.2) + heaviside(x - 0.6)", [0.2, 0.6]),
        ("relu(0.5 - x)", [0.5]),
        ("max(x, 1 - x)", [0.5]),
        ("min(x, 0.7, 2x)", [0.0, 0.35, 0.7]),
        ("floor(4x)", [-0.25, 0.0, 0.25, 0.5, 0.75]),
        ("ceil(2x + 0.5)", [-0.25, 0.25, 0.75]),
    ],
)
def test_kinks_are_found_on_the_tree_and_derivatives_vanish_between_flat_pieces(text, kinks):
    from univ.derivatives import _kinks_1d

    t = parse(text)
    tree, _ = formula(t, False)
    found = _kinks_1d(tree, "x", -0.5, 1.0)
    assert all(np.min(np.abs(found - k)) < 1e-12 for k in kinks if -0.5 < k < 1.0)
    assert found.size == len([k for k in kinks if -0.5 < k < 1.0])
    x = np.linspace(-0.49, 0.99, 301)
    away = np.min(np.abs(x[:, None] - np.array(kinks)[None, :]), axis=1) > 1e-3
    d2 = derivative(tree, ("x",), (2,))(x)
    assert np.all(d2[away] == 0)  # piecewise linear or constant: no curvature off the kinks


def test_sigmoid_output_differentiates_the_inverse_sigmoid_of_f():
    t = parse("0.5 + 0.4 sin(6x)")
    tree, names = formula(t, True)
    x = np.linspace(0, 1, 101)
    f, df = 0.5 + 0.4 * np.sin(6 * x), 2.4 * np.cos(6 * x)
    np.testing.assert_allclose(derivative(tree, names, (1,))(x), df / (f * (1 - f)), rtol=1e-12, atol=1e-12)


def test_far_tails_stay_finite():
    """σ and log σ at |v| in the hundreds: e^{±v} overflows, the derivatives must not turn into NaN."""
    t = parse("sigmoid(1000x) + log(sigmoid(1000x))")
    x = np.array([-1.0, -0.5, 0.5, 1.0])
    for k in (1, 2, 3):
        d = derivative(t.expression.tree, ("x",), (k,))(x)
        assert np.all(np.isfinite(d)), (k, d)
    np.testing.assert_allclose(derivative(t.expression.tree, ("x",), (1,))(x[:2]), [1000.0, 1000.0], rtol=1e-12)


def test_zero_to_a_variable_power_is_flat_where_the_power_is_positive():
    """0^(1 + x) is 0 for x > −1: its derivatives are 0 there (found by the generated test), undefined below."""
    t = parse("0^(1 + x) + x")
    d = partials(t.expression.tree, ("x",), (np.array([-2.0, 0.0, 0.5]),))
    assert d[(1,)][1:].tolist() == [1.0, 1.0] and d[(2,)][1:].tolist() == [0.0, 0.0]
    assert not np.isfinite(d[(1,)][0])


def test_singular_points_give_inf_or_nan_never_a_finite_lie():
    t = parse("sqrt(x) + cbrt(x) + 1/x + log(x)")
    d = partials(t.expression.tree, ("x",), (np.array([0.0]),))
    assert all(not np.isfinite(d[(k,)][0]) for k in (1, 2, 3))


@pytest.mark.parametrize("order", [-1, 4])
def test_an_order_out_of_range_is_refused(order):
    with pytest.raises(ValueError, match="order"):
        partials(parse("x").expression.tree, ("x",), (np.zeros(2),), order=order)


def test_partials_keep_the_points_shape():
    t = parse("x^2 y")
    X, Y = np.meshgrid(np.linspace(0, 1, 3), np.linspace(0, 1, 4), indexing="ij")
    d = partials(t.expression.tree, t.variables, (X, Y))
    assert all(v.shape == (3, 4) for v in d.values())
    np.testing.assert_allclose(d[(2, 1)], 2.0)
    np.testing.assert_allclose(d[(1, 1)], 2 * X)
