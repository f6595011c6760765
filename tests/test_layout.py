"""Every scene's layout in every aspect and theme, read from tiny real renders: at the end of each beat the scene
(in test mode: the render plan's ``layout`` folder) keeps its frame and the boxes of its labels and neurons. The
frame's pixels give the content's extent (everything that is not the background colour); the boxes say whether
labels collide."""

import importlib.util
import json
from dataclasses import replace
from itertools import combinations

import numpy as np
import pytest
from PIL import Image

import univ
import univ.rendering as render_mod
from univ.palette import PALETTES

SIZES = {"16:9": (256, 144), "9:16": (144, 256), "1:1": (192, 192)}  # tiny: the layout is in scene units
FPS = 8
MARGIN = 0.02  # of the frame's side: nothing drawn nearer the edge
SPAN = 0.8  # of the frame's height (portrait, square) or width (landscape, square): what the content covers
INK = 40  # a pixel differs from the background by more than this in some channel: something is drawn there
OVERLAP = 0.02  # scene units: boxes may touch, not overlap by more than this both ways

needs_manim = pytest.mark.skipif(importlib.util.find_spec("manim") is None, reason="the video extra is not installed")
CASES = [(a, t) for a in SIZES for t in ("dark", "light")]


@pytest.fixture(scope="session")
def layouts(tmp_path_factory):
    """``layouts(aspect, theme)``: the folder where the explainer rendered that way left its frames and boxes."""
    done = {}
    render_scenes = render_mod._render_scenes

    def get(aspect: str, theme: str):
        if (aspect, theme) not in done:
            folder = tmp_path_factory.mktemp(f"layout-{aspect.replace(':', 'x')}-{theme}")
            done[aspect, theme] = folder  # a failed render is not retried: the scenes it did finish are still tested

            def with_layout(req, work, say):  # the plan as the renderer made it, asking for the layout files
                return render_scenes(replace(req, plan=replace(req.plan, layout=str(folder))), work, say)

            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(render_mod, "_render_scenes", with_layout)
                univ.render(
                    "explainer",
                    resolution=SIZES[aspect],
                    frame_rate=FPS,
                    aspect=aspect,
                    theme=theme,
                    captions=False,
                    out_dir=folder / "video",
                )
        return done[aspect, theme]

    return get


def ink_box(frame: np.ndarray, background: str) -> tuple[float, float, float, float] | None:
    """The drawn part of a frame as fractions of its width and height (x0, y0, x1, y1 from the top left)."""
    bg = np.array([int(background.lstrip("#")[k : k + 2], 16) for k in (0, 2, 4)])
    ink = np.abs(frame.astype(int) - bg).max(axis=2) > INK
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return None
    h, w = ink.shape
    return cols[0] / w, rows[0] / h, (cols[-1] + 1) / w, (rows[-1] + 1) / h


def overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > OVERLAP and min(a[3], b[3]) - max(a[1], b[1]) > OVERLAP


def inside(box, circle) -> bool:
    """The label's centre lies in the neuron's box: the neuron's own label (x, Σ)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return circle[0] <= cx <= circle[2] and circle[1] <= cy <= circle[3]


def scene_layout(folder, name: str, aspect: str, theme: str) -> dict:
    path = folder / f"{name}_{aspect.replace(':', 'x')}_{theme}.layout.json"
    assert path.exists(), f"{name} left no layout ({sorted(p.name for p in folder.iterdir())[:5]}...)"
    return json.loads(path.read_text())


def test_ink_box_finds_what_is_drawn_and_nothing_on_a_blank_frame():
    frame = np.zeros((100, 200, 3), np.uint8)
    assert ink_box(frame, "#000000") is None
    frame[10:20, 30:50] = 255
    assert ink_box(frame, "#000000") == (0.15, 0.1, 0.25, 0.2)
    assert ink_box(np.full_like(frame, 255), "#ffffff") is None


def test_overlap_needs_both_directions():
    assert overlap((0, 0, 1, 1), (0.5, 0.5, 2, 2))
    assert not overlap((0, 0, 1, 1), (1.0, 0, 2, 1))  # touching
    assert not overlap((0, 0, 1, 1), (0.5, 1.5, 2, 2))


@pytest.mark.render
@needs_manim
@pytest.mark.parametrize("aspect,theme", CASES)
@pytest.mark.parametrize("name", render_mod.explainer_scenes(1))
def test_every_beat_of_every_scene_fills_the_frame_keeps_off_its_edges_and_no_label_overlaps(
    layouts, name, aspect, theme
):
    folder = layouts(aspect, theme)
    record = scene_layout(folder, name, aspect, theme)
    assert record["background"] == PALETTES[theme]["background"]
    fw, fh = record["frame_size"]
    spans = []
    for beat in record["beats"]:
        where = f"{name} {aspect} {theme} beat {beat['beat']}"
        frame = np.asarray(Image.open(folder / beat["frame"]).convert("RGB"))
        assert frame.shape[:2] == SIZES[aspect][::-1]
        box = ink_box(frame, record["background"])
        assert box is not None, f"{where}: blank"
        x0, y0, x1, y1 = box
        assert min(x0, y0, 1 - x1, 1 - y1) >= MARGIN, f"{where}: drawn within {MARGIN:.0%} of the edge: {box}"
        spans.append((x1 - x0, y1 - y0))
        labels, neurons = beat["labels"], beat["neurons"]
        for lab in labels:  # in scene units, centred on the frame's middle
            a, b, c, d = lab["box"]
            assert -fw / 2 < a and c < fw / 2 and -fh / 2 < b and d < fh / 2, f"{where}: {lab['text']!r} off screen"
        for p, q in combinations(labels, 2):
            assert not overlap(p["box"], q["box"]), f"{where}: {p['text']!r} overlaps {q['text']!r}"
        for lab in labels:
            for n in neurons:
                if not inside(lab["box"], n):
                    assert not overlap(lab["box"], n), f"{where}: {lab['text']!r} sits on a neuron"
    width, height = np.max(spans, axis=0)
    if aspect != "16:9":
        assert height >= SPAN, f"{name} {aspect} {theme}: content spans {height:.0%} of the height"
    if aspect != "9:16":
        assert width >= SPAN, f"{name} {aspect} {theme}: content spans {width:.0%} of the width"


@pytest.mark.render
@needs_manim
@pytest.mark.parametrize("aspect,theme", CASES)
def test_every_heading_of_an_aspect_is_one_size(layouts, aspect, theme):
    folder = layouts(aspect, theme)
    sizes = {
        name: size
        for name in render_mod.explainer_scenes(1)
        for beat in scene_layout(folder, name, aspect, theme)["beats"]
        for size in beat["headings"]
    }
    assert len(sizes) >= 6, sizes
    assert max(sizes.values()) == pytest.approx(min(sizes.values()), rel=0.01), sizes
