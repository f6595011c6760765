"""Options shared by many commands, defined once (the sqlite-utils way), and the list types they parse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from .. import limits
from ..training import OPTIMIZERS


def _stack(*decorators: Callable) -> Callable:
    def apply(fn: Callable) -> Callable:
        for d in reversed(decorators):
            fn = d(fn)
        return fn

    return apply


class UnivCommand(click.Command):
    """A command whose EXPRESSION may start with a minus sign: ``univ approx "-x^2"`` needs no ``--``.

    A word that starts with a single ``-`` but is not one of the command's short options (``-n``, ``-m``, ...) is
    an expression (or a negative number), not an option.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        shorts = {
            o[1]
            for p in self.params
            for o in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])
            if len(o) == 2 and o[0] == "-"
        } | {"h"}
        args = [f" {a}" if len(a) > 1 and a[0] == "-" and a[1] != "-" and a[1] not in shorts else a for a in args]
        return super().parse_args(ctx, args)


def cli_command(name: str, **kwargs) -> Callable:
    """``@click.command`` with univ's command class."""
    return click.command(name, cls=UnivCommand, **kwargs)


class _CommaList(click.ParamType):
    """Comma-separated items; empty items (``1,,2``) are refused, duplicates dropped with the order kept unless
    ``unique`` is False (a list of layer widths, where ``16,16,16`` means three layers)."""

    hint = "items"
    unique = True

    def items(self, value, param, ctx) -> list[str]:
        parts = [p.strip() for p in str(value).split(",")]
        if any(not p for p in parts):
            self.fail(f"{value!r} has an empty item; write {self.hint} separated by commas", param, ctx)
        return list(dict.fromkeys(parts)) if self.unique else parts


class IntList(_CommaList):
    """Comma-separated whole numbers within [lo, hi]: ``4,8,16``."""

    name = "N1,N2,..."
    hint = "whole numbers, e.g. 4,8,16,"

    def __init__(self, lo: int = 1, hi: int | None = None, most: int = 1000, *, unique: bool = True):
        self.lo, self.hi, self.most, self.unique = lo, hi, most, unique

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        parts = self.items(value, param, ctx)
        if len(parts) > self.most:
            self.fail(f"at most {self.most} numbers, got {len(parts)}", param, ctx)
        out = []
        for p in parts:
            digits = p[1:] if p[:1] == "-" else p
            if not (digits.isascii() and digits.isdigit()) or len(p) > 12:
                self.fail(f"{p!r} is not a whole number (in {value!r})", param, ctx)
            v = int(p)
            if v < self.lo or (self.hi is not None and v > self.hi):
                span = f"from {self.lo} to {self.hi:,}" if self.hi is not None else f"at least {self.lo}"
                self.fail(f"must be whole numbers {span}, got {v:,} (in {value!r})", param, ctx)
            out.append(v)
        return tuple(out)


class NameList(_CommaList):
    """Comma-separated names from a fixed set: ``bumps,relu``."""

    name = "M1,M2,..."

    def __init__(self, allowed: tuple[str, ...]):
        self.allowed = tuple(allowed)
        self.hint = f"names from {', '.join(self.allowed)}"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        parts = self.items(value, param, ctx)
        unknown = [p for p in parts if p not in self.allowed]
        if unknown:
            self.fail(f"unknown {unknown[0]!r}; choose from {', '.join(self.allowed)}", param, ctx)
        return tuple(parts)


def _out_path(ctx, param, value):
    if value is None:
        return None
    if not str(value).strip():
        raise click.BadParameter("is empty; name a folder, or leave --out off for outputs/<run>", ctx, param)
    return Path(value)


expression_argument = click.argument("expression", metavar="EXPRESSION")


def neurons_option(default, help: str, *, many: bool = False) -> Callable:
    if many:
        return click.option(
            "-n", "--neurons", type=IntList(1, limits.MAX_NEURONS), default=default, show_default=True, help=help
        )
    return click.option("-n", "--neurons", type=int, default=default, show_default=default is not None, help=help)


def method_option(choices: tuple[str, ...], help: str, default: str | None = None) -> Callable:
    return click.option(
        "-m", "--method", type=click.Choice(choices), default=default, show_default=default is not None, help=help
    )


def methods_option(allowed: tuple[str, ...], default: str, help: str) -> Callable:
    return click.option("--methods", type=NameList(allowed), default=default, show_default=True, help=help)


