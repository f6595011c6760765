"""Shared fixtures: the CLI as a user runs it, in-process."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result


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
