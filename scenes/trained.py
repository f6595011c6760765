"""Scene 6: the same network trained by gradient descent, epoch by epoch, beside the hand-built one."""

from __future__ import annotations

import numpy as np
from _common import (
    BODY_SIZE,
    BUMP_COLOR,
    FONT,
    HIGHLIGHT,
    NOTE_COLOR,
    SMALL_SIZE,
    TARGET_COLOR,
    WIDE,
    Beats,
    Fade,
    Readout,
    axes_for,
    curve,
    fade_out_all,
    fill,
    frame_size,
    heading,
    legend,
    neurons,
    on_baseline,
    target_1d,
    text_row,
    value_range,
)
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    Dot,
    Rectangle,
    Scene,
    Text,
    ValueTracker,
    VGroup,
    always_redraw,
    linear,
)

from univ import construct, fit, measure

EPOCHS = 2000
SNAPSHOTS = 48  # log-spaced: early epochs change the most
TRAIN_SECONDS = 7.0
SEED = 0


SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_of_ten(k: int) -> Text:
    """10^k in the text font (superscript digits), drawn by Pango rather than LaTeX."""
    return Text("10" + str(k).translate(SUPERSCRIPT), font=FONT, font_size=SMALL_SIZE - 2, color=TARGET_COLOR)


