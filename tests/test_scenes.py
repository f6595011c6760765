"""The explainer scenes as a user gets them: real renders through ``univ.render``, opened with PyAV and looked at
(length, size, frames that are not blank), the explainer joined from its parts, and ``univ render`` on the command
line: --list, bad input refused before Manim starts, and the message when Manim is missing."""

import ast
import importlib.util
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import univ
import univ.rendering as render_mod
from univ import SCENES, UnivError

ROOT = Path(__file__).resolve().parents[1]

SIZE = (256, 144)  # tiny: these tests check the pipeline and the frames, not the looks
FPS = 10
LENGTH_TOLERANCE = 0.25  # a scene's length may differ from its nominal one by this fraction (frame rounding)
MIN_STD = 6.0  # pixel standard deviation of a frame with curves and text on it; a blank frame has ~0
MIN_COLOURS = 12  # distinct colours in such a frame

needs_manim = pytest.mark.skipif(importlib.util.find_spec("manim") is None, reason="the video extra is not installed")


def available(name: str) -> bool:
    return not render_mod._missing_needs(SCENES[name])


# -- rendering, once per scene per session -------------------------------------------------------------------
@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """Every available scene, rendered two at a time (two univ.render calls at once) on first request."""
    out = tmp_path_factory.mktemp("videos")
    pool = ThreadPoolExecutor(max_workers=2)
    futures = {}

    def get(name):
        if not futures:
            for n in SCENES:
                if available(n):
                    # a folder each: two renders at once must not see each other's temporary files
                    futures[n] = pool.submit(univ.render, n, resolution=SIZE, frame_rate=FPS, out_dir=out / n)
        return futures[name].result()

    yield get
    pool.shutdown(cancel_futures=True)


def frames_of(path):
    """Every frame as an (h, w, 3) uint8 array, plus the stream's frame rate and size."""
    import av

    with av.open(str(path)) as c:
        s = c.streams.video[0]
        rate, size = float(s.average_rate), (s.codec_context.width, s.codec_context.height)
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(s)]
    return frames, rate, size


def not_blank(frame) -> bool:
    colours = np.unique(frame.reshape(-1, 3), axis=0)
    return float(frame.std()) > MIN_STD and len(colours) > MIN_COLOURS


