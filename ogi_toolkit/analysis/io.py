"""Read prompts into a DataFrame: one row per prompt, a ``text`` column plus label columns.

Sources understood (``load_prompts`` picks by path):

* a plan (``*.jsonl`` whose lines are InstructionSpec records, see ``ogi_toolkit.spec``);
* a generated dataset folder holding ``manifest.jsonl`` (append-only; the last line of an id wins);
* ``.txt`` (one prompt per line), ``.tsv`` / ``.csv`` (``text_column``), ``.jsonl`` / ``.json``
  (JSON lines with a text field, e.g. the released OpenGPT-4o-Image ``gen.json``).

Spec-derived columns (``objects``, ``colours``, ``style``, ``scene``) come from the structured
spec, never from re-parsing the instruction text.

Files are read streaming: one line at a time is parsed and reduced to the columns analysis
uses (text, labels, slots, spec attributes, image path) before the next is read, so a 1M-line
plan never exists as 1M full spec dicts; .csv/.tsv read only the columns named.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

import orjson
import pandas as pd

from ..folder import MANIFEST_NAME
from ..schema import LABELS, item_frame, spec_row

__all__ = ["LABEL_COLUMNS", "load_prompts", "load_plan", "load_manifest", "load_table", "specs_to_frame"]

LABEL_COLUMNS = LABELS  # the shared item schema's (ogi_toolkit.schema)
# Tried in order when the caller names no text column.
TEXT_CANDIDATES = ("text", "prompt", "instruction", "input_prompt", "caption")
IMAGE_CANDIDATES = ("output_image", "image", "image_path")


def load_prompts(path: str | Path, *, text_column: str | None = None,
                 label_columns: Iterable[str] = ()) -> pd.DataFrame:
    """Load any supported source; see the module docstring."""
    path = Path(path)
    if path.is_dir():
        if not (path / MANIFEST_NAME).exists():
            raise FileNotFoundError(f"{path}: a dataset folder needs a {MANIFEST_NAME}")
        return load_manifest(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json") and text_column is None and _looks_like_plan(path):
        return load_plan(path)
    return load_table(path, text_column=text_column, label_columns=label_columns)


def _looks_like_plan(path: Path) -> bool:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    first = json.loads(line)
                except json.JSONDecodeError:
                    return False
                return isinstance(first, dict) and {"instruction", "subtask", "template_id"} <= first.keys()
    return False


def _iter_jsonl(path: Path) -> Iterator[dict]:
    """The JSON objects of a JSON-lines file, one at a time (a ``.json`` holding one array too)."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16).lstrip()
        fh.seek(0)
        if head.startswith(b"["):  # a JSON array, not lines: it has to be parsed whole
            try:
                rows = orjson.loads(fh.read())
            except orjson.JSONDecodeError as exc:
                raise ValueError(f"{path}: not valid JSON ({exc}); expected a JSON array or one JSON object per line") from None
            for number, row in enumerate(rows, 1):
                if not isinstance(row, dict):
                    raise ValueError(f"{path}: item {number}: expected a JSON object, got {type(row).__name__}")
                yield row
            return
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError:
                try:  # json's message names the position; orjson's is terser
                    json.loads(line)
                    msg = "not valid JSON"
                except json.JSONDecodeError as exc:
                    msg = exc.msg
                except UnicodeDecodeError:
                    msg = "not UTF-8"
                raise ValueError(f"{path}:{number}: not valid JSON ({msg}); expected one JSON object per line") from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{number}: expected a JSON object, got {type(row).__name__}")
            yield row


def _checked_specs(path: Path) -> Iterator[dict]:
    for number, spec in enumerate(_iter_jsonl(path), 1):
        if not isinstance(spec.get("instruction"), str):
            raise ValueError(f"{path}: record {number} (id {spec.get('id')!r}) has no string 'instruction'")
        yield spec


def load_plan(path: str | Path) -> pd.DataFrame:
    """A plan file (InstructionSpec JSON lines) as a DataFrame, read one line at a time."""
    path = Path(path)
    return specs_to_frame(_checked_specs(path))


def specs_to_frame(specs: Iterable[dict]) -> pd.DataFrame:
    """InstructionSpec dicts -> rows with text, labels, slots and spec-derived attributes."""
    # A generator of specs streams: each is reduced to its row before the next is read.
    rows = (spec_row(spec, slots=spec.get("slots") or {}, **spec_attributes(spec)) for spec in specs)
    return item_frame(rows, aliases=False)


