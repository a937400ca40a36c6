"""Backgrounds: a gradient and a few marks per kind of place (sky and ground, skyline, stars).

A background depends only on its own words and the canvas size, never on the objects, so an
edit of an object leaves it untouched.
"""
from __future__ import annotations

import functools

import numpy as np
from PIL import Image, ImageDraw

from .vocab import RGB, colour_rgb, lighter, pool_item, stable_int

# kind -> (top colour, bottom colour, horizon as a fraction of the height or None)
_KINDS: dict[str, tuple[RGB, RGB, float | None]] = {
    "space": ((5, 5, 25), (25, 15, 60), None), "night": ((10, 15, 45), (40, 50, 90), 0.78),
    "underwater": ((40, 150, 200), (10, 40, 100), None), "beach": ((150, 205, 245), (235, 215, 160), 0.62),
    "water": ((160, 210, 245), (40, 110, 170), 0.55), "forest": ((170, 215, 170), (40, 100, 50), 0.7),
    "desert": ((250, 200, 140), (220, 170, 100), 0.66), "snow": ((200, 225, 245), (245, 248, 252), 0.65),
    "mountain": ((160, 200, 235), (110, 140, 120), 0.75), "city": ((185, 195, 210), (110, 115, 125), 0.8),
    "field": ((150, 200, 240), (110, 180, 90), 0.68), "sunset": ((250, 150, 90), (120, 60, 120), 0.75),
    "indoor": ((235, 225, 205), (190, 160, 125), 0.74), "plain": ((252, 252, 252), (240, 240, 240), None),
}
_KEYWORDS = [
    ("space", ("space", "galaxy", "cosmos", "nebula", "orbit", "planet", "moon surface", "starfield")),
    ("underwater", ("underwater", "reef", "ocean floor", "seabed", "aquarium", "deep sea")),
    ("night", ("night", "midnight", "starry")), ("sunset", ("sunset", "dusk", "sunrise", "dawn")),
    ("beach", ("beach", "seaside", "coast", "shore", "tropical")),
    ("water", ("ocean", "sea", "lake", "river", "harbor", "harbour", "pond", "waterfall", "bay")),
    ("snow", ("snow", "winter", "arctic", "glacier", "ice", "tundra")),
    ("mountain", ("mountain", "cliff", "canyon", "valley", "hill", "volcano", "summit", "ridge", "peak", "alpine")),
    ("desert", ("desert", "dune", "savanna", "savannah", "mars")),
    ("forest", ("forest", "jungle", "woods", "rainforest", "grove", "swamp")),
    ("city", ("city", "street", "urban", "downtown", "station", "market", "alley", "rooftop", "square",
              "parking", "highway", "road", "bridge", "town", "village")),
    ("indoor", ("room", "kitchen", "office", "classroom", "library", "studio", "cafe", "café", "restaurant",
                "museum", "gallery", "shop", "store", "bakery", "hall", "garage", "attic", "lab", "indoor",
                "interior", "bathroom", "hospital", "theater", "theatre", "gym", "bar", "workshop", "house")),
    ("field", ("field", "meadow", "garden", "park", "farm", "countryside", "grass", "lawn", "prairie", "orchard")),
    ("plain", ("plain", "white", "blank", "seamless", "backdrop", "isolated", "empty")),
]
_SETTINGS = {"indoor": "indoor", "outdoor": "field", "nature": "forest", "urban": "city", "fantasy": "sunset",
             "space": "space", "underwater": "underwater"}


def background_kind(name: str | None) -> str:
    if not name:
        return "plain"
    text = name.lower().replace("_", " ").replace("seamless", "backdrop")  # keywords match inside words: not "sea"
    if any(w in text.split() for w in ("solid", "plain", "backdrop", "background")) and \
            _colour_words(text) not in (text, "white"):  # "a solid blue backdrop": a colour, not a studio
        return "colour"
    for kind, keys in _KEYWORDS:
        if any(k in text for k in keys):
            return kind
    item = pool_item("scenes", name)
    if item is not None:
        return _SETTINGS.get(item.setting, "field")
    return "colour"


