"""Writing files safely: atomic writes that follow the umask, strict JSON, run-folder names (no matplotlib here)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any


def slug(text: str, *parts: Any) -> str:
    """A readable folder or file name: the expression's letters and digits, then the parts (method, size, hash)."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "f"
    if len(s) > 40:
        s = s[:40].rstrip("-") + "-" + hashlib.sha1(text.encode()).hexdigest()[:6]
    return "_".join([s, *(str(p) for p in parts)])


def options_hash(options: dict[str, Any]) -> str:
    """8 hex digits that change whenever anything that changes a run's result changes."""
    text = json.dumps(options, sort_keys=True, default=str, allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename: no reader ever sees half a file.

    The file gets the mode an ordinary ``open(path, "w")`` would (0666 less the umask), not mkstemp's 0600.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from exc
        raise


def _cannot_write(path: Path, exc: OSError) -> OSError:
    """The error to show when ``path`` cannot be written: it names the file asked for, never the temporary one, and
    a file standing where a folder must be is said as such (mkdir says "File exists" for /dev/null/x.html)."""
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return OSError(errno.ENOTDIR, f"cannot write {path}: {blocker} is not a folder")
    return OSError(exc.errno, f"cannot write {path}: {exc.strerror or exc}")


def json_bytes(obj: Any) -> bytes:
    """A report as written to report.json and printed by --json: indented, strict (NaN or infinity is an error)."""
    return (json.dumps(obj, indent=2, allow_nan=False) + "\n").encode()


RUN_FILES = ("report.json", "network.json", "figure.png")  # what a run may leave in its folder


def write_run(folder: Path, blobs: dict[str, bytes]) -> None:
    """Write a run's files (name → bytes) into ``folder``, each atomically, and remove any run file of an earlier
    run that this one did not write, so a folder never holds one run's figure beside another's report.

    Callers compute every blob first, so a failure before this point writes nothing.
    """
    folder = Path(folder)
    for name, data in blobs.items():
        write_atomic(folder / name, data)
    for name in RUN_FILES:
        if name not in blobs:
            (folder / name).unlink(missing_ok=True)
