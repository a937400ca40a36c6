"""What the quality stages said about each item (``checks.jsonl`` of ``ogi check``,
``judgments.jsonl`` of ``ogi judge``, read through :mod:`ogi_toolkit.folder.results`), for curation.

The rule of what passes is :class:`ogi_toolkit.quality.filtering.QualityFilter` (the same as
``ogi filter``'s): only items *known* to pass are kept.
"""
from __future__ import annotations

from pathlib import Path

from ..folder import CHECKS_NAME, JUDGMENTS_NAME, read_checks, read_judgments
from ..quality.filtering import QualityFilter  # the one rule, shared with `ogi filter`

__all__ = ["QualityFilter", "pass_rates", "results_if_present"]


def pass_rates(checks: dict[str, dict] | None, judgments: dict[str, dict] | None,
               ids: list[str]) -> dict[str, float | None]:
    """Share of ``ids`` that passed checks / the judge among those with a result, and the mean
    judge score (None where there are no results: the file is absent or says nothing of them)."""
    out: dict[str, float | None] = {"check_pass_rate": None, "judge_pass_rate": None, "mean_judge_score": None}
    if checks is not None:
        seen = [checks[i].get("passed") is True for i in ids if i in checks]
        out["check_pass_rate"] = sum(seen) / len(seen) if seen else None
    if judgments is not None:
        rows = [judgments[i] for i in ids if i in judgments and judgments[i].get("error") is None]
        scores = [r["score"] for r in rows if isinstance(r.get("score"), (int, float))]
        out["judge_pass_rate"] = sum(r.get("passed") is True for r in rows) / len(rows) if rows else None
        out["mean_judge_score"] = sum(scores) / len(scores) if scores else None
    return out


def results_if_present(dataset: Path) -> tuple[dict | None, dict | None]:
    """The checks and judgments of a dataset folder, each None when its file is absent."""
    return tuple(reader(dataset) if (dataset / name).is_file() else None
                 for name, reader in ((CHECKS_NAME, read_checks), (JUDGMENTS_NAME, read_judgments)))
