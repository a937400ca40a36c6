"""Technical checks of one output image: it decodes, has the requested size, is not blank or
flat, is not blurred (variance of the Laplacian), is not clipped; an edit's output is not
byte-for-pixel its input. (The duplicate check across outputs uses this section's
``max_duplicate_hash_distance``: see :mod:`..checking`.)"""
from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from ..config import Section
from ..registry import StepImages, register
from ..result import result

__all__ = ["TechnicalConfig", "technical_checks"]


class TechnicalConfig(Section):
    min_grey_std: float = Field(ge=0)
    min_laplacian_var: float = Field(ge=0)
    max_clipped_share: float = Field(ge=0, le=1)
    exposure_exempt_style_families: list[str] = Field(default_factory=list)
    max_duplicate_hash_distance: int = Field(ge=0, le=64)


@register("technical", config=TechnicalConfig, defaults="technical.yaml", order=10, needs_output=False,
          reads="the output's pixels (and the input's, for an edit); the requested size; the spec's style family")
def technical_checks(view: StepImages, cfg: TechnicalConfig) -> list[dict[str, Any]]:
    """The checks of one output. The spec's style family exempts drawn styles from the exposure check."""
    from scipy.ndimage import laplace

    step_name, image, before, requested = view.step.name, view.output, view.input, view.item.size
    style_family = view.step.scene.style_family if view.step.scene is not None else None
    if image is None:
        return [result("technical.decodes", False, True, False, f"{view.step.output.name}: {view.output_error}",
                       step=step_name)]
    out = [result("technical.decodes", True, True, True, step=step_name)]
    size = f"{image.width}x{image.height}"
    if requested is None:
        out.append(result("technical.size", size, None, None, "no size was requested", step=step_name))
    else:
        want = f"{requested[0]}x{requested[1]}"
        out.append(result("technical.size", size, want, size == want, None if size == want else "not the requested size",
                          step=step_name))
    grey = np.asarray(image.convert("L"), dtype=np.float64)
    std = float(grey.std())
    out.append(result("technical.not_flat", round(std, 3), cfg.min_grey_std, std >= cfg.min_grey_std,
                      None if std >= cfg.min_grey_std else "blank or flat image", step=step_name))
    lap = float(laplace(grey / 255.0).var())
    out.append(result("technical.sharpness", round(lap, 6), cfg.min_laplacian_var, lap >= cfg.min_laplacian_var,
                      None if lap >= cfg.min_laplacian_var else "blurred", step=step_name))
    rgb = np.asarray(image)
    clipped = float(((rgb == 0).all(axis=2) | (rgb == 255).all(axis=2)).mean())
    if style_family in cfg.exposure_exempt_style_families:
        out.append(result("technical.exposure", round(clipped, 4), cfg.max_clipped_share, None,
                          f"not judged for {style_family} styles, which are mostly paper white", step=step_name))
    else:
        out.append(result("technical.exposure", round(clipped, 4), cfg.max_clipped_share,
                          clipped <= cfg.max_clipped_share, None if clipped <= cfg.max_clipped_share else "clipped exposure",
                          step=step_name))
    if before is not None:
        same = before.size == image.size and np.array_equal(np.asarray(before.convert("RGB")), rgb)
        out.append(result("technical.differs_from_input", not same, True, not same,
                          "the output is identical to its input" if same else None, step=step_name))
    return out
