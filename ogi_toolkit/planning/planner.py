"""The planner: N instruction specs across subtasks, by quota, with no repeats.

Quotas are proportional to the paper's counts by default (or given per subtask, or over a
subset); each subtask's quota is split over its difficulty grades. Items are drawn with the
sampler, which drops exact and near duplicates (same subtask and canonical slots, whatever
the template or synonyms). A subtask whose space cannot supply its quota makes the planner
raise :class:`CapacityError` naming every short subtask with its estimated capacity; it never
pads or repeats. A subtask with a quota beyond paper scale is probed first (a small draw that
estimates its capacity), so an impossible plan fails in seconds, before anything else is drawn.
:func:`write_plan` streams a plan to a file a batch of subtasks at a time: the plan is never
held in memory whole.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import orjson

from ..atomic_io import atomic_write_chunks
from ..definition.taxonomy import Taxonomy, load_taxonomy
from ..spec import InstructionSpec
from ..templates.validate import validate_taxonomy
from ..templates.sampler import (
    ATTEMPTS_PER_ITEM, Draw, compiled, default_pools, draw, estimate_capacity, gc_paused, split,
)
from .calibration import Calibration, load_calibration, shape
from .quotas import check_mix, grade_quotas, parse_difficulty_mix, subtask_quotas
from .workers import draw_jobs

__all__ = ["plan", "plan_draws", "iter_draws", "write_plan", "write_specs", "CapacityError", "capacity", "to_frame", "summary",
           "draws_summary"]

# A subtask whose quota is over this (beyond every paper target, 19,000) is probed first.
PROBE_ABOVE = 20_000
# Items the probe asks for per grade, and the repeats it needs before its estimate is trusted.
PROBE_ITEMS = 1_000
PROBE_MIN_REPEATS = 5
# Subtasks are drawn (and a plan written) in batches of about this many items.
BATCH_ITEMS = 100_000


class CapacityError(ValueError):
    """Some subtasks cannot fill their quota; ``shortfalls`` holds one dict per subtask."""

    def __init__(self, shortfalls: list[dict]):
        self.shortfalls = shortfalls
        lines = []
        for s in shortfalls:
            grades = "; ".join(
                f"grade {g}: found {found:,} of {s['wanted'][g]:,} in {s['attempts'][g]:,} draws, estimated capacity ~{_fmt_capacity(cap)}"
                for g, found, cap in s["short_grades"]
            )
            probe = f" in a probe of {PROBE_ITEMS:,} per grade" if s.get("probe") else ""
            lines.append(f"  {s['subtask']}: quota {s['quota']}, found {s['found']} distinct{probe}; {grades}")
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


def _without_cross_subtask_duplicates(d: Draw, wanted: dict[int, int], taxonomy, pools, seed: int,
                                      earlier: set[str]) -> Draw:
    """No exact duplicate across subtasks either: a subtask whose text (for the same input image)
    repeats an earlier subtask's is drawn again with the earlier texts excluded (rare: subtasks
    use different templates), checked in taxonomy order. ``earlier`` gains this draw's texts."""
    if earlier.intersection(d.text_keys()):
        d = draw(compiled(taxonomy, d.subtask), pools, wanted, seed, seen=set(earlier))
    earlier.update(d.text_keys())
    return d


# Rounds of redrawing a subtask whose items an ``avoid`` check flags (each round bans the
# flagged texts; a redraw rarely flags anything new).
AVOID_ROUNDS = 5


def _without_flagged(d: Draw, wanted: dict[int, int], taxonomy, pools, seed: int, earlier: set[str],
                     avoid: Callable[[list[dict]], list[int]]) -> Draw:
    """The draw again, with the texts ``avoid`` flags (positions of its items, e.g. benchmark
    leaks) banned: the same seed draws past them, so the other items stay as they were.
    ``earlier`` holds this draw's texts on entry and the final draw's on return."""
    banned: set[str] = set()
    for _ in range(AVOID_ROUNDS):
        flagged = avoid([orjson.loads(line) for line in d.lines.splitlines()])
        if not flagged:
            return d
        banned.update(d.keys[i] for i in flagged)
        earlier.difference_update(d.keys)
        d = draw(compiled(taxonomy, d.subtask), pools, wanted, seed, seen=earlier | banned)
        earlier.update(d.keys)
    raise ValueError(f"subtask {d.subtask}: items still flagged by avoid after {AVOID_ROUNDS} redraws")


def _progress_bar(total: int):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="spec", desc="plan")


def _resolve(taxonomy, pools):
    taxonomy = taxonomy or load_taxonomy()
    pools = pools if pools is not None else default_pools()
    validate_taxonomy(taxonomy, pools)  # every subtask, as every command checks it (not only the planned ones)
    return taxonomy, pools


