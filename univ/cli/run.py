"""One way to finish a run: name its folder, write its files, print its report or exactly its JSON."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .._io import json_bytes, options_hash, slug, write_run

DEFAULT_OUT = Path("outputs")


def load_target(expression: str, domain=None, ydomain=None):
    """The command's EXPRESSION as a Target: maths as typed, or a CSV file of samples where one exists."""
    try:
        from ..data import load_csv, looks_like_data_file
    except ImportError:  # pragma: no cover
        looks_like_data_file = None
    if looks_like_data_file is not None and looks_like_data_file(expression):
        if domain is not None or ydomain is not None:
            raise click.UsageError("a data file sets its own domain; leave out --domain and --ydomain")
        return load_csv(expression)
    from ..parse import parse

    return parse(expression.strip(), domain=domain, ydomain=ydomain)


def run_folder(out: Path | None, command: str, expression: str, options: dict[str, Any], *parts: Any) -> Path:
    """``--out`` as given, or outputs/<expression>_<command>_<parts>_<hash of everything that changes the result>."""
    if out is not None:
        return out
    return DEFAULT_OUT / slug(expression, command, *parts, options_hash({"expression": expression, **options}))


def finish(report: dict[str, Any], blobs: dict[str, bytes], folder: Path, as_json: bool,
           text: Callable[[dict[str, Any]], str]) -> None:
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
