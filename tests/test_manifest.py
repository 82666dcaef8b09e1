"""The manifest library: hashes, problems named by file, config drift; no workflow run needed."""

import json

import pytest

from cossim.provenance.manifest import (
    ManifestMismatch,
    build_manifest,
    changed_config_keys,
    manifest_problems,
    sha256_of,
    verify_manifest,
)


@pytest.fixture
def produced(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "a.txt").write_text("alpha")
    (tmp_path / "results" / "tables").mkdir()
    (tmp_path / "results" / "tables" / "t.csv").write_text("x,y\n1,2\n")
    provenance = {
        "results/a.txt": {"rule": "make_a", "notebook": None, "wildcards": {}, "params": {"k": (1, 2)}, "final": True},
        "results/tables": {"rule": "tables", "notebook": "notebooks/t.ipynb", "wildcards": {}, "params": {}, "final": True},
    }
    config = {"model": {"rank": 3}, "seed": 1}
    manifest = build_manifest(provenance, config, root=tmp_path)
    (tmp_path / "results" / "MANIFEST.json").write_text(json.dumps(manifest))
    return tmp_path, manifest, config


def test_manifest_records_hashes_provenance_and_software(produced):
    root, manifest, _ = produced
    entry = manifest["artifacts"][0]
    assert entry["path"] == "results/a.txt" and entry["rule"] == "make_a" and entry["params"] == {"k": [1, 2]}
    assert entry["sha256"] == sha256_of(root / "results" / "a.txt") and entry["bytes"] == 5
    assert "numpy" in manifest["software"]["packages"] and manifest["software"]["python"]
    assert manifest_problems(manifest, root) == []


def test_a_changed_file_inside_a_directory_output_changes_its_hash(produced):
    root, manifest, _ = produced
    (root / "results" / "tables" / "t.csv").write_text("x,y\n1,3\n")
    assert manifest_problems(manifest, root) == [
        f"results/tables: changed (sha256 {sha256_of(root / 'results' / 'tables')}, manifest records "
        f"{manifest['artifacts'][1]['sha256']}; made by rule tables)"
    ]


def test_verify_names_every_changed_and_missing_file(produced):
    root, _, config = produced
    (root / "results" / "a.txt").write_text("beta")
    (root / "results" / "tables" / "t.csv").unlink()
    (root / "results" / "tables").rmdir()
    with pytest.raises(ManifestMismatch) as error:
        verify_manifest(root / "results" / "MANIFEST.json", root, config)
    assert "results/a.txt: changed" in str(error.value)
    assert "results/tables: missing (made by rule tables)" in str(error.value)


def test_verify_passes_intact_results_and_flags_another_config(produced):
    root, _, config = produced
    assert verify_manifest(root / "results" / "MANIFEST.json", root, config) == 2
    with pytest.raises(ManifestMismatch, match="another configuration .*model.rank"):
        verify_manifest(root / "results" / "MANIFEST.json", root, {"model": {"rank": 4}, "seed": 1})


def test_a_missing_manifest_says_to_run_the_workflow(tmp_path):
    with pytest.raises(ManifestMismatch, match="missing; run snakemake"):
        verify_manifest(tmp_path / "MANIFEST.json", tmp_path)


def test_changed_config_keys_are_dotted_names():
    assert changed_config_keys({"a": {"b": 1, "c": 2}, "d": 3}, {"a": {"b": 1, "c": 5}, "e": 3}) == ["a.c", "d", "e"]
