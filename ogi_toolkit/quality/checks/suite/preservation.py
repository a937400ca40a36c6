"""Edit preservation: how much of the picture an edit changed, and whether the part it must
not touch is still the same (SSIM, scikit-image).

With a layout record the part to keep is everything outside the regions the renderer says the
edit changed (``meta.changed_regions``); without one it is the whole image, judged by a
looser SSIM threshold beside the changed-area share. Background, style and extraction edits
change the whole picture by definition, so "whole image changed" and the whole-image SSIM do
not apply to them.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from pydantic import Field

from ..config import Section
from ..registry import StepImages, register
from ..result import result

__all__ = ["GLOBAL_OPS", "PreservationConfig", "preservation_checks"]


class PreservationConfig(Section):
    pixel_tolerance: int = Field(ge=0, le=255)
    min_changed_share: float = Field(ge=0, le=1)
    max_changed_share_local: float = Field(ge=0, le=1)
    min_ssim_outside: float = Field(ge=-1, le=1)
    min_ssim_whole: float = Field(ge=-1, le=1)

GLOBAL_OPS = frozenset({"background", "style", "extract"})
_MIN_KEPT_SHARE = 0.05  # below this share of the picture left untouched, there is nothing to compare


def _keep_mask(size: tuple[int, int], regions: list[list[int]]) -> np.ndarray:
    mask = Image.new("L", size, 255)
    draw = ImageDraw.Draw(mask)
    for x0, y0, x1, y1 in regions:
        draw.rectangle([x0, y0, x1 - 1, y1 - 1], fill=0)
    return np.asarray(mask) > 0


@register("preservation", config=PreservationConfig, defaults="preservation.yaml", order=20,
          reads="the input's and the output's pixels; the spec's edit ops; layout regions say where the edit may change")
def preservation_checks(view: StepImages, cfg: PreservationConfig) -> list[dict[str, Any]]:
    from skimage.metrics import structural_similarity

    step, before, after = view.step, view.input, view.output
    if step.input is None:  # a generation: nothing to preserve
        return []
    if before is None:
        return [result("preservation.changed_share", None, cfg.min_changed_share, None,
                       f"the input image could not be read ({view.input_error})", step=step.name)]

    before = before.convert("RGB")
    after = after.convert("RGB")
    if before.size != after.size:
        before = before.resize(after.size, Image.Resampling.LANCZOS)
    a, b = np.asarray(before, dtype=np.int16), np.asarray(after, dtype=np.int16)
    changed = np.abs(a - b).max(axis=2) > cfg.pixel_tolerance
    share = float(changed.mean())
    local = not any(e.op in GLOBAL_OPS for e in step.edits)
    out = [result("preservation.changed_share", round(share, 5), cfg.min_changed_share, share >= cfg.min_changed_share,
                  None if share >= cfg.min_changed_share else "no visible change", step=step.name)]
    if local:
        whole = share > cfg.max_changed_share_local
        out.append(result("preservation.whole_image_changed", round(share, 5), cfg.max_changed_share_local, not whole,
                          "whole image changed by a local edit" if whole else None, step=step.name))
    grey_a = np.asarray(before.convert("L"), dtype=np.float32)  # float32: SSIM in a quarter of float64's time, same value to 1e-8
    grey_b = np.asarray(after.convert("L"), dtype=np.float32)
    _, ssim_map = structural_similarity(grey_a, grey_b, data_range=255.0, full=True)
    regions = (step.layout or {}).get("changed_regions")
    if regions is not None:
        keep = _keep_mask(after.size, regions)
        if keep.mean() < _MIN_KEPT_SHARE:
            out.append(result("preservation.ssim_outside_edit", None, cfg.min_ssim_outside, None,
                              "the edit may change the whole picture (layout record)", step=step.name, basis="layout"))
        else:
            value = float(ssim_map[keep].mean())
            outside = float(changed[keep].mean())
            out.append(result("preservation.ssim_outside_edit", round(value, 4), cfg.min_ssim_outside,
                              value >= cfg.min_ssim_outside, None if value >= cfg.min_ssim_outside else
                              "the part the edit must not touch changed", step=step.name, basis="layout",
                              kept_share=round(float(keep.mean()), 4), changed_outside_share=round(outside, 5)))
    elif local:
        value = float(ssim_map.mean())
        out.append(result("preservation.ssim_whole", round(value, 4), cfg.min_ssim_whole, value >= cfg.min_ssim_whole,
                          None if value >= cfg.min_ssim_whole else "the picture does not look like its input",
                          step=step.name, basis="whole image"))
    return out
