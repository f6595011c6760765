"""``univ approx``: build a network for an expression by hand, measure it, draw it."""

from __future__ import annotations

from dataclasses import replace

import click

from .. import limits, numbers
from ..bounds import bound, neurons_for_bound
from ..constructions import DEFAULT_METHOD, METHODS, configure, construct, names
from ..measure import measure
from ..search import neurons_for
from .options import (
    cli_command,
    construction_options,
    domain_options,
    expression_argument,
    holdout_option,
    max_error_option,
    method_option,
    neurons_option,
    output_options,
)
from .progress import Stages, stderr_is_tty
from .run import finish, load_target, run_folder, sample_report

FORMULA_COLUMNS = 100  # --formula's width on a terminal (after the 16 columns of the report's labels)


def method_help() -> str:
    """--method's help, from the registry: "1D: bumps (default; sigmoid pairs), steps (chained), ... 2D: ..."."""
    parts = []
    for d in (1, 2):
        listed = sorted(names(d), key=lambda m: m != DEFAULT_METHOD[d])  # the default first
        said = [f"{m} ({'default; ' * (m == DEFAULT_METHOD[d])}{METHODS[m].builder(d).menu})" for m in listed]
        parts.append(f"{d}D: {', '.join(said)}.")
    return " ".join(parts)


@cli_command("approx")
@expression_argument
@neurons_option(
    20,
    f"Hidden neurons in all (1D: 1 to {limits.MAX_NEURONS:,}; 2D towers/relu up to "
    f"{limits.MAX_NEURONS_2D:,}, ridge up to {limits.MAX_RIDGE_NEURONS:,}).",
)
@method_option(tuple(dict.fromkeys(names(1) + names(2))), method_help())  # the registry's 1D and 2D methods
@domain_options
@holdout_option
@construction_options(
    "Sigmoid weight × cell width (default 10, from 1e-6 to 1e6); grows with N so the error keeps "
    "falling. auto: the steepness that minimises the certified max error for this N (1D).",
    ("uniform", "adaptive", "equalized"),
    auto=True,
    scope=" (1D)",
)
@click.option(
    "--heights",
    type=click.Choice(["nielsen", "lstsq"]),
    default="nielsen",
    show_default=True,
    help="Output weights: f at each cell's middle (Nielsen), or least squares on the same hidden layer (1D).",
)
@max_error_option(
    "Find the smallest neuron count whose certified max error is at most EPS (doubling, then bisection "
    "over the method's valid counts) and build that net; --neurons is then not used."
)
@click.option(
    "--output-activation",
    "output_act",
    type=click.Choice(["linear", "sigmoid"]),
    default="linear",
    show_default=True,
    help="Output neuron; sigmoid uses Nielsen's inverse-sigmoid trick, f in (0,1).",
)
@output_options("figure.png, report.json, network.json")
@click.option("--formula", is_flag=True, help="Also print the network as a formula (small nets).")
def command(
    expression,
    neurons,
    method,
    domain,
    ydomain,
    holdout,
    steepness,
    weight,
    knots,
    heights,
    max_error,
    output_act,
    out_dir,
    no_plot,
    as_json,
    formula,
):
    """Build a network for EXPRESSION by hand, measure it, and draw it (one hidden layer in 1D).

    An expression in x and y is 2D: towers (default) and relu use two hidden layers, ridge one; --neurons
    counts all hidden neurons. An expression may start with a minus sign (univ approx "-x^2").

    \b
    Examples:
      univ approx "sin(3x)" --neurons 20
      univ approx "sin(3x)" -n 40 --method steps --steepness 50
      univ approx "x sin(1/x)" -n 200 --method relu --knots adaptive --domain -1 1
      univ approx "0.5 + 0.4 sin(6x)" -n 30 --method steps --output-activation sigmoid --json
      univ approx "sin(x)*cos(y)" -n 1000 --domain -3 3 --ydomain -3 3
      univ approx "exp(-(x^2+y^2))" -n 1000 --method ridge --domain -2 2 --ydomain -2 2
      univ approx examples/co2.csv -n 200 --method relu --holdout 0.2
    """
    target = load_target(expression, domain, ydomain, holdout)
    chosen = dict(steepness=steepness, weight=weight, knots=knots, output=output_act, heights=heights)
    cfg = configure(method, neurons, None, target.dimension, **chosen)  # every size and option checked first
    stage = Stages(not as_json and stderr_is_tty(), "approx")  # a step past a second says so on stderr
    cfg, network, report, search = _build(target, cfg, max_error, chosen, stage)
    with stage("bounding the error by the construction's argument"):
        promised = bound(network, target)  # the construction's own a-priori bound, beside the measurement
    folder = run_folder(
        out_dir,
        "approx",
        expression,
        {**cfg.__dict__, "domain": target.domain, "holdout": holdout, "max_error": max_error},
        cfg.method,
        network.n_hidden,  # the count built (towers asked 20 build 17)
    )
    blobs = {"network.json": network.to_json().encode()}
    if not no_plot:
        from ..plot import approx_figure, figure_png

        with stage("drawing the figure"):
            blobs["figure.png"] = figure_png(approx_figure, network, target, report, promised)
    result = _result(target, cfg, network, report, promised, weight)
    if search is not None:
        result["search"] = search.to_dict()
        with stage("finding the count the bound alone asks for"):
            by_bound, _ = neurons_for_bound(target, max_error, cfg.method, **_bound_options(cfg, network))
        result["search"]["bound_neurons"] = by_bound  # the N the proof alone asks for (null: no bound)
    result.update(sample_report(network, target))
    for key in ("cells", "split", "layout", "tower_steepness", "fit_grid"):  # the 2D constructions' layout
        if key in network.info:
            result[key] = network.info[key]
    pretty = None
    if formula:
        result["formula"] = str(network.to_latex())  # LaTeX in report.json and --json: for notebooks and papers
        pretty = formula_text(network)  # the terminal gets maths it can read
    finish(result, blobs, folder, as_json, lambda r: _approx_text(r, target, pretty))


