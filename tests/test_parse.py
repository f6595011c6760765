"""Parsing what people type: accepted maths, a catalogue of escape attempts, and functions not finite on the domain."""

import importlib
import inspect
import re
import time
from pathlib import Path

import numpy as np
import pytest

from univ import ConfigError, DomainError, ExpressionError, parse
from univ.parse import MAX_DEPTH, MAX_LENGTH
from univ.target import Target

ROOT = Path(__file__).resolve().parents[1]
X = np.linspace(-0.9, 0.9, 7)  # avoids 0 so x sin(1/x) and friends are plain to compare

ACCEPTED = [
    ("sin(3x)", lambda x: np.sin(3 * x)),
    ("3x^2 - 2x + 1", lambda x: 3 * x**2 - 2 * x + 1),
    ("x sin(1/x)", lambda x: x * np.sin(1 / x)),
    ("exp(-x**2)", lambda x: np.exp(-(x**2))),
    ("abs(x-0.3)", lambda x: np.abs(x - 0.3)),
    ("sqrt(x^2)", lambda x: np.abs(x)),
    ("1/(1+25x^2)", lambda x: 1 / (1 + 25 * x**2)),
    ("heaviside(x-0.5)", lambda x: np.heaviside(x - 0.5, 0.5)),
    ("max(x,0)", lambda x: np.maximum(x, 0)),
    ("min(x, 0.2, x^2)", lambda x: np.minimum(np.minimum(x, 0.2), x**2)),
    ("pi", lambda x: np.full_like(x, np.pi)),
    ("e", lambda x: np.full_like(x, np.e)),
    ("2pi x", lambda x: 2 * np.pi * x),
    ("-x^2", lambda x: -(x**2)),  # unary minus binds looser than power
    ("2^3^2", lambda x: np.full_like(x, 2.0**9)),  # right-associative
    ("x^-2", lambda x: x**-2.0),
    ("(x+1)(x-1)", lambda x: (x + 1) * (x - 1)),
    ("2(x+1)", lambda x: 2 * (x + 1)),
    ("x(x+1)", lambda x: x * (x + 1)),
    ("xsin(x)", lambda x: x * np.sin(x)),
    ("sin(x)cos(x)", lambda x: np.sin(x) * np.cos(x)),
    ("1e-3x + 2.5e2", lambda x: 1e-3 * x + 250),
    (".5x", lambda x: 0.5 * x),
    ("ln(2+x) + log10(2+x) + log2(2+x)", lambda x: np.log(2 + x) + np.log10(2 + x) + np.log2(2 + x)),
    ("sigmoid(10x) + relu(x) + tanh(x)", lambda x: 1 / (1 + np.exp(-10 * x)) + np.maximum(x, 0) + np.tanh(x)),
    ("  cos( x )  ", np.cos),
    ("x/2/4", lambda x: x / 8),
    ("x - 1 - 2", lambda x: x - 3),
]


@pytest.mark.parametrize("text, reference", ACCEPTED)
def test_accepted_maths_computes_what_it_says(text, reference):
    t = parse(text)
    np.testing.assert_allclose(t(X), reference(X), rtol=1e-12, atol=1e-12)
    assert t.variables == ("x",) and t.dimension == 1


@pytest.mark.parametrize("text", [t for t, _ in ACCEPTED])
def test_symbolic_form_agrees_with_the_numeric_one(text):
    import sympy as sp

    t = parse(text)
    x = sp.Symbol("x", real=True)
    for v in (-0.7, 0.3, 0.8):
        assert float(t.expr.subs(x, v).evalf()) == pytest.approx(float(t(np.array([v]))[0]), rel=1e-9, abs=1e-12)
    assert isinstance(t.latex, str) and t.latex


def test_two_variables_make_a_2d_target():
    t = parse("sin(x)*cos(y)", domain=(-1, 1), ydomain=(0, 2))
    assert t.variables == ("x", "y") and t.dimension == 2
    assert t.domain == ((-1.0, 1.0), (0.0, 2.0))
    np.testing.assert_allclose(t(np.array([0.5]), np.array([1.0])), [np.sin(0.5) * np.cos(1.0)])
    assert parse("xy").variables == ("x", "y")
    assert parse("y").dimension == 2


