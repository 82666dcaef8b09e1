"""Artifacts of the fidelity study: which readings of the unstated choices reproduce Figure 1."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="fidelity",
    order=70,
    summary="The calibration grid: each reading x seed scored against the published Figure 1, "
    "the ranking and its summary tables, its check, the figure and the notebook.",
    files={
        "cell": f"{RESULTS}/{{dataset}}/fidelity/{{reading}}/seed{{seed}}.json",
        "table": f"{RESULTS}/{{dataset}}/tables/fidelity.csv",
        "best": f"{RESULTS}/{{dataset}}/tables/fidelity_best.json",
        "averaged": f"{RESULTS}/{{dataset}}/tables/fidelity_averaged.csv",
        "panels": f"{RESULTS}/{{dataset}}/tables/fidelity_panels.csv",
        "scans": f"{RESULTS}/{{dataset}}/tables/fidelity_scans.csv",
        "check": f"{RESULTS}/{{dataset}}/checks/fidelity.json",
        "figure": f"{RESULTS}/{{dataset}}/figures/fidelity.png",
        "notebook": f"{RESULTS}/{{dataset}}/notebooks/fidelity.ipynb",
        "html": f"{RESULTS}/{{dataset}}/notebooks/fidelity.html",
    },
    final=("table", "best", "averaged", "panels", "scans", "check", "figure", "notebook", "html"),
    simulated_only=True,
)
