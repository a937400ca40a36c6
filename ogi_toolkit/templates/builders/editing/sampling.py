"""Sampling a plausible source scene for an editing item (fast: a plan makes ~40k of them).

:func:`build_source` picks a place, the object to edit and a few others that belong there
(the scene's ``categories``), dressed in plausible colours and materials. Difficulty lives
mostly here: at grade 1 the edited object is the only one of its kind; at grade 2 a *twin*
of another colour (or material) is in the picture, so the instruction has to say which one
("the blue mug"); at grade 3 the twin looks the same, so only a relation or a position tells
them apart ("the mug next to the laptop", "the mug on the left").
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

from ..kit import SIZE_RANK, Obj, changed, dress, looks, shuffled
from .source_scenes import Source

__all__ = ["Resample", "retrying", "pick_other", "furnished", "fits", "relate", "add_twin", "build_source", "shuffle",
           "REFER_RELATIONS"]

# Relations that can single out an object ("the mug next to the laptop"): planar, depth, contact.
REFER_RELATIONS = ("next_to", "left_of", "right_of", "in_front_of", "behind", "on_top_of", "under")


class Resample(ValueError):
    """This draw cannot make a valid item (nothing fits); the builder draws again."""


RETRIES = 30


def retrying(build: Callable) -> Callable:
    """Decorator for builders: draw again (with the same rng, so still deterministic) when a
    draw raises :class:`Resample`; fail with a clear error after ``RETRIES`` draws."""
    @functools.wraps(build)
    def wrapper(ctx):
        for _ in range(RETRIES):
            try:
                return build(ctx)
            except Resample:
                continue
        raise ValueError(f"subtask {ctx.subtask!r}: no valid item in {RETRIES} draws at difficulty "
                         f"{ctx.difficulty}; the pools offer too little for this builder")
    return wrapper


def pick_other(rng, seq: Sequence, avoid):
    """One element of ``seq`` whose ``id`` is not ``avoid`` (uniformly), or None when there
    is none. By rejection: filtering the whole list for every item cost more than the draws."""
    if not any(x.id != avoid for x in seq):  # stops at the first element that differs
        return None
    while True:
        x = rng.choice(seq)
        if x.id != avoid:
            return x


def furnished(ctx, item, material: bool | None = None):
    """``item`` dressed for a source scene: a plausible colour, and a material when it has
    some (always when ``material``, half the time when None)."""
    with_material = material or (material is None and ctx.rng.random() < 0.5)
    return dress(ctx, item, ("colour", "material") if with_material else ("colour",))


# --- building a source --------------------------------------------------------------------

def fits(subject: Obj, anchor: Obj, relation: str) -> bool:
    """Whether ``subject relation anchor`` is physically plausible, by size and animacy:
    only smaller things on top of (and much smaller things under) a lifeless anchor, and
    nothing in front of or behind something of a very different size."""
    s, o = SIZE_RANK[subject.item.size_class], SIZE_RANK[anchor.item.size_class]
    if relation == "on_top_of":
        return not anchor.item.animate and o > s and anchor.count == 1
    if relation == "under":
        return not anchor.item.animate and o >= s + 2
    if relation in ("in_front_of", "behind"):
        return abs(o - s) <= 2
    return True


def relate(ctx, src: Source, i: int, j: int, relations: Sequence[str] = REFER_RELATIONS) -> str | None:
    """Record a plausible relation of object ``i`` to object ``j``; returns its id or None."""
    options = [r for r in relations if fits(src.objects[i], src.objects[j], r)]
    if not options:
        return None
    rel = ctx.rng.choice(options)
    src.relations.append((i, rel, j))
    return rel


def add_twin(ctx, src: Source, i: int, *, same_look: bool) -> int | None:
    """Put a second object of the kind of object ``i`` into ``src``: of another colour (or
    material) unless ``same_look``. Returns the twin's index, or None when no look differs."""
    obj = src.objects[i]
    twin = changed(obj, action=None, origin=None)
    if not same_look:
        colours, materials = looks(ctx, obj.item)
        colour = pick_other(ctx.rng, colours, obj.colour.id) if obj.colour is not None else None
        material = pick_other(ctx.rng, materials, obj.material.id) if colour is None and obj.material is not None else None
        if colour is not None:
            twin.colour = colour
        elif material is not None:
            twin.material = material
        else:
            return None
    src.objects.append(twin)
    return len(src.objects) - 1


def build_source(ctx, *, n_objects: int, target: Callable[[Any], bool] | None = None,
                 place_filter: Callable[[Any], bool] | None = None, grade: int = 1) -> tuple[Source, int]:
    """A source of about ``n_objects`` objects and the index of the object to edit.

    ``target`` filters pool objects the edited one may be; ``grade`` decides how it must be
    named (see the module docstring): a twin of another look at 2, of the same look plus a
    relation or position at 3.
    """
    rng, idx = ctx.rng, ctx.index
    item = None
    for _ in range(50):  # draw by rejection: filtering whole lists per item is too slow for a plan
        place = rng.choice(idx.places)
        if place_filter is not None and not place_filter(place):
            continue
        pool = idx.candidates[place.id]
        for _ in range(10):
            candidate = rng.choice(pool)
            if target is None or target(candidate):
                item = candidate
                break
        if item is not None:
            break
    else:
        raise Resample(f"subtask {ctx.subtask!r}: no scene offers an object for this edit")
    src = Source(place=place, objects=[furnished(ctx, item, material=grade == 2 or None)])
    if grade >= 2 and add_twin(ctx, src, 0, same_look=grade == 3) is None:
        add_twin(ctx, src, 0, same_look=True)  # no other look: tell them apart by relation instead
        grade = 3
    chosen = {item.id}
    for _ in range(4 * n_objects):
        if len(src.objects) >= n_objects:
            break
        filler = rng.choice(pool)
        if filler.id not in chosen:
            chosen.add(filler.id)
            src.objects.append(furnished(ctx, filler))
    if grade == 3:
        # The target relates to an anchor (a filler) or, failing that, sits left/right of its twin.
        anchors = range(2, len(src.objects))
        rel = relate(ctx, src, 0, rng.choice(anchors)) if anchors and rng.random() < 0.75 else None
        if rel is None:
            src.relations.append((0, rng.choice(("left_of", "right_of")), 1))
    elif len(src.objects) >= 3 and rng.random() < 0.5:  # some context for the description
        relate(ctx, src, len(src.objects) - 1, 0)
    if rng.random() < 0.3:
        src.lighting = rng.choice(ctx.pools["lighting"])
    return shuffle(ctx, src, 0)


def shuffle(ctx, src: Source, keep: int) -> tuple[Source, int]:
    """``src`` with its objects in random order (the target is not always first); returns
    the new index of object ``keep``."""
    order = shuffled(ctx.rng, range(len(src.objects)))
    new_of = {old: new for new, old in enumerate(order)}
    src.objects = [src.objects[k] for k in order]
    src.relations = [(new_of[s], r, new_of[o]) for s, r, o in src.relations]
    src.texts = [changed(t, on=new_of[t.on]) for t in src.texts]
    return src, new_of[keep]
