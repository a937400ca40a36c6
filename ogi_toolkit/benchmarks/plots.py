"""Coverage figures over a :func:`~.coverage.coverage` table: ``data=`` first, ``ax=`` in, the Axes out."""
from __future__ import annotations

import pandas as pd

__all__ = ["plot_coverage", "plot_nearest", "coverage_figure"]

BENCHMARK_COLOUR = "#b8b8b8"  # the benchmark's own distribution: the baseline grey of the paper figures
DATASET_COLOUR = "#d9622b"


def _rows(data: pd.DataFrame, benchmark: str) -> pd.DataFrame:
    rows = data[data["benchmark"] == benchmark]
    if rows.empty:
        raise KeyError(f"benchmark {benchmark!r} is not in the table; it has {sorted(data['benchmark'].unique())}")
    return rows.iloc[::-1]  # largest benchmark category at the top of a horizontal chart


def plot_coverage(data: pd.DataFrame, *, benchmark: str, ax=None):
    """Share of the benchmark's prompts per category (grey) beside the share of the dataset's
    items in the subtasks mapped to it (colour); categories no subtask covers are marked."""
    import matplotlib.pyplot as plt
    import numpy as np

    rows = _rows(data, benchmark)
    if ax is None:
        ax = plt.figure(figsize=(6, 0.35 * len(rows) + 1.2)).gca()
    y = np.arange(len(rows))
    ax.barh(y + 0.2, rows["benchmark_share"], height=0.4, color=BENCHMARK_COLOUR, label=f"{benchmark} prompts")
    ax.barh(y - 0.2, rows["dataset_share"], height=0.4, color=DATASET_COLOUR, label="dataset items")
    labels = [c if s else f"{c} (no subtask)" for c, s in zip(rows["category"], rows["subtasks"])]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("share of the benchmark's prompts / of the dataset's mapped items")
    ax.set_title(f"{benchmark}: categories", fontsize=10)
    ax.legend(loc="best", fontsize=8, frameon=False)
    return ax


def plot_nearest(data: pd.DataFrame, *, benchmark: str, ax=None):
    """Per category, the median similarity of its prompts to their nearest dataset text, with
    the semantic leakage threshold as a line."""
    import matplotlib.pyplot as plt
    import numpy as np

    if "nearest_median" not in data:
        raise KeyError("the table has no nearest-neighbour columns: compute it with coverage(..., nearest=True)")
    rows = _rows(data, benchmark)
    if ax is None:
        ax = plt.figure(figsize=(4, 0.35 * len(rows) + 1.2)).gca()
    y = np.arange(len(rows))
    ax.barh(y, rows["nearest_median"], height=0.6, color=DATASET_COLOUR, alpha=0.75)
    threshold = data.attrs.get("near_threshold")
    if threshold is not None:
        ax.axvline(threshold, color="black", lw=1, ls="--", label=f"leak threshold {threshold:g}")
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    for yy, share in zip(y, rows["near_share"]):
        if share > 0:
            ax.text(0.01, yy, f"{share:.0%} at or above", va="center", fontsize=7)
    ax.set_yticks(y, rows["category"], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("median cosine to the nearest dataset text")
    ax.set_title(f"{benchmark}: how near the dataset comes", fontsize=10)
    return ax


def coverage_figure(data: pd.DataFrame):
    """One row per benchmark: :func:`plot_coverage` and, when computed, :func:`plot_nearest`."""
    import matplotlib.pyplot as plt

    benchmarks = list(dict.fromkeys(data["benchmark"]))
    nearest = "nearest_median" in data
    heights = [0.3 * (data["benchmark"] == b).sum() + 1.4 for b in benchmarks]
    fig, axes = plt.subplots(len(benchmarks), 2 if nearest else 1, figsize=(13 if nearest else 7, sum(heights)),
                             gridspec_kw={"height_ratios": heights, **({"width_ratios": [1.4, 1]} if nearest else {})},
                             squeeze=False)
    for row, benchmark in zip(axes, benchmarks):
        plot_coverage(data, benchmark=benchmark, ax=row[0])
        if nearest:
            plot_nearest(data, benchmark=benchmark, ax=row[1])
    items = data.attrs.get("items")
    if items is not None:
        fig.suptitle(f"Benchmark coverage of {items:,} items", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.985))
    return fig
