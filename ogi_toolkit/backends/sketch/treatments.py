"""Visible treatments that suggest a style, lighting and camera on a finished picture.

Each style in the style pool names one treatment (its ``sketch_treatment``); a style unknown
to the pool gets one by keywords, else its family's default. Every treatment is local: a
pixel depends on pixels at most ``footprint`` away (no image-wide statistics), so an edit
that changes one region still changes only that region, grown by the footprint.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from .vocab import stable_int

Treat = Callable[[Image.Image, int], Image.Image]


@dataclass(frozen=True)
class Treatment:
    name: str
    apply: Treat  # (image, seed) -> image of the same size
    footprint: Callable[[int], int]  # image width -> how far (pixels) a pixel's neighbours matter


TREATMENTS: dict[str, Treatment] = {}
FAMILY_DEFAULTS = {"artistic_traditions": "impasto", "media_illustration": "cel",
                   "photographic": "grain", "speculative_fantasy": "neon"}
_STYLE_WORDS = [
    ("pixelate", ("pixel", "8-bit", "8_bit", "16-bit", "retro_game")), ("blocky", ("block", "voxel", "lego", "minecraft")),
    ("mosaic", ("mosaic", "stained", "cubis", "tile")), ("pointillize", ("pointill", "seurat")),
    ("line_art", ("line", "sketch", "pencil", "charcoal", "drawing", "blueprint")),
    ("ink_wash", ("ink", "sumi", "chinese", "calligraph", "shan_shui")),
    ("watercolor", ("watercolo", "gouache", "pastel_paint")), ("halftone", ("pop", "comic", "halftone", "lichtenstein")),
    ("posterize", ("poster", "ukiyo", "graffiti", "woodblock", "screenprint", "propaganda", "art_deco")),
    ("impasto", ("impression", "oil", "van_gogh", "baroque", "renaissance", "expression", "fauv")),
    ("cel", ("anime", "manga", "cartoon", "pixar", "animation", "cel", "ghibli", "disney", "chibi")),
    ("monochrome", ("monochrome", "black_and_white", "noir", "grayscale")), ("sepia", ("sepia", "vintage", "daguerre", "steampunk", "victorian")),
    ("grain", ("film", "analog", "analogue", "polaroid", "lomo", "kodak", "retro")),
    ("hdr", ("hdr", "hyperreal", "hyper_real")), ("tilt_shift", ("tilt", "miniature")),
    ("infrared", ("infrared",)), ("dreamy", ("dream", "ethereal", "fairy", "whimsical", "soft_focus")),
    ("neon", ("neon", "cyberpunk", "synthwave", "vaporwave", "tron")), ("glow", ("cosmic", "space", "galactic", "magic")),
    ("duotone", ("futur", "digital", "holograph", "sci")),
]


def treatment_for_words(style: str, family: str | None) -> str:
    words = style.lower().replace(" ", "_").replace("-", "_")
    for name, keys in _STYLE_WORDS:
        if any(k.replace("-", "_") in words for k in keys):
            return name
    return FAMILY_DEFAULTS.get(family or "", "posterize")


def _blur_reach(radius: float) -> int:
    return int(4 * radius) + 2  # PIL's Gaussian blur runs box blurs out to about 3 radii


def _register(name: str, footprint: Callable[[int], int] = lambda w: 0):
    def wrap(fn: Treat) -> Treat:
        TREATMENTS[name] = Treatment(name, fn, footprint)
        return fn
    return wrap


def _arr(img: Image.Image) -> np.ndarray:
    return np.asarray(img, dtype=np.float32)


def _img(a: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


def _blocks(img: Image.Image, block: int) -> Image.Image:
    """Each block of the image replaced by its mean colour (blocks aligned to the origin)."""
    w, h = img.size
    small = img.resize((max(1, -(-w // block)), max(1, -(-h // block))), Image.Resampling.BOX,
                       reducing_gap=None)
    return small.resize((small.width * block, small.height * block), Image.Resampling.NEAREST).crop((0, 0, w, h))


def _radial(w: int, h: int) -> np.ndarray:
    y, x = np.ogrid[-1:1:complex(0, h), -1:1:complex(0, w)]
    return np.sqrt(x * x + y * y)[..., None] / np.sqrt(2)


def _noise(w: int, h: int, seed: int, amount: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(0, amount, (h, w, 1)).astype(np.float32)


def _edges(img: Image.Image) -> Image.Image:
    return img.convert("L").filter(ImageFilter.FIND_EDGES)


@_register("pixelate", lambda w: max(4, w // 64))
def pixelate(img, seed):
    return ImageOps.posterize(_blocks(img, max(4, img.width // 64)), 3)


@_register("blocky", lambda w: max(6, w // 36) + 1)
def blocky(img, seed):
    block = max(6, img.width // 36)
    out = _blocks(img, block)
    d = ImageDraw.Draw(out)
    for x in range(0, img.width, block):
        d.line([(x, 0), (x, img.height)], fill=(40, 40, 40))
    for y in range(0, img.height, block):
        d.line([(0, y), (img.width, y)], fill=(40, 40, 40))
    return out


@_register("mosaic", lambda w: max(5, w // 48) + 1)
def mosaic(img, seed):
    tile = max(5, img.width // 48)
    a = _arr(_blocks(img, tile))
    h, w = a.shape[:2]
    jitter = np.random.default_rng(seed).normal(0, 10, (-(-h // tile), -(-w // tile), 1))
    a += np.repeat(np.repeat(jitter, tile, 0), tile, 1)[:h, :w]
    a[::tile, :] = 225  # grout lines
    a[:, ::tile] = 225
    return _img(a)


@_register("line_art", lambda w: 2)
def line_art(img, seed):
    edges = ImageOps.invert(_edges(img).point(lambda v: 255 if v > 24 else 0))
    return Image.merge("RGB", [edges] * 3)


@_register("monochrome")
def monochrome(img, seed):
    grey = img.convert("L").point(lambda v: min(255, max(0, round((v - 128) * 1.25 + 128))))
    return Image.merge("RGB", [grey] * 3)  # a fixed contrast curve: no image-wide mean


def _vignette(a: np.ndarray, strength: float) -> np.ndarray:
    return a * (1 - strength * _radial(a.shape[1], a.shape[0]) ** 2)


@_register("sepia")
def sepia(img, seed):
    g = _arr(img.convert("L"))[..., None]
    return _img(_vignette(g * np.array([1.07, 0.87, 0.62], np.float32) + 20, 0.45))


@_register("grain")
def grain(img, seed):
    a = _arr(img) * np.array([1.04, 1.0, 0.9], np.float32) + 8
    return _img(_vignette(a + _noise(img.width, img.height, seed, 9.0), 0.35))


@_register("posterize")
def posterize(img, seed):
    return ImageEnhance.Color(ImageOps.posterize(img, 2)).enhance(1.4)


@_register("halftone", lambda w: 2 * max(4, w // 80))
def halftone(img, seed):
    cell = max(4, img.width // 80)
    means = img.resize((-(-img.width // cell), -(-img.height // cell)), Image.Resampling.BOX, reducing_gap=None)
    out = Image.new("RGB", img.size, (252, 248, 235))
    d = ImageDraw.Draw(out)
    px = np.asarray(means, dtype=np.int32)
    for j in range(px.shape[0]):
        for i in range(px.shape[1]):
            r, g, b = px[j, i]
            dark = 1 - (0.299 * r + 0.587 * g + 0.114 * b) / 255
            rad = cell * (0.25 + 0.5 * dark)
            cx, cy = i * cell + cell / 2, j * cell + cell / 2
            colour = tuple(int(min(255, c * 1.2)) // 64 * 64 for c in (r, g, b))
            d.ellipse([cx - rad, cy - rad, cx + rad, cy + rad], fill=colour)
    return out


@_register("watercolor", lambda w: 4 * 3 + _blur_reach(2) + _blur_reach(1) + 2)
def watercolor(img, seed):
    soft = img.resize((img.width // 4, img.height // 4), Image.Resampling.BOX, reducing_gap=None)
    soft = soft.resize(img.size, Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(2))
    a = _arr(soft) * 0.85 + 255 * 0.15  # paper shows through
    edges = _arr(_edges(img).filter(ImageFilter.GaussianBlur(1)))[..., None]
    return _img(a - edges * 0.5 + _noise(img.width, img.height, seed, 4.0))


@_register("ink_wash", lambda w: _blur_reach(max(1, w // 256)) + 2)
def ink_wash(img, seed):
    g = img.convert("L").filter(ImageFilter.GaussianBlur(max(1, img.width // 256)))
    g = g.point(lambda v: (v // 64) * 64 + 40)
    a = _arr(Image.merge("RGB", [g] * 3)) * np.array([1.0, 0.98, 0.9], np.float32)
    edges = _arr(_edges(img))[..., None]
    return _img(a - edges * 0.8)


@_register("neon", lambda w: _blur_reach(max(2, w // 160)) + 2)
def neon(img, seed):
    edges = _edges(img).point(lambda v: min(255, v * 4))
    colour = ImageEnhance.Color(img).enhance(2.0)
    lines = ImageChops.multiply(colour, Image.merge("RGB", [edges] * 3))
    glow = lines.filter(ImageFilter.GaussianBlur(max(2, img.width // 160)))
    base = _arr(img) * np.array([0.2, 0.15, 0.35], np.float32) + np.array([10, 0, 30], np.float32)
    return _img(base + _arr(lines) * 1.5 + _arr(glow) * 2.0)


@_register("dreamy", lambda w: _blur_reach(max(2, w // 100)))
def dreamy(img, seed):
    blur = _arr(img.filter(ImageFilter.GaussianBlur(max(2, img.width // 100))))
    a = _arr(img) * 0.5 + blur * 0.5
    a = a * 0.8 + np.array([255, 235, 250], np.float32) * 0.2
    return _img(a + 60 * _radial(img.width, img.height) ** 2)


@_register("hdr", lambda w: _blur_reach(max(2, w // 200)))
def hdr(img, seed):
    sharp = img.filter(ImageFilter.UnsharpMask(radius=max(2, img.width // 200), percent=180, threshold=2))
    vivid = _arr(ImageEnhance.Color(sharp).enhance(1.5))
    return _img((vivid - 128) * 1.2 + 128)  # fixed contrast around mid-grey (Contrast uses the image mean)


@_register("cel", lambda w: 2)
def cel(img, seed):
    flat = ImageOps.posterize(ImageEnhance.Color(img).enhance(1.3), 3)
    ink = _edges(img).point(lambda v: 0 if v > 30 else 255)
    return ImageChops.multiply(flat, Image.merge("RGB", [ink] * 3))


@_register("impasto", lambda w: _blur_reach(1) + max(3, w // 70) + max(2, w // 220))
def impasto(img, seed):
    out = img.filter(ImageFilter.GaussianBlur(1))
    d = ImageDraw.Draw(out)
    src = np.asarray(img)
    rng = np.random.default_rng(seed)
    n = img.width * img.height // 60
    length = max(3, img.width // 70)
    xs, ys = rng.integers(0, img.width, n), rng.integers(0, img.height, n)
    angles = rng.uniform(0, np.pi, n)
    dx, dy = np.cos(angles) * length, np.sin(angles) * length
    width = max(2, img.width // 220)
    # each dab a little lighter or darker than the pixel it takes its colour from: paint, not a blur
    dabs = np.clip(src[ys, xs].astype(int) + rng.integers(-40, 41, (n, 1)), 0, 255)
    for x, y, ex, ey, c in zip(xs, ys, dx, dy, dabs):
        d.line([(x - ex, y - ey), (x + ex, y + ey)], fill=tuple(int(v) for v in c), width=width)
    return ImageEnhance.Color(out).enhance(1.3)


@_register("pointillize", lambda w: max(4, w // 64) + 2)
def pointillize(img, seed):
    step = max(4, img.width // 64)
    out = Image.new("RGB", img.size, (250, 248, 240))
    d = ImageDraw.Draw(out)
    src = np.asarray(img)
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:img.height:step, 0:img.width:step]
    jx = np.clip(xs + rng.integers(0, step, xs.shape), 0, img.width - 1)
    jy = np.clip(ys + rng.integers(0, step, ys.shape), 0, img.height - 1)
    rad = step * 0.45  # the paper shows between the dots
    # pure, bright dots of paint: each pixel's colour pushed away from grey
    dots = np.clip((src[jy, jx].astype(np.float32) - 128) * 1.5 + 140, 0, 255).astype(int)
    for x, y, c in zip(jx.ravel(), jy.ravel(), dots.reshape(-1, 3)):
        d.ellipse([x - rad, y - rad, x + rad, y + rad], fill=tuple(int(v) for v in c))
    return out


@_register("duotone")
def duotone(img, seed):
    g = _arr(img.convert("L"))[..., None] / 255
    return _img(np.array([20, 30, 90], np.float32) * (1 - g) + np.array([80, 240, 230], np.float32) * g)


@_register("emboss", lambda w: 2)
def emboss(img, seed):
    relief = _arr(Image.merge("RGB", [img.convert("L").filter(ImageFilter.EMBOSS)] * 3))
    return _img(_arr(img) * 0.45 + relief * 0.55)


@_register("glow", lambda w: _blur_reach(max(3, w // 90)))
def glow(img, seed):
    bright = img.point(lambda v: max(0, v - 180) * 3)  # only the brightest parts bloom
    bloom = _arr(bright.filter(ImageFilter.GaussianBlur(max(3, img.width // 90))))
    # a dim, blue-violet night with haloes, not a white-out: what is drawn stays visible
    return _img(_arr(img) * np.array([0.5, 0.48, 0.8], np.float32) + np.array([10, 0, 30], np.float32) + bloom * 0.8)


@_register("pastel")
def pastel(img, seed):
    soft = ImageEnhance.Color(img).enhance(0.6)
    return _img(_arr(soft) * 0.65 + 255 * 0.35)


@_register("high_contrast")
def high_contrast(img, seed):
    curve = [int(255 / (1 + np.exp(-(v - 128) / 22))) for v in range(256)]
    return img.point(curve * 3)


@_register("tilt_shift", lambda w: _blur_reach(max(2, w // 120)))
def tilt_shift(img, seed):
    blur = _arr(img.filter(ImageFilter.GaussianBlur(max(2, img.width // 120))))
    y = np.linspace(-1, 1, img.height, dtype=np.float32)[:, None, None]
    weight = np.clip(np.abs(y) * 2.0 - 0.3, 0, 1)
    return ImageEnhance.Color(_img(((_arr(img) - 128) * 1.15 + 128) * (1 - weight) + blur * weight)).enhance(1.6)


@_register("infrared")
def infrared(img, seed):
    a = _arr(img)
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    return _img(np.stack([np.maximum(r, g * 1.2), g * 0.6 + r * 0.4, b * 0.8 + g * 0.3], -1))


@_register("vignette")
def vignette(img, seed):
    a = _arr(img)
    centre = 1.25 - 0.5 * _radial(img.width, img.height)  # a flash-lit middle, dark corners
    return _img(_vignette((a - 128) * 1.15 + 128, 0.85) * centre)


@_register("invert")
def invert(img, seed):
    return ImageOps.invert(img)


@_register("blur", lambda w: _blur_reach(max(3, w // 90)))
def blur(img, seed):
    soft = img.filter(ImageFilter.GaussianBlur(max(3, img.width // 90)))
    return _img(_arr(ImageEnhance.Color(soft).enhance(0.8)) * 0.9 + 255 * 0.1)  # hazy, lifted blacks


def apply_treatment(img: Image.Image, name: str, seed: int) -> Image.Image:
    if name not in TREATMENTS:
        raise KeyError(f"unknown sketch treatment {name!r}; known: {sorted(TREATMENTS)}")
    return TREATMENTS[name].apply(img, seed)


# lighting: per-pixel changes only (tint, brightness, vignette), so edits stay local
_LIGHTING = [
    (("golden", "sunset", "sunrise", "candle", "warm", "fire", "dusk", "tungsten"), (1.1, 0.97, 0.8), 0.2),
    (("moon", "night", "blue hour", "cold", "twilight", "cool", "winter"), (0.72, 0.8, 1.05), 0.3),
    (("dramatic", "chiaroscuro", "spotlight", "harsh", "rim", "low-key", "low key", "moody"), (1.0, 1.0, 1.0), 0.65),
    (("neon", "disco", "club"), (1.05, 0.8, 1.1), 0.3),
    (("backlit", "silhouette", "contre"), (1.0, 0.98, 0.95), -0.25),
    (("soft", "diffuse", "overcast", "studio", "natural", "daylight", "bright", "high-key"), (1.03, 1.03, 1.03), 0.1),
]


def apply_lighting(img: Image.Image, lighting: str | None) -> Image.Image:
    if not lighting:
        return img
    text = lighting.lower()
    tint, strength = (1.0, 1.0, 1.0), 0.15
    for keys, t, s in _LIGHTING:
        if any(k in text for k in keys):
            tint, strength = t, s
            break
    a = _arr(img) * np.array(tint, np.float32)
    if strength < 0:  # light from behind: brighter toward the top
        y = np.linspace(1, 0, img.height, dtype=np.float32)[:, None, None]
        return _img(a + (-strength) * 255 * y ** 2)
    return _img(_vignette(a, strength))


def draw_camera(img: Image.Image, camera: str | None) -> None:
    """Viewfinder corner marks: the camera is only suggested (its words are in the caption)."""
    if not camera:
        return
    d = ImageDraw.Draw(img)
    w, h = img.size
    m, arm, lw = round(w * 0.015), round(w * 0.06), max(1, w // 256)
    for cx, cy, sx, sy in ((m, m, 1, 1), (w - m, m, -1, 1), (m, h - m, 1, -1), (w - m, h - m, -1, -1)):
        d.line([(cx, cy + sy * arm), (cx, cy), (cx + sx * arm, cy)], fill=(235, 235, 235), width=lw)
    text = camera.lower()
    if any(k in text for k in ("close", "macro", "portrait", "focus", "zoom")):
        r = round(min(w, h) * 0.04)
        d.ellipse([w / 2 - r, h / 2 - r, w / 2 + r, h / 2 + r], outline=(235, 235, 235), width=lw)


def style_grade(img: Image.Image, style: str) -> Image.Image:
    """A colour grade of the style's own (a hue from its id, blended 12%): two styles that share
    a treatment still differ, so every style draws distinctly. Per pixel, so edits stay local."""
    return _img(_arr(img) * 0.88 + np.array(_grade_colour(style), np.float32) * 0.12)


@functools.lru_cache(maxsize=256)
def _grade_colour(style: str) -> tuple[float, float, float]:
    """The style's grade colour: the styles of the pool that share a treatment get hues spread
    by the golden ratio in the order of their ids (no two alike); others a hue from a hash."""
    import colorsys

    from .vocab import pool_item, pools

    item = pool_item("styles", style)
    if item is not None:
        siblings = sorted(s.id for s in pools()["styles"] if s.sketch_treatment == item.sketch_treatment)
        hue = (0.13 + 0.618034 * siblings.index(item.id)) % 1.0
    else:
        hue = stable_int("grade", style) % 360 / 360
    r, g, b = colorsys.hsv_to_rgb(hue, 0.7, 0.95)
    return r * 255, g * 255, b * 255


def seed_for(name: str, seed: int) -> int:
    return stable_int("treatment", name, seed) % (2 ** 32)
