"""The vision checks of a whole dataset: every model runs once, batched, over all items, and each
item gets its rows (``vision.*``), among them the rows that compare an item with the rest of its
subtask (swapped or duplicated outputs).

What each row reads (models by role; a role whose model is not loaded gives no rows):

* ``vision.alignment`` (clip): output vs the instruction (generation) or the edited scene's caption;
* ``vision.object_alignment`` (clip): output vs each object's phrase ("two red apples");
* ``vision.object_present``, ``vision.object_count``, ``vision.object_colour``, ``vision.relation``
  (detector; colour also clip): GenEval's presence, exact count (objects asked more than once),
  colour of the best box's crop, relative position of box centres;
* ``vision.directional`` (clip): the image changes the way the caption changes;
* ``vision.kept_similarity`` (dino, else clip): a local edit's output still looks like its input;
* ``vision.edit_object`` (detector): the object an edit adds is there, the one it removes is gone;
* ``vision.reference_subject`` (dino, else clip; detector crops when loaded): the reference's
  subject is in the output;
* ``vision.output_duplicate``, ``vision.own_instruction`` (clip): no other output of the subtask is
  near-identical, and no other instruction of the subtask fits the output better.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...scene_edit import EditError, apply_edit
from ...vision import (
    POSITION_RELATIONS, Box, classify_colour, cosine, detect, directional_similarity, embed_images,
    image_embeddings, open_rgb, phrase_boxes, position_holds, text_embeddings,
)
from ...vision.model_set import VisionModels
from .items import CheckItem, CheckStep
from .result import result
from .vision_captions import edit_objects, object_phrase, scene_caption

if TYPE_CHECKING:
    from .suite.vision import VisionSection

__all__ = ["LOCAL_OPS", "vision_checks"]

# edits after which most of the picture is as it was: the kept part is compared with the input
LOCAL_OPS = frozenset({"add", "remove", "replace", "alter", "move", "material", "motion", "text_add",
                       "text_replace", "text_alter", "text_remove"})


@dataclass
class _Data:
    """Everything the models computed for the dataset, looked up by image path or text."""

    clip: dict[Path, np.ndarray] = field(default_factory=dict)
    dino: dict[Path, np.ndarray] = field(default_factory=dict)
    text: dict[str, np.ndarray] = field(default_factory=dict)
    boxes: dict[Path, dict[str, list[Box]]] = field(default_factory=dict)


def _readable(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        open_rgb(path)
        return True
    except (ValueError, OSError):
        return False


def _step_texts(item: CheckItem, step: CheckStep) -> list[str]:
    if step.input is None:
        return [item.spec.instruction, *(object_phrase(o) for o in (step.scene.objects if step.scene else []))]
    return [c for c in (scene_caption(step.before), scene_caption(step.scene)) if c]


def _step_phrases(item: CheckItem, step: CheckStep) -> dict[Path, set[str]]:
    """The object names the detector is asked about, per image of the step."""
    asked: dict[Path, set[str]] = {}
    if step.input is None:
        asked[step.output] = {o.name for o in (step.scene.objects if step.scene else [])}
        return asked
    for names_in, names_out in _edit_names(item, step):
        asked.setdefault(step.output, set()).update(names_in + names_out)
        asked.setdefault(step.input, set()).update(names_out)
    reference = _reference(item, step)
    if reference is not None:
        asked.setdefault(step.output, set()).add(reference[1])
        asked.setdefault(reference[0], set()).add(reference[1])
    return asked


def _edit_names(item: CheckItem, step: CheckStep) -> list[tuple[list[str], list[str]]]:
    """Per edit of the step: names that must be in the output, names that must be gone (a name
    still in the scene after the step is never required gone: one of two cats removed)."""
    scene, out = step.before, []
    if scene is None:
        return out
    final = {o.name for o in step.scene.objects} if step.scene else set()
    for position, edit in enumerate(step.edits):
        names_in, names_out = edit_objects(edit, scene)
        out.append((names_in, [n for n in names_out if n not in final]))
        try:
            scene = apply_edit(scene, edit, item.spec.reference, position).scene
        except EditError:
            break
    return out


def _reference(item: CheckItem, step: CheckStep) -> tuple[Path, str] | None:
    """The reference image and its subject's name, for the step that uses it."""
    ref = item.spec.reference
    if ref is None or step.name != "edit" or len(item.input_images) < 2 or ref.subject >= len(ref.scene.objects):
        return None
    return item.input_images[1], ref.scene.objects[ref.subject].name


