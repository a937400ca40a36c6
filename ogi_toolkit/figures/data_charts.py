"""A user's dataset (or plan) against the paper's: shares per domain, counts per subtask.

Both take a DataFrame with ``kind``, ``domain``, ``subtask`` columns, one row per item (a plan
or a dataset manifest loaded with ``ogi_toolkit.analysis.io.load_prompts``), and compare it
with the paper's Tables 9-10 (or any other such DataFrame given as ``reference``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from .counts import domain_counts, subtask_counts
from .palette import domain_colours, shade
from .sunburst import format_count

PAPER = "paper"
_NEUTRAL = "#666666"


def domain_shares(data: pd.DataFrame, *, reference: pd.DataFrame | None = None, weight: str | None = None,
                  label: str = "yours", reference_label: str = PAPER, ax: Axes | None = None) -> Axes:
    """Horizontal bars: the share of each domain in ``data`` beside its share in the reference.

    Bars carry ``gid`` ``"<label>:<domain>"``; their width is the share in percent.
    """
    ours = domain_counts(data, weight=weight)
    theirs = _reference(domain_counts, reference)
    both = _union(theirs, ours)
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(9, 0.45 * len(both) + 1.5)).add_subplot()
    colours = domain_colours(zip(both["kind"], both["domain"]))
    y = np.arange(len(both))
    height = 0.38
    for offset, (name, column, alpha) in zip((-height / 2, height / 2),
                                             ((reference_label, "share_ref", 0.55), (label, "share", 0.0))):
        shares = both[column] * 100
        bars = ax.barh(y + offset, shares, height * 0.95, label=name,
                       color=[shade(colours[d], alpha) for d in both["domain"]], edgecolor="white")
        for bar, domain in zip(bars, both["domain"]):
            bar.set_gid(f"{name}:{domain}")
        ax.bar_label(bars, fmt="%.1f%%", fontsize=7, padding=2)
    ax.set_yticks(y, both["domain"])
    ax.invert_yaxis()  # paper order, top to bottom
    ax.set_xlabel("share of items (%)")
    ax.set_xlim(0, float(max(both["share"].max(), both["share_ref"].max())) * 100 * 1.18)
    n_ours, n_ref = ours["value"].sum(), theirs["value"].sum()
    ax.set_title(f"Share per domain: {label} ({format_count(n_ours)}) vs {reference_label} "
                 f"({format_count(n_ref)})", fontsize=11)
    # neutral swatches: each bar has its domain's colour, light for the reference
    ax.legend(handles=[Patch(color=shade(_NEUTRAL, 0.55), label=reference_label), Patch(color=_NEUTRAL, label=label)],
              frameon=False, loc="lower right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def subtask_distribution(data: pd.DataFrame, *, reference: pd.DataFrame | None = None,
                         weight: str | None = None, ax: Axes | None = None) -> Axes:
    """Items per subtask (bars, coloured by domain), with a marker where the reference's
    proportions would put it for a dataset of this size.

    Bars carry ``gid`` ``"count:<subtask>"``; markers ``"expected:<subtask>"``.
    """
    ours = subtask_counts(data, weight=weight)
    theirs = _reference(subtask_counts, reference)
    merged = _union(theirs, ours, on=["kind", "domain", "subtask"])
    expected = merged["share_ref"] * ours["value"].sum()
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(9, 0.22 * len(merged) + 1.5)).add_subplot()
    colours = domain_colours(zip(merged["kind"], merged["domain"]))
    y = np.arange(len(merged))
    bars = ax.barh(y, merged["value"], 0.75, color=[colours[d] for d in merged["domain"]])
    for bar, subtask in zip(bars, merged["subtask"]):
        bar.set_gid(f"count:{subtask}")
    marks = ax.scatter(expected, y, marker="|", s=120, color="black", zorder=3,
                       label="at the paper's proportions")
    marks.set_gid("expected")
    ax.set_yticks(y, merged["subtask"], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("items")
    ax.set_title(f"Items per subtask ({format_count(ours['value'].sum())} in all)", fontsize=11)
    handles = [Patch(color=colours[d], label=d) for d in merged["domain"].drop_duplicates()]
    ax.legend(handles=[*handles, marks], frameon=False, fontsize=7.5, loc="upper left",
              bbox_to_anchor=(1.01, 1.0))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _reference(count, reference: pd.DataFrame | None) -> pd.DataFrame:
    # the paper's table, or a user's frame: weighted by ``samples`` when it has them
    if reference is None:
        return count()
    return count(reference, weight="samples" if "samples" in reference.columns else None)


def _union(reference: pd.DataFrame, ours: pd.DataFrame, on: list[str] | None = None) -> pd.DataFrame:
    """Rows of both (reference order first, then new names), with ``share`` and ``share_ref``."""
    on = on or ["kind", "domain"]
    ref = reference[on + ["value"]].rename(columns={"value": "value_ref"})
    merged = ref.merge(ours[on + ["value"]], on=on, how="outer", sort=False).fillna(0.0)
    ordered = pd.concat([ref[on], ours[on]]).drop_duplicates()
    merged = ordered.merge(merged, on=on, how="left")
    merged["share"] = merged["value"] / merged["value"].sum()
    merged["share_ref"] = merged["value_ref"] / merged["value_ref"].sum()
    return merged.reset_index(drop=True)
