"""Lessons: a TOML file of functions and what to make for each, built as tasks on Dask (or a process pool), cached."""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import os
import pickle
import signal
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import rendering
from ._io import _umask, write_atomic
from ._version import __version__
from .constructions import construct
from .errors import ConfigError, UnivError
from .lesson_file import MAKE, Explainer, Item, Lesson, LessonError, _size, load_lesson
from .measure import measure
from .page import build_page
from .rendering import SCENES
from .slides import write_deck
from .target import Target, parse

__all__ = ["MAKE", "Explainer", "Item", "Lesson", "LessonError", "load_lesson"]

RETRIES = 2  # a task that raised is run again this often (a lost worker's tasks are re-run by Dask anyway)
CLUSTER_MISSING = 'dask is not installed: building on a local process pool; for a cluster: pip install -e ".[cluster]"'


# -- the tasks: plain functions of plain data, run on any worker ------------------------------------------------
@dataclass(frozen=True)
class Task:
    """One piece of work: what it is (``kind``, ``spec``), the key its result is cached under, and its inputs."""

    kind: str  # scene, voiced (a narrated explainer, its audio joined by render), page, measure, figure
    label: str
    spec: dict
    key: str = ""
    needs: tuple[str, ...] = ()  # keys of tasks whose results this one takes
    cost: float = 1.0  # for ordering: the longest first


def _target(spec: dict) -> Target:
    if spec["data"] is None:
        return parse(spec["expression"], domain=spec["domain"], ydomain=spec["ydomain"])
    with tempfile.TemporaryDirectory(prefix="univ-lesson-") as tmp:
        file = Path(tmp) / "data.csv"
        file.write_bytes(spec["data"])
        return Target.from_csv(file)


def run_task(kind: str, spec: dict, *inputs: Any) -> dict:
    """Do one task where it runs and return its result as plain data (bytes of files, numbers).

    Parameters
    ----------
    kind : str
        ``scene`` (one scene as MP4 with its WebVTT captions), ``voiced`` (a narrated explainer), ``page``,
        ``measure`` or ``figure`` (which takes the ``measure`` result as its input).
    spec : dict
        What to make, as :func:`plan_tasks` wrote it.

    Returns
    -------
    dict
        ``files`` (name → bytes) and whatever numbers the task measured, with ``seconds`` and ``host``.
    """
    t0 = time.perf_counter()
    out: dict[str, Any] = {}
    if kind in ("scene", "voiced"):
        with tempfile.TemporaryDirectory(prefix="univ-lesson-") as tmp:
            done = rendering.render_run(
                spec["scene"],
                spec["expression"],
                spec["neurons"],
                spec["quality"],
                tmp,
                spec["resolution"],
                spec["fps"],
                domain=spec["domain"],
                ydomain=spec["ydomain"],
                scenes=spec.get("scenes"),
                hold=spec["hold"],
                theme=spec["theme"],
                aspect=spec["aspect"],
                voice=spec["voice"],
                jobs=1,
            )
            vtt = next(p for p in done.captions if p.suffix == ".vtt")
            out["files"] = {"video.mp4": done.video.read_bytes(), "captions.vtt": vtt.read_bytes()}
            out["video_seconds"] = done.seconds
    elif kind == "page":
        out["files"] = {"page.html": build_page(_target(spec), spec["neurons"], spec["method"]).encode()}
    elif kind == "measure":
        target = _target(spec)
        net = construct(target, neurons=spec["neurons"], method=spec["method"])
        out["report"] = measure(net, target)
    elif kind == "figure":
        from .plot.figures import approx_figure, figure_png

        target = _target(spec)
        net = construct(target, neurons=spec["neurons"], method=spec["method"])
        out["files"] = {"figure.png": figure_png(approx_figure, net, target, inputs[0]["report"])}
    else:
        raise UnivError(f"unknown task kind {kind!r}")
    out["seconds"] = time.perf_counter() - t0
    out["host"] = os.uname().nodename
    return out


