"""Artifacts of the data study: Section 4's simulated interactions, or your own data imported."""

from ..paths import RESULTS, Study

STUDY = Study(
    name="data",
    order=10,
    summary="The interaction matrix X of a data set and its item table (cluster, popularity).",
    files={
        "interactions": f"{RESULTS}/data/{{dataset}}/interactions.npz",
        "items": f"{RESULTS}/data/{{dataset}}/items.csv",
        "item_ids": f"{RESULTS}/data/{{dataset}}/item_ids.csv",
        # what the data set is (source, sizes, clusters, one sentence): the notebooks print it
        "description": f"{RESULTS}/data/{{dataset}}/description.json",
    },
)
