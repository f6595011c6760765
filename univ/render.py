"""Rendering the explainer scenes to MP4: Manim runs in a subprocess; the finished file lands atomically in outputs/.

Nothing here imports manim: the scenes in ``scenes/`` do, inside the subprocess. Their parameters travel as
environment variables (``UNIV_FUNCTION``, ``UNIV_NEURONS``, ``UNIV_DOMAIN``), so each scene file also runs on its
own with ``manim -ql scenes/<file>.py <Scene>``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ._io import slug, write_atomic
from .errors import ConfigError, UnivError

MANIM_MISSING = 'manim is not installed, so videos cannot be rendered; install the video extra: pip install -e ".[video]"'
EXPLAINER = "explainer"
QUALITIES = {"low": "l", "medium": "m", "high": "h", "4k": "k"}  # manim's -q letters: 480p15, 720p30, 1080p60, 2160p60
MAX_NEURONS = 200  # the scenes draw every neuron; more would not be visible
MAX_SIDE = 7680  # pixels
MAX_FRAME_RATE = 120.0
ENV_FUNCTION, ENV_NEURONS, ENV_DOMAIN = "UNIV_FUNCTION", "UNIV_NEURONS", "UNIV_DOMAIN"


@dataclass(frozen=True)
class SceneInfo:
    """One explainer scene: where it is, what it shows, and roughly how long it runs (seconds, at any quality)."""

    file: str
    cls: str
    description: str
    seconds: float
    needs: tuple[str, ...] = ()  # univ modules the scene uses beyond the 1D core
    dims: tuple[int, ...] = (1,)  # what the function may use: (1,) x only; (1, 2) x, or x and y (or it is ignored)


# In explainer order; the explainer renders all of them, one after another.
SCENES: dict[str, SceneInfo] = {
    "title": SceneInfo("title.py", "TitleCard", "title card: the claim, and the function the video builds", 3.9,
                       dims=(1, 2)),
    "step": SceneInfo("step.py", "SigmoidStep", "a sigmoid neuron's weight grows until it is a step at s = -b/w",
                      11.7, dims=(1, 2)),
    "bump": SceneInfo("bump.py", "StepsMakeBump", "two steps with output weights +h and -h make a bump of height h",
                      11.3, dims=(1, 2)),
    "bumps": SceneInfo("approximate.py", "BumpsApproximate",
                       "bumps added one at a time approximate f; more neurons, smaller error", 14.8),
    "network": SceneInfo("diagram.py", "NetworkDiagram",
                         "the network diagram, each pair of neurons lit up with the bump it adds", 13.3),
    "towers": SceneInfo("towers.py", "TowersIn2D", "in 2D: x-step, y-step, a cross, a tower, towers making a surface",
                        14.0, needs=("construct2d",), dims=(1, 2)),
    "trained": SceneInfo("trained.py", "ConstructedVsTrained",
                         "a trained net learning f over the epochs, beside the constructed one, with its loss", 11.5,
                         needs=("fit",)),
    "relu": SceneInfo("relu.py", "ReluHats", "ReLU hats add up to the piecewise-linear interpolant; error 1/N^2",
                      16.0),
    "depth": SceneInfo("depth.py", "SawtoothDepth", "why depth: k layers of 2 ReLUs fold a line into 2^k pieces",
                       11.5, needs=("depth",), dims=(1, 2)),
}


def scenes_dir() -> Path:
    """The ``scenes/`` folder beside the package (univ is installed editable from its checkout)."""
    here = Path(__file__).resolve().parent.parent / "scenes"
    if not (here / "_common.py").is_file():
        raise UnivError(f"the scenes folder was not found at {here}; install univ from its checkout with pip install -e .")
    return here


def require_manim() -> None:
    """Raise a UnivError saying how to install Manim when it is not importable."""
    if importlib.util.find_spec("manim") is None:
        raise UnivError(MANIM_MISSING)


# -- checking what was asked, before any subprocess starts ----------------------------------------------------
def _check_neurons(neurons) -> int:
    if isinstance(neurons, bool) or not isinstance(neurons, int):
        raise ConfigError(f"neurons must be a whole number, got {neurons!r}")
    if not 2 <= neurons <= MAX_NEURONS or neurons % 2:
        raise ConfigError(f"neurons must be an even number from 2 to {MAX_NEURONS} (bumps are pairs), got {neurons}")
    return neurons


def _check_resolution(resolution) -> tuple[int, int] | None:
    if resolution is None:
        return None
    try:
        w, h = resolution
    except (TypeError, ValueError):
        raise ConfigError(f"resolution must be two whole numbers (width, height), got {resolution!r}") from None
    for v in (w, h):
        if isinstance(v, bool) or not isinstance(v, int) or not 16 <= v <= MAX_SIDE or v % 2:
            raise ConfigError(f"resolution sides must be even whole numbers from 16 to {MAX_SIDE}, got {resolution!r}")
    return w, h


def _check_frame_rate(frame_rate) -> float | None:
    if frame_rate is None:
        return None
    if isinstance(frame_rate, bool) or not isinstance(frame_rate, (int, float)) or not 1 <= frame_rate <= MAX_FRAME_RATE:
        raise ConfigError(f"frame_rate must be a number from 1 to {MAX_FRAME_RATE:g}, got {frame_rate!r}")
    return float(frame_rate)


def _missing_needs(info: SceneInfo) -> list[str]:
    return [m for m in info.needs if importlib.util.find_spec(f"univ.{m}") is None]


def _check_target(names: Sequence[str], function: str, neurons: int, domain, explainer: bool):
    """Parse and check the function, and build the networks the 1D scenes will build, so errors surface here."""
    from .construct import construct
    from .parse import parse

    target = parse(function, domain=domain).check()
    for name in names:
        if target.dimension not in SCENES[name].dims:
            what = "the explainer draws" if explainer else f"the {name} scene draws"
            raise ConfigError(f"{what} a function of x; {function!r} also uses y (render the towers scene alone "
                              "for a surface)")
    if target.dimension == 1:
        construct(target, neurons)
        construct(target, neurons, method="relu")
    return target


# -- running manim ----------------------------------------------------------------------------------------------
def cache_dir() -> Path:
    """Where typeset formulas and texts are kept between renders (``UNIV_CACHE_DIR``, else ~/.cache/univ)."""
    root = os.environ.get("UNIV_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "univ"
    return Path(root) / "manim"


_TYPESET = ("Tex", "texts")  # manim's folders of compiled LaTeX and Pango SVGs, under its media dir


def _seed_typeset(media: Path) -> None:
    """Copy cached SVGs into a fresh media dir: LaTeX then skips formulas it has already compiled."""
    for sub in _TYPESET:
        src, dst = cache_dir() / sub, media / sub
        dst.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            for f in src.glob("*.svg"):
                try:
                    shutil.copyfile(f, dst / f.name)
                except OSError:
                    pass  # a cache is only a cache


def _keep_typeset(media: Path) -> None:
    """Put new SVGs into the cache, each by an atomic rename, so parallel renders never see half a file."""
    for sub in _TYPESET:
        src, dst = media / sub, cache_dir() / sub
        if not src.is_dir():
            continue
        try:
            dst.mkdir(parents=True, exist_ok=True)
            for f in src.glob("*.svg"):
                if not (dst / f.name).exists():
                    write_atomic(dst / f.name, f.read_bytes())
        except OSError:
            pass


class _Batch:
    """The manim processes of one render call, so an error or Ctrl-C anywhere stops all of them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.live: set[subprocess.Popen] = set()
        self.stopped = False

    def run(self, cmd: list[str], **kwargs) -> tuple[int, str]:
        """Run ``cmd`` to the end and return its exit code and output (stdout and stderr together)."""
        with self.lock:
            if self.stopped:
                raise _Cancelled
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, errors="replace", **kwargs)
            self.live.add(proc)
        try:
            log, _ = proc.communicate()
        finally:
            with self.lock:
                self.live.discard(proc)
        return proc.returncode, log

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            procs = list(self.live)
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


