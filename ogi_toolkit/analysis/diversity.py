"""How varied a set of prompts is: embedding spread, Vendi score, distinct-n, compression,
cluster entropy; overall and per group (``diversity(df, by="subtask")``).

All embedding metrics take unit-norm rows (what ``embed`` returns).
"""
from __future__ import annotations

import gzip
from typing import Sequence

import numpy as np
import pandas as pd

from .text import ngrams, tokens

__all__ = [
    "mean_pairwise_cosine_distance", "vendi_score", "distinct_n", "compression_ratio",
    "cluster_entropy", "diversity_metrics", "diversity",
]


def mean_pairwise_cosine_distance(X: np.ndarray) -> float:
    """Mean of 1 - cos(x_i, x_j) over all pairs i != j, in O(n d).

    For unit rows, sum_{i != j} x_i . x_j = ||sum_i x_i||^2 - n, so the mean similarity is
    (||sum x||^2 - n) / (n (n - 1)) and no n x n matrix is formed.
    """
    n = len(X)
    if n < 2:
        return float("nan")
    s = X.astype(np.float64).sum(0)
    return float(1.0 - (s @ s - n) / (n * (n - 1)))


def vendi_score(X: np.ndarray) -> float:
    """Vendi score (Friedman & Dieng 2023, arXiv 2210.02410) with the cosine kernel.

    VS = exp(-sum_i lambda_i log lambda_i), lambda the eigenvalues of K/n, K = X X^T. The
    non-zero eigenvalues of X X^T / n equal those of the d x d covariance X^T X / n, so this
    costs O(n d^2) and d x d memory (the n x n kernel needs 25.6 GB at 80k prompts). Ranges
    from 1 (all identical) to min(n, d) (orthogonal). Rows must have unit norm (trace 1).
    """
    if len(X) == 0:
        return float("nan")
    X = X.astype(np.float64)
    lam = np.linalg.eigvalsh(X.T @ X / len(X))
    lam = lam[lam > 1e-12]
    lam = lam / lam.sum()  # guards against rows that are not exactly unit norm
    return float(np.exp(-(lam * np.log(lam)).sum()))


def distinct_n(texts: Sequence[str], n: int) -> float:
    """distinct-n (Li et al. 2016, arXiv 1510.03055): distinct n-grams / all n-grams, over the
    whole set, on lowercased ``\\w+`` tokens. 1 means no n-gram is ever repeated."""
    seen: set = set()
    total = 0
    for text in texts:
        grams = list(ngrams(tokens(text), n))
        total += len(grams)
        seen.update(grams)
    return len(seen) / total if total else float("nan")


def compression_ratio(texts: Sequence[str]) -> float:
    """Bytes of the texts joined by newlines / bytes after gzip (Shaib et al. 2024,
    arXiv 2403.00553). Higher means more repetitive; ~2.7 for PartiPrompts, ~5.5 for GenEval."""
    raw = "\n".join(texts).encode("utf-8")
    return len(raw) / len(gzip.compress(raw, compresslevel=9, mtime=0)) if raw else float("nan")


def cluster_entropy(X: np.ndarray, k: int = 20, seed: int = 0) -> float:
    """Normalised entropy of k-means cluster sizes: H(p) / log k, p_c = |cluster c| / n.

    1 when the prompts spread evenly over k regions of embedding space, near 0 when they
    crowd into one. k is fixed (not tuned per set) so values compare across sets and groups.
    """
    k = min(k, len(np.unique(X, axis=0)))  # k-means cannot use more centres than distinct points
    if k < 2:
        return float("nan")
    from sklearn.cluster import KMeans, MiniBatchKMeans

    # Mini-batch k-means keeps 80k points to a few seconds; exact k-means below 10k.
    algo = MiniBatchKMeans(k, random_state=seed, n_init=3, batch_size=4096) if len(X) > 10_000 \
        else KMeans(k, random_state=seed, n_init=3)
    labels = algo.fit_predict(X)
    p = np.bincount(labels, minlength=k) / len(X)
    p = p[p > 0]
    return float(-(p * np.log(p)).sum() / np.log(k))


def diversity_metrics(texts: Sequence[str], X: np.ndarray | None = None, *, k: int = 20) -> dict[str, float]:
    """All diversity metrics of one set of prompts (embedding ones only when ``X`` is given)."""
    out: dict[str, float] = {"n": len(texts)}
    for n in (1, 2, 3):
        out[f"distinct_{n}"] = distinct_n(texts, n)
    out["compression_ratio"] = compression_ratio(texts)
    if X is not None:
        out["mean_pairwise_cosine_distance"] = mean_pairwise_cosine_distance(X)
        out["vendi"] = vendi_score(X)
        out["cluster_entropy"] = cluster_entropy(X, k=k)
    return out


def diversity(df: pd.DataFrame, by: str | None = "subtask", *, embeddings: np.ndarray | None = None,
              k: int = 20, column: str = "text") -> pd.DataFrame:
    """One row per group of ``by`` plus an ``(all)`` row; embeds ``df`` when no embeddings are given."""
    if embeddings is None:
        from .embed import embed

        embeddings = embed(df, column=column)
    if len(embeddings) != len(df):
        raise ValueError(f"embeddings have {len(embeddings)} rows, the DataFrame {len(df)}")
    texts = df[column].astype(str).tolist()
    rows = [{"group": "(all)", **diversity_metrics(texts, embeddings, k=k)}]
    if by is not None:
        if by not in df.columns:
            raise KeyError(f"no column {by!r} to group by; columns are {list(df.columns)}")
        codes, values = pd.factorize(df[by], sort=True)
        for code, value in enumerate(values):
            idx = np.flatnonzero(codes == code)
            rows.append({"group": value, **diversity_metrics([texts[i] for i in idx], embeddings[idx], k=k)})
    return pd.DataFrame(rows).set_index("group")
