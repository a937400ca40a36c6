"""Where each object goes: boxes that satisfy the relations a scene states.

Generation: objects that stand on their own ("roots") get grid cells ordered by the planar
relations (``left_of`` orders columns, ``above`` orders rows in a column); objects placed
relative to another (inside, on top of, under, in front of, behind, surrounding, flanking,
mirroring) are put in or around their anchor's box. Comparative relations scale sizes.

Editing keeps every untouched object exactly where it was (see :mod:`.edit_layout`): a
placement depends on the object's own identity (``key``), never on its index among others.
"""
from __future__ import annotations

import math

from ...spec import Scene, SceneObject
from .grid import attachments, grid_cells
from .placement import Box, Placement, SceneLayout, aspect_of, clip_into, fit, group_placement, in_sky, scaled
from .sizes import comparisons, make_comparisons_true, size_factors

__all__ = ["attach", "layout_scene"]


# where a root sits in its cell when others are attached to it: (fx, fy, ax, ay)
_ROOM_FOR = {"on_top": (0.9, 0.58, 0.5, 1.0), "under": (0.9, 0.58, 0.5, 0.0),
             "surround": (0.5, 0.5, 0.5, 0.5), "flank": (0.46, 0.8, 0.5, 0.5),
             "front": (0.7, 0.78, 0.0, 0.3), "behind": (0.72, 0.72, 1.0, 1.0),
             "mirror": (0.48, 0.9, 0.0, 0.5)}


def attach(kind: str, obj: SceneObject, key: str, anchor: Placement, scale: float,
           label_h: int, canvas: Box) -> Placement:
    """``obj`` placed ``kind`` relative to ``anchor``; ``scale`` is its size over the anchor's."""
    first = anchor.instances[0]
    ax0, ay0, ax1, ay1 = first
    aw, ah = ax1 - ax0, ay1 - ay0
    s = min(1.0, max(0.35, scale))
    if kind == "inside":
        region = scaled(first, 0.58, 0.62)
        z = anchor.z + 0.01
    elif kind == "on_top":
        # the drawing rests on the anchor's top; its label strip hangs over the anchor and is
        # moved off it by the label placer
        w, h = aw * 0.8 * s, ah * 0.8 * s
        top = ay0 + ah * 0.04 - h
        region = (round((ax0 + ax1 - w) / 2), round(top), round((ax0 + ax1 + w) / 2), round(top + h + label_h))
        z = anchor.z + 0.01
    elif kind == "under":
        w, h = aw * 0.75 * s, ah * 0.7 * s + label_h
        top = anchor.box[3]
        region = (round((ax0 + ax1 - w) / 2), top, round((ax0 + ax1 + w) / 2), round(top + h))
        z = anchor.z - 0.01
    elif kind in ("front", "behind"):
        sign = 1 if kind == "front" else -1
        # its size relative to the anchor shows ("an enormous crow in front of a man")
        f = (1.0 if kind == "front" else 0.85) * min(1.5, max(0.35, scale))
        bx0, by0, bx1, by1 = anchor.box
        w, h = (bx1 - bx0) * f, (by1 - by0) * f
        region = (round((bx0 + bx1 - w) / 2), round(by1 - h), round((bx0 + bx1 + w) / 2), by1)  # feet on the same ground
        # in front: nearer the viewer, so lower in the picture, and to one side so both show
        dx, dy = sign * aw * 0.45, sign * min(ah * 0.22, h * 0.35)
        region = (round(region[0] + dx), round(region[1] + dy), round(region[2] + dx), round(region[3] + dy))
        z = anchor.z + 0.02 * sign
    elif kind == "mirror":
        region = anchor.box
        axis = anchor.box[2] + max(4, aw * 0.06)
        region = (round(2 * axis - region[2]), region[1], round(2 * axis - region[0]), region[3])
        placed = group_placement(obj, key, clip_into(region, canvas), label_h, anchor.z + 0.01,
                                 anchor_key=anchor.key, mode=kind)
        placed.flips = [True] * len(placed.flips)
        return placed
    else:  # surround, flank: the instances go around / either side of the anchor
        return _around(kind, obj, key, anchor, s, label_h, canvas)
    return group_placement(obj, key, clip_into(region, canvas), label_h, z, anchor_key=anchor.key, mode=kind)


