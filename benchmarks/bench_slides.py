"""Issue 11 ``--slides``: what the slide deck costs on top of a render.

Renders the default explainer (sin(3x), low quality: 854×480 at 15 fps) with its captions once, then times
``univ.slides.write_deck`` on that video and its caption cues for a few x264 settings (best of 2 each): wall
seconds, the deck's size against the video's, and the number of slides. The deck uses the first setting.

Run: .venv/bin/python benchmarks/bench_slides.py [VIDEO.mp4]   (an existing explainer MP4 with its .vtt beside it
skips the render; the output is recorded in bench_slides.txt)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import univ.rendering as render_mod
import univ.slides as slides_mod

SETTINGS = [
    slides_mod.X264,
    {"preset": "superfast", "crf": "20", "tune": "animation"},
    {"preset": "ultrafast", "crf": "20"},
    {"preset": "veryfast", "crf": "23"},
]


def cues_from_vtt(path: Path) -> list[render_mod.Cue]:
    text = path.read_text()
    cues = []
    for block in text[len("WEBVTT\n\n") :].strip().split("\n\n"):
        head, *body = block.split("\n")
        a, b = head.split(" --> ")

        def sec(t: str) -> float:
            h, m, s = t.split(":")
            return int(h) * 3600 + int(m) * 60 + float(s)

        cues.append(render_mod.Cue(sec(a), sec(b), "\n".join(body), ""))
    return cues


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-slides-") as tmp:
        if len(sys.argv) > 1:
            video = Path(sys.argv[1])
        else:
            t0 = time.perf_counter()
            video = render_mod.render_run("explainer", "sin(3x)", out_dir=tmp).video
            print(f"render (no slides): {time.perf_counter() - t0:.1f} s")
        cues = cues_from_vtt(video.with_suffix(".vtt"))
        seconds = render_mod.video_seconds(video)
        print(f"video: {video.name}, {seconds:.1f} s, {size(video) / 1e6:.1f} MB, {len(cues)} caption cues")
        for opts in SETTINGS:
            slides_mod.X264 = opts
            best = float("inf")
            for _ in range(2):
                dest = Path(tmp) / "deck.slides"
                t0 = time.perf_counter()
                made = slides_mod.write_deck(video, cues, dest)
                best = min(best, time.perf_counter() - t0)
            print(
                f"{opts}: {best:.2f} s for {len(made)} slides ({best / seconds * 100:.1f} % of the video's length), "
                f"deck {size(dest) / 1e6:.1f} MB"
            )
            shutil.rmtree(dest)


if __name__ == "__main__":
    main()
