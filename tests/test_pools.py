"""The resource pools: every file loads, is rich enough, consistent, and bad files fail clearly."""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from ogi_toolkit.definition.pool_items import PLOT_CURVES, SCHEMAS, SKETCH_TREATMENTS, letters_outside_script
from ogi_toolkit.definition.pool_readme import write_readmes
from ogi_toolkit.definition.pools import PoolError, load_pools
from ogi_toolkit.paths import POOLS_DIR

SCIENCE = ["mathematics", "ecology", "astronomy", "biological", "culture_and_history",
           "earth_science", "mechanical_engineering", "physics"]


@pytest.fixture(scope="module")
def pools():
    return load_pools()


# ------------------------------------------------------------------ loading and the API

def test_every_pool_file_loads(pools):
    files = sorted(p.stem for p in POOLS_DIR.glob("*/*.yaml"))
    assert pools.names() == files
    for name in SCIENCE + ["objects", "categories", "relations", "actions", "colours", "materials",
                           "textures", "sizes", "scenes", "lighting", "camera", "styles", "texts",
                           "causal", "temporal", "trajectories"]:
        assert name in pools, name


def test_load_pools_is_cached(pools):
    assert load_pools() is pools


def test_get_by_id_and_by_name(pools):
    assert pools.get("objects", "apple").article == "an"
    assert pools.get("objects", "Pair of Glasses").id == "glasses"
    with pytest.raises(KeyError, match="apple"):
        pools.get("objects", "aple")
    with pytest.raises(KeyError, match="objects"):
        pools["object"]


def test_filter_any_of_callable_and_membership(pools):
    animals = pools.filter("objects", category="animal")
    assert animals and all(o.category == "animal" for o in animals)
    either = pools.filter("objects", category=["animal", "bird"])
    assert len(either) == len(animals) + pools.count("objects", category="bird")
    tiny = pools.filter("objects", size_class=lambda s: s == "tiny")
    assert tiny and all(o.size_class == "tiny" for o in tiny)
    movers = pools.filter("actions", agents="vehicle")
    assert movers and all("vehicle" in a.agents for a in movers)
    with pytest.raises(KeyError, match="no field 'colour'"):
        pools.filter("objects", colour="red")


def test_sample_is_deterministic_distinct_and_honours_exclude(pools):
    first = pools.sample(np.random.default_rng(7), "objects", k=5, animate=True)
    again = pools.sample(np.random.default_rng(7), "objects", k=5, animate=True)
    assert first == again
    assert len({o.id for o in first}) == 5
    kept = pools.sample(np.random.default_rng(1), "objects", k=3, exclude=("cat", "dog"), category="animal")
    assert not {"cat", "dog"} & {o.id for o in kept}


def test_sample_too_few_names_pool_and_filter(pools):
    n = pools.count("objects", category="celestial")
    with pytest.raises(ValueError, match=r"objects.*celestial.*needed"):
        pools.sample(np.random.default_rng(0), "objects", k=n + 1, category="celestial")


def test_holdable_defaults_from_size_and_category_defaults(pools):
    assert pools.get("objects", "mouse").holdable is True
    assert pools.get("objects", "cat").animate and pools.get("objects", "cat").agent == "animal"
    assert pools.get("objects", "firefighter").person


# ------------------------------------------------------------------ bad files

