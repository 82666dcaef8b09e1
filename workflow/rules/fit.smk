rule fit:
    """Closed-form solution of Eq. 1 (Eq. 5) or Eq. 2 (Eq. 6) at rank k."""
    input:
        interactions=data_path("interactions.npz", "{dataset}"),
    output:
        fit=fit_path("{objective}", "{dataset}"),
    log:
        f"{LOGS}/fit/{{dataset}}/{{objective}}.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 124 MB, 4 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        rank=config["model"]["rank"],
        lam=objective_lambda,
    script:
        "../scripts/fit.py"
