"""What links the analysis report's projection to the dataset: the relative link to the
dataset's gallery page, and the judge's score as colour classes."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["JUDGE_SCORE_BINS", "gallery_href", "judge_score_class"]


def gallery_href(source: Any, figures: Path) -> str | None:
    """For a dataset folder, the relative link from the figures to its gallery page (written by
    ``ogi gallery DATASET``): the projection's points open their item there."""
    if isinstance(source, pd.DataFrame) or not Path(source).is_dir():
        return None
    from ..dataset.gallery import GALLERY_NAME  # the name only: no gallery code runs

    return Path(os.path.relpath((Path(source) / GALLERY_NAME).resolve(), figures.resolve())).as_posix()


JUDGE_SCORE_BINS = (0.25, 0.5, 0.75)  # the colour classes of the judge's score (0-1)


def judge_score_class(row: dict | None) -> str:
    """A judgment's score as a colour class of the projection ("score 0.50-0.75"; "no score")."""
    score = None if row is None or row.get("error") else row.get("score")
    if not isinstance(score, (int, float)):
        return "no score"
    below = [b for b in JUDGE_SCORE_BINS if score < b]
    if not below:
        return f"score >= {JUDGE_SCORE_BINS[-1]}"
    upper = below[0]
    lower = max([0.0, *[b for b in JUDGE_SCORE_BINS if b < upper]])
    return f"score {lower:.2f}-{upper:.2f}"
