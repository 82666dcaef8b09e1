"""cossim.audit: random-D audit of the cosine similarity of embeddings, and its command line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cossim.__main__ import main
from cossim.auditing import PREDICTION_TOLERANCE, audit
from cossim.auditing.core import original_space_items
from cossim.auditing.files import EmbeddingFileError, load_embeddings
from cossim.model.similarity import item_item_cosine, user_embeddings
from cossim.model.simulate import SimulationSpec, simulate
from cossim.model.solve import eq1_shrinkage, solve_eq1, solve_eq2, top_right_singular_spectrum


@pytest.fixture(scope="module")
def small_fits():
    """Eq. 1 and Eq. 2 closed forms on a small simulation (the paper's design at a small size)."""
    spec = SimulationSpec(n_users=2000, n_items=120, max_items_per_user=120)
    data = simulate(spec, np.random.default_rng(5))
    spectrum = top_right_singular_spectrum(data.interactions, 12)
    eq1, eq2 = solve_eq1(spectrum, 300.0), solve_eq2(spectrum, 20.0)
    users = np.arange(data.interactions.shape[0])
    return {
        "data": data, "spectrum": spectrum, "eq1": eq1, "eq2": eq2,
        "P1": user_embeddings(data.interactions, eq1.A, users), "P2": user_embeddings(data.interactions, eq2.A, users),
    }


def gaussian(seed, *shape):
    return np.random.default_rng(seed).standard_normal(shape)


def test_predictions_are_invariant_in_every_draw_and_inputs_unchanged():
    B, P = gaussian(0, 300, 8), gaussian(1, 200, 8)
    B_copy, P_copy = B.copy(), P.copy()
    result = audit(B, P, draws=6, seed=4)
    assert np.array_equal(B, B_copy) and np.array_equal(P, P_copy) and B.flags.writeable
    assert result.predictions.invariant and result.predictions.source == "given user embeddings"
    assert result.predictions.max_relative_change <= PREDICTION_TOLERANCE
    base = P @ B.T
    for d in result.d:
        assert np.max(np.abs((P * d) @ (B / d).T - base)) <= PREDICTION_TOLERANCE * np.max(np.abs(base))
    assert result.d.shape == (6, 8) and np.all(result.d > 0)


def test_items_only_checks_predictions_with_a_probe():
    result = audit(gaussian(2, 100, 5), draws=3)
    assert result.users is None and result.user_item is None and result.original_space is None
    assert result.predictions.invariant and "probe" in result.predictions.source


def test_one_nonzero_coordinate_per_row_is_left_unchanged_by_any_d():
    rng = np.random.default_rng(3)
    p, n, k = 400, 150, 6
    B = np.zeros((p, k))
    B[np.arange(p), rng.integers(0, k, p)] = rng.choice([-1, 1], p) * rng.uniform(0.1, 5.0, p)
    P = np.zeros((n, k))
    P[np.arange(n), rng.integers(0, k, n)] = rng.uniform(0.1, 5.0, n)
    result = audit(B, P, draws=5, log_sd=2.0, queries=50)
    for shift in (result.items, result.users):
        assert shift.overlap_mean == 1.0 and shift.overlap_p05 == 1.0
        assert shift.rank_correlation == 1.0 and shift.max_abs_change <= 1e-12
    # user-item: D still moves the item normaliser, but not for a user and an item on the same axis
    assert result.user_item.max_abs_change > 0


def test_an_eq1_closed_form_agrees_with_the_recovery_studys_random_d(small_fits):
    from cossim.recovery.dsweep import lognormal_d, random_d_scores

    fit, spectrum, data = small_fits["eq1"], small_fits["spectrum"], small_fits["data"]
    p, k, neighbours = fit.B.shape[0], fit.B.shape[1], 10
    result = audit(fit.B, draws=8, seed=3, queries=p, neighbours=neighbours)
    # the same random D as the recovery study's, for the same seed and spread
    d = lognormal_d(np.random.default_rng(3), 8, k, 1.0)
    assert np.array_equal(result.d, d)
    # exhaustive queries: the overlap is that of the recovery study's matrices, item by item
    root_g = np.sqrt(eq1_shrinkage(spectrum.sigma, fit.lam))
    reference = item_item_cosine(spectrum.V * root_g)
    np.fill_diagonal(reference, -np.inf)
    kth = -np.sort(-reference, axis=1)[:, neighbours - 1]
    for j, row in enumerate(d):
        S = item_item_cosine(spectrum.V * (root_g / row))
        np.fill_diagonal(S, -np.inf)
        top = np.argsort(-S, axis=1)[:, :neighbours]
        brute = (np.take_along_axis(reference, top, axis=1) >= kth[:, None] - 1e-12).mean(axis=1)
        np.testing.assert_allclose(result.items.overlap[:, j], brute, atol=1e-12)
    assert result.items.overlap_mean_se == 0.0 and result.items.overlap_p05_se == 0.0
    # the recovery study's random-D spread of precision@10 is bounded by what the audit says moved
    scores = random_d_scores(spectrum, fit.lam, data.item_cluster, np.vstack([np.ones(k), d]), k=neighbours)
    precision = scores[:, 1]
    assert np.all(np.abs(precision[1:] - precision[0]) <= 1 - result.items.per_candidate_overlap + 1e-9)
    assert np.std(precision[1:]) > 0 and result.items.overlap_mean < 0.95
    # a sample of queries estimates the exhaustive mean within its stated sampling error
    sampled = audit(fit.B, draws=8, seed=3, queries=40, neighbours=neighbours)
    assert 0 < sampled.items.overlap_mean_se < 0.1
    assert abs(sampled.items.overlap_mean - result.items.overlap_mean) <= 4 * sampled.items.overlap_mean_se


def test_eq2_has_the_same_freedom_in_its_predictions(small_fits):
    """Eq. 2 pins D through its objective; its predictions leave D as free as Eq. 1's do."""
    eq2 = audit(small_fits["eq2"].B, small_fits["P2"], draws=6, seed=1)
    assert eq2.predictions.invariant and eq2.items.overlap_mean < 0.95
    assert "regulariser" in eq2.summary() and "cannot see" in eq2.summary()


def test_original_space_cosine_is_d_free_and_is_the_cosine_of_the_columns_of_pbt(small_fits):
    fit, P = small_fits["eq1"], small_fits["P1"]
    E = original_space_items(P, fit.B)
    predictions = P @ fit.B.T
    np.testing.assert_allclose(item_item_cosine(E), item_item_cosine(predictions.T), atol=1e-10)
    d = np.exp(gaussian(9, fit.B.shape[1]))
    np.testing.assert_allclose(item_item_cosine(original_space_items(P * d, fit.B / d)), item_item_cosine(E),
                               atol=1e-10)
    result = audit(fit.B, P, draws=4)
    assert result.original_space_given.overlap.shape[1] == 1
    assert result.original_space.overlap.shape[1] == 4
    assert 0 <= result.original_space_given.overlap_mean <= 1


def test_sampled_pairs_and_errors():
    result = audit(gaussian(4, 30, 4), draws=3, queries=1000, pairs=1000, neighbours=3)
    shift = result.items
    assert shift.queries.size == 30 and shift.pairs_exhaustive and shift.pairs == 30 * 29 // 2
    assert shift.overlap_mean_se == 0.0 and shift.rank_correlation_se == 0.0
    big = audit(gaussian(4, 3000, 4), draws=3, pairs=500)
    assert not big.items.pairs_exhaustive and big.items.rank_correlation_se > 0
    with pytest.raises(ValueError, match="neighbours"):
        audit(gaussian(4, 5, 3), neighbours=5)
    with pytest.raises(ValueError, match="dimensions"):
        audit(gaussian(4, 5, 3), gaussian(5, 5, 4))
    with pytest.raises(ValueError, match="non-finite"):
        audit(np.array([[1.0, np.nan], [0.0, 1.0], [1.0, 1.0]]))


def test_command_line_report_json_and_plot(tmp_path, capsys):
    path = tmp_path / "emb.npz"
    np.savez(path, items=gaussian(6, 200, 6), users=gaussian(7, 150, 6))
    out_json, out_png = tmp_path / "audit.json", tmp_path / "audit.png"
    assert main(["audit", str(path), "--draws", "4", "--json", str(out_json), "--plot", str(out_png)]) == 0
    printed = capsys.readouterr().out
    assert "Answer:" in printed and "cannot see" in printed and "user-item" in printed
    report = json.loads(out_json.read_text())
    assert report["predictions"]["invariant"] and report["items"]["neighbours"] == 10
    assert {"items", "users", "user_item", "original_space", "original_space_given"} <= set(report)
    assert out_png.read_bytes()[:4] == b"\x89PNG"


def test_csv_npy_and_workflow_fit_files_are_read(tmp_path, small_fits):
    B = gaussian(8, 20, 3)
    np.savetxt(tmp_path / "items.csv", B, delimiter=",", header="a,b,c", comments="")
    np.save(tmp_path / "items.npy", B)
    np.savetxt(tmp_path / "users.csv", B[:7], delimiter=",")
    items, users = load_embeddings(tmp_path / "items.csv", tmp_path / "users.csv")
    np.testing.assert_allclose(items, B, rtol=1e-15) and np.testing.assert_allclose(users, B[:7], rtol=1e-15)
    assert load_embeddings(tmp_path / "items.npy")[1] is None
    from cossim.model.solve import fit_arrays

    np.savez(tmp_path / "eq1.npz", **fit_arrays(small_fits["eq1"]))
    items, users = load_embeddings(tmp_path / "eq1.npz")
    assert np.array_equal(items, small_fits["eq1"].B) and users is None


@pytest.mark.parametrize("name, content, expected", [
    ("missing.npz", None, "no such file"),
    ("emb.parquet", b"x", "expected a .npz, .npy or .csv"),
    ("emb.npz", b"not a zip", "not a readable .npz"),
    ("ragged.csv", b"1,2,3\n4,5\n", "same number of columns"),
    ("words.csv", b"a,b\nc,d\n", "numbers separated by commas"),
    ("one.csv", b"1,2,3\n", "at least 2 rows"),
])
def test_bad_files_are_refused_naming_the_file(tmp_path, capsys, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert main(["audit", str(path)]) == 2
    error = capsys.readouterr().err
    assert str(path) in error and expected in error


def test_bad_arrays_are_refused(tmp_path):
    np.savez(tmp_path / "keys.npz", embeddings=np.ones((3, 2)))
    with pytest.raises(EmbeddingFileError, match="items, item_embeddings, B, Q; the archive holds: embeddings"):
        load_embeddings(tmp_path / "keys.npz")
    np.save(tmp_path / "flat.npy", np.ones(5))
    with pytest.raises(EmbeddingFileError, match=r"flat.npy: item embeddings must be a 2-D array"):
        load_embeddings(tmp_path / "flat.npy")
    np.save(tmp_path / "nan.npy", np.array([[1.0, np.nan], [1.0, 2.0]]))
    with pytest.raises(EmbeddingFileError, match="row 0, column 1"):
        load_embeddings(tmp_path / "nan.npy")
    np.savez(tmp_path / "mismatch.npz", B=np.ones((3, 2)), P=np.ones((3, 4)))
    with pytest.raises(EmbeddingFileError, match="mismatch.npz: user embeddings have 4 columns"):
        load_embeddings(tmp_path / "mismatch.npz")
    np.save(tmp_path / "text.npy", np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(EmbeddingFileError, match="must be numbers"):
        load_embeddings(tmp_path / "text.npy")


def test_the_audit_is_exported_as_cossim_audit():
    import cossim
    import cossim.auditing.cli  # noqa: F401 (importing the tool's modules never shadows the function)

    result = cossim.audit(gaussian(10, 40, 3), draws=2)
    assert result.items.neighbours == 10 and result.draws == 2
    assert "audit" in cossim.__all__ and "AuditResult" in cossim.__all__


def with_zero_rows(E, rows):
    """A copy of E with the given rows set to exact zeros (embeddings of zero length)."""
    E = E.copy()
    E[rows] = 0.0
    return E


def test_rows_of_zero_length_are_left_out_and_counted():
    """A zero row has no direction: the audit is that of the other rows (same seed), in input row numbers."""
    zero_items, zero_users = [0, 17, 299], [5, 6]
    B, P = with_zero_rows(gaussian(12, 300, 6), zero_items), with_zero_rows(gaussian(13, 200, 6), zero_users)
    item_rows, user_rows = np.setdiff1d(np.arange(300), zero_items), np.setdiff1d(np.arange(200), zero_users)
    options = dict(draws=4, seed=2, queries=50, pairs=3000, neighbours=5)
    result = audit(B, P, **options)
    alone = audit(B[item_rows], P[user_rows], **options)
    assert (result.n_items, result.n_users, result.zero_length_items, result.zero_length_users) == (300, 200, 3, 2)
    assert (alone.zero_length_items, alone.zero_length_users) == (0, 0)
    report = result.to_dict()
    assert report["zero_length_items"] == 3 and report["zero_length_users"] == 2
    assert "Left out: 3 items and 2 users of zero length" in result.summary()
    assert "over the other 297 items and 198 users" in result.summary() and "Left out" not in alone.summary()
    assert vars(result.predictions) == vars(alone.predictions) and np.array_equal(result.d, alone.d)
    rows = {"items": (item_rows, item_rows), "users": (user_rows, user_rows), "user_item": (user_rows, item_rows),
            "original_space": (item_rows, item_rows), "original_space_given": (item_rows, item_rows)}
    for key, shift in result.shifts().items():
        other = alone.shifts()[key]
        assert shift.to_dict() == other.to_dict() and shift.population == other.population
        assert np.array_equal(shift.overlap, other.overlap)
        query_rows, neighbour_rows = rows[key]
        assert np.array_equal(shift.queries, query_rows[other.queries])
        assert np.array_equal(shift.neighbour_lists, neighbour_rows[other.neighbour_lists])
        zero_queries = zero_items if key != "users" and key != "user_item" else zero_users
        zero_neighbours = zero_users if key == "users" else zero_items
        assert not np.isin(shift.queries, zero_queries).any()
        assert not np.isin(shift.neighbour_lists, zero_neighbours).any()
    assert result.items.population == 297 and result.users.population == 198


def test_rows_of_zero_length_are_left_out_of_every_statistic_by_brute_force():
    """Exhaustive queries and pairs: the statistics are those of the defined cosines (NaN left out) alone."""
    from scipy.stats import spearmanr

    from cossim.model.similarity import cosine_changes, cosine_similarity

    zero = [2, 9, 30]
    B, k = with_zero_rows(gaussian(14, 40, 4), zero), 4
    result = audit(B, draws=3, seed=6, queries=40, pairs=10_000, neighbours=k)
    shift = result.items
    assert result.zero_length_items == 3 and shift.population == 37 and shift.pairs == 37 * 36 // 2
    assert np.array_equal(shift.queries, np.setdiff1d(np.arange(40), zero)) and shift.pairs_exhaustive
    reference = cosine_similarity(B)
    defined = ~np.isnan(reference)
    assert defined.sum() == 37 * 37
    upper = np.triu(defined, 1)
    np.fill_diagonal(reference, -np.inf)
    for c, row in enumerate(result.d):
        cosines = cosine_similarity(B / row)
        changes = cosine_changes(cosines, cosine_similarity(B))
        assert changes.size == 37 * 37 and np.all(np.isfinite(changes))
        rho = spearmanr(reference[upper], cosines[upper]).statistic
        np.testing.assert_allclose(shift.per_candidate_rank_correlation[c], rho, atol=1e-12)
        np.fill_diagonal(cosines, -np.inf)
        for q, item in enumerate(shift.queries):
            top = np.flatnonzero(defined[item])[np.argsort(-cosines[item][defined[item]], kind="stable")[:k]]
            assert np.array_equal(shift.neighbour_lists[q, c + 1], top)
            kth = np.sort(reference[item][defined[item]])[-k]
            np.testing.assert_allclose(shift.overlap[q, c], np.mean(reference[item, top] >= kth - 1e-12))
    changes = np.concatenate([cosine_changes(cosine_similarity(B / row), cosine_similarity(B)) for row in result.d])
    np.testing.assert_allclose(shift.max_abs_change, changes.max(), atol=1e-12)


def test_too_few_rows_of_non_zero_length_are_refused():
    B = with_zero_rows(gaussian(15, 12, 3), np.arange(1, 12))
    with pytest.raises(ValueError, match=r"for 1 items of non-zero length \(11 of zero length left out\)"):
        audit(B, neighbours=1)
    with pytest.raises(ValueError, match=r"users of non-zero length \(3 of zero length left out\)"):
        audit(gaussian(16, 12, 3), with_zero_rows(gaussian(17, 6, 3), [0, 1, 2]), neighbours=3)


def test_command_line_counts_rows_of_zero_length(tmp_path, capsys):
    path = tmp_path / "emb.npz"
    np.savez(path, items=with_zero_rows(gaussian(18, 200, 6), [4]), users=with_zero_rows(gaussian(19, 150, 6), [0, 1]))
    out_json, out_png = tmp_path / "audit.json", tmp_path / "audit.png"
    assert main(["audit", str(path), "--draws", "3", "--json", str(out_json), "--plot", str(out_png)]) == 0
    assert "Left out: 1 item and 2 users of zero length" in capsys.readouterr().out
    report = json.loads(out_json.read_text())
    assert report["zero_length_items"] == 1 and report["zero_length_users"] == 2
    assert report["items"]["population"] == 199 and report["users"]["population"] == 148
    import matplotlib.pyplot as plt

    from cossim.auditing.plot import draw_audit

    figure, plain = (draw_audit(audit(B, draws=3)) for B in (with_zero_rows(gaussian(18, 200, 6), [4]),
                                                            gaussian(18, 200, 6)))
    texts = [text.get_text() for text in figure.texts]
    assert any("Left out: 1 item of zero length" in text and "in this figure" in text for text in texts)
    assert not plain.texts
    plt.close(figure), plt.close(plain)
