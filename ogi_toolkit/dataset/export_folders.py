"""Export to plain image folders, the layouts LoRA trainers read.

``control-folder`` (editing models: FLUX.1 Kontext, Qwen-Image-Edit in ai-toolkit and similar
trainers): the output image and its caption share a stem in ``images/``; the image edited has
the same stem in ``control/``; a reference edit's second input in ``control_2/``::

    images/<stem>.png   images/<stem>.txt   control/<stem>.png   [control_2/<stem>.png]

``image-caption`` (text-to-image LoRA): ``images/<stem>.png`` + ``images/<stem>.txt``, and a
``metadata.jsonl`` (``file_name``, ``text``) so ``datasets.load_dataset("imagefolder",
data_dir=OUT)`` reads it with its captions (diffusers' ``train_text_to_image_lora.py``).

Each export writes ``examples.jsonl`` (stem, item id, turn, subtask) and a README.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..folder import place_file
from ..folder.output import staged_output
from .export_readme import export_readme
from .exports import register_export
from .report import Report
from .training_examples import Example, training_examples

__all__ = ["FOLDER_FORMATS", "export_control_folder", "export_image_caption"]

FOLDER_FORMATS = ("control-folder", "image-caption")
CONTROL_DIRS = ("control", "control_2")  # the image edited, then the reference


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _write(stage: Path, example: Example, controls: bool, link: bool) -> None:
    place_file(example.target, stage / "images" / f"{example.name}{example.target.suffix}", link=link)
    # one line: trainers read the whole file as the caption
    (stage / "images" / f"{example.name}.txt").write_text(" ".join(example.prompt.split()) + "\n", encoding="utf-8")
    if controls:
        for folder, image in zip(CONTROL_DIRS, example.controls):
            place_file(image, stage / folder / f"{example.name}{image.suffix}", link=link)


def _export(dataset: str | Path, out: str | Path, fmt: str, *, multi_turn: str, link: bool,
            overwrite: bool) -> Report:
    root, out = Path(dataset), Path(out)
    report = Report(source=f"export {root} -> {out} ({fmt}, multi-turn {multi_turn})")
    wanted = "editing" if fmt == "control-folder" else "generation"
    skipped: Counter = Counter()
    counts: Counter = Counter()
    with staged_output(out, command="ogi export", inputs=[root], overwrite=overwrite) as stage:
        (stage / "images").mkdir()
        index, metadata = [], []
        for example in training_examples(root, report, multi_turn=multi_turn):
            if example.kind != wanted:
                skipped[f"{example.kind} items (use --format {'image-caption' if wanted == 'editing' else 'control-folder'})"] += 1
                continue
            if len(example.controls) > len(CONTROL_DIRS):
                skipped[f"edits with more than {len(CONTROL_DIRS)} input images"] += 1
                continue
            _write(stage, example, controls=wanted == "editing", link=link)
            counts["examples"] += 1
            counts[f"with {len(example.controls)} control image(s)"] += wanted == "editing"
            index.append({"stem": example.name, "id": example.id, "turn": example.turn, "subtask": example.subtask,
                          "controls": len(example.controls)})
            metadata.append({"file_name": f"images/{example.name}{example.target.suffix}", "text": example.prompt})
        if not index:
            raise ValueError(f"{root}: no {wanted} item to export as {fmt} ({dict(report.counts)})")
        counts["items"] = len({row["id"] for row in index})
        (stage / "examples.jsonl").write_text(_jsonl(index), encoding="utf-8")
        if fmt == "image-caption":
            (stage / "metadata.jsonl").write_text(_jsonl(metadata), encoding="utf-8")
        command = f"ogi export {root} --format {fmt} --multi-turn {multi_turn} --out {out}" + (" --link" if link else "")
        (stage / "README.md").write_text(export_readme(
            title=f"{fmt} training folder", source=root, command=command, layout=_LAYOUT[fmt], counts=+counts,
            skipped=skipped), encoding="utf-8")
    report.counts.update(+counts)
    report.counts.update({f"left out: {k}": n for k, n in skipped.items()})
    return report


_LAYOUT = {
    "control-folder": """`images/<stem>.png` is the edited (target) image and `images/<stem>.txt` its caption (the
edit instruction); `control/<stem>.png` is the image edited; reference edits also have
`control_2/<stem>.png`, the reference image. Multi-turn items: one stem per turn
(`<id>-t<k>`, its control the previous turn's output) when flattened, or one stem per chain.
`examples.jsonl` maps each stem to its item id and turn. For ai-toolkit: `folder_path: OUT/images`,
`control_path: OUT/control` (for two controls, a list: `[OUT/control, OUT/control_2]`).""",
    "image-caption": """`images/<stem>.png` with its caption in `images/<stem>.txt` (kohya, ai-toolkit), and
`metadata.jsonl` (`file_name`, `text`) for `datasets.load_dataset("imagefolder", data_dir=OUT)`
(diffusers `train_text_to_image_lora.py --train_data_dir OUT --caption_column text`).""",
}


@register_export("control-folder", options=("multi_turn", "link"),
                 help="control-image folders for LoRA trainers: images/ + .txt + control/")
def export_control_folder(dataset: str | Path, out: str | Path, *, multi_turn: str = "flatten", link: bool = False,
                          overwrite: bool = False) -> Report:
    """Editing items as target image + caption + same-stem control image(s) under ``out``."""
    return _export(dataset, out, "control-folder", multi_turn=multi_turn, link=link, overwrite=overwrite)


@register_export("image-caption", options=("link",), help="generation images + .txt + metadata.jsonl")
def export_image_caption(dataset: str | Path, out: str | Path, *, link: bool = False, overwrite: bool = False) -> Report:
    """Generation items as image + caption ``.txt`` (+ ``metadata.jsonl``) under ``out``."""
    return _export(dataset, out, "image-caption", multi_turn="flatten", link=link, overwrite=overwrite)
