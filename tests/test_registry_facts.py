"""Each method's facts beyond its counts live in the registry entry, and every menu, page, widget, comparison,
classifier and renderer reads them there (issue #24): no module keeps a list of method names of its own."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from univ import comparison, parse
from univ.classify import METHODS_BY_HAND, construct_classifier
from univ.cli.approx import _approx_text, _how, method_help
from univ.constructions import METHODS, names
from univ.constructions.config import DEFAULT_METHOD
from univ.constructions.registry import FACTS, REQUIRED, REQUIRED_BY_DIMENSION
from univ.errors import ConfigError
from univ.page import DRAW_METHODS, page_data
from univ.scene_table import SCENES

ROOT = Path(__file__).resolve().parents[1]
BOOLS = {"compared", "page_draws", "classifies"}  # the facts that are yes or no; the others are words


def _missing(table: dict) -> list[str]:
    """Every fact an entry of ``table`` leaves out or states with the wrong type, as "name/dimension: fact"."""
    wrong = []
    for (name, d), facts in table.items():
        for fact in (*REQUIRED, *REQUIRED_BY_DIMENSION.get(d, ())):
            value = facts.get(fact)
            ok = isinstance(value, bool) if fact in BOOLS else isinstance(value, str)
            if not ok or (fact not in BOOLS | {"scene"} and not value.strip()):
                wrong.append(f"{name}/{d}: {fact}")
    return wrong


def test_every_entry_states_every_fact_the_front_ends_read():
    assert _missing(FACTS) == []
    assert set(FACTS) == {(name, b.dimension) for name, m in METHODS.items() for b in m.builders.values()}


@pytest.mark.parametrize(
    "entry, left_out",
    [
        (dict(menu="three at a time", about="triples"), ["compared", "scene", "height", "note", "page_draws"]),
        (dict(menu="", about="x", compared=True, scene="", height="h", note="n", page_draws=False), ["menu"]),
        (
            dict(menu="m", about="x", compared="yes", scene="", height="h", note="n", page_draws=0),
            ["compared", "page_draws"],
        ),
    ],
)
def test_a_new_entry_without_its_facts_is_caught(entry, left_out):
    # the check above is not vacuous: a method added without its facts (or with a word where a yes/no goes) fails it
    assert _missing({**FACTS, ("triples", 1): entry}) == [f"triples/1: {fact}" for fact in left_out]


def test_every_scene_a_method_names_is_an_explainer_scene():
    for (name, d), facts in FACTS.items():
        assert facts["scene"] in {"", *SCENES}, (name, d)


# -- the front ends read the registry -------------------------------------------------------------------------------
def test_approx_help_lists_each_registered_method_with_its_own_words():
    text = method_help()
    for d in (1, 2):
        part = text.split(f"{d}D: ")[1].split(". ")[0]
        listed = re.findall(r"(\w+) \((?:default; )?([^)]*)\)", part)
        assert sorted(m for m, _ in listed) == sorted(names(d))
        assert listed[0][0] == DEFAULT_METHOD[d] and part.startswith(f"{DEFAULT_METHOD[d]} (default; ")
        assert all(words == METHODS[m].builder(d).menu for m, words in listed)


def _with(monkeypatch, name: str, d: int, **facts) -> None:
    """The registry's builder for ``name`` in ``d``D with some facts changed, for this test only."""
    builders = METHODS[name].builders
    monkeypatch.setitem(builders, d, dataclasses.replace(builders[d], **facts))


def test_a_fact_changed_in_the_registry_changes_what_the_front_ends_say(monkeypatch):
    _with(monkeypatch, "steps", 1, about="stairs, told by the registry", menu="stairs")
    assert "steps (stairs)" in method_help()
    report = {"expression": "x", "domain": [[0, 1]], "dimension": 1, "method": "steps", "steepness": 10.0}
    report.update(weight=None, knots="uniform", output_activation="linear", hidden_layers=[4], neurons=4)
    report.update(parameters=13, max_error=0.1, worst_at=[0.5], bound=None, bound_method="none", rmse=0.05)
    report.update(points=10, files={})
    assert "steps — stairs, told by the registry, steepness 10" in _approx_text(report, None)
    _with(monkeypatch, "relu", 1, about="hinges, told by the registry")
    assert "relu — hinges, told by the registry\n" in _approx_text({**report, "method": "relu"}, None)  # no steepness


