"""Table 2's machinery: the fused objective, L-BFGS training, the implied D, and the comparison."""

import numpy as np
import pytest
import scipy.sparse as sp

from cossim.io import load_table_csv, save_table_csv
from cossim.model.items import most_popular_items
from cossim.model.objectives import OBJECTIVES, minimise_from, random_start, value_and_gradient
from cossim.model.rescale import rescale
from cossim.model.solve import gram_matrix, right_singular_spectrum, solve_eq1, solve_eq2
from cossim.training.runs import (
    compare_with_closed_form,
    implied_scaling,
    most_different_pair,
    summarise_runs,
    training_runs,
)


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(0)
    X = sp.csr_matrix((rng.random((300, 20)) < np.linspace(0.05, 0.6, 20)).astype(float))
    spectrum = right_singular_spectrum(X).truncate(3)
    return X, gram_matrix(X), spectrum


@pytest.mark.parametrize("objective", ["eq1", "eq2"])
def test_fused_value_and_gradient_equal_the_objectives_module(small, objective):
    _, G, _ = small
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(20, 3)), rng.normal(size=(20, 3))
    value, gradient = OBJECTIVES[objective]
    f, grad_A, grad_B = value_and_gradient(G, objective, A, B, 2.5)
    assert f == pytest.approx(value(G, A, B, 2.5), rel=1e-12)
    expected_A, expected_B = gradient(G, A, B, 2.5)
    np.testing.assert_allclose(grad_A, expected_A, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(grad_B, expected_B, rtol=1e-10, atol=1e-10)


def test_implied_scaling_recovers_a_diagonal_d_and_ignores_rotations(small):
    _, _, spectrum = small
    fit = solve_eq1(spectrum, 10.0)
    d = np.array([1.0, 3.0, 0.5])
    R, _ = np.linalg.qr(np.random.default_rng(2).normal(size=(3, 3)))
    _, B = rescale(fit.A, fit.B, d)
    scaling = implied_scaling(fit, B @ R)
    assert scaling["d_spread"] == pytest.approx(6.0, rel=1e-9)
    assert scaling["off_diagonal"] < 1e-12 and scaling["outside_span"] < 1e-12
    assert implied_scaling(fit, fit.B @ R)["d_spread"] == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("objective, solve, lam", [("eq1", solve_eq1, 30.0), ("eq2", solve_eq2, 3.0)])
def test_lbfgs_reaches_the_closed_form_objective(small, objective, solve, lam):
    _, G, spectrum = small
    fit = solve(spectrum, lam)
    model = minimise_from(G, objective, lam, *random_start(np.random.default_rng(3), 20, 3, 0.1), 5000)
    row = compare_with_closed_form(G, fit, model, 0.1, 0)
    assert abs(row.objective_gap) < 1e-8
    assert row.product_distance < 1e-3
    if objective == "eq2":  # unique up to rotation: the same cosines
        assert row.cosine_max_abs_diff < 1e-3 and row.d_spread < 1.01


def test_training_runs_give_one_row_per_start_and_equal_loss_eq1_runs_can_differ_in_cosine(small):
    _, G, spectrum = small
    fits = {"eq1": solve_eq1(spectrum, 30.0), "eq2": solve_eq2(spectrum, 3.0)}
    rows, factors = training_runs(G, fits, [0.01, 1.0], 2, 5000, np.random.default_rng(4))
    assert len(rows) == 8 and factors["eq1_B"].shape == (4, 20, 3)
    summary = summarise_runs([r.as_dict() for r in rows])
    assert summary["eq1"]["at_optimum"] == 4 and summary["eq2"]["at_optimum"] == 4
    assert summary["eq1"]["product_distance"][1] < 1e-3
    assert summary["eq2"]["cosine_max_abs_diff"][1] < 1e-3


def test_most_different_pair_and_most_popular_items():
    cosines = np.stack([np.zeros((2, 2)), np.ones((2, 2)), np.full((2, 2), 3.0)])
    assert most_different_pair(cosines, np.array([True, True, True]))[:2] == (0, 2)
    assert most_different_pair(cosines, np.array([True, True, False]))[:2] == (0, 1)
    assert most_different_pair(cosines, np.array([True, False, False]))[0] == -1
    X = sp.csr_matrix(np.array([[1, 0, 1, 1], [0, 0, 1, 1], [0, 1, 0, 1]], dtype=float))
    np.testing.assert_array_equal(most_popular_items(X, 2), [2, 3])
    np.testing.assert_array_equal(most_popular_items(X, None), [0, 1, 2, 3])


@pytest.fixture(scope="module")
def trained(small):
    """Table 2 rows and runs.npz's arrays of a small training run."""
    _, G, spectrum = small
    fits = {"eq1": solve_eq1(spectrum, 30.0), "eq2": solve_eq2(spectrum, 3.0)}
    rows, factors = training_runs(G, fits, [0.01, 1.0], 2, 5000, np.random.default_rng(4))
    runs = {**factors, "eq1_closed_B": fits["eq1"].B, "eq2_closed_B": fits["eq2"].B, "order": np.arange(20)}
    return rows, runs


def saved_rows(trained, tmp_path):
    """The rows as rules read them: the strings of table2_training.csv."""
    save_table_csv(tmp_path / "table2.csv", [r.as_dict() for r in trained[0]])
    return load_table_csv(tmp_path / "table2.csv")


def test_check_training_passes_on_real_runs_and_names_a_broken_row(trained, tmp_path):
    from cossim.checking import CheckFailed, raise_on_failure
    from cossim.training.checks import training_checks
    from cossim.training.runs import optimal_pairs

    _, runs = trained
    rows = saved_rows(trained, tmp_path)
    pairs = optimal_pairs(rows, runs)
    results, enforced = training_checks(rows, pairs)
    raise_on_failure(enforced, "test")
    assert {r.name for r in results} - {r.name for r in enforced} == {"eq1_optimal_runs_differ"}
    assert pairs["eq2"]["mean_abs_cosine_difference"] < 1e-3
    tampered = [dict(row) for row in rows]
    eq2_row = next(row for row in tampered if row["objective"] == "eq2")
    eq2_row["cosine_max_abs_diff"] = "0.3"  # an Eq. 2 run with other cosines than Eq. 6
    tampered[0]["objective_gap"] = "-1e-6"  # a run that beats the closed form
    with pytest.raises(CheckFailed) as error:
        raise_on_failure(training_checks(tampered, pairs)[1], "test")
    assert "eq1_scale0.01_run0_gap_nonnegative" in str(error.value)
    assert f"eq2_scale0.01_run{eq2_row['run']}_cosines_agree" in str(error.value)


def test_training_figure_shows_the_closed_form_and_two_optimal_runs_per_objective(trained, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cossim.training.plots import draw_training_figure, training_panels

    _, runs = trained
    rows = saved_rows(trained, tmp_path)
    panels = training_panels(rows, runs)
    assert [len(row) for row in panels] == [3, 3]
    assert panels[0][0][0] == "Eq. 1: closed form" and panels[0][1][1].shape == (20, 20)
    figure = draw_training_figure(rows, runs)
    assert len([ax for ax in figure.axes if ax.images]) == 6
    plt.close(figure)
