"""Own data that the workflow must refuse before any job: other encodings and binary files, oversized
lines and fields, ids and cluster labels beyond 64 bits, and degenerate matrices (no interactions,
huge or tiny values, empty users or items, a rank below the model's, fits that the singular values
make empty). Each bad file is refused with a message naming the file, and the line where there is
one; ids in [2^63, 2^64) are read exactly."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import REPO, copy_workflow

from cossim.config import deep_update
from cossim.data.own_data import OwnDataError, check_own_data, load_own_data, read_interactions
from cossim.io import save_item_ids

BATCH_RUNNER = Path(__file__).with_name("snakemake_batch.py")
EXAMPLE = REPO / "examples" / "own_data"
FIELD_LIMIT = 131_072  # the csv module's default field size limit


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


GOOD = b"user,item\n1,10\n2,20\n2,10\n3,30\n"
GOOD_CLUSTERS = b"item,cluster\n10,0\n20,1\n30,1\n"
MTX = b"%%MatrixMarket matrix coordinate real general\n"

# (name, interaction bytes, cluster bytes or None, model.rank, config changes, expected message
# after the file's path: ":<line>: ..." for a line, ": ..." for the whole file)
BAD_FILES = [
    # class 5: encodings, compressed and binary files, oversized lines and fields
    ("latin1.csv", b"user,item\n1,10\n2,caf\xe9\n", None, 1, {}, ":3: byte 0xe9 at column 6 is not UTF-8"),
    ("latin1_comment.csv", b"# caf\xe9 cr\xe8me\n1,10\n2,20\n", None, 1, {}, ":1: byte 0xe9 at column 6 is not UTF-8"),
    ("gzip.csv", gzip.compress(GOOD, mtime=0), None, 1, {}, ": the file is gzip-compressed, not text"),
    ("gzip.csv.gz", gzip.compress(GOOD, mtime=0), None, 1, {}, ": the file is gzip-compressed, not text"),
    ("gzip.mtx", gzip.compress(MTX + b"2 2 2\n1 1 1\n2 2 1\n", mtime=0), None, 1, {}, ": the file is gzip-compressed"),
    ("archive.csv", zipped("x.csv", GOOD), None, 1, {}, ": the file is a zip archive, not text"),
    ("utf16.csv", GOOD.decode().encode("utf-16"), None, 1, {}, ": the file is UTF-16 text; save it as UTF-8"),
    ("nul.csv", b"1,10\n2,20\x00\x00\n", None, 1, {}, ":2: control character U+0000 at column 5"),
    ("escape.csv", b"1,10\n2,2\x1b0\n", None, 1, {}, ":2: control character U+001B"),
    ("long_field.csv", b"1,10\n2," + b"7" * (FIELD_LIMIT + 10) + b"\n", None, 1, {}, f":2: line of {FIELD_LIMIT + 12:,} characters"),
    ("long_comment.csv", b"#" + b"x" * 20_000 + b"\n1,10\n", None, 1, {}, ":1: line of 20,001 characters; allowed: at most 10,000"),
    ("open_quote.csv", b'1,10\n2,"20\n' + (b"3" * 9_000 + b"\n") * 20, None, 1, {}, ":2: not a valid CSV record (field larger than field limit (131072), reading lines 2 to 17"),
    ("long_line.mtx", MTX + b"% " + b"y" * 50_000 + b"\n1 1 1\n1 1 1\n", None, 1, {}, ":2: line of 50,002 characters"),
    ("latin1.mtx", MTX + b"% \xe9t\xe9\n1 1 1\n1 1 1\n", None, 1, {}, ":2: byte 0xe9 at column 3"),
    ("clusters_latin1.csv", GOOD, b"item,cluster\n10,0\n20,\xe91\n30,1\n", 1, {}, "c.csv:3: byte 0xe9"),
    ("clusters_gzip.csv", GOOD, gzip.compress(GOOD_CLUSTERS, mtime=0), 1, {}, "c.csv: the file is gzip-compressed"),
    ("clusters_long.csv", GOOD, b"10,0\n20,1\n30," + b"1" * 200_000 + b"\n", 1, {}, "c.csv:3: line of 200,003 characters"),
    ("clusters_nul.csv", GOOD, b"10,0\n\x0020,1\n30,1\n", 1, {}, "c.csv:2: control character U+0000"),
    # class 6: ids and cluster labels beyond 64 bits
    ("item_2_64.csv", b"1,18446744073709551615\n2,18446744073709551616\n", None, 1, {},
     ":2: item id 18446744073709551616 is too large; allowed: 0 to 18446744073709551615"),
    ("user_10_30.csv", b"1000000000000000000000000000000,1\n2,1\n", None, 1, {}, ":1: user id 1000000000000000000000000000000 is too large"),
    ("id_5000_digits.csv", b"1,10\n2," + b"9" * 5000 + b"\n", None, 1, {}, ":2: item id 99999999999999999999...(5000 digits) is too large"),
    ("row_2_64.mtx", MTX + b"18446744073709551616 2 1\n1 1 1\n", None, 1, {}, ":2: row count id 18446744073709551616 is too large"),
    ("label_2_63.csv", GOOD, b"10,0\n20,9223372036854775808\n30,1\n", 1, {},
     "c.csv:2: cluster id 9223372036854775808 is too large; allowed: 0 to 9223372036854775807"),
    ("label_huge.csv", GOOD, b"10,0\n20,1\n30," + b"5" * 30 + b"\n", 1, {}, "c.csv:3: cluster id 555555555555555555555555555555 is too large"),
    # class 7: degenerate data
    ("all_zero.csv", b"user,item,value\n1,10,0\n2,20,0.0\n", None, 1, {}, ": all 2 values are 0: no interactions left"),
    ("all_zero.mtx", MTX + b"2 2 2\n1 1 0\n2 2 0\n", None, 1, {}, ": all 2 values are 0"),
    ("huge_value.csv", b"1,10,1\n2,20,1e300\n", None, 1, {}, ":2: value 1e300 is out of range; allowed: 0 (no interaction) or 1e-06 to 1e+06"),
    ("overflow_value.csv", b"1,10,1\n2,20,1e400\n", None, 1, {}, ":2: value 1e400 is out of range"),
    ("tiny_value.csv", b"1,10,1\n2,20,1e-300\n", None, 1, {}, ":2: value 1e-300 is out of range"),
    ("huge_value.mtx", MTX + b"2 2 2\n1 1 1\n2 2 2e7\n", None, 1, {}, ":4: value 2e7 is out of range"),
    ("underscore_value.csv", b"1,10,1_000\n", None, 1, {}, ":1: value '1_000' is not a decimal number"),
    ("integer_header.mtx", b"%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 1 1\n2 2 2.5\n", None, 1, {},
     ":4: value '2.5' is not an integer"),
    ("zero_item.csv", b"1,10,1\n2,20,1\n1,30,0\n2,10,1\n", None, 1, {}, ": 1 item(s) have no non-zero interaction: 30"),
    ("zero_user.csv", b"1,10,1\n2,20,1\n3,20,0\n", None, 1, {}, ": 1 user(s) have no non-zero interaction: 3"),
    ("empty_column.mtx", MTX + b"2 3 2\n1 1 1\n2 2 1\n", None, 1, {}, ": 1 item(s) have no non-zero interaction: 3"),
    ("empty_row.mtx", MTX + b"3 2 2\n1 1 1\n2 2 1\n", None, 1, {}, ": 1 user(s) have no non-zero interaction: 3"),
    ("one_user.csv", b"5,1,1\n5,2,2\n5,3,1\n", None, 1, {"training": {"eq2_lambda": 0.5}},
     "model.rank: at k=1 sigma_k = sigma_1 = 2.44949 in the matrix of {path}, so no lambda of Eq. 2"),
    ("dependent_columns.csv", b"1,1,1\n1,2,1\n2,2,1\n2,3,1\n3,1,1\n3,2,2\n3,3,1\n", None, 2,
     {"model": {"eq2_lambda": 1}, "training": {"eq2_lambda": 1}},
     "claims.full_rank_items: the 3 most popular items of {path} have no full column rank (sigma_3 / sigma_1 = "),
    ("one_user_training.csv", b"5,1,1\n5,2,2\n5,3,1\n", None, 1, {},
     "training.eq2_lambda: lambda=10 is at least sigma_1 = 2.44949 of the 3 most popular items of"),
    ("same_users.csv", b"1,1\n1,2\n2,1\n2,2\n3,1\n3,2\n", None, 2, {},
     "model.rank: k=2 exceeds the rank of the matrix in {path}, which is at most 1 (1 distinct user rows"),
    ("rank_two.csv", b"1,1,1\n1,2,1\n2,2,1\n2,3,1\n3,1,1\n3,2,2\n3,3,1\n", None, 3, {},
     "model.rank: k=3 exceeds the rank 2 of the matrix in {path}"),
    ("eq2_zero.csv", b"1,1\n2,2\n3,3\n", None, 1, {"model": {"eq2_lambda": 30}},
     "model.eq2_lambda: lambda=30 is at least sigma_1 = 1, the largest singular value of the matrix in {path}"),
    ("training_rank.csv", b"1,1\n2,2\n3,3\n", None, 1, {"training": {"rank": 4, "eq2_lambda": 0.5}},
     "training.rank: k=4 exceeds the 3 items of {path} that training uses"),
    ("many_items.csv", b"".join(b"1,%d\n" % item for item in range(10_001)), None, 1, {},
     ": 10,001 distinct items; allowed: at most 10,000"),
    ("many_rows.mtx", MTX + b"1000000000000 2 1\n1 1 1\n", None, 1, {}, ":2: 1,000,000,000,000 rows (users) declared; allowed: at most"),
]


def merged(base: dict, changes: dict) -> dict:
    """``base`` with the nested ``changes`` applied (a copy)."""
    result = json.loads(json.dumps(base))
    for key, value in changes.items():
        result[key] = {**result[key], **value} if isinstance(value, dict) else value
    return result


def configuration(small_config, interactions, clusters, rank, changes):
    """The small config on the given own data files, with ``changes``."""
    config = merged(small_config, {"model": {"rank": rank, "eq2_lambda": 0.1}, "training": {"rank": 1}, **changes})
    config["own_data"] = {"interactions": str(interactions), "format": "auto", "item_clusters": clusters and str(clusters)}
    return config


def write_case(directory: Path, name: str, interactions: bytes, clusters: bytes | None):
    """Write a case's files; returns (interaction path, cluster path or None)."""
    directory.mkdir(parents=True, exist_ok=True)
    is_cluster_case = name.startswith("clusters_") or name.startswith("label_")
    path = directory / ("x.csv" if is_cluster_case else name)
    path.write_bytes(interactions)
    cluster_path = None
    if clusters is not None:
        cluster_path = directory / "c.csv"
        cluster_path.write_bytes(clusters)
    return path, cluster_path