def code_hash() -> str:
    """A hash of univ's own files (its modules, assets and scenes): a new univ renders afresh."""
    h = hashlib.sha256(__version__.encode())
    roots = [Path(__file__).resolve().parent, rendering.scenes_dir()]
    for root in roots:
        for p in sorted(root.rglob("*")):
            if p.suffix in (".py", ".html", ".css", ".js") and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _key(kind: str, spec: dict, code: str) -> str:
    """The content hash of everything that changes the task's output (the data file's bytes included)."""
    blob = json.dumps(
        {k: (hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v) for k, v in spec.items()},
        sort_keys=True,
        default=list,
    )
    return f"{kind}-{hashlib.sha256((code + kind + blob).encode()).hexdigest()[:16]}"


def videos_of(item: Item) -> list[tuple[str, str]]:
    """The explainer videos of one function: (theme, aspect) pairs."""
    e = item.explainer
    return [(t, a) for t in e.themes for a in e.aspects] if e else []


def plan_tasks(lesson: Lesson, code: str | None = None) -> list[Task]:
    """Every task the lesson needs, each with its cache key (a figure's ``needs`` its measurement)."""
    code = code_hash() if code is None else code
    tasks: list[Task] = []
    for item in lesson.items:
        base = {
            "expression": item.expression,
            "data": item.data,
            "domain": item.domain,
            "ydomain": item.ydomain,
            "neurons": item.neurons,
            "method": item.method,
        }

        def add(kind: str, label: str, spec: dict, needs=(), cost=1.0, name=item.name) -> Task:
            t = Task(kind, f"{name}: {label}", spec, _key(kind, spec, code), needs, cost)
            tasks.append(t)
            return t

        m = add("measure", "numbers", base)
        if "figures" in item.make:
            add("figure", "figure", base, (m.key,))
        if "page" in item.make:
            add("page", "page", base)
        e = item.explainer
        for theme, aspect in videos_of(item) if {"explainer", "slides"} & set(item.make) else []:
            video = {
                **{k: base[k] for k in ("expression", "domain", "ydomain", "neurons")},
                "quality": e.quality,
                "resolution": _size(e.short_side, aspect) if e.short_side else None,
                "fps": e.fps,
                "hold": e.hold,
                "theme": theme,
                "aspect": aspect,
                "voice": e.voice,
            }
            if e.voice is not None:  # speech sets the pace and the audio is one track: render joins it
                seconds = sum(SCENES[s].seconds for s in e.scenes)
                add(
                    "voiced",
                    f"explainer {theme} {aspect} voiced",
                    {**video, "scene": "explainer", "scenes": list(e.scenes)},
                    cost=seconds,
                )
            else:
                for s in e.scenes:
                    cost = SCENES[s].seconds * SCENES[s].cost
                    add("scene", f"{s} {theme} {aspect}", {**video, "scene": s}, cost=cost)
    return tasks


# -- the cache ---------------------------------------------------------------------------------------------------
class Cache:
    """Task results by key, one pickle each, written atomically (a killed build leaves no half entry)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def get(self, key: str) -> dict | None:
        f = self.folder / f"{key}.pkl"
        try:
            return pickle.loads(f.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, key: str, result: dict) -> None:
        write_atomic(self.folder / f"{key}.pkl", pickle.dumps(result))


# -- running the tasks --------------------------------------------------------------------------------------------
@dataclass
class Outcome:
    """What a build did: each task's result or error, and which were cached."""

    results: dict[str, dict] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    cached: set[str] = field(default_factory=set)
    ran: set[str] = field(default_factory=set)
    engine: str = ""
    seconds: float = 0.0


def dask_available() -> bool:
    return importlib.util.find_spec("dask") is not None and importlib.util.find_spec("distributed") is not None


def _error_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if isinstance(exc, UnivError) else f"{type(exc).__name__}: {text}"


