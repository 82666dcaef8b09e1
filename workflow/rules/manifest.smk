rule manifest:
    """results/MANIFEST.json: sha256, rule, notebook and params of every artifact, and the software."""
    input:
        manifest_artifacts,
    output:
        manifest=MANIFEST,
    log:
        f"{LOGS}/manifest.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # hashing streams each file; peak is the interpreter plus one read buffer
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        provenance=artifact_provenance,
        config=config,
    script:
        "../scripts/manifest.py"


# Target `snakemake verify`: recompute every hash in results/MANIFEST.json; fail naming changed or
# missing files. No input on purpose: Snakemake must not rebuild a changed or missing artifact
# before it is checked. (A comment, not a docstring: snakefmt 2.1.0 misplaces the docstring of a
# rule without input.)
rule verify:
    log:
        f"{LOGS}/verify.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # hashing streams each file; peak is the interpreter plus one read buffer
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        manifest=MANIFEST,
        config=config,
    script:
        "../scripts/verify.py"
