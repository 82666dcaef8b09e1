"""Figures of the cluster-recovery study: the D sweep, the remedies, the user heatmaps.

Each function takes the arrays written by the workflow and returns a fresh figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..plotting import rocket_colormap
from .dsweep import PAPER_POINTS
from .study import REMEDIES, TABLE3_PANELS
from .user_panels import ORIGINAL_SPACE_KEY, USER_PANEL_SCALINGS

FAMILY_STYLES = {
    "sigma_power": ("B = V_k dMat(sigma^t)", "tab:blue"),
    "shrinkage_power": ("B = V_k dMat(g^t) (Eq. 5 family)", "tab:orange"),
}
SCORE_LABELS = ("AUC (same vs. different cluster pairs)", "precision@10", "Spearman with true blocks")
REFERENCE_LINES = (
    ("eq2_unique", "Eq. 2 unique", "tab:green"),
    ("eq1_inverse_sqrt_sigma", "D = dMat(sqrt(1/sigma))", "tab:purple"),
)


def draw_d_sweep(study: dict, scores=(0, 1)):
    """Score against the exponent t for both families, bands over seeds, the paper's panels marked,
    and the spread under random log-normal D (box on the right of each panel)."""
    exponents = study["exponents"]
    family_keys = [str(key) for key in study["family_keys"]]
    fig, axes = plt.subplots(1, len(scores), figsize=(6.4 * len(scores), 4.6), layout="constrained")
    axes = np.atleast_1d(axes)
    for ax, s in zip(axes, scores):
        for f, key in enumerate(family_keys):
            label, colour = FAMILY_STYLES[key]
            values = study["families"][:, f, :, s]
            ax.fill_between(exponents, values.min(axis=0), values.max(axis=0), color=colour, alpha=0.2, lw=0)
            ax.plot(exponents, values.mean(axis=0), color=colour, label=label)
        labelled = set()
        for family, t, label in PAPER_POINTS:
            hits = np.flatnonzero(np.isclose(exponents, t, atol=1e-12))
            if hits.size:
                value = study["families"][:, family_keys.index(family), hits[0], s].mean()
                ax.plot(t, value, "o", ms=7, mfc="none", mec="black")
                if label not in labelled and s == scores[0]:  # name the points once, in the first panel
                    ax.annotate(label, (t, value), textcoords="offset points", xytext=(5, -11), fontsize=7)
                    labelled.add(label)
        for key, label, colour in REFERENCE_LINES:
            value = study["panels"][:, TABLE3_PANELS.index(key), s].mean()
            ax.axhline(value, color=colour, ls="--", lw=1, label=f"{label} (mean)")
        x_box = exponents.max() + 0.6
        ax.boxplot(study["random_d"][..., s].ravel(), positions=[x_box], widths=0.4, whis=(5, 95),
                   showfliers=False, manage_ticks=False)
        ax.set_xlim(exponents.min() - 0.2, x_box + 0.4)
        ticks = list(np.arange(np.ceil(exponents.min()), np.floor(exponents.max()) + 1))
        ax.set_xticks(ticks + [x_box], [f"{t:g}" for t in ticks] + ["random D"])
        ax.set_xlabel("exponent t")
        ax.set_ylabel(SCORE_LABELS[s])
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7, loc="lower right")
    fig.suptitle("Item-item cosine of one Eq. 1 model under different D: cluster recovery", fontsize=11)
    return fig


def draw_remedies(study: dict, score: int = 0):
    """Left: each approach's score at D = I (mean over seeds, 95% interval, seeds as dots).
    Right: its range over random D within a seed (largest minus smallest score), same layout;
    a D-invariant approach sits at 0."""
    from .scores import mean_and_interval
    from .study import spread_over_d

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
    axes[0].set_yticks(y, [key for key, _ in REMEDIES])
    fig.suptitle("Remedies of Section 3: score (mean, 95% interval; dots = seeds) and dependence on D", fontsize=11)
    return fig


def draw_user_similarities(users: dict):
    """User-user (top) and user-item (bottom) cosine heatmaps for each scaling, plus the original space."""
    columns = [(key, title) for key, title, _ in USER_PANEL_SCALINGS] + [(ORIGINAL_SPACE_KEY, "rows of X A B^T")]
    cmap = rocket_colormap()
    fig, axes = plt.subplots(2, len(columns), figsize=(2.6 * len(columns), 5.6), layout="constrained")
    for c, (key, title) in enumerate(columns):
        for r, kind in enumerate(("user_user", "user_item")):
            ax = axes[r, c]
            matrix = users[f"{kind}__{key}"]
            # a smoothed user row spreads over all p items: its cosine with one item is small,
            # so that one panel gets its own colour range [0, max]
            vmax = float(matrix.max()) if (kind, key) == ("user_item", ORIGINAL_SPACE_KEY) else 1.0
            shown = ax.imshow(matrix, cmap=cmap, vmin=0.0, vmax=vmax, interpolation="nearest", aspect="auto")
            if vmax == 1.0:
                image = shown
            else:
                ax.set_xlabel(f"colour range [0, {vmax:.2f}]", fontsize=7)
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(title, fontsize=8)
        axes[0, 0].set_ylabel("user-user", fontsize=9)
        axes[1, 0].set_ylabel("user-item", fontsize=9)
    fig.colorbar(image, ax=axes, fraction=0.02, pad=0.01, label="cosine (clipped to [0, 1])")
    return fig
