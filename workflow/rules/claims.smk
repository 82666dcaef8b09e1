rule measure_claims:
    """Table 1: every analytic claim of the paper (Sections 2-3) measured on the data."""
    input:
        interactions=data_path("interactions.npz"),
    output:
        table=report(table_path("table1_claims.csv"), caption="../report/table1.rst", category="Claims"),
        markdown=table_path("table1_claims.md"),
    log:
        f"{LOGS}/tables/table1_claims.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 186 MB, 25 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=500,
        runtime=10,
        cpus_per_task=1,
    params:
        dataset=DATASET,
        rank=config["model"]["rank"],
        eq1_lambda=config["model"]["eq1_lambda"],
        eq2_lambda=config["model"]["eq2_lambda"],
        claims=config["claims"],
    script:
        "../scripts/measure_claims.py"


rule check_claims:
    """Fail the workflow, naming the claim, if any row of Table 1 fails or a claim is missing."""
    input:
        table=table_path("table1_claims.csv"),
    output:
        report=report(
            f"{RESULTS}/checks/claims.json", caption="../report/claims_checks.rst", category="Checks"
        ),
    log:
        f"{LOGS}/tables/check_claims.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 99 MB, 6 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=300,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/check_claims.py"


rule claims_notebook:
    """Table 1 explained: the executed notebook shows each claim, what was measured and why."""
    input:
        notebook=notebook_source("claims"),
        table=table_path("table1_claims.csv"),
        report=f"{RESULTS}/checks/claims.json",
    output:
        notebook=f"{RESULTS}/notebooks/claims.ipynb",
        html=f"{RESULTS}/notebooks/claims.html",
    log:
        f"{LOGS}/notebooks/claims.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 99 MB, 13 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=500,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/run_notebook.py"


rule train:
    """Table 2: Eq. 1 and Eq. 2 trained by L-BFGS from random starts, compared with Eq. 5 / Eq. 6."""
    input:
        interactions=data_path("interactions.npz"),
        item_table=data_path("items.csv"),
    output:
        table=report(table_path("table2_training.csv"), caption="../report/table2.rst", category="Training"),
        runs=f"{RESULTS}/training/runs.npz",
    log:
        f"{LOGS}/tables/table2_training.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 111 MB, 29 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        training=config["training"],
    script:
        "../scripts/train.py"


rule training_notebook:
    """Table 2 explained, and item-item cosine heatmaps of equally good trained models."""
    input:
        notebook=notebook_source("training"),
        table=table_path("table2_training.csv"),
        runs=f"{RESULTS}/training/runs.npz",
    output:
        notebook=f"{RESULTS}/notebooks/training.ipynb",
        html=f"{RESULTS}/notebooks/training.html",
        png=report(f"{RESULTS}/figures/training.png", caption="../report/training.rst", category="Training"),
    log:
        f"{LOGS}/notebooks/training.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 160 MB, 20 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=500,
        runtime=10,
        cpus_per_task=1,
    params:
        training=config["training"],
    script:
        "../scripts/run_notebook.py"


rule tables:
    """Target: Table 1 and Table 2 with their check, figure and notebooks."""
    input:
        tables_outputs(),
    localrule: True
