"""Helpers of workflow/rules/data.smk (standard library only: the rule files import it at parse time)."""

from __future__ import annotations


def data_origin(dataset: str, simulated: bool, seed: int | None, own_data: dict | None) -> tuple[str, str]:
    """(source, origin) of data set ``dataset`` for rule describe_data.

    Parameters
    ----------
    dataset : str
    simulated : bool
        Whether the data set is the Section 4 simulation (or one of its seeds).
    seed : int or None
        Its simulation seed.
    own_data : dict or None
        Config section ``own_data`` when this data set is imported from it, else None (a data set
        that another study registers).

    Returns
    -------
    source : {"simulated", "imported"}
    origin : str
    """
    if simulated:
        return "simulated", f"seed {seed}"
    if own_data is not None:
        clusters = own_data.get("item_clusters")
        return "imported", f"from `{own_data['interactions']}`" + (f", clusters from `{clusters}`" if clusters else "")
    return "imported", f"by the {dataset} study"
