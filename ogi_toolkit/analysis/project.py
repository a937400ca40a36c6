"""2-D UMAP projections of the embeddings, reproducible (fixed ``random_state``) and cached.

UMAP is fitted on the distinct texts only (duplicates would sit on top of each other and
distort the neighbour graph) and reuses the kNN graph of ``knn.py`` (exact, or approximate
past its threshold), so it skips its own neighbour search; rows with the same text get the
same coordinates.

Past ``fit_sample`` distinct texts UMAP is fitted on a stratified sample of that size (every
group keeps its share, and at least a few points) and the other rows are placed with
``UMAP.transform``: fitting is the superlinear part, placing is linear and uses the sample's
own NN-descent index. ``placement="sample"`` keeps only the sample's points instead (the rest
get NaN coordinates and are left out of the figures).
"""
from __future__ import annotations

import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from .cache import array_key, cached_arrays, default_cache_dir
from .knn import APPROXIMATE_ABOVE, knn_graph
from .repetition import unique_texts

__all__ = ["MIN_FOR_UMAP", "pca_coordinates", "projection_method", "umap_coordinates", "project",
           "stratified_sample", "FIT_SAMPLE", "PLACEMENTS"]

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

FIT_SAMPLE = 50_000
PLACEMENTS = ("transform", "sample")
TRANSFORM_BATCH = 50_000  # rows placed per transform call: bounds its temporary arrays


def stratified_sample(labels: np.ndarray | None, size: int, seed: int = 0, floor: int = 5) -> np.ndarray:
    """Sorted row numbers of a sample of ``size`` rows in which each label keeps its share
    (rounded) and has at least ``floor`` rows (all of them when it has fewer)."""
    n = len(labels) if labels is not None else 0
    rng = np.random.default_rng(seed)
    if labels is None or size >= n:
        return np.sort(rng.choice(n, min(size, n), replace=False)) if labels is not None else np.arange(0)
    codes, _ = pd.factorize(pd.Series(labels, dtype=object).fillna("(none)"), sort=True)
    counts = np.bincount(codes)
    quota = np.minimum(counts, np.maximum(np.round(counts * size / n).astype(int), floor))
    picked = [rng.choice(np.flatnonzero(codes == c), quota[c], replace=False) for c in range(len(counts))]
    return np.sort(np.concatenate(picked))


def _umap(n_neighbors: int, min_dist: float, random_state: int, **kw):
    import umap

    return umap.UMAP(n_components=2, n_neighbors=n_neighbors, min_dist=min_dist, metric="cosine",
                     random_state=random_state, **kw)


@contextmanager
def _quiet():
    with warnings.catch_warnings():
        # Fixed random_state disables parallelism; umap says so on every call.
        warnings.filterwarnings("ignore", message=".*random_state.*")
        warnings.filterwarnings("ignore", message=".*precomputed_knn.*")
        yield


def umap_coordinates(X: np.ndarray, *, n_neighbors: int = 15, min_dist: float = 0.1, random_state: int = 0,
                     cache_dir: str | Path | None = None, knn_method: str = "exact",
                     approximate_above: int = APPROXIMATE_ABOVE, fit_sample: int = FIT_SAMPLE,
                     placement: str = "transform", labels: np.ndarray | None = None) -> np.ndarray:
    """UMAP 2-D coordinates of unit rows ``X`` (cosine), cached by the hash of ``X`` and the parameters.

    Above ``fit_sample`` rows: fitted on a sample stratified by ``labels`` and the rest placed
    by ``placement`` (see the module docstring)."""
    if placement not in PLACEMENTS:
        raise ValueError(f"placement {placement!r} is not one of {PLACEMENTS}")
    n = len(X)
    if n < 4:
        return np.zeros((n, 2), np.float32)
    k = min(n_neighbors, n - 1)

    def compute_full() -> dict[str, np.ndarray]:
        graph = knn_graph(X, k, method=knn_method, approximate_above=approximate_above, cache_dir=cache_dir)
        dists = np.clip(1.0 - graph.similarities, 0.0, 2.0).astype(np.float32)
        reducer = _umap(k, min_dist, random_state, precomputed_knn=(graph.indices, dists), transform_mode="embedding")
        with _quiet():
            coords = reducer.fit_transform(X)
        return {"coords": coords.astype(np.float32)}

    def compute_sampled() -> dict[str, np.ndarray]:
        rows = stratified_sample(labels if labels is not None else np.zeros(n), fit_sample, random_state)
        # UMAP's own neighbour search on the sample builds the NN-descent index transform needs.
        reducer = _umap(k, min_dist, random_state)
        coords = np.full((n, 2), np.nan, np.float32)
        with _quiet():
            coords[rows] = reducer.fit_transform(np.asarray(X[rows], np.float32))
            if placement == "transform":
                rest = np.setdiff1d(np.arange(n), rows)
                for start in range(0, len(rest), TRANSFORM_BATCH):
                    part = rest[start:start + TRANSFORM_BATCH]
                    coords[part] = reducer.transform(np.asarray(X[part], np.float32))
        return {"coords": coords}

    if n <= fit_sample:
        key = array_key(X, n_neighbors, min_dist, random_state, knn_method if n > approximate_above else "exact")
        return cached_arrays(cache_dir, "umap", key, compute_full)["coords"]
    key = array_key(X, labels if labels is not None else 0, n_neighbors, min_dist, random_state, fit_sample, placement)
    return cached_arrays(cache_dir, "umap-sampled", key, compute_sampled)["coords"]


def project(df: pd.DataFrame, *, embeddings: np.ndarray | None = None, column: str = "text",
            random_state: int = 0, cache_dir: str | Path | None = None, method: str = "UMAP",
            stratify: str | None = None, **umap_kw) -> pd.DataFrame:
    """A copy of ``df`` with ``x`` and ``y`` columns: the UMAP (or, ``method="PCA"``, the PCA)
    projection of its texts.

    ``stratify``: the label column the fitting sample keeps the shares of (when the set is
    larger than ``fit_sample``). Results are cached under ``~/.cache/ogi-toolkit/arrays``
    unless ``cache_dir`` says otherwise.
    """
    if embeddings is None:
        from .embed import embed

        embeddings = embed(df, column=column)
    cache_dir = cache_dir if cache_dir is not None else default_cache_dir() / "arrays"
    first, codes = unique_texts(df[column].astype(str).tolist())
    if method == "PCA":
        coords = pca_coordinates(embeddings[first])
    elif method == "UMAP":
        labels = df[stratify].to_numpy()[first] if stratify is not None and stratify in df.columns else None
        coords = umap_coordinates(embeddings[first], random_state=random_state, cache_dir=cache_dir, labels=labels, **umap_kw)
    else:
        raise ValueError(f"method: expected 'UMAP' or 'PCA', got {method!r}")
    out = df.copy()
    out["x"], out["y"] = coords[codes, 0], coords[codes, 1]
    return out
