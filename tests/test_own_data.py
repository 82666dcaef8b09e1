"""Your own data: reading CSV and Matrix Market files, refusing malformed ones by file and line,
and the workflow on the shipped example (with and without ground-truth clusters)."""

import json
import shutil

import numpy as np
import pytest
import scipy.sparse as sp
import yaml
from conftest import REPO, copy_workflow, run_snakemake

from cossim.config import deep_update
from cossim.data.own_data import (
    OwnDataError,
    check_own_data,
    item_popularity,
    load_own_data,
    read_interactions,
)
from cossim.model.panels import NO_CLUSTER

EXAMPLE = REPO / "examples" / "own_data"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_with_header_values_and_sparse_ids(tmp_path):
    path = write(tmp_path, "x.csv", "user,item,value\n7,30,2\n7,10,1.5\n# a comment\n\n3,30,1\n")
    X, item_ids = read_interactions(path)
    np.testing.assert_array_equal(item_ids, [10, 30])
    np.testing.assert_array_equal(X.toarray(), [[0, 1], [1.5, 2]])  # users 3, 7 in increasing id order


def test_csv_without_header_or_values_counts_ones(tmp_path):
    X, item_ids = read_interactions(write(tmp_path, "x.csv", "0,1\n1,0\n1,1\n"))
    np.testing.assert_array_equal(X.toarray(), [[0, 1], [1, 1]])


def test_matrix_market_matches_the_same_csv(tmp_path):
    mtx = write(
        tmp_path,
        "x.mtx",
        "%%MatrixMarket matrix coordinate real general\n% comment\n3 4 3\n1 2 1\n3 4 2.5\n2 2 1\n",
    )
    X, item_ids = read_interactions(mtx)
    assert X.shape == (3, 4) and item_ids.tolist() == [1, 2, 3, 4]
    expected = sp.coo_matrix(([1, 2.5, 1], ([0, 2, 1], [1, 3, 1])), shape=(3, 4)).toarray()
    np.testing.assert_array_equal(X.toarray(), expected)
    pattern = write(tmp_path, "p.mtx", "%%MatrixMarket matrix coordinate pattern general\n2 2 2\n1 1\n2 2\n")
    np.testing.assert_array_equal(read_interactions(pattern)[0].toarray(), np.eye(2))


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("empty.csv", "", "empty.csv: no interactions"),
        ("header_only.csv", "user,item\n", "header_only.csv: no interactions"),
        ("wide.csv", "1,2,3,4\n", "wide.csv:1: expected columns user,item[,value], found 4"),
        ("ragged.csv", "1,2\n3,4,5\n", "ragged.csv:2: expected 2 columns"),
        ("text_id.csv", "user,item\n1,2\nalice,3\n", "text_id.csv:3: user id 'alice' is not a non-negative integer"),
        ("float_id.csv", "1,2.5\n", "float_id.csv:1: item id '2.5' is not a non-negative integer"),
        ("negative_id.csv", "1,2\n-1,2\n", "negative_id.csv:2: user id '-1'"),
        ("duplicate.csv", "1,2\n3,4\n1,2\n", "duplicate.csv:3: duplicate interaction of user 1 with item 2 (first on line 1)"),
        ("negative.csv", "user,item,value\n1,2,1\n1,3,-0.5\n", "negative.csv:3: negative value -0.5"),
        ("nan.csv", "1,2,nan\n", "nan.csv:1: value 'nan' is not finite"),
        ("word.csv", "1,2,many\n", "word.csv:1: value 'many' is not a number"),
        ("bad.mtx", "%%MatrixMarket matrix array real general\n", "bad.mtx:1: expected '%%MatrixMarket"),
        ("range.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1\n", "range.mtx:3: entry (3, 1) outside"),
        ("count.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n", "count.mtx:2: size line declares 2 entries"),
        ("dup.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 1 1\n1 1 3\n", "dup.mtx:4: duplicate"),
        ("neg.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 -2\n", "neg.mtx:3: negative value -2"),
    ],
)
def test_malformed_interaction_files_are_refused_naming_file_and_line(tmp_path, name, text, message):
    path = write(tmp_path, name, text)
    with pytest.raises(OwnDataError) as error:
        read_interactions(path)
    assert str(error.value).startswith(str(tmp_path)) and message in str(error.value)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no items"),
        ("item,cluster\n10,0\n10,1\n20,0\n", "c.csv:3: duplicate item 10 (first on line 2)"),
        ("10,0\n20,x\n", "c.csv:2: cluster id 'x'"),
        ("10,0\n20,1\n99,1\n", "c.csv:3: item 99 does not occur"),
        ("10,0\n", "1 item(s) of"),
        ("10,0,1\n", "c.csv:1: expected columns item,cluster"),
    ],
)
def test_malformed_cluster_files_are_refused(tmp_path, text, message):
    interactions = write(tmp_path, "x.csv", "1,10\n2,20\n")
    clusters = write(tmp_path, "c.csv", text)
    with pytest.raises(OwnDataError, match=None) as error:
        load_own_data(interactions, clusters)
    assert message in str(error.value)


