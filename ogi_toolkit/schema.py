"""One DataFrame schema for items, whichever stage they come from.

``planning.to_frame`` (a plan), ``dataset.load_dataset`` (a generated dataset) and
``analysis.load_manifest`` / ``load_plan`` (what the analyses read) all give one row per item
with these columns first, so a frame from one stage goes wherever a frame from another does:

* ``id``; ``text``: the instruction (after any rewrite, for a generated item);
* the labels ``kind``, ``domain``, ``subtask``, ``template_id``, ``difficulty``, and ``seed``;
* ``status``: ``"planned"`` for a plan, else the manifest's ``"done"`` / ``"error"`` /
  ``"skipped_budget"``;
* ``image_path``: the output image's absolute path (None until generated); ``input_images``
  and ``turn_images``: lists of absolute paths (source then references; each turn's output).

Each loader adds its own columns after these (``slots``, ``spec``, ``cost_usd``...).
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

__all__ = ["ALIASES", "COLUMNS", "IMAGE", "LABELS", "PLANNED", "STATUS", "TEXT", "item_frame", "spec_row"]

TEXT, STATUS, IMAGE = "text", "status", "image_path"
LABELS = ("kind", "domain", "subtask", "template_id", "difficulty")
COLUMNS = ("id", TEXT, *LABELS, "seed", STATUS, IMAGE, "input_images", "turn_images")
PLANNED = "planned"
# Earlier names, kept as copies of the schema's columns: notebooks 01 and 03, the gallery
# widget and the dataset tests read ``instruction`` and ``output_image``.
ALIASES = {"instruction": TEXT, "output_image": IMAGE}


def spec_row(spec: Mapping[str, Any], **values: Any) -> dict[str, Any]:
    """The schema's columns of one spec (an InstructionSpec dict); ``values`` override them."""
    row = {"id": spec.get("id"), TEXT: spec.get("instruction") or ""}
    row.update({label: spec.get(label) for label in LABELS})
    row.update({"seed": spec.get("seed"), STATUS: PLANNED, IMAGE: None, "input_images": [], "turn_images": []})
    row.update(values)
    return row


def item_frame(rows: Iterable[Mapping[str, Any]], *, aliases: bool = True):
    """A DataFrame of item rows: the schema's columns first (missing ones empty), then the rest,
    then (``aliases``) the earlier column names as copies."""
    import pandas as pd

    frame = pd.DataFrame(list(rows))
    for column in COLUMNS:
        if column not in frame:
            frame[column] = pd.Series([[] for _ in range(len(frame))] if column.endswith("_images") else None,
                                      index=frame.index, dtype=object)
    frame = frame[[*COLUMNS, *(c for c in frame if c not in COLUMNS and c not in ALIASES)]]
    if aliases:
        for old, new in ALIASES.items():
            frame[old] = frame[new]
    return frame
