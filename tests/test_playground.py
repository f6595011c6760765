"""The page as a playground (issue #20), in Debian's Chromium driven by Playwright: the state in the link, the network
as a file univ reads, draw mode's construction against univ's own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import univ
from univ.page import SKETCH_POINTS, build_page
from univ.play import piece_weights, with_piece_weights

EXPRESSION = "sin(3x)"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("playground") / "sin.html"
    path.write_text(build_page(EXPRESSION, neurons=20), encoding="utf-8")
    return path


def _open(browser, url: str, width: int = 1100, height: int = 1300, touch: bool = False):
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True, has_touch=touch, is_mobile=touch
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: problems.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None)
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=15_000)
    return page, problems


def _readout(page, sel: str) -> float:
    value = float(page.get_attribute(sel, "data-value"))
    assert float(page.text_content(sel)) == pytest.approx(value, rel=1e-5)  # shown is the value, rounded
    return value


def _stroke(page, points, touch: bool = False) -> None:
    """A stroke through viewport points with the mouse, or with one finger (CDP touch events, as a phone sends)."""
    if not touch:
        page.mouse.move(*points[0])
        page.mouse.down()
        for p in points[1:]:
            page.mouse.move(*p, steps=4)
        page.mouse.up()
        return
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": points[0][0], "y": points[0][1]}]}
    )
    for p in points[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": p[0], "y": p[1]}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def _draw_points(page, xs_ys) -> list[tuple[float, float]]:
    return [tuple(page.evaluate("([x, y]) => univPage.draw.at(x, y)", [x, y]).values()) for x, y in xs_ys]


# -- 1. share: the whole state in the link -----------------------------------------------------------------------
def test_the_link_restores_the_whole_state_in_a_new_page(browser, page_file, tmp_path):
    page, problems = _open(browser, page_file.as_uri())
    page.focus("#neurons")
    page.keyboard.press("ArrowRight")  # 22 neurons
    page.focus("#scale")
    for _ in range(7):
        page.keyboard.press("ArrowLeft")  # steepness 10 · 10^-0.07
    page.locator("#bumps-plot").scroll_into_view_if_needed()
    start = page.evaluate("univPage.handle(2)")
    _stroke(page, [(start["x"], start["y"]), (start["x"], start["y"] + 40)])  # drag bump 3 down
    page.select_option("#piece", "6")
    page.focus("#height")
    for _ in range(3):
        page.keyboard.press("ArrowUp")  # bump 7 up three slider steps
    page.click("#tab-challenge")
    page.focus("#ch1")
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    page.click("#tab-draw")
    page.select_option("#draw-method", "steps")
    page.focus("#draw-n")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.locator("#draw-plot").scroll_into_view_if_needed()
    _stroke(page, _draw_points(page, [(0.2, 0.3), (0.5, -0.2), (0.8, 0.6)]))
    page.click("#theme")
    page.click("#theme")  # auto -> light -> dark
    before = {k: page.evaluate(f"univPage.{k}()") for k in ("state", "challenge")}
    before["draw"] = page.evaluate("univPage.draw.state()")
    assert before["state"]["neurons"] == 22 and before["draw"]["method"] == "steps" and before["draw"]["edited"]
    edited = [j for j, h in enumerate(before["state"]["heights"]) if h != _built_heights(before["state"])[j]]
    assert edited == [2, 6]
    page.click("#copy-link")
    url = page.url
    assert page.input_value("#link") == url and "#" in url and "tab=draw" in url and "theme=dark" in url
    assert problems == []

    other, problems = _open(browser, url)
    assert other.evaluate("univPage.state()") == before["state"]  # every number exactly, not nearly
    assert other.evaluate("univPage.challenge()") == before["challenge"]
    assert other.evaluate("univPage.draw.state()") == before["draw"]
    assert other.evaluate("document.documentElement.dataset.theme") == "dark"
    assert other.is_visible("#draw-plot") and other.get_attribute("#tab-draw", "aria-selected") == "true"
    for sel in ("#max-error", "#rmse", "#score", "#draw-max-error"):
        assert other.get_attribute(sel, "data-value") == page.get_attribute(sel, "data-value")
    # and the restored bumps are univ's net at that steepness with those heights
    s = before["state"]
    net = with_piece_weights(univ.construct(EXPRESSION, neurons=22, steepness=s["value"]), s["heights"])
    rep = univ.measure(net, univ.parse(EXPRESSION))
    assert _readout(other, "#max-error") == pytest.approx(rep.grid_max_error, abs=1e-9)
    assert problems == []
    other.context.close()
    page.context.close()


def _built_heights(state: dict) -> list[float]:
    return list(piece_weights(univ.construct(EXPRESSION, neurons=state["neurons"], steepness=state["value"])))


@pytest.mark.parametrize(
    "fragment, message",
    [
        ("#f=cos(x)&n=22", "this link is for f(x) = cos(x)"),
        ("#f=sin(3x)&method=relu", "for the relu construction"),
        ("#f=sin(3x)&n=23&h=1:abc,99:1&sk=1,2", "could not be read: no net of 23 neurons here; height 1:abc"),
    ],
)
def test_a_link_for_another_page_or_a_broken_link_says_so_in_one_line(browser, page_file, fragment, message):
    page, problems = _open(browser, page_file.as_uri() + fragment)
    assert message in page.text_content("#status")
    assert page.evaluate("univPage.state()")["neurons"] in (20, 22) and problems == []
    page.context.close()


# -- 2. take home: network.json out and in ----------------------------------------------------------------------
def test_download_network_is_what_univ_loads_and_measures_as_the_page_shows(browser, page_file, tmp_path):
    page, problems = _open(browser, page_file.as_uri())
    page.focus("#scale")
    for _ in range(20):
        page.keyboard.press("ArrowRight")  # steepness 10 · 10^0.2
    page.locator("#bumps-plot").scroll_into_view_if_needed()
    start = page.evaluate("univPage.handle(5)")
    _stroke(page, [(start["x"], start["y"]), (start["x"], start["y"] - 35)])
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == "network.json"
    path = tmp_path / "network.json"
    download.save_as(path)
    net = univ.Network.load(path)
    state = page.evaluate("univPage.state()")
    assert np.array_equal(piece_weights(net), state["heights"])  # the edited heights, exactly
    assert net.info["steepness"] == state["value"] and net.info["heights_edited"] is True
    rep = univ.measure(net, univ.parse(EXPRESSION))
    assert _readout(page, "#max-error") == pytest.approx(rep.grid_max_error, abs=1e-9)
    assert _readout(page, "#rmse") == pytest.approx(rep.rmse, abs=1e-9)
    # univ's own construction at that steepness is the same hidden layer
    built = univ.construct(EXPRESSION, neurons=20, steepness=state["value"])
    assert np.allclose(net.hidden[0].w, built.hidden[0].w, rtol=1e-12)
    assert np.allclose(net.hidden[0].b, built.hidden[0].b, rtol=1e-9, atol=1e-9)
    assert problems == []
    page.context.close()


def test_open_network_shows_a_net_univ_wrote_with_univs_numbers(browser, page_file, tmp_path):
    target = univ.parse(EXPRESSION)
    built = univ.construct(target, neurons=14, steepness=25.0)
    net = with_piece_weights(built, piece_weights(built) * np.linspace(0.8, 1.2, 7))
    path = tmp_path / "mine.json"
    net.save(path)
    page, problems = _open(browser, page_file.as_uri())
    page.set_input_files("#open-network", str(path))
    page.wait_for_function("univPage.state().neurons === 14")
    rep = univ.measure(net, target)
    assert _readout(page, "#max-error") == pytest.approx(rep.grid_max_error, abs=1e-9)
    assert _readout(page, "#rmse") == pytest.approx(rep.rmse, abs=1e-9)
    assert page.evaluate("univPage.state()")["heights"] == pytest.approx(list(piece_weights(net)), abs=0)
    assert "mine.json: 14 neurons" in page.text_content("#loaded-note")
    # and it goes home again unchanged
    with page.expect_download() as info:
        page.click("#download")
    info.value.save_as(tmp_path / "again.json")
    again = univ.Network.load(tmp_path / "again.json")
    for a, b in zip(again.layers, net.layers):
        assert np.array_equal(a.w, b.w) and np.array_equal(a.b, b.b) and a.activation == b.activation
    # hostile files: one line in the status, nothing thrown, the net unchanged
    for name, text, why in (
        ("junk.json", "{not json", "not JSON"),
        ("other.json", json.dumps({"format": "keras"}), "not a univ network"),
        ("nan.json", net.to_json().replace(str(net.layers[0].b[0]), "NaN", 1), "not JSON"),
        ("deep.json", json.dumps({**net.to_dict(), "layers": [net.to_dict()["layers"][0]] * 3}), "one hidden layer"),
        ("tanh.json", net.to_json().replace('"sigmoid"', '"tanh"', 1), "hidden activation tanh"),
    ):
        (tmp_path / name).write_text(text)
        page.set_input_files("#open-network", str(tmp_path / name))
        page.wait_for_function(f"document.getElementById('status').textContent.startsWith({json.dumps(name)})")
        assert why in page.text_content("#status") and "\n" not in page.text_content("#status")
        assert page.evaluate("univPage.state()")["heights"] == pytest.approx(list(piece_weights(net)), abs=0)
    assert problems == []
    page.context.close()


# -- 3. draw your own f ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method, touch", [("bumps", False), ("steps", False), ("bumps", True)])
def test_a_drawn_sketch_gets_univs_construction_and_exports_the_csv_univ_reads(
    browser, page_file, tmp_path, cli, method, touch
):
    width = 390 if touch else 1100
    page, problems = _open(browser, page_file.as_uri(), width=width, height=900, touch=touch)
    page.click("#tab-draw")
    page.select_option("#draw-method", method)
    page.locator("#draw-plot").scroll_into_view_if_needed()
    _stroke(page, _draw_points(page, [(0.05, 0.1), (0.3, 0.9), (0.55, -0.3), (0.95, 0.4)]), touch=touch)
    st = page.evaluate("univPage.draw.state()")
    x, y = np.array(st["x"]), np.array(st["y"])
    assert st["edited"] and len(x) == SKETCH_POINTS and np.array_equal(x, np.linspace(0, 1, SKETCH_POINTS))
    assert np.max(np.abs(y - np.sin(3 * x))) > 0.3  # the stroke changed the sketch
    # univ's construction on the same samples: Target.from_samples is their linear interpolant
    target = univ.Target.from_samples(x, y)
    built = univ.construct(target, neurons=st["neurons"], method=method)
    mine = page.evaluate("univPage.draw.network()")
    assert np.max(np.abs(np.array(mine["w"]) - built.hidden[0].w[0])) <= 1e-12 * np.max(np.abs(built.hidden[0].w))
    assert np.max(np.abs(np.array(mine["b"]) - built.hidden[0].b)) <= 1e-12 * np.max(np.abs(built.hidden[0].b))
    assert np.max(np.abs(np.array(mine["out"]) - built.output.w[:, 0])) <= 1e-12
    assert abs(mine["bias"] - built.output.b[0]) <= 1e-12
    rep = univ.measure(built, target)
    assert _readout(page, "#draw-max-error") == pytest.approx(rep.grid_max_error, abs=1e-9)
    assert _readout(page, "#draw-rmse") == pytest.approx(rep.rmse, abs=1e-9)
    # the sketch as the CSV univ reads: the same target, the same network
    with page.expect_download() as info:
        page.click("#draw-csv")
    assert info.value.suggested_filename == "sketch.csv"
    csv = tmp_path / "sketch.csv"
    info.value.save_as(csv)
    from_csv = univ.Target.from_csv(csv)
    assert np.array_equal(from_csv.samples[0], x) and np.array_equal(from_csv.samples[1], y)
    run = ["approx", str(csv), "--method", method, "-n", str(st["neurons"]), "--out", str(tmp_path / "run")]
    r = cli(*run, "--no-plot", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["max_error"] == pytest.approx(rep.max_error, rel=1e-12)
    assert problems == []
    page.context.close()


def test_draw_mode_at_every_neuron_count_matches_univ(browser, page_file):
    """The port at many N, both methods: odd and even cell counts, N = 1 and the page's largest."""
    page, problems = _open(browser, page_file.as_uri())
    page.click("#tab-draw")
    st = page.evaluate("univPage.draw.state()")
    target = univ.Target.from_samples(st["x"], st["y"])
    for method, counts in (("bumps", (2, 4, 6, 38, 400)), ("steps", (1, 2, 3, 17, 399))):
        page.select_option("#draw-method", method)
        for n in counts:
            page.evaluate(
                f"(() => {{ const r = document.getElementById('draw-n'); r.value = '{n}'; "
                "r.dispatchEvent(new Event('input')); })()"
            )
            mine = page.evaluate("univPage.draw.network()")
            built = univ.construct(target, neurons=n, method=method)
            assert len(mine["w"]) == n
            assert np.allclose(mine["w"], built.hidden[0].w[0], rtol=1e-12, atol=0)
            assert np.allclose(mine["b"], built.hidden[0].b, rtol=1e-12, atol=1e-12)
            assert np.allclose(mine["out"], built.output.w[:, 0], rtol=0, atol=1e-12)
    assert problems == []
    page.context.close()


