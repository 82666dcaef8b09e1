"""Artifacts of the site study: the verdict scorecard, its check, and the static site of the run."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="site",
    order=85,
    summary="The verdict scorecard (one verdict for each Figure 1 panel, each Table 1 claim and each "
    "conclusion on real data), its check, and the static site of the run: results/site/index.html "
    "(Sphinx with MyST-NB: the study pages and executed notebooks as chapters, opening with the "
    "scorecard; opens offline).",
    files={
        "scorecard": f"{RESULTS}/{{dataset}}/tables/scorecard.csv",
        "scorecard_check": f"{RESULTS}/{{dataset}}/checks/scorecard.json",
        "site": f"{RESULTS}/site",
    },
    final=("scorecard", "scorecard_check", "site"),
    directories=("site",),
)
