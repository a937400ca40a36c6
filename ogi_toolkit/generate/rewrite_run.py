"""``ogi rewrite``: a plan in, the same plan out with its instructions rewritten by a chat model.

Every spec keeps its structure; ``instruction`` (and, for multi-turn items, each turn's
instruction, the joined instruction rebuilt from them) holds the rewrite, and
``spec.rewrite`` (:class:`~ogi_toolkit.spec.RewriteNote`) keeps what was planned and what
happened. Each rewrite is checked (:func:`~ogi_toolkit.instruction_constraints.check_rewrite`):
one that lost an exact text or an object is asked again once with the problems named in the
prompt; when that one loses a constraint too, the planned text is kept with the reasons.

The calls go through the generation runner's :class:`~.caller.LiveCaller` (concurrency, rpm,
retries, budget, timeouts) or its Batch API rounds, into a result store folder (``store``):
a rerun, or a resume after ``kill -9``, sends only what is not stored. A first try's key is
the one ``ogi generate --rewrite`` uses, so a generate run folder given as ``store`` shares
its rewrites both ways. The output plan is written atomically at the end of a run.
"""
from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Protocol, Sequence

from ..atomic_io import atomic_write_chunks
from ..backends.base import BatchBackend
from ..backends.errors import ContentRefused, RequestTimedOut
from ..config import ModelsConfig, load_models_config
from ..instruction_constraints import check_rewrite, units
from ..folder import CALLS_NAME, iter_jsonl
from ..spec import InstructionSpec, RewriteNote
from .caller import BudgetExhausted, LiveCaller, RunAborted, RunStats
from .cost import Budget, CostModel
from .flow import CallOutcome, ItemFailed, _together
from .keys import rewrite_key
from .lock import RunLock
from .plan_file import as_specs
from .ratelimit import RateLimiter
from .rewrite_units import rebuild
from .runner import check_backend, make_backend, run_sync
from .store import ResultStore

__all__ = ["RewriteSummary", "arewrite_plan", "default_store", "rewrite_dry_run", "rewrite_plan"]

# A unit's outcome, worst last: an item's status is its worst unit's.
STATUS_ORDER = ("rewritten", "retried", "kept", "refused")


def default_store(out: str | Path) -> Path:
    """Where a rewrite run keeps its results when no ``store`` is given: beside the output plan."""
    out = Path(out)
    return out.with_name(out.name + ".calls")


class RewriteCalls(Protocol):
    async def rewrite(self, spec: InstructionSpec, problems: Sequence[str] = ()) -> CallOutcome: ...


def retry_identity(identity: dict[str, Any], problems: Sequence[str]) -> dict[str, Any]:
    """A second try is another request (its prompt names the problems): keyed apart from the first."""
    return {**identity, "retry_problems": list(problems)}


class LiveRewriteCaller(LiveCaller):
    """The live caller, whose rewrite may be a second try naming what the first one lost."""

    async def rewrite(self, spec: InstructionSpec, problems: Sequence[str] = ()) -> CallOutcome:
        # A first try has the key ogi generate --rewrite uses, so the two share results.
        key = rewrite_key(retry_identity(self.rewrite_identity, problems), spec) if problems else self.rewrite_key(spec)
        if (hit := self.lookup(key, "rewrite")) is not None:
            return hit

        async def keep_late(result: Any) -> None:
            self.save_text(key, result, 0.0, 1)

        # image=True: like an image request, a timed-out rewrite may have been done and billed,
        # so it is sent again only within retry_timeouts (its late answer is kept meanwhile).
        result, seconds, attempts = await self._send(lambda: self.backend.rewrite(spec, problems),
                                                     self.cost.estimate_rewrite(), "rewrite", key,
                                                     image=True, keep_late=keep_late)
        return self.save_text(key, result, seconds, attempts)


@dataclass
class UnitOutcome:
    text: str
    status: str  # one of STATUS_ORDER
    reasons: list[str] = field(default_factory=list)
    model: str | None = None
    tries: int = 1


