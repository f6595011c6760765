"""2D constructions: towers (two hidden layers), ridge steps (one), ReLU hats — bounds, properties, JSON and CLI."""

import json
import re
from functools import cache

import numpy as np
import pytest

import univ
from univ import ConfigError, DomainError, Network, construct, measure, parse, tower
from univ.constructions.two_d import (
    TOWER_STEEPNESS,
    hat_grid,
    relu_cells,
    ridge_split,
    tower_cells,
    tower_grid,
)

GAUSS = ("exp(-(x^2+y^2))", (-2.0, 2.0), (-2.0, 2.0))
SINSIN = ("sin(pi x) sin(pi y)", (0.0, 1.0), (0.0, 1.0))
FUNCTIONS = {"gauss": GAUSS, "sinsin": SINSIN}


def target_of(name):
    text, dom, ydom = FUNCTIONS[name]
    return parse(text, domain=dom, ydomain=ydom)


@cache
def built(name, method, neurons):
    """(network, report) measured by univ.measure on its 301 × 301 grid, edges included; built once per test run."""
    target = target_of(name)
    net = construct(target, neurons, method)
    rep = measure(net, target)
    assert rep.points >= 301 * 301
    return net, rep


# -- the bounds the issue promises ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, method, neurons, bound",
    [
        ("gauss", "towers", 700, 0.03),  # 26 × 26 cells: 52 steps + 625 towers
        ("sinsin", "towers", 700, 0.03),
        ("gauss", "ridge", 1000, 0.05),
        ("sinsin", "ridge", 1000, 0.05),
    ],
)
def test_rmse_bound_on_the_full_grid(name, method, neurons, bound):
    net, rep = built(name, method, neurons)
    assert net.n_hidden <= neurons
    assert rep.rmse <= bound, rep


@pytest.mark.parametrize("name", ["gauss", "sinsin"])
@pytest.mark.parametrize("method, sizes", [("towers", (100, 300, 700)), ("ridge", (125, 250, 500, 1000))])
def test_rmse_falls_as_neurons_grow(name, method, sizes):
    rmse = [built(name, method, n)[1].rmse for n in sizes]
    assert np.all(np.diff(rmse) < 0), rmse
    assert rmse[-1] < rmse[0] / 2.5, rmse  # towers ~ 1/m = N^-1/2, ridge ~ N^-0.75


def test_ridge_has_one_hidden_layer_and_fits_off_the_measuring_grid():
    net, _ = built("gauss", "ridge", 1000)
    assert net.hidden_sizes == [1000] and net.hidden[0].activation == "sigmoid"
    assert net.info["split"]["directions"] == 22 and sum(net.info["split"]["steps_per_direction"]) == 1000
    side = net.info["fit_grid"][0]
    assert side != 301 and side * side >= 3 * 1000
    assert "least squares" in net.info["output_fit"]


def test_towers_are_two_sigmoid_layers_with_nielsens_threshold():
    net, _ = built("sinsin", "towers", 700)
    l1, l2, out = net.layers
    m = net.info["cells"][0]
    assert (m, net.hidden_sizes) == (25, [52, 625])
    assert l1.activation == l2.activation == "sigmoid" and out.activation == "linear"
    assert np.allclose(l2.b, -1.5 * TOWER_STEEPNESS)  # bias −3h/2
    # each tower reads exactly four steps: +h, −h on an x-bump, +h, −h on a y-bump
    assert np.all((l2.w != 0).sum(axis=0) == 4) and np.allclose(np.abs(l2.w).max(), TOWER_STEEPNESS)


# -- one tower ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "box, height, steepness",
    [((0.4, 0.6, 0.2, 0.5), 2.5, 10.0), ((-3.0, 1.0, 10.0, 10.5), -0.7, 10.0), ((0.0, 1.0, 0.0, 1.0), 1.0, 40.0)],
)
def test_a_tower_is_h_inside_and_zero_outside(box, height, steepness):
    x0, x1, y0, y1 = box
    t = tower(x0, x1, y0, y1, height=height, steepness=steepness)
    wx, wy = x1 - x0, y1 - y0
    # inside: the middle 60 % of the footprint
    X, Y = np.meshgrid(np.linspace(x0 + 0.2 * wx, x1 - 0.2 * wx, 41), np.linspace(y0 + 0.2 * wy, y1 - 0.2 * wy, 41))
    assert np.max(np.abs(t(X, Y) - height)) <= 1e-3 * abs(height)
    # outside: more than a fifth of the footprint away, including the cross's arms
    X, Y = np.meshgrid(np.linspace(x0 - 2 * wx, x1 + 2 * wx, 121), np.linspace(y0 - 2 * wy, y1 + 2 * wy, 121))
    far = (X < x0 - 0.2 * wx) | (X > x1 + 0.2 * wx) | (Y < y0 - 0.2 * wy) | (Y > y1 + 0.2 * wy)
    assert np.max(np.abs(t(X, Y)[far])) <= 1e-3 * abs(height)


