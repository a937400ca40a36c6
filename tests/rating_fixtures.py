"""A small rated-dataset setup: a few items of a generation, an edit, a reference edit and a
multi-turn subtask, drawn offline by the sketch renderer."""
from __future__ import annotations

from pathlib import Path

from ogi_toolkit import run_plan, sample

SUBTASKS = ("relative_position", "remove", "reference_image", "two_turns")


def make_rating_dataset(out: Path, per_subtask: int = 2, subtasks=SUBTASKS) -> Path:
    specs = [spec for subtask in subtasks for spec in sample(subtask, per_subtask, seed=0)]
    summary = run_plan(specs, out, progress=False)
    assert summary.done == len(specs), summary
    return out
