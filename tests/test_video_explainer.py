"""The explainer as something to ship: captions and script, scene choice and order, themes, aspect ratios, formats,
lengths that do not depend on the frame rate, and the command line's options. Renders are tiny (160×90 and so on, a
few frames a second): they check timing, files and pixels, not the looks."""

import importlib.util
import json
import re

import numpy as np
import pytest
from helpers import frames_of, needs_manim, parse_srt, parse_vtt

import univ
import univ.rendering as render_mod
from univ import UnivError

FPS = 5
FRAME = 1 / FPS


@pytest.fixture(scope="module")
def two_scenes(tmp_path_factory):
    """bump then title (not the default order), with captions."""
    out = tmp_path_factory.mktemp("two")
    lines = []
    result = render_mod.render_run(
        "explainer",
        "0.2 + 0.4x^2 - x",
        scenes="bump,title",
        resolution=(160, 90),
        frame_rate=FPS,
        out_dir=out,
        progress=lines.append,
    )
    return result, lines


# -- captions and script ------------------------------------------------------------------------------------------
@pytest.mark.render
@needs_manim
def test_captions_parse_have_one_cue_per_narrated_beat_and_lie_within_the_video(two_scenes):
    result, lines = two_scenes
    srt, vtt = result.captions
    assert srt.suffix == ".srt" and vtt.suffix == ".vtt" and srt.parent == result.video.parent
    assert srt.stem == result.video.stem and result.narration.name == result.video.stem + ".narration.md"
    cues, vcues = parse_srt(srt.read_text()), parse_vtt(vtt.read_text())
    assert [(round(a, 3), round(b, 3), t) for a, b, t in cues] == [(round(a, 3), round(b, 3), t) for a, b, t in vcues]
    beats = [ln for ln in lines if re.match(r"\s+(bump|title) \[\d+\]", ln)]  # each beat, reported as it started
    script = [ln for ln in result.narration.read_text().splitlines() if ln.startswith("- **")]
    assert len(cues) == len(script) == result.cues >= len(beats) >= 6  # a long beat's line is cut into cues
    length = render_mod.video_seconds(result.video)
    for (start, end, text), line in zip(cues, script):
        assert 0 <= start < end <= length + 1e-3 and text and " ".join(text.split("\n")) in line
        assert caption_rule_broken(text, start, end, slack=FRAME) is None, (text, start, end)
    assert all(a[1] <= b[0] + 1e-6 for a, b in zip(cues, cues[1:])), "cues overlap"


@pytest.mark.render
@needs_manim
def test_scenes_come_in_the_order_asked_and_cues_start_and_end_with_their_scenes_animations(two_scenes):
    result, _ = two_scenes
    assert result.scenes == ("bump", "title")
    cues = [(a, b, " ".join(t.split("\n"))) for a, b, t in parse_srt(result.captions[0].read_text())]
    assert cues[0][2].startswith("Take two steep neurons")  # bump's first beat comes first
    assert cues[-1][2].startswith("We will build one for f = 0.2 + 0.4x^2 - x")
    script = result.narration.read_text()
    assert script.index("## 1. bump") < script.index("## 2. title")
    # bump starts at 0 and ends with a 0.5 s fade after its last beat; title's first beat starts where bump ends
    bump_len = float(re.search(r"## 1\. bump \(00:00\.0–00:(\d+\.\d)\)", script).group(1))
    bump_cues = [c for c in cues if not c[2].startswith(("One hidden layer", "We will build"))]
    assert bump_cues[0][0] == pytest.approx(0.0, abs=0.2)
    assert bump_cues[-1][1] == pytest.approx(bump_len - 0.5, abs=0.2)
    title_first = cues[len(bump_cues)]
    assert title_first[0] == pytest.approx(bump_len, abs=0.2)
    # the title's first frame is the title card, not a black frame (it is the poster of a video that starts there)
    frames = frames_of(result.video)
    first_title = frames[round(bump_len * FPS)]
    assert first_title.std() > 8 and frames[round(bump_len * FPS) - 1].std() < first_title.std()


