"""Bad configuration values are refused while the workflow is parsed, before any job.

Classes: (1) values that would silently give a wrong result (a colour range that maps every
cosine to level 0 or 1), (2) NaN and infinity at any depth, through --configfile and --config,
(3) integer-valued floats and booleans where an integer belongs, (4) sizes beyond their bound
or the memory budget, and names that cannot be a data set's, (9) keys given twice in a config
file or on the command line, and a truncated or non-JSON manifest given to ``snakemake verify``.
Each bad input is tried through the real command line against a finished small run, whose
``results/`` must stay byte-identical; the validators are also tested on their own.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_snakemake
from test_reliability import clone_of, run_batch, snapshot

from cossim.config import ConfigError, coerce_command_line, deep_update, load_schema, validate_config
from cossim.config_checks import (
    MEMORY_BUDGET_BYTES,
    command_line_duplicate_errors,
    config_file_duplicate_errors,
    memory_errors,
    memory_estimate,
)
from cossim.provenance.manifest import ManifestMismatch, load_manifest, verify_manifest

SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
SMALL = yaml.safe_load((REPO / "tests" / "small_config.yaml").read_text())
DEFAULT = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
FINITE = "is not a finite number"
INTEGER = "not an integer"

# (class, overlay as YAML text given with --configfile, the key the message names, a text of it)
BAD_CONFIG_FILES = [
    # 1: values that would draw a wrong figure without any error
    (1, "figure1: {colour_range: [0.0, .inf]}", "figure1.colour_range", FINITE),
    (1, "figure1: {colour_range: [-.inf, 1.0]}", "figure1.colour_range", FINITE),
    (1, "figure1: {colour_range: [.nan, 1.0]}", "figure1.colour_range", FINITE),
    (1, "figure1: {colour_range: [0.0, 5.0]}", "figure1.colour_range", "each a number >= -1 and <= 1"),
    (1, "figure1: {colour_range: [2.0, 3.0]}", "figure1.colour_range", "each a number >= -1 and <= 1"),
    (1, "figure1: {colour_range: [0.5, 0.5001]}", "figure1.colour_range", "vmax - vmin >= 0.1"),
    (1, "fidelity: {colour_ranges: {fixed: [0.0, .inf]}}", "fidelity.colour_ranges.fixed", FINITE),
    (1, "fidelity: {colour_ranges: {fixed: [0.3, 0.3]}}", "fidelity.colour_ranges.fixed", "vmin < vmax"),
    # 2: NaN and infinity pass every bound unless refused as such
    (2, "model: {eq1_lambda: .nan}", "model.eq1_lambda", FINITE),
    (2, "model: {eq2_lambda: .inf}", "model.eq2_lambda", FINITE),
    (2, "model: {eq1_lambda: 1.0e+400}", "model.eq1_lambda", FINITE),  # YAML reads it as inf
    (2, "simulation: {user_beta: .nan}", "simulation.user_beta", FINITE),
    (2, "simulation: {item_beta_range: [0.25, .inf]}", "simulation.item_beta_range.1", FINITE),
    (2, "simulation: {cluster_probabilities: [.nan, 0.293, 0.272, 0.049, 0.051]}",
     "simulation.cluster_probabilities.0", FINITE),
    (2, "simulation: {preference_concentration: -.inf}", "simulation.preference_concentration", FINITE),
    (2, "recovery: {log_sd: .nan}", "recovery.log_sd", FINITE),
    (2, "recovery: {exponent_range: [-.inf, 2.0]}", "recovery.exponent_range.0", FINITE),
    (2, "training: {init_scales: [0.01, .nan]}", "training.init_scales.1", FINITE),
    (2, "training: {eq1_lambda: .inf}", "training.eq1_lambda", FINITE),
    (2, "checks: {recompute_tolerance: .nan}", "checks.recompute_tolerance", FINITE),
    (2, "fidelity: {grid: {preference_concentration: [.nan]}}", "fidelity.grid.preference_concentration.0", FINITE),
    # 3: integer-valued floats and booleans where an integer belongs
    (3, "model: {rank: 20.0}", "model.rank", INTEGER),
    (3, "simulation: {n_users: 3000.0}", "simulation.n_users", INTEGER),
    (3, "recovery: {n_seeds: 3.0}", "recovery.n_seeds", INTEGER),
    (3, "fidelity: {seeds: [1.0]}", "fidelity.seeds.0", INTEGER),
    (3, "training: {rank: true}", "training.rank", "a boolean, not an integer"),
    (3, "claims: {user_sample: 1.0e+2}", "claims.user_sample", INTEGER),
    (3, "seed: 7.0", "seed", INTEGER),
    # 4: sizes beyond their bound or the memory budget; names that cannot be a data set's
    (4, "simulation: {n_users: 1000000000000}", "simulation.n_users", "<= 10000000"),
    (4, "simulation: {n_users: 5000000}", "simulation.n_users", "estimated peak memory is"),
    (4, "simulation: {n_items: 100000}", "simulation.n_items", "<= 8000"),
    (4, "simulation: {max_items_per_user: 100000}", "simulation.max_items_per_user", "<= 8000"),
    (4, "recovery: {n_seeds: 100000}", "recovery.n_seeds", "<= 1000"),
    (4, "recovery: {heatmap_users: 1000000}", "recovery.heatmap_users", "<= 10000"),
    (4, "recovery: {exponent_steps: 1000000}", "recovery.exponent_steps", "<= 1000"),
    (4, "training: {rank: 41}", "training.rank", "an integer from 1 to 40"),
    (4, "seed: 100000000000000000000", "seed", "<= 4294967295"),
    (4, "dataset: " + "x" * 300, "dataset", "of at most 64 characters"),
    (4, "dataset: small-seed1", "dataset", "does not end in -seed followed by digits"),
    (4, "fidelity: {seeds: [" + ", ".join(map(str, range(1000))) + "], grid: {item_popularity_law: [zipf, pareto, power],"
        " max_items_per_user: [30, 60, 100, 200]}}", "fidelity.grid", "at most 10000 cells"),
    # MovieLens: sizes the data cannot support, known before any job (943 users; tests keep 300 items)
    (4, "movielens: {claims: {full_rank_items: 2000}}", "movielens.claims.full_rank_items", "<= 943"),
    (4, "movielens: {claims: {full_rank_items: 400}}", "movielens.claims.full_rank_items", "cannot have full column rank"),
    (4, "movielens: {recovery: {items: 400}}", "movielens.recovery.items", "exceeds movielens.max_items (300)"),
    (2, "movielens: {model: {eq1_lambda: .nan}}", "movielens.model.eq1_lambda", FINITE),
    (3, "movielens: {recovery: {bootstrap_replicates: 4.0}}", "movielens.recovery.bootstrap_replicates", INTEGER),
    # 9: a key given twice in a config file (the last would silently win)
    (9, "seed: 3\nseed: 4\n", "seed", "given twice in "),
    (9, "model:\n  rank: 5\n  eq1_lambda: 3\n  rank: 6\n", "model.rank", "(line 2 and line 4)"),
    (9, '{"model": {"rank": 5}, "model": {"rank": 6}}', "model", "given twice in "),
]

# (class, --config arguments, the key the message names, a text of it)
BAD_COMMAND_LINES = [
    (2, ["model={eq1_lambda: .nan}"], "model.eq1_lambda", FINITE),
    (2, ["checks={recompute_tolerance: .inf}"], "checks.recompute_tolerance", FINITE),
    (2, ["recovery={exponent_range: [-2.0, .inf]}"], "recovery.exponent_range.1", FINITE),
    (2, ["simulation={user_beta: nan}"], "simulation.user_beta", FINITE),
    (2, ["figure1={colour_range: [0.0, .inf]}"], "figure1.colour_range", FINITE),
    (3, ["seed=7.0"], "seed", INTEGER),
    (3, ["model={rank: 20.0}"], "model.rank", INTEGER),
    (3, ["simulation={n_users: 1e12}"], "simulation.n_users", INTEGER),
    (4, ["dataset=small-seed2"], "dataset", "does not end in -seed followed by digits"),
    (4, ["simulation={n_users: 9000000}"], "simulation.n_users", "estimated peak memory is"),
    (9, ["seed=1", "seed=2"], "seed", "given twice with --config"),
    (9, ["model={rank: 5, rank: 6}"], "model.rank", "given twice in --config"),
]

# (class, bytes written to results/MANIFEST.json, text of the message)
BAD_MANIFESTS = [
    (9, "truncated", "not valid JSON"),
    (9, b"\xff\xfe garbage", "not valid JSON"),
    (9, b"", "not valid JSON"),
    (9, b"[1, 2, 3]", "not a manifest of this workflow"),
]

TRIED: dict[int, list[bool]] = {}  # class -> refused? of every bad input tried (printed at the end)


def count(klass: int, refused: bool) -> None:
    TRIED.setdefault(klass, []).append(refused)


@pytest.fixture(scope="module")
def finished(small_run, tmp_path_factory) -> Path:
    """A private copy of the finished small run."""
    return clone_of(small_run, tmp_path_factory.mktemp("bad-config") / "wf")


def test_at_least_thirty_distinct_bad_inputs():
    inputs = [text for _, text, _, _ in BAD_CONFIG_FILES] + [" ".join(a) for _, a, _, _ in BAD_COMMAND_LINES]
    assert len(set(inputs)) == len(inputs) >= 30
    assert {klass for klass, *_ in BAD_CONFIG_FILES + BAD_COMMAND_LINES} == {1, 2, 3, 4, 9}


# --------------------------------------------------------------------------------------------
# Through the real command line, against a finished run
# --------------------------------------------------------------------------------------------


@pytest.mark.workflow
def test_every_bad_config_is_refused_before_any_job_and_results_stay_byte_identical(finished, tmp_path):
    cases = []  # (class, arguments, key, text)
    for number, (klass, text, key, expected) in enumerate(BAD_CONFIG_FILES):
        overlay = tmp_path / f"bad{number}.{'json' if text.startswith('{') else 'yaml'}"
        overlay.write_text(text + "\n")
        cases.append((klass, ["--configfile", str(overlay)], key, expected))
    for klass, entries, key, expected in BAD_COMMAND_LINES:
        cases.append((klass, ["--config", *entries], key, expected))
    before = snapshot(finished / "results")
    outcomes = run_batch(finished, [["--cores", "1", *arguments] for _, arguments, _, _ in cases], tmp_path)
    assert snapshot(finished / "results") == before
    failures = []
    for (klass, arguments, key, expected), outcome in zip(cases, outcomes):
        message = outcome["output"]
        refused = (outcome["returncode"] == 1 and "invalid configuration" in message and f"- {key}" in message
                   and expected in message and "Building DAG of jobs" not in message)
        count(klass, refused)
        if not refused:
            failures.append((arguments, key, expected, outcome["returncode"], message[-1500:]))
    print({klass: f"{sum(results)}/{len(results)} refused" for klass, results in sorted(TRIED.items())})
    assert failures == []


@pytest.mark.workflow
def test_a_duplicated_key_in_config_yaml_itself_is_refused_naming_file_key_and_lines(workflow_copy):
    config_file = workflow_copy / "config" / "config.yaml"
    config_file.write_text(config_file.read_text() + "seed: 8\n")  # seed: 7 is at the top already
    outcome = run_snakemake(workflow_copy, "--cores", "1")
    message = outcome.stdout + outcome.stderr
    line = config_file.read_text().splitlines().index("seed: 8") + 1
    refused = (outcome.returncode != 0 and not (workflow_copy / "results").exists()
               and f"- seed: given twice in config/config.yaml (line 2 and line {line})" in message)
    count(9, refused)
    assert refused, message[-2000:]


@pytest.mark.workflow
def test_verify_on_a_truncated_or_non_json_manifest_names_it_and_says_how_to_rewrite_it(finished, tmp_path):
    workdir = clone_of(finished, tmp_path / "wf")
    manifest = workdir / "results" / "MANIFEST.json"
    intact = manifest.read_bytes()
    for klass, content, expected in BAD_MANIFESTS:
        manifest.write_bytes(intact[: len(intact) // 2] if content == "truncated" else content)
        before = {path: entry for path, entry in snapshot(workdir / "results").items()
                  if not path.startswith("logs/provenance/verify")}
        outcome = run_snakemake(workdir, "verify", "--cores", "1")
        message = outcome.stdout + outcome.stderr
        after = {path: entry for path, entry in snapshot(workdir / "results").items()
                 if not path.startswith("logs/provenance/verify")}
        refused = (outcome.returncode != 0 and "results/MANIFEST.json: " in message and expected in message
                   and "rerun the workflow" in message and "JSONDecodeError" not in message and after == before)
        count(klass, refused)
        assert refused, (content, message[-2000:])
    print({klass: f"{sum(results)}/{len(results)} refused" for klass, results in sorted(TRIED.items())})


# --------------------------------------------------------------------------------------------
# The validators on their own
# --------------------------------------------------------------------------------------------


def refusal(overlay: dict, base: dict = SMALL) -> str:
    with pytest.raises(ConfigError) as error:
        validate_config(deep_update(base, overlay), SCHEMA)
    return str(error.value)


def test_the_default_small_and_fidelity_configs_still_validate_within_the_budget():
    for config in [DEFAULT, SMALL] + [deep_update(DEFAULT, yaml.safe_load((REPO / "config" / name).read_text()))
                                      for name in ("fidelity_full.yaml", "fidelity_wide.yaml", "fidelity_confirm.yaml")]:
        merged = validate_config(config, SCHEMA)
        assert sum(size for _, _, size in memory_estimate(merged)) < MEMORY_BUDGET_BYTES / 4


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 10**400])
@pytest.mark.parametrize("path", ["model.eq1_lambda", "simulation.user_beta", "checks.recompute_tolerance",
                                  "simulation.item_beta_range.0", "recovery.exponent_range.1", "training.init_scales.0",
                                  "figure1.colour_range.1", "fidelity.colour_ranges.fixed.0",
                                  "fidelity.cluster_probabilities.published.2"])
def test_every_number_refuses_nan_and_infinity_at_any_depth(path, bad):
    config = copy.deepcopy(SMALL)
    *parents, last = path.split(".")
    node = config
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[int(last) if isinstance(node, list) else last] = bad
    message = refusal({}, config)
    assert FINITE in message and "(finite)" in message
    assert f"- {path.rsplit('.', 1)[0] if last.isdigit() else path}" in message


@pytest.mark.parametrize("bad, words", [(20.0, "a float, not an integer"), (True, "a boolean, not an integer"),
                                        (False, "a boolean, not an integer"), (math.nan, FINITE)])
@pytest.mark.parametrize("path", ["model.rank", "simulation.n_users", "seed", "recovery.n_seeds", "training.max_iterations"])
def test_integers_refuse_integer_valued_floats_and_booleans(path, bad, words):
    overlay: dict = {}
    *parents, last = path.split(".")
    node = overlay
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = bad
    message = refusal(overlay)
    assert f"- {path}: " in message and words in message and "allowed values: an integer" in message


def test_command_line_strings_that_python_reads_as_floats_are_refused_as_floats():
    coerced = coerce_command_line({"simulation": {"n_users": "1e12", "user_beta": "nan"}, "dataset": "1e5"}, SCHEMA)
    assert coerced["simulation"]["n_users"] == 1e12 and math.isnan(coerced["simulation"]["user_beta"])
    assert coerced["dataset"] == "1e5"  # a string key keeps its string


@pytest.mark.parametrize("colour_range", [[0.0, 0.05], [-1.0, -0.95], [0.99, 1.0]])
def test_colour_ranges_too_narrow_to_show_anything_are_refused(colour_range):
    assert "narrower than 0.1" in refusal({"figure1": {"colour_range": colour_range}})
    assert "narrower than 0.1" in refusal({"fidelity": {"colour_ranges": {"fixed": colour_range}}})


def test_the_memory_estimate_names_its_largest_part_and_the_budget():
    overlay = {"simulation": {"n_users": 3_000_000, "max_items_per_user": 200}}
    message = refusal(overlay)
    total = sum(size for _, _, size in memory_estimate(deep_update(SMALL, overlay)))
    assert f"- simulation.n_users: the run's estimated peak memory is {total / 2**30:.2f} GiB (" in message
    assert "3000000 users x 200 items x 64 bytes per interaction: 35.76 GiB" in message
    assert "above the budget of 16.00 GiB" in message
    # the largest n_items alone fits: 24 x 8000^2 x 8 bytes = 11.44 GiB of item-item matrices
    assert validate_config(deep_update(SMALL, {"simulation": {"n_items": 8000}}), SCHEMA)
    # with 20,000 users (5.96 GiB of dense data) the sum exceeds 16 GiB; the largest part is named
    assert "- simulation.n_items: the run's estimated peak memory is 18." in refusal(
        {"simulation": {"n_items": 8000, "n_users": 20_000}})


def test_the_memory_estimate_of_own_data_uses_its_shape():
    config = validate_config(SMALL, SCHEMA)
    assert memory_errors(config, data_shape=(3000, 200, 30_000)) == []
    message = memory_errors(config, data_shape=(2_000_000, 4000, 40_000_000))[0]
    assert message.startswith("own_data.interactions: the run's estimated peak memory is ")
    assert "dense 2000000 x 4000 data x 40 bytes" in message


def refusal_or_none(overlay: dict) -> str | None:
    try:
        validate_config(deep_update(SMALL, overlay), SCHEMA)
    except ConfigError as error:
        return str(error)
    return None


def test_the_schema_states_the_budget_and_the_default_estimate():
    estimate = sum(size for _, _, size in memory_estimate(validate_config(DEFAULT, SCHEMA)))
    assert f"(the default config estimates {estimate / 2**30:.1f} GiB;" in " ".join(SCHEMA["description"].split())
    assert MEMORY_BUDGET_BYTES == 16 * 2**30 and "exceeds 16 GiB is refused" in SCHEMA["description"]


@pytest.mark.parametrize("name, accepted", [("small", True), ("x" * 64, True), ("x" * 65, False), ("a-seed", True),
                                            ("seed7", True), ("small-seed7", False), ("small-seed", True)])
def test_dataset_names(name, accepted):
    message = refusal_or_none({"dataset": name})
    assert (message is None) == accepted, message
    if not accepted:
        assert "- dataset: " in message and "expected" not in message  # no self-contradicting 'expected X or X-seed<N>'


def test_duplicated_keys_in_yaml_and_json_files_are_named_with_file_and_lines(tmp_path):
    yaml_file, json_file, fine = tmp_path / "a.yaml", tmp_path / "b.json", tmp_path / "c.yaml"
    yaml_file.write_text("model:\n  rank: 5\nfidelity:\n  colour_ranges: {fixed: [0, 1], fixed: null}\nmodel: {}\n")
    json_file.write_text('{"a": 1,\n "b": {"c": 2, "c": 3}}')
    fine.write_text("model: {rank: 5}\nsimulation: {n_users: 5}\nbase: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    problems = config_file_duplicate_errors([yaml_file, json_file, fine])
    assert [problem.split(" (the second")[0] for problem in problems] == [
        f"fidelity.colour_ranges.fixed: given twice in {yaml_file} (line 4 and line 4); allowed: each key once per mapping",
        f"model: given twice in {yaml_file} (line 1 and line 5); allowed: each key once per mapping",
        f"b.c: given twice in {json_file} (line 2 and line 2); allowed: each key once per mapping",
    ]  # a YAML merge key (<<) is not a duplicate
    assert config_file_duplicate_errors([tmp_path / "absent.yaml"]) == []


def test_duplicated_keys_on_the_command_line():
    assert command_line_duplicate_errors(["seed=1", "model={rank: 5}"]) == []
    assert command_line_duplicate_errors(["seed=1", "seed=2"])[0].startswith("seed: given twice with --config")
    assert command_line_duplicate_errors(["model={rank: 5, rank: 6}"])[0].startswith("model.rank: given twice")


@pytest.mark.parametrize("content, expected", [(b'{"format": 1, "artifacts": [', "not valid JSON"),
                                               (b"\xff\xfe", "not valid JSON"), (b"", "not valid JSON"),
                                               (b'{"format": 1}', "not a manifest"), (b'"text"', "not a manifest"),
                                               (b'{"config": {}, "artifacts": [{"path": "x"}]}', "not a manifest")])
def test_a_damaged_manifest_is_named_not_raised_as_a_json_error(tmp_path, content, expected):
    manifest = tmp_path / "MANIFEST.json"
    manifest.write_bytes(content)
    for read in (lambda: load_manifest(manifest), lambda: verify_manifest(manifest, tmp_path)):
        with pytest.raises(ManifestMismatch) as error:
            read()
        assert str(error.value).startswith(f"{manifest}: ") and expected in str(error.value)
        assert "rerun the workflow" in str(error.value)


def test_an_intact_manifest_still_loads(tmp_path):
    manifest = tmp_path / "MANIFEST.json"
    manifest.write_text(json.dumps({"format": 1, "config": {}, "artifacts": []}))
    assert load_manifest(manifest)["artifacts"] == [] and verify_manifest(manifest, tmp_path) == 0
