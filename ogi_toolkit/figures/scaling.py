"""The paper's data-scaling figure (Table 6) for your own results: a CSV of
``size, benchmark, score`` (and optionally ``dimension``), e.g. from models trained on the
nested subsets ``ogi subset`` makes.

One panel per benchmark (their scales differ); in each, the dimensions side by side with one
bar per training size, shaded light to dark as the size grows, as in the paper's figure. The
best size of each benchmark's headline (its ``overall`` / ``avg`` dimension, or its only one)
is named in the panel title. Bars carry ``gid`` ``"<size label>:<dimension>"``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..curation.sizes import parse_size
from .benchmarks import grouped_bars
from .palette import kind_colour, shade
from .sunburst import format_count
from .tables import BENCHMARKS

__all__ = ["HEADLINE_DIMENSIONS", "load_scaling", "scaling_chart"]

HEADLINE_DIMENSIONS = ("overall", "avg", "average", "score")
REQUIRED = ("size", "benchmark", "score")


def load_scaling(path: str | Path) -> pd.DataFrame:
    """The CSV as a frame with integer ``size``, ``benchmark``, ``dimension`` and float ``score``;
    a bad file raises ValueError naming the file, line and column."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: not found; expected a CSV with columns {', '.join(REQUIRED)}[, dimension]")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.columns = [c.strip().lower() for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; expected {', '.join(REQUIRED)}[, dimension], "
                         f"found {list(raw.columns)}")
    if raw.empty:
        raise ValueError(f"{path}: no rows")
    rows = []
    for line, row in enumerate(raw.to_dict("records"), 2):
        try:
            size = parse_size(row["size"].strip())
            if size is None:  # "all" names a subset folder; a scaling curve needs its number
                raise ValueError(f"size {row['size']!r} is not a number of items")
            score = float(row["score"])
        except ValueError as exc:
            raise ValueError(f"{path}:{line}: {exc}; expected a size such as 20000 or 20k and a number as score") from None
        if not np.isfinite(score) or not row["benchmark"].strip():
            raise ValueError(f"{path}:{line}: expected a benchmark name and a finite score; got {row}")
        rows.append({"size": size, "benchmark": row["benchmark"].strip(),
                     "dimension": (row.get("dimension") or "").strip() or "score", "score": score})
    frame = pd.DataFrame(rows)
    twice = frame[frame.duplicated(["size", "benchmark", "dimension"], keep=False)]
    if not twice.empty:
        first = twice.iloc[0]
        raise ValueError(f"{path}: {first['benchmark']} / {first['dimension']} at size {first['size']} "
                         "is given more than once; expected one score per size, benchmark and dimension")
    return frame


def _headline(dimensions: list[str]) -> str | None:
    for name in HEADLINE_DIMENSIONS:
        if name in dimensions:
            return name
    return dimensions[0] if len(dimensions) == 1 else None


def scaling_chart(data: pd.DataFrame, *, fig: Figure | None = None, title: str | None = None) -> Figure:
    """The chart of ``data`` (as :func:`load_scaling` returns it)."""
    benchmarks = list(data["benchmark"].drop_duplicates())
    widths = [max(2.6, 1.0 + 0.55 * data.loc[data["benchmark"] == b, "dimension"].nunique()
                  * max(1, data.loc[data["benchmark"] == b, "size"].nunique()) ** 0.5) for b in benchmarks]
    fig = fig or Figure(figsize=(min(sum(widths) + 0.6, 26), 4.2))
    axes = fig.subplots(1, len(benchmarks), gridspec_kw={"width_ratios": widths}, squeeze=False)[0]
    for ax, bench in zip(axes, benchmarks):
        part = data[data["benchmark"] == bench]
        sizes = sorted(part["size"].unique())
        labels = [format_count(s).upper() for s in sizes]
        dims = list(part["dimension"].drop_duplicates())
        headline = _headline(dims)
        if headline is not None and headline != dims[-1]:  # the headline goes last, apart
            dims = [d for d in dims if d != headline] + [headline]
        wide = part.pivot(index="size", columns="dimension", values="score").reindex(index=sizes, columns=dims)
        known = BENCHMARKS.get(bench)
        base = kind_colour(known.kind if known else "editing")
        colours = {lab: shade(base, a) for lab, a in zip(labels, np.linspace(0.55, -0.2, len(labels)))}
        series = {lab: list(wide.loc[size]) for lab, size in zip(labels, sizes)}
        grouped_bars(ax, [d.replace("_", " ") for d in dims], series, colours, annotate=False)
        for bar in ax.patches:  # values on the headline group (or on every bar of a one-group panel)
            if headline is not None and bar.get_gid().endswith(f":{headline.replace('_', ' ')}") and not np.isnan(bar.get_height()):
                ax.annotate(f"{bar.get_height():.2f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                            xytext=(0, 2), textcoords="offset points", ha="center", fontsize=7)
        heading = bench
        if headline is not None:
            column = wide[headline].dropna()
            best = column.idxmax()
            heading += f" (best {headline}: {format_count(best).upper()} = {column[best]:.2f})"
            if len(dims) > 1:
                ax.axvspan(len(dims) - 1.5, len(dims) - 0.5, color="#f0f0f0", zorder=0)
        top = float(np.nanmax(wide.to_numpy()))
        ax.set_ylim(min(0.0, float(np.nanmin(wide.to_numpy())) * 1.2), top * 1.25 if top > 0 else 1)
        ax.set_title(heading, fontsize=10)
        ax.set_ylabel("score")
        ax.legend(title="training samples", fontsize=8, title_fontsize=8, ncol=len(labels), loc="upper left",
                  frameon=False)
        if len(dims) > 4:
            ax.tick_params(axis="x", labelsize=8, rotation=30)
    fig.suptitle(title or "Data scaling", fontsize=12)
    fig.tight_layout()
    return fig
