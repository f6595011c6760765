"""Progress on stderr for long runs: a click bar, or a stand-in that ignores updates."""

from __future__ import annotations

import sys

import click

BAR_UPDATES = 200  # the bar is redrawn at most this often


def stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n: int) -> None:
        pass


def progress(show: bool, length: int, label: str):
    """A click progress bar on stderr, or a stand-in that ignores updates."""
    if not show:
        return _NoBar()
    return click.progressbar(length=max(length, 1), label=label, file=sys.stderr, show_eta=True, width=30)


def throttled(bar, total: int):
    """A callback(step) that advances ``bar`` to ``step`` in at most BAR_UPDATES redraws."""
    every = max(1, total // BAR_UPDATES)
    done = [0]

    def advance(step: int) -> None:
        if step - done[0] >= every or step >= total:
            bar.update(step - done[0])
            done[0] = step

    return advance
