"""Manim patches: cheaper frame writing in the segment encoder, x264 settings, Text typeset on a wide page."""

from __future__ import annotations

import ctypes
import ctypes.util
from fractions import Fraction

from manim import Text, config

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)


def keep_freed_memory(most: int = 32 << 20, trim: int = 512 << 20) -> bool:
    """Let glibc's malloc reuse freed frames instead of returning them to the system.

    Every frame is a fresh 8 MB array at 1080p (the camera's copy, the background, the encoder's frames). Above
    its threshold, malloc maps each one from the system and unmaps it when freed, so every frame touched 2,000 new
    pages: a page fault each, which cost about as much system CPU time as the drawing's user time. Kept below the
    threshold (``most`` bytes; glibc caps it at 32 MB) and not trimmed from the heap (up to ``trim`` bytes free),
    the same memory serves frame after frame. Returns whether glibc took the settings (another C library: no).
    """
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, most)) and bool(mallopt(M_TRIM_THRESHOLD, trim))


keep_freed_memory()

if config.video_codec == "libx264" and not config.video_encoder_options:  # a manim.cfg's own settings win
    config.video_encoder_options = {"crf": "23", "preset": "veryfast"}  # less CPU than x264's "medium"


def _text2svg_unwrapped(self, color):
    """Typeset a Text on a wide page: Pango wraps lines at the page width, which manim sets to the video's pixel
    width, so a small render (or a portrait one) broke lines a large one did not, and the cached SVG carried the
    break into later renders. Lines break only where the text says so."""
    saved = config.pixel_width
    config.pixel_width = max(saved, 8192)
    try:
        return _text2svg(self, color)
    finally:
        config.pixel_width = saved


_text2svg = Text._text2svg
Text._text2svg = _text2svg_unwrapped


def _write_frame(self, pixels, *, repeat: int = 1) -> None:
    """Manim's segment encoder, cheaper per frame: the RGBA picture is copied into one reused frame (PyAV's
    ``from_ndarray`` cost about 5 ms a 1080p frame, five times a plain copy) and converted to the codec's pixel
    format once, however many times it is held (a wait while the words finish repeated both per frame). The frames
    and their timestamps are the same."""
    self._validate_frame(pixels, repeat)
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        pix_fmt = self._stream.pix_fmt
        if getattr(self, "_rgba", None) is None:
            self._rgba = _segments.av.VideoFrame(self.spec.width, self.spec.height, "rgba")
        if pix_fmt != "rgba" and self._rgba.planes[0].line_size == 4 * self.spec.width:
            # the encoder is given the converted frame, never this one: it can be refilled for the next frame
            self._rgba.planes[0].update(pixels)
            frame = self._rgba.reformat(format=pix_fmt)
        else:
            frame = _segments.av.VideoFrame.from_ndarray(pixels, format="rgba")
            if pix_fmt != "rgba":
                frame = frame.reformat(format=pix_fmt)
        for _ in range(repeat):
            frame.pts = self._next_pts
            frame.time_base = time_base
            self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


try:  # Manim's segment encoder (0.19 and later); another Manim keeps its own
    from manim.scene import video_segment_encoder as _segments

    if hasattr(_segments.VideoSegmentEncoder, "_validate_frame"):
        _segments.VideoSegmentEncoder.write_frame = _write_frame
except ImportError:
    pass
