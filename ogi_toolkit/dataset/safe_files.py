"""Guards for files and text that come from someone else's data folder.

Three checks, each returning a one-line problem (or raising with one), so a caller can refuse
one record and go on with the rest:

* :func:`dataset_file` / :class:`DatasetFolder` — a path read from a data file must name a file
  inside the folder it belongs to *after following links* (stricter than
  :func:`ogi_toolkit.folder.inside`: relative, no ``..`` at all).
* :func:`image_problem` — a file that should be an image is one: small enough on disk (a sparse
  1 GiB file is refused by its size, never read), an image format Pillow knows, within a pixel
  limit checked from the header before anything is decoded (a decompression bomb), and whole
  (``verify`` reads every chunk and its checksum).
* :func:`clean_text` — control characters (ESC, BEL, NUL, ...) and the bidirectional
  overrides that make text display differently from what it says (U+202E ...) are removed,
  and named, so the caller can report them.
"""
from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

from ..folder.paths import UnsafePath

__all__ = ["IMAGE_FORMATS", "MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS", "DatasetFolder", "clean_name", "clean_text", "dataset_file",
           "image_problem", "relative_href"]

# Generous for real datasets (the released images are 1024x1024, ~1.5 MB) and far below what
# takes a machine down.
MAX_IMAGE_BYTES = 64 * 2**20
MAX_IMAGE_PIXELS = 8192 * 8192
IMAGE_FORMATS = frozenset({"PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF"})

# Text direction controls (embedding, override, isolate marks): invisible, and they reorder
# what a reader sees (U+202E turns "gnp.exe" into "exe.png" on screen).
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_KEPT_CONTROLS = frozenset("\n\t")  # line breaks and tabs are ordinary in long prompts


_LIMIT_LOCK = threading.Lock()


@contextmanager
def _pillow_limit(max_pixels: int) -> Iterator[None]:
    """Pillow's pixel limit set to ``max_pixels`` for the duration (it is a module global, so
    it is set under a lock and put back), rather than trusting whatever the process set."""
    from PIL import Image

    with _LIMIT_LOCK:
        before, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, max_pixels
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = before


def image_problem(path: Path, *, max_bytes: int = MAX_IMAGE_BYTES, max_pixels: int = MAX_IMAGE_PIXELS) -> str | None:
    """Why the file at ``path`` is not an acceptable image, or None when it is one."""
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        return "missing or not a regular file"
    size = path.stat().st_size
    if size > max_bytes:
        return f"file is {size} bytes, over the {max_bytes}-byte limit for an image"
    try:
        with _pillow_limit(max_pixels), warnings.catch_warnings():
            # Pillow only warns between its limit and twice it: make that an error too
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:  # reads the header; the bomb check comes from its size
                if image.format not in IMAGE_FORMATS:
                    return f"image format {image.format} not accepted; expected one of {sorted(IMAGE_FORMATS)}"
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return f"over the {max_pixels}-pixel limit, a decompression bomb ({exc})"
    except UnidentifiedImageError:
        return "not an image file (Pillow cannot identify it)"
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt data
        return f"broken image: {exc}"
    return None


def _name(char: str) -> str:
    return unicodedata.name(char, f"U+{ord(char):04X}") if char != "\x00" else "NUL"


def clean_text(text: str) -> tuple[str, list[str]]:
    """``text`` without control and bidi characters, and the names of those removed, in order
    of first appearance (e.g. ``["ESCAPE", "RIGHT-TO-LEFT OVERRIDE"]``)."""
    removed: list[str] = []
    kept = []
    for char in text:
        bad = char in _BIDI or (unicodedata.category(char) == "Cc" and char not in _KEPT_CONTROLS)
        if bad:
            name = _CONTROL_NAMES.get(char) or _name(char)
            if name not in removed:
                removed.append(name)
        else:
            kept.append(char)
    return ("".join(kept), removed) if removed else (text, [])


def clean_name(name: str) -> tuple[str, list[str]]:
    """A file name without control characters (tabs and line breaks too) and bidirectional
    overrides, and the names of those removed. A changed name gets a short hash of the name
    as written, so two names that differ only by such characters stay two files."""
    removed: list[str] = []
    kept = []
    for char in name:
        if char in _BIDI or unicodedata.category(char) == "Cc":
            label = _CONTROL_NAMES.get(char) or _name(char)
            if label not in removed:
                removed.append(label)
        else:
            kept.append(char)
    if not removed:
        return name, []
    stem, dot, suffix = "".join(kept).rpartition(".")
    stem, suffix = (stem, dot + suffix) if dot and stem else ("".join(kept), "")
    tag = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{stem or 'file'}-{tag}{suffix}", removed


_DRIVE = re.compile(r"^[A-Za-z]:")


def relative_href(path: str) -> str | None:
    """``path``, a path relative to a page, as a link the page may hold: percent-encoded (a
    ``#``, ``?`` or ``%`` in a name stays part of the name), or None when it is not a relative
    file path (``javascript:...``, ``data:...``, ``https://...``, ``/etc/passwd``, ``C:...``):
    pages link only to files beside them."""
    text = str(path)
    if not text or text.startswith(("/", "\\")) or _DRIVE.match(text):
        return None
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        return None
    return quote(text, safe="/")


# unicodedata has no names for C0 controls; these are the ones people recognise
_CONTROL_NAMES = {"\x00": "NUL", "\x07": "BEL", "\x08": "BS", "\x1b": "ESC", "\x7f": "DEL", "\r": "CR",
                  "\x0b": "VT", "\x0c": "FF"}


class DatasetFolder:
    """Resolves manifest paths under one dataset folder of ours (see :func:`dataset_file`),
    resolving each image sub-folder once: a manifest of 80,000 items has a few hundred."""

    def __init__(self, root: str | Path):
        self.base = Path(root).resolve()
        self._dirs: dict[str, Path] = {}
        self._tops: dict[str, Path] = {}

    def file(self, rel: str) -> Path:
        if not isinstance(rel, str) or not rel or "\x00" in rel:
            raise UnsafePath(f"path {rel!r}: expected a non-empty relative path")
        path = Path(rel)
        if path.is_absolute() or path.drive or ".." in path.parts:
            raise UnsafePath(f"path {rel!r}: expected a relative path without '..' inside the dataset folder")
        folder = str(path.parent)
        if folder not in self._dirs:
            self._dirs[folder] = (self.base / path.parent).resolve()
        target = self._dirs[folder] / path.name
        if target.is_symlink():  # the file itself a link: follow it (rare, so not cached)
            target = target.resolve()
        if target.is_relative_to(self.base):
            return target
        top = path.parts[0]
        if len(path.parts) > 1:
            if top not in self._tops:
                self._tops[top] = (self.base / top).resolve()  # the top folder, or where its link points
            if target.is_relative_to(self._tops[top]):
                return target
        raise UnsafePath(f"path {rel!r}: resolves outside the dataset folder (to {target})")


def dataset_file(root: str | Path, rel: str) -> Path:
    """The file a manifest path names under a dataset folder of ours, resolved; raises
    :class:`UnsafePath` otherwise.

    Stricter than :func:`inside` about how the path is written (relative, no ``..``) and a
    little looser about links: a subset or split folder (``ogi subset``, ``ogi split``) holds
    its parent's images through a link of its top-level image folder, so the file may also lie
    inside where that first folder links to. Many paths of one folder: :class:`DatasetFolder`.
    """
    return DatasetFolder(root).file(rel)
