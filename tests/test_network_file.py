"""Network files: save/load, what from_json accepts, size checks before parsing, hostile documents (hypothesis)."""

import json
import os
import stat

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import univ.network as network_mod
from univ import Layer, Network, NetworkFormatError, construct

LONG = os.environ.get("UNIV_HYPOTHESIS_LONG") == "1"  # UNIV_HYPOTHESIS_LONG=1 pytest ...: the long run
EXAMPLES = 3000 if LONG else 60
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def small_net(n=5):
    rng = np.random.default_rng(3)
    return Network(
        [Layer(rng.normal(size=(1, n)), rng.normal(size=n), "tanh"), Layer(rng.normal(size=(n, 1)), [0.5], "linear")],
        info={"method": "test", "hidden_layers": [n], "domain": [[0.0, 1.0]]},
    )


def wide_net(n=300, dim=1):
    """Long enough that its weight rows and output column are read by numpy, not as Python lists."""
    rng = np.random.default_rng(8)
    return Network(
        [
            Layer(rng.normal(size=(dim, n)) * 1e3, rng.normal(size=n), "sigmoid"),
            Layer(rng.normal(size=(n, 1)), [rng.normal()], "sigmoid"),
        ],
        info={
            "edges": rng.random(200).tolist(),
            "ids": list(range(100)),
            "big": [2**60] * 80,
            "note": "[1.0, 2.0] " * 40,
        },
    )


def same(a: Network, b: Network) -> None:
    assert len(a.layers) == len(b.layers)
    for la, lb in zip(a.layers, b.layers):
        np.testing.assert_array_equal(la.w, lb.w)
        np.testing.assert_array_equal(la.b, lb.b)
        assert la.activation == lb.activation
    assert a.info == b.info


# -- save and load ---------------------------------------------------------------------------------------------------
def test_save_then_load_is_exact_and_the_file_follows_the_umask(tmp_path):
    net = construct("sin(3x)", 40, method="bumps")
    old = os.umask(0o022)
    try:
        net.save(tmp_path / "net.json")
        net.save(str(tmp_path / "sub" / "again.json"))
    finally:
        os.umask(old)
    path = tmp_path / "net.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.json", "sub"]  # no temporary file left behind
    back = Network.load(path)
    same(back, Network.from_json(net.to_json()))
    np.testing.assert_array_equal(back(np.linspace(0, 1, 101)), net(np.linspace(0, 1, 101)))
    assert Network.load(str(tmp_path / "sub" / "again.json")).n_params == net.n_params


def test_from_json_given_a_path_says_what_it_wants(tmp_path):
    net = small_net()
    net.save(tmp_path / "network.json")
    for arg in ["outputs/sin-3x_bumps_20/network.json", str(tmp_path / "network.json"), "  net.JSON\n"]:
        with pytest.raises(NetworkFormatError, match=r"from_json takes JSON text; use Network.load\(path\) for a file"):
            Network.from_json(arg)
    with pytest.raises(NetworkFormatError, match=r"Network.load\(path\)"):
        Network.from_json(tmp_path / "network.json")
    with pytest.raises(NetworkFormatError, match="not valid JSON"):
        Network.from_json("network.txt")


def test_load_errors_are_network_format_errors(tmp_path):
    with pytest.raises(NetworkFormatError, match="cannot read network file"):
        Network.load(tmp_path / "missing.json")
    with pytest.raises(NetworkFormatError, match="not a regular file"):
        Network.load(tmp_path)
    with pytest.raises(NetworkFormatError, match="not a regular file"):
        Network.load("/dev/zero")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(NetworkFormatError, match="not valid JSON"):
        Network.load(tmp_path / "bad.json")


def test_load_refuses_an_oversized_file_before_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(10_000)  # sparse: nothing to read but its size
    monkeypatch.setattr(network_mod, "MAX_NETWORK_JSON_CHARS", 9_999)
    monkeypatch.setattr("builtins.open", lambda *a, **k: pytest.fail("opened before the size check"))
    with pytest.raises(NetworkFormatError, match="larger than 9,999 bytes"):
        Network.load(path)


def test_from_json_refuses_oversized_text_before_parsing(monkeypatch):
    text = small_net().to_json()
    monkeypatch.setattr(network_mod, "MAX_NETWORK_JSON_CHARS", len(text) - 1)
    monkeypatch.setattr(network_mod, "_lift_number_arrays", lambda t: pytest.fail("parsed before the size check"))
    with pytest.raises(NetworkFormatError, match="characters; at most"):
        Network.from_json(text)
    with pytest.raises(NetworkFormatError, match="characters; at most"):
        Network.from_json(text.encode())


