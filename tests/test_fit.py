"""Gradient training: backprop against central differences, Adam and SGD against hand-worked steps and an
independent reference, L-BFGS to a small loss, determinism, divergence, dropout, configuration, snapshots."""

import dataclasses
import math
import subprocess
import sys

import numpy as np
import pytest

import univ
from univ import ConfigError, DomainError, ExpressionError, Layer, Network, TrainingDiverged, measure, parse
from univ.training import FitConfig, FitResult, History, fit, loss_and_gradient

ACTS = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0), "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z))}


def random_net(sizes, activation, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    layers = [
        Layer(scale * rng.normal(size=(a, b)), rng.normal(size=b), activation) for a, b in zip(sizes[:-2], sizes[1:-1])
    ]
    layers.append(Layer(rng.normal(size=(sizes[-2], 1)), rng.normal(size=1), "linear"))
    return Network(layers)


def flat(net):
    return np.concatenate([np.concatenate([layer.w.ravel(), layer.b]) for layer in net.layers])


def with_flat(net, theta):
    layers, k = [], 0
    for layer in net.layers:
        nw, nb = layer.w.size, layer.b.size
        layers.append(Layer(theta[k : k + nw].reshape(layer.w.shape), theta[k + nw : k + nw + nb], layer.activation))
        k += nw + nb
    return Network(layers)


def pre_activations(net, x):
    h, zs = np.asarray(x, float).reshape(len(x), -1), []
    for layer in net.hidden:
        z = h @ layer.w + layer.b
        zs.append(z)
        h = ACTS[layer.activation](z)
    return zs


# -- backprop ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("hidden", [(6,), (5, 4), (4, 3, 5)])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_gradient_matches_central_differences(activation, hidden):
    net = random_net([1, *hidden, 1], activation, seed=len(hidden))
    rng = np.random.default_rng(7)
    x = rng.uniform(-1.5, 1.5, 40)
    y = np.sin(3 * x)
    h = 1e-6
    if activation == "relu":  # stay clear of the kinks: no pre-activation within reach of the step
        assert min(np.min(np.abs(z)) for z in pre_activations(net, x)) > 1e3 * h
    loss, grads = loss_and_gradient(net, x, y)
    assert loss == pytest.approx(np.mean((net(x) - y) ** 2), rel=1e-12)
    analytic = np.concatenate([np.concatenate([gw.ravel(), gb]) for gw, gb in grads])
    theta = flat(net)
    numeric = np.empty_like(theta)
    for i in range(len(theta)):
        up, down = theta.copy(), theta.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (np.mean((with_flat(net, up)(x) - y) ** 2) - np.mean((with_flat(net, down)(x) - y) ** 2)) / (2 * h)
    rel = np.abs(analytic - numeric) / np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), 1e-3)
    assert rel.max() < 1e-6, (rel.max(), int(rel.argmax()))


def test_gradient_in_two_dimensions():
    net = random_net([2, 5, 3, 1], "tanh", seed=3)
    rng = np.random.default_rng(1)
    pts = rng.uniform(-1, 1, (30, 2))
    y = np.exp(-(pts**2).sum(1))
    _, grads = loss_and_gradient(net, pts, y)
    theta, h = flat(net), 1e-6
    analytic = np.concatenate([np.concatenate([gw.ravel(), gb]) for gw, gb in grads])
    for i in range(0, len(theta), 3):
        up, down = theta.copy(), theta.copy()
        up[i] += h
        down[i] -= h
        num = (np.mean((with_flat(net, up)(pts) - y) ** 2) - np.mean((with_flat(net, down)(pts) - y) ** 2)) / (2 * h)
        assert abs(analytic[i] - num) <= 1e-6 * max(abs(num), 1e-3)


def test_gradient_refuses_what_it_cannot_differentiate():
    step = univ.construct("sin(3x)", 8, method="heaviside")
    with pytest.raises(ConfigError, match="heaviside"):
        loss_and_gradient(step, np.zeros(3), np.zeros(3))