@pytest.mark.render
@needs_manim
@pytest.mark.parametrize("name", list(SCENES))
def test_every_scene_renders_to_a_video_of_its_length_with_frames_that_are_not_blank(rendered, name):
    if not available(name):
        pytest.skip(f"{name} needs univ.{render_mod._missing_needs(SCENES[name])[0]}")
    path = rendered(name)
    assert path.suffix == ".mp4" and path.name.startswith(name + "_")
    assert not list(path.parent.glob(".*.tmp")), "a temporary file was left beside the video"
    seconds = render_mod.video_seconds(path)
    nominal = SCENES[name].seconds
    assert nominal * (1 - LENGTH_TOLERANCE) <= seconds <= nominal * (1 + LENGTH_TOLERANCE), (name, seconds)
    frames, rate, size = frames_of(path)
    assert size == SIZE and rate == pytest.approx(FPS)
    assert len(frames) == pytest.approx(seconds * FPS, abs=2)
    # from a quarter of the way in, every sampled frame shows something (the start fades in, the end fades out)
    for q in (0.25, 0.5, 0.75, 0.85):
        frame = frames[round(q * (len(frames) - 1))]
        assert not_blank(frame), f"{name}: frame at {q:.0%} looks blank (std {frame.std():.1f})"
    # and the picture moves
    assert np.abs(frames[round(0.85 * len(frames))].astype(int) - frames[len(frames) // 4].astype(int)).mean() > 1.0


@pytest.mark.render
@needs_manim
@pytest.mark.parametrize("name", list(SCENES))
def test_every_cue_of_every_scene_can_be_read_and_its_words_finish_before_the_scene_moves_on(rendered, name):
    """At most 17 characters a second, at least 1.5 s on screen, two lines of 42 at most (one frame of slack)."""
    from helpers import parse_srt

    if not available(name):
        pytest.skip(f"{name} needs univ.{render_mod._missing_needs(SCENES[name])[0]}")
    path = rendered(name)
    cues = parse_srt(path.with_suffix(".srt").read_text())
    assert cues, name
    for start, end, text in cues:
        lines = text.split("\n")
        chars = len(" ".join(lines))
        assert end - start >= 1.5 - 1 / FPS, (name, text, end - start)
        assert chars / (end - start + 1 / FPS) <= 17, (name, text, chars / (end - start))
        assert len(lines) <= 2 and all(len(ln) <= 42 for ln in lines), (name, lines)
    assert all(a[1] <= b[0] + 1e-6 for a, b in zip(cues, cues[1:])), "cues overlap"
    assert cues[-1][1] <= render_mod.video_seconds(path) + 1e-3


@pytest.mark.render
@needs_manim
def test_the_explainer_is_the_scenes_joined_in_order(rendered, tmp_path):
    parts = [n for n in SCENES if available(n)]
    lines = []
    path = univ.render("explainer", resolution=SIZE, frame_rate=FPS, out_dir=tmp_path, progress=lines.append)
    assert path == tmp_path / "explainer_sin-3x_20_256x144_10fps.mp4"
    stem = path.stem  # the video, its captions and its script; nothing else
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [path.name, f"{stem}.srt", f"{stem}.vtt", f"{stem}.narration.md"]
    )
    total = sum(render_mod.video_seconds(rendered(n)) for n in parts)
    assert render_mod.video_seconds(path) == pytest.approx(total, abs=0.05 * len(parts))
    # one short line per scene, in order after the header
    for n in parts:
        assert any(line.strip().startswith(f"{n}:") for line in lines), (n, lines)
    frames, _rate, size = frames_of(path)
    assert size == SIZE and len(frames) == pytest.approx(total * FPS, abs=2 * len(parts))
    # each part sits where the sum of the lengths before it says: its middle shows something
    start = 0.0
    for n in parts:
        length = render_mod.video_seconds(rendered(n))
        assert not_blank(frames[min(round((start + length / 2) * FPS), len(frames) - 1)]), n
        start += length


# -- the scene files --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(SCENES))
def test_each_scene_file_defines_its_class_with_a_docstring_and_imports_only_univ_manim_numpy_and_stdlib(name):
    info = SCENES[name]
    path = render_mod.scenes_dir() / info.file
    if not path.exists():
        pytest.skip(f"{info.file} is not written yet")
    tree = ast.parse(path.read_text())
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    assert info.cls in classes and ast.get_docstring(classes[info.cls])
    roots = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    roots |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert roots - set(sys.stdlib_module_names) <= {"numpy", "manim", "univ", "_common", "_network"}, roots
    assert "eval(" not in path.read_text() and "exec(" not in path.read_text() and "sys.path" not in path.read_text()


def test_scenes_read_only_the_public_api():
    """Names from univ are in univ.__all__, or are what the scene waits for (its ``needs``: skipped until then)."""
    waits = {info.file: set(info.needs) for info in SCENES.values()}
    for path in render_mod.scenes_dir().glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("univ"):
                assert node.module == "univ", f"{path.name} imports {node.module}"
                allowed = set(univ.__all__) | waits.get(path.name, set())
                assert all(alias.name in allowed for alias in node.names), path.name


# -- bad input is refused before manim starts -------------------------------------------------------------------
@pytest.fixture
def no_manim_launch(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("manim was launched for a request that should have been refused")

    monkeypatch.setattr(render_mod.subprocess, "Popen", refuse)


BAD_REQUESTS = [
    ({"scene": "nope"}, "unknown scene 'nope'"),
    ({"scene": "bumps", "function": "sin(3x"}, "missing ')'"),
    ({"scene": "bumps", "function": "__import__('os')"}, "'"),
    ({"scene": "bumps", "function": "log(x)"}, "not finite at x = 0"),
    ({"scene": "bumps", "function": "x*y"}, "also uses y"),
    ({"scene": "bumps", "neurons": 7}, "neurons must be even, got 7"),
    ({"scene": "bumps", "neurons": 0}, "from 2 to 200"),
    ({"scene": "bumps", "neurons": 1000}, "from 2 to 200"),
    ({"scene": "bumps", "neurons": 20.0}, "whole number"),
    ({"scene": "bumps", "quality": "ultra"}, "unknown quality 'ultra'"),
    ({"scene": "bumps", "resolution": (255, 144)}, "even whole numbers"),
    ({"scene": "bumps", "frame_rate": 0}, "frame_rate must be"),
    ({"scene": "bumps", "domain": (1, 0)}, "A < B"),
]


@pytest.mark.parametrize("kwargs, message", BAD_REQUESTS)
def test_bad_requests_are_one_univ_error_before_manim_starts(no_manim_launch, tmp_path, kwargs, message):
    with pytest.raises(UnivError) as info:
        univ.render(out_dir=tmp_path, **kwargs)
    assert message in str(info.value) and "\n" not in str(info.value)
    assert not any(tmp_path.iterdir())


def fake_scenes(tmp_path, monkeypatch, **bodies):
    """A scenes folder whose scene NAME is class NAME.upper() with the given construct() body."""
    folder = tmp_path / "scenes"
    folder.mkdir()
    (folder / "_common.py").write_text("")
    table = {}
    for name, body in bodies.items():
        (folder / f"{name}.py").write_text(
            f"import time\nfrom manim import Scene\n\n\nclass {name.upper()}(Scene):\n"
            f"    def construct(self):\n        {body}\n"
        )
        table[name] = render_mod.SceneInfo(f"{name}.py", name.upper(), name, 1.0)
    monkeypatch.setattr(render_mod, "scenes_dir", lambda: folder)
    monkeypatch.setattr(render_mod, "SCENES", table)
    return folder


@pytest.mark.render
@needs_manim
def test_a_failing_scene_leaves_no_video_only_its_log(monkeypatch, tmp_path):
    fake_scenes(tmp_path, monkeypatch, broken="raise ValueError('the scene broke')")
    out = tmp_path / "out"
    with pytest.raises(UnivError, match=r"manim failed on the broken scene \(exit 1\): ValueError: the scene broke"):
        univ.render("broken", out_dir=out)
    assert [p.name for p in out.iterdir()] == ["broken_sin-3x_20_low.log"]
    assert "Traceback" in (out / "broken_sin-3x_20_low.log").read_text()


@pytest.mark.render
@needs_manim
def test_an_interrupted_explainer_stops_its_renders_and_leaves_nothing(monkeypatch, tmp_path):
    """Ctrl-C (here: raised when the quick scene is reported) stops the slow scene still rendering."""
    fake_scenes(tmp_path, monkeypatch, quick="self.wait(0.2)", slow="time.sleep(120)")
    batches = []

    class Recorded(render_mod._Batch):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            batches.append(self)

    def interrupt(line):
        if line.strip().startswith("quick:"):
            raise KeyboardInterrupt

    monkeypatch.setattr(render_mod, "_Batch", Recorded)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        univ.render("explainer", resolution=(160, 90), frame_rate=5, out_dir=out, jobs=2, progress=interrupt)
    (batch,) = batches
    assert batch.proc.poll() is not None and len(batch.pids) == 2
    for pid in batch.pids:  # both scene processes are gone (reaped), not left rendering
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"scene process {pid} is still running")
    assert not any(out.iterdir())


# -- manim missing ----------------------------------------------------------------------------------------------
def test_without_manim_render_says_how_to_install_it(cli, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "manim", None)  # find_spec then reports it missing
    with pytest.raises(UnivError, match=r'pip install -e "\.\[video\]"'):
        univ.render("step", out_dir=tmp_path)
    r = cli(*["render", "step", "--out", str(tmp_path)])
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and 'pip install -e ".[video]"' in r.stderr


def test_importing_univ_and_its_cli_does_not_import_manim():
    code = "import sys, univ, univ.cli, univ.rendering; univ.SCENES; print('manim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_univ_render_is_the_function_even_after_its_module_is_imported():
    import univ.cli
    import univ.rendering

    assert callable(univ.render) and univ.rendering.SCENES is univ.SCENES


# -- the command line -------------------------------------------------------------------------------------------
def cli(*args):
    return cli(*list(args))


def test_cli_list_names_every_scene_in_order_and_the_explainer(cli):
    r = cli("render", "--list")
    assert r.exit_code == 0
    names = [line.split()[0] for line in r.output.splitlines()]
    assert names == [*SCENES, "explainer"]


def test_cli_help_has_a_worked_example(cli):
    r = cli("render", "--help")
    assert r.exit_code == 0 and 'univ render explainer "sin(3x)" --neurons 20 --quality low' in r.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["render", "nope"], "unknown scene 'nope'"),
        (["render"], "name a scene"),
        (["render", "bumps", "--function", "sin(3x"], "missing ')'"),
        (["render", "bumps", "--neurons", "7"], "must be even"),
        (["render", "bumps", "--neurons", "many"], "not a valid integer"),
        (["render", "bumps", "--quality", "ultra"], "ultra"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2_before_manim(cli, no_manim_launch, args, message):
    r = cli(*args)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("univ: ") and r.stderr.count("\n") == 1 and message in r.stderr
    assert r.stdout == ""


@pytest.mark.render
@needs_manim
def test_cli_prints_progress_on_stderr_and_the_files_on_stdout(cli, tmp_path):
    r = cli(
        "render", "title", "x^2", "--neurons", "8", "--resolution", "160", "90", "--fps", "5", "--out", str(tmp_path)
    )
    assert r.exit_code == 0, r.output
    path = tmp_path / "title_x-2_8_160x90_5fps.mp4"
    assert r.stdout.splitlines() == [
        str(path),
        *(str(path.with_suffix(s)) for s in (".srt", ".vtt")),
        str(tmp_path / "title_x-2_8_160x90_5fps.narration.md"),
    ]
    assert path.stat().st_size > 1000
    progress = r.stderr.strip().splitlines()
    assert progress[0].startswith("univ render  title: x^2, 8 neurons") and "title [1]" in r.stderr
    assert len(progress) <= 6, progress  # header, a line per beat, the scene, done: manim's chatter stays out


def test_a_data_file_is_refused_before_manim_starts_with_what_to_use_instead(cli, tmp_path):
    r = cli("render", "bumps", str(ROOT / "examples" / "co2.csv"), "--out", tmp_path / "v")
    assert r.exit_code == 2 and "univ page" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "v").exists()


