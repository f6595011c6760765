"""Shared fixtures: the CLI as a user runs it, in-process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[1]
WATCHED = ("outputs", "univ", "scenes", "media", "docs", "examples")  # folders no test may write into


def _files(root: Path) -> set[str]:
    return {
        str(p.relative_to(root))
        for folder in WATCHED
        for p in (root / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="session", autouse=True)
def _tests_write_only_into_temporary_folders(tmp_path_factory):
    """Run the session in a temporary folder (a CLI run's default outputs/ lands there, not in the checkout), and
    fail the session if any test wrote a file into the checkout all the same.

    The second check runs where nothing else writes into the checkout meanwhile: in CI (``CI`` set), as .ci/run is.
    """
    before = _files(ROOT) if os.environ.get("CI") else set()
    here = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))
    yield
    os.chdir(here)
    new = sorted(_files(ROOT) - before) if os.environ.get("CI") else []
    assert not new, f"tests wrote into the checkout: {new[:10]}"


@pytest.fixture
def cli():
    """``cli("approx", "sin(3x)", ...)`` runs ``univ`` in-process and returns click's Result.

    stderr is kept apart from stdout (``result.stdout``, ``result.stderr``), so --json output can be parsed whole.
    Exceptions that escape the command's own error handling propagate, so a traceback fails the test.
    """
    from univ.cli import main

    def run(*args: str, catch_exceptions: bool = False) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=catch_exceptions)

    return run


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright, one per test module (skipped with the reason if missing)."""
    from helpers import CHROMIUM, CHROMIUM_ARGS, browser_missing

    if browser_missing():
        pytest.skip(browser_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
