"""The layering holds: the numeric core imports no plotting, CLI or video library (ruff enforces it); the import
graph of univ/ has no cycle, no import of the facade, and imports inside functions only of heavy optional packages."""

from __future__ import annotations

import ast
import io
import shutil
import subprocess
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("matplotlib", "manim", "click", "ipywidgets", "manim_slides", "playwright")


@pytest.mark.parametrize(
    "modules",
    [
        "univ",
        "univ.constructions, univ.network, univ.parse, univ.target, univ.data, univ.measure, univ.training, "
        "univ.comparison, univ.activations",
    ],
)
def test_the_numeric_core_imports_no_plotting_cli_or_video_library(modules):
    code = f"import sys\nimport {modules}\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout


def test_every_construction_is_in_the_one_registry_and_every_command_reads_it():
    import univ
    from univ.cli import main

    approx = main.get_command(None, "approx")
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


# -- the import graph, read with ast -----------------------------------------------------------------------------
# Imports inside functions are allowed only of these (third-party packages heavy at start-up or optional extras),
# and of univ's own modules that import one of them at module level (univ.plot is matplotlib): everything else is
# imported at the top of its module, so the graph below is the whole truth about what depends on what.
HEAVY_AT_START = (
    "matplotlib",  # ~0.5 s; the plotting layer (univ.plot)
    "manim",  # the video extra
    "ipywidgets",  # notebooks only
    "IPython",
    "playwright",  # page tests and screenshots only
    "av",  # PyAV: reading rendered videos
    "dask",  # lessons: a task graph, optional
    "sympy",  # ~0.4 s: only for LaTeX, formulas and closed forms
    "scipy",  # 0.1-0.5 s per subpackage: spatial (2D data), optimize (L-BFGS), interpolate (baselines)
    "mpmath",  # ~0.1 s: only for the 60-digit second look at a removable singularity
    "PIL",  # Pillow (comes with matplotlib): the widgets' images
)
# univ's own layers over those packages, which the core and the CLI import where they draw: univ.plot is matplotlib's
# (it imports matplotlib when it draws, so importing it is cheap, but it is the plotting layer, never the core's).
HEAVY_LAYERS = ("univ.plot",)


@dataclass(frozen=True)
class Import:
    importer: str  # the module whose file holds the import
    target: str  # what is imported: a univ module, or a third-party package's top-level name
    line: int
    in_function: bool
    facade: bool  # names the package facade itself (``import univ``, ``from univ import x``, ``from . import x``)


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(root: Path) -> dict[str, Path]:
    return {_module_name(p, root): p for p in sorted((root / "univ").rglob("*.py"))}


