"""The fidelity study's findings as sentences: what docs/fidelity.md and the notebook say.

:func:`fidelity_sentences` turns ``fidelity_best.json`` (:func:`cossim.fidelity.ranking.best_reading_summary`,
rebuilt by rule ``check_fidelity``) into sentences; readings are named by their choices in words
(:data:`cossim.vocabulary.READING_CHOICE_NAMES`), never by their file-name-safe names.
"""

from __future__ import annotations

import math

from ..prose import listing, names, number, quoted
from ..vocabulary import READING_CHOICE_NAMES, panel_number
from .grid import FACTOR_LABELS, NAME_SEPARATOR

KEY_OF_LABEL = {label: key for key, label in FACTOR_LABELS.items()}


def reading_words(reading: str) -> str:
    """A reading's choices in words, from its name (:func:`cossim.fidelity.grid.reading_name`).

    E.g. ``clusters-published__pop-power__cap-150`` -> "published cluster probabilities, item
    popularity by the power law and at most 150 items per user".
    """
    parts = [part.partition("-") for part in reading.split(NAME_SEPARATOR)]
    return listing(READING_CHOICE_NAMES[KEY_OF_LABEL[label]].format(value) for label, _, value in parts)


def entry_words(entry: dict) -> str:
    """A (reading, colour range) entry of the ranking in words."""
    return f"{reading_words(entry['reading'])}, with the {entry['colour_range']} colour range"


def seeds(count: int) -> str:
    """"1 seed", "2 seeds"."""
    return f"{count} seed" if count == 1 else f"{count} seeds"


def seed_noise(sd) -> str:
    """The clause giving the ranking error's standard deviation over seeds (none with one seed)."""
    if sd is None or sd != sd:
        return " (one seed: no standard deviation over seeds)"
    return f", with a standard deviation over seeds of {number(sd)}"


def fidelity_sentences(best: dict) -> list[str]:
    """The grid, the best and worst readings, the best one's error per panel, and the pattern's verdict.

    Parameters
    ----------
    best : dict
        ``fidelity_best.json`` as read: ``n_readings``, ``n_cells``, ``ranking`` (best first),
        ``ranked_panels``, ``qualitative_pattern_holds_everywhere`` and ``best``.

    Returns
    -------
    list of str
    """
    ranking, top = best["ranking"], best["best"]
    ranges = sorted({entry["colour_range"] for entry in ranking})
    errors = top["mean_abs"]
    largest = max(errors, key=errors.get)
    sentences = [
        f"The grid holds {best['n_readings']} readings of the simulation's unstated choices, each simulated with "
        f"{seeds(len(top['seeds']))} ({best['n_cells']} simulations in all) and drawn under the {listing(ranges)} "
        f"colour ranges.",
        f"Closest to the published figure: {entry_words(ranking[0])}. Its error (the mean absolute difference "
        f"from the published block levels and within-cluster profiles, weighted alike and averaged over "
        f"{names(best['ranked_panels'])}) is "
        f"{number(ranking[0]['overall'])}{seed_noise(top.get('overall_seed_sd'))}.",
    ]
    defined = [entry for entry in ranking if not math.isnan(entry["overall"])]
    if len(defined) > 1:
        sentences.append(f"The next, {entry_words(defined[1])}, is off by {number(defined[1]['overall'])}; the "
                         f"last with a defined error, {entry_words(defined[-1])}, by {number(defined[-1]['overall'])}.")
    undefined = sorted({entry["reading"] for entry in ranking} - {entry["reading"] for entry in defined})
    if undefined:
        sentences.append(
            f"{len(undefined)} of the readings {'has' if len(undefined) == 1 else 'have'} no defined error, under "
            f"any colour range, and {'is' if len(undefined) == 1 else 'are'} ranked last: "
            f"{listing(reading_words(name) for name in undefined)}: a block of one of their panels has no defined "
            "cosine.")
    ordered = sorted(errors, key=lambda key: panel_number(key) or 0)
    per_panel = listing(f"{quoted(key)} {number(errors[key])}" for key in ordered)
    sentences.append(f"The best reading's block error per panel: {per_panel}; it is largest for {quoted(largest)}.")
    everywhere = "holds in every cell" if best["qualitative_pattern_holds_everywhere"] else "does not hold in every cell"
    at_best = "holds" if top["qualitative_pattern_holds"] else "does not hold"
    sentences.append(f"Figure 1's qualitative pattern {everywhere} of the grid; for the best reading it {at_best}.")
    return sentences