HOSTILE = [
    ("", "empty"),
    ("   ", "empty"),
    ("sin(", "ends too early"),
    ("(x+1", "missing '\\)'"),
    ("x+1)", "unmatched"),
    ("x +* 2", "unexpected"),
    ("z + 1", "only x and y"),
    ("x + y + z", "only x and y"),
    ("t", "only x and y"),
    ("foo(x)", "unknown name 'foo'.*allowed:.*sin"),
    ("__import__('os').system('true')", "'_' are not allowed"),
    ("().__class__.__bases__", "not allowed"),
    ("x.real", "attribute access"),
    ("(x).conjugate()", "attribute access"),
    ("lambda: 1", "lambdas are not allowed"),
    ("[x for x in (1, 2)]", "square brackets"),
    ("(x for x in (1,))", "comprehensions"),
    ("'abc'", "strings are not allowed"),
    ('"x"', "strings are not allowed"),
    ("open", "unknown name"),
    ("exec", "unknown name"),
    ("eval(x)", "unknown name"),
    ("x if x else 1", "conditionals"),
    ("x = 1", "equation or assignment"),
    ("x; 1", "only one expression"),
    ("x % 2", "'%'"),
    ("x // 2", "'//'"),
    ("x @ x", "'@'"),
    ("{x: 1}", "braces"),
    ("sin x", "needs parentheses"),
    ("sin(x, x)", "takes 1 argument"),
    ("max(x)", "at least 2"),
    ("sin()", "needs an argument"),
    ("x 2", "explicit"),
    ("2 3", "two numbers"),
    ("1.2.3", "two decimal points"),
    ("1e999", "too large"),
    ("x2", "unknown name"),
    ("x!", "unexpected character"),
    ("x\\n", "backslash"),
    ("sin(x) ∘ cos(x)", "unexpected character"),
    # comparisons (regions): everything a region cannot be is refused like any other bad text
    ("x == 1", "equality has no area"),
    ("x != 1", "equality has no area"),
    ("x <> 1", "equality has no area"),
    ("x => 1", "write '>='"),
    ("x <<= 1", "not a comparison"),
    ("x < < 1", "unexpected '<'"),
    ("x <", "ends too early after '<'"),
    ("< x", "unexpected '<'"),
    ("x < 1 and", "ends too early after 'and'"),
    ("not", "ends too early after 'not'"),
    ("x and y", "'and' joins comparisons"),
    ("x < 1 or 2", "'or' joins comparisons"),
    ("not x", "'not' applies to a comparison"),
    ("(x < 1) + 2", "cannot be added"),
    ("3(x < 1)", "cannot be multiplied"),
    ("(x < 1)^2", "raised to a power"),
    ("2^(y > 0)", "be an exponent"),
    ("-(x < 1)", "take a sign"),
    ("sin(x < 1)", "argument of sin"),
    ("max(x < 1, y)", "argument of max"),
    ("(x < 1) < 2", "compared again"),
    ("x < 1 if y else 0", "conditionals"),
    ("x < 1 and __import__('os')", "'_' are not allowed"),
    ("x < 1; y > 0", "only one expression"),
]


@pytest.mark.parametrize("text, match", HOSTILE)
def test_hostile_or_broken_text_is_refused_with_a_clear_error(text, match):
    with pytest.raises(ExpressionError, match=match) as info:
        parse(text)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message


def test_error_positions_point_at_the_problem():
    with pytest.raises(ExpressionError) as info:
        parse("sin(3x) + foo(x)")
    assert info.value.position == 10
    assert "position 11" in str(info.value)


