"""The artifact registry (cossim.paths) and the docs generator (cossim.docs)."""

import pytest
from conftest import REPO

from cossim import docs, paths


def test_every_study_is_found_in_workflow_order_with_its_rule_file_and_notebook():
    names = [study.name for study in paths.studies()]
    assert names[:2] == ["data", "fits"] and names[-1] == "provenance"
    for study in paths.studies():
        assert (REPO / "workflow" / "rules" / f"{study.name}.smk").is_file(), study.name
        if "notebook" in study.files:
            assert (REPO / "notebooks" / f"{study.name}.ipynb").is_file(), study.name
        assert set(study.final) <= set(study.files)


def test_registry_paths_are_unique_and_under_results():
    patterns = [pattern for study in paths.studies() for pattern in study.files.values()]
    assert len(patterns) == len(set(patterns))
    assert all(pattern.startswith(paths.RESULTS + "/") for pattern in patterns)


def test_a_study_refuses_keys_that_clash_with_its_own_attributes():
    with pytest.raises(ValueError, match="clash"):
        paths.Study("x", 1, "s", files={"summary": "results/x.csv"})
    with pytest.raises(ValueError, match="not artifacts"):
        paths.Study("x", 1, "s", files={"table": "results/x.csv"}, final=("tabel",))


def test_docs_blocks_are_filled_from_csv_with_columns_and_rows(tmp_path):
    (tmp_path / "t.csv").write_text("name,statistic,value\na,mean,0.123456\nb,sd,2\n")
    text = "x\n<!-- generated from t.csv columns=name,value rows=statistic:mean -->\nstale\n<!-- end generated -->\ny\n"
    filled = docs.fill(text, tmp_path)
    assert "| name | value |" in filled and "| a | 0.123 |" in filled
    assert "stale" not in filled and "| b |" not in filled
    assert docs.fill(filled, tmp_path) == filled  # filling is idempotent


def test_every_generated_block_of_the_docs_names_a_file_the_workflow_or_the_benchmark_writes():
    for document in docs.documents(REPO):
        for block in docs.BLOCK.finditer(document.read_text()):
            source = block["source"]
            assert source.startswith("benchmarks/results/") or paths.is_registered(source), f"{document.name}: {source}"
