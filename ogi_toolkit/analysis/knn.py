"""Exact cosine k-nearest neighbours over a whole set, by blocked matrix products.

Exact (not approximate) because it is affordable: 80k x 384 on two CPU cores takes about the
FLOP limit (~30 s), an H100 well under a second. ``faiss`` (IndexFlatIP, also exact) is used
when installed and asked for. The graph is cached by embedding hash and shared by the
near-duplicate search and UMAP.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .cache import array_key, cached_arrays

__all__ = ["knn", "KNN_METHOD"]

KNN_METHOD = "exact"


def _knn_torch(X: np.ndarray, k: int, block: int) -> tuple[np.ndarray, np.ndarray]:
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    data = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32)).to(device)
    n = len(data)
    idx = np.empty((n, k), np.int64)
    sims = np.empty((n, k), np.float32)
    with torch.inference_mode():
        for start in range(0, n, block):
            s = data[start:start + block] @ data.T
            # Self first: exact duplicates could otherwise outrank a row's own index.
            rows = torch.arange(s.shape[0], device=device)
            s[rows, rows + start] = 2.0
            top = torch.topk(s, k, dim=1)
            sims[start:start + block] = top.values.clamp(max=1.0).cpu().numpy()
            idx[start:start + block] = top.indices.cpu().numpy()
    return idx, sims


def _knn_faiss(X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    import faiss

    X = np.ascontiguousarray(X, dtype=np.float32)
    index = faiss.IndexFlatIP(X.shape[1])
    index.add(X)
    sims, idx = index.search(X, k)
    idx = idx.astype(np.int64)
    # Among exact duplicates faiss may list a twin before the row itself: put the row first.
    rows = np.arange(len(X))
    where_self = (idx == rows[:, None]).argmax(1)
    has_self = (idx == rows[:, None]).any(1)
    swap = np.flatnonzero(has_self & (where_self > 0))
    idx[swap, where_self[swap]] = idx[swap, 0]
    idx[swap, 0] = swap
    sims[:, 0] = np.maximum(sims[:, 0], 1.0)
    return idx, np.minimum(sims, 1.0)


def knn(X: np.ndarray, k: int = 15, *, cache_dir: str | Path | None = None, block: int = 2048,
        use_faiss: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosine similarities of each row's ``k`` nearest rows, itself first (UMAP's
    convention), sorted by decreasing similarity. Rows must have unit norm."""
    k = min(k, len(X))

    def compute() -> dict[str, np.ndarray]:
        if use_faiss:
            idx, sims = _knn_faiss(X, k)
        else:
            idx, sims = _knn_torch(X, k, block)
        return {"indices": idx, "similarities": sims}

    key = array_key(X, k, "faiss" if use_faiss else "torch")
    result = cached_arrays(cache_dir, "knn", key, compute)
    return result["indices"], result["similarities"]
