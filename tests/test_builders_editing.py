"""The 21 editing subtasks: taxonomy entries, builders and the specs they produce.

Each subtask is drawn once (300 items at its difficulty mix, validated specs) and the checks
below run on those: enough distinct instructions, edits that apply to the source through the
whole chain (``scene_edit.apply_edits``), edits that make sense (a replacement differs from
the old object, an alteration changes the value...), the edited thing named in the text, and
the boundaries of each subtask kept.
"""
from __future__ import annotations

import functools
import re

import pytest

from ogi_toolkit.definition.pools import load_pools
from ogi_toolkit.definition.taxonomy import load_taxonomy
from definition_helpers import paper_counts
from ogi_toolkit.scene_edit import apply_edit
from ogi_toolkit.spec import InstructionSpec
from ogi_toolkit.templates.builders.base import BuildContext, get_builder
from ogi_toolkit.templates.builders.editing.global_ import scene_np
from ogi_toolkit.spec import REFERENCE_MENTIONS, with_image_placeholder
from ogi_toolkit.templates.grammar import a
from ogi_toolkit.templates.sampler import compiled, default_pools, draw, sample, split

EDITING = {
    "subject_manipulation": ["add", "replace", "alter", "remove", "object_extraction"],
    "text_editing": ["text_add", "text_replace", "text_alter", "text_remove"],
    "complex_instruction_editing": ["two_sub_instructions", "three_sub_instructions", "four_sub_instructions"],
    "multi_turn_editing": ["two_turns", "three_turns", "four_turns"],
    "global_editing": ["change_background", "style_transfer"],
    "other_challenging_editing": ["reference_image", "change_motion", "change_material", "object_movement"],
}
SUBTASKS = [s for subs in EDITING.values() for s in subs]
N = 300
OBJECT_OPS = {"add", "remove", "replace", "alter"}
TEXT_OPS = {"text_add", "text_replace", "text_alter", "text_remove"}


@functools.lru_cache(maxsize=None)
def drawn(subtask: str):
    """300 specs of ``subtask`` at its difficulty mix, and how many draws it took."""
    taxonomy = load_taxonomy()
    cs = compiled(taxonomy, subtask)
    return draw(cs, default_pools(), split(N, cs.subtask.mix()), seed=0)


def specs(subtask: str) -> list:
    return drawn(subtask).specs()


@pytest.fixture(scope="module")
def pools():
    return load_pools()


# --- the taxonomy entries ---------------------------------------------------------------------

def test_the_editing_subtasks_are_the_papers_twenty_one_in_order():
    taxonomy = load_taxonomy()
    assert {d: [s.id for s in taxonomy.in_domain(d)] for d in EDITING} == EDITING
    subtasks = [taxonomy.subtask(s) for s in SUBTASKS]
    paper = paper_counts("editing")
    assert [s.name for s in subtasks] == list(paper)
    assert {s.name: s.target for s in subtasks} == paper
    for sub in subtasks:
        assert sub.kind == "editing"
        assert len({t.text for t in sub.templates}) >= 5, sub.id
        assert set(sub.difficulty) == {1, 2, 3}, sub.id
        assert sub.boundary.includes and sub.boundary.excludes, sub.id


def test_every_editing_template_names_the_input_images_place():
    # Two items that differ only in their input image must not read the same.
    place_words = re.compile(r"\{\{ (scene|scene_in|this_photo|the_rest)\b")
    for sid in SUBTASKS:
        for template in load_taxonomy().subtask(sid).templates:
            assert place_words.search(template.text), (sid, template.id)


def test_complex_editing_excludes_object_extraction_in_its_boundary():
    for sid in EDITING["complex_instruction_editing"]:
        sub = load_taxonomy().subtask(sid)
        assert any("Extraction" in e for e in sub.boundary.excludes)


# --- every subtask: distinct, valid, named --------------------------------------------------

@pytest.mark.parametrize("subtask", SUBTASKS)
def test_subtask_yields_distinct_instructions_with_room_to_spare(subtask):
    result = drawn(subtask)
    texts = [s.instruction for s in result.specs()]
    assert len(texts) == N
    assert len(set(texts)) >= 200
    assert {s.difficulty for s in result.specs()} == {1, 2, 3}
    # almost every draw was new: the space is far larger than this sample
    assert sum(result.attempts.values()) <= 1.1 * N


def _steps(spec) -> list[tuple[str, list]]:
    """(instruction, edits) per step: a multi-turn item's turns, else the item itself."""
    if spec.turns:
        return [(t.instruction, t.edits) for t in spec.turns]
    return [(spec.instruction, spec.edits)]