# -- 4. for every hand --------------------------------------------------------------------------------------------
AXE = Path(__file__).resolve().parents[1] / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


def test_keyboard_only_changes_a_bumps_height_and_tabs_through_the_bumps(browser, page_file):
    page, problems = _open(browser, page_file.as_uri())
    page.focus("#reset")
    for _ in range(10):  # Tab onward from the reset button until the figure has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "bumps-plot":
            break
    assert page.evaluate("document.activeElement.id") == "bumps-plot"
    text = page.get_attribute("#bumps-plot", "aria-valuetext")
    assert text.startswith("bump 1 of 10: height ")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # bump 3
    assert page.get_attribute("#bumps-plot", "aria-valuetext").startswith("bump 3 of 10")
    before = page.evaluate("univPage.state()")
    step = float(page.get_attribute("#height", "step"))
    for _ in range(5):
        page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    after = page.evaluate("univPage.state()")
    assert after["heights"][2] == pytest.approx(before["heights"][2] + 4 * step, rel=1e-9)
    assert after["heights"][:2] + after["heights"][3:] == before["heights"][:2] + before["heights"][3:]
    assert float(page.get_attribute("#bumps-plot", "aria-valuenow")) == after["heights"][2]
    net = with_piece_weights(univ.construct(EXPRESSION, neurons=20), after["heights"])
    assert _readout(page, "#max-error") == pytest.approx(univ.measure(net, univ.parse(EXPRESSION)).grid_max_error)
    assert page.get_attribute(".readouts", "aria-live") == "polite"  # the error is announced as it changes
    for _ in range(8):  # past the last bump, Tab leaves the figure
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") != "bumps-plot"
    assert problems == []
    page.context.close()


