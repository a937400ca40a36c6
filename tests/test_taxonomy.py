"""The taxonomy: the paper's 11 domains and 51 subtasks, and errors for bad files."""
import csv
import re

import pytest
from definition_helpers import USER_SUBTASK, write_taxonomy

from ogi_toolkit.definition.taxonomy import TaxonomyError, UnknownIdError, load_taxonomy
from ogi_toolkit.paths import SHARED_DIR

PAPER_COUNTS = SHARED_DIR / "reference" / "tables" / "tables9_10_taxonomy_counts.csv"


@pytest.fixture(scope="module")
def paper_rows():
    if not PAPER_COUNTS.is_file():
        pytest.skip(f"the paper's Tables 9/10 are not at {PAPER_COUNTS}")
    with open(PAPER_COUNTS, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def test_domains_are_the_papers_eleven(tax, paper_rows):
    paper_domains = list(dict.fromkeys((r["kind"], r["domain"]) for r in paper_rows))
    assert len(paper_domains) == 11
    assert [(d.kind, d.name) for d in tax.domains] == paper_domains


def test_subtasks_are_the_papers_fifty_one(tax, paper_rows):
    """Names, order, domains and target counts equal Tables 9 and 10."""
    ours = [(s.kind, tax.domain(s.domain).name, s.name, s.target) for s in tax.subtasks]
    paper = [(r["kind"], r["domain"], r["subtask"], int(r["samples"])) for r in paper_rows]
    missing = [p[2] for p in paper if p not in ours]
    assert not missing, f"subtasks missing or different from the paper: {missing}"
    assert ours == paper
    assert len(tax) == 51
    assert sum(s.target for s in tax) == 80_700


def test_domain_targets_match_their_subtasks(tax):
    """Each domain's stated total is its subtasks' sum, but for the paper's one inconsistency."""
    for d in tax.domains:
        total = sum(s.target for s in tax.in_domain(d.id))
        if d.id == "scientific_imagery":
            assert (d.target, total) == (10_000, 10_200)  # the paper states 10k; its subtasks add to 10.2k
        else:
            assert d.target == total, d.id


def test_ids_are_snake_case_of_the_paper_names(tax):
    for s in tax:
        simple = re.sub(r"[^a-z0-9]+", "_", s.name.lower()).strip("_")
        number_words = {"2": "two", "3": "three", "4": "four"}
        simple = re.sub(r"^(\d)_", lambda m: number_words[m.group(1)] + "_", simple)
        assert s.id == simple or s.id.endswith(simple) or simple.endswith(s.id), (s.id, s.name)


def test_every_subtask_is_fully_specified(tax):
    """Definition, boundary, >= 2 difficulty grades and >= 5 templates for each of our subtasks."""
    thin = []
    for s in tax:
        if len(s.templates) < 5 or len(s.difficulty) < 2 or not s.boundary.excludes or len(s.definition) < 40:
            thin.append(f"{s.id}: {len(s.templates)} templates, {len(s.difficulty)} grades, "
                        f"{len(s.boundary.excludes)} exclusions, definition {len(s.definition)} chars")
    assert not thin, "\n".join(thin)


def test_frame_has_one_row_per_subtask(tax):
    frame = tax.frame()
    assert list(frame["subtask"]) == [s.id for s in tax]
    assert frame["target"].sum() == sum(s.target for s in tax)
    assert set(frame["kind"]) <= {"generation", "editing"}


def test_unknown_subtask_lists_close_matches(tax):
    with pytest.raises(KeyError) as info:
        tax.subtask("relative_postion")
    assert "relative_position" in str(info.value)
    assert not str(info.value).startswith("'")  # printed as written, not as a quoted repr


def test_user_subtask_file_is_loaded(tmp_path):
    tax = load_taxonomy(write_taxonomy(tmp_path, {"mine.yaml": USER_SUBTASK}))
    sub = tax.subtask("animal_counting")
    assert (sub.domain, sub.kind, sub.builder, sub.grades) == ("spatial_reasoning", "generation", "slots", (1, 2))
    assert sub.mix() == {1: 0.5, 2: 0.5}
    assert sub.file.endswith("mine.yaml")


def _error(tmp_path, files, domains=True) -> str:
    folder = write_taxonomy(tmp_path, files, domains=domains)
    with pytest.raises((TaxonomyError, FileNotFoundError, UnknownIdError)) as info:
        load_taxonomy(folder)
    return str(info.value)


def test_bad_yaml_names_file_and_line(tmp_path):
    msg = _error(tmp_path, {"mine.yaml": "domain: spatial_reasoning\nsubtasks:\n  - id: [unclosed\n"})
    assert "mine.yaml" in msg and "line" in msg and "YAML" in msg


def test_missing_key_names_file_subtask_and_key(tmp_path):
    broken = USER_SUBTASK.replace("    definition: Draw exactly n animals of one kind.\n", "")
    msg = _error(tmp_path, {"mine.yaml": broken})
    assert "mine.yaml" in msg and "'animal_counting'" in msg and "definition" in msg and "Field required" in msg


def test_unknown_key_is_rejected(tmp_path):
    msg = _error(tmp_path, {"mine.yaml": USER_SUBTASK.replace("    target: 300\n", "    target: 300\n    tagret: 3\n")})
    assert "tagret" in msg and "animal_counting" in msg


def test_bad_id_and_target(tmp_path):
    msg = _error(tmp_path, {"mine.yaml": USER_SUBTASK.replace("id: animal_counting", "id: Animal-Counting")})
    assert "id" in msg and "Animal-Counting" in msg and "pattern" in msg
    msg = _error(tmp_path, {"mine.yaml": USER_SUBTASK.replace("target: 300", "target: lots")})
    assert "target" in msg and "lots" in msg


def test_unknown_domain_lists_close_ids(tmp_path):
    msg = _error(tmp_path, {"mine.yaml": USER_SUBTASK.replace("domain: spatial_reasoning", "domain: spatial_reasonin")})
    assert "mine.yaml" in msg and "spatial_reasoning" in msg and "domains.yaml" in msg


def test_duplicate_subtask_id_across_files(tmp_path):
    msg = _error(tmp_path, {"a.yaml": USER_SUBTASK, "b.yaml": USER_SUBTASK})
    assert "b.yaml" in msg and "a.yaml" in msg and "animal_counting" in msg and "unique" in msg


def test_template_grades_must_exist(tmp_path):
    msg = _error(tmp_path, {"mine.yaml": USER_SUBTASK.replace("difficulty: [2]", "difficulty: [2, 5]")})
    assert "ac_b" in msg and "[5]" in msg


def test_bad_jinja_names_template_and_line(tmp_path):
    bad = USER_SUBTASK.replace('text: "Draw exactly {{ n }}', 'text: "Draw exactly {{ n ')
    msg = _error(tmp_path, {"mine.yaml": bad.replace("}} {{ animal|plural(n) }} in", "{{ animal|plural(n) }} in")})
    assert "mine.yaml" in msg and "'animal_counting'" in msg and "'ac_b'" in msg and "line 1" in msg and "Jinja2" in msg


def test_bad_domains_file(tmp_path):
    assert "domains.yaml" in _error(tmp_path, {"x.yaml": USER_SUBTASK}, domains=False)
    msg = _error(tmp_path / "b", {"domains.yaml": "domains:\n  - {id: a, name: A, kind: painting, description: d, target: 1}\n"}, domains=False)
    assert "domains.yaml" in msg and "kind" in msg and "painting" in msg


def test_edited_file_is_reloaded(tmp_path):
    folder = write_taxonomy(tmp_path, {"mine.yaml": USER_SUBTASK})
    assert load_taxonomy(folder).subtask("animal_counting").target == 300
    import os
    import time

    path = folder / "mine.yaml"
    path.write_text(path.read_text().replace("target: 300", "target: 301"))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert load_taxonomy(folder).subtask("animal_counting").target == 301
