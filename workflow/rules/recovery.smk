rule recovery_seed:
    """Cluster recovery of one seed: Figure 1's panels, the D sweep, random D and the remedies."""
    input:
        interactions=data_path("interactions.npz", "{dataset}"),
        item_table=data_path("items.csv", "{dataset}"),
        eq1=fit_path("eq1", "{dataset}"),
    output:
        scores=recovery_seed_path("{dataset}"),
    log:
        f"{LOGS}/recovery/seed/{{dataset}}.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 179 MB, 27 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        recovery=recovery_seed_settings(),
        eq2_lambda=config["model"]["eq2_lambda"],
        seed=simulation_seed,
    script:
        "../scripts/recovery_seed.py"


rule recovery_tables:
    """Table 3 (Figure 1's panels over seeds) and Table 4 (the remedies), with their arrays."""
    input:
        scores=recovery_seed_paths(),
    output:
        table3=report(
            f"{RESULTS}/tables/table3_cluster_recovery.csv",
            caption="../report/table3.rst",
            category="Cluster recovery",
        ),
        table4=report(
            f"{RESULTS}/tables/table4_remedies.csv",
            caption="../report/table4.rst",
            category="Cluster recovery",
        ),
        summary=f"{RESULTS}/recovery/summary.npz",
    log:
        f"{LOGS}/recovery/tables.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 103 MB, 2 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        seeds=recovery_seeds(),
        precision_k=config["recovery"]["precision_k"],
    script:
        "../scripts/recovery_tables.py"


rule check_recovery:
    """Verify the cluster-recovery study: perfect truth, D-invariant remedies, sweep meets panels."""
    input:
        summary=f"{RESULTS}/recovery/summary.npz",
    output:
        report=report(
            f"{RESULTS}/checks/recovery.json",
            caption="../report/recovery_checks.rst",
            category="Checks",
        ),
    log:
        f"{LOGS}/recovery/check.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 58 MB, 1 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/check_recovery.py"


rule user_similarity_matrices:
    """User-user and user-item cosines on a user sample for Figure 1's scalings (Section 2.3)."""
    input:
        interactions=data_path("interactions.npz"),
        item_table=data_path("items.csv"),
        eq1=fit_path("eq1"),
    output:
        matrices=report(
            f"{RESULTS}/figures/user_similarities.npz",
            caption="../report/user_similarities_data.rst",
            category="Cluster recovery",
        ),
    log:
        f"{LOGS}/recovery/user_similarities.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 110 MB, 2 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        n_users=config["recovery"]["heatmap_users"],
        seed=config["seed"],
        eq2_lambda=config["model"]["eq2_lambda"],
    script:
        "../scripts/user_similarity_matrices.py"


rule recovery_notebook:
    """Draw the D sweep, the remedies and the user heatmaps, explained in a papermill notebook."""
    input:
        notebook=notebook_source("recovery"),
        summary=f"{RESULTS}/recovery/summary.npz",
        table3=f"{RESULTS}/tables/table3_cluster_recovery.csv",
        table4=f"{RESULTS}/tables/table4_remedies.csv",
        report=f"{RESULTS}/checks/recovery.json",
        user_matrices=f"{RESULTS}/figures/user_similarities.npz",
    output:
        notebook=f"{RESULTS}/notebooks/recovery.ipynb",
        html=f"{RESULTS}/notebooks/recovery.html",
        d_sweep=report(
            f"{RESULTS}/figures/d_sweep.png", caption="../report/d_sweep.rst", category="Cluster recovery"
        ),
        remedies_figure=report(
            f"{RESULTS}/figures/remedies.png", caption="../report/remedies.rst", category="Cluster recovery"
        ),
        user_figure=report(
            f"{RESULTS}/figures/user_similarities.png",
            caption="../report/user_similarities.rst",
            category="Cluster recovery",
        ),
    log:
        f"{LOGS}/notebooks/recovery.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 354 MB, 20 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=800,
        runtime=10,
        cpus_per_task=1,
    params:
        log_sd=config["recovery"]["log_sd"],
        n_seeds=config["recovery"]["n_seeds"],
    script:
        "../scripts/run_notebook.py"


rule recovery:
    """Target: Tables 3 and 4, the D sweep, the remedies and the user heatmaps, checked and explained."""
    input:
        recovery_outputs(),
    localrule: True
