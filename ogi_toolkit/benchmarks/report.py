"""The benchmark section of the analysis report (``ogi analyse DATA --against geneval,parti``):
its tables and chart, and its markdown.

    summary = write_benchmark_section(data, against, tables_dir, figures_dir)   # files + a dict
    lines = benchmark_markdown(summary)                                          # report.md lines
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from .coverage import coverage
from .leakage import closest_pairs, leak_counts, leakage
from .plots import coverage_figure

__all__ = ["write_benchmark_section", "benchmark_markdown", "LEAKS_FILE"]

LEAKS_FILE = "benchmark_leaks.csv"  # every match; the gallery's "leaks" filter reads its ids


def write_benchmark_section(data, against: str | Iterable[str], tables: Path, figures: Path, *,
                            cache_dir: str | Path | None = None, model: str | None = None,
                            backend: str = "torch", pairs: int = 5) -> dict[str, Any]:
    """Leak table, counts, closest pairs, coverage table and chart of ``data`` against ``against``,
    written under ``tables`` and ``figures``; returns what the report prints."""
    from ..atomic_io import atomic_write_text
    from ..figures.write import save_figure

    options = {"cache_dir": cache_dir, "model": model, "backend": backend}
    matches = leakage(data, against, **options)
    counts = leak_counts(matches)
    per_subtask = leak_counts(matches, by="subtask")
    closest = closest_pairs(matches, pairs)
    table = coverage(data, against, **options)
    tables.mkdir(parents=True, exist_ok=True)
    figures.mkdir(parents=True, exist_ok=True)
    for frame, name in [(matches, LEAKS_FILE), (counts, "benchmark_leak_counts.csv"),
                        (per_subtask, "benchmark_leaks_by_subtask.csv"), (table, "benchmark_coverage.csv")]:
        atomic_write_text(tables / name, frame.to_csv(index=False))
    save_figure(coverage_figure(table), figures / "benchmark_coverage.png")
    return {"thresholds": matches.attrs["thresholds"], "items": matches.attrs["items"],
            "items_with_a_match": int(matches["id"].nunique()),
            "counts": counts.to_dict("records"), "by_subtask": per_subtask.head(10).to_dict("records"),
            "closest": closest.to_dict("records")}


def _cell(value: Any) -> str:
    text = f"{value:.3f}" if isinstance(value, float) else str(value)
    return text.replace("|", "/").replace("\n", " ")


def _markdown_table(rows: list[dict], columns: list[str]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    return lines + ["| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |" for row in rows]


def benchmark_markdown(summary: dict[str, Any]) -> list[str]:
    """The report's "Benchmark leakage and coverage" section."""
    t = summary["thresholds"]
    lines = ["\n## Benchmark leakage and coverage\n",
             f"{summary['items_with_a_match']:,} of {summary['items']:,} items have a text (instruction or turn) that "
             f"copies a benchmark prompt (exact, after normalisation), shares word {t['lexical']['shingle']}-shingles "
             f"at Jaccard >= {t['lexical']['threshold']} (lexical), or is within cosine {t['semantic']['threshold']} "
             f"(semantic). Every match: `tables/{LEAKS_FILE}`.\n"]
    if summary["counts"]:
        columns = [c for c in summary["counts"][0] if c != "benchmark"]
        lines += _markdown_table(summary["counts"], ["benchmark", *columns])
    if summary["by_subtask"]:
        lines += ["\nSubtasks with the most matched items:\n"]
        lines += _markdown_table(summary["by_subtask"], ["subtask", "any", "items", "share"])
    if summary["closest"]:
        lines += ["\nThe most similar pairs that are not exact copies, side by side:\n"]
        lines += _markdown_table(summary["closest"], ["benchmark", "kind", "similarity", "text", "benchmark_prompt"])
    lines += ["\nCoverage: the dataset's items per benchmark category (through `coverage_map.csv`) against the "
              "benchmark's own distribution, and how near the items come to each category's prompts "
              "(`tables/benchmark_coverage.csv`; chart: `figures/benchmark_coverage.png`, among the figures below).\n"]
    return lines