def _in_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def _in_function(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return True
    return False


def _imports(name: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or _in_type_checking(node, parents):
            continue
        inside = _in_function(node, parents)
        if isinstance(node, ast.Import):
            targets = [(alias.name, alias.name == "univ") for alias in node.names]
        else:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = []
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                if sub in modules:  # ``from . import limits``: the module univ.limits
                    targets.append((sub, False))
                else:  # a name defined in ``source``
                    targets.append((source, source == "univ"))
        for target, facade in targets:
            if target == "univ" or target.startswith("univ."):
                while target not in modules:  # ``import univ.plot.x`` of a name: the module that holds it
                    target = target.rpartition(".")[0]
            else:
                target = target.partition(".")[0]
            found.append(Import(name, target, node.lineno, inside, facade))
    return found


def _graph(root: Path = ROOT) -> tuple[dict[str, Path], list[Import]]:
    modules = _modules(root)
    return modules, [imp for name, path in modules.items() for imp in _imports(name, path, modules)]


def _edges(modules, imports) -> dict[str, set[str]]:
    """module -> univ modules it makes Python import (a submodule's import runs its packages' ``__init__`` first,
    except the packages the importer already sits in, which are importing it)."""
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for imp in imports:
        if imp.target not in modules or imp.target == imp.importer:
            continue
        target = imp.target
        while target:
            if target != "univ" and not imp.importer.startswith(target + ".") and target != imp.importer:
                edges[imp.importer].add(target)
            target = target.rpartition(".")[0]
        if imp.facade:
            edges[imp.importer].add("univ")
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a list of the modules in it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def _heavy_modules(modules, imports) -> set[str]:
    """univ's modules that import a HEAVY_AT_START package at module level, directly or through another module."""
    heavy = {i.importer for i in imports if not i.in_function and i.target in HEAVY_AT_START}
    heavy |= {m for m in modules if m.startswith(HEAVY_LAYERS)}
    grew = True
    while grew:
        more = {i.importer for i in imports if not i.in_function and i.target in heavy} - heavy
        grew = bool(more)
        heavy |= more
    return heavy


def test_the_import_graph_reader_sees_cycles_facade_and_function_level_imports(tmp_path):
    """The reader itself: on a made-up package it finds the cycle, the facade import and the lazy import."""
    pkg = tmp_path / "univ"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .a import f\n")
    (pkg / "a.py").write_text("from . import b\n\ndef f():\n    import sympy\n    from .sub import c\n")
    (pkg / "b.py").write_text("from .a import f\nimport univ\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "c.py").write_text("from .. import b\nfrom ..a import f\n")
    modules, imports = _graph(tmp_path)
    edges = _edges(modules, imports)
    assert edges["univ.a"] == {"univ.b", "univ.sub", "univ.sub.c"}
    assert _cycles(edges) == [["univ", "univ.a", "univ.b", "univ.sub.c"]]  # b imports the facade, which imports a
    assert [(i.importer, i.target) for i in imports if i.facade] == [("univ.b", "univ")]
    lazy = sorted((i.target, i.line) for i in imports if i.in_function)
    assert lazy == [("sympy", 4), ("univ.sub.c", 5)]
    assert _heavy_modules(modules, imports) == set()  # nothing imports sympy at module level there


def test_no_import_cycles():
    modules, imports = _graph()
    assert _cycles(_edges(modules, imports)) == []


def test_no_module_imports_the_package_facade():
    _, imports = _graph()
    bad = [f"{i.importer}:{i.line}" for i in imports if i.facade and i.importer != "univ"]
    assert bad == [], "import from the module that defines the name, not from univ: " + ", ".join(bad)


def test_imports_inside_functions_are_only_of_heavy_optional_dependencies():
    modules, imports = _graph()
    heavy = _heavy_modules(modules, imports)
    bad = sorted(
        {
            f"{i.importer}:{i.line} imports {i.target}"
            for i in imports
            if i.in_function and i.target not in HEAVY_AT_START and i.target not in heavy
        }
    )
    assert bad == [], "move these to the top of their module:\n" + "\n".join(bad)


def test_the_core_never_reaches_plotting_cli_or_video_through_the_graph():
    """No arrow up: no core module imports (at module level) univ.plot, univ.cli, the widgets or the renderer."""
    modules, imports = _graph()
    upper = ("univ.plot", "univ.cli", "univ.widgets", "univ.rendering", "univ.slides", "univ.lesson", "univ.__main__")
    core = [m for m in modules if m != "univ" and not m.startswith(upper)]
    bad = [
        f"{i.importer}:{i.line} imports {i.target}"
        for i in imports
        if i.importer in core and not i.in_function and i.target.startswith(upper)
    ]
    assert bad == []


# -- sizes: no function over ~60 lines of code, no module over ~600 lines (620: a little room) -------------------------
MAX_FUNCTION_CODE_LINES = 60
MAX_MODULE_LINES = 620
_NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


def _code_lines(source: str) -> tuple[ast.Module, set[int]]:
    """The parsed module and the numbers of the lines that hold code: not blank, not only a comment, not a docstring."""
    tree = ast.parse(source)
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                if isinstance(first.value.value, str):
                    docstrings.update(range(first.lineno, first.end_lineno + 1))
    lines: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in _NOT_CODE:
            lines.update(n for n in range(tok.start[0], tok.end[0] + 1) if n not in docstrings)
    return tree, lines


def _long_functions(paths) -> list[str]:
    """Every function or method (nested ones counted on their own too) with more than the allowed lines of code."""
    out = []
    for path in paths:
        tree, lines = _code_lines(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = sum(1 for line in lines if node.lineno <= line <= node.end_lineno)
                if n > MAX_FUNCTION_CODE_LINES:
                    out.append(
                        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{node.lineno} "
                        f"{node.name} has {n} lines of code"
                    )
    return sorted(out)


def test_the_size_counter_counts_code_not_docstrings_comments_or_blanks(tmp_path):
    body = "".join(f"    x{i} = (\n        {i}\n    )\n" for i in range(20))  # 60 lines of code
    doc = '    """A docstring.\n\n    Long.\n    """\n'
    short = tmp_path / "short.py"
    short.write_text(f"def f():\n{doc}    # a comment\n\n{body}")  # the def line makes 61
    assert _long_functions([short]) == [f"{short}:1 f has 61 lines of code"]
    ok = tmp_path / "ok.py"
    ok.write_text(f"def g():\n{doc}    # a comment\n\n{body[: body.rindex('    x19')]}    return [\n    ]\n")
    assert _long_functions([ok]) == []


def test_no_function_is_longer_than_60_lines_of_code():
    paths = sorted((ROOT / "univ").rglob("*.py")) + sorted((ROOT / "scenes").rglob("*.py"))
    long = _long_functions(paths)
    assert long == [], "split these into named steps:\n" + "\n".join(long)


def test_no_module_is_longer_than_620_lines():
    big = sorted(
        f"{p.relative_to(ROOT)} has {n} lines"
        for p in [*(ROOT / "univ").rglob("*.py"), *(ROOT / "scenes").rglob("*.py")]
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    )
    assert big == [], "split these into cohesive modules:\n" + "\n".join(big)
