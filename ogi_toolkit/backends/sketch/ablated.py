"""The ``sketch-ablated`` backend: the sketch renderer with known gaps, a weak baseline.

It is the offline "weak model" of a difficulty calibration (``ogi calibrate --strong sketch
--weak sketch-ablated``): it draws each spec the way the sketch renderer does, after taking
away what a weak image model typically gets wrong. Its gaps are fixed and stated, so a
calibration against it must find exactly the cells that need what it lacks:

* at most two objects are drawn (the first two of each scene; an object added to a scene
  that already shows two is not drawn, and an edit of an object never drawn is ignored);
* only Latin-script text is written (any other script is left out);
* relations are ignored (objects go where the renderer puts unrelated objects; an object
  moved next to another stays where it was);
* counts above three are drawn as three.

It is not a model; every result says so (``identity()["renderer"]`` and ``meta["renderer"]``,
with the gaps in ``meta["ablation"]``).
"""
from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from ...scene_edit import EditError, apply_edit
from ...spec import Edit, InstructionSpec, Reference, Scene, SceneObject, TextItem, Turn
from ..base import ImageRequest, ImageResult
from .backend import SketchBackend, render_request

__all__ = ["ABLATED_NOTE", "ABLATION", "AblatedSketchBackend", "ablate_spec"]

MAX_OBJECTS = 2
MAX_COUNT = 3
SCRIPTS = ("Latn",)
ABLATION = {"max_objects": MAX_OBJECTS, "max_count": MAX_COUNT, "scripts": list(SCRIPTS), "relations": "ignored"}
ABLATED_NOTE = ("sketch-ablated (a baseline with known gaps, not a model: the schematic sketch renderer drawing at "
                f"most {MAX_OBJECTS} objects, only Latin text, ignoring relations and counts above {MAX_COUNT})")
_OBJECT_OPS = ("remove", "replace", "alter", "extract", "move", "material", "motion")
_TEXT_OPS = ("text_replace", "text_alter", "text_remove")


def _capped(obj: SceneObject | None) -> SceneObject | None:
    if obj is None or obj.count <= MAX_COUNT:
        return obj
    return obj.model_copy(update={"count": MAX_COUNT})


def _writable(text: TextItem | None) -> bool:
    return text is None or text.script in SCRIPTS


class _Drawn:
    """The scene the ablated renderer shows, beside the scene the spec means, and where each of
    the spec's objects and texts is in it (``None``: not drawn)."""

    def __init__(self, scene: Scene, keep: list[int]):
        keep = [i for i in keep if i < len(scene.objects)]
        self.objects: list[int | None] = [keep.index(i) if i in keep else None for i in range(len(scene.objects))]
        texts = [i for i, t in enumerate(scene.texts) if _writable(t)]
        self.texts: list[int | None] = [texts.index(i) if i in texts else None for i in range(len(scene.texts))]
        self.meant = scene
        self.scene = scene.model_copy(update={
            "objects": [_capped(scene.objects[i]) for i in keep],
            "relations": [],
            "texts": [self._text(scene.texts[i]) for i in texts]})

    def _text(self, text: TextItem) -> TextItem:
        on = self.objects[text.on] if text.on is not None and text.on < len(self.objects) else None
        return text.model_copy(update={"on": on})

    def _edit(self, edit: Edit) -> Edit | None:
        """``edit`` in the drawn scene's indices, or None where the ablation ignores it."""
        update: dict[str, Any] = {"object": _capped(edit.object)}
        if edit.op in _OBJECT_OPS:
            if edit.target is None or edit.target >= len(self.objects) or self.objects[edit.target] is None:
                return None  # an object that is not drawn cannot be edited
            update["target"] = self.objects[edit.target]
        if edit.op in _TEXT_OPS:
            if edit.target is None or edit.target >= len(self.texts) or self.texts[edit.target] is None:
                return None
            update["target"] = self.texts[edit.target]
        if edit.op in ("text_add", "text_replace") and not _writable(edit.text):
            return None
        if edit.text is not None:
            update["text"] = self._text(edit.text)
        if edit.op == "add" and len(self.scene.objects) >= MAX_OBJECTS:
            return None
        if edit.relation is not None and edit.anchor is not None:  # relations are ignored
            if edit.op == "move":
                return None
            update.update(relation=None, anchor=None)
        if edit.op == "alter" and edit.attribute == "count" and (edit.value or "").isdigit():
            update["value"] = str(min(int(edit.value), MAX_COUNT))
        return edit.model_copy(update=update)

    def apply(self, edit: Edit, reference: Reference | None, drawn_reference: Reference | None) -> Edit | None:
        """Apply ``edit`` to both scenes; returns the edit as drawn (None: ignored)."""
        meant = apply_edit(self.meant, edit, reference)
        drawn_edit = self._edit(edit)
        if drawn_edit is not None:
            try:
                drawn = apply_edit(self.scene, drawn_edit, drawn_reference)
            except EditError:  # it needs something the ablation left out
                drawn_edit, drawn = None, None
        else:
            drawn = None
        if drawn is None:
            self.objects = [self.objects[o] if o is not None else None for o in meant.object_origin]
            self.texts = [self.texts[o] if o is not None else None for o in meant.text_origin]
        else:
            self.objects = [_follow(o, self.objects, drawn.object_origin) for o in meant.object_origin]
            self.texts = [_follow(o, self.texts, drawn.text_origin) for o in meant.text_origin]
            self.scene = drawn.scene.model_copy(update={"relations": []})
        self.meant = meant.scene
        return drawn_edit


