"""Rendering the explainer scenes to MP4: Manim runs in a subprocess; the finished file lands atomically in outputs/.

Nothing here imports manim: a subprocess (``sys.executable``) imports it once and runs Manim's own command line
for each scene in a forked child, a few at a time. The scenes' parameters travel as environment variables
(``UNIV_FUNCTION``, ``UNIV_NEURONS``, ``UNIV_DOMAIN``), so each scene file also runs on its own with
``manim -ql scenes/<file>.py <Scene>``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
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
    needs: tuple[str, ...] = ()  # names the scene imports from univ beyond the 1D core
    dims: tuple[int, ...] = (1,)  # what the function may use: (1,) x only; (1, 2) x, or x and y (or it is ignored)
    cost: float = 1.0  # render time per second of video, relative: the explainer starts the costliest first


# In explainer order; the explainer renders all of them, one after another.
SCENES: dict[str, SceneInfo] = {
    "title": SceneInfo("title.py", "TitleCard", "title card: the claim, and the function the video builds", 4.5,
                       dims=(1, 2)),
    "step": SceneInfo("step.py", "SigmoidStep", "a sigmoid neuron's weight grows until it is a step at s = -b/w",
                      12.4, dims=(1, 2)),
    "bump": SceneInfo("bump.py", "StepsMakeBump", "two steps with output weights +h and -h make a bump of height h",
                      11.8, dims=(1, 2)),
    "bumps": SceneInfo("approximate.py", "BumpsApproximate",
                       "bumps added one at a time approximate f; more neurons, smaller error", 14.8),
    "network": SceneInfo("diagram.py", "NetworkDiagram",
                         "the network diagram, each pair of neurons lit up with the bump it adds", 13.6),
    "towers": SceneInfo("towers.py", "TowersIn2D", "in 2D: x-step, y-step, a cross, a tower, towers making a surface",
                        12.5, needs=("tower",), dims=(1, 2), cost=1.6),
    "trained": SceneInfo("trained.py", "ConstructedVsTrained",
                         "a trained net learning f over the epochs, beside the constructed one, with its loss", 12.1,
                         needs=("fit",)),
    "relu": SceneInfo("relu.py", "ReluHats", "ReLU hats add up to the piecewise-linear interpolant; error 1/N^2",
                      15.8),
    "depth": SceneInfo("depth.py", "SawtoothDepth", "why depth: k layers of 2 ReLUs fold a line into 2^k pieces",
                       11.5, needs=("sawtooth", "sawtooth_network", "shallow_relu_lstsq"), dims=(1, 2)),
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
    """What the scene imports from univ that this copy does not export (a scene waiting for a newer univ)."""
    import univ

    return [name for name in info.needs if not hasattr(univ, name)]


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


# The scenes run in one Python process that imports Manim once (2-3 s) and forks a child per scene, at most
# ``jobs`` at a time; each child runs Manim's own command line with its output in a log file. The parent reads one
# line per event: "start NAME PID" and "done NAME EXIT SECONDS". SIGTERM stops the children too.
_DRIVER = r"""
import json, os, signal, sys, time, traceback
plan = json.loads(sys.argv[1])
from manim.__main__ import main as manim_main

live = {}


def stop(signum, frame):
    for pid in list(live):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for pid in list(live):
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    os._exit(128 + signum)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)


