"""What an import or export did (:class:`Report`), and the finished items every export starts from."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..folder import read_manifest

__all__ = ["Report", "done_records"]


@dataclass
class Report:
    """What an import or export did: counts, and problems with where they were found."""

    source: str
    counts: Counter = field(default_factory=Counter)
    problems: list[dict[str, str]] = field(default_factory=list)  # {"where", "problem", "action"}

    def problem(self, where: str, message: str, action: str = "skipped") -> None:
        self.problems.append({"where": where, "problem": message, "action": action})
        self.counts[f"records {action}"] += 1

    def summary(self, limit: int = 10) -> str:
        lines = [f"{self.source}:"]
        lines += [f"  {name}: {n}" for name, n in sorted(self.counts.items())]
        if self.problems:
            lines.append(f"  first problems (of {len(self.problems)}):")
            lines += [f"    {p['where']}: {p['problem']} ({p['action']})" for p in self.problems[:limit]]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "counts": dict(self.counts), "problems": self.problems}


def done_records(dataset: str | Path, report: Report) -> list[dict[str, Any]]:
    """The finished items of a dataset folder (the latest manifest line of each id)."""
    records = read_manifest(dataset)
    for record in records:
        report.counts[f"items {record.get('status')}"] += 1
    return [r for r in records if r.get("status") == "done"]
