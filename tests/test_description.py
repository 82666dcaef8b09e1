"""The data description counts the items and users without interactions, and says what follows."""

import numpy as np
import pytest
import scipy.sparse as sp

from cossim.data.description import describe


@pytest.mark.parametrize("empty_items, empty_users, phrase", [
    ([], [], "Every item and every user has at least one interaction."),
    ([2], [], "1 item has no interaction: its embedding has length 0, so its cosines are undefined and left out"),
    ([0, 2], [1], "2 items and 1 user have no interaction: their embeddings have length 0, so their cosines"),
])
def test_description_counts_what_has_no_interaction(empty_items, empty_users, phrase):
    rng = np.random.default_rng(0)
    dense = (rng.random((40, 6)) < 0.5).astype(float)
    dense[:, 1] = 1.0  # every user has an interaction unless emptied below
    dense[:, empty_items] = 0.0
    dense[empty_users] = 0.0
    X = sp.csr_matrix(dense)
    if empty_items:  # an explicitly stored zero is no interaction
        X = sp.csr_matrix((np.append(X.data, 0.0), np.append(X.indices, empty_items[0]),
                           np.append(X.indptr[:-1], X.nnz + 1)), shape=X.shape)
    description = describe(X, np.array([0, 0, 0, 1, 1, 1]), "toy", "simulated", "a test")
    assert description["items_without_interactions"] == len(empty_items)
    assert description["users_without_interactions"] == len(empty_users)
    assert phrase in description["sentence"]
