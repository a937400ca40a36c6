"""``ogi export --format opengpt``: a dataset in the released OpenGPT-4o-Image layout (see :mod:`.opengpt`)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..folder import place_file
from ..folder.output import staged_output
from .exports import register_export
from .opengpt import EDIT_FILE, GEN_FILE, META_FILE, image_paths, with_placeholder
from .report import Report, done_records

__all__ = ["export_opengpt"]


@register_export("opengpt", options=("link",),
                 help="gen.json / editing.json + images, the released OpenGPT-4o-Image layout")
def export_opengpt(dataset: str | Path, out: str | Path, *, link: bool = False, overwrite: bool = False) -> Report:
    """Write the finished items of ``dataset`` in the released layout under ``out``."""
    root = Path(dataset)
    report = Report(source=f"export {root} -> {out} (opengpt layout)")
    records = done_records(root, report)
    with staged_output(out, command="ogi export", inputs=[root], overwrite=overwrite) as stage:
        lines: dict[str, list[str]] = {GEN_FILE: [], EDIT_FILE: []}
        meta: list[str] = []

        def put(rel_src: str, stem: str) -> str:
            rel_dst = stem + (Path(rel_src).suffix or ".png")  # keep each image's own format
            place_file(root / rel_src, stage / rel_dst, link=link)
            return rel_dst

        def emit(file: str, row: dict[str, Any], record: dict[str, Any], turn: int | None = None) -> None:
            lines[file].append(json.dumps(row, ensure_ascii=False))
            meta.append(json.dumps({"file": file, "line": len(lines[file]), "id": record["id"], "turn": turn,
                                    "spec": record.get("spec")}, ensure_ascii=False))

        for record in records:
            spec = record.get("spec") or {}
            missing = [p for p in image_paths(record) if not (root / p).is_file()]
            if missing:
                report.problem(f"id {record['id']}", f"image file missing: {missing[0]}")
                continue
            if spec.get("kind") == "generation":
                n = len(lines[GEN_FILE])
                emit(GEN_FILE, {"input_prompt": record["instruction"],
                                "output_image": put(record["output_image"], f"gen/{n}")}, record)
                report.counts["generation records"] += 1
            elif record.get("turn_images"):
                turns = spec.get("turns") or []
                previous = None  # the path of the previous turn's output, inside out/
                for k, image in enumerate(record["turn_images"]):
                    n = len(lines[EDIT_FILE])
                    inputs = [previous] if previous else [put(record["input_images"][0], f"editing/input_{n}")]
                    previous = put(image, f"editing/output_{n}")
                    prompt = turns[k]["instruction"] if k < len(turns) else record["instruction"]
                    emit(EDIT_FILE, {"input_prompt": prompt, "input_image": inputs, "output_image": previous},
                         record, turn=k)
                report.counts["multi-turn items"] += 1
                report.counts["editing records"] += len(record["turn_images"])
            else:
                n = len(lines[EDIT_FILE])
                inputs = [put(p, f"editing/input_{n}{'' if i == 0 else f'_{i}'}")
                          for i, p in enumerate(record.get("input_images") or [])]
                prompt = record["instruction"]
                if spec.get("reference") is not None:
                    prompt = with_placeholder(prompt)
                emit(EDIT_FILE, {"input_prompt": prompt, "input_image": inputs,
                                 "output_image": put(record["output_image"], f"editing/output_{n}")}, record)
                report.counts["editing records"] += 1
        for file, rows in {**lines, META_FILE: meta}.items():
            (stage / file).write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    return report
