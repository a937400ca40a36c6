"""A copy of a dataset without the items that leak: ``ogi leakage DATA --drop --out NEW``.

* a dataset folder gives a new dataset folder: a view of the parent (its manifest holds the
  kept records unchanged, the parent's image folders are linked, ``view.json`` says where it
  comes from; see ``curation.view``) plus ``dropped.csv``;
* a plan file gives a plan file without the dropped specs, and ``<out>.dropped.csv`` beside it.

``dropped.csv`` has one row per dropped item: id, benchmark, kind, similarity, turn, text and
benchmark_prompt of its strongest match.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..folder import DROPPED_NAME

__all__ = ["DropResult", "drop_leaks"]

_DROPPED_COLUMNS = ["id", "benchmark", "kind", "similarity", "turn", "text", "benchmark_prompt"]


@dataclass
class DropResult:
    out: Path
    kept: int
    dropped: pd.DataFrame  # one row per dropped item (the columns of dropped.csv)
    dropped_file: Path

    def summary(self) -> str:
        return f"kept {self.kept} items, dropped {len(self.dropped)} (see {self.dropped_file})"


def _drop_from_folder(root: Path, out: Path, dropped: pd.DataFrame, overwrite: bool) -> DropResult:
    from ..curation.view import write_view
    from ..folder import read_manifest
    from ..folder.output import staged_output

    leaking = set(dropped["id"])
    kept = [record for record in read_manifest(root) if record.get("id") not in leaking]
    with staged_output(out, command="ogi leakage --drop", inputs=[root], overwrite=overwrite) as stage:
        write_view(root, kept, stage, out, {"made_by": "ogi leakage --drop", "dropped": len(leaking)})
        dropped.to_csv(stage / DROPPED_NAME, index=False)
    return DropResult(out, len(kept), dropped, out / DROPPED_NAME)


def _drop_from_plan(plan: Path, out: Path, dropped: pd.DataFrame, overwrite: bool) -> DropResult:
    import json

    from ..atomic_io import atomic_write_chunks, atomic_write_text
    from ..folder.output import check_output_file

    check_output_file(out, inputs=[plan])
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out}: already exists (pass overwrite=True / --overwrite)")
    leaking = set(dropped["id"])
    kept = 0

    def lines():
        nonlocal kept
        with plan.open("rb") as fh:
            for line in fh:
                if line.strip() and json.loads(line).get("id") not in leaking:
                    kept += 1
                    yield line if line.endswith(b"\n") else line + b"\n"

    atomic_write_chunks(out, lines())
    dropped_file = out.with_name(out.stem + "." + DROPPED_NAME)
    atomic_write_text(dropped_file, dropped.to_csv(index=False))
    return DropResult(out, kept, dropped, dropped_file)


def drop_leaks(data: str | Path, matches: pd.DataFrame, out: str | Path, *, overwrite: bool = False) -> DropResult:
    """Write ``data`` (a dataset folder or a plan file) without the items in ``matches``
    (a :func:`~.leakage.leakage` table) to ``out``; see the module docstring."""
    data, out = Path(data), Path(out)
    from .leakage import strongest_matches

    dropped = strongest_matches(matches)[_DROPPED_COLUMNS]
    if data.is_dir():
        return _drop_from_folder(data, out, dropped, overwrite)
    if data.suffix.lower() == ".jsonl":
        return _drop_from_plan(data, out, dropped, overwrite)
    raise ValueError(f"{data}: --drop writes a dataset folder or a plan (.jsonl) without the leaking items; "
                     "a prompt file has no items to keep")