def test_a_finger_drags_a_bump_on_a_phone(browser, page_file):
    page, problems = _open(browser, page_file.as_uri(), width=390, height=844, touch=True)
    page.locator("#bumps-plot").scroll_into_view_if_needed()
    before = page.evaluate("univPage.state()")["heights"]
    h = page.evaluate("univPage.handle(4)")
    _stroke(page, [(h["x"], h["y"]), (h["x"], h["y"] + 15), (h["x"], h["y"] + 30)], touch=True)
    after = page.evaluate("univPage.state()")["heights"]
    assert after[4] < before[4] - 0.05 and after[:4] == before[:4] and after[5:] == before[5:]
    assert problems == []
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1100, 390])
def test_axe_core_finds_no_serious_violation_in_any_tab(browser, page_file, scheme, width, tmp_path_factory):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (scripts/setup.sh installs it with npm)")
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-ready='1']")
    page.add_script_tag(path=str(AXE))  # injected by the test; the page itself never fetches it
    shots = tmp_path_factory.mktemp("playground-shots")
    found = {}
    for tab in ("bumps", "challenge", "neuron", "draw", "train"):
        page.click(f"#tab-{tab}")
        violations = page.evaluate(
            "async () => (await axe.run(document)).violations.map(v => ({id: v.id, impact: v.impact,"
            " nodes: v.nodes.map(n => n.target.join(' '))}))"
        )
        found[tab] = [v for v in violations if v["impact"] in ("serious", "critical")]
        kind = "phone" if width < 600 else "desktop"
        page.screenshot(path=str(shots / f"{tab}-{kind}-{scheme}.png"), full_page=True)
    assert found == {tab: [] for tab in found}
    context.close()


