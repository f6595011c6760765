"""``univ compare``: trained nets of several depths against the hand-built nets and classical fits, same budget."""

from __future__ import annotations

import click

from .. import limits
from ..comparison import COMPARED, CONSTRUCT_METHODS, compare
from . import options as opt
from .progress import progress, stderr_is_tty, throttled
from .run import figure_blob, finish, footer, load_target, report_head, run_folder, training_settings


@opt.cli_command("compare")
@opt.expression_argument
@opt.neurons_option(12, "Hidden neurons in all, shared out over the layers of each trained net.")
@click.option(
    "--depths",
    type=opt.IntList(1, limits.MAX_COMPARE_DEPTH, most=limits.MAX_COMPARE_DEPTH),
    default="1,2,3",
    show_default=True,
    metavar="D1,D2,...",
    help="Depths of the trained nets: depth k has k layers of N/k neurons.",
)
@opt.methods_option(CONSTRUCT_METHODS, ",".join(COMPARED), f"Constructions to include: {', '.join(CONSTRUCT_METHODS)}.")
@click.option(
    "--no-baselines",
    is_flag=True,
    help="Leave out the Chebyshev polynomial and the least-squares cubic "
    f"spline (3N + 1 coefficients each, at most {limits.MAX_BASELINE_COEFFICIENTS:,}).",
)
@opt.training_options(
    "lbfgs",
    1000,
    "compare trains several nets, so it defaults to lbfgs for 1000 iterations (fast to "
    "accuracy); fit defaults to adam, gradient descent as it is taught.",
)
@opt.domain_options
@opt.output_options("figure.png and report.json")
def command(
    expression,
    neurons,
    depths,
    methods,
    no_baselines,
    domain,
    ydomain,
    out_dir,
    no_plot,
    as_json,
    **training,  # --activation, --optimizer, --lr, --epochs, --seed
):
    """Trained nets of depth 1, 2, 3 against the hand-built nets and classical fits, on the same budget.

    Trained nets share N hidden neurons over their layers; the polynomial and the cubic spline get the
    3N + 1 parameters of a one-hidden-layer net (capped at 10,001, with a note, past N = 3,333). Errors are
    measured on the target's domain, ends included.

    \b
    Examples:
      univ compare "sin(3x)" --neurons 12
      univ compare "0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05cos(50x)" -n 30 --depths 1,2 --epochs 3000
      univ compare "abs(x - 0.5)" -n 16 --activation relu --methods relu --json
    """
    target = load_target(expression, domain, ydomain)
    train = training_settings(**training)
    settings = dict(neurons=neurons, depths=depths, methods=methods, baselines=not no_baselines, **train)
    show = not as_json and stderr_is_tty()
    epochs = train["epochs"]
    total = epochs * len(depths)
    with progress(show, total, "training") as bar:
        offsets: dict[str, int] = {}
        advance = throttled(bar, total)

        def on_epoch(name: str, epoch: int, loss: float) -> None:
            offsets.setdefault(name, len(offsets) * epochs)
            advance(offsets[name] + epoch)

        result = compare(target, **settings, callback=on_epoch)
    folder = run_folder(out_dir, "compare", expression, {**settings, "domain": target.domain}, neurons)
    blobs = figure_blob(no_plot, "compare_figure", result)
    report = {
        **report_head("compare", target),
        "neurons": neurons,
        "depths": list(depths),
        "methods": list(methods),
        **train,
        "rows": result.rows,
        "notes": result.notes,
    }
    finish(report, blobs, folder, as_json, _text)


def _text(r: dict) -> str:
    return "\n".join(
        [
            f"univ compare  {r['expression']}  with {r['neurons']} hidden neurons",
            table(r["rows"]),
            *footer(r),
        ]
    )


def table(rows: list[dict]) -> str:
    head = ("model", "hidden layers", "hidden neurons", "parameters", "max error", "RMSE", "seconds")

    def cell(v, fmt="{}"):
        return "—" if v is None else fmt.format(v)

    body = [
        (
            r["model"],
            cell(r["hidden_layers"] and "+".join(map(str, r["hidden_layers"]))),
            cell(r["hidden_neurons"]),
            cell(r["parameters"]),
            cell(r["max_error"], "{:.3g}"),
            cell(r["rmse"], "{:.3g}"),
            cell(r["seconds"], "{:.3f}"),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    fmt = lambda cols: (
        "  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cols, widths)))
    )
    return "\n".join([fmt(head), fmt(["-" * w for w in widths]), *(fmt(b) for b in body)])
