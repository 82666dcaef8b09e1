# Figure 1: the five item-item cosine matrices, their check, the figure, its comparison with the
# published figure, and the executed notebook that explains them.

FIGURE1 = paths.study("figure1")
PUBLISHED_LEVELS = source_file("data/figure1_published_block_levels.csv")
PUBLISHED_PROFILES = source_file("data/figure1_published_popularity_profiles.csv")


rule figure1_matrices:
    """Figure 1's five item-item matrices in display order (cosine values, no colour mapping), and
    their block levels against the digitised published Figure 1."""
    input:
        eq1=FITS.at("fit", dataset="{dataset}", objective="eq1"),
        eq2=FITS.at("fit", dataset="{dataset}", objective="eq2"),
        item_table=DATA.at("items", dataset="{dataset}"),
        published=PUBLISHED_LEVELS,
    output:
        matrices=FIGURE1.matrices,
        table=report(
            FIGURE1.published,
            caption="../report/figure1/published.rst",
            category="Figure 1",
            labels=report_labels("figure1", "figure1_matrices (published comparison)"),
        ),
    log:
        FIGURE1.log("matrices"),
    # on the rebuild's critical path (matrices, then the check and the drawing, then the notebook):
    # ahead of the jobs that only draw the comparisons with the published figure
    priority: 2
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 115 MB, 4 s on config/config.yaml (benchmark max_rss, wall time), with the
        # panel-4 fit that is now rule figure1_panel4's
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        colour_range=lambda wildcards: dataset_config(wildcards.dataset)["figure1"]["colour_range"],
    script:
        "../scripts/figure1/matrices.py"


rule check_figure1:
    """Verify Figure 1: independent recomputation, display order, stationarity, comparison, pattern."""
    input:
        matrices=FIGURE1.matrices,
        comparison=FIGURE1.published,
        published=PUBLISHED_LEVELS,
        interactions=DATA.at("interactions", dataset="{dataset}"),
        item_table=DATA.at("items", dataset="{dataset}"),
        eq1=FITS.at("fit", dataset="{dataset}", objective="eq1"),
        eq2=FITS.at("fit", dataset="{dataset}", objective="eq2"),
    output:
        report=report(
            FIGURE1.check,
            caption="../report/figure1/figure1_checks.rst",
            category="Checks",
            labels=report_labels("figure1", "check_figure1"),
        ),
    log:
        FIGURE1.log("check"),
    priority: 2
    conda:
        "../../envs/environment.yaml"
    resources:
        # the certificate needs no dense copy of X (the dense-SVD check measured 737 MB, 21 s)
        mem_mb=1500,
        runtime=10,
        cpus_per_task=1,
    params:
        rank=lambda wildcards: dataset_config(wildcards.dataset)["model"]["rank"],
        eq1_lambda=lambda wildcards: dataset_config(wildcards.dataset)["model"]["eq1_lambda"],
        eq2_lambda=lambda wildcards: dataset_config(wildcards.dataset)["model"]["eq2_lambda"],
        tolerance=lambda wildcards: dataset_config(wildcards.dataset)["checks"]["recompute_tolerance"],
        colour_range=lambda wildcards: dataset_config(wildcards.dataset)["figure1"]["colour_range"],
        enforce_claims=lambda wildcards: is_simulated(wildcards.dataset),
    script:
        "../scripts/figure1/check.py"


rule draw_figure1:
    """Draw Figure 1 in the paper's layout (PNG): the figure the notebook shows."""
    input:
        matrices=FIGURE1.matrices,
    output:
        png=report(
            FIGURE1.png,
            caption="../report/figure1/figure1.rst",
            category="Figure 1",
            labels=report_labels("figure1", "draw_figure1"),
        ),
    log:
        FIGURE1.log("draw"),
    priority: 2
    conda:
        "../../envs/environment.yaml"
    resources:
        # one figure of five 1000 x 1000 heatmaps
        mem_mb=800,
        runtime=10,
        cpus_per_task=1,
    params:
        colour_range=lambda wildcards: dataset_config(wildcards.dataset)["figure1"]["colour_range"],
    script:
        "../scripts/figure1/draw.py"


