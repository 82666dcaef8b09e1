# `snakemake` at the root runs workflow/Snakefile; a plain `include:` would drop its default target.
workflow.include("workflow/Snakefile", overwrite_default_target=True)