# -- optimizers, step by step ----------------------------------------------------------------------------
# A 1-1-1 tanh net on three points, differentiated by hand: yhat = wo·tanh(w x + b) + bo.
TINY_X = np.array([-1.0, 0.0, 1.0])


def tiny_net(w=0.7, b=-0.2, wo=1.3, bo=0.1):
    return Network([Layer([[w]], [b], "tanh"), Layer([[wo]], [bo], "linear")])


def tiny_grad(theta, y):
    w, b, wo, bo = theta
    t = np.tanh(w * TINY_X + b)
    r = wo * t + bo - y
    back = 2 * r * wo * (1 - t * t)
    loss = np.mean(r * r)
    return loss, np.array([np.mean(back * TINY_X), np.mean(back), np.mean(2 * r * t), np.mean(2 * r)])


def tiny_fit(**kw):
    target = parse("x^2 - 0.5x", domain=(-1, 1))
    return fit(target, hidden=(1,), init_network=tiny_net(), points=3, normalize=False, **kw), target(TINY_X)


def weights(net):
    return np.array([net.layers[0].w[0, 0], net.layers[0].b[0], net.layers[1].w[0, 0], net.layers[1].b[0]])


def test_two_adam_steps_worked_by_hand():
    lr = 0.05
    result, y = tiny_fit(optimizer="adam", lr=lr, epochs=2)
    theta0 = np.array([0.7, -0.2, 1.3, 0.1])
    loss0, g1 = tiny_grad(theta0, y)
    # step 1: m = 0.1 g, v = 0.001 g², m̂ = g, v̂ = g², so each weight moves by lr·g/(|g| + 1e-8)
    m1, v1 = 0.1 * g1, 0.001 * g1**2
    theta1 = theta0 - lr * (m1 / 0.1) / (np.sqrt(v1 / 0.001) + 1e-8)
    np.testing.assert_allclose(theta1, theta0 - lr * np.sign(g1), rtol=0, atol=1e-7 * lr)
    loss1, g2 = tiny_grad(theta1, y)
    m2, v2 = 0.9 * m1 + 0.1 * g2, 0.999 * v1 + 0.001 * g2**2
    theta2 = theta1 - lr * (m2 / (1 - 0.9**2)) / (np.sqrt(v2 / (1 - 0.999**2)) + 1e-8)
    np.testing.assert_allclose(weights(result.network), theta2, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(result.history.loss, [loss0, loss1, tiny_grad(theta2, y)[0]], rtol=1e-12)


def test_two_sgd_momentum_steps_worked_by_hand():
    lr, mu = 0.1, 0.9
    result, y = tiny_fit(optimizer="sgd", lr=lr, momentum=mu, epochs=2)
    theta0 = np.array([0.7, -0.2, 1.3, 0.1])
    _, g1 = tiny_grad(theta0, y)
    buf = g1  # the buffer starts at zero: μ·0 + g
    theta1 = theta0 - lr * buf
    _, g2 = tiny_grad(theta1, y)
    buf = mu * buf + g2
    theta2 = theta1 - lr * buf
    np.testing.assert_allclose(weights(result.network), theta2, rtol=1e-12, atol=1e-15)


def reference_adam(net, x, y, lr, steps):
    """Plain Adam (Kingma & Ba, Algorithm 1) with its own backprop, written out layer by layer."""
    Ws = [layer.w.copy() for layer in net.layers]
    bs = [layer.b.copy() for layer in net.layers]
    params = [p for pair in zip(Ws, bs) for p in pair]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    X, Y = x.reshape(-1, 1), y.reshape(-1, 1)
    losses = []
    for t in range(1, steps + 1):
        hs = [X]
        for W, b in zip(Ws[:-1], bs[:-1]):
            hs.append(np.tanh(hs[-1] @ W + b))
        out = hs[-1] @ Ws[-1] + bs[-1]
        losses.append(np.mean((out - Y) ** 2))
        d = 2 * (out - Y) / len(X)
        grads = []
        for k in range(len(Ws) - 1, -1, -1):
            grads[:0] = [hs[k].T @ d, d.sum(0)]
            if k:
                d = (d @ Ws[k].T) * (1 - hs[k] ** 2)
        for p, g, mk, vk in zip(params, grads, m, v):
            mk[...] = 0.9 * mk + 0.1 * g
            vk[...] = 0.999 * vk + 0.001 * g * g
            mhat = mk / (1 - 0.9**t)
            vhat = vk / (1 - 0.999**t)
            p -= lr * mhat / (np.sqrt(vhat) + 1e-8)
    return Ws, bs, np.array(losses)


def test_adam_follows_an_independent_reference_for_twenty_steps():
    init = random_net([1, 6, 5, 1], "tanh", seed=11, scale=0.8)
    target = parse("sin(3x) + 0.5", domain=(-1, 1))
    x = np.linspace(-1, 1, 50)
    result = fit(
        target, hidden=(6, 5), init_network=init, optimizer="adam", lr=0.02, epochs=20, points=50, normalize=False
    )
    Ws, bs, losses = reference_adam(init, x, target(x), 0.02, 20)
    np.testing.assert_allclose(result.history.loss[:20], losses, rtol=1e-10)
    for layer, W, b in zip(result.network.layers, Ws, bs):
        np.testing.assert_allclose(layer.w, W, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(layer.b, b, rtol=1e-9, atol=1e-12)


def test_adam_follows_torch_for_twenty_steps():
    torch = pytest.importorskip("torch")
    init = random_net([1, 8, 8, 1], "tanh", seed=5, scale=0.8)
    target = parse("exp(x) cos(4x)", domain=(-1, 1))
    x = np.linspace(-1, 1, 64)
    result = fit(
        target, hidden=(8, 8), init_network=init, optimizer="adam", lr=0.01, epochs=20, points=64, normalize=False
    )
    params = []
    for layer in init.layers:
        params += [
            torch.tensor(layer.w, dtype=torch.float64, requires_grad=True),
            torch.tensor(layer.b, dtype=torch.float64, requires_grad=True),
        ]
    opt = torch.optim.Adam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    X = torch.tensor(x.reshape(-1, 1))
    Y = torch.tensor(target(x).reshape(-1, 1))
    losses = []
    for _ in range(20):
        opt.zero_grad()
        h = X
        for k in range(0, len(params) - 2, 2):
            h = torch.tanh(h @ params[k] + params[k + 1])
        loss = torch.mean((h @ params[-2] + params[-1] - Y) ** 2)
        loss.backward()
        losses.append(loss.item())
        opt.step()
    np.testing.assert_allclose(result.history.loss[:20], losses, rtol=1e-10)
    for layer, (w, b) in zip(result.network.layers, zip(params[0::2], params[1::2])):
        np.testing.assert_allclose(layer.w, w.detach().numpy(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(layer.b, b.detach().numpy(), rtol=1e-9, atol=1e-12)


# -- training to a result --------------------------------------------------------------------------------
def test_lbfgs_reaches_a_small_error_on_sin3x():
    # measured: RMSE 7e-7 (seed 0), 3e-7 to 5e-6 over seeds 1-3, in 500-1000 iterations
    target = parse("sin(3x)")
    result = fit(target, hidden=(16,), optimizer="lbfgs", epochs=1000, seed=0)
    report = measure(result.network, target)
    assert report.rmse < 1e-4 and report.max_error < 1e-3
    assert result.history.loss[-1] < 1e-9
    assert result.history.epochs <= 1000


def test_adam_and_sgd_learn_sin3x():
    target = parse("sin(3x)")
    for optimizer, bound in (("adam", 0.05), ("sgd", 0.05)):  # measured: 0.022 and 0.011
        result = fit(target, hidden=(16,), optimizer=optimizer, epochs=600, seed=1)
        loss = result.history.loss
        assert loss[-1] < loss[0] / 100
        assert measure(result.network, target).rmse < bound, optimizer


def test_mini_batches_and_relu_train_too():
    target = parse("abs(x)", domain=(-1, 1))
    result = fit(target, hidden=(16, 16), activation="relu", batch_size=50, epochs=60, points=400)
    assert result.network.info["init"] == "he"
    assert measure(result.network, target).rmse < 0.05


def test_a_trained_net_is_a_network_recording_how_it_was_made():
    result = fit("sin(3x)", hidden=(5, 4), activation="sigmoid", optimizer="sgd", lr=0.05, epochs=30, seed=3)
    net = result.network
    assert isinstance(result, FitResult) and isinstance(net, Network) and isinstance(result.history, History)
    assert [layer.activation for layer in net.layers] == ["sigmoid", "sigmoid", "linear"]
    assert net.hidden_sizes == [5, 4] and net.input_dim == 1
    info = net.info
    for key, value in dict(
        method="fit",
        activation="sigmoid",
        optimizer="sgd",
        lr=0.05,
        epochs=30,
        seed=3,
        hidden=[5, 4],
        momentum=0.9,
        init="xavier",
        dropout=0.0,
        batch_size=None,
    ).items():
        assert info[key] == value, key
    again = Network.from_json(net.to_json())
    x = np.linspace(0, 1, 7)
    np.testing.assert_array_equal(again(x), net(x))


def test_normalization_is_folded_back_exactly():
    # a wide domain with large values: the net trains on scaled data but acts on raw x and gives raw values
    target = parse("100 + 50 sin(x/20)", domain=(0, 100))
    init = random_net([1, 8, 1], "tanh", seed=2, scale=0.02)
    result = fit(target, hidden=(8,), init_network=init, optimizer="lbfgs", epochs=100)
    x = np.linspace(0, 100, 1000)
    assert result.history.loss[0] == pytest.approx(np.mean((init(x) - target(x)) ** 2), rel=1e-9)
    assert result.history.loss[-1] == pytest.approx(np.mean((result.network(x) - target(x)) ** 2), rel=1e-6)


def test_a_wide_domain_trains_as_well_as_the_unit_interval():
    wide = parse("100 + 50 sin(x/20)", domain=(0, 100))
    unit = parse("100 + 50 sin(5x)")
    runs = [fit(t, hidden=(8,), optimizer="lbfgs", epochs=300) for t in (wide, unit)]
    # the same problem once scaled: the same start and, until rounding differences grow, the same path
    np.testing.assert_allclose(runs[0].history.loss[:30], runs[1].history.loss[:30], rtol=1e-6)
    errors = [measure(r.network, t).max_error for r, t in zip(runs, (wide, unit))]
    assert max(errors) < 0.2  # measured: 0.007 to 0.06 on an amplitude of 50 (later paths part by rounding)


def test_callback_sees_every_epoch_and_its_loss():
    seen = []
    result = fit("sin(3x)", hidden=(4,), epochs=25, callback=lambda e, loss: seen.append((e, loss)))
    assert [e for e, _ in seen] == list(range(1, 26))
    np.testing.assert_array_equal([loss for _, loss in seen], result.history.loss[1:])


@pytest.mark.parametrize(
    "kw",
    [
        dict(optimizer="adam", epochs=40),
        dict(optimizer="sgd", epochs=12, batch_size=128, dropout=0.1),
        dict(optimizer="lbfgs", epochs=40),
        dict(optimizer="lm", epochs=15),
        dict(optimizer="lm", epochs=400, goal=5e-3),
        dict(optimizer="lbfgs", epochs=400, goal=5e-3),
        dict(optimizer="adam", epochs=4000, goal=5e-2),
    ],
)
def test_every_trainer_keeps_the_same_books(kw):
    """One recorder: the callback sees epochs 1..n with the recorded losses, the snapshots sit at the wanted epochs
    plus the last, the last snapshot is the returned net's output, and the goal stops at the first loss under it."""
    seen = []
    result = fit("sin(3x)", hidden=(6,), snapshot_epochs=[0, 2, 7], callback=lambda e, v: seen.append((e, v)), **kw)
    h = result.history
    assert [e for e, _ in seen] == list(range(1, h.epochs + 1))
    np.testing.assert_array_equal([v for _, v in seen[:-1]], h.loss[1:-1])
    assert h.snapshot_epochs == sorted({e for e in (0, 2, 7) if e <= h.epochs} | {h.epochs})
    np.testing.assert_allclose(h.snapshots[-1], result.network(h.x), rtol=0, atol=1e-12)
    assert h.loss[-1] == pytest.approx(
        np.mean((result.network(np.linspace(0, 1, 1000)) - np.sin(3 * np.linspace(0, 1, 1000))) ** 2), rel=1e-9
    )
    if "goal" in kw:
        assert h.stop == "goal" and h.rmse <= kw["goal"]
        assert np.all(np.sqrt(h.loss[:-1]) > kw["goal"])  # no earlier epoch had reached it
    else:
        assert h.epochs == kw["epochs"] and h.stop == "epochs"


def test_predict_loss_and_residuals_share_one_forward_pass():
    from univ.training.net import FlatNet, init_weights

    net = FlatNet([2, 7, 5, 1], ["tanh", "sigmoid"])
    init_weights(net, "xavier", np.random.default_rng(3))
    X = np.random.default_rng(4).uniform(-1, 1, size=(300, 2))
    Y = np.random.default_rng(5).normal(size=(300, 1))
    layers = [Layer(W.copy(), b.copy(), a) for W, b, a in zip(net.W, net.b, [*net.activations, "linear"])]
    z = pre_activations(Network(layers), X)[-1]  # an independent forward pass
    expected = (ACTS["sigmoid"](z) @ net.W[2])[:, 0] + net.b[2][0]
    out = net.predict(X)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-13)
    r = net.residuals(X, Y)
    assert np.array_equal(r, out - Y[:, 0])  # the same kernel: bit for bit
    assert net.loss_grad(X, Y) == float(r @ r) / 300 == net.mse(X, Y)


def test_predicting_many_points_through_a_wide_net_goes_in_bounded_chunks(monkeypatch):
    from univ.training import net as net_mod

    monkeypatch.setattr(net_mod, "MAX_BATCH_ACTIVATIONS", 50_000)  # 1,000 rows of 50 units at a time
    net = net_mod.FlatNet([1, 50, 1], ["tanh"])
    net_mod.init_weights(net, "xavier", np.random.default_rng(2))
    X = np.linspace(-1, 1, 2_345).reshape(-1, 1)
    expected = (np.tanh(X @ net.W[0] + net.b[0]) @ net.W[1])[:, 0] + net.b[1][0]
    np.testing.assert_allclose(net.predict(X), expected, rtol=1e-13, atol=1e-14)
    assert max(w.m for w in net._work.values()) == 1_000  # no work array past the bound


def test_fit_takes_hyper_parameters_by_keyword_only():
    with pytest.raises(TypeError, match="positional"):
        fit("sin(3x)", (4,))
    with pytest.raises(ConfigError, match="unknown option.*hiden"):
        fit("sin(3x)", hiden=(4,))


def test_small_training_runs_on_one_blas_thread():
    """threadpoolctl is a dependency: small products run on one BLAS thread, larger ones are left to BLAS."""
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas_threads():
        return {m["num_threads"] for m in threadpoolctl.threadpool_info() if m["user_api"] == "blas"}

    outside = blas_threads()
    inside = []
    fit("sin(3x)", hidden=(4,), epochs=3, callback=lambda e, v: inside.append(blas_threads()))
    assert inside and all(t == {1} for t in inside)
    assert blas_threads() == outside  # restored afterwards


# -- determinism -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kw", [dict(optimizer="adam"), dict(optimizer="sgd", batch_size=64, dropout=0.2), dict(optimizer="lbfgs")]
)
def test_same_seed_same_net_bit_for_bit_and_other_seeds_differ(kw):
    a = fit("sin(3x)", hidden=(8, 8), epochs=30, seed=4, **kw)
    b = fit("sin(3x)", hidden=(8, 8), epochs=30, seed=4, **kw)
    c = fit("sin(3x)", hidden=(8, 8), epochs=30, seed=5, **kw)
    for la, lb in zip(a.network.layers, b.network.layers):
        assert np.array_equal(la.w, lb.w) and np.array_equal(la.b, lb.b)
    assert np.array_equal(a.history.loss, b.history.loss)
    assert np.array_equal(a.history.snapshots, b.history.snapshots)
    assert not np.array_equal(a.network.layers[0].w, c.network.layers[0].w)


# -- divergence ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kw", [dict(optimizer="sgd", lr=1e3), dict(optimizer="sgd", lr=10.0, momentum=0.0), dict(optimizer="adam", lr=1e6)]
)
def test_absurd_learning_rate_raises_training_diverged(kw):
    seen = []
    with pytest.raises(TrainingDiverged, match=r"diverged at epoch \d+.*lr .* too large"):
        fit("sin(3x)", hidden=(8, 8), epochs=200, callback=lambda e, loss: seen.append(loss), **kw)
    assert all(math.isfinite(v) for v in seen)  # nothing NaN was ever reported


def test_nan_loss_is_divergence_not_a_network(monkeypatch):
    from univ.training.net import FlatNet

    real = FlatNet.loss_grad

    def poisoned(self, X, Y, *args):
        loss = real(self, X, Y, *args)
        self.theta[0] = np.nan  # as an overflow would
        return loss

    monkeypatch.setattr(FlatNet, "loss_grad", poisoned)
    with pytest.raises(TrainingDiverged, match="nan"):
        fit("sin(3x)", hidden=(4,), epochs=5)


# -- dropout ---------------------------------------------------------------------------------------------
def test_dropout_acts_in_training_only():
    init = random_net([1, 32, 1], "tanh", seed=8, scale=0.5)
    kw = dict(hidden=(32,), init_network=init, epochs=40, lr=0.005, seed=1)
    plain = fit("sin(3x)", **kw)
    dropped = fit("sin(3x)", dropout=0.5, **kw)
    assert not np.allclose(plain.network.layers[0].w, dropped.network.layers[0].w)  # training saw the masks
    net = dropped.network
    x = np.linspace(0, 1, 1000)  # the training points
    np.testing.assert_array_equal(net(x), net(x))  # evaluation is deterministic: no masks
    # the recorded loss is the plain MSE of the final net, and the last snapshot its plain output
    assert dropped.history.loss[-1] == pytest.approx(np.mean((net(x) - np.sin(3 * x)) ** 2), rel=1e-9)
    np.testing.assert_allclose(dropped.history.snapshots[-1], net(dropped.history.x), rtol=0, atol=1e-12)


def test_inverted_dropout_keeps_the_expected_output():
    from univ.training.net import FlatNet, init_weights

    net = FlatNet([1, 64, 1], ["tanh"])
    init_weights(net, "xavier", np.random.default_rng(0))
    X = np.linspace(-1, 1, 50).reshape(-1, 1)
    zero = np.zeros((50, 1))
    clean = net.predict(X)
    rng = np.random.default_rng(1)
    # with Y = 0 the gradient of the output bias is 2·mean(output): compare its average over many masks
    means = []
    for _ in range(2000):
        net.loss_grad(X, zero, rng, 0.5)
        means.append(net.gb[-1][0] / 2)
    assert abs(np.mean(means) - clean.mean()) < 0.02 * max(1.0, np.abs(clean).mean())


# -- configuration ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(lr=0.0), r"lr must be a finite number in \(0, 1e\+06\], got 0.0"),
        (dict(lr=-1.0), r"lr .*-1"),
        (dict(lr=float("nan")), "lr"),
        (dict(lr=1e9), "lr"),
        (dict(epochs=0), "epochs must be a whole number from 1 to 1,000,000, got 0"),
        (dict(epochs=1_000_001), "epochs .*1000001"),
        (dict(epochs=10.5), "epochs"),
        (dict(dropout=1.0), r"dropout must be a finite number in \[0, 1\), got 1.0"),
        (dict(dropout=-0.1), "dropout"),
        (dict(hidden=()), "at least one hidden layer"),
        (dict(hidden=(16, 0)), "hidden layer width must be a whole number from 1 to 100,000, got 0"),
        (dict(hidden=(16, -3)), "-3"),
        (dict(hidden=(2.5,)), "2.5"),
        (dict(hidden=(100_000, 100_000)), "parameters"),
        (dict(activation="softmax"), "unknown activation 'softmax'; choose one of tanh, relu, sigmoid"),
        (dict(activation="heaviside"), "unknown activation"),
        (dict(optimizer="rmsprop"), "unknown optimizer 'rmsprop'"),
        (dict(init="zeros"), "unknown init 'zeros'; choose one of xavier, he"),
        (dict(batch_size=0), "batch_size .* got 0"),
        (dict(batch_size=2000), r"batch_size must be at most points \(1000\), got 2000"),
        (dict(momentum=1.0), r"momentum must be a finite number in \[0, 1\)"),
        (dict(seed=-1), "seed"),
        (dict(points=1), "points .* got 1"),
        (dict(optimizer="lbfgs", lr=0.1), "line search"),
        (dict(optimizer="lbfgs", dropout=0.1), "dropout"),
        (dict(optimizer="lbfgs", batch_size=10), "full batch"),
        (dict(snapshot_epochs=(0, 5000)), "snapshot epoch must be a whole number from 0 to 2,000, got 5000"),
    ],
)
def test_bad_configuration_names_the_value_and_range(kw, match):
    with pytest.raises(ConfigError, match=match):
        FitConfig(**kw)
    with pytest.raises(ConfigError, match=match):
        fit("sin(3x)", **kw)


