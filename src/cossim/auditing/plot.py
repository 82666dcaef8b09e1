"""The picture of ``cossim audit --plot``: the overlap distribution and one item's neighbours under three D."""

from __future__ import annotations

import numpy as np

from .result import AuditResult

SHOWN_RANKS = 10
"""Neighbour ranks drawn in the right panel."""


def showcase(result: AuditResult) -> tuple[int, list[tuple[str, np.ndarray]]]:
    """The query item with the median mean overlap and its neighbours under three D.

    Parameters
    ----------
    result : AuditResult

    Returns
    -------
    item : int
        Row of the item in the item embeddings.
    rows : list of (label, ndarray of int, shape (k,))
        Its top-k under D = I, under the draw of median overlap for it, and under the draw of lowest.
    """
    shift = result.items
    per_query = shift.overlap.mean(axis=1)
    query = int(np.argsort(per_query, kind="stable")[per_query.size // 2])
    by_draw = np.argsort(shift.overlap[query], kind="stable")
    median, worst = int(by_draw[by_draw.size // 2]), int(by_draw[0])
    lists = shift.neighbour_lists[query]
    return int(shift.queries[query]), [
        ("D = I (as given)", lists[0]),
        (f"random D #{median + 1} (median for this item)", lists[median + 1]),
        (f"random D #{worst + 1} (lowest for this item)", lists[worst + 1]),
    ]


def draw_audit(result: AuditResult):
    """The audit's figure: left the distribution of top-k overlap, right one item's neighbours.

    Rows of zero length, left out of the audit, are counted in a note below the panels.

    Parameters
    ----------
    result : AuditResult

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    k = result.neighbours
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2), gridspec_kw={"width_ratios": [1, 1.5]})
    bins = (np.arange(k + 2) - 0.5) / k
    for key, shift in result.shifts().items():
        if key.startswith("original_space"):
            continue
        values = shift.overlap.ravel()
        left.hist(values, bins=bins, weights=np.full(values.size, 1.0 / values.size), histtype="step", lw=1.6,
                  label=f"{shift.label} (mean {shift.overlap_mean:.2f})")
    left.set(xlabel=f"share of the top-{k} neighbours kept under a random D", ylabel="share of (query, D)",
             xlim=(-0.5 / k, 1 + 0.5 / k), title=f"Neighbour overlap, {result.draws} random D, same predictions")
    left.legend(fontsize=8)
    item, rows = showcase(result)
    shown = min(k, SHOWN_RANKS)
    reference = set(rows[0][1].tolist())
    kept = np.array([[neighbour in reference for neighbour in row[:shown]] for _, row in rows], dtype=float)
    right.imshow(kept, cmap=ListedColormap(["#f4d6c6", "#6baed6"]), vmin=0, vmax=1, aspect="auto")
    for r, (_, row) in enumerate(rows):
        for c, neighbour in enumerate(row[:shown]):
            right.text(c, r, str(int(neighbour)), ha="center", va="center", fontsize=7)
    right.set_xticks(range(shown), [str(c + 1) for c in range(shown)])
    right.set_yticks(range(len(rows)), [label for label, _ in rows], fontsize=8)
    right.set(xlabel="neighbour rank (cell: item row; blue: also a neighbour under D = I)",
              title=f"Item {item}'s nearest items under three D")
    note = result.left_out("every number in this figure")
    if note:
        fig.text(0.5, 0.01, note, ha="center", va="bottom", fontsize=8, wrap=True)
    fig.tight_layout(rect=(0, 0.07, 1, 1) if note else None)
    return fig


def save_audit_plot(result: AuditResult, path) -> None:
    """Draw :func:`draw_audit` and save it byte-reproducibly (PNG by the suffix of ``path``).

    Parameters
    ----------
    result : AuditResult
    path : str or Path
    """
    import matplotlib.pyplot as plt

    from ..io import save_figure_atomic

    fig = draw_audit(result)
    save_figure_atomic(fig, path)
    plt.close(fig)
