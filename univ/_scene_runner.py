"""The scene runner: one process that imports Manim once and renders scenes in forked children, a few at a time.

Run as ``python -m univ._scene_runner JOBS.json`` by :mod:`univ.rendering`, never imported by the package. The
JSON holds ``{"jobs": workers, "scenes": [{"name", "log", "args"}, ...]}``: each child runs Manim's own command line
(``args``, as after ``manim``) with its output in ``log``. It prints one line per event, "start NAME PID" and
"done NAME EXIT SECONDS"; SIGTERM or SIGINT stops the children too. What the scenes draw comes from the render plan
(``UNIV_PLAN``), which the children inherit.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback


def _run_child(job: dict, manim_main) -> None:
    """In a forked child: Manim's command line for one scene, its output into the job's log; never returns."""
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


def main(path: str) -> None:
    with open(path) as f:
        plan = json.load(f)
    from manim.__main__ import main as manim_main  # noqa: TID251  (the runner is Manim's launcher, run apart)

    live: dict[int, tuple[str, float]] = {}

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
    waiting = list(plan["scenes"])
    while waiting or live:
        while waiting and len(live) < plan["jobs"]:
            job = waiting.pop(0)
            pid = os.fork()
            if pid == 0:
                _run_child(job, manim_main)
            live[pid] = (job["name"], time.perf_counter())
            print("start", job["name"], pid, flush=True)
        pid, status = os.waitpid(-1, 0)
        name, t0 = live.pop(pid)
        print("done", name, os.waitstatus_to_exitcode(status), f"{time.perf_counter() - t0:.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
