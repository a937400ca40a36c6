"""Read the check and judge results that sit beside a dataset's manifest, by item id.

``checks.jsonl`` (``ogi check``): one line per item, ``{id, passed, checks: [{name, value,
threshold, passed, reason?}]}``. ``judgments.jsonl`` (``ogi judge``): ``{id, judge, score,
passed, criteria, questions}``, or ``{id, error}`` when the judge could not score the item.
Both are append-only like the manifest, so the last line of an id wins. A missing file means
"not run" (an empty dict), a malformed line is an error naming the file and line.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["CHECKS_NAME", "JUDGMENTS_NAME", "read_checks", "read_judgments"]

CHECKS_NAME = "checks.jsonl"
JUDGMENTS_NAME = "judgments.jsonl"


def _read_by_id(path: Path) -> dict[str, dict[str, Any]]:
    if not path.is_file():
        return {}
    results: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise ValueError(f"{path}:{number}: expected an object with a string 'id'")
            results[row["id"]] = row
    return results


def read_checks(dataset: str | Path) -> dict[str, dict[str, Any]]:
    """``checks.jsonl`` of the dataset folder, by id; {} when the checks were not run."""
    path = Path(dataset) / CHECKS_NAME
    results = _read_by_id(path)
    for item, row in results.items():
        if not isinstance(row.get("passed"), bool) or not isinstance(row.get("checks", []), list):
            raise ValueError(f"{path}: item {item!r}: expected 'passed' true/false and 'checks' a list")
    return results


def read_judgments(dataset: str | Path) -> dict[str, dict[str, Any]]:
    """``judgments.jsonl`` of the dataset folder, by id; {} when no judge was run."""
    path = Path(dataset) / JUDGMENTS_NAME
    results = _read_by_id(path)
    for item, row in results.items():
        if not row.get("error") and not isinstance(row.get("passed"), bool):
            raise ValueError(f"{path}: item {item!r}: expected 'passed' true/false, or an 'error'")
    return results
