"""Atomic file writes: a reader sees the old file or the whole new one, never a part.

A process killed mid-write leaves at most a ``.tmp-*`` file behind, which nothing reads. We do
not fsync: ``kill -9`` and crashes of this process lose nothing already written to the
kernel; only a power cut could, and the readers check what they load.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

__all__ = ["atomic_write_bytes"]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{uuid.uuid4().hex}-{path.name}")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
