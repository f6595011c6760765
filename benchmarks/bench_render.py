"""Render speed: wall seconds per second of video for the bumps scene (scene 3) at 480p15 and 1080p60, and the
whole explainer at low quality.

Run:  .venv/bin/python benchmarks/bench_render.py > benchmarks/bench_render.txt
Everything goes through ``univ.render`` (Manim in a subprocess, the MP4 moved into place, the explainer joined).
Typeset formulas are cached between renders; "cold" runs start from an empty cache, "warm" ones reuse it.
Target (issue #5): the whole explainer at low quality in under 90 s on 2 cores.
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FUNCTION, NEURONS = "sin(3x)", 20


def run(scene: str, quality: str, out: Path, label: str) -> tuple[float, float]:
    import univ
    from univ.rendering import video_seconds

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    path = univ.render(scene, function=FUNCTION, neurons=NEURONS, quality=quality, out_dir=out)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)  # Manim's processes, all cores
    video = video_seconds(path)
    load = os.getloadavg()[0]
    print(f"{label:<32} {video:7.1f} {wall:8.1f} {wall / video:10.2f} {cpu:7.1f} {load:6.2f}", flush=True)
    return video, wall


def main() -> None:
    manim = subprocess.run([sys.executable, "-m", "manim", "--version"], capture_output=True, text=True,
                           check=True).stdout.strip()
    print(f"# {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, {manim}")
    print(f"# {FUNCTION}, {NEURONS} neurons; explainer scenes rendered 2 at a time. cpu s: all Manim processes;")
    print("# load: 1-minute load average after the case (other work on the shared machine slows the wall times)")
    print(f"{'case':<32} {'video s':>7} {'wall s':>8} {'wall/video':>10} {'cpu s':>7} {'load':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["UNIV_CACHE_DIR"] = str(Path(tmp) / "cache")  # start cold, then warm up
        out = Path(tmp) / "out"
        run("bumps", "low", out, "bumps 480p15, cold cache")
        run("bumps", "low", out, "bumps 480p15, warm cache")
        run("bumps", "high", out, "bumps 1080p60, warm cache")
        os.environ["UNIV_CACHE_DIR"] = str(Path(tmp) / "cache-explainer")
        _, cold = run("explainer", "low", out, "explainer 480p15, cold cache")
        _, warm = run("explainer", "low", out, "explainer 480p15, warm cache")
    print(f"# goal: explainer at low quality under 90 s; measured {cold:.0f} s cold, {warm:.0f} s warm")


if __name__ == "__main__":
    main()
