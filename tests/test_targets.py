"""Targets at the edges: removable singularities filled at any scale, poles refused, hostile numbers and digits refused
with univ's own errors, and any Python callable accepted as a target (issues 14 and 12)."""

import math

import numpy as np
import pytest

import univ
from univ import ConfigError, DomainError, ExpressionError, Target, UnivError, parse
from univ.limits import MAX_DOMAIN_END
from univ.target import as_target

# -- removable singularities ---------------------------------------------------------------------------------------
REMOVABLE = [
    # text, domain, point, limit
    ("sin(x)/x", (0, 1), 0.0, 1.0),
    ("sin(x)/x", (-1, 1), 0.0, 1.0),
    ("sin(x)^2/x^2", (-1, 1), 0.0, 1.0),
    ("(x^2-1)/(x-1)", (0, 1), 1.0, 2.0),
    ("(x^2-1)/(x-1)", (0, 2), 1.0, 2.0),
    ("(1-cos(x))/x^2", (0, 1), 0.0, 0.5),
    ("(1-cos(x))/x^2", (-1, 1), 0.0, 0.5),
    ("(1-cos(x))/x^2", (-100, 100), 0.0, 0.5),
    ("(1-cos(x))/x^2", (0, 1e-3), 0.0, 0.5),
    ("(1-cos(x))/x^2", (-1e6, 1e6), 0.0, 0.5),
    ("sin(x-1000)/(x-1000)", (999.999, 1000.001), 1000.0, 1.0),
    ("(exp(x)-1)/x", (0, 1), 0.0, 1.0),
    ("(x - sin(x))/x^3", (-1, 1), 0.0, 1 / 6),
    ("(exp(x)-1-x)/x^2", (-1, 1), 0.0, 0.5),
    ("sin(x-1000)/(x-1000)", (0, 2000), 1000.0, 1.0),
    ("sin(1000x)/(1000x)", (-1e-3, 1e-3), 0.0, 1.0),
    ("x log(x)", (0, 1), 0.0, 0.0),
    ("x sin(1/x)", (-1, 1), 0.0, 0.0),
]


@pytest.mark.parametrize("text, domain, point, limit", REMOVABLE)
def test_removable_singularities_are_filled_whatever_the_domain(text, domain, point, limit):
    t = parse(text, domain=domain)
    assert not np.isfinite(t(np.array([point])))[0]  # the raw value really is undefined there
    value = t.evaluate(np.array([point]))[0]
    assert value == pytest.approx(limit, rel=1e-6, abs=1e-9)
    t.check()  # the pole search sees filled values too


def test_removable_singularity_in_2d_is_filled():
    t = parse("sin(x^2+y^2)/(x^2+y^2)", domain=(-1, 1), ydomain=(-1, 1))
    assert t.evaluate(np.array([0.0]), np.array([0.0]))[0] == pytest.approx(1.0, rel=1e-9)
    t.check()


def test_the_readme_example_sin_x_over_x_constructs_well():
    net = univ.construct("sin(x)/x")
    t = parse("sin(x)/x")
    x = np.linspace(0, 1, 2001)
    assert np.max(np.abs(net(x) - t.evaluate(x))) < 0.05
    rep = univ.measure(net, t)
    assert np.isfinite(rep.max_error) and rep.max_error < 0.05


POLES = [
    ("1/x", (0, 1), "x = 0"),
    ("1/x", (-1, 1), "x = 0"),
    ("tan(x)", (0, 2), "x = 1.5708"),
    ("1/(x-0.5)^2", (0, 1), "x = 0.5"),
    ("1/(x-0.5)^2", (0, 1e-3), None),  # far from the pole: fine
    ("log(x)", (0, 1), "x = 0"),
    ("log(abs(x))", (-1, 1), "x = 0"),
    ("abs(x)/x", (-1, 1), "x = 0"),  # a jump at an undefined point is not filled
    ("sin(1/x)", (0, 1), "x = 0"),  # no limit
    ("1/x^2 - 1/x^2 + 1/x", (-1, 1), "x = 0"),
    ("1/(x^2+y^2)", (-1, 1), r"\(x, y\) = \(0, 0\)"),
]


