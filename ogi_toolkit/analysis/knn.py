"""Cosine k-nearest neighbours over a whole set: exact (blocked matrix products) or approximate
(pynndescent's NN-descent graph), with the recall of the approximate graph measured.

Exact is quadratic: 80k x 384 on two shared CPU cores took 58 s (287 s under heavy load;
``bench/bench_scale.py``, numbers below), 1M would take hours; on a GPU ``auto`` stays exact. Above
``APPROXIMATE_ABOVE`` rows on CPU, ``auto`` builds the NN-descent graph instead (pynndescent,
already a dependency of UMAP; near-linear) and checks it: the top-10 of a random sample of rows
is computed exactly and ``recall_at_10`` says which share of those the approximate graph found.
``faiss`` (IndexFlatIP, also exact) is used when installed and asked for. Graphs are cached
by embedding hash and shared by the near-duplicate search and UMAP.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .cache import array_key, cached_arrays

__all__ = ["nearest_neighbours", "knn_against", "knn_graph", "KnnGraph", "resolve_method", "recall_at_k", "KNN_METHODS",
           "APPROXIMATE_ABOVE"]

KNN_METHODS = ("exact", "approximate", "auto")
# Measured on 2 shared CPU cores (bench/bench_scale.py, 80k x 384): exact 58 s (287 s under heavy
# load), NN-descent 29 s (57 s), recall@10 0.996; exact grows as n^2. Up to 100k exact still
# costs about a minute and needs no recall caveat, so it stays the default there.
APPROXIMATE_ABOVE = 100_000
RECALL_SAMPLE = 1000


@dataclass
class KnnGraph:
    """Each row's ``k`` nearest rows (itself first) and their cosine similarities, decreasing.

    ``method``: ``"exact"`` or ``"approximate"``; ``recall_at_10``: for an approximate graph, the
    share of the exact top-10 it found on a random sample of rows (None for exact).
    """

    indices: np.ndarray
    similarities: np.ndarray
    method: str
    recall_at_10: float | None = None


def _gpu() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def resolve_method(n: int, method: str = "auto", approximate_above: int = APPROXIMATE_ABOVE) -> str:
    """``exact`` or ``approximate`` for ``n`` rows: ``auto`` is exact on a GPU or up to
    ``approximate_above`` rows, approximate above."""
    if method not in KNN_METHODS:
        raise ValueError(f"knn method {method!r} is not one of {KNN_METHODS}")
    if method == "auto":
        return "exact" if n <= approximate_above or _gpu() else "approximate"
    return method


def _knn_torch(X: np.ndarray, k: int, block: int) -> tuple[np.ndarray, np.ndarray]:
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    data = torch.from_numpy(np.array(X, dtype=np.float32)).to(device)  # a copy: X may be a read-only memmap
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


def _self_first(idx: np.ndarray, sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Among exact duplicates a search may list a twin before the row itself: put the row first."""
    rows = np.arange(len(idx))
    is_self = idx == rows[:, None]
    where_self = is_self.argmax(1)
    swap = np.flatnonzero(is_self.any(1) & (where_self > 0))
    idx[swap, where_self[swap]] = idx[swap, 0]
    idx[swap, 0] = swap
    missing = np.flatnonzero(~is_self.any(1))  # an approximate search can miss the row itself
    idx[missing, 1:] = idx[missing, :-1]
    sims[missing, 1:] = sims[missing, :-1]
    idx[missing, 0] = missing
    sims[:, 0] = 1.0
    return idx, np.minimum(sims, 1.0)


