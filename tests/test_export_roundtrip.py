"""End to end: a small plan -> sketch images -> manifest -> export (both formats) -> re-import."""
from __future__ import annotations

import json

import pytest
from PIL import Image

from ogi_toolkit.folder import read_manifest
from ogi_toolkit.dataset.export_hf import export_hf
from ogi_toolkit.dataset.export_opengpt import export_opengpt
from ogi_toolkit.dataset.import_opengpt import import_opengpt
from ogi_toolkit.dataset.opengpt import PLACEHOLDER
from ogi_toolkit.generate import run_plan
from ogi_toolkit.planning import plan

# one item of each shape the formats treat differently: generation, single edit, reference edit, multi-turn
COUNTS = {"photographic_styles": 1, "remove": 1, "reference_image": 1, "three_turns": 1}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    summary = run_plan(plan(counts=COUNTS, seed=3), root / "data", backend="sketch", size="256x256", progress=False)
    assert summary.done == len(COUNTS), summary
    return root


def test_sketch_dataset_survives_the_opengpt_round_trip(generated):
    data, og, back = generated / "data", generated / "og", generated / "back"
    export_opengpt(data, og)
    editing = [json.loads(line) for line in (og / "editing.json").read_text().splitlines()]
    assert len(editing) == 1 + 1 + 3  # remove, reference, three turns
    reference = next(row for row in editing if len(row["input_image"]) == 2)
    assert reference["input_prompt"].count(PLACEHOLDER) == 1

    report = import_opengpt(og, back)
    assert report.problems == []
    original = {r["id"]: r for r in read_manifest(data)}
    imported = {r["id"]: r for r in read_manifest(back)}
    assert set(imported) == set(original)
    for rid, record in imported.items():
        before = original[rid]
        assert record["spec"] == before["spec"]
        assert len(record["turn_images"]) == len(before["turn_images"])
        for new, old in zip([*record["input_images"], *record["turn_images"], record["output_image"]],
                            [*before["input_images"], *before["turn_images"], before["output_image"]]):
            assert (back / new).read_bytes() == (data / old).read_bytes()
    turns = next(r for r in imported.values() if r["spec"]["subtask"] == "three_turns")
    assert len(turns["turn_images"]) == 3 and turns["output_image"] == turns["turn_images"][-1]


def test_sketch_dataset_exports_to_hugging_face(generated):
    datasets = pytest.importorskip("datasets")
    export_hf(generated / "data", generated / "hf", layout="disk")
    ds = datasets.load_from_disk(str(generated / "hf"))
    assert sorted(ds["subtask"]) == sorted(COUNTS)
    row = ds[ds["subtask"].index("three_turns")]
    assert len(row["turn_images"]) == len(row["turn_instructions"]) == 3
    assert all(isinstance(image, Image.Image) and image.size == (256, 256) for image in row["turn_images"])
    assert row["backend"] == "sketch"
