"""``--slides``: the explainer as a deck a teacher advances by key press, one narrated beat a slide, offline.

One tiny render (title and step at 160×90, 5 fps, short holds) with its deck; the deck is checked as files (one
frame-exact clip per caption cue, no network address in the page) and in headless Chromium (it loads from file://,
the keys move between slides and the video's time with them, no console errors, no request but file: and data:).
"""

import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, browser_missing, frames_of, needs_manim, parse_vtt

import univ.rendering as render_mod
from univ import UnivError
from univ.errors import ConfigError
from univ.slides import Slide, deck_html, deck_path, plan_slides

FPS = 5


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("deck")
    lines = []
    result = render_mod.render_run(
        "explainer",
        "x^2",
        scenes="title,step",
        resolution=(160, 90),
        frame_rate=FPS,
        hold=0.5,
        out_dir=out,
        slides=True,
        progress=lines.append,
    )
    return result, lines


# -- the deck as files ------------------------------------------------------------------------------------------
@pytest.mark.render
@needs_manim
def test_the_deck_is_a_folder_beside_the_video_with_one_clip_per_caption_cue(deck):
    result, lines = deck
    folder = result.slides
    assert folder == result.video.with_name(result.video.stem + ".slides") and folder.is_dir()
    assert folder in result.files and result.as_dict()["slides"] == str(folder)
    cues = parse_vtt(result.captions[1].read_text())
    clips = sorted(folder.glob("*.mp4"))
    assert len(clips) == len(cues) == result.cues >= 5
    assert sorted(p.name for p in folder.iterdir()) == sorted(["index.html", *(c.name for c in clips)])
    assert any(f"slides: {len(cues)} in {folder}" in ln for ln in lines)
    page = (folder / "index.html").read_text()
    data = json.loads(re.search(r'<script type="application/json" id="slides">(.*?)</script>', page, re.S).group(1))
    assert [d["clip"] for d in data] == [c.name for c in clips]
    assert [d["text"] for d in data] == [c[2] for c in cues]
    # each slide ends where its beat ends (to the frame) and starts where the one before ended
    assert data[0]["start"] == 0
    for d, nxt, cue in zip(data, data[1:] + [None], cues):
        assert d["end"] == pytest.approx(cue[1], abs=0.5 / FPS) and d["end"] > d["start"]
        assert nxt is None or nxt["start"] == d["end"]


@pytest.mark.render
@needs_manim
def test_the_page_names_no_network_address_and_needs_nothing_but_its_clips(deck):
    page = (deck[0].slides / "index.html").read_text()
    assert not re.search(r"https?:|wss?:|ftp:|//[a-z0-9]", page, re.I), re.search(r"https?:|//[a-z0-9]", page, re.I)
    assert "<link" not in page and not re.search(r"<script[^>]+src=", page) and "@import" not in page
    assert "fetch(" not in page and "XMLHttpRequest" not in page
    data = json.loads(re.search(r'id="slides">(.*?)</script>', page, re.S).group(1))
    srcs = {d["clip"] for d in data}
    assert srcs and all((deck[0].slides / s).is_file() for s in srcs)


@pytest.mark.render
@needs_manim
def test_the_clips_are_the_videos_frames_cut_at_the_beats(deck):
    """Frame-exact: clip i holds exactly frames start to end of the video (re-encoded, so compared loosely): it
    holds on the frame where its beat is complete, the next slide's first frame."""
    result, _ = deck
    video = frames_of(result.video)
    page = (result.slides / "index.html").read_text()
    data = json.loads(re.search(r'id="slides">(.*?)</script>', page, re.S).group(1))
    for d in data:
        clip = frames_of(result.slides / d["clip"])
        first, last = round(d["start"] * FPS), min(round(d["end"] * FPS), len(video) - 1)
        assert len(clip) == last - first + 1, d
        for k in (0, len(clip) - 1):
            here = np.abs(clip[k].astype(int) - video[first + k].astype(int)).mean()
            assert here < 3.0, (d["clip"], k, here)
    # the last slide holds the last narrated frame, not the fade to black that ends the video
    last = frames_of(result.slides / data[-1]["clip"])[-1]
    assert last.std() > 8 and data[-1]["end"] < render_mod.video_seconds(result.video)


