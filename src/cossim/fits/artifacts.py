"""Artifacts of the fits study: the closed-form solutions of Eq. 1 (Eq. 5) and Eq. 2 (Eq. 6)."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="fits",
    order=20,
    summary="The closed-form fits of Eq. 1 and Eq. 2 at rank k: V_k, sigma and the factors A, B.",
    files={"fit": f"{RESULTS}/fits/{{dataset}}/{{objective}}.npz"},
)
