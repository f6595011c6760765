"""Video files after Manim: other formats (WebM, GIF, a still), lengths, and scenes joined into one MP4."""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from ._io import _umask
from .errors import UnivError


def gif_delay(rate: float) -> int:
    """A GIF frame's delay in centiseconds for a video at ``rate`` frames a second.

    A GIF says each frame's delay in whole centiseconds, and browsers show delays under 2 cs as 10 cs: 15 fps
    (6.67 cs) cannot be held exactly, and rounding frame by frame makes the timing uneven. The GIF keeps one
    delay, the nearest at or above the video's (a rate at or below it), and the frames are resampled to it.
    """
    return max(2, math.ceil(100 / rate - 1e-9))


def transcode(src: Path, dest: Path, fmt: str) -> None:
    """Re-encode an MP4 as WebM (VP9) or an animated GIF, with PyAV, keeping its length and even frame timing.

    WebM keeps every frame at its own time; the GIF shows frames at one delay (:func:`gif_delay`), each the
    video's frame on screen at that moment, so both last as long as the video to within a frame.
    """
    import av

    with av.open(str(src)) as inp, av.open(str(dest), "w", format="webm" if fmt == "webm" else "gif") as out:
        s = inp.streams.video[0]
        rate = Fraction(s.average_rate or 15).limit_denominator(1001)
        frames = (f for f in inp.decode(s))
        if fmt == "webm":
            o = out.add_stream(
                "libvpx-vp9", rate=rate, options={"deadline": "realtime", "cpu-used": "8", "crf": "30", "b": "0"}
            )
            o.pix_fmt = "yuv420p"
            tb = 1 / rate  # one tick a frame
        else:
            delay = gif_delay(float(rate))
            o = out.add_stream("gif", rate=Fraction(100, delay))
            o.pix_fmt = "rgb8"
            tb = Fraction(1, 100)  # the GIF's own clock: centiseconds
        o.width, o.height = s.codec_context.width, s.codec_context.height
        o.codec_context.time_base = tb
        if fmt == "webm":
            timed = ((i, f) for i, f in enumerate(frames))
        else:
            timed = _resampled(frames, float(rate), delay)
        for pts, frame in timed:
            frame = frame.reformat(format=o.pix_fmt) if fmt == "gif" else frame
            frame.pts, frame.time_base = pts, tb
            for packet in o.encode(frame):
                out.mux(packet)
        for packet in o.encode():
            out.mux(packet)


def _resampled(frames, rate: float, delay: int):
    """(pts in centiseconds, frame) every ``delay`` cs: the frame on screen then, for a video at ``rate`` fps."""
    frames = list(frames)
    count = math.floor(len(frames) / rate * 100 / delay + 0.5)  # as many as fit the video's length, rounded
    for k in range(max(1, count)):
        yield k * delay, frames[min(len(frames) - 1, math.floor(k * delay * rate / 100 + 1e-9))]


def _place(src: Path, dest: Path) -> None:
    """Move a finished file to ``dest`` atomically: copy beside it under a hidden name, then rename.

    The file's mode follows the umask, as every file univ writes does.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            shutil.copyfileobj(inp, out, 1 << 20)
        os.chmod(tmp, 0o666 & ~_umask())  # as open(dest, "w") would make it, not mkstemp's 0600
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
                elif (src.codec_context.width, src.codec_context.height) != (
                    stream.codec_context.width,
                    stream.codec_context.height,
                ):
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