def _pool_dir(tmp_path: Path, text: str, name: str = "objects", group: str = "objects") -> Path:
    """A copy of the project's pools with one file replaced by ``text``."""
    root = tmp_path / "pools"
    shutil.copytree(POOLS_DIR, root)
    (root / group / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


HEADER = "pool: {name}\ndescription: test\nsource: test\nitems:\n"


@pytest.mark.parametrize("item, expected", [
    ("{id: lamp, name: lamp, plural: lamps, article: the, category: household, size_class: small}",
     r"item 0 .*'lamp'.*field 'article'.*'a', 'an' or 'some'"),
    ("{id: lamp, name: lamp, plural: lamps, article: a, category: househld, size_class: small}",
     r"item 0 .*'lamp'.*field 'category'.*unknown category 'househld'.*household"),
    ("{id: lamp, name: lamp, plural: lamps, article: a, category: household, size_class: small, colour: red}",
     r"item 0 .*'lamp'.*field 'colour'.*unknown field"),
    ("{id: lamp, name: lamp, article: a, category: household, size_class: small}",
     r"item 0 .*'lamp'.*field 'plural'.*required"),
    ("{id: lamp, name: lamp, plural: lamps, article: a, category: household, size_class: small, materials: [wod]}",
     r"item 0 id 'lamp'.*field 'materials'.*'wod' is not an id of pool 'materials'.*wood"),
    ("{id: Lamp, name: lamp, plural: lamps, article: a, category: household, size_class: small}",
     r"item 0 .*field 'id'.*pattern"),
])
def test_bad_object_fails_naming_file_item_and_field(tmp_path, item, expected):
    root = _pool_dir(tmp_path, HEADER.format(name="objects") + f"  - {item}\n")
    with pytest.raises(PoolError, match=expected) as err:
        load_pools(root)
    assert "objects.yaml" in str(err.value)


def test_duplicate_id_is_reported_with_both_items(tmp_path):
    line = "  - {id: lamp, name: %s, plural: lamps, article: a, category: household, size_class: small}\n"
    root = _pool_dir(tmp_path, HEADER.format(name="objects") + line % "lamp" + line % "desk lamp")
    with pytest.raises(PoolError, match=r"objects.yaml: item 1 \(line 6\) id 'lamp': field 'id': duplicate id 'lamp' \(first at item 0\)"):
        load_pools(root)


def test_bad_hex_is_reported(tmp_path):
    root = _pool_dir(tmp_path, HEADER.format(name="colours") + '  - {id: red, name: red, hex: "#GG0000", family: red}\n',
                     name="colours", group="qualifiers")
    with pytest.raises(PoolError, match=r"colours.yaml: item 0 .*'red'.*field 'hex'.*#GG0000"):
        load_pools(root)


def test_duplicate_yaml_key_and_wrong_pool_name(tmp_path):
    root = _pool_dir(tmp_path, HEADER.format(name="textures") + "  - {id: a, name: a, name: b}\n",
                     name="textures", group="qualifiers")
    with pytest.raises(PoolError, match=r"textures.yaml.*duplicate key 'name'"):
        load_pools(root)
    root2 = _pool_dir(tmp_path / "2", HEADER.format(name="texturez") + "  - {id: a, name: a}\n",
                      name="textures", group="qualifiers")
    with pytest.raises(PoolError, match=r"'pool' is 'texturez' but must equal the file name 'textures'"):
        load_pools(root2)


def test_bad_script_unknown_patient_and_broken_chain_are_reported(tmp_path):
    # "Bход" starts with a Latin B: looks Cyrillic, is not.
    root = _pool_dir(tmp_path, HEADER.format(name="texts")
                     + '  - {id: ru_vkhod, text: "Bход", language: ru, script: Cyrl, kind: sign, gloss: Entrance}\n',
                     name="texts", group="texts")
    with pytest.raises(PoolError, match=r"texts.yaml: item 0 .*'ru_vkhod'.*outside script 'Cyrl': 'B'"):
        load_pools(root)
    actions = (POOLS_DIR / "relations" / "actions.yaml").read_text(encoding="utf-8")
    bad = actions.replace("patient: [fruit, vegetable, food], synonyms: [munching on", "patient: [fod], synonyms: [munching on")
    assert bad != actions
    root = _pool_dir(tmp_path / "2", bad, name="actions", group="relations")
    with pytest.raises(PoolError, match=r"actions.yaml: item \d+ id 'eat': field 'patient': 'fod' is not an id of pool 'categories'.*food"):
        load_pools(root)
    root = _pool_dir(tmp_path / "3", HEADER.format(name="causal")
                     + "  - {id: c, name: c, type: chain, cause: a, effect: b, chain: [one]}\n",
                     name="causal", group="scenarios")
    with pytest.raises(PoolError, match=r"causal.yaml: item 0 .*'c'.*2-4 steps"):
        load_pools(root)


@pytest.mark.parametrize("fields, expected", [
    ('kind: plot, curve: sinus', r"field 'curve'.*'linear', 'proportional'"),
    ('kind: plot, curve: linear, axes: [time]', r"field 'axes.1': Field required"),
    ('kind: diagram, curve: linear', r"only plots have a 'curve' or 'axes' \(this one is a 'diagram'\)"),
])
def test_bad_plot_curve_or_axes_fails_naming_file_item_and_field(tmp_path, fields, expected):
    item = f'{{id: hooke, name: "a spring law", {fields}, labels: [extension, force], description: d}}'
    root = _pool_dir(tmp_path, HEADER.format(name="physics") + f"  - {item}\n", name="physics", group="science")
    with pytest.raises(PoolError, match=r"physics.yaml: item 0 .*'hooke'.*" + expected):
        load_pools(root)


# ------------------------------------------------------------------ sizes and coverage

MINIMUM = {"objects": 400, "actions": 100, "colours": 30, "materials": 30, "scenes": 60, "lighting": 20,
           "camera": 20, "texts": 200, "causal": 60, "temporal": 100, "trajectories": 20,
           **{name: 50 for name in SCIENCE}}


@pytest.mark.parametrize("pool, minimum", sorted(MINIMUM.items()))
def test_pools_meet_their_minimum_sizes(pools, pool, minimum):
    assert len(pools[pool]) >= minimum


def test_objects_span_categories_sizes_people_and_containers(pools):
    objects = pools["objects"]
    assert len({o.category for o in objects}) >= 25
    assert {o.category for o in objects} == {c.id for c in pools["categories"]}
    assert {o.size_class for o in objects if o.container} == {"tiny", "small", "medium", "large", "huge"}
    genders = Counter(o.gender for o in objects if o.person)
    assert genders["neutral"] >= 20 and genders["female"] >= 10 and genders["male"] >= 10
    assert all(o.gender for o in objects if o.person)


def test_styles_cover_the_four_families_and_the_papers_examples(pools):
    styles = pools["styles"]
    families = Counter(s.family for s in styles)
    assert set(families) == {"artistic_traditions", "media_illustration", "photographic", "speculative_fantasy"}
    assert min(families.values()) >= 25
    assert all(s.sketch_treatment in SKETCH_TREATMENTS for s in styles)
    paper = {s.name for s in styles if s.paper_example}
    assert paper == {"Impressionism", "Post-Impressionism", "Cubism", "Ukiyo-e", "Ink Wash",
                     "Traditional Chinese Painting", "Graffiti", "Ghibli-like", "Pixar-like",
                     "Classic Animation", "Manga", "Pixel Art", "Block-Based Art", "Mosaic",
                     "Sketch/Line Art", "Analog Film", "HDR", "Monochrome", "Ethereal/Dreamlike",
                     "Vintage/Retro", "Cyberpunk", "Steampunk", "Cosmic/Space Opera", "Digital Futurism"}


def test_texts_span_languages_scripts_and_kinds(pools):
    texts = pools["texts"]
    assert {"Latn", "Cyrl", "Grek", "Arab", "Hebr", "Deva", "Hans", "Jpan", "Kore"} <= {t.script for t in texts}
    assert len({t.language for t in texts}) >= 8
    kinds = Counter(t.kind for t in texts)
    for kind in ("menu", "price", "name", "label"):
        assert kinds[kind] >= 20, kind
    short = [t for t in texts if t.kind in ("sign", "brand", "slogan", "label", "warning", "greeting")
             and len(t.text.split()) <= 4]
    assert len(short) >= 60


def test_causal_scenarios_have_every_type_and_valid_chains(pools):
    causal = pools["causal"]
    assert Counter(c.type for c in causal) == {"explicit": 42, "implicit": 42, "chain": 42}
    assert all(2 <= len(c.chain) <= 4 for c in causal if c.type == "chain")
    assert {len(c.chain) for c in causal if c.type == "chain"} >= {2, 3, 4}


# ------------------------------------------------------------------ one copy of every list

def test_each_item_model_backs_one_pool_and_science_concepts_are_unique(pools):
    models = Counter(type(pools[n][0]).__name__ for n in pools.names() if pools.group(n) != "science")
    assert all(count == 1 for count in models.values()), models
    assert {type(pools[n][0]) for n in SCIENCE} == {SCHEMAS["concepts"]}
    ids = [c.id for n in SCIENCE for c in pools[n]]
    names = [c.name.lower() for n in SCIENCE for c in pools[n]]
    assert len(ids) == len(set(ids)) and len(names) == len(set(names))


def test_every_plot_concept_names_its_curve_and_distinct_axis_titles(pools):
    plots = [c for n in SCIENCE for c in pools[n] if c.kind == "plot"]
    assert len(plots) >= 30
    assert [c.id for c in plots if c.curve not in PLOT_CURVES] == []
    for concept in plots:
        x_title, y_title = concept.axes or concept.labels[:2]
        assert x_title != y_title and x_title.strip() and y_title.strip(), concept.id
    assert all(c.curve is None and c.axes is None for n in SCIENCE for c in pools[n] if c.kind != "plot")


def test_readmes_are_current_and_state_the_real_counts(pools):
    assert write_readmes(pools, check=True) == [], "run: python -m ogi_toolkit.definition.pools --readme"
    for name in pools.names():
        readme = (pools.files[name].parent / "README.md").read_text(encoding="utf-8")
        assert f"| `{name}.yaml` | {len(pools[name])} |" in readme


def test_readme_check_reports_a_stale_readme(tmp_path):
    root = tmp_path / "pools"
    shutil.copytree(POOLS_DIR, root)
    readme = root / "styles" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("| `styles.yaml` |", "| `styles.yaml` | 1 |"))
    pools = load_pools(root)
    assert write_readmes(pools, check=True) == [readme]
    write_readmes(pools)
    assert write_readmes(pools, check=True) == []


