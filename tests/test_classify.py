"""Regions, classes and classifiers: built by hand, measured (certified misclassified area), trained with softmax."""

from __future__ import annotations

import json

import numpy as np
import pytest

import univ
from univ import classify
from univ.classify import (
    classes,
    construct_classifier,
    measure_classifier,
    misclassified_area,
    playground,
)
from univ.classify_fit import fit_classifier, softmax_gradient
from univ.errors import ConfigError, DataError, DomainError, ExpressionError
from univ.network import Layer, Network
from univ.parse import parse_expression

# -- regions: what the parser's comparisons compute, against numpy written here ----------------------------------
REGIONS = [
    ("x^2 + y^2 < 0.5", lambda x, y: x**2 + y**2 < 0.5),
    ("y > sin(3x)", lambda x, y: y > np.sin(3 * x)),
    ("abs(x) + abs(y) < 1 and x > 0", lambda x, y: (np.abs(x) + np.abs(y) < 1) & (x > 0)),
    ("0.2 <= x < 0.7", lambda x, y: (0.2 <= x) & (x < 0.7)),
    ("not (x < 0.5 or y >= 0.3)", lambda x, y: ~((x < 0.5) | (y >= 0.3))),
    ("x > 0 and y > 0 or x < 0 and y < 0", lambda x, y: ((x > 0) & (y > 0)) | ((x < 0) & (y < 0))),
]


@pytest.mark.parametrize("text, reference", REGIONS)
def test_regions_are_1_inside_and_0_outside(text, reference):
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-1.5, 1.5, (2, 5000))
    e = parse_expression(text)
    assert e.is_region
    values = e(x, y) if len(e.variables) == 2 else e(x)
    np.testing.assert_array_equal(values, reference(x, y).astype(float))


def test_a_function_is_not_a_region_and_a_region_is_refused_where_undefined():
    assert not parse_expression("sin(3x)").is_region
    with pytest.raises(ConfigError, match="is a function, not a region"):
        classes("sin(3x)")
    with pytest.raises(DomainError, match="undefined at"):
        classes("sqrt(x) < 0.5", domain=(-1, 1))
    with pytest.raises(DomainError, match="nothing to classify"):
        classes("x > -5")


@pytest.mark.parametrize(
    "text",
    ["x^2 + y^2", "sin(3x) - y^2", "abs(x) - abs(y)", "exp(-x) cos(y) / (2 + x)", "x^-2 + y", "x^y", "min(x, y)^3"],
)
def test_interval_bounds_hold_everywhere_in_their_box(text):
    e = parse_expression(text)
    rng = np.random.default_rng(0)
    a = rng.uniform(-1.5, 1.5, (2, 1000))
    w = rng.uniform(0, 0.6, (2, 1000))
    lo, hi = e.bounds({"x": (a[0], a[0] + w[0]), "y": (a[1], a[1] + w[1])})
    for _ in range(30):
        u = rng.uniform(size=(2, 1000))
        with np.errstate(all="ignore"):
            v = e(a[0] + u[0] * w[0], a[1] + u[1] * w[1])
        ok = np.isnan(v) | ((v >= lo - 1e-12) & (v <= hi + 1e-12))
        assert ok.all()


def test_region_bounds_are_sure_only_where_the_region_is_constant():
    e = parse_expression("x^2 + y^2 < 0.5")
    x0, x1 = np.array([0.0, 0.9, 0.6]), np.array([0.1, 1.0, 0.8])
    y0, y1 = np.array([0.0, 0.9, 0.0]), np.array([0.1, 1.0, 0.1])
    holds, maybe = e.bounds({"x": (x0, x1), "y": (y0, y1)})
    assert holds.tolist() == [1.0, 0.0, 0.0]  # inside for sure; outside; straddles the circle
    assert maybe.tolist() == [1.0, 0.0, 1.0]