def _css_colours(css: str, selector: str) -> dict[str, tuple[float, float, float]]:
    block = css[css.index(selector) :]
    block = block[: block.index("}")]
    found = re.findall(r"--([a-z-]+):\s*#([0-9a-fA-F]{6})", block)
    return {k: tuple(int(v[i : i + 2], 16) / 255 for i in (0, 2, 4)) for k, v in found}


def _lab(rgb) -> np.ndarray:
    """sRGB in [0, 1] to CIE L*a*b* (D65)."""
    c = np.asarray(rgb, dtype=float)
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


# Machado, Oliveira & Fernandes (2009), severity 1: what a protanope, deuteranope or tritanope sees (linear RGB)
CVD = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}


def _seen(rgb, matrix) -> np.ndarray:
    c = np.asarray(rgb, dtype=float)
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    lin = np.clip(matrix @ lin, 0, 1)
    return np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)


@pytest.mark.parametrize("theme", [":root {", ':root[data-theme="dark"] {'])
def test_the_curves_colours_stay_apart_under_colour_vision_deficiencies(theme):
    from univ import assets

    colours = _css_colours(assets.read("page.css"), theme)
    pairs = [("target", "network"), ("bump-a", "bump-b"), ("network", "bg"), ("target", "bg"), ("bump-a", "bg")]
    for name, matrix in CVD.items():
        for p, q in pairs:
            d = np.linalg.norm(_lab(_seen(colours[p], matrix)) - _lab(_seen(colours[q], matrix)))
            assert d > 20, (theme, name, p, q, d)  # ΔE*ab above 20: plainly different, not just noticeably


