"""On-disk caches: text embeddings keyed by (model, sha1 of text) (:class:`EmbeddingCache`, in
:mod:`ogi_toolkit.vector_cache`), and arrays keyed by a hash."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..paths import cache_dir
from ..vector_cache import EmbeddingCache, atomic_savez

__all__ = ["default_cache_dir", "text_key", "array_key", "EmbeddingCache", "cached_arrays"]


def default_cache_dir() -> Path:
    """``$OGI_CACHE_DIR`` or ``~/.cache/ogi-toolkit``."""
    return cache_dir()


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def array_key(*parts: object) -> str:
    """A short hash of arrays (by content) and plain values (by repr)."""
    h = hashlib.sha1()
    for part in parts:
        if isinstance(part, np.ndarray):
            h.update(str((part.shape, part.dtype)).encode())
            h.update(np.ascontiguousarray(part).tobytes())
        else:
            h.update(repr(part).encode())
    return h.hexdigest()[:20]


def cached_arrays(directory: str | Path | None, name: str, key: str,
                  compute: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """``compute()`` once per ``key``; later calls read ``<directory>/<name>-<key>.npz``."""
    if directory is None:
        return compute()
    path = Path(directory) / f"{name}-{key}.npz"
    if path.exists():
        with np.load(path) as data:
            return {k: data[k] for k in data.files}
    arrays = compute()
    atomic_savez(path, **arrays)
    return arrays
