"""Configuration validation: the default config is valid; malformed ones are refused by key."""

import copy

import pytest
import yaml
from conftest import REPO

from cossim.config import ConfigError, load_schema, validate_config

SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
DEFAULT = yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def mutated(path, value):
    config = copy.deepcopy(DEFAULT)
    *parents, last = path.split(".")
    node = config
    for key in parents:
        node = node[key]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return config


DELETE = object()

MALFORMED = [
    ("simulation.n_users", 0, "simulation.n_users"),
    ("simulation.n_users", -5, "simulation.n_users"),
    ("simulation.n_users", "many", "simulation.n_users"),
    ("simulation.n_users", 2.5, "simulation.n_users"),
    ("simulation.n_items", 1, "simulation.n_items"),
    ("simulation.n_clusters", 0, "simulation.n_clusters"),
    ("simulation.item_beta_range", [1.5, 0.25], "simulation.item_beta_range"),
    ("simulation.item_beta_range", [0.25], "simulation.item_beta_range"),
    ("simulation.item_beta_range", [0.0, 1.0], "simulation.item_beta_range"),
    ("simulation.user_beta", -0.5, "simulation.user_beta"),
    ("simulation.cluster_probabilities", [0.5, 0.2, 0.1, 0.1, 0.05], "simulation.cluster_probabilities"),
    ("simulation.cluster_probabilities", [0.5, 0.5], "simulation.cluster_probabilities"),
    ("simulation.cluster_probabilities", [1.5, -0.5, 0, 0, 0], "simulation.cluster_probabilities"),
    ("simulation.item_popularity_law", "lognormal", "simulation.item_popularity_law"),
    ("simulation.user_activity_law", "uniform", "simulation.user_activity_law"),
    ("simulation.preference_law", "gamma", "simulation.preference_law"),
    ("simulation.preference_concentration", 0, "simulation.preference_concentration"),
    ("simulation.min_items_per_user", 0, "simulation.min_items_per_user"),
    ("simulation.min_items_per_user", 2000, "simulation.min_items_per_user"),
    ("simulation.max_items_per_user", "all", "simulation.max_items_per_user"),
    ("simulation.n_user", 100, "simulation"),
    ("model.rank", 0, "model.rank"),
    ("model.rank", 1001, "model.rank"),
    ("model.eq1_lambda", -1, "model.eq1_lambda"),
    ("model.eq2_lambda", "100", "model.eq2_lambda"),
    ("model.lambda", 3, "model"),
    ("seed", -1, "seed"),
    ("seed", True, "seed"),
    ("dataset", "../escape", "dataset"),
    ("dataset", "", "dataset"),
    ("figure1.colour_range", [1.0, 0.0], "figure1.colour_range"),
    ("figure1.colour_range", "auto", "figure1.colour_range"),
    ("checks.recompute_tolerance", 0, "checks.recompute_tolerance"),
    ("checks.recompute_tolerance", 0.5, "checks.recompute_tolerance"),
    ("simulation", [1, 2], "simulation"),
    ("surprise", 1, "surprise"),
]


def test_default_config_is_valid_and_holds_the_paper_values():
    config = validate_config(DEFAULT, SCHEMA)
    sim, model = config["simulation"], config["model"]
    assert (sim["n_users"], sim["n_items"], sim["n_clusters"]) == (20_000, 1_000, 5)
    assert sim["item_beta_range"] == [0.25, 1.5] and sim["user_beta"] == 0.5
    assert (model["rank"], model["eq1_lambda"], model["eq2_lambda"]) == (50, 10_000, 100)


def test_missing_keys_take_the_schema_defaults():
    config = validate_config(mutated("simulation.n_users", DELETE), SCHEMA)
    assert config["simulation"]["n_users"] == 20_000


@pytest.mark.parametrize("path, value, named", MALFORMED, ids=[f"{p}={v!r}" for p, v, _ in MALFORMED])
def test_malformed_config_is_refused_naming_the_key(path, value, named):
    with pytest.raises(ConfigError) as error:
        validate_config(mutated(path, value), SCHEMA)
    assert named in str(error.value)


def test_enum_errors_list_the_allowed_values():
    with pytest.raises(ConfigError, match="allowed values: 'zipf', 'pareto', 'power'"):
        validate_config(mutated("simulation.item_popularity_law", "zip"), SCHEMA)


@pytest.mark.parametrize(
    "path, value, allowed",
    [
        ("simulation.n_users", 0, "allowed values: an integer >= 1"),
        ("checks.recompute_tolerance", 1, "allowed values: a number > 0 and <= 0.001"),
        ("figure1.colour_range", "auto", "allowed values: null or a list of 2 values, each a number"),
        ("dataset", "../x", "allowed values: a string matching ^[A-Za-z0-9][A-Za-z0-9_-]*$"),
        ("model.rank", 1001, "allowed values: an integer from 1 to 1000"),
        ("simulation", [1], "allowed values: a mapping with keys cluster_probabilities"),
    ],
)
def test_every_message_states_the_allowed_values(path, value, allowed):
    with pytest.raises(ConfigError) as error:
        validate_config(mutated(path, value), SCHEMA)
    assert f"{path}: " in str(error.value) and allowed in str(error.value)