# -- 5. watch training ------------------------------------------------------------------------------------------
def test_training_plays_univs_own_snapshots_beside_the_construction(browser, page_file):
    result = univ.fit(EXPRESSION, hidden=[20], activation="sigmoid", seed=0)  # what the page says it carries
    h, target = result.history, univ.parse(EXPRESSION)
    f = target.evaluate(h.x.ravel())
    page, problems = _open(browser, page_file.as_uri())
    page.click("#tab-train")
    assert page.is_visible("#train-plot")
    last = len(h.snapshot_epochs) - 1
    tr = page.evaluate("univPage.training()")
    assert tr["at"] == last and tr["epoch"] == h.epochs  # opens on the trained net
    final = univ.measure(result.network, target)
    text = page.text_content("#train-final")
    assert f"max error {final.max_error:.6g}" in text and f"RMSE {final.rmse:.6g}" in text
    page.focus("#train-at")
    page.keyboard.press("Home")
    for k in (0, 1, 2):
        tr = page.evaluate("univPage.training()")
        e = h.snapshot_epochs[k]
        assert tr["at"] == k and tr["epoch"] == e and str(e) in page.text_content("#train-epoch")
        assert np.allclose(tr["curve"], h.snapshots[k], rtol=1e-6, atol=1e-7)  # float32 on the page
        assert _readout(page, "#train-loss") == pytest.approx(h.loss[e], rel=1e-12)
        assert _readout(page, "#train-max-error") == pytest.approx(np.max(np.abs(h.snapshots[k] - f)), rel=1e-12)
        page.keyboard.press("ArrowRight")
    # play: the curve moves toward f, snapshot after snapshot, and stops at the end
    page.click("#train-play")
    assert page.get_attribute("#train-play", "aria-pressed") == "true"
    page.wait_for_function("univPage.training().at >= 6")
    page.click("#train-play")  # pause
    paused = page.evaluate("univPage.training()")
    assert not paused["playing"]
    page.wait_for_timeout(800)
    assert page.evaluate("univPage.training()")["at"] == paused["at"]  # paused means it stays
    page.click("#train-play")
    page.wait_for_function(f"univPage.training().at === {last} && !univPage.training().playing", timeout=30_000)
    assert page.get_attribute("#train-play", "aria-pressed") == "false"
    early, late = np.max(np.abs(h.snapshots[3] - f)), _readout(page, "#train-max-error")
    assert late < early / 10  # it found f
    assert problems == []
    page.context.close()


def test_a_page_without_training_says_so(browser, tmp_path, cli):
    out = tmp_path / "p.html"
    r = cli("page", EXPRESSION, "-n", "6", "--no-training", "--out", str(out))
    assert r.exit_code == 0, r.output
    page, problems = _open(browser, out.as_uri())
    page.click("#tab-train")
    assert "without a training run" in page.text_content("#train-intro") and page.is_disabled("#train-play")
    assert page.evaluate("univPage.training()") is None and problems == []
    page.context.close()


# -- 6. 2D: towers as a surface ----------------------------------------------------------------------------------
GAUSS = "exp(-(x^2+y^2))"
SQUARE = ["--domain", "-2", "2", "--ydomain", "-2", "2"]