def _shortfall(result: Draw) -> dict:
    caps = {g: estimate_capacity(result.attempts[g], result.found[g]) for g in result.attempts}
    short = [(g, result.found[g], caps[g]) for g in result.short_grades]
    return {"subtask": result.subtask, "quota": sum(result.wanted.values()), "found": len(result),
            "wanted": result.wanted, "attempts": result.attempts, "short_grades": short,
            "capacity": _supply(result, caps)}


def _probe(jobs: list, taxonomy, pools, seed: int, workers: int) -> None:
    """Fail fast: draw a small probe of every subtask whose quota is beyond paper scale and raise
    :class:`CapacityError` for those whose estimated capacity is under half their quota (the
    estimate is rough with few repeats, hence the margin; the full draw still checks the rest)."""
    big = [(sid, wanted) for sid, wanted in jobs if sum(wanted.values()) > PROBE_ABOVE]
    if not big:
        return
    probes = [(sid, {g: min(n, PROBE_ITEMS) for g, n in wanted.items()}) for sid, wanted in big]

    def probe_one(i: int) -> Draw:
        sid, wanted = probes[i]
        return draw(compiled(taxonomy, sid), pools, wanted, seed)

    with gc_paused():
        results = draw_jobs(probes, probe_one, lambda i: sum(probes[i][1].values()), workers=workers)
    shortfalls = []
    for (sid, wanted), result in zip(big, results):
        short_grades = []
        for g, n in wanted.items():
            if g not in result.attempts:
                continue
            attempts, found = result.attempts[g], result.found[g]
            cap = estimate_capacity(attempts, found)
            exhausted = found < min(n, PROBE_ITEMS)  # the probe itself ran dry
            if exhausted or (attempts - found >= PROBE_MIN_REPEATS and cap * -math.expm1(-ATTEMPTS_PER_ITEM * n / cap) < n / 2):
                short_grades.append((g, found, cap))
        if short_grades:
            caps = {g: estimate_capacity(result.attempts[g], result.found[g]) for g in result.attempts}
            shortfalls.append({"subtask": sid, "quota": sum(wanted.values()), "found": len(result), "wanted": wanted,
                               "attempts": result.attempts, "short_grades": short_grades,
                               "capacity": sum(min(caps[g], wanted[g]) for g in caps), "probe": True})
    if shortfalls:
        raise CapacityError(shortfalls)


def _batches(jobs: list) -> Iterator[list[int]]:
    """Job indices in order, cut into runs of about BATCH_ITEMS items (a paper plan is one run)."""
    batch: list[int] = []
    items = 0
    for i, (_, wanted) in enumerate(jobs):
        batch.append(i)
        items += sum(wanted.values())
        if items >= BATCH_ITEMS:
            yield batch
            batch, items = [], 0
    if batch:
        yield batch


def iter_draws(
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
    calibration: str | Path | Calibration | None = None,
    calibration_strength: float = 1.0,
    calibration_quotas: bool = False,
    avoid: Callable[[list[dict]], list[int]] | None = None,
) -> Iterator[Draw]:
    """The draws of :func:`plan_draws`, one per subtask in taxonomy order, made a batch of
    subtasks at a time (a caller that writes each out holds one batch, not the plan).

    ``calibration`` (a ``calibration.json`` of ``ogi calibrate``) moves each calibrated
    subtask's mix (and with ``calibration_quotas`` its quota) toward its sweet-spot cells,
    by ``calibration_strength`` (0-1), keeping the total; see :mod:`.calibration`.

    ``avoid``: given a subtask's items (spec dicts), the positions of those to leave out (e.g.
    ``benchmarks.LeakFinder("geneval,parti")``, items near a benchmark prompt); they are redrawn.

    Raises :class:`CapacityError` before drawing when a probe shows a quota is far beyond its
    subtask's capacity, and after the last draw when any subtask fell short."""
    taxonomy, pools = _resolve(taxonomy, pools)
    if isinstance(difficulty_mix, str):
        difficulty_mix = parse_difficulty_mix(difficulty_mix)
    elif difficulty_mix is not None:
        difficulty_mix = check_mix(difficulty_mix)
    quotas = subtask_quotas(taxonomy, total=total, counts=counts, subtasks=subtasks)
    shaping = None
    if calibration is not None:
        if not isinstance(calibration, Calibration):
            calibration = load_calibration(calibration, taxonomy)
        shaping = shape(calibration, taxonomy, quotas, difficulty_mix, strength=calibration_strength,
                        move_quotas=calibration_quotas)
        quotas = shaping.quotas
    mixes = shaping.mixes if shaping else {}  # calibrated subtasks' mixes; the rest keep difficulty_mix
    jobs = [(sid, grade_quotas(taxonomy.subtask(sid), quota, mixes.get(sid, difficulty_mix))) for sid, quota in quotas.items()]
    _probe(jobs, taxonomy, pools, seed, workers)
    bar = _progress_bar(sum(sum(w.values()) for _, w in jobs)) if progress else None
    earlier: set[str] = set()  # every text drawn so far: no exact duplicate across subtasks
    shortfalls = []
    try:
        for batch in _batches(jobs):
            with gc_paused():  # for the whole batch, not per subtask: see gc_paused
                # Each subtask is drawn on its own (its items do not depend on the others planned with it)
                def draw_one(k: int) -> Draw:
                    sid, wanted = jobs[batch[k]]
                    return draw(compiled(taxonomy, sid), pools, wanted, seed)

                def cost(k: int) -> float:  # editing builders cost ~3x the generation ones per item
                    sid, wanted = jobs[batch[k]]
                    return sum(wanted.values()) * (3 if taxonomy.subtask(sid).kind == "editing" else 1)

                draws = draw_jobs([jobs[i] for i in batch], draw_one, cost, workers=workers,
                                  on_draw=(lambda d: bar.update(len(d))) if bar is not None else None)
                for i, d in zip(batch, draws):
                    d = _without_cross_subtask_duplicates(d, jobs[i][1], taxonomy, pools, seed, earlier)
                    if avoid is not None:
                        d = _without_flagged(d, jobs[i][1], taxonomy, pools, seed, earlier, avoid)
                    if d.short:
                        shortfalls.append(_shortfall(d))
                    yield shaping.stamp(d) if shaping else d
                del draws
    finally:
        if bar is not None:
            bar.close()
    if shortfalls:
        raise CapacityError(shortfalls)


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
    progress: bool = False,
    **calibration: Any,
) -> list[Draw]:
    """Like :func:`plan`, but returns one :class:`Draw` per subtask (specs plus draw counts).

    ``progress``: a progress bar of specs drawn (tqdm: a widget in notebooks); ``calibration``,
    ``calibration_strength``, ``calibration_quotas``: see :func:`iter_draws`."""
    return list(iter_draws(total, counts, subtasks, seed, difficulty_mix, taxonomy=taxonomy, pools=pools,
                           workers=workers, progress=progress, **calibration))


