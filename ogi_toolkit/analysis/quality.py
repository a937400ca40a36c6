"""Pass rates of the quality checks (and the judge) by domain, subtask and difficulty.

Reads the columns ``load_dataset`` / ``load_prompts`` join from ``checks.jsonl`` and
``judgments.jsonl`` (``check_passed``, ``judge_passed``, ``judge_score``); a frame without
them has no quality tables.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["QUALITY_GROUPS", "pass_rates_by"]

QUALITY_GROUPS = ("domain", "subtask", "difficulty")


def pass_rates_by(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per value of ``column``: items, checked, check pass rate, and judge columns when judged."""
    if "check_passed" not in df.columns and "judge_passed" not in df.columns:
        return pd.DataFrame()
    rows = {}
    for value, group in df.groupby(column, sort=True):
        row = {"items": len(group)}
        if "check_passed" in group:
            checked = group["check_passed"].dropna().astype(bool)
            row.update({"checked": len(checked), "check_pass_rate": round(checked.mean(), 4) if len(checked) else None})
        if "judge_passed" in group:
            judged = group["judge_passed"].dropna().astype(bool)
            row.update({"judged": len(judged), "judge_pass_rate": round(judged.mean(), 4) if len(judged) else None,
                        "mean_judge_score": round(pd.to_numeric(group["judge_score"], errors="coerce").mean(), 4)})
        rows[value] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = column
    return table