def test_config_is_frozen_and_overridable():
    cfg = FitConfig(hidden=[8, 8], optimizer="sgd")
    assert cfg.hidden == (8, 8) and cfg.learning_rate == 0.01 and cfg.init_scheme == "xavier"
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.lr = 0.1
    result = fit("x^2", config=cfg, epochs=3)  # a keyword that differs from the default overrides
    assert result.config.optimizer == "sgd" and result.config.epochs == 3 and result.network.hidden_sizes == [8, 8]


@pytest.mark.parametrize(
    "target, kw, error",
    [
        ("sin(", {}, ExpressionError),
        ("1/x", dict(domain=(-1, 1)), DomainError),
        (3.0, {}, ConfigError),
        ("sin(3x)", dict(init_network=random_net([1, 3, 1], "tanh")), ConfigError),  # hidden (16,16,16) asked
        ("sin(3x)", dict(hidden=(3,), init_network=random_net([1, 3, 1], "relu")), ConfigError),
    ],
)
def test_bad_targets_and_starting_nets_are_refused(target, kw, error):
    with pytest.raises(error):
        fit(target, epochs=2, **kw)


# -- history ---------------------------------------------------------------------------------------------
def test_snapshots_are_finite_on_a_fixed_grid_at_log_spaced_epochs():
    result = fit("sin(3x)", hidden=(8,), epochs=500)
    h = result.history
    assert h.loss.shape == (501,) and np.all(np.isfinite(h.loss)) and h.epochs == 500
    assert h.x.shape == (201,) and h.x[0] == 0.0 and h.x[-1] == 1.0 and h.grid_shape == (201,)
    assert h.snapshot_epochs[0] == 0 and h.snapshot_epochs[-1] == 500
    assert 20 <= len(h.snapshot_epochs) <= 31 and h.snapshot_epochs == sorted(set(h.snapshot_epochs))
    assert h.snapshots.shape == (len(h.snapshot_epochs), 201) and np.all(np.isfinite(h.snapshots))
    np.testing.assert_allclose(h.snapshots[-1], result.network(h.x), rtol=0, atol=1e-12)
    assert h.seconds > 0
    with pytest.raises(ValueError):
        h.loss[0] = 1.0  # read-only


