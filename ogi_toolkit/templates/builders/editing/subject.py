"""Subject Manipulation builders: add, replace, alter, remove, extract one object.

Each builds a source scene (sampling.build_source: the grade decides how hard the edited
object is to single out), records the input image's Scene before editing, then applies one
operation (object_ops). Grade 3 adds a consistency requirement (phrases.yaml ``finishes``).
"""
from __future__ import annotations

from ogi_toolkit.spec import Edit

from ..base import Built, register
from .common import COMMON_WORDS, objects_for, one_edit
from .object_ops import (alter_choices, new_object, op_add, op_alter, op_remove, op_replace, shuffled_indices,
                         textures_for)
from .naming import detailed, refer
from ..kit import shuffled
from .sampling import Resample, build_source, retrying
from .source_scenes import pronouns

__all__ = ["build_add", "build_replace", "build_alter", "build_remove", "build_extract", "BACKDROPS"]

# Plain backgrounds an extracted object is set on: id -> (the edit's value, the phrase).
BACKDROPS = {"white": ("plain white", "a plain white background"),
             "transparent": ("transparent", "a transparent background"),
             "studio_grey": ("neutral grey studio", "a neutral grey studio backdrop"),
             "black": ("solid black", "a solid black background"),
             "white_sweep": ("seamless white studio sweep", "a seamless white studio sweep"),
             "checkerboard": ("transparent", "a transparent (checkerboard) background, as a PNG cut-out"),
             "paper": ("plain off-white paper", "plain off-white paper"),
             "gradient_grey": ("soft grey gradient", "a soft grey gradient backdrop")}


@register("edit_add", slot_names=COMMON_WORDS + ("new", "new_name", "place"))
@retrying
def build_add(ctx) -> Built:
    rng, grade = ctx.rng, ctx.difficulty
    src, anchor = build_source(ctx, n_objects=objects_for(grade, rng), grade=grade)
    scene = src.scene(ctx)
    if grade == 1:
        anchors = [anchor] if rng.random() < 0.5 else None
    else:
        anchors = [anchor] + shuffled_indices(ctx, src, exclude=(anchor,))
    obj = new_object(ctx, src, grade)
    if grade == 3 and rng.random() < 0.3 and obj.item.size_class in ("tiny", "small"):
        obj.count = rng.randrange(2, 4)  # "add three paper lanterns"
    op = op_add(ctx, src, grade, obj=obj, anchors=anchors)
    return one_edit(ctx, src, scene, op.slot, op.words, [op.edit])


@register("edit_replace", slot_names=COMMON_WORDS + ("new", "new_name"))
@retrying
def build_replace(ctx) -> Built:
    src, t = build_source(ctx, n_objects=objects_for(ctx.difficulty, ctx.rng), grade=ctx.difficulty)
    scene = src.scene(ctx)
    op = op_replace(ctx, src, t, ctx.difficulty, detail=detailed(ctx))
    return one_edit(ctx, src, scene, op.slot, op.words, [op.edit])


@register("edit_alter", slot_names=COMMON_WORDS + ("make", "attrs", "old"))
@retrying
def build_alter(ctx) -> Built:
    rng, pools = ctx.rng, ctx.pools
    src, t = build_source(ctx, n_objects=objects_for(ctx.difficulty, rng), grade=ctx.difficulty)
    obj = src.objects[t]
    choices = alter_choices(ctx, obj)
    attributes = shuffled(rng, sorted(choices))[: 2 if ctx.difficulty == 3 else 1]
    # The input image shows the old value of every attribute that changes ("white" -> "red").
    for attribute in attributes:
        if getattr(obj, attribute) is None:
            if attribute == "texture":
                obj.texture = rng.choice(textures_for(ctx, obj))
            elif attribute == "size":
                obj.size = rng.choice([s for s in pools["sizes"] if 3 <= s.rank <= 5])
    if refer(ctx, src, t) is None:  # a new old value must not make the target ambiguous
        raise Resample("alter: the old value made the target ambiguous")
    scene = src.scene(ctx)
    choices = alter_choices(ctx, obj)
    changes = [(attribute, rng.choice(choices[attribute])) for attribute in attributes]
    ops = op_alter(ctx, src, t, changes, detail=detailed(ctx))
    return one_edit(ctx, src, scene, ops[0].slot, ops[0].words, [op.edit for op in ops])


@register("edit_remove", slot_names=COMMON_WORDS)
@retrying
def build_remove(ctx) -> Built:
    rng, grade = ctx.rng, ctx.difficulty
    src, t = build_source(ctx, n_objects=objects_for(grade, rng), grade=grade)
    if grade == 1 and rng.random() < 0.3 and src.objects[t].item.size_class in ("tiny", "small", "medium"):
        src.objects[t].count = rng.randrange(2, 5)  # "remove the three birds"
    scene = src.scene(ctx)
    count = src.objects[t].count
    op = op_remove(ctx, src, t, detail=detailed(ctx))
    if count > 1:
        op.slot["target"]["count"] = count
    return one_edit(ctx, src, scene, op.slot, op.words, [op.edit])


@register("edit_extract", slot_names=COMMON_WORDS + ("backdrop",))
@retrying
def build_extract(ctx) -> Built:
    rng = ctx.rng
    src, t = build_source(ctx, n_objects=objects_for(ctx.difficulty, rng), grade=ctx.difficulty)
    scene = src.scene(ctx)
    phrase, target_slot = refer(ctx, src, t, detail=detailed(ctx))
    key = rng.choice(sorted(BACKDROPS))
    value, backdrop = BACKDROPS[key]
    if rng.random() < 0.4:  # a single-colour backdrop from the colour pool
        colour = rng.choice(ctx.pools["colours"])
        key, value = f"colour:{colour.id}", f"solid {colour.name}"
        backdrop = rng.choice((f"a solid {colour.name} background", f"a flat {colour.name} backdrop",
                              f"a plain {colour.name} background"))
    obj = src.objects[t]
    words = {"target": phrase, "target_name": obj.noun, "backdrop": backdrop, **pronouns(obj)}
    slot = {"op": "extract", "target": target_slot, "backdrop": key}
    return one_edit(ctx, src, scene, slot, words, [Edit.record(op="extract", target=t, value=value)])
