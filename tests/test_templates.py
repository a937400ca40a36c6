"""Builders, templates and the sampler: distinct, deterministic, structured, within bounds."""
import importlib.util
import json
import re
from pathlib import Path
import pytest
from definition_helpers import USER_SUBTASK, all_subtask_samples, samples, subtask_ids, write_taxonomy  # noqa: F401

from ogi_toolkit.cli import main
from ogi_toolkit.definition.pools import load_pools
from ogi_toolkit.definition.taxonomy import TaxonomyError, load_taxonomy
from ogi_toolkit.spec import Edit, InstructionSpec, Reference, Relation, Scene, SceneObject, Turn
from ogi_toolkit.spec import TextItem as SpecText
from ogi_toolkit.templates.builders.base import Built, builder_names, get_builder, register
from ogi_toolkit.templates.engine import compile_subtask, render_text
from ogi_toolkit.templates.grammar import Lexicon, number_word, plural
from ogi_toolkit.templates.sampler import BuildError, dedup_key, draw, item_seed, rebuild, sample, split

DISTINCT_PER_SUBTASK = 200  # = definition_helpers.SAMPLES_PER_SUBTASK, so the draw is cached


@pytest.mark.parametrize("subtask_id", subtask_ids())
def test_subtask_samples_200_distinct(subtask_id):
    """Each subtask yields >= 200 distinct instructions across its difficulty grades."""
    specs = samples(subtask_id, DISTINCT_PER_SUBTASK)
    assert len(specs) == DISTINCT_PER_SUBTASK, f"{subtask_id}: only {len(specs)} distinct items"
    # an edit is the same item only with the same words for the same input image
    assert len({(s.instruction, s.source.description if s.source else "") for s in specs}) == DISTINCT_PER_SUBTASK
    assert len({dedup_key(s.subtask, s.slots)[0] for s in specs}) == DISTINCT_PER_SUBTASK
    sub = load_taxonomy().subtask(subtask_id)
    assert {s.difficulty for s in specs} == set(sub.grades)
    assert {s.template_id for s in specs} == {t.id for t in sub.templates}, "some templates are never used"


def test_specs_carry_their_structure(all_subtask_samples):
    """Every spec round-trips through JSON; generation has a scene, editing a described source."""
    tax = load_taxonomy()
    problems = []
    for spec in all_subtask_samples:
        sub = tax.subtask(spec.subtask)
        assert (spec.kind, spec.domain) == (sub.kind, sub.domain)
        assert InstructionSpec.from_json(spec.to_json()) == spec
        if spec.kind == "generation" and spec.scene is None:
            problems.append(f"{spec.subtask}: generation spec without a scene")
        if spec.kind == "editing":
            if spec.source is None or not spec.source.description:
                problems.append(f"{spec.subtask}: editing spec without a source description")
            if not (spec.edits or spec.turns or spec.reference):
                problems.append(f"{spec.subtask}: editing spec without edits, turns or reference")
    assert not problems, "\n".join(sorted(set(problems)))


@pytest.fixture(scope="module")
def user_tax(tmp_path_factory):
    """A YAML-only subtask (generic ``slots`` builder): engine tests that need no other builder."""
    return load_taxonomy(write_taxonomy(tmp_path_factory.mktemp("taxonomy"), {"mine.yaml": USER_SUBTASK}))


def test_same_seed_same_items_other_seed_other_items(user_tax):
    first = [s.to_json() for s in sample("animal_counting", 30, seed=7, taxonomy=user_tax)]
    assert [s.to_json() for s in sample("animal_counting", 30, seed=7, taxonomy=user_tax)] == first
    other = [s.to_json() for s in sample("animal_counting", 30, seed=8, taxonomy=user_tax)]
    assert len(set(first) & set(other)) < 5
    rp = [s.instruction for s in samples("relative_position", 60)]
    assert [s.instruction for s in sample("relative_position", 60, seed=0)] == rp
    assert len(set(rp) & {s.instruction for s in sample("relative_position", 60, seed=1)}) < 5


def test_item_seed_rebuilds_the_item(all_subtask_samples, user_tax):
    for spec in all_subtask_samples[::25]:
        assert rebuild(spec) == spec
    spec = sample("animal_counting", 1, seed=3, taxonomy=user_tax)[0]
    assert rebuild(spec, taxonomy=user_tax) == spec
    assert item_seed(0, "add", 1, 0) != item_seed(0, "add", 1, 1) != item_seed(1, "add", 1, 1)
    assert 0 <= item_seed(2**40, "remove", 3, 10**6) < 2**53


