"""Drawing one placed object: glyph parts filled with its colour and a material pattern,
marks for its state (broken, wet, melted, burning...), motion lines and its name label.

Everything an object draws stays inside its placement's box, and its random details are
seeded by the object's key: that is what lets an edit change one object's region only.
"""
from __future__ import annotations

import re

import numpy as np
from PIL import Image, ImageDraw

from ...spec import SceneObject
from .fonts import fit_label
from .emoji import emoji_for, glyph_image
from .glyphs import glyph_parts
from .placement import Box, Placement
from .poses import lies_flat, pose_for, pose_name, pose_tile
from .vocab import RGB, colour_rgb, darker, glyph_kind, lighter, pool_item, stable_int

_DEFAULT_COLOURS = {"tree": "forest green", "plant": "green", "celestial": "gold", "flower": "hotpink", "liquid": "dodger blue"}
# material / texture keyword -> pattern name
_PATTERNS = [
    ("wood", ("wood", "oak", "bamboo", "timber", "pine", "walnut", "cork", "wicker", "rattan")),
    ("metal", ("metal", "steel", "iron", "alumin", "chrome", "tin", "titanium", "gold", "silver", "bronze",
               "copper", "brass", "platinum", "metallic")),
    ("glass", ("glass", "crystal", "ice", "acrylic", "transparent", "translucent", "diamond")),
    ("stone", ("stone", "marble", "granite", "concrete", "rock", "brick", "slate", "clay", "terracotta", "rough")),
    ("fabric", ("fabric", "cotton", "wool", "silk", "denim", "linen", "velvet", "knit", "felt", "canvas",
                "tweed", "lace", "woven")),
    ("leather", ("leather", "suede")),
    ("paper", ("paper", "cardboard", "parchment", "origami")),
    ("gloss", ("plastic", "rubber", "vinyl", "glossy", "smooth", "lacquer", "porcelain", "ceramic", "polished")),
    ("stripes", ("stripe", "striped")), ("dots", ("polka", "dot", "spotted", "speckled")),
    ("checks", ("check", "checkered", "chequered", "plaid", "tartan", "gingham")),
    ("fur", ("fur", "furry", "fluffy", "feather", "hairy", "shaggy")),
    ("scales", ("scale", "scaly", "sequin")),
]
# state word (a substring) -> mark drawn over the object
_STATES = [("crack", ("broken", "cracked", "shattered", "shattering", "smashed", "torn", "split", "snapped", "crumbl",
                     "popping", "burst")),
           ("wet", ("wet", "soaked", "dripping", "rain", "damp", "flood", "overflow")), ("melt", ("melt", "puddle")),
           ("fire", ("burning", "fire", "flame", "ablaze", "alight")), ("smoke", ("smok", "haze", "steam", "fume")),
           ("frost", ("frozen", "icy", "frost", "snow")), ("glow", ("glow", "lit", "shining", "bright", "lighted"))]
# state word -> change of the drawing itself (applied to the pictogram before it is placed)
_BODY_STATES = [("char", ("burnt", "burned", "scorch", "charred", "blacken", "singed")),
                ("rot", ("rotten", "mould", "mold", "decay", "shrivel", "wrinkl", "dried")), ("rust", ("rust",)),
                # years outside: faded, greyed, dusty ("a bicycle left outside for five years")
                ("age", ("weathered", "faded", "aged", "worn", "peeling", "dusty", "abandoned", "overgrown",
                         "neglected", "old and", "years")),
                ("wilt", ("wilt", "droop")), ("flat", ("deflat", "flat", "squash", "crush")),
                ("topple", ("fallen", "toppled", "knocked over", "tipped over", "tipping over", "toppling"))]


def _names_state(words: str, keys: tuple[str, ...]) -> bool:
    """Whether a key starts a word of ``words`` ("lit" in "lit up", not in "split")."""
    return any(re.search(r"\b" + re.escape(k), words) for k in keys)


def states_of(obj: SceneObject) -> list[str]:
    """The states drawn for ``obj`` (body changes first, then marks), from its attributes and
    its action (a thing's action is a state: a candle melting, a glass shattering)."""
    words = " ".join([*obj.attributes.values(), obj.action or ""]).lower()
    return [name for name, keys in _BODY_STATES + _STATES if _names_state(words, keys)]


