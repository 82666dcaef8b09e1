rule manifest:
    """results/MANIFEST.json: sha256, rule, notebook and params of every artifact, and the software."""
    input:
        manifest_artifacts,
    output:
        manifest=MANIFEST,
    params:
        provenance=artifact_provenance,
        config=config,
    log:
        f"{LOGS}/manifest.log",
    script:
        "../scripts/manifest.py"


rule verify:
    """Target: recompute every hash in results/MANIFEST.json; fail naming changed or missing files.

    No input on purpose: Snakemake must not rebuild a changed or missing artifact before it is checked.
    """
    localrule: True
    params:
        manifest=MANIFEST,
        config=config,
    log:
        f"{LOGS}/verify.log",
    script:
        "../scripts/verify.py"