def test_fixed_difficulty_and_split(user_tax):
    assert {s.difficulty for s in sample("animal_counting", 10, difficulty=2, taxonomy=user_tax)} == {2}
    assert {s.template_id for s in sample("animal_counting", 30, difficulty=1, taxonomy=user_tax)} == {"ac_a"}
    with pytest.raises(ValueError, match="grades"):
        sample("animal_counting", 3, difficulty=3, taxonomy=user_tax)
    assert split(10, {1: 0.3, 2: 0.4, 3: 0.3}) == {1: 3, 2: 4, 3: 3}
    assert split(7, {1: 1, 2: 1, 3: 1}) == {1: 3, 2: 2, 3: 2}
    assert sum(split(80_700, {1: 0.33, 2: 0.33, 3: 0.34}).values()) == 80_700


def test_sample_returns_fewer_only_when_the_space_is_exhausted(tmp_path):
    tiny = USER_SUBTASK.replace("n: {count: [2, 9]}", "n: {count: [2, 2]}").replace(
        "where: {category: animal}", "where: {id: [cat, dog]}").replace("colour: {pool: colours, of: animal}", "colour: {choice: [red]}")
    tax = _user_taxonomy(tmp_path, tiny)
    specs = sample("animal_counting", 50, taxonomy=tax)
    # 2 animals x 1 count x 2 moods; grade 1 and grade 2 share the space (dedup ignores grade)
    assert len(specs) == 4
    assert len({s.id for s in specs}) == 4


def _relation_phrases(groups):
    pools = load_pools()
    relations = pools.filter("relations", group=list(groups))
    return {r.id for r in relations}, {p.lower() for r in relations for p in r.phrases}


# Function words that are containment/depth synonyms in the pool but also frame a whole
# scene ("in the middle of the frame", "before a plain wall"): checked through the scene's
# relation ids instead of the text.
_AMBIGUOUS = {"in", "before"}


def test_relative_position_never_uses_containment_or_depth():
    """The paper's example boundary: planar relations only (phrases from the relations pool)."""
    banned_ids, banned_phrases = _relation_phrases(["containment", "depth"])
    banned_phrases -= _AMBIGUOUS
    assert banned_phrases, "the relations pool has no containment/depth phrases to check against"
    specs = samples("relative_position", 300, seed=3)
    for spec in specs:
        text = f" {spec.instruction.lower()} "
        hits = [p for p in banned_phrases if f" {p} " in text or f" {p}," in text or f" {p}." in text]
        assert not hits, f"{hits} in {spec.instruction!r}"
        assert not {r.relation for r in spec.scene.relations} & banned_ids, spec.scene.relations
        assert spec.scene.relations, "a relative-position scene without relations"


def test_object_counting_text_matches_the_scene():
    """The count the instruction states is the count in the spec's scene, in agreement."""
    lexicon = Lexicon.of_pools(load_pools())  # the pools' plurals ("ottomans"), as the builders use
    for spec in samples("object_counting", 200, seed=5):
        counted = [o for o in spec.scene.objects if o.count > 1]
        assert counted, spec
        text = spec.instruction.lower()
        for obj in counted:
            said = {number_word(obj.count), str(obj.count)}
            assert any(f"{n} " in text for n in said), (obj, spec.instruction)
            assert lexicon.plural(obj.name, obj.count).lower() in text, (obj, spec.instruction)


# --- errors from builders and templates --------------------------------------------------


def _user_taxonomy(tmp_path, text=USER_SUBTASK):
    return load_taxonomy(write_taxonomy(tmp_path, {"mine.yaml": text}))


def test_registry_lists_builders_and_close_names():
    assert "slots" in builder_names()
    with pytest.raises(KeyError, match="did you mean: slots|did you mean slots"):
        get_builder("slot")


def test_unknown_builder_names_file_and_close_matches(tmp_path):
    tax = _user_taxonomy(tmp_path, USER_SUBTASK.replace("builder: slots", "builder: slotz"))
    with pytest.raises(TaxonomyError) as info:
        compile_subtask(tax.subtask("animal_counting"))
    msg = str(info.value)
    assert "mine.yaml" in msg and "animal_counting" in msg and "slotz" in msg and "slots" in msg


def test_template_with_unknown_slot_is_rejected_before_sampling(tmp_path):
    tax = _user_taxonomy(tmp_path, USER_SUBTASK.replace("all {{ mood }}", "all {{ moood }}"))
    with pytest.raises(TaxonomyError) as info:
        compile_subtask(tax.subtask("animal_counting"))
    msg = str(info.value)
    assert "'ac_a'" in msg and "moood" in msg and "mood" in msg and "mine.yaml" in msg


