"""A small real dataset for the curation and export tests: planned from the taxonomy and drawn
by the offline sketch renderer (tiny images, so it is quick), made once per test session."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from ogi_toolkit.generate import run_plan
from ogi_toolkit.planning import plan

# generation, single edits, reference edits and multi-turn chains, in uneven numbers
COUNTS = {"photographic_styles": 24, "containment": 14, "remove": 20, "replace": 10, "reference_image": 5,
          "two_turns": 5}
SIZE = 64


def make_sketch_dataset(root: Path, counts: dict[str, int] = COUNTS, seed: int = 3) -> Path:
    specs = plan(counts=counts, seed=seed)
    summary = run_plan(specs, root, backend="sketch", size=f"{SIZE}x{SIZE}", progress=False)
    assert summary.done >= 0.9 * sum(counts.values()), summary  # a rare renderer error is tolerated
    return root


def copy_dataset(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest, symlinks=True)
    return dest


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
