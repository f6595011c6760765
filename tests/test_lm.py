"""Levenberg–Marquardt, the training goal, keyword-vs-config, sizes checked up front, and FitResult's display."""

from __future__ import annotations

import numpy as np
import pytest

import univ
import univ.training as training
from univ import ConfigError, FitConfig, Network, measure, parse
from univ.limits import LM_MAX_JACOBIAN, LM_MAX_PARAMETERS
from univ.training import fit
from univ.training.net import FlatNet, init_weights

NIELSEN = "0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05cos(50x)"


# -- the Jacobian from backprop ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "activation, sizes",
    [
        ("tanh", [1, 5, 1]),
        ("sigmoid", [1, 4, 3, 1]),
        ("tanh", [2, 3, 4, 1]),
        ("relu", [1, 6, 1]),
        ("sigmoid", [2, 5, 1]),
        ("tanh", [1, 3, 3, 3, 1]),
    ],
)
def test_jacobian_matches_central_differences(activation, sizes):
    rng = np.random.default_rng(7)
    net = FlatNet(sizes, [activation] * (len(sizes) - 2))
    init_weights(net, "xavier", rng)
    net.theta[...] += rng.normal(0.0, 0.3, net.theta.size)
    X = np.ascontiguousarray(rng.uniform(-1, 1, (13, sizes[0])))
    Y = rng.normal(size=(13, 1))
    J = np.full((13, net.theta.size), np.nan)
    r = net.residual_jacobian(X, Y, J)
    np.testing.assert_allclose(r, net.predict(X) - Y[:, 0], rtol=0, atol=1e-14)
    h = 1e-6
    numeric = np.empty_like(J)
    theta = net.theta.copy()
    for j in range(theta.size):
        net.theta[...] = theta
        net.theta[j] += h
        up = net.predict(X)
        net.theta[j] -= 2 * h
        numeric[:, j] = (up - net.predict(X)) / (2 * h)
    net.theta[...] = theta
    assert np.all(np.isfinite(J))
    np.testing.assert_allclose(J, numeric, rtol=1e-6, atol=1e-8)


def test_the_jacobian_sums_to_the_backprop_gradient():
    # 2/m · Jᵀr is the gradient of the mean squared error that the other optimizers use
    rng = np.random.default_rng(3)
    net = FlatNet([2, 6, 4, 1], ["tanh", "sigmoid"])
    init_weights(net, "xavier", rng)
    X = np.ascontiguousarray(rng.uniform(-1, 1, (50, 2)))
    Y = rng.normal(size=(50, 1))
    J = np.empty((50, net.theta.size))
    r = net.residual_jacobian(X, Y, J)
    net.loss_grad(X, Y)
    np.testing.assert_allclose(2.0 / 50 * (J.T @ r), net.grad, rtol=1e-12, atol=1e-14)


# -- it trains -----------------------------------------------------------------------------------------------
def test_lm_reaches_a_small_error_on_a_smooth_function_in_a_few_hundred_iterations():
    result = fit("sin(3x)", hidden=(8,), optimizer="lm", epochs=200)
    assert result.history.epochs <= 200
    assert measure(result.network, parse("sin(3x)")).rmse < 1e-4
    assert np.all(np.diff(result.history.loss) <= 0)  # only steps that lower the loss are taken
    assert result.network.info["optimizer"] == "lm" and result.network.info["lr"] is None


def test_lm_fits_nielsens_function_to_the_benchmark_goal():
    result = fit(NIELSEN, hidden=(20,), optimizer="lm", goal=1e-3, seed=1, points=500, epochs=1000)
    assert result.history.stop == "goal" and result.history.epochs < 1000
    assert measure(result.network, parse(NIELSEN)).rmse <= 1.05e-3


