"""Open-vocabulary detection (OWLv2 / OWL-ViT): the boxes of each phrase in an image, cached.

For every image and phrase the boxes scoring at least ``KEEP_SCORE`` are kept (at most
``KEEP_BOXES``), in pixels of the original image, so thresholds and non-maximum suppression can
change without running the model again. The cache is one JSON file per image file content and
model (``<cache>/vision/detections-<model>/<sha1>.json``, phrase -> boxes); phrases an image has
not been asked about are added to it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..atomic_io import atomic_write_text
from ..paths import cache_dir as default_cache_dir
from .embeddings import file_key, open_rgb
from .loading import LoadedModel

__all__ = ["Box", "detect", "detect_images", "nms", "phrase_boxes"]

KEEP_SCORE = 0.01
KEEP_BOXES = 32


@dataclass(frozen=True)
class Box:
    score: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2

    def crop(self, image):
        """This box's part of a PIL image (at least one pixel)."""
        x0, y0 = int(max(0, self.x0)), int(max(0, self.y0))
        return image.crop((x0, y0, max(x0 + 1, int(round(self.x1))), max(y0 + 1, int(round(self.y1)))))


def _iou(a: Box, b: Box) -> float:
    w = max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0))
    h = max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))
    inter = w * h
    union = (a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - inter
    return inter / union if union > 0 else 0.0


def nms(boxes: Sequence[Box], iou: float) -> list[Box]:
    """Greedy non-maximum suppression: the highest box of each group overlapping above ``iou``."""
    kept: list[Box] = []
    for box in sorted(boxes, key=lambda b: -b.score):
        if all(_iou(box, k) <= iou for k in kept):
            kept.append(box)
    return kept


def phrase_boxes(detections: dict[str, list[Box]], phrase: str, min_score: float, nms_iou: float) -> list[Box]:
    """The boxes of ``phrase`` at or above ``min_score``, overlapping ones merged, best first."""
    return nms([b for b in detections.get(phrase, []) if b.score >= min_score], nms_iou)


def _forward(model: LoadedModel, images: list, phrases: list[list[str]]) -> list[dict[str, list[Box]]]:
    """One batch through the detector: per image, per phrase, its boxes above KEEP_SCORE."""
    import torch

    # every image's phrases padded to the model's text length (OWL's own 16 tokens): the processor
    # tokenises each image's list on its own, and the lists are stacked
    length = model.model.config.text_config.max_position_embeddings
    inputs = model.processor(text=phrases, images=images, return_tensors="pt", padding="max_length",
                             max_length=length, truncation=True)
    inputs = {k: (v.to(model.device, model.dtype) if k == "pixel_values" else v.to(model.device))
              for k, v in inputs.items()}
    with torch.inference_mode():
        output = model.model(**inputs)
    scores = torch.sigmoid(output.logits.float()).cpu().numpy()  # (images, boxes, queries)
    centres = output.pred_boxes.float().cpu().numpy()  # cx, cy, w, h relative to the model's input
    results = []
    for k, (image, wanted) in enumerate(zip(images, phrases)):
        width, height = image.size
        # OWLv2 pads each image to a square at the bottom right before resizing; OWL-ViT stretches it
        sx, sy = (max(width, height),) * 2 if model.model_type == "owlv2" else (width, height)
        cx, cy, w, h = centres[k].T
        corners = np.stack([(cx - w / 2) * sx, (cy - h / 2) * sy, (cx + w / 2) * sx, (cy + h / 2) * sy], 1)
        found = {}
        for q, phrase in enumerate(wanted):
            column = scores[k, :, q]
            top = np.argsort(-column)[:KEEP_BOXES]
            found[phrase] = [Box(float(column[i]), *(float(v) for v in corners[i])) for i in top if column[i] >= KEEP_SCORE]
        results.append(found)
    return results


def detect_images(model: LoadedModel, images: Sequence, phrases: Sequence[Sequence[str]],
                  batch_size: int = 4) -> list[dict[str, list[Box]]]:
    """Boxes of each image's phrases (PIL images, no cache)."""
    if model.role != "detector":
        raise ValueError(f"{model.name!r} ({model.role}) is not a detector")
    out = []
    for start in range(0, len(images), batch_size):
        batch = [list(dict.fromkeys(p)) for p in phrases[start:start + batch_size]]
        out += _forward(model, list(images[start:start + batch_size]), batch)
    return out


def _cache_file(model: LoadedModel, key: str, cache_dir: str | Path | None) -> Path:
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return root / "vision" / f"detections-{model.fingerprint}" / f"{key}.json"


def _read(path: Path) -> dict[str, list[Box]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {phrase: [Box(*row) for row in rows] for phrase, rows in data.items()}
    except (OSError, ValueError, TypeError):  # missing or damaged: computed again
        return {}


def detect(model: LoadedModel, paths: Sequence[str | Path], phrases: Sequence[Sequence[str]], *,
           batch_size: int = 4, cache_dir: str | Path | None = None) -> list[dict[str, list[Box]]]:
    """Boxes of each image file's phrases, cached by file content, model and phrase (files with
    the same bytes are run once, for all the phrases asked of any of them)."""
    keys = [file_key(p) for p in paths]
    path_of, asked = {}, {}
    for key, path, wanted in zip(keys, paths, phrases):
        path_of.setdefault(key, path)
        asked.setdefault(key, {}).update(dict.fromkeys(wanted))
    known = {key: _read(_cache_file(model, key, cache_dir)) for key in path_of}
    todo = [key for key in path_of if any(p not in known[key] for p in asked[key])]
    for start in range(0, len(todo), batch_size):
        batch = todo[start:start + batch_size]
        missing = [[p for p in asked[key] if p not in known[key]] for key in batch]
        for key, boxes in zip(batch, _forward(model, [open_rgb(path_of[key]) for key in batch], missing)):
            known[key] = {**known[key], **boxes}
            rows = {phrase: [[b.score, b.x0, b.y0, b.x1, b.y1] for b in bs] for phrase, bs in known[key].items()}
            atomic_write_text(_cache_file(model, key, cache_dir), json.dumps(rows))
    return [{p: known[key].get(p, []) for p in wanted} for key, wanted in zip(keys, phrases)]
