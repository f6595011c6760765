"""Scene 5: in 2D, an x-step and a y-step make a cross, a threshold makes it a tower, and towers make a surface."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    BUMP_COLOR,
    FONT,
    NOTE_COLOR,
    SMALL_SIZE,
    WIDE,
    Beats,
    Fade,
    fit_width,
    formula_tex,
    frame_size,
    function_text_dimension,
    heading,
    hold_seconds,
    neurons,
    target_2d,
)
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    Animation,
    MathTex,
    Text,
    ThreeDAxes,
    ThreeDScene,
    VGroup,
    VMobject,
    color_to_rgb,
)

from univ import construct, measure, tower

BUDGETS = (23, 62)  # neurons of the towers networks shown for a function of x alone: 3×3 and 6×6 towers
GRID = 18  # mesh cells per side: 3 per tower of the 6×6 grid, walls on grid lines; sets the render time
DEMO = (6.5, 11.5)  # the single tower's footprint, in mesh cells: its walls run through cell middles, sharp
LIGHT = np.array([-0.45, -0.35, 0.82])  # baked into the colours once, instead of Manim's per-frame shading
LOW_RGB, HIGH_RGB = (np.array(color_to_rgb(c)) for c in (BUMP_COLOR, APPROX_COLOR))  # colour by height
PHI, THETA = 58 * DEGREES, -60 * DEGREES
SIDE = 5.6 if WIDE else min(5.2, frame_size()[0] * 0.48)  # the surface's x and y extent, scene units
SCREEN_SHIFT = (1.8, -0.4)  # the surface sits right of the captions and below them (16:9)
CAPTION_ROOM = (
    0.3 if frame_size()[1] > 12 else 0.42
)  # stacked: the top of the frame the heading and captions take, as a fraction of its height


def affine(axes: ThreeDAxes):
    """axes.c2p as one affine map on arrays: origin + x·ex + y·ey + z·ez (c2p point by point is slow)."""
    o = np.asarray(axes.c2p(0, 0, 0))
    ex, ey, ez = (np.asarray(axes.c2p(*e)) - o for e in np.eye(3))
    return lambda x, y, z: o + x[..., None] * ex + y[..., None] * ey + z[..., None] * ez


class Face(VMobject):
    """One quad of a mesh, made cheap for the camera, which sorts and draws every face every frame."""

    def get_z_index_reference_point(self):
        return self.points[::4].mean(axis=0)  # the mean of the corners, not a bounding-box walk

    def get_subpath_split_indices_from_points(self, points, n_dims=3, strip_null_end_curves=False):
        return np.array([[0, len(points)]])  # always one closed quad


class HeightField(VGroup):
    """A height field z(x, y) as quads coloured by height and lit once (Manim's per-frame shading is off).

    Every field on the same grid has the same quads, so :class:`Morph` moves one into another by arrays.
    """

    def __init__(self, to_scene, x: np.ndarray, y: np.ndarray):
        super().__init__()
        self.to_scene, self.x, self.y = to_scene, x, y
        n = (x.shape[0] - 1) * (x.shape[1] - 1)
        self.add(*(Face(stroke_width=0, fill_opacity=1.0, shade_in_3d=True) for _ in range(n)))
        self.set_arrays(*self.arrays(np.zeros_like(x)))

    def arrays(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points (faces, 16, 3) and colours (faces, 4) of the field z, given at the (n + 1, n + 1) corners."""
        p = self.to_scene(self.x, self.y, z)  # (n+1, n+1, 3) in scene units
        corners = [p[:-1, :-1], p[1:, :-1], p[1:, 1:], p[:-1, 1:], p[:-1, :-1]]
        cubic = []  # straight sides as cubic Béziers: anchor, two handles at thirds, anchor
        for a, b in pairwise(corners):
            cubic += [a, a + (b - a) / 3, a + 2 * (b - a) / 3, b]
        points = np.stack(cubic, axis=2).reshape(-1, 16, 3)
        normal = np.cross(p[1:, :-1] - p[:-1, :-1], p[:-1, 1:] - p[:-1, :-1])
        normal /= np.linalg.norm(normal, axis=-1, keepdims=True) + 1e-12
        light = np.abs(normal @ (LIGHT / np.linalg.norm(LIGHT)))  # (n, n): either side lit
        zc = 0.25 * (z[1:, 1:] + z[:-1, 1:] + z[1:, :-1] + z[:-1, :-1])
        t = np.clip(zc, 0.0, 1.0)[..., None]  # heights run 0 to 1 from LOW to HIGH
        rgb = (LOW_RGB + t * (HIGH_RGB - LOW_RGB)) * (1 - 0.6 * (1 - light))[..., None]
        colors = np.concatenate([rgb, np.ones_like(t)], axis=-1).reshape(-1, 4)
        return points, colors

    def set_arrays(self, points: np.ndarray, colors: np.ndarray) -> None:
        for face, p, c in zip(self.submobjects, points, colors):
            face.points = p
            face.fill_rgbas = c[None, :]

    def current(self) -> tuple[np.ndarray, np.ndarray]:
        return (
            np.stack([f.points for f in self.submobjects]),
            np.concatenate([f.fill_rgbas[:1] for f in self.submobjects]),
        )


class Morph(Animation):
    """Move a HeightField to new points and colours by interpolating arrays (Transform would deep-copy it)."""

    def __init__(self, field: HeightField, points: np.ndarray, colors: np.ndarray, **kwargs):
        self.target = (points, colors)
        super().__init__(field, **kwargs)

    def begin(self) -> None:
        self.starting_mobject = self.mobject
        self.start = self.mobject.current()
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        t = self.rate_func(alpha)
        (p0, c0), (p1, c1) = self.start, self.target
        self.mobject.set_arrays(p0 + t * (p1 - p0), c0 + t * (c1 - c0))


def demo_tower(target, u: np.ndarray, v: np.ndarray):
    """The single tower univ builds on the mesh (its walls through cell middles, ``DEMO``), and its four steps'
    outputs on the mesh, shape (grid, grid, 4): x at x0, x1; y at y0, y1."""
    (a, b), (c, d) = target.domain
    (i0, i1), n = DEMO, GRID
    one = tower(a + i0 / n * (b - a), a + i1 / n * (b - a), c + i0 / n * (d - c), c + i1 / n * (d - c))
    return one, one.hidden_output(u, v, layer=0).reshape(*u.shape, 4)


class TowersIn2D(Beats, ThreeDScene):
    """In 2D an x-bump plus a y-bump is a cross, not a tower; thresholding it (a second layer) makes a tower, and
    many towers approximate a surface."""

    def _axes(self, target, side: float) -> ThreeDAxes:
        """The surface's coordinates (not drawn), ``side`` scene units along x and y."""
        (a, b), (c, d) = target.domain
        return ThreeDAxes(
            x_range=[a, b, (b - a) / 2],
            y_range=[c, d, (d - c) / 2],
            z_range=[0, 1, 0.5],
            x_length=side,
            y_length=side,
            z_length=1.6 * side / SIDE,
        )

    def _on_screen(self, axes: ThreeDAxes, target) -> np.ndarray:
        """Where the surface's box (heights 0 to 1, and the cross's peak of 2 in the middle) lands on the screen:
        (x0, y0, x1, y1)."""
        (a, b), (c, d) = target.domain
        u, v, z = (g.ravel() for g in np.meshgrid([a, b], [c, d], [0.0, 1.0], indexing="ij"))
        u, v, z = np.append(u, (a + b) / 2), np.append(v, (c + d) / 2), np.append(z, 2.0)
        p = self.renderer.camera.project_points(affine(axes)(u, v, z))
        return np.array([p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()])

    def _place(self, target) -> ThreeDAxes:
        """16:9: the surface right of the captions. Stacked: as large as the frame's width allows, centred in the
        space under the captions (which take the top ``CAPTION_ROOM`` of the frame)."""
        self.set_camera_orientation(phi=PHI, theta=THETA)
        rows = self.renderer.camera.get_rotation_matrix()  # world → screen: rows are the screen's right, up, out
        if WIDE:
            axes = self._axes(target, SIDE)
            return axes.shift(rows[0] * SCREEN_SHIFT[0] + rows[1] * SCREEN_SHIFT[1])
        self.renderer.camera.reset_rotation_matrix()  # the camera updates its matrix only when it draws
        rows = self.renderer.camera.get_rotation_matrix()
        fw, fh = frame_size()
        box = (-fw / 2 + 0.5, -fh / 2 + 0.5, fw / 2 - 0.5, fh / 2 - CAPTION_ROOM * fh)  # where it may go
        side, offset = SIDE, np.zeros(3)
        for _ in range(3):  # perspective: scale, move, then look again
            x0, y0, x1, y1 = self._on_screen(self._axes(target, side).shift(offset), target)
            side *= min((box[2] - box[0]) / (x1 - x0), (box[3] - box[1]) / (y1 - y0))
            x0, y0, x1, y1 = self._on_screen(self._axes(target, side).shift(offset), target)
            offset += rows[0] * (box[0] + box[2] - x0 - x1) / 2 + rows[1] * (box[1] + box[3] - y0 - y1) / 2
        return self._axes(target, side).shift(offset)

    def _caption(self, *lines) -> list:
        """Lines of text (str) or formulas (r"$...$") under the heading, fixed in the frame, in place of the
        caption shown: the animations that swap them."""
        parts = [
            MathTex(t[1:-1], font_size=BODY_SIZE + 6) if t.startswith("$") else Text(t, font=FONT, font_size=BODY_SIZE)
            for t in lines
        ]
        group = VGroup(*parts).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        fit_width(group)
        group.next_to(self.title, DOWN, buff=0.3).align_to(self.title, LEFT)
        self.add_fixed_in_frame_mobjects(group)
        self.remove(group)  # added by the FadeIn below
        old, self.shown[0] = self.shown[0], group
        return [Fade(old), Fade(group, out=False)]

    def construct(self):
        target = target_2d()
        field, u, v = self._mesh(target)  # starts flat; every beat morphs it

        def to(z: np.ndarray, **kwargs) -> Morph:
            return Morph(field, *field.arrays(z), **kwargs)

        self.title = heading("In 2D: from a cross to a tower")
        self.add_fixed_in_frame_mobjects(self.title)
        self.shown, caption = [VGroup()], self._caption  # the caption on screen, and how to change it

        # one tower, built by univ: 4 steps (x at x0, x1; y at y0, y1), 1 threshold neuron, a linear output
        one, steps = demo_tower(target, u, v)
        bump_x, bump_y = steps[..., 0] - steps[..., 1], steps[..., 2] - steps[..., 3]

        # an x-step: a neuron that ignores y
        self.add(field)
        with self.beat("In two dimensions, a neuron of x alone is a step along x."):
            self.play(
                to(steps[..., 0]), *caption("a neuron of x alone: a step along x", r"$\sigma(w(x-s))$"), run_time=1.5
            )
            self.wait(0.5)

        # a y-step
        with self.beat("A neuron of y alone is a step along y."):
            self.play(
                to(steps[..., 2]), *caption("a neuron of y alone: a step along y", r"$\sigma(w(y-t))$"), run_time=1.2
            )
            self.wait(0.5)

        # an x-bump plus a y-bump: a cross, not a tower
        with self.beat("An x-bump plus a y-bump makes a cross, not a tower."):
            self.play(
                to(bump_x + bump_y),
                *caption("x-bump + y-bump: a cross, not a tower", r"$B_x(x) + B_y(y)$"),
                run_time=1.4,
            )
            self.wait(1.0)

        # threshold the cross in a second layer: only where both bumps are up - a tower
        with self.beat("A second layer keeps only where both bumps are up: a tower."):
            self.play(
                to(one(u, v)),
                *caption("threshold it (a second layer): a tower", r"$\sigma\big(W\,(B_x + B_y - \tfrac{3}{2})\big)$"),
                run_time=1.4,
            )
            self.wait(1.0)

        # many towers approximate the surface; more neurons, smaller error
        f = target.evaluate(u, v)
        lo, hi = float(f.min()), float(f.max())
        scale = hi - lo or 1.0
        # the surface is f itself when f has y: then --neurons decides (after a smaller net, when there is room)
        is_f = function_text_dimension() == 2
        budgets = [m for m in BUDGETS if m < neurons()][-1:] + [neurons()] if is_f else list(BUDGETS)
        with self.beat(
            "Many towers, each as tall as f where it stands, make the surface; more neurons, smaller error."
        ):
            self.play(*caption("many towers make a surface", f"$f(x, y) = {formula_tex(target)}$"), run_time=0.6)
            line = None
            for n in budgets:
                net = construct(target, neurons=n)
                m = net.info["cells"][0]
                err = measure(net, target).max_error
                text = self._note_under_caption(f"{n} neurons: {m}×{m} towers, max error {err:.2f}")
                swap = [Fade(text, out=False)] + ([Fade(line)] if line is not None else [])
                self.play(to((net(u, v) - lo) / scale), *swap, run_time=1.5)
                line = text
            self.begin_ambient_camera_rotation(rate=0.3)
            self.wait(max(2.0, hold_seconds()))
            self.stop_ambient_camera_rotation()

        # the same surface from one hidden layer: ridges (steps in many directions), output weights by least squares
        if is_f:
            self._ridges(target, lambda net: to((net(u, v) - lo) / scale), line)
        self._fade_out(field)

    def _ridges(self, target, morph_to, line) -> None:
        """The same surface from one hidden layer: ridges (steps in many directions), output weights by least
        squares. ``morph_to(net)`` is the animation to the net's surface; ``line`` the note it replaces."""
        n = neurons()
        ridge = construct(target, neurons=n, method="ridge")
        err = measure(ridge, target).max_error
        with self.beat(
            f"One hidden layer can do it too: {n} ridge neurons, steps in many directions, "
            "added with the right weights."
        ):
            self.play(
                morph_to(ridge),
                Fade(line),
                *self._caption("one hidden layer: ridges", f"{n} steps in many directions, max error {err:.2f}"),
                run_time=1.5,
            )
            self.hold()

    def _mesh(self, target) -> tuple[HeightField, np.ndarray, np.ndarray]:
        """The flat mesh over the target's domain, placed for the aspect, and its grid (u, v)."""
        (a, b), (c, d) = target.domain
        axes = self._place(target)
        self.renderer.camera.should_apply_shading = False  # the mesh's colours are lit already
        u, v = np.meshgrid(np.linspace(a, b, GRID + 1), np.linspace(c, d, GRID + 1), indexing="ij")
        return HeightField(affine(axes), u, v), u, v

    def _fade_out(self, field: HeightField) -> None:
        """End on the background (the mesh fades by its colours' alpha); a still (png) keeps the picture."""
        if not self.renderer.skip_animations:
            points, colors = field.current()
            colors[:, 3] = 0.0
            self.play(Morph(field, points, colors), *(Fade(m) for m in self.mobjects if m is not field), run_time=0.5)

    def _note_under_caption(self, words: str) -> Text:
        """A line of small text under the caption on screen, fixed in the frame (not yet shown)."""
        text = fit_width(Text(words, font=FONT, font_size=SMALL_SIZE, color=NOTE_COLOR))
        text.next_to(self.shown[0], DOWN, buff=0.25).align_to(self.shown[0], LEFT)
        self.add_fixed_in_frame_mobjects(text)
        self.remove(text)
        return text
