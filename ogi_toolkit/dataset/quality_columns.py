"""Check and judge results as DataFrame columns (joined by ``load_dataset``).

Reads the files ``ogi check`` and ``ogi judge`` leave in a dataset folder through their
validated readers (:mod:`ogi_toolkit.folder.results`), so this layer depends on no checking
code. Columns: ``check_passed`` (bool, NaN when unchecked), ``checks_failed`` (list of failed
check names), ``checks`` (the results), and when judged ``judge_score``, ``judge_passed``,
``judge_model``, ``judge_error``. After ``ogi check --vision``, each whole-image vision score is
a column too (``vision_alignment``, ``vision_directional``, ``vision_kept_similarity``, ...: the
value of the item's last step; per-object rows stay in ``checks``).
"""
from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pandas as pd

from ..folder import read_checks, read_judgments

__all__ = ["join_quality_columns", "quality_columns"]


def _error_kind(error) -> str | None:
    """The judge writes ``{kind, message}``; the column holds the kind (as ``load_judgments`` does)."""
    return error.get("kind") if isinstance(error, dict) else error


def _vision_scores(checks: list) -> dict[str, float]:
    """``vision.x`` rows about the whole image (not one object or relation) as ``vision_x`` numbers."""
    return {c["name"].replace(".", "_"): c["value"] for c in checks
            if c.get("name", "").startswith("vision.") and "object" not in c and "relation" not in c
            and isinstance(c.get("value"), (int, float)) and not isinstance(c.get("value"), bool)}


def quality_columns(root: str | Path, known_ids: Collection[str] | None = None) -> pd.DataFrame:
    """One row per checked or judged id (index ``id``); empty when the folder has neither file."""
    rows: dict[str, dict] = {}
    for item_id, line in read_checks(root, known_ids=known_ids).items():
        rows.setdefault(item_id, {}).update({
            "check_passed": line["passed"],
            "checks_failed": list(dict.fromkeys(c["name"] for c in line.get("checks", []) if c.get("passed") is False)),
            "checks": line.get("checks", []), **_vision_scores(line.get("checks", []))})
    for item_id, line in read_judgments(root, known_ids=known_ids).items():
        rows.setdefault(item_id, {}).update({
            "judge_score": line.get("score"), "judge_passed": line.get("passed"),
            "judge_model": line.get("judge"), "judge_error": _error_kind(line.get("error"))})
    return pd.DataFrame.from_dict(rows, orient="index")


def join_quality_columns(frame: pd.DataFrame, root: str | Path, known_ids: Collection[str] | None = None) -> pd.DataFrame:
    """``frame`` (with an ``id`` column) with the quality columns of ``root`` added, when there are any
    (result lines of ids outside ``known_ids``, the manifest's, are left out with a warning)."""
    extra = quality_columns(root, known_ids)
    if extra.empty or frame.empty:
        return frame
    return frame.join(extra, on="id")