@pytest.mark.render
@needs_manim
def test_a_second_render_replaces_the_deck_and_leaves_no_temporary_folder(deck, tmp_path):
    result, _ = deck
    out = tmp_path / "again"
    shutil.copytree(result.slides.parent, out)
    stale = deck_path(out / result.video.name)
    (stale / "99.mp4").write_bytes(b"old")
    again = render_mod.render_run(
        "title", "x^2", resolution=(160, 90), frame_rate=FPS, hold=0.5, out_dir=out, slides=True, captions=False
    )
    assert again.slides.is_dir() and again.captions == () and again.cues == 0
    assert len(list(again.slides.glob("*.mp4"))) == 2  # title's two beats, without captions written
    assert (stale / "99.mp4").exists()  # a different render's deck is left alone
    rerun = render_mod.render_run(
        "title", "x^2", resolution=(160, 90), frame_rate=FPS, hold=0.5, out_dir=out, slides=True, captions=False
    )
    assert rerun.slides == again.slides and not (again.slides / "99.mp4").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


# -- planning and checks, without manim ---------------------------------------------------------------------------
def test_slides_cover_the_video_from_frame_zero_to_the_last_beats_end():
    cue = render_mod.Cue
    beats = [cue(0.4, 2.0, "a", "title"), cue(2.0, 3.6, "b", "title"), cue(4.2, 6.8, "c", "step")]
    got = plan_slides(beats, 5.0, 40)
    assert [(s.first, s.stop, s.last, s.text, s.clip) for s in got] == [
        (0, 10, 10, "a", "01.mp4"),
        (10, 18, 18, "b", "02.mp4"),
        (18, 34, 34, "c", "03.mp4"),
    ]
    # beats shorter than a frame still get one frame each, and never run past the video
    tiny = plan_slides([cue(0, 0.01, "a", "s"), cue(0.01, 0.02, "b", "s"), cue(0.02, 99, "c", "s")], 5.0, 4)
    assert [(s.first, s.stop, s.last) for s in tiny] == [(0, 1, 1), (1, 2, 2), (2, 4, 3)]  # the video has 4 frames
    assert [(s.first, s.stop, s.last) for s in plan_slides([], 5.0, 7)] == [(0, 7, 6)]
    assert plan_slides([cue(0, 1, str(i), "s") for i in range(120)], 200.0, 1000)[-1].clip == "120.mp4"
    with pytest.raises(UnivError, match="3 slides of a video with 2 frames"):
        plan_slides(beats, 5.0, 2)


def test_the_page_keeps_narration_as_text_and_follows_the_theme():
    slides = [Slide(1, 0, 5, 5, "</script><b>x & y</b>", "title", "01.mp4")]
    page = deck_html(slides, 5.0, "light", title="<f = x^2>")
    assert "</script><b>" not in page and "<title>&lt;f = x^2&gt;</title>" in page
    data = json.loads(re.search(r'id="slides">(.*?)</script>', page, re.S).group(1))
    assert data[0]["text"] == "</script><b>x & y</b>" and data[0]["end"] == 1.0
    assert "--bg: #FFFFFF" in page and "--bg: #000000" in deck_html(slides, 5.0, "dark")
    assert "--muted: #555555;" in page and '<body class="light">' in page  # the video's palette, light


@pytest.mark.parametrize("theme", ["sepia", "", "Dark", None])
def test_an_unknown_theme_is_the_config_error_a_render_gives(theme):
    slides = [Slide(1, 0, 5, 5, "a", "title", "01.mp4")]
    with pytest.raises(ConfigError, match="unknown theme") as info:
        deck_html(slides, 5.0, theme)
    assert "\n" not in str(info.value)


@pytest.fixture
def no_manim_launch(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("manim was launched for a request that should have been refused")

    monkeypatch.setattr(render_mod.subprocess, "Popen", refuse)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"format": "png", "slides": True}, "format png is a single frame"),
        ({"slides": "yes"}, "slides must be True or False"),
    ],
)
def test_slides_that_cannot_be_made_are_refused_before_manim_starts(no_manim_launch, tmp_path, kwargs, message):
    with pytest.raises(UnivError) as info:
        render_mod.render_run("bump", out_dir=tmp_path, **kwargs)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_cli_slides_flag_reaches_the_renderer_and_the_deck_is_printed(cli, monkeypatch, tmp_path):
    calls = []

    def fake(scene, function, neurons, quality, out_dir, resolution, frame_rate, **kw):
        calls.append(kw)
        return render_mod.Rendered(
            tmp_path / "v.mp4", (scene,), 1.0, None, (), None, 0, tmp_path / "v.slides" if kw.get("slides") else None
        )

    monkeypatch.setattr(render_mod, "render_run", fake)
    r = cli(*["render", "title", "x^2", "--slides", "--quiet"])
    assert r.exit_code == 0, r.output
    assert calls[-1]["slides"] is True
    assert r.stdout.splitlines() == [str(tmp_path / "v.mp4"), str(tmp_path / "v.slides")]
    r = cli(*["render", "title", "x^2", "--quiet", "--json"])
    assert calls[-1]["slides"] is False and json.loads(r.stdout)["slides"] is None


