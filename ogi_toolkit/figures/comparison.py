"""Table 1: instruction datasets for image generation and editing, size vs task types."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .palette import KIND_COLOURS
from .tables import load_table

_MARKERS = {"editing": "o", "generation": "s", "both": "D"}
_BOTH_COLOUR = "#7a3e9d"  # datasets with generation and editing: between warm and cool
HIGHLIGHT = "OpenGPT-4o-Image"
_BAND_ROWS, _BAND_STEP = 4, 3.5  # the "not reported" band: rows and their spacing


def dataset_comparison(data: pd.DataFrame | None = None, *, ax: Axes | None = None) -> Axes:
    """Each dataset as a labelled point: samples (log x) against the number of task types.

    The paper gives no task-type count for the generation-only datasets; they sit in a band
    below the axis marked "not reported" rather than being dropped.
    """
    data = load_table("table1_dataset_comparison") if data is None else data
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(10, 6.5)).add_subplot()
    colours = {**KIND_COLOURS, "both": _BOTH_COLOUR}
    typed = data[data["num_types"].notna()]
    untyped = data[data["num_types"].isna()].sort_values("size")
    # untyped datasets go in a band below zero, on staggered rows so that datasets of equal
    # size (two at 2M, two at 12M) and their labels stay apart
    rows = np.arange(len(untyped)) % _BAND_ROWS
    band_y = -_BAND_STEP * (rows + 1)
    for kind, group in data.groupby("kind", sort=False):
        typed_rows = group[group["num_types"].notna()]
        if typed_rows.empty:
            continue
        ax.scatter(typed_rows["size"], typed_rows["num_types"], s=70, marker=_MARKERS.get(kind, "o"),
                   color=colours.get(kind, "grey"), edgecolor="white", zorder=3,
                   label=f"{kind} ({len(group)})", gid=f"kind:{kind}")
    ax.scatter(untyped["size"], band_y, s=55, marker=_MARKERS["generation"], facecolor="none",
               edgecolor=KIND_COLOURS["generation"], linewidth=1.5, zorder=3, gid="not-reported",
               label=f"generation ({len(untyped)}, types not reported)")
    for y, (_, row) in zip([*typed["num_types"], *band_y], [*typed.iterrows(), *untyped.iterrows()]):
        bold = row["dataset"] == HIGHLIGHT
        ax.annotate(row["dataset"], (row["size"], y), xytext=(7, 3), textcoords="offset points",
                    va="center", fontsize=10 if bold else 8.5, fontweight="bold" if bold else "normal",
                    gid=f"label:{row['dataset']}")
    ax.axhline(-_BAND_STEP / 2, color="#cccccc", linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ax.set_xlim(data["size"].min() / 2.5, data["size"].max() * 8)  # room for labels on the right
    bottom = -_BAND_STEP * (_BAND_ROWS + 0.7)
    ax.set_ylim(bottom, float(typed["num_types"].max()) + 6)
    ticks = [t for t in ax.get_yticks() if 0 <= t <= typed["num_types"].max() + 6]
    ax.set_yticks([bottom / 2, *ticks], ["not\nreported", *[f"{t:g}" for t in ticks]])
    ax.set_xlabel("samples (log scale)")
    ax.set_ylabel("task types")
    ax.set_title("Instruction datasets for image generation and editing (Table 1)", fontsize=12)
    ax.legend(title="kind (datasets)", frameon=False, loc="upper right")
    ax.spines[["top", "right"]].set_visible(False)
    return ax
