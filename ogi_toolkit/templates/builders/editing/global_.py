"""Global Editing builders: change the background (``edit_background``) or the style
(``edit_style``) of the whole input image while keeping its subjects."""
from __future__ import annotations

import re

from ogi_toolkit.spec import Edit
from ogi_toolkit.templates.grammar import join_and

from ..base import Built, register
from .common import objects_for
from .naming import refer, scene_words
from .sampling import build_source, chance, index, pick, retrying
from .source_scenes import pronouns
from .text_ops import add_surface, surfaces_for

__all__ = ["build_background", "build_style", "scene_np"]

BACKGROUND_FINISHES = {
    "shadows": "with shadows that agree with the new light",
    "scale": "at a believable scale for the new place",
    "arrangement": "keeping their positions relative to each other",
}
STYLE_FINISHES = {
    "composition": "keeping the composition and every object recognisable",
    "layout": "without moving or dropping anything in the picture",
}
_LEADING_PREPOSITION = re.compile(r"^(floating )?(in|on|at|inside|beside|among|under|by|near|along|within|over)\s+")


def scene_np(place) -> str:
    """A place as an indefinite noun phrase, from its phrase: "a snowy mountain peak"."""
    return _LEADING_PREPOSITION.sub("", place.phrase)


def _subjects(ctx, src, detail: bool) -> tuple[str, list[dict]]:
    named = [refer(ctx, src, i, detail=detail) for i in range(len(src.objects))]
    return join_and(n[0] for n in named), [n[1] for n in named]


def _group_pronouns(src) -> dict:
    return pronouns(src.objects[0]) if len(src.objects) == 1 else {"pron": "them", "poss": "their"}


@register("edit_background", slot_names=("scene", "scene_in", "this_photo", "the_rest", "subject", "pron", "poss", "new_scene", "new_place",
                                         "light", "finish"))
@retrying
def build_background(ctx) -> Built:
    rng, grade, pools = ctx.rng, ctx.difficulty, ctx.pools
    src, _ = build_source(ctx, n_objects={1: 1, 2: 2, 3: int(rng.integers(2, 4))}[grade], grade=1)
    scene = src.scene(pools)
    idx = index(pools)
    kinds = {o.item.id for o in src.objects}
    if grade == 3:  # another kind of setting: indoors to underwater, city to space
        places = [p for p in idx.places if p.setting != src.place.setting]
    else:  # a place where the subjects belong too
        places = [p for p in idx.places if p.id != src.place.id and kinds <= idx.candidate_ids[p.id]] \
            or [p for p in idx.places if p.id != src.place.id]
    new = pick(rng, places)
    subject, subject_slots = _subjects(ctx, src, detail=grade >= 2)
    slots = {"scene": src.place.id, "subjects": subject_slots, "background": new.id}
    light = ""
    if grade >= 2:
        lighting = pick(rng, pools["lighting"])
        slots["lighting"], light = lighting.id, lighting.phrase
    finish = ""
    if grade == 3:
        key = pick(rng, sorted(BACKGROUND_FINISHES) if len(src.objects) > 1 else ["shadows", "scale"])
        slots["finish"], finish = key, BACKGROUND_FINISHES[key]
    words = {**scene_words(ctx, src.place), "subject": subject, **_group_pronouns(src),
             "new_scene": scene_np(new), "new_place": new.phrase, "light": light, "finish": finish}
    return Built(slots=slots, words=words, source=scene, edits=[Edit.record(op="background", value=new.name)])


@register("edit_style", params=("families",), slot_names=("scene", "scene_in", "this_photo", "the_rest", "subject", "style", "cues", "finish"))
@retrying
def build_style(ctx) -> Built:
    rng, grade, pools = ctx.rng, ctx.difficulty, ctx.pools
    families = ctx.params.get("families")
    styles = [s for s in pools["styles"] if not families or s.family in families]
    if not styles:
        raise ValueError(f"subtask {ctx.subtask!r}: no style of families {families} in pool 'styles'")
    src, _ = build_source(ctx, n_objects=objects_for(grade, rng), grade=1)
    finishes = dict(STYLE_FINISHES)
    if grade == 3 and chance(rng, 0.4) and surfaces_for(pools, src.place):
        add_surface(ctx, src, english=True)  # a sign whose words must survive the restyling
        finishes = {"text": "keeping the text legible and spelled exactly as it is"}
    if grade == 3 and any(o.item.person for o in src.objects):
        finishes["identity"] = "keeping every face recognisable"
    scene = src.scene(pools)
    style = pick(rng, styles)
    main = [i for i in range(len(src.objects)) if src.objects[i].item.category != "surface"][:2]
    named = [refer(ctx, src, i, detail=grade >= 2) for i in main]
    cues = [str(c) for c in rng.permutation(list(style.cues))[:2]] if grade >= 2 else []
    slots = {"scene": src.place.id, "subjects": [n[1] for n in named], "style": style.id, "cues": cues}
    finish = ""
    if grade == 3:
        key = pick(rng, sorted(finishes))
        slots["finish"], finish = key, finishes[key]
    words = {**scene_words(ctx, src.place), "subject": join_and(n[0] for n in named), "style": style.name,
             "cues": cues, "finish": finish}
    return Built(slots=slots, words=words, source=scene, edits=[Edit.record(op="style", value=style.id)])
