"""The dataset folder's ``manifest.jsonl``: one record per item, append-only, last line per id wins.

Each record carries ``id``, ``status`` ("done" | "error" | "skipped_budget"), ``spec``,
``instruction``, image paths relative to the folder (``input_images``, ``output_image``,
``turn_images``) and what the call cost (see :mod:`ogi_toolkit.dataset.manifest` for every field).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from .jsonl import JsonlWriter, iter_jsonl
from .names import MANIFEST_NAME

__all__ = ["STATUSES", "ManifestWriter", "iter_manifest", "latest_records", "manifest_path", "read_manifest"]

STATUSES = ("done", "error", "skipped_budget")


class ManifestWriter(JsonlWriter):
    """Appends manifest records; with ``check_status`` (the default) refuses a status not in :data:`STATUSES`."""

    def __init__(self, path: str | Path, *, check_status: bool = True):
        super().__init__(path)
        self.check_status = check_status

    def check(self, record: dict[str, Any]) -> None:
        if self.check_status and record.get("status") not in STATUSES:
            raise ValueError(f"manifest record {record.get('id')!r}: status {record.get('status')!r} not in {STATUSES}")


def manifest_path(path: str | Path) -> Path:
    """The manifest of a dataset folder (``path`` is the folder or the manifest file itself)."""
    path = Path(path)
    return path / MANIFEST_NAME if path.is_dir() else path


def iter_manifest(path: str | Path) -> Iterator[dict[str, Any]]:
    """Every whole record of a manifest file, in file order."""
    return (record for record in iter_jsonl(path) if "id" in record)


def latest_records(path: str | Path) -> dict[str, dict[str, Any]]:
    """id -> the last record written for it, of a manifest file."""
    return {record["id"]: record for record in iter_manifest(path)}


def read_manifest(path: str | Path) -> list[dict[str, Any]]:
    """The current record of every item (``path``: the dataset folder or its manifest file)."""
    manifest = manifest_path(path)
    if not manifest.is_file():
        raise FileNotFoundError(f"no manifest at {manifest}: expected a folder written by `ogi generate`")
    return list(latest_records(manifest).values())
