"""Why depth: the sawtooth's pieces double with each layer; a shallow net with fewer units cannot follow it."""

import json

import numpy as np
import pytest

from univ import ConfigError, construct, measure
from univ.constructions.deep import pieces, sawtooth, sawtooth_network, shallow_relu_lstsq
from univ.network import Layer, Network


@pytest.mark.parametrize("k", range(1, 9))
def test_each_layer_doubles_the_pieces_with_two_units(k):
    net = construct(None, method="sawtooth", depth=k)
    assert net.hidden_sizes == [2] * k
    x = np.linspace(0, 1, 64 * 2**k + 1)
    assert pieces(net(x), x) == 2**k
    if k > 1:
        fewer = construct(None, method="sawtooth", depth=k - 1)
        assert pieces(net(x), x) == 2 * pieces(fewer(x), x)
    assert measure(net, sawtooth(k)).max_error < 1e-12


def test_the_sawtooth_alternates_between_0_and_1_at_its_corners():
    k = 5
    corners = np.arange(2**k + 1) / 2**k
    np.testing.assert_allclose(sawtooth_network(k)(corners), np.arange(2**k + 1) % 2, atol=1e-12)


def test_the_domain_is_rescaled():
    net = construct("x", method="sawtooth", depth=3, domain=(-2, 6))
    target = sawtooth(3, (-2, 6))
    assert measure(net, target).max_error < 1e-12
    assert net(np.array([-2.0, -1.0, 6.0])).tolist() == pytest.approx([0.0, 1.0, 0.0])


@pytest.mark.parametrize("k", [3, 4, 5, 6])
def test_one_hidden_layer_with_fewer_than_2k_minus_1_units_misses_by_a_quarter(k):
    target = sawtooth(k)
    rng = np.random.default_rng(k)
    for m in sorted({1, 2 * k, 2**k // 2, 2**k - 2}):
        candidates = [
            construct(target, m, method="relu"),  # uniform interpolant
            construct(target, m, method="relu", knots="adaptive"),
            shallow_relu_lstsq(target, m),  # hinges at cell midpoints, best output weights
            *(shallow_relu_lstsq(target, m, knots=np.sort(rng.uniform(0, 1, m))) for _ in range(5)),
        ]
        for net in candidates:
            assert measure(net, target).max_error >= 0.25, (k, m, net.info["method"])


@pytest.mark.parametrize("k", [2, 4, 7])
def test_2k_relu_units_in_one_layer_match_it(k):
    target = sawtooth(k)
    assert measure(construct(target, 2**k, method="relu"), target).max_error < 1e-9


def test_a_shallow_relu_net_has_at_most_one_piece_more_than_units():
    rng = np.random.default_rng(0)
    x = np.linspace(0, 1, 200_001)
    for m in (1, 3, 8, 20):
        knots = np.sort(rng.uniform(0.05, 0.95, m))
        net = Network([Layer(np.ones((1, m)), -knots, "relu"), Layer(rng.normal(size=(m, 1)), [0.0], "linear")])
        assert pieces(net(x), x) <= m + 1


@pytest.mark.parametrize("depth", [0, -1, 31, 2.5, True, "3"])
def test_bad_depth_is_refused(depth):
    with pytest.raises(ConfigError, match="depth"):
        construct(None, method="sawtooth", depth=depth)


def test_depth_command_reports_both_sizes_and_errors(cli, tmp_path):
    r = cli(*["depth", "--layers", "5", "--json", "--no-plot", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    deep, same, match = data["rows"]
    assert data["pieces"] == 32
    assert deep["hidden_layers"] == [2] * 5 and deep["max_error"] < 1e-12 and deep["pieces"] == 32
    assert same["hidden_neurons"] == 10 and same["max_error"] >= 0.25
    assert match["hidden_neurons"] == 32 and match["max_error"] < 1e-9
    assert match["parameters"] > deep["parameters"]
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["rows"] == data["rows"]


def test_depth_command_text_and_figure(cli, tmp_path):
    r = cli(*["depth", "-k", "3", "--out", str(tmp_path)])
    assert r.exit_code == 0 and "8 linear pieces" in r.output and "matches" in r.output
    assert (tmp_path / "figure.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args", [["--layers", "0"], ["--layers", "40"], ["--domain", "1", "0"], ["-k", "x"]])
def test_depth_command_bad_input(cli, tmp_path, args):
    r = cli(*["depth", *args, "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and r.output.startswith("univ: ") and len(r.output.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()