def _final_text(item: CheckItem) -> str | None:
    step = item.steps[-1]
    return item.spec.instruction if step.input is None else scene_caption(step.scene)


def _compute(items: list[CheckItem], models: VisionModels) -> _Data:
    images: set[Path] = set()
    texts: set[str] = set()
    phrases: dict[Path, set[str]] = {}
    for item in items:
        for step in item.steps:
            images.update(p for p in (step.output, step.input) if p is not None)
            texts.update(_step_texts(item, step))
            for path, names in _step_phrases(item, step).items():
                phrases.setdefault(path, set()).update(names)
        if (ref := _reference(item, item.steps[-1])) is not None:
            images.add(ref[0])
        texts.update(t for t in [_final_text(item)] if t)
    paths = sorted(p for p in images | set(phrases) if _readable(p))
    data = _Data()
    kw = {"cache_dir": models.cache_dir}
    if models.clip is not None and paths:
        data.clip = dict(zip(paths, image_embeddings(models.clip, paths, batch_size=models.batch_size("clip"), **kw)))
        ordered = sorted(texts)
        data.text = dict(zip(ordered, text_embeddings(models.clip, ordered, **kw)))
    if models.dino is not None and paths:
        data.dino = dict(zip(paths, image_embeddings(models.dino, paths, batch_size=models.batch_size("dino"), **kw)))
    asked = [p for p in paths if phrases.get(p)]
    if models.detector is not None and asked:
        found = detect(models.detector, asked, [sorted(phrases[p]) for p in asked],
                       batch_size=models.batch_size("detector"), **kw)
        data.boxes = dict(zip(asked, found))
    return data


def _score(value: float) -> float:
    return round(float(value), 4)


def _at_least(name: str, value: float, threshold: float, what: str, **about: Any) -> dict[str, Any]:
    ok = value >= threshold
    return result(name, _score(value), threshold, ok, None if ok else f"{what} {value:.3f} < {threshold}", **about)


def _best(boxes: dict[str, list[Box]], name: str, th: VisionSection) -> Box | None:
    found = phrase_boxes(boxes, name, th.min_detection_score, th.nms_iou)
    return found[0] if found else None


def _generation_rows(item: CheckItem, step: CheckStep, d: _Data, models: VisionModels,
                     th: VisionSection) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    objects = step.scene.objects if step.scene else []
    image = d.clip.get(step.output)
    if image is not None:
        out.append(_at_least("vision.alignment", cosine(image, d.text[item.spec.instruction]), th.min_alignment,
                             "CLIP similarity to the instruction", step=step.name))
        for obj in objects:
            phrase = object_phrase(obj)
            out.append(_at_least("vision.object_alignment", cosine(image, d.text[phrase]), th.min_object_alignment,
                                 f"CLIP similarity to {phrase!r}", step=step.name, object=obj.name))
    boxes = d.boxes.get(step.output)
    if boxes is None:
        return out
    for obj in objects:
        top = max((b.score for b in boxes.get(obj.name, [])), default=0.0)
        out.append(_at_least("vision.object_present", top, th.min_detection_score, f"best {obj.name!r} box scores",
                             step=step.name, object=obj.name))
        if obj.count > 1:
            n = len(phrase_boxes(boxes, obj.name, th.min_count_score, th.nms_iou))
            out.append(result("vision.object_count", n, obj.count, n == obj.count,
                              None if n == obj.count else f"{n} {obj.name!r} found, the spec says {obj.count}",
                              step=step.name, object=obj.name))
        if obj.colour and models.clip is not None:
            out.append(_colour_row(step, obj.name, obj.colour, _best(boxes, obj.name, th), models, th))
    for rel in step.scene.relations if step.scene else []:
        if rel.object is None or rel.relation not in POSITION_RELATIONS:
            continue
        subject, other = objects[rel.subject].name, objects[rel.object].name
        if subject == other:
            continue  # two boxes of one phrase cannot say which is which
        out.append(_relation_row(step, subject, rel.relation, other, boxes, th))
    return out