def _knn_faiss(X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    import faiss

    X = np.ascontiguousarray(X, dtype=np.float32)
    index = faiss.IndexFlatIP(X.shape[1])
    index.add(X)
    sims, idx = index.search(X, k)
    return _self_first(idx.astype(np.int64), sims)


def nndescent_index(X: np.ndarray, k: int, seed: int = 0):
    """A pynndescent NN-descent index over unit rows (cosine), its graph built."""
    from pynndescent import NNDescent

    X = np.ascontiguousarray(X, dtype=np.float32)
    # Defaults of UMAP's own call (trees and iterations grow with log n); n_jobs=-1 uses the cores
    # numba sees. Recall is measured afterwards, not assumed.
    n_trees = min(64, 5 + int(round(len(X) ** 0.5 / 20.0)))
    n_iters = max(5, int(round(np.log2(len(X)))))
    return NNDescent(X, n_neighbors=k, metric="cosine", random_state=seed, n_trees=n_trees, n_iters=n_iters,
                     max_candidates=60, low_memory=True, n_jobs=-1, compressed=False, verbose=False)


def _knn_approximate(X: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    idx, dists = nndescent_index(X, k, seed).neighbor_graph
    return _self_first(idx.astype(np.int64), (1.0 - dists).astype(np.float32))


def exact_top(X: np.ndarray, rows: np.ndarray, k: int, block: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-``k`` neighbours (self included) of the given ``rows`` against all of ``X``."""
    idx = np.empty((len(rows), k), np.int64)
    sims = np.empty((len(rows), k), np.float32)
    for start in range(0, len(rows), block):
        part = rows[start:start + block]
        s = np.asarray(X[part] @ X.T, np.float32)
        s[np.arange(len(part)), part] = 2.0
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(s, top, 1), axis=1)
        idx[start:start + block] = np.take_along_axis(top, order, 1)
        sims[start:start + block] = np.minimum(np.take_along_axis(s, idx[start:start + block], 1), 1.0)
    return idx, sims


def recall_at_k(X: np.ndarray, indices: np.ndarray, k: int = 10, sample: int = RECALL_SAMPLE, seed: int = 0) -> float:
    """Share of the exact top-``k`` (self excluded) that ``indices`` holds, on ``sample`` random rows.

    Ties count: a listed neighbour as similar as the exact k-th one is a correct answer (exact
    duplicates make the exact top-k ambiguous)."""
    n = len(X)
    k = min(k, n - 1, indices.shape[1] - 1)
    if k < 1:
        return 1.0
    rows = np.random.default_rng(seed).choice(n, min(sample, n), replace=False)
    exact_idx, exact_sims = exact_top(X, rows, k + 1)
    kth = exact_sims[:, k]  # column 0 is the row itself
    found = indices[rows, 1:k + 1]
    found_sims = np.einsum("rd,rkd->rk", np.asarray(X[rows], np.float32), np.asarray(X[found], np.float32))
    hits = (found_sims >= kth[:, None] - 1e-5) & (found != rows[:, None])
    return float(hits.sum() / (len(rows) * k))


def knn_graph(X: np.ndarray, k: int = 15, *, method: str = "auto", approximate_above: int = APPROXIMATE_ABOVE,
              cache_dir: str | Path | None = None, block: int = 2048, use_faiss: bool = False,
              seed: int = 0) -> KnnGraph:
    """The kNN graph of unit rows ``X`` by ``method`` (see ``resolve_method``); an approximate
    graph carries its measured ``recall_at_10``."""
    k = min(k, len(X))
    chosen = resolve_method(len(X), method, approximate_above)

    def compute() -> dict[str, np.ndarray]:
        if chosen == "approximate":
            idx, sims = _knn_approximate(X, k, seed)
            return {"indices": idx, "similarities": sims, "recall_at_10": np.float64(recall_at_k(X, idx, 10, seed=seed))}
        idx, sims = _knn_faiss(X, k) if use_faiss else _knn_torch(X, k, block)
        return {"indices": idx, "similarities": sims}

    engine = "nndescent" if chosen == "approximate" else ("faiss" if use_faiss else "torch")
    result = cached_arrays(cache_dir, "knn", array_key(X, k, engine, seed), compute)
    recall = float(result["recall_at_10"]) if "recall_at_10" in result else None
    return KnnGraph(result["indices"], result["similarities"], chosen, recall)


def nearest_neighbours(X: np.ndarray, k: int = 15, *, cache_dir: str | Path | None = None, block: int = 2048,
        use_faiss: bool = False, method: str = "exact", approximate_above: int = APPROXIMATE_ABOVE) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosine similarities of each row's ``k`` nearest rows, itself first (UMAP's
    convention), sorted by decreasing similarity. Rows must have unit norm."""
    graph = knn_graph(X, k, method=method, approximate_above=approximate_above, cache_dir=cache_dir,
                      block=block, use_faiss=use_faiss)
    return graph.indices, graph.similarities


# Similarities held at once by knn_against's exact search (2^24 float32: 64 MiB per block).
MAX_BLOCK_ENTRIES = 1 << 24


def knn_against(queries: np.ndarray, base: np.ndarray, k: int = 1, *, method: str = "exact",
                cache_dir: str | Path | None = None, block: int = 4096, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``queries``, its ``k`` nearest rows of ``base`` (cosine; unit rows) and their
    similarities, decreasing: exact (blocked matrix products) or approximate (an NN-descent index
    of ``base``, queried), cached by both arrays' hashes like :func:`knn_graph`."""
    k = min(k, len(base))
    chosen = resolve_method(len(base), method)

    def compute() -> dict[str, np.ndarray]:
        if chosen == "approximate":
            idx, dists = nndescent_index(base, max(k, 15), seed).query(np.ascontiguousarray(queries, np.float32), k=k)
            return {"indices": idx.astype(np.int64), "similarities": (1.0 - dists).astype(np.float32)}
        B = np.ascontiguousarray(base, np.float32)
        idx = np.empty((len(queries), k), np.int64)
        sims = np.empty((len(queries), k), np.float32)
        step = max(1, min(block, MAX_BLOCK_ENTRIES // max(len(B), 1)))  # a wide base: fewer rows a block
        for start in range(0, len(queries), step):
            s = np.asarray(queries[start:start + step], np.float32) @ B.T
            top = np.argpartition(-s, k - 1, axis=1)[:, :k] if k < s.shape[1] else np.tile(np.arange(k), (len(s), 1))
            order = np.argsort(-np.take_along_axis(s, top, 1), axis=1, kind="stable")
            idx[start:start + step] = np.take_along_axis(top, order, 1)
            sims[start:start + step] = np.take_along_axis(s, idx[start:start + step], 1)
        return {"indices": idx, "similarities": np.minimum(sims, 1.0)}

    result = cached_arrays(cache_dir, "knn-against", array_key(queries, base, k, chosen, seed), compute)
    return result["indices"], result["similarities"]