def test_lm_on_a_wide_domain_in_two_dimensions_and_from_a_starting_net():
    wide = fit("sin(x/20)", hidden=(6,), optimizer="lm", epochs=100, domain=(0, 100))
    assert measure(wide.network, parse("sin(x/20)", domain=(0, 100))).rmse < 1e-4
    two = fit("exp(-(x^2+y^2))", hidden=(8,), optimizer="lm", epochs=60, points=225, domain=(-1, 1), ydomain=(-1, 1))
    assert two.network.input_dim == 2 and two.history.grid_shape == (41, 41)
    assert measure(two.network, parse("exp(-(x^2+y^2))", domain=(-1, 1), ydomain=(-1, 1))).rmse < 1e-2
    again = fit("sin(x/20)", hidden=(6,), optimizer="lm", epochs=5, domain=(0, 100), init_network=wide.network)
    assert again.history.loss[0] == pytest.approx(wide.history.loss[-1], rel=1e-6, abs=1e-15)


def test_lm_history_snapshots_and_callback_work_as_for_the_other_optimizers():
    seen = []
    result = fit(
        "sin(3x)",
        hidden=(6,),
        optimizer="lm",
        epochs=40,
        snapshot_epochs=[0, 5, 40],
        callback=lambda e, loss: seen.append((e, loss)),
    )
    h = result.history
    assert [e for e, _ in seen] == list(range(1, h.epochs + 1))
    np.testing.assert_allclose([loss for _, loss in seen], h.loss[1:])
    assert h.snapshot_epochs[0] == 0 and h.snapshot_epochs[-1] == h.epochs and h.snapshots.shape[1] == 201
    np.testing.assert_allclose(h.snapshots[-1], result.network(h.x), rtol=0, atol=1e-12)
    assert np.all(np.isfinite(h.snapshots)) and h.seconds > 0


def test_lm_is_deterministic_for_a_seed():
    a = fit("sin(3x)", hidden=(5,), optimizer="lm", epochs=20, seed=3)
    b = fit("sin(3x)", hidden=(5,), optimizer="lm", epochs=20, seed=3)
    assert all(
        np.array_equal(p.w, q.w) and np.array_equal(p.b, q.b) for p, q in zip(a.network.layers, b.network.layers)
    )


def test_lm_stops_when_no_step_helps():
    result = fit("0.5", hidden=(3,), optimizer="lm", epochs=2000)
    assert result.history.stop.startswith("lm stalled") and result.history.epochs < 2000
    assert result.network.info["stopped"] == result.history.stop
    np.testing.assert_allclose(result.network(np.linspace(0, 1, 11)), 0.5, atol=1e-6)


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(lr=0.1), r"lm chooses its own steps by adaptive damping; lr 0.1 does not apply"),
        (dict(batch_size=10), r"lm trains on the full batch; leave batch_size unset"),
        (dict(dropout=0.2), r"dropout makes the loss random, which breaks lm's steps"),
    ],
)
def test_lm_refuses_what_does_not_apply(kw, match):
    with pytest.raises(ConfigError, match=match):
        FitConfig(optimizer="lm", **kw)
    with pytest.raises(ConfigError, match=match):
        fit("sin(3x)", optimizer="lm", **kw)


# -- goal -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kw, goal",
    [
        (dict(optimizer="lm", hidden=(8,)), 1e-3),
        (dict(optimizer="lbfgs", hidden=(8,)), 1e-3),
        (dict(optimizer="adam", hidden=(8,), lr=0.02), 0.05),
        (dict(optimizer="sgd", hidden=(8,), lr=0.05), 0.2),
        (dict(optimizer="adam", hidden=(8,), batch_size=100), 0.05),
    ],
)
def test_goal_stops_early_and_says_so(kw, goal):
    budget = 5000
    result = fit("sin(3x)", epochs=budget, goal=goal, **kw)
    h = result.history
    assert h.stop == "goal" and result.network.info["stopped"] == "goal"
    assert 0 < h.epochs < budget and len(h.loss) == h.epochs + 1
    assert np.sqrt(h.loss[-1]) <= goal < np.sqrt(h.loss[-2])  # stopped at the first epoch that reached it
    assert result.rmse == pytest.approx(np.sqrt(h.loss[-1]))
    assert h.seconds > 0 and h.snapshot_epochs[-1] == h.epochs
    np.testing.assert_allclose(h.snapshots[-1], result.network(h.x), rtol=0, atol=1e-12)
    assert result.network.info["goal"] == goal and result.network.info["epochs_run"] == h.epochs


