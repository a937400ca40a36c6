"""Export a dataset folder as a Hugging Face ``datasets`` dataset.

One row per finished item. Images are ``Image`` features holding the PNG bytes (the export is
self-contained); the spec travels twice: whole, as a JSON string in ``spec`` (lossless), and as
flat columns (``kind``, ``domain``, ``subtask``...) to filter on. Multi-turn items carry their
turns as sequences: ``turn_instructions[k]`` turned the previous image into ``turn_images[k]``;
``input_images`` are the source then any reference images (as in the manifest).

Two layouts: ``parquet`` (``data/train-0000K-of-0000N.parquet`` plus a ``README.md`` card: what
``datasets.load_dataset(out)`` and the Hub read) and ``disk`` (``Dataset.save_to_disk``, read
back with ``datasets.load_from_disk(out)``).
"""
from __future__ import annotations

import json
import math
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..folder.output import staged_output
from .exports import register_export
from .report import Report, done_records

__all__ = ["HF_LAYOUTS", "export_hf", "hf_features"]

HF_LAYOUTS = ("parquet", "disk")
FLAT_SPEC = {"kind": "string", "domain": "string", "subtask": "string", "template_id": "string",
             "difficulty": "int32", "seed": "int64"}


def hf_features():
    from datasets import Features, Image, List, Value

    return Features({
        "id": Value("string"),
        **{name: Value(dtype) for name, dtype in FLAT_SPEC.items()},
        "instruction": Value("string"),
        "original_instruction": Value("string"),
        "input_images": List(Image()),
        "output_image": Image(),
        "turn_instructions": List(Value("string")),
        "turn_images": List(Image()),
        "spec": Value("string"),  # the whole InstructionSpec as JSON
        "backend": Value("string"),
        "model": Value("string"),
        "params": Value("string"),  # JSON
        "cost_usd": Value("float64"),
    })


def _image(root: Path, rel: str) -> dict[str, Any]:
    return {"bytes": (root / rel).read_bytes(), "path": Path(rel).name}


def _rows(root: Path, records: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for record in records:
        spec = record.get("spec") or {}
        yield {
            "id": record["id"],
            **{name: spec.get(name) for name in FLAT_SPEC},
            "instruction": record.get("instruction"),
            "original_instruction": record.get("original_instruction"),
            "input_images": [_image(root, p) for p in record.get("input_images") or []],
            "output_image": _image(root, record["output_image"]),
            "turn_instructions": [t.get("instruction") for t in spec.get("turns") or []],
            "turn_images": [_image(root, p) for p in record.get("turn_images") or []],
            "spec": json.dumps(spec, ensure_ascii=False, sort_keys=True),
            "backend": record.get("backend"),
            "model": record.get("model"),
            "params": json.dumps(record.get("params") or {}, ensure_ascii=False, sort_keys=True),
            "cost_usd": float(record.get("cost_usd") or 0.0),
        }


@register_export("hf", options=("layout",), help="Hugging Face datasets with Image features")
def export_hf(dataset: str | Path, out: str | Path, *, layout: str = "parquet", overwrite: bool = False,
              max_shard_bytes: int = 500 * 2**20) -> Report:
    """Write the finished items of ``dataset`` as a Hugging Face dataset under ``out``."""
    if layout not in HF_LAYOUTS:
        raise ValueError(f"unknown Hugging Face layout {layout!r}; expected one of {HF_LAYOUTS}")
    from datasets import Dataset

    root = Path(dataset)
    out = Path(out)
    report = Report(source=f"export {root} -> {out} (Hugging Face datasets, {layout})")
    records = []
    for record in done_records(root, report):
        paths = [*(record.get("input_images") or []), *(record.get("turn_images") or []), record["output_image"]]
        missing = [p for p in paths if not (root / p).is_file()]
        if missing:
            report.problem(f"id {record['id']}", f"image file missing: {missing[0]}")
        else:
            records.append(record)
    if not records:
        raise ValueError(f"{root}: no finished item with its images to export ({dict(report.counts)})")
    out.parent.mkdir(parents=True, exist_ok=True)
    # a private cache, removed afterwards: the library's shared cache would keep a full copy
    cache = Path(tempfile.mkdtemp(prefix=f".{out.name}.cache-", dir=out.parent))
    try:
        ds = Dataset.from_generator(_rows, gen_kwargs={"root": root, "records": records}, features=hf_features(),
                                    cache_dir=str(cache), fingerprint=uuid.uuid4().hex)
        with staged_output(out, command="ogi export", inputs=[root], overwrite=overwrite) as stage:
            write_hf_layout(ds, stage, layout, max_shard_bytes)
            if layout == "parquet":
                (stage / "README.md").write_text(_card(root, ds), encoding="utf-8")
        del ds
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    report.counts["rows written"] = len(records)
    report.counts["multi-turn rows"] = sum(1 for r in records if r.get("turn_images"))
    return report


def write_hf_layout(ds, folder: Path, layout: str, max_shard_bytes: int) -> None:
    """``ds`` into ``folder``: ``save_to_disk`` (``"disk"``), or ``data/train-*.parquet`` shards
    that ``datasets.load_dataset(folder)`` finds by its default layout (``"parquet"``)."""
    if layout == "disk":
        ds.save_to_disk(str(folder), max_shard_size=max_shard_bytes)
        return
    shards = max(1, math.ceil(ds.data.nbytes / max_shard_bytes))
    (folder / "data").mkdir()
    for i in range(shards):
        part = ds.shard(num_shards=shards, index=i, contiguous=True)
        part.to_parquet(str(folder / "data" / f"train-{i:05d}-of-{shards:05d}.parquet"))


def _card(root: Path, ds) -> str:
    # No `configs:` block: with one, `datasets` keys its cache by the patterns it lists, not by
    # the files, so a second export to a folder of the same name loads the first one's rows.
    # `data/train-*.parquet` is found by the default layout without it.
    columns = "\n".join(f"- `{name}`: {feature}" for name, feature in ds.features.items())
    return f"""---
tags:
- ogi-toolkit
---
# Instruction dataset exported by ogi-toolkit

{len(ds)} items from `{root.name}`, built the OpenGPT-4o-Image way (arXiv 2509.24900) with
ogi-toolkit. Load with `datasets.load_dataset("<this folder>")`.

Images are embedded PNG bytes. `spec` is the full instruction spec as JSON; the flat columns
repeat its main fields. Multi-turn items: `turn_instructions[k]` turned the previous image
(the source for k = 0) into `turn_images[k]`. Check the `backend` column: `sketch` images come
from the offline schematic renderer, not from a generative model.

Columns:
{columns}
"""