def _colour_row(step: CheckStep, name: str, colour: str, box: Box | None, models: VisionModels,
                th: VisionSection) -> dict[str, Any]:
    about = {"step": step.name, "object": name}
    if colour not in th.colours:
        return result("vision.object_colour", None, colour, None, f"{colour!r} is not among the colours "
                      f"the check tells apart ({', '.join(th.colours)})", **about)
    if box is None:
        return result("vision.object_colour", None, colour, None, f"no {name!r} detected to read a colour from", **about)
    seen, p = classify_colour(models.clip, box.crop(open_rgb(step.output)), name, th.colours,
                              cache_dir=models.cache_dir)
    return result("vision.object_colour", seen, colour, seen == colour,
                  None if seen == colour else f"the {name} looks {seen} (p={p:.2f}), the spec says {colour}", **about)


def _relation_row(step: CheckStep, subject: str, relation: str, other: str, boxes: dict[str, list[Box]],
                  th: VisionSection) -> dict[str, Any]:
    about = {"step": step.name, "relation": f"{subject} {relation} {other}"}
    a, b = _best(boxes, subject, th), _best(boxes, other, th)
    if a is None or b is None:
        missing = subject if a is None else other
        return result("vision.relation", None, True, None, f"no {missing!r} detected to place", **about)
    from PIL import Image

    with Image.open(step.output) as image:
        size = image.size
    holds = position_holds(a, b, relation, size, th.position_margin)
    return result("vision.relation", holds, True, holds, None if holds else f"{relation} does not hold for the boxes",
                  **about)


def _edit_rows(item: CheckItem, step: CheckStep, d: _Data, models: VisionModels,
               th: VisionSection) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    before, after = scene_caption(step.before), scene_caption(step.scene)
    clip_in, clip_out = d.clip.get(step.input), d.clip.get(step.output)
    if clip_out is not None and after:
        out.append(_at_least("vision.alignment", cosine(clip_out, d.text[after]), th.min_alignment,
                             "CLIP similarity to the edited scene's caption", step=step.name))
        if clip_in is not None and before and before != after:
            value = directional_similarity(clip_in, clip_out, d.text[before], d.text[after])
            out.append(_at_least("vision.directional", value, th.min_directional, "directional CLIP similarity",
                                 step=step.name))
    if step.edits and all(e.op in LOCAL_OPS for e in step.edits):
        dino_in, dino_out = d.dino.get(step.input), d.dino.get(step.output)
        if dino_in is not None and dino_out is not None:
            out.append(_at_least("vision.kept_similarity", cosine(dino_in, dino_out), th.min_kept_dino,
                                 "DINOv2 similarity of input and output", step=step.name, model="dino"))
        elif clip_in is not None and clip_out is not None:
            out.append(_at_least("vision.kept_similarity", cosine(clip_in, clip_out), th.min_kept_clip,
                                 "CLIP image similarity of input and output", step=step.name, model="clip"))
    boxes_out, boxes_in = d.boxes.get(step.output), d.boxes.get(step.input)
    if boxes_out is not None:
        for names_in, names_out in _edit_names(item, step):
            for name in names_in:
                top = max((b.score for b in boxes_out.get(name, [])), default=0.0)
                out.append(_at_least("vision.edit_object", top, th.min_detection_score, f"best {name!r} box scores",
                                     step=step.name, object=name, expected="present"))
            for name in names_out:
                out.append(_gone_row(step, name, boxes_in or {}, boxes_out, th))
    if (ref := _reference(item, step)) is not None:
        out.append(_reference_row(step, *ref, d, models, th))
    return out


