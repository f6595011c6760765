"""Sorted evaluation of one-hidden-layer nets (univ.fasteval) against the dense forward pass, the reference."""

import numpy as np
import pytest

import univ.fasteval as fe
import univ.network as network_mod
from univ import Layer, Network, construct

TOL = 1e-12  # the promise: agreement to 1e-12 of the sum of |output weights| (relu: of the sum of |terms|)
KINDS = ["sigmoid", "tanh", "relu", "heaviside", "linear"]


def random_net(rng, n, act, *, dim=1, steep=1.0, output="linear", zeros=False, directions=None):
    """A random one-hidden-layer net: weights of both signs with magnitudes up to ``steep``, step points in [−2, 2]."""
    mag = np.exp(rng.uniform(np.log(max(steep / 20, 1e-3)), np.log(steep), n))
    sign = rng.choice([-1.0, 1.0], n)
    if dim == 1:
        w = (sign * mag).reshape(1, n)
    else:
        if directions is None:
            theta = rng.uniform(0, 2 * np.pi, n)
        else:
            theta = rng.choice(directions, n)
        w = np.stack([np.cos(theta), np.sin(theta)]) * (sign * mag)
    s = rng.uniform(-2, 2, n)
    b = -np.linalg.norm(w, axis=0) * s * np.sign(w[0] + (w[0] == 0))
    v = rng.normal(size=n)
    if zeros:  # a few units with no weight (constants), no output weight, and exact duplicates
        w[:, : n // 10] = 0.0
        v[n // 10 : n // 5] = 0.0
        w[:, -5:] = w[:, -6:-5]
        b[-5:] = b[-6]
    return Network([Layer(w, b, act), Layer(v.reshape(-1, 1), [rng.normal()], output)])


def tolerance(net, pts):
    """TOL times the natural size of the output sum at each point (Σ|v|; for relu and linear Σ|v|·(|w·x| + |b|))."""
    hidden, out = net.layers
    v = np.abs(out.w[:, 0])
    if hidden.activation in ("relu", "linear"):
        scale = np.abs(pts.reshape(len(pts), -1)) @ np.abs(hidden.w) + np.abs(hidden.b)  # (n, N)
        return TOL * (scale @ v + v.sum() + abs(out.b[0]) + 1.0)
    return TOL * (v.sum() + abs(out.b[0]) + 1.0)


def check(net, pts):
    fast = net(pts)
    dense = net._call_dense(pts)
    assert fast.shape == dense.shape
    assert np.all(np.isfinite(fast))
    err = np.abs(fast - dense).reshape(len(pts), -1).max(axis=1) if fast.ndim > 1 else np.abs(fast - dense)
    bound = tolerance(net, np.asarray(pts))
    worst = np.max(err / bound)
    assert worst <= 1.0, f"fast path off by {worst:.3g} × the tolerance"


@pytest.fixture
def always_plan(monkeypatch):
    """Build and use a plan even where it would not pay off, so its arithmetic is tested on every kind of net."""
    monkeypatch.setattr(fe, "PAYOFF", float("inf"))


@pytest.mark.parametrize("act", KINDS)
@pytest.mark.parametrize("steep", [0.5, 30.0, 1e4])
@pytest.mark.parametrize("output", ["linear", "sigmoid"])
def test_random_1d_nets_agree_with_the_dense_pass(always_plan, act, steep, output):
    rng = np.random.default_rng(hash((act, steep, output)) % 2**32)
    net = random_net(rng, 300, act, steep=steep, output=output, zeros=True)
    assert net._fast_plan() is not None
    x = np.concatenate([rng.uniform(-3, 3, 2000), np.linspace(-2.5, 2.5, 1001), [-1e5, 1e5, 0.0]])
    check(net, x)


@pytest.mark.parametrize("act", KINDS)
def test_points_on_the_step_points_agree_exactly_where_the_dense_pass_is_exact(always_plan, act):
    """Points exactly on (or an ulp from) a unit's step: the side of the step is decided as the dense pass does."""
    rng = np.random.default_rng(7)
    net = random_net(rng, 50, act, steep=1e3)
    w, b = net.layers[0].w[0], net.layers[0].b
    s = -b / np.where(w == 0, 1.0, w)
    x = np.concatenate([s, np.nextafter(s, np.inf), np.nextafter(s, -np.inf)])
    check(net, x)
    if act == "heaviside":  # a step: exact equality, 0.5 at the step included
        np.testing.assert_allclose(net(x), net._call_dense(x), rtol=0, atol=1e-12 * np.abs(net.output.w).sum())


def test_constructions_take_the_fast_path_and_agree():
    x = np.linspace(0, 1, 20_001)
    for method, n in [("bumps", 1000), ("steps", 500), ("relu", 500), ("heaviside", 300), ("bumps", 40)]:
        net = construct("sin(3x) + x^2", n, method=method)
        assert net._fast_plan() is not None, method
        check(net, x)
    adaptive = construct("exp(-30 (x - 0.5)^2)", 400, method="bumps", knots="adaptive")
    assert len(adaptive._fast_plan().groups) >= 1
    check(adaptive, x)


def test_bump_edges_are_merged_into_one_unit():
    net = construct("sin(3x)", 1000, method="bumps")
    plan = net._fast_plan()
    assert sum(len(g.s) for g in plan.groups) == 501  # 500 bumps share 499 interior edges: 2 ends + 499 merged


def test_plans_are_made_only_where_they_pay_off():
    rng = np.random.default_rng(1)
    shallow = random_net(rng, 2000, "sigmoid", steep=1e-2)  # every unit in transition everywhere
    assert shallow._fast_plan() is None
    assert random_net(rng, 2000, "sigmoid", steep=1e4)._fast_plan() is not None
    trained_2d = random_net(rng, 500, "tanh", dim=2, steep=1e3)  # 500 directions
    assert trained_2d._fast_plan() is None
    deep = Network(
        [
            Layer(rng.normal(size=(1, 50)) * 1e3, rng.normal(size=50), "sigmoid"),
            Layer(rng.normal(size=(50, 50)), rng.normal(size=50), "sigmoid"),
            Layer(rng.normal(size=(50, 1)), [0.0], "linear"),
        ]
    )
    assert deep._fast_plan() is None
    assert construct("sin(x y)", 200, method="towers")._fast_plan() is None  # two hidden layers


def test_the_plan_is_built_once_and_rebuilt_if_the_layers_change():
    net = construct("sin(3x)", 200)
    plan = net._fast_plan()
    assert net._fast_plan() is plan
    net.layers = (net.layers[0], Layer(net.layers[1].w * 2, net.layers[1].b, "linear"))
    assert net._fast_plan() is not plan
    check(net, np.linspace(0, 1, 999))


def test_ridge_construction_groups_by_direction_and_agrees():
    net = construct("sin(x y)", 800, method="ridge")
    plan = net._fast_plan()
    assert plan is not None and len(plan.groups) == net.info["split"]["directions"]
    assert all(g.spread == 0.0 for g in plan.groups)
    rng = np.random.default_rng(0)
    pts = np.concatenate([rng.uniform(-0.2, 1.2, (3000, 2)), [[0.0, 0.0], [1.0, 1.0], [1e4, -1e4]]])
    check(net, pts)
    X, Y = np.meshgrid(np.linspace(0, 1, 31), np.linspace(0, 1, 29))
    np.testing.assert_allclose(net(X, Y), net._call_dense(X, Y), rtol=0, atol=TOL * np.abs(net.output.w).sum())


@pytest.mark.parametrize("act", KINDS)
@pytest.mark.parametrize("steep", [3.0, 3e3])
def test_2d_nets_with_few_directions_agree(always_plan, act, steep):
    rng = np.random.default_rng(11)
    dirs = np.array([0.3, 1.1, np.pi / 2, np.pi / 2 + np.pi, 2.0 + np.pi, 0.0])  # opposite directions share a group
    net = random_net(rng, 400, act, dim=2, steep=steep, directions=dirs, zeros=True)
    plan = net._fast_plan()
    assert plan is not None
    pts = np.concatenate([rng.uniform(-3, 3, (3000, 2)), [[0.0, 0.0], [50.0, -70.0]]])
    check(net, pts)


def test_nearly_equal_directions_share_a_group_with_a_margin(always_plan):
    rng = np.random.default_rng(5)
    n = 200
    theta = 0.7 + rng.uniform(-1e-13, 1e-13, n)
    w = np.stack([np.cos(theta), np.sin(theta)]) * 1e5
    b = -1e5 * rng.uniform(-1, 1, n)
    net = Network([Layer(w, b, "sigmoid"), Layer(rng.normal(size=(n, 1)), [0.0], "linear")])
    plan = net._fast_plan()
    assert len(plan.groups) <= 3 and max(g.spread for g in plan.groups) > 0
    check(net, rng.uniform(-2, 2, (5000, 2)))


def test_chunks_fall_back_to_dense_where_every_unit_is_in_transition(monkeypatch):
    rng = np.random.default_rng(2)
    n = 400
    # 300 steep units spread over [0, 10], 100 shallow-ish ones crowded at 5: near 5 every unit is in transition
    s = np.concatenate([np.linspace(0, 10, 300), 5.0 + np.linspace(-1e-3, 1e-3, 100)])
    w = np.concatenate([np.full(300, 1e3), np.full(100, 1e3)])
    net = Network([Layer(w.reshape(1, -1), -w * s, "sigmoid"), Layer(rng.normal(size=(n, 1)), [0.1], "linear")])
    plan = net._fast_plan()
    assert plan is not None
    calls = []

    def spy(pts):
        calls.append(len(pts))
        return net._dense(pts)

    far = np.linspace(0, 4, 5000)
    out = fe.evaluate(plan, far.reshape(-1, 1), network_mod.CHUNK_ELEMENTS, spy)
    assert calls == []
    np.testing.assert_allclose(out, net._call_dense(far), atol=TOL * np.abs(net.output.w).sum())
    monkeypatch.setattr(fe, "PAYOFF", 0.05)  # the plan was made; now the crowd near 5 makes it not pay
    near = np.full(100, 5.0)
    out = fe.evaluate(plan, near.reshape(-1, 1), network_mod.CHUNK_ELEMENTS, spy)
    assert calls == [100]
    np.testing.assert_allclose(out, net._call_dense(near), atol=TOL * np.abs(net.output.w).sum())


def test_memory_stays_bounded_when_windows_are_long(always_plan, monkeypatch):
    """Small chunks: the flat window arrays are split into pieces, and a single point's long window still works."""
    rng = np.random.default_rng(4)
    net = random_net(rng, 3000, "sigmoid", steep=40.0)
    x = rng.uniform(-2, 2, 3000)
    whole = net(x)
    monkeypatch.setattr(network_mod, "CHUNK_ELEMENTS", 97)  # below the 1024 floor: pieces of 1024
    np.testing.assert_allclose(net(x), whole, rtol=0, atol=TOL * np.abs(net.output.w).sum())
    check(net, x)


def test_shapes_and_scalars_on_the_fast_path():
    net = construct("sin(3x)", 300)
    assert net._fast_plan() is not None
    assert np.ndim(net(0.3)) == 0 and net(0.3) == pytest.approx(float(net._call_dense(0.3)), abs=1e-12)
    assert net(np.zeros((3, 4))).shape == (3, 4)
    assert net(np.array([])).shape == (0,)
    y = np.linspace(0, 1, 1001)
    np.testing.assert_allclose(net(y[::-1]), net(y)[::-1], atol=1e-13)  # unsorted points: the same values


def test_a_net_with_only_constant_units_still_evaluates(always_plan):
    net = Network([Layer(np.zeros((1, 4)), [0.0, 1.0, -2.0, 3.0], "tanh"), Layer(np.ones((4, 1)), [0.5], "sigmoid")])
    x = np.linspace(-1, 1, 11)
    np.testing.assert_allclose(net(x), net._call_dense(x), rtol=0, atol=1e-15)


def test_extreme_weights_get_no_plan_and_no_warnings():
    import warnings

    w = np.array([[1e-320, 1e300, -1e300, 3.0]])
    b = np.array([1e300, 1.0, -1e300, -1.0])
    net = Network([Layer(w, b, "tanh"), Layer(np.array([[1e300], [1e300], [1.0], [1.0]]), [0.0], "linear")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert net._fast_plan() is None
