"""Scene 5: in 2D, an x-step and a y-step make a cross, a threshold makes it a tower, and towers make a surface."""

from __future__ import annotations

import numpy as np
from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    BUMP_COLOR,
    FONT,
    NOTE_COLOR,
    SMALL_SIZE,
    fade_out_all,
    heading,
    target_2d,
)
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    Create,
    FadeIn,
    FadeOut,
    MathTex,
    Text,
    ThreeDAxes,
    ThreeDScene,
    Transform,
    VGroup,
    VMobject,
    interpolate_color,
)

from univ import construct, measure, tower

BUDGETS = (23, 47, 98)  # neurons of the towers networks shown: 3×3, 5×5 and 8×8 towers (with strips)
GRID = 22  # mesh cells per side: cairo draws every cell every frame, so this sets the render time
LIGHT = np.array([-0.45, -0.35, 0.82])  # baked into the colours once, instead of Manim's per-frame shading
LOW, HIGH = BUMP_COLOR, APPROX_COLOR  # colour by height
PHI, THETA = 58 * DEGREES, -60 * DEGREES
SCREEN_SHIFT = (1.5, -0.75)  # the surface sits right of the captions and below them


def affine(axes: ThreeDAxes):
    """axes.c2p as one affine map on arrays: origin + x·ex + y·ey + z·ez (c2p point by point is slow)."""
    o = np.asarray(axes.c2p(0, 0, 0))
    ex, ey, ez = (np.asarray(axes.c2p(*e)) - o for e in np.eye(3))
    return lambda x, y, z: o + x[..., None] * ex + y[..., None] * ey + z[..., None] * ez


class Face(VMobject):
    """One quad of a mesh; the camera sorts faces by this point every frame, so it is cheap to get."""

    def get_z_index_reference_point(self):
        return self.points[::4].mean(axis=0) if len(self.points) else np.zeros(3)  # mean of the corners


def mesh(to_scene, x: np.ndarray, y: np.ndarray, z: np.ndarray, z_range: tuple[float, float]) -> VGroup:
    """A height field as quads coloured by height and lit once; same grid, same quads, so surfaces Transform.

    x, y, z : (n + 1, n + 1) grids of corners, in axes coordinates.
    """
    p = to_scene(x, y, z)  # (n+1, n+1, 3) in scene units
    du, dv = p[1:, :-1] - p[:-1, :-1], p[:-1, 1:] - p[:-1, :-1]
    normal = np.cross(du, dv)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True) + 1e-12
    light = np.clip(np.abs(normal @ (LIGHT / np.linalg.norm(LIGHT))), 0, 1)  # (n, n): either side lit
    zc = 0.25 * (z[1:, 1:] + z[:-1, 1:] + z[1:, :-1] + z[:-1, :-1])
    t = np.clip((zc - z_range[0]) / (z_range[1] - z_range[0]), 0, 1)
    faces = VGroup()
    for i in range(z.shape[0] - 1):
        for j in range(z.shape[1] - 1):
            face = Face(stroke_width=0, fill_opacity=1.0, shade_in_3d=True)
            face.set_points_as_corners([p[i, j], p[i + 1, j], p[i + 1, j + 1], p[i, j + 1], p[i, j]])
            face.set_fill(interpolate_color(LOW, HIGH, t[i, j]).darker(0.6 * (1 - light[i, j])))
            faces.add(face)
    return faces