@pytest.mark.render
@needs_manim
def test_no_captions_writes_only_the_video(tmp_path):
    result = render_mod.render_run(
        "title", resolution=(160, 90), frame_rate=2, out_dir=tmp_path, captions=False, hold=0.5
    )
    assert [p.name for p in tmp_path.iterdir()] == [result.video.name] and result.captions == ()


# -- lengths that do not depend on the frame rate ----------------------------------------------------------------
@pytest.mark.render
@needs_manim
def test_a_scene_lasts_the_same_at_two_frame_rates_to_within_a_frame(tmp_path):
    slow = univ.render("step", resolution=(160, 90), frame_rate=4, out_dir=tmp_path / "a")
    fast = univ.render("step", resolution=(160, 90), frame_rate=11, out_dir=tmp_path / "b")
    a, b = render_mod.video_seconds(slow), render_mod.video_seconds(fast)
    assert abs(a - b) <= 1 / 4 + 1e-6, (a, b)
    assert abs(a - render_mod.SCENES["step"].seconds) <= 1 / 4 + 1e-6  # and the nominal length is the real one


@pytest.mark.render
@needs_manim
def test_hold_lengthens_each_conclusion(tmp_path):
    short = univ.render("title", resolution=(160, 90), frame_rate=2, out_dir=tmp_path, hold=0.5, captions=False)
    long_ = univ.render("title", resolution=(160, 90), frame_rate=2, out_dir=tmp_path, hold=4.5, captions=False)
    assert short != long_ and "hold4.5" in long_.name
    assert render_mod.video_seconds(long_) - render_mod.video_seconds(short) == pytest.approx(4.0, abs=0.51)


# -- themes, aspects, formats ------------------------------------------------------------------------------------
@pytest.mark.render
@needs_manim
def test_light_theme_gif_is_animated_mostly_light_and_opens_on_the_title(tmp_path):
    path = univ.render(
        "title", resolution=(160, 90), frame_rate=FPS, out_dir=tmp_path, theme="light", format="gif", hold=0.5
    )
    assert path.suffix == ".gif" and path.name.endswith("_light.gif")
    frames = frames_of(path)
    assert len(frames) > 10
    assert max(np.abs(f.astype(int) - frames[0].astype(int)).mean() for f in frames) > 0.5  # it moves
    middle = frames[len(frames) // 2]
    assert middle.mean() > 200 and (middle.min(axis=2) > 200).mean() > 0.8  # white background, some dark ink
    assert (middle.max(axis=2) < 120).mean() > 0.005  # and the text is dark: no white on white
    assert frames[0].std() > 8  # frame 0 shows the title


@pytest.mark.render
@needs_manim
def test_portrait_png_is_the_last_picture_and_fills_the_height(tmp_path):
    from PIL import Image

    path = univ.render("bump", resolution=(90, 160), frame_rate=FPS, out_dir=tmp_path, aspect="9:16", format="png")
    assert path.suffix == ".png" and "9x16" in path.name
    img = np.asarray(Image.open(path).convert("RGB"))
    assert img.shape == (160, 90, 3)
    ink = (img.max(axis=2) > 60).mean(axis=1) > 0.01  # rows with something drawn
    rows = np.flatnonzero(ink)
    assert rows[-1] - rows[0] > 0.65 * img.shape[0], (rows[0], rows[-1])


@pytest.mark.render
@needs_manim
def test_webm_and_square(tmp_path):
    path = univ.render(
        "title",
        resolution=(96, 96),
        frame_rate=2,
        out_dir=tmp_path,
        aspect="1:1",
        format="webm",
        hold=0.5,
        captions=False,
    )
    assert path.suffix == ".webm" and "1x1" in path.name
    frames = frames_of(path)
    assert frames[0].shape[:2] == (96, 96) and len(frames) >= 6


def test_the_explainer_of_a_function_of_x_and_y_is_the_2d_one():
    assert render_mod.explainer_scenes(2) == ["title", "step", "bump", "towers", "classify", "depth", "closing"]
    assert "towers" in render_mod.explainer_scenes(1) and "bumps" not in render_mod.explainer_scenes(2)


# -- every option means what it says -----------------------------------------------------------------------------
@pytest.mark.render
@needs_manim
def test_a_scene_that_draws_no_constructed_net_does_not_claim_the_neurons(tmp_path):
    lines = []
    result = render_mod.render_run(
        "step", neurons=40, resolution=(160, 90), frame_rate=FPS, out_dir=tmp_path, format="png", progress=lines.append
    )
    assert result.video.name == "step_sin-3x_160x90_5fps.png" and result.neurons is None
    assert "neurons" not in lines[0] and any("neurons not used" in ln for ln in lines)


@pytest.fixture
def no_manim_launch(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("manim was launched for a request that should have been refused")

    monkeypatch.setattr(render_mod.subprocess, "Popen", refuse)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"scene": "explainer", "scenes": "bump,nope"}, "unknown scene 'nope'"),
        ({"scene": "explainer", "scenes": "bump,bump"}, "twice"),
        ({"scene": "explainer", "scenes": []}, "at least one"),
        ({"scene": "bump", "scenes": "bump"}, "render explainer"),
        ({"scene": "explainer", "function": "x*y", "scenes": "bumps"}, "also uses y"),
        ({"scene": "bump", "hold": -1}, "hold must be"),
        ({"scene": "bump", "hold": float("nan")}, "hold must be"),
        ({"scene": "bump", "theme": "sepia"}, "unknown theme 'sepia'"),
        ({"scene": "bump", "aspect": "4:3"}, "unknown aspect '4:3'"),
        ({"scene": "bump", "format": "avi"}, "unknown format 'avi'"),
        ({"scene": "bump", "aspect": "9:16", "resolution": (160, 90)}, "does not have the aspect 9:16"),
        ({"scene": "bump", "ydomain": (0, 1)}, "ydomain is for a function of x and y"),
        ({"scene": "towers", "function": "x*y", "ydomain": (1, 0)}, "ydomain must have"),
        ({"scene": "towers", "function": "x*y", "neurons": 4}, "at least 5"),
        ({"scene": "bump", "config_file": "/nonexistent/manim.cfg"}, "does not exist"),
    ],
)
def test_bad_options_are_one_univ_error_before_manim_starts(no_manim_launch, tmp_path, kwargs, message):
    with pytest.raises(UnivError) as info:
        render_mod.render_run(out_dir=tmp_path, **kwargs)
    assert message in str(info.value) and "\n" not in str(info.value)