def _build(target, cfg, max_error, chosen: dict, stage):
    """The net and its certified measurement: built for ``cfg``, or the fewest neurons reaching ``max_error``.

    Returns ``(cfg, network, report, search)``; ``cfg.neurons`` is the count searched out, ``search`` None
    without --max-error.
    """
    if max_error is None:
        with stage(f"building {cfg.neurons:,} neurons ({cfg.method})"):
            network = construct(target, config=cfg)
        with stage(f"measuring the certified max error of {network.n_params:,} parameters"):
            report = measure(network, target)
        return cfg, network, report, None
    chosen = {k: v for k, v in chosen.items() if v is not None}
    with stage(f"searching for the fewest {cfg.method} neurons with max error ≤ {max_error:g}"):
        search = neurons_for(target, max_error, method=cfg.method, **chosen)
    return replace(cfg, neurons=search.neurons), search.network, search.report, search


def _result(target, cfg, network, report, promised, weight) -> dict:
    """The run's report.json, first fields: what was built, its certified error and the bound beside it."""
    result = {
        "command": "approx",
        "expression": target.text,
        "dimension": target.dimension,
        "method": cfg.method,
        "neurons": network.n_hidden,
        **({"neurons_asked": cfg.neurons} if cfg.neurons != network.n_hidden else {}),
        "hidden_layers": network.hidden_sizes,
        "parameters": network.n_params,
        "max_error": report.max_error,
        "bound": promised.value,
        "bound_terms": promised.terms,
        "bound_method": promised.method or promised.reason,
        "bound_estimate": promised.estimate,  # True: shown for its slope (ridge's Barron estimate), not a certificate
        "rmse": report.rmse,
        "worst_at": list(report.worst_at),
        "points": report.points,
        "domain": [list(p) for p in target.domain],
        "steepness": network.info.get("steepness"),
        "weight": weight,
        "knots": cfg.knots,
        "heights": cfg.heights,
        "steepness_choice": network.info.get("steepness_choice"),
        "output_activation": cfg.output,
        "jumps": [list(j) for j in report.jumps],
        "note": report.note or None,  # null when there is nothing to say (as the README documents)
    }
    return result


