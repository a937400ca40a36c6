"""Grid cells for the objects that stand on their own ("roots"), ordered by the planar
relations (``left_of`` orders columns, ``above`` rows in a column); which objects hang on
another (inside, on top of, ...) instead."""
from __future__ import annotations

import math

from ...spec import Scene
from .placement import Box
from .vocab import ATTACHED_KINDS, relation_kind

__all__ = ["attachments", "grid_cells"]


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


def grid_cells(scene: Scene, roots: list[int], attached, area: Box,
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
        cells = grid_cells(scene.model_copy(update={"layout": "row"}), roots[1:], attached, area)
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
