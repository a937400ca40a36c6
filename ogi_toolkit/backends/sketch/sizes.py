"""Sizes a scene states: each object's size factor (its size class, a "huge"/"tiny" word, a
comparison's scale), and boxes shrunk until every stated comparison holds in the drawing
("the mug is taller than the vase": the mug's instance box is taller)."""
from __future__ import annotations

import math
from dataclasses import replace

from ...spec import Scene, SceneObject
from .placement import Placement
from .vocab import COMPARED_DIMENSIONS, relation_kind, size_factor

__all__ = ["comparisons", "make_comparisons_true", "size_factors"]


def _scale_factor(obj: SceneObject) -> float:
    """How many times bigger a comparison makes ``obj``: its ``scale_factor`` attribute
    (clamped to what a picture can show), else 1.6."""
    try:
        return min(6.0, max(1.6, float(obj.attributes.get("scale_factor", "1.6"))))
    except ValueError:
        return 1.6


def comparisons(scene: Scene) -> list[tuple[int, int, str]]:
    """(bigger object, smaller object, dimension compared) of each size comparison."""
    out = []
    for r in scene.relations:
        kind, swapped = relation_kind(r.relation)
        if kind == "larger" and r.object is not None and r.object < len(scene.objects) and r.subject != r.object:
            big, small = (r.object, r.subject) if swapped else (r.subject, r.object)
            out.append((big, small, COMPARED_DIMENSIONS.get(r.relation, "area")))
    return out


def size_factors(scene: Scene) -> list[float]:
    """Each object's drawing scale, after comparative relations are made true."""
    factors = [size_factor(o) for o in scene.objects]
    for r in scene.relations:  # "the same size as": both drawn at the bigger one's scale
        if relation_kind(r.relation)[0] == "same_size" and r.object is not None and r.object < len(factors):
            factors[r.subject] = factors[r.object] = max(factors[r.subject], factors[r.object])
    # a pair compared twice ("a larger, but b taller") is scaled by its first comparison; the
    # boxes are made to show the second too where the aspects allow (make_comparisons_true)
    compared, pairs = [], set()
    for big, small, _dimension in comparisons(scene):
        if frozenset((big, small)) not in pairs:
            pairs.add(frozenset((big, small)))
            compared.append((big, small))
    for _ in range(3):  # a few passes settle short chains (a > b > c)
        for big, small in compared:
            times = _scale_factor(scene.objects[big])  # "five times as wide": the ratio asked for
            if factors[big] < factors[small] * times:
                factors[big] = factors[small] * times
    return factors


def _measure(p: Placement, dimension: str) -> float:
    """An object's drawn size in ``dimension`` (its first instance: what a viewer compares)."""
    x0, y0, x1, y1 = p.instances[0]
    w, h = x1 - x0, y1 - y0
    return {"width": w, "height": h, "length": max(w, h)}.get(dimension, math.sqrt(max(0, w * h)))


def _shrunk(p: Placement, s: float) -> Placement:
    """``p`` with every instance ``s`` times as big, standing where it stood (bottom centre
    kept), inside its old box, so it covers nothing new; its label stays put."""
    instances = []
    for x0, y0, x1, y1 in p.instances:
        cx, w, h = (x0 + x1) / 2, (x1 - x0) * s, (y1 - y0) * s
        instances.append((round(cx - w / 2), round(y1 - h), round(cx + w / 2), y1))
    return replace(p, instances=instances)


def _pair_scale(a: Placement, b: Placement, stated: list[tuple[str, bool]], margin: float) -> float:
    """How many times ``b`` must be drawn relative to ``a`` so every comparison of the pair
    holds: each (dimension, a is the bigger) bounds the ratio. 1.0 when they already hold;
    where the bounds exclude each other (a wider but b taller, and the aspects do not allow
    it), the first comparison stated wins."""
    lo, hi, first = 0.0, math.inf, None
    for dimension, a_bigger in stated:
        da, db = _measure(a, dimension), max(_measure(b, dimension), 1e-6)
        bound = (0.0, da / (margin * db)) if a_bigger else (margin * da / db, math.inf)
        first = first or bound
        lo, hi = max(lo, bound[0]), min(hi, bound[1])
    if lo > hi:
        lo, hi = first
    return min(max(1.0, lo), hi)


def make_comparisons_true(placements: list[Placement | None], compared: list[tuple[int, int, str]],
                          fixed: set[int] = frozenset()) -> None:
    """Shrink one object of each compared pair until the boxes show what the relations state
    in the dimension each states (aspects and cell widths can undo what the scales said: a
    tall goblin next to a wide griffin). ``fixed`` objects (anchors of others) are not shrunk."""
    margin = 1.15
    pairs: dict[tuple[int, int], list[tuple[str, bool]]] = {}
    for big, small, dimension in compared:  # both orders of a pair: "a larger, but b taller"
        key = (min(big, small), max(big, small))
        pairs.setdefault(key, []).append((dimension, big == key[0]))
    for _ in range(3):  # a few passes settle chains (a > b > c)
        for (i, j), stated in pairs.items():
            a, b = placements[i], placements[j]
            if a is None or b is None:
                continue
            s = _pair_scale(a, b, stated, margin)
            if s < 1.0 and j not in fixed:
                placements[j] = _shrunk(b, max(0.05, s))
            elif s > 1.0 and i not in fixed:
                placements[i] = _shrunk(a, max(0.05, 1 / s))
