"""Artifacts of the provenance study: the manifest of every artifact (and ``snakemake verify``)."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="provenance",
    order=90,
    summary="MANIFEST.json: sha256, rule, notebook, wildcards and params of every artifact, and the "
    "software used; `snakemake verify` checks it.",
    files={"manifest": f"{RESULTS}/MANIFEST.json"},
    final=("manifest",),
    per_dataset=False,
)
