"""Corrupted outputs, from the output's pixels alone: grey when the spec asks for colours,
pixelated, noised. Blank and blurred pictures are :mod:`.technical`'s; rotated, cropped,
inverted and swapped ones show in the text and preservation checks, where the spec names
something to look for (no pixel statistic tells an inverted sketch from a night scene: the
clean outputs reach 88% dark pixels).

Each statistic is cheap and has a threshold set from the sketch renderer's clean outputs (510
items, all 51 subtasks: ``bench/bench_faults.py --calibrate`` prints their ranges), with a
margin; photographs from real models have more noise and darker scenes than the sketches, so
these are the thresholds to revisit for them (``ogi check --config``).
"""
from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from ..config import Section
from ..registry import StepImages, register
from ..result import result

__all__ = ["CorruptionConfig", "chroma", "corruption_checks", "noise_sigma", "pixelation"]


class CorruptionConfig(Section):
    min_chroma: float = Field(ge=0, le=255)
    max_pixelation: float = Field(ge=0, le=1)
    max_noise_sigma: float = Field(ge=0)
    monochrome_style_families: list[str] = Field(default_factory=list)


def chroma(rgb: np.ndarray) -> float:
    """Mean colourfulness: the spread of a pixel's channels (0 for a grey picture), averaged."""
    return float((rgb.max(axis=2).astype(np.int16) - rgb.min(axis=2)).mean())


def pixelation(grey: np.ndarray, blocks: tuple[int, ...] = (4, 6, 8, 10, 12, 16)) -> float:
    """The largest share of the picture's horizontal and vertical steps that fall on one grid of
    block edges: about 1/k for a clean picture, near 1 for one drawn in k x k blocks."""
    best = 0.0
    for axis in (0, 1):
        steps = np.abs(np.diff(grey, axis=axis)).sum(axis=1 - axis)
        total = steps.sum()
        if total <= 0:
            continue
        for k in blocks:
            for offset in range(k):
                best = max(best, float(steps[offset::k].sum() / total) - 1.0 / k)
    return round(best, 4)


def noise_sigma(grey: np.ndarray) -> float:
    """The noise's standard deviation, from the median absolute residual of a 3x3 median filter
    (flat paint and clean lines leave none)."""
    from scipy.ndimage import median_filter

    residual = grey - median_filter(grey, size=3)
    return float(1.4826 * np.median(np.abs(residual)))


def _asks_colour(view: StepImages) -> bool:
    scene = view.step.scene
    if scene is None:
        return False
    return any(o.colour or "colour" in o.attributes or "color" in o.attributes for o in scene.objects) or \
        any(t.colour for t in scene.texts)


@register("corruption", config=CorruptionConfig, defaults="corruption.yaml", order=15,
          reads="the output's pixels (colour spread, block edges, noise); the spec's colours and style")
def corruption_checks(view: StepImages, cfg: CorruptionConfig) -> list[dict[str, Any]]:
    image, name = view.output, view.step.name
    rgb = np.asarray(image.convert("RGB"))
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    family = view.step.scene.style_family if view.step.scene is not None else None
    out = []
    if _asks_colour(view) and family not in cfg.monochrome_style_families:
        c = chroma(rgb)
        out.append(result("corruption.grey", round(c, 3), cfg.min_chroma, c >= cfg.min_chroma,
                          None if c >= cfg.min_chroma else "grey, though the spec asks for colours", step=name))
    p = pixelation(grey)
    out.append(result("corruption.pixelated", p, cfg.max_pixelation, p <= cfg.max_pixelation,
                      None if p <= cfg.max_pixelation else "pixelated (drawn in blocks)", step=name))
    s = noise_sigma(grey)
    out.append(result("corruption.noise", round(s, 3), cfg.max_noise_sigma, s <= cfg.max_noise_sigma,
                      None if s <= cfg.max_noise_sigma else "noisy", step=name))
    return out
