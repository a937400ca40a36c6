"""The numbers the vision checks compare with their thresholds, from embeddings and boxes.

``directional_similarity``: InstructPix2Pix / AnyEdit's directional CLIP, the cosine between the
change in the image and the change in the text. ``position_holds``: GenEval's relative-position
rule on box centres. ``classify_colour``: GenEval's colour of a detected object, a CLIP
zero-shot choice among colour names on the object's crop.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from .detection import Box
from .embeddings import embed_images, text_embeddings
from .loading import LoadedModel

__all__ = ["POSITION_RELATIONS", "classify_colour", "cosine", "directional_similarity", "position_holds"]

# relation id -> required (horizontal, vertical) order of the subject's centre against the
# object's: -1 smaller coordinate (left / higher up), +1 larger, 0 not constrained
POSITION_RELATIONS = {
    "left_of": (-1, 0), "right_of": (1, 0), "above": (0, -1), "below": (0, 1), "on_top_of": (0, -1),
    "under": (0, 1), "above_left_of": (-1, -1), "below_right_of": (1, 1),
}


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of two vectors (0 when either is zero)."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b / (na * nb)) if na > 0 and nb > 0 else 0.0


def directional_similarity(image_before: np.ndarray, image_after: np.ndarray, text_before: np.ndarray,
                           text_after: np.ndarray) -> float:
    """cos(E(after) - E(before), T(after) - T(before)): does the image change the way the text does."""
    return cosine(image_after - image_before, text_after - text_before)


def position_holds(subject: Box, obj: Box, relation: str, size: tuple[int, int], margin: float) -> bool | None:
    """Whether ``subject`` stands in ``relation`` to ``obj`` by their centres, each constrained
    axis apart by more than ``margin`` of the image side (GenEval); None for relations that are
    not positions (holding, inside, larger_than...)."""
    order = POSITION_RELATIONS.get(relation)
    if order is None:
        return None
    (sx, sy), (ox, oy) = subject.centre, obj.centre
    for sign, delta, side in ((order[0], sx - ox, size[0]), (order[1], sy - oy, size[1])):
        if sign and sign * delta <= margin * side:
            return False
    return True


def classify_colour(clip: LoadedModel, crop, name: str, colours: Sequence[str], *,
                    cache_dir: str | Path | None = None) -> tuple[str, float]:
    """The colour CLIP prefers for the object ``name`` in ``crop`` among ``colours``, with its
    softmax probability ("a photo of a {colour} {name}", CLIP's temperature). The prompts'
    vectors are cached (they recur across items); the crop's are not."""
    image = embed_images(clip, [crop])[0]
    texts = text_embeddings(clip, [f"a photo of a {colour} {name}" for colour in colours], cache_dir=cache_dir)
    scale = float(clip.model.logit_scale.detach().exp()) if hasattr(clip.model, "logit_scale") else 100.0
    logits = scale * (texts @ image)
    p = np.exp(logits - logits.max())
    p /= p.sum()
    best = int(np.argmax(p))
    return colours[best], float(p[best])