rule draw_figure1_variants:
    """Figure 1 as a PDF, and with a colour bar per panel (PNG): beside the notebook, not before it."""
    input:
        matrices=FIGURE1.matrices,
    output:
        pdf=FIGURE1.pdf,
        annotated=report(
            FIGURE1.annotated,
            caption="../report/figure1/figure1_annotated.rst",
            category="Figure 1",
            labels=report_labels("figure1", "draw_figure1_variants (colour bars)"),
        ),
    log:
        FIGURE1.log("draw_variants"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # two figures of five 1000 x 1000 heatmaps
        mem_mb=800,
        runtime=10,
        cpus_per_task=1,
    params:
        colour_range=lambda wildcards: dataset_config(wildcards.dataset)["figure1"]["colour_range"],
    script:
        "../scripts/figure1/draw.py"


rule figure1_panel4:
    """Panel 4 as a finding: the member of B = V_k dMat(sigma^t) closest to the published panel 4,
    drawn beside the printed formula and the published panel 4 (from its digitised levels)."""
    input:
        matrices=FIGURE1.matrices,
        eq1=FITS.at("fit", dataset="{dataset}", objective="eq1"),
        item_table=DATA.at("items", dataset="{dataset}"),
        published=PUBLISHED_LEVELS,
        published_profiles=PUBLISHED_PROFILES,
    output:
        png=report(
            FIGURE1.panel4,
            caption="../report/figure1/figure1_panel4.rst",
            category="Figure 1",
            labels=report_labels("figure1", "figure1_panel4"),
        ),
        fit=FIGURE1.panel4_fit,
    log:
        FIGURE1.log("panel4"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # 61 cosine matrices of the family, one at a time, and three heatmaps
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        colour_range=lambda wildcards: dataset_config(wildcards.dataset)["figure1"]["colour_range"],
        published_reference=lambda wildcards: is_simulated(wildcards.dataset),
    script:
        "../scripts/figure1/panel4.py"


rule figure1_levels:
    """The published Figure 1 and ours side by side, as block and popularity-profile levels."""
    input:
        matrices=FIGURE1.matrices,
        item_table=DATA.at("items", dataset="{dataset}"),
        published=PUBLISHED_LEVELS,
        published_profiles=PUBLISHED_PROFILES,
    output:
        png=report(
            FIGURE1.levels,
            caption="../report/figure1/figure1_levels.rst",
            category="Figure 1",
            labels=report_labels("figure1", "figure1_levels"),
        ),
    log:
        FIGURE1.log("levels"),
    conda:
        "../../envs/environment.yaml"
    resources:
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        colour_range=lambda wildcards: dataset_config(wildcards.dataset)["figure1"]["colour_range"],
        published_reference=lambda wildcards: is_simulated(wildcards.dataset),
        # what the items' clusters are: MovieLens' are the films' primary genres
        clusters=lambda wildcards: "genre" if wildcards.dataset in MOVIELENS_DATASETS else "cluster",
    script:
        "../scripts/figure1/levels.py"


rule figure1_notebook:
    """Explain Figure 1 in a papermill-executed notebook (it loads and shows what the rules made).

    The notebook's parameters are this rule's named inputs, outputs and params.
    """
    input:
        notebook=notebook_source("figure1"),
        png=FIGURE1.png,
        comparison=FIGURE1.published,
        report=FIGURE1.check,
        description=DATA.at("description", dataset="{dataset}"),
    output:
        notebook=FIGURE1.notebook,
        html=FIGURE1.html,
    log:
        FIGURE1.log("notebook"),
    priority: 2
    conda:
        "../../envs/environment.yaml"
    resources:
        # the kernel and nbconvert; the figure is drawn upstream
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        colour_range=lambda wildcards: dataset_config(wildcards.dataset)["figure1"]["colour_range"],
        eq1_lambda=lambda wildcards: dataset_config(wildcards.dataset)["model"]["eq1_lambda"],
        eq2_lambda=lambda wildcards: dataset_config(wildcards.dataset)["model"]["eq2_lambda"],
        rank=lambda wildcards: dataset_config(wildcards.dataset)["model"]["rank"],
        dataset=lambda wildcards: wildcards.dataset,
    script:
        "../scripts/run_notebook.py"


rule figure1:
    """Target: Figure 1, its data, its check, its comparison and its executed notebook."""
    input:
        expand(FIGURE1.final_paths(), dataset=DATASET),
    localrule: True
