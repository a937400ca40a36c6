"""A dataset folder that is a selection of another: its own ``manifest.jsonl`` (the parent's
records, unchanged) and the parent's image folder linked in, so nothing is copied and every
reader of dataset folders reads it as it reads the parent."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..folder import MANIFEST_NAME, ManifestWriter
from .items import image_paths

__all__ = ["VIEW_FILE", "write_view"]

VIEW_FILE = "view.json"  # where the folder's records and images come from, and how it was chosen


def write_view(parent: Path, records: list[dict[str, Any]], stage: Path, final: Path, about: dict[str, Any]) -> None:
    """Write the view into ``stage`` (a folder that will be moved to ``final``): its manifest,
    a relative link per top-level image folder of the parent, and ``view.json``."""
    stage.mkdir(parents=True, exist_ok=True)
    tops = sorted({Path(p).parts[0] for r in records for p in image_paths(r) if len(Path(p).parts) > 1})
    for top in tops:
        source = (parent / top).resolve()  # a parent that is a view itself: link to the real folder
        _link(source, stage / top, final)
    with ManifestWriter(stage / MANIFEST_NAME) as writer:
        for record in records:
            writer.append(record)
    about = {"parent": os.path.relpath(parent.resolve(), _absolute(final)), "items": len(records),
             "linked": tops, **about}
    (stage / VIEW_FILE).write_text(json.dumps(about, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _absolute(path: Path) -> Path:
    """``path`` made absolute, links in its existing part followed (it is only staged so far)."""
    return Path(os.path.realpath(path))


def _link(source: Path, link: Path, final: Path) -> None:
    """A relative link, as seen from the folder's final place, so moving the parent and its
    views together keeps them working."""
    os.symlink(os.path.relpath(source, _absolute(final)), link, target_is_directory=True)
