"""Judge prompts: one template per kind, golden strings, and checklist questions from spec fields."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from generate_fixtures import mixed_plan

from ogi_toolkit.quality.judge import load_rubric, questions, render_prompt
from ogi_toolkit.quality.judge.prompt import KINDS, template_sha
from ogi_toolkit.spec import Edit, InstructionSpec, Relation, Scene, SceneObject, TextItem

GOLDEN = Path(__file__).parent / "judge_golden"
UPDATE = os.environ.get("OGI_UPDATE_GOLDEN") == "1"  # rewrite the golden files after a deliberate change


def _spec(**fields) -> InstructionSpec:
    base = dict(id="x", kind="generation", domain="d", subtask="s", template_id="t", difficulty=1, seed=0,
                instruction="Five turquoise beach balls left of a dog")
    return InstructionSpec(**{**base, **fields})


@pytest.mark.parametrize("spec", mixed_plan(), ids=lambda s: s.id)
def test_each_kind_renders_its_golden_prompt(spec):
    prompt = render_prompt(spec, load_rubric())
    rendered = f"SYSTEM: {prompt.system}\n---\n{prompt.text}"
    path = GOLDEN / f"{spec.id}.txt"
    if UPDATE:
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


def test_the_plan_covers_every_kind_with_its_images():
    kinds = {render_prompt(s, load_rubric()).kind: render_prompt(s, load_rubric()).image_slots for s in mixed_plan()}
    assert kinds == {"generation": ("output",), "single_edit": ("input", "output"),
                     "multi_turn": ("source", "turn1", "turn2"), "reference": ("input", "reference", "output")}
    assert set(kinds) == set(KINDS)


def test_questions_come_from_spec_fields_not_from_the_text():
    spec = _spec(instruction="something else entirely", scene=Scene(
        objects=[SceneObject(name="beach ball", count=5, colour="turquoise"), SceneObject(name="dog", action="running")],
        relations=[Relation(subject=0, relation="left_of", object=1)],
        texts=[TextItem(text="SURF CLUB", on=1)]))
    assert questions(spec) == [
        "Are there exactly five turquoise beach balls?",
        "Is there exactly one dog, running?",
        "Is the turquoise beach ball to the left of the dog?",
        'Does the image show the text "SURF CLUB" on the dog, spelled exactly?',
    ]


def test_edit_questions_see_the_scene_as_earlier_edits_left_it():
    spec = _spec(kind="editing", instruction="Remove the cup, then make the lamp red",
                 source=Scene(objects=[SceneObject(name="cup"), SceneObject(name="lamp")],
                              texts=[TextItem(text="SALE")]),
                 edits=[Edit(op="remove", target=0), Edit(op="alter", target=0, attribute="colour", value="red"),
                        Edit(op="text_replace", target=0, text=TextItem(text="OPEN"))])
    # after the remove, index 0 is the lamp
    assert questions(spec) == ["Has the cup been removed?", "Is the colour of the lamp now red?",
                               'Has the text "SALE" been replaced by "OPEN", spelled exactly?', 'Is the text "SALE" gone?']


def test_prompt_numbers_questions_and_names_only_the_criteria_that_apply():
    rubric = load_rubric()
    gen = render_prompt(mixed_plan()[1], rubric)
    assert gen.criteria == ("instruction_compliance", "realism", "technical")  # nothing to preserve
    assert "q3. Does the image show the text \"OPEN LATE\"" in gen.text
    edit = render_prompt(mixed_plan()[2], rubric)
    assert "preservation" in edit.criteria and "- preservation:" in edit.text


def test_template_hash_changes_with_any_file_of_the_prompt(tmp_path):
    from ogi_toolkit.quality.judge.prompt import PROMPTS_DIR

    for path in PROMPTS_DIR.glob("*.txt"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    before = template_sha("generation", tmp_path)
    assert before == template_sha("generation", PROMPTS_DIR)
    (tmp_path / "_criteria.txt").write_text("changed {{ scale.min }}", encoding="utf-8")
    assert template_sha("generation", tmp_path) != before
    assert "changed 0" in render_prompt(mixed_plan()[0], load_rubric(), tmp_path).text


QUESTIONS_GOLDEN = GOLDEN / "questions"


def _one_per_subtask():
    from ogi_toolkit.definition.taxonomy import load_taxonomy
    from ogi_toolkit.planning import plan

    return plan(counts={s.id: 1 for s in load_taxonomy().subtasks}, seed=11)


def test_checklist_questions_of_one_item_per_subtask_match_their_golden_files():
    """A reader checks these files: positions of added objects, the reference subject kept, the
    effect of a causal item, every turn, colour/texture/shade attributes, science labels asked
    as labels, actions asked with "does"."""
    for spec in _one_per_subtask():
        text = f"{spec.instruction}\n---\n" + "\n".join(questions(spec)) + "\n"
        path = QUESTIONS_GOLDEN / f"{spec.subtask}.txt"
        if UPDATE:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8"), spec.subtask
