"""Near-duplicates to leave out: the analysis layer finds them; here one item of each group is
kept (the first in the curation's hash order, so the choice is stable and seeded)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["DUPLICATE_METHODS", "near_duplicate_losers"]

DUPLICATE_METHODS = ("semantic", "lexical")


def near_duplicate_losers(texts: Sequence[str], order: Sequence[float], *, method: str = "semantic",
                          threshold: float | None = None) -> np.ndarray:
    """Positions of the texts to leave out: all but the first (lowest ``order``) of each group
    of exact or near-duplicate texts. ``semantic``: embedding cosine >= ``threshold`` (0.9);
    ``lexical``: MinHash Jaccard of word 3-grams >= ``threshold`` (0.8)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from ..analysis.repetition import lexical_near_duplicates, near_duplicates, unique_texts

    if method not in DUPLICATE_METHODS:
        raise ValueError(f"near-duplicate method {method!r}: expected one of {DUPLICATE_METHODS}")
    texts = [str(t) for t in texts]
    if len(texts) < 2:
        return np.array([], dtype=int)
    if method == "semantic":
        found = near_duplicates(pd.DataFrame({"text": texts}), threshold=0.9 if threshold is None else threshold)
    else:
        found = lexical_near_duplicates(texts, threshold=0.8 if threshold is None else threshold)
    _, codes = unique_texts(texts)  # exact duplicates share a code; pairs join codes
    n_codes = int(codes.max()) + 1
    i, j = codes[found.pairs["i"].to_numpy(int)], codes[found.pairs["j"].to_numpy(int)]
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n_codes, n_codes))
    group = connected_components(graph, directed=False)[1][codes]  # each text's group
    ranked = np.lexsort((np.asarray(order, float), group))  # by group, then order
    first = np.ones(len(texts), dtype=bool)
    first[1:] = group[ranked][1:] != group[ranked][:-1]
    return np.sort(ranked[~first])
