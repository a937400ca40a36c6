"""The planner: N instruction specs across subtasks, by quota, with no repeats.

Quotas are proportional to the paper's counts by default (or given per subtask, or over a
subset); each subtask's quota is split over its difficulty grades. Items are drawn with the
sampler, which drops exact and near duplicates (same subtask and canonical slots, whatever
the template or synonyms). A subtask whose space cannot supply its quota makes the planner
raise :class:`CapacityError` naming every short subtask with its estimated capacity; it never
pads or repeats.
"""
from __future__ import annotations

import math
from typing import Iterable, Mapping

from ..definition.taxonomy import Taxonomy, load_taxonomy
from ..spec import InstructionSpec
from ..templates.sampler import Draw, compiled, default_pools, draw, estimate_capacity, gc_paused, split
from .quotas import grade_quotas, parse_difficulty_mix, subtask_quotas
from .workers import draw_jobs

__all__ = ["plan", "plan_draws", "CapacityError", "capacity", "to_frame", "summary", "draws_summary"]


class CapacityError(ValueError):
    """Some subtasks cannot fill their quota; ``shortfalls`` holds one dict per subtask."""

    def __init__(self, shortfalls: list[dict]):
        self.shortfalls = shortfalls
        lines = []
        for s in shortfalls:
            grades = "; ".join(
                f"grade {g}: found {found} of {s['wanted'][g]} in {s['attempts'][g]} draws, estimated capacity ~{_fmt_capacity(cap)}"
                for g, found, cap in s["short_grades"]
            )
            lines.append(f"  {s['subtask']}: quota {s['quota']}, found {s['found']} distinct; {grades}")
        super().__init__(
            f"{len(shortfalls)} subtask(s) cannot fill their quota without repeats:\n" + "\n".join(lines)
            + "\nLower their counts (--counts / --total), or add pool items or templates to widen them."
        )


def _fmt_capacity(value: float) -> str:
    return "unbounded" if math.isinf(value) else f"{int(round(value)):,}"


def _supply(result: Draw, caps: dict[int, float]) -> float:
    """What a short subtask can supply at its mix: a filled grade its share, a short grade its
    estimated capacity, a probed grade (not tried in full) its estimate up to its share."""
    total = 0.0
    for g in result.attempts:
        if g in result.probed:
            total += min(caps[g], result.wanted[g])
        elif g in result.short_grades:
            total += caps[g]
        else:
            total += result.wanted[g]
    return total


def _redraw_cross_subtask_duplicates(draws: list[Draw], jobs, taxonomy, pools, seed: int) -> None:
    """No exact duplicate across subtasks either: a subtask whose text (for the same input image)
    repeats an earlier subtask's is drawn again with the earlier texts excluded (rare: subtasks
    use different templates), checked in taxonomy order."""
    earlier: set[str] = set()
    for i, (sid, wanted) in enumerate(jobs):
        keys = draws[i].text_keys()
        if earlier.intersection(keys):  # rare: different subtasks use different templates
            draws[i] = draw(compiled(taxonomy, sid), pools, wanted, seed, seen=set(earlier))
            keys = draws[i].text_keys()
        earlier.update(keys)


def _progress_bar(total: int):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="spec", desc="plan")


def _resolve(taxonomy, pools):
    taxonomy = taxonomy or load_taxonomy()
    pools = pools if pools is not None else default_pools()
    return taxonomy, pools


def plan_draws(
    total: int | None = None,
    counts: Mapping[str, int] | None = None,
    subtasks: Iterable[str] | None = None,
    seed: int = 0,
    difficulty_mix: Mapping[int, float] | str | None = None,
    *,
    taxonomy: Taxonomy | None = None,
    pools=None,
    workers: int = 1,
    as_lines: bool = False,
    progress: bool = False,
) -> list[Draw]:
    """Like :func:`plan`, but returns one :class:`Draw` per subtask (specs plus draw counts).

    ``as_lines``: no longer needed (every draw holds its specs as JSON lines, ``Draw.json_text``).
    ``progress``: a progress bar of specs drawn (tqdm: a widget in notebooks)."""
    taxonomy, pools = _resolve(taxonomy, pools)
    if isinstance(difficulty_mix, str):
        difficulty_mix = parse_difficulty_mix(difficulty_mix)
    quotas = subtask_quotas(taxonomy, total=total, counts=counts, subtasks=subtasks)
    jobs = [(sid, grade_quotas(taxonomy.subtask(sid), quota, difficulty_mix)) for sid, quota in quotas.items()]
    with gc_paused():  # for the whole plan, not per subtask: see gc_paused
        # Each subtask is drawn on its own (its items do not depend on the others planned with it)
        def draw_one(i: int) -> Draw:
            sid, wanted = jobs[i]
            return draw(compiled(taxonomy, sid), pools, wanted, seed)

        def cost(i: int) -> float:  # editing builders cost ~3x the generation ones per item
            sid, wanted = jobs[i]
            return sum(wanted.values()) * (3 if taxonomy.subtask(sid).kind == "editing" else 1)

        bar = _progress_bar(sum(sum(w.values()) for _, w in jobs)) if progress else None
        try:
            draws = draw_jobs(jobs, draw_one, cost, workers=workers,
                              on_draw=(lambda d: bar.update(len(d))) if bar is not None else None)
        finally:
            if bar is not None:
                bar.close()
        _redraw_cross_subtask_duplicates(draws, jobs, taxonomy, pools, seed)
    shortfalls = []
    for result in draws:
        sid, quota = result.subtask, sum(result.wanted.values())
        if result.short:
            caps = {g: estimate_capacity(result.attempts[g], result.found[g]) for g in result.attempts}
            short = [(g, result.found[g], caps[g]) for g in result.short_grades]
            shortfalls.append({
                "subtask": sid, "quota": quota, "found": len(result), "wanted": result.wanted,
                "attempts": result.attempts, "short_grades": short,
                "capacity": _supply(result, caps),
            })
    if shortfalls:
        raise CapacityError(shortfalls)
    return draws


