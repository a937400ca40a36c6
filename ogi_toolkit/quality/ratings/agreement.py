"""How well raters agree with the judge and with each other (``ogi agreement DIR``).

Per rubric criterion and per pair (each rater with the judge, each two raters): Spearman's ρ
and Cohen's κ with quadratic weights (scores on the rubric's scale; the judge's 0-1 criteria
are mapped back to it), and for pass/fail the share of items both call the same. Each comes
with a percentile bootstrap interval over items (the items are resampled, the pairing kept).
A statistic that is undefined on the data (a rater who gave every item the same score has no
ρ) is NaN, never a made-up 0.

Writes ``agreement.csv`` (long: ``a, b, measure, criterion, n, value, lo, hi``),
``agreement.md`` and ``agreement.png`` into ``DIR/agreement/`` (or ``out``).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from ...atomic_io import atomic_write_text
from ...folder import JUDGMENTS_NAME, RATINGS_NAME, read_judgments
from ..judge.rubric import Rubric, load_rubric
from .ratings import JUDGE_RATER, latest_ratings

__all__ = ["AgreementReport", "agreement", "bootstrap_interval", "pass_agreement", "spearman", "weighted_kappa"]

MEASURES = ("spearman", "kappa_quadratic", "pass_agreement")
PASSED = "passed"  # the criterion name of the pass/fail rows


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's ρ: Pearson's r of the ranks (ties get mean ranks); NaN when either side is
    constant or n < 2."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if len(a) < 2 or np.all(a == a[0]) or np.all(b == b[0]):
        return float("nan")
    return float(np.corrcoef(rankdata(a), rankdata(b))[0, 1])


def weighted_kappa(a: np.ndarray, b: np.ndarray, labels: list[int]) -> float:
    """Cohen's κ with quadratic weights over the scale ``labels`` (consecutive whole numbers):
    1 - Σ w·observed / Σ w·expected, w = (i - j)², expected from the two sides' marginals.
    NaN when that is 0/0 (both sides gave one and the same score to every item)."""
    a, b = np.asarray(a, int) - labels[0], np.asarray(b, int) - labels[0]
    k = len(labels)
    if not len(a):
        return float("nan")
    observed = np.bincount(a * k + b, minlength=k * k).reshape(k, k) / len(a)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    weights = np.subtract.outer(np.arange(k), np.arange(k)) ** 2
    disagreement = float((weights * expected).sum())
    return float("nan") if disagreement == 0 else 1 - float((weights * observed).sum()) / disagreement


def pass_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """The share of items both sides passed or both failed."""
    return float(np.mean(np.asarray(a, bool) == np.asarray(b, bool))) if len(a) else float("nan")


def bootstrap_interval(stat: Callable[[np.ndarray, np.ndarray], float], a: np.ndarray, b: np.ndarray, *,
                       n_boot: int = 1000, seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of ``stat`` over ``n_boot`` resamples of the item pairs (resamples on
    which the statistic is undefined are left out; NaN, NaN when fewer than two items)."""
    a, b = np.asarray(a), np.asarray(b)
    if len(a) < 2:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(a), size=(n_boot, len(a)))
    values = np.array([stat(a[p], b[p]) for p in picks])
    values = values[~np.isnan(values)]
    if not len(values):
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(values, [tail, 100 - tail])
    return float(lo), float(hi)


def _judge_lines(path: Path, rubric: Rubric) -> dict[str, dict[str, Any]]:
    """id -> {criteria on the rubric's scale, passed} of every judged item (errors left out)."""
    span = rubric.scale.max - rubric.scale.min
    out = {}
    for line in read_judgments(path).values():  # the latest line of each id, an error included
        if line.get("error"):
            continue
        criteria = {name: int(round(rubric.scale.min + value * span)) for name, value in (line.get("criteria") or {}).items()}
        out[line["id"]] = {"criteria": criteria, "passed": bool(line["passed"])}
    return out