def _follow(origin: int | None, before: list[int | None], drawn_origin: list[int | None]) -> int | None:
    """Where the spec's object (or text) that came from ``origin`` is in the drawn result."""
    if origin is None:  # new in this edit: the drawn result's new one, if it has one
        return next((i for i, o in enumerate(drawn_origin) if o is None), None)
    was = before[origin]
    return drawn_origin.index(was) if was is not None and was in drawn_origin else None


def _reference(reference: Reference | None) -> Reference | None:
    if reference is None:
        return None
    others = [i for i in range(len(reference.scene.objects)) if i != reference.subject]
    drawn = _Drawn(reference.scene, [reference.subject, *others][:MAX_OBJECTS])
    return Reference(scene=drawn.scene, subject=0)


def ablate_spec(spec: InstructionSpec) -> InstructionSpec:
    """What the ablated renderer draws for ``spec``: the same spec without what it cannot do."""
    update: dict[str, Any] = {}
    if spec.scene is not None:
        update["scene"] = _Drawn(spec.scene, list(range(MAX_OBJECTS))).scene
    drawn_reference = _reference(spec.reference)
    update["reference"] = drawn_reference
    if spec.source is not None:
        source = _Drawn(spec.source, list(range(MAX_OBJECTS)))
        update["source"] = source.scene
        edits = [source.apply(e, spec.reference, drawn_reference) for e in spec.edits]
        update["edits"] = [e for e in edits if e is not None]
        turns = []
        for turn in spec.turns:
            kept = [source.apply(e, spec.reference, drawn_reference) for e in turn.edits]
            turns.append(Turn(instruction=turn.instruction, edits=[e for e in kept if e is not None]))
        update["turns"] = turns
    return spec.model_copy(update=update)


def render_ablated(request: ImageRequest) -> ImageResult:
    spec = ablate_spec(request.spec) if request.spec is not None else None
    result = render_request(replace(request, spec=spec))
    result.meta.update({"renderer": ABLATED_NOTE, "ablation": ABLATION})
    result.model = "sketch-ablated"
    return result


class AblatedSketchBackend(SketchBackend):
    """The sketch renderer with the gaps of the module docstring: a weak offline baseline."""

    name = "sketch-ablated"

    def identity(self) -> dict[str, Any]:
        return {**super().identity(), "backend": self.name, "renderer": ABLATED_NOTE, "ablation": ABLATION}

    async def generate(self, request: ImageRequest) -> ImageResult:
        return await asyncio.to_thread(render_ablated, request)

    async def edit(self, request: ImageRequest) -> ImageResult:
        return await asyncio.to_thread(render_ablated, request)