def test_data_without_clusters_marks_every_item_unknown(tmp_path):
    data = load_own_data(write(tmp_path, "x.csv", "1,10\n2,20\n2,10\n"))
    assert not data.has_clusters and np.all(data.item_cluster == NO_CLUSTER)
    np.testing.assert_allclose(item_popularity(data.interactions), [1.0, 0.5])


def test_config_checks_rank_and_orphan_cluster_file(tmp_path):
    path = str(write(tmp_path, "x.csv", "1,10\n2,20\n"))
    with pytest.raises(OwnDataError, match="model.rank: k=3 exceeds the 2 items"):
        check_own_data({"interactions": path, "format": "auto", "item_clusters": None}, rank=3)
    with pytest.raises(OwnDataError, match="own_data.interactions is null"):
        check_own_data({"interactions": None, "format": "auto", "item_clusters": path}, rank=1)
    assert check_own_data({"interactions": None, "format": "auto", "item_clusters": None}, rank=1) is None


def test_example_files_load_with_ground_truth():
    data = load_own_data(EXAMPLE / "interactions.csv", EXAMPLE / "item_clusters.csv")
    assert data.has_clusters and data.interactions.shape[1] == data.item_cluster.size
    config = yaml.safe_load((EXAMPLE / "config.yaml").read_text())
    assert config["own_data"]["interactions"] == "examples/own_data/interactions.csv"


def example_workdir(tmp_path, small_config, with_clusters):
    """A workflow copy with the example files and its config merged over the small config."""
    workdir = copy_workflow(tmp_path / "wf")
    shutil.copytree(EXAMPLE, workdir / "examples" / "own_data")
    example = yaml.safe_load((EXAMPLE / "config.yaml").read_text())
    if not with_clusters:
        example["own_data"]["item_clusters"] = None
    config = deep_update(small_config, example)  # recursively, as --configfile merges
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return workdir


@pytest.mark.workflow
def test_workflow_on_the_example_without_clusters_skips_ground_truth_with_a_note(tmp_path, small_config):
    workdir = example_workdir(tmp_path, small_config, with_clusters=False)
    result = run_snakemake(workdir, "--cores", "2")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    jobs = result.stdout + result.stderr
    assert "rule import_interactions" in jobs and "rule simulate" not in jobs
    with np.load(workdir / "results/example/figures/figure1.npz") as panels:
        assert "true_clusters" not in panels and "eq2_unique" in panels
    report = json.loads((workdir / "results/example/checks/figure1.json").read_text())
    assert all(check["passed"] for check in report["checks"])
    assert any("stationary" in check["name"] for check in report["checks"])
    assert any("True clusters" in note for note in report["notes"])
    assert "skipped" in (workdir / "results/example/notebooks/figure1.html").read_text()
    ids = (workdir / "results/data/example/item_ids.csv").read_text().splitlines()
    assert ids[:2] == ["item,source_id", "0,10"]


@pytest.mark.workflow
def test_malformed_own_data_is_refused_before_any_job(tmp_path, small_config):
    workdir = example_workdir(tmp_path, small_config, with_clusters=True)
    interactions = workdir / "examples" / "own_data" / "interactions.csv"
    lines = interactions.read_text().splitlines()
    lines[5] = lines[5].split(",")[0] + ",abc"
    interactions.write_text("\n".join(lines) + "\n")
    result = run_snakemake(workdir, "--cores", "1")
    assert result.returncode != 0
    assert "examples/own_data/interactions.csv:6: item id 'abc' is not a non-negative integer" in result.stderr
    assert not (workdir / "results").exists()


def test_own_data_lifts_the_simulation_rank_bound_only():
    from cossim.config import cross_field_errors

    config = yaml.safe_load((REPO / "tests" / "small_config.yaml").read_text())
    config["model"]["rank"] = config["simulation"]["n_items"] + 1
    assert any("model.rank" in problem for problem in cross_field_errors(config))
    config["own_data"]["interactions"] = "mine.csv"
    assert not any("model.rank" in problem for problem in cross_field_errors(config))


def test_recomputation_check_demands_panel_1_whenever_clusters_are_known():
    from cossim.figure1.checks import check_recomputation

    saved = {"order": np.arange(3), "true_clusters": np.eye(3)}
    known = np.array([0, 1, 2])
    assert all(r.passed for r in check_recomputation(saved, {}, known, 1e-9))
    without_panel = {"order": np.arange(3)}
    assert not all(r.passed for r in check_recomputation(without_panel, {}, known, 1e-9))
    unknown = np.full(3, NO_CLUSTER)
    assert check_recomputation(without_panel, {}, unknown, 1e-9) == []


def test_csv_saved_by_a_spreadsheet_with_a_byte_order_mark_reads(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("user,item\r\n1,2\r\n".encode("utf-8-sig"))
    X, item_ids = read_interactions(path)
    assert X.nnz == 1 and item_ids.tolist() == [2]
