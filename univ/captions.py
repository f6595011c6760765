"""Caption cues of a rendered video: collected from each scene's narration sidecar, written as SRT and WebVTT."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .narration import caption_text


@dataclass(frozen=True)
class Cue:
    """One caption cue: from ``start`` to ``end`` seconds of the video, the words on screen (a narrated beat's line,
    or one piece of a long one), the scene it belongs to, and its id (``<scene>-<beat>-<piece>``: the name of its
    recording for ``--voice DIR``)."""

    start: float
    end: float
    text: str
    scene: str
    id: str = ""
    beat: int = 0
    audio: str = ""  # the cue's speech (a WAV espeak-ng wrote, or the teacher's recording); "" when silent


def collect_cues(names: Sequence[str], work: Path, lengths: Sequence[float]) -> list[Cue]:
    """The scenes' cues, shifted by where each scene starts in the joined video, kept inside their scene."""
    cues, offset = [], 0.0
    for name, length in zip(names, lengths):
        f = work / f"{name}.beats.json"
        if f.exists():
            for b, beat in enumerate(json.loads(f.read_text())["cues"], start=1):
                pieces = beat.get("cues") or [beat]  # a beat's line, cut into cues (one when it fits)
                for k, c in enumerate(pieces, start=1):
                    start, end = min(c["start"], length), min(c["end"], length)
                    if end > start:
                        cue_id = c.get("id") or f"{name}-{b}-{k}"
                        at = (round(offset + start, 3), round(offset + end, 3))
                        cues.append(Cue(*at, c["text"], name, cue_id, b, c.get("audio") or ""))
        offset += length
    return cues


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def srt_text(cues: Sequence[Cue]) -> str:
    """SubRip captions: numbered cues, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``."""
    return "".join(
        f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{caption_text(c.text)}\n\n"
        for i, c in enumerate(cues, start=1)
    )


def vtt_text(cues: Sequence[Cue]) -> str:
    """WebVTT captions, as HTML5 <track> and most players read them."""
    return "WEBVTT\n\n" + "".join(
        f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{caption_text(c.text)}\n\n" for c in cues
    )
