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


# -- one neuron ----------------------------------------------------------------------------------------------------
def test_neuron_w_and_b_then_w_and_s():
    n = widgets.neuron()
    first = n.image.value
    n.w.value, n.b.value = 40.0, -10.0
    hidden = n.network.hidden[0]
    assert hidden.w[0, 0] == 40.0 and hidden.b[0] == -10.0 and n.step_point == 0.25
    assert "step point $s = -b/w = 0.250$" in n.formula.value and r"\sigma(40.0\,x - 10.00)" in n.formula.value
    assert float(n.network(0.25)) == pytest.approx(0.5)
    assert n.image.value != first
    n.mode.value = "w and s"  # the s slider takes over; b follows it
    assert n.s.value == pytest.approx(0.25) and n.s.layout.display is None and n.b.layout.display == "none"
    n.s.value = 0.6
    assert n.b.value == pytest.approx(-24.0) and n.step_point == pytest.approx(0.6)
    n.w.value = 0.0
    assert n.step_point is None and "no step" in n.formula.value


# -- bumps ---------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bumps():
    return widgets.bumps("sin(3x)", neurons=20)


def test_bumps_starts_at_univs_construction(bumps):
    built = univ.construct(TARGET, neurons=20)
    assert same_network(bumps.network, built) and same_network(bumps.constructed, built)
    assert [h.value for h in bumps.heights] == list(piece_weights(built))
    assert len(bumps.heights) == 10 and bumps.message.value == ""
    readouts_are_univs(bumps, built)


def test_moving_a_height_rebuilds_the_net_from_the_same_hidden_layer(bumps):
    bumps.back_to_constructed()
    before = bumps.image.value
    bumps.heights[3].value = 0.05
    expected = with_piece_weights(univ.construct(TARGET, neurons=20), [h.value for h in bumps.heights])
    assert same_network(bumps.network, expected)
    assert bumps.network.output.w[6, 0] == 0.05 and bumps.network.output.w[7, 0] == -0.05
    readouts_are_univs(bumps, expected)
    assert bumps.report.max_error > 0.3 and bumps.image.value != before
    bumps.reset.click()  # the button back to the constructed net
    assert same_network(bumps.network, univ.construct(TARGET, neurons=20))
    assert bumps.heights[3].value == pytest.approx(piece_weights(bumps.constructed)[3])
    readouts_are_univs(bumps, bumps.network)


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
def test_each_control_rebuilds_with_univ_construct(change, options):
    w = widgets.bumps("sin(3x)", neurons=20)
    for name, value in change.items():
        getattr(w, name).value = value
    expected = univ.construct(TARGET, **options)
    assert same_network(w.network, expected), change
    assert len(w.heights) == len(piece_weights(expected)) == len(w.heights_box.children)
    assert [h.value for h in w.heights] == pytest.approx(list(piece_weights(expected)), abs=1e-12)
    readouts_are_univs(w, expected)
    w.heights[0].value = w.heights[0].value / 2  # and the heights still drive it
    readouts_are_univs(w, with_piece_weights(expected, [h.value for h in w.heights]))


def test_fixed_weight_shows_the_windows_of_failure():
    w = widgets.bumps("sin(3x)", neurons=20, weight=20.0)
    assert w.fixed_weight.value and w.steepness.disabled and not w.weight.disabled
    small = w.report.max_error
    w.neurons.value = 200
    assert w.report.max_error > small / 3  # a fixed weight stops the error falling (steepness would cut it 10×)
    readouts_are_univs(w, univ.construct(TARGET, neurons=200, weight=20.0))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"expression": "sin("}, "ends too early"),
        ({"expression": "__import__('os')"}, "not allowed|unknown"),
        ({"expression": "x y"}, "function of x and y"),
        ({"expression": "1/x", "domain": (-1, 1)}, "not finite"),
        ({"neurons": 1000}, "neurons must be a whole number from 1 to 200, got 1000"),
        ({"neurons": 21}, "must be even"),
        ({"neurons": 2.5}, "whole number"),
        ({"method": "towers"}, "unknown method"),
        ({"steepness": -1.0}, "steepness"),
    ],
)
def test_bad_input_is_shown_in_the_message_area_not_raised(kwargs, message):
    import re

    w = widgets.bumps(**{"expression": "sin(3x)", **kwargs})
    text = w.message.value
    assert re.search(message, text), text
    assert "Traceback" not in text and "<script" not in text


def test_bad_expression_typed_later_keeps_the_last_good_network(bumps):
    good = bumps.network
    bumps.expression.value = "sin(3x"
    assert "missing" in bumps.message.value and bumps.network is good
    bumps.expression.value = "x^2"
    assert bumps.message.value == ""
    readouts_are_univs(bumps, univ.construct("x^2", neurons=bumps.neurons.value), univ.parse("x^2"))
    bumps.expression.value = "sin(3x)"


def test_html_in_an_error_is_escaped():
    w = widgets.bumps("<b>x</b>")
    assert "<b>" not in w.message.value and "&lt;" in w.message.value


# -- the challenge -------------------------------------------------------------------------------------------------
def test_challenge_scores_as_univ_does():
    game = nielsen_challenge()
    c = widgets.challenge()
    assert c.score == pytest.approx(game.score(np.zeros(5)), abs=0) and c.score_label.value == f"{c.score:.3f}"
    assert "Challenge complete" not in c.verdict.value
    assert f"{game.ideal_best_score:.3f}" in c.best_label.value and f"{game.best_score:.3f}" in c.best_label.value
    for j, h in enumerate([-1.3, -1.4, -0.3, -1.0, 1.2]):
        c.heights[j].value = h
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
