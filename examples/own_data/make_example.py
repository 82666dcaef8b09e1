"""Regenerate the example of README "Your own data": a small Section 4 simulation written as
plain files, the way a user would bring their data.

Run from the repository root: ``.venv/bin/python examples/own_data/make_example.py``.
User and item ids are shifted (users from 1001, items 10, 20, ...) to show that ids need not
be 0..n-1.
"""

from pathlib import Path

import numpy as np

from cossim.model.simulate import SimulationSpec, simulate

HERE = Path(__file__).resolve().parent
SPEC = SimulationSpec(
    n_users=400,
    n_items=60,
    n_clusters=3,
    cluster_probabilities=(0.4, 0.35, 0.25),
    max_items_per_user=60,
)
SEED = 11


def item_id(index: int) -> int:
    """The example's id of item ``index``."""
    return 10 * (index + 1)


def main() -> None:
    data = simulate(SPEC, np.random.default_rng(SEED))
    X = data.interactions.tocoo()
    order = np.lexsort((X.col, X.row))
    lines = ["user,item"] + [f"{1001 + u},{item_id(i)}" for u, i in zip(X.row[order], X.col[order])]
    (HERE / "interactions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    clusters = ["item,cluster"] + [f"{item_id(i)},{c}" for i, c in enumerate(data.item_cluster)]
    (HERE / "item_clusters.csv").write_text("\n".join(clusters) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