def test_goal_already_met_before_training_and_goal_never_met():
    start = fit("sin(3x)", hidden=(4,), epochs=5, goal=1e6)
    assert start.history.stop == "goal" and start.history.epochs == 0
    never = fit("sin(3x)", hidden=(2,), optimizer="lm", epochs=5, goal=1e-12)
    assert never.history.stop == "epochs" and never.history.epochs == 5


@pytest.mark.parametrize("goal", [0.0, -1.0, float("nan"), float("inf"), "0.1", True, 1e300])
def test_a_bad_goal_is_refused(goal):
    with pytest.raises(ConfigError, match="goal must be"):
        FitConfig(goal=goal)


# -- sizes checked before work --------------------------------------------------------------------------------
def test_a_net_too_large_for_a_dense_jacobian_is_refused_naming_the_alternatives(monkeypatch):
    def no_work(*args, **kwargs):
        raise AssertionError("work started before the size check")

    monkeypatch.setattr(training.trainers, "FlatNet", no_work)
    monkeypatch.setattr(univ.Target, "check", no_work)
    monkeypatch.setattr(univ.Target, "evaluate", no_work)
    with pytest.raises(ConfigError, match=r"dense Jacobian .* limit is 5,000,000: use lbfgs or adam"):
        fit("sin(3x)", hidden=(500,), optimizer="lm", points=10_000)
    with pytest.raises(ConfigError, match=rf"at most {LM_MAX_PARAMETERS:,} parameters: use lbfgs or adam"):
        FitConfig(hidden=(3000,), optimizer="lm", points=10)
    # 1D would fit (1,761 × 2,800 entries); the 2D grid of 53² points with 1,801 parameters does not
    FitConfig(hidden=(40, 40), optimizer="lm", points=2800)
    with pytest.raises(ConfigError, match="2,809 points × 1,801 parameters"):
        fit("x*y", hidden=(40, 40), optimizer="lm", points=2800)
    assert 1761 * 2800 <= LM_MAX_JACOBIAN < 1801 * 2809


@pytest.mark.parametrize(
    "hidden, match",
    [
        (10**10, "width must be a whole number from 1 to 100,000, got 10000000000"),
        ((10**10, 1), "width must be a whole number from 1 to 100,000"),
        (range(10**12), "at most 100 hidden layers, got 1,000,000,000,000"),
        ((w for w in iter(int, 1)), "at most 100 hidden layers, got more"),  # an endless generator
        ((1,) * 101, "at most 100 hidden layers, got 101"),
        ("16", "sequence of layer widths"),
    ],
)
def test_every_size_is_checked_before_anything_that_size_is_made(hidden, match):
    with pytest.raises(ConfigError, match=match):
        fit("sin(3x)", hidden=hidden)


def test_snapshot_epochs_are_bounded_too():
    with pytest.raises(ConfigError, match="at most 10,000 epochs, got 1,000,000,000,000"):
        FitConfig(epochs=10, snapshot_epochs=range(10**12))
    with pytest.raises(ConfigError, match="snapshot_epochs must be a list"):
        FitConfig(snapshot_epochs=5)


# -- one rule: an explicit keyword wins, a config supplies the rest --------------------------------------------
def test_an_explicit_keyword_beats_the_config():
    result = fit("sin(3x)", config=FitConfig(activation="relu", hidden=(4,), epochs=3), activation="tanh")
    assert result.config.activation == "tanh"
    assert [layer.activation for layer in result.network.hidden] == ["tanh"]