class _Cancelled(Exception):
    """A scene not started because the render was already stopped."""


def _manim_command(info: SceneInfo, media: Path, quality: str, resolution, frame_rate, name: str) -> list[str]:
    cmd = [sys.executable, "-m", "manim", "render", f"-q{QUALITIES[quality]}", "--media_dir", str(media),
           "--disable_caching", "--progress_bar", "none", "-v", "WARNING", "-o", name]
    if resolution:
        cmd += ["--resolution", f"{resolution[0]},{resolution[1]}"]
    if frame_rate:
        cmd += ["--frame_rate", f"{frame_rate:g}"]
    return cmd + [str(scenes_dir() / info.file), info.cls]


def _render_one(batch: _Batch, scene: str, env: dict[str, str], quality: str, resolution, frame_rate,
                work: Path) -> Path:
    """Run manim on one scene in its own media dir under ``work``; return the MP4."""
    info = SCENES[scene]
    media = work / scene
    _seed_typeset(media)
    cmd = _manim_command(info, media, quality, resolution, frame_rate, scene)
    code, log = batch.run(cmd, env=env, cwd=work)
    if code != 0:
        raise _ManimFailed(scene, code, log)
    found = sorted(media.glob(f"videos/**/{scene}.mp4"))
    if not found:
        raise _ManimFailed(scene, 0, log + "\n(no MP4 was written)")
    _keep_typeset(media)
    return found[0]