def run_tasks(
    tasks: list[Task],
    cache: Cache,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    on_done: Callable[[Task, dict | None, str | None, int, int], None] | None = None,
    say: Callable[[str], None] | None = None,
) -> Outcome:
    """Run the tasks not in the cache, on Dask (``scheduler``'s cluster, or a LocalCluster) or a process pool.

    A failed task is reported (``on_done`` with its error) while the others finish. Ctrl-C cancels what has not
    finished and re-raises. ``on_done(task, result, error, done, total)`` is called for each finished task.
    """
    say = say or (lambda line: None)
    on_done = on_done or (lambda *a: None)
    out, t0 = Outcome(), time.perf_counter()
    todo = []
    for t in tasks:
        hit = cache.get(t.key)
        if hit is not None:
            out.results[t.key], _ = hit, out.cached.add(t.key)
        else:
            todo.append(t)
    say(f"  {len(todo)} of {len(tasks)} tasks to run ({len(tasks) - len(todo)} cached)")
    if not todo:
        out.engine = "none (all cached)"
        return out
    todo.sort(key=lambda t: -t.cost)  # the longest first: no long tail
    if dask_available():
        _run_dask(todo, out, cache, scheduler, workers, on_done, say)
    elif scheduler is not None:
        raise ConfigError(f"--scheduler needs dask: {CLUSTER_MISSING.split(': ', 1)[1]}")
    else:
        say(f"  {CLUSTER_MISSING}")
        _run_pool(todo, out, cache, workers, on_done)
    out.seconds = time.perf_counter() - t0
    return out


def _record(out: Outcome, cache: Cache, task: Task, result, error, total: int, on_done) -> None:
    if error is None:
        out.results[task.key] = result
        out.ran.add(task.key)
        cache.put(task.key, result)
    else:
        out.errors[task.key] = error
    on_done(task, result, error, len(out.ran) + len(out.errors), total)


def _run_dask(todo, out, cache, scheduler, workers, on_done, say) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        n = workers or os.cpu_count() or 1
        # The workers start with Ctrl-C ignored: the client cancels their work and closes them (a terminal's Ctrl-C
        # reaches the scene renders themselves, which stop at once), and no worker prints its own traceback.
        was = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
        finally:
            signal.signal(signal.SIGINT, was)
        out.engine = f"dask LocalCluster, {n} workers"
    else:
        out.engine = f"dask cluster at {scheduler}"
    try:
        client = Client(cluster if cluster is not None else scheduler, timeout="20s")
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise UnivError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None
    if scheduler is not None:
        out.engine += f" ({len(client.scheduler_info()['workers'])} workers)"
    say(f"  on {out.engine}")
    by_key = {t.key: t for t in todo}
    futures = {}
    try:
        for t in todo:
            inputs = [futures[k] if k in futures else out.results[k] for k in t.needs]
            futures[t.key] = client.submit(run_task, t.kind, t.spec, *inputs, key=t.key, retries=RETRIES, pure=False)
        for fut in as_completed(list(futures.values())):
            task = by_key[fut.key]
            if fut.status == "finished":
                _record(out, cache, task, fut.result(), None, len(todo), on_done)
            else:
                exc = fut.exception()
                _record(out, cache, task, None, _error_line(exc), len(todo), on_done)
    except BaseException:
        client.cancel(list(futures.values()), force=True)
        try:
            client.run(stop_renders)  # a running task is not interrupted by cancel: stop its renders
        except Exception:
            pass  # a worker already gone has nothing left to stop
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def stop_renders() -> int:
    """Stop the scene renders this process started (SIGTERM to each scene driver, which stops its scenes); return
    how many. Run on each worker when a build is cancelled. Reads /proc (Linux); elsewhere it stops none."""
    stopped = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid == os.getpid() and b"univ._scene_runner" in (stat.parent / "cmdline").read_bytes():
                os.kill(int(stat.parent.name), signal.SIGTERM)
                stopped += 1
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile, or not ours to read
    return stopped


def _run_pool(todo, out, cache, workers, on_done) -> None:
    out.engine = f"local process pool, {workers or os.cpu_count() or 1} workers"
    pending: dict[Any, Task] = {}
    waiting = list(todo)
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        try:
            while waiting or pending:
                for t in [t for t in waiting if all(k in out.results or k in out.errors for k in t.needs)]:
                    waiting.remove(t)
                    if any(k in out.errors for k in t.needs):
                        _record(out, cache, t, None, "its input failed", len(todo), lambda *a: None)
                        continue
                    pending[pool.submit(run_task, t.kind, t.spec, *[out.results[k] for k in t.needs])] = t
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for fut in done:
                    task = pending.pop(fut)
                    exc = fut.exception()
                    result = None if exc else fut.result()
                    _record(out, cache, task, result, _error_line(exc) if exc else None, len(todo), on_done)
        except BaseException:
            for fut in pending:
                fut.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            raise


