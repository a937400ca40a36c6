"""Write every figure to a folder: the paper's figures, and the same charts for a user's data.

Figures are built on :class:`matplotlib.figure.Figure` objects, never through pyplot's global
state, so writing works under any backend and leaks nothing between figures. Nothing here is
random; the same tables give byte-identical PNG files. Writes are atomic (temp + rename).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from ..atomic_io import atomic_path
from .benchmarks import (
    BENCHMARKS,
    benchmark_tables,
    data_scaling_figure,
    finetune_panels,
    training_data_comparison,
    unified_vs_separate,
)
from .comparison import dataset_comparison
from .data_charts import domain_shares, subtask_distribution
from .sunburst import format_count, taxonomy_sunburst, taxonomy_sunburst_plotly

DPI = 150


def _on_axes(draw: Callable, size: tuple[float, float], **kwargs) -> Figure:
    fig = Figure(figsize=size)
    draw(ax=fig.add_subplot(), **kwargs)
    return fig


def _slug(name: str) -> str:
    return name.lower().replace("-", "_").replace(" ", "_")


# file stem -> function building the figure, in the order the paper presents them
PAPER_FIGURES: dict[str, Callable[[], Figure]] = {
    "taxonomy_sunburst": lambda: _on_axes(taxonomy_sunburst, (12, 12)),
    "finetune_gains": finetune_panels,
    **{f"benchmark_{_slug(b)}": (lambda b=b: benchmark_tables(b)) for b in BENCHMARKS},
    "data_scaling": data_scaling_figure,
    "unified_vs_separate": unified_vs_separate,
    "training_data_comparison": training_data_comparison,
    "dataset_comparison": lambda: _on_axes(dataset_comparison, (10, 6.5)),
}


def save_figure(fig: Figure, path: str | Path, *, dpi: int = DPI) -> Path:
    """Save atomically: a reader never sees a half-written file."""
    path = Path(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=path.suffix.lstrip(".") or "png", dpi=dpi, bbox_inches="tight",
                    facecolor="white")
    return path


def save_html(plotly_figure, path: str | Path, *, div_id: str) -> Path:
    """Save a plotly figure as a self-contained HTML page (plotly.js inside: opens offline)."""
    path = Path(path)
    with atomic_path(path) as tmp:
        # a fixed div id keeps the file identical from run to run (plotly picks a random one)
        plotly_figure.write_html(tmp, include_plotlyjs=True, full_html=True, div_id=div_id)
    return path


def _plotly_available() -> bool:
    try:
        import plotly  # noqa: F401
    except ImportError:
        return False
    return True


def write_paper_figures(out_dir: str | Path, *, html: bool = True, dpi: int = DPI) -> list[Path]:
    """Every paper figure as ``<out_dir>/<name>.png``, plus the interactive sunburst as HTML
    when plotly is installed. Returns the paths written."""
    out_dir = Path(out_dir)
    written = []
    for stem, build in PAPER_FIGURES.items():
        written.append(save_figure(build(), out_dir / f"{stem}.png", dpi=dpi))
    if html and _plotly_available():
        written.append(save_html(taxonomy_sunburst_plotly(), out_dir / "taxonomy_sunburst.html",
                                 div_id="taxonomy-sunburst"))
    return written


def write_data_figures(data: pd.DataFrame, out_dir: str | Path, *, name: str = "data",
                       html: bool = True, dpi: int = DPI) -> list[Path]:
    """A dataset's (or plan's) sunburst and its distribution against the paper's, as
    ``<out_dir>/<name>_*.png`` (and ``<name>_sunburst.html`` when plotly is installed)."""
    out_dir = Path(out_dir)
    if data.empty:
        raise ValueError(f"{name}: no items to draw (the data has no rows)")
    n = len(data)
    n_subtasks = data[["kind", "domain", "subtask"]].drop_duplicates().shape[0]
    title = f"{name}: {format_count(n)} items"
    figures = {
        "sunburst": _on_axes(taxonomy_sunburst, (12, 12), data=data, title=title),
        "domain_shares": _on_axes(domain_shares, (9, 7), data=data, label=name),
        "subtask_distribution": _on_axes(subtask_distribution, (10, 0.2 * max(n_subtasks, 51) + 1.5), data=data),
    }
    written = [save_figure(fig, out_dir / f"{name}_{stem}.png", dpi=dpi) for stem, fig in figures.items()]
    if html and _plotly_available():
        written.append(save_html(taxonomy_sunburst_plotly(data, title=title), out_dir / f"{name}_sunburst.html",
                                 div_id=f"{_slug(name)}-sunburst"))
    return written
