# The fits: closed-form solutions of Eq. 1 (Eq. 5) and Eq. 2 (Eq. 6) at rank k.

FITS = paths.study("fits")


rule fit:
    """Closed-form solution of Eq. 1 (Eq. 5) or Eq. 2 (Eq. 6) at rank k."""
    input:
        interactions=DATA.interactions,
    output:
        fit=FITS.fit,
    log:
        FITS.log("{objective}"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 124 MB, 4 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        rank=lambda wildcards: dataset_config(wildcards.dataset)["model"]["rank"],
        lam=lambda wildcards: dataset_config(wildcards.dataset)["model"][f"{wildcards.objective}_lambda"],
    script:
        "../scripts/fits/fit.py"


rule fits:
    """Target: both fits of the configured data set."""
    input:
        expand(FITS.fit, dataset=DATASET, objective=["eq1", "eq2"]),
    localrule: True
