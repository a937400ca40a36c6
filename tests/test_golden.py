"""Golden instructions: 10 instructions at seed 0 for every subtask, committed in
``tests/golden/<subtask>.txt``, so any wording drift (a refactor that changes what builders
draw or how templates read) shows up in review as a diff of those files.

When a change is meant to alter the instructions (a new random stream, a reworded template),
regenerate them once and say so in the commit:

    PYTHONPATH=$PWD python tests/test_golden.py
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ogi_toolkit.definition.taxonomy import load_taxonomy
from ogi_toolkit.templates.sampler import sample

GOLDEN = Path(__file__).resolve().parent / "golden"
N, SEED = 10, 0


def golden_text(subtask: str) -> str:
    """One line per instruction: ``[grade|template id] instruction``, as ``ogi sample`` prints."""
    return "".join(f"[{s.difficulty}|{s.template_id}] {s.instruction}\n" for s in sample(subtask, N, seed=SEED))


SUBTASKS = [s.id for s in load_taxonomy().subtasks]


def test_every_subtask_has_a_golden_file():
    assert sorted(p.stem for p in GOLDEN.glob("*.txt")) == sorted(SUBTASKS)


@pytest.mark.parametrize("subtask", SUBTASKS)
def test_instructions_match_the_golden_file(subtask):
    expected = (GOLDEN / f"{subtask}.txt").read_text(encoding="utf-8")
    assert golden_text(subtask) == expected, f"{subtask}: instructions drifted; regenerate with python tests/test_golden.py if meant"


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for sid in SUBTASKS:
        (GOLDEN / f"{sid}.txt").write_text(golden_text(sid), encoding="utf-8")
    print(f"wrote {len(SUBTASKS)} golden files to {GOLDEN}", file=sys.stderr)
