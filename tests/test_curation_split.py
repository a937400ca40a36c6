"""`ogi split`: stable by item id when items are added, shares per subtask, and chained items
(and an item's turns) never in two splits."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from curation_fixtures import copy_dataset, make_sketch_dataset
from ogi_toolkit.cli import main
from ogi_toolkit.curation import split_dataset
from ogi_toolkit.curation.split import SPLITS, split_of
from ogi_toolkit.dataset import load_dataset
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.folder import ManifestWriter


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return make_sketch_dataset(tmp_path_factory.mktemp("split") / "run1")


def _splits(out: Path) -> dict[str, str]:
    return {rid: name for name in SPLITS for rid in (r["id"] for r in read_manifest(out / name))}


def test_every_item_lands_in_one_split_folder(data, tmp_path):
    result = split_dataset(data, tmp_path / "splits", val=0.2, test=0.2, seed=0)
    where = _splits(tmp_path / "splits")
    assert set(where) == {r["id"] for r in read_manifest(data)}
    assert sum(len(read_manifest(tmp_path / "splits" / s)) for s in SPLITS) == len(where)
    assert dict(zip(result.assignment["id"], result.assignment["split"])) == where
    assert all(n > 0 for n in Counter(where.values()).values())
    frame = load_dataset(tmp_path / "splits" / "test")  # a dataset folder like any other
    assert all(Path(p).is_file() for p in frame["output_image"])
    summary = pd.read_csv(tmp_path / "splits" / "summary.csv").set_index("subtask")
    for subtask, group in result.assignment.groupby("subtask"):
        assert summary.loc[subtask, "items"] == len(group)
        assert summary.loc[subtask, "test"] == (group["split"] == "test").sum()


def _clone(root: Path, record: dict, new_id: str) -> dict:
    """A new item like ``record`` with images of its own (copied under a new name)."""
    renamed = {}
    for rel in [*record["input_images"], *record["turn_images"], record["output_image"]]:
        new = f"images/new/{new_id}-{Path(rel).name}"
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        (root / new).write_bytes((root / rel).read_bytes())
        renamed[rel] = new
    return {**record, "id": new_id, "spec": {**record["spec"], "id": new_id},
            "input_images": [renamed[p] for p in record["input_images"]],
            "turn_images": [renamed[p] for p in record["turn_images"]], "output_image": renamed[record["output_image"]]}


def test_splits_are_stable_when_items_are_added(data, tmp_path):
    before = _splits(split_dataset(data, tmp_path / "before", val=0.1, test=0.1, seed=4).out)
    grown = copy_dataset(data, tmp_path / "grown")
    records = read_manifest(data)
    with ManifestWriter(grown / "manifest.jsonl") as writer:
        for n, record in enumerate(records):  # new items, ids sorting before the old ones
            writer.append(_clone(grown, record, f"a-new-{n}"))
        for n, record in enumerate(r for r in records if r["spec"]["kind"] == "editing"):
            # a further edit of an existing item's output: it joins that item's chain
            writer.append({**record, "id": f"a-next-{n}", "spec": {**record["spec"], "id": f"a-next-{n}"},
                           "input_images": [record["output_image"]], "turn_images": [],
                           "output_image": _clone(grown, record, f"a-out-{n}")["output_image"]})
    after = _splits(split_dataset(grown, tmp_path / "after", val=0.1, test=0.1, seed=4).out)
    assert len(after) > 2 * len(before)
    assert {rid: after[rid] for rid in before} == before  # no old item moved
    for n, record in enumerate(r for r in records if r["spec"]["kind"] == "editing"):
        assert after[f"a-next-{n}"] == before[record["id"]]  # the extension went with its chain
    again = _splits(split_dataset(data, tmp_path / "again", val=0.1, test=0.1, seed=4).out)
    assert again == before


def test_chained_items_never_straddle_two_splits(data, tmp_path):
    """Edits chained through their images (turn k's input is turn k-1's output), as the released
    data has them without our labels, go together; so do a multi-turn item's turns."""
    root = copy_dataset(data, tmp_path / "run")
    edits = [r for r in read_manifest(root) if r["spec"]["subtask"] == "remove"][:12]
    chains = []
    with ManifestWriter(root / "manifest.jsonl") as writer:
        for c, head in enumerate(edits):
            previous, chain = head, [head["id"]]
            for k in range(3):  # three more edits, each of the previous one's output, to a new image
                link = _clone(root, head, f"chain{c}-turn{k + 1}")
                link["input_images"] = [previous["output_image"]]
                writer.append(link)
                previous = link
                chain.append(link["id"])
            chains.append(chain)
    result = split_dataset(root, tmp_path / "splits", val=0.3, test=0.3, seed=2)
    where = _splits(tmp_path / "splits")
    groups = dict(zip(result.assignment["id"], result.assignment["group"]))
    for chain in chains:
        assert len({where[i] for i in chain}) == 1, chain
        assert len({groups[i] for i in chain}) == 1
    # the multi-turn items: every turn's image is in the one split folder that holds the item
    for record in read_manifest(root):
        if record["turn_images"]:
            folder = tmp_path / "splits" / where[record["id"]]
            assert all((folder / p).is_file() for p in record["turn_images"])
    assert len(set(where[c[0]] for c in chains)) > 1  # the chains themselves are spread over splits


def test_shares_per_subtask_follow_the_target_on_many_items():
    ids = [(f"sub{n % 5}", f"item-{n}") for n in range(50_000)]
    splits = Counter((sub, split_of(rid, val=0.05, test=0.1, seed=0)) for sub, rid in ids)
    for sub in {s for s, _ in ids}:
        total = sum(splits[(sub, s)] for s in SPLITS)
        assert abs(splits[(sub, "val")] / total - 0.05) < 0.01
        assert abs(splits[(sub, "test")] / total - 0.1) < 0.01


def test_cli_split_defaults_into_the_dataset_folder(data, tmp_path, capsys):
    root = copy_dataset(data, tmp_path / "run")
    assert main(["split", str(root), "--val", "0.1", "--test", "0.1", "--seed", "0"]) == 0
    assert "train" in capsys.readouterr().out
    assert (root / "splits" / "val" / "manifest.jsonl").is_file() and (root / "splits" / "splits.csv").is_file()
    record = read_manifest(root)[0]
    with ManifestWriter(root / "manifest.jsonl") as writer:
        writer.append({**record, "id": "escape", "output_image": "../../secret.png"})
    assert main(["split", str(root), "--val", "0.1", "--test", "0.1", "--out", str(tmp_path / "s2")]) == 0
    assert "left out: 1 image path outside the dataset folder" in capsys.readouterr().out
    assert "escape" not in _splits(tmp_path / "s2")
    assert main(["split", str(root), "--val", "0.6", "--test", "0.5"]) == 2
    assert "sum to less than 1" in capsys.readouterr().err
