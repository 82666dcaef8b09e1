"""Replication library for Steck, Ekanadham & Kallus (2024), arXiv:2403.05440.

"Is Cosine-Similarity of Embeddings Really About Similarity?"

Modules
-------
simulate    Section 4 data simulation.
solve       Closed-form solutions of Eq. 1 and Eq. 2 (Eq. 5, Eq. 6).
objectives  The objectives of Eq. 1 and Eq. 2 and their gradients.
rescale     Eq. 3 re-scalings and the named choices of D used by the paper.
similarity  Item-item, user-user and user-item cosine similarities (Section 2.3).
figure1     The five panels of Figure 1, their order, block levels and drawing.
checks      Mathematical checks that fail the workflow on a wrong result.
config      Configuration validation against the JSON schema.
"""

__version__ = "0.1.0"
