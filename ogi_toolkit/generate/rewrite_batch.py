"""``ogi rewrite --batch``: the rewrites through the Batch API, in rounds.

Round one holds every first try; a round after it, the second tries of the rewrites that lost
a constraint. Batch files, submission and collection are the generation batch run's
(:class:`~.batch.BatchRun`: ``batches.jsonl`` in the store folder, so a restarted run collects
what it submitted instead of submitting again); answers land in the same store as live calls.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..spec import InstructionSpec
from .batch import BatchRun, NeedCall
from .caller import BudgetExhausted, LiveCaller
from .flow import CallOutcome, ItemFailed
from .keys import rewrite_key
from .rewrite_run import RewriteSummary, retry_identity, rewrite_item

__all__ = ["BatchRewriteCollector", "batch_rounds"]


class BatchRewriteCollector:
    """Answers rewrites from the store and records those still due for the next batch."""

    def __init__(self, live: LiveCaller, errors: dict[str, dict]):
        self.live, self.errors = live, errors
        self.due: dict[str, dict[str, Any]] = {}

    async def rewrite(self, spec: InstructionSpec, problems: Sequence[str] = ()) -> CallOutcome:
        identity = retry_identity(self.live.rewrite_identity, problems) if problems else self.live.rewrite_identity
        key = rewrite_key(identity, spec)
        if (hit := self.live.lookup(key, "rewrite")) is not None:
            return hit
        if key in self.errors:
            error = self.errors[key]
            raise ItemFailed("rewrite", error["kind"], error["message"])
        if key not in self.due:
            estimate = self.live.cost.estimate_rewrite()
            if not self.live.budget.reserve(estimate):
                raise BudgetExhausted("rewrite")
            self.due[key] = {"call": "rewrite", "step": "rewrite", "spec": spec, "problems": list(problems),
                             "estimate": estimate}
        raise NeedCall(key)


async def _walk(todo: list[InstructionSpec], collector: BatchRewriteCollector):
    outcomes = {}
    for spec in todo:
        try:
            outcomes[spec.id] = ("done", await rewrite_item(collector, spec))
        except NeedCall:
            outcomes[spec.id] = ("pending", None)
        except ItemFailed as exc:
            outcomes[spec.id] = ("error", str(exc))
        except BudgetExhausted:
            outcomes[spec.id] = ("skipped_budget", None)
    return outcomes


async def batch_rounds(todo: list[InstructionSpec], live: LiveCaller, backend: Any, store_dir: Path,
                       summary: RewriteSummary, results: dict[str, InstructionSpec], *, poll_s: float, log) -> None:
    """Submit and collect rounds until every item is rewritten, failed or out of budget."""
    run = BatchRun(todo, store_dir, backend, live, rewrite=True, poll_s=poll_s, log=log)
    for round_no in range(1, 100):
        for entry in run.open_batches():
            await run.collect(entry)
        collector = BatchRewriteCollector(live, run.errors)
        live.stats.calls_from_store = 0
        final = await _walk(todo, collector)
        if not collector.due:
            break
        await run.submit(collector.due, round_no)
    for spec in todo:
        status, value = final[spec.id]
        if status == "done":
            rewritten, outcomes = value
            results[spec.id] = rewritten
            summary.count(rewritten.rewrite.status, outcomes)
        elif status == "error":
            summary.errors += 1
            if len(summary.error_samples) < 3:
                summary.error_samples.append(f"{spec.id}: {value}")
        elif status == "skipped_budget":
            summary.skipped_budget += 1
    summary.requests_sent = run.submitted
    summary.calls_from_store = max(0, live.stats.calls_from_store - run.collected)
