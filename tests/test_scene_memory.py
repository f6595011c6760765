"""The scenes' malloc setting: frame-sized arrays are reused, not mapped afresh (issue #19: sys time per frame)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import needs_manim

import univ.rendering as render_mod

# allocate and free frame-sized arrays (1080p RGBA, 8 MB, three at a time) and count the minor page faults: glibc
# returns the freed frames to the system (unmapped, or trimmed from the heap), and each new one faults on ~2,000 pages
PROBE = """
import resource, sys
import numpy as np
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "patched":
    import _encoder  # noqa: F401  (importing the scenes' helpers is what sets malloc up)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for k in range(10):  # a few frames alive at once (picture, background, the encoder's copy), then all freed
    frames = [np.full((1080, 1920, 4), k, np.uint8) for _ in range(3)]
    del frames
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(render_mod.scenes_dir()), mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1])


@needs_manim
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_frames_reuse_freed_memory_instead_of_faulting_in_fresh_pages():
    plain, patched = _faults("plain"), _faults("patched")
    assert plain > 4 * 2000  # the reference: fresh pages for frame after frame (about 11,000 faults here)
    assert patched < min(3 * 2100, plain / 3)  # the first three frames' pages serve all thirty