def test_tower_exposes_its_steps_bumps_and_threshold():
    t = tower(0.25, 0.75, 0.25, 0.75)
    assert t.hidden_sizes == [4, 1] and t.info["x_steps"] == [0, 1] and t.info["y_steps"] == [2, 3]
    pts = np.array([[0.5, 0.5], [0.5, 0.05], [0.05, 0.5], [0.05, 0.05]])  # inside, two arms, outside
    h = t.hidden_output(pts, layer=0)
    bump_x, bump_y = h[:, 0] - h[:, 1], h[:, 2] - h[:, 3]
    assert np.allclose(bump_x + bump_y, [2, 1, 1, 0], atol=0.05)  # a cross: 2 in the middle, 1 on its arms
    assert np.allclose(t.hidden_output(pts, layer=1)[:, 0], [1, 0, 0, 0], atol=1e-6)  # the threshold: a tower


@pytest.mark.parametrize("bad", [(1, 0, 0, 1), (0, 1, 1, 1), (0, np.nan, 0, 1)])
def test_tower_rejects_empty_or_non_finite_footprints(bad):
    with pytest.raises(ConfigError):
        tower(*bad)


def test_tiled_towers_leave_holes_where_four_cells_meet_and_nested_towers_do_not():
    ones = lambda x, y: np.ones_like(x)
    dom = ((0.0, 1.0), (0.0, 1.0))
    corner = (0.5, 0.5)  # an inner corner of a 4 × 4 grid
    tiled = tower_grid(ones, dom, 4, layout="tiled")
    nested = tower_grid(ones, dom, 4)
    assert float(tiled(*corner)) < 1e-6  # all four thresholds fail at once: Nielsen's 2D window of failure
    assert float(nested(*corner)) == pytest.approx(1.0, abs=1e-6)
    assert float(tiled(0.375, 0.375)) == pytest.approx(1.0, abs=1e-6)  # a cell's centre is fine in both


# -- relu hats -----------------------------------------------------------------------------------------
def interpolant(F, dom, x, y):
    """Reference: linear interpolation on each square cut along its diagonal u = v (barycentric)."""
    (a, b), (c, d) = dom
    m = F.shape[0] - 1
    u, v = (x - a) / (b - a) * m, (y - c) / (d - c) * m
    i, j = np.minimum(np.floor(u).astype(int), m - 1), np.minimum(np.floor(v).astype(int), m - 1)
    fu, fv = u - i, v - j
    f00, f10, f01, f11 = F[i, j], F[i + 1, j], F[i, j + 1], F[i + 1, j + 1]
    lower = f00 + fu * (f10 - f00) + fv * (f11 - f10)
    upper = f00 + fv * (f01 - f00) + fu * (f11 - f01)
    return np.where(fu >= fv, lower, upper)


def test_relu_hats_are_exactly_the_piecewise_linear_interpolant():
    target = target_of("gauss")
    net = construct(target, 300, "relu")
    m = net.info["cells"][0]
    dom = target.domain
    nodes = np.meshgrid(np.linspace(*dom[0], m + 1), np.linspace(*dom[1], m + 1), indexing="ij")
    F = target.evaluate(*nodes)
    assert np.allclose(net(*nodes), F, atol=1e-12)
    rng = np.random.default_rng(0)
    x, y = rng.uniform(*dom[0], 5000), rng.uniform(*dom[1], 5000)
    assert np.allclose(net(x, y), interpolant(F, dom, x, y), atol=1e-12)


def test_relu_error_falls_as_one_over_n():
    target = target_of("sinsin")
    sizes = (60, 200, 700)
    rmse = [measure(construct(target, n, "relu"), target, points=101).rmse for n in sizes]
    cells = [relu_cells(n) for n in sizes]
    assert np.all(np.diff(rmse) < 0)
    # O(h²): the error times m² stays within a factor of two
    scaled = [e * m * m for e, m in zip(rmse, cells)]
    assert max(scaled) / min(scaled) < 2, (rmse, cells)


def test_hat_grid_and_tower_grid_refuse_an_empty_grid():
    with pytest.raises(ConfigError):
        hat_grid(lambda x, y: x, ((0, 1), (0, 1)), 0)
    with pytest.raises(ConfigError):
        tower_grid(lambda x, y: x, ((0, 1), (0, 1)), 2, layout="bricks")


