"""Pass rates of the quality checks (and the judge) by domain, subtask and difficulty.

Reads the columns ``load_dataset`` / ``load_prompts`` join from ``checks.jsonl`` and
``judgments.jsonl`` (``check_passed``, ``checks_not_checked``, ``judge_passed``,
``judge_score``); a frame without them has no quality tables. An item that failed no check but
had one that could not run counts in ``not_checked_rate``, not in ``check_pass_rate``.
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
            ran = group[group["check_passed"].notna()]
            passed = ran["check_passed"].astype(bool)
            # an item some check could not run for (text without Tesseract) is "not checked", never passed
            partial = ran["checks_not_checked"].map(bool) if "checks_not_checked" in ran else pd.Series(False, ran.index)
            row.update({"checked": len(ran),
                        "check_pass_rate": round((passed & ~partial).mean(), 4) if len(ran) else None,
                        "not_checked_rate": round((passed & partial).mean(), 4) if len(ran) else None})
        if "judge_passed" in group:
            judged = group["judge_passed"].dropna().astype(bool)
            row.update({"judged": len(judged), "judge_pass_rate": round(judged.mean(), 4) if len(judged) else None,
                        "mean_judge_score": round(pd.to_numeric(group["judge_score"], errors="coerce").mean(), 4)})
        rows[value] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = column
    return table