def test_chosen_snapshot_epochs_and_two_dimensions():
    result = fit("exp(-(x^2+y^2))", hidden=(8, 8), epochs=12, snapshot_epochs=[0, 3, 12], points=400, domain=(-1, 1))
    h = result.history
    assert h.snapshot_epochs == [0, 3, 12]
    assert h.x.shape == (41 * 41, 2) and h.grid_shape == (41, 41) and h.snapshots.shape == (3, 41 * 41)
    assert result.network.input_dim == 2 and result.network.info["points"] == 400
    np.testing.assert_allclose(h.snapshots[-1], result.network(h.x), rtol=0, atol=1e-12)


def test_importing_fit_pulls_in_no_plotting_or_torch():
    code = (
        "import sys, univ.training, univ.comparison, univ.cli.fit\n"
        "print(sorted(m for m in ('matplotlib', 'scipy', 'torch', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_fit_and_compare_are_callable_whichever_import_comes_first():
    # importing a submodule binds univ.fit / univ.compare to the module, not the lazily exported function
    code = (
        "from univ.training import FitConfig\nfrom univ.comparison import Sweep\nfrom univ import fit, compare\n"
        "r = fit('sin(3x)', hidden=(4,), epochs=3)\nc = compare('sin(3x)', 4, depths=(), methods=('relu',))\n"
        "print(r.history.epochs, c.rows[0]['model'])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["3", "relu"]


# -- the command line ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "given, widths",
    [
        ("16,16,16", [16, 16, 16]),
        ("2,2", [2, 2]),
        ("3, 5,3", [3, 5, 3]),
        ("4", [4]),
        (",".join(["1"] * 100), [1] * 100),
    ],
)
def test_hidden_keeps_every_layer_as_written(cli, tmp_path, given, widths):
    import json

    r = cli("fit", "sin(3x)", "--hidden", given, "--epochs", "1", "--points", "20", "--json", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["hidden_layers"] == widths
    assert univ.Network.from_json((tmp_path / "network.json").read_text()).hidden_sizes == widths


@pytest.mark.parametrize(
    "given, says",
    [(",".join(["1"] * 101), "at most 100"), ("2,0", "from 1 to"), ("2,,2", "empty item"), ("2,x", "not a whole")],
)
def test_hidden_past_the_limits_is_one_line_and_status_2(cli, tmp_path, given, says):
    r = cli("fit", "sin(3x)", "--hidden", given, "--epochs", "1", "--out", str(tmp_path / "run"))
    assert r.exit_code == 2 and says in r.stderr and "Traceback" not in r.output
    assert not (tmp_path / "run").exists()  # nothing written


@pytest.mark.parametrize("optimizer, word", [("lm", "iteration"), ("lbfgs", "iteration"), ("adam", "epoch")])
def test_the_fit_figure_counts_in_the_cli_s_word(cli, tmp_path, optimizer, word):
    """lm and L-BFGS count iterations, Adam and SGD epochs: the figure's axis, legend and title say what the CLI
    says."""
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from univ.plot.figures import fit_figure

    r = cli("fit", "sin(3x)", "--hidden", "6", "--optimizer", optimizer, "--epochs", "40", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    other = {"epoch": "iteration", "iteration": "epoch"}[word]
    assert f" {word}s" in r.stdout and other not in r.stdout
    result = fit("sin(3x)", hidden=(6,), optimizer=optimizer, epochs=40)
    assert result.history.per == word and word in repr(result.history)
    fig = Figure()
    fit_figure(fig, result.network, parse("sin(3x)"), result.history)
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    shown = " ".join(texts)
    assert word in shown and other not in shown, texts
