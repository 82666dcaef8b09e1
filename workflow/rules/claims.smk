# Table 1: every analytic claim of the paper (Sections 2-3) measured on the data, re-judged by a
# check that fails the workflow naming the claim, and explained by a notebook.

CLAIMS = paths.study("claims")


rule measure_claims:
    """Table 1: every analytic claim of the paper (Sections 2-3) measured on the data."""
    input:
        interactions=DATA.at("interactions", dataset="{dataset}"),
    output:
        table=report(
            CLAIMS.table,
            caption="../report/claims/table1.rst",
            category="Claims",
            labels=report_labels("claims", "measure_claims"),
        ),
        markdown=CLAIMS.markdown,
    log:
        CLAIMS.log("measure"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 186 MB, 25 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=500,
        runtime=10,
        cpus_per_task=1,
    params:
        dataset=lambda wildcards: wildcards.dataset,
        rank=lambda wildcards: dataset_config(wildcards.dataset)["model"]["rank"],
        eq1_lambda=lambda wildcards: dataset_config(wildcards.dataset)["model"]["eq1_lambda"],
        eq2_lambda=lambda wildcards: dataset_config(wildcards.dataset)["model"]["eq2_lambda"],
        claims=lambda wildcards: dataset_config(wildcards.dataset)["claims"],
    script:
        "../scripts/claims/measure.py"


rule check_claims:
    """Fail the workflow, naming the claim, if any row of Table 1 fails or a claim is missing, or
    naming the column, if a cell disagrees with the configuration and the data."""
    input:
        table=CLAIMS.table,
        # the labels, data and claim 8 are recomputed from the data
        interactions=DATA.at("interactions", dataset="{dataset}"),
    output:
        report=report(
            CLAIMS.check,
            caption="../report/claims/claims_checks.rst",
            category="Checks",
            labels=report_labels("claims", "check_claims"),
        ),
    log:
        CLAIMS.log("check"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 99 MB, 6 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=300,
        runtime=10,
        cpus_per_task=1,
    params:
        dataset=lambda wildcards: wildcards.dataset,
        rank=lambda wildcards: dataset_config(wildcards.dataset)["model"]["rank"],
        eq2_lambda=lambda wildcards: dataset_config(wildcards.dataset)["model"]["eq2_lambda"],
        claims=lambda wildcards: dataset_config(wildcards.dataset)["claims"],
    script:
        "../scripts/claims/check.py"


rule claims_notebook:
    """Table 1 explained: the executed notebook shows each claim, what was measured and why."""
    input:
        notebook=notebook_source("claims"),
        table=CLAIMS.table,
        report=CLAIMS.check,
        description=DATA.at("description", dataset="{dataset}"),
    output:
        notebook=CLAIMS.notebook,
        html=CLAIMS.html,
    log:
        CLAIMS.log("notebook"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 99 MB, 13 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=500,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/run_notebook.py"


rule claims:
    """Target: Table 1 with its check and notebook."""
    input:
        expand(CLAIMS.final_paths(), dataset=DATASET),
    localrule: True
