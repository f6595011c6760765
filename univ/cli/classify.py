"""``univ classify``: build a classifier by hand for regions or labelled points, measure it, draw its decisions."""

from __future__ import annotations

import math
from typing import Any

import click

from .. import classify, classify_fit, limits
from ..constructions.config import DEFAULT_STEEPNESS
from ..errors import ConfigError
from .options import cli_command, domain_options, holdout_option, output_options
from .run import finish, footer, run_folder

DEFAULT_NEURONS = 101  # towers: a 9 × 9 grid of cells


@cli_command("classify")
@click.argument("target", nargs=-1, required=True, metavar="TARGET...")
@click.option("-n", "--neurons", type=int, default=DEFAULT_NEURONS, show_default=True, help="Hidden neurons in all.")
@click.option(
    "-m",
    "--method",
    type=click.Choice(classify.METHODS_BY_HAND),
    default=classify.DEFAULT_METHOD,
    show_default=True,
    help="towers: two hidden layers (steps, then one tower per cell); ridge: one layer of steps in many directions.",
)
@click.option(
    "--steepness",
    type=float,
    default=DEFAULT_STEEPNESS,
    show_default=True,
    help="Sigmoid weight × cell width: a sharper boundary for larger weights.",
)
@click.option(
    "--scale",
    type=float,
    default=classify.DEFAULT_SCALE,
    show_default=True,
    help="Output logits per unit of indicator (how confident the softmax is).",
)
@domain_options
@click.option("--samples", type=int, default=classify.DEFAULT_SAMPLES, show_default=True, help="Points of a dataset.")
@click.option("--noise", type=float, default=0.0, show_default=True, help="Noise of a dataset, 0 to 0.5.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of a dataset, its holdout and training.")
@holdout_option
@click.option("--train", is_flag=True, help="Also train a net of the same size (softmax + cross-entropy), beside.")
@click.option("--hidden", type=str, default=None, metavar="W1,W2", help="Trained net's layers  [default: two of N/2]")
@click.option(
    "--optimizer", type=click.Choice(("adam", "sgd", "lbfgs")), default="adam", show_default=True, help="Trainer."
)
@click.option("--epochs", type=int, default=2000, show_default=True, help="Training epochs (lbfgs: iterations).")
@click.option(
    "--theme", type=click.Choice(("light", "dark")), default="light", show_default=True, help="The figure's colours."
)
@output_options("the figure, network.json and report.json")
def command(
    target: tuple[str, ...],
    neurons: int,
    method: str,
    steepness: float,
    scale: float,
    domain,
    ydomain,
    samples: int,
    noise: float,
    seed: int,
    holdout: float | None,
    train: bool,
    hidden: str | None,
    optimizer: str,
    epochs: int,
    theme: str,
    out_dir,
    no_plot: bool,
    as_json: bool,
) -> None:
    """Classify TARGET: a region ("x^2 + y^2 < 0.5": inside and outside), several regions (one class each, and
    'other' for the gaps), a TensorFlow Playground dataset (circle, xor, gauss, spiral) or a CSV of x,y,label rows.

    \b
    Prints the misclassified share of the area (regions: certified between two bounds) or the accuracy on the
    samples and held-out samples (data), the cross-entropy, and how the steepness trades a sharp boundary for
    large weights; draws the decision regions.
    \b
      univ classify "x^2 + y^2 < 0.5" --domain -1 1 --ydomain -1 1 -n 101
      univ classify spiral --noise 0.25 --holdout 0.3 -n 101 --train
    """
    classes = _classes(target, domain, ydomain, samples, noise, seed, holdout)
    built = classify.construct_classifier(classes, neurons, method, steepness=steepness, scale=scale)
    report_built = classify.measure_classifier(built, classes).to_dict()
    report: dict[str, Any] = {
        "command": "classify",
        "expression": classes.text,
        "domain": [list(p) for p in classes.domain],
        "classes": list(classes.names),
        "built": report_built,
    }
    pairs = [(built, report_built)]
    if train:
        widths = _widths(hidden, built.n_hidden)
        fitted = classify_fit.fit_classifier(classes, hidden=widths, optimizer=optimizer, epochs=epochs, seed=seed)
        report_trained = classify.measure_classifier(fitted.network, classes).to_dict()
        report_trained.update(optimizer=optimizer, epochs=epochs, seconds=round(fitted.seconds, 3))
        report["trained"] = report_trained
        pairs.append((fitted.network, report_trained))
    options = dict(
        neurons=neurons, method=method, steepness=steepness, scale=scale, domain=domain, ydomain=ydomain,
        samples=samples, noise=noise, seed=seed, holdout=holdout, train=train, hidden=hidden, optimizer=optimizer,
        epochs=epochs, theme=theme,
    )  # fmt: skip
    folder = run_folder(out_dir, "classify", " ".join(target), options, method, str(neurons))
    blobs = {"network.json": built.to_json().encode()}
    if train:
        blobs["trained.json"] = pairs[1][0].to_json().encode()
    if not no_plot:
        from ..plot.classify import classify_png

        blobs["figure.png"] = classify_png(pairs, classes, theme)
    finish(report, blobs, folder, as_json, _text)


