"""Real PNG images for the local server.

The offline sketch renderer draws the card when it is installed; otherwise a small
deterministic card is drawn here: a colour from the prompt's hash, the prompt's words, and
for edits a thumbnail of each input image, so an edit visibly derives from its inputs.
"""
from __future__ import annotations

import asyncio
import hashlib
import io
import textwrap

from PIL import Image, ImageDraw

__all__ = ["render_image", "parse_size"]


def parse_size(size: str | None, max_px: int | None) -> tuple[int, int]:
    width, height = 1024, 1024
    if size and "x" in size:
        try:
            width, height = (int(v) for v in size.lower().split("x", 1))
        except ValueError:
            pass
    if max_px and max(width, height) > max_px:
        scale = max_px / max(width, height)
        width, height = max(1, round(width * scale)), max(1, round(height * scale))
    return width, height


def _card(prompt: str, inputs: list[bytes], width: int, height: int) -> bytes:
    digest = hashlib.sha256(prompt.encode("utf-8") + b"".join(hashlib.sha256(i).digest() for i in inputs)).digest()
    img = Image.new("RGB", (width, height), tuple(64 + b % 160 for b in digest[:3]))
    draw = ImageDraw.Draw(img)
    thumb = max(8, min(width, height) // 4)
    for i, data in enumerate(inputs[:4]):
        try:
            with Image.open(io.BytesIO(data)) as src:
                img.paste(src.convert("RGB").resize((thumb, thumb)), (i * thumb, height - thumb))
        except OSError:
            pass
    if width >= 64:
        chars = max(8, width // 7)
        draw.multiline_text((4, 4), "\n".join(textwrap.wrap(prompt, chars)[: max(1, height // 14)]), fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _sketch_backend():
    try:
        from ..backends.sketch import SketchBackend
    except ImportError:
        return None
    return SketchBackend()


_SKETCH = None


async def render_image(prompt: str, inputs: list[bytes], size: str | None, max_px: int | None,
                       renderer: str = "auto") -> bytes:
    global _SKETCH
    width, height = parse_size(size, max_px)
    if _SKETCH is None and renderer == "auto":
        _SKETCH = _sketch_backend() or False
    if _SKETCH and renderer == "auto":
        from ..backends.base import ImageRequest

        request = ImageRequest(prompt=prompt, step="edit" if inputs else "scene", images=tuple(inputs),
                               size=f"{width}x{height}")
        try:
            result = await (_SKETCH.edit(request) if inputs else _SKETCH.generate(request))
            return result.image
        except Exception:  # a request the sketch cannot draw without a spec: fall back to the card
            pass
    await asyncio.sleep(0)
    return _card(prompt, inputs, width, height)
