"""Texts the vision checks compare images with, made from the spec (never parsed from the
instruction): an object's phrase ("two red apples"), a scene's caption, and what each edit
says must appear or be gone."""
from __future__ import annotations

from ...spec import Edit, Scene, SceneObject
from ...templates.grammar import a, count_phrase, join_and

__all__ = ["edit_objects", "object_phrase", "scene_caption"]


def object_phrase(obj: SceneObject, *, colour: bool = True) -> str:
    """"a red apple", "three red apples": count, colour and name (other attributes vary too much
    in wording for CLIP to gain from them)."""
    noun = f"{obj.colour} {obj.name}" if colour and obj.colour else obj.name
    return count_phrase(noun, obj.count) if obj.count > 1 else a(noun)


def scene_caption(scene: Scene | None) -> str | None:
    """"a photo of a red apple and two cups, in a kitchen": the scene's objects with their
    background and style; its description when it lists no objects; None when it has neither."""
    if scene is None:
        return None
    if not scene.objects:
        return scene.description
    caption = join_and(object_phrase(o) for o in scene.objects)
    if scene.background:
        caption += f", {scene.background}"
    if scene.style:
        caption += f", {scene.style.replace('_', ' ')}"
    return caption


def edit_objects(edit: Edit, before: Scene) -> tuple[list[str], list[str]]:
    """The object names an edit says must be in its output, and those that must be gone
    (add: the new object; remove: the target; replace: the new one in, the old one out)."""
    target = before.objects[edit.target].name if edit.target is not None and edit.target < len(before.objects) else None
    new = edit.object.name if edit.object is not None else None
    if edit.op == "add" and new:
        return [new], []
    if edit.op == "remove" and target:
        return [], [target]
    if edit.op == "replace" and new and target and new != target:
        return [new], [target]
    return [], []
