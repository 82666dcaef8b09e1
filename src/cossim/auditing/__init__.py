"""``cossim audit``: how much of the cosine similarity of any embeddings is fixed by their predictions.

A tool, not a study of the workflow (it has no ``artifacts.py``). :func:`audit` draws random
invertible diagonal D, keeps the predictions ``P B^T`` fixed (``P D``, ``B D^{-1}``, Eq. 3) and
measures how the cosine neighbourhoods move; :mod:`cossim.auditing.files` reads embeddings from
.npz, .npy or CSV; :mod:`cossim.auditing.cli` is ``python -m cossim audit FILE``. See docs/audit.md.

The function is exported as ``cossim.audit``.
"""

from .core import PREDICTION_TOLERANCE, audit
from .result import MEANING, AuditResult, PredictionCheck
from .stats import Shift

__all__ = ["MEANING", "PREDICTION_TOLERANCE", "AuditResult", "PredictionCheck", "Shift", "audit"]
