"""``univ render``: the explainer scenes (or the whole explainer) as video, with captions and a script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import click

from .. import rendering
from ..plan import ASPECTS, THEMES
from ..rendering import EXPLAINER, FORMATS, QUALITIES, SCENES
from .options import NameList, cli_command, domain_options


def _scene_table() -> str:
    width = max(len(n) for n in [*SCENES, EXPLAINER])
    lines = [f"  {name:<{width}}  ~{info.seconds:4.1f} s  {info.description}" for name, info in SCENES.items()]
    lines.append(f"  {EXPLAINER:<{width}}  the scenes in order (--scenes picks and orders them), joined into one video")
    return "\n".join(lines)


def _preview(path: Path) -> str:
    """Open the file with the desktop's viewer if there is one; say where it is either way."""
    opener = shutil.which("xdg-open") or shutil.which("open")
    if opener is None or sys.platform.startswith("linux") and not _has_display():
        return f"no viewer on this machine; the file is {path}"
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return f"opened {path}"


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _expression(expression: str | None, function: str | None) -> str:
    """EXPRESSION or --function as given (an empty one is refused by the parser, never replaced), else sin(3x)."""
    given = expression if expression is not None else function
    return "sin(3x)" if given is None else given.strip()


def _path_option(name: str, dest: str, help: str, *, folder: bool = False):
    """An option naming a folder (``folder``) or a file, as a Path; None when not given."""
    path = click.Path(file_okay=not folder, dir_okay=folder, path_type=Path)
    return click.option(name, dest, type=path, default=None, help=help)


@cli_command("render", epilog="\b\nScenes:\n" + _scene_table())
@click.argument("scene", required=False, metavar="SCENE")
@click.argument("expression", required=False, metavar="EXPRESSION")
@click.option(
    "-f", "--function", default=None, help="The expression, as an option (the same as EXPRESSION)  [default: sin(3x)]"
)
@click.option(
    "-n",
    "--neurons",
    type=int,
    default=None,
    help="Hidden neurons of the hand-built nets: even, 2 to 200  [default: 20]. Only scenes that draw one use it.",
)
@click.option(
    "-q",
    "--quality",
    type=click.Choice(list(QUALITIES)),
    default=None,
    help="low 480p15 (default), medium 720p30, high 1080p60, 4k 2160p60.",
)
@_path_option("--out", "out_dir", "Folder for the video, its captions and script  [default: outputs/]", folder=True)
@domain_options
@click.option(
    "--resolution",
    nargs=2,
    type=int,
    default=None,
    metavar="W H",
    help="Frame size in pixels instead of the quality's (both even, matching --aspect).",
)
@click.option("--fps", "frame_rate", type=float, default=None, help="Frame rate instead of the quality's.")
@click.option(
    "--scenes",
    type=NameList(tuple(SCENES)),
    default=None,
    help="The explainer's scenes, in this order (comma-separated; see --list).",
)
@click.option(
    "--hold",
    type=float,
    default=None,
    metavar="SECONDS",
    help="How long each conclusion stays on screen  [default: 2.5]",
)
@click.option(
    "--theme",
    type=click.Choice(THEMES),
    default="dark",
    show_default=True,
    help="Palette: light is for slides and projectors.",
)
@click.option(
    "--aspect",
    type=click.Choice(list(ASPECTS)),
    default="16:9",
    show_default=True,
    help="9:16 and 1:1 reflow the scenes: plots above text, larger type.",
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="mp4", show_default=True, help="png is the last frame only."
)
@click.option("--no-captions", is_flag=True, help="Skip the .srt/.vtt captions and the .narration.md script.")
@click.option(
    "--slides",
    is_flag=True,
    help="Also write a slide deck beside the video: <video>.slides/index.html (offline), one slide per "
    "narrated beat; arrow keys, space, Page Down or a click advance.",
)
@click.option(
    "--voice",
    default=None,
    metavar="espeak|FOLDER",
    help="Narrate: espeak (espeak-ng reads each caption cue) or a folder of your recordings, one audio file per cue "
    "named by the cue ids the .narration.md lists (title-1-1.wav ...). Each beat lasts as long as its speech; "
    "mp4 and webm only.",
)
@_path_option("--config", "config_file", "A manim.cfg to honour  [default: ./manim.cfg when there is one]")
@click.option("--preview", is_flag=True, help="Open the result when done (or say where it is).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 16),
    default=None,
    help="Scenes rendered at once for the explainer  [default: 2]",
)
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.option("--list", "list_scenes", is_flag=True, help="List the scenes and exit.")
def command(scene, expression, function, list_scenes, quiet, as_json, preview, **options):
    """Animate the construction with Manim: one SCENE, or the whole explainer, for EXPRESSION (default sin(3x)).

    Writes the video and, beside it, .srt and .vtt captions and a .narration.md script (with timestamps).
    Everything is checked before Manim starts; progress goes to stderr; Manim's own output is kept out of the
    way (on failure it is saved beside the video).

    \b
    Examples:
      univ render --list
      univ render explainer "sin(3x)" --neurons 20 --quality low
      univ render bumps "x^2 - x" -n 12
      univ render explainer "sin(3x)" --scenes title,bump,bumps,closing --hold 4
      univ render explainer "abs(x-0.3)" --theme light --aspect 9:16 --format webm
      univ render explainer "sin(3x)" --theme light --slides
      univ render explainer "exp(-(x^2+y^2))" --domain -1.5 1.5 --ydomain -1.5 1.5
    """
    if list_scenes:
        click.echo(_scene_table())
        return
    if scene is None:
        raise click.UsageError(f"name a scene ({', '.join(SCENES)} or {EXPLAINER}), or use --list")
    if expression is not None and function is not None and expression.strip() != function.strip():
        raise click.UsageError(f"two expressions: {expression!r} and --function {function!r}; give one")
    say = (lambda line: None) if quiet else (lambda line: click.echo(line, err=True))
    t0 = time.perf_counter()
    result = _render(scene, _expression(expression, function), say, **options)
    say(f"  done in {time.perf_counter() - t0:.0f} s")
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        for path in result.files:
            click.echo(str(path))
    if preview:
        say(_preview(result.slides / "index.html" if result.slides else result.video))


def _render(
    scene, expression, say, *, neurons, quality, out_dir, domain, ydomain, resolution, frame_rate, scenes, hold,
    theme, aspect, fmt, no_captions, slides, voice, config_file, jobs,
):  # fmt: skip
    """The command's options as :func:`univ.rendering.render_run`'s arguments, and the run."""
    return rendering.render_run(  # looked up at the call, so a test can stand in for it
        scene,
        expression,
        neurons,
        quality,
        out_dir,
        tuple(resolution) if resolution else None,
        frame_rate,
        domain=tuple(domain) if domain else None,
        ydomain=tuple(ydomain) if ydomain else None,
        scenes=list(scenes) if scenes else None,
        hold=hold,
        theme=theme,
        aspect=aspect,
        format=fmt,
        captions=not no_captions,
        config_file=config_file,
        jobs=jobs,
        progress=say,
        slides=slides,
        voice=voice,
    )