def _body_state(tile: Image.Image, states: list[str]) -> Image.Image:
    """The drawing changed by a state: blackened, rotted, rusted, weathered, drooping, flattened,
    fallen."""
    if not any(s in states for s in ("char", "rot", "rust", "age", "wilt", "flat", "topple")):
        return tile
    w, h = tile.size
    a = np.asarray(tile, dtype=np.float32).copy()
    if "char" in states:
        a[..., :3] = a[..., :3] * 0.22 + np.array([30, 18, 10], np.float32)
    if "rot" in states:
        a[..., :3] = a[..., :3] * 0.5 + np.array([70, 60, 20], np.float32)
    if "rust" in states:
        a[..., :3] = a[..., :3] * 0.45 + np.array([120, 55, 20], np.float32)
    if "age" in states:  # colour drained to a dusty grey-brown, flecked with dirt
        grey = a[..., :3].mean(axis=2, keepdims=True)
        a[..., :3] = (a[..., :3] * 0.25 + grey * 0.45) + np.array([70, 62, 48], np.float32)
        specks = np.random.default_rng(w * 7919 + h).random((h, w)) < 0.06
        a[specks, :3] = (90, 75, 55)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGBA")
    angle = 90 if "topple" in states else -35 if "wilt" in states else 0
    if angle or "flat" in states:
        body = out.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True) if angle else out
        box = body.getbbox()
        body = body.crop(box) if box else body
        fit = min(w / max(1, body.width), h / max(1, body.height))
        size = (max(1, round(body.width * fit)), max(1, round(body.height * fit * (0.45 if "flat" in states else 1))))
        body = body.resize(size, Image.Resampling.BILINEAR)
        out = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        out.alpha_composite(body, ((w - size[0]) // 2, h - size[1]))
    return out


def object_colour(obj: SceneObject, key: str) -> RGB:
    name = obj.colour or _DEFAULT_COLOURS.get(glyph_kind(obj))
    return colour_rgb(name, fallback_key=obj.name)


# a material pattern's typical colour, for a pictogram given a material but no colour
_MATERIAL_COLOURS = {"wood": (160, 110, 65), "metal": (170, 175, 185), "glass": (185, 220, 235),
                     "stone": (150, 145, 140), "fabric": (120, 140, 190), "leather": (120, 75, 45),
                     "paper": (235, 228, 210), "gloss": (230, 80, 80), "fur": (170, 130, 90), "scales": (90, 150, 110)}


def _pattern_of(obj: SceneObject) -> str | None:
    words = " ".join(filter(None, [obj.material, *obj.attributes.get("texture", "").split(),
                                   *obj.attributes.get("pattern", "").split()])).lower()
    item = pool_item("materials", obj.material)
    if item is not None:
        words += " " + item.family
    for pattern, keys in _PATTERNS:
        if any(k in words for k in keys):
            return pattern
    return None


def _draw_pattern(img: Image.Image, pattern: str, base: RGB, seed: int) -> None:
    w, h = img.size
    d = ImageDraw.Draw(img)
    dark, light = darker(base, 0.7), lighter(base, 0.45)
    step = max(4, min(w, h) // 7)
    lw = max(1, min(w, h) // 60)
    rng = np.random.default_rng(seed)
    if pattern == "wood":
        for y in range(step // 2, h, step):
            pts = [(x, y + round(step * 0.2 * np.sin(x / max(1, w) * 6 + y))) for x in range(0, w + 8, 8)]
            d.line(pts, fill=dark, width=lw)
    elif pattern == "metal":
        for x in range(-h, w, step * 2):
            d.polygon([(x, h), (x + step, h), (x + step + h, 0), (x + h, 0)], fill=light)
    elif pattern == "glass":
        d.line([(w * 0.2, h * 0.7), (w * 0.45, h * 0.15)], fill=(255, 255, 255), width=max(2, lw * 2))
        d.line([(w * 0.35, h * 0.75), (w * 0.55, h * 0.35)], fill=(255, 255, 255), width=lw)
    elif pattern == "stone":
        for x, y in rng.integers(0, [max(1, w), max(1, h)], size=(max(8, w * h // 90), 2)):
            d.point((int(x), int(y)), fill=dark)
        d.line([(0, h * 0.3), (w * 0.4, h * 0.45), (w, h * 0.35)], fill=dark, width=lw)
    elif pattern in ("fabric", "checks"):
        s = step if pattern == "fabric" else step * 2
        for x in range(0, w, s // 2 if pattern == "fabric" else s):
            d.line([(x, 0), (x, h)], fill=dark, width=lw)
        for y in range(0, h, s // 2 if pattern == "fabric" else s):
            d.line([(0, y), (w, y)], fill=dark, width=lw)
    elif pattern == "leather":
        d.rectangle([lw * 3, lw * 3, w - lw * 3, h - lw * 3], outline=light, width=lw)
    elif pattern == "paper":
        for y in range(step, h, step):
            d.line([(0, y), (w, y)], fill=(150, 170, 220), width=lw)
    elif pattern == "gloss":
        d.ellipse([w * 0.15, h * 0.1, w * 0.45, h * 0.3], fill=lighter(base, 0.75))
    elif pattern == "stripes":
        for x in range(0, w, step * 2):
            d.rectangle([x, 0, x + step, h], fill=dark)
    elif pattern == "dots":
        for x in range(step // 2, w, step * 2):
            for y in range(step // 2, h, step * 2):
                d.ellipse([x, y, x + step * 0.8, y + step * 0.8], fill=light)
    elif pattern == "fur":
        for x, y in rng.integers(0, [max(1, w), max(1, h)], size=(max(6, w * h // 150), 2)):
            d.line([(int(x), int(y)), (int(x) + lw * 2, int(y) + step // 2)], fill=dark, width=lw)
    elif pattern == "scales":
        for y in range(0, h, step):
            for x in range((y // step % 2) * step // 2, w, step):
                d.arc([x, y, x + step, y + step], 0, 180, fill=dark, width=lw)


def _scaled_parts(parts, box: Box, flip: bool):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0

    def px(u: float) -> float:
        return (1 - u if flip else u) * w

    for shape, c, role in parts:
        if shape == "line":
            yield shape, [px(c[0]), c[1] * h, px(c[2]), c[3] * h], role, max(1, round(c[4] * min(w, h)))
        else:
            pts = [(px(c[i]), c[i + 1] * h) for i in range(0, len(c), 2)]
            if shape in ("ellipse", "rect"):
                (ax, ay), (bx, by) = pts
                pts = [(min(ax, bx), min(ay, by)), (max(ax, bx), max(ay, by))]
            yield shape, pts, role, 0


def _shape(d: ImageDraw.ImageDraw, shape: str, pts, fill, outline=None, width: int = 1) -> None:
    if shape == "ellipse":
        d.ellipse(pts, fill=fill, outline=outline, width=width)
    elif shape == "rect":
        d.rectangle(pts, fill=fill, outline=outline, width=width)
    elif shape == "poly":
        d.polygon(pts, fill=fill, outline=outline, width=width)
    else:
        d.line(pts, fill=fill if fill is not None else outline, width=width)


def glyph_record(obj: SceneObject) -> dict:
    """What draws ``obj``: the pictogram (its Unicode name) or the schematic glyph kind, its
    pose, material pattern and tint colour (the layout record's per-object glyph fields)."""
    found = emoji_for(obj)
    return {"glyph": found[1] if found else glyph_kind(obj), "glyph_source": "emoji" if found else "schematic",
            "pose": pose_name(obj.action), "pattern": _pattern_of(obj), "tint": obj.colour, "states": states_of(obj)}


def _emoji_tile(obj: SceneObject, chars: str, w: int, h: int, seed: int, alpha: float = 1.0) -> Image.Image:
    """The pictogram fitted into w x h (feet on the bottom edge), tinted toward the object's
    colour and overlaid with its material's pattern, so colour and material edits show."""
    glyph = glyph_image(chars)
    fit = min(w / glyph.width, h / glyph.height)
    size = (max(1, round(glyph.width * fit)), max(1, round(glyph.height * fit)))
    pic = glyph.resize(size, Image.Resampling.BILINEAR)
    rgb, a = np.asarray(pic.convert("RGB"), dtype=np.float32), np.asarray(pic.getchannel("A"), dtype=np.float32)
    if obj.colour:  # the glyph's shading kept, its hue moved to the colour
        lum = (rgb @ np.array([0.299, 0.587, 0.114], np.float32))[..., None] / 255
        target = np.array(colour_rgb(obj.colour, fallback_key=obj.name), np.float32)
        rgb = rgb * 0.35 + np.clip(target * (0.35 + 0.9 * lum), 0, 255) * 0.65
    pattern = _pattern_of(obj)
    if pattern:  # the material's own colour (unless one is asked for) and its grain over the shading
        if obj.colour:
            base = tuple(int(v) for v in (rgb * (a[..., None] / 255)).sum((0, 1)) / max(1.0, a.sum() / 255))
        else:
            base = _MATERIAL_COLOURS.get(pattern, (150, 150, 150))
        texture = Image.new("RGB", size, base)
        _draw_pattern(texture, pattern, base, seed)
        lum = (rgb @ np.array([0.299, 0.587, 0.114], np.float32))[..., None] / 255
        rgb = rgb * 0.42 + np.asarray(texture, dtype=np.float32) * (0.45 + 0.5 * lum) * 0.58
    if pattern == "glass":  # see-through: the background shows through a glass (or crystal) thing
        alpha *= 0.62
    out = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    body = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    body.putalpha(Image.fromarray((a * alpha).astype(np.uint8), "L"))
    out.paste(body, ((w - size[0]) // 2, h - size[1]))
    return out


def draw_instance(canvas: Image.Image, obj: SceneObject, box: Box, flip: bool, seed: int,
                  mode: str = "full") -> None:
    """One instance of ``obj`` in ``box``: its pictogram where one fits, else its schematic
    glyph, transformed by its pose. ``mode``: full, back (a see-through container behind its
    contents) or front (the container's rim and bars over its contents)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if w < 3 or h < 3:
        return
    found = emoji_for(obj)
    pose = pose_for(obj.action)
    if found is not None:
        if mode == "front":  # a pictogram container is drawn whole behind its contents
            return
        tile = _emoji_tile(obj, found[0], w, h, seed, 1.0 if mode == "full" else 0.8)
    else:
        tile = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        # the schematic limbs show the pose; a turn onto the side is the pose transform's
        _draw_schematic(tile, obj, (0, 0, w, h), False, seed, mode, None if lies_flat(obj.action) else obj.action)
    if flip:
        tile = tile.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if mode == "full":
        tile = pose_tile(_body_state(tile, states_of(obj)), pose)
    canvas.paste(tile, (x0, y0), tile)
    if mode != "back":
        _draw_state(ImageDraw.Draw(canvas), obj, box, seed)


def _draw_schematic(canvas: Image.Image, obj: SceneObject, box: Box, flip: bool, seed: int, mode: str,
                    action: str | None) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    base = object_colour(obj, str(seed))
    kind = glyph_kind(obj)
    parts = list(_scaled_parts(glyph_parts(kind, obj.name, action), (0, 0, w, h), flip))
    outline, edge = darker(base, 0.45), max(1, min(w, h) // 45)
    if mode != "front":
        mask = Image.new("L", (w, h), 0)
        md = ImageDraw.Draw(mask)
        for shape, pts, role, lw in parts:
            if role == "body":
                _shape(md, shape, pts, 255, width=lw)
        fill = Image.new("RGB", (w, h), base)
        pattern = _pattern_of(obj)
        if pattern:
            _draw_pattern(fill, pattern, base, seed)
        if pattern == "glass" or mode == "back":
            mask = mask.point(lambda v: v * 45 // 100 if mode == "back" else v * 65 // 100)
        canvas.paste(fill, (x0, y0), mask)
    d = ImageDraw.Draw(canvas)
    for shape, pts, role, lw in parts:
        pts = [(p[0] + x0, p[1] + y0) for p in pts] if shape != "line" else \
            [pts[0] + x0, pts[1] + y0, pts[2] + x0, pts[3] + y0]
        if role == "body":
            if shape == "line":
                if mode != "front":
                    continue
                _shape(d, shape, pts, None, outline=outline, width=lw)
            else:
                _shape(d, shape, pts, None, outline=outline, width=edge)
        elif mode != "back":
            colour = darker(base, 0.55) if role == "dark" else lighter(base, 0.6) if role == "light" else role
            _shape(d, shape, pts, colour, width=lw or 1)


def _draw_state(d: ImageDraw.ImageDraw, obj: SceneObject, box: Box, seed: int) -> None:
    words = " ".join([*obj.attributes.values(), obj.action or ""]).lower()
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    lw = max(1, min(w, h) // 30)
    for state, keys in _STATES:
        if not _names_state(words, keys):
            continue
        if state == "smoke":  # grey puffs rising from the top
            for k in range(3):
                r = w * (0.1 + 0.04 * k)
                cx, cy = x0 + w * (0.35 + 0.15 * k), y0 + h * (0.22 - 0.07 * k) + r
                d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(150, 150, 155), outline=(110, 110, 115))
        if state == "crack":
            d.line([(x0 + w * 0.3, y0), (x0 + w * 0.5, y0 + h * 0.35), (x0 + w * 0.4, y0 + h * 0.6),
                    (x0 + w * 0.62, y1)], fill=(20, 20, 20), width=lw * 2)
        elif state == "wet":
            for k in range(4):
                cx, cy = x0 + w * (0.2 + 0.2 * k), y0 + h * (0.15 + 0.17 * (k % 2))
                d.ellipse([cx - lw * 2, cy - lw * 3, cx + lw * 2, cy + lw * 3], fill=(60, 120, 230))
        elif state == "melt":
            d.ellipse([x0 - 0, y1 - h * 0.12, x1, y1], fill=(200, 220, 240), outline=(120, 150, 190))
        elif state == "fire":
            for k in range(3):
                cx = x0 + w * (0.3 + 0.2 * k)
                d.polygon([(cx - w * 0.08, y0 + h * 0.25), (cx, y0), (cx + w * 0.08, y0 + h * 0.25)], fill=(240, 110, 20))
        elif state == "frost":
            for k in range(3):
                cx, cy = x0 + w * (0.25 + 0.25 * k), y0 + h * 0.2
                for dx, dy in ((1, 0), (0, 1), (0.7, 0.7), (0.7, -0.7)):
                    d.line([(cx - dx * w * 0.06, cy - dy * w * 0.06), (cx + dx * w * 0.06, cy + dy * w * 0.06)],
                           fill=(200, 235, 255), width=lw)
        elif state == "glow":
            d.ellipse([x0, y0, x1, y1], outline=(255, 230, 90), width=lw * 2)


def label_of(obj: SceneObject, hide_state: bool = False) -> tuple[str, ...]:
    """How to label ``obj``, longest first: with its qualifiers ("red ceramic mug · steaming"),
    then without them, so that in a small box what an edit changes (an action, a texture)
    still shows rather than being cut off behind the colour words. ``hide_state``: a
    reasoning item's result is drawn, never named, so its state words stay off the label."""
    name = obj.name.lower()
    words = [w for w in (obj.size, obj.colour, obj.material) if w and w.lower() not in name]
    extra = [obj.action] if obj.action else []
    # "colour_of" says what the colour is of (a person's clothes): no label word
    hidden = ("position", "colour_of", "scale_factor") + (("state",) if hide_state else ())
    extra += [v for k, v in sorted(obj.attributes.items()) if k not in hidden]
    tail = " · " + ", ".join(extra) if extra else ""
    full = " ".join([*words, obj.name]) + tail
    return (full, obj.name + tail) if words and tail else (full,)


def draw_label(canvas: Image.Image, text: str | tuple[str, ...], box: Box, height: int) -> None:
    """``text`` centred in the strip of ``height`` at the bottom of ``box``, shrunk to fit;
    given several texts (longest first), the first that fits, else the last one cut short."""
    x0, y0, x1, y1 = box
    width = x1 - x0
    text, _, font = fit_label((text,) if isinstance(text, str) else tuple(text), width, round(height * 0.78))
    tw = font.getlength(text)
    tx, ty = x0 + (width - tw) / 2, y1 - height
    d = ImageDraw.Draw(canvas)
    # the plate stays inside the box: an edit that redraws the box leaves no sliver of it
    d.rectangle([max(x0, round(tx) - 2), ty, min(x1 - 1, round(tx + tw) + 2), y1 - 1], fill=(255, 255, 255))
    d.text((tx, ty + height * 0.06), text, font=font, fill=(25, 25, 25))


def draw_object(canvas: Image.Image, obj: SceneObject, placed: Placement, label_h: int, mode: str = "full",
                label: bool = True) -> None:
    """Every instance of ``obj``; its label too unless ``label`` is False (the renderer places
    labels itself, see :mod:`.labels`)."""
    seed = stable_int("object", placed.key)
    for k, (box, flip) in enumerate(zip(placed.instances, placed.flips)):
        draw_instance(canvas, obj, box, flip, seed + k, mode)
    if mode != "back" and label:
        draw_label(canvas, label_of(obj), placed.box, label_h)
