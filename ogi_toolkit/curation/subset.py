"""Nested, stratified subsets of a dataset: the training sets of a data-scaling study.

Every item gets a stable pseudo-random rank from its id and the seed. Within each stratum the
eligible items are taken in that order, and the number taken per stratum comes from
:func:`~.apportion.nested_counts_by_group`, which never lowers a stratum's count as the size
grows: so each subset contains every smaller one. The counts are handed out per subtask first,
whatever the stratification, so every subtask is within one item of its share; then among the
subtask's strata (its difficulties or templates), each within one of its share of the subtask.
A stratification coarser than the subtask (domain, kind) is split into its subtasks by the
paper's counts (``target="paper"``) or the dataset's own, and ``strata.csv`` lists them. Items that fail the quality filters, then near-duplicates, are left out
*before* counting, so a stratum's capacity is what is left; a stratum that cannot fill its
share is reported with that capacity and never padded from other strata (the subset is then
smaller than asked, and says so).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.diversity import diversity_metrics
from ..folder.output import prepare_output, staged_output
from .apportion import nested_counts_by_group
from .duplicates import near_duplicate_losers
from .hashing import unit_hash
from .items import Item, load_items
from .quality import QualityFilter, pass_rates, results_if_present
from .sizes import parse_size, parse_sizes
from .targets import target_weights
from .view import write_view

__all__ = ["SUMMARY_FILE", "SubsetResult", "make_subsets"]

SUMMARY_FILE, STRATA_FILE, LEFT_OUT_FILE = "summary.csv", "strata.csv", "left_out.csv"


@dataclass
class SubsetResult:
    """What :func:`make_subsets` chose: per size and stratum, the target, count and capacity."""

    out: Path
    sizes: dict[str, int]
    stratify: tuple[str, ...]
    strata: pd.DataFrame  # size, <keys>, target, count, capacity, short
    summary: pd.DataFrame  # one row per size: items, short strata, diversity, pass rates, "n:<value>" counts
    left_out: Counter = field(default_factory=Counter)  # reason -> items left out before counting
    ids: dict[str, list[str]] = field(default_factory=dict)  # size name -> the chosen ids

    def short(self) -> pd.DataFrame:
        return self.strata[self.strata["short"]]

    def text(self, limit: int = 10) -> str:
        lines = [f"subsets of {self.summary.attrs.get('dataset')} by {', '.join(self.stratify)} -> {self.out}"]
        lines += [f"  left out before counting: {n} {reason}" for reason, n in sorted(self.left_out.items())]
        for row in self.summary.itertuples():
            lines.append(f"  {row.size}: {row.items} items (asked {row.requested}); {row.strata} strata, "
                         f"{row.short_strata} short of their share")
        short = self.short()
        for row in short.head(limit).itertuples():
            key = " ".join(f"{k}={getattr(row, k)}" for k in self.stratify)
            lines.append(f"    short at {row.size}: {key}: share {row.target:.1f}, capacity {row.capacity}")
        if len(short) > limit:
            lines.append(f"    ... {len(short) - limit} more in {self.out / STRATA_FILE}")
        return "\n".join(lines)


def _sizes(sizes: str | dict[str, int] | list) -> dict[str, int | None]:
    if isinstance(sizes, str):
        return parse_sizes(sizes)
    if isinstance(sizes, dict):
        return {str(name): parse_size(n) for name, n in sizes.items()}
    return {str(s): parse_size(s) for s in sizes}


def make_subsets(dataset: str | Path, sizes: str | dict[str, int] | list, out: str | Path, *,
                 stratify: tuple[str, ...] | list[str] = ("subtask",), target: str | Path = "paper", seed: int = 0,
                 quality: QualityFilter = QualityFilter(), drop_near_duplicates: bool = False,
                 near_duplicate_method: str = "semantic", near_duplicate_threshold: float | None = None,
                 overwrite: bool = False) -> SubsetResult:
    """Write one dataset folder per size under ``out`` (``out/<size as given>/manifest.jsonl``,
    its images linked from ``dataset``), with ``summary.csv``, ``strata.csv`` and ``left_out.csv``.

    ``target``: ``"paper"`` (the taxonomy's counts), ``"dataset"`` (its own distribution) or a
    CSV of counts or shares per stratum. ``quality``: leave out items not known to pass checks
    or the judge. ``drop_near_duplicates``: keep one item of each near-duplicate group (by
    instruction; the analysis layer's ``semantic`` or ``lexical`` method).
    """
    root, out = Path(dataset), Path(out)
    prepare_output(out, inputs=[root], command="ogi subset", overwrite=overwrite)  # before the work
    stratify = tuple(stratify)
    named = _sizes(sizes)
    # the strata counted: the stratify keys, and the subtask when they do not hold it
    fine = stratify if "subtask" in stratify else (*stratify, "subtask")
    loaded = load_items(root, fine)
    named = {name: len(loaded.items) if n is None else n for name, n in named.items()}  # "all"
    _refuse_sizes_above(named, len(loaded.items), root)
    left_out = Counter(loaded.left_out)
    dropped: dict[str, str] = {}
    order = {item.id: unit_hash(seed, item.id) for item in loaded.items}
    if quality.active:
        dropped.update(quality.verdicts(root, [item.id for item in loaded.items]))
    kept = [item for item in loaded.items if item.id not in dropped]
    if drop_near_duplicates:
        losers = near_duplicate_losers([i.text for i in kept], [order[i.id] for i in kept],
                                       method=near_duplicate_method, threshold=near_duplicate_threshold)
        dropped.update({kept[pos].id: "near-duplicate" for pos in losers})
        kept = [item for item in kept if item.id not in dropped]
    available = Counter(item.key for item in loaded.items)
    weights = _per_subtask(target_weights(target, stratify, _coarse(available, stratify, fine)),
                           available, stratify, fine, target)
    pools: dict[tuple, list[Item]] = defaultdict(list)
    for item in sorted(kept, key=lambda i: order[i.id]):
        if weights.get(item.key, 0) > 0:
            pools[item.key].append(item)
        else:
            dropped[item.id] = "stratum not in the target"
    left_out.update(dropped.values())
    strata = sorted((k for k, w in weights.items() if w > 0), key=lambda k: tuple(map(str, k)))
    if not strata:
        raise ValueError(f"{root}: no stratum of {list(stratify)} has a target above 0")
    subtask = fine.index("subtask")
    counts = nested_counts_by_group([weights[k] for k in strata], [k[subtask] for k in strata], list(named.values()))
    total_weight = sum(weights[k] for k in strata)

    rows, chosen = [], {}
    for name, size in named.items():
        picked: list[Item] = []
        for key, n in zip(strata, counts[size]):
            capacity = len(pools[key])
            take = min(int(n), capacity)
            picked += pools[key][:take]
            rows.append({"size": name, **dict(zip(fine, key)), "target": size * weights[key] / total_weight,
                         "allotted": int(n), "count": take, "capacity": capacity, "short": take < n})
        chosen[name] = picked
    strata_frame = pd.DataFrame(rows)
    summary = _summary(root, named, chosen, strata_frame)
    with staged_output(out, command="ogi subset", inputs=[root], overwrite=overwrite) as stage:
        position = {item.id: n for n, item in enumerate(loaded.items)}  # the parent's manifest order
        for name, picked in chosen.items():
            records = [i.record for i in sorted(picked, key=lambda i: position[i.id])]
            write_view(root, records, stage / name, out / name,
                       {"made_by": "ogi subset", "size": named[name], "stratify": list(stratify), "target": str(target),
                        "seed": seed, "quality": quality.describe(), "drop_near_duplicates": drop_near_duplicates,
                        "near_duplicate_method": near_duplicate_method if drop_near_duplicates else None})
        summary.to_csv(stage / SUMMARY_FILE, index=False)
        strata_frame.to_csv(stage / STRATA_FILE, index=False)
        pd.DataFrame(sorted(dropped.items()), columns=["id", "reason"]).to_csv(stage / LEFT_OUT_FILE, index=False)
    return SubsetResult(out, named, fine, strata_frame, summary, left_out,
                        {name: [i.id for i in picked] for name, picked in chosen.items()})


def _coarse(counts: Counter, stratify: tuple[str, ...], fine: tuple[str, ...]) -> Counter:
    """Counts per stratify key from counts per ``fine`` key (which may add the subtask last)."""
    if fine == stratify:
        return counts
    coarse: Counter = Counter()
    for key, n in counts.items():
        coarse[key[:-1]] += n
    return coarse


def _per_subtask(weights: dict[tuple, float], counts: Counter, stratify: tuple[str, ...], fine: tuple[str, ...],
                 target: str | Path) -> dict[tuple, float]:
    """The target's weights per ``fine`` stratum: when the stratification is coarser than the
    subtask, each stratum's weight is split among the subtasks it holds, by the paper's counts
    (``target="paper"``) or by the dataset's own. A stratum of the target with no item keeps its
    weight under subtask None (it is short: nothing can fill it)."""
    if fine == stratify:
        return weights
    paper = {}
    if target == "paper":
        from ..definition.taxonomy import load_taxonomy

        paper = {sub.id: sub.target for sub in load_taxonomy().subtasks}
    within: dict[tuple, dict] = defaultdict(dict)
    for key, n in counts.items():
        within[key[:-1]][key[-1]] = paper.get(key[-1], n) if paper else n
    out: dict[tuple, float] = {}
    for coarse, weight in weights.items():
        shares = within.get(coarse) or {None: 1.0}
        total = sum(shares.values())
        for sub, share in shares.items():
            out[(*coarse, sub)] = weight * share / total
    return out


def _refuse_sizes_above(named: dict[str, int], available: int, root: Path) -> None:
    """A size larger than the dataset would make a folder named for a size it cannot hold
    (``--sizes 50k`` on 2,000 items wrote ``50k/`` with 2,000 and exited 0): refused, naming what
    is there. (Filters and short strata can still leave a subset below its size: it says so.)"""
    over = {name: n for name, n in named.items() if n > available}
    if over:
        listed = ", ".join(f"{name} ({n:,})" for name, n in over.items())
        raise ValueError(f"{root}: size {listed} is more than the {available:,} finished items of the dataset; "
                         f"ask for at most {available:,} (e.g. --sizes {available})")


def _summary(root: Path, named: dict[str, int], chosen: dict[str, list[Item]], strata: pd.DataFrame) -> pd.DataFrame:
    """Per size: items against the request, the distribution's fit, diversity, pass rates."""
    checks, judgments = results_if_present(root)
    first = strata.columns[1]  # the first stratify key (after "size")
    rows: list[dict[str, Any]] = []
    for name, size in named.items():
        picked = chosen[name]
        mine = strata[strata["size"] == name]
        rows.append({
            "size": name, "requested": size, "items": len(picked), "strata": len(mine),
            "short_strata": int(mine["short"].sum()),
            "max_deviation_unshort": float((mine.loc[~mine["short"], "count"] - mine.loc[~mine["short"], "target"])
                                           .abs().max()) if (~mine["short"]).any() else 0.0,
            "largest_stratum_share": float(mine["count"].max() / max(len(picked), 1)),
            # total variation distance between the subset's distribution and the target's
            "target_distance": float(0.5 * (mine["count"] / max(len(picked), 1) - mine["target"] / max(size, 1))
                                     .abs().sum()),
            **{k: v for k, v in diversity_metrics([i.text for i in picked]).items() if k != "n"},
            **pass_rates(checks, judgments, [i.id for i in picked]),
            # the distribution itself, by the first stratify key (strata.csv has every stratum)
            **{f"n:{value}": int(n) for value, n in mine.groupby(first, sort=True)["count"].sum().items()},
        })
    frame = pd.DataFrame(rows)
    frame.attrs["dataset"] = str(root)
    return frame