@pytest.fixture(scope="module")
def page_2d(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from univ.cli import main

    out = tmp_path_factory.mktemp("page2d") / "gauss.html"
    r = CliRunner().invoke(main, ["page", GAUSS, *SQUARE, "--out", str(out)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return out


def test_a_2d_page_renders_turns_and_its_errors_are_the_clis(browser, page_2d, cli, tmp_path):
    page, problems = _open(browser, page_2d.as_uri())
    target = univ.parse(GAUSS, domain=(-2, 2), ydomain=(-2, 2))
    state = page.evaluate("univPage.state()")
    assert state["dimension"] == 2 and state["cells"] == 3 and state["neurons"] == 17  # -n 20 builds 3 × 3 towers
    r = cli("approx", GAUSS, *SQUARE, "-n", "20", "--no-plot", "--out", str(tmp_path / "run"), "--json")
    report = json.loads(r.stdout)
    assert _readout(page, "#max-error-2d") == report["max_error"] and _readout(page, "#rmse-2d") == report["rmse"]
    # the surface is univ's net evaluated on the drawn points
    pts = page.evaluate("univPage.points()")
    X, Y = np.meshgrid(pts["x"], pts["y"])
    net = univ.construct(target, neurons=20)
    assert np.max(np.abs(np.array(page.evaluate("univPage.values()")) - net(X.ravel(), Y.ravel()))) < 1e-9
    # more cells from the keyboard: the numbers follow, and they are univ.measure's
    page.focus("#cells")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    state = page.evaluate("univPage.state()")
    assert state["cells"] == 7
    rep = univ.measure(univ.construct(target, neurons=state["neurons"]), target)
    assert state["neurons"] == 7 * 7 + 2 * 8
    assert _readout(page, "#max-error-2d") == rep.max_error and _readout(page, "#rmse-2d") == rep.rmse
    assert rep.max_error < report["max_error"]
    # turned by dragging: the view and the picture change
    before = page.locator("#surface").screenshot()
    box = page.locator("#surface").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    _stroke(page, [(cx, cy), (cx + 80, cy + 20)])
    turned = page.evaluate("univPage.state()")
    assert turned["az"] == pytest.approx(state["az"] - 40, abs=1) and turned["el"] == pytest.approx(36, abs=1)
    assert page.locator("#surface").screenshot() != before
    page.select_option("#beside", "target")
    assert "target" in page.text_content("#beside-title")
    # the state is in the link
    page.click("#copy-link")
    other, problems2 = _open(browser, page.url)
    assert other.evaluate("univPage.state()") == page.evaluate("univPage.state()")
    assert problems == [] and problems2 == []
    other.context.close()
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_2d_page_is_axe_clean(browser, page_2d, scheme, tmp_path_factory):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (scripts/setup.sh installs it with npm)")
    shots = tmp_path_factory.mktemp("playground-shots-2d")
    for width in (1100, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(page_2d.as_uri())
        page.wait_for_selector("body[data-ready='1']")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run(document)).violations.map(v => [v.id, v.impact])")
        assert [v for v in violations if v[1] in ("serious", "critical")] == []
        page.screenshot(
            path=str(shots / f"towers-{'phone' if width < 600 else 'desktop'}-{scheme}.png"), full_page=True
        )
        context.close()


# -- 7. fast: the sparse evaluation is still univ's network ------------------------------------------------------
@pytest.mark.parametrize("method, n, keys", [("bumps", 400, ("Home",)), ("bumps", 400, ("End",)), ("steps", 41, ())])
def test_the_fast_update_is_still_univs_network(browser, tmp_path, method, n, keys):
    """Neurons saturate outside |z| < 40 (univ's clip); the page keeps only their windows. The values must still be
    univ's network at the steepness shown, at the widest windows (smallest steepness) and the narrowest."""
    path = tmp_path / "p.html"
    path.write_text(build_page(EXPRESSION, neurons=n, method=method, training=False), encoding="utf-8")
    page, problems = _open(browser, path.as_uri())
    page.focus("#scale")
    for key in keys:
        page.keyboard.press(key)
    state = page.evaluate("univPage.state()")
    built = univ.construct(EXPRESSION, neurons=n, method=method, steepness=state["value"])
    x, y = np.array(page.evaluate("univPage.points()")), np.array(page.evaluate("univPage.values()"))
    assert np.max(np.abs(y - built(x))) < 1e-9
    rep = univ.measure(built, univ.parse(EXPRESSION))
    assert _readout(page, "#max-error") == pytest.approx(rep.grid_max_error, abs=1e-9)
    # a height moved: the incremental sum is univ's network with that height
    page.focus("#height")
    page.keyboard.press("PageUp")
    state = page.evaluate("univPage.state()")
    moved = with_piece_weights(built, state["heights"])
    assert np.max(np.abs(np.array(page.evaluate("univPage.values()")) - moved(x))) < 1e-9
    assert problems == []
    page.context.close()
