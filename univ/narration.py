"""Narration paced for the learner: a beat's line cut into caption cues, and how long each must stay on screen."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

READING_SPEED = 17.0  # characters a second: the common broadcast guideline for captions
MIN_CUE_SECONDS = 1.5  # no cue is on screen for less
LINE_CHARS = 42  # a caption line's most characters
CUE_LINES = 2  # a cue's most lines
SPEECH_GAP = 0.25  # seconds of silence after each spoken cue before the next starts

_BREAKS = (r"(?<=[.!?])\s+", r"(?<=[:;])\s+", r"(?<=,)\s+", r"\s+(?=(?:and|but|so|then|or)\b)")


def wrap(text: str, width: int = LINE_CHARS) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words (a longer word keeps its line).

    Examples
    --------
    >>> wrap("As the weight w grows, the ramp sharpens into a step.", 30)
    ['As the weight w grows, the', 'ramp sharpens into a step.']
    """
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def fits(text: str) -> bool:
    """Whether ``text`` wraps into at most two lines of 42 characters (one caption cue)."""
    lines = wrap(text)
    return len(lines) <= CUE_LINES and all(len(ln) <= LINE_CHARS for ln in lines)


def split_cues(line: str) -> list[str]:
    """A narration line cut into caption cues that each fit two lines of 42 characters.

    It cuts at the strongest break that helps: between sentences, then after a colon or semicolon, then after a
    comma or before a conjunction, and last between words into balanced pieces. Joined with spaces, the cues are
    the line again.

    Parameters
    ----------
    line : str
        One beat's narration.

    Returns
    -------
    list of str
        The cues, in order; one when the line fits already.
    """
    text = " ".join(line.split())
    if not text:
        return []
    if fits(text):
        return [text]
    for pattern in _BREAKS:
        parts = [p for p in re.split(pattern, text) if p]
        if len(parts) > 1:
            return [cue for group in _merge(parts) for cue in split_cues(group)]
    words = text.split()
    pieces = math.ceil(len(text) / (CUE_LINES * LINE_CHARS - 8))  # balanced: no orphan word on its own
    size = math.ceil(len(words) / max(2, pieces))
    groups = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
    if len(groups) < 2:  # one unbreakable word: it is the cue
        return [text]
    return [cue for group in groups for cue in split_cues(group)]


def _merge(parts: list[str]) -> list[str]:
    """Neighbouring parts joined while they still fit one cue (fewer, fuller cues)."""
    out: list[str] = []
    for part in parts:
        if out and fits(out[-1] + " " + part):
            out[-1] += " " + part
        else:
            out.append(part)
    return out


def reading_seconds(cue: str) -> float:
    """The least time ``cue`` stays on screen: 17 characters a second, never under 1.5 s."""
    return max(MIN_CUE_SECONDS, len(cue) / READING_SPEED)


def cue_seconds(cue: str, speech: float | None = None) -> float:
    """How long a cue needs: its reading time, or its speech and a short pause when that is longer."""
    need = reading_seconds(cue)
    if speech is not None:
        if not (math.isfinite(speech) and speech >= 0):
            raise ValueError(f"speech must be a finite number of seconds, got {speech!r}")
        need = max(need, speech + SPEECH_GAP)
    return need


def cue_starts(needs: Sequence[float], start: float, end: float) -> list[tuple[float, float]]:
    """Each cue's (start, end) within a beat from ``start`` to ``end``: one after another, each as long as it
    needs, the last one on screen until the beat ends (the animation may run longer than the words)."""
    spans, t = [], start
    for i, need in enumerate(needs):
        stop = end if i == len(needs) - 1 else min(t + need, end)
        spans.append((t, stop))
        t = stop
    return spans


def caption_text(cue: str) -> str:
    """A cue as captions show it: wrapped in at most two lines."""
    return "\n".join(wrap(cue))
