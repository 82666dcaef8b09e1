"""The study's findings in numbers: what the notebook and docs/recovery.md quote.

:func:`recovery_findings` derives them from the stacked per-seed arrays (rule ``recovery_tables``)
as one flat JSON-ready dict, so that every number the study reports is an artifact that rule
``check_recovery`` sees (:func:`cossim.recovery.checks.check_findings`), never a computation made
in a notebook.
"""

from __future__ import annotations

import numpy as np

from .study import REMEDY_KEYS, TABLE3_PANELS

# Panels a seed's "best panel" is chosen among: every Table 3 panel but the true clusters.
MODEL_PANELS = TABLE3_PANELS[1:]
RANDOM_D_QUANTILES = (0.05, 0.95)


def best_panel_counts(panels: np.ndarray) -> dict:
    """On how many seeds each model panel has the highest AUC (the first one on a tie).

    Parameters
    ----------
    panels : ndarray, shape (n_seeds, len(TABLE3_PANELS), 3)

    Returns
    -------
    dict
        ``{panel key: number of seeds}`` for every entry of :data:`MODEL_PANELS`.
    """
    best = np.argmax(panels[:, 1:, 0], axis=1)
    return {key: int(np.sum(best == m)) for m, key in enumerate(MODEL_PANELS)}


def mean_auc_ranking(panels: np.ndarray) -> list[str]:
    """The model panels by mean AUC over seeds, best first (ties in panel order).

    Parameters
    ----------
    panels : ndarray, shape (n_seeds, len(TABLE3_PANELS), 3)

    Returns
    -------
    list of str
        The keys of :data:`MODEL_PANELS`, reordered.
    """
    mean = panels[:, 1:, 0].mean(axis=0)
    return [MODEL_PANELS[m] for m in np.argsort(-mean, kind="stable")]


def family_extremes(families: np.ndarray, exponents: np.ndarray, family_keys) -> dict:
    """Lowest and highest mean AUC (over seeds) along each family of the D sweep, and where.

    Parameters
    ----------
    families : ndarray, shape (n_seeds, n_families, n_exponents, 3)
    exponents : ndarray, shape (n_exponents,)
    family_keys : sequence of str, length n_families

    Returns
    -------
    dict
        ``<family>__mean_auc_min``, ``<family>__mean_auc_min_t`` (its exponent), and the same
        with ``max``.
    """
    out = {}
    for f, family in enumerate(family_keys):
        mean_auc = families[:, f, :, 0].mean(axis=0)
        low, high = int(np.argmin(mean_auc)), int(np.argmax(mean_auc))
        out[f"{family}__mean_auc_min"] = float(mean_auc[low])
        out[f"{family}__mean_auc_min_t"] = float(exponents[low])
        out[f"{family}__mean_auc_max"] = float(mean_auc[high])
        out[f"{family}__mean_auc_max_t"] = float(exponents[high])
    return out


def random_d_spread(random_d: np.ndarray) -> dict:
    """The AUC of Eq. 5's item cosine under random D, pooled over seeds and draws.

    Parameters
    ----------
    random_d : ndarray, shape (n_seeds, n_draws, 3)

    Returns
    -------
    dict
        ``random_d_draws``, ``random_d_auc_min``, ``random_d_auc_q05``, ``random_d_auc_q95``,
        ``random_d_auc_max``.
    """
    auc = random_d[..., 0].ravel()
    low, high = np.quantile(auc, RANDOM_D_QUANTILES)
    return {
        "random_d_draws": int(auc.size),
        "random_d_auc_min": float(auc.min()),
        "random_d_auc_q05": float(low),
        "random_d_auc_q95": float(high),
        "random_d_auc_max": float(auc.max()),
    }


def unit_norm_comparison(summary: dict) -> dict:
    """Does unit-norm training forget its starting D? Its AUC against its start's, per start.

    The start of each unit-norm fit is the normalised ``B(D)``, whose AUC is the embedding
    cosine's at the same D.

    Parameters
    ----------
    summary : dict of ndarrays
        ``remedies`` (n_seeds, len(REMEDIES), n_d, 3), ``unit_norm_relative_excess`` and
        ``unit_norm_start_relative_excess`` (n_seeds, n_d).

    Returns
    -------
    dict
        ``unit_norm_auc_correlation`` (Pearson, over every seed and D), ``unit_norm_mean_abs_auc_change``,
        the mean (over seeds) AUC range over D of the start (``embedding_cosine_mean_auc_range``)
        and of the trained fit (``unit_norm_training_mean_auc_range``), and the mean Eq. 1 value
        above the unconstrained optimum, relative, at the start and after training.
    """
    remedies = summary["remedies"]
    start = remedies[:, REMEDY_KEYS.index("embedding_cosine"), :, 0]
    trained = remedies[:, REMEDY_KEYS.index("unit_norm_training"), :, 0]
    return {
        "unit_norm_auc_correlation": float(np.corrcoef(start.ravel(), trained.ravel())[0, 1]),
        "unit_norm_mean_abs_auc_change": float(np.mean(np.abs(trained - start))),
        "embedding_cosine_mean_auc_range": float(np.mean(np.ptp(start, axis=1))),
        "unit_norm_training_mean_auc_range": float(np.mean(np.ptp(trained, axis=1))),
        "unit_norm_start_mean_relative_excess": float(np.mean(summary["unit_norm_start_relative_excess"])),
        "unit_norm_mean_relative_excess": float(np.mean(summary["unit_norm_relative_excess"])),
    }


def recovery_findings(summary: dict) -> dict:
    """Every number the study quotes, as a flat dict (keys sorted when saved as JSON).

    Parameters
    ----------
    summary : dict of ndarrays
        The stacked per-seed arrays (rule ``recovery_tables``): ``seeds`` (n_seeds,), ``panels``,
        ``exponents``, ``families``, ``family_keys``, ``random_d``, ``remedies`` and the unit-norm
        diagnostics (see :func:`cossim.recovery.study.seed_study`).

    Returns
    -------
    dict of str to int, float or str
        The run's size (``n_seeds``, ``first_seed``, ``last_seed``, ``exponent_steps``,
        ``random_d_per_seed``, ``remedy_d_per_seed``), ``best_panel_seeds__<panel>``,
        ``mean_auc_ranking`` (panel keys joined by " > "), and the entries of
        :func:`family_extremes`, :func:`random_d_spread` and :func:`unit_norm_comparison`.
    """
    seeds = np.asarray(summary["seeds"])
    family_keys = [str(key) for key in summary["family_keys"]]
    out = {
        "n_seeds": int(seeds.size),
        "first_seed": int(seeds.min()),
        "last_seed": int(seeds.max()),
        "exponent_steps": int(summary["exponents"].size),
        "random_d_per_seed": int(summary["random_d"].shape[1]),
        "remedy_d_per_seed": int(summary["remedies"].shape[2] - 1),
        "mean_auc_ranking": " > ".join(mean_auc_ranking(summary["panels"])),
    }
    out.update({f"best_panel_seeds__{key}": n for key, n in best_panel_counts(summary["panels"]).items()})
    out.update(family_extremes(summary["families"], summary["exponents"], family_keys))
    out.update(random_d_spread(summary["random_d"]))
    out.update(unit_norm_comparison(summary))
    return out
