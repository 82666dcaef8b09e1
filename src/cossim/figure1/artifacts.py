"""Artifacts of the Figure 1 study."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="figure1",
    order=30,
    summary="Figure 1: the five item-item cosine matrices, their check, the drawn figure, its "
    "comparison with the published one, and the executed notebook.",
    files={
        "png": f"{RESULTS}/{{dataset}}/figures/figure1.png",
        "pdf": f"{RESULTS}/{{dataset}}/figures/figure1.pdf",
        "annotated": f"{RESULTS}/{{dataset}}/figures/figure1_annotated.png",
        "matrices": f"{RESULTS}/{{dataset}}/figures/figure1.npz",
        "panel4": f"{RESULTS}/{{dataset}}/figures/figure1_panel4.png",
        "panel4_fit": f"{RESULTS}/{{dataset}}/figures/figure1_panel4.npz",
        "levels": f"{RESULTS}/{{dataset}}/figures/figure1_levels.png",
        "check": f"{RESULTS}/{{dataset}}/checks/figure1.json",
        "published": f"{RESULTS}/{{dataset}}/tables/figure1_published.csv",
        "notebook": f"{RESULTS}/{{dataset}}/notebooks/figure1.ipynb",
        "html": f"{RESULTS}/{{dataset}}/notebooks/figure1.html",
    },
    final=("png", "pdf", "annotated", "matrices", "panel4", "panel4_fit", "levels", "check", "published", "notebook", "html"),
)
