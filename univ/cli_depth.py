"""``univ depth``: k layers of two ReLU units beside the one-hidden-layer nets that try to match them."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ._io import figure_png, json_bytes, write_files

MAX_LAYERS = 12  # 2^12 = 4,096 pieces: still resolved by the 10,001-point error grid


def depth_rows(layers: int, domain=(0.0, 1.0)) -> tuple[list[dict], dict]:
    """The deep sawtooth net, the best shallow relu net with the same neurons (hinges at cell midpoints, output by
    least squares), and the smallest shallow net matching it (the interpolant through all 2^k + 1 corners)."""
    import numpy as np

    from .construct import construct
    from .depth import pieces, sawtooth, sawtooth_network, shallow_relu_lstsq
    from .measure import measure

    target = sawtooth(layers, domain)
    deep = sawtooth_network(layers, domain)
    nets = {
        f"deep: {layers} layers × 2 relu": deep,
        f"shallow: 1 layer × {2 * layers} relu, least squares": shallow_relu_lstsq(target, 2 * layers),
        f"shallow: 1 layer × {2**layers} relu (matches)": construct(target, 2**layers, method="relu"),
    }
    x = np.linspace(*domain, 64 * 2**layers + 1)
    rows = []
    for name, net in nets.items():
        rep = measure(net, target)
        rows.append({
            "model": name,
            "hidden_layers": net.hidden_sizes,
            "hidden_neurons": net.n_hidden,
            "parameters": net.n_params,
            "pieces": pieces(net(x), x),
            "max_error": rep.max_error,
            "rmse": rep.rmse,
        })
    return rows, {"target": target, "networks": nets}


@click.command()
@click.option("-k", "--layers", type=click.IntRange(1, MAX_LAYERS), default=4, show_default=True,
              help=f"Hidden layers of the deep net (1 to {MAX_LAYERS}); it makes 2^k linear pieces.")
@click.option("--domain", nargs=2, type=float, default=(0.0, 1.0), metavar="A B", help="x interval  [default: 0 1]")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for figure.png, report.json, network.json  [default: outputs/depth_<k>]")
@click.option("--no-plot", is_flag=True, help="Skip the figure.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the table.")
def depth(layers, domain, out_dir, no_plot, as_json):
    """Why depth: a sawtooth of 2^k pieces from k layers of 2 ReLU units, beside one-hidden-layer nets.

    The deep net composes the tent map k times. One hidden layer of m ReLU units has at most m + 1 linear pieces,
    so with the deep net's 2k neurons it misses most teeth; it needs 2^k units to match.

    \b
    Examples:
      univ depth --layers 4
      univ depth -k 8 --json --no-plot
    """
    from .parse import _check_interval

    domain = _check_interval(domain, "domain")
    rows, parts = depth_rows(layers, domain)
    out = out_dir or Path("outputs") / f"depth_{layers}"
    files = {"report": out / "report.json", "network": out / "network.json"}
    png = None if no_plot else figure_png(_figure(parts, rows), figsize=(8.0, 6.0))
    if png is not None:
        files["figure"] = out / "figure.png"
    result = {"layers": layers, "pieces": 2**layers, "domain": [list(domain)], "rows": rows,
              "files": {k: str(v) for k, v in files.items()}}
    deep = next(iter(parts["networks"].values()))
    blobs = {"network": deep.to_json().encode(), "report": json_bytes(result)}
    if png is not None:
        blobs["figure"] = png
    write_files(files, blobs)
    if as_json:
        click.echo(json.dumps(result, allow_nan=False))
        return
    click.echo(f"univ depth  sawtooth with {2**layers} linear pieces on [{domain[0]:g}, {domain[1]:g}]")
    click.echo(f"  {'model':<44} {'neurons':>8} {'params':>7} {'pieces':>7} {'max error':>10} {'RMSE':>10}")
    for r in rows:
        click.echo(f"  {r['model']:<44} {r['hidden_neurons']:>8} {r['parameters']:>7} {r['pieces']:>7} "
                   f"{r['max_error']:>10.3g} {r['rmse']:>10.3g}")
    click.echo("  files         " + ", ".join(result["files"].values()))


def _figure(parts, rows):
    import numpy as np

    target, nets = parts["target"], parts["networks"]

    def draw(fig):
        axes = fig.subplots(len(nets), 1, sharex=True)
        (a, b), = target.domain
        x = np.linspace(a, b, 4001)
        t = target(x)
        for ax, (name, net), row in zip(axes, nets.items(), rows):
            ax.plot(x, t, color="black", lw=2.2, label="sawtooth")
            ax.plot(x, net(x), color="tab:red", lw=1.2, label="network")
            ax.set_title(f"{name}: {row['parameters']} parameters, max error {row['max_error']:.3g}", fontsize=9)
            ax.set_ylim(-0.15, 1.15)
        axes[0].legend(loc="upper right", fontsize=8)
        axes[-1].set_xlabel("x")

    return draw


COMMANDS = [depth]
