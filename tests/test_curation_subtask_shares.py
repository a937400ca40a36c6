"""#27 item 6: every subtask within one item of its share whatever the stratification (at 500
items typography got 1 and textual_accuracy 3 with equal targets when stratified by subtask and
difficulty), and a size larger than the dataset is refused instead of writing a folder named for
a size it does not hold."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ogi_toolkit.cli import main
from ogi_toolkit.curation import make_subsets
from ogi_toolkit.definition.taxonomy import load_taxonomy

PER_SUBTASK = 50


@pytest.fixture(scope="module")
def every_subtask(tmp_path_factory) -> Path:
    """PER_SUBTASK items of each difficulty of every subtask of the taxonomy, templates at random
    (one shared tiny image: the counting is under test, not the pictures)."""
    root = tmp_path_factory.mktemp("shares") / "data"
    (root / "images").mkdir(parents=True)
    Image.new("RGB", (4, 4)).save(root / "images" / "x.png")
    rng = np.random.default_rng(0)
    lines = []
    for sub in load_taxonomy().subtasks:
        for j in range(3 * PER_SUBTASK):
            spec = {"id": f"{sub.id}-{j}", "kind": sub.kind, "domain": sub.domain, "subtask": sub.id,
                    "difficulty": 1 + j % 3, "template_id": f"{sub.id}.t{rng.integers(3)}",
                    "instruction": f"{sub.id} item {j}"}
            lines.append({"id": spec["id"], "status": "done", "spec": spec, "instruction": spec["instruction"],
                          "input_images": [], "output_image": "images/x.png", "turn_images": []})
    (root / "manifest.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    return root


@pytest.mark.parametrize("stratify", [("subtask",), ("subtask", "difficulty"), ("subtask", "template_id"),
                                      ("domain",), ("kind", "difficulty")])
def test_every_subtask_is_within_one_item_of_its_share(every_subtask, tmp_path, stratify):
    sizes = {"250": 250, "500": 500}
    result = make_subsets(every_subtask, sizes, tmp_path / "out", stratify=stratify, target="paper")
    targets = {sub.id: sub.target for sub in load_taxonomy().subtasks}
    total = sum(targets.values())
    assert max(targets.values()) / total * 500 < PER_SUBTASK  # no subtask is short: the shares can be met
    for name, size in sizes.items():
        got = Counter(i.rsplit("-", 1)[0] for i in result.ids[name])
        assert sum(got.values()) == size
        worst = max(abs(got[s] - size * t / total) for s, t in targets.items())
        assert worst < 1, (stratify, name, worst)
    assert set(result.ids["250"]) <= set(result.ids["500"])  # still nested


def test_a_size_above_the_items_there_is_refused(every_subtask, tmp_path, capsys):
    n = sum(1 for _ in open(every_subtask / "manifest.jsonl"))
    out = tmp_path / "subsets"
    assert main(["subset", str(every_subtask), "--sizes", "500,50k", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"size 50k (50,000) is more than the {n:,} finished items of the dataset" in err
    assert not out.exists()
