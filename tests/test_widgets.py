"""The prototyping panel, driven as a user would: set widget values, press the buttons."""
import shutil

import pytest

from ogi_toolkit.definition.taxonomy import load_taxonomy
from ogi_toolkit.paths import TAXONOMY_DIR
from ogi_toolkit.widgets import PrototypePanel
from ogi_toolkit.widgets.prototype import NEW_TEMPLATE


@pytest.fixture
def taxonomy_copy(tmp_path):
    folder = tmp_path / "taxonomy"
    shutil.copytree(TAXONOMY_DIR, folder)
    return folder


def test_sample_button_shows_instructions_with_specs_and_stats():
    panel = PrototypePanel(subtask="object_counting", previews=2)
    panel.n.value, panel.seed.value = 12, 3
    panel.sample_button.click()
    assert panel.error is None
    assert len(panel.specs) == 12
    assert all(s.subtask == "object_counting" for s in panel.specs)
    for s in panel.specs:  # every instruction is on the page, with its spec beside it
        assert s.instruction.replace('"', "&quot;").replace("'", "&#x27;") in panel.results.value
    assert panel.stats["n"] == 12 and 0 < panel.stats["distinct_2"] <= 1
    assert len(panel.gallery.children) == 2
    assert all(bytes(c.value).startswith(b"\x89PNG") for c in panel.gallery.children)


def test_seed_and_difficulty_change_the_sample():
    panel = PrototypePanel(subtask="relative_position", previews=0)
    panel.n.value = 5
    first = [s.instruction for s in panel.sample()]
    panel.seed.value = 1
    second = [s.instruction for s in panel.sample()]
    assert first != second
    panel.difficulty.value = 1
    assert {s.difficulty for s in panel.sample()} == {1}


def test_edited_template_is_used_alone_and_a_bad_one_shows_an_error():
    panel = PrototypePanel(subtask="relative_position", previews=0)
    sub = load_taxonomy().subtask("relative_position")
    panel.template.value = sub.templates[0].id
    panel.template_text.value = "PROTOTYPE: " + sub.templates[0].text
    panel.n.value = 6
    panel.sample_button.click()
    assert panel.error is None
    assert all(s.instruction.startswith("PROTOTYPE") for s in panel.specs)
    assert {s.template_id for s in panel.specs} == {sub.templates[0].id}

    panel.template_text.value = "Draw {{ no_such_slot }} {% if %}"
    panel.sample_button.click()
    assert panel.error and "Traceback" not in panel.message.value
    assert "#b00020" in panel.message.value  # shown in the panel, in red
    assert panel.specs == []


def test_restricting_a_pool_limits_the_values_used():
    panel = PrototypePanel(subtask="object_counting", previews=0)
    panel.pool.value = "objects"
    keep = [o.id for o in panel.pools["objects"] if o.countable][:40]
    panel.pool_values.value = tuple(keep)
    panel.n.value = 10
    panel.sample()
    assert panel.error is None, panel.error
    names = {o.name for s in panel.specs for o in s.scene.objects}
    allowed = {panel.pools.get("objects", i).name for i in keep}
    assert names and names <= allowed


def test_save_new_template_and_new_subtask_to_taxonomy_files(taxonomy_copy):
    panel = PrototypePanel(load_taxonomy(taxonomy_copy), subtask="relative_position", save_dir=taxonomy_copy, previews=0)
    sub = panel.taxonomy.subtask("relative_position")
    before = len(sub.templates)
    panel.template.value = NEW_TEMPLATE
    panel.new_template_id.value = "rp_prototype"
    panel.template_text.value = "Prototype: " + sub.templates[0].text
    assert panel.save() is not None, panel.error
    reloaded = load_taxonomy(taxonomy_copy).subtask("relative_position")
    assert len(reloaded.templates) == before + 1
    assert reloaded.templates[-1].id == "rp_prototype"
    text = (taxonomy_copy / "spatial_reasoning.yaml").read_text()
    assert text.startswith("#")  # the file's comments survive the round trip

    panel.new_subtask_id.value = "relative_position_variant"
    panel.new_target.value = 100
    assert panel.save() is not None, panel.error
    variant = load_taxonomy(taxonomy_copy).subtask("relative_position_variant")
    assert variant.domain == "spatial_reasoning"
    assert [t.id for t in variant.templates] == [t.id for t in reloaded.templates]


def test_a_bad_edit_is_never_saved(taxonomy_copy):
    panel = PrototypePanel(load_taxonomy(taxonomy_copy), subtask="relative_position", save_dir=taxonomy_copy, previews=0)
    original = (taxonomy_copy / "spatial_reasoning.yaml").read_bytes()
    panel.template.value = panel.taxonomy.subtask("relative_position").templates[0].id
    panel.template_text.value = "{{ unknown_slot }}"
    assert panel.save() is None
    assert "unknown_slot" in panel.error
    assert (taxonomy_copy / "spatial_reasoning.yaml").read_bytes() == original


