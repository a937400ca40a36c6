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
    "kmeans_labels", "cluster_entropy", "diversity_metrics", "diversity",
]


def mean_pairwise_cosine_distance(X: np.ndarray) -> float:
    """Mean of 1 - cos(x_i, x_j) over all pairs i != j, in O(n d).

    For unit rows, sum_{i != j} x_i . x_j = ||sum_i x_i||^2 - n, so the mean similarity is
    (||sum x||^2 - n) / (n (n - 1)) and no n x n matrix is formed.
    """
    n = len(X)
    if n < 2:
        return float("nan")
    s = np.asarray(X).sum(0, dtype=np.float64)  # float64 sums without a float64 copy of X
    return float(1.0 - (s @ s - n) / (n * (n - 1)))


VENDI_BLOCK = 65_536


def vendi_score(X: np.ndarray) -> float:
    """Vendi score (Friedman & Dieng 2023, arXiv 2210.02410) with the cosine kernel.

    VS = exp(-sum_i lambda_i log lambda_i), lambda the eigenvalues of K/n, K = X X^T. The
    non-zero eigenvalues of X X^T / n equal those of the d x d covariance X^T X / n, so this
    costs O(n d^2) and d x d memory (the n x n kernel needs 25.6 GB at 80k prompts); a group
    smaller than d uses the n x n kernel, the smaller of the two. Ranges from 1 (all identical)
    to min(n, d) (orthogonal). Rows must have unit norm (trace 1).
    """
    n, d = X.shape
    if n == 0:
        return float("nan")
    if n < d:
        X = np.asarray(X, np.float64)
        kernel = X @ X.T
    else:
        # X^T X summed over row blocks in float64: d x d memory, never a float64 copy of all of X
        # (3 GB at 1M x 384; X may be a memory-mapped file).
        kernel = np.zeros((d, d))
        for start in range(0, n, VENDI_BLOCK):
            block = np.asarray(X[start:start + VENDI_BLOCK], np.float64)
            kernel += block.T @ block
    lam = np.linalg.eigvalsh(kernel / n)
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


def _lloyd(X: np.ndarray, k: int, rng: np.random.Generator, max_iter: int) -> tuple[np.ndarray, float]:
    """One k-means++ seeding (Arthur & Vassilvitskii 2007) and Lloyd iterations: centres, inertia."""
    sq = (X * X).sum(1)
    centres = [X[rng.integers(len(X))]]
    d2 = np.maximum(sq - 2 * X @ centres[0] + centres[0] @ centres[0], 0)
    for _ in range(1, k):
        centre = X[rng.choice(len(X), p=d2 / d2.sum())] if d2.sum() > 0 else X[rng.integers(len(X))]
        centres.append(centre)
        d2 = np.minimum(d2, np.maximum(sq - 2 * X @ centre + centre @ centre, 0))
    C = np.stack(centres)
    labels = np.full(len(X), -1)
    for _ in range(max_iter):
        dist = (C * C).sum(1)[None, :] - 2 * X @ C.T
        new = np.argmin(dist, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        onehot = np.zeros((k, len(X)), np.float32)
        onehot[labels, np.arange(len(X))] = 1.0
        counts = onehot.sum(1)
        filled = counts > 0
        C[filled] = (onehot @ X)[filled] / counts[filled, None]
    inertia = float((dist[np.arange(len(X)), labels] + sq).sum())
    return C, inertia


def kmeans_labels(X: np.ndarray, k: int, seed: int = 0, n_init: int = 3, max_iter: int = 50,
                  fit_on: int = 20_000) -> np.ndarray:
    """k-means cluster of each row: the best (lowest inertia) of ``n_init`` seeded k-means++
    runs, fitted on at most ``fit_on`` rows (a seeded sample), then every row assigned.

    Our own few lines rather than scikit-learn's: its OpenMP threads slowed ~100x on a loaded
    2-core machine, while these matrix products use BLAS like everything else here.
    """
    rng = np.random.default_rng(seed)
    full = np.asarray(X, np.float32)
    sample = full[rng.choice(len(full), fit_on, replace=False)] if len(full) > fit_on else full
    C, _ = min((_lloyd(sample, k, rng, max_iter) for _ in range(n_init)), key=lambda run: run[1])
    return np.argmin((C * C).sum(1)[None, :] - 2 * full @ C.T, axis=1)


def cluster_entropy(X: np.ndarray, k: int = 20, seed: int = 0) -> float:
    """Normalised entropy of k-means cluster sizes: H(p) / log k, p_c = |cluster c| / n.

    1 when the prompts spread evenly over k regions of embedding space, near 0 when they
    crowd into one. k is fixed (not tuned per set) so values compare across sets and groups of
    similar size; a group with fewer than k distinct prompts uses that many clusters.
    """
    k = min(k, len({row.tobytes() for row in np.asarray(X, np.float32)}))  # no more centres than distinct points
    if k < 2:
        return float("nan")
    p = np.bincount(kmeans_labels(X, k, seed), minlength=k) / len(X)
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
