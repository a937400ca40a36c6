"""The sketch backend end to end: every subtask's shape draws, exactly and deterministically."""
import asyncio
import io

import numpy as np
import pytest
from PIL import Image

from ogi_toolkit.backends.base import Backend, ImageRequest
from ogi_toolkit.backends.sketch import RENDERER_NOTE, SketchBackend, parse_size, render_request
from sketch_fixtures import all_cases, editing_cases, generation_cases, spec, steps_of, street

SIZE = "320x320"
CASES = all_cases()


def draw(case, step, size=SIZE, images=()):
    return render_request(ImageRequest(prompt=case.instruction, spec=case, step=step, size=size, images=tuple(images)))


def pixels(result) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(result.image)).convert("RGB"))


def test_fixtures_cover_the_51_subtasks():
    assert len(CASES) == 51


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_subtask_draws_every_step(name):
    case = CASES[name]
    for step in steps_of(case):
        result = draw(case, step)
        img = Image.open(io.BytesIO(result.image))
        assert img.format == "PNG" and img.size == (320, 320)
        assert result.meta["renderer"] == RENDERER_NOTE and result.model == "sketch"
        assert result.meta["step"] == step and result.usage == {"cost_usd": 0.0}
        scene = result.meta["scene_drawn"]
        if not result.meta.get("panels") and "concept" not in scene:
            assert [o["name"] for o in sorted(result.meta["objects"], key=lambda o: o["index"])] == \
                [o["name"] for o in scene.get("objects", [])]
        assert pixels(result).std() > 10  # not a blank picture


def test_object_counts_are_drawn_exactly():
    result = draw(generation_cases()["object_counting"], "scene")
    counts = {o["name"]: len(o["instances"]) for o in result.meta["objects"]}
    assert counts == {"balloon": 7, "kite": 3}
    boxes = [b for o in result.meta["objects"] for b in o["instances"]]
    for i, a in enumerate(boxes):  # instances do not overlap, so each can be counted
        for b in boxes[i + 1:]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])


def test_texts_are_drawn_exactly_in_fonts_that_have_their_glyphs():
    case = generation_cases()["multilingual_support"]
    result = draw(case, "scene", size="768x768")
    records = result.meta["texts"]
    assert [r["text"] for r in records] == [t.text for t in case.scene.texts]
    for r in records:
        assert r["missing_glyphs"] == [], r
        joined = (" " if " " in r["text"] else "").join(r["lines"])
        assert joined == r["text"]
    fonts = {r["script"]: r["font"] for r in records}
    assert fonts["Hans"] == fonts["Kore"] == fonts["Jpan"] == "NotoSansCJKjp-Regular"
    assert fonts["Deva"] == "NotoSansDevanagari"
    # the boxes hold ink: the text was really drawn there
    img = pixels(result)
    for r in records:
        x0, y0, x1, y1 = r["box"]
        assert img[y0:y1, x0:x1].std() > 20


def test_text_on_an_object_is_written_over_it():
    result = draw(generation_cases()["textual_accuracy"], "scene")
    sign = result.meta["objects"][0]["instances"][0]
    x0, y0, x1, y1 = result.meta["texts"][0]["box"]
    assert sign[0] <= (x0 + x1) / 2 <= sign[2] and sign[1] <= (y0 + y1) / 2 <= sign[3]


@pytest.mark.parametrize("name", ["remove", "replace", "alter", "text_remove", "change_motion", "change_material",
                                  "two_sub_instructions"])
def test_local_edits_change_only_their_regions(name):
    case = editing_cases()[name]
    before, after = pixels(draw(case, "source")), draw(case, "edit")
    changed = (before != pixels(after)).any(-1)
    outside = np.ones(changed.shape, bool)
    for x0, y0, x1, y1 in after.meta["changed_regions"]:
        outside[y0:y1, x0:x1] = False
    assert changed.any() and not (changed & outside).any()
    assert outside.mean() > 0.6  # the regions are small, not the whole picture


