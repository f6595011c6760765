"""The render plan: every setting a render gives its scenes, validated once, written once as JSON."""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ._io import write_atomic
from .errors import ConfigError
from .limits import MAX_HOLD
from .limits import MAX_SCENE_NEURONS as MAX_NEURONS

PLAN_ENV = "UNIV_PLAN"  # the one environment variable: the path of the plan's JSON (unset: the defaults)
DEFAULT_FUNCTION = "sin(3x)"
DEFAULT_NEURONS = 20
DEFAULT_HOLD = 2.5  # seconds each conclusion stays on screen once its words have finished
THEMES = ("dark", "light")
ASPECTS = {"16:9": (16, 9), "9:16": (9, 16), "1:1": (1, 1)}
VOICES = ("espeak",)  # synthetic voices by name; anything else given is a folder of recordings


def _interval(name: str, value) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        a, b = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be two numbers (a, b), got {value!r}") from None
    if not (math.isfinite(a) and math.isfinite(b) and a < b):
        raise ConfigError(f"{name} must be two finite numbers a < b, got {value!r}")
    return a, b


@dataclass(frozen=True)
class RenderPlan:
    """What every scene of a render draws and how: the one place the render's settings and their defaults live.

    Parameters
    ----------
    function : str
        The expression, as typed (the scenes parse it with :func:`univ.parse`).
    neurons : int
        Hidden neurons of the hand-built nets: a count the construction accepts (bumps: even), at most 200.
    domain, ydomain : (float, float), optional
        The x interval and, for a function of x and y, the y interval.
    theme : {"dark", "light"}
    aspect : {"16:9", "9:16", "1:1"}
    hold : float
        Seconds each conclusion stays on screen after its words, from 0 to 60.
    voice : str, optional
        ``"espeak"`` (a synthetic voice reads each cue) or a folder of recordings, one per cue id; None: silent.
    work : str, optional
        Folder where each scene writes its beats (``<scene>.beats.json``), progress and speech; None: nowhere.
    scenes : dict, optional
        Scene class name to the name the renderer knows it by (the first part of its cue ids).
    layout : str, optional
        Tests only: a folder where each beat leaves its frame and the boxes of its labels and neurons (the layout
        tests read them); None: nothing is kept.
    """

    function: str = DEFAULT_FUNCTION
    neurons: int = DEFAULT_NEURONS
    domain: tuple[float, float] | None = None
    ydomain: tuple[float, float] | None = None
    theme: str = "dark"
    aspect: str = "16:9"
    hold: float = DEFAULT_HOLD
    voice: str | None = None
    work: str | None = None
    scenes: dict[str, str] = field(default_factory=dict)
    layout: str | None = None

    def __post_init__(self):
        if not isinstance(self.function, str) or not self.function.strip():
            raise ConfigError(f"function must be an expression, got {self.function!r}")
        n = self.neurons
        if isinstance(n, bool) or not isinstance(n, int):
            raise ConfigError(f"neurons must be a whole number, got {n!r}")
        if not 2 <= n <= MAX_NEURONS:
            raise ConfigError(
                f"neurons must be from 2 to {MAX_NEURONS} in a video (more would not be visible), got {n}"
            )
        object.__setattr__(self, "domain", _interval("domain", self.domain))
        object.__setattr__(self, "ydomain", _interval("ydomain", self.ydomain))
        if self.theme not in THEMES:
            raise ConfigError(f"unknown theme {self.theme!r}; choose one of {', '.join(THEMES)}")
        if self.aspect not in ASPECTS:
            raise ConfigError(f"unknown aspect {self.aspect!r}; choose one of {', '.join(ASPECTS)}")
        h = self.hold
        if isinstance(h, bool) or not isinstance(h, (int, float)) or not 0 <= h <= MAX_HOLD:
            raise ConfigError(f"hold must be a number of seconds from 0 to {MAX_HOLD:g}, got {h!r}")
        object.__setattr__(self, "hold", float(h))
        if self.voice is not None and (not isinstance(self.voice, str) or not self.voice.strip()):
            raise ConfigError(f"voice must be espeak or a folder of recordings, got {self.voice!r}")
        if not isinstance(self.scenes, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.scenes.items()
        ):
            raise ConfigError(f"scenes must map scene classes to names, got {self.scenes!r}")
        if self.layout is not None and (not isinstance(self.layout, str) or not self.layout.strip()):
            raise ConfigError(f"layout must be a folder, got {self.layout!r}")

    def scene_name(self, cls: str) -> str:
        """The name a scene class goes by in cue ids and file names (its lower-case class name by default)."""
        return self.scenes.get(cls, cls.lower())

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> RenderPlan:
        """The plan a JSON text describes, validated as if it had been built here."""
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise ConfigError(f"the render plan is not JSON: {exc}") from None
        if not isinstance(raw, dict):
            raise ConfigError("the render plan must be a JSON object")
        unknown = set(raw) - set(cls.__dataclass_fields__)
        if unknown:
            raise ConfigError(f"the render plan has unknown fields: {', '.join(sorted(unknown))}")
        return cls(**raw)

    def write(self, path: str | os.PathLike) -> Path:
        """Write the plan as JSON to ``path`` (atomically) and return it."""
        path = Path(path)
        write_atomic(path, self.to_json().encode())
        return path


def read_plan() -> RenderPlan:
    """The plan of the render this process is part of (``UNIV_PLAN``), or the defaults for plain ``manim``."""
    path = os.environ.get(PLAN_ENV, "").strip()
    if not path:
        return RenderPlan()
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise ConfigError(f"cannot read the render plan {path}: {exc.strerror}") from None
    return RenderPlan.from_json(text)