def _colour_words(name: str) -> str:
    """The colour a background names ("solid blue" -> "blue", "a pastel pink backdrop" ->
    "pastel pink" or "pink"): its longest run of words that is a colour, else the name."""
    from matplotlib import colors

    words = name.lower().replace("-", " ").split()
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            run = " ".join(words[i:i + n])
            if pool_item("colours", run) is not None or colors.is_color_like(run.replace(" ", "")):
                return run
    return name


def draw_background(name: str | None, width: int, height: int) -> Image.Image:
    """A fresh copy (callers draw on it) of the cached picture of this background."""
    return _background(name, width, height).copy()


@functools.lru_cache(maxsize=16)
def _background(name: str | None, width: int, height: int) -> Image.Image:
    kind = background_kind(name)
    if kind == "colour":  # "a red background", or a place we have no picture for
        base = colour_rgb(_colour_words(name or ""), fallback_key=name or "")
        top, bottom, horizon = lighter(base, 0.55), base, None
    else:
        top, bottom, horizon = _KINDS[kind]
    t = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    rows = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t
    img = Image.fromarray(np.broadcast_to(rows, (height, width, 3)).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    seed = stable_int("background", name or "")
    rng = np.random.default_rng(seed)
    if horizon is not None:
        y = round(height * horizon)
        d.rectangle([0, y, width, height], fill=tuple(int(c * 0.92) for c in bottom))
        d.line([(0, y), (width, y)], fill=tuple(int(c * 0.75) for c in bottom), width=max(1, height // 256))
    if kind in ("space", "night"):
        for x, yy in rng.integers(0, [width, round(height * (horizon or 1))], size=(60, 2)):
            r = 1 + int(rng.integers(0, max(2, width // 400)))
            d.ellipse([x - r, yy - r, x + r, yy + r], fill=(250, 250, 230))
    elif kind == "city":
        x = 0
        while x < width:
            w = int(rng.integers(width // 14, width // 7))
            h = int(rng.integers(height // 10, height // 3))
            d.rectangle([x, round(height * 0.8) - h, x + w - 2, round(height * 0.8)], fill=(150, 155, 170))
            x += w
    elif kind == "mountain":
        for k in range(3):
            cx = width * (0.2 + 0.3 * k)
            d.polygon([(cx - width * 0.25, height * 0.75), (cx, height * (0.35 + 0.08 * k)),
                       (cx + width * 0.25, height * 0.75)], fill=(120 - 10 * k, 135, 150))
    elif kind == "underwater":
        for x, yy in rng.integers(0, [width, height], size=(25, 2)):
            r = 2 + int(rng.integers(0, max(3, width // 120)))
            d.ellipse([x - r, yy - r, x + r, yy + r], outline=(200, 235, 255), width=1)
    elif kind == "indoor":
        wx, wy = width * 0.68, height * 0.12
        d.rectangle([wx, wy, wx + width * 0.2, wy + height * 0.22], fill=(190, 220, 245), outline=(120, 100, 80),
                    width=max(2, width // 200))
    elif kind == "forest":
        for k in range(7):
            cx = width * (k + 0.5) / 7
            d.polygon([(cx - width * 0.05, height * 0.72), (cx, height * 0.45), (cx + width * 0.05, height * 0.72)],
                      fill=(60, 120, 70))
    elif kind in ("water", "beach"):
        y0 = round(height * (0.48 if kind == "beach" else (horizon or 0.55)))
        y1 = round(height * (0.62 if kind == "beach" else 1.0))
        d.rectangle([0, y0, width, y1], fill=(60, 130, 190))
        for yy in range(y0 + 8, y1, max(8, height // 40)):
            d.arc([0, yy - 6, width, yy + 6], 0, 180, fill=(150, 200, 235), width=1)
    elif kind == "sunset":
        r = width * 0.1
        d.ellipse([width / 2 - r, height * 0.62 - r, width / 2 + r, height * 0.62 + r], fill=(255, 200, 110))
    return img
