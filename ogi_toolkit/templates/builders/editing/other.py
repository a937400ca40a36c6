"""Other Challenging Editing builders: a subject from a reference image, a new motion, a new
material, a new position (``edit_reference``, ``edit_motion``, ``edit_material``, ``edit_move``).

Reference images: the released data marks the second image with an ``<image>`` placeholder
("Add a girl to <image> ..."). Our instructions name it in words (one of
``REFERENCE_MENTIONS``, the word ``ref``), so they read on their own;
:func:`with_image_placeholder` gives the released form.
"""
from __future__ import annotations

from ogi_toolkit.spec import REFERENCE_MENTIONS, Edit, Reference

from ..base import Built, register
from .object_ops import (material_choices, motion_choices, movable, new_object, op_material, op_motion, op_move,
                         place_phrase, rematerialable, shuffled_indices)
from .naming import detailed, refer
from ..kit import changed, looks
from .sampling import Resample, add_twin, build_source, furnished, pick_other, retrying, shuffle
from .source_scenes import Source, pronouns
from .common import COMMON_WORDS, objects_for, one_edit

__all__ = ["build_reference", "build_motion", "build_material", "build_move"]

# REFERENCE_MENTIONS (how instructions name the second image) and with_image_placeholder live in
# ogi_toolkit.spec: the dataset layer's OpenGPT export needs them too, and may not import a builder.


def _reference_source(ctx, subject, place) -> tuple[Source, int, str, dict]:
    """The second image: ``subject`` alone (grade 1), with another object (2), or with a
    same-kind object of another colour (3), so naming it takes more at each grade."""
    grade, rng = ctx.difficulty, ctx.rng
    ref = Source(place=place, objects=[subject])
    if grade >= 2:
        other = pick_other(rng, ctx.index.candidates[place.id], subject.item.id)
        if other is not None:
            ref.objects.append(furnished(ctx, other))
    if grade == 3:
        add_twin(ctx, ref, 0, same_look=False)
    ref, s = shuffle(ctx, ref, 0)
    phrase, slot = refer(ctx, ref, s, detail=grade >= 2)
    return ref, s, phrase, slot


@register("edit_reference", slot_names=COMMON_WORDS + ("op", "ref", "subject", "place"))
@retrying
def build_reference(ctx) -> Built:
    rng, grade = ctx.rng, ctx.difficulty
    src, t = build_source(ctx, n_objects=objects_for(grade, rng), grade=grade)
    scene = src.scene(ctx)
    op = "replace" if grade >= 2 and rng.random() < 0.45 else "add"
    subject = new_object(ctx, src, 2, like=src.objects[t] if op == "replace" else None)
    subject.material = None
    home = rng.choice(ctx.index.homes[subject.item.id])
    ref, s, subject_phrase, subject_slot = _reference_source(ctx, subject, home)
    slot = {"op": op, "subject": subject_slot, "reference_scene": ref.place.id}
    words = {"op": op, "ref": rng.choice(REFERENCE_MENTIONS), "subject": subject_phrase, "place": "",
             **pronouns(subject)}
    if op == "add":
        anchors = ([t] if rng.random() < 0.5 else None) if grade == 1 else [t] + shuffled_indices(ctx, src, (t,))
        where, where_slot, rel, anchor = place_phrase(ctx, src, subject, anchors=anchors)
        edit = Edit.record(op="add", object=ref.objects[s].scene_object(), relation=rel, anchor=anchor)
        if rel is None:
            edit["object"]["attributes"]["position"] = where_slot["region"]
        slot["place"], words["place"] = where_slot, where
    else:
        target, target_slot = refer(ctx, src, t, detail=detailed(ctx))
        edit = Edit.record(op="replace", target=t, object=ref.objects[s].scene_object())
        slot["target"], words["target"], words["target_name"] = target_slot, target, src.objects[t].noun
    reference = Reference.record(scene=ref.scene(ctx), subject=s)
    return one_edit(ctx, src, scene, slot, words, [edit], "reference", reference=reference)

@register("edit_motion", slot_names=COMMON_WORDS + ("action", "action_base", "old_action"))
@retrying
def build_motion(ctx) -> Built:
    rng = ctx.rng
    src, t = build_source(ctx, n_objects=objects_for(ctx.difficulty, rng), grade=ctx.difficulty,
                          target=lambda item: item.id in movable(ctx))
    src.objects[t].action = rng.choice(motion_choices(ctx, src.objects[t]))  # what it does in the input
    scene = src.scene(ctx)
    op = op_motion(ctx, src, t, detail=detailed(ctx))
    return one_edit(ctx, src, scene, op.slot, op.words, [op.edit], "motion")


@register("edit_material", slot_names=COMMON_WORDS + ("material", "material_adj", "old_material", "old_material_adj",
                                                        "new_look"))
@retrying
def build_material(ctx) -> Built:
    rng = ctx.rng
    src, t = build_source(ctx, n_objects=objects_for(ctx.difficulty, rng), grade=ctx.difficulty,
                          target=lambda item: item.id in rematerialable(ctx))
    obj = src.objects[t]
    if obj.material is None:  # the input image shows what it is made of now
        src.objects[t] = obj = changed(obj, material=rng.choice(looks(ctx, obj.item)[1]))
    if not material_choices(ctx, obj) or refer(ctx, src, t, use_material=False) is None:
        raise Resample("material: no material of another family, or the target became ambiguous")
    scene = src.scene(ctx)
    op = op_material(ctx, src, t, detail=detailed(ctx))
    return one_edit(ctx, src, scene, op.slot, op.words, [op.edit], "material")


@register("edit_move", slot_names=COMMON_WORDS + ("dest", "dest_at"))
@retrying
def build_move(ctx) -> Built:
    rng, grade = ctx.rng, ctx.difficulty
    src, t = build_source(ctx, n_objects=max(3, objects_for(grade, rng)), grade=grade)
    scene = src.scene(ctx)
    anchors = None if grade == 1 else shuffled_indices(ctx, src, (t,))
    op = op_move(ctx, src, t, anchors=anchors, detail=detailed(ctx))
    return one_edit(ctx, src, scene, op.slot, op.words, [op.edit], "move")

