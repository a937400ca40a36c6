"""Drawing a :class:`DrawState` into a picture, and the record of what was drawn where.

Order: background (or a scientific figure), objects by depth (containers in two passes, so
their contents show inside), relation marks, texts, lighting, the style treatment, then the
camera marks and a caption strip naming background, lighting, camera and style.

Every mark is also listed as a *drawable* (key, box, signature): comparing two states'
drawables gives the regions an edit changes (:func:`changed_regions`).

What was drawn where is the layout record (:mod:`.layout_record`); objects and relation marks
are drawn by :mod:`.marks`, sequences by :mod:`.sequences`, and the regions an edit changes
are found by :mod:`.image_diffs`.
"""
from __future__ import annotations

from dataclasses import replace

from PIL import Image, ImageDraw

from ...spec import Scene, TextItem
from .background import background_kind, draw_background, is_night
from .fonts import load_font
from .labels import LabelJob, draw_label_job
from .placement import Box
from .layout_record import Drawn, LayoutRecord
from .marks import Overlay, draw_objects, draw_relations
from .paint import draw_label
from .sequences import draw_panels, draw_path, trajectory
from .state import DrawState, shows_description
from .texts import TextPlan, draw_text
from .treatments import TREATMENTS, apply_lighting, apply_treatment, draw_camera, seed_for, style_grade
from .vocab import stable_int, style_treatment

__all__ = ["RENDERER_NOTE", "Drawn", "Overlay", "is_science", "png_bytes", "prompt_card", "render_state"]


RENDERER_NOTE = "sketch (schematic, not a generative model)"


def is_science(scene: Scene) -> bool:
    return bool(scene.concept or scene.concept_kind)


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
    meta: LayoutRecord = {"renderer": RENDERER_NOTE}
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
            meta["panels"] = draw_panels(img, state, drawables, records)
        else:
            path = None
            if (scene.layout or "").lower().startswith("trajectory") and state.placements:
                meta["trajectory"], path = trajectory(state, frame.label_h)
            label_jobs = draw_objects(img, state, frame.label_h, overlays, drawables, records)
            draw_relations(img, state, frame.label_h, drawables)
            if path:
                draw_path(img, state, path, frame.label_h)
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

