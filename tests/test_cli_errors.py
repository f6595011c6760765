"""How the ``univ`` command fails: one line on stderr, exit status 2 for bad input and 1 for the machine's failures;
every command module is registered by name, and a missing one is an ImportError, never a command silently gone."""

from __future__ import annotations

import ast
import errno
import subprocess
import sys
from pathlib import Path

import pytest

import univ.cli as cli_mod
import univ.constructions as constructions

CLI = Path(cli_mod.__file__).parent


def _one_line(r) -> str:
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("univ: ") and "Traceback" not in r.stderr, r.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args, words",
    [
        (["approx", "sinn(x)", "--no-plot"], "did you mean sin"),  # ExpressionError
        (["approx", "sin(3x)", "-n", "7", "--method", "bumps", "--no-plot"], "even"),  # ConfigError
        (["approx", "sin(3x)", "--domain", "1", "0", "--no-plot"], "A < B"),  # ConfigError from the target
        (["approx", "sin(3x)", "--no-such-option"], "No such option"),  # click's usage error
        (["approx", "missing-file.csv", "--no-plot"], "missing-file.csv"),  # DataError: a file that is not there
        (["nosuchcommand"], "No such command"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args, words):
    r = cli(*args)
    assert r.exit_code == 2 and words in _one_line(r)


@pytest.mark.parametrize(
    "exc, words",
    [
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (PermissionError(errno.EACCES, "Permission denied", "/somewhere/report.json"), "/somewhere/report.json"),
        (MemoryError(), "out of memory"),
    ],
)
def test_the_machines_failures_are_one_line_and_exit_1(cli, monkeypatch, tmp_path, exc, words):
    def fail(*args, **kwargs):
        raise exc

    monkeypatch.setattr(constructions, "construct", fail)
    monkeypatch.setattr("univ.cli.approx.construct", fail, raising=False)
    r = cli("approx", "sin(3x)", "--no-plot", "--out", str(tmp_path / "run"))
    assert r.exit_code == 1 and words in _one_line(r)
    assert not (tmp_path / "run").exists()


def _command_modules() -> set[str]:
    """Modules in univ/cli/ that define a module-level ``command``: read from the files, not from the registry."""
    found = set()
    for path in CLI.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if hasattr(t, "id")}
        names |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        if "command" in names:
            found.add(f"univ.cli.{path.stem}")
    return found


def test_every_command_module_is_a_command():
    names = {m.removeprefix("univ.cli.") for m in _command_modules()}
    assert set(cli_mod.COMMANDS) == names and len(names) >= 7
    for name in cli_mod.COMMANDS:
        command = cli_mod.main.get_command(None, name)
        assert command.callback.__module__ == f"univ.cli.{name}"


def test_one_command_loads_only_its_own_module():
    code = (
        "import sys\nfrom univ.cli import main\n"
        "try:\n    main(['approx', 'sin(3x)', '-n', '4', '--no-plot', '--json', '--out', sys.argv[1]])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('univ.cli.', 'univ.rendering', 'univ.training'))))"
    )
    r = subprocess.run([sys.executable, "-c", code, "/dev/null/x"], capture_output=True, text=True)
    loaded = r.stdout.strip().splitlines()[-1]
    assert "univ.cli.approx" in loaded and "univ.cli.render" not in loaded and "univ.rendering" not in loaded


def test_a_missing_command_module_fails_loudly_instead_of_vanishing():
    code = "import sys\nsys.modules['univ.cli.depth'] = None\nfrom univ.cli import main\nmain(['depth', '--no-plot'])\n"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode != 0 and "ModuleNotFoundError" in r.stderr and "univ.cli.depth" in r.stderr, r.stderr


def test_a_misspelled_command_gets_a_suggestion(cli):
    r = cli("aprox", "sin(3x)")
    assert r.exit_code == 2 and "Did you mean 'approx'?" in _one_line(r)
