rule figure1_matrices:
    """Figure 1's five item-item matrices in display order (cosine values, no colour mapping)."""
    input:
        eq1=fit_path("eq1"),
        eq2=fit_path("eq2"),
        item_table=data_path("items.csv"),
    output:
        matrices=f"{RESULTS}/figures/figure1.npz",
    log:
        f"{LOGS}/figure1/matrices.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 115 MB, 4 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/figure1_matrices.py"


rule check_figure1:
    """Verify Figure 1: independent recomputation, display order, stationarity, pattern."""
    input:
        matrices=f"{RESULTS}/figures/figure1.npz",
        interactions=data_path("interactions.npz"),
        item_table=data_path("items.csv"),
        eq1=fit_path("eq1"),
        eq2=fit_path("eq2"),
    output:
        report=report(
            f"{RESULTS}/checks/figure1.json",
            caption="../report/figure1_checks.rst",
            category="Checks",
        ),
    log:
        f"{LOGS}/figure1/check.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 737 MB, 21 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=1500,
        runtime=10,
        cpus_per_task=1,
    params:
        rank=config["model"]["rank"],
        eq1_lambda=config["model"]["eq1_lambda"],
        eq2_lambda=config["model"]["eq2_lambda"],
        tolerance=config["checks"]["recompute_tolerance"],
        enforce_claims=claims_enforced(),
    script:
        "../scripts/check_figure1.py"


rule figure1_notebook:
    """Draw Figure 1 in the paper's layout from a papermill-executed notebook.

    The notebook's parameters are this rule's named inputs, outputs and params.
    """
    input:
        notebook=notebook_source("figure1"),
        matrices=f"{RESULTS}/figures/figure1.npz",
        report=f"{RESULTS}/checks/figure1.json",
        published=PUBLISHED_LEVELS,
    output:
        notebook=f"{RESULTS}/notebooks/figure1.ipynb",
        html=report(
            f"{RESULTS}/notebooks/figure1.html",
            caption="../report/figure1_notebook.rst",
            category="Notebooks",
        ),
        png=report(
            f"{RESULTS}/figures/figure1.png",
            caption="../report/figure1.rst",
            category="Figure 1",
        ),
        pdf=report(
            f"{RESULTS}/figures/figure1.pdf",
            caption="../report/figure1_pdf.rst",
            category="Figure 1",
        ),
        annotated=report(
            f"{RESULTS}/figures/figure1_annotated.png",
            caption="../report/figure1_annotated.rst",
            category="Figure 1",
        ),
    log:
        f"{LOGS}/notebooks/figure1.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 486 MB, 20 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=1000,
        runtime=10,
        cpus_per_task=1,
    params:
        colour_range=config["figure1"]["colour_range"],
        eq1_lambda=config["model"]["eq1_lambda"],
        eq2_lambda=config["model"]["eq2_lambda"],
        rank=config["model"]["rank"],
    script:
        "../scripts/run_notebook.py"


rule figure1:
    """Target: Figure 1, its data, its check and its executed notebook."""
    input:
        figure1_outputs(),
    localrule: True