def _around(kind: str, obj: SceneObject, key: str, anchor: Placement, s: float, label_h: int,
            canvas: Box) -> Placement:
    ux0 = min(b[0] for b in anchor.instances)
    uy0 = min(b[1] for b in anchor.instances)
    ux1 = max(b[2] for b in anchor.instances)
    uy1 = max(b[3] for b in anchor.instances)
    cx, cy = (ux0 + ux1) / 2, (uy0 + uy1) / 2
    side = max(8.0, min(ux1 - ux0, uy1 - uy0) * 0.45 * s)
    n, aspect = obj.count, aspect_of(obj)
    centers = []
    if kind == "surround":
        rx, ry = (ux1 - ux0) / 2 + side * 0.6, (uy1 - uy0) / 2 + side * 0.6
        for i in range(n):
            ang = -math.pi / 2 + 2 * math.pi * i / n
            centers.append((cx + rx * math.cos(ang), cy + ry * math.sin(ang)))
    else:  # flank: alternate left / right, rows going down
        for i in range(n):
            side_sign = -1 if i % 2 == 0 else 1
            row = i // 2
            rows = math.ceil(n / 2)
            centers.append((cx + side_sign * ((ux1 - ux0) / 2 + side * 0.65),
                            cy + (row - (rows - 1) / 2) * side * 1.1))
    instances = [clip_into(fit(px, py, side, side, aspect), canvas) for px, py in centers]
    flips = [kind == "flank" and (b[0] + b[2]) / 2 > cx for b in instances]
    box = (min(b[0] for b in instances), min(b[1] for b in instances),
           max(b[2] for b in instances), max(b[3] for b in instances) + label_h)
    return Placement(key=key, box=box, instances=instances, flips=flips, z=anchor.z + 0.01,
                     anchor_key=anchor.key, mode=kind)


def layout_scene(scene: Scene, area: Box, canvas: Box, label_h: int, keys: list[str] | None = None) -> SceneLayout:
    """Placements for every object of a scene drawn from scratch (a generation or a source)."""
    n = len(scene.objects)
    keys = keys or [str(i) for i in range(n)]
    attached = attachments(scene)
    factors = size_factors(scene)
    roots = [i for i in range(n) if i not in attached]
    # roots are sized against roots only: what hangs on them is sized against its anchor
    top = max((factors[i] for i in roots), default=1.0)
    layout_word = (scene.layout or "").lower()
    # free layouts (and rows, comparisons) share the width by size; fixed patterns keep equal cells
    sized = not layout_word.startswith(("trajectory", "circle", "ring", "radial", "symmetric", "grid", "column",
                                        "stack", "vertical", "panels"))
    weights = {i: max(0.3, factors[i] / top) * max(0.5, aspect_of(scene.objects[i])) for i in roots} if sized else None
    cells = grid_cells(scene, roots, attached, area, weights)
    symmetric = (scene.layout or "").lower() == "symmetric"
    kinds_on = {a: {k for s, (k, a2) in attached.items() if a2 == a} for a in range(n)}
    placements: list[Placement | None] = [None] * n
    axes: list[tuple[tuple[str, ...], Box]] = []
    for i in roots:
        cell = cells[i]
        for kind in sorted(kinds_on[i]):
            if kind in _ROOM_FOR:
                cell = scaled(cell, *_ROOM_FOR[kind])
        rel = max(0.3, factors[i] / top) * (0.6 if (scene.layout or "").lower().startswith("trajectory") else 1)
        # things stand on the floor of their cell; what flies or shines hangs in the sky
        region = scaled(cell, 0.9 * (1 if sized else rel) if not symmetric else 0.94, 0.88 * rel, 0.5,
                         0.1 if in_sky(scene.objects[i]) else 1.0)
        placements[i] = group_placement(scene.objects[i], keys[i], region, label_h, 1 + 0.001 * i,
                                        symmetric=symmetric)
    compared = comparisons(scene)
    anchors = {a for _, (_, a) in attached.items()}
    make_comparisons_true(placements, [c for c in compared if c[0] in roots and c[1] in roots], anchors)
    if symmetric:
        mid = round((area[0] + area[2]) / 2)
        axes.append(((), (mid - 1, area[1], mid + 1, area[3])))
    pending = [i for i in range(n) if i in attached]
    while pending:  # anchors before what hangs on them
        for i in list(pending):
            kind, anchor = attached[i]
            if placements[anchor] is None:
                continue
            placed = attach(kind, scene.objects[i], keys[i], placements[anchor],
                            factors[i] / max(factors[anchor], 1e-6), label_h, canvas)
            placements[i] = placed
            if kind == "mirror":
                a = placements[anchor].box
                mid = (a[2] + placed.box[0]) // 2
                axes.append(((keys[i], keys[anchor]),
                             (mid - 1, min(a[1], placed.box[1]), mid + 1, max(a[3], placed.box[3]))))
            pending.remove(i)
    # attached objects are sized against their anchors: a comparison they are in is settled now
    make_comparisons_true(placements, [c for c in compared if c[0] not in roots or c[1] not in roots], anchors)
    return SceneLayout([p for p in placements if p is not None], axes)
