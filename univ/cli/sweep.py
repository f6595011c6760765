"""``univ sweep``: error against neuron count for each method, and the convergence rate as a log-log slope."""

from __future__ import annotations

from ..bounds import neurons_for_bound, sweep_bounds
from ..comparison import COMPARED, CONSTRUCT_METHODS, SWEEP_METHODS, sweep
from ..constructions import names
from ..search import neurons_for_each
from . import options as opt
from .progress import Stages, progress, stderr_is_tty
from .run import figure_blob, finish, footer, given, load_target, report_head, run_folder, training_settings


@opt.cli_command("sweep")
@opt.expression_argument
@opt.neurons_option("4,8,16,32,64", "Neuron counts to try.", many=True)
@opt.methods_option(
    SWEEP_METHODS,
    ",".join(COMPARED),
    f"Any of {', '.join(CONSTRUCT_METHODS)}, fit (a trained hidden layer), poly, spline (these two "
    "take 3N + 1 coefficients, so N up to 3,333).",
)
@opt.training_options(
    "lbfgs",
    1000,
    "sweep trains a net per count, so it defaults to lbfgs for 1000 iterations (fast "
    "to accuracy); fit defaults to adam, gradient descent as it is taught.",
)
@opt.domain_options
@opt.max_error_option(
    "Instead of errors at fixed counts: the smallest neuron count whose certified max error is at most "
    "EPS, for every method side by side (in 2D: every 2D construction), and the trained net's width "
    "(powers of two up to 256) if fit is among --methods; --neurons is then not used."
)
@opt.output_options("figure.png and report.json")
def command(
    expression,
    neurons,
    methods,
    domain,
    ydomain,
    max_error,
    out_dir,
    no_plot,
    as_json,
    **training,  # --activation, --optimizer, --lr, --epochs, --seed
):
    """Error against neuron count for each method, and the convergence rate as a log-log slope.

    Steps and bumps converge like 1/N (slope −1), ReLU hinges like 1/N² (slope −2) on smooth functions.

    \b
    Examples:
      univ sweep "sin(3x)" --neurons 4,8,16,32
      univ sweep "exp(-x^2)" --domain -2 2 -n 16,32,64,128 --methods steps,relu,spline
      univ sweep "sin(3x)" -n 4,8,16 --methods relu,fit --epochs 500 --json
      univ sweep "sin(3x)" --max-error 1e-3 --methods bumps,steps,relu,fit
    """
    target = load_target(expression, domain, ydomain)
    train = training_settings(**training)
    if max_error is not None:
        _neurons_for_eps(expression, target, max_error, methods, given(train), out_dir, as_json, no_plot)
        return
    show = not as_json and stderr_is_tty()
    with progress(show, len(neurons) * len(methods), "building") as bar:
        # sweep trains with the optimizer's own default rate unless --lr is given
        result = sweep(target, neurons, methods=methods, **given(train), callback=lambda m, k: bar.update(1))
    options = dict(neurons=neurons, methods=methods, **train, domain=target.domain)
    folder = run_folder(out_dir, "sweep", expression, options, "-".join(methods))
    bounds, bound_slopes = sweep_bounds(target, methods, neurons)  # what each construction's proof promises
    blobs = figure_blob(no_plot, "sweep_figure", result, bounds, bound_slopes)
    report = {**report_head("sweep", target), **train, **result.to_dict()}
    report.update(bounds=bounds, bound_slopes=bound_slopes)
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
        if m in d.get("bounds", {}):  # the proof's promise beneath the measurement
            b, bs = d["bounds"][m], d["bound_slopes"][m]
            cells = "".join(f"{'—':>11}" if v is None else f"{v:>11.3g}" for v in b)
            lines.append("  " + "  ≤ bound".ljust(w) + cells + ("        —" if bs is None else f"{bs:>11.2f}"))
    return "\n".join(lines + footer(d))


def _neurons_for_eps(expression, target, eps, methods, fit_options, out_dir, as_json, no_plot) -> None:
    """``--max-error``: the neurons each method needs for EPS, side by side (univ.search.neurons_for_each)."""
    valid = names(target.dimension)  # the deep construction has no builder of its own dimension: never among them
    chosen = tuple(m for m in methods if m in valid) if target.dimension == 1 else valid
    stage = Stages(not as_json and stderr_is_tty(), "sweep")  # a step past a second says so on stderr
    with stage(f"searching each method's fewest neurons for max error ≤ {eps:g}"):
        results = neurons_for_each(target, eps, methods=chosen, trained="fit" in methods, fit_options=fit_options)
    options = dict(max_error=eps, methods=methods, domain=target.domain, **fit_options)
    folder = run_folder(out_dir, "sweep", expression, options, "max-error", "-".join(results))
    report = {
        **report_head("sweep", target),
        "max_error_goal": eps,
        "neurons_for": {m: r.to_dict() for m, r in results.items()},
        # the N each construction's bound alone asks for (null: no bound, or none within the method's range)
        "bound_neurons": {m: neurons_for_bound(target, eps, m)[0] for m in results if m != "fit"},
    }
    with stage("drawing the figure"):
        blobs = figure_blob(no_plot, "neurons_for_figure", target, eps, report["neurons_for"])  # as sweep draws one
    finish(report, blobs, folder, as_json, _eps_text)


def _eps_text(d: dict) -> str:
    lines = [f"univ sweep  {d['expression']}  (the fewest neurons with certified max error ≤ {d['max_error_goal']:g})"]
    w = max(10, *(len(m) for m in d["neurons_for"]))
    lines.append("  " + "method".ljust(w) + f"{'neurons':>9}{'max error':>12}{'the proof':>11}  tried")
    for m, r in d["neurons_for"].items():
        n = f"{r['neurons']:>9d}" if r["reached"] else f"{'—':>9}"
        by = d.get("bound_neurons", {}).get(m)
        proof = f"{'—':>11}" if by is None else f"{by:>11d}"
        lines.append("  " + m.ljust(w) + n + f"{r['max_error']:>12.4g}" + proof + f"  {_counts(len(r['tried']))}")
        if not r["reached"]:
            lines.append("  " + " " * w + f"  best {r['max_error']:.4g} with {r['neurons']} neurons; {r['reason']}")
        elif m == "fit":
            lines.append("  " + " " * w + "  (trained widths 2, 4, 8, ...: doubling only)")
    return "\n".join(lines + footer(d))


def _counts(k: int) -> str:
    return f"{k} count" if k == 1 else f"{k} counts"
