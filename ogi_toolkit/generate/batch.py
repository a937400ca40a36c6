"""Run a plan through the Batch API (half price, results within 24 h), in rounds.

An edit needs its source image first, so a batch run goes in rounds: each round walks every
item (:mod:`.flow`) against the store, gathers the calls that are due (rewrites, sources and
reference images in round one; the edits, then turn after turn, in later rounds), writes them
as batch files (one per endpoint: ``/v1/chat/completions``, ``/v1/images/generations``,
``/v1/images/edits``), submits them, polls, and stores each answer under its ``custom_id``,
which is the call's request key. Results land in the same store and manifest as a live run.

``batches.jsonl`` in the run folder logs each batch file before it is submitted and each
batch id as soon as it is known; a restarted run collects those batches instead of submitting
again (it finds a batch whose id was lost by its input file). Edit inputs are uploaded as
files once (``batch_uploads.jsonl``) and referenced by file id.
"""
from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Iterable

from ..backends.base import BatchBackend, ImageRequest
from ..backends.errors import BackendError
from ..config import ModelsConfig, load_models_config
from ..spec import InstructionSpec
from ..atomic_io import atomic_write_bytes
from ..folder import MANIFEST_NAME, ManifestWriter, append_jsonl, iter_jsonl, latest_records
from .caller import BudgetExhausted, LiveCaller, RunStats
from .cost import Budget, CostModel
from .flow import CallOutcome, ItemFailed, ItemWalk, StoredImage, walk_item
from .lock import RunLock
from .plan_file import as_specs
from .ratelimit import RateLimiter
from .record import item_record, same_result
from .runner import RunSummary, check_backend, make_backend, run_sync
from .store import ResultStore

__all__ = ["arun_batch", "run_batch"]

STATE_NAME = "batches.jsonl"
UPLOADS_NAME = "batch_uploads.jsonl"
TERMINAL = {"completed", "failed", "expired", "cancelled"}
MAX_LINES = 50_000  # the Batch API's limit per input file
MAX_BYTES = 190 * 1024**2  # under its 200 MB limit


class NeedCall(Exception):
    """The call is not in the store yet: it goes into the next round's batch."""


class BatchCollector:
    """A :class:`~.flow.Caller` that answers from the store and records what is still due."""

    def __init__(self, live: LiveCaller, errors: dict[str, dict]):
        self.live, self.errors = live, errors
        self.due: dict[str, dict[str, Any]] = {}  # key -> what to put in the batch line

    def _due(self, key: str, step: str, estimate: float, entry: dict[str, Any]) -> None:
        if key in self.errors:
            e = self.errors[key]
            raise ItemFailed(step, e["kind"], e["message"])
        if key not in self.due:
            if not self.live.budget.reserve(estimate):
                raise BudgetExhausted(step)
            self.due[key] = {**entry, "estimate": estimate}
        raise NeedCall(key)

    async def image(self, call: str, step: str, prompt: str, inputs: tuple[StoredImage, ...],
                    spec: InstructionSpec) -> CallOutcome:
        key = self.live.image_key(call, step, prompt, inputs, spec)
        if (hit := self.live.lookup(key)) is not None:
            return hit
        self._due(key, step, self.live.cost.estimate_image(prompt, len(inputs), self.live.size),
                  {"call": call, "step": step, "prompt": prompt, "inputs": inputs, "spec": spec})

    async def rewrite(self, spec: InstructionSpec) -> CallOutcome:
        key = self.live.rewrite_key(spec)
        if (hit := self.live.lookup(key)) is not None:
            return hit
        self._due(key, "rewrite", self.live.cost.estimate_rewrite(), {"call": "rewrite", "step": "rewrite", "spec": spec})


