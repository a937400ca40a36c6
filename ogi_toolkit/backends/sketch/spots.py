"""Places for objects an edit adds or moves: a free spot that covers no other object, a spot
named by position words ("on the left", "at the top"), or beside an anchor object."""
from __future__ import annotations

from ...spec import SceneObject
from .placement import Box, Placement, clip_into, group_placement, in_sky
from .vocab import stable_int

__all__ = ["beside", "free_spot", "position_spot"]


def free_spot(obj: SceneObject, key: str, seed: int, taken: list[Box], area: Box, label_h: int,
              scale: float, z: float) -> Placement:
    """A place for a new object that covers no other (tried in a seeded order, shrinking
    until one is free), else the one that covers others least."""
    x0, y0, x1, y1 = area
    grid = [(x0 + (c + 0.5) * (x1 - x0) / 6, y0 + (r + 0.5) * (y1 - y0) / 6) for r in range(6) for c in range(6)]
    # lowest rows first (an added object stands on the ground, not in the air), the sky's top rows
    # first for what flies; a seeded order within a row
    sky = in_sky(obj)
    grid.sort(key=lambda p: (p[1] if sky else -p[1], stable_int("spot", seed, key, p)))
    best, best_overlap = None, None
    for shrink in (1.0, 0.75, 0.55, 0.4):
        side = min(x1 - x0, y1 - y0) * 0.32 * max(0.35, min(1.2, scale)) * shrink
        for cx, cy in grid:
            region = clip_into((round(cx - side / 2), round(cy - side / 2), round(cx + side / 2),
                                round(cy + side / 2 + label_h)), area)
            overlap = sum(_overlap(region, t) for t in taken) / max(1, (region[2] - region[0]) * (region[3] - region[1]))
            if best_overlap is None or overlap < best_overlap:
                best, best_overlap = region, overlap
            if overlap == 0:
                return group_placement(obj, key, region, label_h, z)
    return group_placement(obj, key, best, label_h, z)


def _overlap(a: Box, b: Box) -> int:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)


_POSITION_WORDS = {"left": (0.2, None), "right": (0.8, None), "top": (None, 0.25), "upper": (None, 0.25),
                   "bottom": (None, 0.78), "lower": (None, 0.78), "centre": (0.5, 0.55),
                   "center": (0.5, 0.55), "middle": (0.5, 0.55)}


def position_spot(obj: SceneObject, key: str, where: str, area: Box, label_h: int, scale: float,
                  z: float, taken: list[Box] = ()) -> Placement:
    """The object placed at a named position of the picture ("top left", "right", "center");
    where that covers another object, the same side higher or lower (a position that names no
    height: on the ground first), shrinking if need be."""
    fx, fy = 0.5, 0.55
    for word in where.lower().replace("-", " ").replace("_", " ").split():
        if word in _POSITION_WORDS:
            wx, wy = _POSITION_WORDS[word]
            fx = wx if wx is not None else fx
            fy = wy if wy is not None else fy
    x0, y0, x1, y1 = area
    named_height = any(w in where.lower() for w in ("top", "upper", "bottom", "lower", "centre", "center", "middle"))
    heights = [fy] if named_height else [0.78, 0.55, 0.25]
    heights += [h for h in (0.78, 0.55, 0.25) if h not in heights]
    best = None
    for shrink in (1.0, 0.75, 0.55):
        side = min(x1 - x0, y1 - y0) * 0.32 * max(0.35, min(1.2, scale)) * shrink
        # at the asked height first, slid sideways; only then higher or lower (not up in the air)
        for hy, dx in [(hy, dx) for hy in heights for dx in (0.0, 0.15, -0.15, 0.3, -0.3)]:
            cx, cy = x0 + min(0.95, max(0.05, fx + dx)) * (x1 - x0), y0 + hy * (y1 - y0)
            region = clip_into((round(cx - side / 2), round(cy - side / 2), round(cx + side / 2),
                                round(cy + side / 2 + label_h)), area)
            overlap = sum(_overlap(region, t) for t in taken)
            if best is None or overlap < best[0]:
                best = (overlap, region)
            if overlap == 0:
                return group_placement(obj, key, region, label_h, z)
    return group_placement(obj, key, best[1], label_h, z)


def beside(kind: str, obj: SceneObject, key: str, anchor: Placement, area: Box, label_h: int,
           scale: float, z: float, taken: list[Box] = (), side_px: float | None = None) -> Placement:
    """A planar placement next to ``anchor`` (left / right / above / below of it): the biggest
    that keeps the relation true once inside the picture and covers other objects least.
    ``side_px`` keeps a moved object's own size (else it is sized from the anchor); before
    shrinking, the spot slides across the relation's axis to find free room."""
    ax0, ay0, ax1, ay1 = anchor.box
    gap = max(4, (area[2] - area[0]) * 0.02)
    acx, acy = (ax0 + ax1) / 2, (ay0 + ay1) / 2
    base = side_px or min(ax1 - ax0, ay1 - ay0) * max(0.35, min(1.2, scale))
    best = None
    for shrink in (1.0, 0.8, 0.6, 0.45, 0.3):
        side = base * shrink
        for slide in (0.0, 0.6, -0.6, 1.2, -1.2):
            cx, cy = acx, acy
            if kind == "left":
                cx, cy = ax0 - gap - side / 2, acy + slide * side
            elif kind == "right":
                cx, cy = ax1 + gap + side / 2, acy + slide * side
            elif kind == "above":
                cx, cy = acx + slide * side, ay0 - gap - side / 2
            else:
                cx, cy = acx + slide * side, ay1 + gap + side / 2
            region = clip_into((round(cx - side / 2), round(cy - side / 2), round(cx + side / 2), round(cy + side / 2)), area)
            rx, ry = (region[0] + region[2]) / 2, (region[1] + region[3]) / 2
            holds = {"left": rx < acx, "right": rx > acx, "above": ry < acy}.get(kind, ry > acy)
            overlap = sum(_overlap(region, t) for t in taken) / max(1, (region[2] - region[0]) * (region[3] - region[1]))
            score = (not holds, overlap > 0.05, overlap)
            if best is None or score < best[0]:
                best = (score, region)
            if holds and overlap <= 0.05:
                return group_placement(obj, key, region, label_h, z)
    return group_placement(obj, key, best[1], label_h, z)
