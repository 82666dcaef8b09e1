"""Artifacts of the cluster-recovery study (Tables 3 and 4, the D sweep, remedies, user panels)."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="recovery",
    order=60,
    summary="Tables 3 and 4: cluster recovery of Figure 1's panels over seeds, the D sweep, the "
    "remedies and the user-user / user-item panels, checked and explained.",
    files={
        "seed_scores": f"{RESULTS}/{{dataset}}/recovery/seeds/seed{{seed}}.npz",
        # one seed's scores recomputed independently (rule check_recovery_seed; check_recovery gathers them)
        "seed_check": f"{RESULTS}/{{dataset}}/recovery/seeds/seed{{seed}}_check.json",
        "stacked": f"{RESULTS}/{{dataset}}/recovery/summary.npz",  # not "summary": Study.summary is its description
        "table3": f"{RESULTS}/{{dataset}}/tables/table3_cluster_recovery.csv",
        "table4": f"{RESULTS}/{{dataset}}/tables/table4_remedies.csv",
        "findings": f"{RESULTS}/{{dataset}}/tables/recovery_findings.json",
        "user_matrices": f"{RESULTS}/{{dataset}}/recovery/user_similarities.npz",
        "user_auc": f"{RESULTS}/{{dataset}}/tables/recovery_user_auc.csv",
        "check": f"{RESULTS}/{{dataset}}/checks/recovery.json",
        "d_sweep": f"{RESULTS}/{{dataset}}/figures/d_sweep.png",
        "remedies_figure": f"{RESULTS}/{{dataset}}/figures/remedies.png",
        "user_figure": f"{RESULTS}/{{dataset}}/figures/user_similarities.png",
        "notebook": f"{RESULTS}/{{dataset}}/notebooks/recovery.ipynb",
        "html": f"{RESULTS}/{{dataset}}/notebooks/recovery.html",
    },
    final=(
        "table3",
        "table4",
        "findings",
        "user_auc",
        "check",
        "d_sweep",
        "remedies_figure",
        "user_figure",
        "notebook",
        "html",
    ),
    simulated_only=True,
)
