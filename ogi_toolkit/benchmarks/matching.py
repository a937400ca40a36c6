"""Three ways a text can come near a benchmark prompt, each giving (text row, prompt row, score).

* ``exact_matches``: equal after :func:`normalise` (case, punctuation, spacing, Unicode forms);
* ``lexical_matches``: word-shingle Jaccard similarity at least a threshold, computed exactly
  (one side is a benchmark of a few thousand prompts, so a sparse product of shingle matrices
  is cheaper than MinHash's estimate and needs no LSH recall caveat); shingles are the
  analysis' word tokens and n-grams, as in ``analysis.lexical_near_duplicates``;
* ``semantic_matches``: each text's nearest prompts by embedding cosine (``analysis.embed``
  and ``analysis.knn.knn_against``, both cached on disk).
"""
from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..analysis.text import ngrams, tokens

__all__ = ["normalise", "exact_matches", "shingles", "lexical_matches", "semantic_matches", "MATCH_COLUMNS"]

MATCH_COLUMNS = ("row", "bench", "similarity")
# typographic apostrophes as the plain one: "cat’s" and "cat's" are one word
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'"})


def _words(text: str) -> list[str]:
    """The analysis' lowercase word tokens, after Unicode compatibility folding (full-width
    letters, ligatures) and with typographic apostrophes made plain."""
    return tokens(unicodedata.normalize("NFKC", str(text)).translate(_APOSTROPHES))


def normalise(text: str) -> str:
    """The words joined by single spaces: "A photo of a Cat." and "a  photo of a cat" are the
    same text."""
    return " ".join(_words(text))


def _frame(rows, bench, score) -> pd.DataFrame:
    return pd.DataFrame({"row": np.asarray(rows, np.int64), "bench": np.asarray(bench, np.int64),
                         "similarity": np.asarray(score, np.float64)})


def exact_matches(texts: Sequence[str], prompts: Sequence[str]) -> pd.DataFrame:
    """Every (text, prompt) pair equal after normalisation, similarity 1."""
    where: dict[str, list[int]] = {}
    for j, prompt in enumerate(prompts):
        where.setdefault(normalise(prompt), []).append(j)
    pairs = [(i, j) for i, text in enumerate(texts) for j in where.get(normalise(text), ())]
    rows, bench = zip(*pairs) if pairs else ((), ())
    return _frame(rows, bench, np.ones(len(rows)))


def shingles(text: str, size: int) -> set[str]:
    """Word ``size``-grams of the normalised text (the whole text when it is shorter)."""
    toks = _words(text)
    grams = {" ".join(g) for g in ngrams(toks, size)}
    return grams or ({" ".join(toks)} if toks else set())


def _shingle_matrix(texts: Sequence[str], size: int, vocabulary: dict[str, int], grow: bool):
    """Binary CSR rows of shingle ids (``grow`` adds unseen shingles to ``vocabulary``) and each
    text's number of shingles (those no vocabulary entry has included)."""
    from scipy.sparse import csr_matrix

    indptr, indices, sizes = [0], [], []
    for text in texts:
        grams = shingles(text, size)
        sizes.append(len(grams))
        for gram in grams:
            col = vocabulary.get(gram)
            if col is None and grow:
                col = vocabulary[gram] = len(vocabulary)
            if col is not None:
                indices.append(col)
        indptr.append(len(indices))
    data = np.ones(len(indices), np.float32)
    matrix = csr_matrix((data, np.asarray(indices, np.int64), np.asarray(indptr, np.int64)),
                        shape=(len(texts), max(len(vocabulary), 1)))
    return matrix, np.asarray(sizes, np.float64)


def lexical_matches(texts: Sequence[str], prompts: Sequence[str], *, threshold: float, shingle: int = 2,
                    block: int = 8192) -> pd.DataFrame:
    """Every (text, prompt) pair whose word-``shingle`` Jaccard similarity is at least ``threshold``."""
    vocabulary: dict[str, int] = {}
    B, b_sizes = _shingle_matrix(prompts, shingle, vocabulary, grow=True)
    BT = B.T.tocsc()
    out = []
    for start in range(0, len(texts), block):
        # a text's shingles that no prompt has still count in its union with every prompt
        A, sizes = _shingle_matrix(list(texts[start:start + block]), shingle, vocabulary, grow=False)
        inter = (A @ BT).tocoo()  # shared shingles of every pair that shares any
        jac = inter.data / (sizes[inter.row] + b_sizes[inter.col] - inter.data)
        keep = jac >= threshold
        out.append(_frame(inter.row[keep] + start, inter.col[keep], jac[keep]))
    return pd.concat(out, ignore_index=True) if out else _frame((), (), ())


def semantic_matches(text_vectors: np.ndarray, prompt_vectors: np.ndarray, *, threshold: float, k: int = 3,
                     method: str = "exact", cache_dir: str | Path | None = None) -> pd.DataFrame:
    """Each text's ``k`` nearest prompts by cosine, kept where at least ``threshold``."""
    from ..analysis.knn import knn_against

    if len(text_vectors) == 0 or len(prompt_vectors) == 0:
        return _frame((), (), ())
    idx, sims = knn_against(text_vectors, prompt_vectors, k, method=method, cache_dir=cache_dir)
    rows = np.repeat(np.arange(len(idx)), idx.shape[1])
    keep = sims.ravel() >= threshold
    return _frame(rows[keep], idx.ravel()[keep], sims.ravel()[keep])
