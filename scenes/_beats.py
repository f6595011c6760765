"""Timed beats: frame-exact plays and waits, and narration that sets the pace."""

from __future__ import annotations

import json
import os
from contextlib import contextmanager

import numpy as np
from _layout import frame_size, layout_boxes
from _plan import ASPECT, BACKGROUND, LAYOUT_DIR, PLAN, THEME, hold_seconds
from manim import Wait, config

from univ import ConfigError, cue_audio, cue_seconds, cue_starts, split_cues


# -- timed beats and their narration -----------------------------------------------------------------------------
def _sidecar(scene, suffix: str) -> str | None:
    """Where the scene writes its beats (``beats.json``) or their progress for the renderer; None under plain manim."""
    if PLAN.work is None:
        return None
    return os.path.join(PLAN.work, f"{PLAN.scene_name(type(scene).__name__)}.{suffix}")


class Beats:
    """Mixin for a Manim scene: frame-exact timing, and narration that sets the pace.

    Every ``play`` and ``wait`` must say its length in seconds. Each ends on the frame nearest the sum of the
    nominal lengths so far, so rounding never accumulates: the scene lasts the same, to within a frame, at any frame
    rate. ``with self.beat("narration")`` wraps the animations the line describes; the line is cut into caption cues
    (:func:`univ.narration.split_cues`) and the beat lasts as long as its animations or its words, whichever is
    longer: when the animations end first, the picture holds until every cue has been on screen long enough to read
    (17 characters a second, 1.5 s at least). ``self.hold()`` inside a beat keeps the conclusion on screen for
    ``--hold`` seconds after that. The cues are written as JSON into the plan's ``work`` folder when the scene ends.
    """

    def setup(self):
        super().setup()
        self._clock = 0.0  # nominal seconds so far
        self._cues: list[dict] = []
        self._beat_count = 0
        self._in_beat = False
        self._hold_due = False
        self._layout: list[dict] = []

    def _frames_for(self, seconds: float, static: bool = False) -> float:
        if not (isinstance(seconds, (int, float)) and seconds > 0):
            raise ValueError(f"run_time must be a positive number of seconds, got {seconds!r}")
        self._clock += float(seconds)
        fps = float(config.frame_rate)
        if self.renderer.skip_animations:  # a still (png): no frames to count
            return float(seconds)
        done = round(self.renderer.time * fps)
        k = max(1, round(self._clock * fps) - done)
        # manim makes ceil(run_time · fps) frames for an animation, floor(run_time · fps) for a frozen wait
        return (k + 0.25) / fps if static else max(k - 0.25, 1.0) / fps  # manim warns below one frame

    def play(self, *animations, run_time: float | None = None, **kwargs):
        if run_time is None:
            raise TypeError("every play in an explainer scene says its run_time in seconds")
        return super().play(*animations, run_time=self._frames_for(run_time), **kwargs)

    def wait(self, duration: float = 1.0, frozen_frame: bool | None = None, **kwargs):
        if frozen_frame is None:  # as manim decides it: nothing updates with time
            frozen_frame = not (
                self.always_update_mobjects
                or self.updaters
                or any(m.has_time_based_updater() for m in self.get_mobject_family_members())
            )
        run_time = self._frames_for(duration, static=frozen_frame)
        return super().play(Wait(frozen_frame=frozen_frame), run_time=run_time)

    def hold(self) -> None:
        """Keep the conclusion on screen (``--hold`` seconds); inside a beat, once its words have finished."""
        if self._in_beat:
            self._hold_due = True
            return
        seconds = hold_seconds()
        if seconds > 0:
            self.wait(seconds)

    @contextmanager
    def beat(self, line: str):
        """One narrated idea: the animations inside the block are what ``line`` describes; the beat lasts at least
        as long as its cues take to read."""
        if self._in_beat:
            raise RuntimeError("beats do not nest")
        start = float(self.renderer.time)
        # a run of plays shorter than a frame each (many items at a low frame rate) puts the video ahead of the
        # nominal clock; the clock catches up here, so the frames owed never come out of this beat's words
        self._clock = clock = max(self._clock, start)
        self._beat_count += 1
        cues = split_cues(line)
        name = PLAN.scene_name(type(self).__name__)
        ids = [f"{name}-{self._beat_count}-{k}" for k in range(1, len(cues) + 1)]
        audio = [self._speech(i, c) for i, c in zip(ids, cues)]  # (file, seconds) per cue with a voice
        needs = [cue_seconds(c, a[1] if a else None) for c, a in zip(cues, audio)]
        progress = _sidecar(self, "progress")
        if progress:
            with open(progress, "a") as f:
                f.write(json.dumps({"beat": self._beat_count, "text": line}) + "\n")
        self._in_beat = True
        try:
            yield
        finally:
            self._in_beat = False
        short = sum(needs) - (self._clock - clock)
        if short > 1e-6:  # the animation holds while the words finish
            self.wait(short)
        if self._hold_due:
            self._hold_due = False
            self.hold()
        end = float(self.renderer.time)
        self._snapshot()
        spans = cue_starts(needs, start, end)
        self._cues.append(
            {
                "start": round(start, 4),
                "end": round(end, 4),
                "text": line,
                "cues": [
                    {"id": i, "start": round(a, 4), "end": round(b, 4), "text": c, "audio": str(v[0]) if v else None}
                    for i, c, (a, b), v in zip(ids, cues, spans, audio)
                ],
            }
        )

    def sample_layout(self) -> None:
        """Test mode: also check the layout here, inside a beat (labels that come and go before it ends)."""
        self._snapshot()

    def _snapshot(self) -> None:
        """Test mode (the plan's ``layout`` folder set): keep the frame as drawn at the end of the beat and the
        boxes of its labels and neurons, for the layout tests."""
        if not LAYOUT_DIR or self.renderer.skip_animations:
            return
        from PIL import Image

        stem = f"{PLAN.scene_name(type(self).__name__)}_{ASPECT.replace(':', 'x')}_{THEME}_{len(self._layout) + 1}"
        Image.fromarray(np.asarray(self.renderer.get_frame())[..., :3]).save(os.path.join(LAYOUT_DIR, stem + ".png"))
        self._layout.append({"beat": self._beat_count, "frame": stem + ".png", **layout_boxes(self.mobjects)})

    def _speech(self, cue_id: str, text: str):
        """The cue's audio and its length (None without a voice). A bad recording is written down for the renderer
        (one line naming the cue) before the scene stops."""
        if PLAN.voice is None or PLAN.work is None or self.renderer.skip_animations:
            return None
        try:
            return cue_audio(PLAN.voice, cue_id, text, PLAN.work)
        except ConfigError as exc:
            with open(_sidecar(self, "voice-error"), "w") as f:
                f.write(str(exc))
            raise

    def tear_down(self):
        super().tear_down()
        path = _sidecar(self, "beats.json")
        if path:
            record = {
                "scene": type(self).__name__,
                "duration": round(float(self.renderer.time), 4),
                "frame_rate": float(config.frame_rate),
                "cues": self._cues,
            }
            tmp = path + ".tmp"
            with open(tmp, "w") as f:
                json.dump(record, f, indent=1)
            os.replace(tmp, path)
        if LAYOUT_DIR and self._layout:
            stem = f"{PLAN.scene_name(type(self).__name__)}_{ASPECT.replace(':', 'x')}_{THEME}"
            record = {"frame_size": frame_size(), "background": BACKGROUND, "beats": self._layout}
            with open(os.path.join(LAYOUT_DIR, stem + ".layout.json"), "w") as f:
                json.dump(record, f, indent=1)
