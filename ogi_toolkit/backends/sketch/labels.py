"""Object name labels that collide with nothing: measured, placed, then drawn last.

Each object's label goes under its instances, as before; where that spot covers another
label or another object's drawing (a cat in front of a table hides the table's label, a
teapot's label would sit on the cabinet it stands on), it moves below the box, above the
drawing, or to its side, whichever is free first. Labels are drawn after the style treatment,
so every style keeps them readable.
"""
from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from .fonts import fit_label, load_font
from .placement import Box


@dataclass
class LabelJob:
    key: str  # the drawable it belongs to (obj:KEY)
    texts: tuple[str, ...]  # longest first (see paint.label_of)
    box: Box  # the object's placement box (its label strip is the bottom ``height`` of it)
    body: Box  # the union of its instances
    height: int
    plate: Box | None = None  # where it went
    text: str = ""
    font_name: str = ""
    size: int = 0


def measure(job: LabelJob, scale: float = 1.0) -> tuple[str, str, int, float]:
    """(text, font name, size, width) of the first text that fits the box width, else the
    last one cut short: the same choice the label would make in its own strip; ``scale``
    shrinks the largest size tried (a smaller label where nothing else is free)."""
    text, name, font = fit_label(tuple(job.texts), job.box[2] - job.box[0], round(job.height * 0.78 * scale))
    return text, name, font.size, font.getlength(text)


def _overlap(a: Box, b: Box) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def _candidates(job: LabelJob, tw: float, h: int, area: Box) -> list[Box]:
    """Spots for a plate ``tw`` wide: under the drawing (its own strip), just below the box,
    beside the drawing, above it; each also slid sideways, nearest first."""
    x0, y0, x1, y1 = job.box
    bx0, by0, bx1, by1 = job.body
    cx = (x0 + x1) / 2
    pw = tw + 4

    def plate(left: float, top: float) -> Box:
        left = min(max(left, area[0]), area[2] - pw)
        top = min(max(top, area[1]), area[3] - h)
        return round(left), round(top), round(left + pw), round(top + h)

    rows = [y1 - h, y1, by0 - h, y1 + h, by0 - 2 * h]
    spots = [plate(cx - pw / 2 + dx, top) for top in rows for dx in (0, -0.6 * pw, 0.6 * pw, -1.2 * pw, 1.2 * pw)]
    spots[5:5] = [plate(bx1 + 2, (by0 + by1) / 2 - h / 2), plate(bx0 - 2 - pw, (by0 + by1) / 2 - h / 2)]
    return spots


def place_labels(jobs: list[LabelJob], bodies: dict[str, Box], area: Box) -> None:
    """Sets each job's plate: the first spot that covers no label placed before and no
    drawing (its own included), in the order jobs come (objects drawn earlier keep their
    spot; what an edit adds moves its own label); where none is free at full size, a smaller
    label, else the spot covering least."""
    taken: list[Box] = []
    for job in jobs:
        others = list(bodies.values()) + taken  # its own drawing too: a label never covers it
        best = None
        for rank, scale in enumerate((1.0, 0.8, 0.62)):
            text, font_name, size, tw = measure(job, scale)
            for k, spot in enumerate(_candidates(job, tw, job.height, area)):
                score = (sum(_overlap(spot, o) for o in others), rank, k)
                if best is None or score < best[0]:
                    best = (score, spot, text, font_name, size)
            if best[0][0] == 0:
                break
        _, job.plate, job.text, job.font_name, job.size = best
        taken.append(job.plate)


def draw_label_job(canvas: Image.Image, job: LabelJob) -> None:
    font = load_font(job.font_name, job.size)
    d = ImageDraw.Draw(canvas)
    x0, y0, x1, y1 = job.plate
    d.rectangle([x0, y0, x1 - 1, y1 - 1], fill=(255, 255, 255))
    d.text((x0 + 2, y0 + job.height * 0.06), job.text, font=font, fill=(25, 25, 25))
