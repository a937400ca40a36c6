"""Writing a scene's texts, exactly, and recording where and in which font each went.

Free texts stack in bands at the top of the picture (a band per text, kept through edits);
a text ``on`` an object is written on a plate over that object's first instance. Each text
gets the largest size at which it fits in at most three lines. The record of every text
(its exact string, lines, box, font file, size, missing glyphs) goes into the result's meta.
"""
from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

from ...spec import TextItem
from .fonts import LAYOUT_ENGINE_NAME, choose_font, load_font, missing_glyphs
from .placement import Box
from .vocab import colour_rgb, lighter

_SIZE_WORDS = {"tiny": 0.55, "small": 0.75, "smaller": 0.6, "large": 1.2, "bigger": 1.2, "huge": 1.4, "giant": 1.4}
_ROLE_SIZES = {"title": 1.0, "headline": 1.0, "poster headline": 1.0, "caption": 0.7, "label": 0.8}


@dataclass
class TextPlan:
    index: int
    key: str
    item: TextItem
    region: Box  # where it may go
    plate: bool = True


def _wrap(text: str, font, width: float, lines: int) -> list[str] | None:
    """``text`` in at most ``lines`` lines no wider than ``width``; None if it cannot be."""
    spaced = " " in text.strip() or not any(ord(c) >= 0x2E80 for c in text)  # CJK breaks anywhere
    tokens = text.split(" ") if spaced else list(text)
    joiner = " " if spaced else ""
    out, current = [], ""
    for token in tokens:
        trial = current + joiner + token if current else token
        if font.getlength(trial) <= width or not current:
            current = trial
        else:
            out.append(current)
            current = token
    out.append(current)
    if len(out) > lines or any(font.getlength(line) > width for line in out):
        return None
    return out


def fit_text(text: str, font_name: str, region: Box, scale: float,
             max_size: int | None = None) -> tuple[int, list[str]]:
    """The biggest font size (and line breaks), at most ``max_size``, that fits ``text`` in ``region``."""
    w, h = region[2] - region[0], region[3] - region[1]
    size = max(7, round(h * 0.72 * scale))
    if max_size is not None:
        size = max(7, min(size, max_size))
    while True:
        font = load_font(font_name, size)
        for n_lines in (1, 2, 3):
            if n_lines * size * 1.25 > h and size > 7:
                break
            lines = _wrap(text, font, w * 0.94, n_lines)
            if lines is not None:
                return size, lines
        if size <= 7:  # never drop characters: the smallest size, as many lines as it takes
            return size, _wrap(text, font, w * 0.94, 10 ** 6) or [text]
        size = max(7, round(size * 0.9))


def _grown(region: Box, factor: float, canvas_size: tuple[int, int]) -> Box:
    """``region`` grown ``factor`` times about its centre, kept inside the canvas."""
    x0, y0, x1, y1 = region
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hw, hh = (x1 - x0) * factor / 2, (y1 - y0) * factor / 2
    w, h = canvas_size
    return max(0, round(cx - hw)), max(0, round(cy - hh)), min(w, round(cx + hw)), min(h, round(cy + hh))


def draw_text(canvas: Image.Image, plan: TextPlan) -> dict:
    """Draw one text and return its layout record."""
    t = plan.item
    descriptor = " ".join(filter(None, [t.font, t.role]))
    font_name = choose_font(t.text, descriptor)
    words = descriptor.lower().split()
    scale = _ROLE_SIZES.get((t.role or "").lower(), 0.9)
    resize = 1.0
    for word in words:
        resize *= _SIZE_WORDS.get(word, 1.0)
    region = plan.region
    size, lines = fit_text(t.text, font_name, region, min(scale * max(resize, 1.0), 1.0))
    if resize > 1:
        # "bigger" on a text already as big as its region allows would draw it unchanged:
        # it outgrows its region (and its plate with it) instead, up to the size asked for
        wanted = round(fit_text(t.text, font_name, region, min(scale, 1.0))[0] * resize)
        if size < wanted:
            region = _grown(region, resize, canvas.size)
            size, lines = fit_text(t.text, font_name, region, 1.0, max_size=wanted)
    if resize < 1:  # scaled after fitting, so "smaller" shows even where the width set the size
        size = max(7, round(size * resize))
    font = load_font(font_name, size)
    neon = "neon" in words or "glow" in words or "glowing" in words
    colour = colour_rgb(t.colour) if t.colour else (255, 90, 200) if neon else (25, 25, 25)
    x0, y0, x1, y1 = region
    line_h = round(size * 1.25)
    total_h = line_h * len(lines)
    top = y0 + (y1 - y0 - total_h) / 2
    widths = [font.getlength(line) for line in lines]
    left = x0 + (x1 - x0 - max(widths)) / 2
    box = (round(left) - 4, round(top) - 2, round(left + max(widths)) + 4, round(top + total_h) + 2)
    d = ImageDraw.Draw(canvas)
    light = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2] > 170  # white on cream is unreadable
    if plan.plate or neon:
        d.rounded_rectangle(box, radius=max(2, size // 5), fill=(20, 20, 35) if neon or light else (250, 248, 240))
    if neon:  # a blurred halo under the letters
        halo = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
        hd = ImageDraw.Draw(halo)
        for k, line in enumerate(lines):
            hd.text((left - box[0] + (max(widths) - widths[k]) / 2, top - box[1] + k * line_h), line,
                    font=font, fill=255, stroke_width=max(1, size // 10))
        halo = halo.filter(ImageFilter.GaussianBlur(max(1, size // 8)))
        canvas.paste(Image.new("RGB", halo.size, lighter(colour, 0.3)), box[:2], halo)
    stroke = max(1, size // 14) if any(w in words for w in ("outline", "outlined", "3d")) else 0
    for k, line in enumerate(lines):
        d.text((left + (max(widths) - widths[k]) / 2, top + k * line_h), line, font=font, fill=colour,
               stroke_width=stroke, stroke_fill=(255, 255, 255) if stroke else None)
    return {"index": plan.index, "key": plan.key, "text": t.text, "lines": lines, "box": list(box),
            "font": font_name, "size": size, "script": t.script, "language": t.language,
            "missing_glyphs": missing_glyphs(font_name, t.text), "layout_engine": LAYOUT_ENGINE_NAME}