# -- joining scenes and writing the folder ------------------------------------------------------------------------
def _vtt_cues(text: str, offset: float, scene: str) -> list[rendering.Cue]:
    """The cues of a WebVTT file rendering wrote, shifted by ``offset`` seconds."""

    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    cues = []
    for block in text.split("\n\n")[1:]:
        head, *body = block.strip("\n").split("\n") or [""]
        if " --> " not in head:
            continue
        a, b = head.split(" --> ")
        cues.append(rendering.Cue(offset + seconds(a), offset + seconds(b), " ".join(body), scene))
    return cues


def _join(parts: list[tuple[str, dict]], folder: Path, stem: str) -> tuple[Path, list[rendering.Cue], float]:
    """Scene results joined (video and captions) as ``stem.mp4`` and ``stem.vtt`` in ``folder``."""
    with tempfile.TemporaryDirectory(prefix="univ-lesson-") as tmp:
        files, cues, offset = [], [], 0.0
        for i, (scene, r) in enumerate(parts):
            f = Path(tmp) / f"{i}.mp4"
            f.write_bytes(r["files"]["video.mp4"])
            files.append(f)
            cues += _vtt_cues(r["files"]["captions.vtt"].decode(), offset, scene)
            offset += rendering.video_seconds(f)
        joined = Path(tmp) / "joined.mp4"
        if len(files) > 1:
            rendering.concat_mp4(files, joined)
        else:
            joined = files[0]
        write_atomic(folder / f"{stem}.mp4", joined.read_bytes())
    write_atomic(folder / f"{stem}.vtt", rendering.vtt_text(cues).encode())
    return folder / f"{stem}.mp4", cues, offset


def _write_video(item: Item, got: dict, theme: str, aspect: str, folder: Path) -> dict | None:
    """One explainer video of ``item``: its scenes joined, with captions and (if asked) slides; None if one failed."""
    e, stem = item.explainer, f"explainer-{theme}-{aspect.replace(':', 'x')}"
    if e.voice is not None:
        parts = [("explainer", got.get(f"voiced:explainer {theme} {aspect} voiced"))]
    else:
        parts = [(s, got.get(f"scene:{s} {theme} {aspect}")) for s in e.scenes]
    if any(r is None for _, r in parts):
        return None
    mp4, cues, seconds = _join(parts, folder, stem)
    video = {"theme": theme, "aspect": aspect, "video": f"{item.name}/{stem}.mp4", "seconds": seconds}
    video["captions"] = f"{item.name}/{stem}.vtt"
    if "slides" in item.make:
        write_deck(mp4, cues, folder / f"{stem}.slides", theme=theme, title=item.title)
        video["slides"] = f"{item.name}/{stem}.slides/index.html"
    if "explainer" not in item.make:  # slides only
        mp4.unlink()
        (folder / f"{stem}.vtt").unlink()
        video.pop("video"), video.pop("captions")
    return video


def write_lesson(lesson: Lesson, tasks: list[Task], outcome: Outcome, out: Path) -> dict:
    """Write the lesson's folder: each function's videos (scenes joined), captions, slides, page, figure and
    numbers, and ``index.html`` last; return the manifest (also written as ``lesson.json``)."""
    out = Path(out)
    by_item: dict[str, list[Task]] = {}
    for t in tasks:
        by_item.setdefault(t.label.split(": ", 1)[0], []).append(t)
    entries = []
    for item in lesson.items:
        folder = out / item.name
        mine = by_item.get(item.name, [])
        got = {t.kind + ":" + t.label.split(": ", 1)[1]: outcome.results.get(t.key) for t in mine}
        failed = [f"{t.label.split(': ', 1)[1]}: {outcome.errors[t.key]}" for t in mine if t.key in outcome.errors]
        entry: dict[str, Any] = {"name": item.name, "title": item.title, "expression": item.expression}
        entry["notes"], entry["failed"], entry["videos"] = list(item.notes), failed, []
        m = got.get("measure:numbers")
        if m is not None:
            r = m["report"]
            numbers = {"neurons": item.neurons, "method": item.method, "max_error": r.max_error, "rmse": r.rmse}
            numbers["certified"] = r.certified
            write_atomic(folder / "numbers.json", (json.dumps(numbers, indent=2) + "\n").encode())
            entry["numbers"] = numbers
        for kind, name in (("figure:figure", "figure.png"), ("page:page", "page.html")):
            if got.get(kind) is not None:
                write_atomic(folder / name, got[kind]["files"][name])
                entry[name.split(".")[0]] = f"{item.name}/{name}"
        e = item.explainer
        for theme, aspect in videos_of(item) if e else []:
            video = _write_video(item, got, theme, aspect, folder)
            if video is not None:  # None: a scene failed, said in ``failed``
                entry["videos"].append(video)
        entries.append(entry)
    manifest = {
        "title": lesson.title,
        "functions": entries,
        "engine": outcome.engine,
        "tasks": [
            {
                "key": t.key,
                "label": t.label,
                "kind": t.kind,
                "status": "cached" if t.key in outcome.cached else "ran" if t.key in outcome.ran else "failed",
                "error": outcome.errors.get(t.key),
                "seconds": round(outcome.results[t.key]["seconds"], 3) if t.key in outcome.results else None,
                "host": outcome.results[t.key]["host"] if t.key in outcome.results else None,
            }
            for t in tasks
        ],
    }
    write_atomic(out / "lesson.json", (json.dumps(manifest, indent=2) + "\n").encode())
    write_atomic(out / "index.html", index_html(manifest, out).encode())
    os.chmod(out, 0o777 & ~_umask())
    return manifest