def _checked_scores(path: Path, rater: str, item_id: str, line: dict[str, Any], rubric: Rubric) -> dict[str, int]:
    """A rating's scores, refused with the line named when they do not fit the rubric's scale."""
    where = f"{path / RATINGS_NAME}: rater {rater!r}, item {item_id!r}"
    scale = line.get("scale")
    if scale is not None and scale != {"min": rubric.scale.min, "max": rubric.scale.max}:
        raise ValueError(f"{where}: rated on the scale {scale}, expected rubric {rubric.name!r}'s "
                         f"{rubric.scale.min}-{rubric.scale.max} (pass --rubric)")
    criteria = line.get("criteria")
    if not isinstance(criteria, dict):
        raise ValueError(f"{where}: criteria = {criteria!r}, expected {{name: score}}")
    for name, value in criteria.items():
        if isinstance(value, bool) or not isinstance(value, int) or not rubric.scale.min <= value <= rubric.scale.max:
            raise ValueError(f"{where}: {name} = {value!r}, expected a whole number from {rubric.scale.min} to {rubric.scale.max}")
    return criteria


def _sides(path: Path, rubric: Rubric) -> dict[str, dict[str, dict[str, Any]]]:
    """name -> id -> {criteria, passed}: each rater's latest non-skipped ratings, and the judge's."""
    sides: dict[str, dict[str, dict[str, Any]]] = {}
    for (rater, item_id), line in sorted(latest_ratings(path).items()):
        if line.get("skipped") or line.get("passed") is None:
            continue
        sides.setdefault(rater, {})[item_id] = {"criteria": _checked_scores(path, rater, item_id, line, rubric),
                                                "passed": bool(line["passed"])}
    judged = _judge_lines(path, rubric)
    if judged:
        sides[JUDGE_RATER] = judged
    return sides


def _pair_rows(a: str, b: str, left: dict, right: dict, rubric: Rubric, n_boot: int, seed: int) -> list[dict]:
    shared = sorted(set(left) & set(right))
    labels = list(range(rubric.scale.min, rubric.scale.max + 1))
    kappa = lambda x, y: weighted_kappa(x, y, labels)  # noqa: E731 - the bootstrap takes a two-argument statistic
    rows = []
    for criterion in [c.name for c in rubric.criteria]:
        ids = [i for i in shared if criterion in left[i]["criteria"] and criterion in right[i]["criteria"]]
        x = np.array([left[i]["criteria"][criterion] for i in ids], dtype=int)
        y = np.array([right[i]["criteria"][criterion] for i in ids], dtype=int)
        for measure, stat in (("spearman", spearman), ("kappa_quadratic", kappa)):
            lo, hi = bootstrap_interval(stat, x, y, n_boot=n_boot, seed=seed)
            rows.append({"a": a, "b": b, "measure": measure, "criterion": criterion, "n": len(ids),
                         "value": stat(x, y), "lo": lo, "hi": hi})
    x = np.array([left[i]["passed"] for i in shared], dtype=bool)
    y = np.array([right[i]["passed"] for i in shared], dtype=bool)
    lo, hi = bootstrap_interval(pass_agreement, x, y, n_boot=n_boot, seed=seed)
    rows.append({"a": a, "b": b, "measure": "pass_agreement", "criterion": PASSED, "n": len(shared),
                 "value": pass_agreement(x, y), "lo": lo, "hi": hi})
    return rows


def agreement_table(path: str | Path, *, rubric: str | Path | Rubric | None = None, n_boot: int = 1000,
                    seed: int = 0) -> pd.DataFrame:
    """The long table (no files written): one row per pair, measure and criterion."""
    path, rubric = Path(path), load_rubric(rubric)
    if not (path / RATINGS_NAME).is_file():
        raise FileNotFoundError(f"no ratings at {path / RATINGS_NAME}: rate items first (RatingPanel({str(path)!r}, rater=...))")
    sides = _sides(path, rubric)
    raters = sorted(name for name in sides if name != JUDGE_RATER)
    pairs = [(r, JUDGE_RATER) for r in raters if JUDGE_RATER in sides] + list(itertools.combinations(raters, 2))
    if not pairs:
        raise ValueError(f"{path}: agreement needs two raters, or ratings and {JUDGMENTS_NAME}; "
                         f"found raters {raters} and {'a' if JUDGE_RATER in sides else 'no'} judge")
    rows = [row for a, b in pairs for row in _pair_rows(a, b, sides[a], sides[b], rubric, n_boot, seed)]
    table = pd.DataFrame(rows, columns=["a", "b", "measure", "criterion", "n", "value", "lo", "hi"])
    # a criterion no pair shares an item of (preservation, when only generations were rated) has nothing to say
    shared = table.groupby("criterion")["n"].transform("max") > 0
    return table[shared].reset_index(drop=True)


