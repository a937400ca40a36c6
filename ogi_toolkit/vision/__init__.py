"""Vision models for checks and analysis: CLIP / SigLIP (text-image alignment, image
embeddings), DINOv2 (image similarity) and OWLv2 (open-vocabulary detection), loaded by hub
name or local folder with one function, batched, on CPU or GPU, results cached by image content.

    from ogi_toolkit.vision import load_model, image_embeddings, text_embeddings
    clip = load_model("clip", "openai/clip-vit-base-patch32")      # or a folder
    X = image_embeddings(clip, ["a.png", "b.png"])
    T = text_embeddings(clip, ["a red apple", "a dog"])
    X @ T.T                                                         # cosine similarities

Needs the ``vision`` extra (``pip install 'ogi-toolkit[vision]'``); the defaults and their
licences are in ``vision.yaml``.
"""
from .config import ROLES, VisionConfig, load_vision_config
from .detection import Box, detect, detect_images, nms, phrase_boxes
from .embeddings import embed_images, embed_texts, file_key, image_embeddings, open_rgb, text_embeddings
from .loading import INSTALL_HINT, LoadedModel, MissingVisionExtra, VisionModelError, load_model, require_transformers, resolve_device
from .scoring import POSITION_RELATIONS, classify_colour, cosine, directional_similarity, position_holds

__all__ = [
    "Box", "INSTALL_HINT", "LoadedModel", "MissingVisionExtra", "POSITION_RELATIONS", "ROLES", "VisionConfig", "VisionModelError",
    "classify_colour", "cosine", "detect", "detect_images", "directional_similarity", "embed_images", "embed_texts",
    "file_key", "image_embeddings", "load_model", "load_vision_config", "nms", "open_rgb", "phrase_boxes",
    "position_holds", "require_transformers", "resolve_device", "text_embeddings",
]
