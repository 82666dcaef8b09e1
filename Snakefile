# Replication of Steck, Ekanadham & Kallus (2024), "Is Cosine-Similarity of Embeddings
# Really About Similarity?" (arXiv:2403.05440). Run: snakemake --cores all


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/simulate.smk"
include: "workflow/rules/own_data.smk"
include: "workflow/rules/fit.smk"
include: "workflow/rules/figure1.smk"
include: "workflow/rules/recovery.smk"
include: "workflow/rules/fidelity.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/manifest.smk"


rule all:
    default_target: True
    input:
        final_outputs(),


refuse_unknown_targets()