async def rewrite_unit(calls: RewriteCalls, unit: InstructionSpec) -> UnitOutcome:
    """One instruction rewritten and checked; asked again once if it lost a constraint."""
    try:
        first = await calls.rewrite(unit)
        problems = check_rewrite(unit, first.text or "")
        if not problems:
            return UnitOutcome(first.text, "rewritten", model=first.record.get("model"))
        second = await calls.rewrite(unit, problems)
    except ItemFailed as exc:
        if exc.error["kind"] != ContentRefused.kind:
            raise
        return UnitOutcome(unit.instruction, "refused", [f"refused: {exc.error['message']}"])
    still = check_rewrite(unit, second.text or "")
    if not still:
        return UnitOutcome(second.text, "retried", model=second.record.get("model"), tries=2)
    return UnitOutcome(unit.instruction, "kept", [f"first try: {p}" for p in problems]
                       + [f"second try: {p}" for p in still], model=second.record.get("model"), tries=2)


async def rewrite_item(calls: RewriteCalls, spec: InstructionSpec) -> tuple[InstructionSpec, list[UnitOutcome]]:
    """``spec`` rewritten (every unit at once), with each unit's outcome."""
    parts = units(spec)
    outcomes = await _together(*(rewrite_unit(calls, u) for u in parts))
    status = max((o.status for o in outcomes), key=STATUS_ORDER.index)
    many = len(parts) > 1
    reasons = [f"turn {k + 1}: {r}" if many else r for k, o in enumerate(outcomes) for r in o.reasons]
    model = next((o.model for o in outcomes if o.model), None)
    note = RewriteNote(original=spec.instruction, status=status, model=model, reasons=reasons)
    return rebuild(spec, [o.text for o in outcomes], note), outcomes


@dataclass
class RewriteSummary:
    items: int
    rewritten: int = 0  # items whose every instruction kept its constraints on the first try
    retried: int = 0  # items with an instruction fixed on the second try
    kept: int = 0  # items with an instruction kept as planned (both tries lost a constraint)
    refused: int = 0  # items with an instruction the model refused to rewrite (kept as planned)
    already: int = 0  # items rewritten already (spec.rewrite set): passed through, not paid again
    errors: int = 0  # items whose rewrite failed (timeouts, server errors): passed through as planned
    skipped_budget: int = 0  # items left as planned: the next request would pass max_cost
    units: int = 0  # instructions rewritten (a multi-turn item has one per turn)
    second_tries: int = 0  # instructions asked a second time
    requests_sent: int = 0
    calls_from_store: int = 0
    timeouts: int = 0  # requests that gave no answer in time (each may have been billed)
    late_answers: int = 0  # of those, answered later in the run: stored and used
    spent_usd: float = 0.0
    seconds: float = 0.0
    out: str = ""
    store: str = ""
    error_samples: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (f"{self.items} items: {self.rewritten} rewritten, {self.retried} retried, {self.kept} kept as "
                f"planned, {self.refused} refused, {self.already} rewritten already, {self.errors} errors, "
                f"{self.skipped_budget} skipped for budget; {self.units} instructions, {self.second_tries} second "
                f"tries; {self.requests_sent} requests sent, {self.calls_from_store} read from the store, "
                f"${self.spent_usd:.4f} spent, {self.seconds:.1f} s -> {self.out}")
        if self.timeouts:
            text += f"\n{self.timeouts} requests timed out ({self.late_answers} answered late and used)"
        if self.error_samples:
            text += "\nfirst errors: " + "; ".join(self.error_samples)
        return text

    def count(self, status: str, outcomes: list[UnitOutcome]) -> None:
        setattr(self, status, getattr(self, status) + 1)
        self.units += len(outcomes)
        self.second_tries += sum(o.tries == 2 for o in outcomes)


def _write_plan(path: Path, specs: Iterable[InstructionSpec]) -> None:
    atomic_write_chunks(path, ((s.to_json() + "\n").encode("utf-8") for s in specs))


