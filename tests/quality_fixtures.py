"""A small real sketch dataset for the quality tests: the six text-rendering subtasks (12
generation items with texts), plain generations, local edits, text edits and a two-turn edit,
drawn by the sketch renderer at the demo's size."""
from __future__ import annotations

from pathlib import Path

from ogi_toolkit.generate import run_plan
from ogi_toolkit.planning import plan

COUNTS = {"textual_accuracy": 2, "typography": 2, "structured_text_layout": 2, "text_graphic_integration": 2,
          "multilingual_support": 2, "textual_tone_and_style": 2, "photographic_styles": 2, "add": 2,
          "remove": 2, "replace": 2, "text_replace": 2, "text_remove": 1, "two_turns": 1}


def make_sketch_dataset(root: Path) -> Path:
    specs = plan(counts=COUNTS, seed=3)
    run_plan(specs, root, size="512x512")
    return root
