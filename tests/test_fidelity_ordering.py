"""The ordering proposition (panel 4 concentrates every item embedding on the leading directions at
least as much as panel 2): it holds for any orthonormal V and descending spectrum, it fails for a
weighting whose ratio to panel 2's falls with sigma, the loops of the check agree, and
check_fidelity fails a cell that violates it."""

import copy

import numpy as np
import pytest

from cossim.fidelity.cell_checks import ordering_by_loops
from cossim.fidelity.checks import check_fidelity
from cossim.fidelity.ordering import head_shares, ordering_diagnostics, weight_ratio


def random_spectrum(rng, p=60, k=12):
    V, _ = np.linalg.qr(rng.standard_normal((p, k)))
    sigma = np.sort(rng.uniform(1.0, 400.0, size=k))[::-1]
    return sigma, V


@pytest.mark.parametrize("seed", range(5))
def test_panel4_head_shares_dominate_panel2s_for_any_spectrum(seed):
    rng = np.random.default_rng(seed)
    sigma, V = random_spectrum(rng)
    for lam in (1.0, 1e2, 1e4, 1e6):
        found = ordering_diagnostics(sigma, V, lam)
        assert found["ratio_max_increase"] < 0
        assert found["min_head_share_margin"] >= -1e-12
        assert found["panel4_first_share"] >= found["panel2_first_share"]
        loops = ordering_by_loops(sigma, V, lam)
        for key, value in found.items():
            assert loops[key] == pytest.approx(value, rel=1e-9, abs=1e-12)


def test_a_weighting_that_falls_relative_to_panel_2s_breaks_the_ordering():
    rng = np.random.default_rng(1)
    sigma, V = random_spectrum(rng)
    lam = 1e4
    w2 = np.sqrt(sigma**2 / (sigma**2 + lam))
    # the printed title's literal (1 + lambda/sigma^2)^{1/2} instead of sigma^2: ratio falls with sigma
    literal = np.sqrt(1 + lam / sigma**2)
    assert np.any(np.diff(literal / w2) > 0)
    assert np.min(head_shares(V, literal) - head_shares(V, w2)) < -1e-3
    assert np.min(head_shares(V, sigma**2) - head_shares(V, w2)) >= -1e-12
    np.testing.assert_allclose(weight_ratio(sigma, lam), sigma**2 / w2)


def test_check_fidelity_fails_a_cell_that_violates_the_ordering():
    rng = np.random.default_rng(2)
    sigma, V = random_spectrum(rng)
    levels = {key: np.eye(2).tolist() for key in ("eq1_B_Vk_g_half", "eq1_B_Vk", "eq1_B_Vk_sigma2", "eq2_unique")}
    levels["eq1_B_Vk"] = np.zeros((2, 2)).tolist()
    result = {"levels": levels, "scores": {k: {"mean_abs": 0.1, "worst_abs": 0.1} for k in levels},
              "panel2_family_scan": {"a=0.5 c=1": 0.1}, "panel4_exponent_scan": {"2": 0.1}}
    cell = {"reading": "r", "seed": 1, "sigma": [1.0], "qualitative": {}, "colour_ranges": {"fixed": result},
            "ordering": ordering_diagnostics(sigma, V, 1e4)}
    summary = {"default": {"colour_range": "fixed", "rank": None}}
    message = {"eq2_lambda": 100.0, "cells_learning_eq2": 0,
               "colour_ranges": {"fixed": {"min_eq1_spread": 0.5, "min_eq2_vs_eq5": 0.5}}}
    passed = {r.name: r.passed for r in check_fidelity([cell], summary, message)}
    assert passed["fidelity.panel4_concentrates_more"] and passed["fidelity.panel4_weight_ratio_decreasing"]
    broken = copy.deepcopy(cell)
    broken["ordering"]["min_head_share_margin"] = -1e-6
    broken["ordering"]["ratio_max_increase"] = 1.0
    passed = {r.name: r.passed for r in check_fidelity([cell, broken], summary, message)}
    assert not passed["fidelity.panel4_concentrates_more"] and not passed["fidelity.panel4_weight_ratio_decreasing"]
