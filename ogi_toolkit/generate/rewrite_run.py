"""``ogi rewrite``: a plan in, the same plan out with its instructions rewritten by a chat model.

Every spec keeps its structure; ``instruction`` (and, for multi-turn items, each turn's
instruction, the joined instruction rebuilt from them) holds the rewrite, and
``spec.rewrite`` (:class:`~ogi_toolkit.spec.RewriteNote`) keeps what was planned and what
happened. Each rewrite is checked (:func:`~ogi_toolkit.instruction_constraints.check_rewrite`):
one that lost an exact text or an object is asked again once with the problems named in the
prompt; when that one loses a constraint too, the planned text is kept with the reasons.

The calls go through the call engine (:class:`~ogi_toolkit.calls.CallRun`: concurrency, rpm,
retries, budget, timeouts) or its Batch API rounds, into a result store folder (``store``):
a rerun, or a resume after ``kill -9``, sends only what is not stored. A first try's key is
the one ``ogi generate --rewrite`` uses, so a generate run folder given as ``store`` shares
its rewrites both ways. The output plan is written atomically at the end of a run.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Iterable, Protocol, Sequence

from ..backends.base import BatchBackend
from ..backends.errors import ContentRefused
from ..calls import BudgetExhausted, CallOutcome, CallRun, CallSummary, ItemFailed, check_backend, open_backend
from ..calls import run_sync
from ..calls.batch import BatchRun, DueCalls, DueLine, NeedCall
from ..calls.cost import CostModel
from ..config import ModelsConfig
from ..instruction_constraints import check_rewrite, units
from ..planning import write_specs
from ..spec import InstructionSpec, RewriteNote
from .flow import together
from .item_calls import RewriteCalls
from .plan_file import as_specs
from .rewrite_units import rebuild

__all__ = ["RewriteSummary", "arewrite_plan", "default_store", "rewrite_plan"]

# A unit's outcome, worst last: an item's status is its worst unit's.
STATUS_ORDER = ("rewritten", "retried", "kept", "refused")


def default_store(out: str | Path) -> Path:
    """Where a rewrite run keeps its results when no ``store`` is given: beside the output plan."""
    out = Path(out)
    return out.with_name(out.name + ".calls")


class Rewriter(Protocol):
    """Who makes the rewrites: a live run (:class:`~.item_calls.RewriteCalls`) or a batch round."""

    async def rewrite(self, spec: InstructionSpec, problems: Sequence[str] = ()) -> CallOutcome: ...


@dataclass
class UnitOutcome:
    text: str
    status: str  # one of STATUS_ORDER
    reasons: list[str] = field(default_factory=list)
    model: str | None = None
    tries: int = 1


async def rewrite_unit(calls: Rewriter, unit: InstructionSpec) -> UnitOutcome:
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


async def rewrite_item(calls: Rewriter, spec: InstructionSpec) -> tuple[InstructionSpec, list[UnitOutcome]]:
    """``spec`` rewritten (every unit at once), with each unit's outcome."""
    parts = units(spec)
    outcomes = await together(*(rewrite_unit(calls, u) for u in parts))
    status = max((o.status for o in outcomes), key=STATUS_ORDER.index)
    many = len(parts) > 1
    reasons = [f"turn {k + 1}: {r}" if many else r for k, o in enumerate(outcomes) for r in o.reasons]
    model = next((o.model for o in outcomes if o.model), None)
    note = RewriteNote(original=spec.instruction, status=status, model=model, reasons=reasons)
    return rebuild(spec, [o.text for o in outcomes], note), outcomes


@dataclass
class RewriteSummary(CallSummary):
    items: int = 0
    rewritten: int = 0  # items whose every instruction kept its constraints on the first try
    retried: int = 0  # items with an instruction fixed on the second try
    kept: int = 0  # items with an instruction kept as planned (both tries lost a constraint)
    refused: int = 0  # items with an instruction the model refused to rewrite (kept as planned)
    already: int = 0  # items rewritten already (spec.rewrite set): passed through, not paid again
    errors: int = 0  # items whose rewrite failed (timeouts, server errors): passed through as planned
    skipped_budget: int = 0  # items left as planned: the next request would pass max_cost
    units: int = 0  # instructions rewritten (a multi-turn item has one per turn)
    second_tries: int = 0  # instructions asked a second time
    store: str = ""
    error_samples: list[str] = field(default_factory=list)

    resent: ClassVar[str] = "rewrites"
    late: ClassVar[str] = "used"

    def __str__(self) -> str:
        text = (f"{self.items} items: {self.rewritten} rewritten, {self.retried} retried, {self.kept} kept as "
                f"planned, {self.refused} refused, {self.already} rewritten already, {self.errors} errors, "
                f"{self.skipped_budget} skipped for budget; {self.units} instructions, {self.second_tries} second "
                f"tries; " + self.calls_text("read from the store"))
        return self.with_notes(text, ["first errors: " + "; ".join(self.error_samples) if self.error_samples else ""])

    def count(self, status: str, outcomes: list[UnitOutcome]) -> None:
        setattr(self, status, getattr(self, status) + 1)
        self.units += len(outcomes)
        self.second_tries += sum(o.tries == 2 for o in outcomes)

    def failed(self, spec: InstructionSpec, exc: Exception) -> None:
        self.errors += 1
        if len(self.error_samples) < 3:
            self.error_samples.append(f"{spec.id}: {exc}")


