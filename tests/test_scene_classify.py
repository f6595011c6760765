"""The decisions scene (scenes/classify.py): its marching squares against the circle they trace, and tiny real
renders in both themes whose frames (PyAV, and the beats' own snapshots) and captions are opened and looked at."""

import importlib.util
import json
from dataclasses import replace

import numpy as np
import pytest
from helpers import needs_manim, parse_srt
from PIL import Image

import univ
import univ.rendering as render_mod
from univ import classes, construct, measure_classifier, numbers
from univ.palette import PALETTES

SIZE = (320, 180)
FPS = 8
NEAR = 60  # a pixel "has" a colour when every channel is within this of it (lines are anti-aliased)


@pytest.fixture(scope="module")
def scene():
    """scenes/classify.py as a module (it imports _common from its folder, and manim)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(render_mod.scenes_dir()))
        spec = importlib.util.spec_from_file_location("_univ_scene_classify", render_mod.scenes_dir() / "classify.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """``rendered(theme)``: (the video, the folder of the beats' snapshots and label boxes), rendered once."""
    done = {}
    render_scenes = render_mod._render_scenes

    def get(theme: str):
        if theme not in done:
            folder = tmp_path_factory.mktemp(f"classify-{theme}")

            def with_layout(req, work, say):  # test mode: the scene keeps its frames and label boxes here
                return render_scenes(replace(req, plan=replace(req.plan, layout=str(folder))), work, say)

            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(render_mod, "_render_scenes", with_layout)
                video = univ.render("classify", resolution=SIZE, frame_rate=FPS, theme=theme, out_dir=folder / "v")
            done[theme] = (video, folder)
        return done[theme]

    return get


def snapshots(folder, theme: str) -> list[dict]:
    """The snapshots the scene kept (each beat's end, and each N's picture), with ``panel``: the part of the frame
    the picture takes in 16:9 (left of the middle, under the heading), as ints."""
    record = json.loads((folder / f"classify_16x9_{theme}.layout.json").read_text())
    for snap in record["beats"]:
        frame = np.asarray(Image.open(folder / snap["frame"]).convert("RGB")).astype(int)
        h, w = frame.shape[:2]
        snap["panel"] = frame[round(0.15 * h) :, : w // 2]
    return record["beats"]


def has_color(frame: np.ndarray, color: str) -> int:
    """How many pixels of ``frame`` are within NEAR of ``color`` in every channel."""
    rgb = np.array([int(color.lstrip("#")[k : k + 2], 16) for k in (0, 2, 4)])
    return int((np.abs(frame - rgb).max(axis=2) <= NEAR).sum())


def red(frame: np.ndarray) -> int:
    """Pixels painted in the misclassified colour: red well above green and blue (no other colour of the disc's
    part is: the class tint is blue, the lines grey and yellow or gold)."""
    return int((frame[..., 0] - np.maximum(frame[..., 1], frame[..., 2]) > 60).sum())


def compact(text: str) -> str:
    return "".join(text.split())  # a Text's label has no spaces


# -- marching squares --------------------------------------------------------------------------------------------
@needs_manim
@pytest.mark.parametrize("r, side", [(0.7, 64), (0.3, 128), (0.95, 41)])
def test_the_zero_level_of_a_circle_is_traced_on_the_circle_and_as_long_as_it(scene, r, side):
    t = np.linspace(-1, 1, side)
    x, y = np.meshgrid(t, t)
    seg = scene.level_segments(x**2 + y**2 - r**2, x, y)
    h = t[1] - t[0]
    ends = np.linalg.norm(seg.reshape(-1, 2), axis=1)
    assert np.abs(ends - r).max() < h**2 / r  # linear interpolation along an edge errs by O(h²) from the circle
    length = np.linalg.norm(seg[:, 1] - seg[:, 0], axis=1).sum()
    assert length == pytest.approx(2 * np.pi * r, rel=0.01)
    assert len(seg) >= 2 * np.pi * r / h  # it crosses at least one cell per cell width of arc


@needs_manim
def test_no_crossing_gives_no_segment_and_a_saddle_gives_two(scene):
    x, y = np.meshgrid([0.0, 1.0], [0.0, 1.0])
    assert scene.level_segments(np.ones((2, 2)), x, y).shape == (0, 2, 2)
    assert scene.level_segments(-np.ones((2, 2)), x, y).shape == (0, 2, 2)
    saddle = np.array([[1.0, -1.0], [-1.0, 1.0]])
    seg = scene.level_segments(saddle, x, y)
    assert seg.shape == (2, 2, 2)
    mids = np.sort(seg.reshape(-1, 2), axis=0)  # every edge crossed at its middle
    assert np.allclose(np.unique(mids.round(9)), [0.0, 0.5, 1.0])


# -- the rendered scene -----------------------------------------------------------------------------------------
@pytest.mark.render
@needs_manim
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_disc_and_the_nets_boundary_are_drawn_in_their_colours(rendered, theme):
    _, folder = rendered(theme)
    snaps = snapshots(folder, theme)
    colors = PALETTES[theme]
    first, towers = snaps[0]["panel"], snaps[1]["panel"]
    assert has_color(first, colors["target"]) > 30, "the disc's dashed circle is missing"
    assert has_color(first, colors["approx"]) == 0  # no net yet
    assert has_color(towers, colors["approx"]) > 30, "the net's boundary is missing"
    assert red(first) == 0 and red(towers) > 500


@pytest.mark.render
@needs_manim
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_each_n_is_a_new_picture_with_univs_share_printed_and_less_red_as_n_grows(rendered, theme, scene):
    _, folder = rendered(theme)
    snaps = snapshots(folder, theme)
    disc = classes(scene.DISC, domain=scene.DISC_DOMAIN, ydomain=scene.DISC_DOMAIN)
    shares = [measure_classifier(construct(disc, n), disc).misclassified for n in scene.DISC_NEURONS]
    assert all(a > b for a, b in zip(shares, shares[1:])), shares
    rows = [compact(f"{n} neurons: {numbers.percent(f)}") for n, f in zip(scene.DISC_NEURONS, shares)]
    # the picture of each N: the beat that shows the first, then a snapshot after each swap
    steps = [next(s for s in snaps if rows[k] in {lab["text"] for lab in s["labels"]}) for k in range(len(rows))]
    for k, step in enumerate(steps):
        shown = {lab["text"] for lab in step["labels"]}
        assert set(rows[: k + 1]) <= shown and not set(rows[k + 1 :]) & shown, (k, shown)
    pixels = [s["panel"] for s in steps]
    for a, b in zip(pixels, pixels[1:]):
        assert np.abs(a - b).mean() > 1.0, "two N show the same picture"
    wrong = [red(p) for p in pixels]
    assert all(a > b for a, b in zip(wrong, wrong[1:])), wrong
    # the red is the share printed (the last, thinnest ring is partly under the boundary line at this size)
    assert wrong[0] / wrong[1] == pytest.approx(shares[0] / shares[1], rel=0.3), (wrong, shares)


@pytest.mark.render
@needs_manim
def test_the_spiral_s_accuracies_are_univs_for_the_dots_and_the_held_back_rings(rendered, scene):
    _, folder = rendered("dark")
    spiral = classes("spiral", **scene.SPIRAL)
    hand = measure_classifier(construct(spiral, scene.SPIRAL_NEURONS), spiral)
    shown = {lab["text"] for s in snapshots(folder, "dark") for lab in s["labels"]}
    assert compact(f"dots: {numbers.percent(hand.accuracy)} right") in shown
    assert compact(f"rings: {numbers.percent(hand.accuracy_holdout)} right") in shown
    assert hand.samples == round(0.7 * scene.SPIRAL["samples"]) and hand.holdout_samples > 0


@pytest.mark.render
@needs_manim
def test_every_caption_can_be_read_and_one_says_what_a_softmax_does(rendered):
    video, _ = rendered("dark")
    cues = parse_srt(video.with_suffix(".srt").read_text())
    assert len(cues) >= 7
    for start, end, text in cues:
        lines = text.split("\n")
        assert end - start >= 1.5 - 1 / FPS, (text, end - start)
        assert len(" ".join(lines)) / (end - start + 1 / FPS) <= 17, text
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), lines
    words = " ".join(text for _, _, text in cues).replace("\n", " ")
    assert "softmax" in words.lower() and "add up to one" in words
    assert cues[-1][1] <= render_mod.video_seconds(video) + 1e-3
