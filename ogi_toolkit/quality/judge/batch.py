"""Judging through the Batch API (half price, results within 24 h), on the engine's batch rounds.

The engine (:class:`ogi_toolkit.calls.batch.BatchRun`) keeps the state log
(``judge/batches.jsonl``), submits, polls, collects and finds a batch whose id was lost, so a
restarted run collects what it submitted instead of paying again. This module only says which
judgments are due (as batch lines, built one at a time: each holds its images) and how an
answer is kept. Judgments do not depend on each other, so one round submits every due item; a
second round only re-collects.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from ...calls import ItemFailed
from ...calls.batch import BatchRun, DueLine
from .caller import JudgeCalls
from .task import JudgeTask

__all__ = ["judge_batch"]


async def judge_batch(judging, calls: JudgeCalls, *, poll_s: float, log: Callable[[str], None],
                      max_cost: float | None) -> BatchRun:
    """Judge ``judging``'s items through the Batch API; returns the batch run (its counts are the summary's)."""
    caller = calls.caller
    batch = BatchRun(caller.store.root, calls.backend, caller, poll_s=poll_s, log=log, name="judge-round")
    tasks = [t for t in (judging.prepare(r) for r in judging.records) if t is not None]
    by_key = {t.key: t for t in tasks}

    def due_lines(due: list[JudgeTask]) -> Iterator[DueLine]:
        for task in due:
            request, estimate = calls.request(task)
            if not caller.budget.reserve(estimate):
                judging.fail(task.id, "budget", f"max_cost ${max_cost} would be exceeded", task)
                continue
            yield task.key, estimate, calls.backend.judge_batch_line(task.key, request)

    async def due(round_no: int) -> Iterator[DueLine]:
        waiting = []
        for task in tasks:
            if task.id in judging.lines:
                continue  # decided in an earlier round (failed for budget)
            try:
                stored = caller.lookup(task.key, "judge")
            except ItemFailed as exc:  # a reply recorded as maybe paid and not a judgment
                judging.fail(task.id, exc.error["kind"], exc.error["message"], task)
                continue
            if stored is not None:
                judging.judged(task, stored.record)
            elif task.key in batch.errors:
                error = batch.errors[task.key]
                judging.fail(task.id, error["kind"], error["message"], task)
            else:
                waiting.append(task)
        return due_lines(waiting)

    async def answer(key: str, request: dict[str, Any], body: Any) -> None:
        result = calls.backend.parse_judge_response(body)
        task = by_key.get(key)
        if task is None:  # a line of a batch submitted for items no longer in the manifest: kept as is
            caller.save_text(key, "judge", result, 0.0, 1)
        else:
            await calls.keep(task, result, 0.0, 1)

    await batch.rounds(due, answer, max_rounds=9)  # ends when nothing is due: in round 2, or 1 on a rerun
    return batch
