"""The page's Decisions tab (issue #22): univ classify's hand-built classifiers over a slider of neuron counts — the
embedded data checked against univ.classify in Python, and the real page in headless Chromium."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest

from univ import numbers
from univ.classify import classes, construct_classifier, decide, measure_classifier
from univ.errors import UnivError
from univ.page import build_page, page_data
from univ.page_classify import SIDE, runs

DISC = "x^2 + y^2 < 0.5"
SQUARE = {"domain": (-1.0, 1.0), "ydomain": (-1.0, 1.0)}
AXE = Path(__file__).resolve().parents[1] / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


def unruns(text: str, size: int) -> np.ndarray:
    """The page's run-length map, decoded independently: (class, length) byte pairs."""
    b = np.frombuffer(base64.b64decode(text), dtype=np.uint8)
    out = np.repeat(b[0::2], b[1::2].astype(int))
    assert out.size == size
    return out


def towers_ladder(top: int) -> list[int]:
    """Nielsen's k × k towers: (k + 1) x-steps, (k + 1) y-steps and k² towers (independent of the registry)."""
    return [(k + 1) ** 2 + 1 for k in range(1, 20) if (k + 1) ** 2 + 1 <= top]


def centres(domain) -> tuple[np.ndarray, np.ndarray]:
    (a, b), (c, d) = domain
    t = (np.arange(SIDE) + 0.5) / SIDE
    return np.meshgrid(a + (b - a) * t, c + (d - c) * t)


# -- the data ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def region_data() -> dict:
    return page_data(DISC, neurons=37, **SQUARE)


@pytest.mark.parametrize(
    "labels",
    [np.zeros(1), np.arange(7) % 2, np.r_[np.zeros(700), np.ones(3), np.full(256, 2)], np.full(SIDE * SIDE, 5)],
    ids=["one", "alternating", "runs past a byte", "all one class"],
)
def test_runs_round_trip(labels):
    assert np.array_equal(unruns(runs(labels), labels.size), labels)


def test_a_region_page_is_the_decisions_tab_with_univ_classifys_numbers(region_data):
    assert region_data["region"] is True and "nets" not in region_data  # no f(x) tabs' data
    (shown,) = region_data["decisions"]["sets"]
    assert shown["expression"] == DISC and shown["kind"] == "region" and shown["classes"] == ["inside", "outside"]
    assert [n["neurons"] for n in shown["nets"]] == towers_ladder(101)
    assert shown["nets"][shown["start"]]["neurons"] == 37
    c = classes(DISC, **SQUARE)
    X, Y = centres(c.domain)
    r = np.hypot(X, Y) ** 2 < 0.5  # the truth, from the region's own formula
    assert np.array_equal(unruns(shown["truth"], SIDE * SIDE).reshape(SIDE, SIDE) == 0, r)
    for k in (0, shown["start"], len(shown["nets"]) - 1):
        n = shown["nets"][k]
        net = construct_classifier(c, n["neurons"])
        rep = measure_classifier(net, c)
        assert n["misclassified"] == rep.misclassified
        assert (n["misclassified_lower"], n["misclassified_upper"]) == (
            rep.misclassified_lower,
            rep.misclassified_upper,
        )
        assert n["certified"] and n["text"]["misclassified"] == numbers.percent(rep.misclassified)
        drawn = unruns(n["map"], SIDE * SIDE).reshape(SIDE, SIDE)
        assert np.array_equal(drawn, decide(net, X, Y))
        # the drawn map's wrong pixels estimate the certified area (a sample of it, not the number shown)
        assert abs(np.mean(drawn != np.where(r, 0, 1)) - rep.misclassified) < 0.02
    first, last = shown["nets"][0], shown["nets"][-1]
    assert last["misclassified_upper"] < first["misclassified_lower"] / 4  # more neurons, less misclassified


