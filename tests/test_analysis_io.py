import json

import pytest

from ogi_toolkit.analysis import load_prompts
from ogi_toolkit.spec import Edit, InstructionSpec, Scene, SceneObject


def _spec(i, subtask="containment", **kw):
    return InstructionSpec(
        id=f"s{i}", kind="generation", domain="spatial_reasoning", subtask=subtask, template_id=f"{subtask}.t1",
        difficulty=2, seed=i, instruction=f"prompt number {i}", slots={"object": "cage"},
        scene=Scene(objects=[SceneObject(name="cage", colour="red"), SceneObject(name="duck")], style="ukiyo-e",
                    background="beach"), **kw)


def test_plan_rows_carry_labels_slots_and_spec_attributes(tmp_path):
    plan = tmp_path / "plan.jsonl"
    edit = InstructionSpec(id="e1", kind="editing", domain="subject_manipulation", subtask="alter", template_id="alter.t",
                           difficulty=1, seed=0, instruction="make the cup blue",
                           source=Scene(objects=[SceneObject(name="cup")]),
                           edits=[Edit(op="alter", target=0, attribute="colour", value="blue")])
    plan.write_text("\n".join(s.to_json() for s in [_spec(0), _spec(1, "symmetry"), edit]) + "\n")
    df = load_prompts(plan)
    assert df.text.tolist() == ["prompt number 0", "prompt number 1", "make the cup blue"]
    assert df.subtask.tolist() == ["containment", "symmetry", "alter"]
    assert df.loc[0, "objects"] == ["cage", "duck"] and df.loc[0, "colours"] == ["red"]
    assert (df.loc[0, "style"], df.loc[0, "scene"], df.loc[0, "slots"]) == ("ukiyo-e", "beach", {"object": "cage"})
    assert df.loc[2, "objects"] == ["cup"] and df.loc[2, "colours"] == ["blue"]


def test_manifest_keeps_the_last_record_of_each_id(tmp_path):
    records = [
        {"id": "a", "status": "error", "spec": json.loads(_spec(0).to_json()), "instruction": "first try"},
        {"id": "b", "status": "done", "spec": json.loads(_spec(1, "symmetry").to_json()), "instruction": "b text", "output_image": "images/b.png"},
        {"id": "a", "status": "done", "spec": json.loads(_spec(0).to_json()), "instruction": "rewritten a", "output_image": "images/a.png"},
    ]
    (tmp_path / "manifest.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    df = load_prompts(tmp_path).set_index("id").sort_index()
    assert df.text.tolist() == ["rewritten a", "b text"]
    assert df.status.tolist() == ["done", "done"]
    assert df.subtask.tolist() == ["containment", "symmetry"]
    assert df.image_path.tolist() == [str(tmp_path / "images/a.png"), str(tmp_path / "images/b.png")]


def test_text_tables_and_jsonl(tmp_path):
    (tmp_path / "p.txt").write_text("a cat\n\n  a dog  \n")
    assert load_prompts(tmp_path / "p.txt").text.tolist() == ["a cat", "a dog"]
    (tmp_path / "p.csv").write_text("Prompt,Category,Other\na cat,Animals,x\na car,Vehicles,y\n")
    df = load_prompts(tmp_path / "p.csv", text_column="Prompt", label_columns=["Category"])
    assert df.to_dict("list") == {"text": ["a cat", "a car"], "Category": ["Animals", "Vehicles"]}
    (tmp_path / "gen.json").write_text('{"input_prompt": "a red fox", "output_image": "gen/0.png"}\n')
    df = load_prompts(tmp_path / "gen.json")
    assert df.text.tolist() == ["a red fox"] and df.image_path.tolist() == [str(tmp_path / "gen/0.png")]


def test_bad_input_names_the_file_and_what_was_expected(tmp_path):
    (tmp_path / "p.csv").write_text("Prompt,Category\na,b\n")
    with pytest.raises(KeyError, match=r"p\.csv.*'Caption'.*\['Prompt', 'Category'\]"):
        load_prompts(tmp_path / "p.csv", text_column="Caption")
    with pytest.raises(KeyError, match=r"label column 'Tag'"):
        load_prompts(tmp_path / "p.csv", text_column="Prompt", label_columns=["Tag"])
    (tmp_path / "bad.jsonl").write_text('{"text": "ok"}\n{not json\n')
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: not valid JSON"):
        load_prompts(tmp_path / "bad.jsonl")
    with pytest.raises(FileNotFoundError, match="manifest.jsonl"):
        load_prompts(tmp_path)
    (tmp_path / "p.parquet").write_text("")
    with pytest.raises(ValueError, match=r"unsupported file type '\.parquet'"):
        load_prompts(tmp_path / "p.parquet")
