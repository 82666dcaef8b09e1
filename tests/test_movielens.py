"""The MovieLens study's library on its own: reading, binarising, the genre ground truth, the
parse-time rules (missing package, impossible settings), the bootstrap, and checks that fail on
wrong values. The real run is tests/test_movielens_workflow.py."""

from __future__ import annotations

import importlib.metadata

import numpy as np
import pytest
import scipy.sparse as sp
import yaml
from conftest import REPO

from cossim.config import load_schema, validate_config
from cossim.model.regularisation import suggested_lambdas
from cossim.movielens import rules
from cossim.movielens.checks import expected_precision, gap_check, rarest_genre, second_route_scores
from cossim.movielens.data import (
    MovieLensError,
    binary_interactions,
    genre_jaccard,
    genre_overlap,
    load_genres,
    most_popular_items,
    movielens_data,
    primary_genre,
    read_genres,
    read_ratings,
    save_genres,
)
from cossim.movielens.recovery import bootstrap_interval, genre_pairs, resample_users, singular_values
from cossim.recovery.scores import score_vector

SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
INTER = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
ITEM = "item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n"
# users 1, 2, 3; items 10, 20, 30, 40 (item 40 only rated 2: gone when liked)
RATINGS = INTER + "1\t10\t5\t0\n1\t20\t3\t0\n2\t10\t4\t0\n2\t30\t4\t0\n3\t40\t2\t0\n3\t20\t1\t0\n"
GENRES = ITEM + "10\tA\t1995\tDrama Comedy\n20\tB\t1995\tDrama\n30\tC\t1996\tHorror Drama\n40\tD\t1990\tComedy\n"


@pytest.fixture
def files(tmp_path):
    inter, item = tmp_path / "ml.inter", tmp_path / "ml.item"
    inter.write_text(RATINGS)
    item.write_text(GENRES)
    return inter, item


def test_any_rating_and_liked_binarisations(files):
    ratings, genres = read_ratings(files[0]), read_genres(files[1])
    X, users, items = binary_interactions(ratings, 1)
    np.testing.assert_array_equal(users, [1, 2, 3])
    np.testing.assert_array_equal(items, [10, 20, 30, 40])
    np.testing.assert_array_equal(X.toarray(), [[1, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1]])
    liked, users, items = binary_interactions(ratings, 4)
    np.testing.assert_array_equal(users, [1, 2])  # user 3 rated nothing 4 or more
    np.testing.assert_array_equal(items, [10, 30])
    np.testing.assert_array_equal(liked.toarray(), [[1, 0], [1, 1]])
    assert genres.names == ("Comedy", "Drama", "Horror")


def test_the_most_popular_items_keep_their_order_and_ties_go_to_the_lower_index():
    X = sp.csr_matrix(np.array([[1, 1, 0, 1], [0, 1, 1, 1], [0, 0, 0, 1]]))
    users, items = most_popular_items(X, 2)
    np.testing.assert_array_equal(items, [1, 3])  # counts 1, 2, 1, 3
    users, items = most_popular_items(X, 3)
    np.testing.assert_array_equal(items, [0, 1, 3])  # items 0 and 2 tie at 1: the lower index wins
    users, items = most_popular_items(sp.csr_matrix(np.array([[1, 0], [0, 1], [0, 1]])), 1)
    np.testing.assert_array_equal(users, [1, 2])  # user 0 is left without an interaction


def test_primary_genre_is_the_rarest_and_the_ground_truth_is_sharing_a_genre(files):
    X, item_ids, membership, primary, popularity = movielens_data(read_ratings(files[0]), read_genres(files[1]), 1, None)
    # Comedy: items 10, 40; Drama: 10, 20, 30; Horror: 30
    np.testing.assert_array_equal(primary, [0, 1, 2, 0])
    np.testing.assert_array_equal(primary, rarest_genre([{"Drama", "Comedy"}, {"Drama"}, {"Horror", "Drama"}, {"Comedy"}],
                                                        ("Comedy", "Drama", "Horror")))
    same = genre_overlap(membership)
    assert same[0, 1] and same[0, 3] and not same[1, 3] and not same[2, 3]
    jaccard = genre_jaccard(membership)
    assert jaccard[0, 1] == 0.5 and jaccard[1, 3] == 0.0 and jaccard[2, 2] == 1.0
    np.testing.assert_allclose(popularity, [2 / 3, 2 / 3, 1 / 3, 1 / 3])


