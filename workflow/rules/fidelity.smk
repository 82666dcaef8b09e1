# Figure 1 fidelity (issue 4): which readings of the paper's unstated choices reproduce the
# published figure. One job per reading x seed, so the sweep parallelises locally and on a cluster.


wildcard_constraints:
    reading="[A-Za-z0-9_.-]+",
    seed="[0-9]+",


rule fidelity_cell:
    """Simulate one reading with one seed, draw the four model panels, score their block levels."""
    input:
        published=PUBLISHED_LEVELS,
    output:
        cell=fidelity_cell_path("{reading}", "{seed}"),
    log:
        f"{LOGS}/fidelity/{{reading}}/seed{{seed}}.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 269 MB, 24 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        choices=fidelity_choices,
        simulation=fidelity_simulation,
        rank=config["model"]["rank"],
        eq1_lambda=config["model"]["eq1_lambda"],
        eq2_lambda=config["model"]["eq2_lambda"],
        colour_ranges=config["fidelity"]["colour_ranges"],
    script:
        "../scripts/fidelity_cell.py"


rule fidelity_table:
    """Collect the sweep: one row per reading, seed and colour range; the best reading."""
    input:
        cells=fidelity_cells(),
    output:
        table=report(
            f"{RESULTS}/tables/fidelity.csv", caption="../report/fidelity_table.rst", category="Fidelity"
        ),
        best=report(
            f"{RESULTS}/tables/fidelity_best.json",
            caption="../report/fidelity_best.rst",
            category="Fidelity",
        ),
    log:
        f"{LOGS}/fidelity/table.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 55 MB, 1 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        factors=list(config["fidelity"]["grid"]),
        default_choices=fidelity_default_choices(),
        default_colour_range=config["figure1"]["colour_range"],
        colour_ranges=config["fidelity"]["colour_ranges"],
        ranked_panels=config["fidelity"]["ranked_panels"],
    script:
        "../scripts/fidelity_table.py"


rule check_fidelity:
    """Verify the sweep: scores recomputed, the paper's message in every cell, the default best."""
    input:
        cells=fidelity_cells(),
        best=f"{RESULTS}/tables/fidelity_best.json",
    output:
        report=report(
            f"{RESULTS}/checks/fidelity.json", caption="../report/fidelity_checks.rst", category="Checks"
        ),
    log:
        f"{LOGS}/fidelity/check.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak at most 151 MB (GNU time over the whole snakemake process tree), ~2 s
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        eq2_lambda=config["model"]["eq2_lambda"],
        require_default_best=config["fidelity"]["require_default_best"],
    script:
        "../scripts/check_fidelity.py"


rule fidelity_notebook:
    """Explain the fidelity study: published vs ours for the best reading, the error landscape."""
    input:
        notebook=notebook_source("fidelity"),
        published=PUBLISHED_LEVELS,
        table=f"{RESULTS}/tables/fidelity.csv",
        best=f"{RESULTS}/tables/fidelity_best.json",
        checks=f"{RESULTS}/checks/fidelity.json",
    output:
        notebook=f"{RESULTS}/notebooks/fidelity.ipynb",
        html=f"{RESULTS}/notebooks/fidelity.html",
        figure=report(
            f"{RESULTS}/figures/fidelity.png", caption="../report/fidelity.rst", category="Fidelity"
        ),
    log:
        f"{LOGS}/notebooks/fidelity.log",
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 228 MB, 11 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/run_notebook.py"


rule fidelity:
    """Target: the fidelity sweep, its table, figure and executed notebook."""
    input:
        fidelity_outputs(),
    localrule: True
