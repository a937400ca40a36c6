"""Objects and relation marks drawn onto a picture, each also listed as a *drawable* (key,
box, signature) so that two states' drawables give the regions an edit changes."""
from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageDraw

from .fonts import load_font
from .labels import LabelJob, place_labels
from .placement import Box, Placement
from .paint import draw_instance, draw_object, glyph_record, label_of, object_colour
from .state import SUPPORTED_KINDS, DrawState, hides_answer
from .vocab import relation_kind

__all__ = ["Overlay", "draw_objects", "draw_relations", "union"]


@dataclass(frozen=True)
class Overlay:
    """Pixels of another picture drawn in place of an object (a reference image's subject)."""

    image: Image.Image
    box: Box
    silhouette_of: object  # the SceneObject whose glyph outline cuts the pixels out


def union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _containers(state: DrawState) -> set[str]:
    return {p.anchor_key for p in state.placements if p.mode == "inside" and p.anchor_key}


def _paste_overlay(img: Image.Image, obj, placed: Placement, overlay: Overlay) -> None:
    for k, (box, flip) in enumerate(zip(placed.instances, placed.flips)):
        w, h = box[2] - box[0], box[3] - box[1]
        if w < 3 or h < 3:
            continue
        patch = overlay.image.crop(overlay.box).resize((w, h), Image.Resampling.LANCZOS)
        if flip:
            patch = patch.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        cut = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        draw_instance(cut, overlay.silhouette_of, (0, 0, w, h), flip, 0)
        img.paste(patch, box[:2], cut.getchannel("A"))


def draw_objects(img: Image.Image, state: DrawState, label_h: int, overlays: dict[str, Overlay],
                  drawables: dict, records: list, panel: int | None = None) -> list[LabelJob]:
    """Draws every object (not its label) and returns the labels, placed so that none covers
    another label or another object's drawing; the caller draws them (after the style)."""
    scene = state.scene
    jobs: list[LabelJob] = []
    containers = _containers(state)
    order = sorted(range(len(state.placements)), key=lambda i: (state.placements[i].z, state.placements[i].key))
    front_passes: list[int] = []
    drawn: set[str] = set()
    for i in order:
        p, obj = state.placements[i], scene.objects[i]
        if p.key in overlays:
            _paste_overlay(img, obj, p, overlays[p.key])
        elif p.key in containers:
            draw_object(img, obj, p, label_h, mode="back")
            front_passes.append(i)
        else:
            draw_object(img, obj, p, label_h, label=False)
        drawn.add(p.key)
        # a container's front (rim, bars) goes on once everything inside it is drawn
        for j in list(front_passes):
            key = state.placements[j].key
            if all(q.key in drawn for q in state.placements if q.anchor_key == key and q.mode == "inside"):
                draw_object(img, scene.objects[j], state.placements[j], label_h, mode="front", label=False)
                front_passes.remove(j)
        tag = f"obj:{p.key}" + (f"@{panel}" if panel is not None else "")
        sig = f"{obj.model_dump_json()}|{p.box}|{p.instances}|{p.flips}|{p.z}|{p.key in containers}|{p.key in overlays}"
        box = p.box
        if obj.action:  # a pose (a jump lifts the body) and motion lines reach past the box
            ih, iw = p.instances[0][3] - p.instances[0][1], p.instances[0][2] - p.instances[0][0]
            box = (box[0] - round(iw * 0.2), box[1] - round(ih * 0.2), box[2] + round(iw * 0.2), box[3])
        drawables[tag] = (box, sig)
        jobs.append(LabelJob(tag, label_of(obj, hide_state=hides_answer(scene)), p.box, union(p.instances), label_h))
        records.append({"index": i, "key": p.key, "name": obj.name, "count": obj.count, "box": list(p.box),
                        "instances": [list(b) for b in p.instances], "colour_rgb": list(object_colour(obj, p.key)),
                        "z": p.z, **glyph_record(obj), "support": p.anchor_key if p.mode in SUPPORTED_KINDS else None,
                        **({"panel": panel} if panel is not None else {})})
    for j in front_passes:
        draw_object(img, scene.objects[j], state.placements[j], label_h, mode="front", label=False)
    place_labels(jobs, {job.key: job.body for job in jobs}, state.frame.area)
    for job, rec in zip(jobs, records[len(records) - len(jobs):]):
        box, sig = drawables[job.key]
        drawables[job.key] = (union([box, job.plate]), f"{sig}|{job.plate}")
        rec["label_box"] = list(job.plate)
        rec["label"] = job.text
    return jobs


def draw_relations(img: Image.Image, state: DrawState, label_h: int, drawables: dict) -> None:
    """Arrows for interactions ("chasing", "feeding") and dashed symmetry axes."""
    d = ImageDraw.Draw(img)
    scene = state.scene
    lw = max(2, img.width // 256)
    for r in scene.relations:
        kind, _ = relation_kind(r.relation)
        if kind != "interact" or r.object is None or r.object >= len(state.placements):
            continue
        a, b = state.placements[r.subject], state.placements[r.object]
        ay, by = (a.box[1] + a.box[3]) / 2, (b.box[1] + b.box[3]) / 2
        ax_, bx_ = (a.box[2], b.box[0]) if a.box[2] <= b.box[0] else (a.box[0], b.box[2])
        d.line([(ax_, ay), (bx_, by)], fill=(200, 40, 40), width=lw)
        ang = math.atan2(by - ay, bx_ - ax_)
        head = lw * 5
        d.polygon([(bx_, by), (bx_ - head * math.cos(ang - 0.4), by - head * math.sin(ang - 0.4)),
                   (bx_ - head * math.cos(ang + 0.4), by - head * math.sin(ang + 0.4))], fill=(200, 40, 40))
        text = r.relation.replace("_", " ")
        mid = ((ax_ + bx_) / 2, (ay + by) / 2)
        font = load_font("DejaVuSans", round(label_h * 0.75))
        tw = font.getlength(text)
        tbox = (round(mid[0] - tw / 2) - 2, round(mid[1] - label_h * 1.2), round(mid[0] + tw / 2) + 2, round(mid[1]) - 2)
        d.rectangle(tbox, fill=(255, 240, 240))
        d.text((tbox[0] + 2, tbox[1]), text, font=font, fill=(150, 20, 20))
        box = union([tbox, (round(min(ax_, bx_)) - head, round(min(ay, by)) - head,
                             round(max(ax_, bx_)) + head, round(max(ay, by)) + head)])
        drawables[f"rel:{a.key}:{r.relation}:{b.key}"] = (box, str(box))
    for owners, (x0, y0, x1, y1) in state.axes:
        for y in range(y0, y1, 12):
            d.line([((x0 + x1) / 2, y), ((x0 + x1) / 2, min(y1, y + 7))], fill=(90, 90, 90), width=max(1, lw // 2))
        drawables[f"axis:{','.join(owners)}:{x0}"] = ((x0 - lw, y0, x1 + lw, y1), str((x0, y0, x1, y1)))


