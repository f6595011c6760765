"""The layering holds: the numeric core imports no plotting, CLI or video library; ruff enforces it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("matplotlib", "manim", "click", "ipywidgets", "manim_slides", "playwright")


@pytest.mark.parametrize(
    "modules",
    [
        "univ",
        "univ.constructions, univ.network, univ.parse, univ.measure, univ.training, univ.comparison, univ.activations",
    ],
)
def test_the_numeric_core_imports_no_plotting_cli_or_video_library(modules):
    code = f"import sys\nimport {modules}\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout


def test_every_construction_is_in_the_one_registry_and_every_command_reads_it():
    import univ
    from univ.cli import main

    approx = main.commands["approx"]
    (method,) = [p for p in approx.params if p.name == "method"]
    dims = {d for m in univ.METHODS.values() for d in m.dimensions}
    assert dims == {0, 1, 2}
    shown = set(method.type.choices)
    assert shown == {name for name, m in univ.METHODS.items() if m.dimensions != (0,)}


def _ruff():
    exe = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(exe).exists():
        pytest.skip("ruff is not installed (it comes with the dev extra)")
    return exe


def test_ruff_finds_a_layering_violation():
    """The rule works: a core module importing click at module level is reported.

    The probe is read from stdin under a core module's name, so nothing is written into the checkout.
    """
    probe = '"""probe"""\n\nimport click\n\nprint(click)\n'
    check = [_ruff(), "check", "--no-cache", "--stdin-filename"]
    r = subprocess.run([*check, "univ/_layering_probe.py", "-"], input=probe, capture_output=True, text=True, cwd=ROOT)
    assert r.returncode != 0 and ("TID251" in r.stdout or "TID253" in r.stdout), r.stdout
    ok = subprocess.run([*check, "univ/cli/_probe.py", "-"], input=probe, capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stdout  # the CLI may import click: the rule is the layering, not a blanket ban


def test_ruff_passes_on_the_tree():
    r = subprocess.run([_ruff(), "check", "--no-cache", "."], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-3000:]
