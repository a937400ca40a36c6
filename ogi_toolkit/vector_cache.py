"""Vectors kept on disk by a string key (a text's or an image file's hash), one folder per model.

Embeddings live in append-only shards (``shard-<uuid>.npz``, each written to a temp file and
renamed), so a re-run only adds the keys it has not seen and concurrent runs never clobber
each other. Shards are merged once there are many of them. Used by the text embeddings of
``analysis`` and the image embeddings of ``vision``; it imports nothing above ``atomic_io``.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from .atomic_io import atomic_path

__all__ = ["EmbeddingCache", "atomic_savez"]

MERGE_AT_SHARDS = 32


def atomic_savez(path: Path, **arrays: np.ndarray) -> None:
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)


class EmbeddingCache:
    """Vectors of one model, looked up by key (up to 40 characters: a sha1 in hex)."""

    def __init__(self, directory: str | Path, model_id: str):
        safe = re.sub(r"[^A-Za-z0-9._+-]+", "_", model_id).strip("_")[-80:]
        self.directory = Path(directory) / f"{safe}-{hashlib.sha1(model_id.encode()).hexdigest()[:8]}"
        self._index = pd.Index([], dtype=object)
        self._vectors: np.ndarray | None = None
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        shards = sorted(self.directory.glob("shard-*.npz"))
        keys, vectors = [], []
        for shard in shards:
            with np.load(shard) as data:
                keys.append(data["keys"].astype(str))
                vectors.append(data["vectors"])
        if keys:
            all_keys = np.concatenate(keys)
            self._vectors = np.concatenate(vectors)
            first = ~pd.Index(all_keys).duplicated()
            self._index, self._vectors = pd.Index(all_keys[first]), self._vectors[first]
        self._loaded = True
        if len(shards) >= MERGE_AT_SHARDS:
            self._write(self._index.to_numpy(), self._vectors)
            for shard in shards:
                shard.unlink(missing_ok=True)

    def __len__(self) -> int:
        self._load()
        return len(self._index)

    def lookup(self, keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Rows of ``keys`` found (bool mask) and their vectors (rows for missing keys are junk)."""
        self._load()
        pos = self._index.get_indexer(keys)
        found = pos >= 0
        if self._vectors is None:
            return found, np.zeros((len(keys), 0), np.float32)
        return found, self._vectors[np.where(found, pos, 0)]

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        self._load()
        if len(keys) == 0:
            return
        keys = np.asarray(keys, dtype=str)
        vectors = np.asarray(vectors, dtype=np.float32)
        self._write(keys, vectors)
        self._index = self._index.append(pd.Index(keys))
        self._vectors = vectors if self._vectors is None else np.concatenate([self._vectors, vectors])

    def _write(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        atomic_savez(self.directory / f"shard-{uuid.uuid4().hex}.npz", keys=keys.astype("S40"), vectors=vectors)
