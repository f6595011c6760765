"""The Network type: evaluation in chunks, JSON in and out (hostile files too), closed forms."""

import json
import subprocess
import sys

import numpy as np
import pytest

import univ.network as network_mod
from univ import ConfigError, Layer, Network, NetworkFormatError, construct


def small_net():
    rng = np.random.default_rng(3)
    return Network(
        [
            Layer(rng.normal(size=(1, 5)), rng.normal(size=5), "tanh"),
            Layer(rng.normal(size=(5, 4)), rng.normal(size=4), "relu"),
            Layer(rng.normal(size=(4, 1)), rng.normal(size=1), "linear"),
        ],
        info={"method": "test"},
    )


def reference_forward(net, x):
    h = np.asarray(x, float).reshape(-1, 1)
    f = {
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0),
        "linear": lambda z: z,
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    }
    for layer in net.layers:
        h = f[layer.activation](h @ layer.w + layer.b)
    return h[:, 0]


def test_evaluation_matches_a_plain_forward_pass():
    net = small_net()
    x = np.linspace(-3, 3, 101)
    np.testing.assert_allclose(net(x), reference_forward(net, x), rtol=1e-12, atol=1e-12)


def test_chunked_evaluation_equals_unchunked(monkeypatch):
    net = construct("sin(3x)", 40, method="bumps")
    x = np.linspace(0, 1, 5003)
    whole = net(x)
    monkeypatch.setattr(network_mod, "CHUNK_ELEMENTS", 97)
    np.testing.assert_allclose(net(x), whole, rtol=1e-12, atol=1e-14)


def test_shapes_scalars_and_2d_inputs():
    net = small_net()
    assert np.ndim(net(0.3)) == 0
    assert net(np.zeros((3, 4))).shape == (3, 4)
    net2 = Network([Layer(np.ones((2, 3)), np.zeros(3), "sigmoid"), Layer(np.ones((3, 1)), [0.0], "linear")])
    X, Y = np.meshgrid(np.linspace(0, 1, 4), np.linspace(0, 1, 5))
    assert net2(X, Y).shape == (5, 4)
    np.testing.assert_allclose(net2(np.stack([X, Y], -1)), net2(X, Y))
    with pytest.raises(ConfigError):
        net(np.array([np.nan]))


def test_contributions_sum_to_the_output():
    net = construct("exp(-x) cos(4x)", 30, method="bumps")
    x = np.linspace(0, 1, 77)
    np.testing.assert_allclose(net.contributions(x).sum(axis=1) + net.output.b[0], net(x), atol=1e-12)


def test_json_round_trip_is_exact():
    net = construct("sin(3x)", 20, method="steps", knots="adaptive")
    back = Network.from_json(net.to_json())
    x = np.linspace(0, 1, 301)
    np.testing.assert_array_equal(back(x), net(x))
    assert back.info == json.loads(json.dumps(net.info))
    assert back.hidden_sizes == [20] and back.n_params == net.n_params == 61


def good_dict():
    return json.loads(small_net().to_json())


def _mutate(path, value):
    d = good_dict()
    obj = d
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value
    return json.dumps(d)


HOSTILE = [
    ("", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    ('{"format": "pickle"}', "not a univ network"),
    ("{" * 100_000, "nested too deeply|not valid JSON"),
    ('{"format": "univ.network", "version": 1, "layers": NaN}', "not a finite number"),
    (_mutate(["version"], 99), "unsupported network version"),
    (_mutate(["layers"], []), "non-empty list"),
    (_mutate(["layers", 0, "activation"], "__import__('os')"), "activation"),
    (_mutate(["layers", 0, "weights"], [[1.0, 2.0], [3.0]]), "same non-zero length"),
    (_mutate(["layers", 0, "weights"], [["1"] * 5]), "only numbers"),
    (_mutate(["layers", 0, "weights"], [[True] * 5]), "only numbers"),
    (_mutate(["layers", 0, "biases"], [1.0, 2.0]), "biases"),
    (_mutate(["layers", 1, "weights"], [[1.0] * 4] * 4), "feeds a layer"),
    (_mutate(["layers", 2, "weights"], [[1.0, 1.0]] * 4), "one neuron|biases"),
    (_mutate(["layers", 0, "weights"], [[1e400] * 5]), "finite"),
    (_mutate(["info"], "hello"), "'info' must be an object"),
    (_mutate(["input_dim"], 3), "input_dim"),
    (b"\xff\xfe\x00", "not valid JSON"),
]


@pytest.mark.parametrize("text, match", HOSTILE)
def test_hostile_network_files_are_refused_clearly(text, match):
    with pytest.raises(NetworkFormatError, match=match):
        Network.from_json(text)


def test_oversized_network_is_refused(monkeypatch):
    monkeypatch.setattr(network_mod, "MAX_PARAMETERS", 10)
    with pytest.raises(NetworkFormatError, match="more than 10"):
        Network.from_json(small_net().to_json())


def test_to_sympy_evaluates_like_the_network():
    import sympy as sp

    net = construct("sin(3x)", 6, method="bumps")
    expr = net.to_sympy(digits=15)
    x = sp.Symbol("x", real=True)
    f = sp.Function("sigma")
    expr = expr.replace(f, lambda z: 1 / (1 + sp.exp(-z)))
    for v in (0.0, 0.3, 0.77, 1.0):
        assert float(expr.subs(x, v)) == pytest.approx(float(net(v)), abs=1e-9)
    assert r"\sigma" in net.to_latex()


def test_to_sympy_refuses_huge_nets():
    with pytest.raises(ConfigError, match="unreadable"):
        construct("sin(3x)", 400).to_sympy()


@pytest.mark.parametrize(
    "acts", [("sigmoid",), ("sigmoid", "sigmoid"), ("relu", "sigmoid"), ("tanh", "relu"), ("sigmoid", "heaviside")]
)
@pytest.mark.parametrize("output", ["linear", "sigmoid"])
def test_in_place_evaluation_equals_the_plain_forward_pass(acts, output):
    rng = np.random.default_rng(3)
    sizes = [2, *([7] * len(acts)), 1]
    layers = [
        Layer(rng.normal(size=(a, b)) * 3, rng.normal(size=b), act)
        for a, b, act in zip(sizes, sizes[1:], [*acts, output])
    ]
    net = Network(layers)
    pts = rng.uniform(-2, 2, size=(500, 2))
    np.testing.assert_allclose(net(pts), net._forward(pts)[:, 0], rtol=1e-12, atol=1e-12)


def test_a_network_shows_itself_in_a_notebook_with_size_and_error():
    net = construct("sin(3x)", 20, method="steps")
    png = net._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert net.target().text == "sin(3x)"
    assert Network([Layer([[1.0]], [0.0], "linear")]).target() is None  # no expression: output only
    assert Network([Layer([[1.0]], [0.0], "linear")])._repr_png_()[:4] == b"\x89PNG"


def test_the_picture_is_drawn_by_univ_plot_and_import_univ_stays_free_of_it():
    """The core never imports plotting: univ.plot registers the picture; ``import univ`` loads neither it nor
    matplotlib, and the first picture a notebook asks for does."""
    code = (
        "import sys\nimport univ\n"
        "net = univ.construct('sin(3x)', 8)\n"
        "before = sorted(m for m in ('univ.plot', 'matplotlib') if m in sys.modules)\n"
        "png = net._repr_png_()\n"
        "from univ.plot import network_png\n"
        "print(before, png[:4] == b'\\x89PNG', univ.Network._picture is network_png)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["[]", "True", "True"], r.stdout + r.stderr