# -- classes ---------------------------------------------------------------------------------------------------
def test_a_list_of_regions_takes_the_first_that_holds_and_other_for_the_gaps():
    c = classes(["x < 0.3", "x < 0.6 and y < 0.5"])
    assert c.names == ("x < 0.3", "x < 0.6 and y < 0.5", "other")
    x = np.array([0.1, 0.1, 0.5, 0.5, 0.9])
    y = np.array([0.1, 0.9, 0.1, 0.9, 0.1])
    assert c.labels(x, y).tolist() == [0, 0, 1, 2, 2]
    assert classes(["x < 0.5", "x >= 0.5"]).names == ("x < 0.5", "x >= 0.5")  # no gap: no 'other'


@pytest.mark.parametrize("name", classify.DATASETS)
def test_playground_datasets_are_seeded_and_two_classes(name):
    a, b = playground(name, samples=300, noise=0.2, seed=4), playground(name, samples=300, noise=0.2, seed=4)
    np.testing.assert_array_equal(a.samples[0], b.samples[0])
    assert a.k == 2 and len(a.samples[1]) == 300
    counts = np.bincount(a.samples[1], minlength=2)
    assert counts.min() >= 60  # both classes well represented
    assert np.abs(a.samples[0]).max() <= 6.0
    c = playground(name, samples=300, noise=0.2, seed=5)
    assert not np.array_equal(a.samples[0], c.samples[0])


def test_noise_free_playground_labels_follow_their_rule():
    x, lab = playground("circle", samples=400, noise=0.0).samples
    np.testing.assert_array_equal(lab, (np.hypot(x[:, 0], x[:, 1]) < 2.5).astype(int))
    x, lab = playground("xor", samples=400, noise=0.0).samples
    np.testing.assert_array_equal(lab, (x[:, 0] * x[:, 1] >= 0).astype(int))


def test_holdout_is_a_seeded_fraction():
    c = classes("spiral", samples=400, noise=0.1, seed=2, holdout=0.25)
    assert len(c.samples[1]) == 300 and len(c.holdout[1]) == 100


@pytest.mark.parametrize(
    "options, match",
    [
        (dict(samples=2), "samples"),
        (dict(noise=0.9), "noise"),
        (dict(noise=float("nan")), "noise"),
        (dict(holdout=0.95), "holdout"),
        (dict(seed=-1), "seed"),
    ],
)
def test_bad_dataset_options_are_refused(options, match):
    with pytest.raises(ConfigError, match=match):
        classes("spiral", **options)


def test_a_csv_of_labelled_points_reads_text_and_integer_labels(tmp_path):
    path = tmp_path / "pts.csv"
    path.write_text("x,y,label\n0,0,cat\n1,0,dog\n0,1,cat\n1,1,dog\n0.5,0.2,cat\n")
    c = classes(str(path))
    assert c.names == ("cat", "dog") and c.kind == "data"
    assert c.samples[1].tolist() == [0, 1, 0, 1, 0]
    path.write_text("0,0,10\n1,0,2\n0,1,10\n1,1,2\n")
    assert classes(str(path)).names == ("2", "10")  # integers in numeric order


@pytest.mark.parametrize(
    "content, match",
    [
        ("x,y,label\n0,0,a\n1,abc,b\n", "row 3: y is not a number: 'abc'"),
        ("0,0,a\n1,1\n", "row 2: expected 3 columns"),
        ("0,0,a\n1,nan,b\n0,1,a\n1,1,b\n", "row 2: x and y must be finite"),
        ("0,0,a\n1,0,\n", "row 2: the label is empty"),
        ("0,0,a\n1,0,a\n0,1,a\n1,1,a\n", "single label"),
        ("0,0,a\n1,1,b\n", "at least 4"),
        ("", "at least 4"),
        ("\x00\x01\x02", "binary"),
    ],
)
def test_bad_csvs_name_the_row(tmp_path, content, match):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(DataError, match=match):
        classes(str(path))


def test_a_missing_csv_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        classes(str(tmp_path / "none.csv"))


