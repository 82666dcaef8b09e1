"""Artifacts of the claims study (Table 1)."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="claims",
    order=40,
    summary="Table 1: every analytic claim of the paper measured on the data, its check and notebook.",
    files={
        "table": f"{RESULTS}/tables/table1_claims.csv",
        "markdown": f"{RESULTS}/tables/table1_claims.md",
        "check": f"{RESULTS}/checks/claims.json",
        "notebook": f"{RESULTS}/notebooks/claims.ipynb",
        "html": f"{RESULTS}/notebooks/claims.html",
    },
    final=("table", "markdown", "check", "notebook", "html"),
)
