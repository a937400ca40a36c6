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
    "street": ((185, 195, 210), (120, 120, 125), 0.72),
    "field": ((150, 200, 240), (110, 180, 90), 0.68), "sunset": ((250, 150, 90), (120, 60, 120), 0.75),
    "indoor": ((235, 225, 205), (190, 160, 125), 0.74), "plain": ((252, 252, 252), (240, 240, 240), None),
}
_KEYWORDS = [
    ("space", ("space", "galaxy", "cosmos", "nebula", "orbit", "planet", "moon surface", "starfield")),
    ("underwater", ("underwater", "under water", "under the sea", "reef", "coral", "kelp", "ocean floor", "sea floor",
                    "seafloor", "seabed", "aquarium", "deep sea", "shipwreck")),
    ("night", ("night", "midnight", "starry")), ("sunset", ("sunset", "dusk", "sunrise", "dawn")),
    ("beach", ("beach", "seaside", "coast", "shore", "tropical")),
    ("water", ("ocean", "sea", "lake", "river", "harbor", "harbour", "pond", "waterfall", "bay")),
    ("snow", ("snow", "winter", "arctic", "glacier", "ice", "tundra")),
    ("mountain", ("mountain", "cliff", "canyon", "valley", "hill", "volcano", "summit", "ridge", "peak", "alpine")),
    ("desert", ("desert", "dune", "savanna", "savannah", "mars")),
    ("forest", ("forest", "jungle", "woods", "rainforest", "grove", "swamp")),
    ("street", ("street", "road", "alley", "avenue", "crosswalk", "highway", "boulevard", "sidewalk", "intersection",
                "parking")),
    ("city", ("city", "urban", "downtown", "station", "market", "rooftop", "square", "bridge", "town", "village",
              "skyline")),
    ("indoor", ("room", "kitchen", "office", "classroom", "library", "studio", "cafe", "café", "restaurant",
                "museum", "gallery", "shop", "store", "bakery", "hall", "garage", "attic", "lab", "indoor",
                "interior", "bathroom", "hospital", "theater", "theatre", "gym", "bar", "workshop", "house")),
    ("field", ("field", "meadow", "garden", "park", "farm", "countryside", "grass", "lawn", "prairie", "orchard")),
    ("plain", ("plain", "white", "blank", "seamless", "backdrop", "isolated", "empty")),
]
_SETTINGS = {"indoor": "indoor", "outdoor": "field", "nature": "forest", "urban": "city", "fantasy": "sunset",
             "space": "space", "underwater": "underwater"}


_NIGHT_WORDS = ("night", "midnight", "nighttime", "starry", "moonlit", "after dark")


def is_night(name: str | None) -> bool:
    """Whether a background is a place at night ("a night market", "a moonlit beach"): the
    place is drawn, then darkened under a starry sky (see :func:`background_kind`)."""
    text = (name or "").lower()
    return any(w in text for w in _NIGHT_WORDS) and background_kind(name) != "night"


def background_kind(name: str | None) -> str:
    """The family of place a background is drawn as: water (water, beach, underwater), indoor,
    street and city, landscape (field, forest, mountain, desert, snow, sunset), night and
    space, plain, or a colour. A place at night is its place (see :func:`is_night`)."""
    if not name:
        return "plain"
    text = name.lower()
    if any(w in text for w in _NIGHT_WORDS):
        for w in _NIGHT_WORDS:
            text = text.replace(w, " ")
        place = _place_kind(text) if text.strip(" ,.-") else "colour"
        return place if place not in ("colour", "plain", "night", "space") else "night"
    return _place_kind(name)


def _place_kind(name: str) -> str:
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
    img = _place(name, kind, width, height)
    return _at_night(img, kind, name) if is_night(name) else img


def _at_night(img: Image.Image, kind: str, name: str | None) -> Image.Image:
    """The place darkened to a blue night, stars over its sky, lit windows in a city."""
    width, height = img.size
    horizon = _KINDS.get(kind, (None, None, 0.7))[2] or 0.7
    a = np.asarray(img, dtype=np.float32) * np.array([0.3, 0.33, 0.5], np.float32) + np.array([5, 8, 30], np.float32)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(out)
    rng = np.random.default_rng(stable_int("night", name or ""))
    for x, y in rng.integers(0, [width, max(1, round(height * horizon * 0.6))], size=(40, 2)):
        r = 1 + int(rng.integers(0, max(2, width // 400)))
        d.ellipse([x - r, y - r, x + r, y + r], fill=(250, 250, 225))
    r = width * 0.05
    d.ellipse([width * 0.82 - r, height * 0.1 - r, width * 0.82 + r, height * 0.1 + r], fill=(245, 240, 200))
    if kind in ("city", "street", "indoor"):  # lights: lit windows, lanterns, lamps
        for x, y in rng.integers(0, [width, max(1, round(height * horizon))], size=(30, 2)):
            if y > height * 0.35:
                d.rectangle([x, y, x + width // 90 + 2, y + height // 90 + 2], fill=(255, 215, 110))
    return out


def _place(name: str | None, kind: str, width: int, height: int) -> Image.Image:
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
    elif kind in ("city", "street"):
        x = 0
        sky_line = round(height * (horizon or 0.8))
        while x < width:
            w = int(rng.integers(width // 14, width // 7))
            h = int(rng.integers(height // 10, height // 3))
            d.rectangle([x, sky_line - h, x + w - 2, sky_line], fill=(150, 155, 170))
            x += w
        if kind == "street":  # the road, its kerb and dashed centre line
            top = round(height * 0.8)
            d.rectangle([0, top, width, height], fill=(85, 85, 92))
            d.rectangle([0, sky_line, width, top], fill=(175, 170, 160))
            for x in range(0, width, max(8, width // 10)):
                d.rectangle([x, round(height * 0.9) - 2, x + width // 20, round(height * 0.9) + 2], fill=(240, 240, 235))
    elif kind == "mountain":
        for k in range(3):
            cx = width * (0.2 + 0.3 * k)
            d.polygon([(cx - width * 0.25, height * 0.75), (cx, height * (0.35 + 0.08 * k)),
                       (cx + width * 0.25, height * 0.75)], fill=(120 - 10 * k, 135, 150))
    elif kind == "underwater":
        for x, yy in rng.integers(0, [width, height], size=(25, 2)):
            r = 2 + int(rng.integers(0, max(3, width // 120)))
            d.ellipse([x - r, yy - r, x + r, yy + r], outline=(200, 235, 255), width=1)
        floor = round(height * 0.9)  # a sandy sea floor with swaying weed: under water, not a sky
        d.rectangle([0, floor, width, height], fill=(170, 150, 100))
        for k in range(9):
            x0 = width * (k + 0.5) / 9
            tall = height * (0.25 + 0.2 * ((k * 7) % 3) / 2)
            pts = [(x0 + width * 0.015 * np.sin(t * 9 + k), floor - tall * t) for t in np.linspace(0, 1, 12)]
            d.line(pts, fill=(40, 120, 70), width=max(2, width // 90))
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