def test_remove_changes_exactly_the_target_box():
    case = editing_cases()["remove"]  # the oak tree: no relation, no text on it
    source = draw(case, "source")
    tree = next(o for o in source.meta["objects"] if o["name"] == "oak tree")
    regions = draw(case, "edit").meta["changed_regions"]
    assert regions == [[tree["box"][0] - 2, tree["box"][1] - 2, tree["box"][2] + 2, tree["box"][3] + 2]]


def test_other_objects_keep_their_places_through_edits():
    case = editing_cases()["four_sub_instructions"]
    source = {o["key"]: o["box"] for o in draw(case, "source").meta["objects"]}
    edited = {o["key"]: o for o in draw(case, "edit").meta["objects"]}
    assert edited["3"]["box"] == source["3"]  # the woman is untouched
    assert "0" not in edited  # the dog was removed
    tree, before = edited["2"]["box"], source["2"]  # made tiny, around the same centre
    assert tree[2] - tree[0] < before[2] - before[0]
    assert abs((tree[0] + tree[2]) - (before[0] + before[2])) <= 4


def test_global_edits_redraw_everything():
    for name in ("change_background", "style_transfer", "object_extraction"):
        result = draw(editing_cases()[name], "edit")
        assert result.meta["changed_regions"] == [[0, 0, 320, 320]], name
    extracted = draw(editing_cases()["object_extraction"], "edit").meta
    assert [o["name"] for o in extracted["objects"]] == ["bicycle"] and extracted["background"] == "plain"


