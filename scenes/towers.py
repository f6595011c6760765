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
    TARGET_COLOR,
    fade_out_all,
    heading,
    neurons,
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

from univ import construct, measure, sigmoid

W = 32.0  # steepness of the demonstration steps, in 1/(domain width)
GRID = 22  # mesh cells per side: cairo draws every cell every frame, so this sets the render time
LIGHT = np.array([-0.45, -0.35, 0.82])  # baked into the colours once, instead of Manim's per-frame shading
LOW, HIGH = BUMP_COLOR, APPROX_COLOR  # colour by height
PHI, THETA = 58 * DEGREES, -60 * DEGREES
SCREEN_SHIFT = (1.5, -0.45)  # the surface sits right of the captions and below them


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
    """In 2D an x-bump plus a y-bump is a cross, not a tower; thresholding it makes a tower, and many towers
    approximate a surface."""

    def construct(self):
        target = target_2d()
        (a, b), (c, d) = target.domain
        span = max(b - a, d - c)
        w = W / span
        axes = ThreeDAxes(x_range=[a, b, (b - a) / 2], y_range=[c, d, (d - c) / 2], z_range=[0, 1, 0.5],
                          x_length=6.4, y_length=6.4, z_length=2.2)  # coordinates only: not drawn
        self.set_camera_orientation(phi=PHI, theta=THETA)
        rows = self.renderer.camera.get_rotation_matrix()  # world → screen: rows are the screen's right, up, out
        axes.shift(rows[0] * SCREEN_SHIFT[0] + rows[1] * SCREEN_SHIFT[1])
        self.renderer.camera.should_apply_shading = False  # the mesh's colours are lit already

        to_scene = affine(axes)
        u, v = np.meshgrid(np.linspace(a, b, GRID + 1), np.linspace(c, d, GRID + 1), indexing="ij")

        def surface(z: np.ndarray) -> VGroup:
            return mesh(to_scene, u, v, z, (0.0, 1.0))

        def caption(text: str, formula: str | None = None) -> VGroup:
            parts = [Text(text, font=FONT, font_size=BODY_SIZE)]
            if formula:
                parts.append(MathTex(formula, font_size=BODY_SIZE + 6))
            group = VGroup(*parts).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
            group.next_to(title, DOWN, buff=0.3).align_to(title, LEFT)
            return group

        sx, sy = a + 0.35 * (b - a), c + 0.35 * (d - c)  # where the demonstration steps sit
        ex, ey = a + 0.65 * (b - a), c + 0.65 * (d - c)

        def x_bump(x, y):
            return sigmoid(w * (x - sx)) - sigmoid(w * (x - ex))

        def y_bump(x, y):
            return sigmoid(w * (y - sy)) - sigmoid(w * (y - ey))

        # an x-step: a neuron that ignores y
        title = heading("In 2D: from a cross to a tower")
        self.add_fixed_in_frame_mobjects(title)
        now = caption("a neuron of x alone: a step along x", r"\sigma(w(x-s))")
        self.add_fixed_in_frame_mobjects(now)
        shape = surface(sigmoid(w * (u - sx)))
        self.play(FadeIn(title), FadeIn(now), Create(shape), run_time=1.5)

        # a y-step
        nxt = caption("a neuron of y alone: a step along y", r"\sigma(w(y-t))")
        self.add_fixed_in_frame_mobjects(nxt)
        self.remove(nxt)
        self.play(Transform(shape, surface(sigmoid(w * (v - sy)))),
                  FadeOut(now), FadeIn(nxt), run_time=1.2)
        now = nxt

        # an x-bump plus a y-bump: a cross, not a tower
        nxt = caption("x-bump + y-bump: a cross, not a tower", r"B_x(x) + B_y(y)")
        self.add_fixed_in_frame_mobjects(nxt)
        self.remove(nxt)
        self.play(Transform(shape, surface(x_bump(u, v) + y_bump(u, v))),
                  FadeOut(now), FadeIn(nxt), run_time=1.4)
        self.wait(0.4)
        now = nxt

        # threshold the cross: only where both bumps are up - a tower
        nxt = caption("threshold it (a second layer): a tower", r"\sigma\big(W\,(B_x + B_y - \tfrac{3}{2})\big)")
        self.add_fixed_in_frame_mobjects(nxt)
        self.remove(nxt)
        self.play(Transform(shape, surface(sigmoid(w * (x_bump(u, v) + y_bump(u, v) - 1.5)))),
                  FadeOut(now), FadeIn(nxt), run_time=1.4)
        self.wait(0.4)
        now = nxt

        # many towers approximate the surface
        n = max(neurons(), 2)
        net = construct(target, n)
        err = measure(net, target).max_error
        label = MathTex("f(x, y) =", target.latex, font_size=BODY_SIZE + 4, color=TARGET_COLOR)
        nxt = VGroup(Text(f"many towers ({net.n_hidden} neurons, 2 layers)", font=FONT, font_size=BODY_SIZE), label,
                     Text(f"max error {err:.3g}", font=FONT, font_size=SMALL_SIZE, color=NOTE_COLOR))
        nxt.arrange(DOWN, aligned_edge=LEFT, buff=0.2).next_to(title, DOWN, buff=0.3).align_to(title, LEFT)
        self.add_fixed_in_frame_mobjects(nxt)
        self.remove(nxt)
        self.play(Transform(shape, surface(net(u, v))),
                  FadeOut(now), FadeIn(nxt), run_time=1.6)
        self.begin_ambient_camera_rotation(rate=0.25)
        self.wait(2.5)
        self.stop_ambient_camera_rotation()
        fade_out_all(self)