def test_a_page_of_f_offers_the_disc_and_the_spiral():
    data = page_data("sin(3x)", neurons=20, training=False)
    disc, spiral = data["decisions"]["sets"]
    assert disc["expression"] == DISC and disc["domain"] == [[-1.0, 1.0], [-1.0, 1.0]]
    assert spiral["kind"] == "data" and spiral["truth"] is None
    c = classes("spiral")
    pts, lab = c.samples
    xy = np.frombuffer(base64.b64decode(spiral["samples"]["xy"]), dtype="<f4").reshape(-1, 2)
    assert np.allclose(xy, pts, atol=1e-5) and np.array_equal(
        np.frombuffer(base64.b64decode(spiral["samples"]["labels"]), dtype=np.uint8), lab
    )
    # the disc certifies where that is cheap and samples above, at univ classify's own grid
    dc = classes(DISC, **SQUARE)
    for n in (disc["nets"][disc["start"]], disc["nets"][-1]):
        rep = measure_classifier(construct_classifier(dc, n["neurons"]), dc)
        if n["neurons"] <= 37:
            assert n["certified"] and n["misclassified"] == rep.misclassified
        else:
            assert not n["certified"] and n["misclassified_lower"] is None and "sampled" in n["text"]["how"]
            assert n["misclassified"] == 1 - rep.accuracy  # the same points and rule as univ classify's accuracy
            assert rep.misclassified_lower - 0.01 < n["misclassified"] < rep.misclassified_upper + 0.01
    n = spiral["nets"][-1]
    assert n["accuracy"] == measure_classifier(construct_classifier(c, n["neurons"]), c).accuracy
    assert not n["certified"] and n["misclassified"] is None
    text = json.dumps(data, allow_nan=False)  # nothing NaN or infinite reaches the page
    assert "NaN" not in text and "Infinity" not in text


@pytest.mark.parametrize(
    "args, why",
    [
        (dict(method="bumps"), "method"),
        (dict(method="ridge"), "method"),
        (dict(weight=3.0), "weight"),
        (dict(knots="adaptive"), "knots"),
        (dict(neurons=0), "neurons"),
        (dict(neurons=10**6), "neurons"),
        (dict(neurons=4), "neurons"),
        (dict(steepness=-1.0), "steepness"),
        (dict(steepness=float("nan")), "steepness"),
    ],
)
def test_a_region_page_refuses_bad_options_naming_them(args, why):
    with pytest.raises(UnivError, match=why):
        page_data(DISC, **{"neurons": 20, **args})


def test_univ_page_of_a_region_prints_univ_classifys_numbers(cli, tmp_path):
    out = tmp_path / "disc.html"
    r = cli("page", DISC, "-n", "26", "--domain", "-1", "1", "--ydomain", "-1", "1", "--json", "--out", out)
    assert r.exit_code == 0, r.output
    page = json.loads(r.stdout)
    c = cli("classify", DISC, "-n", "26", "--domain", "-1", "1", "--ydomain", "-1", "1", "--json", "--no-plot",
            "--out", tmp_path / "run")  # fmt: skip
    built = json.loads(c.stdout)["built"]
    for key in ("neurons", "misclassified", "misclassified_lower", "misclassified_upper"):
        assert page[key] == built[key], key
    assert out.is_file() and page["bytes"] == out.stat().st_size


@pytest.mark.parametrize(
    "args, words",
    [
        ((DISC, "--weight", "3"), "weight"),
        (("x^2 + y^2 < 5",), "nothing to classify"),
        (("x^2 + y^2 <",), ""),
    ],
)
def test_univ_page_of_a_bad_region_is_one_line_and_no_file(cli, tmp_path, args, words):
    out = tmp_path / "bad.html"
    r = cli("page", *args, "--out", out)
    assert r.exit_code == 2 and words in r.stderr and "Traceback" not in r.output + r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not out.exists()


# -- in Chromium --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("decisions")
    pages = {"f": build_page("sin(3x)", neurons=20, training=False), "region": build_page(DISC, 37, **SQUARE)}
    for name, text in pages.items():
        (folder / f"{name}.html").write_text(text, encoding="utf-8")
    return {name: folder / f"{name}.html" for name in pages}


def _open(browser, url: str, scheme: str = "light"):
    page = browser.new_page(viewport={"width": 1000, "height": 1200}, color_scheme=scheme)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    return page, problems


PIXELS = "() => document.getElementById('dec-plot').toDataURL()"  # the canvas's pixels, as a PNG


