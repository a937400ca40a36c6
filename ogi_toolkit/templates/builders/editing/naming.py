"""Naming things in an editing instruction: an object without ambiguity, a place.

:func:`refer` finds the shortest description that singles one object of a source out ("the
mug", "the blue mug", "the mug next to the laptop", "the mug on the left"), and returns the
canonical ids it used, which go into the spec's slots. :func:`scene_words` gives the words
templates use for the input image's place.
"""
from __future__ import annotations

import functools
import re

from .sampling import pick
from .source_scenes import Source

__all__ = ["refer", "location_phrases", "place_np", "scene_words"]

def place_np(place) -> str:
    """The place as a definite noun phrase: "the kitchen", "the surface of Mars", "deep space"."""
    name = place.name
    if name[:1].isupper() or name.endswith("space"):
        return name
    return f"the {name}"


_FIRST_ARTICLE = re.compile(r"\b(a|an)\b")
PHOTO_NOUNS = ("photo", "picture", "shot", "image", "snapshot")


def scene_words(ctx, place) -> dict:
    """The words every editing template may use for the input image's place:

    ``scene`` ("the kitchen"), ``scene_in`` (its phrase made definite: "in the bright home
    kitchen"), ``this_photo`` ("this kitchen snapshot", "this photo of the surface of Mars")
    and ``the_rest`` ("the rest of the kitchen", "everything else in the bright home kitchen").
    """
    rng = ctx.rng
    scene = place_np(place)
    scene_in = _FIRST_ARTICLE.sub("the", place.phrase, count=1)
    noun = pick(rng, PHOTO_NOUNS)
    this_photo = f"this {noun} of {scene}" if " of " in place.name else f"this {place.name} {noun}"
    the_rest = pick(rng, (f"the rest of {scene}", f"everything else {scene_in}", f"the rest of {this_photo}"))
    return {"scene": scene, "scene_in": scene_in, "this_photo": this_photo, "the_rest": the_rest}


_NOT_A_PLACE = ("ahead of", "before")  # synonyms of "in front of" that read as time, not place


@functools.lru_cache(maxsize=256)
def location_phrases(pools, relation: str) -> tuple:
    """How a relation places one object by another: its phrases ("next to", "beside",
    "alongside"), never one that reads as time ("ahead of")."""
    phrases = pools.get("relations", relation).phrases
    return tuple(p for p in phrases if p not in _NOT_A_PLACE) or phrases[:1]


def refer(ctx, src: Source, i: int, *, detail: bool = False, new_labels: dict | None = None,
          use_material: bool = True) -> tuple[str, dict] | None:
    """How to name object ``i`` so that no other object of ``src`` fits: (phrase, slot).

    The phrase is a definite noun phrase ("the blue mug", "the mug next to the laptop",
    "the mug on the left"); the slot holds the canonical ids the phrase uses. ``detail``
    adds the colour even when the name alone would do. ``new_labels`` maps an origin
    ("added", "replaced") to how an object an earlier edit made is named: a label before
    the noun ("new": "the new dog") or a clause after it ("you added": "the dog you added").
    None when nothing singles the object out.
    """
    obj, rng = src.objects[i], ctx.rng
    twins = src.same_kind(i)
    slot: dict = {"object": obj.item.id}
    label = (new_labels or {}).get(obj.origin)
    if label and not any(src.objects[j].origin for j in twins):
        slot["made_by"] = obj.origin
        return (f"the {obj.noun} {label}" if label.startswith("you") else f"the {label} {obj.noun}"), slot
    if not twins:
        if detail and obj.colour is not None:
            slot["colour"] = obj.colour.id
            return f"the {obj.phrase(material=False, texture=False, size=False)}", slot
        return f"the {obj.noun}", slot
    if obj.colour is not None and all(src.objects[j].colour is None or src.objects[j].colour.id != obj.colour.id for j in twins):
        slot["colour"] = obj.colour.id
        return f"the {obj.phrase(material=False, texture=False, size=False)}", slot
    if use_material and obj.material is not None and all(
            src.objects[j].material is None or src.objects[j].material.id != obj.material.id for j in twins):
        slot["material"] = obj.material.id
        return f"the {obj.material.adjective} {obj.noun}", slot
    for s, rel, o in src.relations:
        if i not in (s, o):
            continue
        other = o if s == i else s
        if rel in ("left_of", "right_of") and other in twins and len(twins) == 1:
            # "the mug on the left": the target is left of its only twin (or right, reversed)
            side = "left" if (rel == "left_of") == (s == i) else "right"
            slot["position"] = side
            return pick(rng, (f"the {obj.noun} on the {side}", f"the {side}-hand {obj.noun}")), slot
        if s == i and o not in twins and not src.same_kind(o) and not any((j, rel, o) in src.relations for j in twins):
            slot.update(relation=rel, anchor=src.objects[o].item.id)
            return f"the {obj.noun} {pick(rng, location_phrases(ctx.pools, rel))} the {src.objects[o].noun}", slot
    return None
