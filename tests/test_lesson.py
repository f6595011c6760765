"""univ lesson: the lesson file checked line by line, tasks keyed by what changes them, and real builds on a real
dask cluster (a scheduler and two workers on 127.0.0.1) opened in headless Chromium, with a worker killed mid-build."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, CHROMIUM_ARGS, browser_missing, needs_manim, parse_vtt
from univ import lesson as lessons
from univ import lesson_file
from univ.rendering import Cue, vtt_text

VENV_BIN = Path(sys.executable).parent

GOOD = """title = "Three functions"
[defaults]
neurons = 6
make = ["explainer", "page", "figures"]
[defaults.explainer]
scenes = ["title"]
short_side = 72
fps = 3
{extra}
[[function]]
expression = "sin(3x)"
[[function]]
expression = "x^2 - x"
title = "A parabola"
[[function]]
expression = "abs(x - 0.3)"
domain = [-1, 1]
make = ["explainer", "slides", "figures"]
"""


def write(tmp_path: Path, text: str, name: str = "lesson.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# -- the lesson file ----------------------------------------------------------------------------------------------
BAD = [
    # (the lesson's text, what the one line says: line number and key)
    ('title = "t"\n[[function]]\nexpresion = "x"\n', ":3: function[1].expresion: unknown key"),
    ('[[function]]\nexpression = "sin(3x"\n', ":2: function[1].expression:"),
    ('[[function]]\nexpression = "x"\n[[function]]\nexpression = "x"\nneurons = 7\n', ":5: function[2].neurons:"),
    ('[defaults]\nneurons = 5\n[[function]]\nexpression = "x"\n', ":2: defaults.neurons:"),
    ('[[function]]\nexpression = "x"\nmake = ["video"]\n', ":3: function[1].make: unknown 'video'"),
    ('[[function]]\nexpression = "x"\n[function.explainer]\nthemes = ["pink"]\n', ":4: function[1].explainer.themes"),
    ('[[function]]\nexpression = "x"\nexplainer = { quality = "ultra" }\n', ":3: function[1].explainer.quality"),
    ('[defaults.explainer]\nscenes = ["title", "nope"]\n[[function]]\nexpression = "x"\n', ":2: defaults.explainer"),
    ('[[function]]\nexpression = "x*y"\n[function.explainer]\nscenes = ["bumps"]\n', ":4: function[1].explainer"),
    ('[[function]]\nexpression = "x"\ndomain = [1, 0]\n', ":3: function[1].domain:"),
    ('[[function]]\nexpression = "x"\n[function.explainer]\nshort_side = 71\n', ":4: function[1].explainer.short_side"),
    ('[[function]]\nexpression = "x"\n[function.explainer]\nfps = 0\n', ":4: function[1].explainer.fps"),
    ('[[function]]\nexpression = "x"\n[function.explainer]\nhold = -1\n', ":4: function[1].explainer.hold"),
    ('[[function]]\nexpression = "x"\n[function.explainer]\nvoice = "nowhere"\n', ":4: function[1].explainer.voice"),
    ('[[function]]\ndata = "missing.csv"\n', ":2: function[1].data:"),
    ('[[function]]\nexpression = "x"\ndata = "a.csv"\n', ":1: function[1]: give one of"),
    ('title = "t"\n', "function: the lesson needs at least one"),
    ('title = "t"\n[[function]\n', "not TOML"),
    ('title = "t"\n[[function]]\nexpression = "__import__(1)"\n', ":3: function[1].expression:"),
]


@pytest.mark.parametrize(("text", "says"), BAD)
def test_a_bad_lesson_is_one_line_naming_line_and_key_exit_2_nothing_built(cli, tmp_path, text, says):
    lesson = write(tmp_path, text)
    out = tmp_path / "out"
    result = cli("lesson", lesson, "--out", out)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("univ: ") and says in lines[0], result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_defaults_apply_and_a_function_overrides_them(tmp_path):
    lesson = lessons.load_lesson(write(tmp_path, GOOD.format(extra="")))
    a, b, c = lesson.items
    assert lesson.title == "Three functions" and [i.name for i in lesson.items] == ["sin-3x", "x-2-x", "abs-x-0-3"]
    assert a.neurons == b.neurons == c.neurons == 6 and b.title == "A parabola" and a.title == "sin(3x)"
    assert a.make == ("explainer", "page", "figures") and c.make == ("explainer", "slides", "figures")
    assert a.domain is None and c.domain == (-1.0, 1.0)
    assert a.explainer.scenes == ("title",) and a.explainer.short_side == 72 and a.explainer.fps == 3.0


def test_a_data_function_makes_no_video_and_says_why(tmp_path):
    (tmp_path / "d.csv").write_text("x,y\n0,0\n0.25,1\n0.5,1\n0.75,0.5\n1,0\n")
    lesson = lessons.load_lesson(write(tmp_path, '[[function]]\ndata = "d.csv"\n'))
    (item,) = lesson.items
    assert item.make == ("page", "figures") and item.explainer is None and "data file" in item.notes[0]
    assert item.data == (tmp_path / "d.csv").read_bytes()


def keys(tmp_path, text, code="c"):
    return {t.label: t.key for t in lessons.plan_tasks(lessons.load_lesson(write(tmp_path, text)), code)}


def test_cache_keys_change_with_exactly_what_changes_the_output(tmp_path):
    base = keys(tmp_path, GOOD.format(extra=""))
    assert len(set(base.values())) == len(base)  # one key per task
    assert keys(tmp_path, GOOD.format(extra="")) == base  # the same lesson: the same keys
    held = keys(tmp_path, GOOD.format(extra="hold = 1.0"))
    for label, key in held.items():  # the hold changes the scenes only
        assert (key == base[label]) == (": title " not in label), label
    assert set(keys(tmp_path, GOOD.format(extra=""), code="other").values()).isdisjoint(base.values())  # new univ
    (tmp_path / "d.csv").write_text("x,y\n0,0\n0.3,1\n0.6,1\n1,1\n")
    one = keys(tmp_path, '[[function]]\ndata = "d.csv"\n')
    (tmp_path / "d.csv").write_text("x,y\n0,0\n0.3,1\n0.6,1\n1,2\n")
    assert set(keys(tmp_path, '[[function]]\ndata = "d.csv"\n').values()).isdisjoint(one.values())  # its bytes


def test_joined_captions_are_each_scenes_shifted_by_the_scenes_before(tmp_path):
    first = [Cue(0.0, 1.5, "One hidden layer of neurons can approximate any continuous function.", "title")]
    second = [Cue(0.25, 2.0, "A step.", "step"), Cue(2.0, 3.0, "Two steps make a bump.", "step")]
    shifted = lessons._vtt_cues(vtt_text(second), 4.0, "step")
    assert [(c.start, c.end, c.text) for c in shifted] == [(4.25, 6.0, "A step."), (6.0, 7.0, "Two steps make a bump.")]
    again = lessons._vtt_cues(vtt_text(first), 0.0, "title")
    assert vtt_text(again) == vtt_text(first)  # a wrapped caption reads back as it was


def test_without_dask_a_process_pool_builds_it_and_says_how_to_get_the_cluster(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(lessons, "dask_available", lambda: False)
    monkeypatch.setattr(lessons, "code_hash", lambda: "univ")  # this checkout may be edited meanwhile
    lesson = write(tmp_path, '[defaults]\nneurons = 4\nmake = ["page", "figures"]\n[[function]]\nexpression = "x^2"\n')
    result = cli("lesson", lesson, "--out", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0, result.output
    assert 'pip install -e ".[cluster]"' in result.stderr and "local process pool" in result.stderr
    manifest = json.loads((tmp_path / "out" / "lesson.json").read_text())
    assert {t["status"] for t in manifest["tasks"]} == {"ran"} and len(manifest["tasks"]) == 3
    numbers = json.loads((tmp_path / "out" / "x-2" / "numbers.json").read_text())
    from univ import construct, measure, parse

    target = parse("x^2")
    assert numbers["max_error"] == pytest.approx(measure(construct(target, 4), target).max_error, rel=1e-12)
    again = cli("lesson", lesson, "--out", tmp_path / "out", "-j", "1")
    assert "0 of 3 tasks to run (3 cached)" in again.stderr and "0 ran" in again.stderr
    result = cli("lesson", lesson, "--out", tmp_path / "o2", "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 2 and "needs dask" in result.stderr


def test_a_failing_task_is_reported_and_the_rest_finish(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(lessons, "dask_available", lambda: False)
    lesson = write(tmp_path, '[defaults]\nneurons = 4\nmake = ["page"]\n[[function]]\nexpression = "x^2"\n')
    real = lessons.run_task

    def broken(kind, spec, *inputs):
        if kind == "page":
            raise OSError("disk on fire")
        return real(kind, spec, *inputs)

    monkeypatch.setattr(lessons, "run_task", broken)
    monkeypatch.setattr(lessons, "ProcessPoolExecutor", _InProcess)
    result = cli("lesson", lesson, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "FAILED x-2: page: OSError: disk on fire" in result.stderr
    assert (tmp_path / "out" / "x-2" / "numbers.json").is_file()  # the rest finished
    assert "Not built: page: OSError: disk on fire" in (tmp_path / "out" / "index.html").read_text()


class _InProcess:
    """A stand-in pool that runs each task at once, in this process (so a monkeypatched task is the one run)."""

    def __init__(self, max_workers=None):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, *args):
        from concurrent.futures import Future

        f = Future()
        try:
            f.set_result(fn(*args))
        except Exception as exc:
            f.set_exception(exc)
        return f


# -- on a real dask cluster ---------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A dask scheduler and two workers (no nanny: killing one kills the worker) on 127.0.0.1, stopped at the end."""
    pytest.importorskip("distributed")
    from distributed import Client

    here = tmp_path_factory.mktemp("cluster")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []

    def start(*args):
        log = open(here / f"{len(procs)}.log", "w")
        procs.append(
            subprocess.Popen([str(VENV_BIN / "dask"), *args], cwd=here, stdout=log, stderr=log, start_new_session=True)
        )
        return procs[-1]

    start("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")
    workers = [
        start("worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1")
        for _ in range(2)
    ]
    try:
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address, workers
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def build(lesson: Path, out: Path, address: str, kill=None):
    """``univ lesson`` (in-process, on a thread); ``kill()`` is polled while it runs. Returns (exit code, stderr)."""
    from click.testing import CliRunner

    from univ.cli import main

    done = {}

    def run():
        args = ["lesson", str(lesson), "--out", str(out), "--scheduler", address]
        done["result"] = CliRunner().invoke(main, args, catch_exceptions=False)

    thread = threading.Thread(target=run)
    thread.start()
    while thread.is_alive():
        if kill is not None and kill():
            kill = None
        thread.join(0.2)
    return done["result"].exit_code, done["result"].stderr


