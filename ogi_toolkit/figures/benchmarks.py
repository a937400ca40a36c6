"""The paper's benchmark results as charts: fine-tuned vs baseline, per-dimension tables,
data scaling (Table 6), unified vs separate training (Table 8), training-data comparison
(Table 7).

Bars carry a ``gid`` of ``"<series>:<group>"`` (e.g. ``"finetuned:Harmon"``), so tests and
users can read back exactly what was drawn.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .palette import BASELINE_COLOUR, kind_colour, shade
from .tables import BENCHMARKS, _benchmark, benchmark_table, load_table, score_columns

FINETUNED_LABEL = "+ OpenGPT-4o-Image"


def grouped_bars(ax: Axes, groups: list[str], series: dict[str, list[float]],
                 colours: dict[str, str], *, labels: dict[str, str] | None = None,
                 decimals: int = 2, annotate: bool = True) -> None:
    """Bars for each group side by side, one per series, each with its value on top."""
    n = len(series)
    width = 0.8 / n
    x = np.arange(len(groups))
    for i, (name, values) in enumerate(series.items()):
        bars = ax.bar(x + (i - (n - 1) / 2) * width, values, width * 0.95, color=colours[name],
                      label=(labels or {}).get(name, name))
        for bar, group in zip(bars, groups):
            bar.set_gid(f"{name}:{group}")
        if annotate:
            ax.bar_label(bars, fmt=f"%.{decimals}f", fontsize=7, padding=1.5)
    ax.set_xticks(x, groups)
    ax.spines[["top", "right"]].set_visible(False)


def zoom_y(ax: Axes, values, *, headroom: float = 0.3) -> None:
    """Start the y axis below the smallest value so differences show (ticks say where)."""
    lo, hi = float(np.min(values)), float(np.max(values))
    spread = max(hi - lo, abs(hi) * 0.02)
    step = 10 ** math.floor(math.log10(spread))
    bottom = max(0.0, math.floor((lo - 1.5 * spread) / step) * step)
    ax.set_ylim(bottom, hi + headroom * (hi - bottom))


def finetune_gains(benchmark: str, *, data: pd.DataFrame | None = None, ax: Axes | None = None) -> Axes:
    """Headline score per model, baseline vs fine-tuned on OpenGPT-4o-Image, with the gain."""
    bench = _benchmark(benchmark)
    data = benchmark_table(benchmark) if data is None else data
    wide = data.pivot(index="model", columns="setting", values=bench.overall) * bench.scale
    wide = wide.loc[data["model"].drop_duplicates()]  # keep the table's model order
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(4.5, 3.6)).add_subplot()
    models = list(wide.index)
    decimals = 0 if bench.scale >= 100 else 2
    colours = {"baseline": BASELINE_COLOUR, "finetuned": kind_colour(bench.kind)}
    grouped_bars(ax, models, {s: list(wide[s]) for s in ("baseline", "finetuned")}, colours,
                 labels={"baseline": "baseline", "finetuned": FINETUNED_LABEL}, decimals=decimals)
    zoom_y(ax, wide.to_numpy(), headroom=0.35)
    top = ax.get_ylim()[1]
    for i, (base, tuned) in enumerate(zip(wide["baseline"], wide["finetuned"])):
        gain = (tuned - base) / base * 100
        ax.text(i, top * 0.985, f"{gain:+.1f}%", ha="center", va="top", fontsize=8.5,
                fontweight="bold", color=shade(colours["finetuned"], -0.25) if gain >= 0 else "#555555")
    suffix = " (×100)" if bench.scale == 100 else ""
    ax.set_title(f"{bench.name}{suffix}", fontsize=11)
    ax.set_ylabel(f"{bench.overall}{suffix}")
    ax.tick_params(axis="x", labelsize=8)
    return ax


def finetune_panels(*, fig: Figure | None = None) -> Figure:
    """The paper's four overview panels: GenEval ×100, DPG-Bench, GEdit-Bench, ImgEdit-Bench."""
    fig = fig or Figure(figsize=(17, 4.2))
    axes = fig.subplots(1, len(BENCHMARKS))
    for ax, name in zip(axes, BENCHMARKS):
        finetune_gains(name, ax=ax)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=2, frameon=False, fontsize=10)
    fig.subplots_adjust(top=0.82, wspace=0.28, left=0.04, right=0.99, bottom=0.1)
    return fig


