"""Builder of the four Style Control subtasks: a subject rendered in a named style.

The style comes from the style pool filtered by the subtask's family (YAML ``params.family``),
so each subtask only ever asks for its own styles. The subject is a pool object with
attributes, often doing something; higher grades add a scene, the style's own visual cues, a
second subject, lighting and (for photographic styles) a camera setting. Cues are words only:
two items that differ only in the cue chosen are the same request in other words.
"""
from __future__ import annotations

from ogi_toolkit.spec import Relation, Scene
from ogi_toolkit.templates.builders.base import Built, register
from ogi_toolkit.templates.grammar import join_and

from ..kit import act, draw, dress, maybe_scene, memo, objects, words as word_set

STYLE_SLOTS = ("style", "style_desc", "cue", "cues", "subject", "subject_full", "action", "second",
               "scene", "scene_name", "lighting", "camera", "objects")

# How many style cues each grade spells out, and the chance of each extra element.
_CUES = {1: 0, 2: 1, 3: 2}
_P_SCENE = {1: 0.35, 2: 1.0, 3: 1.0}
_P_ACTION = {1: 0.4, 2: 0.6, 3: 0.8}


@register("styled_subject", params=("family", "lighting_from", "camera_from"), slot_names=STYLE_SLOTS)
def build_styled_subject(ctx) -> Built:
    """``params``: ``family`` (style family id, required), ``camera_from`` (grade from which a
    camera setting is added: 2 for photographic styles, default 3), ``lighting_from`` (default 3)."""
    family = ctx.params.get("family")
    if not family:
        raise ValueError(f"subtask {ctx.subtask!r}: builder styled_subject needs params.family (a style family id)")
    d = min(ctx.difficulty, 3)
    style = draw(ctx, "styles", family=family)[0]
    subject = dress(ctx, objects(ctx, 1)[0], ctx.rng.choice(((), ("colour",), ("material",), ("size", "colour"))))
    things = [subject]
    relations = []
    action = patient = None
    verb_phrase = ""
    if subject.item.agent != "object" and ctx.rng.random() < _P_ACTION[d]:
        action, patient, verb_phrase = act(ctx, subject)
        if patient is not None:
            things.append(patient)
    second = None
    words = {"second": ""}
    if d == 3 and ctx.rng.random() < 0.6:
        second = dress(ctx, objects(ctx, 1, exclude=[t.item.id for t in things])[0], ("colour",))
        things.append(second)
        relations.append(Relation.record(subject=len(things) - 1, relation="next_to", object=0))
        words["second"] = f"{ctx.rng.choice(ctx.pools.get('relations', 'next_to').phrases)} {ctx.lexicon.a(second.phrase)}"
    scenes = None
    if action is not None:  # no "a canoe floating floating in deep space"
        scenes = memo(ctx, ("scenes_without", action.ing), lambda: tuple(
            s for s in ctx.pools["scenes"] if action.ing not in word_set(s.phrase)))
    place, scene_item = maybe_scene(ctx, _P_SCENE[d], scenes)
    lighting = ctx.rng.choice(ctx.pools["lighting"]) if d >= ctx.params.get("lighting_from", 3) else None
    camera = ctx.rng.choice(ctx.pools["camera"]) if d >= ctx.params.get("camera_from", 3) else None
    cue_idx = sorted(ctx.rng.sample(range(len(style.cues)), min(_CUES[d], len(style.cues))))
    cues = [style.cues[i] for i in cue_idx]
    full = " ".join(p for p in (ctx.lexicon.a(subject.phrase), verb_phrase, words["second"]) if p)
    words.update({
        "style": style.name, "style_desc": style.description,
        "cue": cues[0] if cues else "", "cues": join_and(cues),
        "subject": subject.phrase, "subject_full": full, "action": verb_phrase,
        **place,
        "lighting": lighting.phrase if lighting else "", "camera": camera.phrase if camera else "",
    })
    slots = {
        "style": style.id, "objects": [t.slot() for t in things], "action": action.id if action else None,
        "scene": scene_item.id if scene_item else None, "lighting": lighting.id if lighting else None,
        "camera": camera.id if camera else None,
    }
    if patient is not None:
        relations.insert(0, Relation.record(subject=0, relation=action.id, object=1))
    scene = Scene.record(objects=[t.scene_object() for t in things], relations=relations,
                  background=scene_item.name if scene_item else None, style=style.id, style_family=style.family,
                  lighting=lighting.name if lighting else None, camera=camera.name if camera else None)
    return Built(slots=slots, words=words, scene=scene)
