"""One validated reader per result file of a dataset folder: ``checks.jsonl``, ``judgments.jsonl``,
``ratings.jsonl``. Every consumer (gallery, filter, curation, calibration, agreement, the
DataFrame columns) reads them here, so a hand-edited file is judged the same way everywhere:

* a line that is not a JSON object, an ``id`` that is not a non-empty string, a field of the
  wrong type (``criteria: "x"``, ``checks: "none"``), a score off its range or not finite
  (57, NaN) is a ValueError naming the file and line;
* a torn last line (no newline, not whole JSON: a write cut short) is skipped with a warning;
* lines naming ids the caller does not know (``known_ids``: say, the manifest's) are left out,
  with one warning giving their count;
* the files are append-only: the last line of an id wins (ratings come line by line, for the
  rating panel's own rules: a skip after a rating, an ``undone`` line);
* a missing file is an empty dict ("not run").

Contracts::

    checks.jsonl:     {"id", "passed": bool, "checks": [{"name", "value", "threshold", "passed": bool|null}]}
    judgments.jsonl:  {"id", "judge", "score": 0..1, "passed": bool, "criteria": {name: 0..1}, "questions"}
                      or {"id", "error": {"kind", "message"}} when the judge could not judge the item
    ratings.jsonl:    {"id", "rater", "criteria": {name: whole number, within "scale" {min, max} when given}, "passed": bool|null,
                       "score": 0..1|null, "skipped": bool, ...}
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

from .jsonl import iter_numbered
from .names import CHECKS_NAME, JUDGMENTS_NAME, RATINGS_NAME

__all__ = ["iter_ratings", "read_checks", "read_judgments", "result_path"]


def result_path(folder: str | Path, name: str) -> Path:
    """``folder / name``, or ``folder`` itself when it already is that file."""
    folder = Path(folder)
    return folder / name if folder.is_dir() or folder.name != name else folder


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _unit_score(value: Any, what: str) -> str | None:
    """A problem with a score that must be a finite number from 0 to 1 (None: it is one)."""
    if not _is_number(value) or not 0 <= value <= 1:
        return f"{what} = {value!r}: expected a number from 0 to 1"
    return None


def _check_checks(row: dict[str, Any]) -> str | None:
    if not isinstance(row.get("passed"), bool):
        return f"passed = {row.get('passed')!r}: expected true or false"
    checks = row.get("checks", [])
    if not isinstance(checks, list):
        return f"checks = {checks!r}: expected a list of check results"
    for k, check in enumerate(checks):
        if not isinstance(check, dict) or not isinstance(check.get("name"), str):
            return f"checks[{k}] = {check!r}: expected an object with a string 'name'"
        if check.get("passed") not in (True, False, None):
            return f"checks[{k}].passed = {check.get('passed')!r}: expected true, false or null"
    return None


def _check_judgment(row: dict[str, Any]) -> str | None:
    error = row.get("error")
    if error:
        if not isinstance(error, (dict, str)):
            return f"error = {error!r}: expected an object {{kind, message}}"
        return None
    if not isinstance(row.get("passed"), bool):
        return f"passed = {row.get('passed')!r}: expected true or false, or an 'error'"
    problem = _unit_score(row.get("score"), "score")
    if problem:
        return problem
    criteria = row.get("criteria", {})
    if criteria is None:
        return None
    if not isinstance(criteria, dict):
        return f"criteria = {criteria!r}: expected an object {{criterion: score from 0 to 1}}"
    for name, value in criteria.items():
        problem = _unit_score(value, f"criteria.{name}")
        if problem:
            return problem
    return None


def _check_rating(row: dict[str, Any]) -> str | None:
    if not isinstance(row.get("rater"), str) or not row["rater"].strip():
        return f"rater = {row.get('rater')!r}: expected a non-empty name"
    if row.get("passed") not in (True, False, None):
        return f"passed = {row.get('passed')!r}: expected true, false or null"
    if row.get("score") is not None:
        problem = _unit_score(row["score"], "score")
        if problem:
            return problem
    scale = row.get("scale")  # written by the panel; a hand-made line may leave it out
    if scale is not None and (not isinstance(scale, dict) or not all(_is_number(scale.get(end)) for end in ("min", "max"))):
        return f"scale = {scale!r}: expected an object {{min, max}}"
    low, high = (scale["min"], scale["max"]) if scale else (-math.inf, math.inf)
    criteria = row.get("criteria", {})
    if not isinstance(criteria, dict):
        return f"criteria = {criteria!r}: expected an object {{criterion: score}}"
    for name, value in criteria.items():
        if not _is_number(value) or value != int(value) or not low <= value <= high:
            where = f" from {low} to {high}" if scale else ""
            return f"criteria.{name} = {value!r}: expected a whole number{where}"
    return None


def _validated(path: Path, check: Callable[[dict[str, Any]], str | None],
               known_ids: Collection[str] | None) -> Iterator[dict[str, Any]]:
    """The lines of ``path`` in order, each validated; lines of unknown ids left out (one warning)."""
    unknown: list[str] = []
    for number, row in iter_numbered(path, strict=True):
        if not isinstance(row, dict):
            raise ValueError(f"{path}:{number}: expected a JSON object, got {type(row).__name__}")
        item_id = row.get("id")
        if not isinstance(item_id, str) or not item_id:
            raise ValueError(f"{path}:{number}: id = {item_id!r}: expected a non-empty string")
        problem = check(row)
        if problem:
            raise ValueError(f"{path}:{number}: item {item_id!r}: {problem}")
        if known_ids is not None and item_id not in known_ids:
            unknown.append(item_id)
            continue
        yield row
    if unknown:
        warnings.warn(f"{path}: {len(unknown)} line(s) name ids not in the dataset (first: {unknown[0]!r}); ignored")


def read_checks(folder: str | Path, *, known_ids: Collection[str] | None = None) -> dict[str, dict[str, Any]]:
    """``checks.jsonl`` of ``folder`` (or that file), by id; {} when the checks were not run."""
    return {row["id"]: row for row in _validated(result_path(folder, CHECKS_NAME), _check_checks, known_ids)}


def read_judgments(folder: str | Path, *, known_ids: Collection[str] | None = None) -> dict[str, dict[str, Any]]:
    """``judgments.jsonl`` of ``folder`` (or that file), by id; {} when no judge was run."""
    return {row["id"]: row for row in _validated(result_path(folder, JUDGMENTS_NAME), _check_judgment, known_ids)}


def iter_ratings(folder: str | Path, *, known_ids: Collection[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every line of ``ratings.jsonl`` of ``folder`` (or that file), in order: ratings, skips and
    ``undone`` lines, which :func:`ogi_toolkit.quality.ratings.latest_ratings` folds per (rater, id)."""
    return _validated(result_path(folder, RATINGS_NAME), _check_rating, known_ids)
