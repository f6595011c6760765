"""The construction registry is the one source of each method's facts: counts, limits, options, layout."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import univ
from univ import limits
from univ.constructions import METHODS, Layout, layout_of, names
from univ.errors import ConfigError
from univ.network import Network
from univ.search import ladder

ROOT = Path(__file__).resolve().parents[1]
BUILDERS = [(name, d) for name, m in METHODS.items() for d in m.builders if d != 0]


def _builder(name, d):
    return METHODS[name].builder(d)


# -- the ladders, against references written here -------------------------------------------------------------
def _reference_valid(name: str, d: int, n: int) -> bool:
    """Which counts each construction uses in full, from the constructions' own descriptions."""
    if d == 1:
        return n % 2 == 0 if name == "bumps" else True
    if name == "towers":  # m × m cells: 2(m + 1) steps and m² towers
        return any((m + 1) ** 2 + 1 == n for m in range(1, 60))
    if name == "relu":  # (m + 1)² hats and 2(m + 1) + 2(m + 1) + 2(2m + 1) |·| neurons
        return any((m + 1) ** 2 + 4 * (m + 1) + 2 * (2 * m + 1) == n for m in range(1, 60))
    return n >= 4  # ridge: any count from 2 directions of 2 steps


@pytest.mark.parametrize(("name", "d"), BUILDERS)
def test_each_ladder_is_increasing_starts_at_the_minimum_and_matches_the_reference(name, d):
    b = _builder(name, d)
    counts = [b.count(k) for k in range(b.k_min, b.k_min + 40)]
    assert all(x < y for x, y in zip(counts, counts[1:]))
    assert counts[0] == b.min_neurons and b.min_neurons >= 1
    top = counts[-1]
    expected = [n for n in range(1, top + 1) if _reference_valid(name, d, n)]
    assert [n for n in range(1, top + 1) if b.valid(n)] == expected
    assert counts == expected[: len(counts)]


@pytest.mark.parametrize(("name", "d"), BUILDERS)
def test_at_most_is_the_largest_valid_count_not_above_n(name, d):
    b = _builder(name, d)
    for n in [*range(b.min_neurons, b.min_neurons + 150), 997, 1000, 2999, b.max_neurons]:
        got = b.at_most(n)
        assert got <= n and b.valid(got), (n, got)
        assert not any(b.valid(k) for k in range(got + 1, n + 1)), (n, got)  # nothing valid skipped


@pytest.mark.parametrize(
    ("asked", "built"),
    [(5, 5), (16, 10), (17, 17), (20, 17), (23, 17), (26, 26), (62, 50), (1000, 962), (3000, 2917)],
)
def test_towers_build_the_largest_full_grid_and_the_network_says_so(asked, built):
    b = _builder("towers", 2)
    assert b.built(asked) == built
    m = math.isqrt(built - 1) - 1
    assert (m + 1) ** 2 + 1 == built  # a whole m × m grid
    if asked <= 100:
        net = univ.construct("x*y", asked, "towers")
        assert net.n_hidden == net.info["neurons"] == built
        assert net.info.get("neurons_asked") == (asked if asked != built else None)


@pytest.mark.parametrize(
    ("name", "d", "value", "message"),
    [
        ("bumps", 1, 7, "bumps are pairs of neurons: neurons must be even, got 7"),
        ("bumps", 1, 0, "neurons must be a whole number from 2 to 100,000, got 0"),
        ("bumps", 1, 100_002, "from 2 to 100,000"),
        ("bumps", 1, 2.0, "whole number"),
        ("bumps", 1, True, "whole number"),
        ("bumps", 1, "10", "whole number"),
        ("bumps", 1, None, "whole number"),
        ("bumps", 1, float("nan"), "whole number"),
        ("bumps", 1, 10**30, "an integer of about 31 digits"),
        ("steps", 1, -3, "from 1 to 100,000, got -3"),
        ("towers", 2, 4, "towers needs at least 5 hidden neurons (one cell needs"),
        ("towers", 2, 3001, "towers in 2D takes at most 3,000 neurons"),
        ("relu", 2, 17, "relu needs at least 18"),
        ("ridge", 2, 3, "ridge needs at least 4"),
        ("ridge", 2, 4001, "at most 4,000"),
        ("ridge", 2, 2.5, "whole number"),
    ],
)
def test_check_neurons_is_the_one_clear_refusal(name, d, value, message):
    b = _builder(name, d)
    with pytest.raises(ConfigError, match=re.escape(message)):
        b.check_neurons(value)
    assert b.valid(value) is False  # never raises


def test_check_neurons_names_the_option_and_accepts_numpy_integers():
    b = _builder("bumps", 1)
    with pytest.raises(ConfigError, match="every neuron count must be even, got 9"):
        b.check_neurons(9, "every neuron count")
    assert b.check_neurons(np.int64(12)) == 12 and type(b.check_neurons(np.int64(12))) is int
    assert _builder("towers", 2).check_neurons(20) == 20  # towers round (built), bumps refuse


def test_limits_are_univs_limits():
    for name in names(1):
        assert _builder(name, 1).max_neurons == limits.MAX_NEURONS
    assert _builder("towers", 2).max_neurons == _builder("relu", 2).max_neurons == limits.MAX_NEURONS_2D
    assert _builder("ridge", 2).max_neurons == limits.MAX_RIDGE_NEURONS


def test_the_search_ladder_is_the_registrys():
    for name, d in BUILDERS:
        count, k_min = ladder(name, d)
        b = _builder(name, d)
        assert k_min == b.k_min and [count(k) for k in range(k_min, k_min + 30)] == [
            b.count(k) for k in range(k_min, k_min + 30)
        ]
    with pytest.raises(ConfigError, match="deep construction"):
        ladder("sawtooth", 1)