def test_genres_file_round_trip(files, tmp_path):
    genres = read_genres(files[1])
    save_genres(tmp_path / "g.csv", genres.item_ids, genres.names, genres.membership)
    ids, names, membership = load_genres(tmp_path / "g.csv")
    np.testing.assert_array_equal(ids, genres.item_ids)
    assert names == genres.names
    np.testing.assert_array_equal(membership, genres.membership)


@pytest.mark.parametrize("text, words", [
    ("user,item,rating,timestamp\n1,2,3,4\n", "expected the header"),
    (INTER + "1\t10\t5\n", "expected 4 tab-separated fields"),
    (INTER + "1\t10\t5\t0\n1\t10\t4\t0\n", "duplicate (user, item) pairs"),
])
def test_malformed_rating_files_are_refused(tmp_path, text, words):
    path = tmp_path / "bad.inter"
    path.write_text(text)
    with pytest.raises(MovieLensError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_ratings(path)


def test_a_missing_package_fails_with_how_to_install_it_or_switch_the_study_off(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    with pytest.raises(rules.MovieLensMissing) as raised:
        rules.locate_data()
    assert "pip install --no-deps recbole==1.2.1" in str(raised.value)
    assert "movielens.enabled" in str(raised.value)


def test_the_installed_files_are_found_without_importing_recbole():
    import sys

    found = rules.locate_data()
    assert set(found) == {"ratings", "genres"}
    assert found["ratings"].endswith("ml-100k.inter") and "recbole" not in sys.modules


def config_with(**movielens):
    config = validate_config(yaml.safe_load((REPO / "config" / "config.yaml").read_text()), SCHEMA)
    for key, value in movielens.items():
        if isinstance(value, dict):
            config["movielens"][key].update(value)
        else:
            config["movielens"][key] = value
    return config


@pytest.mark.parametrize("settings, key", [
    ({"claims": {"full_rank_items": 943}, "max_items": 300}, "movielens.claims.full_rank_items"),
    ({"model": {"rank": 400}, "max_items": 300}, "movielens.model.rank"),
    ({"recovery": {"items": 40}}, "movielens.model.rank"),
    ({"training": {"n_items": 500}, "max_items": 300}, "movielens.training.n_items"),
])
def test_settings_the_data_cannot_support_are_refused_before_any_job(settings, key):
    problems = rules.config_problems(config_with(**settings))
    assert any(problem.startswith(key) for problem in problems), problems


def test_the_schema_refuses_full_rank_items_beyond_the_users():
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config["movielens"]["claims"]["full_rank_items"] = 944
    with pytest.raises(Exception, match="movielens.claims.full_rank_items"):
        validate_config(config, SCHEMA)


def test_switched_off_the_study_adds_nothing_and_the_registered_config_merges_its_sections():
    off = config_with(enabled=False)
    assert rules.movielens_datasets(off) == {} and rules.result_paths(off) == []
    assert rules.dataset_pattern(off) == "(?!)" and rules.config_problems(off) == []
    on = config_with()
    merged = rules.movielens_config(on)
    assert merged["model"] == on["movielens"]["model"]
    assert merged["claims"]["full_rank_items"] == on["movielens"]["claims"]["full_rank_items"]
    assert merged["claims"]["user_sample"] == on["claims"]["user_sample"]
    assert merged["training"]["eq1_lambda"] == on["movielens"]["training"]["eq1_lambda"]
    assert rules.movielens_datasets(on) == {"movielens": 1, "movielens-liked": 4}
    assert "results/movielens/notebooks/movielens.ipynb" in rules.result_paths(on)
    assert "results/movielens-liked/tables/movielens_recovery.csv" in rules.result_paths(on)


def test_the_default_lambdas_are_the_rules_on_the_default_movielens_data():
    config = config_with()
    section = config["movielens"]
    found = rules.locate_data(relative_to="/")
    X, *_ = movielens_data(read_ratings("/" + found["ratings"]), read_genres("/" + found["genres"]),
                           section["min_rating"], section["max_items"])
    rule = suggested_lambdas(singular_values(X), section["model"]["rank"], n_items=X.shape[1])
    assert (section["model"]["eq1_lambda"], section["model"]["eq2_lambda"]) == tuple(rule)


def test_bootstrap_replicates_are_reproducible_one_by_one_and_the_interval_is_normal():
    rows = resample_users(50, 3, seed=4)
    np.testing.assert_array_equal(rows[2], np.random.default_rng([4, 2]).integers(0, 50, 50))
    estimate = np.array([0.6, 0.7])
    replicates = np.array([[0.5, 0.7], [0.7, 0.7], [0.6, 0.7]])
    low, high = bootstrap_interval(estimate, replicates)
    np.testing.assert_allclose(low, [0.6 - 1.959963984540054 * 0.1, 0.7])
    np.testing.assert_allclose(high, [0.6 + 1.959963984540054 * 0.1, 0.7])


def test_the_second_route_agrees_with_the_library_and_a_wrong_score_fails():
    rng = np.random.default_rng(0)
    membership = rng.random((40, 5)) < 0.3
    membership[:, 0] |= ~membership.any(axis=1)
    pairs = genre_pairs(membership, primary_genre(membership))
    B = rng.standard_normal((40, 6))
    similarity = B @ B.T / np.outer(np.linalg.norm(B, axis=1), np.linalg.norm(B, axis=1))
    library = score_vector(similarity, pairs, 5)
    second = second_route_scores(similarity, pairs.same_matrix, 5)
    assert gap_check("scores", "agree", library, second).passed
    assert not gap_check("scores", "agree", library + [1e-6, 0, 0], second).passed
    truth = (pairs.same_matrix | np.eye(40, dtype=bool)).astype(float)  # ties everywhere
    assert gap_check("truth", "agree", score_vector(truth, pairs, 5), second_route_scores(truth, pairs.same_matrix, 5)).passed


def test_expected_precision_counts_ties_in_proportion():
    row = np.array([0.9, 0.5, 0.5, 0.5, 0.1])
    same = np.array([False, True, False, False, True])
    # k = 2: 0.9 above (not same), one of the three tied at 0.5, a third of which are same
    assert expected_precision(row, same, 2) == pytest.approx((0 + 1 * 1 / 3) / 2)


HIDE_RECBOLE = '''import importlib.metadata as metadata
_distribution = metadata.distribution
def distribution(name):
    if name == "recbole":
        raise metadata.PackageNotFoundError(name)
    return _distribution(name)
metadata.distribution = distribution
'''


@pytest.mark.workflow
def test_without_recbole_the_workflow_stops_before_any_job_unless_the_study_is_off(workflow_copy, tmp_path):
    import os
    import subprocess

    from conftest import SNAKEMAKE

    (tmp_path / "hide").mkdir()
    (tmp_path / "hide" / "sitecustomize.py").write_text(HIDE_RECBOLE)
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "hide"))
    refused = subprocess.run([SNAKEMAKE, "-n", "--cores", "1"], cwd=workflow_copy, env=env, capture_output=True, text=True)
    output = refused.stdout + refused.stderr
    assert refused.returncode == 1 and "pip install --no-deps recbole==1.2.1" in output, output[-2000:]
    assert "movielens.enabled" in output and "Building DAG of jobs" not in output
    off = subprocess.run([SNAKEMAKE, "-n", "--cores", "1", "--config", "movielens={enabled: false}"], cwd=workflow_copy,
                         env=env, capture_output=True, text=True)
    assert off.returncode == 0, (off.stdout + off.stderr)[-2000:]
    assert "import_movielens" not in off.stdout


def test_the_rules_depend_on_the_files_content_not_where_they_are_installed(tmp_path, monkeypatch):
    found = rules.locate_data()
    identity = rules.data_identity(found)
    assert set(identity) == {"ratings", "genres"} and all(len(digest) == 64 for digest in identity.values())
    monkeypatch.chdir(tmp_path)  # another working directory: other relative paths, the same identity
    assert rules.data_identity(rules.locate_data()) == identity
    assert set(rules.verified_data(identity)) == {"ratings", "genres"}
    with pytest.raises(rules.MovieLensMissing, match="changed since the workflow was planned"):
        rules.verified_data({**identity, "ratings": "0" * 64})
