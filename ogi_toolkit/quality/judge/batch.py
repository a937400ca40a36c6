"""Judging through the Batch API (half price, results within 24 h).

The generation batch machinery (:class:`ogi_toolkit.generate.batch.BatchRun`) does the work:
its state log (``judge/batches.jsonl``: each batch file before it is submitted, each batch id
as soon as it is known), collecting and polling, and finding a batch whose id was lost, so a
restarted run collects what it submitted instead of paying again. This module only says what
a judge batch line is and how its answer is stored. Judgments do not depend on each other, so
one round submits every due item; a second round only re-collects.
"""
from __future__ import annotations

import json
import uuid
from typing import Any, Callable

from ...backends.errors import BackendError
from ...atomic_io import atomic_write_bytes
from ...folder import append_jsonl
from ...generate.batch import MAX_BYTES, MAX_LINES, STATE_NAME, BatchRun
from .caller import estimate_judge_cost
from .task import JudgeTask, build_request

__all__ = ["JudgeBatchRun", "judge_batch"]

ENDPOINT = "/v1/chat/completions"


class JudgeBatchRun(BatchRun):
    def __init__(self, judge_run, *, poll_s: float, log: Callable[[str], None]):
        caller = judge_run.caller
        super().__init__([], caller.store.root, caller.backend, caller, rewrite=False, poll_s=poll_s, log=log)
        self.judge_run = judge_run
        self.tasks: dict[str, JudgeTask] = {}

    async def submit_tasks(self, due: list[JudgeTask], round_no: int, max_cost: float | None) -> None:
        """Write the due judgments as batch files (streamed: each file at most the API's limits),
        reserving each one's estimated cost; items the budget cannot hold are left out."""
        chunk: list[bytes] = []
        size = 0
        part = 0
        for task in due:
            request = build_request(task, self.live.rubric, self.live.long_side)
            estimate = estimate_judge_cost(self.live.cost, request)
            if not self.live.budget.reserve(estimate):
                self.judge_run.fail(task.id, "budget", f"max_cost ${max_cost} would be exceeded", task)
                continue
            self.reserved[task.key] = estimate
            line = (json.dumps(self.backend.judge_batch_line(task.key, request)) + "\n").encode("utf-8")
            if chunk and (len(chunk) >= MAX_LINES or size + len(line) > MAX_BYTES):
                await self._send_file(chunk, round_no, part)
                chunk, size, part = [], 0, part + 1
            chunk.append(line)
            size += len(line)
        if chunk:
            await self._send_file(chunk, round_no, part)

    async def _send_file(self, lines: list[bytes], round_no: int, part: int) -> None:
        name = f"judge-round{round_no}-{part}-{uuid.uuid4().hex[:8]}.jsonl"
        data = b"".join(lines)
        atomic_write_bytes(self.out / "batches" / name, data)
        file_id = await self.backend.upload_file(data, name, "batch")
        append_jsonl(self.out / STATE_NAME, {"event": "file", "input_file_id": file_id, "endpoint": ENDPOINT,
                                             "local": f"batches/{name}", "lines": len(lines)})
        await self._create(file_id, ENDPOINT)
        self.submitted += len(lines)
        self.log(f"batch round {round_no}: submitted {len(lines)} judge requests")

    async def _store(self, result: dict[str, Any], request: dict[str, Any] | None) -> None:
        """Store one answered line as a judgment, or record the item's error."""
        key = result.get("custom_id")
        if request is None:
            return  # not ours
        self.live.budget.settle(self.reserved.pop(key, 0.0), 0.0)  # the real cost replaces the estimate
        response = result.get("response") or {}
        try:
            if result.get("error") or response.get("status_code") != 200:
                raise self.backend.batch_error(response.get("status_code"), response.get("body") or {}, result.get("error"))
            text = self.backend.parse_judge_response(response.get("body"))
            task = self.tasks.get(key)
            if task is not None:
                self.live.checked_reply(text.text, task)
            self.live.save_judgment(key, text, 0.0, 1)
            self.collected += 1
        except BackendError as exc:
            self.errors[key] = {"kind": exc.kind, "message": str(exc)}


async def judge_batch(judge_run, *, poll_s: float, log: Callable[[str], None], max_cost: float | None) -> dict[str, int]:
    """Judge ``judge_run``'s items through the Batch API; returns the request counts for the summary."""
    run = JudgeBatchRun(judge_run, poll_s=poll_s, log=log)
    tasks = [t for t in (judge_run.prepare(r) for r in judge_run.records) if t is not None]
    run.tasks = {t.key: t for t in tasks}
    from_store = sum(1 for t in tasks if run.live.store.get(t.key) is not None)  # judged by an earlier run
    for round_no in range(1, 10):  # ends when nothing is due: in round 2, or 1 on a rerun
        for entry in run.open_batches():  # batches of this run or of one that was stopped
            await run.collect(entry)
        due = []
        for task in tasks:
            if task.id in judge_run.lines:
                continue  # failed for budget in an earlier round
            stored = run.live.store.get(task.key)
            if stored is not None:
                judge_run.judged(task, stored)
            elif task.key in run.errors:
                e = run.errors[task.key]
                judge_run.fail(task.id, e["kind"], e["message"], task)
            else:
                due.append(task)
        if not due:
            break
        await run.submit_tasks(due, round_no, max_cost)
    return {"requests_sent": run.submitted, "results_paid": run.collected, "calls_from_store": from_store}
