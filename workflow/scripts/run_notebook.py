"""Rules *_notebook: execute a notebook with papermill and render it to HTML."""

from pathlib import Path

from cossim.logs import logged_to
from cossim.notebooks import execute_notebook

with logged_to(snakemake.log[0]) as log:
    failed_copy = Path(snakemake.log[0]).with_suffix(".failed.ipynb")
    failed_copy.unlink(missing_ok=True)
    log.info("executing %s with %s", snakemake.input.notebook, snakemake.params.parameters)
    execute_notebook(
        snakemake.input.notebook,
        snakemake.output.notebook,
        snakemake.output.html,
        dict(snakemake.params.parameters),
        failed_copy,
    )
