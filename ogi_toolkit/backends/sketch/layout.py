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
from dataclasses import dataclass, field

from ...spec import Scene, SceneObject
from .vocab import ATTACHED_KINDS, glyph_kind, relation_kind, size_factor, stable_int

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


def _fit(cx: float, cy: float, w: float, h: float, aspect: float) -> Box:
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
        fx0, fy0, fx1, fy1 = _fit(cx, cy, cw * 0.88, ch * 0.88, aspect)
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


def _scaled(region: Box, fx: float, fy: float, ax: float = 0.5, ay: float = 0.5) -> Box:
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


def _scale_factor(obj: SceneObject) -> float:
    """How many times bigger a comparison makes ``obj``: its ``scale_factor`` attribute
    (clamped to what a picture can show), else 1.6."""
    try:
        return min(6.0, max(1.6, float(obj.attributes.get("scale_factor", "1.6"))))
    except ValueError:
        return 1.6


def size_factors(scene: Scene) -> list[float]:
    """Each object's drawing scale, after comparative relations are made true."""
    factors = [size_factor(o) for o in scene.objects]
    comparisons = []
    for r in scene.relations:
        kind, swapped = relation_kind(r.relation)
        if kind == "larger" and r.object is not None and r.object < len(factors) and r.subject != r.object:
            big, small = (r.object, r.subject) if swapped else (r.subject, r.object)
            comparisons.append((big, small))
    for _ in range(3):  # a few passes settle short chains (a > b > c)
        for big, small in comparisons:
            times = _scale_factor(scene.objects[big])  # "five times as wide": the ratio asked for
            if factors[big] < factors[small] * times:
                factors[big] = factors[small] * times
    return factors


def attachments(scene: Scene) -> dict[int, tuple[str, int]]:
    """subject -> (kind, anchor) for objects placed relative to another one (no cycles)."""
    attached: dict[int, tuple[str, int]] = {}
    n = len(scene.objects)
    for r in scene.relations:
        kind, swapped = relation_kind(r.relation)
        if kind not in ATTACHED_KINDS or r.object is None or r.object >= n or r.subject >= n:
            continue
        subject, anchor = (r.object, r.subject) if swapped else (r.subject, r.object)
        if subject == anchor or subject in attached:
            continue
        probe, seen = anchor, {subject}
        while probe in attached and probe not in seen:  # refuse a loop (a inside b inside a)
            seen.add(probe)
            probe = attached[probe][1]
        if probe not in seen:
            attached[subject] = (kind, anchor)
    return attached


def _topological(nodes: list[int], edges: set[tuple[int, int]]) -> list[int]:
    """Kahn's order, smallest index first; a cycle is broken at its smallest node."""
    remaining, order = set(nodes), []
    while remaining:
        free = [n for n in remaining if not any(b == n and a in remaining for a, b in edges)]
        pick = min(free) if free else min(remaining)
        order.append(pick)
        remaining.discard(pick)
    return order


def _root_of(i: int, attached: dict[int, tuple[str, int]]) -> int:
    while i in attached:
        i = attached[i][1]
    return i