class BatchRun:
    def __init__(self, specs: list[InstructionSpec], out: Path, backend: Any, live: LiveCaller, *,
                 rewrite: bool, poll_s: float, log):
        self.specs, self.out, self.backend, self.live = specs, out, backend, live
        self.rewrite, self.poll_s, self.log = rewrite, poll_s, log
        self.errors: dict[str, dict] = {}
        self.submitted = self.collected = 0  # batch lines sent / results stored by this run
        self.reserved: dict[str, float] = {}  # key -> estimated cost held in the budget until collected
        self.uploads = {r["sha"]: r["file_id"] for r in iter_jsonl(out / UPLOADS_NAME)}

    # -- state: which batch files were written and submitted, which were collected ----------
    def open_batches(self) -> list[dict[str, Any]]:
        files: dict[str, dict[str, Any]] = {}
        for event in iter_jsonl(self.out / STATE_NAME):
            if event["event"] == "file":
                files[event["input_file_id"]] = dict(event)
            elif event["event"] == "submitted":
                files[event["input_file_id"]]["batch_id"] = event["batch_id"]
            elif event["event"] == "collected":
                files.pop(event["input_file_id"], None)
        return list(files.values())

    async def walk(self, collector) -> dict[str, tuple[ItemWalk, str, dict | None]]:
        outcomes = {}
        for spec in self.specs:
            walk = ItemWalk(instruction=spec.instruction, original_instruction=spec.instruction)
            status, error = "done", None
            try:
                await walk_item(spec, collector, walk, rewrite=self.rewrite)
            except NeedCall:
                status = "pending"
            except ItemFailed as exc:
                status, error = "error", exc.error
            except BudgetExhausted as exc:
                status, error = "skipped_budget", {"step": str(exc), "kind": "budget", "message": "max_cost would be exceeded"}
            outcomes[spec.id] = (walk, status, error)
        return outcomes

    # -- one round: write, upload and submit the due calls -----------------------------------
    async def _file_ids(self, inputs: tuple[StoredImage, ...]) -> list[str]:
        ids = []
        for image in inputs:
            if image.sha not in self.uploads:
                file_id = await self.backend.upload_file(self.live.store.read_image(image.rel), f"{image.sha}.png", "vision")
                append_jsonl(self.out / UPLOADS_NAME, {"sha": image.sha, "file_id": file_id})
                self.uploads[image.sha] = file_id
            ids.append(self.uploads[image.sha])
        return ids

    async def submit(self, due: dict[str, dict[str, Any]], round_no: int) -> None:
        by_endpoint: dict[str, list[bytes]] = {}
        for key, entry in due.items():
            self.reserved[key] = entry["estimate"]
            if entry["call"] == "rewrite":
                line = self.backend.batch_line(key, "rewrite", spec=entry["spec"], problems=entry.get("problems", ()))
            else:
                request = ImageRequest(prompt=entry["prompt"], step=entry["step"], size=self.live.size, spec=entry["spec"])
                file_ids = await self._file_ids(entry["inputs"]) if entry["call"] == "edit" else None
                line = self.backend.batch_line(key, entry["call"], request, file_ids=file_ids)
            by_endpoint.setdefault(line["url"], []).append((json.dumps(line) + "\n").encode("utf-8"))
        for endpoint, lines in by_endpoint.items():
            for part, chunk in enumerate(_chunks(lines)):
                name = f"round{round_no}-{endpoint.strip('/').replace('/', '_')}-{part}-{uuid.uuid4().hex[:8]}.jsonl"
                data = b"".join(chunk)
                atomic_write_bytes(self.out / "batches" / name, data)
                file_id = await self.backend.upload_file(data, name, "batch")
                append_jsonl(self.out / STATE_NAME, {"event": "file", "input_file_id": file_id, "endpoint": endpoint,
                                                     "local": f"batches/{name}", "lines": len(chunk)})
                await self._create(file_id, endpoint)
                self.submitted += len(chunk)
                self.log(f"batch round {round_no}: submitted {len(chunk)} {endpoint} requests")

    async def _create(self, file_id: str, endpoint: str) -> str:
        batch_id = await self.backend.create_batch(file_id, endpoint, {"ogi_input_file": file_id})
        append_jsonl(self.out / STATE_NAME, {"event": "submitted", "input_file_id": file_id, "batch_id": batch_id})
        return batch_id

    # -- collect: poll a batch, then store every answer under its custom_id --------------------
    async def collect(self, entry: dict[str, Any]) -> None:
        batch_id = entry.get("batch_id")
        if batch_id is None:  # logged but the id was lost (killed mid-submit): find it, never resubmit
            batch_id = await self.backend.find_batch(entry["input_file_id"])
            batch_id = batch_id or await self._create(entry["input_file_id"], entry["endpoint"])
        while (batch := await self.backend.retrieve_batch(batch_id))["status"] not in TERMINAL:
            await asyncio.sleep(self.poll_s)
        requests = {}
        for line in iter_jsonl(self.out / entry["local"]):
            requests[line["custom_id"]] = line
        answered = set()
        for file_key in ("output_file_id", "error_file_id"):
            if batch.get(file_key):
                for raw in (await self.backend.file_content(batch[file_key])).splitlines():
                    if raw.strip():
                        result = json.loads(raw)
                        answered.add(result.get("custom_id"))
                        await self._store(result, requests.get(result.get("custom_id")))
        for key in set(requests) - answered:
            self.live.budget.settle(self.reserved.pop(key, 0.0), 0.0)
            self.errors[key] = {"kind": "batch_" + batch["status"], "message": f"batch {batch_id} ended {batch['status']} without this request"}
        append_jsonl(self.out / STATE_NAME, {"event": "collected", "input_file_id": entry["input_file_id"],
                                             "batch_id": batch_id, "status": batch["status"]})
        self.log(f"batch {batch_id}: {batch['status']}, {len(answered)} of {len(requests)} answered")

    async def _store(self, result: dict[str, Any], request: dict[str, Any] | None) -> None:
        key = result.get("custom_id")
        if request is None:
            return  # not ours
        self.live.budget.settle(self.reserved.pop(key, 0.0), 0.0)  # the real cost replaces the estimate
        response, body = result.get("response") or {}, None
        try:
            if result.get("error") or response.get("status_code") != 200:
                body = response.get("body") or {}
                raise self.backend.batch_error(response.get("status_code"), body, result.get("error"))
            body = response.get("body")
            if request["url"] == "/v1/chat/completions":
                self.live.save_text(key, self.backend.parse_chat_response(body), 0.0, 1)
            else:
                call = "edit" if request["url"] == "/v1/images/edits" else "generate"
                await self.live.save_image(key, call, "batch", request["body"]["prompt"],
                                           self.backend.parse_image_response(body), 0.0, 1)
            self.collected += 1
        except BackendError as exc:
            self.errors[key] = {"kind": exc.kind, "message": str(exc)}


