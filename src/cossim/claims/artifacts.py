"""Artifacts of the claims study (Table 1)."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="claims",
    order=40,
    summary="Table 1: every analytic claim of the paper measured on the data, its check and notebook.",
    files={
        "table": f"{RESULTS}/{{dataset}}/tables/table1_claims.csv",
        "markdown": f"{RESULTS}/{{dataset}}/tables/table1_claims.md",
        "check": f"{RESULTS}/{{dataset}}/checks/claims.json",
        "notebook": f"{RESULTS}/{{dataset}}/notebooks/claims.ipynb",
        "html": f"{RESULTS}/{{dataset}}/notebooks/claims.html",
    },
    final=("table", "markdown", "check", "notebook", "html"),
)
