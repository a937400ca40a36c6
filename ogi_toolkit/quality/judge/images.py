"""The images of one judged item: found in its dataset folder, hashed, and downscaled to send.

A judge needs far fewer pixels than a generator makes (and is billed per pixel tile), so each
image is sent with its long side at most ``long_side`` (as JPEG; smaller images go as they are).
Paths come from the manifest, a data file: one that leads out of the dataset folder is an
error on the item, never read.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image

from ...folder import UnsafePath, inside

__all__ = ["DEFAULT_LONG_SIDE", "IMAGE_ENCODING", "ItemImageError", "downscaled", "image_path", "item_images"]

DEFAULT_LONG_SIDE = 768
JPEG_QUALITY = 90
IMAGE_ENCODING = f"jpeg-q{JPEG_QUALITY}-box-bilinear"  # part of judgment keys: another encoding sends other bytes


class ItemImageError(ValueError):
    """An image of the item is missing, unreadable or outside the dataset folder."""


def image_path(root: Path, rel: str | None, what: str) -> Path:
    if not rel:
        raise ItemImageError(f"the manifest names no {what} image")
    try:
        path = inside(root, rel)
    except UnsafePath:
        raise ItemImageError(f"{what} image {rel!r} lies outside the dataset folder {root}") from None
    if not path.is_file():
        raise ItemImageError(f"{what} image {rel} does not exist")
    return path


def item_images(record: dict, kind: str) -> dict[str, str | None]:
    """Image slot -> path (relative to the dataset folder) for a manifest record of this kind."""
    inputs = list(record.get("input_images") or [])
    if kind == "generation":
        return {"output": record.get("output_image")}
    if kind == "multi_turn":
        turns = list(record.get("turn_images") or [])
        return {"source": inputs[0] if inputs else None, **{f"turn{k}": p for k, p in enumerate(turns, start=1)}}
    slots = {"input": inputs[0] if inputs else None}
    if kind == "reference":
        slots["reference"] = inputs[1] if len(inputs) > 1 else None
    slots["output"] = record.get("output_image")
    return slots


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def downscaled(path: Path, long_side: int) -> bytes:
    """The image to send: its own bytes when it is a PNG or JPEG no longer than ``long_side``,
    else resized to that long side and sent as JPEG (quality 90: a judge needs no lossless
    pixels, and it encodes ~5x faster than PNG at a tenth of the bytes)."""
    data = path.read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as img:
            if max(img.size) <= long_side and img.format in ("PNG", "JPEG"):
                img.verify()  # a cut file is the item's error, not the judge's
                return data
            img.load()
            scale = min(1.0, long_side / max(img.size))
            size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
            rgb = img.convert("RGB") if "A" not in img.getbands() else _on_white(img)
            out = io.BytesIO()
            # reducing_gap=1: a box reduction by the whole factor first (1024 -> 512 costs ~2 ms,
            # not the ~9 ms of bilinear over every source pixel), then bilinear for the rest.
            rgb.resize(size, Image.BILINEAR, reducing_gap=1.0).save(out, format="JPEG", quality=JPEG_QUALITY)
            return out.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ItemImageError(f"image {path.name} is not readable ({exc.__class__.__name__})") from None


def _on_white(img: Image.Image) -> Image.Image:
    """A transparent image flattened onto white (JPEG has no alpha)."""
    rgba = img.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat
