rule simulate:
    """Section 4: simulate clustered user-item interactions."""
    output:
        interactions=data_path("interactions.npz", "{dataset}"),
        item_table=report(
            data_path("items.csv", "{dataset}"),
            caption="../report/items.rst",
            category="Data",
        ),
    log:
        f"{LOGS}/simulate/{{dataset}}.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 264 MB, 5 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        simulation=simulation_settings,
        seed=simulation_seed,
    script:
        "../scripts/simulate.py"