def test_an_edit_starts_from_the_input_image():
    case = editing_cases()["remove"]
    noise = np.random.default_rng(0).integers(0, 255, (320, 320, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noise).save(buf, format="PNG")
    result = draw(case, "edit", images=[buf.getvalue()])
    out = pixels(result)
    inside = np.zeros(out.shape[:2], bool)
    for x0, y0, x1, y1 in result.meta["changed_regions"]:
        inside[y0:y1, x0:x1] = True
    assert result.meta["composited_on_input"]
    assert (out[~inside] == noise[~inside]).all() and (out[inside] != noise[inside]).any()


def test_multi_turn_each_turn_edits_the_previous_output():
    case = editing_cases()["four_turns"]
    previous = draw(case, "source")
    for k in range(4):
        chained = draw(case, f"turn:{k}", images=[previous.image])
        assert chained.image == draw(case, f"turn:{k}").image  # same as drawing the turn from scratch
        previous = chained
    final = {o["name"]: o for o in previous.meta["objects"]}
    assert "oak tree" not in final and final["dog"]["colour_rgb"] == [255, 255, 255] and "kite" in final
    assert "HELLO" in [t["text"] for t in previous.meta["texts"]]


@pytest.mark.system("emoji_font")  # the cut-out covers the pictogram's box; a schematic glyph's is other
def test_reference_subject_is_cut_from_the_second_image():
    case = editing_cases()["reference_image"]
    magenta = Image.new("RGB", (320, 320), (255, 0, 255))
    buf = io.BytesIO()
    magenta.save(buf, format="PNG")
    result = draw(case, "edit", images=[draw(case, "source").image, buf.getvalue()])
    girl = next(o for o in result.meta["objects"] if o["name"] == "girl")
    x0, y0, x1, y1 = girl["instances"][0]
    patch = pixels(result)[y0:y1, x0:x1]
    assert ((patch == [255, 0, 255]).all(-1)).mean() > 0.2
    assert result.meta["reference_subject"]["keys"] == ["e0"]
    woman = next(o for o in result.meta["objects"] if o["name"] == "woman")
    assert (x0 + x1) / 2 > (woman["box"][0] + woman["box"][2]) / 2  # right of the woman, as asked


def test_same_request_same_bytes_and_different_requests_differ():
    case = generation_cases()["artistic_traditions"]
    case = case.model_copy(update={"scene": case.scene.model_copy(update={"style": "thick_oil_brushwork"})})
    assert draw(case, "scene").meta["treatment"]["name"] == "impasto"
    assert draw(case, "scene").image == draw(case, "scene").image
    other_seed = case.model_copy(update={"seed": 8})
    assert draw(other_seed, "scene").image != draw(case, "scene").image  # the brush strokes follow the seed
    assert draw(generation_cases()["containment"], "scene").image != draw(case, "scene").image


def test_sizes():
    result = draw(generation_cases()["relative_position"], "scene", size="384x256")
    assert Image.open(io.BytesIO(result.image)).size == (384, 256)
    assert parse_size("1536x1024") == (1536, 1024) and parse_size("auto") == (1024, 1024)
    for bad in ("big", "10x10", "1024"):
        with pytest.raises(ValueError, match="size"):
            parse_size(bad)


def test_a_missing_part_of_the_spec_is_named():
    with pytest.raises(ValueError, match="no source scene"):
        draw(generation_cases()["containment"], "edit")
    with pytest.raises(ValueError, match="3 turns"):
        draw(editing_cases()["three_turns"], "turn:3")


def test_prompt_only_requests_get_a_card_with_the_prompt():
    a = render_request(ImageRequest(prompt="a red fox in the snow", size="256x256"))
    assert a.image == render_request(ImageRequest(prompt="a red fox in the snow", size="256x256")).image
    assert a.meta["texts"][0]["text"] == "a red fox in the snow" and a.meta["renderer"] == RENDERER_NOTE
    assert a.image != render_request(ImageRequest(prompt="a blue whale", size="256x256")).image


def test_backend_interface():
    backend = SketchBackend()
    assert isinstance(backend, Backend) and backend.name == "sketch"
    assert backend.identity()["renderer_version"]
    case = spec("containment", scene=generation_cases()["containment"].scene)
    result = asyncio.run(backend.generate(ImageRequest(prompt="x", spec=case, size="256x256")))
    assert result.meta["renderer"] == RENDERER_NOTE
    edit_case = editing_cases()["alter"]
    edited = asyncio.run(backend.edit(ImageRequest(prompt="x", spec=edit_case, step="edit", size="256x256")))
    assert edited.meta["scene_drawn"]["objects"][1]["colour"] == "green"
    rewritten = asyncio.run(backend.rewrite(edit_case))
    assert rewritten.text == edit_case.instruction and rewritten.usage == {"cost_usd": 0.0}


def test_source_of_every_edit_case_is_the_same_picture():
    sources = {draw(case, "source").image for case in editing_cases().values()}
    assert len(sources) == 1 and street().objects


@pytest.mark.parametrize("relation, follows", [("in_front_of", False), ("on_top_of", True)])
def test_replacing_an_object_moves_only_what_rests_on_it(relation, follows):
    """A cup on a table moves with the table's replacement; a child in front of a baker stays
    where she was when the baker is replaced."""
    from ogi_toolkit.spec import Edit, Relation, SceneObject as O, Scene

    subject = O(name="child") if relation == "in_front_of" else O(name="cup", size="small")
    source = Scene(objects=[subject, O(name="baker" if relation == "in_front_of" else "table")],
                   relations=[Relation(subject=0, relation=relation, object=1)], background="kitchen")
    new = O(name="giraffe" if relation == "in_front_of" else "bookshelf", size="huge")
    case = spec("replace", kind="editing", source=source, edits=[Edit(op="replace", target=1, object=new)])
    before = {o["index"]: o["box"] for o in draw(case, "source").meta["objects"]}
    after = {o["index"]: o["box"] for o in draw(case, "edit").meta["objects"]}
    assert after[1] != before[1]  # the replacement is bigger
    assert (after[0] != before[0]) is follows


def test_labels_keep_what_an_edit_changes_and_liquids_are_drops():
    from ogi_toolkit.backends.sketch.paint import label_of, object_colour
    from ogi_toolkit.backends.sketch.vocab import glyph_kind
    from ogi_toolkit.spec import SceneObject as O

    samurai = O(name="samurai", colour="terracotta", action="smiling", attributes={"colour_of": "clothing"})
    # in a small box the short form shows the action instead of cutting it off after the colour
    assert label_of(samurai) == ("terracotta samurai · smiling", "samurai · smiling")
    assert label_of(O(name="mug", colour="red")) == ("red mug",)
    assert glyph_kind(O(name="water")) == "liquid" and glyph_kind(O(name="glass of water")) == "cup"
    assert object_colour(O(name="water"), "0")[2] > 200  # blue unless a colour is given
