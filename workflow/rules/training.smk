# Table 2: Eq. 1 and Eq. 2 trained by L-BFGS from random starts on a smaller version of the
# data, each run compared with the closed form of its objective (Eq. 5, Eq. 6); the figure of
# equally good runs, the check of every row's identities, and the notebook.

TRAINING = paths.study("training")


rule train:
    """Table 2: Eq. 1 and Eq. 2 trained by L-BFGS from random starts, compared with Eq. 5 / Eq. 6."""
    input:
        interactions=DATA.at("interactions", dataset="{dataset}"),
        item_table=DATA.at("items", dataset="{dataset}"),
    output:
        table=report(
            TRAINING.table,
            caption="../report/training/table2.rst",
            category="Training",
            labels=report_labels("training", "train"),
        ),
        runs=TRAINING.runs,
    log:
        TRAINING.log("train"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 111 MB, 29 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        training=lambda wildcards: dataset_config(wildcards.dataset)["training"],
    script:
        "../scripts/training/train.py"


rule training_figure:
    """Item-item cosine heatmaps of the closed forms and of the two most different optimal runs."""
    input:
        table=TRAINING.table,
        runs=TRAINING.runs,
    output:
        figure=report(
            TRAINING.figure,
            caption="../report/training/training.rst",
            category="Training",
            labels=report_labels("training", "training_figure"),
        ),
    log:
        TRAINING.log("figure"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 130 MB, 3 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/training/figure.py"


rule check_training:
    """Fail the workflow if a row of Table 2 breaks an identity or disagrees with its recomputation
    from the data and the stored runs; record the runs' summary."""
    input:
        table=TRAINING.table,
        runs=TRAINING.runs,
        # every number of Table 2 is recomputed or bounded from the data
        interactions=DATA.at("interactions", dataset="{dataset}"),
    output:
        report=report(
            TRAINING.check,
            caption="../report/training/training_checks.rst",
            category="Checks",
            labels=report_labels("training", "check_training"),
        ),
    log:
        TRAINING.log("check"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 99 MB, 2 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=300,
        runtime=10,
        cpus_per_task=1,
    params:
        training=lambda wildcards: dataset_config(wildcards.dataset)["training"],
        dataset=lambda wildcards: wildcards.dataset,
    script:
        "../scripts/training/check.py"


rule training_notebook:
    """Table 2 explained, with the figure of equally good trained models and the check's summary."""
    input:
        notebook=notebook_source("training"),
        table=TRAINING.table,
        figure=TRAINING.figure,
        report=TRAINING.check,
    output:
        notebook=TRAINING.notebook,
        html=TRAINING.html,
    log:
        TRAINING.log("notebook"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 104 MB, 3 s on config/config.yaml (/usr/bin/time max RSS incl. snakemake, wall time, loaded 2-core machine)
        mem_mb=500,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/run_notebook.py"


rule training:
    """Target: Table 2 with its figure, check and notebook."""
    input:
        expand(TRAINING.final_paths(), dataset=DATASET),
    localrule: True