def test_limits_on_length_and_nesting():
    with pytest.raises(ExpressionError, match="limit"):
        parse("x+" * MAX_LENGTH + "x")
    with pytest.raises(ExpressionError, match="nested deeper"):
        parse("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(ExpressionError, match="nested deeper"):
        parse("x" + "^x" * (MAX_DEPTH + 1))
    with pytest.raises(ExpressionError, match="nested deeper"):
        parse("-" * (MAX_DEPTH + 1) + "x")
    parse("(" * (MAX_DEPTH - 1) + "x" + ")" * (MAX_DEPTH - 1))  # just inside the limit


def test_long_flat_sums_are_fine():
    t = parse("+".join(["x"] * 200))
    np.testing.assert_allclose(t(X), 200 * X)


@pytest.mark.parametrize("text", ["9^9^9^9", "x^9^9^9^9", "(9^9)^(9^9)^(9^9)", "exp(exp(exp(exp(99))))", "10^10^10"])
def test_huge_powers_answer_within_a_second(text):
    start = time.perf_counter()
    try:
        parse(text, domain=(0.5, 2)).check()
    except DomainError as exc:
        assert "not finite" in str(exc) or "too large" in str(exc)
    assert time.perf_counter() - start < 1.0


NOT_FINITE = [
    ("1/x", (-1, 1), "x = 0"),
    ("log(x-2)", (0, 1), "x = 0"),
    ("sqrt(-1-x)", (-1, 1), "x = -0.9998"),
    ("tan(x)", (0, 2), "pole.*x = 1.5708"),
    ("1/(x-0.12345)", (0, 1), "x = 0.12345"),
    ("1/sqrt(abs(x-1/3))", (0, 1), "pole.*x = 0.33333"),
    ("1/(x-0.5)", (0, 1), "x = 0.5"),
    ("log(x)", (0, 1), "x = 0"),
    ("exp(100x)", (0, 1), "too large"),
]


@pytest.mark.parametrize("text, domain, where", NOT_FINITE)
def test_not_finite_on_the_domain_says_where(text, domain, where):
    with pytest.raises(DomainError, match=where):
        parse(text, domain=domain).check()


@pytest.mark.parametrize(
    "text, point, limit",
    [("sin(x)/x", 0.0, 1.0), ("x sin(1/x)", 0.0, 0.0), ("x log(x)", 0.0, 0.0), ("(x^2-1)/(x-1)", 1.0, 2.0)],
)
def test_removable_singularities_are_filled_with_their_limit(text, point, limit):
    t = parse(text, domain=(-1, 1) if point == 0 and "log" not in text else (0, 1))
    v = t.evaluate(np.array([point]))
    assert np.isfinite(v).all() and v[0] == pytest.approx(limit, abs=1e-5)


def test_2d_not_finite_names_both_coordinates():
    with pytest.raises(DomainError, match=r"\(x, y\) = \(-1, -1\)"):
        parse("1/(x-y)", domain=(-1, 1), ydomain=(-1, 1)).check()


@pytest.mark.parametrize(
    "domain",
    [(1, 0), (0, 0), (0, float("inf")), (float("nan"), 1), (0,), ("a", "b"), (-1e9, 1e9)],
)
def test_bad_domains_are_refused(domain):
    with pytest.raises(ConfigError):
        parse("x", domain=domain)


def test_a_1d_expression_takes_no_ydomain():
    with pytest.raises(ConfigError, match="no ydomain"):
        parse("x", ydomain=(0, 1))


def test_the_parser_never_reaches_eval(monkeypatch):
    import builtins

    import sympy  # noqa: F401  (importing a module runs its code through exec: done before the watch starts)

    def refuse(*args, **kwargs):
        raise AssertionError("eval/exec reached")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    t = parse("x sin(1/x) + exp(-x^2) + max(x, 0)")
    t(X)
    assert t.latex  # the sympy form is built without sympify/parse_expr


@pytest.mark.parametrize("path", sorted((ROOT / "univ").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_evaluates_text_or_generates_code(path):
    """Every module, not only the parser's: sympy forms and derivatives are walked, never printed and executed."""
    source = path.read_text(encoding="utf-8")
    for builtin in ("eval", "exec", "compile", "__import__"):  # called bare (re.compile is harmless)
        assert not re.search(rf"(?<![\w.]){builtin}\s*\(", source), builtin
    for reader in ("sympify", "parse_expr", "lambdify", "S"):  # sympy's text readers and code generator
        assert not re.search(rf"\b{reader}\s*\(", source), reader


@pytest.mark.parametrize("module", ["univ.parse", "univ.target"])
def test_the_source_has_no_eval_on_the_path(module):
    # the modules themselves (``univ.parse`` as an attribute is the function the facade exports)
    source = inspect.getsource(importlib.import_module(module))
    assert "_Parser(" in source or "parse_expression(" in source  # the right source was read
    for builtin in ("eval", "exec", "compile", "__import__"):  # called bare (re.compile is harmless)
        assert not re.search(rf"(?<![\w.]){builtin}\s*\(", source), builtin
    for reader in ("sympify", "parse_expr", "lambdify", "S"):  # sympy's text readers, however reached
        assert not re.search(rf"\b{reader}\s*\(", source), reader


def test_from_function_wraps_a_python_callable():
    t = Target.from_function(np.cos, domain=[(0, 3)], name="cos")
    np.testing.assert_allclose(t.evaluate(np.array([0.0, 1.0])), [1.0, np.cos(1.0)])
    assert t.domain == ((0.0, 3.0),) and t.latex == r"\mathrm{cos}(x)"


@pytest.mark.parametrize(
    "text, domain",
    [
        ("exp(10x)", (0, 2)),
        ("x sin(1/x)", (-1, 1)),
        ("sin(1/x)", (0.01, 1)),
        ("1/(1+25x^2)", (-1, 1)),
        ("tan(x)", (0, 1.5)),
        ("sqrt(x)", (0, 1)),
        ("abs(x-1/3)", (0, 1)),
    ],
)
def test_steep_but_bounded_functions_are_not_called_poles(text, domain):
    parse(text, domain=domain).check()


# -- the parser's sigmoid is the exact logistic function (it was clipped at ±40 like the network's) ----------------
def _log_sigmoid_reference(v: float) -> float:
    import mpmath as mp

    with mp.workdps(50):
        return float(-mp.log(1 + mp.exp(-mp.mpf(v))))


@pytest.mark.parametrize("v", [-1000.0, -800.0, -50.0, -41.0, -40.0, -3.0, 0.0, 2.5, 40.0, 50.0, 800.0])
def test_log_of_sigmoid_is_exact_everywhere(v):
    with np.errstate(all="raise"):  # no overflow, no division by zero, no invalid value on the way
        got = float(parse("log(sigmoid(x))", domain=(-1000, 1000))(np.array([v]))[0])
        two = float(parse("log2(sigmoid(x))", domain=(-1000, 1000))(np.array([v]))[0])
    ref = _log_sigmoid_reference(v)
    assert got == pytest.approx(ref, rel=1e-14, abs=1e-300)
    assert two == pytest.approx(ref / np.log(2.0), rel=1e-14, abs=1e-300)


def test_sigmoid_is_exact_and_never_overflows():
    import mpmath as mp

    v = np.array([-745.0, -700.0, -60.0, -50.0, -1e-3, 0.0, 1e-3, 36.0, 50.0, 700.0, 1e300, -1e300])
    with np.errstate(all="raise"):
        got = parse("sigmoid(x)", domain=(-1, 1))(v)
    with mp.workdps(50):
        ref = [float(1 / (1 + mp.exp(-mp.mpf(float(a))))) for a in v]
    np.testing.assert_allclose(got, ref, rtol=1e-15, atol=0)
    assert got[2] < 1e-26 and got[3] > 1e-22  # sigmoid(-60) is not sigmoid(-40) (the clip made them equal)


def test_log_sigmoid_checks_where_sigmoid_itself_underflows():
    t = parse("log(sigmoid(x))", domain=(-900, -40)).check()  # σ(x) is 0 in floats below about -745
    x = np.linspace(-900, -40, 7)
    np.testing.assert_allclose(t.evaluate(x), x - np.log1p(np.exp(x)), rtol=1e-15, atol=0)


# -- a misspelled function name gets a suggestion, as a misspelled command does ----------------------------------
@pytest.mark.parametrize(
    "text, suggestion",
    [
        ("sinn(x)", "sin"),
        ("sqr(x)", "sqrt"),
        ("exq(x)", "exp"),
        ("Sin(x)", "sin"),
        ("sigmiod(x)", "sigmoid"),
        ("heavyside(x)", "heaviside"),
    ],
)
def test_a_misspelled_name_says_did_you_mean(text, suggestion):
    with pytest.raises(ExpressionError, match=rf"did you mean {suggestion}\?") as info:
        parse(text)
    assert info.value.position == 0 and "allowed:" in str(info.value)


@pytest.mark.parametrize("text", ["qqqq(x)", "zorblax(x)", "bar"])
def test_a_name_like_nothing_gets_no_suggestion(text):
    with pytest.raises(ExpressionError, match="unknown name") as info:
        parse(text)
    assert "did you mean" not in str(info.value)


def test_the_cli_says_did_you_mean_in_one_line(cli):
    r = cli("approx", "sinn(x)", "--no-plot")
    assert r.exit_code == 2 and "did you mean sin?" in r.output and "Traceback" not in r.output