def start(job):
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        fd = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        code = 1
        try:
            manim_main(args=job["args"], prog_name="manim", standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    live[pid] = (job["name"], time.perf_counter())
    print("start", job["name"], pid, flush=True)


queue = list(plan["scenes"])
while queue or live:
    while queue and len(live) < plan["jobs"]:
        start(queue.pop(0))
    pid, status = os.waitpid(-1, 0)
    name, t0 = live.pop(pid)
    print("done", name, os.waitstatus_to_exitcode(status), f"{time.perf_counter() - t0:.3f}", flush=True)
"""


class _Batch:
    """One driver process rendering some scenes; stopping it (error, Ctrl-C) stops every scene it started."""

    def __init__(self, jobs: list[dict], workers: int, env: dict[str, str], cwd: Path):
        self.pids: list[int] = []  # every scene process started, for whoever needs to check they ended
        self.log = cwd / "driver.log"
        plan = json.dumps({"jobs": workers, "scenes": jobs})
        with open(self.log, "w") as err:
            self.proc = subprocess.Popen([sys.executable, "-c", _DRIVER, plan], env=env, cwd=cwd,
                                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, text=True,
                                         errors="replace")

    def events(self):
        """Yield (name, exit code, seconds) as scenes finish."""
        for line in self.proc.stdout:
            kind, name, *rest = line.split()
            if kind == "start":
                self.pids.append(int(rest[0]))
            elif kind == "done":
                yield name, int(rest[0]), float(rest[1])
        if self.proc.wait() != 0:
            raise _ManimFailed(None, self.proc.returncode, self.log.read_text(errors="replace"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # the driver passes it on to the scenes
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for pid in self.pids:  # a scene left behind by a killed driver
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.proc.stdout.close()


def _manim_args(info: SceneInfo, media: Path, quality: str, resolution, frame_rate, name: str) -> list[str]:
    """Manim's command line for one scene (as after ``manim``), writing ``<name>.mp4`` under ``media``."""
    args = ["render", f"-q{QUALITIES[quality]}", "--media_dir", str(media), "--disable_caching",
            "--progress_bar", "none", "-v", "WARNING", "-o", name]
    if resolution:
        args += ["--resolution", f"{resolution[0]},{resolution[1]}"]
    if frame_rate:
        args += ["--frame_rate", f"{frame_rate:g}"]
    return args + [str(scenes_dir() / info.file), info.cls]


class _ManimFailed(Exception):
    """Manim failed on ``scene`` (None: it did not start); ``last`` is the last line it printed."""

    def __init__(self, scene: str | None, code: int, log: str):
        self.scene, self.code, self.log = scene, code, log
        lines = [ln.strip(" │╭╮╰╯─") for ln in log.splitlines()]
        lines = [ln for ln in lines if ln.strip()]
        self.last = lines[-1].strip() if lines else "no output"
        super().__init__(self.last)


def _render_all(names: list[str], env: dict[str, str], quality: str, resolution, frame_rate, workers: int,
                work: Path, say: Callable[[str], None]) -> list[Path]:
    """Render the scenes (``workers`` at a time) and return their MP4s in order; raise _ManimFailed on the first
    failure, having stopped the others."""
    jobs = []
    for name in names:
        media = work / name
        _seed_typeset(media)
        jobs.append({"name": name, "log": str(work / f"{name}.log"),
                     "args": _manim_args(SCENES[name], media, quality, resolution, frame_rate, name)})
    jobs.sort(key=lambda job: -SCENES[job["name"]].seconds * SCENES[job["name"]].cost)  # longest first: no tail
    found: dict[str, Path] = {}
    batch = _Batch(jobs, workers, env, work)
    try:
        for name, code, seconds in batch.events():
            log = Path(work / f"{name}.log").read_text(errors="replace") if (work / f"{name}.log").exists() else ""
            mp4 = sorted((work / name).glob(f"videos/**/{name}.mp4"))
            if code != 0 or not mp4:
                raise _ManimFailed(name, code, log if mp4 or code else log + "\n(no MP4 was written)")
            found[name] = mp4[0]
            _keep_typeset(work / name)
            say(f"  {name}: {video_seconds(mp4[0]):.1f} s of video in {seconds:.1f} s")
    except BaseException:
        batch.stop()
        raise
    batch.stop()
    return [found[n] for n in names]


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
    with tempfile.TemporaryDirectory(prefix="univ-render-") as tmp:
        work = Path(tmp)
        try:
            files = _render_all(names, env, quality, resolution, frame_rate, workers, work, say)
        except _ManimFailed as exc:
            log = dest.with_name(dest.stem + ".log")
            write_atomic(log, exc.log.encode())
            where = f"on the {exc.scene} scene" if exc.scene else "to start"
            raise UnivError(f"manim failed {where} (exit {exc.code}): {exc.last} — full log: {log}") from None
        if len(files) == 1:
            _place(files[0], dest)
        else:
            joined = work / f"{scene}.mp4"
            concat_mp4(files, joined)
            _place(joined, dest)
    return dest
