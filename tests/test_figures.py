"""Every figure univ draws, at its default size: nothing outside the canvas, no text smaller than the axis labels,
and the panels that used to mislead (relu's contributions, the depth legend, the formula's spacing) drawn right."""

from __future__ import annotations

import numpy as np
import pytest

import univ
from univ import plot
from univ.cli.depth import depth_rows
from univ.comparison import compare, sweep
from univ.measure import measure
from univ.plot.figures import FIGSIZE, new_figure
from univ.search import neurons_for_each


def _approx(expression, neurons, method=None, **domain):
    t = univ.parse(expression, **domain)
    n = univ.construct(t, neurons=neurons, method=method)
    return (plot.approx_figure, n, t, measure(n, t))


def _fit(expression):
    t = univ.parse(expression)
    r = univ.fit(t, hidden=(8,), epochs=30, optimizer="lbfgs", points=200)
    return (plot.fit_figure, r.network, t, r.history)


def _neurons_for():
    t = univ.parse("sin(3x)")
    return (plot.neurons_for_figure, t, 1e-2, neurons_for_each(t, 1e-2, methods=("steps", "relu")))


def _depth():
    rows, parts = depth_rows(4)
    return (plot.depth_figure, parts["target"], parts["networks"], rows)


# every figure kind a command writes, with the longest titles a user meets (issue #25's examples)
KINDS = {
    "approx bumps": lambda: _approx("0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05cos(50x)", 20),
    "approx steps": lambda: _approx("sin(3x)", 13, "steps"),
    "approx relu": lambda: _approx("sqrt(x)", 64, "relu"),
    "approx heaviside": lambda: _approx("sin(3x)", 12, "heaviside"),
    "approx towers": lambda: _approx("exp(-(x^2+y^2))", 200, domain=(-2, 2), ydomain=(-2, 2)),
    "approx ridge": lambda: _approx("exp(-(x^2+y^2))", 200, "ridge", domain=(-2, 2), ydomain=(-2, 2)),
    "approx relu 2d": lambda: _approx("x*y", 100, "relu"),
    "fit 1d": lambda: _fit("sin(3x)"),
    "fit 2d": lambda: _fit("sin(3x) cos(2y)"),
    "compare": lambda: (plot.compare_figure, compare(univ.parse("sin(3x)"), 6, depths=(1, 2), epochs=30)),
    "sweep": lambda: (plot.sweep_figure, sweep(univ.parse("sin(3x)"), (4, 8, 16))),
    "sweep --max-error": _neurons_for,
    "depth": _depth,
}


def drawn(draw, *args):
    """The figure ``draw`` makes at the size ``figure_png`` gives it, laid out and drawn."""
    name = draw.__name__.removesuffix("_figure")
    if name == "approx":
        name += "_2d" if args[1].dimension == 2 else "_1d"
    fig = new_figure(FIGSIZE[name])
    draw(fig, *args)
    fig.canvas.draw()
    return fig


def texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def words(fig):
    """The texts a figure writes itself (titles, axis labels, legends, notes): every one is drawn, where a tick label
    outside the view limits is kept but not drawn."""
    out = [*fig.texts, *(t for leg in fig.legends for t in leg.get_texts())]
    out += [fig._suptitle] if fig._suptitle is not None else []
    for ax in fig.axes:
        out += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        out += [ax.zaxis.label] if hasattr(ax, "zaxis") else []
        out += ax.get_legend().get_texts() if ax.get_legend() is not None else []
    return [t for t in out if t.get_visible() and t.get_text().strip()]


@pytest.fixture(scope="module", params=list(KINDS))
def figure(request):
    return request.param, drawn(*KINDS[request.param]())


def test_a_2d_approx_figure_is_written_at_the_2d_size():
    import io

    from PIL import Image

    draw, *args = _approx("x*y", 100, "relu")
    image = Image.open(io.BytesIO(plot.figure_png(draw, *args, dpi=50)))
    assert image.size == tuple(round(50 * v) for v in FIGSIZE["approx_2d"])  # not the 1D figure's 8 × 8 inches


def test_nothing_is_drawn_outside_the_canvas(figure):
    kind, fig = figure
    renderer = fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer)  # inches: everything drawn, text included
    w, h = fig.get_size_inches()
    tol = 0.02
    assert box.x0 >= -tol and box.y0 >= -tol and box.x1 <= w + tol and box.y1 <= h + tol, (kind, box, (w, h))
    for t in words(fig):  # and each title, label, legend and note on its own, in pixels
        e = t.get_window_extent(renderer)
        assert e.x0 >= -1 and e.y0 >= -1 and e.x1 <= fig.bbox.x1 + 1 and e.y1 <= fig.bbox.y1 + 1, (kind, t.get_text())


