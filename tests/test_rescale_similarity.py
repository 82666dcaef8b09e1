"""Eq. 3 re-scalings, the Case A / Case B results of Section 2.2, and cosine similarities."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from cossim.model.rescale import NAMED_EQ1_SCALINGS, case_a, case_b, implied_d, rescale
from cossim.model.similarity import (
    cosine_similarity,
    item_item_cosine,
    normalise_rows,
    sample_users,
    user_item_cosine,
    user_user_cosine,
)
from cossim.model.solve import eq1_shrinkage, right_singular_spectrum, solve_eq1, solve_eq2


def full_rank_data(seed=0, n=300, p=15):
    """Binary X with full column rank (every item has interactions, n >> p, random pattern)."""
    rng = np.random.default_rng(seed)
    X = sp.csr_matrix((rng.random((n, p)) < 0.3).astype(float))
    assert np.linalg.matrix_rank(X.toarray()) == p
    return X


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), log_d=st.lists(st.floats(-3, 3), min_size=5, max_size=5))
def test_eq1_product_invariant_under_d_but_item_cosine_is_not(seed, log_d):
    X = full_rank_data(seed % 7)
    fit = solve_eq1(right_singular_spectrum(X).truncate(5), lam=20.0)
    d = np.exp(np.array(log_d))
    A, B = rescale(fit.A, fit.B, d)
    product = fit.A @ fit.B.T
    assert np.max(np.abs(A @ B.T - product)) <= 1e-12 * np.max(np.abs(product)) * np.max(d) / np.min(d)
    if np.ptp(log_d) > 1.0:
        assert np.max(np.abs(item_item_cosine(B) - item_item_cosine(fit.B))) > 1e-3


def test_rescale_refuses_a_singular_d():
    A = np.ones((4, 2))
    with pytest.raises(ValueError, match="invertible"):
        rescale(A, A, np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="shape"):
        rescale(A, A, np.ones(3))


@pytest.mark.parametrize("name", sorted(NAMED_EQ1_SCALINGS))
def test_named_scalings_are_all_eq1_optima(name):
    """Every named choice keeps a * b = g, so A B^T is Eq. 5's product."""
    sigma = np.array([9.0, 4.0, 1.0, 0.0])
    a, b = NAMED_EQ1_SCALINGS[name](sigma, 3.0)
    np.testing.assert_allclose(a * b, eq1_shrinkage(sigma, 3.0), atol=1e-15)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(b))


def test_implied_d_recovers_case_a_and_case_b():
    sigma = np.array([9.0, 4.0, 1.0])
    g = eq1_shrinkage(sigma, 3.0)
    np.testing.assert_allclose(implied_d(sigma, 3.0, case_a(sigma, 3.0)[1]), g**0.5)
    np.testing.assert_allclose(implied_d(sigma, 3.0, case_b(sigma, 3.0)[1]), g**-0.5)


def test_case_a_item_cosine_is_identity_at_full_rank():
    X = full_rank_data(1)
    spectrum = right_singular_spectrum(X)
    _, b = case_a(spectrum.sigma, 50.0)
    np.testing.assert_allclose(item_item_cosine(spectrum.V * b), np.eye(X.shape[1]), atol=1e-10)


def test_case_a_user_item_cosine_ranks_like_the_dot_product():
    X = full_rank_data(2)
    spectrum = right_singular_spectrum(X)
    a, b = case_a(spectrum.sigma, 50.0)
    users = np.arange(40)
    cosine = user_item_cosine(X, spectrum.V * a, spectrum.V * b, users)
    fit = solve_eq1(spectrum, 50.0)
    dot = X[users] @ fit.A @ fit.B.T
    np.testing.assert_array_equal(np.argsort(-cosine, axis=1, kind="stable"), np.argsort(-dot, axis=1, kind="stable"))


