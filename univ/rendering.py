"""Rendering the explainer scenes to video, with captions and a script: Manim runs in a subprocess; the finished
files land atomically in outputs/.

Nothing here imports manim: a subprocess (:mod:`univ._scene_runner`) imports it once and runs Manim's own command
line for each scene in a forked child, a few at a time. What the scenes draw is one :class:`univ.plan.RenderPlan`,
validated here and written once as JSON; its path is the one environment variable the scenes read,
so each scene file also runs on its own with ``manim -ql scenes/<file>.py <Scene>`` (the defaults). Each scene
writes its narration with the time each cue starts and ends (a sidecar JSON); the renderer joins them into ``.srt``
and ``.vtt`` captions and a ``.narration.md`` script.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import subprocess as subprocess  # tests keep Manim from starting through univ.rendering.subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ._io import slug, write_atomic
from .captions import Cue, collect_cues, srt_text, vtt_text
from .constructions import METHODS, construct
from .constructions import names as method_names
from .data import looks_like_data_file
from .errors import ConfigError, ExpressionError, UnivError
from .manim_batch import _Batch, _keep_typeset, _ManimFailed, _seed_typeset
from .manim_batch import cache_dir as cache_dir
from .narration import caption_text
from .plan import ASPECTS as ASPECTS
from .plan import DEFAULT_FUNCTION, DEFAULT_HOLD, DEFAULT_NEURONS, PLAN_ENV, RenderPlan
from .render_options import SHORT_SIDE as SHORT_SIDE
from .render_options import _video_settings
from .scene_table import SCENES, SceneInfo
from .slides import deck_path, write_deck
from .target import parse
from .videofiles import _place, concat_mp4, transcode, video_seconds
from .videofiles import gif_delay as gif_delay
from .voice import VoiceError, add_audio, check_recordings, check_voice, track

MANIM_MISSING = (
    'manim is not installed, so videos cannot be rendered; install the video extra: pip install -e ".[video]"'
)
EXPLAINER = "explainer"
QUALITIES = {"low": "l", "medium": "m", "high": "h", "4k": "k"}  # manim's -q letters: 480p15, 720p30, 1080p60, 2160p60
FORMATS = ("mp4", "webm", "gif", "png")  # png: the last frame, as manim -s


def explainer_scenes(dimension: int = 1) -> list[str]:
    """The explainer's scenes for a function of 1 or 2 variables, in order."""
    return [name for name, info in SCENES.items() if dimension in info.dims]


def scenes_dir() -> Path:
    """The scene files: package data (``univ.scenes``, the checkout's ``scenes/`` folder installed inside the
    package), or the ``scenes/`` folder beside the package in a checkout installed before that."""
    spec = importlib.util.find_spec("univ.scenes")
    places = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    places.append(Path(__file__).resolve().parent.parent / "scenes")
    for here in places:
        if (here / "_common.py").is_file():
            return here
    raise UnivError(f"the scene files were not found (looked in {', '.join(map(str, places))}); reinstall univ")


def require_manim() -> None:
    """Raise a UnivError saying how to install Manim when it is not importable."""
    if importlib.util.find_spec("manim") is None:
        raise UnivError(MANIM_MISSING)


# -- checking what was asked, before any subprocess starts ----------------------------------------------------
def _check_neurons(neurons: int) -> int:
    """A count every 1D construction a scene shows accepts, as the construction registry says (bumps: pairs)."""
    return [METHODS[m].builder(1).check_neurons(neurons) for m in method_names(1, having="scene")][0]


def _missing_needs(info: SceneInfo) -> list[str]:
    """What the scene imports from univ that this copy does not export (a scene waiting for a newer univ)."""
    facade = sys.modules[__package__]  # always loaded before its submodules run: read here, never imported (no cycle)
    return [name for name in info.needs if not hasattr(facade, name)]


def _check_target(names: Sequence[str], function: str, neurons: int, domain, ydomain, explainer: bool):
    """Parse and check the function, and build the networks the 1D scenes will build, so errors surface here."""
    probe = parse(function)
    if probe.dimension == 2:
        target = parse(function, domain=domain, ydomain=ydomain).check()
    else:
        if ydomain is not None:
            raise ConfigError(f"ydomain is for a function of x and y; {function!r} uses x alone")
        target = parse(function, domain=domain).check()
    for name in names:
        if target.dimension not in SCENES[name].dims:
            what = "the explainer draws" if explainer else f"the {name} scene draws"
            raise ConfigError(
                f"{what} a function of x; {function!r} also uses y (the explainer of a function of "
                f"x and y shows {', '.join(explainer_scenes(2))})"
            )
    if target.dimension == 1 and any(1 in SCENES[n].neurons for n in names):
        for method in method_names(1, having="scene"):  # bumps and relu hinges
            construct(target, neurons, method=method)
    if target.dimension == 2 and any(2 in SCENES[n].neurons for n in names):
        construct(target, neurons=neurons)  # towers: at least one cell
    return target


