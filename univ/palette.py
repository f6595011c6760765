"""The explainer's colours: one table per theme, shared by the scenes, the slide deck and the web page."""

from __future__ import annotations

from .errors import ConfigError

PALETTES: dict[str, dict[str, str]] = {
    "dark": {
        "background": "#000000",
        "foreground": "#FFFFFF",  # text
        "target": "#DDDDDD",  # the function we want
        "approx": "#FFFF00",  # what the network computes
        "step1": "#58C4DD",  # the two neurons of a pair
        "step2": "#5CD0B3",
        "bump": "#58C4DD",
        "highlight": "#FF862F",
        "error": "#FC6255",
        "note": "#BBBBBB",  # muted text
        "axis": "#BBBBBB",
        "edge": "#888888",
        "patch": "#000000",  # behind labels drawn over lines
        "bar": "#111111",  # a panel a shade off the background (the slide deck's controls)
    },
    "light": {
        "background": "#FFFFFF",
        "foreground": "#1B1B1B",
        "target": "#505050",
        "approx": "#B8860B",
        "step1": "#1F5FAD",
        "step2": "#12806F",
        "bump": "#1F5FAD",
        "highlight": "#D35400",
        "error": "#C0392B",
        "note": "#555555",
        "axis": "#666666",
        "edge": "#A8A8A8",
        "patch": "#FFFFFF",
        "bar": "#F2F2F2",
    },
}


def palette(theme: str) -> dict[str, str]:
    """The colours of ``theme`` (a copy: callers may not change the table)."""
    if theme not in PALETTES:
        raise ConfigError(f"unknown theme {theme!r}; choose one of {', '.join(PALETTES)}")
    return dict(PALETTES[theme])
