"""Pictures of a sequence: a temporal sequence as numbered panels (each draws its stage), and
a motion as a dotted trajectory with faded copies of the mover."""
from __future__ import annotations

import math
import re

from PIL import Image, ImageDraw

from ...spec import Scene, SceneObject, TextItem
from .background import background_kind, draw_background
from .labels import draw_label_job
from .placement import Box, group_placement
from .marks import draw_objects, draw_relations
from .paint import draw_instance, draw_object
from .state import DrawState, initial_state
from .texts import TextPlan, draw_text
from .vocab import objects_named_in, stable_int, state_words

__all__ = ["draw_panels", "draw_path", "trajectory"]


MIN_PANEL_PX = 28  # narrower panels have no room for a drawing: a small picture falls back to a grid
_TRAJECTORY_WORDS = ("arc", "spiral", "zigzag", "straight", "loop", "wave", "circle", "figure_eight", "bounce",
                     "fall", "orbit", "s_curve")


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


def trajectory(state: DrawState, label_h: int) -> tuple[dict, list[tuple[float, float]]]:
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


def draw_path(img: Image.Image, state: DrawState, pts: list[tuple[float, float]], label_h: int) -> None:
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


def _panel_grid(n: int, arrangement: str) -> tuple[int, int]:
    """(rows, columns) of the arrangement the instruction asked for: a single row (and a film
    strip) left to right, a column top to bottom, a grid as square as the count allows, a comic
    strip in rows of at most three."""
    if arrangement == "column":
        return n, 1
    if arrangement == "grid":
        cols = math.ceil(math.sqrt(n))
        return math.ceil(n / cols), cols
    if arrangement == "comic":
        rows = math.ceil(n / 3)
        return rows, math.ceil(n / rows)
    return 1, n  # row, filmstrip


def _panel_boxes(n: int, frame, arrangement: str = "row") -> list[Box]:
    x0, y0, x1, y1 = frame.area
    if arrangement == "filmstrip":  # the strip's sprocket rows above and below the frames
        pad = round((y1 - y0) * 0.12)
        y0, y1 = y0 + pad, y1 - pad
    rows, cols = _panel_grid(n, arrangement)
    gap = 3 if arrangement != "comic" else max(4, round((x1 - x0) * 0.015))  # a comic's white gutters
    if min((x1 - x0) / cols, (y1 - y0) / rows) - 2 * gap < MIN_PANEL_PX:  # a small picture: squarer panels
        rows, cols = _panel_grid(n, "grid")
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    return [(round(x0 + c * w) + gap, round(y0 + r * h) + gap, round(x0 + (c + 1) * w) - gap,
             round(y0 + (r + 1) * h) - gap) for r in range(rows) for c in range(cols)][:n]


def _draw_strip(img: Image.Image, frame, arrangement: str) -> None:
    """A film strip's black band with its sprocket holes (the frames are drawn over it)."""
    if arrangement != "filmstrip":
        return
    x0, y0, x1, y1 = frame.area
    d = ImageDraw.Draw(img)
    d.rectangle([x0, y0, x1, y1], fill=(25, 25, 28))
    pad = round((y1 - y0) * 0.12)
    hole = max(3, pad // 3)
    for x in range(x0 + hole, x1 - hole, hole * 3):
        for y in (y0 + pad // 2, y1 - pad // 2):
            d.rectangle([x, y - hole // 2, x + hole, y + hole // 2], fill=(235, 235, 230))


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
    """A stand-in for a stage that names no pool object: its first content word, singular (a
    state word is the stand-in's state, not its name: "an empty concert hall" is a concert)."""
    words = [w for w in re.findall(r"[a-z]+", caption.lower()) if w not in _STOP and len(w) > 2 and not state_words(w)]
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
    if not named and caption and state_words(caption):  # "wrinkled raisins": the grapes, dried
        objects = [o.model_copy(update={"attributes": {**o.attributes, "state": state_words(caption)}}) if k == 0 else o
                   for k, o in enumerate(objects)]
    return scene.model_copy(update={"objects": objects, "relations": scene.relations if not named else [],
                                    "texts": [], "panels": None, "description": None})


def draw_panels(img: Image.Image, state: DrawState, drawables, records) -> list[dict]:
    """A temporal sequence: each panel draws its stage (the objects and states its caption
    names, else the scene's objects with the first growing stage by stage) under a number;
    the stage's words are never written (the picture shows, it does not tell)."""
    scene = state.scene
    n = scene.panels or 1
    panels = []
    captions = _stage_captions(scene, n)
    arrangement = (scene.layout or "").lower().removeprefix("panels_") or "row"
    _draw_strip(img, state.frame, arrangement)
    for t, box in enumerate(_panel_boxes(n, state.frame, arrangement)):
        w, h = box[2] - box[0], box[3] - box[1]
        cap_h = round(h * 0.12)
        stage = _stage_scene(scene, captions[t])
        place = _stage_place(captions[t], stage.objects, scene.background)
        tile = draw_background(place, w, h)
        sub = initial_state(stage, w, h - cap_h)
        # the same objects in each panel (whatever their state): growth shows time
        if sub.placements and [o.name for o in stage.objects] == [o.name for o in scene.objects]:
            grow = 0.55 + 0.45 * t / max(1, n - 1)
            first = sub.placements[0]
            bx0, by0, bx1, by1 = first.box
            cx, cy = (bx0 + bx1) / 2, by1
            region = (round(cx - (bx1 - bx0) * grow / 2), round(cy - (by1 - by0) * grow), round(cx + (bx1 - bx0) * grow / 2), round(cy))
            sub.placements[0] = group_placement(stage.objects[0], first.key, region, sub.frame.label_h, first.z)
        body = draw_background(place, w, h - cap_h)
        sub_draw: dict = {}
        sub_records: list = []
        for job in draw_objects(body, sub, sub.frame.label_h, {}, sub_draw, sub_records, panel=t):
            draw_label_job(body, job)
        draw_relations(body, sub, sub.frame.label_h, sub_draw)
        tile.paste(body, (0, cap_h))
        number = draw_text(tile, TextPlan(t, f"panel{t}", TextItem(text=str(t + 1), role="caption"),
                                          (2, 2, min(w - 2, cap_h * 2), cap_h - 2)))
        img.paste(tile, box[:2])
        border = max(2, img.width // 300) * (2 if arrangement == "comic" else 1)  # a comic's heavy ink frames
        ImageDraw.Draw(img).rectangle(box, outline=(40, 40, 40), width=border)
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


