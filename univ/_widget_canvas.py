"""The widgets' figure: a matplotlib canvas blitted for fast updates, and the axis-range helpers it uses."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

DPI = 80
JPEG_QUALITY = 92


class _Canvas:
    """A matplotlib figure on an Agg canvas whose moving artists are blitted over a cached background."""

    def __init__(self, figsize: tuple[float, float], **subplots: Any):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=figsize, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.axes = self.fig.subplots(**subplots)
        self.moving: list = []  # artists redrawn on every update
        self._background = None

    def animate(self, *artists) -> None:
        for a in artists:
            a.set_animated(True)
            self.moving.append(a)

    def frame(self, full: bool = False) -> bytes:
        """Redraw (everything when ``full``, else only the moving artists) and return the picture as JPEG bytes.

        JPEG because it encodes in about a millisecond where PNG takes tens (``savefig`` gives a crisp PNG).
        """
        from PIL import Image

        if full or self._background is None:
            self.canvas.draw()  # draws everything but the animated artists
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for a in self.moving:
            a.axes.draw_artist(a)
        w, h = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (w, h), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=JPEG_QUALITY)
        return buf.getvalue()


def _limits(values: np.ndarray, pad: float = 0.08) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    return lo - pad * span, hi + pad * span


def _inside(values: np.ndarray, limits: tuple[float, float]) -> bool:
    return bool(np.min(values) >= limits[0] and np.max(values) <= limits[1])


def _nice(v: float) -> float:
    """The smallest of 1, 2, 5 × 10^k at or above v."""
    k = np.floor(np.log10(v))
    return float(min(m * 10.0**k for m in (1, 2, 5, 10) if m * 10.0**k >= v * (1 - 1e-12)))


def _roomy(values: np.ndarray, limits: tuple[float, float]) -> bool:
    """The values use less than half the axis: after a rebuild, zoom in."""
    return float(np.max(values) - np.min(values)) < 0.5 * (limits[1] - limits[0])


def _fmt(v: float) -> str:
    return f"{v:.4g}"
