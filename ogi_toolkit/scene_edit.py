"""What a scene looks like after edit operations: ``apply_edits(scene, edits) -> Scene``.

A pure function over the structured records of :mod:`ogi_toolkit.spec`: the offline sketch
renderer draws its result, and tests use it as the expected content of an edited image.
Indices in an edit (``target``, ``anchor``) refer to the scene as it is *before* that edit,
exactly as the spec says, so a remove shifts the indices later edits see.

:func:`apply_edit` also says where each object and text of the result came from
(``object_origin[i]`` is the index before the edit, ``None`` for a new one) and which objects
need a new place (``replaced``: added, moved, resized or re-counted). The renderer uses that to
keep every other object exactly where it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .spec import Edit, Reference, Relation, Scene, SceneObject, TextItem

__all__ = [
    "EditError", "EditOutcome", "apply_edit", "apply_edits", "resolve_object", "resolve_text",
    "turn_edits",
]

# attribute names accepted by "alter" for the SceneObject fields (both spellings of colour)
_OBJECT_FIELDS = {"colour": "colour", "color": "colour", "material": "material", "size": "size",
                  "action": "action", "pose": "action", "count": "count", "name": "name"}
_TEXT_FIELDS = {"colour": "colour", "color": "colour", "font": "font", "typeface": "font",
                "style": "font", "role": "role"}
# size words of a text edit go into the free-text ``font`` descriptor (TextItem has no size)
_TEXT_SIZE_WORDS = ("tiny", "small", "medium", "large", "huge", "giant", "bigger", "smaller")
EXTRACT_BACKGROUND = "plain white"


class EditError(ValueError):
    """An edit cannot be applied; the message names the edit, its op, the field and the value."""


@dataclass
class EditOutcome:
    scene: Scene
    object_origin: list[int | None]
    text_origin: list[int | None]
    replaced: set[int] = field(default_factory=set)  # result indices that need a new place
    global_change: bool = False  # the whole picture changes (background, style, extraction)


def _where(edit: Edit, position: int | None) -> str:
    return f"edit {position} ({edit.op})" if position is not None else f"edit ({edit.op})"


def resolve_object(scene: Scene, index: int | None, edit: Edit, position: int | None = None,
                   field_name: str = "target") -> int:
    """``index`` checked against ``scene.objects``; a clear error otherwise."""
    if index is None:
        raise EditError(f"{_where(edit, position)}: '{field_name}' is required (an object index)")
    if not 0 <= index < len(scene.objects):
        names = [o.name for o in scene.objects]
        raise EditError(f"{_where(edit, position)}: {field_name} {index} is out of range; "
                        f"the scene has {len(names)} objects {names}")
    return index


def resolve_text(scene: Scene, index: int | None, edit: Edit, position: int | None = None) -> int:
    """``index`` checked against ``scene.texts``; a clear error otherwise."""
    if index is None:
        raise EditError(f"{_where(edit, position)}: 'target' is required (a text index)")
    if not 0 <= index < len(scene.texts):
        raise EditError(f"{_where(edit, position)}: text target {index} is out of range; "
                        f"the scene has {len(scene.texts)} texts {[t.text for t in scene.texts]}")
    return index


def _required(edit: Edit, name: str, position: int | None):
    value = getattr(edit, name)
    if value is None:
        raise EditError(f"{_where(edit, position)}: '{name}' is required for op {edit.op!r}")
    return value


def _drop_object(scene: Scene, gone: int) -> tuple[Scene, list[int | None], list[int | None]]:
    """The scene without object ``gone``: relations renumbered, texts written on it erased."""
    def shift(i: int) -> int:
        return i - 1 if i > gone else i

    objects = [o for i, o in enumerate(scene.objects) if i != gone]
    relations = [Relation(subject=shift(r.subject), relation=r.relation,
                          object=None if r.object is None else shift(r.object))
                 for r in scene.relations if gone not in (r.subject, r.object)]
    texts, text_origin = [], []
    for i, t in enumerate(scene.texts):
        if t.on == gone:
            continue  # the text was written on the removed object: it goes with it
        texts.append(t if t.on is None else t.model_copy(update={"on": shift(t.on)}))
        text_origin.append(i)
    object_origin = [i for i in range(len(scene.objects)) if i != gone]
    return scene.model_copy(update={"objects": objects, "relations": relations, "texts": texts}), \
        object_origin, text_origin


def _alter_object(obj: SceneObject, attribute: str, value: str) -> SceneObject:
    key = _OBJECT_FIELDS.get(attribute.lower())
    if key == "count":
        return obj.model_copy(update={"count": max(1, int(value))})
    if key is not None:
        return obj.model_copy(update={key: value})
    return obj.model_copy(update={"attributes": {**obj.attributes, attribute: value}})


def _alter_text(item: TextItem, attribute: str, value: str) -> TextItem:
    key = _TEXT_FIELDS.get(attribute.lower())
    if key is not None:
        return item.model_copy(update={key: value})
    if attribute.lower() == "size":
        words = [w for w in (item.font or "").split() if w not in _TEXT_SIZE_WORDS]
        return item.model_copy(update={"font": " ".join(words + [value]).strip()})
    raise EditError(f"text_alter: attribute {attribute!r} is not one of "
                    f"{sorted(set(_TEXT_FIELDS) | {'size'})}")


def apply_edit(scene: Scene, edit: Edit, reference: Reference | None = None,
               position: int | None = None) -> EditOutcome:
    """One edit applied to ``scene`` (which is not changed), with where everything came from.

    ``reference`` supplies the object of an ``add``/``replace`` edit that names none (a
    reference-image edit: the subject comes from the second image). ``position`` only labels
    error messages.
    """
    n_obj, n_txt = len(scene.objects), len(scene.texts)
    keep_objects: list[int | None] = list(range(n_obj))
    keep_texts: list[int | None] = list(range(n_txt))
    op = edit.op

    def subject_object() -> SceneObject:
        if edit.object is not None:
            return edit.object
        if reference is not None and reference.subject < len(reference.scene.objects):
            return reference.scene.objects[reference.subject]
        raise EditError(f"{_where(edit, position)}: 'object' is required (or a reference image subject)")

    if op == "add":
        new = subject_object()
        relations = list(scene.relations)
        if edit.relation is not None and edit.anchor is not None:
            resolve_object(scene, edit.anchor, edit, position, "anchor")
            relations.append(Relation(subject=n_obj, relation=edit.relation, object=edit.anchor))
        out = scene.model_copy(update={"objects": [*scene.objects, new], "relations": relations})
        return EditOutcome(out, keep_objects + [None], keep_texts, replaced={n_obj})
    if op == "remove":
        target = resolve_object(scene, edit.target, edit, position)
        out, obj_origin, txt_origin = _drop_object(scene, target)
        return EditOutcome(out, obj_origin, txt_origin)
    if op in ("replace", "alter", "material", "motion"):
        target = resolve_object(scene, edit.target, edit, position)
        old = scene.objects[target]
        if op == "replace":
            new = subject_object()
        elif op == "material":
            new = old.model_copy(update={"material": _required(edit, "value", position)})
        elif op == "motion":
            new = old.model_copy(update={"action": _required(edit, "value", position)})
        else:
            new = _alter_object(old, _required(edit, "attribute", position), _required(edit, "value", position))
        objects = list(scene.objects)
        objects[target] = new
        moved = {target} if (new.size, new.count, new.name) != (old.size, old.count, old.name) else set()
        return EditOutcome(scene.model_copy(update={"objects": objects}), keep_objects, keep_texts, replaced=moved)
    if op == "extract":
        target = resolve_object(scene, edit.target, edit, position)
        texts = [t.model_copy(update={"on": 0}) for t in scene.texts if t.on == target]
        out = Scene(description=scene.description, objects=[scene.objects[target]], texts=texts,
                    background=edit.value or EXTRACT_BACKGROUND)
        return EditOutcome(out, [target], [i for i, t in enumerate(scene.texts) if t.on == target],
                           replaced={0}, global_change=True)
    if op == "move":
        target = resolve_object(scene, edit.target, edit, position)
        # the object's old placement relations no longer hold; its other relations do
        relations = [r for r in scene.relations if r.subject != target or r.object is None]
        obj = scene.objects[target]
        if edit.relation is not None and edit.anchor is not None:
            resolve_object(scene, edit.anchor, edit, position, "anchor")
            relations.append(Relation(subject=target, relation=edit.relation, object=edit.anchor))
            obj = obj.model_copy(update={"attributes": {k: v for k, v in obj.attributes.items() if k != "position"}})
        else:
            obj = obj.model_copy(update={"attributes": {**obj.attributes,
                                                        "position": _required(edit, "value", position)}})
        objects = list(scene.objects)
        objects[target] = obj
        return EditOutcome(scene.model_copy(update={"objects": objects, "relations": relations}),
                           keep_objects, keep_texts, replaced={target})
    if op == "text_add":
        text = _required(edit, "text", position)
        if text.on is not None:
            resolve_object(scene, text.on, edit, position, "text.on")
        return EditOutcome(scene.model_copy(update={"texts": [*scene.texts, text]}), keep_objects, keep_texts + [None])
    if op in ("text_replace", "text_alter", "text_remove"):
        target = resolve_text(scene, edit.target, edit, position)
        texts = list(scene.texts)
        if op == "text_remove":
            del texts[target]
            del keep_texts[target]
        elif op == "text_replace":
            new = _required(edit, "text", position)
            # the new words take the old text's place and look unless the edit says otherwise
            changes = {k: v for k, v in new.model_dump(exclude_unset=True).items() if v is not None}
            texts[target] = texts[target].model_copy(update={"text": new.text, **changes})
        else:
            texts[target] = _alter_text(texts[target], _required(edit, "attribute", position),
                                        _required(edit, "value", position))
        return EditOutcome(scene.model_copy(update={"texts": texts}), keep_objects, keep_texts)
    if op == "background":
        return EditOutcome(scene.model_copy(update={"background": _required(edit, "value", position)}),
                           keep_objects, keep_texts, global_change=True)
    if op == "style":
        return EditOutcome(scene.model_copy(update={"style": _required(edit, "value", position), "style_family": None}),
                           keep_objects, keep_texts, global_change=True)
    raise EditError(f"{_where(edit, position)}: unknown op {op!r}")


def apply_edits(scene: Scene, edits: list[Edit], reference: Reference | None = None) -> Scene:
    """The scene after ``edits``, applied in order (each sees the result of the previous)."""
    for position, edit in enumerate(edits):
        scene = apply_edit(scene, edit, reference, position).scene
    return scene


def turn_edits(spec, turn: int) -> list[Edit]:
    """All edits of a multi-turn spec up to and including turn ``turn`` (0-based), in order."""
    if not 0 <= turn < len(spec.turns):
        raise EditError(f"spec {spec.id}: turn {turn} is out of range; it has {len(spec.turns)} turns")
    return [edit for t in spec.turns[: turn + 1] for edit in t.edits]
