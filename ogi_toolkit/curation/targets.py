"""Target shares per stratum: the paper's counts (from the taxonomy), the dataset's own
distribution, or a CSV file of counts or shares."""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

__all__ = ["SUBTASK_KEYS", "target_weights"]

SUBTASK_KEYS = ("kind", "domain", "subtask")  # fixed by the subtask, so the paper's table has them
_WEIGHT_COLUMNS = ("count", "target", "share", "weight")


def target_weights(target: str | Path, stratify: tuple[str, ...], counts: Counter) -> dict[tuple, float]:
    """Weight of each stratum (a tuple of the ``stratify`` values).

    ``target``: ``"paper"`` (the taxonomy's target counts of the subtasks the dataset covers —
    an editing-only dataset gets the paper's shares among editing subtasks; a difficulty share
    from the subtask's difficulty mix; any other key split as the dataset splits it within the
    subtask),
    ``"dataset"`` (``counts``: the dataset's finished items per stratum, before any filter), or a
    CSV path with the stratify columns and one of ``count``, ``target``, ``share``, ``weight``.
    """
    if target == "dataset":
        return {key: float(n) for key, n in counts.items()}
    if target == "paper":
        return _paper(stratify, counts)
    return _from_file(Path(target), stratify)


def _paper(stratify: tuple[str, ...], counts: Counter) -> dict[tuple, float]:
    from ..definition.taxonomy import load_taxonomy

    if not set(stratify) & set(SUBTASK_KEYS):
        raise ValueError(f"stratify {list(stratify)}: the paper's counts are per subtask; stratify by one of "
                         f"{list(SUBTASK_KEYS)} too, or use the dataset's own distribution (--target dataset)")
    others = [k for k in stratify if k not in SUBTASK_KEYS]
    by_subtask: dict[str, Counter] = defaultdict(Counter)  # subtask -> other-key values -> items
    pos = {k: i for i, k in enumerate(stratify)}
    for key, n in counts.items():
        if "subtask" in pos:
            by_subtask[key[pos["subtask"]]][tuple(key[pos[k]] for k in others)] += n
    weights: dict[tuple, float] = defaultdict(float)
    fixed_keys = [k for k in stratify if k in SUBTASK_KEYS]
    present = {tuple(key[pos[k]] for k in fixed_keys) for key in counts}
    for sub in load_taxonomy().subtasks:
        fixed = {"kind": sub.kind, "domain": sub.domain, "subtask": sub.id}
        if tuple(fixed[k] for k in fixed_keys) not in present:
            continue  # a subtask the dataset does not cover is out of its scope, not short
        if not others:
            shares = {(): 1.0}
        elif others == ["difficulty"]:
            shares = {(g,): share for g, share in sub.mix().items()}
        else:  # the dataset's own split of this subtask (nothing to go by without its items)
            seen = by_subtask.get(sub.id) or Counter()
            total = sum(seen.values())
            shares = {values: n / total for values, n in seen.items()} if total else {}
        for values, share in shares.items():
            rest = dict(zip(others, values))
            weights[tuple(fixed[k] if k in fixed else rest[k] for k in stratify)] += sub.target * share
    return dict(weights)


def _from_file(path: Path, stratify: tuple[str, ...]) -> dict[tuple, float]:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: target file not found; expected 'paper', 'dataset' or a CSV file")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [k for k in stratify if k not in frame.columns]
    weight = next((c for c in _WEIGHT_COLUMNS if c in frame.columns), None)
    if missing or weight is None:
        raise ValueError(f"{path}: expected columns {list(stratify)} and one of {list(_WEIGHT_COLUMNS)}; "
                         f"found {list(frame.columns)}")
    weights: dict[tuple, float] = defaultdict(float)
    for line, row in enumerate(frame.itertuples(index=False), 2):
        row = row._asdict()
        try:
            value = float(row[weight])
            key = tuple(int(row[k]) if k == "difficulty" else row[k] for k in stratify)
        except ValueError:
            raise ValueError(f"{path}:{line}: expected a number in '{weight}' (and a whole difficulty); "
                             f"got {row}") from None
        if value < 0:
            raise ValueError(f"{path}:{line}: '{weight}' is {value}; expected >= 0")
        weights[key] += value
    return dict(weights)