@pytest.fixture(scope="module")
def built(cluster, tmp_path_factory, request):
    """Three builds of one lesson through --scheduler: the first, a second with a changed hold during which one
    worker is killed while it renders, and a third of the same lesson."""
    import psutil

    address, workers = cluster
    mp = pytest.MonkeyPatch()
    mp.setattr(lessons, "code_hash", lambda: "univ")  # this checkout may be edited by others meanwhile
    request.addfinalizer(mp.undo)
    here = tmp_path_factory.mktemp("lesson")
    out = here / "out"
    lesson = write(here, GOOD.format(extra=""))
    first = build(lesson, out, address)
    index_after_first = (out / "index.html").read_text() if (out / "index.html").exists() else ""
    write(here, GOOD.format(extra="hold = 0.5"))
    killed = []

    def kill_a_rendering_worker() -> bool:
        for w in workers:
            if psutil.Process(w.pid).children(recursive=True):  # it runs manim now
                os.killpg(w.pid, signal.SIGKILL)
                killed.append(w.pid)
                return True
        return False

    second = build(lesson, out, address, kill_a_rendering_worker)
    second_manifest = json.loads((out / "lesson.json").read_text())
    third = build(lesson, out, address)
    return {
        "out": out,
        "first": first,
        "index_after_first": index_after_first,
        "second": second,
        "second_manifest": second_manifest,
        "killed": killed,
        "third": third,
    }