def _grid_cells(scene: Scene, roots: list[int], attached, area: Box,
                weights: dict[int, float] | None = None) -> dict[int, Box]:
    """Cells for the root objects: columns by the left-of relations, rows by the above ones.
    ``weights`` (the width each object needs: its size times its aspect) sets each column's
    share of the width, so a skyscraper's column is wider than a deer's."""
    left, above, diagonal = set(), set(), set()
    for r in scene.relations:
        kind, swapped = relation_kind(r.relation)
        if r.object is None or r.object >= len(scene.objects) or r.subject >= len(scene.objects):
            continue
        a, b = (r.object, r.subject) if swapped else (r.subject, r.object)
        a, b = _root_of(a, attached), _root_of(b, attached)
        if a == b:
            continue
        if kind in ("left", "interact"):
            left.add((a, b))
        elif kind == "adjacent":
            left.add((b, a))  # "a next to b": a on b's right
        elif kind == "above":
            above.add((a, b))
        elif kind == "above_left":  # a diagonal: left of it, and higher up
            left.add((a, b))
            diagonal.add((a, b))
    layout = (scene.layout or "").lower()
    x0, y0, x1, y1 = area
    if layout.startswith("trajectory") and len(roots) > 1 and roots[0] == 0:
        # the mover is drawn along its path; the others spread out to mark its start and end
        cells = _grid_cells(scene.model_copy(update={"layout": "row"}), roots[1:], attached, area)
        return {0: cells[roots[1]], **cells}
    if layout in ("column", "stack", "vertical"):
        columns = [_topological(roots, above)]
    elif layout in ("row", "line", "horizontal", "symmetric"):
        columns = [[r] for r in _topological(roots, left)]
        if layout == "symmetric":  # one centred row per object
            columns = [[r for c in columns for r in c]]
    elif layout == "grid" or (not left and not above and len(roots) > 3):
        cols = math.ceil(math.sqrt(len(roots)))
        columns = [roots[c::cols] for c in range(cols)]
    else:
        parent = {r: r for r in roots}

        def find(n: int) -> int:
            while parent[n] != n:
                n = parent[n]
            return n

        for a, b in above:  # objects stacked vertically share a column
            ra, rb = find(a), find(b)
            if ra != rb and (a, b) not in left and (b, a) not in left:
                parent[max(ra, rb)] = min(ra, rb)
        groups: dict[int, list[int]] = {}
        for r in roots:
            groups.setdefault(find(r), []).append(r)
        group_edges = {(find(a), find(b)) for a, b in left if find(a) != find(b)}
        columns = [_topological(groups[g], above) for g in _topological(sorted(groups), group_edges)]
        if len(columns) > 3 and all(len(c) == 1 for c in columns):
            columns = _two_high(columns, left | above)
    cells: dict[int, Box] = {}
    shares = [max((weights or {}).get(m, 1.0) for m in members) if weights else 1.0 for members in columns]
    left_x = x0
    for c, members in enumerate(columns):
        col_w = (x1 - x0) * shares[c] / max(1e-6, sum(shares))
        row_h = (y1 - y0) / max(1, len(members))
        for r, obj in enumerate(members):
            cells[obj] = (round(left_x), round(y0 + r * row_h), round(left_x + col_w), round(y0 + (r + 1) * row_h))
        left_x += col_w
    for a, b in diagonal:  # in columns of their own: the upper one in the top half, the other below
        if a in cells and b in cells and cells[a][0] != cells[b][0]:
            ax0, ay0, ax1, ay1 = cells[a]
            bx0, by0, bx1, by1 = cells[b]
            cells[a] = (ax0, ay0, ax1, round((ay0 + ay1) / 2))
            cells[b] = (bx0, round((by0 + by1) / 2), bx1, by1)
    if layout in ("circle", "ring", "radial") and len(roots) > 1:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        rad = min(x1 - x0, y1 - y0) * 0.33
        side = min(x1 - x0, y1 - y0) * 0.34
        for k, obj in enumerate(roots):
            ang = -math.pi / 2 + 2 * math.pi * k / len(roots)
            px, py = cx + rad * math.cos(ang), cy + rad * math.sin(ang)
            cells[obj] = (round(px - side / 2), round(py - side / 2), round(px + side / 2), round(py + side / 2))
    return cells


def _two_high(columns: list[list[int]], related: set[tuple[int, int]]) -> list[list[int]]:
    """More than three lone columns in one thin row: consecutive ones that no relation links
    share a column, so the objects are drawn bigger; the order of columns keeps every
    left-of relation true."""
    out: list[list[int]] = []
    for (obj,) in columns:
        last = out[-1] if out else None
        if last is not None and len(last) == 1 and (last[0], obj) not in related and (obj, last[0]) not in related:
            last.append(obj)
        else:
            out.append([obj])
    return out


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
        region = _scaled(first, 0.58, 0.62)
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
    instances = [clip_into(_fit(px, py, side, side, aspect), canvas) for px, py in centers]
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
    cells = _grid_cells(scene, roots, attached, area, weights)
    symmetric = (scene.layout or "").lower() == "symmetric"
    kinds_on = {a: {k for s, (k, a2) in attached.items() if a2 == a} for a in range(n)}
    placements: list[Placement | None] = [None] * n
    axes: list[tuple[tuple[str, ...], Box]] = []
    for i in roots:
        cell = cells[i]
        for kind in sorted(kinds_on[i]):
            if kind in _ROOM_FOR:
                cell = _scaled(cell, *_ROOM_FOR[kind])
        rel = max(0.3, factors[i] / top) * (0.6 if (scene.layout or "").lower().startswith("trajectory") else 1)
        # things stand on the floor of their cell; what flies or shines hangs in the sky
        region = _scaled(cell, 0.9 * (1 if sized else rel) if not symmetric else 0.94, 0.88 * rel, 0.5,
                         0.1 if in_sky(scene.objects[i]) else 1.0)
        placements[i] = group_placement(scene.objects[i], keys[i], region, label_h, 1 + 0.001 * i,
                                        symmetric=symmetric)
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
    return SceneLayout([p for p in placements if p is not None], axes)


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
