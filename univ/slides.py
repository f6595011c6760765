"""The explainer as a slide deck: one slide per narrated beat, in a folder that opens from file:// with no network.

``<video stem>.slides/`` holds ``index.html`` (univ/assets/slides.html, .css and .js, filled in as one file: no CDN,
no fetch, nothing but the clips) and one clip per beat, ``01.mp4``, ``02.mp4``, ... The teacher advances with the
right arrow, space, Page Down (what a presenter remote sends) or a click, and goes back with the left arrow or Page
Up; each slide plays its beat and holds on its last frame; ``c`` toggles the narration caption, ``f`` fullscreen,
``r`` replays the beat, Home and End jump to the first and last slide, ``?`` shows the keys.

Why clips and not one video seeked by time: a clip ends on its own last frame (the browser holds it when the video
ends), so no script has to catch the right moment to pause — seeking one long MP4 and pausing at a beat's end from
``timeupdate`` or animation frames overshoots by a frame or more (a flash of the next beat, or of a fade), lands on
the nearest keyframe in some players, and is at the mercy of a busy or throttled tab. The clips are cut from the
decoded frames (every frame goes to exactly one clip, by its index), so the cuts are frame-exact, and each is
re-encoded as H.264 (yuv420p, faststart), which every current browser plays. A clip is also a file a teacher can drop
into other slide software.

Slide i spans the video from where beat i-1 ends (0 for the first) to where beat i ends, and holds on the frame where
beat i is complete (the next slide's first frame): the animations between two narrated beats lead into the next one,
and the fade that ends the video after the last beat is left out, so the deck holds on the closing card.

Nothing here imports manim; PyAV (which Manim brings) reads and writes the video.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Protocol

from . import assets
from ._io import _umask, write_atomic
from .errors import UnivError
from .palette import palette

DECK_SUFFIX = ".slides"
X264 = {"preset": "veryfast", "crf": "20", "tune": "animation"}  # the clips' encoder: quick, near the source


class _Beat(Protocol):  # univ.rendering.Cue
    start: float
    end: float
    text: str
    scene: str


@dataclass(frozen=True)
class Slide:
    """One slide: it plays frames ``first`` to ``last`` of the video and holds on ``last``; it narrates ``text``.

    ``stop`` is where the beat ends (the next slide's ``first``). ``last`` is frame ``stop`` itself when the video
    has it: a beat's animations reach their final state on the frame after their last one (Manim draws an animation
    at t = 0, 1/fps, ..., never at its end), so the held frame shows the beat completed (h = 0.90, not 0.89), and it
    is also the next slide's first frame: going on is seamless.
    """

    number: int  # from 1
    first: int
    stop: int
    last: int
    text: str
    scene: str
    clip: str  # file name inside the deck


def deck_path(video: Path) -> Path:
    """The deck folder beside a video: ``<stem>.slides``."""
    video = Path(video)
    return video.with_name(video.stem + DECK_SUFFIX)


def plan_slides(beats: Sequence[_Beat], frame_rate: float, frames: int) -> list[Slide]:
    """Cut ``frames`` frames at ``frame_rate`` into one slide per beat.

    Slide i runs from the frame where beat i-1 ends (frame 0 for the first) to the frame where beat i ends; every
    slide has at least one frame of its own. No beats (nothing narrated): one slide, the whole video.
    """
    if not frame_rate > 0 or frames < 1:
        raise UnivError(f"cannot make slides of a video with {frames} frames at {frame_rate} fps")
    if not beats:
        return [Slide(1, 0, frames, frames - 1, "", "", "01.mp4")]
    if len(beats) > frames:
        raise UnivError(f"cannot make {len(beats)} slides of a video with {frames} frames")
    width = max(2, len(str(len(beats))))
    slides, first = [], 0
    for i, beat in enumerate(beats):
        stop = round(beat.end * frame_rate)
        stop = max(stop, first + 1)  # at least one frame
        stop = min(stop, frames - (len(beats) - 1 - i))  # and leave one for each slide still to come
        slides.append(Slide(i + 1, first, stop, min(stop, frames - 1), beat.text, beat.scene, f"{i + 1:0{width}d}.mp4"))
        first = stop
    return slides


def cut_clips(video: Path, slides: Sequence[Slide], folder: Path) -> None:
    """Write each slide's frames (``first`` to ``last``) as its own H.264 MP4 in ``folder``, decoding the video
    once: every frame goes to the clips whose range holds its index, so the cuts are frame-exact."""
    import av

    folder.mkdir(parents=True, exist_ok=True)
    with av.open(str(video)) as inp:
        src = inp.streams.video[0]
        rate = src.average_rate or src.guessed_rate or Fraction(15)
        width, height = src.codec_context.width, src.codec_context.height
        open_: dict[int, tuple] = {}  # slide index -> (container, stream, frames written)
        j = 0  # the first slide whose clip is not finished
        k = -1  # index of the frame in the whole video

        def close(i: int) -> None:
            out, stream, _ = open_.pop(i)
            for packet in stream.encode():
                out.mux(packet)
            out.close()

        try:
            for k, frame in enumerate(inp.decode(src)):
                if j >= len(slides):
                    break
                frame = frame.reformat(format="yuv420p")
                for i in range(j, min(j + 2, len(slides))):
                    if not slides[i].first <= k <= slides[i].last:
                        continue
                    if i not in open_:
                        out = av.open(
                            str(folder / slides[i].clip), "w", format="mp4", options={"movflags": "+faststart"}
                        )
                        stream = out.add_stream("libx264", rate=rate, options=dict(X264))
                        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
                        open_[i] = (out, stream, 0)
                    out, stream, made = open_[i]
                    frame.pts = made
                    frame.time_base = Fraction(1) / Fraction(rate)
                    for packet in stream.encode(frame):
                        out.mux(packet)
                    open_[i] = (out, stream, made + 1)
                while j < len(slides) and slides[j].last <= k:
                    if j in open_:
                        close(j)
                    j += 1
        finally:
            for i in list(open_):
                close(i)
    if j < len(slides):
        raise UnivError(
            f"the video {video.name} has {k + 1} frames, fewer than its slides need ({slides[-1].last + 1})"
        )


def deck_html(slides: Sequence[Slide], frame_rate: float, theme: str = "dark", title: str = "Explainer") -> str:
    """The deck's page: every style and script inline; the slides (clip, narration, times) as JSON.

    Its colours are the video's (:func:`univ.palette.palette`): background, text, muted text and the caption bar, so
    the deck around a clip looks like the clip. An unknown theme is a ConfigError, as for a render.
    """
    colors = palette(theme)
    data = [
        {
            "clip": s.clip,
            "text": s.text,
            "scene": s.scene,
            "start": round(s.first / frame_rate, 4),
            "end": round(s.stop / frame_rate, 4),
        }
        for s in slides
    ]
    return assets.fill(
        "slides.html",
        title=html.escape(title),
        theme=theme,
        bg=colors["background"],
        fg=colors["foreground"],
        muted=colors["note"],
        bar=colors["bar"],
        css=assets.read("slides.css"),
        js=assets.read("slides.js"),
        slides=assets.script_json(data),
    )


def write_deck(
    video: Path, beats: Sequence[_Beat], dest: Path, *, theme: str = "dark", title: str = "Explainer"
) -> list[Slide]:
    """Write the deck for an MP4 ``video`` (H.264 or anything PyAV decodes) into the folder ``dest``.

    The folder is built beside ``dest`` under a hidden name and renamed into place, so a reader never sees half a
    deck; a deck already there is replaced. Returns the slides.
    """
    import av

    video, dest = Path(video), Path(dest)
    with av.open(str(video)) as c:
        s = c.streams.video[0]
        rate = float(s.average_rate or s.guessed_rate or 15)
        frames = s.frames or sum(1 for _ in c.decode(s))
    slides = plan_slides(beats, rate, frames)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        cut_clips(video, slides, tmp)
        write_atomic(tmp / "index.html", deck_html(slides, rate, theme, title).encode())
        os.chmod(tmp, 0o777 & ~_umask())
        old = None
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=dest.parent))
            os.replace(dest, old / "deck")
        os.replace(tmp, dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return slides
