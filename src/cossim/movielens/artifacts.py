"""Artifacts of the MovieLens study: the paper's analysis on MovieLens 100k (real data)."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="movielens",
    order=80,
    summary="MovieLens 100k (installed with the recbole package, never committed): its genres, cluster "
    "recovery against genres with intervals from resampling users, the D sweep, the remedies, the "
    "comparison of two binarisations, the check of every number and the executed notebook. Figure 1, "
    "Table 1 and Table 2 on it are made by the figure1, claims and training studies.",
    files={
        "genres": f"{RESULTS}/data/{{dataset}}/item_genres.csv",
        "scores": f"{RESULTS}/{{dataset}}/movielens/recovery.npz",
        "bootstrap": f"{RESULTS}/{{dataset}}/movielens/bootstrap.npz",
        "recovery": f"{RESULTS}/{{dataset}}/tables/movielens_recovery.csv",
        "remedies": f"{RESULTS}/{{dataset}}/tables/movielens_remedies.csv",
        "d_sweep": f"{RESULTS}/{{dataset}}/tables/movielens_d_sweep.csv",
        "facts": f"{RESULTS}/{{dataset}}/tables/movielens_facts.json",
        "binarisations": f"{RESULTS}/{{dataset}}/tables/movielens_binarisations.csv",
        "figure": f"{RESULTS}/{{dataset}}/figures/movielens_figure1.png",
        "sweep_figure": f"{RESULTS}/{{dataset}}/figures/movielens_d_sweep.png",
        "check": f"{RESULTS}/{{dataset}}/checks/movielens.json",
        "findings": f"{RESULTS}/{{dataset}}/tables/movielens_findings.json",
        "findings_check": f"{RESULTS}/{{dataset}}/checks/movielens_findings.json",
        "notebook": f"{RESULTS}/{{dataset}}/notebooks/movielens.ipynb",
        "html": f"{RESULTS}/{{dataset}}/notebooks/movielens.html",
    },
    # No final keys: paths.final_outputs fills every study's results with the configured data set,
    # and this study never runs on it. Its results (RESULT_KEYS, on the MovieLens data sets only)
    # join the default target through EXTRA_FINAL_OUTPUTS (workflow/rules/movielens.smk).
    final=(),
)

# The study's results on each MovieLens data set (one per binarisation), and those made on the
# main one only (the notebook and what it shows beyond that: Figure 1 with its genre panel, the
# comparison of the binarisations).
RESULT_KEYS = ("recovery", "remedies", "d_sweep", "facts", "sweep_figure", "check")
MAIN_RESULT_KEYS = ("figure", "binarisations", "findings", "findings_check", "notebook", "html")
