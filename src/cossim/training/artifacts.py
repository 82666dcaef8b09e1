"""Artifacts of the training study (Table 2)."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="training",
    order=50,
    summary="Table 2: Eq. 1 and Eq. 2 trained by L-BFGS from random starts against the closed forms.",
    files={
        "table": f"{RESULTS}/{{dataset}}/tables/table2_training.csv",
        "runs": f"{RESULTS}/{{dataset}}/training/runs.npz",
        "figure": f"{RESULTS}/{{dataset}}/figures/training.png",
        "check": f"{RESULTS}/{{dataset}}/checks/training.json",
        "notebook": f"{RESULTS}/{{dataset}}/notebooks/training.ipynb",
        "html": f"{RESULTS}/{{dataset}}/notebooks/training.html",
    },
    final=("table", "figure", "check", "notebook", "html"),
)
