"""The ``univ`` command: parses options, calls the library, prints and writes files. Nothing clever lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ._io import figure_png, json_bytes, slug, write_files
from .errors import UnivError

DEFAULT_OUT = Path("outputs")


class _Univ(click.Group):
    """A click group whose every failure is one line on stderr and exit status 2."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # noqa: D401
        try:
            rv = super().main(args, prog_name or "univ", complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            click.echo("univ: interrupted", err=True)
            sys.exit(130)
        except click.ClickException as exc:
            click.echo(f"univ: {_one_line(exc.format_message())}", err=True)
            sys.exit(2)
        except UnivError as exc:
            click.echo(f"univ: {_one_line(str(exc))}", err=True)
            sys.exit(2)
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"univ: {_one_line(str(exc.strerror or exc) + where)}", err=True)
            sys.exit(2)
        sys.exit(rv if isinstance(rv, int) else 0)


def _one_line(text: str) -> str:
    return " ".join(text.split())


@click.group(cls=_Univ, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="univ", prog_name="univ")
def main() -> None:
    """univ — a one-hidden-layer network can approximate any continuous function; watch it being built.

    \b
    Try:
      univ approx "sin(3x)" --neurons 20
      univ approx "sqrt(x)" --neurons 64 --method relu --knots adaptive
    """


def _approx_figure_1d(network, target):
    from . import plot

    def draw(fig):
        top, mid, low = fig.subplots(3, 1, sharex=True, height_ratios=[3, 2, 1.3])
        plot.plot_approximation(top, network, target)
        plot.plot_contributions(mid, network, target)
        plot.plot_error(low, network, target)
        low.set_xlabel("x")
        info = network.info
        fig.suptitle(
            f"{info.get('method')}: {network.n_hidden} hidden neurons, one hidden layer", fontsize=11
        )

    return draw


def _approx_figure_2d(network, target):
    from . import plot2d

    def draw(fig):
        grid = fig.add_gridspec(2, 2)
        ax_t = fig.add_subplot(grid[0, 0], projection="3d")
        ax_n = fig.add_subplot(grid[0, 1], projection="3d")
        ax_e = fig.add_subplot(grid[1, 0])
        ax_b = fig.add_subplot(grid[1, 1], projection="3d")
        plot2d.plot_target_surface(ax_t, target)
        plot2d.plot_network_surface(ax_n, network, target, zlim=ax_t.get_zlim())
        plot2d.plot_error_map(ax_e, network, target)
        plot2d.plot_building_block(ax_b, network)
        layers = len(network.hidden)
        fig.suptitle(f"{network.info.get('method')}: {network.n_hidden} hidden neurons "
                     f"({' + '.join(map(str, network.hidden_sizes))}), {layers} hidden layer{'s' * (layers > 1)}",
                     fontsize=11)

    return draw


# -- approx ----------------------------------------------------------------------------------------------
METHOD_NAMES = ("bumps", "steps", "relu", "heaviside", "towers", "ridge")
DEFAULT_METHOD = {1: "bumps", 2: "towers"}  # by the expression's dimension


@main.command()
@click.argument("expression")
@click.option("-n", "--neurons", type=int, default=20, show_default=True, help="Hidden neurons in all.")
@click.option("-m", "--method", type=click.Choice(METHOD_NAMES), default=None,
              help="1D: bumps (default; sigmoid pairs), steps (chained), relu (hinges), heaviside (ideal steps). "
                   "2D: towers (default; two hidden layers, Nielsen), ridge (one hidden layer, steps in many "
                   "directions, output by least squares), relu (hats, two hidden layers).")
@click.option("--domain", nargs=2, type=float, default=None, metavar="A B", help="x interval  [default: 0 1]")
@click.option("--ydomain", nargs=2, type=float, default=None, metavar="C D", help="y interval for 2D.")
@click.option("--steepness", type=float, default=None,
              help="Sigmoid weight × cell width (default 10); grows with N so the error keeps falling.")
@click.option("--weight", type=float, default=None, help="A fixed sigmoid weight instead of --steepness.")
@click.option("--knots", type=click.Choice(["uniform", "adaptive"]), default="uniform", show_default=True,
              help="Where cells go: evenly, or split where the function needs them.")
@click.option("--output", "output_act", type=click.Choice(["linear", "sigmoid"]), default="linear",
              show_default=True, help="Output neuron; sigmoid uses Nielsen's inverse-sigmoid trick, f in (0,1).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for figure.png, report.json, network.json  [default: outputs/<slug>]")