def _names(pools, name: str) -> set[str]:
    """A pool object's name and plural (a removed group is "the three birds")."""
    try:
        return {name, pools.get("objects", name).plural}
    except KeyError:
        return {name}


def _said(pools, edit, before, reference) -> set[str]:
    """Strings of which one must appear in an instruction that asks for ``edit``."""
    op = edit.op
    if op in ("add", "replace"):
        new = edit.object if edit.object is not None else reference.scene.objects[reference.subject]
        return _names(pools, new.name)
    if op in ("remove", "alter", "extract", "material", "motion", "move"):
        return _names(pools, before.objects[edit.target].name)
    if op in ("text_add", "text_replace"):
        return {edit.text.text}
    if op in ("text_alter", "text_remove"):
        return {before.texts[edit.target].text}
    if op == "style":
        return {pools.get("styles", edit.value).name}
    if op == "background":
        return {scene_np(pools.get("scenes", edit.value))}
    raise AssertionError(f"unexpected op {op}")


def _check_makes_sense(pools, edit, before) -> None:
    """An edit that changes something into something else, plausibly."""
    if edit.op == "add":
        assert edit.object.name not in {o.name for o in before.objects}
    elif edit.op == "replace" and edit.object is not None:
        assert edit.object.name != before.objects[edit.target].name
    elif edit.op == "alter":
        old = before.objects[edit.target]
        current = old.attributes.get(edit.attribute) if edit.attribute == "texture" else getattr(old, edit.attribute)
        assert edit.value != current, (edit, old)
    elif edit.op == "material":
        old = before.objects[edit.target]
        plausible = {pools.get("materials", m).name for m in pools.get("objects", old.name).materials}
        assert edit.value in plausible and edit.value != old.material
    elif edit.op == "motion":
        old = before.objects[edit.target]
        assert pools.get("objects", old.name).animate and edit.value != old.action
    elif edit.op == "text_replace":
        assert edit.text.text != before.texts[edit.target].text


@pytest.mark.parametrize("subtask", SUBTASKS)
def test_edits_apply_through_the_chain_and_name_what_they_edit(subtask, pools):
    for spec in specs(subtask):
        # Builders make records (Model.record: no validation): the round trip validates each one.
        assert InstructionSpec.from_json(spec.to_json()) == spec
        assert spec.kind == "editing" and spec.source is not None
        assert spec.source.description and spec.source.description.startswith("A photo of")
        scene = spec.source
        assert spec.edits or spec.turns
        for instruction, edits in _steps(spec):
            for edit in edits:
                said = _said(pools, edit, scene, spec.reference)
                assert any(s in instruction for s in said), (spec.id, instruction, said)
                if edit.instruction:  # complex and multi-turn: each edit's own sentence too
                    assert any(s in edit.instruction for s in said), (edit.instruction, said)
                    assert any(s in spec.instruction for s in said), (spec.instruction, said)
                _check_makes_sense(pools, edit, scene)
                scene = apply_edit(scene, edit, spec.reference).scene  # raises on a bad index


@pytest.mark.parametrize("subtask", ["add", "remove", "change_motion", "text_replace", "three_sub_instructions",
                                     "four_turns", "reference_image"])
def test_sampling_is_deterministic(subtask):
    first = [s.to_json() for s in sample(subtask, 15, seed=3)]
    again = [s.to_json() for s in sample(subtask, 15, seed=3)]
    other = [s.to_json() for s in sample(subtask, 15, seed=4)]
    assert first == again
    assert first != other


def test_articles_agree_with_the_grammar_helpers():
    wrong = []
    for subtask in SUBTASKS:
        for spec in specs(subtask)[:100]:
            unquoted = re.sub(r'"[^"]*"', "", spec.instruction + " " + spec.source.description)
            for article, word in re.findall(r"\b(a|an) ([\w-]+)", unquoted):
                if a(word).split()[0] != article:
                    wrong.append(f"{article} {word}: {spec.instruction}")
    assert not wrong, wrong[:5]


# --- boundaries of each domain ----------------------------------------------------------------

def test_subject_manipulation_uses_its_own_operation_only():
    wanted = {"add": {"add"}, "replace": {"replace"}, "alter": {"alter"}, "remove": {"remove"},
              "object_extraction": {"extract"}}
    for subtask, ops in wanted.items():
        for spec in specs(subtask):
            assert {e.op for e in spec.edits} == ops
            assert len(spec.edits) <= 2  # alter changes at most two attributes