# -- the network: softmax output, save and load ------------------------------------------------------------------
def test_a_softmax_network_gives_probabilities_and_survives_json():
    net = construct_classifier("x^2 + y^2 < 0.5", 50)
    p = net(np.array([[0.1, 0.1], [0.9, 0.9]]))
    assert p.shape == (2, 2)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert p[0, 0] > 0.99 and p[1, 1] > 0.99  # inside, outside
    back = Network.from_json(net.to_json())
    assert back.n_outputs == 2
    np.testing.assert_array_equal(back(np.array([[0.3, 0.2]])), net(np.array([[0.3, 0.2]])))
    assert back.info["classes"] == ["inside", "outside"]


def test_softmax_is_for_an_output_of_several_neurons_only():
    with pytest.raises(ConfigError, match="output layer only"):
        Network([Layer(np.ones((1, 3)), np.zeros(3), "softmax"), Layer(np.ones((3, 1)), [0.0], "linear")])
    with pytest.raises(ConfigError, match="one neuron per class"):
        Network([Layer(np.ones((1, 3)), np.zeros(3), "tanh"), Layer(np.ones((3, 1)), [0.0], "softmax")])
    with pytest.raises(ConfigError, match="several only with softmax"):
        Network([Layer(np.ones((1, 3)), np.zeros(3), "tanh"), Layer(np.ones((3, 2)), [0.0, 0.0], "linear")])


def test_construct_on_classes_builds_a_classifier_through_the_registry():
    c = univ.classes("abs(x) + abs(y) < 1 and x > 0", domain=(-1, 1), ydomain=(-1, 1))
    net = univ.construct(c, 101)
    assert net.n_outputs == 2 and net.info["method"] == "towers" and net.hidden_sizes == [20, 81]
    ridge = univ.construct(c, 60, method="ridge")
    assert ridge.hidden_sizes == [60]
    with pytest.raises(ConfigError, match="method"):
        univ.construct(c, 60, method="bumps")
    with pytest.raises(ConfigError):
        univ.construct(c, 3)


# -- measured: the certified misclassified area -----------------------------------------------------------------
def _dense_misclassified(net, truth, side=1500):
    """The misclassified fraction counted independently on side² cell midpoints of [0, 1]²."""
    t = (np.arange(side) + 0.5) / side
    X, Y = np.meshgrid(t, t)
    decided = np.argmax(net(X, Y), axis=-1)
    return float(np.mean(decided != np.where(truth(X, Y), 0, 1)))


def test_misclassified_area_falls_as_n_grows_and_brackets_a_dense_count():
    """A region none of univ's development used, checked against a dense count written here."""
    text = "y > 0.5 + 0.25 sin(7x) or (x - 0.7)^2 + (y - 0.3)^2 < 0.02"

    def truth(x, y):
        return (y > 0.5 + 0.25 * np.sin(7 * x)) | ((x - 0.7) ** 2 + (y - 0.3) ** 2 < 0.02)

    found = []
    for n in (26, 101, 170):
        net = construct_classifier(text, n)
        area = misclassified_area(net, text)
        dense = _dense_misclassified(net, truth)
        assert area.lower <= area.fraction <= area.upper
        assert area.lower - 2e-3 <= dense <= area.upper + 2e-3, (n, area, dense)
        assert area.upper - area.lower < 0.2 * area.fraction  # the band is narrow next to what it measures
        found.append(area.fraction)
    assert found[0] > found[1] > found[2]
    assert found[2] < 0.5 * found[0]


def test_steeper_steps_sharpen_the_boundary_and_grow_the_weights():
    c = classes("x > 0.43")
    soft = measure_classifier(construct_classifier(c, 101, steepness=2.0), c)
    sharp = measure_classifier(construct_classifier(c, 101, steepness=40.0), c)
    assert sharp.blur < soft.blur and sharp.max_weight > soft.max_weight
    # sharper is not simply better: a cell-wide strip misplaced by the grid costs more cross-entropy when confident
    assert sharp.misclassified <= soft.misclassified + 0.01
    assert "doubling the steepness" in sharp.note