@pytest.mark.parametrize("text, domain, where", POLES)
def test_real_poles_are_still_refused(text, domain, where):
    t = parse(text, domain=domain, ydomain=domain if "y" in text else None)
    if where is None:
        t.check()
        return
    with pytest.raises(DomainError, match=where):
        t.check()


# -- numbers and digits --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, char",
    [("sin(３x)", "３"), ("٣x", "٣"), ("𝟑x", "𝟑"), ("３.５x", "３"), ("x^²", "²"), ("2×x", "×"), ("1٫5x", "٫")],
)
def test_non_ascii_digits_are_refused_naming_the_character(text, char):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert char in str(info.value)
    assert text.index(char) == info.value.position


def test_non_ascii_digit_message_suggests_the_ascii_one():
    with pytest.raises(ExpressionError, match="write 3"):
        parse("sin(３x)")


@pytest.mark.parametrize(
    "domain",
    [
        (0, 10**400),
        (-(10**400), 0),
        (0, 10**5000),
        (0, 2**1024),
        (1e6, 1e6 + 1e-20),
        (0, float("inf")),
        (0, None),
        (True, 2),
        ("0", "1"),
        (0, 1, 2),
        5,
        (0, MAX_DOMAIN_END * 2),
    ],
)
def test_bad_domains_are_config_errors_never_overflow(domain):
    with pytest.raises(ConfigError) as info:
        parse("x", domain=domain)
    assert len(str(info.value)) < 300


def test_domain_ends_are_shown_with_enough_digits_to_tell_them_apart():
    with pytest.raises(ConfigError) as info:
        parse("x", domain=(1e6, 1000001.0))
    message = str(info.value)
    assert "1000000" in message and "1000001" in message
    t = parse("1/(x-999999.5)", domain=(999999, 1000000))
    with pytest.raises(DomainError) as info:
        t.check()
    assert "999999.5" in str(info.value) and "[999999, 1000000]" in str(info.value)


@pytest.mark.parametrize("text, last", [("-", "-"), ("sin(", "("), ("x^", "^"), ("(x+1", "1"), ("x +   ", "+")])
def test_errors_at_the_end_point_at_the_last_character(text, last):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    err = info.value
    assert err.position is not None and err.position < len(text.rstrip())
    assert text[err.position] == last
    assert f"position {len(text) + 1}" not in str(err)


def test_ends_too_early_says_after_what():
    with pytest.raises(ExpressionError, match="ends too early after '-'"):
        parse("-")


def test_cbrt_symbolic_form_is_the_real_root():
    import sympy as sp

    t = parse("cbrt(x)", domain=(-8, 8))
    x = sp.Symbol("x", real=True)
    assert float(t.expr.subs(x, -8)) == pytest.approx(-2.0)
    assert float(t(np.array([-8.0]))[0]) == pytest.approx(-2.0)
    assert "x" in t.latex


# -- callables as targets ------------------------------------------------------------------------------------------
def test_from_function_takes_one_domain_pair_and_still_the_old_list():
    new = Target.from_function(np.sin, domain=(0, 3))
    old = Target.from_function(np.sin, domain=[(0, 3)])
    assert new.domain == old.domain == ((0.0, 3.0),)
    t2 = Target.from_function(lambda x, y: x * y, domain=(0, 1), ydomain=(0, 2))
    assert t2.dimension == 2 and t2.domain == ((0.0, 1.0), (0.0, 2.0))


@pytest.mark.parametrize("func, name", [(np.sin, "sin"), (math.sin, "sin"), (lambda x: math.exp(-x), "f")])
def test_as_target_accepts_vectorised_and_scalar_callables(func, name):
    t = as_target(func, domain=(0, 3))
    x = np.linspace(0, 3, 7)
    reference = np.array([float(func(v)) for v in x])
    np.testing.assert_allclose(t.evaluate(x), reference, rtol=1e-12)
    assert t.text == name and t.dimension == 1 and t.domain == ((0.0, 3.0),)
    assert name in t.latex


