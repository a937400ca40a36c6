"""A dataset's finished items as training examples, for the trainer-layout exports.

An example is one supervised pair: a target image, the prompt that produced it, and the images
it was made from (``controls``: the image edited, then any reference image; none for
generation). Multi-turn items become one example per turn (``flatten``: turn k edits turn
k-1's output with that turn's instruction made self-contained: no "Now ...", and an object an
earlier turn made named by what it is, not "the dog you added"; see
:mod:`.standalone_turns`) or one example for the whole chain (``chain``: the
source, the overall instruction, the final image, with each turn's prompt and image kept
beside it). Every image path is checked to lie inside the dataset folder.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..folder import UnsafePath
from .report import Report, done_records
from .safe_files import DatasetFolder
from .standalone_turns import standalone_turn_prompts

__all__ = ["MULTI_TURN", "Example", "training_examples"]

MULTI_TURN = ("flatten", "chain")


@dataclass(frozen=True)
class Example:
    name: str  # a unique, file-name-safe stem: the item id, or "<id>-t<k>" for a turn
    id: str
    kind: str  # "generation" | "editing"
    subtask: str | None
    turn: int | None  # the turn of a flattened multi-turn item
    prompt: str
    target: Path
    controls: tuple[Path, ...] = ()
    turn_prompts: tuple[str, ...] = ()  # chain mode: each turn's instruction...
    turn_targets: tuple[Path, ...] = field(default=())  # ...and its output image


def _stem(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text).strip("._") or "item"


def _item_examples(folder: DatasetFolder, record: dict[str, Any], multi_turn: str) -> list[Example]:
    spec = record.get("spec") or {}
    kind, subtask = spec.get("kind") or "generation", spec.get("subtask")
    rid, name = record["id"], _stem(record["id"])
    inputs = [folder.file(p) for p in record.get("input_images") or []]  # each raises UnsafePath
    turns = [folder.file(p) for p in record.get("turn_images") or []]
    target = folder.file(record["output_image"])
    if not turns:
        return [Example(name, rid, kind, subtask, None, record["instruction"], target, tuple(inputs))]
    prompts = [t.get("instruction") or "" for t in spec.get("turns") or []]
    if len(prompts) != len(turns):
        raise ValueError(f"{len(turns)} turn images but {len(prompts)} turn instructions in its spec")
    if multi_turn == "chain":
        return [Example(name, rid, kind, subtask, None, record["instruction"], target, tuple(inputs[:1]),
                        tuple(prompts), tuple(turns))]
    previous = inputs[0]
    out = []
    for k, (prompt, image) in enumerate(zip(standalone_turn_prompts(spec), turns)):
        out.append(Example(f"{name}-t{k}", rid, kind, subtask, k, prompt, image, (previous,)))
        previous = image
    return out


def training_examples(dataset: str | Path, report: Report, *, multi_turn: str = "flatten") -> Iterator[Example]:
    """The examples of every finished item; items with unsafe or missing images are reported
    (by id) and skipped."""
    if multi_turn not in MULTI_TURN:
        raise ValueError(f"multi-turn mode {multi_turn!r}: expected one of {MULTI_TURN}")
    root = Path(dataset)
    folder = DatasetFolder(root)
    seen: set[str] = set()
    for record in done_records(root, report):
        try:
            examples = _item_examples(folder, record, multi_turn)
        except (UnsafePath, ValueError) as exc:
            report.problem(f"id {record['id']}", str(exc))
            continue
        missing = [p for e in examples for p in (e.target, *e.controls, *e.turn_targets) if not p.is_file()]
        if missing:
            report.problem(f"id {record['id']}", f"image file missing: {missing[0]}")
            continue
        for example in examples:
            if example.name in seen:  # two ids that differ only in characters a file name cannot hold
                example = Example(**{**example.__dict__, "name": f"{example.name}-{len(seen)}"})
            seen.add(example.name)
            yield example
