"""The content-keyed disk cache of parsed YAML and compiled templates."""
import shutil

import pytest

from ogi_toolkit.definition.pools import load_pools
from ogi_toolkit.definition.taxonomy import TaxonomyError, load_taxonomy
from ogi_toolkit.disk_cache import cached
from ogi_toolkit.paths import POOLS_DIR
from definition_helpers import USER_SUBTASK, write_taxonomy


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("OGI_CACHE_DIR", str(folder))
    monkeypatch.delenv("OGI_DISK_CACHE", raising=False)
    return folder


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_value_is_computed_once_per_key(cache_dir):
    compute, calls = counting({"items": [1, 2.5, "x", None, (3, 4)], 7: b"raw"})
    first = cached("demo", ("v1", b"input bytes"), compute)
    again = cached("demo", ("v1", b"input bytes"), compute)
    assert first == again == {"items": [1, 2.5, "x", None, (3, 4)], 7: b"raw"} and len(calls) == 1
    cached("demo", ("v1", b"other bytes"), compute)
    cached("demo", ("v2", b"input bytes"), compute)
    cached("demo", ("v1input", b" bytes"), compute)  # parts are not simply concatenated
    assert len(calls) == 4
    assert len(list((cache_dir / "demo").glob("*.marshal"))) == 4


def test_broken_entries_are_recomputed_and_failures_never_cached(cache_dir):
    compute, calls = counting([1, 2, 3])
    cached("demo", ("k",), compute)
    (entry,) = (cache_dir / "demo").glob("*.marshal")
    entry.write_bytes(b"\x00not marshal")
    assert cached("demo", ("k",), compute) == [1, 2, 3] and len(calls) == 2

    def failing():
        calls.append(1)
        raise ValueError("bad input")

    for _ in range(2):
        with pytest.raises(ValueError, match="bad input"):
            cached("demo", ("bad",), failing)
    assert len(calls) == 4


def test_values_marshal_cannot_store_are_returned_not_stored(cache_dir):
    import datetime

    compute, calls = counting({"day": datetime.date(2026, 11, 27)})
    assert cached("demo", ("date",), compute) == cached("demo", ("date",), compute)
    assert len(calls) == 2 and not list((cache_dir / "demo").glob("*.marshal"))


def test_an_unwritable_cache_costs_only_the_speed_up(cache_dir):
    cache_dir.write_text("a file where the folder should be")  # nothing can be written under it
    compute, calls = counting("value")
    assert cached("demo", ("k",), compute) == cached("demo", ("k",), compute) == "value"
    assert len(calls) == 2


def test_it_can_be_turned_off(cache_dir, monkeypatch):
    monkeypatch.setenv("OGI_DISK_CACHE", "0")
    compute, calls = counting(1)
    cached("demo", ("k",), compute)
    cached("demo", ("k",), compute)
    assert len(calls) == 2 and not cache_dir.exists()


def test_an_edited_pool_file_is_parsed_again(tmp_path, cache_dir):
    pools_copy = tmp_path / "pools"
    shutil.copytree(POOLS_DIR, pools_copy)
    before = load_pools(pools_copy)
    assert list((cache_dir / "yaml").glob("*.marshal"))
    colours = pools_copy / "qualifiers" / "colours.yaml"
    first = before["colours"][0]
    colours.write_text(colours.read_text().replace(f'name: {first.name}', "name: ultramarine dream", 1)
                       .replace(f'name: "{first.name}"', 'name: "ultramarine dream"', 1))
    after = load_pools(pools_copy)
    assert after["colours"][0].name == "ultramarine dream" != first.name
    assert [c.name for c in after["colours"][1:]] == [c.name for c in before["colours"][1:]]


def test_pool_items_from_the_cache_are_the_validated_items(tmp_path, cache_dir, monkeypatch):
    """Validated items are kept by content; restored ones equal a fresh validation, and a
    category's edited defaults reach its objects (they are part of the objects' key)."""
    pools_copy = tmp_path / "pools"
    shutil.copytree(POOLS_DIR, pools_copy)
    load_pools(pools_copy)  # fills the cache
    assert list((cache_dir / "pool-items").glob("*.marshal"))
    cached_pools = load_pools(pools_copy)
    monkeypatch.setenv("OGI_DISK_CACHE", "0")
    fresh = load_pools(pools_copy)
    for name in fresh.names():
        assert cached_pools[name] == fresh[name], name
        assert [type(i) for i in cached_pools[name]] == [type(i) for i in fresh[name]]
    monkeypatch.delenv("OGI_DISK_CACHE")
    categories = pools_copy / "objects" / "categories.yaml"
    text = categories.read_text()
    old = "description: \"mammals, reptiles and amphibians\",\n     defaults: {countable: true, animate: true, person: false, agent: animal}}"
    assert old in text
    categories.write_text(text.replace(old, old.replace("agent: animal", "agent: vehicle")))
    agents = {o.agent for o in load_pools(pools_copy)["objects"] if o.category == "animal"}
    assert "vehicle" in agents and "vehicle" not in {o.agent for o in fresh["objects"] if o.category == "animal"}


def test_a_template_error_is_reported_even_after_good_loads(tmp_path, cache_dir):
    good = write_taxonomy(tmp_path / "good", {"mine.yaml": USER_SUBTASK})
    load_taxonomy(good)
    load_taxonomy(good)  # from the cache
    bad_text = USER_SUBTASK.replace("{{ n", "{{ n }", 1)
    assert bad_text != USER_SUBTASK
    bad = write_taxonomy(tmp_path / "bad", {"mine.yaml": bad_text})
    for _ in range(2):
        with pytest.raises(TaxonomyError, match="bad Jinja2 syntax"):
            load_taxonomy(bad)