# -- the split of neurons ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "method, neurons",
    [(m, n) for m in ("towers", "relu") for n in (18, 50, 101, 1000, 2999)] + [("ridge", n) for n in (4, 18, 101, 777)],
)
def test_layer_split_fits_the_budget_and_is_recorded(method, neurons):
    net = construct("x y + x", neurons, method)
    split, info = net.info["split"], net.info
    assert sum(net.hidden_sizes) == net.n_hidden <= neurons
    assert (
        info["hidden_layers"] == net.hidden_sizes
        and sum(split.values() if method != "ridge" else [sum(split["steps_per_direction"])]) == net.n_hidden
    )
    assert (info["method"], info["dimension"], info["domain"]) == (method, 2, [[0.0, 1.0], [0.0, 1.0]])
    if method == "towers":
        m = info["cells"][0]
        assert net.hidden_sizes == [2 * (m + 1), m * m]
        assert (m + 2) ** 2 + 1 > neurons  # the next grid would not fit
        assert info["steepness"] == 10.0 and info["layout"] == "nested"
    elif method == "relu":
        m = info["cells"][0]
        assert net.hidden_sizes == [8 * m + 6, (m + 1) ** 2] and (m + 2) ** 2 + 8 * (m + 1) + 6 > neurons
    else:
        assert net.hidden_sizes == [neurons] and len(split["steps_per_direction"]) == split["directions"]


@pytest.mark.parametrize("neurons, cells", [(5, 1), (9, 1), (10, 2), (17, 3), (962, 30), (1000, 30), (1025, 31)])
def test_tower_cells_table(neurons, cells):
    assert tower_cells(neurons) == cells
    assert 2 * (cells + 1) + cells * cells <= neurons


def test_ridge_split_uses_every_neuron():
    for n in (4, 7, 125, 999, 2000):
        per = ridge_split(n)
        assert sum(per) == n and len(per) >= 2 and max(per) - min(per) <= 1


@pytest.mark.parametrize(
    "method, neurons, match",
    [
        ("towers", 4, "at least 5"),
        ("ridge", 3, "at least 4"),
        ("relu", 17, "at least 18"),
        ("towers", 20_000, "at most"),
        ("ridge", 6000, "at most"),
        ("bumps", 20, "1D method"),
        ("steps", 20, "1D method"),
    ],
)
def test_budget_and_method_errors(method, neurons, match):
    with pytest.raises(ConfigError, match=match):
        construct("x + y", neurons, method)


@pytest.mark.parametrize(
    "options, match",
    [({"knots": "adaptive"}, "1D only"), ({"weight": 30.0}, "steepness")],
)
def test_1d_options_are_refused_in_2d(options, match):
    with pytest.raises(ConfigError, match=match):
        construct("x + y", 50, "towers", **options)


def test_not_finite_on_the_2d_domain_is_a_domain_error():
    with pytest.raises(DomainError, match="not finite"):
        construct(parse("1/(x-y)", domain=(-1, 1), ydomain=(-1, 1)), 100)


def test_sigmoid_output_uses_the_inverse_trick_in_2d():
    target = parse("0.5 + 0.3 sin(3x) cos(2y)")
    net = construct(target, 500, "towers", output="sigmoid")
    assert net.output.activation == "sigmoid" and measure(net, target, points=101).rmse < 0.03
    with pytest.raises(DomainError, match=r"\(0, 1\)"):
        construct("x + y", 50, output="sigmoid")


def test_default_2d_method_is_towers():
    assert construct("x*y", 50).info["method"] == "towers"


# -- JSON --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["towers", "ridge", "relu"])
def test_json_round_trip_of_a_2d_net(method):
    net = construct(parse("sin(x) cos(y)", domain=(-1, 2), ydomain=(0, 3)), 120, method)
    back = Network.from_json(net.to_json())
    assert back.info == json.loads(json.dumps(net.info)) and back.hidden_sizes == net.hidden_sizes
    X, Y = np.meshgrid(np.linspace(-1, 2, 23), np.linspace(0, 3, 19))
    assert np.array_equal(back(X, Y), net(X, Y))
    assert back.info["domain"] == [[-1.0, 2.0], [0.0, 3.0]]