def formula_text(network, width: int = FORMULA_COLUMNS) -> str:
    """The network's closed form as a terminal shows maths: sympy's pretty printer (σ(…), relu(…), ⋅), one term
    after another, lines broken between terms near ``width`` columns; LaTeX stays in the JSON.
    """
    import sympy as sp

    relu = sp.Function("relu")
    expr = network.to_sympy().replace(  # max(0, z) is what a reader knows as relu(z)
        lambda e: isinstance(e, sp.Max) and len(e.args) == 2 and sp.S.Zero in e.args,
        lambda e: relu(next(a for a in e.args if a != 0)),
    )
    terms = [sp.pretty(t, use_unicode=True, num_columns=10**6) for t in sp.Add.make_args(expr)]
    if len(terms) == 1 or any("\n" in t for t in terms):  # a fraction spans lines: sympy lays it out whole
        return sp.pretty(expr, use_unicode=True, num_columns=width)
    signed = [terms[0]] + [f"- {t[1:]}" if t.startswith("-") else f"+ {t}" for t in terms[1:]]
    lines = [signed[0]]
    for piece in signed[1:]:
        if len(lines[-1]) + 1 + len(piece) > width:
            lines.append(piece)
        else:
            lines[-1] += " " + piece
    return "\n".join(lines)


def _approx_text(r: dict, target, formula: str | None = None) -> str:
    dom = " × ".join(f"[{lo:g}, {hi:g}]" for lo, hi in r["domain"])
    how = _how(r)
    if r["weight"]:
        how += f", fixed weight {r['weight']:g}"
    if r["knots"] in ("adaptive", "equalized"):
        how += f", {r['knots']} knots"
    if r.get("steepness_choice") == "auto":
        how += " (steepness auto)"
    if r.get("heights") == "lstsq":
        how += ", least-squares heights"
    if r["output_activation"] == "sigmoid":
        how += ", sigmoid output (σ⁻¹ trick)"
    layers = " + ".join(str(s) for s in r["hidden_layers"])
    layers = f" ({layers})" if len(r["hidden_layers"]) > 1 else ""  # "20 neurons", not "20 neurons (20)"
    ends = "edges" if r["dimension"] == 2 else "ends"
    lines = [
        f"univ approx  {r['expression']}  on {dom}",
        f"  method        {how}",
        f"  hidden        {r['neurons']} neurons{layers}, {r['parameters']} parameters{_asked_text(r)}",
        *([f"  split         {_split_text(r)}"] if r["dimension"] == 2 else []),
        f"  max error     {numbers.error(r['max_error'])}  at {numbers.location(r['worst_at'], r['domain'])}",
        f"  bound         {_bound_text(r)}",
        f"  RMSE          {numbers.error(r['rmse'])}  over {r['points']:,} points, {ends} included",
        "  files         " + ", ".join(r["files"].values()),
    ]
    if r.get("sample_points"):
        lines.insert(
            -1,
            f"  on samples    max error {r['sample_max_error']:.4g}, RMSE {r['sample_rmse']:.4g}  "
            f"over the {r['sample_points']:,} samples the target interpolates",
        )
    if r.get("holdout_points"):
        lines.insert(
            -1,
            f"  held out      max error {r['holdout_max_error']:.4g}, RMSE {r['holdout_rmse']:.4g}  "
            f"over {r['holdout_points']:,} samples the target never saw (the honest number)",
        )
    if r.get("note"):
        lines.insert(-1, f"  note          {r['note']}")
    if r.get("search"):
        lines[-1:-1] = _search_lines(r["search"])
    if "formula" in r:
        shown = (formula or r["formula"]).splitlines() or [""]
        lines.append(f"  formula       {shown[0]}")
        lines += [" " * 16 + line for line in shown[1:]]  # a fraction or a wrapped sum spans lines
    return "\n".join(lines)


