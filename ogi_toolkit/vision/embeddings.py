"""Image and text embeddings of a loaded model, batched, unit-norm, cached on disk by content.

Image vectors are kept by the sha1 of the image file's bytes and text vectors by the sha1 of the
text, in one folder per model fingerprint and kind (``<cache>/vision/``), so a second run, or a
second dataset holding the same files, computes nothing again.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Sequence

import numpy as np

from ..paths import cache_dir as default_cache_dir
from ..vector_cache import EmbeddingCache
from .loading import LoadedModel

__all__ = ["embed_images", "embed_texts", "file_key", "image_embeddings", "open_rgb", "text_embeddings"]


def file_key(path: str | Path) -> str:
    """sha1 of a file's bytes: an image's identity for the caches, whatever its name."""
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()


def open_rgb(path: str | Path):
    """The image at ``path`` as RGB, or a ValueError naming the file."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except OSError as exc:
        raise ValueError(f"{path}: not a readable image ({exc})") from None


def _features(output) -> "torch.Tensor":  # noqa: F821
    """A features call's vectors: transformers 5 returns an output whose pooler_output holds them."""
    import torch

    return output if isinstance(output, torch.Tensor) else output.pooler_output


def _unit(vectors) -> np.ndarray:
    x = vectors.float().cpu().numpy()
    return (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def embed_images(model: LoadedModel, images: Sequence, batch_size: int = 32) -> np.ndarray:
    """Unit vectors of PIL images (CLIP's projected image features, or a DINOv2 CLS token)."""
    import torch

    if model.role == "detector":
        raise ValueError(f"{model.name!r} is a detector: image embeddings come from a clip or dino model")
    out = []
    with torch.inference_mode():
        for start in range(0, len(images), batch_size):
            pixels = model.processor(images=list(images[start:start + batch_size]), return_tensors="pt")["pixel_values"]
            pixels = pixels.to(model.device, model.dtype)
            if model.role == "clip":
                out.append(_unit(_features(model.model.get_image_features(pixel_values=pixels))))
            else:
                out.append(_unit(model.model(pixel_values=pixels).pooler_output))
    return np.concatenate(out) if out else np.zeros((0, 0), np.float32)


def embed_texts(model: LoadedModel, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Unit vectors of texts in a CLIP / SigLIP model's joint space (cut at its text length)."""
    import torch

    if model.role != "clip":
        raise ValueError(f"{model.name!r} ({model.role}) has no text encoder: text embeddings need a clip model")
    # SigLIP was trained on texts padded to its full length; CLIP pads to the longest in the batch
    padding = "max_length" if model.model_type.startswith("siglip") else True
    max_length = getattr(model.model.config.text_config, "max_position_embeddings", 77)
    out = []
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            tokens = model.processor(text=list(texts[start:start + batch_size]), return_tensors="pt", padding=padding,
                                     truncation=True, max_length=max_length)
            tokens = {k: v.to(model.device) for k, v in tokens.items() if k in ("input_ids", "attention_mask")}
            out.append(_unit(_features(model.model.get_text_features(**tokens))))
    return np.concatenate(out) if out else np.zeros((0, 0), np.float32)


SAVE_EVERY = 256  # vectors written to the cache every this many: an interrupted run keeps its work


def _cached(model: LoadedModel, kind: str, keys: list[str], compute, cache_dir: str | Path | None) -> np.ndarray:
    """Vectors of ``keys`` from the cache; the missing ones (each distinct key once) by
    ``compute(some_keys)``, a chunk at a time."""
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cache = EmbeddingCache(root / "vision", f"{model.fingerprint}|{model.role}|{kind}")
    found, vectors = cache.lookup(keys)
    missing = list(dict.fromkeys(k for k, f in zip(keys, found) if not f))
    for start in range(0, len(missing), SAVE_EVERY):
        chunk = missing[start:start + SAVE_EVERY]
        cache.add(chunk, compute(chunk))
    if missing:
        found, vectors = cache.lookup(keys)
    return np.asarray(vectors, np.float32)


def image_embeddings(model: LoadedModel, paths: Sequence[str | Path], *, batch_size: int = 32,
                     cache_dir: str | Path | None = None) -> np.ndarray:
    """One unit row per image file, in order; cached by file content and model."""
    keys = [file_key(p) for p in paths]
    path_of = dict(zip(keys, paths))

    def compute(missing: list[str]) -> np.ndarray:
        return embed_images(model, [open_rgb(path_of[k]) for k in missing], batch_size)

    return _cached(model, "image", keys, compute, cache_dir)


def text_embeddings(model: LoadedModel, texts: Sequence[str], *, batch_size: int = 64,
                    cache_dir: str | Path | None = None) -> np.ndarray:
    """One unit row per text, in order; cached by text and model."""
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    text_of = dict(zip(keys, texts))
    return _cached(model, "text", keys, lambda missing: embed_texts(model, [text_of[k] for k in missing], batch_size),
                   cache_dir)