def _check_scenes(scene: str, scenes) -> list[str] | None:
    """``scenes`` for the explainer: names of SCENES (a list, or one comma-separated string), each once."""
    if scenes is None:
        return None
    if scene != EXPLAINER:
        raise ConfigError(f"scenes picks the explainer's scenes; render {EXPLAINER} to use it, not {scene!r}")
    if isinstance(scenes, str):
        scenes = [p.strip() for p in scenes.split(",") if p.strip()]
    names = list(scenes)
    if not names:
        raise ConfigError(f"scenes must name at least one of {', '.join(SCENES)}")
    for n in names:
        if not isinstance(n, str) or n not in SCENES:
            raise ConfigError(f"unknown scene {n!r} in scenes; choose from {', '.join(SCENES)}")
    if len(set(names)) != len(names):
        raise ConfigError(f"scenes names a scene twice: {','.join(names)}")
    return names


# -- running manim ----------------------------------------------------------------------------------------------
def _manim_args(info: SceneInfo, media: Path, video: dict, name: str) -> list[str]:
    """Manim's command line for one scene (as after ``manim``), writing ``<name>.mp4`` (or its last frame as a
    PNG) under ``media``."""
    args = [
        "render",
        "--media_dir",
        str(media),
        "--disable_caching",
        "--progress_bar",
        "none",
        "-v",
        "WARNING",
        "-o",
        name,
    ]
    if video.get("config_file"):
        args += ["--config_file", str(video["config_file"])]
    if video.get("quality"):
        args += [f"-q{QUALITIES[video['quality']]}"]
    if video.get("resolution"):
        args += ["--resolution", f"{video['resolution'][0]},{video['resolution'][1]}"]
    if video.get("frame_rate"):
        args += ["--frame_rate", f"{video['frame_rate']:g}"]
    if video.get("still"):
        args += ["-s"]
    return args + [str(scenes_dir() / info.file), info.cls]


def _render_all(
    names: list[str], env: dict[str, str], video: dict, workers: int, work: Path, say: Callable[[str], None]
) -> list[Path]:
    """Render the scenes (``workers`` at a time) and return their files in order (MP4, or PNG for a still); raise
    _ManimFailed on the first failure, having stopped the others. Reports each beat as it starts."""
    still = bool(video.get("still"))
    jobs = []
    for name in names:
        media = work / name
        _seed_typeset(media)
        jobs.append(
            {
                "name": name,
                "log": str(work / f"{name}.log"),
                "args": _manim_args(SCENES[name], media, video, name),
            }
        )
    jobs.sort(key=lambda job: -SCENES[job["name"]].seconds * SCENES[job["name"]].cost)  # longest first: no tail
    found: dict[str, Path] = {}
    seen: dict[str, int] = {}

    def poll() -> None:
        """Say each beat a scene has started since the last look."""
        for name in names:
            f = work / f"{name}.progress"
            if name in found or not f.exists():
                continue
            try:
                lines = f.read_text(errors="replace").splitlines()
            except OSError:
                continue
            for line in lines[seen.get(name, 0) :]:
                try:
                    beat = json.loads(line)
                except ValueError:
                    continue
                text = beat["text"] if len(beat["text"]) <= 70 else beat["text"][:69] + "…"
                say(f"  {name} [{beat['beat']}] {text}")
            seen[name] = len(lines)

    batch = _Batch(jobs, workers, env, work)
    try:
        for name, code, seconds in batch.events(poll):
            log = Path(work / f"{name}.log").read_text(errors="replace") if (work / f"{name}.log").exists() else ""
            pattern = f"images/**/{name}*.png" if still else f"videos/**/{name}.mp4"
            made = sorted((work / name).glob(pattern))
            if code != 0 or not made:
                raise _ManimFailed(name, code, log if made or code else log + "\n(no file was written)")
            found[name] = made[0]
            _keep_typeset(work / name)
            if still:
                say(f"  {name}: last frame in {seconds:.1f} s")
            else:
                say(f"  {name}: {video_seconds(made[0]):.1f} s of video in {seconds:.1f} s")
    except BaseException:
        batch.stop()
        raise
    batch.stop()
    return [found[n] for n in names]