def _gone_row(step: CheckStep, name: str, boxes_in: dict, boxes_out: dict, th: VisionSection) -> dict[str, Any]:
    about = {"step": step.name, "object": name, "expected": "gone"}
    before = max((b.score for b in boxes_in.get(name, [])), default=0.0)
    after = max((b.score for b in boxes_out.get(name, [])), default=0.0)
    if before < th.min_detection_score:
        return result("vision.edit_object", _score(after), th.min_detection_score, None,
                      f"{name!r} is not detected in the input either: the detector cannot tell", **about)
    gone = after < th.min_detection_score
    return result("vision.edit_object", _score(after), th.min_detection_score, gone,
                  None if gone else f"{name!r} still detected (score {after:.3f})", **about)


def _reference_row(step: CheckStep, reference: Path, subject: str, d: _Data, models: VisionModels,
                   th: VisionSection) -> dict[str, Any]:
    """The reference's subject (its box, or the whole reference) against the output's box of the
    same name (or the whole output), by DINOv2, else CLIP image features."""
    model, threshold = (models.dino, th.min_reference_dino) if models.dino is not None else (models.clip, th.min_reference_clip)
    about = {"step": step.name, "object": subject, "model": model.role if model else None}
    if model is None or not (_readable(reference) and _readable(step.output)):
        return result("vision.reference_subject", None, threshold, None, "no image model, or an unreadable image", **about)
    crops = []
    for path in (reference, step.output):
        image = open_rgb(path)
        box = _best(d.boxes.get(path, {}), subject, th)
        crops.append(box.crop(image) if box is not None else image)
    a, b = embed_images(model, crops)
    return _at_least("vision.reference_subject", cosine(a, b), threshold, f"{model.role} similarity to the reference subject",
                     **about)


def _subtask_rows(items: list[CheckItem], d: _Data, th: VisionSection) -> dict[str, list[dict[str, Any]]]:
    """Rows that compare each output with the other outputs and instructions of its subtask."""
    out: dict[str, list[dict[str, Any]]] = {}
    groups: dict[str, list[CheckItem]] = {}
    for item in items:
        if item.steps and item.steps[-1].output in d.clip:
            groups.setdefault(item.subtask, []).append(item)
    for members in groups.values():
        if len(members) < 2:
            continue
        X = np.stack([d.clip[m.steps[-1].output] for m in members])
        sims = X @ X.T
        np.fill_diagonal(sims, -np.inf)
        texts = [_final_text(m) for m in members]
        for k, member in enumerate(members):
            j = int(np.argmax(sims[k]))
            value = float(sims[k, j])
            dup = value >= th.max_output_similarity
            rows = [result("vision.output_duplicate", _score(value), th.max_output_similarity, not dup,
                           f"near-identical to {members[j].id}'s output" if dup else None, similar_to=members[j].id)]
            own = texts[k]
            others = [i for i, t in enumerate(texts) if t and t != own]
            if own and others:
                fit = {i: cosine(X[k], d.text[texts[i]]) for i in [k, *others]}
                best = max(others, key=fit.get)
                margin = fit[k] - fit[best]
                ok = margin >= -th.swap_margin
                rows.append(result("vision.own_instruction", _score(margin), -th.swap_margin, ok,
                                   None if ok else f"fits {members[best].id}'s instruction better than its own",
                                   better_match=members[best].id))
            out[member.id] = rows
    return out


def vision_checks(items: list[CheckItem], models: VisionModels, th: VisionSection
                  ) -> dict[str, list[dict[str, Any]]]:
    """``{item id: [vision.* rows]}`` for every item, from the models ``models`` loaded and the
    thresholds ``th`` (the checks config's ``vision`` section)."""
    data = _compute(items, models)
    # an output no model read (unreadable) gets no vision rows: the technical checks say why
    seen = set(data.clip) | set(data.dino) | set(data.boxes)
    rows: dict[str, list[dict[str, Any]]] = {item.id: [] for item in items}
    for item in items:
        for step in item.steps:
            if step.output not in seen:
                continue
            make = _generation_rows if step.input is None else _edit_rows
            rows[item.id] += make(item, step, data, models, th)
    for item_id, extra in _subtask_rows(items, data, th).items():
        rows[item_id] += extra
    return rows

