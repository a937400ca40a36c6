"""Calls through the Batch API (half price, results within 24 h), in rounds, into the same store.

Each round collects the batches still open, asks the run what is due (``due``: the calls not
in the store yet, as batch lines), writes them as batch files (one per endpoint, within the
API's limits), submits them and polls; each answer is stored under its ``custom_id``, which
is the call's request key, by the run's ``answer`` (what to keep: an image, a rewrite, a
judgment). An edit needs its source first, so generation goes in several rounds.

``batches.jsonl`` in the store folder logs each batch file before it is submitted and each
batch id as soon as it is known; a restarted run collects those batches instead of submitting
again (it finds a batch whose id was lost by its input file). Answers that fail in a way that
may have been billed (a malformed body) are recorded as maybe paid, as in a live run.
"""
from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterable

from ..atomic_io import atomic_write_bytes
from ..backends.base import BatchBackend
from ..backends.errors import BackendError
from ..folder import append_jsonl, iter_jsonl
from .caller import BudgetExhausted, CallOutcome, Caller, ItemFailed
from .summary import CallSummary

__all__ = ["BatchRun", "DueCalls", "DueLine", "NeedCall", "STATE_NAME"]

STATE_NAME = "batches.jsonl"
TERMINAL = {"completed", "failed", "expired", "cancelled"}
MAX_LINES = 50_000  # the Batch API's limit per input file
MAX_BYTES = 190 * 1024**2  # under its 200 MB limit

# A call due in the next batch: (request key, estimated cost reserved in the budget, batch line).
DueLine = tuple[str, float, dict[str, Any]]
# Stores one answered line: (request key, the batch line that asked, the answer's body).
Answer = Callable[[str, dict[str, Any], Any], Awaitable[None]]


