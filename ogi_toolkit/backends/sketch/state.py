"""The drawing state of one picture: the scene plus where each object and text goes.

A generation picture is :func:`initial_state` of its scene. An edited picture folds the edits
over the source's state with :func:`apply_to_state`: objects the edit does not touch keep their
placement (box, instances, drawing order) exactly, so everything outside the edited object's
region is drawn with the same pixels. Added and moved objects are placed by their relation to
an anchor, by a named position, or in the free spot that overlaps others least.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ...scene_edit import apply_edit
from ...spec import Edit, Reference, Scene, SceneObject
from .layout import attach, layout_scene
from .placement import Box, Placement, clip_into, group_placement, label_height
from .spots import beside, free_spot, position_spot
from .vocab import ATTACHED_KINDS, objects_named_in, relation_kind, size_factor, state_words

MARGIN = 0.03  # of the canvas side
FOOTER = 0.055  # strip for the background / lighting / camera caption


@dataclass
class Frame:
    """Geometry fixed by the first scene drawn (so edits cannot shift it)."""

    width: int
    height: int
    area: Box  # where objects go
    text_top: int  # free texts stack in bands from here
    band_h: int
    label_h: int
    caption: Box | None = None  # where the description is written (see :func:`shows_description`)

    @property
    def canvas(self) -> Box:
        return 0, 0, self.width, self.height


@dataclass
class DrawState:
    scene: Scene
    frame: Frame
    placements: list[Placement]  # aligned with scene.objects
    axes: list[tuple[tuple[str, ...], Box]]  # symmetry axes and the objects they belong to
    text_keys: list[str]  # aligned with scene.texts
    text_slots: dict[str, int]  # key of a free text -> its band
    global_keys: set[str] = field(default_factory=set)  # what changed the whole picture


def hides_answer(scene: Scene) -> bool:
    """Whether the scene is a reasoning item (a causal effect, a temporal sequence) whose
    result the picture must show by drawing it: its description and its objects' states are
    never written on the picture, only drawn (state marks, see :mod:`.paint`)."""
    layout = scene.layout or ""
    return layout.startswith(("causal", "panels")) or (scene.panels or 1) > 1


def shows_description(scene: Scene) -> bool:
    """Whether the picture writes its scene's description as a caption: only a scene told in
    words alone whose description names nothing drawable (else a blank canvas), and never a
    reasoning item (see :func:`hides_answer`)."""
    if not scene.description or scene.concept or scene.concept_kind or hides_answer(scene):
        return False
    return not (scene.objects or scene.texts)


def make_frame(scene: Scene, width: int, height: int) -> Frame:
    m = round(min(width, height) * MARGIN)
    footer = round(height * FOOTER)
    free_texts = [t for t in scene.texts if t.on is None]
    label_h = label_height(height)
    top = m
    caption = None
    if shows_description(scene):
        if not scene.objects:  # nothing else to draw: the words fill the picture
            caption = (m * 2, round(height * 0.2), width - m * 2, round(height * 0.7))
        else:
            caption = (m, m, width - m, m + round(height * 0.16))
            top = caption[3] + m
    if not scene.objects:  # a text-only picture: the texts fill it, their stack centred
        room = height - footer - 2 * m
        band = min(round(height * 0.28), room // max(1, len(free_texts)))
        top = m + (room - band * len(free_texts)) // 2 if free_texts else top
    else:
        band = min(round(height * 0.1), round(height * 0.42) // max(1, len(free_texts)))
    objects_top = top + band * len(free_texts) + (m if free_texts else 0)
    area = (m, objects_top, width - m, height - footer - m // 2)
    return Frame(width, height, area, top, band, label_h, caption)


def drawable_scene(scene: Scene) -> Scene:
    """A scene told only in words (no objects, texts or concept) gets the objects its
    description names, so the picture shows them rather than an empty background; a causal
    scene's objects take the states its description gives the result ("burnt", "split",
    "melted"), so the effect is drawn rather than written."""
    if scene.concept or scene.concept_kind or not scene.description:
        return scene
    if not (scene.objects or scene.texts):
        named = list(objects_named_in(scene.description))
        if not named and (scene.layout or "").startswith("causal"):  # its subject, in the state it ends in
            named = [_subject_of(scene.description)]
        return scene.model_copy(update={"objects": named})
    if (scene.layout or "").startswith("causal"):
        states = state_words(scene.description)
        if states:
            objects = [o if "state" in o.attributes else
                       o.model_copy(update={"attributes": {**o.attributes, "state": states}}) for o in scene.objects]
            return scene.model_copy(update={"objects": objects})
    return scene


def _subject_of(text: str) -> SceneObject:
    """A stand-in for the thing a causal effect is about when it names no pool object: its
    first noun after an article ("the ice melting into slush" -> ice), in the states it names."""
    import re

    words = re.findall(r"[a-z]+", text.lower())
    noun = next((w for prev, w in zip(["the", *words], words) if prev in ("the", "a", "an") and len(w) > 2), None)
    states = state_words(text)
    return SceneObject(name=noun or words[0] if words else "thing", attributes={"state": states} if states else {})


def initial_state(scene: Scene, width: int, height: int, keys: list[str] | None = None) -> DrawState:
    scene = drawable_scene(scene)
    frame = make_frame(scene, width, height)
    laid = layout_scene(scene, frame.area, frame.canvas, frame.label_h, keys)
    text_keys = [f"t{i}" for i in range(len(scene.texts))]
    slots, n = {}, 0
    for key, t in zip(text_keys, scene.texts):
        if t.on is None:
            slots[key], n = n, n + 1
    return DrawState(scene, frame, laid.placements, laid.axes, text_keys, slots)


def _new_place(state: DrawState, scene: Scene, i: int, keys: list[str], old: Placement | None,
               old_factor: float, placed: dict[str, Placement], seed: int, moved: bool = False) -> Placement:
    """A placement for object ``i`` of the edited scene, which is new, moved or resized."""
    frame = state.frame
    obj = scene.objects[i]
    scale = size_factor(obj) / 0.85
    # a moved object is drawn over what it lands by (else it could hide behind it)
    top_z = max((p.z for p in placed.values()), default=1.0)
    z = old.z if old is not None and moved is False else max(top_z + 0.01, 2 + len(placed) * 1e-3)
    for r in reversed(scene.relations):  # the newest relation of the object says where it goes
        if r.object is None or i not in (r.subject, r.object):
            continue
        other = r.object if r.subject == i else r.subject
        if other == i or keys[other] not in placed:
            continue
        kind, swapped = relation_kind(r.relation)
        leads = (r.subject == i) != swapped  # i is the relation's subject once inverses are undone
        anchor_p = placed[keys[other]]
        if kind in ATTACHED_KINDS:
            if leads:
                return attach(kind, obj, keys[i], anchor_p, size_factor(obj) / size_factor(scene.objects[other]),
                              frame.label_h, frame.canvas)
            continue
        if kind in ("left", "interact"):
            side = "left" if leads else "right"
        elif kind in ("above", "above_left"):
            side = "above" if leads else "below"
        elif kind == "adjacent":
            side = "right"
        else:
            continue  # comparisons say nothing about where
        taken = [p.box for k, p in placed.items() if k != keys[other]]
        own = max(old.box[2] - old.box[0], old.box[3] - old.box[1]) if old is not None else None
        return beside(side, obj, keys[i], anchor_p, frame.area, frame.label_h, scale, z, taken, own)
    if "position" in obj.attributes:
        return position_spot(obj, keys[i], obj.attributes["position"], frame.area, frame.label_h, scale, z,
                             [p.box for p in placed.values()])
    if old is not None:  # same place, new size or count
        ratio = size_factor(obj) / old_factor
        # a size change must show: at least half again bigger, or a third smaller
        ratio = max(ratio, 1.5) if ratio > 1 else min(ratio, 0.67) if ratio < 1 else ratio
        x0, y0, x1, y1 = old.box
        cx, w, h = (x0 + x1) / 2, (x1 - x0) * ratio, (y1 - y0) * ratio
        # the same footing: a bigger or smaller object still stands where the old one stood
        region = clip_into((round(cx - w / 2), round(y1 - h), round(cx + w / 2), y1), frame.area)
        return group_placement(obj, keys[i], region, frame.label_h, z)
    taken = [p.box for p in placed.values()]
    return free_spot(obj, keys[i], seed, taken, frame.area, frame.label_h, scale, z)


SUPPORTED_KINDS = ("inside", "on_top", "under", "surround")
FALLS_WITHOUT_SUPPORT = ("inside", "on_top")  # resting on (or in) the object that holds it up


def fall_to_ground(p: Placement, area: Box) -> Placement:
    """``p`` dropped straight down until its box stands on the bottom of ``area`` (the ground),
    no longer attached to anything."""
    dy = area[3] - p.box[3]

    def down(b: Box) -> Box:
        return b[0], b[1] + dy, b[2], b[3] + dy

    return replace(p, box=down(p.box), instances=[down(b) for b in p.instances], anchor_key=None, mode="root")



def apply_to_state(state: DrawState, edit: Edit, edit_key: str, seed: int,
                   reference: Reference | None = None) -> DrawState:
    """The state after one edit; ``edit_key`` names what this edit adds ("e0", "t1.0")."""
    outcome = apply_edit(state.scene, edit, reference)
    scene = outcome.scene
    frame = state.frame
    if edit.op == "extract":  # a cut-out: the object alone, centred, on a plain background
        target = state.placements[outcome.object_origin[0]]
        fresh = initial_state(scene, frame.width, frame.height, keys=[target.key])
        fresh.frame = frame
        fresh.text_keys = [state.text_keys[o] for o in outcome.text_origin]
        fresh.text_slots = {}
        fresh.global_keys = state.global_keys | {edit_key}
        return fresh
    keys = [state.placements[o].key if o is not None else edit_key for o in outcome.object_origin]
    olds = [state.placements[o] if o is not None else None for o in outcome.object_origin]
    redo = set(outcome.replaced)
    grew = True
    # What rests on (or in, under) a re-placed object moves with it; what only stands in front
    # of, behind or beside it stays put unless the object is moved elsewhere (replacing the
    # baker does not move the child in front of him).
    moved = edit.op == "move"
    while grew:
        grew = False
        for j, old in enumerate(olds):
            if j not in redo and old is not None and old.anchor_key is not None and \
                    (moved or old.mode in SUPPORTED_KINDS) and any(keys[r] == old.anchor_key for r in redo):
                redo.add(j)
                grew = True
    placed: dict[str, Placement] = {k: p for k, p, j in zip(keys, olds, range(len(keys)))
                                    if p is not None and j not in redo}
    order = sorted(redo, key=lambda j: (olds[j] is not None and olds[j].anchor_key is not None, j))
    for j in order:
        origin = outcome.object_origin[j]
        old_factor = size_factor(state.scene.objects[origin]) if origin is not None else 0.85
        placed[keys[j]] = _new_place(state, scene, j, keys, olds[j], old_factor, placed, seed,
                                     moved and outcome.object_origin[j] == edit.target)
    live = set(keys)
    for k, p in list(placed.items()):  # what stood on (or in) a removed object falls to the ground
        if p.anchor_key is not None and p.anchor_key not in live and p.mode in FALLS_WITHOUT_SUPPORT:
            placed[k] = fall_to_ground(p, frame.area)
    placements = [placed[k] for k in keys]
    text_keys = [state.text_keys[o] if o is not None else edit_key for o in outcome.text_origin]
    slots = {k: v for k, v in state.text_slots.items() if k in text_keys}
    for key, t in zip(text_keys, scene.texts):
        if t.on is None and key not in slots:
            slots[key] = max(state.text_slots.values(), default=-1) + 1
    axes = [(owners, box) for owners, box in state.axes if all(k in live for k in owners)]
    globals_ = state.global_keys | ({edit_key} if outcome.global_change else set())
    return replace(state, scene=scene, placements=placements, axes=axes, text_keys=text_keys,
                   text_slots=slots, global_keys=globals_)
