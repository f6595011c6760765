"""Scene: universality for decisions: towers draw a disc's indicator ever closer as N grows, then a spiral's classes."""

from __future__ import annotations

import numpy as np
from _common import (
    APPROX_COLOR,
    BACKGROUND,
    BODY_SIZE,
    EDGE_COLOR,
    ERROR_COLOR,
    FONT,
    HIGHLIGHT,
    SMALL_SIZE,
    STEP_COLORS,
    TARGET_COLOR,
    WIDE,
    Beats,
    Fade,
    edge,
    fade_out_all,
    fit_width,
    frame_size,
    heading,
    legend,
)
from manim import (
    DOWN,
    LEFT,
    UL,
    Circle,
    DashedVMobject,
    Dot,
    MathTex,
    Scene,
    Square,
    Text,
    VGroup,
    VMobject,
    color_to_rgb,
)

from univ import classes, construct, fit_classifier, measure_classifier, numbers

DISC = "x^2 + y^2 < 0.5"  # the region: a disc of radius √0.5 in [-1, 1]²
DISC_DOMAIN = (-1.0, 1.0)
# 3×3, 6×6, 11×11 and 19×19 towers. The misclassified share wobbles between neighbouring counts (as the cells' edges
# meet the circle), but falls along this ladder, each about three times the last: 27 %, 7.7 %, 4.7 %, 2.5 %
DISC_NEURONS = (17, 50, 145, 401)
SPIRAL = {"samples": 300, "noise": 0.1, "seed": 1, "holdout": 0.3}  # the Playground's spiral, 30 % held out
SPIRAL_NEURONS = 401
TRAINED = (16, 16)  # the trained net beside: two hidden layers of 16, softmax, cross-entropy
TRAINED_EPOCHS = 500
PIXELS = 128  # the decision map's side in cells (drawn as rectangles: Manim's images fail with Pillow 13)
LEVELS = 8  # steps of probability the map's tint shows
TINT = 0.5  # how far a class's colour tints the background where the net is sure of it
WRONG_TINT = 0.75  # how far the misclassified area is painted in the error colour
CLASS_COLORS = (STEP_COLORS[0], HIGHLIGHT)  # class 0 (inside the disc; the spiral's first arm), class 1
GAP = 0.3  # scene units between the layout's parts


def rgb(color) -> np.ndarray:
    return np.array(color_to_rgb(color))


def centres(domain, side: int = PIXELS) -> tuple[np.ndarray, np.ndarray]:
    """The pixels' centres over the square ``domain`` as (side, side) arrays, the top row first (an image's order)."""
    (a, b), (lo, hi) = domain
    t = (np.arange(side) + 0.5) / side
    return np.meshgrid(a + (b - a) * t, hi - (hi - lo) * t)


def shading(net, target, tinted=(True, True)) -> tuple[np.ndarray, np.ndarray]:
    """The decision map on the pixel grid as (shade index per pixel, RGB per shade): each tinted class's colour
    tints the background by its probability (in ``LEVELS`` steps), and for region classes the area the net gets
    wrong is painted over in the error colour."""
    x, y = centres(target.domain)
    p = net(x, y)  # (side, side, k) softmax probabilities
    level = np.rint(p[..., 0] * (LEVELS - 1)).astype(int)  # two classes: p₀ says it all; 0 and 1 are levels
    wrong = np.zeros(level.shape, dtype=int)
    if target.kind != "data":
        wrong = (np.argmax(p, axis=-1) != target.labels(x, y)).astype(int)
    p0 = np.arange(LEVELS) / (LEVELS - 1)
    bg = rgb(BACKGROUND)
    colors = np.broadcast_to(bg, (LEVELS, 3)).copy()
    for share, color, on in zip((p0, 1 - p0), CLASS_COLORS, tinted):
        if on:
            colors += TINT * share[:, None] * (rgb(color) - bg)
    colors = np.concatenate([colors, (1 - WRONG_TINT) * colors + WRONG_TINT * rgb(ERROR_COLOR)])
    return level + LEVELS * wrong, colors


