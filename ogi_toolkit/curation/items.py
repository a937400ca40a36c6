"""The items a curation step chooses from: the finished records of a dataset folder, each
with its stratum and its images checked to lie inside the folder."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dataset.safe_files import DatasetFolder
from ..folder import UnsafePath, read_manifest

__all__ = ["STRATUM_KEYS", "Item", "LoadedItems", "image_paths", "load_items"]

# Spec fields an item can be stratified by
STRATUM_KEYS = ("kind", "domain", "subtask", "difficulty", "template_id")


def image_paths(record: dict[str, Any]) -> list[str]:
    """Every image path of a manifest record: inputs, each turn's output, the output."""
    paths = [*(record.get("input_images") or []), *(record.get("turn_images") or [])]
    if record.get("output_image"):
        paths.append(record["output_image"])
    return list(dict.fromkeys(paths))


@dataclass
class Item:
    id: str
    key: tuple  # its stratum: the values of the stratify keys, in their order
    text: str  # the instruction (what near-duplicates are judged on)
    record: dict[str, Any]


@dataclass
class LoadedItems:
    root: Path
    items: list[Item]
    left_out: Counter = field(default_factory=Counter)  # reason -> items
    examples: dict[str, str] = field(default_factory=dict)  # reason -> one id with it


def load_items(dataset: str | Path, stratify: tuple[str, ...]) -> LoadedItems:
    """The finished items of ``dataset``; records with unsafe or missing images are left out."""
    unknown = [k for k in stratify if k not in STRATUM_KEYS]
    if unknown:
        raise ValueError(f"stratify key {unknown[0]!r}: expected some of {list(STRATUM_KEYS)}")
    root = Path(dataset)
    loaded = LoadedItems(root=root, items=[])
    folder = DatasetFolder(root)
    for record in read_manifest(root):
        if record.get("status") != "done":
            continue
        reason = _image_problem(folder, record)
        if reason:
            loaded.left_out[reason] += 1
            loaded.examples.setdefault(reason, record["id"])
            continue
        spec = record.get("spec") or {}
        key = tuple(spec.get(k) for k in stratify)
        loaded.items.append(Item(record["id"], key, str(record.get("instruction") or spec.get("instruction") or ""),
                                 record))
    return loaded


def _image_problem(folder: DatasetFolder, record: dict[str, Any]) -> str | None:
    if not record.get("output_image"):
        return "no output image"
    for rel in image_paths(record):
        try:
            if not folder.file(rel).is_file():
                return "image file missing"
        except UnsafePath:
            return "image path outside the dataset folder"
    return None
