"""Rules *_notebook: execute a notebook with papermill and render it to HTML.

The notebook receives the rule's named inputs (but ``notebook``), outputs (but ``notebook`` and
``html``) and params as papermill parameters of the same names.
"""

from pathlib import Path

from cossim.logs import logged_to
from cossim.notebooks import execute_notebook, portable_parameter

NOT_PARAMETERS = {"notebook", "html"}

with logged_to(snakemake.log[0]) as log:
    failed_copy = Path(snakemake.log[0]).with_suffix(".failed.ipynb")
    failed_copy.unlink(missing_ok=True)
    parameters = {
        **{key: value for key, value in snakemake.input.items() if key not in NOT_PARAMETERS},
        **{key: value for key, value in snakemake.output.items() if key not in NOT_PARAMETERS},
        **dict(snakemake.params.items()),
    }
    parameters = {key: portable_parameter(value) for key, value in parameters.items()}
    log.info("executing %s with parameters %s", snakemake.input.notebook, parameters)
    execute_notebook(
        snakemake.input.notebook, snakemake.output.notebook, snakemake.output.html, parameters, failed_copy
    )
