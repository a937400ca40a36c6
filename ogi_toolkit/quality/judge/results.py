"""Reading ``judgments.jsonl`` back as a table, one row per item, for filtering and notebooks."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...folder import JUDGMENTS_NAME, read_judgments

__all__ = ["load_judgments"]


def load_judgments(path: str | Path) -> pd.DataFrame:
    """``judge_score``, ``judge_passed``, ``judge_error`` (the error kind), ``judge_checklist_yes``
    and one ``judge_<criterion>`` column (0-1) per criterion, indexed by item ``id``.

    ``path`` is the dataset folder or its ``judgments.jsonl``. Items without a judgment have
    NaN scores and their ``judge_error`` set; a folder never judged raises FileNotFoundError.
    """
    path = Path(path)
    file = path / JUDGMENTS_NAME if path.is_dir() else path
    if not file.is_file():
        raise FileNotFoundError(f"no judgments at {file}: run `ogi judge {file.parent}` first")
    rows = []
    for line in read_judgments(file).values():
        row = {"id": line["id"], "judge_model": line.get("judge"), "judge_score": line.get("score"),
               "judge_passed": line.get("passed"), "judge_checklist_yes": line.get("checklist_yes"),
               "judge_error": (line.get("error") or {}).get("kind")}
        row.update({f"judge_{name}": value for name, value in (line.get("criteria") or {}).items()})
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.set_index("id") if not frame.empty else frame