def spec_attributes(spec: dict) -> dict[str, Any]:
    """Objects, colours, style and scene named by a spec's structured parts."""
    scenes = [spec.get("scene"), spec.get("source"), (spec.get("reference") or {}).get("scene")]
    scenes = [s for s in scenes if isinstance(s, dict)]
    edits = list(spec.get("edits") or [])
    for turn in spec.get("turns") or []:
        edits.extend(turn.get("edits") or [])
    objects = [o for s in scenes for o in s.get("objects") or []]
    objects += [e["object"] for e in edits if isinstance(e.get("object"), dict)]
    colours = [o["colour"] for o in objects if o.get("colour")]
    colours += [e["value"] for e in edits if e.get("attribute") in ("colour", "color") and e.get("value")]
    styles = [s["style"] for s in scenes if s.get("style")] + [e["value"] for e in edits if e.get("op") == "style" and e.get("value")]
    backgrounds = [s["background"] for s in scenes if s.get("background")]
    backgrounds += [e["value"] for e in edits if e.get("op") == "background" and e.get("value")]
    return {
        "objects": [o["name"] for o in objects if o.get("name")],
        "colours": colours,
        "style": styles[0] if styles else None,
        "scene": backgrounds[0] if backgrounds else None,
    }


def load_manifest(folder: str | Path) -> pd.DataFrame:
    """A generated dataset folder: the latest manifest record of each id, spec columns and image paths."""
    from ..folder import read_manifest  # the folder layer owns the manifest format

    folder = Path(folder)
    records = read_manifest(folder)
    specs = []
    for rec in records:
        spec = dict(rec.get("spec") or {})
        spec["id"] = rec.get("id")  # the manifest key names the item
        spec["instruction"] = rec.get("instruction") or spec.get("instruction") or ""
        specs.append(spec)
    df = specs_to_frame(specs)
    df["status"] = [rec.get("status") for rec in records]
    df["image_path"] = [str(folder / rec["output_image"]) if rec.get("output_image") else None for rec in records]
    df["input_images"] = [[str(folder / p) for p in rec.get("input_images") or []] for rec in records]
    df["turn_images"] = [[str(folder / p) for p in rec.get("turn_images") or []] for rec in records]
    from ..dataset.quality_columns import join_quality_columns

    # check / judge results, when `ogi check` or `ogi judge` ran (their scalar columns: the
    # analyses hash and group rows, which lists of results would break)
    return join_quality_columns(df, folder).drop(columns=["checks", "checks_failed"], errors="ignore")


def load_table(path: str | Path, *, text_column: str | None = None,
               label_columns: Iterable[str] = ()) -> pd.DataFrame:
    """A .txt, .tsv, .csv, .jsonl or .json list of prompts."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        return pd.DataFrame({"text": [line for line in lines if line]})
    wanted = {c.lower() for c in (*TEXT_CANDIDATES, *IMAGE_CANDIDATES, *LABEL_COLUMNS)} | \
        {c.lower() for c in (text_column, *label_columns) if c}
    if suffix in (".tsv", ".csv"):
        sep = "\t" if suffix == ".tsv" else ","
        all_columns = list(pd.read_csv(path, sep=sep, nrows=0).columns)
        raw = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, usecols=lambda c: c.lower() in wanted)
    elif suffix in (".jsonl", ".json"):
        # Only the columns analysis uses are kept from each record as it is read; the names of
        # all of them are kept for the error messages.
        seen: dict[str, None] = {}
        kept = []
        for row in _iter_jsonl(path):
            seen.update(dict.fromkeys(row))
            kept.append({k: v for k, v in row.items() if k.lower() in wanted})
        all_columns = list(seen)
        raw = pd.DataFrame(kept, columns=[c for c in all_columns if c.lower() in wanted])
    else:
        raise ValueError(f"{path}: unsupported file type {suffix!r}; expected .txt, .tsv, .csv, .jsonl, .json or a dataset folder")
    text_column = text_column or _pick(raw, TEXT_CANDIDATES, all_columns=all_columns)
    if text_column not in raw.columns:
        raise KeyError(f"{path}: no text column {text_column!r}; columns are {all_columns} (use --text-column)")
    df = pd.DataFrame({"text": raw[text_column].astype(str)})
    for col in label_columns:
        if col not in raw.columns:
            raise KeyError(f"{path}: no label column {col!r}; columns are {all_columns}")
        df[col] = raw[col].values
    for col in LABEL_COLUMNS:
        if col in raw.columns and col not in df.columns:
            df[col] = raw[col].values
    image_column = _pick(raw, IMAGE_CANDIDATES, required=False)
    if image_column:
        df["image_path"] = [str(path.parent / p) if isinstance(p, str) and p else None for p in raw[image_column]]
    return df


def _pick(raw: pd.DataFrame, candidates: Iterable[str], required: bool = True,
          all_columns: list[str] | None = None) -> str | None:
    lower = {c.lower(): c for c in raw.columns}
    for name in candidates:
        if name in lower:
            return lower[name]
    if required:
        raise KeyError(f"no text column among {all_columns if all_columns is not None else list(raw.columns)}; expected one of {list(candidates)} or --text-column")
    return None
