"""Manim at work: one driver process rendering a batch of scenes, its failures, and the typeset-formula cache."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from ._io import write_atomic


def cache_dir() -> Path:
    """Where typeset formulas and texts are kept between renders (``UNIV_CACHE_DIR``, else ~/.cache/univ)."""
    root = os.environ.get("UNIV_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "univ"
    return Path(root) / "manim-v2"  # v2: texts typeset unwrapped (v1 held lines broken at small pixel widths)


_TYPESET = ("Tex", "texts")  # manim's folders of compiled LaTeX and Pango SVGs, under its media dir


def _seed_typeset(media: Path) -> None:
    """Copy cached SVGs into a fresh media dir: LaTeX then skips formulas it has already compiled."""
    for sub in _TYPESET:
        src, dst = cache_dir() / sub, media / sub
        dst.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            for f in src.glob("*.svg"):
                try:
                    shutil.copyfile(f, dst / f.name)
                except OSError:
                    pass  # a cache is only a cache


def _keep_typeset(media: Path) -> None:
    """Put new SVGs into the cache, each by an atomic rename, so parallel renders never see half a file."""
    for sub in _TYPESET:
        src, dst = media / sub, cache_dir() / sub
        if not src.is_dir():
            continue
        try:
            dst.mkdir(parents=True, exist_ok=True)
            for f in src.glob("*.svg"):
                if not (dst / f.name).exists():
                    write_atomic(dst / f.name, f.read_bytes())
        except OSError:
            pass


class _Batch:
    """One driver process rendering some scenes; stopping it (error, Ctrl-C) stops every scene it started."""

    def __init__(self, jobs: list[dict], workers: int, env: dict[str, str], cwd: Path):
        self.pids: list[int] = []  # every scene process started, for whoever needs to check they ended
        self.log = cwd / "driver.log"
        batch = cwd / "batch.json"
        batch.write_text(json.dumps({"jobs": workers, "scenes": jobs}))
        with open(self.log, "w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "univ._scene_runner", str(batch)],
                env=env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                errors="replace",
            )

    def events(self, poll: Callable[[], None] | None = None):
        """Yield (name, exit code, seconds) as scenes finish; call ``poll`` about twice a second meanwhile."""
        lines: queue.Queue = queue.Queue()

        def read():
            for line in self.proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        while True:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                if poll:
                    poll()
                continue
            if line is None:
                break
            kind, name, *rest = line.split()
            if kind == "start":
                self.pids.append(int(rest[0]))
            elif kind == "done":
                if poll:
                    poll()
                yield name, int(rest[0]), float(rest[1])
        if self.proc.wait() != 0:
            raise _ManimFailed(None, self.proc.returncode, self.log.read_text(errors="replace"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # the driver passes it on to the scenes
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for pid in self.pids:  # a scene left behind by a killed driver
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.proc.stdout.close()


class _ManimFailed(Exception):
    """Manim failed on ``scene`` (None: it did not start); ``last`` is the last line it printed."""

    def __init__(self, scene: str | None, code: int, log: str):
        self.scene, self.code, self.log = scene, code, log
        lines = [ln.strip(" │╭╮╰╯─") for ln in log.splitlines()]
        lines = [ln for ln in lines if ln.strip()]
        self.last = lines[-1].strip() if lines else "no output"
        super().__init__(self.last)
