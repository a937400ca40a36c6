"""The run folder's ``manifest.jsonl``: append-only, one JSON object per line, last line per id wins.

Each line is written with a single ``write`` on a file opened in append mode, so lines of
concurrent writers never interleave and a killed process leaves whole lines. Should a line
still be torn (a full disk, a power cut), readers skip it and the writer cuts it off before
appending, so a torn line is never taken for a finished item.
"""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any, Iterator

MANIFEST_NAME = "manifest.jsonl"
STATUSES = ("done", "error", "skipped_budget")

__all__ = ["MANIFEST_NAME", "STATUSES", "ManifestWriter", "append_jsonl", "iter_jsonl", "iter_manifest", "latest_records"]


def _repair_tail(path: Path) -> None:
    """Cut a torn last line (no trailing newline) off the file."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    with open(path, "rb+") as f:
        f.seek(-1, os.SEEK_END)
        if f.read(1) == b"\n":
            return
        f.seek(0)
        data = f.read()
        cut = data.rfind(b"\n") + 1
        f.truncate(cut)
    warnings.warn(f"{path}: removed a torn last line ({len(data) - cut} bytes); its item will be redone from the store")


class ManifestWriter:
    def __init__(self, path: str | Path, *, check_status: bool = True):
        self.path = Path(path)
        self.check_status = check_status
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _repair_tail(self.path)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def append(self, record: dict[str, Any]) -> None:
        if self.check_status and record.get("status") not in STATUSES:
            raise ValueError(f"manifest record {record.get('id')!r}: status {record.get('status')!r} not in {STATUSES}")
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        written = os.write(self._fd, line)
        if written != len(line):  # a full disk: never leave half a line for readers
            raise OSError(f"{self.path}: short write ({written} of {len(line)} bytes)")

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "ManifestWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def iter_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Every whole JSON object of a JSONL file, in order (a torn last line or a garbled line is skipped)."""
    path = Path(path)
    if not path.is_file():
        return
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.endswith(b"\n"):
                return  # torn last line
            try:
                record = json.loads(raw)
            except ValueError:
                warnings.warn(f"{path}:{number}: not a JSON line, skipped")
                continue
            if isinstance(record, dict):
                yield record


def append_jsonl(path: str | Path, record: dict[str, Any]) -> None:
    """Append one line to a small JSONL log (repairing a torn tail first)."""
    with ManifestWriter(path, check_status=False) as writer:
        writer.append(record)


def iter_manifest(path: str | Path) -> Iterator[dict[str, Any]]:
    """Every whole record of a manifest, in file order."""
    return (record for record in iter_jsonl(path) if "id" in record)


def latest_records(path: str | Path) -> dict[str, dict[str, Any]]:
    """id -> the last record written for it."""
    return {record["id"]: record for record in iter_manifest(path)}
