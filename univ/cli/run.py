"""One way to finish a run: name its folder, write its files, print its report or exactly its JSON."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .._io import json_bytes, options_hash, slug, write_run
from ..data import looks_like_data_file, sample_errors
from ..target import Target, parse

DEFAULT_OUT = Path("outputs")


def load_target(expression: str, domain=None, ydomain=None, holdout: float | None = None, seed: int = 0):
    """The command's EXPRESSION as a Target: maths as typed, or a CSV file of samples (x,y or x,y,z).

    ``holdout`` (a data file only) keeps that share of the samples out of the target, to measure the error on.
    """
    if looks_like_data_file(expression):
        if domain is not None or ydomain is not None:
            raise click.UsageError("a data file sets its own domain; leave out --domain and --ydomain")
        return Target.from_csv(expression, holdout=holdout or 0.0, seed=seed)
    if holdout:
        raise click.UsageError("--holdout needs a data file (x,y samples in a .csv) as the target")
    return parse(expression.strip(), domain=domain, ydomain=ydomain)


def sample_report(network, target) -> dict[str, Any]:
    """For a data target: the errors on the samples and on the held-out samples (the honest number with noise)."""
    if getattr(target, "samples", None) is None:
        return {}
    return sample_errors(network, target)


def run_folder(out: Path | None, command: str, expression: str, options: dict[str, Any], *parts: Any) -> Path:
    """``--out`` as given, or outputs/<expression>_<command>_<parts>_<hash of everything that changes the result>.

    For a data file the hash covers the file's bytes, so a changed file is a new run.
    """
    if out is not None:
        return out
    options = {"expression": expression, **options}
    if looks_like_data_file(expression) and Path(expression).is_file():
        options["data_sha256"] = hashlib.sha256(Path(expression).read_bytes()).hexdigest()
    return DEFAULT_OUT / slug(expression, command, *parts, options_hash(options))


def finish(
    report: dict[str, Any], blobs: dict[str, bytes], folder: Path, as_json: bool, text: Callable[[dict[str, Any]], str]
) -> None:
    """Write the run's files (``blobs``: file name → bytes, report.json added here) and print the report.

    ``report["files"]`` lists every file written; --json prints report.json byte for byte.
    """
    report = dict(report)
    names = [*blobs, "report.json"]
    report["files"] = {name.split(".")[0]: str(folder / name) for name in sorted(names)}
    data = json_bytes(report)
    write_run(folder, {**blobs, "report.json": data})
    if as_json:
        click.echo(data.decode(), nl=False)
    else:
        click.echo(text(report))


def figure_blob(no_plot: bool, draw: str, *args: Any) -> dict[str, bytes]:
    """``{"figure.png": PNG bytes}`` drawn by ``univ.plot.<draw>(*args)``, or nothing with --no-plot.

    The plotting module (matplotlib) is imported only when a figure is drawn.
    """
    if no_plot:
        return {}
    from .. import plot

    return {"figure.png": plot.figure_png(getattr(plot, draw), *args)}


def report_head(command: str, target) -> dict[str, Any]:
    """The first fields of every report: the command, the expression as read and its domain."""
    return {"command": command, "expression": target.text, "domain": [list(p) for p in target.domain]}


def training_settings(activation: str, optimizer: str, lr: float | None, epochs: int, seed: int) -> dict[str, Any]:
    """The --activation/--optimizer/--lr/--epochs/--seed values as one dict, in the reports' order."""
    return dict(activation=activation, optimizer=optimizer, lr=lr, epochs=epochs, seed=seed)


def given(settings: dict[str, Any]) -> dict[str, Any]:
    """``settings`` without the values left unset (None), so the callee's own defaults apply."""
    return {k: v for k, v in settings.items() if v is not None}


def footer(r: dict[str, Any]) -> list[str]:
    """The last lines of a table report: its notes, then the files written."""
    return [*(f"  note   {n}" for n in r.get("notes", ())), "  files  " + ", ".join(r["files"].values())]
