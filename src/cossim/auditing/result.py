"""The result of :func:`cossim.audit` and its human-readable report."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .stats import Shift

MEANING = (
    "What this measures: how much of the cosine similarity is left free by the predictions. Every D "
    "above gives exactly the same predictions P B^T, so nothing in the predictions can tell these "
    "cosines apart. Whether the training objective pinned D is a property of its regulariser, which "
    "the audit cannot see: a penalty on the product (Eq. 1 of the paper, or dropout/denoising) leaves "
    "D free and the cosines are then partly arbitrary; separate penalties on the two factors (Eq. 2, "
    "weight decay on P and B) pin one D, so the cosines are unique, but the objective chose that D, "
    "not the data."
)


@dataclass(frozen=True)
class PredictionCheck:
    """The invariance ``P D (B D^{-1})^T == P B^T``, checked in every draw.

    Attributes
    ----------
    source : str
        "given user embeddings", or "random Gaussian probe users" when none were given.
    users, items : int
        Size of the checked block of predictions.
    max_relative_change : float
        ``max |P D (B D^{-1})^T - P B^T| / max |P B^T|`` over the block and every draw.
    tolerance : float
    invariant : bool
        ``max_relative_change <= tolerance``.
    """

    source: str
    users: int
    items: int
    max_relative_change: float
    tolerance: float
    invariant: bool


@dataclass(frozen=True)
class AuditResult:
    """What :func:`cossim.audit` measured.

    Attributes
    ----------
    n_items, n_users : int (n_users None without user embeddings)
    rank : int
        k, the number of latent dimensions.
    active_rank : int
        Dimensions not identically zero in the item (and user) embeddings: only these carry a
        scale for D to change.
    draws : int
    log_sd : float
    seed : int
    neighbours : int
        k of the top-k neighbourhoods.
    d : ndarray, shape (draws, rank)
        Diagonal of each random D (items become ``B D^{-1}``, users ``P D``).
    predictions : PredictionCheck
    items : Shift
        Item-item cosine under random D against D = I.
    users, user_item : Shift or None
        User-user and user-item (each sampled user's ranking of all items) likewise.
    original_space, original_space_given : Shift or None
        The D-free cosine of the columns of ``P B^T`` against the embedding cosine under random D,
        and against the embeddings as given.
    zero_length_items, zero_length_users : int (zero_length_users None without user embeddings)
        Rows of Euclidean norm 0 (no direction, every cosine undefined), left out of every
        measurement; ``n_items`` and ``n_users`` count them, each Shift's ``population`` does not.
    """

    n_items: int
    n_users: int | None
    rank: int
    active_rank: int
    draws: int
    log_sd: float
    seed: int
    neighbours: int
    d: np.ndarray = field(repr=False)
    predictions: PredictionCheck
    items: Shift
    users: Shift | None = None
    user_item: Shift | None = None
    original_space: Shift | None = None
    original_space_given: Shift | None = None
    zero_length_items: int = 0
    zero_length_users: int | None = None

    def shifts(self) -> dict[str, Shift]:
        """Every measured :class:`Shift` by key (``items``, ``users``, ``user_item``, ...)."""
        keys = ("items", "users", "user_item", "original_space_given", "original_space")
        return {key: getattr(self, key) for key in keys if getattr(self, key) is not None}

    def to_dict(self) -> dict:
        """Everything but the per-query arrays, JSON-ready (``json.dumps`` accepts it)."""
        out = {
            "n_items": self.n_items,
            "n_users": self.n_users,
            "zero_length_items": self.zero_length_items,
            "zero_length_users": self.zero_length_users,
            "rank": self.rank,
            "active_rank": self.active_rank,
            "draws": self.draws,
            "log_sd": self.log_sd,
            "seed": self.seed,
            "neighbours": self.neighbours,
            "predictions": vars(self.predictions).copy(),
            **{key: shift.to_dict() for key, shift in self.shifts().items()},
            "meaning": MEANING,
        }
        return json_ready(out)

    def summary(self) -> str:
        """A short human report: the answer first, then each measurement and what it means."""
        k = self.neighbours
        users = "no user embeddings" if self.n_users is None else f"{self.n_users:,} users"
        lines = [
            f"cossim audit: {self.n_items:,} items, {users}, k = {self.rank} dimensions "
            f"({self.active_rank} not identically zero); {self.draws} random D "
            f"(log-normal, log-sd {self.log_sd:g}, seed {self.seed}).",
            *([self.left_out()] if self.left_out() else []),
            f"Predictions P B^T unchanged in every draw: {'yes' if self.predictions.invariant else 'NO'} "
            f"(largest relative change {self.predictions.max_relative_change:.1e} <= "
            f"{self.predictions.tolerance:.0e} on {self.predictions.users} x {self.predictions.items} "
            f"{self.predictions.source}).",
            "",
            f"Answer: under rescalings that leave every prediction as it is, an item keeps on average "
            f"{100 * self.items.overlap_mean:.0f}% of its {k} nearest neighbours "
            f"(1 in 20 keeps {100 * self.items.overlap_p05:.0f}% or fewer).",
            "",
        ]
        for shift in self.shifts().values():
            lines += shift_lines(shift)
        lines += ["(+- : one standard error of the sampling of queries and pairs.)", "", MEANING]
        return "\n".join(lines)

    def left_out(self, scope: str = "every number below") -> str:
        """The sentence that counts the rows of zero length left out, or "" if there are none.

        Parameters
        ----------
        scope : str
            What the other rows are the rows of (e.g. "every number in this figure").

        Returns
        -------
        str
        """
        counts = [(self.zero_length_items, "item", self.n_items)]
        if self.zero_length_users is not None:
            counts.append((self.zero_length_users, "user", self.n_users))
        if not any(count for count, _, _ in counts):
            return ""
        zero = " and ".join(f"{count:,} {noun}{'' if count == 1 else 's'}" for count, noun, _ in counts)
        rest = " and ".join(f"{total - count:,} {noun}s" for count, noun, total in counts)
        return (f"Left out: {zero} of zero length (no direction, so every cosine with them is undefined); "
                f"{scope} is over the other {rest}.")


def json_ready(value):
    """``value`` with NaN and infinite floats replaced by None (strict JSON has neither)."""
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_ready(item) for item in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def shift_lines(shift: Shift) -> list[str]:
    """Three or four report lines for one :class:`Shift`."""
    k = shift.neighbours
    exact = "all" if shift.queries.size == shift.population else f"{shift.queries.size:,} sampled"
    pairs = "all pairs" if shift.pairs_exhaustive else f"{shift.pairs:,} sampled pairs"
    return [
        f"{shift.label}: {shift.candidates} against {shift.reference} ({exact} of {shift.population:,} queries)",
        f"  top-{k} overlap: mean {shift.overlap_mean:.3f} +- {shift.overlap_mean_se:.3f}, 5th percentile "
        f"{shift.overlap_p05:.2f} +- {shift.overlap_p05_se:.2f}",
        f"  rank correlation of the cosines ({pairs}): mean {shift.rank_correlation:.3f} "
        f"+- {shift.rank_correlation_se:.3f}, lowest {shift.rank_correlation_min:.3f}",
        f"  change of a cosine: mean {shift.mean_abs_change:.3f} +- {shift.mean_abs_change_se:.3f}, largest "
        f"{shift.max_abs_change:.3f} (over the queries' rows)",
    ]