def test_as_target_accepts_text_and_targets():
    t = as_target("sin(3x)", domain=(0, 2))
    assert isinstance(t, Target) and t.domain == ((0.0, 2.0),)
    assert as_target(t) is t
    assert as_target(t, domain=(1, 2)).domain == ((1.0, 2.0),)


def test_array_only_and_array_summarising_callables():
    t = as_target(lambda x: x.clip(0.2, 0.8), domain=(0, 1))  # floats have no .clip: stays vectorised
    np.testing.assert_allclose(t.evaluate(np.array([0.0, 0.5, 1.0])), [0.2, 0.5, 0.8])
    mean = as_target(lambda x: float(np.mean(x)), domain=(0, 1))  # answers an array with one number
    np.testing.assert_allclose(mean.evaluate(np.array([0.0, 0.5, 1.0])), [0.0, 0.5, 1.0])


def test_a_two_argument_callable_is_2d():
    t = as_target(lambda x, y: np.sin(x) * y, domain=(0, 1), ydomain=(0, 2))
    assert t.dimension == 2 and t.variables == ("x", "y")
    assert t.evaluate(np.array([0.5]), np.array([2.0]))[0] == pytest.approx(2 * np.sin(0.5))
    scalar = as_target(math.atan2, domain=(1, 2), ydomain=(1, 2))  # scalar-only and 2D
    assert scalar.evaluate(np.array([1.0]), np.array([1.0]))[0] == pytest.approx(math.pi / 4)


def test_a_scalar_callable_with_a_removable_singularity_is_filled():
    t = as_target(lambda x: math.sin(x) / x, domain=(0, 1))  # ZeroDivisionError at 0
    assert t.evaluate(np.array([0.0]))[0] == pytest.approx(1.0)
    t.check()
    with pytest.raises(DomainError, match="x = 0"):
        as_target(lambda x: 1 / x, domain=(-1, 1)).check()


def test_construct_accepts_a_callable_target():
    net = univ.construct(as_target(np.sin, domain=(0, 3)))
    x = np.linspace(0, 3, 301)
    assert np.max(np.abs(net(x) - np.sin(x))) < 0.2


@pytest.mark.parametrize(
    "func, match",
    [
        (lambda x: "a", "returned"),
        (lambda x: None, "returned"),
        (lambda x: [1, 2, 3], "returned"),
        (lambda x: {"a": 1}, "returned"),
        (lambda x: 1 / 0 if np.ndim(x) == 0 else x.undefined, "raised"),
        (lambda x, y, z: x, "1 or 2"),
        (lambda: 1.0, "1 or 2"),
        (3.0, "text, a Target or a function"),
        (None, "text, a Target or a function"),
    ],
)
def test_bad_callables_give_a_univ_error_naming_them(func, match):
    with pytest.raises(UnivError, match=match) as info:
        as_target(func, domain=(0, 1)).check()
    assert "Traceback" not in str(info.value)


def test_a_callable_that_raises_later_is_still_a_univ_error():
    def picky(x):
        x = np.asarray(x)
        if (x > 0.5).any():
            raise RuntimeError("no values above a half")
        return x

    t = as_target(picky, domain=(0, 0.5))
    with pytest.raises(UnivError, match="picky"):
        t.with_domain((0, 1)).check()


def test_a_callable_with_a_ydomain_but_one_variable_is_refused():
    with pytest.raises(ConfigError, match="ydomain"):
        as_target(np.sin, domain=(0, 1), ydomain=(0, 1))


def test_callable_latex_renders_with_mathtext():
    from matplotlib.mathtext import MathTextParser

    def my_func(x):
        return x

    for t in (as_target(np.sin), as_target(my_func), as_target(lambda x, y: x + y)):
        MathTextParser("path").parse(f"${t.latex}$")


# -- notebook display ------------------------------------------------------------------------------------------------
def test_target_shows_as_an_html_table():
    t = parse("sin(3x)", domain=(0, 2))
    html = t._repr_html_()
    assert "<table" in html and "sin(3x)" in html and "[0, 2]" in html and "<svg" in html
    t2 = parse("x y", domain=(-1, 1), ydomain=(0, 2))
    html2 = t2._repr_html_()
    assert "x, y" in html2 and "[0, 2]" in html2 and "data:image/png;base64," in html2
    bad = parse("1/x", domain=(-1, 1))._repr_html_()  # not finite: a table all the same, no figure
    assert "<table" in bad and "<svg" not in bad
    assert len(repr(t)) < 200