def test_at_least_forty_distinct_bad_own_data_files():
    distinct = {(name, interactions, clusters, rank, json.dumps(changes)) for name, interactions, clusters, rank, changes, _ in BAD_FILES}
    assert len(distinct) == len(BAD_FILES) >= 40


@pytest.mark.parametrize("name, interactions, clusters, rank, changes, expected", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_bad_own_data_is_refused_naming_the_file_and_line(tmp_path, small_config, name, interactions, clusters, rank, changes, expected):
    path, cluster_path = write_case(tmp_path, name, interactions, clusters)
    config = configuration(small_config, path, cluster_path, rank, changes)
    with pytest.raises(OwnDataError) as error:
        check_own_data(config["own_data"], rank, config)
    message = str(error.value)
    named = cluster_path if expected.startswith("c.csv") else path
    expected = expected.replace("{path}", str(path))
    if expected.startswith(":") or expected.startswith("c.csv"):
        expected = str(named) + expected.removeprefix("c.csv")
    assert expected in message, message
    assert str(named) in message


def test_ids_at_and_above_two_to_the_63_are_read_exactly_and_never_collapse(tmp_path):
    ids = [2**63 - 1, 2**63, 2**63 + 1, 2**64 - 2, 2**64 - 1]
    lines = "".join(f"{user},{item},{user + 1}\n" for user, item in zip([7, 8, 9, 10, 11], ids))
    path = tmp_path / "x.csv"
    path.write_text(lines + f"7,{2**64 - 1},1\n")
    clusters = tmp_path / "c.csv"
    clusters.write_text("".join(f"{item},{2**63 - 1 - number}\n" for number, item in enumerate(ids)))
    data = load_own_data(path, clusters)
    assert [int(i) for i in data.item_ids] == ids and data.interactions.shape == (5, 5)
    assert data.interactions.nnz == 6 and data.interactions.sum() == 8 + 9 + 10 + 11 + 12 + 1
    np.testing.assert_array_equal(data.interactions.getnnz(axis=0), [1, 1, 1, 1, 2])  # no two ids merged
    np.testing.assert_array_equal(data.item_cluster, [2**63 - 1 - number for number in range(5)])
    save_item_ids(tmp_path / "item_ids.csv", data.item_ids)
    rows = (tmp_path / "item_ids.csv").read_text().splitlines()[1:]
    assert rows == [f"{index},{item}" for index, item in enumerate(ids)]
    small = tmp_path / "small.csv"
    small.write_text("1,5\n2,2\n")
    assert read_interactions(small)[1].dtype == np.int64  # ids below 2^63 keep the int64 of before


def test_ids_with_leading_zeros_and_zero_values_beside_others_are_accepted(tmp_path, small_config):
    path = tmp_path / "x.csv"
    path.write_text("user,item,value\n0001,010,2\n2,20,1e-6\n2,010,0\n3,30,1e6\n")
    data = check_own_data({"interactions": str(path), "format": "auto", "item_clusters": None}, 1)
    assert data.item_ids.tolist() == [10, 20, 30] and data.interactions.nnz == 4  # the 0 is kept, as before


def test_old_mac_line_ends_separators_and_unreadable_files(tmp_path, monkeypatch):
    path = tmp_path / "x.csv"
    path.write_bytes(b"user,item\r1,2\r3,4\r")
    assert read_interactions(path)[0].shape == (2, 2)
    path.write_text("1;2\n")
    with pytest.raises(OwnDataError, match=f"{path}:1: expected columns user,item"):
        read_interactions(path)

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)  # root reads every file, so a chmod proves nothing
    with pytest.raises(OwnDataError, match=f"{path}: the file cannot be read \\(Permission denied\\)"):
        read_interactions(path)


