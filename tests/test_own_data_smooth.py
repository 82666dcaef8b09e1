"""Your own data, smooth: each rough edge a new user met, with the test that shows it fixed.

Tab- and whitespace-separated files; refused separators naming the accepted ones; the spectrum
command; everything knowable before a job checked before any job (n < p and
claims.full_rank_items, Eq. 2's kept dimensions, with the value that would work).
"""

import csv
import json
import re
import shutil

import numpy as np
import pytest
import scipy.sparse as sp
import yaml
from conftest import REPO, copy_workflow, run_snakemake

from cossim.__main__ import main
from cossim.data.own_data import OwnDataError, check_own_data, load_own_data, read_interactions
from cossim.io import save_interactions
from cossim.prose import number

EXAMPLE = REPO / "examples" / "own_data"
CSV = "user,item,value\n7,30,2\n7,10,1.5\n3,30,1\n"
EXPECTED = [[0, 1], [1.5, 2]]  # users 3, 7; items 10, 30


@pytest.mark.parametrize("name, text, file_format", [
    ("tab.tsv", CSV.replace(",", "\t"), "auto"),
    ("tab.txt", CSV.replace(",", "\t"), "tsv"),
    ("spaces.txt", CSV.replace(",", "   "), "auto"),
    ("mixed.dat", "# user item value\n7 \t30  2\n7\t10 1.5\n\n3   30 1\n", "auto"),
    ("mixed.dat", "user item value\n7 \t30  2\n7\t10 1.5\n3   30 1\n", "whitespace"),
    ("comma.csv", CSV, "csv"),
])
def test_tab_and_whitespace_separated_files_are_read(tmp_path, name, text, file_format):
    path = tmp_path / name
    path.write_text(text)
    X, item_ids = read_interactions(path, file_format)
    np.testing.assert_array_equal(item_ids, [10, 30])
    np.testing.assert_array_equal(X.toarray(), EXPECTED)


def test_cluster_files_may_be_tab_separated_too(tmp_path):
    interactions = tmp_path / "x.tsv"
    interactions.write_text("1\t1\n1\t2\n2\t2\n")
    clusters = tmp_path / "c.tsv"
    clusters.write_text("item\tcluster\n1\t0\n2\t1\n")
    assert load_own_data(interactions, clusters).item_cluster.tolist() == [0, 1]


@pytest.mark.parametrize("separator, name", [(";", "semicolon"), ("|", "vertical bar"), (":", "colon")])
def test_a_refused_separator_is_named_with_the_accepted_ones(tmp_path, separator, name):
    path = tmp_path / "x.csv"
    path.write_text(f"1{separator}2\n3{separator}4\n")
    with pytest.raises(OwnDataError) as error:
        read_interactions(path)
    message = str(error.value)
    assert message.startswith(f"{path}:1: expected columns user,item")
    assert f"{separator!r} ({name})" in message
    assert "comma (format csv), tab (tsv) or spaces/tabs (whitespace)" in message


