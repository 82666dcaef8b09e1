"""``cossim audit``: how much of the cosine similarity of any embeddings is fixed by their predictions.

A tool, not a study of the workflow (it has no ``artifacts.py``). :func:`audit` draws random
invertible diagonal D, keeps the predictions ``P B^T`` fixed (``P D``, ``B D^{-1}``, Eq. 3) and
measures how the cosine neighbourhoods move; :mod:`cossim.audit.files` reads embeddings from
.npz, .npy or CSV; :mod:`cossim.audit.cli` is ``python -m cossim audit FILE``. See docs/audit.md.

``cossim.audit`` names both this sub-package and the function :func:`audit`; whichever the name
is bound to when you use it (importing a sub-module binds the package), ``cossim.audit(...)``
runs the audit: the package is callable.
"""

import sys
import types

from .core import PREDICTION_TOLERANCE, audit
from .result import MEANING, AuditResult, PredictionCheck
from .stats import Shift

__all__ = ["MEANING", "PREDICTION_TOLERANCE", "AuditResult", "PredictionCheck", "Shift", "audit"]


class _CallablePackage(types.ModuleType):
    """This package, callable as :func:`audit`."""

    def __call__(self, *args, **kwargs) -> AuditResult:
        return audit(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
