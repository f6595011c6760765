"""A render's video settings checked before Manim starts: size, frame rate, aspect, a manim.cfg's say."""

from __future__ import annotations

import configparser
from pathlib import Path

from .errors import ConfigError
from .limits import MAX_FRAME_RATE, MAX_SIDE
from .plan import ASPECTS

SHORT_SIDE = {"low": 480, "medium": 720, "high": 1080, "4k": 2160}  # pixels of the frame's shorter side


def _check_resolution(resolution) -> tuple[int, int] | None:
    if resolution is None:
        return None
    try:
        w, h = resolution
    except (TypeError, ValueError):
        raise ConfigError(f"resolution must be two whole numbers (width, height), got {resolution!r}") from None
    for v in (w, h):
        if isinstance(v, bool) or not isinstance(v, int) or not 16 <= v <= MAX_SIDE or v % 2:
            raise ConfigError(f"resolution sides must be even whole numbers from 16 to {MAX_SIDE}, got {resolution!r}")
    return w, h


def _check_frame_rate(frame_rate) -> float | None:
    if frame_rate is None:
        return None
    if (
        isinstance(frame_rate, bool)
        or not isinstance(frame_rate, (int, float))
        or not 1 <= frame_rate <= MAX_FRAME_RATE
    ):
        raise ConfigError(f"frame_rate must be a number from 1 to {MAX_FRAME_RATE:g}, got {frame_rate!r}")
    return float(frame_rate)


def _cfg_settings(path: Path) -> dict[str, str]:
    """The [CLI] settings of a manim.cfg (lower-case keys)."""
    parser = configparser.ConfigParser()
    try:
        parser.read(path)
    except configparser.Error as exc:
        raise ConfigError(f"cannot read the manim config {path}: {str(exc).splitlines()[0]}") from None
    return {k.lower(): v for k, v in parser["CLI"].items()} if parser.has_section("CLI") else {}


def _video_settings(quality, resolution, frame_rate, aspect: str, config_file, still: bool) -> dict:
    """Manim's settings for the video: size and rate (the quality's, low unless a manim.cfg sets them, turned for
    the aspect), the config file, and whether it is a still; ``label`` names the size in the file name.

    One naming rule: the label is the quality ("low") whenever the size comes from it, also when it is turned for
    a 9:16 or 1:1 aspect (the aspect has its own part of the name); pixels ("720x1280") only for a --resolution
    given, "config" when a manim.cfg decides."""
    resolution = _check_resolution(resolution)
    given = resolution is not None
    frame_rate = _check_frame_rate(frame_rate)
    if resolution:
        aw, ah = ASPECTS[aspect]
        if abs(resolution[0] / resolution[1] - aw / ah) > 0.02:
            raise ConfigError(
                f"resolution {resolution[0]}x{resolution[1]} does not have the aspect {aspect}; "
                "give a matching size or leave the resolution out"
            )
    cfg = Path(config_file) if config_file is not None else (Path("manim.cfg") if Path("manim.cfg").is_file() else None)
    if cfg is not None and not cfg.is_file():
        raise ConfigError(f"config file {str(cfg)!r} does not exist")
    cfg_sets = _cfg_settings(cfg) if cfg is not None else {}
    cfg_decides = (
        quality is None
        and resolution is None
        and frame_rate is None
        and any(k in cfg_sets for k in ("quality", "pixel_width", "pixel_height", "frame_rate"))
    )
    q = quality or "low"
    if resolution is None and aspect != "16:9":
        short = SHORT_SIDE[q]
        if cfg_decides and "pixel_height" in cfg_sets and "pixel_width" in cfg_sets:
            short = min(int(cfg_sets["pixel_height"]), int(cfg_sets["pixel_width"]))
        aw, ah = ASPECTS[aspect]
        long_ = round(short * max(aw, ah) / min(aw, ah) / 2) * 2
        resolution = (short, long_) if ah > aw else (short, short)
    size = f"{resolution[0]}x{resolution[1]}" if given else ("config" if cfg_decides else q)
    return {
        "quality": None if cfg_decides else q,
        "resolution": resolution,
        "frame_rate": frame_rate,
        "config_file": cfg.resolve() if cfg else None,
        "still": still,
        "label": size,
        "rate": f"{frame_rate:g}fps" if frame_rate else None,
    }
