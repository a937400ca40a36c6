"""What an edit changed: the regions two drawings differ in (from their drawables), the pixels
changed in and outside them, and the edited picture composited onto the input image."""
from __future__ import annotations

from PIL import Image, ImageDraw

from .placement import Box
from .layout_record import Drawn, PixelsChanged

__all__ = ["changed_regions", "composite", "pixels_changed"]


def changed_regions(before: Drawn, after: Drawn) -> list[Box]:
    """Boxes where ``after`` may differ from ``before`` (grown by the style's footprint)."""
    W, H = after.image.size
    if before.global_signature != after.global_signature:
        return [(0, 0, W, H)]
    boxes = []
    for key in sorted(set(before.drawables) | set(after.drawables)):
        a, b = before.drawables.get(key), after.drawables.get(key)
        if a is not None and b is not None and a[1] == b[1]:
            continue
        boxes += [d[0] for d in (a, b) if d is not None]
    grow = 2 + after.meta.get("treatment", {}).get("footprint_px", 0)
    return [(max(0, x0 - grow), max(0, y0 - grow), min(W, x1 + grow), min(H, y1 + grow)) for x0, y0, x1, y1 in boxes]


def pixels_changed(before: Image.Image, after: Image.Image, regions: list[Box]) -> PixelsChanged:
    """How many pixels an edit changed: in all, and outside its changed regions (0 when the
    edit changed only what it should)."""
    import numpy as np

    diff = (np.asarray(before, dtype=np.int16) != np.asarray(after, dtype=np.int16)).any(axis=2)
    inside = np.zeros_like(diff)
    for x0, y0, x1, y1 in regions:
        inside[y0:y1, x0:x1] = True
    return {"total": int(diff.sum()), "outside_regions": int((diff & ~inside).sum())}


def composite(base: Image.Image, drawn: Image.Image, regions: list[Box]) -> Image.Image:
    """``base`` with ``drawn``'s pixels in ``regions``: an edit that starts from the input image."""
    out = base.convert("RGB").resize(drawn.size, Image.Resampling.LANCZOS) if base.size != drawn.size else base.convert("RGB").copy()
    mask = Image.new("L", drawn.size, 0)
    md = ImageDraw.Draw(mask)
    for box in regions:
        md.rectangle([box[0], box[1], box[2] - 1, box[3] - 1], fill=255)
    out.paste(drawn, (0, 0), mask)
    return out