def narration_text(cues: Sequence[Cue], names: Sequence[str], lengths: Sequence[float], title: str) -> str:
    """The script to read as a voice-over: scene by scene, each cue with its time and its id (the file name of its
    recording for ``--voice DIR``)."""

    def mmss(t: float) -> str:
        return f"{int(t // 60):02d}:{t % 60:04.1f}"

    out, offset = [f"# {title}", ""], 0.0
    for i, (name, length) in enumerate(zip(names, lengths), start=1):
        out += [f"## {i}. {name} ({mmss(offset)}–{mmss(offset + length)})", "", f"*{SCENES[name].description}*", ""]
        out += [
            f"- **{mmss(c.start)}–{mmss(c.end)}** " + (f"`{c.id}` " if c.id else "") + c.text
            for c in cues
            if c.scene == name
        ]
        out.append("")
        offset += length
    return "\n".join(out)


# -- the entry point --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rendered:
    """What a render wrote: the video (or still), its captions and script, and what went into it."""

    video: Path
    scenes: tuple[str, ...]
    seconds: float  # length of the video (0 for a still)
    neurons: int | None  # None: no scene drawn uses them
    captions: tuple[Path, ...] = ()  # .srt and .vtt
    narration: Path | None = None
    cues: int = 0
    slides: Path | None = None  # the slide deck's folder (index.html and one clip per beat), with slides=True
    voice: str | None = None  # "espeak", the folder of recordings, or None: silent

    @property
    def files(self) -> list[Path]:
        return [
            self.video,
            *self.captions,
            *([self.narration] if self.narration else []),
            *([self.slides] if self.slides else []),
        ]

    def as_dict(self) -> dict:
        return {
            "video": str(self.video),
            "captions": [str(p) for p in self.captions],
            "narration": str(self.narration) if self.narration else None,
            "scenes": list(self.scenes),
            "seconds": round(self.seconds, 3),
            "neurons": self.neurons,
            "cues": self.cues,
            "slides": str(self.slides) if self.slides else None,
            "voice": self.voice,
            "files": [str(p) for p in self.files],
        }


# -- the steps of a render ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Request:
    """A render, checked: what to draw (the plan), which scenes, the video's settings, and where it goes."""

    scene: str
    names: tuple[str, ...]
    plan: RenderPlan
    video: dict
    format: str
    captions: bool
    slides: bool
    dest: Path
    uses_neurons: bool
    workers: int

    @property
    def what(self) -> str:
        return f"{EXPLAINER} ({len(self.names)} scenes)" if self.scene == EXPLAINER else self.scene

    @property
    def subject(self) -> str:
        return f"f = {self.plan.function}" + (f", {self.plan.neurons} neurons" if self.uses_neurons else "")