def test_data_classes_report_accuracy_on_samples_and_held_out_samples():
    c = classes("circle", samples=400, noise=0.0, seed=1, holdout=0.3)
    r = measure_classifier(construct_classifier(c, 170), c)
    assert r.misclassified is None and r.samples == 280 and r.holdout_samples == 120
    assert r.accuracy >= 0.95 and r.accuracy_holdout >= 0.9
    assert np.isfinite(r.cross_entropy_holdout)
    json.dumps(r.to_dict(), allow_nan=False)
    with pytest.raises(ConfigError, match="needs regions"):
        misclassified_area(construct_classifier(c, 26), c)


def test_a_network_with_the_wrong_outputs_is_refused():
    net = univ.construct("x + y", 26)
    with pytest.raises(ConfigError, match="outputs"):
        measure_classifier(net, "x > 0.5")


# -- trained: softmax + cross-entropy, gradients checked ---------------------------------------------------------
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_softmax_cross_entropy_gradient_matches_central_differences(activation):
    rng = np.random.default_rng(7)
    sizes = [2, 5, 4, 3]
    acts = [activation, activation, "softmax"]
    layers = [
        Layer(rng.normal(0, 0.8, (a, b)), rng.normal(0, 0.5, b), act) for a, b, act in zip(sizes, sizes[1:], acts)
    ]
    net = Network(layers)
    X = rng.uniform(-1, 1, (40, 2))
    labels = rng.integers(0, 3, 40)

    def loss_of(ls):
        p = Network(ls)(X)
        return -np.mean(np.log(p[np.arange(40), labels]))  # cross-entropy written independently

    loss, grads = softmax_gradient(net, X, labels)
    assert loss == pytest.approx(loss_of(layers), rel=1e-12)
    h = 1e-6
    for i, (gW, gb) in enumerate(grads):
        for r in range(gW.shape[0]):
            for col in range(gW.shape[1]):
                plus, minus = [np.array(layer.w) for layer in layers], [np.array(layer.w) for layer in layers]
                plus[i][r, col] += h
                minus[i][r, col] -= h
                up = [Layer(w, layer.b, layer.activation) for w, layer in zip(plus, layers)]
                down = [Layer(w, layer.b, layer.activation) for w, layer in zip(minus, layers)]
                assert gW[r, col] == pytest.approx((loss_of(up) - loss_of(down)) / (2 * h), abs=1e-6)
        for col in range(len(gb)):
            bp = [np.array(layer.b) for layer in layers]
            bm = [np.array(layer.b) for layer in layers]
            bp[i][col] += h
            bm[i][col] -= h
            up = [Layer(layer.w, b, layer.activation) for b, layer in zip(bp, layers)]
            down = [Layer(layer.w, b, layer.activation) for b, layer in zip(bm, layers)]
            assert gb[col] == pytest.approx((loss_of(up) - loss_of(down)) / (2 * h), abs=1e-6)


def test_a_trained_two_layer_net_separates_the_noisy_spiral():
    c = classes("spiral", samples=1000, noise=0.25, seed=0, holdout=0.3)
    result = fit_classifier(c, hidden=(16, 16), optimizer="adam", epochs=2000, seed=0)
    r = measure_classifier(result.network, c)
    assert r.accuracy_holdout >= 0.95
    assert result.loss[-1] < 0.5 * result.loss[0]
    assert result.network.output.activation == "softmax"


@pytest.mark.parametrize("optimizer", ["sgd", "lbfgs"])
def test_other_optimizers_lower_the_cross_entropy(optimizer):
    c = classes("xor", samples=300, noise=0.0, seed=0)
    result = fit_classifier(
        c, hidden=(8,), optimizer=optimizer, epochs=100, batch_size=None if optimizer == "lbfgs" else 30, seed=1
    )
    assert result.loss[-1] < 0.6 * result.loss[0]


