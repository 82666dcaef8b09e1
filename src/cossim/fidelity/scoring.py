"""How a cell is scored against the published figure: blocks and profiles combined.

The ranking score of a cell combines two mean absolute errors of the ranked panels (config key
``fidelity.ranked_panels``): ``block_overall`` over the 5 x 5 cluster blocks
(:mod:`cossim.published`) and ``profile_overall`` over the popularity-quartile profiles of the
three large clusters (:mod:`cossim.published_profiles`), in the same colour encoding.
"""

from __future__ import annotations

import numpy as np

from ..published_profiles import PROFILE_WEIGHT, combined_error, popularity_gradient

__all__ = ["GRADIENT_PANELS", "PROFILE_WEIGHT", "gradient_signs_right", "ranking_score"]

GRADIENT_PANELS = ("eq1_B_Vk_g_half", "eq1_B_Vk")
"""Panels whose popularity-gradient signs ``gradient_signs_right`` counts (2 and 3; panel 5's
published gradient is about 0, panel 4 is not reproduced under its printed formula)."""


def ranking_score(block_overall: float, profile_overall: float, weight: float = PROFILE_WEIGHT) -> float:
    """The ranking score of a cell: ``(1 - weight) * block_overall + weight * profile_overall``.

    Parameters
    ----------
    block_overall, profile_overall : float
        Mean absolute block-level and profile errors of the ranked panels.
    weight : float
        Weight of the profiles (:data:`cossim.published_profiles.PROFILE_WEIGHT`: blocks and
        profiles count equally, so that neither the block pattern nor the gradient can be traded
        away for the other).

    Returns
    -------
    float
    """
    return combined_error(block_overall, profile_overall, weight)


def gradient_signs_right(profiles: dict, published_profiles: dict, panels=GRADIENT_PANELS) -> int:
    """How many (panel, large cluster) pairs have the published sign of the popularity gradient.

    Parameters
    ----------
    profiles, published_profiles : dict of str to array, each of shape (L, 4, 4)
        Ours and the published popularity profiles.
    panels : sequence of str

    Returns
    -------
    int
        Between 0 and ``len(panels) * L``; a NaN gradient counts as wrong.
    """
    right = 0
    for key in panels:
        ours, theirs = popularity_gradient(profiles[key]), popularity_gradient(published_profiles[key])
        right += int(np.sum(np.sign(ours) == np.sign(theirs)))
    return right