def test_the_tab_shows_univs_numbers_as_the_slider_moves(browser, files, tmp_path_factory):
    page, problems = _open(browser, files["f"].as_uri())
    tab = page.locator("#tab-decide")
    assert tab.get_attribute("role") == "tab" and tab.get_attribute("aria-selected") == "false"
    tab.click()
    assert tab.get_attribute("aria-selected") == "true" and page.is_visible("#panel-decide")
    assert page.get_attribute("#dec-n", "type") == "range" and page.locator("label[for='dec-n']").count() == 1
    assert page.get_attribute("#dec-summary", "aria-live") == "polite"
    c = classes(DISC, **SQUARE)
    state = page.evaluate("univPage.decisions()")
    page.focus("#dec-n")
    page.keyboard.press("Home")
    seen, pictures = [], []
    for _ in range(state["count"]):
        state = page.evaluate("univPage.decisions()")
        rep = measure_classifier(construct_classifier(c, state["neurons"]), c)
        share = rep.misclassified if state["certified"] else 1 - rep.accuracy  # certified, or sampled as univ's
        assert state["certified"] == (state["neurons"] <= 37)
        assert float(page.get_attribute("#dec-misclassified", "data-value")) == share
        assert page.text_content("#dec-misclassified") == numbers.percent(share)
        if state["certified"]:
            bracket = f"{numbers.percent(rep.misclassified_lower)} and {numbers.percent(rep.misclassified_upper)}"
            assert page.text_content("#dec-bracket") == bracket and page.text_content("#dec-how") == "certified between"
        else:
            assert page.text_content("#dec-how") == "sampled at" and "401 × 401" in page.text_content("#dec-bracket")
        assert str(state["neurons"]) in page.text_content("#dec-summary")
        seen.append((state["neurons"], share))
        pictures.append(page.evaluate(PIXELS))
        page.keyboard.press("ArrowRight")
    assert [n for n, _ in seen] == towers_ladder(101)
    assert seen[-1][1] < seen[0][1] / 4  # the misclassified share falls as N grows
    assert all(a != b for a, b in zip(pictures, pictures[1:]))  # every count draws its own regions
    # the spiral: accuracy on its samples, as univ classify spiral -n N --json
    page.select_option("#dec-set", "1")
    state = page.evaluate("univPage.decisions()")
    s = classes("spiral")
    acc = measure_classifier(construct_classifier(s, state["neurons"]), s).accuracy
    assert page.is_visible("#dec-accuracy") and not page.is_visible("#dec-misclassified")
    assert float(page.get_attribute("#dec-accuracy", "data-value")) == acc
    assert page.text_content("#dec-accuracy") == numbers.percent(acc)
    page.focus("#dec-n")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Tab")  # a change is written into the link when a key is let go
    want = page.evaluate("univPage.decisions()")
    link = page.evaluate("univPage.link()")
    assert re.search(r"tab=decide", link) and "cset=1" in link and f"cn={want['neurons']}" in link
    shots = tmp_path_factory.mktemp("decisions-shots")
    page.screenshot(path=str(shots / "spiral-light.png"), full_page=True)
    again, more = _open(browser, link, scheme="dark")
    got = again.evaluate("univPage.decisions()")
    assert (got["set"], got["neurons"]) == (want["set"], want["neurons"]) and again.is_visible("#panel-decide")
    again.screenshot(path=str(shots / "spiral-dark.png"), full_page=True)
    assert problems == [] and more == []
    again.close()
    page.close()


def test_a_regions_page_opens_on_its_decisions_and_keeps_them_in_the_link(browser, files):
    page, problems = _open(browser, files["region"].as_uri() + "#cn=17&theme=dark")
    visible = page.eval_on_selector_all("[role=tab]", "ts => ts.filter(t => !t.hidden).map(t => t.id)")
    assert visible == ["tab-decide"] and page.get_attribute("#tab-decide", "aria-selected") == "true"
    state = page.evaluate("univPage.decisions()")
    assert state["expression"] == DISC and state["neurons"] == 17
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.focus("#dec-n")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("univPage.decisions()")["neurons"] == 26 and "cn=26" in page.evaluate("univPage.link()")
    bad, more = _open(browser, files["region"].as_uri() + "#cn=18")
    assert bad.evaluate("univPage.decisions()")["neurons"] == 37 and "18" in bad.text_content("#status")
    assert problems == [] and more == []
    bad.close()
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_decisions_tab_is_axe_clean(browser, files, scheme):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (scripts/setup.sh installs it with npm)")
    for name, url in (("f", files["f"].as_uri() + "#tab=decide"), ("region", files["region"].as_uri())):
        page, problems = _open(browser, url, scheme)
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(
            "async () => (await axe.run(document)).violations.filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => [v.id, v.nodes.map(n => n.target.join(' '))])"
        )
        assert found == [] and problems == [], name
        page.close()