class BatchRun:
    """Rounds of batches for the run whose calls go through ``caller`` into ``folder``."""

    def __init__(self, folder: Path, backend: BatchBackend, caller: Caller, *, poll_s: float,
                 log: Callable[[str], None], name: str = "round"):
        self.folder, self.backend, self.caller = Path(folder), backend, caller
        self.poll_s, self.log, self.name = poll_s, log, name
        self.errors: dict[str, dict] = {}  # key -> error of a line that came back failed (this run)
        self.submitted = self.collected = 0  # batch lines sent / results stored by this run
        self.reserved: dict[str, float] = {}  # key -> estimated cost held in the budget until collected

    async def rounds(self, due: Callable[[int], Awaitable[Iterable[DueLine]]], answer: Answer,
                     max_rounds: int = 10_000) -> None:
        """Collect, ask what is due, submit; until nothing is due (every call stored or failed)."""
        for round_no in range(1, max_rounds + 1):
            for entry in self.open_batches():  # batches of this run or of one that was stopped
                await self.collect(entry, answer)
            # Each round looks every call up again: the last round's counts stand.
            self.caller.stats.calls_from_store = self.caller.stats.failed_from_store = 0
            if not await self.submit(await due(round_no), round_no):
                return

    def summarise(self, summary: CallSummary) -> CallSummary:
        """``summary`` (filled by :meth:`CallRun.summarise`) with the batch's counts: lines sent and
        answered by this run, and calls found stored that earlier runs (or batches) had paid for."""
        summary.requests_sent, summary.results_paid, summary.retries = self.submitted, self.collected, 0
        summary.calls_from_store = max(0, self.caller.stats.calls_from_store - self.collected)
        return summary

    # -- state: which batch files were written and submitted, which were collected ----------
    def open_batches(self) -> list[dict[str, Any]]:
        files: dict[str, dict[str, Any]] = {}
        for event in iter_jsonl(self.folder / STATE_NAME):
            if event["event"] == "file":
                files[event["input_file_id"]] = dict(event)
            elif event["event"] == "submitted":
                files[event["input_file_id"]]["batch_id"] = event["batch_id"]
            elif event["event"] == "collected":
                files.pop(event["input_file_id"], None)
        return list(files.values())

    # -- submit: write the due lines as batch files, upload and create the batches ------------
    async def submit(self, lines: Iterable[DueLine], round_no: int) -> int:
        """Submit ``lines`` (streamed: a file is sent when full), grouped by endpoint; return how many."""
        open_files: dict[str, tuple[list[bytes], int, int]] = {}  # endpoint -> (lines, bytes, part)
        count = 0
        for key, estimate, line in lines:
            self.reserved[key] = estimate
            raw = (json.dumps(line) + "\n").encode("utf-8")
            chunk, size, part = open_files.get(line["url"], ([], 0, 0))
            if chunk and (len(chunk) >= MAX_LINES or size + len(raw) > MAX_BYTES):
                await self._send_file(chunk, line["url"], round_no, part)
                chunk, size, part = [], 0, part + 1
            chunk.append(raw)
            open_files[line["url"]] = (chunk, size + len(raw), part)
            count += 1
        for endpoint, (chunk, _, part) in open_files.items():
            await self._send_file(chunk, endpoint, round_no, part)
        return count

    async def _send_file(self, lines: list[bytes], endpoint: str, round_no: int, part: int) -> None:
        name = f"{self.name}{round_no}-{endpoint.strip('/').replace('/', '_')}-{part}-{uuid.uuid4().hex[:8]}.jsonl"
        data = b"".join(lines)
        atomic_write_bytes(self.folder / "batches" / name, data)
        file_id = await self.backend.upload_file(data, name, "batch")
        append_jsonl(self.folder / STATE_NAME, {"event": "file", "input_file_id": file_id, "endpoint": endpoint,
                                                "local": f"batches/{name}", "lines": len(lines)})
        await self._create(file_id, endpoint)
        self.submitted += len(lines)
        self.log(f"batch round {round_no}: submitted {len(lines)} {endpoint} requests")

    async def _create(self, file_id: str, endpoint: str) -> str:
        batch_id = await self.backend.create_batch(file_id, endpoint, {"ogi_input_file": file_id})
        append_jsonl(self.folder / STATE_NAME, {"event": "submitted", "input_file_id": file_id, "batch_id": batch_id})
        return batch_id

    # -- collect: poll a batch, then store every answer under its custom_id --------------------
    async def collect(self, entry: dict[str, Any], answer: Answer) -> None:
        batch_id = entry.get("batch_id")
        if batch_id is None:  # logged but the id was lost (killed mid-submit): find it, never resubmit
            batch_id = await self.backend.find_batch(entry["input_file_id"])
            batch_id = batch_id or await self._create(entry["input_file_id"], entry["endpoint"])
        while (batch := await self.backend.retrieve_batch(batch_id))["status"] not in TERMINAL:
            await asyncio.sleep(self.poll_s)
        requests = {line["custom_id"]: line for line in iter_jsonl(self.folder / entry["local"])}
        answered = set()
        for file_key in ("output_file_id", "error_file_id"):
            if batch.get(file_key):
                for raw in (await self.backend.file_content(batch[file_key])).splitlines():
                    if raw.strip():
                        result = json.loads(raw)
                        key = result.get("custom_id")
                        if key in requests:  # else not ours
                            answered.add(key)
                            await self._store(key, result, requests[key], answer)
        for key in set(requests) - answered:
            self.caller.budget.settle(self.reserved.pop(key, 0.0), 0.0)
            self.errors[key] = {"kind": "batch_" + batch["status"],
                                "message": f"batch {batch_id} ended {batch['status']} without this request"}
        append_jsonl(self.folder / STATE_NAME, {"event": "collected", "input_file_id": entry["input_file_id"],
                                                "batch_id": batch_id, "status": batch["status"]})
        self.log(f"batch {batch_id}: {batch['status']}, {len(answered)} of {len(requests)} answered")

    async def _store(self, key: str, result: dict[str, Any], request: dict[str, Any], answer: Answer) -> None:
        estimate = self.reserved.pop(key, 0.0)
        self.caller.budget.settle(estimate, 0.0)  # the real cost replaces the estimate
        response = result.get("response") or {}
        try:
            if result.get("error") or response.get("status_code") != 200:
                raise self.backend.batch_error(response.get("status_code"), response.get("body") or {},
                                               result.get("error"))
            await answer(key, request, response.get("body"))
            self.collected += 1
        except BackendError as exc:
            if exc.maybe_billed:  # answered, so billed: never asked again without --retry-failed
                self.caller.save_paid_failure(key, "batch", exc, 1, estimate)
            self.errors[key] = {"kind": exc.kind, "message": str(exc)}



class NeedCall(Exception):
    """The call is not in the store yet: it goes into the next round's batch."""


class DueCalls:
    """Answers a batch round's walk from the store and gathers the calls still due.

    ``get`` returns a stored outcome, raises the item's failure (recorded by this run or an
    earlier one), :class:`~.caller.BudgetExhausted` when the budget cannot hold the call, or
    :class:`NeedCall` after noting the call (with ``what``, what the run needs to write its line).
    """

    def __init__(self, caller: Caller, errors: dict[str, dict]):
        self.caller, self.errors = caller, errors
        self.due: dict[str, tuple[float, Any]] = {}  # key -> (estimate reserved, what)

    def get(self, key: str, step: str, estimate: float, what: Any) -> CallOutcome:
        if (hit := self.caller.lookup(key, step)) is not None:
            return hit
        if key in self.errors:
            error = self.errors[key]
            raise ItemFailed(step, error["kind"], error["message"])
        if key not in self.due:
            if not self.caller.budget.reserve(estimate):
                raise BudgetExhausted(step)
            self.due[key] = (estimate, what)
        raise NeedCall(key)
