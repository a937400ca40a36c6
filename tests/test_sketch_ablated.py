"""The sketch-ablated backend: the sketch renderer with stated gaps, named as a baseline everywhere."""
import json

from generate_fixtures import manifest_lines

from ogi_toolkit.backends import get_backend
from ogi_toolkit.backends.sketch.ablated import ABLATED_NOTE, ablate_spec
from ogi_toolkit.generate import run_plan
from ogi_toolkit.spec import Edit, InstructionSpec, Relation, Scene, SceneObject, TextItem


def _generation() -> InstructionSpec:
    scene = Scene(objects=[SceneObject(name="apple", count=5), SceneObject(name="bowl"), SceneObject(name="cup")],
                  relations=[Relation(subject=0, relation="inside", object=1)],
                  texts=[TextItem(text="שלום", language="he", script="Hebr"), TextItem(text="FRESH", on=1)])
    return InstructionSpec(id="g", kind="generation", domain="spatial_reasoning", subtask="object_counting",
                           template_id="t", difficulty=3, seed=1, instruction="five apples in a bowl, a cup", scene=scene)


def _editing(edits: list[Edit]) -> InstructionSpec:
    source = Scene(objects=[SceneObject(name="apple"), SceneObject(name="bowl"), SceneObject(name="cup")])
    return InstructionSpec(id="e", kind="editing", domain="subject_manipulation", subtask="remove", template_id="t",
                           difficulty=2, seed=2, instruction="edit", source=source, edits=edits)


def test_a_scene_loses_exactly_what_the_ablation_names():
    drawn = ablate_spec(_generation()).scene
    assert [(o.name, o.count) for o in drawn.objects] == [("apple", 3), ("bowl", 1)]  # two objects, counts capped
    assert drawn.relations == []
    assert [(t.text, t.on) for t in drawn.texts] == [("FRESH", 1)]  # the Hebrew text is not written


def test_edits_follow_the_objects_they_mean_through_earlier_edits():
    # remove the apple, then alter what is now object 0 (the bowl): both drawn
    kept = ablate_spec(_editing([Edit(op="remove", target=0),
                                 Edit(op="alter", target=0, attribute="colour", value="red")]))
    assert [(e.op, e.target) for e in kept.edits] == [("remove", 0), ("alter", 0)]
    # remove the apple, then alter what is now object 1 (the cup, never drawn): the alter is ignored
    dropped = ablate_spec(_editing([Edit(op="remove", target=0),
                                    Edit(op="alter", target=1, attribute="colour", value="red")]))
    assert [(e.op, e.target) for e in dropped.edits] == [("remove", 0)]
    # a move to a relation is ignored; an add into a scene already showing two objects too
    ignored = ablate_spec(_editing([Edit(op="move", target=0, relation="left_of", anchor=1),
                                    Edit(op="add", object=SceneObject(name="pear"))]))
    assert ignored.edits == []


def test_every_record_names_the_baseline(tmp_path):
    backend = get_backend("sketch-ablated")
    assert backend.identity()["renderer"] == ABLATED_NOTE and "known gaps" in ABLATED_NOTE
    assert backend.identity() != get_backend("sketch").identity()
    summary = run_plan([_generation()], tmp_path, backend="sketch-ablated", size="256x256", progress=False)
    assert summary.done == 1
    (record,) = manifest_lines(tmp_path)
    assert record["backend"] == "sketch-ablated" and record["params"]["renderer"] == ABLATED_NOTE
    (call,) = [json.loads(line) for line in (tmp_path / "calls.jsonl").read_text().splitlines()]
    meta = call["meta"]
    assert meta["renderer"] == ABLATED_NOTE and meta["ablation"]["max_objects"] == 2
    assert [len(o["instances"]) for o in meta["objects"]] == [3, 1]
    assert [t["text"] for t in meta["texts"]] == ["FRESH"]
