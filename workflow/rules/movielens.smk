# MovieLens 100k: the paper's analysis on real data. Rule import_movielens makes data sets
# movielens (any rating) and movielens-liked (a rating of 4 or more) from the files the recbole
# package ships; the generic rules of fits, figure1, claims and training run on movielens with
# the configuration registered below; this file adds cluster recovery against genres (intervals
# from resampling users), the D sweep, the remedies, the binarisations compared, the check of
# every number and the notebook. Switched off by movielens.enabled: false.

MOVIELENS = paths.study("movielens")


from cossim.movielens.rules import (
    MAIN_DATASET,
    MovieLensMissing,
    config_problems,
    data_identity,
    dataset_pattern,
    locate_data,
    movielens_config,
    movielens_datasets,
    recovery_settings,
    result_paths,
)

MOVIELENS_DATASETS = movielens_datasets(config)
MOVIELENS_PROBLEMS = config_problems(config)
if MOVIELENS_PROBLEMS:
    raise WorkflowError("invalid configuration:\n  - " + "\n  - ".join(MOVIELENS_PROBLEMS))
# The installed files' sha256 (a param of the rules that read them, not their paths as inputs:
# moving the clone or the environment reruns nothing; other data rerun the import).
MOVIELENS_SOURCE = {}
if MOVIELENS_DATASETS:
    try:
        MOVIELENS_SOURCE = data_identity(locate_data())
    except MovieLensMissing as error:
        raise WorkflowError(str(error)) from None
    DATASET_CONFIGS[MAIN_DATASET] = movielens_config(config)
MOVIELENS_PATTERN = dataset_pattern(config)
MOVIELENS_SETTINGS = recovery_settings(config)
MOVIELENS_GENERIC = (
    [
        path
        for study in ("figure1", "claims", "training")
        for path in expand(paths.study(study).final_paths(), dataset=MAIN_DATASET)
    ]
    if MOVIELENS_DATASETS
    else []
)
MOVIELENS_RESULTS = result_paths(config)
EXTRA_FINAL_OUTPUTS.extend(MOVIELENS_GENERIC + MOVIELENS_RESULTS)


ruleorder: import_movielens > simulate


rule import_movielens:
    """MovieLens 100k -> interactions.npz (X_ui = 1 for a rating >= min_rating), items.csv (primary
    genre, popularity), item_ids.csv (MovieLens ids) and item_genres.csv (the 19 genres)."""
    output:
        interactions=DATA.interactions,
        item_table=DATA.items,
        item_ids=DATA.item_ids,
        genres=MOVIELENS.genres,
    log:
        DATA.log("import_movielens"),
    wildcard_constraints:
        dataset=MOVIELENS_PATTERN,
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        source=MOVIELENS_SOURCE,
        min_rating=lambda wildcards: MOVIELENS_DATASETS[wildcards.dataset],
        max_items=config["movielens"]["max_items"],
    script:
        "../scripts/movielens/import_movielens.py"


rule movielens_recovery:
    """Figure 1's panels, the D sweep, random D and the remedies scored against genres."""
    input:
        interactions=DATA.interactions,
        genres=MOVIELENS.genres,
    output:
        scores=MOVIELENS.scores,
    log:
        MOVIELENS.log("recovery"),
    wildcard_constraints:
        dataset=MOVIELENS_PATTERN,
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=800,
        runtime=10,
        cpus_per_task=1,
    params:
        settings=MOVIELENS_SETTINGS,
    script:
        "../scripts/movielens/recovery.py"


rule movielens_bootstrap:
    """Figure 1's panels scored against genres on bootstrap replicates of the users."""
    input:
        interactions=DATA.interactions,
        genres=MOVIELENS.genres,
    output:
        bootstrap=MOVIELENS.bootstrap,
    log:
        MOVIELENS.log("bootstrap"),
    wildcard_constraints:
        dataset=MOVIELENS_PATTERN,
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=800,
        runtime=10,
        cpus_per_task=1,
    params:
        settings=MOVIELENS_SETTINGS,
    script:
        "../scripts/movielens/bootstrap.py"


