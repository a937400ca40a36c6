"""Counts per kind / domain / subtask, from the paper's table or from any dataset's rows.

Every taxonomy chart goes through :func:`subtask_counts`, so the paper's figure and a user's
figure are computed the same way. Rows are ordered as in the paper (generation first, then
its domains and subtasks in table order); names the paper does not have follow, sorted.
"""
from __future__ import annotations

import pandas as pd

from .tables import taxonomy_counts

LEVELS = ("kind", "domain", "subtask")
# what a missing label becomes: imports of the released data have no subtask labels
MISSING = {"kind": "unknown", "domain": "unlabelled", "subtask": "unlabelled"}


def subtask_counts(data: pd.DataFrame | None = None, *, weight: str | None = None) -> pd.DataFrame:
    """One row per (kind, domain, subtask) with ``value``, in paper order.

    ``data=None`` is the paper's Tables 9-10. Otherwise ``data`` has columns ``kind``,
    ``domain``, ``subtask`` (one row per item, e.g. a plan or a dataset manifest); ``value``
    counts rows, or sums ``weight`` when given (``"samples"`` in the paper's table).
    """
    if data is None:
        data, weight = taxonomy_counts(), "samples"
    missing = [c for c in LEVELS if c not in data.columns]
    if missing:
        raise KeyError(f"data needs columns {list(LEVELS)}; missing {missing} (found {list(data.columns)})")
    if weight is not None and weight not in data.columns:
        raise KeyError(f"weight column {weight!r} not in data columns {list(data.columns)}")
    frame = data[list(LEVELS)].astype("string").fillna(MISSING).astype(str)
    # plans and datasets carry taxonomy ids (``style_control``); charts show the paper's names
    domain_names, subtask_names = taxonomy_names()
    frame["domain"] = frame["domain"].map(lambda v: domain_names.get(v, v))
    frame["subtask"] = frame["subtask"].map(lambda v: subtask_names.get(v, v))
    frame = frame.assign(value=data[weight].astype(float) if weight else 1.0)
    grouped = frame.groupby(list(LEVELS), sort=False, as_index=False)["value"].sum()
    return _paper_order(grouped).reset_index(drop=True)


def taxonomy_names() -> tuple[dict[str, str], dict[str, str]]:
    """``{domain id: name}`` and ``{subtask id: name}`` from the taxonomy files.

    A taxonomy that fails to load only costs the pretty names: the ids are drawn as they are.
    (``load_taxonomy`` caches, and reloads when a file changes.)
    """
    from ..definition import load_taxonomy

    try:
        taxonomy = load_taxonomy()
    except (ValueError, KeyError, OSError):
        return {}, {}
    return {d.id: d.name for d in taxonomy.domains}, {s.id: s.name for s in taxonomy.subtasks}


def domain_counts(data: pd.DataFrame | None = None, *, weight: str | None = None) -> pd.DataFrame:
    """One row per (kind, domain) with ``value`` and ``share`` (of the whole), in paper order."""
    sub = subtask_counts(data, weight=weight)
    out = sub.groupby(["kind", "domain"], sort=False, as_index=False)["value"].sum()
    return out.assign(share=out["value"] / out["value"].sum())


def _paper_order(frame: pd.DataFrame) -> pd.DataFrame:
    paper = taxonomy_counts()
    rank = {
        "kind": {k: i for i, k in enumerate(["generation", "editing"])},
        "domain": {d: i for i, d in enumerate(paper["domain"].drop_duplicates())},
        "subtask": {s: i for i, s in enumerate(paper["subtask"])},
    }
    keys = {}
    for level in LEVELS:
        known = frame[level].map(rank[level])
        # unknown names sort after known ones, alphabetically
        keys[f"_{level}_rank"] = known.fillna(len(rank[level])).astype(int)
    return frame.assign(**keys).sort_values(
        ["_kind_rank", "kind", "_domain_rank", "domain", "_subtask_rank", "subtask"]
    )[[*LEVELS, "value"]]