async def _live_run(todo: list[InstructionSpec], caller: LiveRewriteCaller, summary: RewriteSummary,
                    results: dict[str, InstructionSpec], concurrency: int, bar, budget: Budget) -> None:
    queue: asyncio.Queue[InstructionSpec] = asyncio.Queue()
    for spec in todo:
        queue.put_nowait(spec)
    aborted: list[RunAborted] = []
    timed_out: list[InstructionSpec] = []  # walked again once the timed-out requests have closed

    async def handle(spec: InstructionSpec, *, last_walk: bool = False) -> None:
        try:
            rewritten, outcomes = await rewrite_item(caller, spec)
        except ItemFailed as exc:
            if exc.error["kind"] == RequestTimedOut.kind and not last_walk:
                timed_out.append(spec)  # its answer may still come (and be stored) before the run ends
                return
            summary.errors += 1
            if len(summary.error_samples) < 3:
                summary.error_samples.append(f"{spec.id}: {exc}")
        except BudgetExhausted:
            summary.skipped_budget += 1
        else:
            results[spec.id] = rewritten
            summary.count(rewritten.rewrite.status, outcomes)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(kept=summary.kept, retried=summary.retried, spent=f"${budget.spent:.2f}", refresh=False)

    async def worker() -> None:
        while not aborted and not queue.empty():
            spec = queue.get_nowait()
            try:
                await handle(spec)
            except RunAborted as exc:
                aborted.append(exc)

    await asyncio.gather(*(worker() for _ in range(min(concurrency, max(1, len(todo))))))
    await caller.drain()
    recorded_before = caller.stats.failed_from_store
    for spec in timed_out if not aborted else ():
        await handle(spec, last_walk=True)
    caller.stats.failed_from_store = recorded_before
    if aborted:
        raise RunAborted(f"run stopped: {aborted[0]}")