rule movielens_tables:
    """Recovery with intervals, remedies, D sweep and the data's facts as tables."""
    input:
        scores=MOVIELENS.scores,
        bootstrap=MOVIELENS.bootstrap,
        interactions=DATA.interactions,
        genres=MOVIELENS.genres,
    output:
        recovery=report(
            MOVIELENS.recovery,
            caption="../report/movielens/recovery.rst",
            category="MovieLens",
            labels=report_labels("movielens", "movielens_tables (recovery)"),
        ),
        remedies=report(
            MOVIELENS.remedies,
            caption="../report/movielens/remedies.rst",
            category="MovieLens",
            labels=report_labels("movielens", "movielens_tables (remedies)"),
        ),
        d_sweep=report(
            MOVIELENS.d_sweep,
            caption="../report/movielens/d_sweep_table.rst",
            category="MovieLens",
            labels=report_labels("movielens", "movielens_tables (D sweep)"),
        ),
        facts=report(
            MOVIELENS.facts,
            caption="../report/movielens/facts.rst",
            category="MovieLens",
            labels=report_labels("movielens", "movielens_tables (facts)"),
        ),
    log:
        MOVIELENS.log("tables"),
    wildcard_constraints:
        dataset=MOVIELENS_PATTERN,
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=500,
        runtime=10,
        cpus_per_task=1,
    params:
        dataset=lambda wildcards: wildcards.dataset,
        min_rating=lambda wildcards: MOVIELENS_DATASETS[wildcards.dataset],
        rank=config["movielens"]["model"]["rank"],
    script:
        "../scripts/movielens/tables.py"


rule movielens_binarisations:
    """The binarisations side by side: each panel's AUC against genres with its interval."""
    input:
        tables=[MOVIELENS.at("recovery", dataset=name) for name in MOVIELENS_DATASETS],
    output:
        table=report(
            MOVIELENS.binarisations,
            caption="../report/movielens/binarisations.rst",
            category="MovieLens",
            labels=report_labels("movielens", "movielens_binarisations"),
        ),
    log:
        MOVIELENS.log("binarisations"),
    wildcard_constraints:
        dataset=MAIN_DATASET,
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=300,
        runtime=10,
        cpus_per_task=1,
    params:
        datasets=list(MOVIELENS_DATASETS),
    script:
        "../scripts/movielens/binarisations.py"


rule movielens_figure1:
    """Figure 1 on MovieLens with its first panel drawn as genre overlap (Jaccard)."""
    input:
        matrices=FIGURE1.matrices,
        genres=MOVIELENS.genres,
    output:
        figure=report(
            MOVIELENS.figure,
            caption="../report/movielens/figure1.rst",
            category="MovieLens",
            labels=report_labels("movielens", "movielens_figure1"),
        ),
    log:
        MOVIELENS.log("figure1"),
    wildcard_constraints:
        dataset=MAIN_DATASET,
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=800,
        runtime=10,
        cpus_per_task=1,
    params:
        colour_range=config["movielens"]["figure1"]["colour_range"],
    script:
        "../scripts/movielens/figure1.py"


rule movielens_sweep_figure:
    """The D sweep and the remedies on MovieLens, against genres."""
    input:
        d_sweep=MOVIELENS.d_sweep,
        remedies=MOVIELENS.remedies,
        recovery=MOVIELENS.recovery,
    output:
        figure=report(
            MOVIELENS.sweep_figure,
            caption="../report/movielens/d_sweep.rst",
            category="MovieLens",
            labels=report_labels("movielens", "movielens_sweep_figure"),
        ),
    log:
        MOVIELENS.log("sweep_figure"),
    wildcard_constraints:
        dataset=MOVIELENS_PATTERN,
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        min_rating=lambda wildcards: MOVIELENS_DATASETS[wildcards.dataset],
    script:
        "../scripts/movielens/sweep_figure.py"


