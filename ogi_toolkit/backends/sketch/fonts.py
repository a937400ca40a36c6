"""Fonts that have the glyphs: every one installs from the project's own dependencies.

* DejaVu (shipped inside matplotlib): Latin, Greek, Cyrillic, Hebrew, Arabic; serif, mono, bold.
* Noto Sans CJK JP (package ``noto-cjk-sans-jp-regular``, OFL): Han, Kana and Hangul.
* Noto Sans Devanagari (package ``fontpkg-noto-sans-devanagari``, OFL).
* Caveat (package ``fontpkg-caveat``, OFL): a handwritten Latin face for typography items.

A text gets the first font, in the order its descriptor prefers, whose character map covers
every character of the string; the layout record names it and any glyph still missing.
"""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from PIL import ImageFont, features

# font descriptor words -> DejaVu face (checked in this order)
_FACES = [
    (("sans",), "DejaVuSans"),  # first: "sans-serif" is not a serif
    (("mono", "typewriter", "monospace", "code", "pixel", "stencil"), "DejaVuSansMono"),
    (("serif", "roman", "elegant", "classic", "blackletter", "engraved", "copperplate"), "DejaVuSerif"),
]
_HANDWRITTEN = ("handwritten", "script", "brush", "calligraphy", "chalk", "hand-painted", "marker", "cursive")
_BOLD = ("bold", "heavy", "black", "headline", "display", "capitals", "poster", "neon", "3d", "chrome")
_ITALIC = ("italic", "oblique", "slanted")

LAYOUT_ENGINE = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
LAYOUT_ENGINE_NAME = "raqm" if LAYOUT_ENGINE == ImageFont.Layout.RAQM else "basic"


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


@functools.lru_cache(maxsize=1)
def font_files() -> dict[str, Path]:
    """Name -> file of every font available to the renderer."""
    found: dict[str, Path] = {}
    mpl = _package_dir("matplotlib")
    if mpl is not None:
        for path in sorted((mpl / "mpl-data" / "fonts" / "ttf").glob("DejaVu*.ttf")):
            found[path.stem] = path
    for module, name in (("noto_cjk_sans_jp_regular", "NotoSansCJKjp-Regular"),
                         ("fontpkg_noto_sans_devanagari", "NotoSansDevanagari"),
                         ("fontpkg_caveat", "Caveat")):
        root = _package_dir(module)
        if root is None:
            continue
        files = sorted(root.rglob("*.otf")) + sorted(root.rglob("*.ttf"))
        if files:
            found[name] = files[0]
    if "DejaVuSans" not in found:
        raise RuntimeError("the sketch renderer needs DejaVu Sans, shipped with matplotlib; "
                           "install the project's dependencies (pip install -e .)")
    return found


@functools.lru_cache(maxsize=16)
def _cmap(name: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # a matplotlib dependency

    with TTFont(str(font_files()[name]), lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(name: str, text: str) -> list[str]:
    """Characters of ``text`` (spaces and controls aside) that font ``name`` cannot draw."""
    cmap = _cmap(name)
    return sorted({c for c in text if not c.isspace() and ord(c) >= 32 and ord(c) not in cmap})


def choose_font(text: str, descriptor: str | None = None) -> str:
    """The name of the best available font for ``text`` written as ``descriptor`` says."""
    words = (descriptor or "").lower()
    available = font_files()
    preferred: list[str] = []
    if any(w in words for w in _HANDWRITTEN) and "Caveat" in available:
        preferred.append("Caveat")
    base = next((face for keys, face in _FACES if any(k in words for k in keys)), "DejaVuSans")
    bold, italic = any(w in words for w in _BOLD), any(w in words for w in _ITALIC)
    suffix = "-Bold" if bold else ""
    if italic:
        suffix += "Oblique" if base != "DejaVuSerif" else "Italic"
        suffix = suffix if suffix.startswith("-") else "-" + suffix
    preferred += [base + suffix, base, "DejaVuSans", "NotoSansCJKjp-Regular", "NotoSansDevanagari"]
    candidates = [name for name in dict.fromkeys(preferred) if name in available]
    for name in candidates:
        if not missing_glyphs(name, text):
            return name
    # nothing covers it all: the font missing the fewest characters (reported in the record)
    return min(candidates, key=lambda n: len(missing_glyphs(n, text)))


@functools.lru_cache(maxsize=256)
def load_font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_files()[name]), size=max(6, int(size)), layout_engine=LAYOUT_ENGINE)


def fit_label(texts: tuple[str, ...], width: int, largest: int) -> tuple[str, str, ImageFont.FreeTypeFont]:
    """(text, font name, font) of the first of ``texts`` (longest first) that fits ``width``
    at a size from ``largest`` down to 7 px, else the last one cut short with an ellipsis."""
    for text in texts:
        size = max(7, largest)
        name = choose_font(text)
        font = load_font(name, size)
        while font.getlength(text) > width and size > 7:
            size -= 1
            font = load_font(name, size)
        if font.getlength(text) <= width:
            break
    while font.getlength(text) > width and len(text) > 4:
        text = text[:-2] + "…"
    return text, name, font