# ------------------------------------------------------------------ grammar of the object pool

VOWEL_SOUND_CONSONANTS = ("hour", "honest", "honour", "heir")
CONSONANT_SOUND_VOWELS = ("uni", "use", "usu", "uk", "eu", "one", "once", "ewe")
LETTERS_WITH_VOWEL_NAMES = set("AEFHILMNORSX")  # "an F", "an X-ray" / "a USB stick"


def _expected_article(phrase: str) -> str:
    """An independent phonetic oracle for a/an (no pool data involved)."""
    word = phrase.split()[0]
    head = word.split("-")[0]
    if head.isupper() and (len(head) > 1 or word != head):  # letters read by name: USB, X-ray
        return "an" if head[0] in LETTERS_WITH_VOWEL_NAMES else "a"
    lower = word.lower()
    if lower.startswith(VOWEL_SOUND_CONSONANTS):
        return "an"
    if lower[0] in "aeiou" and not lower.startswith(CONSONANT_SOUND_VOWELS):
        return "an"
    return "a"


def test_phonetic_oracle_on_known_cases():
    cases = {"apple": "an", "hourglass": "an", "unicorn": "a", "umbrella": "an", "uniform": "a",
             "ukulele": "a", "urn": "an", "USB stick": "a", "honest man": "an", "egg cup": "an",
             "European robin": "a", "one-eyed cat": "a", "hedgehog": "a", "X-ray": "an"}
    assert {phrase: _expected_article(phrase) for phrase in cases} == cases


