"""2-D UMAP projections of the embeddings, reproducible (fixed ``random_state``) and cached.

UMAP is fitted on the distinct texts only (duplicates would sit on top of each other and
distort the neighbour graph) and reuses the exact kNN graph of ``knn.py``, so it skips its own
neighbour search; rows with the same text get the same coordinates.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .cache import array_key, cached_arrays, default_cache_dir
from .knn import knn
from .repetition import unique_texts

__all__ = ["MIN_FOR_UMAP", "pca_coordinates", "projection_method", "umap_coordinates", "project"]

# Below this many distinct prompts a 15-neighbour UMAP graph says little, and UMAP's first
# call in a process compiles for ~30 s: PCA (instant) is drawn instead, and the report says so.
MIN_FOR_UMAP = 200
MIN_FOR_PROJECTION = 5


def projection_method(distinct: int) -> str | None:
    """"UMAP", "PCA" (too few prompts for UMAP to mean much) or None (too few for any picture)."""
    if distinct < MIN_FOR_PROJECTION:
        return None
    return "PCA" if distinct < MIN_FOR_UMAP else "UMAP"


def pca_coordinates(X: np.ndarray) -> np.ndarray:
    """The first two principal components of ``X`` (SVD of the centred rows)."""
    centred = np.asarray(X, np.float64) - np.asarray(X, np.float64).mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    coords = u[:, :2] * s[:2]
    if coords.shape[1] < 2:
        coords = np.pad(coords, ((0, 0), (0, 2 - coords.shape[1])))
    return coords.astype(np.float32)


def umap_coordinates(X: np.ndarray, *, n_neighbors: int = 15, min_dist: float = 0.1, random_state: int = 0,
                     cache_dir: str | Path | None = None) -> np.ndarray:
    """UMAP 2-D coordinates of unit rows ``X`` (cosine), cached by the hash of ``X`` and the parameters."""
    n = len(X)
    if n < 4:
        return np.zeros((n, 2), np.float32)

    def compute() -> dict[str, np.ndarray]:
        import umap

        k = min(n_neighbors, n - 1)
        idx, sims = knn(X, k, cache_dir=cache_dir)
        dists = np.clip(1.0 - sims, 0.0, 2.0).astype(np.float32)
        reducer = umap.UMAP(n_components=2, n_neighbors=k, min_dist=min_dist, metric="cosine",
                            random_state=random_state, precomputed_knn=(idx, dists), transform_mode="embedding")
        with warnings.catch_warnings():
            # Fixed random_state disables parallelism; umap says so on every call.
            warnings.filterwarnings("ignore", message=".*random_state.*")
            warnings.filterwarnings("ignore", message=".*precomputed_knn.*")
            coords = reducer.fit_transform(X)
        return {"coords": coords.astype(np.float32)}

    key = array_key(X, n_neighbors, min_dist, random_state)
    return cached_arrays(cache_dir, "umap", key, compute)["coords"]


def project(df: pd.DataFrame, *, embeddings: np.ndarray | None = None, column: str = "text",
            random_state: int = 0, cache_dir: str | Path | None = None, method: str = "UMAP", **umap_kw) -> pd.DataFrame:
    """A copy of ``df`` with ``x`` and ``y`` columns: the UMAP (or, ``method="PCA"``, the PCA)
    projection of its texts.

    Results are cached under ``~/.cache/ogi-toolkit/arrays`` unless ``cache_dir`` says otherwise.
    """
    if embeddings is None:
        from .embed import embed

        embeddings = embed(df, column=column)
    cache_dir = cache_dir if cache_dir is not None else default_cache_dir() / "arrays"
    first, codes = unique_texts(df[column].astype(str).tolist())
    if method == "PCA":
        coords = pca_coordinates(embeddings[first])
    elif method == "UMAP":
        coords = umap_coordinates(embeddings[first], random_state=random_state, cache_dir=cache_dir, **umap_kw)
    else:
        raise ValueError(f"method: expected 'UMAP' or 'PCA', got {method!r}")
    out = df.copy()
    out["x"], out["y"] = coords[codes, 0], coords[codes, 1]
    return out
