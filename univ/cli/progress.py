"""Progress on stderr for long runs: a click bar, or a stand-in that ignores updates."""

from __future__ import annotations

import contextlib
import sys
import threading
import time

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


STAGE_DELAY = 1.0  # seconds a stage runs before it is announced: quick runs print nothing
STAGE_TICK = 1.0  # seconds between redraws of a running stage's clock on a terminal


class Stages:
    """Progress for a command made of a few long steps with no count to show (build, measure, draw): each step
    that runs longer than ``delay`` seconds says what it is doing on stderr, with a running clock on a terminal
    and its time when it ends.

    ``with stages("measuring the certified max error"): report = measure(net, target)``
    """

    def __init__(self, show: bool, command: str, delay: float | None = None, stream=None):
        self.show, self.command = show, command
        self.delay = STAGE_DELAY if delay is None else delay
        self.stream = stream or sys.stderr

    @contextlib.contextmanager
    def __call__(self, what: str):
        if not self.show:
            yield
            return
        start, done = time.monotonic(), threading.Event()
        tty = _isatty(self.stream)
        said = threading.Event()

        def clock() -> None:
            if done.wait(self.delay):
                return
            said.set()
            while True:
                seconds = time.monotonic() - start
                if tty:
                    self._write(f"\runiv {self.command}: {what} … {seconds:.0f} s")
                else:
                    self._write(f"univ {self.command}: {what} …\n")
                    return
                if done.wait(STAGE_TICK):
                    return

        ticker = threading.Thread(target=clock, daemon=True)
        ticker.start()
        try:
            yield
        finally:
            done.set()
            ticker.join()
            if said.is_set():
                seconds = time.monotonic() - start
                start_of_line = "\r" if tty else ""
                clear = "\x1b[K" if tty else ""  # the running clock's line, cleared to its end
                self._write(f"{start_of_line}univ {self.command}: {what}: {seconds:.1f} s{clear}\n")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