def benchmark_heatmap(benchmark: str, *, data: pd.DataFrame | None = None, ax: Axes | None = None,
                      gain: bool = False) -> Axes:
    """Every dimension of a benchmark table as an annotated heatmap.

    ``gain=False``: one row per model and setting, the scores. ``gain=True``: one row per
    model, fine-tuned minus baseline (a diverging map: green better, red worse).
    """
    import seaborn as sns

    bench = _benchmark(benchmark)
    data = benchmark_table(benchmark) if data is None else data
    cols = score_columns(data)
    models = list(data["model"].drop_duplicates())
    scores = data.set_index(["model", "setting"])[cols]
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(1.0 + 0.75 * len(cols), 0.8 + 0.45 * len(data))).add_subplot()
    if gain:
        grid = pd.DataFrame({m: scores.loc[(m, "finetuned")] - scores.loc[(m, "baseline")] for m in models}).T
        limit = float(np.abs(grid.to_numpy()).max()) or 1.0
        sns.heatmap(grid, ax=ax, annot=True, fmt="+.2f", cmap="RdYlGn", vmin=-limit, vmax=limit,
                    cbar_kws={"label": "fine-tuned − baseline", "shrink": 0.8}, linewidths=0.5,
                    annot_kws={"fontsize": 8})
        ax.set_title(f"{bench.name}: change after fine-tuning", fontsize=11)
    else:
        grid = scores.loc[[(m, s) for m in models for s in ("baseline", "finetuned")]]
        grid.index = [f"{m}" if s == "baseline" else f"{m} {FINETUNED_LABEL}" for m, s in grid.index]
        cmap = "Oranges" if bench.kind == "generation" else "Blues"
        sns.heatmap(grid, ax=ax, annot=True, fmt=".2f", cmap=cmap, linewidths=0.5,
                    cbar_kws={"label": "score", "shrink": 0.8}, annot_kws={"fontsize": 8})
        for row in range(2, len(grid), 2):  # a line between models
            ax.axhline(row, color="white", linewidth=3)
        ax.set_title(f"{bench.name}: per-dimension scores", fontsize=11)
    ax.axvline(len(cols) - 1, color="black", linewidth=1.2)  # the overall column stands apart
    ax.set_xticklabels([c.replace("_", " ") for c in cols], rotation=35, ha="right", fontsize=8.5)
    ax.tick_params(axis="y", labelsize=8.5, rotation=0)
    ax.set_xlabel("")
    ax.set_ylabel("")
    return ax


def benchmark_tables(benchmark: str, *, fig: Figure | None = None) -> Figure:
    """One benchmark's table: scores (top) and the change after fine-tuning (bottom)."""
    cols = len(score_columns(benchmark_table(benchmark)))
    fig = fig or Figure(figsize=(3.2 + 0.75 * cols, 8.5))
    top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": [2, 1.15]})
    benchmark_heatmap(benchmark, ax=top)
    benchmark_heatmap(benchmark, ax=bottom, gain=True)
    fig.tight_layout()
    return fig


_SCALING = {  # benchmark -> (table, overall column)
    "GEdit-Bench": ("table6_data_scaling", "avg"),
    "ImgEdit-Bench": ("table6_data_scaling_imgedit", "overall"),
}


