"""Files for the CLI: run folder names, atomic writes, figures rendered to PNG bytes (matplotlib imported lazily)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any


def slug(text: str, *parts: Any) -> str:
    """A folder name for a run: the expression's letters and digits, then the method and size."""
    import hashlib

    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "f"
    if len(s) > 40:
        s = s[:40].rstrip("-") + "-" + hashlib.sha1(text.encode()).hexdigest()[:6]
    return "_".join([s, *(str(p) for p in parts)])


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename: no reader ever sees half a file."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def figure_png(draw, figsize=(8.0, 8.0)) -> bytes:
    """Render a figure built by ``draw(fig)`` to PNG bytes, headless.

    Uses a bare ``Figure`` with the Agg canvas: no pyplot, no global backend switch, so a notebook's inline plots
    and a desktop session's windows are left alone.
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    draw(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120)
    return buf.getvalue()


def json_bytes(obj: Any) -> bytes:
    """A report as written to report.json: indented, strict (NaN or infinity is an error, never written)."""
    import json

    return (json.dumps(obj, indent=2, allow_nan=False) + "\n").encode()


def write_files(files: dict[str, Path], blobs: dict[str, bytes]) -> None:
    """Write each blob to its file atomically; callers compute every blob first, so a failure writes nothing."""
    for key, data in blobs.items():
        write_atomic(files[key], data)
