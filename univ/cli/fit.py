"""``univ fit``: train a net on an expression by gradient descent, measure it, draw the fit and the loss."""

from __future__ import annotations

import click

from .. import limits, numbers, training
from ..measure import measure
from .options import (
    IntList,
    cli_command,
    domain_options,
    expression_argument,
    holdout_option,
    output_options,
    training_options,
)
from .progress import progress, stderr_is_tty, throttled
from .run import figure_blob, finish, load_target, run_folder, sample_report

LONG_RUN_WORK = 5e9  # epochs × points × parameters above which a progress bar is worth drawing off a terminal


@cli_command("fit")
@expression_argument
@click.option(
    "--hidden",
    type=IntList(1, limits.MAX_WIDTH, most=limits.MAX_LAYERS, unique=False),  # 16,16,16 is three layers
    default=None,
    metavar="W1,W2,...",
    help="Hidden layer widths, e.g. 16,16,16  [default: 16,16,16]",
)
@click.option(
    "--layers",
    type=click.IntRange(1, limits.MAX_LAYERS),
    default=None,
    help=f"Number of hidden layers, 1 to {limits.MAX_LAYERS} (with --width; instead of --hidden).",
)
@click.option(
    "--width", type=click.IntRange(1, limits.MAX_WIDTH), default=None, help="Neurons per hidden layer (with --layers)."
)
@training_options(
    "adam",
    2000,
    "fit defaults to adam for 2000 epochs, gradient descent as it is taught; compare and "
    "sweep train many nets and default to lbfgs for 1000 iterations, faster to accuracy.",
)
@click.option("--goal", type=float, default=None, help="Stop when the training RMSE reaches this.")
@click.option(
    "--batch-size",
    type=click.IntRange(1, limits.MAX_POINTS),
    default=None,
    help="Points per step  [default: all of them]",
)
@click.option(
    "--dropout", type=float, default=0.0, show_default=True, help="Drop probability for hidden units, [0, 1)."
)
@click.option(
    "--init",
    type=click.Choice(["xavier", "he"]),
    default=None,
    help="Initial weights  [default: xavier for tanh/sigmoid, he for relu]",
)
@click.option("--momentum", type=float, default=0.9, show_default=True, help="Momentum for sgd.")
@click.option(
    "--points",
    type=click.IntRange(2, limits.MAX_POINTS),
    default=1000,
    show_default=True,
    help="Training points on the domain.",
)
@click.option(
    "--no-normalize",
    is_flag=True,
    help="Train on raw x and f values instead of x scaled to [-1, 1] and f to unit spread.",
)
@domain_options
@holdout_option
@output_options("figure.png, report.json, network.json")
def command(
    expression,
    hidden,
    layers,
    width,
    goal,
    no_normalize,
    domain,
    ydomain,
    holdout,
    out_dir,
    no_plot,
    as_json,
    **hyper,  # the FitConfig fields given by their own options: activation, optimizer, lr, epochs, seed, ...
):
    """Train a deep net on EXPRESSION by gradient descent, measure it, and draw the fit and the loss.

    \b
    Examples:
      univ fit "sin(3x)"
      univ fit "sin(3x)" --layers 3 --width 16 --optimizer adam --lr 0.01 --epochs 3000
      univ fit "0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05cos(50x)" --hidden 20 --optimizer lm --goal 1e-3
      univ fit "abs(x)" --domain -1 1 --activation relu --batch-size 64 --dropout 0.1 --json
    """
    if hidden is not None and (layers is not None or width is not None):
        raise click.UsageError("give either --hidden or --layers/--width, not both")
    sizes = hidden if hidden is not None else ((16 if width is None else width),) * (3 if layers is None else layers)
    options = dict(hidden=sizes, **hyper, normalize=not no_normalize)
    if goal is not None:
        options["goal"] = goal
    cfg = training.FitConfig(**options)  # every size checked before any work
    target = load_target(expression, domain, ydomain, holdout, cfg.seed)
    result = _train(target, cfg, show=not as_json)
    network = result.network
    folder = run_folder(
        out_dir,
        "fit",
        expression,
        {**options, "domain": target.domain, "holdout": holdout},
        cfg.optimizer,
        "x".join(map(str, cfg.hidden)),
    )
    blobs = {
        "network.json": network.to_json().encode(),
        **figure_blob(no_plot, "fit_figure", network, target, result.history),
    }
    finish(_report(result, target), blobs, folder, as_json, lambda r: _fit_text(r, target))


