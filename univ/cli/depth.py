"""``univ depth``: k layers of two ReLU units beside the one-hidden-layer nets that try to match them."""

from __future__ import annotations

import click
import numpy as np

from ..bounds import sawtooth_floor
from ..constructions import construct
from ..constructions.deep import pieces, sawtooth, sawtooth_network, shallow_relu_lstsq
from ..measure import measure
from ..target import parse
from .options import cli_command, output_options
from .progress import Stages, stderr_is_tty
from .run import finish, run_folder

MAX_LAYERS = 12  # 2^12 = 4,096 pieces: still resolved by the 10,001-point error grid


def depth_rows(layers: int, domain=(0.0, 1.0)) -> tuple[list[dict], dict]:
    """The deep sawtooth net, the best shallow relu net with the same neurons (hinges at cell midpoints, output by
    least squares), and the smallest shallow net matching it (the interpolant through all 2^k + 1 corners)."""
    target = sawtooth(layers, domain)
    deep = sawtooth_network(layers, domain)
    nets = {
        f"deep: {layers} layers × 2 relu": deep,
        f"shallow: 1 layer × {2 * layers} relu, least squares": shallow_relu_lstsq(target, 2 * layers),
        f"shallow: 1 layer × {2**layers} relu (matches)": construct(target, 2**layers, method="relu"),
    }
    x = np.linspace(*domain, 64 * 2**layers + 1)
    rows = []
    for i, (name, net) in enumerate(nets.items()):
        rep = measure(net, target)
        # the counting floor: one hidden layer of m relu units has at most m kinks (the deep net: none to state)
        floor = sawtooth_floor(net.n_hidden, layers) if i else None
        rows.append(
            {
                "model": name,
                "hidden_layers": net.hidden_sizes,
                "hidden_neurons": net.n_hidden,
                "parameters": net.n_params,
                "pieces": pieces(net(x), x),
                "max_error": rep.max_error,
                "floor": floor,
                "rmse": rep.rmse,
            }
        )
    return rows, {"target": target, "networks": nets}


@cli_command("depth")
@click.option(
    "-k",
    "--layers",
    type=click.IntRange(1, MAX_LAYERS),
    default=4,
    show_default=True,
    help=f"Hidden layers of the deep net (1 to {MAX_LAYERS}); it makes 2^k linear pieces.",
)
@click.option("--domain", nargs=2, type=float, default=(0.0, 1.0), metavar="A B", help="x interval  [default: 0 1]")
@output_options("figure.png, report.json, network.json (the deep net)")
def command(layers, domain, out_dir, no_plot, as_json):
    """Why depth: a sawtooth of 2^k pieces from k layers of 2 ReLU units, beside one-hidden-layer nets.

    The deep net composes the tent map k times. One hidden layer of m ReLU units has at most m + 1 linear pieces,
    so with the deep net's 2k neurons it misses most teeth; it needs 2^k units to match. (No EXPRESSION: the
    sawtooth is the target.)

    \b
    Examples:
      univ depth --layers 4
      univ depth -k 8 --json --no-plot
    """
    domain = parse("x", domain=domain).domain[0]  # checked the way every domain is
    stage = Stages(not as_json and stderr_is_tty(), "depth")  # a step past a second says so on stderr
    with stage(f"building and measuring the nets for {2**layers:,} pieces"):
        rows, parts = depth_rows(layers, domain)
    folder = run_folder(out_dir, "depth", "sawtooth", {"layers": layers, "domain": domain}, layers)
    deep = next(iter(parts["networks"].values()))
    blobs = {"network.json": deep.to_json().encode()}
    if not no_plot:
        from ..plot import depth_figure, figure_png

        with stage("drawing the figure"):
            blobs["figure.png"] = figure_png(depth_figure, parts["target"], parts["networks"], rows)
    result = {"command": "depth", "layers": layers, "pieces": 2**layers, "domain": [list(domain)], "rows": rows}
    finish(result, blobs, folder, as_json, _text)


def _text(result: dict) -> str:
    lo, hi = result["domain"][0]
    lines = [
        f"univ depth  sawtooth with {result['pieces']} linear pieces on [{lo:g}, {hi:g}]",
        f"  {'model':<44} {'neurons':>8} {'params':>7} {'pieces':>7} {'max error':>10} {'≥ proven':>9} {'RMSE':>10}",
    ]
    for r in result["rows"]:
        floor = "" if r["floor"] is None else f"{r['floor']:g}"
        lines.append(
            f"  {r['model']:<44} {r['hidden_neurons']:>8} {r['parameters']:>7} {r['pieces']:>7} "
            f"{r['max_error']:>10.3g} {floor:>9} {r['rmse']:>10.3g}"
        )
    lines.append(
        "  ≥ proven: m relu units in one hidden layer make at most m kinks; each of the sawtooth's tips without one "
        "nearby costs ½ (¼ in half windows)"
    )
    lines.append("  files         " + ", ".join(result["files"].values()))
    return "\n".join(lines)