def test_unknown_filter_is_rejected(tmp_path):
    tax = _user_taxonomy(tmp_path, USER_SUBTASK.replace("animal|plural(n)", "animal|plurals(n)"))
    with pytest.raises(TaxonomyError, match="plurals"):
        compile_subtask(tax.subtask("animal_counting"))


def test_bad_slot_params_name_the_key(tmp_path):
    tax = _user_taxonomy(tmp_path, USER_SUBTASK.replace("n: {count: [2, 9]}", "n: {count: [9, 2]}"))
    with pytest.raises(TaxonomyError, match=r"params: .*slots\.n\.count"):
        compile_subtask(tax.subtask("animal_counting"))


def test_slot_from_unknown_pool_fails_naming_subtask(tmp_path):
    tax = _user_taxonomy(tmp_path, USER_SUBTASK.replace("pool: colours", "pool: colors"))
    with pytest.raises(BuildError, match=r"animal_counting.*slots.*colors"):
        sample("animal_counting", 3, taxonomy=tax)


def test_user_subtask_with_the_slots_builder(tmp_path):
    """A YAML-only subtask samples, with its scene built from the slots."""
    tax = _user_taxonomy(tmp_path)
    pools = load_pools()
    specs = sample("animal_counting", 40, seed=1, taxonomy=tax)
    assert len(specs) == 40
    for spec in specs:
        n = spec.slots["n"]
        assert 2 <= n <= 9
        animal = pools.get("objects", spec.slots["animal"])
        assert animal.category == "animal"
        [obj] = spec.scene.objects
        assert (obj.name, obj.count) == (animal.name, n)
        assert obj.colour == pools.get("colours", spec.slots["colour"]).name
        assert plural(animal.name, n) in spec.instruction


def test_render_text_cleans_up():
    assert render_text("{{ x|a }} ,next to {{ y|count_phrase(3) }} .", x="owl", y="mouse") == "An owl, next to three mice."


@register("test_records_counting", params=("first",))
def _counting_records(ctx):
    """A user builder that makes records: ``first`` + a random 0..999 mugs (< 1 is invalid)."""
    n = ctx.params["first"] + int(ctx.rng.random() * 1000)
    return Built(slots={"n": n}, words={}, scene=Scene.record(objects=[SceneObject.record(name="mug", count=n)]))


RECORDS_SUBTASK = """\
domain: spatial_reasoning
subtasks:
  - id: mug_counting
    name: Mug Counting
    target: 100
    definition: Draw exactly n mugs.
    boundary: {includes: [mugs], excludes: [cups]}
    difficulty: {1: any number}
    builder: test_records_counting
    params: {first: FIRST}
    templates:
      - {id: mc_a, text: "Exactly {{ n }} mugs."}
      - {id: mc_b, text: "{{ n }} mugs on a shelf."}
      - {id: mc_c, text: "A shelf with {{ n }} mugs."}
      - {id: mc_d, text: "Draw {{ n }} mugs in a row."}
      - {id: mc_e, text: "There are {{ n }} mugs here."}
"""


def test_invalid_records_are_caught_on_the_first_item(tmp_path):
    """Builders' records are not validated one by one: the first item of a grade is, so a
    builder that builds invalid specs fails at once, naming subtask, builder and seed."""
    good = _user_taxonomy(tmp_path / "good", RECORDS_SUBTASK.replace("FIRST", "1"))
    specs = sample("mug_counting", 5, seed=1, taxonomy=good)
    assert [s.scene.objects[0].count for s in specs] == [s.slots["n"] for s in specs]
    bad = _user_taxonomy(tmp_path / "bad", RECORDS_SUBTASK.replace("FIRST", "-1000"))
    with pytest.raises(BuildError, match=r"(?s)mug_counting.*test_records_counting.*invalid spec.*seed \d+.*count"):
        sample("mug_counting", 5, seed=1, taxonomy=bad)