def test_case_b_user_cosine_is_raw_data_cosine():
    X = full_rank_data(3)
    spectrum = right_singular_spectrum(X)
    a, _ = case_b(spectrum.sigma, 50.0)
    users = np.arange(0, 300, 7)
    raw = cosine_similarity(X[users].toarray())
    np.testing.assert_allclose(user_user_cosine(X, spectrum.V * a, users), raw, atol=1e-10)


def test_eq2_cosines_are_rotation_invariant():
    X = full_rank_data(4)
    fit = solve_eq2(right_singular_spectrum(X).truncate(6), lam=5.0)
    R, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(6, 6)))
    users = np.arange(50)
    np.testing.assert_allclose(item_item_cosine(fit.B @ R), item_item_cosine(fit.B), atol=1e-12)
    np.testing.assert_allclose(user_user_cosine(X, fit.A @ R, users), user_user_cosine(X, fit.A, users), atol=1e-12)
    np.testing.assert_allclose(
        user_item_cosine(X, fit.A @ R, fit.B @ R, users), user_item_cosine(X, fit.A, fit.B, users), atol=1e-12
    )


def test_zero_rows_have_an_undefined_cosine_row_and_column_diagonal_included():
    M = np.array([[1.0, 0.0], [0.0, 0.0], [2.0, 2.0]])
    C = cosine_similarity(M)
    assert np.all(np.isnan(C[1])) and np.all(np.isnan(C[:, 1]))
    np.testing.assert_allclose(C[[0, 2]][:, [0, 2]], [[1.0, 2**-0.5], [2**-0.5, 1.0]])
    # the projection Omega keeps a zero row zero (unit-norm training relies on it)
    np.testing.assert_allclose(np.linalg.norm(normalise_rows(M), axis=1), [1.0, 0.0, 1.0])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), zero_rows=st.lists(st.booleans(), min_size=6, max_size=6))
def test_cosine_is_nan_exactly_where_a_row_has_zero_length(seed, zero_rows):
    rng = np.random.default_rng(seed)
    left, right = rng.normal(size=(6, 3)), rng.normal(size=(5, 3))
    zero = np.array(zero_rows)
    left[zero] = 0.0
    right[zero[:5]] = 0.0
    C, D = cosine_similarity(left), cosine_similarity(left, right)
    np.testing.assert_array_equal(np.isnan(C), zero[:, None] | zero[None, :])
    np.testing.assert_array_equal(np.isnan(D), zero[:, None] | zero[None, :5])
    with np.errstate(invalid="ignore"):
        unit = left / np.linalg.norm(left, axis=1, keepdims=True)
    defined = ~zero
    np.testing.assert_allclose(C[np.ix_(defined, defined)], (unit @ unit.T)[np.ix_(defined, defined)], atol=1e-12)


def test_users_without_interactions_have_exact_zero_embeddings_and_undefined_cosines():
    X = full_rank_data(3).tolil()
    X[[2, 5], :] = 0.0  # two users without interactions
    X = X.tocsr()
    X.eliminate_zeros()
    fit = solve_eq1(right_singular_spectrum(X).truncate(4), 2.0)
    users = np.arange(8)
    P = np.asarray(X[users] @ fit.A)
    assert np.all(P[[2, 5]] == 0.0) and np.all(np.linalg.norm(np.delete(P, [2, 5], axis=0), axis=1) > 0)
    UU, UI = user_user_cosine(X, fit.A, users), user_item_cosine(X, fit.A, fit.B, users)
    empty = np.isin(users, [2, 5])
    np.testing.assert_array_equal(np.isnan(UU), empty[:, None] | empty[None, :])
    np.testing.assert_array_equal(np.isnan(UI), np.repeat(empty[:, None], UI.shape[1], axis=1))


def test_user_sample_is_sorted_distinct_and_bounded():
    users = sample_users(np.random.default_rng(0), 1000, 64)
    assert users.size == 64 and np.all(np.diff(users) > 0)
    assert sample_users(np.random.default_rng(0), 10, 64).size == 10