class _ManimFailed(Exception):
    def __init__(self, scene: str, code: int, log: str):
        self.scene, self.code, self.log = scene, code, log
        lines = [ln.strip(" │╭╮╰╯─") for ln in log.splitlines()]
        lines = [ln for ln in lines if ln.strip()]
        self.last = lines[-1].strip() if lines else "no output"
        super().__init__(self.last)


def _place(src: Path, dest: Path) -> None:
    """Move a finished file to ``dest`` atomically: copy beside it under a hidden name, then rename."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            shutil.copyfileobj(inp, out, 1 << 20)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def video_seconds(path: Path) -> float:
    """Length of an MP4's video stream in seconds (read with PyAV, which Manim brings)."""
    import av

    with av.open(str(path)) as c:
        s = c.streams.video[0]
        if s.duration is not None:
            return float(s.duration * s.time_base)
        return float(c.duration or 0) / 1e6


def concat_mp4(parts: Sequence[Path], dest: Path) -> None:
    """Join MP4s of the same size, rate and codec into one, copying packets (no re-encoding), with PyAV."""
    import av

    with av.open(str(dest), "w", format="mp4") as out:
        stream = None
        offset = Fraction(0)  # seconds already written
        for part in parts:
            with av.open(str(part)) as inp:
                src = inp.streams.video[0]
                if stream is None:
                    stream = out.add_stream_from_template(src)
                elif (src.codec_context.width, src.codec_context.height) != (stream.codec_context.width,
                                                                              stream.codec_context.height):
                    raise UnivError(f"cannot join {part.name}: its frame size differs from the first part's")
                tb = src.time_base
                shift = round(offset / tb)
                end = offset
                for packet in inp.demux(src):
                    if packet.dts is None:  # the demuxer's end-of-stream marker
                        continue
                    packet.pts += shift
                    packet.dts += shift
                    end = max(end, Fraction(packet.pts + (packet.duration or 0)) * tb)
                    packet.stream = stream
                    out.mux(packet)
                offset = end


