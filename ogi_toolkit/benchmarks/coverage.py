"""Coverage: which benchmark categories a dataset's items train, and how close they come.

    cov = coverage("plan.jsonl", against="geneval,parti")
    -> one row per (benchmark, category): the benchmark's prompts there and their share, the
       subtasks that category maps to (``data/coverage_map.csv``, a reason per row), the
       dataset's items in those subtasks and their share, and the nearest-neighbour view: how
       similar each of the category's prompts is to the dataset text nearest it (median,
       share at or above the semantic leakage threshold, the closest pair).

A category with no subtask in the map (PartiPrompts' "Abstract") shows 0 items: nothing in the
taxonomy draws it. Item shares are of the items counted under the benchmark's categories, so
both distributions sum to 1 per benchmark and can be set side by side (``plot_coverage``).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from .config import Thresholds
from .items import dataset_texts
from .leakage import LeakFinder, embed_texts
from .sets import DATA_DIR

__all__ = ["COVERAGE_MAP", "coverage_map", "coverage"]

COVERAGE_MAP = DATA_DIR / "coverage_map.csv"


@lru_cache(maxsize=4)
def _read_map(path: str) -> pd.DataFrame:
    from ..definition.taxonomy import load_taxonomy

    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected = ["benchmark", "category", "subtask", "reason"]
    if list(table.columns) != expected:
        raise ValueError(f"{path}: columns {list(table.columns)}; expected {expected}")
    known = {s.id for s in load_taxonomy().subtasks}
    for number, row in enumerate(table.itertuples(index=False), 2):
        if row.subtask and row.subtask not in known:
            raise ValueError(f"{path}:{number}: subtask {row.subtask!r} is not in the taxonomy")
        if not row.reason.strip():
            raise ValueError(f"{path}:{number}: {row.benchmark}/{row.category} has no reason")
    return table


def coverage_map(path: str | Path | None = None) -> pd.DataFrame:
    """The category -> subtask map (benchmark, category, subtask, reason); an empty subtask
    means no subtask covers the category. Validated against the taxonomy."""
    return _read_map(str(path or COVERAGE_MAP)).copy()


def _nearest(items: pd.DataFrame, finder: LeakFinder) -> pd.DataFrame:
    """Each benchmark prompt's nearest dataset text: its similarity, text and item id."""
    from ..analysis.knn import knn_against

    vectors = embed_texts(items["text"].tolist(), **finder.embedding)
    idx, sims = knn_against(finder.prompt_vectors, vectors, 1, cache_dir=finder.arrays_dir)
    return pd.DataFrame({"nearest_similarity": sims[:, 0], "nearest_text": items["text"].to_numpy()[idx[:, 0]],
                         "nearest_id": items["id"].to_numpy()[idx[:, 0]]}, index=finder.prompts.index)


def coverage(data, against: str | Iterable[str] = "all", *, text_column: str | None = None,
             label_column: str | None = None, bench_text_column: str | None = None,
             mapping: str | Path | None = None, nearest: bool = True,
             thresholds: str | Path | Mapping | Thresholds | None = None,
             model: str | None = None, backend: str = "torch", cache_dir: str | Path | None = None) -> pd.DataFrame:
    """Per benchmark category: benchmark_prompts, benchmark_share, subtasks, dataset_items,
    dataset_share and (``nearest``) nearest_median, near_share, closest_prompt, closest_text.
    Arguments as :func:`leakage`; ``mapping``: another coverage map file."""
    items = dataset_texts(data, text_column=text_column)
    finder = LeakFinder(against, label_column=label_column, bench_text_column=bench_text_column, kinds="semantic",
                        thresholds=thresholds, model=model, backend=backend, cache_dir=cache_dir)
    prompts = finder.prompts
    table = coverage_map(mapping)
    per_subtask = items.drop_duplicates("id")["subtask"].value_counts()
    groups = prompts.groupby(["benchmark", "category"], sort=False)
    rows = []
    for (bench, category), part in groups:
        listed = table.loc[(table["benchmark"] == bench) & (table["category"] == category), "subtask"]
        subtasks = [s for s in listed if s]
        # in_map False: the map does not know the category (a user's set); True with no
        # subtasks: it says no subtask covers it
        rows.append({"benchmark": bench, "category": category, "benchmark_prompts": len(part),
                     "in_map": len(listed) > 0, "subtasks": ", ".join(subtasks),
                     "dataset_items": int(per_subtask.reindex(subtasks).fillna(0).sum())})
    out = pd.DataFrame(rows)
    out["benchmark_share"] = out["benchmark_prompts"] / out.groupby("benchmark")["benchmark_prompts"].transform("sum")
    counted = out.groupby("benchmark")["dataset_items"].transform("sum")
    out["dataset_share"] = (out["dataset_items"] / counted.replace(0, np.nan)).fillna(0.0)
    if nearest and len(items):
        threshold = finder.thresholds.semantic.threshold
        near = pd.concat([prompts, _nearest(items, finder)], axis=1)
        closest = near.sort_values("nearest_similarity", ascending=False).drop_duplicates(["benchmark", "category"])
        stats = near.groupby(["benchmark", "category"], sort=False)["nearest_similarity"].agg(
            nearest_median="median", near_share=lambda s: float((s >= threshold).mean()))
        closest = closest.set_index(["benchmark", "category"])[["text", "nearest_text", "nearest_similarity"]]
        closest.columns = ["closest_prompt", "closest_text", "closest_similarity"]
        out = out.join(stats, on=["benchmark", "category"]).join(closest, on=["benchmark", "category"])
        out.attrs["near_threshold"] = threshold
    out.attrs["items"] = int(items["id"].nunique())
    return out.sort_values(["benchmark", "benchmark_prompts"], ascending=[True, False], kind="stable").reset_index(drop=True)
