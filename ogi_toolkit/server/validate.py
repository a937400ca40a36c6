"""Request checks of the local server, following the OpenAI API description (openapi.yaml).

A request the API would refuse gets a 400 with the API's error body, never a 500: the enums
and limits below are the description's (``CreateImageRequest``, ``CreateImageEditRequest``,
the ``limit`` of ``GET /batches``); tests/test_server_validation.py compares them with the
description itself, so they cannot drift apart.
"""
from __future__ import annotations

import base64
import binascii
import io
from typing import Any

from PIL import Image, UnidentifiedImageError

__all__ = ["EDIT_SIZES", "GENERATION_SIZES", "IMAGE_ENUMS", "Invalid", "check_image_fields", "check_input_image",
           "decode_data_url", "edit_refs", "query_int"]

GENERATION_SIZES = ("auto", "1024x1024", "1536x1024", "1024x1536", "256x256", "512x512", "1792x1024", "1024x1792")
EDIT_SIZES = ("256x256", "512x512", "1024x1024", "1536x1024", "1024x1536", "auto")
GENERATION_QUALITIES = ("standard", "hd", "low", "medium", "high", "auto")
EDIT_QUALITIES = ("standard", "low", "medium", "high", "auto")
IMAGE_ENUMS = {"output_format": ("png", "jpeg", "webp"), "background": ("transparent", "opaque", "auto"),
               "response_format": ("url", "b64_json"), "moderation": ("low", "auto")}
MAX_N = 10
MAX_PROMPT_CHARS = 32000  # the GPT image models' limit
MAX_EDIT_IMAGES = 16
MAX_EDIT_IMAGE_BYTES = 50 * 1024**2  # "each image should be a png, webp, or jpg file less than 50MB"
MAX_IMAGE_PIXELS = 64_000_000  # a decompression bomb is refused, not decoded
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP")


class Invalid(ValueError):
    """A request the API would refuse: 400, naming the parameter."""

    def __init__(self, message: str, param: str | None = None, status: int = 400):
        super().__init__(message)
        self.param, self.status = param, status


def _int(value: Any, param: str) -> int:
    """An integer from JSON (a number) or multipart (its decimal text)."""
    if isinstance(value, bool):
        raise Invalid(f"'{param}' must be an integer, got {value!r}.", param)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise Invalid(f"'{param}' must be an integer, got {value!r}.", param)


def check_image_fields(fields: dict[str, Any], *, edit: bool) -> None:
    """The parameters of an image generation (``edit=False``) or edit request."""
    prompt = fields.get("prompt")
    if not isinstance(prompt, str) or not prompt:
        raise Invalid("'prompt' is required.", "prompt")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise Invalid(f"'prompt' is {len(prompt)} characters; the maximum is {MAX_PROMPT_CHARS}.", "prompt")
    if fields.get("n") is not None:
        n = _int(fields["n"], "n")
        if not 1 <= n <= MAX_N:
            raise Invalid(f"'n' must be between 1 and {MAX_N}, got {n}.", "n")
    sizes, qualities = (EDIT_SIZES, EDIT_QUALITIES) if edit else (GENERATION_SIZES, GENERATION_QUALITIES)
    for param, allowed in (("size", sizes), ("quality", qualities), *IMAGE_ENUMS.items()):
        value = fields.get(param)
        if value is not None and value not in allowed:
            raise Invalid(f"Invalid value for '{param}': {value!r}. Supported values are: {', '.join(allowed)}.", param)


def check_input_image(data: bytes, param: str = "image") -> None:
    """An edit's input: a whole PNG, JPEG or WebP file under the API's size limit."""
    if len(data) > MAX_EDIT_IMAGE_BYTES:
        raise Invalid(f"'{param}' is {len(data)} bytes; each image must be under 50 MB.", param)
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in IMAGE_FORMATS:
                raise Invalid(f"'{param}' is a {img.format} image; send png, webp or jpg.", param)
            if img.width * img.height > MAX_IMAGE_PIXELS:
                raise Invalid(f"'{param}' has {img.width}x{img.height} pixels, more than this server decodes.", param)
            img.verify()
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid(f"'{param}' is not a readable png, webp or jpg image.", param) from None


def edit_refs(value: Any) -> list[dict[str, str]]:
    """The ``images`` of a JSON edit: 1 to 16 objects, each with a ``file_id`` or an ``image_url``."""
    if not isinstance(value, list) or not value:
        raise Invalid("'images' must be a non-empty list of {\"file_id\": ...} or {\"image_url\": ...} objects.", "images")
    if len(value) > MAX_EDIT_IMAGES:
        raise Invalid(f"'images' has {len(value)} entries; at most {MAX_EDIT_IMAGES} are allowed.", "images")
    for k, ref in enumerate(value):
        if not (isinstance(ref, dict) and (isinstance(ref.get("file_id"), str) or isinstance(ref.get("image_url"), str))):
            raise Invalid(f"'images[{k}]' must be an object with a 'file_id' or an 'image_url' string.", "images")
    return value


def decode_data_url(url: str, param: str = "images") -> bytes:
    """The bytes of a ``data:image/...;base64,...`` URL."""
    head, sep, payload = url.partition(",")
    if not (sep and head.startswith("data:") and head.endswith(";base64")):
        raise Invalid(f"'{param}' image_url must be a base64 data URL (data:image/png;base64,...).", param)
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(f"'{param}' image_url is not valid base64.", param) from None


def query_int(query: Any, name: str, *, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high] (``limit`` of the list endpoints)."""
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Invalid(f"Invalid '{name}': {raw!r} is not an integer.", name) from None
    if not low <= value <= high:
        raise Invalid(f"Invalid '{name}': {value} must be between {low} and {high}.", name)
    return value
