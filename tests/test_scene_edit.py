"""apply_edits: the expected scene after edit operations (indices as the spec defines them)."""
import pytest

from ogi_toolkit.scene_edit import EditError, apply_edit, apply_edits, turn_edits
from ogi_toolkit.spec import Edit, Reference, Relation, Scene, SceneObject, TextItem
from sketch_fixtures import editing_cases, street

O = SceneObject


def _scene():
    return Scene(objects=[O(name="cat"), O(name="table"), O(name="cup"), O(name="sign")],
                 relations=[Relation(subject=0, relation="left_of", object=1),
                            Relation(subject=2, relation="on_top_of", object=1)],
                 texts=[TextItem(text="SALE", on=3), TextItem(text="Welcome")])


def test_remove_renumbers_relations_and_erases_texts_written_on_the_object():
    out = apply_edit(_scene(), Edit(op="remove", target=0))
    assert [o.name for o in out.scene.objects] == ["table", "cup", "sign"]
    assert [(r.subject, r.relation, r.object) for r in out.scene.relations] == [(1, "on_top_of", 0)]
    assert out.object_origin == [1, 2, 3]
    assert [t.on for t in out.scene.texts] == [2, None]

    gone = apply_edit(_scene(), Edit(op="remove", target=3))
    assert [t.text for t in gone.scene.texts] == ["Welcome"] and gone.text_origin == [1]


def test_each_edit_sees_the_scene_left_by_the_previous_one():
    out = apply_edits(_scene(), [Edit(op="remove", target=0), Edit(op="remove", target=0)])
    assert [o.name for o in out.objects] == ["cup", "sign"]
    assert out.relations == []


def test_replace_alter_material_motion_change_only_the_target():
    s = _scene()
    replaced = apply_edit(s, Edit(op="replace", target=2, object=O(name="vase", colour="blue")))
    assert replaced.scene.objects[2].name == "vase" and replaced.scene.relations == s.relations
    assert replaced.replaced == {2}
    altered = apply_edits(s, [Edit(op="alter", target=0, attribute="color", value="black"),
                              Edit(op="alter", target=0, attribute="texture", value="furry"),
                              Edit(op="material", target=1, value="marble"),
                              Edit(op="motion", target=0, value="sleeping")])
    cat = altered.objects[0]
    assert (cat.colour, cat.attributes, cat.action) == ("black", {"texture": "furry"}, "sleeping")
    assert altered.objects[1].material == "marble"
    assert altered.objects[2:] == s.objects[2:]
    assert apply_edit(s, Edit(op="alter", target=0, attribute="colour", value="red")).replaced == set()
    assert apply_edit(s, Edit(op="alter", target=0, attribute="size", value="huge")).replaced == {0}


def test_add_and_move_state_where_the_object_goes():
    added = apply_edit(_scene(), Edit(op="add", object=O(name="dog"), relation="right_of", anchor=1))
    assert added.scene.objects[-1].name == "dog" and added.object_origin[-1] is None
    assert added.scene.relations[-1] == Relation(subject=4, relation="right_of", object=1)
    moved = apply_edit(_scene(), Edit(op="move", target=0, relation="under", anchor=1))
    assert Relation(subject=0, relation="left_of", object=1) not in moved.scene.relations
    assert moved.scene.relations[-1] == Relation(subject=0, relation="under", object=1)
    to_corner = apply_edits(_scene(), [Edit(op="move", target=2, value="top left")])
    assert to_corner.objects[2].attributes["position"] == "top left"


def test_extract_keeps_one_object_on_a_plain_background():
    out = apply_edit(_scene(), Edit(op="extract", target=3))
    assert [o.name for o in out.scene.objects] == ["sign"]
    assert [(t.text, t.on) for t in out.scene.texts] == [("SALE", 0)]
    assert out.scene.background == "plain white" and out.global_change


def test_text_edits():
    s = _scene()
    out = apply_edits(s, [Edit(op="text_replace", target=0, text=TextItem(text="SOLD")),
                          Edit(op="text_alter", target=1, attribute="size", value="huge"),
                          Edit(op="text_alter", target=1, attribute="colour", value="gold"),
                          Edit(op="text_add", text=TextItem(text="Новинка", language="ru", script="Cyrl"))])
    assert [(t.text, t.on) for t in out.texts] == [("SOLD", 3), ("Welcome", None), ("Новинка", None)]
    assert out.texts[1].font == "huge" and out.texts[1].colour == "gold"
    assert [t.text for t in apply_edits(s, [Edit(op="text_remove", target=0)]).texts] == ["Welcome"]


def test_global_edits():
    out = apply_edits(_scene(), [Edit(op="background", value="beach"), Edit(op="style", value="cubism")])
    assert (out.background, out.style) == ("beach", "cubism")
    assert out.objects == _scene().objects


def test_reference_supplies_the_subject_of_an_add():
    ref = Reference(scene=Scene(objects=[O(name="lamp"), O(name="girl", colour="purple")]), subject=1)
    out = apply_edits(_scene(), [Edit(op="add")], reference=ref)
    assert out.objects[-1] == O(name="girl", colour="purple")


@pytest.mark.parametrize("edit, words", [
    (Edit(op="remove", target=9), ["edit 0", "remove", "target 9", "4 objects"]),
    (Edit(op="add"), ["edit 0", "'object' is required"]),
    (Edit(op="text_replace", target=0), ["edit 0", "'text' is required"]),
    (Edit(op="text_remove", target=5), ["text target 5", "2 texts"]),
    (Edit(op="alter", target=0, value="red"), ["'attribute' is required"]),
    (Edit(op="add", object=O(name="x"), relation="left_of", anchor=7), ["anchor 7"]),
    (Edit(op="text_alter", target=0, attribute="kerning", value="wide"), ["kerning"]),
])
def test_bad_edits_say_what_is_wrong(edit, words):
    with pytest.raises(EditError) as err:
        apply_edits(_scene(), [edit])
    for word in words:
        assert word in str(err.value)


def test_turn_edits_collects_turns_in_order():
    case = editing_cases()["three_turns"]
    assert [e.op for e in turn_edits(case, 1)] == ["remove", "alter"]
    with pytest.raises(EditError, match="out of range"):
        turn_edits(case, 3)


def test_every_editing_case_applies():
    for name, case in editing_cases().items():
        edits = case.edits or turn_edits(case, len(case.turns) - 1)
        out = apply_edits(street(), edits, case.reference)
        assert out != street(), name