def test_harder_grades_name_the_target_by_attribute_or_relation():
    for spec in specs("remove"):
        target = spec.slots["target"]
        name = spec.source.objects[spec.edits[0].target].name
        twins = sum(o.name == name for o in spec.source.objects)
        if spec.difficulty == 1:  # the only one of its kind: its name is enough
            assert twins == 1 and not set(target) & {"relation", "position"}
        else:  # a twin is in the picture: the name alone would not do
            assert twins >= 2 and set(target) & {"colour", "material", "relation", "position"}
        if spec.difficulty == 3 and spec.source.objects[spec.edits[0].target].colour:
            twin_colours = {o.colour for o in spec.source.objects if o.name == name}
            assert len(twin_colours) == 1 and set(target) & {"relation", "position", "material"}


def test_text_edits_touch_strings_the_source_shows():
    for subtask, op in (("text_add", "text_add"), ("text_replace", "text_replace"),
                        ("text_alter", "text_alter"), ("text_remove", "text_remove")):
        for spec in specs(subtask):
            assert {e.op for e in spec.edits} == {op}
            if op == "text_add":
                surface = spec.edits[0].text.on
                assert not any(t.on == surface for t in spec.source.texts)  # it was blank
            else:
                assert spec.source.texts and f'"{spec.source.texts[spec.edits[0].target].text}"' in spec.instruction


@pytest.mark.parametrize("subtask,n", [("two_sub_instructions", 2), ("three_sub_instructions", 3),
                                       ("four_sub_instructions", 4)])
def test_complex_editing_combines_n_subject_and_text_operations(subtask, n):
    kinds = set()
    dependent = 0
    for spec in specs(subtask):
        ops = [e.op for e in spec.edits]
        assert len(ops) == n
        assert set(ops) <= OBJECT_OPS | TEXT_OPS  # never extraction, background or style
        assert all(e.instruction for e in spec.edits)
        kinds.update(ops)
        dependent += any(op.get("target", {}).get("made_by") for op in spec.slots["ops"])
    assert kinds == OBJECT_OPS | TEXT_OPS
    assert dependent >= 30  # grade 3 changes what an earlier step made


@pytest.mark.parametrize("subtask,n", [("two_turns", 2), ("three_turns", 3), ("four_turns", 4)])
def test_multi_turn_items_have_n_rounds_that_refer_back(subtask, n):
    refer_back = 0
    for spec in specs(subtask):
        assert len(spec.turns) == n and not spec.edits
        assert all(t.instruction and t.edits for t in spec.turns)
        refer_back += any(any(op.get("target", {}).get("made_by") for op in ops) for ops in spec.slots["turns"][1:])
    assert refer_back >= 100


def test_style_transfer_spans_at_least_ten_styles_of_all_families(pools):
    styles = {spec.edits[0].value for spec in specs("style_transfer")}
    assert len(styles) >= 10
    assert {pools.get("styles", s).family for s in styles} == {
        "artistic_traditions", "media_illustration", "photographic", "speculative_fantasy"}


def test_change_background_moves_to_another_place():
    for spec in specs("change_background"):
        assert spec.edits[0].op == "background" and spec.edits[0].value != spec.source.background


def test_reference_image_takes_its_subject_from_the_second_image():
    for spec in specs("reference_image"):
        ref = spec.reference
        assert ref is not None and ref.scene.description
        subject = ref.scene.objects[ref.subject]
        (edit,) = spec.edits
        assert edit.op in ("add", "replace") and edit.object.name == subject.name
        mentions = [m for m in REFERENCE_MENTIONS if m in spec.instruction]
        assert len(mentions) == 1, spec.instruction
        released = with_image_placeholder(spec.instruction)
        assert released.count("<image>") == 1 and mentions[0] not in released


def test_change_motion_and_material_stay_plausible(pools):
    for spec in specs("change_motion"):
        obj = spec.source.objects[spec.edits[0].target]
        assert pools.get("objects", obj.name).animate and obj.action  # it was doing something
    families = {m.name: m.family for m in pools["materials"]}
    for spec in specs("change_material"):
        obj = spec.source.objects[spec.edits[0].target]
        assert families[obj.material] != families[spec.edits[0].value]  # a change that shows


def test_builders_reject_bad_params():
    ctx = BuildContext(rng=__import__("numpy").random.default_rng(0), pools=default_pools(), difficulty=1,
                       params={"ops": 7}, subtask="my_complex")
    with pytest.raises(ValueError, match="my_complex.*params.ops"):
        get_builder("edit_complex")(ctx)
    ctx = BuildContext(rng=ctx.rng, pools=ctx.pools, difficulty=1, params={"op": "text_paint"}, subtask="my_text")
    with pytest.raises(ValueError, match="my_text.*params.op"):
        get_builder("edit_text")(ctx)
