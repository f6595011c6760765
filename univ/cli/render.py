"""``univ render``: the explainer scenes (or the whole explainer) as MP4, one short line per scene."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..rendering import EXPLAINER, QUALITIES, SCENES


def _scene_table() -> str:
    width = max(len(n) for n in [*SCENES, EXPLAINER])
    lines = [f"  {name:<{width}}  ~{info.seconds:4.1f} s  {info.description}" for name, info in SCENES.items()]
    lines.append(f"  {EXPLAINER:<{width}}  all of the above in order, joined into one video")
    return "\n".join(lines)


@click.command("render", epilog="\b\nScenes:\n" + _scene_table())
@click.argument("scene", required=False, metavar="SCENE")
@click.option("-f", "--function", default="sin(3x)", show_default=True,
              help="The function to approximate, as you would write it; x only (the towers scene also takes x, y).")
@click.option("-n", "--neurons", type=int, default=20, show_default=True,
              help="Hidden neurons of the hand-built nets: even, 2 to 200.")
@click.option("-q", "--quality", type=click.Choice(list(QUALITIES)), default="low", show_default=True,
              help="low 480p15, medium 720p30, high 1080p60, 4k 2160p60.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the MP4  [default: outputs/]")
@click.option("--domain", nargs=2, type=float, default=None, metavar="A B", help="x interval  [default: 0 1]")
@click.option("--resolution", nargs=2, type=int, default=None, metavar="W H",
              help="Frame size in pixels instead of the quality's (both even).")
@click.option("--fps", "frame_rate", type=float, default=None, help="Frame rate instead of the quality's.")
@click.option("-j", "--jobs", type=click.IntRange(1, 16), default=None,
              help="Scenes rendered at once for the explainer  [default: 2]")
@click.option("--list", "list_scenes", is_flag=True, help="List the scenes and exit.")
def command(scene, function, neurons, quality, out_dir, domain, resolution, frame_rate, jobs, list_scenes):
    """Animate the construction with Manim: one SCENE, or the whole explainer, to an MP4 in outputs/.

    Everything is checked before Manim starts; Manim's own output is kept out of the way (on failure it is
    saved beside the video).

    \b
    Examples:
      univ render --list
      univ render bumps --function "sin(3x)" --neurons 20
      univ render network -f "x^2 - x" -n 12 --quality high --out videos
      univ render explainer --function "sin(3x)" --neurons 20 --quality low
    """
    if list_scenes:
        click.echo(_scene_table())
        return
    if scene is None:
        raise click.UsageError(f"name a scene ({', '.join(SCENES)} or {EXPLAINER}), or use --list")
    from ..rendering import render as render_video

    t0 = time.perf_counter()
    path = render_video(scene, function=function, neurons=neurons, quality=quality, out_dir=out_dir,
                        resolution=tuple(resolution) if resolution else None, frame_rate=frame_rate,
                        domain=tuple(domain) if domain else None, jobs=jobs, progress=click.echo)
    click.echo(f"  done in {time.perf_counter() - t0:.0f} s")
    click.echo(str(path))