def _markdown(table: pd.DataFrame) -> str:
    def cell(row) -> str:
        if np.isnan(row.value):
            return "—"
        interval = "" if np.isnan(row.lo) else f" [{row.lo:.2f}, {row.hi:.2f}]"
        return f"{row.value:.2f}{interval}"

    lines = ["# Agreement", "", "Spearman ρ, quadratic-weighted Cohen's κ and the share of equal pass/fail calls, "
             "with 95% bootstrap intervals; n items rated by both.", "",
             "| a | b | criterion | n | Spearman ρ | κ (quadratic) | pass/fail agreement |", "|---|---|---|---|---|---|---|"]
    for (a, b, criterion), group in table.groupby(["a", "b", "criterion"], sort=False):
        by = {row.measure: cell(row) for row in group.itertuples()}
        lines.append(f"| {a} | {b} | {criterion} | {group.n.iloc[0]} | {by.get('spearman', '')} | "
                     f"{by.get('kappa_quadratic', '')} | {by.get('pass_agreement', '')} |")
    return "\n".join(lines) + "\n"


def _figure(table: pd.DataFrame, file: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pairs = list(dict.fromkeys(zip(table.a, table.b)))
    titles = {"spearman": "Spearman ρ", "kappa_quadratic": "Cohen's κ (quadratic)", "pass_agreement": "pass/fail agreement"}
    fig, axes = plt.subplots(1, 3, figsize=(13, 0.6 * max(4, table.criterion.nunique()) + 1.6), sharey=False)
    colours = plt.get_cmap("tab10").colors
    for ax, measure in zip(axes, MEASURES):
        part = table[table.measure == measure]
        criteria = list(dict.fromkeys(part.criterion))
        for k, pair in enumerate(pairs):
            rows = part[(part.a == pair[0]) & (part.b == pair[1])].set_index("criterion").reindex(criteria)
            y = np.arange(len(criteria)) + (k - (len(pairs) - 1) / 2) * 0.8 / max(1, len(pairs))
            err = np.vstack([rows.value - rows.lo, rows.hi - rows.value])
            ax.errorbar(rows.value, y, xerr=np.nan_to_num(err, nan=0.0), fmt="o", capsize=3, color=colours[k % 10],
                        label=f"{pair[0]} vs {pair[1]}")
        ax.set_yticks(range(len(criteria)), [c.replace("_", " ") for c in criteria])
        ax.invert_yaxis()
        ax.axvline(0, color="0.7", lw=0.8)
        ax.set_xlim(-1.05 if measure != "pass_agreement" else 0, 1.05)
        ax.set_title(titles[measure])
        ax.grid(axis="x", alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(pairs), 6), fontsize=9, frameon=False)
    fig.suptitle("Raters vs the judge and vs each other (95% bootstrap intervals)")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(file, dpi=120)
    plt.close(fig)


@dataclass(frozen=True)
class AgreementReport:
    table: pd.DataFrame
    csv: Path
    markdown: Path
    figure: Path

    def __str__(self) -> str:
        pairs = self.table.drop_duplicates(["a", "b"])
        return f"agreement of {len(pairs)} pairs -> {self.csv}, {self.markdown}, {self.figure}"


def agreement(path: str | Path, out: str | Path | None = None, *, rubric: str | Path | Rubric | None = None,
              n_boot: int = 1000, seed: int = 0) -> AgreementReport:
    """Agreement of the ratings in ``path/ratings.jsonl`` with ``path/judgments.jsonl`` and
    among raters; writes the table (CSV, markdown) and the figure into ``out`` (default ``path/agreement``)."""
    table = agreement_table(path, rubric=rubric, n_boot=n_boot, seed=seed)
    out = Path(out) if out is not None else Path(path) / "agreement"
    out.mkdir(parents=True, exist_ok=True)
    report = AgreementReport(table=table, csv=out / "agreement.csv", markdown=out / "agreement.md",
                             figure=out / "agreement.png")
    atomic_write_text(report.csv, table.to_csv(index=False))
    atomic_write_text(report.markdown, _markdown(table))
    _figure(table, report.figure)
    return report