# -- the scenes' own helpers ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def common():
    with pytest.MonkeyPatch.context() as mp:  # _common imports its themed modules (_plan, _layout...) beside it
        mp.syspath_prepend(str(render_mod.scenes_dir()))
        spec = importlib.util.spec_from_file_location("_univ_scenes_common", render_mod.scenes_dir() / "_common.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


@needs_manim
def test_the_formula_is_shown_as_typed(common):
    tex = common.formula_tex(univ.parse("0.2 + 0.4x^2 - x"))
    assert tex.index("0.2") < tex.index("0.4") < tex.index("- x")
    assert common.formula_tex(univ.parse("1/(1+25x^2)")).index("1 +") > 0


@needs_manim
def test_the_rate_is_told_honestly_when_a_knot_lands_on_a_kink(common):
    target = univ.parse("abs(x-0.3)")
    sweep = [4, 8, 20, 64]
    errors = [univ.measure(univ.construct(target, m, method="relu"), target).max_error for m in sweep]
    text = common.rate_text(sweep, errors)
    m = re.search(r"N\^\{(-?\d+\.\d)\}", text)
    assert m is None or -2.6 < float(m.group(1)) < -0.4, text  # never "N^-3.6"
    # a clean power law is stated as one
    assert common.rate_text([4, 8, 16, 32], [1 / 16, 1 / 64, 1 / 256, 1 / 1024]) == r"\propto N^{-2.0}"
    assert "does not fall" in common.rate_text([4, 8, 16], [0.5, 0.5, 0.5])


# -- the command line --------------------------------------------------------------------------------------------
@pytest.fixture
def fake_render(monkeypatch, tmp_path):
    calls = []

    def fake(scene, function, neurons, quality, out_dir, resolution, frame_rate, **kw):
        calls.append({"scene": scene, "function": function, "neurons": neurons, **kw})
        kw["progress"]("univ render  fake")
        video = tmp_path / "v.mp4"
        return render_mod.Rendered(
            video, (scene,), 1.0, neurons, (tmp_path / "v.srt", tmp_path / "v.vtt"), tmp_path / "v.narration.md", 3
        )

    monkeypatch.setattr(render_mod, "render_run", fake)
    return calls


def cli(*args):
    return cli(*list(args))


def test_cli_takes_the_expression_positionally_or_as_function(cli, fake_render):
    r = cli("render", "bumps", "x^2 - x", "-n", "12")
    assert r.exit_code == 0, r.output
    assert fake_render[-1]["function"] == "x^2 - x" and fake_render[-1]["neurons"] == 12
    r = cli("render", "bumps", "-f", "sin(2x)")
    assert r.exit_code == 0 and fake_render[-1]["function"] == "sin(2x)"
    r = cli("render", "bumps", "x^2", "-f", "x^3")
    assert r.exit_code == 2 and "two expressions" in r.stderr


def test_cli_progress_on_stderr_quiet_and_json(cli, fake_render, tmp_path):
    r = cli(
        "render",
        "explainer",
        "x^2",
        "--scenes",
        "bump,title",
        "--hold",
        "3",
        "--theme",
        "light",
        "--aspect",
        "9:16",
        "--format",
        "gif",
        "--no-captions",
    )
    assert r.exit_code == 0, r.output
    assert "univ render  fake" in r.stderr and r.stdout.splitlines()[0] == str(tmp_path / "v.mp4")
    call = fake_render[-1]
    assert call["scenes"] == ["bump", "title"] and call["hold"] == 3.0 and call["theme"] == "light"
    assert call["aspect"] == "9:16" and call["format"] == "gif" and call["captions"] is False
    r = cli("render", "title", "--quiet", "--json")
    assert r.exit_code == 0 and r.stderr == ""
    shown = json.loads(r.stdout)
    assert shown["video"] == str(tmp_path / "v.mp4") and len(shown["files"]) == 4 and shown["cues"] == 3


def test_cli_refuses_an_unknown_scene_in_scenes(cli, fake_render):
    r = cli("render", "explainer", "--scenes", "bump,nope")
    assert r.exit_code == 2 and "nope" in r.stderr and not fake_render


def test_cli_list_says_what_each_scene_shows(cli):
    r = cli("render", "--list")
    assert r.exit_code == 0
    for name, info in render_mod.SCENES.items():
        assert any(line.split()[0] == name and info.description in line for line in r.output.splitlines())


@pytest.mark.render
@needs_manim
def test_a_manim_cfg_in_the_working_directory_is_honoured(tmp_path, monkeypatch):
    import av

    (tmp_path / "manim.cfg").write_text("[CLI]\npixel_width = 160\npixel_height = 90\nframe_rate = 3\n")
    monkeypatch.chdir(tmp_path)
    path = univ.render("title", out_dir=tmp_path / "out", hold=0.5, captions=False)
    assert "_config" in path.name
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        assert (s.codec_context.width, s.codec_context.height) == (160, 90) and float(s.average_rate) == 3


@needs_manim
def test_a_long_text_is_one_line_even_in_a_narrow_render(common, tmp_path):
    """Pango used to wrap Text at the video's pixel width: a 160-pixel render broke lines a 1080p one did not."""
    from manim import config

    saved = config.pixel_width, config.media_dir
    config.pixel_width, config.media_dir = 160, str(tmp_path)
    try:
        one = common.Text("Oyd", font=common.FONT, font_size=40)
        long_ = common.Text("One hidden layer is enough: more neurons, smaller error.", font=common.FONT, font_size=40)
    finally:
        config.pixel_width, config.media_dir = saved
    assert long_.height < 1.3 * one.height and long_.width > 8 * one.width


def test_caption_files_from_cues_parse_back(tmp_path):
    cues = [
        render_mod.Cue(0.0, 2.5, "first idea", "bump"),
        render_mod.Cue(2.5, 61.25, "second idea", "bump"),
        render_mod.Cue(61.25, 3725.125, "third idea", "title"),
    ]
    assert [c[:2] for c in parse_srt(render_mod.srt_text(cues))] == [(0.0, 2.5), (2.5, 61.25), (61.25, 3725.125)]
    assert render_mod.srt_text(cues).splitlines()[1] == "00:00:00,000 --> 00:00:02,500"
    assert render_mod.vtt_text(cues).splitlines()[2] == "00:00:00.000 --> 00:00:02.500"
    assert [c[2] for c in parse_vtt(render_mod.vtt_text(cues))] == ["first idea", "second idea", "third idea"]
    script = render_mod.narration_text(cues, ["bump", "title"], [61.25, 3663.875], "Narration")
    assert script.index("## 1. bump (00:00.0–01:01.2)") < script.index("- **01:01.2–62:05.1** third idea")
    # beats are kept inside their own scene's span
    work = tmp_path
    (work / "bump.beats.json").write_text(
        json.dumps({"cues": [{"start": 0.0, "end": 9.0, "text": "a"}, {"start": 9.5, "end": 12.0, "text": "beyond"}]})
    )
    (work / "title.beats.json").write_text(json.dumps({"cues": [{"start": 1.0, "end": 2.0, "text": "b"}]}))
    got = render_mod.collect_cues(["bump", "title"], work, [9.2, 5.0])
    assert [(c.start, c.end, c.text, c.scene) for c in got] == [(0.0, 9.0, "a", "bump"), (10.2, 11.2, "b", "title")]


@pytest.mark.render
@needs_manim
@pytest.mark.parametrize("scene", [name for name in univ.SCENES if name != "explainer"])
def test_every_scene_still_shows_its_picture_not_the_background(tmp_path, scene):
    """png is the last picture of the scene (as manim -s), never the black it fades to (towers did)."""
    from PIL import Image

    path = univ.render(scene, resolution=(160, 90), frame_rate=FPS, out_dir=tmp_path, format="png")
    img = np.asarray(Image.open(path).convert("RGB"))
    drawn = (img.max(axis=2) > 60).mean()
    assert drawn > 0.02, (scene, drawn)


# -- every format keeps the video's timing ---------------------------------------------------------------------
def _probe(path) -> tuple[float, list[float]]:
    """ffprobe's container duration and the presentation time of every video frame (independent of PyAV)."""
    import subprocess

    def run(*args):
        return subprocess.run(
            ["ffprobe", "-v", "error", *args, "-of", "json", str(path)], capture_output=True, text=True, check=True
        ).stdout

    duration = float(json.loads(run("-show_entries", "format=duration"))["format"]["duration"])
    frames = json.loads(run("-select_streams", "v:0", "-show_entries", "frame=pts_time,best_effort_timestamp_time"))
    times = [float(f.get("pts_time", f.get("best_effort_timestamp_time"))) for f in frames["frames"]]
    return duration, times


@pytest.fixture(scope="module")
def three_formats(tmp_path_factory):
    """The same scene as mp4, webm and gif (15 fps: a rate a GIF's centisecond delays cannot hold exactly)."""
    out = tmp_path_factory.mktemp("formats")
    kw = {"resolution": (160, 90), "frame_rate": 15, "out_dir": out, "hold": 0.5, "captions": False}
    return {fmt: univ.render("title", format=fmt, **kw) for fmt in ("mp4", "webm", "gif")}


@pytest.mark.render
@needs_manim
@pytest.mark.parametrize("fmt", ["mp4", "webm", "gif"])
def test_every_format_lasts_as_long_as_the_video_with_uniform_frame_timing(three_formats, fmt):
    import shutil

    if shutil.which("ffprobe") is None:
        pytest.skip("ffprobe (Debian's ffmpeg) is not installed")
    mp4_duration, mp4_times = _probe(three_formats["mp4"])
    length = len(mp4_times) / 15  # the video: its frames at 15 fps
    assert mp4_duration == pytest.approx(length, abs=1 / 15)
    duration, times = _probe(three_formats[fmt])
    step = np.diff(times)
    assert len(times) > 20 and times[0] == pytest.approx(0.0, abs=1e-3)
    assert duration == pytest.approx(length, abs=1 / 15), (fmt, duration, length)
    # uniform, to the container's clock: WebM counts whole milliseconds, so 1/15 s is 66 or 67 ms
    assert step.min() > 0 and step.max() - step.min() < 1.5e-3, (fmt, sorted(set(step.round(4))))
    assert times[-1] + step.mean() == pytest.approx(duration, abs=1.5e-3)  # the last frame is shown as long as the rest


# -- narration sets the pace ---------------------------------------------------------------------------------------
READING_CASES = [
    "Its output starts flat; the target f is in grey.",
    "Here is the function we want. The network starts flat, at its output bias.",
    "Each pair of neurons adds one bump; its height is f at the middle of its interval, and the bumps add up "
    "to the network's output: summed, they trace the target, step by step, from left to right.",
    "We will build one for f = exp(-(x^2+y^2)) * sin(3*x) + 0.5*cos(2*y) - abs(x-0.3), by hand, and watch it work.",
    "a" * 120,  # one unbreakable word
    "  spaced   out \n words  ",
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen",
]


def caption_rule_broken(text: str, start: float, end: float, slack: float = 0.0) -> str | None:
    """Why a caption cue breaks the reading rule, or None: at most 17 characters a second, at least 1.5 s on
    screen, at most two lines of at most 42 characters (a longer single word excepted). ``slack``: a frame."""
    lines = text.split("\n")
    flat = " ".join(lines)
    if end - start < 1.5 - slack:
        return f"{end - start:.2f} s on screen"
    if len(flat) / (end - start + slack) > 17 + 1e-9:
        return f"{len(flat) / (end - start):.1f} characters a second"
    if len(lines) > 2 or any(len(ln) > 42 and " " in ln for ln in lines):
        return f"lines {[len(ln) for ln in lines]}"
    return None


@pytest.mark.parametrize("line", READING_CASES)
def test_a_narration_line_is_cut_into_cues_that_fit_two_lines_and_are_the_line_again(line):
    from univ.narration import caption_text, cue_seconds, cue_starts, split_cues

    cues = split_cues(line)
    assert " ".join(cues) == " ".join(line.split())  # nothing lost, nothing added
    if " " in line.strip():  # enough cues for two lines of 42 each (one word too long for a line stays whole)
        assert len(cues) >= (len(" ".join(line.split())) - 1) // 84 + 1
    needs = [cue_seconds(c) for c in cues]
    spans = cue_starts(needs, 10.0, 10.0 + sum(needs) + 0.7)  # the animation runs 0.7 s past the words
    assert spans[0][0] == 10.0 and spans[-1][1] == pytest.approx(10.0 + sum(needs) + 0.7)
    for cue, (a, b) in zip(cues, spans):
        assert caption_rule_broken(caption_text(cue), a, b) is None, (cue, a, b)
    assert all(p[1] == q[0] for p, q in zip(spans, spans[1:]))


def test_cue_seconds_is_the_longer_of_reading_and_speech_and_refuses_nonsense():
    from univ.narration import SPEECH_GAP, cue_seconds

    assert cue_seconds("short") == 1.5
    assert cue_seconds("x" * 85) == pytest.approx(5.0)
    assert cue_seconds("short", speech=4.0) == pytest.approx(4.0 + SPEECH_GAP)
    assert cue_seconds("x" * 85, speech=1.0) == pytest.approx(5.0)
    for bad in (float("nan"), float("inf"), -1.0):
        with pytest.raises(ValueError):
            cue_seconds("x", speech=bad)


def test_captions_wrap_long_cues_in_two_lines_and_the_script_lists_cue_ids():
    cue = render_mod.Cue(0.0, 5.0, "Here is the function we want. The network starts flat, at its bias.", "bumps")
    cue = render_mod.Cue(0.0, 5.0, cue.text, "bumps", "bumps-1-1", 1)
    ((start, end, text),) = parse_srt(render_mod.srt_text([cue]))
    assert text.count("\n") == 1 and max(len(ln) for ln in text.split("\n")) <= 42
    assert " ".join(text.split("\n")) == cue.text
    assert "`bumps-1-1` Here is" in render_mod.narration_text([cue], ["bumps"], [5.0], "N")


@pytest.fixture(scope="module")
def explainer_2d(tmp_path_factory):
    out = tmp_path_factory.mktemp("two_d")
    return render_mod.render_run("explainer", "x*y - 0.5", neurons=10, resolution=(128, 72), frame_rate=4, out_dir=out)


@pytest.mark.render
@needs_manim
def test_every_cue_of_the_2d_explainer_can_be_read(explainer_2d):
    assert explainer_2d.scenes == tuple(render_mod.explainer_scenes(2))
    cues = parse_srt(explainer_2d.captions[0].read_text())
    assert len(cues) >= len(explainer_2d.scenes) * 2
    broken = [(t, caption_rule_broken(t, a, b, slack=1 / 4)) for a, b, t in cues]
    assert not [b for b in broken if b[1]], broken
    assert all(p[1] <= q[0] + 1e-6 for p, q in zip(cues, cues[1:]))


# -- one plan for a render -----------------------------------------------------------------------------------------
PLAN_CASES = [
    ({"neurons": 7.0}, "whole number"),
    ({"neurons": True}, "whole number"),
    ({"neurons": 1}, "from 2 to 200"),
    ({"neurons": 202}, "from 2 to 200"),
    ({"theme": "sepia"}, "unknown theme 'sepia'"),
    ({"aspect": "4:3"}, "unknown aspect '4:3'"),
    ({"hold": -0.1}, "hold must be"),
    ({"hold": float("inf")}, "hold must be"),
    ({"hold": "2"}, "hold must be"),
    ({"domain": (1, 0)}, "a < b"),
    ({"domain": (0, float("nan"))}, "a < b"),
    ({"ydomain": "ab"}, "ydomain must be"),
    ({"function": 3}, "function must be"),
    ({"voice": ""}, "voice must be"),
    ({"scenes": {"A": 1}}, "scenes must map"),
]


@pytest.mark.parametrize("kwargs, message", PLAN_CASES)
def test_the_render_plan_refuses_each_bad_setting_with_one_line(kwargs, message):
    with pytest.raises(univ.ConfigError) as info:
        univ.RenderPlan(**kwargs)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_the_render_plan_round_trips_through_json_and_reads_back_validated(tmp_path, monkeypatch):
    plan = univ.RenderPlan(
        function="x*y",
        neurons=12,
        domain=(-1, 2),
        ydomain=(0, 1),
        theme="light",
        aspect="9:16",
        hold=0,
        work=str(tmp_path),
        scenes={"TitleCard": "title"},
    )
    path = plan.write(tmp_path / "plan.json")
    monkeypatch.setenv(univ.PLAN_ENV, str(path))
    back = univ.read_plan()
    assert back == plan and back.domain == (-1.0, 2.0) and back.scene_name("TitleCard") == "title"
    assert back.scene_name("ReluHats") == "reluhats"
    monkeypatch.delenv(univ.PLAN_ENV)
    assert univ.read_plan() == univ.RenderPlan()  # plain manim: the defaults
    for text, message in (("[1]", "JSON object"), ("{", "not JSON"), ('{"neurons": 7, "colour": 1}', "colour")):
        with pytest.raises(univ.ConfigError, match=message):
            univ.RenderPlan.from_json(text)
    (tmp_path / "bad.json").write_text('{"theme": "neon"}')
    monkeypatch.setenv(univ.PLAN_ENV, str(tmp_path / "bad.json"))
    with pytest.raises(univ.ConfigError, match="neon"):
        univ.read_plan()


def test_the_scenes_read_one_plan_and_no_other_setting_from_the_environment():
    import ast

    for path in [*render_mod.scenes_dir().glob("*.py"), render_mod.Path(render_mod.__file__)]:
        text = path.read_text()
        assert "UNIV_" not in text.replace("UNIV_CACHE_DIR", ""), path.name
        for node in ast.walk(ast.parse(text)):  # os.environ is only ever asked for the plan's path
            if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                raise AssertionError(f"{path.name} reads os.environ[{ast.unparse(node.slice)}]")
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "os.environ.get":
                assert ast.unparse(node.args[0]) in ("PLAN_ENV", "'UNIV_CACHE_DIR'", "'XDG_CACHE_HOME'"), path.name


def test_the_scenes_colours_are_the_shared_palette(common):
    from univ.palette import PALETTES, palette

    assert common.PALETTE is PALETTES[common.THEME] and common.BACKGROUND == PALETTES[common.THEME]["background"]
    assert set(PALETTES["dark"]) == set(PALETTES["light"])
    assert palette("light") == PALETTES["light"] and palette("light") is not PALETTES["light"]
    with pytest.raises(univ.ConfigError, match="unknown theme"):
        palette("sepia")