def test_a_2d_report_line_is_the_registrys_words_then_the_numbers_the_net_holds(monkeypatch):
    _with(monkeypatch, "towers", 2, about="towers, told by the registry")
    r = {"method": "towers", "dimension": 2, "steepness": 10.0, "tower_steepness": 40.0, "cells": [5, 5]}
    said = _how({**r, "hidden_layers": [12, 25]})
    assert said.startswith("towers — towers, told by the registry, steepness 10, tower weight 40")
    assert said.endswith("5×5 cells, 2 hidden layers")
    ridge = {"method": "ridge", "dimension": 2, "steepness": 3.0, "split": {"directions": 7}, "hidden_layers": [40]}
    assert _how(ridge) == f"ridge — {METHODS['ridge'].builder(2).about}, steepness 3, 7 directions"


def test_the_page_redraws_the_methods_its_javascript_ports_and_says_each_ones_note():
    assert DRAW_METHODS == names(1, having="page_draws") == tuple(b for b in DRAW_METHODS if b in names(1))
    html = (ROOT / "univ" / "assets" / "page.html").read_text()
    select = re.search(r'<select id="draw-method">(.*?)</select>', html, re.S).group(1)
    assert tuple(re.findall(r'<option value="(\w+)"', select)) == DRAW_METHODS  # the port offers just these
    t = parse("sin(3x)")
    for method in names(1):
        assert page_data(t, 4, method)["note"] == METHODS[method].builder(1).note


def test_compare_and_sweep_run_the_methods_the_registry_marks_compared():
    assert comparison.COMPARED == names(1, having="compared") != ()
    for f in (comparison.compare, comparison.sweep):
        assert inspect.signature(f).parameters["methods"].default == comparison.COMPARED
    from univ.cli.compare import command as compare_command
    from univ.cli.sweep import command as sweep_command

    for command in (compare_command, sweep_command):
        option = next(p for p in command.params if p.name == "methods")
        assert option.default == ",".join(comparison.COMPARED)


def test_the_classifier_builds_with_just_the_methods_marked_classifies():
    assert METHODS_BY_HAND == names(2, having="classifies") != ()
    refused = [m for m in names(2) if m not in METHODS_BY_HAND]
    assert refused  # the 2D relu hats do not classify
    for method in refused:
        with pytest.raises(ConfigError, match=f"unknown method '{method}'; choose one of"):
            construct_classifier("x < 0.5", 101, method)


def test_the_renderer_checks_the_count_against_every_method_a_scene_shows(monkeypatch):
    from univ.rendering import _check_neurons

    assert names(1, having="scene") == ("bumps", "relu")
    with pytest.raises(ConfigError, match="must be even"):
        _check_neurons(21)
    assert _check_neurons(20) == 20
    _with(monkeypatch, "steps", 1, scene="bumps")
    _with(monkeypatch, "bumps", 1, scene="")  # now only steps and relu are shown: any count from 1
    assert _check_neurons(21) == 21


def test_the_widget_labels_each_height_with_the_registrys_word():
    pytest.importorskip("ipywidgets")
    from univ import widgets

    w = widgets.bumps("sin(3x)", neurons=4, method="relu")
    assert [s.description for s in w.height_sliders] == [
        f"{METHODS['relu'].builder(1).height} {j}" for j in (1, 2, 3, 4)
    ]
    w.method = "bumps"
    assert w.height_sliders[0].description == f"{METHODS['bumps'].builder(1).height} 1"


# -- no list of method names outside the registry -------------------------------------------------------------------
def _name_lists(tree: ast.AST, method_names: set[str]) -> list[tuple[int, list[str]]]:
    """Tuple, list and set literals of two or more strings, every one a method name: (line, the names)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) >= 2:
            if all(isinstance(e, ast.Constant) and e.value in method_names for e in node.elts):
                found.append((node.lineno, [e.value for e in node.elts]))
    return found


def test_the_list_finder_sees_a_list_of_method_names():
    known = set(names())
    assert _name_lists(ast.parse('DRAW = ("bumps", "steps")\nf(m=["towers", "ridge"])'), known) == [
        (1, ["bumps", "steps"]),
        (2, ["towers", "ridge"]),
    ]
    assert _name_lists(ast.parse('KINDS = ("sigmoid", "relu", "heaviside")\nx = ("bumps",)'), known) == []


def test_no_module_outside_the_registry_keeps_a_list_of_method_names():
    known = set(names())
    files = [*(ROOT / "univ").rglob("*.py"), *(ROOT / "scenes").rglob("*.py")]
    files = [p for p in files if p != ROOT / "univ" / "constructions" / "registry.py"]
    assert len(files) > 20
    offenders = {
        f"{p.relative_to(ROOT)}:{line}": found
        for p in files
        for line, found in _name_lists(ast.parse(p.read_text(encoding="utf-8")), known)
    }
    assert offenders == {}