rule check_movielens:
    """Fail the workflow if a number of the MovieLens tables disagrees with its recomputation from
    the installed ratings and genres, or if the lambdas used are not the rule's on the data."""
    input:
        interactions=DATA.interactions,
        item_table=DATA.items,
        item_ids=DATA.item_ids,
        genres=MOVIELENS.genres,
        scores=MOVIELENS.scores,
        bootstrap=MOVIELENS.bootstrap,
        recovery=MOVIELENS.recovery,
        remedies=MOVIELENS.remedies,
        d_sweep=MOVIELENS.d_sweep,
        facts=MOVIELENS.facts,
    output:
        report=report(
            MOVIELENS.check,
            caption="../report/movielens/checks.rst",
            category="Checks",
            labels=report_labels("movielens", "check_movielens"),
        ),
    log:
        MOVIELENS.log("check"),
    wildcard_constraints:
        dataset=MOVIELENS_PATTERN,
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=800,
        runtime=10,
        cpus_per_task=1,
    params:
        source=MOVIELENS_SOURCE,
        min_rating=lambda wildcards: MOVIELENS_DATASETS[wildcards.dataset],
        main=lambda wildcards: wildcards.dataset == MAIN_DATASET,
        movielens=config["movielens"],
        settings=MOVIELENS_SETTINGS,
    script:
        "../scripts/movielens/check.py"


rule movielens_findings:
    """Which of the paper's conclusions hold on MovieLens: each a verdict with its numbers."""
    input:
        claims=CLAIMS.table,
        training=TRAINING.table,
        training_report=TRAINING.check,
        figure1_report=FIGURE1.check,
        recovery=MOVIELENS.recovery,
        d_sweep=MOVIELENS.d_sweep,
        remedies=MOVIELENS.remedies,
        facts=MOVIELENS.facts,
        binarisations=MOVIELENS.binarisations,
    output:
        findings=report(
            MOVIELENS.findings,
            caption="../report/movielens/findings.rst",
            category="MovieLens",
            labels=report_labels("movielens", "movielens_findings"),
        ),
    log:
        MOVIELENS.log("findings"),
    wildcard_constraints:
        dataset=MAIN_DATASET,
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=300,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/movielens/findings.py"


rule check_movielens_findings:
    """Fail the workflow if the binarisations' table or a finding disagrees with the tables it reads."""
    input:
        binarisations=MOVIELENS.binarisations,
        tables=[MOVIELENS.at("recovery", dataset=name) for name in MOVIELENS_DATASETS],
        findings=MOVIELENS.findings,
        claims=CLAIMS.table,
        training=TRAINING.table,
        training_report=TRAINING.check,
        figure1_report=FIGURE1.check,
        recovery=MOVIELENS.recovery,
        d_sweep=MOVIELENS.d_sweep,
        remedies=MOVIELENS.remedies,
        facts=MOVIELENS.facts,
    output:
        report=report(
            MOVIELENS.findings_check,
            caption="../report/movielens/findings_checks.rst",
            category="Checks",
            labels=report_labels("movielens", "check_movielens_findings"),
        ),
    log:
        MOVIELENS.log("check_findings"),
    wildcard_constraints:
        dataset=MAIN_DATASET,
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=300,
        runtime=10,
        cpus_per_task=1,
    params:
        datasets=list(MOVIELENS_DATASETS),
    script:
        "../scripts/movielens/check_findings.py"


rule movielens_notebook:
    """Which of the paper's conclusions hold on MovieLens, with the numbers of every table."""
    input:
        notebook=notebook_source("movielens"),
        facts=MOVIELENS.facts,
        recovery=MOVIELENS.recovery,
        remedies=MOVIELENS.remedies,
        d_sweep=MOVIELENS.d_sweep,
        binarisations=MOVIELENS.binarisations,
        findings=MOVIELENS.findings,
        report=MOVIELENS.check,
        findings_report=MOVIELENS.findings_check,
        figure=MOVIELENS.figure,
        sweep_figure=MOVIELENS.sweep_figure,
        claims=CLAIMS.table,
        claims_report=CLAIMS.check,
        training=TRAINING.table,
        training_report=TRAINING.check,
        figure1_report=FIGURE1.check,
    output:
        notebook=MOVIELENS.notebook,
        html=MOVIELENS.html,
    log:
        MOVIELENS.log("notebook"),
    wildcard_constraints:
        dataset=MAIN_DATASET,
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        liked_dataset=[name for name in MOVIELENS_DATASETS if name != MAIN_DATASET],
    script:
        "../scripts/run_notebook.py"


rule movielens:
    """Target: the MovieLens study, with Figure 1, Table 1 and Table 2 on MovieLens."""
    input:
        MOVIELENS_GENERIC + MOVIELENS_RESULTS,
    localrule: True
