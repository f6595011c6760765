"""Issue 23 ``univ lesson``: a six-explainer lesson at low quality on 1 dask worker and on 2, and what k machines give.

Six functions, each an explainer of SCENES at low quality (854×480, 15 fps), nothing else (no page or figure: the
renders are the cost). Each run starts a fresh LocalCluster of 1 or 2 single-threaded workers and an empty cache, so
every scene is rendered; the wall time includes starting the cluster and joining the videos on the client. From the
2-worker run's task times: the total render work, the longest scene (the critical path no cluster can beat), and
the wall time k machines of 2 workers would take at best, max(work / 2k, longest scene) + the client's join.

Run: .venv/bin/python benchmarks/bench_lesson.py [SCENES]   (default title,bumps; the output is recorded in
bench_lesson.txt)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from univ import lesson as lessons

FUNCTIONS = ["sin(3x)", "x^2 - x", "abs(x - 0.3)", "exp(-x)", "sqrt(x)", "cos(5x)"]


def lesson_text(scenes: list[str]) -> str:
    head = (
        f'title = "bench"\n[defaults]\nneurons = 12\nmake = ["explainer"]\n[defaults.explainer]\nscenes = {scenes!r}\n'
    )
    head = head.replace("'", '"') + 'quality = "low"\n'
    return head + "".join(f'[[function]]\nexpression = "{f}"\n' for f in FUNCTIONS)


def build(path: Path, workers: int, out: Path) -> tuple[float, float, list[float]]:
    """(wall seconds of the tasks, of the whole build, each scene's task seconds) on a fresh cluster, no cache."""
    t0 = time.perf_counter()
    lesson = lessons.load_lesson(path)
    tasks = lessons.plan_tasks(lesson)
    outcome = lessons.run_tasks(tasks, lessons.Cache(out / ".cache"), workers=workers, say=print)
    t1 = time.perf_counter()
    lessons.write_lesson(lesson, tasks, outcome, out)
    assert not outcome.errors, outcome.errors
    scenes = [outcome.results[t.key]["seconds"] for t in tasks if t.kind == "scene"]
    return t1 - t0, time.perf_counter() - t0, sorted(scenes, reverse=True)


def main() -> None:
    scenes = sys.argv[1].split(",") if len(sys.argv) > 1 else ["title", "bumps"]
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, load {os.getloadavg()}")
    print(f"# six explainers ({', '.join(FUNCTIONS)}), scenes {','.join(scenes)}, low quality, dask LocalCluster")
    walls = {}
    with tempfile.TemporaryDirectory(prefix="bench-lesson-") as tmp:
        path = Path(tmp) / "lesson.toml"
        path.write_text(lesson_text(scenes))
        for workers in (1, 2):
            tasks_wall, wall, times = build(path, workers, Path(tmp) / f"out{workers}")
            walls[workers] = wall
            print(
                f"{workers} worker(s): {wall:.1f} s wall ({tasks_wall:.1f} s of tasks, "
                f"{wall - tasks_wall:.1f} s joining and writing), {len(times)} scene tasks, "
                f"{sum(times):.1f} s of task time, longest {times[0]:.1f} s"
            )
        work, longest, join = sum(times), times[0], wall - tasks_wall
    print(f"speed-up 1 -> 2 workers: {walls[1] / walls[2]:.2f}x")
    print("k machines of 2 workers like these, at best: max(work / 2k, longest scene) + join (from the 2-worker run)")
    for k in (1, 2, 4, 8, 16):
        print(f"  k={k:2d}: {max(work / (2 * k), longest) + join:6.1f} s")
    print(f"  no cluster does better than the longest scene plus the join: {longest + join:.1f} s")


if __name__ == "__main__":
    main()
