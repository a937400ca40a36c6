"""Yes/no checklist questions made from an item's spec (after TIFA and Davidsonian Scene Graph).

One question per object (with its count, colour, material, size and action), relation, text,
diagram label and edit operation: "Are there exactly five turquoise beach balls?". They come
from the spec's structured fields, never from parsing the instruction text, so a question
asks exactly what the item was planned to show. Object indices in relations and edits refer
to the scene they apply to; edits of a multi-turn or complex item see the scene as the edits
before them left it (:func:`ogi_toolkit.scene_edit.apply_edit`).
"""
from __future__ import annotations

import functools

from ...scene_edit import EditError, apply_edit
from ...spec import Edit, InstructionSpec, Reference, Scene, SceneObject
from ...templates.grammar import a, number_word, plural, the

__all__ = ["edit_questions", "object_phrase", "questions", "scene_questions"]


@functools.lru_cache(maxsize=1)
def _pools():
    from ...definition import load_pools

    return load_pools()


# where an added object goes, in the words a reader would use
_POSITIONS = {"background": "in the background", "foreground": "in the foreground", "centre": "at the centre",
              "left": "on the left", "right": "on the right", "top": "at the top", "bottom": "at the bottom"}
def _pool_phrase(pool: str, key: str, field: str) -> str:
    """A pool item's wording (a relation's canonical phrase, a style's name), else the id in words."""
    try:
        item = _pools().get(pool, key)
    except (KeyError, ValueError):
        return key.replace("_", " ")
    value = getattr(item, field)
    return value[0] if isinstance(value, tuple) else value


def relation_phrase(relation: str) -> str:
    return _pool_phrase("relations", relation, "phrases")


# attributes that describe how an object looks, asked with it ("a dotted, dark red mug")
_LOOK_ATTRIBUTES = ("shade", "texture")


def object_phrase(obj: SceneObject, *, with_count: bool = False) -> str:
    """``"turquoise beach ball"``, or with the count ``"five turquoise beach balls"``; the
    attributes of its look included (shade, texture), and a colour that belongs to a part
    (``colour_of``) said of that part: "farmer in violet clothing"."""
    look = [obj.attributes[k].replace("_", " ") for k in _LOOK_ATTRIBUTES if obj.attributes.get(k)]
    part = obj.attributes.get("colour_of")
    colour = None if part else obj.colour
    words = [w for w in (obj.size, *look, colour, obj.material) if w]
    noun = " ".join([*words, obj.name])
    if with_count:
        noun = f"{number_word(obj.count)} {plural(noun, obj.count)}"
    if part and obj.colour:
        noun += f" {'in' if part == 'clothing' else 'with'} {obj.colour} {part.replace('_', ' ')}"
    return noun


def _object_question(obj: SceneObject) -> str:
    phrase = object_phrase(obj, with_count=True)
    verb = "Is there exactly" if obj.count == 1 else "Are there exactly"
    question = f"{verb} {phrase}"
    if obj.action:
        question += f", {obj.action}" if obj.count == 1 else f", all {obj.action}"
    return question + "?"


def _named(scene: Scene, index: int | None) -> str:
    if index is None or not 0 <= index < len(scene.objects):
        return "the object"
    return the(object_phrase(scene.objects[index]))


def _is_action(relation: str) -> bool:
    """An action relation ("eat", "chase") is an id of the Action pool, not of the Relation pool."""
    for pool in ("relations", "actions"):
        try:
            _pools().get(pool, relation)
            return pool == "actions"
        except (KeyError, ValueError):
            continue
    return False


def _relation_question(subject: str, relation: str, obj: str | None) -> str:
    """"Is the cat to the left of the dog?", or for an action "Does the cowboy eat the blueberry?"."""
    tail = f" {obj}" if obj else ""
    if _is_action(relation):
        return f"Does {subject} {relation.replace('_', ' ')}{tail}?"
    return f"Is {subject} {relation_phrase(relation)}{tail}?"


def scene_questions(scene: Scene) -> list[str]:
    """Questions about what an image of ``scene`` must show."""
    science = bool(scene.labels or scene.concept)
    # a scientific figure's objects are what it depicts (its parts are labels, asked as labels)
    out = [] if science else [_object_question(obj) for obj in scene.objects]
    if scene.layout == "causal" and scene.description:
        out.append(f"Does the image show {scene.description}?")  # the effect, not its cause
    for rel in scene.relations if not science else []:
        obj = _named(scene, rel.object) if rel.object is not None else None
        out.append(_relation_question(_named(scene, rel.subject), rel.relation, obj))
    for item in scene.texts:
        where = f" on {_named(scene, item.on)}" if item.on is not None else ""
        out.append(f'Does the image show the text "{item.text}"{where}, spelled exactly?')
    if scene.concept:
        out.append(f"Does the image show {scene.concept.replace('_', ' ')}?")
    for label in scene.labels:
        out.append(f'Is "{label}" written as a label on the figure?')
    if scene.style:
        out.append(f"Is the image in the {_pool_phrase('styles', scene.style, 'name')} style?")
    return out