def test_a_failed_sample_clears_the_previous_output():
    panel = PrototypePanel(subtask="relative_position", previews=2)
    panel.n.value = 4
    panel.sample_button.click()
    assert panel.results.value and panel.stats_view.value and panel.gallery.children
    panel.template.value = panel.taxonomy.subtask("relative_position").templates[0].id
    panel.template_text.value = "Draw {{ no_such_slot }}"
    panel.sample_button.click()
    assert panel.error and panel.results.value == "" and panel.stats_view.value == "" and panel.gallery.children == ()
    panel.template.value = panel.taxonomy.subtask("relative_position").templates[0].id  # back to the saved text
    panel.params.value = "groups: [planar"
    panel.sample_button.click()
    assert "params are not valid YAML" in panel.error and panel.results.value == ""


@pytest.mark.parametrize("subtask", ["multi_attribute_combination", "object_counting", "relative_position"])
def test_a_restricted_colour_pool_is_honoured_at_every_grade(subtask):
    panel = PrototypePanel(subtask=subtask, previews=0)
    panel.pool.value = "colours"
    panel.pool_values.value = ("red", "crimson")
    panel.n.value = 20
    for grade in panel.taxonomy.subtask(subtask).grades:
        panel.difficulty.value = grade
        panel.sample()
        assert panel.error is None, (grade, panel.error)
        colours = {o.colour for s in panel.specs for scene in (s.scene, s.source) if scene for o in scene.objects if o.colour}
        assert colours <= {"red", "crimson"}, (grade, colours)


def test_a_params_value_the_builder_cannot_use_is_named():
    panel = PrototypePanel(subtask="relative_position", previews=0)
    panel.params.value = panel.params.value.replace("- planar\n- vertical", "- sideways")
    panel.sample()
    assert panel.error.startswith("ValueError: params: groups: [\"sideways\"] is not a value builder 'spatial_relations'")
    assert "the saved value is [\"planar\", \"vertical\"]" in panel.error


def _changed_lines(before: str, after: str) -> list[str]:
    import difflib

    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_save_changes_only_the_edited_template(taxonomy_copy):
    panel = PrototypePanel(load_taxonomy(taxonomy_copy), subtask="relative_position", save_dir=taxonomy_copy, previews=0)
    path = taxonomy_copy / "spatial_reasoning.yaml"
    before = path.read_text()
    template = panel.taxonomy.subtask("relative_position").templates[1]
    panel.template.value = template.id
    panel.template_text.value = ("Prototype {% if scene %}{{ scene|cap }}, {% endif %}" + template.text
                                 + " Keep {{ objs_a|join(', ') }} clearly apart, each one easy to tell from the others.")
    assert panel.save() is not None, panel.error
    after = path.read_text()
    changed = _changed_lines(before, after)
    assert 0 < len(changed) <= 12, "\n".join(changed)  # the template's few lines (the whole file was rewritten: 191)
    assert all(line.count("{{") == line.count("}}") and line.count("{%") == line.count("%}") for line in after.splitlines())
    assert not [n for n, line in enumerate(after.splitlines(), 1) if line != line.rstrip()]  # no trailing spaces
    assert all(len(line) <= 100 for line in changed)
    saved = load_taxonomy(taxonomy_copy).subtask("relative_position")
    assert saved.templates[1].text == panel.template_text.value
    assert saved.params == load_taxonomy().subtask("relative_position").params  # untouched


def test_save_as_asks_for_the_target_and_refreshes_the_subtask_list(taxonomy_copy):
    panel = PrototypePanel(load_taxonomy(taxonomy_copy), subtask="relative_position", save_dir=taxonomy_copy, previews=0)
    path = taxonomy_copy / "spatial_reasoning.yaml"
    before, total = path.read_bytes(), sum(s.target for s in panel.taxonomy.subtasks)
    panel.new_subtask_id.value = "relative_position_variant"
    assert panel.new_target.layout.display == ""  # the target field appears with a new id
    assert panel.save() is None and "give 'relative_position_variant' its target" in panel.error
    assert path.read_bytes() == before
    panel.new_target.value = 250
    assert panel.save() is not None, panel.error
    reloaded = load_taxonomy(taxonomy_copy)
    assert reloaded.subtask("relative_position_variant").target == 250
    assert sum(s.target for s in reloaded.subtasks) == total + 250
    assert "relative_position_variant" in [v for _, v in panel.subtask.options]
    assert panel.subtask.value == "relative_position_variant" and panel.new_subtask_id.value == ""
    assert before.decode() in path.read_text()  # appended: every earlier line is as it was
    panel.new_subtask_id.value = "relative_position"
    assert panel.save() is None and "exists already" in panel.error


def test_the_save_button_is_wide_enough_for_its_label():
    panel = PrototypePanel(subtask="relative_position", previews=0)
    assert panel.save_button.layout.width == "auto"


def test_a_params_key_the_builder_does_not_declare_is_refused_by_sample_and_save(taxonomy_copy):
    from ogi_toolkit.templates.builders.base import get_builder

    assert get_builder("spatial_relations").declared_params  # what the check below compares against
    panel = PrototypePanel(load_taxonomy(taxonomy_copy), subtask="relative_position", save_dir=taxonomy_copy, previews=0)
    before = (taxonomy_copy / "spatial_reasoning.yaml").read_bytes()
    panel.params.value = panel.params.value.replace("groups:", "grups:")
    panel.sample()
    assert "params: unknown key(s) ['grups']" in panel.error and panel.specs == []
    assert panel.save() is None and "grups" in panel.error
    assert (taxonomy_copy / "spatial_reasoning.yaml").read_bytes() == before