@pytest.mark.parametrize("pool", ["objects", "surfaces", "layouts", "presentations"])
def test_articles_agree_with_pronunciation(pools, pool):
    wrong = [(i.name, i.article) for i in pools[pool]
             if i.article != "some" and i.article != _expected_article(i.name)]
    assert not wrong


IRREGULAR = {"mouse": "mice", "child": "children", "person": "people", "man": "men", "woman": "women",
             "goose": "geese", "ox": "oxen", "foot": "feet", "tooth": "teeth", "cactus": "cacti",
             "nebula": "nebulae", "amphora": "amphorae", "pegasus": "pegasi", "die": "dice"}
INVARIANT = {"sheep", "deer", "moose", "fish", "goldfish", "clownfish", "pufferfish", "swordfish",
             "angelfish", "jellyfish", "starfish", "squid", "shrimp", "samurai", "rice", "spaghetti",
             "popcorn", "sushi", "honey"}
F_TO_VES = {"knife", "leaf", "loaf", "scarf", "shelf", "wolf", "werewolf", "elf", "bookshelf"}
NOT_MAN = {"ottoman", "talisman"}  # end in -man but take -s
SPELLED_OUT = {"bird's nest": "birds' nests", "message in a bottle": "messages in bottles",
               "coconut with a straw": "coconuts with straws", "mortar and pestle": "mortars and pestles",
               "jack-in-the-box": "jacks-in-the-box"}