# -- installed, not editable -----------------------------------------------------------------------------------
@pytest.mark.render
@needs_manim
def test_a_non_editable_install_into_a_fresh_venv_renders_with_its_packaged_scenes(tmp_path):
    """``pip install .`` (a wheel, not the checkout) carries the scenes as package data: univ render works from it.

    The fresh venv reaches this one's dependencies through a path file (nothing is downloaded; the build backend
    comes from the configured local index), but not its editable univ: univ is imported from the new venv."""
    import shutil
    import site

    root = render_mod.Path(render_mod.__file__).resolve().parent.parent
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(root / name, src / name)
    for name in ("univ", "scenes"):
        shutil.copytree(root / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    own = subprocess.run([py, "-c", "import site; print(site.getsitepackages()[0])"], capture_output=True, text=True)
    (render_mod.Path(own.stdout.strip()) / "univ-test-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "UNIV_PLAN")}
    pip = subprocess.run(
        [py, "-m", "pip", "install", "-q", "--no-deps", str(src)], capture_output=True, text=True, env=env, timeout=600
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    shutil.rmtree(src)  # nothing may come from the sources any more
    where = subprocess.run(
        [py, "-c", "import univ.rendering as r; print(r.__file__); print(r.scenes_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    ).stdout.split()
    assert all(p.startswith(str(venv)) for p in where), where
    run = subprocess.run(
        [
            venv / "bin" / "univ",
            "render",
            "title",
            "--resolution",
            "128",
            "72",
            "--fps",
            "4",
            "--hold",
            "0",
            "--out",
            "out",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    video = tmp_path / "out" / "title_sin-3x_20_128x72_4fps_hold0.mp4"
    assert video.is_file() and render_mod.video_seconds(video) > 3


@pytest.mark.parametrize("aspect", ["16:9", "9:16", "1:1"])
@pytest.mark.parametrize("quality", [None, "low", "high"])
def test_a_video_file_name_says_its_size_one_way(aspect, quality):
    """The quality's name whenever the quality sets the size, whatever the aspect (it has its own part of the
    name); pixels only for a --resolution given: never "20_low" for one render and "480x854" for its 9:16 twin."""
    from univ.rendering import ASPECTS, _video_settings

    video = _video_settings(quality, None, None, aspect, None, False)
    assert video["label"] == (quality or "low")
    if aspect != "16:9":
        assert video["resolution"] is not None  # the size is still turned for the aspect
    w, h = ASPECTS[aspect]
    size = (720, 720 * h // w) if h >= w else (720 * w // h, 720)
    assert _video_settings(quality, size, None, aspect, None, False)["label"] == f"{size[0]}x{size[1]}"
