"""The texts of a dataset that are checked against benchmarks: each item's instruction (turn 0)
and, for multi-turn and complex edits, each turn's or sub-instruction's own text (turns 1..n).

    dataset_texts("plan.jsonl")     # or a dataset folder, a prompt file, a DataFrame, specs
    -> id, turn, text, kind, domain, subtask (one row per text)
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

__all__ = ["TEXT_COLUMNS", "dataset_texts", "spec_texts"]

TEXT_COLUMNS = ("id", "turn", "text", "kind", "domain", "subtask")


def spec_texts(spec: Mapping[str, Any]) -> list[str]:
    """A spec's instruction, then each turn's instruction (multi-turn) or each edit's
    sub-instruction (complex edits)."""
    parts = [t.get("instruction") for t in spec.get("turns") or []]
    parts += [e.get("instruction") for e in spec.get("edits") or []]
    return [str(spec.get("instruction") or ""), *(p for p in parts if isinstance(p, str) and p.strip())]


def _rows(specs: Iterable[Mapping[str, Any]]) -> Iterable[dict]:
    for number, spec in enumerate(specs):
        item = spec.get("id") if spec.get("id") is not None else str(number)
        labels = {k: spec.get(k) for k in ("kind", "domain", "subtask")}
        for turn, text in enumerate(spec_texts(spec)):
            yield {"id": str(item), "turn": turn, "text": text, **labels}


def _frame_rows(df: pd.DataFrame, text_column: str) -> Iterable[dict]:
    if text_column not in df.columns:
        raise KeyError(f"data: no text column {text_column!r}; columns are {list(df.columns)}")
    ids = df["id"].astype(str) if "id" in df.columns else pd.Series(range(len(df))).astype(str)
    for item, text, (_, row) in zip(ids, df[text_column].astype(str), df.iterrows()):
        yield {"id": item, "turn": 0, "text": text, **{k: row.get(k) for k in ("kind", "domain", "subtask")}}


def _plan_specs(path: Path) -> Iterable[dict]:
    """The specs of a plan file, one line at a time; a line that is not a spec is named."""
    from ..folder import iter_numbered

    for number, spec in iter_numbered(path, strict=True):
        if not isinstance(spec, dict) or not isinstance(spec.get("instruction"), str):
            raise ValueError(f"{path}:{number}: expected a spec (a JSON object with a string 'instruction')")
        yield spec


def _manifest_specs(folder: Path) -> list[dict]:
    from ..folder import read_manifest

    specs = []
    for record in read_manifest(folder):
        spec = dict(record.get("spec") or {})
        spec["id"] = record.get("id")
        spec["instruction"] = record.get("instruction") or spec.get("instruction") or ""
        specs.append(spec)
    return specs


def dataset_texts(data: str | Path | pd.DataFrame | Iterable[Mapping[str, Any]], *,
                  text_column: str | None = None) -> pd.DataFrame:
    """One row per text of ``data``: a plan file, a dataset folder, any prompt file (``.txt``,
    ``.tsv``, ``.csv``, ``.jsonl``; ``text_column``), a DataFrame with a ``text`` column (or
    ``text_column``), or spec dicts / InstructionSpec objects."""
    if isinstance(data, pd.DataFrame):
        rows = _frame_rows(data, text_column or "text")
    elif isinstance(data, (str, Path)):
        path = Path(data)
        from ..analysis.io import _looks_like_plan, load_table
        from ..folder import MANIFEST_NAME, manifest_path

        if path.is_dir():
            if not manifest_path(path).is_file():
                raise FileNotFoundError(f"{path}: a dataset folder needs a {MANIFEST_NAME}")
            rows = _rows(_manifest_specs(path))
        elif not path.is_file():
            raise FileNotFoundError(f"{path}: no such file or dataset folder")
        elif path.suffix.lower() in (".jsonl", ".json") and text_column is None and _looks_like_plan(path):
            rows = _rows(_plan_specs(path))
        else:
            rows = _frame_rows(load_table(path, text_column=text_column), "text")
    else:
        rows = _rows(s if isinstance(s, Mapping) else s.model_dump() for s in data)
    return pd.DataFrame(list(rows), columns=list(TEXT_COLUMNS))