@pytest.mark.render
@needs_manim
def test_a_lesson_builds_on_the_cluster_into_one_folder(built):
    code, stderr = built["first"]
    assert code == 0, stderr
    assert "dask cluster at tcp://127.0.0.1:" in stderr and "(2 workers)" in stderr
    assert "[3/" in stderr  # one line per finished task (stderr is not a terminal)
    out = built["out"]
    assert "sin(3x)" in built["index_after_first"]
    for name in ("sin-3x", "x-2-x", "abs-x-0-3"):
        video = out / name / "explainer-dark-16x9.mp4"
        assert video.is_file() and (out / name / "figure.png").is_file()
        cues = parse_vtt(video.with_suffix(".vtt").read_text())
        assert cues and cues[0][0] == 0.0 and "f = " in " ".join(c[2] for c in cues)
        numbers = json.loads((out / name / "numbers.json").read_text())
        assert numbers["neurons"] == 6 and 0 < numbers["max_error"] < 1
    assert (out / "sin-3x" / "page.html").is_file() and not (out / "abs-x-0-3" / "page.html").exists()
    assert (out / "abs-x-0-3" / "explainer-dark-16x9.slides" / "index.html").is_file()


@pytest.mark.render
@needs_manim
def test_a_worker_killed_mid_build_loses_nothing(built):
    code, stderr = built["second"]
    assert built["killed"], "no worker was seen rendering"
    assert code == 0, stderr
    tasks = built["second_manifest"]["tasks"]
    assert not [t for t in tasks if t["status"] == "failed"]
    ran = {t["label"] for t in tasks if t["status"] == "ran"}
    scenes = {f"{n}: title dark 16:9" for n in ("sin-3x", "x-2-x", "abs-x-0-3")}
    assert ran == scenes  # the hold changed only these
    for name in ("sin-3x", "x-2-x", "abs-x-0-3"):
        assert (built["out"] / name / "explainer-dark-16x9.mp4").is_file()


