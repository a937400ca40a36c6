"""Run a plan through the Batch API (half price, results within 24 h), in rounds.

An edit needs its source image first, so a batch run goes in rounds: each round walks every
item (:mod:`.flow`) against the store, gathers the calls that are due (rewrites, sources and
reference images in round one; the edits, then turn after turn, in later rounds) and hands
them to the engine's :class:`~ogi_toolkit.calls.batch.BatchRun` (batch files per endpoint,
submission, polling, ``batches.jsonl``, restarts). Results land in the same store and
manifest as a live run. Edit inputs are uploaded as files once (``batch_uploads.jsonl``) and
referenced by file id.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterable

from ..backends.base import BatchBackend, ImageRequest
from ..calls import BudgetExhausted, CallOutcome, CallRun, ItemFailed, StoredImage, check_backend, open_backend, run_sync
from ..calls.batch import BatchRun, DueCalls, DueLine, NeedCall
from ..calls.cost import CostModel
from ..config import ModelsConfig
from ..folder import MANIFEST_NAME, ManifestWriter, append_jsonl, iter_jsonl, latest_records
from ..spec import InstructionSpec
from .flow import ItemWalk, walk_item
from .item_calls import GenerateCalls
from .plan_file import as_specs
from .record import item_record, same_result
from .runner import RunSummary

__all__ = ["arun_batch", "run_batch"]

UPLOADS_NAME = "batch_uploads.jsonl"
CHAT, GENERATIONS, EDITS = "/v1/chat/completions", "/v1/images/generations", "/v1/images/edits"


class BatchItemCalls:
    """An item's calls in a batch round: answered from the store, or noted as due (:class:`DueCalls`)."""

    def __init__(self, calls: GenerateCalls, due: DueCalls):
        self.calls, self.due = calls, due

    async def image(self, call: str, step: str, prompt: str, inputs: tuple[StoredImage, ...],
                    spec: InstructionSpec) -> CallOutcome:
        return self.due.get(self.calls.image_key(call, step, prompt, inputs, spec), step,
                            self.calls.image_estimate(prompt, inputs),
                            {"call": call, "step": step, "prompt": prompt, "inputs": inputs, "spec": spec})

    async def rewrite(self, spec: InstructionSpec) -> CallOutcome:
        return self.due.get(self.calls.rewrite_key(spec), "rewrite", self.calls.rewrite_estimate(),
                            {"call": "rewrite", "spec": spec})


class GenerateBatch:
    """What a generation batch sends (lines per due call) and keeps (images, rewrites)."""

    def __init__(self, specs: list[InstructionSpec], out: Path, backend: BatchBackend, calls: GenerateCalls, *,
                 rewrite: bool, batch: BatchRun):
        self.specs, self.out, self.backend, self.calls, self.rewrite, self.batch = specs, out, backend, calls, rewrite, batch
        self.uploads = {r["sha"]: r["file_id"] for r in iter_jsonl(out / UPLOADS_NAME)}
        self.final: dict[str, tuple[ItemWalk, str, dict | None]] = {}

    async def walk(self, items: DueCalls) -> None:
        self.final = {}
        for spec in self.specs:
            walk = ItemWalk(instruction=spec.instruction, original_instruction=spec.instruction)
            status, error = "done", None
            try:
                await walk_item(spec, BatchItemCalls(self.calls, items), walk, rewrite=self.rewrite)
            except NeedCall:
                status = "pending"
            except ItemFailed as exc:
                status, error = "error", exc.error
            except BudgetExhausted as exc:
                status, error = "skipped_budget", {"step": str(exc), "kind": "budget", "message": "max_cost would be exceeded"}
            self.final[spec.id] = (walk, status, error)

    async def due(self, round_no: int) -> list[DueLine]:
        """Walk every item against the store; the lines of the calls still due."""
        items = DueCalls(self.calls.caller, self.batch.errors)
        await self.walk(items)
        lines = []
        for key, (estimate, what) in items.due.items():
            if what["call"] == "rewrite":
                line = self.backend.batch_line(key, "rewrite", spec=what["spec"])
            else:
                request = ImageRequest(prompt=what["prompt"], step=what["step"], size=self.calls.size, spec=what["spec"])
                file_ids = await self._file_ids(what["inputs"]) if what["call"] == "edit" else None
                line = self.backend.batch_line(key, what["call"], request, file_ids=file_ids)
            lines.append((key, estimate, line))
        return lines

    async def _file_ids(self, inputs: tuple[StoredImage, ...]) -> list[str]:
        ids = []
        for image in inputs:
            if image.sha not in self.uploads:
                data = self.calls.caller.store.read_image(image.rel)
                file_id = await self.backend.upload_file(data, f"{image.sha}.png", "vision")
                append_jsonl(self.out / UPLOADS_NAME, {"sha": image.sha, "file_id": file_id})
                self.uploads[image.sha] = file_id
            ids.append(self.uploads[image.sha])
        return ids

    async def answer(self, key: str, request: dict[str, Any], body: Any) -> None:
        if request["url"] == CHAT:
            await self.calls.keep_text(key, self.backend.parse_chat_response(body), 0.0, 1)
        else:
            call = "edit" if request["url"] == EDITS else "generate"
            await self.calls.keep_image(key, call, "batch", request["body"]["prompt"],
                                        self.backend.parse_image_response(body), 0.0, 1)


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
    specs = as_specs(plan)
    be, config = open_backend(backend, backend_options, config)
    if not isinstance(be, BatchBackend):
        raise ValueError(f"backend {be.name!r} has no Batch API; run without --batch")
    size = size or config.defaults.size
    out = Path(out)
    log = (lambda msg: print(f"ogi generate: {msg}", file=sys.stderr, flush=True)) if progress else (lambda msg: None)
    run = CallRun(out, be, CostModel.for_backend(be, config, batch=True), max_cost=max_cost,
                  busy_hint="or use another --out")
    async with run:
        batch = BatchRun(out, be, run.caller, poll_s=poll_s, log=log)
        work = GenerateBatch(specs, out, be, GenerateCalls(run.caller, be, size), rewrite=rewrite, batch=batch)
        await check_backend(be, rewrite=rewrite)
        await batch.rounds(work.due, work.answer)
        counts = _write_manifest(out, specs, work.final, backend=be, size=size, rewrite=rewrite)
    return batch.summarise(run.summarise(RunSummary(
        items=len(specs), done=counts["done"], errors=counts["error"], skipped_budget=counts["skipped_budget"],
        unchanged=counts["unchanged"], out=str(out))))


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