def plan(
    total: int | None = None,
    counts: Mapping[str, int] | None = None,
    subtasks: Iterable[str] | None = None,
    seed: int = 0,
    difficulty_mix: Mapping[int, float] | str | None = None,
    *,
    taxonomy: Taxonomy | None = None,
    pools=None,
    workers: int = 1,
    progress: bool = False,
) -> list[InstructionSpec]:
    """A plan of instruction specs, deterministic for ``seed``.

    * default: the paper's distribution (every subtask's target; 80,700 in all);
    * ``total``: that many, split in proportion to the targets (largest remainder);
    * ``subtasks``: only these (with ``total``: split among them by their targets);
    * ``counts``: exactly these per-subtask counts;
    * ``difficulty_mix``: ``{grade: share}`` or ``"1=.3,2=.4,3=.3"`` for every subtask
      (default: each subtask's own mix);
    * ``workers``: processes that draw subtasks (forked; Linux). The plan is the same for any
      number; ``planning.available_workers()`` is this machine's CPUs;
    * ``progress``: a progress bar while drawing.

    Raises :class:`CapacityError` when a subtask cannot fill its quota without repeats.
    """
    draws = plan_draws(total, counts, subtasks, seed, difficulty_mix, taxonomy=taxonomy, pools=pools, workers=workers,
                       progress=progress)
    with gc_paused():  # ~10^6 models are made here
        return [spec for d in draws for spec in d.specs()]


def capacity(
    subtasks: Iterable[str] | None = None,
    draws: int = 2000,
    seed: int = 0,
    *,
    taxonomy: Taxonomy | None = None,
    pools=None,
):
    """Estimated number of distinct items per subtask, from ``draws`` draws at its own mix.

    A DataFrame: subtask, target, draws, distinct, capacity (inf when no repeat was seen,
    i.e. the space is much larger than ``draws``), and capacity / target.
    """
    import pandas as pd

    taxonomy, pools = _resolve(taxonomy, pools)
    rows = []
    for sid in subtasks if subtasks is not None else [s.id for s in taxonomy.subtasks]:
        cs = compiled(taxonomy, sid)
        wanted = split(draws, cs.subtask.mix())
        # Ask for as many distinct items as draws: the draw stops at the attempt limit or
        # when a grade is exhausted; distinct/attempts per grade give the estimate.
        result = draw(cs, pools, wanted, seed)
        cap = sum(estimate_capacity(result.attempts[g], result.found[g]) for g in result.attempts)
        rows.append({
            "subtask": sid, "target": cs.subtask.target, "draws": sum(result.attempts.values()),
            "distinct": len(result), "capacity": cap,
            "capacity_per_target": cap / cs.subtask.target if cs.subtask.target else math.inf,
        })
    return pd.DataFrame(rows)


def to_frame(specs: Iterable[InstructionSpec]):
    """One row per spec in the shared item schema (:mod:`ogi_toolkit.schema`), plus ``slots``."""
    from ..schema import LABELS, item_frame, spec_row

    fields = ("id", "instruction", *LABELS, "seed")
    return item_frame(spec_row({f: getattr(s, f) for f in fields}, slots=s.slots) for s in specs)


def summary(specs: Iterable[InstructionSpec]):
    """Per subtask: count, templates used, and the count per difficulty grade."""
    frame = to_frame(specs)
    if frame.empty:
        return frame
    grades = frame.pivot_table(index="subtask", columns="difficulty", values="id", aggfunc="count", fill_value=0)
    grades.columns = [f"grade_{g}" for g in grades.columns]
    base = frame.groupby("subtask", sort=False).agg(kind=("kind", "first"), domain=("domain", "first"), count=("id", "size"), templates=("template_id", "nunique"))
    return base.join(grades).reset_index()


def draws_summary(draws: Iterable[Draw], taxonomy: Taxonomy | None = None):
    """:func:`summary` of a plan from its draws (their counts; no spec is parsed)."""
    import pandas as pd

    taxonomy = taxonomy or load_taxonomy()
    draws = list(draws)
    grades = sorted({g for d in draws for g in d.found})
    rows = []
    for d in draws:
        sub = taxonomy.subtask(d.subtask)
        row = {"subtask": d.subtask, "kind": sub.kind, "domain": sub.domain, "count": len(d), "templates": len(d.templates)}
        rows.append(row | {f"grade_{g}": d.found.get(g, 0) for g in grades})
    return pd.DataFrame(rows)