def test_a_wrong_column_count_names_the_separator_read_and_the_accepted_ones(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("1\t2\t3\t4\n")
    with pytest.raises(OwnDataError, match=r"x.tsv:1: expected columns user,item\[,value\], found 4 column\(s\) "
                       r"separated by tabs; accepted separators: comma"):
        read_interactions(path)


def spectrum_output(capsys, *args):
    status = main(["spectrum", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_spectrum_command_prints_singular_values_kept_dimensions_and_lambdas(tmp_path, capsys):
    # X = diag-like: singular values 4, 3, 2, 1 (user i has value sigma_i on item i)
    path = tmp_path / "x.tsv"
    path.write_text("1\t1\t4\n2\t2\t3\n3\t3\t2\n4\t4\t1\n")
    status, out, _ = spectrum_output(capsys, path, "--rank", 2)
    assert status == 0
    assert "n = 4 users, p = 4 items, 4 stored interactions; rank k = 2" in out
    # mean sigma^2 = (16 + 9 + 4 + 1) / 4 = 7.5, sigma_* = sqrt(22.4 * 7.5) = sqrt(168) = 12.96 -> capped
    # at 0.9 sigma_2 = 2.7, which keeps sigma_1 = 4 and sigma_2 = 3; keep_all: sigma_2 / 2 = 1.5
    assert "mean sigma_i^2 = ||X||_F^2 / p = 7.5; sigma_* = sqrt(22.4 mean sigma_i^2) = 12.9615" in out
    assert "model.eq1_lambda: 170 " in out
    assert "model.eq2_lambda: 2.7 " in out and "keeps the 2 of k = 2 dimensions" in out
    assert "eq2_lambda 1.5 (keeps 2 of 2)" in out
    for i, sigma in enumerate([4, 3, 2, 1], start=1):
        assert f"  {i:5d}  {sigma:12.6g}  {sigma**2:12.6g}" in out
    table = out.split("(sigma_i > lambda, Eq. 6):")[1]
    assert "         1.5      2   <- keeps all" in table and "         2.7      2   <- suggested" in table
    assert "           3      1\n" in table


def test_spectrum_command_reads_an_interactions_npz(tmp_path, capsys):
    path = tmp_path / "interactions.npz"
    save_interactions(path, sp.csr_matrix(np.diag([4.0, 3.0, 2.0, 1.0])))
    status, out, _ = spectrum_output(capsys, path, "--rank", 2)
    assert status == 0 and "model.eq1_lambda: 170 " in out


def test_spectrum_command_refuses_a_bad_file_naming_it(tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_text("1;2\n")
    status, _, err = spectrum_output(capsys, path)
    assert status == 2 and f"{path}:1: expected columns user,item" in err and "accepted separators" in err


def own_config(small_config, path, rank, **sections):
    config = {key: (dict(value) if isinstance(value, dict) else value) for key, value in small_config.items()}
    for section, changes in sections.items():
        config[section] = {**config[section], **changes}
    config["model"] = {**config["model"], "rank": rank}
    config["own_data"] = {"interactions": str(path), "format": "auto", "item_clusters": None}
    return config


def wide_data(tmp_path, n=6, p=10, seed=0):
    """n users, p > n items, every user and item with interactions: X lacks full column rank."""
    rng = np.random.default_rng(seed)
    X = (rng.random((n, p)) < 0.6).astype(int)
    X[np.arange(p) % n, np.arange(p)] = 1
    X[np.arange(n), np.arange(n)] = 1
    path = tmp_path / "wide.tsv"
    path.write_text("".join(f"{u}\t{i}\n" for u, i in zip(*np.nonzero(X))))
    return path, X


def test_n_below_p_is_refused_before_any_job_naming_full_rank_items_and_a_value_that_works(tmp_path, small_config):
    path, X = wide_data(tmp_path)
    config = own_config(small_config, path, 2, model={"eq2_lambda": 1.0},
                        training={"n_items": 4, "rank": 2, "eq2_lambda": 0.1})
    with pytest.raises(OwnDataError) as error:
        check_own_data(config["own_data"], 2, config)
    message = str(error.value)
    assert message.startswith(f"claims.full_rank_items: the 10 most popular items of {path} have no full column rank")
    assert "(n = 6 users < 10 items: X^T X has rank at most n)" in message
    suggested = int(message.split("set claims.full_rank_items: ")[1].split()[0])
    assert 1 <= suggested <= 6
    # the suggested value works, and one more item would not
    config["claims"] = {**config["claims"], "full_rank_items": suggested}
    assert check_own_data(config["own_data"], 2, config) is not None
    config["claims"] = {**config["claims"], "full_rank_items": suggested + 1}
    with pytest.raises(OwnDataError, match="claims.full_rank_items"):
        check_own_data(config["own_data"], 2, config)


def test_an_eq2_lambda_that_keeps_nothing_is_refused_with_the_suggested_lambda(tmp_path, small_config):
    path = tmp_path / "x.txt"
    path.write_text("1 1 4\n2 2 3\n3 3 2\n4 4 1\n")
    config = own_config(small_config, path, 2, model={"eq2_lambda": 5.0},
                        training={"n_items": 4, "rank": 2, "eq2_lambda": 0.1})
    with pytest.raises(OwnDataError) as error:
        check_own_data(config["own_data"], 2, config)
    assert str(error.value).startswith("model.eq2_lambda: lambda=5 is at least sigma_1 = 4")
    assert "(suggested: 2.7, with model.eq1_lambda 170; python -m cossim spectrum" in str(error.value)
    config = own_config(small_config, path, 2, model={"eq2_lambda": 2.5},
                        training={"n_items": 4, "rank": 2, "eq2_lambda": 9.0})
    with pytest.raises(OwnDataError, match=r"training.eq2_lambda: lambda=9 is at least sigma_1 = 4 .*"
                       r"\(suggested, keeping all 2 dimensions: 1.5\)"):
        check_own_data(config["own_data"], 2, config)


def test_an_eq2_lambda_that_keeps_everything_is_a_note_not_a_refusal(tmp_path, small_config):
    path = tmp_path / "x.csv"
    path.write_text("1,1,1\n2,2,1\n3,3,2\n")
    config = own_config(small_config, path, 2, model={"eq2_lambda": 0.5},
                        training={"n_items": 3, "rank": 1, "eq1_lambda": "suggested", "eq2_lambda": "suggested"})
    data = check_own_data(config["own_data"], 2, config)
    assert len(data.notes) == 1
    assert data.notes[0].startswith(f"model.eq2_lambda: lambda=0.5 is below sigma_2 = 1 of the matrix in {path}")
    assert "claim 8" in data.notes[0] and "not testable here (reported so, not a failure)" in data.notes[0]
    assert data.notes[0].endswith("to test it: 1 <= lambda < 2 (the spectrum rule suggests 0.9, which keeps 2 of the 2)")


def test_configured_training_lambdas_on_own_data_get_a_note_with_the_suggested_ones(tmp_path, small_config):
    path = tmp_path / "x.txt"
    path.write_text("1 1 4\n2 2 3\n3 3 2\n4 4 1\n")
    config = own_config(small_config, path, 2, model={"eq2_lambda": 3.5},
                        training={"n_items": 4, "rank": 2, "eq1_lambda": 10000, "eq2_lambda": 0.1})
    notes = check_own_data(config["own_data"], 2, config).notes
    assert notes == (f"training: eq1_lambda=10000, eq2_lambda=0.1 configured; on the 4 training items of {path} the "
                     "rule suggests eq1_lambda=170, eq2_lambda=1.5 (set training.eq1_lambda and training.eq2_lambda "
                     "to suggested)",)
    config["training"].update(eq1_lambda="suggested", eq2_lambda="suggested")
    assert check_own_data(config["own_data"], 2, config).notes == ()


# --- the workflow: the simulation and own data side by side; notebook texts derived from the data --

def notebook_text(path) -> str:
    """The markdown cells and every text output of an executed notebook."""
    notebook = json.loads(path.read_text())
    parts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append("".join(data.get("text/markdown", "")) or "".join(output.get("text", "")))
    return "\n".join(parts)


def result_files(root):
    return {path: path.stat().st_mtime_ns for path in root.rglob("*") if path.is_file()}


@pytest.mark.workflow
def test_simulation_and_own_data_coexist_and_own_data_notebooks_are_derived(tmp_path, small_config):
    workdir = copy_workflow(tmp_path / "wf")
    shutil.copytree(EXAMPLE, workdir / "examples" / "own_data")
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(small_config, sort_keys=False))
    targets = ("figure1", "claims", "training")
    first = run_snakemake(workdir, "--cores", "2", *targets)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-6000:]
    simulated = result_files(workdir / "results" / "small")
    assert workdir / "results/small/notebooks/figure1.ipynb" in simulated

    example = yaml.safe_load((EXAMPLE / "config.yaml").read_text())
    (workdir / "config" / "example.yaml").write_text(yaml.safe_dump(example, sort_keys=False))
    second = run_snakemake(workdir, *targets, "--cores", "2", "--configfile", "config/example.yaml")
    jobs = second.stdout + second.stderr
    assert second.returncode == 0, jobs[-6000:]
    assert "rule import_interactions" in jobs and "rule simulate" not in jobs and "dataset=small" not in jobs
    # both sets of results remain, the simulation's untouched, and neither is rerun
    assert result_files(workdir / "results" / "small") == simulated
    assert (workdir / "results/example/notebooks/figure1.ipynb").is_file()
    assert (workdir / "results/data/small/interactions.npz").is_file()
    assert (workdir / "results/data/example/interactions.npz").is_file()
    for config_args in ((), ("--configfile", "config/example.yaml")):
        again = run_snakemake(workdir, *targets, "-n", "--cores", "1", *config_args)
        assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr, again.stdout[-2000:]

    notebooks = {name: notebook_text(workdir / f"results/example/notebooks/{name}.ipynb")
                 for name in ("figure1", "claims", "training")}
    description = json.loads((workdir / "results/data/example/description.json").read_text())
    assert description["source"] == "imported" and description["cluster_sizes"] == [29, 19, 12]
    for name, text in notebooks.items():
        assert "We simulate" not in text and "we simulate" not in text, name
        assert re.search(r"\bnan\b", text) is None, name
    for name in ("figure1", "claims"):
        assert description["sentence"] in notebooks[name]
        assert "imported (from `examples/own_data/interactions.csv`" in notebooks[name]
    # every qualitative reading quotes its check's verdict: a failed check is never captioned as passed
    checks = {c["name"]: c for c in json.loads((workdir / "results/example/checks/figure1.json").read_text())["checks"]}
    for name in ("eq5_blocks_clear", "case_a_blocks_fainter", "eq2_merged_high"):
        verdict = "holds" if checks[name]["passed"] else "does not hold: the panel does not show this part of the paper's"
        assert f"the check \"{checks[name]['statement']}\" {verdict}" in notebooks["figure1"]
        assert f"{verdict}{'' if checks[name]['passed'] else ' pattern here'} (measured {number(checks[name]['measured'])}" in notebooks["figure1"]
    assert not checks["case_a_blocks_fainter"]["passed"]  # on this data panel 3 is not fainter than panel 2
    for canned in ("clear blocks)", "fainter blocks)", "the three large clusters"):
        assert canned not in notebooks["figure1"]
    assert "3 clusters of sizes [29, 19, 12]" in notebooks["figure1"]
    # Table 2: the data's own items and the lambdas the rule suggests for them
    setup = json.loads((workdir / "results/example/checks/training.json").read_text())["setup"]
    assert setup["eq1_lambda_source"] == setup["eq2_lambda_source"] == "suggested"
    assert setup["eq2_kept"] == setup["rank"] == small_config["training"]["rank"]
    assert setup["sentence"] in notebooks["training"]
    assert (f"the {small_config['training']['n_items']} most popular of the 60 items of data set `example`"
            in notebooks["training"])
    assert "default data" not in notebooks["training"]


@pytest.mark.workflow
def test_n_below_p_stops_the_real_command_line_before_any_job(tmp_path, small_config):
    workdir = copy_workflow(tmp_path / "wf")
    path, _ = wide_data(workdir)
    config = own_config(small_config, path.name, 2, model={"eq2_lambda": 1.0},
                        training={"n_items": 4, "rank": 2, "eq2_lambda": 0.1})
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    result = run_snakemake(workdir, "--cores", "1")
    assert result.returncode != 0
    assert "invalid own data: claims.full_rank_items: the 10 most popular items of wide.tsv" in result.stderr
    assert "set claims.full_rank_items: " in result.stderr
    assert not (workdir / "results").exists()


def test_n_below_p_is_refused_by_the_sizes_alone_when_p_is_too_large_for_the_spectrum(tmp_path, small_config):
    from cossim.data.spectrum import SPECTRUM_MAX_ITEMS

    p = SPECTRUM_MAX_ITEMS + 1
    path = tmp_path / "wide.txt"
    path.write_text("".join(f"{item % 3} {item}\n" for item in range(p)))
    config = own_config(small_config, path, 2, model={"eq2_lambda": 1.0},
                        training={"n_items": 4, "rank": 2, "eq2_lambda": 0.1})
    with pytest.raises(OwnDataError, match=f"claims.full_rank_items: null \\(all items\\) gives {p:,} items but "
                       f"{path} has n = 3 users < {p:,} items"):
        check_own_data(config["own_data"], 2, config)


@pytest.mark.workflow
def test_an_untestable_claim_runs_through_the_workflow_and_is_not_a_failure(tmp_path, small_config):
    from cossim.config import deep_update

    workdir = copy_workflow(tmp_path / "wf")
    shutil.copytree(EXAMPLE, workdir / "examples" / "own_data")
    config = deep_update(small_config, yaml.safe_load((EXAMPLE / "config.yaml").read_text()))
    config["model"]["eq2_lambda"] = 1.0  # below sigma_10 = 6.6: Eq. 2 keeps all 10 dimensions
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    result = run_snakemake(workdir, "--cores", "2", "claims")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    assert "note on own data (before any job): model.eq2_lambda: lambda=1 is below sigma_10" in result.stderr
    with open(workdir / "results/example/tables/table1_claims.csv", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert rows["8a_eq2_zeroes_small_sigma"]["pass"] == "not testable" and "8b_eq2_small_sigma_stay_off" not in rows
    assert all(row["pass"] == "true" for key, row in rows.items() if not key.startswith("8"))
    checks = json.loads((workdir / "results/example/checks/claims.json").read_text())["checks"]
    assert all(check["passed"] for check in checks)
    text = notebook_text(workdir / "results/example/notebooks/claims.ipynb")
    assert "16 rows: 15 pass, 0 fail, 1 not testable here" in text