def _classes(target, domain, ydomain, samples, noise, seed, holdout):
    words = [t.strip() for t in target]
    single = words[0] if len(words) == 1 else None
    data = single is not None and (single.lower() in classify.DATASETS or single.lower().endswith(".csv"))
    if not data and (holdout or 0.0) > 0.0:
        raise click.UsageError("--holdout needs labelled points: a dataset (circle, xor, gauss, spiral) or a .csv")
    if data and (domain is not None or ydomain is not None):
        raise click.UsageError("a dataset or a CSV sets its own domain; leave out --domain and --ydomain")
    what = single if single is not None else words
    return classify.classes(
        what, domain=domain, ydomain=ydomain, samples=samples, noise=noise, seed=seed, holdout=holdout or 0.0
    )


def _widths(hidden: str | None, n: int) -> tuple[int, ...]:
    """--hidden as layer widths, or two layers sharing the built net's neuron count."""
    if hidden is None:
        return (max(1, n // 2), max(1, n - n // 2))
    try:
        widths = tuple(int(w) for w in hidden.split(","))
    except ValueError:
        raise ConfigError(f"--hidden takes widths separated by commas, such as 16,16; got {hidden!r}") from None
    if not widths or any(not 1 <= w <= limits.MAX_WIDTH for w in widths):
        raise ConfigError(f"--hidden widths must be 1 to {limits.MAX_WIDTH}, got {hidden!r}")
    return widths


def _pct(v: float) -> str:
    return f"{100 * v:.3g} %"


def _model_lines(name: str, r: dict[str, Any]) -> list[str]:
    layers = " → ".join(str(w) for w in r["hidden_layers"])
    lines = [f"  {name:<15}{r['method']}: {r['neurons']} hidden neurons ({layers}), {r['parameters']:,} parameters"]
    if r.get("misclassified") is not None:
        lines.append(
            f"  {'misclassified':<15}{_pct(r['misclassified'])} of the area (certified between "
            f"{_pct(r['misclassified_lower'])} and {_pct(r['misclassified_upper'])}, {r['certify_boxes']:,} boxes)"
        )
        side = r["grid"][0]
        lines.append(
            f"  {'cross-entropy':<15}{r['cross_entropy']:.4g} on a {side}² grid (accuracy {_pct(r['accuracy'])})"
        )
    else:
        lines.append(f"  {'accuracy':<15}{_pct(r['accuracy'])} on {r['samples']} samples")
        if r.get("accuracy_holdout") is not None:
            lines.append(f"  {'held out':<15}{_pct(r['accuracy_holdout'])} on {r['holdout_samples']} samples")
        held = r.get("cross_entropy_holdout")
        more = f", held out {held:.4g}" if held is not None and math.isfinite(held) else ""
        lines.append(f"  {'cross-entropy':<15}{r['cross_entropy']:.4g} on the samples{more}")
    if r.get("note"):
        lines.append(f"  {'trade-off':<15}{r['note']}")
    if r.get("seconds") is not None:
        lines.append(f"  {'trained':<15}{r['optimizer']}, {r['epochs']} epochs in {r['seconds']:.3g} s")
    return lines


def _text(r: dict[str, Any]) -> str:
    dom = " × ".join(f"[{a:g}, {b:g}]" for a, b in r["domain"])
    lines = [f"univ classify  {r['expression']}  on {dom}", f"  {'classes':<15}{', '.join(r['classes'])}"]
    lines += _model_lines("built", r["built"])
    if "trained" in r:
        lines += _model_lines("trained", r["trained"])
    return "\n".join(lines + footer(r))
