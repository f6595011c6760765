"""``univ sweep``: error against neuron count for each method, and the convergence rate as a log-log slope."""

from __future__ import annotations

from ..comparison import SWEEP_METHODS
from .options import (
    cli_command,
    domain_options,
    expression_argument,
    methods_option,
    neurons_option,
    output_options,
    training_options,
)
from .progress import progress, stderr_is_tty
from .run import finish, load_target, run_folder


@cli_command("sweep")
@expression_argument
@neurons_option("4,8,16,32,64", "Neuron counts to try.", many=True)
@methods_option(SWEEP_METHODS, "bumps,steps,relu",
                "Any of bumps, steps, relu, heaviside, fit (a trained hidden layer), poly, spline.")
@training_options("lbfgs", 1000, "sweep trains a net per count, so it defaults to lbfgs for 1000 iterations (fast "
                  "to accuracy); fit defaults to adam, gradient descent as it is taught.")
@domain_options
@output_options("figure.png and report.json")
def command(expression, neurons, methods, activation, optimizer, lr, epochs, seed, domain, ydomain, out_dir, no_plot,
            as_json):
    """Error against neuron count for each method, and the convergence rate as a log-log slope.

    Steps and bumps converge like 1/N (slope −1), ReLU hinges like 1/N² (slope −2) on smooth functions.

    \b
    Examples:
      univ sweep "sin(3x)" --neurons 4,8,16,32
      univ sweep "exp(-x^2)" --domain -2 2 -n 16,32,64,128 --methods steps,relu,spline
      univ sweep "sin(3x)" -n 4,8,16 --methods relu,fit --epochs 500 --json
    """
    from ..comparison import sweep

    target = load_target(expression, domain, ydomain)
    show = not as_json and stderr_is_tty()
    with progress(show, len(neurons) * len(methods), "building") as bar:
        extra = {"lr": lr} if lr is not None else {}  # sweep trains with the optimizer's own default rate
        result = sweep(target, neurons, methods=methods, activation=activation, optimizer=optimizer, **extra,
                       epochs=epochs, seed=seed, callback=lambda m, k: bar.update(1))
    options = dict(neurons=neurons, methods=methods, activation=activation, optimizer=optimizer, lr=lr,
                   epochs=epochs, seed=seed, domain=target.domain)
    folder = run_folder(out_dir, "sweep", expression, options, "-".join(methods))
    blobs = {}
    if not no_plot:
        from ..plot import figure_png, sweep_figure

        blobs["figure.png"] = figure_png(sweep_figure, result)
    report = {"command": "sweep", "expression": target.text, "domain": [list(p) for p in target.domain],
              "activation": activation, "optimizer": optimizer, "lr": lr, "epochs": epochs, "seed": seed,
              **result.to_dict()}
    finish(report, blobs, folder, as_json, _text)


def _text(d: dict) -> str:
    ns = d["neurons"]
    w = max(10, *(len(m) for m in d["methods"]))
    lines = [f"univ sweep  {d['expression']}  (max error; slope of log error against log N)"]
    lines.append("  " + "N".ljust(w) + "".join(f"{n:>11d}" for n in ns) + "      slope")
    for m in d["methods"]:
        s = d["slopes"][m]
        cells = "".join(f"{e:>11.3g}" for e in d["max_error"][m])
        lines.append("  " + m.ljust(w) + cells + ("        —" if s is None else f"{s:>11.2f}"))
    lines.append("  files  " + ", ".join(d["files"].values()))
    return "\n".join(lines)
