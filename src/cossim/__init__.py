"""Replication library for Steck, Ekanadham & Kallus (2024), arXiv:2403.05440.

"Is Cosine-Similarity of Embeddings Really About Similarity?"

Sub-packages
------------
model       The paper's mathematics: Section 4's simulation and its sampler, the closed forms of
            Eq. 1 and Eq. 2 (Eq. 5, Eq. 6), the objectives and their gradients, the re-scalings
            of Eq. 3, the cosine similarities, and Figure 1's panels. Imports nothing else here.
data, fits, figure1, claims, training, recovery, fidelity, provenance
            One sub-package per study of the workflow; each depends on ``model`` and on the
            shared modules (checking, io, paths, plotting, published, notebooks), never on
            another study.
auditing    ``cossim audit``: how much of any embeddings' cosine similarities the predictions leave
            free (a tool for your own embeddings, not a workflow study).

The names below are the public API; they are imported on first use, so ``import cossim`` (and
parsing the workflow) stays cheap.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    # Section 4: the data.
    "SimulationSpec": "model.simulate",
    "SimulatedData": "model.simulate",
    "simulate": "model.simulate",
    "sample_interactions": "model.sampler",
    # Closed forms (Eq. 5, Eq. 6) and the spectrum they are built from.
    "Spectrum": "model.solve",
    "Fit": "model.solve",
    "right_singular_spectrum": "model.solve",
    "top_right_singular_spectrum": "model.solve",
    "gram_matrix": "model.solve",
    "solve_eq1": "model.solve",
    "solve_eq2": "model.solve",
    # Objectives (Eq. 1, Eq. 2), their gradients and gradient training.
    "eq1_objective": "model.objectives",
    "eq2_objective": "model.objectives",
    "eq1_gradient": "model.objectives",
    "eq2_gradient": "model.objectives",
    "minimise_from": "model.objectives",
    # Re-scalings (Eq. 3) and similarities (Eq. 4, Section 2.3).
    "rescale": "model.rescale",
    "case_a": "model.rescale",
    "case_b": "model.rescale",
    "eq5_split": "model.rescale",
    "item_item_cosine": "model.similarity",
    "user_user_cosine": "model.similarity",
    "user_item_cosine": "model.similarity",
    "cosine_similarity": "model.similarity",
    # Figure 1.
    "PANELS": "model.panels",
    "figure1_panels": "model.panels",
    "display_order": "model.panels",
    "block_means": "model.panels",
    "colour_levels": "model.panels",
    # Audit of anyone's embeddings (beyond the paper): how much of their cosine the predictions leave free.
    "audit": "auditing",
    "AuditResult": "auditing",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
