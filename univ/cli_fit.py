"""``univ fit``, ``univ compare``, ``univ sweep``: train nets, pit them against the constructions, measure rates."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ._io import figure_png, json_bytes, slug, write_files

DEFAULT_OUT = Path("outputs")
LONG_RUN_WORK = 5e9  # epochs × points × parameters above which a progress bar is worth drawing off a terminal
BAR_UPDATES = 200  # the bar is redrawn at most this often
FIGURE_POINTS_2D = 201  # per side, for images of 2D fits


# -- option parsing -------------------------------------------------------------------------------------
def _int_list(text: str, name: str) -> tuple[int, ...]:
    parts = [p.strip() for p in text.replace(" ", ",").split(",") if p.strip()]
    if not parts:
        raise click.BadParameter(f"needs at least one whole number, got {text!r}", param_hint=name)
    values = []
    for p in parts:
        try:
            v = int(p)
        except ValueError:
            raise click.BadParameter(f"{p!r} is not a whole number (in {text!r})", param_hint=name) from None
        if v < 1:
            raise click.BadParameter(f"must be positive whole numbers, got {v} (in {text!r})", param_hint=name)
        values.append(v)
    return tuple(values)


def _name_list(text: str, name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise click.BadParameter(f"needs at least one of {', '.join(allowed)}", param_hint=name)
    for p in parts:
        if p not in allowed:
            raise click.BadParameter(f"unknown {p!r}; choose from {', '.join(allowed)}", param_hint=name)
    return tuple(dict.fromkeys(parts))


def _progress(show: bool, length: int, label: str):
    """A click progress bar on stderr, or a stand-in that ignores updates."""
    if not show:
        return _NoBar()
    return click.progressbar(length=max(length, 1), label=label, file=sys.stderr, show_eta=True, width=30)


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n: int) -> None:
        pass


def _throttled(bar, total: int):
    """A callback(epoch) that advances ``bar`` to ``epoch`` in at most BAR_UPDATES redraws."""
    every = max(1, total // BAR_UPDATES)
    done = [0]

    def advance(epoch: int) -> None:
        if epoch - done[0] >= every or epoch >= total:
            bar.update(epoch - done[0])
            done[0] = epoch

    return advance


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False




# -- fit ------------------------------------------------------------------------------------------------
@click.command("fit")
@click.argument("expression")
@click.option("--hidden", default=None, metavar="W1,W2,...",
              help="Hidden layer widths, e.g. 16,16,16  [default: 16,16,16]")
@click.option("--layers", type=int, default=None, help="Number of hidden layers (with --width; instead of --hidden).")
@click.option("--width", type=int, default=None, help="Neurons per hidden layer (with --layers).")
@click.option("--activation", type=click.Choice(["tanh", "relu", "sigmoid"]), default="tanh", show_default=True,
              help="Hidden activation; the output neuron is linear.")
@click.option("--optimizer", type=click.Choice(["adam", "sgd", "lbfgs"]), default="adam", show_default=True,
              help="adam; sgd with momentum; lbfgs (full batch, line search, epochs = iterations).")
@click.option("--lr", type=float, default=None, help="Learning rate  [default: 0.01 for adam and sgd]")
@click.option("--epochs", type=int, default=2000, show_default=True, help="Passes over the data (lbfgs: iterations).")
@click.option("--batch-size", type=int, default=None, help="Points per step  [default: all of them]")
@click.option("--dropout", type=float, default=0.0, show_default=True,
              help="Drop probability for hidden units, [0, 1).")
@click.option("--init", type=click.Choice(["xavier", "he"]), default=None,
              help="Initial weights  [default: xavier for tanh/sigmoid, he for relu]")
@click.option("--momentum", type=float, default=0.9, show_default=True, help="Momentum for sgd.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: same seed, same net.")
@click.option("--points", type=int, default=1000, show_default=True, help="Training points on the domain.")
@click.option("--no-normalize", is_flag=True,
              help="Train on raw x and f values instead of x scaled to [-1, 1] and f to unit spread.")
@click.option("--domain", nargs=2, type=float, default=None, metavar="A B", help="x interval  [default: 0 1]")
@click.option("--ydomain", nargs=2, type=float, default=None, metavar="C D", help="y interval for 2D.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for figure.png, report.json, network.json  [default: outputs/<slug>]")
@click.option("--no-plot", is_flag=True, help="Skip the figure (and the matplotlib import).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the report.")
def fit_command(expression, hidden, layers, width, activation, optimizer, lr, epochs, batch_size, dropout, init,
                momentum, seed, points, no_normalize, domain, ydomain, out_dir, no_plot, as_json):
    """Train a deep net on EXPRESSION by gradient descent, measure it, and draw the fit and the loss.

    \b
    Examples:
      univ fit "sin(3x)"
      univ fit "sin(3x)" --layers 3 --width 16 --optimizer adam --lr 0.01 --epochs 3000
      univ fit "0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05cos(50x)" --hidden 32 --optimizer lbfgs --epochs 4000
      univ fit "abs(x)" --domain -1 1 --activation relu --batch-size 64 --dropout 0.1 --json
    """
    from .training import FitConfig, fit
    from .measure import measure
    from .parse import parse

    if hidden is not None and (layers is not None or width is not None):
        raise click.UsageError("give either --hidden or --layers/--width, not both")
    if hidden is not None:
        sizes = _int_list(hidden, "--hidden")
    else:
        n_layers = 3 if layers is None else layers
        n_width = 16 if width is None else width
        if n_layers < 1:
            raise click.BadParameter(f"must be at least 1, got {n_layers}", param_hint="--layers")
        if n_width < 1:
            raise click.BadParameter(f"must be at least 1, got {n_width}", param_hint="--width")
        sizes = (n_width,) * n_layers
    cfg = FitConfig(hidden=sizes, activation=activation, optimizer=optimizer, lr=lr, epochs=epochs,
                    batch_size=batch_size, dropout=dropout, init=init, seed=seed, points=points, momentum=momentum,
                    normalize=not no_normalize)
    target = parse(expression, domain=domain, ydomain=ydomain)

    params = sum((a + 1) * b for a, b in zip([target.dimension, *sizes], [*sizes, 1]))
    work = float(epochs) * points * params
    show = not as_json and (_stderr_is_tty() or work > LONG_RUN_WORK)
    with _progress(show, epochs, f"training {optimizer}") as bar:
        advance = _throttled(bar, epochs)
        result = fit(target, config=cfg, callback=lambda e, loss: advance(e))
    network, history = result.network, result.history
    report = measure(network, target)

    out = out_dir or DEFAULT_OUT / slug(expression, "fit", optimizer, "x".join(map(str, sizes)))
    files = {"report": out / "report.json", "network": out / "network.json"}
    blobs = {"network": network.to_json().encode()}
    if not no_plot:
        files["figure"] = out / "figure.png"
        blobs["figure"] = figure_png(_fit_figure(network, target, history), figsize=(8.0, 7.0))
    info = network.info
    data = {
        "expression": expression,
        "dimension": target.dimension,
        "domain": [list(p) for p in target.domain],
        "hidden_layers": list(sizes),
        "neurons": network.n_hidden,
        "parameters": network.n_params,
        "activation": activation,
        "optimizer": optimizer,
        "lr": info["lr"],
        "epochs": epochs,
        "epochs_run": history.epochs,
        "batch_size": batch_size,
        "dropout": dropout,
        "init": info["init"],
        "momentum": info["momentum"],
        "seed": seed,
        "points": info["points"],
        "normalize": info["normalize"],
        "final_loss": float(history.loss[-1]),
        "max_error": report.max_error,
        "rmse": report.rmse,
        "worst_at": list(report.worst_at),
        "seconds": history.seconds,
        "stopped": info["stopped"],
        "snapshots": {"epochs": list(history.snapshot_epochs),
                      "loss": [float(history.loss[e]) for e in history.snapshot_epochs]},
        "files": {k: str(v) for k, v in files.items()},
    }
    blobs["report"] = json_bytes(data)
    write_files(files, blobs)
    if as_json:
        click.echo(json.dumps(data, allow_nan=False))
        return
    click.echo(_fit_text(data, target))


def _fit_figure(network, target, history):
    from . import plot_fit

    def draw(fig):
        if target.dimension == 1:
            top, low = fig.subplots(2, 1, height_ratios=[3, 2])
            plot_fit.plot_fit(top, network, target, history)
            top.set_xlabel("x")
        else:
            from .measure import grid

            axes = fig.subplots(2, 2)
            X, Y = grid(target.domain, FIGURE_POINTS_2D)
            truth, final = target.evaluate(X, Y), network(X, Y)
            for ax, values, title in ((axes[0, 0], truth, "target"), (axes[0, 1], final, "trained net"),
                                      (axes[1, 0], abs(final - truth), "|error|")):
                fig.colorbar(plot_fit.plot_surface(ax, values, target, title), ax=ax)
            low = axes[1, 1]
        plot_fit.plot_loss(low, history)
        low.set_title("training loss", fontsize=10)
        info = network.info
        fig.suptitle(f"fit: hidden {info['hidden']} {info['activation']}, {info['optimizer']}, "
                     f"{info['epochs_run']} epochs", fontsize=11)

    return draw


def _fit_text(r: dict, target) -> str:
    dom = " × ".join(f"[{lo:g}, {hi:g}]" for lo, hi in r["domain"])
    layers = " + ".join(str(s) for s in r["hidden_layers"])
    how = f"{r['optimizer']}"
    if r["lr"] is not None:
        how += f", lr {r['lr']:g}"
    if r["optimizer"] == "sgd":
        how += f", momentum {r['momentum']:g}"
    how += f", {r['epochs_run']} epochs"
    if r["batch_size"]:
        how += f", batches of {r['batch_size']}"
    if r["dropout"]:
        how += f", dropout {r['dropout']:g}"
    how += f", {r['init']} init, seed {r['seed']}"
    if not r["normalize"]:
        how += ", raw (unnormalized) data"
    worst = ", ".join(f"{v:.4g}" for v in r["worst_at"])
    names = ", ".join(target.variables)
    lines = [
        f"univ fit  {r['expression']}  on {dom}",
        f"  network       {r['neurons']} {r['activation']} neurons ({layers}), linear output, "
        f"{r['parameters']} parameters",
        f"  training      {how}; {r['points']} points; {r['seconds']:.2f} s",
        f"  final loss    {r['final_loss']:.4g}  (training MSE)",
        f"  max error     {r['max_error']:.4g}  at {names} = {worst}",
        f"  RMSE          {r['rmse']:.4g}",
        "  files         " + ", ".join(r["files"].values()),
    ]
    if r["stopped"] != "epochs":
        lines.insert(3, f"  note          {r['stopped']}")
    return "\n".join(lines)


# -- compare --------------------------------------------------------------------------------------------
@click.command("compare")
@click.argument("expression")
@click.option("-n", "--neurons", type=int, default=12, show_default=True,
              help="Hidden neurons in all, shared out over the layers of each trained net.")
@click.option("--depths", default="1,2,3", show_default=True, metavar="D1,D2,...",
              help="Depths of the trained nets: depth k has k layers of N/k neurons.")
@click.option("--methods", default="bumps,steps,relu", show_default=True, metavar="M1,M2,...",
              help="Constructions to include: bumps, steps, relu, heaviside.")
@click.option("--no-baselines", is_flag=True, help="Leave out the least-squares polynomial and spline.")
@click.option("--activation", type=click.Choice(["tanh", "relu", "sigmoid"]), default="tanh", show_default=True)
@click.option("--optimizer", type=click.Choice(["adam", "sgd", "lbfgs"]), default="lbfgs", show_default=True)
@click.option("--lr", type=float, default=None, help="Learning rate for adam/sgd.")
@click.option("--epochs", type=int, default=1000, show_default=True, help="Training budget per net.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--domain", nargs=2, type=float, default=None, metavar="A B", help="x interval  [default: 0 1]")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for report.json and figure.png  [default: outputs/<slug>]")
@click.option("--no-plot", is_flag=True, help="Skip the figure.")
@click.option("--json", "as_json", is_flag=True, help='Print one JSON object {"rows": [...]} instead of the table.')
def compare_command(expression, neurons, depths, methods, no_baselines, activation, optimizer, lr, epochs, seed,
                    domain, out_dir, no_plot, as_json):
    """Trained nets of depth 1, 2, 3 against the hand-built nets and classical fits, on the same budget.

    Trained nets share N hidden neurons over their layers; the polynomial and the cubic spline get the
    3N + 1 parameters of a one-hidden-layer net. Errors are measured on 10,001 points, ends included.

    \b
    Examples:
      univ compare "sin(3x)" --neurons 12
      univ compare "0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05cos(50x)" -n 30 --depths 1,2 --epochs 3000
      univ compare "abs(x - 0.5)" -n 16 --activation relu --methods relu --json
    """
    from .comparison import CONSTRUCT_METHODS, compare
    from .parse import parse

    depth_list = _int_list(depths, "--depths")
    method_list = _name_list(methods, "--methods", CONSTRUCT_METHODS)
    if neurons < 1:
        raise click.BadParameter(f"must be at least 1, got {neurons}", param_hint="--neurons")
    target = parse(expression, domain=domain)
    show = not as_json and _stderr_is_tty()
    total = epochs * len(depth_list)
    with _progress(show, total, "training") as bar:
        offsets: dict[str, int] = {}
        advance = _throttled(bar, total)

        def on_epoch(name: str, epoch: int, loss: float) -> None:
            offsets.setdefault(name, len(offsets) * epochs)
            advance(offsets[name] + epoch)

        result = compare(target, neurons, depths=depth_list, activation=activation, epochs=epochs, seed=seed,
                         methods=method_list, baselines=not no_baselines, optimizer=optimizer, lr=lr,
                         callback=on_epoch)

    out = out_dir or DEFAULT_OUT / slug(expression, "compare", neurons)
    files = {"report": out / "report.json"}
    blobs = {}
    if not no_plot:
        files["figure"] = out / "figure.png"
        blobs["figure"] = figure_png(_compare_figure(result), figsize=(9.0, 10.0))
    report = {"expression": expression, "neurons": neurons, "activation": activation, "optimizer": optimizer,
              "epochs": epochs, "seed": seed, "rows": result.rows, "files": {k: str(v) for k, v in files.items()}}
    blobs["report"] = json_bytes(report)
    write_files(files, blobs)
    if as_json:
        click.echo(json.dumps(result.to_dict(), allow_nan=False))
        return
    click.echo(f"univ compare  {expression}  with {neurons} hidden neurons")
    click.echo(_table(result.rows))
    click.echo("  files  " + ", ".join(str(v) for v in files.values()))


def _table(rows: list[dict]) -> str:
    head = ("model", "hidden layers", "hidden neurons", "parameters", "max error", "RMSE", "seconds")

    def cell(v, fmt="{}"):
        return "—" if v is None else fmt.format(v)

    body = [
        (r["model"], cell(r["hidden_layers"]), cell(r["hidden_neurons"]), cell(r["parameters"]),
         cell(r["max_error"], "{:.3g}"), cell(r["rmse"], "{:.3g}"), cell(r["seconds"], "{:.3f}"))
        for r in rows
    ]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    fmt = lambda cols: "  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                                        for i, (c, w) in enumerate(zip(cols, widths)))
    return "\n".join([fmt(head), fmt(["-" * w for w in widths]), *(fmt(b) for b in body)])


def _compare_figure(result):
    from . import plot_fit

    def draw(fig):
        top, mid, low = fig.subplots(3, 1, height_ratios=[3, 2, 2])
        plot_fit.plot_models(top, result)
        plot_fit.plot_model_errors(mid, result)
        histories = {m.name: m.history for m in result.models if m.history is not None}
        if histories:
            plot_fit.plot_loss(low, histories)
            low.set_title("training loss of the trained nets", fontsize=10)
        else:
            low.set_axis_off()

    return draw


# -- sweep ----------------------------------------------------------------------------------------------
@click.command("sweep")
@click.argument("expression")
@click.option("-n", "--neurons", default="4,8,16,32,64", show_default=True, metavar="N1,N2,...",
              help="Neuron counts to try.")
@click.option("--methods", default="bumps,steps,relu", show_default=True, metavar="M1,M2,...",
              help="Any of bumps, steps, relu, heaviside, fit (a trained hidden layer), poly, spline.")
@click.option("--activation", type=click.Choice(["tanh", "relu", "sigmoid"]), default="tanh", show_default=True,
              help="For fit.")
@click.option("--optimizer", type=click.Choice(["adam", "sgd", "lbfgs"]), default="lbfgs", show_default=True,
              help="For fit.")
@click.option("--epochs", type=int, default=1000, show_default=True, help="For fit.")
@click.option("--seed", type=int, default=0, show_default=True, help="For fit.")
@click.option("--domain", nargs=2, type=float, default=None, metavar="A B", help="x interval  [default: 0 1]")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for report.json and figure.png  [default: outputs/<slug>]")
@click.option("--no-plot", is_flag=True, help="Skip the figure.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the table.")
def sweep_command(expression, neurons, methods, activation, optimizer, epochs, seed, domain, out_dir, no_plot,
                  as_json):
    """Error against neuron count for each method, and the convergence rate as a log-log slope.

    Steps and bumps converge like 1/N (slope −1), ReLU hinges like 1/N² (slope −2) on smooth functions.

    \b
    Examples:
      univ sweep "sin(3x)" --neurons 4,8,16,32
      univ sweep "exp(-x^2)" --domain -2 2 -n 16,32,64,128 --methods steps,relu,spline
      univ sweep "sin(3x)" -n 4,8,16 --methods relu,fit --epochs 500 --json
    """
    from .comparison import SWEEP_METHODS, sweep
    from .parse import parse

    ns = _int_list(neurons, "--neurons")
    method_list = _name_list(methods, "--methods", SWEEP_METHODS)
    target = parse(expression, domain=domain)
    show = not as_json and _stderr_is_tty()
    with _progress(show, len(ns) * len(method_list), "building") as bar:
        result = sweep(target, ns, methods=method_list, activation=activation, optimizer=optimizer, epochs=epochs,
                       seed=seed, callback=lambda m, k: bar.update(1))

    out = out_dir or DEFAULT_OUT / slug(expression, "sweep", "-".join(method_list))
    files = {"report": out / "report.json"}
    blobs = {}
    if not no_plot:
        files["figure"] = out / "figure.png"
        blobs["figure"] = figure_png(_sweep_figure(result), figsize=(10.0, 4.6))
    data = {"expression": expression, **result.to_dict(), "files": {k: str(v) for k, v in files.items()}}
    blobs["report"] = json_bytes(data)
    write_files(files, blobs)
    if as_json:
        click.echo(json.dumps(data, allow_nan=False))
        return
    click.echo(_sweep_text(data))


def _sweep_text(d: dict) -> str:
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


def _sweep_figure(result):
    from . import plot_fit

    def draw(fig):
        left, right = fig.subplots(1, 2)
        plot_fit.plot_sweep(left, result, "max_error")
        left.set_title("max error", fontsize=10)
        plot_fit.plot_sweep(right, result, "rmse")
        right.set_title("RMSE", fontsize=10)
        fig.suptitle(f"convergence: {result.target.text}", fontsize=11)

    return draw


COMMANDS = [fit_command, compare_command, sweep_command]
