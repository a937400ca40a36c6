"""Shared by the definition-layer tests: cached samples of every subtask, temp taxonomies."""
from __future__ import annotations

import functools
import textwrap
from pathlib import Path

import pytest

from ogi_toolkit.definition.taxonomy import load_taxonomy
from ogi_toolkit.paths import TAXONOMY_DIR

SAMPLES_PER_SUBTASK = 200  # the same draw test_templates checks for 200 distinct: built once


@functools.lru_cache(maxsize=None)
def samples(subtask_id: str, n: int, seed: int = 0, difficulty: int | None = None) -> tuple:
    from ogi_toolkit.templates.sampler import sample

    return tuple(sample(subtask_id, n, seed=seed, difficulty=difficulty))


def subtask_ids() -> list[str]:
    return [s.id for s in load_taxonomy().subtasks]


@pytest.fixture(scope="session")
def all_subtask_samples() -> list:
    """A mixed-difficulty sample of every subtask that builds (broken ones fail elsewhere)."""
    out = []
    for sid in subtask_ids():
        try:
            out += samples(sid, SAMPLES_PER_SUBTASK)
        except (KeyError, ValueError):
            continue  # reported by test_templates.py::test_subtask_samples_200_distinct
    if not out:
        pytest.fail("no subtask could be sampled")
    return out


def write_taxonomy(folder: Path, files: dict[str, str], domains: bool = True) -> Path:
    """A temp taxonomy folder: the project's domains.yaml plus ``files`` (dedented YAML)."""
    folder.mkdir(parents=True, exist_ok=True)
    if domains:
        (folder / "domains.yaml").write_text((TAXONOMY_DIR / "domains.yaml").read_text())
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    return folder


USER_SUBTASK = """\
domain: spatial_reasoning
subtasks:
  - id: animal_counting
    name: Animal Counting
    target: 300
    definition: Draw exactly n animals of one kind.
    boundary: {includes: [counts of one animal kind], excludes: [mixed kinds]}
    difficulty: {1: two to four animals, 2: five to nine animals}
    builder: slots
    params:
      slots:
        animal: {pool: objects, where: {category: animal}, count: n}
        colour: {pool: colours, of: animal}
        n: {count: [2, 9]}
        mood: {choice: [calm, busy]}
    templates:
      - {id: ac_a, text: "{{ n|number_word|cap }} {{ colour }} {{ animal|plural(n) }}, all {{ mood }}."}
      - {id: ac_b, text: "Draw exactly {{ n }} {{ animal|plural(n) }} in {{ colour|a }} shade", difficulty: [2]}
      - {id: ac_c, text: "A picture of {{ n }} {{ colour }} {{ animal|plural(n) }}.", difficulty: [2]}
      - {id: ac_d, text: "{{ n|number_word|cap }} {{ animal|plural(n) }}, each one {{ colour }} and {{ mood }}.", difficulty: [2]}
      - {id: ac_e, text: "Show {{ n }} {{ mood }} {{ animal|plural(n) }} coloured {{ colour }}.", difficulty: [2]}
"""


def paper_counts(kind: str) -> dict[str, int]:
    """The paper's sample count of each subtask name of ``kind`` (Tables 9-10, shipped copy)."""
    import csv

    from ogi_toolkit.paths import PACKAGE_DIR

    path = PACKAGE_DIR / "figures" / "data" / "tables9_10_taxonomy_counts.csv"
    with open(path, encoding="utf-8") as fh:
        return {row["subtask"]: int(row["samples"]) for row in csv.DictReader(fh) if row["kind"] == kind}
