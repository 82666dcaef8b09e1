# Cluster recovery (beyond the paper): Figure 1's panels scored over many seeds (Table 3), the D
# sweep, the remedies of Section 3 (Table 4) and the user-user / user-item cosines, checked, drawn
# and explained. Seed s is its own data set <dataset>-seed<s>, made by rules simulate and fit.

RECOVERY = paths.study("recovery").bind(dataset=DATASET)


from cossim.recovery.rules import (
    fully_checked_seed,
    recovery_seed_check_paths,
    recovery_seed_paths,
    recovery_seed_settings,
    recovery_seeds,
)

RECOVERY_SEEDS = recovery_seeds(config)
RECOVERY_SEED_SETTINGS = recovery_seed_settings(config)
RECOVERY_SEED_PATHS = recovery_seed_paths(config)
RECOVERY_SEED_CHECK_PATHS = recovery_seed_check_paths(config)
RECOVERY_FULLY_CHECKED_SEED = fully_checked_seed(config)
RECOVERY_SEED_DATASETS = [f"{DATASET}-seed{seed}" for seed in RECOVERY_SEEDS]


rule recovery_seed:
    """Cluster recovery of one seed: Figure 1's panels, the D sweep, random D and the remedies."""
    input:
        interactions=DATA.at("interactions", dataset=f"{DATASET}-seed{{seed}}"),
        item_table=DATA.at("items", dataset=f"{DATASET}-seed{{seed}}"),
        eq1=FITS.at("fit", dataset=f"{DATASET}-seed{{seed}}", objective="eq1"),
    output:
        scores=RECOVERY.seed_scores,
    log:
        RECOVERY.log("seed/seed{seed}"),
    group:
        # on a cluster, one job with this seed's simulation and fit (profiles/slurm joins rules
        # simulate and fit to group "dataset" and puts several seeds in one submission)
        "dataset"
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 171 MB, 7-9 s with Snakemake's start-up on config/config.yaml (snakemake -f,
        # max_rss, wall time)
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        recovery=RECOVERY_SEED_SETTINGS,
        eq2_lambda=config["model"]["eq2_lambda"],
        seed=lambda wildcards: int(wildcards.seed),
    script:
        "../scripts/recovery/seed.py"