@pytest.mark.parametrize("model", [SceneObject, Relation, SpecText, Scene, Edit, Turn, Reference])
def test_records_are_what_the_models_dump(model):
    """Model.record(**fields) is model(**fields).model_dump(exclude_none=True), key order included."""
    part = {SceneObject: dict(name="mug", colour="red", attributes={"texture": "matte"}),
            Relation: dict(subject=0, relation="left_of", object=1),
            SpecText: dict(text="Open", role="sign", on=0),
            Scene: dict(description="A mug.", objects=[SceneObject(name="mug")], background="kitchen", panels=2),
            Edit: dict(op="add", instruction="Add a mug.", object=SceneObject(name="mug"), anchor=0),
            Turn: dict(instruction="Remove it.", edits=[Edit(op="remove", target=0)]),
            Reference: dict(scene=Scene(objects=[SceneObject(name="hat")]))}[model]
    as_records = {k: (v.model_dump(exclude_none=True) if hasattr(v, "model_dump") else
                      [x.model_dump(exclude_none=True) for x in v] if isinstance(v, list) and v and hasattr(v[0], "model_dump") else v)
                  for k, v in part.items()}
    dumped = model(**part).model_dump(exclude_none=True)
    record = model.record(**as_records)
    assert record == dumped and list(record) == list(dumped)
    for name, f in model.model_fields.items():  # a list or dict default is a new one per record
        if f.default_factory is not None and name not in as_records:
            assert record[name] is not model.record(**as_records)[name], name
    with pytest.raises(TypeError, match="colour_name"):
        model.record(**as_records, colour_name="red")


def test_draw_lines_are_the_specs_json():
    """A draw's JSON lines (records, orjson) are byte for byte what its validated specs write."""
    tax, pools = load_taxonomy(), load_pools()
    for sid in subtask_ids():
        cs = compile_subtask(tax.subtask(sid))
        made = draw(cs, pools, split(30, cs.subtask.mix()), seed=3)
        assert made.json_lines() == [s.to_json() for s in made.specs()], sid


def test_plan_validate_checks_every_line(tmp_path, capsys):
    """Drawing checks each grade's first item only; ``ogi plan --validate`` checks every line."""
    folder = write_taxonomy(tmp_path / "tax", {"mine.yaml": RECORDS_SUBTASK.replace("FIRST", "-4")})  # ~1 in 200 invalid
    args = ["plan", "--total", "300", "--subtasks", "mug_counting", "--taxonomy", str(folder), "--quiet", "--workers", "1"]
    unchecked = tmp_path / "unchecked.jsonl"
    assert main([*args, "--out", str(unchecked)]) == 0
    counts = [json.loads(line)["scene"]["objects"][0]["count"] for line in unchecked.read_text().splitlines()]
    assert counts[0] >= 1 and min(counts) < 1  # the first item is valid, a later one is not
    checked = tmp_path / "checked.jsonl"
    assert main([*args, "--out", str(checked), "--validate"]) == 2
    assert re.search(r"(?s)mug_counting.*item \d+ of its draw is not a valid spec.*count", capsys.readouterr().err)
    assert not checked.exists()


COLOUR_PAIR_SUBTASK = """\
domain: spatial_reasoning
subtasks:
  - id: colour_pair
    name: Colour Pair
    target: 100
    definition: Two objects of given colours side by side.
    boundary: {includes: [colours], excludes: [counts]}
    difficulty: {1: two objects, 2: two objects in a setting}
    builder: colour_pair
    templates:
      - {id: cp_a, text: "{{ first|cap }} next to {{ second }}{{ ' ' ~ scene if scene }}."}
      - {id: cp_b, text: "Show {{ first }} beside {{ second }}{{ ' ' ~ scene if scene }}."}
      - {id: cp_c, text: "{{ first|cap }} and {{ second }} side by side{{ ' ' ~ scene if scene }}."}
      - {id: cp_d, text: "Put {{ first }} near {{ second }}{{ ' ' ~ scene if scene }}."}
      - {id: cp_e, text: "Draw {{ first }} close to {{ second }}{{ ' ' ~ scene if scene }}."}
"""


def test_the_readme_builder_example_works(tmp_path):
    """The newcomer's example in the README's layout section is a working builder."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Writing a builder for a new subtask", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    module_file = tmp_path / "readme_colour_pair.py"
    module_file.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("readme_colour_pair", module_file)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))  # registers "colour_pair"
    tax = load_taxonomy(write_taxonomy(tmp_path / "tax", {"mine.yaml": COLOUR_PAIR_SUBTASK}))
    specs = sample("colour_pair", 20, seed=0, taxonomy=tax)
    assert len({s.instruction for s in specs}) == 20
    for s in specs:
        names = [o.name for o in s.scene.objects]
        assert len(names) == 2 and all(n in s.instruction for n in names), s.instruction
        assert (s.scene.background is None) == (s.difficulty == 1)
