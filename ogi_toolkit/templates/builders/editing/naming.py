"""Naming things in an editing instruction: an object without ambiguity, a place.

:func:`refer` finds the shortest description that singles one object of a source out ("the
mug", "the blue mug", "the mug next to the laptop", "the mug on the left"), and returns the
canonical ids it used, which go into the spec's slots. :func:`place_words` gives the words
templates use for the input image's place.
"""
from __future__ import annotations

import re

from ogi_toolkit.templates.grammar import number_word

from ..kit import memo, phrases
from .source_scenes import Source

__all__ = ["refer", "detailed", "location_phrases", "place_np", "place_words"]

def place_np(place) -> str:
    """The place as a definite noun phrase: "the kitchen", "the surface of Mars", "deep space"."""
    name = place.name
    if name[:1].isupper() or name.endswith("space"):
        return name
    return f"the {name}"


_FIRST_ARTICLE = re.compile(r"\b(a|an)\b")


def place_words(ctx, place) -> dict:
    """The words every editing template may use for the input image's place:

    ``scene`` ("the kitchen"), ``scene_in`` (its phrase made definite: "in the bright home
    kitchen"), ``this_photo`` ("this kitchen snapshot", "this photo of the surface of Mars")
    and ``the_rest`` ("the rest of the kitchen", "everything else in the bright home kitchen").
    """
    rng = ctx.rng
    scene = place_np(place)
    scene_in = _FIRST_ARTICLE.sub("the", place.phrase, count=1)
    noun = rng.choice(phrases()["photo_nouns"])
    this_photo = f"this {noun} of {scene}" if " of " in place.name else f"this {place.name} {noun}"
    the_rest = rng.choice((f"the rest of {scene}", f"everything else {scene_in}", f"the rest of {this_photo}"))
    return {"scene": scene, "scene_in": scene_in, "this_photo": this_photo, "the_rest": the_rest}


_NOT_A_PLACE = ("ahead of", "before")  # synonyms of "in front of" that read as time, not place


def location_phrases(ctx, relation: str) -> tuple:
    """How a relation places one object by another: its phrases ("next to", "beside",
    "alongside"), never one that reads as time ("ahead of")."""
    def compute():
        phrases = ctx.pools.get("relations", relation).phrases
        return tuple(p for p in phrases if p not in _NOT_A_PLACE) or phrases[:1]
    return memo(ctx, ("location_phrases", relation), compute)


def detailed(ctx) -> bool:
    """Whether to describe the edited object more than needed ("the blue ceramic mug"):
    sometimes at grade 1, more often when the instruction is harder anyway."""
    return bool(ctx.rng.random() < (0.3 if ctx.difficulty == 1 else 0.6))


def refer(ctx, src: Source, i: int, *, detail: bool = False, new_labels: dict | None = None,
          use_material: bool = True) -> tuple[str, dict] | None:
    """How to name object ``i`` so that no other object of ``src`` fits: (phrase, slot).

    The phrase is a definite noun phrase ("the blue mug", "the mug next to the laptop",
    "the mug on the left"); the slot holds the canonical ids the phrase uses. ``detail``
    describes the object more than needed ("the blue ceramic mug" when it is the only mug).
    ``use_material``: False keeps the material out (a Change Material instruction names it
    separately). ``new_labels`` maps an origin ("added", "replaced") to how an object an
    earlier edit made is named: a label before the noun ("new": "the new dog") or a clause
    after it ("you added": "the dog you added"). None when nothing singles the object out.
    """
    obj, rng = src.objects[i], ctx.rng
    twins = [src.objects[j] for j in src.same_kind(i)]
    slot: dict = {"object": obj.item.id}
    label = (new_labels or {}).get(obj.origin)
    if label and not any(t.origin for t in twins):
        slot["made_by"] = obj.origin
        return (f"the {obj.noun} {label}" if label.startswith("you") else f"the {label} {obj.noun}"), slot
    colour_tells = obj.colour is not None and all(t.colour is None or t.colour.id != obj.colour.id for t in twins)
    material_tells = use_material and obj.material is not None and all(
        t.material is None or t.material.id != obj.material.id for t in twins)
    # Say the colour when it tells the object apart, or to describe it (detail); the
    # material likewise (half the time for detail, so phrases vary in length).
    colour = obj.colour is not None and (colour_tells or detail)
    material = obj.material is not None and use_material and (
        (material_tells and not colour_tells) or (detail and rng.random() < 0.5))
    named = obj.describe(colour=colour, material=material, texture=False, size=False)
    if colour:
        slot["colour"] = obj.colour.id
    if material:
        slot["material"] = obj.material.id
    if obj.count > 1:  # a group is named with its number: "the three sparrows"
        named = f"{number_word(obj.count)} {named}"
    if not twins or colour_tells or material_tells:
        return f"the {named}", slot
    twin_ids = src.same_kind(i)
    for s, rel, o in src.relations:
        if i not in (s, o):
            continue
        other = o if s == i else s
        if rel in ("left_of", "right_of") and other in twin_ids and len(twin_ids) == 1:
            # "the mug on the left": the target is left of its only twin (or right, reversed)
            side = "left" if (rel == "left_of") == (s == i) else "right"
            slot["position"] = side
            left_hand = f"the {side}-hand {named}" if " in " not in named else f"the {named} on the {side}"
            return rng.choice((f"the {named} on the {side}", left_hand)), slot
        if s == i and o not in twin_ids and not src.same_kind(o) and not any((j, rel, o) in src.relations for j in twin_ids):
            slot.update(relation=rel, anchor=src.objects[o].item.id)
            return f"the {named} {rng.choice(location_phrases(ctx, rel))} the {src.objects[o].noun}", slot
    return None
