"""What the video and browser tests share: reading rendered frames and captions, and launching Debian's Chromium."""

from __future__ import annotations

import importlib.util
import os

import pytest

needs_manim = pytest.mark.skipif(importlib.util.find_spec("manim") is None, reason="the video extra is not installed")

# Debian's chromium, driven by Playwright (its own browser download cannot be reached here). Without the
# background-networking flags Chromium keeps dialling out, and this machine's closed network refuses it.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return 'playwright for Python is not installed (pip install -e ".[dev]")'
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Debian chromium at {CHROMIUM} (apt-get install chromium; scripts/setup.sh does)"
    return None


def frames_of(path):
    """Every frame of a video as an RGB array."""
    import av

    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(c.streams.video[0])]


def _seconds(stamp: str) -> float:
    h, m, s = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def parse_srt(text: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue; fails on a block that is not numbered SRT."""
    cues = []
    for block in text.strip().split("\n\n"):
        number, head, *body = block.split("\n")
        assert number.isdigit(), block
        a, b = head.split(" --> ")
        assert len(a) == len(b) == 12 and a[8] == b[8] == ",", head
        cues.append((_seconds(a), _seconds(b), "\n".join(body)))
    return cues


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue of a WebVTT file."""
    assert text.startswith("WEBVTT\n\n")
    cues = []
    for block in text[len("WEBVTT\n\n") :].strip().split("\n\n"):
        head, *body = block.split("\n")
        a, b = head.split(" --> ")
        cues.append((_seconds(a), _seconds(b), "\n".join(body)))
    return cues
