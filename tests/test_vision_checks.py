"""The vision checks on a small sketch dataset with tiny random models loaded by path (rows,
thresholds, which models run which checks), and their decision rules on hand-made embeddings
and boxes (a random model says nothing about pictures: recall needs real weights)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.vision_fixtures import tiny_models  # noqa: F401
from ogi_toolkit.quality.checks.items import load_check_items
from ogi_toolkit.quality.checks.vision_checks import _Data, _generation_rows, _subtask_rows, vision_checks
from ogi_toolkit.spec import Relation, Scene, SceneObject
from ogi_toolkit.quality.checks.config import load_checks_config
from ogi_toolkit.vision import Box
from ogi_toolkit.vision.model_set import VisionModels, load_models

COUNTS = {"object_counting": 2, "relative_position": 2, "multi_attribute_combination": 2, "add": 2, "remove": 2,
          "replace": 1, "reference_image": 2, "two_turns": 1}


def _section():
    return load_checks_config().section("vision")


def make_vision_dataset(root: Path) -> Path:
    from ogi_toolkit.generate import run_plan
    from ogi_toolkit.planning import plan

    run_plan(plan(counts=COUNTS, seed=5), root, size="256x256")
    return root


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return make_vision_dataset(tmp_path_factory.mktemp("vision-data") / "ds")


@pytest.fixture(scope="module")
def all_rows(dataset, tiny_models, tmp_path_factory):
    models = load_models(**{"clip": str(tiny_models["clip"]), "dino": str(tiny_models["dino"]),
                            "detector": str(tiny_models["detector"])}, cache_dir=tmp_path_factory.mktemp("cache"))
    items, _ = load_check_items(dataset)
    return items, vision_checks(items, models, _section())


def _names(rows):
    return {r["name"] for r in rows}


def test_every_kind_of_item_gets_its_rows(all_rows):
    items, rows = all_rows
    by_subtask = {}
    for item in items:
        by_subtask.setdefault(item.subtask, set()).update(_names(rows[item.id]))
    generation = {"vision.alignment", "vision.object_alignment", "vision.object_present", "vision.output_duplicate",
                  "vision.own_instruction"}
    assert generation <= by_subtask["multi_attribute_combination"]
    assert {"vision.object_count", "vision.object_colour"} <= by_subtask["object_counting"]
    assert "vision.relation" in by_subtask["relative_position"]
    assert {"vision.directional", "vision.kept_similarity", "vision.edit_object"} <= by_subtask["add"]
    assert "vision.reference_subject" in by_subtask["reference_image"]
    assert "vision.kept_similarity" in by_subtask["two_turns"]  # turn by turn


def test_rows_are_normal_check_rows_decided_by_their_thresholds(all_rows):
    th = _section()
    thresholds = {"vision.alignment": th.min_alignment, "vision.object_alignment": th.min_object_alignment,
                  "vision.directional": th.min_directional, "vision.kept_similarity": th.min_kept_dino}
    _, rows = all_rows
    seen = 0
    for row in (r for rs in rows.values() for r in rs):
        assert {"name", "value", "threshold", "passed"} <= set(row)
        if row["name"] in thresholds:
            assert row["threshold"] == thresholds[row["name"]]
            assert row["passed"] == (row["value"] >= row["threshold"])
            assert (row.get("reason") is None) == row["passed"]
            seen += 1
        if row["name"] == "vision.object_count":
            assert row["passed"] == (row["value"] == row["threshold"]) and isinstance(row["value"], int)
    assert seen > 20


def test_edit_objects_are_asked_present_or_gone(all_rows):
    items, rows = all_rows
    for item in items:
        ops = [e.op for s in item.steps for e in s.edits]
        expected = {r.get("expected") for r in rows[item.id] if r["name"] == "vision.edit_object"}
        if ops == ["add"]:
            assert expected == {"present"}
        if ops == ["remove"]:
            assert expected <= {"gone"}  # a name still in the scene after the edit is not asked


def test_only_the_loaded_models_checks_run(dataset, tiny_models, tmp_path):
    models = load_models(clip=str(tiny_models["clip"]), cache_dir=tmp_path)  # defaults are not downloaded here
    assert models.dino is None and models.detector is None
    assert "HF_HUB_OFFLINE=1" in models.skipped["dino"] and "facebook/dinov2-small" in models.skipped["dino"]
    items, _ = load_check_items(dataset)
    names = _names(r for rs in vision_checks(items, models, _section()).values() for r in rs)
    assert not names & {"vision.object_present", "vision.object_count", "vision.relation", "vision.edit_object"}
    kept = [r for rs in vision_checks(items, models, _section()).values() for r in rs if r["name"] == "vision.kept_similarity"]
    assert kept and all(r["model"] == "clip" and r["threshold"] == _section().min_kept_clip for r in kept)


def test_thresholds_come_from_the_config(dataset, tiny_models, tmp_path):
    items, _ = load_check_items(dataset)
    models = load_models(clip=str(tiny_models["clip"]), cache_dir=tmp_path)
    for value, passed in ((-1.0, True), (1.0, False)):
        th = load_checks_config().replace("vision", min_alignment=value).section("vision")
        alignment = [r for rs in vision_checks(items, models, th).values() for r in rs if r["name"] == "vision.alignment"]
        assert alignment and all(r["passed"] is passed and r["threshold"] == value for r in alignment)


# --- decision rules on hand-made inputs ----------------------------------------------------

class _Item:
    def __init__(self, id, subtask, output, instruction):
        from ogi_toolkit.quality.checks.items import CheckStep

        self.id, self.subtask = id, subtask
        self.steps = [CheckStep("scene", output, None, None, None)]
        self.spec = type("Spec", (), {"instruction": instruction})()


def _unit(v):
    v = np.asarray(v, np.float32)
    return v / np.linalg.norm(v)


def test_swapped_outputs_fit_another_instruction_better():
    th = _section()
    texts = {"a cat": _unit([1, 0, 0, 0]), "a dog": _unit([0, 1, 0, 0]), "a cow": _unit([0, 0, 1, 0])}
    # a and b show each other's picture (swapped); c shows its own
    outputs = {Path("a"): _unit([0.1, 1, 0, 0.3]), Path("b"): _unit([1, 0.1, 0, 0.2]), Path("c"): _unit([0, 0.1, 1, 0.3])}
    items = [_Item("a", "s", Path("a"), "a cat"), _Item("b", "s", Path("b"), "a dog"), _Item("c", "s", Path("c"), "a cow")]
    rows = _subtask_rows(items, _Data(clip=outputs, text=texts), th)
    own = {i: next(r for r in rows[i] if r["name"] == "vision.own_instruction") for i in "abc"}
    assert own["a"]["passed"] is False and own["a"]["better_match"] == "b"
    assert own["b"]["passed"] is False and own["c"]["passed"] is True


def test_duplicated_outputs_within_a_subtask():
    th = _section()
    same = _unit([1, 0.2, 0])
    outputs = {Path("a"): same, Path("b"): same, Path("c"): _unit([0, 0, 1])}
    items = [_Item(i, "s", Path(i), f"text {i}") for i in "abc"]
    texts = {f"text {i}": _unit([1, 1, 1]) for i in "abc"}
    rows = _subtask_rows(items, _Data(clip=outputs, text=texts), th)
    dup = {i: next(r for r in rows[i] if r["name"] == "vision.output_duplicate") for i in "abc"}
    assert dup["a"]["passed"] is False and dup["a"]["similar_to"] == "b" and dup["c"]["passed"] is True


@pytest.mark.parametrize("boxes, count_ok, relation_ok", [
    # five cups found, cat left of the dog: as the spec says
    ({"cup": [Box(0.5, 10 * k, 0, 10 * k + 8, 8) for k in range(5)], "cat": [Box(0.6, 0, 50, 20, 70)],
      "dog": [Box(0.6, 150, 50, 170, 70)]}, True, True),
    # four cups (wrong count), the dog left of the cat (flipped relation)
    ({"cup": [Box(0.5, 10 * k, 0, 10 * k + 8, 8) for k in range(4)], "cat": [Box(0.6, 150, 50, 170, 70)],
      "dog": [Box(0.6, 0, 50, 20, 70)]}, False, False),
])
def test_count_and_relation_read_the_boxes(tmp_path, boxes, count_ok, relation_ok):
    from PIL import Image

    from ogi_toolkit.quality.checks.items import CheckStep

    image = tmp_path / "out.png"
    Image.new("RGB", (200, 100)).save(image)
    scene = Scene(objects=[SceneObject(name="cup", count=5), SceneObject(name="cat"), SceneObject(name="dog")],
                  relations=[Relation(subject=1, relation="left_of", object=2)])
    step = CheckStep("scene", image, None, scene, None)
    models = VisionModels(detector=object())  # only its presence matters to the rows made from boxes
    rows = _generation_rows(None, step, _Data(boxes={image: boxes}), models, _section())
    by_name = {r["name"]: r for r in rows}
    assert by_name["vision.object_count"]["passed"] is count_ok
    assert by_name["vision.relation"]["passed"] is relation_ok
    assert all(r["passed"] for r in rows if r["name"] == "vision.object_present")


def test_a_dropped_object_is_not_present(tmp_path):
    from PIL import Image

    from ogi_toolkit.quality.checks.items import CheckStep

    image = tmp_path / "out.png"
    Image.new("RGB", (64, 64)).save(image)
    step = CheckStep("scene", image, None, Scene(objects=[SceneObject(name="cat"), SceneObject(name="dog")]), None)
    rows = _generation_rows(None, step, _Data(boxes={image: {"cat": [Box(0.7, 0, 0, 9, 9)], "dog": [Box(0.02, 0, 0, 9, 9)]}}),
                            VisionModels(detector=object()), _section())
    present = {r["object"]: r["passed"] for r in rows if r["name"] == "vision.object_present"}
    assert present == {"cat": True, "dog": False}


# --- ogi check --vision, end to end ------------------------------------------------------

def test_ogi_check_vision_writes_the_vision_rows(dataset, tiny_models, tmp_path, capsys, monkeypatch):
    import json
    import shutil

    from ogi_toolkit.cli import main

    monkeypatch.setenv("OGI_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "ds"
    shutil.copytree(dataset, data)
    assert main(["check", str(data), "--workers", "1", "--vision", "--clip-model", str(tiny_models["clip"]),
                 "--detector", str(tiny_models["detector"])]) == 0
    out = capsys.readouterr().out
    assert f"vision clip: {tiny_models['clip']} on cpu" in out
    assert "vision dino: skipped (dino model 'facebook/dinov2-small'" in out  # the default, not downloaded here
    lines = [json.loads(line) for line in (data / "checks.jsonl").read_text().splitlines()]
    names = {c["name"] for line in lines for c in line["checks"]}
    assert {"vision.alignment", "vision.object_present", "vision.edit_object", "vision.own_instruction"} <= names
    assert {"technical.not_flat"} <= names  # the offline checks still run beside them
    for line in lines:  # an item passes only when no counted check (vision included) failed
        assert line["passed"] == (not any(c["passed"] is False for c in line["checks"]))
    from ogi_toolkit.dataset import load_dataset

    frame = load_dataset(data).set_index("id")  # the whole-image scores as columns
    compared = 0
    for line in lines:  # subtasks of one item have no other instruction to compare with
        for row in (c for c in line["checks"] if c["name"] == "vision.own_instruction"):
            assert frame.loc[line["id"], "vision_own_instruction"] == row["value"]
            compared += 1
    assert compared >= 10 and frame["vision_alignment"].notna().all()
    # a later run without --vision leaves no vision rows (they describe the models of a run)
    assert main(["check", str(data), "--workers", "1"]) == 0
    lines = [json.loads(line) for line in (data / "checks.jsonl").read_text().splitlines()]
    assert not any(c["name"].startswith("vision.") for line in lines for c in line["checks"])


def test_naming_a_model_that_cannot_load_is_an_error(dataset, tmp_path, capsys):
    from ogi_toolkit.cli import main

    assert main(["check", str(dataset), "--vision", "--clip-model", str(tmp_path / "no-such-model")]) == 2
    err = capsys.readouterr().err
    assert "clip model" in err and "no-such-model" in err and err.count("\n") == 1


def test_model_flags_need_vision(dataset, capsys):
    from ogi_toolkit.cli import main

    assert main(["check", str(dataset), "--clip-model", "x"]) == 2
    assert "need --vision" in capsys.readouterr().err


def test_vision_without_transformers_is_one_line_saying_what_to_install(dataset, capsys, monkeypatch):
    import sys

    from ogi_toolkit.cli import main

    monkeypatch.setitem(sys.modules, "transformers", None)
    assert main(["check", str(dataset), "--vision"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'ogi-toolkit[vision]'" in err


def test_vision_is_listed_with_the_registered_checks(capsys):
    from ogi_toolkit.cli import main

    assert main(["check", "--list"]) == 0
    assert any(line.startswith("vision") and "--vision" in line for line in capsys.readouterr().out.splitlines())