# -- the CLI -----------------------------------------------------------------------------------------------
def test_cli_json_has_dimension_2_both_domains_and_the_split(cli, tmp_path):
    r = cli(
        *[
            "approx",
            "sin(x)*cos(y)",
            "-n",
            "200",
            "--domain",
            "-3",
            "3",
            "--ydomain",
            "-1",
            "2",
            "--json",
            "--no-plot",
            "--out",
            str(tmp_path),
        ],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["dimension"] == 2 and data["method"] == "towers"
    assert data["domain"] == [[-3.0, 3.0], [-1.0, 2.0]]
    assert data["hidden_layers"] == [2 * 14, 13 * 13] and data["neurons"] == 197
    assert data["parameters"] == Network.from_json((tmp_path / "network.json").read_text()).n_params
    assert data["cells"] == [13, 13] and data["points"] >= 301 * 301  # edges and a grid that misses cell edges
    assert json.loads((tmp_path / "report.json").read_text()) == data


def test_cli_report_shows_the_split_and_draws_the_2d_figure(cli, tmp_path):
    r = cli(
        *[
            "approx",
            "exp(-(x^2+y^2))",
            "-n",
            "300",
            "--method",
            "ridge",
            "--domain",
            "-2",
            "2",
            "--ydomain",
            "-2",
            "2",
            "--out",
            str(tmp_path),
        ],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    for words in ("ridge", "one hidden layer", "12 directions", "300 neurons,", "edges included", "split"):
        assert words in r.output, r.output
    png = (tmp_path / "figure.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    r = cli(*["approx", "x*y", "-n", "40", "--no-plot", "--out", str(tmp_path / "t")])
    assert "layer 1: 6 x-steps + 6 y-steps; layer 2: 25 towers" in r.output, r.output


@pytest.mark.parametrize(
    "args, match",
    [
        (["sin(x)*cos(y)", "--ydomain", "1", "0"], "A < B"),
        (["sin(x)*cos(y)", "--ydomain", "0", "nan"], "finite"),
        (["sin(x)*cos(y)", "--method", "bumps"], "1D method"),
        (["sin(x)*cos(y)", "--method", "heaviside"], "1D method"),
        (["sin(3x)", "--method", "towers"], "needs x and y"),
        (["sin(3x)", "--method", "ridge"], "needs x and y"),
        (["sin(x)*cos(y)", "-n", "4"], "at least 5"),
        (["sin(x)*cos(y)", "-n", "3", "--method", "ridge"], "at least 4"),
        (["1/(x-y)", "--domain", "-1", "1", "--ydomain", "-1", "1"], "not finite"),
        (["log(x+y)", "--domain", "-1", "1"], "not finite"),
        (["x*y", "--knots", "adaptive"], "1D only"),
        (["x*y", "--weight", "20"], "steepness"),
        (["x*y", "--output-activation", "sigmoid", "--ydomain", "0", "3"], r"\(0, 1\)"),
    ],
)
def test_cli_bad_2d_input_is_one_line_exit_2_and_no_files(cli, tmp_path, args, match):
    out = tmp_path / "run"
    r = cli(*["approx", *args, "--out", str(out)])
    assert r.exit_code == 2, r.output
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("univ: ") and "Traceback" not in r.output, r.output
    assert re.search(match, lines[0]), lines[0]
    assert not out.exists()


def test_plot2d_functions_draw_on_the_given_axes_and_return_what_they_drew():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from univ.plot import two_d as plot2d

    target = parse("x*y - y")
    try:
        fig = plt.figure()
        for k, method in enumerate(("towers", "ridge", "relu")):
            net = construct(target, 40, method)
            ax3, ax2 = fig.add_subplot(3, 4, 4 * k + 1, projection="3d"), fig.add_subplot(3, 4, 4 * k + 2)
            assert plot2d.plot_network_surface(ax3, net, target, points=21) in ax3.collections
            drawn = plot2d.plot_error_map(ax2, net, target, points=31)
            assert drawn["image"] in ax2.images and drawn["worst"] in ax2.lines
            ax_b = fig.add_subplot(3, 4, 4 * k + 3, projection="3d")
            assert plot2d.plot_building_block(ax_b, net, points=21) in ax_b.collections
        ax_t = fig.add_subplot(3, 4, 4, projection="3d")
        assert plot2d.plot_target_surface(ax_t, target, points=21) in ax_t.collections
        ax_1 = fig.add_subplot(3, 4, 8, projection="3d")
        assert plot2d.plot_tower(ax_1, tower(0, 1, 0, 1, height=2.0), points=21) in ax_1.collections
    finally:
        plt.close("all")


@pytest.mark.parametrize("method", ["towers", "ridge", "relu"])
def test_a_2d_construction_never_uses_more_neurons_than_asked(method):
    builder = univ.METHODS[method].builder(2)
    for n in range(builder.min_neurons, 60):
        net = univ.construct("x*y", n, method)
        assert net.n_hidden <= n, (method, n, net.n_hidden)  # relu built 31 from 30 before
        # what is built is what the network says, and the registry predicts it
        assert net.info["neurons"] == net.n_hidden == builder.built(n), (method, n)
        assert net.info.get("neurons_asked", n) == n
        assert ("neurons_asked" in net.info) == (net.n_hidden != n)