rule recovery_tables:
    """Table 3 (Figure 1's panels over seeds), Table 4 (the remedies), their arrays and findings."""
    input:
        scores=RECOVERY_SEED_PATHS,
    output:
        table3=report(
            RECOVERY.table3,
            caption="../report/recovery/table3.rst",
            category="Cluster recovery",
            labels=report_labels("recovery", "recovery_tables (Table 3)", dataset=DATASET),
        ),
        table4=report(
            RECOVERY.table4,
            caption="../report/recovery/table4.rst",
            category="Cluster recovery",
            labels=report_labels("recovery", "recovery_tables (Table 4)", dataset=DATASET),
        ),
        findings=report(
            RECOVERY.findings,
            caption="../report/recovery/findings.rst",
            category="Cluster recovery",
            labels=report_labels("recovery", "recovery_tables (findings)", dataset=DATASET),
        ),
        summary=RECOVERY.stacked,
    log:
        RECOVERY.log("tables"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 103 MB, 2 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        seeds=RECOVERY_SEEDS,
        precision_k=config["recovery"]["precision_k"],
    script:
        "../scripts/recovery/tables.py"


rule user_similarity_matrices:
    """User-user and user-item cosines on a user sample for Figure 1's scalings (Section 2.3), and
    how well each user-user matrix recovers the users' dominant clusters."""
    input:
        interactions=DATA.at("interactions", dataset=DATASET),
        item_table=DATA.at("items", dataset=DATASET),
        eq1=FITS.at("fit", dataset=DATASET, objective="eq1"),
    output:
        matrices=RECOVERY.user_matrices,
        user_auc=report(
            RECOVERY.user_auc,
            caption="../report/recovery/user_auc.rst",
            category="Cluster recovery",
            labels=report_labels("recovery", "user_similarity_matrices", dataset=DATASET),
        ),
    log:
        RECOVERY.log("user_similarities"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 110 MB, 2 s on config/config.yaml (benchmark max_rss, wall time), before
        # the user scores were added (three scores of seven 300 x 300 matrices)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        n_users=config["recovery"]["heatmap_users"],
        seed=config["seed"],
        eq2_lambda=config["model"]["eq2_lambda"],
        precision_k=config["recovery"]["precision_k"],
    script:
        "../scripts/recovery/user_similarities.py"


rule check_recovery_seed:
    """Recompute one seed's Table 3 and Table 4 scores from its data and Eq. 1 fit, independently of
    the study's code (the first seed also under every random D and along the D sweep)."""
    input:
        scores=RECOVERY.seed_scores,
        interactions=DATA.at("interactions", dataset=f"{DATASET}-seed{{seed}}"),
        item_table=DATA.at("items", dataset=f"{DATASET}-seed{{seed}}"),
        eq1=FITS.at("fit", dataset=f"{DATASET}-seed{{seed}}", objective="eq1"),
    output:
        report=RECOVERY.seed_check,
    log:
        RECOVERY.log("check_seed/seed{seed}"),
    group:
        "dataset"
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 306 MB, 11 s on the fully checked seed and 271 MB, 4.4 s on the others, with
        # Snakemake's start-up, on config/config.yaml (snakemake -f, max_rss, wall time)
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        seed=lambda wildcards: int(wildcards.seed),
        full=lambda wildcards: int(wildcards.seed) == RECOVERY_FULLY_CHECKED_SEED,
        recovery=RECOVERY_SEED_SETTINGS,
        eq2_lambda=config["model"]["eq2_lambda"],
        precision_k=config["recovery"]["precision_k"],
    script:
        "../scripts/recovery/check_seed.py"


rule check_recovery:
    """Verify the cluster-recovery study: perfect truth, D-invariant remedies, sweep meets panels,
    the findings agree with Table 4, the user scores are recomputed independently, the user panels
    are NaN exactly for the users (and items) without interactions, and every number of
    Tables 3 and 4 and the findings is recomputed from the seeds' data and scores."""
    input:
        summary=RECOVERY.stacked,
        table3=RECOVERY.table3,
        table4=RECOVERY.table4,
        findings=RECOVERY.findings,
        user_matrices=RECOVERY.user_matrices,
        user_auc=RECOVERY.user_auc,
        # which users and items have no interaction (their cosines must be NaN), the items' order
        interactions=DATA.at("interactions", dataset=DATASET),
        item_table=DATA.at("items", dataset=DATASET),
        # every number of Tables 3 and 4 is recomputed from the seeds' data and fits, one job a
        # seed (rule check_recovery_seed), whose checks this report gathers
        seed_scores=RECOVERY_SEED_PATHS,
        seed_checks=RECOVERY_SEED_CHECK_PATHS,
    output:
        report=report(
            RECOVERY.check,
            caption="../report/recovery/recovery_checks.rst",
            category="Checks",
            labels=report_labels("recovery", "check_recovery", dataset=DATASET),
        ),
    log:
        RECOVERY.log("check"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 58 MB, 1 s on config/config.yaml (benchmark max_rss, wall time), before the
        # user scores were recomputed (scipy's Mann-Whitney U on seven 300 x 300 matrices); the
        # seeds' recomputation is in rule check_recovery_seed
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        precision_k=config["recovery"]["precision_k"],
        seeds=RECOVERY_SEEDS,
        recovery=config["recovery"],
        eq2_lambda=config["model"]["eq2_lambda"],
    script:
        "../scripts/recovery/check.py"


rule recovery_figures:
    """Draw the D sweep, the remedies and the user-user / user-item heatmaps."""
    input:
        summary=RECOVERY.stacked,
        user_matrices=RECOVERY.user_matrices,
    output:
        d_sweep=report(
            RECOVERY.d_sweep,
            caption="../report/recovery/d_sweep.rst",
            category="Cluster recovery",
            labels=report_labels("recovery", "recovery_figures (D sweep)", dataset=DATASET),
        ),
        remedies_figure=report(
            RECOVERY.remedies_figure,
            caption="../report/recovery/remedies.rst",
            category="Cluster recovery",
            labels=report_labels("recovery", "recovery_figures (remedies)", dataset=DATASET),
        ),
        user_figure=report(
            RECOVERY.user_figure,
            caption="../report/recovery/user_similarities.rst",
            category="Cluster recovery",
            labels=report_labels("recovery", "recovery_figures (user heatmaps)", dataset=DATASET),
        ),
    log:
        RECOVERY.log("figures"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # the drawing part of the former notebook rule (measured peak 354 MB, 20 s on
        # config/config.yaml for notebook and figures together)
        mem_mb=800,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/recovery/figures.py"


rule recovery_notebook:
    """Explain Tables 3 and 4, the findings, the figures and the checks in a papermill notebook."""
    input:
        notebook=notebook_source("recovery"),
        table3=RECOVERY.table3,
        table4=RECOVERY.table4,
        findings=RECOVERY.findings,
        user_auc=RECOVERY.user_auc,
        report=RECOVERY.check,
        d_sweep=RECOVERY.d_sweep,
        remedies_figure=RECOVERY.remedies_figure,
        user_figure=RECOVERY.user_figure,
    output:
        notebook=RECOVERY.notebook,
        html=RECOVERY.html,
    log:
        RECOVERY.log("notebook"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 354 MB, 20 s on config/config.yaml when it also drew the figures
        mem_mb=800,
        runtime=10,
        cpus_per_task=1,
    params:
        log_sd=config["recovery"]["log_sd"],
    script:
        "../scripts/run_notebook.py"


rule recovery:
    """Target: Tables 3 and 4, the D sweep, the remedies and the user heatmaps, checked and explained."""
    input:
        RECOVERY.final_paths(),
    localrule: True
