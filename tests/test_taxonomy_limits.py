"""Taxonomy and pool values that were silently accepted (#22 item 5): one template, a target of
``true`` or ``1e20``, a template saying only digits, ``exclude_categories`` naming no category,
a 10,000-character id, and a pool of 55,000 items. Each is refused naming the file."""
from __future__ import annotations

import shutil
import time

import pytest
from definition_helpers import USER_SUBTASK, write_taxonomy

from ogi_toolkit.definition.pool_files import MAX_POOL_ITEMS, PoolError, read_pool_dir
from ogi_toolkit.definition.taxonomy import MIN_TEMPLATES, TaxonomyError, load_taxonomy
from ogi_toolkit.paths import POOLS_DIR, TAXONOMY_DIR
from ogi_toolkit.templates.validate import validate_taxonomy


def load(tmp_path, text: str):
    return validate_taxonomy(load_taxonomy(write_taxonomy(tmp_path / "taxonomy", {"user.yaml": text})))


def test_the_project_taxonomy_has_the_templates_its_readme_asks_for():
    assert "at least 5 different shapes" in (TAXONOMY_DIR / "README.md").read_text() and MIN_TEMPLATES == 5
    assert min(len(s.templates) for s in load_taxonomy().subtasks) >= MIN_TEMPLATES


def test_fewer_templates_than_the_readme_asks_for_are_refused(tmp_path):
    one = "\n".join(line for line in USER_SUBTASK.splitlines() if "id: ac_" not in line or "ac_a" in line) + "\n"
    with pytest.raises(TaxonomyError, match=r"user\.yaml: subtask 'animal_counting': templates: 1 given; .*at least 5"):
        load(tmp_path, one)


@pytest.mark.parametrize("value", ["true", "1e20", "1.0e+20", "100000000000"])
def test_a_target_that_is_not_a_sane_count_is_refused(tmp_path, value):
    with pytest.raises(TaxonomyError, match=r"user\.yaml: subtask 'animal_counting': .*target"):
        load(tmp_path, USER_SUBTASK.replace("target: 300", f"target: {value}"))


def test_a_ten_thousand_character_id_is_refused(tmp_path):
    with pytest.raises(TaxonomyError, match=r"user\.yaml: .*id.*at most 64 characters"):
        load(tmp_path, USER_SUBTASK.replace("id: animal_counting", "id: a" + "b" * 10_000))


def test_a_template_rendering_only_digits_is_refused(tmp_path):
    text = USER_SUBTASK.replace('{id: ac_e, text: "Show', '{id: ac_e, text: "{{ n }}2345", difficulty: [2]}\n      - {id: ac_f, text: "Show')
    with pytest.raises(TaxonomyError, match=r"user\.yaml: subtask 'animal_counting': template 'ac_e' renders no words"):
        load(tmp_path, text)


def test_excluding_a_category_that_does_not_exist_is_refused(tmp_path):
    folder = tmp_path / "taxonomy"
    folder.mkdir()
    shutil.copy(TAXONOMY_DIR / "domains.yaml", folder)
    text = (TAXONOMY_DIR / "spatial_reasoning.yaml").read_text()
    assert "exclude_categories: [celestial, building]" in text
    (folder / "spatial_reasoning.yaml").write_text(text.replace("[celestial, building]", "[celestial, bulding]"))
    with pytest.raises(TaxonomyError, match=r"spatial_reasoning\.yaml: subtask .*unknown categories \['bulding'\]"):
        validate_taxonomy(load_taxonomy(folder))


def test_a_pool_of_too_many_items_is_refused_quickly(tmp_path):
    pools = tmp_path / "pools"
    shutil.copytree(POOLS_DIR, pools)
    with open(pools / "qualifiers" / "colours.yaml", "a", encoding="utf-8") as fh:
        fh.writelines(f"  - {{id: c{i}, name: c}}\n" for i in range(MAX_POOL_ITEMS + 1))
    started = time.monotonic()
    with pytest.raises(PoolError, match=rf"colours\.yaml: [\d,]+ items; a pool file holds at most {MAX_POOL_ITEMS:,}"):
        read_pool_dir(pools)
    assert time.monotonic() - started < 5
