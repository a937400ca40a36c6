"""Content-addressed result store inside a run folder (the call engine's memory).

* ``images/<ab>/<sha256>.png``: every image once, named by the hash of its bytes, written
  atomically (temporary file, then rename);
* ``calls.jsonl``: one line per completed call, keyed by its request key (:mod:`.keys`),
  pointing at its image (or holding its text, for rewrites) with the model, usage, cost and
  timing of the call that produced it. Append-only, one ``write`` per line; a torn last line
  is skipped on reading, so that call is simply made again.

The image is written before its call line and the call line before the item's manifest line,
so a call line on disk always means a whole, paid-for result. An image is still checked
before it is trusted (its sha256 must be its name: a file cut short or damaged on disk is
made again), and the temporary files of writes a kill interrupted are removed on opening.
A call line may also record a failure that may have been billed (``"failed"``): the runner
does not send that call again unless asked. ``sent.jsonl`` logs each request as it goes out:
a request logged there with no call line was open when a run was killed, so it may have been
billed (a resumed run sends it again and says so). (One append per call rather
than one file per call: a file create + rename costs milliseconds of blocked event loop.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..atomic_io import atomic_write_bytes, remove_orphans
from ..folder import CALLS_NAME, JsonlWriter, iter_jsonl
from .keys import sha256_hex

__all__ = ["SENT_NAME", "ResultStore", "StoredImage"]

_SHA256 = re.compile(r"[0-9a-f]{64}")
SENT_NAME = "sent.jsonl"  # the store's log of requests as they are sent (see note_sent)


@dataclass(frozen=True)
class StoredImage:
    sha: str
    rel: str  # path relative to the run folder


class ResultStore:
    """The run folder's results. Open it only while holding the folder's run lock."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.orphans_removed = remove_orphans(self.root)  # no other writer: the lock is ours
        self._calls = {r["key"]: r for r in iter_jsonl(self.root / CALLS_NAME) if "key" in r}
        # Requests an earlier run sent and never saw close (it was killed): each may have been billed.
        self.open_at_stop = {r["key"] for r in iter_jsonl(self.root / SENT_NAME) if "key" in r} - set(self._calls)
        self._writer: JsonlWriter | None = None
        self._sent: JsonlWriter | None = None
        self._intact: set[str] = set()  # shas of images checked (or written) by this process
        self.broken = 0  # stored images found missing or damaged (their calls are made again)

    def image_relpath(self, sha: str) -> str:
        return f"images/{sha[:2]}/{sha}.png"

    def _holds(self, sha: str) -> bool:
        """True when the image named ``sha`` is on disk and its bytes hash to its name."""
        if sha in self._intact:
            return True
        try:
            whole = sha256_hex((self.root / self.image_relpath(sha)).read_bytes()) == sha
        except OSError:
            return False
        if whole:
            self._intact.add(sha)
        return whole

    def put_image(self, data: bytes) -> tuple[str, str]:
        """Store PNG bytes; return (sha256, path relative to the run folder)."""
        sha = sha256_hex(data)
        rel = self.image_relpath(sha)
        if not self._holds(sha):  # absent, or damaged: the new bytes replace it
            atomic_write_bytes(self.root / rel, data)
            self._intact.add(sha)
        return sha, rel

    def read_image(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def get(self, key: str) -> dict[str, Any] | None:
        """The record of call ``key``, or None if it was never completed or its image is not whole.

        The image is found by its hash, never by a path read from the file, so a damaged
        ``calls.jsonl`` cannot point outside the run folder.
        """
        record = self._calls.get(key)
        if record is None or "image" not in record:
            return record
        sha = record.get("image_sha256")
        if isinstance(sha, str) and _SHA256.fullmatch(sha) and self._holds(sha):
            return {**record, "image": self.image_relpath(sha)}
        self.broken += 1
        del self._calls[key]  # counted once; the call is made again and stored anew
        return None

    def put(self, key: str, record: dict[str, Any]) -> None:
        if self._writer is None:
            self._writer = JsonlWriter(self.root / CALLS_NAME)
        self._writer.append({**record, "key": key})
        self._calls[key] = record

    def note_sent(self, key: str, step: str) -> None:
        """Log a request as it is sent (``sent.jsonl``), so that one a kill leaves open is known as maybe paid."""
        if self._sent is None:
            self._sent = JsonlWriter(self.root / SENT_NAME)
        self._sent.append({"key": key, "step": step})

    def close(self) -> None:
        for writer in (self._writer, self._sent):
            if writer is not None:
                writer.close()
        self._writer = self._sent = None