def _train(target, cfg: training.FitConfig, show: bool) -> training.FitResult:
    """``fit`` with a progress bar on a terminal, or off one when the run is long."""
    params = training.n_parameters(target.dimension, cfg.hidden)
    show = show and (stderr_is_tty() or float(cfg.epochs) * cfg.points * params > LONG_RUN_WORK)
    with progress(show, cfg.epochs, f"training {cfg.optimizer}") as bar:
        advance = throttled(bar, cfg.epochs)
        return training.fit(target, config=cfg, callback=lambda e, loss: advance(e))


def _report(result: training.FitResult, target) -> dict:
    """report.json of a fit: the settings, how training went, and the errors measured on the target."""
    network, history, cfg = result.network, result.history, result.config
    report = measure(network, target)
    info = network.info
    data = {
        "command": "fit",
        "expression": target.text,
        "dimension": target.dimension,
        "domain": [list(p) for p in target.domain],
        "hidden_layers": list(cfg.hidden),
        "neurons": network.n_hidden,
        "parameters": network.n_params,
        "activation": cfg.activation,
        "optimizer": cfg.optimizer,
        "lr": info.get("lr"),
        "epochs": cfg.epochs,
        "epochs_run": history.epochs,
        "goal": cfg.goal,
        "batch_size": cfg.batch_size,
        "dropout": cfg.dropout,
        "init": info.get("init"),
        "momentum": info.get("momentum"),
        "seed": cfg.seed,
        "points": info.get("points"),
        "normalize": info.get("normalize"),
        "final_loss": float(history.loss[-1]),
        "max_error": report.max_error,
        "rmse": report.rmse,
        "worst_at": list(report.worst_at),
        "seconds": history.seconds,
        "stopped": info.get("stopped"),
        "snapshots": {
            "epochs": list(history.snapshot_epochs),
            "loss": [float(history.loss[e]) for e in history.snapshot_epochs],
        },
    }
    data.update(sample_report(network, target))
    return data


def _fit_text(r: dict, target) -> str:
    dom = " × ".join(f"[{lo:g}, {hi:g}]" for lo, hi in r["domain"])
    layers = " + ".join(str(s) for s in r["hidden_layers"])
    how = f"{r['optimizer']}"
    if r["lr"] is not None:
        how += f", lr {r['lr']:g}"
    if r["optimizer"] == "sgd":
        how += f", momentum {r['momentum']:g}"
    how += f", {r['epochs_run']} {training.epoch_word(r['optimizer'], r['epochs_run'])}"
    if r["batch_size"]:
        how += f", batches of {r['batch_size']}"
    if r["dropout"]:
        how += f", dropout {r['dropout']:g}"
    how += f", {r['init']} init, seed {r['seed']}"
    if not r["normalize"]:
        how += ", raw (unnormalized) data"
    where = numbers.location(r["worst_at"], r["domain"], target.variables)
    lines = [
        f"univ fit  {r['expression']}  on {dom}",
        f"  network       {r['neurons']} {r['activation']} neurons ({layers}), linear output, "
        f"{r['parameters']} parameters",
        f"  training      {how}; {r['points']} points; {r['seconds']:.2f} s",
        f"  final loss    {r['final_loss']:.4g}  (training MSE)",
        f"  max error     {r['max_error']:.4g}  at {where}",
        f"  RMSE          {r['rmse']:.4g}",
        "  files         " + ", ".join(r["files"].values()),
    ]
    if r["stopped"] == "goal":
        lines.insert(
            3,
            f"  goal          RMSE {r['goal']:g} reached after {r['epochs_run']} "
            f"{training.epoch_word(r['optimizer'], r['epochs_run'])} in {r['seconds']:.2f} s",
        )
    elif r["stopped"] != "epochs":
        note = f"  note          {r['stopped']}"
        if r["goal"] is not None:
            note += f" (goal RMSE {r['goal']:g} not reached)"
        lines.insert(3, note)
    return "\n".join(lines)
