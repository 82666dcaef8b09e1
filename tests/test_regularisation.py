"""The lambda rule (cossim.model.regularisation): the paper's values on the paper's data, scale-free."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from cossim.model.items import most_popular_items
from cossim.model.regularisation import (
    kept_dimensions,
    round_significant,
    suggested_lambdas,
)
from cossim.model.simulate import SimulationSpec, simulate
from cossim.model.solve import gram_matrix

ROOT = Path(__file__).resolve().parents[1]


def simulated(config, **reading):
    settings = {**config["simulation"], **reading}
    return simulate(SimulationSpec(**settings), np.random.default_rng(config["seed"])).interactions


@pytest.fixture(scope="module")
def paper_data():
    """The paper's design at full size (n = 20,000, p = 1,000; about half a second) as the
    default config simulates it."""
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    return config, simulated(config)


def singular_values(X) -> np.ndarray:
    return np.sqrt(np.clip(np.linalg.eigvalsh(gram_matrix(X)), 0.0, None))[::-1]


def test_the_rule_gives_the_papers_lambdas_on_the_papers_data(paper_data):
    config, X = paper_data
    sigma = singular_values(X)
    # mean sigma_i^2 = ||X||_F^2 / p = nnz / p for binary X
    assert np.mean(sigma**2) == pytest.approx(X.nnz / X.shape[1], rel=1e-9)
    lambdas = suggested_lambdas(sigma, config["model"]["rank"])
    assert lambdas == (config["model"]["eq1_lambda"], config["model"]["eq2_lambda"]) == (10000, 100)
    assert lambdas.eq1_lambda == 10000 and lambdas.eq2_lambda == 100
    # the paper's Eq. 2 keeps the dimensions with sigma_i > 100: 3 of the 50 on its data
    assert kept_dimensions(sigma[:50], lambdas.eq2_lambda) == 3


def test_keep_all_gives_table_2s_lambda_on_its_items(paper_data):
    config, X = paper_data
    items = most_popular_items(X, config["training"]["n_items"])
    sigma = singular_values(X[:, items])
    rank = config["training"]["rank"]
    lambdas = suggested_lambdas(sigma, rank, keep_all=True)
    # capped at sigma_k / 2: all k dimensions kept, as by the configured 30 (Table 2 needs all k)
    assert lambdas.eq2_lambda == round_significant(sigma[rank - 1] / 2) <= config["training"]["eq2_lambda"] == 30
    assert kept_dimensions(sigma[:rank], lambdas.eq2_lambda) == rank
    assert kept_dimensions(sigma[:rank], config["training"]["eq2_lambda"]) == rank


@pytest.mark.parametrize("c", [0.1, 3.0, 10.0])
def test_scaling_x_by_c_scales_eq1_by_c_squared_and_eq2_by_c(paper_data, c):
    config, X = paper_data
    sigma = singular_values(X)
    base = suggested_lambdas(sigma, 50)
    scaled = suggested_lambdas(singular_values(c * X), 50)   # the spectrum of c X is c sigma
    # X -> c X: Eq. 1's lambda (shrinkage lambda / sigma^2) by c^2, Eq. 2's (lambda / sigma) by c
    assert scaled.eq1_lambda == pytest.approx(c**2 * base.eq1_lambda, rel=1e-12)
    assert scaled.eq2_lambda == pytest.approx(c * base.eq2_lambda, rel=1e-12)
    # so the shrinkage of both solutions is unchanged (Eq. 5, Eq. 6)
    cs = c * sigma
    assert np.allclose(sigma**2 / (sigma**2 + base.eq1_lambda), cs**2 / (cs**2 + scaled.eq1_lambda))
    assert np.allclose(np.clip(1 - base.eq2_lambda / sigma, 0, None), np.clip(1 - scaled.eq2_lambda / cs, 0, None))


def test_zeros_may_be_omitted_with_n_items():
    sigma = np.array([50.0, 20.0, 10.0])
    full = suggested_lambdas(np.r_[sigma, np.zeros(7)], 2)
    assert suggested_lambdas(sigma, 2, n_items=10) == full


def test_eq2_lambda_always_keeps_a_dimension_and_keep_all_keeps_k():
    flat = np.full(20, 10.0)                          # sigma_* = sqrt(8) * 10 > sigma_1
    assert kept_dimensions(flat, suggested_lambdas(flat, 5).eq2_lambda) >= 1
    sigma = np.geomspace(1000, 1, 30)
    for k in (1, 5, 29):
        assert kept_dimensions(sigma[:k], suggested_lambdas(sigma, k, keep_all=True).eq2_lambda) == k


def test_round_significant():
    assert round_significant(9976.5) == 10000
    assert round_significant(99.89) == 100
    assert round_significant(0.012345) == 0.012
    assert round_significant(0.0) == 0.0


def test_bad_rank_is_refused():
    with pytest.raises(ValueError, match="rank"):
        suggested_lambdas(np.ones(3), 4)


def test_the_rule_is_stated_by_the_spectrum_alone(paper_data):
    """sigma_*^2 = REFERENCE_FACTOR * ||X||_F^2 / p, and lambda_2 = sigma_* (below sigma_1 / 2)."""
    from cossim.model.regularisation import REFERENCE_FACTOR

    config, X = paper_data
    sigma = singular_values(X)
    star2 = REFERENCE_FACTOR * X.nnz / X.shape[1]
    lambdas = suggested_lambdas(sigma, config["model"]["rank"])
    assert lambdas == (round_significant(star2), round_significant(min(np.sqrt(star2), sigma[0] / 2)))