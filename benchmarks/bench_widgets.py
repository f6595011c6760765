"""Time per update of the notebook widgets (univ.widgets) and of the web page (univ page) in headless Chromium.

Run:  .venv/bin/python benchmarks/bench_widgets.py > benchmarks/bench_widgets.txt
Target (issue #10): each widget update under 100 ms for up to 200 neurons on this 2-core machine.
A widget update is everything one slider move does, synchronously, in the kernel: rebuild the network (a height:
new output weights; a build control: univ.construct), univ.measure it, update the labels, redraw the figure (blitted
on an Agg canvas) and encode the frame the Image widget shows. Sending it to the browser is not included.
Target (issue #20): every page update at most 16 ms median (60 frames a second) at N = 400, and in draw mode.
A page update is one input event on a slider (or one pointer move while drawing), handled in the page's script
(weighted sum over univ's 10,031 points, error, the canvases redrawn), timed with performance.now() in Chromium.
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

REPEATS = 30
SIZES = (20, 100, 200)
PAGE_SIZES = (20, 100, 200, 400)  # issue #20: every page update at most 16 ms median (60 frames a second) at N = 400


def timed(action, repeats: int = REPEATS) -> list[float]:
    out = []
    for i in range(repeats):
        t0 = time.perf_counter()
        action(i)
        out.append(time.perf_counter() - t0)
    return out


def row(name: str, times: list[float]) -> str:
    ms = sorted(1000 * t for t in times)
    p90 = ms[int(0.9 * (len(ms) - 1))]
    return f"{name:<46} {statistics.median(ms):8.1f} {p90:8.1f} {ms[-1]:8.1f}"


def widgets_section() -> list[str]:
    from univ import widgets

    lines = [f"{'widget update (ms)':<46} {'median':>8} {'p90':>8} {'max':>8}"]
    for n in SIZES:
        w = widgets.bumps("sin(3x)", neurons=n)
        h = w.height_sliders[len(w.height_sliders) // 2]  # what a reader's mouse moves
        start = h.value
        counts = [n - 2, n] * 5

        def move_height(i, h=h, start=start):
            h.value = start * (1 - 0.01 * (i + 1))

        def move_steepness(i, w=w):
            w.controls["steepness"].value = 10.0 + 0.5 * (i + 1)

        def move_neurons(i, w=w, counts=counts):
            w.controls["neurons"].value = counts[i]

        def reset(i, w=w):
            w.reset.click()

        lines.append(row(f"bumps N={n}: one height slider", timed(move_height)))
        lines.append(row(f"bumps N={n}: steepness slider", timed(move_steepness, 10)))
        lines.append(row(f"bumps N={n}: neurons slider (±2)", timed(move_neurons, 10)))
        lines.append(row(f"bumps N={n}: reset button", timed(reset, 10)))
    c = widgets.challenge()
    lines.append(
        row("challenge: one height slider", timed(lambda i: setattr(c.height_sliders[2], "value", -0.01 * (i + 1))))
    )
    nw = widgets.neuron()
    lines.append(row("neuron: w slider", timed(lambda i: setattr(nw.controls["w"], "value", 5.0 + i))))
    return lines


DRAW_TIMING = """
([xs, ys]) => {
  // one stroke in draw mode: a pointerdown, then a pointermove per point, each timed through its handler
  const canvas = document.getElementById("draw-plot"), r = canvas.getBoundingClientRect(), out = [];
  const at = (k) => univPage.draw.at(xs[k], ys[k]);
  const ev = (type, p) => new PointerEvent(type, { clientX: p.x, clientY: p.y, pointerId: 1, bubbles: true,
    isPrimary: true, pointerType: "mouse", buttons: 1 });
  canvas.dispatchEvent(ev("pointerdown", at(0)));
  for (let k = 1; k < xs.length; k++) {
    const t0 = performance.now();
    canvas.dispatchEvent(ev("pointermove", at(k)));
    out.push(performance.now() - t0);
  }
  canvas.dispatchEvent(ev("pointerup", at(xs.length - 1)));
  return out;
}
"""

PAGE_TIMING = """
([id, values]) => {
  const el = document.getElementById(id), out = [];
  for (const v of values) {
    const t0 = performance.now();
    el.value = String(v);
    el.dispatchEvent(new Event("input", { bubbles: true }));
    out.push(performance.now() - t0);
  }
  return out;
}
"""


def page_section() -> list[str]:
    from univ.page import build_page

    if not Path("/usr/bin/chromium").exists():
        return ["# page: skipped (no /usr/bin/chromium)"]
    import sys

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from helpers import CHROMIUM, CHROMIUM_ARGS  # the browser tests' own launch settings

    lines = [f"{'page update in Chromium (ms)':<46} {'median':>8} {'p90':>8} {'max':>8}"]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in PAGE_SIZES:
            html = build_page("sin(3x)", neurons=n, training=False)  # the training tab does not change an update
            path = Path(tmp) / f"page{n}.html"
            path.write_text(html, encoding="utf-8")
            page = browser.new_page(viewport={"width": 1100, "height": 1300})
            t0 = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-ready='1']")
            load = time.perf_counter() - t0
            heights = [0.5 + 0.01 * i for i in range(REPEATS)]
            ms = page.evaluate(PAGE_TIMING, ["height", heights])
            lines.append(row(f"page N={n}: height slider", [t / 1000 for t in ms]))
            scales = [1.0 + 0.02 * i for i in range(1, 11)]
            ms = page.evaluate(PAGE_TIMING, ["scale", scales])
            lines.append(row(f"page N={n}: steepness slider", [t / 1000 for t in ms]))
            page.evaluate("univPage.show('draw')")
            page.evaluate(
                f"(() => {{ const r = document.getElementById('draw-n'); r.value = '{n}';"
                " r.dispatchEvent(new Event('input')); })()"
            )
            xs = [0.05 + 0.9 * i / REPEATS for i in range(REPEATS + 1)]
            ys = [0.5 + 0.4 * ((-1) ** i) * (i % 5) / 5 for i in range(REPEATS + 1)]
            ms = page.evaluate(DRAW_TIMING, [xs, ys])
            lines.append(row(f"page N={n}: draw mode, one pointer move", [t / 1000 for t in ms]))
            page.evaluate("univPage.show('bumps')")
            lines.append(f"page N={n}: file {len(html.encode()) / 1000:.0f} kB, load to ready {1000 * load:.0f} ms")
            page.close()
        browser.close()
    return lines


def main() -> None:
    import numpy

    print(
        f"# bench_widgets — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"Python {platform.python_version()}, numpy {numpy.__version__}, {platform.machine()}, "
        f"{os.cpu_count()} cores"
    )
    print(f"# load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    for line in widgets_section():
        print(line)
    print()
    for line in page_section():
        print(line)
    print(f"# load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