# -- the entry point --------------------------------------------------------------------------------------------
def render(
    scene: str,
    function: str = "sin(3x)",
    neurons: int = 20,
    quality: str = "low",
    out_dir: str | os.PathLike | None = None,
    resolution: tuple[int, int] | None = None,
    frame_rate: float | None = None,
    *,
    domain: tuple[float, float] | None = None,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Render one explainer scene, or the whole explainer, to an MP4 and return its path.

    Parameters
    ----------
    scene : str
        A key of ``SCENES``, or ``"explainer"``: the title card and every scene in order, joined into one video.
    function : str
        What to approximate, as typed (parsed by :func:`univ.parse`, never evaluated as Python).
    neurons : int
        Hidden neurons of the hand-built networks: even, from 2 to 200.
    quality : str
        ``low`` (854×480, 15 fps), ``medium`` (1280×720, 30), ``high`` (1920×1080, 60) or ``4k`` (3840×2160, 60).
    out_dir : path, optional
        Folder for the MP4; default ``outputs/``.
    resolution : (int, int), optional
        Width and height in pixels instead of the quality's.
    frame_rate : float, optional
        Frames per second instead of the quality's.
    domain : (float, float), optional
        The x interval; default [0, 1].
    jobs : int, optional
        Scenes rendered at once for the explainer; default 2 (or 1 on a one-core machine).
    progress : callable, optional
        Called with one short line per finished scene (the CLI prints them).

    Returns
    -------
    Path
        The MP4, moved into place atomically: an interrupted render leaves no partial file.

    Raises
    ------
    UnivError
        For an unknown scene, a bad function or option (before Manim starts), when Manim is not installed,
        or when Manim fails (the message names the scene and its last line; the full log is kept beside the video).
    """
    if not isinstance(scene, str) or (scene not in SCENES and scene != EXPLAINER):
        raise ConfigError(f"unknown scene {scene!r}; choose one of {', '.join(SCENES)} or {EXPLAINER}")
    if quality not in QUALITIES:
        raise ConfigError(f"unknown quality {quality!r}; choose one of {', '.join(QUALITIES)}")
    neurons = _check_neurons(neurons)
    resolution = _check_resolution(resolution)
    frame_rate = _check_frame_rate(frame_rate)
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ConfigError(f"jobs must be a whole number of at least 1, got {jobs!r}")
    names = list(SCENES) if scene == EXPLAINER else [scene]
    missing = {n: _missing_needs(SCENES[n]) for n in names}
    if scene != EXPLAINER and missing[scene]:
        raise UnivError(f"the {scene} scene needs univ.{missing[scene][0]}, which this copy of univ does not have")
    names = [n for n in names if not missing[n]]
    target = _check_target(names, function, neurons, domain, explainer=scene == EXPLAINER)
    require_manim()
    scenes_dir()
    out = Path(out_dir) if out_dir is not None else Path("outputs")
    out.mkdir(parents=True, exist_ok=True)
    size = f"{resolution[0]}x{resolution[1]}" if resolution else quality
    rate = f"{frame_rate:g}fps" if frame_rate else None
    parts = [size] + ([rate] if rate else [])
    if domain is not None:
        parts.append(f"{target.domain[0][0]:g}..{target.domain[0][1]:g}")
    dest = out / f"{scene}_{slug(function, neurons, *parts)}.mp4"
    say = progress or (lambda line: None)
    what = f"{EXPLAINER} ({len(names)} scenes)" if scene == EXPLAINER else scene
    say(f"univ render  {what}: {function}, {neurons} neurons, {size}" + (f" at {rate}" if rate else ""))
    for n in SCENES:
        if missing.get(n) and scene == EXPLAINER:
            say(f"  {n}: skipped (needs univ.{missing[n][0]})")

    env = dict(os.environ)
    env.update({ENV_FUNCTION: function, ENV_NEURONS: str(neurons), "COLUMNS": "160", "PYTHONUNBUFFERED": "1"})
    if domain is not None:
        env[ENV_DOMAIN] = f"{target.domain[0][0]!r},{target.domain[0][1]!r}"
    else:
        env.pop(ENV_DOMAIN, None)

    workers = jobs or max(1, min(2, os.cpu_count() or 1))
    batch = _Batch()
    with tempfile.TemporaryDirectory(prefix="univ-render-") as tmp:
        work = Path(tmp)

        def one(name: str) -> Path:
            t0 = time.perf_counter()
            mp4 = _render_one(batch, name, env, quality, resolution, frame_rate, work)
            say(f"  {name}: {video_seconds(mp4):.1f} s of video in {time.perf_counter() - t0:.1f} s")
            return mp4

        try:
            if len(names) == 1:
                files = [one(names[0])]
            else:
                with ThreadPoolExecutor(max_workers=workers) as pool:
                    futures = [pool.submit(one, n) for n in names]
                    try:
                        done, _ = wait(futures, return_when=FIRST_EXCEPTION)  # a failure stops the rest at once
                        failed = [f for f in futures if f in done and f.exception() is not None]
                        if failed:
                            raise failed[0].exception()
                        files = [f.result() for f in futures]
                    except BaseException:
                        for f in futures:
                            f.cancel()
                        batch.stop()
                        raise
        except _ManimFailed as exc:
            log = dest.with_name(dest.stem + ".log")
            write_atomic(log, exc.log.encode())
            raise UnivError(f"manim failed on the {exc.scene} scene (exit {exc.code}): {exc.last} — full log: {log}") \
                from None
        except BaseException:
            batch.stop()
            raise
        if len(files) == 1:
            _place(files[0], dest)
        else:
            joined = work / f"{scene}.mp4"
            concat_mp4(files, joined)
            _place(joined, dest)
    return dest


# ``univ.render`` is exported lazily as this function, but importing this module (as ``univ render`` does) makes
# Python set the package attribute ``univ.render`` to the module itself. A module that calls ``render`` when
# called keeps ``univ.render(...)`` working whichever of the two a user ends up holding.
class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs) -> Path:
        return render(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