def test_the_example_is_accepted_with_the_whole_configuration(small_config):
    example = yaml.safe_load((EXAMPLE / "config.yaml").read_text())
    config = deep_update(small_config, example)  # recursively, as --configfile merges
    config["own_data"] = {key: str(REPO / value) if isinstance(value, str) and key != "format" else value
                          for key, value in config["own_data"].items()}
    data = check_own_data(config["own_data"], config["model"]["rank"], config)
    assert data.has_clusters


def run_batch(workdir: Path, argument_lists: list[list[str]], scratch: Path) -> list[dict]:
    """``snakemake <arguments>`` for every list, in one process importing Snakemake once (snakemake_batch.py)."""
    cases, results = scratch / "cases.json", scratch / "results.json"
    cases.write_text(json.dumps(argument_lists))
    command = [sys.executable, str(BATCH_RUNNER), str(workdir), str(cases), str(results)]
    subprocess.run(command, env=dict(os.environ, PYTHONHASHSEED="0"), check=True, timeout=600)
    return json.loads(results.read_text())


WORKFLOW_CASES = ["latin1.csv", "gzip.csv.gz", "long_field.csv", "clusters_latin1.csv", "item_2_64.csv",
                  "label_2_63.csv", "all_zero.csv", "huge_value.csv", "zero_item.csv", "same_users.csv",
                  "one_user_training.csv"]


