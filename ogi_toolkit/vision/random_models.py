"""Randomly initialised vision models built from configs and saved to a folder, so that tests
and benchmarks load them by path through the same :func:`~.loading.load_model` a user runs with
a hub name; no weights are downloaded.

``size="tiny"``: a few thousand parameters, for tests (what they score means nothing).
``size="base"``: the architecture of each role's default (CLIP ViT-B/32, DINOv2-small, OWLv2
base patch 16 at 960 px) with random weights: as slow as the real model, for benchmarks only.

The CLIP tokenizer's vocabulary is the lowercase letters and digits (each alone and as a word
end) with no merges; index 0 is "!" as in CLIP's own vocabulary (OWL's query mask reads a first
token id of 0 as padding).
"""
from __future__ import annotations

from pathlib import Path

from .loading import require_transformers

__all__ = ["SIZES", "build_random_model"]

SIZES = ("tiny", "base")


def _tokenizer(transformers):
    vocab = {"!": 0, "<|startoftext|>": 1, "<|endoftext|>": 2}
    for c in "abcdefghijklmnopqrstuvwxyz0123456789":
        vocab.setdefault(c, len(vocab))
        vocab.setdefault(c + "</w>", len(vocab))
    return transformers.CLIPTokenizer(vocab=vocab, merges=[])


def _text(size: str, hidden: int, positions: int) -> dict:
    special = dict(bos_token_id=1, eos_token_id=2, pad_token_id=2)
    if size == "tiny":
        return dict(vocab_size=80, hidden_size=32, intermediate_size=37, num_hidden_layers=1, num_attention_heads=4,
                    max_position_embeddings=32, **special)
    return dict(vocab_size=49408, hidden_size=hidden, intermediate_size=4 * hidden, num_hidden_layers=12,
                num_attention_heads=8, max_position_embeddings=positions, **special)


def _vit(size: str, image: int, patch: int) -> dict:
    if size == "tiny":
        return dict(image_size=image, patch_size=patch, hidden_size=32, intermediate_size=37, num_hidden_layers=1,
                    num_attention_heads=4)
    return dict(image_size=image, patch_size=patch, hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                num_attention_heads=12)


def build_random_model(role: str, folder: str | Path, *, size: str = "tiny", seed: int = 0) -> Path:
    """A random ``role`` model (clip, dino, detector) of ``size`` saved with its processor in ``folder``."""
    transformers = require_transformers()
    import torch

    if size not in SIZES:
        raise ValueError(f"size {size!r}: expected one of {', '.join(SIZES)}")
    folder = Path(folder)
    torch.manual_seed(seed)
    tiny = size == "tiny"
    if role == "clip":
        side = 32 if tiny else 224
        config = transformers.CLIPConfig(text_config=_text(size, 512, 77), vision_config=_vit(size, side, 8 if tiny else 32),
                                         projection_dim=16 if tiny else 512)
        transformers.CLIPModel(config).save_pretrained(folder)
        images = transformers.CLIPImageProcessorPil(size={"shortest_edge": side}, crop_size={"height": side, "width": side})
        transformers.CLIPProcessor(image_processor=images, tokenizer=_tokenizer(transformers)).save_pretrained(folder)
    elif role == "dino":
        config = transformers.Dinov2Config(image_size=32, patch_size=8, hidden_size=32, num_hidden_layers=1,
                                           num_attention_heads=4, intermediate_size=37) if tiny else \
            transformers.Dinov2Config(image_size=518, patch_size=14, hidden_size=384, num_hidden_layers=12,
                                      num_attention_heads=6, intermediate_size=1536)
        transformers.Dinov2Model(config).save_pretrained(folder)
        side = 32 if tiny else 224
        transformers.BitImageProcessorPil(size={"shortest_edge": side if tiny else 256},
                                          crop_size={"height": side, "width": side}).save_pretrained(folder)
    elif role == "detector":
        side = 64 if tiny else 960
        # the class head maps image features into the text space: projection_dim = text hidden size
        config = transformers.Owlv2Config(text_config=_text(size, 512, 16), vision_config=_vit(size, side, 16),
                                          projection_dim=32 if tiny else 512)
        transformers.Owlv2ForObjectDetection(config).save_pretrained(folder)
        images = transformers.Owlv2ImageProcessorPil(size={"height": side, "width": side})
        transformers.Owlv2Processor(image_processor=images, tokenizer=_tokenizer(transformers)).save_pretrained(folder)
    else:
        raise ValueError(f"vision model role {role!r}: expected clip, dino or detector")
    return folder
