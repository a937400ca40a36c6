"""A placed object: its boxes (every instance and its name label), and how an object's box
is shaped (the aspect of its drawing) and filled (``group_placement``: ``count`` instances in
a region). The other layout modules build on these."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...spec import SceneObject
from .vocab import glyph_kind

__all__ = ["ASPECTS", "Box", "Placement", "SceneLayout", "aspect_of", "clip_into", "fit", "group_placement",
           "in_sky", "label_height", "scaled"]


Box = tuple[int, int, int, int]


# width / height of each glyph kind's drawing
ASPECTS = {"person": 0.55, "animal": 1.35, "bird": 1.1, "fish": 1.6, "vehicle": 1.7, "boat": 1.6,
           "aircraft": 1.7, "building": 0.8, "tree": 0.75, "flower": 0.6, "plant": 0.8, "celestial": 1.0,
           "fruit": 1.0, "cup": 0.85, "bottle": 0.45, "food": 1.3, "container": 1.2, "furniture": 1.2,
           "ball": 1.0, "device": 1.3, "tool": 0.5, "sign": 1.4}


@dataclass
class Placement:
    key: str  # the object's identity: its index in the first scene drawn, or "new:..." for added ones
    box: Box  # the whole object: every instance and the name label under them
    instances: list[Box]
    flips: list[bool]
    z: float
    anchor_key: str | None = None  # placed relative to this object (moves with it)
    mode: str = "root"  # root or the attached kind: inside, on_top, ...


@dataclass
class SceneLayout:
    placements: list[Placement]
    # symmetry axes to draw (thin vertical boxes), each with the keys of the objects it belongs to
    axes: list[tuple[tuple[str, ...], Box]] = field(default_factory=list)


def aspect_of(obj: SceneObject) -> float:
    """Width / height of the object's drawing: its pictogram's, else its glyph kind's; a body
    lying on its side is as wide as it was tall."""
    from .emoji import emoji_for, glyph_image
    from .poses import lies_flat

    found = emoji_for(obj)
    if found is not None:
        pic = glyph_image(found[0])
        aspect = pic.width / max(1, pic.height)
    else:
        aspect = ASPECTS.get(glyph_kind(obj), 1.0)
    return 1 / aspect if lies_flat(obj.action) and aspect < 1 else aspect


def in_sky(obj: SceneObject) -> bool:
    """Whether ``obj`` is drawn up in the sky rather than standing on the ground."""
    from .poses import pose_name

    return glyph_kind(obj) in ("celestial", "aircraft") or pose_name(obj.action) == "fly"


def label_height(canvas_h: int) -> int:
    return max(11, round(canvas_h * 0.034))


def fit(cx: float, cy: float, w: float, h: float, aspect: float) -> Box:
    """The largest box of ``aspect`` (w/h) inside w x h centred on (cx, cy)."""
    if w / max(h, 1) > aspect:
        w = h * aspect
    else:
        h = w / aspect
    return round(cx - w / 2), round(cy - h / 2), round(cx + w / 2), round(cy + h / 2)


def group_placement(obj: SceneObject, key: str, region: Box, label_h: int, z: float,
                    symmetric: bool = False, **extra) -> Placement:
    """``obj`` (all ``count`` instances and its label) laid out inside ``region``."""
    x0, y0, x1, y1 = region
    body = (x0, y0, x1, max(y0 + 4, y1 - label_h))
    aspect = aspect_of(obj)
    n = obj.count
    bw, bh = body[2] - body[0], body[3] - body[1]
    if symmetric:
        cols = n
    else:  # the column count that makes each instance biggest
        cols = max(range(1, n + 1), key=lambda c: (min(bw / c / aspect, bh / math.ceil(n / c)), -c))
    rows = math.ceil(n / cols)
    cw, ch = bw / cols, bh / rows
    instances, flips = [], []
    for i in range(n):
        r, c = divmod(i, cols)
        in_row = min(cols, n - r * cols)  # centre a short last row
        offset = (cols - in_row) * cw / 2
        cx = body[0] + offset + (c + 0.5) * cw
        cy = body[1] + (r + 0.5) * ch
        fx0, fy0, fx1, fy1 = fit(cx, cy, cw * 0.88, ch * 0.88, aspect)
        drop = round(body[1] + (r + 1) * ch - ch * 0.04 - fy1)  # resting on the bottom of its cell
        instances.append((fx0, fy0 + drop, fx1, fy1 + drop))
        flips.append(symmetric and cx > (body[0] + body[2]) / 2)
    ux0 = min(b[0] for b in instances)
    ux1 = max(b[2] for b in instances)
    uy0 = min(b[1] for b in instances)
    uy1 = max(b[3] for b in instances)
    cx = (ux0 + ux1) / 2
    label_w = max(ux1 - ux0, min(x1 - x0, label_h * max(6, len(obj.name) * 0.62)))
    box = (round(min(ux0, cx - label_w / 2)), uy0, round(max(ux1, cx + label_w / 2)), uy1 + label_h)
    return Placement(key=key, box=box, instances=instances, flips=flips, z=z, **extra)


def scaled(region: Box, fx: float, fy: float, ax: float = 0.5, ay: float = 0.5) -> Box:
    """A sub-box of ``region`` of relative size (fx, fy), anchored at (ax, ay) of the free room."""
    x0, y0, x1, y1 = region
    w, h = (x1 - x0) * fx, (y1 - y0) * fy
    left = x0 + (x1 - x0 - w) * ax
    top = y0 + (y1 - y0 - h) * ay
    return round(left), round(top), round(left + w), round(top + h)


def clip_into(box: Box, canvas: Box) -> Box:
    """``box`` shifted (and if needed shrunk) so it lies inside ``canvas``."""
    x0, y0, x1, y1 = box
    w, h = min(x1 - x0, canvas[2] - canvas[0]), min(y1 - y0, canvas[3] - canvas[1])
    x0 = min(max(x0, canvas[0]), canvas[2] - w)
    y0 = min(max(y0, canvas[1]), canvas[3] - h)
    return x0, y0, x0 + w, y0 + h