def _counts_only(d: Draw) -> Draw:
    """A draw's counts without its items (what a summary of a written plan needs)."""
    return Draw(d.subtask, wanted=d.wanted, attempts=d.attempts, found=d.found, cpu_s=d.cpu_s,
                probed=d.probed, templates=d.templates)


def write_plan(
    path: str | Path,
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
    validate: bool = False,
    **calibration: Any,
) -> list[Draw]:
    """Write the plan of :func:`plan` to ``path`` (one spec JSON per line) as it is drawn.
    ``validate``: check every line against the spec model first (``Draw.validate``).

    The file appears whole or not at all (a temporary file beside it, renamed at the end;
    nothing is left behind on an error such as :class:`CapacityError`), with the permissions
    the umask gives new files. Returns each subtask's draw counts, without their items
    (``draws_summary`` of them is the plan's summary)."""
    path = Path(path)
    if path.is_dir():  # before any drawing: a wrong path costs nothing
        raise ValueError(f"{path}: is a folder; expected a plan file name such as {path / 'plan.jsonl'}")
    summaries = []

    def lines() -> Iterator[bytes]:
        for d in iter_draws(total, counts, subtasks, seed, difficulty_mix, taxonomy=taxonomy, pools=pools,
                            workers=workers, progress=progress, **calibration):
            if validate:
                d.validate()
            summaries.append(_counts_only(d))
            yield d.json_text()

    _write_lines(path, lines())
    return summaries


def write_specs(path: str | Path, specs: Iterable[InstructionSpec]) -> None:
    """Write specs drawn elsewhere (a calibration plan, a demo's) as a plan file, the way
    :func:`write_plan` does: one ``InstructionSpec.to_json`` line each, whole or not at all."""
    _write_lines(Path(path), ((spec.to_json() + "\n").encode("utf-8") for spec in specs))


def _write_lines(path: Path, lines: Iterable[bytes]) -> None:
    if path.is_dir():
        raise ValueError(f"{path}: is a folder; expected a plan file name such as {path / 'plan.jsonl'}")
    atomic_write_chunks(path, lines)


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
    **calibration: Any,
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
    * ``progress``: a progress bar while drawing;
    * ``calibration="calib/calibration.json"`` (with ``calibration_strength``, 0-1, default 1,
      and ``calibration_quotas``): each calibrated subtask's difficulty mix (and quota) moved
      toward its sweet-spot cells, the total kept, recorded in its specs' ``calibration``;
    * ``avoid``: a check that flags items to redraw (see :func:`iter_draws`).

    Raises :class:`CapacityError` when a subtask cannot fill its quota without repeats.
    """
    draws = plan_draws(total, counts, subtasks, seed, difficulty_mix, taxonomy=taxonomy, pools=pools, workers=workers,
                       progress=progress, **calibration)
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
        count = sum(d.found.values())  # the items drawn (a written plan's draws keep counts only)
        row = {"subtask": d.subtask, "kind": sub.kind, "domain": sub.domain, "count": count, "templates": len(d.templates)}
        rows.append(row | {f"grade_{g}": d.found.get(g, 0) for g in grades})
    return pd.DataFrame(rows)
