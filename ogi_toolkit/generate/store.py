"""Content-addressed result store inside a run folder.

* ``images/<ab>/<sha256>.png``: every image once, named by the hash of its bytes, written
  atomically (temporary file, then rename);
* ``calls.jsonl``: one line per completed call, keyed by its request key (:mod:`.keys`),
  pointing at its image (or holding its text, for rewrites) with the model, usage, cost and
  timing of the call that produced it. Append-only, one ``write`` per line; a torn last line
  is skipped on reading, so that call is simply made again.

The image is written before its call line and the call line before the item's manifest line,
so a call line on disk always means a whole, paid-for result. (One append per call rather
than one file per call: a file create + rename costs milliseconds of blocked event loop.)
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..atomic_io import atomic_write_bytes
from .keys import sha256_hex
from .manifest_io import ManifestWriter, iter_jsonl

__all__ = ["CALLS_NAME", "ResultStore"]

CALLS_NAME = "calls.jsonl"


class ResultStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._calls = {r["key"]: r for r in iter_jsonl(self.root / CALLS_NAME) if "key" in r}
        self._writer: ManifestWriter | None = None

    def image_relpath(self, sha: str) -> str:
        return f"images/{sha[:2]}/{sha}.png"

    def put_image(self, data: bytes) -> tuple[str, str]:
        """Store PNG bytes; return (sha256, path relative to the run folder)."""
        sha = sha256_hex(data)
        rel = self.image_relpath(sha)
        path = self.root / rel
        try:
            if path.stat().st_size == len(data):
                return sha, rel  # the same bytes are already there
        except FileNotFoundError:
            pass
        atomic_write_bytes(path, data)
        return sha, rel

    def read_image(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def get(self, key: str) -> dict[str, Any] | None:
        """The record of call ``key``, or None if it was never completed (or its image is gone)."""
        record = self._calls.get(key)
        if record is not None and record.get("image") is not None and not os.path.isfile(self.root / record["image"]):
            return None
        return record

    def put(self, key: str, record: dict[str, Any]) -> None:
        if self._writer is None:
            self._writer = ManifestWriter(self.root / CALLS_NAME, check_status=False)
        self._writer.append({**record, "key": key})
        self._calls[key] = record

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