domain_option = click.option(
    "--domain", nargs=2, type=float, default=None, metavar="A B", help="x interval  [default: 0 1]"
)
ydomain_option = click.option(
    "--ydomain",
    nargs=2,
    type=float,
    default=None,
    metavar="C D",
    help="y interval, for expressions in x and y  [default: 0 1]",
)
domain_options = _stack(domain_option, ydomain_option)  # --domain and --ydomain: commands that take 2D functions

holdout_option = click.option(
    "--holdout",
    type=click.FloatRange(0.0, limits.MAX_HOLDOUT),
    default=None,
    metavar="SHARE",
    help=f"With a data file: keep this share of the samples (0 to {limits.MAX_HOLDOUT:g}) out of the target and "
    "report the error on them too.",
)


def output_options(files: str) -> Callable:
    """--out, --no-plot, --json: where a run writes, whether it draws, what it prints."""
    return _stack(
        click.option(
            "--out",
            "out_dir",
            type=str,
            default=None,
            callback=_out_path,
            metavar="DIR",
            help=f"Folder for {files}  [default: outputs/<expression>_<command>_<options hash>]",
        ),
        click.option("--no-plot", is_flag=True, help="Skip the figure (and the matplotlib import)."),
        click.option("--json", "as_json", is_flag=True, help="Print exactly the report.json this run writes."),
    )


class SteepnessType(click.ParamType):
    """A positive number, or ``auto``."""

    name = "steepness"

    def convert(self, value, param, ctx):
        if value is None or isinstance(value, float) or value == "auto":
            return value
        try:
            return float(value)
        except ValueError:
            self.fail(f"{value!r} is neither a number nor auto", param, ctx)


KNOTS_SAID = {
    "uniform": "evenly",
    "adaptive": "split where the function needs them",
    "equalized": "moved until every cell's error is equal (1D)",
}


def construction_options(steepness_help: str, knots: tuple[str, ...], *, auto: bool = False, scope: str = ""):
    """--steepness, --weight, --knots: how a hand-built net sets its sigmoids and cells (approx, page).

    ``auto`` lets --steepness also be ``auto``; ``scope`` ends --weight's help (e.g. " (1D)").
    """
    said = [KNOTS_SAID[k] for k in knots]
    sep = "; " if len(said) > 2 else ", "
    return _stack(
        click.option(
            "--steepness",
            type=SteepnessType() if auto else float,
            default=None,
            metavar="S|auto" if auto else None,
            help=steepness_help,
        ),
        click.option(
            "--weight", type=float, default=None, help=f"A fixed sigmoid weight instead of --steepness{scope}."
        ),
        click.option(
            "--knots",
            type=click.Choice(list(knots)),
            default="uniform",
            show_default=True,
            help=f"Where cells go: {sep.join(said[:-1])}{sep}or {said[-1]}.",
        ),
    )


def max_error_option(help: str) -> Callable:
    """--max-error EPS: search for the fewest neurons whose certified max error is at most EPS."""
    return click.option(
        "--max-error", "max_error", type=click.FloatRange(0.0, min_open=True), default=None, metavar="EPS", help=help
    )


ACTIVATION_HELP = "Hidden activation of the trained nets; their output neuron is linear."
OPTIMIZER_HELP = (
    "adam; sgd with momentum; lbfgs (full batch, line search); lm (Levenberg–Marquardt, small nets); "
    "for lbfgs and lm, epochs are iterations."
)


def training_options(optimizer: str, epochs: int, why: str) -> Callable:
    """--activation, --optimizer, --lr, --epochs, --seed for every command that trains; ``why`` explains defaults."""
    return _stack(
        click.option(
            "--activation",
            type=click.Choice(["tanh", "relu", "sigmoid"]),
            default="tanh",
            show_default=True,
            help=ACTIVATION_HELP,
        ),
        click.option(
            "--optimizer",
            type=click.Choice(OPTIMIZERS),
            default=optimizer,
            show_default=True,
            help=f"{OPTIMIZER_HELP} {why}",
        ),
        click.option("--lr", type=float, default=None, help="Learning rate for adam and sgd  [default: 0.01]"),
        click.option(
            "--epochs",
            type=click.IntRange(1, limits.MAX_EPOCHS),
            default=epochs,
            show_default=True,
            help="Training budget per net: passes over the data (lbfgs, lm: iterations).",
        ),
        click.option(
            "--seed",
            type=click.IntRange(0, 2**63 - 1),
            default=0,
            show_default=True,
            help="Random seed: same seed, same net.",
        ),
    )
