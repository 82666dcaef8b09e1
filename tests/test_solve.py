"""Closed forms of Eq. 1 (Eq. 5) and Eq. 2 (Eq. 6): spectrum, optimality, edge cases."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from cossim.model.objectives import OBJECTIVES, eq1_objective, eq2_objective
from cossim.model.solve import (
    eq1_shrinkage,
    eq2_factor_scales,
    gram_matrix,
    gram_top_spectrum,
    lanczos_spectrum,
    right_singular_spectrum,
    solve_eq1,
    solve_eq2,
)


def random_binary(rng, n=120, p=25, density=0.2):
    return sp.random(n, p, density=density, format="csr", random_state=rng, data_rvs=np.ones)


def test_gram_route_matches_dense_svd():
    X = random_binary(np.random.default_rng(0))
    spectrum = right_singular_spectrum(X)
    _, s, Vt = np.linalg.svd(X.toarray(), full_matrices=False)
    np.testing.assert_allclose(spectrum.sigma, s, rtol=1e-10, atol=1e-10)
    # V agrees up to the sign of each column
    np.testing.assert_allclose(np.abs(spectrum.V.T @ Vt.T).diagonal(), 1.0, atol=1e-8)


def with_empty_items(seed, items=(3, 7)):
    X = random_binary(np.random.default_rng(seed)).tolil()
    X[:, list(items)] = 0
    X = X.tocsr()
    X.eliminate_zeros()
    return X


def test_items_without_interactions_give_zero_singular_values_and_no_nans():
    X = with_empty_items(1)
    spectrum = right_singular_spectrum(X)
    assert np.sum(spectrum.sigma == 0.0) >= 2  # solved on the items with data: the empty ones are exact
    for fit in (solve_eq1(spectrum, 5.0), solve_eq2(spectrum, 0.0), solve_eq1(spectrum, 0.0)):
        assert np.all(np.isfinite(fit.A)) and np.all(np.isfinite(fit.B))


@pytest.mark.parametrize("route", ["full", "gram_top", "lanczos"])
def test_items_without_interactions_have_exact_zero_rows_in_every_spectrum_route(route):
    """X^T X e_i = 0, so every eigenvector with a non-zero eigenvalue is exactly 0 at an empty item."""
    X = with_empty_items(4)
    k = 6
    spectrum = {
        "full": lambda: right_singular_spectrum(X).truncate(k),
        "gram_top": lambda: gram_top_spectrum(gram_matrix(X), k),
        "lanczos": lambda: lanczos_spectrum(X, k),
    }[route]()
    assert np.all(spectrum.V[[3, 7]] == 0.0) and not np.any(np.signbit(spectrum.V[[3, 7]]))
    np.testing.assert_allclose(spectrum.V.T @ spectrum.V, np.eye(k), atol=1e-12)
    _, s, Vt = np.linalg.svd(X.toarray(), full_matrices=False)
    np.testing.assert_allclose(spectrum.sigma, s[:k], rtol=1e-10)
    np.testing.assert_allclose(np.abs(np.sum(spectrum.V * Vt[:k].T, axis=0)), 1.0, atol=1e-8)
    for fit in (solve_eq1(spectrum, 5.0), solve_eq2(spectrum, 1.0)):
        assert np.all(fit.B[[3, 7]] == 0.0) and np.all(fit.A[[3, 7]] == 0.0)


def test_full_spectrum_gives_each_empty_item_its_own_null_vector():
    X = with_empty_items(5)
    spectrum = right_singular_spectrum(X)
    p = X.shape[1]
    np.testing.assert_allclose(spectrum.V.T @ spectrum.V, np.eye(p), atol=1e-12)
    np.testing.assert_array_equal(spectrum.sigma[-2:], 0.0)
    np.testing.assert_array_equal(np.abs(spectrum.V[[3, 7]][:, -2:]), np.eye(2))
    # beyond the items with data, the top-k route pads with the same null vectors
    top = gram_top_spectrum(gram_matrix(X), p)
    np.testing.assert_array_equal(top.sigma[-2:], 0.0)
    np.testing.assert_allclose(top.V.T @ top.V, np.eye(p), atol=1e-12)


def test_shrinkages_at_zero_and_at_the_threshold():
    sigma = np.array([0.0, 1.0, 2.0, 10.0])
    np.testing.assert_allclose(eq1_shrinkage(sigma, 4.0), [0.0, 1 / 5, 1 / 2, 100 / 104])
    a, b = eq2_factor_scales(sigma, 2.0)
    np.testing.assert_allclose(b**2, [0.0, 0.0, 0.0, 8.0])
    np.testing.assert_allclose(a, [0.0, 0.0, 0.0, np.sqrt(8.0) / 10])


@pytest.mark.parametrize("objective", ["eq1", "eq2"])
def test_gradient_vanishes_at_the_closed_form(objective):
    X = random_binary(np.random.default_rng(2))
    G = gram_matrix(X)
    spectrum = right_singular_spectrum(X).truncate(6)
    lam = {"eq1": 3.0, "eq2": 1.5}[objective]
    fit = {"eq1": solve_eq1, "eq2": solve_eq2}[objective](spectrum, lam)
    _, gradient = OBJECTIVES[objective]
    grad_A, grad_B = gradient(G, fit.A, fit.B, lam)
    assert max(np.abs(grad_A).max(), np.abs(grad_B).max()) < 1e-9 * np.abs(G).max()


@pytest.mark.parametrize("objective", ["eq1", "eq2"])
def test_gradient_matches_finite_differences(objective):
    rng = np.random.default_rng(3)
    G = gram_matrix(random_binary(rng, p=8))
    A, B = rng.normal(size=(8, 3)), rng.normal(size=(8, 3))
    value, gradient = OBJECTIVES[objective]
    grad_A, _ = gradient(G, A, B, 0.7)
    step = np.zeros_like(A)
    step[2, 1] = 1e-6
    numeric = (value(G, A + step, B, 0.7) - value(G, A - step, B, 0.7)) / 2e-6
    assert numeric == pytest.approx(grad_A[2, 1], rel=1e-5)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 8), lam=st.floats(0.1, 50.0), scale=st.floats(1e-4, 1e-1))
def test_closed_forms_beat_perturbed_solutions(seed, k, lam, scale):
    rng = np.random.default_rng(seed)
    X = random_binary(rng, n=80, p=12, density=0.3)
    G = gram_matrix(X)
    spectrum = right_singular_spectrum(X).truncate(k)
    for solve, objective in ((solve_eq1, eq1_objective), (solve_eq2, eq2_objective)):
        fit = solve(spectrum, lam)
        best = objective(G, fit.A, fit.B, lam)
        A = fit.A + scale * rng.normal(size=fit.A.shape)
        B = fit.B + scale * rng.normal(size=fit.B.shape)
        assert objective(G, A, B, lam) >= best - 1e-9 * max(1.0, abs(best))


def test_eq1_closed_form_is_the_global_optimum_among_rank_k_products():
    """Eq. 1's minimiser over M = A B^T of rank <= k; a wrong shrinkage exponent loses."""
    X = random_binary(np.random.default_rng(4), p=10)
    G = gram_matrix(X)
    spectrum = right_singular_spectrum(X).truncate(4)
    lam = 4.0
    fit = solve_eq1(spectrum, lam)
    best = eq1_objective(G, fit.A, fit.B, lam)
    g = eq1_shrinkage(spectrum.sigma, lam)
    wrong = spectrum.V * g  # g instead of g^(1/2) on both factors
    assert eq1_objective(G, wrong, spectrum.V * g, lam) > best + 1e-6


def test_eq2_zeroes_dimensions_at_or_below_lambda():
    X = random_binary(np.random.default_rng(5))
    spectrum = right_singular_spectrum(X)
    lam = float(np.median(spectrum.sigma))
    fit = solve_eq2(spectrum, lam)
    dropped = spectrum.sigma <= lam
    assert dropped.any() and np.all(fit.b[dropped] == 0) and np.all(fit.a[dropped] == 0)
    assert np.all(fit.b[~dropped] > 0)


def test_rank_must_be_in_range():
    spectrum = right_singular_spectrum(random_binary(np.random.default_rng(6)))
    with pytest.raises(ValueError, match="rank"):
        spectrum.truncate(0)
    with pytest.raises(ValueError, match="rank"):
        spectrum.truncate(spectrum.sigma.size + 1)
