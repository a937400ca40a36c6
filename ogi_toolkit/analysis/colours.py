"""Fixed colours for the analysis figures, so a colour means the same thing in every figure
and every run: kinds and domains have their own colours (:mod:`ogi_toolkit.colours`, keyed by
the taxonomy's domain ids, the same in the paper figures), a subtask is a shade of its
domain's colour, difficulty grades go light to dark. Any other label (a prompt set's
categories, clusters, check results) takes a fixed categorical palette in order of size; past
its length the smallest values are folded into one grey "other" level, and the level's name
says how many values it holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..colours import DOMAIN_COLOURS, KIND_COLOURS, OTHER_COLOUR, shade

__all__ = ["Levels", "label_colours"]

DIFFICULTY_COLOURS = {"1": "#9ecae1", "2": "#4292c6", "3": "#08306b"}
RESULT_COLOURS = {"passed": "#2ca02c", "failed": "#d62728", "error": "#ff7f0e", "not run": "#bdbdbd"}
# tab20 without its greys, so "other" (grey) never shares a colour with a real value
CATEGORICAL = ["#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896", "#9467bd",
               "#c5b0d5", "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#bcbd22", "#dbdb8d", "#17becf", "#9edae5"]
MISSING = "(none)"


@dataclass
class Levels:
    """What each row is drawn as: ``labels`` (one per row, folded values renamed), ``colours``
    (label -> hex, in legend order) and ``folded`` (the original values drawn as "other")."""

    labels: pd.Series
    colours: dict[str, str]
    folded: list[str] = field(default_factory=list)


def _subtask_colours(subtasks: pd.Series, domains: pd.Series) -> dict[str, str]:
    """Each subtask a shade of its domain's colour, light to dark in name order."""
    pairs = pd.DataFrame({"s": subtasks.astype(str), "d": domains.astype(str)}).drop_duplicates("s")
    domain_colour = _fixed(pairs["d"], DOMAIN_COLOURS)
    colours = {}
    for domain, group in pairs.sort_values(["d", "s"]).groupby("d", sort=True):
        names = group["s"].tolist()
        for k, name in enumerate(names):
            colours[name] = shade(domain_colour[domain], 0.5 - 0.8 * k / max(len(names) - 1, 1) if len(names) > 1 else 0.0)
    return colours


def _fixed(values: pd.Series, known: dict[str, str]) -> dict[str, str]:
    """The known colour of each value; unknown values take categorical colours in name order."""
    out, spare = {}, iter(CATEGORICAL)
    for value in sorted(set(values.astype(str))):
        out[value] = known.get(value) or next(spare, OTHER_COLOUR)
    return out


def label_colours(data: pd.DataFrame, column: str, *, max_levels: int = len(CATEGORICAL)) -> Levels:
    """The colours of ``data[column]``; see the module docstring for which palette applies."""
    values = data[column].astype(object).where(data[column].notna(), MISSING).astype(str)
    if column == "kind":
        colours = _fixed(values, KIND_COLOURS)
    elif column == "domain":
        colours = _fixed(values, DOMAIN_COLOURS)
    elif column == "subtask" and "domain" in data.columns:
        colours = _subtask_colours(values, data["domain"].astype(object).where(data["domain"].notna(), MISSING))
    elif column == "difficulty":
        values = values.str.replace(r"\.0$", "", regex=True)
        colours = _fixed(values, DIFFICULTY_COLOURS)
    elif column in ("check", "judge"):
        colours = _fixed(values, RESULT_COLOURS)
    else:
        # by size, ties by name: the same data always gets the same colours
        counts = values.value_counts()
        order = sorted(counts.index, key=lambda v: (-counts[v], v))
        kept, folded = order[:max_levels], sorted(order[max_levels:])
        if folded:
            other = f"other ({len(folded)} values)"
            values = values.where(values.isin(kept), other)
            colours = {v: CATEGORICAL[k] for k, v in enumerate(kept)} | {other: OTHER_COLOUR}
            return Levels(values, colours, folded)
        colours = {v: CATEGORICAL[k % len(CATEGORICAL)] for k, v in enumerate(kept)}
        return Levels(values, colours)
    return Levels(values, dict(sorted(colours.items(), key=lambda kv: kv[0] == MISSING)))