def test_the_size_limit_follows_the_parameter_limit():
    from univ import limits

    assert network_mod.MAX_NETWORK_JSON_CHARS == limits.MAX_NETWORK_JSON_CHARS
    assert 20 * limits.MAX_PARAMETERS < limits.MAX_NETWORK_JSON_CHARS < 30 * limits.MAX_PARAMETERS
    longest = json.dumps([-1.2345678901234567e-308, -1.2345678901234567e-308])
    assert (len(longest) - 2) / 2 <= 26  # what to_json writes per number, separator included


# -- long arrays are read by numpy ----------------------------------------------------------------------------------
@pytest.mark.parametrize("dim", [1, 2])
@pytest.mark.parametrize("indent", [None, 2])
def test_long_arrays_round_trip_exactly(dim, indent):
    net = wide_net(dim=dim)
    text = net.to_json(indent=indent)
    skeleton, arrays = network_mod._lift_number_arrays(text)
    assert len(arrays) >= 3 and len(skeleton) < len(text) / 4  # rows, the output column and info's long lists
    back = Network.from_json(text)
    same(back, net)
    assert all(type(v) is int for v in back.info["ids"]) and back.info["big"][0] == 2**60
    assert back.info["note"] == net.info["note"]  # brackets inside a string are left alone
    assert Network.from_json(text.encode("utf-16")).n_params == net.n_params


def test_a_long_array_numpy_cannot_read_whole_is_left_to_json():
    d = json.loads(wide_net().to_json())
    text = json.dumps(d)
    row = json.dumps(d["layers"][0]["weights"][0])
    bads = [row[:-1] + " 1-2]", row[:-1] + ", ]", row.replace(", ", ",, ", 1), row[:-1] + " 3]", row[:-1] + ", --1]"]
    for bad in bads:
        with pytest.raises(NetworkFormatError, match="not valid JSON"):
            Network.from_json(text.replace(row, bad))


def test_a_placeholder_cannot_be_forged():
    d = json.loads(small_net().to_json())
    d["layers"][0]["biases"] = {"\u0000univ-array-0000000000000000": 0}
    with pytest.raises(NetworkFormatError, match="biases"):
        Network.from_json(json.dumps(d))


def test_structure_outside_the_arrays_is_bounded(monkeypatch):
    net = small_net()
    net.info["many"] = [[] for _ in range(1000)]
    monkeypatch.setattr(network_mod, "MAX_NETWORK_STRUCTURE_CHARS", 2000)
    with pytest.raises(NetworkFormatError, match="outside its weight arrays"):
        Network.from_json(net.to_json())


# -- defects of issue 14 --------------------------------------------------------------------------------------------
def mutate(path, value, net=None):
    d = json.loads((net or small_net()).to_json())
    obj = d
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value
    return json.dumps(d)


HUGE = 10**400


@pytest.mark.parametrize(
    "text, match",
    [
        (mutate(["layers", 0, "weights"], [[HUGE] * 5]), "too large for a float"),
        (mutate(["layers", 0, "biases"], [1.0, 2.0, HUGE, 4.0, 5.0]), "finite|too large for a float"),
        (mutate(["layers", 0, "weights"], [[1.0] * 299 + [HUGE]], wide_net()), "finite|too large"),
        (mutate(["layers", 1, "weights"], [[1.0]] * 299 + [[HUGE]], wide_net()), "finite|too large"),
        (mutate(["layers", 0, "weights"], [[1e400] * 5]).replace("Infinity", "1e400"), "finite"),
        (mutate(["layers", 0, "weights"], [[float(10**300)] * 5]).replace("1e+300", "1" * 5000), "not valid JSON"),
        (mutate(["version"], HUGE), "unsupported network version"),
        (mutate(["version"], True), "unsupported network version True"),
        (mutate(["version"], 1.0), "unsupported network version"),
        (mutate(["input_dim"], HUGE), "input_dim must be 1 or 2"),
        (mutate(["input_dim"], True), "input_dim must be 1 or 2"),
        (mutate(["input_dim"], "1"), "input_dim must be 1 or 2"),
        (mutate(["info"], {"x": 1e300}).replace("1e+300", "1e400"), "'info' contains a number that is not finite"),
        (mutate(["info"], {"x": [1.0] * 300}).replace("1.0]", "1e999]"), "'info' contains a number that is not finite"),
        (mutate(["info"], {"x": json.loads("[" * 40 + "]" * 40)}), "nested more than"),
        (mutate(["layers"], [{"activation": "linear", "weights": [[1.0]], "biases": [0.0]}] * 102), "at most 101"),
    ],
)
def test_hostile_values_give_network_format_errors(text, match):
    with pytest.raises(NetworkFormatError, match=match):
        Network.from_json(text)


