"""Measured data as a target: CSV files and sample arrays, their interpolants, holdout, errors on the samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import univ
from univ import limits
from univ.data import looks_like_data_file, sample_errors
from univ.errors import ConfigError, DataError, UnivError
from univ.target import Target

load_csv = Target.from_csv
target_from_samples = Target.from_samples

CO2 = Path(__file__).resolve().parents[1] / "examples" / "co2.csv"


def write(tmp_path, text, name="data.csv", mode="w"):
    p = tmp_path / name
    if mode == "w":
        p.write_text(text, encoding="utf-8")
    else:
        p.write_bytes(text)
    return p


GOOD = "x,y\n0,0\n1,2\n2,1\n3,4\n"

# -- bad files: one clear line each -------------------------------------------------------------------------------
BAD_FILES = [
    # (content, pieces the message must contain)
    ("x,y\n0,0\n1,\n2,1\n3,4\n", ["row 3", "column 2", "missing"]),
    ("x,y\n0,0\n1,2\n2,abc\n3,4\n", ["row 4", "column 2", "'abc' is not a number"]),
    ("0,0\n1,2\nfoo,1\n3,4\n", ["row 3", "column 1", "'foo'"]),
    ("x,y\n0,0\n1,2\n2,1\n", ["3 distinct", "at least 4"]),
    ("x,y\n0,0\n1,2\n1,3\n2,1\n3,4\n", ["x = 1", "twice", "row 3", "row 4"]),
    ("x,y\n0,0\n1,nan\n2,1\n3,4\n", ["row 3", "column 2", "not a finite number"]),
    ("x,y\n0,0\n1,2\n2,inf\n3,4\n", ["row 4", "column 2", "not a finite number"]),
    ("x,y\n0,0\n1e400,2\n2,1\n3,4\n", ["row 3", "column 1", "'1e400' is not a finite number"]),
    ("x\n0\n1\n2\n3\n", ["1 column"]),
    ("a,b,c,d\n0,0,0,0\n1,1,1,1\n2,2,2,2\n3,3,3,3\n", ["4 columns"]),
    ("x,y\n0,0\n1,2,5\n2,1\n3,4\n", ["row 3", "3 column(s)", "the file has 2"]),
    ("x,y,z\n0,0\n1,2\n2,1\n3,4\n", ["header", "3 column(s)", "row 2 has 2"]),
    ("x,y\n", ["header but no data rows"]),
    ("# only a comment\n\n", ["no data rows"]),
    ("x,y\n0,0\n2e6,1\n2,1\n3,4\n", ["row 3", "column 1", "out of range"]),
    ("x,y\n0,0\n1,1e13\n2,1\n3,4\n", ["row 3", "column 2", "out of range"]),
    ("x,y\n5,0\n5,1\n", ["row 3"]),  # fewer rows, duplicate position: named either way
    ("x,y\n5,0\n5,0\n5,0\n5,0\n5,0\n", ["1 distinct"]),
    ("x,y,z\n0,0,1\n1,1,2\n2,2,3\n3,3,4\n", ["lie on a line"]),
    ("x,y,z\n0,0,1\n1,0,2\n0,1,3\n1,1,4\n0,0,5\n", ["(x, y) = (0, 0)", "twice", "row 2", "row 6"]),
]


@pytest.mark.parametrize("content, pieces", BAD_FILES)
def test_bad_file_is_one_clear_line(tmp_path, content, pieces):
    p = write(tmp_path, content)
    with pytest.raises(DataError) as e:
        load_csv(p)
    msg = str(e.value)
    assert "\n" not in msg
    for piece in pieces:
        assert piece in msg, msg


def test_data_error_is_a_univ_error():
    assert issubclass(DataError, UnivError) and issubclass(DataError, ValueError)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_csv(tmp_path / "nope.csv")


def test_directory_is_not_a_file(tmp_path):
    with pytest.raises(DataError, match="not a file"):
        load_csv(tmp_path)


def test_empty_file(tmp_path):
    with pytest.raises(DataError, match="is empty"):
        load_csv(write(tmp_path, ""))


def test_binary_file(tmp_path):
    p = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), name="img.csv", mode="b")
    with pytest.raises(DataError, match="not a text file"):
        load_csv(p)


def test_not_utf8(tmp_path):
    p = write(tmp_path, "temp\xe9rature,y\n0,0\n1,1\n2,2\n3,3\n".encode("latin-1"), mode="b")
    with pytest.raises(DataError, match="not UTF-8"):
        load_csv(p)


def test_one_huge_line_is_refused_before_parsing(tmp_path):
    p = write(tmp_path, "1," * 20_000 + "1\n")
    with pytest.raises(DataError, match="longer than"):
        load_csv(p)


def test_too_many_rows_refused_while_scanning(tmp_path, monkeypatch):
    p = write(tmp_path, b"1,1\n" * (limits.MAX_DATA_ROWS + 2), mode="b")  # 40 MB: the real limit

    def never(*args, **kwargs):
        raise AssertionError("the file was parsed before its size was checked")

    monkeypatch.setattr(np, "loadtxt", never)
    with pytest.raises(DataError, match="more than 10,000,000 rows"):
        load_csv(p)


def test_too_many_2d_rows_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_DATA_ROWS_2D", 10)
    p = write(tmp_path, "".join(f"{i},{i % 3},{i}\n" for i in range(20)))
    monkeypatch.setattr(np, "loadtxt", lambda *a, **k: (_ for _ in ()).throw(AssertionError("parsed")))
    with pytest.raises(DataError, match="more than 10 rows"):
        load_csv(p)


@pytest.mark.parametrize("holdout", [-0.1, 0.95, 1.0, float("nan"), "0.2", True])
def test_holdout_out_of_range(tmp_path, holdout):
    with pytest.raises(ConfigError, match="holdout"):
        load_csv(write(tmp_path, GOOD), holdout=holdout)


def test_holdout_must_leave_four_training_points(tmp_path):
    p = write(tmp_path, "x,y\n" + "".join(f"{i},{i * i}\n" for i in range(6)))
    with pytest.raises(DataError, match="at least 4"):
        load_csv(p, holdout=0.5)  # 3 held out of 6 leaves 3
    t = load_csv(p, holdout=0.3)  # 2 held out leaves 4
    assert len(t.samples[0]) == 4 and len(t.holdout[0]) == 2


# -- good files ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "x,y\n0,0\n1,2\n2,1\n3,4\n",  # header
        "0,0\n1,2\n2,1\n3,4\n",  # no header
        "\ufeffx,y\r\n0,0\r\n1,2\r\n2,1\r\n3,4\r\n",  # BOM and CRLF, as spreadsheets save
        "# measured today\nx;y\n0;0\n1;2\n\n2;1\n3;4  # last\n",  # comments, a blank line, semicolons
        "x\ty\n0\t0\n1\t2\n2\t1\n3\t4\n",  # tabs
        "0 0\n1   2\n2 1\n3 4\n",  # blanks
        '"x","y"\n"0","0"\n"1","2"\n"2","1"\n"3","4"\n',  # quoted
        "x,y\n3,4\n1,2\n0,0\n2,1\n1,2\n",  # unsorted, an identical duplicate merged
    ],
)
def test_formats_load_to_the_same_samples(tmp_path, text):
    t = load_csv(write(tmp_path, text))
    assert t.dimension == 1 and t.domain == ((0.0, 3.0),)
    np.testing.assert_array_equal(t.samples[0], [0, 1, 2, 3])
    np.testing.assert_array_equal(t.samples[1], [0, 2, 1, 4])
    assert t.holdout is None


def test_1d_interpolant_between_samples(tmp_path):
    t = load_csv(write(tmp_path, GOOD))
    np.testing.assert_allclose(t([0, 0.25, 1, 1.5, 2.75, 3]), [0, 0.5, 2, 1.5, 3.25, 4])
    np.testing.assert_allclose(
        t.evaluate(np.linspace(0, 3, 7)), np.interp(np.linspace(0, 3, 7), [0, 1, 2, 3], [0, 2, 1, 4])
    )
    assert t.text == "data.csv" and "data" in t.latex
    t.check()  # a data target passes the finiteness and pole checks


def test_from_samples_arrays():
    x = np.array([3.0, 0.0, 2.0, 1.0])
    t = target_from_samples(x, x**2, name="squares")
    assert t.text == "squares" and t.domain == ((0.0, 3.0),)
    np.testing.assert_allclose(t(1.5), 2.5)
    with pytest.raises(DataError, match="differ in length"):
        target_from_samples([0, 1, 2, 3], [0, 1, 2])
    with pytest.raises(DataError, match="sample 2"):
        target_from_samples([0, 1, 2, 3], [0, np.nan, 2, 3])
    with pytest.raises(DataError, match="numbers"):
        target_from_samples(["a", "b", "c", "d"], [0, 1, 2, 3])


def test_2d_interpolant_exact_at_samples_and_linear_in_a_triangle():
    rng = np.random.default_rng(1)
    x, y = rng.uniform(-2, 3, 40), rng.uniform(10, 11, 40)
    z = np.sin(x) * np.cos(3 * y)
    t = target_from_samples(x, y, z, name="wave")
    assert t.dimension == 2 and t.domain == ((x.min(), x.max()), (y.min(), y.max()))
    np.testing.assert_allclose(t(x, y), z, atol=1e-12)
    # inside a triangle the target is the plane through its corners: a barycentric mix of the corner values
    from scipy.spatial import Delaunay

    tri = Delaunay(np.column_stack([(x - x.min()) / np.ptp(x), (y - y.min()) / np.ptp(y)]))
    for s in tri.simplices[:5]:
        w = rng.dirichlet([1, 1, 1], size=6)  # (6, 3) barycentric weights
        px, py = w @ x[s], w @ y[s]
        np.testing.assert_allclose(t(px, py), w @ z[s], atol=1e-10)


def test_2d_outside_the_hull_takes_the_nearest_sample():
    x = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    y = np.array([0.0, 0.0, 1.0, 1.0, 0.5])
    z = np.array([1.0, 2.0, 3.0, 4.0, 9.0])
    t = target_from_samples(x, y, z)
    np.testing.assert_allclose(t(0.5, 0.5), 9.0)
    # a triangle-shaped cloud: the box corner (1, 1) is outside its hull
    t = target_from_samples([0, 1, 0, 0.2], [0, 0, 1, 0.2], [1, 2, 3, 7])
    assert np.isfinite(t.evaluate(1.0, 1.0))
    np.testing.assert_allclose(t(0.95, 0.9), 2.0)  # nearer (1, 0) than (0, 1)
    t.check()


def test_2d_file(tmp_path):
    t = load_csv(write(tmp_path, "x,y,z\n0,0,1\n1,0,2\n0,1,3\n1,1,4\n"))
    assert t.variables == ("x", "y")
    np.testing.assert_allclose(t(0.5, 0.0), 1.5)


def test_holdout_sizes_and_determinism(tmp_path):
    p = write(tmp_path, "x,y\n" + "".join(f"{i / 10},{np.sin(i / 10):.6f}\n" for i in range(100)))
    a, b, c = load_csv(p, holdout=0.2, seed=3), load_csv(p, holdout=0.2, seed=3), load_csv(p, holdout=0.2, seed=4)
    assert len(a.samples[0]) == 80 and len(a.holdout[0]) == 20
    np.testing.assert_array_equal(a.holdout[0], b.holdout[0])
    assert not np.array_equal(a.holdout[0], c.holdout[0])
    # the ends stay in training, so the domain is the same and held-out points are inside it
    assert a.domain == c.domain == load_csv(p).domain == ((0.0, 9.9),)
    assert set(a.samples[0]).isdisjoint(a.holdout[0])
    assert sorted(np.concatenate([a.samples[0], a.holdout[0]])) == sorted(load_csv(p).samples[0])
    # the target interpolates only the training samples
    held_x = a.holdout[0][0]
    left, right = a.samples[0][a.samples[0] < held_x].max(), a.samples[0][a.samples[0] > held_x].min()
    lv, rv = np.sin(left).round(6), np.sin(right).round(6)
    np.testing.assert_allclose(a(held_x), lv + (rv - lv) * (held_x - left) / (right - left), atol=1e-9)
    assert len(load_csv(p, holdout=0.9).samples[0]) == 10


def test_2d_holdout_keeps_the_hull():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 1, 50), rng.uniform(0, 1, 50)
    t = target_from_samples(x, y, x + y, holdout=0.3, seed=7)
    assert len(t.samples[0]) == 35 and len(t.holdout[0]) == 15
    assert t.domain == ((x.min(), x.max()), (y.min(), y.max()))


def test_looks_like_data_file(tmp_path):
    assert looks_like_data_file("data.csv") and looks_like_data_file("M.TSV")
    assert looks_like_data_file(tmp_path / "a.txt")
    assert not looks_like_data_file("sin(3x)") and not looks_like_data_file("x^2") and not looks_like_data_file(3)


# -- the shipped CO2 series ---------------------------------------------------------------------------------------
def test_shipped_co2_file_loads():
    t = load_csv(CO2)
    assert t.dimension == 1 and len(t.samples[0]) == 313
    ((a, b),) = t.domain
    assert 1990 < a < 1990.1 and 1995.9 < b < 1996
    assert t.samples[1].min() == 350.7 and t.samples[1].max() == 364.1
    assert "co2" in t.latex and t.text == "co2.csv"


def test_relu_construction_on_co2_and_errors_on_the_samples():
    t = load_csv(CO2, holdout=0.2, seed=0)
    coarse = sample_errors(univ.construct(t, neurons=40, method="relu"), t)
    fine = sample_errors(univ.construct(t, neurons=1000, method="relu"), t)
    assert coarse["sample_points"] == 250 and coarse["holdout_points"] == 63
    assert fine["sample_rmse"] < coarse["sample_rmse"] / 5
    assert fine["sample_rmse"] < 0.1 and fine["sample_max_error"] < 0.5  # ppm, on a series spanning ~12 ppm
    # held-out points are measured too, and on noisy data they keep an honest, larger error
    assert fine["holdout_rmse"] is not None and fine["holdout_rmse"] > fine["sample_rmse"]
    report = univ.measure(univ.construct(t, neurons=1000, method="relu"), t)
    assert report.max_error < 0.5


def test_sample_errors_without_holdout_and_on_a_formula():
    t = target_from_samples([0, 1, 2, 3], [0, 1, 4, 9])
    net = univ.construct(t, neurons=3, method="relu")
    out = sample_errors(net, t)
    assert out["sample_max_error"] < 1e-9 and out["holdout_rmse"] is None and out["holdout_points"] == 0
    with pytest.raises(ConfigError, match="not a data target"):
        sample_errors(net, univ.parse("x^2"))


def test_2d_interpolant_matches_scipy_linear_nd_with_nearest_outside():
    from scipy.interpolate import LinearNDInterpolator, NearestNDInterpolator

    rng = np.random.default_rng(5)
    x, y, z = rng.uniform(-3, 5, 40), rng.normal(100, 0.01, 40), rng.normal(size=40)  # very different scales
    t = target_from_samples(x, y, z)
    qx, qy = rng.uniform(x.min(), x.max(), 5000), rng.uniform(y.min(), y.max(), 5000)
    unit = np.column_stack([(x - x.min()) / np.ptp(x), (y - y.min()) / np.ptp(y)])
    q = np.column_stack([(qx - x.min()) / np.ptp(x), (qy - y.min()) / np.ptp(y)])
    linear = LinearNDInterpolator(unit, z)(q)
    expected = np.where(np.isnan(linear), NearestNDInterpolator(unit, z)(q), linear)
    assert np.isnan(linear).any()  # some of the box is outside the hull
    np.testing.assert_allclose(t(qx, qy), expected, atol=1e-12)
    assert t(qx.reshape(50, 100), qy.reshape(50, 100)).shape == (50, 100)