@click.option("--no-plot", is_flag=True, help="Skip the figure (and the matplotlib import).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the report.")
@click.option("--formula", is_flag=True, help="Also print the network as a formula (small nets).")
def approx(expression, neurons, method, domain, ydomain, steepness, weight, knots, output_act, out_dir,
           no_plot, as_json, formula):
    """Build a network for EXPRESSION by hand, measure it, and draw it (one hidden layer in 1D).

    An expression in x and y is 2D: towers (default) and relu use two hidden layers, ridge one; --neurons
    counts all hidden neurons.

    \b
    Examples:
      univ approx "sin(3x)" --neurons 20
      univ approx "sin(3x)" -n 40 --method steps --steepness 50
      univ approx "x sin(1/x)" -n 200 --method relu --knots adaptive --domain -1 1
      univ approx "0.5 + 0.4 sin(6x)" -n 30 --method steps --output sigmoid --json
      univ approx "sin(x)*cos(y)" -n 1000 --domain -3 3 --ydomain -3 3
      univ approx "exp(-(x^2+y^2))" -n 1000 --method ridge --domain -2 2 --ydomain -2 2
    """
    from .construct import DEFAULT_STEEPNESS, ConstructConfig, construct
    from .measure import measure
    from .parse import parse

    target = parse(expression, domain=domain, ydomain=ydomain)
    method = method or DEFAULT_METHOD[target.dimension]
    cfg = ConstructConfig(method=method, neurons=neurons, knots=knots, output=output_act, weight=weight,
                          steepness=DEFAULT_STEEPNESS if steepness is None else steepness)
    network = construct(target, neurons, method, config=cfg)  # an explicit method: never swapped by dimension
    report = measure(network, target)

    out = out_dir or DEFAULT_OUT / slug(expression, method, neurons)
    files = {"report": out / "report.json", "network": out / "network.json"}
    png = None
    if not no_plot:
        png = (figure_png(_approx_figure_2d(network, target), figsize=(11.0, 9.0)) if target.dimension == 2
               else figure_png(_approx_figure_1d(network, target)))
        files["figure"] = out / "figure.png"
    formula_text = network.to_latex() if formula else None

    result = {
        "expression": expression,
        "dimension": target.dimension,
        "method": method,
        "neurons": network.n_hidden,
        "hidden_layers": network.hidden_sizes,
        "parameters": network.n_params,
        "max_error": report.max_error,
        "rmse": report.rmse,
        "worst_at": list(report.worst_at),
        "points": report.points,
        "domain": [list(p) for p in target.domain],
        "steepness": network.info.get("steepness"),
        "weight": weight,
        "knots": knots,
        "output": output_act,
        "files": {k: str(v) for k, v in files.items()},
    }
    for key in ("cells", "split", "layout", "tower_steepness", "fit_grid"):  # the 2D constructions' layout
        if key in network.info:
            result[key] = network.info[key]
    if formula_text is not None:
        result["formula"] = formula_text
    blobs = {"network": network.to_json().encode(), "report": json_bytes(result)}
    if png is not None:
        blobs["figure"] = png
    write_files(files, blobs)

    if as_json:
        click.echo(json.dumps(result, allow_nan=False))
        return
    click.echo(_approx_text(result, target))
    if formula_text is not None:
        click.echo(f"  formula       {formula_text}")


def _approx_text(r: dict, target) -> str:
    dom = " × ".join(f"[{lo:g}, {hi:g}]" for lo, hi in r["domain"])
    how = {
        "bumps": f"bumps — sigmoid steps in pairs, steepness {r['steepness']:g}" if r["steepness"] else "bumps",
        "steps": f"steps — chained sigmoid steps, steepness {r['steepness']:g}" if r["steepness"] else "steps",
        "relu": "relu — hinges giving the piecewise-linear interpolant",
        "heaviside": "heaviside — ideal steps (w → ∞)",
    }.get(r["method"], r["method"])
    if r["dimension"] == 2:
        how = _how_2d(r)
    if r["weight"]:
        how += f", fixed weight {r['weight']:g}"
    if r["knots"] == "adaptive":
        how += ", adaptive knots"
    if r["output"] == "sigmoid":
        how += ", sigmoid output (σ⁻¹ trick)"
    layers = " + ".join(str(s) for s in r["hidden_layers"])
    worst = ", ".join(f"{v:.4g}" for v in r["worst_at"])
    names = ", ".join(target.variables)
    ends = "edges" if r["dimension"] == 2 else "ends"
    lines = [
        f"univ approx  {r['expression']}  on {dom}",
        f"  method        {how}",
        f"  hidden        {r['neurons']} neurons ({layers}), {r['parameters']} parameters",
        *([f"  split         {_split_text(r)}"] if r["dimension"] == 2 else []),
        f"  max error     {r['max_error']:.4g}  at {names} = {worst}",
        f"  RMSE          {r['rmse']:.4g}  over {r['points']:,} points, {ends} included",
        "  files         " + ", ".join(r["files"].values()),
    ]
    return "\n".join(lines)


def _how_2d(r: dict) -> str:
    if r["method"] == "towers":
        m = r["cells"][0]
        return (f"towers — x- and y-steps (steepness {r['steepness']:g}) thresholded into nested towers "
                f"(weight {r['tower_steepness']:g}, bias −3/2 of it) on {m}×{m} cells; two hidden layers")
    if r["method"] == "ridge":
        return (f"ridge — one hidden layer of steps in {r['split']['directions']} directions "
                f"(steepness {r['steepness']:g}); output weights by least squares")
    m = r["cells"][0]
    return f"relu — hat functions on {m}×{m} triangulated cells (the piecewise-linear interpolant); two hidden layers"


def _split_text(r: dict) -> str:
    s = r.get("split", {})
    if r["method"] == "towers":
        return f"layer 1: {s['x_steps']} x-steps + {s['y_steps']} y-steps; layer 2: {s['towers']} towers"
    if r["method"] == "ridge":
        per = s["steps_per_direction"]
        each = f"{min(per)}" if min(per) == max(per) else f"{min(per)}–{max(per)}"
        return f"one layer: {s['directions']} directions × {each} steps"
    return (f"layer 1: {s['x_lines'] + s['y_lines'] + s['diagonals']} relus (|·| on x-, y- and diagonal lines); "
            f"layer 2: {s['hats']} hats")


# -- the other commands live beside this file, one module per family ---------------------------------------
def _register() -> None:
    import importlib

    for module in ("cli_fit", "cli_render", "cli_depth"):
        try:
            mod = importlib.import_module(f".{module}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{module}":
                raise
            continue
        for command in mod.COMMANDS:
            main.add_command(command)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
