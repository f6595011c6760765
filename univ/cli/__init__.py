"""The ``univ`` command: one module per command, shared options, one way to write a run. Nothing clever lives here."""

from __future__ import annotations

import importlib
import sys

import click

from ..errors import UnivError

# One module per command, named here: a command's module is imported when that command runs (or --help lists it),
# so ``univ approx`` does not load the renderer or the trainers. A missing or broken module is an error then, never
# a command silently gone.
COMMANDS = ("approx", "classify", "compare", "depth", "fit", "lesson", "page", "render", "sweep")

EXIT_BAD_INPUT = 2  # the user's input (an option, an expression, a file's content): fix it and run again
EXIT_MACHINE = 1  # the machine's failure (a disk full, a folder that cannot be written, out of memory)


class _Univ(click.Group):
    """A click group whose every failure is one line on stderr: exit status 2 for bad input (a UnivError or a
    usage error), 1 for the machine's failures (OSError, MemoryError), 130 when interrupted. Its commands are the
    modules named in COMMANDS."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        return importlib.import_module(f"{__name__}.{name}").command

    def resolve_command(self, ctx: click.Context, args: list[str]):
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:  # with "Did you mean ...?" from the names, none imported
            raise click.exceptions.NoSuchCommand(exc.command_name, possibilities=COMMANDS, ctx=ctx) from None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(args, prog_name or "univ", complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            click.echo("univ: interrupted", err=True)
            sys.exit(130)
        except click.ClickException as exc:
            click.echo(f"univ: {one_line(exc.format_message())}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except UnivError as exc:
            click.echo(f"univ: {one_line(str(exc))}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"univ: {one_line(str(exc.strerror or exc) + where)}", err=True)
            sys.exit(EXIT_MACHINE)
        except MemoryError:
            click.echo("univ: out of memory; use fewer neurons or points", err=True)
            sys.exit(EXIT_MACHINE)
        sys.exit(rv if isinstance(rv, int) else 0)


def one_line(text: str) -> str:
    return " ".join(text.split())


@click.group(cls=_Univ, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="univ", prog_name="univ")
def main() -> None:
    """univ — a one-hidden-layer network can approximate any continuous function; watch it being built.

    \b
    Try:
      univ approx "sin(3x)" --neurons 20
      univ approx "sqrt(x)" --neurons 64 --method relu --knots adaptive
      univ compare "sin(3x)" -n 12
      univ render explainer "sin(3x)"
    """


__all__ = ["main"]
