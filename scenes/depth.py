"""Scene 8: depth — each layer of two ReLU units folds the line once more, doubling the linear pieces."""

from __future__ import annotations

import numpy as np
from _common import (
    APPROX_COLOR,
    BODY_SIZE,
    ERROR_COLOR,
    FONT,
    SMALL_SIZE,
    TARGET_COLOR,
    WIDE,
    Beats,
    axes_for,
    beside,
    curve,
    fade_out_all,
    fit_width,
    formula_over_plot,
    heading,
    plot_size,
)
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    MathTex,
    Scene,
    Text,
    Transform,
    VGroup,
)

from univ import measure, sawtooth, sawtooth_network, shallow_relu_lstsq

LAYERS = (1, 2, 3, 4, 5)  # the deep net grows through these depths


def lay_out(title, tent, axes):
    """16:9: the map under the heading, the plot bottom left. Stacked: the map, the plot, and room for the counts
    and the verdict under it, filling the frame. Returns the room (None in 16:9)."""
    return formula_over_plot(title, tent, axes, room_height=2.7)


class SawtoothDepth(Beats, Scene):
    """Depth: k layers of 2 ReLU units make 2^k pieces; one hidden layer needs about 2^k units to match."""

    def construct(self):
        x = np.linspace(0.0, 1.0, 2049)
        title = heading("Why depth: each layer folds the line again")
        self.add(title)
        axes = axes_for((0.0, 1.0), (-0.15, 1.15), *plot_size((7.4, 4.6)))
        tent = MathTex(r"T(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}\!\left(x - \tfrac{1}{2}\right)", font_size=34)
        fit_width(tent)
        room = lay_out(title, tent, axes)

        # one layer: the tent map from two ReLU units
        deep = curve(axes, x, sawtooth_network(1)(x), APPROX_COLOR, width=5)
        with self.beat("Why depth? Two ReLU units make a tent: the line folded once."):
            self.play(Create(axes), run_time=0.8)
            self.play(FadeIn(tent), Create(deep), run_time=1.2)

        # more layers: T(T(x)), T(T(T(x))), ... — pieces double, neurons grow by two
        rows = VGroup(*(Text(s, font=FONT, font_size=BODY_SIZE) for s in ("layers", "neurons", "pieces")))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        beside(rows, axes, buff=0.5) if WIDE else rows.align_to(room, UP).align_to(axes, LEFT)
        values = VGroup()
        with self.beat("Feed the tent into itself: each layer of two more units doubles the pieces."):
            for k in LAYERS:
                x_k = np.linspace(0.0, 1.0, 64 * 2**k + 1)
                assert measure(sawtooth_network(k), sawtooth(k)).max_error < 1e-9  # the picture is the maths
                new_values = VGroup(
                    *(Text(str(v), font=FONT, font_size=BODY_SIZE, color=APPROX_COLOR) for v in (k, 2 * k, 2**k))
                )
                for value, row in zip(new_values, rows):
                    value.next_to(rows, RIGHT, buff=0.5).match_y(row).align_to(rows.get_right() + RIGHT * 0.5, LEFT)
                if k == LAYERS[0]:
                    self.play(FadeIn(rows), FadeIn(new_values), run_time=0.5)
                    values = new_values
                else:
                    self.play(
                        Transform(deep, curve(axes, x_k, sawtooth_network(k)(x_k), APPROX_COLOR, width=4)),
                        Transform(values, new_values),
                        run_time=1.0,
                    )
                self.wait(0.3)

        # one hidden layer with the same 2k neurons: the best its hinges can do is a blur
        k = LAYERS[-1]
        target = sawtooth(k)
        shallow = shallow_relu_lstsq(target, 2 * k)
        err = measure(shallow, target).max_error
        flat = curve(axes, x, shallow(x), ERROR_COLOR, width=4)
        verdict = VGroup(
            Text(f"1 layer of {2 * k} ReLU,", font=FONT, font_size=SMALL_SIZE, color=ERROR_COLOR),
            Text("least squares:", font=FONT, font_size=SMALL_SIZE, color=ERROR_COLOR),
            Text(f"max error {err:.2f}", font=FONT, font_size=SMALL_SIZE, color=ERROR_COLOR),
            Text(f"needs {2**k} units to match", font=FONT, font_size=SMALL_SIZE, color=TARGET_COLOR),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        if WIDE:
            verdict.next_to(rows, DOWN, buff=0.7).align_to(rows, LEFT)
        else:
            verdict.next_to(VGroup(rows, values), RIGHT, buff=0.8).align_to(rows, UP)
        law = MathTex(
            r"m \text{ units} \Rightarrow \le m + 1 \text{ pieces}", font_size=SMALL_SIZE + 4, color=TARGET_COLOR
        )
        law.next_to(verdict, DOWN, buff=0.35).align_to(verdict if WIDE else rows, LEFT)
        with self.beat(f"One hidden layer with the same {2 * k} units cannot keep up: it needs about {2**k}."):
            self.play(Create(flat), FadeIn(verdict[:3], shift=UP * 0.2), run_time=1.2)
            self.play(FadeIn(verdict[3]), run_time=0.5)
            self.play(FadeIn(law), run_time=0.5)
            self.hold()
        fade_out_all(self)
