# Figure 1 fidelity: which readings of the paper's unstated choices reproduce the published figure
# (docs/fidelity.md). One job per reading, for all its seeds, so the sweep parallelises locally and
# on a cluster while each job's start-up is paid once per reading.

FIDELITY = paths.study("fidelity").bind(dataset=DATASET)


from cossim.fidelity.rules import (
    fidelity_cell_paths,
    fidelity_default_choices,
    fidelity_readings,
    reading_choices,
    reading_simulation,
)

FIDELITY_PUBLISHED = source_file("data/figure1_published_block_levels.csv")
FIDELITY_PROFILES = source_file("data/figure1_published_popularity_profiles.csv")
# Every cell of the sweep: each reading of fidelity.grid with each seed of fidelity.seeds.
FIDELITY_CELLS = fidelity_cell_paths(config)


wildcard_constraints:
    reading="[A-Za-z0-9_.-]+",
    seed="[0-9]+",


rule fidelity_reading:
    """Simulate one reading with each seed of fidelity.seeds, draw the four model panels, score their
    block levels and popularity profiles: one cell per seed."""
    input:
        published=FIDELITY_PUBLISHED,
        published_profiles=FIDELITY_PROFILES,
    output:
        cells=expand(FIDELITY.cell, seed=config["fidelity"]["seeds"], allow_missing=True),
    log:
        FIDELITY.log("{reading}"),
    group:
        # on a cluster, several readings per submission (profiles/slurm: group-components)
        "fidelity_sweep"
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 269 MB, 24 s a cell on config/config.yaml (benchmark max_rss, wall time),
        # before the solver and scoring were made faster (about 1 s a cell)
        mem_mb=600,
        runtime=lambda wildcards: 5 + 2 * len(config["fidelity"]["seeds"]),
        cpus_per_task=1,
    params:
        choices=lambda wildcards: reading_choices(config, wildcards.reading),
        simulation=lambda wildcards: reading_simulation(config, wildcards.reading),
        rank=config["model"]["rank"],
        eq1_lambda=config["model"]["eq1_lambda"],
        eq2_lambda=config["model"]["eq2_lambda"],
        colour_ranges=config["fidelity"]["colour_ranges"],
        seeds=config["fidelity"]["seeds"],
    script:
        "../scripts/fidelity/reading.py"


rule fidelity_table:
    """Collect the sweep: one row per reading, seed and colour range; the best reading; summaries."""
    input:
        cells=FIDELITY_CELLS,
        published_profiles=FIDELITY_PROFILES,
    output:
        table=report(
            FIDELITY.table,
            caption="../report/fidelity/fidelity_table.rst",
            category="Fidelity",
            labels=report_labels("fidelity", "fidelity_table", dataset=DATASET),
        ),
        best=report(
            FIDELITY.best,
            caption="../report/fidelity/fidelity_best.rst",
            category="Fidelity",
            labels=report_labels("fidelity", "fidelity_table (best reading)", dataset=DATASET),
        ),
        averaged=report(
            FIDELITY.averaged,
            caption="../report/fidelity/fidelity_averaged.rst",
            category="Fidelity",
            labels=report_labels("fidelity", "fidelity_table (seed-averaged ranking)", dataset=DATASET),
        ),
        panels=report(
            FIDELITY.panels,
            caption="../report/fidelity/fidelity_panels.rst",
            category="Fidelity",
            labels=report_labels("fidelity", "fidelity_table (per panel)", dataset=DATASET),
        ),
        scans=report(
            FIDELITY.scans,
            caption="../report/fidelity/fidelity_scans.rst",
            category="Fidelity",
            labels=report_labels("fidelity", "fidelity_table (scans)", dataset=DATASET),
        ),
    log:
        FIDELITY.log("table"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 55 MB, 1 s on config/config.yaml (benchmark max_rss, wall time)
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        factors=list(config["fidelity"]["grid"]),
        default_choices=fidelity_default_choices(config),
        default_colour_range=config["figure1"]["colour_range"],
        colour_ranges=config["fidelity"]["colour_ranges"],
        ranked_panels=config["fidelity"]["ranked_panels"],
    script:
        "../scripts/fidelity/table.py"


rule check_fidelity:
    """Verify the sweep: scores recomputed, the paper's message in every cell, the default best,
    every table rebuilt from the cells, the first cell recomputed from its data."""
    input:
        cells=FIDELITY_CELLS,
        best=FIDELITY.best,
        # every number of every fidelity table is rebuilt from the cells
        table=FIDELITY.table,
        averaged=FIDELITY.averaged,
        panels=FIDELITY.panels,
        scans=FIDELITY.scans,
        published=FIDELITY_PUBLISHED,
        published_profiles=FIDELITY_PROFILES,
    output:
        report=report(
            FIDELITY.check,
            caption="../report/fidelity/fidelity_checks.rst",
            category="Checks",
            labels=report_labels("fidelity", "check_fidelity", dataset=DATASET),
        ),
    log:
        FIDELITY.log("check"),
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
        ranked_panels=config["fidelity"]["ranked_panels"],
        default_choices=fidelity_default_choices(config),
        default_colour_range=config["figure1"]["colour_range"],
        colour_ranges=config["fidelity"]["colour_ranges"],
        # the sweep's first cell is recomputed from its data
        sampled_simulation=reading_simulation(config, next(iter(fidelity_readings(config)))),
        rank=config["model"]["rank"],
        eq1_lambda=config["model"]["eq1_lambda"],
    script:
        "../scripts/fidelity/check.py"


rule fidelity_figure:
    """Draw the fidelity figure: published vs ours for the best reading, and the error landscape."""
    input:
        published=FIDELITY_PUBLISHED,
        best=FIDELITY.best,
        averaged=FIDELITY.averaged,
    output:
        figure=report(
            FIDELITY.figure,
            caption="../report/fidelity/fidelity.rst",
            category="Fidelity",
            labels=report_labels("fidelity", "fidelity_figure", dataset=DATASET),
        ),
    log:
        FIDELITY.log("figure"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # the drawing part of the old notebook job (measured peak 228 MB, 11 s with the kernel)
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/fidelity/figure.py"


rule fidelity_notebook:
    """Explain the fidelity study in a papermill-executed notebook (it loads and shows what the rules made).

    The notebook's parameters are this rule's named inputs.
    """
    input:
        notebook=notebook_source("fidelity"),
        figure=FIDELITY.figure,
        best=FIDELITY.best,
        averaged=FIDELITY.averaged,
        panels=FIDELITY.panels,
        scans=FIDELITY.scans,
        checks=FIDELITY.check,
    output:
        notebook=FIDELITY.notebook,
        html=FIDELITY.html,
    log:
        FIDELITY.log("notebook"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # the kernel and nbconvert; the figure is drawn upstream
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    script:
        "../scripts/run_notebook.py"


rule fidelity:
    """Target: the fidelity sweep, its tables, check, figure and executed notebook."""
    input:
        FIDELITY.final_paths(),
    localrule: True