def _bound_options(cfg, network) -> dict:
    """The options the search's net was built with, for the bound-only search (auto steepness: the one chosen)."""
    opts = {"output": cfg.output}
    if network.input_dim == 1:
        opts.update(knots=cfg.knots, heights=cfg.heights)
    if cfg.weight is not None:
        opts["weight"] = cfg.weight
    elif network.info.get("steepness") is not None:
        opts["steepness"] = network.info["steepness"]
    return opts


def _bound_text(r: dict) -> str:
    """ "the proof promises ≤ X; measured Y", or why there is no promise."""
    if r["bound"] is None:
        return f"none: {r['bound_method']}"
    what = "Barron estimate (its slope, not a certificate)" if r["bound_estimate"] else "the proof promises"
    shown = {k: v for k, v in r["bound_terms"].items() if k != "rounding" or v > 1e-6 * r["bound"]}  # not noise
    parts = ", ".join(f"{k} {v:.3g}" for k, v in shown.items())
    return f"{what} ≤ {numbers.error(r['bound'])}; measured {numbers.error(r['max_error'])}  ({parts})"


def _asked_text(r: dict) -> str:
    """Towers and 2D relu use whole grids: when the count asked is not one, say what was asked and what built."""
    if "neurons_asked" not in r:
        return ""
    return f"; asked {r['neurons_asked']}, built {r['neurons']} (the largest full {r['method']} grid within it)"


def _search_lines(d: dict) -> list[str]:
    tried = ", ".join(f"{n}: {e:.3g}" for n, e in d["tried"])
    if d["reached"]:
        head = f"the smallest count found with max error ≤ {d['eps']:g} is {d['neurons']} neurons"
    else:
        head = f"max error ≤ {d['eps']:g} not reached; best {d['max_error']:.4g} with {d['neurons']} neurons"
    lines = [f"  search        {head}", f"  tried         {tried}  (neurons: max error)"]
    if d["reason"]:
        lines.append(f"  why           {d['reason']}")
    if "bound_neurons" in d:
        by = d["bound_neurons"]
        said = f"{by} neurons" if by is not None else "no count (no bound, or not within the method's range)"
        lines.append(f"  the proof     asks for {said} for max error ≤ {d['eps']:g}; measured: {d['neurons']}")
    return lines


def _how(r: dict) -> str:
    """The report's method line: the registry's words for what was built, then the numbers its info holds."""
    built = METHODS[r["method"]].builder(r["dimension"])
    said = [f"{r['method']} — {built.about}"]
    if r["steepness"] and "steepness" in built.uses:
        said.append(f"steepness {r['steepness']:g}")
    if r.get("tower_steepness"):
        said.append(f"tower weight {r['tower_steepness']:g} (bias −3/2 of it)")
    if r.get("cells"):
        said.append("×".join(map(str, r["cells"])) + " cells")
    if "directions" in r.get("split", {}):
        said.append(f"{r['split']['directions']} directions")
    if len(r["hidden_layers"]) > 1:
        said.append(f"{len(r['hidden_layers'])} hidden layers")
    return ", ".join(said)


def _split_text(r: dict) -> str:
    s = r.get("split", {})
    if r["method"] == "towers":
        return f"layer 1: {s['x_steps']} x-steps + {s['y_steps']} y-steps; layer 2: {s['towers']} towers"
    if r["method"] == "ridge":
        per = s["steps_per_direction"]
        each = f"{min(per)}" if min(per) == max(per) else f"{min(per)}–{max(per)}"
        return f"one layer: {s['directions']} directions × {each} steps"
    return (
        f"layer 1: {s['x_lines'] + s['y_lines'] + s['diagonals']} relus (|·| on x-, y- and diagonal lines); "
        f"layer 2: {s['hats']} hats"
    )
