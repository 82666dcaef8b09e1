"""Files: byte-reproducible npz, scipy compatibility, atomic writes."""

import numpy as np
import pytest
import scipy.sparse as sp

from cossim.io import atomic_path, load_interactions, load_items, save_interactions, save_items, save_npz


def test_npz_bytes_depend_only_on_the_arrays(tmp_path):
    arrays = {"a": np.arange(5.0), "b": np.eye(3)}
    save_npz(tmp_path / "one.npz", arrays, compress=True)
    save_npz(tmp_path / "two.npz", arrays, compress=True)
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    with np.load(tmp_path / "one.npz") as loaded:
        np.testing.assert_array_equal(loaded["b"], np.eye(3))


def test_interactions_round_trip_through_scipy(tmp_path):
    X = sp.random(50, 20, density=0.1, format="csr", random_state=0)
    save_interactions(tmp_path / "x.npz", X)
    assert (sp.load_npz(tmp_path / "x.npz") != X).nnz == 0
    assert load_interactions(tmp_path / "x.npz").dtype == np.float64


def test_items_round_trip_exactly(tmp_path):
    clusters, pops = np.array([0, 2, 1]), np.array([1.0, 1 / 3, 2.0**-0.7])
    save_items(tmp_path / "items.csv", clusters, pops)
    got_clusters, got_pops = load_items(tmp_path / "items.csv")
    np.testing.assert_array_equal(got_clusters, clusters)
    np.testing.assert_array_equal(got_pops, pops)


def test_atomic_path_leaves_nothing_when_the_writer_fails(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_atomic_path_removes_the_debris_of_a_killed_writer(tmp_path):
    target = tmp_path / "out.npz"
    debris = tmp_path / ".out.npz.k1ll3d.npz"
    debris.write_bytes(b"half a zip")
    unrelated = tmp_path / ".other.npz.abc.npz"
    unrelated.write_bytes(b"not ours")
    with atomic_path(target) as temporary:
        temporary.write_bytes(b"whole")
    assert target.read_bytes() == b"whole"
    assert not debris.exists() and unrelated.exists()
