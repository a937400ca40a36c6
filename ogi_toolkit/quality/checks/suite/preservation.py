"""Edit preservation, from the pixels of the input and the output: did the edit change anything
(no-op), did it change only where it should (locality), did a local edit change the whole
picture, and does the output still look like its input?

All of it reads a *change map*: both images reduced to a grid of at most ``grid`` cells on
their long side (area averaging) and blurred a little, then a cell counts as changed when a
colour channel moved by more than ``change_tolerance``. The reduction is what makes a re-saved
JPEG or a blurred copy of the input read as "no change" (their differences are fine grain),
where a real edit, even a small one, changes a block of cells.

The renderer's layout record may say *where* the edit should change the picture
(``meta.changed_regions``): then the share of changed cells outside those regions decides
locality. Without a record (images from real models) the whole-image SSIM and the spread of
the change are all there is: an edit in the wrong place looks like a right one to pixels alone
(the judge's job). Background, style and extraction edits change the whole picture by
definition, so locality and "whole image changed" do not apply to them.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image, ImageFilter
from pydantic import Field

from ..config import Section
from ..registry import StepImages, register
from ..result import result

__all__ = ["GLOBAL_OPS", "PreservationConfig", "change_map", "preservation_checks"]

GLOBAL_OPS = frozenset({"background", "style", "extract"})
_MIN_KEPT_SHARE = 0.05  # below this share of the picture left untouched, there is nothing to compare


class PreservationConfig(Section):
    grid: int = Field(ge=16, le=1024)
    blur_cells: float = Field(ge=0)
    change_tolerance: int = Field(ge=0, le=255)
    min_changed_share: float = Field(ge=0, le=1)
    max_changed_share_local: float = Field(ge=0, le=1)
    region_margin_cells: int = Field(ge=0)
    max_changed_outside: float = Field(ge=0, le=1)
    min_ssim_whole: float = Field(ge=-1, le=1)


def _reduced(image: Image.Image, size: tuple[int, int], blur: float) -> np.ndarray:
    small = image.convert("RGB").resize(size, Image.Resampling.BOX)
    if blur > 0:
        small = small.filter(ImageFilter.GaussianBlur(blur))
    return np.asarray(small, dtype=np.int16)


def change_map(before: Image.Image, after: Image.Image, cfg: PreservationConfig) -> np.ndarray:
    """Which cells of the reduced grid changed (bool, rows x columns), ``after``'s aspect kept."""
    scale = cfg.grid / max(after.size)
    size = (max(1, round(after.width * scale)), max(1, round(after.height * scale)))
    a, b = _reduced(before, size, cfg.blur_cells), _reduced(after, size, cfg.blur_cells)
    return np.abs(a - b).max(axis=2) > cfg.change_tolerance


def _region_mask(shape: tuple[int, int], regions: list[list[int]], image_size: tuple[int, int],
                 margin: int) -> np.ndarray:
    """The cells of ``regions`` (pixel boxes of the full image), grown by ``margin`` cells."""
    rows, cols = shape
    sx, sy = cols / image_size[0], rows / image_size[1]
    mask = np.zeros(shape, dtype=bool)
    for x0, y0, x1, y1 in regions:
        c0, r0 = max(0, int(x0 * sx) - margin), max(0, int(y0 * sy) - margin)
        c1, r1 = min(cols, int(np.ceil(x1 * sx)) + margin), min(rows, int(np.ceil(y1 * sy)) + margin)
        mask[r0:r1, c0:c1] = True
    return mask


@register("preservation", config=PreservationConfig, defaults="preservation.yaml", order=20,
          reads="the input's and the output's pixels (a change map); the spec's edit ops; "
                "layout regions say where the edit may change")
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
    changed = change_map(before, after, cfg)
    share = float(changed.mean())
    local = not any(e.op in GLOBAL_OPS for e in step.edits)
    out = [result("preservation.changed_share", round(share, 5), cfg.min_changed_share, share >= cfg.min_changed_share,
                  None if share >= cfg.min_changed_share else "no visible change", step=step.name)]
    if local:
        whole = share > cfg.max_changed_share_local
        out.append(result("preservation.whole_image_changed", round(share, 5), cfg.max_changed_share_local, not whole,
                          "whole image changed by a local edit" if whole else None, step=step.name))
    regions = (step.layout or {}).get("changed_regions")
    if regions is not None and local:
        target = _region_mask(changed.shape, regions, after.size, cfg.region_margin_cells)
        keep = ~target
        if keep.mean() < _MIN_KEPT_SHARE:
            out.append(result("preservation.changed_outside_edit", None, cfg.max_changed_outside, None,
                              "the edit may change the whole picture (layout regions)", step=step.name, basis="layout"))
        else:
            outside = float(changed[keep].mean())
            inside = float(changed[target].mean()) if target.any() else 0.0
            ok = outside <= cfg.max_changed_outside
            out.append(result("preservation.changed_outside_edit", round(outside, 5), cfg.max_changed_outside, ok,
                              None if ok else "changed outside the part the edit targets", step=step.name,
                              basis="layout regions", changed_inside_share=round(inside, 5),
                              kept_share=round(float(keep.mean()), 4)))
    elif local:
        grey_a = np.asarray(before.convert("L"), dtype=np.float32)  # float32: SSIM in a quarter of float64's time
        grey_b = np.asarray(after.convert("L"), dtype=np.float32)
        value = float(structural_similarity(grey_a, grey_b, data_range=255.0))
        out.append(result("preservation.ssim_whole", round(value, 4), cfg.min_ssim_whole, value >= cfg.min_ssim_whole,
                          None if value >= cfg.min_ssim_whole else "the picture does not look like its input",
                          step=step.name, basis="whole image"))
    return out