def test_html_escapes_the_text():
    t = as_target(lambda x: x, domain=(0, 1))
    t.text = "<b>&"
    assert "<b>&" not in t._repr_html_()


# -- Target lives in univ.target; measure reads a target the way construct does (issue 18) -------------------------
def test_target_is_one_class_wherever_it_is_reached():
    import univ.target

    assert univ.Target is univ.target.Target and univ.parse is univ.target.parse
    assert univ.as_target is univ.target.as_target
    t = Target.from_samples([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 4.0, 9.0], name="squares")
    assert isinstance(t, univ.target.Target) and t.samples is not None and t.holdout is None
    assert parse("x").samples is None and parse("x").holdout is None  # every target answers both


@pytest.mark.parametrize(
    "spec",
    [np.sin, math.sin, "sin(x)", lambda x: np.sin(x), "  sin(x) "],
    ids=["np.sin", "math.sin", "text", "lambda", "spaced text"],
)
def test_measure_reads_text_and_callables_on_the_networks_domain(spec):
    net = univ.construct("sin(x)", 20, domain=(0, 3))
    reference = univ.measure(net, parse("sin(x)", domain=(0, 3)))  # the explicit form
    got = univ.measure(net, spec)
    assert got.max_error == pytest.approx(reference.max_error, rel=1e-12)
    assert got.rmse == pytest.approx(reference.rmse, rel=1e-12)
    assert got.worst_at == pytest.approx(reference.worst_at, rel=1e-12)


def test_measure_of_a_2d_network_reads_text_on_both_of_its_domains():
    net = univ.construct("x*y", neurons=40, domain=(-1, 1), ydomain=(0, 2))
    reference = univ.measure(net, parse("x*y", domain=(-1, 1), ydomain=(0, 2)))
    got = univ.measure(net, lambda x, y: x * y)
    assert got.max_error == pytest.approx(reference.max_error, rel=1e-9)


@pytest.mark.parametrize(
    "network, target, match",
    [
        ("net1", "x*y", "takes 1 input"),
        ("net1", 3, "a target is text"),
        ("net1", None, "a target is text"),
        ("net1", "sinn(x)", "did you mean sin"),
        ("net1", "", "empty expression"),
        ("net1", lambda x, y: x, "takes 1 input"),
        ("net1", lambda x: "a", "must return"),
        ("net1", lambda x: 1 / 0, "ZeroDivisionError|not finite"),
        (3, "sin(x)", "needs a Network"),
        (None, "sin(x)", "needs a Network"),
        ("net2", "sin(x)", "no ydomain|takes 2 input"),
    ],
)
def test_measure_refuses_what_is_not_a_target_with_a_univ_error(network, target, match):
    nets = {"net1": univ.construct("sin(x)", 8), "net2": univ.construct("x*y", neurons=40)}
    with pytest.raises(UnivError, match=match):
        univ.measure(nets.get(network, network) if isinstance(network, str) else network, target)


class _Titled:
    """A target whose LaTeX fails the way sympy can fail, or with a bug that must not be hidden."""

    text = "f(x) as typed"

    def __init__(self, exc: BaseException):
        self.exc = exc

    @property
    def latex(self):
        raise self.exc


@pytest.mark.parametrize("exc", [ValueError("no latex"), TypeError("odd node"), RecursionError("too deep")])
def test_a_figure_title_falls_back_to_the_text_when_latex_fails(exc):
    from univ.plot.style import title

    assert title(_Titled(exc)) == "f(x) as typed"
    assert title(parse("sin(3x)")) == "$" + parse("sin(3x)").latex + "$"


@pytest.mark.parametrize("exc", [ZeroDivisionError("a bug"), KeyError("a bug"), AttributeError("a bug")])
def test_a_figure_title_does_not_hide_a_bug(exc):
    from univ.plot.style import title

    with pytest.raises(type(exc)):
        title(_Titled(exc))
