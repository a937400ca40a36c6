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
    fixed_keys = [k for k in stratify if k in SUBTASK_KEYS]
    pos = {k: i for i, k in enumerate(stratify)}

    def fixed_of(key: tuple) -> tuple:
        return tuple(key[pos[k]] for k in fixed_keys)

    present = {fixed_of(key) for key in counts}
    # the paper's count of each group of fixed keys (a subtask, a domain, a kind...), split by
    # difficulty with each subtask's own mix when asked
    paper: dict[tuple, float] = defaultdict(float)
    for sub in load_taxonomy().subtasks:
        fixed = {"kind": sub.kind, "domain": sub.domain, "subtask": sub.id}
        group = tuple(fixed[k] for k in fixed_keys)
        if group not in present:
            continue  # a subtask the dataset does not cover is out of its scope, not short
        shares = {(g,): share for g, share in sub.mix().items()} if others == ["difficulty"] else {(): 1.0}
        for values, share in shares.items():
            paper[(group, values)] += sub.target * share
    weights: dict[tuple, float] = defaultdict(float)
    if others == ["difficulty"] or not others:
        for (group, values), w in paper.items():
            rest = dict(zip(others, values))
            weights[_join(stratify, fixed_keys, group, rest)] += w
        return dict(weights)
    # other keys (template_id, or several): the dataset's own split within each group
    within: dict[tuple, Counter] = defaultdict(Counter)
    for key, n in counts.items():
        within[fixed_of(key)][tuple(key[pos[k]] for k in others)] += n
    for (group, _), w in paper.items():
        total = sum(within[group].values())
        for values, n in within[group].items():
            weights[_join(stratify, fixed_keys, group, dict(zip(others, values)))] += w * n / total
    return dict(weights)


def _join(stratify: tuple[str, ...], fixed_keys: list[str], group: tuple, rest: dict) -> tuple:
    fixed = dict(zip(fixed_keys, group))
    return tuple(fixed[k] if k in fixed else rest[k] for k in stratify)


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
