"""univ.widgets driven from Python: each control changes the network and the readouts to what univ computes directly."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import univ
from univ.play import nielsen_challenge, piece_weights, with_piece_weights

pytest.importorskip("ipywidgets")
from univ import widgets

TARGET = univ.parse("sin(3x)")


def same_network(a, b) -> bool:
    return all(
        np.array_equal(p.w, q.w) and np.array_equal(p.b, q.b) and p.activation == q.activation
        for p, q in zip(a.layers, b.layers)
    ) and len(a.layers) == len(b.layers)


def readouts_are_univs(w, net, target=TARGET):
    rep = univ.measure(net, target)
    assert w.report == rep
    assert w.max_error_label.value == f"{rep.max_error:.4g}" and w.rmse_label.value == f"{rep.rmse:.4g}"


def test_import_univ_and_univ_widgets_need_neither_ipywidgets_nor_matplotlib():
    code = (
        "import sys, univ, univ.widgets, univ.page, univ.play; "
        "print(sorted(m for m in ('ipywidgets', 'matplotlib', 'IPython') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_missing_ipywidgets_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets now raises ImportError
    for make in (widgets.neuron, widgets.bumps, widgets.challenge):
        with pytest.raises(univ.UnivError, match=r'pip install -e "\.\[notebook\]"'):
            make()


# -- real widgets ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [widgets.neuron, widgets.bumps, widgets.challenge])
def test_each_figure_is_an_ipywidgets_vbox_that_an_hbox_can_hold(make):
    import ipywidgets

    w = make()
    assert isinstance(w, ipywidgets.VBox) and isinstance(w, ipywidgets.Widget)
    row = ipywidgets.HBox([w])  # refused unless every child is a Widget
    assert row.children == (w,) and w.children and all(isinstance(c, ipywidgets.Widget) for c in w.children)
    assert type(w) is getattr(widgets, type(w).__name__)  # widgets.Bumps etc. are the classes


def test_bumps_state_is_traits_a_notebook_can_observe_and_link():
    import traitlets

    w = widgets.bumps("sin(3x)", neurons=20)
    seen = []
    w.observe(lambda change: seen.append((change["name"], change["new"])), names=["max_error", "network"])
    w.neurons = 40  # from Python: the slider follows, the net is rebuilt, observers hear of it
    assert w.controls["neurons"].value == 40
    expected = univ.construct(TARGET, neurons=40)
    assert same_network(w.network, expected)
    assert ("max_error", univ.measure(expected, TARGET).max_error) in seen and any(n == "network" for n, _ in seen)
    other = widgets.bumps("sin(3x)", neurons=20)
    traitlets.link((w, "neurons"), (other, "neurons"))  # two figures side by side, one neuron count
    w.controls["neurons"].value = 60
    assert other.neurons == 60 and same_network(other.network, univ.construct(TARGET, neurons=60))
    with pytest.raises(traitlets.TraitError):
        w.max_error = 0.0  # a readout, not a control


# -- one neuron ----------------------------------------------------------------------------------------------------
def test_neuron_w_and_b_then_w_and_s():
    n = widgets.neuron()
    first = n.image.value
    n.w, n.b = 40.0, -10.0
    hidden = n.network.hidden[0]
    assert hidden.w[0, 0] == 40.0 and hidden.b[0] == -10.0 and n.step_point == 0.25
    assert n.controls["w"].value == 40.0 and n.controls["b"].value == -10.0
    assert "step point $s = -b/w = 0.250$" in n.formula.value and r"\sigma(40.0\,x - 10.00)" in n.formula.value
    assert float(n.network(0.25)) == pytest.approx(0.5)
    assert n.image.value != first
    n.controls["mode"].value = "w and s"  # the s slider takes over; b follows it
    assert n.mode == "w and s"
    assert n.s == pytest.approx(0.25) and n.controls["s"].layout.display is None
    assert n.controls["b"].layout.display == "none"
    n.controls["s"].value = 0.6
    assert n.b == pytest.approx(-24.0) and n.step_point == pytest.approx(0.6)
    n.w = 0.0
    assert n.step_point is None and "no step" in n.formula.value


@pytest.mark.parametrize(
    "kwargs, message",
    [({"w": 400.0}, r"w must be a finite number in \[-100, 100\], got 400"), ({"b": float("nan")}, "b must be")],
)
def test_neuron_refuses_what_its_sliders_cannot_show(kwargs, message):
    with pytest.raises(univ.ConfigError, match=message):
        widgets.neuron(**kwargs)
    n = widgets.neuron()
    with pytest.raises(univ.ConfigError, match=message):
        setattr(n, *next(iter(kwargs.items())))
    assert (n.w, n.b) == (8.0, -4.0)


# -- bumps ---------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bumps():
    return widgets.bumps("sin(3x)", neurons=20)


def test_bumps_starts_at_univs_construction(bumps):
    built = univ.construct(TARGET, neurons=20)
    assert same_network(bumps.network, built) and same_network(bumps.constructed, built)
    assert list(bumps.heights) == list(piece_weights(built))
    assert [h.value for h in bumps.height_sliders] == list(piece_weights(built))
    assert len(bumps.heights) == 10 and bumps.message.value == ""
    readouts_are_univs(bumps, built)


def test_moving_a_height_rebuilds_the_net_from_the_same_hidden_layer(bumps):
    bumps.back_to_constructed()
    before = bumps.image.value
    bumps.height_sliders[3].value = 0.05
    assert bumps.heights[3] == 0.05
    expected = with_piece_weights(univ.construct(TARGET, neurons=20), list(bumps.heights))
    assert same_network(bumps.network, expected)
    assert bumps.network.output.w[6, 0] == 0.05 and bumps.network.output.w[7, 0] == -0.05
    readouts_are_univs(bumps, expected)
    assert bumps.report.max_error > 0.3 and bumps.image.value != before
    bumps.reset.click()  # the button back to the constructed net
    assert same_network(bumps.network, univ.construct(TARGET, neurons=20))
    assert bumps.height_sliders[3].value == pytest.approx(piece_weights(bumps.constructed)[3])
    readouts_are_univs(bumps, bumps.network)
    heights = list(bumps.heights)
    heights[0] = 0.0
    bumps.heights = heights  # the same from Python
    assert bumps.height_sliders[0].value == 0.0 and bumps.network.output.w[0, 0] == 0.0
    with pytest.raises(univ.ConfigError, match="heights must be 10 numbers, got 3"):
        bumps.heights = (1.0, 2.0, 3.0)
    with pytest.raises(univ.ConfigError, match=r"heights\[1\]"):
        bumps.heights = (0.0, float("inf"), *heights[2:])
    assert bumps.heights[0] == 0.0 and bumps.network.output.w[0, 0] == 0.0
    bumps.reset.click()


@pytest.mark.parametrize(
    "change, options",
    [
        ({"neurons": 40}, {"neurons": 40}),
        ({"neurons": 200}, {"neurons": 200}),
        ({"steepness": 100.0}, {"neurons": 20, "steepness": 100.0}),
        ({"fixed_weight": True, "weight": 50.0}, {"neurons": 20, "weight": 50.0}),
        ({"knots": "adaptive"}, {"neurons": 20, "knots": "adaptive"}),
        ({"method": "steps", "neurons": 13}, {"neurons": 13, "method": "steps"}),
        ({"method": "relu", "neurons": 9}, {"neurons": 9, "method": "relu"}),
        ({"method": "heaviside", "neurons": 6}, {"neurons": 6, "method": "heaviside"}),
    ],
)
@pytest.mark.parametrize("by", ["control", "trait"])
def test_each_control_rebuilds_with_univ_construct(change, options, by):
    w = widgets.bumps("sin(3x)", neurons=20)
    for name, value in change.items():
        if by == "control":
            w.controls[name].value = value
        else:
            setattr(w, name, value)
    assert w.message.value == ""
    expected = univ.construct(TARGET, **options)
    assert same_network(w.network, expected), change
    assert len(w.heights) == len(piece_weights(expected)) == len(w.heights_box.children)
    assert list(w.heights) == pytest.approx(list(piece_weights(expected)), abs=1e-12)
    readouts_are_univs(w, expected)
    w.height_sliders[0].value = w.height_sliders[0].value / 2  # and the heights still drive it
    readouts_are_univs(w, with_piece_weights(expected, list(w.heights)))


def test_fixed_weight_shows_the_windows_of_failure():
    w = widgets.bumps("sin(3x)", neurons=20, weight=20.0)
    assert w.fixed_weight and w.controls["steepness"].disabled and not w.controls["weight"].disabled
    small = w.report.max_error
    w.neurons = 200
    assert w.report.max_error > small / 3  # a fixed weight stops the error falling (steepness would cut it 10×)
    readouts_are_univs(w, univ.construct(TARGET, neurons=200, weight=20.0))


# (arguments, the library's error for them): the message is the one univ.parse / univ.construct gives
BAD_ARGUMENTS = [
    ({"expression": "sin("}, univ.ExpressionError, "ends too early"),
    ({"expression": "__import__('os')"}, univ.ExpressionError, "not allowed|unknown"),
    ({"expression": "sinn(x)"}, univ.ExpressionError, "did you mean sin"),
    ({"expression": "x*y"}, univ.UnivError, "function of x and y"),
    ({"expression": "x y"}, univ.UnivError, "function of x and y"),
    ({"expression": "1/x", "domain": (-1, 1)}, univ.UnivError, "not finite"),
    ({"neurons": 400}, univ.ConfigError, "neurons must be a whole number from 1 to 200, got 400"),
    ({"neurons": 1000}, univ.ConfigError, "neurons must be a whole number from 1 to 200, got 1000"),
    ({"neurons": 7}, univ.ConfigError, "bumps are pairs of neurons: neurons must be even, got 7"),
    ({"neurons": 21}, univ.ConfigError, "must be even"),
    ({"neurons": 2.5}, univ.ConfigError, "whole number"),
    ({"method": "towers"}, univ.ConfigError, "unknown method"),
    ({"knots": "random"}, univ.ConfigError, "unknown knots"),
    ({"steepness": -1.0}, univ.ConfigError, "steepness"),
    ({"weight": 0.5}, univ.ConfigError, "weight"),
]


@pytest.mark.parametrize("kwargs, error, message", BAD_ARGUMENTS)
def test_bad_arguments_raise_the_librarys_error(kwargs, error, message):
    with pytest.raises(error, match=message):
        widgets.bumps(**{"expression": "sin(3x)", **kwargs})
    # the library itself says the same
    if "expression" in kwargs:
        with pytest.raises(error, match=message):
            t = univ.parse(kwargs["expression"], domain=kwargs.get("domain"))
            if t.dimension != 1:
                raise univ.UnivError("a function of x and y")
            univ.construct(t, neurons=20)


@pytest.mark.parametrize("kwargs, error, message", [c for c in BAD_ARGUMENTS if "domain" not in c[0]])
def test_a_bad_value_set_later_raises_and_changes_nothing(bumps, kwargs, error, message):
    good, state = bumps.network, {name: getattr(bumps, name) for name in kwargs}
    with pytest.raises(error, match=message):
        for name, value in kwargs.items():
            setattr(bumps, name, value)
    assert bumps.network is good and {name: getattr(bumps, name) for name in kwargs} == state
    assert all(bumps.controls[name].value == getattr(bumps, name) for name in kwargs)


def test_bad_expression_typed_in_the_box_is_said_there_and_keeps_the_last_good_network(bumps):
    good = bumps.network
    bumps.controls["expression"].value = "sin(3x"
    assert "missing" in bumps.message.value and bumps.network is good and bumps.expression == "sin(3x)"
    bumps.controls["expression"].value = "x^2"
    assert bumps.message.value == "" and bumps.expression == "x^2"
    readouts_are_univs(bumps, univ.construct("x^2", neurons=bumps.neurons), univ.parse("x^2"))
    bumps.expression = "sin(3x)"


def test_html_in_a_typed_error_is_escaped(bumps):
    bumps.controls["expression"].value = "<b>x</b>"
    assert "<b>" not in bumps.message.value and "&lt;" in bumps.message.value
    bumps.controls["expression"].value = "sin(3x)"


# -- the challenge -------------------------------------------------------------------------------------------------
def test_challenge_scores_as_univ_does():
    game = nielsen_challenge()
    c = widgets.challenge()
    assert c.score == pytest.approx(game.score(np.zeros(5)), abs=0) and c.score_label.value == f"{c.score:.3f}"
    assert "Challenge complete" not in c.verdict.value
    assert f"{game.ideal_best_score:.3f}" in c.best_label.value and f"{game.best_score:.3f}" in c.best_label.value
    seen = []
    c.observe(lambda change: seen.append(change["new"]), names="complete")
    for j, h in enumerate([-1.3, -1.4, -0.3, -1.0, 1.2]):
        c.height_sliders[j].value = h
    assert c.heights == (-1.3, -1.4, -0.3, -1.0, 1.2) and seen == [True] and c.complete
    net = c.network
    assert np.array_equal(piece_weights(net), [-1.3, -1.4, -0.3, -1.0, 1.2])
    # the score by hand: mean |σ⁻¹(f(x)) − Σ h·bump(x)| on univ's grid
    (x,) = univ.grid(game.target.domain)
    goal = np.log(game.target.evaluate(x)) - np.log1p(-game.target.evaluate(x))
    by_hand = float(np.mean(np.abs(goal - net.contributions(x).sum(axis=1))))
    assert c.score == pytest.approx(by_hand, rel=1e-12)
    assert c.score <= 0.40 and "challenge complete" in c.verdict.value
    c.reset.click()
    assert c.score == pytest.approx(game.score(np.zeros(5)))
    c.show_best.click()
    assert c.score == pytest.approx(game.best_score, abs=1e-12)
    assert [h.value for h in c.height_sliders] == pytest.approx(list(game.best_heights))
    with pytest.raises(univ.ConfigError, match=r"heights\[0\] must be a finite number in \[-3, 3\], got 7"):
        c.heights = (7.0, 0.0, 0.0, 0.0, 0.0)
    assert c.score == pytest.approx(game.best_score, abs=1e-12)


def test_best_possible_score_is_nielsens():
    game = nielsen_challenge()
    assert game.ideal_best_score == pytest.approx(0.359, abs=0.001)  # his number, on 100,001 points
    assert game.best_score == pytest.approx(game.ideal_best_score, abs=0.01)
    assert game.goal.min() == pytest.approx(-2.25, abs=0.01) and game.goal.max() == pytest.approx(1.76, abs=0.01)
    # no other heights do better with ideal steps: the median minimises the mean absolute deviation in each cell
    rng = np.random.default_rng(0)
    for _ in range(20):
        assert game.score(game.best_heights + rng.normal(0, 0.05, 5)) > game.best_score - 0.01


def test_widget_figures_can_be_saved(tmp_path, bumps):
    bumps.savefig(tmp_path / "bumps.png")
    assert (tmp_path / "bumps.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
