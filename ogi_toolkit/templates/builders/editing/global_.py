"""Global Editing builders: change the background (``edit_background``) or the style
(``edit_style``) of the whole input image while keeping its subjects."""
from __future__ import annotations

import re

from ogi_toolkit.spec import Edit
from ogi_toolkit.templates.grammar import join_and

from ..base import Built, register
from .common import objects_for
from .naming import place_words, refer
from ..kit import phrases, shuffled
from .sampling import build_source, retrying
from .source_scenes import pronouns
from .text_ops import add_surface, surfaces_for

__all__ = ["build_background", "build_style", "scene_np"]

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
    src, _ = build_source(ctx, n_objects={1: 1, 2: 2, 3: rng.randrange(2, 4)}[grade], grade=1)
    scene = src.scene(ctx)
    idx = ctx.index
    kinds = {o.item.id for o in src.objects}
    if grade == 3:  # another kind of setting: indoors to underwater, city to space
        places = [p for p in idx.places if p.setting != src.place.setting]
    else:  # a place where the subjects belong too
        places = [p for p in idx.places if p.id != src.place.id and kinds <= idx.candidate_ids[p.id]] \
            or [p for p in idx.places if p.id != src.place.id]
    new = rng.choice(places)
    subject, subject_slots = _subjects(ctx, src, detail=grade >= 2)
    slots = {"scene": src.place.id, "subjects": subject_slots, "background": new.id}
    light = ""
    if grade >= 2:
        lighting = rng.choice(pools["lighting"])
        slots["lighting"], light = lighting.id, lighting.phrase
    finish = ""
    if grade == 3:
        options = phrases()["background_finishes"]
        key = rng.choice(sorted(options) if len(src.objects) > 1 else ["shadows", "scale"])
        slots["finish"], finish = key, options[key]
    words = {**place_words(ctx, src.place), "subject": subject, **_group_pronouns(src),
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
    wording = phrases()
    finishes = dict(wording["style_finishes"])
    if grade == 3 and rng.random() < 0.4 and surfaces_for(ctx, src.place):
        add_surface(ctx, src, english=True)  # a sign whose words must survive the restyling
        finishes = {"text": wording["style_finish_with_text"]}
    if grade == 3 and any(o.item.person for o in src.objects):
        finishes["identity"] = wording["style_finish_with_people"]
    scene = src.scene(ctx)
    style = rng.choice(styles)
    main = [i for i in range(len(src.objects)) if src.objects[i].item.category != "surface"][:2]
    named = [refer(ctx, src, i, detail=grade >= 2) for i in main]
    cues = shuffled(rng, style.cues)[:2] if grade >= 2 else []
    slots = {"scene": src.place.id, "subjects": [n[1] for n in named], "style": style.id, "cues": cues}
    finish = ""
    if grade == 3:
        key = rng.choice(sorted(finishes))
        slots["finish"], finish = key, finishes[key]
    words = {**place_words(ctx, src.place), "subject": join_and(n[0] for n in named), "style": style.name,
             "cues": cues, "finish": finish}
    return Built(slots=slots, words=words, source=scene, edits=[Edit.record(op="style", value=style.id)])