@pytest.mark.parametrize("dim", [3, 4, 7])
def test_only_one_or_two_inputs(dim):
    rng = np.random.default_rng(0)
    net = Network([Layer(rng.normal(size=(dim, 3)), np.zeros(3), "relu"), Layer(np.ones((3, 1)), [0.0], "linear")])
    with pytest.raises(NetworkFormatError, match=f"input_dim must be 1 or 2, got {dim}"):
        Network.from_json(net.to_json())
    d = net.to_dict()
    del d["input_dim"]
    with pytest.raises(NetworkFormatError, match="input_dim must be 1 or 2"):
        Network.from_dict(d)


def test_a_huge_integer_in_info_is_kept():
    back = Network.from_json(mutate(["info"], {"seed": HUGE}))
    assert back.info["seed"] == HUGE and json.loads(back.to_json())["info"]["seed"] == HUGE


# -- notebooks -----------------------------------------------------------------------------------------------------
def test_to_latex_renders_as_maths_and_the_network_keeps_its_picture():
    from IPython.core.formatters import DisplayFormatter

    net = construct("sin(3x)", 4, method="bumps")
    tex = net.to_latex()
    assert isinstance(tex, str) and tex == str(tex) and r"\sigma" in tex
    assert tex._repr_latex_() == f"${tex}$"
    shown, _ = DisplayFormatter().format(tex)
    assert shown["text/latex"] == f"${tex}$"
    assert not hasattr(Network, "_repr_latex_")
    shown, _ = DisplayFormatter().format(net)
    assert "image/png" in shown and "text/latex" not in shown


# -- property: every document is loaded or refused with NetworkFormatError ------------------------------------------
def json_values():
    long_lists = st.one_of(  # long enough to be read by numpy, not json
        st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=40, max_size=60),
        st.lists(st.integers(-(10**20), 10**20), min_size=40, max_size=60),
        st.lists(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=1), min_size=40, max_size=60),
    )
    scalars = st.one_of(
        long_lists,
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=-(10**500), max_value=10**500),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
        st.sampled_from(["sigmoid", "tanh", "relu", "linear", "heaviside", "univ.network", "__import__('os')"]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=8), inner, max_size=5)),
        max_leaves=25,
    )


def loads_or_refuses(text):
    try:
        net = Network.from_json(text)
    except NetworkFormatError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
        return None
    again = Network.from_json(net.to_json())  # what loaded can be written and read again
    assert again.n_params == net.n_params
    return net


def paths(d, prefix=()):
    yield prefix
    if isinstance(d, dict):
        for k, v in d.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(d, list):
        for i, v in enumerate(d[:4]):
            yield from paths(v, (*prefix, i))


BASES = [small_net().to_dict(), wide_net(40).to_dict()]


@PROPERTY
@given(base=st.sampled_from(BASES), data=st.data(), value=json_values())
def test_mutated_documents_are_loaded_or_refused(base, data, value):
    d = json.loads(json.dumps(base))
    path = data.draw(st.sampled_from(list(paths(d))[1:]))
    obj = d
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value
    loads_or_refuses(json.dumps(d, allow_nan=True))


@PROPERTY
@given(base=st.sampled_from([json.dumps(b) for b in BASES] + [wide_net(120).to_json(indent=1)]), data=st.data())
def test_corrupted_text_is_loaded_or_refused(base, data):
    text = base
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 8)))
        text = text[:i] + data.draw(st.text(alphabet='0123456789-+.eE,[]{}": \n\\tnulfasIN', max_size=6)) + text[j:]
    loads_or_refuses(text)
    loads_or_refuses(text.encode("utf-8", "surrogatepass"))


@PROPERTY
@given(value=json_values())
def test_random_json_is_refused(value):
    # refused, not merely "loaded or refused": no random JSON value is a network document
    assert loads_or_refuses(json.dumps(value, allow_nan=True)) is None, value


@PROPERTY
@given(raw=st.binary(max_size=64))
def test_random_bytes_are_refused(raw):
    loads_or_refuses(raw)
