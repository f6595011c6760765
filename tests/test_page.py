"""univ page: one self-contained offline HTML file that evaluates the networks univ built — checked in Python, and in
a real headless Chromium (Debian's chromium driven by Playwright) against univ's own measurements."""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import numpy as np
import pytest

import univ
from univ.measure import POINTS_1D, quadrature
from univ.page import build_page, neuron_counts, page_data
from univ.play import nielsen_challenge, piece_weights, with_piece_weights


def f64(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f8")


def embedded(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="univ-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1).replace("<\\/", "</"))


# -- the file ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def default_page() -> str:
    return build_page("sin(3x)", neurons=20)


def test_page_is_one_self_contained_file_under_500_kb(default_page):
    size = len(default_page.encode())
    assert size < 500_000, size
    assert default_page.startswith("<!DOCTYPE html>")
    assert '<meta name="viewport"' in default_page and "prefers-color-scheme" in default_page
    # nothing is fetched: no external scripts, styles, images or fonts
    assert not re.search(r"https?://", default_page)
    assert not re.search(r"<script[^>]+src=", default_page)
    assert not re.search(r"<link[^>]+stylesheet", default_page)
    assert not re.search(r"url\(", default_page)
    hrefs = re.findall(r'href="([^"]*)"', default_page)
    assert all(h.startswith("data:") or h.startswith("#") for h in hrefs), hrefs
    # keyboard-accessible native sliders, each with a label
    for rid in ("neurons", "scale", "height", "nw", "nb", "ns"):
        assert f'<input type="range" id="{rid}"' in default_page
        assert f'<label for="{rid}">' in default_page


def test_page_with_the_largest_count_stays_under_500_kb():
    assert len(build_page("sin(3x)", neurons=univ.limits.MAX_PAGE_NEURONS).encode()) < 500_000


def test_embedded_networks_are_univs_own():
    data = page_data("sin(3x)", neurons=20)
    target = univ.parse("sin(3x)")
    assert data["counts"] == neuron_counts(20, "bumps") and data["counts"][data["start"]] == 20
    x, w = quadrature(0.0, 1.0, POINTS_1D)  # univ.measure's points and RMSE weights
    pts = data["points"]  # the page remakes them as univ.measure does; the browser test compares them exactly
    assert (pts["a"], pts["b"], pts["panels"] * len(pts["nodes"]) + 2) == (0.0, 1.0, x.size)
    assert np.array_equal(np.concatenate([[0.0], np.tile(data["points"]["weights"], (x.size - 2) // 3), [0.0]]), w)
    assert np.array_equal(f64(data["target"]), target.evaluate(x))
    for n, net in zip(data["counts"], data["nets"]):
        built = univ.construct(target, neurons=n)
        assert net["neurons"] == n
        assert np.array_equal(f64(net["w"]), built.hidden[0].w[0])
        assert np.array_equal(f64(net["b"]), built.hidden[0].b)
        assert np.array_equal(f64(net["heights"]), piece_weights(built))


@pytest.mark.parametrize(
    "method, knots, option, new",
    [
        ("bumps", "uniform", "steepness", 37.0),
        ("bumps", "adaptive", "steepness", 2.5),
        ("steps", "uniform", "steepness", 123.0),
        ("bumps", "uniform", "weight", 400.0),
    ],
)
def test_scaling_about_the_step_points_is_univs_construction_at_the_new_steepness(method, knots, option, new):
    """The page scales z = w x + b to k (w x + b) + (1 − k) c; that must be univ's network at the new value."""
    start = {"steepness": 10.0, "weight": 60.0}[option]
    data = page_data("x^2 + sin(5x)", neurons=12, method=method, knots=knots, **{option: start})
    assert data["scale"]["kind"] == option and data["scale"]["value"] == start
    k = new / start
    for n, net in zip(data["counts"], data["nets"]):
        w, b, c = f64(net["w"]), f64(net["b"]), f64(net["c"])
        rebuilt = univ.construct("x^2 + sin(5x)", neurons=n, method=method, knots=knots, **{option: new})
        assert np.allclose(k * w, rebuilt.hidden[0].w[0], rtol=1e-12, atol=0)
        assert np.allclose(k * b + (1 - k) * c, rebuilt.hidden[0].b, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: build_page("sin(", neurons=20), "ends too early"),
        (lambda: build_page("sin(3x)", neurons=0), "neurons must be a whole number from 2"),
        (lambda: build_page("sin(3x)", neurons=10_000), "neurons must be a whole number"),
        (lambda: build_page("sin(3x)", neurons=21), "must be even"),
        (lambda: build_page("sin(3x)", neurons=True), "neurons must be a whole number"),
        (lambda: build_page("sin(3x)", method="towers"), "unknown method"),
        (lambda: build_page("x y", method="bumps"), "unknown method 'bumps'; choose one of towers"),
        (lambda: build_page("x y", knots="adaptive"), "towers, which take steepness, not weight or knots"),
        (lambda: build_page("x y", neurons=4), "from 5 to 400"),
        (lambda: build_page("sin(3x)", ydomain=(0, 1)), "takes no ydomain"),
        (lambda: build_page("1/x", domain=(-1, 1)), "not finite"),
        (lambda: build_page("sin(3x)", steepness=float("nan")), "steepness"),
        (lambda: build_page("sin(3x)", steepness=5, weight=10), "not both"),
    ],
)
def test_bad_input_is_one_line_univ_error(call, message):
    with pytest.raises(univ.UnivError) as info:
        call()
    assert message in str(info.value) and "\n" not in str(info.value)


# -- in a real browser ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the screenshots go: a temporary folder (printed, to look at with ``pytest -s``), never the checkout."""
    folder = tmp_path_factory.mktemp("page-shots")
    print(f"page screenshots in {folder}")
    return folder


@pytest.fixture(scope="module")
def page_file(tmp_path_factory, default_page) -> Path:
    path = tmp_path_factory.mktemp("page") / "sin.html"
    path.write_text(default_page, encoding="utf-8")
    return path


def _open(browser, path: Path, width: int = 1100, height: int = 1300, scheme: str = "light"):
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
    problems = []
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "request", lambda r: problems.append(f"request: {r.url}") if not r.url.startswith(("file:", "data:")) else None
    )
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=15_000)
    return page, problems


def _readout(page, sel: str, rounding: float = 0.0) -> float:
    value = float(page.get_attribute(sel, "data-value"))
    shown = float(page.text_content(sel))
    assert shown == pytest.approx(value, rel=1e-5, abs=rounding)  # what a reader sees is the same number, rounded
    return value


def _univ_report(state: dict):
    """univ's own measurement of the network the page shows: the page's max error is univ's on the same points,
    ``grid_max_error`` (univ then refines it between the points, which needs f)."""
    options = {state["scale"]: state["value"]} if state["scale"] else {}
    built = univ.construct("sin(3x)", neurons=state["neurons"], method=state["method"], **options)
    net = with_piece_weights(built, state["heights"])
    return univ.measure(net, univ.parse("sin(3x)"))


def test_page_in_chromium_keyboard_drag_and_errors_match_univ(browser, page_file, shots):
    page, problems = _open(browser, page_file)
    state = page.evaluate("univPage.state()")
    assert state["neurons"] == 20
    rep = _univ_report(state)
    assert _readout(page, "#max-error") == pytest.approx(rep.grid_max_error, abs=1e-6)
    assert _readout(page, "#max-error") <= rep.max_error + 1e-12  # univ's refined max is never smaller
    # the whole curve, not just its worst point: the page's network is univ's
    x, y = np.array(page.evaluate("univPage.points()")), np.array(page.evaluate("univPage.values()"))
    assert np.array_equal(x, quadrature(0.0, 1.0, POINTS_1D)[0])  # univ.measure's points, remade exactly
    built = univ.construct("sin(3x)", neurons=20)
    assert np.max(np.abs(y - built(x))) < 1e-9

    # the neurons slider, from the keyboard: the next count univ built
    page.focus("#neurons")
    page.keyboard.press("ArrowRight")
    state = page.evaluate("univPage.state()")
    assert state["neurons"] == 22
    rep = _univ_report(state)
    assert _readout(page, "#max-error") == pytest.approx(rep.grid_max_error, abs=1e-6)
    assert _readout(page, "#rmse") == pytest.approx(rep.rmse, abs=1e-6)

    # the steepness slider, from the keyboard: the page's scaling must be univ's construction at that steepness
    page.focus("#scale")
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
    state = page.evaluate("univPage.state()")
    assert state["value"] == pytest.approx(10 * 10**-0.1, rel=1e-9)
    before = _readout(page, "#max-error")
    assert before == pytest.approx(_univ_report(state).grid_max_error, abs=1e-6)

    # drag bump 4's top down with the mouse
    page.locator("#bumps-plot").scroll_into_view_if_needed()
    start = page.evaluate("univPage.handle(3)")
    old = state["heights"][3]
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"], start["y"] + 30, steps=5)
    page.mouse.move(start["x"], start["y"] + 60, steps=5)
    page.mouse.up()
    state = page.evaluate("univPage.state()")
    assert state["heights"][3] < old - 0.1  # it moved down
    assert state["heights"][:3] == pytest.approx(_univ_heights(state)[:3])  # the others did not
    rep = _univ_report(state)
    after = _readout(page, "#max-error")
    assert after == pytest.approx(rep.grid_max_error, abs=1e-6) and after != pytest.approx(before)

    # and back to the constructed net
    page.click("#reset")
    state = page.evaluate("univPage.state()")
    assert state["heights"] == pytest.approx(_univ_heights(state), abs=0)
    assert _readout(page, "#max-error") == pytest.approx(_univ_report(state).grid_max_error, abs=1e-6)
    page.screenshot(path=str(shots / "bumps-played-desktop-light.png"), full_page=True)
    assert problems == []
    page.close()


def _univ_heights(state: dict) -> list[float]:
    options = {state["scale"]: state["value"]} if state["scale"] else {}
    return list(piece_weights(univ.construct("sin(3x)", neurons=state["neurons"], **options)))


def test_challenge_tab_scores_as_univ_does(browser, page_file, shots):
    game = nielsen_challenge()
    page, problems = _open(browser, page_file)
    page.click("#tab-challenge")
    assert page.is_visible("#challenge-plot") and not page.is_visible("#main-plot")
    assert _readout(page, "#score", 5e-5) == pytest.approx(game.score(np.zeros(5)), abs=1e-6)
    page.focus("#ch0")
    for _ in range(15):  # h1 from 0 to -0.15
        page.keyboard.press("ArrowLeft")
    page.locator("#challenge-plot").scroll_into_view_if_needed()
    start = page.evaluate("univPage.challengeHandle(4)")
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"], start["y"] - 50, steps=6)
    page.mouse.up()
    ch = page.evaluate("univPage.challenge()")
    assert ch["heights"][0] == pytest.approx(-0.15) and ch["heights"][4] > 0.5
    assert _readout(page, "#score", 5e-5) == pytest.approx(game.score(ch["heights"]), abs=1e-6)
    assert "Challenge complete" not in page.text_content("#verdict")
    page.click("#challenge-best")
    assert _readout(page, "#score", 5e-5) == pytest.approx(game.best_score, abs=1e-6)
    assert "Challenge complete" in page.text_content("#verdict")
    assert f"{game.ideal_best_score:.3f}" in page.text_content("#best")
    page.screenshot(path=str(shots / "challenge-played-desktop-light.png"), full_page=True)
    assert problems == []
    page.close()


def test_neuron_tab_w_and_s(browser, page_file):
    page, problems = _open(browser, page_file)
    page.click("#tab-neuron")
    assert "step at s = −b/w = 0.500" in page.text_content("#formula")
    page.check("input[name='neuron-mode'][value='ws']")
    assert page.is_visible("#ns") and not page.is_visible("#nb")
    page.focus("#ns")
    for _ in range(20):  # s from 0.5 to 0.6
        page.keyboard.press("ArrowRight")
    text = page.text_content("#formula")
    assert "s = −b/w = 0.600" in text and "σ(8.0·x − 4.80)" in text
    assert problems == []
    page.close()


@pytest.mark.parametrize("width, scheme", [(1100, "light"), (1100, "dark"), (390, "light"), (390, "dark")])
def test_page_reads_on_desktop_and_phone_light_and_dark(browser, page_file, shots, width, scheme):
    page, problems = _open(browser, page_file, width=width, height=900, scheme=scheme)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (scheme == "light")
    # nothing wider than the screen; the plots fill the width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    canvas_width = page.evaluate("document.getElementById('main-plot').clientWidth")
    assert canvas_width > 0.8 * min(width, 980) - 40
    # the toggle overrides the system's scheme
    page.click("#theme")  # auto -> light
    page.click("#theme")  # light -> dark
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    page.click("#theme")  # dark -> auto
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
    kind = "phone" if width < 600 else "desktop"
    page.screenshot(path=str(shots / f"bumps-{kind}-{scheme}.png"), full_page=True)
    page.click("#tab-challenge")
    page.screenshot(path=str(shots / f"challenge-{kind}-{scheme}.png"), full_page=True)
    assert problems == []
    page.close()


def test_other_methods_and_a_fixed_weight_open_without_errors(browser, tmp_path):
    for method, n, options in (("relu", 8, {}), ("steps", 9, {}), ("bumps", 10, {"weight": 40.0})):
        path = tmp_path / f"{method}.html"
        path.write_text(build_page("abs(x - 0.3)", neurons=n, method=method, **options), encoding="utf-8")
        page, problems = _open(browser, path)
        state = page.evaluate("univPage.state()")
        built = univ.construct("abs(x - 0.3)", neurons=n, method=method, **options)
        rep = univ.measure(built, univ.parse("abs(x - 0.3)"))
        assert state["neurons"] == n and _readout(page, "#max-error") == pytest.approx(rep.grid_max_error, abs=1e-6)
        assert page.is_visible("#scale") == (method != "relu")
        if options:  # the slider moves the fixed weight, and the page is univ's net at the new weight
            assert "weight" in page.text_content("#scale-name")
            page.focus("#scale")
            page.keyboard.press("ArrowRight")
            state = page.evaluate("univPage.state()")
            moved = univ.construct("abs(x - 0.3)", neurons=n, weight=state["value"])
            assert state["value"] == pytest.approx(40.0 * 10**0.01)
            assert _readout(page, "#max-error") == pytest.approx(
                univ.measure(moved, univ.parse("abs(x - 0.3)")).grid_max_error, abs=1e-6
            )
        assert problems == []
        page.close()


# -- the command -------------------------------------------------------------------------------------------------
def test_univ_page_writes_one_file_and_reports_it(cli, tmp_path):

    out = tmp_path / "sin.html"
    r = cli(*["page", "sin(3x)", "-n", "12", "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["file"] == str(out) and report["bytes"] == out.stat().st_size < 500_000
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left beside it
    data = embedded(out.read_text(encoding="utf-8"))
    assert data["counts"][data["start"]] == 12 and data["expression"] == "sin(3x)"
    rep = univ.measure(univ.construct("sin(3x)", neurons=12), univ.parse("sin(3x)"))
    assert report["max_error"] == rep.max_error and report["rmse"] == rep.rmse
    r = cli(
        *["page", "exp(-x^2)", "--domain", "-2", "2", "--method", "relu", "-n", "7", "--out", str(tmp_path / "e.html")],
    )
    assert r.exit_code == 0 and "e.html" in r.stdout
    assert embedded((tmp_path / "e.html").read_text(encoding="utf-8"))["domain"] == [-2.0, 2.0]


@pytest.mark.parametrize(
    "args, match",
    [
        (["sin("], "ends too early"),
        (["sin(3x)", "-n", "0"], "neurons must be a whole number from 2 to 400, got 0"),
        (["sin(3x)", "-n", "401"], "from 2 to 400"),
        (["sin(3x)", "-n", "7"], "must be even"),
        (["sin(3x)", "-n", "x"], "not a valid integer"),
        (["x*y", "--method", "bumps"], "unknown method 'bumps'; choose one of towers"),
        (["x*y", "-n", "3"], "from 5 to 400"),
        (["1/x", "--domain", "-1", "1"], "not finite"),
        (["sin(3x)", "--method", "towers"], "towers"),
        (["sin(3x)", "--steepness", "0"], "steepness"),
        (["__import__('os')"], "not allowed|unknown"),
    ],
)
def test_univ_page_bad_input_is_one_line_exit_2_writing_nothing(cli, tmp_path, args, match):

    out = tmp_path / "page.html"
    r = cli(*["page", *args, "--out", str(out)])
    assert r.exit_code == 2, r.output
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("univ: ") and re.search(match, lines[0]), r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_univ_page_refuses_a_folder_as_out(cli, tmp_path):

    r = cli(*["page", "sin(3x)", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "is a folder" in r.stderr


def test_default_names_differ_whenever_an_option_differs_and_repeat_when_none_does(cli, tmp_path, monkeypatch):
    """Pages are named like run folders: outputs/<expression>_page_<method>_<N>_<hash of every option>.html."""
    monkeypatch.chdir(tmp_path)
    runs = [
        ["-n", "8"],
        ["-n", "10"],
        ["-n", "8", "--steepness", "30"],
        ["-n", "8", "--weight", "30"],
        ["-n", "8", "--knots", "adaptive"],
        ["-n", "8", "--domain", "0", "2"],
        ["-n", "8", "--method", "steps"],
    ]
    files = []
    for args in runs:
        r = cli("page", "sin(3x)", *args, "--json")
        assert r.exit_code == 0, r.output
        report = json.loads(r.stdout)
        name = Path(report["file"])
        assert name.parent == Path("outputs") and name.suffix == ".html"
        assert name.name.startswith(f"sin-3x_page_{report['method']}_{report['neurons']}_"), name
        files.append((tmp_path / name).resolve())
    assert len(set(files)) == len(runs)  # no page overwrote another
    assert sorted(p.name for p in (tmp_path / "outputs").iterdir()) == sorted(p.name for p in files)
    assert embedded(files[5].read_text(encoding="utf-8"))["domain"] == [0.0, 2.0]
    assert embedded(files[2].read_text(encoding="utf-8"))["scale"]["value"] == 30.0
    r = cli("page", "sin(3x)", "-n", "8", "--json")  # the same options again: the same page, the same name
    assert (tmp_path / json.loads(r.stdout)["file"]).resolve() == files[0]


def test_ydomain_is_for_functions_of_x_and_y(cli, tmp_path):
    """--ydomain is offered (2D pages show towers); given with a function of x alone it is one line, exit 2."""
    assert "--ydomain" in cli("page", "--help").stdout and "--domain" in cli("page", "--help").stdout
    r = cli("page", "sin(3x)", "--ydomain", "0", "1", "--out", str(tmp_path / "p.html"))
    lines = r.stderr.strip().splitlines()
    assert r.exit_code == 2 and len(lines) == 1 and "takes no ydomain" in lines[0] and list(tmp_path.iterdir()) == []


def test_out_where_no_file_can_be_written_names_that_file_in_one_line(cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for out, why in (("/dev/null/x.html", "/dev/null is not a folder"), (blocker / "sub" / "x.html", "a-file is not")):
        r = cli("page", "sin(3x)", "-n", "4", "--out", str(out))
        lines = r.stderr.strip().splitlines()
        assert r.exit_code == 2 and len(lines) == 1 and why in lines[0] and "exists" not in lines[0], r.stderr
    r = cli("page", "sin(3x)", "-n", "4", "--out", "/proc/x.html")  # a folder nobody may create files in
    lines = r.stderr.strip().splitlines()
    assert r.exit_code == 1 and len(lines) == 1 and lines[0].startswith("univ: cannot write /proc/x.html: ")
    assert ".tmp" not in r.stderr and list(tmp_path.iterdir()) == [blocker]


def test_atomic_write_errors_name_the_file_asked_for_not_the_temporary_one(tmp_path):
    from univ._io import write_atomic

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(NotADirectoryError, match=f"cannot write {re.escape(str(blocker))}/x.html: .* not a folder"):
        write_atomic(blocker / "x.html", b"page")
    with pytest.raises(OSError) as info:
        write_atomic(Path("/proc/x.html"), b"page")
    assert str(info.value).endswith("cannot write /proc/x.html: No such file or directory") and ".tmp" not in str(
        info.value
    )
    assert list(tmp_path.iterdir()) == [blocker] and blocker.read_text() == ""


# -- text that looks like markup ---------------------------------------------------------------------------------
HOSTILE = "</script><script>alert(1)</script><!-- & \u2028 \u2029 {{data}} </SCRIPT >"


@pytest.fixture(scope="module")
def hostile_page() -> str:
    """A page whose function is named like an attack on the page: the name reaches the title, heading and data."""
    return build_page(univ.Target.from_function(np.sin, name=HOSTILE), neurons=4)


def test_markup_in_the_expression_stays_text_in_python(hostile_page):
    assert hostile_page.lower().count("<script") == 2  # the data and the program, nothing injected
    raw = re.search(r'<script type="application/json" id="univ-data">(.*?)</script>', hostile_page, re.S).group(1)
    assert not re.search("[<>&\u2028\u2029]", raw)  # the data element cannot end early, or end a JS line
    assert json.loads(raw)["expression"] == HOSTILE  # and reads back as the very text
    assert html.escape(HOSTILE) in hostile_page and "alert(1)</script>" not in hostile_page
    assert hostile_page.count("{{data}}") == 3  # the name's braces are text (title, heading, data), never filled


def test_markup_in_the_expression_stays_text_in_chromium(browser, hostile_page, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_text(hostile_page, encoding="utf-8")
    page, problems = _open(browser, path)
    assert page.evaluate("document.querySelector('h1 code').textContent") == f"f(x) = {HOSTILE}"
    assert page.evaluate("document.scripts.length") == 2
    assert page.evaluate("univPage.state()")["neurons"] == 4
    assert problems == []
    page.close()
