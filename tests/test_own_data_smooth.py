"""Your own data, smooth: each rough edge a new user met, with the test that shows it fixed.

Tab- and whitespace-separated files; refused separators naming the accepted ones; the spectrum
command; everything knowable before a job checked before any job (n < p and
claims.full_rank_items, Eq. 2's kept dimensions, with the value that would work).
"""

import numpy as np
import pytest
import scipy.sparse as sp

from cossim.__main__ import main
from cossim.data.own_data import OwnDataError, load_own_data, read_interactions
from cossim.io import save_interactions

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
    # mean sigma^2 = (16 + 9 + 4 + 1) / 4 = 7.5, sigma_* = sqrt(60) = 7.746 -> capped at sigma_1 / 2 = 2,
    # which keeps sigma_1 = 4 and sigma_2 = 3; keep_all: sigma_2 / 2 = 1.5
    assert "mean sigma_i^2 = ||X||_F^2 / p = 7.5; sigma_* = sqrt(8 mean sigma_i^2) = 7.74597" in out
    assert "model.eq1_lambda: 60 " in out
    assert "model.eq2_lambda: 2 " in out and "keeps the 2 of k = 2 dimensions" in out
    assert "eq2_lambda 1.5 (keeps 2 of 2)" in out
    for i, sigma in enumerate([4, 3, 2, 1], start=1):
        assert f"  {i:5d}  {sigma:12.6g}  {sigma**2:12.6g}" in out
    table = out.split("(sigma_i > lambda, Eq. 6):")[1]
    assert "         1.5      2   <- keeps all" in table and "           2      2   <- suggested" in table
    assert "           3      1\n" in table


def test_spectrum_command_reads_an_interactions_npz(tmp_path, capsys):
    path = tmp_path / "interactions.npz"
    save_interactions(path, sp.csr_matrix(np.diag([4.0, 3.0, 2.0, 1.0])))
    status, out, _ = spectrum_output(capsys, path, "--rank", 2)
    assert status == 0 and "model.eq1_lambda: 60 " in out


def test_spectrum_command_refuses_a_bad_file_naming_it(tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_text("1;2\n")
    status, _, err = spectrum_output(capsys, path)
    assert status == 2 and f"{path}:1: expected columns user,item" in err and "accepted separators" in err
