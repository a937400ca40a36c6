"""Images per second of each vision model (CLIP image and text features, DINOv2, OWLv2 detection),
on CPU and, where torch sees one, a GPU (fp16).

    PYTHONPATH=$PWD .venv/bin/python bench/bench_vision.py [--sizes tiny base] [--images 32] [--devices cpu cuda]
    PYTHONPATH=$PWD .venv/bin/python bench/bench_vision.py --model clip=openai/clip-vit-base-patch32 ...

The models are built from configs with random weights (``random_models``): ``tiny`` (a test
model) and ``base`` (the architecture of each default: CLIP ViT-B/32, DINOv2-small, OWLv2 base
at 960 px; speed depends on the architecture, not on the weights), or real checkpoints named with
``--model ROLE=NAME_OR_PATH``. Images are 512x512 PNGs of noise (the processor resizes them, so
their content does not change the cost). Each model is timed without the cache (``embed_images``,
``detect_images``) after one warm-up batch; the load average is printed beside the numbers, since
a busy shared machine slows every number.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from ogi_toolkit.vision import detect_images, embed_images, embed_texts, load_model
from ogi_toolkit.vision.random_models import build_random_model

PHRASES = ["a cat", "a red apple", "a wooden chair", "two cups"]


def _time(fn, n: int) -> float:
    start = time.perf_counter()
    fn()
    return n / (time.perf_counter() - start)


def bench(model, images: list, batch: int) -> dict[str, float]:
    warm = images[:batch]
    if model.role == "detector":
        detect_images(model, warm, [PHRASES] * len(warm), batch)
        return {"detect images/s": _time(lambda: detect_images(model, images, [PHRASES] * len(images), batch), len(images))}
    embed_images(model, warm, batch)
    out = {"images/s": _time(lambda: embed_images(model, images, batch), len(images))}
    if model.role == "clip":
        texts = [f"a photo of {k} red apples on a wooden table" for k in range(len(images))]
        out["texts/s"] = _time(lambda: embed_texts(model, texts, 64), len(texts))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["tiny", "base"], choices=("tiny", "base"))
    parser.add_argument("--model", action="append", default=[], metavar="ROLE=NAME_OR_PATH",
                        help="a real checkpoint to time (repeatable); replaces the built models")
    parser.add_argument("--images", type=int, default=32)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--detector-images", type=int, default=4, help="images for the detector (slow on CPU)")
    parser.add_argument("--devices", nargs="+", default=["cpu", "cuda"])
    args = parser.parse_args()
    import torch

    devices = [d for d in args.devices if d == "cpu" or torch.cuda.is_available()]
    rng = np.random.default_rng(0)
    images = [Image.fromarray(rng.integers(0, 255, (512, 512, 3), dtype=np.uint8)) for _ in range(args.images)]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; devices {devices}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="bench-vision-") as tmp:
        if args.model:
            named = [tuple(m.split("=", 1)) for m in args.model]
            models = [(role, name, name) for role, name in named]
        else:
            models = [(role, f"random {size}", str(build_random_model(role, Path(tmp) / f"{role}-{size}", size=size)))
                      for size in args.sizes for role in ("clip", "dino", "detector")]
        for role, label, path in models:
            for device in devices:
                model = load_model(role, path, device=device)
                params = sum(p.numel() for p in model.model.parameters()) / 1e6
                n = args.detector_images if role == "detector" and device == "cpu" else args.images
                result = bench(model, images[:n], args.batch)
                rates = "  ".join(f"{k} {v:8.3g}" for k, v in result.items())
                print(f"{role:9s} {label:28s} {params:7.1f}M  {device:5s} {str(model.dtype):14s} n={n:<4d} {rates}"
                      f"  (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
