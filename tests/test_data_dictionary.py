"""The data dictionary defines every column of every CSV a run writes, and renders as a page."""

from __future__ import annotations

import pytest

from cossim import data_dictionary
from cossim.data_dictionary import TABLES, csv_artifacts, definition, markdown, undefined_columns


def test_every_csv_artifact_of_the_registry_has_a_table_and_every_table_an_artifact():
    assert set(csv_artifacts()) == set(TABLES)


def test_a_column_no_entry_defines_is_named(tmp_path):
    tables = tmp_path / "results" / "x" / "tables"
    tables.mkdir(parents=True)
    (tables / "table3_cluster_recovery.csv").write_text("panel,label,seed,statistic,auc,precision_at_7,spearman,surprise\n")
    (tables / "unknown.csv").write_text("a\n")
    assert undefined_columns(tmp_path / "results") == ["results/x/tables/table3_cluster_recovery.csv: surprise",
                                                       "results/x/tables/unknown.csv: no table"]
    assert definition("fidelity.table", "eq2_unique_gradient_c3") is not None
    assert definition("fidelity.table", "eq9_gradient_c3") is None


def test_the_page_lists_only_the_tables_and_columns_that_exist(tmp_path):
    tables = tmp_path / "results" / "x" / "tables"
    tables.mkdir(parents=True)
    (tables / "recovery_user_auc.csv").write_text("scaling,label,auc,precision_at_10,spearman\n")
    page = markdown(tmp_path / "results", ["x"])
    assert "`results/x/tables/recovery_user_auc.csv`" in page and "| `precision_at_<k>` |" in page
    assert "table3" not in page and "| `auc_range_over_d` |" not in page
    assert all(line.count("|") == 4 for line in page.splitlines() if line.startswith("| `"))  # no cell breaks the table


@pytest.mark.workflow
def test_every_column_of_every_csv_of_a_run_is_defined(small_run):
    assert undefined_columns(small_run / "results") == []
    for dataset in ("small", "movielens"):
        page = data_dictionary.markdown(small_run / "results", [dataset])
        assert page.count("\n## ") >= 5, dataset
    both = data_dictionary.markdown(small_run / "results", ["small", "movielens"])
    assert "`results/small/tables/table1_claims.csv`, `results/movielens/tables/table1_claims.csv`" in both
    assert both.count("## Table 1") == 1


def test_the_page_describes_only_the_files_it_is_given(tmp_path):
    tables = tmp_path / "results" / "x" / "tables"
    tables.mkdir(parents=True)
    (tables / "recovery_user_auc.csv").write_text("scaling,label,auc,precision_at_10,spearman\n")
    (tables / "table1_claims.csv").write_text("id,claim,measured\n")
    page = markdown(tmp_path / "results", ["x"], {"results/x/tables/table1_claims.csv"})
    assert "`results/x/tables/table1_claims.csv`" in page and "recovery_user_auc" not in page