def test_training_options_are_checked():
    with pytest.raises(ConfigError, match="cross-entropy"):
        fit_classifier("x > 0.5", optimizer="lm")
    with pytest.raises(ConfigError, match="optimizer"):
        fit_classifier("x > 0.5", optimizer="newton")
    with pytest.raises(ConfigError, match="hidden"):
        fit_classifier("x > 0.5", hidden=(0,))


def test_bad_region_text_is_an_expression_error():
    with pytest.raises(ExpressionError, match="equality has no area"):
        classes("x == 0.5")


# -- the command ---------------------------------------------------------------------------------------------------
def test_classify_command_prints_the_report_and_json_is_report_json(cli, tmp_path):
    out = tmp_path / "run"
    args = ("classify", "x^2 + y^2 < 0.5", "--domain", "-1", "1", "--ydomain", "-1", "1", "-n", "50", "--out", out)
    r = cli(*args, "--no-plot")
    assert r.exit_code == 0, r.output
    assert "misclassified" in r.stdout and "certified between" in r.stdout and "trade-off" in r.stdout
    j = cli(*args, "--no-plot", "--json")
    assert j.exit_code == 0
    report = json.loads(j.stdout)
    assert j.stdout.encode() == (out / "report.json").read_bytes()
    built = report["built"]
    assert built["misclassified_lower"] <= built["misclassified"] <= built["misclassified_upper"]
    net = Network.load(out / "network.json")
    assert net.n_outputs == 2 and net.info["classes"] == ["inside", "outside"]


def test_classify_command_trains_beside_and_draws_both_themes(cli, tmp_path):
    for theme in ("light", "dark"):
        out = tmp_path / theme
        r = cli("classify", "xor", "--samples", "200", "--holdout", "0.2", "-n", "26", "--train", "--epochs", "50",
                "--theme", theme, "--out", out)  # fmt: skip
        assert r.exit_code == 0, r.output
        report = json.loads((out / "report.json").read_text())
        assert report["trained"]["method"] == "fit" and report["trained"]["accuracy_holdout"] is not None
        png = (out / "figure.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
        assert (out / "trained.json").is_file()


@pytest.mark.parametrize(
    "args, match",
    [
        (("x == 0.5",), "equality has no area"),
        (("x < 0.5 and",), "ends too early"),
        (("sin(3x)",), "is a function, not a region"),
        (("x < 0.5", "--holdout", "0.2"), "--holdout needs labelled points"),
        (("spiral", "--domain", "0", "1"), "sets its own domain"),
        (("spiral", "--noise", "2"), "noise"),
        (("x < 0.5", "-n", "3"), "towers needs at least"),
        (("x < 0.5", "--train", "--optimizer", "lm"), "Invalid value"),
        (("x < 0.5", "--train", "--hidden", "4,x"), "--hidden"),
    ],
)
def test_classify_command_refuses_bad_input_in_one_line(cli, tmp_path, args, match):
    r = cli("classify", *args, "--out", tmp_path / "never", "--no-plot")
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert match in r.stderr
    assert not (tmp_path / "never").exists()


def test_a_bad_csv_through_the_command_names_the_row(cli, tmp_path):
    path = tmp_path / "pts.csv"
    path.write_text("x,y,label\n0,0,a\n1,1,b\n0.5,oops,a\n1,0,b\n")
    r = cli("classify", path, "--out", tmp_path / "never", "--no-plot")
    assert r.exit_code == 2 and "row 4: y is not a number: 'oops'" in r.stderr


def test_a_classifier_is_not_measured_as_a_function_nor_drawn_as_one():
    net = construct_classifier("x^2 + y^2 < 0.5", 26)
    with pytest.raises(ConfigError, match="measure_classifier"):
        univ.measure(net, "x^2 + y^2")
    assert net._repr_png_() is None  # the text form, not a crash: its picture needs the classes
    with pytest.raises(ConfigError, match="one output"):
        net.to_sympy()