@pytest.mark.workflow
def test_bad_own_data_is_refused_by_snakemake_before_any_job(tmp_path, small_config):
    workdir = copy_workflow(tmp_path / "wf")
    shutil.copytree(EXAMPLE, workdir / "examples" / "own_data")
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(small_config, sort_keys=False))
    cases, arguments = [], []
    for number, name in enumerate(WORKFLOW_CASES):
        _, interactions, clusters, rank, changes, expected = next(case for case in BAD_FILES if case[0] == name)
        path, cluster_path = write_case(workdir / "bad" / str(number), name, interactions, clusters)
        relative = path.relative_to(workdir)
        cluster_relative = cluster_path and cluster_path.relative_to(workdir)
        overlay = configuration(small_config, relative, cluster_relative, rank, changes)
        overlay = {"dataset": f"bad{number}", "model": overlay["model"], "training": overlay["training"], "own_data": overlay["own_data"]}
        overlay_file = workdir / "bad" / f"{number}.yaml"
        overlay_file.write_text(yaml.safe_dump(overlay))
        named = cluster_relative if expected.startswith("c.csv") else relative
        expected = expected.replace("{path}", str(relative))
        if expected.startswith(":") or expected.startswith("c.csv"):
            expected = str(named) + expected.removeprefix("c.csv")
        cases.append((name, f"invalid own data: {expected}" if not expected.startswith("model.") else expected))
        arguments.append(["--cores", "1", "--configfile", str(overlay_file.relative_to(workdir))])
    outcomes = run_batch(workdir, arguments, tmp_path)
    for (name, expected), outcome in zip(cases, outcomes):
        message = outcome["output"]
        assert outcome["returncode"] == 1, (name, message[-1500:])
        assert expected in message, (name, expected, message[-1500:])
        assert "Traceback" not in message and "Building DAG of jobs" not in message, name
    assert not (workdir / "results").exists()