def _chunks(lines: list[bytes]) -> Iterable[list[bytes]]:
    chunk, size = [], 0
    for line in lines:
        if chunk and (len(chunk) >= MAX_LINES or size + len(line) > MAX_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(line)
        size += len(line)
    if chunk:
        yield chunk


async def arun_batch(
    plan: str | Path | Iterable[InstructionSpec],
    out: str | Path,
    *,
    backend: Any = "openai",
    backend_options: dict[str, Any] | None = None,
    rewrite: bool = False,
    size: str | None = None,
    max_cost: float | None = None,
    config: ModelsConfig | str | Path | None = None,
    poll_s: float = 30.0,
    progress: bool = True,
) -> RunSummary:
    """Like :func:`~.runner.arun_plan`, through the Batch API. Restart it the same way."""
    started = time.perf_counter()
    specs = as_specs(plan)
    config = config if isinstance(config, ModelsConfig) else load_models_config(config)
    size = size or config.defaults.size
    be = make_backend(backend, backend_options, config)
    if not isinstance(be, BatchBackend):
        raise ValueError(f"backend {be.name!r} has no Batch API; run without --batch")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stats, budget = RunStats(), Budget(max_cost)
    log = (lambda msg: print(f"ogi generate: {msg}", file=sys.stderr, flush=True)) if progress else (lambda msg: None)
    lock = RunLock(out).acquire()  # before reading anything: another run may be writing
    store = None
    try:
        store = ResultStore(out)
        live = LiveCaller(store=store, backend=be, cost=CostModel.for_backend(be, config, batch=True),
                          budget=budget, limiter=RateLimiter(None), concurrency=1, size=size, stats=stats)
        run = BatchRun(specs, out, be, live, rewrite=rewrite, poll_s=poll_s, log=log)
        await check_backend(be, rewrite=rewrite)
        for round_no in range(1, 10_000):
            for entry in run.open_batches():
                await run.collect(entry)
            collector = BatchCollector(live, run.errors)
            stats.calls_from_store = 0
            final = await run.walk(collector)
            if not collector.due:
                break  # every item is finished, failed or out of budget
            await run.submit(collector.due, round_no)
        counts = _write_manifest(out, specs, final, backend=be, size=size, rewrite=rewrite)
    finally:
        if store is not None:
            store.close()
        await be.aclose()
        lock.release()
    return RunSummary(items=len(specs), done=counts["done"], errors=counts["error"],
                      skipped_budget=counts["skipped_budget"], unchanged=counts["unchanged"],
                      requests_sent=run.submitted, results_paid=run.collected,
                      calls_from_store=stats.calls_from_store - run.collected, retries=0,
                      spent_usd=round(budget.spent, 6), seconds=round(time.perf_counter() - started, 3), out=str(out))


def _write_manifest(out: Path, specs: list[InstructionSpec], final: dict, **record_args: Any) -> dict[str, int]:
    previous = latest_records(out / MANIFEST_NAME)
    counts = {"done": 0, "error": 0, "skipped_budget": 0, "pending": 0, "unchanged": 0}
    with ManifestWriter(out / MANIFEST_NAME) as writer:
        for spec in specs:
            walk, status, error = final[spec.id]
            counts[status] += 1
            if status == "pending":
                continue
            record = item_record(spec, walk, status=status, seconds=0.0, error=error, **record_args)
            if same_result(previous.get(spec.id), record):
                counts["unchanged"] += 1
            else:
                writer.append(record)
    return counts


def run_batch(plan, out, **options: Any) -> RunSummary:
    """Synchronous :func:`arun_batch` (see :func:`~.runner.run_plan` for notebooks)."""
    return run_sync(arun_batch(plan, out, **options))