async def arewrite_plan(
    plan: str | Path | Iterable[InstructionSpec],
    out: str | Path,
    *,
    backend: Any = "openai",
    backend_options: dict[str, Any] | None = None,
    store: str | Path | None = None,
    concurrency: int = 8,
    rpm: float | None = None,
    max_cost: float | None = None,
    max_attempts: int = 6,
    backoff_s: float = 1.0,
    retry_timeouts: int = 0,
    retry_failed: bool = False,
    batch: bool = False,
    poll_s: float = 30.0,
    config: ModelsConfig | str | Path | None = None,
    progress: bool = True,
    check_models: bool = True,
) -> RewriteSummary:
    """The coroutine behind :func:`rewrite_plan`."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be >= 1, got {concurrency}")
    started = time.perf_counter()
    specs = as_specs(plan)
    config = config if isinstance(config, ModelsConfig) else load_models_config(config)
    be = make_backend(backend, backend_options, config)
    if batch and not isinstance(be, BatchBackend):
        raise ValueError(f"backend {be.name!r} has no Batch API; run without --batch")
    out = Path(out)
    store_dir = Path(store) if store is not None else default_store(out)
    store_dir.mkdir(parents=True, exist_ok=True)
    summary = RewriteSummary(items=len(specs), out=str(out), store=str(store_dir))
    results: dict[str, InstructionSpec] = {}
    todo = []
    for spec in specs:
        if spec.rewrite is not None:  # an output of ogi rewrite: its text is the rewrite already
            summary.already += 1
        else:
            todo.append(spec)
    lock = RunLock(store_dir).acquire()
    result_store = bar = None
    budget, stats = Budget(max_cost), RunStats()
    try:
        result_store = ResultStore(store_dir)
        caller = LiveRewriteCaller(store=result_store, backend=be, cost=CostModel.for_backend(be, config, batch=batch),
                                   budget=budget, limiter=RateLimiter(rpm), concurrency=concurrency,
                                   size=config.defaults.size, max_attempts=max_attempts, backoff_s=backoff_s,
                                   stats=stats, retry_timeouts=retry_timeouts, retry_failed=retry_failed)
        if check_models and todo:
            await check_backend(be, rewrite=True)
        if batch:
            from .rewrite_batch import batch_rounds

            log = (lambda msg: print(f"ogi rewrite: {msg}", file=sys.stderr, flush=True)) if progress else (lambda m: None)
            await batch_rounds(todo, caller, be, store_dir, summary, results, poll_s=poll_s, log=log)
        else:
            bar = _progress_bar(len(todo), progress)
            await _live_run(todo, caller, summary, results, concurrency, bar, budget)
        # Every item is written: rewritten ones as rewritten, the others as they came.
        _write_plan(out, (results.get(s.id, s) for s in specs))
    finally:
        if result_store is not None:
            result_store.close()
        if bar is not None:
            bar.close()
        await be.aclose()
        lock.release()
    if not batch:
        summary.requests_sent, summary.calls_from_store = stats.requests_sent, stats.calls_from_store
        summary.timeouts, summary.late_answers = stats.timeouts, stats.late_answers
    summary.spent_usd = round(budget.spent, 6)
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def _progress_bar(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="item", desc="rewrite")


def rewrite_plan(plan: str | Path | Iterable[InstructionSpec], out: str | Path, **options: Any) -> RewriteSummary:
    """Rewrite every instruction of ``plan`` with the chat model into the plan file ``out``.

    ``backend`` ("openai", or a Backend instance) and ``backend_options`` (``chat_model``,
    ``base_url``, ``timeout``...) as for :func:`~.runner.run_plan`; ``store``: the folder of
    stored results (default ``<out>.calls``; a generate run folder shares its rewrites);
    ``concurrency``, ``rpm``, ``max_cost``, ``max_attempts``, ``retry_timeouts``, ``retry_failed``
    as for generation (a timed-out rewrite, which may have been billed, is not sent again unless
    ``retry_timeouts`` allows it; its late answer is used); ``batch=True`` goes through the Batch API (first tries, then second tries).
    Rerun it to resume: nothing stored is sent again. Works in notebooks too.
    """
    return run_sync(arewrite_plan(plan, out, **options))


def rewrite_dry_run(plan: str | Path | Iterable[InstructionSpec], *, backend: Any = "openai",
                    backend_options: dict[str, Any] | None = None, store: str | Path | None = None,
                    out: str | Path | None = None, batch: bool = False,
                    config: ModelsConfig | str | Path | None = None):
    """Requests and estimated cost per subtask of rewriting ``plan``, and the chat model; sends nothing.

    Rewrites found in the store (``store``, or the default beside ``out``) count as done.
    Second tries are not known before the first answers: the estimate is for first tries.
    """
    import pandas as pd

    specs = as_specs(plan)
    config = config if isinstance(config, ModelsConfig) else load_models_config(config)
    be = make_backend(backend, backend_options, config)
    identity = be.rewrite_identity()
    store_dir = Path(store) if store is not None else (default_store(out) if out is not None else None)
    stored = set()
    if store_dir is not None:
        stored = {r["key"] for r in iter_jsonl(store_dir / CALLS_NAME) if "key" in r and "failed" not in r}
    per_request = CostModel.for_backend(be, config, batch=batch).estimate_rewrite()
    rows: dict[str, dict[str, Any]] = {}
    for spec in specs:
        row = rows.setdefault(spec.subtask, {"subtask": spec.subtask, "items": 0, "requests": 0, "stored": 0})
        row["items"] += 1
        if spec.rewrite is not None:
            continue
        for unit in units(spec):
            if rewrite_key(identity, unit) in stored:
                row["stored"] += 1
            else:
                row["requests"] += 1
    table = pd.DataFrame(list(rows.values()), columns=["subtask", "items", "requests", "stored"])
    table["est_cost_usd"] = (table["requests"] * per_request).round(4)
    table.attrs["chat_model"] = identity.get("chat_model", be.name)
    return table