@pytest.mark.render
@needs_manim
def test_a_third_build_renders_nothing(built):
    code, stderr = built["third"]
    assert code == 0, stderr
    assert "0 ran (0 renders)" in stderr and "tasks to run" in stderr
    statuses = {t["status"] for t in json.loads((built["out"] / "lesson.json").read_text())["tasks"]}
    assert statuses == {"cached"}


@pytest.mark.render
@needs_manim
def test_the_index_opens_offline_in_chromium_videos_with_tracks_and_links_that_work(built):
    if browser_missing():
        pytest.skip(browser_missing())
    from playwright.sync_api import sync_playwright

    out = built["out"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((out / "index.html").as_uri())
        assert page.locator("video").count() == 3
        page.wait_for_function(
            "[...document.querySelectorAll('video')].every(v => v.readyState >= 1 && v.duration > 1"
            " && v.textTracks.length === 1 && v.textTracks[0].cues && v.textTracks[0].cues.length > 0)",
            timeout=30_000,
        )
        first_cue = page.evaluate("document.querySelector('video').textTracks[0].cues[0].text")
        assert "hidden layer" in first_cue
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        local = [h for h in hrefs if "#" not in h]
        assert all(h.startswith("file://") for h in hrefs) and not [r for r in requests if r.startswith("http")]
        assert any(h.endswith("page.html") for h in local) and any(h.endswith("slides/index.html") for h in local)
        for href in local:
            assert Path(href.removeprefix("file://")).is_file(), href
            if href.endswith(".html"):
                other = browser.new_page()
                other.on("pageerror", lambda e, h=href: errors.append(f"{h}: {e}"))
                other.on("console", lambda m, h=href: errors.append(f"{h}: {m.text}") if m.type == "error" else None)
                other.goto(href)
                other.wait_for_load_state("load")
                other.close()
        browser.close()
    assert errors == []


def test_each_video_is_its_scenes_and_a_voiced_one_is_one_task(tmp_path, monkeypatch):
    monkeypatch.setattr(lesson_file, "check_voice", lambda voice: voice)  # espeak-ng need not be installed to plan
    text = (
        '[defaults.explainer]\nscenes = ["title", "step"]\nthemes = ["dark", "light"]\naspects = ["16:9", "1:1"]\n'
        'short_side = 90\n[[function]]\nexpression = "x^2"\n[[function]]\nexpression = "x*y"\nmake = ["explainer"]\n'
        '[function.explainer]\nvoice = "espeak"\naspects = ["9:16"]\n'
    )
    lesson = lessons.load_lesson(write(tmp_path, text))
    tasks = lessons.plan_tasks(lesson, "c")
    scenes = [t for t in tasks if t.kind == "scene"]
    assert len(scenes) == 2 * 2 * 2 and all(t.label.startswith("x-2: ") for t in scenes)
    sizes = {(t.spec["aspect"], t.spec["resolution"]) for t in scenes}
    assert sizes == {("16:9", (160, 90)), ("1:1", (90, 90))}
    voiced = [t for t in tasks if t.kind == "voiced"]
    assert len(voiced) == 2 and {t.spec["theme"] for t in voiced} == {"dark", "light"}
    assert all(t.spec["scenes"] == ["title", "step"] and t.spec["resolution"] == (90, 160) for t in voiced)
    assert lesson.items[1].make == ("explainer",) and not [t for t in tasks if t.label == "x-y: page"]


@pytest.mark.render
@needs_manim
def test_ctrl_c_cancels_the_work_and_leaves_no_process_and_no_index(tmp_path):
    pytest.importorskip("distributed")
    import psutil

    lesson = write(tmp_path, GOOD.format(extra=""))
    cmd = [str(VENV_BIN / "univ"), "lesson", str(lesson), "--out", str(tmp_path / "out"), "-j", "1"]
    proc = subprocess.Popen(
        cmd,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group, as a terminal's foreground job
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # not ignored, whoever started pytest
    )
    said = []
    for line in proc.stderr:  # once the cluster has the work
        said.append(line)
        if "on dask LocalCluster" in line:
            break
    group = proc.pid
    deadline = time.monotonic() + 60
    while not _rendering(psutil.Process(proc.pid)):
        assert time.monotonic() < deadline, "no scene started"
        time.sleep(0.2)
    os.killpg(group, signal.SIGINT)  # Ctrl-C: the whole foreground group
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 130, "".join(said) + rest
    assert "univ: interrupted" in rest and "Traceback" not in rest
    assert not (tmp_path / "out" / "index.html").exists()
    deadline = time.monotonic() + 20
    while True:
        left = [p for p in psutil.process_iter(["pid"]) if _group_of(p.pid) == group]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert left == []


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _rendering(process) -> bool:
    """Whether a scene is being rendered under ``process``."""
    import psutil

    for child in process.children(recursive=True):
        try:
            if "_scene_runner" in " ".join(child.cmdline()):
                return True
        except psutil.Error:
            pass
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_stop_renders_stops_this_process_scene_drivers_and_nothing_else():
    sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
    driver = subprocess.Popen([*sleep, "univ._scene_runner"])
    other = subprocess.Popen(sleep)
    try:
        assert lessons.stop_renders() == 1
        assert driver.wait(timeout=20) == -signal.SIGTERM
        assert other.poll() is None
    finally:
        for p in (driver, other):
            p.kill()
            p.wait()