def log_axes(x_max: float, y_lo: int, y_hi: int, width: float, height: float) -> Axes:
    """Axes for log10(epoch + 1) against log10(loss) - y_lo, labelled in powers of ten.

    The y values are shifted by ``y_lo`` so the epoch axis runs along the bottom (Manim's axes cross at 0).
    """
    axes = Axes(
        x_range=[0, x_max, 1],
        y_range=[0, y_hi - y_lo, 1],
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={"include_numbers": False, "stroke_width": 2, "color": NOTE_COLOR},
    )
    for k in range(int(np.floor(x_max)) + 1):
        axes.add(power_of_ten(k).next_to(axes.c2p(k, 0), DOWN, buff=0.12))
    for k in range(y_lo, y_hi + 1, max(1, (y_hi - y_lo) // 4)):
        axes.add(power_of_ten(k).next_to(axes.c2p(0, k - y_lo), LEFT, buff=0.12))
    return axes


class ConstructedVsTrained(Beats, Scene):
    """Gradient descent on the same architecture: the trained net's output and loss over the epochs, beside the
    hand-built net and the target."""

    def construct(self):
        target, n = target_1d(), neurons()
        ((a, b),) = target.domain
        built = construct(target, n)
        marks = [0, *np.unique(np.geomspace(1, EPOCHS, SNAPSHOTS).astype(int)).tolist()]
        result = fit(
            target, hidden=(n,), activation="sigmoid", optimizer="adam", epochs=EPOCHS, seed=SEED, snapshot_epochs=marks
        )
        hist = result.history
        x = np.asarray(hist.x).reshape(-1)
        snaps = np.asarray(hist.snapshots)  # (snapshots, points)
        epochs = np.asarray(hist.snapshot_epochs, dtype=float)
        f = target.evaluate(x)

        # the target and the hand-built net
        title = heading("Constructed vs trained")
        self.add(title)
        fw, fh = frame_size()
        square = fh < 12
        axes = axes_for(
            (a, b),
            value_range(f, built(x), snaps[-1], snaps[0]),
            *((6.6, 4.4) if WIDE else (fw - 1.9, 2.8 if square else 4.6)),
        )
        key = legend(
            (TARGET_COLOR, "target"),
            (BUMP_COLOR, f"hand-built, {n} sigmoid neurons"),
            (HIGHLIGHT, f"trained, {n} sigmoid neurons (Adam)"),
        )
        # the loss plot, laid out now: stacked, the whole screen is placed at once
        loss = np.maximum(np.asarray(hist.loss), 1e-300)
        log_e = np.log10(np.arange(len(loss)) + 1.0)
        y_lo, y_hi = int(np.floor(np.log10(loss).min())), int(np.ceil(np.log10(loss).max()))
        log_l = np.log10(loss) - y_lo  # height above the bottom of the loss axes
        laxes = log_axes(log_e[-1], y_lo, y_hi, *((5.0, 3.2) if WIDE else (fw - 2.4, 1.9 if square else 3.4)))
        l_title = Text("training loss (MSE) vs epoch", font=FONT, font_size=SMALL_SIZE, color=NOTE_COLOR)
        room = self._lay_out(title, key, axes, l_title, laxes)
        goal = curve(axes, x, f, TARGET_COLOR, width=4)
        hand = curve(axes, x, built(x), BUMP_COLOR, width=3)
        with self.beat(
            f"Now the same shape of network, {n} sigmoid neurons, but trained by gradient descent "
            "instead of built by hand."
        ):
            self.play(Create(axes), Create(goal), run_time=1.0)
            self.play(Create(hand), Fade(key[:2], out=False), run_time=0.8)

        # training: the output follows the epochs, the loss falls
        self._training(axes, laxes, x, (epochs, snaps), (log_e, log_l, y_hi - y_lo), (key, l_title))

        # the verdict, in numbers from univ.measure
        e_built = measure(built, target).max_error
        e_trained = measure(result.network, target).max_error
        verdict = VGroup(
            *(
                Text(f"max error {e:.3g}", font=FONT, font_size=SMALL_SIZE, color=c)
                for e, c in ((e_built, BUMP_COLOR), (e_trained, HIGHLIGHT))
            )
        )
        self._place_verdict(verdict, key, room, e_built, e_trained)
        with self.beat(f"Both approximate f. Max error: hand-built {e_built:.2g}, trained {e_trained:.2g}."):
            self.play(Fade(verdict, out=False), run_time=0.6)
            self.hold()
        fade_out_all(self)

    @staticmethod
    def _lay_out(title, key, axes, l_title, laxes):
        """16:9: the legend under the heading, the plot bottom left, the loss right. Stacked: the legend, the plot,
        the loss, and room for the verdict (two lines) under it, filling the frame. Returns the room (None in
        16:9)."""
        key.next_to(title, DOWN, buff=0.3).align_to(title, LEFT)
        if WIDE:
            axes.to_edge(LEFT, buff=0.6).to_edge(DOWN, buff=0.5)
            laxes.to_edge(RIGHT, buff=0.5).align_to(axes, DOWN).shift(UP * 0.35)
            l_title.next_to(laxes, UP, buff=0.25)
            return None
        axes.next_to(key, DOWN, buff=0.4).set_x(0.3)
        l_title.next_to(axes, DOWN, buff=0.6).set_x(0)
        laxes.next_to(l_title, DOWN, buff=0.25).set_x(0.3)
        room = Rectangle(width=1.0, height=0.9, stroke_opacity=0).next_to(laxes, DOWN, buff=0.55)
        fill([key, axes, VGroup(l_title, laxes), room], below=title, most=1.0)
        return room

    @staticmethod
    def _place_verdict(verdict, key, room, e_built: float, e_trained: float) -> None:
        """The max errors: after the legend's rows (16:9), or named, under the loss plot (stacked)."""
        if WIDE:
            for line, row in zip(verdict, key[1:]):
                on_baseline(line.next_to(key[1:], RIGHT, buff=0.35), row[1])
            return
        named = (("hand-built", e_built, BUMP_COLOR), ("trained", e_trained, HIGHLIGHT))
        for line, (who, e, c) in zip(verdict, named):
            line.become(Text(f"{who}: max error {e:.3g}", font=FONT, font_size=SMALL_SIZE, color=c))
        verdict.arrange(DOWN, aligned_edge=LEFT, buff=0.15).move_to(room).set_x(0)

    def _training(self, axes, laxes, x, history, loss, shown):
        """The trained net's output following the snapshots (``history``: epochs and outputs) and its loss
        (``loss``: log epoch, log loss above the axes' foot, and the axes' height in decades) drawn as it falls;
        ``shown``: the legend and the loss plot's title, faded in as it starts."""
        (epochs, snaps), (log_e, log_l, decades), (key, l_title) = history, loss, shown
        t = ValueTracker(0.0)  # position along the snapshots, fractional between them

        def now() -> tuple[float, np.ndarray]:
            """Epoch and output at the tracker, blending neighbouring snapshots."""
            s = t.get_value()
            i = min(int(s), len(epochs) - 2)
            u = s - i
            return (1 - u) * epochs[i] + u * epochs[i + 1], (1 - u) * snaps[i] + u * snaps[i + 1]

        trained = always_redraw(lambda: curve(axes, x, now()[1], HIGHLIGHT, width=4))

        def loss_so_far():
            k = int(now()[0]) + 1
            return curve(laxes, log_e[: max(k, 2)], log_l[: max(k, 2)], HIGHLIGHT, width=3)

        loss_line = always_redraw(loss_so_far)
        dot = always_redraw(
            lambda: Dot(laxes.c2p(log_e[int(now()[0])], log_l[int(now()[0])]), radius=0.06, color=HIGHLIGHT)
        )
        epoch_num = Readout(EPOCHS, decimals=0, font_size=BODY_SIZE, slots=6)  # placed at its widest
        epoch_num.add_updater(lambda m: m.set_value(round(now()[0])))
        epoch_row = text_row(Text("epoch", font=FONT, font_size=BODY_SIZE), epoch_num, buff=0.2)
        epoch_row.move_to(laxes.c2p(log_e[-1], decades), aligned_edge=UP + RIGHT)  # the loss starts top left
        epoch_num.set_value(0)
        with self.beat("Epoch by epoch, the trained net's output moves toward f, and its loss falls."):
            self.play(
                Fade(key[2], out=False),
                Create(laxes),
                Fade(l_title, out=False),
                Fade(epoch_row, out=False),
                run_time=0.8,
            )
            self.add(trained, loss_line, dot)
            self.play(t.animate.set_value(len(epochs) - 1), run_time=TRAIN_SECONDS, rate_func=linear)
