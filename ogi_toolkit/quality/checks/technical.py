"""Technical checks of one output image: it decodes, has the requested size, is not blank or
flat, is not blurred (variance of the Laplacian), is not clipped; an edit's output is not
byte-for-pixel its input. Also its perceptual hash, for the duplicate check across outputs."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from .config import TechnicalConfig
from .result import result

__all__ = ["open_image", "technical_checks"]


def open_image(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image.convert("RGB")


def technical_checks(step_name: str, path: Path, image: Image.Image | None, error: str | None,
                     requested: tuple[int, int] | None, before: Image.Image | None,
                     cfg: TechnicalConfig, style_family: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """The checks of one output and its 64-bit perceptual hash (hex; None when it did not decode).
    ``style_family``: the spec's, which exempts drawn styles from the exposure check."""
    import imagehash
    from scipy.ndimage import laplace

    if image is None:
        return [result("technical.decodes", False, True, False, f"{path.name}: {error}", step=step_name)], None
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
    return out, str(imagehash.phash(image))
