"""What the quality stages said about each item (``checks.jsonl`` of ``ogi check``,
``judgments.jsonl`` of ``ogi judge``, read through :mod:`ogi_toolkit.folder.results`), for curation.

When a filter is asked, only items *known* to pass are kept: an item with no line (not yet
checked or judged) or with a judge error is left out too, and counted apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..folder import CHECKS_NAME, JUDGMENTS_NAME, read_checks, read_judgments

__all__ = ["QualityFilter", "pass_rates", "results_if_present"]

_READERS = {CHECKS_NAME: (read_checks, "check"), JUDGMENTS_NAME: (read_judgments, "judge")}


def _required(dataset: Path, name: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The results of ``dataset``'s file ``name`` by id (raises when it is missing)."""
    reader, command = _READERS[name]
    if not (dataset / name).is_file():
        raise FileNotFoundError(f"{dataset / name}: not found; run `ogi {command}` on the dataset first, "
                                "or leave out the filter that needs it")
    return reader(dataset, known_ids=set(ids))


@dataclass(frozen=True)
class QualityFilter:
    """Which quality results an item must have to be kept."""

    checks: bool = False  # its offline checks passed
    judge: bool = False  # the judge passed it
    min_score: float | None = None  # the judge's score is at least this (implies a judgment)
    ids: frozenset[str] | None = None  # it is on this id list (`--ids FILE`, e.g. a lasso selection)

    @property
    def active(self) -> bool:
        return self.checks or self.judge or self.min_score is not None or self.ids is not None

    def describe(self) -> dict[str, Any]:
        """The filter as JSON for a subset's view file (an id list by its length)."""
        return {"checks": self.checks, "judge": self.judge, "min_score": self.min_score,
                "ids": None if self.ids is None else f"{len(self.ids)} listed ids"}

    def verdicts(self, dataset: Path, ids: list[str]) -> dict[str, str]:
        """Why each left-out item is left out: ``{id: reason}`` (kept items are absent)."""
        out: dict[str, str] = {}
        if self.ids is not None:
            out.update((rid, "not in the id list") for rid in ids if rid not in self.ids)
        if self.checks:
            checks = _required(dataset, CHECKS_NAME, ids)
            for rid in ids:
                row = checks.get(rid)
                if row is None:
                    out[rid] = "not checked"
                elif row.get("passed") is not True:
                    failed = [c.get("name") for c in row.get("checks") or [] if c.get("passed") is False]
                    out[rid] = "failed checks" + (f" ({', '.join(map(str, failed[:3]))})" if failed else "")
        if self.judge or self.min_score is not None:
            judgments = _required(dataset, JUDGMENTS_NAME, ids)
            for rid in ids:
                if rid in out:
                    continue
                row = judgments.get(rid)
                if row is None:
                    out[rid] = "not judged"
                elif row.get("error") is not None or not isinstance(row.get("score"), (int, float)):
                    out[rid] = "judge error"
                elif self.judge and row.get("passed") is not True:
                    out[rid] = "failed the judge"
                elif self.min_score is not None and row["score"] < self.min_score:
                    out[rid] = f"judge score below {self.min_score}"
        return out


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
    return tuple(_READERS[name][0](dataset) if (dataset / name).is_file() else None
                 for name in (CHECKS_NAME, JUDGMENTS_NAME))
