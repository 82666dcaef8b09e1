# The site of the run: the verdict scorecard (checked by a second route) and results/site/, a static
# Sphinx + MyST-NB site that opens offline from results/site/index.html with the scorecard, the
# study pages and the executed notebooks.

SITE = paths.study("site")
SITE_RUN = SITE.bind(dataset=DATASET)
# The conclusions on real data, when MovieLens is part of the run.
MOVIELENS_FINDINGS = [
    path for path in [MOVIELENS.at("findings", dataset=MAIN_DATASET)] if path in EXTRA_FINAL_OUTPUTS
]
MOVIELENS_FIGURE1_CHECK = [FIGURE1.at("check", dataset=MAIN_DATASET) for path in MOVIELENS_FINDINGS]
# The data sets whose notebooks the site shows.
SITE_DATASETS = [DATASET] + ([MAIN_DATASET] if MOVIELENS_FINDINGS else [])
# Everything the run shows: every other final output (the site is built last, from all of them).
SITE_RESULTS = [
    path for path in final_outputs() if path not in (SITE.site, paths.study("provenance").manifest)
]
SITE_SOURCES = [
    source_file(path)
    for path in [
        "README.md",
        "config/README.md",
        *sorted(os.path.relpath(p, SOURCE_TREE) for p in (SOURCE_TREE / "docs").glob("*.md")),
    ]
]


rule scorecard:
    """The verdict scorecard: one verdict for each Figure 1 panel, Table 1 claim and conclusion on
    real data, by the rules stated in cossim.site.scorecard."""
    input:
        published=FIGURE1.published,
        figure1_check=FIGURE1.check,
        claims=CLAIMS.table,
        findings=MOVIELENS_FINDINGS,
    output:
        scorecard=report(
            SITE.scorecard,
            caption="../report/site/scorecard.rst",
            category="Scorecard",
            labels=report_labels("site", "scorecard"),
        ),
    log:
        SITE.log("scorecard"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # reads four small tables: the interpreter's footprint
        mem_mb=300,
        runtime=5,
        cpus_per_task=1,
    params:
        testable=lambda wildcards: is_simulated(wildcards.dataset),
    script:
        "../scripts/site/scorecard.py"


rule check_scorecard:
    """Fail the workflow, naming the row, where a verdict or number of the scorecard differs from
    its recomputation by another route (cossim.site.scorecard_check)."""
    input:
        scorecard=SITE.scorecard,
        published=FIGURE1.published,
        figure1_check=FIGURE1.check,
        claims=CLAIMS.table,
        findings=MOVIELENS_FINDINGS,
        movielens_figure1_check=MOVIELENS_FIGURE1_CHECK,
    output:
        report=report(
            SITE.scorecard_check,
            caption="../report/site/scorecard_checks.rst",
            category="Checks",
            labels=report_labels("site", "check_scorecard"),
        ),
    log:
        SITE.log("check_scorecard"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # reads four small tables: the interpreter's footprint
        mem_mb=300,
        runtime=5,
        cpus_per_task=1,
    params:
        testable=lambda wildcards: is_simulated(wildcards.dataset),
    script:
        "../scripts/site/check_scorecard.py"


rule build_site:
    """results/site/: the study pages (numbers filled from this run), the executed notebooks and
    the scorecard as a static site, built by Sphinx with MyST-NB (cossim.site.build)."""
    input:
        results=SITE_RESULTS,
        sources=SITE_SOURCES,
        # intermediate tables the data dictionary page describes (with the results' own)
        tables=[DATA.at("items", dataset=name) for name in SITE_DATASETS],
    output:
        site=directory(SITE.site),
    log:
        SITE_RUN.log("site"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # measured peak 190 MB; 6 s on the default run's results on an idle machine, 24 s with the
        # 2 cores shared by several jobs (/usr/bin/time); 24 MB of pages
        mem_mb=600,
        runtime=10,
        cpus_per_task=1,
    params:
        dataset=DATASET,
        source_tree=os.path.relpath(SOURCE_TREE),
    script:
        "../scripts/site/build.py"


rule site:
    """Target: the scorecard, its check and the site."""
    input:
        expand(SITE.final_paths(), dataset=DATASET),
    localrule: True
