"""The ``univ`` command: parses options, calls the library, prints and writes files. Nothing clever lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ._io import figure_png, slug, write_atomic
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


# -- approx ----------------------------------------------------------------------------------------------
METHOD_NAMES = ("bumps", "steps", "relu", "heaviside")


@main.command()
@click.argument("expression")
@click.option("-n", "--neurons", type=int, default=20, show_default=True, help="Hidden neurons in all.")
@click.option("-m", "--method", type=click.Choice(METHOD_NAMES), default="bumps", show_default=True,
              help="bumps: sigmoid pairs; steps: chained sigmoid steps; relu: hinges; heaviside: ideal steps.")
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
    """Build a one-hidden-layer network for EXPRESSION by hand, measure it, and draw it.

    \b
    Examples:
      univ approx "sin(3x)" --neurons 20
      univ approx "sin(3x)" -n 40 --method steps --steepness 50
      univ approx "x sin(1/x)" -n 200 --method relu --knots adaptive --domain -1 1
      univ approx "0.5 + 0.4 sin(6x)" -n 30 --method steps --output sigmoid --json
    """
    from .construct import DEFAULT_STEEPNESS, ConstructConfig, construct
    from .measure import measure
    from .parse import parse

    cfg = ConstructConfig(method=method, neurons=neurons, knots=knots, output=output_act, weight=weight,
                          steepness=DEFAULT_STEEPNESS if steepness is None else steepness)
    target = parse(expression, domain=domain, ydomain=ydomain)
    network = construct(target, neurons, config=cfg)
    report = measure(network, target)

    out = out_dir or DEFAULT_OUT / slug(expression, method, neurons)
    files = {"report": out / "report.json", "network": out / "network.json"}
    png = None
    if not no_plot:
        png = figure_png(_approx_figure_1d(network, target))
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
    if formula_text is not None:
        result["formula"] = formula_text
    write_atomic(files["network"], network.to_json().encode())
    write_atomic(files["report"], (json.dumps(result, indent=2, allow_nan=False) + "\n").encode())
    if png is not None:
        write_atomic(files["figure"], png)

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
    if r["weight"]:
        how += f", fixed weight {r['weight']:g}"
    if r["knots"] == "adaptive":
        how += ", adaptive knots"
    if r["output"] == "sigmoid":
        how += ", sigmoid output (σ⁻¹ trick)"
    layers = " + ".join(str(s) for s in r["hidden_layers"])
    worst = ", ".join(f"{v:.4g}" for v in r["worst_at"])
    names = ", ".join(target.variables)
    lines = [
        f"univ approx  {r['expression']}  on {dom}",
        f"  method        {how}",
        f"  hidden        {r['neurons']} neurons ({layers}), {r['parameters']} parameters",
        f"  max error     {r['max_error']:.4g}  at {names} = {worst}",
        f"  RMSE          {r['rmse']:.4g}  over {r['points']:,} points, ends included",
        "  files         " + ", ".join(r["files"].values()),
    ]
    return "\n".join(lines)


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
