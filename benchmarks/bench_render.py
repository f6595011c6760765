"""Render speed: wall seconds per second of video for the default explainer (every scene, captions and script) at
low quality (480p15) and at 1080p60, silent and narrated by espeak-ng (``--voice espeak``), and for one scene (bumps).

Run:  .venv/bin/python benchmarks/bench_render.py > benchmarks/bench_render.txt
      .venv/bin/python benchmarks/bench_render.py --quick    # low quality only
      .venv/bin/python benchmarks/bench_render.py --scene bumps    # one scene at 1080p60 (cache warmed first)
      .venv/bin/python benchmarks/bench_render.py --scene explainer --voice espeak    # the narrated explainer
Everything goes through ``univ.rendering.render_run`` (Manim in a subprocess, the MP4 moved into place, the
explainer joined, captions written). Typeset formulas are cached between renders ("warm"). The machine is shared:
the load average after each case says how much else was running, and cpu s (all of Manim's processes) is the
figure that does not depend on it.
Goal (issue #11): the whole explainer at low quality in under 45 s on 2 cores.
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


def run(scene: str, quality: str, out: Path, label: str, voice: str | None = None) -> tuple[float, float, float]:
    from univ.rendering import render_run

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    result = render_run(scene, FUNCTION, NEURONS, quality, out, voice=voice)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user, sys_ = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime  # Manim's processes, all cores
    cpu = user + sys_
    video = result.seconds
    load = os.getloadavg()[0]
    print(
        f"{label:<34} {video:7.1f} {wall:8.1f} {wall / video:10.2f} {cpu:7.1f} {cpu / video:9.2f} {load:6.2f}"
        f"   (user {user:.1f}, sys {sys_:.1f}, minor faults {after.ru_minflt - before.ru_minflt})",
        flush=True,
    )
    return video, wall, cpu


def main() -> None:
    quick = "--quick" in sys.argv
    manim = subprocess.run(
        [sys.executable, "-m", "manim", "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"# {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, {manim}")
    print(f"# {FUNCTION}, {NEURONS} neurons, dark 16:9 mp4 with captions; explainer scenes rendered 2 at a time.")
    print("# cpu s: all Manim processes; load: 1-minute load average after the case (the machine is shared)")
    print(f"{'case':<34} {'video s':>7} {'wall s':>8} {'wall/video':>10} {'cpu s':>7} {'cpu/video':>9} {'load':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["UNIV_CACHE_DIR"] = str(Path(tmp) / "cache")
        out = Path(tmp) / "out"
        if "--scene" in sys.argv:  # one scene at 1080p60, typeset cache warmed at low quality first (not counted)
            name = sys.argv[sys.argv.index("--scene") + 1]
            voice = sys.argv[sys.argv.index("--voice") + 1] if "--voice" in sys.argv else None
            from univ.rendering import render_run

            render_run(name, FUNCTION, NEURONS, "low", out)
            run(name, "high", out, f"{name} 1080p60, {voice or 'silent'}", voice=voice)
            return
        run("bumps", "low", out, "bumps 480p15, cold cache")
        _, low, low_cpu = run("explainer", "low", out, "explainer 480p15, warm cache")
        run("explainer", "low", out, "explainer 480p15, espeak voice", voice="espeak")
        if not quick:
            run("bumps", "high", out, "bumps 1080p60, warm cache")
            run("explainer", "high", out, "explainer 1080p60, warm cache")
            run("explainer", "high", out, "explainer 1080p60, espeak voice", voice="espeak")
    print(
        f"# goal: explainer at low quality under 45 s wall; measured {low:.0f} s wall ({low_cpu:.0f} cpu s "
        "over 2 cores)"
    )


if __name__ == "__main__":
    main()