class BatchRewrites:
    """Rewrites in a batch round: answered from the store, or noted as due for the next batch."""

    def __init__(self, calls: RewriteCalls, due: DueCalls):
        self.calls, self.due = calls, due

    async def rewrite(self, spec: InstructionSpec, problems: Sequence[str] = ()) -> CallOutcome:
        return self.due.get(self.calls.rewrite_key(spec, problems), "rewrite", self.calls.rewrite_estimate(),
                            (spec, list(problems)))


async def _batch_rounds(run: CallRun, calls: RewriteCalls, todo: list[InstructionSpec], summary: RewriteSummary,
                        results: dict[str, InstructionSpec], *, poll_s: float, log) -> BatchRun:
    """First tries in round one; second tries of the rewrites that lost a constraint in the next."""
    batch = BatchRun(run.folder, run.backend, run.caller, poll_s=poll_s, log=log)
    final: dict[str, tuple[str, Any]] = {}

    async def due(round_no: int) -> list[DueLine]:
        items = DueCalls(run.caller, batch.errors)
        for spec in todo:
            try:
                final[spec.id] = ("done", await rewrite_item(BatchRewrites(calls, items), spec))
            except NeedCall:
                final[spec.id] = ("pending", None)
            except ItemFailed as exc:
                final[spec.id] = ("error", exc)
            except BudgetExhausted:
                final[spec.id] = ("skipped_budget", None)
        return [(key, estimate, run.backend.batch_line(key, "rewrite", spec=spec, problems=problems))
                for key, (estimate, (spec, problems)) in items.due.items()]

    async def answer(key: str, request: dict[str, Any], body: Any) -> None:
        await calls.keep_text(key, run.backend.parse_chat_response(body), 0.0, 1)

    await batch.rounds(due, answer, max_rounds=99)
    for spec in todo:
        status, value = final[spec.id]
        if status == "done":
            rewritten, outcomes = value
            results[spec.id] = rewritten
            summary.count(rewritten.rewrite.status, outcomes)
        elif status == "error":
            summary.failed(spec, value)
        elif status == "skipped_budget":
            summary.skipped_budget += 1
    return batch


async def _live(run: CallRun, calls: RewriteCalls, todo: list[InstructionSpec], summary: RewriteSummary,
                results: dict[str, InstructionSpec], progress: bool) -> None:
    async def handle(spec: InstructionSpec) -> None:
        try:
            rewritten, outcomes = await rewrite_item(calls, spec)
        except ItemFailed as exc:
            if exc.still_open:
                raise  # walked again once its request has closed: a late answer may finish it
            summary.failed(spec, exc)
        except BudgetExhausted:
            summary.skipped_budget += 1
        else:
            results[spec.id] = rewritten
            summary.count(rewritten.rewrite.status, outcomes)

    await run.walk(todo, handle, progress="rewrite" if progress else "",
                   postfix=lambda: {"kept": summary.kept, "retried": summary.retried, "spent": f"${run.budget.spent:.2f}"})


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
    close_timeout: float | None = None,
    batch: bool = False,
    poll_s: float = 30.0,
    config: ModelsConfig | str | Path | None = None,
    progress: bool = True,
    check_models: bool = True,
) -> RewriteSummary:
    """The coroutine behind :func:`rewrite_plan`."""
    specs = as_specs(plan)
    be, config = open_backend(backend, backend_options, config)
    if batch and not isinstance(be, BatchBackend):
        raise ValueError(f"backend {be.name!r} has no Batch API; run without --batch")
    out = Path(out)
    store_dir = Path(store) if store is not None else default_store(out)
    results: dict[str, InstructionSpec] = {}
    todo = [spec for spec in specs if spec.rewrite is None]  # the others are outputs of ogi rewrite already
    run = CallRun(store_dir, be, CostModel.for_backend(be, config, batch=batch), concurrency=concurrency, rpm=rpm,
                  max_cost=max_cost, max_attempts=max_attempts, backoff_s=backoff_s, retry_timeouts=retry_timeouts,
                  retry_failed=retry_failed, close_timeout=close_timeout, busy_hint="or use another --store")
    summary = RewriteSummary(items=len(specs), already=len(specs) - len(todo), out=str(out), store=str(store_dir))
    async with run:
        calls = RewriteCalls(run.caller, be)
        if check_models and todo:
            await check_backend(be, rewrite=True)
        rounds = None
        if batch:
            log = (lambda msg: print(f"ogi rewrite: {msg}", file=sys.stderr, flush=True)) if progress else (lambda m: None)
            rounds = await _batch_rounds(run, calls, todo, summary, results, poll_s=poll_s, log=log)
        else:
            await _live(run, calls, todo, summary, results, progress)
        # Every item is written: rewritten ones as rewritten, the others as they came.
        write_specs(out, (results.get(s.id, s) for s in specs))
    run.summarise(summary)
    return rounds.summarise(summary) if rounds is not None else summary


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