def _check_options(scene, quality, format, captions, slides, jobs, voice) -> None:
    """The options that need nothing else to be checked."""
    if not isinstance(scene, str) or (scene not in SCENES and scene != EXPLAINER):
        raise ConfigError(f"unknown scene {scene!r}; choose one of {', '.join(SCENES)} or {EXPLAINER}")
    if quality is not None and quality not in QUALITIES:
        raise ConfigError(f"unknown quality {quality!r}; choose one of {', '.join(QUALITIES)}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ConfigError(f"jobs must be a whole number of at least 1, got {jobs!r}")
    if format not in FORMATS:
        raise ConfigError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    for name, value in (("captions", captions), ("slides", slides)):
        if not isinstance(value, bool):
            raise ConfigError(f"{name} must be True or False, got {value!r}")
    if slides and format == "png":
        raise ConfigError("slides play the video beat by beat; format png is a single frame: use mp4, webm or gif")
    if voice is not None and format in ("gif", "png"):
        raise ConfigError(f"{format} has no audio; a voice needs format mp4 or webm")


def _pick_scenes(scene: str, function: str, picked, format: str, say) -> list[str]:
    """The scenes to render, in order: the explainer's (or those picked) that this copy of univ can draw."""
    if isinstance(function, str) and looks_like_data_file(function):
        raise ConfigError(
            f"videos animate a formula; {function} is a data file: use univ approx or univ page for measured data"
        )
    dimension = parse(function).dimension if isinstance(function, str) else 1
    names = (picked or explainer_scenes(dimension)) if scene == EXPLAINER else [scene]
    missing = {n: _missing_needs(SCENES[n]) for n in names}
    if scene != EXPLAINER and missing[scene]:
        raise UnivError(f"the {scene} scene needs univ.{missing[scene][0]}, which this copy of univ does not have")
    for n in names:
        if missing[n]:
            say(f"  {n}: skipped (needs univ.{missing[n][0]})")
    names = [n for n in names if not missing[n]]
    return names[-1:] if format == "png" else names  # a still: the last frame of the video is the last scene's


def _destination(out_dir, scene: str, plan: RenderPlan, names, picked, video: dict, uses: bool, fmt: str) -> Path:
    """The file the render writes: its name says every choice that differs from the defaults."""
    out = Path(out_dir) if out_dir is not None else Path("outputs")
    out.mkdir(parents=True, exist_ok=True)
    parts = ([plan.neurons] if uses else []) + [video["label"]] + ([video["rate"]] if video["rate"] else [])
    if plan.domain is not None:
        parts.append(f"{plan.domain[0]:g}..{plan.domain[1]:g}")
    if plan.ydomain is not None:
        parts.append(f"y{plan.ydomain[0]:g}..{plan.ydomain[1]:g}")
    if picked is not None:
        parts.append("-".join(names) if len(names) <= 3 else f"{len(names)}scenes")
    if plan.hold != DEFAULT_HOLD:
        parts.append(f"hold{plan.hold:g}")
    if plan.theme != "dark":
        parts.append(plan.theme)
    if plan.aspect != "16:9":
        parts.append(plan.aspect.replace(":", "x"))
    if plan.voice is not None:
        parts.append("espeak" if plan.voice == "espeak" else "voiced")
    return out / f"{scene}_{slug(plan.function, *parts)}.{fmt}"


def _request(scene, function, neurons, quality, out_dir, resolution, frame_rate, *, say, **o) -> _Request:
    """Check everything asked, before any subprocess starts, and say what will be rendered."""
    _check_options(scene, quality, o["format"], o["captions"], o["slides"], o["jobs"], o["voice"])
    if isinstance(function, str) and not function.strip():
        raise ExpressionError("empty expression")  # as the parser says it: never a default function in its place
    plan = RenderPlan(
        function=function if isinstance(function, str) else DEFAULT_FUNCTION,
        neurons=DEFAULT_NEURONS if neurons is None else neurons,
        theme=o["theme"],
        aspect=o["aspect"],
        hold=DEFAULT_HOLD if o["hold"] is None else o["hold"],
        voice=o["voice"],
    )
    plan = replace(plan, voice=check_voice(plan.voice))
    _check_neurons(plan.neurons)
    picked = _check_scenes(scene, o["scenes"])
    video = _video_settings(quality, resolution, frame_rate, plan.aspect, o["config_file"], o["format"] == "png")
    names = _pick_scenes(scene, function, picked, o["format"], lambda line: None)
    target = _check_target(names, function, plan.neurons, o["domain"], o["ydomain"], explainer=scene == EXPLAINER)
    plan = replace(
        plan,
        domain=target.domain[0] if o["domain"] is not None else None,
        ydomain=target.domain[1] if o["ydomain"] is not None and target.dimension == 2 else None,
        scenes={SCENES[n].cls: n for n in names},
    )
    uses = any(target.dimension in SCENES[n].neurons for n in names)
    if plan.voice not in (None, "espeak"):
        check_recordings(plan.voice, names)  # a bad recording is refused before Manim starts
    require_manim()
    scenes_dir()
    dest = _destination(out_dir, scene, plan, names, picked, video, uses, o["format"])
    workers = o["jobs"] or max(1, min(2, os.cpu_count() or 1))
    req = _Request(scene, tuple(names), plan, video, o["format"], o["captions"], o["slides"], dest, uses, workers)
    rate = f" at {video['rate']}" if video["rate"] else ""
    say(
        f"univ render  {req.what}: {plan.function}"
        + (f", {plan.neurons} neurons" if uses else "")
        + f", {video['label']}{rate}, {plan.theme}, {plan.aspect}, {req.format}"
    )
    if neurons is not None and not uses:
        say(f"  (neurons not used: {', '.join(names)} draw{'s' if len(names) == 1 else ''} no constructed net)")
    _pick_scenes(scene, function, picked, o["format"], say)  # says which scenes are skipped
    return req


def _render_scenes(req: _Request, work: Path, say: Callable[[str], None]) -> list[Path]:
    """Write the plan into ``work`` and render the scenes; a Manim failure leaves its log beside the video."""
    env = dict(os.environ)
    env.update({PLAN_ENV: str(replace(req.plan, work=str(work)).write(work / "plan.json")), "COLUMNS": "160"})
    env["PYTHONUNBUFFERED"] = "1"
    try:
        return _render_all(list(req.names), env, req.video, req.workers, work, say)
    except _ManimFailed as exc:
        said = sorted(work.glob("*.voice-error"))
        if said:  # a recording the scene could not use: the user's input, one line, nothing written
            raise VoiceError(said[0].read_text(errors="replace").strip()) from None
        log = req.dest.with_name(req.dest.stem + ".log")
        write_atomic(log, exc.log.encode())
        where = f"on the {exc.scene} scene" if exc.scene else "to start"
        raise UnivError(f"manim failed {where} (exit {exc.code}): {exc.last} — full log: {log}") from None


def _write_captions(req: _Request, cues: list[Cue], lengths: list[float]) -> tuple[tuple[Path, ...], Path | None]:
    """The .srt and .vtt captions and the .narration.md script beside the video (none without captions)."""
    if not req.captions:
        return (), None
    srt, vtt = req.dest.with_suffix(".srt"), req.dest.with_suffix(".vtt")
    narration = req.dest.with_name(req.dest.stem + ".narration.md")
    write_atomic(srt, srt_text(cues).encode())
    write_atomic(vtt, vtt_text(cues).encode())
    title = f"Narration: {req.what} for {req.subject}"
    write_atomic(narration, narration_text(cues, req.names, lengths, title).encode())
    return (srt, vtt), narration


def _write_slides(req: _Request, mp4: Path, cues: list[Cue], say: Callable[[str], None]) -> Path | None:
    """The slide deck beside the video: a slide per caption cue, worded as captioned."""
    if not req.slides:
        return None
    deck, t0 = deck_path(req.dest), time.perf_counter()
    shown = [replace(c, text=caption_text(c.text)) for c in cues]
    made = write_deck(mp4, shown, deck, theme=req.plan.theme, title=f"{req.what}: {req.subject}")
    say(f"  slides: {len(made)} in {deck} ({time.perf_counter() - t0:.1f} s)")
    return deck


def _finish(req: _Request, files: list[Path], work: Path, say: Callable[[str], None]) -> Rendered:
    """Join the scenes, convert, write captions, script and slides, and move the video into place."""
    neurons = req.plan.neurons if req.uses_neurons else None
    if req.format == "png":
        _place(files[0], req.dest)
        return Rendered(req.dest, req.names, 0.0, neurons)
    lengths = [video_seconds(f) for f in files]
    mp4 = files[0]
    if len(files) > 1:
        mp4 = work / f"{req.scene}.mp4"
        concat_mp4(files, mp4)
    final = mp4
    if req.format != "mp4":
        final = work / f"{req.scene}.{req.format}"
        say(f"  converting to {req.format}")
        transcode(mp4, final, req.format)
    cues = collect_cues(req.names, work, lengths) if req.captions or req.slides or req.plan.voice else []
    if req.plan.voice is not None:
        say(f"  voice: {sum(1 for c in cues if c.audio)} cues spoken")
        voiced = work / f"{req.scene}.voiced.{req.format}"
        samples = track([(c.start, Path(c.audio)) for c in cues if c.audio], video_seconds(mp4))
        add_audio(final, samples, voiced, req.format)
        final = voiced
    written, narration = _write_captions(req, cues, lengths)
    deck = _write_slides(req, mp4, cues, say)
    _place(final, req.dest)
    count = len(cues) if req.captions else 0
    seconds = float(sum(lengths))
    return Rendered(req.dest, req.names, seconds, neurons, written, narration, count, deck, req.plan.voice)


def render(*args: Any, **options: Any) -> Path:
    """Render one explainer scene, or the whole explainer, and return the video's path.

    The same as :func:`render_run` (which see for every option; its signature is this one's), returning only the
    video.
    """
    return render_run(*args, **options).video


def render_run(
    scene: str,
    function: str = "sin(3x)",
    neurons: int | None = None,
    quality: str | None = None,
    out_dir: str | os.PathLike | None = None,
    resolution: tuple[int, int] | None = None,
    frame_rate: float | None = None,
    *,
    domain: tuple[float, float] | None = None,
    ydomain: tuple[float, float] | None = None,
    scenes: Sequence[str] | str | None = None,
    hold: float | None = None,
    theme: str = "dark",
    aspect: str = "16:9",
    format: str = "mp4",
    captions: bool = True,
    config_file: str | os.PathLike | None = None,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    slides: bool = False,
    voice: str | None = None,
) -> Rendered:
    """Render one explainer scene, or the whole explainer, with its captions and script.

    Parameters
    ----------
    scene : str
        A key of ``SCENES``, or ``"explainer"``: the scenes in order (``scenes``), joined into one video.
    function : str
        What to approximate, as typed (parsed by :func:`univ.parse`, never evaluated as Python). A function of x
        and y gets the 2D explainer (title, step, bump, towers, closing).
    neurons : int, optional
        Hidden neurons of the hand-built networks: even, from 2 to 200 (default 20). Only scenes that draw a
        constructed net use it; the file name and the report mention it only then.
    quality : str, optional
        ``low`` (480p15, the default), ``medium`` (720p30), ``high`` (1080p60) or ``4k`` (2160p60). With a
        ``manim.cfg`` that sets the size or frame rate, the config decides.
    out_dir : path, optional
        Folder for the files; default ``outputs/``.
    resolution : (int, int), optional
        Width and height in pixels instead of the quality's (their ratio must match ``aspect``).
    frame_rate : float, optional
        Frames per second instead of the quality's.
    domain, ydomain : (float, float), optional
        The x interval (default [0, 1]) and, for a function of x and y, the y interval.
    scenes : list of str or "a,b,c", optional
        The explainer's scenes, in the order given (default: all that fit the function).
    hold : float, optional
        Seconds each scene's conclusion stays on screen; default 2.5.
    theme : {"dark", "light"}
        One palette per theme; light is for slides and projectors.
    aspect : {"16:9", "9:16", "1:1"}
        Portrait and square reflow the scenes (plots above text, larger type).
    format : {"mp4", "webm", "gif", "png"}
        png: the last frame only, as ``manim -s``.
    captions : bool
        Write ``.srt``, ``.vtt`` and ``.narration.md`` beside the video (not for png).
    config_file : path, optional
        A ``manim.cfg`` to honour; default ``./manim.cfg`` when there is one.
    jobs : int, optional
        Scenes rendered at once for the explainer; default 2 (or 1 on a one-core machine).
    progress : callable, optional
        Called with one short line per beat as it starts and per finished scene.
    slides : bool
        Also write a slide deck beside the video: ``<stem>.slides/`` with ``index.html`` (offline, no CDN) and one
        H.264 clip per narrated beat (see :mod:`univ.slides`). Not for png.
    voice : str, optional
        ``"espeak"``: espeak-ng reads each caption cue; or a folder of recordings, one audio file per cue named by
        the cue ids the ``.narration.md`` script lists (``title-1-1.wav`` ...). Each beat lasts as long as its
        speech (or its reading time, if longer); the audio is AAC in mp4, Opus in webm. Not for gif or png. A
        missing, unreadable or silent recording is a :class:`univ.voice.VoiceError` naming the cue, and nothing
        is written.

    Returns
    -------
    Rendered
        The files written (moved into place atomically: an interrupted render leaves no partial file).

    Raises
    ------
    UnivError
        For an unknown scene, a bad function or option (before Manim starts), when Manim is not installed,
        or when Manim fails (the message names the scene and its last line; the full log is kept beside the video).
    """
    say = progress or (lambda line: None)
    req = _request(
        scene,
        function,
        neurons,
        quality,
        out_dir,
        resolution,
        frame_rate,
        say=say,
        domain=domain,
        ydomain=ydomain,
        scenes=scenes,
        hold=hold,
        theme=theme,
        aspect=aspect,
        format=format,
        captions=captions,
        config_file=config_file,
        jobs=jobs,
        slides=slides,
        voice=voice,
    )
    with tempfile.TemporaryDirectory(prefix="univ-render-") as tmp:
        work = Path(tmp)
        files = _render_scenes(req, work, say)
        return _finish(req, files, work, say)


render.__signature__ = inspect.signature(render_run).replace(return_annotation="Path")  # help(render) shows it