def test_the_config_supplies_what_is_not_passed_even_when_it_equals_a_default():
    cfg = FitConfig(hidden=(3, 3), optimizer="sgd", epochs=4, lr=0.05, seed=2)
    result = fit("sin(3x)", config=cfg, seed=0)  # seed 0 is the default value, but it was passed: it wins
    assert result.config.seed == 0 and result.config.hidden == (3, 3) and result.config.optimizer == "sgd"
    assert result.history.epochs == 4 and result.config.lr == 0.05
    assert fit("sin(3x)", config=FitConfig(hidden=(3,), epochs=2, optimizer="lm")).config.optimizer == "lm"


def test_an_unknown_keyword_is_an_error_naming_the_fields():
    with pytest.raises(ConfigError, match=r"unknown option\(s\) epoch for fit; the fields are hidden, activation"):
        fit("sin(3x)", epoch=3)
    with pytest.raises(ConfigError, match="config must be a FitConfig"):
        fit("sin(3x)", config={"epochs": 3})


# -- display ------------------------------------------------------------------------------------------------------
def test_fit_result_and_history_display_as_short_text_and_a_table():
    result = fit("sin(3x)", hidden=(5,), optimizer="lm", epochs=30, goal=1e-3)
    text = repr(result)
    assert text.startswith("FitResult(1 → 5 → 1 tanh, lm, ") and "stop='goal'" in text and "RMSE" in text
    assert "array" not in text and "[" not in text and len(text) < 200
    assert "array" not in repr(result.history) and len(repr(result.history)) < 200
    page = result._repr_html_()
    assert page.startswith("<table>") and page.endswith("</table>")
    for cell in ("1 → 5 → 1", "tanh", "lm", "goal", "training RMSE", "seconds", f"{result.history.epochs:,} of 30"):
        assert cell in page
    assert "array" not in page and "<table>" in result.history._repr_html_()


def test_importing_training_pulls_in_no_plotting():
    import subprocess
    import sys

    code = "import sys, univ.training\nprint(sorted(m for m in ('matplotlib', 'scipy', 'torch') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_trained_lm_net_is_a_network_that_saves_and_loads():
    result = fit("sin(3x)", hidden=(4,), optimizer="lm", epochs=10)
    back = Network.from_json(result.network.to_json())
    x = np.linspace(0, 1, 7)
    np.testing.assert_array_equal(back(x), result.network(x))
    assert back.info["optimizer"] == "lm" and back.info["stopped"] == result.history.stop


def test_the_limits_live_in_univ_limits_and_fitconfig_holds_to_them():
    from univ import limits

    assert not hasattr(training, "MAX_PARAMETERS")  # no second name for MAX_TRAIN_PARAMETERS
    cases = [
        (dict(epochs=limits.MAX_EPOCHS + 1), f"from 1 to {limits.MAX_EPOCHS:,}"),
        (dict(lr=limits.MAX_LR * 2), "lr must be"),
        (dict(hidden=(1,) * (limits.MAX_LAYERS + 1)), f"at most {limits.MAX_LAYERS} hidden layers"),
        (dict(hidden=(limits.MAX_WIDTH + 1,)), f"from 1 to {limits.MAX_WIDTH:,}"),
        (dict(points=limits.MAX_POINTS + 1), f"from 2 to {limits.MAX_POINTS:,}"),
        (dict(hidden=(3000, 3000, 3000)), f"the limit is {limits.MAX_TRAIN_PARAMETERS:,}"),
        (dict(hidden=(1000,), points=limits.MAX_POINTS), f"limit {limits.MAX_BATCH_ACTIVATIONS:,} activations"),
    ]
    for kw, match in cases:
        with pytest.raises(ConfigError, match=match):
            FitConfig(**kw)
    FitConfig(hidden=(1,) * limits.MAX_LAYERS, epochs=limits.MAX_EPOCHS)  # the limits themselves are allowed
