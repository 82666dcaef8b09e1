"""Artifacts of the cluster-recovery study (Tables 3 and 4, the D sweep, remedies, user panels)."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="recovery",
    order=60,
    summary="Tables 3 and 4: cluster recovery of Figure 1's panels over seeds, the D sweep, the "
    "remedies and the user-user / user-item panels, checked and explained.",
    files={
        "seed_scores": f"{RESULTS}/recovery/{{dataset}}/scores.npz",
        "stacked": f"{RESULTS}/recovery/summary.npz",  # not "summary": Study.summary is its description
        "table3": f"{RESULTS}/tables/table3_cluster_recovery.csv",
        "table4": f"{RESULTS}/tables/table4_remedies.csv",
        "findings": f"{RESULTS}/tables/recovery_findings.json",
        "user_matrices": f"{RESULTS}/recovery/user_similarities.npz",
        "user_auc": f"{RESULTS}/tables/recovery_user_auc.csv",
        "check": f"{RESULTS}/checks/recovery.json",
        "d_sweep": f"{RESULTS}/figures/d_sweep.png",
        "remedies_figure": f"{RESULTS}/figures/remedies.png",
        "user_figure": f"{RESULTS}/figures/user_similarities.png",
        "notebook": f"{RESULTS}/notebooks/recovery.ipynb",
        "html": f"{RESULTS}/notebooks/recovery.html",
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
