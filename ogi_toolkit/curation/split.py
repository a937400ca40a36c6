"""Train / validation / test splits that stay put.

Each item goes by a hash of its id (with the seed): it is in ``test`` when the hash falls below
the test share, in ``val`` below test + val, else in ``train``. Adding items never moves an
existing one (no counts or ranks are involved), and a dataset regenerated with more items
keeps its test set. Every subtask is split by the same shares, so the split is stratified by
subtask in expectation; a stateless hash cannot also hit each subtask's share exactly, so each
subtask's realised shares are reported (``summary.csv``) and a small subtask far off is visible.

Items that depend on each other go together: an item's turns are one record, and items
chained through their images (one's output is another's input, as a multi-turn chain imported
without its labels is; or two edits of one source image) form a group that takes the split of
its first root (see :func:`_groups`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..folder.output import staged_output
from .hashing import unit_hash
from .items import Item, image_paths, load_items
from .view import write_view

__all__ = ["SPLITS", "SplitResult", "split_dataset", "split_of"]

SPLITS = ("train", "val", "test")
ASSIGNMENT_FILE, SUMMARY_FILE = "splits.csv", "summary.csv"


def split_of(key: str, *, val: float, test: float, seed: int = 0) -> str:
    """The split of an item (or chain) with id ``key``."""
    u = unit_hash(seed, key, salt="split")
    return "test" if u < test else "val" if u < test + val else "train"


@dataclass
class SplitResult:
    out: Path
    assignment: pd.DataFrame  # id, group, subtask, split
    summary: pd.DataFrame  # per subtask (and "(all)"): items per split and their shares
    left_out: Counter = field(default_factory=Counter)  # reason -> finished items in no split

    def text(self) -> str:
        overall = self.summary.set_index("subtask").loc["(all)"]
        counts = ", ".join(f"{s} {int(overall[s])}" for s in SPLITS)
        groups = self.assignment["group"].nunique()
        text = (f"splits -> {self.out}: {counts} ({len(self.assignment)} items in {groups} groups; "
                f"per-subtask counts in {self.out / SUMMARY_FILE})")
        return "\n".join([text, *(f"  left out: {n} {reason}" for reason, n in sorted(self.left_out.items()))])


def _groups(items: list[Item]) -> dict[str, str]:
    """Each item's group key: items sharing an image (transitively) form a group, keyed by the
    smallest id among its roots, the items none of whose inputs is another member's output.

    Keyed by roots rather than all members so that adding items that extend a chain (a further
    turn editing a stored output) never moves the chain; only a new item with its own source
    that shares an image with a group, and whose id sorts first, can re-key that group.
    """
    parent = {item.id: item.id for item in items}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, str] = {}
    outputs: set[str] = set()
    for item in items:
        outputs.update(item.record.get("turn_images") or [])
        outputs.add(item.record.get("output_image"))
        for path in image_paths(item.record):
            if path in owner:
                a, b = find(owner[path]), find(item.id)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[path] = item.id
    keys: dict[str, str] = {}
    for item in items:
        inputs = item.record.get("input_images") or []
        if not any(p in outputs for p in inputs):  # a root: it starts from images nobody made here
            group = find(item.id)
            keys[group] = min(keys.get(group, item.id), item.id)
    return {item.id: keys.get(find(item.id), find(item.id)) for item in items}


def split_dataset(dataset: str | Path, out: str | Path | None = None, *, val: float = 0.02, test: float = 0.02,
                  seed: int = 0, overwrite: bool = False) -> SplitResult:
    """Write ``out/train``, ``out/val``, ``out/test`` (dataset folders over ``dataset``'s images),
    ``out/splits.csv`` (each id's split and group) and ``out/summary.csv``. Default ``out``:
    ``dataset/splits``."""
    if not (0 <= val < 1 and 0 <= test < 1 and val + test < 1):
        raise ValueError(f"--val {val} and --test {test}: expected shares >= 0 that sum to less than 1")
    root = Path(dataset)
    out = Path(out) if out is not None else root / "splits"
    loaded = load_items(root, ("subtask",))
    groups = _groups(loaded.items)
    rows = [{"id": item.id, "group": groups[item.id], "subtask": item.key[0],
             "split": split_of(groups[item.id], val=val, test=test, seed=seed)} for item in loaded.items]
    assignment = pd.DataFrame(rows, columns=["id", "group", "subtask", "split"])
    summary = _summary(assignment)
    by_id = {item.id: item.record for item in loaded.items}
    # DATASET/splits (the default) is the one place inside the input a split may go
    with staged_output(out, command="ogi split", inputs=[root], overwrite=overwrite,
                       allow_inside=[root / "splits"]) as stage:
        for name in SPLITS:
            ids = assignment.loc[assignment["split"] == name, "id"]
            write_view(root, [by_id[i] for i in ids], stage / name, out / name,
                       {"made_by": "ogi split", "split": name, "val": val, "test": test, "seed": seed})
        assignment.to_csv(stage / ASSIGNMENT_FILE, index=False)
        summary.to_csv(stage / SUMMARY_FILE, index=False)
    return SplitResult(out, assignment, summary, Counter(loaded.left_out))


def _summary(assignment: pd.DataFrame) -> pd.DataFrame:
    def row(name: str, frame: pd.DataFrame) -> dict:
        counts = Counter(frame["split"])
        n = max(len(frame), 1)
        return {"subtask": name, "items": len(frame), **{s: counts[s] for s in SPLITS},
                **{f"{s}_share": counts[s] / n for s in SPLITS}}

    rows = [row("(all)", assignment)]
    rows += [row(str(sub), frame) for sub, frame in assignment.groupby("subtask", sort=True)]
    return pd.DataFrame(rows)
