# Provenance: results/MANIFEST.json holds the sha256, rule, notebook, wildcards and params of
# every artifact; `snakemake verify` checks it. The provenance is read off the workflow's own
# rules while the DAG is built, so a new study's artifacts are covered without listing them here.

PROVENANCE = paths.study("provenance")


from cossim.provenance.rules import artifact_provenance

MANIFESTED = [path for path in final_outputs() if path != PROVENANCE.manifest]


rule manifest:
    """results/MANIFEST.json: sha256, rule, notebook and params of every artifact, and the software."""
    input:
        lambda wildcards: sorted(artifact_provenance(workflow, MANIFESTED, SOURCE_TREE)),
    output:
        manifest=PROVENANCE.manifest,
    log:
        PROVENANCE.log("manifest"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # hashing streams each file; peak is the interpreter plus one read buffer
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        provenance=lambda wildcards: artifact_provenance(workflow, MANIFESTED, SOURCE_TREE),
        config=config,
    script:
        "../scripts/provenance/manifest.py"


# Target `snakemake verify`: recompute every hash in results/MANIFEST.json; fail naming changed or
# missing files. No input on purpose: Snakemake must not rebuild a changed or missing artifact
# before it is checked. (A comment, not a docstring: snakefmt 2.1.0 misplaces the docstring of a
# rule without input.)
rule verify:
    log:
        PROVENANCE.log("verify"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # hashing streams each file; peak is the interpreter plus one read buffer
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        manifest=PROVENANCE.manifest,
        config=config,
    script:
        "../scripts/provenance/verify.py"


rule provenance:
    """Target: the manifest of every artifact."""
    input:
        PROVENANCE.final_paths(),
    localrule: True
