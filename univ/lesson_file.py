"""Lesson files: the TOML a teacher writes, read and checked, every mistake naming its line and key."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import tomllib

from ._io import slug
from .constructions import construct
from .constructions.config import DEFAULT_METHOD
from .data import looks_like_data_file
from .errors import ConfigError, UnivError
from .limits import MAX_FRAME_RATE, MAX_SIDE
from .plan import ASPECTS, THEMES, RenderPlan
from .rendering import QUALITIES, SCENES, explainer_scenes
from .target import Target, parse
from .voice import check_voice

MAKE = ("explainer", "page", "slides", "figures")  # what a lesson can make for each function
_TOP = {"title", "defaults", "function"}
_FUNCTION = {"expression", "data", "title", "domain", "ydomain", "neurons", "method", "make", "explainer"}
_DEFAULTS = _FUNCTION - {"expression", "data", "title"}
_EXPLAINER = {"scenes", "themes", "aspects", "quality", "short_side", "fps", "hold", "voice"}


class LessonError(ConfigError):
    """A bad lesson file: the message names the file, the line and the key."""


# -- reading the lesson file ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Explainer:
    """The explainer videos of one function: one per theme and aspect, each its scenes joined."""

    scenes: tuple[str, ...]
    themes: tuple[str, ...] = ("dark",)
    aspects: tuple[str, ...] = ("16:9",)
    quality: str = "low"
    short_side: int | None = None  # the frame's shorter side in pixels instead of the quality's
    fps: float | None = None
    hold: float | None = None
    voice: str | None = None


@dataclass(frozen=True)
class Item:
    """One function of a lesson and what to make for it."""

    name: str  # its folder in the lesson
    title: str
    expression: str  # as typed, or the data file's name
    data: bytes | None  # the data file's bytes (a task may run on another machine)
    domain: tuple[float, float] | None
    ydomain: tuple[float, float] | None
    neurons: int
    method: str
    make: tuple[str, ...]
    explainer: Explainer | None
    notes: tuple[str, ...] = ()  # what was left out and why


@dataclass(frozen=True)
class Lesson:
    """A lesson file, checked."""

    title: str
    items: tuple[Item, ...]
    path: Path


class _Lines:
    """Where a key sits in the lesson's text (tomllib does not say): the line of ``key =`` in its table."""

    def __init__(self, text: str):
        self.tables: dict[tuple, int] = {(): 1}
        self.keys: dict[tuple, int] = {}
        current: tuple = ()
        count = 0
        for no, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if m := re.fullmatch(r"\[\[\s*([\w.]+)\s*\]\]", line):
                if m.group(1) == "function":
                    count += 1
                current = ("function", count - 1) if m.group(1) == "function" else tuple(m.group(1).split("."))
                self.tables.setdefault(current, no)
            elif m := re.fullmatch(r"\[\s*([\w.\"]+)\s*\]", line):
                parts = tuple(p.strip('"') for p in m.group(1).split("."))
                current = ("function", count - 1, *parts[1:]) if parts[0] == "function" else parts
                self.tables.setdefault(current, no)
            elif m := re.match(r"([\w.\"]+)\s*=", line):
                path = current + tuple(p.strip('"') for p in m.group(1).split("."))
                self.keys.setdefault(path, no)
                if "{" in line:  # an inline table: its keys on this line
                    for k in re.findall(r"[{,]\s*(\w+)\s*=", line):
                        self.keys.setdefault(path + (k,), no)

    def of(self, path: tuple) -> int:
        """The line of ``path`` (a key), else of the nearest enclosing key or table."""
        while path:
            if path in self.keys:
                return self.keys[path]
            if path in self.tables:
                return self.tables[path]
            path = path[:-1]
        return 1