def level_segments(v: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The zero level of ``v`` sampled at (x, y) (arrays of one shape, a regular grid) as straight segments,
    shape (n, 2, 2): marching squares, each crossing placed by linear interpolation along its cell's edge."""
    n0, n1 = v.shape[0] - 1, v.shape[1] - 1
    around = [(0, 0), (0, 1), (1, 1), (1, 0)]  # a cell's corners in order, as (row, column) offsets
    hits, px, py = [], [], []
    for (i0, j0), (i1, j1) in zip(around, around[1:] + around[:1]):
        a, b = v[i0 : i0 + n0, j0 : j0 + n1], v[i1 : i1 + n0, j1 : j1 + n1]
        hit = (a > 0) != (b > 0)
        t = np.where(hit, a / np.where(hit, a - b, 1.0), 0.0)  # where along the edge v crosses 0
        for grid, out in ((x, px), (y, py)):
            g0, g1 = grid[i0 : i0 + n0, j0 : j0 + n1], grid[i1 : i1 + n0, j1 : j1 + n1]
            out.append(g0 + t * (g1 - g0))
        hits.append(hit)
    hits, px, py = np.stack(hits, -1), np.stack(px, -1), np.stack(py, -1)  # (n0, n1, 4)
    count = hits.sum(axis=-1)
    parts = []
    for k in (2, 4):  # a cell is crossed twice (one segment) or, at a saddle, four times (two)
        cells = count == k
        points = np.stack([px[cells][hits[cells]], py[cells][hits[cells]]], axis=-1)  # edge order within a cell
        parts.append(points.reshape(-1, 2, 2))
    return np.concatenate(parts)


class Panel(VGroup):
    """A square picture of a 2D domain: its frame, and the map from the domain's (x, y) to scene units."""

    def __init__(self, domain, side: float, centre: np.ndarray):
        super().__init__()
        self.domain, self.side, self.centre = domain, side, np.asarray(centre, dtype=float)
        self.frame = Square(side_length=side, stroke_width=2, color=EDGE_COLOR).move_to(self.centre)
        self.add(self.frame)

    def to_scene(self, x, y) -> np.ndarray:
        (a, b), (lo, hi) = self.domain
        u = (np.asarray(x, dtype=float) - (a + b) / 2) / (b - a) * self.side
        v = (np.asarray(y, dtype=float) - (lo + hi) / 2) / (hi - lo) * self.side
        return np.stack([u, v, np.zeros_like(u)], axis=-1) + self.centre

    def shaded(self, shades: np.ndarray, colors: np.ndarray) -> VGroup:
        """The map of :func:`shading` filling the square: one filled shape per shade, made of the rows' runs of
        that shade as rectangles (the background's own shade is left out)."""
        n = shades.shape[0]
        (a, b), (lo, hi) = self.domain
        runs: dict[int, list] = {}
        for i, row in enumerate(shades):
            cut = np.flatnonzero(np.diff(row)) + 1
            for j0, j1 in zip(np.r_[0, cut], np.r_[cut, n]):
                runs.setdefault(int(row[j0]), []).append((i, j0, j1))
        group = VGroup()
        for shade, found in sorted(runs.items()):
            color = colors[shade]
            if np.abs(color - rgb(BACKGROUND)).max() < 1 / 255:
                continue
            i, j0, j1 = np.array(found, dtype=float).T
            x0, x1 = a + (b - a) * j0 / n, a + (b - a) * j1 / n
            y1, y0 = hi - (hi - lo) * i / n, hi - (hi - lo) * (i + 1) / n
            corners = [self.to_scene(u, v) for u, v in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
            cubic = [w for p, q in zip(corners, corners[1:]) for w in (p, p + (q - p) / 3, p + 2 * (q - p) / 3, q)]
            shape = VMobject(fill_color=color, fill_opacity=1.0, stroke_color=color, stroke_width=1)
            shape.set_points(np.stack(cubic, axis=1).reshape(-1, 3))  # rectangles (runs, 16 points) in a row
            group.add(shape)
        return group.set_z_index(-1)  # under the lines and points (z_index is not inherited: set on each)

    def decisions(self, net, target, tinted=(True, True)) -> tuple[VGroup, VMobject]:
        """The net's decision map (:meth:`shaded`) and its boundary (:meth:`boundary`)."""
        return self.shaded(*shading(net, target, tinted)), self.boundary(net, target)

    def boundary(self, net, target, color=APPROX_COLOR) -> VMobject:
        """The net's decision boundary (class 0's probability at 0.5) as lines."""
        x, y = centres(target.domain)
        seg = level_segments(net(x, y)[..., 0] - 0.5, x, y)
        a, b = self.to_scene(seg[:, 0, 0], seg[:, 0, 1]), self.to_scene(seg[:, 1, 0], seg[:, 1, 1])
        cubic = np.stack([a, a + (b - a) / 3, a + 2 * (b - a) / 3, b], axis=1).reshape(-1, 3)  # straight Béziers
        line = VMobject(stroke_color=color, stroke_width=3)
        line.set_points(cubic)
        return line


class Places:
    """Where the parts go for the aspect: the caption under the heading, the square panel (centre and side), and
    the column of numbers and legend (x0, top, width, bottom: right of the panel in 16:9 and 1:1, under it in
    portrait)."""

    def __init__(self, title: Text):
        fw, fh = frame_size()
        ex, ey = edge()
        left, right, bottom = -fw / 2 + ex, fw / 2 - ex, -fh / 2 + ey
        top = title.get_bottom()[1] - GAP
        caption_height = 1.25  # two lines of body text, or a line and a formula
        if WIDE:  # the panel left, as tall as the frame allows; caption, numbers and legend right of it
            self.side = top - bottom
            self.panel = np.array([left + self.side / 2, top - self.side / 2, 0.0])
            x0 = left + self.side + 0.6
            self.caption = (x0, top, right - x0)
            self.column = (x0, top - caption_height - GAP, right - x0, bottom)
            return
        self.caption = (left, top, right - left)
        below = top - caption_height - GAP
        if fh > fw:  # portrait: the panel across the frame, the column under it
            self.side = min(right - left, 0.55 * (below - bottom))
            self.panel = np.array([0.0, below - self.side / 2, 0.0])
            self.column = (left, below - self.side - 2 * GAP, right - left, bottom)
            return
        self.side = min(below - bottom, 0.56 * (right - left))  # square: the panel left, the column right of it
        self.panel = np.array([left + self.side / 2, below - self.side / 2, 0.0])
        self.column = (left + self.side + 0.4, below, right - left - self.side - 0.4, bottom)


def at(mob, x0: float, top: float, width: float):
    """``mob`` scaled down to ``width`` at most and put with its top left corner at (x0, top)."""
    fit_width(mob, width)
    return mob.move_to([x0, top, 0.0], aligned_edge=UL)


class Classify(Beats, Scene):
    """Universality for decisions: a network that approximates a region's indicator draws its boundary (towers,
    more of them, a tighter disc), and one output per class with a softmax sorts a spiral's points."""

    def construct(self):
        self.title = heading("Universality for decisions")
        self.add(self.title)
        self.places = Places(self.title)
        self.shown = VGroup()  # the caption on screen
        disc = classes(DISC, domain=DISC_DOMAIN, ydomain=DISC_DOMAIN)
        panel = Panel(disc.domain, self.places.side, self.places.panel)
        self._disc(disc, panel)
        self._softmax()
        spiral = classes("spiral", **SPIRAL)
        self._spiral(spiral, panel)
        fade_out_all(self)

    def _caption(self, *lines) -> list:
        """Lines of text (str) or formulas (r"$...$") in the caption's place, in place of the caption shown: the
        animations that swap them."""
        parts = [
            MathTex(t[1:-1], font_size=BODY_SIZE + 10) if t.startswith("$") else Text(t, font=FONT, font_size=BODY_SIZE)
            for t in lines
        ]
        group = at(VGroup(*parts).arrange(DOWN, aligned_edge=LEFT, buff=0.2), *self.places.caption)
        old, self.shown = self.shown, group
        return [Fade(old), Fade(group, out=False)]

    def _rows(self, texts, below=None) -> VGroup:
        """Lines of small text stacked in the column, from its top (or under ``below``)."""
        x0, top, width, _ = self.places.column
        rows = VGroup(*(Text(t, font=FONT, font_size=SMALL_SIZE) for t in texts))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        return at(rows, x0, top if below is None else below.get_bottom()[1] - 0.18, width)

    def _legend(self, *entries) -> VGroup:
        """A legend at the foot of the column."""
        x0, _, width, bottom = self.places.column
        group = fit_width(legend(*entries), width)
        return group.move_to([x0, bottom, 0.0], aligned_edge=LEFT + DOWN)

    # -- the disc ---------------------------------------------------------------------------------------------------
    def _disc(self, disc, panel: Panel) -> None:
        """The disc's truth, then towers for growing N: the map, its boundary and univ's misclassified share."""
        radius = np.sqrt(0.5) / (DISC_DOMAIN[1] - DISC_DOMAIN[0]) * panel.side
        truth = DashedVMobject(Circle(radius=radius, color=TARGET_COLOR, stroke_width=4), num_dashes=40)
        truth.move_to(panel.to_scene(0.0, 0.0))
        with self.beat("A classifier answers a question about each point: is it inside this disc?"):
            self.play(
                Fade(panel, out=False),
                Fade(truth, out=False),
                *self._caption("is the point inside the disc?", f"${DISC}$"),
                run_time=1.5,
            )
        nets = [construct(disc, n) for n in DISC_NEURONS]
        shares = [measure_classifier(net, disc).misclassified for net in nets]
        head = self._rows(["misclassified share:"])
        rows = self._rows([f"{n} neurons: {numbers.percent(f)}" for n, f in zip(DISC_NEURONS, shares)], below=head)
        key = self._legend(
            (TARGET_COLOR, "the disc"), (APPROX_COLOR, "the net's boundary"), (ERROR_COLOR, "misclassified")
        )
        shown = [*panel.decisions(nets[0], disc, (True, False))]
        with self.beat(
            f"{DISC_NEURONS[0]} neurons build towers that are 1 inside and 0 outside. Where the output crosses one "
            "half is the net's boundary; the red area is wrong."
        ):
            self.play(
                Fade(shown[0], out=False),
                Fade(shown[1], out=False),
                Fade(head, out=False),
                Fade(rows[0], out=False),
                Fade(key, out=False),
                *self._caption("towers: 1 inside, 0 outside", "boundary where the output is 1/2"),
                run_time=2.0,
            )
        with self.beat(
            "More neurons make smaller towers: the boundary hugs the circle, and the share that is wrong falls."
        ):
            self.play(*self._caption("more neurons, smaller towers", "a tighter boundary"), run_time=0.8)
            for net, row in zip(nets[1:], rows[1:]):
                shown = self._swap(shown, *panel.decisions(net, disc, (True, False)), row)
                self.sample_layout()  # test mode: each N's picture is kept, not only the beat's last
                self.wait(0.6)
        self.disc_parts = [truth, head, rows, key, *shown]

    def _swap(self, shown, image, line, *extra) -> list:
        """Replace the map and boundary on screen by new ones (fading in ``extra`` too); returns the new pair."""
        self.play(
            Fade(shown[0]),
            Fade(image, out=False),
            Fade(shown[1]),
            Fade(line, out=False),
            *(Fade(m, out=False) for m in extra),
            run_time=1.2,
        )
        return [image, line]

    def _softmax(self) -> None:
        with self.beat(
            "A network has one output per class. A softmax turns the outputs into chances that add up to one; the "
            "largest wins."
        ):
            self.play(
                *self._caption(
                    "one output per class, then softmax:", r"$p_c = e^{z_c} \big/ \textstyle\sum_k e^{z_k}$"
                ),
                run_time=1.2,
            )
            self.wait(0.5)

    # -- the spiral -------------------------------------------------------------------------------------------------
    def _samples(self, spiral, panel: Panel) -> VGroup:
        """The training points as dots and the held-out ones as rings, in their class's colour."""
        size = 0.045 * panel.side / 6.5 * 1.6
        (x, lab), (xh, labh) = spiral.samples, spiral.holdout
        dots = [
            Dot(p, radius=size, color=CLASS_COLORS[c], stroke_color=BACKGROUND, stroke_width=1)
            for p, c in zip(panel.to_scene(x[:, 0], x[:, 1]), lab)
        ]
        rings = [
            Circle(radius=size * 1.3, color=CLASS_COLORS[c], stroke_width=2).move_to(p)
            for p, c in zip(panel.to_scene(xh[:, 0], xh[:, 1]), labh)
        ]
        return VGroup(*dots, *rings)

    def _spiral(self, spiral, frame: Panel) -> None:
        """The spiral's points, the hand-built towers' classes and a trained net's, with the accuracy of each."""
        panel = Panel(spiral.domain, frame.side, frame.centre)
        points = self._samples(spiral, panel)
        key = self._legend(
            (CLASS_COLORS[0], "class 0"), (CLASS_COLORS[1], "class 1"), (APPROX_COLOR, "the net's boundary")
        )
        with self.beat("Now two classes of points, wound around each other: a spiral. Rings are points held back."):
            self.play(
                *(Fade(m) for m in self.disc_parts),
                Fade(points, out=False),
                Fade(key, out=False),
                *self._caption("a spiral: two classes of points", "dots to learn from, rings held back"),
                run_time=1.5,
            )
        hand = construct(spiral, SPIRAL_NEURONS)
        trained = fit_classifier(spiral, hidden=TRAINED, epochs=TRAINED_EPOCHS, seed=0).network
        r_hand, r_fit = measure_classifier(hand, spiral), measure_classifier(trained, spiral)

        def lines(r) -> list[str]:
            return [f"dots: {numbers.percent(r.accuracy)} right", f"rings: {numbers.percent(r.accuracy_holdout)} right"]

        rows = self._rows([f"by hand, {hand.n_hidden} neurons", *lines(r_hand)])
        rows_fit = self._rows([f"trained, {trained.n_hidden} neurons", *lines(r_fit)], below=rows)
        rows_fit.shift(DOWN * 0.2)
        with self.beat(
            f"Towers built from the points' classes colour the plane: they get {numbers.percent(r_hand.accuracy)} of "
            f"the dots and {numbers.percent(r_hand.accuracy_holdout)} of the rings right."
        ):
            image, boundary = panel.decisions(hand, spiral)
            self.play(
                Fade(image, out=False),
                Fade(boundary, out=False),
                Fade(rows, out=False),
                *self._caption("built by hand: towers", "one output per class, softmax"),
                run_time=1.5,
            )
        better = r_fit.accuracy_holdout > r_hand.accuracy_holdout
        with self.beat(
            f"A trained net of {trained.n_hidden} neurons in two layers does "
            + ("better" if better else "no better")
            + " on the rings. Building by hand shows a net exists; training finds a smaller one."
        ):
            self._swap([image, boundary], *panel.decisions(trained, spiral), rows_fit)
            self.play(*self._caption("trained: two layers of 16", "softmax and cross-entropy"), run_time=0.8)
            self.hold()
