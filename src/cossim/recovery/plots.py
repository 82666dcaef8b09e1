"""Figures of the cluster-recovery study: the D sweep, the remedies, the user heatmaps.

Each function takes the arrays written by the workflow and returns a fresh figure; rule
``recovery_figures`` saves them.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np

from ..plotting import UNDEFINED_USERS, has_undefined, name_undefined, rocket_colormap
from ..vocabulary import FAMILY_NAMES, reader_name
from .dsweep import FIGURE1_POINTS
from .scores import mean_and_interval
from .study import REMEDIES, TABLE3_PANELS
from .tables import spread_over_d
from .user_panels import ORIGINAL_SPACE_KEY, user_panel_columns

FAMILY_STYLES = {
    "sigma_power": (FAMILY_NAMES["sigma_power"], "tab:blue"),
    "shrinkage_power": (FAMILY_NAMES["shrinkage_power"] + " (Eq. 5 family)", "tab:orange"),
}
SCORE_LABELS = ("AUC (same vs. different cluster pairs)", "precision@10", "Spearman with true blocks")
REFERENCE_LINES = (
    ("eq2_unique", reader_name("eq2_unique") + " (mean over seeds)", "tab:green"),
    ("eq1_inverse_sqrt_sigma", reader_name("eq1_inverse_sqrt_sigma") + " (mean over seeds)", "tab:purple"),
)
# One marker per point of :data:`cossim.recovery.dsweep.FIGURE1_POINTS`, named in the legend.
FIGURE1_POINT_MARKERS = {
    "panel 3: B = V_k": "s",
    "panel 4: B = V_k dMat(sigma^2)": "^",
    "panel 2: Eq. 5, D = I": "D",
    "Case B: B = V_k dMat(g)": "v",
}


def draw_d_sweep(study: dict, scores=(0, 1)):
    """Score against the exponent t for both families, bands over seeds, the paper's panels marked,
    and the spread under random log-normal D (box on the right of each panel).

    Parameters
    ----------
    study : dict of ndarrays
        The stacked arrays of rule ``recovery_tables``: ``exponents`` (n_exponents,), ``families``
        (n_seeds, n_families, n_exponents, 3), ``family_keys`` (n_families,), ``panels``
        (n_seeds, len(TABLE3_PANELS), 3) and ``random_d`` (n_seeds, n_draws, 3).
    scores : sequence of int
        The scores drawn, one panel each: indices into AUC, precision@k, Spearman.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per score, with one legend below them all.
    """
    exponents = study["exponents"]
    family_keys = [str(key) for key in study["family_keys"]]
    fig, axes = plt.subplots(1, len(scores), figsize=(6.4 * len(scores), 5.2), layout="constrained")
    axes = np.atleast_1d(axes)
    for ax, s in zip(axes, scores):
        for f, key in enumerate(family_keys):
            label, colour = FAMILY_STYLES[key]
            values = study["families"][:, f, :, s]
            ax.fill_between(exponents, values.min(axis=0), values.max(axis=0), color=colour, alpha=0.2, lw=0)
            ax.plot(exponents, values.mean(axis=0), color=colour, label=f"{label}: mean, band = range over seeds")
        for family, t, label in FIGURE1_POINTS:
            hits = np.flatnonzero(np.isclose(exponents, t, atol=1e-12))
            if hits.size:
                value = study["families"][:, family_keys.index(family), hits[0], s].mean()
                ax.plot(t, value, FIGURE1_POINT_MARKERS[label], ms=8, mfc="none", mec="black", mew=1.3,
                        ls="none", label=label, zorder=5)
        for key, label, colour in REFERENCE_LINES:
            value = study["panels"][:, TABLE3_PANELS.index(key), s].mean()
            ax.axhline(value, color=colour, ls="--", lw=1, label=label)
        x_box = exponents.max() + 0.8
        ax.boxplot(study["random_d"][..., s].ravel(), positions=[x_box], widths=0.5, whis=(5, 95),
                   showfliers=False, manage_ticks=False)
        ax.set_xlim(exponents.min() - 0.2, x_box + 0.5)
        ticks = list(np.arange(np.ceil(exponents.min()), np.floor(exponents.max()) + 1))
        ax.set_xticks(ticks + [x_box], [f"{t:g}" for t in ticks] + ["random D"])
        ax.set_xlabel("exponent t;  random D: Eq. 5's split re-scaled (box quartiles, whiskers 5-95%)", fontsize=9)
        ax.set_ylabel(SCORE_LABELS[s])
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    unique = dict(zip(labels, handles))  # panel 3 is marked on both families: name it once
    fig.legend(unique.values(), unique.keys(), loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle("Item-item cosine of one Eq. 1 model under different D: cluster recovery", fontsize=11)
    return fig


def draw_remedies(study: dict, score: int = 0):
    """Left: each approach's score at D = I (mean over seeds, 95% interval, seeds as dots).
    Right: its range over random D within a seed (largest minus smallest score), same layout;
    a D-invariant approach sits at 0.

    Parameters
    ----------
    study : dict of ndarrays
        ``remedies`` of shape (n_seeds, len(REMEDIES), 1 + n_d, 3); D = I first on axis 2.
    score : int
        Index into AUC, precision@k, Spearman.

    Returns
    -------
    matplotlib.figure.Figure
    """
    remedies = study["remedies"][..., score]  # seeds x methods x D
    panels = (
        (remedies[:, :, 0], SCORE_LABELS[score] + " at D = I"),
        (spread_over_d(remedies[..., None])[..., 0], "range over random D within a seed"),
    )
    y = np.arange(len(REMEDIES))[::-1]
    fig, axes = plt.subplots(1, 2, figsize=(10.0, 4.6), layout="constrained", sharey=True)
    jitter = np.linspace(-0.15, 0.15, remedies.shape[0])
    for ax, (values, label) in zip(axes, panels):
        mean, low, high = mean_and_interval(values)
        for m in range(len(REMEDIES)):
            ax.plot(values[:, m], y[m] + jitter, ".", color="tab:red", alpha=0.4, ms=4)
        ax.errorbar(mean, y, xerr=[mean - low, high - mean], fmt="o", color="black", ms=5, capsize=3)
        ax.set_xlabel(label)
        ax.grid(alpha=0.3, axis="x")
    axes[0].set_yticks(y, [textwrap.fill(reader_name(key), 44) for key, _ in REMEDIES], fontsize=8)
    fig.suptitle("Remedies of Section 3: score (mean, 95% interval; dots = seeds) and dependence on D", fontsize=11)
    return fig


def colour_limit(matrices) -> float:
    """Upper end of a colour range starting at 0 that shows every matrix unclipped above.

    Parameters
    ----------
    matrices : sequence of ndarray
        Cosine matrices of any shape (NaN where undefined, left out).

    Returns
    -------
    float
        Their largest defined entry (at most 1 for cosines), or 1 if nothing is positive.
    """
    largest = max((float(np.nanmax(matrix)) for matrix in matrices if not np.isnan(matrix).all()), default=0.0)
    return largest if largest > 0 else 1.0


def draw_user_similarities(users: dict):
    """User-user (top) and user-item (bottom) cosine heatmaps for each scaling, plus the original space.

    Every colour range starts at 0 (negative cosines are clipped to it) and ends at the largest
    value it shows. The user-user row shares one range and colour bar. The user-item row has
    two: one for the embedding cosines and one for the original space (last column), whose
    values are much smaller, since a smoothed user row spreads over all p items and its cosine
    with one item's indicator ``e_j`` is small. Undefined cosines (NaN: a user or item without
    interactions) are drawn grey, and named. Columns are titled in the reader's vocabulary.

    Parameters
    ----------
    users : dict of ndarrays
        The output of :func:`cossim.recovery.user_panels.user_similarity_panels`:
        ``user_user__<key>`` (m, m) and ``user_item__<key>`` (m, p).

    Returns
    -------
    matplotlib.figure.Figure
    """
    columns = user_panel_columns()
    n = len(columns)
    cmap = rocket_colormap()
    fig = plt.figure(figsize=(2.6 * n + 1.4, 5.8), layout="constrained")
    # n - 1 embedding columns, a colour-bar column, the original-space column, a colour-bar column
    grid = fig.add_gridspec(2, n + 2, width_ratios=[1.0] * (n - 1) + [0.07, 1.0, 0.07])
    placement = [*range(n - 1), n]
    user_user = [users[f"user_user__{key}"] for key, _ in columns]
    embedding_items = [users[f"user_item__{key}"] for key, _ in columns if key != ORIGINAL_SPACE_KEY]
    original_items = users[f"user_item__{ORIGINAL_SPACE_KEY}"]
    limits = {
        ("user_user", False): colour_limit(user_user),
        ("user_user", True): colour_limit(user_user),
        ("user_item", False): colour_limit(embedding_items),
        ("user_item", True): colour_limit([original_items]),
    }
    images = {}
    for c, (key, _) in enumerate(columns):
        original = key == ORIGINAL_SPACE_KEY
        for r, kind in enumerate(("user_user", "user_item")):
            ax = fig.add_subplot(grid[r, placement[c]])
            images[(kind, original)] = ax.imshow(
                users[f"{kind}__{key}"], cmap=cmap, vmin=0.0, vmax=limits[(kind, original)],
                interpolation="nearest", aspect="auto",
            )
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(textwrap.fill(reader_name(key), 26), fontsize=8)
            if c == 0:
                ax.set_ylabel(f"{kind.replace('_', '-')} (users by dominant cluster)", fontsize=8)
                if kind == "user_item":
                    ax.set_xlabel("items by cluster, then popularity", fontsize=8)
    bars = (
        (images[("user_user", True)], grid[0, n + 1], "user-user cosine"),
        (images[("user_item", False)], grid[1, n - 1], "user-item cosine"),
        (images[("user_item", True)], grid[1, n + 1], "user-item cosine,\noriginal space"),
    )
    for image, cell, label in bars:
        bar = fig.colorbar(image, cax=fig.add_subplot(cell))
        bar.set_label(label, fontsize=8)
        bar.ax.tick_params(labelsize=7)
    fig.suptitle("User-user and user-item cosine (negative values shown as 0)", fontsize=10)
    if has_undefined(*user_user, *embedding_items, original_items):
        name_undefined(fig, UNDEFINED_USERS, size=9)
    return fig