# -- options: what a builder says it uses is what changes its network -------------------------------------------
@pytest.mark.parametrize(("name", "d"), BUILDERS)
def test_uses_says_which_options_change_the_network(name, d):
    b = _builder(name, d)
    text = "sin(3x)" if d == 1 else "sin(2x)*cos(y)"
    n = b.at_most(40)
    base = univ.construct(text, n, name)
    steeper = univ.construct(text, n, name, steepness=37.0)
    moved = any(not np.array_equal(p.w, q.w) for p, q in zip(base.layers, steeper.layers))
    assert moved == ("steepness" in b.uses), (name, d)
    assert b.uses <= {"steepness", "weight", "knots", "heights", "output", "depth"}
    assert "output" in b.uses


# -- layout ------------------------------------------------------------------------------------------------------
def test_bump_layout_pairs_a_rising_and_a_falling_step_of_opposite_weights():
    net = univ.construct("sin(3x) + 2", 20, "bumps")
    lay = net.layout
    assert isinstance(lay, Layout) and lay.method == "bumps" and lay.piece == "bump" and lay.group_size == 2
    assert len(lay.groups) == 10 and sorted(j for g in lay.groups for j in g) == list(range(20))
    w_out = net.output.w[:, 0]
    for up, down in lay.groups:
        assert w_out[up] == pytest.approx(-w_out[down]) and w_out[up] > 0  # +h and −h, f > 0 here
        s_up, s_down = -net.hidden[0].b[up] / net.hidden[0].w[0, up], -net.hidden[0].b[down] / net.hidden[0].w[0, down]
        assert s_up < s_down  # the bump rises before it falls
    assert lay.edges == (tuple(net.info["edges"]),) and lay.steepness == net.info["steepness"]


@pytest.mark.parametrize(
    ("text", "n", "method", "piece", "layer", "pieces"),
    [
        ("sin(3x)", 9, "steps", "step", 0, 9),
        ("sin(3x)", 9, "relu", "hinge", 0, 9),
        ("sin(3x)", 9, "heaviside", "step", 0, 9),
        ("x*y", 20, "towers", "tower", 1, 9),
        ("x*y", 30, "ridge", "ridge step", 0, 30),
        ("x*y", 40, "relu", "hat", 1, 9),
    ],
)
def test_every_builder_stores_its_layout(text, n, method, piece, layer, pieces):
    net = univ.construct(text, n, method)
    lay = net.layout
    assert (lay.method, lay.piece, lay.layer, len(lay.groups)) == (method, piece, layer, pieces)
    assert all(0 <= j < net.hidden[layer].fan_out for g in lay.groups for j in g)
    # a network read back from JSON has no stored layout; layout_of rebuilds the same pieces from the registry
    back = Network.from_json(net.to_json())
    again = layout_of(back)
    assert (again.piece, again.layer, again.groups) == (lay.piece, lay.layer, lay.groups)


def test_a_trained_net_has_no_layout():
    net = univ.fit("sin(3x)", hidden=(4,), epochs=3).network
    assert layout_of(net) is None


# -- one source: the copies are gone ------------------------------------------------------------------------------
def test_no_module_restates_the_1d_method_list_or_the_bump_parity():
    for path in (ROOT / "univ").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("univ/constructions/") or rel == "univ/rendering.py":  # rendering: engineer H's, pending
            continue
        text = path.read_text()
        assert '("bumps", "steps", "relu", "heaviside"' not in text, rel
        for line in text.splitlines():
            assert not ("bumps" in line and "% 2" in line), (rel, line)


# -- the CLI says what it built --------------------------------------------------------------------------------
def test_approx_reports_asked_and_built_and_names_the_folder_by_the_built_count(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("approx", "x*y", "-n", "20", "--no-plot")
    assert r.exit_code == 0, r.output
    assert "asked 20, built 17" in r.output and "17 neurons" in r.output
    (folder,) = (tmp_path / "outputs").iterdir()
    assert "_towers_17_" in folder.name
    data = json.loads((folder / "report.json").read_text())
    assert data["neurons"] == 17 and data["neurons_asked"] == 20
    saved = json.loads((folder / "network.json").read_text())["info"]
    assert saved["neurons"] == 17 and saved["neurons_asked"] == 20


def test_approx_says_nothing_of_asking_when_the_count_is_built_exactly(cli, tmp_path):
    r = cli("approx", "x*y", "-n", "17", "--no-plot", "--json", "--out", tmp_path / "run")
    data = json.loads(r.output)
    assert data["neurons"] == 17 and "neurons_asked" not in data
    r = cli("approx", "sin(3x)", "-n", "20", "--no-plot", "--out", tmp_path / "one")
    assert r.exit_code == 0 and "asked" not in r.output


def test_every_builders_facts_are_in_the_one_table_and_a_new_method_can_bring_its_own():
    from univ.constructions.registry import FACTS, register

    assert {(name, b.dimension) for name, m in METHODS.items() for b in m.builders.values()} == set(FACTS)
    try:
        new = register("triples", 1, lambda g, domain, cfg: None, "three at a time", rung=lambda k: 3 * k)
        assert (new.min_neurons, new.at_most(10), new.valid(9), new.uses) == (3, 9, True, frozenset())
        with pytest.raises(ConfigError, match=re.escape("triples takes neurons 3, 6, 9, ..., got 10")):
            new.check_neurons(10)
        with pytest.raises(ConfigError, match="registered twice"):
            register("triples", 1, lambda g, domain, cfg: None, "again")
        with pytest.raises(ConfigError, match="unknown options"):
            register("quads", 1, lambda g, domain, cfg: None, "four", options=("speed",))
    finally:
        METHODS.pop("triples", None)
        METHODS.pop("quads", None)
    assert "triples" not in names(1)
