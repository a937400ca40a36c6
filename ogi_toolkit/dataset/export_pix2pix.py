"""Export editing items in the layout of diffusers' InstructPix2Pix training script.

``examples/instruct_pix2pix/train_instruct_pix2pix.py`` reads a Hugging Face dataset with the
columns ``input_image``, ``edit_prompt`` and ``edited_image`` (its defaults for
``--original_image_column``, ``--edit_prompt_column``, ``--edited_image_column``): point
``--dataset_name`` (or ``--train_data_dir``) at the export. One row per edit: single edits as
they are; multi-turn items one row per turn (``flatten``) or one row per chain (``chain``:
source -> final image with the overall instruction, each turn kept in ``turn_prompts`` /
``turn_images``). Reference edits have two input images and InstructPix2Pix takes one, so they
are left out and counted; generation items have no input image and are left out too.
"""
from __future__ import annotations

import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..folder.output import staged_output
from .export_hf import write_hf_layout
from .export_readme import export_readme
from .exports import register_export
from .report import Report
from .training_examples import Example, training_examples

__all__ = ["PIX2PIX_COLUMNS", "export_pix2pix"]

PIX2PIX_COLUMNS = ("input_image", "edit_prompt", "edited_image")
LAYOUTS = ("parquet", "disk")


def _features():
    from datasets import Features, Image, List, Value

    return Features({"input_image": Image(), "edit_prompt": Value("string"), "edited_image": Image(),
                     "id": Value("string"), "subtask": Value("string"), "turn": Value("int32"),
                     "turn_prompts": List(Value("string")), "turn_images": List(Image())})


def _image(path: Path) -> dict:
    return {"bytes": path.read_bytes(), "path": path.name}


def _rows(examples: list[Example]) -> Iterator[dict]:
    for e in examples:
        yield {"input_image": _image(e.controls[0]), "edit_prompt": e.prompt, "edited_image": _image(e.target),
               "id": e.id, "subtask": e.subtask, "turn": e.turn, "turn_prompts": list(e.turn_prompts),
               "turn_images": [_image(p) for p in e.turn_targets]}


@register_export("pix2pix", options=("multi_turn", "layout"),
                 help="diffusers InstructPix2Pix: input_image / edit_prompt / edited_image")
def export_pix2pix(dataset: str | Path, out: str | Path, *, multi_turn: str = "flatten", layout: str = "parquet",
                   overwrite: bool = False, max_shard_bytes: int = 500 * 2**20) -> Report:
    """Write the editing pairs of ``dataset`` as a Hugging Face dataset under ``out``
    (``parquet``: ``data/train-*.parquet`` + README, read by ``datasets.load_dataset(out)``;
    ``disk``: ``save_to_disk``, read by ``datasets.load_from_disk(out)``)."""
    if layout not in LAYOUTS:
        raise ValueError(f"pix2pix layout {layout!r}: expected one of {LAYOUTS}")
    from datasets import Dataset

    root, out = Path(dataset), Path(out)
    report = Report(source=f"export {root} -> {out} (InstructPix2Pix, {layout}, multi-turn {multi_turn})")
    skipped: Counter = Counter()
    examples = []
    for example in training_examples(root, report, multi_turn=multi_turn):
        if example.kind != "editing":
            skipped["generation items (no input image)"] += 1
        elif len(example.controls) != 1:
            skipped["reference edits (two input images; InstructPix2Pix takes one)"] += 1
        else:
            examples.append(example)
    if not examples:
        raise ValueError(f"{root}: no editing item with one input image to export ({dict(report.counts)})")
    out.parent.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix=f".{out.name}.cache-", dir=out.parent))  # private: removed after
    try:
        ds = Dataset.from_generator(_rows, gen_kwargs={"examples": examples}, features=_features(),
                                    cache_dir=str(cache), fingerprint=uuid.uuid4().hex)
        counts = Counter({"rows": len(examples), "items": len({e.id for e in examples}),
                          "multi-turn rows": sum(1 for e in examples if e.turn is not None or e.turn_prompts)})
        with staged_output(out, command="ogi export", inputs=[root], overwrite=overwrite) as stage:
            write_hf_layout(ds, stage, layout, max_shard_bytes)
            (stage / "README.md").write_text(_readme(root, out, layout, multi_turn, counts, skipped), encoding="utf-8")
        del ds
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    report.counts.update(counts)
    report.counts.update({f"left out: {k}": n for k, n in skipped.items()})
    return report


# No `configs:` block: with one, `datasets` (5.x) keys its cache by the patterns it lists, not
# by the files, so loading a second export to a folder of the same name returns the first
# one's rows. Without it, `data/train-*.parquet` is found by the default layout, keyed by file.
_FRONT = """---
task_categories:
- image-to-image
tags:
- instruct-pix2pix
- ogi-toolkit
---"""


def _readme(root: Path, out: Path, layout: str, multi_turn: str, counts: Counter, skipped: Counter) -> str:
    load = "datasets.load_dataset(OUT, split='train')" if layout == "parquet" else "datasets.load_from_disk(OUT)"
    return export_readme(
        title="InstructPix2Pix training pairs", source=root,
        command=f"ogi export {root} --format pix2pix --multi-turn {multi_turn} --hf-layout {layout} --out {out}",
        layout=f"""A Hugging Face dataset ({load}) with the columns diffusers'
`train_instruct_pix2pix.py` expects: `input_image` (the image edited), `edit_prompt`,
`edited_image`; plus `id`, `subtask`, `turn` (the turn of a flattened multi-turn item) and, for
chains, `turn_prompts` / `turn_images`. Train with
`--dataset_name OUT --original_image_column input_image --edit_prompt_column edit_prompt
--edited_image_column edited_image`.""",
        counts=counts, skipped=skipped, front_matter=_FRONT if layout == "parquet" else "")
