"""Reading text in images with Tesseract (through pytesseract) and scoring what was read.

A text with a box in the layout record is read from that crop (padded, greyscale, enlarged
until its letters are ~40 px high, one block of text); without a box the whole image is read
and the expected string is looked for anywhere in it. Comparisons ignore whitespace (where a
line breaks is the renderer's choice, and Tesseract's word spacing is unreliable) and compare
Unicode NFC forms.

Tesseract is a system program (``make system`` installs it with its language packs): where it
or a pack is absent, :func:`tesseract_missing` says so in words a user can act on, and the
checks report the text as not checked. Each call is given :data:`TESSERACT_TIMEOUT_S`; a read
that takes longer raises :class:`OcrTimeout` (the text is then not checked, not failed).
"""
from __future__ import annotations

import functools
import os
import shutil
import unicodedata

import numpy as np
from PIL import Image, ImageOps

__all__ = ["TESSERACT_TIMEOUT_S", "OcrTimeout", "available_languages", "distance", "normalise", "read_text",
           "substring_distance", "tesseract_language", "tesseract_missing"]

# Tesseract parallelises with OpenMP; with two checking processes on two cores that only spins.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# A crop reads in well under a second and a whole 1024 px picture in a few; a call still running
# after this long is stuck, and would otherwise hold a checking worker for good.
TESSERACT_TIMEOUT_S = 60.0


class OcrTimeout(TimeoutError):
    """Tesseract did not finish reading one picture within its time."""


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def _levenshtein_row(a: str, b: str, free_start: bool) -> list[int]:
    """The last DP row of aligning ``a`` against ``b``; ``free_start``: ``a`` may start anywhere in ``b``."""
    previous = [0] * (len(b) + 1) if free_start else list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        previous = current
    return previous


def distance(expected: str, read: str) -> float:
    """Levenshtein distance of the normalised strings over the expected string's length (0 = exact)."""
    a, b = normalise(expected), normalise(read)
    if not a:
        return 0.0 if not b else 1.0
    return min(1.0, _levenshtein_row(a, b, free_start=False)[-1] / len(a))


def substring_distance(expected: str, read: str) -> float:
    """The best :func:`distance` of ``expected`` to any stretch of ``read`` (a string anywhere in a page)."""
    a, b = normalise(expected), normalise(read)
    if not a:
        return 0.0
    return min(1.0, min(_levenshtein_row(a, b, free_start=True)) / len(a))


@functools.lru_cache(maxsize=1)
def available_languages() -> frozenset[str]:
    """The traineddata installed for Tesseract (empty when Tesseract itself is missing)."""
    import pytesseract

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError):
        return frozenset()


def tesseract_missing(lang: str = "eng") -> str | None:
    """Why texts in traineddata ``lang`` (e.g. ``jpn``, ``chi_sim+eng``) cannot be read here, or
    None when they can: Tesseract itself absent, or one of the packs."""
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return "Tesseract is not installed; `make system` installs it"
    absent = [part for part in lang.split("+") if part not in available_languages()]
    if absent:
        packages = " ".join("tesseract-ocr-" + part.replace("_", "-") for part in absent)
        return f"Tesseract has no {'+'.join(absent)} language pack; `make system` installs it ({packages})"
    return None


def tesseract_language(language: str, script: str, languages: dict[str, str], scripts: dict[str, str]) -> str | None:
    """The traineddata for a text (its language's, else its script's), or None when not installed."""
    installed = available_languages()
    for code in (languages.get(language), languages.get(language.split("-")[0]), scripts.get(script)):
        if code and all(part in installed for part in code.split("+")):
            return code
    return None


def _ink_channel(crop: Image.Image) -> Image.Image:
    """One channel in which coloured letters stand out from their plate, as dark on light.

    On a light plate the darkest channel of each pixel (yellow or cyan letters are near 0 in
    one channel, cream is not); on a dark plate (neon, white-on-dark) the brightest, inverted.
    Plain luminance loses both: yellow on cream and cyan on navy are close in grey.
    """
    rgb = np.asarray(crop.convert("RGB"))
    if np.median(np.asarray(crop.convert("L"))) < 110:
        return ImageOps.invert(Image.fromarray(rgb.max(axis=2)))
    return Image.fromarray(rgb.min(axis=2))


def _prepare(image: Image.Image, box: tuple[int, int, int, int] | None, letter_px: int | None,
             target_px: int) -> Image.Image:
    if box is not None:
        # just inside the box: the sketch renderer's box is the text's plate, whose edge
        # Tesseract would read as brackets
        inset = 2
        x0, y0, x1, y1 = box
        grey = _ink_channel(image.crop((max(0, x0 + inset), max(0, y0 + inset), min(image.width, x1 - inset),
                                        min(image.height, y1 - inset))))
    else:
        grey = image.convert("L")
    scale = target_px / letter_px if letter_px else 2.0
    scale = max(0.5, min(scale, 6.0))  # big letters shrink too: Tesseract misses 50+ px glyphs
    if abs(scale - 1) > 0.01:
        grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS)
    # a margin about a letter high: Tesseract skips text that touches the edge of the picture
    # in the ground's colour (the crop's median: most of a text plate is ground, its corners are not)
    ground = int(np.median(np.asarray(grey)))
    return ImageOps.expand(grey, border=max(12, target_px if box is not None else 12), fill=ground)


def read_text(image: Image.Image, lang: str, box: tuple[int, int, int, int] | None = None,
              letter_px: int | None = None, target_px: int = 40, timeout_s: float | None = None) -> str:
    """What Tesseract reads in ``box`` of ``image`` (or the whole image), in language ``lang``;
    :class:`OcrTimeout` when it takes longer than ``timeout_s`` (default :data:`TESSERACT_TIMEOUT_S`)."""
    import pytesseract

    timeout_s = TESSERACT_TIMEOUT_S if timeout_s is None else timeout_s
    prepared = _prepare(image, box, letter_px, target_px)
    psm = 6 if box is not None else 11  # a crop is one block of text; a whole picture is sparse text
    try:
        return pytesseract.image_to_string(prepared, lang=lang, config=f"--psm {psm}", timeout=timeout_s)
    except RuntimeError as exc:  # pytesseract kills the process and says so in a RuntimeError
        if "timeout" not in str(exc).lower():
            raise
        raise OcrTimeout(f"Tesseract ({lang}) took longer than {timeout_s:g} s to read "
                         f"{'a crop' if box is not None else 'the picture'}") from None
