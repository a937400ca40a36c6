"""The resource pools: every file loads, is rich enough, consistent, and bad files fail clearly."""
from __future__ import annotations

import re
import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from ogi_toolkit.definition.pool_items import SCRIPT_LETTERS, SKETCH_TREATMENTS, StyleItem
from ogi_toolkit.definition.pools import PoolError, load_pools, readme_text
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
     r"item 0 .*'lamp'.*field 'colour'.*Extra inputs"),
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