def _name(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def load_lesson(path: str | os.PathLike) -> Lesson:
    """Read and check a lesson file; every mistake is a :class:`LessonError` naming the line and key.

    Parameters
    ----------
    path : path
        A TOML file: ``title``, a ``[defaults]`` table, and ``[[function]]`` tables with ``expression`` (or ``data``,
        a CSV file beside the lesson), ``title``, ``domain``, ``ydomain``, ``neurons``, ``method``, ``make`` (a list
        of explainer, page, slides, figures) and an ``explainer`` table (``scenes``, ``themes``, ``aspects``,
        ``quality``, ``short_side``, ``fps``, ``hold``, ``voice``). A function's keys override the defaults.

    Returns
    -------
    Lesson
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the lesson {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(f"{path}: not TOML: {exc}") from None
    lines = _Lines(text)

    def fail(key: tuple, message: str) -> LessonError:
        return LessonError(f"{path}:{lines.of(key)}: {_name(key)}: {message}")

    _known(raw, _TOP, (), fail)
    title = raw.get("title", path.stem)
    if not isinstance(title, str) or not title.strip():
        raise fail(("title",), f"must be a non-empty string, got {title!r}")
    defaults = raw.get("defaults", {})
    if not isinstance(defaults, dict):
        raise fail(("defaults",), "must be a table")
    _known(defaults, _DEFAULTS, ("defaults",), fail)
    functions = raw.get("function")
    if not isinstance(functions, list) or not functions or not all(isinstance(f, dict) for f in functions):
        raise fail(("function",), "the lesson needs at least one [[function]] table")
    items = [_item(i, f, defaults, path.parent, fail) for i, f in enumerate(functions)]
    seen: dict[str, int] = {}
    for i, item in enumerate(items):  # two functions of one name get folders of their own
        if item.name in seen:
            items[i] = replace(item, name=f"{item.name}-{i + 1}")
        seen[item.name] = i
    return Lesson(title.strip(), tuple(items), path)


def _known(table: dict, allowed: set, where: tuple, fail) -> None:
    for key in table:
        if key not in allowed:
            raise fail((*where, key), f"unknown key; allowed here: {', '.join(sorted(allowed))}")


def _strings(value, key, fail, choices: Iterable[str]) -> tuple[str, ...]:
    choices = tuple(choices)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise fail(key, f"must be a list of names from {', '.join(choices)}, got {value!r}")
    for v in value:
        if v not in choices:
            raise fail(key, f"unknown {v!r}; choose from {', '.join(choices)}")
    if len(set(value)) != len(value):
        raise fail(key, f"names one twice: {value!r}")
    return tuple(value)


def _item(i: int, f: dict, defaults: dict, here: Path, fail) -> Item:
    at = ("function", i)
    _known(f, _FUNCTION, at, fail)
    merged = {**defaults, **f}
    where = {k: (at + (k,) if k in f else ("defaults", k)) for k in merged}
    if ("expression" in f) == ("data" in f):
        raise fail(at, "give one of expression (a formula) or data (a CSV file beside the lesson)")
    source = "expression" if "expression" in f else "data"
    text = f[source]
    if not isinstance(text, str) or not text.strip():
        raise fail(at + (source,), f"must be a non-empty string, got {text!r}")
    neurons = merged.get("neurons", 20)
    if isinstance(neurons, bool) or not isinstance(neurons, int):
        raise fail(where["neurons"], f"must be a whole number, got {neurons!r}")
    method = merged.get("method")
    target, data, domain, ydomain = _read_target(f, merged, where, at, source, here, fail)
    method = DEFAULT_METHOD[target.dimension] if method is None else method
    try:
        construct(target, neurons=neurons, method=method)
    except UnivError as exc:
        key = where.get("method") if "method" in str(exc) and "method" in merged else where.get("neurons", at)
        raise fail(key, str(exc)) from None
    make = _strings(merged.get("make", list(MAKE)), where.get("make"), fail, MAKE)
    notes = []
    if data is not None and {"explainer", "slides"} & set(make):
        notes.append("no explainer or slides: videos animate a formula, and this is a data file")
        make = tuple(m for m in make if m not in ("explainer", "slides"))
    if target.dimension == 2 and "page" in make:
        notes.append("no page: the page plays with functions of x alone")
        make = tuple(m for m in make if m != "page")
    explainer = None
    if {"explainer", "slides"} & set(make):
        explainer = _explainer(merged.get("explainer", {}), f.get("explainer", {}), defaults, at, here, target, fail)
        try:
            RenderPlan(function=text.strip(), neurons=neurons)  # the scenes' nets: even counts, 2 to 200
            if target.dimension == 1:
                construct(target, neurons=neurons)  # the bumps the scenes build
        except UnivError as exc:
            raise fail(where.get("neurons", at), str(exc)) from None
    title = f.get("title", text.strip())
    if not isinstance(title, str):
        raise fail(at + ("title",), f"must be a string, got {title!r}")
    name = slug(Path(text).stem if data is not None else text)
    return Item(
        name,
        title,
        text.strip(),
        data,
        target.domain[0] if domain is not None else None,
        target.domain[1] if ydomain is not None and target.dimension == 2 else None,
        neurons,
        method,
        make,
        explainer,
        tuple(notes),
    )


def _read_target(f: dict, merged: dict, where: dict, at: tuple, source: str, here: Path, fail):
    """The function's Target (its formula parsed, or its data file read), its data bytes and the domains given."""
    text = f[source]
    domain, ydomain = merged.get("domain"), merged.get("ydomain")
    data = None
    try:
        if source == "data":
            if "domain" in f or "ydomain" in f:
                raise fail(at + ("domain",), "a data file sets its own domain; leave domain out")
            file = here / text
            if not looks_like_data_file(text) or not file.is_file():
                raise fail(at + ("data",), f"{text!r} is not a CSV file beside the lesson")
            data = file.read_bytes()
            target = Target.from_csv(file)
            domain = ydomain = None
        else:
            target = parse(text.strip(), domain=_pair(domain), ydomain=_pair(ydomain)).check()
    except LessonError:
        raise
    except UnivError as exc:
        key = where.get("domain") if "domain" in str(exc) and "domain" in merged else at + (source,)
        raise fail(key, str(exc)) from None
    return target, data, domain, ydomain


def _pair(value):
    return tuple(value) if isinstance(value, list) else value


def _explainer(merged: dict, own: dict, defaults: dict, at: tuple, here: Path, target, fail) -> Explainer:
    base = defaults.get("explainer", {})
    if not isinstance(base, dict) or not isinstance(own, dict):
        raise fail(at + ("explainer",) if not isinstance(own, dict) else ("defaults", "explainer"), "must be a table")
    _known(base, _EXPLAINER, ("defaults", "explainer"), fail)
    _known(own, _EXPLAINER, at + ("explainer",), fail)
    e = {**base, **own}

    def key(k):
        return at + ("explainer", k) if k in own else ("defaults", "explainer", k)

    allowed = explainer_scenes(target.dimension)
    scenes = _strings(e.get("scenes", allowed), key("scenes"), fail, SCENES)
    for s in scenes:
        if s not in allowed:
            raise fail(key("scenes"), f"{s} does not draw a function of {target.dimension} variables")
    themes = _strings(e.get("themes", ["dark"]), key("themes"), fail, THEMES)
    aspects = _strings(e.get("aspects", ["16:9"]), key("aspects"), fail, ASPECTS)
    quality = e.get("quality", "low")
    if quality not in QUALITIES:
        raise fail(key("quality"), f"unknown quality {quality!r}; choose one of {', '.join(QUALITIES)}")
    short = e.get("short_side")
    if short is not None and (isinstance(short, bool) or not isinstance(short, int) or short % 2 or not 16 <= short):
        raise fail(key("short_side"), f"must be an even whole number of pixels from 16 to {MAX_SIDE}, got {short!r}")
    if short is not None and _size(short, aspects[0])[0] > MAX_SIDE:
        raise fail(key("short_side"), f"gives a frame wider than {MAX_SIDE} pixels")
    fps = e.get("fps")
    if fps is not None and (isinstance(fps, bool) or not isinstance(fps, (int, float)) or not 1 <= fps <= 120):
        raise fail(key("fps"), f"must be a number of frames a second from 1 to {MAX_FRAME_RATE:g}, got {fps!r}")
    hold = e.get("hold")
    voice = e.get("voice")
    try:
        RenderPlan(hold=2.5 if hold is None else hold)
        if voice is not None:
            if not isinstance(voice, str):
                raise ConfigError(f"must be espeak or a folder of recordings, got {voice!r}")
            voice = check_voice(voice if voice == "espeak" else str(here / voice))
    except UnivError as exc:
        raise fail(key("hold" if "hold" in str(exc) else "voice"), str(exc)) from None
    return Explainer(scenes, themes, aspects, quality, short, None if fps is None else float(fps), hold, voice)


def _size(short: int, aspect: str) -> tuple[int, int]:
    """Width and height of a frame with this shorter side in this aspect (both even)."""
    aw, ah = ASPECTS[aspect]
    long_ = round(short * max(aw, ah) / min(aw, ah) / 2) * 2
    return (long_, short) if aw > ah else (short, long_) if ah > aw else (short, short)