class TowersIn2D(ThreeDScene):
    """In 2D an x-bump plus a y-bump is a cross, not a tower; thresholding it (a second layer) makes a tower, and
    many towers approximate a surface."""

    def construct(self):
        target = target_2d()
        (a, b), (c, d) = target.domain
        axes = ThreeDAxes(x_range=[a, b, (b - a) / 2], y_range=[c, d, (d - c) / 2], z_range=[0, 1, 0.5],
                          x_length=6.4, y_length=6.4, z_length=1.6)  # coordinates only: not drawn
        self.set_camera_orientation(phi=PHI, theta=THETA)
        rows = self.renderer.camera.get_rotation_matrix()  # world → screen: rows are the screen's right, up, out
        axes.shift(rows[0] * SCREEN_SHIFT[0] + rows[1] * SCREEN_SHIFT[1])
        self.renderer.camera.should_apply_shading = False  # the mesh's colours are lit already
        to_scene = affine(axes)
        u, v = np.meshgrid(np.linspace(a, b, GRID + 1), np.linspace(c, d, GRID + 1), indexing="ij")

        def surface(z: np.ndarray) -> VGroup:
            return mesh(to_scene, u, v, z, (0.0, 1.0))

        title = heading("In 2D: from a cross to a tower")
        self.add_fixed_in_frame_mobjects(title)
        shown = [VGroup()]  # the caption on screen

        def caption(*lines) -> VGroup:
            """Lines of text (str) or formulas (r"$...$"), under the heading, fixed in the frame."""
            parts = [MathTex(t[1:-1], font_size=BODY_SIZE + 6) if t.startswith("$") else
                     Text(t, font=FONT, font_size=BODY_SIZE) for t in lines]
            group = VGroup(*parts).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
            group.next_to(title, DOWN, buff=0.3).align_to(title, LEFT)
            self.add_fixed_in_frame_mobjects(group)
            self.remove(group)  # added by the FadeIn below
            old, shown[0] = shown[0], group
            return [FadeOut(old), FadeIn(group)]

        # one tower, built by univ: 4 steps (x at x0, x1; y at y0, y1), 1 threshold neuron, a linear output
        one = tower(a + 0.35 * (b - a), a + 0.65 * (b - a), c + 0.35 * (d - c), c + 0.65 * (d - c))
        steps = one.hidden_output(u, v, layer=0).reshape(*u.shape, 4)  # (grid, grid, 4)
        bump_x, bump_y = steps[..., 0] - steps[..., 1], steps[..., 2] - steps[..., 3]

        # an x-step: a neuron that ignores y
        shape = surface(steps[..., 0])
        self.play(FadeIn(title), Create(shape), *caption("a neuron of x alone: a step along x", r"$\sigma(w(x-s))$"),
                  run_time=1.5)

        # a y-step
        self.play(Transform(shape, surface(steps[..., 2])),
                  *caption("a neuron of y alone: a step along y", r"$\sigma(w(y-t))$"), run_time=1.2)

        # an x-bump plus a y-bump: a cross, not a tower
        self.play(Transform(shape, surface(bump_x + bump_y)),
                  *caption("x-bump + y-bump: a cross, not a tower", r"$B_x(x) + B_y(y)$"), run_time=1.4)
        self.wait(0.4)

        # threshold the cross in a second layer: only where both bumps are up - a tower
        self.play(Transform(shape, surface(one(u, v))),
                  *caption("threshold it (a second layer): a tower", r"$\sigma\big(W\,(B_x + B_y - \tfrac{3}{2})\big)$"),
                  run_time=1.4)
        self.wait(0.4)

        # many towers approximate the surface; more neurons, smaller error
        f = target.evaluate(u, v)
        lo, hi = float(f.min()), float(f.max())
        scale = hi - lo or 1.0
        self.play(*caption("many towers make a surface", f"$f(x, y) = {target.latex}$"), run_time=0.6)
        line = None
        for n in BUDGETS:
            net = construct(target, neurons=n)
            m = net.info["cells"][0]
            err = measure(net, target).max_error
            text = Text(f"{n} neurons: {m}×{m} towers, max error {err:.2f}", font=FONT, font_size=SMALL_SIZE,
                        color=NOTE_COLOR).next_to(shown[0], DOWN, buff=0.25).align_to(shown[0], LEFT)
            self.add_fixed_in_frame_mobjects(text)
            self.remove(text)
            swap = [FadeIn(text)] + ([FadeOut(line)] if line is not None else [])
            self.play(Transform(shape, surface((net(u, v) - lo) / scale)), *swap, run_time=1.3)
            line = text
        self.begin_ambient_camera_rotation(rate=0.3)
        self.wait(2.0)
        self.stop_ambient_camera_rotation()
        fade_out_all(self)
