"""Every one of the 51 subtasks, end to end: plan -> sketch images -> manifest -> OpenGPT
export -> re-import, with images that open and show what the spec says where it can be checked.

The renderer's layout record of each image (objects with their boxes and instances, texts with
theirs) is kept by the runner in the run's result store, keyed by the manifest record's
``request_keys``; the checks read it from there, as any later stage would.
"""
from __future__ import annotations

import hashlib
import io
import json

import numpy as np
import pytest
from PIL import Image

from ogi_toolkit.backends.sketch import RENDERER_NOTE
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.dataset.export_opengpt import export_opengpt
from ogi_toolkit.dataset.import_opengpt import import_opengpt
from ogi_toolkit.dataset.opengpt import EDIT_FILE, GEN_FILE, PLACEHOLDER
from ogi_toolkit.definition.taxonomy import load_taxonomy
from ogi_toolkit.generate import run_plan
from ogi_toolkit.calls.store import ResultStore
from ogi_toolkit.planning import plan

SIZE = 256
SUBTASKS = [s.id for s in load_taxonomy().subtasks]
TEXT_RENDERING = [s.id for s in load_taxonomy().subtasks if s.domain == "in_image_text_rendering"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One planned item of every subtask, generated twice into separate folders."""
    root = tmp_path_factory.mktemp("e2e")
    specs = plan(counts={sid: 1 for sid in SUBTASKS}, seed=11)
    for name in ("data", "again"):
        summary = run_plan(specs, root / name, backend="sketch", size=f"{SIZE}x{SIZE}", progress=False)
        assert (summary.done, summary.errors) == (len(SUBTASKS), 0), summary
    records = {r["spec"]["subtask"]: r for r in read_manifest(root / "data")}
    return root / "data", records


def _image(root, rel) -> Image.Image:
    data = (root / rel).read_bytes()
    Image.open(io.BytesIO(data)).verify()  # a whole, valid PNG
    return Image.open(io.BytesIO(data)).convert("RGB")


def _meta(root, record, step: str) -> dict:
    """The sketch renderer's layout record of one of the item's images."""
    return ResultStore(root).get(record["request_keys"][step])["meta"]


def _inflate(box, by: int):
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


def _changed_outside(before: Image.Image, after: Image.Image, boxes) -> int:
    """Pixels that differ between the two images outside every box."""
    diff = np.any(np.asarray(before) != np.asarray(after), axis=2)
    mask = np.ones_like(diff)
    for x0, y0, x1, y1 in boxes:
        mask[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = False
    return int((diff & mask).sum())


def test_every_subtask_comes_out_with_images_that_open(run):
    root, records = run
    assert len(SUBTASKS) == 51 and len(TEXT_RENDERING) == 6
    assert sorted(records) == sorted(SUBTASKS)
    for subtask, record in records.items():
        spec = record["spec"]
        assert record["status"] == "done" and record["backend"] == "sketch", subtask
        paths = [*record["input_images"], *record["turn_images"], record["output_image"]]
        assert all(_image(root, p).size == (SIZE, SIZE) for p in paths), subtask
        assert all(_meta(root, record, step)["renderer"] == RENDERER_NOTE for step in record["request_keys"])
        if spec["kind"] == "generation":
            assert record["input_images"] == [] and record["turn_images"] == [], subtask
        elif spec.get("turns"):  # one image per turn, each editing the previous one
            assert len(record["turn_images"]) == len(spec["turns"]) >= 2, subtask
            assert record["output_image"] == record["turn_images"][-1]
            assert len(set(record["turn_images"])) == len(spec["turns"]), f"{subtask}: a turn changed nothing"
        else:
            assert len(record["input_images"]) == (2 if spec.get("reference") else 1), subtask
            assert record["output_image"] not in record["input_images"], f"{subtask}: the edit changed nothing"
    assert len(records["reference_image"]["input_images"]) == 2
    assert [len(records[s]["turn_images"]) for s in ("two_turns", "three_turns", "four_turns")] == [2, 3, 4]


def test_counting_draws_as_many_of_each_object_as_the_spec_says(run):
    root, records = run
    record = records["object_counting"]
    objects = record["spec"]["scene"]["objects"]
    assert any(o.get("count", 1) > 1 for o in objects), "a counting item should ask for several of something"
    drawn = {o["index"]: len(o["instances"]) for o in _meta(root, record, "scene")["objects"]}
    assert drawn == {i: o.get("count", 1) for i, o in enumerate(objects)}


@pytest.mark.parametrize("subtask", TEXT_RENDERING)
def test_text_rendering_writes_every_string_exactly(run, subtask):
    root, records = run
    record = records[subtask]
    wanted = [t["text"] for t in record["spec"]["scene"]["texts"]]
    assert wanted, f"{subtask}: no text to render"
    layout = _meta(root, record, "scene")["texts"]
    assert [t["text"] for t in layout] == wanted
    assert all(t["missing_glyphs"] == [] for t in layout), [t["missing_glyphs"] for t in layout]
    pixels = np.asarray(_image(root, record["output_image"]).convert("L"))
    for t in layout:  # ink where the layout says each text went
        x0, y0, x1, y1 = t["box"]
        assert pixels[max(0, y0):y1, max(0, x0):x1].std() > 10, f"{subtask}: {t['text']!r} box looks blank"


@pytest.mark.parametrize("subtask", ["remove", "replace"])
def test_remove_and_replace_change_only_the_named_objects_region(run, subtask):
    root, records = run
    record = records[subtask]
    (edit,) = record["spec"]["edits"]
    source, output = _meta(root, record, "source"), _meta(root, record, "edit")
    # the layout lists objects in drawing order; "index" is the object's place in the scene
    target_key = next(o["key"] for o in source["objects"] if o["index"] == edit["target"])
    boxes = [o["box"] for o in source["objects"] if o["key"] == target_key]
    boxes += [o["box"] for o in output["objects"] if o["key"] == target_key]  # the replacement, where it went
    margin = 2 + output.get("treatment", {}).get("footprint_px", 0)
    before, after = _image(root, record["input_images"][0]), _image(root, record["output_image"])
    assert _changed_outside(before, after, [_inflate(b, margin) for b in boxes]) == 0
    assert _changed_outside(before, after, []) > 0, "the edit changed nothing"
    kept = [(o["name"], o["box"]) for o in source["objects"] if o["key"] != target_key]
    assert [(o["name"], o["box"]) for o in output["objects"] if o["key"] != target_key] == kept
    if subtask == "replace":
        (new,) = [o for o in output["objects"] if o["key"] == target_key]
        assert new["name"] == edit["object"]["name"]
    else:
        assert target_key not in {o["key"] for o in output["objects"]}


def test_the_same_plan_gives_byte_identical_images(run):
    root, records = run
    again_root = root.parent / "again"
    again = {r["spec"]["subtask"]: r for r in read_manifest(again_root)}

    def digests(folder, record):
        return [hashlib.sha256((folder / p).read_bytes()).hexdigest()
                for p in [*record["input_images"], *record["turn_images"], record["output_image"]]]

    for subtask, record in records.items():
        assert digests(root, record) == digests(again_root, again[subtask]), subtask


def test_every_subtask_survives_the_opengpt_export_and_reimport(run, tmp_path):
    root, records = run
    exported, back = tmp_path / "og", tmp_path / "back"
    report = export_opengpt(root, exported)
    assert report.problems == []
    gen = [json.loads(line) for line in (exported / GEN_FILE).read_text(encoding="utf-8").splitlines()]
    edit = [json.loads(line) for line in (exported / EDIT_FILE).read_text(encoding="utf-8").splitlines()]
    kinds = [r["spec"]["kind"] for r in records.values()]
    assert len(gen) == kinds.count("generation")
    # one editing line per single edit, one per turn of a multi-turn item
    assert len(edit) == sum(max(1, len(r["turn_images"])) for r in records.values() if r["spec"]["kind"] == "editing")
    for row in gen + edit:
        for rel in [*row.get("input_image", []), row["output_image"]]:
            assert Image.open(exported / rel).size == (SIZE, SIZE), rel
    (ref,) = [row for row in edit if len(row["input_image"]) == 2]
    assert PLACEHOLDER in ref["input_prompt"]

    report = import_opengpt(exported, back)
    assert report.problems == []
    imported = {r["spec"]["subtask"]: r for r in read_manifest(back)}
    assert sorted(imported) == sorted(SUBTASKS)
    for subtask, record in imported.items():
        before = records[subtask]
        assert record["spec"] == before["spec"], subtask
        ours = [*record["input_images"], *record["turn_images"], record["output_image"]]
        theirs = [*before["input_images"], *before["turn_images"], before["output_image"]]
        assert len(ours) == len(theirs), subtask
        assert all((back / a).read_bytes() == (root / b).read_bytes() for a, b in zip(ours, theirs)), subtask
