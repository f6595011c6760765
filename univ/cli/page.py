"""``univ page``: write one self-contained offline HTML page to play with the construction of an expression."""

from __future__ import annotations

from pathlib import Path

import click

from .. import limits
from .._io import json_bytes, write_atomic
from ..constructions import construct, names
from ..constructions.config import DEFAULT_METHOD
from ..measure import measure
from ..page import page_data, render_page
from .options import (
    cli_command,
    construction_options,
    domain_options,
    expression_argument,
    method_option,
    neurons_option,
)
from .run import load_target, run_folder


def _out_file(ctx, param, value):
    if value is None:
        return None
    if not str(value).strip():
        raise click.BadParameter(
            "is empty; name a file, or leave --out off for outputs/<expression>_page_<options>.html", ctx, param
        )
    path = Path(value)
    if path.is_dir():
        raise click.BadParameter(f"{value} is a folder; name the HTML file to write", ctx, param)
    folder = next(p for p in path.absolute().parents if p.exists())  # the deepest folder there is (at least /)
    if not folder.is_dir():
        raise click.BadParameter(f"cannot write {value}: {folder} is not a folder", ctx, param)
    return path


@cli_command("page")
@expression_argument
@neurons_option(
    20,
    f"Hidden neurons the page opens at (1 to {limits.MAX_PAGE_NEURONS}; even for bumps). Its "
    "slider also offers 2..40 and a ladder up to 200.",
)
@method_option(
    (*names(1), DEFAULT_METHOD[2]),
    f"{', '.join(names(1))} in 1D ({DEFAULT_METHOD[1]} the default); {DEFAULT_METHOD[2]} in 2D and for regions.",
)
@domain_options
@construction_options(
    "Sigmoid weight × cell width (default 10); the page's slider scales it ÷100 to ×100.", ("uniform", "adaptive")
)
@click.option(
    "--out",
    "out_file",
    type=str,
    default=None,
    callback=_out_file,
    metavar="FILE",
    help="The HTML file to write  [default: outputs/<expression>_page_<method>_<N>_<options hash>.html]",
)
@click.option(
    "--no-training",
    is_flag=True,
    help="Leave out univ's training run for the same width (the Watch training tab); quicker for wide nets.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report of the page written.")
def command(expression, neurons, method, domain, ydomain, steepness, weight, knots, out_file, no_training, as_json):
    """Write ONE self-contained HTML page for EXPRESSION: drag each bump's height, move the neuron count and the
    steepness, watch the max error; Nielsen's challenge, one neuron, draw, training and decisions in more tabs.

    The page needs no server and no network (inline JS and CSS): open it from disk, mail it, or put it on a course
    site. It evaluates the networks univ built here (draw mode alone builds bumps or steps for your sketch, by
    univ's rules). A function of x and y gets Nielsen's towers as a surface to turn, with a cells-per-side slider.
    A region (a comparison such as "x^2 + y^2 < 0.5") gets the Decisions tab alone: univ classify's towers for
    each neuron count of a slider, their decision regions and certified misclassified area (-n: where it starts).

    \b
    Examples:
      univ page "sin(3x)"
      univ page "sin(3x)" -n 40 --method steps --out sin.html
      univ page "exp(-x^2)" --domain -2 2 --json
      univ page "exp(-(x^2+y^2))" --domain -2 2 --ydomain -2 2
      univ page "x^2 + y^2 < 0.5" --domain -1 1 --ydomain -1 1 -n 37
    """
    target = load_target(expression, domain, ydomain)
    region = bool(getattr(getattr(target, "expression", None), "is_region", False))
    method = method or DEFAULT_METHOD[2 if region else target.dimension]
    embedded = page_data(  # checks everything
        target, neurons, method, steepness=steepness, weight=weight, knots=knots, training=not no_training
    )
    data = render_page(embedded).encode("utf-8")
    path = out_file
    if path is None:  # named like a run folder: every option that changes the page is in the hash
        settings = dict(neurons=neurons, method=method, domain=target.domain, steepness=steepness, weight=weight)
        if no_training:  # a page without the run is another page (the names of pages with it stay as they were)
            settings["training"] = False
        folder = run_folder(None, "page", expression, {**settings, "knots": knots}, method, neurons)
        path = folder.with_name(folder.name + ".html")
    if region:
        write_atomic(path, data)
        _region_result(embedded, path, len(data), as_json)
        return
    options = {"weight": weight} if weight is not None else {"steepness": steepness} if steepness is not None else {}
    if target.dimension == 1:
        options["knots"] = knots
    report = measure(construct(target, neurons=neurons, method=method, **options), target)
    write_atomic(path, data)
    result = {
        "command": "page",
        "expression": target.text,
        "domain": [list(p) for p in target.domain],
        "method": method,
        "neurons": neurons,
        "knots": knots,
        "steepness": steepness,
        "weight": weight,
        "max_error": report.max_error,
        "rmse": report.rmse,
        "file": str(path),
        "bytes": len(data),
    }
    if as_json:
        click.echo(json_bytes(result).decode(), nl=False)
    else:
        region = " × ".join(f"[{a:g}, {b:g}]" for a, b in target.domain)
        click.echo(
            f"univ page  {target.text}  on {region}\n"
            f"  method        {method}, {neurons} hidden neurons to start (max error {report.max_error:.4g}, "
            f"RMSE {report.rmse:.4g})\n"
            f"  file          {path} ({len(data) / 1000:.0f} kB, self-contained: open it in any browser)"
        )


def _region_result(embedded, path, size: int, as_json: bool) -> None:
    """What ``univ page`` says of a region's page: univ classify's numbers for the count it opens at."""
    shown = embedded["decisions"]["sets"][0]
    net = shown["nets"][shown["start"]]
    result = {
        "command": "page",
        "expression": shown["expression"],
        "domain": shown["domain"],
        "method": DEFAULT_METHOD[2],
        "neurons": net["neurons"],
        "counts": [n["neurons"] for n in shown["nets"]],
        "misclassified": net["misclassified"],
        "misclassified_lower": net["misclassified_lower"],
        "misclassified_upper": net["misclassified_upper"],
        "file": str(path),
        "bytes": size,
    }
    if as_json:
        click.echo(json_bytes(result).decode(), nl=False)
        return
    region = " × ".join(f"[{a:g}, {b:g}]" for a, b in shown["domain"])
    click.echo(
        f"univ page  {shown['expression']}  on {region}\n"
        f"  decisions     towers, {net['summary']}\n"
        f"  file          {path} ({size / 1000:.0f} kB, self-contained: open it in any browser)"
    )
