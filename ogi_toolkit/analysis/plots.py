"""Figures over DataFrames, seaborn-style: ``data=`` first, keyword-only options, ``ax=`` in,
the Axes out. ``umap_html`` writes the interactive version (plotly, hover shows the prompt)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from ..atomic_io import atomic_path

__all__ = ["plot_umap", "plot_counts", "umap_html"]

MAX_HUE_LEVELS = 20  # beyond this a legend is unreadable: the rest are drawn as "other"


def _limit_levels(values: pd.Series, top: int = MAX_HUE_LEVELS) -> pd.Series:
    keep = values.value_counts().index[:top]
    values = values.astype(object).where(values.isin(keep), "other")
    return values.fillna("(none)").astype(str)


def plot_umap(data: pd.DataFrame, *, x: str = "x", y: str = "y", hue: str | None = None, ax=None,
              s: float | None = None, alpha: float = 0.6, **kwargs):
    """Scatter of a projection (``project(df)``), coloured by ``hue``; returns the Axes."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    if x not in data.columns or y not in data.columns:
        raise KeyError(f"columns {x!r} and {y!r} not found: pass data=project(df)")
    if ax is None:
        ax = plt.figure(figsize=(7, 6)).gca()
    plot_data = data[[x, y]].copy()
    if hue is not None:
        plot_data[hue] = _limit_levels(data[hue])
    if hue is not None and "palette" not in kwargs:  # distinct neighbours, not a smooth hue wheel
        kwargs["palette"] = "tab10" if plot_data[hue].nunique() <= 10 else "tab20"
    sns.scatterplot(data=plot_data, x=x, y=y, hue=hue, ax=ax, linewidth=0, alpha=alpha,
                    s=s if s is not None else max(2.0, min(20.0, 20000 / max(len(data), 1))), **kwargs)
    ax.set(xticks=[], yticks=[], xlabel="UMAP 1", ylabel="UMAP 2")
    if hue is not None and ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), frameon=False, title=hue, markerscale=2)
    return ax


def plot_counts(data: pd.DataFrame, *, x: str = "count", y: str | None = None, target: str | None = "target",
                ax=None, top: int = 40):
    """Horizontal bars of a ``label_counts`` table (index = labels), with targets as ticks."""
    import matplotlib.pyplot as plt

    table = data.head(top)
    labels = table.index.astype(str) if y is None else table[y].astype(str)
    if ax is None:
        ax = plt.figure(figsize=(7, 0.25 * len(table) + 1.2)).gca()
    ax.barh(labels, table[x], color="#4c72b0", label=x)
    if target and target in table.columns:
        ax.scatter(table[target], labels, marker="|", s=120, color="black", label="target", zorder=3)
        ax.legend(frameon=False)
    ax.invert_yaxis()
    ax.set(xlabel=x, ylabel=table.index.name or y or "")
    return ax


def umap_html(data: pd.DataFrame, path: str | Path, *, x: str = "x", y: str = "y", hue: str | None = None,
              text: str = "text", hover: tuple[str, ...] = (), max_points: int = 30_000, seed: int = 0) -> Path:
    """An interactive scatter (plotly, self-contained HTML) with the prompt on hover; above
    ``max_points`` a fixed random sample is drawn so the page stays responsive."""
    import plotly.express as px

    if len(data) > max_points:
        data = data.sample(max_points, random_state=seed)
    plot_data = data[[x, y]].copy()
    plot_data["prompt"] = data[text].astype(str).map(lambda t: "<br>".join(textwrap.wrap(t, 80)[:6]))
    for col in hover:
        plot_data[col] = data[col].astype(str)
    if hue is not None:
        plot_data[hue] = _limit_levels(data[hue])
    fig = px.scatter(plot_data, x=x, y=y, color=hue, hover_name="prompt", hover_data={x: False, y: False, **{c: True for c in hover}},
                     render_mode="webgl", opacity=0.7)
    fig.update_traces(marker={"size": 4})
    fig.update_layout(xaxis_visible=False, yaxis_visible=False, template="plotly_white", height=700)
    path = Path(path)
    with atomic_path(path) as tmp:
        fig.write_html(tmp, include_plotlyjs=True)  # self-contained: works offline
    return path