def _text_of(scene: Scene, index: int | None) -> str:
    if index is None or not 0 <= index < len(scene.texts):
        return "the text"
    return f'the text "{scene.texts[index].text}"'


def edit_questions(scene: Scene, edit: Edit, reference: Reference | None = None) -> list[str]:
    """The question(s) that check one edit operation on ``scene`` (the scene before the edit)."""
    op, target = edit.op, _named(scene, edit.target)
    if op == "add":
        if edit.object is not None:
            added = a(object_phrase(edit.object)) if edit.object.count == 1 else object_phrase(edit.object, with_count=True)
        elif reference is not None and reference.subject < len(reference.scene.objects):
            added = f"the {object_phrase(reference.scene.objects[reference.subject])} from the reference image"
        else:
            added = "the new object"
        position = (edit.object.attributes.get("position") if edit.object is not None else None)
        if edit.relation:
            where = f" {relation_phrase(edit.relation)} {_named(scene, edit.anchor)}"
        elif position:
            where = f" {_POSITIONS.get(position, 'at the ' + position.replace('_', ' '))}"
        else:
            where = ""
        asked = [f"Has {added} been added{where}?"]
        if reference is not None and edit.object is None:
            asked.append("Is it recognisably the same subject as in the reference image (its look and colours kept)?")
        return asked
    if op == "remove":
        return [f"Has {target} been removed?"]
    if op == "replace":
        new = a(object_phrase(edit.object)) if edit.object is not None else "the subject of the reference image"
        asked = [f"Has {target} been replaced by {new}?"]
        if reference is not None and edit.object is None:
            asked.append("Is it recognisably the same subject as in the reference image (its look and colours kept)?")
        return asked
    if op == "alter":
        return [f"Is the {edit.attribute or 'look'} of {target} now {edit.value}?"]
    if op == "extract":
        return [f"Is {target} the only thing left, on a plain background?"]
    if op == "move":
        if edit.relation:
            return [f"Has {target} been moved {relation_phrase(edit.relation)} {_named(scene, edit.anchor)}?"]
        return [f"Has {target} been moved to the {edit.value or 'new place'}?"]
    if op == "text_add":
        written = edit.text.text if edit.text is not None else ""
        return [f'Does the image now show the text "{written}", spelled exactly?']
    if op == "text_replace":
        new = edit.text.text if edit.text is not None else ""
        old = _text_of(scene, edit.target)
        return [f'Has {old} been replaced by "{new}", spelled exactly?', f"Is {old} gone?"]
    if op == "text_alter":
        return [f"Is the {edit.attribute or 'look'} of {_text_of(scene, edit.target)} now {edit.value}?"]
    if op == "text_remove":
        return [f"Has {_text_of(scene, edit.target)} been erased?"]
    if op == "background":
        return [f"Has the background been changed to {edit.value}?"]
    if op == "style":
        return [f"Has the image been restyled as {_pool_phrase('styles', edit.value or '', 'name')}?"]
    if op == "material":
        return [f"Is {target} now made of {edit.value}?"]
    if op == "motion":
        return [f"Is {target} now {edit.value}?"]
    return [f"Has the {op.replace('_', ' ')} edit been made?"]


def _walk_edits(scene: Scene, edits: list[Edit], reference: Reference | None) -> tuple[list[str], Scene]:
    out = []
    for position, edit in enumerate(edits):
        out += edit_questions(scene, edit, reference)
        try:
            scene = apply_edit(scene, edit, reference, position).scene
        except EditError:
            pass  # a spec the scene model cannot follow: later questions name objects as they were
    return out, scene


def questions(spec: InstructionSpec) -> list[str]:
    """The checklist for ``spec``: for a generation, its scene; for an edit, each edit operation
    (multi-turn: turn by turn, in ``turn_questions``' order)."""
    if spec.kind == "generation":
        return scene_questions(spec.scene or Scene())
    if spec.turns:
        return [q for turn in turn_questions(spec) for q in turn]
    return _walk_edits(spec.source or Scene(), list(spec.edits), spec.reference)[0]


def turn_questions(spec: InstructionSpec) -> list[list[str]]:
    """Per turn of a multi-turn spec, the questions that check that turn's edits."""
    scene, out = spec.source or Scene(), []
    for turn in spec.turns:
        asked, scene = _walk_edits(scene, list(turn.edits), spec.reference)
        out.append(asked)
    return out
