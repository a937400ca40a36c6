"""Tiny randomly initialised vision models, built from configs and saved to a folder, so the
tests load them by path through the same ``load_model`` a user runs with a hub name.

The CLIP tokenizer's vocabulary is the lowercase letters and digits (each alone and as a word
end) with no merges; index 0 is "!" as in CLIP's own vocabulary (OWL's query mask reads a first
token id of 0 as padding).
"""
from __future__ import annotations

from pathlib import Path

import pytest

transformers = pytest.importorskip("transformers", reason="the vision extra (transformers) is not installed")


def _tokenizer():
    vocab = {"!": 0, "<|startoftext|>": 1, "<|endoftext|>": 2}
    for c in "abcdefghijklmnopqrstuvwxyz0123456789":
        vocab.setdefault(c, len(vocab))
        vocab.setdefault(c + "</w>", len(vocab))
    return transformers.CLIPTokenizer(vocab=vocab, merges=[]), len(vocab)


def _text_config(vocab_size: int, hidden: int = 32) -> dict:
    return dict(vocab_size=vocab_size, hidden_size=hidden, intermediate_size=37, num_hidden_layers=1,
                num_attention_heads=4, max_position_embeddings=32, bos_token_id=1, eos_token_id=2, pad_token_id=2)


def _vision_config(image_size: int, patch: int) -> dict:
    return dict(image_size=image_size, patch_size=patch, hidden_size=32, intermediate_size=37, num_hidden_layers=1,
                num_attention_heads=4)


def make_tiny_clip(folder: Path, seed: int = 0) -> Path:
    import torch

    torch.manual_seed(seed)
    tokenizer, vocab_size = _tokenizer()
    config = transformers.CLIPConfig(text_config=_text_config(vocab_size), vision_config=_vision_config(32, 8),
                                     projection_dim=16)
    transformers.CLIPModel(config).save_pretrained(folder)
    images = transformers.CLIPImageProcessorPil(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    transformers.CLIPProcessor(image_processor=images, tokenizer=tokenizer).save_pretrained(folder)
    return folder


def make_tiny_dino(folder: Path, seed: int = 0) -> Path:
    import torch

    torch.manual_seed(seed)
    config = transformers.Dinov2Config(image_size=32, patch_size=8, hidden_size=32, num_hidden_layers=1,
                                       num_attention_heads=4, intermediate_size=37)
    transformers.Dinov2Model(config).save_pretrained(folder)
    transformers.BitImageProcessorPil(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}).save_pretrained(folder)
    return folder


def make_tiny_owlv2(folder: Path, seed: int = 0) -> Path:
    import torch

    torch.manual_seed(seed)
    tokenizer, vocab_size = _tokenizer()
    # the class head maps image features into the text space: projection_dim = text hidden size
    config = transformers.Owlv2Config(text_config=_text_config(vocab_size), vision_config=_vision_config(64, 16),
                                      projection_dim=32)
    transformers.Owlv2ForObjectDetection(config).save_pretrained(folder)
    images = transformers.Owlv2ImageProcessorPil(size={"height": 64, "width": 64})
    transformers.Owlv2Processor(image_processor=images, tokenizer=tokenizer).save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    """{role: folder} of a tiny CLIP, DINOv2 and OWLv2."""
    root = tmp_path_factory.mktemp("vision-models")
    return {"clip": make_tiny_clip(root / "clip"), "dino": make_tiny_dino(root / "dino"),
            "detector": make_tiny_owlv2(root / "owlv2")}
