"""Read a generated dataset: ``<out>/manifest.jsonl`` (last line per id wins) and its images.

Each record carries ``id``, ``status`` ("done" | "error" | "skipped_budget"), ``spec`` (the full
instruction spec), ``instruction`` (the text sent; for a multi-turn item its overall
instruction, each turn having sent ``spec.turns[k].instruction``), ``original_instruction``
(before any rewrite), ``input_images`` (source then references), ``output_image``, ``turn_images``
(multi-turn: each turn's output, the last equal to ``output_image``), ``backend``, ``model``,
``params``, ``usage``, ``cost_usd``, ``timings``, ``error``, ``request_keys``, ``fidelity``
(how faithfully the backend draws the item: ``faithful``, ``partial``, ``placeholder``; null
when the backend does not say) and ``created_at``. Image paths are relative to the folder of the manifest.
"""
from __future__ import annotations

from pathlib import Path
import pandas as pd

from ..folder import manifest_path, read_manifest
from ..schema import ALIASES, LABELS, item_frame, spec_row
from .quality_columns import join_quality_columns

__all__ = ["SPEC_COLUMNS", "load_dataset"]

# Spec fields lifted into columns of their own (the whole spec stays in ``spec``).
SPEC_COLUMNS = (*LABELS, "seed")


def load_dataset(path: str | Path, *, status: str | None = None) -> pd.DataFrame:
    """The dataset as a DataFrame in the shared item schema (:mod:`ogi_toolkit.schema`): one row
    per item, spec fields flattened into columns, then the rest of each record.

    ``text`` is the instruction sent; image columns hold absolute paths: ``image_path`` (the
    output, str or None), ``input_images`` and ``turn_images`` (lists). ``instruction`` and
    ``output_image`` are kept as copies of ``text`` and ``image_path``. ``status="done"``
    keeps finished items only. When ``ogi check`` or ``ogi judge`` has run, their results are
    columns too (see :mod:`.quality_columns`).
    """
    manifest = manifest_path(path)
    root = manifest.parent.resolve()
    rows = []
    records = read_manifest(manifest)
    for record in records:
        if status is not None and record.get("status") != status:
            continue
        spec = record.get("spec") or {}
        row = spec_row(spec, id=record["id"], text=record.get("instruction") or spec.get("instruction") or "",
                       status=record.get("status"),
                       image_path=str(root / record["output_image"]) if record.get("output_image") else None,
                       input_images=[str(root / p) for p in record.get("input_images") or []],
                       turn_images=[str(root / p) for p in record.get("turn_images") or []])
        row.update({k: v for k, v in record.items() if k not in row and k not in ALIASES})
        rows.append(row)
    return join_quality_columns(item_frame(rows), root, {record["id"] for record in records})
