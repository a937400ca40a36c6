"""Work every command repeats, kept on disk by content: parsed pool YAML, compiled templates.

Every ``ogi`` command (and ``plan()`` in a fresh process) parses ~30 pool files (~0.5 s: PyYAML
builds its objects in Python) and parses and compiles ~400 subtask templates (~1 s). The
results depend only on the input's bytes and the versions of what processed them, so they are
stored under ``cache_dir()/<kind>/<hash>.marshal`` and read back in milliseconds.

``marshal`` is the format of Python's own ``.pyc`` files: plain data and code objects, never
arbitrary classes, and its format is tied to the interpreter (part of the key). A missing or
unreadable entry is recomputed; entries are written atomically, and a cache folder that cannot
be written only loses the speed-up. ``OGI_DISK_CACHE=0`` turns the cache off.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Callable, TypeVar

from .atomic_io import atomic_write_bytes
from .paths import cache_dir

__all__ = ["cached"]

T = TypeVar("T")


def _enabled() -> bool:
    return os.environ.get("OGI_DISK_CACHE", "1") not in ("0", "false", "no")


def cached(kind: str, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, or its value stored by an earlier call with the same ``kind`` and ``key``.

    ``key`` holds bytes / str / int parts: everything the value depends on (input bytes,
    versions of the code that computes it). The value must be marshal-able (plain data, code
    objects); one that is not is returned without being stored. Exceptions are not cached.
    """
    if not _enabled():
        return compute()
    digest = hashlib.sha256(sys.implementation.cache_tag.encode())
    for part in key:
        raw = part if isinstance(part, bytes) else str(part).encode("utf-8")
        digest.update(len(raw).to_bytes(8, "little"))  # lengths keep ("ab", "c") apart from ("a", "bc")
        digest.update(raw)
    path = cache_dir() / kind / f"{digest.hexdigest()}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = compute()
    try:
        data = marshal.dumps(value)
    except ValueError:  # not plain data (a YAML date, say): computed every time
        return value
    _write(path, data)
    return value


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(path, data)
    except OSError:
        pass  # a read-only or full cache folder costs the speed-up only