# -- the deck in a browser ----------------------------------------------------------------------------------------


@pytest.mark.render
@needs_manim
@pytest.mark.skipif(browser_missing() is not None, reason=str(browser_missing()))
def test_the_deck_runs_in_headless_chromium_from_file_with_no_network(deck, tmp_path):
    from playwright.sync_api import sync_playwright

    result, _ = deck
    index = result.slides / "index.html"
    data = json.loads(re.search(r'id="slides">(.*?)</script>', index.read_text(), re.S).group(1))
    errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 960, "height": 600})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(index.as_uri())

            def state():
                return page.evaluate("""() => {
                    const v = document.querySelector('video.on');
                    return {index: window.deck.index, counter: document.getElementById('counter').textContent,
                            caption: document.getElementById('caption').textContent, time: window.deck.time(),
                            src: v && v.currentSrc, playing: v && !v.paused && !v.ended,
                            ready: v && v.readyState, error: v && v.error && v.error.code};
                }""")

            def wait_time_above(seconds):
                page.wait_for_function("t => window.deck.time() > t", arg=seconds, timeout=10_000)

            s = state()
            assert s["counter"] == f"1 / {len(data)}" and s["caption"] == data[0]["text"]
            assert s["src"].endswith("01.mp4")
            page.wait_for_function("() => document.querySelector('video.on').ended", timeout=15_000)
            s = state()
            assert s["time"] == pytest.approx(data[0]["end"], abs=0.25) and not s["playing"]  # held on its end

            page.keyboard.press("ArrowRight")
            s = state()
            assert s["counter"] == f"2 / {len(data)}" and s["caption"] == data[1]["text"]
            wait_time_above(data[1]["start"] + 0.3)
            s = state()
            assert data[1]["start"] < s["time"] <= data[1]["end"] + 1e-6 and s["error"] is None
            page.keyboard.press("PageDown")
            page.keyboard.press(" ")
            assert state()["counter"] == f"4 / {len(data)}"
            wait_time_above(data[3]["start"] + 0.3)
            assert data[3]["start"] < state()["time"] <= data[3]["end"] + 1e-6
            page.screenshot(path=str(tmp_path / "deck.png"))
            if os.environ.get("UNIV_SLIDES_SHOT"):  # to look at it
                shutil.copy(tmp_path / "deck.png", os.environ["UNIV_SLIDES_SHOT"])

            page.keyboard.press("ArrowLeft")
            s = state()
            assert s["counter"] == f"3 / {len(data)}" and s["caption"] == data[2]["text"]
            assert data[2]["start"] <= s["time"] <= data[2]["end"] + 1e-6
            page.keyboard.press("PageUp")
            assert state()["counter"] == f"2 / {len(data)}"
            page.mouse.click(400, 300)
            assert state()["counter"] == f"3 / {len(data)}"
            page.keyboard.press("End")
            page.keyboard.press("ArrowRight")  # past the end: stays on the last slide
            assert state()["counter"] == f"{len(data)} / {len(data)}"
            page.keyboard.press("c")
            assert page.evaluate("getComputedStyle(document.getElementById('caption')).visibility") == "hidden"
            page.keyboard.press("c")
            assert page.evaluate("getComputedStyle(document.getElementById('caption')).visibility") == "visible"
            page.keyboard.press("f")  # fullscreen may be refused headless; it must not raise
            page.evaluate("location.hash = '#2'")  # a bookmark opens its slide
            page.wait_for_function("() => window.deck.index === 1", timeout=5_000)
            assert state()["counter"] == f"2 / {len(data)}"
            page.wait_for_timeout(200)
        finally:
            browser.close()
    assert errors == []
    assert requests and all(u.startswith(("file:", "data:")) for u in requests), requests
    assert Path(tmp_path / "deck.png").stat().st_size > 1000
