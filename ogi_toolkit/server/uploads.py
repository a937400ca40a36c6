"""Multipart bodies read as a stream, with limits, and uploaded files kept on disk.

A request body is never read whole into memory: text fields are read up to a small cap and
must be UTF-8; file parts go to spooled temporary files (in memory while small, on disk
beyond) and the whole request is capped (413 past it); the bodies of all requests in flight
together are capped too (:class:`BodyBudget`, 429 past it). Uploaded files (``/v1/files``) live in
the server's own temporary folder, with a cap on their total size, so a client cannot grow
the server without bound.
"""
from __future__ import annotations

import asyncio
import hashlib
import math
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from aiohttp import BodyPartReader, MultipartReader, StreamReader, web

from .model_calls import error_body
from .validate import Invalid

__all__ = ["BodyBudget", "FilePart", "MAX_FIELD_BYTES", "RAW_BODY", "UploadFolder", "read_multipart"]

MAX_FIELD_BYTES = 256 * 1024  # a text field (a 32000-character prompt is at most 128 KB of UTF-8)
SPOOL_BYTES = 1024**2  # file parts up to this size stay in memory
CHUNK = 256 * 1024


@dataclass
class FilePart:
    filename: str
    file: IO[bytes]  # positioned at 0
    size: int
    sha256: str

    def read(self) -> bytes:
        self.file.seek(0)
        return self.file.read()


def _too_large(limit: int) -> Invalid:
    return Invalid(f"The request body is larger than this server accepts ({limit} bytes).", None, status=413)


# The body, when the server records traffic and so has read it first.
RAW_BODY = web.RequestKey("ogi_raw_body", bytes)


def _reader(request: web.Request) -> MultipartReader:
    raw = request.get(RAW_BODY)
    if raw is None:
        return MultipartReader(request.headers, request.content)
    stream = StreamReader(request.protocol, 2**16, loop=asyncio.get_running_loop())
    stream.feed_data(raw)
    stream.feed_eof()
    return MultipartReader(request.headers, stream)


async def read_multipart(request: web.Request, *, max_bytes: int) -> tuple[dict[str, str], dict[str, list[FilePart]]]:
    """(text fields, file parts) of a multipart body; ``image[]`` is read as ``image``.

    The caller closes the file parts (``for p in parts: p.file.close()``) when done.
    """
    if request.content_length is not None and request.content_length > max_bytes:
        raise _too_large(max_bytes)
    try:
        reader = _reader(request)
    except (AssertionError, ValueError) as exc:  # a missing or broken boundary
        raise Invalid(f"The multipart body cannot be read: {exc or 'no boundary'}.") from None
    fields: dict[str, str] = {}
    files: dict[str, list[FilePart]] = {}
    total = 0
    try:
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                raise Invalid("Nested multipart bodies are not supported.")
            name = (part.name or "").removesuffix("[]")
            if part.filename is None:
                raw = await part.read(decode=True)
                total += len(raw)
                if len(raw) > MAX_FIELD_BYTES:
                    raise Invalid(f"The field '{name}' is longer than {MAX_FIELD_BYTES} bytes.", name)
                try:
                    fields[name] = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise Invalid(f"The field '{name}' is not UTF-8 text (byte {exc.start}).", name) from None
                continue
            spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
            digest, size = hashlib.sha256(), 0
            files.setdefault(name, []).append(None)  # placeholder: closed on error below
            while chunk := await part.read_chunk(CHUNK):
                size += len(chunk)
                total += len(chunk)
                if total > max_bytes:
                    spool.close()
                    raise _too_large(max_bytes)
                digest.update(chunk)
                spool.write(chunk)
            spool.seek(0)
            files[name][-1] = FilePart(part.filename, spool, size, digest.hexdigest())
            if total > max_bytes:
                raise _too_large(max_bytes)
    except (ValueError, AssertionError) as exc:  # aiohttp's: a wrong boundary, a body cut short
        _close_parts(files)
        if isinstance(exc, Invalid):
            raise
        raise Invalid(f"The multipart body cannot be read: {exc or 'malformed'}.") from None
    except BaseException:
        _close_parts(files)
        raise
    return fields, files


def _close_parts(files: dict[str, list[FilePart | None]]) -> None:
    for parts in files.values():
        for p in parts:
            if p is not None:
                p.file.close()


class BodyBudget:
    """Bytes of request bodies the server holds at once, all requests together: three
    concurrent 200 MB bodies took 1.45 GB. A request is admitted when its declared size fits
    (reserved before its body is read, released when it is answered); past the budget it gets
    429 with ``retry-after``, as a rate limit, and clients send it again. (One event loop: no lock.)"""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.used, self.peak = max_bytes, 0, 0

    def reserve(self, size: int) -> bool:
        if size and self.used + size > self.max_bytes:
            return False
        self.used += size
        self.peak = max(self.peak, self.used)
        return True

    def release(self, size: int) -> None:
        self.used -= size

    def refusal(self, retry_after_ms: int):
        return error_body(429, f"The local server holds {self.used} bytes of request bodies already (at most "
                               f"{self.max_bytes} at once); send it again shortly.", type_="requests",
                          code="rate_limit_exceeded", headers={"retry-after-ms": str(retry_after_ms),
                                                               "retry-after": str(math.ceil(retry_after_ms / 1000))})


class UploadFolder:
    """Where uploaded and batch output files are kept: on disk, with a cap on their total size."""

    def __init__(self, max_total_bytes: int):
        self.max_total_bytes = max_total_bytes
        self.used = 0
        self._dir = tempfile.TemporaryDirectory(prefix="ogi-serve-files-")
        self.path = Path(self._dir.name)

    def _reserve(self, size: int) -> None:
        if self.used + size > self.max_total_bytes:
            raise Invalid(f"Stored files would exceed this server's {self.max_total_bytes} bytes in total; "
                          "start it with a larger --max-stored-mb.", "file", status=413)
        self.used += size

    def save_part(self, file_id: str, part: FilePart) -> Path:
        self._reserve(part.size)
        path = self.path / file_id
        part.file.seek(0)
        with open(path, "wb") as out:
            shutil.copyfileobj(part.file, out, CHUNK)
        return path

    def save_bytes(self, file_id: str, data: bytes) -> Path:
        self._reserve(len(data))
        path = self.path / file_id
        path.write_bytes(data)
        return path

    def close(self) -> None:
        self._dir.cleanup()  # (TemporaryDirectory also removes it when the server is collected)
