"""Drawing a :class:`DrawState` into a picture, and the record of what was drawn where.

Order: background (or a scientific figure), objects by depth (containers in two passes, so
their contents show inside), relation marks, texts, lighting, the style treatment, then the
camera marks and a caption strip naming background, lighting, camera and style.

Every mark is also listed as a *drawable* (key, box, signature): comparing two states'
drawables gives the regions an edit changes (:func:`changed_regions`).

The layout record (``ImageResult.meta``; readers rely on these keys, new ones are only added):

* ``size`` [W, H]; ``renderer``; ``caption`` (the footer strip's words); ``background`` (the
  family: plain, colour, indoor, street, city, water, beach, underwater, field, forest,
  mountain, desert, snow, sunset, night, space) and ``background_night`` (a place at night);
* ``objects``: one per object drawn: ``index`` (into the scene's objects), ``key`` (identity
  kept through edits), ``name``, ``count``, ``box`` (instances and label strip), ``instances``
  (one box per instance), ``colour_rgb``, ``z``; since 2.0 also ``glyph`` (the emoji's Unicode
  name, or the schematic glyph kind), ``glyph_source`` (emoji | schematic), ``pose``
  (stand, run, jump, lie, fall, turn, ...), ``pattern`` (material texture or None), ``tint``
  (the colour word or None), ``states`` (burnt, smoke, crack, melt, ...), ``support`` (key of
  the object it rests on or in, else None), ``label`` (the words drawn) and ``label_box``;
  ``panel`` (its panel's index, in a sequence);
* ``texts``: every scene text drawn (see :mod:`.texts`: text, lines, box, font, size, ...);
  ``description_caption`` only for a scene told in words that names nothing drawable;
* ``panels`` (sequences): ``box``, ``caption`` (the stage, not written), ``text_drawn`` (its
  number), ``objects`` (names drawn in it); ``trajectory`` (path kind and points);
* science: ``labels`` (text, box; a plot's marks also ``at``, the pixel of the point they
  name, and ``anchor``, the rule) and ``figure`` (``kind``, ``presentation``, ``look``);
* ``treatment`` (style, family, treatment name, footprint_px);
* edits (from :mod:`.backend`): ``changed_regions`` and ``pixels_changed`` (``total`` and
  ``outside_regions``, which is 0 when an edit changed only what it should).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from PIL import Image, ImageDraw

from ...spec import Scene, SceneObject, TextItem
from .background import background_kind, draw_background, is_night
from .fonts import load_font
from .labels import LabelJob, draw_label_job, place_labels
from .layout import Box, Placement, group_placement
from .paint import draw_instance, draw_label, draw_object, glyph_record, label_of, object_colour
from .state import SUPPORTED_KINDS, DrawState, hides_answer, initial_state, shows_description
from .texts import TextPlan, draw_text
from .treatments import TREATMENTS, apply_lighting, apply_treatment, draw_camera, seed_for, style_grade
from .vocab import objects_named_in, relation_kind, stable_int, state_words, style_treatment

RENDERER_NOTE = "sketch (schematic, not a generative model)"
_TRAJECTORY_WORDS = ("arc", "spiral", "zigzag", "straight", "loop", "wave", "circle", "figure_eight", "bounce",
                     "fall", "orbit", "s_curve")


@dataclass
class Drawn:
    image: Image.Image
    meta: dict
    drawables: dict[str, tuple[Box, str]] = field(default_factory=dict)  # key -> (box, signature)
    global_signature: str = ""


@dataclass(frozen=True)
class Overlay:
    """Pixels of another picture drawn in place of an object (a reference image's subject)."""

    image: Image.Image
    box: Box
    silhouette_of: object  # the SceneObject whose glyph outline cuts the pixels out


def is_science(scene: Scene) -> bool:
    return bool(scene.concept or scene.concept_kind)


def _union(boxes: list[Box]) -> Box:
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


def _draw_objects(img: Image.Image, state: DrawState, label_h: int, overlays: dict[str, Overlay],
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
        jobs.append(LabelJob(tag, label_of(obj, hide_state=hides_answer(scene)), p.box, _union(p.instances), label_h))
        records.append({"index": i, "key": p.key, "name": obj.name, "count": obj.count, "box": list(p.box),
                        "instances": [list(b) for b in p.instances], "colour_rgb": list(object_colour(obj, p.key)),
                        "z": p.z, **glyph_record(obj), "support": p.anchor_key if p.mode in SUPPORTED_KINDS else None,
                        **({"panel": panel} if panel is not None else {})})
    for j in front_passes:
        draw_object(img, scene.objects[j], state.placements[j], label_h, mode="front", label=False)
    place_labels(jobs, {job.key: job.body for job in jobs}, state.frame.area)
    for job, rec in zip(jobs, records[len(records) - len(jobs):]):
        box, sig = drawables[job.key]
        drawables[job.key] = (_union([box, job.plate]), f"{sig}|{job.plate}")
        rec["label_box"] = list(job.plate)
        rec["label"] = job.text
    return jobs


def _draw_relations(img: Image.Image, state: DrawState, label_h: int, drawables: dict) -> None:
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
        box = _union([tbox, (round(min(ax_, bx_)) - head, round(min(ay, by)) - head,
                             round(max(ax_, bx_)) + head, round(max(ay, by)) + head)])
        drawables[f"rel:{a.key}:{r.relation}:{b.key}"] = (box, str(box))
    for owners, (x0, y0, x1, y1) in state.axes:
        for y in range(y0, y1, 12):
            d.line([((x0 + x1) / 2, y), ((x0 + x1) / 2, min(y1, y + 7))], fill=(90, 90, 90), width=max(1, lw // 2))
        drawables[f"axis:{','.join(owners)}:{x0}"] = ((x0 - lw, y0, x1 + lw, y1), str((x0, y0, x1, y1)))


def _path_points(kind: str, start, end, n: int = 48) -> list[tuple[float, float]]:
    (sx, sy), (ex, ey) = start, end
    length = math.hypot(ex - sx, ey - sy) or 1.0
    nx, ny = -(ey - sy) / length, (ex - sx) / length  # normal to the straight line
    pts = []
    for k in range(n + 1):
        t = k / n
        x, y = sx + (ex - sx) * t, sy + (ey - sy) * t
        off = {"arc": -math.sin(math.pi * t) * 0.35, "bounce": -abs(math.sin(3 * math.pi * t)) * 0.25,
               "zigzag": 0.12 if int(t * 8) % 2 else -0.12,
               "wave": math.sin(4 * math.pi * t) * 0.12, "s_curve": math.sin(2 * math.pi * t) * 0.18,
               "fall": 0.0, "straight": 0.0}.get(kind)
        if off is not None:
            pts.append((x + nx * off * length, y + ny * off * length))
            continue
        loops = {"spiral": 2.5, "loop": 1.0, "circle": 1.0, "orbit": 1.0, "figure_eight": 1.0}.get(kind, 1.0)
        radius = length * 0.15 * (1 - t if kind == "spiral" else 1)
        ang = 2 * math.pi * loops * t
        if kind == "figure_eight":
            pts.append((x + nx * math.sin(2 * ang) * radius, y + ny * math.sin(ang) * radius))
        else:
            pts.append((x + radius * math.sin(ang), y - radius * (1 - math.cos(ang))))
    return pts


def _trajectory(state: DrawState, label_h: int) -> tuple[dict, list[tuple[float, float]]]:
    """Where the first object flies: a path from the second object to the last one (or
    across the picture); the mover is put 60% of the way along it, above everything."""
    scene, frame = state.scene, state.frame
    words = " ".join(filter(None, [scene.description, *(scene.objects[0].attributes.values()),
                                   scene.objects[0].action])).lower().replace(" ", "_").replace("-", "_")
    kind = next((k for k in _TRAJECTORY_WORDS if k in words), "arc")
    others = state.placements[1:]
    x0, y0, x1, y1 = frame.area

    def top_of(b: Box) -> tuple[float, float]:
        return (b[0] + b[2]) / 2, b[1] + (b[3] - b[1]) * 0.2

    start = top_of(others[0].box) if len(others) >= 2 else (x0 + (x1 - x0) * 0.08, y0 + (y1 - y0) * 0.75)
    end = top_of(others[-1].box) if others else (x0 + (x1 - x0) * 0.92, y0 + (y1 - y0) * 0.75)
    if kind == "fall":
        start = (end[0], y0 + (y1 - y0) * 0.05)
    pts = _path_points(kind, start, end)
    size = min(x1 - x0, y1 - y0) * 0.14
    px, py = pts[int(0.6 * (len(pts) - 1))]
    mover = state.placements[0]
    state.placements[0] = group_placement(scene.objects[0], mover.key, (
        round(px - size / 2), round(py - size / 2), round(px + size / 2), round(py + size / 2 + label_h)), label_h, 9.0)
    return {"path": kind, "points": [[round(x), round(y)] for x, y in pts[::4]]}, pts


def _draw_path(img: Image.Image, state: DrawState, pts: list[tuple[float, float]], label_h: int) -> None:
    """The dotted path with an arrowhead, faded copies of the mover behind it, the mover on top."""
    d = ImageDraw.Draw(img)
    lw = max(2, img.width // 200)
    for k in range(0, len(pts) - 1, 2):
        d.line([pts[k], pts[k + 1]], fill=(30, 30, 30), width=lw)
    (ax_, ay), (bx_, by) = pts[-2], pts[-1]
    ang = math.atan2(by - ay, bx_ - ax_)
    head = lw * 6
    d.polygon([(bx_, by), (bx_ - head * math.cos(ang - 0.45), by - head * math.sin(ang - 0.45)),
               (bx_ - head * math.cos(ang + 0.45), by - head * math.sin(ang + 0.45))], fill=(30, 30, 30))
    mover, placed = state.scene.objects[0], state.placements[0]
    size = placed.instances[0][2] - placed.instances[0][0]
    ghost = img.copy()
    exposures = int(mover.attributes.get("exposures", "3")) if mover.attributes.get("exposures", "").isdigit() else 3
    for frac in [0.6 * k / max(1, exposures - 1) for k in range(max(0, exposures - 1))]:
        px, py = pts[int(frac * (len(pts) - 1))]
        draw_instance(ghost, mover, (round(px - size / 2), round(py - size / 2), round(px + size / 2), round(py + size / 2)),
                      False, stable_int("object", placed.key))
    img.paste(Image.blend(img, ghost, 0.4))
    draw_object(img, mover, placed, label_h, label=False)


def _panel_boxes(n: int, frame) -> list[Box]:
    x0, y0, x1, y1 = frame.area
    rows = 1 if n <= 4 else 2
    cols = math.ceil(n / rows)
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    return [(round(x0 + c * w) + 3, round(y0 + r * h) + 3, round(x0 + (c + 1) * w) - 3, round(y0 + (r + 1) * h) - 3)
            for r in range(rows) for c in range(cols)][:n]


def _stage_captions(scene: Scene, n: int) -> list[str]:
    """Each panel's caption: the scene's labels, else the "panel k: ..." parts of its description."""
    if len(scene.labels) >= n:
        return list(scene.labels[:n])
    parts = re.split(r"(?:^|;\s*)(?:panel|stage|frame|step)\s*\d+\s*:\s*", scene.description or "", flags=re.I)
    parts = [p.strip(" ;.") for p in parts if p.strip(" ;.")]
    return parts[:n] if len(parts) >= n else [f"stage {t + 1}" for t in range(n)]


_STOP = {"the", "a", "an", "of", "at", "on", "in", "with", "and", "its", "their", "some", "two", "three", "four",
         "half", "only", "just", "very", "more", "most", "each"}


def _stage_subject(caption: str) -> SceneObject:
    """A stand-in for a stage that names no pool object: its first content word, singular."""
    words = [w for w in re.findall(r"[a-z]+", caption.lower()) if w not in _STOP and len(w) > 2]
    word = words[0] if words else "stage"
    word = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    return SceneObject(name=word, attributes={"state": state_words(caption)} if state_words(caption) else {})


def _stage_place(caption: str, objects: list[SceneObject], default: str | None) -> str | None:
    """The place a stage names ("on a snowy ridge"), its objects' names left out (a spaceship
    is no place in space), else the scene's background."""
    text = caption.lower()
    for o in objects:
        text = text.replace(o.name.lower(), " ")
    return caption if background_kind(text) not in ("colour", "plain") else default


def _stage_scene(scene: Scene, caption: str) -> Scene:
    """What one panel draws: the objects its stage names, in the states it names ("a short
    stub of candle in a pool of wax": a candle, melted), else the scene's own objects."""
    named = objects_named_in(caption) if caption else ()
    if not named and not scene.objects and caption:  # "climbers at the base camp": its first noun, drawn
        named = (_stage_subject(caption),)
    objects = list(named) if named else list(scene.objects)
    return scene.model_copy(update={"objects": objects, "relations": scene.relations if not named else [],
                                    "texts": [], "panels": None, "description": None})


def _draw_panels(img: Image.Image, state: DrawState, drawables, records) -> list[dict]:
    """A temporal sequence: each panel draws its stage (the objects and states its caption
    names, else the scene's objects with the first growing stage by stage) under a number;
    the stage's words are never written (the picture shows, it does not tell)."""
    scene = state.scene
    n = scene.panels or 1
    panels = []
    captions = _stage_captions(scene, n)
    for t, box in enumerate(_panel_boxes(n, state.frame)):
        w, h = box[2] - box[0], box[3] - box[1]
        cap_h = round(h * 0.12)
        stage = _stage_scene(scene, captions[t])
        place = _stage_place(captions[t], stage.objects, scene.background)
        tile = draw_background(place, w, h)
        sub = initial_state(stage, w, h - cap_h)
        if sub.placements and stage.objects == scene.objects:  # the same objects each panel: growth shows time
            grow = 0.55 + 0.45 * t / max(1, n - 1)
            first = sub.placements[0]
            bx0, by0, bx1, by1 = first.box
            cx, cy = (bx0 + bx1) / 2, by1
            region = (round(cx - (bx1 - bx0) * grow / 2), round(cy - (by1 - by0) * grow), round(cx + (bx1 - bx0) * grow / 2), round(cy))
            sub.placements[0] = group_placement(stage.objects[0], first.key, region, sub.frame.label_h, first.z)
        body = draw_background(place, w, h - cap_h)
        sub_draw: dict = {}
        sub_records: list = []
        for job in _draw_objects(body, sub, sub.frame.label_h, {}, sub_draw, sub_records, panel=t):
            draw_label_job(body, job)
        _draw_relations(body, sub, sub.frame.label_h, sub_draw)
        tile.paste(body, (0, cap_h))
        number = draw_text(tile, TextPlan(t, f"panel{t}", TextItem(text=str(t + 1), role="caption"),
                                          (2, 2, min(w - 2, cap_h * 2), cap_h - 2)))
        img.paste(tile, box[:2])
        ImageDraw.Draw(img).rectangle(box, outline=(40, 40, 40), width=max(2, img.width // 300))
        dx, dy = box[0], box[1] + cap_h
        for rec in sub_records:
            rec["box"] = [rec["box"][0] + dx, rec["box"][1] + dy, rec["box"][2] + dx, rec["box"][3] + dy]
            rec["instances"] = [[b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy] for b in rec["instances"]]
            rec["label_box"] = [rec["label_box"][0] + dx, rec["label_box"][1] + dy, rec["label_box"][2] + dx,
                                rec["label_box"][3] + dy]
        records.extend(sub_records)
        drawables[f"panel:{t}"] = (box, repr(sorted(sub_draw.items())))
        panels.append({"box": list(box), "caption": captions[t], "text_drawn": number["text"],
                       "objects": [o.name for o in stage.objects]})
    return panels


def _caption(img: Image.Image, scene: Scene, treatment: str | None) -> str:
    parts = [f"background: {scene.background}" if scene.background else None,
             f"lighting: {scene.lighting}" if scene.lighting else None,
             f"camera: {scene.camera}" if scene.camera else None,
             f"style: {scene.style}" + (f" ({treatment})" if treatment else "") if scene.style else None]
    text = " · ".join(p for p in parts if p)
    h = round(img.height * 0.045)
    d = ImageDraw.Draw(img)
    font = load_font("DejaVuSans", max(8, round(h * 0.6)))
    d.rectangle([0, img.height - h, img.width, img.height], fill=(245, 245, 245))
    mark = "sketch renderer (schematic)"
    room = img.width - font.getlength(mark) - 24
    shown = text
    while shown and font.getlength(shown) > room:
        shown = shown[:-2] + "…" if len(shown) > 2 else ""
    d.text((6, img.height - h + h * 0.15), shown, font=font, fill=(60, 60, 60))
    d.text((img.width - font.getlength(mark) - 6, img.height - h + h * 0.15), mark, font=font, fill=(150, 150, 150))
    return text


def render_state(state: DrawState, seed: int, overlays: dict[str, Overlay] | None = None) -> Drawn:
    state = replace(state, placements=list(state.placements))  # a trajectory moves its mover
    scene, frame = state.scene, state.frame
    overlays = overlays or {}
    W, H = frame.width, frame.height
    drawables: dict[str, tuple[Box, str]] = {}
    records: list[dict] = []
    meta: dict = {"renderer": RENDERER_NOTE}
    label_jobs: list[LabelJob] = []
    if is_science(scene):
        from .science import figure_info, render_science

        pixels, labels = render_science(scene, W, H - round(H * 0.045), seed)
        meta["figure"] = figure_info(scene)
        img = Image.new("RGB", (W, H), (251, 250, 245))
        img.paste(Image.fromarray(pixels, "RGB"), (0, 0))
        meta["labels"] = labels
    else:
        img = draw_background(scene.background, W, H)
        if scene.panels and scene.panels > 1:
            meta["panels"] = _draw_panels(img, state, drawables, records)
        else:
            path = None
            if (scene.layout or "").lower().startswith("trajectory") and state.placements:
                meta["trajectory"], path = _trajectory(state, frame.label_h)
            label_jobs = _draw_objects(img, state, frame.label_h, overlays, drawables, records)
            _draw_relations(img, state, frame.label_h, drawables)
            if path:
                _draw_path(img, state, path, frame.label_h)
    text_records = []
    on_object: dict[int, list[str]] = {}  # texts sharing an object share its face, in bands
    for key, item in zip(state.text_keys, scene.texts):
        if item.on is not None:
            on_object.setdefault(item.on, []).append(key)
    for i, (key, item) in enumerate(zip(state.text_keys, scene.texts)):
        if item.on is not None and item.on < len(state.placements) and not is_science(scene):
            first = state.placements[item.on].instances[0]
            w, h = first[2] - first[0], first[3] - first[1]
            keys = sorted(on_object[item.on])
            band = h * 0.5 / len(keys)
            top = first[1] + h * 0.22 + band * keys.index(key)
            region = (first[0] + round(w * 0.08), round(top), first[2] - round(w * 0.08), round(top + band))
        else:
            slot = state.text_slots.get(key, i)
            top = frame.text_top + slot * frame.band_h
            region = (round(W * 0.05), top, W - round(W * 0.05), top + frame.band_h)
        rec = draw_text(img, TextPlan(i, key, item, region))
        text_records.append(rec)
        drawables[f"text:{key}"] = (tuple(rec["box"]), f"{item.model_dump_json()}|{rec['box']}")
    if frame.caption is not None and shows_description(scene):
        item = TextItem(text=scene.description, role="caption", font="italic")
        meta["description_caption"] = draw_text(img, TextPlan(-1, "description", item, frame.caption))
        drawables["caption:description"] = (tuple(meta["description_caption"]["box"]), scene.description)
    img = apply_lighting(img, scene.lighting)
    treatment, family = style_treatment(scene.style, scene.style_family)
    if treatment:
        img = style_grade(apply_treatment(img, treatment, seed_for(treatment, seed)), scene.style)
        meta["treatment"] = {"style": scene.style, "family": family, "name": treatment,
                             "footprint_px": TREATMENTS[treatment].footprint(W)}
    for job in label_jobs:  # on top of the style treatment: every style keeps names readable
        draw_label_job(img, job)
    draw_camera(img, scene.camera)
    meta["caption"] = _caption(img, scene, treatment)
    meta.update({"size": [W, H], "background": background_kind(scene.background),
                 "background_night": is_night(scene.background), "objects": records,
                 "texts": text_records})
    glob = scene.model_dump_json(include={"background", "style", "style_family", "lighting", "camera", "layout",
                                          "panels", "concept", "concept_kind", "labels"})
    if is_science(scene) or scene.panels or (scene.layout or "").startswith("trajectory"):
        glob += scene.model_dump_json()  # whole-picture drawings: any change redraws everything
    return Drawn(img, meta, drawables, glob + "|" + "|".join(sorted(state.global_keys)))


def changed_regions(before: Drawn, after: Drawn) -> list[Box]:
    """Boxes where ``after`` may differ from ``before`` (grown by the style's footprint)."""
    W, H = after.image.size
    if before.global_signature != after.global_signature:
        return [(0, 0, W, H)]
    boxes = []
    for key in sorted(set(before.drawables) | set(after.drawables)):
        a, b = before.drawables.get(key), after.drawables.get(key)
        if a is not None and b is not None and a[1] == b[1]:
            continue
        boxes += [d[0] for d in (a, b) if d is not None]
    grow = 2 + after.meta.get("treatment", {}).get("footprint_px", 0)
    return [(max(0, x0 - grow), max(0, y0 - grow), min(W, x1 + grow), min(H, y1 + grow)) for x0, y0, x1, y1 in boxes]


def pixels_changed(before: Image.Image, after: Image.Image, regions: list[Box]) -> dict:
    """How many pixels an edit changed: in all, and outside its changed regions (0 when the
    edit changed only what it should)."""
    import numpy as np

    diff = (np.asarray(before, dtype=np.int16) != np.asarray(after, dtype=np.int16)).any(axis=2)
    inside = np.zeros_like(diff)
    for x0, y0, x1, y1 in regions:
        inside[y0:y1, x0:x1] = True
    return {"total": int(diff.sum()), "outside_regions": int((diff & ~inside).sum())}


def composite(base: Image.Image, drawn: Image.Image, regions: list[Box]) -> Image.Image:
    """``base`` with ``drawn``'s pixels in ``regions``: an edit that starts from the input image."""
    out = base.convert("RGB").resize(drawn.size, Image.Resampling.LANCZOS) if base.size != drawn.size else base.convert("RGB").copy()
    mask = Image.new("L", drawn.size, 0)
    md = ImageDraw.Draw(mask)
    for box in regions:
        md.rectangle([box[0], box[1], box[2] - 1, box[3] - 1], fill=255)
    out.paste(drawn, (0, 0), mask)
    return out


def prompt_card(prompt: str, width: int, height: int, base: Image.Image | None = None) -> tuple[Image.Image, dict]:
    """A deterministic card showing a prompt (no structured spec to draw from)."""
    h = stable_int("card", prompt)
    colour = (200 + h % 50, 200 + (h >> 8) % 50, 200 + (h >> 16) % 50)
    img = base.convert("RGB").resize((width, height)) if base is not None else Image.new("RGB", (width, height), colour)
    band = (round(width * 0.06), round(height * (0.55 if base is not None else 0.2)), round(width * 0.94), round(height * 0.9))
    ImageDraw.Draw(img).rounded_rectangle(band, radius=12, fill=(250, 250, 245), outline=(90, 90, 90), width=2)
    title = "edit instruction" if base is not None else "prompt"
    draw_label(img, f"sketch renderer: {title} (no structured spec)", (0, 0, width, round(height * 0.12)),
               round(height * 0.05))
    inner = (band[0] + 10, band[1] + 10, band[2] - 10, band[3] - 10)
    rec = draw_text(img, TextPlan(0, "prompt", TextItem(text=prompt or " "), inner, plate=False))
    return img, {"renderer": RENDERER_NOTE, "size": [width, height], "texts": [rec], "objects": []}


def png_bytes(img: Image.Image) -> bytes:
    """PNG with fixed encoder settings and no metadata: same picture, same bytes."""
    import io

    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=6, optimize=False)
    return buf.getvalue()