O_TO_OES = {"tomato", "potato", "mango"}
NAIVE_MISTAKES = {"mouses", "sheeps", "knifes", "childs", "mans", "womans", "gooses", "cactuses",
                  "leafs", "loafs", "wolfs", "deers", "oxes", "fishes", "persons"}


def _head_index(words: list[str]) -> int:
    """The noun that takes the plural: "pair of shoes" -> "pair"; "polar bear" -> "bear"."""
    return words.index("of") - 1 if "of" in words[1:] else len(words) - 1


def _plural_of(noun: str) -> str:
    lower = noun.lower()
    if lower in IRREGULAR:
        return IRREGULAR[lower]
    if lower in INVARIANT:
        return noun
    if lower.endswith("man") and lower not in NOT_MAN:  # man, woman, fireman, policewoman...
        return noun[:-3] + "men"
    if lower in F_TO_VES:
        return noun[:-2] + "ves" if noun.endswith("fe") else noun[:-1] + "ves"
    if lower in O_TO_OES or lower.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if lower.endswith("y") and lower[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def test_plurals_follow_english_rules_and_irregular_forms(pools):
    wrong = []
    for obj in pools["objects"]:
        words, plural = obj.name.split(), obj.plural.split()
        head = _head_index(words)
        expected = words[:head] + [_plural_of(words[head])] + words[head + 1:]
        if obj.name in SPELLED_OUT:  # compounds whose plural the head rule cannot find
            expected = SPELLED_OUT[obj.name].split()
        if plural != expected:
            wrong.append((obj.name, obj.plural, " ".join(expected)))
    assert not wrong
    assert not NAIVE_MISTAKES & {w.lower() for o in pools["objects"] for w in o.plural.split()}
    assert pools.get("objects", "mouse").plural == "mice" and pools.get("objects", "cactus").plural == "cacti"


# ------------------------------------------------------------------ cross-references and agents

def test_object_materials_colours_and_actions_reference_existing_ids(pools):
    materials = {m.id for m in pools["materials"]}
    colours = {c.id for c in pools["colours"]}
    actions = {a.id for a in pools["actions"]}
    for obj in pools["objects"]:
        assert set(obj.materials) <= materials, obj.id
        assert set(obj.colours) <= colours, obj.id
        assert set(obj.can) <= actions, obj.id
    assert sum(len(o.materials) >= 2 for o in pools["objects"]) >= 120


def test_every_action_has_valid_agents_and_somebody_to_do_it(pools):
    categories = {c.id for c in pools["categories"]}
    for action in pools["actions"]:
        assert set(action.agents) <= {"person", "animal", "vehicle", "machine", "object"}
        assert set(action.categories) <= categories and set(action.patient or ()) <= categories
        assert pools.agents_for(action.id), f"nobody can {action.id}"
        assert bool(pools.patients_for(action.id)) == action.transitive, action.id
        for form in (action.ing, action.third, action.past):  # only the verb changes
            assert form.split()[1:] == action.name.split()[1:], (action.id, form)
        assert action.ing.split()[0].endswith("ing")


def test_agent_limits_keep_actions_plausible(pools):
    assert "fly" not in {a.id for a in pools.actions_for("dog")}
    assert "bark" in {a.id for a in pools.actions_for("dog")}
    assert "bark" not in {a.id for a in pools.actions_for("pelican")}
    assert "swim" not in {a.id for a in pools.actions_for("eagle")}
    assert {"wave", "sweep"} <= {a.id for a in pools.actions_for("robot")}  # through the robot's `can`
    riders = {o.id for o in pools.patients_for("ride")}
    assert "horse" in riders and "piano" not in riders
    poses = pools.actions_for("girl", transitive=False)
    assert poses and all(not a.transitive for a in poses) and len(poses) >= 30


def test_relations_inverses_are_symmetric_and_phrases_unambiguous(pools):
    relations = pools["relations"]
    for rel in relations:
        if rel.inverse:
            assert pools.get("relations", rel.inverse).inverse == rel.id, rel.id
    phrases = Counter(p for rel in relations for p in rel.phrases)
    assert not [p for p, n in phrases.items() if n > 1]
    groups = {rel.group for rel in relations}
    assert groups == {"planar", "vertical", "depth", "containment", "contact", "comparative", "symmetry"}


def test_scenes_name_plausible_categories(pools):
    categories = {c.id for c in pools["categories"]}
    for scene in pools["scenes"]:
        assert len(scene.categories) >= 4 and set(scene.categories) <= categories, scene.id
        assert pools.count("objects", category=list(scene.categories), countable=True) >= 25


def test_text_letters_belong_to_their_script(pools):
    for text in pools["texts"]:
        assert not letters_outside_script(text.text, text.script), text.id
    assert letters_outside_script("Вход", "Cyrl") == []
    assert letters_outside_script("Bход", "Cyrl") == ["B"]  # Latin B
    assert letters_outside_script("Καλώς", "Latn") == list("Καλώς")
    assert letters_outside_script("ラーメン", "Jpan") == [] and letters_outside_script("라면", "Jpan") == ["라", "면"]


def test_every_text_tone_is_a_tone_with_cues(pools):
    tones = {t.id for t in pools["tones"]}
    assert {t.tone for t in pools["texts"]} <= tones
    assert all(2 <= len(t.cues) <= 4 for t in pools["tones"])


def test_backdrop_phrases_carry_no_containment_or_depth_words(pools):
    """Scenes, lighting and camera phrases go into every subtask, including Relative Position."""
    banned = {p for r in pools["relations"] if r.group in ("containment", "depth") for p in r.phrases} - {"in", "before"}
    for pool in ("scenes", "lighting", "camera"):
        for item in pools[pool]:
            text = f" {item.phrase.lower()} "
            assert not [b for b in banned if f" {b} " in text], (pool, item.id, item.phrase)


def test_every_material_family_has_textures_that_suit_it(pools):
    for family in {m.family for m in pools["materials"]}:
        fitting = [t for t in pools["textures"] if not t.families or family in t.families]
        assert len(fitting) >= 10, family
    assert "fabric" in pools.get("textures", "knitted").families
    assert "plastic" not in pools.get("textures", "rusty").families


def test_objects_named_in_prose(pools):
    """Names found word by word, plurals too, the longest name first, in order of mention."""
    found = pools.objects_named_in("Two geese fly over the oak trees while a crow sips from glasses of lemonade.")
    assert [o.id for o in found] == [pools.get("objects", n).id for n in ("goose", "oak tree", "crow", "glass of lemonade")]
    assert [o.name for o in pools.objects_named_in("a goose, a crow, a goose", limit=1)] == ["goose"]
    assert [o.name for o in pools.objects_named_in("the crow and the goose", skip=frozenset({"crow"}))] == ["goose"]
    assert pools.objects_named_in("nothing here at all") == ()