def test_no_text_is_smaller_than_the_axis_labels(figure):
    kind, fig = figure
    label_size = max(ax.xaxis.label.get_size() for ax in fig.axes)
    small = [(t.get_text(), t.get_size()) for t in texts(fig) if t.get_size() < label_size - 1e-9]
    assert not small, (kind, label_size, small)


def test_titles_do_not_overlap_each_other(figure):
    kind, fig = figure
    renderer = fig.canvas.get_renderer()
    titles = [ax.title for ax in fig.axes if ax.title.get_text()] + ([fig._suptitle] if fig._suptitle else [])
    boxes = [t.get_window_extent(renderer) for t in titles]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (kind, titles[i].get_text(), titles[j].get_text())


def test_network_picture_fits_its_canvas():
    png = plot.network_png(univ.construct(univ.parse("0.2 + 0.4x^2 + 0.3x sin(15x)"), neurons=20))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


# -- what the panels say ------------------------------------------------------------------------------------------
def test_relu_panel_shows_each_hinge_as_its_change_of_slope_on_the_net():
    t = univ.parse("sqrt(x)")
    net = univ.construct(t, neurons=64, method="relu")
    fig = new_figure(FIGSIZE["approx_1d"])
    plot.approx_figure(fig, net, t, measure(net, t))
    panel = fig.axes[1]
    stems, dots = panel.collections[0], panel.lines[0]
    knots, kinks = dots.get_xdata(), dots.get_ydata()
    assert len(knots) == 64 and "change of slope" in panel.get_title()
    # independent reference: the net's own slope on either side of each inner knot, by finite differences
    d = 1e-7
    for k, v in zip(knots[1:], kinks[1:]):
        right = (net(k + 2 * d) - net(k + d)) / d
        left = (net(k - d) - net(k - 2 * d)) / d
        assert float(right - left) == pytest.approx(v, rel=1e-4, abs=1e-6)
    assert float(net(2 * d) - net(d)) / d == pytest.approx(kinks[0], rel=1e-4)  # the first: the starting slope
    # a readable scale: the panel spans its stems, not the ±1000 ramps the hinges' contributions reach
    lo, hi = panel.get_ylim()
    assert hi - lo <= 1.5 * (kinks.max() - min(kinks.min(), 0.0)) + 1e-12
    assert len(stems.get_segments()) == 64


@pytest.mark.parametrize("method, neurons", [("bumps", 20), ("steps", 13), ("heaviside", 12)])
def test_other_panels_draw_each_piece_no_taller_than_its_height(method, neurons):
    t = univ.parse("sin(3x)")
    net = univ.construct(t, neurons=neurons, method=method)
    fig = new_figure(FIGSIZE["approx_1d"])
    plot.approx_figure(fig, net, t, measure(net, t))
    lines = [ln for ln in fig.axes[1].lines if len(ln.get_xdata()) > 2]
    heights = np.abs(net.output.w[:, 0])
    assert len(lines) == (neurons // 2 if method == "bumps" else neurons)
    assert max(np.max(np.abs(ln.get_ydata())) for ln in lines) <= heights.max() * (1 + 1e-9)


def test_depth_legend_covers_no_panel():
    fig = drawn(*_depth())
    renderer = fig.canvas.get_renderer()
    (legend,) = fig.legends
    box = legend.get_window_extent(renderer)
    assert all(not box.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)


@pytest.mark.parametrize(
    "expression, spaced",
    [
        ("0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05cos(50x)", [r"0.3 x\, \sin", r"0.05\, \cos"]),
        ("x sin(1/x)", [r"x\, \sin"]),
        ("x abs(x)", [r"x\, \left|"]),
        ("sin(x)cos(y)", [r"\right)}\, \cos"]),
    ],
)
def test_a_factor_before_a_function_is_spaced_and_terms_keep_their_order(expression, spaced):
    tex = univ.parse(expression).latex
    for s in spaced:
        assert s in tex, tex
    if expression.startswith("0.2"):
        assert tex.startswith("0.2 + 0.4 x^{2}"), tex  # as typed, not sympy's order
    # mathtext typesets it (a title is drawn with it)
    from matplotlib.mathtext import MathTextParser

    MathTextParser("path").parse(f"${tex}$")