def _data_url(path: Path, mime: str) -> str:
    """A file as a data: URL (a <track> from file:// must be same-origin, which a data: URL is)."""
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


def index_html(manifest: dict, out: Path) -> str:
    """The lesson's index page: every function's videos (with captions), page, slides, figure and numbers."""
    esc = html.escape
    body = []
    for f in manifest["functions"]:
        part = [f'<section id="{esc(f["name"])}"><h2>{esc(f["title"])}</h2>']
        if f["title"] != f["expression"]:
            part.append(f"<p><code>{esc(f['expression'])}</code></p>")
        for v in f["videos"]:
            what = f"{v['theme']}, {v['aspect']}"
            if "video" in v:
                track = _data_url(out / v["captions"], "text/vtt")
                part.append(
                    f'<figure><video controls preload="metadata" src="{esc(v["video"])}">'
                    f'<track kind="captions" srclang="en" label="English" default src="{track}"></video>'
                    f"<figcaption>Explainer ({esc(what)}, {v['seconds']:.0f} s) · "
                    f'<a href="{esc(v["captions"])}">captions</a>'
                    + (f' · <a href="{esc(v["slides"])}">slides</a>' if "slides" in v else "")
                    + "</figcaption></figure>"
                )
            elif "slides" in v:
                part.append(f'<p><a href="{esc(v["slides"])}">Slides ({esc(what)})</a></p>')
        links = []
        if "page" in f:
            links.append(f'<a href="{esc(f["page"])}">Play with the construction</a>')
        if "figure" in f:
            part.append(f'<p><img src="{esc(f["figure"])}" alt="The network built for {esc(f["title"])}" width="480">')
        if "numbers" in f:
            n = f["numbers"]
            part.append(
                f"<p>{n['neurons']} hidden neurons ({esc(n['method'])}): max error {n['max_error']:.4g}"
                f"{'' if n['certified'] else ' (at least)'}, RMSE {n['rmse']:.4g}</p>"
            )
            links.append(f'<a href="{esc(f["name"])}/numbers.json">numbers</a>')
        if links:
            part.append("<p>" + " · ".join(links) + "</p>")
        for note in f["notes"]:
            part.append(f"<p><em>{esc(note)}</em></p>")
        for fail in f["failed"]:
            part.append(f'<p class="failed">Not built: {esc(fail)}</p>')
        body.append("\n".join(part) + "</section>")
    title = esc(manifest["title"])
    nav = "".join(f'<li><a href="#{esc(f["name"])}">{esc(f["title"])}</a></li>' for f in manifest["functions"])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
video,img{{max-width:100%}} section{{border-top:1px solid #ccc;padding-top:1rem}} .failed{{color:#a00}}</style>
</head><body><h1>{title}</h1>
<nav><ul>{nav}</ul></nav>
{chr(10).join(body)}
<footer><p>Built by univ {esc(__version__)}: a one-hidden-layer network, built by hand.</p></footer>
</body></html>
"""
