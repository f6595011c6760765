"""``univ lesson``: build a lesson folder (videos, captions, slides, pages, figures, numbers) from a TOML file."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from .. import lesson as lessons
from .options import cli_command
from .progress import progress, stderr_is_tty


@cli_command("lesson")
@click.argument("lesson_file", metavar="LESSON.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The lesson's folder: index.html and one folder per function.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="tcp://HOST:8786",
    help="A running dask scheduler to send the work to  [default: a local cluster, one worker per core]",
)
@click.option("-j", "--workers", type=click.IntRange(1, 64), default=None, help="Local workers  [default: cores]")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@click.option("--json", "as_json", is_flag=True, help="Print the lesson's manifest (lesson.json) as JSON.")
def command(lesson_file, out_dir, scheduler, workers, quiet, as_json):
    """Build the lesson LESSON.toml into the folder --out: open its index.html from disk, no network needed.

    Every piece (a scene, a page, a figure, a measurement) is a task on dask (a local cluster, or --scheduler's);
    results are cached by a hash of everything that changes them, in --out/.cache, so a re-run makes only what
    changed. Without dask, a local process pool does the work.

    \b
    Examples:
      univ lesson examples/lesson.toml --out outputs/lesson
      univ lesson examples/lesson.toml --out outputs/lesson --scheduler tcp://10.0.0.5:8786
    """
    say = (lambda line: None) if quiet else (lambda line: click.echo(line, err=True))
    if scheduler is not None and not scheduler.strip().startswith(("tcp://", "tls://", "inproc://", "ws://")):
        raise click.BadParameter(
            f"{scheduler!r} is not a scheduler address like tcp://HOST:8786", param_hint="--scheduler"
        )
    lesson = lessons.load_lesson(lesson_file)  # every mistake here: one line, nothing built
    tasks = lessons.plan_tasks(lesson)
    say(f"univ lesson  {lesson.title}: {len(lesson.items)} functions, {len(tasks)} tasks")
    cache = lessons.Cache(out_dir / ".cache")
    t0 = time.perf_counter()
    bar_wanted = not quiet and stderr_is_tty()
    with progress(bar_wanted, len(tasks), "building") as bar:

        def on_done(task, result, error, done, total):
            if error is not None:
                click.echo(f"  FAILED {task.label}: {error}", err=True)
            elif not bar_wanted and not quiet:
                say(f"  [{done}/{total}] {task.label} ({result['seconds']:.1f} s on {result['host']})")
            bar.update(1)

        outcome = lessons.run_tasks(tasks, cache, scheduler=scheduler, workers=workers, on_done=on_done, say=say)
    manifest = lessons.write_lesson(lesson, tasks, outcome, out_dir)
    ran, cached, failed = len(outcome.ran), len(outcome.cached), len(outcome.errors)
    renders = sum(1 for t in tasks if t.key in outcome.ran and t.kind in ("scene", "voiced"))
    say(
        f"  {ran} ran ({renders} renders), {cached} cached, {failed} failed, on {outcome.engine}, "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    if as_json:
        click.echo(json.dumps(manifest, indent=2))
    else:
        click.echo(str(out_dir / "index.html"))
    if failed:
        click.echo(f"univ: {failed} of {len(tasks)} tasks failed (said above); the rest is in {out_dir}", err=True)
        sys.exit(1)