def data_scaling(benchmark: str = "GEdit-Bench", *, data: pd.DataFrame | None = None,
                 ax: Axes | None = None) -> Axes:
    """Table 6: every dimension after training on 20K, 30K and 40K editing samples."""
    if benchmark not in _SCALING:
        raise KeyError(f"no data-scaling table for {benchmark!r}; expected one of {list(_SCALING)}")
    table, overall = _SCALING[benchmark]
    data = load_table(table) if data is None else data
    cols = [c for c in score_columns(data) if c != "two_avg"]  # two_avg mixes both benchmarks
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(12, 3.8)).add_subplot()
    sizes = [f"{int(s) // 1000}K" for s in data["size"]]
    base = kind_colour("editing")
    colours = {s: shade(base, a) for s, a in zip(sizes, np.linspace(0.55, -0.2, len(sizes)))}
    series = {s: list(row[cols]) for s, (_, row) in zip(sizes, data.iterrows())}
    grouped_bars(ax, [c.replace("_", " ") for c in cols], series, colours, annotate=False)
    for bar in ax.patches:  # print the values of the headline group only
        if bar.get_gid().endswith(f":{overall}"):
            ax.annotate(f"{bar.get_height():.2f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        xytext=(0, 2), textcoords="offset points", ha="center", fontsize=7)
    best = data[overall].idxmax()
    ax.axvspan(len(cols) - 1.5, len(cols) - 0.5, color="#f0f0f0", zorder=0)  # overall stands apart
    ax.legend(title="training samples", fontsize=8, title_fontsize=8, ncol=len(sizes), loc="upper left",
              frameon=False)
    ax.set_ylim(0, float(data[cols].to_numpy().max()) * 1.2)
    ax.set_title(f"{benchmark}: data scaling (best {overall}: {sizes[best]} = {data[overall][best]:.2f})",
                 fontsize=11)
    ax.set_ylabel("score")
    return ax


def data_scaling_figure(*, fig: Figure | None = None) -> Figure:
    fig = fig or Figure(figsize=(12, 7.5))
    for ax, name in zip(fig.subplots(len(_SCALING), 1), _SCALING):
        data_scaling(name, ax=ax)
    fig.tight_layout()
    return fig


def _paired_panels(fig: Figure, panels: list[tuple[str, dict[str, float], dict[str, str]]]) -> Figure:
    """One small panel per benchmark with two bars from zero (scales differ between
    benchmarks; the differences are small, so the change is printed rather than exaggerated
    by a cut axis)."""
    axes = fig.subplots(1, len(panels))
    for ax, (name, values, labels) in zip(axes, panels):
        bench = BENCHMARKS[name]
        decimals = 0 if bench.scale >= 100 else 2
        keys = list(values)
        colours = {k: (BASELINE_COLOUR if i == 0 else kind_colour(bench.kind)) for i, k in enumerate(keys)}
        grouped_bars(ax, [name], {k: [v] for k, v in values.items()}, colours, labels=labels,
                     decimals=decimals)
        change = round(values[keys[-1]] - values[keys[0]], decimals) + 0.0  # never "-0"
        ax.set_ylim(0, max(values.values()) * 1.3)
        ax.text(0, max(values.values()) * 1.12, f"change {change:+.{decimals}f}", ha="center",
                fontsize=9, fontweight="bold")
        ax.set_xticks([])
        ax.set_title(name + (" (×100)" if bench.scale != 1 else ""), fontsize=11)
        ax.legend(fontsize=8, frameon=False, loc="upper left", ncol=len(keys))
    return fig


def unified_vs_separate(*, data: pd.DataFrame | None = None, fig: Figure | None = None) -> Figure:
    """Table 8: one model trained on editing or generation alone vs on both together."""
    data = load_table("table8_unified_vs_separate") if data is None else data
    fig = fig or Figure(figsize=(13, 3.8))
    panels = []
    for name, group in data.groupby("benchmark", sort=False):
        values = dict(zip(group["setting"], group["overall"] * _benchmark(name).scale))
        panels.append((name, values, {s: s.replace("_", " ") for s in values}))
    _paired_panels(fig, panels)
    fig.suptitle("Unified (generation + editing) vs separate training", fontsize=12)
    fig.tight_layout()
    return fig


# Table 7 column -> the benchmark it reports (headline columns only)
_TABLE7 = {"geneval_overall": "GenEval", "dpg_overall": "DPG-Bench", "gedit_avg": "GEdit-Bench",
           "imgedit_overall": "ImgEdit-Bench"}


def training_data_comparison(*, data: pd.DataFrame | None = None, fig: Figure | None = None) -> Figure:
    """Table 7: the same model trained on ShareGPT-4o-Image vs on OpenGPT-4o-Image."""
    data = load_table("table7_vs_sharegpt4o") if data is None else data
    fig = fig or Figure(figsize=(13, 3.8))
    panels = []
    for column, name in _TABLE7.items():
        values = dict(zip(data["training_data"], data[column] * BENCHMARKS[name].scale))
        panels.append((name, values, {}))
    _paired_panels(fig, panels)
    fig.suptitle("The same model trained on ShareGPT-4o-Image vs on OpenGPT-4o-Image", fontsize=12)
    fig.tight_layout()
    return fig
